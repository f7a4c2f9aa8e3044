"""Whatever it is fed, the loader and the validator return findings, never raise."""

from __future__ import annotations

import math
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dls
from dls.findings import Severity

MINIMAL = (Path(__file__).parent / "cases" / "valid" / "minimal.dls.yaml").read_text()
BASE = yaml.safe_load(MINIMAL)
BASE["date"] = str(BASE["date"])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["yes", "no", "0755", "1:20", "1.10", "TBD", ".nan"]),
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=25,
)
keys = st.sampled_from(
    [
        "format",
        "id",
        "categories",
        "teacher",
        "student",
        "scenario",
        "headline",
        "evidence",
        "summary",
        "status",
        "owners",
        "recipe",
    ]
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(report: dls.FileReport) -> None:
    for f in report.findings:
        assert f.line >= 1 and f.column >= 1
        assert isinstance(f.severity, Severity)
        assert f.code.startswith("DLS-")


@SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text_gives_findings_only(text: str) -> None:
    check(dls.validate(dls.load_text(text, "fuzz.dls.yaml")))


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_findings_only(data: bytes) -> None:
    check(dls.validate(dls.load_text(data, "fuzz.dls.yaml")))
    check(dls.validate(dls.load_text(data, "fuzz.dls.json")))


@SETTINGS
@given(documents)
def test_arbitrary_yaml_shaped_documents_give_findings_only(data: object) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    check(dls.validate(dls.load_text(text, "fuzz.dls.yaml")))


@SETTINGS
@given(st.dictionaries(keys, documents, max_size=6))
def test_a_statement_with_any_top_level_values_replaced_gives_findings_only(changes: dict) -> None:
    data = {**BASE, **changes}
    text = yaml.safe_dump(data, allow_unicode=True)
    report = dls.validate(dls.load_text(text, "fuzz.dls.yaml"))
    check(report)


@SETTINGS
@given(st.sampled_from(["teacher", "student", "difference"]), scalars)
def test_any_value_in_a_finding_gives_findings_only(key: str, value: object) -> None:
    data = yaml.safe_load(MINIMAL)
    data["date"] = "2026-11-20"
    data["categories"]["task_performance"]["findings"][0][key] = value
    text = yaml.safe_dump(data)
    report = dls.validate(dls.load_text(text, "fuzz.dls.yaml"))
    check(report)
    if isinstance(value, float) and not math.isfinite(value):
        assert "DLS-S008" in {f.code for f in report.findings}
