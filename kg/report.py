"""The analysis report of ``kg analyze``: a JSON-ready dict, its Markdown, and PNG charts (matplotlib, Agg).

>>> from kg.analysis import example_graph
>>> report = build_report(example_graph(), top=3)
>>> [row["name"] for row in report["top"]["datasets"]], report["code_share"]
(['ImageNet', 'CIFAR-10', 'GLUE'], 0.5)
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from kg.analysis import (
    ENTITY_LABELS,
    betweenness,
    code_share,
    code_share_by_task,
    communities,
    components,
    display_name,
    entity_graph,
    method_cousage_graph,
    nodes_with_label,
    pagerank,
    paper_counts,
    rank_datasets,
    rank_methods,
    rank_owners,
    rank_tasks,
)
from kg.errors import E, GraphError
from kg.graph.io import atomic_write, graph_counts
from kg.models import NodeLabel
from kg.settings import get_settings

__all__ = ["CHARTS", "ReportFiles", "build_report", "render_markdown", "summary_text", "write_charts",
           "write_report"]

REPORT_JSON = "report.json"
REPORT_MD = "report.md"
#: chart file -> what it shows
CHARTS = {
    "top_methods.png": "Top methods by papers (proposed / used)",
    "top_datasets.png": "Top datasets by papers (introduced / evaluated on)",
    "degree_distribution.png": "Papers per entity (degree distribution, log-log)",
    "community_sizes.png": "Sizes of the method co-usage communities (Louvain)",
    "code_share_by_task.png": "Share of papers with code, for the tasks with most papers",
}


def _rows(G: nx.MultiDiGraph, ranked: list[tuple[str, float]], key: str = "papers") -> list[dict[str, Any]]:
    return [{"id": n, "name": display_name(G, n), key: v} for n, v in ranked]


def _scored(G: nx.MultiDiGraph, ranked: list[tuple[str, float]]) -> list[dict[str, Any]]:
    return [{"id": n, "name": display_name(G, n), "label": G.nodes[n]["label"], "score": round(s, 6)}
            for n, s in ranked]


def _with_roles(G: nx.MultiDiGraph, ranked: list[tuple[str, int]], roles: dict[str, dict[str, int]]) -> list[dict]:
    rows = _rows(G, ranked)
    for row in rows:
        for role, counts in roles.items():
            row[role] = counts.get(row["id"], 0)
    return rows


def build_report(G: nx.MultiDiGraph, top: int | None = None, seed: int | None = None,
                 betweenness_k: int | str | None = "default", graph: str | None = None) -> dict[str, Any]:
    """Answers to the usual questions about a graph, as a JSON-ready dict.

    Rankings (all / by role), owners, code share (overall and per task), communities of the method
    co-usage graph, PageRank and betweenness of methods and datasets, connected components, and the
    papers-per-entity distribution. ``top`` rows per ranking (setting ``report_top``);
    ``betweenness_k`` sampled sources (setting ``betweenness_k``; ``None`` = exact).
    """
    settings = get_settings()
    top = settings.report_top if top is None else top
    seed = settings.analysis_seed if seed is None else seed
    k = settings.betweenness_k if betweenness_k == "default" else betweenness_k
    if not nodes_with_label(G, NodeLabel.PAPER):
        raise GraphError(E.E128.format(labels="Paper", what="analyse"))
    method_roles = {"proposed": rank_methods(G, "proposed"), "used": rank_methods(G, "used")}
    dataset_roles = {"introduced": rank_datasets(G, "introduced"), "used": rank_datasets(G, "used")}
    method_counts = {role: dict(r) for role, r in method_roles.items()}
    dataset_counts = {role: dict(r) for role, r in dataset_roles.items()}

    H = method_cousage_graph(G)
    found = communities(H, seed=seed, min_size=2)
    comm_rows = []
    for members in found:
        best = sorted(members, key=lambda n: (-H.degree(n, weight="weight"), display_name(H, n).casefold()))
        comm_rows.append({"size": len(members), "top_members": [display_name(H, n) for n in best[:6]]})

    U = entity_graph(G)
    comps = components(U)
    degrees: dict[str, dict[str, int]] = {}
    for label in ENTITY_LABELS:
        hist = Counter(paper_counts(G, label).values())
        degrees[label.value] = {str(d): hist[d] for d in sorted(hist)}

    tasks_share = code_share_by_task(G)[:top]
    return {
        "graph": graph,
        "counts": graph_counts(G),
        "code_share": round(code_share(G), 6),
        "top": {
            "methods": _with_roles(G, rank_methods(G, top=top), method_counts),
            "methods_proposed": _rows(G, method_roles["proposed"][:top]),
            "methods_used": _rows(G, method_roles["used"][:top]),
            "datasets": _with_roles(G, rank_datasets(G, top=top), dataset_counts),
            "datasets_introduced": _rows(G, dataset_roles["introduced"][:top]),
            "datasets_used": _rows(G, dataset_roles["used"][:top]),
            "tasks": _rows(G, rank_tasks(G, top=top)),
            "owners": _rows(G, rank_owners(G, top=top), key="repositories"),
        },
        "code_share_by_task": [{"id": r.task, "name": display_name(G, r.task), "papers": r.papers,
                                "with_code": r.with_code, "share": round(r.share, 6)} for r in tasks_share],
        "communities": {
            "graph": "method co-usage (methods joined by papers that propose or use both)",
            "nodes": H.number_of_nodes(), "edges": H.number_of_edges(), "count": len(found),
            "isolated_methods": sum(1 for n in H if H.degree(n) == 0),
            "sizes": [len(c) for c in found], "largest": comm_rows[:top],
        },
        "centrality": {
            "pagerank": _scored(G, pagerank(G, top=top)),
            "betweenness": _scored(G, betweenness(G, top=top, k=k, seed=seed)),
            "betweenness_sampled_sources": k if k is not None and k < U.number_of_nodes() else None,
        },
        "components": {"graph": "papers, methods, datasets and tasks", "count": len(comps),
                       "largest": len(comps[0]) if comps else 0, "sizes": [len(c) for c in comps[:top]],
                       "singletons": sum(1 for c in comps if len(c) == 1)},
        "papers_per_entity": degrees,
    }


# --------------------------------------------------------------------------- text


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    def cell(v: Any) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return lines


def render_markdown(report: dict[str, Any], charts: list[str] | None = None) -> str:
    """The report as Markdown; ``charts`` (file names beside the Markdown) are embedded as images.

    >>> from kg.analysis import example_graph
    >>> md = render_markdown(build_report(example_graph(), top=2))
    >>> md.splitlines()[0], "| ImageNet | 5 | 0 | 5 |" in md
    ('# kg graph report', True)
    """
    counts = report["counts"]
    top = report["top"]
    out = ["# kg graph report", ""]
    if report.get("graph"):
        out += [f"Graph: `{report['graph']}`", ""]
    out += ["## Size", ""]
    out += [*_table(["node label", "count"], [[k, v] for k, v in counts["nodes"].items()]), ""]
    out += [*_table(["relationship", "count"], [[k, v] for k, v in counts["relationships"].items()]), ""]
    out += ["## Top methods", ""]
    rows = [[r["name"], r["papers"], r["proposed"], r["used"]] for r in top["methods"]]
    out += [*_table(["method", "papers", "proposed", "used"], rows), ""]
    out += ["## Top datasets", ""]
    rows = [[r["name"], r["papers"], r["introduced"], r["used"]] for r in top["datasets"]]
    out += [*_table(["dataset", "papers", "introduced", "evaluated on"], rows), ""]
    out += ["## Top tasks", ""]
    out += [*_table(["task", "papers"], [[r["name"], r["papers"]] for r in top["tasks"]]), ""]
    out += ["## Code", "", f"Papers with a code repository: {report['code_share']:.1%}.", ""]
    out += [*_table(["owner", "repositories"], [[r["name"], r["repositories"]] for r in top["owners"]]), ""]
    rows = [[r["name"], r["papers"], r["with_code"], f"{r['share']:.0%}"] for r in report["code_share_by_task"]]
    out += [*_table(["task", "papers", "with code", "share"], rows), ""]
    comm = report["communities"]
    out += ["## Communities", "",
            f"The {comm['graph']} has {comm['nodes']} methods and {comm['edges']} edges; Louvain finds "
            f"{comm['count']} communities of two or more methods ({comm['isolated_methods']} methods share no "
            f"paper with another).", ""]
    rows = [[r["size"], ", ".join(r["top_members"])] for r in comm["largest"]]
    out += [*_table(["size", "most connected members"], rows), ""]
    cen = report["centrality"]
    sampled = cen.get("betweenness_sampled_sources")
    out += ["## Central methods and datasets", "",
            "On the graph of papers, methods, datasets and tasks"
            + (f" (betweenness sampled from {sampled} sources)." if sampled else "."), ""]
    rows = [[p["name"], p["label"], f"{p['score']:.4f}", b["name"], b["label"], f"{b['score']:.4f}"]
            for p, b in zip(cen["pagerank"], cen["betweenness"], strict=False)]
    out += [*_table(["PageRank", "label", "score", "betweenness", "label", "score"], rows), ""]
    comp = report["components"]
    out += ["## Components", "",
            f"{comp['count']} connected components of {comp['graph']}; the largest has {comp['largest']} nodes, "
            f"{comp['singletons']} are single nodes. Sizes: {', '.join(map(str, comp['sizes']))}.", ""]
    if charts:
        out += ["## Charts", ""]
        for name in charts:
            out += [f"![{CHARTS.get(name, name)}]({name})", ""]
    return "\n".join(out).rstrip() + "\n"


def summary_text(report: dict[str, Any], n: int = 5) -> str:
    """A few lines for the terminal.

    >>> from kg.analysis import example_graph
    >>> print(summary_text(build_report(example_graph()), n=2).splitlines()[1])
    top methods: ResNet (3), SimCLR (2)
    """
    nodes = report["counts"]["nodes"]
    top = report["top"]

    def names(rows: list[dict], key: str) -> str:
        return ", ".join(f"{r['name']} ({r[key]})" for r in rows[:n]) or "-"

    comm = report["communities"]
    return "\n".join([
        f"{nodes['Paper']} papers, {nodes['Method']} methods, {nodes['Dataset']} datasets, {nodes['Task']} tasks, "
        f"{nodes['Repository']} repositories",
        f"top methods: {names(top['methods'], 'papers')}",
        f"top datasets: {names(top['datasets'], 'papers')}",
        f"top tasks: {names(top['tasks'], 'papers')}",
        f"papers with code: {report['code_share']:.1%}; top owners: {names(top['owners'], 'repositories')}",
        f"method communities: {comm['count']} (sizes {', '.join(map(str, comm['sizes'][:n])) or '-'})",
        f"most central (PageRank): {', '.join(r['name'] for r in report['centrality']['pagerank'][:n]) or '-'}",
        f"components: {report['components']['count']} (largest {report['components']['largest']} nodes)",
    ])


# --------------------------------------------------------------------------- charts


def _figure(width: float = 8.0, height: float = 5.0):  # type: ignore[no-untyped-def]
    try:
        import matplotlib
    except ImportError as error:  # pragma: no cover - the viz extra is missing
        raise GraphError(E.E126.format(what="Charts", package="matplotlib", why=error)) from error
    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _save(fig: Any, path: Path) -> None:
    with atomic_write(path, "wb") as handle:
        fig.savefig(handle, format="png")


def _stacked_bars(path: Path, rows: list[dict], parts: list[tuple[str, str]], title: str, xlabel: str) -> None:
    fig = _figure(8, max(3.0, 0.35 * len(rows) + 1.5))
    ax = fig.add_subplot()
    names = [r["name"] if len(r["name"]) <= 40 else r["name"][:38] + "…" for r in rows][::-1]
    left = [0] * len(rows)
    for key, legend in parts:
        values = [r[key] for r in rows][::-1]
        ax.barh(names, values, left=left, label=legend)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    if rows:
        ax.legend(loc="lower right")
    _save(fig, path)


def write_charts(G: nx.MultiDiGraph, report: dict[str, Any], out_dir: str | Path) -> list[Path]:
    """Write the PNG charts of :data:`CHARTS` into ``out_dir``; returns their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    top = report["top"]
    paths = []

    path = out / "top_methods.png"
    _stacked_bars(path, top["methods"], [("proposed", "proposed"), ("used", "used")],
                  "Top methods by papers", "papers")
    paths.append(path)

    path = out / "top_datasets.png"
    _stacked_bars(path, top["datasets"], [("introduced", "introduced"), ("used", "evaluated on")],
                  "Top datasets by papers", "papers")
    paths.append(path)

    fig = _figure(7, 5)
    ax = fig.add_subplot()
    for label, hist in report["papers_per_entity"].items():
        if hist:
            ax.scatter([int(d) for d in hist], list(hist.values()), label=label, alpha=0.75)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("papers per entity (degree)")
    ax.set_ylabel("entities")
    ax.set_title("Degree distribution of methods, datasets and tasks")
    ax.legend()
    path = out / "degree_distribution.png"
    _save(fig, path)
    paths.append(path)

    fig = _figure(8, 4.5)
    ax = fig.add_subplot()
    sizes = report["communities"]["sizes"][:40]
    ax.bar(range(1, len(sizes) + 1), sizes, color="tab:purple")
    ax.set_xlabel("community (largest first)")
    ax.set_ylabel("methods")
    ax.set_title(f"Method co-usage communities ({report['communities']['count']} with 2+ methods)")
    path = out / "community_sizes.png"
    _save(fig, path)
    paths.append(path)

    fig = _figure(8, max(3.0, 0.35 * len(report["code_share_by_task"]) + 1.5))
    ax = fig.add_subplot()
    rows = report["code_share_by_task"][::-1]
    ax.barh([f"{r['name'][:38]} ({r['papers']})" for r in rows], [100 * r["share"] for r in rows], color="tab:green")
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of the task's papers with a code repository")
    ax.set_title("Code share per task (papers in brackets)")
    path = out / "code_share_by_task.png"
    _save(fig, path)
    paths.append(path)
    return paths


@dataclass
class ReportFiles:
    """What :func:`write_report` wrote."""

    report: dict[str, Any]
    json: Path
    markdown: Path
    charts: list[Path] = field(default_factory=list)


def write_report(G: nx.MultiDiGraph, out_dir: str | Path, top: int | None = None, charts: bool = True,
                 graph: str | None = None, **options: Any) -> ReportFiles:
    """Build the report and write ``report.json``, ``report.md`` and the charts into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = build_report(G, top=top, graph=graph, **options)
    chart_paths = write_charts(G, report, out) if charts else []
    with atomic_write(out / REPORT_JSON) as handle:
        json.dump(report, handle, ensure_ascii=False, indent=2)
    with atomic_write(out / REPORT_MD) as handle:
        handle.write(render_markdown(report, [p.name for p in chart_paths]))
    return ReportFiles(report, out / REPORT_JSON, out / REPORT_MD, chart_paths)
