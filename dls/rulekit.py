"""The small toolkit rules are written with.

A rule only says *what* is wrong and *where in the document* (a path); it
yields ``Problem`` values. The engine (``locate``) turns them into findings by
adding the severity from the code catalogue and the line and column from the
document's span tables, the way jsonschema's keyword functions yield errors
that ``iter_errors`` completes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dls import codes
from dls.findings import START, Finding, Path_, Severity

if TYPE_CHECKING:
    from dls.loader import Document


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding that does not know its place in the text yet.

    ``at_key`` points the finding at the key of ``path`` (unknown or misplaced
    keys) instead of its value. ``severity`` overrides the catalogue default.
    """

    code: str
    message: str
    path: Path_ = ()
    at_key: bool = False
    hint: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    severity: Severity | None = None


def locate(problems: Iterable[Problem], doc: Document) -> list[Finding]:
    """Findings for ``problems``, placed in ``doc``'s text."""
    out = []
    for p in problems:
        if not p.path:  # the document as a whole: its first line, whatever comes first
            span = START
        elif p.at_key:
            span = doc.key_span(p.path)
        else:
            span = doc.span(p.path)
        severity = p.severity or codes.get(p.code).severity
        out.append(Finding(p.code, severity, p.message, p.path, span, p.hint, dict(p.data)))
    return out


def get(data: Any, *path: str | int) -> Any:
    """``data[path[0]][path[1]]...`` or None when any step is missing or mistyped."""
    cur = data
    for step in path:
        if isinstance(step, int):
            if not isinstance(cur, list) or not -len(cur) <= step < len(cur):
                return None
        elif not isinstance(cur, Mapping) or step not in cur:
            return None
        cur = cur[step]
    return cur


def number(value: Any) -> float | None:
    """``value`` as a float if it is a finite real number (bools are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    out = float(value)
    return out if math.isfinite(out) else None
