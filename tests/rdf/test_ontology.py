"""schema/kg.ttl covers the graph model, the generated namespaces match it and are closed."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, SDO, SKOS

from kg.models import NODE_MODELS, REL_ENDPOINTS, REL_MODELS, NodeLabel, RelType
from kg.rdf import _generate
from kg.rdf.mapping import (
    DERIVATION_PROPS,
    EVIDENCE_PROPS,
    NODE_CLASS,
    NODE_PROPS,
    REL_PREDICATE,
    rel_props,
)
from kg.rdf.namespace import BIBO, KG, LPWC, LPWCP

ONTOLOGY = _generate.ONTOLOGY_FILE


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(str(ONTOLOGY), format="turtle")


def test_namespace_module_is_generated_from_the_ontology() -> None:
    assert _generate.render() == _generate.NAMESPACE_FILE.read_text(encoding="utf-8"), (
        "kg/rdf/namespace.py is out of date: run python -m kg.rdf.namespace --write")


def test_defined_namespaces_are_closed() -> None:
    assert KG.Paper == URIRef("https://w3id.org/kg/ontology#Paper")
    with pytest.raises(AttributeError):
        _ = KG.Papr
    with pytest.raises(AttributeError):
        _ = LPWC.nothing
    with pytest.raises(AttributeError):
        _ = KG["Unknown"]


def test_every_kg_term_used_by_the_code_is_defined_with_a_label_and_comment(onto: Graph) -> None:
    assert len(KG.__annotations__) > 30
    for name in KG.__annotations__:
        iri = KG[name]
        assert (iri, RDF.type, None) in onto, iri
        assert onto.value(iri, RDFS.label) is not None, iri
        assert onto.value(iri, RDFS.comment) is not None, iri


def test_a_class_per_label_and_a_property_per_relationship_type(onto: Graph) -> None:
    for label in NodeLabel:
        assert (NODE_CLASS[label], RDF.type, OWL.Class) in onto
    for rel in RelType:
        pred = REL_PREDICATE[rel]
        assert (pred, RDF.type, OWL.ObjectProperty) in onto
        source, target = REL_ENDPOINTS[rel]
        assert onto.value(pred, RDFS.domain) == NODE_CLASS[source], rel
        assert onto.value(pred, RDFS.range) == NODE_CLASS[target], rel
    assert (KG.Evidence, RDFS.subClassOf, PROV.Entity) in onto
    assert (KG.Evidence, RDFS.subClassOf, RDF.Statement) in onto


def test_every_model_field_has_one_documented_predicate(onto: Graph) -> None:
    for label, model in NODE_MODELS.items():
        fields = set(model.model_fields) - {"label"}
        mapped = [p.field for p in NODE_PROPS[label]]
        assert sorted(mapped) == sorted(fields), label
        assert len({p.predicate for p in NODE_PROPS[label]}) == len(mapped), label
    for rel, model in REL_MODELS.items():
        fields = set(model.model_fields) - {"type", "source", "target"}
        assert sorted(p.field for p in rel_props(rel)) == sorted(fields), rel
    for prop in [p for props in NODE_PROPS.values() for p in props] + list(EVIDENCE_PROPS + DERIVATION_PROPS):
        assert onto.value(prop.predicate, RDFS.comment) is not None, prop


def test_reuses_established_vocabularies_and_aligns_to_linked_papers_with_code(onto: Graph) -> None:
    assert NODE_PROPS[NodeLabel.PAPER][1].predicate == DCTERMS.title
    assert NODE_PROPS[NodeLabel.PAPER][2].predicate == DCTERMS.abstract
    assert NODE_PROPS[NodeLabel.METHOD][1].predicate == SKOS.prefLabel
    assert NODE_PROPS[NodeLabel.METHOD][2].predicate == SKOS.altLabel
    assert EVIDENCE_PROPS[0].predicate == PROV.value
    assert (KG.Paper, RDFS.subClassOf, SDO.ScholarlyArticle) in onto
    assert (KG.Repository, RDFS.subClassOf, SDO.SoftwareSourceCode) in onto
    for cls, lpwc in ((KG.Paper, LPWC.paper), (KG.Dataset, LPWC.dataset), (KG.Task, LPWC.task)):
        assert (cls, OWL.equivalentClass, lpwc) in onto
    assert (KG.Repository, RDFS.subClassOf, LPWC.repository) in onto
    assert (LPWC.method, RDFS.subClassOf, KG.Method) in onto
    assert (KG.hasCode, RDFS.seeAlso, LPWCP.hasRepository) in onto
    assert NODE_PROPS[NodeLabel.PAPER][7].predicate == BIBO.doi
