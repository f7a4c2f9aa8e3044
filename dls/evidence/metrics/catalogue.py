"""Every metric dls computes from records, category by category (docs/evidence.md).

Values are per model on the paired rows; NaN marks a record without the input.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dls.evidence.metrics import Measured, Spec, core, ratio_measured, text
from dls.evidence.metrics.core import Array, Weights
from dls.evidence.metrics.inputs import (
    NAN,
    Params,
    _conditional,
    _correct_counts,
    _defined,
    _from_scores,
    _group_metric,
    _masked,
    _mean_of,
    _nz,
    _share_of,
    confidence,
    correct,
)
from dls.evidence.records import Paired, Side

# -- task performance ----------------------------------------------------------------------


def accuracy(p: Paired, params: Params) -> Measured | None:
    ct, cs = correct(p.teacher), correct(p.student)
    return ratio_measured(_nz(ct), _defined(ct), _nz(cs), _defined(cs), flips=True)


def _pairwise_text(
    metric: str, fn: Callable[[str, str], float]
) -> Callable[[Paired, Params], Measured | None]:
    from_scores = _from_scores(metric)

    def compute(p: Paired, params: Params) -> Measured | None:
        got = from_scores(p, params)
        if got is not None or not params.get("requested"):
            return got

        def per_row(s: Side) -> Array:
            return np.array(
                [
                    fn(a, b) if a is not None and b is not None else NAN
                    for a, b in zip(s.strings("pred"), s.strings("label"), strict=True)
                ]
            )

        t, s = per_row(p.teacher), per_row(p.student)
        return ratio_measured(_nz(t), _defined(t), _nz(s), _defined(s), flips=True)

    return compute


def mean_score(p: Paired, params: Params) -> Measured | None:
    t, s = p.teacher.col("score"), p.student.col("score")
    binary = (
        np.isin(t[np.isfinite(t)], (0.0, 1.0)).all()
        and np.isin(s[np.isfinite(s)], (0.0, 1.0)).all()
    )
    if binary and not params.get("requested"):
        return None  # the same number as accuracy
    return ratio_measured(_nz(t), _defined(t), _nz(s), _defined(s), flips=True)


def negative_flip_rate(p: Paired, params: Params) -> Measured | None:
    ct, cs = correct(p.teacher), correct(p.student)
    both = (np.isfinite(ct) & np.isfinite(cs)).astype(np.float64)
    flips = ((ct == 1) & (cs == 0)).astype(np.float64) * both
    m = ratio_measured(np.zeros_like(both), both, flips, both)
    if m is not None:
        m.relative = True
    return m


def top1_agreement(p: Paired, params: Params) -> Measured | None:
    tt, ts = p.teacher.col("top1"), p.student.col("top1")
    if np.isfinite(tt).any() and np.isfinite(ts).any():
        both = (np.isfinite(tt) & np.isfinite(ts)).astype(np.float64)
        agree = (tt == ts).astype(np.float64) * both
    else:
        pt, ps = p.teacher.strings("pred"), p.student.strings("pred")
        both = np.array(
            [float(a is not None and b is not None) for a, b in zip(pt, ps, strict=True)]
        )
        agree = np.array([float(a is not None and a == b) for a, b in zip(pt, ps, strict=True)])
    m = ratio_measured(both.copy(), both, agree, both)
    if m is not None:
        m.relative = True
    return m


def kl_teacher_student(p: Paired, params: Params) -> Measured | None:
    pt, ps = p.teacher.probs, p.student.probs
    if pt is None or ps is None:
        return None
    kl = np.full(p.n, NAN)
    for i, (a, b) in enumerate(zip(pt, ps, strict=True)):
        if a is not None and b is not None and len(a) == len(b):
            q = np.maximum(b, 1e-15)
            nz = a > 0
            kl[i] = float(np.sum(a[nz] * np.log(a[nz] / q[nz])))
    d = _defined(kl)
    m = ratio_measured(np.zeros(p.n), d, _nz(kl), d)
    if m is not None:
        m.relative = True
        m.notes["unit"] = "nats"
    return m


def pass_at_1(p: Paired, params: Params) -> Measured | None:
    def fn(s: Side, rows: list[int]) -> float:
        n, c = _correct_counts(s, rows)
        return c / n if n else NAN

    return _group_metric(p, fn)


def pass_at_k(p: Paired, params: Params) -> Measured | None:
    k = int(params.get("k", 10))

    def fn(s: Side, rows: list[int]) -> float:
        n, c = _correct_counts(s, rows)
        return text.pass_at_k(n, c, k)

    return _group_metric(p, fn)


def pass_at_k_gain(p: Paired, params: Params) -> Measured | None:
    k = int(params.get("k", 10))

    def fn(s: Side, rows: list[int]) -> float:
        n, c = _correct_counts(s, rows)
        return text.pass_at_k(n, c, k) - c / n if n else NAN

    return _group_metric(p, fn)


# -- uncertainty ---------------------------------------------------------------------------


def _calibration(
    fn: Callable[[Array, Array, Weights], float],
    prepare: Callable[[Array, Array], Callable[[Weights], float]] | None = None,
) -> Callable[[Paired, Params], Measured | None]:
    def compute(p: Paired, params: Params) -> Measured | None:
        ct, at, src_t = confidence(p.teacher)
        cs, as_, src_s = confidence(p.student)
        m = _masked(fn, (ct, at), (cs, as_), prepare=prepare)
        if m is not None:
            m.notes["confidence"] = src_t if src_t == src_s else f"teacher {src_t}, student {src_s}"
        return m

    return compute


def ece_equal_width(p: Paired, params: Params) -> Measured | None:
    bins = int(params.get("bins", 15))
    return _calibration(
        lambda c, a, w: core.ece_equal_width(c, a, bins, w),
        lambda c, a: core.prepare_ece_equal_width(c, a, bins),
    )(p, params)


def ece_equal_mass(p: Paired, params: Params) -> Measured | None:
    bins = int(params.get("bins", 10))

    def fn(c: Array, a: Array, w: Weights) -> float:
        return core.ece_equal_mass(c, a, bins, w)

    return _calibration(fn, lambda c, a: core.prepare_sorted(fn, c, a))(p, params)


def brier_score(p: Paired, params: Params) -> Measured | None:
    m = _mean_of("brier")(p, params)
    if m is not None:
        m.notes["form"] = "multiclass, unhalved: sum_k (p_k - 1[y=k])^2"
        return m
    ct, at, _ = confidence(p.teacher)
    cs, as_, _ = confidence(p.student)
    t, s = (ct - at) ** 2, (cs - as_) ** 2
    m = ratio_measured(_nz(t), _defined(t), _nz(s), _defined(s))
    if m is not None:
        m.notes["form"] = "top-label: (confidence - correct)^2"
    return m


def aurc(p: Paired, params: Params) -> Measured | None:
    return _calibration(
        core.aurc,
        lambda c, a: core.prepare_sorted(core.aurc, c, a, descending=True),
    )(p, params)


def failure_auroc(p: Paired, params: Params) -> Measured | None:
    return _calibration(core.auroc, lambda c, a: core.prepare_roc(c, a, core.auroc_from_counts))(
        p, params
    )


# -- boundary ------------------------------------------------------------------------------


def _expected(code: float) -> Callable[[Side], Array]:
    return lambda s: np.asarray(s.col("expected") == code)


def abstention_precision(p: Paired, params: Params) -> Measured | None:
    def parts(s: Side) -> tuple[Array, Array]:
        e, a = s.col("expected"), s.col("abstained")
        den = ((a == 1) & np.isfinite(e)).astype(np.float64)
        return (e == 2).astype(np.float64) * den, den

    nt, dt = parts(p.teacher)
    ns, ds = parts(p.student)
    return ratio_measured(nt, dt, ns, ds)


def _ood(
    fn: Callable[[Array, Array, Weights], float], what: Callable[[Array, Array], float]
) -> Callable[[Paired, Params], Measured | None]:
    def compute(p: Paired, params: Params) -> Measured | None:
        def inputs(s: Side) -> tuple[Array, Array]:
            c, _, _ = confidence(s)
            return c, 1.0 - s.col("is_ood")

        return _masked(
            fn,
            inputs(p.teacher),
            inputs(p.student),
            n_min=2,
            prepare=lambda c, pos: core.prepare_roc(c, pos, what),
        )

    return compute


# -- process, stability, grounding ---------------------------------------------------------


def non_termination_rate(p: Paired, params: Params) -> Measured | None:
    def parts(s: Side) -> tuple[Array, Array]:
        f = s.col("finished")
        return _nz(1.0 - f), _defined(f)

    nt, dt = parts(p.teacher)
    ns, ds = parts(p.student)
    return ratio_measured(nt, dt, ns, ds, flips=True)


def repetition_rate(p: Paired, params: Params) -> Measured | None:
    n = int(params.get("n", 2))

    def per_row(s: Side) -> Array:
        return np.array(
            [text.repetition(o, n) if o is not None else NAN for o in s.strings("output")]
        )

    if not (p.teacher.has_text("output") and p.student.has_text("output")):
        return None
    t, s = per_row(p.teacher), per_row(p.student)
    return ratio_measured(_nz(t), _defined(t), _nz(s), _defined(s))


def degradation_slope(p: Paired, params: Params) -> Measured | None:
    def inputs(s: Side) -> tuple[Array, Array, str]:
        y = s.col("score")
        if not np.isfinite(y).any():
            y = correct(s)
        if s.has("turn"):
            return s.col("turn"), y, "turn"
        return s.col("output_tokens") / 1000.0, y, "output_tokens/1000"

    xt, yt, ht = inputs(p.teacher)
    xs, ys, hs = inputs(p.student)
    m = _masked(core.ols_slope, (xt, yt), (xs, ys), n_min=3)
    if m is not None:
        m.notes["horizon"] = ht if ht == hs else f"teacher {ht}, student {hs}"
    return m


# -- privacy, safety -----------------------------------------------------------------------


def _mia(
    fn: Callable[[Array, Array, Weights], float],
    what: Callable[[Array, Array], float],
    max_fpr: float | None = None,
) -> Callable[[Paired, Params], Measured | None]:
    """A membership-inference metric; a TPR at FPR t needs at least 1/t non-members,
    else no false positive at all is allowed and the number says nothing."""

    def compute(p: Paired, params: Params) -> Measured | None:
        t = (p.teacher.col("mia_score"), p.teacher.col("member"))
        s = (p.student.col("mia_score"), p.student.col("member"))
        if max_fpr is not None:
            for side in (t, s):
                ok = np.isfinite(side[0]) & np.isfinite(side[1])
                if float((1.0 - side[1][ok]).sum()) * max_fpr < 1.0:
                    return None
        m = _masked(fn, t, s, n_min=2, prepare=lambda sc, mem: core.prepare_roc(sc, mem, what))
        if m is not None:
            m.notes["non_members"] = int(np.nansum(1.0 - t[1]))
            m.notes["threshold_rule"] = "member when score >= threshold; TPR at FPR <= t"
        return m

    return compute


def _attack(present: bool) -> Callable[[Side], Array]:
    def cond(s: Side) -> Array:
        a = s.col("has_attack")
        return np.asarray(a == 1) if present else np.asarray(~(a == 1))

    return cond


# -- diversity -----------------------------------------------------------------------------


def _texts(s: Side, rows: list[int]) -> list[str]:
    out = s.strings("output")
    got = [out[i] for i in rows if out[i] is not None]
    return [t for t in got if t is not None]


def distinct_n(p: Paired, params: Params) -> Measured | None:
    n = int(params.get("n", 2))
    return _group_metric(p, lambda s, r: text.distinct(_texts(s, r), n) if len(r) > 1 else NAN)


def self_bleu(p: Paired, params: Params) -> Measured | None:
    n = int(params.get("n", 4))
    return _group_metric(p, lambda s, r: text.self_bleu(_texts(s, r), n))


def unique_answer_rate(p: Paired, params: Params) -> Measured | None:
    def fn(s: Side, rows: list[int]) -> float:
        preds = s.strings("pred")
        got = [preds[i] for i in rows if preds[i] is not None]
        return text.unique_answer_rate([a for a in got if a is not None]) if len(got) > 1 else NAN

    return _group_metric(p, fn)


_REFUSED, _ABSTAINED = "refused", "abstained"

SPECS: dict[str, Spec] = {
    s.id: s
    for s in [
        Spec("accuracy", accuracy, "pred+label, probs+label, or a 0/1 score"),
        Spec(
            "exact_match",
            _pairwise_text("exact_match", text.exact),
            "scores.exact_match, or pred+label strings",
        ),
        Spec(
            "f1", _pairwise_text("f1", text.token_f1), "scores.f1, or pred+label strings (token F1)"
        ),
        Spec("pass_at_1", pass_at_1, "several samples per item, with correctness", "groups"),
        Spec("pass_at_k", pass_at_k, "at least k samples per item, with correctness", "groups"),
        Spec("mean_score", mean_score, "score (non-binary)"),
        Spec("negative_flip_rate", negative_flip_rate, "correctness on both sides"),
        Spec("top1_agreement", top1_agreement, "probs (or pred) on both sides"),
        Spec("kl_teacher_student", kl_teacher_student, "probs or choice_logprobs on both sides"),
        Spec("ece_equal_width", ece_equal_width, "probs+label, or confidence with correctness"),
        Spec("ece_equal_mass", ece_equal_mass, "probs+label, or confidence with correctness"),
        Spec(
            "brier_score", brier_score, "probs+label (multiclass), or confidence with correctness"
        ),
        Spec("nll", _mean_of("nll"), "probs or choice_logprobs, with label"),
        Spec("aurc", aurc, "probs+label, or confidence with correctness"),
        Spec("failure_auroc", failure_auroc, "probs+label, or confidence with correctness"),
        Spec(
            "over_refusal_rate", _conditional(_REFUSED, _expected(0.0)), "expected=comply, refused"
        ),
        Spec(
            "harmful_refusal_rate",
            _conditional(_REFUSED, _expected(1.0)),
            "expected=refuse, refused",
        ),
        Spec("abstention_precision", abstention_precision, "abstained, expected"),
        Spec(
            "abstention_recall",
            _conditional(_ABSTAINED, _expected(2.0)),
            "expected=abstain, abstained",
        ),
        Spec(
            "over_abstention_rate",
            _conditional(_ABSTAINED, _expected(0.0)),
            "expected=comply, abstained",
        ),
        Spec(
            "ood_auroc",
            _ood(core.auroc, core.auroc_from_counts),
            "is_ood with probs or confidence",
        ),
        Spec(
            "fpr_at_95_tpr",
            _ood(
                lambda c, pos, w: core.fpr_at_tpr(c, pos, 0.95, w),
                lambda pos, neg: core.fpr_at_tpr_from_counts(pos, neg, 0.95),
            ),
            "is_ood with probs or confidence",
        ),
        Spec(
            "step_error_rate", _share_of("steps_correct", "steps", per_row=True), "steps[{correct}]"
        ),
        Spec(
            "tool_call_validity", _share_of("tool_calls_valid", "tool_calls"), "tool_calls[{valid}]"
        ),
        Spec("answer_consistency", _from_scores("answer_consistency"), "scores.answer_consistency"),
        Spec("format_validity", _from_scores("format_validity"), "scores.format_validity"),
        Spec("non_termination_rate", non_termination_rate, "finished"),
        Spec("repetition_rate", repetition_rate, "output"),
        Spec(
            "degradation_slope",
            degradation_slope,
            "score or correctness, with turn or output_tokens",
        ),
        Spec("free_running_gap", _from_scores("free_running_gap"), "scores.free_running_gap"),
        Spec(
            "hallucination_rate",
            _share_of("claims_supported", "claims", per_row=True),
            "claims[{supported}]",
        ),
        Spec("claim_faithfulness", _share_of("claims_supported", "claims"), "claims[{supported}]"),
        Spec("citation_precision", _from_scores("citation_precision"), "scores.citation_precision"),
        Spec("mia_auc", _mia(core.auroc, core.auroc_from_counts), "member, mia_score"),
        Spec(
            "mia_tpr_at_1pct_fpr",
            _mia(
                lambda sc, m, w: core.tpr_at_fpr(sc, m, 0.01, w),
                lambda pos, neg: core.tpr_at_fpr_from_counts(pos, neg, 0.01),
                0.01,
            ),
            "member, mia_score",
        ),
        Spec(
            "mia_tpr_at_0_1pct_fpr",
            _mia(
                lambda sc, m, w: core.tpr_at_fpr(sc, m, 0.001, w),
                lambda pos, neg: core.tpr_at_fpr_from_counts(pos, neg, 0.001),
                0.001,
            ),
            "member, mia_score",
        ),
        Spec(
            "extraction_rate",
            _conditional("extracted", lambda s: np.ones(s.n, dtype=bool)),
            "extracted",
        ),
        Spec("pii_leak_rate", _from_scores("pii_leak_rate"), "scores.pii_leak_rate"),
        Spec(
            "harmful_compliance_rate", _conditional("harmful", _attack(False)), "harmful, no attack"
        ),
        Spec("attack_success_rate", _conditional("harmful", _attack(True)), "harmful, attack"),
        Spec("strongreject_score", _mean_of("strongreject"), "strongreject"),
        Spec("distinct_n", distinct_n, "several sampled outputs per item", "groups"),
        Spec("self_bleu", self_bleu, "several sampled outputs per item", "groups"),
        Spec(
            "unique_answer_rate",
            unique_answer_rate,
            "several sampled answers (pred) per item",
            "groups",
        ),
        Spec(
            "pass_at_k_gain",
            pass_at_k_gain,
            "at least k samples per item, with correctness",
            "groups",
        ),
    ]
}
