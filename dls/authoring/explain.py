"""``dls explain``: what a finding code, a category or a metric means.

The text comes from the same data the validator uses (the code catalogue in
``dls.codes`` and the taxonomy and metric registry in ``dls.registry``), so an
explanation can never disagree with a check.
"""

from __future__ import annotations

import difflib
import textwrap
from dataclasses import dataclass

from dls import codes, registry
from dls.errors import UsageError

_DIRECTION_TEXT = {
    "higher_is_better": "higher is better",
    "lower_is_better": "lower is better",
    "closer_to": "closer to a target value is better",
}


@dataclass(frozen=True, slots=True)
class Explanation:
    """What one name means: a heading and labelled paragraphs."""

    kind: str  # "code", "category" or "metric"
    name: str
    title: str
    fields: tuple[tuple[str, str], ...]

    def text(self) -> str:
        """The explanation as plain text for a terminal."""
        width = max(len(label) for label, _ in self.fields)
        lines = [f"{self.name}: {self.title}", ""]
        pad = " " * (width + 2)
        for label, value in self.fields:
            body = textwrap.fill(
                value, 88, initial_indent=pad, subsequent_indent=pad, break_on_hyphens=False
            )
            lines.append(f"{label + ':':<{width + 2}}{body[len(pad) :]}")
        return "\n".join(lines) + "\n"


def describe_direction(metric: registry.Metric) -> str:
    """A metric's direction in words, with its target for ``closer_to``."""
    text = _DIRECTION_TEXT[metric.direction]
    if metric.direction == "closer_to" and metric.target is not None:
        text += f" (target {metric.target:g})"
    return text


def describe_range(metric: registry.Metric) -> str:
    """A metric's valid range, with open ends written as infinities."""
    lo, hi = metric.range
    left = "-inf" if lo is None else f"{lo:g}"
    right = "+inf" if hi is None else f"{hi:g}"
    return f"[{left}, {right}]"


def describe_tolerance(metric: registry.Metric) -> str:
    """A metric's default tolerance in words."""
    tol = metric.tolerance
    if tol.relative:
        return f"{tol.value:g} of the teacher's value (relative)"
    return f"{tol.value:g} {metric.unit} (absolute)"


def explain_code(code: codes.Code) -> Explanation:
    return Explanation(
        "code",
        code.code,
        code.summary,
        (
            ("name", code.name),
            ("severity", code.severity.value),
            ("layer", code.layer),
            ("meaning", code.explanation),
            ("fix", code.fix),
        ),
    )


def explain_category(cat: registry.Category, reg: registry.Registry) -> Explanation:
    own = [m.id for m in reg.metrics_of(cat.key)]
    also = [m.id for m in reg.metrics.values() if cat.key in m.also]
    fields = [
        ("category", cat.key),
        ("definition", cat.definition),
        ("loss shows as", cat.shows_as),
        ("metrics", ", ".join(own) or "(none)"),
    ]
    if also:
        fields.append(("also accepted", ", ".join(also)))
    fields.append(("more", "dls explain METRIC for any of these"))
    return Explanation("category", cat.key, cat.title, tuple(fields))


def explain_metric(metric: registry.Metric, reg: registry.Registry) -> Explanation:
    cats = ", ".join(metric.categories)
    fields = [
        ("definition", metric.definition),
        ("category", cats),
        ("direction", describe_direction(metric)),
        ("range", describe_range(metric)),
        ("unit", metric.unit),
        ("formula", metric.formula),
        ("tolerance", describe_tolerance(metric) + "; scenarios may set their own"),
    ]
    if metric.parameters:
        params = ", ".join(f"{k}={v}" for k, v in metric.parameters.items())
        fields.append(("parameters", f"{params} (defaults; record yours under `parameters`)"))
    title = reg.categories[metric.category].title
    return Explanation("metric", metric.id, f"metric of {title}", tuple(fields))


def in_scenario(exp: Explanation, scenario_ref: str) -> Explanation:
    """``exp`` with what a scenario asks of that category or metric added.

    Raises ``ScenarioError`` when the scenario cannot be resolved.
    """
    from dls import scenarios

    resolved = scenarios.resolve(scenario_ref)
    label = f"{resolved.id} v{resolved.version}"
    extra: list[tuple[str, str]] = []
    if exp.kind == "category":
        target = resolved.categories.get(exp.name)
        if target is None:
            extra.append((f"in {label}", "optional; no targets"))
        else:
            extra.append(
                (f"in {label}", f"{target.requirement}; accepts {', '.join(target.accepted())}")
            )
            if target.rationale:
                extra.append(("why", " ".join(target.rationale.split())))
    elif exp.kind == "metric":
        metric = registry.metric(exp.name)
        for key in metric.categories if metric is not None else ():
            target = resolved.categories.get(key)
            if target is None or not target.accepts(exp.name):
                continue
            mt = target.target_for(exp.name)
            tol = mt.tolerance.describe() if mt.tolerance is not None else "none"
            parts = [
                f"{target.requirement} category {key}",
                f"tolerance {tol} ({mt.tolerance_source})",
                f"at least {mt.min_items} items" if mt.min_items else "no minimum of items",
                "interval required" if mt.interval_required else "interval optional",
                "a loss can be accepted with a justification" if mt.waivable else "a loss blocks",
            ]
            extra.append((f"in {label}", "; ".join(parts)))
        if not extra:
            extra.append((f"in {label}", "not accepted as evidence in any category"))
    return Explanation(exp.kind, exp.name, exp.title, exp.fields + tuple(extra))


def _code_lookup() -> dict[str, codes.Code]:
    table: dict[str, codes.Code] = {}
    for code in codes.CATALOG.values():
        table[code.code.lower()] = code
        table[code.code[4:].lower()] = code  # "S004" for "DLS-S004"
        table[code.name.lower()] = code
    return table


def explain(name: str, version: str = "v1") -> Explanation:
    """Explain a finding code (``DLS-S004``, ``S004``, ``unknown-property``), category or metric.

    Raises ``UsageError`` with "did you mean" suggestions for unknown names.
    """
    reg = registry.load(version)
    key = name.strip()
    lowered = key.lower()
    code = _code_lookup().get(lowered)
    if code is not None:
        return explain_code(code)
    cat_key = lowered.replace("-", "_").replace(" ", "_")
    if cat_key in reg.categories:
        return explain_category(reg.categories[cat_key], reg)
    for cat in reg.categories.values():
        if cat.title.lower() == lowered:
            return explain_category(cat, reg)
    if key in reg.metrics or cat_key in reg.metrics:
        return explain_metric(reg.metrics[key if key in reg.metrics else cat_key], reg)
    raise UsageError(f"unknown code, category or metric {name!r}", hint=_suggest(key, reg))


def _suggest(name: str, reg: registry.Registry) -> str:
    candidates = [*codes.CATALOG, *(c.name for c in codes.CATALOG.values())]
    candidates += [*reg.categories, *reg.metrics]
    by_lower = {c.lower(): c for c in candidates}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(by_lower[c] for c in close) + "?"
    return "codes look like DLS-S004; `dls explain --list` lists every category and metric"


def names(version: str = "v1") -> dict[str, list[str]]:
    """Every name ``explain`` knows, by kind (for ``dls explain --list``)."""
    reg = registry.load(version)
    return {
        "codes": list(codes.CATALOG),
        "categories": list(reg.categories),
        "metrics": list(reg.metrics),
    }
