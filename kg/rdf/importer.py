"""Read kg's own RDF back into the graph it was exported from (``networkx.MultiDiGraph``, same ids and properties).

Nodes are found by their kg class and identified by ``dcterms:identifier``, so the base IRI of the export does
not matter. Relationships come from the direct triples; their properties from the ``kg:Evidence`` and
``kg:Derivation`` statements. Triples of other vocabularies are ignored. Files are parsed by pyoxigraph's
streaming parser into a light :class:`TripleIndex` (plain strings, no rdflib graph).

>>> import networkx as nx
>>> from kg.rdf.export import graph_to_rdflib
>>> G = nx.MultiDiGraph(); G.add_node("github.com/a", label="Owner", host="github.com", name="a")
>>> H = graph_from_rdflib(graph_to_rdflib(G, "https://example.org/"))
>>> dict(H.nodes["github.com/a"])
{'label': 'Owner', 'id': 'github.com/a', 'host': 'github.com', 'name': 'a'}
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import BaseModel
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF

from kg.errors import E, GraphError, InputError
from kg.models import NODE_MODELS, REL_MODELS, NodeLabel
from kg.rdf.export import FORMATS, Lit, resolve_format
from kg.rdf.mapping import (
    NODE_CLASS,
    NODE_PROPS,
    REL_OF_PREDICATE,
    Kind,
    Prop,
    qualifier_class,
    rel_props,
)
from kg.rdf.namespace import KG

#: File suffix -> format name (kg.rdf.export.FORMATS).
SUFFIX_FORMAT: dict[str, str] = {suffix: name for name, (_, suffix) in FORMATS.items()}
SUFFIX_FORMAT.update({".turtle": "turtle", ".ntriples": "nt", ".json": "jsonld", ".xml": "xml", ".owl": "xml"})


def guess_format(path: str | Path, fmt: str | None = None) -> str:
    """The format of ``path``: ``fmt`` when given, else from its suffix (InputError E080 when unknown).

    >>> guess_format("graph.nt"), guess_format("x.data", "ttl")
    ('nt', 'turtle')
    """
    if fmt:
        return resolve_format(fmt)
    found = SUFFIX_FORMAT.get(Path(path).suffix.lower())
    if found is None:
        raise InputError(E.E080.format(path=path, choices=", ".join(FORMATS)))
    return found


def parse_rdf(path: str | Path, fmt: str | None = None) -> Graph:
    """Parse an RDF file into an rdflib graph (InputError E081 when missing, E030 when not parseable)."""
    path = Path(path)
    name = guess_format(path, fmt)
    if not path.is_file():
        raise InputError(E.E081.format(path=path, what="RDF file"))
    try:
        return Graph().parse(str(path), format=FORMATS[name][0])
    except Exception as error:  # rdflib raises many kinds (BadSyntax, SAXParseException, JSONDecodeError, ...)
        raise InputError(E.E030.format(path=path, why=f"{type(error).__name__}: {error}")) from error


_RDF_TYPE, _RDF_FIRST, _RDF_REST, _RDF_NIL = str(RDF.type), str(RDF.first), str(RDF.rest), str(RDF.nil)
_RDF_SUBJECT, _RDF_PREDICATE, _RDF_OBJECT = str(RDF.subject), str(RDF.predicate), str(RDF.object)
_REL_OF = {str(p): rel for p, rel in REL_OF_PREDICATE.items()}

#: A term of the index: an IRI (``str``), a blank node (``str`` starting ``_:``) or a literal (:class:`Lit`).
Term = str | Lit


class TripleIndex:
    """The triples kg reads, indexed by subject (and relationship triples by predicate); plain Python terms.

    Much lighter than an rdflib graph, and filled from pyoxigraph's streaming parser for files.
    """

    def __init__(self) -> None:
        self.out: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.typed: dict[str, list[str]] = defaultdict(list)
        self.rels: dict[str, list[tuple[str, Term]]] = defaultdict(list)

    def add(self, s: str, p: str, o: Term) -> None:
        self.out[s][p].append(o)
        if p == _RDF_TYPE and isinstance(o, str):
            self.typed[o].append(s)
        elif p in _REL_OF:
            self.rels[p].append((s, o))

    def objects(self, s: str, p: str) -> list[Term]:
        found = self.out.get(s)
        return found.get(p, []) if found is not None else []

    def value(self, s: str, p: str) -> Term | None:
        values = self.objects(s, p)
        return values[0] if values else None

    @classmethod
    def from_rdflib(cls, graph: Graph) -> TripleIndex:
        index = cls()
        for s, p, o in graph:
            index.add(_rdflib_term(s), str(p), _rdflib_term(o))
        return index

    @classmethod
    def from_file(cls, path: Path, name: str) -> TripleIndex:
        import pyoxigraph as ox

        index = cls()
        fmt = getattr(ox.RdfFormat, OXIGRAPH_FORMATS[name])
        try:
            for t in ox.parse(path=str(path), format=fmt):
                index.add(_ox_term(t.subject), t.predicate.value, _ox_term(t.object))
        except (SyntaxError, ValueError, OSError) as error:
            raise InputError(E.E030.format(path=path, why=f"{type(error).__name__}: {error}")) from error
        return index


#: Format name -> pyoxigraph.RdfFormat member.
OXIGRAPH_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "xml": "RDF_XML", "jsonld": "JSON_LD"}


def _rdflib_term(term: Any) -> Term:
    if isinstance(term, Literal):
        return Lit(str(term), str(term.datatype) if term.datatype else None)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _ox_term(term: Any) -> Term:
    import pyoxigraph as ox

    if isinstance(term, ox.Literal):
        return Lit(term.value, term.datatype.value if term.datatype else None)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _show(term: Term) -> str:
    if isinstance(term, Lit):
        return repr(term.lexical)
    return term if term.startswith("_:") else f"<{term}>"


class _Reader:
    def __init__(self, index: TripleIndex, where: str) -> None:
        self.index = index
        self.where = where
        self.paper_ids: dict[str, str] = {}

    def fail(self, subject: str, predicate: Any, why: str) -> GraphError:
        return GraphError(E.E084.format(path=self.where, subject=_show(subject), predicate=predicate, why=why))

    def _literals(self, subject: str, prop: Prop) -> list[str]:
        values = []
        for obj in self.index.objects(subject, str(prop.predicate)):
            if not isinstance(obj, Lit):
                raise self.fail(subject, prop.predicate, f"has {_show(obj)}, not a literal")
            values.append(obj.lexical)
        return values

    def single(self, subject: str, prop: Prop) -> str | None:
        values = self._literals(subject, prop)
        if len(values) > 1:
            raise self.fail(subject, prop.predicate, f"has {len(values)} values, kg writes one")
        return values[0] if values else None

    def _list(self, subject: str, prop: Prop) -> list[str]:
        heads = self.index.objects(subject, str(prop.predicate))
        if len(heads) > 1:
            raise self.fail(subject, prop.predicate, f"has {len(heads)} lists, kg writes one")
        items: list[str] = []
        node: Term | None = heads[0] if heads else _RDF_NIL
        seen = set()
        while node != _RDF_NIL:
            if node is None:
                raise self.fail(subject, prop.predicate, "is an rdf:List without its rdf:rest")
            if isinstance(node, Lit) or node in seen:
                raise self.fail(subject, prop.predicate, "is not a well-formed rdf:List")
            seen.add(node)
            first = self.index.value(node, _RDF_FIRST)
            if not isinstance(first, Lit):
                raise self.fail(subject, prop.predicate, "is not an rdf:List of strings")
            items.append(first.lexical)
            node = self.index.value(node, _RDF_REST)
        return items

    def value(self, subject: str, prop: Prop) -> Any:
        kind = prop.kind
        if kind in (Kind.STRING, Kind.URL, Kind.DATE):
            return self.single(subject, prop)
        if kind is Kind.STRINGS:
            return sorted(self._literals(subject, prop))
        if kind is Kind.LIST:
            return self._list(subject, prop)
        if kind in (Kind.INTEGER, Kind.DOUBLE):
            text = self.single(subject, prop)
            if text is None:
                return None
            try:
                return int(text) if kind is Kind.INTEGER else float(text.replace("INF", "inf"))
            except ValueError:
                raise self.fail(subject, prop.predicate, f"is {text!r}, not an {kind.value}") from None
        if kind is Kind.PAPERS:
            papers = []
            for obj in self.index.objects(subject, str(prop.predicate)):
                if not isinstance(obj, str) or obj not in self.paper_ids:
                    raise self.fail(subject, prop.predicate, f"names {_show(obj)}, which is not a kg:Paper")
                papers.append(self.paper_ids[obj])
            return sorted(papers)
        raise ValueError(kind)  # pragma: no cover

    def props(self, subject: str, props: tuple[Prop, ...], model: type[BaseModel]) -> dict[str, Any]:
        """The values of ``props``; a missing one gets the model's default (an error when it has none)."""
        out: dict[str, Any] = {}
        for prop in props:
            found = self.value(subject, prop)
            if found is None:
                field = model.model_fields[prop.field]
                if field.is_required():
                    raise self.fail(subject, prop.predicate, "is missing")
                found = list(field.default) if isinstance(field.default, tuple) else field.default
            out[prop.field] = found
        return out


def graph_from_index(index: TripleIndex, where: str = "<graph>") -> nx.MultiDiGraph:
    """The kg graph held in the triples of ``index``."""
    reader = _Reader(index, where)
    G = nx.MultiDiGraph()
    id_of: dict[str, str] = {}
    for label in NodeLabel:
        for subject in index.typed.get(str(NODE_CLASS[label]), ()):
            node_id = reader.single(subject, NODE_PROPS[label][0])
            if node_id is None:
                raise GraphError(E.E083.format(path=where, subject=_show(subject), cls=f"kg:{label.value}"))
            id_of[subject] = node_id
            if label is NodeLabel.PAPER:
                reader.paper_ids[subject] = node_id
    for label in NodeLabel:
        props = NODE_PROPS[label][1:]
        for subject in index.typed.get(str(NODE_CLASS[label]), ()):
            node_id = id_of[subject]
            G.add_node(node_id, label=label.value, id=node_id, **reader.props(subject, props, NODE_MODELS[label]))
    qualified: dict[tuple[Term | None, Term | None, Term | None], str] = {}
    for cls in (KG.Evidence, KG.Derivation):
        for statement in index.typed.get(str(cls), ()):
            s, p, o = (index.value(statement, _RDF_SUBJECT), index.value(statement, _RDF_PREDICATE),
                       index.value(statement, _RDF_OBJECT))
            if s in id_of and o in id_of and p in _REL_OF and o not in index.objects(s, p):  # type: ignore[arg-type]
                raise GraphError(E.E088.format(path=where, statement=_show(statement), source=id_of[s],
                                               rel=_REL_OF[p].value, target=id_of[o]))
            qualified[(s, p, o)] = statement
    for predicate, rel in _REL_OF.items():
        props = rel_props(rel)
        model = REL_MODELS[rel]
        for s, o in index.rels.get(predicate, ()):
            if s not in id_of or not isinstance(o, str) or o not in id_of:
                continue  # not between kg nodes: another vocabulary's use of the term
            attrs: dict[str, Any] = {}
            if props:
                statement = qualified.get((s, predicate, o))
                if statement is None:
                    cls = qualifier_class(rel) or ""
                    raise GraphError(E.E085.format(path=where, rel=rel.value, source=id_of[s], target=id_of[o],
                                                   cls=f"kg:{cls.split('#')[-1]}"))
                attrs = reader.props(statement, props, model)
            G.add_edge(id_of[s], id_of[o], key=rel.value, **attrs)
    return G


def graph_from_rdflib(graph: Graph, where: str = "<graph>") -> nx.MultiDiGraph:
    """The kg graph held in an rdflib graph written by :mod:`kg.rdf.export`."""
    return graph_from_index(TripleIndex.from_rdflib(graph), where)


def read_rdf(path: str | Path, fmt: str | None = None) -> nx.MultiDiGraph:
    """Read an RDF file written by ``kg export rdf`` back into the kg graph.

    Raises InputError (E080, E081, E030) when the file cannot be parsed and GraphError when it
    is RDF but not kg's: a node without its id, a value of the wrong type, a relationship without its evidence
    (E083-E085), evidence without its relationship (E088).
    """
    path = Path(path)
    name = guess_format(path, fmt)
    if not path.is_file():
        raise InputError(E.E081.format(path=path, what="RDF file"))
    return graph_from_index(TripleIndex.from_file(path, name), str(path))
