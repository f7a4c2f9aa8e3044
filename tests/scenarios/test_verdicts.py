"""The verdict math: direction-normalised differences, intervals, non-inferiority verdicts."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dls.verdicts import (
    VerdictRow,
    binomial_interval,
    compare_claim,
    describe_tolerance,
    normalised_difference,
    normalised_interval,
    stderr_interval,
    verdict,
    wilson,
)

# -- normalised differences -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "teacher", "student", "target", "expected"),
    [
        ("higher_is_better", 0.80, 0.78, None, -0.02),
        ("higher_is_better", 0.50, 0.55, None, 0.05),
        ("lower_is_better", 0.10, 0.14, None, -0.04),
        ("lower_is_better", 0.10, 0.07, None, 0.03),
        # membership-inference AUC: 0.5 is chance, closer is better
        ("closer_to", 0.56, 0.60, 0.5, -0.04),
        ("closer_to", 0.56, 0.52, 0.5, 0.04),
        ("closer_to", 0.56, 0.44, 0.5, 0.0),  # as far from chance on the other side
        ("closer_to", 0.45, 0.58, 0.5, -0.03),
    ],
)
def test_normalised_difference_makes_larger_better(direction, teacher, student, target, expected):
    assert normalised_difference(direction, teacher, student, target) == pytest.approx(expected)


def test_closer_to_without_a_target_is_refused():
    with pytest.raises(ValueError, match="target"):
        normalised_difference("closer_to", 0.5, 0.6)


def test_unknown_direction_is_refused():
    with pytest.raises(ValueError, match="direction"):
        normalised_difference("sideways", 0.5, 0.6)


def test_interval_is_unchanged_for_higher_is_better():
    assert normalised_interval("higher_is_better", 0.8, -0.03, 0.01) == (-0.03, 0.01)


def test_interval_is_mirrored_for_lower_is_better():
    assert normalised_interval("lower_is_better", 0.1, -0.01, 0.03) == (-0.03, 0.01)


def test_closer_to_interval_peaks_where_the_student_hits_the_target():
    """T = 0.56, t = 0.5: d = -0.06 puts the student on the target, the best possible (0.06)."""
    lo, hi = normalised_interval("closer_to", 0.56, -0.08, 0.02, target=0.5)
    assert hi == pytest.approx(0.06)
    # ends: d = -0.08 -> S = 0.48 -> 0.06 - 0.02 = 0.04; d = 0.02 -> S = 0.58 -> 0.06 - 0.08 = -0.02
    assert lo == pytest.approx(-0.02)


def test_closer_to_interval_away_from_the_target_is_monotone():
    lo, hi = normalised_interval("closer_to", 0.56, 0.01, 0.03, target=0.5)
    assert (lo, hi) == (pytest.approx(-0.03), pytest.approx(-0.01))


@given(
    teacher=st.floats(0, 1),
    a=st.floats(-0.5, 0.5),
    b=st.floats(-0.5, 0.5),
    t=st.floats(0, 1),
    u=st.floats(0, 1),
)
def test_closer_to_interval_is_the_exact_image_of_the_difference_interval(teacher, a, b, t, u):
    """Every d in [lower, upper] maps inside the interval, and both ends are attained."""
    lower, upper = min(a, b), max(a, b)
    lo, hi = normalised_interval("closer_to", teacher, lower, upper, target=t)
    d = lower + u * (upper - lower)
    value = normalised_difference("closer_to", teacher, teacher + d, t)
    assert lo - 1e-9 <= value <= hi + 1e-9
    grid = [lower + i * (upper - lower) / 400 for i in range(401)] + [
        min(max(t - teacher, lower), upper)
    ]
    values = [normalised_difference("closer_to", teacher, teacher + x, t) for x in grid]
    assert min(values) == pytest.approx(lo, abs=1e-9)
    assert max(values) == pytest.approx(hi, abs=1e-9)


# -- verdicts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delta", "interval", "tol", "expected"),
    [
        (0.05, (0.03, 0.07), 0.02, "improved"),
        (0.00, (-0.01, 0.01), 0.02, "preserved"),
        (0.01, (-0.019, 0.04), 0.02, "preserved"),
        (-0.05, (-0.07, -0.03), 0.02, "lost"),
        (-0.01, (-0.03, 0.01), 0.02, "inconclusive"),  # straddles -tol
        (-0.02, (-0.04, -0.001), 0.02, "inconclusive"),  # significant, not shown beyond tol
        (0.03, (0.01, 0.05), 0.02, "preserved"),  # better, but not shown better than +tol
        # exactly at the margin: neither preserved nor lost
        (-0.02, (-0.02, 0.0), 0.02, "inconclusive"),
        (-0.03, (-0.04, -0.02), 0.02, "inconclusive"),
    ],
)
def test_verdict_follows_the_non_inferiority_table(delta, interval, tol, expected):
    assert verdict(delta, interval, tol) == expected


def test_without_uncertainty_preserved_is_never_given():
    assert verdict(0.0, None, 0.02) == "inconclusive"
    assert verdict(0.10, None, 0.02) == "inconclusive"


def test_without_uncertainty_a_point_loss_beyond_tolerance_is_lost():
    assert verdict(-0.05, None, 0.02) == "lost"


def test_float_noise_at_the_margin_is_not_a_loss():
    """0.78 - 0.80 is -0.020000000000000018 in binary; it is at the margin, not beyond it."""
    assert verdict(0.78 - 0.80, None, 0.02) == "inconclusive"


def test_no_tolerance_gives_inconclusive():
    assert verdict(0.5, (0.4, 0.6), None) == "inconclusive"


def test_claims_are_ordered_lost_inconclusive_preserved_improved():
    assert compare_claim("preserved", "inconclusive") > 0
    assert compare_claim("inconclusive", "lost") > 0
    assert compare_claim("lost", "preserved") < 0
    assert compare_claim("improved", "improved") == 0


# -- derived intervals --------------------------------------------------------------------------


def test_wilson_matches_newcombe_1998_and_scipy():
    """81/263: Wilson 0.2553 to 0.3662 (Newcombe 1998, single proportion, method 3)."""
    from scipy.stats import binomtest

    lo, hi = wilson(81 / 263, 263)
    assert (round(lo, 4), round(hi, 4)) == (0.2553, 0.3662)
    ref = binomtest(81, 263).proportion_ci(method="wilson")
    assert (lo, hi) == (pytest.approx(ref.low, abs=1e-12), pytest.approx(ref.high, abs=1e-12))


def test_wilson_has_width_at_zero_and_one():
    lo, hi = wilson(0.0, 100)
    assert lo == pytest.approx(0.0, abs=1e-12) and 0.03 < hi < 0.04
    lo, hi = wilson(1.0, 100)
    assert hi == pytest.approx(1.0, abs=1e-12) and 0.96 < lo < 0.97


def test_newcombe_hybrid_matches_the_published_example():
    """56/70 - 48/80: method 10 gives 0.0524 to 0.3339 (Newcombe 1998)."""
    lo, hi = binomial_interval(teacher=48 / 80, student=56 / 70, n_teacher=80, n_student=70)
    assert (round(lo, 4), round(hi, 4)) == (0.0524, 0.3339)


def test_binomial_interval_refuses_values_outside_zero_one():
    assert binomial_interval(0.5, 1.5, 100) is None


def test_stderr_interval_is_the_unpaired_normal_interval():
    lo, hi = stderr_interval(0.70, 0.69, 0.003, 0.004)
    half = 1.959963984540054 * 0.005
    assert (lo, hi) == (pytest.approx(-0.01 - half), pytest.approx(-0.01 + half))


def test_tolerances_are_described_for_people():
    assert describe_tolerance(0.02, False) == "0.02"
    assert describe_tolerance(0.05, True) == "5% relative"


def test_a_verdict_row_serialises_to_json_types():
    row = VerdictRow(
        "safety",
        "asr",
        "attack_success_rate",
        "lower_is_better",
        0.1,
        0.12,
        0.02,
        -0.02,
        (0.01, 0.03),
        "stated",
        0.02,
        "0.02",
        "inconclusive",
        "inconclusive",
        False,
        False,
        "required",
        ("categories", "safety", "findings", 0),
    )
    out = row.as_dict()
    assert out["interval"] == [0.01, 0.03]
    assert out["pointer"] == "/categories/safety/findings/0"
    assert out["path"] == ["categories", "safety", "findings", 0]
    assert not math.isnan(out["normalised"])
