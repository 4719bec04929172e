"""Rankings: entities by papers, owners by repositories, and the share of papers with code per task."""

from __future__ import annotations

from typing import NamedTuple

import networkx as nx

from kg.analysis._common import PAPER_RELS, check_choice, nodes_with_label, papers_of, sort_key
from kg.models import NodeLabel, RelType

__all__ = ["CodeShare", "code_share", "code_share_by_task", "paper_counts", "rank_datasets", "rank_methods",
           "rank_owners", "rank_tasks"]

_METHOD_ROLES = {None: PAPER_RELS[NodeLabel.METHOD], "proposed": (RelType.PROPOSES,), "used": (RelType.USES,)}
_DATASET_ROLES = {None: PAPER_RELS[NodeLabel.DATASET], "introduced": (RelType.INTRODUCES,),
                  "used": (RelType.EVALUATES_ON,)}


def paper_counts(G: nx.MultiDiGraph, label: NodeLabel | str, rels: tuple[RelType, ...] | None = None) -> dict[str, int]:
    """Number of distinct papers linked to each node of ``label`` by ``rels`` (all Paper -> X types if None).

    Nodes with no such paper are left out.

    >>> from kg.analysis.toy import example_graph
    >>> paper_counts(example_graph(), "Dataset")
    {'dataset:imagenet': 5, 'dataset:cifar10': 2, 'dataset:glue': 1}
    """
    label = NodeLabel(str(label))
    rels = rels if rels is not None else PAPER_RELS.get(label, ())
    counts = {}
    for node in nodes_with_label(G, label):
        n = len(papers_of(G, node, rels))
        if n:
            counts[node] = n
    return counts


def _ranked(G: nx.MultiDiGraph, counts: dict[str, int], top: int | None) -> list[tuple[str, int]]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], *sort_key(G, item[0])))
    return ranked[:top] if top is not None else ranked


def rank_methods(G: nx.MultiDiGraph, role: str | None = None, top: int | None = None) -> list[tuple[str, int]]:
    """Methods by number of papers, most first: all papers, or only those that ``"proposed"`` or ``"used"`` it.

    Ties go by name. ``top`` keeps the first ones.

    >>> from kg.analysis.toy import example_graph
    >>> G = example_graph()
    >>> rank_methods(G, top=3)
    [('method:resnet', 3), ('method:simclr', 2), ('method:transformer', 2)]
    >>> rank_methods(G, role="used", top=2)
    [('method:resnet', 3), ('method:transformer', 2)]
    """
    check_choice(role, _METHOD_ROLES, "method role")
    return _ranked(G, paper_counts(G, NodeLabel.METHOD, _METHOD_ROLES[role]), top)


def rank_datasets(G: nx.MultiDiGraph, role: str | None = None, top: int | None = None) -> list[tuple[str, int]]:
    """Datasets by number of papers: all, or only papers that ``"introduced"`` or ``"used"`` (evaluate on) it.

    >>> from kg.analysis.toy import example_graph
    >>> rank_datasets(example_graph())
    [('dataset:imagenet', 5), ('dataset:cifar10', 2), ('dataset:glue', 1)]
    >>> rank_datasets(example_graph(), role="introduced")
    [('dataset:glue', 1)]
    """
    check_choice(role, _DATASET_ROLES, "dataset role")
    return _ranked(G, paper_counts(G, NodeLabel.DATASET, _DATASET_ROLES[role]), top)


def rank_tasks(G: nx.MultiDiGraph, top: int | None = None) -> list[tuple[str, int]]:
    """Tasks by number of papers that address them.

    >>> from kg.analysis.toy import example_graph
    >>> rank_tasks(example_graph())
    [('task:selfsupervisedlearning', 4), ('task:imageclassification', 2), ('task:languageunderstanding', 1)]
    """
    return _ranked(G, paper_counts(G, NodeLabel.TASK), top)


def rank_owners(G: nx.MultiDiGraph, top: int | None = None) -> list[tuple[str, int]]:
    """Repository owners by number of repositories (``OWNED_BY`` edges), most first.

    >>> from kg.analysis.toy import example_graph
    >>> rank_owners(example_graph())
    [('github.com/google', 2), ('github.com/facebookresearch', 1)]
    """
    counts: dict[str, int] = {}
    for _repo, owner, key in G.edges(keys=True):
        if key == RelType.OWNED_BY.value:
            counts[owner] = counts.get(owner, 0) + 1
    return _ranked(G, counts, top)


class CodeShare(NamedTuple):
    """Papers of a task, how many of them link a code repository, and the share."""

    task: str
    papers: int
    with_code: int
    share: float


def _has_code(G: nx.MultiDiGraph, paper: str) -> bool:
    return any(k == RelType.HAS_CODE.value for _, _, k in G.out_edges(paper, keys=True))


def code_share(G: nx.MultiDiGraph) -> float:
    """Share of all papers that link at least one code repository (0.0 for a graph without papers).

    >>> from kg.analysis.toy import example_graph
    >>> code_share(example_graph())
    0.5
    """
    papers = nodes_with_label(G, NodeLabel.PAPER)
    return sum(_has_code(G, p) for p in papers) / len(papers) if papers else 0.0


def code_share_by_task(G: nx.MultiDiGraph, min_papers: int = 1) -> list[CodeShare]:
    """For each task with at least ``min_papers`` papers: papers, papers with code, and their share.

    Sorted by papers (most first), then share, then name.

    >>> from kg.analysis.toy import example_graph
    >>> for row in code_share_by_task(example_graph()):
    ...     print(row.task, row.papers, row.with_code, round(row.share, 2))
    task:selfsupervisedlearning 4 2 0.5
    task:imageclassification 2 1 0.5
    task:languageunderstanding 1 0 0.0
    """
    rows = []
    for task in nodes_with_label(G, NodeLabel.TASK):
        papers = papers_of(G, task, PAPER_RELS[NodeLabel.TASK])
        if len(papers) < max(min_papers, 1):
            continue
        with_code = sum(_has_code(G, p) for p in papers)
        rows.append(CodeShare(task, len(papers), with_code, with_code / len(papers)))
    rows.sort(key=lambda r: (-r.papers, -r.share, *sort_key(G, r.task)))
    return rows
