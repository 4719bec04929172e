"""Which predicate carries each property of the graph model, and how its values are written.

One table for export and import: every field of every node model (``NODE_MODELS``) and relationship model
(``REL_MODELS``) has exactly one entry; a test checks the table against the models and the ontology.

>>> NODE_CLASS[NodeLabel.PAPER]
rdflib.term.URIRef('https://w3id.org/kg/ontology#Paper')
>>> REL_PREDICATE[RelType.EVALUATES_ON]
rdflib.term.URIRef('https://w3id.org/kg/ontology#evaluatesOn')
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from rdflib import URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SDO, SKOS

from kg.models import DERIVED_RELS, EVIDENCE_RELS, NodeLabel, RelType
from kg.rdf.namespace import BIBO, KG


class Kind(StrEnum):
    """How a property's value is written."""

    STRING = "string"  # one xsd:string literal, left out when None
    STRINGS = "strings"  # one literal per item, unordered (read back sorted)
    LIST = "list"  # an rdf:List of strings, order kept
    URL = "url"  # one xsd:anyURI literal
    DATE = "date"  # xsd:date when a calendar date, else xsd:string
    INTEGER = "integer"
    DOUBLE = "double"
    PAPERS = "papers"  # paper ids, written as the papers' IRIs (one triple each, read back sorted)


class Prop(NamedTuple):
    field: str
    predicate: URIRef
    kind: Kind
    each: URIRef | None = None  # LIST: also one triple per item with this predicate (for simple queries)


#: The class of each node label.
NODE_CLASS: dict[NodeLabel, URIRef] = {label: KG[label.value] for label in NodeLabel}
LABEL_OF_CLASS: dict[URIRef, NodeLabel] = {iri: label for label, iri in NODE_CLASS.items()}


def _camel(rel: RelType) -> str:
    head, *rest = rel.value.lower().split("_")
    return head + "".join(word.capitalize() for word in rest)


#: The predicate of each relationship type: EVALUATES_ON -> kg:evaluatesOn.
REL_PREDICATE: dict[RelType, URIRef] = {rel: KG[_camel(rel)] for rel in RelType}
REL_OF_PREDICATE: dict[URIRef, RelType] = {iri: rel for rel, iri in REL_PREDICATE.items()}

_ID = Prop("id", DCTERMS.identifier, Kind.STRING)
_ENTITY = (_ID, Prop("name", SKOS.prefLabel, Kind.STRING), Prop("aliases", SKOS.altLabel, Kind.STRINGS))

#: Node properties per label, ``id`` first.
NODE_PROPS: dict[NodeLabel, tuple[Prop, ...]] = {
    NodeLabel.PAPER: (
        _ID,
        Prop("title", DCTERMS.title, Kind.STRING),
        Prop("abstract", DCTERMS.abstract, Kind.STRING),
        Prop("sources", KG.sourceList, Kind.LIST),
        Prop("url", SDO.url, Kind.URL),
        Prop("date", DCTERMS.date, Kind.DATE),
        Prop("arxiv_id", KG.arxivId, Kind.STRING),
        Prop("doi", BIBO.doi, Kind.STRING),
        Prop("authors", KG.authorList, Kind.LIST, each=KG.author),
    ),
    NodeLabel.METHOD: _ENTITY,
    NodeLabel.DATASET: _ENTITY,
    NodeLabel.TASK: _ENTITY,
    NodeLabel.REPOSITORY: (
        _ID,
        Prop("host", KG.host, Kind.STRING),
        Prop("owner", KG.ownerName, Kind.STRING),
        Prop("name", SDO.name, Kind.STRING),
        Prop("url", SDO.codeRepository, Kind.URL),
    ),
    NodeLabel.OWNER: (_ID, Prop("host", KG.host, Kind.STRING), Prop("name", FOAF.accountName, Kind.STRING)),
    NodeLabel.LINK: (_ID, Prop("url", SDO.url, Kind.URL), Prop("kind", KG.linkKind, Kind.STRING)),
}

#: Properties of the kg:Evidence node of a Paper -> X relationship.
EVIDENCE_PROPS: tuple[Prop, ...] = (
    Prop("sentence", PROV.value, Kind.STRING),
    Prop("start", KG.start, Kind.INTEGER),
    Prop("end", KG.end, Kind.INTEGER),
    Prop("section", KG.section, Kind.STRING),
    Prop("rule", KG.rule, Kind.STRING),
    Prop("confidence", KG.confidence, Kind.DOUBLE),
    Prop("mentions", KG.mentions, Kind.INTEGER),
)

#: Properties of the kg:Derivation node of a derived Method -> Dataset / Task relationship.
DERIVATION_PROPS: tuple[Prop, ...] = (
    Prop("papers", PROV.wasDerivedFrom, Kind.PAPERS),
    Prop("weight", KG.weight, Kind.INTEGER),
)


def rel_props(rel: RelType) -> tuple[Prop, ...]:
    """The properties a relationship of type ``rel`` carries (none for OWNED_BY)."""
    if rel in EVIDENCE_RELS:
        return EVIDENCE_PROPS
    if rel in DERIVED_RELS:
        return DERIVATION_PROPS
    return ()


def qualifier_class(rel: RelType) -> URIRef | None:
    """kg:Evidence, kg:Derivation, or None when relationships of ``rel`` have no properties."""
    if rel in EVIDENCE_RELS:
        return KG.Evidence
    if rel in DERIVED_RELS:
        return KG.Derivation
    return None


#: Prefixes written in Turtle and predefined in ``kg sparql``.
PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dcterms": str(DCTERMS._NS),
    "schema": str(SDO._NS),
    "skos": str(SKOS._NS),
    "foaf": str(FOAF._NS),
    "prov": str(PROV._NS),
    "bibo": str(BIBO._NS),
    "fabio": "http://purl.org/spar/fabio/",
    "lpwc": "https://linkedpaperswithcode.com/class/",
    "lpwcp": "https://linkedpaperswithcode.com/property/",
}
