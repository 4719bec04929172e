"""Focused views: the subgraph within k hops of an entity."""

from __future__ import annotations

import networkx as nx

from kg.analysis._common import DERIVED_KEYS, require_node, sort_key
from kg.errors import E, QueryError

__all__ = ["neighbourhood"]


def neighbourhood(G: nx.MultiDiGraph, node: str, hops: int = 2, max_nodes: int | None = None,
                  derived: bool = False) -> nx.MultiDiGraph:
    """The subgraph of nodes within ``hops`` steps of ``node`` (edge direction ignored), as a copy.

    By default the walk goes through papers only (derived Method -> Dataset / Task edges are neither
    walked nor kept); ``derived=True`` walks and keeps them. ``max_nodes`` caps the size: whole rings are
    kept while they fit, then the best-connected nodes of the next ring.

    >>> from kg.analysis.toy import example_graph
    >>> G = example_graph()
    >>> sorted(neighbourhood(G, "dataset:glue", hops=1))
    ['bert', 'dataset:glue']
    >>> H = neighbourhood(G, "dataset:glue", hops=2)
    >>> sorted(H), H.number_of_edges()
    (['bert', 'dataset:glue', 'method:bert', 'method:transformer', 'task:languageunderstanding'], 4)
    """
    require_node(G, node)
    if hops < 0:
        raise QueryError(E.E127.format(hops=hops))

    def walkable(u: str, v: str, k: str) -> bool:
        return derived or k not in DERIVED_KEYS

    kept = [node]
    seen = {node}
    ring = [node]
    for _ in range(hops):
        nxt: dict[str, None] = {}
        for u in ring:
            for _, v, k in G.out_edges(u, keys=True):
                if v not in seen and walkable(u, v, k):
                    nxt[v] = None
            for v, _, k in G.in_edges(u, keys=True):
                if v not in seen and walkable(v, u, k):
                    nxt[v] = None
        if not nxt:
            break
        ring = list(nxt)
        if max_nodes is not None and len(kept) + len(ring) > max_nodes:
            ring.sort(key=lambda n: (-G.degree(n), *sort_key(G, n)))
            ring = ring[: max(max_nodes - len(kept), 0)]
            kept.extend(ring)
            break
        kept.extend(ring)
        seen.update(ring)
    H = G.subgraph(kept)
    if not derived:
        H = nx.subgraph_view(H, filter_edge=lambda u, v, k: k not in DERIVED_KEYS)
    return nx.MultiDiGraph(H)
