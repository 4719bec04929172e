"""Similar entities: methods most alike a method by the datasets and tasks they share."""

from __future__ import annotations

import math
from collections import Counter

import networkx as nx

from kg.analysis._common import (
    PAPER_RELS,
    check_choice,
    nodes_with_label,
    out_by_rel,
    papers_of,
    require_node,
    sort_key,
)
from kg.models import NodeLabel, RelType

__all__ = ["method_profile", "similar_methods"]

_FEATURE_RELS = (*PAPER_RELS[NodeLabel.DATASET], *PAPER_RELS[NodeLabel.TASK])


def method_profile(G: nx.MultiDiGraph, method: str, via: str = "papers") -> Counter[str]:
    """The datasets and tasks of a method, each with the number of papers that support it.

    ``via="papers"``: the datasets and tasks of every paper that proposes or uses the method.
    ``via="derived"``: the method's own ``EVALUATED_ON`` / ``APPLIED_TO`` edges (their ``weight``).

    >>> from kg.analysis.toy import example_graph
    >>> G = example_graph()
    >>> sorted(method_profile(G, "method:simclr").items())
    [('dataset:cifar10', 2), ('dataset:imagenet', 2), ('task:selfsupervisedlearning', 2)]
    >>> sorted(method_profile(G, "method:simclr", via="derived").items())
    [('dataset:cifar10', 1), ('dataset:imagenet', 1), ('task:selfsupervisedlearning', 1)]
    """
    check_choice(via, ("papers", "derived"), "profile source (via)")
    require_node(G, method, NodeLabel.METHOD)
    profile: Counter[str] = Counter()
    if via == "papers":
        for paper in papers_of(G, method, PAPER_RELS[NodeLabel.METHOD]):
            profile.update(out_by_rel(G, paper, _FEATURE_RELS))
    else:
        for _, target, key, data in G.out_edges(method, keys=True, data=True):
            if key in (RelType.EVALUATED_ON.value, RelType.APPLIED_TO.value):
                profile[target] += int(data.get("weight", 1))
    return profile


def _jaccard(a: Counter[str], b: Counter[str]) -> float:
    union = len(a.keys() | b.keys())
    return len(a.keys() & b.keys()) / union if union else 0.0


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(a[k] * b[k] for k in a.keys() & b.keys())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def similar_methods(G: nx.MultiDiGraph, method: str, top: int | None = 10, metric: str = "jaccard",
                    via: str = "papers") -> list[tuple[str, float]]:
    """Methods most similar to ``method`` by shared datasets and tasks, most similar first.

    ``metric="jaccard"`` compares the sets of datasets and tasks; ``"cosine"`` weighs each by its
    number of supporting papers. Methods with nothing in common are left out; ties go by name.

    >>> from kg.analysis.toy import example_graph
    >>> G = example_graph()
    >>> [(m, round(s, 3)) for m, s in similar_methods(G, "method:moco", top=3)]
    [('method:byol', 0.667), ('method:dino', 0.667), ('method:resnet', 0.667)]
    >>> [(m, round(s, 3)) for m, s in similar_methods(G, "method:moco", top=2, metric="cosine")]
    [('method:resnet', 0.905), ('method:byol', 0.816)]
    """
    check_choice(metric, ("jaccard", "cosine"), "similarity metric")
    score = _jaccard if metric == "jaccard" else _cosine
    mine = method_profile(G, method, via)
    if not mine:
        return []
    found = []
    for other in nodes_with_label(G, NodeLabel.METHOD):
        if other == method:
            continue
        s = score(mine, method_profile(G, other, via))
        if s > 0:
            found.append((other, s))
    found.sort(key=lambda item: (-item[1], *sort_key(G, item[0])))
    return found[:top] if top is not None else found
