"""The shortcuts taken for speed give the same answers as the rules they stand in for."""

from __future__ import annotations

import random
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


# --------------------------------------------------------------------------- quick tests before slow regexes

_PIECES = ("We", "we", "propose", "a", "an", "the", "novel", "new", "ResNet-50", "mOSCAR", "word2vec", "non-IID",
           "e.g.", "i.e.", "et al.", "Fig.", "J.", "BERT", "model", "models", "on", "in", "In", "this", "This",
           "paper", "ImageNet", "CIFAR-10", "dataset", "datasets", "benchmark", "trained", "accuracy", "AP", "Ap",
           "Graph", "Neural", "Network", "of", "for", ",", ".", ";", ":", "—", "–", "-", "(", ")", "\"", "'", "/",
           "+", "@", "_", "\\", "\n", "\n\n", "  ", "Zürich", "ſuite", "3", "x2", "top-1", "GPT-4o", "pre-BERT")


def _fuzz_texts(n: int = 3000, seed: int = 7) -> list[str]:
    """Random strings of words, names and punctuation, glued with or without spaces: the shapes the shortcuts
    must get right."""
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) + rng.choice(("", " ", " ", " ", "\n")) for _ in range(rng.randint(0, 14)))
            for _ in range(n)]


def _cue_texts(n: int = 1500, seed: int = 11) -> list[str]:
    """Random phrases around the naming cues ("we propose X, a ...", "X, a novel ...")."""
    rng = random.Random(seed)
    parts = (("we propose", "We introduce", "present", "and design", "proposed"), ("", "a", "an", "the"),
             ("", "new", "novel", "simple"), ("sparse attention", "Graph Nets", "SimCLR", "fast  mixing", "x"),
             (",", " -", "—", "–", " ,", ";", ""), ("a", "an", "", "the"), ("method", " model", "", "."))
    return ["".join(rng.choice(p) + rng.choice(("", " ", " ")) for p in parts) for _ in range(n)]


def test_name_words_are_the_word_regex_matches() -> None:
    for text in _fuzz_texts():
        assert [m.span() for m in rules._name_words(text)] == [m.span() for m in rules._WORD.finditer(text)], text


_PLAIN_SENT_END = re.compile(r"[.!?](?:[\"')\]]*)\s+(?=[\"'(\[]?[A-Z0-9])|\n\s*\n")


def test_sentence_end_regex_finds_what_the_plain_one_finds() -> None:
    for text in _fuzz_texts():
        assert [m.span() for m in rules._SENT_END.finditer(text)] == [m.span() for m in
                                                                       _PLAIN_SENT_END.finditer(text)], text


@pytest.mark.parametrize("piece", ["see e.g.", "et al.", "(Fig.", "J.", "done.", "of NLP.", "Figs.", "xe.g.", "Inc.",
                                   "a.", "St.", "teal."])
def test_abbreviation_quick_test_agrees_with_the_regex(piece: str) -> None:
    assert rules._abbreviation(piece) == bool(rules._ABBREV.search(piece))


def test_abbreviation_on_fuzz() -> None:
    for text in _fuzz_texts():
        for i in [i for i, ch in enumerate(text) if ch == "."]:
            piece = text[max(0, i - 8):i + 1]
            assert rules._abbreviation(piece) == bool(rules._ABBREV.search(piece)), piece


@pytest.mark.parametrize(("rx", "tail"), [(rules._APPOS_BACK, rules._APPOS_BACK_TAIL),
                                          (rules._DS_NOUN_BACK, rules._DS_NOUN_BACK_TAIL),
                                          (rules._M_NOUN_BACK, rules._M_NOUN_BACK_TAIL)])
def test_back_match_quick_tail_test_changes_nothing(rx: re.Pattern, tail: re.Pattern) -> None:
    for text in _fuzz_texts(1000) + _cue_texts(500):
        for hi in range(len(text) + 1):
            for lo in (0, max(0, hi - 20)):
                plain = rules._back_match(rx, text, lo, hi)
                quick = rules._back_match(rx, text, lo, hi, tail)
                assert (plain and plain.span(1)) == (quick and quick.span(1)), (text, lo, hi)


def test_trained_context_agrees_with_the_regex() -> None:
    samples = [*_fuzz_texts(), "We TRAIN on", "Top-1 Accuracy on", "the mAP on", "with an AP of", "Kelvin on",
               "ſota on", "pretrained on", "nothing here on"]
    for text in samples:
        assert rules._trained_context(text) == bool(rules._DS_ON_CONTEXT.search(text)), text


def _plain_trim_task(words: list[str]) -> list[str]:
    keep: list[str] = []
    for w in reversed(words):
        lw = w.lower()
        if lw in rules._TRIM_STOP:
            break
        if keep:
            if lw in rules.LEX.task_verbs or (lw.endswith(rules._BASE_VERB_ENDS) and len(lw) > 5 and
                                              lw not in rules._NOT_VERBS):
                break
            if lw.endswith("ing") and lw not in rules._GERUND_OK:
                break
            if lw.endswith("ly") and len(lw) > 4 and lw not in rules._LY_OK:
                break
            if not lw.isalpha() and any(ch.isdigit() for ch in lw):
                break
        keep.append(w)
    keep.reverse()
    return keep


@pytest.mark.parametrize("phrase", ["we address salient object detection", "a fully supervised image segmentation",
                                    "by improving 3D pose estimation", "the hypothesize whether action recognition",
                                    "study learning", "tracking", "the noise removal", "newly emerging anomaly detection"])
def test_trim_task_word_classes_agree_with_the_plain_rule(phrase: str) -> None:
    words = phrase.split()
    for k in range(len(words)):
        assert rules._trim_task(words[k:]) == _plain_trim_task(words[k:])


def test_quick_tests_of_the_naming_regexes_hold_for_every_match() -> None:
    for text in _fuzz_texts() + _cue_texts():
        if rules._TITLE_CASE_SEQ.search(text):
            assert rules._TWO_CAPWORDS.search(text), text
        for i in range(len(text)):
            if rules._PROPOSE_DESC.match(text, i):
                assert rules._DESC_APPOS.search(text, i), text


def test_first_person_flags_quick_test_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [*_fuzz_texts(), "In this paper, we study X. In this work we propose Y. This paper presents Z."]
    quick = [rules.first_person_flags(t, rules.sentence_bounds(t)) for t in texts]
    monkeypatch.setattr(rules, "_FIRST_PERSON_NEXT", {})
    assert quick == [rules.first_person_flags(t, rules.sentence_bounds(t)) for t in texts]


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


def test_holds_token_agrees_with_the_token_offsets() -> None:
    import spacy

    from kg.nlp.components import _holds_token, _to_tokens

    nlp = spacy.blank("en")
    rng = random.Random(5)
    for text in _fuzz_texts(600):
        doc = nlp.make_doc(text)
        for _ in range(12):
            start = rng.randint(-1, len(text) + 1)
            c = (start, start + rng.randint(-1, 8))
            assert _holds_token(doc, text, c) == (_to_tokens(doc, [c])[0] is not None), (text, c)


def test_triggers_sorted_into_lists_are_the_plain_scan_filtered() -> None:
    import spacy

    from kg.nlp.components import _TRIGGER_LISTS, _word_set

    nlp = spacy.blank("en")
    texts = [*_fuzz_texts(600), *_cue_texts(300), "In this paper WE propose datasets, on ImageNet; Our TASKS."]
    for text in texts:
        doc = nlp.make_doc(text)
        doc.user_data["kg_text"] = text
        everything = _word_set(doc.vocab, "all").scan(doc)
        # the word read from the hash is the token's text in lowercase
        assert all(text[s:e].lower() == w for s, e, w in everything), text
        for name, words in _TRIGGER_LISTS.items():
            for start in (0, len(text) // 2):
                got = _word_set(doc.vocab, name).find(doc, start)
                assert got == [t for t in everything if t[0] >= start and t[2] in words], (text, name)


def _kept_name_words(text: str, cap_words: re.Pattern) -> list[tuple[int, int]]:
    """The words of _name_words that shaped_names goes on to read (not plainly written, not a number)."""
    return [m.span() for m in rules._name_words(text, cap_words)
            if not (m.group(0)[1:].islower() or m.group(0).isdigit())]


def test_shape_words_skip_only_the_words_shaped_names_skips() -> None:
    rng = random.Random(3)
    glued = ("Model2", "A-b2", "20.-", "2023", "3d", "1.5", "x2", "Ab_c", "Über", "AbÜ", "M2-b", "a2b", "Ab+", "AB.c",
             "Xy/z", "3-d", "9_", "mOSCAR", "Ab@c", "Ab\\c", "Abc-.", "Ab.C")
    texts = [*_fuzz_texts(), *("".join(rng.choice(glued) + rng.choice(("", " ", "-", ".", "/")) for _ in range(6))
                               for _ in range(3000))]
    for text in texts:
        assert _kept_name_words(text, rules._SHAPE_CAP_WORD) == _kept_name_words(text, rules._CAP_WORD), text


def test_title_tasks_quick_test_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    assert all(h == h.lower() and h[-1:].isalnum() and not re.search(r"[\s:?!]", h) for h in rules._HEADS_SET)
    rng = random.Random(9)
    words = ("Object", "Detection", "detection:", "Super-Resolution", "red-teaming", "Add-on", "for", "in", "on",
             "via", "Learning", "Segmentation?", "X:Detection", "Graph", "Ranking!", "towards", "Tracking", ":", "and")
    titles = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 9))) for _ in range(3000)]
    titles += [t.replace(" ", rng.choice(("", "-", ": ", "  "))) for t in titles[:500]]
    quick = [list(rules.title_tasks(t)) for t in titles]
    monkeypatch.setattr(rules, "_title_has_head", lambda title: True)
    assert quick == [list(rules.title_tasks(t)) for t in titles]


def test_stems_follow_agrees_with_the_stem_regex() -> None:
    rng = random.Random(13)
    pieces = ("unif", "Unified", "func", "FUNCTIONAL", "hash", "hashing", "-", "_", " ", "  ", "\n", "\t", "\x1c", "(",
              ")", "x", "2", "-net", ".", "a-b", "c++", "+")
    for _ in range(6000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        stems = [rng.choice(("unif", "func", "Hash", "(x", "c++", "a-b", "x2", "-net")) for _ in range(rng.randint(1, 3))]
        pattern = r"\b" + r"\s+".join(re.escape(s) + r"[\w-]*" for s in stems)
        assert rules._stems_follow(stems, text.lower()) == bool(re.search(pattern, text, re.I)), (stems, text)


def _plain_head_phrase_words(ws: list[str], head: str) -> list[str] | None:
    """The words before the head that task_phrases kept, as it read them before :func:`rules._head_phrase_words`."""
    pre: list[str] = []
    for w in reversed(ws):
        if not rules._phrase_word(w):
            break
        pre.append(w)
    pre.reverse()
    if head[:1].isupper() and pre and pre[-1][:1].isupper():
        return None
    if any(w[:1].isupper() and not w.isupper() for w in pre[1:]):
        pre = []
    words = rules._trim_task([*pre, head])
    assert words and words[-1] == head  # a head that is not _STOPS is always kept
    return words[:-1]


def test_head_phrase_words_agree_with_the_plain_rule() -> None:
    rng = random.Random(17)
    pieces = ("the", "a", "fully", "supervised", "Graph", "GRAPH", "image", "3D", "v2", "improving", "learning",
              "hypothesize", "noise", "(x)", "x,", "we", "address", "Object", "salient", "c++", "Self-Supervised",
              "semi-supervised", "e.g.", "anomaly", "of", "İmage", "ſalient", "to")
    heads = ("detection", "Detection", "segmentation", "learning", "tracking", "super-resolution", "Ranking")
    for _ in range(20000):
        ws = [rng.choice(pieces) for _ in range(rng.randint(0, 4))]
        head = rng.choice(heads)
        if rules._trim_word(head) == rules._STOPS:
            continue
        assert rules._head_phrase_words(ws, head) == _plain_head_phrase_words(ws, head), (ws, head)


def _plain_cue_before(before: str, words: frozenset[str] = rules._CUE_BEFORE_WORDS) -> bool:
    if not before or not before[-1].isspace():
        return False
    ws = before.lower().split()
    if ws and ws[-1] == "the":
        ws.pop()
    return bool(ws) and ws[-1].lstrip("([") in words


def test_task_cue_tests_agree_with_the_plain_ones() -> None:
    # \s in a str pattern is str.isspace: the first test of _cue_after
    assert all(bool(re.match(r"\s", chr(c))) == chr(c).isspace() for c in range(0x110000))
    rng = random.Random(19)
    cues = ("for", "the", "The", "(for", "[study", "study", "address", "of", "x", "in", "On")
    texts = [*_fuzz_texts(), *(t + rng.choice((" tasks", "\ttasks.", " Problems", " benchmark", "  task"))
                               for t in _fuzz_texts(300)),
             *(" ".join(rng.choice(cues) for _ in range(rng.randint(0, 4))) + rng.choice(("", " ", "  ", "\n"))
               for _ in range(3000))]
    for text in texts:
        for e in range(len(text) + 1):
            assert rules._cue_after(text, e) == bool(rules._TASK_CUE_AFTER.match(text[e:e + 12])), (text, e)
            before = text[max(0, e - 30):e]
            for words in (rules._CUE_BEFORE_WORDS, rules._STRONG_CUE_WORDS):
                assert rules._cue_before(before, words) == _plain_cue_before(before, words), before


def _plain_initials_match(short: str, long: str) -> int:
    letters = "".join(c.lower() for c in short if c.isalnum())
    words = list(rules._NONSPACE.finditer(long))
    n = min(len(words), len(letters))
    plain_of = [w.group(0)[0].lower() for w in words[len(words) - n:]]
    parts_of = ["".join(p[0].lower() for p in rules._HYPHEN_SLASH.split(w.group(0)) if p)
                for w in words[len(words) - n:]]
    for k in range(1, n + 1):
        if letters in ("".join(plain_of[n - k:]), "".join(parts_of[n - k:])):
            return words[len(words) - k].start()
    return -1


def test_acronym_shortcuts_agree_with_the_plain_rules() -> None:
    rng = random.Random(23)
    words = ("Graph", "neural", "network", "Self-Attention", "self/attention", "-", "/", "İnfo", "of", "the", "x",
             "Long", "short-term", "memory", "\n", "  ")
    shorts = ("GNN", "SA", "LSTM", "İN", "G-N", "x", "SAs", "N2", "ſa")
    for _ in range(20000):
        long = " ".join(rng.choice(words) for _ in range(rng.randint(0, 9)))
        short = rng.choice(shorts)
        assert rules._initials_match(short, long) == _plain_initials_match(short, long), (short, long)
        for k in (1, 2, 5, 30):
            found = list(rules._NONSPACE.finditer(long))
            assert rules._last_words_start(long, k) == (found[-k:][0].start() if found else -1), (long, k)
    for s in ("GNN", "GNNs", "Ab", "aB", "a", "ABs", "x-Y", "G.N.N", "Über", "ſA", "AB CD", "A1"):
        plain = (bool(rules._ACRO.fullmatch(s)) and sum(c.isupper() for c in (s[:-1] if s.endswith("s") and len(s) > 2
                                                                               and s[-2].isupper() else s)) >= 2)
        core = s[:-1] if s.endswith("s") and len(s) > 2 and s[-2].isupper() else s
        plain = plain or (bool(rules._ACRO.fullmatch(s)) and any(c.isupper() for c in core[1:]) and len(core) >= 2)
        assert rules._acronym_like(s) == plain, s


def _plain_sentence_bounds(text: str, title_end: int = 0) -> list[tuple[int, int]]:
    """sentence_bounds as it was before the abbreviation quick test was made on the text itself."""
    bounds: list[tuple[int, int]] = []
    start = 0
    if title_end:
        bounds.append((0, title_end))
        start = title_end
        while start < len(text) and text[start].isspace():
            start += 1
    for m in rules._SENT_END.finditer(text, start):
        end = m.start() + 1 if text[m.start()] in ".!?" else m.start()
        if text[m.start()] == "." and rules._abbreviation(text[max(start, m.start() - 8):m.start() + 1]):
            continue
        if end > start:
            bounds.append((start, end if text[m.start()] not in ".!?" else m.start() + 1))
        start = m.end()
    if start < len(text) and text[start:].strip():
        bounds.append((start, len(text.rstrip())))
    return bounds


def test_sentence_bounds_agree_with_the_plain_rule() -> None:
    for text in [*_fuzz_texts(), "Title.\n\nAbstract. J. Doe et al. found it. Fig. 2 shows! Yes? No.", "A.B. C."]:
        for title_end in {0, 1, 3, text.find("\n") + 1, len(text) // 2}:
            assert rules.sentence_bounds(text, title_end) == _plain_sentence_bounds(text, title_end), (text, title_end)


def test_function_component_pipe_runs_a_whole_batch_before_passing_docs_on() -> None:
    import spacy

    from kg.nlp.components import FunctionComponent

    nlp = spacy.blank("en")
    seen: list[str] = []

    def record(doc):
        seen.append(doc.text)
        return doc

    comp = FunctionComponent("rec", record)
    docs = (nlp.make_doc(t) for t in ("one", "two", "three"))
    out = comp.pipe(docs, batch_size=2)
    assert next(out).text == "one"
    assert seen == ["one", "two"]  # the second doc of the batch is annotated before the first is passed on
    assert [d.text for d in out] == ["two", "three"]
    assert comp(nlp.make_doc("four")).text == "four" and seen[-1] == "four"


def test_every_kg_component_pipes_the_same_rows_as_it_annotates_one_doc() -> None:
    from kg.models import PaperRecord
    from kg.nlp import Extractor

    ex = Extractor()
    records = [PaperRecord(id=str(i), title=t, abstract=a) for i, (t, a) in enumerate([
        ("FooNet: Fast Nets", "We propose FooNet, trained on the BarSet dataset. It beats ResNet-50 on ImageNet."),
        ("A Study", "We study image segmentation with the QuxNet model (QN). Code: https://github.com/a/b."),
        ("Short", "Nothing to see here."),
    ])]
    one_by_one = [ex.extract(r) for r in records]
    assert list(ex.pipe(records, batch_size=2)) == one_by_one
    for name, proc in ex.nlp.pipeline:
        assert hasattr(proc, "pipe"), name
