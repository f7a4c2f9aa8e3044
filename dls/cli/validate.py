"""``dls validate``: check statements and scenario files."""

from __future__ import annotations

import sys

import click

from dls.cli._common import fail, run_guarded


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--format",
    "fmt",
    default=None,
    type=click.Choice(["text", "json", "sarif", "github", "junit"]),
    help="Output format of the report (default: text; github when GITHUB_ACTIONS=true).",
)
@click.option(
    "--output",
    "-o",
    "output",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write the report in the chosen format to FILE; the terminal still gets the text "
    "report (github in GitHub Actions).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    help="Lowest severity that makes the run fail with exit status 1 (default: error).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings reach --fail-on.")
@click.option(
    "--config",
    "config_file",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=str),
    help="Configuration file (.dls.yaml or pyproject.toml); found automatically by default.",
)
@click.option("--enable", multiple=True, metavar="CODE", help="Enable a finding code (repeatable).")
@click.option(
    "--disable", multiple=True, metavar="CODE", help="Disable a finding code (repeatable)."
)
@click.option(
    "--scenario",
    metavar="ID|PATH",
    help="Validate against this scenario instead of the one each statement references.",
)
@click.option(
    "--pattern",
    "patterns",
    multiple=True,
    metavar="GLOB",
    help="File name pattern for directories (repeatable). "
    "Default: *.dls.yaml *.dls.yml *.dls.json *.dls-scenario.yaml *.dls-scenario.yml",
)
@click.option("--allow-empty", is_flag=True, help="Do not fail when no statement is found.")
@click.option(
    "--max-size",
    type=click.IntRange(min=1),
    metavar="BYTES",
    help="Largest file accepted (default 1048576).",
)
@click.option(
    "--no-evidence", is_flag=True, help="Do not open evidence files to check their hashes."
)
def validate(
    paths: tuple[str, ...],
    fmt: str,
    scenario: str | None,
    patterns: tuple[str, ...],
    allow_empty: bool,
    max_size: int | None,
    no_evidence: bool,
    output: str | None = None,
    fail_on: str | None = None,
    exit_zero: bool = False,
    config_file: str | None = None,
    enable: tuple[str, ...] = (),
    disable: tuple[str, ...] = (),
) -> None:
    """Check statements (and scenario files) under PATHS.

    PATHS are files, directories (searched recursively for *.dls.yaml,
    *.dls.yml, *.dls.json and scenario files *.dls-scenario.yaml) or globs.
    Exit status: 0 all valid, 1 at least one finding at or above --fail-on
    (default: error), 2 could not run.
    """
    from dls.discover import DEFAULT_PATTERNS
    from dls.loader import Limits
    from dls.pipeline import Options, validate_paths
    from dls.report.text import summary

    limits = Limits(max_bytes=max_size) if max_size else Limits()
    options = Options(
        scenario=scenario,
        limits=limits,
        check_evidence=not no_evidence,
        patterns=patterns or DEFAULT_PATTERNS,
        allow_empty=allow_empty,
    )
    from dls.cli._ci import ci_policy, emit

    policy = run_guarded(lambda: ci_policy(config_file, enable, disable, fail_on))
    report = run_guarded(lambda: validate_paths(paths, options=options))
    report = policy.apply(report)
    run_guarded(lambda: emit(report, fmt, output, policy, inputs=paths))
    click.echo(summary(report), err=True)
    if report.could_not_run:
        fail(2)
    if policy.fails(report) and not exit_zero:
        fail(1)
    sys.exit(0)
