"""VALIDATION.md rows that concern the whole run: deprecated formats, broken schemas, no network."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

import dls
from dls import schemas
from dls.cli import main
from dls.errors import SchemaError

ROOT = Path(__file__).parent.parent
MINIMAL = ROOT / "tests" / "cases" / "valid" / "minimal.dls.yaml"


def test_a_deprecated_format_warns_and_still_validates_with_its_own_schema(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Row 30: deprecated versions keep validating, with a warning naming the format."""
    old = schemas.FORMATS["dls-statement/v1"]
    monkeypatch.setitem(
        schemas.FORMATS,
        "dls-statement/v1",
        schemas.Format(old.name, old.kind, old.version, old.schema_file, deprecated=True),
    )
    report = dls.validate(MINIMAL)
    assert [(f.code, f.line, f.column) for f in report.findings] == [("DLS-S014", 1, 9)]
    assert report.ok


def test_a_broken_bundled_schema_is_a_could_not_run_error_with_exit_2(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Row 42: an invalid schema is not a finding about the statement."""

    def broken(_: str, engine: str | None = None) -> schemas.Engine:
        raise SchemaError("schema statement-v1.schema.json is invalid: unexpected token")

    monkeypatch.setattr(schemas, "engine_for", broken)
    result = CliRunner().invoke(main, ["validate", str(MINIMAL)])
    assert result.exit_code == 2
    assert "error: schema statement-v1.schema.json is invalid" in result.stderr
    assert "Traceback" not in result.output


def test_validation_never_opens_a_network_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """Row 43: everything resolves from the bundled registry."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("dls tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for engine in ("jsonschema-rs", "python-jsonschema"):
        monkeypatch.setenv("DLS_SCHEMA_ENGINE", engine)
        schemas.engine_for.cache_clear()
        paths = [str(MINIMAL), str(ROOT / "scenarios"), str(ROOT / "tests" / "cases" / "invalid")]
        report = dls.validate_paths(paths)
        assert report.files
    schemas.engine_for.cache_clear()
