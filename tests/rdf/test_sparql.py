"""SPARQL over exports: the catalogue's answers equal the networkx answers, on rdflib and on oxigraph."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from kg.errors import InputError, QueryError
from kg.rdf.examples import EXAMPLES, README, SparqlExample, readme_region, readme_section
from kg.rdf.export import export_rdf
from kg.rdf.sparql import SparqlFile, bind_text, choose_engine, run_sparql

BASE = "https://example.org/kg/"


@pytest.fixture(scope="module", params=["rdflib", "oxigraph"])
def seeds_store(request: pytest.FixtureRequest, seeds_nt: Path) -> SparqlFile:
    return SparqlFile(seeds_nt, engine=request.param)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_answers_match_the_graph(example: SparqlExample, seeds_store: SparqlFile,
                                         seeds_graph: nx.MultiDiGraph) -> None:
    expected = example.expected(seeds_graph)
    assert expected, f"{example.name}: the seeds give no answer, so the comparison would prove nothing"
    result = seeds_store.query(example.sparql, example.params)
    assert result.backend == seeds_store.engine
    assert example.matches(result.rows, expected), (result.rows[:5], expected[:5])


def test_examples_ask_the_questions_of_the_cypher_catalogue() -> None:
    from kg import examples as cypher_examples

    mirrored = [e for e in EXAMPLES if e.cypher is not None]
    assert len(mirrored) >= 6
    for example in mirrored:
        cypher = cypher_examples.by_name(example.cypher)
        assert (example.name, example.question, example.params) == (cypher.name, cypher.question, cypher.params)
    missing = {e.name for e in cypher_examples.EXAMPLES} - {e.cypher for e in mirrored}
    assert missing == {"shortest_path"}  # SPARQL has no shortest paths


def test_at_least_six_examples_with_distinct_names() -> None:
    assert len(EXAMPLES) >= 6
    assert len({e.name for e in EXAMPLES}) == len(EXAMPLES)


def test_readme_section_is_rendered_from_the_catalogue() -> None:
    region = readme_region(README.read_text(encoding="utf-8"))
    assert region == readme_section(), "README rdf section is stale: run python -m kg.rdf.examples --write"
    for example in EXAMPLES:
        assert f"```sparql\n{example.sparql}\n```" in region


@pytest.fixture
def small_nt(small: nx.MultiDiGraph, tmp_path: Path) -> Path:
    out = tmp_path / "small.nt"
    export_rdf(small, out, "nt", BASE)
    return out


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_results_are_plain_values_and_params_bind(small_nt: Path, engine: str) -> None:
    result = run_sparql(small_nt, """
        SELECT ?title ?start ?confidence ?url WHERE {
          ?e a kg:Evidence ; rdf:subject ?p ; rdf:predicate kg:proposes ; kg:start ?start ; kg:confidence ?confidence .
          ?p dcterms:title ?title ; schema:url ?url ; bibo:doi ?doi .
          FILTER (?doi = ?wanted && ?start >= ?from)   # ?wanted is bound, "?wanted" in a string is not
        }""", {"wanted": "10.1000/xyz", "from": 11}, engine=engine)
    assert result.columns == ["title", "start", "confidence", "url"]
    assert result.rows == [["A Simple Framework", 11, 0.9, "https://arxiv.org/abs/2002.05709"]]
    assert run_sparql(small_nt, "ASK { ?p bibo:doi ?doi }", {"doi": "nope"}, engine=engine).rows == [[False]]
    construct = run_sparql(small_nt, "CONSTRUCT { ?m rdfs:label ?n } WHERE { ?m a kg:Method ; skos:prefLabel ?n }",
                           engine=engine)
    assert construct.columns == ["subject", "predicate", "object"]
    assert construct.rows == [[f"{BASE}method/simclr", "http://www.w3.org/2000/01/rdf-schema#label", "SimCLR"]]


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_bad_query_is_a_clear_error(small_nt: Path, engine: str) -> None:
    with pytest.raises(QueryError, match=rf"SPARQL query failed \({engine}\).*prefixes kg:"):
        run_sparql(small_nt, "SELECT ?x WHERE { ?x", engine=engine)
    with pytest.raises(QueryError, match="SPARQL query failed"):
        run_sparql(small_nt, "SELECT ?x WHERE { ?x nope:p ?y }", engine=engine)


def test_engine_choice(small_nt: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.settings import get_settings

    assert choose_engine(small_nt, "rdflib") == "rdflib"
    assert choose_engine(small_nt, "auto") == "rdflib"  # a small file
    monkeypatch.setattr(get_settings(), "sparql_oxigraph_bytes", 10)
    assert choose_engine(small_nt, "auto") == "oxigraph"
    with pytest.raises(InputError, match="Unknown format 'duckdb'"):
        choose_engine(small_nt, "duckdb")
    bad = tmp_path / "bad.nt"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    for engine in ("rdflib", "oxigraph"):
        with pytest.raises(InputError, match="not an RDF file kg can read"):
            run_sparql(bad, "ASK {}", engine=engine)


def test_bind_text_leaves_strings_iris_and_comments_alone() -> None:
    query = 'SELECT * { ?s <urn:?x> "?x" , \'?x\' , """?x\n""" . FILTER(?x = $x) } # ?x'
    assert bind_text(query, {"x": 3}) == (
        'SELECT * { ?s <urn:?x> "?x" , \'?x\' , """?x\n""" . FILTER('
        '"3"^^<http://www.w3.org/2001/XMLSchema#integer> = "3"^^<http://www.w3.org/2001/XMLSchema#integer>) } # ?x')
    assert bind_text("?xy ?x", {"x": "<urn:a>"}) == "?xy <urn:a>"
