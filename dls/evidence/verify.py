"""Re-check a statement against its evidence: hashes, then every recomputable number.

Evidence hashes are compared first. A finding that cites changed or missing
evidence is not recomputed (its numbers describe other bytes). The others are
recomputed from per-item evidence with the method, seed and parameters the
statement records, and each written number is compared with its recomputation
within its precision: the finding's ``precision``, else half a unit in the last
digit written (``Document.scalars`` keeps the raw text).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dls import numbers, registry, verdicts
from dls.evidence import lm_eval, records
from dls.evidence.measure import (
    Computed,
    Options,
    compute_finding,
    metric_params,
    shape_finding,
)
from dls.evidence.metrics import ratio_measured, specs
from dls.files import sha256_file
from dls.findings import FileReport, Finding, Path_, Severity
from dls.loader import Document, load_path

_NUMBERS = (
    ("teacher",),
    ("student",),
    ("difference",),
    ("interval", "lower"),
    ("interval", "upper"),
)


def verify(statement: str | Path) -> FileReport:
    """Findings about ``statement``'s evidence and numbers (codes DLS-V001..V005)."""
    doc = load_path(statement)
    report = FileReport(file=doc.name, kind="statement")
    report.findings.extend(doc.findings)
    if not doc.ok or not isinstance(doc.data, dict):
        return report
    base = Path(statement).resolve().parent
    entries = _check_evidence(doc, base, report)
    cats = doc.data.get("categories")
    if not isinstance(cats, dict):
        return report
    cache: dict[tuple[Any, ...], Any] = {}
    for cat, section in cats.items():
        findings = section.get("findings") if isinstance(section, dict) else None
        if not isinstance(findings, list):
            continue
        for i, f in enumerate(findings):
            if isinstance(f, dict):
                _check_finding(doc, ("categories", cat, "findings", i), f, entries, report, cache)
    return report


@dataclasses.dataclass
class _Entry:
    id: str
    path: Path | None
    kind: str
    model: str
    ok: bool


def _check_evidence(doc: Document, base: Path, report: FileReport) -> dict[str, _Entry]:
    out: dict[str, _Entry] = {}
    raw = doc.data.get("evidence")
    for i, e in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(e, dict) or not isinstance(e.get("id"), str):
            continue
        at: Path_ = ("evidence", i)
        path = (base / e["path"]) if isinstance(e.get("path"), str) else None
        entry = _Entry(e["id"], path, str(e.get("kind", "other")), str(e.get("model", "")), True)
        out[entry.id] = entry
        if path is None:
            continue  # published by URI only: nothing local to check
        if not path.is_file():
            entry.ok = False
            _add(
                report,
                doc,
                "DLS-V002",
                Severity.ERROR,
                f"evidence {entry.id!r}: {e['path']} does not exist",
                (*at, "path"),
            )
            continue
        try:
            digest = sha256_file(path)
        except OSError as exc:
            entry.ok = False
            _add(
                report,
                doc,
                "DLS-V002",
                Severity.ERROR,
                f"evidence {entry.id!r}: cannot read {e['path']}: {exc}",
                (*at, "path"),
            )
            continue
        if digest != e.get("sha256"):
            entry.ok = False
            _add(
                report,
                doc,
                "DLS-V001",
                Severity.ERROR,
                f"evidence {entry.id!r} ({e['path']}) changed: sha256 is {digest}, the statement "
                f"records {e.get('sha256')}; findings citing it are not recomputed",
                (*at, "sha256"),
            )
    return out


def _add(
    report: FileReport, doc: Document, code: str, sev: Severity, msg: str, path: Path_, **data: Any
) -> None:
    report.findings.append(Finding(code, sev, msg, path, doc.span(path), data=data))


def _check_finding(
    doc: Document,
    at: Path_,
    f: dict[str, Any],
    entries: dict[str, _Entry],
    report: FileReport,
    cache: dict[tuple[Any, ...], Any],
) -> None:
    cited = [entries[e] for e in f.get("evidence", []) if isinstance(e, str) and e in entries]
    if not cited or not all(e.ok for e in cited):
        return
    raw_comp = f.get("computation")
    comp: dict[str, Any] = raw_comp if isinstance(raw_comp, dict) else {}
    source = comp.get("source")
    try:
        redo = _recompute(f, comp, source, cited, cache)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        _add(
            report,
            doc,
            "DLS-V005",
            Severity.WARNING,
            f"finding {f.get('id')!r} could not be recomputed: {exc}",
            at,
        )
        return
    if redo is None:
        _add(
            report,
            doc,
            "DLS-V005",
            Severity.WARNING,
            f"finding {f.get('id')!r} cites evidence dls cannot recompute from "
            f"({', '.join(e.kind for e in cited)}); it is checked by hash only",
            at,
        )
        return
    _compare(doc, at, f, redo, report)


def _recompute(
    f: dict[str, Any],
    comp: dict[str, Any],
    source: Any,
    cited: Sequence[_Entry],
    cache: dict[tuple[Any, ...], Any],
) -> dict[str, Any] | None:
    opts = _options(f, comp)
    metric = f.get("metric")
    task = comp.get("task") or f.get("evaluation", {}).get("benchmark")
    if source == "records":
        tables = _records_tables(cited, cache)
        table = tables.get(task)
        if table is None or metric not in specs():
            raise ValueError(f"task {task!r} has no paired records")
        opts = dataclasses.replace(opts, metrics=(metric,), params={metric: _params(f)})
        c = compute_finding(table, metric, opts, [])
        return _with_tolerance(c, comp)
    lm = comp.get("lm_eval") if isinstance(comp.get("lm_eval"), dict) else None
    if source == "lm-eval samples" and lm is not None:
        t = [e.path for e in cited if e.kind == "lm_eval_samples" and e.model == "teacher"]
        s = [e.path for e in cited if e.kind == "lm_eval_samples" and e.model == "student"]
        key = ("lm", tuple(t), tuple(s))
        if key not in cache:
            res = lm_eval.ImportResult([], [], [], [])
            cache[key] = lm_eval.paired_tables([p for p in t if p], [p for p in s if p], res)
        table = cache[key].get(lm_eval.task_key(lm["task"], lm.get("filter") or "none"))
        if table is None:
            raise ValueError(f"task {lm['task']!r} has no paired samples")
        name = lm.get("metric")
        if name:
            import numpy as np

            ts, ss = table.teacher.scores[name], table.student.scores[name]
            m = ratio_measured(
                np.nan_to_num(ts),
                np.isfinite(ts).astype(float),
                np.nan_to_num(ss),
                np.isfinite(ss).astype(float),
                flips=True,
            )
            params: dict[str, Any] = {}
        else:
            params = metric_params(str(metric), opts)
            m = specs()[str(metric)].compute(table, params)
        if m is None:
            raise ValueError("the samples no longer support this metric")
        c = shape_finding(table, str(metric), params, m, opts, [])
        return _with_tolerance(c, comp)
    if source == "lm-eval aggregate" and lm is not None:
        t = [e.path for e in cited if e.kind == "lm_eval_results" and e.model == "teacher"]
        s = [e.path for e in cited if e.kind == "lm_eval_results" and e.model == "student"]
        tr = lm_eval.load_results([p for p in t if p])
        sr = lm_eval.load_results([p for p in s if p])
        k = (lm["metric"], lm.get("filter") or "none")
        tv, _ = tr.values[lm["task"]][k]
        sv, _ = sr.values[lm["task"]][k]
        d = opts.digits
        return {"teacher": tv, "student": sv, "difference": round(round(sv, d) - round(tv, d), d)}
    return None


def _with_tolerance(c: Computed | None, comp: dict[str, Any]) -> dict[str, Any] | None:
    """The recomputed numbers, with the status judged against the recorded tolerance."""
    if c is None:
        return None
    out = dict(c.finding)
    out["_raw"] = c
    tol = comp.get("tolerance")
    reg = registry.metric(c.metric)
    iv = out.get("interval")
    if isinstance(tol, (int, float)) and reg is not None and iv is not None:
        dn = verdicts.normalised_difference(
            reg.direction, out["teacher"], out["student"], reg.target
        )
        ivn = verdicts.normalised_interval(
            reg.direction, out["teacher"], iv["lower"], iv["upper"], reg.target
        )
        out["status"] = verdicts.verdict(dn, ivn, float(tol))
    return out


def _options(f: dict[str, Any], comp: dict[str, Any]) -> Options:
    raw_boot, raw_iv = comp.get("bootstrap"), f.get("interval")
    boot: dict[str, Any] = raw_boot if isinstance(raw_boot, dict) else {}
    iv: dict[str, Any] = raw_iv if isinstance(raw_iv, dict) else {}
    return Options(
        n_boot=int(boot.get("n_boot", 2000)),
        seed=int(boot.get("seed", 0)),
        level=float(iv.get("level", comp.get("level", 0.9))),
        digits=12,
    )


def _params(f: dict[str, Any]) -> dict[str, Any]:
    p = f.get("parameters")
    return dict(p) if isinstance(p, dict) else {}


def _records_tables(cited: Sequence[_Entry], cache: dict[tuple[Any, ...], Any]) -> Any:
    # keep the statement's order: it is the order dls measure read the files in
    files = tuple(dict.fromkeys(str(e.path) for e in cited if e.kind == "records" and e.path))
    key = ("records", files)
    if key not in cache:
        ev = records.read([Path(p) for p in files])
        if not ev.ok:
            raise ValueError("the records no longer read cleanly")
        cache[key] = {p.task: p for p in records.pair(ev)}
    return cache[key]


def _compare(
    doc: Document, at: Path_, f: dict[str, Any], redo: dict[str, Any], report: FileReport
) -> None:
    override = f.get("precision") if isinstance(f.get("precision"), (int, float)) else None
    for sub in _NUMBERS:
        written: Any = f
        fresh: Any = redo
        for k in sub:
            written = written.get(k) if isinstance(written, dict) else None
            fresh = fresh.get(k) if isinstance(fresh, dict) else None
        if not isinstance(written, (int, float)) or isinstance(written, bool):
            continue
        if not isinstance(fresh, (int, float)) or not math.isfinite(fresh):
            continue
        path = (*at, *sub)
        tol = numbers.precision_at(doc.scalars, path, override)
        if sub == ("difference",):  # written as the difference of the two rounded values
            for other in ("teacher", "student"):
                tol += numbers.precision_at(doc.scalars, (*at, other), override)
        if not numbers.within(float(written), float(fresh), tol):
            _add(
                report,
                doc,
                "DLS-V003",
                Severity.ERROR,
                f"finding {f.get('id')!r}: {'.'.join(sub)} is {written}, but the evidence gives "
                f"{fresh:.6g} (precision ±{tol:g})",
                path,
                recomputed=fresh,
                written=written,
            )
    status = f.get("status")
    if isinstance(status, str) and isinstance(redo.get("status"), str) and status != redo["status"]:
        _add(
            report,
            doc,
            "DLS-V004",
            Severity.ERROR,
            f"finding {f.get('id')!r} claims {status!r}; recomputed from the evidence it is "
            f"{redo['status']!r}",
            (*at, "status"),
        )
