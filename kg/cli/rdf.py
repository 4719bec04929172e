"""``kg export rdf``, ``kg import rdf`` and ``kg sparql``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.app import app, err, export_app, kg_command
from kg.cli.query import OutputFormat, parse_params, print_result

import_app = typer.Typer(help="Read a graph back from files kg exported.", no_args_is_help=True)
app.add_typer(import_app, name="import")

_RDF_FORMATS = "turtle, nt, jsonld or xml"


@export_app.command("rdf")
@kg_command
def export_rdf(
    graph_dir: Annotated[Path, typer.Argument(help="A folder written by kg build.")],
    out_file: Annotated[Path, typer.Option("--out", "-o", help="The RDF file to write.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"{_RDF_FORMATS} (N-Triples and Turtle are "
                                                           "streamed).")] = "turtle",
    base_iri: Annotated[str | None, typer.Option("--base-iri", help="Base of the node IRIs (default: "
                                                                     "KG_BASE_IRI or https://w3id.org/kg/).")] = None,
) -> None:
    """Export a built graph as RDF in the kg ontology (schema/kg.ttl), evidence as PROV qualified statements."""
    from kg.graph.io import load_graph
    from kg.rdf.export import export_rdf as run_export

    report = run_export(load_graph(graph_dir), out_file, fmt, base_iri)
    err.print(f"wrote {report.triples} triples to {report.path} ({report.format}) in {report.seconds:.1f}s",
              highlight=False)


@import_app.command("rdf")
@kg_command
def import_rdf(
    rdf_file: Annotated[Path, typer.Argument(help="An RDF file written by kg export rdf.")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the graph into (graph.json).")],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help=f"{_RDF_FORMATS} (default: from the file "
                                                                   "name).")] = None,
) -> None:
    """Read kg's own RDF back into a graph folder: the same nodes, relationships and properties."""
    from kg.graph.io import graph_counts, save_graph
    from kg.rdf.importer import read_rdf

    G = read_rdf(rdf_file, fmt)
    save_graph(G, out_dir, inputs=[str(rdf_file)], extra={"imported_from": "rdf"})
    counts = graph_counts(G)
    err.print(f"read {sum(counts['nodes'].values())} nodes and {sum(counts['relationships'].values())} "
              f"relationships from {rdf_file} into {out_dir}", highlight=False)


@app.command()
@kg_command
def sparql(
    rdf_file: Annotated[Path, typer.Argument(help="An RDF file (kg export rdf).")],
    query: Annotated[str, typer.Argument(metavar="QUERY", help="The SPARQL query; '-' reads it from stdin.")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="Bind ?name to a value: name=value "
                                                    "(JSON when it parses, else text); repeat for more.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="table, json or csv.")] = OutputFormat.TABLE,
    engine: Annotated[str | None, typer.Option("--engine", help="rdflib, oxigraph or auto (default: "
                                                                "KG_SPARQL_ENGINE or auto: oxigraph for "
                                                                "large files).")] = None,
    rdf_format: Annotated[str | None, typer.Option("--rdf-format", help=f"The file's format, {_RDF_FORMATS} "
                                                                        "(default: from its name).")] = None,
) -> None:
    """Run a SPARQL query over an RDF export; kg's prefixes (kg:, dcterms:, prov:, skos:, ...) are predefined."""
    from kg.rdf.sparql import run_sparql

    text = sys.stdin.read() if query == "-" else query
    print_result(run_sparql(rdf_file, text, parse_params(param), engine=engine, fmt=rdf_format), fmt)
