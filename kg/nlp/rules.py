"""The extractor's rules as plain functions over text: regular expressions and word lists, no spaCy.

Every function returns candidates as ``(start, end, label, rule, confidence)`` tuples with
character offsets into the text it was given; the spaCy components in
:mod:`kg.nlp.components` turn them into spans. Keeping the rules here keeps them fast
(one regex pass instead of a Python loop per token) and easy to test on their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from operator import itemgetter

from kg.nlp.lexicon import lexicon

Cand = tuple[int, int, str, str, float]

LEX = lexicon()


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_SLASH_NUM = re.compile(r"/\d+$")
_NONSPACE = re.compile(r"[^\s]+")
_HYPHEN_SLASH = re.compile(r"[-/]")
_AND = re.compile(r"\s+and\s+")
_LIST_ITEM = re.compile(r"(?:(?!\s+(?:and|or)\s)[^,&])+")
_LIST_LEAD = re.compile(r"\s*(?:(?:and|or)\s+)?")
_LIST_ART = re.compile(r"(?:and|or|the)\s+")
_PHRASE_WORD = re.compile(r"[\w+\-]+")

_NAME_START = re.compile(r"(?<![\w+\-./])(?=[A-Z0-9]|[a-z]+[A-Z])")


def _back_match(rx: re.Pattern, text: str, lo: int, hi: int, tail: re.Pattern | int | None = None):
    """The longest match of ``rx`` (a pattern anchored with ``$``) that ends at ``hi`` and starts at a name-like
    word in ``text[lo:hi]``; tried only where such a word starts, so much cheaper than ``rx.search``.

    ``tail`` is a quick test: a pattern that the end of every match of ``rx`` matches too (found with a fast
    scan for its first character); where it does not occur in ``text[lo:hi]``, ``rx`` cannot match either. A
    number ``k`` stands for the pattern ``[A-Z0-9]\\S*(?:\\s+\\S+){0,k-1}\\s+$`` (see :func:`_cap_in_last_words`)."""
    if tail is not None:
        if type(tail) is int:
            # (_cap_in_last_words, inlined: ``hi`` past the text is the text's end, as it is to the regex engine)
            if hi > len(text):
                hi = len(text)
            if hi <= lo or not text[hi - 1].isspace() or \
                    not _CAP_OR_DIGIT.search("".join(text[lo:hi].rsplit(None, tail)[-tail:])):
                return None
            # (the patterns read with a number are _DS_NOUN_BACK and _M_NOUN_BACK: see _list_words_start)
            lo = _list_words_start(text, lo, hi, 3 if rx is _M_NOUN_BACK else 0)
        elif not tail.search(text, lo, hi):
            return None
    for m in _NAME_START.finditer(text, lo, hi):
        r = rx.match(text, m.start(), hi)
        if r:
            return r
    return None


_CAP_OR_DIGIT = re.compile(r"[A-Z0-9]")
_LIST_GLUE = frozenset({",", "and", "or", "&"})


@lru_cache(maxsize=65536)
def _list_word(word: str) -> bool:
    """A word (from ``str.split``) that can stand in a list of names: it holds an ASCII capital or digit (as every
    name word of _NAMEW does), or it is a comma or "and", "or", "&" between them. Cached."""
    return word in _LIST_GLUE or _CAP_OR_DIGIT.search(word) is not None


def _list_words_start(text: str, lo: int, hi: int, most: int = 0) -> int:
    """Where the run of :func:`_list_word` words before the last two words of ``text[lo:hi]`` starts (``lo`` when
    it reaches back to ``lo``): no match of _DS_NOUN_BACK or _M_NOUN_BACK that ends at ``hi`` starts before it.

    Such a match is a list of names (_DSLIST: name words joined by single spaces, commas and "and", "or", "&";
    _M_NOUN_BACK's names are one such run) and, for _DS_NOUN_BACK, up to two lowercase words, then whitespace up
    to ``hi``. Split at whitespace, every word of it before those two is a list word; the word where it starts is
    one too: from the match start on, it starts a name word. So a word before the last two that is no list word
    lies wholly before the match.

    ``most`` > 0: a match spans at most that many words (_M_NOUN_BACK: three names joined by spaces or hyphens),
    so only the last ``most`` words are read, and the run starts no sooner than the first of them."""
    seg = text[lo:hi]
    if most:
        parts = seg.rsplit(None, most)
        more = len(parts) > most  # words before the last ``most``: parts[0] holds them
        words = parts[1:] if more else parts
    else:
        words, more = seg.split(), False
    i = len(words) - 2
    while i > 0 and _list_word(words[i - 1]):
        i -= 1
    if i <= 0:
        return lo + len(parts[0]) if more else lo  # (the end of the word before the first of the last ``most``)
    return lo + len(seg.rsplit(None, len(words) - i)[0])  # the end of words[i - 1]


def _cap_in_last_words(text: str, lo: int, hi: int, k: int) -> bool:
    r"""``re.search(r"[A-Z0-9]\S*(?:\s+\S+){0,k-1}\s+$", text[lo:hi])`` for ``k`` >= 1, without the regex engine
    trying every capital of the stretch: the stretch ends in whitespace and one of its last ``k`` words (runs of
    characters that are not whitespace: ``\S`` is ``not str.isspace``, as ``str.split`` reads them) holds an ASCII
    capital or digit (``\S*`` from that character reaches the end of its word, the words after it and the
    whitespace before ``hi`` are the rest)."""
    hi = min(hi, len(text))
    if hi <= lo or not text[hi - 1].isspace():
        return False
    return bool(_CAP_OR_DIGIT.search("".join(text[lo:hi].rsplit(None, k)[-k:])))


Trigger = tuple[int, int, str]  # start, end, lowercased word
_TRIGGER_WORD = re.compile(r"[A-Za-z0-9]+")


def find_triggers(text: str, words: frozenset[str], start: int = 0, end: int | None = None) -> list[Trigger]:
    """Positions of the words of ``words`` (lowercase) in ``text``. The spaCy components get the same list
    from the token array instead (see ``kg.nlp.components.WordSet``); this is the plain-text fallback."""
    end = len(text) if end is None else end
    return [(m.start(), m.end(), m.group(0).lower()) for m in _TRIGGER_WORD.finditer(text, start, end)
            if m.group(0).lower() in words]


# --------------------------------------------------------------------------- sentences

_ABBREVIATIONS = ("e.g", "i.e", "et al", "etc", "vs", "cf", "Fig", "Figs", "Eq", "Eqs", "Sec", "Tab", "No", "resp",
                  "approx", "ca", "Dr", "Mr", "Ms", "Prof", "Inc", "Ltd", "Corp", "St", "al")
_ABBREV = re.compile(rf"(?:\b(?:{'|'.join(re.escape(a) for a in _ABBREVIATIONS)})\.|\b[A-Z]\.)$")
# a full stop (or ! ?) before a capital or a digit, or a blank line; the first character is matched outside the
# two alternatives so that the regex engine jumps from one such character to the next instead of trying every one
_SENT_END = re.compile(r"[.!?\n](?:(?<=[.!?])(?:[\"')\]]*)\s+(?=[\"'(\[]?[A-Z0-9])|(?<=\n)\s*\n)")
#: every match of _ABBREV ends in one of these (or in a capital and a full stop)
_ABBREV_ENDS = tuple(a + "." for a in _ABBREVIATIONS)
#: the last three characters of every one of _ABBREV_ENDS (each has three or more): a quick test before the
#: ``endswith`` of them all
_ABBREV_END3 = frozenset(a[-3:] for a in _ABBREV_ENDS)
if not all(len(a) >= 3 for a in _ABBREV_ENDS):
    raise ValueError("an abbreviation must have two or more characters before its full stop")


def _abbreviation(piece: str) -> bool:
    """``piece`` (a few characters ending in a full stop) ends in an abbreviation ("e.g.", "et al.", "Fig.", "J.").
    The cheap suffix test first: most full stops end a sentence."""
    if not (piece.endswith(_ABBREV_ENDS) or "A" <= piece[-2:-1] <= "Z"):
        return False
    return bool(_ABBREV.search(piece))


def sentence_bounds(text: str, title_end: int = 0) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``; ``title_end`` > 0 closes a title sentence there."""
    bounds: list[tuple[int, int]] = []
    start = 0
    if title_end:
        bounds.append((0, title_end))
        start = title_end
        while start < len(text) and text[start].isspace():
            start += 1
    for m in _SENT_END.finditer(text, start):
        ms = m.start()
        if text[ms] == "\n":  # a blank line
            if ms > start:
                bounds.append((start, ms))
        else:
            # ".", "!" or "?": a full stop may end an abbreviation. :func:`_abbreviation`'s quick test is made on
            # the text itself (``endswith`` with bounds is ``piece.endswith``, ``text[ms - 1]`` is ``piece[-2]``
            # when the piece has two characters), so the piece is sliced only where it may end in one
            if text[ms] == "." and ((text[max(0, ms - 2):ms + 1] in _ABBREV_END3 and
                                     text.endswith(_ABBREV_ENDS, max(start, ms - 8), ms + 1)) or
                                    (ms > start and "A" <= text[ms - 1] <= "Z")) and \
                    _ABBREV.search(text[max(start, ms - 8):ms + 1]):
                continue
            bounds.append((start, ms + 1))  # (ms >= start: the sentence, with its full stop, is never empty)
        start = m.end()
    if start < len(text) and text[start:].strip():
        bounds.append((start, len(text.rstrip())))
    return bounds


# --------------------------------------------------------------------------- name shapes

# words that start with a capital or a digit, or have one after lowercase letters ("mOSCAR", "word2vec")
# (``\b`` and the possessive ``*+`` do not change what matches: they let the regex engine give up sooner)
_WORD = re.compile(r"\b(?<![\w+\-/.@\\])(?:[A-Z0-9]|[a-z][a-z+\-./]*+[A-Z0-9])(?:[\w+\-./]*[\w+])?")
# _WORD's matches, found faster: every one holds a capital or a digit, and the regex engine jumps from one of those
# to the next (a word that starts with a capital or digit is matched whole; one that starts in lowercase, "mOSCAR",
# is marked at its first capital or digit and read from its start with _WORD, see _name_words)
_CAP_WORD = re.compile(r"[A-Z0-9](?:(?<![\w+\-/.@\\][A-Z0-9])(?:[\w+\-./]*[\w+])?|(?<=[a-z+\-./][A-Z0-9]))")
# _CAP_WORD without the words shaped_names skips at once: a word that starts here and is plainly written, with
# ASCII lowercase letters after its first character and no capital ("Model", "Self-supervised", "3d": its
# ``word[1:].islower()``), or a number ("2023"). The regex engine passes over them (no Python loop turn each):
# within such a word no match of _CAP_WORD starts that _name_words would yield (a digit inside, "Model2", starts a
# one-character match whose word begins in the skipped one, and _WORD does not match inside a word).
_PLAIN_WORD_REST = r"(?=[0-9_+\-./]*[a-z])[a-z0-9_+\-./]*+(?![\w+\-./])|(?<=[0-9])[0-9]*+[\-./]*+(?![\w+\-./])"
_SHAPE_CAP_WORD = re.compile(
    rf"[A-Z0-9](?:(?<![\w+\-/.@\\][A-Z0-9])(?!{_PLAIN_WORD_REST})(?:[\w+\-./]*[\w+])?|(?<=[a-z+\-./][A-Z0-9]))")
_LOWER_RUN = frozenset("abcdefghijklmnopqrstuvwxyz+-./")  # _WORD's [a-z+\-./] before the capital of "mOSCAR"
_LOWER_TAIL = re.compile(r"(?:-[a-z]{3,})+$")
# "PDE-Constrained", "Task-Agnostic": a capitalised adjective after a hyphen makes a compound adjective
_ADJ_TAIL = re.compile(r"(?:-[A-Z][a-z]+(?:ed|ing|ive|al|ic|less|ful|ous|able|ible|ant|ent))+$")
_VERSION = re.compile(
    r"(?:[ -](?:\d+(?:\.\d+)*[BMKbmk]?|v\d+(?:\.\d+)*|XL|XXL|Large|Base|Small|Tiny|Huge|Giant|large|base|Pro|Ultra|Turbo|Opus|Sonnet|Haiku|Mini))(?![\w%+]|\.\d|\s+(?:times|epochs?|layers?|steps?|points?|heads?|tokens?|samples?|images?|"
    r"examples?|runs?|seeds?|GPUs?|hours?|days?)\b)"
)
_NUMBERISH = re.compile(r"[\d.,]+(?:[a-zA-Z]{1,2}|%)?|[\d.,]+[-\s]?(?:[a-z]+)|[xX]\d+|\d+[xX]|[A-Za-z]?\d+(?:\.\d+)?[kKmMbBxX]?")
_AFFIX = re.compile(
    r"-(?:based|style|like|driven|powered|generated|aware|guided|specific|free|level|wise|only|centric|enhanced|"
    r"augmented|assisted|friendly|scale|sized|size|type|class|grade|inspired|oriented|related|derived|trained|tuned|"
    r"finetuned|fine-tuned|pretrained|pre-trained|initialized|conditioned|supervised|compatible|equivalent|"
    r"generation|produced|annotated|labeled|labelled|scored|judged|as-a-judge|bench|ready|native|in-the-loop|"
    r"agnostic|dependent|independent|invariant|equivariant|centred|centered|alignment|training|distilled|family|"
    r"series|initialised|pretraining|pre-training|finetuning|fine-tuning|filtered|curated|cleaned)$",
    re.I,
)
_ROMAN = re.compile(r"(?i)[ivxlc]+")


@lru_cache(maxsize=131072)
def is_shaped(word: str) -> bool:
    """A word shaped like a proper name: two capitals, a capital and a digit, or an inner capital.

    Hyphenated words are judged part by part, so Title-Case compounds ("Self-Supervised") are not names.
    """
    if "-" in word.strip("-"):
        parts = [p for p in word.split("-") if p]
        if any(p.isdigit() for p in parts[1:]) and any(c.isupper() for c in parts[0]):
            return True
        return any(_shaped_part(p) for p in parts)
    return _shaped_part(word)


def _shaped_part(word: str) -> bool:
    letters = sum(ch.isalpha() for ch in word)
    if letters == 0 or len(word) < 2:
        return False
    if _NUMBERISH.fullmatch(word) or (_ROMAN.fullmatch(word) and word.isupper() and len(word) <= 4):
        return False
    uppers = sum(ch.isupper() for ch in word)
    if uppers >= 2:
        return True
    if uppers == 1 and any(ch.isdigit() for ch in word) and letters >= 2:
        return True
    return word[0].islower() and uppers >= 1


_HYPHEN_TAIL = re.compile(r"-[\w-]+")


def affix_follows(text: str, end: int) -> bool:
    """An affix ("-based", "-like", "-pretrained") follows the word ending at ``end``."""
    m = _HYPHEN_TAIL.match(text, end)
    return bool(m and _AFFIX.search(m.group(0)))


def _name_words(text: str, cap_words: re.Pattern = _CAP_WORD) -> Iterator[re.Match]:
    """``_WORD.finditer(text)``, faster (with ``cap_words`` _SHAPE_CAP_WORD: without the plainly written words).

    A match of _WORD cannot start inside another (its characters are all ones its look-behind excludes), so its
    matches are all the places where it matches: the words that start with a capital or a digit (``_CAP_WORD``
    matches them whole) and the words that start in lowercase and reach a capital or digit through
    ``[a-z+-./]*`` ("mOSCAR", "non-IID"), whose start is found by going back from that capital.
    """
    for m in cap_words.finditer(text):
        q = m.start()
        if m.end() > q + 1 or text[q - 1:q] not in _LOWER_RUN:
            yield m  # a word that starts here (a one-letter word has nothing of _LOWER_RUN before it)
            continue
        r = q - 1
        while r > 0 and text[r - 1] in _LOWER_RUN:
            r -= 1
        if "a" <= text[r] <= "z":
            w = _WORD.match(text, r)
            if w:
                yield w


@lru_cache(maxsize=65536)
def _shaped_core(word: str) -> str | None:
    """The name :func:`shaped_names` reads in a word (a prefix of it: affixes, trailing punctuation and lowercase
    tails cut off), or None where the word holds no name. A function of the word alone, cached."""
    if word[1:].islower() or word.isdigit():
        return None
    while True:
        cut = _AFFIX.search(word)
        if not cut:
            break
        word = word[: cut.start()]
    word = word.rstrip(".-/")
    if "/" in word and not _SLASH_NUM.search(word):
        return None
    tail = _LOWER_TAIL.search(word) or _ADJ_TAIL.search(word)
    if tail and tail.start() > 0:
        word = word[: tail.start()].rstrip(".-/")  # "MoCo---namely" -> "MoCo"
    if "_" in word:
        return None
    if not is_shaped(word):
        return None
    return word


def shaped_names(text: str) -> Iterator[tuple[int, int]]:
    """Spans of name-shaped words (with a following version or size marker), affixes like ``-based`` cut off."""
    for m in _name_words(text, _SHAPE_CAP_WORD):
        word = _shaped_core(m.group(0))
        if word is None:
            continue
        start = m.start()
        end = start + len(word)
        if end == m.end():
            v = _VERSION.match(text, end)
            while v:
                end = v.end()
                v = _VERSION.match(text, end)
        yield start, end


# --------------------------------------------------------------------------- acronyms

_PAREN = re.compile(r"\(\s*([^()]{1,80}?)\s*\)")
_ACRO = re.compile(r"[A-Za-z][\w+\-./&]{0,19}")
_LEFT_WORD = re.compile(r"([\w+\-'/.&]+)\s*$")


@lru_cache(maxsize=65536)
def _acronym_like(s: str) -> bool:
    core = s[:-1] if s.endswith("s") and len(s) > 2 and s[-2].isupper() else s
    # (``A and B or A and C`` as ``A and (B or C)``: the pattern is matched once)
    return bool(_ACRO.fullmatch(s)) and (
        sum(c.isupper() for c in core) >= 2 or (any(c.isupper() for c in core[1:]) and len(core) >= 2))


@lru_cache(maxsize=65536)
def _word_initials(word: str) -> tuple[str, str]:
    """A word's initial, and the initials of its hyphen or slash parts, in lowercase ("Self-Attention": s, sa);
    cached, the same words come back in every abstract."""
    return word[0].lower(), "".join(p[0].lower() for p in _HYPHEN_SLASH.split(word) if p)


def _initials_match(short: str, long: str) -> int:
    """Start of the last words of ``long`` whose initials (and hyphen parts' initials) spell ``short``, or -1."""
    letters = _letters(short)
    words = long.split()  # (the runs of _NONSPACE: ``\s`` is ``str.isspace``, as ``split`` reads whitespace)
    n = min(len(words), len(letters))
    # the initials of the last k words, whole and by hyphen part, grown one word at a time from the end
    plain = parts = ""
    for k in range(1, n + 1):
        w = words[len(words) - k]
        p1, p2 = _word_initials(w)
        plain, parts = p1 + plain, p2 + parts
        if letters in (plain, parts):
            # the start of the k-th last word: the first place the word occurs after the words before it (the
            # whitespace between holds no part of it)
            return long.index(w, len(long.rsplit(None, k)[0])) if k < len(words) else long.index(w)
    return -1


@lru_cache(maxsize=65536)
def _alnum_count(short: str) -> int:
    """How many letters and digits an acronym has (cached)."""
    return sum(1 for c in short if c.isalnum())


@lru_cache(maxsize=65536)
def _letters(short: str) -> str:
    """The letters and digits of an acronym, in lowercase (cached)."""
    return "".join(c.lower() for c in short if c.isalnum())


def _last_words_start(left: str, k: int) -> int:
    r"""``list(_NONSPACE.finditer(left))[-k:][0].start()`` for ``k`` >= 1, or -1 when ``left`` has no word: the
    start of the k-th last word (the first word when there are fewer). Read with ``rsplit``, which splits off only
    the last k words (its words are _NONSPACE's runs: ``\s`` is ``str.isspace``, as ``str.split`` reads whitespace)."""
    parts = left.rsplit(None, k)
    if not parts:
        return -1
    if len(parts) > k:  # parts[0] holds the words before: the k-th last word is the first run after them
        return left.index(parts[1], len(parts[0]))
    return len(left) - len(left.lstrip())


def _sh_match(short: str, long: str, relaxed: bool = False) -> int:
    """Schwartz & Hearst (2003): start index in ``long`` of the shortest suffix that spells ``short``, or -1.

    ``relaxed`` lets the first letter sit inside the first word ("extreme ... (XMC)").
    """
    s = [c.lower() for c in short if c.isalnum()]
    lw = long.lower()
    si, li = len(s) - 1, len(lw) - 1
    if not s:
        return -1
    while si >= 0:
        c = s[si]
        while li >= 0 and (lw[li] != c or (si == 0 and not relaxed and li > 0 and lw[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return -1
        si -= 1
        li -= 1
    return li + 1


_ACRO_SEP = re.compile(r"\s*[;,]\s*")


@lru_cache(maxsize=65536)
def _shaped_with_digit(word: str) -> bool:
    """A name-shaped word with a digit ("3D-ResNet-50"), cached."""
    return is_shaped(word) and any(c.isdigit() for c in word)


def acronym_pairs(text: str) -> Iterator[tuple[int, int, int, int]]:
    """``(long_start, long_end, short_start, short_end)`` for "long form (SF)" and "SF (long form)"."""
    for m in _PAREN.finditer(text):
        inner = m.group(1)
        inner_start = m.start(1)
        # "long form (SF)" or "long form (SF; ...)" / "(SF, ...)"
        first = _ACRO_SEP.split(inner, 1)[0].rstrip("-./")
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-_"):
            continue  # "block(HDTB)": no space before the bracket, the tokens would not line up with the forms
        if _acronym_like(first) and " " not in first:
            short = first[:-1] if first.endswith("s") and first[-2:-1].isupper() else first
            n = _alnum_count(short)
            left = text[max(0, m.start() - 200):m.start()]
            if n > 0:  # (always: short starts with a letter) the start of the last min(n + 5, 2n) words
                first_word = _last_words_start(left, min(n + 5, 2 * n))
            else:
                words = list(_NONSPACE.finditer(left))
                first_word = words[0].start() if words else -1
            if first_word < 0:
                continue
            base = m.start() - len(left)
            span_start = base + first_word
            cand = text[span_start:m.start()].rstrip()
            # do not cross a sentence or clause boundary
            cut = max(cand.rfind(". "), cand.rfind("; "), cand.rfind(": "), cand.rfind(", "), cand.rfind("\n") - 1,
                      cand.rfind(") "))
            if cut >= 0:
                span_start += cut + 2
                cand = cand[cut + 2:]
            i = _initials_match(short, cand)
            if i < 0:
                i = _sh_match(short, cand)
            if i < 0:
                i = _sh_match(short, cand, relaxed=True)
            if i < 0:
                continue
            # extend to the start of the word
            while i > 0 and not cand[i - 1].isspace() and cand[i - 1] not in "(\"'":
                i -= 1
            long_start = span_start + i
            long_end = span_start + len(cand)
            if long_end - long_start <= len(short) or long_end <= long_start:
                continue
            inner = text[long_start:long_end].split()
            if any(_shaped_with_digit(w) for w in inner[1:]):
                continue  # "accuracy with a 3D-ResNet-50 (R3D-50)": a name inside is not spelled out
            yield long_start, long_end, inner_start, inner_start + len(first)
            continue
        # "SF (long form)"
        if " " in inner and len(inner.split()) <= 10:
            lm = _LEFT_WORD.search(text, max(0, m.start() - 40), m.start())
            if not lm:
                continue
            short = lm.group(1).strip(".,;:")
            if not _acronym_like(short):
                continue
            i = _sh_match(short, inner)
            if i == 0 or (i > 0 and inner[:i].strip().lower() in {"the", "a", "an"}):
                ls = inner_start + (i if i > 0 else 0)
                yield ls, inner_start + len(inner), lm.start(1), lm.start(1) + len(short)


# --------------------------------------------------------------------------- naming cues

_CAPWORD = r"(?:[A-Z0-9][\w+\-./]*[\w+]|[A-Z]|[a-z]+[A-Z][\w+\-./]*)"
_NAMESEQ = rf"{_CAPWORD}(?:[ -](?:{_CAPWORD}|of|for|and|with|in|on|to|the|via|based|from))*"
_PROPOSE_VERBS = (r"propose|proposes|proposed|introduce|introduces|introduced|present|presents|presented|develop|develops|"
                  r"developed|design|designs|designed|devise|devises|devised|build|builds|built|construct|constructs|"
                  r"constructed|create|creates|created|release|releases|released|curate|curates|curated|collect|collects|"
                  r"collected|contribute|contributes|formulate|formulates|offer|offers|put forward|establish|establishes|"
                  r"establishing|proposing|introducing|presenting|developing|designing|releasing|constructing|creating|"
                  r"curating|unveil|unveils|describe|describes|report|reports|call|name|dub")
_FIRST_PERSON = re.compile(
    rf"\b(?:[Ww]e|[Tt]his (?:paper|work|study|article|report)|[Tt]he (?:present|current) (?:paper|work|study)|[Hh]ere)\b"
    rf"(?:\s+\w+){{0,3}}?\s+(?:{_PROPOSE_VERBS})\b|\b[Oo]ur\s+(?:[\w-]+\s+){{0,3}}?"
    rf"(?:method|model|approach|framework|system|algorithm|network|architecture|dataset|benchmark|corpus|technique|"
    rf"module|loss|pipeline|solution|design|strategy|scheme|agent|tool|library)s?\b|\b(?:is|are) (?:newly )?proposed\b|"
    rf"\b(?:[Ii]n this (?:paper|work|study)),? (?:we )?")
_INTRO_CUE = re.compile(
    r"(?:\b(?:new|novel|first|introduce\w*|present\w*|release\w*|construct\w*|build|built|collect\w*|curate\w*|create\w*|"
    r"propose\w*|contribute\w*)\b[^.]*?|\bour\s+(?:[\w-]+\s+){0,3})"  # "our ... benchmark" only close by: "our new benchmark"
    r"\b(?:data\s?set|benchmark|corpus|corpora|suite|collection|database|testbed)s?\b",
    re.I)
_DATASETY = re.compile(r"\b(?:data\s?sets?|benchmarks?|corpus|corpora|suite|database|collection|testbed|treebank)\b", re.I)

_TITLE_HEAD_END = re.compile(r"\s+(?:for|with|on|via|using|from|in|through|by|to)\s+", re.I)


def title_names_dataset(title: str) -> bool:
    """The title describes a dataset ("X: A Benchmark for ...", "A Corpus of ..."), not a method that works on
    datasets ("X: Contrastive Learning for Small-Scale Datasets"): a dataset word before the first preposition
    of the title or of the part after its colon."""
    for part in title.split(":", 1):
        head = _TITLE_HEAD_END.split(part, 1)[0]
        if _DATASETY.search(head):
            return True
    return False


def title_names_method(title: str) -> bool:
    """The part after the title's colon is a method's description ("X: A Self-Supervised Learning Framework for
    Recommendation", "X: An Efficient Transformer"): it ends in a method head before its first preposition."""
    if ":" not in title:
        return False
    head = _TITLE_HEAD_END.split(title.split(":", 1)[1].strip(), 1)[0].split()
    return bool(head) and head[0].lower() in {"a", "an"} and head[-1].lower() in LEX.method_heads


def first_person(sentence: str) -> bool:
    """The sentence states the paper's own contribution ("we propose", "our method", "this paper presents")."""
    return bool(_FIRST_PERSON.search(sentence))


_NAMED = re.compile(rf"(?:\b(?:called|call|dubbed|dub|named|name|termed|term|coined|entitled|titled|namely|codenamed)\s*,?\s*[\"'`“‘]*)({_NAMESEQ})")
_NAMED_LOWER = re.compile(
    r"\b(?:(?:technique|method|approach|framework|procedure|algorithm|model|loss|strategy|scheme|module|mechanism|"
    r"objective|paradigm|process|notion|idea|principle|concept)\s+(?:called|named|dubbed|termed|coined)|"
    r"(?:[Ww]e|which we|that we)\s+(?:call|term|dub|name|refer to as)(?:\s+(?:it|this|them|this \w+|our \w+))?)\s+[\"'`“‘]*"
    r"([a-z][\w+\-]*(?:\s+(?!(?:for|that|which|to|in|on|with|and|is|are|as|where|while|whose|because|since)\b)"
    r"[a-z][\w+\-]*){0,4})")
_NOVEL_APPOS = re.compile(
    rf"(?<![\w-])({_NAMESEQ}),\s+(?:a|an|the)\s+(?:(?:new|novel|simple|general|unified|first|large-scale|"
    rf"lightweight|efficient|effective|scalable|principled|flexible|comprehensive|challenging|versatile)[\s,]+)+")
_HEAD_APPOS = re.compile(
    rf"\b(?:framework|method|model|approach|algorithm|architecture|technique|system|module|pipeline|dataset|benchmark|"
    rf"corpus|suite|library|toolkit|agent|network|loss|strategy)s?,\s+({_NAMESEQ})(?=\s*[,(;:.]|\s+(?:which|that|where|to|for|with)\b)")
_PROPOSE_NOVEL = re.compile(rf"(?:{_PROPOSE_VERBS})\s+(?:a|an)\s+(?:new|novel)\s+({_NAMESEQ})(?=[\s,:;.(]|$)")
_PROPOSE_NAME = re.compile(rf"(?:{_PROPOSE_VERBS})\s+(?:(?:a|an|the)\s+)?(?:(?:new|novel)\s+)?({_NAMESEQ})(?=[\s,:;.(]|$)")
_ADJ = (r"(?:new|novel|simple|general|unified|principled|flexible|efficient|effective|lightweight|generic|powerful|robust|"
        r"scalable|practical|straightforward|alternative|improved|two-stage|end-to-end|plug-and-play|yet|and|highly|very|"
        r"effective|elegant|theoretically|grounded|,)")
_METHOD_HEADS = (r"(?:loss|algorithm|framework|method|approach|technique|mechanism|module|layer|scheme|procedure|strategy|"
                 r"model|network|architecture|regularizer|regularization|objective|estimator|sampler|optimizer|critic|"
                 r"encoder|decoder|block|paradigm|pipeline|metric|attack|defense|defence)")
_PROPOSE_DESC = re.compile(
    rf"\b(?:{_PROPOSE_VERBS})\s+(?:(?:a|an|the)\s+)?(?:{_ADJ}\s+)*"
    rf"((?:[a-z][\w+\-]*\s+){{0,4}}?[a-z][\w+\-]*)(?=\s*(?:,|\s-|—|–)\s*(?:a|an)\s)")
_DESC_APPOS = re.compile(r"[,\-—–]\s*an?\s")  # what _PROPOSE_DESC's look-ahead needs, found fast: a quick test
_OUR_NAME = re.compile(rf"\b[Oo]ur\s+(?:proposed\s+)?({_CAPWORD})")
_TITLE_CASE_SEQ = re.compile(r"(?<![\w-])((?:[A-Z][\w+\-]*|[a-z]+[A-Z][\w+\-]*)(?:\s+(?:of|for|and|with|via|to|on|in)?\s*(?:[A-Z][\w+\-]*|[a-z]+[A-Z][\w+\-]*))+)")
_CONNECTORS = re.compile(r"(?:[ -](?:of|for|and|with|in|on|to|the|via|based|from))+$")
_NOT_DESC = frozenset("set sets number series range variety way kind type notion concept problem task question family "
                      "class collection study analysis investigation evaluation comparison overview survey view lot "
                      "bit".split())


def _trim(sent: str, s: int, e: int) -> tuple[int, int]:
    m = _CONNECTORS.search(sent, s, e)
    return (s, m.start()) if m else (s, e)


_CONNECTOR_WORD = re.compile(r"\b(?:of|for|with|in|on|to|via|from|the)\b")


_ACR_AFTER = re.compile(r"\s*\(\s*[A-Z][\w-]*[A-Z][\w-]*\s*[),;]")


def _split_and(sent: str, s: int, e: int) -> list[tuple[int, int]]:
    """Split "A and B" into two names when both sides look like names on their own."""
    m = _AND.search(sent, s, e)
    if m and _ACR_AFTER.match(sent, e):
        return [(s, e)]  # "Harvard Glaucoma Detection and Progression (Harvard-GDP)": one name, abbreviated
    if m:
        left, right = (s, m.start()), (m.end(), e)
        lt, rt = sent[left[0]:left[1]], sent[right[0]:right[1]]
        if _is_name(lt) and _is_name(rt) and not _CONNECTOR_WORD.search(lt) and not _CONNECTOR_WORD.search(rt) and \
                all(" " in side or is_shaped(side) for side in (lt, rt)):
            return [left, right]  # "Segmentation and Classification model": a plain word is no name of its own
    return [(s, e)]


FIRST_PERSON_WORDS = frozenset({"we", "this", "here", "our", "proposed", "in"})
#: how a match of _FIRST_PERSON that starts at the word begins ("In this paper", "this work proposes")
_FIRST_PERSON_NEXT = {"in": ("in this ", "In this "), "this": ("this ", "This ")}


_IS_NEWLY = re.compile(r"\b(?:is|are) (?:newly )?$")


def first_person_flags(text: str, bounds: list[tuple[int, int]], triggers: list[Trigger] | None = None) -> list[bool]:
    """:func:`first_person` for every sentence, checked only where a trigger word ("we", "our", ...) occurs."""
    import bisect

    flags = [False] * len(bounds)
    if not bounds:
        return flags
    if triggers is None:
        triggers = find_triggers(text, FIRST_PERSON_WORDS)
    starts = list(map(itemgetter(0), bounds))
    for ts, _te, word in triggers:
        i = bisect.bisect_right(starts, ts) - 1
        if i < 0 or flags[i]:
            continue
        if word == "proposed":
            hit = _IS_NEWLY.search(text[max(0, ts - 12):ts])
        elif word in _FIRST_PERSON_NEXT and not text.startswith(_FIRST_PERSON_NEXT[word], ts):
            continue  # "in" and "this" start a match of _FIRST_PERSON only as "in this ...", "this paper ..."
        else:
            hit = _FIRST_PERSON.match(text, ts, bounds[i][1])
        if hit:
            flags[i] = True
    return flags


def naming_cues(text: str, start: int, end: int, title_end: int, own: bool | None = None) -> Iterator[Cand]:
    """Names given by the paper ("we propose X", "X, a novel ...", "called X", "our X") in one sentence."""
    if own is None:
        own = first_person(text[start:end])
    yield from naming_all(text, [(start, end)], [own or start < title_end], title_end)


_CLASS_NOUNS = frozenset("methods models approaches techniques algorithms frameworks networks systems architectures "
                         "strategies schemes tasks problems".split())
_CALLED_WORDS = frozenset("called call dubbed dub named name termed term coined entitled titled namely codenamed "
                          "refer".split())
_APPOS_ADJ = frozenset("new novel simple general unified first large-scale lightweight efficient effective scalable "
                       "principled flexible comprehensive challenging versatile".split())
NAMING_WORDS = _CALLED_WORDS | _APPOS_ADJ | {"our"}
_APPOS_BACK = re.compile(rf"(?<![\w-])({_NAMESEQ}),\s+(?:a|an|the)\s+$")
_APPOS_BACK_TAIL = re.compile(r",\s+(?:a|an|the)\s+$")  # how every match of _APPOS_BACK ends
#: "X is a novel framework", "X is a new dataset": only "new"/"novel" say that X is the paper's own
_IS_A_BACK = re.compile(rf"(?<![\w-])({_NAMESEQ})\s+is\s+(?:a|an)\s+$")
_IS_A_BACK_TAIL = re.compile(r"\sis\s+(?:a|an)\s+$")


def naming_all(text: str, bounds: list[tuple[int, int]], own: list[bool], title_end: int,
               triggers: list[Trigger] | None = None) -> Iterator[Cand]:
    """:func:`naming_cues` for every sentence: cue words found once, the heavier patterns in own sentences only."""
    import bisect

    starts = list(map(itemgetter(0), bounds))
    if triggers is None:
        triggers = find_triggers(text, NAMING_WORDS)

    def is_own(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return pos < title_end or (i >= 0 and own[i])

    seen_sents: set[int] = set()

    for ts, te, word in triggers:
        if word in _CALLED_WORDS:
            if _NOT_A_METHOD_BEFORE.search(text, max(0, ts - 100), ts):
                continue  # "the task of ..., which we term X", "what we call X" after "the concept of": no method
            m = _NAMED.match(text, ts)
            if m:
                for s, e in _split_and(text, *_trim(text, *m.span(1))):
                    if _is_name(text[s:e]):
                        yield s, e, "NAME", _called_rule(text, ts, is_own(s)), 0.85
            m = _NAMED_LOWER.search(text, max(0, ts - 40), min(len(text), te + 80))
            if m and m.start(1) > ts:
                s, e = m.span(1)
                words = text[s:e].split()
                if words[0] not in _COMMON_CAPS and words[-1] not in _CLASS_NOUNS:
                    yield s, e, "NAME", _called_rule(text, ts, is_own(s)), 0.8
        elif word == "our":
            m = _OUR_NAME.match(text, ts)
            if m and is_shaped(m.group(1)):
                yield m.start(1), m.end(1), "NAME", "kg_naming:our", 0.85
        elif word in _APPOS_ADJ:
            m = _back_match(_APPOS_BACK, text, max(0, ts - 100), ts, _APPOS_BACK_TAIL)
            if m is None and word in ("new", "novel"):
                m = _back_match(_IS_A_BACK, text, max(0, ts - 100), ts, _IS_A_BACK_TAIL)
            if m:
                s, e = _trim(text, *m.span(1))
                while " " in text[s:e] and text[s:text.index(" ", s)].lower() in _COMMON_CAPS:
                    s = text.index(" ", s) + 1  # "In E-SSL, a simple ...": the sentence's first word is no part
                if _is_name(text[s:e]):
                    yield s, e, "NAME", "kg_naming:novel", 0.85
        elif word in _PROPOSE_WORDS or word in _APPOS_HEADS:
            propose = word in _PROPOSE_WORDS
            if propose and _OTHERS_BEFORE.search(text, max(0, ts - 14), ts):
                # "the recently introduced X model", "X was proposed by": someone else's name
                m = _PROPOSE_NAME.match(text, ts)
                if m:
                    for s, e in _split_and(text, *_trim(text, *m.span(1))):
                        if _is_name(text[s:e]) and text[s:e].split()[0].lower() not in _COMMON_CAPS:
                            yield s, e, "NAME", "kg_naming:called-other", 0.8
                continue
            k = bisect.bisect_right(starts, ts) - 1
            if not (ts < title_end or (k >= 0 and own[k])):  # (``is_own(ts)``)
                # "... and propose a novel X": the adjective says it is the paper's own, whoever the subject is
                m = _PROPOSE_NOVEL.match(text, ts) if propose else None
                if m:
                    for s, e in _split_and(text, *_trim(text, *m.span(1))):
                        if _is_name(text[s:e]) and text[s:e].split()[0].lower() not in _COMMON_CAPS:
                            yield s, e, "NAME", "kg_naming:propose", 0.9
                continue
            send = bounds[k][1] if k >= 0 else len(text)
            if word in _APPOS_HEADS:
                m = _HEAD_APPOS.match(text, ts, send)
                if m:
                    s, e = _trim(text, *m.span(1))
                    if _is_name(text[s:e]):
                        yield s, e, "NAME", "kg_naming:propose", 0.85
                continue
            m = _PROPOSE_NAME.match(text, ts, send)
            if m:
                for s, e in _split_and(text, *_trim(text, *m.span(1))):
                    if _is_name(text[s:e]):
                        yield s, e, "NAME", "kg_naming:propose", 0.9
            m = _PROPOSE_DESC.match(text, ts, send) if _DESC_APPOS.search(text, ts, send) else None
            if m:
                s, e = m.span(1)
                words = text[s:e].split()
                if words and words[0] not in _NOT_DESC and words[-1] not in _NOT_DESC and \
                        words[0] not in _COMMON_CAPS and \
                        not any(w in _VERBS or w in LEX.generic_task_modifiers for w in words):
                    yield s, m.end(), "NAME", "kg_naming:propose-desc", 0.7
            if k >= 0 and k not in seen_sents and bounds[k][0] >= title_end:
                seen_sents.add(k)
                yield from _title_case_names(text, *bounds[k])


_OTHERS_CUE = re.compile(r"\b(?:existing|previous|prior|popular|widely|well-known|standard|classic|classical|"
                         r"conventional|recent|baseline|et al|originally|earlier|[Tt]hey|[Tt]heir|[Aa]uthors)\b")


_NOT_A_METHOD_BEFORE = re.compile(
    r"\b(?:task|tasks|problem|problems|setting|phenomenon|phenomena|concept|notion|definition|property|scenario)\b"
    r"(?![^.;]*\b(?:method|model|framework|approach|technique|algorithm|architecture|network|system)s?\b)[^.;]*$")
_CALLED_BEFORE = re.compile(r"\b(?:called|call|dubbed|named|termed|term|coined|namely)\s*[\"'`“‘]*$")


def named_as_task(text: str, pos: int) -> bool:
    """The name at ``pos`` is given to a task, problem or concept ("a novel task we call X", "the task of ...,
    which we term X"), not to a method."""
    return bool(_CALLED_BEFORE.search(text, max(0, pos - 20), pos) and
                _NOT_A_METHOD_BEFORE.search(text, max(0, pos - 110), pos))


_ESTABLISHED = re.compile(r"\b(?:already[- ]established|established|existing|well-known|off-the-shelf|classic|"
                          r"classical|popular|conventional)\b", re.I)
_OTHERS_BEFORE = re.compile(r"\b(?:recently|previously|originally|earlier|was|were|been|had)\s+$", re.I)


def _called_rule(text: str, cue: int, own: bool) -> str:
    """"called X" names the paper's own thing, in its own sentences or wherever the clause does not say the
    name is someone else's ("an existing method called X", "the popular benchmark named X")."""
    if own:
        # even in the paper's own sentence, "an already established technique called X" is someone else's
        start = max(0, text.rfind(". ", 0, cue) + 1, text.rfind(",", 0, cue) + 1, cue - 60)
        return "kg_naming:called-other" if _ESTABLISHED.search(text, start, cue) else "kg_naming:called"
    start = max(0, text.rfind(". ", 0, cue) + 1, cue - 80)
    return "kg_naming:called-other" if _OTHERS_CUE.search(text, start, cue) else "kg_naming:called"


#: two capitalised words in a row, as every match of _TITLE_CASE_SEQ holds (found fast: the regex engine jumps from
#: capital to capital)
_TWO_CAPWORDS = re.compile(r"[A-Z][\w+\-]*\s+(?:of|for|and|with|via|to|on|in)?\s*[a-z]*[A-Z]")


def _title_case_names(text: str, start: int, end: int) -> Iterator[Cand]:
    """Capitalised multi-word names of methods in a sentence that proposes ("... incorporates World Knowledge Tree")."""
    two = _TWO_CAPWORDS.search(text, start, end)
    if not two:
        return
    # every match of _TITLE_CASE_SEQ holds one of _TWO_CAPWORDS from its first capital on, after the lowercase
    # letters it may start with ("mBERT"): the first starts no sooner than the run of those before the first capital
    # of the first _TWO_CAPWORDS, and the scan can start there
    first = two.start()
    while first > start and "a" <= text[first - 1] <= "z":
        first -= 1
    sent = text[start:end]
    for m in _TITLE_CASE_SEQ.finditer(sent, first - start):
        for s, e in _split_and(sent, *_trim(sent, *m.span(1))):
            words = sent[s:e].split()
            while words and words[0].lower() in _COMMON_CAPS:
                s += len(words[0]) + 1
                words = words[1:]
            if len(words) >= 2 and not {"of", "for", "in", "on", "to"} & set(words) and \
                    head_kind(" ".join(words)) == "METHOD":
                yield start + s, start + e, "NAME", "kg_naming:own-sentence", 0.7


_PROPOSE_WORDS = frozenset(w for w in _PROPOSE_VERBS.split("|") if " " not in w)
_APPOS_HEADS = frozenset("framework method model approach algorithm architecture technique system module pipeline "
                         "dataset benchmark corpus suite library toolkit agent network loss strategy".split())
NAMING_WORDS = NAMING_WORDS | _PROPOSE_WORDS | _APPOS_HEADS | {p + "s" for p in _APPOS_HEADS}
#: the words of NAMING_WORDS that :func:`naming_all` reads (it passes over the plural heads): the triggers it needs
NAMING_CUE_WORDS = frozenset(w for w in NAMING_WORDS if w in _CALLED_WORDS or w == "our" or w in _APPOS_ADJ or
                             w in _PROPOSE_WORDS or w in _APPOS_HEADS)
_PROPOSE_VERB_RE = re.compile(rf"\b(?:{_PROPOSE_VERBS})\b")
PROPOSE_VERB_RE = _PROPOSE_VERB_RE


_TITLE_FIRST_PART = re.compile(r"^\s*(.+?)(?:\s+(?:for|in|by|via|with|through|from|using|on)\s+|\s*:\s+|$)")
_TRAILING_BRACKET = re.compile(r"\s*\([^()]*\)$")
_NOT_A_NAME_WORD = re.compile(r"\b(?:is|are|can|do|does|not|all|you|need|we|how|why|what|when)\b", re.I)


def title_name(title: str, abstract: str) -> tuple[int, int] | None:
    """The title's first part ("X for Y", "X: Y") as a method name when the abstract repeats it word for word."""
    m = _TITLE_FIRST_PART.match(title)
    if not m:
        return None
    chunk = m.group(1).strip()
    bracket = _TRAILING_BRACKET.search(chunk)
    if bracket:
        chunk = chunk[:bracket.start()]  # "Enhanced Mycelium of Thought (EMoT)": the acronym pairs up on its own
    words = chunk.split()
    if not 2 <= len(words) <= 6 or words[0].lower() in LEX.task_verbs or words[0].lower() in _COMMON_CAPS:
        return None
    if _NOT_A_NAME_WORD.search(chunk):
        return None
    if head_kind(chunk) in ("TASK", "DATASET"):
        return None
    if not any(is_shaped(w) for w in words) and (
            any(len(side.split()) == 1 for side in chunk.split(" and ")[:2] if " and " in chunk) or
            _plural_object(words[-1])):
        return None  # "Collaboration and Transition", "Social Biases", "Gaze Embeddings": no method's name
    # repeated in the abstract, allowing other endings ("unified functional hash" for "Unified Functional Hashing")
    if words[0].lower().endswith("ing") and words[0][1:].islower():
        return None  # "Separating Common from Salient ...": a verb phrase, not a name
    low = abstract.lower()
    if not all(w[: max(4, len(w) - 3)].lower() in low for w in words):
        return None  # a cheap test first: building the pattern below costs more than most abstracts' rules
    stems = [w[: max(4, len(w) - 3)] for w in words]
    # repeated in the abstract, allowing other endings ("unified functional hash" for "Unified Functional Hashing")
    if chunk.isascii() and abstract.isascii():
        if not _stems_follow(stems, low):
            return None
    elif not re.search(r"\b" + r"\s+".join(re.escape(s) + r"[\w-]*" for s in stems), abstract, re.I):
        return None
    return m.start(1), m.start(1) + len(chunk)


def _ascii_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _stems_follow(stems: list[str], low: str) -> bool:
    r"""``re.search(r"\b" + r"\s+".join(re.escape(s) + r"[\w-]*" for s in stems), text, re.I)`` for ASCII ``stems``
    and ``low`` (the ASCII text in lowercase), without compiling a pattern for every title (a compile costs more
    than all the other rules of an abstract). The regex cannot backtrack usefully: ``[\w-]*`` can only stop where
    whitespace follows and ``\s+`` where a stem (no whitespace in it) starts, so one pass from each place where the
    first stem starts decides."""
    stems = [s.lower() for s in stems]
    n = len(low)
    i = low.find(stems[0])
    while i >= 0:
        # \b: a word character on exactly one side
        if (i > 0 and _ascii_word_char(low[i - 1])) != _ascii_word_char(low[i]):
            j = i
            for k, stem in enumerate(stems):
                if k:
                    if j >= n or not low[j].isspace():
                        break
                    while j < n and low[j].isspace():
                        j += 1
                if not low.startswith(stem, j):
                    break
                j += len(stem)
                while j < n and (_ascii_word_char(low[j]) or low[j] == "-"):
                    j += 1
            else:
                return True
        i = low.find(stems[0], i + 1)
    return False


_OBJECT_HEADS = frozenset("embedding representation description explanation feature vector model bias rule "
                          "gradient prompt space token".split())


def _plural_object(word: str) -> bool:
    """A plural noun that names things, not one method ("Biases", "Embeddings", "Generative Models")."""
    low = word.lower().rpartition("-")[2]
    return low.endswith("s") and (low[:-1] in _OBJECT_HEADS or low[:-2] in _OBJECT_HEADS)


def _is_name(s: str) -> bool:
    """A multi-word capitalised phrase, or one word shaped like a name; not a sentence-initial common word."""
    words = s.split()
    if len(words) > 8:
        return False
    if len(words) == 1:
        return is_shaped(s) or (s[:1].isupper() and s.lower() not in _COMMON_CAPS)
    caps = sum(1 for w in words if w[:1].isupper() or is_shaped(w))
    return caps >= max(2, len(words) - 2) and words[-1][:1].isupper()


_COMMON_CAPS = frozenset(
    "a an the this that these those we our it its in on of for to with by from as at is are was were be and or but "
    "however moreover furthermore specifically finally first second third then thus therefore here there when while "
    "although despite unlike like based using via through recent existing extensive experiments results code data "
    "dataset datasets benchmark benchmarks model models method methods approach framework table figure section "
    "appendix github arxiv project page website url supplementary can could may might will would should must do does "
    "did is are was were has have had most many some all each every few several such other another any no not only "
    "also even still yet so since because if unless whether though thus hence accordingly additionally notably "
    "importantly interestingly surprisingly overall together instead rather indeed recently currently previously "
    "traditionally typically generally particularly especially its their his her they he she you i our us them what "
    "which who whom whose where why how given let consider assume suppose compared extensive empirical theoretical "
    "experimental large small new novel across among within without beyond toward towards upon after before during "
    "against along around behind below above under over between except inside outside until unlike via per".split())

_TITLE_PREFIX = re.compile(r"^\s*([^:]{1,40}?)\s*:\s+\S")


_TITLE_REST_CUT = re.compile(r"\s+(?:for|via|with|in|using|by|on|through|from)\s+")
_INITIALS_SEP = re.compile(r"[\s-]+")


def title_acronym(title: str) -> tuple[int, int, int, int] | None:
    """"ARIEL: Adversarial Graph Contrastive Learning": the title's name and the long form it abbreviates
    (Schwartz-Hearst from the first word after the colon), as ``(long_start, long_end, short_start, short_end)``."""
    pre = title_prefix(title)
    if not pre:
        return None
    short = title[pre[0]:pre[1]]
    if " " in short or sum(c.isupper() for c in short) < 2:
        return None
    rest_start = title.index(":", pre[1]) + 1
    while rest_start < len(title) and title[rest_start] == " ":
        rest_start += 1
    rest = title[rest_start:]
    cands = [rest]
    cut = _TITLE_REST_CUT.search(rest)
    if cut:
        cands.insert(0, rest[:cut.start()])
    caps = [c.lower() for c in short if c.isupper()]
    best = None
    for cand in cands:
        if _sh_match(short, cand) != 0:
            continue
        initials = [w[0].lower() for w in _INITIALS_SEP.split(cand) if w]
        k = 0
        for ch in initials:
            if k < len(caps) and ch == caps[k]:
                k += 1
        if best is None or k > best[0]:
            best = (k, cand)
    if best is None:
        return None
    return rest_start, rest_start + len(best[1]), pre[0], pre[1]


def title_prefix(title: str) -> tuple[int, int] | None:
    """The span of the name in a title of the form "X: ..." (one name-like word or a shaped name)."""
    m = _TITLE_PREFIX.match(title)
    if not m:
        return None
    prefix = m.group(1)
    words = prefix.split()
    if prefix.lower() in LEX.title_prefix_stop or words[0].lower() in LEX.title_prefix_stop:
        return None
    if len(words) == 1:
        if not (prefix[:1].isupper() or is_shaped(prefix)) or (prefix.lower() in _COMMON_CAPS and not prefix.isupper()):
            return None
        return m.start(1), m.end(1)
    if len(words) <= 3 and all(is_shaped(w) or (w[:1].isupper() and w.lower() not in _COMMON_CAPS) for w in words) \
            and any(is_shaped(w) for w in words):
        return m.start(1), m.end(1)
    return None


_USED_WORDS = frozenset("such e.g. e.g., including like than over against baseline baselines existing previous prior "
                        "popular based built top initialized initialised fine-tune fine-tuned fine-tuning finetune "
                        "finetuned use uses using used leverage leverages leveraging adopt adopts employ employs "
                        "outperform outperforms outperforming surpass surpasses beat beats extend extends variant "
                        "variants version versions teacher compared comparison vs. versus".split())


def used_before(text: str, start: int) -> bool:
    """A cue among the three words before a mention says it is someone else's ("such as X", "than X", "based on X")."""
    for w in text[max(0, start - 40):start].lower().split()[-3:]:
        if w in _USED_WORDS or w.strip(",(") in _USED_WORDS:
            return True
    return False


_CITATION = re.compile(
    r"\s*[(\[]\s*(?:[A-Z][\w'’-]+(?:\s+(?:et\s+al\.?|and|&)(?:\s+[A-Z][\w'’-]+)?)?,?\s*(?:\d{4}|['’]\d{2})[a-z]?|\d+(?:\s*[,–-]\s*\d+)*\s*\])")
CITED_NAME = re.compile(r"\s+(?:et\s+al\b|and\s+[A-Z][\w'’-]+\s*(?:,\s*|\(\s*)\d{4})")


def cited_after(text: str, end: int) -> bool:
    """A citation follows the mention ("DenseCL (Wang et al., 2021)", "SimCLR [12]"): someone else's work."""
    return bool(_CITATION.match(text, end))


_NEW_DATASET = re.compile(r"\b(?:new|novel|first)\b[^.]{0,60}\b(?:data\s?set|benchmark|corpus)\b", re.I)
_WE_OUR = re.compile(r"\b(?:we|our|this paper|this work)\b", re.I)


#: a word one of these holds is in every match of _INTRO_CUE and _NEW_DATASET
_DATA_NOUNS = ("data", "benchmark", "corpus", "corpora", "suite", "collection", "testbed")


def introduced_sentence(sentence: str) -> bool:
    if sentence.isascii():  # (outside ASCII, case-insensitive regexes match more than lower() finds)
        low = sentence.lower()
        if not any(w in low for w in _DATA_NOUNS):
            return False  # no dataset noun: a quick test first, the regexes below are slow on long sentences
    return (bool(_INTRO_CUE.search(sentence)) and first_person(sentence)) or bool(
        _NEW_DATASET.search(sentence) and _WE_OUR.search(sentence))


# --------------------------------------------------------------------------- forms that are no names

_LATEX = re.compile(r"\\|(?<![A-Za-z])[A-Za-z]_\{?\w{1,2}\}?$")  # "F_1", "\mathcal{V}": a formula, not a name
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?\.?")  # "U.S", "U.K.": an abbreviated place
_LETTER_PAIR = re.compile(r"[A-Za-z]/[A-Za-z]")  # "A/B" (testing)
_RANK_METRIC = re.compile(r"(?i)(?:rank|top|hits?|recall|ndcg|mrr|precision|acc|map)[-@ ]?(?:\d+|k)|[A-Za-z]+@(?:\d+|k)")
_SENT_CUT = re.compile(r"(?<=[\w)\]])\.\s+(?=[A-Z][a-z])|(?<=[a-z])\.(?=[A-Z][a-z]{2,})")


def bracket_cut(s: str) -> int:
    """Where a candidate's brackets stop balancing ("FST-D) and widely", "MLLMs(MM-SAP"): the offset, or -1."""
    depth = 0
    for i, ch in enumerate(s):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth < 0:
                return i
    if depth > 0:
        return max(s.rfind("("), s.rfind("["))
    return -1


def sentence_cut(s: str) -> int:
    """Where a candidate runs over a sentence end ("1-SHUI. Moreover", "LLMs.Our"): the offset to cut at, or -1."""
    m = _SENT_CUT.search(s)
    return m.start() if m else -1


@lru_cache(maxsize=65536)
def junk_form(s: str) -> bool:
    """A surface form that cannot be a method or dataset name: unbalanced brackets ("FST-D) and widely"),
    a formula ("F_1"), an abbreviated place ("U.S"), a letter pair ("A/B") or a ranked metric ("Rank1", "R@10")."""
    if s.count("(") != s.count(")") or s.count("[") != s.count("]"):
        return True
    if " " not in s and "-" in s and _AFFIX.search(s):
        return True  # "EM-like", "VideoCon-based": a modifier made from a name
    return bool(_LATEX.search(s) or _DOTTED.fullmatch(s) or _LETTER_PAIR.fullmatch(s) or _RANK_METRIC.fullmatch(s)
                or _SLASH_WORDS.fullmatch(s))


def common_word(word: str) -> bool:
    """A general English word, place or field ("Internet", "California", "Neuroscience") that is no name alone."""
    return not is_shaped(word) and (word.lower() in LEX.common_words or word.lower() in _COMMON_CAPS)


def sentence_initial(text: str, pos: int) -> bool:
    """The word at ``pos`` opens a sentence (or the text), so its capital says nothing about being a name."""
    i = pos - 1
    while i >= 0 and text[i] in " \t\"'“‘([":
        i -= 1
    return i < 0 or text[i] in ".!?\n:"


def weak_piece(text: str, s: int, e: int, strict: bool = False) -> bool:
    """A context-cue name that is only a capitalised word: one plain word that is common English or opens the
    sentence ("Current datasets", "data from California"); ``strict`` (the weak "on X" cue) also rejects
    phrases made only of such words ("from Human Feedback")."""
    words = text[s:e].split()
    if len(words) == 1:
        w = words[0]
        return common_word(w) or (not is_shaped(w) and sentence_initial(text, s)) or junk_form(w) or bool(
            _AFFIX.search(w))
    if strict:
        return common_word(words[-1]) and all(
            common_word(w) or w.lower() in _CONNECTOR_WORDS or (w.isupper() and len(w) <= 3) for w in words[:-1])
    return False


_CONNECTOR_WORDS = frozenset("of for and with in on to the via from".split())
_MODIFIED_NOUN = re.compile(r"\s+(?:space|spaces|distance|distances|norm|norms|loss|losses|metric|metrics|score|scores|"
                            r"setting|settings|regime|regimes|hardware|devices?)\b")
_SLASH_WORDS = re.compile(r"[A-Z][a-z]+(?:/[A-Z][a-z]+)+")  # "Derain/Deshadow/Deblur": tasks or words, not a name


# --------------------------------------------------------------------------- dataset and method context

_DS_HEADS = _alt(LEX.dataset_heads)
_NAMEW = r"(?:[A-Z][\w+\-./]*[\w+]|[0-9][\w+\-.]*[A-Za-z][\w+\-.]*|[a-z]+[A-Z][\w+\-./]*|[A-Z])"
_DSNAME = rf"{_NAMEW}(?:[ ](?:{_NAMEW}))*"
_DSLIST = rf"{_DSNAME}(?:\s*,\s*{_DSNAME})*(?:\s*,?\s+(?:and|or|&)\s+{_DSNAME})?"
_DS_NOUN = re.compile(rf"(?<![\w-])({_DSLIST})((?:\s+[a-z][\w-]*){{0,2}}?)\s+(?:{_DS_HEADS})\b")
_DS_INTRO = re.compile(
    rf"\b(?i:data\s?sets?|benchmarks?|corpora|corpus|suites?)(?:\s+[a-z]+){{0,3}}?\s*(?:,\s*)?(?:such as|including|like|e\.g\.,?|i\.e\.,?|namely|:|\(|,)\s*"
    rf"(?:the\s+)?({_DSLIST})")
_DS_ON = re.compile(
    rf"\b(?:on|across|in|from|over)\s+(?:the\s+|both\s+(?:the\s+)?|several\s+|four\s+|three\s+|two\s+|five\s+)?({_DSLIST})(?=[\s,.;:)]|$)")
_DS_ON_CONTEXT_WORDS = ("train", "pretrain", "pre-train", "fine-tun", "finetun", "evaluat", "test", "experiment", "result",
                        "perform", "benchmark", "achiev", "accura", "map", "score", "outperform", "improv", "gain",
                        "transfer", "state-of-the-art", "sota", "validat", "report", "top-1", "f1")
_DS_ON_CONTEXT = re.compile(rf"(?:{'|'.join(map(re.escape, _DS_ON_CONTEXT_WORDS))}|\bAP\b)", re.I)
_AP_WORD = re.compile(r"\bAP\b", re.I)


def _trained_context(before: str) -> bool:
    """``_DS_ON_CONTEXT.search(before)``: a word about training or results. In ASCII text (where the case-insensitive
    regex matches exactly what ``lower()`` finds) a substring test of the lowercased text does it, faster."""
    if not before.isascii():
        return bool(_DS_ON_CONTEXT.search(before))
    low = before.lower()
    return any(w in low for w in _DS_ON_CONTEXT_WORDS) or bool(_AP_WORD.search(before))
_M_NOUN = re.compile(
    rf"(?<![\w-])({_NAMEW}(?:[ -]{_NAMEW}){{0,2}})\s+(?:model|models|backbone|backbones|architecture|encoder|decoder|"
    rf"network|networks|baseline|baselines|teacher|student|optimizer|detector|classifier|LLM|LLMs|agent|retriever|"
    rf"embeddings|features|family|variant|variants|checkpoint|checkpoints)\b")
_M_LIST = re.compile(
    rf"\b(?i:models?|methods?|baselines?|approaches|architectures?|backbones?|LLMs|algorithms?|systems?|detectors?|"
    rf"optimizers?|techniques|networks?|encoders?|retrievers?)\s*(?:,\s*)?(?:such as|including|like|e\.g\.,?|namely|:|\()\s*"
    rf"(?:the\s+)?({_DSLIST})")


@lru_cache(maxsize=65536)
def _good_name(piece: str) -> bool:
    """A list item or context name that can be a proper name: shaped, or capitalised words that are not common.
    (A function of the piece alone, cached: the same names come back in many abstracts.)"""
    words = piece.split()
    if not words or len(words) > 5:
        return False
    if len(words) == 1 and "-" in piece and not is_shaped(piece) and any(p[:1].islower() for p in piece.split("-")[1:]):
        return False  # "Question-answering", "Large-scale": a compound that is capitalised only at a sentence start
    if any(is_shaped(w) for w in words):
        return words[0].lower() not in _COMMON_CAPS or (len(words) > 1 and is_shaped(words[1]))
    if words[0].lower() in _COMMON_CAPS or words[0].lower() in LEX.language_words:
        return False
    return all(w[:1].isupper() for w in words) and len(piece) > 2


def _split_list(text: str, offset: int) -> Iterator[tuple[int, int]]:
    for m in _LIST_ITEM.finditer(text):
        s = m.start()
        sub = _LIST_LEAD.match(m.group(0))
        s += sub.end()
        piece = text[s:m.end()].rstrip()
        while True:
            lead = _LIST_ART.match(piece)
            if not lead:
                break
            s += lead.end()
            piece = piece[lead.end():]
        if piece and _good_name(piece):
            yield offset + s, offset + s + len(piece)


_M_NOUNS_AFTER = ("model|models|backbone|backbones|architecture|encoder|decoder|network|networks|baseline|baselines|"
                  "teacher|student|optimizer|detector|classifier|LLM|LLMs|agent|retriever|embeddings|features|family|"
                  "variant|variants|checkpoint|checkpoints")
_M_NOUNS_LIST = ("models?|methods?|baselines?|approaches|architectures?|backbones?|LLMs|algorithms?|systems?|detectors?|"
                 "optimizers?|techniques|networks?|encoders?|retrievers?")
_DS_WORDS = frozenset(w for w in LEX.dataset_heads if " " not in w)
_M_AFTER_WORDS = frozenset(w.lower() for w in _M_NOUNS_AFTER.split("|"))
_M_LIST_WORDS = frozenset("model models method methods baseline baselines approaches architecture architectures "
                          "backbone backbones llms algorithm algorithms system systems detector detectors optimizer "
                          "optimizers techniques network networks encoder encoders retriever retrievers".split())
_ON_WORDS = frozenset({"on", "across", "in", "from"})  # "improves over X": X is a baseline, not data
_NOT_ON = re.compile(r"\b(?:based|built|relies|rely|depends|focus\w*)\s*$")
CONTEXT_WORDS = _DS_WORDS | _M_AFTER_WORDS | _M_LIST_WORDS | _ON_WORDS | {"data"}
_APPOS_END = re.compile(r"\s*(?:[,.;:()]|$|\s(?:and|or|which|that|with|consisting|containing|comprising)\b)")
_DATA_SUCH = re.compile(rf"\s+(?:such as|including|like|e\.g\.,?)\s+(?:the\s+)?({_DSLIST})")
_DS_NOUN_BACK = re.compile(rf"(?<![\w-])({_DSLIST})((?:\s+[a-z][\w-]*){{0,2}}?)\s+$")
_DS_INTRO_FWD = re.compile(
    rf"(?:\s+[a-z]+){{0,3}}?\s*(?:,\s*)?(?:such as|including|like|e\.g\.,?|i\.e\.,?|namely|:|\(|,)\s*(?:the\s+)?({_DSLIST})")
_M_NOUN_BACK = re.compile(rf"(?<![\w-])({_NAMEW}(?:[ -]{_NAMEW}){{0,2}})\s+$")
# how every match of _DS_NOUN_BACK and _M_NOUN_BACK ends: each _NAMEW holds a capital or a digit and no space, and
# up to two lowercase words come between the last name and the noun
_DS_NOUN_BACK_TAIL = re.compile(r"[A-Z0-9]\S*(?:\s+\S+){0,2}\s+$")
_M_NOUN_BACK_TAIL = re.compile(r"[A-Z0-9]\S*\s+$")
#: the tails as :func:`_back_match` reads them fast: a capital or digit in the last three words, in the last word
_DS_NOUN_BACK_TAIL_WORDS, _M_NOUN_BACK_TAIL_WORDS = 3, 1
_M_LIST_FWD = re.compile(rf"\s*(?:,\s*)?(?:such as|including|like|e\.g\.,?|namely|:|\()\s*(?:the\s+)?({_DSLIST})")


def _method_noun_span(text: str, s: int, e: int) -> tuple[int, int]:
    """The name before "model(s)", "baselines", ...: leading common or sentence-opening words dropped ("Are CLIP
    features", "Inconsistent AI models"); empty for an affix compound ("GPT-distilled", "ImageNet-pretrained")."""
    words = text[s:e].split(" ")
    if any(_AFFIX.search(w) for w in words) or _LOWER_TAIL.search(words[-1]):
        return s, s  # "GPT-distilled", "Transformer-based ReID": a modifier, not a name
    while len(words) > 1 and not is_shaped(words[0]) and (
            words[0].lower() in _COMMON_CAPS or common_word(words[0]) or sentence_initial(text, s)):
        s += len(words[0]) + 1
        words = words[1:]
    return s, e


def context_cues(text: str, start: int = 0, end: int | None = None,
                 triggers: list[Trigger] | None = None) -> Iterator[Cand]:
    """Types from context: "on the X dataset", "datasets such as A, B and C", "X backbone", "models like X".

    The trigger nouns are found once; the names are then read just before or after each trigger.
    """
    end = len(text) if end is None else end
    if triggers is None:
        triggers = find_triggers(text, CONTEXT_WORDS, start, end)
    on_words = []  # the triggers of _ON_WORDS, read after all the others
    for ts, te, word in triggers:
        if word in _ON_WORDS:
            on_words.append(ts)
            continue
        if word == "data":
            m = _DATA_SUCH.match(text, te, end)  # "adverse condition data such as A, B and C": named data
            if m:
                for s, e in _split_list(m.group(1), m.start(1)):
                    if not weak_piece(text, s, e):
                        yield s, e, "DATASET", "kg_context:dataset-list", 0.8
            continue
        if word in _DS_WORDS:
            base = max(start, ts - 150)
            m = _back_match(_DS_NOUN_BACK, text, base, ts, _DS_NOUN_BACK_TAIL_WORDS)
            if m:
                mid = m.group(2).strip()
                if not (mid and any(w in LEX.generic_task_modifiers for w in mid.split())):
                    for s, e in _split_list(m.group(1), m.start(1)):
                        words = text[s:e].split(" ")
                        if len(words) >= 2 and words[-1].lower() in _HEADS_SET and is_shaped(words[-2]):
                            e = s + len(" ".join(words[:-1]))  # "the QuorbMNIST Classification dataset"
                        elif word == "challenge" and e == m.end(1) and text[ts].isupper() and len(words) >= 2 and \
                                all(w[:1].isupper() or w[:1].isdigit() for w in words) and \
                                not text[e:ts].strip():
                            e = te  # "the Rope Knot Grand Challenge": a challenge's name holds the word
                        if not weak_piece(text, s, e):
                            yield s, e, "DATASET", "kg_context:dataset-noun", 0.85
            m = _DS_INTRO_FWD.match(text, te, end)
            if m and text[te:m.start(1)].strip() == "," and not _APPOS_END.match(text, m.end(1)):
                m = None  # "on ... datasets, iPrompt produces ...": a new clause, not an appositive name
            if m:
                for s, e in _split_list(m.group(1), m.start(1)):
                    if not weak_piece(text, s, e):
                        yield s, e, "DATASET", "kg_context:dataset-list", 0.8
        else:
            if word in _M_AFTER_WORDS and (text[ts].islower() or word.startswith("llm")):
                m = _back_match(_M_NOUN_BACK, text, max(start, ts - 60), ts, _M_NOUN_BACK_TAIL_WORDS)
                if m and _good_name(m.group(1)) and any(is_shaped(w) for w in m.group(1).split()):
                    ms, me = _method_noun_span(text, m.start(1), m.end(1))
                    if ms < me:
                        yield ms, me, "METHOD", "kg_context:method-noun", 0.7
            if word in _M_LIST_WORDS:
                m = _M_LIST_FWD.match(text, te, end)
                if m:
                    loose = text[te:m.start(1)].strip().endswith((":", "("))  # "Systems: Simulation and ..."
                    for s, e in _split_list(m.group(1), m.start(1)):
                        if not loose or any(is_shaped(w) for w in text[s:e].split()):
                            yield s, e, "METHOD", "kg_context:method-list", 0.75
    for ts in on_words:
        m = _DS_ON.match(text, ts, end)
        if not m:
            continue
        before = text[max(start, m.start() - 80):m.start()]
        if not _trained_context(before) or _NOT_ON.search(before):
            continue
        if _MODIFIED_NOUN.match(text, m.end(1)):
            continue  # "in Hamming space", "on L2 distance": the name modifies a noun that is no data
        for s, e in _split_list(m.group(1), m.start(1)):
            if not weak_piece(text, s, e, strict=True):
                yield s, e, "DATASET", "kg_context:trained-on", 0.65


# --------------------------------------------------------------------------- tasks

_TASK_HEADS = _alt(LEX.task_heads)
_TASK_PHRASE = re.compile(rf"(?<![\w-])((?:[A-Za-z0-9][\w+\-]*\s+){{0,4}}?)((?:[\w-]+-)?(?:{_TASK_HEADS}))\b", re.I)
_GERUND_OK = frozenset("learning reasoning clustering ranking answering parsing tagging tracking mining computing "
                       "processing modeling modelling matching forecasting sampling training pre-training pretraining "
                       "self-training streaming labeling labelling captioning grounding editing inpainting denoising "
                       "deblurring understanding embedding reading writing spelling scheduling routing planning "
                       "driving".split())
_VERBS = frozenset("address addresses addressed tackle tackles solve solves study studies propose proposes present "
                   "presents introduce introduces consider considers investigate investigates explore explores "
                   "improve improves enable enables perform performs achieve achieves show shows demonstrate "
                   "demonstrates evaluate evaluates apply applies use uses focus focuses aim aims advance advances "
                   "require requires remain remains become becomes provide provides make makes allow allows yield "
                   "yields help helps boost boosts benefit benefits facilitate facilitates support supports enhance "
                   "enhances outperform outperforms is are was were be been has have had can could may might will "
                   "would should do does did via using towards toward into onto upon within without between among "
                   "across through during after before beyond about against along around under over".split())
_TASK_CUE_BEFORE = re.compile(
    r"(?:task|tasks|problem|problems|challenge)\s+of\s+$|(?:address|tackle|solve|study|studies|focus on|for|in|on|of)\s+(?:the\s+)?$",
    re.I)
_TASK_CUE_AFTER = re.compile(r"^\s+(?:tasks?|problems?|benchmarks?)\b", re.I)
_TITLE_SPLIT = re.compile(r"\s+(?:via|using|with|by|through|from|based on|leveraging|and its|:)\s+|\s*[:?!]\s+", re.I)
#: _TITLE_SPLIT's matches, found faster: every one starts with whitespace or one of ":?!", and a pattern that starts
#: with a character set lets the regex engine jump from one such character to the next; the look-behinds tell
#: which alternative the first character begins (``\s+`` is ``\s\s*``; ``\s*[:?!]`` starts with whitespace or ``[:?!]``)
_TITLE_SPLIT_FAST = re.compile(
    r"[\s:?!](?:(?<=\s)\s*(?:via|using|with|by|through|from|based on|leveraging|and its|:)\s+|(?<=\s)\s*[:?!]\s+|"
    r"(?<=[:?!])\s+)", re.I)
_TITLE_TASK_PREP = re.compile(r"\b(?:for|in|towards?|on|under)\s+", re.I)


_CLAUSE_STOP = frozenset("whether why who whom whose if because since although though unless until once thereby "
                         "hence thus therefore i.e. e.g. etc namely including such build create generate design "
                         "develop construct train predict estimate identify extract retrieve describe explain "
                         "measure compute find obtain produce capture detect recognize solve learn analyze analyse "
                         "discover own investigate examine evaluate assess".split())
_BASE_VERB_ENDS = ("ize", "ise", "izes", "ises", "ify", "ifies")
_NOT_VERBS = frozenset("noise expertise otherwise enterprise exercise premise promise concise precise franchise "
                       "merchandise".split())


_TRIM_STOP = LEX.generic_task_modifiers | _VERBS | _CLAUSE_STOP
_LY_OK = frozenset({"weakly", "fully", "partially", "semi", "densely", "sparsely", "early", "family", "anomaly",
                    "assembly", "poly", "supply", "italy"})


_STOPS, _STOPS_BEFORE_HEAD, _KEPT = 2, 1, 0


@lru_cache(maxsize=65536)
def _trim_word(w: str) -> int:
    """How :func:`_trim_task` treats a word: ``_STOPS`` the phrase (a function word, verb or generic modifier),
    ``_STOPS_BEFORE_HEAD`` (a verb, gerund, adverb or number: it ends the phrase unless it is the head itself) or
    is ``_KEPT``. Cached: the same words come back in every abstract."""
    lw = w.lower()
    if lw in _TRIM_STOP:
        return _STOPS
    if lw in LEX.task_verbs or (lw.endswith(_BASE_VERB_ENDS) and len(lw) > 5 and lw not in _NOT_VERBS):
        return _STOPS_BEFORE_HEAD  # "we hypothesize whether salient image segmentation": a verb ends the phrase
    if lw.endswith("ing") and lw not in _GERUND_OK:
        return _STOPS_BEFORE_HEAD
    if lw.endswith("ly") and len(lw) > 4 and lw not in _LY_OK:
        return _STOPS_BEFORE_HEAD
    if not lw.isalpha() and any(ch.isdigit() for ch in lw):
        return _STOPS_BEFORE_HEAD
    return _KEPT


_SHOT_COUNTS = frozenset({"few", "zero", "one", "low", "many"})


def _trim_task(words: list[str]) -> list[str]:
    """Drop leading function words, verbs, gerunds and generic modifiers from a task phrase's words."""
    keep: list[str] = []
    for w in reversed(words):
        kind = _trim_word(w)
        if kind == _STOPS or (kind == _STOPS_BEFORE_HEAD and keep):
            if keep and keep[-1].lower() == "shot" and w.lower() in _SHOT_COUNTS:
                keep.append(w)  # "Few shot font generation": "few" is part of "few shot", not a quantifier
                continue
            break
        keep.append(w)
    keep.reverse()
    return keep


_HEAD_ONLY = re.compile(rf"(?<![\w-])((?:[\w]+-)*(?:{_TASK_HEADS}))\b", re.I)
_PREV_WORDS = re.compile(r"([A-Za-z0-9][\w+\-]*)\s+$")
_SINGLE_HEAD_STOP = frozenset({"ranking", "removal", "suppression", "monitoring", "screening", "prediction", "interpretability", "explainability", "fairness", "learning", "analysis", "inference", "search", "control", "evaluation", "representations",
                               "embeddings", "embedding", "modeling", "transfer", "tuning", "robustness", "understanding",
                               "optimization", "mapping", "filtering", "annotation", "resolution", "correction",
                               "completion", "generalization", "adaptation", "alignment", "compression", "attacks"})
#: a bare head names no task of its own ("classification", "detection"); it still supports a longer phrase
BARE_HEADS = _SINGLE_HEAD_STOP | frozenset({
    "classification", "detection", "segmentation", "generation", "recognition", "retrieval", "reconstruction",
    "discovery", "clustering", "defense", "defence", "reasoning", "perception", "mining", "distillation",
    "localization", "localisation", "recommendation", "recommendations", "decomposition", "generalisation",
    "separation", "attribution", "estimation", "synthesis", "representation", "embedding", "forecasting", "editing",
    "matching", "tracking", "verification", "identification", "planning", "navigation"})


_WORDTOK = re.compile(r"[A-Za-z0-9][\w+\-]*")
_HEADS_SET = frozenset(h for h in LEX.task_heads if " " not in h)


_PROBLEM_WORDS = frozenset({"problem", "problems"})
_TASK_WORDS = frozenset({"task", "tasks", "applications"})
TASK_HEAD_WORDS = _HEADS_SET | _PROBLEM_WORDS | _TASK_WORDS
_TASK_LIST_FWD = re.compile(r"\s*,?\s*(?:such as|like|including|e\.g\.,?|namely|:)\s+")
_TASK_LIST_END = re.compile(r"[.;:()\[\]]|\s(?:and many (?:more|others)|etc\b|where|which|that|while|whereas)\b")
#: a prepositional phrase that ends a list item, not the list ("action recognition in videos, geo-localization")
_ITEM_TAIL = re.compile(r"\s(?:with|to|for|in|on|by|from|under|across|over)\s.*$", re.S)
#: words that may lead a list item before its task ("many types of fine-grained object classification")
_ITEM_LEAD = frozenset("many several various different numerous multiple types kinds forms sorts of other all the "
                       "a an".split())
_TASK_LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_ACR_BEFORE = re.compile(r"\s*\(\s*[A-Z][\w-]{0,9}\s*\)\s*$")
_CUE_ONLY_HEADS = frozenset({"representation", "representations", "embedding", "embeddings", "prediction",
                             "separation", "inference", "generalization", "robustness", "evaluation"})
_CLAUSE_WORD = re.compile(r"[A-Za-z0-9][\w+\-]*$")


@lru_cache(maxsize=65536)
def _phrase_word(w: str) -> bool:
    """A word (from ``str.split``) that can stand in a task phrase: no punctuation that would start another clause."""
    return bool(_CLAUSE_WORD.match(w)) and (w[-1:].isalnum() or w[-1:] == "+")


def _list_task_ok(words: list[str]) -> bool:
    """A list item that can name a task: ends in a task head, is an acronym, or is a phrase that does not end in
    a method word ("bi-encoders", "multi-task methods") or a number."""
    last = words[-1].lower()
    head = last.rpartition("-")[2]
    if last in _HEADS_SET or head in _HEADS_SET:
        return not (len(words) == 1 and last in _SINGLE_HEAD_STOP)
    if len(words) == 1:
        return words[0].isupper() and len(words[0]) >= 2 and words[0].isalpha()
    singular = head[:-1] if head.endswith("s") else head
    return not (head in LEX.method_heads or singular in LEX.method_heads or any(ch.isdigit() for ch in last))


def _task_list(text: str, pos: int, end: int) -> Iterator[Cand]:
    """"tasks such as OCR, action recognition in videos and geo-localization": every item names a task."""
    m = _TASK_LIST_FWD.match(text, pos, end)
    if not m:
        return
    stop = _TASK_LIST_END.search(text, m.end(), min(end, m.end() + 160))
    seg_end = stop.start() if stop else min(end, m.end() + 160)
    cut = m.end()
    for piece in _TASK_LIST_SPLIT.split(text[cut:seg_end]):
        piece = piece.strip()
        at = text.find(piece, cut, seg_end) if piece else -1
        if at < 0:
            continue
        cut = at + len(piece)
        whole = piece
        piece = _ITEM_TAIL.sub("", piece)  # "action recognition in videos": the item is "action recognition"
        words = piece.split()
        n_lead = 0
        while n_lead < len(words) - 1 and words[n_lead].lower() in _ITEM_LEAD:
            n_lead += 1  # "many types of": lead words do not count towards the item's length
        if not 1 <= len(words) - n_lead <= 5 or not all(_CLAUSE_WORD.match(w) for w in words):
            break  # the list has ended in a clause
        kept = _trim_task(words)
        ok = bool(kept) and len(kept) <= 5 and _list_task_ok(kept) and (
            kept == words or all(w.lower() in _ITEM_LEAD for w in words[:len(words) - len(kept)]))
        if ok and kept != words:
            # an item whose lead words are dropped must end in a task head ("an AUC score improvement" is none)
            last = kept[-1].lower()
            ok = last in _HEADS_SET or last.rpartition("-")[2] in _HEADS_SET
        if not ok:
            if piece != whole:
                break  # "making them indispensable across domains like ...": the list has ended in a clause
            continue
        start = at + len(piece) - len(" ".join(kept))
        if text[start:at + len(piece)] == " ".join(kept):
            yield start, at + len(piece), "TASK", "kg_tasks:list", 0.7


_CUE_BEFORE_WORDS = frozenset("address tackle solve study studies for in on of".split())


_STRONG_CUE_WORDS = frozenset("address tackle solve study studies".split())


def _cue_before(before: str, words: frozenset[str] = _CUE_BEFORE_WORDS) -> bool:
    """"the task of X", "we address (the) X", "for X", "on X": a word before the phrase that says it is a task."""
    if not before or not before[-1].isspace():
        return False
    ws = before.lower().rsplit(None, 2)  # (the last two words are all it reads: as ``split()``'s last two)
    if ws and ws[-1] == "the":
        ws.pop()
    return bool(ws) and ws[-1].lstrip("([") in words


def _problem_phrase(text: str, start: int, hs: int, e: int) -> Iterator[Cand]:
    """"the missing-not-at-random (MNAR) problem", "the job-shop scheduling problem": the words before
    "problem" name a task (an acronym in brackets between them is skipped)."""
    left = max(start, hs - 70)
    acr = _ACR_BEFORE.search(text, left, hs)
    stop = acr.start() if acr else hs
    pre: list[str] = []
    for w in reversed(text[left:stop].split()[-4:]):
        opened = w.startswith(("(", "[")) and len(w) > 1
        w = w.lstrip("([")
        if not _phrase_word(w):
            break
        pre.append(w)
        if opened:
            break  # "(positive-unlabeled problem)": the bracket starts the phrase
    pre.reverse()
    if any(w[:1].isupper() and not w.isupper() for w in pre[1:]):
        return
    words = _trim_task(pre)
    if not words or words[-1].lower() in _NOT_DESC or (len(words) == 1 and "-" not in words[0] and
                                                       words[0].lower() not in _HEADS_SET):
        return  # "this problem", "an open problem": no name; one plain word is too vague
    s = text.rfind(words[0], left, stop)
    if s >= 0:
        yield s, e, "TASK", "kg_tasks:cue", 0.6


_PHRASE, _KEPT_WORD, _MIXED_CASE = 1, 2, 4


@lru_cache(maxsize=65536)
def _pre_word(w: str) -> int:
    """What :func:`_head_phrase_words` needs to know of a word before a head, as bits, cached: ``_PHRASE`` (it
    can stand in a task phrase, :func:`_phrase_word`), ``_KEPT_WORD`` (:func:`_trim_task` keeps it before the
    head: ``_trim_word`` is ``_KEPT``) and ``_MIXED_CASE`` (capitalised but not all capitals, "Graph")."""
    return ((_PHRASE if _phrase_word(w) else 0) | (_KEPT_WORD if _trim_word(w) == _KEPT else 0) |
            (_MIXED_CASE if w[:1].isupper() and not w.isupper() else 0))


def _head_phrase_words(ws: list[str], head: str) -> list[str] | None:
    """The words of ``ws`` (the last words before a task head) that :func:`task_phrases` keeps before ``head``,
    or None where the head is part of a name. ``head`` must be one ``_trim_task`` keeps (not ``_STOPS``).

    The plain rule, in one pass over the words with one cached look-up each: ``pre`` is the longest run of
    phrase words at the end of ``ws``; a capitalised head after a capitalised word is a name (None); a mixed-case
    word in ``pre`` after its first empties it; then ``_trim_task([*pre, head])`` keeps the head (it is not
    ``_STOPS``) and, once it keeps a word, goes on only through words it keeps whatever comes after them
    (``_KEPT``): the longest run of such words at the end of ``pre``."""
    k = _phrase_plan(tuple(map(_pre_word, ws)))
    if k is None:
        return []
    if head[:1].isupper() and ws[-1][:1].isupper():
        return None
    return ws[k:]


@lru_cache(maxsize=4096)
def _phrase_plan(bits: tuple[int, ...]) -> int | None:
    """:func:`_head_phrase_words` read from the words' bits alone (a function of a few small numbers, cached):
    None where ``pre`` is empty (before the capitals are looked at), else where the kept words start (the number
    of words: none kept)."""
    n = p = len(bits)  # pre = ws[p:]
    while p and bits[p - 1] & _PHRASE:
        p -= 1
    if p == n:
        return None
    k = n
    while k > p and bits[k - 1] & _KEPT_WORD:
        k -= 1
    if k == n:
        return n
    for b in bits[p + 1:]:
        if b & _MIXED_CASE:
            return n  # a mixed-case word after the first: pre = [], the phrase is the head alone
    return k


def _cue_after(text: str, e: int) -> bool:
    """``_TASK_CUE_AFTER.match(text[e:e + 12])`` ("... detection tasks"): the pattern starts with whitespace
    (a regex whitespace character is one ``str.isspace`` accepts), so most heads are settled by the character
    after them, without a slice."""
    return e < len(text) and text[e].isspace() and bool(_TASK_CUE_AFTER.match(text[e:e + 12]))


def task_phrases(text: str, start: int, end: int, triggers: list[Trigger] | None = None) -> Iterator[Cand]:
    """Noun phrases that end in a task head ("... detection", "... retrieval"), in ``text[start:end]``.

    A phrase is the head and at most four words before it in the same clause, trimmed of function
    words, verbs and generic modifiers.
    """
    if triggers is None:
        triggers = find_triggers(text, TASK_HEAD_WORDS, start, end)
    n = len(text)
    for hs, e, low in triggers:
        if hs < start or hs >= end or (e < n and text[e] == "-"):
            continue  # "detection-based": the head modifies another word
        if low in _PROBLEM_WORDS:
            yield from _problem_phrase(text, start, hs, e)
            continue
        if low in _TASK_WORDS:
            yield from _task_list(text, e, end)
            continue
        while hs > start and text[hs - 1] == "-" and hs > 1 and text[hs - 2].isalnum():
            hs = text.rfind(" ", start, hs - 1) + 1 or start  # "super-resolution": the whole hyphenated word
        head = text[hs:e]
        if head[:1].isupper() and text[max(start, hs - 3):hs].strip() not in (".", ""):
            continue
        if _trim_word(head) == _STOPS:
            continue  # the trimmed phrase would not end in the head
        # (the last four words of the stretch: ``split()[-4:]``, splitting only the end of it)
        pre = _head_phrase_words(text[max(start, hs - 60):hs].rsplit(None, 4)[-4:], head)
        if pre is None:
            continue  # a capitalised head after a capitalised word is part of a name
        if not pre and low in _SINGLE_HEAD_STOP:
            continue
        s = hs
        for w in reversed(pre):
            idx = text.rfind(w, start, s)
            if idx < 0:
                break
            s = idx
        before = text[max(start, s - 30):s]
        # (_cue_after, inlined)
        cue_after = e < n and text[e].isspace() and bool(_TASK_CUE_AFTER.match(text[e:e + 12]))
        if low in _CUE_ONLY_HEADS and not (cue_after or _cue_before(before, _STRONG_CUE_WORDS)):
            continue  # "rich representations", "of CLIP embeddings": tasks only where the text says so
        if cue_after or _cue_before(before):
            yield s, e, "TASK", "kg_tasks:cue", 0.6
        else:
            yield s, e, "TASK", "kg_tasks:head", 0.4


_TITLE_LOWER_WORD = re.compile(r"(?<=\s)([a-z][a-z'-]*)\b")
_TITLE_SMALL = frozenset("a an the of for in on to and or with via from by at as vs versus into over under through "
                         "without within towards toward beyond upon is are".split())


_TITLE_SINGLE_STOP = _SINGLE_HEAD_STOP | {"interpretability", "explainability", "fairness", "perception", "reasoning",
                                          "understanding", "robustness", "tuning", "evaluation", "search"}


_TITLE_WORD_END = re.compile(r"[\s:?!]+")
_TITLE_WORD_END_SPACES = str.maketrans(":?!", "   ")


def _title_has_head(title: str) -> bool:
    """Some word of the title (split at whitespace and at ":", "?", "!"), or its part after its last hyphen, is a
    task head: the quick test of :func:`title_tasks`. Every phrase it finds ends in such a word: the last word of a
    part of the title, and a part ends before whitespace, before one of ":?!" or at the end of the title (where it
    ends before a preposition, "Add-on ...", its last word ends in a character that no head ends in)."""
    # (``_TITLE_WORD_END.split``'s words: ":?!" made spaces, split at whitespace; a word without a hyphen is its own
    # part after the last hyphen, so only the hyphenated words need the second test)
    words = title.lower().translate(_TITLE_WORD_END_SPACES).split()
    return not _HEADS_SET.isdisjoint(words) or any(w.rpartition("-")[2] in _HEADS_SET for w in words if "-" in w)


@lru_cache(maxsize=65536)
def _title_word_kind(w: str) -> int:
    """0 for a small word of a title (_TITLE_SMALL), 2 for another word that is capitalised, 1 for the rest."""
    if w.lower() in _TITLE_SMALL:
        return 0
    return 2 if w[:1].isupper() else 1


def title_tasks(title: str) -> Iterator[Cand]:
    """Task phrases of a title: the part a preposition ("for X", "in X") or the whole part heads, ending in a task head."""
    if not _title_has_head(title):
        return  # most of the work below is for titles that name a task
    # (the words that are no small words, and how many of them are capitalised, from a cache of each word's kind)
    kinds = list(map(_title_word_kind, title.split()))
    n_content = len(kinds) - kinds.count(0)
    title_case = n_content >= 3 and kinds.count(2) * 5 >= n_content * 3
    pieces = []
    pos = 0
    for m in _TITLE_SPLIT_FAST.finditer(title):
        pieces.append((pos, m.start(), title[m.start():m.end()].strip().lower()))
        pos = m.end()
    pieces.append((pos, len(title), ""))
    prev_sep = ""
    for s, e, sep in pieces:
        rule = "kg_tasks:title"
        if prev_sep in {"via", "using", "with", "by", "through", "based on", "leveraging"}:
            rule = "kg_tasks:title-means"  # "... via Similar Case Retrieval": the means, a task only if nothing else is
        prev_sep = sep
        chunk = title[s:e]
        parts = [(s, chunk)]
        for pm in _TITLE_TASK_PREP.finditer(chunk):
            parts.append((s + pm.end(), title[s + pm.end():e]))
            if pm.group(0).strip().lower() in ("in", "on", "under"):
                # "Object Detection in Aerial Images", "Galaxy Classification under Dataset Shift"
                parts.append((s, chunk[:pm.start()]))
        if title_case:
            # a Title Case title: a lowercase word that is no function word is a verb and ends the noun phrase
            # ("Visual Data-Type Understanding does not emerge from ...")
            for vm in _TITLE_LOWER_WORD.finditer(chunk):
                if vm.group(1) not in _TITLE_SMALL:
                    parts.append((s, chunk[:vm.start()]))
                    break
        for ps, part in parts:
            pw = part.split()
            if not pw:
                continue
            last = pw[-1].lower()
            if last not in _HEADS_SET and last.rpartition("-")[2] not in _HEADS_SET:
                continue
            words = _trim_task(pw[-6:])
            if not words:
                continue
            if len(words) == 1 and words[0].lower() in _TITLE_SINGLE_STOP:
                continue
            phrase = " ".join(words)
            idx = title.find(words[0], ps)
            if idx < 0:
                continue
            yield idx, idx + len(" ".join(words)) if title[idx:idx + len(phrase)] == phrase else ps + len(part.rstrip()), \
                "TASK", rule, 0.75


_DATASET_SUFFIX = re.compile(r"(?:Bench|Benchmark|QA|Eval|Set|DB|Corpus|Arena|Data|Instruct|Bank|VQA|-\d+[KkMm]|"
                             r"(?<=[A-Z]{2})\d+[KkMm])$")  # "IN1K": a thousand classes or a million images
_METHOD_SUFFIX = re.compile(r"(?:Net|Network|Networks|Former|former|GAN|BERT|Loss|Distance|Divergence|Transformer|"
                            r"Attention|Encoder|Decoder|Diffusion|Fusion|Pooling|Optimizer|LM|GPT|CLIP|Agent)$")


_SIZE_WORD = re.compile(r"\d+(?:\.\d+)*[KkMmBb]?|[vV]\d+(?:\.\d+)*")


@lru_cache(maxsize=65536)
def name_kind(name: str) -> str | None:
    """METHOD or DATASET from how a name ends ("...Bench", "...QA" vs "...Net", "...Former"), else its head word."""
    words = name.split()
    while len(words) > 1 and _SIZE_WORD.fullmatch(words[-1]):
        words = words[:-1]  # "Zorb Dataset 11K", "Quill Benchmark v2": the head comes before the size or version
    if len(words) < len(name.split()):
        return name_kind(" ".join(words))
    last = words[-1] if words else name
    if _DATASET_SUFFIX.search(last):
        return "DATASET"
    if _METHOD_SUFFIX.search(last):
        return "METHOD"
    return head_kind(name)


@lru_cache(maxsize=65536)
def head_kind(phrase: str) -> str | None:
    """METHOD, DATASET or TASK from the last word of a noun phrase, or None."""
    words = _PHRASE_WORD.findall(phrase.lower())
    if not words:
        return None
    last = words[-1]
    two = " ".join(words[-2:])
    if last in LEX.dataset_heads or two in LEX.dataset_heads:
        return "DATASET"
    if last in {"problem", "problems", "task", "tasks"}:
        return "TASK"
    if last in LEX.task_heads and last not in {"alignment", "distillation", "hashing", "tuning", "search",
                                                "optimization", "representations", "embeddings", "embedding",
                                                "inference", "generation", "adaptation", "correction", "clustering",
                                                "compression"}:
        return "TASK"
    if last in LEX.method_heads:
        return "METHOD"
    return None


_EXISTING_DATA = re.compile(r"\b(?:publicly[- ]available|existing|popular|standard|widely[- ]used|well[- ]known|commonly[- ]used|"
                            r"public|established|off-the-shelf)\s+(?:[\w-]+\s+){0,3}?(?:data\s?sets?|benchmarks?|corpora|"
                            r"data\s+sources|sources|collections|suites)\b", re.I)


def existing_data_before(text: str, sent_start: int, start: int) -> bool:
    """The sentence calls the data before this mention existing ("six publicly available data sources - A, B, C",
    "on popular benchmarks such as X"): the name is someone else's, even in a sentence that introduces something."""
    return bool(_EXISTING_DATA.search(text, sent_start, start))
