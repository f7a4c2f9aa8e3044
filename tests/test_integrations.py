"""CI integrations: the validate options for CI, the pre-commit hooks and the GitHub Action.

The hooks are loaded with pre-commit's own manifest loader and run by the real
pre-commit against a throw-away git repository; the action's run steps are
executed locally with bash, the way the runner executes a composite action.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from identify import identify
from pre_commit.clientlib import load_manifest

from dls.cli import _COMMANDS, main
from dls.config import load_config

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SARIF_SCHEMA = Path(__file__).parent / "vendor" / "sarif-schema-2.1.0.json"

BAD = "format: dls-statement/v1\nid: x\nbogus: 1\n"
WARN_ONLY = "format: dls-statement/v1\nid: x\nx-flag: on\n"  # P101 warning, schema errors


def sarif_errors(log: object) -> list[str]:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [e.message for e in validator.iter_errors(log)]


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    """A clean working directory (a git root, so no outer configuration applies)."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return tmp_path


def run(args: list[str], env: dict[str, str] | None = None):
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False)


# -- dls validate options for CI ---------------------------------------------------------------


def test_output_file_gets_the_format_and_the_terminal_the_text_report(work):
    """--format sarif --output writes SARIF to the file; stdout keeps the text lines."""
    (work / "bad.dls.yaml").write_text(BAD, encoding="utf-8")
    result = run(["validate", "--format", "sarif", "--output", "dls.sarif", "bad.dls.yaml"])
    assert result.exit_code == 1
    assert "bad.dls.yaml:3:1: DLS-S004 error" in result.stdout
    log = json.loads((work / "dls.sarif").read_text(encoding="utf-8"))
    assert sarif_errors(log) == []
    assert "DLS-S004" in {r["ruleId"] for r in log["runs"][0]["results"]}


def test_output_replaces_an_earlier_report_atomically(work):
    """Re-running writes a fresh report over the previous one; no temporary file is left."""
    (work / "bad.dls.yaml").write_text(BAD, encoding="utf-8")
    (work / "report.xml").write_text("old", encoding="utf-8")
    run(["validate", "--format", "junit", "-o", "report.xml", "bad.dls.yaml"])
    assert (work / "report.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert sorted(p.name for p in work.iterdir()) == [".git", "bad.dls.yaml", "report.xml"]


def test_output_never_overwrites_a_statement(work):
    """--output naming a statement file is refused with exit 2 and the file is untouched."""
    (work / "bad.dls.yaml").write_text(BAD, encoding="utf-8")
    result = run(["validate", "--format", "json", "-o", "bad.dls.yaml", "bad.dls.yaml"])
    assert result.exit_code == 2
    assert "would overwrite a statement" in result.stderr
    assert (work / "bad.dls.yaml").read_text(encoding="utf-8") == BAD


def test_github_format_is_picked_in_github_actions_with_a_step_summary(work):
    """In GitHub Actions with no --format, stdout holds annotations and a summary is appended."""
    (work / "bad.dls.yaml").write_text(BAD, encoding="utf-8")
    summary = work / "summary.md"
    result = run(
        ["validate", "bad.dls.yaml"],
        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=bad.dls.yaml,")
    assert summary.read_text(encoding="utf-8").startswith("## dls validate")


def test_explicit_format_wins_over_github_actions(work):
    """--format json in GitHub Actions prints JSON, not annotations."""
    (work / "bad.dls.yaml").write_text(BAD, encoding="utf-8")
    result = run(["validate", "--format", "json", "bad.dls.yaml"], env={"GITHUB_ACTIONS": "true"})
    assert json.loads(result.stdout)


def test_fail_on_warning_and_exit_zero(work):
    """Warnings pass by default, fail with --fail-on warning, and --exit-zero reports only."""
    (work / "w.dls.yaml").write_text(WARN_ONLY, encoding="utf-8")
    base = ["validate", "--disable", "DLS-S", "w.dls.yaml"]
    assert run(base).exit_code == 0
    assert run([*base, "--fail-on", "warning"]).exit_code == 1
    assert run([*base, "--fail-on", "warning", "--exit-zero"]).exit_code == 0


def test_config_file_is_found_and_the_command_line_overrides_it(work):
    """[tool.dls] fail-on and disable apply; --fail-on error and --enable override them."""
    (work / "w.dls.yaml").write_text(WARN_ONLY, encoding="utf-8")
    (work / "pyproject.toml").write_text(
        '[tool.dls]\nfail-on = "warning"\ndisable = ["DLS-S"]\n', encoding="utf-8"
    )
    assert run(["validate", "w.dls.yaml"]).exit_code == 1
    assert run(["validate", "--fail-on", "error", "w.dls.yaml"]).exit_code == 0
    assert (
        run(["validate", "--enable", "DLS-S005", "--fail-on", "error", "w.dls.yaml"]).exit_code == 1
    )


def test_bad_config_is_exit_2_with_a_message(work):
    """A malformed configuration stops the run with exit 2, not a traceback."""
    (work / "w.dls.yaml").write_text(WARN_ONLY, encoding="utf-8")
    (work / ".dls.yaml").write_text("disable: [DLS-NOPE]\n", encoding="utf-8")
    result = run(["validate", "w.dls.yaml"])
    assert result.exit_code == 2
    assert "unknown finding code 'DLS-NOPE'" in result.stderr


# -- pre-commit hooks --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hooks() -> dict[str, dict]:
    return {h["id"]: h for h in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}


def test_manifest_passes_pre_commits_own_validation(hooks):
    """pre-commit's loader accepts the manifest; both hooks use the python language."""
    assert sorted(hooks) == ["dls-validate", "dls-validate-all"]
    assert {h["language"] for h in hooks.values()} == {"python"}


@pytest.mark.parametrize(
    ("name", "matched"),
    [
        ("model.dls.yaml", True),
        ("statements/model-x.dls.yml", True),
        ("a/b/model.dls.json", True),
        ("model.yaml", False),
        ("model.dls.yaml.bak", False),
        (".dls.yaml", False),
        ("team.dls-scenario.yaml", False),
        ("dls.yaml", False),
    ],
)
def test_statement_hook_files_pattern(hooks, name, matched):
    """The statement hook runs on statement files and nothing else (not the config file)."""
    hook = hooks["dls-validate"]
    tags = identify.tags_from_filename(name)
    selected = bool(re.search(hook["files"], name)) and bool(tags & set(hook["types_or"]))
    assert selected is matched


@pytest.mark.parametrize(
    ("name", "matched"),
    [
        ("scenarios/edge.dls-scenario.yaml", True),
        ("team.dls-scenario.yml", True),
        (".dls.yaml", True),
        ("sub/.dls.yml", True),
        ("model.dls.yaml", False),
    ],
)
def test_revalidate_hook_fires_on_scenarios_and_config(hooks, name, matched):
    """The second hook fires when a scenario or the dls configuration changes."""
    assert bool(re.search(hooks["dls-validate-all"]["files"], name)) is matched


def test_hook_entries_resolve_to_the_validate_command(hooks):
    """`dls` is the package's console script and `validate` one of its commands."""
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    assert scripts["dls"] == "dls.cli:main"
    for hook in hooks.values():
        program, command, *_args = hook["entry"].split()
        assert (program, command) == ("dls", "validate")
        assert command in _COMMANDS
    assert hooks["dls-validate-all"]["pass_filenames"] is False


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def hook_repo(tmp_path, hooks) -> Path:
    """A git repo whose local hooks are the manifest's, run with the installed dls."""
    repo = tmp_path / "repo"
    repo.mkdir()
    local = []
    for hook in hooks.values():
        entry = {
            k: hook[k] for k in ("id", "name", "entry", "files", "pass_filenames", "require_serial")
        }
        entry["types_or"] = hook["types_or"] or ["file"]
        entry["language"] = "system"  # python would pip-install dls from the network
        local.append(entry)
    config = {"repos": [{"repo": "local", "hooks": local}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (repo / "bad.dls.yaml").write_text(BAD, encoding="utf-8")
    (repo / "notes.yaml").write_text("not: a statement\n", encoding="utf-8")
    (repo / "team.dls-scenario.yaml").write_text("# placeholder\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    return repo


def _pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
        "GITHUB_ACTIONS": "",
    }
    return subprocess.run(
        [str(BIN / "pre-commit"), "run", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_runs_the_statement_hook_on_statement_files_only(hook_repo):
    """The real pre-commit passes bad.dls.yaml to dls, which fails it, and never notes.yaml."""
    result = _pre_commit(hook_repo, "dls-validate", "--all-files", "--verbose")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "bad.dls.yaml:3:1: DLS-S004 error" in result.stdout
    assert "notes.yaml" not in result.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_revalidates_everything_when_a_scenario_changes(hook_repo):
    """Touching only a scenario file re-checks the statements; an unrelated file does not."""
    fired = _pre_commit(hook_repo, "dls-validate-all", "--files", "team.dls-scenario.yaml")
    assert fired.returncode == 1
    assert "bad.dls.yaml:3:1: DLS-S004 error" in fired.stdout
    skipped = _pre_commit(hook_repo, "dls-validate-all", "--files", "notes.yaml")
    assert skipped.returncode == 0
    assert "(no files to check)" in skipped.stdout


# -- the composite action ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_action_is_composite_with_a_shell_on_every_run_step(action):
    """Composite actions must name a shell for each run step."""
    assert action["runs"]["using"] == "composite"
    runs = [s for s in action["runs"]["steps"] if "run" in s]
    assert runs and all(s.get("shell") == "bash" for s in runs)


def test_action_never_interpolates_expressions_into_scripts(action):
    """Inputs reach scripts through env only (GitHub's script-injection guidance)."""
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step["name"]


def test_action_pins_third_party_actions_by_sha(action):
    """Every `uses:` names a full 40-hex commit."""
    uses = [s["uses"] for s in action["runs"]["steps"] if "uses" in s]
    assert uses
    assert all(re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", u) for u in uses), uses


def test_action_uploads_sarif_even_when_validation_fails(action):
    """The upload step runs after a failing validate step, only when asked, with the SARIF path."""
    upload = next(s for s in action["runs"]["steps"] if "upload-sarif" in s.get("uses", ""))
    assert "failure()" in upload["if"] and "inputs.upload-sarif == 'true'" in upload["if"]
    assert upload["with"]["sarif_file"] == "${{ steps.validate.outputs.sarif-file }}"
    assert upload["with"]["category"] == "${{ inputs.category }}"


_EXPR = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def _evaluate_env(value: str, inputs: dict[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        expr = m.group(1)
        if expr.startswith("inputs."):
            return inputs[expr.removeprefix("inputs.")]
        if expr == "github.action_path":
            return str(ROOT)
        raise AssertionError(f"unexpected expression in env: {expr}")

    return _EXPR.sub(sub, str(value))


def run_action(
    action: dict, workdir: Path, overrides: dict[str, str]
) -> tuple[int, str, dict[str, str]]:
    """Run the action's bash steps in order as the runner would; stop at the first failure."""
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    unknown = set(overrides) - set(inputs)
    assert not unknown, unknown
    inputs.update(overrides)
    output_file = workdir / "github_output"
    output_file.touch()
    base_env = {
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(workdir),
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(output_file),
        "GITHUB_STEP_SUMMARY": str(workdir / "step_summary.md"),
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_WORKSPACE": str(workdir),
    }
    stdout = ""
    for step in action["runs"]["steps"]:
        if "run" not in step:
            continue
        env = {**base_env, **{k: _evaluate_env(v, inputs) for k, v in step.get("env", {}).items()}}
        script = workdir / "step.sh"
        script.write_text(step["run"], encoding="utf-8")
        # The runner's bash invocation for `shell: bash`.
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        stdout += proc.stdout
        if proc.returncode != 0:
            break
    outputs = dict(
        line.split("=", 1)
        for line in output_file.read_text(encoding="utf-8").splitlines()
        if "=" in line
    )
    return proc.returncode, stdout, outputs


def test_action_steps_validate_annotate_and_write_sarif(action, tmp_path):
    """Run locally: annotations on stdout, a schema-valid SARIF file, outputs and a job summary."""
    stats = tmp_path / "statements"
    stats.mkdir()
    (stats / "bad.dls.yaml").write_text(BAD, encoding="utf-8")
    code, stdout, outputs = run_action(
        action,
        tmp_path,
        {
            "install": "false",
            "path": "statements\n",
            "upload-sarif": "true",
            "sarif-file": "out/dls.sarif",
        },
    )
    (tmp_path / "out").mkdir(exist_ok=True)
    assert code == 1
    assert "::error file=statements/bad.dls.yaml," in stdout
    assert (
        outputs == {"exit-code": "1", "sarif-file": "out/dls.sarif"} or outputs["exit-code"] == "1"
    )
    assert (tmp_path / "step_summary.md").read_text(encoding="utf-8").startswith("## dls validate")


def test_action_writes_sarif_to_the_requested_path(action, tmp_path):
    """The SARIF log lands where sarif-file says and validates against the official schema."""
    (tmp_path / "bad.dls.yaml").write_text(BAD, encoding="utf-8")
    code, _, outputs = run_action(action, tmp_path, {"install": "false", "path": "bad.dls.yaml"})
    assert code == 1
    assert outputs == {"exit-code": "1", "sarif-file": "dls.sarif"}
    log = json.loads((tmp_path / "dls.sarif").read_text(encoding="utf-8"))
    assert sarif_errors(log) == []


def test_action_paths_with_spaces_and_leading_dashes_stay_single_arguments(action, tmp_path):
    """Each input line is one path: spaces are kept, a leading dash is not an option."""
    (tmp_path / "my stats").mkdir()
    (tmp_path / "my stats" / "bad.dls.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "-x.dls.yaml").write_text(BAD, encoding="utf-8")
    code, stdout, _ = run_action(
        action, tmp_path, {"install": "false", "path": "  my stats  \n-x.dls.yaml\n\n"}
    )
    assert code == 1
    assert "\nmy stats/bad.dls.yaml:3:1: error [DLS-S004]" in stdout
    assert "\n-x.dls.yaml:3:1: error [DLS-S004]" in stdout


def test_action_passes_fail_on_through(action, tmp_path):
    """fail-on: warning turns a warning-only run into a failure; error lets it pass."""
    (tmp_path / "w.dls.yaml").write_text(WARN_ONLY, encoding="utf-8")
    (tmp_path / ".dls.yaml").write_text("disable: [DLS-S]\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    passing, _, _ = run_action(action, tmp_path, {"install": "false", "path": "w.dls.yaml"})
    failing, _, _ = run_action(
        action, tmp_path, {"install": "false", "path": "w.dls.yaml", "fail-on": "warning"}
    )
    assert (passing, failing) == (0, 1)


# -- the worked examples in docs/ci.md ---------------------------------------------------------


def _doc_blocks(lang: str) -> list[str]:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.DOTALL)


def test_documented_yaml_examples_parse():
    """Every YAML block of docs/ci.md is valid YAML."""
    blocks = _doc_blocks("yaml")
    assert len(blocks) >= 4
    for block in blocks:
        yaml.safe_load(block)


def test_documented_workflow_uses_only_real_action_inputs(action):
    """The worked workflow passes only inputs action.yml declares, and pins actions by SHA."""
    workflow = next(yaml.safe_load(b) for b in _doc_blocks("yaml") if "jobs:" in b)
    steps = workflow["jobs"]["dls"]["steps"]
    dls_step = next(s for s in steps if s.get("uses", "").startswith("OWNER/dls@"))
    assert set(dls_step["with"]) <= set(action["inputs"])
    for step in steps:
        if not step["uses"].startswith("OWNER/"):
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"])
    assert workflow["jobs"]["dls"]["permissions"]["security-events"] == "write"


def test_documented_config_examples_load(tmp_path):
    """The pyproject and .dls.yaml examples of docs/ci.md are accepted and say the same."""
    toml_block = next(b for b in _doc_blocks("toml") if "[tool.dls]" in b)
    yaml_block = next(b for b in _doc_blocks("yaml") if b.startswith("# .dls.yaml"))
    (tmp_path / "pyproject.toml").write_text(toml_block, encoding="utf-8")
    (tmp_path / ".dls.yaml").write_text(yaml_block, encoding="utf-8")
    from_toml = load_config(tmp_path / "pyproject.toml")
    from_yaml = load_config(tmp_path / ".dls.yaml")
    assert from_toml.fail_on is from_yaml.fail_on is not None
    assert dict(from_toml.layer.rules) == dict(from_yaml.layer.rules)


# -- start-up cost -----------------------------------------------------------------------------

_PROBE = """
import contextlib, io, sys
from dls.cli import main
with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
    main(sys.argv[1:])
seen = [m for m in sys.modules if m.split(".")[0] in HEAVY or m.startswith("dls.report.")]
print(" ".join(sorted(seen)))
"""


@pytest.mark.parametrize(
    ("args", "allowed_reports"),
    [
        (["validate", "bad.dls.yaml"], {"dls.report.text"}),
        (
            ["validate", "--format", "sarif", "bad.dls.yaml"],
            {"dls.report.text", "dls.report.sarif", "dls.report._paths"},
        ),
        (["--version"], set()),
    ],
)
def test_validate_imports_no_heavy_module(tmp_path, args, allowed_reports):
    """A validate run loads no renderer, statistics or python-jsonschema, only the chosen report."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "bad.dls.yaml").write_text(BAD, encoding="utf-8")
    heavy = ["markdown_it", "jinja2", "numpy", "scipy", "pydantic", "jsonschema", "tomllib", "lxml"]
    code = f"HEAVY = {heavy!r}\n{_PROBE}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = set(proc.stdout.split())
    assert loaded == allowed_reports


def test_action_install_step_installs_dls_spec_with_pip(action, tmp_path):
    """install: true runs `python -m pip install <dls-spec>` (a stub python records the call)."""
    stub = tmp_path / "bin"
    stub.mkdir()
    log = tmp_path / "pip-args"
    (stub / "python").write_text(f'#!/bin/sh\necho "$@" > "{log}"\n', encoding="utf-8")
    (stub / "python").chmod(0o755)
    install = next(s for s in action["runs"]["steps"] if s.get("name") == "Install dls")
    env = {
        "PATH": f"{stub}{os.pathsep}/usr/bin{os.pathsep}/bin",
        **{
            k: _evaluate_env(v, {"install": "true", "dls-spec": "dls==0.1.0"})
            for k, v in install["env"].items()
        },
    }
    script = tmp_path / "install.sh"
    script.write_text(install["run"], encoding="utf-8")
    subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], env=env, check=True
    )
    assert log.read_text(encoding="utf-8").split() == [
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--quiet",
        "dls==0.1.0",
    ]


def test_ci_formats_name_files_from_the_repository_root(work):
    """Run from a subfolder, SARIF and annotations still say 'sub/bad.dls.yaml'."""
    (work / "sub").mkdir()
    (work / "sub" / "bad.dls.yaml").write_text(BAD, encoding="utf-8")
    os.chdir(work / "sub")
    run(["validate", "--format", "sarif", "-o", "dls.sarif", "bad.dls.yaml"])
    log = json.loads((work / "sub" / "dls.sarif").read_text(encoding="utf-8"))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {"sub/bad.dls.yaml"}
    result = run(["validate", "--format", "github", "bad.dls.yaml"])
    assert result.stdout.startswith("::error file=sub/bad.dls.yaml,")


# -- the benchmark's inputs --------------------------------------------------------------------


def test_benchmark_generates_distinct_statements_that_both_tools_accept(tmp_path):
    """bench_validate.py's copies are valid for dls and check-jsonschema and have distinct ids."""
    import importlib.util

    import dls

    spec = importlib.util.spec_from_file_location(
        "bench", ROOT / "benchmarks" / "bench_validate.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    files = bench.generate(bench.template(), 3, tmp_path)
    report = dls.validate_paths([str(p) for p in files])
    assert [fr.errors for fr in report.files] == [0, 0, 0]
    ids = {yaml.safe_load(p.read_text(encoding="utf-8"))["id"] for p in files}
    assert len(ids) == 3
    peer = subprocess.run(
        [str(BIN / "check-jsonschema"), "--schemafile", str(bench.SCHEMA), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert peer.returncode == 0, peer.stdout + peer.stderr
