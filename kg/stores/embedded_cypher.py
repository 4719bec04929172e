"""Every statement the embedded database (ladybug) runs for ``kg``: schema, bulk COPY, reads and updates.

The text is generated from :mod:`kg.models`: one node table per :class:`~kg.models.NodeLabel` and one
relationship table per :class:`~kg.models.RelType` (FROM / TO from ``REL_ENDPOINTS``), typed columns from the
pydantic models. Table names come only from the closed enums and column names only from the models' fields;
values never enter the text (they go through parameters or through the files that ``COPY`` reads).

>>> node_table_ddl(NodeLabel.OWNER)
'CREATE NODE TABLE IF NOT EXISTS Owner(`id` STRING PRIMARY KEY, `host` STRING, `name` STRING)'
>>> rel_table_ddl(RelType.OWNED_BY)
'CREATE REL TABLE IF NOT EXISTS OWNED_BY(FROM Repository TO Owner)'
"""

from __future__ import annotations

import types
import typing
from enum import Enum
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from kg.models import NODE_MODELS, REL_ENDPOINTS, REL_MODELS, NodeLabel, RelType, node_label, rel_type

#: Separator of list items inside one CSV field (split again by ``string_split`` while copying). Measured:
#: ladybug's own CSV list syntax (``[a,b]``) keeps quote characters inside the items, so an item with a comma or
#: a quote (an author "Doe, J.") cannot round-trip through it; a control character joining the items can.
#: (Parquet would carry lists natively, but needs pyarrow, which kg does not otherwise depend on.)
LIST_SEP = "\x1f"

#: Fields of the models that are not columns: the label / type and the endpoints are the table and the edge.
_NODE_SKIP = frozenset({"label"})
_REL_SKIP = frozenset({"type", "source", "target"})

_SCALARS: dict[type, str] = {str: "STRING", int: "INT64", float: "DOUBLE", bool: "BOOLEAN"}


def column_type(annotation: Any) -> str:
    """The ladybug column type of a pydantic field annotation.

    >>> column_type(str | None), column_type(tuple[str, ...]), column_type(int), column_type(Literal["a", "b"])
    ('STRING', 'STRING[]', 'INT64', 'STRING')
    """
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return column_type(args[0])
    elif origin in (tuple, list, frozenset, set):
        args = [a for a in get_args(annotation) if a is not Ellipsis]
        if len(args) == 1:
            return f"{column_type(args[0])}[]"
    elif origin is Literal:
        values = get_args(annotation)
        if all(isinstance(v, str) for v in values):
            return "STRING"
    elif isinstance(annotation, type):
        if issubclass(annotation, bool):
            return "BOOLEAN"
        if issubclass(annotation, Enum):
            return "STRING"
        for py, name in _SCALARS.items():
            if issubclass(annotation, py):
                return name
    raise TypeError(f"no embedded column type for {annotation!r}")


def _columns(model: type[BaseModel], skip: frozenset[str]) -> dict[str, str]:
    return {name: column_type(field.annotation) for name, field in model.model_fields.items() if name not in skip}


def node_columns(label: NodeLabel) -> dict[str, str]:
    """Column name -> type of a node table, ``id`` first.

    >>> node_columns(NodeLabel.METHOD)
    {'id': 'STRING', 'name': 'STRING', 'aliases': 'STRING[]'}
    """
    return _columns(NODE_MODELS[node_label(label)], _NODE_SKIP)


def rel_columns(rel: RelType) -> dict[str, str]:
    """Column name -> type of a relationship table (its properties; the endpoints are not columns).

    >>> rel_columns(RelType.APPLIED_TO)
    {'papers': 'STRING[]', 'weight': 'INT64'}
    """
    return _columns(REL_MODELS[rel_type(rel)], _REL_SKIP)


def q(name: str) -> str:
    """A column name (from the models) in backticks, so that names such as ``end`` are not read as keywords."""
    if not name.isidentifier():
        raise ValueError(f"not a column name: {name!r}")
    return f"`{name}`"


def _literal(text: str) -> str:
    """A file path as a single-quoted string literal (paths are made by kg, in a temporary folder)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


# --------------------------------------------------------------------------- schema


def node_table_ddl(label: NodeLabel) -> str:
    cols = node_columns(label)
    body = ", ".join(f"{q(c)} {t}{' PRIMARY KEY' if c == 'id' else ''}" for c, t in cols.items())
    return f"CREATE NODE TABLE IF NOT EXISTS {node_label(label).value}({body})"


def rel_table_ddl(rel: RelType) -> str:
    src, dst = REL_ENDPOINTS[rel_type(rel)]
    props = "".join(f", {q(c)} {t}" for c, t in rel_columns(rel).items())
    return f"CREATE REL TABLE IF NOT EXISTS {rel.value}(FROM {src.value} TO {dst.value}{props})"


def schema_ddl() -> list[str]:
    """Every CREATE statement of the schema: node tables first (relationship tables refer to them)."""
    return [*(node_table_ddl(label) for label in NodeLabel), *(rel_table_ddl(rel) for rel in RelType)]


SHOW_TABLES = "CALL show_tables() RETURN name, type"


# --------------------------------------------------------------------------- bulk load


def _load_columns(cols: dict[str, str]) -> str:
    """``LOAD WITH HEADERS`` column list: lists arrive as one STRING field, split while copying."""
    return ", ".join(f"{q(c)} {'STRING' if t.endswith('[]') else t}" for c, t in cols.items())


def _projection(cols: dict[str, str]) -> str:
    parts = []
    for c, t in cols.items():
        if t.endswith("[]"):
            parts.append(f"CASE WHEN {q(c)} IS NULL THEN CAST([] AS {t}) ELSE string_split({q(c)}, '{LIST_SEP}') END")
        else:
            parts.append(q(c))
    return ", ".join(parts)


def _copy(table: str, cols: dict[str, str], path: str, parallel: bool) -> str:
    """Straight ``COPY`` when no column is a list (the file's columns are the table's, in order); else a
    ``COPY ... FROM (LOAD ... RETURN ...)`` that splits the list fields."""
    options = f"HEADER=true, PARALLEL={'true' if parallel else 'false'}"
    if not any(t.endswith("[]") for t in cols.values()):
        return f"COPY {table} FROM {_literal(path)} ({options})"
    return (f"COPY {table} FROM (LOAD WITH HEADERS ({_load_columns(cols)}) FROM {_literal(path)} ({options}) "
            f"RETURN {_projection(cols)})")


def copy_nodes(label: NodeLabel, path: str, *, parallel: bool = True) -> str:
    """COPY a node table from a CSV file whose header is :func:`node_columns` (lists joined by ``LIST_SEP``).

    ``parallel=False`` is needed when a quoted field holds a line break.
    """
    return _copy(node_label(label).value, node_columns(label), path, parallel)


def rel_copy_columns(rel: RelType) -> dict[str, str]:
    """The CSV header of a relationship file: ``from`` and ``to`` ids, then the properties."""
    return {"from": "STRING", "to": "STRING", **rel_columns(rel)}


def copy_rels(rel: RelType, path: str, *, parallel: bool = True) -> str:
    """COPY a relationship table from a CSV file whose header is :func:`rel_copy_columns`."""
    return _copy(rel_type(rel).value, rel_copy_columns(rel), path, parallel)


# --------------------------------------------------------------------------- reads and updates


def fetch_nodes(label: NodeLabel) -> str:
    """Every node of ``label`` with all its columns, in :func:`node_columns` order."""
    cols = ", ".join(f"n.{q(c)}" for c in node_columns(label))
    return f"MATCH (n:{node_label(label).value}) RETURN {cols}"


def fetch_rels(rel: RelType) -> str:
    """Every relationship of type ``rel``: source id, target id, then its columns."""
    src, dst = REL_ENDPOINTS[rel_type(rel)]
    cols = "".join(f", r.{q(c)}" for c in rel_columns(rel))
    return f"MATCH (a:{src.value})-[r:{rel.value}]->(b:{dst.value}) RETURN a.`id`, b.`id`{cols}"


def fetch_nodes_by_id(label: NodeLabel) -> str:
    """The nodes of ``label`` whose ids are in ``$ids`` (primary-key lookups), columns as :func:`fetch_nodes`."""
    cols = ", ".join(f"n.{q(c)}" for c in node_columns(label))
    return f"UNWIND $ids AS k MATCH (n:{node_label(label).value} {{`id`: k}}) RETURN {cols}"


def fetch_rels_by_source(rel: RelType) -> str:
    """The relationships of type ``rel`` leaving the nodes whose ids are in ``$ids``, as :func:`fetch_rels`."""
    src, dst = REL_ENDPOINTS[rel_type(rel)]
    cols = "".join(f", r.{q(c)}" for c in rel_columns(rel))
    return (f"UNWIND $ids AS k MATCH (a:{src.value} {{`id`: k}})-[r:{rel.value}]->(b:{dst.value}) "
            f"RETURN a.`id`, b.`id`{cols}")


def update_nodes(label: NodeLabel) -> str:
    """SET every column of existing nodes from ``$rows`` (a list of objects with every column)."""
    sets = ", ".join(f"n.{q(c)} = row.{q(c)}" for c in node_columns(label) if c != "id")
    return f"UNWIND $rows AS row MATCH (n:{node_label(label).value} {{`id`: row.`id`}}) SET {sets}"


def update_rels(rel: RelType) -> str:
    """SET the properties of existing relationships from ``$rows`` (objects with ``source``, ``target``, ...)."""
    src, dst = REL_ENDPOINTS[rel_type(rel)]
    sets = ", ".join(f"r.{q(c)} = row.{q(c)}" for c in rel_columns(rel))
    # the target as a WHERE filter after expanding from the source: measured 7x faster than both ids in the pattern
    return (f"UNWIND $rows AS row MATCH (a:{src.value} {{`id`: row.`source`}})-[r:{rel.value}]->(b:{dst.value}) "
            f"WHERE b.`id` = row.`target` SET {sets}")


def count_nodes(label: NodeLabel) -> str:
    return f"MATCH (n:{node_label(label).value}) RETURN count(n)"


def count_rels(rel: RelType) -> str:
    src, dst = REL_ENDPOINTS[rel_type(rel)]
    return f"MATCH (:{src.value})-[r:{rel.value}]->(:{dst.value}) RETURN count(r)"
