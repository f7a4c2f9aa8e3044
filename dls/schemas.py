"""The bundled JSON Schemas, the formats they describe, and cached validators.

Every document declares its format in a required ``format`` key
(``dls-statement/v1``); the schema is picked by it. Schemas are package data and
resolve through a local ``referencing.Registry``: nothing is fetched.

Two engines run the same standard schemas: jsonschema-rs (fast to import and
to run, used by default) and python-jsonschema (the reference; used when
jsonschema-rs is missing or ``DLS_SCHEMA_ENGINE=python``). Both report errors
as ``RawError`` values, so the rest of dls never sees an engine's own types.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from dls._resources import data_dir, data_file
from dls.errors import SchemaError
from dls.findings import Path_


@dataclass(frozen=True, slots=True)
class Format:
    """A document format: its kind, version and schema file."""

    name: str
    kind: str
    version: str
    schema_file: str
    deprecated: bool = False


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("dls-statement/v1", "statement", "v1", "statement-v1.schema.json"),
        Format("dls-scenario/v1", "scenario", "v1", "scenario-v1.schema.json"),
    )
}
"""Document formats dls validates, by the value of their ``format`` key."""

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:@+/-]*(?![\s\S])"
"""The pattern of ids in the statement schema (finding, evidence and statement ids)."""

SCHEMA_NAMES: dict[str, str] = {
    "statement": "statement",
    "scenario": "scenario",
    "records": "records",
}
"""Schemas ``dls schema NAME`` can print: name -> file prefix."""


def schema_filename(name: str, version: str = "v1") -> str:
    return f"{SCHEMA_NAMES[name]}-{version}.schema.json"


@cache
def load_schema(filename: str) -> dict[str, Any]:
    """A bundled schema by file name; SchemaError if it is missing or not JSON."""
    path = data_file("schema", filename)
    try:
        with path.open(encoding="utf-8") as fh:
            schema: dict[str, Any] = json.load(fh)
    except (OSError, ValueError) as exc:
        raise SchemaError(f"cannot load bundled schema {filename}: {exc}") from exc
    return schema


def registry() -> Any:
    """A ``referencing.Registry`` holding every bundled schema under its ``$id``."""
    from referencing import Registry, Resource

    resources = []
    for path in sorted(data_dir("schema").glob("*.schema.json")):
        schema = load_schema(path.name)
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources).crawl()


@dataclass(frozen=True, slots=True)
class RawError:
    """One schema violation, engine-neutral.

    ``schema_path`` leads from the schema root (through ``$defs``) to the
    failing keyword; ``params`` holds the keyword's details (``unexpected``
    keys, the ``missing`` property, allowed ``options``, ``limit``...).
    """

    path: Path_
    keyword: str
    params: dict[str, Any]
    message: str
    schema_path: tuple[str | int, ...]


class Engine(Protocol):
    name: str

    def iter_errors(self, instance: Any) -> Iterator[RawError]: ...


class _RustEngine:
    name = "jsonschema-rs"

    def __init__(self, schema: dict[str, Any]) -> None:
        import jsonschema_rs

        self._validator = jsonschema_rs.validator_for(schema, validate_formats=True)

    def iter_errors(self, instance: Any) -> Iterator[RawError]:
        for e in self._validator.iter_errors(instance):
            kind = e.kind
            keyword = "false" if kind.name == "falseSchema" else kind.name
            params = dict(kind.as_dict()) if hasattr(kind, "as_dict") else {}
            if keyword == "required":
                params = {"missing": getattr(kind, "property", "")}
            yield RawError(tuple(e.instance_path), keyword, params, e.message, tuple(e.schema_path))


class _PythonEngine:
    name = "python-jsonschema"

    def __init__(self, schema: dict[str, Any]) -> None:
        from jsonschema import Draft202012Validator, FormatChecker

        self._root = schema
        self._validator = Draft202012Validator(
            schema, registry=registry(), format_checker=FormatChecker(["date"])
        )

    def iter_errors(self, instance: Any) -> Iterator[RawError]:
        for e in self._validator.iter_errors(instance):
            yield from _python_errors(e, self._root, instance)


def _python_errors(e: Any, root: dict[str, Any], document: Any) -> Iterator[RawError]:
    keyword = "false" if e.validator is None else str(e.validator)
    path = tuple(e.absolute_path)
    schema_path = tuple(_defs_relative(list(e.absolute_schema_path), root))
    params: dict[str, Any] = {}
    if keyword == "false" and schema_path and schema_path[-1] == "properties":
        # python-jsonschema leaves the property name out of both paths here
        props = subschema_at(root, schema_path) or {}
        parent = document
        for step in path:
            parent = parent[step]
        for key, sub in props.items():
            if (
                sub is False
                and isinstance(parent, dict)
                and key in parent
                and parent[key] == e.instance
            ):
                yield RawError((*path, key), "false", {}, e.message, (*schema_path, key))
        return
    if keyword == "required":
        missing = [
            k for k in e.validator_value if isinstance(e.instance, dict) and k not in e.instance
        ]
        name = next((k for k in missing if repr(k) in e.message), missing[0] if missing else "")
        params = {"missing": name}
    elif keyword == "additionalProperties":
        params = {"unexpected": _unexpected(e.instance, e.schema)}
    elif keyword in ("enum",):
        params = {"options": list(e.validator_value)}
    elif keyword == "const":
        params = {"expected_value": e.validator_value}
    elif keyword == "type":
        vv = e.validator_value
        params = {"types": [vv] if isinstance(vv, str) else list(vv)}
    elif keyword in (
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "minProperties",
    ):
        params = {"limit": e.validator_value}
    elif keyword == "pattern":
        params = {"pattern": e.validator_value}
    elif keyword == "format":
        params = {"format": e.validator_value}
    yield RawError(path, keyword, params, e.message, schema_path)


def _defs_relative(schema_path: list[Any], root: dict[str, Any]) -> list[Any]:
    """python-jsonschema's absolute schema path, restarted at the last ``$ref`` target.

    jsonschema-rs reports paths from the referenced definition
    (``$defs/finding/...``); python-jsonschema from the root through ``$ref``
    keys. Both become paths that ``subschema_at`` can walk from the root.
    """
    if "$ref" not in schema_path:
        return schema_path
    cut = len(schema_path) - 1 - schema_path[::-1].index("$ref")
    holder = subschema_at(root, _defs_relative(schema_path[:cut], root))
    ref = holder.get("$ref") if isinstance(holder, dict) else None
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return schema_path[cut + 1 :]
    return [*ref[2:].split("/"), *schema_path[cut + 1 :]]


def _unexpected(instance: Any, schema: dict[str, Any]) -> list[str]:
    import re

    if not isinstance(instance, dict):
        return []
    props = schema.get("properties", {})
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    return [k for k in instance if k not in props and not any(p.search(k) for p in patterns)]


def subschema_at(root: dict[str, Any], schema_path: Sequence[str | int]) -> Any:
    """The (sub)schema at ``schema_path``, following local ``$ref``s; None if absent."""
    node: Any = root
    for step in schema_path:
        while isinstance(node, dict) and "$ref" in node and step not in node:
            node = _resolve_local(root, node["$ref"])
        in_dict = isinstance(node, dict) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if in_dict or in_list:
            node = node[step]
        else:
            return None
    while isinstance(node, dict) and "$ref" in node and len(node) == 1:
        node = _resolve_local(root, node["$ref"])
    return node


def _resolve_local(root: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        return None
    node: Any = root
    for part in ref[2:].split("/"):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def engine_name() -> str:
    """The engine this process uses: ``DLS_SCHEMA_ENGINE`` or the fastest available."""
    wanted = os.environ.get("DLS_SCHEMA_ENGINE", "").strip().lower()
    if wanted in ("python", "python-jsonschema"):
        return "python-jsonschema"
    if wanted in ("rust", "jsonschema-rs"):
        return "jsonschema-rs"
    try:
        import jsonschema_rs  # noqa: F401
    except ImportError:
        return "python-jsonschema"
    return "jsonschema-rs"


@cache
def engine_for(schema_file: str, engine: str | None = None) -> Engine:
    """A validator for a bundled schema, built once per process and engine."""
    name = engine or engine_name()
    schema = load_schema(schema_file)
    try:
        return _RustEngine(schema) if name == "jsonschema-rs" else _PythonEngine(schema)
    except Exception as exc:  # a broken bundled schema: dls cannot run
        raise SchemaError(f"schema {schema_file} is invalid: {exc}") from exc
