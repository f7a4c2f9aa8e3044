"""``dls init``: a statement skeleton for a scenario, to be filled in by hand.

Every value the authors must supply is left empty (YAML null) with a
``# TODO`` comment on its line; the metric ids are the word ``TODO``, which is
no registry metric. The schema rejects both, so an unfinished statement fails
``dls validate`` at exactly the lines still to fill in, and cannot pass a
pull-request check by accident. (A null metric would also trip the schema's
custom-metric rule at the finding's first line; ``TODO`` is reported where it
stands.) Values dls can
know (format, scenario, today's date, finding ids) are written out.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from dls import registry

SCHEMA_REF = "statement-v1.schema.json"
"""Default ``$schema`` reference: a schema file next to the statement (``dls schema -o``)."""

TODO = "# TODO"
"""The marker on every placeholder line."""

_METHODS = "logit, sequence_level, on_policy, chain_of_thought, feature, other"


@dataclass(frozen=True, slots=True)
class CategoryPlan:
    """What the scenario asks of one category."""

    key: str
    requirement: str  # "required", "recommended" or "optional"
    metrics: tuple[str, ...]  # accepted metric ids; empty when any registry metric counts
    min_items: int | None = None
    interval_required: bool = False
    waivable: bool = True
    rationale: str | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """A resolved scenario, reduced to what a skeleton needs."""

    scenario_id: str
    version: int
    title: str
    categories: tuple[CategoryPlan, ...] = field(default_factory=tuple)
    path: str | None = None  # a scenario file, as the statement should reference it


def finding_id(category: str) -> str:
    """The id the skeleton gives the first finding of a category."""
    return f"{category.replace('_', '-')}-1"


def _wrap(prefix: str, words: Iterable[str], width: int = 96) -> list[str]:
    """Comment lines holding ``words`` after ``prefix``, wrapped at ``width``.

    ``prefix`` ends in a comment mark (``  # ...``); continuation lines keep the
    mark and indent under the first word.
    """
    hash_at = prefix.index("#")
    indent = prefix[: hash_at + 1] + " " * (len(prefix) - hash_at - 1)
    lines: list[str] = []
    line = prefix
    for word in words:
        if line not in (prefix, indent) and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = indent
        line += word if line in (prefix, indent) else " " + word
    lines.append(line)
    return lines


def _category_block(cat: CategoryPlan, reg: registry.Registry) -> list[str]:
    info = reg.categories[cat.key]
    metrics = list(cat.metrics) or [m.id for m in reg.metrics.values() if cat.key in m.categories]
    accepted = [f"{m}," for m in metrics[:-1]] + metrics[-1:]
    out = ["", f"  # {info.title}: {cat.requirement} in this scenario."]
    out += _wrap("  #   ", info.definition.split())
    if cat.rationale:
        out += _wrap("  #   Why here: ", cat.rationale.split())
    out += _wrap("  #   Accepted metrics: ", accepted)
    if cat.requirement != "required":
        out.append(
            "  #   Not measured? Replace the findings with `assessment: not_assessed`"
            " and a `reason`."
        )
    if not cat.waivable:
        out.append("  #   A loss beyond tolerance here blocks the statement; it cannot be waived.")
    items_hint = f"at least {cat.min_items}" if cat.min_items else "how many"
    out += [
        f"  {cat.key}:",
        "    assessment: assessed",
        "    findings:",
        f"      - id: {finding_id(cat.key)}",
        "        metric: TODO  # one of the accepted metrics above (`dls explain METRIC`)",
        "        evaluation:",
        f"          benchmark:  {TODO} benchmark or evaluation set, e.g. its Hugging Face id",
        f"          items:  {TODO} number of evaluation items ({items_hint})",
        "          # split: test",
        "          # protocol: 0-shot, exact prompt and scoring rule",
        "          # pairing: paired  (teacher and student scored on the same items)",
        f"        teacher:  {TODO} the teacher's value, in the metric's unit",
        f"        student:  {TODO} the student's value, on the same items",
    ]
    if cat.interval_required:
        out += [
            "        interval:  # required here: a confidence interval on student - teacher",
            f"          lower:  {TODO} lower bound of student minus teacher",
            f"          upper:  {TODO} upper bound of student minus teacher",
            "          level: 0.95",
            f"          method:  {TODO} e.g. paired_bootstrap (2000 resamples)",
        ]
    else:
        out += [
            "        # interval: {lower: -0.01, upper: 0.01, level: 0.95, method: bootstrap}",
        ]
    out += [
        f"        status:  {TODO} preserved, lost, improved or inconclusive",
        "        # acceptable_because: for a loss, why it is acceptable in this scenario",
        "        # evidence: [ids of the evidence entries behind these numbers]",
    ]
    return out


def skeleton(
    plan: Plan,
    *,
    schema_ref: str = SCHEMA_REF,
    today: _dt.date | None = None,
    version: str = "v1",
) -> str:
    """The text of a statement skeleton for ``plan``.

    Categories the scenario requires or recommends get an assessed section
    with one finding to fill in; optional ones are listed as comments.
    """
    reg = registry.load(version)
    date = (today or _dt.date.today()).isoformat()
    by_key = {c.key: c for c in plan.categories}
    listed = [by_key[k] for k in registry.CATEGORY_KEYS if k in by_key]
    active = [c for c in listed if c.requirement in ("required", "recommended")]
    optional = [k for k in registry.CATEGORY_KEYS if k not in {c.key for c in active}]
    headline = finding_id(active[0].key) if active else finding_id("task_performance")
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# $schema: {schema_ref}",
        "#",
        f"# A Distillation Loss Statement for scenario {plan.scenario_id} (version "
        f"{plan.version}):",
        f"#   {plan.title}",
        "# Written by `dls init`. Each line marked TODO holds an empty value: fill it in.",
        "# `dls validate FILE` reports every one still empty; `dls explain NAME` explains any",
        "# finding code, category or metric named here.",
        f"format: dls-statement/{version}",
        f"id:  {TODO} a stable id for this statement, e.g. acme/chat-1b/{date[:7]}",
        f"title:  {TODO} e.g. Chat-1B distilled from Chat-8B: what was kept and lost",
        f"date: {json.dumps(date)}",
        "status: draft  # draft while you write it; final once published (then add sign_off)",
        "owners:",
        f"  - name:  {TODO} the person or team accountable for this statement",
        "    # email: ml-team@example.org",
        "teacher:",
        f"  name:  {TODO} the teacher model, e.g. its Hugging Face repository id",
        f"  revision:  {TODO} a commit hash, tag or checksum that pins the exact weights",
        "  # parameters: 8.0e9",
        "student:",
        f"  name:  {TODO} the student model",
        f"  revision:  {TODO} a commit hash, tag or checksum that pins the exact weights",
        "  # parameters: 1.2e9",
        "recipe:",
        f"  methods:  {TODO} a list of one or more of: {_METHODS}",
        f"  objective:  {TODO} e.g. forward KL on the teacher's top-20 logits, T=2",
        "  # data: [{name: the transfer set, description: how it was produced}]",
        "intended_use:",
        f"  summary:  {TODO} what the student is for, in a sentence or two",
        "  # out_of_scope: [uses this statement does not cover]",
        "scenario:",
        f"  id: {plan.scenario_id}",
        f"  version: {plan.version}",
        *([f"  path: {json.dumps(plan.path)}"] if plan.path else []),
        "headline:  # ids of the findings that are the headline task results",
        f"  - {headline}",
        "categories:",
    ]
    for cat in active:
        lines += _category_block(cat, reg)
    if optional:
        lines += ["", "  # Optional in this scenario; add a section if you measured them:"]
        lines += _wrap("  #   ", [f"{k}," for k in optional[:-1]] + optional[-1:])
    lines += [
        "",
        "summary:",
        f"  preserved:  {TODO} what the student kept of its teacher",
        f"  lost:  {TODO} what it lost, with the numbers",
        f"  acceptable_because:  {TODO} why the remaining losses are acceptable in this scenario",
        "# sign_off:  # required once status is final",
        f"#   - {{name: A. Reviewer, role: accountable owner, date: {json.dumps(date)}}}",
        "",
    ]
    return "\n".join(lines)


def placeholder_lines(text: str) -> list[int]:
    """1-based numbers of the lines of ``text`` that hold a placeholder (``TODO``)."""
    return [
        n
        for n, line in enumerate(text.splitlines(), 1)
        if "TODO" in line and not line.lstrip().startswith("#")
    ]


def plan_for(ref: str) -> tuple[Plan, str | None]:
    """The plan for a built-in scenario id or a scenario file, and the file's path if any.

    Raises ``ScenarioError`` for unknown, broken or abstract scenarios.
    """
    from dls import scenarios
    from dls.errors import ScenarioError

    resolved = scenarios.resolve(ref)
    if resolved.abstract:
        concrete = ", ".join(scenarios.builtin_ids(include_abstract=False))
        raise ScenarioError(
            f"scenario {resolved.id!r} is abstract: it is only a parent for other scenarios",
            hint=f"choose a concrete scenario: {concrete}",
        )
    cats = []
    for key in registry.CATEGORY_KEYS:
        target = resolved.categories.get(key)
        if target is None:
            cats.append(CategoryPlan(key, "optional", ()))
            continue
        cats.append(
            CategoryPlan(
                key,
                target.requirement,
                tuple(target.accepted()),
                target.min_items,
                target.interval_required,
                target.waivable,
                target.rationale,
            )
        )
    path = None if resolved.source == "built-in" else resolved.source
    return Plan(resolved.id, resolved.version, resolved.title, tuple(cats), path), path
