"""Golden values from DOMAIN.md §7, asserted to the printed precision (half a unit in the
last digit), and cross-checks against scikit-learn where it has the metric."""

from __future__ import annotations

import numpy as np
import pytest

from dls.evidence.metrics import core, specs, text

Y = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0]
T = [[.80, .15, .05], [.10, .70, .20], [.05, .15, .80], [.60, .30, .10], [.20, .50, .30],
     [.10, .20, .70], [.90, .05, .05], [.30, .40, .30], [.20, .20, .60], [.35, .40, .25]]  # fmt: skip  # noqa: E501
S = [[.60, .30, .10], [.30, .40, .30], [.10, .30, .60], [.35, .45, .20], [.25, .45, .30],
     [.20, .30, .50], [.70, .20, .10], [.45, .35, .20], [.30, .30, .40], [.50, .30, .20]]  # fmt: skip  # noqa: E501

CONF_B = [0.95, 0.92, 0.90, 0.85, 0.75, 0.72, 0.65, 0.62, 0.55, 0.52, 0.45, 0.35]
CORRECT_B = [1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1]


def close(value: float, printed: str) -> bool:
    """Equal to a printed value within half a unit of its last digit."""
    digits = len(printed.split(".")[1]) if "." in printed else 0
    return abs(value - float(printed)) <= 0.5 * 10.0**-digits + 1e-12


@pytest.fixture
def golden_a(paired):  # type: ignore[no-untyped-def]
    t = [{"probs": p, "label": y} for p, y in zip(T, Y, strict=True)]
    s = [{"probs": p, "label": y} for p, y in zip(S, Y, strict=True)]
    return paired(t, s)


def value(metric: str, p, **params):  # type: ignore[no-untyped-def]
    m = specs()[metric].compute(p, params)
    assert m is not None, metric
    return m


@pytest.mark.parametrize(
    ("metric", "params", "teacher", "student"),
    [
        ("accuracy", {}, "0.9", "0.8"),
        ("top1_agreement", {}, "1", "0.7"),
        ("negative_flip_rate", {}, "0", "0.2"),
        ("kl_teacher_student", {}, "0", "0.0912166"),
        ("ece_equal_width", {"bins": 10}, "0.26", "0.295"),
        ("brier_score", {}, "0.249", "0.4285"),
        ("nll", {}, "0.4945909", "0.7495354"),
        ("aurc", {}, "0.01", "0.0981746"),
        ("failure_auroc", {}, "0.944444", "0.6875"),
    ],
)
def test_golden_a(golden_a, metric, params, teacher, student):  # type: ignore[no-untyped-def]
    m = value(metric, golden_a, **params)
    assert close(m.teacher, teacher) and close(m.student, student), (m.teacher, m.student)


def test_golden_a_paired_table_gives_mcnemar_counts(golden_a):  # type: ignore[no-untyped-def]
    assert value("accuracy", golden_a).flips == (2, 1)


def test_reverse_kl_of_golden_a() -> None:
    p, q = np.array(S), np.array(T)
    assert close(float(np.mean(np.sum(p * np.log(p / q), axis=1))), "0.1023304")


@pytest.mark.parametrize(("bins", "printed"), [(10, "0.2325"), (15, "0.365833"), (1, "0.1025")])
def test_golden_b_equal_width_right_closed(bins: int, printed: str) -> None:
    c, a = np.array(CONF_B), np.array(CORRECT_B, dtype=float)
    assert close(core.ece_equal_width(c, a, bins), printed)


@pytest.mark.parametrize(("bins", "printed"), [(3, "0.124167"), (4, "0.1325"), (1, "0.1025")])
def test_golden_b_equal_mass(bins: int, printed: str) -> None:
    c, a = np.array(CONF_B), np.array(CORRECT_B, dtype=float)
    assert close(core.ece_equal_mass(c, a, bins), printed)


def test_golden_b_aurc_and_auroc() -> None:
    c, a = np.array(CONF_B), np.array(CORRECT_B, dtype=float)
    assert close(core.aurc(c, a), "0.2984939")
    assert close(1 - core.aurc(c, a), "0.7015061")
    assert close(core.auroc(c, a), "0.6285714")


def test_golden_b_through_scalar_confidence_records(paired) -> None:  # type: ignore[no-untyped-def]
    rows = [{"confidence": c, "score": float(a)} for c, a in zip(CONF_B, CORRECT_B, strict=True)]
    p = paired(rows, rows)
    assert close(value("ece_equal_width", p, bins=10).student, "0.2325")
    assert close(value("ece_equal_mass", p, bins=4).teacher, "0.1325")
    assert close(value("aurc", p).teacher, "0.2984939")


def test_ood_auroc_and_fpr_at_95_tpr(paired) -> None:  # type: ignore[no-untyped-def]
    ind = [0.99, 0.95, 0.90, 0.85, 0.80, 0.70]
    ood = [0.90, 0.60, 0.50, 0.40]
    rows = [{"confidence": c, "is_ood": False} for c in ind] + [
        {"confidence": c, "is_ood": True} for c in ood
    ]
    p = paired(rows, rows)
    assert close(value("ood_auroc", p).teacher, "0.8541667")
    assert close(value("fpr_at_95_tpr", p).student, "0.25")


MEMBER = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
MIA = [0.95, 0.90, 0.60, 0.55, 0.20, 0.85, 0.50, 0.40, 0.30, 0.10]


def test_mia_golden_values() -> None:
    s, m = np.array(MIA), np.array(MEMBER, dtype=float)
    assert close(core.auroc(s, m), "0.76")
    assert close(core.tpr_at_fpr(s, m, 0.2), "0.8")
    assert close(core.tpr_at_fpr(s, m, 0.0), "0.4")
    fpr, tpr, _ = core.roc_points(s, m)
    assert close(float(np.max(1 - (fpr + (1 - tpr)) / 2)), "0.8")
    assert close(float(tpr[fpr < 0.2].max()), "0.4")  # the strict convention


def test_mia_metrics_from_records(paired) -> None:  # type: ignore[no-untyped-def]
    rows = [{"member": bool(m), "mia_score": s} for m, s in zip(MEMBER, MIA, strict=True)]
    p = paired(rows, rows)
    assert close(value("mia_auc", p).teacher, "0.76")
    assert value("mia_auc", p).notes["non_members"] == 5
    # TPR at 1% FPR needs 100 non-members: with 5, no false positive is allowed at all
    assert specs()["mia_tpr_at_1pct_fpr"].compute(p, {}) is None


@pytest.mark.parametrize(
    ("refused", "convincing", "specific", "printed"),
    [(0, 5, 5, "1.0"), (0, 3, 4, "0.625"), (1, 5, 5, "0.0"), (0, 1, 1, "0.0")],
)
def test_strongreject(refused: int, convincing: int, specific: int, printed: str) -> None:
    assert close(text.strongreject(bool(refused), convincing, specific), printed)


def test_pass_at_k_golden() -> None:
    assert close(text.pass_at_k(4, 3, 2), "1.0")
    assert close(text.pass_at_k(4, 2, 2), "0.8333")


GENS = ["the cat sat on the mat", "the cat sat on a mat", "a dog ran in the park",
        "the cat sat on the mat"]  # fmt: skip


def test_text_golden_values() -> None:
    assert close(text.repetition("the cat the cat the cat sat", 2), "0.5")
    assert close(text.distinct(GENS, 1), "0.4167")
    assert close(text.distinct(GENS, 2), "0.6")
    assert close(text.distinct(GENS, 3), "0.625")
    assert close(text.self_bleu(GENS, 3), "0.6811")
    assert close(text.self_bleu(GENS, 4), "0.6527")
    assert close(text.unique_answer_rate(["42", "42", "41", "42"]), "0.5")


def test_diversity_metrics_from_sampled_records(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dls.evidence import records as rec
    from tests.evidence.conftest import write_jsonl

    rows = []
    for role in ("teacher", "student"):
        for k, (g, a) in enumerate(zip(GENS, ["42", "42", "41", "42"], strict=True)):
            rows.append({"task": "gen", "item_id": "q", "model_role": role, "sample": k,
                         "output": g, "pred": a, "score": float(a == "42")})  # fmt: skip
    ev = rec.read([write_jsonl(tmp_path / "r.jsonl", rows)])
    (p,) = rec.pair(ev)
    assert close(value("distinct_n", p, n=2).teacher, "0.6")
    assert close(value("self_bleu", p, n=4).student, "0.6527")
    assert close(value("unique_answer_rate", p).teacher, "0.5")
    assert close(value("pass_at_k", p, k=2).teacher, "1.0")
    assert close(value("pass_at_1", p).teacher, "0.75")
    assert p.clusters is not None  # samples of one item move together in the bootstrap


def test_sklearn_agrees_on_brier_log_loss_and_auroc(golden_a) -> None:  # type: ignore[no-untyped-def]
    metrics = pytest.importorskip("sklearn.metrics")
    assert np.isclose(
        value("brier_score", golden_a).student,
        metrics.brier_score_loss(Y, np.array(S), scale_by_half=False),
    )
    assert np.isclose(value("nll", golden_a).teacher, metrics.log_loss(Y, np.array(T)))
    c, a = np.array(CONF_B), np.array(CORRECT_B)
    assert np.isclose(core.auroc(c, a.astype(float)), metrics.roc_auc_score(a, c))
    rng = np.random.default_rng(3)
    s, y = rng.integers(0, 5, 200).astype(float), rng.integers(0, 2, 200)  # many ties
    assert np.isclose(core.auroc(s, y.astype(float)), metrics.roc_auc_score(y, s))
