"""Projections: bipartite method-dataset / method-task views and co-usage graphs weighted by shared papers."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import networkx as nx

from kg.analysis._common import PAPER_RELS, display_name, nodes_with_label, papers_of
from kg.models import NodeLabel, RelType

__all__ = ["bipartite_view", "cousage_graph", "dataset_cousage_graph", "method_cousage_graph",
           "method_dataset_graph", "method_task_graph"]


def _copy_node(H: nx.Graph, G: nx.MultiDiGraph, node: str, **extra: object) -> None:
    data = G.nodes[node]
    H.add_node(node, label=data.get("label"), name=display_name(G, node), **extra)


def bipartite_view(G: nx.MultiDiGraph, rel: RelType | str) -> nx.Graph:
    """An undirected bipartite graph of one derived relationship (``EVALUATED_ON`` or ``APPLIED_TO``).

    Methods get ``bipartite=0``, the other side ``bipartite=1``; each edge keeps ``weight`` (supporting
    papers) and ``papers`` (their ids). Entities with no such edge are left out.

    >>> from kg.analysis.toy import example_graph
    >>> B = bipartite_view(example_graph(), "APPLIED_TO")
    >>> sorted(B.edges("method:dino", data="weight"))
    [('method:dino', 'task:imageclassification', 1), ('method:dino', 'task:selfsupervisedlearning', 1)]
    """
    rel = RelType(str(rel))
    B = nx.Graph(relationship=rel.value)
    for u, v, key, data in G.edges(keys=True, data=True):
        if key != rel.value:
            continue
        for node, side in ((u, 0), (v, 1)):
            if node not in B:
                _copy_node(B, G, node, bipartite=side)
        papers = list(data.get("papers", ()))
        B.add_edge(u, v, weight=data.get("weight", len(papers)), papers=papers)
    return B


def method_dataset_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """Methods and the datasets they are evaluated on (``EVALUATED_ON``), weighted by supporting papers.

    >>> from kg.analysis.toy import example_graph
    >>> B = method_dataset_graph(example_graph())
    >>> B["method:simclr"]["dataset:imagenet"]
    {'weight': 1, 'papers': ['simclr']}
    """
    return bipartite_view(G, RelType.EVALUATED_ON)


def method_task_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """Methods and the tasks they are applied to (``APPLIED_TO``), weighted by supporting papers.

    >>> from kg.analysis.toy import example_graph
    >>> sorted(method_task_graph(example_graph()).neighbors("task:imageclassification"))
    ['method:dino', 'method:vit']
    """
    return bipartite_view(G, RelType.APPLIED_TO)


def cousage_graph(G: nx.MultiDiGraph, label: NodeLabel | str, rels: tuple[RelType, ...] | None = None,
                  min_weight: int = 1, isolates: bool = True) -> nx.Graph:
    """Entities of ``label`` joined when papers mention both; ``weight`` = shared papers, ``papers`` = their ids.

    ``rels`` chooses the Paper -> entity relationships that count (all of the label's by default). Edges
    with fewer than ``min_weight`` shared papers are dropped; ``isolates=False`` also drops entities left
    without an edge.

    >>> from kg.analysis.toy import example_graph
    >>> H = cousage_graph(example_graph(), "Dataset")
    >>> H["dataset:imagenet"]["dataset:cifar10"]
    {'weight': 2, 'papers': ['byol', 'simclr']}
    """
    label = NodeLabel(str(label))
    rels = rels if rels is not None else PAPER_RELS[label]
    keys = {r.value for r in rels}
    H = nx.Graph(label=label.value)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for node in nodes_with_label(G, label):
        if papers_of(G, node, rels):
            _copy_node(H, G, node)
    for paper in nodes_with_label(G, NodeLabel.PAPER):
        members = sorted({v for _, v, k in G.out_edges(paper, keys=True) if k in keys and v in H})
        for a, b in combinations(members, 2):
            shared[(a, b)].append(paper)
    for (a, b), papers in shared.items():
        if len(papers) >= min_weight:
            H.add_edge(a, b, weight=len(papers), papers=sorted(papers))
    if not isolates:
        H.remove_nodes_from([n for n in list(H) if H.degree(n) == 0])
    return H


def method_cousage_graph(G: nx.MultiDiGraph, min_weight: int = 1, isolates: bool = True) -> nx.Graph:
    """Methods joined when papers propose or use both, weighted by the number of such papers.

    >>> from kg.analysis.toy import example_graph
    >>> H = method_cousage_graph(example_graph())
    >>> sorted(H.edges("method:resnet", data="weight"))[:2]
    [('method:resnet', 'method:byol', 1), ('method:resnet', 'method:moco', 1)]
    """
    return cousage_graph(G, NodeLabel.METHOD, min_weight=min_weight, isolates=isolates)


def dataset_cousage_graph(G: nx.MultiDiGraph, min_weight: int = 1, isolates: bool = True) -> nx.Graph:
    """Datasets joined when papers introduce or evaluate on both, weighted by the number of such papers.

    >>> from kg.analysis.toy import example_graph
    >>> list(dataset_cousage_graph(example_graph(), isolates=False).edges(data="weight"))
    [('dataset:imagenet', 'dataset:cifar10', 2)]
    """
    return cousage_graph(G, NodeLabel.DATASET, min_weight=min_weight, isolates=isolates)

