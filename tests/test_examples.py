"""The shipped examples: valid, covering the taxonomy, passing `dls validate` on their scenario."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

import dls
from dls.findings import Severity
from dls.registry import CATEGORY_KEYS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.dls.yaml"))
SCHEMA = json.loads((ROOT / "schema" / "statement-v1.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())


def data(path: Path) -> dict[str, Any]:
    doc = dls.load(path)
    assert doc.ok, doc.findings
    assert isinstance(doc.data, dict)
    return doc.data


def all_data() -> list[dict[str, Any]]:
    return [data(p) for p in EXAMPLES]


def findings(statement: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (key, f)
        for key, section in statement["categories"].items()
        for f in section.get("findings", [])
    ]


def test_there_are_at_least_three_examples() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_is_valid_against_the_schema(path: Path) -> None:
    errors = [e.message for e in VALIDATOR.iter_errors(data(path))]
    assert errors == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_loads_without_parse_warnings(path: Path) -> None:
    assert dls.load(path).findings == ()


def test_together_the_examples_assess_all_nine_categories() -> None:
    assessed = {
        key
        for statement in all_data()
        for key, section in statement["categories"].items()
        if section["assessment"] == "assessed"
    }
    assert assessed == set(CATEGORY_KEYS)


def test_the_examples_show_not_assessed_and_not_applicable_with_reasons() -> None:
    left_out = [
        section
        for statement in all_data()
        for section in statement["categories"].values()
        if section["assessment"] != "assessed"
    ]
    kinds = {section["assessment"] for section in left_out}
    assert kinds == {"not_assessed", "not_applicable"}
    assert all(len(section["reason"]) > 40 for section in left_out)
    assert all("risk_accepted_by" in s for s in left_out if s["assessment"] == "not_assessed")


def test_at_least_one_finding_is_an_accepted_loss() -> None:
    accepted = [
        f
        for statement in all_data()
        for _, f in findings(statement)
        if f["status"] == "lost" and f.get("acceptable_because") and f.get("mitigation")
    ]
    assert accepted


def test_at_least_one_example_is_final_and_signed() -> None:
    final = [s for s in all_data() if s["status"] == "final"]
    assert final and all(s.get("sign_off") for s in final)


def test_every_example_names_a_built_in_scenario_file() -> None:
    for statement in all_data():
        scenario = statement["scenario"]["id"]
        assert (ROOT / "scenarios" / f"{scenario}.dls-scenario.yaml").is_file(), scenario


def test_every_preserved_claim_carries_uncertainty() -> None:
    """dls never accepts "preserved" without an interval, standard errors or an item count."""
    for statement in all_data():
        for _, f in findings(statement):
            if f["status"] in ("preserved", "improved"):
                assert "interval" in f or "stderr" in f, f["id"]
                if "interval" in f:
                    assert f["interval"]["lower"] <= f["student"] - f["teacher"]
                    assert f["student"] - f["teacher"] <= f["interval"]["upper"]


def test_recorded_differences_are_student_minus_teacher() -> None:
    for statement in all_data():
        for _, f in findings(statement):
            if "difference" in f:
                assert f["difference"] == pytest.approx(f["student"] - f["teacher"], abs=1e-9)


def test_llama_task_results_are_the_published_lm_eval_numbers() -> None:
    """The values, stderrs and item counts match the evidence extract of the real results files."""
    path = ROOT / "examples" / "llama-3.2-3b-on-device.dls.yaml"
    statement = data(path)
    extract = json.loads(
        (path.parent / "evidence" / "llama-3.2-3b" / "lm-eval-extract.json").read_text("utf-8")
    )
    tasks = {
        "mmlu": "mmlu",
        "arc-challenge": "arc_challenge",
        "arc-easy": "arc_easy",
        "hellaswag": "hellaswag",
        "piqa": "piqa",
        "winogrande": "winogrande",
    }
    by_id = {f["id"]: f for _, f in findings(statement)}
    for fid, task in tasks.items():
        f, runs = by_id[fid], extract["tasks"][task]
        for role in ("teacher", "student"):
            assert f[role] == pytest.approx(runs[role]["acc"], abs=5e-5), (fid, role)
            assert f["stderr"][role] == pytest.approx(runs[role]["acc_stderr"], abs=5e-5)
            assert f["evaluation"]["items"] == runs[role]["items"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_passes_dls_validate_against_its_scenario(path: Path) -> None:
    report = dls.validate(path)
    errors = [f"{f.code} {f.message}" for f in report.findings if f.severity is Severity.ERROR]
    assert errors == []
    assert report.scenario is not None
    assert report.verdicts, "the scenario stage gave no verdicts"
    claimed = {f["id"]: f["status"] for _, f in findings(data(path))}
    computed = {row.finding_id: row.verdict for row in report.verdicts}
    assert computed == claimed


def test_the_accepted_losses_are_reported_as_accepted() -> None:
    report = dls.validate(ROOT / "examples" / "llama-3.2-3b-on-device.dls.yaml")
    accepted = sorted(f.message.split(":")[0] for f in report.findings if f.code == "DLS-T024")
    assert accepted == ["arc-challenge", "arc-easy", "hellaswag", "mmlu"]
