"""The stages joined: read -> deduplicate -> extract -> (corpus pass) -> build -> save.

These functions return data (reports); the CLI only prints them.
"""

from __future__ import annotations

import gc
import json
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import E, GraphError, InputError
from kg.graph.build import GraphBuilder, PaperIndex, dedupe
from kg.graph.io import GRAPH_FILE, atomic_write, graph_counts, load_graph, load_manifest, save_graph
from kg.io.readers import ReadReport, read_records
from kg.models import PaperExtraction, PaperRecord

Progress = Callable[[int], None]


@dataclass
class ExtractReport:
    read: ReadReport
    papers: int = 0
    duplicates: int = 0
    seconds: float = 0.0
    output: str = ""


@dataclass
class BuildReport:
    read: ReadReport
    papers: int = 0
    seconds: float = 0.0
    output: str = ""
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


#: tune the garbage collector for one batch run once the extractor is built (see :func:`make_extractor`); the
#: ``kg`` console script sets it, its process ends with the command
TUNE_GC = False

#: ``gc.set_threshold`` of a batch run: a young-generation collection every 50,000 allocations, not every 700
BATCH_GC_THRESHOLD = (50_000, 20, 10)


def make_extractor(patterns: Sequence[Path] = (), model: str | None = None):  # type: ignore[no-untyped-def]
    """The extractor of ``kg extract`` and ``kg build``.

    With :data:`TUNE_GC` (the ``kg`` command), the garbage collector is tuned for the run:
    - everything loaded so far (modules, the pipeline, the word lists) lives as long as the process, so it is moved
      out of the collector's view (``gc.freeze``). A full collection during the run then takes about 3 ms instead
      of about 55.
    - collections run less often (:data:`BATCH_GC_THRESHOLD`). The extraction allocates many short-lived objects
      and few cycles.

    Together these make extraction 5-10% faster. A library caller that builds extractors again and again keeps
    the defaults, so that old ones can still be collected."""
    from kg.nlp import Extractor

    extractor = Extractor(patterns=patterns, model=model)
    if TUNE_GC:
        gc.collect()
        gc.freeze()
        gc.set_threshold(*BATCH_GC_THRESHOLD)
    return extractor


def extract_stream(
    records: Iterable[PaperRecord],
    *,
    extractor: Any = None,
    corpus_pass: bool = True,
    batch_size: int = 256,
    n_process: int = 1,
    progress: Progress | None = None,
) -> Iterator[tuple[PaperRecord, PaperExtraction]]:
    """Extract every record, pairing each with its extraction, in input order.

    Without ``corpus_pass`` results stream one by one. With it (the default) they are harmonised across the
    corpus first (:class:`kg.nlp.extract.CorpusVotes`): the pairs are spilled to a temporary file while the votes
    are counted, then read back and settled one by one, so memory holds the votes (distinct names), never the
    corpus.
    """
    from kg.nlp.extract import CorpusVotes

    extractor = extractor or make_extractor()
    pending: deque[PaperRecord] = deque()

    def remember(stream: Iterable[PaperRecord]) -> Iterator[PaperRecord]:
        for rec in stream:
            pending.append(rec)
            yield rec

    pairs = extractor.pipe(remember(records), batch_size=batch_size, n_process=n_process)
    if not corpus_pass:
        for ext in pairs:
            rec = pending.popleft()
            if progress:
                progress(1)
            yield rec, ext
        return
    votes = CorpusVotes()
    with tempfile.TemporaryFile("w+", encoding="utf-8", prefix="kg-corpus-") as spill:
        for ext in pairs:
            rec = pending.popleft()
            if progress:
                progress(1)
            votes.observe(ext)
            spill.write(rec.model_dump_json())
            spill.write("\n")
            spill.write(ext.model_dump_json())
            spill.write("\n")
        spill.seek(0)
        for rec_line in spill:
            rec = PaperRecord.model_validate_json(rec_line)
            ext = PaperExtraction.model_validate_json(next(spill))
            yield rec, votes.settle(ext)


def parse_mapping(items: Sequence[str] | None) -> dict[str, str]:
    """``["abstract=summary"]`` -> ``{"abstract": "summary"}``."""
    from kg.errors import E, InputError

    mapping: dict[str, str] = {}
    for item in items or ():
        ours, sep, theirs = item.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            raise InputError(E.E009.format(value=item))
        mapping[ours.strip()] = theirs.strip()
    return mapping


def unique_records(records: Iterable[PaperRecord], counter: dict[str, int] | None = None) -> Iterator[PaperRecord]:
    """Pass on the first record of each paper (same arXiv id, DOI or normalised title)."""
    index = PaperIndex()
    for rec in records:
        _, is_new, _ = index.add(rec)
        if is_new:
            yield rec
        elif counter is not None:
            counter["duplicates"] = counter.get("duplicates", 0) + 1


def run_extract(
    inputs: Sequence[str],
    output: str | Path,
    *,
    fmt: str | None = None,
    mapping: Mapping[str, str] | None = None,
    patterns: Sequence[Path] = (),
    model: str | None = None,
    corpus_pass: bool = True,
    batch_size: int = 256,
    n_process: int = 1,
    report: ReadReport | None = None,
    progress: Progress | None = None,
) -> ExtractReport:
    """Extract every paper of ``inputs`` into ``output`` (JSONL, one record per paper, input ids kept)."""
    started = time.perf_counter()
    report = report if report is not None else ReadReport()
    result = ExtractReport(read=report, output=str(output))
    counter: dict[str, int] = {}
    records = unique_records(read_records(inputs, fmt=fmt, mapping=mapping, report=report), counter)
    extractor = make_extractor(patterns, model)
    with atomic_write(output) as handle:
        for _, ext in extract_stream(records, extractor=extractor, corpus_pass=corpus_pass,
                                     batch_size=batch_size, n_process=n_process, progress=progress):
            handle.write(json.dumps(ext.model_dump(mode="json"), ensure_ascii=False))
            handle.write("\n")
            result.papers += 1
        if report.total_read == 0:
            raise InputError(E.E008.format(path=", ".join(str(i) for i in inputs)))
    result.duplicates = counter.get("duplicates", 0)
    result.seconds = time.perf_counter() - started
    return result


def build(
    inputs: Sequence[str],
    *,
    fmt: str | None = None,
    mapping: Mapping[str, str] | None = None,
    patterns: Sequence[Path] = (),
    model: str | None = None,
    corpus_pass: bool = True,
    batch_size: int = 256,
    n_process: int = 1,
    report: ReadReport | None = None,
    progress: Progress | None = None,
) -> tuple[nx.MultiDiGraph, ReadReport]:
    """Read, deduplicate, extract and build the graph of ``inputs`` in memory."""
    report = report if report is not None else ReadReport()
    builder = GraphBuilder()
    extractor = make_extractor(patterns, model)
    records = dedupe(read_records(inputs, fmt=fmt, mapping=mapping, report=report), builder)
    for rec, ext in extract_stream(records, extractor=extractor, corpus_pass=corpus_pass,
                                   batch_size=batch_size, n_process=n_process, progress=progress):
        builder.add_extraction(rec, ext)
    return builder.finish(), report


def run_build(inputs: Sequence[str], out_dir: str | Path, *, database: bool = True, append: bool = False,
              **options: Any) -> BuildReport:
    """Build the graph of ``inputs`` and write it to ``out_dir``; returns counts and what was read.

    ``database`` also writes the embedded database (``graph.lbdb``, :mod:`kg.stores.embedded`). ``append`` merges
    the new graph into the one already in ``out_dir`` (:func:`kg.graph.merge.merge_graphs`) and adds it to the
    database incrementally; without it the folder's graph and database are replaced.
    """
    started = time.perf_counter()
    G, report = build(inputs, **options)
    if report.total_read == 0:
        raise InputError(E.E008.format(path=", ".join(str(i) for i in inputs)))
    out = Path(out_dir)
    names = [str(i) for i in inputs]
    appended = append and (out / GRAPH_FILE).exists()
    if appended:
        from kg.graph.merge import merge_graphs

        try:
            previous = list(load_manifest(out).get("inputs", []))
        except GraphError:
            previous = []
        names = list(dict.fromkeys([*previous, *names]))
        new = G
        G = merge_graphs(load_graph(out), new, where=str(out))
    extra: dict[str, Any] = {"graph": G}
    manifest: dict[str, Any] = {}
    from kg.stores.embedded import DB_FILE, remove_database, write_database

    if database:
        extra["database"] = write_database(G, out / DB_FILE, append=appended, changes=new if appended else None)
        manifest["database"] = DB_FILE
    else:
        remove_database(out / DB_FILE)  # a database left from an earlier build would answer for another graph
    save_graph(G, out, inputs=names, extra=manifest)
    counts = graph_counts(G)
    return BuildReport(read=report, papers=counts["nodes"]["Paper"], seconds=time.perf_counter() - started,
                       output=str(out_dir), counts=counts, extra=extra)
