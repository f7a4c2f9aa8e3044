"""``dls render``: a statement as a Markdown section, an HTML page or a Hugging Face README."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dls.cli._common import fail, run_guarded


@click.command("render")
@click.argument("statement", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "html", "hf"]),
    default="markdown",
    show_default=True,
    help="markdown: a model-card section; html: a self-contained page; "
    "hf: a Hugging Face README.md with YAML front matter.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write to FILE (atomically) instead of standard output; an existing FILE needs --force.",
)
@click.option(
    "--into",
    "into",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="CARD.md",
    help="Insert the Markdown section into CARD.md between <!-- dls:begin --> and "
    "<!-- dls:end --> (appended with the markers when absent); the rest of the card is kept "
    "byte for byte. Writes CARD.md in place, or to -o FILE.",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="A Jinja2 card template of your own (start from dls/render/templates/card.md.j2).",
)
@click.option(
    "--scenario", metavar="ID|PATH", help="Judge against this scenario instead of the statement's."
)
@click.option(
    "--allow-invalid",
    is_flag=True,
    help="Render a statement that does not validate, with a banner listing its problems.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing -o FILE.")
@click.option(
    "--hf-task",
    default="other",
    show_default=True,
    metavar="TAG",
    help="Hub pipeline tag for model-index results in --format hf (e.g. text-classification).",
)
def render(
    statement: Path,
    fmt: str,
    output: Path | None,
    into: Path | None,
    template: Path | None,
    scenario: str | None,
    allow_invalid: bool,
    force: bool,
    hf_task: str,
) -> None:
    """Render STATEMENT as a model-card document.

    The statement is validated first; one that does not validate is refused
    (exit status 1, its findings on standard error) unless --allow-invalid.
    Exit status: 0 rendered, 1 not valid, 2 could not run.
    """
    from dls.errors import UsageError
    from dls.render import NotValid, Rendered, into_card, render_file, write_atomic
    from dls.report.text import file_lines

    def check_usage() -> None:
        if into is not None and fmt != "markdown":
            raise UsageError(
                "--into inserts the Markdown section into a card; use it with --format markdown"
            )
        if output is not None and output.exists() and not force:
            raise UsageError(f"{output} exists; pass --force to overwrite it")

    run_guarded(check_usage)

    def attempt() -> Rendered | NotValid:
        try:
            return render_file(
                statement,
                fmt,  # type: ignore[arg-type]
                scenario=scenario,
                allow_invalid=allow_invalid,
                template=template,
                hf_task=hf_task,
            )
        except NotValid as exc:
            return exc

    rendered = run_guarded(attempt)
    if isinstance(rendered, NotValid):
        for line in file_lines(rendered.report):
            click.echo(line, err=True)
        click.echo(
            f"{statement}: not rendered: the statement does not validate "
            "(fix it, or pass --allow-invalid to render it with a warning banner)",
            err=True,
        )
        fail(1)
    from dls.findings import Severity

    for f in rendered.report.sorted_findings():
        if rendered.valid and f.severity is Severity.WARNING:  # e.g. bidi controls in text
            click.echo(
                f"{rendered.report.file}:{f.line}:{f.column}: {f.code} warning: {f.message}",
                err=True,
            )
    if not rendered.valid:
        click.echo(
            f"warning: {statement} does not validate; rendered with a banner listing "
            f"{rendered.report.errors} error(s)",
            err=True,
        )
    if into is not None:
        changed = run_guarded(lambda: into_card(into, rendered.text, output))
        target = output or into
        click.echo(f"{target}: {'updated' if changed else 'unchanged'}", err=True)
    elif output is not None:
        run_guarded(lambda: write_atomic(output, rendered.text.encode("utf-8")))
    else:
        sys.stdout.write(rendered.text)
        sys.stdout.flush()
    sys.exit(0)
