"""RDF for kg: the ontology's vocabulary, export (Turtle, N-Triples, JSON-LD, RDF/XML), import and SPARQL.

The ontology and the SHACL shapes are in ``schema/kg.ttl`` and ``schema/shapes.ttl``.
"""
