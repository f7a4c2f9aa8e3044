"""Weighted building blocks shared by the metrics.

Every function takes optional integer-like weights ``w`` (how many times each
row occurs). Without weights a row counts once; a bootstrap replicate is the
same function with resampling counts as weights, so the point estimate and the
replicates come from one implementation.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
Weights = npt.NDArray[np.float64] | None


def dot(a: Array, b: Array) -> float:
    """sum(a * b) without BLAS: BLAS threads fight the bootstrap's own threads."""
    return float(np.multiply(a, b).sum())


def _w(n: int, w: Weights) -> Array:
    return np.ones(n) if w is None else np.asarray(w, dtype=np.float64)


def ratio(num: Array, den: Array, w: Weights = None) -> float:
    """sum(w * num) / sum(w * den); NaN when the denominator is zero."""
    if w is None:
        d = float(den.sum())
        return float(num.sum()) / d if d > 0 else float("nan")
    d = float(dot(w, den))
    return float(dot(w, num)) / d if d > 0 else float("nan")


def auroc(score: Array, positive: Array, w: Weights = None) -> float:
    """P(score of a positive > score of a negative), ties counted one half.

    Equals the Mann-Whitney U statistic over (weighted) pairs, i.e. sklearn's
    ``roc_auc_score``. NaN when one class is empty.
    """
    ww = _w(len(score), w)
    uniq, inv = np.unique(score, return_inverse=True)
    pos = np.bincount(inv, weights=ww * positive, minlength=len(uniq)).astype(np.float64)
    neg = np.bincount(inv, weights=ww * (1.0 - positive), minlength=len(uniq)).astype(np.float64)
    return auroc_from_counts(pos, neg)


def roc_points(score: Array, positive: Array, w: Weights = None) -> tuple[Array, Array, Array]:
    """(fpr, tpr, threshold) for 'positive when score >= threshold', thresholds descending.

    The first point is threshold +inf (nothing flagged: fpr = tpr = 0).
    """
    ww = _w(len(score), w)
    uniq, inv = np.unique(score, return_inverse=True)
    pos = np.bincount(inv, weights=ww * positive, minlength=len(uniq))[::-1]
    neg = np.bincount(inv, weights=ww * (1.0 - positive), minlength=len(uniq))[::-1]
    tp, tn = pos.sum(), neg.sum()
    tpr = np.concatenate([[0.0], np.cumsum(pos) / tp]) if tp > 0 else np.full(len(uniq) + 1, np.nan)
    fpr = np.concatenate([[0.0], np.cumsum(neg) / tn]) if tn > 0 else np.full(len(uniq) + 1, np.nan)
    thr = np.concatenate([[np.inf], uniq[::-1]])
    return fpr, tpr, thr


def tpr_at_fpr(score: Array, positive: Array, max_fpr: float, w: Weights = None) -> float:
    """Largest TPR over thresholds whose FPR is <= max_fpr (the non-strict convention)."""
    fpr, tpr, _ = roc_points(score, positive, w)
    if np.isnan(fpr).any() or np.isnan(tpr).any():
        return float("nan")
    ok = fpr <= max_fpr + 1e-12
    return float(tpr[ok].max())


def fpr_at_tpr(score: Array, positive: Array, min_tpr: float, w: Weights = None) -> float:
    """FPR at the highest threshold whose TPR reaches min_tpr."""
    fpr, tpr, _ = roc_points(score, positive, w)
    if np.isnan(fpr).any() or np.isnan(tpr).any():
        return float("nan")
    reach = np.nonzero(tpr >= min_tpr - 1e-12)[0]
    return float(fpr[reach[0]])


def ece_equal_width(conf: Array, correct: Array, bins: int, w: Weights = None) -> float:
    """Top-label ECE with ``bins`` equal-width bins, right-closed (lo, hi].

    Edges are the correctly rounded k/bins, so a confidence written as 0.7 lies in
    (0.6, 0.7]; a confidence of 0 goes to the first bin.
    """
    ww = _w(len(conf), w)
    total = ww.sum()
    if total <= 0:
        return float("nan")
    idx = equal_width_bins(conf, bins)
    gap = np.bincount(idx, weights=ww * (correct - conf), minlength=bins)
    return float(np.abs(gap).sum() / total)


def equal_width_bins(conf: Array, bins: int) -> npt.NDArray[np.intp]:
    edges = np.arange(bins + 1) / bins
    idx = np.searchsorted(edges, conf, side="left") - 1
    return np.clip(idx, 0, bins - 1)


def ece_equal_mass(conf: Array, correct: Array, bins: int, w: Weights = None) -> float:
    """Top-label ECE with ``bins`` equal-mass bins over confidence-sorted rows.

    Bin sizes follow ``numpy.array_split`` (the first n mod bins bins are one
    larger). With weights, a row counted w times occupies w consecutive
    positions and may straddle a bin edge; its share is split exactly.
    """
    order = np.argsort(conf, kind="stable")
    r = (correct - conf)[order]
    ww = _w(len(conf), w)[order]
    n = round(ww.sum())
    if n <= 0:
        return float("nan")
    m = min(bins, n)
    sizes = np.full(m, n // m)
    sizes[: n % m] += 1
    edges = np.concatenate([[0], np.cumsum(sizes)]).astype(np.float64)
    cum_w = np.concatenate([[0.0], np.cumsum(ww)])
    cum_r = np.concatenate([[0.0], np.cumsum(ww * r)])

    def upto(x: Array) -> Array:
        # sum of r over the first x expanded positions
        i = np.searchsorted(cum_w, x, side="right") - 1
        i = np.clip(i, 0, len(r) - 1)
        part = np.where(i < len(r), (x - cum_w[i]) * r[np.minimum(i, len(r) - 1)], 0.0)
        return np.asarray(cum_r[i] + part)

    at = upto(edges)
    at[-1] = cum_r[-1]
    return float(np.abs(np.diff(at)).sum() / n)


def aurc(conf: Array, correct: Array, w: Weights = None) -> float:
    """Area under the risk-coverage curve.

    Rows sorted by confidence, highest first (stable); r_j is the error rate of
    the j most confident rows; AURC is the mean of r_j. A row counted w times
    fills w consecutive positions, summed in closed form with harmonic numbers.
    """
    order = np.argsort(-conf, kind="stable")
    e = 1.0 - correct[order]
    if w is None:
        j = np.arange(1, len(e) + 1)
        return float(np.mean(np.cumsum(e) / j)) if len(e) else float("nan")
    ww = np.asarray(w, dtype=np.float64)[order]
    n = round(ww.sum())
    if n <= 0:
        return float("nan")
    harm = np.concatenate([[0.0], np.cumsum(1.0 / np.arange(1, n + 1))])
    p = np.concatenate([[0.0], np.cumsum(ww)[:-1]]).astype(np.int64)  # positions before the row
    k = ww.astype(np.int64)
    err_before = np.concatenate([[0.0], np.cumsum(ww * e)[:-1]])
    h = harm[p + k] - harm[p]  # sum_{t=1..k} 1/(p+t)
    # sum_{t=1..k} (E + t e)/(p + t) = E h + e (k - p h)
    total = err_before * h + e * (k - p * h)
    return float(total.sum() / n)


def ols_slope(x: Array, y: Array, w: Weights = None) -> float:
    """Weighted least-squares slope of y on x; NaN when x does not vary."""
    ww = _w(len(x), w)
    sw = ww.sum()
    if sw <= 0:
        return float("nan")
    mx = dot(ww, x) / sw
    my = dot(ww, y) / sw
    sxx = dot(ww, (x - mx) ** 2)
    if sxx <= 0:
        return float("nan")
    return float(dot(ww, (x - mx) * (y - my)) / sxx)


# -- prepared forms: the per-replicate work without the per-replicate sorting --------------


def prepare_ece_equal_width(conf: Array, correct: Array, bins: int) -> Callable[[Weights], float]:
    """ece_equal_width as a function of the weights, with the bins found once."""
    idx = equal_width_bins(conf, bins)
    r = correct - conf
    n = len(conf)

    def f(w: Weights) -> float:
        if w is None:
            return float(np.abs(np.bincount(idx, weights=r, minlength=bins)).sum() / n)
        total = w.sum()
        if total <= 0:
            return float("nan")
        return float(
            np.abs(np.bincount(idx, weights=np.multiply(w, r), minlength=bins)).sum() / total
        )

    return f


def prepare_sorted(
    fn: Callable[[Array, Array, Weights], float],
    score: Array,
    other: Array,
    descending: bool = False,
) -> Callable[[Weights], float]:
    """fn(score, other, w) with rows pre-sorted by score (stable), so that the
    stable sorts inside fn are cheap on already-ordered data."""
    order = np.argsort(-score if descending else score, kind="stable")
    s, o = score[order], other[order]

    def f(w: Weights) -> float:
        return float(fn(s, o, None if w is None else w[order]))

    return f


def prepare_roc(
    score: Array, positive: Array, what: Callable[[Array, Array], float]
) -> Callable[[Weights], float]:
    """A ROC-based metric of the weights, with the distinct scores found once.

    ``what(pos, neg)`` gets the (weighted) positives and negatives per distinct
    score, in ascending score order.
    """
    uniq, inv = np.unique(score, return_inverse=True)
    k = len(uniq)
    neg_w = 1.0 - positive

    def f(w: Weights) -> float:
        ww = np.ones(len(score)) if w is None else w
        pos = np.bincount(inv, weights=ww * positive, minlength=k).astype(np.float64)
        neg = np.bincount(inv, weights=ww * neg_w, minlength=k).astype(np.float64)
        return what(pos, neg)

    return f


def auroc_from_counts(pos: Array, neg: Array) -> float:
    tp, tn = pos.sum(), neg.sum()
    if tp <= 0 or tn <= 0:
        return float("nan")
    below = np.cumsum(neg) - neg
    return float(dot(pos, below + 0.5 * neg) / (tp * tn))


def _rates(pos: Array, neg: Array) -> tuple[Array, Array] | None:
    tp, tn = pos.sum(), neg.sum()
    if tp <= 0 or tn <= 0:
        return None
    tpr = np.concatenate([[0.0], np.cumsum(pos[::-1]) / tp])
    fpr = np.concatenate([[0.0], np.cumsum(neg[::-1]) / tn])
    return fpr, tpr


def tpr_at_fpr_from_counts(pos: Array, neg: Array, max_fpr: float) -> float:
    got = _rates(pos, neg)
    if got is None:
        return float("nan")
    fpr, tpr = got
    return float(tpr[fpr <= max_fpr + 1e-12].max())


def fpr_at_tpr_from_counts(pos: Array, neg: Array, min_tpr: float) -> float:
    got = _rates(pos, neg)
    if got is None:
        return float("nan")
    fpr, tpr = got
    return float(fpr[np.nonzero(tpr >= min_tpr - 1e-12)[0][0]])
