"""Benchmark ``dls render`` against huggingface_hub's own model-card renderer.

For every example statement, times (in one process, best of several runs):

- the peer: ``huggingface_hub.ModelCard.from_template`` filling the Hub's default
  model-card template (Jinja2) with the same student results as ``EvalResult``s,
  front matter included: what a team would otherwise run to produce a card;
- ``dls.render.render`` of the already validated statement in each format
  (markdown, html with its chart, hf README);
- ``dls.render.render_file``: validation (load, schema, rules, scenario
  verdicts) plus rendering, what ``dls render`` does per file.

The peer fills a generic template and checks nothing, so the comparison is
generous to it. Prints milliseconds and the ratio dls / peer; asserts nothing.

Usage (from the repository root, in the project's virtualenv):

    python benchmarks/bench_render.py            # every example, 20 runs each
    python benchmarks/bench_render.py --runs 50
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def best(fn: Callable[[], Any], runs: int) -> float:
    fn()  # warm: templates compiled, modules imported
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times) * 1000


def peer(data: dict[str, Any]) -> Callable[[], Any]:
    from huggingface_hub import EvalResult, ModelCard, ModelCardData

    results = []
    for cat in data["categories"].values():
        for f in cat.get("findings", []) if isinstance(cat, dict) else []:
            ev = f["evaluation"]
            results.append(
                EvalResult(
                    task_type="other",
                    dataset_type=ev.get("dataset") or ev["benchmark"],
                    dataset_name=ev["benchmark"],
                    dataset_split=ev.get("split"),
                    metric_type=f["metric"],
                    metric_value=f["student"],
                )
            )

    def run() -> str:
        card_data = ModelCardData(
            base_model=data["teacher"]["name"],
            tags=["distillation"],
            model_name=data["student"]["name"],
            eval_results=results,
        )
        return str(ModelCard.from_template(card_data, model_id=data["student"]["name"]))

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    from dls.pipeline import load, validate
    from dls.render import render, render_file

    print(
        f"{'statement':32} {'peer':>8} {'md':>8} {'html':>8} {'hf':>8} {'validate+hf':>12}"
        f" {'hf/peer':>8}"
    )
    for path in sorted((ROOT / "examples").glob("*.dls.yaml")):
        doc = load(path)
        report = validate(doc)
        data = doc.data
        t_peer = best(peer(data), args.runs)
        t = {
            fmt: best(
                lambda fmt=fmt, data=data, report=report: render(
                    data, fmt, verdicts=report.verdicts, scenario=report.scenario
                ),
                args.runs,
            )
            for fmt in ("markdown", "html", "hf")
        }
        t_full = best(lambda path=path: render_file(path, "hf"), args.runs)
        print(
            f"{path.name:32} {t_peer:8.1f} {t['markdown']:8.1f} {t['html']:8.1f} {t['hf']:8.1f}"
            f" {t_full:12.1f} {t['hf'] / t_peer:8.2f}"
        )
    print(
        "milliseconds, best of", args.runs, "runs; peer = huggingface_hub ModelCard.from_template"
    )


if __name__ == "__main__":
    main()
