"""The pydantic models (dls.model) and the committed JSON Schema describe the same format.

Two ways: structurally (every property, requirement, enumeration and pattern of every object in
the schema has its twin in the models) and behaviourally (every example, every test case and
thousands of single-edit mutations of the examples are accepted by both or rejected by both,
with python-jsonschema and its FormatChecker as the reference engine).
"""

from __future__ import annotations

import copy
import json
import math
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from pydantic import AfterValidator, BaseModel, ValidationError

from dls import model as m
from dls.loader import load_path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "schema" / "statement-v1.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
EXAMPLES = sorted((ROOT / "examples").glob("*.dls.yaml"))
CASE_FILES = sorted(
    p
    for p in (ROOT / "tests" / "cases").rglob("*")
    if p.is_file() and p.suffix in {".yaml", ".yml", ".json"}
)


def finite(node: Any) -> bool:
    if isinstance(node, float):
        return math.isfinite(node)
    if isinstance(node, dict):
        return all(finite(v) for v in node.values())
    if isinstance(node, list):
        return all(finite(v) for v in node)
    return True


def schema_valid(data: Any) -> bool:
    """The reference: python-jsonschema with formats, plus finite numbers (dls's DLS-S008)."""
    return VALIDATOR.is_valid(data) and finite(data)


def model_valid(data: Any) -> bool:
    try:
        m.parse_statement(data)
    except ValidationError:
        return False
    return True


def loaded(path: Path) -> Any:
    doc = load_path(path)
    return doc.data if doc.ok else None


# -- structure ---------------------------------------------------------------------------------

OBJECTS: dict[str, type[BaseModel]] = {
    "#": m.Statement,
    "#/properties/categories": m.Categories,
    "#/$defs/person": m.Person,
    "#/$defs/model": m.Model,
    "#/$defs/dataset": m.Dataset,
    "#/$defs/recipe": m.Recipe,
    "#/$defs/intendedUse": m.IntendedUse,
    "#/$defs/scenarioRef": m.ScenarioRef,
    "#/$defs/judge": m.Judge,
    "#/$defs/evaluation": m.Evaluation,
    "#/$defs/evaluation/properties/harness": m.Harness,
    "#/$defs/interval": m.Interval,
    "#/$defs/finding": m.Finding,
    "#/$defs/finding/properties/stderr": m.StdErr,
    "#/$defs/category": m.Category,
    "#/$defs/evidence": m.Evidence,
    "#/$defs/summary": m.Summary,
    "#/$defs/signOff": m.SignOff,
    "#/$defs/reference": m.Reference,
}


def schema_objects(node: Any, pointer: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every sub-schema that declares object properties, with its JSON pointer."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            yield pointer, node
        for key, value in node.items():
            yield from schema_objects(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from schema_objects(value, f"{pointer}/{i}")


def annotation_parts(annotation: Any) -> Iterator[Any]:
    """The annotation and everything nested in it (union members, list items, Annotated extras)."""
    yield annotation
    if typing.get_origin(annotation) is typing.Annotated:
        base, *extras = typing.get_args(annotation)
        yield from annotation_parts(base)
        for extra in extras:
            yield extra
            yield from (
                p for meta in getattr(extra, "metadata", ()) for p in annotation_parts(meta)
            )
        return
    for arg in typing.get_args(annotation):
        yield from annotation_parts(arg)


def field_parts(model: type[BaseModel], key: str) -> list[Any]:
    for name, info in model.model_fields.items():
        if (info.alias or name) == key:
            parts = list(annotation_parts(info.annotation))
            for meta in info.metadata:
                parts.extend(annotation_parts(meta))
            return parts
    raise KeyError(key)


def literal_values(parts: list[Any]) -> set[Any]:
    return {v for p in parts if typing.get_origin(p) is typing.Literal for v in typing.get_args(p)}


def patterns(parts: list[Any]) -> set[str]:
    return {
        p.func.pattern
        for p in parts
        if isinstance(p, AfterValidator) and isinstance(p.func, m.Match)
    }


def test_every_object_of_the_schema_has_a_model() -> None:
    found = {pointer for pointer, _ in schema_objects(SCHEMA)}
    assert found == set(OBJECTS)


@pytest.mark.parametrize("pointer", sorted(OBJECTS))
def test_model_declares_the_same_keys_and_requirements_as_the_schema(pointer: str) -> None:
    node = dict(schema_objects(SCHEMA))[pointer]
    model = OBJECTS[pointer]
    assert model.declared_keys() == set(node["properties"]), pointer
    required = {(f.alias or n) for n, f in model.model_fields.items() if f.is_required()}
    assert required == set(node.get("required", ())), pointer
    assert node.get("additionalProperties") is False or pointer.endswith("computation")
    assert set(node.get("patternProperties", {})) == {"^x-"}


@pytest.mark.parametrize("pointer", sorted(OBJECTS))
def test_model_enumerations_and_patterns_match_the_schema(pointer: str) -> None:
    node = dict(schema_objects(SCHEMA))[pointer]
    model = OBJECTS[pointer]
    for key, prop in node["properties"].items():
        parts = field_parts(model, key)
        enum = prop.get("enum") or prop.get("items", {}).get("enum")
        if "const" in prop:
            enum = [prop["const"]]
        if enum is not None:
            assert literal_values(parts) == set(enum), f"{pointer}/{key}"
        pattern = prop.get("pattern") or prop.get("items", {}).get("pattern")
        if pattern is not None:
            assert pattern in patterns(parts), f"{pointer}/{key}"
        if prop.get("format") == "date":
            assert any(getattr(p, "func", None) is m._calendar_date for p in parts), key


def test_custom_metric_pattern_and_registry_ids_come_from_the_schema() -> None:
    metric_id = SCHEMA["$defs"]["metricId"]
    assert metric_id["then"]["pattern"] == m.CUSTOM_METRIC.pattern
    assert m._registry_metric_ids() == frozenset(metric_id["else"]["enum"])


# -- agreement on files ------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_are_valid_for_both_the_schema_and_the_models(path: Path) -> None:
    data = loaded(path)
    assert data is not None
    assert schema_valid(data)
    assert model_valid(data)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: str(p.relative_to(ROOT / "tests")))
def test_schema_and_models_agree_on_test_case(path: Path) -> None:
    data = loaded(path)
    if data is None:
        return  # rejected by the loader: neither the schema nor the models see it
    assert schema_valid(data) == model_valid(data), path


def test_there_are_examples_and_cases_to_compare() -> None:
    assert len(EXAMPLES) >= 3
    assert CASE_FILES


# -- agreement on mutations --------------------------------------------------------------------

REPLACEMENTS: dict[type, list[Any]] = {
    str: [None, 3.0, "", "x-acme.thing"],
    bool: [None, 1, "true"],
    int: [None, True, -1, 2.0, 0.5, "7"],
    float: [None, True, -1.5, 0, "0.5"],
    list: [None, [], {}, ["a", "a"]],
    dict: [None, [], {}],
}
"""Replacements per type of the value replaced: wrong types, empties, edge numbers."""


def mutations(data: Any) -> Iterator[tuple[str, Any]]:
    """Single edits of ``data``: every key dropped, every value replaced, keys added."""

    def walk(node: Any, pointer: str) -> Iterator[tuple[str, Any, Any]]:
        yield pointer, node, node
        if isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, f"{pointer}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from walk(value, f"{pointer}/{i}")

    def at(root: Any, pointer: str) -> tuple[Any, Any]:
        parts = pointer.split("/")[1:]
        parent: Any = None
        node = root
        key: Any = None
        for p in parts:
            parent, key = node, int(p) if isinstance(node, list) else p
            node = node[key]
        return parent, key

    for pointer, node, _ in list(walk(data, "")):
        if pointer:
            for i, replacement in enumerate(REPLACEMENTS[type(node)]):
                doc = copy.deepcopy(data)
                parent, key = at(doc, pointer)
                parent[key] = copy.deepcopy(replacement)
                yield f"{pointer} := {replacement!r} ({i})", doc
            doc = copy.deepcopy(data)
            parent, key = at(doc, pointer)
            del parent[key]
            yield f"{pointer} removed", doc
        if isinstance(node, dict):
            for key in ("bogus", "x-ext", "x-"):
                doc = copy.deepcopy(data)
                target, k = at(doc, pointer) if pointer else (None, None)
                obj = doc if target is None else target[k]
                obj[key] = 1
                yield f"{pointer}/{key} added", doc


@pytest.mark.parametrize(
    "path",
    [ROOT / "examples" / "distilbert-sst2.dls.yaml"],
    ids=lambda p: p.name,
)
def test_schema_and_models_agree_on_every_single_edit_of_an_example(path: Path) -> None:
    data = loaded(path)
    disagreements = []
    checked = 0
    for label, doc in mutations(data):
        checked += 1
        if schema_valid(doc) != model_valid(doc):
            disagreements.append(f"{label}: schema {schema_valid(doc)}, model {model_valid(doc)}")
    assert checked > 500
    assert disagreements == []


# -- targeted cases: each if/then of the schema --------------------------------------------


def base() -> dict[str, Any]:
    """The DistilBERT example: task_performance assessed, safety not assessed, process n/a."""
    data = loaded(ROOT / "examples" / "distilbert-sst2.dls.yaml")
    assert isinstance(data, dict)
    return data


def finding(doc: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = doc["categories"]["task_performance"]["findings"][0]
    return found


def edit_custom_metric_without_direction(doc: dict[str, Any]) -> None:
    finding(doc)["metric"] = "x-acme.ticket_accuracy"


def edit_custom_metric_with_a_bad_name(doc: dict[str, Any]) -> None:
    finding(doc).update(metric="x-Acme_ticket", direction="higher_is_better")


def edit_unknown_registry_metric(doc: dict[str, Any]) -> None:
    finding(doc)["metric"] = "acuracy"


def edit_closer_to_without_target(doc: dict[str, Any]) -> None:
    finding(doc).update(metric="x-acme.balance", direction="closer_to")


def edit_registry_metric_with_closer_to_without_target(doc: dict[str, Any]) -> None:
    finding(doc)["direction"] = "closer_to"


def edit_assessed_without_findings(doc: dict[str, Any]) -> None:
    del doc["categories"]["task_performance"]["findings"]


def edit_assessed_with_a_reason(doc: dict[str, Any]) -> None:
    doc["categories"]["task_performance"]["reason"] = "measured on tickets"


def edit_assessed_with_risk_accepted_by(doc: dict[str, Any]) -> None:
    doc["categories"]["task_performance"]["risk_accepted_by"] = "Amara Okafor"


def edit_not_assessed_without_reason(doc: dict[str, Any]) -> None:
    del doc["categories"]["safety"]["reason"]


def edit_not_applicable_without_reason(doc: dict[str, Any]) -> None:
    del doc["categories"]["process"]["reason"]


def edit_not_assessed_with_findings(doc: dict[str, Any]) -> None:
    doc["categories"]["safety"]["findings"] = [finding(copy.deepcopy(doc))]


def edit_not_applicable_with_findings(doc: dict[str, Any]) -> None:
    doc["categories"]["process"]["findings"] = [finding(copy.deepcopy(doc))]


def edit_evidence_without_path_or_uri(doc: dict[str, Any]) -> None:
    doc["evidence"] = [{"id": "ev", "sha256": "0" * 64}]


def edit_empty_categories(doc: dict[str, Any]) -> None:
    doc["categories"] = {}


def edit_repeated_headline(doc: dict[str, Any]) -> None:
    doc["headline"] = ["sst2-accuracy", "sst2-accuracy"]


def edit_repeated_method(doc: dict[str, Any]) -> None:
    doc["recipe"]["methods"] = ["logit", "logit"]


def edit_impossible_date(doc: dict[str, Any]) -> None:
    doc["date"] = "2026-02-30"


def edit_infinite_value(doc: dict[str, Any]) -> None:
    finding(doc)["student"] = float("inf")


def edit_nan_in_an_extension(doc: dict[str, Any]) -> None:
    doc["x-acme"] = {"scores": [0.5, float("nan")]}


INVALID_EDITS = [v for k, v in sorted(globals().items()) if k.startswith("edit_")]


@pytest.mark.parametrize("edit", INVALID_EDITS, ids=lambda f: f.__name__[5:])
def test_both_reject_a_statement_that_breaks_a_condition(edit: Any) -> None:
    doc = base()
    assert schema_valid(doc) and model_valid(doc)
    edit(doc)
    assert not schema_valid(doc)
    assert not model_valid(doc)


def test_conditions_are_met_the_valid_way_too() -> None:
    doc = base()
    finding(doc).update(
        metric="x-acme.balance", direction="closer_to", target=0.5, range=[0, None], unit="ratio"
    )
    doc["categories"]["process"]["risk_accepted_by"] = "Amara Okafor"
    doc["categories"]["x-acme-notes"] = {"anything": [1, None]}
    doc["evidence"] = [{"id": "ev", "uri": "https://example.org/ev.jsonl", "sha256": "0" * 64}]
    doc["date"] = "2024-02-29"
    doc["scenario"]["version"] = 1.0  # an integral float is a JSON Schema integer
    assert schema_valid(doc)
    statement = m.parse_statement(doc)
    assert statement.scenario.version == 1 and isinstance(statement.scenario.version, int)
    assert statement.categories.extensions == {"x-acme-notes": {"anything": [1, None]}}
    assert statement.categories.process is not None
    assert statement.categories.process.risk_accepted_by == "Amara Okafor"


def test_the_typed_statement_reads_naturally() -> None:
    statement = m.parse_statement(base())
    assert statement.format == "dls-statement/v1"
    assert [key for key, _ in statement.categories.items()] == [
        "task_performance",
        "uncertainty",
        "boundary",
        "process",
        "stability",
        "grounding",
        "privacy",
        "safety",
        "diversity",
    ]
    category, f = statement.findings()[1]
    assert category == "task_performance"
    assert (f.metric, f.teacher, f.student, f.status) == ("accuracy", 0.884, 0.879, "preserved")
    assert f.interval is not None and f.interval.level == 0.95
    assert f.evaluation.stress == ["distribution_shift"]
    assert statement.extensions == {"x-review-ticket": "REVIEW-482"}


def test_errors_name_the_unknown_key_and_the_place() -> None:
    doc = base()
    finding(doc)["acceptable_becuase"] = "typo"
    with pytest.raises(ValidationError) as info:
        m.parse_statement(doc)
    text = str(info.value)
    assert "acceptable_becuase" in text
    assert "categories.task_performance.findings.0" in text


def test_null_is_never_a_value() -> None:
    doc = base()
    doc["notes"] = None
    assert not schema_valid(doc)
    with pytest.raises(ValidationError, match="'notes' must not be null"):
        m.parse_statement(doc)


def test_strings_are_not_coerced_to_numbers_or_booleans() -> None:
    doc = base()
    finding(doc)["student"] = "0.905"
    assert not schema_valid(doc) and not model_valid(doc)
    doc = base()
    finding(doc)["teacher"] = True
    assert not schema_valid(doc) and not model_valid(doc)


# -- the hot path stays free of pydantic ------------------------------------------------------


def test_validating_a_statement_does_not_import_pydantic() -> None:
    code = (
        "import sys, dls\nassert dls.validate(sys.argv[1]).ok\nprint('pydantic' in sys.modules)\n"
    )
    example = str(ROOT / "examples" / "distilbert-sst2.dls.yaml")
    out = subprocess.run(
        [sys.executable, "-c", code, example], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
