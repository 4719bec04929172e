"""The RDF export: the expected Turtle by isomorphism, every format, stable IRIs, escaping, SHACL."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV, SKOS, XSD

from kg.errors import InputError
from kg.models import NodeLabel, RelType
from kg.rdf.export import (
    FORMATS,
    export_rdf,
    graph_to_rdflib,
    mint_iri,
    node_iri,
    quote_literal,
    triples,
    write_ntriples,
    write_turtle,
)
from kg.rdf.namespace import KG

BASE = "https://example.org/kg/"
PAPER = "doi:10.1000/xyz"

RDFLIB_FORMAT = {name: rdflib_name for name, (rdflib_name, _) in FORMATS.items()}


def parse(path: Path, fmt: str) -> Graph:
    return Graph().parse(str(path), format=RDFLIB_FORMAT[fmt])


def test_small_graph_export_is_the_hand_written_turtle(small: nx.MultiDiGraph, data_dir: Path) -> None:
    expected = Graph().parse(str(data_dir / "expected_small.ttl"), format="turtle")
    assert isomorphic(graph_to_rdflib(small, BASE), expected)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_parses_back_to_the_same_graph(small: nx.MultiDiGraph, tmp_path: Path, fmt: str,
                                                    data_dir: Path) -> None:
    out = tmp_path / f"small{FORMATS[fmt][1]}"
    report = export_rdf(small, out, fmt, BASE)
    back = parse(out, fmt)
    assert report.triples == len(back) == 123
    assert isomorphic(back, Graph().parse(str(data_dir / "expected_small.ttl"), format="turtle"))


def test_the_same_graph_gives_the_same_iris_and_bytes_across_runs(tmp_path: Path, make_small) -> None:
    first, second = tmp_path / "a.nt", tmp_path / "b.nt"
    export_rdf(make_small(), first, "nt", BASE)
    export_rdf(make_small(), second, "nt", BASE)
    assert first.read_bytes() == second.read_bytes()
    subjects = {line.split(" ", 1)[0] for line in first.read_text().splitlines() if line.startswith("<")}
    assert f"<{BASE}paper/doi%3A10.1000%2Fxyz>" in subjects
    assert f"<{BASE}method/simclr>" in subjects


def test_minted_iris_are_safe_and_distinct() -> None:
    ids = ["doi:10.1/a b", "doi:10.1/a%20b", "doi:10.1/a/b", "doi:10.1/a?b#c", "title:Über <x> \"q\"", "a\nb",
           "method:x", "x"]
    iris = [node_iri(BASE, NodeLabel.PAPER, i) for i in ids]
    assert len(set(iris)) == len(ids)
    for iri in iris:
        tail = iri[len(BASE) + len("paper/"):]
        assert all(ch.isalnum() or ch in "%-._~" for ch in tail), iri
        assert URIRef(iri).n3() == f"<{iri}>"  # rdflib accepts it as an IRI
    methods = [node_iri(BASE, NodeLabel.METHOD, i) for i in ("method:x", "x", "method:!x", "!x", "method:")]
    assert len(set(methods)) == len(methods)
    assert node_iri(BASE, NodeLabel.METHOD, "method:simclr") == f"{BASE}method/simclr"
    assert mint_iri(BASE, "owner", "github.com/a") == f"{BASE}owner/github.com%2Fa"


@pytest.mark.parametrize("base", ["no-scheme/", "https://example.org/kg", "https://example.org/a b/", ""])
def test_a_bad_base_iri_is_refused(small: nx.MultiDiGraph, tmp_path: Path, base: str) -> None:
    with pytest.raises(InputError, match="is not a base IRI"):
        export_rdf(small, tmp_path / "x.nt", "nt", base)
    assert not (tmp_path / "x.nt").exists()


def test_unknown_format_is_refused(small: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Unknown format 'n3'"):
        export_rdf(small, tmp_path / "x.n3", "n3", BASE)


NASTY = [
    'He said "hi" \\ left',
    "line one\nline two\r\nline three\ttabbed",
    "Ünïcödé — 数据集 😀 ﬁ",
    "see <https://example.org/a?b=c&d=e#f> and http://x.io/\"quoted\"",
    "controls \x00 \x07 \x1b \x7f end",
    "trailing backslash \\",
    '"""triple quotes"""',
    "",
]


@pytest.fixture
def nasty(make_small) -> nx.MultiDiGraph:
    """The small graph with quotes, newlines, Unicode, control characters and IRIs in its text."""
    G = make_small()
    paper = G.nodes[PAPER]
    paper["title"] = NASTY[0]
    paper["abstract"] = "\n".join(NASTY)
    paper["authors"] = NASTY[1:4]
    paper["url"] = "https://example.org/p?q=\"x\"&r=<y>"
    G.edges[PAPER, "method:simclr", "PROPOSES"]["sentence"] = NASTY[3]
    G.nodes["method:simclr"]["aliases"] = [a for a in NASTY if a]
    return G


@pytest.mark.parametrize("fmt", ["nt", "turtle"])
def test_streamed_literals_escape_right(tmp_path: Path, fmt: str, nasty: nx.MultiDiGraph) -> None:
    out = tmp_path / f"nasty{FORMATS[fmt][1]}"
    export_rdf(nasty, out, fmt, BASE)
    text = out.read_text(encoding="utf-8")
    if fmt == "nt":
        assert all(line.endswith(" .") for line in text.splitlines())  # one triple a line, newlines escaped
    g = parse(out, fmt)
    paper = URIRef(f"{BASE}paper/doi%3A10.1000%2Fxyz")
    assert g.value(paper, DCTERMS.title) == Literal(NASTY[0])
    assert g.value(paper, DCTERMS.abstract) == Literal("\n".join(NASTY))
    assert set(g.objects(paper, KG.author)) == {Literal(a) for a in NASTY[1:4]}
    aliases = {str(o) for o in g.objects(URIRef(f"{BASE}method/simclr"), SKOS.altLabel)}
    assert aliases == {a for a in NASTY if a}
    sentences = {str(o) for o in g.objects(None, PROV.value)}
    assert NASTY[3] in sentences
    url = g.value(paper, URIRef("https://schema.org/url"))
    assert url == Literal("https://example.org/p?q=\"x\"&r=<y>", datatype=XSD.anyURI)
    # the streamed writers and rdflib's own serialisation hold the same graph
    assert isomorphic(g, graph_to_rdflib(nasty, BASE))


def test_quote_literal_is_valid_in_both_syntaxes() -> None:
    for text in NASTY:
        quoted = quote_literal(text)
        assert "\n" not in quoted and "\r" not in quoted
        for fmt, line in (("nt", f"<urn:s> <urn:p> {quoted} .\n"), ("turtle", f"<urn:s> <urn:p> {quoted} .\n")):
            g = Graph().parse(data=line, format=fmt)
            assert str(next(iter(g.objects()))) == text, (fmt, text)


def test_writers_count_every_triple_including_list_cells(small: nx.MultiDiGraph) -> None:
    nt, ttl = io.StringIO(), io.StringIO()
    assert write_ntriples(triples(small, BASE), nt) == 123
    assert write_turtle(triples(small, BASE), ttl) == 123
    assert len(nt.getvalue().splitlines()) == 123


def test_evidence_is_a_prov_qualified_statement(small: nx.MultiDiGraph) -> None:
    g = graph_to_rdflib(small, BASE)
    paper, method = URIRef(f"{BASE}paper/doi%3A10.1000%2Fxyz"), URIRef(f"{BASE}method/simclr")
    assert (paper, KG.proposes, method) in g
    (statement,) = set(g.subjects(RDF.predicate, KG.proposes))
    assert (statement, RDF.type, KG.Evidence) in g
    assert g.value(statement, RDF.subject) == paper and g.value(statement, RDF.object) == method
    assert g.value(statement, PROV.wasDerivedFrom) == paper
    assert g.value(statement, PROV.value) == Literal("We propose SimCLR.")
    assert (g.value(statement, KG.start).toPython(), g.value(statement, KG.end).toPython()) == (11, 17)
    assert g.value(statement, KG.rule) == Literal("kg_naming:propose")
    assert g.value(statement, KG.confidence).toPython() == 0.9
    assert (None, RDF.predicate, KG.ownedBy) not in g  # OWNED_BY has no properties, no statement


def test_seeds_export_conforms_to_the_shapes(seeds_nt: Path, seeds_graph: nx.MultiDiGraph, shacl) -> None:
    data = parse(seeds_nt, "nt")
    evidence_rels = sum(1 for _, _, k in seeds_graph.edges(keys=True)
                        if k not in (RelType.OWNED_BY.value,))
    assert len(set(data.subjects(RDF.type, KG.Evidence))) + len(set(data.subjects(RDF.type, KG.Derivation))) \
        == evidence_rels
    conforms, text = shacl(data)
    assert conforms, text[:3000]


def test_shapes_catch_a_broken_export(small: nx.MultiDiGraph, shacl) -> None:
    good = graph_to_rdflib(small, BASE)
    assert shacl(good)[0]
    paper = URIRef(f"{BASE}paper/doi%3A10.1000%2Fxyz")
    broken = Graph()
    for triple in good:
        broken.add(triple)
    broken.remove((paper, DCTERMS.title, None))  # a required property
    broken.add((paper, KG.proposes, URIRef(f"{BASE}dataset/imagenet")))  # an object of the wrong class
    (statement,) = set(good.subjects(RDF.predicate, KG.proposes))
    broken.set((statement, KG.confidence, Literal(1.5)))  # out of range
    broken.add((paper, URIRef(str(KG._NS) + "unknown"), Literal("x")))  # not in the closed shape
    conforms, text = shacl(broken)
    assert not conforms
    assert "Results (4)" in text, text
    for component in ("MinCount", "Class", "MaxInclusive", "Closed"):
        assert f"{component}ConstraintComponent" in text, component


def test_lone_surrogates_do_not_break_the_export(small: nx.MultiDiGraph, tmp_path: Path) -> None:
    small.nodes[PAPER]["title"] = "broken \ud83d emoji"  # what json.loads makes of a half escape pair
    for fmt in ("nt", "turtle"):
        out = tmp_path / f"s{FORMATS[fmt][1]}"
        export_rdf(small, out, fmt, BASE)
        title = parse(out, fmt).value(URIRef(f"{BASE}paper/doi%3A10.1000%2Fxyz"), DCTERMS.title)
        assert str(title) == "broken \ufffd emoji"
