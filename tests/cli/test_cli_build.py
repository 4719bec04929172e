import json
from pathlib import Path

from typer.testing import CliRunner

import kg.cli  # noqa: F401  (registers every command)
from kg.cli.app import app

runner = CliRunner()

PAPERS = [
    {"id": "x1", "title": "FooNet: Fast Graphs", "abstract": "We propose FooNet, a graph network. We evaluate it on "
     "the CIFAR-10 dataset. Code: https://github.com/Some/FooNet."},
    {"id": "x2", "title": "Another Paper", "abstract": "We study image classification on ImageNet with ResNet-50. "
     "Project page: https://another.github.io/page."},
]


def write_jsonl(path: Path, rows: list) -> str:  # type: ignore[type-arg]
    path.write_text("".join((json.dumps(r) if not isinstance(r, str) else r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_extract_writes_one_record_per_paper_with_input_ids(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [*PAPERS, {**PAPERS[0], "id": "dup"}])
    out = tmp_path / "pred.jsonl"
    result = runner.invoke(app, ["extract", src, "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["x1", "x2"]
    assert rows[0]["repositories"] == ["github.com/some/foonet"]
    assert rows[1]["urls"] == ["https://another.github.io/page"]
    for row in rows:
        for kind in ("methods", "datasets", "tasks"):
            for mention in row[kind]:
                assert mention["evidence"], mention
                ev = mention["evidence"][0]
                assert {"sentence", "start", "end", "rule", "confidence"} <= set(ev)


def test_build_then_stats_json(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", PAPERS)
    result = runner.invoke(app, ["build", src, "--out", str(tmp_path / "g")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["stats", str(tmp_path / "g"), "--format", "json"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)
    assert counts["nodes"]["Paper"] == 2
    assert counts["nodes"]["Repository"] == 1 and counts["relationships"]["HAS_CODE"] == 1
    assert counts["nodes"]["Link"] == 1 and counts["relationships"]["OWNED_BY"] == 1


def test_bad_records_are_reported_and_good_ones_kept(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [PAPERS[0], "{oops", {"id": "n", "title": "No abstract"}])
    result = runner.invoke(app, ["build", src, "--out", str(tmp_path / "g")])
    assert result.exit_code == 0, result.output
    assert f"{src}:2" in result.stderr and "JSON" in result.stderr
    assert f"{src}:3" in result.stderr and "abstract" in result.stderr
    assert "skipped 2" in result.stderr
    assert json.loads((tmp_path / "g" / "manifest.json").read_text())["counts"]["nodes"]["Paper"] == 1


def test_nothing_usable_exits_non_zero(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", ["{oops"])
    result = runner.invoke(app, ["build", src, "--out", str(tmp_path / "g")])
    assert result.exit_code == 1
    assert "no usable records" in result.stderr
    assert not (tmp_path / "g" / "graph.json").exists()


def test_stats_on_a_folder_that_is_not_a_graph(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stats", str(tmp_path)])
    assert result.exit_code == 1
    assert "not a kg graph folder" in result.stderr


def test_bad_field_mapping_message(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", PAPERS)
    result = runner.invoke(app, ["extract", src, "-o", str(tmp_path / "o.jsonl"), "--map", "abstract"])
    assert result.exit_code == 1
    assert "not a field mapping" in result.stderr


def test_seeds_graph_counts(seeds_graph_dir: Path) -> None:
    result = runner.invoke(app, ["stats", str(seeds_graph_dir), "--format", "json"])
    counts = json.loads(result.stdout)
    assert counts["nodes"]["Paper"] == 730
    assert counts["nodes"]["Repository"] == 161
    assert counts["relationships"]["HAS_CODE"] == 162
