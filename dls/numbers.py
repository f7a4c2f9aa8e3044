"""The precision a number is written with.

A statement says ``0.513``: that is a claim to half a unit in the last digit,
±0.0005. Checks of recorded differences, ``dls verify`` and ``dls diff`` all
compare numbers within the precision their authors wrote them with.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_NUMBER = re.compile(r"^[-+]?(?P<int>\d*)(?:\.(?P<frac>\d*))?(?:[eE](?P<exp>[-+]?\d+))?$")

EXACT = 1e-12
"""Tolerance used when a number's written form is unknown (JSON parsed by the stdlib)."""


def half_unit(raw: str) -> float | None:
    """Half a unit in the last written digit of ``raw`` (``"0.513"`` -> 0.0005)."""
    m = _NUMBER.match(raw.strip().replace("_", ""))
    if m is None or not (m.group("int") or m.group("frac")):
        return None
    decimals = len(m.group("frac") or "")
    exponent = int(m.group("exp") or 0)
    try:
        return 0.5 * 10.0 ** (exponent - decimals)
    except OverflowError:  # 1e999 is not a finite number; the schema layer says so
        return None


def precision_at(
    scalars: Mapping[Any, str], path: tuple[str | int, ...], override: float | None = None
) -> float:
    """The precision of the number at ``path``: ``override`` if given, else from its text."""
    if override is not None:
        return override
    raw = scalars.get(path)
    found = half_unit(raw) if raw is not None else None
    return EXACT if found is None else found


def within(a: float, b: float, tolerance: float) -> bool:
    """``a`` and ``b`` agree to ``tolerance`` (with room for binary rounding)."""
    return abs(a - b) <= tolerance * (1 + 1e-9) + EXACT
