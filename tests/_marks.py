"""Reading the findings a case file expects, as marked by hand on its lines.

A case marks what it expects on the offending line as ``#! CODE@COLUMN``
(several per line allowed), or anywhere as ``#! CODE@LINE:COLUMN``.
"""

from __future__ import annotations

import re
from pathlib import Path

_MARK = re.compile(r"(DLS-[A-Z]\d{3})@(?:(\d+):)?(\d+)")


def expected(path: Path) -> set[tuple[str, int, int]]:
    """The (code, line, column) findings ``path`` marks."""
    out = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if "#!" not in line:
            continue
        for code, at_line, col in _MARK.findall(line.split("#!", 1)[1]):
            out.add((code, int(at_line) if at_line else lineno, int(col)))
    return out
