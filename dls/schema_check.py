"""The schema layer: pick the schema by ``format``, run it, explain every error.

Engine errors become findings with stable codes, messages written for people
who have never read the schema ("unknown key 'justifcation' (did you mean
'acceptable_because'?)"), and positions taken from the document's span tables:
unknown keys point at the key, wrong values at the value, missing keys at the
mapping that lacks them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from dls import schemas
from dls.findings import Finding, Path_
from dls.rulekit import Problem, locate
from dls.schemas import FORMATS, Format, RawError

_PLACEHOLDER_NUMBERS = {"nan", "+nan", "-nan", "infinity", "+infinity", "-infinity", "inf", "-inf"}


def json_path(path: Path_) -> str:
    """``$.categories.safety.findings[0]`` for a document path."""
    out = "$"
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def closest(word: str, options: list[str]) -> str | None:
    """The option a misspelt ``word`` most likely meant, if any is close."""
    import difflib

    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return match[0] if match else None


_SYNONYMS = {
    "justification": "acceptable_because",
    "justifcation": "acceptable_because",
    "justified_because": "acceptable_because",
    "acceptable": "acceptable_because",
    "why": "acceptable_because",
    "rationale": "acceptable_because",
    "ci": "interval",
    "confidence_interval": "interval",
    "ci95": "interval",
    "n": "items",
    "n_items": "items",
    "num_items": "items",
    "samples": "items",
    "size": "items",
    "delta": "difference",
    "diff": "difference",
    "verdict": "status",
    "params": "parameters",
    "hash": "sha256",
    "checksum": "sha256",
    "file": "path",
    "url": "uri",
    "signoff": "sign_off",
    "sign-off": "sign_off",
    "signed_off": "sign_off",
    "owner": "owners",
    "authors": "owners",
    "author": "owners",
    "method": "methods",
    "version": "revision",
}
"""Keys people write for the format's own keys; suggested when they are allowed."""


def detect_format(data: Any) -> tuple[Format | None, list[Problem]]:
    """The declared format of a document, or the problems that prevent knowing it."""
    if not isinstance(data, dict):
        shape = "a list" if isinstance(data, list) else f"a {type(data).__name__} scalar"
        return None, [
            Problem(
                "DLS-S001",
                f"the document must be a mapping, not {shape}",
                hint="start the file with `format: dls-statement/v1`",
            )
        ]
    if "format" not in data:
        return None, [
            Problem(
                "DLS-S002",
                "missing required key 'format'; schema and rule checks stop here",
                hint="add `format: dls-statement/v1` as the first key",
            )
        ]
    declared = data["format"]
    fmt = FORMATS.get(declared) if isinstance(declared, str) else None
    if fmt is None:
        supported = ", ".join(FORMATS)
        guess = closest(str(declared), list(FORMATS))
        hint = f"did you mean '{guess}'?" if guess else None
        return None, [
            Problem(
                "DLS-S003",
                f"unsupported format {declared!r}; supported: {supported}",
                ("format",),
                hint=hint,
                data={"supported": list(FORMATS)},
            )
        ]
    problems = []
    if fmt.deprecated:
        problems.append(Problem("DLS-S014", f"format {fmt.name} is deprecated", ("format",)))
    return fmt, problems


def _non_finite(data: Any, path: Path_ = ()) -> Iterator[Path_]:
    stack: list[tuple[Any, Path_]] = [(data, path)]
    while stack:
        node, p = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            yield p
        elif isinstance(node, dict):
            stack.extend((v, (*p, k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, (*p, i)) for i, v in enumerate(node))


def _replace(data: Any, paths: set[Path_]) -> Any:
    """A copy of ``data`` with the values at ``paths`` replaced by None."""
    if not paths:
        return data

    def walk(node: Any, p: Path_) -> Any:
        if p in paths:
            return None
        if isinstance(node, dict):
            return {k: walk(v, (*p, k)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, (*p, i)) for i, v in enumerate(node)]
        return node

    return walk(data, ())


def schema_problems(data: Any, fmt: Format, scalars: Any = None) -> list[Problem]:
    """Schema problems of ``data`` (already known to declare ``fmt``)."""
    bad = set(_non_finite(data))
    problems = [
        Problem(
            "DLS-S008",
            f"{json_path(p)}: value must be a finite number, not {data_at(data, p)!r}",
            p,
        )
        for p in sorted(bad, key=str)
    ]
    engine = schemas.engine_for(fmt.schema_file)
    root = schemas.load_schema(fmt.schema_file)
    instance = _replace(data, bad)
    for err in engine.iter_errors(instance):
        if err.path in bad:
            continue
        problems.extend(_explain(err, instance, root, scalars or {}))
    return problems


def schema_findings(doc: Any, format_name: str | None = None) -> list[Finding]:
    """Format and schema findings of a loaded document (``dls.loader.Document``)."""
    if doc.data is None:
        return []
    fmt, problems = detect_format(doc.data)
    if format_name is not None and fmt is not None and fmt.name != format_name:
        fmt = FORMATS[format_name]
    if fmt is not None:
        problems += schema_problems(doc.data, fmt, doc.scalars)
    return locate(problems, doc)


def data_at(data: Any, path: Path_) -> Any:
    for p in path:
        data = data[p]
    return data


def _condition(root: dict[str, Any], err: RawError, instance: Any) -> str:
    """' when assessment is assessed' for errors raised under an if/then branch."""
    sp = list(err.schema_path)
    if "then" not in sp:
        return ""
    i = len(sp) - 1 - sp[::-1].index("then")
    cond = schemas.subschema_at(root, [*sp[:i], "if"])
    base = err.path if err.keyword in ("required",) else err.path[:-1]
    if not isinstance(cond, dict):
        return ""
    for key, sub in cond.get("properties", {}).items():
        try:
            value = data_at(instance, (*base, key))
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(sub, dict) and ("const" in sub or "enum" in sub):
            return f" when {key} is {value}"
        if isinstance(sub, dict) and "pattern" in sub:
            return f" for {key} {value!r}"
    return ""


def _explain(err: RawError, instance: Any, root: dict[str, Any], scalars: Any) -> Iterator[Problem]:
    kw, path, params = err.keyword, err.path, err.params
    where = json_path(path)
    try:
        value = data_at(instance, path)
    except (KeyError, IndexError, TypeError):
        value = None
    if kw == "additionalProperties":
        sub = schemas.subschema_at(root, err.schema_path[:-1]) or {}
        known = sorted(sub.get("properties", {})) if isinstance(sub, dict) else []
        for key in params.get("unexpected", []):
            guess = _SYNONYMS.get(key.lower()) if _SYNONYMS.get(key.lower()) in known else None
            guess = guess or closest(key, known)
            msg = f"unknown key {key!r} in {where}"
            if guess:
                msg += f" (did you mean {guess!r}?)"
            yield Problem(
                "DLS-S004",
                msg,
                (*path, key),
                at_key=True,
                hint="keys of your own must start with 'x-'",
                data={"suggestion": guess} if guess else {},
            )
        return
    if kw == "required":
        missing = params.get("missing", "")
        cond = _condition(root, err, instance)
        place = "" if not path else f" in {where}"
        yield Problem(
            "DLS-S005",
            f"missing required key {missing!r}{place}{cond}",
            path,
            at_key=bool(path),
            data={"missing": missing},
        )
        return
    if kw == "false":
        cond = _condition(root, err, instance)
        yield Problem("DLS-S013", f"key {path[-1]!r} is not allowed here{cond}", path, at_key=True)
        return
    if kw == "enum" and path and path[-1] == "metric":
        guess = closest(str(value), [str(o) for o in params.get("options", [])])
        msg = f"unknown metric {value!r}"
        msg += f" (did you mean {guess!r}?)" if guess else ""
        yield Problem(
            "DLS-S012",
            msg,
            path,
            hint="custom metrics use an id like 'x-acme.toxicity_v2' and declare a direction",
            data={"suggestion": guess} if guess else {},
        )
        return
    if kw in ("enum", "const"):
        options = params.get("options") or [params.get("expected_value")]
        guess = closest(str(value), [str(o) for o in options])
        allowed = ", ".join(str(o) for o in options)
        msg = f"{where}: {value!r} is not allowed; expected one of: {allowed}"
        if kw == "const":
            msg = f"{where}: expected {options[0]!r}, got {value!r}"
        if guess and guess != str(value):
            msg += f" (did you mean {guess!r}?)"
        yield Problem("DLS-S007", msg, path, data={"allowed": options, "suggestion": guess})
        return
    if kw == "type":
        yield _type_problem(path, value, list(params.get("types", [])), scalars)
        return
    if kw in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        rel = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[
            kw
        ]
        yield Problem("DLS-S009", f"{where}: {value!r} must be {rel} {params.get('limit')}", path)
        return
    if kw in ("pattern", "minLength", "maxLength", "format"):
        yield Problem("DLS-S010", f"{where}: {_string_rule(kw, params, value)}", path)
        return
    if kw in ("minItems", "maxItems", "uniqueItems", "minProperties"):
        what = {
            "minItems": f"needs at least {params.get('limit')} item(s)",
            "maxItems": f"takes at most {params.get('limit')} item(s)",
            "uniqueItems": "repeats an item",
            "minProperties": "must not be empty",
        }[kw]
        yield Problem("DLS-S011", f"{where} {what}", path)
        return
    yield Problem("DLS-S099", f"{where}: {err.message}", path)


def _string_rule(kw: str, params: dict[str, Any], value: Any) -> str:
    pattern = str(params.get("pattern", ""))
    if kw == "format":
        return f"{value!r} is not a valid {params.get('format')} (write dates as YYYY-MM-DD)"
    if kw == "minLength" or pattern == r"\S":
        return "must not be empty"
    if kw == "maxLength":
        return f"is longer than {params.get('limit')} characters"
    if pattern == schemas.ID_PATTERN:
        return (
            f"{value!r} is not a valid id: letters, digits and . _ : @ + / - only, "
            "starting with a letter or digit"
        )
    if "[0-9a-f]{64}" in pattern:
        return f"{value!r} is not a sha256 (64 lower-case hexadecimal digits)"
    if pattern.startswith("^x-"):
        return f"{value!r} is not a custom metric id of the form 'x-<org>.<name>'"
    if "@" in pattern:
        return f"{value!r} is not an e-mail address"
    if "[A-Za-z][A-Za-z0-9+.-]*:" in pattern:
        return f"{value!r} is not an absolute URI (e.g. https://...)"
    return f"{value!r} does not match the required form {pattern}"


_TYPE_NAMES = {
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if value is None:
        return "nothing (null)"
    return "a mapping" if isinstance(value, dict) else "a list"


def _type_problem(path: Path_, value: Any, types: list[str], scalars: Any) -> Problem:
    expected = " or ".join(_TYPE_NAMES.get(t, t) for t in types)
    msg = f"{json_path(path)}: expected {expected}, got {_describe(value)}"
    raw = scalars.get(path) if hasattr(scalars, "get") else None
    hint = None
    if value is None or raw == "":
        hint = "the value is empty; write it after the colon"
    elif "string" in types and raw is not None:
        hint = f'write it in quotes: "{raw}" (YAML reads {raw} as {_describe(value)})'
    elif ("number" in types or "integer" in types) and isinstance(value, str):
        text = value.strip()
        if text.lower() in _PLACEHOLDER_NUMBERS:
            return Problem(
                "DLS-S008", f"{json_path(path)}: value must be a finite number, not {value!r}", path
            )
        if text.endswith("%"):
            hint = "write a proportion as a number without '%': 5% is 0.05"
        else:
            hint = "write the number without quotes"
    elif "boolean" in types and isinstance(value, str):
        hint = "write true or false"
    return Problem("DLS-S006", msg, path, hint=hint)
