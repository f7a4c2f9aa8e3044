"""Helpers: write records as JSONL and read them back through the real reader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("numpy")


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def records(role: str, rows: list[dict[str, Any]], task: str = "t") -> list[dict[str, Any]]:
    """Records for one model: item ids 0.. unless a row gives its own."""
    out = []
    for i, r in enumerate(rows):
        rec = {"task": task, "item_id": str(i), "model_role": role}
        rec.update(r)
        out.append(rec)
    return out


@pytest.fixture
def paired(tmp_path: Path):  # type: ignore[no-untyped-def]
    """paired(teacher_rows, student_rows) -> the Paired table of task 't'."""
    from dls.evidence import records as rec

    def make(t_rows: list[dict[str, Any]], s_rows: list[dict[str, Any]]) -> Any:
        tp = write_jsonl(tmp_path / "t.jsonl", records("teacher", t_rows))
        sp = write_jsonl(tmp_path / "s.jsonl", records("student", s_rows))
        ev = rec.read([tp, sp], roles=["teacher", "student"])
        assert ev.ok, [f.message for r in ev.reports for f in r.findings]
        (p,) = rec.pair(ev)
        return p

    return make
