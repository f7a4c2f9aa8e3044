"""The shape of the code: a library that stands alone, a thin CLI, cheap start-up."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import dls

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "dls"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_cli_package_imports_click() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in PACKAGE.rglob("*.py")
        if "click" in imported_modules(p) and p.relative_to(PACKAGE).parts[0] != "cli"
    ]
    assert offenders == []


def test_numpy_is_imported_only_by_the_evidence_commands() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in PACKAGE.rglob("*.py")
        if "numpy" in imported_modules(p)
        and p.relative_to(PACKAGE).parts[0] != "evidence"
        and p.name != "evidence.py"
    ]
    assert offenders == []


def test_the_public_api_is_sorted_complete_and_importable() -> None:
    assert dls.__all__ == sorted(dls.__all__)
    for name in dls.__all__:
        assert getattr(dls, name) is not None
    assert callable(dls.validate) and callable(dls.load)


def modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.splitlines()[-1]
    return set(json.loads(out))


HEAVY = {"pydantic", "markdown_it", "jinja2", "numpy", "scipy", "huggingface_hub"}


def test_dls_version_imports_nothing_heavy() -> None:
    loaded = modules_after(
        "from dls.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass"
    )
    assert not (HEAVY | {"jsonschema", "jsonschema_rs", "yaml"}) & loaded


def test_validating_one_statement_imports_neither_pydantic_nor_rendering_nor_numpy() -> None:
    statement = ROOT / "tests" / "cases" / "valid" / "minimal.dls.yaml"
    loaded = modules_after(
        "from dls.cli import main\n"
        f"try:\n    main(['validate', {str(statement)!r}])\nexcept SystemExit:\n    pass"
    )
    assert not HEAVY & loaded
