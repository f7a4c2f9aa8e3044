"""lm-evaluation-harness results files: read them, and tell whether two runs compare.

A results file (``results_<date>.json``, lm-eval's EvalResults) holds values
under ``"<metric>,<filter>"`` keys (bare ``"acc"`` before 0.4) with their
standard errors (the string ``"N/A"`` when there is none), and the settings
that make two runs comparable or not: shots, task versions, sample counts,
task hashes and task configurations.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dls.errors import InputError, UsageError

_SKIP_KEYS = {"alias", "name", "sample_len", "sample_count", "samples", " "}
_CONFIG_KEYS = (
    "num_fewshot", "output_type", "dataset_path", "dataset_name", "test_split",
    "validation_split", "fewshot_split", "doc_to_text", "doc_to_target", "doc_to_choice",
    "target_delimiter", "fewshot_delimiter", "repeats", "generation_kwargs", "filter_list",
)  # fmt: skip


@dataclass
class Run:
    """One model's lm-eval results, merged from one or more results files."""

    files: list[Path] = field(default_factory=list)
    values: dict[str, dict[tuple[str, str], tuple[float, float | None]]] = field(
        default_factory=dict
    )
    higher: dict[str, dict[str, Any]] = field(default_factory=dict)
    nshot: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, Any] = field(default_factory=dict)
    nsamples: dict[str, Any] = field(default_factory=dict)
    hashes: dict[str, Any] = field(default_factory=dict)
    configs: dict[str, Any] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)
    harness: str | None = None
    model: str | None = None
    limit: Any = None


def _finite(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a finite number")


def load_results(paths: Sequence[Path]) -> Run:
    """Read and merge results files; InputError when one is unreadable or not lm-eval results."""
    run = Run()
    for path in paths:
        try:
            data = json.loads(path.read_text("utf-8"), parse_constant=_reject_constant)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise InputError(f"cannot read lm-eval results {path}: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("results"), dict):
            raise InputError(
                f"{path} is not an lm-eval results file (no `results` object)",
                hint="pass the results_<date>.json written with --output_path",
            )
        run.files.append(path)
        for task, raw in data["results"].items():
            if task in run.values:
                raise UsageError(f"task {task!r} appears in two results files of one model")
            run.values[task] = _metrics(raw if isinstance(raw, dict) else {})
        for key, attr in (
            ("higher_is_better", "higher"),
            ("n-shot", "nshot"),
            ("versions", "versions"),
            ("n-samples", "nsamples"),
            ("task_hashes", "hashes"),
            ("configs", "configs"),
            ("group_subtasks", "groups"),
        ):
            got = data.get(key)
            if isinstance(got, dict):
                getattr(run, attr).update(got)
        raw_cfg = data.get("config")
        cfg: dict[str, Any] = raw_cfg if isinstance(raw_cfg, dict) else {}
        run.harness = run.harness or _str(data.get("lm_eval_version")) or _git(data)
        run.model = run.model or _str(data.get("model_name")) or _str(cfg.get("model_args"))
        run.limit = run.limit if run.limit is not None else cfg.get("limit")
    return run


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) and v.strip() else None


def _git(data: dict[str, Any]) -> str | None:
    g = _str(data.get("git_hash"))
    return f"git {g}" if g else None


def _metrics(raw: dict[str, Any]) -> dict[tuple[str, str], tuple[float, float | None]]:
    """{(metric, filter): (value, stderr or None)}; pre-0.4 bare keys get filter 'none'."""
    vals: dict[tuple[str, str], float] = {}
    errs: dict[tuple[str, str], float | None] = {}
    for key, v in raw.items():
        if key in _SKIP_KEYS:
            continue
        name, _, filt = key.partition(",")
        filt = filt or "none"
        if name.endswith("_stderr"):
            errs[(name[: -len("_stderr")], filt)] = _finite(v)  # "N/A" -> None
        else:
            f = _finite(v)
            if f is not None:
                vals[(name, filt)] = f
    return {k: (v, errs.get(k)) for k, v in vals.items()}


# -- comparability -------------------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    fa, fb = _finite(a), _finite(b)
    if fa is not None and fb is not None:
        return fa == fb
    return str(a) == str(b)


def mismatches(task: str, t: Run, s: Run) -> list[str]:
    """Why the teacher's and student's runs of ``task`` are not comparable ([] if they are)."""
    out: list[str] = []
    for label, dt, ds in (("shots", t.nshot, s.nshot), ("task version", t.versions, s.versions)):
        if task in dt and task in ds and not _same(dt[task], ds[task]):
            out.append(f"{label} {dt[task]} (teacher) vs {ds[task]} (student)")
    nt, ns = t.nsamples.get(task), s.nsamples.get(task)
    if isinstance(nt, dict) and isinstance(ns, dict) and nt.get("effective") != ns.get("effective"):
        out.append(f"items {nt.get('effective')} (teacher) vs {ns.get('effective')} (student)")
    ht, hs = t.hashes.get(task), s.hashes.get(task)
    if ht and hs and ht != hs:
        out.append("task hashes differ (different documents, prompts or targets)")
    ct, cs = t.configs.get(task), s.configs.get(task)
    if isinstance(ct, dict) and isinstance(cs, dict):
        for key in _CONFIG_KEYS:
            if key not in ct or key not in cs or ct[key] == cs[key]:
                continue
            if key != "num_fewshot":
                out.append(f"task configuration `{key}` differs")
            elif not any(o.startswith("shots") for o in out):
                out.append(f"shots {ct[key]} (teacher) vs {cs[key]} (student)")
    for sub in t.groups.get(task, []) or s.groups.get(task, []):
        if sub in t.values and sub in s.values:
            got = mismatches(sub, t, s)
            if got:
                out.append(f"subtask {sub}: {got[0]}")
                break
    return out


def warnings_for(task: str, t: Run, s: Run) -> list[str]:
    """Differences worth saying that do not stop the comparison."""
    out = []
    nt = t.nsamples.get(task)
    if isinstance(nt, dict) and nt.get("effective") != nt.get("original"):
        out.append(f"a sample limit was used: {nt.get('effective')} of {nt.get('original')} items")
    return out
