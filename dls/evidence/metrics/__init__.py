"""The metrics dls computes from per-item records, by registry id.

Each metric turns a paired table (dls.evidence.records.Paired) into a
``Measured``: teacher and student values plus a function that recomputes both
under bootstrap weights, so intervals use the same code as the point values.
Metrics whose inputs are missing return None and are simply not reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dls.evidence.metrics.core import Array, Weights
from dls.evidence.records import Paired

Pair = tuple[float, float]


@dataclass
class Measured:
    """Teacher and student values of one metric on one paired table.

    ``replicate(w)`` recomputes both under unit weights ``w``; ``parts`` =
    (num_T, den_T, num_S, den_S) when the metric is a ratio of sums, which lets
    the bootstrap merge identical units. ``units`` is "rows" or "groups"
    (items, for metrics over an item's samples). ``flips`` = (b, c) when the
    metric is a paired binary outcome (McNemar applies).
    """

    teacher: float
    student: float
    n: int
    replicate: Callable[[Weights], Pair]
    units: str = "rows"
    parts: tuple[Array, Array, Array, Array] | None = None
    flips: tuple[int, int] | None = None
    relative: bool = False  # teacher value is the reference (agreement, KL, flips)
    size: int = 0  # units in the table the weights index (rows or item groups)
    notes: dict[str, Any] = field(default_factory=dict)


Compute = Callable[[Paired, dict[str, Any]], "Measured | None"]


@dataclass(frozen=True)
class Spec:
    id: str
    compute: Compute
    inputs: str  # what the records must carry, for docs and messages
    level: str = "rows"


def specs() -> dict[str, Spec]:
    from dls.evidence.metrics.catalogue import SPECS

    return SPECS


def ratio_measured(
    nt: Array, dt: Array, ns: Array, ds: Array, *, units: str = "rows", flips: bool = False
) -> Measured | None:
    """A metric that is sum(num)/sum(den) per model, or None when either has no rows."""
    nt, dt, ns, ds = (np.nan_to_num(a, nan=0.0) for a in (nt, dt, ns, ds))
    if dt.sum() <= 0 or ds.sum() <= 0:
        return None

    def rep(w: Weights) -> Pair:
        from dls.evidence.metrics.core import ratio

        return ratio(nt, dt, w), ratio(ns, ds, w)

    t, s = rep(None)
    fl = None
    if flips and np.array_equal(dt, ds) and _binary(nt) and _binary(ns):
        m = dt > 0
        fl = (int(((nt == 1) & (ns == 0) & m).sum()), int(((nt == 0) & (ns == 1) & m).sum()))
    n = int(((dt > 0) | (ds > 0)).sum())
    return Measured(t, s, n, rep, units=units, parts=(nt, dt, ns, ds), flips=fl, size=len(nt))


def _binary(a: Array) -> bool:
    return bool(np.isin(a, (0.0, 1.0)).all())
