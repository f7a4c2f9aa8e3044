"""The README's example is a valid statement and its outputs are what dls prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dls.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
EXAMPLE = re.search(r"```yaml\n(.*?)```", README, re.S).group(1)  # type: ignore[union-attr]
OUTPUTS = re.findall(r"```console\n\$ dls validate router.dls.yaml\n(.*?)```", README, re.S)


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)

    def invoke(text: str) -> tuple[int, str]:
        Path("router.dls.yaml").write_text(text, encoding="utf-8")
        result = CliRunner().invoke(main, ["validate", "router.dls.yaml"])
        return result.exit_code, result.stdout

    return invoke


def test_the_readme_example_validates_and_prints_the_verdicts_shown(run) -> None:  # type: ignore[no-untyped-def]
    code, out = run(EXAMPLE)
    assert code == 0
    assert out == OUTPUTS[0]


def test_the_readme_misspelt_example_prints_the_findings_shown(run) -> None:  # type: ignore[no-untyped-def]
    broken = EXAMPLE.replace("metric: accuracy", "metric: acuracy").replace(
        "        student: 0.905\n", "        student: 0.905\n        difference: -0.07\n"
    )
    code, out = run(broken)
    assert code == 1
    assert out == OUTPUTS[1]


def test_the_readme_states_exactly_two_set_up_commands() -> None:
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", setup, re.S)
    assert commands == [
        "pip install . && dls validate examples/",
        'pip install ".[test]" && python -m pytest',
    ]
