"""``dls measure``, ``dls import lm-eval`` and ``dls verify``: statements from evidence.

Thin click layers over dls.evidence; numpy is imported only when one of these
commands runs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from dls.cli._common import fail, run_guarded

PROGRESS_BYTES = 64 << 20  # show a progress bar for inputs larger than this, on a terminal


def _dump(doc: dict[str, Any], as_json: bool) -> str:
    if as_json:
        return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    import yaml

    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def _emit(doc: dict[str, Any], output: str | None, force: bool, fmt: str | None) -> None:
    as_json = fmt == "json" or (fmt is None and output is not None and output.endswith(".json"))
    text = _dump(doc, as_json)
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    from dls.files import write_text

    write_text(output, text, force=force)
    click.echo(f"wrote {output}", err=True)


def _print_problems(reports: Sequence[Any]) -> int:
    """Print record problems as file:line:col: CODE message; return the error count."""
    errors = 0
    for r in reports:
        if r.exception:
            click.echo(f"{r.file}: error: {r.exception}", err=True)
            errors += 1
        for f in r.findings:
            errors += f.severity.value == "error"
            if "more" in f.data:
                click.echo(f"{r.file}: {f.message}", err=True)
            else:
                click.echo(f"{r.file}:{f.line}:{f.column}: {f.code} {f.message}", err=True)
    return errors


@contextlib.contextmanager
def _progress(paths: Sequence[Path]) -> Iterator[Callable[[int], None] | None]:
    total = sum(p.stat().st_size for p in paths if p.is_file())
    if total < PROGRESS_BYTES or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label="reading records", file=sys.stderr) as bar:
        yield bar.update


def _params(items: Sequence[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        metric, dot, name = key.partition(".")
        if not sep or not dot or not name:
            raise click.BadParameter(f"{item!r} is not METRIC.PARAM=VALUE", param_hint="--param")
        value: Any = raw
        with contextlib.suppress(ValueError):
            value = int(raw)
        out.setdefault(metric, {})[name] = value
    return out


@click.command()
@click.option(
    "--teacher",
    "teacher",
    multiple=True,
    required=True,
    type=click.Path(),
    help="The teacher's per-item records (JSONL); repeat for several files.",
)
@click.option(
    "--student",
    "student",
    multiple=True,
    required=True,
    type=click.Path(),
    help="The student's per-item records (JSONL); may be the same file as --teacher.",
)
@click.option(
    "--scenario",
    metavar="ID|PATH",
    help="Scenario (id or file) the tolerances come from; required unless --fragment.",
)
@click.option(
    "--metric",
    "metrics",
    multiple=True,
    metavar="ID",
    help="Compute only this registry metric (repeatable). Default: all the records support.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="METRIC.NAME=VALUE",
    help="A metric parameter, e.g. ece_equal_width.bins=10 or pass_at_k.k=5.",
)
@click.option(
    "--n-boot",
    default=2000,
    show_default=True,
    type=click.IntRange(100, None),
    help="Bootstrap resamples.",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Bootstrap seed.")
@click.option(
    "--level",
    default=0.90,
    show_default=True,
    type=click.FloatRange(0.5, 0.999),
    help="Interval level (0.90 = one-sided 5% non-inferiority).",
)
@click.option(
    "--digits",
    default=4,
    show_default=True,
    type=click.IntRange(1, 12),
    help="Decimals written for values and intervals.",
)
@click.option(
    "--fragment", is_flag=True, help="Write only evidence and findings, to merge by hand."
)
@click.option("--id", "sid", help="Statement id of the skeleton.")
@click.option("--title", help="Statement title of the skeleton.")
@click.option("--teacher-name", help="Teacher model name (e.g. a Hub repository id).")
@click.option("--teacher-revision", help="Teacher revision (commit, tag or checksum).")
@click.option("--student-name", help="Student model name.")
@click.option("--student-revision", help="Student revision.")
@click.option("--owner", "owners", multiple=True, help="Accountable owner (repeatable).")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE (default: stdout)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"]),
    help="Output format (default: from the file name, else YAML).",
)
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def measure(**kw: Any) -> None:
    """Compute findings from the teacher's and student's per-item records.

    Pairs records by task, item id and sample, computes every metric the
    records support, and writes a draft statement (or --fragment) with paired
    bootstrap intervals, verdicts and the evidence files' sha256.
    """
    run_guarded(lambda: _measure(**kw))


def _measure(**kw: Any) -> None:
    from dls.evidence import measure as m
    from dls.evidence import statement

    output = kw["output"]
    base = Path(output).resolve().parent if output and output != "-" else Path.cwd()
    scenario, scenario_ref = _scenario(kw["scenario"])
    if not kw["fragment"] and scenario_ref is None:
        _need_scenario()
    opts = m.Options(
        metrics=tuple(kw["metrics"]),
        params=_params(kw["params"]),
        n_boot=kw["n_boot"],
        seed=kw["seed"],
        level=kw["level"],
        digits=kw["digits"],
        scenario=scenario,
    )
    paths = [Path(p) for p in (*kw["teacher"], *kw["student"])]
    if output and output != "-" and Path(output).exists() and not kw["force"]:
        from dls.errors import OutputError

        raise OutputError(f"{output} already exists; not overwriting it", hint="pass --force")
    with _progress(paths) as progress:
        result = m.measure(kw["teacher"], kw["student"], options=opts, base=base, progress=progress)
    if _print_problems(result.reports):
        click.echo("error: bad records; nothing was written", err=True)
        fail(1)
    for note in result.notes:
        click.echo(f"{note.severity.value}: {note.code} {note.message}", err=True)
    if not result.computed:
        click.echo("error: the records support no metric dls computes", err=True)
        fail(1)
    for c in result.computed:
        f = c.finding
        iv = f.get("interval")
        span = f" [{iv['lower']}, {iv['upper']}]" if iv else ""
        click.echo(
            f"{c.task} {c.metric}: {f['teacher']} -> {f['student']} "
            f"(difference {f['difference']}{span}) {c.verdict}",
            err=True,
        )
    if kw["fragment"]:
        doc = statement.fragment(result)
    else:
        meta = statement.Meta(
            teacher=_model(kw["teacher_name"], kw["teacher_revision"], "teacher"),
            student=_model(kw["student_name"], kw["student_revision"], "student"),
        )
        meta = dataclasses.replace(
            meta,
            id=kw["sid"] or meta.id,
            title=kw["title"] or meta.title,
            owners=tuple(kw["owners"]) or meta.owners,
            scenario=scenario_ref or meta.scenario,
        )
        doc = statement.skeleton(result, meta)
    _emit(doc, output, kw["force"], kw["fmt"])


def _need_scenario() -> None:
    from dls.errors import UsageError

    raise UsageError(
        "a statement skeleton needs the deployment scenario its tolerances come from",
        hint="pass --scenario ID (`dls scenarios list`), or --fragment to write findings only",
    )


def _model(name: str | None, revision: str | None, role: str) -> dict[str, Any]:
    return {"name": name or role, "revision": revision or "unknown"}


def _scenario(ref: str | None) -> tuple[Any, dict[str, Any] | None]:
    """The resolved scenario and the statement's reference to it, or (None, None)."""
    if ref is None:
        return None, None
    from dls import scenarios

    resolved = scenarios.resolve(ref)
    out: dict[str, Any] = {"id": resolved.id, "version": resolved.version}
    if resolved.source != "built-in":
        out["path"] = ref
    return resolved, out


@click.group(name="import")
def import_() -> None:
    """Import evaluation-harness results as statement findings."""


@import_.command(name="lm-eval")
@click.option(
    "--teacher",
    "teacher",
    multiple=True,
    required=True,
    type=click.Path(),
    help="The teacher's results_<date>.json (repeat for several runs).",
)
@click.option(
    "--student",
    "student",
    multiple=True,
    required=True,
    type=click.Path(),
    help="The student's results_<date>.json (repeat for several runs).",
)
@click.option(
    "--teacher-samples",
    multiple=True,
    type=click.Path(),
    help="The teacher's samples_<task>_<date>.jsonl (--log_samples); repeatable.",
)
@click.option(
    "--student-samples",
    multiple=True,
    type=click.Path(),
    help="The student's samples_<task>_<date>.jsonl; repeatable.",
)
@click.option(
    "--map",
    "map_file",
    type=click.Path(dir_okay=False),
    help="YAML mapping of lm-eval metric names (or task:metric) to registry ids.",
)
@click.option(
    "--allow-mismatch",
    is_flag=True,
    help="Write tasks whose runs differ in settings, as inconclusive with the reason.",
)
@click.option(
    "--scenario",
    metavar="ID|PATH",
    help="Scenario (id or file) the tolerances come from; required unless --fragment.",
)
@click.option("--n-boot", default=2000, show_default=True, type=click.IntRange(100, None))
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--level", default=0.90, show_default=True, type=click.FloatRange(0.5, 0.999))
@click.option("--digits", default=4, show_default=True, type=click.IntRange(1, 12))
@click.option("--fragment", is_flag=True, help="Write only evidence and findings.")
@click.option("--id", "sid", help="Statement id of the skeleton.")
@click.option("--title", help="Statement title of the skeleton.")
@click.option("--owner", "owners", multiple=True, help="Accountable owner (repeatable).")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE (default: stdout)."
)
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def lm_eval(**kw: Any) -> None:
    """Import lm-evaluation-harness results of a teacher and a student.

    Without per-sample logs the findings are unpaired aggregates with the
    reported standard errors; with them, items are paired and the intervals
    are paired bootstrap intervals. Tasks run with different settings are
    refused (exit 1) unless --allow-mismatch.
    """
    run_guarded(lambda: _import_lm_eval(**kw))


def _import_lm_eval(**kw: Any) -> None:
    from dls.errors import OutputError
    from dls.evidence import lm_eval, statement
    from dls.evidence import measure as m

    output = kw["output"]
    if output and output != "-" and Path(output).exists() and not kw["force"]:
        raise OutputError(f"{output} already exists; not overwriting it", hint="pass --force")
    base = Path(output).resolve().parent if output and output != "-" else Path.cwd()
    scenario, scenario_ref = _scenario(kw["scenario"])
    if not kw["fragment"] and scenario_ref is None:
        _need_scenario()
    opts = m.Options(
        n_boot=kw["n_boot"],
        seed=kw["seed"],
        level=kw["level"],
        digits=kw["digits"],
        scenario=scenario,
    )
    result = lm_eval.run_import(
        [Path(p) for p in kw["teacher"]],
        [Path(p) for p in kw["student"]],
        teacher_samples=kw["teacher_samples"],
        student_samples=kw["student_samples"],
        mapping=_load_map(kw["map_file"]),
        options=opts,
        allow_mismatch=kw["allow_mismatch"],
        base=base,
    )
    if _print_problems(result.reports):
        click.echo("error: bad per-sample records; nothing was written", err=True)
        fail(1)
    shown = 0
    for note in result.notes:
        if note.code == "DLS-V014" and note.severity.value == "error":
            shown += 1
            if shown > 10:
                continue
        click.echo(f"{note.severity.value}: {note.code} {note.message}", err=True)
    if shown > 10:
        click.echo(f"error: DLS-V014 ... and {shown - 10} more task(s) not compared", err=True)
    if not result.computed:
        click.echo("error: no comparable task and metric to import", err=True)
        fail(1)
    if kw["fragment"]:
        doc = statement.fragment(result)
    else:
        t = lm_eval.load_results([Path(p) for p in kw["teacher"]])
        s = lm_eval.load_results([Path(p) for p in kw["student"]])
        meta = statement.Meta(
            teacher={"name": t.model or "teacher", "revision": "unknown"},
            student={"name": s.model or "student", "revision": "unknown"},
        )
        meta = dataclasses.replace(
            meta,
            id=kw["sid"] or meta.id,
            title=kw["title"] or meta.title,
            owners=tuple(kw["owners"]) or meta.owners,
            scenario=scenario_ref or meta.scenario,
        )
        doc = statement.skeleton(result, meta)
    _emit(doc, output, kw["force"], kw["fmt"])
    if result.refused:
        fail(1)


def _load_map(path: str | None) -> dict[str, str | None] | None:
    if path is None:
        return None
    import yaml

    from dls.errors import InputError

    try:
        data = yaml.safe_load(Path(path).read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read the metric mapping {path}: {exc}") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in data.items()
    ):
        raise InputError(
            f"{path} must map lm-eval metric names to registry metric ids (or null)",
            hint="for example `acc: accuracy` or `mmlu:acc_norm: null`",
        )
    return data


@click.command()
@click.argument("statement", type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)
def verify(statement: str, fmt: str) -> None:
    """Re-check STATEMENT against its evidence.

    Checks every evidence file's sha256, recomputes every finding that has
    per-item evidence (records or lm-eval sample logs) with the recorded
    method and seed, and reports numbers that drifted beyond their precision.
    Exit 0 when everything matches, 1 on any error finding, 2 if it cannot run.
    """
    run_guarded(lambda: _verify(statement, fmt))


def _verify(statement: str, fmt: str) -> None:
    from dls.evidence.verify import verify as run

    report = run(statement)
    if fmt == "json":
        out = {
            "file": report.file,
            "ok": report.ok,
            "findings": [
                {
                    "code": f.code,
                    "severity": f.severity.value,
                    "message": f.message,
                    "line": f.line,
                    "column": f.column,
                    "pointer": f.pointer,
                }
                for f in report.sorted_findings()
            ],
        }
        click.echo(json.dumps(out, indent=2, allow_nan=False))
    else:
        for f in report.sorted_findings():
            click.echo(
                f"{report.file}:{f.line}:{f.column}: {f.severity.value}: {f.code} {f.message}"
            )
        click.echo(
            f"{report.file}: {'verified' if report.ok else 'NOT verified'} "
            f"({report.errors} error(s), {report.warnings} warning(s))",
            err=True,
        )
    fail(0 if report.ok else 1)
