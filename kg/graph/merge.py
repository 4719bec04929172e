"""Merge a newly built graph into an existing one (``kg build --append``): nothing duplicated, lists merged.

Nodes are the same when their ids are (ids are stable: ``arxiv:…``, ``method:<key>``, …); a relationship is
the same when its (source, type, target) is. For a node or relationship in both graphs:

- list properties are merged: ``sources`` and ``authors`` keep the existing order and gain the new items;
  ``aliases`` and the supporting ``papers`` of derived relationships stay sorted, and ``weight`` is their count;
- an entity keeps its existing ``name`` (queries by name keep working); a different new name becomes an alias;
- every other property takes the new build's value when it has one (evidence, url, date, ...).
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg.errors import E, GraphError
from kg.models import DERIVED_RELS, NodeLabel

__all__ = ["merge_graphs"]

_SORTED_LISTS = frozenset({"aliases", "papers"})
_ENTITY_LABELS = frozenset({NodeLabel.METHOD.value, NodeLabel.DATASET.value, NodeLabel.TASK.value})
_DERIVED = frozenset(r.value for r in DERIVED_RELS)


def _union(old: Any, new: Any, *, sort: bool) -> list[Any]:
    items = list(old or [])
    seen = set(items)
    for item in new or []:
        if item not in seen:
            seen.add(item)
            items.append(item)
    return sorted(items) if sort else items


def _merge_props(old: dict[str, Any], new: dict[str, Any]) -> None:
    for key, value in new.items():
        if isinstance(value, list | tuple) or isinstance(old.get(key), list | tuple):
            old[key] = _union(old.get(key), value, sort=key in _SORTED_LISTS)
        elif value is not None:
            old[key] = value


def merge_graphs(base: nx.MultiDiGraph, new: nx.MultiDiGraph, *, where: str = "the graph") -> nx.MultiDiGraph:
    """A new graph: ``base`` with the nodes and relationships of ``new`` added or merged into it.

    >>> a = nx.MultiDiGraph(); a.add_node("method:x", label="Method", name="X", aliases=["x1"])
    >>> b = nx.MultiDiGraph(); b.add_node("method:x", label="Method", name="Xnet", aliases=["x2"])
    >>> merge_graphs(a, b).nodes["method:x"]
    {'label': 'Method', 'name': 'X', 'aliases': ['Xnet', 'x1', 'x2']}
    """
    merged = base.copy()
    for node, data in new.nodes(data=True):
        if node not in merged:
            merged.add_node(node, **{k: (list(v) if isinstance(v, list | tuple) else v) for k, v in data.items()})
            continue
        old = merged.nodes[node]
        if old.get("label") != data.get("label"):
            raise GraphError(E.E055.format(path=where, why=f"{node!r} is a {old.get('label')} there but a "
                                                           f"{data.get('label')} in the new build"))
        update = dict(data)
        if old.get("label") in _ENTITY_LABELS and old.get("name") and update.get("name") != old["name"]:
            aliases = [*(update.get("aliases") or []), update.pop("name")] if update.get("name") else None
            if aliases is not None:
                update["aliases"] = [a for a in aliases if a != old["name"]]
        _merge_props(old, update)
    for u, v, key, data in new.edges(keys=True, data=True):
        if not merged.has_edge(u, v, key):
            merged.add_edge(u, v, key=key, **{k: (list(x) if isinstance(x, list | tuple) else x)
                                              for k, x in data.items()})
            continue
        old = merged.edges[u, v, key]
        _merge_props(old, data)
        if key in _DERIVED:
            old["weight"] = len(old.get("papers") or [])
    return merged
