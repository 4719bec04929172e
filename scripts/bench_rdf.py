"""Benchmark the RDF export and SPARQL engines on synthetic graphs; prints triples per second and peak memory.

    python scripts/bench_rdf.py                       # 100,000 papers to N-Triples and Turtle (streamed)
    python scripts/bench_rdf.py --papers 20000 --rdflib-papers 2000 --sparql-papers 2000

Each measurement runs in its own subprocess, so its peak RSS (``ru_maxrss``) is its own. Printed per run:
graph build seconds and RSS, export seconds, triples, triples per second, file size, peak RSS and how much the
export added to the RSS of the built graph. For comparison: the same kind of graph exported through an
in-memory rdflib graph (what JSON-LD and RDF/XML do); reading an N-Triples export back (kg import rdf); and
SPARQL on rdflib vs pyoxigraph (load + queries of the example catalogue).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from itertools import accumulate
from pathlib import Path
from typing import Any

import networkx as nx

WORDS = ("we propose a novel method for learning robust representations from unlabeled data and evaluate it on "
         "several benchmarks showing state-of-the-art results with fewer parameters than prior work naïve "
         "\"quoted\" baselines self-supervised contrastive transformer graph network training inference").split()


def _evidence(rng: random.Random, name: str) -> dict[str, Any]:
    start = rng.randrange(0, 400)
    return {"sentence": f"In this paper we use {name} for the task.", "start": start, "end": start + len(name),
            "rule": "kg_roles:synthetic", "confidence": round(rng.random(), 3), "section": "abstract",
            "mentions": 1}


def synthetic_graph(papers: int, seed: int = 0) -> nx.MultiDiGraph:
    """A graph shaped like a built one: entities with Zipf-like popularity, evidence, derived relationships."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    pools = {"Method": max(papers // 20, 10), "Dataset": max(papers // 50, 10), "Task": max(papers // 200, 5)}
    weights = {label: list(accumulate(1 / (i + 1) for i in range(n))) for label, n in pools.items()}
    for label, n in pools.items():
        for i in range(n):
            node = f"{label.lower()}:{label.lower()}{i}"
            G.add_node(node, label=label, id=node, name=f"{label} {i}", aliases=[f"{label[0]}{i}"] if i % 7 else [])
    owners = max(papers // 100, 5)

    def pick(label: str, k: int) -> list[str]:
        chosen = rng.choices(range(pools[label]), cum_weights=weights[label], k=k)
        return [f"{label.lower()}:{label.lower()}{i}" for i in dict.fromkeys(chosen)]

    for p in range(papers):
        paper = f"arxiv:2401.{p:06d}"
        G.add_node(paper, label="Paper", id=paper, title=" ".join(rng.choices(WORDS, k=8)).capitalize(),
                   abstract=" ".join(rng.choices(WORDS, k=70)), sources=[f"synthetic.jsonl:{p + 1}"],
                   url=None, date="2024-01-15", arxiv_id=f"2401.{p:06d}", doi=None,
                   authors=[f"Author {rng.randrange(50_000)}" for _ in range(3)])
        rels = [("PROPOSES", pick("Method", 1)), ("USES", pick("Method", 1)),
                ("EVALUATES_ON" if rng.random() > 0.05 else "INTRODUCES", pick("Dataset", 1)),
                ("ADDRESSES", pick("Task", 1))]
        for rel, targets in rels:
            for target in targets:
                G.add_edge(paper, target, key=rel, **_evidence(rng, G.nodes[target]["name"]))
        if rng.random() < 0.2:
            owner = f"github.com/owner{rng.randrange(owners)}"
            repo = f"{owner}/repo{p}"
            G.add_node(repo, label="Repository", id=repo, host="github.com", owner=owner.split("/")[1],
                       name=f"repo{p}", url=f"https://{repo}")
            if owner not in G:
                G.add_node(owner, label="Owner", id=owner, host="github.com", name=owner.split("/")[1])
            G.add_edge(repo, owner, key="OWNED_BY")
            G.add_edge(paper, repo, key="HAS_CODE", **_evidence(rng, repo))
        if rng.random() < 0.05:
            url = f"https://project{p}.github.io/"
            G.add_node(url, label="Link", id=url, url=url, kind="project-page")
            G.add_edge(paper, url, key="LINKS_TO", **_evidence(rng, url))
    support: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for paper, data in G.nodes(data=True):
        if data["label"] != "Paper":
            continue
        out: dict[str, list[str]] = defaultdict(list)
        for _, target, key in G.out_edges(paper, keys=True):
            out[key].append(target)
        for m in out["PROPOSES"] or out["USES"]:
            for d in out["EVALUATES_ON"] + out["INTRODUCES"]:
                support[(m, d, "EVALUATED_ON")].append(paper)
            for t in out["ADDRESSES"]:
                support[(m, t, "APPLIED_TO")].append(paper)
    for (m, x, key), ps in support.items():
        G.add_edge(m, x, key=key, papers=sorted(ps), weight=len(ps))
    return G


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child_export(fmt: str, papers: int, out: Path, via_rdflib: bool) -> dict[str, Any]:
    from kg.rdf.export import export_rdf, graph_to_rdflib

    started = time.perf_counter()
    G = synthetic_graph(papers)
    built, rss_built, peak_built = time.perf_counter() - started, _rss_mb(), _peak_mb()
    started = time.perf_counter()
    if via_rdflib:
        graph = graph_to_rdflib(G, "https://w3id.org/kg/")
        count = len(graph)
        out.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    else:
        count = export_rdf(G, out, fmt, "https://w3id.org/kg/").triples
    seconds = time.perf_counter() - started
    peak = _peak_mb()
    return {"run": f"{fmt}{' via rdflib graph' if via_rdflib else ' streamed'}", "papers": papers,
            "build_s": built, "graph_rss_mb": rss_built, "export_s": seconds, "triples": count,
            "triples_per_s": count / seconds, "file_mb": out.stat().st_size / 2**20, "peak_rss_mb": peak,
            "export_added_mb": max(0.0, peak - max(rss_built, peak_built))}


def child_sparql(papers: int, out: Path) -> list[dict[str, Any]]:
    from kg.rdf.examples import BY_NAME
    from kg.rdf.export import export_rdf
    from kg.rdf.sparql import SparqlFile

    export_rdf(synthetic_graph(papers), out, "nt", "https://w3id.org/kg/")
    # two_hop_neighbours is left out: on rdflib it takes minutes here (88 s once), on oxigraph 42 ms
    names = ["most_used_datasets", "methods_on_dataset", "tasks_by_papers", "evidence_for_method"]
    params = {"methods_on_dataset": {"dataset": "Dataset 0"}, "evidence_for_method": {"method": "Method 3"}}
    rows = []
    for engine in ("rdflib", "oxigraph"):
        started = time.perf_counter()
        store = SparqlFile(out, engine=engine)
        load = time.perf_counter() - started
        timings = {}
        for name in names:
            example = BY_NAME[name]
            started = time.perf_counter()
            result = store.query(example.sparql, params.get(name, example.params))
            timings[name] = (time.perf_counter() - started, len(result.rows))
        rows.append({"engine": engine, "papers": papers, "file_mb": out.stat().st_size / 2**20, "load_s": load,
                     "queries": timings, "peak_rss_mb": _peak_mb()})
    return rows


def child_import(papers: int, out: Path) -> dict[str, Any]:
    from kg.rdf.export import export_rdf
    from kg.rdf.importer import read_rdf

    G = synthetic_graph(papers)
    triples = export_rdf(G, out, "nt", "https://w3id.org/kg/").triples
    del G
    base = _peak_mb()
    started = time.perf_counter()
    H = read_rdf(out)
    seconds = time.perf_counter() - started
    return {"papers": papers, "triples": triples, "seconds": seconds, "triples_per_s": triples / seconds,
            "nodes": H.number_of_nodes(), "edges": H.number_of_edges(), "peak_rss_mb": _peak_mb(),
            "peak_before_mb": base}


def _run_child(args: list[str]) -> Any:
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"child {args} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=100_000, help="papers of the streamed exports")
    parser.add_argument("--rdflib-papers", type=int, default=1_000, help="papers of the in-memory rdflib export")
    parser.add_argument("--sparql-papers", type=int, default=2_000, help="papers of the SPARQL comparison")
    parser.add_argument("--import-papers", type=int, default=10_000, help="papers of the import (read back)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "export":
            fmt, papers, out, via = rest
            print(json.dumps(child_export(fmt, int(papers), Path(out), via == "rdflib")))
        elif kind == "import":
            papers, out = rest
            print(json.dumps(child_import(int(papers), Path(out))))
        else:
            papers, out = rest
            print(json.dumps(child_sparql(int(papers), Path(out))))
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-rdf-") as tmp:
        runs = [("nt", args.papers, "stream"), ("turtle", args.papers, "stream"),
                ("turtle", args.rdflib_papers, "rdflib")]
        print(f"{'run':<26}{'papers':>8}{'build s':>9}{'graph MB':>10}{'export s':>10}{'triples':>12}"
              f"{'triples/s':>11}{'file MB':>9}{'peak MB':>9}{'added MB':>10}")
        for fmt, papers, via in runs:
            out = Path(tmp) / f"graph-{papers}.{fmt}"
            r = _run_child(["export", fmt, str(papers), str(out), via])
            print(f"{r['run']:<26}{r['papers']:>8}{r['build_s']:>9.1f}{r['graph_rss_mb']:>10.0f}{r['export_s']:>10.1f}"
                  f"{r['triples']:>12,}{r['triples_per_s']:>11,.0f}{r['file_mb']:>9.0f}{r['peak_rss_mb']:>9.0f}"
                  f"{r['export_added_mb']:>10.0f}", flush=True)
            out.unlink(missing_ok=True)
        print()
        r = _run_child(["import", str(args.import_papers), str(Path(tmp) / "import.nt")])
        print(f"kg import rdf: {r['papers']} papers, {r['triples']:,} N-Triples read back in {r['seconds']:.1f} s "
              f"({r['triples_per_s']:,.0f} triples/s) into {r['nodes']:,} nodes and {r['edges']:,} relationships; "
              f"peak {r['peak_rss_mb']:.0f} MB (the export before it: {r['peak_before_mb']:.0f} MB)", flush=True)
        for row in _run_child(["sparql", str(args.sparql_papers), str(Path(tmp) / "sparql.nt")]):
            queries = ", ".join(f"{name} {s * 1000:.0f} ms ({n} rows)" for name, (s, n) in row["queries"].items())
            print(f"SPARQL {row['engine']:<9} {row['papers']} papers ({row['file_mb']:.0f} MB N-Triples): "
                  f"load {row['load_s']:.2f} s; {queries}; peak {row['peak_rss_mb']:.0f} MB", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
