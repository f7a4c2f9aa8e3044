"""lm-evaluation-harness per-sample logs (``--log_samples``) as dls records.

One line per document and filter (lm-eval's SampleResult): ``doc_id`` (the
pairing key), ``target`` (stringified), ``filtered_resps`` (per-choice
``[log-likelihood, is_greedy]`` pairs for multiple choice, the extracted
answer for generation), the hashes, and one key per metric.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dls.errors import UsageError
from dls.evidence import records
from dls.evidence.lm_eval.results import _finite, _reject_constant

_SAMPLES_NAME = re.compile(r"^samples_(?P<task>.+)_(?P<date>\d{4}-\d{2}-\d{2}T[\d.\-:]+)\.jsonl$")


def samples_task(path: Path) -> str:
    m = _SAMPLES_NAME.match(path.name)
    if m is None:
        raise UsageError(
            f"cannot tell the task of {path.name}",
            hint="per-sample logs are named samples_<task>_<date>.jsonl by lm-eval",
        )
    return m.group("task")


def task_key(task: str, filt: str) -> str:
    return task if filt == "none" else f"{task}:{filt}"


def sample_records(path: Path, role: str) -> Iterator[tuple[int, Any]]:
    """dls records converted from one per-sample log, with their line numbers."""
    task = samples_task(path)
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
                yield lineno, convert_sample(obj, task, role)
            except records.BadRecord as bad:
                yield lineno, bad
            except (ValueError, UnicodeDecodeError) as exc:
                yield lineno, records.BadRecord("DLS-V010", f"not a valid sample line: {exc}")


def convert_sample(obj: Any, task: str, role: str) -> dict[str, Any]:
    """One lm-eval sample (doc_id, target, filtered_resps, metrics...) as a dls record."""
    if (
        not isinstance(obj, dict)
        or isinstance(obj.get("doc_id"), bool)
        or not isinstance(obj.get("doc_id"), int)
    ):
        raise records.BadRecord("DLS-V010", "an lm-eval sample needs an integer `doc_id`")
    raw_filter = obj.get("filter")
    filt: str = raw_filter if isinstance(raw_filter, str) else "none"
    rec: dict[str, Any] = {
        "task": task_key(task, filt),
        "item_id": obj["doc_id"],
        "model_role": role,
        "source": {
            "harness": "lm-eval",
            "doc_hash": obj.get("doc_hash"),
            "target_hash": obj.get("target_hash"),
        },
    }
    target = obj.get("target")
    lls = _choice_lls(obj.get("filtered_resps"))
    if lls is not None:
        rec["choice_logprobs"] = lls
        if isinstance(target, (int, str)) and str(target).isdigit() and int(target) < len(lls):
            rec["label"] = int(target)
    else:
        resp = obj.get("filtered_resps")
        if isinstance(resp, list) and resp and isinstance(resp[0], str):
            rec["pred"] = resp[0]
        if isinstance(target, (int, str)) and not isinstance(target, bool):
            rec["label"] = str(target)
    scores: dict[str, float] = {}
    raw_names = obj.get("metrics")
    names: list[Any] = raw_names if isinstance(raw_names, list) else []
    for name in names:
        v = obj.get(name)
        f = float(v) if isinstance(v, bool) else _finite(v)
        if isinstance(name, str) and f is not None:
            scores[name] = f
    if scores:
        rec["scores"] = scores
    return rec


def _choice_lls(resp: Any) -> list[float] | None:
    """Log-likelihoods of a multiple-choice sample: [["-12.3", "False"], ...] -> [-12.3, ...]."""
    if not isinstance(resp, list) or len(resp) < 2:
        return None
    out = []
    for r in resp:
        if not (isinstance(r, list) and len(r) == 2):
            return None
        try:
            f = float(r[0])
        except (TypeError, ValueError):
            return None
        if not math.isfinite(f):
            return None
        out.append(f)
    return out
