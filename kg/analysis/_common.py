"""Helpers shared by the analyses: labels, names, paper links, entity lookup by name."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

import networkx as nx

from kg.errors import E, QueryError
from kg.models import DERIVED_RELS, NodeLabel, RelType

ENTITY_LABELS: tuple[NodeLabel, ...] = (NodeLabel.METHOD, NodeLabel.DATASET, NodeLabel.TASK)
LOOKUP_LABELS: tuple[NodeLabel, ...] = (*ENTITY_LABELS, NodeLabel.REPOSITORY)

#: Paper -> entity relationships per entity label.
PAPER_RELS: dict[NodeLabel, tuple[RelType, ...]] = {
    NodeLabel.METHOD: (RelType.PROPOSES, RelType.USES),
    NodeLabel.DATASET: (RelType.INTRODUCES, RelType.EVALUATES_ON),
    NodeLabel.TASK: (RelType.ADDRESSES,),
    NodeLabel.REPOSITORY: (RelType.HAS_CODE,),
    NodeLabel.LINK: (RelType.LINKS_TO,),
}
DERIVED_KEYS = frozenset(r.value for r in DERIVED_RELS)


def label_of(G: nx.MultiDiGraph, node: str) -> str | None:
    return G.nodes[node].get("label")


def nodes_with_label(G: nx.MultiDiGraph, label: NodeLabel | str) -> list[str]:
    """Ids of the nodes with ``label``, in graph order."""
    value = str(label)
    return [n for n, d in G.nodes(data=True) if d.get("label") == value]


def display_name(G: nx.Graph, node: str) -> str:
    """The name a reader knows a node by: entity ``name``, paper ``title``, repository ``owner/name``."""
    data = G.nodes[node]
    label = data.get("label")
    if label == NodeLabel.PAPER.value:
        return str(data.get("title") or node)
    if label == NodeLabel.REPOSITORY.value and data.get("owner"):
        return f"{data['owner']}/{data.get('name', '')}"
    if label == NodeLabel.LINK.value:
        return str(data.get("url") or node)
    return str(data.get("name") or node)


def sort_key(G: nx.Graph, node: str) -> tuple[str, str]:
    """Deterministic tie-break: name ignoring case, then id."""
    return (display_name(G, node).casefold(), str(node))


def papers_of(G: nx.MultiDiGraph, node: str, rels: Iterable[RelType | str] | None = None) -> set[str]:
    """Papers linked to ``node`` by any of ``rels`` (all Paper -> node relationships when None)."""
    keys = None if rels is None else {str(r) for r in rels}
    return {u for u, _, k in G.in_edges(node, keys=True)
            if (keys is None or k in keys) and G.nodes[u].get("label") == NodeLabel.PAPER.value}


def out_by_rel(G: nx.MultiDiGraph, node: str, rels: Iterable[RelType | str]) -> set[str]:
    keys = {str(r) for r in rels}
    return {v for _, v, k in G.out_edges(node, keys=True) if k in keys}


def require_node(G: nx.Graph, node: str, expected: NodeLabel | Iterable[NodeLabel] | None = None) -> str:
    """Check that ``node`` is in ``G`` (with one of the ``expected`` labels); returns it."""
    if node not in G:
        raise QueryError(E.E122.format(node=node))
    if expected is not None:
        allowed = (expected,) if isinstance(expected, NodeLabel) else tuple(expected)
        label = G.nodes[node].get("label")
        if label not in {a.value for a in allowed}:
            raise QueryError(E.E123.format(node=node, label=label, expected=" or ".join(a.value for a in allowed)))
    return node


def check_choice(value: str | None, choices: Iterable[str | None], what: str) -> None:
    options = list(choices)
    if value not in options:
        raise QueryError(E.E124.format(value=value, what=what, choices=", ".join(str(c) for c in options)))


def _names(G: nx.MultiDiGraph, node: str) -> Iterator[tuple[str, int]]:
    """(surface form, tier) for every way a node can be named; a lower tier wins a lookup."""
    data = G.nodes[node]
    if data.get("label") == NodeLabel.REPOSITORY.value:
        yield display_name(G, node), 0
        yield str(node), 0
        if data.get("url"):
            yield str(data["url"]), 0
        if data.get("name"):
            yield str(data["name"]), 2
        return
    if data.get("name"):
        yield str(data["name"]), 0
    for alias in data.get("aliases") or ():
        yield str(alias), 1


def find_entity(G: nx.MultiDiGraph, name: str, labels: Iterable[NodeLabel | str] | None = None) -> str:
    """The id of the Method, Dataset, Task or Repository called ``name``.

    A node id matches first; then a name (repositories: ``owner/name``, id or URL), then an alias, then a
    repository's short name, all ignoring case. Several nodes matching at the same level raise an error
    that lists them; nothing matching raises an error that lists close names.

    >>> from kg.analysis.toy import example_graph
    >>> G = example_graph()
    >>> find_entity(G, "simclr"), find_entity(G, "google/vit")
    ('method:simclr', 'github.com/google/vit')
    >>> find_entity(G, "SimCRL")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: No Method, Dataset, Task or Repository is named 'SimCRL' (names and aliases are \
matched ignoring case). Close matches: SimCLR (Method).
    """
    allowed = tuple(NodeLabel(str(label)) for label in labels) if labels else LOOKUP_LABELS
    values = {a.value for a in allowed}
    if name in G and G.nodes[name].get("label") in values:
        return name
    wanted = name.casefold().strip()
    tiers: list[list[str]] = [[], [], []]
    known: dict[str, str] = {}
    for node, data in G.nodes(data=True):
        if data.get("label") not in values:
            continue
        for form, tier in _names(G, node):
            folded = form.casefold().strip()
            known.setdefault(folded, f"{display_name(G, node)} ({data['label']})")
            if folded == wanted:
                tiers[tier].append(node)
    for found in tiers:
        unique = sorted(set(found), key=lambda n: sort_key(G, n))
        if len(unique) == 1:
            return unique[0]
        if unique:
            choices = "; ".join(f"{display_name(G, n)} ({G.nodes[n]['label']}, id {n})" for n in unique)
            raise QueryError(E.E121.format(name=name, count=len(unique), choices=choices))
    close = difflib.get_close_matches(wanted, list(known), n=5, cutoff=0.6)
    hint = ("Close matches: " + ", ".join(dict.fromkeys(known[c] for c in close)) + "." if close
            else "No close matches; list names with kg.analysis.rank_methods(G) and friends.")
    label_text = ", ".join(a.value for a in allowed[:-1]) + f" or {allowed[-1].value}" if len(allowed) > 1 \
        else allowed[0].value
    raise QueryError(E.E120.format(labels=label_text, name=name, hint=hint))
