"""``kg extract``, ``kg build`` and ``kg stats``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.cli.app import app, err, kg_command, out
from kg.errors import E, InputError
from kg.graph.io import graph_counts, load_graph, load_manifest
from kg.io.readers import FORMATS, Problem, ReadReport
from kg.pipeline import parse_mapping, run_build, run_extract

Inputs = Annotated[list[str], typer.Argument(help="Files or folders of abstracts; '-' reads stdin.")]
FormatOpt = Annotated[str | None, typer.Option("--format", "-f", help=f"Input format: {', '.join(FORMATS)}.")]
MapOpt = Annotated[list[str] | None,
                   typer.Option("--map", help="Field name mapping ours=theirs, e.g. abstract=summary.")]
PatternsOpt = Annotated[list[Path] | None, typer.Option("--patterns", help="Extra gazetteer JSONL (label, pattern).")]
ModelOpt = Annotated[str | None, typer.Option("--model", help="A trained spaCy pipeline to use instead of blank 'en'.")]
BatchOpt = Annotated[int, typer.Option("--batch-size", help="Abstracts per nlp.pipe batch.")]
ProcOpt = Annotated[int, typer.Option("--n-process", help="Processes for extraction.")]
CorpusOpt = Annotated[bool, typer.Option("--corpus-pass/--no-corpus-pass",
                                         help="Harmonise entity types across the corpus (second pass).")]
_MAX_SHOWN = 20


def _reporter() -> ReadReport:
    shown = {"n": 0}

    def show(problem: Problem) -> None:
        shown["n"] += 1
        if shown["n"] <= _MAX_SHOWN:
            err.print(f"[yellow]warning:[/yellow] {problem.message}", highlight=False)
        elif shown["n"] == _MAX_SHOWN + 1:
            err.print("[yellow]warning:[/yellow] more problems; see the summary below.", highlight=False)

    return ReadReport(on_problem=show)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True, disable=not err.is_terminal)


def _finish_read(report: ReadReport, inputs: list[str]) -> None:
    err.print(report.summary(), highlight=False)
    if report.total_read == 0:
        raise InputError(E.E008.format(path=", ".join(inputs)))


def counts_table(counts: dict[str, dict[str, int]]) -> Table:
    table = Table(title="kg graph", show_edge=False)
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    for name, n in counts["nodes"].items():
        table.add_row("node", name, str(n))
    for name, n in counts["relationships"].items():
        table.add_row("relationship", name, str(n))
    return table


@app.command()
@kg_command
def extract(
    inputs: Inputs,
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL file to write, one record per paper.")],
    fmt: FormatOpt = None,
    map_: MapOpt = None,
    patterns: PatternsOpt = None,
    model: ModelOpt = None,
    corpus_pass: CorpusOpt = True,
    batch_size: BatchOpt = 256,
    n_process: ProcOpt = 1,
) -> None:
    """Extract methods, datasets, tasks, repositories and links per paper (the format score.py reads)."""
    report = _reporter()
    with _progress() as bar:
        task = bar.add_task("extracting", total=None)
        result = run_extract(inputs, output, fmt=fmt, mapping=parse_mapping(map_), patterns=patterns or (),
                             model=model, corpus_pass=corpus_pass, batch_size=batch_size, n_process=n_process,
                             report=report, progress=lambda n: bar.advance(task, n))
    _finish_read(report, inputs)
    err.print(f"wrote {result.papers} papers to {output} ({result.duplicates} duplicates merged) "
              f"in {result.seconds:.1f}s", highlight=False)


@app.command()
@kg_command
def build(
    inputs: Inputs,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the graph into.")],
    fmt: FormatOpt = None,
    map_: MapOpt = None,
    patterns: PatternsOpt = None,
    model: ModelOpt = None,
    corpus_pass: CorpusOpt = True,
    batch_size: BatchOpt = 256,
    n_process: ProcOpt = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
    database: Annotated[bool, typer.Option("--db/--no-db", help="Also write the embedded Cypher database "
                                                                "(graph.lbdb) for kg query / kg shell.")] = True,
    append: Annotated[bool, typer.Option("--append", help="Add to the graph already in the folder (nothing is "
                                                          "duplicated) instead of replacing it.")] = False,
) -> None:
    """Build the knowledge graph of INPUTS into a folder; print counts per label and relationship type."""
    report = _reporter()
    with _progress() as bar:
        task = bar.add_task("building", total=None)
        result = run_build(inputs, out_dir, fmt=fmt, mapping=parse_mapping(map_), patterns=patterns or (),
                           model=model, corpus_pass=corpus_pass, batch_size=batch_size, n_process=n_process,
                           report=report, progress=lambda n: bar.advance(task, n), database=database,
                           append=append)
    _finish_read(report, inputs)
    if "database" in result.extra:
        err.print(result.extra["database"].summary(), highlight=False)
    if as_json:
        out.print_json(data=result.counts)
    else:
        out.print(counts_table(result.counts))
    err.print(f"built {result.papers} papers into {out_dir} in {result.seconds:.1f}s", highlight=False)


@app.command()
@kg_command
def stats(
    graph_dir: Annotated[Path, typer.Argument(help="A folder written by kg build.")],
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Counts per node label and relationship type of a built graph."""
    try:
        counts = load_manifest(graph_dir)["counts"]
    except Exception:  # fall back to counting the graph itself
        counts = graph_counts(load_graph(graph_dir))
    if fmt == "json":
        out.print(json.dumps(counts), highlight=False)
    else:
        out.print(counts_table(counts))
