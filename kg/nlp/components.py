"""spaCy components of the extractor, registered as ``kg_*`` factories.

Each component reads ``doc.text`` (title, a blank line, abstract; ``doc.user_data["kg_title_end"]``
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
kg_roles            kg_roles                PROPOSE / INTRODUCE (sentences), USED (cue before a name)
kg_filter           kg_filtered             spans removed from the groups above, label = why
==================  ======================  =====================================================

The rules themselves are plain functions in :mod:`kg.nlp.rules`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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


def sentences(doc: Doc) -> list[tuple[int, int]]:
    sents = doc.user_data.get("kg_sents")
    if sents is None:
        sents = rules.sentence_bounds(doc.text, title_end(doc))
        doc.user_data["kg_sents"] = sents
    return sents


def _spans(doc: Doc, cands: Iterable[tuple], group: str, *, longest: bool = False) -> None:
    out: list[Span] = []
    for start, end, label, rule, _conf in cands:
        span = doc.char_span(start, end, label=label, kb_id=rule, alignment_mode="expand")
        if span is not None and len(span):
            out.append(span)
    if longest:
        out = filter_spans(out)
    doc.spans[group] = out


# --------------------------------------------------------------------------- sentences


class SentenceSplitter:
    """Sentence boundaries from a regex over the text (abbreviation-aware), with the title as its own sentence."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        bounds = rules.sentence_bounds(doc.text, title_end(doc))
        doc.user_data["kg_sents"] = bounds
        if len(doc):
            doc[0].is_sent_start = True
            for i in range(1, len(doc)):
                doc[i].is_sent_start = False
            for start, _end in bounds[1:]:
                span = doc.char_span(start, start + 1, alignment_mode="expand")
                if span is not None and span.start > 0:
                    doc[span.start].is_sent_start = True
        return doc


@Language.factory("kg_sentences")
def make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter(name)


# --------------------------------------------------------------------------- links


@Language.factory("kg_links")
def make_links(nlp: Language, name: str):
    def kg_links(doc: Doc) -> Doc:
        out = []
        for link in find_links(doc.text):
            span = doc.char_span(link.start, link.end, label="REPO" if link.repo else "URL",
                                 kb_id=link.repo or link.url, alignment_mode="expand")
            if span is not None:
                out.append(span)
        doc.spans["kg_links"] = out
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
        for label, forms in by_label.items():
            matcher = self.tasks if label == "TASK" else self.names
            docs = list(nlp.tokenizer.pipe(sorted(set(forms))))
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
        for n, (ls, le, ss, se) in enumerate(rules.acronym_pairs(doc.text)):
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
        text, tend = doc.text, title_end(doc)
        cands = []
        if tend:
            pre = rules.title_prefix(text[:tend])
            if pre:
                cands.append((pre[0], pre[1], "NAME", "kg_naming:title", 0.85))
            else:
                tn = rules.title_name(text[:tend], text[tend:])
                if tn:
                    cands.append((tn[0], tn[1], "NAME", "kg_naming:title-name", 0.75))
        for start, end in sentences(doc):
            cands.extend(rules.naming_cues(text, start, end, tend))
        _spans(doc, cands, "kg_naming")
        return doc

    return kg_naming


# --------------------------------------------------------------------------- context cues


@Language.factory("kg_context")
def make_context(nlp: Language, name: str):
    def kg_context(doc: Doc) -> Doc:
        text = doc.text
        cands = []
        for start, end in sentences(doc):
            cands.extend(rules.context_cues(text, start, end))
        _spans(doc, cands, "kg_context")
        return doc

    return kg_context


# --------------------------------------------------------------------------- name shapes


@Language.factory("kg_shapes")
def make_shapes(nlp: Language, name: str):
    def kg_shapes(doc: Doc) -> Doc:
        links = [(s.start_char, s.end_char) for s in doc.spans.get("kg_links", ())]
        cands = []
        for s, e in rules.shaped_names(doc.text):
            if any(ls <= s < le for ls, le in links):
                continue
            cands.append((s, e, "NAME", "kg_shapes:shape", 0.5))
        _spans(doc, cands, "kg_shapes")
        return doc

    return kg_shapes


# --------------------------------------------------------------------------- tasks


@Language.factory("kg_tasks")
def make_tasks(nlp: Language, name: str):
    def kg_tasks(doc: Doc) -> Doc:
        text, tend = doc.text, title_end(doc)
        cands = list(rules.title_tasks(text[:tend])) if tend else []
        for start, end in sentences(doc):
            if start >= tend:
                cands.extend(rules.task_phrases(text, start, end))
        _spans(doc, cands, "kg_tasks")
        return doc

    return kg_tasks


# --------------------------------------------------------------------------- roles


_USED_WORDS = frozenset("such e.g. e.g., including like than over against baseline baselines existing previous prior popular "
                        "based built top initialized initialised fine-tune fine-tuned fine-tuning finetune finetuned use uses "
                        "using used leverage leverages leveraging adopt adopts employ employs outperform outperforms "
                        "outperforming surpass surpasses beat beats extend extends variant variants version versions teacher "
                        "compared comparison vs. versus".split())


@Language.factory("kg_roles")
def make_roles(nlp: Language, name: str):
    word_re = re.compile(r"[\w.,-]+")

    def kg_roles(doc: Doc) -> Doc:
        text, tend = doc.text, title_end(doc)
        out: list[Span] = []
        for start, end in sentences(doc):
            sent = text[start:end]
            label = None
            if start < tend:
                label = "TITLE"
            elif rules.introduced_sentence(sent):
                label = "INTRODUCE"
            elif rules.first_person(sent):
                label = "PROPOSE"
            if label:
                span = doc.char_span(start, end, label=label, kb_id=f"kg_roles:{label.lower()}", alignment_mode="expand")
                if span is not None:
                    out.append(span)
        seen: set[int] = set()
        for group in ("kg_gazetteer", "kg_acronyms", "kg_naming", "kg_context", "kg_shapes"):
            for span in doc.spans.get(group, ()):
                if span.start in seen or span.label_ == "TASK":
                    continue
                seen.add(span.start)
                window = text[max(0, span.start_char - 40):span.start_char]
                words = [w.lower().strip(",") for w in word_re.findall(window)[-3:]]
                if any(w in _USED_WORDS for w in words):
                    out.append(Span(doc, span.start, span.end, label="USED", kb_id="kg_roles:used-cue"))
        doc.spans["kg_roles"] = out
        return doc

    return kg_roles


# --------------------------------------------------------------------------- filters


@Language.factory("kg_filter")
def make_filter(nlp: Language, name: str):
    lex = lexicon()

    def kg_filter(doc: Doc) -> Doc:
        removed: list[Span] = []
        for group in ("kg_naming", "kg_context", "kg_shapes"):
            keep = []
            for span in doc.spans.get(group, ()):
                why = lex.blocked(span.text) or lex.blocked(re.sub(r"^(?:the|a|an)\s+", "", span.text, flags=re.I))
                if why is None and re.fullmatch(r"[\d.,%\s]+[A-Za-z]?", span.text):
                    why = "number"
                if why:
                    removed.append(Span(doc, span.start, span.end, label=why, kb_id=span.kb_id_))
                else:
                    keep.append(span)
            doc.spans[group] = keep
        doc.spans["kg_filtered"] = removed
        return doc

    return kg_filter
