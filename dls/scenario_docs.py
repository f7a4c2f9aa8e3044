"""Scenarios for people: the ``dls scenarios`` table and page, and docs/scenarios.md.

Everything here is generated from the scenario files, so the command line and
the documentation cannot drift from the targets dls enforces. A test keeps the
committed docs/scenarios.md equal to ``markdown_page()``.
"""

from __future__ import annotations

import textwrap
from typing import Any

from dls import registry, scenarios
from dls.scenario_model import CategoryTarget, ResolvedScenario


def library() -> list[ResolvedScenario]:
    """The built-in scenarios, usable ones first, in id order."""
    found = [scenarios.builtin(sid) for sid in scenarios.builtin_ids()]
    return sorted(found, key=lambda s: (s.abstract, s.id))


def list_json() -> list[dict[str, Any]]:
    """``dls scenarios list --format json``: one entry per built-in scenario."""
    return [
        {
            "id": s.id,
            "version": s.version,
            "title": s.title,
            "summary": s.summary,
            "abstract": s.abstract,
            "extends": list(s.chain[1:]),
            "required": s.by_requirement("required"),
            "recommended": s.by_requirement("recommended"),
            "optional": s.by_requirement("optional"),
            "sha256": s.sha256,
        }
        for s in library()
    ]


def list_text() -> str:
    """``dls scenarios list``: a table of the built-in scenarios."""
    rows = [("ID", "VERSION", "REQUIRED CATEGORIES", "TITLE")]
    for s in library():
        required = ", ".join(s.by_requirement("required"))
        title = s.title + (" (abstract)" if s.abstract else "")
        rows.append((s.id, str(s.version), required, title))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3] for r in rows]
    lines.append("")
    lines.append("`dls scenarios show ID` prints a scenario's targets after inheritance.")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _tol(target: CategoryTarget, metric: str) -> str:
    t = target.target_for(metric).tolerance
    if t is None:
        return "none"
    return f"{t.value * 100:g}% relative" if t.relative else f"{t.value:g}"


def metric_rows(target: CategoryTarget) -> list[tuple[str, str, str, str, str, str]]:
    """(metric, direction, tolerance, min items, interval required, waivable) per metric."""
    out = []
    for mid in target.accepted():
        t = target.target_for(mid)
        m = registry.metric(mid)
        direction = m.direction.replace("_", " ") if m is not None else "declared by the finding"
        if m is not None and m.direction == "closer_to":
            direction = f"closer to {m.target:g}"
        out.append(
            (
                mid,
                direction,
                _tol(target, mid),
                "-" if t.min_items is None else str(t.min_items),
                _yes(t.interval_required),
                _yes(t.waivable),
            )
        )
    return out


def show_text(s: ResolvedScenario) -> str:
    """``dls scenarios show ID``: the fully resolved targets."""
    wrap = textwrap.TextWrapper(width=96, initial_indent="  ", subsequent_indent="  ")
    out = [f"{s.id} v{s.version}: {s.title}" + (" (abstract)" if s.abstract else "")]
    out.append(f"source: {s.source}   sha256: {s.sha256}")
    if len(s.chain) > 1:
        out.append("extends: " + " -> ".join(s.chain[1:]))
    for label, text in (("Summary", s.summary), ("Setting", s.setting), ("Rationale", s.rationale)):
        if text:
            out += ["", f"{label}:", wrap.fill(" ".join(text.split()))]
    out += [
        "",
        f"Justifications: at least {s.justification_min_length} characters, no placeholders.",
    ]
    header = ("metric", "direction", "tolerance", "min items", "interval", "waivable")
    for key in registry.CATEGORY_KEYS:
        c = s.category(key)
        extra = []
        if c.requirement == "required":
            extra.append("not_assessed " + ("allowed" if c.allow_not_assessed else "not allowed"))
            extra.append(
                "not_applicable " + ("allowed" if c.allow_not_applicable else "not allowed")
            )
        out += ["", f"{key}: {c.requirement}" + (f" ({', '.join(extra)})" if extra else "")]
        if c.rationale:
            out.append(wrap.fill(" ".join(c.rationale.split())))
        if c.requirement == "optional":
            out.append("  (no target rules; findings still get a verdict)")
            continue
        if c.accepted_metrics is None:
            out.append("  accepted: any registry metric of the category")
        rows = [header, *metric_rows(c)]
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        for r in rows:
            out.append(
                "    " + "  ".join(r[i].ljust(widths[i]) for i in range(len(header))).rstrip()
            )
    if s.references:
        out += ["", "References:"]
        for ref in s.references:
            url = f" <{ref['url']}>" if ref.get("url") else ""
            out.append(f"  - {ref['title']}{url}")
    return "\n".join(out) + "\n"


# -- docs/scenarios.md --------------------------------------------------------------------------


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _anchor(sid: str) -> str:
    return sid.replace("/", "-").replace(".", "")


_INTRO = """\
<!-- Generated by dls.scenario_docs from scenarios/*.dls-scenario.yaml; do not edit by hand.
     Regenerate: python -m dls.scenario_docs > docs/scenarios.md -->

# Scenarios: preservation targets by deployment

What a student must preserve depends on where it is deployed. A **scenario** names the
categories that matter there, the metrics accepted as evidence, and how much loss relative to
the teacher is tolerated. Every statement names one (`scenario: {id, version}`), and
`dls validate` gives each finding a verdict against it. The file format is described in the
[scenario format reference](reference/scenario-format.md); this page lists the built-in library.

## How targets are applied

- **Requirement.** *required* categories must be present and assessed (unless the scenario
  allows `not_assessed` or `not_applicable`); a missing one is an error (DLS-T010).
  *recommended* ones give a warning when missing (DLS-T011). *optional* ones get verdict rows
  and their claims are checked, but no evidence or loss rule applies.
- **Evidence.** A finding whose metric is not in a category's `accepted_metrics` list is a
  warning (DLS-T015) and does not count as evidence; a required category with no accepted
  finding is an error (DLS-T016). Without a list, any registry metric of the category is
  accepted. The scenario's `min_items` (DLS-T013) and `interval_required` (DLS-T014) apply to
  required categories as errors and to recommended ones as warnings.
- **Tolerance** (the non-inferiority margin) is always against the teacher and direction-aware:
  `{absolute: d}` in the metric's unit, or `{relative: r}` of the teacher's value. Precedence:
  the scenario's per-metric setting, then the category's, then the registry default
  (`dls explain METRIC`).
- **Verdicts.** The difference student − teacher is normalised so that larger is better, and
  its confidence interval [L, U] (at least 90%; a narrower stated interval is ignored, DLS-T026)
  decides: *improved* if L > +tolerance, *preserved* if
  L > −tolerance, *lost* if U < −tolerance, otherwise *inconclusive*. The interval is the one
  stated in the finding; else dls derives an unpaired 95% interval from the two standard errors;
  else, for metrics that are means of per-item values in [0, 1], a Wilson interval per model
  from `evaluation.items`, combined by Newcombe's method. Without any uncertainty "preserved" is
  never given; a point estimate beyond the tolerance is still *lost*.
- **Losses.** A *lost* verdict in a required or recommended category needs an
  `acceptable_because` (DLS-T020) that is not a placeholder (DLS-T021) nor a copy of another
  finding's (DLS-T022). Then it is an **accepted loss** (DLS-T024, an info finding counted
  apart from clean passes, a note in SARIF). Where the scenario says `waivable: false`, a loss
  blocks the statement even with a justification (DLS-T023).
- **Inconclusive** verdicts are never counted as preserved: a warning in required categories,
  an info in recommended ones (DLS-T025).
- **Claims.** A claimed status better than the computed verdict is an error (DLS-T030); a more
  cautious one a warning (DLS-T031). Order: lost < inconclusive < preserved < improved.
- **Your own scenarios** extend the built-in ones (`extends: general-chat-assistant`, or
  `extends: [{path: ../org.dls-scenario.yaml}]`) and are referenced from a statement with
  `scenario: {id, version, path}`; `dls validate --scenario ID|PATH` checks against another one.
  `scenario.sha256` pins a scenario file's content (bytes with line endings read as LF; `dls
  scenarios show ID` prints it).

## Your own scenario

An organisation keeps its scenarios next to its statements and builds on the built-in ones.
This one takes the public chat assistant's targets, makes grounding required with a custom
metric, and asks for stated intervals everywhere:

```yaml
# acme-support.dls-scenario.yaml
format: dls-scenario/v1
id: acme/support-bot
version: 1
title: Acme customer-support assistant
extends: general-chat-assistant
summary: Answers customers from Acme's help centre.
setting: >-
  A public assistant on acme.example answering from the help-centre articles it retrieves.
rationale: >-
  Wrong answers about refunds cost money; the answers must stay grounded in the articles.
defaults:
  interval_required: true
categories:
  grounding:
    requirement: required
    waivable: false
    accepted_metrics: [claim_faithfulness, hallucination_rate, x-acme.policy_accuracy]
    per_metric:
      x-acme.policy_accuracy: {tolerance: {absolute: 0.01}}
    rationale: Refund and warranty answers must match the policy articles.
```

A statement then names it with `scenario: {id: acme/support-bot, version: 1, path:
acme-support.dls-scenario.yaml}`. `dls validate acme-support.dls-scenario.yaml` checks the file
(schema, unknown parents, inheritance cycles, pins) and `dls scenarios show
acme-support.dls-scenario.yaml` prints its targets after inheritance.

## The built-in library

| Scenario | Version | Required categories | Summary |
|---|---|---|---|
"""


def markdown_page() -> str:
    """docs/scenarios.md, generated from the built-in scenario files."""
    out = [_INTRO]
    lib = library()
    for s in lib:
        name = f"[`{s.id}`](#{_anchor(s.id)})"
        required = ", ".join(s.by_requirement("required"))
        summary = (s.summary or "") + (" (abstract parent)" if s.abstract else "")
        out.append(f"| {name} | {s.version} | {required} | {_cell(summary)} |\n")
    for s in lib:
        out.append(_scenario_section(s))
    return "".join(out)


def _scenario_section(s: ResolvedScenario) -> str:
    out = [f"\n### {s.id} {{#{_anchor(s.id)}}}\n\n"]
    out.append(f"**{_cell(s.title)}**, version {s.version}")
    if s.abstract:
        out.append(" (abstract: only a parent for other scenarios)")
    if len(s.chain) > 1:
        out.append(". Extends " + " → ".join(f"`{c}`" for c in s.chain[1:]))
    out.append(f". File `scenarios/{s.id}.dls-scenario.yaml`, sha256 `{s.sha256}`.\n\n")
    if s.setting:
        out.append(f"**Setting.** {_cell(s.setting)}\n\n")
    if s.rationale:
        out.append(f"**Why these targets.** {_cell(s.rationale)}\n\n")
    out.append("| Category | Requirement | Why |\n|---|---|---|\n")
    for key in registry.CATEGORY_KEYS:
        c = s.category(key)
        req = c.requirement
        if req == "required":
            allowed = [
                n
                for n, f in (
                    ("not assessed", c.allow_not_assessed),
                    ("not applicable", c.allow_not_applicable),
                )
                if f
            ]
            if allowed:
                req += " (may be " + " or ".join(allowed) + ")"
        out.append(f"| {key} | {req} | {_cell(c.rationale or '')} |\n")
    out.append("\n**Targets** (required and recommended categories):\n\n")
    out.append(
        "| Category | Metric | Direction | Tolerance | Min. items | Interval required "
        "| Waivable |\n|---|---|---|---|---|---|---|\n"
    )
    for key in registry.CATEGORY_KEYS:
        c = s.category(key)
        if c.requirement == "optional":
            continue
        for mid, direction, tol, items, interval, waivable in metric_rows(c):
            out.append(
                f"| {key} | `{mid}` | {direction} | {tol} | {items} | {interval} | {waivable} |\n"
            )
    if s.references:
        out.append("\n**References.**\n\n")
        for ref in s.references:
            title = _cell(ref["title"])
            line = f"[{title}]({ref['url']})" if ref.get("url") else title
            if ref.get("note"):
                line += f": {_cell(ref['note'])}"
            out.append(f"- {line}\n")
    return "".join(out)


if __name__ == "__main__":  # python -m dls.scenario_docs > docs/scenarios.md
    import sys

    sys.stdout.write(markdown_page())
