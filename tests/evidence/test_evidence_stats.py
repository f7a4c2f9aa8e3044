"""Paired statistics: golden values of DOMAIN §5 and §7, reference cross-checks, and the
bootstrap's reproducibility, clustering and weighting."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dls.evidence import stats
from dls.evidence.metrics import core, ratio_measured
from tests.evidence.test_evidence_metrics import close

# DOMAIN §5.5: items needed, exact for the stated formula.
NEEDED = {
    (0.05, 0.01): 3923, (0.05, 0.02): 979, (0.05, 0.03): 434,
    (0.10, 0.01): 7847, (0.10, 0.02): 1960, (0.10, 0.03): 870, (0.10, 0.05): 312,
    (0.20, 0.01): 15696, (0.20, 0.02): 3923, (0.20, 0.03): 1742, (0.20, 0.05): 626,
    (0.20, 0.10): 155,
    (0.30, 0.01): 23545, (0.30, 0.02): 5885, (0.30, 0.03): 2614, (0.30, 0.05): 940,
    (0.30, 0.10): 234,
}  # fmt: skip


@pytest.mark.parametrize(("cell", "n"), sorted(NEEDED.items()))
def test_items_needed_table(cell: tuple[float, float], n: int) -> None:
    assert stats.items_needed(*cell) == n


def test_items_needed_is_blank_when_delta_reaches_discordance() -> None:
    assert stats.items_needed(0.05, 0.05) is None
    assert stats.items_needed(0.10, 0.10) is None


MDE = {
    (500, 0.05): "0.028", (500, 0.10): "0.040", (500, 0.20): "0.056",
    (1000, 0.05): "0.020", (1000, 0.10): "0.028", (1000, 0.20): "0.040",
    (5000, 0.05): "0.009", (5000, 0.10): "0.013", (5000, 0.20): "0.018",
}  # fmt: skip


@pytest.mark.parametrize(("cell", "printed"), sorted(MDE.items()))
def test_mde_table(cell: tuple[int, float], printed: str) -> None:
    assert close(stats.mde(*cell), printed)


def test_wald_paired_golden_a() -> None:
    d, se, lo, hi = stats.wald_paired(b=2, c=1, n=10)
    assert close(d, "-0.1") and close(se, "0.1702939")
    assert close(lo, "-0.4338") and close(hi, "0.2338")
    diffs = np.array([-1.0, -1.0, 1.0] + [0.0] * 7)
    assert close(float(diffs.std(ddof=1) / np.sqrt(10)), "0.1795055")


def test_mcnemar_golden_a_is_one() -> None:
    assert stats.mcnemar_exact(2, 1) == 1.0


@pytest.mark.parametrize(("b", "c"), [(0, 0), (0, 5), (49, 5), (12, 30), (400, 460), (7, 7)])
def test_mcnemar_matches_scipy_binomtest(b: int, c: int) -> None:
    scipy_stats = pytest.importorskip("scipy.stats")
    expected = 1.0 if b + c == 0 else scipy_stats.binomtest(min(b, c), b + c, 0.5).pvalue
    assert stats.mcnemar_exact(b, c) == pytest.approx(expected, rel=1e-9, abs=1e-300)


@pytest.mark.parametrize(
    ("p", "n", "printed"),
    [(0.844, 500, "0.016243636"), (0.892, 500, "0.0138945"), (0.266212, 1172, "0.0129158")],
)
def test_lm_eval_mean_stderr(p: float, n: int, printed: str) -> None:
    assert close(stats.mean_stderr(p, n), printed)


def _golden_a_accuracy():  # type: ignore[no-untyped-def]
    # golden A's paired table: b = 2 (T right, S wrong), c = 1, n11 = 7
    ones = np.ones(10)
    t = np.array([1, 1, 0, 1, 1, 1, 1, 1, 1, 1], dtype=float)
    s = np.array([0, 0, 1, 1, 1, 1, 1, 1, 1, 1], dtype=float)
    return ratio_measured(t, ones, s, ones, flips=True)


def test_bootstrap_of_golden_a_smoke_interval() -> None:
    m = _golden_a_accuracy()
    assert m is not None and m.flips == (2, 1)
    boot = stats.paired_bootstrap(m, n_boot=10000, seed=0)
    lo, hi = boot.interval(0.95)
    assert -0.5 <= lo <= -0.3 and 0.1 <= hi <= 0.3  # DOMAIN §7 smoke: [-0.4, 0.2]


def test_bootstrap_is_reproducible_and_seed_dependent() -> None:
    m = _golden_a_accuracy()
    assert m is not None
    a = stats.paired_bootstrap(m, n_boot=500, seed=7)
    b = stats.paired_bootstrap(m, n_boot=500, seed=7)
    c = stats.paired_bootstrap(m, n_boot=500, seed=8)
    assert np.array_equal(a.diff, b.diff)
    assert not np.array_equal(a.diff, c.diff)


def test_general_bootstrap_does_not_depend_on_thread_count() -> None:
    rng = np.random.default_rng(1)
    conf = rng.random(6000)
    corr = (rng.random(6000) < conf).astype(float)
    from dls.evidence.metrics import Measured

    def rep(w):  # type: ignore[no-untyped-def]
        return core.ece_equal_width(conf, corr, 15, w), core.ece_equal_width(conf**2, corr, 15, w)

    m = Measured(*rep(None), n=6000, replicate=rep, size=6000)
    one = stats.paired_bootstrap(m, n_boot=60, seed=3, threads=1)
    two = stats.paired_bootstrap(m, n_boot=60, seed=3, threads=2)
    assert np.array_equal(one.diff, two.diff)


def test_clusters_widen_the_interval_when_items_move_together() -> None:
    rng = np.random.default_rng(0)
    k, size = 40, 25  # 40 clusters of 25 identical outcomes
    base = rng.random(k) < 0.5
    t = np.repeat(base, size).astype(float)
    s = np.repeat(base ^ (rng.random(k) < 0.3), size).astype(float)
    ones = np.ones(k * size)
    m = ratio_measured(t, ones, s, ones)
    assert m is not None
    naive = stats.paired_bootstrap(m, n_boot=2000, seed=0)
    clustered = stats.paired_bootstrap(
        m, n_boot=2000, seed=0, clusters=np.repeat(np.arange(k), size)
    )
    w_naive = np.subtract(*naive.interval(0.95)[::-1])
    w_clustered = np.subtract(*clustered.interval(0.95)[::-1])
    assert w_clustered > 3 * w_naive
    assert clustered.clustered and clustered.units == k


def test_identical_models_give_a_zero_width_interval() -> None:
    x = np.array([1.0, 0.0, 1.0, 1.0])
    m = ratio_measured(x, np.ones(4), x, np.ones(4))
    assert m is not None
    assert stats.paired_bootstrap(m, n_boot=200, seed=0).interval(0.9) == (0.0, 0.0)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 1, allow_nan=False), st.booleans(), st.integers(0, 3)),
        min_size=2,
        max_size=30,
    )
)
def test_weights_mean_repetition(rows: list[tuple[float, bool, int]]) -> None:
    """A row with weight w gives the same value as the row written out w times."""
    conf = np.array([r[0] for r in rows])
    corr = np.array([float(r[1]) for r in rows])
    w = np.array([float(r[2]) for r in rows])
    if w.sum() == 0:
        return
    rep = np.repeat(np.arange(len(rows)), w.astype(int))
    c2, a2 = conf[rep], corr[rep]
    for fn in (
        lambda c, a, ww: core.ece_equal_width(c, a, 15, ww),
        lambda c, a, ww: core.ece_equal_mass(c, a, 4, ww),
        core.aurc,
        core.auroc,
        lambda c, a, ww: core.tpr_at_fpr(c, a, 0.25, ww),
        lambda c, a, ww: core.fpr_at_tpr(c, a, 0.95, ww),
    ):
        got, want = fn(conf, corr, w), fn(c2, a2, None)
        if np.isnan(want):
            assert np.isnan(got)
        elif fn is core.aurc:
            # ties in confidence may be ordered differently once expanded
            order_free = len(set(conf.tolist())) == len(conf)
            assert not order_free or got == pytest.approx(want, abs=1e-12)
        else:
            assert got == pytest.approx(want, abs=1e-12)


def test_prepared_forms_equal_the_direct_computation() -> None:
    """The bootstrap's precomputed forms give the same values as the plain functions."""
    rng = np.random.default_rng(5)
    conf = np.round(rng.random(500), 2)  # ties on purpose
    corr = (rng.random(500) < conf).astype(float)
    ece = core.prepare_ece_equal_width(conf, corr, 15)
    roc = core.prepare_roc(conf, corr, core.auroc_from_counts)
    tpr = core.prepare_roc(conf, corr, lambda p, n: core.tpr_at_fpr_from_counts(p, n, 0.1))
    fpr = core.prepare_roc(conf, corr, lambda p, n: core.fpr_at_tpr_from_counts(p, n, 0.95))
    aurc = core.prepare_sorted(core.aurc, conf, corr, descending=True)
    for w in (None, np.bincount(rng.integers(0, 500, 500), minlength=500).astype(float)):
        assert ece(w) == pytest.approx(core.ece_equal_width(conf, corr, 15, w), abs=1e-12)
        assert roc(w) == pytest.approx(core.auroc(conf, corr, w), abs=1e-12)
        assert tpr(w) == pytest.approx(core.tpr_at_fpr(conf, corr, 0.1, w), abs=1e-12)
        assert fpr(w) == pytest.approx(core.fpr_at_tpr(conf, corr, 0.95, w), abs=1e-12)
        assert aurc(w) == pytest.approx(core.aurc(conf, corr, w), abs=1e-12)
