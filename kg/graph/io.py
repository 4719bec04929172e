"""Write and read a built graph folder, and view its nodes and relationships as typed rows.

A graph folder holds ``graph.json`` (networkx node-link JSON, edge key = relationship type) and
``manifest.json`` (format version, counts, inputs). Files are written atomically.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import E, GraphError
from kg.models import NODE_MODELS, REL_MODELS, NodeLabel, RelType

GRAPH_FILE = "graph.json"
MANIFEST_FILE = "manifest.json"
FORMAT_VERSION = 1


@contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[Any]:
    """Write to a temporary file beside ``path`` and move it into place only when complete."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=encoding if "b" not in mode else None) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def graph_counts(G: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """Nodes per label and relationships per type, every enum member listed (zero included).

    >>> G = nx.MultiDiGraph(); G.add_node("p", label="Paper")
    >>> graph_counts(G)["nodes"]["Paper"], graph_counts(G)["relationships"]["HAS_CODE"]
    (1, 0)
    """
    nodes = Counter(d.get("label") for _, d in G.nodes(data=True))
    rels = Counter(k for _, _, k in G.edges(keys=True))
    return {
        "nodes": {label.value: nodes.get(label.value, 0) for label in NodeLabel},
        "relationships": {rel.value: rels.get(rel.value, 0) for rel in RelType},
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | set):
        return list(value)
    return value


def save_graph(G: nx.MultiDiGraph, out_dir: str | Path, *, inputs: list[str] | None = None,
               extra: dict[str, Any] | None = None) -> Path:
    """Write ``graph.json`` and ``manifest.json`` into ``out_dir`` atomically; returns the folder."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = nx.node_link_data(G, edges="edges")
    for node in data["nodes"]:
        for k, v in node.items():
            node[k] = _jsonable(v)
    for edge in data["edges"]:
        for k, v in edge.items():
            edge[k] = _jsonable(v)
    with atomic_write(out / GRAPH_FILE) as handle:
        json.dump(data, handle, ensure_ascii=False)
    manifest = {"format": "kg-graph", "version": FORMAT_VERSION, "counts": graph_counts(G),
                "inputs": inputs or [], **(extra or {})}
    with atomic_write(out / MANIFEST_FILE) as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=2)
    return out


def load_graph(graph_dir: str | Path) -> nx.MultiDiGraph:
    """Read a graph folder written by :func:`save_graph` (or a ``graph.json`` path)."""
    path = Path(graph_dir)
    file = path if path.is_file() else path / GRAPH_FILE
    if not file.exists():
        raise GraphError(E.E010.format(path=path, file=GRAPH_FILE))
    try:
        with open(file, encoding="utf-8") as handle:
            data = json.load(handle)
        return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise GraphError(E.E011.format(path=file, why=error)) from error


def load_manifest(graph_dir: str | Path) -> dict[str, Any]:
    path = Path(graph_dir) / MANIFEST_FILE
    if not path.exists():
        raise GraphError(E.E010.format(path=graph_dir, file=MANIFEST_FILE))
    return json.loads(path.read_text(encoding="utf-8"))


def node_rows(G: nx.MultiDiGraph, label: NodeLabel) -> Iterator[dict[str, Any]]:
    """Properties of every node with ``label``, validated by its pydantic model (no ``label`` key).

    >>> G = nx.MultiDiGraph(); G.add_node("o", label="Owner", id="o", host="github.com", name="o")
    >>> list(node_rows(G, NodeLabel.OWNER))
    [{'id': 'o', 'host': 'github.com', 'name': 'o'}]
    """
    model = NODE_MODELS[label]
    for node, data in G.nodes(data=True):
        if data.get("label") != label.value:
            continue
        props = {k: v for k, v in data.items() if k in model.model_fields}
        props["id"] = node
        row = model.model_validate(props).model_dump(mode="json", exclude={"label"})
        yield row


def relationship_rows(G: nx.MultiDiGraph, rel: RelType) -> Iterator[dict[str, Any]]:
    """``{"source", "target", **properties}`` of every relationship of type ``rel``, validated."""
    model = REL_MODELS[rel]
    for u, v, key, data in G.edges(keys=True, data=True):
        if key != rel.value:
            continue
        props = {k: val for k, val in data.items() if k in model.model_fields}
        row = model.model_validate({"type": rel, "source": u, "target": v, **props}).model_dump(
            mode="json", exclude={"type"})
        yield row
