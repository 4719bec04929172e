"""The embedded graph database: Cypher over a built graph with no server (ladybug, the maintained Kuzu fork).

``kg build`` writes it into the graph folder as ``graph.lbdb`` (one file). The schema is generated from
:mod:`kg.models` (see :mod:`kg.stores.embedded_cypher`, which holds every statement this module runs), and the
rows are bulk-loaded with ``COPY`` from temporary CSV files.

Writing is incremental: :func:`write_database` adds the nodes and relationships the database lacks (``COPY``
of the new rows only, found by diffing the ids already stored) and updates those whose properties changed
(``UNWIND $rows ... SET``), so loading the same graph twice, or a graph that grew, never duplicates anything.
A relationship is identified by (source, type, target), as in the networkx graph.

Readers open the database read-only (:func:`open_database`); any number of them can share it, also across
processes, while no writer holds it. A fresh database is written beside the old one and moved into place, so
readers never see a half-written file.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import networkx as nx

from kg.errors import E, GraphError, QueryError, StoreError
from kg.graph.io import node_rows, relationship_rows
from kg.models import REL_ENDPOINTS, NodeLabel, RelType
from kg.settings import get_settings
from kg.stores import embedded_cypher as cy
from kg.stores.result import QueryResult

__all__ = ["DB_FILE", "EmbeddedDatabase", "LoadReport", "database_path", "open_database", "remove_database",
           "run_query", "write_database"]

#: The database file inside a graph folder.
DB_FILE = "graph.lbdb"
#: Rows per ``UNWIND $rows ... SET`` batch when updating changed nodes and relationships.
UPDATE_BATCH = 2000


def _lb():  # type: ignore[no-untyped-def]
    import ladybug

    return ladybug


def database_path(location: str | Path) -> Path:
    """The database file of a graph folder (or ``location`` itself when it is the file)."""
    path = Path(location)
    return path if path.is_file() or path.suffix == ".lbdb" else path / DB_FILE


# --------------------------------------------------------------------------- values


def plain(value: Any) -> Any:
    """A ladybug value as plain JSON types: nodes and relationships become property dicts (with ``_label`` /
    ``_type``, no engine-internal ids, no null properties), paths ``{"nodes": [...], "relationships": [...]}``.

    >>> plain({"_ID": {"offset": 0, "table": 1}, "_LABEL": "Method", "id": "m", "name": "X", "url": None})
    {'_label': 'Method', 'id': 'm', 'name': 'X'}
    >>> plain([date(2024, 1, 2), Decimal("1.5")])
    ['2024-01-02', 1.5]
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        if "_NODES" in value and "_RELS" in value:
            return {"nodes": [plain(n) for n in value["_NODES"]], "relationships": [plain(r) for r in value["_RELS"]]}
        if "_LABEL" in value and "_ID" in value:
            kind = "_type" if "_SRC" in value else "_label"
            props = {k: plain(v) for k, v in value.items() if not k.startswith("_") and v is not None}
            return {kind: value["_LABEL"], **props}
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date | dtime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, timedelta | UUID):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


# --------------------------------------------------------------------------- reading


def _why(error: BaseException) -> str:
    return " ".join(str(error).split()).rstrip(".!") or type(error).__name__


class EmbeddedDatabase:
    """An open embedded database; use as a context manager. Read-only unless ``read_only=False``."""

    def __init__(self, path: str | Path, *, read_only: bool = True, create: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if not create and not self.path.exists():
            folder = self.path.parent
            raise GraphError(E.E051.format(path=folder, file=self.path.name))
        settings = get_settings()
        lb = _lb()
        try:
            self._db = lb.Database(str(self.path), read_only=read_only,
                                   buffer_pool_size=settings.embedded_buffer_pool_mb * 1024 * 1024,
                                   max_num_threads=settings.embedded_threads)
            self._conn = lb.Connection(self._db)
        except RuntimeError as error:
            raise StoreError(E.E052.format(path=self.path, why=_why(error))) from None

    def __enter__(self) -> EmbeddedDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for obj in (getattr(self, "_conn", None), getattr(self, "_db", None)):
            if obj is not None:
                obj.close()
        self._conn = self._db = None  # type: ignore[assignment]

    def execute(self, cypher: str, params: Mapping[str, Any] | None = None) -> tuple[list[str], list[list[Any]]]:
        """Run ``cypher``; raw column names and rows (ladybug values). Errors become :class:`QueryError`."""
        if self._conn is None:
            raise QueryError(E.E050.format(why="the database is closed"))
        try:
            result = self._conn.execute(cypher, dict(params or {}))
            results = result if isinstance(result, list) else [result]
            last = results[-1]
            columns = list(last.get_column_names())
            rows = []
            while last.has_next():
                rows.append(list(last.get_next()))
            for r in results:
                r.close()
        except RuntimeError as error:
            raise QueryError(E.E050.format(why=_why(error))) from None
        return columns, rows

    def query(self, cypher: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        """Run ``cypher`` with ``params``; the result as plain JSON values."""
        columns, rows = self.execute(cypher, params)
        return QueryResult(columns=columns, rows=[[plain(v) for v in row] for row in rows], backend="embedded")

    def tables(self) -> dict[str, str]:
        """Table name -> ``NODE`` / ``REL``."""
        _, rows = self.execute(cy.SHOW_TABLES)
        return {name: kind for name, kind in rows}

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per label and relationships per type, shaped like :func:`kg.graph.io.graph_counts`."""
        tables = self.tables()
        nodes = {label.value: (self.execute(cy.count_nodes(label))[1][0][0] if label.value in tables else 0)
                 for label in NodeLabel}
        rels = {rel.value: (self.execute(cy.count_rels(rel))[1][0][0] if rel.value in tables else 0)
                for rel in RelType}
        return {"nodes": nodes, "relationships": rels}


def open_database(location: str | Path, *, read_only: bool = True) -> EmbeddedDatabase:
    """Open the embedded database of a graph folder (read-only by default: many readers may share it)."""
    return EmbeddedDatabase(database_path(location), read_only=read_only)


def run_query(location: str | Path, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
    """Run one Cypher query on the embedded database of a graph folder (opened read-only)."""
    with open_database(location) as db:
        return db.query(query, params)


# --------------------------------------------------------------------------- writing


@dataclass
class LoadReport:
    """What :func:`write_database` did."""

    path: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def nodes_created(self) -> int:
        return sum(self.created.get(label.value, 0) for label in NodeLabel)

    @property
    def rels_created(self) -> int:
        return sum(self.created.get(rel.value, 0) for rel in RelType)

    @property
    def nodes_updated(self) -> int:
        return sum(self.updated.get(label.value, 0) for label in NodeLabel)

    @property
    def rels_updated(self) -> int:
        return sum(self.updated.get(rel.value, 0) for rel in RelType)

    def summary(self) -> str:
        return (f"embedded database {self.path}: {self.nodes_created} nodes and {self.rels_created} relationships "
                f"added, {self.nodes_updated} nodes and {self.rels_updated} relationships updated "
                f"in {self.seconds:.1f}s")


def _csv_field(value: Any) -> str:
    """One CSV field as ladybug's COPY reads it: unquoted empty is NULL, ``""`` the empty string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        if not value:
            return ""
        value = cy.LIST_SEP.join(str(v).replace(cy.LIST_SEP, " ") for v in value)
    return '"' + str(value).replace('"', '""') + '"'


def _needs_serial(value: Any) -> bool:
    """Quoted line breaks are read only by the serial CSV reader."""
    if isinstance(value, str):
        return "\n" in value or "\r" in value
    if isinstance(value, list | tuple):
        return any(_needs_serial(v) for v in value)
    return False


def _lossy(value: Any) -> bool:
    """List items holding the list separator (replaced in the CSV file; set exactly afterwards)."""
    return isinstance(value, list | tuple) and any(cy.LIST_SEP in str(v) for v in value)


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bool:
    """Write ``rows``; True when the file needs the serial reader."""
    serial = False
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(header) + "\n")
        for row in rows:
            serial = serial or any(_needs_serial(v) for v in row)
            handle.write(",".join(_csv_field(v) for v in row) + "\n")
    return serial


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and float(a) == float(b)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return list(a) == list(b)
    return bool(a == b)


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


class _Writer:
    def __init__(self, db: EmbeddedDatabase, tmp: Path, report: LoadReport) -> None:
        self.db, self.tmp, self.report = db, tmp, report
        self.fresh = False  # an empty database: nothing to diff against

    def schema(self) -> None:
        self.fresh = not self.db.tables()
        for statement in cy.schema_ddl():
            self.db.execute(statement)

    def _update(self, statement: str, rows: list[dict[str, Any]]) -> None:
        for batch in _batches(rows, UPDATE_BATCH):
            self.db.execute(statement, {"rows": batch})

    def nodes(self, label: NodeLabel, rows: list[dict[str, Any]]) -> None:
        cols = list(cy.node_columns(label))
        stored = [] if self.fresh else self.db.execute(cy.fetch_nodes(label))[1]
        existing = {row[0]: row for row in stored}
        new, changed = [], []
        for row in rows:
            old = existing.get(row["id"])
            if old is None:
                new.append(row)
            elif not all(_same(row.get(c), v) for c, v in zip(cols, old, strict=True)):
                changed.append(row)
        lossy = [row for row in new if any(_lossy(row.get(c)) for c in cols)]
        if new:
            file = self.tmp / f"{label.value}.csv"
            serial = _write_csv(file, cols, ([row.get(c) for c in cols] for row in new))
            self.db.execute(cy.copy_nodes(label, str(file), parallel=not serial))
        if changed or lossy:
            self._update(cy.update_nodes(label), [{c: row.get(c) for c in cols} for row in changed + lossy])
        self.report.created[label.value] = len(new)
        self.report.updated[label.value] = len(changed)

    def rels(self, rel: RelType, rows: list[dict[str, Any]]) -> None:
        props = list(cy.rel_columns(rel))
        stored = [] if self.fresh else self.db.execute(cy.fetch_rels(rel))[1]
        existing = {(row[0], row[1]): row[2:] for row in stored}
        new, changed, seen = [], [], set()
        for row in rows:
            key = (row["source"], row["target"])
            if key in seen:  # one relationship per (source, type, target)
                continue
            seen.add(key)
            old = existing.get(key)
            if old is None:
                new.append(row)
            elif not all(_same(row.get(c), v) for c, v in zip(props, old, strict=True)):
                changed.append(row)
        lossy = [row for row in new if any(_lossy(row.get(c)) for c in props)]
        if new:
            file = self.tmp / f"{rel.value}.csv"
            serial = _write_csv(file, list(cy.rel_copy_columns(rel)),
                                ([row["source"], row["target"], *(row.get(c) for c in props)] for row in new))
            self.db.execute(cy.copy_rels(rel, str(file), parallel=not serial))
        if props and (changed or lossy):
            self._update(cy.update_rels(rel), [{"source": row["source"], "target": row["target"],
                                                **{c: row.get(c) for c in props}} for row in changed + lossy])
        self.report.created[rel.value] = len(new)
        self.report.updated[rel.value] = len(changed)


def _check_endpoints(G: nx.MultiDiGraph) -> None:
    labels = {n: d.get("label") for n, d in G.nodes(data=True)}
    for u, v, key in G.edges(keys=True):
        rel = cy.check_type(key)
        src, dst = REL_ENDPOINTS[rel]
        if labels.get(u) != src.value or labels.get(v) != dst.value:
            raise StoreError(E.E053.format(path="the graph", why=f"{u!r} -[{rel.value}]-> {v!r} does not join a "
                                           f"{src.value} to a {dst.value}"))


def load_into(db: EmbeddedDatabase, G: nx.MultiDiGraph, report: LoadReport | None = None) -> LoadReport:
    """Add and update the nodes and relationships of ``G`` in an open (writable) database."""
    report = report if report is not None else LoadReport(path=str(db.path))
    _check_endpoints(G)
    with tempfile.TemporaryDirectory(prefix="kg-lbdb-") as tmp:
        writer = _Writer(db, Path(tmp), report)
        writer.schema()
        for label in NodeLabel:
            writer.nodes(label, list(node_rows(G, label)))
        for rel in RelType:
            writer.rels(rel, list(relationship_rows(G, rel)))
    return report


def _companions(path: Path) -> list[Path]:
    """The database file's write-ahead log and shadow file."""
    return [path.with_name(path.name + ".wal"), path.with_name(path.name + ".shadow")]


def remove_database(location: str | Path) -> None:
    """Delete the embedded database of a graph folder (file, log), if there is one."""
    _unlink(database_path(location))


def _unlink(path: Path) -> None:
    for p in (path, *_companions(path)):
        p.unlink(missing_ok=True)


def write_database(G: nx.MultiDiGraph, location: str | Path, *, append: bool = False) -> LoadReport:
    """Write ``G`` into the embedded database of a graph folder (``location/graph.lbdb``, or a ``.lbdb`` path).

    Without ``append`` the database is made anew from ``G``. With it, an existing database keeps what it holds
    and gains what ``G`` adds: new nodes and relationships are copied in, changed properties updated, nothing
    duplicated. Either way the work happens on a copy that replaces the database only when complete.
    """
    started = time.perf_counter()
    target = database_path(location)
    target.parent.mkdir(parents=True, exist_ok=True)
    report = LoadReport(path=str(target))
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    work = Path(name)
    work.unlink()
    try:
        if append and target.exists():
            if _companions(target)[0].exists():  # fold a pending write-ahead log into the file before copying it
                EmbeddedDatabase(target, read_only=False).close()
            shutil.copyfile(target, work)
        try:
            with EmbeddedDatabase(work, read_only=False, create=True) as db:
                load_into(db, G, report)
        except QueryError as error:
            raise StoreError(E.E053.format(path=target, why=str(error))) from None
        for stale in _companions(target):  # a log of the old file must never be replayed onto the new one
            stale.unlink(missing_ok=True)
        os.replace(work, target)
    finally:
        _unlink(work)
    report.seconds = time.perf_counter() - started
    return report
