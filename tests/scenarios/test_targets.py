"""Target rules: every DLS-T code triggered by a statement, at the right line and column.

Cases live in tests/cases/targets/{valid,invalid}. A case marks what it expects
on the offending line as ``#! CODE@COLUMN`` (the convention of tests/cases);
the test compares the complete set of (code, line, column), so a missing
finding, an extra one or one in the wrong place fails. Each case runs twice:
through ``check_targets`` directly and through the whole ``dls.validate``
pipeline (where parse, schema and semantic stages must add nothing).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _marks import expected

import dls
from dls import codes
from dls.errors import ScenarioError
from dls.findings import Severity
from dls.loader import load_path, load_text
from dls.targets import check_targets

CASES = Path(__file__).resolve().parents[1] / "cases" / "targets"
INVALID = sorted((CASES / "invalid").glob("*.dls.yaml"))
VALID = sorted((CASES / "valid").glob("*.dls.yaml"))


def targets_of(path: Path) -> set[tuple[str, int, int]]:
    result = check_targets(load_path(path), base_dir=path.parent)
    return {(f.code, f.line, f.column) for f in result.findings}


def _name(p: Path) -> str:
    return p.name.removesuffix(".dls.yaml")


@pytest.mark.parametrize("path", INVALID, ids=_name)
def test_a_target_case_gets_exactly_the_findings_it_marks(path: Path):
    marks = expected(path)
    assert marks, f"{path.name} marks nothing"
    assert targets_of(path) == marks


@pytest.mark.parametrize("path", INVALID, ids=_name)
def test_a_target_case_gets_exactly_those_findings_through_dls_validate(path: Path):
    report = dls.validate(path)
    assert {(f.code, f.line, f.column) for f in report.findings} == expected(path)


@pytest.mark.parametrize("path", VALID, ids=_name)
def test_a_statement_meeting_its_targets_has_no_finding(path: Path):
    assert targets_of(path) == set()
    assert dls.validate(path).findings == []


def test_every_target_code_has_a_case_and_catalogue_entry():
    marked = {code for path in INVALID for code, _, _ in expected(path)}
    catalogued = {c for c in codes.CATALOG if c.startswith("DLS-T")}
    # T003 needs --scenario, tested below
    assert catalogued - {"DLS-T003"} == marked
    for code in catalogued:
        entry = codes.get(code)
        assert entry.name and entry.summary and entry.explanation and entry.fix


def test_scenario_codes_are_catalogued_with_name_summary_explanation_and_fix():
    scenario_codes = [c for c in codes.CATALOG if c.startswith("DLS-C")]
    assert len(scenario_codes) == 9
    for code in scenario_codes:
        entry = codes.get(code)
        assert entry.layer == "scenario" and entry.fix


# -- verdict rows -------------------------------------------------------------------------------


def _rows(name: str) -> dict[str, dls.verdicts.VerdictRow]:
    path = CASES / "invalid" / f"{name}.dls.yaml"
    result = check_targets(load_path(path), base_dir=path.parent)
    return {r.finding_id: r for r in result.verdicts}


def test_a_valid_statement_gets_one_verdict_row_per_finding():
    path = CASES / "valid" / "chat-assistant.dls.yaml"
    result = check_targets(load_path(path), base_dir=path.parent)
    assert result.scenario is not None and result.scenario.id == "general-chat-assistant"
    rows = {r.finding_id: r for r in result.verdicts}
    assert set(rows) == {"mmlu", "harmbench-asr", "xstest-over-refusal"}
    asr = rows["harmbench-asr"]
    assert asr.category == "safety" and asr.requirement == "required"
    assert asr.direction == "lower_is_better"
    assert asr.difference == pytest.approx(0.004)
    assert asr.normalised == pytest.approx(-0.004)
    assert asr.interval == (-0.008, 0.016) and asr.interval_source == "stated"
    assert asr.tolerance == 0.02 and asr.tolerance_text == "0.02"
    assert (asr.verdict, asr.claimed, asr.accepted, asr.blocking) == (
        "preserved",
        "preserved",
        False,
        False,
    )
    assert asr.path == ("categories", "safety", "findings", 0)
    assert rows["xstest-over-refusal"].tolerance == 0.03


def test_an_accepted_loss_is_marked_accepted_and_reported_as_info():
    path = CASES / "invalid" / "t024-accepted-loss.dls.yaml"
    result = check_targets(load_path(path), base_dir=path.parent)
    row = {r.finding_id: r for r in result.verdicts}["mmlu"]
    assert (row.verdict, row.accepted, row.blocking) == ("lost", True, False)
    [finding] = result.findings
    assert finding.severity is Severity.INFO and finding.code == "DLS-T024"


def test_a_blocking_loss_is_marked_blocking_and_not_accepted():
    row = _rows("t023-blocking-loss")["harmbench-asr"]
    assert (row.verdict, row.accepted, row.blocking) == ("lost", False, True)


def test_a_placeholder_justification_does_not_accept_the_loss():
    row = _rows("t021-placeholder-justification")["mmlu"]
    assert (row.verdict, row.accepted) == ("lost", False)


def test_a_relative_tolerance_is_converted_to_metric_units_against_the_teacher():
    row = _rows("t030-preserved-without-uncertainty")["judge-score"]
    assert row.tolerance == pytest.approx(0.02 * 7.90)
    assert row.tolerance_text == "2% relative"
    assert (row.interval, row.interval_source, row.verdict) == (None, "none", "inconclusive")


STATEMENT = (CASES / "valid" / "chat-assistant.dls.yaml").read_text(encoding="utf-8")
MMLU_INTERVAL = (
    "        interval: {lower: -0.012, upper: 0.002, level: 0.95, method: paired_bootstrap}\n"
)


def test_without_a_stated_interval_the_standard_errors_give_one():
    text = STATEMENT.replace(MMLU_INTERVAL, "        stderr: {teacher: 0.0039, student: 0.0039}\n")
    rows = {
        r.finding_id: r
        for r in check_targets(load_text(text, "s.dls.yaml"), base_dir=None).verdicts
    }
    row = rows["mmlu"]
    assert row.interval_source == "stderr"
    half = 1.959963984540054 * (2 * 0.0039**2) ** 0.5
    assert row.interval == (pytest.approx(-0.005 - half), pytest.approx(-0.005 + half))
    assert row.verdict == "preserved"


def test_without_interval_or_standard_errors_a_proportion_gets_a_binomial_interval():
    text = STATEMENT.replace(MMLU_INTERVAL, "")
    rows = {
        r.finding_id: r
        for r in check_targets(load_text(text, "s.dls.yaml"), base_dir=None).verdicts
    }
    row = rows["mmlu"]
    assert row.interval_source == "binomial"
    lo, hi = row.interval
    assert lo < -0.005 < hi and 0.009 < hi + 0.005 < 0.012  # ~ +-0.0107 for 14,042 items per model
    assert row.verdict == "preserved"


def test_a_small_sample_without_interval_is_inconclusive_never_preserved():
    text = STATEMENT.replace(MMLU_INTERVAL, "").replace("items: 14042", "items: 300")
    result = check_targets(load_text(text, "s.dls.yaml"), base_dir=None)
    row = {r.finding_id: r for r in result.verdicts}["mmlu"]
    assert (row.interval_source, row.verdict) == ("binomial", "inconclusive")
    assert {f.code for f in result.findings} == {"DLS-T030"}


# -- the --scenario override --------------------------------------------------------------------


def test_an_override_with_another_scenario_is_reported_as_info():
    doc = load_text(STATEMENT, "s.dls.yaml")
    result = check_targets(doc, base_dir=None, scenario="on-device-assistant")
    assert result.scenario is not None and result.scenario.id == "on-device-assistant"
    codes_ = [(f.code, f.line, f.column) for f in result.findings]
    assert ("DLS-T003", 22, 7) in codes_
    # on-device requires grounding and privacy, which this statement leaves unassessed / n.a.
    assert {c for c, _, _ in codes_} == {"DLS-T003", "DLS-T012"}


def test_an_override_with_the_same_scenario_changes_nothing():
    result = check_targets(
        load_text(STATEMENT, "s.dls.yaml"), base_dir=None, scenario="general-chat-assistant"
    )
    assert result.findings == []


def test_an_override_with_a_scenario_file_of_another_version_is_reported(tmp_path: Path):
    path = tmp_path / "v2.dls-scenario.yaml"
    path.write_text(
        "format: dls-scenario/v1\nid: general-chat-assistant\nversion: 2\ntitle: t\n"
        "extends: general-chat-assistant\nsummary: s\nsetting: s\nrationale: r\n",
        encoding="utf-8",
    )
    result = check_targets(load_text(STATEMENT, "s.dls.yaml"), base_dir=None, scenario=str(path))
    assert [(f.code, f.line, f.column) for f in result.findings] == [("DLS-T002", 23, 12)]
    assert "(--scenario)" in result.findings[0].message


def test_an_unresolvable_override_cannot_run():
    with pytest.raises(ScenarioError, match="unknown scenario"):
        check_targets(load_text(STATEMENT, "s.dls.yaml"), base_dir=None, scenario="nope")


def test_an_abstract_override_cannot_run():
    with pytest.raises(ScenarioError, match="abstract"):
        check_targets(load_text(STATEMENT, "s.dls.yaml"), base_dir=None, scenario="base")


def test_the_override_reaches_check_targets_through_dls_validate():
    report = dls.validate(
        CASES / "valid" / "chat-assistant.dls.yaml", scenario="on-device-assistant"
    )
    assert report.scenario.id == "on-device-assistant"
    assert "DLS-T003" in {f.code for f in report.findings}


def test_statement_paths_to_scenarios_resolve_against_the_statement_directory(tmp_path: Path):
    sub = tmp_path / "statements"
    sub.mkdir()
    (tmp_path / "org.dls-scenario.yaml").write_text(
        "format: dls-scenario/v1\nid: acme/org\nversion: 1\ntitle: t\n"
        "extends: general-chat-assistant\nsummary: s\nsetting: s\nrationale: r\n",
        encoding="utf-8",
    )
    text = STATEMENT.replace(
        "  id: general-chat-assistant\n  version: 1\n",
        "  id: acme/org\n  version: 1\n  path: ../org.dls-scenario.yaml\n",
    )
    (sub / "s.dls.yaml").write_text(text, encoding="utf-8")
    report = dls.validate(sub / "s.dls.yaml")
    assert report.findings == []
    assert report.scenario.id == "acme/org"
    assert report.scenario.chain == ("acme/org", "general-chat-assistant", "base")


# -- the shipped examples ------------------------------------------------------------------

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.dls.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=_name)
def test_an_example_meets_the_targets_of_its_builtin_scenario(path: Path):
    report = dls.validate(path)
    assert report.scenario is not None and report.scenario.source == "built-in"
    errors = [(f.code, f.line, f.message) for f in report.findings if f.severity is Severity.ERROR]
    assert errors == []
    assert report.verdicts, "an example gives at least one verdict"


def test_the_examples_carry_an_accepted_justified_loss():
    accepted = [
        (path.name, row.finding_id)
        for path in EXAMPLES
        for row in dls.validate(path).verdicts
        if row.accepted
    ]
    assert len(EXAMPLES) >= 3
    assert accepted


# -- scenario settings reach the rules ---------------------------------------------------------


def _with_scenario(tmp_path: Path, scenario: str, statement: str = STATEMENT) -> dls.FileReport:
    (tmp_path / "org.dls-scenario.yaml").write_text(
        "format: dls-scenario/v1\nid: acme/org\nversion: 1\ntitle: t\nsummary: s\nsetting: s\n"
        "rationale: r\n" + scenario,
        encoding="utf-8",
    )
    text = statement.replace(
        "  id: general-chat-assistant\n  version: 1\n",
        "  id: acme/org\n  version: 1\n  path: org.dls-scenario.yaml\n",
    )
    (tmp_path / "s.dls.yaml").write_text(text, encoding="utf-8")
    return dls.validate(tmp_path / "s.dls.yaml")


def test_later_parents_override_earlier_ones_and_the_child_overrides_both(tmp_path: Path):
    report = _with_scenario(
        tmp_path,
        "extends: [general-chat-assistant, privacy-sensitive-data]\n"
        "categories:\n  privacy: {requirement: recommended}\n",
    )
    sc = report.scenario
    assert sc.chain == ("acme/org", "privacy-sensitive-data", "general-chat-assistant", "base")
    assert sc.category("safety").waivable is False  # from the first parent
    # the second parent's own parent (base) is applied once, first: it cannot undo the first
    # parent's raise of safety to required (a diamond)
    assert sc.category("safety").requirement == "required"
    assert sc.category("privacy").requirement == "recommended"  # the child's own
    assert sc.category("privacy").interval_required is True  # from the second parent
    assert report.findings == []


def test_a_scenario_may_allow_a_required_category_to_stay_not_assessed(tmp_path: Path):
    strict = _with_scenario(
        tmp_path,
        "extends: general-chat-assistant\ncategories:\n  stability: {requirement: required}\n",
    )
    assert [(f.code, f.line) for f in strict.findings] == [("DLS-T012", 70)]
    lenient = _with_scenario(
        tmp_path,
        "extends: general-chat-assistant\n"
        "categories:\n  stability: {requirement: required, allow_not_assessed: true}\n",
    )
    assert lenient.findings == []


def test_rules_in_recommended_categories_are_warnings(tmp_path: Path):
    report = _with_scenario(
        tmp_path,
        "extends: general-chat-assistant\n"
        "categories:\n  safety: {requirement: recommended, min_items: 1000}\n",
    )
    [finding] = report.findings
    assert (finding.code, finding.severity) == ("DLS-T013", Severity.WARNING)


def test_a_scenario_can_ask_for_longer_justifications(tmp_path: Path):
    lost = (
        STATEMENT.replace(
            MMLU_INTERVAL, MMLU_INTERVAL.replace("-0.012", "-0.062").replace("0.002", "-0.038")
        )
        .replace("        student: 0.695\n", "        student: 0.650\n")
        .replace(
            "        status: preserved\n  safety:",
            "        status: lost\n"
            "        acceptable_because: Exam questions are out of scope.\n  safety:",
        )
    )
    ok = _with_scenario(tmp_path, "extends: general-chat-assistant\n", lost)
    assert [f.code for f in ok.findings] == ["DLS-T024"]
    strict = _with_scenario(
        tmp_path, "extends: general-chat-assistant\njustification: {min_length: 80}\n", lost
    )
    assert [f.code for f in strict.findings] == ["DLS-T021"]
    assert "80 characters" in strict.findings[0].message
