"""Generate ``kg/rdf/namespace.py`` (closed rdflib ``DefinedNamespace`` classes) from ``schema/kg.ttl``.

Run ``python -m kg.rdf._generate`` (or ``python -m kg.rdf.namespace --write``) after editing the ontology; a
test regenerates the module in memory and compares it with the file.
"""

from __future__ import annotations

import keyword
import sys
from pathlib import Path

from rdflib import RDFS, Graph, URIRef

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
ONTOLOGY_FILE = SCHEMA_DIR / "kg.ttl"
NAMESPACE_FILE = Path(__file__).resolve().parent / "namespace.py"

#: (class name, namespace IRI, what it is): the namespaces whose terms the module lists. KG gets every term the
#: ontology defines; the others get the terms of theirs that the ontology uses (rdflib has no class for them).
NAMESPACES: tuple[tuple[str, str, str], ...] = (
    ("KG", "https://w3id.org/kg/ontology#", "The kg ontology: classes and properties of schema/kg.ttl."),
    ("LPWC", "https://linkedpaperswithcode.com/class/", "Linked Papers With Code classes kg aligns to."),
    ("LPWCP", "https://linkedpaperswithcode.com/property/", "Linked Papers With Code properties kg aligns to."),
    ("FABIO", "http://purl.org/spar/fabio/", "FaBiO terms kg uses."),
    ("BIBO", "http://purl.org/ontology/bibo/", "BIBO terms kg uses."),
)

_HEADER = '''"""The vocabulary of kg's RDF as closed rdflib ``DefinedNamespace`` classes (an unknown term raises).

GENERATED from schema/kg.ttl by ``python -m kg.rdf.namespace --write``; do not edit by hand.
Other vocabularies come from rdflib: DCTERMS, SDO (schema.org), SKOS, FOAF, PROV, RDF, RDFS, OWL, XSD.

>>> KG.Paper
rdflib.term.URIRef('https://w3id.org/kg/ontology#Paper')
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef
'''

_FOOTER = '''

def main(argv: list[str] | None = None) -> int:
    """``python -m kg.rdf.namespace --write`` regenerates this file from schema/kg.ttl."""
    from kg.rdf._generate import main as generate

    return generate(argv)


if __name__ == "__main__":
    raise SystemExit(main())
'''


def _terms(graph: Graph, namespace: str) -> list[tuple[str, str]]:
    """(local name, label) of every IRI in ``graph`` under ``namespace``, sorted."""
    found: dict[str, str] = {}
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith(namespace):
                name = str(term)[len(namespace):]
                if name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("_"):
                    label = graph.value(term, RDFS.label)
                    found[name] = str(label) if label is not None else ""
    return sorted(found.items(), key=lambda item: (item[0].lower(), item[0]))


def render(ontology: str | Path = ONTOLOGY_FILE) -> str:
    """The text of ``namespace.py`` for ``ontology``."""
    graph = Graph().parse(str(ontology), format="turtle")
    parts = [_HEADER]
    for class_name, iri, doc in NAMESPACES:
        lines = ["", "", f"class {class_name}(DefinedNamespace):", f'    """{doc}"""', "",
                 "    _fail = True", f'    _NS = Namespace("{iri}")', ""]
        for name, label in _terms(graph, iri):
            lines.append(f"    {name}: URIRef" + (f"  # {label}" if label else ""))
        parts.append("\n".join(lines) + "\n")
    names = ", ".join(f'"{name}"' for name in sorted(name for name, _, _ in NAMESPACES))
    parts.append(f"\n\n__all__ = [{names}]\n")
    parts.append(_FOOTER)
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if "--write" in args:
        NAMESPACE_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {NAMESPACE_FILE}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
