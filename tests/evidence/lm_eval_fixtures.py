"""Fixtures in lm-evaluation-harness's real output formats (structure copied, values made up).

``results_<date>.json`` follows lm-eval 0.4's EvalResults (results with
"<metric>,<filter>" keys and "N/A" stderrs, n-shot, versions, n-samples,
higher_is_better, configs, task_hashes, config); ``samples_<task>_<date>.jsonl``
follows its SampleResult (doc_id, doc, target, arguments, resps, filtered_resps,
filter, metrics, hashes, and one key per metric).
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

DATE = "2026-07-08T18-15-33.115417"


def _h(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def mc_samples(correct: list[bool], seed: int = 0, n_choices: int = 4) -> list[dict[str, Any]]:
    """Multiple-choice sample lines: the gold choice has the top log-likelihood when correct."""
    out = []
    for doc_id, ok in enumerate(correct):
        gold = doc_id % n_choices
        lls = [-12.0 - ((doc_id * 7 + k * 3 + seed) % 5) for k in range(n_choices)]
        best = gold if ok else (gold + 1) % n_choices
        lls[best] = -8.5 - (doc_id % 3) * 0.25
        doc = {"question": f"Question {doc_id}?", "choices": ["A", "B", "C", "D"], "gold": gold}
        out.append({
            "doc_id": doc_id,
            "doc": doc,
            "target": str(gold),
            "arguments": {f"gen_args_{k}": {"arg_0": f"Question {doc_id}?\nAnswer:",
                                            "arg_1": f" {c}"} for k, c in enumerate("ABCD")},
            "resps": [[[repr(ll), "False"]] for ll in lls],
            "filtered_resps": [[repr(ll), "False"] for ll in lls],
            "filter": "none",
            "metrics": ["acc"],
            "doc_hash": _h(json.dumps(doc)),
            "prompt_hash": _h(f"prompt {doc_id} {seed}"),
            "target_hash": _h(str(gold)),
            "acc": 1.0 if ok else 0.0,
        })  # fmt: skip
    return out


def results(
    task: str,
    acc: float,
    n: int,
    *,
    shots: int = 0,
    version: float = 1.0,
    limit: int | None = None,
    extra_results: dict[str, Any] | None = None,
) -> dict[str, Any]:
    stderr = math.sqrt(acc * (1 - acc) / (n - 1))
    res = {"alias": task, "acc,none": acc, "acc_stderr,none": stderr,
           "perplexity,none": 3.1, "perplexity_stderr,none": "N/A"}  # fmt: skip
    res.update(extra_results or {})
    return {
        "results": {task: res},
        "group_subtasks": {task: []},
        "configs": {task: {"task": task, "dataset_path": "org/ds", "test_split": "test",
                           "doc_to_text": "{{question}}", "num_fewshot": shots,
                           "output_type": "multiple_choice", "metric_list": [
                               {"metric": "acc", "aggregation": "mean", "higher_is_better": True}],
                           "metadata": {"version": version}}},
        "versions": {task: version},
        "n-shot": {task: shots},
        "higher_is_better": {task: {"acc": True, "perplexity": False}},
        "n-samples": {task: {"original": n if limit is None else 10 * n, "effective": n}},
        "config": {"model": "hf", "model_args": "pretrained=org/model", "limit": limit,
                   "bootstrap_iters": 100000, "gen_kwargs": None, "random_seed": 0},
        "git_hash": "4e7e0d47",
        "date": 1751998533.0,
        "task_hashes": {task: _h(task)},
        "model_name": "org/model",
    }  # fmt: skip


def write_run(
    folder: Path,
    task: str,
    correct: list[bool],
    *,
    model: str,
    seed: int = 0,
    samples: bool = True,
    **kw: Any,
) -> tuple[Path, Path | None]:
    folder.mkdir(parents=True, exist_ok=True)
    data = results(task, sum(correct) / len(correct), len(correct), **kw)
    data["model_name"] = model
    rp = folder / f"results_{DATE}.json"
    rp.write_text(json.dumps(data, indent=2))
    if not samples:
        return rp, None
    sp = folder / f"samples_{task}_{DATE}.jsonl"
    sp.write_text("".join(json.dumps(x) + "\n" for x in mc_samples(correct, seed)))
    return rp, sp
