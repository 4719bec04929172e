"""Streaming readers for listing dumps, JSONL / JSON, CSV, the arXiv snapshot and OpenAlex works.

Every reader yields frozen :class:`~kg.models.PaperRecord` s one at a time. A bad line or record is
reported in a :class:`ReadReport` with its file and line and skipped; the good records go on.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kg.errors import E, InputError
from kg.models import PaperRecord

FORMATS = ("listing", "jsonl", "json", "csv", "tsv")

#: Our field name -> names other sources use for it, in order of preference.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "paper_id", "paperId", "corpusid", "corpus_id", "arxiv_id", "entry_id"),
    "title": ("title", "display_name", "paper_title", "name"),
    "abstract": ("abstract", "summary", "paperAbstract", "abstract_text", "description"),
    "url": ("url", "entry_id", "paper_url", "link", "landing_page_url", "abs_url"),
    "date": ("date", "publication_date", "published", "update_date", "updated", "year", "publication_year"),
    "authors": ("authors", "authorships", "authors_parsed", "author"),
    "arxiv_id": ("arxiv_id", "arxivId", "arxiv"),
    "doi": ("doi", "DOI"),
    "categories": ("categories", "primary_category"),
}

_ARXIV_RE = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)/|arxiv:)?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)
_NEW_ARXIV_RE = re.compile(r"^\d{4}\.\d{4,5}(?:v\d+)?$")
_OLD_ARXIV_RE = re.compile(r"^[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?$", re.I)


@dataclass
class Problem:
    path: str
    line: int | None
    message: str
    skipped: bool = True


@dataclass
class ReadReport:
    """What a read saw: records per file, and every problem with its file and line."""

    read: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    on_problem: Callable[[Problem], None] | None = None
    max_kept: int = 10_000

    def problem(self, path: str, line: int | None, message: str, *, reason: str, skipped: bool = True) -> None:
        if skipped:
            self.skipped[reason] += 1
        p = Problem(path, line, message, skipped)
        if len(self.problems) < self.max_kept:
            self.problems.append(p)
        if self.on_problem is not None:
            self.on_problem(p)

    @property
    def total_read(self) -> int:
        return sum(self.read.values())

    @property
    def total_skipped(self) -> int:
        return sum(self.skipped.values())

    def summary(self) -> str:
        parts = [f"read {self.total_read} records from {len(self.read)} inputs"]
        if self.skipped:
            why = ", ".join(f"{n} {reason}" for reason, n in self.skipped.most_common())
            parts.append(f"skipped {self.total_skipped} ({why})")
        return "; ".join(parts)


# --------------------------------------------------------------------------- helpers


def _clean(text: Any) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    return " ".join(text.split())


def normalize_arxiv_id(value: str | None) -> str | None:
    """A bare arXiv id without version, from an id, an abs/pdf URL or ``arXiv:`` form.

    >>> normalize_arxiv_id("http://arxiv.org/abs/2306.14753v1")
    '2306.14753'
    >>> normalize_arxiv_id("hep-th/9901001v2")
    'hep-th/9901001'
    >>> normalize_arxiv_id("not an id") is None
    True
    """
    if not value:
        return None
    value = str(value).strip()
    m = _ARXIV_RE.search(value)
    if not m:
        return None
    bare = m.group(1)
    # a bare number-like id must be the whole value or come from an arXiv URL / prefix
    if m.start() > 0 and "arxiv" not in value.lower():
        return None
    return bare


def normalize_doi(value: str | None) -> str | None:
    """A lowercase DOI without resolver prefix.

    >>> normalize_doi("https://doi.org/10.1103/PhysRevD.76.013009")
    '10.1103/physrevd.76.013009'
    """
    if not value:
        return None
    value = str(value).strip()
    value = re.sub(r"^(?:https?://)?(?:dx\.)?doi\.org/", "", value, flags=re.I)
    value = re.sub(r"^doi:\s*", "", value, flags=re.I)
    return value.lower() if value.startswith("10.") else None


def abstract_from_inverted_index(index: Mapping[str, Iterable[int]] | None) -> str:
    """Rebuild OpenAlex's ``abstract_inverted_index`` into text.

    >>> abstract_from_inverted_index({"graphs": [1], "Knowledge": [0], "help.": [2]})
    'Knowledge graphs help.'
    """
    if not index:
        return ""
    positions: list[tuple[int, str]] = [(i, word) for word, where in index.items() for i in where]
    positions.sort()
    return " ".join(word for _, word in positions)


def _authors(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        s = value.strip()
        if s.startswith("[") and s.endswith("]"):
            try:
                return _authors(ast.literal_eval(s))
            except (ValueError, SyntaxError):
                pass
        parts = re.split(r",\s*(?:and\s+)?|\s+and\s+|;\s*", s)
        return tuple(_clean(p) for p in parts if _clean(p))
    if isinstance(value, Mapping):
        return _authors([value])
    out = []
    for a in value:
        if isinstance(a, str):
            out.append(_clean(a))
        elif isinstance(a, Mapping):  # OpenAlex authorship or {"name": ...}
            name = a.get("display_name") or a.get("name") or (a.get("author") or {}).get("display_name")
            if name:
                out.append(_clean(name))
        elif isinstance(a, list | tuple):  # arXiv authors_parsed: [last, first, suffix]
            last, first = [*list(a), "", ""][:2]
            out.append(_clean(f"{first} {last}"))
    return tuple(x for x in out if x)


def _categories(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        s = value.strip()
        if s.startswith("["):
            try:
                return tuple(str(x) for x in ast.literal_eval(s))
            except (ValueError, SyntaxError):
                pass
        return tuple(s.split())
    return tuple(str(x) for x in value)


def _first(obj: Mapping[str, Any], names: Iterable[str]) -> Any:
    for name in names:
        value = obj.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def _date(value: Any) -> str | None:
    if value in (None, ""):
        return None
    s = str(value).strip()
    m = re.match(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)", s)
    return m.group(1) if m else s


def record_from_mapping(
    obj: Mapping[str, Any], *, source: str, fallback_id: str, mapping: Mapping[str, str] | None = None
) -> tuple[PaperRecord | None, str | None]:
    """Make a record from one JSON object or CSV row of any supported flavour.

    Returns ``(record, None)`` or ``(None, missing_field)``. ``mapping`` maps our field names to the
    input's (``{"abstract": "summary"}``).

    >>> rec, _ = record_from_mapping({"id": "0704.0001", "title": "A  title", "abstract": " Text "},
    ...                              source="f:1", fallback_id="f:1")
    >>> rec.arxiv_id, rec.title, rec.abstract
    ('0704.0001', 'A title', 'Text')
    """
    mapping = mapping or {}

    def get(name: str) -> Any:
        if name in mapping:
            return obj.get(mapping[name])
        return _first(obj, FIELD_ALIASES[name])

    title = _clean(get("title"))
    abstract = _clean(get("abstract"))
    if not abstract and "abstract_inverted_index" in obj and "abstract" not in mapping:
        abstract = _clean(abstract_from_inverted_index(obj.get("abstract_inverted_index")))
    if not title:
        return None, "title"
    if not abstract:
        return None, "abstract"

    raw_id = get("id")
    ident = str(raw_id).strip() if raw_id not in (None, "") else fallback_id
    arxiv_id = normalize_arxiv_id(get("arxiv_id"))
    if arxiv_id is None and raw_id is not None:
        rid = str(raw_id)
        if _NEW_ARXIV_RE.match(rid) or _OLD_ARXIV_RE.match(rid) or "arxiv.org/" in rid:
            arxiv_id = normalize_arxiv_id(rid)
    doi = normalize_doi(get("doi"))
    url = get("url")
    if isinstance(url, Mapping):
        url = url.get("landing_page_url")
    if url is None and isinstance(obj.get("primary_location"), Mapping):
        url = obj["primary_location"].get("landing_page_url")
    if url is None and arxiv_id:
        url = f"https://arxiv.org/abs/{arxiv_id}"
    return (
        PaperRecord(
            id=ident,
            title=title,
            abstract=abstract,
            url=str(url) if url else None,
            date=_date(get("date")),
            authors=_authors(get("authors")),
            arxiv_id=arxiv_id,
            doi=doi,
            categories=_categories(get("categories")),
            source=source,
        ),
        None,
    )


# --------------------------------------------------------------------------- line decoding


def _decoded_lines(handle: IO[bytes], path: str, report: ReadReport) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) decoding UTF-8; a bad line is decoded with replacement and reported."""
    for number, raw in enumerate(handle, 1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            text = raw.decode("utf-8", errors="replace")
            report.problem(path, number, E.E005.format(path=path, line=number, why=error.reason),
                           reason="bad encoding", skipped=False)
        yield number, text


# --------------------------------------------------------------------------- listing dumps

_SITE_LINES = re.compile(
    r"""^(?:get\ trending\ papers\ in\ your\ email\ inbox.*|subscribe|new|by\s*ak\ and\ the\ research\ community
        |(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\ \d{1,2}(?:,\ \d{4})?
        |\d{1,2}\ (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*
        |submitted\ by.*|upvotes?|\d+|·)$""",
    re.I | re.X,
)
_SUBSCRIBE_GLUE = re.compile(r"^Subscribe(?=[A-Z0-9])")
_TITLE_MAX = 300


def _looks_like_abstract(line: str) -> bool:
    """A line too long for a title, or a short paragraph of several sentences."""
    return len(line) > _TITLE_MAX or (len(line) > 200 and len(re.findall(r"[a-z0-9)][.!?]\s+[A-Z]", line)) >= 2)


def read_listing(handle: IO[bytes], path: str, report: ReadReport, **_: Any) -> Iterator[PaperRecord]:
    """Paper-listing dumps: a title line then an abstract line, with site lines in between.

    Blank lines are optional. Site lines ("Subscribe", "Get trending papers...", "Mar 14", ...) are dropped,
    including a "Subscribe" glued to the first title.
    """
    title: tuple[int, str] | None = None
    for number, text in _decoded_lines(handle, path, report):
        line = _clean(text)
        if not line or _SITE_LINES.match(line):
            continue
        line = _SUBSCRIBE_GLUE.sub("", line)
        if title is None:
            if _looks_like_abstract(line):
                report.problem(path, number, f"{path}:{number}: a paragraph with no title line before it; skipped.",
                               reason="no title")
                continue
            title = (number, line)
            continue
        if len(line) < 120 and not line.endswith((".", "!", "?")) and not _looks_like_abstract(line):
            # two title-like lines in a row: the first had no abstract
            report.problem(path, title[0], E.E003.format(path=path, line=title[0], field="abstract"),
                           reason="no abstract")
            title = (number, line)
            continue
        tline, ttext = title
        title = None
        rec, missing = record_from_mapping({"title": ttext, "abstract": line}, source=f"{path}:{tline}",
                                           fallback_id=f"{Path(path).name}:{tline}")
        if rec is None:
            report.problem(path, tline, E.E003.format(path=path, line=tline, field=missing), reason=f"no {missing}")
            continue
        yield rec
    if title is not None:
        report.problem(path, title[0], E.E003.format(path=path, line=title[0], field="abstract"),
                       reason="no abstract")


# --------------------------------------------------------------------------- JSON


def _json_objects(obj: Any) -> Iterator[Any]:
    """The records inside a JSON document: a list, an API response with ``results``/``data``, or one record."""
    if isinstance(obj, list):
        yield from obj
    elif isinstance(obj, Mapping):
        values = list(obj.values())
        if values and all(isinstance(v, Mapping) and ("title" in v or "abstract" in v) for v in values):
            # {"<paper id>": {"title": ..., "abstract": ...}, ...}
            for key, value in obj.items():
                yield {"id": key, **value} if "id" not in value else value
            return
        for key in ("results", "data", "papers", "works", "items", "records"):
            if isinstance(obj.get(key), list):
                yield from obj[key]
                return
        yield obj


def _emit_objects(objs: Iterable[tuple[int | None, Any]], path: str, report: ReadReport,
                  mapping: Mapping[str, str] | None, label: str) -> Iterator[PaperRecord]:
    name = Path(path).name
    for number, obj in objs:
        where = f"{path}:{number}"
        if not isinstance(obj, Mapping):
            report.problem(path, number, E.E012.format(path=path, line=number), reason="not an object")
            continue
        rec, missing = record_from_mapping(obj, source=where, fallback_id=f"{name}:{number}", mapping=mapping)
        if rec is None:
            report.problem(path, number, E.E003.format(path=path, line=number, field=missing),
                           reason=f"no {missing}")
            continue
        yield rec


def read_jsonl(handle: IO[bytes], path: str, report: ReadReport, mapping: Mapping[str, str] | None = None,
               **_: Any) -> Iterator[PaperRecord]:
    """JSON Lines: one object per line (also lines holding an API response with ``results``)."""

    def objects() -> Iterator[tuple[int, Any]]:
        for number, text in _decoded_lines(handle, path, report):
            if not text.strip():
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as error:
                report.problem(path, number, E.E002.format(path=path, line=number, why=error.msg),
                               reason="malformed JSON")
                continue
            if isinstance(obj, Mapping) and any(isinstance(obj.get(k), list) for k in ("results", "data")):
                for sub in _json_objects(obj):
                    yield number, sub
            else:
                yield number, obj

    yield from _emit_objects(objects(), path, report, mapping, "jsonl")


def read_json(handle: IO[bytes], path: str, report: ReadReport, mapping: Mapping[str, str] | None = None,
              **_: Any) -> Iterator[PaperRecord]:
    """A JSON document: an array of records, an API response (``results``), or one record.

    Falls back to JSON Lines when the document is not one JSON value.
    """
    data = handle.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        report.problem(path, None, E.E005.format(path=path, line="?", why=error.reason), reason="bad encoding",
                       skipped=False)
        text = data.decode("utf-8", errors="replace")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        if text.lstrip().startswith("{") and "\n{" in text:
            yield from read_jsonl(io.BytesIO(data), path, report, mapping)
            return
        report.problem(path, error.lineno, E.E002.format(path=path, line=error.lineno, why=error.msg),
                       reason="malformed JSON")
        return
    objs = ((i, o) for i, o in enumerate(_json_objects(doc), 1))
    yield from _emit_objects(objs, path, report, mapping, "json")


# --------------------------------------------------------------------------- CSV


def read_csv(handle: IO[bytes], path: str, report: ReadReport, mapping: Mapping[str, str] | None = None,
             delimiter: str | None = None, **_: Any) -> Iterator[PaperRecord]:
    """CSV / TSV with a header row holding ``title`` and ``abstract`` (or names given by ``mapping``)."""
    lines = (text for _, text in _decoded_lines(handle, path, report))
    if delimiter is None:
        delimiter = "\t" if path.endswith(".tsv") else ","
    csv.field_size_limit(sys.maxsize)
    reader = csv.DictReader(lines, delimiter=delimiter)
    name = Path(path).name
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            report.problem(path, reader.line_num, E.E013.format(path=path, line=reader.line_num, why=error),
                           reason="bad CSV row")
            continue
        number = reader.line_num
        row = {k.strip().lstrip("\ufeff") if isinstance(k, str) else k: v for k, v in row.items()}
        rec, missing = record_from_mapping(row, source=f"{path}:{number}", fallback_id=f"{name}:{number}",
                                           mapping=mapping)
        if rec is None:
            report.problem(path, number, E.E003.format(path=path, line=number, field=missing),
                           reason=f"no {missing}")
            continue
        yield rec


READERS: dict[str, Callable[..., Iterator[PaperRecord]]] = {
    "listing": read_listing,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "tsv": lambda h, p, r, **kw: read_csv(h, p, r, delimiter="\t", **kw),
}

_EXTENSIONS = {".txt": "listing", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv",
               ".tsv": "tsv"}


def detect_format(path: str, head: bytes) -> str:
    """Choose a reader by extension, else by the first bytes of content."""
    suffixes = Path(path).suffixes
    for suffix in reversed(suffixes):
        if suffix.lower() in _EXTENSIONS:
            fmt = _EXTENSIONS[suffix.lower()]
            if fmt == "json" and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
                # a .json file that is JSON Lines
                first = head.split(b"\n", 1)[0].strip()
                if first.endswith(b"}") and head.count(b"\n{") > 0:
                    return "jsonl"
            return fmt
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if body.startswith(b"["):
        return "json"
    if body.startswith(b"{"):
        first = body.split(b"\n", 1)[0].strip()
        return "jsonl" if first.endswith(b"}") else "json"
    first = body.split(b"\n", 1)[0].lower()
    if b"title" in first and b"abstract" in first and (b"," in first or b"\t" in first):
        return "tsv" if b"\t" in first else "csv"
    return "listing"


def expand_inputs(inputs: Iterable[str | Path]) -> Iterator[str]:
    """Files named, and the supported files inside folders named (sorted)."""
    for item in inputs:
        p = Path(item)
        if str(item) == "-":
            yield "-"
        elif p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and child.suffix.lower() in _EXTENSIONS and not child.name.startswith("."):
                    if child.name.upper() in {"README.TXT"}:
                        continue
                    yield str(child)
        else:
            yield str(p)


def read_records(
    inputs: Iterable[str | Path],
    *,
    fmt: str | None = None,
    mapping: Mapping[str, str] | None = None,
    report: ReadReport | None = None,
) -> Iterator[PaperRecord]:
    """Stream records from files, folders or ``-`` (stdin), each file with its own reader.

    Problems go to ``report``; an unreadable file is reported and skipped, the others are still read.
    """
    if fmt is not None and fmt not in READERS:
        raise InputError(E.E007.format(name=fmt, choices=", ".join(FORMATS)))
    report = report if report is not None else ReadReport()
    for path in expand_inputs(inputs):
        try:
            handle: IO[bytes] = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
        except OSError as error:
            report.problem(path, None, E.E001.format(path=path, why=error.strerror or error), reason="unreadable file")
            continue
        try:
            head = handle.peek(65536)[:65536] if hasattr(handle, "peek") else b""
            if path != "-" and not head.strip():
                report.problem(path, None, E.E004.format(path=path), reason="empty file")
                continue
            chosen = fmt or detect_format(path if path != "-" else "stdin", head)
            before = report.total_read
            count = 0
            name = "<stdin>" if path == "-" else path
            for rec in READERS[chosen](handle, name, report, mapping=mapping):
                count += 1
                yield rec
            report.read[name] += count
            if count == 0 and report.total_read == before:
                report.problem(name, None, E.E008.format(path=name), reason="no usable records", skipped=False)
        except OSError as error:
            report.problem(path, None, E.E001.format(path=path, why=error.strerror or error), reason="unreadable file")
        finally:
            if path != "-":
                handle.close()
