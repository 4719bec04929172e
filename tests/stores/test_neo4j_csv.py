"""kg export neo4j-csv: headers in the format of neo4j-admin database import full, values that parse back."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import networkx as nx
import pytest
import yaml
from typer.testing import CliRunner

from kg.analysis.toy import add_paper, derive, example_graph
from kg.cli import app
from kg.errors import StoreError
from kg.graph.io import graph_counts, node_rows, relationship_rows, save_graph
from kg.models import NODE_MODELS, REL_ENDPOINTS, REL_MODELS, NodeLabel, RelType
from kg.settings import Settings
from kg.stores import neo4j_csv
from kg.stores.neo4j_csv import FALLBACK_DELIMITER, export_neo4j_csv, node_header, read_back, rel_header

REPO = Path(__file__).resolve().parents[2]
NASTY = 'Say "hi", \'yo\'\nnew line, back\\slash {braces} `tick` $dollar ; DROP -- 漢字 émoji 🙂\ttab\r\nend'

#: The header grammar of neo4j-admin import: name:type, :ID(group), :START_ID(group), :END_ID(group), :LABEL, :TYPE
_TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point", "date",
          "localtime", "time", "localdatetime", "datetime", "duration"}
_FIELD = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)?(?::(?P<kind>[A-Za-z_]+)(?P<array>\[\])?(?:\((?P<group>"
                    r"[A-Za-z]+)\))?)?$")


def _check_header(header: list[str], *, relationship: bool) -> None:
    special = [c for c in header if c.startswith(":") or ":ID(" in c]
    for column in header:
        m = _FIELD.match(column)
        assert m, column
        kind = m["kind"]
        if kind is None:
            assert m["name"], column  # a plain (string) property
        elif kind in ("ID", "START_ID", "END_ID"):
            assert m["group"] in {label.value for label in NodeLabel}, column
        elif kind in ("LABEL", "TYPE"):
            assert m["name"] is None and m["array"] is None, column
        else:
            assert kind in _TYPES and m["name"], column
    if relationship:
        assert [c.split("(")[0] for c in special] == [":START_ID", ":END_ID", ":TYPE"]
    else:
        assert special[0].startswith("id:ID(") and special[-1] == ":LABEL" and len(special) == 2


def test_headers_are_in_the_import_tool_format() -> None:
    for label in NodeLabel:
        header = node_header(label)
        _check_header(header, relationship=False)
        assert header[0] == f"id:ID({label.value})"
        names = [c.split(":")[0] for c in header[1:-1]]
        assert names == [f for f in NODE_MODELS[label].model_fields if f not in ("id", "label")]
    for rel in RelType:
        header = rel_header(rel)
        _check_header(header, relationship=True)
        source, target = REL_ENDPOINTS[rel]
        assert header[:3] == [f":START_ID({source.value})", f":END_ID({target.value})", ":TYPE"]
        assert [c.split(":")[0] for c in header[3:]] == [
            f for f in REL_MODELS[rel].model_fields if f not in ("type", "source", "target")]
    assert node_header(NodeLabel.PAPER) == ["id:ID(Paper)", "title", "abstract", "sources:string[]", "url", "date",
                                            "arxiv_id", "doi", "authors:string[]", ":LABEL"]
    assert rel_header(RelType.USES) == [":START_ID(Paper)", ":END_ID(Method)", ":TYPE", "sentence", "start:int",
                                        "end:int", "rule", "confidence:float", "section", "mentions:int"]


def _nasty_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    add_paper(G, "arxiv:1", title=NASTY, proposes=['Na"sty, Net'], evaluates_on=["Set {1}"], code=["o/r"])
    add_paper(G, "arxiv:2", title="plain", uses=['Na"sty, Net'], addresses=["t"])
    G.nodes["arxiv:1"].update(abstract=NASTY * 3, authors=['Doe, "J"', "O'Neil", "漢字"], sources=["f.txt:1"])
    G.nodes["method:nastynet"]["aliases"] = ["NN", "N,N", 'N"N', "N\nN"]
    return derive(G)


def _expected(row: dict, fields: list[tuple[str, str]]) -> dict:
    """A graph row as the import tool reads it back: empty arrays and None are no property."""
    want = {}
    for prop, kind in fields:
        value = row.get(prop)
        if value is None or (kind.endswith("[]") and not value):
            want[prop] = None
        else:
            want[prop] = list(value) if kind.endswith("[]") else value
    return want


def _assert_round_trip(G: nx.MultiDiGraph, out: Path, delimiter: str) -> None:
    for label in NodeLabel:
        back = read_back(out / neo4j_csv.node_file(label), delimiter)
        fields = neo4j_csv.node_fields(label)
        want = [{"id": r["id"], **_expected(r, fields), ":LABEL": label.value} for r in node_rows(G, label)]
        assert back == want, label
    for rel in RelType:
        back = read_back(out / neo4j_csv.rel_file(rel), delimiter)
        fields = neo4j_csv.rel_fields(rel)
        want = [{":START_ID": r["source"], ":END_ID": r["target"], ":TYPE": rel.value, **_expected(r, fields)}
                for r in relationship_rows(G, rel)]
        assert back == want, rel


def test_quoting_and_arrays_round_trip(tmp_path: Path) -> None:
    G = _nasty_graph()
    report = export_neo4j_csv(G, tmp_path)
    assert report.array_delimiter == ";"
    assert report.nodes == graph_counts(G)["nodes"]
    assert report.relationships == graph_counts(G)["relationships"]
    _assert_round_trip(G, tmp_path, ";")
    # RFC 4180 quoting: a field with a quote is quoted and the quote doubled; a line break stays inside quotes
    text = (tmp_path / "nodes_Method.csv").read_text(encoding="utf-8")
    assert '"Na""sty, Net"' in text
    with open(tmp_path / "nodes_Paper.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 3 and all(len(r) == len(node_header("Paper")) for r in rows)


def test_array_delimiter_collision_switches_delimiter(tmp_path: Path) -> None:
    G = example_graph()
    G.nodes["method:simclr"]["aliases"] = ["SimCLR; v1", "Sim;CLR"]
    report = export_neo4j_csv(G, tmp_path)
    assert report.array_delimiter == FALLBACK_DELIMITER
    assert "--array-delimiter=U+001F" in report.command
    assert "--array-delimiter=U+001F" in (tmp_path / "import.sh").read_text()
    _assert_round_trip(G, tmp_path, FALLBACK_DELIMITER)
    back = {r["id"]: r for r in read_back(tmp_path / "nodes_Method.csv", FALLBACK_DELIMITER)}
    assert back["method:simclr"]["aliases"] == ["SimCLR; v1", "Sim;CLR"]

    G.nodes["method:simclr"]["aliases"] = ["a;b", "c\x1fd"]
    with pytest.raises(StoreError, match="U\\+001F"):
        export_neo4j_csv(G, tmp_path / "bad")


def test_import_command_and_schema(tmp_path: Path) -> None:
    report = export_neo4j_csv(example_graph(), tmp_path)
    command = (tmp_path / "import.sh").read_text()
    assert "neo4j-admin database import full" in command and "--multiline-fields=true" in command
    assert "--array-delimiter=';'" in command
    for label in NodeLabel:
        assert f"--nodes=/import/nodes_{label.value}.csv" in command
    for rel in RelType:
        assert f"--relationships=/import/rels_{rel.value}.csv" in command
    assert command.rstrip().endswith("neo4j")
    schema = (tmp_path / "schema.cypher").read_text().splitlines()
    assert schema[0] == "CREATE CONSTRAINT kg_paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE;"
    assert len(schema) == len(NodeLabel)
    assert set(report.files) == {p.name for p in tmp_path.iterdir()}


def test_cli_export(tmp_path: Path, seeds_graph_dir: Path, seeds_graph) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["export", "neo4j-csv", str(seeds_graph_dir), "--out", str(tmp_path / "csv")])
    assert result.exit_code == 0, result.output
    assert "neo4j-admin database import full" in result.stderr
    _assert_round_trip(seeds_graph, tmp_path / "csv", ";")


def test_cli_export_error(tmp_path: Path) -> None:
    save_graph(example_graph(), tmp_path / "g")
    (tmp_path / "file").write_text("x")
    result = CliRunner().invoke(app, ["export", "neo4j-csv", str(tmp_path / "g"), "--out", str(tmp_path / "file")])
    assert result.exit_code == 1 and "cannot write the CSV files" in result.output


# --------------------------------------------------------------------------- docker-compose.yml


def test_docker_compose_runs_neo4j5_with_a_bolt_healthcheck() -> None:
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    service = compose["services"]["neo4j"]
    assert service["image"].startswith("neo4j:5") and "community" in service["image"]
    assert {"7474:7474", "7687:7687"} <= set(service["ports"])
    volumes = service["volumes"]
    assert any(v.endswith(":/data") for v in volumes)
    assert "neo4j-data" in compose["volumes"]
    check = service["healthcheck"]
    test = " ".join(check["test"])
    assert "cypher-shell" in test and "7687" in test and "RETURN 1" in test  # Bolt answers, not only HTTP
    assert check["retries"] * int(check["interval"].rstrip("s")) >= 60
    # the documented default password is the one kg uses by default
    default_auth = service["environment"]["NEO4J_AUTH"]
    example = dict(line.split("=", 1) for line in (REPO / ".env.example").read_text().splitlines()
                   if line and not line.startswith("#"))
    user, password = example["NEO4J_AUTH"].split("/", 1)
    assert default_auth == "${NEO4J_AUTH:-" + example["NEO4J_AUTH"] + "}"
    fields = Settings.model_fields
    assert (user, password) == (fields["neo4j_user"].default, fields["neo4j_password"].default.get_secret_value())
