"""From paired per-item records to statement findings with paired intervals and verdicts.

``measure`` reads the teacher's and student's records, pairs them task by task,
computes every metric the records support (or the ones asked for), bootstraps
the difference on the same resampled items, and judges it against the
tolerance: the scenario's when one is given, else the registry default.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dls import registry, verdicts
from dls._version import __version__
from dls.errors import InputError, UsageError
from dls.evidence import records, stats
from dls.evidence.metrics import Measured, specs
from dls.files import sha256_file
from dls.findings import FileReport, Finding, Severity

ID_SAFE = re.compile(r"[^A-Za-z0-9._:@+/-]+")


@dataclass(frozen=True)
class Options:
    """How to compute: which metrics, bootstrap size and seed, interval level, digits."""

    metrics: tuple[str, ...] = ()
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    n_boot: int = 2000
    seed: int = 0
    level: float = 0.90
    digits: int = 4
    scenario: Any = None  # a resolved scenario (dls.scenarios), or None for registry defaults


@dataclass
class Computed:
    """One computed finding, before it is written into a statement."""

    category: str
    task: str
    metric: str
    finding: dict[str, Any]
    verdict: str


@dataclass
class Result:
    evidence: list[dict[str, Any]]
    computed: list[Computed]
    reports: list[FileReport]
    notes: list[Finding]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.reports)

    def categories(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for c in self.computed:
            out.setdefault(c.category, []).append(c.finding)
        return out


def evidence_entry(path: Path, base: Path, eid: str, kind: str, model: str) -> dict[str, Any]:
    """An evidence entry: id, path relative to ``base`` (the statement's folder), sha256."""
    return {
        "id": eid,
        "path": Path(os.path.relpath(path.resolve(), base.resolve())).as_posix(),
        "sha256": sha256_file(path),
        "kind": kind,
        "model": model,
    }


def evidence_entries(
    teacher: Sequence[Path], student: Sequence[Path], base: Path
) -> tuple[list[dict[str, Any]], list[str]]:
    """Evidence entries of records files and the ids findings cite."""
    entries: list[dict[str, Any]] = []
    seen: dict[Path, dict[str, Any]] = {}
    for role, paths in (("teacher", teacher), ("student", student)):
        for i, p in enumerate(paths):
            rp = p.resolve()
            if rp in seen:
                seen[rp]["model"] = "both"
                continue
            suffix = "" if len(paths) == 1 else f"-{i + 1}"
            entry = evidence_entry(p, base, f"{role}-records{suffix}", "records", role)
            seen[rp] = entry
            entries.append(entry)
    return entries, [e["id"] for e in entries]


def measure(
    teacher: Sequence[Path | str],
    student: Sequence[Path | str],
    *,
    options: Options | None = None,
    base: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> Result:
    """Compute findings from records. ``base`` is where evidence paths are relative to."""
    opts = options or Options()
    tp, sp = [Path(p) for p in teacher], [Path(p) for p in student]
    for p in (*tp, *sp):
        if not p.is_file():
            raise InputError(f"evidence file {p} does not exist or is not a file")
    unknown = [m for m in opts.metrics if m not in specs()]
    if unknown:
        raise UsageError(
            f"dls cannot compute {', '.join(unknown)} from records",
            hint="see `dls explain METRIC` and docs/evidence.md for the metric ids",
        )
    files: list[Path] = []
    roles: list[str | None] = []
    for role, paths in (("teacher", tp), ("student", sp)):
        for p in paths:
            if p.resolve() in [f.resolve() for f in files]:
                roles[[f.resolve() for f in files].index(p.resolve())] = None
                continue
            files.append(p)
            roles.append(role)
    ev = records.read(files, roles=roles, progress=progress)
    entries, ids = evidence_entries(tp, sp, base or Path.cwd())
    result = Result(entries, [], ev.reports, [])
    if not ev.ok:
        return result
    for role in records.ROLES:
        if not ev.keys[role]:
            raise InputError(f"no {role} records were found in the evidence files")
    for table in records.pair(ev):
        _note_unpaired(result, table)
        if table.n == 0:
            continue
        for metric_id in _wanted(table, opts):
            c = compute_finding(table, metric_id, opts, ids)
            if c is not None:
                result.computed.append(c)
    return result


def _wanted(table: records.Paired, opts: Options) -> list[str]:
    return list(opts.metrics) if opts.metrics else list(specs())


def _note_unpaired(result: Result, table: records.Paired) -> None:
    t, s = table.unpaired["teacher"], table.unpaired["student"]
    if table.n == 0:
        result.notes.append(
            Finding(
                "DLS-V016",
                Severity.WARNING,
                f"task {table.task!r}: no item was evaluated for both models "
                f"({t} teacher-only, {s} student-only)",
            )
        )
    elif t or s:
        result.notes.append(
            Finding(
                "DLS-V013",
                Severity.WARNING,
                f"task {table.task!r}: {t} item(s) only for the teacher and {s} only for the "
                f"student; {table.n} paired rows are compared and the rest reported",
            )
        )


def metric_params(metric_id: str, opts: Options) -> dict[str, Any]:
    reg = registry.metric(metric_id)
    params = dict(reg.parameters) if reg is not None else {}
    params.update(opts.params.get(metric_id, {}))
    return params


def finding_id(task: str, metric_id: str, params: dict[str, Any], defaults: dict[str, Any]) -> str:
    suffix = "".join(f"-{k}{v}" for k, v in sorted(params.items()) if defaults.get(k) != v)
    raw = ID_SAFE.sub("-", f"{task}.{metric_id}{suffix}").strip("-")
    return raw if raw[:1].isalnum() else f"t{raw}"


def tolerance_for(metric: registry.Metric, category: str, teacher: float, opts: Options) -> float:
    """The absolute margin: the scenario's target when one is set, else the registry's."""
    scn = opts.scenario
    if scn is not None:
        got = _scenario_tolerance(scn, category, metric.id)
        if got is not None:
            return got.absolute_for(teacher)
    return metric.tolerance.absolute_for(teacher)


def _scenario_tolerance(scn: Any, category: str, metric_id: str) -> registry.Tolerance | None:
    """The scenario's margin for a metric in a category (dls.scenarios.ResolvedScenario)."""
    target = scn.category(category).target_for(metric_id)
    tol = target.tolerance
    return tol if isinstance(tol, registry.Tolerance) else None


def compute_finding(
    table: records.Paired, metric_id: str, opts: Options, evidence_ids: list[str]
) -> Computed | None:
    """One finding for one metric on one task, or None when the records lack its inputs."""
    spec = specs()[metric_id]
    params = metric_params(metric_id, opts)
    requested = metric_id in opts.metrics
    m = spec.compute(table, {**params, "requested": requested})
    if m is None:
        return None
    return shape_finding(table, metric_id, params, m, opts, evidence_ids)


def shape_finding(
    table: records.Paired,
    metric_id: str,
    params: dict[str, Any],
    m: Measured,
    opts: Options,
    evidence_ids: list[str],
    *,
    fid: str | None = None,
    protocol: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Computed | None:
    """Bootstrap a measured metric and write it as a finding with its verdict."""
    if not (math.isfinite(m.teacher) and math.isfinite(m.student)):
        return None
    reg = registry.metric(metric_id)
    assert reg is not None, metric_id
    clusters = table.clusters if m.units == "rows" else None
    boot = stats.paired_bootstrap(m, n_boot=opts.n_boot, seed=opts.seed, clusters=clusters)
    lo, hi = boot.interval(opts.level)
    if math.isfinite(lo) and math.isfinite(hi):
        # a percentile interval can miss a skewed point estimate; widen it to include it
        lo, hi = min(lo, m.student - m.teacher), max(hi, m.student - m.teacher)
    d = opts.digits
    t_r, s_r = round(m.teacher, d), round(m.student, d)
    diff = round(s_r - t_r, d)
    tol = tolerance_for(reg, reg.category, m.teacher, opts)
    if math.isfinite(lo) and math.isfinite(hi):
        interval_n = verdicts.normalised_interval(reg.direction, m.teacher, lo, hi, reg.target)
    else:
        interval_n = None
    delta_n = verdicts.normalised_difference(reg.direction, m.teacher, m.student, reg.target)
    status = verdicts.verdict(delta_n, interval_n, tol)
    se_t, se_s, se_d = boot.stderr()
    finding: dict[str, Any] = {
        "id": fid or finding_id(table.task, metric_id, params, reg.parameters),
        "metric": metric_id,
    }
    if params:
        finding["parameters"] = params
    finding["evaluation"] = {
        "benchmark": table.task,
        "items": max(m.n, 1),
        "protocol": protocol
        or "per-item records (dls records v1), paired by task, item_id and sample",
        "pairing": "paired",
    }
    finding.update({"teacher": t_r, "student": s_r, "difference": diff})
    if math.isfinite(se_t) and math.isfinite(se_s):
        finding["stderr"] = {"teacher": round(se_t, d + 1), "student": round(se_s, d + 1)}
    if interval_n is not None:
        finding["interval"] = {
            "lower": min(round(lo, d), diff),
            "upper": max(round(hi, d), diff),
            "level": opts.level,
            "method": f"paired bootstrap, percentile, {opts.n_boot} resamples, seed {opts.seed}"
            + (", clustered" if boot.clustered else ""),
        }
    finding["status"] = status
    finding["evidence"] = list(evidence_ids)
    comp = _computation(table, m, boot, tol, se_d, opts)
    comp.update(extra or {})
    finding["computation"] = comp
    return Computed(reg.category, table.task, metric_id, finding, status)


def _computation(
    table: records.Paired,
    m: Measured,
    boot: stats.Bootstrap,
    tol: float,
    se_diff: float,
    opts: Options,
) -> dict[str, Any]:
    comp: dict[str, Any] = {
        "tool": f"dls {__version__}",
        "source": "records",
        "task": table.task,
        "units": m.units,
        "paired_rows": table.n,
        "unpaired": dict(table.unpaired),
        "bootstrap": {
            "n_boot": boot.n_boot,
            "seed": boot.seed,
            "units": boot.units,
            "clustered": boot.clustered,
            "failed": boot.failed,
        },
        "tolerance": tol,
        "level": opts.level,
    }
    if m.relative:
        comp["teacher_is_reference"] = True
    if m.flips is not None:
        b, c = m.flips
        comp["mcnemar"] = {"b": b, "c": c, "p": float(f"{stats.mcnemar_exact(b, c):.4g}")}
        if b + c and m.n:
            comp["mde"] = round(stats.mde(m.n, (b + c) / m.n), 4)
    if "mde" not in comp and math.isfinite(se_diff):
        comp["mde"] = round(stats.mde_from_se(se_diff), 4)
    comp.update(m.notes)
    return comp
