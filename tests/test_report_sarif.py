"""SARIF output: valid against the OASIS 2.1.0 schema and shaped as GitHub code scanning expects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dls.codes import CATALOG
from dls.findings import FileReport, Finding, Report, Severity, Span
from dls.report import sarif

SCHEMA_PATH = Path(__file__).parent / "vendor" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def schema_errors(validator: Any, log: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]


def invalid_report() -> Report:
    return Report(
        [
            FileReport(
                "statements/model-x.dls.yaml",
                [
                    Finding(
                        "DLS-S004",
                        Severity.ERROR,
                        "unknown key 'justifcation'",
                        ("categories", "safety", "findings", 0, "justifcation"),
                        Span(12, 9, 12, 21),
                        hint="did you mean 'justification'?",
                    ),
                    Finding(
                        "DLS-R005",
                        Severity.WARNING,
                        "metric 'ece' belongs to uncertainty",
                        ("categories", "task_performance", "findings", 1, "metric"),
                        Span(20, 17),
                    ),
                    Finding(
                        "DLS-S008",
                        Severity.ERROR,
                        "value must be a finite number",
                        ("headline", 0, "student"),
                        Span(7, 14, 7, 18),
                        data={"value": float("nan"), "limit": float("inf")},
                    ),
                ],
                kind="statement",
            ),
            FileReport("statements/ok.dls.yaml", [], kind="statement"),
        ]
    )


def test_log_of_an_invalid_statement_validates_against_the_official_schema(validator):
    """Findings of every severity, with hints and odd data, still give a schema-valid log."""
    log = json.loads(sarif.render(invalid_report()))
    assert schema_errors(validator, log) == []
    assert len(log["runs"][0]["results"]) == 3


def test_log_of_a_valid_statement_validates_and_has_no_results(validator):
    """A clean run is a valid log with an empty result list and a successful invocation."""
    log = json.loads(sarif.render(Report([FileReport("a.dls.yaml", [])])))
    assert schema_errors(validator, log) == []
    run = log["runs"][0]
    assert run["results"] == []
    assert run["invocations"][0]["executionSuccessful"] is True


def test_schema_validator_rejects_a_broken_log(validator):
    """The check is real: a result without a message is reported by the schema."""
    log = json.loads(sarif.render(invalid_report()))
    del log["runs"][0]["results"][0]["message"]
    log["runs"][0]["results"][1]["level"] = "fatal"
    assert len(schema_errors(validator, log)) == 2


def test_rules_carry_catalogue_metadata_and_help():
    """Every referenced rule has name, short and full description, help and default level."""
    log = json.loads(sarif.render(invalid_report()))
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert sorted(rules) == ["DLS-R005", "DLS-S004", "DLS-S008"]
    meta = CATALOG["DLS-S004"]
    rule = rules["DLS-S004"]
    assert rule["name"] == meta.name
    assert rule["shortDescription"]["text"] == meta.summary
    assert rule["fullDescription"]["text"] == meta.explanation
    assert meta.fix in rule["help"]["text"]
    assert meta.fix in rule["help"]["markdown"]
    assert rules["DLS-R005"]["defaultConfiguration"]["level"] == "warning"
    assert rules["DLS-S004"]["defaultConfiguration"]["level"] == "error"


def test_result_rule_index_points_at_its_rule():
    """ruleIndex names the rule of the same id in the driver's rule list."""
    run = json.loads(sarif.render(invalid_report()))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_result_region_uses_one_based_code_point_columns_and_end_positions():
    """The span becomes startLine/startColumn/endLine/endColumn; columns are code points."""
    run = json.loads(sarif.render(invalid_report()))["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    by_rule = {r["ruleId"]: r for r in run["results"]}
    loc = by_rule["DLS-S004"]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {
        "uri": "statements/model-x.dls.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert loc["region"] == {"startLine": 12, "startColumn": 9, "endLine": 12, "endColumn": 21}
    assert by_rule["DLS-R005"]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 20,
        "startColumn": 17,
    }


def test_levels_map_severities_and_accepted_losses_are_notes():
    """error -> error, warning -> warning, info (accepted losses, DLS-T024) -> note."""
    report = Report(
        [
            FileReport(
                "s.dls.yaml",
                [
                    Finding("DLS-T024", Severity.INFO, "accepted loss: safety refusal -0.03"),
                    Finding("DLS-R005", Severity.WARNING, "w"),
                    Finding("DLS-S006", Severity.ERROR, "e"),
                ],
            )
        ]
    )
    levels = {
        r["ruleId"]: r["level"] for r in json.loads(sarif.render(report))["runs"][0]["results"]
    }
    assert levels == {"DLS-T024": "note", "DLS-R005": "warning", "DLS-S006": "error"}


def test_hint_is_part_of_the_message_and_the_pointer_a_property():
    """The message ends with the hint; the JSON Pointer travels in the result's properties."""
    run = json.loads(sarif.render(invalid_report()))["runs"][0]
    result = next(r for r in run["results"] if r["ruleId"] == "DLS-S004")
    assert result["message"]["text"] == (
        "unknown key 'justifcation'\nHint: did you mean 'justification'?"
    )
    assert result["properties"]["jsonPointer"] == "/categories/safety/findings/0/justifcation"


def test_output_never_contains_nan_or_infinity():
    """Non-finite numbers in finding data are written as strings, so the JSON stays strict."""
    text = sarif.render(invalid_report())
    log = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    result = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "DLS-S008")
    assert result["properties"]["data"] == {"value": "nan", "limit": "inf"}


def test_fingerprints_are_stable_across_line_moves_and_distinct_per_finding():
    """Moving a finding to another line keeps its fingerprint; two findings never share one."""
    first = json.loads(sarif.render(invalid_report()))["runs"][0]["results"]
    moved = invalid_report()
    moved.files[0].findings[0] = Finding(
        "DLS-S004",
        Severity.ERROR,
        "unknown key 'justifcation'",
        ("categories", "safety", "findings", 0, "justifcation"),
        Span(40, 9, 40, 21),
    )
    second = json.loads(sarif.render(moved))["runs"][0]["results"]
    fp1 = {r["ruleId"]: r["partialFingerprints"]["dlsFinding/v1"] for r in first}
    fp2 = {r["ruleId"]: r["partialFingerprints"]["dlsFinding/v1"] for r in second}
    assert fp1 == fp2
    assert len(set(fp1.values())) == 3


def _uris(report: Report, **kwargs: Any) -> list[str]:
    run = json.loads(sarif.render(report, **kwargs))["runs"][0]
    return sorted(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    )


def test_absolute_paths_under_the_root_become_relative_uris_with_escapes(tmp_path):
    """An absolute path under the root is made relative; a space is percent-encoded."""
    inside = tmp_path / "stats dir" / "a.dls.yaml"
    report = Report([FileReport(str(inside), [Finding("DLS-S006", Severity.ERROR, "e")])])
    assert _uris(report, root=tmp_path) == ["stats%20dir/a.dls.yaml"]


def test_windows_separators_become_slashes():
    """Backslashes of a Windows path are reported as forward slashes."""
    report = Report(
        [FileReport("sub\\win\\b.dls.yaml", [Finding("DLS-S006", Severity.ERROR, "e")])]
    )
    assert _uris(report) == ["sub/win/b.dls.yaml"]


def test_paths_from_a_subdirectory_are_re_based_on_the_repository_root(tmp_path, monkeypatch):
    """Run from repo/sub, 'a.dls.yaml' is reported as 'sub/a.dls.yaml' against the repo root."""
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    report = Report([FileReport("a.dls.yaml", [Finding("DLS-S006", Severity.ERROR, "e")])])
    assert _uris(report, root=tmp_path) == ["sub/a.dls.yaml"]


def test_results_are_capped_most_severe_first_with_a_notification(validator):
    """Over the cap, errors are kept before warnings and the rest is counted in a notification."""
    findings = [
        Finding("DLS-R005", Severity.WARNING, f"w{i}", span=Span(i + 1, 1)) for i in range(6)
    ]
    findings += [
        Finding("DLS-S006", Severity.ERROR, f"e{i}", span=Span(i + 50, 1)) for i in range(3)
    ]
    log = json.loads(sarif.render(Report([FileReport("x.dls.yaml", findings)]), max_results=4))
    run = log["runs"][0]
    assert schema_errors(validator, log) == []
    assert [r["level"] for r in run["results"]] == ["error", "error", "error", "warning"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 1
    assert notes[0]["message"]["text"].startswith("5 more findings")


def test_file_that_could_not_be_checked_is_a_failed_invocation_notification(validator):
    """An unreadable file is reported as a tool notification and marks the run unsuccessful."""
    report = Report([FileReport("gone.dls.yaml", exception="file not found")])
    log = json.loads(sarif.render(report))
    assert schema_errors(validator, log) == []
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "file not found" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_category_sets_automation_details_id():
    """A category (one per upload) goes into automationDetails.id with a trailing slash."""
    run = json.loads(sarif.render(Report([]), category="dls/statements"))["runs"][0]
    assert run["automationDetails"] == {"id": "dls/statements/"}


def test_output_is_deterministic():
    """Two renders of the same report are byte-identical (no timestamps, stable order)."""
    assert sarif.render(invalid_report()) == sarif.render(invalid_report())


# -- real reports from the validator -----------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def real_report(*paths: Path) -> Report:
    import dls

    return dls.validate_paths([str(p) for p in paths])


def test_log_of_the_shipped_examples_validates_against_the_official_schema(validator):
    """The valid example statements give a schema-valid log with no error results."""
    log = json.loads(sarif.render(real_report(ROOT / "examples"), root=ROOT))
    assert schema_errors(validator, log) == []
    assert [r for r in log["runs"][0]["results"] if r["level"] == "error"] == []


def test_log_of_the_invalid_case_corpus_validates_against_the_official_schema(validator):
    """Every invalid test case, parse and schema and rule findings alike, gives a valid log."""
    report = real_report(ROOT / "tests" / "cases" / "invalid")
    log = json.loads(sarif.render(report, root=ROOT))
    assert schema_errors(validator, log) == []
    results = log["runs"][0]["results"]
    assert len(results) == sum(len(fr.findings) for fr in report.files) > 20
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert all(u.startswith("tests/cases/invalid/") for u in uris)


def test_run_properties_count_accepted_losses_apart():
    """The run's summary counts files, passes, errors, warnings and accepted losses separately."""
    report = Report(
        [
            FileReport("a.dls.yaml", [Finding("DLS-T024", Severity.INFO, "accepted loss")]),
            FileReport("b.dls.yaml", [Finding("DLS-S006", Severity.ERROR, "e")]),
            FileReport("c.dls.yaml", exception="unreadable"),
        ]
    )
    run = json.loads(sarif.render(report))["runs"][0]
    assert run["properties"]["summary"] == {
        "files": 3,
        "passed": 1,
        "notChecked": 1,
        "errors": 1,
        "warnings": 0,
        "acceptedLosses": 1,
    }


def test_golden_sarif_log():
    """The SARIF of a fixed report matches the reviewed golden file."""
    from _report_sample import check_golden, golden_report

    from dls._version import __version__

    text = sarif.render(golden_report())
    # The package version is the one moving part: keep the golden file release-proof.
    text = text.replace(f'"semanticVersion": "{__version__}"', '"semanticVersion": "VERSION"')
    check_golden("sample.sarif.json", text)


@settings(max_examples=100, deadline=None)
@given(
    path=st.text(min_size=1, max_size=40),
    message=st.text(max_size=80),
    value=st.floats(allow_nan=True, allow_infinity=True),
)
def test_any_text_and_number_gives_a_schema_valid_strict_json_log(validator, path, message, value):
    """Whatever a file name, message or data value holds, the log is strict JSON and valid."""
    finding = Finding("DLS-S006", Severity.ERROR, message, data={"value": value})
    text = sarif.render(Report([FileReport(path, [finding])]))
    log = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    assert schema_errors(validator, log) == []
