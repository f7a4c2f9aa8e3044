"""SARIF 2.1.0: findings for GitHub code scanning and other SARIF viewers.

The log follows the OASIS 2.1.0 schema and GitHub's ingestion rules
(docs: "SARIF support for code scanning"): rule metadata from the code
catalogue, repository-relative POSIX URIs, regions with code-point columns,
a stable partial fingerprint per finding, and at most ``max_results``
results (GitHub keeps the 5,000 most severe; the rest are summarised in a
tool notification). Accepted losses (DLS-T024, info) go out as ``note``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from typing import Any

from dls._version import __version__
from dls.findings import Finding, Report, Severity
from dls.report._paths import relative_posix, uri_reference

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
MAX_RESULTS = 5000
_TEXT_LIMIT = 1024  # GitHub: shortDescription / fullDescription at most 1024 characters

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(
    report: Report,
    *,
    root: str | os.PathLike[str] | None = None,
    max_results: int = MAX_RESULTS,
    category: str | None = None,
) -> str:
    """The SARIF log of ``report`` as a JSON string (deterministic, no NaN)."""
    return json.dumps(
        sarif_log(report, root=root, max_results=max_results, category=category),
        indent=2,
        ensure_ascii=False,
        allow_nan=False,
        sort_keys=False,
    )


def sarif_log(
    report: Report,
    *,
    root: str | os.PathLike[str] | None = None,
    max_results: int = MAX_RESULTS,
    category: str | None = None,
) -> dict[str, Any]:
    """The SARIF log as data."""
    items = [(relative_posix(fr.file, root), f) for fr in report.files for f in fr.findings]
    # Most severe first, then by place: if the cap bites, errors survive.
    items.sort(key=lambda it: (-it[1].severity.rank, it[0], it[1].line, it[1].column, it[1].code))
    kept, dropped = items[:max_results], items[max_results:]

    codes = sorted({f.code for _, f in kept})
    index = {code: i for i, code in enumerate(codes)}
    seen: dict[tuple[str, str, str], int] = {}
    results = []
    for uri, f in kept:
        key = (f.code, uri, f.pointer)
        seen[key] = seen.get(key, 0) + 1
        results.append(_result(uri, f, index[f.code], seen[key]))

    notifications: list[dict[str, Any]] = []
    for fr in report.files:
        if fr.exception is not None:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": _nonempty(f"{fr.file}: {fr.exception}")},
                    "locations": [_location(relative_posix(fr.file, root), None)],
                }
            )
    if dropped:
        worst = max(f.severity for _, f in dropped)
        notifications.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{len(dropped)} more findings (the least severe: up to "
                    f"{worst.value}) were left out of this SARIF log to stay within "
                    f"{max_results} results; see the text report for all of them."
                },
            }
        )

    invocation: dict[str, Any] = {"executionSuccessful": not report.could_not_run}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications

    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "dls",
                "semanticVersion": __version__,
                "rules": [_rule(code) for code in codes],
            }
        },
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    run["properties"] = {"summary": _summary(report)}
    if category:
        run["automationDetails"] = {"id": category.rstrip("/") + "/"}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _summary(report: Report) -> dict[str, int]:
    """The run's tally; accepted losses are counted apart from clean passes."""
    from dls.config import accepted_loss_code

    accepted = accepted_loss_code()
    return {
        "files": len(report.files),
        "passed": sum(1 for fr in report.files if fr.ok),
        "notChecked": sum(1 for fr in report.files if fr.exception is not None),
        "errors": report.count(Severity.ERROR),
        "warnings": report.count(Severity.WARNING),
        "acceptedLosses": sum(1 for _, f in report.findings() if f.code == accepted),
    }


def _rule(code: str) -> dict[str, Any]:
    from dls.codes import CATALOG

    meta = CATALOG.get(code)
    if meta is None:  # a code outside the catalogue: still a valid rule
        return {
            "id": code,
            "shortDescription": {"text": code},
            "fullDescription": {"text": code},
            "help": {"text": f"See `dls explain {code}`."},
            "defaultConfiguration": {"level": "warning"},
        }
    help_text = f"{meta.fix}\n\n{meta.explanation}"
    return {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": _clip(meta.summary)},
        "fullDescription": {"text": _clip(meta.explanation)},
        "help": {
            "text": help_text,
            "markdown": f"**{meta.code} {meta.name}**: {meta.summary}\n\n"
            f"{meta.explanation}\n\n**How to fix:** {meta.fix}\n\n"
            f"Run `dls explain {meta.code}` for more.",
        },
        "defaultConfiguration": {"level": LEVELS[meta.severity]},
        "properties": {"tags": ["dls", meta.layer]},
    }


def _result(uri: str, finding: Finding, rule_index: int, occurrence: int) -> dict[str, Any]:
    text = finding.message
    if finding.hint:
        text = f"{text}\nHint: {finding.hint}"
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": _nonempty(text)},
        "locations": [_location(uri, finding)],
        "partialFingerprints": {"dlsFinding/v1": _fingerprint(uri, finding, occurrence)},
    }
    props: dict[str, Any] = {"jsonPointer": finding.pointer}
    if finding.data:
        props["data"] = _jsonable(finding.data)
    result["properties"] = props
    return result


def _location(uri: str, finding: Finding | None) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": uri_reference(uri)},
    }
    if not uri.startswith("/"):
        physical["artifactLocation"]["uriBaseId"] = "%SRCROOT%"
    if finding is not None:
        span = finding.span
        region: dict[str, Any] = {
            "startLine": max(1, span.line),
            "startColumn": max(1, span.column),
        }
        if span.end_line is not None or span.end_column is not None:
            end_line = max(region["startLine"], span.end_line or span.line)
            end_col = span.end_column if span.end_column is not None else span.column
            if end_line == region["startLine"]:
                end_col = max(end_col, region["startColumn"])
            region["endLine"] = end_line
            region["endColumn"] = max(1, end_col)
        physical["region"] = region
    return {"physicalLocation": physical}


def _fingerprint(uri: str, finding: Finding, occurrence: int) -> str:
    """Stable across runs and line moves: code, file, place in the document, occurrence."""
    key = "\x1f".join((finding.code, uri, finding.pointer, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _jsonable(value: Any) -> Any:
    """``value`` with non-finite floats and odd types turned into JSON-safe values."""
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return str(value)


def _clip(text: str) -> str:
    text = _nonempty(text)
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…"


def _nonempty(text: str) -> str:
    """SARIF viewers (GitHub among them) reject empty required strings."""
    return text if text.strip() else "(no message)"
