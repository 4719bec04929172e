"""Every piece of Neo4j Cypher text ``kg`` sends, generated from the closed enums.

Labels, relationship types and property names are checked against :class:`~kg.models.NodeLabel`,
:class:`~kg.models.RelType` and the pydantic models before they are written into query text (anything else
raises ``E023`` before a string is built); every value travels as a query parameter, never inside the text.

Two dialects are known: Neo4j 5 (uniqueness constraints) and FalkorDB, whose Bolt side has no constraints and
accepts only unnamed range indexes. The loader asks the server which one it is (:data:`SERVER_COMPONENTS`).

>>> print(merge_nodes(NodeLabel.OWNER))
UNWIND $rows AS row
OPTIONAL MATCH (old:Owner {id: row.id})
WITH row, old IS NULL AS created, properties(old) AS before
MERGE (n:Owner {id: row.id})
SET n += row.props
RETURN count(*) AS rows, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN NOT created AND before <> properties(n) THEN 1 ELSE 0 END) AS updated
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from kg.errors import E, QueryError
from kg.models import NODE_MODELS, REL_ENDPOINTS, REL_MODELS, NodeLabel, RelType, node_label, rel_type

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class Dialect(StrEnum):
    """The kind of Bolt server, as detected from the server itself."""

    NEO4J = "neo4j"
    FALKORDB = "falkordb"


# --------------------------------------------------------------------------- names


def _text(member: NodeLabel | RelType) -> str:
    # The enums hold plain identifiers; check anyway so a bad future member cannot inject text.
    if not _NAME.match(member.value):  # pragma: no cover - guarded by tests of the enums
        raise QueryError(E.E023.format(label=member.value, choices="identifiers"))
    return member.value


def node_property(label: NodeLabel | str, prop: str) -> str:
    """``prop`` if it is a field of ``label``'s model (the only property names written into text)."""
    model = NODE_MODELS[node_label(label)]
    if prop not in model.model_fields or prop == "label" or not _NAME.match(prop):
        raise QueryError(E.E068.format(prop=prop, owner=label, choices=", ".join(
            f for f in model.model_fields if f != "label")))
    return prop


def rel_property(rel: RelType | str, prop: str) -> str:
    """``prop`` if it is a property of ``rel``'s model."""
    model = REL_MODELS[rel_type(rel)]
    names = [f for f in model.model_fields if f not in ("type", "source", "target")]
    if prop not in names or not _NAME.match(prop):
        raise QueryError(E.E068.format(prop=prop, owner=rel, choices=", ".join(names) or "none"))
    return prop


# --------------------------------------------------------------------------- schema

#: Neo4j answers this; FalkorDB (and other servers without Neo4j's procedures) fails it.
SERVER_COMPONENTS = "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition"
#: FalkorDB: the labels and properties that already have a range index.
FALKORDB_INDEXES = "CALL db.indexes() YIELD label, properties RETURN label, properties"


def constraint_name(label: NodeLabel | str) -> str:
    """Name of the uniqueness constraint on ``label``'s key.

    >>> constraint_name(NodeLabel.PAPER)
    'kg_paper_id'
    """
    return f"kg_{_text(node_label(label)).lower()}_id"


def key_ddl(label: NodeLabel | str, dialect: Dialect) -> str:
    """The statement that makes ``label``'s ``id`` unique (Neo4j) or indexed (FalkorDB).

    >>> key_ddl("Paper", Dialect.NEO4J)
    'CREATE CONSTRAINT kg_paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE'
    >>> key_ddl("Paper", Dialect.FALKORDB)
    'CREATE INDEX FOR (n:Paper) ON (n.id)'
    """
    name = _text(node_label(label))
    if dialect is Dialect.NEO4J:
        return f"CREATE CONSTRAINT {constraint_name(label)} IF NOT EXISTS FOR (n:{name}) REQUIRE n.id IS UNIQUE"
    return f"CREATE INDEX FOR (n:{name}) ON (n.id)"


def schema_ddl(dialect: Dialect, indexed: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Key statements for every label; for FalkorDB the labels in ``indexed`` (already indexed) are left out,
    since it rejects a second index and knows no ``IF NOT EXISTS``."""
    return [key_ddl(label, dialect) for label in NodeLabel
            if dialect is Dialect.NEO4J or label.value not in indexed]


# --------------------------------------------------------------------------- writing


def merge_nodes(label: NodeLabel | str) -> str:
    """``UNWIND $rows`` batch for ``label``; each row is ``{"id": ..., "props": {...}}``.

    Returns one row: ``rows`` merged, ``created`` (no node had the id), ``updated`` (a node existed and at
    least one property value changed). A ``null`` in ``props`` removes that property.
    """
    name = _text(node_label(label))
    return "\n".join([
        "UNWIND $rows AS row",
        f"OPTIONAL MATCH (old:{name} {{id: row.id}})",
        "WITH row, old IS NULL AS created, properties(old) AS before",
        f"MERGE (n:{name} {{id: row.id}})",
        "SET n += row.props",
        "RETURN count(*) AS rows, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,",
        "       sum(CASE WHEN NOT created AND before <> properties(n) THEN 1 ELSE 0 END) AS updated",
    ])


def merge_relationships(rel: RelType | str) -> str:
    """``UNWIND $rows`` batch for ``rel``; each row is ``{"source", "target", "props"}``.

    Endpoints are matched by id with the labels of :data:`~kg.models.REL_ENDPOINTS`; a row whose endpoint is
    missing is dropped (``rows`` counts the rows that found both). Same ``created`` / ``updated`` as nodes.

    >>> print(merge_relationships(RelType.OWNED_BY))
    UNWIND $rows AS row
    MATCH (a:Repository {id: row.source})
    MATCH (b:Owner {id: row.target})
    OPTIONAL MATCH (a)-[old:OWNED_BY]->(b)
    WITH a, b, row, old IS NULL AS created, properties(old) AS before
    MERGE (a)-[r:OWNED_BY]->(b)
    SET r += row.props
    RETURN count(*) AS rows, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
           sum(CASE WHEN NOT created AND before <> properties(r) THEN 1 ELSE 0 END) AS updated
    """
    kind = rel_type(rel)
    source, target = (_text(label) for label in REL_ENDPOINTS[kind])
    name = _text(kind)
    return "\n".join([
        "UNWIND $rows AS row",
        f"MATCH (a:{source} {{id: row.source}})",
        f"MATCH (b:{target} {{id: row.target}})",
        f"OPTIONAL MATCH (a)-[old:{name}]->(b)",
        "WITH a, b, row, old IS NULL AS created, properties(old) AS before",
        f"MERGE (a)-[r:{name}]->(b)",
        "SET r += row.props",
        "RETURN count(*) AS rows, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,",
        "       sum(CASE WHEN NOT created AND before <> properties(r) THEN 1 ELSE 0 END) AS updated",
    ])


def node_properties(label: NodeLabel | str) -> str:
    """The properties of one node (``$id``), or no row: read before a row sent in parts."""
    return f"MATCH (n:{_text(node_label(label))} {{id: $id}}) RETURN properties(n) AS props"


def relationship_properties(rel: RelType | str) -> str:
    """The properties of one relationship (``$source``, ``$target``), or no row."""
    kind = rel_type(rel)
    source, target = (_text(label) for label in REL_ENDPOINTS[kind])
    return (f"MATCH (a:{source} {{id: $source}})-[r:{_text(kind)}]->(b:{target} {{id: $target}}) "
            "RETURN properties(r) AS props")


def append_node_property(label: NodeLabel | str, prop: str) -> str:
    """Append ``$part`` (text or list) to one property of one node: long values go in several messages.

    >>> append_node_property("Paper", "abstract")
    'MATCH (n:Paper {id: $id}) SET n.abstract = n.abstract + $part'
    """
    name = _text(node_label(label))
    key = node_property(label, prop)
    return f"MATCH (n:{name} {{id: $id}}) SET n.{key} = n.{key} + $part"


def append_relationship_property(rel: RelType | str, prop: str) -> str:
    """Append ``$part`` to one property of one relationship, matched by its endpoints' ids.

    >>> append_relationship_property("USES", "sentence")
    'MATCH (a:Paper {id: $source})-[r:USES]->(b:Method {id: $target}) SET r.sentence = r.sentence + $part'
    """
    kind = rel_type(rel)
    source, target = (_text(label) for label in REL_ENDPOINTS[kind])
    key = rel_property(kind, prop)
    return (f"MATCH (a:{source} {{id: $source}})-[r:{_text(kind)}]->(b:{target} {{id: $target}}) "
            f"SET r.{key} = r.{key} + $part")


def delete_label_batch(label: NodeLabel | str) -> str:
    """Delete up to ``$limit`` nodes of one kg label with their relationships (``--replace``), count them.

    >>> delete_label_batch(NodeLabel.LINK)
    'MATCH (n:Link) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted'
    """
    return f"MATCH (n:{_text(node_label(label))}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"


# --------------------------------------------------------------------------- counting


def count_nodes(label: NodeLabel | str) -> str:
    """
    >>> count_nodes("Task")
    'MATCH (n:Task) RETURN count(n) AS count'
    """
    return f"MATCH (n:{_text(node_label(label))}) RETURN count(n) AS count"


def count_relationships(rel: RelType | str) -> str:
    """Relationships of one type between kg's own endpoint labels.

    >>> count_relationships("HAS_CODE")
    'MATCH (:Paper)-[r:HAS_CODE]->(:Repository) RETURN count(r) AS count'
    """
    kind = rel_type(rel)
    source, target = (_text(label) for label in REL_ENDPOINTS[kind])
    return f"MATCH (:{source})-[r:{_text(kind)}]->(:{target}) RETURN count(r) AS count"


def all_statements() -> dict[str, Any]:
    """Every statement text the loader can send, keyed by what it does (for review and tests)."""
    texts: dict[str, Any] = {"server": SERVER_COMPONENTS, "falkordb_indexes": FALKORDB_INDEXES}
    for dialect in Dialect:
        texts[f"schema:{dialect}"] = schema_ddl(dialect)
    for label in NodeLabel:
        texts[f"merge:{label}"] = merge_nodes(label)
        texts[f"count:{label}"] = count_nodes(label)
        texts[f"delete:{label}"] = delete_label_batch(label)
    for rel in RelType:
        texts[f"merge:{rel}"] = merge_relationships(rel)
        texts[f"count:{rel}"] = count_relationships(rel)
    return texts


# --------------------------------------------------------------------------- example queries per server

#: The example queries of :mod:`kg.examples` (by name) in the form FalkorDB runs, where its Cypher lacks what
#: Neo4j 5 has: no undirected ``shortestPath`` (its ``algo.SPpaths`` walks both directions), no ``EXISTS { }``
#: or ``COUNT { }`` subqueries (a pattern predicate and a pattern comprehension say the same).
FALKORDB_EXAMPLES: dict[str, str] = {
    "shortest_path": """MATCH (a:Method {name: $source}), (b:Method {name: $target})
CALL algo.SPpaths({sourceNode: a, targetNode: b, relDirection: 'both', maxLen: 8, pathCount: 1}) YIELD path
RETURN [n IN nodes(path) | coalesce(n.name, n.title)] AS path, length(path) AS hops""",
    "tasks_with_code": """MATCH (t:Task)<-[:ADDRESSES]-(p:Paper)
WHERE (p)-[:HAS_CODE]->(:Repository)
RETURN t.name AS task, count(DISTINCT p) AS papers_with_code
ORDER BY papers_with_code DESC, task
LIMIT 10""",
    "papers_by_methods": """MATCH (p:Paper)
RETURN p.title AS paper, size([(p)-[:PROPOSES|USES]->(m:Method) | m]) AS methods
ORDER BY methods DESC, paper
LIMIT 10""",
}


def example_cypher(example: Any, dialect: Dialect) -> str:
    """The text of an example query (an object with ``name`` and ``cypher``) for a server of ``dialect``.

    >>> from kg.examples import by_name
    >>> example_cypher(by_name("shortest_path"), Dialect.FALKORDB).count("algo.SPpaths")
    1
    """
    if dialect is Dialect.FALKORDB:
        return FALKORDB_EXAMPLES.get(example.name, example.cypher)
    return example.cypher
