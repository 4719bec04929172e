"""The report on the tiny graph (exact values) and on the seeds graph (files exist, PNGs decode, CLI)."""

from __future__ import annotations

import json

import pytest
from PIL import Image
from typer.testing import CliRunner

from kg.analysis import rank_datasets, rank_methods
from kg.cli import app
from kg.errors import GraphError
from kg.report import CHARTS, build_report, render_markdown, write_report


def test_report_on_tiny_graph(T, tmp_path):
    report = build_report(T, top=2, betweenness_k=None)
    assert report["code_share"] == 0.6
    assert report["top"]["methods"] == [
        {"id": "method:a", "name": "A", "papers": 3, "proposed": 1, "used": 2},
        {"id": "method:b", "name": "B", "papers": 3, "proposed": 0, "used": 3}]
    assert report["top"]["datasets_introduced"] == [{"id": "dataset:d3", "name": "D3", "papers": 1}]
    assert report["top"]["owners"] == [{"id": "github.com/x", "name": "x", "repositories": 2},
                                       {"id": "github.com/y", "name": "y", "repositories": 1}]
    assert report["code_share_by_task"][0] == {"id": "task:t1", "name": "T1", "papers": 3, "with_code": 2,
                                               "share": round(2 / 3, 6)}
    # co-usage: A-B-C joined, E alone -> one community of 3 (Louvain may split a path of 3; it does not here)
    comm = report["communities"]
    assert (comm["nodes"], comm["edges"], comm["isolated_methods"]) == (4, 2, 1)
    assert sum(comm["sizes"]) == 3
    assert report["components"]["sizes"] == [12, 3]
    assert report["papers_per_entity"]["Method"] == {"1": 2, "3": 2}
    assert report["centrality"]["betweenness_sampled_sources"] is None
    md = render_markdown(report)
    assert "| A | 3 | 1 | 2 |" in md and "Papers with a code repository: 60.0%." in md
    files = write_report(T, tmp_path, charts=False)
    assert files.charts == [] and json.loads(files.json.read_text())["code_share"] == 0.6


def test_report_needs_papers():
    import networkx as nx

    with pytest.raises(GraphError, match="no Paper nodes"):
        build_report(nx.MultiDiGraph())


@pytest.mark.slow
def test_report_and_charts_on_seeds(seeds_graph, tmp_path):
    files = write_report(seeds_graph, tmp_path / "report", top=10)
    assert sorted(p.name for p in files.charts) == sorted(CHARTS)
    for path in [files.json, files.markdown, *files.charts]:
        assert path.exists() and path.stat().st_size > 0
    for path in files.charts:
        with Image.open(path) as image:
            image.load()
            assert image.format == "PNG" and image.width >= 400 and image.height >= 200
            assert len(image.getcolors(maxcolors=1 << 20) or [None] * 99) > 5  # not a blank canvas
    report = json.loads(files.json.read_text())
    assert report["counts"]["nodes"]["Paper"] == 730
    assert [r["id"] for r in report["top"]["methods"]] == [m for m, _ in rank_methods(seeds_graph, top=10)]
    assert [r["id"] for r in report["top"]["datasets"]] == [d for d, _ in rank_datasets(seeds_graph, top=10)]
    assert report["communities"]["count"] > 10 and report["components"]["largest"] > 1000
    md = files.markdown.read_text()
    for name in CHARTS:
        assert f"]({name})" in md


@pytest.mark.slow
def test_cli_analyze_and_viz(seeds_graph_dir, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["analyze", str(seeds_graph_dir), "--out", str(tmp_path / "r"), "--top", "5"])
    assert result.exit_code == 0, result.output
    assert "730 papers" in result.stdout and "top datasets: ImageNet" in result.stdout
    assert (tmp_path / "r" / "report.md").exists() and (tmp_path / "r" / "top_datasets.png").exists()

    result = runner.invoke(app, ["viz", str(seeds_graph_dir), "--focus", "simclr", "--hops", "1",
                                 "--out", str(tmp_path / "v.html")])
    assert result.exit_code == 0, result.output
    assert "nodes" in result.stdout and (tmp_path / "v.html").stat().st_size > 100_000

    result = runner.invoke(app, ["viz", str(seeds_graph_dir), "--focus", "SimCRL", "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 1
    assert "No Method, Dataset, Task or Repository is named 'SimCRL'" in result.output
    assert "SimCLR (Method)" in result.output
    assert not (tmp_path / "x.html").exists()
