"""What the metrics share: per-row inputs derived from records, and metric shapes.

A metric is usually one of a few shapes: a ratio of per-row sums (rates,
means), a function of two per-row inputs on each model's own rows (ECE, AUROC),
or a mean over items of a value computed from the item's samples (diversity,
pass@k). The shapes live here; the catalogue names the metrics.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from dls.evidence.metrics import Measured, Pair, ratio_measured
from dls.evidence.metrics.core import Array, Weights
from dls.evidence.records import Paired, Side

NAN = float("nan")
Params = dict[str, Any]


def _defined(a: Array) -> Array:
    return np.isfinite(a).astype(np.float64)


def _nz(a: Array) -> Array:
    return np.nan_to_num(a, nan=0.0)


# -- shared per-row inputs -----------------------------------------------------------------


def correct(s: Side) -> Array:
    """1/0 per row: pred = label, else argmax(probs) = label, else a 0/1 score."""
    out = np.full(s.n, NAN)
    sc = s.col("score")
    b = np.isin(sc, (0.0, 1.0))
    out[b] = sc[b]
    pc = s.col("p_correct")
    m = np.isfinite(pc)
    out[m] = pc[m]
    pm = s.num.get("pred_match")
    if pm is not None:
        m = np.isfinite(pm)
        out[m] = pm[m]
    return out


def confidence(s: Side) -> tuple[Array, Array, str]:
    """(top-label confidence, its correctness, source): from probs when given, else the
    scalar ``confidence`` with the row's correctness."""
    pc = s.col("p_conf")
    if np.isfinite(pc).any():
        return pc, s.col("p_correct"), "probs"
    return s.col("confidence"), correct(s), "confidence"


def _masked(
    fn: Callable[[Array, Array, Weights], float],
    t: tuple[Array, Array],
    s: tuple[Array, Array],
    n_min: int = 1,
    prepare: Callable[[Array, Array], Callable[[Weights], float]] | None = None,
) -> Measured | None:
    """A metric of two per-row inputs, each model on its own rows with both inputs.

    ``prepare(x, y)`` may return the metric as a function of the weights alone,
    doing once what does not depend on them (binning, sorting).
    """
    mt = np.isfinite(t[0]) & np.isfinite(t[1])
    ms = np.isfinite(s[0]) & np.isfinite(s[1])
    if mt.sum() < n_min or ms.sum() < n_min:
        return None

    def side(x: Array, y: Array, m: npt.NDArray[np.bool_]) -> Callable[[Weights], float]:
        full = bool(m.all())
        xm, ym = (x, y) if full else (x[m], y[m])
        g = prepare(xm, ym) if prepare is not None else (lambda w: fn(xm, ym, w))
        if full:
            return g
        return lambda w: g(None if w is None else w[m])

    ft, fs = side(t[0], t[1], mt), side(s[0], s[1], ms)

    def rep(w: Weights) -> Pair:
        return ft(w), fs(w)

    tv, sv = rep(None)
    if not (np.isfinite(tv) and np.isfinite(sv)):
        return None
    return Measured(tv, sv, int((mt | ms).sum()), rep, size=len(mt))


def _from_scores(metric: str) -> Callable[[Paired, Params], Measured | None]:
    def compute(p: Paired, params: Params) -> Measured | None:
        t, s = p.teacher.scores.get(metric), p.student.scores.get(metric)
        if t is None or s is None:
            return None
        m = ratio_measured(_nz(t), _defined(t), _nz(s), _defined(s), flips=True)
        if m is not None:
            m.notes["source"] = f"per-item scores.{metric}"
        return m

    return compute


def _groups(p: Paired) -> tuple[list[list[int]], int]:
    g, k = p.groups()
    rows: list[list[int]] = [[] for _ in range(k)]
    for i, gi in enumerate(g.tolist()):
        rows[gi].append(i)
    return rows, k


def _group_metric(
    p: Paired, fn: Callable[[Side, list[int]], float], *, need_samples: bool = True
) -> Measured | None:
    if need_samples and not p.samples:
        return None
    rows, _k = _groups(p)
    vt = np.array([fn(p.teacher, r) for r in rows])
    vs = np.array([fn(p.student, r) for r in rows])
    return ratio_measured(_nz(vt), _defined(vt), _nz(vs), _defined(vs), units="groups")


def _correct_counts(s: Side, rows: list[int]) -> tuple[int, int]:
    c = correct(s)[rows]
    c = c[np.isfinite(c)]
    return len(c), int(c.sum())


def _mean_of(name: str) -> Callable[[Paired, Params], Measured | None]:
    def compute(p: Paired, params: Params) -> Measured | None:
        t, s = p.teacher.col(name), p.student.col(name)
        return ratio_measured(_nz(t), _defined(t), _nz(s), _defined(s))

    return compute


def _conditional(
    flag: str, cond: Callable[[Side], Array], *, invert: bool = False
) -> Callable[[Paired, Params], Measured | None]:
    """Rate of ``flag`` among rows where ``cond`` holds (and the flag was judged)."""

    def parts(s: Side) -> tuple[Array, Array]:
        f = s.col(flag)
        den = (cond(s) & np.isfinite(f)).astype(np.float64)
        hit = (1.0 - f) if invert else f
        return _nz(hit) * den, den

    def compute(p: Paired, params: Params) -> Measured | None:
        nt, dt = parts(p.teacher)
        ns, ds = parts(p.student)
        return ratio_measured(nt, dt, ns, ds, flips=True)

    return compute


def _share_of(part: str, whole: str, *, bad: bool = False, per_row: bool = False):  # type: ignore[no-untyped-def]
    """sum(part)/sum(whole) pooled, or (per_row) the share of rows where part < whole."""

    def compute(p: Paired, params: Params) -> Measured | None:
        def parts(s: Side) -> tuple[Array, Array]:
            num, den = _nz(s.col(part)), _nz(s.col(whole))
            if per_row:
                rows = (den > 0).astype(np.float64)
                return (num < den).astype(np.float64) * rows, rows
            return (den - num if bad else num), den

        nt, dt = parts(p.teacher)
        ns, ds = parts(p.student)
        return ratio_measured(nt, dt, ns, ds, flips=per_row)

    return compute
