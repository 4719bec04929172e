"""``kg viz``: an interactive, self-contained HTML view of the neighbourhood of one entity.

Nodes and edges are laid out by pyvis (vis-network); the page inlines vis-network's script and style,
so it opens offline. Nodes are coloured by label, edges by relationship type; hovering shows the
properties of a node and the evidence sentence of an edge. The page exposes ``window.kgView``
(``network``, ``nodes``, ``edges``, ``expected``, ``stabilized``) for scripted checks.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from kg.analysis import display_name, find_entity, neighbourhood
from kg.errors import E, GraphError
from kg.graph.io import atomic_write
from kg.models import NodeLabel, RelType
from kg.settings import get_settings

__all__ = ["EDGE_COLORS", "NODE_COLORS", "ViewResult", "focus_view", "render_html", "write_view"]

NODE_COLORS: dict[str, str] = {
    NodeLabel.PAPER.value: "#9aa5b1",
    NodeLabel.METHOD.value: "#1f77b4",
    NodeLabel.DATASET.value: "#ff7f0e",
    NodeLabel.TASK.value: "#2ca02c",
    NodeLabel.REPOSITORY.value: "#9467bd",
    NodeLabel.OWNER.value: "#8c564b",
    NodeLabel.LINK.value: "#e377c2",
}
EDGE_COLORS: dict[str, str] = {
    RelType.PROPOSES.value: "#d62728",
    RelType.USES.value: "#1f77b4",
    RelType.INTRODUCES.value: "#bcbd22",
    RelType.EVALUATES_ON.value: "#ff7f0e",
    RelType.ADDRESSES.value: "#2ca02c",
    RelType.HAS_CODE.value: "#9467bd",
    RelType.OWNED_BY.value: "#8c564b",
    RelType.LINKS_TO.value: "#e377c2",
    RelType.EVALUATED_ON.value: "#7f7f7f",
    RelType.APPLIED_TO.value: "#17becf",
}
_SHAPES = {NodeLabel.PAPER.value: "dot", NodeLabel.REPOSITORY.value: "square", NodeLabel.OWNER.value: "triangle",
           NodeLabel.LINK.value: "diamond"}


@dataclass
class ViewResult:
    """What :func:`write_view` drew."""

    path: Path | None
    focus: str
    nodes: int
    edges: int
    html: str


def _short(text: str, n: int = 48) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _node_title(G: nx.MultiDiGraph, node: str) -> str:
    data = G.nodes[node]
    label = data.get("label", "")
    lines = [f"{label}: {display_name(G, node)}", f"id: {node}"]
    if data.get("aliases"):
        lines.append("aliases: " + ", ".join(map(str, data["aliases"][:12])))
    for key in ("date", "url", "arxiv_id", "doi", "kind"):
        if data.get(key):
            lines.append(f"{key}: {data[key]}")
    return "\n".join(lines)


def _edge_title(G: nx.MultiDiGraph, u: str, v: str, key: str, data: dict[str, Any]) -> str:
    lines = [f"{display_name(G, u)} -{key}-> {display_name(G, v)}"]
    if data.get("sentence"):
        lines.append(f"evidence ({data.get('section', 'abstract')}): {data['sentence']}")
        lines.append(f"rule: {data.get('rule')}, confidence {data.get('confidence')}, mentions {data.get('mentions')}")
    if data.get("papers"):
        lines.append(f"supported by {data.get('weight', len(data['papers']))} paper(s): "
                     + "; ".join(_short(display_name(G, p), 60) for p in data["papers"][:5] if p in G))
    return "\n".join(lines)


def focus_view(G: nx.MultiDiGraph, focus: str, hops: int = 2, max_nodes: int | None = None,
               derived: bool = False) -> nx.MultiDiGraph:
    """The neighbourhood drawn by :func:`write_view` (see :func:`kg.analysis.neighbourhood`)."""
    max_nodes = get_settings().viz_max_nodes if max_nodes is None else max_nodes
    return neighbourhood(G, focus, hops=hops, max_nodes=max_nodes, derived=derived)


def _network(G: nx.MultiDiGraph, H: nx.MultiDiGraph, focus: str):  # type: ignore[no-untyped-def]
    try:
        from pyvis.network import Network
    except ImportError as error:  # pragma: no cover - the viz extra is missing
        raise GraphError(E.E126.format(what="kg viz", package="pyvis", why=error)) from error
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    for node, data in H.nodes(data=True):
        label = data.get("label", "")
        name = display_name(G, node)
        net.add_node(node, label=_short(name, 28 if label == NodeLabel.PAPER.value else 40),
                     title=_node_title(G, node), color=NODE_COLORS.get(label, "#cccccc"),
                     shape="star" if node == focus else _SHAPES.get(label, "dot"),
                     size=32 if node == focus else (10 if label == NodeLabel.PAPER.value else 18), kind=label)
    for u, v, key, data in H.edges(keys=True, data=True):
        net.add_edge(u, v, title=_edge_title(G, u, v, key, data), color=EDGE_COLORS.get(key, "#999999"),
                     label=key, relation=key, id=f"{u}|{key}|{v}")
    net.set_options(json.dumps({
        "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 300, "fit": True},
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "smooth": False,
                  "font": {"size": 8, "color": "#555555", "strokeWidth": 0}},
        "nodes": {"font": {"size": 12}},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
    }))
    return net


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace(
        "&", "\\u0026")


def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(
        encoding="utf-8")


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="kg-focus" content="{focus_attr}">
<meta name="kg-node-count" content="{n_nodes}">
<meta name="kg-edge-count" content="{n_edges}">
<title>{title}</title>
<style>{vis_css}</style>
<style>
html, body {{ margin: 0; height: 100%; font-family: sans-serif; }}
#header {{ padding: 6px 12px; border-bottom: 1px solid #ddd; font-size: 14px; }}
#legend span {{ display: inline-block; margin-right: 10px; font-size: 12px; }}
#legend i {{ display: inline-block; width: 11px; height: 11px; border-radius: 6px; margin-right: 3px;
  vertical-align: -1px; }}
#legend b {{ display: inline-block; width: 16px; height: 3px; margin-right: 3px; vertical-align: 3px; }}
#kg-network {{ position: absolute; top: 78px; bottom: 0; left: 0; right: 0; }}
div.vis-tooltip {{ white-space: pre-wrap; max-width: 520px; font-size: 12px; }}
</style>
</head>
<body>
<div id="header"><strong>{title}</strong> — {n_nodes} nodes, {n_edges} relationships ({hops} hops)
<div id="legend">{legend}</div></div>
<div id="kg-network"></div>
<script>{vis_js}</script>
<script>
(function () {{
  var nodes = new vis.DataSet({nodes});
  var edges = new vis.DataSet({edges});
  var options = {options};
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, {{nodes: nodes, edges: edges}}, options);
  var view = {{network: network, nodes: nodes, edges: edges, expected: {n_nodes}, stabilized: false}};
  window.kgView = view;
  network.once("stabilizationIterationsDone", function () {{
    network.setOptions({{physics: false}});
    network.fit();
    view.stabilized = true;
  }});
}})();
</script>
</body>
</html>
"""


def render_html(G: nx.MultiDiGraph, H: nx.MultiDiGraph, focus: str, hops: int) -> str:
    """The page for the subgraph ``H`` of ``G`` around ``focus``."""
    net = _network(G, H, focus)
    nodes, edges, _, _, _, options = net.get_network_data()
    vis_js, vis_css = _vis_assets()
    labels_here = {d.get("label") for _, d in H.nodes(data=True)}
    rels_here = {k for _, _, k in H.edges(keys=True)}
    legend = "".join(f'<span><i style="background:{c}"></i>{lab}</span>' for lab, c in NODE_COLORS.items()
                     if lab in labels_here)
    legend += "".join(f'<span><b style="background:{c}"></b>{rel}</span>' for rel, c in EDGE_COLORS.items()
                      if rel in rels_here)
    title = f"kg: {display_name(G, focus)} ({G.nodes[focus].get('label')})"
    return _PAGE.format(title=html.escape(title), focus_attr=html.escape(focus, quote=True),
                        n_nodes=len(nodes), n_edges=len(edges), hops=hops, legend=legend,
                        vis_css=vis_css, vis_js=vis_js.replace("</script", "<\\/script"),
                        nodes=_script_json(nodes), edges=_script_json(edges), options=options)


def write_view(G: nx.MultiDiGraph, name: str, out: str | Path | None, hops: int = 2, max_nodes: int | None = None,
               label: str | None = None, derived: bool = False) -> ViewResult:
    """Look ``name`` up (:func:`kg.analysis.find_entity`), draw its neighbourhood, write the page to ``out``.

    >>> from kg.analysis import example_graph
    >>> view = write_view(example_graph(), "glue", None, hops=2)
    >>> view.focus, view.nodes, view.edges, "https://" in view.html.split("<script>")[0]
    ('dataset:glue', 5, 4, False)
    """
    focus = find_entity(G, name, labels=[label] if label else None)
    H = focus_view(G, focus, hops=hops, max_nodes=max_nodes, derived=derived)
    page = render_html(G, H, focus, hops)
    path = None
    if out is not None:
        path = Path(out)
        with atomic_write(path) as handle:
            handle.write(page)
    return ViewResult(path, focus, H.number_of_nodes(), H.number_of_edges(), page)
