"""Cut rows into ``UNWIND`` batches bounded by a row count and by the bytes of their JSON-encoded parameters.

A row too large for the byte bound on its own is sent by itself with its longest text and list properties
emptied (``head``); the values then follow in parts that each fit, appended in order (``SET n.p = n.p + $part``).
This is what lets a >4 KB abstract reach a server whose Bolt messages must stay under 4 KB.

>>> rows = [{"id": str(i), "props": {"name": "x" * 10}} for i in range(5)]
>>> [len(b.rows) for b in batches(rows, max_rows=2, max_bytes=10_000)]
[2, 2, 1]
>>> [len(b.rows) for b in batches(rows, max_rows=100, max_bytes=100)]
[2, 2, 1]
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kg.errors import E, StoreError

#: A function from the values of a row to the values sent (see ``kg.stores.neo4j.escape_falkordb``).
Encoder = Callable[[Any], Any]
#: ``{"rows":[`` and ``]}`` around the rows of a batch.
_WRAPPER = len('{"rows":[]}')


def encoded_size(value: Any) -> int:
    """Bytes of ``value`` as compact UTF-8 JSON: the measure of ``--max-batch-bytes``.

    >>> encoded_size({"a": "é\\n"})
    12
    """
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


@dataclass(frozen=True)
class Part:
    """One piece of a long value of a row sent alone: append ``value`` to property ``prop``."""

    prop: str
    value: str | list[Any]


@dataclass(frozen=True)
class Batch:
    """Rows for one ``UNWIND $rows`` statement; ``parts`` only for a single oversized row."""

    rows: list[dict[str, Any]]
    nbytes: int
    parts: tuple[Part, ...] = field(default=())
    #: The oversized row as given (``rows`` then holds its head), for checking what changed.
    full: dict[str, Any] | None = None


def _identity(value: Any) -> Any:
    return value


def _split_text(text: str, budget: int, encode: Encoder = _identity) -> list[str]:
    """Pieces of ``text`` whose JSON encodings are at most ``budget`` bytes each; joined they give ``text``."""
    pieces: list[str] = []
    start, used = 0, 2  # the quotes
    costs: dict[str, int] = {}
    for i, ch in enumerate(text):
        cost = costs.get(ch)
        if cost is None:
            cost = costs[ch] = encoded_size(encode(ch)) - 2
        if used + cost > budget and i > start:
            pieces.append(text[start:i])
            start, used = i, 2
        used += cost
    pieces.append(text[start:])
    return pieces


def _split_list(items: list[Any], budget: int, encode: Encoder = _identity) -> list[list[Any]] | None:
    """Runs of ``items`` whose JSON encodings fit ``budget``; ``None`` when one item alone does not fit."""
    runs: list[list[Any]] = []
    run: list[Any] = []
    used = 2  # the brackets
    for item in items:
        size = encoded_size(encode(item))
        cost = size + (1 if run else 0)
        if 2 + size > budget:
            return None
        if used + cost > budget:
            runs.append(run)
            run, used = [], 2
            cost = size
        run.append(item)
        used += cost
    if run:
        runs.append(run)
    return runs


def split_row(row: dict[str, Any], *, max_bytes: int, key: dict[str, Any], owner: str,
              encode: Encoder = _identity) -> Batch:
    """Send one row larger than ``max_bytes`` as a head plus parts (see the module docstring).

    ``key`` is what identifies the row in an append statement (``{"id": ...}`` or source and target);
    ``owner`` names the row in an error; sizes are measured on ``encode(value)``, what goes on the wire.
    Raises ``StoreError`` (E062) when even the head cannot fit.

    >>> b = split_row({"id": "p", "props": {"t": "ab" * 100}}, max_bytes=120, key={"id": "p"}, owner="Paper")
    >>> b.rows, "".join(p.value for p in b.parts) == "ab" * 100, max(len(p.value) for p in b.parts) <= 120
    ([{'id': 'p', 'props': {'t': ''}}], True, True)
    """
    props = dict(row["props"])
    head = {**row, "props": props}
    part_budget = max_bytes - encoded_size(encode({**key, "part": ""}))
    splittable = sorted((k for k, v in props.items() if isinstance(v, str | list) and v),
                        key=lambda k: encoded_size(encode(props[k])), reverse=True)
    parts: list[Part] = []
    for prop in splittable:
        if encoded_size(encode({"rows": [head]})) <= max_bytes:
            break
        value = props[prop]
        pieces: list[Any] | None
        if isinstance(value, str):
            pieces = _split_text(value, part_budget, encode) if part_budget > 2 else None
        else:
            pieces = _split_list(value, part_budget, encode) if part_budget > 2 else None
        if pieces is None:
            raise StoreError(E.E062.format(owner=owner, key=_key_text(key), prop=prop,
                                           size=encoded_size(encode(value)), limit=max_bytes))
        props[prop] = "" if isinstance(value, str) else []
        parts.extend(Part(prop, piece) for piece in pieces)
    size = encoded_size(encode({"rows": [head]}))
    if size > max_bytes:
        largest = max(props, key=lambda k: encoded_size(encode(props[k])), default="id")
        raise StoreError(E.E062.format(owner=owner, key=_key_text(key), prop=largest, size=size, limit=max_bytes))
    return Batch(rows=[head], nbytes=size, parts=tuple(parts), full=row)


def _key_text(key: dict[str, Any]) -> str:
    return str(key["id"]) if "id" in key else f"{key.get('source')} -> {key.get('target')}"


def batches(rows: Iterable[dict[str, Any]], *, max_rows: int, max_bytes: int,
            key_of: Callable[[dict[str, Any]], dict[str, Any]] | None = None, owner: str = "row",
            encode: Encoder = _identity) -> Iterator[Batch]:
    """Group ``rows`` (``{"props": {...}, ...}``) into batches of at most ``max_rows`` rows whose
    ``{"rows": [...]}`` encodes to at most ``max_bytes`` bytes; a row over the bound alone is split
    (:func:`split_row`, identified by ``key_of(row)``, default its ``id``). Rows are measured as
    ``encode(row)`` (the values as they will be sent) but yielded as given."""
    key_of = key_of or (lambda row: {"id": row["id"]})
    current: list[dict[str, Any]] = []
    used = _WRAPPER
    for row in rows:
        size = encoded_size(encode(row))
        if _WRAPPER + size > max_bytes:
            if current:
                yield Batch(rows=current, nbytes=used)
                current, used = [], _WRAPPER
            yield split_row(row, max_bytes=max_bytes, key=key_of(row), owner=owner, encode=encode)
            continue
        extra = size + (1 if current else 0)
        if current and (len(current) >= max_rows or used + extra > max_bytes):
            yield Batch(rows=current, nbytes=used)
            current, used = [], _WRAPPER
            extra = size
        current.append(row)
        used += extra
    if current:
        yield Batch(rows=current, nbytes=used)
