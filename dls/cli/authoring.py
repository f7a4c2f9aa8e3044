"""``dls init``, ``dls schema``, ``dls explain`` and ``dls diff``: authoring by hand.

Thin click wrappers over ``dls.authoring``; a ``DlsError`` becomes a message on
stderr and exit code 2.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from dls.errors import DlsError

F = TypeVar("F", bound=Callable[..., Any])


def _could_not_run(func: F) -> F:
    """Turn a ``DlsError`` into ``error: ...`` on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DlsError as exc:
            click.echo(f"error: {exc.message}", err=True)
            if exc.hint:
                click.echo(f"hint: {exc.hint}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


@click.command()
@click.argument("kind", type=click.Choice(["statement", "scenario", "records"]))
@click.option(
    "--version", "version", metavar="V", help="Schema version, e.g. v1 (default: newest)."
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout."
)
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@_could_not_run
def schema(kind: str, version: str | None, output: str | None, force: bool) -> None:
    """Print or write the bundled JSON Schema of KIND.

    Point your editor at the written file for completion and inline errors;
    see the editors page of the documentation.
    """
    from dls.authoring import schemas

    text = schemas.schema_text(kind, version)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from dls.authoring._write import write_text

    write_text(output, text, force=force)
    click.echo(f"wrote {output}", err=True)


@click.command()
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="List every code, category and metric.")
@_could_not_run
def explain(name: str | None, list_: bool) -> None:
    """Explain a finding code, a category or a metric.

    NAME is a finding code (DLS-S004, S004 or unknown-property), a category
    (task_performance) or a metric id (ece_equal_width).
    """
    from dls.authoring import explain as lib

    if list_ or name is None:
        if name is None and not list_:
            raise click.UsageError("give a NAME to explain, or --list")
        for kind, items in lib.names().items():
            click.echo(f"{kind}:")
            for item in items:
                click.echo(f"  {item}")
        return
    click.echo(lib.explain(name).text(), nl=False)
