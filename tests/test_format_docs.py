"""docs/format.md documents the whole statement schema, and its complete example is valid."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

import dls
from dls.findings import Severity
from dls.model import parse_statement

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
SCHEMA = json.loads((ROOT / "schema" / "statement-v1.schema.json").read_text(encoding="utf-8"))
FENCE = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```$", re.M | re.S)


def properties(node: Any) -> Iterator[str]:
    """Every property name declared anywhere in the schema (top level, $defs, inline objects)."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            yield from props
        for value in node.values():
            yield from properties(value)
    elif isinstance(node, list):
        for value in node:
            yield from properties(value)


def enum_values(node: Any) -> Iterator[str]:
    """Every string enumerated by the schema, except the metric registry (docs/reference)."""
    if isinstance(node, dict):
        if "enum" in node and node is not SCHEMA["$defs"]["metricId"]["else"]:
            yield from (v for v in node["enum"] if isinstance(v, str))
        if isinstance(node.get("const"), str):
            yield node["const"]
        for value in node.values():
            yield from enum_values(value)
    elif isinstance(node, list):
        for value in node:
            yield from enum_values(value)


def complete_example() -> str:
    section = PAGE.split("## A complete example", 1)[1]
    match = FENCE.search(section)
    assert match is not None and match.group("lang") == "yaml"
    return match.group("body")


def test_the_schema_has_many_properties_to_document() -> None:
    assert len(set(properties(SCHEMA))) > 80


@pytest.mark.parametrize("name", sorted(set(properties(SCHEMA))))
def test_every_property_of_the_schema_is_documented(name: str) -> None:
    assert f"`{name}`" in PAGE


@pytest.mark.parametrize("value", sorted(set(enum_values(SCHEMA))))
def test_every_enumerated_value_is_documented(value: str) -> None:
    assert f"`{value}`" in PAGE or value in PAGE


def test_every_object_gets_a_table_with_type_required_meaning_and_example() -> None:
    headers = re.findall(r"^\| Key \| Type \| Required \| Meaning \| Example \|$", PAGE, re.M)
    definitions = [d for d in SCHEMA["$defs"].values() if d.get("type") == "object"]
    # the top level, every object definition, and evaluation.harness (finding.stderr's two keys
    # are described in the finding table)
    assert len(headers) == 1 + len(definitions) + 1


def test_the_complete_example_is_a_valid_statement() -> None:
    doc = dls.load_text(complete_example(), "format.md.dls.yaml")
    assert doc.ok, doc.findings
    errors = list(
        Draft202012Validator(SCHEMA, format_checker=FormatChecker()).iter_errors(doc.data)
    )
    assert errors == []
    assert parse_statement(doc.data).status == "final"


def test_the_complete_example_is_the_shipped_example_word_for_word() -> None:
    shipped = (ROOT / "examples" / "distilbert-sst2.dls.yaml").read_text(encoding="utf-8")
    assert complete_example() == shipped


def test_every_yaml_snippet_on_the_page_parses() -> None:
    snippets = [m.group("body") for m in FENCE.finditer(PAGE) if m.group("lang") == "yaml"]
    assert len(snippets) >= 5
    for text in snippets:
        doc = dls.load_text(text, "snippet.yaml")
        assert not [f for f in doc.findings if f.severity is Severity.ERROR], text
