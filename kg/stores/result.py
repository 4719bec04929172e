"""The one result type every query back end returns (embedded database, Neo4j / Bolt servers)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class QueryResult(BaseModel):
    """Column names and rows of a Cypher (or SPARQL) result, values already plain JSON types.

    >>> r = QueryResult(columns=["name", "papers"], rows=[["ImageNet", 3]])
    >>> r.records()
    [{'name': 'ImageNet', 'papers': 3}]
    """

    model_config = ConfigDict(frozen=True)

    columns: list[str]
    rows: list[list[Any]] = Field(default_factory=list)
    backend: str = Field(default="", description="Which back end answered: 'embedded', 'neo4j', ...")

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]
