"""``kg query`` (one Cypher query: embedded database or Neo4j) and ``kg shell`` (an interactive Cypher prompt)."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kg.cli.app import app, err, kg_command, out
from kg.errors import E, KgError, QueryError, StoreError
from kg.stores.result import QueryResult

Runner = Callable[[str, Mapping[str, Any]], QueryResult]


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


# --------------------------------------------------------------------------- parameters and output


def parse_params(items: Sequence[str] | None) -> dict[str, Any]:
    """``["k=3", "name=ImageNet"]`` -> ``{"k": 3, "name": "ImageNet"}``: JSON when the value parses, else text.

    >>> parse_params(["k=3", "name=ImageNet", 'xs=["a", "b"]', "q=a=b", "s="])
    {'k': 3, 'name': 'ImageNet', 'xs': ['a', 'b'], 'q': 'a=b', 's': ''}
    """
    params: dict[str, Any] = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise QueryError(E.E022.format(value=item))
        try:
            params[name] = json.loads(value)
        except json.JSONDecodeError:
            params[name] = value
    return params


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def render(result: QueryResult, fmt: OutputFormat | str) -> str:
    """``json`` (a list of objects) or ``csv`` (header, then rows; lists and objects as JSON) text.

    >>> r = QueryResult(columns=["name", "aliases"], rows=[["a, b", ["x"]], [None, []]])
    >>> print(render(r, "csv"), end="")
    name,aliases
    "a, b","[""x""]"
    ,[]
    """
    fmt = OutputFormat(str(fmt))
    if fmt is OutputFormat.JSON:
        return json.dumps(result.records(), ensure_ascii=False, indent=2) + "\n"
    if fmt is OutputFormat.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow([_cell(v) for v in row])
        return buffer.getvalue()
    raise ValueError("tables are printed with print_result")


def result_table(result: QueryResult) -> Table:
    table = Table(show_edge=False, highlight=False)
    for column in result.columns:
        table.add_column(column, overflow="fold")
    for row in result.rows:
        table.add_row(*(_cell(v) for v in row))
    return table


def print_result(result: QueryResult, fmt: OutputFormat | str, console: Console | None = None,
                 write: Callable[[str], Any] | None = None) -> None:
    """Print ``result`` as a rich table (rows counted on stderr), JSON or CSV."""
    fmt = OutputFormat(str(fmt))
    if fmt is OutputFormat.TABLE:
        (console or out).print(result_table(result), markup=False)
        n = len(result.rows)
        err.print(f"{n} row{'s' if n != 1 else ''}", highlight=False)
    else:
        (write or typer.echo)(render(result, fmt).rstrip("\n"))


# --------------------------------------------------------------------------- back ends


def embedded_runner(graph_dir: Path) -> tuple[Runner, Callable[[], None]]:
    """Run queries on the embedded database of ``graph_dir`` (opened read-only once); and how to close it."""
    from kg.stores.embedded import open_database

    db = open_database(graph_dir)
    return db.query, db.close


def neo4j_runner(uri: str, user: str | None, password: str | None, database: str | None) -> Runner:
    """Run queries on a Neo4j (Bolt) server through :func:`kg.stores.neo4j.run_query`."""
    from kg.settings import get_settings

    settings = get_settings()
    user = user if user is not None else settings.neo4j_user
    password = password if password is not None else settings.neo4j_password.get_secret_value()
    database = database if database is not None else settings.neo4j_database

    def run(cypher: str, params: Mapping[str, Any]) -> QueryResult:
        try:
            from kg.stores.neo4j import run_query
        except ImportError as error:
            raise StoreError(E.E059.format(why=error)) from None
        return run_query(cypher, dict(params), uri=uri, user=user, password=password, database=database)

    return run


def _resolve_target(graph_dir: str | None, cypher: str | None, uri: str | None) -> tuple[Path | None, str | None,
                                                                                            str | None]:
    """(folder, query, uri): with a Neo4j URI the only positional argument is the query."""
    env_uri = os.environ.get("KG_NEO4J_URI")
    if uri is None and cypher is None and graph_dir is not None and env_uri and not Path(graph_dir).is_dir():
        uri = env_uri
    if uri is not None:
        if cypher is None:
            return None, graph_dir, uri
        raise QueryError(E.E056.format(path=graph_dir))
    if graph_dir is None:
        raise QueryError(E.E054)
    return Path(graph_dir), cypher, None


UriOpt = Annotated[str | None, typer.Option("--uri", help="Bolt URI of a Neo4j server; without it the query runs "
                                                          "on the embedded database of DIR.")]
UserOpt = Annotated[str | None, typer.Option("--user", help="Neo4j user (default: KG_NEO4J_USER or neo4j).")]
PasswordOpt = Annotated[str | None, typer.Option("--password", help="Neo4j password (default: KG_NEO4J_PASSWORD).",
                                                 show_default=False)]
DatabaseOpt = Annotated[str | None, typer.Option("--database", help="Neo4j database (default: KG_NEO4J_DATABASE "
                                                                    "or the server's default).")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output: table, json (a list of objects) "
                                                                        "or csv.")]


@app.command()
@kg_command
def query(
    graph_dir: Annotated[str | None, typer.Argument(metavar="DIR", help="A folder written by kg build (its "
                                                    "embedded database); leave it out with --uri.",
                                                    show_default=False)] = None,
    cypher: Annotated[str | None, typer.Argument(metavar="CYPHER", help="The query; '-' reads it from stdin.",
                                                 show_default=False)] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="A query parameter name=value (JSON "
                                                    "when it parses, else text); repeat for more.")] = None,
    fmt: FormatOpt = OutputFormat.TABLE,
    uri: UriOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Run a Cypher query on the embedded database of DIR, or on Neo4j with --uri; print the result."""
    folder, text, uri = _resolve_target(graph_dir, cypher, uri)
    if text is None:
        raise QueryError(E.E057)
    if text == "-":
        text = sys.stdin.read()
    params = parse_params(param)
    if uri is not None:
        result = neo4j_runner(uri, user, password, database)(text, params)
    else:
        assert folder is not None
        run, close = embedded_runner(folder)
        try:
            result = run(text, params)
        finally:
            close()
    print_result(result, fmt)


# --------------------------------------------------------------------------- kg shell


SHELL_HELP = """\
Type Cypher and end it with ';' (a query may span lines). Commands:
  :help                 this text
  :quit / :exit         leave (also Ctrl-D)
  :format table|json|csv   how results are printed
  :param name=value     set a query parameter ($name); value read as JSON when it parses
  :params               list the parameters; :clear drops them
  :schema               node and relationship tables with their columns
  :history              the last queries
Ctrl-C drops the query being typed."""


_HISTORY_SIZE = 1000
_COMMANDS = frozenset({"quit", "exit", "q", "help", "h", "?", "format", "param", "params", "clear", "schema",
                       "history"})


class CypherShell:
    """The read-eval-print loop of ``kg shell``: reads lines from ``stdin``, runs each query ending in ``;``.

    History: with a terminal, readline edits lines and keeps history in ``history_file``; without one (piped
    input, tests), executed queries are still appended to the file.
    """

    def __init__(self, run: Runner, *, stdin: IO[str] | None = None, history_file: Path | None = None,
                 fmt: OutputFormat = OutputFormat.TABLE, schema: Callable[[], QueryResult] | None = None,
                 write: Callable[[str], Any] | None = None) -> None:
        self.run_query = run
        self.stdin = stdin if stdin is not None else sys.stdin
        self.history_file = history_file
        self.fmt = fmt
        self.schema = schema
        self.params: dict[str, Any] = {}
        self.history: list[str] = []
        self.write = write or typer.echo
        self.interactive = self.stdin is sys.stdin and sys.stdin.isatty()
        self._readline: Any = None
        self.errors = 0

    # -- input ------------------------------------------------------------------------------

    def _start_history(self) -> None:
        if self.history_file and self.history_file.exists():
            try:
                lines = self.history_file.read_text(encoding="utf-8").splitlines()
            except OSError:
                lines = []
            self.history = [line for line in lines if line.strip()][-_HISTORY_SIZE:]
            if len(lines) > 2 * _HISTORY_SIZE:  # keep the file short
                with suppress(OSError):
                    self.history_file.write_text("".join(h + "\n" for h in self.history), encoding="utf-8")
        if self.interactive:
            try:
                import readline
            except ImportError:  # pragma: no cover - platforms without readline
                return
            self._readline = readline
            readline.clear_history()
            for line in self.history:
                readline.add_history(line)

    def _remember(self, statement: str, typed: Sequence[str] = ()) -> None:
        line = " ".join(statement.split()) + ";"  # recalled with the arrow keys, it runs on Enter
        self.history.append(line)
        rl = self._readline
        if rl is not None:  # readline kept each typed line: keep the whole query as one entry instead
            for text in reversed([t for t in typed if t.strip()]):
                n = rl.get_current_history_length()
                if n and rl.get_history_item(n) == text:
                    rl.remove_history_item(n - 1)
            rl.add_history(line)
        if self.history_file:
            try:
                self.history_file.parent.mkdir(parents=True, exist_ok=True)
                with open(self.history_file, "a", encoding="utf-8") as handle:
                    handle.write(line + "\n")
            except OSError as error:
                err.print(f"[yellow]warning:[/yellow] cannot write the history file ({error})", highlight=False)

    def _readline_input(self, prompt: str) -> str | None:
        if self.interactive:
            try:
                return input(prompt)
            except EOFError:
                return None
        line = self.stdin.readline()
        if not line:
            return None
        return line.rstrip("\n").rstrip("\r")

    # -- commands -----------------------------------------------------------------------------

    @staticmethod
    def _is_command(line: str) -> bool:
        """A known ``:command`` (also accepted in the middle of a query: ``:quit`` always leaves)."""
        return line[1:].strip().partition(" ")[0].lower() in _COMMANDS

    def command(self, line: str) -> bool:
        """Run a ``:command``; False when the shell should stop."""
        name, _, arg = line[1:].strip().partition(" ")
        name, arg = name.lower(), arg.strip()
        if name in ("quit", "exit", "q"):
            return False
        if name in ("help", "h", "?"):
            self.write(SHELL_HELP)
        elif name == "format":
            try:
                self.fmt = OutputFormat(arg)
                self.write(f"format: {self.fmt.value}")
            except ValueError:
                self._error(QueryError(E.E007.format(name=arg, choices=", ".join(f.value for f in OutputFormat))))
        elif name == "param":
            try:
                self.params.update(parse_params([arg]))
            except QueryError as error:
                self._error(error)
        elif name == "params":
            self.write(json.dumps(self.params, ensure_ascii=False) if self.params else "no parameters")
        elif name == "clear":
            self.params.clear()
        elif name == "schema":
            if self.schema is not None:
                self.execute_result(self.schema)
            else:
                self.write("the schema is the graph model of the README; on this server: CALL db.labels()")
        elif name == "history":
            for i, entry in enumerate(self.history[-20:], max(1, len(self.history) - 19)):
                self.write(f"{i:4d}  {entry}")
        else:
            self._error(QueryError(E.E058.format(command=line.strip())))
        return True

    def _error(self, error: KgError) -> None:
        self.errors += 1
        err.print(f"[red]error:[/red] {error}", highlight=False)

    def execute_result(self, produce: Callable[[], QueryResult]) -> None:
        try:
            result = produce()
        except KgError as error:
            self._error(error)
            return
        print_result(result, self.fmt, write=self.write)

    def execute(self, statement: str, typed: Sequence[str] = ()) -> None:
        self._remember(statement, typed)
        self.execute_result(lambda: self.run_query(statement, self.params))

    # -- loop ---------------------------------------------------------------------------------

    def loop(self) -> int:
        """Read and run until ``:quit`` or end of input; the number of errors shown."""
        self._start_history()
        if self.interactive:
            err.print("kg shell: Cypher ending in ';', :help for commands, :quit to leave.", highlight=False)
        buffer: list[str] = []
        while True:
            try:
                line = self._readline_input("kg> " if not buffer else "... ")
            except KeyboardInterrupt:
                buffer.clear()
                err.print("")
                continue
            if line is None:
                break
            stripped = line.strip()
            if stripped.startswith(":") and (not buffer or self._is_command(stripped)):
                if not self.command(stripped):
                    buffer.clear()
                    break
                continue
            if not stripped and not buffer:
                continue
            buffer.append(line)
            if stripped.endswith(";"):
                statement = "\n".join(buffer).strip().rstrip(";").strip()
                typed = list(buffer)
                buffer.clear()
                if statement:
                    self.execute(statement, typed)
        if buffer and "\n".join(buffer).strip():  # input ended without ';': run what was typed
            self.execute("\n".join(buffer).strip())
        return self.errors


def schema_result() -> Callable[[], QueryResult]:
    """The ``:schema`` of the embedded database: every table with its kind and columns."""
    from kg.models import REL_ENDPOINTS, NodeLabel, RelType
    from kg.stores import embedded_cypher as cy

    def produce() -> QueryResult:
        rows: list[list[Any]] = []
        for label in NodeLabel:
            rows.append([label.value, "node", ", ".join(f"{c} {t}" for c, t in cy.node_columns(label).items())])
        for rel in RelType:
            src, dst = REL_ENDPOINTS[rel]
            cols = ", ".join(f"{c} {t}" for c, t in cy.rel_columns(rel).items())
            rows.append([rel.value, f"relationship {src.value} -> {dst.value}", cols])
        return QueryResult(columns=["table", "kind", "columns"], rows=rows, backend="embedded")

    return produce


@app.command()
@kg_command
def shell(
    graph_dir: Annotated[str | None, typer.Argument(metavar="DIR", help="A folder written by kg build; leave "
                                                    "it out with --uri.", show_default=False)] = None,
    fmt: FormatOpt = OutputFormat.TABLE,
    history: Annotated[Path | None, typer.Option("--history", help="History file (default: KG_SHELL_HISTORY or "
                                                                   "~/.kg_history).")] = None,
    uri: UriOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """An interactive Cypher prompt over the embedded database of DIR (or Neo4j with --uri), with history."""
    from kg.settings import get_settings

    history_file = history if history is not None else Path(os.path.expanduser(get_settings().shell_history))
    close: Callable[[], None] = lambda: None  # noqa: E731
    if uri is not None:
        run = neo4j_runner(uri, user, password, database)
        schema = None
    else:
        if graph_dir is None:
            raise QueryError(E.E054)
        run, close = embedded_runner(Path(graph_dir))
        schema = schema_result()
    try:
        CypherShell(run, history_file=history_file, fmt=fmt, schema=schema).loop()
    finally:
        close()
