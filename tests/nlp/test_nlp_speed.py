"""The shortcuts taken for speed give the same answers as the rules they stand in for."""

from __future__ import annotations

import re

import pytest

from kg.nlp import rules
from kg.nlp.components import _LINK_HINTS, _link_regions
from kg.nlp.mentions import _sentence_of


def _noun_alternatives(rx: re.Pattern) -> list[str]:
    """The dataset nouns of a cue regex: the alternatives of its last group of words."""
    group = re.findall(r"\\b\(\?:((?:[a-z\\?]+\|)+[a-z\\?]+)\)", rx.pattern)[-1]
    return group.split("|")


@pytest.mark.parametrize("rx", [rules._INTRO_CUE, rules._NEW_DATASET])
def test_every_dataset_noun_of_the_introduce_cues_holds_a_quick_test_word(rx: re.Pattern) -> None:
    # introduced_sentence skips the regexes when no word of _DATA_NOUNS is in the sentence: a noun added to the
    # regexes must be covered by one of those words
    for noun in _noun_alternatives(rx):
        plain = noun.replace("\\s?", "")
        assert any(w in plain for w in rules._DATA_NOUNS), noun


def _introduced_by_regex(sentence: str) -> bool:
    return (bool(rules._INTRO_CUE.search(sentence)) and rules.first_person(sentence)) or bool(
        rules._NEW_DATASET.search(sentence) and rules._WE_OUR.search(sentence))


@pytest.mark.parametrize("sentence", [
    "We introduce a new benchmark of tide tables.",
    "We release a novel Data Set of bird calls.",
    "Our new corpora cover twelve languages.",
    "We propose a novel sampler for diffusion models.",
    "In this paper we present ORBIT, the first testbed for satellite agents.",
    "We collect a new ſuite of puzzles.",  # a long s: the regexes match it case-insensitively
    "WE INTRODUCE A NEW DATABASE OF ROCKS.",
])
def test_introduced_sentence_agrees_with_the_regexes(sentence: str) -> None:
    assert rules.introduced_sentence(sentence) == _introduced_by_regex(sentence)


def _regions_hint_by_hint(text: str) -> list[tuple[int, int]]:
    """The stretches found with ``str.find``, one hint after the other (the plain way)."""
    regions = []
    for hint in _LINK_HINTS:
        i = text.find(hint)
        while i >= 0:
            s = i
            while s > 0 and not text[s - 1].isspace():
                s -= 1
            e = next((j for j in range(i, len(text)) if text[j].isspace()), len(text))
            regions.append((s, e))
            i = text.find(hint, e)
    return sorted(set(regions))


@pytest.mark.parametrize("text", [
    "See https://github.com/a/b and www.example.org/x, or mail me.Thanks (code at foo.io).",
    "no links here",
    "a.com b.org c.co.uk WWW.X.COM http://www.x.com/.io",
    "code: github.com/org/repo.",
])
def test_link_regions_are_the_stretches_holding_a_hint(text: str) -> None:
    assert _link_regions(text) == _regions_hint_by_hint(text)


def test_sentence_of_finds_the_sentence_or_the_next_one() -> None:
    sents = [(0, 10), (12, 30), (31, 50)]
    starts = [s for s, _e in sents]
    assert _sentence_of(sents, 5, starts) == (0, 10)
    assert _sentence_of(sents, 11) == (12, 30)  # in the gap: the next sentence
    assert _sentence_of(sents, 45, starts) == (31, 50)
    assert _sentence_of(sents, 99, starts) == (31, 50)  # after the end: the last
    assert _sentence_of([], 3) == (0, 0)


def test_overlap_test_agrees_with_a_scan_of_the_spans() -> None:
    import random

    from kg.nlp.mentions import _overlap_test

    rng = random.Random(7)
    for _ in range(300):
        spans = [(s, s + rng.randint(1, 12)) for s in (rng.randint(0, 60) for _ in range(rng.randint(0, 6)))]
        overlaps = _overlap_test(spans)
        for _ in range(20):
            start = rng.randint(0, 70)
            end = start + rng.randint(1, 10)
            assert overlaps(start, end) == any(s < end and start < e for s, e in spans), (spans, start, end)


@pytest.mark.parametrize("votes", [{}, {"NAME": 0.4}, {"TASK": 1, "NAME": 0.4}, {"NAME": 0.4, "METHOD": 1},
                                   {"DATASET": 2, "NAME": 0.4}, {"METHOD": 1.5, "DATASET": 1.5}, {"TASK": 2}])
def test_kindless_name_is_a_name_vote_without_a_kind(votes: dict[str, float]) -> None:
    from kg.nlp.mentions import _kindless_name, _md_kind

    assert _kindless_name(votes) == (_md_kind(votes) is None and "NAME" in votes)
