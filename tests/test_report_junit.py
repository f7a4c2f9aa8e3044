"""JUnit XML: parsed back with xml.etree and validated against the Jenkins xUnit schema."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from dls.findings import FileReport, Finding, Report, Severity, Span
from dls.report import junit

XSD = Path(__file__).parent / "vendor" / "junit-jenkins-xunit-10.xsd"


@pytest.fixture(scope="module")
def xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def sample() -> Report:
    return Report(
        [
            FileReport(
                "statements/a.dls.yaml",
                [
                    Finding(
                        "DLS-S004",
                        Severity.ERROR,
                        "unknown key 'x'",
                        ("losses", 0, "x"),
                        Span(5, 3),
                    ),
                    Finding(
                        "DLS-S004",
                        Severity.ERROR,
                        "unknown key 'x'",
                        ("losses", 0, "x"),
                        Span(5, 3),
                    ),
                    Finding("DLS-R005", Severity.WARNING, "odd metric", ("losses", 1), Span(9, 5)),
                    Finding("DLS-T024", Severity.INFO, "accepted loss", ("losses", 2), Span(12, 5)),
                ],
            ),
            FileReport("statements/b.dls.yaml", []),
            FileReport("statements/gone.dls.yaml", exception="file not found"),
        ]
    )


def parse(report: Report, **kwargs) -> ET.Element:
    return ET.fromstring(junit.render(report, **kwargs).encode("utf-8"))


def test_output_validates_against_the_jenkins_xunit_schema(xsd):
    """Failures, passes, errors and notes all fit the schema CI servers validate with."""
    doc = etree.fromstring(junit.render(sample()).encode("utf-8"))
    assert xsd.validate(doc), xsd.error_log


def test_schema_check_is_real(xsd):
    """A testsuite missing its required counts is rejected by the same schema."""
    doc = etree.fromstring(junit.render(sample()).encode("utf-8"))
    del doc[0].attrib["tests"]
    assert not xsd.validate(doc)


def test_one_testsuite_per_statement_file_with_counts():
    """Each file is a suite named by its repo-relative path; counts add up at the top."""
    root = parse(sample())
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        "statements/a.dls.yaml",
        "statements/b.dls.yaml",
        "statements/gone.dls.yaml",
    ]
    assert [(s.get("tests"), s.get("failures"), s.get("errors")) for s in suites] == [
        ("4", "2", "0"),
        ("1", "0", "0"),
        ("1", "0", "1"),
    ]
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("6", "2", "1")


def test_testcase_names_are_unique_within_a_file():
    """Two findings with the same code and place still get distinct case names."""
    names = [c.get("name") for c in parse(sample()).find("testsuite").findall("testcase")]
    assert names == [
        "DLS-S004 /losses/0/x (line 5, column 3)",
        "DLS-S004 /losses/0/x (line 5, column 3) #2",
        "DLS-R005 /losses/1 (line 9, column 5)",
        "DLS-T024 /losses/2 (line 12, column 5)",
    ]


def test_passing_file_gets_one_passing_testcase():
    """A file without findings counts as one passed test."""
    suite = parse(sample()).findall("testsuite")[1]
    (case,) = suite.findall("testcase")
    assert case.get("name") == "valid"
    assert list(case) == []


def test_failure_carries_code_message_and_location():
    """A failing case says what and where, with the code as failure type."""
    case = parse(sample()).find("testsuite").find("testcase")
    failure = case.find("failure")
    assert case.get("classname") == "statements/a.dls.yaml"
    assert failure.get("type") == "DLS-S004"
    assert failure.get("message") == "unknown key 'x'"
    assert failure.text.startswith("statements/a.dls.yaml:5:3: error [DLS-S004] unknown key 'x'")


def test_warnings_and_accepted_losses_pass_unless_fail_on_warning():
    """Below --fail-on a finding is a passing case with its text in system-out."""
    cases = parse(sample()).find("testsuite").findall("testcase")
    assert cases[2].find("failure") is None
    assert "odd metric" in cases[2].find("system-out").text
    strict = parse(sample(), fail_on=Severity.WARNING).find("testsuite").findall("testcase")
    assert strict[2].find("failure") is not None
    assert strict[3].find("failure") is None  # accepted losses never fail


def test_hostile_text_survives_as_well_formed_xml():
    """Markup, quotes, newlines and control characters in messages stay well-formed XML."""
    message = '<b>"x" & y</b>\n]]>\x00\x1b end'
    report = Report([FileReport("a&b<c>.dls.yaml", [Finding("DLS-S006", Severity.ERROR, message)])])
    root = parse(report)
    failure = root.find("testsuite/testcase/failure")
    assert root.find("testsuite").get("name") == "a&b<c>.dls.yaml"
    assert failure.get("message") == '<b>"x" & y</b>\n]]>\ufffd\ufffd end'


def test_output_is_deterministic():
    """No timestamps or host names: two renders are identical."""
    assert junit.render(sample()) == junit.render(sample())


def test_real_reports_of_examples_and_invalid_cases_validate(xsd):
    """The validator's own reports on examples and the invalid corpus fit the schema."""
    import dls

    root = Path(__file__).resolve().parents[1]
    report = dls.validate_paths([str(root / "examples"), str(root / "tests" / "cases" / "invalid")])
    doc = etree.fromstring(junit.render(report, root=root).encode("utf-8"))
    assert xsd.validate(doc), xsd.error_log
    assert len(doc.findall("testsuite")) == len(report.files)


def test_golden_junit_report():
    """The JUnit XML of a fixed report matches the reviewed golden file."""
    from _report_sample import check_golden, golden_report

    check_golden("sample.junit.xml", junit.render(golden_report()))


@settings(max_examples=150, deadline=None)
@given(path=st.text(min_size=1, max_size=40), message=st.text(max_size=80))
def test_any_text_gives_schema_valid_xml(xsd, path, message):
    """Whatever a file name or message holds, the document parses and fits the schema."""
    report = Report([FileReport(path, [Finding("DLS-S006", Severity.ERROR, message)])])
    doc = etree.fromstring(junit.render(report).encode("utf-8"))
    assert xsd.validate(doc), xsd.error_log
