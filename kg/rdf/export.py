"""Export a built graph as RDF: Turtle, N-Triples, JSON-LD or RDF/XML, in the vocabulary of ``schema/kg.ttl``.

Every node becomes a typed resource with a stable IRI (:func:`mint_iri` is the only place IRIs are made).
Each relationship is a direct triple (``paper kg:proposes method``) plus, where it carries properties, a
qualified statement: a ``kg:Evidence`` (PROV entity: sentence, offsets, section, rule, confidence) or a
``kg:Derivation`` (supporting papers, weight), reified with ``rdf:subject`` / ``rdf:predicate`` / ``rdf:object``.

N-Triples and Turtle are written line by line from the graph's rows, without an rdflib graph, so memory
stays flat however large the export; JSON-LD and RDF/XML go through an rdflib graph.

>>> import networkx as nx, io
>>> G = nx.MultiDiGraph(); G.add_node("github.com/a", label="Owner", host="github.com", name="a")
>>> buf = io.StringIO(); write_ntriples(triples(G, "https://example.org/"), buf)
4
>>> print(buf.getvalue().splitlines()[0])
<https://example.org/owner/github.com%2Fa> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kg/ontology#Owner> .
"""  # noqa: E501

from __future__ import annotations

import hashlib
import math
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any, NamedTuple
from urllib.parse import quote, urlsplit

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import PROV, RDF, XSD

from kg.errors import E, InputError
from kg.graph.io import atomic_write, node_rows, relationship_rows
from kg.ids import LABEL_PREFIX
from kg.models import EVIDENCE_RELS, NodeLabel, RelType
from kg.rdf.mapping import NODE_CLASS, NODE_PROPS, PREFIXES, REL_PREDICATE, Kind, Prop, qualifier_class, rel_props

#: Output formats: name -> (rdflib format name, file suffix). Aliases map to these names.
FORMATS: dict[str, tuple[str, str]] = {
    "turtle": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "jsonld": ("json-ld", ".jsonld"),
    "xml": ("xml", ".rdf"),
}
FORMAT_ALIASES: dict[str, str] = {"ttl": "turtle", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld",
                                  "rdfxml": "xml", "rdf": "xml", "owl": "xml"}

_RDF_TYPE = str(RDF.type)
_XSD_STRING = str(XSD.string)
_XSD_INTEGER = str(XSD.integer)
_XSD_DOUBLE = str(XSD.double)
_XSD_DATE = str(XSD.date)
_XSD_ANYURI = str(XSD.anyURI)


class Lit(NamedTuple):
    """A literal: its lexical form and datatype IRI (None: xsd:string)."""

    lexical: str
    datatype: str | None = None


class Items(NamedTuple):
    """An rdf:List of plain string literals."""

    items: tuple[str, ...]


#: A triple: subject IRI, predicate IRI, object (an IRI as ``str``, a :class:`Lit` or an :class:`Items`).
Triple = tuple[str, str, "str | Lit | Items"]


def resolve_format(name: str) -> str:
    """The canonical format name for ``name`` (``ttl`` -> ``turtle``), or InputError E007."""
    key = name.strip().lower()
    key = FORMAT_ALIASES.get(key, key)
    if key not in FORMATS:
        raise InputError(E.E007.format(name=name, choices=", ".join(FORMATS)))
    return key


def check_base_iri(base: str) -> str:
    """``base`` if it is an absolute IRI ending with ``/`` or ``#`` (else InputError E082).

    >>> check_base_iri("https://example.org/kg/")
    'https://example.org/kg/'
    """
    parts = urlsplit(base)
    if not (parts.scheme and (parts.netloc or parts.scheme == "urn") and base[-1:] in "/#"
            and not re.search(r"[\s<>\"{}|\\^`]", base)):
        raise InputError(E.E082.format(base=base))
    return base


def mint_iri(base: str, segment: str, key: str, marker: str = "") -> str:
    """The IRI of one resource: ``{base}{segment}/{marker}{key}``, the key percent-encoded (no ``/``, ``#``,
    ``?`` or ``!`` left in it).

    The same arguments always give the same IRI, and distinct keys give distinct IRIs. ``marker`` is ``!`` or
    empty: a raw ``!`` never comes out of the encoding, so marked and unmarked keys cannot collide.

    >>> mint_iri("https://w3id.org/kg/", "paper", "doi:10.1/a b#c")
    'https://w3id.org/kg/paper/doi%3A10.1%2Fa%20b%23c'
    >>> mint_iri("https://w3id.org/kg/", "method", "Übernet!")
    'https://w3id.org/kg/method/%C3%9Cbernet%21'
    """
    return f"{base}{segment}/{marker}{quote(key, safe='')}"


def node_iri(base: str, label: NodeLabel, node_id: str) -> str:
    """IRI of a node: ``paper/<id>``, ``method/<key>`` (the ``method:`` prefix of the id dropped), ...

    A Method, Dataset or Task id without its prefix keeps all of it, marked with ``!``.

    >>> node_iri("https://w3id.org/kg/", NodeLabel.METHOD, "method:simclr")
    'https://w3id.org/kg/method/simclr'
    >>> node_iri("https://w3id.org/kg/", NodeLabel.METHOD, "simclr")
    'https://w3id.org/kg/method/!simclr'
    """
    prefix = LABEL_PREFIX.get(label)
    if prefix is None:
        return mint_iri(base, label.value.lower(), node_id)
    if node_id.startswith(prefix) and len(node_id) > len(prefix):
        return mint_iri(base, label.value.lower(), node_id[len(prefix):])
    return mint_iri(base, label.value.lower(), node_id, marker="!")


def statement_iri(base: str, rel: RelType | str, source: str, target: str) -> str:
    """IRI of the kg:Evidence / kg:Derivation of one relationship: a hash of (type, source id, target id).

    >>> statement_iri("https://example.org/kg/", RelType.PROPOSES, "doi:10.1000/xyz", "method:simclr")
    'https://example.org/kg/evidence/57ce330a83ac6a8daa7a'
    """
    name = str(rel)
    digest = hashlib.sha1(f"{name}\x1f{source}\x1f{target}".encode()).hexdigest()[:20]
    return mint_iri(base, _STATEMENT_SEGMENT[name], digest)


_STATEMENT_SEGMENT = {rel.value: "evidence" if rel in EVIDENCE_RELS else "derivation" for rel in RelType}


def _double(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    return repr(float(value))


def _is_date(value: str) -> bool:
    try:
        return len(value) == 10 and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


Encoder = Callable[[Any], list[tuple[str, "str | Lit | Items"]]]


def _encoder(prop: Prop, paper_iri: Callable[[str], str]) -> Encoder:
    """A function turning one (non-None) value of ``prop`` into its (predicate, object) pairs."""
    pred = str(prop.predicate)
    kind = prop.kind
    if kind is Kind.STRING:
        return lambda value: [(pred, Lit(str(value)))]
    if kind is Kind.STRINGS:
        return lambda value: [(pred, Lit(str(item))) for item in value]
    if kind is Kind.LIST:
        each = str(prop.each) if prop.each is not None else None

        def encode_list(value: Any) -> list[tuple[str, str | Lit | Items]]:
            if not value:
                return []
            items = tuple(str(item) for item in value)
            pairs: list[tuple[str, str | Lit | Items]] = [(pred, Items(items))]
            if each is not None:
                pairs.extend((each, Lit(item)) for item in items)
            return pairs

        return encode_list
    if kind is Kind.URL:
        return lambda value: [(pred, Lit(str(value), _XSD_ANYURI))]
    if kind is Kind.DATE:
        return lambda value: [(pred, Lit(str(value), _XSD_DATE if _is_date(str(value)) else None))]
    if kind is Kind.INTEGER:
        return lambda value: [(pred, Lit(str(int(value)), _XSD_INTEGER))]
    if kind is Kind.DOUBLE:
        return lambda value: [(pred, Lit(_double(value), _XSD_DOUBLE))]
    if kind is Kind.PAPERS:
        return lambda value: [(pred, paper_iri(paper)) for paper in value]
    raise ValueError(kind)  # pragma: no cover - every Kind is handled above


def triples(G: nx.MultiDiGraph, base: str) -> Iterator[Triple]:
    """Every triple of the export of ``G``, node by node then relationship by relationship (a generator).

    Node and relationship properties are validated by their pydantic models on the way (``node_rows``).
    """
    check_base_iri(base)
    iri_of: dict[str, str] = {}

    def paper_iri(node_id: str) -> str:
        return iri_of.get(node_id) or node_iri(base, NodeLabel.PAPER, node_id)

    rdf_subject, rdf_predicate, rdf_object = str(RDF.subject), str(RDF.predicate), str(RDF.object)
    derived_from = str(PROV.wasDerivedFrom)
    for label in NodeLabel:
        cls = str(NODE_CLASS[label])
        encoders = [(prop.field, _encoder(prop, paper_iri)) for prop in NODE_PROPS[label]]
        for row in node_rows(G, label):
            s = iri_of[row["id"]] = node_iri(base, label, row["id"])
            yield s, _RDF_TYPE, cls
            for field, encode in encoders:
                value = row.get(field)
                if value is not None:
                    for p, o in encode(value):
                        yield s, p, o
    for rel in RelType:
        pred = str(REL_PREDICATE[rel])
        qualifier = qualifier_class(rel)
        qualifier_iri = str(qualifier)
        evidence = rel in EVIDENCE_RELS
        rel_value = rel.value
        encoders = [(prop.field, _encoder(prop, paper_iri)) for prop in rel_props(rel)]
        for row in relationship_rows(G, rel):
            s, o = iri_of[row["source"]], iri_of[row["target"]]
            yield s, pred, o
            if qualifier is None:
                continue
            st = statement_iri(base, rel_value, row["source"], row["target"])
            yield st, _RDF_TYPE, qualifier_iri
            yield st, rdf_subject, s
            yield st, rdf_predicate, pred
            yield st, rdf_object, o
            if evidence:
                yield st, derived_from, s
            for field, encode in encoders:
                value = row.get(field)
                if value is not None:
                    for p, obj in encode(value):
                        yield st, p, obj


# ------------------------------------------------------------------------------------------------ writers

_ESCAPES = {i: f"\\u{i:04X}" for i in [*range(0x20), 0x7F]}
_ESCAPES.update({ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
                 ord("\b"): "\\b", ord("\f"): "\\f"})
_ESCAPES.update({i: "\uFFFD" for i in range(0xD800, 0xE000)})  # lone surrogates (from JSON escapes) cannot be encoded
_SPECIAL = re.compile(r'[\x00-\x1f\x7f"\\\ud800-\udfff]')


def quote_literal(text: str) -> str:
    """``text`` as a quoted N-Triples / Turtle string: backslash, quote and control characters escaped, lone
    surrogates (which UTF-8 cannot encode) replaced by U+FFFD.

    (rdflib's ``Literal.n3()`` writes long strings with newlines as Turtle triple-quoted strings, which
    N-Triples does not allow; this form is valid in both.)

    >>> print(quote_literal('say "hi"\\nthen\\\\go'))
    "say \\"hi\\"\\nthen\\\\go"
    """
    if _SPECIAL.search(text) is None:  # most strings: nothing to escape, skip the (slower) translate
        return '"' + text + '"'
    return '"' + text.translate(_ESCAPES) + '"'


def _nt_literal(lit: Lit) -> str:
    if lit.datatype is None or lit.datatype == _XSD_STRING:
        return quote_literal(lit.lexical)
    return f"{quote_literal(lit.lexical)}^^<{lit.datatype}>"


def write_ntriples(stream: Iterable[Triple], handle: IO[str]) -> int:
    """Write ``stream`` as N-Triples, one line per triple; returns the number of triples written.

    rdf:Lists get blank nodes ``_:l<n>`` numbered through the file.
    """
    rdf_first, rdf_rest, rdf_nil = f"<{RDF.first}>", f"<{RDF.rest}>", f"<{RDF.nil}>"
    count = lists = 0
    write = handle.write
    for s, p, o in stream:
        if isinstance(o, Lit):
            write(f"<{s}> <{p}> {_nt_literal(o)} .\n")
        elif isinstance(o, Items):
            lists += 1
            node = f"_:l{lists}"
            write(f"<{s}> <{p}> {node}_0 .\n")
            last = len(o.items) - 1
            for i, item in enumerate(o.items):
                rest = f"{node}_{i + 1}" if i < last else rdf_nil
                write(f"{node}_{i} {rdf_first} {quote_literal(item)} .\n{node}_{i} {rdf_rest} {rest} .\n")
            count += 2 * len(o.items)
        else:
            write(f"<{s}> <{p}> <{o}> .\n")
        count += 1
    return count


_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*\Z")


class _Compactor:
    """Prefixed names (``kg:Paper``) for vocabulary IRIs; anything else stays ``<iri>``."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.cache: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        found = self.cache.get(iri)
        if found is None:
            found = f"<{iri}>"
            for name, ns in self.prefixes:
                if iri.startswith(ns) and _LOCAL_NAME.match(iri[len(ns):]):
                    found = f"{name}:{iri[len(ns):]}"
                    break
            self.cache[iri] = found
        return found


def write_turtle(stream: Iterable[Triple], handle: IO[str], prefixes: dict[str, str] | None = None) -> int:
    """Write ``stream`` as Turtle, streamed: one block per run of triples with the same subject.

    Predicates, classes and relationship terms are written as prefixed names, data IRIs in full.
    """
    compact = _Compactor(prefixes or PREFIXES)
    for name, ns in (prefixes or PREFIXES).items():
        handle.write(f"@prefix {name}: <{ns}> .\n")
    vocabulary_objects = {_RDF_TYPE, str(RDF.predicate)}
    count = 0
    subject = None
    write = handle.write
    for s, p, o in stream:
        if s != subject:
            write(" .\n" if subject is not None else "")
            write(f"\n<{s}>")
            subject, sep = s, " "
        else:
            sep = " ;\n    "
        pred = "a" if p == _RDF_TYPE else compact(p)
        if isinstance(o, Lit):
            obj = quote_literal(o.lexical)
            if o.datatype is not None and o.datatype != _XSD_STRING:
                obj += "^^" + compact(o.datatype)
        elif isinstance(o, Items):
            obj = "( " + " ".join(quote_literal(item) for item in o.items) + " )"
            count += 2 * len(o.items)
        else:
            obj = compact(o) if p in vocabulary_objects else f"<{o}>"
        write(f"{sep}{pred} {obj}")
        count += 1
    if subject is not None:
        write(" .\n")
    return count


def to_rdflib(stream: Iterable[Triple], graph: Graph | None = None) -> Graph:
    """The triples of ``stream`` in an rdflib graph (with kg's prefixes bound)."""
    graph = graph if graph is not None else Graph()
    for name, ns in PREFIXES.items():
        graph.bind(name, ns, override=True)
    add = graph.add
    for s, p, o in stream:
        if isinstance(o, Lit):
            obj: Any = Literal(o.lexical, datatype=URIRef(o.datatype) if o.datatype else None)
        elif isinstance(o, Items):
            obj = BNode()
            Collection(graph, obj, [Literal(item) for item in o.items])
        else:
            obj = URIRef(o)
        add((URIRef(s), URIRef(p), obj))
    return graph


def graph_to_rdflib(G: nx.MultiDiGraph, base: str) -> Graph:
    """The export of ``G`` as an rdflib graph."""
    return to_rdflib(triples(G, base))


@dataclass(frozen=True)
class ExportReport:
    path: Path
    format: str
    triples: int
    seconds: float


def export_rdf(G: nx.MultiDiGraph, out: str | Path, fmt: str = "turtle", base_iri: str | None = None) -> ExportReport:
    """Write the RDF export of ``G`` to ``out`` (atomically); N-Triples and Turtle are streamed."""
    from kg.settings import get_settings

    fmt = resolve_format(fmt)
    base = check_base_iri(base_iri if base_iri is not None else get_settings().base_iri)
    started = time.perf_counter()
    out = Path(out)
    with atomic_write(out) as handle:
        if fmt == "nt":
            count = write_ntriples(triples(G, base), handle)
        elif fmt == "turtle":
            count = write_turtle(triples(G, base), handle)
        else:
            graph = graph_to_rdflib(G, base)
            count = len(graph)
            handle.write(graph.serialize(format=FORMATS[fmt][0]))
    return ExportReport(out, fmt, count, time.perf_counter() - started)
