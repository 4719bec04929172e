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

import csv
import math
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import networkx as nx

from kg.errors import E, GraphError, QueryError, StoreError
from kg.graph.io import node_rows, relationship_rows
from kg.models import REL_ENDPOINTS, NodeLabel, RelType
from kg.settings import get_settings
from kg.stores import embedded_cypher as cy
from kg.stores.result import QueryResult

__all__ = ["DB_FILE", "EmbeddedDatabase", "LoadReport", "database_path", "open_database", "remove_database",
           "run_query", "write_database", "write_rows"]

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
    #: Of ``seconds``: inside the engine's COPY statements (the rest: reading rows, diffing, writing CSV).
    copy_seconds: float = 0.0

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


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and float(a) == float(b)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return list(a) == list(b)
    return bool(a == b)


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


class _CsvFile:
    """CSV files for COPY, written by the stdlib ``csv`` module (fields quoted only when needed: ladybug reads
    unquoted fields several times faster; measured 50 MB of text: 1.7 s unquoted, 8 s quoted).

    The COPY reads an empty field as null, so empty strings (and lists that cannot be told apart from another
    list once joined) are written as null and reported by :meth:`add` as inexact: the caller sets them exactly
    afterwards. Rows with a line break go to a second file, read by the serial reader (the parallel one
    rejects quoted line breaks); the others are read in parallel.
    """

    def __init__(self, path: Path, header: Sequence[str], types: Sequence[str]) -> None:
        self.paths = (path, path.with_name(path.stem + ".serial.csv"))
        self.header = header
        self.text = [i for i, t in enumerate(types) if t == "STRING"]
        self.lists = [i for i, t in enumerate(types) if t.endswith("[]")]
        self.handles: list[IO[str] | None] = [None, None]
        self.writers: list[Any] = [None, None]
        self.counts = [0, 0]

    @property
    def rows(self) -> int:
        return sum(self.counts)

    def add(self, values: Sequence[Any]) -> bool:
        """Write one row; False when a value could not be written exactly."""
        values = list(values)
        exact, breaks = True, False
        sep = cy.LIST_SEP
        for i in self.lists:
            items = values[i]
            if items:
                joined = sep.join(items)
                if not joined or joined.count(sep) != len(items) - 1:
                    exact = False
                breaks = breaks or "\n" in joined or "\r" in joined
                values[i] = joined or None
            else:
                values[i] = None
        for i in self.text:
            text = values[i]
            if text is not None:
                if not text:
                    values[i] = None
                    exact = False
                elif "\n" in text or "\r" in text:
                    breaks = True
        which = 1 if breaks else 0
        writer = self.writers[which]
        if writer is None:
            handle = self.handles[which] = open(self.paths[which], "w", encoding="utf-8", newline="")  # noqa: SIM115
            writer = self.writers[which] = csv.writer(handle, lineterminator="\n")
            writer.writerow(self.header)
        writer.writerow(values)
        self.counts[which] += 1
        return exact

    def close(self) -> list[tuple[str, bool]]:
        """Close; (path, parallel) of each file written."""
        files = []
        for which, handle in enumerate(self.handles):
            if handle is not None:
                handle.close()
                files.append((str(self.paths[which]), which == 0))
        return files


class _Writer:
    """Diff rows against the database, COPY the new ones in, SET the changed ones."""

    def __init__(self, db: EmbeddedDatabase, tmp: Path, report: LoadReport, targeted: bool = False) -> None:
        self.db, self.tmp, self.report = db, tmp, report
        self.fresh = False  # an empty database: nothing to diff against
        self.targeted = targeted  # look up the rows' own ids instead of reading whole tables

    def _stored(self, whole: str, by_ids: str, ids: Iterable[str]) -> list[list[Any]]:
        if self.fresh:
            return []
        if not self.targeted:
            return self.db.execute(whole)[1]
        keys = list(dict.fromkeys(ids))
        stored: list[list[Any]] = []
        for i in range(0, len(keys), UPDATE_BATCH):
            stored += self.db.execute(by_ids, {"ids": keys[i:i + UPDATE_BATCH]})[1]
        return stored

    def schema(self) -> None:
        self.fresh = not self.db.tables()
        for statement in cy.schema_ddl():
            self.db.execute(statement)

    def _copy(self, statement: str) -> None:
        started = time.perf_counter()
        self.db.execute(statement)
        self.report.copy_seconds += time.perf_counter() - started

    def _update(self, statement: str, rows: list[dict[str, Any]]) -> None:
        for batch in _batches(rows, UPDATE_BATCH):
            self.db.execute(statement, {"rows": batch})

    def nodes(self, label: NodeLabel, rows: Iterable[Mapping[str, Any]]) -> None:
        types = cy.node_columns(label)
        cols = list(types)
        if self.targeted:
            rows = list(rows)
        stored = self._stored(cy.fetch_nodes(label), cy.fetch_nodes_by_id(label),
                              (r["id"] for r in rows) if self.targeted else ())
        existing = {row[0]: row for row in stored}
        del stored
        out = _CsvFile(self.tmp / f"{label.value}.csv", cols, list(types.values()))
        changed, exact, seen = [], [], set()
        for row in rows:
            if row["id"] in seen:
                continue
            seen.add(row["id"])
            values = [row.get(c) for c in cols]
            old = existing.get(row["id"])
            if old is None:
                if not out.add(values):
                    exact.append(dict(zip(cols, values, strict=True)))
            elif not all(_same(v, o) for v, o in zip(values, old, strict=True)):
                changed.append(dict(zip(cols, values, strict=True)))
        for path, parallel in out.close():
            self._copy(cy.copy_nodes(label, path, parallel=parallel))
        if changed or exact:
            self._update(cy.update_nodes(label), changed + exact)
        self.report.created[label.value] = out.rows
        self.report.updated[label.value] = len(changed)

    def rels(self, rel: RelType, rows: Iterable[Mapping[str, Any]]) -> None:
        props = list(cy.rel_columns(rel))
        if self.targeted:
            rows = list(rows)
        stored = self._stored(cy.fetch_rels(rel), cy.fetch_rels_by_source(rel),
                              (r["source"] for r in rows) if self.targeted else ())
        existing = {(row[0], row[1]): row[2:] for row in stored}
        del stored
        copy_types = cy.rel_copy_columns(rel)
        out = _CsvFile(self.tmp / f"{rel.value}.csv", list(copy_types), list(copy_types.values()))
        changed, exact, seen = [], [], set()
        for row in rows:
            key = (row["source"], row["target"])
            if key in seen:  # one relationship per (source, type, target)
                continue
            seen.add(key)
            values = [row.get(c) for c in props]
            old = existing.get(key)
            if old is None:
                if not out.add([*key, *values]):
                    exact.append({"source": key[0], "target": key[1], **dict(zip(props, values, strict=True))})
            elif not all(_same(v, o) for v, o in zip(values, old, strict=True)):
                changed.append({"source": key[0], "target": key[1], **dict(zip(props, values, strict=True))})
        for path, parallel in out.close():
            self._copy(cy.copy_rels(rel, path, parallel=parallel))
        if props and (changed or exact):
            self._update(cy.update_rels(rel), changed + exact)
        self.report.created[rel.value] = out.rows
        self.report.updated[rel.value] = len(changed)


def _check_endpoints(G: nx.MultiDiGraph) -> None:
    labels = {n: d.get("label") for n, d in G.nodes(data=True)}
    for u, v, key in G.edges(keys=True):
        rel = cy.rel_type(key)
        src, dst = REL_ENDPOINTS[rel]
        if labels.get(u) != src.value or labels.get(v) != dst.value:
            raise StoreError(E.E053.format(path="the graph", why=f"{u!r} -[{rel.value}]-> {v!r} does not join a "
                                           f"{src.value} to a {dst.value}"))


NodeRows = Mapping[NodeLabel, Iterable[Mapping[str, Any]]]
RelRows = Mapping[RelType, Iterable[Mapping[str, Any]]]


def load_rows(db: EmbeddedDatabase, nodes: NodeRows, rels: RelRows, report: LoadReport | None = None, *,
              targeted: bool = False) -> LoadReport:
    """Add and update rows in an open (writable) database, creating its schema if needed.

    ``nodes[label]`` yields dicts with the columns of :func:`~kg.stores.embedded_cypher.node_columns` (the
    shape of :func:`kg.graph.io.node_rows`); ``rels[type]`` dicts with ``source``, ``target`` and the
    relationship's properties (the shape of :func:`kg.graph.io.relationship_rows`). Rows are streamed: only
    the new rows' CSV files and the changed rows are held.

    The rows are diffed against the stored ones: by default every table is read whole; with ``targeted`` only
    the rows' own ids are looked up, so the work follows the size of the rows, not of the database.
    """
    report = report if report is not None else LoadReport(path=str(db.path))
    with tempfile.TemporaryDirectory(prefix="kg-lbdb-") as tmp:
        writer = _Writer(db, Path(tmp), report, targeted=targeted)
        writer.schema()
        for label in NodeLabel:
            writer.nodes(label, nodes.get(label, ()))
        for rel in RelType:
            writer.rels(rel, rels.get(rel, ()))
    return report


def load_into(db: EmbeddedDatabase, G: nx.MultiDiGraph, report: LoadReport | None = None) -> LoadReport:
    """Add and update the nodes and relationships of ``G`` in an open (writable) database."""
    _check_endpoints(G)
    return load_rows(db, {label: node_rows(G, label) for label in NodeLabel},
                     {rel: relationship_rows(G, rel) for rel in RelType}, report)


def _companions(path: Path) -> list[Path]:
    """The database file's write-ahead log and shadow file."""
    return [path.with_name(path.name + ".wal"), path.with_name(path.name + ".shadow")]


def remove_database(location: str | Path) -> None:
    """Delete the embedded database of a graph folder (file, log), if there is one."""
    _unlink(database_path(location))


def _unlink(path: Path) -> None:
    for p in (path, *_companions(path)):
        p.unlink(missing_ok=True)


def write_database(G: nx.MultiDiGraph, location: str | Path, *, append: bool = False,
                   changes: nx.MultiDiGraph | None = None) -> LoadReport:
    """Write ``G`` into the embedded database of a graph folder (``location/graph.lbdb``, or a ``.lbdb`` path).

    Without ``append`` the database is made anew from ``G``. With it, an existing database keeps what it holds
    and gains what ``G`` adds: new nodes and relationships are copied in, changed properties updated, nothing
    duplicated. Either way the work happens on a copy that replaces the database only when complete.

    ``changes`` (with ``append``): the part of ``G`` that may differ from the database, e.g. the new build
    merged into ``G`` by ``kg build --append``. Only the nodes and relationships it holds are then written (with
    their properties in ``G``) and looked up by id, so appending a small build to a large database is quick;
    the database is taken to hold the rest of ``G`` already (as it does when the folder's graph and database were
    written together). Without a database yet, all of ``G`` is written.
    """
    _check_endpoints(G)
    if append and changes is not None and database_path(location).exists():
        keep_nodes = set(changes.nodes)
        keep_edges = set(changes.edges(keys=True))
        nodes = {label: (r for r in node_rows(G, label) if r["id"] in keep_nodes) for label in NodeLabel}

        def kept(rel: RelType) -> Iterator[dict[str, Any]]:
            return (r for r in relationship_rows(G, rel) if (r["source"], r["target"], rel.value) in keep_edges)

        rels = {rel: kept(rel) for rel in RelType}
        return write_rows(nodes, rels, location, append=True, targeted=True)
    return write_rows({label: node_rows(G, label) for label in NodeLabel},
                      {rel: relationship_rows(G, rel) for rel in RelType}, location, append=append)


def write_rows(nodes: NodeRows, rels: RelRows, location: str | Path, *, append: bool = False,
               targeted: bool = False) -> LoadReport:
    """:func:`write_database` for rows (see :func:`load_rows`) instead of a networkx graph."""
    started = time.perf_counter()
    target = database_path(location)
    target.parent.mkdir(parents=True, exist_ok=True)
    report = LoadReport(path=str(target))
    with _writer_lock(target):
        _write(nodes, rels, target, append, report, targeted)
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def _writer_lock(target: Path) -> Iterator[None]:
    """One writer at a time per database (two appends at once would each miss the other's rows)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX: no advisory lock
        yield
        return
    with open(target.with_name(f".{target.name}.lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write(nodes: NodeRows, rels: RelRows, target: Path, append: bool, report: LoadReport, targeted: bool) -> None:
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
                load_rows(db, nodes, rels, report, targeted=targeted)
        except QueryError as error:
            raise StoreError(E.E053.format(path=target, why=str(error))) from None
        for stale in _companions(target):  # a log of the old file must never be replayed onto the new one
            stale.unlink(missing_ok=True)
        os.replace(work, target)
    finally:
        _unlink(work)
