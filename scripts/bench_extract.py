#!/usr/bin/env python3
"""Benchmark the extractor: abstracts per second per process, against spacy.blank("en") tokenising the same texts.

usage: python scripts/bench_extract.py [--seeds DIR] [--min N] [--batch-size B] [--chunk C] [--model NAME] [--stages]
       [--default-gc]

Reads every title + abstract pair from the seed pages (a title line followed by a long abstract line),
first times one pass over the distinct abstracts with cold caches (extractor and blank, in that process), then
repeats them to at least N records (default 20,000) and times, in the same run and process, chunk by chunk:
  1. ``spacy.blank("en")`` tokenising the texts (``nlp.pipe``),
  2. ``Extractor.pipe`` producing a ``PaperExtraction`` for every record (spaCy components + pydantic models),
and prints both rates (wall clock, and per CPU second of this process, which other processes on a shared machine
disturb less) and their ratio (overall, and the median of the per-chunk ratios, which is steadier when other
processes share the machine). ``--stages`` also prints where the time goes: milliseconds of CPU per
abstract for the tokenizer, each ``kg_*`` component and ``to_extraction``, measured on one chunk.
"""

from __future__ import annotations

import argparse
import glob
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import spacy

from kg import pipeline
from kg.models import PaperRecord
from kg.nlp import Extractor
from kg.nlp.mentions import to_extraction

WARM_UP = ("We propose WarmNet, a made-up network for warm-up only, and evaluate it on the MadeUp-10 dataset "
           "against a strong baseline (SB). Code is at https://github.com/example/warmnet.")


def stage_times(extractor: Extractor, records: list[PaperRecord]) -> dict[str, float]:
    """CPU milliseconds per record of each stage: the tokenizer (``make_doc``), each pipe, ``to_extraction``."""
    times: dict[str, float] = {}
    t0 = time.process_time()
    docs = [extractor._doc(r) for r in records]
    times["tokenizer"] = time.process_time() - t0
    for name, proc in extractor.nlp.pipeline:
        t0 = time.process_time()
        docs = [proc(doc) for doc in docs]
        times[name] = time.process_time() - t0
    t0 = time.process_time()
    for doc, r in zip(docs, records, strict=True):
        to_extraction(doc, r.id, r.title, extractor.known)
    times["to_extraction"] = time.process_time() - t0
    return {k: v * 1000 / len(records) for k, v in times.items()}


def read_seeds(folder: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for path in sorted(glob.glob(str(Path(folder) / "*.txt"))):
        prev = ""
        for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.strip()
            if len(line) > 300 and prev and len(prev) < 300:
                pairs.append((prev, line))
            if line:
                prev = line
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default=str(Path(__file__).resolve().parents[2] / "shared" / "seeds"))
    ap.add_argument("--min", type=int, default=20_000)
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--chunk", type=int, default=2_000, help="records per timed chunk (blank, then extractor)")
    ap.add_argument("--model", default=None)
    ap.add_argument("--stages", action="store_true", help="also print CPU ms per abstract of each stage")
    ap.add_argument("--default-gc", action="store_true",
                    help="leave the garbage collector as Python sets it (the kg command tunes it for the run)")
    args = ap.parse_args()

    # the extractor as the kg command makes it (kg.pipeline.make_extractor, with what is loaded frozen out of the
    # garbage collector's view), before the texts are read: they are traversed by the collector as in a real run
    blank = spacy.blank("en")
    pipeline.TUNE_GC = not args.default_gc
    extractor = pipeline.make_extractor(model=args.model)

    pairs = read_seeds(args.seeds)
    if not pairs:
        sys.exit(f"no abstracts found under {args.seeds}")
    reps = -(-args.min // len(pairs))
    records = [PaperRecord(id=f"b{i}", title=t, abstract=a) for i, (t, a) in enumerate(pairs * reps)]
    n = len(records)
    print(f"{len(pairs)} seed abstracts x {reps} = {n} records, "
          f"{sum(len(r.abstract) for r in records) / n:.0f} characters per abstract on average")
    texts = [f"{r.title}\n\n{r.abstract}" for r in records]
    # load lazily loaded resources with a made-up record, then time one first pass over the distinct abstracts
    # with every cache cold (the vocabulary's strings, the rules' caches of word and name tests): a corpus of
    # distinct abstracts runs between this rate and the repeated rate below
    warm = PaperRecord(id="w", title="WarmNet: A Made-Up Title", abstract=WARM_UP)
    list(blank.pipe([WARM_UP]))
    list(extractor.pipe([warm]))
    k = len(pairs)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in blank.pipe(texts[:k], batch_size=args.batch_size):
        pass
    tb, cb = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in extractor.pipe(records[:k], batch_size=args.batch_size):
        pass
    te, ce = time.perf_counter() - t0, time.process_time() - c0
    print(f"first pass, {k} distinct abstracts, cold caches: extractor {k / te:,.0f} abstracts/s "
          f"({k / ce:,.0f} per CPU second), blank {k / tb:,.0f} ({k / cb:,.0f}), ratio {tb / te:.3f}")
    # then time them chunk by chunk over all records, one after the other on the same chunk: on a shared machine
    # the load changes, and this keeps the two timings comparable
    t_blank = t_ex = c_blank = c_ex = 0.0
    found = 0
    ratios: list[float] = []
    for lo in range(0, n, args.chunk):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in blank.pipe(texts[lo:lo + args.chunk], batch_size=args.batch_size):
            pass
        tb, cb = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        for ex in extractor.pipe(records[lo:lo + args.chunk], batch_size=args.batch_size):
            found += len(ex.methods) + len(ex.datasets) + len(ex.tasks)
        te, ce = time.perf_counter() - t0, time.process_time() - c0
        t_blank += tb
        t_ex += te
        c_blank += cb
        c_ex += ce
        ratios.append(tb / te)

    print(f"spacy.blank('en') tokenising : {n / t_blank:10,.0f} abstracts/s  ({n / c_blank:,.0f} per CPU second)")
    print(f"kg Extractor (1 process)     : {n / t_ex:10,.0f} abstracts/s  ({n / c_ex:,.0f} per CPU second; "
          f"{found / n:.1f} entities per abstract)")
    print(f"ratio extractor / blank      : {t_blank / t_ex:10.3f}  "
          f"(extractor takes {t_ex / t_blank:.1f}x the tokeniser's time; median over {len(ratios)} chunks "
          f"{statistics.median(ratios):.3f})")
    if args.stages:
        stages = stage_times(extractor, records[:args.chunk])
        print(f"CPU ms per abstract by stage ({min(args.chunk, n)} records, total {sum(stages.values()):.3f}):")
        for name, ms in stages.items():
            print(f"  {name:<16} {ms:6.3f}")


if __name__ == "__main__":
    main()
