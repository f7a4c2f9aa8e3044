"""`dls explain`: codes, categories and metrics explained from the same data the checks use."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dls import codes, registry
from dls.authoring.explain import explain
from dls.cli import main
from dls.errors import UsageError


def test_a_code_is_explained_with_its_meaning_and_fix() -> None:
    result = CliRunner().invoke(main, ["explain", "DLS-S004"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert out.startswith("DLS-S004: A key is not part of the format.")
    assert "unknown-property" in out
    assert "severity: error" in out
    assert "Extensions go under keys starting with" in out
    assert "prefix your own keys with `x-`" in out


@pytest.mark.parametrize("spelling", ["DLS-S004", "dls-s004", "S004", "unknown-property"])
def test_a_code_can_be_named_by_code_short_code_or_name(spelling: str) -> None:
    assert explain(spelling).name == "DLS-S004"


def test_every_catalogued_code_can_be_explained() -> None:
    for code in codes.CATALOG.values():
        text = " ".join(explain(code.code).text().split())
        assert code.summary in text
        assert code.fix in text


def test_a_category_lists_its_definition_and_metrics() -> None:
    out = CliRunner().invoke(main, ["explain", "privacy"]).stdout
    assert out.startswith("privacy: Privacy")
    assert "membership" in out
    for metric_id in ("mia_auc", "extraction_rate", "pii_leak_rate"):
        assert metric_id in out


def test_a_category_lists_metrics_it_also_accepts() -> None:
    found = dict(explain("process").fields)
    assert "step_error_rate" in found["metrics"]
    assert "accuracy" in found["also accepted"]


def test_a_metric_shows_direction_range_unit_formula_and_tolerance() -> None:
    fields = dict(explain("ece_equal_width").fields)
    assert fields["direction"] == "lower is better"
    assert fields["range"] == "[0, 1]"
    assert fields["unit"] == "proportion"
    assert fields["formula"] == "sum_m (|B_m|/n) |acc(B_m) - conf(B_m)|"
    assert fields["tolerance"].startswith("0.02 proportion (absolute)")
    assert fields["parameters"].startswith("bins=15")


def test_a_closer_to_metric_names_its_target() -> None:
    fields = dict(explain("mia_auc").fields)
    assert fields["direction"] == "closer to a target value is better (target 0.5)"


def test_every_registry_metric_can_be_explained() -> None:
    reg = registry.load()
    for metric in reg.metrics.values():
        fields = dict(explain(metric.id).fields)
        assert fields["definition"] == metric.definition
        assert fields["formula"] == metric.formula


def test_an_unknown_name_exits_2_with_a_suggestion() -> None:
    result = CliRunner().invoke(main, ["explain", "accurracy"])
    assert result.exit_code == 2
    assert "unknown code, category or metric 'accurracy'" in result.stderr
    assert "did you mean accuracy" in result.stderr


def test_a_misspelt_code_suggests_the_code() -> None:
    with pytest.raises(UsageError) as info:
        explain("DLS-S0004")
    assert info.value.hint is not None
    assert "DLS-S004" in info.value.hint


def test_list_names_every_code_category_and_metric() -> None:
    out = CliRunner().invoke(main, ["explain", "--list"]).stdout
    for name in [*codes.CATALOG, *registry.load().categories, *registry.load().metrics]:
        assert f"  {name}\n" in out


def test_a_metric_in_a_scenario_shows_its_tolerance_and_whether_a_loss_blocks() -> None:
    result = CliRunner().invoke(
        main, ["explain", "harmful_compliance_rate", "--scenario", "general-chat-assistant"]
    )
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert (
        "in general-chat-assistant v1: required category safety; tolerance 0.02 (registry); "
        "at least 200 items; interval optional; a loss blocks" in out
    )


def test_a_category_in_a_scenario_shows_its_requirement_and_accepted_metrics() -> None:
    out = CliRunner().invoke(main, ["explain", "safety", "--scenario", "general-chat-assistant"])
    text = " ".join(out.stdout.split())
    assert "in general-chat-assistant v1: required; accepts harmful_compliance_rate," in text


def test_a_metric_a_scenario_does_not_accept_says_so(tmp_path: Path) -> None:
    own = tmp_path / "narrow.dls-scenario.yaml"
    own.write_text(
        "format: dls-scenario/v1\nid: acme/narrow\nversion: 1\ntitle: Narrow\nextends: base\n"
        "summary: Accuracy only.\nsetting: A test scenario.\nrationale: Only accuracy counts.\n"
        "categories:\n  task_performance:\n    accepted_metrics: [accuracy]\n",
        encoding="utf-8",
    )
    out = CliRunner().invoke(main, ["explain", "top1_agreement", "--scenario", str(own)])
    assert out.exit_code == 0, out.output
    assert "in acme/narrow v1: not accepted as evidence in any category" in " ".join(
        out.stdout.split()
    )


def test_an_unknown_scenario_exits_2() -> None:
    result = CliRunner().invoke(main, ["explain", "accuracy", "--scenario", "no-such"])
    assert result.exit_code == 2
    assert "unknown scenario 'no-such'" in result.stderr
