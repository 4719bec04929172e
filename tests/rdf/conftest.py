"""Fixtures for the RDF tests: a small hand-built graph (its export is written out by hand in
data/expected_small.ttl), the seeds graph exported once, and SHACL validation with schema/shapes.ttl."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from kg.rdf.export import export_rdf

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
BASE = "https://example.org/kg/"  # the test modules use the same base
PAPER = "doi:10.1000/xyz"


def evidence(sentence: str, start: int, end: int, rule: str, confidence: float, section: str = "abstract",
             mentions: int = 1) -> dict:
    return {"sentence": sentence, "start": start, "end": end, "rule": rule, "confidence": confidence,
            "section": section, "mentions": mentions}


def small_graph() -> nx.MultiDiGraph:
    """One paper with a method, dataset, task, repository (and owner) and link; the two derived links."""
    G = nx.MultiDiGraph()
    G.add_node(PAPER, label="Paper", id=PAPER, title="A Simple Framework", abstract="We propose SimCLR.",
               sources=["seeds.txt:1", "more.jsonl:7"], url="https://arxiv.org/abs/2002.05709", date="2020-02-13",
               arxiv_id=None, doi="10.1000/xyz", authors=["Ting Chen", "Geoffrey Hinton"])
    G.add_node("method:simclr", label="Method", id="method:simclr", name="SimCLR", aliases=["SimCLRv1"])
    G.add_node("dataset:imagenet", label="Dataset", id="dataset:imagenet", name="ImageNet", aliases=[])
    G.add_node("task:selfsupervisedlearning", label="Task", id="task:selfsupervisedlearning",
               name="self-supervised learning", aliases=[])
    G.add_node("github.com/google/simclr", label="Repository", id="github.com/google/simclr", host="github.com",
               owner="google", name="simclr", url="https://github.com/google/simclr")
    G.add_node("github.com/google", label="Owner", id="github.com/google", host="github.com", name="google")
    G.add_node("https://simclr.github.io/", label="Link", id="https://simclr.github.io/",
               url="https://simclr.github.io/", kind="project-page")
    G.add_edge(PAPER, "method:simclr", key="PROPOSES",
               **evidence("We propose SimCLR.", 11, 17, "kg_naming:propose", 0.9))
    G.add_edge(PAPER, "dataset:imagenet", key="EVALUATES_ON",
               **evidence("Results on ImageNet.", 11, 19, "kg_roles:on", 0.75, mentions=2))
    G.add_edge(PAPER, "task:selfsupervisedlearning", key="ADDRESSES",
               **evidence("A Simple Framework", 0, 18, "kg_tasks:title", 0.6, section="title"))
    G.add_edge(PAPER, "github.com/google/simclr", key="HAS_CODE",
               **evidence("Code: github.com/google/simclr", 6, 30, "kg_links:repo", 1.0))
    G.add_edge(PAPER, "https://simclr.github.io/", key="LINKS_TO",
               **evidence("See https://simclr.github.io/", 4, 29, "kg_links:url", 1.0))
    G.add_edge("github.com/google/simclr", "github.com/google", key="OWNED_BY")
    G.add_edge("method:simclr", "dataset:imagenet", key="EVALUATED_ON", papers=[PAPER], weight=1)
    G.add_edge("method:simclr", "task:selfsupervisedlearning", key="APPLIED_TO", papers=[PAPER], weight=1)
    return G


@pytest.fixture
def small() -> nx.MultiDiGraph:
    return small_graph()


@pytest.fixture
def make_small():  # type: ignore[no-untyped-def]
    """The function building :func:`small_graph` (for tests that need several fresh copies)."""
    return small_graph


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return Graph().parse(str(REPO / "schema" / "shapes.ttl"), format="turtle")


def _shacl_report(data: Graph, shapes: Graph) -> tuple[bool, str]:
    import pyshacl

    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False)
    return bool(conforms), str(text)


@pytest.fixture(scope="session")
def shacl(shapes: Graph):  # type: ignore[no-untyped-def]
    """``shacl(data) -> (conforms, report text)`` with schema/shapes.ttl."""
    return lambda data: _shacl_report(data, shapes)


@pytest.fixture(scope="session")
def seeds_nt(seeds_graph: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds graph exported (streamed) as N-Triples once per session."""
    out = tmp_path_factory.mktemp("rdf") / "seeds.nt"
    export_rdf(seeds_graph, out, "nt", BASE)
    return out
