"""``kg load neo4j`` and ``kg export neo4j-csv``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.cli.app import err, export_app, kg_command, load_app, out
from kg.graph.io import load_graph
from kg.settings import get_settings

GraphDir = Annotated[Path, typer.Argument(help="A folder written by kg build.")]


def _summary_table(summary) -> Table:  # type: ignore[no-untyped-def]
    table = Table(title=f"kg load neo4j: {summary.uri} ({summary.server.dialect})", show_edge=False)
    for column in ("kind", "name", "sent", "created", "updated", "unchanged"):
        table.add_column(column, justify="left" if column in ("kind", "name") else "right")
    for kind, tallies in (("node", summary.nodes), ("relationship", summary.relationships)):
        for name, t in tallies.items():
            table.add_row(kind, name, str(t.sent), str(t.created), str(t.updated),
                          str(t.unchanged) + (f" ({t.missing} missing an endpoint)" if t.missing else ""))
    return table


@load_app.command("neo4j")
@kg_command
def load_neo4j(
    graph_dir: GraphDir,
    uri: Annotated[str | None, typer.Option("--uri", help="Bolt URI (default: KG_NEO4J_URI or "
                                                           "bolt://localhost:7687).")] = None,
    user: Annotated[str | None, typer.Option("--user", help="User (default: KG_NEO4J_USER or neo4j); '' for a "
                                                             "server without authentication.")] = None,
    password: Annotated[str | None, typer.Option("--password", help="Password (default: KG_NEO4J_PASSWORD); "
                                                                     "never printed.", show_default=False)] = None,
    database: Annotated[str | None, typer.Option("--database", help="Database (default: KG_NEO4J_DATABASE or "
                                                                     "the server's default).")] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", help="Most rows per UNWIND batch (default: "
                                                                         "KG_NEO4J_BATCH_SIZE or 1000).")] = None,
    max_batch_bytes: Annotated[int | None, typer.Option(
        "--max-batch-bytes", help="Most bytes of JSON-encoded parameters per batch (default: "
                                  "KG_NEO4J_MAX_BATCH_BYTES or 1000000; under 4000 for FalkorDB).")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Delete every node with one of kg's labels (and "
                                                             "their relationships) first.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Merge a built graph into Neo4j: keys first, then nodes and relationships in batches; safe to repeat."""
    from kg.graph.io import graph_counts
    from kg.stores.neo4j import load_graph_into_neo4j

    G = load_graph(graph_dir)
    counts = graph_counts(G)
    total = sum(counts["nodes"].values()) + sum(counts["relationships"].values())
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("loading", total=total)

        def progress(what: str, rows: int) -> None:
            bar.update(task, advance=rows, description=f"loading {what}")

        summary = load_graph_into_neo4j(G, uri=uri, user=user, password=password, database=database,
                                        batch_size=batch_size, max_batch_bytes=max_batch_bytes, replace=replace,
                                        progress=progress, settings=get_settings())
    if as_json:
        data = summary.model_dump(mode="json")
        data["rows_per_second"] = {k: summary.rows_per_second(k) for k in ("nodes", "relationships")}
        out.print(json.dumps(data), highlight=False, markup=False)
    else:
        out.print(_summary_table(summary))
    if summary.replaced:
        err.print(f"deleted {summary.replaced} kg nodes first (--replace)", highlight=False, markup=False)
    err.print(summary.text(), highlight=False, markup=False)
    err.print(f"loaded {graph_dir} into {summary.uri} in {summary.seconds:.1f}s", highlight=False, markup=False)


@export_app.command("neo4j-csv")
@kg_command
def export_neo4j_csv_command(
    graph_dir: GraphDir,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for the CSV files, import.sh and "
                                                              "schema.cypher.")],
) -> None:
    """Write CSV files for neo4j-admin database import full (the fastest first load) and the command to run."""
    from kg.stores.neo4j_csv import export_neo4j_csv

    report = export_neo4j_csv(load_graph(graph_dir), out_dir)
    table = Table(title=f"kg export neo4j-csv: {out_dir}", show_edge=False)
    table.add_column("file")
    table.add_column("rows", justify="right")
    for label, n in report.nodes.items():
        table.add_row(f"nodes_{label}.csv", str(n))
    for rel, n in report.relationships.items():
        table.add_row(f"rels_{rel}.csv", str(n))
    out.print(table)
    err.print(f"import command (also in {Path(out_dir) / 'import.sh'}):\n{report.command}",
              highlight=False, markup=False)
