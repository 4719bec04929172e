"""The embedded database: generated schema, exact round trip, incremental append, reopening, readers, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from kg.analysis.toy import add_paper, derive, example_graph
from kg.errors import GraphError, QueryError
from kg.graph.io import graph_counts, load_graph, node_rows, relationship_rows
from kg.graph.merge import merge_graphs
from kg.models import NODE_MODELS, REL_ENDPOINTS, NodeLabel, RelType
from kg.pipeline import run_build
from kg.stores import embedded_cypher as cy
from kg.stores.embedded import DB_FILE, open_database, write_database

NASTY = 'Say "hi", \'yo\'\nnew line, back\\slash {braces} `tick` $dollar ; DROP -- 漢字 émoji 🙂\ttab\r\nend'


def _db_rows(db, label: NodeLabel) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    cols = list(cy.node_columns(label))
    _, rows = db.execute(cy.fetch_nodes(label))
    return {r[0]: dict(zip(cols, r, strict=True)) for r in rows}


def _db_rels(db, rel: RelType) -> dict[tuple[str, str], dict]:  # type: ignore[no-untyped-def]
    cols = list(cy.rel_columns(rel))
    _, rows = db.execute(cy.fetch_rels(rel))
    return {(r[0], r[1]): dict(zip(cols, r[2:], strict=True)) for r in rows}


def _assert_same(db, G: nx.MultiDiGraph) -> None:  # type: ignore[no-untyped-def]
    """Every node and relationship of G, with every property, and nothing more."""
    for label in NodeLabel:
        assert _db_rows(db, label) == {r["id"]: r for r in node_rows(G, label)}, label
    for rel in RelType:
        want = {(r.pop("source"), r.pop("target")): r for r in relationship_rows(G, rel)}
        assert _db_rels(db, rel) == want, rel
    assert db.counts() == graph_counts(G)


def nasty_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    add_paper(G, "arxiv:1", title=NASTY, proposes=["Na\"sty, Net"], evaluates_on=["Set {1}"], code=["o/r"])
    add_paper(G, "arxiv:2", title="plain", uses=["Na\"sty, Net"], addresses=["t"])
    G.nodes["arxiv:1"].update(authors=['Doe, "J"', "O'Neil", "[x]", "", "a\x1fb", "漢字"], date="2024-02-29",
                              sources=["f.txt:1", "g, h.csv:2"], url="", doi=None)
    G.nodes["method:nastynet"]["aliases"] = ["NN", "N,N", 'N"N', " lead", "trail ", "NULL", "null", "[]", "'q'"]
    G.nodes["task:t"]["name"] = "  spaced\ttab  "
    G.nodes["github.com/o/r"]["name"] = "NULL"
    return derive(G)


def test_schema_is_generated_from_the_models(tmp_path: Path) -> None:
    write_database(example_graph(), tmp_path)
    with open_database(tmp_path) as db:
        tables = db.tables()
        assert tables == {**{label.value: "NODE" for label in NodeLabel}, **{rel.value: "REL" for rel in RelType}}
        _, info = db.execute("CALL table_info('Paper') RETURN name, type")
        assert dict(info) == {"id": "STRING", "title": "STRING", "abstract": "STRING", "sources": "STRING[]",
                              "url": "STRING", "date": "STRING", "arxiv_id": "STRING", "doi": "STRING",
                              "authors": "STRING[]"}
        _, info = db.execute("CALL table_info('APPLIED_TO') RETURN name, type")
        assert dict(info) == {"papers": "STRING[]", "weight": "INT64"}
    for label, model in NODE_MODELS.items():
        assert set(cy.node_columns(label)) == set(model.model_fields) - {"label"}
    for rel in RelType:
        src, dst = REL_ENDPOINTS[rel]
        assert f"FROM {src.value} TO {dst.value}" in cy.rel_table_ddl(rel)


def test_labels_outside_the_enums_never_reach_the_text() -> None:
    with pytest.raises(QueryError, match="not a node label"):
        cy.copy_nodes("Paper) DETACH DELETE (x", "/tmp/f.csv")  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="not a node label"):
        cy.fetch_rels("KNOWS")  # type: ignore[arg-type]


@pytest.mark.parametrize("serial", [True, False])
def test_nasty_text_and_lists_round_trip_exactly(tmp_path: Path, serial: bool) -> None:
    G = nasty_graph()
    if not serial:  # no line breaks anywhere: the parallel CSV reader is used
        G.nodes["arxiv:1"]["title"] = NASTY.replace("\n", " ").replace("\r", " ")
    report = write_database(G, tmp_path)
    assert report.nodes_created == G.number_of_nodes() and report.rels_created == G.number_of_edges()
    with open_database(tmp_path) as db:
        _assert_same(db, G)
        row = db.query("MATCH (p:Paper {id: $id}) RETURN p.title, p.authors, p.url, p.doi", {"id": "arxiv:1"})
    assert row.rows[0][1] == ['Doe, "J"', "O'Neil", "[x]", "", "a\x1fb", "漢字"]
    assert row.rows[0][2] == "" and row.rows[0][3] is None  # the empty string is not null


def test_reopen_and_append_the_same_graph_changes_nothing(tmp_path: Path) -> None:
    G = example_graph()
    write_database(G, tmp_path)
    for _ in range(2):
        report = write_database(G, tmp_path, append=True)
        assert (report.nodes_created, report.rels_created, report.nodes_updated, report.rels_updated) == (0, 0, 0, 0)
    with open_database(tmp_path) as db:
        _assert_same(db, G)


def _build(parts: str) -> nx.MultiDiGraph:
    """Build "a", build "b", or both at once ("ab"); in "b", SimCLR has an alias it lacks in "a"."""
    G = nx.MultiDiGraph()
    if "a" in parts:
        add_paper(G, "p1", proposes=["SimCLR"], evaluates_on=["ImageNet"], addresses=["ssl"], code=["g/simclr"])
        add_paper(G, "p2", uses=["ResNet"], evaluates_on=["CIFAR-10"])
    if "b" in parts:
        add_paper(G, "p3", proposes=["MoCo"], uses=["ResNet"], evaluates_on=["ImageNet"], addresses=["ssl"],
                  code=["fb/moco", "g/simclr"])
        add_paper(G, "p4", proposes=["SimCLR"], evaluates_on=["ImageNet", "STL-10"])
        G.nodes["method:simclr"]["aliases"] = ["SimCLRv1"]
    return derive(G)


@pytest.mark.parametrize("targeted", [False, True], ids=["whole-tables", "changes-only"])
def test_append_adds_updates_and_never_duplicates(tmp_path: Path, targeted: bool) -> None:
    a, b, ab = _build("a"), _build("b"), _build("ab")
    write_database(a, tmp_path)
    merged = merge_graphs(a, b)
    report = write_database(merged, tmp_path, append=True, changes=b if targeted else None)
    assert report.created["Paper"] == 2 and report.created["Method"] == 1  # MoCo
    assert report.updated["Method"] == 1  # SimCLR gained an alias
    assert report.updated["EVALUATED_ON"] == 1  # SimCLR -> ImageNet: supported by p1 and p4 now
    with open_database(tmp_path) as db:
        _assert_same(db, merged)
        assert db.counts() == graph_counts(ab)
        rows = db.query("MATCH (:Method {name: 'SimCLR'})-[r:EVALUATED_ON]->(:Dataset {name: 'ImageNet'}) "
                        "RETURN r.papers, r.weight").rows
    assert rows == [[["p1", "p4"], 2]]
    again = write_database(merge_graphs(merged, b), tmp_path, append=True, changes=b if targeted else None)
    assert (again.nodes_created, again.rels_created, again.nodes_updated, again.rels_updated) == (0, 0, 0, 0)


PAPERS_A = [
    {"id": "a1", "title": "FooNet: Fast Graphs", "abstract": "We propose FooNet, a graph network. We evaluate it on "
     "the CIFAR-10 dataset. Code: https://github.com/Some/FooNet."},
    {"id": "a2", "title": "Another Paper", "abstract": "We study image classification on ImageNet with ResNet-50."},
]
PAPERS_B = [
    {"id": "b1", "title": "BarNet for Images", "abstract": "We propose BarNet and evaluate it on ImageNet and "
     "CIFAR-10 for image classification. Code: https://github.com/other/barnet."},
    {"id": "b2", "title": "FooNet: Fast Graphs", "abstract": "We propose FooNet, a graph network. We evaluate it on "
     "the CIFAR-10 dataset. Code: https://github.com/Some/FooNet."},
]


def _jsonl(path: Path, rows: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_build_then_append_equals_building_everything_at_once(tmp_path: Path) -> None:
    a, b = _jsonl(tmp_path / "a.jsonl", PAPERS_A), _jsonl(tmp_path / "b.jsonl", PAPERS_B)
    run_build([a], tmp_path / "g", corpus_pass=False)
    appended = run_build([b], tmp_path / "g", corpus_pass=False, append=True)
    run_build([a, b], tmp_path / "all", corpus_pass=False)
    with open_database(tmp_path / "g") as db:
        counts = db.counts()
        assert counts == graph_counts(load_graph(tmp_path / "g")) == appended.counts
    with open_database(tmp_path / "all") as db:
        assert db.counts() == counts
    assert counts["nodes"]["Paper"] == 3  # the FooNet paper of both builds is one node
    manifest = json.loads((tmp_path / "g" / "manifest.json").read_text())
    assert manifest["database"] == DB_FILE and manifest["inputs"] == [a, b]
    again = run_build([b], tmp_path / "g", corpus_pass=False, append=True)
    report = again.extra["database"]
    assert (report.nodes_created, report.rels_created) == (0, 0)
    with open_database(tmp_path / "g") as db:
        assert db.counts() == counts


def test_building_again_without_append_replaces(tmp_path: Path) -> None:
    a, b = _jsonl(tmp_path / "a.jsonl", PAPERS_A), _jsonl(tmp_path / "b.jsonl", PAPERS_B)
    run_build([a], tmp_path / "g", corpus_pass=False)
    run_build([a], tmp_path / "g", corpus_pass=False)
    with open_database(tmp_path / "g") as db:
        assert db.counts()["nodes"]["Paper"] == 2
    run_build([b], tmp_path / "g", corpus_pass=False)
    with open_database(tmp_path / "g") as db:
        assert sorted(db.query("MATCH (p:Paper) RETURN p.title").rows) == [["BarNet for Images"],
                                                                              ["FooNet: Fast Graphs"]]
    run_build([b], tmp_path / "g", corpus_pass=False, database=False)
    assert not (tmp_path / "g" / DB_FILE).exists()  # no stale database answering for another graph
    assert "database" not in json.loads((tmp_path / "g" / "manifest.json").read_text())


def test_seeds_database_holds_the_seeds_graph(seeds_graph_dir: Path, seeds_graph: nx.MultiDiGraph) -> None:
    with open_database(seeds_graph_dir) as db:
        assert db.counts() == graph_counts(seeds_graph)


def test_readers_share_the_database_and_survive_a_rebuild(tmp_path: Path) -> None:
    G = example_graph()
    write_database(G, tmp_path)
    first, second = open_database(tmp_path), open_database(tmp_path)
    try:
        code = ("import sys; from kg.stores.embedded import run_query; "
                "print(run_query(sys.argv[1], 'MATCH (p:Paper) RETURN count(p)').rows[0][0])")
        other = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                               timeout=120)
        assert other.returncode == 0, other.stderr
        assert other.stdout.strip() == "6"
        assert first.query("MATCH (m:Method) RETURN count(m)").rows == second.query(
            "MATCH (m:Method) RETURN count(m)").rows
        H = nx.MultiDiGraph()
        add_paper(H, "only", proposes=["X"])
        write_database(H, tmp_path)  # a new file moved into place; open readers keep the old one
        assert first.query("MATCH (p:Paper) RETURN count(p)").rows == [[6]]
    finally:
        first.close()
        second.close()
    with open_database(tmp_path) as db:
        assert db.query("MATCH (p:Paper) RETURN p.id").rows == [["only"]]


def test_errors_are_messages(tmp_path: Path) -> None:
    with pytest.raises(GraphError, match="no embedded database in this folder"):
        open_database(tmp_path)
    write_database(example_graph(), tmp_path)
    with open_database(tmp_path) as db:
        with pytest.raises(QueryError, match="The query failed on the embedded database: Parser exception"):
            db.query("MATCH (p:Paper RETURN p")
        with pytest.raises(QueryError, match="Table Nope does not exist"):
            db.query("MATCH (n:Nope) RETURN n")
        with pytest.raises(QueryError, match="read-only"):
            db.query("CREATE (:Method {id: 'x', name: 'x', aliases: []})")


def test_values_come_back_as_plain_json(tmp_path: Path) -> None:
    write_database(example_graph(), tmp_path)
    with open_database(tmp_path) as db:
        result = db.query("MATCH p = (a:Paper {id: 'simclr'})-[r:PROPOSES]->(m:Method) RETURN a, r, p, r.`end`")
    node, rel, path, end = result.rows[0]
    assert node["_label"] == "Paper" and node["id"] == "simclr" and "_ID" not in node
    assert rel["_type"] == "PROPOSES" and rel["rule"] == "hand-built" and end == rel["end"]
    assert [n["id"] for n in path["nodes"]] == ["simclr", "method:simclr"]
    json.dumps(result.rows)


@pytest.fixture(scope="module")
def own_bolt_server():  # type: ignore[no-untyped-def]
    """A Bolt server of this module's own (the Neo4j tests' shared one keeps their state: indexes, loaded graph)."""
    from kg.testing.falkordb import FalkorDBServer, free_bolt_port

    server = FalkorDBServer(free_bolt_port()).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.integration
def test_kg_query_gives_the_same_rows_on_both_back_ends(own_bolt_server, seeds_graph,  # type: ignore[no-untyped-def]
                                                        seeds_graph_dir: Path) -> None:
    """One command, two back ends: every example through ``kg query`` on the embedded database and on a Bolt
    server (FalkorDB, with its per-server forms of the examples) prints the same JSON."""
    from typer.testing import CliRunner

    import kg.cli  # noqa: F401
    from kg.cli.app import app
    from kg.examples import EXAMPLES, answers_match
    from kg.stores.cypher import Dialect, example_cypher

    runner = CliRunner()
    uri = own_bolt_server.uri
    loaded = runner.invoke(app, ["load", "neo4j", str(seeds_graph_dir), "--uri", uri, "--user", "",
                                 "--max-batch-bytes", "3000"])
    assert loaded.exit_code == 0, loaded.output
    for example in EXAMPLES:
        params = [a for k, v in example.params.items() for a in ("--param", f"{k}={v}")]
        own_bolt_server.kick()
        remote = runner.invoke(app, ["query", "--uri", uri, "--user", "", example_cypher(example, Dialect.FALKORDB),
                                     *params, "--format", "json"])
        local = runner.invoke(app, ["query", str(seeds_graph_dir), example.embedded_cypher, *params, "--format", "json"])
        assert remote.exit_code == 0 and local.exit_code == 0, (example.name, remote.output, local.output)
        remote_rows, local_rows = json.loads(remote.stdout), json.loads(local.stdout)
        if example.one_of:  # several shortest paths: each engine may pick another one
            expected = example.expected_rows(seeds_graph)
            for rows in (remote_rows, local_rows):
                assert answers_match(example, [list(r.values()) for r in rows], expected), example.name
        else:
            assert remote_rows == local_rows, example.name
