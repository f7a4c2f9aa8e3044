"""The JSON report follows its published schema, for valid and invalid statements."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import dls
from dls.report import render

ROOT = Path(__file__).parent.parent
SCHEMA = json.loads((ROOT / "schema" / "report-v1.schema.json").read_text())
FILES = [
    *sorted((ROOT / "tests" / "cases" / "invalid").glob("*.dls.yaml")),
    *sorted((ROOT / "tests" / "cases" / "valid").glob("*.dls.yaml")),
    *sorted((ROOT / "examples").glob("*.dls.yaml")),
]


def test_the_report_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_report_of_every_case_and_example_matches_the_report_schema() -> None:
    report = dls.validate_paths([str(p) for p in FILES])
    data = json.loads(render(report, "json"))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert data["summary"]["files"] == len(FILES)


def test_a_file_that_cannot_be_read_is_reported_with_its_error(tmp_path: Path) -> None:
    report = dls.validate_paths([str(tmp_path / "gone.dls.yaml"), str(FILES[0])])
    data = json.loads(render(report, "json"))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    gone = data["files"][0]
    assert gone["ok"] is False and gone["error"].endswith("file not found")
    assert data["summary"]["couldNotCheck"] == 1


@pytest.mark.parametrize("path", FILES[:3], ids=lambda p: p.name)
def test_findings_in_json_carry_pointer_and_position(path: Path) -> None:
    data = json.loads(render(dls.validate_paths([str(path)]), "json"))
    for f in data["files"][0]["findings"]:
        assert f["line"] >= 1 and f["column"] >= 1
        assert f["pointer"] == "" or f["pointer"].startswith("/")


def test_accepted_losses_are_counted_apart_from_clean_passes() -> None:
    """At least one example carries a justified loss; the summary counts it, never hides it."""
    report = dls.validate_paths([str(ROOT / "examples")])
    data = json.loads(render(report, "json"))
    rows = [r for f in data["files"] for r in f["verdicts"]]
    accepted = [r for r in rows if r["accepted"]]
    assert accepted and all(r["verdict"] == "lost" for r in accepted)
    assert data["summary"]["acceptedLosses"] == len(accepted)
    from dls.report.text import summary

    assert f"{len(accepted)} accepted loss(es)" in summary(report)
    assert "with accepted losses)" in summary(report)
