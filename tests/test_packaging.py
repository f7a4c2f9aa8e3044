"""The built wheel carries the schemas and scenarios and works when installed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("dls-*.whl")
    return found


@pytest.mark.slow
def test_the_wheel_ships_every_root_schema_and_scenario_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("schema", "scenarios"):
        for path in (ROOT / folder).iterdir():
            if path.is_file():
                assert f"dls/_data/{folder}/{path.name}" in names
    assert "dls/py.typed" in names


@pytest.mark.slow
def test_the_installed_wheel_loads_its_schema_and_validates_without_the_checkout(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    statement = tmp_path / "s.dls.yaml"
    statement.write_text((ROOT / "tests" / "cases" / "valid" / "minimal.dls.yaml").read_text())
    code = (
        "import dls, dls.schemas, dls._resources as r;"
        "assert dls.__file__.startswith({!r}), dls.__file__;"
        "assert str(r.data_dir('schema')).startswith({!r});"
        "s = dls.schemas.load_schema('statement-v1.schema.json');"
        "print(s['$id'], dls.validate({!r}).ok)"
    ).format(str(site), str(site / "dls" / "_data"), str(statement))
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["urn:dls:schema:statement:v1", "True"]
