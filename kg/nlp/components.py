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
kg_tasks            kg_tasks                TASK; ``kg_tasks:title|cue|head``
kg_roles            kg_roles                TITLE / PROPOSE / INTRODUCE sentences (the paper's own contribution)
kg_filter           kg_filtered             spans removed from the groups above, label = why
==================  ======================  =====================================================

The rules themselves are plain functions in :mod:`kg.nlp.rules`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import IDX, LENGTH, LOWER, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.links import find_links
from kg.nlp import rules
from kg.nlp.lexicon import lexicon, load_patterns, variants

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
    """A set of lowercase cue words, found in a Doc through its token array (no Python loop over tokens)."""

    def __init__(self, vocab, words: Iterable[str]):
        self.words = frozenset(words)
        self.hashes = numpy.array(sorted({vocab.strings.add(w) for w in self.words}), dtype="uint64")

    def find(self, doc: Doc, start: int = 0) -> list[rules.Trigger]:
        arr = _token_array(doc)
        if not len(arr):
            return []
        text = doc_text(doc)
        col = arr[:, 0]
        pos = numpy.searchsorted(self.hashes, col)
        pos[pos == len(self.hashes)] = 0
        rows = numpy.flatnonzero(self.hashes[pos] == col)
        out = []
        for i in rows:
            s = int(arr[i, 1])
            if s >= start:
                e = s + int(arr[i, 2])
                out.append((s, e, text[s:e].lower()))
        return out


@lru_cache(maxsize=16)
def _word_set(vocab, name: str) -> WordSet:
    words = {"first_person": rules.FIRST_PERSON_WORDS, "naming": rules.NAMING_WORDS,
             "context": rules.CONTEXT_WORDS, "tasks": rules.TASK_HEAD_WORDS}[name]
    return WordSet(vocab, words)


def own_sentences(doc: Doc) -> list[bool]:
    """Per sentence: does it state the paper's own contribution ("we propose", "our method")?"""
    flags = doc.user_data.get("kg_own")
    if flags is None:
        trig = _word_set(doc.vocab, "first_person").find(doc)
        flags = rules.first_person_flags(doc_text(doc), sentences(doc), trig)
        doc.user_data["kg_own"] = flags
    return flags


def _spans(doc: Doc, cands: Iterable[tuple], group: str, *, longest: bool = False) -> None:
    """Write candidates ``(start_char, end_char, label, rule, confidence)`` as spans, expanded to whole tokens
    (the character-to-token mapping is one vectorised look-up for all candidates)."""
    cands = list(cands)
    out: list[Span] = []
    if cands and len(doc):
        arr = _token_array(doc)
        starts = arr[:, 1].astype("int64")
        ends = starts + arr[:, 2].astype("int64")
        cs = numpy.fromiter((c[0] for c in cands), dtype="int64", count=len(cands))
        ce = numpy.fromiter((c[1] for c in cands), dtype="int64", count=len(cands))
        first = numpy.searchsorted(ends, cs, side="right").tolist()
        last = numpy.searchsorted(starts, ce, side="left").tolist()
        for (_s, _e, label, rule, _conf), a, b in zip(cands, first, last, strict=True):
            if b > a:
                out.append(Span(doc, a, b, label=label, kb_id=rule))
    if longest:
        out = filter_spans(out)
    doc.spans[group] = out


# --------------------------------------------------------------------------- sentences


class SentenceSplitter:
    """Sentence boundaries from a regex over the text (abbreviation-aware), with the title as its own sentence."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        bounds = rules.sentence_bounds(doc_text(doc), title_end(doc))
        doc.user_data["kg_sents"] = bounds
        if len(doc):
            idx = _token_array(doc)[:, 1].astype("int64")
            starts = numpy.full(len(doc), -1, dtype="int64")
            starts[0] = 1
            if len(bounds) > 1:
                # the token that starts at or first after each sentence start
                first = numpy.searchsorted(idx, numpy.array([b for b, _e in bounds[1:]], dtype="int64"))
                starts[first[(first > 0) & (first < len(doc))]] = 1
            doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))
        return doc


@Language.factory("kg_sentences")
def make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter(name)


# --------------------------------------------------------------------------- links


_LINK_HINTS = ("://", "www.", "WWW.", ".com", ".org", ".io", ".ai", ".net", ".edu", ".dev", ".co", ".me", ".info",
               ".page", ".COM", ".ORG", ".IO")


_WS = re.compile(r"\s")


def _link_regions(text: str) -> list[tuple[int, int]]:
    """Whitespace-delimited stretches of ``text`` that may hold a link (a URL never contains whitespace), found
    with ``str.find``; :func:`kg.links.find_links` then runs on these few short stretches only."""
    regions: list[tuple[int, int]] = []
    for hint in _LINK_HINTS:
        i = text.find(hint)
        while i >= 0:
            s = i
            while s > 0 and not text[s - 1].isspace():
                s -= 1
            m = _WS.search(text, i)
            e = m.start() if m else len(text)
            regions.append((s, e))
            i = text.find(hint, e)
    regions.sort()
    merged: list[tuple[int, int]] = []
    for s, e in regions:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


@Language.factory("kg_links")
def make_links(nlp: Language, name: str):
    def kg_links(doc: Doc) -> Doc:
        text = doc_text(doc)
        cands = []
        for rs, re_ in _link_regions(text):
            for link in find_links(text[rs:re_]):
                cands.append((rs + link.start, rs + link.end, "REPO" if link.repo else "URL",
                              link.repo or link.url, 1.0))
        _spans(doc, cands, "kg_links")
        return doc

    return kg_links


# --------------------------------------------------------------------------- gazetteer


class Gazetteer:
    """Known names from word lists (EntityRuler-like JSONL); case-sensitive for methods and datasets."""

    def __init__(self, nlp: Language, name: str, patterns: list[str], use_default: bool):
        self.name = name
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

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, s, e, label=label, kb_id="kg_gazetteer:known") for label, s, e in self.names(doc)]
        tasks = [Span(doc, s, e, label="TASK", kb_id="kg_gazetteer:known") for _l, s, e in self.tasks(doc)]
        doc.spans["kg_gazetteer"] = filter_spans(spans) + filter_spans(tasks)
        return doc


@Language.factory("kg_gazetteer", default_config={"patterns": [], "use_default": True})
def make_gazetteer(nlp: Language, name: str, patterns: list[str], use_default: bool) -> Gazetteer:
    return Gazetteer(nlp, name, patterns, use_default)


# --------------------------------------------------------------------------- acronyms


@Language.factory("kg_acronyms")
def make_acronyms(nlp: Language, name: str):
    def kg_acronyms(doc: Doc) -> Doc:
        out = []
        text, tend = doc_text(doc), title_end(doc)
        found = list(rules.acronym_pairs(text))
        if tend:
            ta = rules.title_acronym(text[:tend])
            if ta:
                found.append(ta)
        for n, (ls, le, ss, se) in enumerate(found):
            long = doc.char_span(ls, le, label="LONG", alignment_mode="expand")
            short = doc.char_span(ss, se, label="SHORT", alignment_mode="expand")
            if long is None or short is None:
                continue
            pair = f"acr{n}"
            out.append(Span(doc, long.start, long.end, label="LONG", kb_id="kg_acronyms:long", span_id=pair))
            out.append(Span(doc, short.start, short.end, label="SHORT", kb_id="kg_acronyms:short", span_id=pair))
        doc.spans["kg_acronyms"] = out
        return doc

    return kg_acronyms


# --------------------------------------------------------------------------- naming cues


@Language.factory("kg_naming")
def make_naming(nlp: Language, name: str):
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
        _spans(doc, cands, "kg_naming")
        return doc

    return kg_naming


# --------------------------------------------------------------------------- context cues


@Language.factory("kg_context")
def make_context(nlp: Language, name: str):
    def kg_context(doc: Doc) -> Doc:
        text = doc_text(doc)
        trig = _word_set(doc.vocab, "context").find(doc)
        tend = title_end(doc)
        # a title is written in Title Case: there only a name-shaped word can be a name
        cands = [c for c in rules.context_cues(text, triggers=trig)
                 if c[0] >= tend or any(rules.is_shaped(w) for w in text[c[0]:c[1]].split())]
        _spans(doc, cands, "kg_context")
        return doc

    return kg_context


# --------------------------------------------------------------------------- name shapes


@Language.factory("kg_shapes")
def make_shapes(nlp: Language, name: str):
    def kg_shapes(doc: Doc) -> Doc:
        links = [(s.start_char, s.end_char) for s in doc.spans.get("kg_links", ())]
        known = {(s.start_char, s.end_char) for s in doc.spans.get("kg_gazetteer", ())}
        cands = []
        for s, e in rules.shaped_names(doc_text(doc)):
            if (s, e) in known or (links and any(ls <= s < le for ls, le in links)):
                continue  # a known name needs no second span; a link is not a name
            cands.append((s, e, "NAME", "kg_shapes:shape", 0.5))
        _spans(doc, cands, "kg_shapes")
        return doc

    return kg_shapes


# --------------------------------------------------------------------------- tasks


@Language.factory("kg_tasks")
def make_tasks(nlp: Language, name: str):
    def kg_tasks(doc: Doc) -> Doc:
        text, tend = doc_text(doc), title_end(doc)
        cands = list(rules.title_tasks(text[:tend])) if tend else []
        trig = _word_set(doc.vocab, "tasks").find(doc, tend)
        cands.extend(rules.task_phrases(text, tend, len(text), trig))
        _spans(doc, cands, "kg_tasks")
        return doc

    return kg_tasks


# --------------------------------------------------------------------------- roles


@Language.factory("kg_roles")
def make_roles(nlp: Language, name: str):
    def kg_roles(doc: Doc) -> Doc:
        text, tend = doc_text(doc), title_end(doc)
        out: list[Span] = []
        for (start, end), is_own in zip(sentences(doc), own_sentences(doc), strict=False):
            label = None
            if start < tend:
                label = "TITLE"
            elif is_own and rules.introduced_sentence(text[start:end]):
                label = "INTRODUCE"
            elif is_own:
                label = "PROPOSE"
            if label:
                span = doc.char_span(start, end, label=label, kb_id=f"kg_roles:{label.lower()}",
                                     alignment_mode="expand")
                if span is not None:
                    out.append(span)
        doc.spans["kg_roles"] = out
        return doc

    return kg_roles


# --------------------------------------------------------------------------- filters


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_NUMBER = re.compile(r"[\d.,%\s]+[A-Za-z]?")


@Language.factory("kg_filter")
def make_filter(nlp: Language, name: str):
    lex = lexicon()

    def kg_filter(doc: Doc) -> Doc:
        text = doc_text(doc)
        removed: list[Span] = []
        for group in ("kg_naming", "kg_context", "kg_shapes"):
            keep = []
            for span in doc.spans.get(group, ()):
                stext = text[span.start_char:span.end_char]
                why = lex.blocked(stext) or lex.blocked(_ARTICLE.sub("", stext))
                if why is None and _NUMBER.fullmatch(stext):
                    why = "number"
                if why:
                    removed.append(Span(doc, span.start, span.end, label=why, kb_id=span.kb_id_))
                else:
                    keep.append(span)
            doc.spans[group] = keep
        doc.spans["kg_filtered"] = removed
        doc.user_data.pop("kg_tokens", None)  # a cache, not a result
        return doc

    return kg_filter
