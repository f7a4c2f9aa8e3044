"""Per-item records: stream JSONL evidence, check it strictly, pair teacher with student.

One record per model x item x sample (docs/evidence.md, schema/records-v1).
The reader keeps only the values the metrics need, in compact per-field
arrays, so memory grows with the number of items and not with the size of the
files (prompts, documents and unknown payloads under ``extra`` are dropped).
A bad record becomes a finding with its file and line; the run never
continues silently on a partial read.
"""

from __future__ import annotations

import json
import math
import sys
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from dls.findings import FileReport, Finding, Severity, Span

Array = npt.NDArray[np.float64]
Key = tuple[str, str, int]
ROLES = ("teacher", "student")
EXPECTED = {"comply": 0.0, "refuse": 1.0, "abstain": 2.0}
NO_ATTACK = {"", "none", "direct"}
MAX_FINDINGS_PER_FILE = 50


class _BadRecord(Exception):
    def __init__(self, code: str, message: str, key: str | None = None, column: int = 1) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.key = key
        self.column = column


def _reject_constant(name: str) -> float:
    raise _BadRecord("DLS-V011", f"{name} is not a finite number; records hold finite numbers only")


BadRecord = _BadRecord
"""Raised (or yielded by importers) for a record that cannot be used."""

_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder(  # type: ignore[attr-defined]
    parse_constant=_reject_constant
).scan_once


def _decode(text: str) -> Any:
    """json.loads for one line, calling the C scanner directly (no per-line regex)."""
    text = text.strip()
    try:
        obj, end = _scan(text, 0)
    except StopIteration as exc:
        raise json.JSONDecodeError("Expecting value", text, exc.value) from None
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return obj


# -- columns -------------------------------------------------------------------------------


class _Sparse:
    """Values of one numeric field, stored as (row, value) pairs."""

    __slots__ = ("rows", "vals")

    def __init__(self) -> None:
        self.rows = array("q")
        self.vals = array("d")

    def dense(self, n: int) -> Array:
        out = np.full(n, np.nan)
        if self.rows:
            out[np.frombuffer(self.rows, dtype=np.int64)] = np.frombuffer(self.vals)
        return out


@dataclass
class Side:
    """One model's values on a set of rows; NaN (or None) where a record lacks a field.

    Text fields (label, pred, output, cluster, attack) are stored as codes into
    ``vocab`` (-1 where missing) and turned back into strings only on demand.
    """

    n: int
    num: dict[str, Array] = field(default_factory=dict)
    codes: dict[str, npt.NDArray[np.int64]] = field(default_factory=dict)
    vocab: list[str] = field(default_factory=list)
    probs: list[Array | None] | None = None
    scores: dict[str, Array] = field(default_factory=dict)

    def col(self, name: str) -> Array:
        got = self.num.get(name)
        return got if got is not None else np.full(self.n, np.nan)

    def has(self, name: str) -> bool:
        got = self.num.get(name)
        return got is not None and bool(np.isfinite(got).any())

    def has_text(self, name: str) -> bool:
        got = self.codes.get(name)
        return got is not None and bool((got >= 0).any())

    def strings(self, name: str) -> list[str | None]:
        got = self.codes.get(name)
        if got is None:
            return [None] * self.n
        vocab = self.vocab
        return [vocab[c] if c >= 0 else None for c in got.tolist()]

    def take(self, idx: npt.NDArray[np.intp]) -> Side:
        return Side(
            n=len(idx),
            num={k: v[idx] for k, v in self.num.items()},
            codes={k: v[idx] for k, v in self.codes.items()},
            vocab=self.vocab,
            probs=None if self.probs is None else [self.probs[i] for i in idx.tolist()],
            scores={k: v[idx] for k, v in self.scores.items()},
        )


class _Builder:
    """Accumulates one role's records."""

    def __init__(self) -> None:
        self.index: dict[Key, int] = {}
        self.lines = array("q")  # line of each row in its file
        self.num: defaultdict[str, _Sparse] = defaultdict(_Sparse)
        self.text: defaultdict[str, _Sparse] = defaultdict(_Sparse)  # codes into vocab
        self.vocab: dict[str, int] = {}
        self.probs: dict[int, Array] = {}
        self.scores: defaultdict[str, _Sparse] = defaultdict(_Sparse)

    def put(self, name: str, row: int, value: float) -> None:
        col = self.num[name]
        col.rows.append(row)
        col.vals.append(value)

    def side(self) -> Side:
        n = len(self.index)
        return Side(
            n=n,
            num={k: v.dense(n) for k, v in self.num.items() if v.rows},
            codes={
                k: np.nan_to_num(v.dense(n), nan=-1.0).astype(np.int64)
                for k, v in self.text.items()
                if v.rows
            },
            vocab=list(self.vocab),
            probs=[self.probs.get(i) for i in range(n)] if self.probs else None,
            scores={k: v.dense(n) for k, v in self.scores.items() if v.rows},
        )


# -- field checks --------------------------------------------------------------------------


def _number(key: str, v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _BadRecord("DLS-V010", f"`{key}` must be a number, not {_kind(v)}", key)
    f = float(v)
    if not math.isfinite(f):
        raise _BadRecord("DLS-V011", f"`{key}` is not a finite number", key)
    return f


def _unit(key: str, v: Any) -> float:
    f = _number(key, v)
    if not 0.0 <= f <= 1.0:
        raise _BadRecord("DLS-V010", f"`{key}` must lie in [0, 1], not {f:g}", key)
    return f


def _bool(key: str, v: Any) -> float:
    if not isinstance(v, bool):
        raise _BadRecord("DLS-V010", f"`{key}` must be true or false, not {_kind(v)}", key)
    return 1.0 if v else 0.0


def _int(key: str, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise _BadRecord("DLS-V010", f"`{key}` must be a non-negative integer, not {v!r}", key)
    return v


def _str(key: str, v: Any) -> str:
    if not isinstance(v, str):
        raise _BadRecord("DLS-V010", f"`{key}` must be a string, not {_kind(v)}", key)
    return v


def _label(key: str, v: Any) -> str:
    if isinstance(v, bool) or not isinstance(v, (int, str)):
        raise _BadRecord("DLS-V010", f"`{key}` must be an integer or a string, not {_kind(v)}", key)
    return str(v)


def _obj(key: str, v: Any) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise _BadRecord("DLS-V010", f"`{key}` must be an object, not {_kind(v)}", key)
    return v


def _kind(v: Any) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }.get(type(v), type(v).__name__)


def _vector(key: str, v: Any) -> Array:
    if not isinstance(v, list) or not v:
        raise _BadRecord("DLS-V010", f"`{key}` must be a non-empty list of numbers", key)
    return np.array([_number(key, x) for x in v], dtype=np.float64)


def _softmax(x: Array) -> Array:
    e = np.exp(x - x.max())
    return np.asarray(e / e.sum())


def _flags(key: str, v: Any, flag: str) -> tuple[int, int]:
    """(true count, total) of the boolean ``flag`` over a list of objects."""
    if not isinstance(v, list):
        raise _BadRecord("DLS-V010", f"`{key}` must be a list of objects", key)
    good = 0
    for i, item in enumerate(v):
        if not isinstance(item, dict) or not isinstance(item.get(flag), bool):
            raise _BadRecord(
                "DLS-V010", f"`{key}[{i}]` must be an object with a boolean `{flag}`", key
            )
        good += item[flag]
    return good, len(v)


_NUMERIC = ("score", "mia_score", "logprob_self", "logprob_teacher", "logprob_student")
_UNITS = ("confidence", "strongreject")
_BOOLS = ("refused", "abstained", "harmful", "is_ood", "member", "extracted", "finished")
_INTS = ("output_tokens", "turn")
_OBJECTS = ("tags", "judge", "source", "extra")

# field -> how to read it; the per-record loop dispatches on this small int
_SKIP, _NUM, _UNIT, _BOOL, _LABEL, _INT, _STR, _OBJ, _OTHER = range(9)
_KINDS: dict[str, int] = {
    **dict.fromkeys(("task", "item_id", "model_role", "sample"), _SKIP),
    **dict.fromkeys(_NUMERIC, _NUM),
    **dict.fromkeys(_UNITS, _UNIT),
    **dict.fromkeys(_BOOLS, _BOOL),
    **dict.fromkeys(("label", "pred"), _LABEL),
    **dict.fromkeys(_INTS, _INT),
    **dict.fromkeys(("output", "cluster", "attack", "category", "model", "behavior_id"), _STR),
    **dict.fromkeys(_OBJECTS, _OBJ),
    **dict.fromkeys(
        ("probs", "choice_logprobs", "expected", "claims", "steps", "tool_calls", "scores"), _OTHER
    ),
}
_KEEP_TEXT = ("output", "cluster", "attack")


def _apply(b: _Builder, row: int, rec: dict[str, Any]) -> None:
    """Check one record's fields and store the values the metrics use."""
    num = b.num
    label: str | None = None
    pred: str | None = None
    for key, v in rec.items():
        kind = _KINDS.get(key)
        if kind is None:
            if key.startswith("x-"):
                continue
            raise _BadRecord(
                "DLS-V010", f"unknown field `{key}` (put your own data under `extra`)", key
            )
        if kind == _SKIP:
            continue
        if kind in (_NUM, _UNIT):
            t = type(v)
            if t is not float and t is not int:
                raise _BadRecord("DLS-V010", f"`{key}` must be a number, not {_kind(v)}", key)
            if t is float and v - v != 0.0:
                raise _BadRecord("DLS-V011", f"`{key}` is not a finite number", key)
            if kind == _UNIT and not 0.0 <= v <= 1.0:
                raise _BadRecord("DLS-V010", f"`{key}` must lie in [0, 1], not {v:g}", key)
            col = num[key]
            col.rows.append(row)
            col.vals.append(v)
        elif kind == _BOOL:
            if v is True or v is False:
                col = num[key]
                col.rows.append(row)
                col.vals.append(1.0 if v else 0.0)
            else:
                raise _BadRecord("DLS-V010", f"`{key}` must be true or false, not {_kind(v)}", key)
        elif kind == _LABEL:
            t = type(v)
            if t is str:
                sv: str = v
            elif t is int:
                sv = str(v)
            else:
                raise _BadRecord(
                    "DLS-V010", f"`{key}` must be an integer or a string, not {_kind(v)}", key
                )
            col = b.text[key]
            col.rows.append(row)
            col.vals.append(b.vocab.setdefault(sv, len(b.vocab)))
            if key == "label":
                label = sv
            else:
                pred = sv
        elif kind == _INT:
            b.put(key, row, float(_int(key, v)))
        elif kind == _STR:
            s = _str(key, v)
            if key in _KEEP_TEXT:
                col = b.text[key]
                col.rows.append(row)
                col.vals.append(b.vocab.setdefault(s, len(b.vocab)))
            if key == "attack":
                b.put("has_attack", row, 0.0 if s.strip().lower() in NO_ATTACK else 1.0)
        elif kind == _OBJ:
            _obj(key, v)
        else:
            _other(b, row, key, v, rec)
    if label is not None and pred is not None:
        col = num["pred_match"]
        col.rows.append(row)
        col.vals.append(1.0 if label == pred else 0.0)
    probs = b.probs.get(row)
    if probs is not None:
        top = int(np.argmax(probs))
        b.put("top1", row, float(top))
        b.put("p_conf", row, float(probs[top]))
        if label is not None:
            y = _class_index(label, len(probs))
            b.put("p_correct", row, float(top == y))
            onehot = np.zeros(len(probs))
            onehot[y] = 1.0
            b.put("brier", row, float(((probs - onehot) ** 2).sum()))
            b.put("nll", row, -math.log(max(float(probs[y]), 1e-15)))


def _other(b: _Builder, row: int, key: str, v: Any, rec: dict[str, Any]) -> None:
    """The structured fields: distributions, judged lists, expected behaviour, scores."""
    if key == "probs":
        probs = _vector(key, v)
        if (probs < 0).any() or (probs > 1).any() or abs(probs.sum() - 1.0) > 0.01:
            raise _BadRecord("DLS-V010", "`probs` must be probabilities summing to 1", key)
        b.probs[row] = probs / probs.sum()
    elif key == "choice_logprobs":
        lp = _vector(key, v)
        if "probs" not in rec:
            b.probs[row] = _softmax(lp)
    elif key == "expected":
        if v not in EXPECTED:
            raise _BadRecord(
                "DLS-V010", f"`expected` must be comply, refuse or abstain, not {v!r}", key
            )
        b.put("expected", row, EXPECTED[v])
    elif key in ("claims", "steps", "tool_calls"):
        flag, good_name = {
            "claims": ("supported", "claims_supported"),
            "steps": ("correct", "steps_correct"),
            "tool_calls": ("valid", "tool_calls_valid"),
        }[key]
        good, total = _flags(key, v, flag)
        b.put(good_name, row, float(good))
        b.put(key, row, float(total))
    elif key == "scores":
        for name, x in _obj(key, v).items():
            val = _number(f"scores.{name}", x)
            col = b.scores[name]
            col.rows.append(row)
            col.vals.append(val)


def _class_index(label: str, k: int) -> int:
    if not label.isdigit() or int(label) >= k:
        raise _BadRecord(
            "DLS-V010", f"`label` {label!r} is not a class index for {k} probabilities", "label"
        )
    return int(label)


# -- reading -------------------------------------------------------------------------------


@dataclass
class Evidence:
    """What was read: per-role row tables with their keys and clusters, and the problems."""

    sides: dict[str, Side]
    keys: dict[str, list[Key]]
    clusters: dict[str, list[str | None]]
    reports: list[FileReport]
    files: list[Path]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.reports)


def read(
    paths: Sequence[Path | str],
    *,
    roles: Sequence[str | None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Evidence:
    """Stream records from ``paths``; ``roles[i]`` (if given) is the only role file i may hold."""
    files = [Path(p) for p in paths]
    sources = [
        (str(p), roles[i] if roles else None, _lines(p, progress)) for i, p in enumerate(files)
    ]
    ev = read_rows(sources)
    ev.files = files
    return ev


def _load_fast() -> Callable[[bytes], Any] | None:
    try:
        import orjson
    except ImportError:  # optional: the stdlib parser does the same, slower
        return None
    return orjson.loads


_fast = _load_fast()


def _parse(raw: bytes) -> Any:
    """One line: orjson when installed; the stdlib explains any line orjson rejects
    (NaN and Infinity literals, overflowing numbers, bad UTF-8, syntax errors)."""
    if _fast is not None:
        try:
            return _fast(raw)
        except ValueError:
            pass
    return _decode(raw.decode("utf-8"))


def _lines(path: Path, progress: Callable[[int], None] | None) -> Iterator[tuple[int, Any]]:
    """(line number, parsed record) for each non-blank line; raises OSError if unreadable."""
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if progress is not None:
                progress(len(raw))
            if not raw.strip():
                continue
            try:
                yield lineno, _parse(raw)
            except _BadRecord as bad:
                yield lineno, bad
            except json.JSONDecodeError as exc:
                yield lineno, _BadRecord("DLS-V010", f"not valid JSON: {exc.msg}", None, exc.colno)
            except UnicodeDecodeError:
                yield lineno, _BadRecord("DLS-V010", "not valid UTF-8")


def read_rows(sources: Sequence[tuple[str, str | None, Iterable[tuple[int, Any]]]]) -> Evidence:
    """Check and collect records from (display name, allowed role, (line, record) pairs).

    Importers use this with records they converted from another format; a
    ``_BadRecord`` in place of a record is reported at its line.
    """
    builders = {r: _Builder() for r in ROLES}
    clusters: dict[str, dict[int, str]] = {r: {} for r in ROLES}
    reports: list[FileReport] = []
    for fno, (name, want, rows) in enumerate(sources):
        report = FileReport(file=name, kind="records")
        reports.append(report)
        try:
            for lineno, rec in rows:
                try:
                    if isinstance(rec, _BadRecord):
                        raise rec
                    _one(rec, want, builders, clusters, fno, lineno)
                except _BadRecord as bad:
                    _note(report, bad.code, bad.message, lineno, bad.key, bad.column)
        except OSError as exc:
            report.exception = f"cannot read {name}: {exc.strerror or exc}"
    sides = {r: b.side() for r, b in builders.items()}
    keys = {r: list(b.index) for r, b in builders.items()}
    cl = {r: [clusters[r].get(i) for i in range(len(keys[r]))] for r in ROLES}
    return Evidence(sides, keys, cl, reports, [])


def _one(
    rec: Any,
    want: str | None,
    builders: dict[str, _Builder],
    clusters: dict[str, dict[int, str]],
    fno: int,
    lineno: int,
) -> None:
    if not isinstance(rec, dict):
        raise _BadRecord("DLS-V010", f"a record must be a JSON object, not {_kind(rec)}")
    role = rec.get("model_role")
    if role not in ROLES:
        raise _BadRecord("DLS-V010", "`model_role` must be 'teacher' or 'student'", "model_role")
    if want is not None and role != want:
        raise _BadRecord(
            "DLS-V010", f"a {role} record in the file given as the {want}'s evidence", "model_role"
        )
    task = rec.get("task")
    if not isinstance(task, str) or not task:
        raise _BadRecord("DLS-V010", "`task` must be a non-empty string", "task")
    item = rec.get("item_id")
    if isinstance(item, bool) or not isinstance(item, (str, int)) or item == "":
        raise _BadRecord(
            "DLS-V010", "`item_id` must be a non-empty string or an integer", "item_id"
        )
    sample = rec.get("sample", 0)
    if type(sample) is not int or sample < 0:
        sample = _int("sample", sample)
    b = builders[role]
    key = (_intern(task), item if type(item) is str else str(item), sample)
    if key in b.index:
        first = b.lines[b.index[key]]
        raise _BadRecord(
            "DLS-V012",
            f"duplicate record for task {task!r}, item {item!r}, sample {sample} "
            f"(first at line {first})",
        )
    row = len(b.index)
    try:
        _apply(b, row, rec)
    except _BadRecord:
        _rollback(b, row)
        raise
    b.index[key] = row
    b.lines.append(lineno)
    cl = rec.get("cluster")
    if cl is not None:
        clusters[role][row] = str(cl)


_TASKS: dict[str, str] = {}


def _intern(task: str) -> str:
    got = _TASKS.get(task)
    if got is None:
        got = _TASKS[task] = sys.intern(task)
    return got


def _rollback(b: _Builder, row: int) -> None:
    """Forget the values a rejected record had already stored."""
    for col in (*b.num.values(), *b.scores.values(), *b.text.values()):
        while col.rows and col.rows[-1] == row:
            col.rows.pop()
            col.vals.pop()
    b.probs.pop(row, None)


def _note(
    report: FileReport, code: str, message: str, line: int, key: str | None, column: int = 1
) -> None:
    """Record a bad record; past MAX_FINDINGS_PER_FILE only a running count is kept."""
    found = report.findings
    if len(found) >= MAX_FINDINGS_PER_FILE:
        last = found[-1]
        more = int(last.data.get("more", 0)) if len(found) > MAX_FINDINGS_PER_FILE else 0
        summary = Finding(
            last.code if more else code,
            Severity.ERROR,
            f"... and {more + 1} more bad record(s) in this file",
            span=Span(line, column),
            data={"more": more + 1},
        )
        if more:
            found[-1] = summary
        else:
            found.append(summary)
        return
    found.append(
        Finding(
            code,
            Severity.ERROR,
            message,
            path=(line - 1,) if key is None else (line - 1, key),
            span=Span(line, column),
        )
    )


def iter_findings(ev: Evidence) -> Iterable[tuple[FileReport, Finding]]:
    for r in ev.reports:
        for f in r.findings:
            yield r, f


# re-exported: pairing lives next door, most callers want both
from dls.evidence.pairing import Paired, pair  # noqa: E402

__all__ = ["BadRecord", "Evidence", "Paired", "Side", "pair", "read", "read_rows"]
