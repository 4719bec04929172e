"""The extractor's public interface: :class:`Extractor` (one record in, one :class:`PaperExtraction` out)
and :func:`harmonize` (the corpus-level second pass over extraction results)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from spacy.tokens import Doc

from kg.models import DatasetRole, EntityMention, EntityType, MethodRole, PaperExtraction, PaperRecord
from kg.nlp.mentions import _default_known, to_extraction
from kg.nlp.pipeline import build_nlp
from kg.nlp.resolve import entity_key, surface_key

_TILDE = re.compile(r"~(?=[(\[\\])")

#: a mention at or above this confidence types its name for the whole corpus
CONFIDENT = 0.8


class Extractor:
    """Find methods, datasets, tasks and links in paper records.

    ``patterns`` are extra JSONL pattern files (``{"label": "METHOD"|"DATASET"|"TASK", "pattern": "..."}``);
    ``model`` is an installed spaCy pipeline to use instead of ``spacy.blank("en")``; ``write_spans`` makes the
    components also write ``doc.spans`` groups and sentence starts, for inspecting ``self.nlp``'s docs (the
    extractions are the same either way; off is faster).
    """

    def __init__(self, patterns: Sequence[Path] = (), model: str | None = None, write_spans: bool = False):
        self.patterns = tuple(Path(p) for p in patterns)
        self.model = model
        self.nlp = build_nlp(self.patterns, model, write_spans=write_spans)
        self.known = self.nlp.get_pipe("kg_gazetteer").known

    def _doc(self, record: PaperRecord) -> Doc:
        title = " ".join(record.title.split())
        abstract = record.abstract.strip()
        text = f"{title}\n\n{abstract}" if title else abstract
        if "~" in text:  # LaTeX non-breaking spaces ("learning~(SSRL)"), same length so offsets stay
            text = _TILDE.sub(" ", text)
        doc = self.nlp.make_doc(text)
        doc.user_data["kg_title_end"] = len(title)
        doc.user_data["kg_text"] = text
        return doc

    def extract(self, record: PaperRecord) -> PaperExtraction:
        doc = self.nlp(self._doc(record))
        return to_extraction(doc, record.id, record.title, self.known)

    def pipe(self, records: Iterable[PaperRecord], batch_size: int = 256,
             n_process: int = 1) -> Iterator[PaperExtraction]:
        """Stream extractions in input order; ``n_process`` > 1 annotates in worker processes."""
        pairs = ((self._doc(r), (r.id, r.title)) for r in records)
        for doc, (rid, title) in self.nlp.pipe(pairs, batch_size=batch_size, n_process=n_process, as_tuples=True):
            yield to_extraction(doc, rid, title, self.known)


# --------------------------------------------------------------------------- corpus second pass

_ROLE_MAP = {
    (EntityType.METHOD, EntityType.DATASET): {MethodRole.PROPOSED.value: DatasetRole.INTRODUCED.value,
                                              MethodRole.USED.value: DatasetRole.USED.value},
    (EntityType.DATASET, EntityType.METHOD): {DatasetRole.INTRODUCED.value: MethodRole.PROPOSED.value,
                                              DatasetRole.USED.value: MethodRole.USED.value},
}


def _forms(m: EntityMention) -> set[str]:
    return {surface_key(f) for f in (m.name, *m.aliases)} - {""}


class CorpusVotes:
    """The corpus second pass in two streaming steps, so that it holds entity votes, never the corpus.

    ``observe`` every extraction first (a name's confident types, the long forms each acronym is given), then
    ``settle`` each one: a name typed with confidence (method vs dataset) in some abstracts is typed the same in
    the others, and an acronym written alone takes the one long form the corpus gives it (an acronym with several
    long forms in the corpus is left alone). Memory grows with the distinct names, not with the papers.
    """

    def __init__(self, known: dict[str, str] | None = None) -> None:
        self.votes: dict[str, Counter] = defaultdict(Counter)
        self.long_forms: dict[tuple[EntityType, str], set[str]] = defaultdict(set)
        self.long_name: dict[tuple[EntityType, str], str] = {}
        #: papers that give an acronym its long form, per (type, acronym, long form key)
        self.long_papers: Counter = Counter()
        #: normalised names of the word lists (default: the built-in gazetteer)
        self.known = known if known is not None else _default_known()

    def observe(self, ex: PaperExtraction) -> None:
        for kind in (EntityType.METHOD, EntityType.DATASET):
            for m in ex.entities(kind):
                if m.confidence >= CONFIDENT:
                    for f in _forms(m):
                        self.votes[f][kind] += 1
                for a in m.aliases:
                    short = a.isupper() or (len(a) <= 8 and sum(c.isupper() for c in a) >= 2 and " " not in a)
                    if short and " " in m.name:
                        key = entity_key(kind, m.name)
                        self.long_forms[(kind, surface_key(a))].add(key)
                        self.long_name[(kind, key)] = m.name
                        self.long_papers[(kind, surface_key(a), key)] += 1

    def _settle_mention(self, m: EntityMention, kind: EntityType) -> tuple[EntityType, EntityMention]:
        if m.confidence < CONFIDENT:
            tally: Counter = Counter()
            for f in _forms(m):
                tally.update(self.votes.get(f, {}))
            if tally:
                best, n = tally.most_common(1)[0]
                if best != kind and n > tally.get(kind, 0):
                    role = _ROLE_MAP[(kind, best)].get(m.role or "", m.role)
                    m = m.model_copy(update={"role": role})
                    kind = best
        if not m.aliases and " " not in m.name:
            short = surface_key(m.name)
            keys = self.long_forms.get((kind, short))
            if keys and len(keys) == 1 and (short not in self.known or self.long_papers[(kind, short, next(iter(keys)))]
                                            >= 2):
                # a well-known acronym ("DINO") takes a long form only when more than one paper gives it: one
                # paper's loose expansion ("self-distillation loss (DINO)") does not rename it everywhere
                (key,) = keys
                m = m.model_copy(update={"name": self.long_name[(kind, key)], "aliases": (m.name,)})
        return kind, m

    def settle(self, ex: PaperExtraction) -> PaperExtraction:
        """``ex`` made consistent with everything observed."""
        lists: dict[EntityType, list[EntityMention]] = {EntityType.METHOD: [], EntityType.DATASET: []}
        for kind in (EntityType.METHOD, EntityType.DATASET):
            for m in ex.entities(kind):
                new_kind, new_m = self._settle_mention(m, kind)
                lists[new_kind].append(new_m)
        return ex.model_copy(update={"methods": tuple(lists[EntityType.METHOD]),
                                     "datasets": tuple(lists[EntityType.DATASET])})


def harmonize(extractions: Sequence[PaperExtraction]) -> list[PaperExtraction]:
    """Make the corpus consistent (:class:`CorpusVotes` over extractions held in memory)."""
    votes = CorpusVotes()
    for ex in extractions:
        votes.observe(ex)
    return [votes.settle(ex) for ex in extractions]
