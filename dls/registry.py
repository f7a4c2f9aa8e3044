"""The taxonomy of distillation losses and the metric registry, as data.

The registry is versioned with the statement format: ``schema/taxonomy-v1.yaml``
belongs to ``dls-statement/v1``. Directions, valid ranges and default
tolerances come from here; statements never restate them for registry metrics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from dls._resources import data_file

Direction = Literal["higher_is_better", "lower_is_better", "closer_to"]

CATEGORY_KEYS: tuple[str, ...] = (
    "task_performance",
    "uncertainty",
    "boundary",
    "process",
    "stability",
    "grounding",
    "privacy",
    "safety",
    "diversity",
)
"""The nine categories, in the order of the taxonomy."""

DIRECTIONS: tuple[Direction, ...] = ("higher_is_better", "lower_is_better", "closer_to")


@dataclass(frozen=True, slots=True)
class Tolerance:
    """A non-inferiority margin: absolute in the metric's unit, or relative to the teacher."""

    value: float
    relative: bool = False

    def absolute_for(self, teacher: float) -> float:
        """The margin in metric units for a given teacher value."""
        return abs(teacher) * self.value if self.relative else self.value

    def describe(self) -> str:
        return f"{self.value:g} relative" if self.relative else f"{self.value:g}"


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    title: str
    definition: str
    shows_as: str


@dataclass(frozen=True, slots=True)
class Metric:
    """One registry metric."""

    id: str
    category: str
    direction: Direction
    range: tuple[float | None, float | None]
    unit: str
    tolerance: Tolerance
    definition: str
    formula: str
    also: tuple[str, ...] = ()
    target: float | None = None
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def categories(self) -> tuple[str, ...]:
        return (self.category, *self.also)


@dataclass(frozen=True, slots=True)
class Registry:
    version: str
    categories: dict[str, Category]
    metrics: dict[str, Metric]

    def metrics_of(self, category: str) -> list[Metric]:
        """Metrics whose primary category is ``category``, in registry order."""
        return [m for m in self.metrics.values() if m.category == category]


def _metric(mid: str, raw: dict[str, Any]) -> Metric:
    tol = raw["tolerance"]
    relative = "relative" in tol
    lo, hi = raw["range"]
    return Metric(
        id=mid,
        category=raw["category"],
        direction=raw["direction"],
        range=(lo, hi),
        unit=raw["unit"],
        tolerance=Tolerance(float(tol["relative" if relative else "absolute"]), relative),
        definition=raw["definition"],
        formula=raw["formula"],
        also=tuple(raw.get("also", ())),
        target=raw.get("target"),
        parameters=dict(raw.get("parameters", {})),
    )


@cache
def load(version: str = "v1") -> Registry:
    """The registry of a format version (``v1``)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with data_file("schema", f"taxonomy-{version}.yaml").open(encoding="utf-8") as fh:
        raw = yaml.load(fh, Loader=loader)
    cats = {
        k: Category(k, v["title"], v["definition"], v["shows_as"])
        for k, v in raw["categories"].items()
    }
    metrics = {k: _metric(k, v) for k, v in raw["metrics"].items()}
    return Registry(version, cats, metrics)


def metric(metric_id: str, version: str = "v1") -> Metric | None:
    """A registry metric by id, or None (custom ``x-`` metrics are not in the registry)."""
    return load(version).metrics.get(metric_id)


def category(key: str, version: str = "v1") -> Category:
    return load(version).categories[key]
