"""Paired statistics: bootstrap intervals, McNemar's exact test, Wald, power and MDE.

The paired bootstrap draws one set of unit weights per replicate and recomputes
the metric for both models under it (DOMAIN §5.2). Units are rows, items (for
metrics over an item's samples) or clusters when records carry ``cluster``.
Replicates are reproducible: replicate block b always uses the b-th child of
``SeedSequence(seed)``, whatever the number of threads.

For metrics that are ratios of sums, identical units are merged first and the
merged counts are drawn from a multinomial. That is the same distribution as
resampling units one by one, at a cost that does not grow with n.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from statistics import NormalDist
from typing import cast

import numpy as np
import numpy.typing as npt

from dls.evidence.metrics import Measured
from dls.evidence.metrics.core import Array, dot

BLOCK = 25  # replicates per seeded block


@dataclass(frozen=True)
class Bootstrap:
    """Replicate values of both models and what produced them."""

    teacher: Array
    student: Array
    n_boot: int
    seed: int
    units: int
    clustered: bool
    method: str

    @property
    def diff(self) -> Array:
        return self.student - self.teacher

    def interval(self, level: float) -> tuple[float, float]:
        """Percentile interval of student minus teacher at ``level``."""
        d = self.diff[np.isfinite(self.diff)]
        if len(d) == 0:
            return float("nan"), float("nan")
        a = (1.0 - level) / 2.0
        lo, hi = np.quantile(d, [a, 1.0 - a])
        return float(lo), float(hi)

    def stderr(self) -> tuple[float, float, float]:
        """Bootstrap standard errors of teacher, student and the difference."""

        def sd(x: Array) -> float:
            x = x[np.isfinite(x)]
            return float(np.std(x, ddof=1)) if len(x) > 1 else float("nan")

        return sd(self.teacher), sd(self.student), sd(self.diff)

    @property
    def failed(self) -> int:
        """Replicates where the metric was undefined (e.g. one class resampled away)."""
        return int((~np.isfinite(self.diff)).sum())


def paired_bootstrap(
    m: Measured,
    *,
    n_boot: int = 2000,
    seed: int = 0,
    clusters: npt.NDArray[np.intp] | None = None,
    threads: int | None = None,
) -> Bootstrap:
    """Bootstrap both models' values of ``m`` on the same resampled units."""
    n = m.size
    clustered = clusters is not None
    if m.parts is not None:
        parts = m.parts
        if clusters is not None:
            k = int(clusters.max()) + 1 if len(clusters) else 0
            parts = tuple(np.bincount(clusters, weights=p, minlength=k) for p in parts)  # type: ignore[assignment]
            n = k
        t, s = _ratio_bootstrap(parts, n, n_boot, seed)
        return Bootstrap(t, s, n_boot, seed, n, clustered, "paired_bootstrap_percentile")
    t, s = _general_bootstrap(m, n, n_boot, seed, clusters, threads)
    return Bootstrap(
        t,
        s,
        n_boot,
        seed,
        n if clusters is None else int(clusters.max()) + 1,
        clustered,
        "paired_bootstrap_percentile",
    )


def _blocks(n_boot: int, seed: int) -> list[tuple[int, np.random.Generator]]:
    children = np.random.SeedSequence(seed).spawn(math.ceil(n_boot / BLOCK))
    return [
        (min(BLOCK, n_boot - i * BLOCK), np.random.default_rng(c)) for i, c in enumerate(children)
    ]


def _compress(parts: tuple[Array, ...]) -> tuple[Array, Array] | None:
    """(distinct rows, their counts), or None when rows are mostly distinct."""
    n = len(parts[0])
    key = np.zeros(n, dtype=np.int64)
    size = 1
    for col in parts:
        uniq, inv = np.unique(col, return_inverse=True)
        if len(uniq) > max(64, n // 4) or size * len(uniq) >= 2**62:
            return None
        key = key * len(uniq) + inv
        size *= len(uniq)
    _, first, counts = np.unique(key, return_index=True, return_counts=True)
    return np.column_stack(parts)[first], counts.astype(np.float64)


def _ratio_bootstrap(
    parts: tuple[Array, Array, Array, Array], n: int, n_boot: int, seed: int
) -> tuple[Array, Array]:
    packed = _compress(parts)
    if packed is None:  # continuous values: resample units one by one
        nt, dt, ns, ds = parts

        def ratios(w: Array) -> tuple[float, float]:
            a, b = dot(w, dt), dot(w, ds)
            return (
                dot(w, nt) / a if a > 0 else float("nan"),
                dot(w, ns) / b if b > 0 else float("nan"),
            )

        return _replicates(ratios, n, n_boot, seed, None, None)
    uniq, counts = packed
    probs = counts / counts.sum()
    out_t, out_s = [], []
    for size, rng in _blocks(n_boot, seed):
        w = rng.multinomial(n, probs, size=size).astype(np.float64)  # (size, U)
        sums = w @ uniq  # (size, 4)
        with np.errstate(divide="ignore", invalid="ignore"):
            out_t.append(np.where(sums[:, 1] > 0, sums[:, 0] / sums[:, 1], np.nan))
            out_s.append(np.where(sums[:, 3] > 0, sums[:, 2] / sums[:, 3], np.nan))
    return np.concatenate(out_t), np.concatenate(out_s)


def _general_bootstrap(
    m: Measured,
    n: int,
    n_boot: int,
    seed: int,
    clusters: npt.NDArray[np.intp] | None,
    threads: int | None,
) -> tuple[Array, Array]:
    return _replicates(m.replicate, n, n_boot, seed, clusters, threads)


def _replicates(
    fn: Callable[[Array], tuple[float, float]],
    n: int,
    n_boot: int,
    seed: int,
    clusters: npt.NDArray[np.intp] | None,
    threads: int | None,
) -> tuple[Array, Array]:
    """fn(w) for n_boot resampling weight vectors, in seeded blocks, on several threads."""
    k = n if clusters is None else int(clusters.max()) + 1

    def run(block: tuple[int, np.random.Generator]) -> list[tuple[float, float]]:
        size, rng = block
        res = []
        for _ in range(size):
            # integer counts: multiplying them into float arrays needs no float copy first
            cw = cast(Array, np.bincount(rng.integers(0, k, k), minlength=k))
            w = cw if clusters is None else cw[clusters]
            res.append(fn(w))
        return res

    blocks = _blocks(n_boot, seed)
    workers = threads or min(len(blocks), os.cpu_count() or 1)
    if workers > 1 and n >= 5000:
        with ThreadPoolExecutor(workers) as ex:
            results = [r for block in ex.map(run, blocks) for r in block]
    else:
        results = [r for block in blocks for r in run(block)]
    arr = np.array(results, dtype=np.float64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


# -- McNemar, Wald -------------------------------------------------------------------------


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value: min(1, 2 * BinomCDF(min(b, c); b + c, 1/2))."""
    n = b + c
    if n == 0:
        return 1.0
    k = min(b, c)
    i = np.arange(k, dtype=np.float64)
    log_comb = np.concatenate([[0.0], np.cumsum(np.log(n - i) - np.log(i + 1))])
    log_terms = log_comb - n * math.log(2.0)
    top = log_terms.max()
    cdf = math.exp(top) * float(np.exp(log_terms - top).sum())
    return min(1.0, 2.0 * cdf)


def wald_paired(b: int, c: int, n: int, level: float = 0.95) -> tuple[float, float, float, float]:
    """(difference, SE, lower, upper) for paired proportions: (c - b)/n, Wald SE."""
    d = (c - b) / n
    se = math.sqrt(max((b + c) / n - d * d, 0.0)) / math.sqrt(n)
    z = NormalDist().inv_cdf(0.5 + level / 2.0)
    return d, se, d - z * se, d + z * se


def mean_stderr(p: float, n: int) -> float:
    """lm-eval's standard error of a mean of 0/1 scores: sqrt(p(1-p)/(n-1))."""
    return math.sqrt(p * (1.0 - p) / (n - 1))


# -- power ---------------------------------------------------------------------------------


def _z(alpha: float, power: float, sided: int) -> tuple[float, float]:
    nd = NormalDist()
    return nd.inv_cdf(1.0 - alpha / sided), nd.inv_cdf(power)


def items_needed(p_d: float, delta: float, alpha: float = 0.05, power: float = 0.8) -> int | None:
    """Paired binary items needed to detect ``delta`` at discordant share ``p_d`` (Connor 1987).

    None when delta >= p_d, where the normal approximation breaks down.
    """
    if delta >= p_d:
        return None
    za, zb = _z(alpha, power, 2)
    n = (za * math.sqrt(p_d) + zb * math.sqrt(p_d - delta * delta)) ** 2 / delta**2
    return math.ceil(n - 1e-9)


def mde(n: int, p_d: float, alpha: float = 0.05, power: float = 0.8) -> float:
    """Minimum detectable difference for n paired binary items: (z_a/2 + z_b) sqrt(p_d / n)."""
    za, zb = _z(alpha, power, 2)
    return (za + zb) * math.sqrt(p_d / n)


def mde_from_se(se: float, alpha: float = 0.05, power: float = 0.8) -> float:
    """Minimum detectable difference given the standard error of the difference."""
    za, zb = _z(alpha, power, 2)
    return (za + zb) * se
