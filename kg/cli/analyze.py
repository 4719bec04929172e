"""``kg analyze`` (report: Markdown, JSON, PNG charts) and ``kg viz`` (interactive HTML neighbourhood)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.app import app, err, kg_command, out
from kg.graph.io import load_graph

GraphDir = Annotated[Path, typer.Argument(help="A folder written by kg build.")]


@app.command()
@kg_command
def analyze(
    graph_dir: GraphDir,
    out_dir: Annotated[Path | None, typer.Option("--out", "-o", help="Report folder (default: GRAPH_DIR/report).")]
    = None,
    top: Annotated[int | None, typer.Option("--top", help="Rows per ranking (default: KG_REPORT_TOP or 15).")] = None,
    charts: Annotated[bool, typer.Option("--charts/--no-charts", help="Draw the PNG charts.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole report as JSON instead of a summary.")]
    = False,
) -> None:
    """Write a report of the graph (report.md, report.json, PNG charts) and print its summary."""
    from kg.report import summary_text, write_report

    G = load_graph(graph_dir)
    target = out_dir if out_dir is not None else Path(graph_dir) / "report"
    files = write_report(G, target, top=top, charts=charts, graph=str(graph_dir))
    if as_json:
        out.print(json.dumps(files.report, ensure_ascii=False), highlight=False, soft_wrap=True)
    else:
        out.print(summary_text(files.report), highlight=False, markup=False)
    written = [files.markdown, files.json, *files.charts]
    err.print(f"wrote {len(written)} files to {target}: {', '.join(p.name for p in written)}", highlight=False)


@app.command()
@kg_command
def viz(
    graph_dir: GraphDir,
    focus: Annotated[str, typer.Option("--focus", "-f", help="Name, alias or id of a Method, Dataset, Task or "
                                                             "Repository (case is ignored).")],
    out_file: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path("view.html"),
    hops: Annotated[int, typer.Option("--hops", help="Steps from the focus (through papers).")] = 2,
    max_nodes: Annotated[int | None, typer.Option("--max-nodes", help="Most nodes drawn (default: "
                                                                       "KG_VIZ_MAX_NODES or 250).")] = None,
    label: Annotated[str | None, typer.Option("--label", help="Only look the focus up among this label.")] = None,
    derived: Annotated[bool, typer.Option("--derived/--no-derived", help="Also walk and draw the derived "
                                                                         "EVALUATED_ON / APPLIED_TO edges.")] = False,
) -> None:
    """Write an interactive, self-contained HTML view of the neighbourhood of one entity."""
    from kg.viz import write_view

    G = load_graph(graph_dir)
    view = write_view(G, focus, out_file, hops=hops, max_nodes=max_nodes, label=label, derived=derived)
    out.print(f"{out_file}: {view.nodes} nodes, {view.edges} relationships around {view.focus}", highlight=False,
              markup=False)
