#!/usr/bin/env python3
"""Benchmark the embedded database: bulk-load a synthetic graph, time typical queries, measure the file.

usage: python scripts/bench_embedded.py [--papers N] [--runs R] [--append N] [--seed S] [--keep DIR]

The graph is generated directly as rows (no extraction, no networkx), with a realistic shape: by default
200,000 papers, 20,000 methods, 5,000 datasets and 2,000 tasks picked with Zipf-like popularity, about five
entity links per paper (proposes / uses / evaluates on / introduces / addresses), code repositories and their
owners for about a third of the papers, other links for a tenth, and the derived EVALUATED_ON / APPLIED_TO
relationships with their supporting papers, computed by the rule of kg.graph.build. Abstracts are about 700
characters; one title holds quotes, commas and a line break (so the serial CSV reader is exercised too).

Prints: rows generated, load seconds into a new file (in all, and inside the engine's COPY statements), the
median latency of each query over R runs after one warm-up, the database size on disk, and the seconds to
append N more papers into the loaded database as ``kg build --append`` does: only the rows the new papers
touch are written, looked up by id in the stored database (COPY of the new rows, SET of the changed ones, e.g.
derived relationships gaining supporting papers).
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.examples import by_name
from kg.models import NodeLabel, RelType
from kg.stores.embedded import DB_FILE, open_database, write_rows

WORDS = ("graph learning model data training neural network representation contrastive self supervised "
         "image language transformer attention embedding benchmark dataset task evaluation robust efficient "
         "sparse dense retrieval generation diffusion policy reward agent vision text audio video multimodal "
         "scalable adaptive federated privacy causal bayesian kernel optimization gradient loss sample").split()


def zipf_picker(n: int, s: float, rng: random.Random) -> Any:
    """A function drawing k distinct indices in [0, n) with probability ~ 1 / rank**s."""
    cum = list(itertools.accumulate(1.0 / (r + 1) ** s for r in range(n)))
    population = range(n)

    def pick(k: int) -> list[int]:
        return list(dict.fromkeys(rng.choices(population, cum_weights=cum, k=k)))

    return pick


class Synthetic:
    """Rows of a synthetic kg graph, deterministic per seed; :meth:`grow` adds papers like a later build."""

    def __init__(self, papers: int, seed: int = 0) -> None:
        self.seed = seed
        self.methods, self.datasets, self.tasks, self.owners = 20_000, 5_000, 2_000, 20_000
        self.rng = random.Random(seed)
        self.pick_method = zipf_picker(self.methods, 1.1, self.rng)
        self.pick_dataset = zipf_picker(self.datasets, 1.2, self.rng)
        self.pick_task = zipf_picker(self.tasks, 1.0, self.rng)
        self.papers = 0
        self.links: dict[str, list[tuple[str, str]]] = defaultdict(list)
        #: (method, dataset or task, derived type) -> supporting papers
        self.support: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        self._draw(papers)

    def _draw(self, n: int) -> dict[str, list[tuple[str, str]]]:
        """Draw the Paper -> X links of ``n`` more papers (and their derived support); returns the new links."""
        rng, new = self.rng, defaultdict(list)
        for i in range(self.papers, self.papers + n):
            p = f"arxiv:{i:07d}"
            out: dict[str, list[str]] = defaultdict(list)
            if rng.random() < 0.6:
                m = i % self.methods if rng.random() < 0.3 else self.pick_method(1)[0]
                out["PROPOSES"].append(f"method:m{m:05d}")
            out["USES"] += [f"method:m{m:05d}" for m in self.pick_method(rng.randint(1, 2))]
            out["EVALUATES_ON"] += [f"dataset:d{d:04d}" for d in self.pick_dataset(rng.randint(1, 2))]
            if rng.random() < 0.05:
                out["INTRODUCES"].append(f"dataset:d{rng.randrange(self.datasets):04d}")
            out["ADDRESSES"] += [f"task:t{t:04d}" for t in self.pick_task(rng.randint(1, 2))]
            if rng.random() < 0.3:
                out["HAS_CODE"].append(f"github.com/o{rng.randrange(self.owners):05d}/r{i:07d}")
            if rng.random() < 0.1:
                out["LINKS_TO"].append(f"https://example.org/p/{i}")
            for rel, targets in out.items():
                new[rel] += [(p, t) for t in targets]
            # the rule of kg.graph.build: a paper's own methods (else the used ones) x its datasets and tasks
            for m in dict.fromkeys(out["PROPOSES"] or out["USES"]):
                for d in dict.fromkeys(out["EVALUATES_ON"] + out["INTRODUCES"]):
                    self.support[(m, d, "EVALUATED_ON")].append(p)
                for t in dict.fromkeys(out["ADDRESSES"]):
                    self.support[(m, t, "APPLIED_TO")].append(p)
        for rel, pairs in new.items():
            self.links[rel] += pairs
        self.papers += n
        return new

    def _paper_row(self, i: int) -> dict[str, Any]:
        rng = self.rng
        title = 'A "nasty", title,\nwith a line break' if i == 0 else " ".join(rng.choices(WORDS, k=8)).title()
        return {"id": f"arxiv:{i:07d}", "title": title, "abstract": " ".join(rng.choices(WORDS, k=90)),
                "sources": [f"synthetic.jsonl:{i + 1}"], "url": f"https://arxiv.org/abs/{i:07d}",
                "date": f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}", "arxiv_id": f"{i:07d}",
                "doi": None, "authors": [f"Author {rng.randrange(50_000)}" for _ in range(rng.randint(1, 5))]}

    @staticmethod
    def _entity_row(node: str) -> dict[str, Any]:
        prefix, key = node.split(":", 1)
        j = int(key[1:])
        name = f"{prefix.title()} {j}"
        return {"id": node, "name": name, "aliases": [name.upper()] if j % 3 == 0 else []}

    def _rows(self, papers: range, links: dict[str, list[tuple[str, str]]], derived: Iterable[tuple[str, str, str]]
              ) -> tuple[dict[NodeLabel, list[dict[str, Any]]], dict[RelType, list[dict[str, Any]]]]:
        nodes: dict[NodeLabel, list[dict[str, Any]]] = {NodeLabel.PAPER: [self._paper_row(i) for i in papers]}
        reached = {t for pairs in links.values() for _, t in pairs}
        for label, prefix in ((NodeLabel.METHOD, "method:"), (NodeLabel.DATASET, "dataset:"),
                              (NodeLabel.TASK, "task:")):
            nodes[label] = [self._entity_row(n) for n in sorted(x for x in reached if x.startswith(prefix))]
        repos = [r for _, r in links.get("HAS_CODE", [])]
        nodes[NodeLabel.REPOSITORY] = [{"id": r, "host": "github.com", "owner": r.split("/")[1],
                                        "name": r.split("/")[2], "url": f"https://{r}"} for r in repos]
        owners = sorted({r.rsplit("/", 1)[0] for r in repos})
        nodes[NodeLabel.OWNER] = [{"id": o, "host": "github.com", "name": o.split("/")[1]} for o in owners]
        nodes[NodeLabel.LINK] = [{"id": u, "url": u, "kind": "project page"} for _, u in links.get("LINKS_TO", [])]
        rels: dict[RelType, list[dict[str, Any]]] = {}
        for rel in ("PROPOSES", "USES", "INTRODUCES", "EVALUATES_ON", "ADDRESSES", "HAS_CODE", "LINKS_TO"):
            rels[RelType(rel)] = [{"source": p, "target": t, "sentence": f"We {rel.lower()} {t}.", "start": 3,
                                   "end": 12, "rule": "synthetic", "confidence": 0.9, "section": "abstract",
                                   "mentions": 1} for p, t in links.get(rel, [])]
        rels[RelType.OWNED_BY] = [{"source": r, "target": r.rsplit("/", 1)[0]} for r in repos]
        rels[RelType.EVALUATED_ON], rels[RelType.APPLIED_TO] = [], []
        for m, x, key in derived:
            papers_of = self.support[(m, x, key)]
            rels[RelType(key)].append({"source": m, "target": x, "papers": sorted(papers_of),
                                       "weight": len(papers_of)})
        return nodes, rels

    def rows(self) -> tuple[dict[NodeLabel, list[dict[str, Any]]], dict[RelType, list[dict[str, Any]]]]:
        """Every row of the graph drawn so far (every entity, used or not)."""
        nodes, rels = self._rows(range(self.papers), self.links, list(self.support))
        for label, n, key in ((NodeLabel.METHOD, self.methods, "method:m{:05d}"),
                              (NodeLabel.DATASET, self.datasets, "dataset:d{:04d}"),
                              (NodeLabel.TASK, self.tasks, "task:t{:04d}")):
            nodes[label] = [self._entity_row(key.format(j)) for j in range(n)]
        return nodes, rels

    def grow(self, n: int) -> tuple[dict[NodeLabel, list[dict[str, Any]]], dict[RelType, list[dict[str, Any]]]]:
        """Add ``n`` papers; the rows a ``kg build --append`` of them writes (its ``changes``, with the merged
        graph's values): the new papers and their relationships, the nodes these reach, and the derived
        relationships they support, listing old and new supporting papers."""
        first = self.papers
        before = {k: len(v) for k, v in self.support.items()}
        new = self._draw(n)
        touched = [k for k, v in self.support.items() if len(v) != before.get(k, 0)]
        return self._rows(range(first, self.papers), new, touched)


def size_on_disk(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--papers", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=5, help="timed runs per query (after one warm-up)")
    ap.add_argument("--append", type=int, default=10_000, help="papers appended afterwards (0: skip)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", type=Path, default=None, help="folder to keep the database in (default: temporary)")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="kg-bench-embedded-")
    folder = args.keep or Path(tmp.name)
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / DB_FILE

    started = time.perf_counter()
    graph = Synthetic(args.papers, seed=args.seed)
    nodes, rels = graph.rows()  # generated before the clock starts
    prepared = time.perf_counter() - started
    report = write_rows(nodes, rels, db_path)
    del nodes, rels
    print(f"synthetic graph: {args.papers:,} papers, rows generated in {prepared:.1f}s")
    per_label = ", ".join(f"{label.value} {report.created.get(label.value, 0):,}" for label in NodeLabel)
    per_type = ", ".join(f"{rel.value} {report.created.get(rel.value, 0):,}" for rel in RelType)
    print(f"  nodes: {report.nodes_created:,} ({per_label})")
    print(f"  relationships: {report.rels_created:,} ({per_type})")
    rows = report.nodes_created + report.rels_created
    print(f"load into a new database: {report.seconds:.1f}s in all = {rows / report.seconds:,.0f} rows/s; "
          f"of which COPY (the engine's bulk load) {report.copy_seconds:.1f}s = "
          f"{rows / report.copy_seconds:,.0f} rows/s, the rest writing the CSV files")
    print(f"database size on disk: {size_on_disk(db_path) / 1e6:.1f} MB ({db_path.name})")

    queries = [
        ("top datasets (most_used_datasets)", by_name("most_used_datasets").embedded_cypher, {}),
        ("methods on the top dataset (methods_on_dataset)", by_name("methods_on_dataset").embedded_cypher,
         {"dataset": "Dataset 0"}),
        ("2-hop neighbourhood of a popular method", by_name("two_hop_neighbours").embedded_cypher,
         {"method": "Method 10"}),
        ("2-hop neighbourhood of a rare method", by_name("two_hop_neighbours").embedded_cypher,
         {"method": "Method 5000"}),
        ("shortest path between two methods", by_name("shortest_path").embedded_cypher,
         {"source": "Method 5000", "target": "Method 3000"}),
        ("one-paper lookup by id", "MATCH (p:Paper {id: $id})-[r]->(x) RETURN p.title, label(r), x.id",
         {"id": f"arxiv:{args.papers // 2:07d}"}),
        ("tasks by papers (tasks_by_papers)", by_name("tasks_by_papers").embedded_cypher, {}),
    ]
    print(f"query latency, median of {args.runs} runs after a warm-up (read-only connection):")
    with open_database(db_path) as db:
        for label, cypher, params in queries:
            first = db.query(cypher, params)
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                db.query(cypher, params)
                times.append(time.perf_counter() - t)
            print(f"  {label:<50} {statistics.median(times) * 1000:8.1f} ms   ({len(first.rows)} rows)")

    if args.append:
        # what kg build --append does: the rows the new build touches, with the merged graph's values, looked up
        # by id in the stored database (write_database(merged, append=True, changes=new_build))
        nodes, rels = graph.grow(args.append)
        report = write_rows(nodes, rels, db_path, append=True, targeted=True)
        print(f"append {args.append:,} papers into the loaded database: {report.seconds:.1f}s "
              f"(COPY {report.copy_seconds:.1f}s) "
              f"({report.nodes_created:,} nodes and {report.rels_created:,} relationships added, "
              f"{report.nodes_updated:,} nodes and {report.rels_updated:,} relationships updated)")
        with open_database(db_path) as db:
            stored = db.counts()
        want = {**{rel: len(pairs) for rel, pairs in graph.links.items()}, "OWNED_BY": len(graph.links["HAS_CODE"]),
                **{key: sum(1 for k in graph.support if k[2] == key) for key in ("EVALUATED_ON", "APPLIED_TO")}}
        same = all(stored["relationships"][rel.value] == want.get(rel.value, 0) for rel in RelType)
        print(f"  papers now: {stored['nodes']['Paper']:,}; relationships per type equal the grown graph's "
              f"(no duplicates): {'yes' if same else 'NO'}; size on disk {size_on_disk(db_path) / 1e6:.1f} MB")
    tmp.cleanup()


if __name__ == "__main__":
    main()
