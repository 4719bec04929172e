"""Shared, read-only resources of the extractor: word lists and gazetteer patterns.

Everything here is loaded once per process and cached at module level, so building a
pipeline twice (or in each worker of ``n_process``) does not re-read the data files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.errors import E, InputError

DATA_DIR = Path(__file__).parent / "data"
GAZETTEER_PATH = DATA_DIR / "gazetteer.jsonl"
LEXICON_PATH = DATA_DIR / "lexicon.json"

LABELS = ("METHOD", "DATASET", "TASK")
_YEAR = re.compile(r"(?<=[a-z])[\s'’-]*(?:19|20)\d\d$")


@dataclass(frozen=True, slots=True)
class Pattern:
    label: str
    pattern: str
    source: str


def read_patterns(path: Path) -> list[Pattern]:
    """Read a JSONL patterns file (``{"label": "METHOD"|"DATASET"|"TASK", "pattern": "..."}`` per line)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError(E.E001.format(path=path, why=error.strerror or error)) from error
    out: list[Pattern] = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(E.E014.format(path=path, line=number, why=f"not JSON ({error.msg})")) from error
        if not isinstance(obj, dict):
            raise InputError(E.E014.format(path=path, line=number, why="not a JSON object"))
        label, pattern = obj.get("label"), obj.get("pattern")
        if label not in LABELS:
            why = f"label {label!r} is not one of {', '.join(LABELS)}"
            raise InputError(E.E014.format(path=path, line=number, why=why))
        if not isinstance(pattern, str) or not pattern.strip():
            raise InputError(E.E014.format(path=path, line=number, why="'pattern' must be a non-empty string"))
        out.append(Pattern(label, pattern.strip(), f"{path}:{number}"))
    return out


@lru_cache(maxsize=8)
def load_patterns(paths: tuple[str, ...] = (), use_default: bool = True) -> tuple[Pattern, ...]:
    """The default gazetteer plus the users' pattern files; a later file overrides an earlier label."""
    files: list[Path] = ([GAZETTEER_PATH] if use_default else []) + [Path(p) for p in paths]
    merged: dict[tuple[str, str], Pattern] = {}
    for path in files:
        for pat in read_patterns(path):
            # a user file may re-type a default name: drop the earlier label for that text
            for label in LABELS:
                if label != pat.label and (label, pat.pattern) in merged and path != GAZETTEER_PATH:
                    del merged[(label, pat.pattern)]
            merged[(pat.label, pat.pattern)] = pat
    return tuple(merged.values())


@dataclass(frozen=True)
class Lexicon:
    metrics: frozenset[str]
    organisations: frozenset[str]
    generic: frozenset[str]
    generic_phrases: frozenset[str]
    language_words: frozenset[str]
    dataset_heads: frozenset[str]
    method_heads: frozenset[str]
    task_heads: frozenset[str]
    generic_task_modifiers: frozenset[str]
    task_verbs: frozenset[str]
    title_prefix_stop: frozenset[str]
    technique_tasks: frozenset[str]
    field_heads: frozenset[str]
    common_words: frozenset[str]
    metric_heads: frozenset[str]
    learning_settings: frozenset[str]
    non_method_heads: frozenset[str]
    _why: dict[str, str | None] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def blocked(self, text: str) -> str | None:
        """Why ``text`` is not a named method or dataset (``metric``, ``organisation``, ``generic``), or None."""
        try:
            return self._why[text]
        except KeyError:
            why = self._blocked(text)
            if len(self._why) < 100_000:
                self._why[text] = why
            return why

    def _blocked(self, text: str) -> str | None:
        low = _YEAR.sub("", text.lower().strip())  # "ACL 2022" is the venue ACL
        if low in self.metrics:
            return "metric"
        if low in self.organisations:
            return "organisation"
        if low in self.generic or low in self.generic_phrases:
            return "generic"
        return None


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))

    def fs(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in data.get(key, ()))

    return Lexicon(**{name: fs(name) for name in Lexicon.__dataclass_fields__ if not name.startswith("_")})


def known_names(patterns: Iterable[Pattern]) -> dict[str, str]:
    """Normalised surface form -> label, for fast look-ups outside the matcher."""
    from kg.nlp.resolve import surface_key

    out: dict[str, str] = {}
    for pat in patterns:
        out.setdefault(surface_key(pat.pattern), pat.label)
    return out


_WORD_PARTS = re.compile(r"[ -]")
_PART_START = re.compile(r"(?:^|(?<=[ -]))[a-z]")


def variants(pattern: str, label: str) -> Sequence[str]:
    """Spelling variants a gazetteer entry also matches: hyphen/space/none, a capitalised and a plural form."""
    forms = {pattern}
    if "-" in pattern:
        forms.add(pattern.replace("-", " "))
        forms.add(pattern.replace("-", ""))
    if " " in pattern and label != "TASK":
        forms.add(pattern.replace(" ", "-"))
        forms.add(pattern.replace(" ", ""))
    if label != "TASK":
        for f in list(forms):
            if f[:1].islower() and not any(c.isupper() for c in f):
                forms.add(f[:1].upper() + f[1:])
            if " " in f and all(w[1:].islower() or not w[1:].isalpha() for w in _WORD_PARTS.split(f) if w):
                # a name of common words also in Title Case: "Logistic Regression", "K-Nearest Neighbors",
                # "Gaussian Process" ("BERT base" has a word in capitals and stays as it is)
                forms.add(_PART_START.sub(lambda m: m.group(0).upper(), f))
        if label == "METHOD" and pattern[-1:].isalpha() and len(pattern) > 2 and not pattern.endswith("s"):
            forms.add(pattern + "s")
    return sorted(forms)
