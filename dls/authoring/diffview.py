"""Showing a statement diff: plain text for terminals, Markdown for pull-request comments.

JSON comes straight from ``StatementDiff.to_dict``. Losses come first because
they are what a reviewer must not miss; sections with nothing in them are left
out, and a diff with no change says so.
"""

from __future__ import annotations

import json

from dls.authoring.diff import Change, StatementDiff

_TITLES = {
    "new_losses": "New losses",
    "resolved_losses": "Resolved losses",
    "dropped_losses": "Losses no longer reported (finding removed)",
    "verdict_changes": "Other verdict changes",
    "metric_changes": "Metrics changed (same finding id)",
    "findings_added": "Findings added",
    "findings_removed": "Findings removed",
    "number_changes": "Numbers changed beyond their precision",
    "assessment_changes": "Category assessments changed",
    "model_changes": "Teacher and student changed",
    "evidence_added": "Evidence added",
    "evidence_removed": "Evidence removed",
    "evidence_changed": "Evidence changed",
}


def _num(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _where(c: Change) -> str:
    if c.category and c.id:
        return f"{c.category}/{c.id}"
    return c.category or c.id or c.field or ""


def describe(c: Change, arrow: str = "->") -> str:
    """One change as one line of text."""
    subject = _where(c)
    if c.kind in (
        "new-loss",
        "resolved-loss",
        "dropped-loss",
        "verdict",
        "finding-added",
        "finding-removed",
    ):
        what = f"{subject} ({c.metric})"
        if c.kind == "finding-added":
            text = f"{what}: new, {c.new or 'no verdict'}"
        elif c.kind == "finding-removed":
            text = f"{what}: removed (was {c.old or 'no verdict'})"
        elif c.kind == "dropped-loss":
            text = f"{what}: was lost, no longer reported"
        else:
            text = f"{what}: {c.old or 'absent'} {arrow} {c.new}"
        if c.teacher is not None and c.student is not None:
            text += f"; teacher {_num(c.teacher)}, student {_num(c.student)}"
        if c.accepted and c.new == "lost":
            text += " (accepted with a justification)"
        if c.claimed:
            text += " [claimed status: no verdict could be computed]"
        return text
    if c.kind == "metric":
        return f"{subject}: metric {c.old} {arrow} {c.new}"
    if c.kind == "number":
        prec = f" (precision ±{c.precision:g})" if c.precision is not None else ""
        return f"{subject} {c.field}: {_num(c.old)} {arrow} {_num(c.new)}{prec}"
    if c.kind == "assessment":
        return f"{subject}: {c.old or 'absent'} {arrow} {c.new or 'absent'}"
    if c.kind == "model":
        return f"{c.field}: {_num(c.old)} {arrow} {_num(c.new)}"
    if c.kind == "evidence-added":
        return f"{c.id}: {c.new}"
    if c.kind == "evidence-removed":
        return f"{c.id}: {c.old}"
    if c.kind == "evidence-changed":
        return f"{c.id}: sha256 {str(c.old)[:12]}… {arrow} {str(c.new)[:12]}…"
    return f"{subject}: {c.old} {arrow} {c.new}"


def _validity(d: StatementDiff) -> list[str]:
    out = []
    for label, side in (("old", d.old), ("new", d.new)):
        if not side.ok:
            out.append(f"{label} statement has {side.errors} error finding(s): run dls validate")
    return out


def text(d: StatementDiff) -> str:
    """The diff for a terminal."""
    lines = [f"dls diff {d.old.file} -> {d.new.file}"]
    lines += [f"warning: {w}" for w in _validity(d)]
    if d.scenario is not None:
        lines.append(f"scenario: {d.scenario.old or 'none'} -> {d.scenario.new or 'none'}")
    if not d.changed:
        lines.append("no changes in findings, verdicts, numbers, scenario or evidence")
    for name in d.SECTIONS:
        changes = d.section(name)
        if changes:
            lines += ["", f"{_TITLES[name]} ({len(changes)}):"]
            lines += [f"  {describe(c)}" for c in changes]
    return "\n".join(lines) + "\n"


def _md(value: str) -> str:
    return value.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def markdown(d: StatementDiff) -> str:
    """The diff as a pull-request comment."""
    counts = {n: len(d.section(n)) for n in d.SECTIONS}
    head = "## Distillation Loss Statement diff"
    lines = [head, "", f"`{_md(d.old.file)}` → `{_md(d.new.file)}`", ""]
    if counts["new_losses"]:
        lines.append(f"**New losses: {counts['new_losses']}.**")
    else:
        lines.append("No new losses.")
    tally = " · ".join(
        f"{_TITLES[n]}: {counts[n]}"
        for n in ("resolved_losses", "dropped_losses", "verdict_changes", "number_changes")
        if counts[n]
    )
    if tally:
        lines += ["", tally]
    if d.scenario is not None:
        lines += ["", f"Scenario: `{d.scenario.old or 'none'}` → `{d.scenario.new or 'none'}`."]
    for warning in _validity(d):
        lines += ["", f"> **Warning:** {_md(warning)}"]
    if not d.changed:
        lines += ["", "No changes in findings, verdicts, numbers, scenario or evidence."]
    verdict_sections = (
        "new_losses",
        "resolved_losses",
        "dropped_losses",
        "verdict_changes",
        "findings_added",
        "findings_removed",
    )
    for name in d.SECTIONS:
        changes = d.section(name)
        if not changes:
            continue
        lines += ["", f"### {_TITLES[name]}", ""]
        if name in verdict_sections:
            lines += [
                "| Category | Finding | Metric | Old | New | Teacher | Student |",
                "|---|---|---|---|---|---|---|",
            ]
            for c in changes:
                new = (c.new or "—") + (" (accepted)" if c.accepted and c.new == "lost" else "")
                new += " (claimed)" if c.claimed else ""
                lines.append(
                    f"| {_md(c.category or '')} | `{_md(c.id or '')}` | `{_md(c.metric or '')}` "
                    f"| {_md(c.old or '—')} | {_md(new)} | {_num(c.teacher)} | {_num(c.student)} |"
                )
        else:
            lines += [f"- {_md(describe(c, '→'))}" for c in changes]
    return "\n".join(lines) + "\n"


def as_json(d: StatementDiff) -> str:
    """The diff as JSON (``StatementDiff.to_dict``)."""
    return json.dumps(d.to_dict(), indent=2, ensure_ascii=False) + "\n"
