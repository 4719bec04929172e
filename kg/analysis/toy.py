"""Tiny hand-built knowledge graphs for examples, doctests and tests.

They follow the conventions of :mod:`kg.graph.build` (node key = id, node attribute ``label``, edge key =
relationship type, evidence on Paper -> X edges, derived Method -> Dataset / Task edges with ``papers`` and
``weight``), so every analysis runs on them exactly as on a built graph.

>>> G = example_graph()
>>> sorted(graph_counts(G)["nodes"].items())[:3]
[('Dataset', 3), ('Link', 0), ('Method', 8)]
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from kg.graph.io import graph_counts  # noqa: F401 - used by the module doctest
from kg.models import NodeLabel, RelType

__all__ = ["add_paper", "derive", "entity_id", "example_graph"]


def entity_id(label: NodeLabel | str, name: str) -> str:
    """A readable node id for a hand-built entity: ``method:simclr``, ``dataset:cifar10``.

    >>> entity_id("Dataset", "CIFAR-10")
    'dataset:cifar10'
    """
    return f"{str(label).lower()}:{re.sub(r'[^a-z0-9]+', '', name.casefold())}"


def _entity(G: nx.MultiDiGraph, label: NodeLabel, name: str) -> str:
    node = entity_id(label, name)
    if node not in G:
        G.add_node(node, label=label.value, id=node, name=name, aliases=[])
    return node


def _evidence(sentence: str) -> dict:
    return {"sentence": sentence, "start": 0, "end": len(sentence), "rule": "hand-built", "confidence": 1.0,
            "section": "abstract", "mentions": 1}


def add_paper(G: nx.MultiDiGraph, paper: str, title: str | None = None, *, proposes: Iterable[str] = (),
              uses: Iterable[str] = (), introduces: Iterable[str] = (), evaluates_on: Iterable[str] = (),
              addresses: Iterable[str] = (), code: Iterable[str] = ()) -> str:
    """Add one paper and its relationships; entities are named, repositories are ``owner/name``.

    Entities and repositories are created on first use. Call :func:`derive` once all papers are in.

    >>> G = nx.MultiDiGraph()
    >>> add_paper(G, "p1", proposes=["SimCLR"], evaluates_on=["ImageNet"], code=["google/simclr"])
    'p1'
    >>> sorted(k for _, _, k in G.edges(keys=True))
    ['EVALUATES_ON', 'HAS_CODE', 'OWNED_BY', 'PROPOSES']
    """
    title = title or f"Paper {paper}"
    G.add_node(paper, label=NodeLabel.PAPER.value, id=paper, title=title, abstract=f"Abstract of {title}.",
               sources=[], url=None, date=None, arxiv_id=None, doi=None, authors=[])
    plan = [(RelType.PROPOSES, NodeLabel.METHOD, proposes), (RelType.USES, NodeLabel.METHOD, uses),
            (RelType.INTRODUCES, NodeLabel.DATASET, introduces),
            (RelType.EVALUATES_ON, NodeLabel.DATASET, evaluates_on), (RelType.ADDRESSES, NodeLabel.TASK, addresses)]
    for rel, label, names in plan:
        for name in names:
            node = _entity(G, label, name)
            G.add_edge(paper, node, key=rel.value, **_evidence(f"{title}: {rel.value.lower()} {name}."))
    for key in code:
        owner, name = key.split("/", 1)
        repo, owner_id = f"github.com/{key}".lower(), f"github.com/{owner}".lower()
        if repo not in G:
            G.add_node(repo, label=NodeLabel.REPOSITORY.value, id=repo, host="github.com", owner=owner, name=name,
                       url=f"https://github.com/{key}")
        if owner_id not in G:
            G.add_node(owner_id, label=NodeLabel.OWNER.value, id=owner_id, host="github.com", name=owner)
        if not G.has_edge(repo, owner_id, RelType.OWNED_BY.value):
            G.add_edge(repo, owner_id, key=RelType.OWNED_BY.value)
        G.add_edge(paper, repo, key=RelType.HAS_CODE.value, **_evidence(f"Code: github.com/{key}"))
    return paper


def derive(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Add EVALUATED_ON / APPLIED_TO edges by the rule of :mod:`kg.graph.build`; returns ``G``.

    A paper's proposed methods (or, when it proposes none, its used methods) are linked to its datasets
    (evaluated on or introduced) and tasks, each edge listing its supporting papers.

    >>> G = nx.MultiDiGraph()
    >>> _ = add_paper(G, "p1", proposes=["A"], uses=["B"], addresses=["T"])
    >>> [(u, v, k) for u, v, k in derive(G).edges(keys=True) if k == "APPLIED_TO"]
    [('method:a', 'task:t', 'APPLIED_TO')]
    """
    support: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for paper, data in G.nodes(data=True):
        if data.get("label") != NodeLabel.PAPER.value:
            continue
        out: dict[str, list[str]] = defaultdict(list)
        for _, target, key in G.out_edges(paper, keys=True):
            out[key].append(target)
        methods = out[RelType.PROPOSES.value] or out[RelType.USES.value]
        for m in methods:
            for d in out[RelType.EVALUATES_ON.value] + out[RelType.INTRODUCES.value]:
                support[(m, d, RelType.EVALUATED_ON.value)].add(paper)
            for t in out[RelType.ADDRESSES.value]:
                support[(m, t, RelType.APPLIED_TO.value)].add(paper)
    for (m, x, key), papers in support.items():
        G.add_edge(m, x, key=key, papers=sorted(papers), weight=len(papers))
    return G


def example_graph() -> nx.MultiDiGraph:
    """Five papers on vision and one on language, with code for three of them.

    ======  =====================  ==================  ========================  =====================
    paper   proposes / uses        datasets            tasks                     code
    ======  =====================  ==================  ========================  =====================
    simclr  SimCLR / ResNet        ImageNet, CIFAR-10  self-supervised learning  google/simclr
    moco    MoCo / ResNet          ImageNet            self-supervised learning  facebookresearch/moco
    byol    BYOL / ResNet, SimCLR  ImageNet, CIFAR-10  self-supervised learning
    vit     ViT / Transformer      ImageNet            image classification      google/vit
    dino    DINO / ViT             ImageNet            self-supervised learning,
                                                       image classification
    bert    BERT / Transformer     GLUE (introduced)   language understanding
    ======  =====================  ==================  ========================  =====================

    >>> G = example_graph()
    >>> G.number_of_nodes(), G.number_of_edges()
    (25, 49)
    """
    G = nx.MultiDiGraph()
    ssl, ic = "self-supervised learning", "image classification"
    add_paper(G, "simclr", "A Simple Framework for Contrastive Learning", proposes=["SimCLR"], uses=["ResNet"],
              evaluates_on=["ImageNet", "CIFAR-10"], addresses=[ssl], code=["google/simclr"])
    add_paper(G, "moco", "Momentum Contrast", proposes=["MoCo"], uses=["ResNet"], evaluates_on=["ImageNet"],
              addresses=[ssl], code=["facebookresearch/moco"])
    add_paper(G, "byol", "Bootstrap Your Own Latent", proposes=["BYOL"], uses=["ResNet", "SimCLR"],
              evaluates_on=["ImageNet", "CIFAR-10"], addresses=[ssl])
    add_paper(G, "vit", "An Image is Worth 16x16 Words", proposes=["ViT"], uses=["Transformer"],
              evaluates_on=["ImageNet"], addresses=[ic], code=["google/vit"])
    add_paper(G, "dino", "Emerging Properties in Self-Supervised Vision Transformers", proposes=["DINO"],
              uses=["ViT"], evaluates_on=["ImageNet"], addresses=[ssl, ic])
    add_paper(G, "bert", "BERT: Pre-training of Deep Bidirectional Transformers", proposes=["BERT"],
              uses=["Transformer"], introduces=["GLUE"], addresses=["language understanding"])
    return derive(G)
