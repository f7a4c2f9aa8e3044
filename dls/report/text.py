"""The default, human report: ``file:line:col: CODE severity: message``.

One line per finding (an indented ``hint:`` line where dls knows the fix),
then per statement the verdict table against its scenario, with accepted
losses marked as such. The one-line summary is separate (``summary``) so that
the CLI can send it to stderr and keep stdout for the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dls.findings import FileReport, Report, Severity


def fmt_number(value: Any) -> str:
    """A number as a person reads it in a table (4 significant decimals)."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) >= 1e-4 or value == 0 else f"{value:.2e}"
    return str(value)


def fmt_difference(row: Any) -> str:
    text = f"{row.difference:+.4g}"
    if row.interval is not None:
        lo, hi = row.interval
        text += f" [{lo:+.4g}, {hi:+.4g}]"
    return text


def verdict_label(row: Any) -> str:
    label = str(row.verdict)
    if getattr(row, "blocking", False) and row.verdict == "lost":
        return label + " (blocking)"
    if getattr(row, "accepted", False):
        return label + " (accepted)"
    return label


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = indent + "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line.rstrip()]
    out += [
        indent + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in rows
    ]
    return out


VERDICT_HEADERS = (
    "category",
    "metric",
    "teacher",
    "student",
    "difference [interval]",
    "tolerance",
    "verdict",
)


def verdict_rows(fr: FileReport) -> list[list[str]]:
    return [
        [
            r.category,
            r.metric,
            fmt_number(r.teacher),
            fmt_number(r.student),
            fmt_difference(r),
            r.tolerance_text,
            verdict_label(r),
        ]
        for r in fr.verdicts
    ]


def scenario_label(fr: FileReport) -> str | None:
    sc = fr.scenario
    if sc is None:
        return None
    return f"{getattr(sc, 'id', '?')} v{getattr(sc, 'version', '?')}"


def file_lines(fr: FileReport) -> list[str]:
    if fr.exception is not None:
        return [f"{fr.file}: error: {fr.exception}"]
    lines = []
    for f in fr.sorted_findings():
        lines.append(f"{fr.file}:{f.line}:{f.column}: {f.code} {f.severity.value}: {f.message}")
        if f.hint:
            lines.append(f"    hint: {f.hint}")
    if fr.verdicts:
        label = scenario_label(fr)
        lines.append(f"{fr.file}: verdicts" + (f" against scenario {label}" if label else ""))
        lines += table(VERDICT_HEADERS, verdict_rows(fr))
    return lines


def accepted_losses(report: Report) -> int:
    """Losses beyond tolerance accepted with a justification: counted apart, never hidden."""
    return sum(1 for fr in report.files for r in fr.verdicts if r.accepted)


def summary(report: Report) -> str:
    """One line: files, passes, failures, findings by severity, accepted losses."""
    files = len(report.files)
    broken = sum(1 for f in report.files if f.exception is not None)
    failed = sum(1 for f in report.files if f.exception is None and not f.ok)
    accepted = accepted_losses(report)
    with_losses = sum(1 for f in report.files if f.ok and any(r.accepted for r in f.verdicts))
    passed = f"{files - failed - broken} passed"
    if with_losses:
        passed += f" ({with_losses} with accepted losses)"
    parts = [f"{files} file{'s' if files != 1 else ''} checked", passed, f"{failed} failed"]
    if broken:
        parts.append(f"{broken} could not be checked")
    parts += [
        f"{report.count(Severity.ERROR)} error(s)",
        f"{report.count(Severity.WARNING)} warning(s)",
        f"{accepted} accepted loss(es)",
    ]
    return ", ".join(parts)


def render(report: Report, **_: Any) -> str:
    """The text report (without the summary line)."""
    lines = [line for fr in report.files for line in file_lines(fr)]
    return "\n".join(lines) + ("\n" if lines else "")
