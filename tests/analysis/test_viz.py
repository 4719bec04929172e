"""The HTML view: built from the tiny graph (exact contents) and opened in headless Chromium from the seeds."""

from __future__ import annotations

import importlib.util
import json
import os
import re
from pathlib import Path

import pytest
from PIL import Image

from kg.viz import EDGE_COLORS, NODE_COLORS, write_view

REPO = Path(__file__).resolve().parents[2]


def _data(page: str, name: str) -> list[dict]:
    found = re.search(rf"var {name} = new vis\.DataSet\((.*?)\);\n", page)
    assert found, name
    return json.loads(found.group(1))


def test_view_of_tiny_graph(T, tmp_path):
    view = write_view(T, "alpha", tmp_path / "a.html", hops=1)
    assert (view.focus, view.nodes, view.edges) == ("method:a", 4, 3)
    page = (tmp_path / "a.html").read_text()
    nodes, edges = _data(page, "nodes"), _data(page, "edges")
    assert sorted(n["id"] for n in nodes) == ["method:a", "p1", "p3", "p5"]
    focus = next(n for n in nodes if n["id"] == "method:a")
    assert focus["shape"] == "star" and focus["color"] == NODE_COLORS["Method"]
    assert {n["color"] for n in nodes if n["id"] != "method:a"} == {NODE_COLORS["Paper"]}
    rels = sorted((e["from"], e["to"], e["relation"]) for e in edges)
    assert rels == [("p1", "method:a", "PROPOSES"), ("p3", "method:a", "USES"), ("p5", "method:a", "USES")]
    assert all(e["color"] == EDGE_COLORS[e["relation"]] for e in edges)
    assert "evidence (abstract): Paper p1: proposes A." in next(e for e in edges if e["from"] == "p1")["title"]
    assert '<meta name="kg-node-count" content="4">' in page
    # self-contained: no external script, style or link
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?https?:""", page)
    assert "vis.Network" in page and len(page) > 300_000


def test_view_caps_nodes_and_walks_derived(T):
    assert write_view(T, "A", None, hops=2, max_nodes=5).nodes == 5
    assert write_view(T, "E", None, hops=1).nodes == 2
    # E, p4 and (by APPLIED_TO) T3; edges PROPOSES, APPLIED_TO and ADDRESSES
    assert write_view(T, "E", None, hops=1, derived=True).edges == 3


def _check_viz_module():
    spec = importlib.util.spec_from_file_location("check_viz", REPO / "scripts" / "check_viz.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_view_in_headless_chromium(seeds_graph, tmp_path):
    check_viz = _check_viz_module()
    if check_viz.find_chromium() is None:
        if os.environ.get("CI") or os.environ.get("KG_REQUIRE_CHROMIUM"):
            pytest.fail("chromium is required in CI: apt-get install -y chromium")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    pytest.importorskip("websocket", reason="pip install websocket-client")
    view = write_view(seeds_graph, "SimCLR", tmp_path / "simclr.html", hops=2)
    assert view.nodes > 50
    result = check_viz.check_view(view.path, screenshot=tmp_path / "simclr.png", timeout=90)
    assert result["console_errors"] == [] and result["network_requests"] == []
    assert result["drawn_nodes"] == result["positioned_nodes"] == view.nodes
    assert result["drawn_edges"] == view.edges
    assert result["painted_pixels"] > 10_000 and result["ok"] is True
    with Image.open(tmp_path / "simclr.png") as shot:
        assert shot.format == "PNG" and shot.width == 1280 and shot.height > 500
