"""Stores and sinks: the embedded Cypher database, Neo4j, CSV for neo4j-admin import."""
