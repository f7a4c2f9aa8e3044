"""`dls schema`: the bundled schemas for editors and other tools."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from dls.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_schema_statement_prints_the_committed_schema_byte_for_byte() -> None:
    result = CliRunner().invoke(main, ["schema", "statement"])
    assert result.exit_code == 0, result.output
    committed = (ROOT / "schema" / "statement-v1.schema.json").read_text(encoding="utf-8")
    assert result.stdout == committed


def test_schema_output_is_a_valid_2020_12_schema() -> None:
    result = CliRunner().invoke(main, ["schema", "statement", "--version", "v1"])
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "urn:dls:schema:statement:v1"


def test_schema_accepts_a_version_without_the_v() -> None:
    result = CliRunner().invoke(main, ["schema", "statement", "--version", "1"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["$id"].endswith(":v1")


def test_schema_writes_a_file_and_refuses_to_overwrite_it(tmp_path: Path) -> None:
    target = tmp_path / "statement.schema.json"
    runner = CliRunner()
    first = runner.invoke(main, ["schema", "statement", "-o", str(target)])
    assert first.exit_code == 0, first.output
    assert json.loads(target.read_text(encoding="utf-8"))["title"].startswith("Distillation")
    target.write_text("my edits", encoding="utf-8")
    second = runner.invoke(main, ["schema", "statement", "-o", str(target)])
    assert second.exit_code == 2
    assert "already exists" in second.stderr
    assert target.read_text(encoding="utf-8") == "my edits"
    third = runner.invoke(main, ["schema", "statement", "-o", str(target), "--force"])
    assert third.exit_code == 0
    assert target.read_text(encoding="utf-8") != "my edits"
    assert [p.name for p in tmp_path.iterdir()] == ["statement.schema.json"]


def test_unknown_schema_version_lists_the_bundled_ones() -> None:
    result = CliRunner().invoke(main, ["schema", "statement", "--version", "v99"])
    assert result.exit_code == 2
    assert "no statement schema version 'v99'" in result.stderr
    assert "bundled versions: v1" in result.stderr


def test_unknown_schema_kind_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["schema", "teacher"])
    assert result.exit_code == 2
    assert "teacher" in result.output
