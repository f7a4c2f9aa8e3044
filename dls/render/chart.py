"""Geometry of the teacher-against-student chart on the HTML page.

One row per finding, grouped by category. Each row has its own axis around the
two values (metrics have different units and scales, and a loss of 0.01 would
vanish on a 0-1 axis), so the axis ends are printed on the row. The teacher is
a hollow diamond, the student a filled dot coloured by verdict, the interval on
the difference is drawn around the student, and the shaded band runs from the
teacher to the tolerance limit: a student dot beyond it is a loss. Lost rows
are highlighted. The SVG itself is written by templates/chart.svg.j2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dls.render import text

WIDTH = 900
LABEL_X = 8
PLOT_LEFT = 340
PLOT_RIGHT = 640
VERDICT_X = 690
ROW = 30
CATEGORY_ROW = 26
TOP = 44


def _x(value: float, lo: float, hi: float) -> float:
    return round(PLOT_LEFT + (value - lo) / (hi - lo) * (PLOT_RIGHT - PLOT_LEFT), 1)


def _limit(row: Mapping[str, Any]) -> float | None:
    """The tolerance limit in metric units: where a loss starts."""
    tol = row.get("tolerance_value")
    teacher = row.get("teacher_value")
    direction = row["metric"].get("direction")
    if not isinstance(tol, (int, float)) or not isinstance(teacher, (int, float)):
        return None
    if direction == "higher_is_better":
        return float(teacher) - float(tol)
    if direction == "lower_is_better":
        return float(teacher) + float(tol)
    return None


def _finding(row: Mapping[str, Any], y: float) -> dict[str, Any] | None:
    teacher, student = row.get("teacher_value"), row.get("student_value")
    if not isinstance(teacher, (int, float)) or not isinstance(student, (int, float)):
        return None
    t, s = float(teacher), float(student)
    bounds = row.get("interval_bounds")
    lo_i = hi_i = None
    if bounds and all(isinstance(b, (int, float)) for b in bounds):
        lo_i, hi_i = t + float(bounds[0]), t + float(bounds[1])
    limit = _limit(row)
    target = row["metric"].get("target")
    values = [t, s, *(v for v in (lo_i, hi_i, limit) if v is not None)]
    if isinstance(target, (int, float)):
        values.append(float(target))
    lo, hi = min(values), max(values)
    span = hi - lo
    pad = span * 0.12 if span > 0 else max(abs(t) * 0.05, 0.01)
    lo, hi = lo - pad, hi + pad
    mid = round(y + ROW / 2, 1)
    verdict = str(row.get("verdict", ""))
    label = text.one_line(text.reveal(f"{row['metric']['label']} ({row['id']})"))
    item: dict[str, Any] = {
        "y": y,
        "mid": mid,
        "label": label,
        "short": label if len(label) <= 40 else label[:39] + "…",
        "teacher_x": _x(t, lo, hi),
        "student_x": _x(s, lo, hi),
        "teacher": row.get("teacher", ""),
        "student": row.get("student", ""),
        "difference": row.get("difference", ""),
        "interval": None,
        "band": None,
        "target_x": _x(float(target), lo, hi) if isinstance(target, (int, float)) else None,
        "axis_lo": text.number(lo, 3),
        "axis_hi": text.number(hi, 3),
        "verdict": verdict,
        "verdict_label": row.get("verdict_label", verdict),
        "lost": verdict == "lost",
        "checked": bool(row.get("checked")),
    }
    if lo_i is not None and hi_i is not None:
        item["interval"] = (_x(lo_i, lo, hi), _x(hi_i, lo, hi))
    if limit is not None:
        a, b = sorted((_x(t, lo, hi), _x(limit, lo, hi)))
        item["band"] = (a, round(b - a, 1))
    return item


def layout(categories: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Rows, category headers and the SVG height for the assessed categories."""
    y = float(TOP)
    groups = []
    for cat in categories:
        header_y = y
        y += CATEGORY_ROW
        rows = []
        for row in cat["rows"]:
            item = _finding(row, y)
            if item is not None:
                rows.append(item)
                y += ROW
        if rows:
            groups.append({"title": text.one_line(cat["title"]), "y": header_y, "rows": rows})
        else:
            y = header_y
    return {
        "width": WIDTH,
        "height": int(y + 10),
        "plot_left": PLOT_LEFT,
        "plot_right": PLOT_RIGHT,
        "label_x": LABEL_X,
        "verdict_x": VERDICT_X,
        "row": ROW,
        "groups": groups,
        "empty": not groups,
    }
