"""``dls diff``: what changed between two releases of a statement.

A reviewer wants to know what got worse, not which lines moved. Both files go
through the full validator, so verdicts are the computed ones (claimed
statuses only where no verdict could be computed). Findings are matched by
category and id. Two written numbers differ only when the ranges they stand
for (value ± half a unit in the last written digit) do not overlap, so
rewriting ``0.51`` as ``0.510`` is no change and ``0.51`` to ``0.53`` is.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from dls.errors import InputError
from dls.findings import FileReport, Path_
from dls.loader import Document
from dls.numbers import precision_at

Key = tuple[str, str]
"""A finding's identity across releases: (category, finding id)."""

_NUMBER_FIELDS: tuple[Path_, ...] = (
    ("teacher",),
    ("student",),
    ("difference",),
    ("interval", "lower"),
    ("interval", "upper"),
    ("evaluation", "items"),
)


@dataclass(frozen=True, slots=True)
class FindingState:
    """One finding of one release, with its verdict."""

    category: str
    id: str
    metric: str
    teacher: float | None
    student: float | None
    claimed: str | None
    verdict: str | None  # computed verdict, else the claimed status
    computed: bool  # verdict comes from the validator, not from the claim
    accepted: bool  # a loss accepted with a justification
    line: int

    @property
    def lost(self) -> bool:
        return self.verdict == "lost"


@dataclass(frozen=True, slots=True)
class Change:
    """One change between the releases, about one finding, category or entry."""

    kind: str
    category: str | None = None
    id: str | None = None
    metric: str | None = None
    field: str | None = None
    old: Any = None
    new: Any = None
    precision: float | None = None
    accepted: bool = False
    line: int | None = None
    teacher: float | None = None
    student: float | None = None
    claimed: bool | None = None  # a verdict shown is only the claimed status (none computed)


@dataclass(slots=True)
class Side:
    """What the diff knows about one release."""

    file: str
    ok: bool
    errors: int
    scenario: str | None
    findings: dict[Key, FindingState] = field(default_factory=dict)


@dataclass(slots=True)
class StatementDiff:
    """Everything that changed, grouped the way a reviewer reads it."""

    old: Side
    new: Side
    scenario: Change | None = None
    new_losses: list[Change] = field(default_factory=list)  # lost now, not before (or new)
    resolved_losses: list[Change] = field(default_factory=list)
    dropped_losses: list[Change] = field(default_factory=list)
    verdict_changes: list[Change] = field(default_factory=list)  # other verdict changes
    metric_changes: list[Change] = field(default_factory=list)
    findings_added: list[Change] = field(default_factory=list)
    findings_removed: list[Change] = field(default_factory=list)
    number_changes: list[Change] = field(default_factory=list)
    assessment_changes: list[Change] = field(default_factory=list)
    model_changes: list[Change] = field(default_factory=list)
    evidence_added: list[Change] = field(default_factory=list)
    evidence_removed: list[Change] = field(default_factory=list)
    evidence_changed: list[Change] = field(default_factory=list)

    SECTIONS = (
        "new_losses",
        "resolved_losses",
        "dropped_losses",
        "verdict_changes",
        "metric_changes",
        "findings_added",
        "findings_removed",
        "number_changes",
        "assessment_changes",
        "model_changes",
        "evidence_added",
        "evidence_removed",
        "evidence_changed",
    )

    def section(self, name: str) -> list[Change]:
        value: list[Change] = getattr(self, name)
        return value

    @property
    def changed(self) -> bool:
        """Anything at all changed."""
        return self.scenario is not None or any(self.section(s) for s in self.SECTIONS)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``old``, ``new``, ``scenario``, one list per section, ``summary``.

        Each change carries only the fields that apply: ``category``, ``id``,
        ``metric``, ``field``, ``old``, ``new``, ``precision``, ``accepted``,
        ``line`` (in the new file), ``teacher``, ``student``.
        """

        def side(s: Side) -> dict[str, Any]:
            return {"file": s.file, "ok": s.ok, "errors": s.errors, "scenario": s.scenario}

        def change(c: Change) -> dict[str, Any]:
            return {k: v for k, v in asdict(c).items() if v is not None and k != "kind"}

        out: dict[str, Any] = {"old": side(self.old), "new": side(self.new)}
        out["scenario"] = None if self.scenario is None else change(self.scenario)
        for name in self.SECTIONS:
            out[name] = [change(c) for c in self.section(name)]
        out["summary"] = {name: len(self.section(name)) for name in self.SECTIONS}
        out["summary"]["changed"] = self.changed
        return out


# -- reading one release -----------------------------------------------------------------------


def _scenario_label(data: Mapping[str, Any]) -> str | None:
    ref = data.get("scenario")
    if not isinstance(ref, Mapping):
        return None
    name = ref.get("id") or ref.get("path")
    version = ref.get("version")
    if name is None:
        return None
    return f"{name} v{version}" if version is not None else str(name)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _finding_paths(data: Any) -> dict[Key, tuple[Path_, Mapping[str, Any]]]:
    """Every finding with an id, by (category, id), with its path in the document."""
    out: dict[Key, tuple[Path_, Mapping[str, Any]]] = {}
    cats = data.get("categories") if isinstance(data, Mapping) else None
    for cat, section in cats.items() if isinstance(cats, Mapping) else ():
        items = section.get("findings") if isinstance(section, Mapping) else None
        for i, f in enumerate(items if isinstance(items, list) else []):
            if isinstance(f, Mapping) and isinstance(f.get("id"), str):
                out[(cat, f["id"])] = (("categories", cat, "findings", i), f)
    return out


def _findings(doc: Document, report: FileReport) -> dict[Key, FindingState]:
    rows = {
        (getattr(r, "category", None), getattr(r, "finding_id", None)): r for r in report.verdicts
    }
    out: dict[Key, FindingState] = {}
    for key, (path, f) in _finding_paths(doc.data).items():
        row = rows.get(key)
        claimed = f.get("status") if isinstance(f.get("status"), str) else None
        verdict = getattr(row, "verdict", None) if row is not None else None
        out[key] = FindingState(
            category=key[0],
            id=key[1],
            metric=str(f.get("metric")),
            teacher=_number(f.get("teacher")),
            student=_number(f.get("student")),
            claimed=claimed,
            verdict=verdict if verdict is not None else claimed,
            computed=verdict is not None,
            accepted=bool(getattr(row, "accepted", False)),
            line=doc.span(path).line,
        )
    return out


def _get(data: Any, path: Path_) -> Any:
    for step in path:
        if not isinstance(data, Mapping) or step not in data:
            return None
        data = data[step]
    return data


def load_side(path: str | os.PathLike[str]) -> tuple[Document, FileReport]:
    """Load and validate one release; a file that cannot be parsed cannot be diffed."""
    import dls

    doc = dls.load(path)
    if doc.data is None or not isinstance(doc.data, Mapping):
        first = next((f for f in doc.findings), None)
        why = f": {first.code} {first.message}" if first else ""
        raise InputError(f"cannot diff {os.fspath(path)}: it does not load as a statement{why}")
    return doc, dls.validate(doc)


# -- comparing ---------------------------------------------------------------------------------


def _numbers(old: Document, new: Document, key: Key, out: list[Change]) -> None:
    old_path, old_f = _finding_paths(old.data)[key]
    new_path, new_f = _finding_paths(new.data)[key]
    for sub in _NUMBER_FIELDS:
        a, b = _number(_get(old_f, sub)), _number(_get(new_f, sub))
        if a is None and b is None:
            continue
        name = ".".join(str(s) for s in sub)
        line = new.span(new_path + sub).line if b is not None else None
        if a is None or b is None:
            out.append(Change("number", key[0], key[1], None, name, a, b, None, line=line))
            continue
        # a finding's stated `precision` applies to its values and difference
        stated = sub[0] in ("teacher", "student", "difference")
        pa = precision_at(
            old.scalars, old_path + sub, _number(old_f.get("precision")) if stated else None
        )
        pb = precision_at(
            new.scalars, new_path + sub, _number(new_f.get("precision")) if stated else None
        )
        if abs(a - b) > (pa + pb) * (1 + 1e-9):
            out.append(Change("number", key[0], key[1], None, name, a, b, max(pa, pb), line=line))


def _entries(data: Any, key: str, ident: str) -> dict[str, Mapping[str, Any]]:
    items = data.get(key) if isinstance(data, Mapping) else None
    return {
        str(e[ident]): e
        for e in (items if isinstance(items, list) else [])
        if isinstance(e, Mapping) and ident in e
    }


def compare(
    old_doc: Document, old_report: FileReport, new_doc: Document, new_report: FileReport
) -> StatementDiff:
    """The diff of two loaded and validated releases."""
    old_data, new_data = old_doc.data, new_doc.data
    old = Side(old_doc.name, old_report.ok, old_report.errors, _scenario_label(old_data))
    new = Side(new_doc.name, new_report.ok, new_report.errors, _scenario_label(new_data))
    old.findings, new.findings = _findings(old_doc, old_report), _findings(new_doc, new_report)
    d = StatementDiff(old, new)
    if old.scenario != new.scenario:
        d.scenario = Change("scenario", old=old.scenario, new=new.scenario)

    for key, n in new.findings.items():
        o = old.findings.get(key)
        if o is None:
            d.findings_added.append(_fchange("finding-added", n, None, n.verdict, n.line))
            if n.lost:
                d.new_losses.append(_fchange("new-loss", n, None, n.verdict, n.line))
            continue
        if o.metric != n.metric:
            d.verdict_changes.append(
                Change(
                    "metric", n.category, n.id, n.metric, "metric", o.metric, n.metric, line=n.line
                )
            )
        if n.lost and not o.lost:
            d.new_losses.append(_fchange("new-loss", n, o.verdict, n.verdict, n.line, o))
        elif o.lost and not n.lost:
            d.resolved_losses.append(_fchange("resolved-loss", n, o.verdict, n.verdict, n.line, o))
        elif o.verdict != n.verdict:
            d.verdict_changes.append(_fchange("verdict", n, o.verdict, n.verdict, n.line, o))
        _numbers(old_doc, new_doc, key, d.number_changes)
    for key, o in old.findings.items():
        if key not in new.findings:
            d.findings_removed.append(_fchange("finding-removed", o, o.verdict, None, None))
            if o.lost:
                d.dropped_losses.append(_fchange("dropped-loss", o, o.verdict, None, None))

    old_cats = _get(old_data, ("categories",)) or {}
    new_cats = _get(new_data, ("categories",)) or {}
    for cat in dict.fromkeys([*old_cats, *new_cats]):
        a = _get(old_cats, (cat, "assessment"))
        b = _get(new_cats, (cat, "assessment"))
        if a != b:
            line = new_doc.span(("categories", cat)).line if b is not None else None
            d.assessment_changes.append(
                Change("assessment", cat, field="assessment", old=a, new=b, line=line)
            )

    for role in ("teacher", "student"):
        for name in ("name", "revision", "parameters"):
            a, b = _get(old_data, (role, name)), _get(new_data, (role, name))
            if a != b:
                line = new_doc.span((role, name)).line if b is not None else None
                d.model_changes.append(
                    Change("model", field=f"{role}.{name}", old=a, new=b, line=line)
                )

    old_ev, new_ev = _entries(old_data, "evidence", "id"), _entries(new_data, "evidence", "id")
    for eid, e in new_ev.items():
        where = e.get("path") or e.get("uri")
        if eid not in old_ev:
            d.evidence_added.append(Change("evidence-added", id=eid, new=where))
        elif (
            old_ev[eid].get("sha256") != e.get("sha256")
            or (old_ev[eid].get("path") or old_ev[eid].get("uri")) != where
        ):
            d.evidence_changed.append(
                Change(
                    "evidence-changed", id=eid, old=old_ev[eid].get("sha256"), new=e.get("sha256")
                )
            )
    for eid, e in old_ev.items():
        if eid not in new_ev:
            d.evidence_removed.append(
                Change("evidence-removed", id=eid, old=e.get("path") or e.get("uri"))
            )
    return d


def _fchange(
    kind: str,
    f: FindingState,
    old: str | None,
    new: str | None,
    line: int | None,
    other: FindingState | None = None,
) -> Change:
    """A change about finding ``f``; ``other`` is its counterpart in the other release."""
    return Change(
        kind,
        f.category,
        f.id,
        f.metric,
        "verdict",
        old,
        new,
        accepted=f.accepted,
        line=line,
        teacher=f.teacher,
        student=f.student,
        claimed=True if not f.computed or (other is not None and not other.computed) else None,
    )


def diff_paths(old: str | os.PathLike[str], new: str | os.PathLike[str]) -> StatementDiff:
    """Load, validate and compare two statement files."""
    old_doc, old_report = load_side(old)
    new_doc, new_report = load_side(new)
    return compare(old_doc, old_report, new_doc, new_report)
