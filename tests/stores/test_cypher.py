"""The Cypher text kg sends to Neo4j (exact), names checked against the enums, and batching by rows and bytes."""

from __future__ import annotations

import itertools
import json
import random

import pytest

from kg.errors import QueryError, StoreError
from kg.examples import EXAMPLES
from kg.models import NodeLabel, RelType
from kg.stores import cypher
from kg.stores.batching import batches, encoded_size, split_row
from kg.stores.cypher import Dialect
from kg.stores.neo4j import _same, check_uri, escape_falkordb, safe_uri

# --------------------------------------------------------------------------- text


def test_merge_nodes_text() -> None:
    assert cypher.merge_nodes(NodeLabel.PAPER) == (
        "UNWIND $rows AS row\n"
        "OPTIONAL MATCH (old:Paper {id: row.id})\n"
        "WITH row, old IS NULL AS created, properties(old) AS before\n"
        "MERGE (n:Paper {id: row.id})\n"
        "SET n += row.props\n"
        "RETURN count(*) AS rows, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,\n"
        "       sum(CASE WHEN NOT created AND before <> properties(n) THEN 1 ELSE 0 END) AS updated")


def test_merge_relationships_text_matches_endpoints_by_label() -> None:
    assert cypher.merge_relationships(RelType.EVALUATED_ON) == (
        "UNWIND $rows AS row\n"
        "MATCH (a:Method {id: row.source})\n"
        "MATCH (b:Dataset {id: row.target})\n"
        "OPTIONAL MATCH (a)-[old:EVALUATED_ON]->(b)\n"
        "WITH a, b, row, old IS NULL AS created, properties(old) AS before\n"
        "MERGE (a)-[r:EVALUATED_ON]->(b)\n"
        "SET r += row.props\n"
        "RETURN count(*) AS rows, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,\n"
        "       sum(CASE WHEN NOT created AND before <> properties(r) THEN 1 ELSE 0 END) AS updated")
    for rel, (source, target) in cypher.REL_ENDPOINTS.items():
        text = cypher.merge_relationships(rel)
        assert f"(a:{source.value} {{id: row.source}})" in text and f"(b:{target.value} {{id: row.target}})" in text
        assert f"[r:{rel.value}]" in text


def test_key_statements_per_dialect() -> None:
    assert cypher.schema_ddl(Dialect.NEO4J) == [
        f"CREATE CONSTRAINT kg_{label.value.lower()}_id IF NOT EXISTS FOR (n:{label.value}) REQUIRE n.id IS UNIQUE"
        for label in NodeLabel]
    assert cypher.schema_ddl(Dialect.FALKORDB) == [f"CREATE INDEX FOR (n:{label.value}) ON (n.id)"
                                                   for label in NodeLabel]
    # FalkorDB has no IF NOT EXISTS: labels already indexed are left out
    assert cypher.schema_ddl(Dialect.FALKORDB, {"Paper", "Task"}) == [
        f"CREATE INDEX FOR (n:{label.value}) ON (n.id)" for label in NodeLabel if label.value not in ("Paper", "Task")]
    assert cypher.schema_ddl(Dialect.NEO4J, {"Paper"}) == cypher.schema_ddl(Dialect.NEO4J)


def test_other_statement_texts() -> None:
    assert cypher.count_nodes(NodeLabel.LINK) == "MATCH (n:Link) RETURN count(n) AS count"
    assert cypher.count_relationships(RelType.OWNED_BY) == (
        "MATCH (:Repository)-[r:OWNED_BY]->(:Owner) RETURN count(r) AS count")
    assert cypher.delete_label_batch(NodeLabel.TASK) == (
        "MATCH (n:Task) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted")
    assert cypher.node_properties("Method") == "MATCH (n:Method {id: $id}) RETURN properties(n) AS props"
    assert cypher.relationship_properties("HAS_CODE") == (
        "MATCH (a:Paper {id: $source})-[r:HAS_CODE]->(b:Repository {id: $target}) RETURN properties(r) AS props")
    assert cypher.append_node_property(NodeLabel.PAPER, "authors") == (
        "MATCH (n:Paper {id: $id}) SET n.authors = n.authors + $part")
    assert cypher.append_relationship_property(RelType.APPLIED_TO, "papers") == (
        "MATCH (a:Method {id: $source})-[r:APPLIED_TO]->(b:Task {id: $target}) SET r.papers = r.papers + $part")


def test_statements_hold_no_values() -> None:
    """Every statement takes its values as parameters: no quotes (string literals) anywhere in the loader's text."""
    texts = cypher.all_statements()
    flat = [t for v in texts.values() for t in (v if isinstance(v, list) else [v])]
    assert len(flat) > 40
    for text in flat:
        assert "'" not in text and '"' not in text, text


@pytest.mark.parametrize("bad", ["Person", "paper", "Paper) DETACH DELETE (n", "Paper`", "", "Paper {id: 1}"])
def test_label_outside_the_enum_raises_before_any_text(bad: str) -> None:
    for make in (cypher.merge_nodes, cypher.count_nodes, cypher.delete_label_batch, cypher.constraint_name,
                 cypher.node_properties):
        with pytest.raises(QueryError, match="is not a node label or relationship type of kg"):
            make(bad)
    with pytest.raises(QueryError):
        cypher.key_ddl(bad, Dialect.NEO4J)


@pytest.mark.parametrize("bad", ["uses", "USES]->(x) DELETE x //", "KNOWS"])
def test_type_outside_the_enum_raises(bad: str) -> None:
    for make in (cypher.merge_relationships, cypher.count_relationships, cypher.relationship_properties):
        with pytest.raises(QueryError, match="is not a node label or relationship type of kg"):
            make(bad)


def test_property_names_come_from_the_models() -> None:
    with pytest.raises(QueryError, match="is not a property of Paper"):
        cypher.append_node_property("Paper", "abstract = '' SET n.x")
    with pytest.raises(QueryError, match="is not a property of Paper"):
        cypher.append_node_property("Paper", "label")
    with pytest.raises(QueryError, match="is not a property of OWNED_BY"):
        cypher.append_relationship_property("OWNED_BY", "sentence")


def test_falkordb_example_forms() -> None:
    names = {e.name for e in EXAMPLES}
    assert set(cypher.FALKORDB_EXAMPLES) <= names
    for example in EXAMPLES:
        assert cypher.example_cypher(example, Dialect.NEO4J) == example.cypher
    assert "shortestPath" not in cypher.example_cypher(next(e for e in EXAMPLES if e.name == "shortest_path"),
                                                       Dialect.FALKORDB)


# --------------------------------------------------------------------------- batching


def _rows(n: int, size: int = 20, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    return [{"id": f"n{i}", "props": {"name": "x" * rng.randint(1, size), "aliases": ["a", "b"][: rng.randint(0, 2)]}}
            for i in range(n)]


def test_batches_bounded_by_rows() -> None:
    rows = _rows(25)
    got = list(batches(rows, max_rows=10, max_bytes=1_000_000))
    assert [len(b.rows) for b in got] == [10, 10, 5]
    assert [r for b in got for r in b.rows] == rows


@pytest.mark.parametrize("max_bytes", [256, 300, 1000, 3000])
def test_batches_bounded_by_bytes(max_bytes: int) -> None:
    rows = _rows(300, size=80, seed=max_bytes)
    got = list(batches(rows, max_rows=1000, max_bytes=max_bytes))
    assert [r for b in got for r in b.rows] == rows  # order kept, nothing lost or repeated
    for b in got:
        assert b.nbytes == encoded_size({"rows": b.rows}) <= max_bytes
        assert not b.parts
    # each batch is full: the next row would not have fitted
    for b, nxt in itertools.pairwise(got):
        assert encoded_size({"rows": [*b.rows, nxt.rows[0]]}) > max_bytes


def test_byte_bound_counts_what_is_sent() -> None:
    rows = [{"id": f"n{i}", "props": {"name": "it's \\" * 20}} for i in range(20)]
    plain = list(batches(rows, max_rows=100, max_bytes=1000))
    escaped = list(batches(rows, max_rows=100, max_bytes=1000, encode=escape_falkordb))
    assert len(escaped) > len(plain)
    for b in escaped:
        assert encoded_size(escape_falkordb({"rows": b.rows})) <= 1000
    assert [r for b in escaped for r in b.rows] == rows  # rows come back as given, escaped only when sent


def test_unicode_sizes_are_bytes() -> None:
    rows = [{"id": str(i), "props": {"name": "漢" * 30}} for i in range(10)]  # 90 bytes of UTF-8 each
    got = list(batches(rows, max_rows=100, max_bytes=400))
    for b in got:
        text = json.dumps({"rows": b.rows}, ensure_ascii=False, separators=(",", ":"))
        assert b.nbytes == len(text.encode("utf-8")) > len(text)  # bytes, not characters
        assert b.nbytes <= 400
    assert len(got) == 4  # 3 rows of 119 bytes fit in 400; counting characters would have put 6 together


def test_a_row_over_the_bound_goes_alone_in_parts() -> None:
    abstract = ("Long abstract with 'quotes', \\backslashes\\, 漢字 and 🙂. " * 200)
    big = {"id": "p", "props": {"title": "t", "abstract": abstract, "authors": [f"Author {i}" for i in range(400)]}}
    rows = [*_rows(3), big, *_rows(3, seed=1)]
    got = list(batches(rows, max_rows=100, max_bytes=1000, encode=escape_falkordb))
    assert [len(b.rows) for b in got] == [3, 1, 3]
    head = got[1]
    assert head.full is big and head.rows[0]["props"]["abstract"] == "" and head.rows[0]["props"]["authors"] == []
    assert head.rows[0]["props"]["title"] == "t"
    assert "".join(p.value for p in head.parts if p.prop == "abstract") == abstract
    assert [a for p in head.parts if p.prop == "authors" for a in p.value] == big["props"]["authors"]
    for part in head.parts:  # every part message fits, as sent
        assert encoded_size(escape_falkordb({"id": "p", "part": part.value})) <= 1000
    assert encoded_size(escape_falkordb({"rows": head.rows})) <= 1000


def test_relationship_rows_split_by_their_endpoints() -> None:
    row = {"source": "m", "target": "d", "props": {"papers": [f"paper:{i:05d}" for i in range(500)], "weight": 500}}
    (batch,) = batches([row], max_rows=10, max_bytes=500, key_of=lambda r: {"source": r["source"],
                                                                            "target": r["target"]})
    assert batch.rows[0]["props"] == {"papers": [], "weight": 500}
    assert [p for part in batch.parts for p in part.value] == row["props"]["papers"]
    assert all(encoded_size({"source": "m", "target": "d", "part": p.value}) <= 500 for p in batch.parts)


def test_a_value_that_cannot_be_split_raises() -> None:
    with pytest.raises(StoreError, match="cannot be sent in parts"):
        split_row({"id": "x" * 500, "props": {"name": "n"}}, max_bytes=300, key={"id": "x" * 500}, owner="Owner")
    with pytest.raises(StoreError, match="cannot be sent in parts"):  # one list item over the bound
        split_row({"id": "p", "props": {"authors": ["y" * 400]}}, max_bytes=300, key={"id": "p"}, owner="Paper")


def test_same_tells_changed_from_unchanged() -> None:
    before = {"id": "p", "title": "t", "aliases": ["a"]}
    assert _same(before, {"title": "t", "aliases": ["a"], "url": None})
    assert not _same(before, {"title": "t", "aliases": ["a", "b"]})
    assert not _same(before, {"title": None})  # a null removes the property


def test_uris() -> None:
    assert check_uri("neo4j+s://db.example:7687") == "neo4j+s://db.example:7687"
    with pytest.raises(StoreError, match="is not a Bolt URI"):
        check_uri("localhost:7687")
    assert safe_uri("bolt://u:p@h:1") == "bolt://h:1"


class _Session:
    def __init__(self, answer: object) -> None:
        self.answer = answer

    def run(self, text: str) -> object:
        assert text == cypher.SERVER_COMPONENTS
        if isinstance(self.answer, Exception):
            raise self.answer
        return self

    def single(self) -> object:
        return self.answer


def test_server_detection() -> None:
    from neo4j.exceptions import Neo4jError

    from kg.stores.neo4j import detect_server

    neo4j5 = detect_server(_Session({"name": "Neo4j Kernel", "versions": ["5.26.0"], "edition": "community"}),
                           "Neo4j/5.26.0")
    assert (neo4j5.dialect, neo4j5.version, neo4j5.edition) == (Dialect.NEO4J, "5.26.0", "community")
    falkor = detect_server(_Session(Neo4jError._hydrate_neo4j(code="Neo.DatabaseError.General.UnknownError",
                                                              message="An unknown error occurred")), "Neo4j/5.13.0")
    assert falkor.dialect is Dialect.FALKORDB
    forbidden = detect_server(_Session(Neo4jError._hydrate_neo4j(code="Neo.ClientError.Security.Forbidden",
                                                                 message="Executing procedure is not allowed")))
    assert forbidden.dialect is Dialect.NEO4J  # never escape text for a server that is not FalkorDB
