"""dls measure: findings from records, verdicts, unpaired counts, safe output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from dls import registry
from dls.cli import main
from dls.evidence import measure as m
from dls.evidence.metrics import specs
from tests.evidence.conftest import write_jsonl

WORDS = ["the", "a", "cat", "dog", "sat", "ran", "on", "in", "mat", "park", "big", "small"]
SCORE_KEYS = (
    "exact_match",
    "f1",
    "answer_consistency",
    "format_validity",
    "free_running_gap",
    "citation_precision",
    "pii_leak_rate",
)


def rich_records(seed: int, n_items: int = 40, samples: int = 3) -> list[dict[str, Any]]:
    """Teacher records carrying every input some metric needs."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n_items):
        for k in range(samples):
            p = rng.dirichlet([1.0, 1.0, 1.0])
            label = int(rng.integers(0, 3))
            out.append(
                {
                    "task": "rich",
                    "item_id": f"q{i}",
                    "model_role": "teacher",
                    "sample": k,
                    "label": label,
                    "pred": str(int(np.argmax(p)) if rng.random() < 0.7 else label),
                    "probs": [float(x) for x in p],
                    "score": float(rng.random() < 0.6),
                    "expected": ["comply", "refuse", "abstain"][int(rng.integers(0, 3))],
                    "refused": bool(rng.random() < 0.4),
                    "abstained": bool(rng.random() < 0.3),
                    "is_ood": bool(rng.random() < 0.3),
                    "finished": bool(rng.random() < 0.8),
                    "steps": [{"correct": bool(rng.random() < 0.8)} for _ in range(3)],
                    "tool_calls": [{"name": "f", "valid": bool(rng.random() < 0.7)}],
                    "output": " ".join(rng.choice(WORDS, size=8)),
                    "output_tokens": int(rng.integers(10, 2000)),
                    "claims": [{"supported": bool(rng.random() < 0.7)} for _ in range(2)],
                    "member": bool(rng.random() < 0.5),
                    "mia_score": float(rng.normal()),
                    "extracted": bool(rng.random() < 0.2),
                    "harmful": bool(rng.random() < 0.3),
                    "attack": ["none", "gcg"][int(rng.integers(0, 2))],
                    "strongreject": float(rng.random()),
                    "scores": {key: float(rng.random()) for key in SCORE_KEYS},
                }
            )
    return out


def as_student(recs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "model_role": "student"} for r in recs]


@settings(max_examples=4, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_identical_student_is_preserved_with_zero_difference_on_every_metric(
    tmp_path_factory: pytest.TempPathFactory, seed: int
) -> None:
    d = tmp_path_factory.mktemp("id")
    t = rich_records(seed)
    rng = np.random.default_rng(seed)  # TPR at 0.1% FPR needs 1,000 non-members
    t += [
        {
            "task": "mia",
            "item_id": str(i),
            "model_role": "teacher",
            "member": i < 200,
            "mia_score": float(rng.normal()),
        }
        for i in range(1200)
    ]
    tp = write_jsonl(d / "t.jsonl", t)
    sp = write_jsonl(d / "s.jsonl", as_student(t))
    every = tuple(registry.load().metrics)
    opts = m.Options(
        metrics=every, params={"pass_at_k": {"k": 2}, "pass_at_k_gain": {"k": 2}}, n_boot=200
    )
    result = m.measure([tp], [sp], options=opts, base=d)
    got = {c.metric: c.finding for c in result.computed}
    assert set(got) == set(every)  # every registry metric is computed from these records
    for metric, f in got.items():
        assert f["difference"] == 0, metric
        assert f["status"] == "preserved", (metric, f)


def test_golden_a_finding_carries_paired_statistics(tmp_path: Path) -> None:
    from tests.evidence.test_evidence_metrics import S, T, Y

    t = [
        {"task": "a", "item_id": str(i), "model_role": "teacher", "probs": p, "label": y}
        for i, (p, y) in enumerate(zip(T, Y, strict=True))
    ]
    s = [{**r, "model_role": "student", "probs": q} for r, q in zip(t, S, strict=True)]
    result = m.measure(
        [write_jsonl(tmp_path / "t.jsonl", t)],
        [write_jsonl(tmp_path / "s.jsonl", s)],
        options=m.Options(metrics=("accuracy",)),
        base=tmp_path,
    )
    (c,) = result.computed
    f = c.finding
    assert (f["teacher"], f["student"], f["difference"]) == (0.9, 0.8, -0.1)
    assert f["computation"]["mcnemar"] == {"b": 2, "c": 1, "p": 1.0}
    assert f["interval"]["level"] == 0.9 and "2000 resamples, seed 0" in f["interval"]["method"]
    assert f["status"] == "inconclusive"  # 10 items cannot show preservation within 0.02
    assert f["evaluation"] == {
        "benchmark": "a",
        "items": 10,
        "protocol": "per-item records (dls records v1), paired by task, item_id and sample",
        "pairing": "paired",
    }
    assert [e["id"] for e in result.evidence] == ["teacher-records", "student-records"]
    assert all(len(e["sha256"]) == 64 for e in result.evidence)


def test_clear_loss_is_lost_and_tolerance_comes_from_the_registry(tmp_path: Path) -> None:
    t = [
        {"task": "x", "item_id": str(i), "model_role": "teacher", "score": 1.0} for i in range(400)
    ]
    s = [{**r, "model_role": "student", "score": float(i % 4 != 0)} for i, r in enumerate(t)]
    result = m.measure(
        [write_jsonl(tmp_path / "t.jsonl", t)],
        [write_jsonl(tmp_path / "s.jsonl", s)],
        options=m.Options(metrics=("accuracy",)),
        base=tmp_path,
    )
    (c,) = result.computed
    assert c.verdict == "lost" and c.finding["computation"]["tolerance"] == 0.02


def test_scenario_tolerance_replaces_the_registry_default(tmp_path: Path) -> None:
    from dls import scenarios

    scn = scenarios.resolve("compressed-classifier")
    t = [{"task": "x", "item_id": str(i), "model_role": "teacher", "score": 1.0} for i in range(50)]
    tp = write_jsonl(tmp_path / "t.jsonl", t)
    sp = write_jsonl(tmp_path / "s.jsonl", as_student(t))
    result = m.measure([tp], [sp], options=m.Options(metrics=("accuracy",), scenario=scn))
    want = scn.category("task_performance").target_for("accuracy").tolerance
    assert want is not None
    assert result.computed[0].finding["computation"]["tolerance"] == want.absolute_for(1.0)


def test_clustered_records_bootstrap_clusters(tmp_path: Path) -> None:
    t = [
        {
            "task": "x",
            "item_id": str(i),
            "model_role": "teacher",
            "score": float(i % 2),
            "cluster": f"c{i // 10}",
        }
        for i in range(100)
    ]
    s = as_student(t)
    result = m.measure(
        [write_jsonl(tmp_path / "t.jsonl", t)],
        [write_jsonl(tmp_path / "s.jsonl", s)],
        options=m.Options(metrics=("accuracy",)),
    )
    boot = result.computed[0].finding["computation"]["bootstrap"]
    assert boot["clustered"] and boot["units"] == 10


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def pair_files(tmp_path: Path) -> tuple[Path, Path]:
    t = [
        {
            "task": "x",
            "item_id": str(i),
            "model_role": "teacher",
            "score": float(i % 3 != 0),
            "confidence": 0.5 + 0.4 * (i % 3 != 0),
        }
        for i in range(120)
    ]
    s = as_student(t)[:110]
    return write_jsonl(tmp_path / "t.jsonl", t), write_jsonl(tmp_path / "s.jsonl", s)


def test_cli_writes_a_statement_with_unpaired_counts(tmp_path: Path, pair_files) -> None:  # type: ignore[no-untyped-def]
    t, s = pair_files
    out = tmp_path / "out" / "stmt.yaml"
    out.parent.mkdir()
    res = run(
        "measure",
        "--scenario",
        "compressed-classifier",
        "--teacher",
        str(t),
        "--student",
        str(s),
        "-o",
        str(out),
        "--teacher-name",
        "org/big",
        "--student-name",
        "org/small",
        "--n-boot",
        "200",
    )
    assert res.exit_code == 0, res.output
    doc = yaml.safe_load(out.read_text())
    assert doc["teacher"]["name"] == "org/big" and doc["status"] == "draft"
    (f, *_) = doc["categories"]["task_performance"]["findings"]
    assert f["computation"]["unpaired"] == {"teacher": 10, "student": 0}
    assert f["evaluation"]["items"] == 110
    assert doc["evidence"][0]["path"] == "../t.jsonl"
    assert "DLS-V013" in res.stderr and "10 item(s) only for the teacher" in res.stderr
    assert doc["categories"]["privacy"]["assessment"] == "not_assessed"


def test_cli_never_overwrites_without_force(tmp_path: Path, pair_files) -> None:  # type: ignore[no-untyped-def]
    t, s = pair_files
    out = tmp_path / "stmt.yaml"
    out.write_text("mine\n")
    res = run(
        "measure",
        "--scenario",
        "compressed-classifier",
        "--scenario",
        "compressed-classifier",
        "--teacher",
        str(t),
        "--student",
        str(s),
        "-o",
        str(out),
    )
    assert res.exit_code == 2 and out.read_text() == "mine\n"
    res = run(
        "measure",
        "--scenario",
        "compressed-classifier",
        "--teacher",
        str(t),
        "--student",
        str(s),
        "-o",
        str(out),
        "--force",
        "--n-boot",
        "100",
        "--fragment",
        "--format",
        "json",
    )
    assert res.exit_code == 0
    assert set(json.loads(out.read_text())) == {"evidence", "categories"}


def test_cli_bad_records_write_nothing_and_exit_1(tmp_path: Path, pair_files) -> None:  # type: ignore[no-untyped-def]
    t, _ = pair_files
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"task":"x","item_id":"1","model_role":"student","score":NaN}\n')
    out = tmp_path / "o.yaml"
    res = run(
        "measure",
        "--scenario",
        "compressed-classifier",
        "--scenario",
        "compressed-classifier",
        "--teacher",
        str(t),
        "--student",
        str(bad),
        "-o",
        str(out),
    )
    assert res.exit_code == 1 and not out.exists()
    assert f"{bad}:1:1: DLS-V011" in res.stderr


def test_cli_missing_file_exits_2(tmp_path: Path) -> None:
    res = run(
        "measure",
        "--scenario",
        "compressed-classifier",
        "--scenario",
        "compressed-classifier",
        "--teacher",
        str(tmp_path / "no.jsonl"),
        "--student",
        str(tmp_path / "x"),
    )
    assert res.exit_code == 2 and "does not exist" in res.stderr


def test_cli_unknown_metric_exits_2(tmp_path: Path, pair_files) -> None:  # type: ignore[no-untyped-def]
    t, s = pair_files
    res = run(
        "measure",
        "--scenario",
        "compressed-classifier",
        "--scenario",
        "compressed-classifier",
        "--teacher",
        str(t),
        "--student",
        str(s),
        "--metric",
        "accuracyy",
    )
    assert res.exit_code == 2 and "accuracyy" in res.stderr


def test_every_registry_metric_has_an_implementation() -> None:
    assert set(specs()) == set(registry.load().metrics)


def test_cli_skeleton_needs_a_scenario(tmp_path: Path, pair_files) -> None:  # type: ignore[no-untyped-def]
    t, s = pair_files
    res = CliRunner().invoke(main, ["measure", "--teacher", str(t), "--student", str(s)])
    assert res.exit_code == 2 and "--scenario" in res.stderr
