"""Text and number formatting shared by every output format.

Statement text is untrusted: it may hold Markdown syntax, HTML, table pipes,
newlines or bidi controls. ``md_inline`` turns any string into Markdown that
displays the original characters and cannot change the structure around it
(a table cell, a list item, a heading); Markdown-to-HTML then escapes it once
more for the page. Invisible and bidi control characters are shown as
``{U+202E}`` instead of silently reordering what a reader sees.
"""

from __future__ import annotations

import math
import re

# Bidi embeddings, overrides, isolates and marks; zero-width and other invisible
# characters. ZWJ/ZWNJ (U+200C, U+200D) stay: scripts and emoji need them.
_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_INVISIBLE = (0x200B, 0x2060, 0xFEFF, 0x180E, 0x00AD)
_VISIBLE_CODES = frozenset((*_BIDI, *_INVISIBLE))
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SPACES = re.compile(r"[ \t]+")
# Characters that start Markdown inline constructs (emphasis, code, links,
# strikethrough, table cells) or HTML; escaped wherever they occur.
_MD_SPECIAL = {
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    "]": "\\]",
    "|": "\\|",
    "~": "\\~",
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
}
# Block constructs a line can open: headings, bullets, ordered items, thematic
# breaks and setext underlines (``>`` is already an entity).
_LEADING_BLOCK = re.compile(r"^(#{1,6}|[+\-])(?=\s|$)|^([=\-])(?=[=\-\s]*$)")
_LEADING_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def reveal(text: str) -> str:
    """``text`` with bidi controls and invisible characters shown as ``{U+XXXX}``."""
    if not any(ord(ch) in _VISIBLE_CODES for ch in text):
        return text
    return "".join(f"{{U+{ord(ch):04X}}}" if ord(ch) in _VISIBLE_CODES else ch for ch in text)


def has_hidden_characters(text: str) -> bool:
    """Whether ``text`` holds bidi controls or invisible characters."""
    return any(ord(ch) in _VISIBLE_CODES for ch in text)


def one_line(text: str) -> str:
    """``text`` on one line: line breaks and control characters become spaces."""
    return _SPACES.sub(" ", _CONTROLS.sub(" ", text)).strip()


def md_inline(text: str) -> str:
    """Markdown that displays ``text`` literally, safe in table cells and list items."""
    flat = one_line(reveal(text))
    out = "".join(_MD_SPECIAL.get(ch, ch) for ch in flat)
    out = _LEADING_ORDERED.sub(r"\1\\\2", out)
    return _LEADING_BLOCK.sub(lambda m: "\\" + m.group(0), out)


def md_paragraphs(text: str) -> str:
    """Like ``md_inline`` but keeps blank-line paragraph breaks (for top-level prose)."""
    parts = [md_inline(p) for p in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n"))]
    return "\n\n".join(p for p in parts if p)


_CODE_SAFE = re.compile(r"^[^`|\s<>&\\]+$")


def md_code(text: str) -> str:
    """An inline code span for identifiers and hashes; escaped text when unsafe."""
    flat = one_line(reveal(text))
    return f"`{flat}`" if _CODE_SAFE.match(flat) else md_inline(flat)


_SAFE_URL = re.compile(r"^https?://[^\s<>()\[\]|`\\\"']+$")


def md_link(label: str, url: str | None) -> str:
    """A Markdown link when ``url`` is a plain http(s) address, else the escaped label."""
    if url and _SAFE_URL.match(url) and not has_hidden_characters(url):
        return f"[{md_inline(label)}]({url})"
    if url:
        return f"{md_inline(label)} ({md_inline(url)})"
    return md_inline(label)


# -- numbers -------------------------------------------------------------------------------


def number(value: float | int | None, digits: int = 4) -> str:
    """A value with ``digits`` significant digits, no exponent in the usual range."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    x = float(value)
    if math.isnan(x) or math.isinf(x):
        return str(x)
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    if magnitude >= 6 or magnitude < -4:
        return f"{x:.{digits - 1}e}".replace("e+0", "e+").replace("e-0", "e-")
    decimals = max(0, digits - 1 - magnitude)
    text = f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def signed(value: float | int | None, digits: int = 4) -> str:
    """A difference with an explicit sign (``+0.012``, ``-0.3``, ``0``)."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    text = number(value, digits)
    return text if text.startswith("-") or text == "0" else "+" + text


def count(value: float | int | None) -> str:
    """A parameter count the way model cards write it (66M, 1.24B)."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    x = float(value)
    for factor, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(x) >= factor:
            return f"{number(x / factor, 3)}{suffix}"
    return number(x, 3)


def percent(level: float | None) -> str:
    """A confidence level as a percentage (``0.95`` -> ``95%``)."""
    if isinstance(level, bool) or not isinstance(level, (int, float)):
        return "—" if level is None else str(level)
    return f"{number(level * 100, 4)}%"
