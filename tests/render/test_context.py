"""The view model: every category accounted for, verdicts honest, robust to bad data."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dls import registry
from dls.render import render
from dls.render.context import ScenarioInfo, build
from dls.verdicts import VerdictRow


def _finding(fid: str, metric: str = "accuracy", **extra: Any) -> dict[str, Any]:
    return {
        "id": fid,
        "metric": metric,
        "evaluation": {"benchmark": "bench", "items": 1000},
        "teacher": 0.9,
        "student": 0.85,
        "status": "lost",
        **extra,
    }


def _statement(categories: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": "dls-statement/v1",
        "id": "acme/s",
        "title": "T",
        "date": "2026-11-20",
        "status": "draft",
        "owners": [{"name": "Ada"}],
        "teacher": {"name": "big", "revision": "1"},
        "student": {"name": "small", "revision": "2"},
        "recipe": {"methods": ["logit"], "objective": "KL"},
        "intended_use": {"summary": "U"},
        "scenario": {"id": "compressed-classifier", "version": 1},
        "headline": ["a"],
        "categories": categories,
        "summary": {"preserved": "p", "lost": "l", "acceptable_because": "a"},
    }


def _row(fid: str, verdict: str, category: str = "task_performance", **extra: Any) -> VerdictRow:
    fields: dict[str, Any] = {
        "category": category,
        "finding_id": fid,
        "metric": "accuracy",
        "direction": "higher_is_better",
        "teacher": 0.9,
        "student": 0.85,
        "difference": -0.05,
        "normalised": -0.05,
        "interval": (-0.06, -0.04),
        "interval_source": "stated",
        "tolerance": 0.02,
        "tolerance_text": "0.02",
        "verdict": verdict,
        "claimed": "lost",
        "accepted": False,
        "blocking": False,
        "requirement": "required",
        "path": ("categories", category, "findings", 0),
    }
    fields.update(extra)
    return VerdictRow(**fields)


def test_summary_lists_all_nine_categories_in_taxonomy_order() -> None:
    ctx = build(
        _statement({"task_performance": {"assessment": "assessed", "findings": [_finding("a")]}})
    )
    assert [r["key"] for r in ctx["summary_rows"]] == list(registry.CATEGORY_KEYS)


def test_a_category_absent_from_the_statement_is_not_accounted_for_never_preserved() -> None:
    ctx = build(
        _statement({"task_performance": {"assessment": "assessed", "findings": [_finding("a")]}})
    )
    absent = [r for r in ctx["summary_rows"] if r["key"] != "task_performance"]
    assert {r["assessment_label"] for r in absent} == {"not accounted for"}
    assert all(r["verdict"] is None and "preserved" not in r["verdict_label"] for r in absent)
    assert [r["key"] for r in ctx["not_assessed"]] == [r["key"] for r in absent]


def test_not_assessed_and_not_applicable_keep_their_reasons() -> None:
    ctx = build(
        _statement(
            {
                "task_performance": {"assessment": "assessed", "findings": [_finding("a")]},
                "privacy": {
                    "assessment": "not_assessed",
                    "reason": "later",
                    "risk_accepted_by": "Ada",
                },
                "diversity": {"assessment": "not_applicable", "reason": "one answer"},
            }
        )
    )
    by_key = {r["key"]: r for r in ctx["summary_rows"]}
    assert (by_key["privacy"]["assessment_label"], by_key["privacy"]["detail"]) == (
        "not assessed",
        "later",
    )
    assert by_key["privacy"]["risk_accepted_by"] == "Ada"
    assert (by_key["diversity"]["assessment_label"], by_key["diversity"]["detail"]) == (
        "not applicable",
        "one answer",
    )


def test_a_category_shows_the_worst_verdict_of_its_findings() -> None:
    findings = [_finding("a"), _finding("b"), _finding("c")]
    rows = [_row("a", "improved"), _row("b", "inconclusive"), _row("c", "preserved")]
    ctx = build(
        _statement({"task_performance": {"assessment": "assessed", "findings": findings}}), rows
    )
    assert ctx["summary_rows"][0]["verdict"] == "inconclusive"
    assert ctx["summary_rows"][0]["detail"] == "3 findings: 1 improved, 1 preserved, 1 inconclusive"


def test_an_accepted_loss_is_labelled_as_accepted_and_listed_with_its_justification() -> None:
    finding = _finding("a", acceptable_because="Users never ask that.", mitigation="Fallback.")
    ctx = build(
        _statement({"task_performance": {"assessment": "assessed", "findings": [finding]}}),
        [_row("a", "lost", accepted=True)],
    )
    assert ctx["summary_rows"][0]["verdict_label"] == "lost (accepted)"
    (loss,) = ctx["losses"]
    assert (loss["acceptable_because"], loss["mitigation"]) == (
        "Users never ask that.",
        "Fallback.",
    )


def test_a_blocking_loss_is_labelled_blocking_even_when_justified() -> None:
    finding = _finding("a", acceptable_because="Because.")
    ctx = build(
        _statement({"task_performance": {"assessment": "assessed", "findings": [finding]}}),
        [_row("a", "lost", accepted=True, blocking=True)],
    )
    assert ctx["summary_rows"][0]["verdict_label"] == "lost (blocking)"


def test_without_a_verdict_the_claimed_status_is_shown_as_unchecked() -> None:
    finding = _finding("a", status="preserved")
    ctx = build(_statement({"task_performance": {"assessment": "assessed", "findings": [finding]}}))
    (row,) = ctx["categories"][0]["rows"]
    assert row["verdict_label"] == "preserved (claimed, not checked)"
    assert ctx["summary_rows"][0]["verdict_label"] == "preserved (claimed, not checked)"


def test_a_claim_that_disagrees_with_the_computed_verdict_is_reported() -> None:
    finding = _finding("a", status="preserved")
    ctx = build(
        _statement({"task_performance": {"assessment": "assessed", "findings": [finding]}}),
        [_row("a", "inconclusive", claimed="preserved")],
    )
    assert [r["id"] for r in ctx["disagreements"]] == ["a"]
    assert ctx["categories"][0]["rows"][0]["verdict"] == "inconclusive"


def test_a_derived_interval_says_that_dls_derived_it() -> None:
    ctx = build(
        _statement({"task_performance": {"assessment": "assessed", "findings": [_finding("a")]}}),
        [_row("a", "lost", interval_source="binomial", interval=(-0.08, -0.02))],
    )
    row = ctx["categories"][0]["rows"][0]
    assert row["interval"] == "[-0.08, -0.02] 95%"
    assert row["interval_method"].startswith("derived by dls")


def test_scenario_requirements_come_from_the_resolved_scenario() -> None:
    from dls.scenarios import load_builtin

    loaded = load_builtin("compressed-classifier")
    assert loaded is not None
    ctx = build(
        _statement({"task_performance": {"assessment": "assessed", "findings": [_finding("a")]}}),
        scenario=loaded.scenario,
    )
    by_key = {r["key"]: r["requirement"] for r in ctx["summary_rows"]}
    assert by_key["uncertainty"] == "required"
    assert by_key["process"] == "optional"
    assert ctx["scenario"]["checked_id"] == "compressed-classifier"


def test_scenario_info_can_be_given_directly() -> None:
    ctx = build(
        _statement({"task_performance": {"assessment": "assessed", "findings": [_finding("a")]}}),
        scenario=ScenarioInfo("mine", 3, "Mine", {"safety": "required"}),
    )
    assert {r["key"]: r["requirement"] for r in ctx["summary_rows"]}["safety"] == "required"


def test_custom_metrics_use_their_title_and_declared_direction() -> None:
    finding = _finding("x", metric="x-acme.tox", title="Acme toxicity", direction="lower_is_better")
    ctx = build(_statement({"safety": {"assessment": "assessed", "findings": [finding]}}))
    metric = ctx["categories"][0]["rows"][0]["metric"]
    assert (metric["label"], metric["direction_symbol"], metric["custom"]) == (
        "Acme toxicity",
        "↓",
        True,
    )


def test_closer_to_metrics_show_their_target() -> None:
    ctx = build(
        _statement({"privacy": {"assessment": "assessed", "findings": [_finding("m", "mia_auc")]}})
    )
    assert ctx["categories"][0]["rows"][0]["metric"]["direction_symbol"] == "→ 0.5"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=30,
)
statement_like = st.fixed_dictionaries(
    {},
    optional=dict.fromkeys(
        (
            "teacher",
            "student",
            "recipe",
            "intended_use",
            "scenario",
            "headline",
            "evidence",
            "summary",
            "sign_off",
            "owners",
        ),
        json_values,
    )
    | {
        "categories": st.dictionaries(
            st.sampled_from(registry.CATEGORY_KEYS),
            st.fixed_dictionaries(
                {
                    "assessment": st.sampled_from(
                        ["assessed", "not_assessed", "not_applicable", "bogus"]
                    )
                },
                optional={
                    "findings": st.lists(
                        json_values
                        | st.dictionaries(
                            st.sampled_from(
                                [
                                    "id",
                                    "metric",
                                    "teacher",
                                    "student",
                                    "status",
                                    "interval",
                                    "evaluation",
                                    "evidence",
                                    "parameters",
                                ]
                            ),
                            json_values,
                        ),
                        max_size=3,
                    ),
                    "reason": json_values,
                },
            ),
        )
    },
)


@settings(max_examples=150, deadline=None)
@given(statement_like)
def test_any_statement_shaped_data_renders_in_every_format_without_raising(
    data: dict[str, Any],
) -> None:
    """--allow-invalid renders statements that failed the schema: the renderer must not crash."""
    for fmt in ("markdown", "html", "hf"):
        out = render(data, fmt)  # type: ignore[arg-type]
        assert "Not assessed" in out


def test_long_seed_lists_are_written_as_ranges() -> None:
    from dls.render.context import _seeds

    assert _seeds([1, 2, 3, 4, 7, 9, 10, 11]) == "1–4, 7, 9–11"
    assert _seeds([0, 5]) == "0, 5"
    assert _seeds([1, 2]) == "1, 2"
    assert _seeds([]) is None
