"""GitHub Actions: workflow-command annotations and a Markdown job summary.

Annotations are ``::error file=…,line=…::message`` lines the runner turns into
comments on the pull request. Three constraints shape this module:

- escaping (actions/toolkit ``command.ts``): ``%``, CR and LF in messages, and
  also ``:`` and ``,`` in properties, so a file name or a user-written
  justification can never end a command early or start a new one;
- caps: the runner keeps 10 error, 10 warning and 10 notice annotations per
  step (50 per job), so annotations are sorted by severity, capped, and a
  final notice counts the rest;
- the full report is still printed, inside ``::stop-commands::`` with a fresh
  random token, so text a user wrote cannot run as a workflow command.

The job summary (``$GITHUB_STEP_SUMMARY``) gets a per-statement table of
verdicts and the findings, accepted losses counted apart.
"""

from __future__ import annotations

import html
import math
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from dls.config import accepted_loss_code
from dls.findings import FileReport, Finding, Report, Severity
from dls.report._paths import relative_posix

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
PER_STEP = 10  # annotations of one kind the runner keeps per step
MESSAGE_LIMIT = 4000  # the runner truncates annotation bodies at about 4,096 characters
SUMMARY_LIMIT = 1_000_000  # the runner refuses step summaries over 1 MiB


def escape_data(text: str) -> str:
    """Escape a command message (actions/toolkit ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value (actions/toolkit ``escapeProperty``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: Mapping[str, object], message: str) -> str:
    """One workflow command line; properties with ``None`` values are left out."""
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def render(
    report: Report,
    *,
    root: str | os.PathLike[str] | None = None,
    per_step: int = PER_STEP,
    token: str | None = None,
) -> str:
    """Annotations (capped) followed by the full report with commands stopped."""
    items: list[tuple[Severity, str, str]] = []  # (severity, sort key, command line)
    for fr in report.files:
        path = relative_posix(fr.file, root)
        if fr.exception is not None:
            line = command(
                "error", {"file": path, "title": "dls could not check this file"}, fr.exception
            )
            items.append((Severity.ERROR, f"0 {path}", line))
        for f in fr.findings:
            items.append(
                (f.severity, f"1 {path} {f.line:09d} {f.column:09d} {f.code}", _annotate(path, f))
            )
    items.sort(key=lambda it: (-it[0].rank, it[1]))

    totals = {sev: sum(1 for s, _, _ in items if s is sev) for sev in COMMANDS}
    overflow = any(n > per_step for n in totals.values())
    caps = dict.fromkeys(COMMANDS, per_step)
    if overflow:
        caps[Severity.INFO] = per_step - 1  # keep a notice slot for the "N more" notice
    kept: list[str] = []
    counts = dict.fromkeys(COMMANDS, 0)
    for severity, _, line in items:
        if counts[severity] < caps[severity]:
            counts[severity] += 1
            kept.append(line)
    dropped = len(items) - len(kept)
    out = list(kept)
    if dropped:
        out.append(
            command(
                "notice",
                {"title": "dls: more findings"},
                f"{dropped} more finding{'s' if dropped != 1 else ''} — see the log and the "
                "job summary (GitHub shows at most "
                f"{per_step} annotations of each kind per step)",
            )
        )
    out.extend(_full_report(report, root, token or secrets.token_hex(16)))
    return "\n".join(out) + "\n"


def _annotate(path: str, f: Finding) -> str:
    from dls.codes import CATALOG

    meta = CATALOG.get(f.code)
    title = f"{f.code} {meta.name}" if meta is not None else f.code
    message = f.message if not f.hint else f"{f.message}\nHint: {f.hint}"
    if f.pointer:
        message = f"{message}\n(at {f.pointer})"
    if len(message) > MESSAGE_LIMIT:
        message = message[: MESSAGE_LIMIT - 1] + "…"
    span = f.span
    props: dict[str, object] = {"file": path, "line": span.line, "col": span.column}
    if span.end_line is not None:
        props["endLine"] = span.end_line
    if span.end_column is not None and (span.end_line is None or span.end_line == span.line):
        props["endColumn"] = span.end_column  # GitHub ignores columns on multi-line ranges
    props["title"] = title
    return command(COMMANDS[f.severity], props, message)


def _full_report(report: Report, root: str | os.PathLike[str] | None, token: str) -> list[str]:
    lines: list[str] = []
    for fr in report.files:
        path = relative_posix(fr.file, root)
        if fr.exception is not None:
            lines.append(f"{path}: could not check: {fr.exception}")
        for f in fr.sorted_findings():
            text = f"{path}:{f.line}:{f.column}: {f.severity.value} [{f.code}] {f.message}"
            if f.hint:
                text += f"\n    hint: {f.hint}"
            lines.extend(text.replace("\r", "").split("\n"))
        if fr.exception is None and not fr.findings:
            lines.append(f"{path}: ok")
    # The token must not occur in the text it guards, or that text could end the block.
    while any(token in line for line in lines):
        token = secrets.token_hex(16)
    head = [f"::group::{escape_data('dls: ' + _tally(report))}", f"::stop-commands::{token}"]
    return [*head, *lines, f"::{token}::", "::endgroup::"]


# -- job summary -------------------------------------------------------------------------------


def _tally(report: Report) -> str:
    code = accepted_loss_code()
    accepted = sum(1 for _, f in report.findings() if f.code == code)
    errors = report.count(Severity.ERROR)
    warnings = report.count(Severity.WARNING)
    passed = sum(1 for fr in report.files if fr.ok)
    files = len(report.files)
    parts = [
        f"{files} file{'s' if files != 1 else ''}",
        f"{passed} passed",
        _plural(errors, "error"),
        _plural(warnings, "warning"),
        _plural(accepted, "accepted loss", "accepted losses"),
    ]
    unchecked = sum(1 for fr in report.files if fr.exception is not None)
    if unchecked:
        parts.append(f"{unchecked} could not be checked")
    return ", ".join(parts)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


_MD_SPECIAL = re.compile(
    r"([\\`*_\[\]|~])"
)  # inline markup and cell breaks; blocks cannot start in a cell


def md(text: object) -> str:
    """Text safe inside a Markdown table cell: no markup, no HTML, one line."""
    s = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(s, quote=False))


def _number(value: Any, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return md(repr(value))
        return f"{value:+.4g}" if signed else f"{value:.4g}"
    return md(value)


_VERDICT_MARK = {
    "preserved": "✅",
    "improved": "✅",
    "lost": "❌",
    "inconclusive": "⚠️",
    "accepted": "☑️",
    "not_measured": "➖",
}


def _field(row: Any, name: str) -> Any:
    if isinstance(row, Mapping):
        return row.get(name)
    value = getattr(row, name, None)
    return getattr(value, "value", value) if name == "verdict" else value


def _difference(row: Any) -> str:
    text = _number(_field(row, "difference"), signed=True)
    interval = _field(row, "interval")
    if isinstance(interval, (tuple, list)) and len(interval) == 2:
        lo, hi = interval
        text += f" \\[{_number(lo, signed=True)}, {_number(hi, signed=True)}\\]"
    return text


def _verdict_table(rows: Iterable[Any]) -> list[str]:
    out = [
        "| Category | Finding | Metric | Teacher | Student | Difference | Tolerance | Verdict |",
        "|---|---|---|---:|---:|---:|---|---|",
    ]
    for row in rows:
        verdict = _field(row, "verdict")
        verdict_text = "—" if verdict is None else str(verdict)
        mark = _VERDICT_MARK.get(verdict_text, "")
        if _field(row, "accepted"):
            verdict_text, mark = f"{verdict_text} (accepted)", _VERDICT_MARK["accepted"]
        elif _field(row, "blocking") and verdict_text == "lost":
            verdict_text += " (blocking)"
        tolerance = _field(row, "tolerance_text") or _field(row, "tolerance")
        out.append(
            "| "
            + " | ".join(
                [
                    md(_field(row, "category") or "—"),
                    md(_field(row, "finding_id") or _field(row, "id") or "—"),
                    md(_field(row, "metric") or "—"),
                    _number(_field(row, "teacher")),
                    _number(_field(row, "student")),
                    _difference(row),
                    _number(tolerance, signed=isinstance(tolerance, float)),
                    f"{mark} {md(verdict_text)}".strip(),
                ]
            )
            + " |"
        )
    return out


def step_summary(report: Report, *, root: str | os.PathLike[str] | None = None) -> str:
    """The Markdown job summary: a tally, then per file its verdicts and findings.

    Files that failed or have warnings come first; clean files (accepted losses
    included) follow in a collapsed block so a large run stays readable.
    """
    lines = ["## dls validate", "", _tally(report) + ".", ""]
    attention = [fr for fr in report.files if not fr.ok or fr.warnings]
    clean = [fr for fr in report.files if fr.ok and not fr.warnings]
    for fr in attention:
        lines.extend(_file_section(fr, relative_posix(fr.file, root)))
    if clean:
        lines += [f"<details><summary>{_plural(len(clean), 'file')} passed</summary>", ""]
        for fr in clean:
            lines.extend(_file_section(fr, relative_posix(fr.file, root)))
        lines += ["</details>", ""]
    text = "\n".join(lines) + "\n"
    if len(text.encode("utf-8")) > SUMMARY_LIMIT:
        cut = text.encode("utf-8")[: SUMMARY_LIMIT - 200].decode("utf-8", "ignore")
        text = cut.rsplit("\n", 1)[0] + "\n\n*Summary truncated: see the job log for the rest.*\n"
    return text


def _file_section(fr: FileReport, path: str) -> list[str]:
    code = accepted_loss_code()
    accepted = sum(1 for f in fr.findings if f.code == code)
    if fr.exception is not None:
        status = f"❌ could not be checked: {md(fr.exception)}"
    elif fr.errors:
        status = f"❌ {_plural(fr.errors, 'error')}"
    elif fr.warnings:
        status = f"⚠️ {_plural(fr.warnings, 'warning')}"
    else:
        status = "✅ passed"
    if accepted:
        status += f", {_plural(accepted, 'accepted loss', 'accepted losses')}"
    lines = [f"### <code>{html.escape(path)}</code> — {status}", ""]
    verdicts = list(fr.verdicts or [])
    if verdicts:
        lines += [*_verdict_table(verdicts), ""]
    if fr.findings:
        lines += [
            "| Line | Severity | Code | Message |",
            "|---:|---|---|---|",
        ]
        for f in fr.sorted_findings():
            severity = "accepted loss" if f.code == code else f.severity.value
            lines.append(f"| {f.line}:{f.column} | {severity} | {f.code} | {md(f.message)} |")
        lines.append("")
    return lines


def write_step_summary(
    report: Report,
    *,
    root: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> bool:
    """Append the summary to ``$GITHUB_STEP_SUMMARY`` when it is set; True if written."""
    target = (os.environ if environ is None else environ).get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    with Path(target).open("a", encoding="utf-8") as fh:
        fh.write(step_summary(report, root=root))
    return True
