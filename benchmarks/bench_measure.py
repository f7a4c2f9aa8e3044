"""Benchmark `dls measure` against merely parsing its two input files.

Generates N per-item records per model (default 1,000,000: label, pred, a 0/1
score and a confidence), then times, each in a fresh interpreter:

- the peer: read both files line by line and ``json.loads`` every line (stdlib),
  the least any tool must do to look at the evidence;
- ``dls.evidence.measure.measure`` with accuracy (a binary metric) and
  15-bin equal-width ECE, 1,000 paired bootstrap resamples each (default).

Prints the wall times, their ratio (target <= 3) and each run's peak resident
memory (target < 2 GB). It asserts nothing; docs/performance.md records figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PARSE = """
import json, sys
n = 0
for path in sys.argv[1:]:
    with open(path, "rb") as fh:
        for line in fh:
            json.loads(line)
            n += 1
print(n)
"""

MEASURE = """
import sys
from dls.evidence import measure as m
opts = m.Options(metrics=("accuracy", "ece_equal_width"), n_boot=int(sys.argv[3]), seed=0)
res = m.measure([sys.argv[1]], [sys.argv[2]], options=opts)
assert res.ok and len(res.computed) == 2, res.reports
for c in res.computed:
    f = c.finding
    print(c.metric, f["teacher"], f["student"], f["interval"]["lower"], f["interval"]["upper"],
          c.verdict)
"""


PHASES = """
import sys, time
from dls.evidence import records, measure as m
t0 = time.perf_counter()
ev = records.read([sys.argv[1], sys.argv[2]], roles=["teacher", "student"])
t1 = time.perf_counter()
(table,) = records.pair(ev)
t2 = time.perf_counter()
opts = m.Options(metrics=("accuracy", "ece_equal_width"), n_boot=int(sys.argv[3]), seed=0)
out = [f"read {t1 - t0:.2f}", f"pair {t2 - t1:.2f}"]
for metric in opts.metrics:
    t = time.perf_counter()
    m.compute_finding(table, metric, opts, [])
    out.append(f"{metric} {time.perf_counter() - t:.2f}")
print("phases (s): " + ", ".join(out))
"""


def generate(folder: Path, n: int, seed: int = 0) -> tuple[Path, Path]:
    """Teacher and student records; the student is right slightly less often."""
    import numpy as np

    rng = np.random.default_rng(seed)
    paths = []
    for role, skill in (("teacher", 1.4), ("student", 1.1)):
        conf = rng.uniform(0.3, 1.0, n)
        right = rng.random(n) < np.clip(conf * skill - 0.25, 0, 1)
        label = rng.integers(0, 4, n)
        pred = np.where(right, label, (label + 1) % 4)
        path = folder / f"{role}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for i in range(n):
                fh.write(
                    f'{{"task":"bench","item_id":"{i}","model_role":"{role}",'
                    f'"label":{label[i]},"pred":{pred[i]},"score":{float(right[i])},'
                    f'"confidence":{conf[i]:.6f}}}\n'
                )
        paths.append(path)
    return paths[0], paths[1]


def timed(code: str, *args: str) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stdout) of ``code`` in a fresh interpreter."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    )
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far (KiB on Linux); runs go smallest first
    return wall, max(peak, before) / 1024.0, out.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=1_000_000, help="records per model")
    ap.add_argument("--n-boot", type=int, default=1000, help="bootstrap resamples per metric")
    ap.add_argument("--dir", type=Path, help="keep the generated files here")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--phases", action="store_true", help="also time read, pair and each metric")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        t_path, s_path = folder / "teacher.jsonl", folder / "student.jsonl"
        if not (t_path.exists() and s_path.exists() and args.dir):
            t_path, s_path = generate(folder, args.items)
        size = (t_path.stat().st_size + s_path.stat().st_size) / 1e6
        parse_s, parse_mb, _ = timed(PARSE, str(t_path), str(s_path))
        measure_s, measure_mb, printed = timed(MEASURE, str(t_path), str(s_path), str(args.n_boot))
        if args.phases:
            printed += timed(PHASES, str(t_path), str(s_path), str(args.n_boot))[2]
    figures = {
        "items_per_model": args.items,
        "input_mb": round(size, 1),
        "n_boot": args.n_boot,
        "cpus": os.cpu_count(),
        "parse_seconds": round(parse_s, 2),
        "parse_peak_mb": round(parse_mb),
        "measure_seconds": round(measure_s, 2),
        "measure_peak_mb": round(measure_mb),
        "ratio": round(measure_s / parse_s, 2),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{args.items:,} records per model, {size:.0f} MB in two files, {os.cpu_count()} CPUs")
    print(f"peer  json.loads every line          {parse_s:7.2f} s   peak {parse_mb:6.0f} MB")
    print(f"dls   measure accuracy + ECE-15      {measure_s:7.2f} s   peak {measure_mb:6.0f} MB")
    print(f"      ({args.n_boot:,} paired bootstrap resamples each)")
    print(f"ratio measure / parse: {measure_s / parse_s:.2f} (target <= 3)")
    print(f"peak memory: {measure_mb:.0f} MB (target < 2048 MB)")
    print(printed.strip())


if __name__ == "__main__":
    main()
