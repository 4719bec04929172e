"""The vocabulary of kg's RDF as closed rdflib ``DefinedNamespace`` classes (an unknown term raises).

GENERATED from schema/kg.ttl by ``python -m kg.rdf.namespace --write``; do not edit by hand.
Other vocabularies come from rdflib: DCTERMS, SDO (schema.org), SKOS, FOAF, PROV, RDF, RDFS, OWL, XSD.

>>> KG.Paper
rdflib.term.URIRef('https://w3id.org/kg/ontology#Paper')
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class KG(DefinedNamespace):
    """The kg ontology: classes and properties of schema/kg.ttl."""

    _fail = True
    _NS = Namespace("https://w3id.org/kg/ontology#")

    addresses: URIRef  # addresses
    appliedTo: URIRef  # applied to
    arxivId: URIRef  # arXiv id
    author: URIRef  # author
    authorList: URIRef  # author list
    confidence: URIRef  # confidence
    Dataset: URIRef  # Dataset
    Derivation: URIRef  # Derivation
    end: URIRef  # end
    evaluatedOn: URIRef  # evaluated on
    evaluatesOn: URIRef  # evaluates on
    Evidence: URIRef  # Evidence
    hasCode: URIRef  # has code
    host: URIRef  # host
    introduces: URIRef  # introduces
    Link: URIRef  # Link
    linkKind: URIRef  # link kind
    linksTo: URIRef  # links to
    mentions: URIRef  # mentions
    Method: URIRef  # Method
    ownedBy: URIRef  # owned by
    Owner: URIRef  # Owner
    ownerName: URIRef  # owner name
    Paper: URIRef  # Paper
    proposes: URIRef  # proposes
    Repository: URIRef  # Repository
    rule: URIRef  # rule
    section: URIRef  # section
    sourceList: URIRef  # source list
    start: URIRef  # start
    Task: URIRef  # Task
    uses: URIRef  # uses
    weight: URIRef  # weight


class LPWC(DefinedNamespace):
    """Linked Papers With Code classes kg aligns to."""

    _fail = True
    _NS = Namespace("https://linkedpaperswithcode.com/class/")

    dataset: URIRef
    method: URIRef
    model: URIRef
    paper: URIRef
    repository: URIRef
    task: URIRef


class LPWCP(DefinedNamespace):
    """Linked Papers With Code properties kg aligns to."""

    _fail = True
    _NS = Namespace("https://linkedpaperswithcode.com/property/")

    creatorName: URIRef
    hasMethod: URIRef
    hasRepository: URIRef
    hasTask: URIRef
    introducedBy: URIRef
    usesDataset: URIRef


class FABIO(DefinedNamespace):
    """FaBiO terms kg uses."""

    _fail = True
    _NS = Namespace("http://purl.org/spar/fabio/")

    Article: URIRef
    hasArXivID: URIRef


class BIBO(DefinedNamespace):
    """BIBO terms kg uses."""

    _fail = True
    _NS = Namespace("http://purl.org/ontology/bibo/")

    authorList: URIRef
    doi: URIRef


__all__ = ["BIBO", "FABIO", "KG", "LPWC", "LPWCP"]


def main(argv: list[str] | None = None) -> int:
    """``python -m kg.rdf.namespace --write`` regenerates this file from schema/kg.ttl."""
    from kg.rdf._generate import main as generate

    return generate(argv)


if __name__ == "__main__":
    raise SystemExit(main())
