"""Recognising text that only pretends to say something.

Reasons and justifications are the part of a statement a reader relies on; a
``TBD`` or a lorem ipsum there must fail the check, not pass as prose.
"""

from __future__ import annotations

import re

_PLACEHOLDERS = {
    "tbd",
    "tba",
    "todo",
    "to do",
    "fixme",
    "xxx",
    "n/a",
    "na",
    "n.a.",
    "none",
    "null",
    "nil",
    "-",
    "--",
    "...",
    "…",
    "?",
    "??",
    "???",
    "placeholder",
    "fill in",
    "fill me in",
    "tk",
    "unknown",
    "pending",
    "later",
    "see above",
    "same as above",
    "same",
    "ditto",
    "as above",
}
_LOREM = re.compile(r"\blorem\s+ipsum\b|\bdolor\s+sit\s+amet\b", re.IGNORECASE)
_ONLY_PUNCT = re.compile(r"^[\W_]*$")
_TODO_MARK = re.compile(r"^\s*(todo|tbd|fixme|xxx)\b", re.IGNORECASE)

MIN_LENGTH = 12
"""Shorter texts cannot say why; 'not needed' is 10 characters."""


def placeholder_reason(text: object) -> str | None:
    """Why ``text`` is not a real explanation, or None if it may be one."""
    if not isinstance(text, str):
        return "it is not text"
    stripped = " ".join(text.split())
    low = stripped.lower().strip(" .!")
    if not stripped:
        return "it is empty"
    if low in _PLACEHOLDERS or stripped.lower() in _PLACEHOLDERS or _ONLY_PUNCT.match(stripped):
        return f"{stripped!r} is a placeholder"
    if _TODO_MARK.match(stripped):
        return f"it starts with the placeholder {stripped.split()[0]!r}"
    if _LOREM.search(stripped):
        return "it is lorem ipsum filler"
    if len(stripped) < MIN_LENGTH:
        return f"{stripped!r} is too short to explain anything (at least {MIN_LENGTH} characters)"
    return None


def normalise(text: str) -> str:
    """Text compared for copies: case, spacing and punctuation folded."""
    return re.sub(r"[\W_]+", " ", text.lower()).strip()
