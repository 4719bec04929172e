"""Turn the spans of an annotated ``Doc`` into one :class:`PaperExtraction`.

This is the last place spaCy objects live: everything after it sees pydantic models only.
It decides, per paper, which surface forms are one entity (same normal form, or an
acronym and its long form), the entity's type (votes from the rules that fired), its role
(proposed / introduced / used, from the sentence cues), and which task phrases are the
paper's main tasks.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from operator import attrgetter, itemgetter

from pydantic import BaseModel
from spacy.tokens import Doc

from kg.models import DatasetRole, EntityMention, Evidence, MethodRole, PaperExtraction
from kg.nlp import rules
from kg.nlp.components import doc_text, group_rows, sentences, title_end
from kg.nlp.lexicon import known_names, lexicon, load_patterns
from kg.nlp.resolve import surface_key

LEX = lexicon()

#: confidence of each rule, used for the evidence and for corpus-level harmonisation
RULE_CONFIDENCE: dict[str, float] = {
    "kg_gazetteer:known": 0.9,
    "kg_acronyms:long": 0.85,
    "kg_acronyms:short": 0.85,
    "kg_naming:propose": 0.9,
    "kg_naming:novel": 0.85,
    "kg_naming:called": 0.85,
    "kg_naming:called-other": 0.8,
    "kg_naming:our": 0.8,
    "kg_naming:title": 0.85,
    "kg_context:dataset-noun": 0.85,
    "kg_context:dataset-list": 0.8,
    "kg_context:trained-on": 0.65,
    "kg_context:method-noun": 0.7,
    "kg_context:method-list": 0.75,
    "kg_shapes:shape": 0.5,
    "kg_tasks:title": 0.75,
    "kg_tasks:title-means": 0.5,
    "kg_tasks:cue": 0.6,
    "kg_tasks:head": 0.4,
    "kg_tasks:list": 0.7,
    "kg_naming:propose-desc": 0.7,
    "kg_naming:own-sentence": 0.7,
    "kg_naming:title-name": 0.75,
    "kg_links:repo-name": 0.6,
}
#: rules that say the paper names its own method or dataset, even one the word lists know
STRONG_OWN = frozenset({"kg_naming:propose", "kg_naming:novel", "kg_naming:called", "kg_naming:title"})
#: rules that say so only for names the word lists do not know
OWN_RULES = STRONG_OWN | {"kg_naming:our", "kg_naming:propose-desc", "kg_naming:own-sentence", "kg_naming:title-name"}
MAX_TASKS = 4
#: the score a paper's best task phrase needs when no phrase reaches the usual bar of 2
TASK_FALLBACK = 1.0
MAX_EVIDENCE = 3
#: what each further wording of a task adds to its score
TASK_REPEAT = 0.5

_PLURAL_ACR = re.compile(r"([A-Z][A-Za-z0-9-]*[A-Z0-9])s")
_LEAD_WORD = re.compile(r"([\w-]+)\s+")
_HYPHEN = re.compile(r"[-/]")
_SHORT_CAPS = re.compile(r"[A-Z]{2,4}s?")
_TASK_WORD = re.compile(r"[a-z0-9+]+")
_LEAD = re.compile(r"^(?:(?:the|a|an|our|their|its|both|all|these|this)\s+)+", re.I)
_VARIANT_TAIL = re.compile(r"(?:[-\s]?(?:\d+(?:\.\d+)*[KkMmBbx]?|v\d+(?:\.\d+)*|V\d+|XL|XXL|Large|Base|Small|Tiny|Huge|"
                           r"Mini|Pro|Plus|large|base|small|tiny)|-[A-Z][a-z]*)+$")
_COUNT = re.compile(r"\d[\d.,]*[kmb]?(?:\+)?(?:-[a-z]+)*")
# "LEArning" in "Contrastive LEArning for sentence Representation", "hallucInation" in an acronym's spelling
_STYLISED = re.compile(r"[A-Z]{2,}[a-z]{3,}|[a-z]{3,}[A-Z][a-z]{3,}")
_METHOD_WORD = re.compile(r"\b(?:method|model|framework|approach|algorithm|network|architecture|technique)s?\b")
_HEAD_TAIL = re.compile(r"\s+(?:algorithm|framework|method|approach|technique|strategy|scheme|procedure|model|system|"
                        r"pipeline|paradigm|architecture|network)s?$", re.I)


@dataclass(slots=True)
class _M:
    start: int
    end: int
    text: str
    label: str
    rule: str
    pair: str = ""
    #: the cue of the mention's sentence: "TITLE" in the title, else the cue ("PROPOSE", "INTRODUCE" or None) of
    #: the sentence starting last at or before the mention; set once the mention joins an entity
    role: str | None = None


class _Entity:
    __slots__ = ("known", "long_forms", "mentions", "own_long", "short_forms", "votes")

    def __init__(self):
        self.mentions: list[_M] = []
        self.votes: dict[str, float] = {}
        self.known = False
        self.long_forms: list[str] = []
        self.short_forms: list[str] = []
        #: a long form is defined in a title, propose or introduce sentence (the paper's own name)
        self.own_long = False

    def vote(self, kind: str, weight: float) -> None:
        self.votes[kind] = self.votes.get(kind, 0) + weight


@lru_cache(maxsize=65536)
def _form_key(text: str) -> str:
    text = _LEAD.sub("", text.strip())
    m = _PLURAL_ACR.fullmatch(text)
    if m:
        text = m.group(1)
    return surface_key(text)


#: what :func:`_task_m` strips from a task's start, with the white space
_TASK_LEAD = "-–—:;,"


def _task_m(text: str, sc: int, ec: int, rule: str) -> _M:
    while sc < ec and (text[sc].isspace() or text[sc] in _TASK_LEAD):
        sc += 1  # "S^3 -- Semantic Signal Separation": the dash is no part of the task
    return _M(sc, ec, text[sc:ec], "TASK", rule)


def _clean(m: _M) -> _M | None:
    """Strip leading articles and adjectives of language or scale ("the", "Spanish", "large") from a name."""
    return _clean_span(m.text, m.start, m.label, m.rule, m.pair)


def _clean_span(raw: str, start: int, label: str, rule: str, pair: str = "") -> _M | None:
    """:func:`_clean` on a candidate's surface form ``raw`` found at ``start`` (no :class:`_M` made for the
    uncleaned candidate)."""
    cleaned = _clean_text(raw)
    if cleaned is None:
        return None
    start += cleaned[0]
    return _M(start, start + len(cleaned[1]), cleaned[1], label, rule, pair)


_ARTICLES = frozenset(("the", "a", "an"))


@lru_cache(maxsize=65536)
def _clean_text(raw: str) -> tuple[int, str] | None:
    """:func:`_clean` on a surface form (cached: the same names recur across papers): the offset of the
    cleaned name in ``raw`` and the name, or None when nothing is left."""
    text = raw.lstrip(" \t\n-–—:;,")  # "-- Semantic Signal Separation": a dash before the name is no part
    start = len(raw) - len(text)
    while True:
        lead = _LEAD_WORD.match(text)
        if not lead:
            break
        word = lead.group(1).lower()
        if word not in _ARTICLES:
            rest = text[lead.end():].split(None, 1)  # the next word (if any) is all that is asked of the rest
            if not ((word in LEX.language_words and rest and rules.is_shaped(rest[0]))
                    or (rest and _COUNT.fullmatch(word))):  # "an 8k-example RL dataset": a count, not the name
                break
        start += lead.end()
        text = text[lead.end():]
    cut = rules.sentence_cut(text)
    if cut > 0:
        text = text[:cut]  # "1-SHUI. Moreover", "LLMs.Our": the name ends with its sentence
    cut = rules.bracket_cut(text)
    if cut >= 0:
        text = text[:cut]  # "FST-D) and widely": the name ends where its brackets stop balancing
    text = text.rstrip(" ,.;:'\"’”")
    if not text or not (text[0].isalnum() or any(ch.isalnum() for ch in text)):
        return None
    return start, text


class _UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra

    def roots(self) -> dict[str, str]:
        """The root of every element joined so far (an element never joined is its own root)."""
        return {x: self.find(x) for x in list(self.parent)}


def _initials(text: str) -> str:
    return "".join(p[0] for w in text.split() for p in _HYPHEN.split(w) if p and p[0].isalpha()).lower()


def _link_initials(uf: _UnionFind, mentions: list[_M]) -> None:
    """Join an acronym written without its definition ("ViTs") to a multi-word name in the same text whose
    capitalised initials spell it ("Vision Transformers")."""
    multi = {}
    for m in mentions:
        initials = _name_initials(m.text)
        if initials is not None:
            multi.setdefault(initials, _form_key(m.text))
    if not multi:
        return
    for m in mentions:
        caps = _acronym_caps(m.text)
        target = multi.get(caps) if caps is not None else None
        if target:
            uf.union(target, _form_key(m.text))


@lru_cache(maxsize=65536)
def _name_initials(text: str) -> str | None:
    """The initials of a multi-word name written with capitals ("Vision Transformers" -> "vt"), else None."""
    words = text.split()
    return _initials(text) if len(words) >= 2 and all(w[:1].isupper() for w in words) else None


@lru_cache(maxsize=65536)
def _acronym_caps(text: str) -> str | None:
    """The capitals of a short acronym-like form, lowercased ("ViTs" -> "vt"), else None."""
    t = text[:-1] if text.endswith("s") and text[-2:-1].isupper() else text
    if " " in t or not (2 <= len(t) <= 8) or sum(map(str.isupper, t)) < 2:
        return None
    return "".join(c for c in t if c.isupper()).lower()


def _sentence_of(sents: list[tuple[int, int]], pos: int, starts: list[int] | None = None) -> tuple[int, int]:
    """The sentence holding ``pos`` (else the next one, or the last); ``starts`` are the sentences' starts."""
    if not sents:
        return 0, 0
    i = bisect_right(starts if starts is not None else [s for s, _e in sents], pos) - 1
    if i >= 0 and pos < sents[i][1]:
        return sents[i]
    return sents[max(0, min(i + 1, len(sents) - 1))]


@lru_cache(maxsize=1)
def _default_known() -> dict[str, str]:
    return known_names(load_patterns())


@lru_cache(maxsize=65536)
def _has_shaped_word(text: str) -> bool:
    """A word of ``text`` is shaped like a proper name (:func:`rules.is_shaped`)."""
    return any(rules.is_shaped(w) for w in text.split())


@lru_cache(maxsize=65536)
def _variant_key(form: str) -> str | None:
    """The surface key of ``form`` without its version or size tail ("ImageNet-100" -> "imagenet"), or None when
    there is no such tail or too little is left."""
    base = _VARIANT_TAIL.sub("", form)
    return surface_key(base) if base != form and len(base) >= 3 else None


_object_new = object.__new__
_object_setattr = object.__setattr__


def _slot_setter(name: str):
    """The setter of the model slot ``name``: its descriptor's own (no look-up of the name on each call)."""
    desc = vars(BaseModel).get(name)
    if desc is not None and hasattr(desc, "__set__"):
        return desc.__set__
    return lambda obj, value: _object_setattr(obj, name, value)


_set_dict = _slot_setter("__dict__")
_set_fields_set = _slot_setter("__pydantic_fields_set__")
_set_extra = _slot_setter("__pydantic_extra__")
_set_private = _slot_setter("__pydantic_private__")


def _built(cls, values: dict):
    """The model ``cls(**values)`` as pydantic's validation builds it, without the validation: for values that are
    of their fields' types already (str, int, float, tuples of models, ...) and name every field. It sets what
    ``model_construct`` sets (and no more), at a third of the cost of validating."""
    obj = _object_new(cls)
    _set_dict(obj, values)
    _set_fields_set(obj, set(values))
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


def _built_as_validated() -> bool:
    """:func:`_built` makes the objects the validation makes (the same state, slot by slot), checked once for the
    installed pydantic: otherwise the models are validated."""
    ev_values = {"section": "title", "sentence": "A b.", "start": 0, "end": 1, "rule": "r", "confidence": 0.5}
    ev = _built(Evidence, dict(ev_values))
    em_values = {"name": "b", "aliases": ("c",), "role": None, "confidence": 0.9, "evidence": (ev,)}
    em = _built(EntityMention, dict(em_values))
    pe_values = {"id": "i", "title": "A b.", "methods": (em,), "datasets": (), "tasks": (em,), "repositories": ("r",),
                 "urls": (), "link_evidence": {"r": ev}}
    pairs = ((_built(Evidence, dict(ev_values)), Evidence(**ev_values)), (em, EntityMention(**em_values)),
             (_built(PaperExtraction, dict(pe_values)), PaperExtraction(**pe_values)))
    for built, valid in pairs:
        slots = {n for c in type(valid).__mro__ for n in getattr(c, "__slots__", ())}
        if type(built) is not type(valid) or built.model_dump_json() != valid.model_dump_json() or any(
                type(getattr(built, n, None)) is not type(getattr(valid, n, None))
                or getattr(built, n, None) != getattr(valid, n, None) for n in slots):
            return False
        if [type(v) for v in built.__dict__.values()] != [type(v) for v in valid.__dict__.values()] or list(
                built.__dict__) != list(valid.__dict__):
            return False
    return True


_TRUSTED_BUILD = _built_as_validated()
_EVIDENCE_FIELDS = frozenset(Evidence.model_fields)


def _evidence(section: str, sentence: str, start: int, end: int, rule: str, confidence: float) -> Evidence:
    """``Evidence(...)`` of values of the fields' types (a float confidence in [0, 1], int offsets)."""
    values = {"section": section, "sentence": sentence, "start": start, "end": end, "rule": rule,
              "confidence": confidence}
    if not _TRUSTED_BUILD:
        return Evidence(**values)
    ev = _object_new(Evidence)  # _built, written out: the most built model
    _set_dict(ev, values)
    _set_fields_set(ev, set(_EVIDENCE_FIELDS))
    _set_extra(ev, None)
    _set_private(ev, None)
    return ev


def _entity_mention(name: str, aliases: tuple[str, ...], role: str | None, confidence: float,
                    evidence: tuple[Evidence, ...]) -> EntityMention:
    """``EntityMention(...)`` of values of the fields' types (a float confidence in [0, 1], tuples)."""
    values = {"name": name, "aliases": aliases, "role": role, "confidence": confidence, "evidence": evidence}
    return _built(EntityMention, values) if _TRUSTED_BUILD else EntityMention(**values)


#: the roles' values (an enum member's ``value`` is looked up on each access)
_PROPOSED = MethodRole.PROPOSED.value
_USED = MethodRole.USED.value
_INTRODUCED = DatasetRole.INTRODUCED.value
_DATA_USED = DatasetRole.USED.value

#: the vote of each kg_context rule for its label (other kg_context rules vote 1)
_CONTEXT_WEIGHT = {"kg_context:dataset-noun": 2, "kg_context:dataset-list": 2, "kg_context:trained-on": 1,
                   "kg_context:method-list": 1.5}


def to_extraction(doc: Doc, record_id: str, title: str, known: dict[str, str] | None = None) -> PaperExtraction:
    """The paper's entities from an annotated Doc; ``known`` maps the gazetteer's normalised names to labels
    (default: the built-in gazetteer)."""
    text = doc_text(doc)
    tend = title_end(doc)
    abs_off = tend + 2 if tend else 0
    sents = sentences(doc)

    # sentence cues and used-cues from kg_roles
    sent_starts = [s[0] for s in sents]
    role_by_sent: list[str | None] = [None] * len(sents)
    for start, _end, label, _rule in group_rows(doc, "kg_roles"):
        if label in ("TITLE", "PROPOSE", "INTRODUCE"):
            i = bisect_right(sent_starts, start) - 1
            if 0 <= i < len(role_by_sent):
                role_by_sent[i] = label

    # ------------------------------------------------------------------ candidates
    cands: list[_M] = []
    # a title in capitals ("FUZZY MODELS FOR WATER DEMAND FORECASTING") makes every word look like a name: there
    # only the word lists name things
    caps_end = tend if tend and _capital_title(text[:tend]) else 0
    gazetteer_rows = group_rows(doc, "kg_gazetteer")
    for group in ("kg_gazetteer", "kg_naming", "kg_context", "kg_shapes"):
        for sc, ec, label, rule in gazetteer_rows if group == "kg_gazetteer" else group_rows(doc, group):
            if label == "TASK" or (sc < caps_end and group != "kg_gazetteer"):
                continue
            cleaned = _clean_text(text[sc:ec])  # _clean_span, written out
            if cleaned is not None:
                sc += cleaned[0]
                cands.append(_M(sc, sc + len(cleaned[1]), cleaned[1], label, rule))
    # longest name wins where name candidates overlap
    cands.sort(key=_start_longest)
    names: list[_M] = []
    for m in cands:
        if names and m.start < names[-1].end and not (m.start == names[-1].start and m.end == names[-1].end):
            last = names[-1]
            if (m.end - m.start) > (last.end - last.start):
                names[-1] = m
            continue
        names.append(m)
    acr: list[_M] = []
    clause_pairs = set()
    for sc, ec, label, rule, pair in group_rows(doc, "kg_acronyms"):
        m = _clean_span(text[sc:ec], sc, label, rule, pair)
        if m:
            acr.append(m)
            if label == "LONG" and _clause_long(m.text):
                clause_pairs.add(pair)
    if clause_pairs:  # "apply three post-hoc explainability methods (LRP, ...)": a clause is no long form
        acr = [m for m in acr if m.pair not in clause_pairs]
    short_of = {m.pair: m.text for m in acr if m.label == "SHORT"}
    longs = [(m.start, m.end) for m in acr if m.label == "LONG"]
    if longs:
        # "Environmental Mapping and Analysis Program (EnMAP)": a plain part of a long form is no name of its own
        names = [m for m in names if m.rule == "kg_gazetteer:known" or _has_shaped_word(m.text)
                 or not any(s <= m.start and m.end <= e and (s, e) != (m.start, m.end) for s, e in longs)]
    # _task_m, with its usual case (no dash or space to strip) written out
    task_spans = [_task_m(text, sc, ec, rule) if sc < ec and (text[sc].isspace() or text[sc] in _TASK_LEAD)
                  else _M(sc, ec, text[sc:ec], "TASK", rule) for sc, ec, _label, rule in group_rows(doc, "kg_tasks")]
    task_spans += [_task_m(text, sc, ec, rule) if sc < ec and (text[sc].isspace() or text[sc] in _TASK_LEAD)
                   else _M(sc, ec, text[sc:ec], "TASK", rule)
                   for sc, ec, label, rule in gazetteer_rows if label == "TASK"]

    # ------------------------------------------------------------------ group surface forms into entities
    uf = _UnionFind()
    pairs: dict[str, list[_M]] = defaultdict(list)
    for m in acr:
        pairs[m.pair].append(m)
    for members in pairs.values():
        if len(members) == 2:
            uf.union(_form_key(members[0].text), _form_key(members[1].text))
    _link_initials(uf, names + acr)
    keys = {_form_key(m.text) for m in names}
    for k in keys:
        if len(k) > 4 and k.endswith("s") and k[:-1] in keys:
            uf.union(k[:-1], k)  # "Transformers" and "Transformer" in one text
    roots = uf.roots()
    entities: dict[str, _Entity] = defaultdict(_Entity)
    for m in names + acr + task_spans:
        k = _form_key(m.text)
        if not k:
            continue
        entities[roots.get(k, k)].mentions.append(m)
        # the cue of the mention's sentence, looked up once here: the rules below ask for it many times
        if m.start < tend:
            m.role = "TITLE"
        else:
            i = bisect_right(sent_starts, m.start) - 1  # the sentence starting last at or before the mention
            m.role = role_by_sent[i] if i >= 0 else None

    # ------------------------------------------------------------------ vote on types
    title_text = text[:tend]
    # rules.title_names_dataset(title_text), looked up when first asked (few papers ask)
    title_kind: list[bool] = []

    def title_datasety() -> bool:
        if not title_kind:
            title_kind.append(rules.title_names_dataset(title_text))
        return title_kind[0]
    known_names = known if known is not None else _default_known()
    kindless = False  # a name with no kind to vote on (most papers have none)
    for ent in entities.values():
        votes = ent.votes
        for m in ent.mentions:
            r = m.rule
            if r.startswith("kg_tasks"):  # the most common rule: tested first (votes written out: no ent.vote)
                votes["TASK"] = votes.get("TASK", 0) + (2 if r == "kg_tasks:title" else 1)
            elif r == "kg_gazetteer:known":
                votes[m.label] = votes.get(m.label, 0) + 3
                if m.label != "TASK":
                    ent.known = True
            elif r.startswith("kg_acronyms"):
                if m.label == "LONG":
                    ent.long_forms.append(m.text)
                    if m.role in ("PROPOSE", "INTRODUCE", "TITLE"):
                        ent.own_long = True
                    kind = rules.head_kind(m.text)
                    if kind == "METHOD":
                        kind = _head_outside_acronym(m.text, short_of.get(m.pair, "")) or kind
                    words = m.text.split()
                    if kind == "TASK" and words[-1].lower() == "learning" and all(w[:1].isupper() for w in words) \
                            and m.role in ("PROPOSE", "TITLE"):
                        kind = "METHOD"  # "we propose Multilevel Contrastive Learning (MCL)"
                    if kind:
                        votes[kind] = votes.get(kind, 0) + 2
                else:
                    ent.short_forms.append(m.text)
            elif r.startswith("kg_context"):
                votes[m.label] = votes.get(m.label, 0) + _CONTEXT_WEIGHT.get(r, 1)
            elif r.startswith("kg_naming"):
                kind = rules.name_kind(m.text)
                if r == "kg_naming:title":
                    kind = "DATASET" if title_datasety() else "METHOD"
                elif kind is None or kind == "TASK":
                    s, e = _sentence_of(sents, m.start, sent_starts)
                    around = text[max(s, m.start - 50):m.start] + " " + text[m.end:min(e, m.end + 50)]
                    kind = "DATASET" if rules._DATASETY.search(around) and not _METHOD_WORD.search(
                        around) else "METHOD"
                weight = 2.5 if r in STRONG_OWN else 1.5
                # (kind is METHOD here only where the title names no dataset)
                if r == "kg_naming:title" and kind == "METHOD" and rules.title_names_method(title_text):
                    weight = 5  # "X: A Self-Supervised Learning Framework for ...": the title says what X is
                votes[kind] = votes.get(kind, 0) + weight
            elif r == "kg_shapes:shape":
                votes["NAME"] = votes.get("NAME", 0) + 0.4
                kind = rules.name_kind(m.text)
                if kind in ("DATASET", "METHOD"):
                    votes[kind] = votes.get(kind, 0) + 1

        if not ent.known and ("NAME" in votes or votes.get("METHOD") or votes.get("DATASET")):
            # a version or size of a known name ("ImageNet-100", "ResNet-200", "Llama-3-70B") is of its type
            for f in sorted({m.text for m in ent.mentions if m.label != "TASK"}):
                key = _variant_key(f)
                label = known_names.get(key) if key is not None else None
                if label is None and rules.is_shaped(f) and len(f) >= 4:
                    label = known_names.get(surface_key(f))  # "MultiPl-E" for "MultiPL-E": a known name, other case
                if label in ("METHOD", "DATASET"):
                    votes[label] = votes.get(label, 0) + 2.5
                    ent.known = True
                    break
        if votes.get("METHOD") or votes.get("DATASET"):
            # how the longest form ends ("...Bench", "...Net", "... Dataset") adds to a method or dataset vote
            longest = max([m.text for m in ent.mentions], key=len, default="")
            kind = rules.name_kind(longest) if longest else None
            if kind in ("METHOD", "DATASET"):
                votes[kind] = votes.get(kind, 0) + 1
        if not kindless and "NAME" in votes and "METHOD" not in votes and "DATASET" not in votes:
            kindless = True

    if kindless:  # (:func:`_coordinated_datasets` only gives kinds: with no such name neither round votes)
        # the name mentions in text order
        rows = [(m.start, m.end, ent) for ent in entities.values() for m in ent.mentions if m.label != "TASK"]
        rows.sort(key=_START_END)
        _coordinated_datasets(entities, text, rows)
        _coordinated_methods(entities, text, rows)

    methods: list[EntityMention] = []
    datasets: list[EntityMention] = []
    task_pool: list[tuple[float, _Entity]] = []
    # the spans of the evidence of methods and datasets found by a cue (not by a gazetteer or an acronym)
    taken: list[tuple[int, int]] = []

    # (section, offset of the section, stripped sentence text) by sentence and by whether the mention is in the
    # title (keyed 2 * sentence + in title): several mentions of a paper share a sentence
    sent_info: dict[int, tuple[str, int, str]] = {}
    n_sents = len(sents)

    def evidence(m: _M, confidence: float | None = None) -> Evidence:
        """The evidence of a mention; ``confidence`` defaults to its rule's."""
        start = m.start
        in_title = start < tend or not tend
        # the sentence of the mention, as _sentence_of finds it
        if n_sents:
            i = bisect_right(sent_starts, start) - 1
            if i < 0 or start >= sents[i][1]:
                i = max(0, min(i + 1, n_sents - 1))
        else:
            i = -1
        info = sent_info.get(2 * i + in_title)
        if info is None:
            s, e = sents[i] if i >= 0 else (0, 0)
            if in_title:
                section = "title" if tend else "abstract"
                info = (section, 0, text[s:min(e, tend) if tend else e].strip())
            else:
                info = ("abstract", abs_off, text[max(s, abs_off):e].strip())
            sent_info[2 * i + in_title] = info
        base = info[1]
        return _evidence(info[0], info[2] or text[start:m.end], start - base, m.end - base, m.rule,
                         RULE_CONFIDENCE.get(m.rule, 0.5) if confidence is None else confidence)

    for ent in entities.values():
        votes = ent.votes
        task_votes = votes.get("TASK", 0)
        if task_votes and task_votes >= votes.get("METHOD", 0) and task_votes >= votes.get("DATASET", 0):
            task_pool.append((0.0, ent))
            continue
        forms = {m.text for m in ent.mentions}
        own_long = ent.own_long
        blocked = any(map(_blocked_form, forms)) or (
            not own_long and any(_generic_long(f) for f in ent.long_forms)) or (
            not own_long and not ent.known and _plural_family(ent))
        if blocked and not ent.known:
            if task_votes:
                task_pool.append((0.0, ent))
            continue
        if not ent.known and any(m.label == "LONG" and rules.named_as_task(text, m.start) for m in ent.mentions):
            task_pool.append((0.0, ent))
            continue  # "a novel task we call One-Shot Face Unlearning (OSFU)": the acronym names a task
        if "METHOD" not in votes and "DATASET" not in votes:
            if "NAME" not in votes:
                continue
            # a name-shaped word with no cue: an undefined short all-caps word is more often an abbreviation
            if not ent.long_forms and all(_SHORT_CAPS.fullmatch(f) for f in forms):
                continue
            if ent.long_forms and all(" " not in f and f.islower() for f in ent.long_forms):
                continue  # "non-autoregressive (NAR)": an abbreviated adjective, not a name
            if ent.long_forms and not ent.known and all(_field_name(f) for f in ent.long_forms):
                continue  # "quantum computing (QC)", "competitive programming (CP)": a field's abbreviation
            if ent.long_forms and not ent.known and all(_term_long(f) for f in ent.long_forms) and (
                    not own_long or not any(rules.PROPOSE_VERB_RE.search(text, max(0, m.start - 50), m.start)
                                            for m in ent.mentions if m.label == "LONG")):
                continue  # "weight matrix (WM)", "Interquartile Mean (IQM)": an abbreviated term or metric
            kind = "METHOD"
        else:
            # the stronger vote, METHOD of equal ones
            kind = "METHOD" if votes.get("METHOD", -1) >= votes.get("DATASET", -1) else "DATASET"
            if kind == "DATASET" and ent.long_forms and not ent.known and not own_long and votes.get("TASK") and all(
                    rules.head_kind(f) == "TASK" for f in ent.long_forms):
                task_pool.append((0.0, ent))
                continue  # "Unsupervised Domain Generalization (UDG) benchmarks": the acronym names a task
            if kind == "DATASET" and ent.long_forms and not ent.known and not own_long and not any(
                    m.role == "INTRODUCE" for m in ent.mentions) and all(_field_long(f) for f in ent.long_forms):
                continue  # "remote sensing (RS) datasets", "Software Engineering (SE) datasets": a field
        # one mention per span, the strongest rule's; every rule that fired still counts for the role
        best_at: dict[tuple[int, int], _M] = {}
        rules_fired: set[str] = set()
        conf = 0.0  # the confidence of the strongest rule that fired
        for m in ent.mentions:
            if m.label != "TASK":
                r = m.rule
                rules_fired.add(r)
                m_conf = RULE_CONFIDENCE.get(r, 0.5)
                if m_conf > conf:
                    conf = m_conf
                span = (m.start, m.end)
                prev = best_at.get(span)
                if prev is None or m_conf > RULE_CONFIDENCE.get(prev.rule, 0.5):
                    best_at[span] = m
        if not best_at:
            continue
        mentions = sorted(best_at.values(), key=_START)
        strong = bool(rules_fired & STRONG_OWN)
        own = strong or (bool(rules_fired & OWN_RULES) and not ent.known)
        # the cues below are looked up only when the role is still open
        if kind == "METHOD":
            proposed = own or (not ent.known and (mentions[0].start < tend or bool(ent.long_forms) or any(
                m.role in ("PROPOSE", "INTRODUCE") for m in mentions)) and not _used_cued(
                text, tend, mentions, rules_fired, strong, sents, sent_starts))
            role = _PROPOSED if proposed else _USED
        else:
            # a known name with a strong own cue ("RACE: A Reading Comprehension Dataset") is the paper's own
            introduced = strong or (own and not ent.known) or (
                not ent.known and (any(m.role == "INTRODUCE" for m in mentions) or (
                    mentions[0].start < tend and title_datasety())) and not _used_cued(
                    text, tend, mentions, rules_fired, strong, sents, sent_starts))
            role = _INTRODUCED if introduced else _DATA_USED
        # names: the long form of an acronym, else the longest form; other forms are aliases
        all_forms = forms.union(ent.long_forms, ent.short_forms)
        if len(all_forms) == 1:  # one form (most names)
            f = next(iter(all_forms))
            surface = {surface_key(f): f}
        else:
            surface = {}
            for f in sorted(all_forms, key=_longest_first):
                surface.setdefault(surface_key(f), f)
        # the longest form, the first written of equally long ones (a set's order changes from run to run)
        name = ent.long_forms[0] if ent.long_forms else max([m.text for m in mentions], key=len)
        name_key = surface_key(name)
        aliases = [f for k, f in surface.items() if k != name_key]
        if kind == "METHOD" and rules_fired & OWN_RULES:
            short = _HEAD_TAIL.sub("", name)
            if short != name and surface_key(short) not in surface:
                aliases.append(short)
        if ent.known:
            conf = max(conf, 0.9)
        shown = mentions[:MAX_EVIDENCE]
        mention = _entity_mention(name, tuple(aliases), role, conf, tuple([evidence(m) for m in shown]))
        (methods if kind == "METHOD" else datasets).append(mention)
        for m in shown:
            if not m.rule.startswith(("kg_gazetteer", "kg_acronyms")):
                taken.append((m.start, m.end))

    tasks = _select_tasks(task_pool, text[:tend], evidence, taken)
    repos: list[str] = []
    urls: list[str] = []
    link_ev: dict[str, Evidence] = {}
    for sc, ec, label, key in group_rows(doc, "kg_links"):
        if key in link_ev:
            continue
        (repos if label == "REPO" else urls).append(key)
        ev = evidence(_M(sc, ec, text[sc:ec], label, "kg_links:url"), confidence=1.0)
        link_ev[key] = ev
        if label == "REPO":
            named = _repo_named_method(text, sc, ec, key, ev.sentence, (*methods, *datasets), known_names, evidence)
            if named is not None:
                methods.append(named)
    values = {"id": record_id, "title": title, "methods": tuple(methods), "datasets": tuple(datasets),
              "tasks": tuple(tasks), "repositories": tuple(repos), "urls": tuple(urls), "link_evidence": link_ev}
    if _TRUSTED_BUILD and type(record_id) is str and type(title) is str:  # the caller's values validated
        return _built(PaperExtraction, values)
    return PaperExtraction(**values)


def _used_cued(text: str, tend: int, mentions: list[_M], rules_fired: set[str], strong: bool,
               sents: list[tuple[int, int]], sent_starts: list[int]) -> bool:
    """The text says a name is someone else's: a used-cue before each of its mentions in the abstract ("such as
    X", "based on X"), a citation after one ("DenseCL (Wang et al., 2021)") or a cue naming another's work ("an
    existing method called X"); ``mentions`` are sorted by start, ``strong`` is a strong own cue among
    ``rules_fired``; data called existing before a mention in its sentence ("publicly available data sources -
    X, Y") counts as a used-cue."""
    in_abstract = [m for m in mentions if m.start >= tend]
    if in_abstract and all(
            rules.used_before(text, m.start)
            or rules.existing_data_before(text, _sentence_of(sents, m.start, sent_starts)[0], m.start)
            for m in in_abstract):
        return True
    if any(m.label == "LONG" and m.start >= tend and rules.used_before(text, m.start) for m in mentions):
        return True  # "we apply our method to the existing Prototypical Part Network (ProtoPNet)": defined as another's
    if not strong and any(rules.cited_after(text, m.end) for m in in_abstract):
        return True  # "DenseCL (Wang et al., 2021)": a cited name is someone else's
    # "an existing method called X", "the recently introduced X": someone else's
    return "kg_naming:called-other" in rules_fired and not strong


_REPO_NAME = re.compile(r"(?:[A-Z][a-z]+){0,2}[A-Z]{2,}[a-z]?|[A-Z][a-z]+(?:[A-Z][a-z]+)|[A-Z]{2,}[a-z]+[A-Z]+[a-z]*")
_OUR_WE = re.compile(r"\b(?:our|we)\b", re.I)
_OWN_CODE = re.compile(r"\b(?:our|we)\b|\bcodes?\b|\bimplementations?\b", re.I)


def _repo_named_method(text: str, sc: int, ec: int, key: str, sentence: str, found: tuple[EntityMention, ...],
                       known: dict[str, str], evidence) -> EntityMention | None:
    """The method a paper's own repository is named after, when the text names it nowhere else: "We release our
    code at github.com/openai/CLIP" names CLIP. Only a name-shaped last part counts ("CLIP", "PixPro", "LSMOL";
    not "code", "ICLR24", "Explaining_Prototypes" or "DataTypeIdentification"), and only a name the word lists
    do not give another type."""
    last = key.rstrip("/").rpartition("/")[2]
    url = text[sc:ec]
    i = url.lower().rfind("/" + last)
    if not last or i < 0:
        return None
    name = url[i + 1:i + 1 + len(last)]
    if not _REPO_NAME.fullmatch(name) or not _OWN_CODE.search(sentence):
        return None
    k = surface_key(name)
    if any(k == surface_key(f) for m in found for f in (m.name, *m.aliases)):
        return None  # named in the text already
    label = known.get(k)
    if label is not None and label != "METHOD":
        return None
    if label is None and (_blocked_form(name) or rules.name_kind(name) == "DATASET"):
        return None
    role = _USED if label == "METHOD" and not _OUR_WE.search(sentence) else _PROPOSED
    start = sc + i + 1
    ev = evidence(_M(start, start + len(name), name, "METHOD", "kg_links:repo-name"))
    return _entity_mention(name, (), role, ev.confidence, (ev,))


_COORD = re.compile(r"\s*(?:,\s*(?:(?:and|or)\s+)?|\s(?:and|or|&)\s+|/)\s*")
_LIST_AFTER = re.compile(r"\s*(?:,|\s(?:and|or)\s|&|\))")
_LIST_BEFORE = re.compile(r"(?:,|\s(?:and|or)|&|\(|\s[-–—:]|:)\s*$")
_YEAR_END = re.compile(r"[A-Za-z][-\s]?(?:19|20)\d\d$")


def _md_kind(votes: dict[str, float]) -> str | None:
    """The stronger of the METHOD and DATASET votes (the first cast of equal ones), or None without either."""
    m = votes.get("METHOD")
    d = votes.get("DATASET")
    if m is None or d is None:
        return "DATASET" if m is None and d is not None else ("METHOD" if m is not None else None)
    if m != d:
        return "METHOD" if m > d else "DATASET"
    for k in votes:  # equal votes: the first cast
        if k == "METHOD" or k == "DATASET":
            return k
    return None


def _kindless_name(votes: dict[str, float]) -> bool:
    """Votes for a name-shaped form with no METHOD or DATASET vote (:func:`_md_kind` is None)."""
    return "NAME" in votes and "METHOD" not in votes and "DATASET" not in votes


def _coordinated_datasets(entities: dict[str, _Entity], text: str, rows: list[tuple[int, int, _Entity]]) -> None:
    """A name with no cue of its own that is listed next to a dataset ("CelebA, CelebA-HQ and Quorb", "ImageNet
    and Zorbix-10") or that ends in a year ("eRisk2017", "ISLES 2024": an edition) is a dataset too.

    Two rounds; each judges the names by the kinds the votes gave at its start. ``rows`` are the name mentions
    (not the task mentions) as ``(start, end, entity)`` in text order."""
    if not any(_kindless_name(ent.votes) for ent in entities.values()):
        return  # nothing to vote on (most papers)
    named = list({id(ent): ent for _s, _e, ent in rows}.values())
    for _round in range(2):
        # the names with no kind, and the datasets, at the start of the round: only the names get votes in it
        kindless = {id(ent) for ent in named if _kindless_name(ent.votes)}
        if not kindless:
            return  # every name has a kind
        datasets = {id(ent) for ent in named if "DATASET" in ent.votes and _md_kind(ent.votes) == "DATASET"}
        if _round == 1 and not datasets:
            return  # no dataset to be listed with
        year: dict[int, bool] = {}  # a mention of the entity ends in a year
        for i in [i for i, row in enumerate(rows) if id(row[2]) in kindless]:
            ent = rows[i][2]
            if _round == 0:
                if id(ent) not in year:
                    year[id(ent)] = any(_YEAR_END.search(m.text) for m in ent.mentions)
                if year[id(ent)]:
                    ent.vote("DATASET", 1)
                    continue
            if not datasets:
                continue
            if _listed_with(text, rows, i, datasets):
                ent.vote("DATASET", 1.5)


def _listed_with(text: str, rows: list[tuple[int, int, _Entity]], i: int, others: set[int]) -> bool:
    """Is the name mention ``rows[i]`` listed next to a mention of another entity in ``others`` (entity ids),
    joined by a comma, "and", "or", "&" or "/"? ``rows`` are ``(start, end, entity)`` in text order."""
    s, e, ent = rows[i]
    for j in (i - 1, i + 1):
        if not 0 <= j < len(rows) or rows[j][2] is ent or id(rows[j][2]) not in others:
            continue
        gap = text[e:rows[j][0]] if j > i else text[rows[j][1]:s]
        if not _COORD.fullmatch(gap):
            continue
        if gap.strip() == "," and not (_LIST_AFTER.match(text, e) if j < i else _LIST_BEFORE.search(
                text, max(0, s - 8), s)):
            continue  # "On ImageNet-100, DP generates ...": a comma alone may start a clause
        return True
    return False


#: the ASCII lowercase letters, as bytes for ``bytes.translate``
_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))


def _capital_title(title: str) -> bool:
    """A title written in capitals: at least four words, and nine in ten of its letters uppercase."""
    # a quick no first: an ASCII lowercase letter is a letter that is not uppercase, and the title has at most
    # ``len(title)`` letters, so with more than a tenth of its characters ASCII lowercase it is no capital title
    raw = title.encode("utf-8", "ignore")
    if (len(raw) - len(raw.translate(None, _ASCII_LOWER))) * 10 > len(title):
        return False
    letters = [c for c in title if c.isalpha()]
    return len(title.split()) >= 4 and len(letters) >= 12 and sum(map(str.isupper, letters)) * 10 >= len(letters) * 9


@lru_cache(maxsize=65536)
def _head_outside_acronym(long: str, short: str) -> str | None:
    """The kind of what an acronym spells when its long form adds a method head the letters leave out:
    "Human-Activity Recognition models (HAR)" abbreviates the task, not the models; None otherwise."""
    stripped = _HEAD_TAIL.sub("", long)
    letters = "".join(c for c in short.rstrip("s") if c.isalpha()).lower()
    if stripped == long or not letters or _initials(stripped) != letters:
        return None
    return rules.head_kind(stripped)


def _coordinated_methods(entities: dict[str, _Entity], text: str, rows: list[tuple[int, int, _Entity]]) -> None:
    """A name-shaped word with no cue listed next to a method or another such name ("(e.g., PReasM, ZORB)", "BERT
    and Quux") is a method too, even a short all-caps one that alone would pass for an abbreviation (after
    :func:`_coordinated_datasets`, so a name listed with datasets stays a dataset); ``rows`` as there."""
    if not any(_kindless_name(ent.votes) for ent in entities.values()):
        return
    named = {id(ent): ent for _s, _e, ent in rows}.values()  # each entity once
    # the names that can take the vote: a name-shaped word with no cue ("POET", "Quux"), not known
    kindless = {id(ent) for ent in named if _kindless_name(ent.votes) and not ent.known
                and all(m.rule == "kg_shapes:shape" for m in ent.mentions)}
    # the names that give it: methods, and name-shaped words that are no bare short capitals ("PReasM")
    methods = {id(ent) for ent in named if _md_kind(ent.votes) == "METHOD" or (
        id(ent) in kindless and not all(_SHORT_CAPS.fullmatch(m.text) for m in ent.mentions))}
    if not kindless or not methods:
        return
    for i, (_s, _e, ent) in enumerate(rows):
        if id(ent) in kindless and _listed_with(text, rows, i, methods):
            ent.vote("METHOD", 1.5)


_PROCESS_END = ("ing", "tion", "sion", "ment", "ysis", "sis")
_NOT_PROCESS = frozenset("information function distribution population region condition position resolution "
                         "foundation emotion motion".split())


def _term_long(long: str) -> bool:
    """A long form that abbreviates a term, not a method: lowercase words that end in an object, not a method head
    or a process ("weight matrix", "type 2 diabetes"; but "latent semantic indexing", "support vector machines"),
    or a metric's name ("Interquartile Mean", "Number of Function Evaluations")."""
    words = long.split()
    last = words[-1].lower().rpartition("-")[2]
    if last in LEX.metric_heads:
        return True
    if any(any(c.isupper() for c in w) for w in words):
        return False
    sing = last[:-1] if last.endswith("s") and not last.endswith("ss") else last
    if rules.head_kind(long) == "METHOD" or last in LEX.method_heads or sing in LEX.method_heads:
        return False
    return not (sing.endswith(_PROCESS_END) and sing not in _NOT_PROCESS)


def _field_name(long: str) -> bool:
    """A long form naming a field ("quantum computing", "Software Engineering") or made of common words only."""
    words = long.split()
    return (long[1:].islower() and words[-1].lower().rpartition("-")[2] in LEX.field_heads) or all(
        rules.common_word(w) for w in words)


def _field_long(long: str) -> bool:
    """A long form naming a field or a plain noun phrase ("remote sensing", "Software Engineering")."""
    words = long.split()
    last = words[-1].lower().rpartition("-")[2]
    return last in LEX.field_heads or all(not any(c.isupper() for c in w) for w in words) or all(
        rules.common_word(w) for w in words)


@lru_cache(maxsize=65536)
def _blocked_form(form: str) -> bool:
    """A surface form that is no method or dataset name: a metric (also with its value: "AUROC 0.81"),
    organisation or generic word, a named concept ("Master Key Hypothesis", "Self-Attribution Bias"), or junk."""
    words = form.split()
    if len(words) > 1 and words[-1].lower() in LEX.non_method_heads:
        return True
    bare = _TRAIL_VALUE.sub("", form)
    return bool(LEX.blocked(form) or LEX.blocked(form.split("_")[0]) or (bare != form and LEX.blocked(bare))
                or rules.junk_form(form) or _generic_compound(form)
                or (len(form) > 3 and form[-1] == "s" and form[-2].isupper() and LEX.blocked(form[:-1]) == "metric"))


def _generic_compound(form: str) -> bool:
    """A hyphenated compound of generic or common words, numbers and metrics only ("Human-AI", "CPU-GPU", "8-GPU",
    "LLM--LLM"): no name. ("CNN-Transformer" holds a name and stays, and so do "Self-RAG", where a prefix makes a
    generic word a name, and "MIT-States", named after an organisation.)"""
    if " " in form or "-" not in form:
        return False
    parts = [p for p in form.split("-") if p]
    return len(parts) >= 2 and all(
        p.isdigit() or LEX.blocked(p) in _GENERIC_KINDS or rules.common_word(p) for p in parts)


#: what a compound's generic parts are blocked as: an organisation part names a dataset ("MIT-States")
_GENERIC_KINDS = frozenset({"generic", "metric"})


def _plural_family(ent: _Entity) -> bool:
    """An acronym defined in the plural ("process reward models (PRMs)", "deep research agents (DRAs)") names a
    family of models, not one named method, unless the paper names it as its own."""
    return bool(ent.long_forms and ent.short_forms) and all(
        _PLURAL_ACR.fullmatch(f) for f in ent.short_forms) and all(
        f.split()[-1].lower().rpartition("-")[2] in _FAMILY_HEADS for f in ent.long_forms)


#: plural heads of a family of systems ("reward models", "research agents"); "support vector machines",
#: "conditional random fields" and "Gaussian processes" name algorithms and stay
_FAMILY_HEADS = frozenset("models agents networks systems graphs architectures frameworks methods approaches "
                          "procedures pipelines blocks games ids tools policies controllers assistants".split())


_TRAIL_VALUE = re.compile(r"(?:\s+[\d.,%]+)+$")


@lru_cache(maxsize=65536)
def _generic_long(long: str) -> bool:
    """A long form that ends in a generic family ("video large language models") names no method."""
    low = " ".join(long.lower().split())
    words = low.split()
    return any(" ".join(words[i:]) in LEX.generic_phrases for i in range(len(words)))


@lru_cache(maxsize=65536)
def _learning_setting(text: str) -> bool:
    """An "X learning" phrase that names a problem setting ("few-shot learning", "continual learning",
    "federated learning"), a task when the text states it, unlike a technique ("contrastive learning")."""
    words = text.lower().replace("_", " ").split()
    return any(w in LEX.learning_settings for w in words[:-1])


_COUNT_WORDS = frozenset("two three four five six seven eight nine ten several".split())
#: verbs that start a clause, never a name
_CLAUSE_VERBS = frozenset("""apply applies use uses adopt adopts employ employs involve involves include includes
propose proposes introduce introduces leverage leverages exploit exploits utilize utilizes utilise utilises combine
combines integrate integrates incorporate incorporates train trains achieve achieves improve improves perform performs
provide provides require requires enable enables allow allows""".split())


@lru_cache(maxsize=65536)
def _clause_long(long: str) -> bool:
    """A "long form" that is a clause, not a name: it starts with a verb or counts things ("apply three
    post-hoc explainability methods (LRP, ...)", "uses two encoders (TE)")."""
    words = long.lower().split()
    return bool(words) and (words[0] in _CLAUSE_VERBS or any(w in _COUNT_WORDS for w in words) or (
        len(words) > 6 and long.islower()))  # "multi-step diagnostic task and annotate a clinical dataset (X)"


@lru_cache(maxsize=65536)
def _technique(text: str) -> bool:
    """A technique named as a task phrase ("contrastive learning", "data augmentation")."""
    return " ".join(text.lower().split()) in LEX.technique_tasks


@lru_cache(maxsize=65536)
def _task_words(text: str) -> frozenset[str]:
    """The words of a task name, singular ("embeddings" = "embedding")."""
    return frozenset([w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w
                      for w in _TASK_WORD.findall(text.lower())])


_MEANS_AFTER = re.compile(r"[\s-]+(?:framework|approach|method|model|algorithm|architecture|network|strategy|scheme|"
                          r"pipeline|paradigm|objective|loss)s?\b", re.I)
_OF_FOR = re.compile(r"\s+(?:of|for)\s+\S", re.I)
_FOR_TASK = re.compile(r"\s(?:for|to|in|towards)\s", re.I)
_MEANS_BEFORE = re.compile(r"\b(?:via|using|with|by|through|leveraging|based on|from)\s+(?:[\w-]+\s+){0,3}$", re.I)


def _title_means(title: str, start: int, end: int) -> bool:
    """Does the title name this phrase as the means, not the task: "A Contrastive Learning Framework for X",
    "X via Knowledge Distillation", "Using Semi-Supervised Learning to ..."?"""
    after = _MEANS_AFTER.match(title, end)
    if after and _FOR_TASK.search(title, after.end()):
        return True  # "... Framework for Single-Image Super-Resolution": the task is what follows
    phrase = title[start:end]
    if _OF_FOR.match(title, end) and _technique(phrase):
        return True  # "Contrastive Learning of Visual Representations": a technique used for what follows
    return bool(_MEANS_BEFORE.search(title, max(0, start - 40), start)) or \
        title[:start].rstrip().lower().endswith(("using", ": using"))


@lru_cache(maxsize=65536)
def _task_head(name: str) -> str:
    """The last word of a task name, singular: two phrases with other heads ("multi-step QA", "multi-step
    reasoning") are two tasks however many modifiers they share."""
    words = _TASK_WORD.findall(name.lower())
    last = words[-1] if words else ""
    return last[:-1] if len(last) > 4 and last.endswith("s") and not last.endswith("ss") else last


@lru_cache(maxsize=65536)
def _task_keys(name: str) -> tuple[frozenset[str], str, str]:
    """:func:`_task_words`, :func:`_initials_key` and :func:`_task_head` of a task name, the words read once."""
    words = [w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w
             for w in _TASK_WORD.findall(name.lower())]
    return frozenset(words), _initials_key(name), words[-1] if words else ""


@lru_cache(maxsize=65536)
def _initials_key(name: str) -> str:
    """"OOD detection" and "out-of-distribution detection" give one key: acronyms spelled out as initials."""
    return "".join([w.lower() if w.isupper() and len(w) > 1 else "".join([p[:1].lower() for p in w.split("-") if p])
                    for w in name.split()])


@lru_cache(maxsize=65536)
def _lower_task(name: str) -> str:
    """A task name in lowercase, as the field writes it ("Self-Supervised Learning" -> "self-supervised learning");
    acronyms and other name-shaped words keep their case ("RTL code generation", "3D object detection")."""
    words = []
    for w in name.split(" "):
        parts = w.split("-")
        words.append("-".join(p.lower() if (p[:1].isupper() and p[1:].islower()) or _STYLISED.fullmatch(p) else p
                              for p in parts))
    return " ".join(words)


@lru_cache(maxsize=65536)
def _task_form(text: str) -> tuple[int, bool, bool, str]:
    """What the task scoring asks of a surface form: its number of words, whether it ends in "learning" and names
    no problem setting (:func:`_learning_setting`), whether it names a technique (:func:`_technique`), and its
    surface key."""
    return (len(text.split()), text.lower().endswith("learning") and not _learning_setting(text), _technique(text),
            surface_key(text))


@lru_cache(maxsize=65536)
def _task_name_rank(form: str) -> tuple[bool, bool, bool, bool, int]:
    """The order of a task's forms as its name: a phrase of two to five words over a bare head
    ("representation"), then one that does not end in a method word ("self-supervised learning" over
    "self-supervised learning algorithm"), then the text's own lowercase wording over a Title Case one, then the
    longest."""
    n_words = len(form.split())
    return n_words <= 5, n_words > 1, not _HEAD_TAIL.search(form), form[:1].islower(), len(form)


def _overlap_test(spans: list[tuple[int, int]]):
    """A test ``overlaps(start, end)``: does the span overlap one of ``spans`` (``s < end and start < e``)?

    With the spans sorted by start, those starting before ``end`` are a prefix, and one of them overlaps the
    span exactly when the largest end in that prefix lies after ``start``."""
    spans = sorted(spans)
    starts = [s for s, _e in spans]
    max_end = list(accumulate((e for _s, e in spans), max))

    def overlaps(start: int, end: int) -> bool:
        i = bisect_left(starts, end)
        return i > 0 and max_end[i - 1] > start

    return overlaps


def _longest_first(form: str) -> tuple[int, str]:
    """The sort key of surface forms: the longest first, then in code point order."""
    return -len(form), form


def _start_longest(m: _M) -> tuple[int, int]:
    """The sort key of candidates: by start, the longest first."""
    return m.start, m.start - m.end


#: the sort key of (start, end, ...) rows
_START_END = itemgetter(0, 1)
#: the sort key of scored phrases
_SCORE = attrgetter("score")
#: the sort key of mentions: their start
_START = attrgetter("start")
#: the sort key of (in title, start, ...) rows: the abstract's first, in text order
_IN_TITLE_START = itemgetter(0, 1)


class _Phrase:
    """A scored task phrase: its entity, its name (with the name's words and initials, for finding phrases that name
    one task), and its forms by surface key (the short forms apart)."""

    __slots__ = ("ent", "forms", "head", "initials", "name", "paradigm", "score", "shorts", "words")

    def __init__(self, score: float, name: str, ent: _Entity, forms: dict[str, str], shorts: dict[str, str],
                 paradigm: float = 0.0):
        self.score = score
        #: what the score lost for naming a learning paradigm in passing (a paper with no other task keeps it)
        self.paradigm = paradigm
        self.ent = ent
        self.forms = forms
        self.shorts = shorts
        self.name = name  # rename, written out
        self.words, self.initials, self.head = _task_keys(name)

    def rename(self, name: str) -> None:
        self.name = name
        self.words, self.initials, self.head = _task_keys(name)


def _select_tasks(pool: list[tuple[float, _Entity]], title: str, evidence,
                  taken: list[tuple[int, int]]) -> list[EntityMention]:
    """Score task phrases and keep the paper's main tasks: named in the title, defined with an acronym,
    stated in the paper's own sentences ("we address X"), or repeated; a learning paradigm mentioned in
    passing ("contrastive learning", "reinforcement learning") is background, not a task.

    ``taken`` are the spans of the methods' and datasets' evidence found by a cue; each mention's ``role``
    is set; ``title`` is the paper's title (the text's first ``len(title)`` characters)."""
    tend = len(title)
    scored: list[_Phrase] = []
    if taken:
        overlaps = _overlap_test(taken)
        # a mention ending before the first taken span or starting after the last overlaps none
        first_start = min([s for s, _e in taken])
        last_end = max([e for _s, e in taken])
    # _title_means by span: several rules find one title phrase
    means: dict[tuple[int, int], bool] = {}
    for _s, ent in pool:
        score = 0.0
        n_title = n_gaz = n_acr = n_own = n_list = 0
        # a task phrase inside a method or dataset name ("Deep Contrastive Learning for ...") is part of that name
        if taken:
            ent.mentions = [m for m in ent.mentions if m.end <= first_start or m.start >= last_end
                            or m.rule.startswith("kg_acronyms") or not overlaps(m.start, m.end)]
        clause = False  # a long form of more than five words
        # every mention ends in "learning"; every mention has at most two words; every one but the short forms
        # names a technique
        learning = two_words = technique = True
        plain: list[tuple[bool, int, str, str]] = []  # the mentions but the short forms: (in title, start, key, form)
        shorts: dict[str, str] = {}
        for m in ent.mentions:
            r = m.rule
            if m.start < tend:
                span = (m.start, m.end)
                is_means = means.get(span)
                if is_means is None:
                    is_means = means[span] = _title_means(title, m.start, m.end)
                in_title = not is_means
            else:
                in_title = False
            if not in_title and n_own == 0 and m.role in ("PROPOSE", "INTRODUCE"):
                score += 1.0
                n_own += 1
            if r == "kg_tasks:head":  # the most common rule: tested first
                score += 0.5
            elif r == "kg_tasks:title" or (in_title and r == "kg_gazetteer:known"):
                score += 3 if n_title == 0 else 0
                n_title += 1
            elif r == "kg_gazetteer:known":
                score += 1.5 if n_gaz == 0 else 0.5
                n_gaz += 1
            elif r.startswith("kg_acronyms"):
                score += 1.5 if n_acr == 0 else 0
                n_acr += 1
            elif r in ("kg_tasks:cue", "kg_tasks:title-means"):
                score += 1.0
            elif r == "kg_tasks:list":
                score += 2.0 if n_list == 0 else 0.5  # "tasks such as A, B and C": named as tasks by the text
                n_list += 1
            n_words, paradigm_word, is_technique, key = _task_form(m.text)
            if n_words > 5 and m.label == "LONG":
                clause = True
            learning = learning and paradigm_word
            two_words = two_words and n_words <= 2
            if m.label == "SHORT":
                shorts[key] = m.text
            else:
                technique = technique and is_technique
                plain.append((m.start < tend, m.start, key, m.text))
        if clause:
            continue  # a long "long form" is a clause, not a task name
        paradigm = 0.0
        if n_title == 0 and n_acr == 0 and learning:
            # a learning paradigm named in passing; a bare one ("contrastive learning") is background unless
            # the title names it
            paradigm = 3.0 if two_words else 1.5
            score -= paradigm
        if technique:
            score -= 2.5  # a technique ("contrastive learning", "data augmentation") is a means, not the task
            paradigm = 0.0
        if not plain:
            continue
        if len(plain) == 1:  # one form (most phrases): it is the name
            _in_title, _start, key, name = plain[0]
            forms = {key: name}
        else:
            # the forms in the abstract first, in text order, then the title's
            plain.sort(key=_IN_TITLE_START)
            forms = {}
            for _in_title, _start, key, form in plain:
                forms.setdefault(key, form)
            name = max(forms.values(), key=_task_name_rank)
        scored.append(_Phrase(score, name, ent, forms, shorts, paradigm))
    scored.sort(key=_SCORE, reverse=True)  # stable: equal scores keep their order
    # phrases that name one task are merged into the best scored of them, which gains for each further wording
    chosen: list[_Phrase] = []
    for item in scored:
        words, initials, head = item.words, item.initials, item.head
        dup = None
        for c in chosen:
            cw = c.words
            if words <= cw or cw <= words or (head == c.head and
                                              len(words & cw) / max(1, len(words | cw)) >= 0.5) or \
                    initials == c.initials:
                dup = c
                break
        if dup is not None:
            in_title = any(m.start < tend and m.rule != "kg_tasks:title-means" for m in item.ent.mentions)
            if dup.words < words and len(item.name.split()) <= 5 and (in_title or " " not in dup.name):
                dup.rename(item.name)  # "code generation" known, "RTL Code Generation" in the title: the title's
            elif words < dup.words and _HEAD_TAIL.search(dup.name) and not _HEAD_TAIL.search(item.name):
                dup.rename(item.name)  # "self-supervised learning algorithm (SSL)": the task without the method word
            if item.score > 0:
                # one task in several wordings ("image restoration", "low-level image restoration problems")
                dup.score += TASK_REPEAT
            dup.forms.update(item.forms)
            dup.shorts.update(item.shorts)
            dup.ent.mentions.extend(item.ent.mentions)
        else:
            chosen.append(item)
    # a paper addresses at least one task: with no phrase above the bar, the best one with some support is taken
    bar = 2.0 if any(c.score >= 2.0 for c in chosen) else TASK_FALLBACK
    out: list[EntityMention] = []
    for item in chosen:
        name, ent = item.name, item.ent
        if len(out) >= MAX_TASKS:
            break
        if item.score < bar:
            continue
        if bar < 2.0 and (out or (len(name.split()) < 2 and not any(m.rule == "kg_gazetteer:known"
                                                                     for m in ent.mentions))):
            break  # the fallback: one task only, and a bare head word ("detection") is too vague for it
        name_out = _lower_task(name)
        if " " not in name_out and name_out.lower() in rules.BARE_HEADS and not any(
                m.rule == "kg_gazetteer:known" for m in ent.mentions):
            continue  # "classification", "detection": a head word alone names no task
        if " " not in name_out and name_out.islower() and not any(
                m.rule == "kg_gazetteer:known" or m.start < tend for m in ent.mentions):
            continue  # "rewriting", "hashing": one plain word the word lists do not know is too vague a task
        out.append(_task_mention(item, name_out, evidence))
    if not out:
        # a paper about a learning paradigm names no other task ("self-supervised learning" all through a
        # representation-learning abstract): the paradigm that would have passed the bar on its own is the task
        best_paradigm = max((c for c in chosen if c.paradigm and c.score + c.paradigm >= 2.0),
                            key=lambda c: c.score + c.paradigm, default=None)
        if best_paradigm is not None:
            out.append(_task_mention(best_paradigm, _lower_task(best_paradigm.name), evidence))
    return out


def _task_mention(item: _Phrase, name: str, evidence) -> EntityMention:
    """The task named ``name``: the phrase's other forms as aliases, its mentions (one per span) as evidence."""
    forms = {**item.forms, **item.shorts}
    forms.pop(surface_key(name), None)
    aliases = tuple(dict.fromkeys(forms.values()))
    mentions = sorted({(m.start, m.end): m for m in item.ent.mentions}.values(), key=_START)
    best = max([RULE_CONFIDENCE.get(m.rule, 0.5) for m in mentions], default=0.5)
    return _entity_mention(name, aliases, None, min(1.0, best), tuple([evidence(m) for m in mentions[:MAX_EVIDENCE]]))
