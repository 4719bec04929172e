"""kg reads its own RDF back: export -> import is the same graph; RDF that is not kg's gives clear errors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.errors import GraphError, InputError
from kg.graph.io import load_graph, node_rows, relationship_rows, save_graph
from kg.models import NodeLabel, RelType
from kg.rdf.export import FORMATS, export_rdf, graph_to_rdflib
from kg.rdf.importer import graph_from_rdflib, read_rdf
from kg.rdf.namespace import KG

BASE = "https://example.org/kg/"


def same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    """Same nodes with the same properties, same edges (type included) with the same properties."""
    def nodes(G: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
        return {n: {k: v for k, v in d.items() if k != "id"} for n, d in G.nodes(data=True)}

    def edges(G: nx.MultiDiGraph) -> list[tuple[str, str, str, list[tuple[str, Any]]]]:
        return sorted((u, v, k, sorted(d.items())) for u, v, k, d in G.edges(keys=True, data=True))

    assert nodes(a) == nodes(b)
    assert edges(a) == edges(b)
    for label in NodeLabel:
        assert sorted(map(repr, node_rows(a, label))) == sorted(map(repr, node_rows(b, label))), label
    for rel in RelType:
        assert sorted(map(repr, relationship_rows(a, rel))) == sorted(map(repr, relationship_rows(b, rel))), rel


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_round_trip_of_the_small_graph_in_every_format(small: nx.MultiDiGraph, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"small{FORMATS[fmt][1]}"
    export_rdf(small, out, fmt, BASE)
    same_graph(read_rdf(out), small)


def test_round_trip_of_the_seeds_graph(seeds_nt: Path, seeds_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    back = read_rdf(seeds_nt)
    same_graph(back, seeds_graph)
    # and through a graph folder, as kg import rdf writes it
    save_graph(back, tmp_path / "again")
    same_graph(load_graph(tmp_path / "again"), seeds_graph)


def test_the_base_iri_does_not_matter(small: nx.MultiDiGraph) -> None:
    same_graph(graph_from_rdflib(graph_to_rdflib(small, "http://other.example/data#")), small)


def test_other_vocabularies_are_ignored(small: nx.MultiDiGraph) -> None:
    g = graph_to_rdflib(small, BASE)
    g.add((URIRef("https://example.org/other"), RDF.type, URIRef("https://schema.org/Person")))
    g.add((URIRef("https://example.org/other"), KG.proposes, URIRef(f"{BASE}method/simclr")))
    same_graph(graph_from_rdflib(g), small)


def test_a_node_without_its_id(small: nx.MultiDiGraph) -> None:
    g = graph_to_rdflib(small, BASE)
    g.remove((URIRef(f"{BASE}method/simclr"), DCTERMS.identifier, None))
    with pytest.raises(GraphError, match="kg:Method without a dcterms:identifier"):
        graph_from_rdflib(g)


def test_a_relationship_without_its_evidence(small: nx.MultiDiGraph) -> None:
    g = graph_to_rdflib(small, BASE)
    (statement,) = set(g.subjects(RDF.predicate, KG.proposes))
    g.remove((statement, None, None))
    with pytest.raises(GraphError, match=re.escape("PROPOSES relationship from 'doi:10.1000/xyz' to "
                                                   "'method:simclr' has no kg:Evidence")):
        graph_from_rdflib(g)


def test_evidence_of_a_missing_triple(small: nx.MultiDiGraph) -> None:
    g = graph_to_rdflib(small, BASE)
    g.remove((URIRef(f"{BASE}paper/doi%3A10.1000%2Fxyz"), KG.proposes, None))
    with pytest.raises(GraphError, match="which is not in the file"):
        graph_from_rdflib(g)


def test_a_value_of_the_wrong_type(small: nx.MultiDiGraph) -> None:
    g = graph_to_rdflib(small, BASE)
    (statement,) = set(g.subjects(RDF.predicate, KG.proposes))
    g.set((statement, KG.start, Literal("eleven")))
    with pytest.raises(GraphError, match="'eleven', not an integer"):
        graph_from_rdflib(g)


def test_files_that_are_not_rdf(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <", encoding="utf-8")
    with pytest.raises(InputError, match="not an RDF file kg can read"):
        read_rdf(bad)
    with pytest.raises(InputError, match="cannot tell the RDF format"):
        read_rdf(tmp_path / "graph.data")
    with pytest.raises(InputError, match="not found"):
        read_rdf(tmp_path / "missing.nt")
    empty = tmp_path / "empty.nt"
    empty.write_text("", encoding="utf-8")
    assert read_rdf(empty).number_of_nodes() == 0
    g = Graph()
    assert graph_from_rdflib(g).number_of_nodes() == 0
