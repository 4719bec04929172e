"""kg query (embedded database and the --uri wiring), kg shell, kg build --db/--no-db/--append."""

from __future__ import annotations

import csv
import io
import json
import sys
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg.cli  # noqa: F401  (registers every command)
from kg.analysis.toy import example_graph
from kg.cli.app import app
from kg.settings import get_settings
from kg.stores.embedded import write_database
from kg.stores.result import QueryResult

runner = CliRunner()


@pytest.fixture(scope="module")
def toy_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("toy-graph")
    write_database(example_graph(), folder)
    return folder


def test_query_prints_a_table(toy_dir: Path) -> None:
    result = runner.invoke(app, ["query", str(toy_dir), "MATCH (d:Dataset) RETURN d.name AS name ORDER BY name"])
    assert result.exit_code == 0, result.output
    assert "name" in result.stdout and "CIFAR-10" in result.stdout and "ImageNet" in result.stdout
    assert "3 rows" in result.stderr


def test_query_json_with_params(toy_dir: Path) -> None:
    query = ("MATCH (p:Paper)-[:EVALUATES_ON]->(d:Dataset {name: $name}) WHERE size(p.title) > $n "
             "RETURN p.id AS paper, d.aliases AS aliases ORDER BY paper LIMIT $k")
    result = runner.invoke(app, ["query", str(toy_dir), query, "--param", "name=CIFAR-10", "-p", "n=0",
                                 "-p", "k=1", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"paper": "byol", "aliases": []}]


def test_query_csv_quotes_and_lists(toy_dir: Path) -> None:
    query = "MATCH (m:Method {name: $name}) RETURN m.name AS name, [m.name, $text] AS xs, m.aliases AS aliases"
    result = runner.invoke(app, ["query", str(toy_dir), query, "-p", "name=SimCLR", "-p", 'text=a, "b"',
                                 "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [["name", "xs", "aliases"], ["SimCLR", json.dumps(["SimCLR", 'a, "b"']), "[]"]]


def test_query_reads_stdin(toy_dir: Path) -> None:
    result = runner.invoke(app, ["query", str(toy_dir), "-", "-f", "json"], input="MATCH (p:Paper)\nRETURN count(p) AS n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"n": 6}]


def test_bad_query_is_a_message_not_a_traceback(toy_dir: Path) -> None:
    result = runner.invoke(app, ["query", str(toy_dir), "MATCH (p:Paper RETURN p"])
    assert result.exit_code == 1
    assert "The query failed on the embedded database" in result.stderr and "Parser exception" in result.stderr
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["query", str(toy_dir), "MATCH (x:Nope) RETURN x"])
    assert result.exit_code == 1 and "Nope does not exist" in result.stderr


def test_argument_errors(toy_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", str(toy_dir), "RETURN 1", "--param", "oops"])
    assert result.exit_code == 1 and "is not a parameter" in result.stderr
    result = runner.invoke(app, ["query", str(tmp_path), "RETURN 1"])
    assert result.exit_code == 1 and "no embedded database in this folder" in result.stderr
    result = runner.invoke(app, ["query", str(toy_dir)])
    assert result.exit_code == 1 and "No query given" in result.stderr
    result = runner.invoke(app, ["query"])
    assert result.exit_code == 1 and "needs a graph folder DIR" in result.stderr
    result = runner.invoke(app, ["query", str(toy_dir), "RETURN 1", "--uri", "bolt://localhost:7687"])
    assert result.exit_code == 1 and "leave out the folder" in result.stderr


@pytest.fixture
def fake_neo4j(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """A stand-in kg.stores.neo4j recording how run_query is called (the real one needs a server)."""
    calls: list[dict] = []

    def run_query(query, params, *, uri, user, password, database):  # type: ignore[no-untyped-def]
        calls.append({"query": query, "params": params, "uri": uri, "user": user, "password": password,
                      "database": database})
        return QueryResult(columns=["n"], rows=[[42]], backend="neo4j")

    module = types.ModuleType("kg.stores.neo4j")
    module.run_query = run_query  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "kg.stores.neo4j", module)
    return calls


def test_uri_runs_on_neo4j_without_a_folder(fake_neo4j: list[dict], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_NEO4J_USER", "alice")
    monkeypatch.setenv("KG_NEO4J_PASSWORD", "s3cret-pw")
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["query", "--uri", "bolt://db:7687", "MATCH (n) RETURN count(n) AS n",
                                     "-p", "k=2", "-f", "json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == [{"n": 42}]
        assert fake_neo4j == [{"query": "MATCH (n) RETURN count(n) AS n", "params": {"k": 2}, "uri": "bolt://db:7687",
                               "user": "alice", "password": "s3cret-pw", "database": None}]
        result = runner.invoke(app, ["query", "--uri", "bolt://db:7687", "RETURN 1", "--user", "bob",
                                     "--password", "other-pw", "--database", "kg"])
        assert result.exit_code == 0, result.output
        assert fake_neo4j[-1]["user"] == "bob" and fake_neo4j[-1]["password"] == "other-pw"
        assert fake_neo4j[-1]["database"] == "kg"
        assert "s3cret-pw" not in result.output and "other-pw" not in result.output
        help_text = runner.invoke(app, ["query", "--help"]).output
        assert "s3cret-pw" not in help_text and "kg-password" not in help_text
    finally:
        get_settings.cache_clear()


def test_shell_runs_queries_and_survives_errors(toy_dir: Path, tmp_path: Path) -> None:
    history = tmp_path / "history"
    script = "\n".join([
        ":help",
        "MATCH (p:Paper)",
        "  RETURN count(p) AS papers;",
        ":format json",
        "MATCH (x:Nope) RETURN x;",
        ":param name=\"SimCLR\"",
        ":params",
        "MATCH (m:Method {name: $name}) RETURN m.id AS id;",
        ":bogus",
        ":format yaml",
        "MATCH (p:Paper RETURN p;",
        "MATCH (d:Dataset {name: 'GLUE'}) RETURN d.id AS id",  # no ';' at the end of input: still run
    ]) + "\n"
    result = runner.invoke(app, ["shell", str(toy_dir), "--history", str(history)], input=script)
    assert result.exit_code == 0, result.output
    assert "Type Cypher and end it with ';'" in result.stdout
    assert "papers" in result.stdout and "6" in result.stdout
    assert '"id": "method:simclr"' in result.stdout and '"id": "dataset:glue"' in result.stdout
    assert '{"name": "SimCLR"}' in result.stdout
    assert "Nope does not exist" in result.stderr and "Unknown shell command ':bogus'" in result.stderr
    assert "Unknown format 'yaml'" in result.stderr and "Parser exception" in result.stderr
    assert history.read_text().splitlines() == [
        "MATCH (p:Paper) RETURN count(p) AS papers;", "MATCH (x:Nope) RETURN x;",
        "MATCH (m:Method {name: $name}) RETURN m.id AS id;", "MATCH (p:Paper RETURN p;",
        "MATCH (d:Dataset {name: 'GLUE'}) RETURN d.id AS id;"]
    # a second session sees the history and stops at :quit
    result = runner.invoke(app, ["shell", str(toy_dir), "--history", str(history)],
                           input=":history\nMATCH (n)\n:quit\nRETURN n;\n")
    assert result.exit_code == 0, result.output
    assert "MATCH (x:Nope) RETURN x;" in result.stdout and "_label" not in result.stdout  # :quit mid-query


def test_shell_schema(toy_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["shell", str(toy_dir), "--history", str(tmp_path / "h"), "-f", "csv"],
                           input=":schema\n")
    assert result.exit_code == 0, result.output
    rows = {r[0]: r for r in csv.reader(io.StringIO(result.stdout))}
    assert rows["Paper"][1] == "node" and "authors STRING[]" in rows["Paper"][2]
    assert rows["HAS_CODE"][1] == "relationship Paper -> Repository"


PAPERS = [
    {"id": "x1", "title": "FooNet: Fast Graphs", "abstract": "We propose FooNet, a graph network. We evaluate it on "
     "the CIFAR-10 dataset. Code: https://github.com/Some/FooNet."},
    {"id": "x2", "title": "Another Paper", "abstract": "We study image classification on ImageNet with ResNet-50."},
]


def test_build_writes_the_database_then_query_it(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(p) + "\n" for p in PAPERS), encoding="utf-8")
    out = tmp_path / "g"
    result = runner.invoke(app, ["build", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "embedded database" in result.stderr and (out / "graph.lbdb").is_file()
    query = ["query", str(out), "MATCH (p:Paper) RETURN count(p) AS n", "-f", "json"]
    assert json.loads(runner.invoke(app, query).stdout) == [{"n": 2}]
    result = runner.invoke(app, ["build", str(src), "--out", str(out), "--append"])
    assert result.exit_code == 0, result.output
    assert "0 nodes and 0 relationships added" in result.stderr
    assert json.loads(runner.invoke(app, query).stdout) == [{"n": 2}]
    result = runner.invoke(app, ["build", str(src), "--out", str(out), "--no-db"])
    assert result.exit_code == 0 and not (out / "graph.lbdb").exists()
