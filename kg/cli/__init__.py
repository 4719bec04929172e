"""Command-line interface. Commands are thin wrappers over library functions that return data."""

from __future__ import annotations

import sys

from kg import pipeline
from kg.cli import analyze as _analyze  # noqa: F401

# Each module registers its commands on import.
from kg.cli import build as _build  # noqa: F401
from kg.cli import load as _load  # noqa: F401
from kg.cli import query as _query  # noqa: F401
from kg.cli import rdf as _rdf  # noqa: F401
from kg.cli.app import app, err
from kg.errors import KgError


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``kg`` console script: a ``KgError`` becomes a message and exit status 1."""
    pipeline.TUNE_GC = True  # one command per process (kg.pipeline.make_extractor)
    try:
        app(args=argv, standalone_mode=True)
    except KgError as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        sys.exit(1)


__all__ = ["app", "main"]
