"""`dls diff`: what changed between two releases of a statement, from computed verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dls.authoring import diffview
from dls.authoring.diff import diff_paths
from dls.cli import main

CASES = Path(__file__).parent / "cases"
NEW_LOSS = CASES / "new-loss"
DROPPED = CASES / "dropped-loss"


def _ids(changes: list) -> list[tuple[str | None, str | None]]:
    return [(c.category, c.id) for c in changes]


def test_a_release_that_introduces_a_loss_shows_it_as_a_new_loss() -> None:
    d = diff_paths(NEW_LOSS / "old.dls.yaml", NEW_LOSS / "new.dls.yaml")
    assert _ids(d.new_losses) == [("uncertainty", "sst2-ece")]
    loss = d.new_losses[0]
    assert (loss.old, loss.new) == ("preserved", "lost")
    assert loss.accepted  # justified with acceptable_because
    assert (loss.teacher, loss.student) == (0.031, 0.068)
    assert loss.line == 38
    assert d.resolved_losses == d.dropped_losses == d.verdict_changes == []


def test_numbers_are_compared_within_their_written_precision() -> None:
    d = diff_paths(NEW_LOSS / "old.dls.yaml", NEW_LOSS / "new.dls.yaml")
    changed = [(c.id, c.field, c.old, c.new) for c in d.number_changes]
    # accuracy went from "0.927" to "0.9270": the same number, so not listed
    assert changed == [
        ("sst2-ece", "student", 0.036, 0.068),
        ("sst2-ece", "interval.lower", -0.004, 0.024),
        ("sst2-ece", "interval.upper", 0.014, 0.05),
    ]
    assert d.number_changes[0].precision == pytest.approx(0.0005)


def test_model_revisions_and_evidence_added_are_reported() -> None:
    d = diff_paths(NEW_LOSS / "old.dls.yaml", NEW_LOSS / "new.dls.yaml")
    assert [(c.field, c.old, c.new) for c in d.model_changes] == [
        ("student.revision", "9b8e7d6", "5c4d3e2")
    ]
    assert [c.id for c in d.evidence_added] == ["ece-records"]
    assert d.evidence_removed == d.evidence_changed == []
    assert d.scenario is None


def test_the_reverse_diff_shows_the_loss_resolved() -> None:
    d = diff_paths(NEW_LOSS / "new.dls.yaml", NEW_LOSS / "old.dls.yaml")
    assert d.new_losses == []
    assert _ids(d.resolved_losses) == [("uncertainty", "sst2-ece")]
    assert (d.resolved_losses[0].old, d.resolved_losses[0].new) == ("lost", "preserved")
    assert [c.id for c in d.evidence_removed] == ["ece-records"]


def test_a_lost_finding_that_disappears_is_not_called_resolved() -> None:
    d = diff_paths(DROPPED / "old.dls.yaml", DROPPED / "new.dls.yaml")
    assert d.resolved_losses == []
    assert _ids(d.dropped_losses) == [("uncertainty", "sst2-ece")]
    assert _ids(d.findings_removed) == [("uncertainty", "sst2-ece")]
    assert [(c.category, c.old, c.new) for c in d.assessment_changes] == [
        ("uncertainty", "assessed", "not_assessed")
    ]
    # the new release is itself invalid (a required category left not assessed)
    assert d.old.ok and not d.new.ok


def test_identical_statements_have_no_changes() -> None:
    d = diff_paths(NEW_LOSS / "old.dls.yaml", NEW_LOSS / "old.dls.yaml")
    assert not d.changed
    assert "no changes" in diffview.text(d)


def test_verdicts_are_computed_not_claimed(tmp_path: Path) -> None:
    """A loss claimed as preserved still shows as a new loss: the verdict is recomputed."""
    text = (NEW_LOSS / "new.dls.yaml").read_text(encoding="utf-8")
    claimed = text.replace("        status: lost\n", "        status: preserved\n")
    assert claimed != text
    new = tmp_path / "claims-preserved.dls.yaml"
    new.write_text(claimed, encoding="utf-8")
    d = diff_paths(NEW_LOSS / "old.dls.yaml", new)
    assert _ids(d.new_losses) == [("uncertainty", "sst2-ece")]
    assert not d.new.ok  # and the validator flags the false claim


def test_a_scenario_version_change_is_reported(tmp_path: Path) -> None:
    text = (NEW_LOSS / "old.dls.yaml").read_text(encoding="utf-8")
    bumped = text.replace(
        "  id: compressed-classifier\n  version: 1", "  id: compressed-classifier\n  version: 2"
    )
    assert bumped != text
    new = tmp_path / "bumped.dls.yaml"
    new.write_text(bumped, encoding="utf-8")
    d = diff_paths(NEW_LOSS / "old.dls.yaml", new)
    assert d.scenario is not None
    assert (d.scenario.old, d.scenario.new) == (
        "compressed-classifier v1",
        "compressed-classifier v2",
    )
    assert "scenario: compressed-classifier v1 -> compressed-classifier v2" in diffview.text(d)


def test_a_change_smaller_than_the_precision_is_not_a_change(tmp_path: Path) -> None:
    text = (NEW_LOSS / "old.dls.yaml").read_text(encoding="utf-8")
    coarse = text.replace("teacher: 0.88\n", "teacher: 0.884\n")  # 0.88 stands for [0.875, 0.885]
    finer = text.replace("teacher: 0.88\n", "teacher: 0.8861\n")  # outside it
    (tmp_path / "a.dls.yaml").write_text(coarse, encoding="utf-8")
    (tmp_path / "b.dls.yaml").write_text(finer, encoding="utf-8")
    assert diff_paths(NEW_LOSS / "old.dls.yaml", tmp_path / "a.dls.yaml").number_changes == []
    changed = diff_paths(NEW_LOSS / "old.dls.yaml", tmp_path / "b.dls.yaml").number_changes
    assert [(c.id, c.field, c.new) for c in changed] == [("ood-auroc", "teacher", 0.8861)]


def test_the_markdown_comment_matches_its_reviewed_golden_file() -> None:
    d = diff_paths(NEW_LOSS / "old.dls.yaml", NEW_LOSS / "new.dls.yaml")
    d.old.file, d.new.file = "old.dls.yaml", "new.dls.yaml"
    golden = (NEW_LOSS / "expected.md").read_text(encoding="utf-8")
    assert diffview.markdown(d) == golden


def test_cli_json_output_is_structured(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "diff",
            str(NEW_LOSS / "old.dls.yaml"),
            str(NEW_LOSS / "new.dls.yaml"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["new_losses"] == [
        {
            "category": "uncertainty",
            "id": "sst2-ece",
            "metric": "ece_equal_width",
            "field": "verdict",
            "old": "preserved",
            "new": "lost",
            "accepted": True,
            "line": 38,
            "teacher": 0.031,
            "student": 0.068,
        }
    ]
    assert data["summary"]["new_losses"] == 1
    assert data["summary"]["changed"] is True
    assert data["old"]["ok"] and data["new"]["ok"]
    assert data["new"]["scenario"] == "compressed-classifier v1"


def test_cli_text_output_leads_with_the_new_loss() -> None:
    result = CliRunner().invoke(
        main, ["diff", str(NEW_LOSS / "old.dls.yaml"), str(NEW_LOSS / "new.dls.yaml")]
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[2] == "New losses (1):"
    assert lines[3].startswith("  uncertainty/sst2-ece (ece_equal_width): preserved -> lost;")


def test_fail_on_new_loss_sets_exit_code_1() -> None:
    args = [
        "diff",
        str(NEW_LOSS / "old.dls.yaml"),
        str(NEW_LOSS / "new.dls.yaml"),
        "--fail-on-new-loss",
    ]
    assert CliRunner().invoke(main, args).exit_code == 1
    reverse = [
        "diff",
        str(NEW_LOSS / "new.dls.yaml"),
        str(NEW_LOSS / "old.dls.yaml"),
        "--fail-on-new-loss",
    ]
    assert CliRunner().invoke(main, reverse).exit_code == 0


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["diff", str(tmp_path / "nope.dls.yaml"), str(NEW_LOSS / "new.dls.yaml")]
    )
    assert result.exit_code == 2
    assert "nope.dls.yaml" in result.stderr


def test_a_file_that_does_not_parse_exits_2_with_the_reason(tmp_path: Path) -> None:
    broken = tmp_path / "broken.dls.yaml"
    broken.write_text("format: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(broken), str(NEW_LOSS / "new.dls.yaml")])
    assert result.exit_code == 2
    assert "cannot diff" in result.stderr
    assert "DLS-P001" in result.stderr


def test_a_claimed_status_is_marked_when_no_verdict_could_be_computed(tmp_path: Path) -> None:
    """A schema error stops the verdict stage: the diff falls back to claims and says so."""
    text = (NEW_LOSS / "new.dls.yaml").read_text(encoding="utf-8")
    broken = text.replace("  objective: forward KL", "  objectiv: forward KL")
    assert broken != text
    new = tmp_path / "broken-schema.dls.yaml"
    new.write_text(broken, encoding="utf-8")
    d = diff_paths(NEW_LOSS / "old.dls.yaml", new)
    assert not d.new.ok
    assert _ids(d.new_losses) == [("uncertainty", "sst2-ece")]
    assert d.new_losses[0].claimed is True
    assert "[claimed status: no verdict could be computed]" in diffview.text(d)
    assert "lost (accepted) (claimed)" not in diffview.markdown(d)
    assert "| lost (claimed) |" in diffview.markdown(d)
    computed = diff_paths(NEW_LOSS / "old.dls.yaml", NEW_LOSS / "new.dls.yaml")
    assert computed.new_losses[0].claimed is None


def test_a_stated_precision_widens_what_counts_as_the_same_number(tmp_path: Path) -> None:
    """`precision: 0.01` says the values are good to ±0.01, whatever digits are written."""
    text = (NEW_LOSS / "old.dls.yaml").read_text(encoding="utf-8")
    old = text.replace(
        "        teacher: 0.88\n", "        precision: 0.01\n        teacher: 0.88\n"
    )
    new = old.replace("teacher: 0.88\n", "teacher: 0.8861\n")
    assert old != text and new != old
    (tmp_path / "old.dls.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "new.dls.yaml").write_text(new, encoding="utf-8")
    d = diff_paths(tmp_path / "old.dls.yaml", tmp_path / "new.dls.yaml")
    assert d.number_changes == []
