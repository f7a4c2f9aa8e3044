"""``dls validate`` from the command line: paths, exit codes, output streams."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dls.cli import main

MINIMAL = Path(__file__).parent / "cases" / "valid" / "minimal.dls.yaml"
BROKEN = Path(__file__).parent / "cases" / "invalid" / "s012-metric-typo.dls.yaml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding two valid statements in nested folders."""
    (tmp_path / "a" / "b").mkdir(parents=True)
    shutil.copy(MINIMAL, tmp_path / "a" / "one.dls.yaml")
    shutil.copy(MINIMAL, tmp_path / "a" / "b" / "two.dls.yml")
    (tmp_path / "a" / "notes.yaml").write_text("not: a statement\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_valid_statement_exits_0_with_the_summary_on_stderr(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(MINIMAL)])
    assert result.exit_code == 0, result.output
    assert "DLS-" not in result.stdout
    assert "1 file checked, 1 passed, 0 failed" in result.stderr
    assert "1 file checked" not in result.stdout


def test_an_error_finding_exits_1_and_prints_file_line_column_code(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(BROKEN)])
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    path, line, col, rest = first.split(":", 3)
    assert path.endswith("s012-metric-typo.dls.yaml")
    assert (line, col) == ("31", "17")
    assert rest.startswith(" DLS-S012 error: unknown metric 'acuracy' (did you mean 'accuracy'?)")


def test_a_missing_path_exits_2_and_the_other_files_are_still_checked(
    runner: CliRunner, tree: Path
) -> None:
    result = runner.invoke(main, ["validate", "missing.dls.yaml", "a/one.dls.yaml"])
    assert result.exit_code == 2
    assert "missing.dls.yaml: error: missing.dls.yaml: file not found" in result.stdout
    assert "2 files checked, 1 passed, 0 failed, 1 could not be checked" in result.stderr


def test_a_directory_is_searched_recursively_with_the_default_patterns(
    runner: CliRunner, tree: Path
) -> None:
    result = runner.invoke(main, ["validate", "--format", "json", "a"])
    assert result.exit_code == 0, result.output
    files = [f["file"] for f in json.loads(result.stdout)["files"]]
    assert files == ["a/one.dls.yaml", "a/b/two.dls.yml"]


def test_overlapping_arguments_check_each_file_once(runner: CliRunner, tree: Path) -> None:
    result = runner.invoke(
        main, ["validate", "--format", "json", "a", "a/one.dls.yaml", "a/**/*.yml"]
    )
    files = [f["file"] for f in json.loads(result.stdout)["files"]]
    assert sorted(files) == ["a/b/two.dls.yml", "a/one.dls.yaml"]


def test_a_glob_matching_nothing_is_an_error_unless_empty_runs_are_allowed(
    runner: CliRunner, tree: Path
) -> None:
    result = runner.invoke(main, ["validate", "nothing/*.dls.yaml"])
    assert result.exit_code == 2
    assert "no statement found in nothing/*.dls.yaml" in result.stderr
    assert "Traceback" not in result.output
    allowed = runner.invoke(main, ["validate", "--allow-empty", "nothing/*.dls.yaml"])
    assert allowed.exit_code == 0


def test_a_directory_without_statements_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "no statement found" in result.stderr


def test_a_broken_symlink_is_reported_and_the_run_exits_2(runner: CliRunner, tree: Path) -> None:
    os.symlink(tree / "gone.dls.yaml", tree / "a" / "dangling.dls.yaml")
    result = runner.invoke(main, ["validate", "a"])
    assert result.exit_code == 2
    assert "a/dangling.dls.yaml: error: a/dangling.dls.yaml: broken symbolic link" in result.stdout


def test_a_symlink_leaving_the_searched_directory_is_not_followed(
    runner: CliRunner, tree: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "x.dls.yaml"
    shutil.copy(MINIMAL, outside)
    os.symlink(outside, tree / "a" / "escape.dls.yaml")
    result = runner.invoke(main, ["validate", "a"])
    assert result.exit_code == 2
    assert "a/escape.dls.yaml: error: a/escape.dls.yaml: symbolic link leaves a" in result.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_reported_and_the_others_checked(
    runner: CliRunner, tree: Path
) -> None:
    locked = tree / "a" / "locked.dls.yaml"
    shutil.copy(MINIMAL, locked)
    locked.chmod(0)
    result = runner.invoke(main, ["validate", "a"])
    assert result.exit_code == 2
    assert "locked.dls.yaml" in result.stdout


def test_non_ascii_names_are_reported_as_posix_paths(runner: CliRunner, tree: Path) -> None:
    (tree / "é dir").mkdir()
    shutil.copy(BROKEN, tree / "é dir" / "modèle.dls.yaml")
    result = runner.invoke(main, ["validate", "é dir"])
    assert result.stdout.startswith("é dir/modèle.dls.yaml:31:17: DLS-S012")


def test_an_unknown_option_is_a_usage_error_with_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--formt", "json", str(MINIMAL)])
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_the_json_report_is_stable_and_complete(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--format", "json", str(BROKEN)])
    report = json.loads(result.stdout)
    assert report["reportVersion"] == "1"
    assert report["tool"]["name"] == "dls"
    (entry,) = report["files"]
    assert entry["kind"] == "statement" and entry["format"] == "dls-statement/v1"
    assert entry["ok"] is False
    (finding,) = [f for f in entry["findings"] if f["code"] == "DLS-S012"]
    assert finding == {
        "code": "DLS-S012",
        "severity": "error",
        "message": "unknown metric 'acuracy' (did you mean 'accuracy'?)",
        "line": 31,
        "column": 17,
        "endLine": 31,
        "endColumn": 24,
        "pointer": "/categories/task_performance/findings/0/metric",
        "hint": "custom metrics use an id like 'x-acme.toxicity_v2' and declare a direction",
        "data": {"suggestion": "accuracy"},
    }
    assert report["summary"]["errors"] >= 1 and report["summary"]["failed"] == 1


def test_a_file_over_the_size_limit_is_a_finding_not_a_crash(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--max-size", "100", str(MINIMAL)])
    assert result.exit_code == 1
    assert "DLS-P010" in result.stdout


def test_version_and_help_work(runner: CliRunner) -> None:
    from dls import __version__

    assert runner.invoke(main, ["--version"]).output.strip() == f"dls, version {__version__}"
    assert "validate" in runner.invoke(main, ["--help"]).output


def test_the_configuration_file_is_not_taken_for_a_statement(runner: CliRunner, tree: Path) -> None:
    """A `.dls.yaml` next to the statements is dls's configuration, not a statement."""
    (tree / "a" / ".dls.yaml").write_text("fail-on: error\n")
    result = runner.invoke(main, ["validate", "--format", "json", "a"])
    assert result.exit_code == 0, result.output
    files = [f["file"] for f in json.loads(result.stdout)["files"]]
    assert files == ["a/one.dls.yaml", "a/b/two.dls.yml"]
