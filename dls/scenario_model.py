"""The resolved scenario: what the target rules ask of a category and a metric.

``dls.scenarios`` loads files and applies inheritance; this module turns the
merged content into typed values and answers the rules' questions: is this
metric accepted here, what tolerance, how many items, may a loss be waived.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dls import registry
from dls.registry import Tolerance

REQUIREMENTS: tuple[str, ...] = ("required", "recommended", "optional")

_BUILTIN_DEFAULTS: dict[str, Any] = {
    "min_items": None,
    "interval_required": False,
    "waivable": True,
    "allow_not_assessed": False,
    "allow_not_applicable": False,
}
_JUSTIFICATION_MIN_LENGTH = 12


@dataclass(frozen=True, slots=True)
class MetricTarget:
    """Everything the target rules need for one metric in one category."""

    metric: str
    tolerance: Tolerance | None
    tolerance_source: str  # "scenario metric" | "scenario category" | "registry" | "none"
    min_items: int | None
    interval_required: bool
    waivable: bool


@dataclass(frozen=True, slots=True)
class CategoryTarget:
    """The resolved target for one category."""

    key: str
    requirement: str
    rationale: str | None
    accepted_metrics: tuple[str, ...] | None  # None: any registry metric of the category
    tolerance: Tolerance | None
    min_items: int | None
    interval_required: bool
    waivable: bool
    allow_not_assessed: bool
    allow_not_applicable: bool
    per_metric: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def accepts(self, metric_id: str) -> bool:
        """Whether a finding with this metric counts as evidence for the category."""
        if self.accepted_metrics is not None:
            return metric_id in self.accepted_metrics
        if metric_id.startswith("x-"):
            return True
        m = registry.metric(metric_id)
        return m is not None and self.key in m.categories

    def accepted(self) -> list[str]:
        """The accepted metric ids, listed out (custom ids only when named)."""
        if self.accepted_metrics is not None:
            return list(self.accepted_metrics)
        return [m.id for m in registry.load().metrics.values() if self.key in m.categories]

    def target_for(self, metric_id: str) -> MetricTarget:
        """Settings for a metric: per-metric override > category > registry default."""
        own = self.per_metric.get(metric_id, {})
        tol: Tolerance | None
        if "tolerance" in own:
            tol, source = _tolerance(own["tolerance"]), "scenario metric"
        elif self.tolerance is not None:
            tol, source = self.tolerance, "scenario category"
        else:
            m = registry.metric(metric_id)
            tol, source = (m.tolerance, "registry") if m is not None else (None, "none")
        return MetricTarget(
            metric_id,
            tol,
            source,
            own.get("min_items", self.min_items),
            bool(own.get("interval_required", self.interval_required)),
            bool(own.get("waivable", self.waivable)),
        )


@dataclass(frozen=True, slots=True)
class ResolvedScenario:
    """A scenario with its inheritance applied."""

    id: str
    version: int
    title: str
    abstract: bool
    summary: str | None
    setting: str | None
    rationale: str | None
    references: tuple[Mapping[str, Any], ...]
    categories: Mapping[str, CategoryTarget]
    justification_min_length: int
    source: str  # "built-in" or the file's path
    sha256: str  # of the scenario file's text (line endings normalised to LF)
    chain: tuple[str, ...]  # this scenario and its ancestors, nearest first

    def category(self, key: str) -> CategoryTarget:
        """The target of a category; categories a scenario does not name are optional."""
        found = self.categories.get(key)
        if found is not None:
            return found
        return CategoryTarget(key, "optional", None, None, None, None, False, True, True, True)

    def by_requirement(self, requirement: str) -> list[str]:
        return [k for k in registry.CATEGORY_KEYS if self.category(k).requirement == requirement]

    def as_dict(self) -> dict[str, Any]:
        """The fully resolved targets, JSON-ready (``dls scenarios show --format json``)."""
        cats: dict[str, Any] = {}
        for key in registry.CATEGORY_KEYS:
            c = self.category(key)
            metrics = {}
            for mid in c.accepted():
                t = c.target_for(mid)
                metrics[mid] = {
                    "tolerance": _tolerance_dict(t.tolerance),
                    "tolerance_source": t.tolerance_source,
                    "min_items": t.min_items,
                    "interval_required": t.interval_required,
                    "waivable": t.waivable,
                }
            cats[key] = {
                "requirement": c.requirement,
                "rationale": c.rationale,
                "accepted_metrics": "any registry metric of the category"
                if c.accepted_metrics is None
                else list(c.accepted_metrics),
                "allow_not_assessed": c.allow_not_assessed,
                "allow_not_applicable": c.allow_not_applicable,
                "metrics": metrics,
            }
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "abstract": self.abstract,
            "summary": self.summary,
            "setting": self.setting,
            "rationale": self.rationale,
            "references": [dict(r) for r in self.references],
            "extends": list(self.chain[1:]),
            "source": self.source,
            "sha256": self.sha256,
            "justification_min_length": self.justification_min_length,
            "categories": cats,
        }


def _tolerance(raw: Any) -> Tolerance | None:
    if not isinstance(raw, Mapping):
        return None
    if "relative" in raw:
        return Tolerance(float(raw["relative"]), True)
    if "absolute" in raw:
        return Tolerance(float(raw["absolute"]), False)
    return None


def _tolerance_dict(t: Tolerance | None) -> dict[str, float] | None:
    if t is None:
        return None
    return {"relative": t.value} if t.relative else {"absolute": t.value}


def build(
    merged: dict[str, Any], *, source: str, sha256: str, chain: tuple[str, ...]
) -> ResolvedScenario:
    """A resolved scenario from its merged content (inheritance already applied)."""
    defaults = {**_BUILTIN_DEFAULTS, **(merged.get("defaults") or {})}
    cats: dict[str, CategoryTarget] = {}
    for key, raw in (merged.get("categories") or {}).items():
        if key not in registry.CATEGORY_KEYS or not isinstance(raw, Mapping):
            continue

        def setting(name: str, raw: Mapping[str, Any] = raw) -> Any:
            return raw.get(name, defaults.get(name))

        accepted = raw.get("accepted_metrics")
        cats[key] = CategoryTarget(
            key=key,
            requirement=str(raw.get("requirement", "optional")),
            rationale=raw.get("rationale"),
            accepted_metrics=tuple(accepted) if isinstance(accepted, list) else None,
            tolerance=_tolerance(raw.get("tolerance")),
            min_items=setting("min_items"),
            interval_required=bool(setting("interval_required")),
            waivable=bool(setting("waivable")),
            allow_not_assessed=bool(setting("allow_not_assessed")),
            allow_not_applicable=bool(setting("allow_not_applicable")),
            per_metric={
                k: dict(v)
                for k, v in (raw.get("per_metric") or {}).items()
                if isinstance(v, Mapping)
            },
        )
    just = merged.get("justification") or {}
    return ResolvedScenario(
        id=str(merged.get("id")),
        version=int(merged.get("version", 0)),
        title=str(merged.get("title", "")),
        abstract=bool(merged.get("abstract")),
        summary=merged.get("summary"),
        setting=merged.get("setting"),
        rationale=merged.get("rationale"),
        references=tuple(merged.get("references") or ()),
        categories=cats,
        justification_min_length=int(just.get("min_length", _JUSTIFICATION_MIN_LENGTH)),
        source=source,
        sha256=sha256,
        chain=chain,
    )
