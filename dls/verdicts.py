"""Verdicts: was a capability preserved, lost, improved, or can the numbers not tell?

A non-inferiority reading of one teacher/student comparison (DOMAIN §5.4).
Differences are direction-normalised so that larger is better, then compared
with a margin (the tolerance) using the confidence interval of the difference:

- ``improved`` when the interval's lower end clears +tolerance;
- ``preserved`` when it clears -tolerance;
- ``lost`` when the upper end stays below -tolerance;
- ``inconclusive`` otherwise: the interval straddles the margin.

Without any uncertainty a point estimate can show a loss but never
preservation: "not significantly worse" is not "preserved".

When a statement states no interval, one is derived, best first: from the
standard errors of both values (an unpaired normal interval, wider than the
paired one the items would give, so conservative); else, for metrics that are
means over items of values in [0, 1], from ``evaluation.items`` with a Wilson
interval per model combined by Newcombe's hybrid score method (the Bernoulli
variance p(1-p) bounds the variance of any such mean, so again conservative).
Derived intervals are two-sided 95%.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

Z95 = 1.959963984540054
"""Two-sided 95% normal quantile used for derived intervals."""

VERDICTS: tuple[str, ...] = ("lost", "inconclusive", "preserved", "improved")
"""Verdicts from worst to best; a claim is compared with the computed verdict in this order."""

ITEM_MEAN_METRICS: frozenset[str] = frozenset(
    {
        "accuracy",
        "exact_match",
        "f1",
        "pass_at_1",
        "pass_at_k",
        "negative_flip_rate",
        "top1_agreement",
        "over_refusal_rate",
        "harmful_refusal_rate",
        "step_error_rate",
        "answer_consistency",
        "format_validity",
        "non_termination_rate",
        "repetition_rate",
        "hallucination_rate",
        "extraction_rate",
        "pii_leak_rate",
        "harmful_compliance_rate",
        "attack_success_rate",
        "unique_answer_rate",
    }
)
"""Registry metrics that are a mean over the evaluation items of a per-item value in [0, 1].

Only for these does ``evaluation.items`` give a binomial (Wilson) bound on the
uncertainty. Rates over another denominator (abstentions, claims, citations,
tool calls) and non-decomposable metrics (ECE, AUROC, distinct-n) are left out.
"""

_EPS = 1e-12


def _slack(*values: float) -> float:
    """Room for binary rounding: a value at exactly the margin is not beyond it."""
    return _EPS * max(1.0, *(abs(v) for v in values))


def normalised_difference(
    direction: str, teacher: float, student: float, target: float | None = None
) -> float:
    """Student minus teacher on a larger-is-better scale.

    higher_is_better: S - T; lower_is_better: T - S; closer_to: |T - t| - |S - t|.
    """
    if direction == "higher_is_better":
        return student - teacher
    if direction == "lower_is_better":
        return teacher - student
    if direction == "closer_to":
        if target is None:
            raise ValueError("a closer_to metric needs a target value")
        return abs(teacher - target) - abs(student - target)
    raise ValueError(f"unknown direction {direction!r}")


def normalised_interval(
    direction: str, teacher: float, lower: float, upper: float, target: float | None = None
) -> tuple[float, float]:
    """An interval on student minus teacher, mapped to the normalised scale.

    For closer_to the map d -> |T - t| - |T + d - t| is concave, so its minimum
    over [lower, upper] is at an end and its maximum at d = t - T when that lies
    inside (else at the nearer end): the exact image of the interval.
    """
    if lower > upper:
        lower, upper = upper, lower
    if direction == "higher_is_better":
        return (lower, upper)
    if direction == "lower_is_better":
        return (-upper, -lower)
    if direction == "closer_to":
        if target is None:
            raise ValueError("a closer_to metric needs a target value")
        base = abs(teacher - target)

        def f(d: float) -> float:
            return base - abs(teacher + d - target)

        peak = target - teacher
        hi = base if lower <= peak <= upper else max(f(lower), f(upper))
        return (min(f(lower), f(upper)), hi)
    raise ValueError(f"unknown direction {direction!r}")


def verdict(delta_n: float, interval_n: tuple[float, float] | None, tolerance: float | None) -> str:
    """The verdict for a normalised difference, its normalised interval and a margin.

    With no interval, "lost" when the point estimate is beyond the margin, else
    "inconclusive". With no tolerance (a custom metric no scenario sets one for),
    always "inconclusive".
    """
    if tolerance is None:
        return "inconclusive"
    tol = abs(tolerance)
    if interval_n is None:
        return "lost" if delta_n < -tol - _slack(delta_n, tol) else "inconclusive"
    lo, hi = min(interval_n), max(interval_n)
    slack = _slack(lo, hi, tol)
    if lo > tol + slack:
        return "improved"
    if lo > -tol + slack:
        return "preserved"
    if hi < -tol - slack:
        return "lost"
    return "inconclusive"


def compare_claim(claimed: str, computed: str) -> int:
    """Negative when the claim is worse than the computed verdict, positive when better, 0 equal."""
    return VERDICTS.index(claimed) - VERDICTS.index(computed)


def stderr_interval(
    teacher: float, student: float, se_teacher: float, se_student: float, z: float = Z95
) -> tuple[float, float]:
    """Unpaired normal interval on student minus teacher from both standard errors."""
    d = student - teacher
    half = z * math.hypot(se_teacher, se_student)
    return (d - half, d + half)


def wilson(p: float, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion ``p`` observed on ``n`` items."""
    if n <= 0:
        raise ValueError("n must be positive")
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(max(p * (1 - p) / n + z2 / (4 * n * n), 0.0))
    return (max(0.0, centre - half), min(1.0, centre + half))


def binomial_interval(
    teacher: float, student: float, n_teacher: int, n_student: int | None = None, z: float = Z95
) -> tuple[float, float] | None:
    """Newcombe's hybrid score interval on student minus teacher (Newcombe 1998, method 10).

    None when a value is not a proportion in [0, 1].
    """
    n_s = n_teacher if n_student is None else n_student
    if not (0.0 <= teacher <= 1.0 and 0.0 <= student <= 1.0) or n_teacher <= 0 or n_s <= 0:
        return None
    lt, ut = wilson(teacher, n_teacher, z)
    ls, us = wilson(student, n_s, z)
    d = student - teacher
    lower = d - math.sqrt((student - ls) ** 2 + (ut - teacher) ** 2)
    upper = d + math.sqrt((us - student) ** 2 + (teacher - lt) ** 2)
    return (lower, upper)


def describe_tolerance(value: float, relative: bool) -> str:
    """``0.02`` or ``5% relative``."""
    return f"{value * 100:g}% relative" if relative else f"{value:g}"


@dataclass(frozen=True, slots=True)
class VerdictRow:
    """One finding of a statement, judged against its scenario's target."""

    category: str
    finding_id: str
    metric: str
    direction: str
    teacher: float
    student: float
    difference: float  # student - teacher
    normalised: float  # larger is better
    interval: tuple[float, float] | None  # on student - teacher (stated or derived)
    interval_source: str  # "stated" | "stderr" | "binomial" | "none"
    tolerance: float | None  # absolute margin in metric units (None: unknown)
    tolerance_text: str  # e.g. "0.02" or "5% relative"
    verdict: str  # improved | preserved | lost | inconclusive
    claimed: str  # the status written in the statement
    accepted: bool  # a loss accepted with a justification
    blocking: bool  # a loss the scenario does not let anyone waive
    requirement: str  # required | recommended | optional
    path: tuple[str | int, ...]  # the finding's path in the document

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: tuples become lists, the path a JSON Pointer as well."""
        from dls.findings import pointer

        out = asdict(self)
        out["interval"] = list(self.interval) if self.interval is not None else None
        out["path"] = list(self.path)
        out["pointer"] = pointer(self.path)
        return out
