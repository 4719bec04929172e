"""Structure: communities, centrality of entities, connected components, and explained shortest paths."""

from __future__ import annotations

import itertools
from typing import NamedTuple

import networkx as nx

from kg.analysis._common import (
    DERIVED_KEYS,
    ENTITY_LABELS,
    check_choice,
    display_name,
    require_node,
    sort_key,
)
from kg.errors import E, QueryError
from kg.models import NodeLabel

__all__ = ["Hop", "betweenness", "communities", "components", "entity_graph", "explain_path", "format_path",
           "pagerank"]

_DEFAULT_RANKED = (NodeLabel.METHOD, NodeLabel.DATASET)


def communities(H: nx.Graph, weight: str | None = "weight", resolution: float = 1.0, seed: int | None = 0,
                method: str = "louvain", min_size: int = 1) -> list[set[str]]:
    """Communities of an undirected graph (e.g. a co-usage graph) by Louvain, biggest first.

    ``method="greedy"`` uses greedy modularity instead; ``min_size`` drops small communities (isolated
    nodes are communities of one). The order is deterministic for a given ``seed``: size, then the
    smallest member.

    >>> H = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
    >>> [sorted(c) for c in communities(H)]
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    check_choice(method, ("louvain", "greedy"), "community method")
    if H.number_of_nodes() == 0:
        return []
    if method == "louvain":
        found = nx.community.louvain_communities(H, weight=weight, resolution=resolution, seed=seed)
    else:
        found = nx.community.greedy_modularity_communities(H, weight=weight, resolution=resolution)
    result = [set(c) for c in found if len(c) >= min_size]
    result.sort(key=lambda c: (-len(c), min(str(n) for n in c)))
    return result


def entity_graph(G: nx.MultiDiGraph, labels: tuple[NodeLabel, ...] | None = None, derived: bool = False) -> nx.Graph:
    """An undirected simple view of the graph restricted to ``labels`` (papers, methods, datasets, tasks).

    Derived Method -> Dataset / Task edges are left out unless ``derived=True``: they repeat what the papers
    already connect. Each edge keeps the relationship types that join its two nodes (``rels``).

    >>> from kg.analysis.toy import example_graph
    >>> U = entity_graph(example_graph())
    >>> U.number_of_nodes(), U.number_of_edges()
    (20, 28)
    """
    labels = labels or (NodeLabel.PAPER, *ENTITY_LABELS)
    values = {str(label) for label in labels}
    U = nx.Graph()
    U.add_nodes_from((n, {"label": d.get("label"), "name": display_name(G, n)})
                     for n, d in G.nodes(data=True) if d.get("label") in values)
    for u, v, key in G.edges(keys=True):
        if u in U and v in U and (derived or key not in DERIVED_KEYS):
            if U.has_edge(u, v):
                U[u][v]["rels"] = sorted({*U[u][v]["rels"], key})
            else:
                U.add_edge(u, v, rels=[key])
    return U


def _ranked_scores(G: nx.Graph, scores: dict[str, float], labels: tuple[NodeLabel, ...] | None,
                   top: int | None) -> list[tuple[str, float]]:
    values = {str(label) for label in (labels or _DEFAULT_RANKED)}
    ranked = sorted(((n, s) for n, s in scores.items() if G.nodes[n].get("label") in values),
                    key=lambda item: (-item[1], *sort_key(G, item[0])))
    return ranked[:top] if top is not None else ranked


def pagerank(G: nx.MultiDiGraph, labels: tuple[NodeLabel, ...] | None = None, top: int | None = None,
             alpha: float = 0.85) -> list[tuple[str, float]]:
    """PageRank of methods and datasets (or ``labels``) on :func:`entity_graph`, highest first.

    Scores are computed over the whole paper-entity graph (so they sum to 1 over all its nodes) and then
    filtered to ``labels``.

    >>> from kg.analysis.toy import example_graph
    >>> [(n, round(s, 3)) for n, s in pagerank(example_graph(), top=2)]
    [('dataset:imagenet', 0.076), ('method:resnet', 0.047)]
    """
    U = entity_graph(G)
    if U.number_of_nodes() == 0:
        return []
    return _ranked_scores(U, nx.pagerank(U, alpha=alpha), labels, top)


def betweenness(G: nx.MultiDiGraph, labels: tuple[NodeLabel, ...] | None = None, top: int | None = None,
                k: int | None = None, seed: int | None = 0, normalized: bool = True) -> list[tuple[str, float]]:
    """Betweenness centrality of methods and datasets (or ``labels``) on :func:`entity_graph`, highest first.

    ``k`` samples that many source nodes (with ``seed``) for large graphs; ``None`` is exact.

    >>> from kg.analysis.toy import example_graph
    >>> [(n, round(s, 3)) for n, s in betweenness(example_graph(), top=2)]
    [('dataset:imagenet', 0.458), ('method:transformer', 0.351)]
    """
    U = entity_graph(G)
    if U.number_of_nodes() == 0:
        return []
    k = None if k is None or k >= U.number_of_nodes() else k
    scores = nx.betweenness_centrality(U, k=k, seed=seed, normalized=normalized)
    return _ranked_scores(U, scores, labels, top)


def components(G: nx.Graph, labels: tuple[NodeLabel, ...] | None = None) -> list[set[str]]:
    """Connected components (weakly, for directed graphs), biggest first, over the nodes with ``labels``.

    >>> from kg.analysis.toy import example_graph
    >>> G = example_graph()
    >>> [len(c) for c in components(G)]
    [25]
    >>> [sorted(c) for c in components(G, labels=(NodeLabel.PAPER, NodeLabel.DATASET))][1]
    ['bert', 'dataset:glue']
    """
    H = G
    if labels is not None:
        values = {str(label) for label in labels}
        H = G.subgraph([n for n, d in G.nodes(data=True) if d.get("label") in values])
    found = nx.weakly_connected_components(H) if H.is_directed() else nx.connected_components(H)
    result = [set(c) for c in found]
    result.sort(key=lambda c: (-len(c), min(str(n) for n in c)))
    return result


class Hop(NamedTuple):
    """One step of an explained path: ``source -[rel]-> target`` as stored, walked forward or backward."""

    source: str
    rel: str
    target: str
    forward: bool
    evidence: str | None
    papers: tuple[str, ...]


def _hop(G: nx.MultiDiGraph, a: str, b: str, derived: bool) -> Hop:
    options = []
    for u, v in ((a, b), (b, a)):
        for key, data in (G.get_edge_data(u, v) or {}).items():
            if key in DERIVED_KEYS and not derived:
                continue
            options.append((key in DERIVED_KEYS, key, u, v, data))
    options.sort(key=lambda o: (o[0], o[1]))
    _, key, u, v, data = options[0]
    return Hop(u, key, v, u == a, data.get("sentence") or None, tuple(data.get("papers", ())))


def explain_path(G: nx.MultiDiGraph, source: str, target: str, derived: bool = False) -> list[Hop]:
    """The shortest path between two nodes, hop by hop, with the relationship and its evidence sentence.

    Direction is ignored while searching; each :class:`Hop` says how the edge is stored. Derived
    Method -> Dataset / Task edges are only walked with ``derived=True``, so by default the path goes
    through the papers that connect the two.

    >>> from kg.analysis.toy import example_graph
    >>> G = example_graph()
    >>> print(format_path(G, explain_path(G, "method:moco", "dataset:cifar10")))
    MoCo <-PROPOSES- Momentum Contrast
    Momentum Contrast -USES-> ResNet
    ResNet <-USES- A Simple Framework for Contrastive Learning
    A Simple Framework for Contrastive Learning -EVALUATES_ON-> CIFAR-10
    """
    require_node(G, source)
    require_node(G, target)
    # a concrete simple graph: networkx's undirected views of directed graphs iterate over sets (not
    # reproducible between runs), this one keeps the graph's insertion order
    view = nx.Graph()
    view.add_nodes_from(G)
    view.add_edges_from((u, v) for u, v, k in G.edges(keys=True) if derived or k not in DERIVED_KEYS)
    try:
        nodes = nx.shortest_path(view, source, target)
    except nx.NetworkXNoPath:
        raise QueryError(E.E125.format(source=source, target=target)) from None
    return [_hop(G, a, b, derived) for a, b in itertools.pairwise(nodes)]


def format_path(G: nx.MultiDiGraph, hops: list[Hop]) -> str:
    """One line per hop, from the start of the path: ``A -REL-> B`` or ``A <-REL- B``."""
    lines = []
    for hop in hops:
        here, there = (hop.source, hop.target) if hop.forward else (hop.target, hop.source)
        arrow = f"-{hop.rel}->" if hop.forward else f"<-{hop.rel}-"
        lines.append(f"{display_name(G, here)} {arrow} {display_name(G, there)}")
    return "\n".join(lines)


