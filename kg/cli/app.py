"""The ``kg`` command: a Typer app; each area adds its commands from its own module."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(
    name="kg",
    help="Turn research-paper abstracts into a typed knowledge graph: extract, build, query, export, analyse.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
load_app = typer.Typer(help="Load a built graph into a database.", no_args_is_help=True)
export_app = typer.Typer(help="Export a built graph to files.", no_args_is_help=True)
app.add_typer(load_app, name="load")
app.add_typer(export_app, name="export")

#: Results go to stdout, messages to stderr.
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def kg_command(func):  # type: ignore[no-untyped-def]
    """Turn a :class:`~kg.errors.KgError` raised by a command into its message and exit status 1."""
    import functools

    from kg.errors import KgError

    @functools.wraps(func)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return func(*args, **kwargs)
        except KgError as error:
            err.print(f"[red]error:[/red] {error}", highlight=False, markup=True)
            raise typer.Exit(1) from None

    return wrapper
