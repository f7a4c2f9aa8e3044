"""The statement schema: standard, self-consistent, and explained when violated."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import jsonschema_rs
import pytest
import yaml

import dls
from dls import registry, schemas

ROOT = Path(__file__).parent.parent
SCHEMA_FILE = ROOT / "schema" / "statement-v1.schema.json"
VALID = sorted((ROOT / "tests" / "cases" / "valid").glob("*.dls.yaml")) + sorted(
    (ROOT / "examples").glob("*.dls.yaml")
)


def statement_schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text())


def test_the_schema_is_valid_draft_2020_12() -> None:
    schema = statement_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema_rs.meta.validate(schema)


def test_the_schema_id_names_its_version() -> None:
    assert statement_schema()["$id"].endswith(":statement:v1")
    assert statement_schema()["properties"]["format"] == {
        "const": "dls-statement/v1",
        "description": "The format and its version.",
    }


def test_the_schema_metric_ids_are_exactly_the_registry() -> None:
    enum = statement_schema()["$defs"]["metricId"]["else"]["enum"]
    assert enum == list(registry.load().metrics)


def test_the_schema_has_one_section_per_category_in_taxonomy_order() -> None:
    props = statement_schema()["properties"]["categories"]["properties"]
    assert tuple(props) == registry.CATEGORY_KEYS


def test_the_registry_has_at_least_25_metrics_covering_every_category() -> None:
    reg = registry.load()
    assert len(reg.metrics) >= 25
    assert {m.category for m in reg.metrics.values()} == set(registry.CATEGORY_KEYS)
    for m in reg.metrics.values():
        assert m.direction in registry.DIRECTIONS
        assert (m.direction == "closer_to") == (m.target is not None)
        assert m.definition and m.formula and m.unit
        lo, hi = m.range
        assert lo is None or hi is None or lo < hi


def test_the_schema_uses_no_oneof_and_no_python_only_keywords() -> None:
    text = SCHEMA_FILE.read_text()
    assert '"oneOf"' not in text
    known = set(jsonschema.Draft202012Validator.VALIDATORS) | {
        "$schema",
        "$id",
        "$defs",
        "$ref",
        "title",
        "description",
        "format",
        "default",
        "examples",
        "$comment",
        "then",
        "else",
    }

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key not in ("properties", "patternProperties", "$defs"):
                    assert key in known, key
                    walk(value)
                else:
                    for sub in value.values():
                        walk(sub)
        elif isinstance(node, list):
            for sub in node:
                walk(sub)

    walk(statement_schema())


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_statements_pass_other_standard_validators_unchanged(path: Path) -> None:
    """python-jsonschema and jsonschema-rs, straight from the schema file, agree: valid.

    The data comes from dls's YAML 1.2 loader (``6.71e11`` is a number there; YAML 1.1
    loaders read it as a string), then goes to the validators as plain JSON.
    """
    data = json.loads(json.dumps(dls.load(path).data))
    schema = statement_schema()
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(
        data
    )
    assert jsonschema_rs.validator_for(schema, validate_formats=True).is_valid(data)


@pytest.mark.skipif(
    shutil.which("check-jsonschema") is None
    and not (Path(sys.executable).parent / "check-jsonschema").exists(),
    reason="check-jsonschema not installed",
)
def test_check_jsonschema_accepts_the_valid_statements_with_the_same_schema() -> None:
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    result = subprocess.run(
        [exe, "--schemafile", str(SCHEMA_FILE), *map(str, VALID)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_bundled_schema_resolves_through_the_local_registry() -> None:
    reg = schemas.registry()
    for path in (ROOT / "schema").glob("*.schema.json"):
        schema = json.loads(path.read_text())
        assert reg.contents(schema["$id"]) == schema


def findings_of(text: str) -> list[tuple[str, int, int, str | None]]:
    doc = dls.load_text(text, "case.dls.yaml")
    report = dls.validate(doc)
    return [(f.code, f.line, f.column, f.hint) for f in report.findings]


MINIMAL = (ROOT / "tests" / "cases" / "valid" / "minimal.dls.yaml").read_text()


def test_a_missing_format_stops_the_schema_and_rule_checks_at_1_1() -> None:
    text = MINIMAL.replace("format: dls-statement/v1\n", "")
    assert [f[:3] for f in findings_of(text)] == [("DLS-S002", 1, 1)]


def test_an_unknown_version_lists_the_supported_ones_at_the_value() -> None:
    doc = dls.load_text(MINIMAL.replace("dls-statement/v1", "dls-statement/v9"), "x.dls.yaml")
    (finding,) = dls.validate(doc).findings
    assert (finding.code, finding.line, finding.column) == ("DLS-S003", 1, 9)
    assert "supported: dls-statement/v1, dls-scenario/v1" in finding.message


def test_a_version_like_string_written_without_quotes_gets_a_quote_hint() -> None:
    text = MINIMAL.replace("  revision: 5d6e7f8", "  revision: 1.10")
    ((code, line, col, hint),) = findings_of(text)
    assert (code, line, col) == ("DLS-S006", 15, 13)
    assert hint is not None and 'write it in quotes: "1.10"' in hint


def test_yes_where_a_string_is_expected_stays_a_string_with_a_warning() -> None:
    text = MINIMAL.replace("  revision: 5d6e7f8", "  revision: yes")
    assert [f[:3] for f in findings_of(text)] == [("DLS-P101", 15, 13)]


def test_a_percentage_string_is_a_type_error_with_a_hint() -> None:
    text = MINIMAL.replace("        student: 0.905", '        student: "90.5%"')
    ((code, line, col, hint),) = findings_of(text)
    assert (code, line, col) == ("DLS-S006", 37, 18)
    assert hint == "write a proportion as a number without '%': 5% is 0.05"


def test_a_boolean_for_a_number_is_a_type_error() -> None:
    text = MINIMAL.replace("        student: 0.905", "        student: true")
    assert [f[:3] for f in findings_of(text)] == [("DLS-S006", 37, 18)]


def test_scientific_notation_is_a_number() -> None:
    text = MINIMAL.replace("  parameters: 14500000", "  parameters: 1.45e7")
    assert findings_of(text) == []


@pytest.mark.parametrize("literal", [".nan", ".inf", "-.inf", "1e999"])
def test_non_finite_numbers_are_rejected(literal: str) -> None:
    text = MINIMAL.replace("        teacher: 0.912", f"        teacher: {literal}")
    codes = [f[0] for f in findings_of(text)]
    assert codes == ["DLS-S008"]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_json_nan_and_infinity_are_rejected(literal: str) -> None:
    data = yaml.safe_load(MINIMAL)
    data["date"] = "2026-11-20"
    text = json.dumps(data).replace('"teacher": 0.912', f'"teacher": {literal}')
    doc = dls.load_text(text, "x.dls.json")
    codes = [f.code for f in dls.validate(doc).findings]
    assert codes == ["DLS-S008"]


def test_an_enum_typo_names_the_allowed_values_and_the_closest() -> None:
    text = MINIMAL.replace("  methods: [logit]", "  methods: [logits]")
    doc = dls.load_text(text, "x.dls.yaml")
    (finding,) = dls.validate(doc).findings
    assert (finding.code, finding.line, finding.column) == ("DLS-S007", 18, 13)
    assert "(did you mean 'logit'?)" in finding.message
    assert "sequence_level" in finding.message


def test_a_custom_metric_must_declare_its_direction() -> None:
    text = MINIMAL.replace("        metric: accuracy", "        metric: x-acme.routing")
    (finding,) = dls.validate(dls.load_text(text, "x.dls.yaml")).findings
    assert finding.code == "DLS-S005"
    assert finding.message.endswith(
        "missing required key 'direction' in "
        "$.categories.task_performance.findings[0] for metric 'x-acme.routing'"
    )


@pytest.mark.parametrize("engine", ["jsonschema-rs", "python-jsonschema"])
def test_an_id_with_a_trailing_newline_is_rejected_by_every_engine(
    engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``$`` matches before a final newline in Python regexes; the schema's patterns do not."""
    monkeypatch.setenv("DLS_SCHEMA_ENGINE", engine)
    schemas.engine_for.cache_clear()
    text = MINIMAL.replace(
        "id: acme/tiny-classifier/2026-11\n", "id: |\n  acme/tiny-classifier/2026-11\n"
    )
    assert [f[0] for f in findings_of(text)] == ["DLS-S010"]
    schemas.engine_for.cache_clear()


def test_an_empty_metric_is_one_type_error_with_an_empty_value_hint() -> None:
    """A blank `metric:` is not read as a custom metric missing its direction."""
    text = MINIMAL.replace("        metric: accuracy\n", "        metric:\n")
    ((code, line, _col, hint),) = findings_of(text)
    assert (code, line) == ("DLS-S006", 31)
    assert hint == "the value is empty; write it after the colon"
