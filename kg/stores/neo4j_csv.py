"""CSV files for ``neo4j-admin database import full``: the fastest path for a large first load.

One node file per label (``nodes_Paper.csv``) and one relationship file per type (``rels_USES.csv``), headers
in the import tool's format, generated from the pydantic models:

- nodes: ``id:ID(Paper)`` (the key, stored as property ``id``, in an id space per label), typed properties
  (``start:int``, ``confidence:float``, ``aliases:string[]``; text has no suffix) and ``:LABEL``;
- relationships: ``:START_ID(Paper)``, ``:END_ID(Method)`` (the id spaces of :data:`~kg.models.REL_ENDPOINTS`),
  ``:TYPE`` and typed properties.

Fields are quoted the RFC 4180 way (``"`` doubled inside quotes), which the tool reads by default; a value with
a line break needs ``--multiline-fields=true``, always given in the generated command. Arrays are joined with
``;`` (the tool's default ``--array-delimiter``). The tool has no escape for the array delimiter, so when an
array element itself contains ``;`` the whole export switches to the unit separator U+001F (never in text) and
the command says so; an element containing both raises. An empty array is written as an empty field, which
the tool reads as no property (``kg load neo4j`` stores ``[]``). ``import.sh`` in the output folder holds the
exact command; ``schema.cypher`` the uniqueness constraints to create afterwards (``cypher-shell -f``).
"""

from __future__ import annotations

import csv
import shlex
import types
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import BaseModel, Field

from kg.errors import E, StoreError
from kg.graph.io import atomic_write, node_rows, relationship_rows
from kg.models import NODE_MODELS, REL_ENDPOINTS, REL_MODELS, NodeLabel, RelType
from kg.stores import cypher

ARRAY_DELIMITER = ";"
#: Used instead when an array element contains ``;``.
FALLBACK_DELIMITER = "\x1f"
_REL_KEYS = ("type", "source", "target")


def _kind(annotation: Any) -> str:
    """The import tool's type suffix of a model field: '' (string), 'int', 'float', 'boolean', 'string[]'."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _kind(args[0]) if len(args) == 1 else ""
    if origin in (tuple, list):
        inner = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        kind = _kind(inner[0]) if inner else ""
        return f"{kind or 'string'}[]"
    if annotation is bool:
        return "boolean"
    if annotation is int:
        return "int"
    if annotation is float:
        return "float"
    return ""


def _typed(name: str, kind: str) -> str:
    return f"{name}:{kind}" if kind else name


def node_fields(label: NodeLabel | str) -> list[tuple[str, str]]:
    """(property, type suffix) of a label's properties after ``id``, in model order."""
    model = NODE_MODELS[cypher.node_label(label)]
    return [(name, _kind(f.annotation)) for name, f in model.model_fields.items() if name not in ("id", "label")]


def rel_fields(rel: RelType | str) -> list[tuple[str, str]]:
    """(property, type suffix) of a relationship type's properties."""
    model = REL_MODELS[cypher.rel_type(rel)]
    return [(name, _kind(f.annotation)) for name, f in model.model_fields.items() if name not in _REL_KEYS]


def node_header(label: NodeLabel | str) -> list[str]:
    """
    >>> node_header("Method")
    ['id:ID(Method)', 'name', 'aliases:string[]', ':LABEL']
    """
    name = cypher.node_label(label).value
    return [f"id:ID({name})", *(_typed(p, k) for p, k in node_fields(label)), ":LABEL"]


def rel_header(rel: RelType | str) -> list[str]:
    """
    >>> rel_header("EVALUATED_ON")
    [':START_ID(Method)', ':END_ID(Dataset)', ':TYPE', 'papers:string[]', 'weight:int']
    """
    kind = cypher.rel_type(rel)
    source, target = REL_ENDPOINTS[kind]
    return [f":START_ID({source.value})", f":END_ID({target.value})", ":TYPE",
            *(_typed(p, k) for p, k in rel_fields(kind))]


def node_file(label: NodeLabel | str) -> str:
    return f"nodes_{cypher.node_label(label).value}.csv"


def rel_file(rel: RelType | str) -> str:
    return f"rels_{cypher.rel_type(rel).value}.csv"


def _cell(value: Any, kind: str, delimiter: str) -> str:
    if value is None:
        return ""
    if kind.endswith("[]"):
        return delimiter.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def choose_delimiter(G: nx.MultiDiGraph) -> str:
    """``;`` unless an array element contains it; then U+001F. Raises ``StoreError`` when neither is safe."""
    elements = [item for label in NodeLabel for row in node_rows(G, label)
                for prop, kind in node_fields(label) if kind.endswith("[]") for item in row.get(prop) or ()]
    elements += [item for rel in RelType for row in relationship_rows(G, rel)
                 for prop, kind in rel_fields(rel) if kind.endswith("[]") for item in row.get(prop) or ()]
    if not any(ARRAY_DELIMITER in str(item) for item in elements):
        return ARRAY_DELIMITER
    clash = next((item for item in elements if FALLBACK_DELIMITER in str(item)), None)
    if clash is not None:
        raise StoreError(E.E069.format(value=str(clash)[:80]))
    return FALLBACK_DELIMITER


class CsvExport(BaseModel):
    """What :func:`export_neo4j_csv` wrote."""

    out_dir: str
    array_delimiter: str
    nodes: dict[str, int] = Field(default_factory=dict, description="Rows per node file (by label).")
    relationships: dict[str, int] = Field(default_factory=dict, description="Rows per relationship file.")
    files: list[str] = Field(default_factory=list)
    command: str = ""


def delimiter_option(delimiter: str) -> str:
    """The ``--array-delimiter`` value for the command line.

    >>> delimiter_option(";"), delimiter_option("\\x1f")
    ("';'", 'U+001F')
    """
    return shlex.quote(delimiter) if delimiter.isprintable() else f"U+{ord(delimiter):04X}"


def import_command(files: list[str], delimiter: str, *, folder: str = "/import", database: str = "neo4j") -> str:
    """The ``neo4j-admin database import full`` command for the written files (paths inside ``folder``)."""
    nodes = [f"--nodes={folder}/{f}" for f in files if f.startswith("nodes_")]
    rels = [f"--relationships={folder}/{f}" for f in files if f.startswith("rels_")]
    parts = ["neo4j-admin database import full", "--overwrite-destination", "--multiline-fields=true",
             f"--array-delimiter={delimiter_option(delimiter)}", *nodes, *rels, database]
    return " \\\n  ".join(parts)


def _write_csv(path: Path, header: list[str], rows: Iterable[list[Any]]) -> int:
    """Write ``header`` and ``rows`` to ``path`` atomically; returns the number of rows."""
    count = 0
    with atomic_write(path, "w", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def export_neo4j_csv(G: nx.MultiDiGraph, out_dir: str | Path) -> CsvExport:
    """Write the node and relationship CSV files of ``G``, ``import.sh`` and ``schema.cypher`` into ``out_dir``."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(E.E066.format(path=out, why=error)) from None
    delimiter = choose_delimiter(G)
    report = CsvExport(out_dir=str(out), array_delimiter=delimiter)
    try:
        for label in NodeLabel:
            fields = node_fields(label)
            rows = ([row["id"], *(_cell(row.get(p), k, delimiter) for p, k in fields), label.value]
                    for row in node_rows(G, label))
            report.nodes[label.value] = _write_csv(out / node_file(label), node_header(label), rows)
            report.files.append(node_file(label))
        for rel in RelType:
            fields = rel_fields(rel)
            rows = ([row["source"], row["target"], rel.value, *(_cell(row.get(p), k, delimiter) for p, k in fields)]
                    for row in relationship_rows(G, rel))
            report.relationships[rel.value] = _write_csv(out / rel_file(rel), rel_header(rel), rows)
            report.files.append(rel_file(rel))
        report.command = import_command(report.files, delimiter)
        with atomic_write(out / "import.sh", "w", encoding="utf-8") as handle:
            handle.write("#!/bin/sh\n# Run with the Neo4j server stopped, the CSV files mounted at /import, e.g.:\n"
                         "#   docker compose stop neo4j\n"
                         "#   docker compose run --rm -v \"$PWD/CSVDIR:/import\" neo4j sh /import/import.sh\n"
                         "#   docker compose start neo4j\n"
                         "# then create the uniqueness constraints: cypher-shell -f schema.cypher\n"
                         f"set -e\n{report.command}\n")
        with atomic_write(out / "schema.cypher", "w", encoding="utf-8") as handle:
            handle.write("".join(f"{s};\n" for s in cypher.schema_ddl(cypher.Dialect.NEO4J)))
    except OSError as error:
        raise StoreError(E.E066.format(path=out, why=error)) from None
    report.files += ["import.sh", "schema.cypher"]
    return report


def read_back(path: str | Path, delimiter: str = ARRAY_DELIMITER) -> list[dict[str, Any]]:
    """Parse a file written here the way the import tool would (typed columns, arrays split): for tests and
    checks. Empty fields are ``None``."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = []
        for record in reader:
            row: dict[str, Any] = {}
            for column, cell in zip(header, record, strict=True):
                name, _, kind = column.partition(":")
                kind = kind.split("(")[0]
                key = name or f":{kind}"
                if cell == "":
                    row[key] = None
                elif kind.endswith("[]"):
                    row[key] = cell.split(delimiter)
                elif kind == "int":
                    row[key] = int(cell)
                elif kind == "float":
                    row[key] = float(cell)
                else:
                    row[key] = cell
            rows.append(row)
    return rows
