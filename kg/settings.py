"""One settings object holding every default once; override with ``KG_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KG_", extra="ignore")

    # extraction
    batch_size: int = Field(256, description="Texts per nlp.pipe batch.")
    n_process: int = Field(1, description="Processes for extraction.")
    # Neo4j
    neo4j_uri: str = "bolt://localhost:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("kg-password")
    neo4j_database: str | None = None
    neo4j_batch_size: int = Field(1000, description="Rows per UNWIND batch.")
    neo4j_max_batch_bytes: int = Field(1_000_000, description="Bytes of parameters per batch.")
    neo4j_connect_timeout: float = Field(5.0, description="Seconds to open a Bolt connection (TCP and handshake).")
    neo4j_connect_retries: int = Field(3, description="Tries to open the first connection before giving up.")
    neo4j_retry_seconds: float = Field(30.0, description="Longest time a write transaction is retried on "
                                                         "transient errors.")
    # RDF
    base_iri: str = Field("https://w3id.org/kg/", description="Base of the IRIs kg export rdf mints.")
    sparql_engine: str = Field("auto", description="kg sparql engine: rdflib, oxigraph, or auto (by file size).")
    sparql_oxigraph_bytes: int = Field(1_000_000, description="Under auto, files of at least this size use "
                                                             "oxigraph (rdflib parses them too slowly).")
    # analyses, report and views
    report_top: int = Field(15, description="Rows per ranking in kg analyze.")
    betweenness_k: int | None = Field(500, description="Source nodes sampled for betweenness (None: exact).")
    analysis_seed: int = Field(0, description="Seed of Louvain and of betweenness sampling.")
    viz_max_nodes: int = Field(250, description="Most nodes drawn by kg viz.")
    # embedded database (kg build, kg query, kg shell)
    embedded_buffer_pool_mb: int = Field(0, description="Buffer pool of the embedded database in MiB (0: ladybug's "
                                                        "default, most of the memory).")
    embedded_threads: int = Field(0, description="Threads of the embedded database (0: all cores).")
    shell_history: str = Field("~/.kg_history", description="History file of kg shell.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
