"""Import EleutherAI lm-evaluation-harness results into statement findings.

Two levels of evidence (DOMAIN §8.1):

- the aggregate results JSON (``results_<date>.json``): values and reported
  standard errors only, so a finding is an *unpaired* comparison with an
  interval from the two standard errors, labelled as such;
- the per-sample logs (``--log_samples``, ``samples_<task>_<date>.jsonl``):
  items are paired by (task, doc_id, filter) with equal doc and target hashes,
  and the findings get paired bootstrap intervals and McNemar counts.

Runs whose settings differ for a task (shots, task version, sample count,
task hash, task configuration) are refused for that task, or, with
``allow_mismatch``, written as inconclusive with the reason: never compared
silently. lm-eval metric names map to registry ids through ``DEFAULT_MAP``,
extended or overridden by a user mapping (docs/evidence.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import NormalDist
from typing import Any

from dls import registry, verdicts
from dls.errors import InputError, UsageError
from dls.evidence import records
from dls.evidence.lm_eval.results import Run, load_results, mismatches, warnings_for
from dls.evidence.lm_eval.samples import sample_records, samples_task, task_key
from dls.evidence.measure import Computed, Options, Result, evidence_entry, shape_finding
from dls.evidence.metrics import Measured, ratio_measured, specs
from dls.findings import FileReport, Finding, Severity

__all__ = [
    "DEFAULT_MAP",
    "ImportResult",
    "Run",
    "load_results",
    "mismatches",
    "paired_tables",
    "run_import",
    "sample_records",
    "samples_task",
    "task_key",
]

DEFAULT_MAP: dict[str, str | None] = {
    # lm-eval metric -> registry metric id (None: known, deliberately not imported)
    "acc": "accuracy",
    "acc_norm": "accuracy",
    "acc_bytes": "accuracy",
    "acc_mutual_info": "accuracy",
    "mc1": "accuracy",
    "mc2": "mean_score",
    "exact_match": "exact_match",
    "em": "exact_match",
    "f1": "f1",
    "macro_f1": "f1",
    "pass@1": "pass_at_1",
    "pass_at_1": "pass_at_1",
    "brier_score": "brier_score",
    "perplexity": None,
    "word_perplexity": None,
    "byte_perplexity": None,
    "bits_per_byte": None,
    "micro_f1": None,
    "mcc": None,
    "bleu": None,
    "chrf": None,
    "ter": None,
}
"""How lm-eval metric names become registry metrics. A user mapping (``--map``)
adds or overrides entries, by metric name or as ``task:metric``."""

MC_NOTE = "per-choice log-likelihoods softmaxed: choice-renormalised, length-unnormalised"


@dataclass
class ImportResult(Result):
    refused: list[str] = field(default_factory=list)  # tasks not compared


def _lookup(mapping: Mapping[str, str | None], task: str, metric: str) -> tuple[bool, str | None]:
    for key in (f"{task}:{metric}", metric):
        if key in mapping:
            return True, mapping[key]
    return False, None


def run_import(
    teacher: Sequence[Path | str],
    student: Sequence[Path | str],
    *,
    teacher_samples: Sequence[Path | str] = (),
    student_samples: Sequence[Path | str] = (),
    mapping: Mapping[str, str | None] | None = None,
    options: Options | None = None,
    allow_mismatch: bool = False,
    base: Path | None = None,
) -> ImportResult:
    """Findings from lm-eval results (and, where given, per-sample logs) of both models."""
    opts = options or Options()
    where = base or Path.cwd()
    tmap: dict[str, str | None] = {**DEFAULT_MAP, **(mapping or {})}
    for target in (v for v in tmap.values() if v is not None):
        if target not in specs():
            raise UsageError(
                f"the lm-eval mapping names {target!r}, which is not a registry metric"
            )
    t, s = load_results([Path(p) for p in teacher]), load_results([Path(p) for p in student])
    ts = [Path(p) for p in teacher_samples]
    ss = [Path(p) for p in student_samples]
    for p in (*ts, *ss):
        if not p.is_file():
            raise InputError(f"per-sample log {p} does not exist")
    entries = [
        *(evidence_entry(p, where, f"teacher-results{_n(i, t.files)}", "lm_eval_results", "teacher")
          for i, p in enumerate(t.files)),
        *(evidence_entry(p, where, f"student-results{_n(i, s.files)}", "lm_eval_results", "student")
          for i, p in enumerate(s.files)),
    ]  # fmt: skip
    res_ids = [e["id"] for e in entries]
    sample_ids: dict[str, list[str]] = {}
    for role, paths in (("teacher", ts), ("student", ss)):
        for p in paths:
            task = samples_task(p)
            eid = f"{role}-samples-{re.sub(r'[^A-Za-z0-9._-]+', '-', task)}"
            entries.append(evidence_entry(p, where, eid, "lm_eval_samples", role))
            sample_ids.setdefault(task, []).append(eid)
    result = ImportResult(entries, [], [], [])
    _note_missing(result, t, s)
    tables = paired_tables(ts, ss, result)
    for task in sorted(set(t.values) & set(s.values)):
        why = mismatches(task, t, s)
        if why and not allow_mismatch:
            result.refused.append(task)
            result.notes.append(
                Finding("DLS-V014", Severity.ERROR, f"task {task!r} not compared: {'; '.join(why)}")
            )
            continue
        for w in warnings_for(task, t, s):
            result.notes.append(Finding("DLS-V014", Severity.WARNING, f"task {task!r}: {w}"))
        for (metric, filt), (tv, tse) in sorted(t.values[task].items()):
            if (metric, filt) not in s.values[task]:
                continue
            known, mid = _lookup(tmap, task, metric)
            if mid is None:
                if not known:
                    result.notes.append(
                        Finding(
                            "DLS-V015",
                            Severity.INFO,
                            f"task {task!r}: lm-eval metric {metric!r} has no registry metric; "
                            "not imported (map it with --map)",
                        )
                    )
                continue
            sv, sse = s.values[task][(metric, filt)]
            table = tables.get(task_key(task, filt))
            ctx = _Context(task, metric, filt, mid, t, s, why, opts)
            if table is not None and metric in table.teacher.scores and not why:
                c = _paired(ctx, table, res_ids + sample_ids.get(task, []), tv, sv)
            else:
                c = _aggregate(ctx, tv, tse, sv, sse, res_ids, result)
            if c is not None:
                result.computed.append(c)
        table = tables.get(task)
        if table is not None and not why:
            for extra in ("negative_flip_rate", "top1_agreement", "ece_equal_width", "nll"):
                ctx = _Context(task, "", "none", extra, t, s, [], opts)
                c = _extra(ctx, table, res_ids + sample_ids.get(task, []))
                if c is not None:
                    result.computed.append(c)
    return result


def _n(i: int, files: Sequence[Path]) -> str:
    return "" if len(files) == 1 else f"-{i + 1}"


def _note_missing(result: ImportResult, t: Run, s: Run) -> None:
    for role, mine, other in (("teacher", t, s), ("student", s, t)):
        only = sorted(set(mine.values) - set(other.values))
        if only:
            shown = ", ".join(only[:8]) + (f" and {len(only) - 8} more" if len(only) > 8 else "")
            result.notes.append(
                Finding(
                    "DLS-V014",
                    Severity.WARNING,
                    f"{len(only)} task(s) only in the {role}'s results, not compared: {shown}",
                )
            )


def paired_tables(
    ts: Sequence[Path], ss: Sequence[Path], result: ImportResult
) -> dict[str, records.Paired]:
    if not ts and not ss:
        return {}
    t_rows = {p: list(sample_records(p, "teacher")) for p in ts}
    s_rows = {p: list(sample_records(p, "student")) for p in ss}
    _drop_hash_mismatches(t_rows, s_rows, result)
    sources = [(str(p), "teacher", iter(r)) for p, r in t_rows.items()]
    sources += [(str(p), "student", iter(r)) for p, r in s_rows.items()]
    ev = records.read_rows(sources)
    result.reports.extend(ev.reports)
    if not ev.ok:
        return {}
    return {p.task: p for p in records.pair(ev) if p.n}


def _drop_hash_mismatches(
    t_rows: dict[Path, list[tuple[int, Any]]],
    s_rows: dict[Path, list[tuple[int, Any]]],
    result: ImportResult,
) -> None:
    """Items whose document or target hash differs are not the same item: unpair them."""

    def hashes(rows: dict[Path, list[tuple[int, Any]]]) -> dict[tuple[str, str], tuple[Any, Any]]:
        out = {}
        for lst in rows.values():
            for _, r in lst:
                if isinstance(r, dict):
                    src = r["source"]
                    out[(r["task"], str(r["item_id"]))] = (src["doc_hash"], src["target_hash"])
        return out

    th, sh = hashes(t_rows), hashes(s_rows)
    bad = {k for k in th.keys() & sh.keys() if th[k] != sh[k]}
    if not bad:
        return
    for lst in s_rows.values():
        for _, r in lst:
            if isinstance(r, dict) and (r["task"], str(r["item_id"])) in bad:
                r["item_id"] = f"{r['item_id']}#hash-mismatch"
    result.notes.append(
        Finding(
            "DLS-V014",
            Severity.WARNING,
            f"{len(bad)} item(s) have different document or target hashes for teacher and "
            "student; they are counted as unpaired",
        )
    )


@dataclass
class _Context:
    task: str
    metric: str
    filt: str
    mid: str
    t: Run
    s: Run
    why: list[str]
    opts: Options

    @property
    def fid(self) -> str:
        raw = f"{task_key(self.task, self.filt)}.{self.metric or self.mid}"
        return re.sub(r"[^A-Za-z0-9._:@+/-]+", "-", raw)

    def protocol(self) -> str:
        shots = self.t.nshot.get(self.task)
        parts = [f"{shots}-shot" if shots is not None else None, "lm-evaluation-harness"]
        if self.metric:
            parts.append(f"{self.metric},{self.filt}")
        return ", ".join(p for p in parts if p)

    def harness(self) -> dict[str, str]:
        out: dict[str, str] = {"name": "lm-evaluation-harness"}
        if self.t.harness:
            out["version"] = self.t.harness
        return out

    def computation(self) -> dict[str, Any]:
        comp: dict[str, Any] = {
            "lm_eval": {"task": self.task, "metric": self.metric, "filter": self.filt},
        }
        if self.t.harness != self.s.harness:
            comp["harness_builds"] = {"teacher": self.t.harness, "student": self.s.harness}
        if self.why:
            comp["not_comparable"] = self.why
        hib = self.t.higher.get(self.task, {}).get(self.metric)
        reg = registry.metric(self.mid)
        if reg is not None and isinstance(hib, bool):
            agrees = hib == (reg.direction == "higher_is_better")
            if not agrees and reg.direction != "closer_to":
                comp["direction_conflict"] = f"lm-eval says higher_is_better={hib}"
        return comp


def _paired(
    ctx: _Context, table: records.Paired, ids: list[str], tv: float, sv: float
) -> Computed | None:
    t_sc, s_sc = table.teacher.scores[ctx.metric], table.student.scores.get(ctx.metric)
    if s_sc is None:
        return None
    import numpy as np

    d_t, d_s = np.isfinite(t_sc).astype(float), np.isfinite(s_sc).astype(float)
    m = ratio_measured(np.nan_to_num(t_sc), d_t, np.nan_to_num(s_sc), d_s, flips=True)
    if m is None:
        return None
    extra = ctx.computation()
    extra["source"] = "lm-eval samples"
    consistent = abs(m.teacher - tv) < 1e-9 and abs(m.student - sv) < 1e-9
    if not consistent:
        extra["results_file_values"] = {"teacher": tv, "student": sv}
    c = shape_finding(table, ctx.mid, {}, m, ctx.opts, ids, fid=ctx.fid,
                      protocol=ctx.protocol(), extra=extra)  # fmt: skip
    if c is not None:
        c.finding["parameters"] = {"lm_eval_metric": ctx.metric}
        c.finding["evaluation"]["harness"] = ctx.harness()
    return c


def _extra(ctx: _Context, table: records.Paired, ids: list[str]) -> Computed | None:
    """dls metrics lm-eval does not report, from the per-choice log-likelihoods."""
    if table.teacher.probs is None or table.student.probs is None:
        return None
    from dls.evidence.measure import metric_params

    params = metric_params(ctx.mid, ctx.opts)
    m: Measured | None = specs()[ctx.mid].compute(table, params)
    if m is None:
        return None
    extra = ctx.computation()
    extra.update({"source": "lm-eval samples", "probabilities": MC_NOTE})
    extra["lm_eval"] = {"task": ctx.task, "metric": None, "filter": "none"}
    c = shape_finding(table, ctx.mid, params, m, ctx.opts, ids, protocol=ctx.protocol(),
                      extra=extra)  # fmt: skip
    if c is not None:
        c.finding["evaluation"]["harness"] = ctx.harness()
        c.finding["notes"] = f"Computed by dls from lm-eval's per-sample logs: {MC_NOTE}."
    return c


def _aggregate(
    ctx: _Context,
    tv: float,
    tse: float | None,
    sv: float,
    sse: float | None,
    ids: list[str],
    result: ImportResult,
) -> Computed | None:
    """An unpaired finding from aggregate values and their reported standard errors."""
    reg = registry.metric(ctx.mid)
    assert reg is not None
    opts = ctx.opts
    d = opts.digits
    items = _items(ctx, tv, tse)
    t_r, s_r = round(tv, d), round(sv, d)
    diff = round(s_r - t_r, d)
    finding: dict[str, Any] = {
        "id": ctx.fid,
        "metric": ctx.mid,
        "parameters": {"lm_eval_metric": ctx.metric},
        "evaluation": {
            "benchmark": ctx.task,
            "items": items or 1,
            "protocol": ctx.protocol(),
            "harness": ctx.harness(),
            "pairing": "unpaired",
        },
        "teacher": t_r,
        "student": s_r,
        "difference": diff,
    }
    tol = reg.tolerance.absolute_for(tv)
    interval = None
    if tse is not None and sse is not None:
        finding["stderr"] = {"teacher": tse, "student": sse}
        z = NormalDist().inv_cdf(0.5 + opts.level / 2.0)
        lo, hi = verdicts.stderr_interval(tv, sv, tse, sse, z)
        interval = (lo, hi)
        finding["interval"] = {
            "lower": min(round(lo, d), diff),
            "upper": max(round(hi, d), diff),
            "level": opts.level,
            "method": "unpaired normal interval from the reported standard errors "
            "(no item-level data)",
        }
    if ctx.why:
        status = "inconclusive"
    else:
        dn = verdicts.normalised_difference(reg.direction, tv, sv, reg.target)
        iv = (
            None
            if interval is None
            else verdicts.normalised_interval(reg.direction, tv, *interval, reg.target)
        )
        status = verdicts.verdict(dn, iv, tol)
    finding["status"] = status
    finding["evidence"] = list(ids)
    comp = ctx.computation()
    comp.update({"source": "lm-eval aggregate", "tolerance": tol, "level": opts.level})
    if items is None:
        comp["items_unknown"] = True
    finding["computation"] = comp
    note = "Unpaired aggregate from lm-eval results: no item-level data, no McNemar test."
    if ctx.why:
        note += " Runs not comparable: " + "; ".join(ctx.why) + "."
    finding["notes"] = note
    if not any(n.code == "DLS-V015" and "aggregate" in n.message for n in result.notes):
        result.notes.append(
            Finding(
                "DLS-V015",
                Severity.INFO,
                "findings without per-sample logs are unpaired aggregates; pass "
                "--teacher-samples/--student-samples for paired statistics",
            )
        )
    return Computed(reg.category, ctx.task, ctx.mid, finding, status)


def _items(ctx: _Context, value: float, se: float | None) -> int | None:
    """Items behind a value: n-samples, then sample_len; for a 0/1 mean, from its stderr."""
    ns = ctx.t.nsamples.get(ctx.task)
    if isinstance(ns, dict) and isinstance(ns.get("effective"), int):
        return int(ns["effective"])
    subs = ctx.t.groups.get(ctx.task)
    if subs:
        total = 0
        for sub in subs:
            got = _items(_Context(sub, ctx.metric, ctx.filt, ctx.mid, ctx.t, ctx.s, [], ctx.opts),
                         value, None)  # fmt: skip
            if got is None:
                total = 0
                break
            total += got
        if total:
            return total
    if se and 0 < value < 1 and ctx.mid in verdicts.ITEM_MEAN_METRICS:
        return round(value * (1 - value) / (se * se)) + 1  # lm-eval: sqrt(p(1-p)/(n-1))
    return None


def reports(result: ImportResult) -> list[FileReport]:
    return result.reports
