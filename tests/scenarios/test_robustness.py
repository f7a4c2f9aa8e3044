"""Scenario files and target checks only ever return findings, whatever they are fed."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dls.findings import Finding
from dls.loader import load_text
from dls.scenarios import check_scenario_document
from dls.targets import check_targets

CASES = Path(__file__).resolve().parents[1] / "cases" / "targets"
STATEMENT = (CASES / "valid" / "chat-assistant.dls.yaml").read_text(encoding="utf-8")

_KEYS = st.sampled_from(
    [
        "format", "id", "version", "title", "abstract", "extends", "summary", "setting",
        "rationale", "references", "defaults", "categories", "justification", "safety",
        "privacy", "requirement", "accepted_metrics", "tolerance", "per_metric", "absolute",
        "relative", "min_items", "waivable", "interval_required", "path", "sha256",
        "attack_success_rate", "x-acme.m", "min_length", "title",
    ]
)  # fmt: skip
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 20000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["base", "general-chat-assistant", "required", "nope", "dls-scenario/v1",
                     "a.dls-scenario.yaml", "../x.yaml", "", "x" * 70]),
)  # fmt: skip
_TREES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=5)),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.dictionaries(_KEYS, _TREES, max_size=8))
def test_any_scenario_shaped_document_gives_findings_never_an_exception(body):
    data = {"format": "dls-scenario/v1", **body}
    doc = load_text(json.dumps(data), "fuzz.dls-scenario.json")
    found = check_scenario_document(doc)
    assert all(isinstance(f, Finding) for f in found)


_STATUS = st.sampled_from(["preserved", "lost", "improved", "inconclusive", "maybe", 3])
_NUM = st.one_of(
    st.floats(-1e6, 1e6, allow_nan=False), st.integers(-5, 5), st.none(), st.text(max_size=3)
)


@settings(max_examples=200, deadline=None)
@given(
    teacher=_NUM,
    student=_NUM,
    status=_STATUS,
    items=st.one_of(st.integers(-2, 100000), st.none(), st.booleans()),
    lower=_NUM,
    upper=_NUM,
    justification=st.one_of(st.none(), st.text(max_size=40)),
    scenario_id=st.sampled_from(
        ["general-chat-assistant", "base", "nope", "privacy-sensitive-data"]
    ),
)
def test_any_finding_values_give_findings_never_an_exception(
    teacher, student, status, items, lower, upper, justification, scenario_id
):
    """Even values the schema stage would reject never make the target stage raise."""
    import copy

    data = copy.deepcopy(load_text(STATEMENT, "s.dls.yaml").data)
    data["scenario"]["id"] = scenario_id
    finding = data["categories"]["task_performance"]["findings"][0]
    finding.update(teacher=teacher, student=student, status=status)
    finding["evaluation"]["items"] = items
    finding["interval"] = {"lower": lower, "upper": upper, "level": 0.95, "method": "m"}
    if justification is not None:
        finding["acceptable_because"] = justification
    result = check_targets(load_text(json.dumps(data), "fuzz.dls.json"), base_dir=None)
    assert all(isinstance(f, Finding) for f in result.findings)
