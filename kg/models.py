"""Typed models passed between the stages of ``kg``.

The node labels and relationship types are closed enums: every store, export and
schema file is generated from them, so a label or type outside these enums can
never reach query text.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class NodeLabel(StrEnum):
    """Node labels of the knowledge graph."""

    PAPER = "Paper"
    METHOD = "Method"
    DATASET = "Dataset"
    TASK = "Task"
    REPOSITORY = "Repository"
    OWNER = "Owner"
    LINK = "Link"


class RelType(StrEnum):
    """Relationship types of the knowledge graph."""

    PROPOSES = "PROPOSES"
    USES = "USES"
    INTRODUCES = "INTRODUCES"
    EVALUATES_ON = "EVALUATES_ON"
    ADDRESSES = "ADDRESSES"
    HAS_CODE = "HAS_CODE"
    OWNED_BY = "OWNED_BY"
    LINKS_TO = "LINKS_TO"
    # Derived entity-to-entity relationships; they carry the ids of supporting papers.
    EVALUATED_ON = "EVALUATED_ON"
    APPLIED_TO = "APPLIED_TO"


def node_label(value: NodeLabel | str) -> NodeLabel:
    """``value`` as a member of :class:`NodeLabel`, or ``QueryError`` (E023): the one gate before any query text.

    >>> node_label("Paper")
    <NodeLabel.PAPER: 'Paper'>
    >>> node_label("Paper) DETACH DELETE (n")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: 'Paper) DETACH DELETE (n' is not a node label or relationship type of kg. ...
    """
    from kg.errors import E, QueryError

    try:
        return NodeLabel(str(value))
    except ValueError:
        raise QueryError(E.E023.format(label=value, choices=", ".join(NodeLabel))) from None


def rel_type(value: RelType | str) -> RelType:
    """``value`` as a member of :class:`RelType`, or ``QueryError`` (E023).

    >>> rel_type("USES")
    <RelType.USES: 'USES'>
    """
    from kg.errors import E, QueryError

    try:
        return RelType(str(value))
    except ValueError:
        raise QueryError(E.E023.format(label=value, choices=", ".join(RelType))) from None


#: (from label, to label) of every relationship type.
REL_ENDPOINTS: dict[RelType, tuple[NodeLabel, NodeLabel]] = {
    RelType.PROPOSES: (NodeLabel.PAPER, NodeLabel.METHOD),
    RelType.USES: (NodeLabel.PAPER, NodeLabel.METHOD),
    RelType.INTRODUCES: (NodeLabel.PAPER, NodeLabel.DATASET),
    RelType.EVALUATES_ON: (NodeLabel.PAPER, NodeLabel.DATASET),
    RelType.ADDRESSES: (NodeLabel.PAPER, NodeLabel.TASK),
    RelType.HAS_CODE: (NodeLabel.PAPER, NodeLabel.REPOSITORY),
    RelType.OWNED_BY: (NodeLabel.REPOSITORY, NodeLabel.OWNER),
    RelType.LINKS_TO: (NodeLabel.PAPER, NodeLabel.LINK),
    RelType.EVALUATED_ON: (NodeLabel.METHOD, NodeLabel.DATASET),
    RelType.APPLIED_TO: (NodeLabel.METHOD, NodeLabel.TASK),
}

#: Paper -> entity relationships that carry evidence.
EVIDENCE_RELS: frozenset[RelType] = frozenset(
    {RelType.PROPOSES, RelType.USES, RelType.INTRODUCES, RelType.EVALUATES_ON, RelType.ADDRESSES,
     RelType.HAS_CODE, RelType.LINKS_TO}
)
#: Entity -> entity relationships derived from co-occurrence in papers.
DERIVED_RELS: frozenset[RelType] = frozenset({RelType.EVALUATED_ON, RelType.APPLIED_TO})


class MethodRole(StrEnum):
    PROPOSED = "proposed"
    USED = "used"


class DatasetRole(StrEnum):
    INTRODUCED = "introduced"
    USED = "used"


class EntityType(StrEnum):
    """Kinds of named entity the extractor finds in text."""

    METHOD = "method"
    DATASET = "dataset"
    TASK = "task"


ENTITY_LABEL: dict[EntityType, NodeLabel] = {
    EntityType.METHOD: NodeLabel.METHOD,
    EntityType.DATASET: NodeLabel.DATASET,
    EntityType.TASK: NodeLabel.TASK,
}

#: Relationship type for (entity type, role).
ROLE_REL: dict[tuple[EntityType, str | None], RelType] = {
    (EntityType.METHOD, MethodRole.PROPOSED.value): RelType.PROPOSES,
    (EntityType.METHOD, MethodRole.USED.value): RelType.USES,
    (EntityType.DATASET, DatasetRole.INTRODUCED.value): RelType.INTRODUCES,
    (EntityType.DATASET, DatasetRole.USED.value): RelType.EVALUATES_ON,
    (EntityType.TASK, None): RelType.ADDRESSES,
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- records


class PaperRecord(_Frozen):
    """One paper as read from an input. ``key`` identifies the paper across inputs."""

    id: str = Field(description="The input's own id, or one made from file and line.")
    title: str
    abstract: str
    url: str | None = None
    date: str | None = Field(default=None, description="ISO 8601 date as a string.")
    authors: tuple[str, ...] = ()
    arxiv_id: str | None = None
    doi: str | None = None
    categories: tuple[str, ...] = ()
    source: str = Field(default="", description="Where the record was read: 'file:line'.")


class Evidence(_Frozen):
    """Where and why a mention was found."""

    section: Literal["title", "abstract"] = "abstract"
    sentence: str
    start: int = Field(description="Character offset in the section (title or abstract).")
    end: int
    rule: str = Field(description="The component and rule that fired, e.g. 'kg_naming:propose'.")
    confidence: float = Field(ge=0.0, le=1.0)


class EntityMention(_Frozen):
    """One entity of one paper, with every surface form and the evidence found for it."""

    name: str
    aliases: tuple[str, ...] = ()
    role: str | None = None
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    evidence: tuple[Evidence, ...] = ()


class PaperExtraction(_Frozen):
    """What the extractor found in one paper: the record format of ``kg extract``."""

    id: str
    title: str
    methods: tuple[EntityMention, ...] = ()
    datasets: tuple[EntityMention, ...] = ()
    tasks: tuple[EntityMention, ...] = ()
    repositories: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    # evidence for repositories and urls, keyed by the normalised key / url
    link_evidence: dict[str, Evidence] = Field(default_factory=dict)

    def entities(self, kind: EntityType) -> tuple[EntityMention, ...]:
        return {EntityType.METHOD: self.methods, EntityType.DATASET: self.datasets,
                EntityType.TASK: self.tasks}[kind]


# --------------------------------------------------------------------------- nodes


class Node(_Frozen):
    id: str


class PaperNode(Node):
    label: Literal[NodeLabel.PAPER] = NodeLabel.PAPER
    title: str
    abstract: str
    sources: tuple[str, ...] = ()
    url: str | None = None
    date: str | None = None
    arxiv_id: str | None = None
    doi: str | None = None
    authors: tuple[str, ...] = ()


class _EntityNode(Node):
    name: str
    aliases: tuple[str, ...] = ()


class MethodNode(_EntityNode):
    label: Literal[NodeLabel.METHOD] = NodeLabel.METHOD


class DatasetNode(_EntityNode):
    label: Literal[NodeLabel.DATASET] = NodeLabel.DATASET


class TaskNode(_EntityNode):
    label: Literal[NodeLabel.TASK] = NodeLabel.TASK


class RepositoryNode(Node):
    label: Literal[NodeLabel.REPOSITORY] = NodeLabel.REPOSITORY
    host: str
    owner: str
    name: str
    url: str


class OwnerNode(Node):
    label: Literal[NodeLabel.OWNER] = NodeLabel.OWNER
    host: str
    name: str


class LinkNode(Node):
    label: Literal[NodeLabel.LINK] = NodeLabel.LINK
    url: str
    kind: str


NODE_MODELS: dict[NodeLabel, type[Node]] = {
    NodeLabel.PAPER: PaperNode,
    NodeLabel.METHOD: MethodNode,
    NodeLabel.DATASET: DatasetNode,
    NodeLabel.TASK: TaskNode,
    NodeLabel.REPOSITORY: RepositoryNode,
    NodeLabel.OWNER: OwnerNode,
    NodeLabel.LINK: LinkNode,
}


# --------------------------------------------------------------------------- relationships


class Relationship(_Frozen):
    type: RelType
    source: str
    target: str


class EvidenceRel(Relationship):
    """Paper -> entity, repository or link, with the evidence of its first mention."""

    sentence: str
    start: int
    end: int
    rule: str
    confidence: float
    section: Literal["title", "abstract"] = "abstract"
    mentions: int = 1


class OwnedByRel(Relationship):
    pass


class DerivedRel(Relationship):
    """Entity -> entity, supported by the listed papers."""

    papers: tuple[str, ...]
    weight: int


REL_MODELS: dict[RelType, type[Relationship]] = {
    **{t: EvidenceRel for t in EVIDENCE_RELS},
    RelType.OWNED_BY: OwnedByRel,
    **{t: DerivedRel for t in DERIVED_RELS},
}
