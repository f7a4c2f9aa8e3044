"""The validation pipeline: load, then schema, semantics and scenario targets.

Data flows one way. The loader turns text into data with positions; the schema
layer checks shape; semantic rules check the numbers and references of one
statement; the target layer resolves the scenario and gives verdicts. Each
stage only adds findings. A scenario file given to ``dls validate`` goes
through the scenario module's own checks instead of the statement stages.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dls.discover import DEFAULT_PATTERNS, discover
from dls.errors import InputError
from dls.findings import FileReport, Report, Severity
from dls.loader import Document, Limits, load_path
from dls.rulekit import locate
from dls.schema_check import detect_format, schema_problems


@dataclass(frozen=True, slots=True)
class Options:
    """How to validate: scenario override, resource limits, evidence checks."""

    scenario: str | None = None
    limits: Limits = field(default_factory=Limits)
    check_evidence: bool = True
    patterns: tuple[str, ...] = DEFAULT_PATTERNS
    allow_empty: bool = False


def validate(
    target: str | os.PathLike[str] | Document,
    *,
    scenario: str | None = None,
    options: Options | None = None,
) -> FileReport:
    """Validate one statement (or scenario file) and report everything found.

    ``target`` is a path or an already loaded ``Document``. Problems in the file
    are findings in the report; a path that cannot be read raises
    ``InputError``, and a ``scenario`` override that cannot be resolved raises
    ``ScenarioError``.
    """
    opts = options or Options()
    if scenario is not None:
        opts = Options(scenario, opts.limits, opts.check_evidence, opts.patterns, opts.allow_empty)
    if isinstance(target, Document):
        doc, base_dir = target, None
        if target.name and Path(target.name).is_file():
            base_dir = Path(target.name).parent
    else:
        doc = load_path(target, limits=opts.limits)
        base_dir = Path(target).parent
    return check_document(doc, base_dir=base_dir, options=opts)


def check_document(doc: Document, *, base_dir: Path | None, options: Options) -> FileReport:
    """Run every stage on a loaded document."""
    report = FileReport(doc.name, list(doc.findings))
    if doc.data is None:
        return report
    fmt, problems = detect_format(doc.data)
    report.findings += locate(problems, doc)
    if fmt is None:
        return report
    report.kind, report.format = fmt.kind, fmt.name
    if fmt.kind == "scenario":
        from dls.scenarios import check_scenario_document

        report.findings += check_scenario_document(doc)
        return report
    schema = locate(schema_problems(doc.data, fmt, doc.scalars), doc)
    report.findings += schema
    from dls import semantics

    report.findings += semantics.check(
        doc, base_dir=base_dir, check_evidence=options.check_evidence
    )
    if any(f.severity is Severity.ERROR for f in schema):
        return report
    try:
        from dls.targets import check_targets
    except ModuleNotFoundError as exc:  # the scenario stage is not installed yet
        if exc.name != "dls.targets":
            raise
        return report
    result = check_targets(doc, base_dir=base_dir, scenario=options.scenario)
    report.findings += result.findings
    report.verdicts = list(result.verdicts)
    report.scenario = result.scenario
    return report


def validate_paths(
    paths: Sequence[str | os.PathLike[str]], *, options: Options | None = None
) -> Report:
    """Validate every statement found under ``paths`` in one run.

    Files that cannot be read are reported with ``FileReport.exception`` and the
    run goes on; a run that finds no statement at all raises ``InputError``
    unless ``options.allow_empty``.
    """
    opts = options or Options()
    targets, empty = discover(paths, opts.patterns)
    if not targets and not opts.allow_empty:
        where = ", ".join(str(e) for e in empty) or ", ".join(os.fspath(p) for p in paths)
        raise InputError(
            f"no statement found in {where}",
            hint="statements are named *.dls.yaml, *.dls.yml or *.dls.json; "
            "pass files explicitly or use --pattern",
        )
    report = Report()
    for t in targets:
        if t.problem is not None:
            report.files.append(FileReport(t.display, exception=f"{t.display}: {t.problem}"))
            continue
        try:
            doc = load_path(t.path, limits=opts.limits, name=t.display)
            report.files.append(check_document(doc, base_dir=t.path.parent, options=opts))
        except InputError as exc:
            report.files.append(FileReport(t.display, exception=str(exc)))
    return report


def load(path: str | os.PathLike[str], *, limits: Limits | None = None) -> Document:
    """Load a statement without checking it (parse findings only)."""
    return load_path(path, limits=limits or Limits())
