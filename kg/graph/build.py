"""Build the typed graph from records and their extractions.

Node key = node id; edge key = relationship type. Paper -> entity edges carry the evidence of the
first mention; derived entity -> entity edges carry the ids of the papers that support them.
Memory grows with papers and entities, not with the text read.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator

import networkx as nx

from kg.ids import entity_node_id, paper_keys, paper_node_id, repository_node_id
from kg.links import link_kind, parse_repo
from kg.models import (
    ENTITY_LABEL,
    ROLE_REL,
    EntityMention,
    EntityType,
    Evidence,
    NodeLabel,
    PaperExtraction,
    PaperRecord,
    RelType,
)

_ENTITY_RELS = {RelType.PROPOSES, RelType.USES, RelType.INTRODUCES, RelType.EVALUATES_ON, RelType.ADDRESSES}


class PaperIndex:
    """Union of papers by any shared key (arXiv id, DOI, normalised title), streaming.

    ``add`` returns the group id of the record and whether the paper was new.
    """

    def __init__(self) -> None:
        self._group_of_key: dict[str, int] = {}
        self._keys: dict[int, set[str]] = {}
        self._parent: dict[int, int] = {}

    def find(self, group: int) -> int:
        while self._parent[group] != group:
            self._parent[group] = self._parent[self._parent[group]]
            group = self._parent[group]
        return group

    def add(self, record: PaperRecord) -> tuple[int, bool, list[int]]:
        """Returns (group, is_new, groups merged into it)."""
        keys = paper_keys(record)
        groups = sorted({self.find(self._group_of_key[k]) for k in keys if k in self._group_of_key})
        if not groups:
            group = len(self._parent)
            self._parent[group] = group
            self._keys[group] = set()
            is_new, merged = True, []
        else:
            group, merged, is_new = groups[0], groups[1:], False
            for other in merged:
                self._parent[other] = group
                self._keys[group] |= self._keys.pop(other)
        self._keys[group].update(keys)
        for k in keys:
            self._group_of_key[k] = group
        return group, is_new, merged

    def keys(self, group: int) -> set[str]:
        return self._keys[self.find(group)]


class GraphBuilder:
    """Accumulates papers and their extractions into a MultiDiGraph.

    >>> from kg.models import PaperRecord, PaperExtraction
    >>> b = GraphBuilder()
    >>> r = PaperRecord(id="1", title="T", abstract="Code at github.com/a/b.", source="f:1")
    >>> _ = b.add_record(r)
    >>> b.add_extraction(r, PaperExtraction(id="1", title="T", repositories=("github.com/a/b",)))
    >>> G = b.finish()
    >>> sorted(d["label"] for _, d in G.nodes(data=True))
    ['Owner', 'Paper', 'Repository']
    """

    def __init__(self) -> None:
        self.G = nx.MultiDiGraph()
        self.index = PaperIndex()
        self._names: dict[str, Counter[str]] = defaultdict(Counter)
        self._record_group: dict[str, int] = {}

    # -- papers ------------------------------------------------------------------------------

    @staticmethod
    def _group_node(group: int) -> str:
        return f"_paper:{group}"

    def add_record(self, record: PaperRecord) -> bool:
        """Add a paper; returns True when it is new (its text should be extracted), False for a duplicate."""
        group, is_new, merged = self.index.add(record)
        node = self._group_node(group)
        for other in merged:
            self._merge_paper_nodes(node, self._group_node(other))
        if is_new:
            self.G.add_node(
                node, label=NodeLabel.PAPER.value, title=record.title, abstract=record.abstract,
                sources=[record.source] if record.source else [], url=record.url, date=record.date,
                arxiv_id=record.arxiv_id, doi=record.doi, authors=list(record.authors),
            )
        else:
            data = self.G.nodes[node]
            if record.source and record.source not in data["sources"]:
                data["sources"].append(record.source)
            for attr in ("url", "date", "arxiv_id", "doi"):
                if not data.get(attr) and getattr(record, attr):
                    data[attr] = getattr(record, attr)
            if not data.get("authors") and record.authors:
                data["authors"] = list(record.authors)
        self._record_group[record.id] = group
        return is_new

    def _merge_paper_nodes(self, keep: str, drop: str) -> None:
        if drop not in self.G:
            return
        kept, dropped = self.G.nodes[keep], self.G.nodes[drop]
        for src in dropped.get("sources", []):
            if src not in kept["sources"]:
                kept["sources"].append(src)
        for attr in ("url", "date", "arxiv_id", "doi"):
            if not kept.get(attr) and dropped.get(attr):
                kept[attr] = dropped[attr]
        for _, target, key, data in list(self.G.out_edges(drop, keys=True, data=True)):
            if not self.G.has_edge(keep, target, key):
                self.G.add_edge(keep, target, key=key, **data)
        self.G.remove_node(drop)

    # -- extractions ---------------------------------------------------------------------------

    def _entity(self, kind: EntityType, mention: EntityMention) -> str:
        node = entity_node_id(kind, mention.name)
        label = ENTITY_LABEL[kind].value
        if node not in self.G:
            self.G.add_node(node, label=label, name=mention.name, aliases=[])
        names = self._names[node]
        names[mention.name] += 1
        for alias in mention.aliases:
            names[alias] += 0  # known surface form, not counted as the name
        return node

    @staticmethod
    def _evidence_attrs(evidence: Evidence | None, mentions: int, confidence: float) -> dict:
        if evidence is None:
            return {"sentence": "", "start": 0, "end": 0, "rule": "unknown", "confidence": confidence,
                    "section": "abstract", "mentions": mentions}
        return {"sentence": evidence.sentence, "start": evidence.start, "end": evidence.end,
                "rule": evidence.rule, "confidence": evidence.confidence, "section": evidence.section,
                "mentions": mentions}

    def add_extraction(self, record: PaperRecord, extraction: PaperExtraction) -> None:
        paper = self._group_node(self.index.find(self._record_group[record.id]))
        for kind in EntityType:
            for mention in extraction.entities(kind):
                rel = ROLE_REL.get((kind, mention.role if kind is not EntityType.TASK else None))
                if rel is None:
                    continue
                node = self._entity(kind, mention)
                if not self.G.has_edge(paper, node, rel.value):
                    ev = mention.evidence[0] if mention.evidence else None
                    self.G.add_edge(paper, node, key=rel.value,
                                    **self._evidence_attrs(ev, len(mention.evidence), mention.confidence))
        for key in extraction.repositories:
            ref = parse_repo(key)
            if ref is None:
                continue
            repo = repository_node_id(ref.key)
            if repo not in self.G:
                self.G.add_node(repo, label=NodeLabel.REPOSITORY.value, host=ref.host, owner=ref.owner,
                                name=ref.name, url=ref.url)
            owner = ref.owner_key
            if owner not in self.G:
                self.G.add_node(owner, label=NodeLabel.OWNER.value, host=ref.host, name=ref.owner)
            if not self.G.has_edge(repo, owner, RelType.OWNED_BY.value):
                self.G.add_edge(repo, owner, key=RelType.OWNED_BY.value)
            if not self.G.has_edge(paper, repo, RelType.HAS_CODE.value):
                self.G.add_edge(paper, repo, key=RelType.HAS_CODE.value,
                                **self._evidence_attrs(extraction.link_evidence.get(key), 1, 1.0))
        for url in extraction.urls:
            if url not in self.G:
                self.G.add_node(url, label=NodeLabel.LINK.value, url=url, kind=link_kind(url))
            if not self.G.has_edge(paper, url, RelType.LINKS_TO.value):
                self.G.add_edge(paper, url, key=RelType.LINKS_TO.value,
                                **self._evidence_attrs(extraction.link_evidence.get(url), 1, 1.0))

    # -- finish ----------------------------------------------------------------------------------

    def _derive(self) -> None:
        """Method -> Dataset (EVALUATED_ON) and Method -> Task (APPLIED_TO), supported by papers.

        A paper's own (proposed) methods are linked to its datasets and tasks; a paper that proposes
        nothing links the methods it uses.
        """
        support: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for paper, data in self.G.nodes(data=True):
            if data["label"] != NodeLabel.PAPER.value:
                continue
            out: dict[str, list[str]] = defaultdict(list)
            for _, target, key in self.G.out_edges(paper, keys=True):
                out[key].append(target)
            methods = out[RelType.PROPOSES.value] or out[RelType.USES.value]
            datasets = out[RelType.EVALUATES_ON.value] + out[RelType.INTRODUCES.value]
            tasks = out[RelType.ADDRESSES.value]
            for m in methods:
                for d in datasets:
                    support[(m, d, RelType.EVALUATED_ON.value)].add(paper)
                for t in tasks:
                    support[(m, t, RelType.APPLIED_TO.value)].add(paper)
        for (m, x, key), papers in support.items():
            self.G.add_edge(m, x, key=key, papers=sorted(papers), weight=len(papers))

    def finish(self) -> nx.MultiDiGraph:
        """Give papers their stable ids, entities their names and aliases, and add derived edges."""
        mapping = {}
        for node, data in self.G.nodes(data=True):
            if data["label"] == NodeLabel.PAPER.value:
                group = int(node.split(":", 1)[1])
                mapping[node] = paper_node_id(sorted(self.index.keys(group)))
        nx.relabel_nodes(self.G, mapping, copy=False)
        for node, data in self.G.nodes(data=True):
            data["id"] = node
            names = self._names.get(node)
            if names:
                # the most frequent name; ties go to the longest (the fullest official form)
                name = max(names, key=lambda n: (names[n], len(n), n))
                data["name"] = name
                data["aliases"] = sorted(n for n in names if n != name)
        self._derive()
        return self.G


def dedupe(records: Iterable[PaperRecord], builder: GraphBuilder) -> Iterator[PaperRecord]:
    """Register every record with ``builder`` and pass on only papers not seen before."""
    for record in records:
        if builder.add_record(record):
            yield record


def build_graph(
    records: Iterable[PaperRecord],
    extract: Callable[[Iterable[PaperRecord]], Iterable[tuple[PaperRecord, PaperExtraction]]],
    builder: GraphBuilder | None = None,
) -> nx.MultiDiGraph:
    """Stream ``records`` through deduplication and ``extract`` into a finished graph."""
    builder = builder or GraphBuilder()
    for record, extraction in extract(dedupe(records, builder)):
        builder.add_extraction(record, extraction)
    return builder.finish()
