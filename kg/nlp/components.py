"""spaCy components of the extractor, registered as ``kg_*`` factories.

Each component reads ``doc_text(doc)`` (title, a blank line, abstract; ``doc.user_data["kg_title_end"]``
is the title's length) and writes spans to its own group in ``doc.spans``:

==================  ======================  =====================================================
factory             span group              labels / kb_id (the rule that fired)
==================  ======================  =====================================================
kg_sentences        (token.is_sent_start)   sentence boundaries, also ``doc.user_data["kg_sents"]``
kg_links            kg_links                REPO / URL; kb_id = repository key or URL
kg_gazetteer        kg_gazetteer            METHOD / DATASET / TASK; ``kg_gazetteer:known``
kg_acronyms         kg_acronyms             LONG / SHORT, pairs share ``span.id_``
kg_naming           kg_naming               NAME; ``kg_naming:propose|novel|called|our|title``
kg_context          kg_context              METHOD / DATASET; ``kg_context:dataset-noun`` ...
kg_shapes           kg_shapes               NAME; ``kg_shapes:shape`` (ResNet-50, GPT-4o, mOSCAR)
kg_tasks            kg_tasks                TASK; ``kg_tasks:title|title-means|cue|head|list``
kg_roles            kg_roles                TITLE / PROPOSE / INTRODUCE sentences (the paper's own contribution)
kg_filter           kg_filtered             spans removed from the groups above, label = why
==================  ======================  =====================================================

The rules themselves are plain functions in :mod:`kg.nlp.rules`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import IDX, LENGTH, LOWER, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from kg.links import find_links
from kg.nlp import rules
from kg.nlp.lexicon import known_names, lexicon, load_patterns, variants

CANDIDATE_GROUPS = ("kg_gazetteer", "kg_acronyms", "kg_naming", "kg_context", "kg_shapes", "kg_tasks")


def title_end(doc: Doc) -> int:
    return int(doc.user_data.get("kg_title_end", 0))


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once (spaCy joins the tokens on every access)."""
    text = doc.user_data.get("kg_text")
    if text is None:
        text = doc.text
        doc.user_data["kg_text"] = text
    return text


def sentences(doc: Doc) -> list[tuple[int, int]]:
    sents = doc.user_data.get("kg_sents")
    if sents is None:
        sents = rules.sentence_bounds(doc_text(doc), title_end(doc))
        doc.user_data["kg_sents"] = sents
    return sents


def _token_array(doc: Doc) -> numpy.ndarray:
    arr = doc.user_data.get("kg_tokens")
    if arr is None:
        arr = doc.to_array([LOWER, IDX, LENGTH])
        doc.user_data["kg_tokens"] = arr
    return arr


class WordSet:
    """A set of lowercase cue words, found in a Doc through its token array (no Python loop over tokens).

    ``name`` is the set's name in :data:`_TRIGGER_LISTS` (None for a set made elsewhere): a named set reads its
    triggers from the one scan of the doc for all the lists' words, already sorted into lists (see
    :func:`_triggers_by_list`)."""

    def __init__(self, vocab, words: Iterable[str], name: str | None = None):
        self.words = frozenset(words)
        self.name = name
        by_hash = sorted((vocab.strings.add(w), w) for w in self.words)
        self.hashes = numpy.array([h for h, _w in by_hash], dtype="uint64")
        #: the word of each hash, in the order of ``hashes``; the token's LOWER hash is the hash of its lowercased
        #: text, so this is ``text[start:end].lower()`` without slicing the text
        self.word_of = [w for _h, w in by_hash]
        #: per word (in the order of ``hashes``): the names of the trigger lists that hold it
        self.lists_of = [tuple(n for n, ws in _TRIGGER_LISTS.items() if w in ws) for _h, w in by_hash]
        #: per word: the positions in :data:`_TRIGGER_LISTS` of the lists that hold it
        names = list(_TRIGGER_LISTS)
        self.list_ids_of = [tuple(names.index(n) for n in lists) for lists in self.lists_of]
        #: a hash table of the words: ``slot[(h >> shift) & mask]`` is the index of the only word whose hash can be
        #: ``h`` (the words' hashes fall into distinct slots; a slot no word falls into points to word 0, whose
        #: hash then differs from ``h``: a hash equal to word 0's would fall into word 0's slot). None: no table
        #: (no words, or no small table found), the hashes are searched in order instead
        self.slot: numpy.ndarray | None = None
        self.shift = self.mask = numpy.uint64(0)
        n = len(by_hash)
        for bits in range(max(4, n.bit_length() + 1), 21) if n else ():
            for shift in range(0, 64 - bits + 1, 4):
                slots = (self.hashes >> numpy.uint64(shift)) & numpy.uint64((1 << bits) - 1)
                if len(numpy.unique(slots)) == n:
                    self.slot = numpy.zeros(1 << bits, dtype="intp")
                    self.slot[slots.astype("intp")] = numpy.arange(n)
                    self.shift, self.mask = numpy.uint64(shift), numpy.uint64((1 << bits) - 1)
                    break
            if self.slot is not None:
                break

    def _rows(self, doc: Doc) -> tuple[list[int], list[int]]:
        """Start character and index into ``hashes`` of every token of ``doc`` that is one of the words.

        (The token's length is its word's: a token's LOWER is ``str.lower`` of its text, and the only character
        that ``str.lower`` turns into more than one, U+0130, turns into a non-ASCII pair; the words are ASCII.)"""
        arr = doc.user_data.get("kg_tokens")  # (LOWER, IDX, LENGTH) when made already, else LOWER and IDX only
        if arr is None:
            arr = doc.to_array([LOWER, IDX])
        col = arr[:, 0]
        if self.slot is not None:
            pos = self.slot[(col >> self.shift) & self.mask if self.shift else col & self.mask]
        else:
            pos = numpy.searchsorted(self.hashes, col)
            pos[pos == len(self.hashes)] = 0
        rows = (self.hashes[pos] == col).nonzero()[0]
        return arr[rows, 1].tolist(), pos[rows].tolist()

    def scan(self, doc: Doc) -> list[rules.Trigger]:
        """Every token of ``doc`` that is one of the words, as ``(start_char, end_char, lowercased word)``."""
        if not len(doc) or not self.words:
            return []
        word_of = self.word_of
        return [(s, s + len(word_of[i]), word_of[i]) for s, i in zip(*self._rows(doc), strict=True)]

    def find(self, doc: Doc, start: int = 0) -> list[rules.Trigger]:
        """The words' positions at or after ``start``: read from one scan of the doc for all cue words."""
        if self.name is not None:
            trig = _triggers_by_list(doc)[self.name]
            # (the triggers are in text order: the first at or after ``start`` is found by bisection)
            return trig if not start else trig[bisect_left(trig, (start,)):]
        words = self.words
        return [t for t in _word_set(doc.vocab, "all").scan(doc) if t[0] >= start and t[2] in words]


#: the cue words each rule reads its triggers from
_TRIGGER_LISTS = {"first_person": rules.FIRST_PERSON_WORDS, "naming": rules.NAMING_CUE_WORDS,
                  "context": rules.CONTEXT_WORDS, "tasks": rules.TASK_HEAD_WORDS}
if not all(w.isascii() for ws in _TRIGGER_LISTS.values() for w in ws):
    raise ValueError("cue words must be ASCII: a token's length is read from its word (see WordSet._rows)")


@lru_cache(maxsize=16)
def _word_set(vocab, name: str) -> WordSet:
    if name == "all":
        return WordSet(vocab, frozenset().union(*_TRIGGER_LISTS.values()))
    return WordSet(vocab, _TRIGGER_LISTS[name], name)


def _triggers_by_list(doc: Doc) -> dict[str, list[rules.Trigger]]:
    """The triggers of every list of :data:`_TRIGGER_LISTS`, from one scan of the doc for all their words (cached
    on the doc until kg_filter). Each list keeps text order: it is ``[t for t in all_triggers if t[2] in words]``."""
    groups = doc.user_data.get("kg_trig")
    if groups is None:
        lists: list[list[rules.Trigger]] = [[] for _name in _TRIGGER_LISTS]
        if len(doc):
            ws = _word_set(doc.vocab, "all")
            word_of, ids_of = ws.word_of, ws.list_ids_of
            for s, i in zip(*ws._rows(doc), strict=True):
                w = word_of[i]
                t = (s, s + len(w), w)
                for k in ids_of[i]:
                    lists[k].append(t)
        groups = dict(zip(_TRIGGER_LISTS, lists, strict=True))
        doc.user_data["kg_trig"] = groups
    return groups


def own_sentences(doc: Doc) -> list[bool]:
    """Per sentence: does it state the paper's own contribution ("we propose", "our method")?"""
    flags = doc.user_data.get("kg_own")
    if flags is None:
        trig = _word_set(doc.vocab, "first_person").find(doc)
        flags = rules.first_person_flags(doc_text(doc), sentences(doc), trig)
        doc.user_data["kg_own"] = flags
    return flags


def _tok_bounds(doc: Doc) -> tuple[list[int], list[int]]:
    """Start and end character of every token, as lists (cached on the doc until kg_filter)."""
    bounds = doc.user_data.get("kg_tb")
    if bounds is None:
        arr = _token_array(doc)
        starts = arr[:, 1].tolist()
        bounds = (starts, (arr[:, 1] + arr[:, 2]).tolist())
        doc.user_data["kg_tb"] = bounds
    return bounds


def _to_tokens(doc: Doc, offsets: list[tuple]) -> list[tuple[int, int, int, int] | None]:
    """Token span ``(start, end, start_char, end_char)`` of each ``(start_char, end_char, ...)``, expanded to whole
    tokens; None where no token lies inside. (A binary search per candidate: there are few per doc.)"""
    if not offsets or not len(doc):
        return [None] * len(offsets)
    starts, ends = _tok_bounds(doc)
    n = len(starts)
    out: list[tuple[int, int, int, int] | None] = []
    for c in offsets:
        a = bisect_right(ends, c[0])
        b = bisect_left(starts, c[1])
        out.append((a, b, starts[min(a, n - 1)], ends[max(b - 1, 0)]) if b > a else None)
    return out


def _spans(doc: Doc, cands: Iterable[tuple], group: str, write_spans: bool = True) -> None:
    """Write candidates ``(start_char, end_char, label, rule, ...)`` as spans, expanded to whole tokens.

    The same candidates, with the rule's own character offsets (a token may hold more: "block(HDTB)"), are also
    kept as plain tuples ``(start_char, end_char, label, rule)`` in ``doc.user_data["kg_c:<group>"]``
    (see :func:`group_rows`):
    reading them back from ``doc.spans`` would build a Span object and look up its strings per span.
    With ``write_spans`` false (the components' ``write_spans`` setting, which :class:`kg.nlp.Extractor` turns
    off because it reads the rows only) no Span objects are made: the rows are the same either way.
    """
    if not write_spans:  # the rows only: no token offsets needed, just whether a token lies inside
        text = doc_text(doc)
        n = len(text)
        rows = []
        for c in cands:
            start, end = c[0], c[1]
            # (_holds_token, inlined: a span that starts with a character that is not whitespace holds a token)
            if (0 <= start < end and start < n and (not text[start].isspace() or not text[start:end].isspace())) \
                    or _to_tokens(doc, [c])[0] is not None:
                rows.append((start, end, c[2], c[3]))
        doc.user_data["kg_c:" + group] = rows
        return
    cands = list(cands)
    out: list[Span] = []
    rows: list[tuple] = []
    for c, t in zip(cands, _to_tokens(doc, cands), strict=True):
        if t is not None:
            out.append(Span(doc, t[0], t[1], label=c[2], kb_id=c[3]))
            rows.append((c[0], c[1], c[2], c[3]))
    doc.spans[group] = out
    doc.user_data["kg_c:" + group] = rows


def _holds_token(doc: Doc, text: str, c: tuple) -> bool:
    """``_to_tokens(doc, [c])[0] is not None``: a token of ``doc`` starts before ``c[1]`` and ends after ``c[0]``.

    Read from the text where it can be: the tokenizer puts every character that is not whitespace into a token,
    so a span of ``text`` with such a character overlaps a token. Only an empty or all-whitespace span needs the
    token offsets."""
    start, end = c[0], c[1]
    if 0 <= start < end and start < len(text) and not text[start:end].isspace():
        return True
    return _to_tokens(doc, [c])[0] is not None


def group_rows(doc: Doc, group: str) -> list[tuple]:
    """The candidates of a span group as ``(start_char, end_char, label, rule[, pair])`` tuples."""
    rows = doc.user_data.get("kg_c:" + group)
    if rows is None:  # a Doc annotated elsewhere: read the spans
        rows = [(sp.start_char, sp.end_char, sp.label_, sp.kb_id_, *((sp.id_,) if group == "kg_acronyms" else ()))
                for sp in doc.spans.get(group, ())]
    return rows


def _longest(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """``spacy.util.filter_spans`` on ``(label, start, end)`` token matches: longest first, no overlaps."""
    taken: set[int] = set()
    out = []
    for m in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
        if m[1] not in taken and m[2] - 1 not in taken:
            out.append(m)
            taken.update(range(m[1], m[2]))
    return sorted(out, key=lambda m: m[1])


# --------------------------------------------------------------------------- batched pipes


class BatchPipe:
    """``pipe`` for a component: it runs over a whole batch of docs before passing them on.

    ``nlp.pipe`` chains the components' ``pipe`` generators. Without this, each doc goes through all ten kg
    components before the next doc starts. Running one component over a batch keeps its code and data hot, and
    the extractor runs about 15% faster. The docs and the results are the same either way."""

    def _annotate(self) -> Callable[[Doc], Doc]:
        return self.__call__

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        annotate = self._annotate()
        for batch in minibatch(docs, size=batch_size):
            yield from [annotate(doc) for doc in batch]


class FunctionComponent(BatchPipe):
    """A component function, called as itself, with a batched ``pipe`` (:class:`BatchPipe`)."""

    def __init__(self, name: str, fn: Callable[[Doc], Doc]):
        self.name = name
        self.fn = fn

    def __call__(self, doc: Doc) -> Doc:
        return self.fn(doc)

    def _annotate(self) -> Callable[[Doc], Doc]:
        return self.fn


# --------------------------------------------------------------------------- sentences


class SentenceSplitter(BatchPipe):
    """Sentence boundaries from a regex over the text (abbreviation-aware), with the title as its own sentence."""

    def __init__(self, name: str, write_spans: bool = True):
        self.name = name
        self.write_spans = write_spans

    def __call__(self, doc: Doc) -> Doc:
        bounds = rules.sentence_bounds(doc_text(doc), title_end(doc))
        doc.user_data["kg_sents"] = bounds
        if len(doc) and self.write_spans:  # token sentence starts, for ``doc.sents``
            idx = _token_array(doc)[:, 1].astype("int64")
            starts = numpy.full(len(doc), -1, dtype="int64")
            starts[0] = 1
            if len(bounds) > 1:
                # the token that starts at or first after each sentence start
                first = numpy.searchsorted(idx, numpy.array([b for b, _e in bounds[1:]], dtype="int64"))
                starts[first[(first > 0) & (first < len(doc))]] = 1
            doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))
        return doc


@Language.factory("kg_sentences", default_config={"write_spans": True})
def make_sentences(nlp: Language, name: str, write_spans: bool) -> SentenceSplitter:
    return SentenceSplitter(name, write_spans)


# --------------------------------------------------------------------------- links


_LINK_HINTS = ("://", "www.", "WWW.", ".com", ".org", ".io", ".ai", ".net", ".edu", ".dev", ".co", ".me", ".info",
               ".page", ".COM", ".ORG", ".IO")


_WS = re.compile(r"\s")
_LINK_HINT = re.compile("|".join(re.escape(h) for h in _LINK_HINTS))


def _hint_from_stop(hint: str) -> str:
    """A pattern for ``hint`` that starts at its first "." or ":" (the characters before it read behind)."""
    j = min(i for i in (hint.find("."), hint.find(":")) if i >= 0)
    return re.escape(hint[j]) + (f"(?<={re.escape(hint[:j + 1])})" if j else "") + re.escape(hint[j + 1:])


#: _LINK_HINT's stretches, found faster: every hint holds a "." or ":", and a pattern whose every alternative starts
#: with one lets the regex engine jump from one of those characters to the next. (A hint is found at its "." or
#: ":", not at its start: the whitespace-delimited stretch it lies in, all that _link_regions reads, is the same.)
_LINK_STOP = re.compile("|".join(_hint_from_stop(h) for h in _LINK_HINTS)) \
    if all("." in h or ":" in h for h in _LINK_HINTS) else _LINK_HINT


def _link_regions(text: str) -> list[tuple[int, int]]:
    """Whitespace-delimited stretches of ``text`` that may hold a link (a URL never contains whitespace), found
    with one scan for all the hints; :func:`kg.links.find_links` then runs on these few short stretches only."""
    regions: list[tuple[int, int]] = []
    end = 0
    for hit in _LINK_STOP.finditer(text):
        i = hit.start()
        if i < end:
            continue  # a second hint in the same stretch
        s = i
        while s > 0 and not text[s - 1].isspace():
            s -= 1
        m = _WS.search(text, i)
        end = m.start() if m else len(text)
        regions.append((s, end))
    regions.sort()
    merged: list[tuple[int, int]] = []
    for s, e in regions:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


@Language.factory("kg_links", default_config={"write_spans": True})
def make_links(nlp: Language, name: str, write_spans: bool):
    def kg_links(doc: Doc) -> Doc:
        text = doc_text(doc)
        cands = []
        for rs, re_ in _link_regions(text):
            for link in find_links(text[rs:re_]):
                cands.append((rs + link.start, rs + link.end, "REPO" if link.repo else "URL",
                              link.repo or link.url, 1.0))
        _spans(doc, cands, "kg_links", write_spans)
        return doc

    return FunctionComponent(name, kg_links)


# --------------------------------------------------------------------------- gazetteer


_EXPLICIT_VERSION = re.compile(r"(?:[ -]?v\d+(?:\.\d+)*|[ -](?:19|20)\d\d|[ -]\d+\.\d+)(?![\w.%-])")


class Gazetteer(BatchPipe):
    """Known names from word lists (EntityRuler-like JSONL); case-sensitive for methods and datasets."""

    def __init__(self, nlp: Language, name: str, patterns: list[str], use_default: bool, write_spans: bool = True):
        self.name = name
        self.write_spans = write_spans
        self.patterns = load_patterns(tuple(patterns), use_default)
        self.names = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.tasks = PhraseMatcher(nlp.vocab, attr="LOWER")
        by_label: dict[str, list[str]] = {"METHOD": [], "DATASET": [], "TASK": []}
        for pat in self.patterns:
            by_label[pat.label].extend(variants(pat.pattern, pat.label))
        # tokenise the patterns with a throwaway tokenizer: thousands of pattern strings in the pipeline's own
        # vocab and tokenizer cache slow the tokenizer down by a third; match hashes do not depend on the vocab
        scratch = spacy.blank(nlp.lang) if nlp.lang else spacy.blank("en")
        for label, forms in by_label.items():
            matcher = self.tasks if label == "TASK" else self.names
            docs = list(scratch.tokenizer.pipe(sorted(set(forms))))
            matcher.add(label, docs)
        self.labels = {nlp.vocab.strings[label]: label for label in by_label}
        #: normalised name -> label, for names the matcher cannot see ("ImageNet-100" from "ImageNet")
        self.known = known_names(self.patterns)

    def __call__(self, doc: Doc) -> Doc:
        found = _longest(self.names(doc)) + [("TASK", s, e) for _l, s, e in _longest(self.tasks(doc))]
        spans, rows = [], []
        if found:
            labels = self.labels
            text = doc_text(doc)
            for label, s, e in found:
                name = labels.get(label, label) if not isinstance(label, str) else label
                last = doc[e - 1]  # (a few matches per doc: cheaper than the token offsets of the whole doc)
                cs, ce = doc[s].idx, last.idx + len(last)
                if name != "TASK":
                    v = _EXPLICIT_VERSION.match(text, ce)
                    if v:  # "OntoNotes v5.0", "COCO-2017": the version is part of the known name
                        t = _to_tokens(doc, [(cs, v.end())])[0]
                        if t is not None and t[3] == v.end():
                            s, e, ce = t[0], t[1], v.end()
                if self.write_spans:
                    spans.append(Span(doc, s, e, label=name, kb_id="kg_gazetteer:known"))
                rows.append((cs, ce, name, "kg_gazetteer:known"))
        if self.write_spans:
            doc.spans["kg_gazetteer"] = spans
        doc.user_data["kg_c:kg_gazetteer"] = rows
        return doc


@Language.factory("kg_gazetteer", default_config={"patterns": [], "use_default": True, "write_spans": True})
def make_gazetteer(nlp: Language, name: str, patterns: list[str], use_default: bool, write_spans: bool) -> Gazetteer:
    return Gazetteer(nlp, name, patterns, use_default, write_spans)


# --------------------------------------------------------------------------- acronyms


@Language.factory("kg_acronyms", default_config={"write_spans": True})
def make_acronyms(nlp: Language, name: str, write_spans: bool):
    def kg_acronyms(doc: Doc) -> Doc:
        out = []
        text, tend = doc_text(doc), title_end(doc)
        found = list(rules.acronym_pairs(text))
        if tend:
            ta = rules.title_acronym(text[:tend])
            if ta:
                found.append(ta)
        rows = []
        if not write_spans:  # the rows only: the pairs whose two forms hold a token each
            for n, f in enumerate(found):
                if _holds_token(doc, text, (f[0], f[1])) and _holds_token(doc, text, (f[2], f[3])):
                    pair = f"acr{n}"
                    rows.append((f[0], f[1], "LONG", "kg_acronyms:long", pair))
                    rows.append((f[2], f[3], "SHORT", "kg_acronyms:short", pair))
            doc.user_data["kg_c:kg_acronyms"] = rows
            return doc
        longs = _to_tokens(doc, [(f[0], f[1]) for f in found])
        shorts = _to_tokens(doc, [(f[2], f[3]) for f in found])
        for n, (lt, st) in enumerate(zip(longs, shorts, strict=True)):
            if lt is None or st is None:
                continue
            pair = f"acr{n}"
            if write_spans:
                out.append(Span(doc, lt[0], lt[1], label="LONG", kb_id="kg_acronyms:long", span_id=pair))
                out.append(Span(doc, st[0], st[1], label="SHORT", kb_id="kg_acronyms:short", span_id=pair))
            f = found[n]  # the rule's own offsets: a token may hold more ("(PSRO)-style")
            rows.append((f[0], f[1], "LONG", "kg_acronyms:long", pair))
            rows.append((f[2], f[3], "SHORT", "kg_acronyms:short", pair))
        doc.user_data["kg_c:kg_acronyms"] = rows
        if write_spans:
            doc.spans["kg_acronyms"] = out
        return doc

    return FunctionComponent(name, kg_acronyms)


# --------------------------------------------------------------------------- naming cues


@Language.factory("kg_naming", default_config={"write_spans": True})
def make_naming(nlp: Language, name: str, write_spans: bool):
    def kg_naming(doc: Doc) -> Doc:
        text, tend = doc_text(doc), title_end(doc)
        own = own_sentences(doc)
        cands = []
        if tend:
            pre = rules.title_prefix(text[:tend])
            if pre:
                cands.append((pre[0], pre[1], "NAME", "kg_naming:title", 0.85))
            else:
                tn = rules.title_name(text[:tend], text[tend:])
                if tn:
                    cands.append((tn[0], tn[1], "NAME", "kg_naming:title-name", 0.75))
        trig = _word_set(doc.vocab, "naming").find(doc)
        cands.extend(rules.naming_all(text, sentences(doc), own, tend, trig))
        _spans(doc, cands, "kg_naming", write_spans)
        return doc

    return FunctionComponent(name, kg_naming)


# --------------------------------------------------------------------------- context cues


_AFFIXED = re.compile(r"-(?:based|driven|oriented|centric|centered|centred|focused|inspired|related|style|like|level|"
                      r"specific|aware|guided|powered|generated|"
                      r"produced|annotated|labeled|labelled|curated|synthesized|augmented|enhanced|assisted|free|only|"
                      r"wise)$", re.I)


@Language.factory("kg_context", default_config={"write_spans": True})
def make_context(nlp: Language, name: str, write_spans: bool):
    def kg_context(doc: Doc) -> Doc:
        text = doc_text(doc)
        trig = _word_set(doc.vocab, "context").find(doc)
        tend = title_end(doc)
        # a title is written in Title Case: there only a name-shaped word can be a name
        cands = [c for c in rules.context_cues(text, triggers=trig)
                 if (c[0] >= tend or any(rules.is_shaped(w) for w in text[c[0]:c[1]].split()))
                 and not _AFFIXED.search(text, c[0], c[1])]  # "an EMR-based dataset": the name is EMR, not a dataset
        _spans(doc, cands, "kg_context", write_spans)
        return doc

    return FunctionComponent(name, kg_context)


# --------------------------------------------------------------------------- name shapes


_GLUED = re.compile(r"(?:and|or|the|of|in|on|with|for|to|by|from|than|over|under|into|onto|upon|about|after|before|"
                    r"within|without|between|through|across|while|where|when|which|that|this|these|those|our|we|its|"
                    r"their|vs)(?=[A-Z])")
_CITE_KEY = re.compile(r"[A-Z]{2,6}\+\d{2}|[A-Z][a-z]+\d{2}[A-Z]{2,}\d*|[A-Z][a-z]+\d{2}[A-Z][a-z]{3,}\w*")
_LIST_KEY = re.compile(r"[A-Z]{2,6}\d{2}")  # "[ASA+22,GTLV22]": a key in a bracketed citation list
_RUN_ON = re.compile(r"[a-z]{2}\.[A-Z][a-z]")


def _plainly_written(text: str, word: str, lowered: str | None = None) -> bool:
    """Does ``text`` also write ``word`` as an ordinary word (all lowercase, or capitalised)? ``lowered`` is
    :func:`_lowered` of ``text``, when the caller has it already."""
    low = word.lower()
    if lowered is None:
        lowered = _lowered(text)
    i = lowered.find(low)
    while i >= 0:
        j = i + len(low)
        if (i == 0 or not lowered[i - 1].isalpha()) and (j >= len(lowered) or not lowered[j].isalpha()):
            form = text[i:j]
            if form.islower() or form.istitle():
                return True
        i = lowered.find(low, j)
    return False


def _lowered(text: str) -> str:
    return text.lower() if len(text) < 20_000 else text[:20_000].lower()


@lru_cache(maxsize=65536)
def _shape_word(word: str) -> tuple[bool, tuple[str, ...], bool]:
    """What kg_shapes reads of a name-shaped word alone, cached (the same names come back in many abstracts):
    whether it is no name whatever the text ("performance.The": a missing space after a full stop; "[ASA+22]",
    "Ravanbakhsh16ICML": a citation key), its hyphen parts with capitals that may spell an acronym ("INternal":
    a lowercase form of them elsewhere in the text says so), and whether it is shaped like a key of a bracketed
    citation list ("ASA22")."""
    parts = tuple(p for p in word.split("-")
                  if p.isalpha() and not p.isupper() and not p.istitle() and sum(c.islower() for c in p) >= 2)
    return bool(_RUN_ON.search(word) or _CITE_KEY.fullmatch(word)), parts, bool(_LIST_KEY.fullmatch(word))


@Language.factory("kg_shapes", default_config={"write_spans": True})
def make_shapes(nlp: Language, name: str, write_spans: bool):
    def kg_shapes(doc: Doc) -> Doc:
        links = [(c[0], c[1]) for c in group_rows(doc, "kg_links")]
        known = {(c[0], c[1]) for c in group_rows(doc, "kg_gazetteer")}
        cands = []
        text = doc_text(doc)
        lowered = None  # the text in lowercase, made once when a name needs it
        # (every test below only drops a name, so they are made in the order that costs least)
        for s, e in rules.shaped_names(text):
            if (s, e) in known or (links and any(ls <= s < le for ls, le in links)):
                continue  # a known name needs no second span; a link is not a name
            if text.startswith(("non-", "Non-"), s):
                continue  # "non-MBC": the negation of a name is no name
            if "a" <= text[s] <= "z":  # (every match of _GLUED starts with a small word in lowercase)
                glued = _GLUED.match(text, s, e)
                if glued:
                    s = glued.end()  # "andDenseCL": a missing space, the name starts after the small word
                    if not rules.is_shaped(text[s:e]):
                        continue  # "underThis": no name after all
            no_name, parts, list_key = _shape_word(text[s:e])
            if no_name:
                continue  # "performance.The", "[ASA+22]", "Ravanbakhsh16ICML", "Jung15Exploration"
            if list_key and text[s - 1:s] in "[," and text[e:e + 1] in "],":
                continue  # "[ASA+22,GTLV22]": a key in a bracketed citation list
            if text[e:e + 1] == "-" and rules.affix_follows(text, e):
                continue  # "PMI-based", "EM-like": a name used as a modifier; a name used as one is found alone
            if parts:
                lowered = lowered if lowered is not None else _lowered(text)
                if any(_plainly_written(text, p, lowered) for p in parts):
                    continue  # "INternal", "hallucInation", "Self-IMproving": capitals that spell an acronym
            cands.append((s, e, "NAME", "kg_shapes:shape", 0.5))
        _spans(doc, cands, "kg_shapes", write_spans)
        return doc

    return FunctionComponent(name, kg_shapes)


# --------------------------------------------------------------------------- tasks


@Language.factory("kg_tasks", default_config={"write_spans": True})
def make_tasks(nlp: Language, name: str, write_spans: bool):
    def kg_tasks(doc: Doc) -> Doc:
        text, tend = doc_text(doc), title_end(doc)
        cands = list(rules.title_tasks(text[:tend])) if tend else []
        trig = _word_set(doc.vocab, "tasks").find(doc, tend)
        cands.extend(rules.task_phrases(text, tend, len(text), trig))
        _spans(doc, cands, "kg_tasks", write_spans)
        return doc

    return FunctionComponent(name, kg_tasks)


# --------------------------------------------------------------------------- roles


_ROLE_RULES = {label: f"kg_roles:{label.lower()}" for label in ("TITLE", "INTRODUCE", "PROPOSE")}


@Language.factory("kg_roles", default_config={"write_spans": True})
def make_roles(nlp: Language, name: str, write_spans: bool):
    def kg_roles(doc: Doc) -> Doc:
        text, tend = doc_text(doc), title_end(doc)
        rows = []
        for (start, end), is_own in zip(sentences(doc), own_sentences(doc), strict=False):
            label = None
            if start < tend:
                label = "TITLE"
            elif is_own and rules.introduced_sentence(text[start:end]):
                label = "INTRODUCE"
            elif is_own:
                label = "PROPOSE"
            if label:
                rows.append((start, end, label, _ROLE_RULES[label]))
        _spans(doc, rows, "kg_roles", write_spans)
        return doc

    return FunctionComponent(name, kg_roles)


# --------------------------------------------------------------------------- filters


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_NUMBER = re.compile(r"[\d.,%\s]+[A-Za-z]?")
_METRIC_SHAPE = re.compile(
    r"\S+@(?:\d+(?:\.\d+)?|[kKnN])|[a-z]{0,4}-?F[1-9]|m?A[PR](?:\d{2}(?:[-:]\d{2})?|_?[smlSMLr])")


@lru_cache(maxsize=65536)
def _form_blocked(stext: str) -> str | None:
    """Why kg_filter drops a candidate for its form alone (a blocked word, a number, a metric), or None; cached:
    a function of the form, and the same forms come back in many abstracts."""
    lex = lexicon()
    why = lex.blocked(stext) or lex.blocked(_ARTICLE.sub("", stext))
    if why is None and _NUMBER.fullmatch(stext):
        why = "number"
    if why is None and _METRIC_SHAPE.fullmatch(stext):
        why = "metric"  # "MAR@10", "hF1", "Precision@1"
    return why


@Language.factory("kg_filter", default_config={"write_spans": True})
def make_filter(nlp: Language, name: str, write_spans: bool):
    def kg_filter(doc: Doc) -> Doc:
        text = doc_text(doc)
        removed: list[tuple] = []
        for group in ("kg_naming", "kg_context", "kg_shapes"):
            rows = group_rows(doc, group)
            keep = []
            for i, row in enumerate(rows):
                stext = text[row[0]:row[1]]
                why = _form_blocked(stext)
                # (CITED_NAME starts with whitespace: most rows are settled by the character after them)
                if why is None and text[row[1]:row[1] + 1].isspace() and rules.CITED_NAME.match(text, row[1]):
                    why = "citation"  # "Sutskever et al.": an author, not a method
                if why is None and "\n" in stext:
                    why = "boundary"  # a name does not run from the title into the abstract
                if why:
                    removed.append((row[0], row[1], why, row[3]))
                else:
                    keep.append(i)
            if len(keep) < len(rows):
                if write_spans:
                    spans = doc.spans[group]
                    doc.spans[group] = [spans[i] for i in keep]
                doc.user_data["kg_c:" + group] = [rows[i] for i in keep]
        _spans(doc, removed, "kg_filtered", write_spans)
        doc.user_data.pop("kg_tokens", None)  # caches, not results
        doc.user_data.pop("kg_trig", None)
        doc.user_data.pop("kg_tb", None)
        return doc

    return FunctionComponent(name, kg_filter)
