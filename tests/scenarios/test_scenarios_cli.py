"""``dls scenarios list`` and ``dls scenarios show``, and the generated docs/scenarios.md."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from dls import scenario_docs
from dls.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_list_prints_a_table_of_every_builtin_scenario():
    code, out, _ = run("scenarios", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["ID", "VERSION", "REQUIRED"]
    assert any(line.startswith("retrieval-grounded-qa ") and "grounding" in line for line in lines)
    assert any(line.startswith("base ") and line.endswith("(abstract)") for line in lines)


def test_list_as_json_gives_ids_versions_and_requirements():
    code, out, _ = run("scenarios", "list", "--format", "json")
    assert code == 0
    data = {s["id"]: s for s in json.loads(out)}
    assert data["privacy-sensitive-data"]["required"] == ["task_performance", "privacy"]
    assert data["privacy-sensitive-data"]["version"] == 1
    assert data["on-device-assistant"]["extends"] == ["general-chat-assistant", "base"]
    assert data["base"]["abstract"] is True
    assert len(data["creative-generation"]["sha256"]) == 64


def test_show_prints_the_resolved_targets_after_inheritance():
    code, out, _ = run("scenarios", "show", "on-device-assistant")
    assert code == 0
    assert out.startswith("on-device-assistant v1: On-device (edge) assistant\n")
    assert "extends: general-chat-assistant -> base" in out
    # inherited from general-chat-assistant: safety required and not waivable
    safety = out[out.index("\nsafety: required") :].splitlines()
    asr = next(line for line in safety if line.split()[:1] == ["attack_success_rate"])
    assert asr.split() == [
        "attack_success_rate",
        "lower",
        "is",
        "better",
        "0.02",
        "200",
        "no",
        "no",
    ]
    assert "\ndiversity: optional" in out


def test_show_as_json_lists_every_category_with_per_metric_settings():
    code, out, _ = run("scenarios", "show", "high-stakes-decision-support", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["id"] == "high-stakes-decision-support" and data["extends"] == ["base"]
    unc = data["categories"]["uncertainty"]
    assert unc["requirement"] == "required"
    assert unc["metrics"]["ece_equal_width"] == {
        "tolerance": {"absolute": 0.01},
        "tolerance_source": "scenario metric",
        "min_items": 1000,
        "interval_required": True,
        "waivable": False,
    }
    assert unc["metrics"]["nll"]["tolerance"] == {"relative": 0.05}
    assert unc["metrics"]["nll"]["tolerance_source"] == "registry"


def test_show_accepts_a_scenario_file(tmp_path: Path):
    path = tmp_path / "org.dls-scenario.yaml"
    path.write_text(
        "format: dls-scenario/v1\nid: acme/org\nversion: 4\ntitle: Org chat\n"
        "extends: general-chat-assistant\nsummary: s\nsetting: s\nrationale: r\n",
        encoding="utf-8",
    )
    code, out, _ = run("scenarios", "show", str(path), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["id"], data["version"], data["extends"]) == (
        "acme/org",
        4,
        ["general-chat-assistant", "base"],
    )


def test_show_of_an_unknown_scenario_exits_2_with_a_suggestion():
    code, out, err = run("scenarios", "show", "creative-generaton")
    assert code == 2
    assert out == ""
    assert "unknown scenario 'creative-generaton'; did you mean 'creative-generation'?" in err


def test_the_committed_scenarios_page_is_generated_from_the_files():
    """Regenerate with: python -m dls.scenario_docs > docs/scenarios.md"""
    committed = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    assert committed == scenario_docs.markdown_page()


def test_the_scenarios_page_covers_every_builtin_with_its_rationale_and_targets():
    page = scenario_docs.markdown_page()
    for s in scenario_docs.library():
        assert f"\n### {s.id} " in page
        assert " ".join(s.rationale.split()) in page
    assert "| uncertainty | `ece_equal_width` | lower is better | 0.01 | 1000 | yes | no |" in page


def test_the_own_scenario_example_on_the_page_validates_cleanly(tmp_path: Path):
    import dls

    page = scenario_docs.markdown_page()
    example = page.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "acme-support.dls-scenario.yaml"
    path.write_text(example, encoding="utf-8")
    report = dls.validate(path)
    assert report.kind == "scenario" and report.findings == []
    code, out, _ = run("scenarios", "show", str(path), "--format", "json")
    assert code == 0
    grounding = json.loads(out)["categories"]["grounding"]
    assert grounding["requirement"] == "required"
    assert grounding["metrics"]["x-acme.policy_accuracy"]["tolerance"] == {"absolute": 0.01}
