"""A typed catalogue of example SPARQL queries over kg's RDF export, each with the same question asked of the graph.

Most examples ask the same question as an example of the Cypher catalogue (:mod:`kg.examples`, same name, same
parameters) and share its answer computed from the networkx graph; two more query the qualified statements
(evidence, derivations) that only the RDF has. The README's SPARQL section is rendered from this catalogue
(``python -m kg.rdf.examples --write``), and the tests run every query on the seeds export with rdflib and with
oxigraph and compare the rows with :meth:`SparqlExample.expected`.

Two rdflib habits shape the queries: it ignores ORDER BY on variables an aggregate query does not select (so
the queries order by selected values only), and it evaluates a FILTER after joining its whole group (so a
parameter is matched in a triple pattern, where kg sparql substitutes its value).
Cypher's ``shortest_path`` has no SPARQL counterpart (SPARQL has no shortest paths).

>>> [example.name for example in EXAMPLES][:3]
['most_used_datasets', 'methods_on_dataset', 'papers_with_code_for_task']
"""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from kg import examples as cypher_examples
from kg.models import NodeLabel, RelType


@dataclass(frozen=True)
class SparqlExample:
    """One example: a question, its SPARQL, parameters, and the answer computed from the networkx graph.

    ``cypher`` names the example of the Cypher catalogue (:mod:`kg.examples`) that asks the same question; its
    ``expected`` answer is then this one's too, compared the way that catalogue compares (order, ``one_of``).
    """

    name: str
    question: str
    sparql: str
    params: dict[str, Any] = field(default_factory=dict)
    cypher: str | None = None
    own_expected: Callable[[nx.MultiDiGraph, Mapping[str, Any]], list[list[Any]]] | None = None

    def expected(self, G: nx.MultiDiGraph, params: Mapping[str, Any] | None = None) -> list[list[Any]]:
        """The answer to the question computed from the graph ``G``."""
        merged = {**self.params, **(params or {})}
        if self.cypher is not None:
            return cypher_examples.by_name(self.cypher).expected_rows(G, merged)
        assert self.own_expected is not None, self.name
        return self.own_expected(G, merged)

    def matches(self, rows: list[list[Any]], expected: list[list[Any]]) -> bool:
        """Whether ``rows`` answer the question as ``expected`` does (in order, unless the question says not)."""
        if self.cypher is not None:
            return cypher_examples.answers_match(cypher_examples.by_name(self.cypher), rows, expected)
        return [list(r) for r in rows] == [list(r) for r in expected]


def _name(G: nx.MultiDiGraph, node: str, attr: str = "name") -> str:
    return str(G.nodes[node].get(attr) or "")


def _evaluated_on_weights(G: nx.MultiDiGraph, params: Mapping[str, Any]) -> list[list[Any]]:
    rows = []
    for dataset, data in G.nodes(data=True):
        if data.get("label") == NodeLabel.DATASET.value and data.get("name") == params["dataset"]:
            for method, _, key, edge in G.in_edges(dataset, keys=True, data=True):
                if key == RelType.EVALUATED_ON.value:
                    rows.append([_name(G, method), edge["weight"]])
    return sorted(rows, key=lambda r: (-r[1], r[0]))[:20]


def _evidence_provenance(G: nx.MultiDiGraph, params: Mapping[str, Any]) -> list[list[Any]]:
    rows = []
    for paper, method, key, data in G.edges(keys=True, data=True):
        if key in (RelType.PROPOSES.value, RelType.USES.value) and _name(G, method) == params["method"]:
            rows.append([_name(G, paper, "title"), key.lower(), data["rule"], data["confidence"], data["start"],
                         data["end"]])
    return sorted(rows)


_REL_PATH = "kg:proposes|kg:uses|kg:introduces|kg:evaluatesOn|kg:addresses|kg:hasCode|kg:linksTo"

EXAMPLES: tuple[SparqlExample, ...] = (
    SparqlExample(
        "most_used_datasets", "Which datasets do most papers evaluate on?", """\
SELECT ?dataset (COUNT(DISTINCT ?paper) AS ?papers) WHERE {
  ?paper kg:evaluatesOn ?d .
  ?d skos:prefLabel ?dataset .
}
GROUP BY ?dataset
ORDER BY DESC(?papers) ?dataset
LIMIT 10""", cypher="most_used_datasets"),
    SparqlExample(
        "methods_on_dataset", "Which methods appear in papers that evaluate on a given dataset?", """\
SELECT ?method (COUNT(DISTINCT ?paper) AS ?papers) WHERE {
  ?d a kg:Dataset ; skos:prefLabel ?dataset .
  ?paper kg:evaluatesOn ?d ; kg:proposes|kg:uses ?m .
  ?m skos:prefLabel ?method .
}
GROUP BY ?method
ORDER BY DESC(?papers) ?method
LIMIT 10""", {"dataset": "ImageNet"}, cypher="methods_on_dataset"),
    SparqlExample(
        "papers_with_code_for_task", "Which papers on a task link their code, and where?", """\
SELECT ?paper ?repository WHERE {
  ?t a kg:Task ; skos:prefLabel ?task .
  ?p kg:addresses ?t ; kg:hasCode ?r ; dcterms:title ?paper .
  ?r schema:codeRepository ?repository .
}
ORDER BY ?paper ?repository""", {"task": "contrastive learning"}, cypher="papers_with_code_for_task"),
    SparqlExample(
        "methods_with_repositories", "Which methods were proposed together with a code repository?", """\
SELECT DISTINCT ?method ?repository WHERE {
  ?p kg:proposes ?m ; kg:hasCode ?r .
  ?m skos:prefLabel ?method .
  ?r schema:codeRepository ?repository .
}
ORDER BY ?method ?repository
LIMIT 25""", cypher="methods_with_repositories"),
    SparqlExample(
        "owners_by_repositories", "Which accounts own the most repositories?", """\
SELECT ?owner (COUNT(DISTINCT ?r) AS ?repositories) WHERE {
  ?r kg:ownedBy ?o .
  ?o dcterms:identifier ?owner .
}
GROUP BY ?owner
ORDER BY DESC(?repositories) ?owner
LIMIT 10""", cypher="owners_by_repositories"),
    SparqlExample(
        "two_hop_neighbours", "What is two hops from a method (through the papers that propose or use it)?", f"""\
SELECT ?label ?name (COUNT(DISTINCT ?p) AS ?papers) WHERE {{
  ?m a kg:Method ; skos:prefLabel ?method .
  {{ ?p kg:proposes ?m }} UNION {{ ?p kg:uses ?m }}
  ?p {_REL_PATH} ?x .
  FILTER (?x != ?m)
  ?x a ?class ; skos:prefLabel|schema:name|schema:url ?name .
  BIND (STRAFTER(STR(?class), "#") AS ?label)
}}
GROUP BY ?label ?name
ORDER BY DESC(?papers) ?label ?name
LIMIT 15""", {"method": "SimCLR"}, cypher="two_hop_neighbours"),
    SparqlExample(
        "methods_sharing_datasets", "Which methods are evaluated on the same datasets as a given method?", """\
SELECT ?other (COUNT(DISTINCT ?d) AS ?shared_datasets) WHERE {
  ?m a kg:Method ; skos:prefLabel ?method ; kg:evaluatedOn ?d .
  ?o kg:evaluatedOn ?d ; skos:prefLabel ?other .
  FILTER (?o != ?m)
}
GROUP BY ?other
ORDER BY DESC(?shared_datasets) ?other
LIMIT 10""", {"method": "SimCLR"}, cypher="methods_sharing_datasets"),
    SparqlExample(
        "tasks_by_papers", "Which tasks do most papers address?", """\
SELECT ?task (COUNT(DISTINCT ?paper) AS ?papers) WHERE {
  ?paper kg:addresses ?t .
  ?t skos:prefLabel ?task .
}
GROUP BY ?task
ORDER BY DESC(?papers) ?task
LIMIT 10""", cypher="tasks_by_papers"),
    SparqlExample(
        "introduced_then_used",
        "Which papers introduce a dataset, and which papers used it after (same date or later)?", """\
SELECT ?dataset ?introduced_by ?used_by WHERE {
  ?intro kg:introduces ?d ; dcterms:title ?introduced_by .
  ?user kg:evaluatesOn ?d ; dcterms:title ?used_by .
  ?d skos:prefLabel ?dataset .
  OPTIONAL { ?intro dcterms:date ?introduced }
  OPTIONAL { ?user dcterms:date ?used }
  FILTER (?user != ?intro && (!BOUND(?introduced) || !BOUND(?used) || STR(?used) >= STR(?introduced)))
}
ORDER BY ?dataset ?introduced_by ?used_by""", cypher="introduced_then_used"),
    SparqlExample(
        "tasks_with_code", "Which tasks have the most papers that link code (an existence subquery)?", """\
SELECT ?task (COUNT(DISTINCT ?p) AS ?papers_with_code) WHERE {
  ?p kg:addresses ?t .
  ?t skos:prefLabel ?task .
  FILTER EXISTS { ?p kg:hasCode ?r }
}
GROUP BY ?task
ORDER BY DESC(?papers_with_code) ?task
LIMIT 10""", cypher="tasks_with_code"),
    SparqlExample(
        "papers_by_methods", "Which papers mention the most methods (a counting subquery)?", """\
SELECT ?paper (COUNT(?m) AS ?methods) WHERE {
  ?p a kg:Paper ; dcterms:title ?paper .
  OPTIONAL { { ?p kg:proposes ?m } UNION { ?p kg:uses ?m } }
}
GROUP BY ?p ?paper
ORDER BY DESC(?methods) ?paper
LIMIT 10""", cypher="papers_by_methods"),
    SparqlExample(
        "evidence_for_method", "Which papers propose a method, and in which sentence?", """\
SELECT ?paper ?evidence WHERE {
  ?m a kg:Method ; skos:prefLabel ?method .
  ?e a kg:Evidence ; rdf:subject ?p ; rdf:predicate kg:proposes ; rdf:object ?m ; prov:value ?evidence .
  ?p dcterms:title ?paper .
}
ORDER BY ?paper ?evidence""", {"method": "SimCLR"}, cypher="evidence_for_method"),
    # RDF only: the qualified statements' properties.
    SparqlExample(
        "evaluated_on_weights",
        "In how many papers is each method evaluated on a dataset (the kg:Derivation of EVALUATED_ON)?", """\
SELECT ?method ?papers WHERE {
  ?d a kg:Dataset ; skos:prefLabel ?dataset .
  ?link a kg:Derivation ; rdf:subject ?m ; rdf:predicate kg:evaluatedOn ; rdf:object ?d ; kg:weight ?papers .
  ?m skos:prefLabel ?method .
}
ORDER BY DESC(?papers) ?method
LIMIT 20""", {"dataset": "ImageNet"}, own_expected=_evaluated_on_weights),
    SparqlExample(
        "evidence_provenance",
        "Which rule found each paper that proposes or uses a method, how sure was it, and where in the text?", """\
SELECT ?paper ?relation ?rule ?confidence ?start ?end WHERE {
  ?m a kg:Method ; skos:prefLabel ?method .
  ?e a kg:Evidence ; rdf:subject ?p ; rdf:predicate ?rel ; rdf:object ?m ;
     kg:rule ?rule ; kg:confidence ?confidence ; kg:start ?start ; kg:end ?end .
  FILTER (?rel IN (kg:proposes, kg:uses))
  ?p dcterms:title ?paper .
  BIND (LCASE(STRAFTER(STR(?rel), "#")) AS ?relation)
}
ORDER BY ?paper ?relation ?rule ?confidence ?start ?end""", {"method": "ResNet-50"},
        own_expected=_evidence_provenance),
)

BY_NAME: dict[str, SparqlExample] = {example.name: example for example in EXAMPLES}

# ------------------------------------------------------------------------------------------------ README section

README = Path(__file__).resolve().parents[2] / "README.md"
BEGIN, END = "<!-- BEGIN:rdf -->", "<!-- END:rdf -->"

_INTRO = """\
### RDF and SPARQL

```bash
kg export rdf graph --format turtle --out graph.ttl      # also nt (streamed), jsonld, xml; --base-iri IRI
kg export rdf graph --format nt --out graph.nt
kg sparql graph.nt "SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Paper }"   # --format table|json|csv
kg sparql graph.nt "$(cat query.rq)" --param dataset=ImageNet --engine oxigraph
kg import rdf graph.ttl --out graph-again                  # kg reads its own RDF back: the same graph
```

The vocabulary is `schema/kg.ttl` (OWL/RDFS: a class per node label, a property per relationship type and
node property, each with a label and comment) and the SHACL shapes `schema/shapes.ttl` validate every export.
It reuses DCTERMS (`dcterms:identifier` = the node id, `dcterms:title`, `dcterms:abstract`, `dcterms:date`),
schema.org (`kg:Paper` ⊑ `schema:ScholarlyArticle` and `fabio:Article`, `kg:Repository` ⊑
`schema:SoftwareSourceCode` with `schema:codeRepository`), SKOS (`skos:prefLabel` = name, `skos:altLabel` =
aliases), BIBO (`bibo:doi`) and PROV-O, and aligns to Linked Papers With Code: `kg:Paper`, `kg:Dataset` and
`kg:Task` are `owl:equivalentClass` to `lpwc:paper`, `lpwc:dataset`, `lpwc:task`, `kg:Repository` ⊑
`lpwc:repository`, `lpwc:method` and `lpwc:model` ⊑ `kg:Method`
(`lpwc:` = `https://linkedpaperswithcode.com/class/`).

IRIs are stable: `{base}paper/{id}`, `{base}method/{key}`, `{base}repository/{id}`, … with the id
percent-encoded (`KG_BASE_IRI`, default `https://w3id.org/kg/`). Each relationship is a direct triple
(`paper kg:proposes method`) and, where it has properties, a qualified statement: a `kg:Evidence`
(`rdf:subject`/`rdf:predicate`/`rdf:object`, `prov:value` = the sentence, `kg:start`, `kg:end`, `kg:section`,
`kg:rule`, `kg:confidence`, `kg:mentions`, `prov:wasDerivedFrom` the paper) or a `kg:Derivation` for
`EVALUATED_ON` / `APPLIED_TO` (`prov:wasDerivedFrom` each supporting paper, `kg:weight`).

`kg sparql` predefines the prefixes `kg:`, `rdf:`, `rdfs:`, `xsd:`, `owl:`, `dcterms:`, `schema:`, `skos:`,
`foaf:`, `prov:`, `bibo:`, `fabio:`, `lpwc:` and `lpwcp:`; `--param name=value` binds `?name`. It runs on
rdflib, or on pyoxigraph for files of 1 MB or more (`--engine rdflib|oxigraph|auto`, `KG_SPARQL_ENGINE`,
`KG_SPARQL_OXIGRAPH_BYTES`).

Measured with `python scripts/bench_rdf.py` on 2 cores shared with other jobs (so the rates vary between runs):
100,000 synthetic papers are 8.4 million triples, streamed to N-Triples (1.1 GB) or Turtle (430 MB) at
77,000–225,000 triples a second (37–110 s), the export adding about 2 MB to the 623 MB of the loaded graph;
through an in-memory rdflib graph (how JSON-LD and RDF/XML are written) 5,000–10,000 triples a second and about
1.4 KB of memory a triple. `kg import rdf` reads 840,000 triples (10,000 papers) back in 12.5 s. On a 21 MB
N-Triples export (2,000 papers) rdflib loads in 8–19 s and answers the examples in 80–600 ms, pyoxigraph loads
in 0.8–1.2 s and answers in 3–15 ms.

The queries below ask the questions of the Cypher examples above (same names and parameters; all but
`shortest_path`: SPARQL has no shortest paths), then two that only the RDF can answer, from the qualified
statements. The tests run each on the seeds export with rdflib and with pyoxigraph and check the rows against
the answer computed from the networkx graph (`kg.rdf.examples`). Run one with
`kg sparql graph.nt "$(cat query.rq)" --param name=value`.
"""


def readme_section() -> str:
    """The README text between the rdf markers, rendered from :data:`EXAMPLES`."""
    parts = [_INTRO]
    for example in EXAMPLES:
        params = "".join(f" --param {shlex.quote(f'{k}={v}')}" for k, v in example.params.items())
        run = f", run with `{params.strip()}`" if params else ""
        parts.append(f"\n**{example.question}** (`{example.name}`{run})\n\n"
                     f"```sparql\n{example.sparql}\n```\n")
    return "".join(parts)


def readme_region(text: str) -> str:
    """The text between the rdf markers of a README."""
    match = re.search(re.escape(BEGIN) + r"\n(.*?)" + re.escape(END), text, flags=re.S)
    if match is None:
        raise ValueError(f"README has no {BEGIN} ... {END} section")
    return match.group(1)


def write_readme(path: Path = README) -> None:
    """Replace the README's rdf section (only) with :func:`readme_section`."""
    text = path.read_text(encoding="utf-8")
    old = readme_region(text)
    path.write_text(text.replace(f"{BEGIN}\n{old}{END}", f"{BEGIN}\n{readme_section()}{END}", 1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--write" in args:
        write_readme()
        print(f"wrote the rdf section of {README}")
    else:
        sys.stdout.write(readme_section())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
