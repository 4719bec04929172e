"""Load a built graph into Neo4j (or another Bolt server) and run Cypher there, through the official driver.

Loading is idempotent and incremental: keys first (uniqueness constraints on Neo4j 5, range indexes where the
server has no constraints), then nodes per label and relationships per type as ``UNWIND $rows MERGE ... SET``
batches bounded by rows and by bytes, each in a managed write transaction that the driver retries on transient
errors. All query text comes from :mod:`kg.stores.cypher`. The password is only handed to the driver: it is never
printed, logged or kept in a summary.

The server is asked what it is (:func:`detect_server`). For FalkorDB's Bolt side (the test server) the loader
creates indexes instead of constraints and escapes text parameters (:func:`escape_falkordb`); since its messages
must stay under 4 KB, a row over ``--max-batch-bytes`` is sent alone with its long values appended in parts
(:mod:`kg.stores.batching`), which works on every server.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any
from urllib.parse import urlsplit

import networkx as nx
from pydantic import BaseModel, Field

from kg.errors import E, QueryError, StoreError
from kg.graph.io import node_rows, relationship_rows
from kg.models import NodeLabel, RelType
from kg.settings import Settings, get_settings
from kg.stores import cypher
from kg.stores.batching import Batch, batches, encoded_size
from kg.stores.cypher import Dialect
from kg.stores.result import QueryResult

# The driver logs retries and broken connections at WARNING; without a handler of its own Python would print
# them to stderr. Messages reach the user through kg's errors instead (the driver never logs credentials).
logging.getLogger("neo4j").addHandler(logging.NullHandler())

_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
#: Nodes removed per transaction by ``--replace``.
DELETE_BATCH = 10_000
#: Smallest ``--max-batch-bytes``: a head row of one node must fit.
MIN_BATCH_BYTES = 256
#: What FalkorDB answers for every failed query.
_UNKNOWN = "An unknown error occurred"

ProgressFn = Callable[[str, int], None]


def _why(error: BaseException) -> str:
    """One line of an error's text; square brackets become parentheses (the CLI prints rich markup)."""
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    text = " ".join(str(message).split()).rstrip(".")
    return text.replace("[", "(").replace("]", ")")


def _connect_why(error: BaseException, timeout: float, tries: int) -> str:
    """The useful end of the driver's connection error.

    >>> _connect_why(OSError("Couldn't connect to h:1 (...): Failed (reason [Errno 111] Connection refused)"), 5, 3)
    'Connection refused'
    """
    text = str(error)
    found = re.search(r"\[Errno -?\d+\] ([^)\]]+)", text)
    if found:
        return found.group(1).strip()
    if "handshake" in text:
        return f"no Bolt handshake answer within {timeout:g}s ({tries} tries); is it a Bolt port (usually 7687)?"
    return _why(error)


def safe_uri(uri: str) -> str:
    """``uri`` without any user or password written into it.

    >>> safe_uri("bolt://neo4j:secret@db.example:7687")
    'bolt://db.example:7687'
    """
    parts = urlsplit(uri)
    if parts.password is None and parts.username is None:
        return uri
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return parts._replace(netloc=netloc).geturl()


def check_uri(uri: str) -> str:
    """``uri`` if it is a Bolt or Neo4j URI, else ``StoreError`` (E067).

    >>> check_uri("http://localhost:7474")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.StoreError: http://localhost:7474 is not a Bolt URI. Write it as bolt://host:7687 ...
    """
    parts = urlsplit(uri)
    if parts.scheme not in _SCHEMES or not parts.hostname:
        raise StoreError(E.E067.format(uri=safe_uri(uri)))
    return uri


# --------------------------------------------------------------------------- values


def plain(value: Any) -> Any:
    """A value from the driver as plain JSON types, in the shape the embedded back end uses: nodes become
    ``{"_label": ..., **properties}``, relationships ``{"_type": ..., **properties}``, paths
    ``{"nodes": [...], "relationships": [...]}``, temporal values ISO 8601 text.

    >>> plain({"n": [1, 2.5, None, float("nan")], "d": date(2024, 1, 2)})
    {'n': [1, 2.5, None, 'nan'], 'd': '2024-01-02'}
    """
    import neo4j.graph
    import neo4j.spatial
    import neo4j.time

    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, neo4j.graph.Node):
        labels = sorted(value.labels)
        kg_labels = [label for label in labels if label in NodeLabel.__members__.values()]
        label = kg_labels[0] if len(kg_labels) == 1 else ":".join(labels)
        return {"_label": label, **{k: plain(v) for k, v in value.items() if v is not None}}
    if isinstance(value, neo4j.graph.Relationship):
        return {"_type": value.type, **{k: plain(v) for k, v in value.items() if v is not None}}
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [plain(n) for n in value.nodes], "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime | neo4j.time.Time | neo4j.time.Duration):
        return value.iso_format()
    if isinstance(value, neo4j.spatial.Point):
        return {"srid": value.srid, "coordinates": [plain(c) for c in value]}
    if isinstance(value, datetime | date | dtime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex()
    return str(value)


def escape_falkordb(value: Any) -> Any:
    r"""Text values as FalkorDB's Bolt side needs them: it writes parameters into single-quoted Cypher text
    without escaping and then reads backslash escapes, so ``'`` and ``\`` must arrive as ``\'`` and ``\\``
    (measured: ``it's`` fails, ``a\b`` comes back as ``a`` + backspace). Only values change; map keys are
    kg's own identifiers. A NUL character cannot be sent at all (the server cuts the text there).

    >>> print(escape_falkordb("it's a\\b"))
    it\'s a\\b
    >>> escape_falkordb({"aliases": ["x'"], "start": 3})
    {'aliases': ["x\\'"], 'start': 3}
    """
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(value, Mapping):
        return {k: escape_falkordb(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [escape_falkordb(v) for v in value]
    return value


def encoder_for(dialect: Dialect) -> Callable[[Any], Any]:
    """What parameter values go through before they are sent to a server of ``dialect``."""
    return escape_falkordb if dialect is Dialect.FALKORDB else _identity


def _identity(value: Any) -> Any:
    return value


# --------------------------------------------------------------------------- connecting


class ServerInfo(BaseModel):
    """What the server said about itself."""

    dialect: Dialect
    agent: str = ""
    name: str = ""
    version: str = ""
    edition: str = ""


#: The first try to connect waits at most this long: FalkorDB's Bolt side leaves every other new connection's
#: handshake unanswered until the client gives up, and a quick second try then succeeds.
FIRST_TRY_SECONDS = 1.0


@contextmanager
def connect(uri: str, user: str | None, password: str | None, *, database: str | None = None,
            settings: Settings | None = None, timeout: float | None = None,
            retries: int | None = None) -> Iterator[Any]:
    """A driver whose first connection answered; closed on exit.

    ``user`` empty or ``None`` connects without authentication (``auth=None``). The connection timeout bounds
    the TCP connect and the Bolt handshake (the driver's acquisition timeout). The first try waits at most
    :data:`FIRST_TRY_SECONDS`, later ones the full timeout, up to ``retries`` tries in all. Raises
    ``StoreError``: E021 (cannot connect), E063 (login refused), E064 (no such database).
    """
    import neo4j
    from neo4j.exceptions import AuthError, ClientError, ConfigurationError, Neo4jError, ServiceUnavailable

    settings = settings or get_settings()
    timeout = settings.neo4j_connect_timeout if timeout is None else timeout
    retries = max(1, settings.neo4j_connect_retries if retries is None else retries)
    check_uri(uri)
    shown = safe_uri(uri)
    auth = (user, password or "") if user else None
    driver = None
    last: BaseException | None = None
    for attempt in range(retries):
        wait = min(timeout, FIRST_TRY_SECONDS) if attempt == 0 and retries > 1 else timeout
        try:
            driver = neo4j.GraphDatabase.driver(
                uri, auth=auth, connection_timeout=wait, connection_acquisition_timeout=wait,
                max_transaction_retry_time=settings.neo4j_retry_seconds, user_agent="kg")
        except (ConfigurationError, ValueError) as error:
            raise StoreError(E.E021.format(uri=shown, why=_why(error))) from None
        try:
            driver.verify_connectivity(database=database) if database else driver.verify_connectivity()
            last = None
            break
        except AuthError as error:
            driver.close()
            raise StoreError(E.E063.format(uri=shown, user=user, why=_why(error))) from None
        except ClientError as error:
            driver.close()
            if "Database" in (error.code or "") and "NotFound" in (error.code or ""):
                raise StoreError(E.E064.format(uri=shown, database=database, why=_why(error))) from None
            raise StoreError(E.E021.format(uri=shown, why=_why(error))) from None
        except Neo4jError as error:
            driver.close()
            why = _why(error)
            if user and why.startswith(_UNKNOWN):
                why += (" while logging in; FalkorDB accepts only connections without authentication, "
                        "so pass --user '' (or KG_NEO4J_USER=)")
            raise StoreError(E.E021.format(uri=shown, why=why)) from None
        except (ServiceUnavailable, OSError) as error:
            driver.close()
            last = error
            if "refused" in str(error).lower():
                break  # nothing listens: trying again will not help
    if last is not None or driver is None:
        raise StoreError(E.E021.format(uri=shown, why=_connect_why(last or OSError(), timeout, retries))) from None
    try:
        yield driver
    finally:
        driver.close()


def detect_server(session: Any, agent: str = "") -> ServerInfo:
    """Ask the server what it is. Neo4j answers ``dbms.components()``. FalkorDB fails it with its one error for
    everything ("An unknown error occurred", ``Neo.DatabaseError.General.UnknownError``): then no constraints,
    unnamed range indexes and escaped text parameters. Any other failure (a Neo4j user not allowed to call the
    procedure, say) keeps the Neo4j dialect, so text is never escaped for the wrong server. The agent string
    (``driver.get_server_info().agent``) alone does not tell: FalkorDB introduces itself as ``Neo4j/5.13.0``.
    """
    from neo4j.exceptions import Neo4jError

    try:
        record = session.run(cypher.SERVER_COMPONENTS).single()
    except Neo4jError as error:
        if _why(error).startswith(_UNKNOWN) or (error.code or "").endswith("General.UnknownError"):
            return ServerInfo(dialect=Dialect.FALKORDB, agent=agent, name="FalkorDB")
        return ServerInfo(dialect=Dialect.NEO4J, agent=agent, name=f"unknown (dbms.components: {_why(error)})")
    if record is None:  # pragma: no cover - Neo4j always lists its kernel
        return ServerInfo(dialect=Dialect.NEO4J, agent=agent)
    versions = record["versions"] or []
    return ServerInfo(dialect=Dialect.NEO4J, agent=agent, name=str(record["name"]),
                      version=str(versions[0]) if versions else "", edition=str(record["edition"] or ""))


# --------------------------------------------------------------------------- querying


def run_query(query: str, params: dict[str, Any], *, uri: str, user: str | None, password: str | None,
              database: str | None) -> QueryResult:
    """Run one Cypher statement on a Bolt server (auto-commit) and return its columns and plain rows.

    Raises ``QueryError`` (E020) when the server rejects the query and ``StoreError`` when it cannot be
    reached (E021) or drops the connection (E065).
    """
    from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

    with connect(uri, user, password, database=database) as driver, driver.session(database=database) as session:
        try:
            encode = encoder_for(detect_server(session).dialect)
        except (ServiceUnavailable, SessionExpired, OSError) as error:
            raise StoreError(E.E065.format(uri=safe_uri(uri), what="asking what server it is",
                                           why=_why(error))) from None
        try:
            result = session.run(query, encode(dict(params or {})))
            columns = list(result.keys())
            rows = [[plain(value) for value in record.values()] for record in result]
            result.consume()
        except Neo4jError as error:
            why = _why(error)
            if why.startswith(_UNKNOWN):
                why += (" (the server gives no detail: FalkorDB answers this for every failed query; check the "
                        "syntax and that it supports the functions used)")
            raise QueryError(E.E020.format(why=why)) from None
        except (ServiceUnavailable, SessionExpired, OSError) as error:
            raise StoreError(E.E065.format(uri=safe_uri(uri), what="running the query", why=_why(error))) from None
    return QueryResult(columns=columns, rows=rows, backend="neo4j")


# --------------------------------------------------------------------------- loading


class Tally(BaseModel):
    """Rows of one label or type: ``sent``; ``created`` (the id was new); ``updated`` (it existed and a
    property value changed); ``unchanged`` (it existed with the same values); ``missing`` (a relationship
    whose endpoint node is not in the database, so it was not written)."""

    sent: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: int = 0
    batches: int = 0
    bytes: int = 0
    seconds: float = 0.0

    def add(self, other: Tally) -> None:
        for name in ("sent", "created", "updated", "unchanged", "missing", "batches", "bytes"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.seconds += other.seconds


class LoadSummary(BaseModel):
    """What a load did. Counts per label and type, totals, time and throughput; no credentials."""

    uri: str
    server: ServerInfo
    replaced: int = Field(0, description="Nodes deleted first by --replace.")
    schema_statements: list[str] = Field(default_factory=list)
    nodes: dict[str, Tally] = Field(default_factory=dict)
    relationships: dict[str, Tally] = Field(default_factory=dict)
    database_counts: dict[str, dict[str, int]] = Field(default_factory=dict)
    seconds: float = 0.0

    def total(self, kind: str) -> Tally:
        total = Tally()
        for tally in (self.nodes if kind == "nodes" else self.relationships).values():
            total.add(tally)
        return total

    def rows_per_second(self, kind: str) -> float:
        total = self.total(kind)
        return total.sent / total.seconds if total.seconds > 0 else 0.0

    def text(self) -> str:
        """Two lines for people."""
        lines = []
        for kind in ("nodes", "relationships"):
            t = self.total(kind)
            extra = f", {t.missing} missing an endpoint" if t.missing else ""
            lines.append(f"{kind}: {t.sent} sent, {t.created} created, {t.updated} updated, "
                         f"{t.unchanged} unchanged{extra} in {t.seconds:.1f}s "
                         f"({self.rows_per_second(kind):,.0f} rows/s, {t.batches} batches)")
        return "\n".join(lines)


def node_load_rows(G: nx.MultiDiGraph, label: NodeLabel) -> list[dict[str, Any]]:
    """``{"id", "props"}`` rows of one label, properties validated by the models (``None`` kept: it removes a
    property that a previous load set)."""
    rows = []
    for row in node_rows(G, label):
        key = row.pop("id")
        rows.append({"id": key, "props": row})
    return rows


def relationship_load_rows(G: nx.MultiDiGraph, rel: RelType) -> list[dict[str, Any]]:
    """``{"source", "target", "props"}`` rows of one relationship type."""
    rows = []
    for row in relationship_rows(G, rel):
        source, target = row.pop("source"), row.pop("target")
        rows.append({"source": source, "target": target, "props": row})
    return rows


def _same(before: dict[str, Any], props: dict[str, Any]) -> bool:
    """Whether ``SET x += props`` leaves ``before`` as it was."""
    after = dict(before)
    for key, value in props.items():
        if value is None:
            after.pop(key, None)
        else:
            after[key] = value
    return plain(after) == plain(before)


class _Writer:
    """Runs batches in managed write transactions on one session and tallies what they did."""

    def __init__(self, session: Any, uri: str, encode: Callable[[Any], Any] = _identity) -> None:
        self.session = session
        self.uri = uri
        self.encode = encode

    def write(self, what: str, work: Callable[..., Any], *args: Any) -> Any:
        from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

        try:
            return self.session.execute_write(work, *args)
        except (ServiceUnavailable, SessionExpired, OSError) as error:
            raise StoreError(E.E065.format(uri=self.uri, what=f"writing {what}", why=_why(error))) from None
        except Neo4jError as error:
            raise StoreError(E.E060.format(what=what, uri=self.uri, why=_why(error))) from None

    def read(self, what: str, query: str, **params: Any) -> list[Any]:
        from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

        def work(tx: Any) -> list[Any]:
            return list(tx.run(query, params))

        try:
            return self.session.execute_read(work)
        except (ServiceUnavailable, SessionExpired, OSError) as error:
            raise StoreError(E.E065.format(uri=self.uri, what=f"reading {what}", why=_why(error))) from None
        except Neo4jError as error:
            raise StoreError(E.E060.format(what=what, uri=self.uri, why=_why(error))) from None

    def batch(self, what: str, query: str, batch: Batch, *, props_query: str, append: Callable[[str], str],
              key: dict[str, Any] | None) -> Tally:
        tally = Tally(sent=len(batch.rows), batches=1, bytes=batch.nbytes + sum(encoded_size(p.value)
                                                                                 for p in batch.parts))
        started = time.perf_counter()
        if not batch.parts:
            record = self.write(what, _run_single, query, self.encode({"rows": batch.rows}))
            done, created, updated = (int(record[k] or 0) for k in ("rows", "created", "updated"))
            tally.created, tally.updated = created, updated
            tally.unchanged = done - created - updated
            tally.missing = len(batch.rows) - done
        else:  # one row too large for a message: head, then its long values in parts, in one transaction
            assert key is not None and batch.full is not None
            parts = [(append(p.prop), self.encode({**key, "part": p.value})) for p in batch.parts]
            before, done = self.write(what, _run_split, props_query, self.encode(key), query,
                                      self.encode({"rows": batch.rows}), parts)
            if not done:
                tally.missing = 1
            elif before is None:
                tally.created = 1
            elif _same(before, batch.full["props"]):
                tally.unchanged = 1
            else:
                tally.updated = 1
        tally.seconds = time.perf_counter() - started
        return tally


def _run_single(tx: Any, query: str, params: dict[str, Any]) -> Any:
    return tx.run(query, params).single(strict=True)


def _run_split(tx: Any, props_query: str, key: dict[str, Any], query: str, params: dict[str, Any],
               parts: list[tuple[str, dict[str, Any]]]) -> tuple[dict[str, Any] | None, int]:
    found = tx.run(props_query, key).single()
    before = dict(found["props"]) if found is not None else None
    done = int(tx.run(query, params).single(strict=True)["rows"] or 0)
    if done:
        for text, part_params in parts:
            tx.run(text, part_params).consume()
    return before, done


def _check_bounds(batch_size: int, max_batch_bytes: int) -> None:
    if batch_size < 1:
        raise StoreError(E.E061.format(option="--batch-size", minimum=1, value=batch_size))
    if max_batch_bytes < MIN_BATCH_BYTES:
        raise StoreError(E.E061.format(option="--max-batch-bytes", minimum=MIN_BATCH_BYTES, value=max_batch_bytes))


def load_graph_into_neo4j(
    G: nx.MultiDiGraph,
    *,
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
    batch_size: int | None = None,
    max_batch_bytes: int | None = None,
    replace: bool = False,
    progress: ProgressFn | None = None,
    settings: Settings | None = None,
) -> LoadSummary:
    """Merge every node and relationship of ``G`` into the server at ``uri``; returns a :class:`LoadSummary`.

    ``progress(what, rows)`` is called after each batch. Loading the same graph again creates nothing; a larger
    graph adds its new nodes and relationships and updates changed properties; ``replace`` first deletes every
    node with one of kg's labels (and their relationships), nothing else.
    """
    settings = settings or get_settings()
    uri = uri or settings.neo4j_uri
    if user is None:
        user = settings.neo4j_user
    if password is None:
        password = settings.neo4j_password.get_secret_value()
    database = database or settings.neo4j_database
    batch_size = batch_size or settings.neo4j_batch_size
    max_batch_bytes = max_batch_bytes or settings.neo4j_max_batch_bytes
    _check_bounds(batch_size, max_batch_bytes)
    shown = safe_uri(uri)
    progress = progress or (lambda what, n: None)
    started = time.perf_counter()

    with connect(uri, user, password, database=database, settings=settings) as driver, \
            driver.session(database=database) as session:
        server = _detect(driver, session, shown)
        writer = _Writer(session, shown, encoder_for(server.dialect))
        encode = writer.encode
        summary = LoadSummary(uri=shown, server=server)
        if replace:
            summary.replaced = _delete_kg_nodes(writer)
        summary.schema_statements = _ensure_keys(writer, server.dialect)

        for label in NodeLabel:
            rows = node_load_rows(G, label)
            tally = Tally()
            query = cypher.merge_nodes(label)
            for batch in batches(rows, max_rows=batch_size, max_bytes=max_batch_bytes, owner=label.value,
                                 encode=encode):
                key = {"id": batch.rows[0]["id"]} if batch.parts else None
                tally.add(writer.batch(f"{label} nodes", query, batch, props_query=cypher.node_properties(label),
                                       append=lambda prop, label=label: cypher.append_node_property(label, prop),
                                       key=key))
                progress(label.value, len(batch.rows))
            summary.nodes[label.value] = tally

        for rel in RelType:
            rows = relationship_load_rows(G, rel)
            tally = Tally()
            query = cypher.merge_relationships(rel)
            for batch in batches(rows, max_rows=batch_size, max_bytes=max_batch_bytes, owner=rel.value,
                                 key_of=lambda row: {"source": row["source"], "target": row["target"]},
                                 encode=encode):
                head = batch.rows[0]
                key = {"source": head["source"], "target": head["target"]} if batch.parts else None
                tally.add(writer.batch(f"{rel} relationships", query, batch,
                                       props_query=cypher.relationship_properties(rel),
                                       append=lambda prop, rel=rel: cypher.append_relationship_property(rel, prop),
                                       key=key))
                progress(rel.value, len(batch.rows))
            summary.relationships[rel.value] = tally

        summary.database_counts = database_counts_in(writer)
    summary.seconds = time.perf_counter() - started
    return summary


def _detect(driver: Any, session: Any, uri: str) -> ServerInfo:
    from neo4j.exceptions import ServiceUnavailable, SessionExpired

    try:
        return detect_server(session, driver.get_server_info().agent or "")
    except (ServiceUnavailable, SessionExpired, OSError) as error:
        raise StoreError(E.E065.format(uri=uri, what="asking what server it is", why=_why(error))) from None


def _ensure_keys(writer: _Writer, dialect: Dialect) -> list[str]:
    """Create the key constraint or index of every label that lacks one; return the statements sent."""
    from neo4j.exceptions import ClientError

    indexed: set[str] = set()
    if dialect is Dialect.FALKORDB:
        for record in writer.read("the index list", cypher.FALKORDB_INDEXES):
            if "id" in (record["properties"] or []):
                indexed.add(str(record["label"]))
    sent = []
    for statement in cypher.schema_ddl(dialect, indexed):
        try:
            writer.session.execute_write(lambda tx, text=statement: tx.run(text).consume())
        except ClientError as error:
            # An index (not a constraint) on the same key already exists: keep it, MERGE stays correct.
            if "AlreadyExists" not in (error.code or ""):
                raise StoreError(E.E060.format(what="the key constraints", uri=writer.uri, why=_why(error))) from None
        sent.append(statement)
    return sent


def _delete_kg_nodes(writer: _Writer) -> int:
    deleted = 0
    for label in NodeLabel:
        query = cypher.delete_label_batch(label)
        while True:
            n = int(writer.write(f"deleting {label} nodes", _run_single, query, {"limit": DELETE_BATCH})["deleted"])
            deleted += n
            if n < DELETE_BATCH:
                break
    return deleted


def database_counts_in(writer: _Writer) -> dict[str, dict[str, int]]:
    """Nodes per kg label and relationships per kg type in the database (same shape as ``graph_counts``)."""
    return {
        "nodes": {label.value: int(writer.read(f"{label} count", cypher.count_nodes(label))[0]["count"])
                  for label in NodeLabel},
        "relationships": {rel.value: int(writer.read(f"{rel} count", cypher.count_relationships(rel))[0]["count"])
                          for rel in RelType},
    }


def database_counts(*, uri: str, user: str | None, password: str | None,
                    database: str | None = None) -> dict[str, dict[str, int]]:
    """Counts per kg label and type in the database at ``uri``."""
    with connect(uri, user, password, database=database) as driver, driver.session(database=database) as session:
        return database_counts_in(_Writer(session, safe_uri(uri)))


__all__ = ["LoadSummary", "ServerInfo", "Tally", "connect", "database_counts", "detect_server", "encoder_for",
           "escape_falkordb", "load_graph_into_neo4j", "plain", "run_query"]
