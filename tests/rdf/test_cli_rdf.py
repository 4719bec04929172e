"""kg export rdf, kg import rdf and kg sparql through typer's CliRunner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from typer.testing import CliRunner

import kg.cli  # noqa: F401  (registers every command)
from kg.cli.app import app
from kg.graph.io import load_graph, save_graph

runner = CliRunner()
BASE = "https://example.org/kg/"


@pytest.fixture
def graph_dir(small: nx.MultiDiGraph, tmp_path: Path) -> Path:
    return save_graph(small, tmp_path / "graph")


@pytest.mark.parametrize(("fmt", "suffix", "rdflib_format"),
                         [("turtle", "ttl", "turtle"), ("nt", "nt", "nt"), ("jsonld", "jsonld", "json-ld"),
                          ("xml", "rdf", "xml")])
def test_export_rdf_writes_each_format(graph_dir: Path, tmp_path: Path, data_dir: Path, fmt: str, suffix: str,
                                       rdflib_format: str) -> None:
    out = tmp_path / f"graph.{suffix}"
    result = runner.invoke(app, ["export", "rdf", str(graph_dir), "--format", fmt, "--out", str(out),
                                 "--base-iri", BASE])
    assert result.exit_code == 0, result.output
    assert "wrote 123 triples" in result.output
    expected = Graph().parse(str(data_dir / "expected_small.ttl"), format="turtle")
    assert isomorphic(Graph().parse(str(out), format=rdflib_format), expected)


def test_export_then_import_is_the_same_graph(graph_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    assert runner.invoke(app, ["export", "rdf", str(graph_dir), "--out", str(out)]).exit_code == 0
    result = runner.invoke(app, ["import", "rdf", str(out), "--out", str(tmp_path / "back")])
    assert result.exit_code == 0, result.output
    assert "read 7 nodes and 8 relationships" in result.output
    a, b = load_graph(graph_dir), load_graph(tmp_path / "back")
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True)) == sorted(b.edges(keys=True, data=True))


def test_sparql_prints_json_csv_and_tables(graph_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.nt"
    runner.invoke(app, ["export", "rdf", str(graph_dir), "--format", "nt", "--out", str(out)])
    query = "SELECT ?name ?start WHERE { ?e rdf:predicate kg:proposes ; rdf:object ?m ; kg:start ?start . ?m skos:prefLabel ?name }"
    for engine in ("rdflib", "oxigraph"):
        result = runner.invoke(app, ["sparql", str(out), query, "--format", "json", "--engine", engine])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == [{"name": "SimCLR", "start": 11}]
    result = runner.invoke(app, ["sparql", str(out), "SELECT ?t WHERE { ?p dcterms:title ?t FILTER(?t = ?want) }",
                                 "--param", "want=A Simple Framework", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(result.stdout))) == [["t"], ["A Simple Framework"]]
    result = runner.invoke(app, ["sparql", str(out), "-"], input="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert result.exit_code == 0, result.output
    assert "123" in result.stdout and "1 row" in result.output


def test_errors_are_messages_and_exit_status_1(graph_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.nt"
    result = runner.invoke(app, ["export", "rdf", str(graph_dir), "--out", str(out), "--base-iri", "nope"])
    assert result.exit_code == 1 and "is not a base IRI" in result.output
    result = runner.invoke(app, ["export", "rdf", str(graph_dir), "--out", str(out), "--format", "n3"])
    assert result.exit_code == 1 and "Unknown format 'n3'" in result.output
    runner.invoke(app, ["export", "rdf", str(graph_dir), "--out", str(out), "--format", "nt"])
    result = runner.invoke(app, ["sparql", str(out), "SELECT WHERE"])
    assert result.exit_code == 1 and "SPARQL query failed" in result.output
    result = runner.invoke(app, ["sparql", str(tmp_path / "none.nt"), "ASK {}"])
    assert result.exit_code == 1 and "not found" in result.output
    result = runner.invoke(app, ["sparql", str(out), "ASK {}", "--param", "oops"])
    assert result.exit_code == 1 and "is not a parameter" in result.output
    result = runner.invoke(app, ["import", "rdf", str(tmp_path / "x.txt"), "--out", str(tmp_path / "b")])
    assert result.exit_code == 1 and "cannot tell the RDF format" in result.output
