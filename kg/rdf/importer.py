"""Read kg's own RDF back into the graph it was exported from (``networkx.MultiDiGraph``, same ids and properties).

Nodes are found by their kg class and identified by ``dcterms:identifier``, so the base IRI of the export does
not matter. Relationships come from the direct triples; their properties from the ``kg:Evidence`` and
``kg:Derivation`` statements. Triples of other vocabularies are ignored.

>>> import networkx as nx
>>> from kg.rdf.export import graph_to_rdflib
>>> G = nx.MultiDiGraph(); G.add_node("github.com/a", label="Owner", host="github.com", name="a")
>>> H = graph_from_rdflib(graph_to_rdflib(G, "https://example.org/"))
>>> dict(H.nodes["github.com/a"])
{'label': 'Owner', 'id': 'github.com/a', 'host': 'github.com', 'name': 'a'}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import BaseModel
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.errors import E, GraphError, InputError
from kg.models import NODE_MODELS, REL_MODELS, NodeLabel
from kg.rdf.export import FORMATS, resolve_format
from kg.rdf.mapping import (
    NODE_CLASS,
    NODE_PROPS,
    REL_OF_PREDICATE,
    REL_PREDICATE,
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


class _Reader:
    def __init__(self, graph: Graph, where: str) -> None:
        self.graph = graph
        self.where = where
        self.paper_ids: dict[Any, str] = {}

    def fail(self, subject: Any, predicate: Any, why: str) -> GraphError:
        return GraphError(E.E084.format(path=self.where, subject=subject, predicate=predicate, why=why))

    def _literals(self, subject: Any, prop: Prop) -> list[str]:
        values = []
        for obj in self.graph.objects(subject, prop.predicate):
            if not isinstance(obj, Literal):
                raise self.fail(subject, prop.predicate, f"has {obj.n3()}, not a literal")
            values.append(str(obj))
        return values

    def single(self, subject: Any, prop: Prop) -> str | None:
        values = self._literals(subject, prop)
        if len(values) > 1:
            raise self.fail(subject, prop.predicate, f"has {len(values)} values, kg writes one")
        return values[0] if values else None

    def _list(self, subject: Any, prop: Prop) -> list[str]:
        heads = list(self.graph.objects(subject, prop.predicate))
        if len(heads) > 1:
            raise self.fail(subject, prop.predicate, f"has {len(heads)} lists, kg writes one")
        items: list[str] = []
        node = heads[0] if heads else RDF.nil
        seen = set()
        while node != RDF.nil:
            if node in seen or not isinstance(node, BNode | URIRef):
                raise self.fail(subject, prop.predicate, "is not a well-formed rdf:List")
            seen.add(node)
            first = self.graph.value(node, RDF.first)
            if not isinstance(first, Literal):
                raise self.fail(subject, prop.predicate, "is not an rdf:List of strings")
            items.append(str(first))
            node = self.graph.value(node, RDF.rest)
            if node is None:
                raise self.fail(subject, prop.predicate, "is an rdf:List without its rdf:rest")
        return items

    def value(self, subject: Any, prop: Prop) -> Any:
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
            for obj in self.graph.objects(subject, prop.predicate):
                if obj not in self.paper_ids:
                    raise self.fail(subject, prop.predicate, f"names {obj.n3()}, which is not a kg:Paper")
                papers.append(self.paper_ids[obj])
            return sorted(papers)
        raise ValueError(kind)  # pragma: no cover

    def props(self, subject: Any, props: tuple[Prop, ...], model: type[BaseModel]) -> dict[str, Any]:
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


def graph_from_rdflib(graph: Graph, where: str = "<graph>") -> nx.MultiDiGraph:
    """The kg graph held in an rdflib graph written by :mod:`kg.rdf.export`."""
    reader = _Reader(graph, where)
    G = nx.MultiDiGraph()
    id_of: dict[Any, str] = {}
    for label in NodeLabel:
        cls = NODE_CLASS[label]
        for subject in graph.subjects(RDF.type, cls):
            node_id = reader.single(subject, NODE_PROPS[label][0])
            if node_id is None:
                raise GraphError(E.E083.format(path=where, subject=subject.n3(), cls=f"kg:{label.value}"))
            id_of[subject] = node_id
            if label is NodeLabel.PAPER:
                reader.paper_ids[subject] = node_id
    for label in NodeLabel:
        props = NODE_PROPS[label][1:]
        for subject in graph.subjects(RDF.type, NODE_CLASS[label]):
            node_id = id_of[subject]
            G.add_node(node_id, label=label.value, id=node_id, **reader.props(subject, props, NODE_MODELS[label]))
    qualified: dict[tuple[Any, Any, Any], Any] = {}
    for cls in (KG.Evidence, KG.Derivation):
        for statement in graph.subjects(RDF.type, cls):
            s, p, o = (graph.value(statement, RDF.subject), graph.value(statement, RDF.predicate),
                       graph.value(statement, RDF.object))
            if s in id_of and o in id_of and p in REL_OF_PREDICATE and (s, p, o) not in graph:
                raise GraphError(E.E088.format(path=where, statement=statement.n3(), source=id_of[s],
                                               rel=REL_OF_PREDICATE[p].value, target=id_of[o]))
            qualified[(s, p, o)] = statement
    for predicate, rel in REL_OF_PREDICATE.items():
        props = rel_props(rel)
        for s, o in graph.subject_objects(predicate):
            if s not in id_of or o not in id_of:
                continue  # not between kg nodes: another vocabulary's use of the term
            attrs: dict[str, Any] = {}
            if props:
                statement = qualified.get((s, REL_PREDICATE[rel], o))
                if statement is None:
                    raise GraphError(E.E085.format(path=where, rel=rel.value, source=id_of[s], target=id_of[o],
                                                   cls=f"kg:{qualifier_class(rel).split('#')[-1]}"))
                attrs = reader.props(statement, props, REL_MODELS[rel])
            G.add_edge(id_of[s], id_of[o], key=rel.value, **attrs)
    return G


def read_rdf(path: str | Path, fmt: str | None = None) -> nx.MultiDiGraph:
    """Read an RDF file written by ``kg export rdf`` back into the kg graph.

    Raises InputError (E080, E081, E030) when the file cannot be parsed and GraphError (E083-E085) when it
    is RDF but not kg's: a node without its id, a value of the wrong type, a relationship without evidence.
    """
    return graph_from_rdflib(parse_rdf(path, fmt), str(path))
