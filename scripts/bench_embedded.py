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
from collections.abc import Iterator
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
    """Rows of a synthetic kg graph, generated on the fly (``nodes()``, ``rels()``), deterministic per seed."""

    def __init__(self, papers: int, seed: int = 0) -> None:
        self.n, self.seed, self.start = papers, seed, 0
        self.methods, self.datasets, self.tasks = 20_000, 5_000, 2_000
        self.owners = 20_000
        self._links: dict[str, list[tuple[str, str]]] | None = None

    def _paper_links(self) -> dict[str, list[tuple[str, str]]]:
        """Every Paper -> X link as (paper, target) per relationship type (drawn once, then reused)."""
        if self._links is not None:
            return self._links
        rng = random.Random(self.seed * 7919 + 1)
        method, dataset, task = (zipf_picker(self.methods, 1.1, rng), zipf_picker(self.datasets, 1.2, rng),
                                 zipf_picker(self.tasks, 1.0, rng))
        links: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for i in range(self.start, self.start + self.n):
            p = f"arxiv:{i:07d}"
            if rng.random() < 0.6:
                links["PROPOSES"].append((p, f"method:m{i % self.methods:05d}" if rng.random() < 0.3 else
                                          f"method:m{method(1)[0]:05d}"))
            links["USES"] += [(p, f"method:m{m:05d}") for m in method(rng.randint(1, 2))]
            links["EVALUATES_ON"] += [(p, f"dataset:d{d:04d}") for d in dataset(rng.randint(1, 2))]
            if rng.random() < 0.05:
                links["INTRODUCES"].append((p, f"dataset:d{rng.randrange(self.datasets):04d}"))
            links["ADDRESSES"] += [(p, f"task:t{t:04d}") for t in task(rng.randint(1, 2))]
            if rng.random() < 0.3:
                links["HAS_CODE"].append((p, f"github.com/o{rng.randrange(self.owners):05d}/r{i:07d}"))
            if rng.random() < 0.1:
                links["LINKS_TO"].append((p, f"https://example.org/p/{i}"))
        self._links = links
        return links

    def nodes(self) -> dict[NodeLabel, Iterator[dict[str, Any]]]:
        rng = random.Random(self.seed)
        links = self._paper_links()

        def papers() -> Iterator[dict[str, Any]]:
            for i in range(self.start, self.start + self.n):
                title = " ".join(rng.choices(WORDS, k=8)).title()
                if i == self.start:
                    title = 'A "nasty", title,\nwith a line break'
                yield {"id": f"arxiv:{i:07d}", "title": title, "abstract": " ".join(rng.choices(WORDS, k=90)),
                       "sources": [f"synthetic.jsonl:{i + 1}"], "url": f"https://arxiv.org/abs/{i:07d}",
                       "date": f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}", "arxiv_id": f"{i:07d}",
                       "doi": None, "authors": [f"Author {rng.randrange(50_000)}" for _ in range(rng.randint(1, 5))]}

        def entities(prefix: str, key: str, n: int) -> Iterator[dict[str, Any]]:
            for j in range(n):
                name = f"{prefix.title()} {j}"
                yield {"id": f"{prefix}:{key}{j:0{5 if key == 'm' else 4}d}", "name": name,
                       "aliases": [name.upper()] if j % 3 == 0 else []}

        repos = [t for _, t in links["HAS_CODE"]]

        def repositories() -> Iterator[dict[str, Any]]:
            for r in repos:
                _, owner, name = r.split("/")
                yield {"id": r, "host": "github.com", "owner": owner, "name": name, "url": f"https://{r}"}

        def owners() -> Iterator[dict[str, Any]]:
            for o in sorted({r.rsplit("/", 1)[0] for r in repos}):
                yield {"id": o, "host": "github.com", "name": o.split("/")[1]}

        def link_nodes() -> Iterator[dict[str, Any]]:
            for _, url in links["LINKS_TO"]:
                yield {"id": url, "url": url, "kind": "project page"}

        return {NodeLabel.PAPER: papers(), NodeLabel.METHOD: entities("method", "m", self.methods),
                NodeLabel.DATASET: entities("dataset", "d", self.datasets),
                NodeLabel.TASK: entities("task", "t", self.tasks), NodeLabel.REPOSITORY: repositories(),
                NodeLabel.OWNER: owners(), NodeLabel.LINK: link_nodes()}

    def rels(self) -> dict[RelType, Iterator[dict[str, Any]]]:
        links = self._paper_links()

        def evidence(rel: str) -> Iterator[dict[str, Any]]:
            for p, t in links[rel]:
                yield {"source": p, "target": t, "sentence": f"We {rel.lower()} {t}.", "start": 3, "end": 12,
                       "rule": "synthetic", "confidence": 0.9, "section": "abstract", "mentions": 1}

        def owned_by() -> Iterator[dict[str, Any]]:
            for _, r in links["HAS_CODE"]:
                yield {"source": r, "target": r.rsplit("/", 1)[0]}

        out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for rel in ("PROPOSES", "USES", "EVALUATES_ON", "INTRODUCES", "ADDRESSES"):
            for p, t in links[rel]:
                out[p][rel].append(t)
        support: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for p, by in out.items():  # the rule of kg.graph.build: own methods, else used ones
            for m in dict.fromkeys(by["PROPOSES"] or by["USES"]):
                for d in dict.fromkeys(by["EVALUATES_ON"] + by["INTRODUCES"]):
                    support[(m, d, "EVALUATED_ON")].append(p)
                for t in dict.fromkeys(by["ADDRESSES"]):
                    support[(m, t, "APPLIED_TO")].append(p)

        def derived(rel: str) -> Iterator[dict[str, Any]]:
            for (m, x, key), papers in support.items():
                if key == rel:
                    yield {"source": m, "target": x, "papers": sorted(papers), "weight": len(papers)}

        rows: dict[RelType, Iterator[dict[str, Any]]] = {
            RelType(r): evidence(r) for r in ("PROPOSES", "USES", "INTRODUCES", "EVALUATES_ON", "ADDRESSES",
                                              "HAS_CODE", "LINKS_TO")}
        rows[RelType.OWNED_BY] = owned_by()
        rows[RelType.EVALUATED_ON] = derived("EVALUATED_ON")
        rows[RelType.APPLIED_TO] = derived("APPLIED_TO")
        return rows


def touched_by_new_papers(nodes: dict[NodeLabel, Any], rels: dict[RelType, Any], first_new: int
                          ) -> tuple[dict[NodeLabel, list[dict[str, Any]]], dict[RelType, list[dict[str, Any]]]]:
    """The rows a ``kg build --append`` of the papers numbered ``first_new`` and up writes (its ``changes``): the
    new papers, their relationships, the nodes these reach, and the derived relationships they support (with
    the merged lists of supporting papers)."""
    new_papers = {f"arxiv:{i:07d}" for i in range(first_new, first_new + 10**7)}
    out_rels: dict[RelType, list[dict[str, Any]]] = {}
    reached: set[str] = set()
    for rel, rows in rels.items():
        if rel in (RelType.EVALUATED_ON, RelType.APPLIED_TO):
            out_rels[rel] = [r for r in rows if any(p in new_papers for p in r["papers"])]
        elif rel is RelType.OWNED_BY:
            out_rels[rel] = list(rows)  # filtered below, once the new repositories are known
        else:
            out_rels[rel] = [r for r in rows if r["source"] in new_papers]
        reached.update(r["target"] for r in out_rels[rel] if rel is not RelType.OWNED_BY)
    out_rels[RelType.OWNED_BY] = [r for r in out_rels[RelType.OWNED_BY] if r["source"] in reached]
    reached.update(r["target"] for r in out_rels[RelType.OWNED_BY])
    out_nodes = {label: [r for r in rows if r["id"] in new_papers or r["id"] in reached]
                 for label, rows in nodes.items()}
    return out_nodes, out_rels


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
    nodes = {label: list(rows) for label, rows in graph.nodes().items()}  # generated before the clock starts
    rels = {rel: list(rows) for rel, rows in graph.rels().items()}
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
        grown = Synthetic(args.papers + args.append, seed=args.seed)
        nodes, rels = touched_by_new_papers(grown.nodes(), grown.rels(), args.papers)
        report = write_rows(nodes, rels, db_path, append=True, targeted=True)
        print(f"append {args.append:,} papers into the loaded database: {report.seconds:.1f}s "
              f"(COPY {report.copy_seconds:.1f}s) "
              f"({report.nodes_created:,} nodes and {report.rels_created:,} relationships added, "
              f"{report.nodes_updated:,} nodes and {report.rels_updated:,} relationships updated)")
        with open_database(db_path) as db:
            n = db.query("MATCH (p:Paper) RETURN count(p)").rows[0][0]
        print(f"  papers now: {n:,}; size on disk {size_on_disk(db_path) / 1e6:.1f} MB")
    tmp.cleanup()


if __name__ == "__main__":
    main()
