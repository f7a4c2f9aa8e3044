"""``dls scenarios``: list the built-in scenarios and show one's resolved targets."""

from __future__ import annotations

import json

import click

from dls.cli._common import run_guarded

_FORMAT = click.option(
    "--format",
    "fmt",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json"]),
    help="Output format.",
)


@click.group("scenarios")
def scenarios() -> None:
    """List and show scenarios (preservation targets by deployment)."""


@scenarios.command("list")
@_FORMAT
def list_(fmt: str) -> None:
    """List the built-in scenarios."""
    from dls import scenario_docs

    if fmt == "json":
        data = run_guarded(scenario_docs.list_json)
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(run_guarded(scenario_docs.list_text), nl=False)


@scenarios.command("show")
@click.argument("scenario", metavar="ID|PATH")
@_FORMAT
def show(scenario: str, fmt: str) -> None:
    """Show a scenario's targets after inheritance: a built-in id or a scenario file."""
    from dls import scenario_docs
    from dls.scenarios import resolve

    found = run_guarded(lambda: resolve(scenario))
    if fmt == "json":
        click.echo(json.dumps(found.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(scenario_docs.show_text(found), nl=False)
