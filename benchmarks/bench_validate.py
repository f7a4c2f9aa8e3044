"""Benchmark: ``dls validate`` against ``check-jsonschema`` on the same statements.

Generates N valid statements (N = 1, 100, 1000 by default) from a valid example,
varying ids and numbers, then times both tools as a CI job or a pre-commit hook
runs them: one process per run over all files, wall time, best of several runs,
the two tools alternating so that changes in machine load hit both alike.

check-jsonschema only checks the JSON Schema; dls also runs the strict loader,
the semantic rules and the scenario targets, so the comparison is generous to
the peer. Targets (issue 4): both ratios (dls / check-jsonschema) below 0.5.

Usage (from the repository root, in the project's virtualenv):

    python benchmarks/bench_validate.py                 # N = 1, 100, 1000
    python benchmarks/bench_validate.py --sizes 1 50 --runs 7
    python benchmarks/bench_validate.py --json          # figures as JSON
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schema" / "statement-v1.schema.json"
BIN = Path(sys.executable).parent


def template() -> Path:
    """A valid statement to copy: the first example that validates, else the minimal case."""
    candidates = sorted((ROOT / "examples").glob("*.dls.yaml"))
    candidates.append(ROOT / "tests" / "cases" / "valid" / "minimal.dls.yaml")
    for path in candidates:
        if _run([_tool("dls"), "validate", "--no-evidence", str(path)]).returncode == 0:
            return path
    sys.exit("no valid statement to copy: examples/ and tests/cases/valid/ all fail dls validate")


def _tool(name: str) -> str:
    found = BIN / name
    if found.exists():
        return str(found)
    which = shutil.which(name)
    if which is None:
        sys.exit(f"{name} not found next to {sys.executable} or on PATH")
    return which


def _run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"}
    }
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, check=False)


_ID = re.compile(r"^id: (.+)$", re.MULTILINE)
_ITEMS = re.compile(r"^(\s+items: )(\d+)$", re.MULTILINE)


def generate(src: Path, n: int, out: Path) -> list[Path]:
    """``n`` copies of ``src`` with distinct ids and item counts (same shape, same validity)."""
    text = src.read_text(encoding="utf-8")
    # Evidence files travel with the statement so relative paths still resolve.
    for sibling in src.parent.iterdir():
        if sibling.is_dir() and not sibling.name.startswith("."):
            shutil.copytree(sibling, out / sibling.name, dirs_exist_ok=True)
    files = []
    for i in range(n):
        body = _ID.sub(lambda m, i=i: f"id: {m.group(1)}-bench-{i:04d}", text, count=1)
        body = _ITEMS.sub(lambda m, i=i: f"{m.group(1)}{int(m.group(2)) + i}", body)
        path = out / f"bench-{i:04d}.dls.yaml"
        path.write_text(body, encoding="utf-8")
        files.append(path)
    return files


def best_of(cmd: list[str], runs: int, cwd: Path) -> float:
    """Best wall time of ``runs`` runs in seconds; every run must succeed."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        proc = _run(cmd, cwd)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(
                f"{' '.join(cmd[:3])} ... failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}"
            )
        best = min(best, elapsed)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 1000])
    parser.add_argument("--runs", type=int, default=5, help="runs per tool and size (best kept)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    dls, peer = _tool("dls"), _tool("check-jsonschema")
    src = template()
    rows = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="dls-bench-") as tmp:
            work = Path(tmp)
            names = [p.name for p in generate(src, n, work)]
            dls_cmd = [dls, "validate", "--format", "text", *names]
            peer_cmd = [peer, "--schemafile", str(SCHEMA), *names]
            runs = args.runs if n < 1000 else max(3, args.runs // 2)
            best_of(dls_cmd, 1, work)  # warm the page cache and .pyc files for both
            best_of(peer_cmd, 1, work)
            # Alternate the two tools so that a change in machine load hits both alike.
            t_dls, t_peer = float("inf"), float("inf")
            for _ in range(runs):
                t_dls = min(t_dls, best_of(dls_cmd, 1, work))
                t_peer = min(t_peer, best_of(peer_cmd, 1, work))
            rows.append(
                {"files": n, "dls_s": t_dls, "check_jsonschema_s": t_peer, "ratio": t_dls / t_peer}
            )

    startup = {
        "python_pass_s": best_of([sys.executable, "-c", "pass"], args.runs, ROOT),
        "dls_version_s": best_of([dls, "--version"], args.runs, ROOT),
    }
    if args.json:
        print(
            json.dumps(
                {"template": src.relative_to(ROOT).as_posix(), "rows": rows, **startup}, indent=2
            )
        )
        return
    print(
        f"dls validate vs check-jsonschema: {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, best of {args.runs} runs"
    )
    print(f"template: {src.relative_to(ROOT).as_posix()}")
    print(
        f"{'files':>6}  {'dls (ms)':>9}  {'check-jsonschema (ms)':>22}  {'ratio':>6}  target < 0.5"
    )
    for r in rows:
        ok = "yes" if r["ratio"] < 0.5 else "NO"
        print(
            f"{r['files']:>6}  {r['dls_s'] * 1000:>9.0f}  {r['check_jsonschema_s'] * 1000:>22.0f}  "
            f"{r['ratio']:>6.2f}  {ok}"
        )
    print(
        f"startup: python -c pass {startup['python_pass_s'] * 1000:.0f} ms, "
        f"dls --version {startup['dls_version_s'] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
