#!/usr/bin/env python3
"""Check the extractor against external annotations (SciER, SciERC, PwC-CSNER): precision and recall on named
entities.

usage: python scripts/eval_external.py [--corpus scier|scierc|pwc] [--split test] [--errors N] [--sentences K]

The external corpora follow other annotation rules than ``../shared/eval/GUIDELINES.md``: they also annotate
generic phrases ("recurrent neural networks", "attention") as methods, SciERC has no Dataset type, and PwC-CSNER
(whole abstracts, no titles) tags every mention of a Papers with Code task or method, by distant supervision. So this
script is a tool for finding systematic misses and false positives, not a target:

* the text is cut into passages of ``K`` sentences (abstract-sized) per document and each passage is extracted as
  one record without a title;
* the gold methods and datasets are reduced to *named* entities, roughly per our guidelines: a surface form with a
  name-shaped word (two capitals, a capital and a digit, an inner capital) or a multi-word Title Case phrase;
  SciERC's ``Material`` type is read as dataset only when named;
* methods and datasets match on ``kg``'s resolution key (the scorer's normal form without a trailing
  "corpus"/"model" or a plural acronym), within the same passage (typed and, separately, ignoring
  the type); tasks match on word-set Jaccard >= 0.5 against all gold tasks of the passage (recall of our at most
  four main tasks against every task mention is low by construction, so only precision is meaningful there).

It prints P / R / F1 per type and, with ``--errors N``, the most frequent false positives and misses with the rule
that fired, which is where the general rule errors show.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.models import EntityType, PaperRecord
from kg.nlp import Extractor, entity_key, harmonize
from kg.nlp.lexicon import lexicon
from kg.nlp.rules import is_shaped

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "external"
LEX = lexicon()
_SMALL = frozenset("of for and with in on to the a an via from by".split())


def norm(text: str) -> str:
    """The scorer's normal form (NFKC, casefolded, letters, digits and '+')."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum() or ch == "+")


def match_key(field: str, text: str) -> str:
    """Resolution key: the scorer's form without a trailing "corpus"/"dataset"/"model" or a plural acronym
    ("the NEGRA corpus" = "NEGRA", "SVMs" = "SVM"), as ``kg`` resolves names across papers."""
    kind = EntityType.DATASET if field == "datasets" else EntityType.METHOD
    return entity_key(kind, text).partition(":")[2]


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9+]+", unicodedata.normalize("NFKC", text).casefold()))


_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}", "``": '"', "''": '"'}


def detok(tokens: list[str]) -> str:
    """Join tokenised text back into plain text ("self - attentive" -> "self-attentive", "( BERT )" -> "(BERT)")."""
    text = " ".join(_PTB.get(t, t) for t in tokens)
    text = re.sub(r"\s+([,.;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    text = re.sub(r"\s*([-/])\s*", r"\1", text)
    # SciER splits numbers into digits ("CIFAR-1 0 0", "v 5. 0"); the scorer's forms ignore spaces anyway
    text = re.sub(r"(?<=\d) (?=\d)", "", text)
    text = re.sub(r"(?<=\d)\. (?=\d)", ".", text)
    text = re.sub(r"(?<=[A-Za-z]) (?=\d+\b)", "", text) if re.search(r"[A-Z]{2,} \d", text) else text
    return text


def named(surface: str) -> bool:
    """A surface form that names something by our guidelines' rough test (shape or Title Case, not a metric,
    organisation or generic family of our word lists)."""
    ws = surface.split()
    if not ws or LEX.blocked(surface) or LEX.blocked(surface.rstrip("s")):
        return False
    if any(is_shaped(w) for w in ws):
        return True
    content = [w for w in ws if w.lower() not in _SMALL]
    return len(content) >= 2 and all(w[:1].isupper() for w in content)


def passages_scier(split: str, k: int) -> list[tuple[str, str, dict[str, set[str]]]]:
    rows = [json.loads(line) for line in (EXTERNAL / "scier" / "llm" / f"{split}.jsonl").open(encoding="utf-8")]
    by_doc: dict[str, list[dict]] = {}
    for row in rows:
        by_doc.setdefault(row["doc_id"], []).append(row)
    out = []
    for doc_id, sents in by_doc.items():
        for i in range(0, len(sents), k):
            chunk = sents[i:i + k]
            text = " ".join(detok(s["sentence"].split()) for s in chunk)
            gold: dict[str, set[str]] = {"methods": set(), "datasets": set(), "tasks": set()}
            for s in chunk:
                for surface, kind in s["ner"]:
                    surface = detok(surface.split())
                    field = {"Method": "methods", "Dataset": "datasets", "Task": "tasks"}[kind]
                    if field == "tasks" or named(surface):
                        gold[field].add(surface)
            out.append((f"{doc_id}:{i}", text, gold))
    return out


def passages_scierc(split: str, k: int) -> list[tuple[str, str, dict[str, set[str]]]]:
    out = []
    for line in (EXTERNAL / "scierc" / f"{split}.json").open(encoding="utf-8"):
        doc = json.loads(line)
        tokens = [t for s in doc["sentences"] for t in s]
        gold: dict[str, set[str]] = {"methods": set(), "datasets": set(), "tasks": set()}
        for sent_ner in doc["ner"]:
            for start, end, kind in sent_ner:
                surface = detok(tokens[start:end + 1])
                field = {"Method": "methods", "Material": "datasets", "Task": "tasks"}.get(kind)
                if field and (field == "tasks" or named(surface)):
                    gold[field].add(surface)
        out.append((doc["doc_key"], " ".join(detok(s) for s in doc["sentences"]), gold))
    return out


def passages_pwc(split: str, k: int) -> list[tuple[str, str, dict[str, set[str]]]]:
    """PwC-CSNER abstracts (``{split}-abs.data``: ``token<TAB>BIOES tag`` lines, a blank line between abstracts):
    RESEARCH_PROBLEM is a task, METHOD a method. The tokens keep their punctuation ("(SVM"), stripped here; the
    files are partly cp1252."""
    out: list[tuple[str, str, dict[str, set[str]]]] = []
    path = EXTERNAL / "pwc-csner" / f"{split}-abs.data"

    def close(tokens: list[str], spans: list[tuple[str, str]]) -> None:
        if not tokens:
            return
        gold: dict[str, set[str]] = {"methods": set(), "datasets": set(), "tasks": set()}
        for kind, surface in spans:
            surface = surface.strip(" ()[]{},.;:\"'")
            field = "tasks" if kind == "RESEARCH_PROBLEM" else "methods"
            if surface and (field == "tasks" or named(surface)):
                gold[field].add(surface)
        out.append((f"pwc-{split}-{len(out)}", " ".join(tokens), gold))

    tokens: list[str] = []
    spans: list[tuple[str, str]] = []
    current: list[str] = []
    for line in path.open(encoding="cp1252", errors="replace"):
        cols = line.rstrip("\n").split("\t")
        if not cols[0].strip():
            close(tokens, spans)
            tokens, spans, current = [], [], []
            continue
        word, tag = cols[0], (cols[1] if len(cols) > 1 else "O")
        tokens.append(word)
        if tag[:2] in ("B-", "S-"):
            current = [word]
        elif tag[:2] in ("I-", "E-") and current:
            current.append(word)
        if tag[:2] in ("E-", "S-") and current:
            spans.append((tag[2:], " ".join(current)))
            current = []
    close(tokens, spans)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=("scier", "scierc", "pwc"), default="scier")
    ap.add_argument("--split", default="test",
                    help="scier: train, dev, test, test_ood; scierc: train, dev, test; pwc: dev, test (abstracts)")
    ap.add_argument("--sentences", type=int, default=8, help="sentences per passage (SciER)")
    ap.add_argument("--errors", type=int, default=0, help="print the N most frequent false positives and misses")
    args = ap.parse_args()

    if args.corpus == "scier":
        passages = passages_scier(args.split, args.sentences)
    elif args.corpus == "pwc":
        passages = passages_pwc(args.split, args.sentences)
    else:
        passages = passages_scierc(args.split, args.sentences)
    extractor = Extractor()
    records = [PaperRecord(id=pid, title="", abstract=text) for pid, text, _g in passages]
    preds = harmonize(list(extractor.pipe(records)))

    tally = {f: Counter() for f in ("methods", "datasets", "tasks", "any")}
    fps: dict[str, Counter] = {f: Counter() for f in ("methods", "datasets", "tasks")}
    fns: dict[str, Counter] = {f: Counter() for f in ("methods", "datasets")}
    for (_pid, _text, gold), pred in zip(passages, preds, strict=True):
        gold_any = {match_key(f, g) for f in ("methods", "datasets") for g in gold[f]}
        for field in ("methods", "datasets"):
            gforms = {match_key(field, g): g for g in gold[field]}
            hit: set[str] = set()
            for ent in getattr(pred, field):
                forms = {match_key(field, f) for f in (ent.name, *ent.aliases)} - {""}
                tally[field]["pred"] += 1
                tally["any"]["pred"] += 1
                match = forms & set(gforms) - hit
                if match:
                    tally[field]["hit"] += 1
                    hit.add(next(iter(match)))
                else:
                    rule = ent.evidence[0].rule if ent.evidence else "?"
                    fps[field][f"{ent.name}  [{rule}]"] += 1
                if forms & gold_any:
                    tally["any"]["hit"] += 1
            tally[field]["gold"] += len(gforms)
            tally["any"]["gold"] += len(gforms)
            for key, surface in gforms.items():
                if key not in hit:
                    fns[field][surface] += 1
        gold_tasks = [words(t) for t in gold["tasks"]]
        for ent in pred.tasks:
            tally["tasks"]["pred"] += 1
            pw = words(ent.name)
            if any(pw and gw and len(pw & gw) / len(pw | gw) >= 0.5 for gw in gold_tasks):
                tally["tasks"]["hit"] += 1
            else:
                fps["tasks"][ent.name] += 1
        tally["tasks"]["gold"] += len(gold_tasks)

    print(f"{args.corpus}/{args.split}: {len(passages)} passages, gold methods/datasets reduced to named entities")
    print(f"{'field':<22}{'P':>7}{'R':>7}{'F1':>7}  gold/pred/matched")
    labels = {"methods": "methods", "datasets": "datasets", "any": "named (type-blind)", "tasks": "tasks (P only)"}
    for field in ("methods", "datasets", "any", "tasks"):
        t = tally[field]
        p = t["hit"] / t["pred"] if t["pred"] else 1.0
        r = min(1.0, t["hit"] / t["gold"]) if t["gold"] else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{labels[field]:<22}{p:7.3f}{r:7.3f}{f1:7.3f}  {t['gold']}/{t['pred']}/{t['hit']}")
    if args.errors:
        for field, counter in fps.items():
            print(f"\n{field} false positives (most frequent):")
            for name, n in counter.most_common(args.errors):
                print(f"  {n:3d}  {name}")
        for field, counter in fns.items():
            print(f"\n{field} misses (most frequent):")
            for name, n in counter.most_common(args.errors):
                print(f"  {n:3d}  {name}")


if __name__ == "__main__":
    main()
