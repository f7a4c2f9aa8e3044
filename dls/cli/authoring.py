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

from dls.cli._common import run_guarded

F = TypeVar("F", bound=Callable[..., Any])


def _could_not_run(func: F) -> F:
    """Run the command body under ``run_guarded``: a ``DlsError`` exits 2 with its message."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return run_guarded(lambda: func(*args, **kwargs))

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
    from dls.files import write_text

    write_text(output, text, force=force)
    click.echo(f"wrote {output}", err=True)


@click.command()
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="List every code, category and metric.")
@click.option(
    "--scenario",
    metavar="ID|PATH",
    help="Also show what this scenario asks of the category or metric.",
)
@_could_not_run
def explain(name: str | None, list_: bool, scenario: str | None) -> None:
    """Explain a finding code, a category or a metric.

    NAME is a finding code (DLS-S004, S004 or unknown-property), a category
    (task_performance) or a metric id (ece_equal_width). With --scenario, a
    category shows its requirement and accepted metrics there, and a metric
    its tolerance, minimum of items and whether an interval is required.
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
    found = lib.explain(name)
    if scenario is not None and found.kind != "code":
        found = lib.in_scenario(found, scenario)
    click.echo(found.text(), nl=False)


@click.command()
@click.option(
    "--scenario", "scenario", required=True, metavar="ID|PATH", help="Built-in scenario id or file."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the skeleton to FILE (default: print it).",
)
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.option(
    "--schema-ref",
    metavar="REF",
    default=None,
    help="Schema path or URL for the editor comment lines "
    "(default: statement-v1.schema.json next to FILE).",
)
@click.option(
    "--write-schema",
    is_flag=True,
    help="Also write the statement schema at --schema-ref, unless a file is there.",
)
@_could_not_run
def init(
    scenario: str, output: str | None, force: bool, schema_ref: str | None, write_schema: bool
) -> None:
    """Write a statement skeleton for a scenario.

    The skeleton holds every category the scenario requires or recommends,
    with comments that explain each field and list the accepted metrics.
    Every value to fill in is marked TODO and fails `dls validate` until it
    is filled. An existing FILE is never overwritten without --force.
    """
    import os
    from pathlib import Path

    from dls.authoring import init as lib
    from dls.files import write_text

    ref = schema_ref or lib.SCHEMA_REF
    plan, scenario_file = lib.plan_for(scenario)
    if scenario_file is not None:
        base = Path(output).parent if output else Path()
        rel = os.path.relpath(Path(scenario_file).resolve(), base.resolve())
        plan = lib.Plan(plan.scenario_id, plan.version, plan.title, plan.categories, rel)
    text = lib.skeleton(plan, schema_ref=ref)
    if output is None:
        click.echo(text, nl=False)
        return
    write_text(output, text, force=force)
    todo = len(lib.placeholder_lines(text))
    click.echo(f"wrote {output}: {todo} values marked TODO to fill in", err=True)
    if not output.endswith((".dls.yaml", ".dls.yml")):
        click.echo(
            "note: `dls validate DIR` finds statements named *.dls.yaml; "
            "name the file so, or pass it explicitly",
            err=True,
        )
    schema_file = Path(output).parent / ref
    if "://" in ref:
        return
    if write_schema and not schema_file.exists():
        from dls.authoring import schemas

        write_text(schema_file, schemas.schema_text("statement"))
        click.echo(f"wrote {schema_file} (for editors)", err=True)
    elif not schema_file.exists():
        click.echo(
            f"editor support: dls schema statement -o {schema_file} (see the editors guide)",
            err=True,
        )


@click.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown suits a pull-request comment.",
)
@click.option("--fail-on-new-loss", is_flag=True, help="Exit 1 when NEW has a loss OLD did not.")
@_could_not_run
def diff(old: str, new: str, fmt: str, fail_on_new_loss: bool) -> None:
    """Show what changed between two releases of a statement.

    Both files are validated; verdicts are the computed ones. Findings are
    matched by category and id. Reported: new, resolved and dropped losses,
    verdict changes, added and removed findings, numbers that changed beyond
    the precision they are written with, category assessments, teacher and
    student, scenario version and evidence. --format json prints old, new,
    scenario, one list per section and a summary of counts.

    Exit code 0, or 1 with --fail-on-new-loss when there is a new loss; 2
    when a file cannot be read or does not load as a statement.
    """
    from dls.authoring import diffview
    from dls.authoring.diff import diff_paths

    result = diff_paths(old, new)
    render = {"text": diffview.text, "json": diffview.as_json, "markdown": diffview.markdown}
    click.echo(render[fmt](result), nl=False)
    if fail_on_new_loss and result.new_losses:
        sys.exit(1)
