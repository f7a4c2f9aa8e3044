"""`dls init`: skeletons that fail validation exactly where they are unfinished."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import dls
from dls import registry, scenarios
from dls.authoring.init import finding_id, placeholder_lines, plan_for, skeleton
from dls.cli import main

SCENARIOS = scenarios.builtin_ids(include_abstract=False)
TODAY = dt.date(2026, 12, 4)


def _skeleton(tmp_path: Path, scenario_id: str) -> tuple[Path, str]:
    plan, _ = plan_for(scenario_id)
    text = skeleton(plan, today=TODAY)
    path = tmp_path / f"{scenario_id}.dls.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_there_are_built_in_scenarios_to_cover() -> None:
    assert len(SCENARIOS) >= 8
    assert "general-chat-assistant" in SCENARIOS


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_a_skeleton_fails_validation_only_on_its_placeholder_lines(
    tmp_path: Path, scenario_id: str
) -> None:
    path, text = _skeleton(tmp_path, scenario_id)
    report = dls.validate(path)
    todo = set(placeholder_lines(text))
    assert report.errors > 0
    assert {f.line for f in report.findings} <= todo, [
        (f.line, f.code, f.message) for f in report.findings if f.line not in todo
    ]
    # and every placeholder is reported: none slips through as a valid value
    assert {f.line for f in report.findings} == todo


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_a_skeleton_holds_every_category_the_scenario_requires(
    tmp_path: Path, scenario_id: str
) -> None:
    _, text = _skeleton(tmp_path, scenario_id)
    data = yaml.safe_load(text)
    resolved = scenarios.resolve(scenario_id)
    required = {k for k, t in resolved.categories.items() if t.requirement == "required"}
    assert required <= set(data["categories"])
    assert data["scenario"] == {"id": scenario_id, "version": resolved.version}
    for key in data["categories"]:
        accepted = resolved.categories[key].accepted()
        assert "#   Accepted metrics: " + accepted[0] in text
        assert all(m in text for m in accepted)


def test_the_first_line_binds_the_schema_for_editors(tmp_path: Path) -> None:
    _, text = _skeleton(tmp_path, "compressed-classifier")
    first, second = text.splitlines()[:2]
    assert first == "# yaml-language-server: $schema=statement-v1.schema.json"
    assert second == "# $schema: statement-v1.schema.json"


def _fill(data: dict[str, Any], scenario_id: str) -> dict[str, Any]:
    """Fill every placeholder of a skeleton with a valid, preserved finding."""
    resolved = scenarios.resolve(scenario_id)
    reg = registry.load()
    data |= {"id": "acme/student-1b/2026-12", "title": "Student-1B distilled from Teacher-8B"}
    data["owners"] = [{"name": "Acme ML team"}]
    data["teacher"] = {"name": "acme/teacher-8b", "revision": "a1b2c3d"}
    data["student"] = {"name": "acme/student-1b", "revision": "e4f5a6b"}
    data["recipe"] = {"methods": ["logit"], "objective": "forward KL on teacher logits, T=2"}
    data["intended_use"] = {"summary": "A small model for the scenario's deployment."}
    data["summary"] = {
        "preserved": "Every measured capability stayed within tolerance.",
        "lost": "Nothing measurable was lost on these evaluations.",
        "acceptable_because": "No loss beyond the scenario's tolerances was found.",
    }
    for key, section in data["categories"].items():
        target = resolved.categories[key]
        metric_id = next(m for m in target.accepted() if m in reg.metrics)
        metric = reg.metrics[metric_id]
        lo, hi = metric.range
        value = metric.target if metric.target is not None else 0.5 if hi == 1 else 1.0
        assert lo is None or value >= lo
        finding = section["findings"][0]
        finding["metric"] = metric_id
        finding["evaluation"] = {
            "benchmark": "held-out evaluation set",
            "items": max(2000, target.target_for(metric_id).min_items or 0),
        }
        finding["teacher"] = finding["student"] = value
        finding["interval"] = {
            "lower": -0.001,
            "upper": 0.001,
            "level": 0.95,
            "method": "bootstrap",
        }
        finding["status"] = "preserved"
    return data


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_a_filled_skeleton_passes_validation(tmp_path: Path, scenario_id: str) -> None:
    _, text = _skeleton(tmp_path, scenario_id)
    filled = _fill(yaml.safe_load(text), scenario_id)
    path = tmp_path / "filled.dls.yaml"
    path.write_text(yaml.safe_dump(filled, sort_keys=False), encoding="utf-8")
    report = dls.validate(path)
    assert report.errors == 0, [(f.line, f.code, f.message) for f in report.findings]
    assert report.ok
    assert {row.verdict for row in report.verdicts} == {"preserved"}
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output


def test_init_writes_the_file_and_never_overwrites_it(tmp_path: Path) -> None:
    target = tmp_path / "model.dls.yaml"
    runner = CliRunner()
    first = runner.invoke(main, ["init", "--scenario", "compressed-classifier", "-o", str(target)])
    assert first.exit_code == 0, first.output
    assert "values marked TODO" in first.stderr
    assert target.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    target.write_text("my statement", encoding="utf-8")
    second = runner.invoke(main, ["init", "--scenario", "compressed-classifier", "-o", str(target)])
    assert second.exit_code == 2
    assert "already exists" in second.stderr
    assert target.read_text(encoding="utf-8") == "my statement"
    third = runner.invoke(
        main, ["init", "--scenario", "compressed-classifier", "-o", str(target), "--force"]
    )
    assert third.exit_code == 0
    assert "format: dls-statement/v1" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.dls.yaml"]


def test_init_prints_to_stdout_without_an_output_file() -> None:
    result = CliRunner().invoke(main, ["init", "--scenario", "retrieval-grounded-qa"])
    assert result.exit_code == 0
    assert "  id: retrieval-grounded-qa" in result.stdout
    assert f"      - id: {finding_id('grounding')}" in result.stdout


def test_init_can_write_the_schema_for_editors(tmp_path: Path) -> None:
    target = tmp_path / "model.dls.yaml"
    args = ["init", "--scenario", "compressed-classifier", "-o", str(target)]
    result = CliRunner().invoke(main, [*args, "--schema-ref", "s.json", "--write-schema"])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").splitlines()[0].endswith("$schema=s.json")
    schema = (tmp_path / "s.json").read_text(encoding="utf-8")
    assert '"$id": "urn:dls:schema:statement:v1"' in schema


def test_init_refuses_an_abstract_scenario() -> None:
    result = CliRunner().invoke(main, ["init", "--scenario", "base"])
    assert result.exit_code == 2
    assert "abstract" in result.stderr
    assert "general-chat-assistant" in result.stderr


def test_init_refuses_an_unknown_scenario() -> None:
    result = CliRunner().invoke(main, ["init", "--scenario", "no-such-scenario"])
    assert result.exit_code == 2
    assert "unknown scenario 'no-such-scenario'" in result.stderr


def test_init_references_a_scenario_file_by_path(tmp_path: Path) -> None:
    src = scenarios.builtin_dir() / "compressed-classifier.dls-scenario.yaml"
    own = src.read_text(encoding="utf-8").replace(
        "id: compressed-classifier", "id: acme/classifier"
    )
    (tmp_path / "scenarios").mkdir()
    scenario_file = tmp_path / "scenarios" / "acme.dls-scenario.yaml"
    scenario_file.write_text(own, encoding="utf-8")
    target = tmp_path / "model.dls.yaml"
    result = CliRunner().invoke(main, ["init", "--scenario", str(scenario_file), "-o", str(target)])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["scenario"]["id"] == "acme/classifier"
    assert data["scenario"]["path"] == "scenarios/acme.dls-scenario.yaml"
