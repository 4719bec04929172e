"""More speed shortcuts checked against the plain rules they stand in for."""

from __future__ import annotations

import random

import pytest

from kg.nlp import rules

_CHARS = ("A", "b", "Z", "z", "0", "9", " ", " ", "\n", "\t", "\u00a0", "\u2003", "\x1c", "-", ",", ".", "É", "é",
          "\u212a", "_", "(", "x")


def _char_texts(n: int = 4000, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_CHARS) for _ in range(rng.randint(0, 16))) for _ in range(n)]


@pytest.mark.parametrize(("k", "rx"), [(rules._DS_NOUN_BACK_TAIL_WORDS, rules._DS_NOUN_BACK_TAIL),
                                       (rules._M_NOUN_BACK_TAIL_WORDS, rules._M_NOUN_BACK_TAIL)])
def test_cap_in_last_words_is_the_tail_regex(k: int, rx) -> None:
    rng = random.Random(k)
    for text in _char_texts():
        for _ in range(3):
            lo, hi = rng.randint(0, len(text) + 1), rng.randint(0, len(text) + 2)
            assert rules._cap_in_last_words(text, lo, hi, k) == bool(rx.search(text, lo, hi)), (text, lo, hi)


_LIST_PIECES = ("ImageNet", "COCO", "and", "or", "&", ",", ", ", "the", "large", "scale", "(", ")", "X-1", "mOSCAR",
                "3D", "é", "Über", ";", "a", "B", "2", "v2.0", "web-", "GPT-4", "ms", "-", ".", "/", "nuScenes", "_")


def _list_texts(n: int = 3000, seed: int = 17) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_LIST_PIECES) + rng.choice(("", " ", " ", " ", "  ", "\n", "\u00a0"))
                    for _ in range(rng.randint(0, 14))) for _ in range(n)]


def _plain_back_match(rx, text: str, lo: int, hi: int):
    for m in rules._NAME_START.finditer(text, lo, hi):
        r = rx.match(text, m.start(), hi)
        if r:
            return r
    return None


@pytest.mark.parametrize(("rx", "k"), [(rules._DS_NOUN_BACK, rules._DS_NOUN_BACK_TAIL_WORDS),
                                       (rules._M_NOUN_BACK, rules._M_NOUN_BACK_TAIL_WORDS)])
def test_back_match_from_the_list_words_start_is_the_plain_one(rx, k: int) -> None:
    rng = random.Random(k)
    for text in _list_texts():
        for hi in {len(text), rng.randint(0, len(text))}:
            lo = max(0, hi - rng.choice((150, 60, 20)))
            got, want = rules._back_match(rx, text, lo, hi, k), _plain_back_match(rx, text, lo, hi)
            assert (got and got.span()) == (want and want.span()), (text, lo, hi)


_TITLE_PIECES = ("Graph", "via", "VIA", "using", "based on", "and its", ":", "?", "!", " ", "  ", "\t", "\u00a0",
                 "Learning", "x", "with", "by", "-", "Detection", "object detection", "from", "leveraging", "Super-Resolution")


def _title_texts(n: int = 4000, seed: int = 19) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_TITLE_PIECES) + rng.choice(("", " ", " ", "  ")) for _ in range(rng.randint(0, 10)))
            for _ in range(n)]


def test_title_split_fast_is_title_split() -> None:
    for title in _title_texts():
        assert [m.span() for m in rules._TITLE_SPLIT_FAST.finditer(title)] == \
            [m.span() for m in rules._TITLE_SPLIT.finditer(title)], title


def test_title_has_head_reads_the_split_words() -> None:
    for title in _title_texts():
        words = rules._TITLE_WORD_END.split(title.lower())
        want = any(w in rules._HEADS_SET or w.rpartition("-")[2] in rules._HEADS_SET for w in words)
        assert rules._title_has_head(title) == want, title


_CASE_PIECES = ("World", "Knowledge", "Tree", "mBERT", "of", "for", "and", "via", "in", " ", "  ", "\n", "x", "model",
                "Network", "abcD", "-", "é", "Über", "We", "propose", "a", "GraphNet", "2D", ",")


def test_title_case_names_from_the_first_two_capitalised_words_is_the_plain_scan() -> None:
    rng = random.Random(23)
    for _ in range(4000):
        text = "".join(rng.choice(_CASE_PIECES) + rng.choice(("", " ", " ")) for _ in range(rng.randint(0, 12)))
        start, end = rng.randint(0, len(text)), len(text)
        sent = text[start:end]
        plain = [m.span() for m in rules._TITLE_CASE_SEQ.finditer(sent)] if rules._TWO_CAPWORDS.search(sent) else []
        two = rules._TWO_CAPWORDS.search(text, start, end)
        if two:
            first = two.start()
            while first > start and "a" <= text[first - 1] <= "z":
                first -= 1
            assert [m.span() for m in rules._TITLE_CASE_SEQ.finditer(sent, first - start)] == plain, (text, start)
        else:
            assert plain == [], text


def test_naming_all_reads_only_its_cue_words() -> None:
    rng = random.Random(29)
    pieces = ("We propose", "our", "models", "methods", "GraphNet", ",", "a", "novel", "framework", "called",
              "FooNet", "frameworks", "the", "systems", "new", "introduce", ".", "In this paper", "benchmarks")
    for _ in range(3000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        bounds = rules.sentence_bounds(text)
        own = rules.first_person_flags(text, bounds)
        every = rules.find_triggers(text, rules.NAMING_WORDS)
        cues = [t for t in every if t[2] in rules.NAMING_CUE_WORDS]
        assert list(rules.naming_all(text, bounds, own, 0, cues)) == list(rules.naming_all(text, bounds, own, 0, every))


def _plain_link_regions(text: str) -> list[tuple[int, int]]:
    """_link_regions with the plain hint pattern (a hint found at its start)."""
    from kg.nlp import components

    regions, end = [], 0
    for hit in components._LINK_HINT.finditer(text):
        i = hit.start()
        if i < end:
            continue
        s = i
        while s > 0 and not text[s - 1].isspace():
            s -= 1
        m = components._WS.search(text, i)
        end = m.start() if m else len(text)
        regions.append((s, end))
    return sorted(regions)


def test_link_regions_found_at_the_stops_are_the_plain_ones() -> None:
    from kg.nlp.components import _link_regions

    rng = random.Random(31)
    pieces = ("www", "WWW", ".", ":", "//", "com", "org", "io", "co", "x", " ", "\n", "https", "a.b", "w", ".IO", "me")
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        plain = _plain_link_regions(text)
        merged: list[tuple[int, int]] = []
        for s, e in plain:
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
            else:
                merged.append((s, e))
        assert _link_regions(text) == merged, text


def test_last_words_start_is_the_plain_one_for_any_whitespace() -> None:
    for text in _char_texts():
        found = list(rules._NONSPACE.finditer(text))
        for k in (1, 2, 3, 7):
            assert rules._last_words_start(text, k) == (found[-k:][0].start() if found else -1), (text, k)
