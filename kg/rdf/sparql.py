"""SPARQL over an RDF export: rdflib, or pyoxigraph for large files (rdflib parses and queries them slowly).

``engine="auto"`` (the default, ``KG_SPARQL_ENGINE``) picks oxigraph for files of at least
``KG_SPARQL_OXIGRAPH_BYTES``; see scripts/bench_rdf.py for the measurements behind the default. Both engines
return the same :class:`~kg.stores.result.QueryResult`, values as plain JSON types (numbers as numbers).
kg's prefixes (``kg:``, ``dcterms:``, ``prov:``, ``skos:``, ``schema:``, ...) are predefined.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kg.errors import E, InputError, QueryError
from kg.rdf.importer import OXIGRAPH_FORMATS, guess_format, parse_rdf
from kg.rdf.mapping import PREFIXES
from kg.stores.result import QueryResult

ENGINES = ("auto", "rdflib", "oxigraph")

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {f"{_XSD}{name}" for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
_NUMBERS = {f"{_XSD}{name}" for name in ("decimal", "double", "float")}


def plain(lexical: str, datatype: str | None) -> Any:
    """A literal as a plain value: integers and other numbers as numbers, booleans as bool, else its text.

    >>> plain("42", _XSD + "integer"), plain("0.5", _XSD + "double"), plain("x", None)
    (42, 0.5, 'x')
    """
    try:
        if datatype in _INTEGERS:
            return int(lexical)
        if datatype in _NUMBERS:
            return float(lexical.replace("INF", "inf"))
    except ValueError:
        return lexical
    if datatype == f"{_XSD}boolean":
        return lexical in ("true", "1")
    return lexical


def choose_engine(path: str | Path, engine: str | None = None) -> str:
    """``rdflib`` or ``oxigraph`` for ``path``: as asked, or under ``auto`` by the file's size."""
    from kg.settings import get_settings

    settings = get_settings()
    engine = (engine or settings.sparql_engine).lower()
    if engine not in ENGINES:
        raise InputError(E.E007.format(name=engine, choices=", ".join(ENGINES)))
    if engine != "auto":
        return engine
    size = Path(path).stat().st_size if Path(path).is_file() else 0
    return "oxigraph" if size >= settings.sparql_oxigraph_bytes else "rdflib"


def _fail(engine: str, error: Exception) -> QueryError:
    return QueryError(E.E086.format(engine=engine, why=str(error).strip().splitlines()[0] if str(error) else
                                    type(error).__name__, prefixes=", ".join(f"{p}:" for p in PREFIXES)))


# ---------------------------------------------------------------------------------------------- rdflib


def _rdflib_value(term: Any) -> Any:
    from rdflib import BNode, Literal

    if term is None:
        return None
    if isinstance(term, Literal):
        return plain(str(term), str(term.datatype) if term.datatype else None)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def run_rdflib(graph: Any, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
    """Run ``query`` on an rdflib graph."""
    try:
        result = graph.query(bind_text(query, params) if params else query, initNs=PREFIXES)
        if result.type == "ASK":
            return QueryResult(columns=["ask"], rows=[[bool(result.askAnswer)]], backend="rdflib")
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            rows = [[_rdflib_value(t) for t in triple] for triple in result.graph]
            return QueryResult(columns=["subject", "predicate", "object"], rows=rows, backend="rdflib")
        columns = [str(v) for v in result.vars or []]
        rows = [[_rdflib_value(row[i]) for i in range(len(columns))] for row in result]
    except Exception as error:  # pyparsing ParseException, rdflib errors, type errors in FILTERs, ...
        raise _fail("rdflib", error) from error
    return QueryResult(columns=columns, rows=rows, backend="rdflib")


# ---------------------------------------------------------------------------------------------- oxigraph


def load_oxigraph(path: str | Path, fmt: str | None = None) -> Any:
    """An in-memory pyoxigraph Store holding the file (InputError E081 / E030 when it cannot be read)."""
    import pyoxigraph as ox

    path = Path(path)
    name = guess_format(path, fmt)
    if not path.is_file():
        raise InputError(E.E081.format(path=path, what="RDF file"))
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=getattr(ox.RdfFormat, OXIGRAPH_FORMATS[name]))
    except (SyntaxError, ValueError, OSError) as error:
        raise InputError(E.E030.format(path=path, why=f"{type(error).__name__}: {error}")) from error
    return store


def _oxigraph_value(term: Any) -> Any:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return plain(term.value, term.datatype.value if term.datatype else None)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _term(value: Any) -> Any:
    """A parameter value as an RDF term: ``<iri>`` as an IRI, numbers and booleans typed, else a string."""
    import pyoxigraph as ox

    if isinstance(value, str) and value.startswith("<") and value.endswith(">"):
        return ox.NamedNode(value[1:-1])
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(f"{_XSD}boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(f"{_XSD}integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(f"{_XSD}double"))
    return ox.Literal(str(value))


_TOKENS = re.compile("|".join((
    r'"""(?:.|\n)*?"""', r"'''(?:.|\n)*?'''",  # long strings
    r'"(?:[^"\\\n]|\\.)*"', r"'(?:[^'\\\n]|\\.)*'",  # strings
    r'<[^<>"{}|^`\\\s]*>',  # IRIs
    r"#[^\n]*",  # comments
    r"[?$]([A-Za-z_][A-Za-z0-9_]*)",  # variables
)))


def bind_text(query: str, params: Mapping[str, Any]) -> str:
    """``query`` with each ``?name`` / ``$name`` of ``params`` replaced by its value as a SPARQL term.

    Strings, IRIs and comments in the query are left alone. Both engines get parameters this way: oxigraph's
    own substitution only binds variables of the SELECT clause, and rdflib's initBindings are joined after the
    patterns are evaluated (seconds instead of milliseconds on the seeds export), while a term in a triple
    pattern is matched first. So a parameter cannot also be a selected variable.

    >>> print(bind_text('SELECT ?p { ?p dcterms:title ?t FILTER(?t = ?title) } # ?title', {"title": 'A "B"'}))
    SELECT ?p { ?p dcterms:title ?t FILTER(?t = "A \\"B\\"") } # ?title
    """
    terms = {name: str(_term(value)) for name, value in params.items()}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return terms[name] if name in terms else match.group(0)

    return _TOKENS.sub(replace, query)


def run_oxigraph(store: Any, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
    """Run ``query`` on a pyoxigraph Store."""
    import pyoxigraph as ox

    try:
        result = store.query(bind_text(query, params) if params else query, prefixes=PREFIXES)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(columns=["ask"], rows=[[bool(result)]], backend="oxigraph")
        if isinstance(result, ox.QueryTriples):
            rows = [[_oxigraph_value(t.subject), _oxigraph_value(t.predicate), _oxigraph_value(t.object)]
                    for t in result]
            return QueryResult(columns=["subject", "predicate", "object"], rows=rows, backend="oxigraph")
        variables = list(result.variables)
        columns = [v.value for v in variables]
        rows = [[_oxigraph_value(solution[v]) for v in variables] for solution in result]
    except (SyntaxError, ValueError, OSError, TypeError, RuntimeError) as error:
        raise _fail("oxigraph", error) from error
    return QueryResult(columns=columns, rows=rows, backend="oxigraph")


# ---------------------------------------------------------------------------------------------- one entry point


class SparqlFile:
    """An RDF export loaded once into the chosen engine (``rdflib`` or ``oxigraph``), for several queries."""

    def __init__(self, path: str | Path, engine: str | None = None, fmt: str | None = None) -> None:
        self.path = Path(path)
        self.engine = choose_engine(path, engine)
        self._data = load_oxigraph(path, fmt) if self.engine == "oxigraph" else parse_rdf(path, fmt)

    def query(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        run = run_oxigraph if self.engine == "oxigraph" else run_rdflib
        return run(self._data, query, params)


def run_sparql(path: str | Path, query: str, params: Mapping[str, Any] | None = None, *,
               engine: str | None = None, fmt: str | None = None) -> QueryResult:
    """Run one SPARQL query over the RDF file ``path`` (``kg sparql``)."""
    return SparqlFile(path, engine, fmt).query(query, params)
