"""What ``dls validate`` does for CI: configuration, output formats, output files.

Kept apart from the command itself so that ``dls/cli/validate.py`` stays a
thin list of options. The rules:

- the format is ``--format``, else ``github`` when ``GITHUB_ACTIONS=true``
  (as yamllint does), else ``text``;
- with ``--output FILE`` the chosen format goes to FILE (written atomically)
  and the terminal gets the text report, or the github one in GitHub Actions,
  so one run gives annotations and a SARIF file;
- whenever the github format is printed and ``GITHUB_STEP_SUMMARY`` is set,
  the Markdown summary is appended to that file;
- SARIF, github and JUnit name files relative to the repository root
  (``$GITHUB_WORKSPACE``, else the folder holding ``.git``), wherever dls runs.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from dls.config import Layer, Policy, load_config, parse_fail_on, policy
from dls.errors import OutputError
from dls.findings import Report


def in_github_actions(environ: Mapping[str, str] | None = None) -> bool:
    return (os.environ if environ is None else environ).get("GITHUB_ACTIONS") == "true"


def ci_policy(
    config_file: str | None,
    enable: Sequence[str],
    disable: Sequence[str],
    fail_on: str | None,
) -> Policy:
    """The policy in force: command line > configuration file > code defaults."""
    cfg = load_config(Path(config_file)) if config_file else load_config()
    cli = Layer.build("command line", enable=enable, disable=disable)
    level = parse_fail_on(fail_on, "--fail-on") if fail_on else None
    return policy(config=cfg, cli=cli, fail_on=level)


def formats(fmt: str | None, output: str | None) -> tuple[str, str]:
    """(format of the report, format printed on the terminal)."""
    terminal_default = "github" if in_github_actions() else "text"
    chosen = fmt or terminal_default
    return chosen, (terminal_default if output else chosen)


_CI_FORMATS = ("sarif", "github", "junit")


def _options(name: str, pol: Policy) -> dict[str, Any]:
    """Per-format options: CI formats name files relative to the repository root."""
    options: dict[str, Any] = {}
    if name in _CI_FORMATS:
        from dls.report._paths import repository_root

        options["root"] = repository_root()
    if name == "junit":
        options["fail_on"] = pol.fail_on
    return options


def emit(
    report: Report,
    fmt: str | None,
    output: str | None,
    pol: Policy,
    *,
    inputs: Sequence[str] = (),
) -> None:
    """Print the report, write ``output`` if asked, and the GitHub step summary if due."""
    from dls.report import render

    chosen, terminal = formats(fmt, output)
    if output:
        _refuse_statement_target(output, inputs)
        write_report(output, render(report, chosen, **_options(chosen, pol)))
    click.echo(render(report, terminal, **_options(terminal, pol)), nl=False)
    if "github" in (chosen, terminal):
        from dls.report.github import write_step_summary

        try:
            write_step_summary(report, root=_options("github", pol)["root"])
        except OSError as exc:
            raise OutputError(f"cannot append to GITHUB_STEP_SUMMARY: {exc}") from None


_STATEMENT_NAMES = (
    "*.dls.yaml",
    "*.dls.yml",
    "*.dls.json",
    "*.dls-scenario.yaml",
    "*.dls-scenario.yml",
)


def _refuse_statement_target(output: str, inputs: Sequence[str]) -> None:
    """Never let a report overwrite a statement or scenario a user wrote."""
    target = Path(output)
    named_like_input = any(fnmatch.fnmatch(target.name, p) for p in _STATEMENT_NAMES)
    is_input = any(
        Path(p).is_file() and target.exists() and target.resolve() == Path(p).resolve()
        for p in inputs
    )
    if named_like_input or is_input:
        raise OutputError(
            f"--output {output} would overwrite a statement or scenario file",
            hint="write the report to a name such as dls.sarif or dls-junit.xml",
        )


def write_report(path: str, text: str) -> None:
    """Write a report atomically (temporary file + os.replace); a previous report is replaced.

    Missing parent folders are created: CI jobs name report paths such as
    ``reports/dls.sarif`` before anything else has made the folder.
    """
    from dls.files import write_text

    parent = Path(path).parent
    if not parent.is_dir():
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create folder {parent} for {path}: {exc}") from None
    write_text(path, text, force=True)
