"""Shape computed findings as a statement (skeleton) or a fragment to merge into one.

A skeleton is a draft: the numbers are computed, the prose the authors owe
(why the losses are acceptable) is marked as still to be written, and every
category the records did not cover is marked not assessed with that reason.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from dls import registry
from dls.evidence.measure import Result

NOT_COVERED = (
    "Not assessed: the per-item records given to dls measure carry no inputs for this "
    "category's metrics."
)


@dataclass(frozen=True)
class Meta:
    """What dls cannot infer from records: who, which models, which scenario."""

    id: str = "draft/dls-measure"
    title: str = "Distillation loss statement (computed draft)"
    teacher: dict[str, Any] = field(
        default_factory=lambda: {"name": "teacher", "revision": "unknown"}
    )
    student: dict[str, Any] = field(
        default_factory=lambda: {"name": "student", "revision": "unknown"}
    )
    owners: tuple[str, ...] = ("dls measure",)
    scenario: dict[str, Any] = field(default_factory=lambda: {"id": "base", "version": 1})
    methods: tuple[str, ...] = ("other",)
    objective: str = "Not stated when the findings were computed; the authors describe it here."
    intended_use: str = "Not stated when the findings were computed; the authors describe it here."
    date: str | None = None


def fragment(result: Result) -> dict[str, Any]:
    """Only what dls computed: evidence entries and findings by category."""
    cats = {k: {"assessment": "assessed", "findings": v} for k, v in _ordered(result).items()}
    return {"evidence": result.evidence, "categories": cats}


def _ordered(result: Result) -> dict[str, list[dict[str, Any]]]:
    by_cat = result.categories()
    return {k: by_cat[k] for k in registry.CATEGORY_KEYS if k in by_cat}


def skeleton(result: Result, meta: Meta) -> dict[str, Any]:
    """A complete draft statement around the computed findings."""
    by_cat = _ordered(result)
    categories: dict[str, Any] = {}
    for key in registry.CATEGORY_KEYS:
        if key in by_cat:
            categories[key] = {"assessment": "assessed", "findings": by_cat[key]}
        else:
            categories[key] = {"assessment": "not_assessed", "reason": NOT_COVERED}
    headline = [c.finding["id"] for c in result.computed if c.metric == "accuracy"]
    if not headline:
        headline = [f["id"] for f in by_cat.get("task_performance", [])][:1]
    if not headline and result.computed:
        headline = [result.computed[0].finding["id"]]
    return {
        "format": "dls-statement/v1",
        "id": meta.id,
        "title": meta.title,
        "date": meta.date or _dt.date.today().isoformat(),
        "status": "draft",
        "owners": [{"name": n} for n in meta.owners],
        "teacher": meta.teacher,
        "student": meta.student,
        "recipe": {"methods": list(meta.methods), "objective": meta.objective},
        "intended_use": {"summary": meta.intended_use},
        "scenario": meta.scenario,
        "headline": headline,
        "categories": categories,
        "evidence": result.evidence,
        "summary": _summary(result),
    }


def _summary(result: Result) -> dict[str, str]:
    def names(status: str) -> str:
        got = [f"{c.metric} on {c.task}" for c in result.computed if c.verdict == status]
        return "; ".join(got)

    preserved = names("preserved")
    improved = names("improved")
    lost = names("lost")
    inconclusive = names("inconclusive")
    kept = "; ".join(x for x in (preserved, improved) if x)
    lost_text = lost or "No computed finding shows a loss beyond its tolerance."
    if inconclusive:
        lost_text += f" Inconclusive (the interval straddles the tolerance): {inconclusive}."
    return {
        "preserved": f"Computed: {kept}." if kept else "No computed finding shows preservation.",
        "lost": lost_text,
        "acceptable_because": (
            "Still to be written by the owners: dls computed the numbers, but only the people "
            "accountable for the deployment can say why the losses are acceptable."
        ),
    }
