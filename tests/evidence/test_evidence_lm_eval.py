"""dls import lm-eval on files in lm-eval's real results and per-sample formats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from dls.cli import main
from dls.evidence import lm_eval
from tests.evidence.lm_eval_fixtures import write_run

N = 300
T_OK = [i % 10 != 0 for i in range(N)]  # 0.9
S_OK = [i % 10 not in (0, 1, 2) or i % 30 == 1 for i in range(N)]  # fewer right


@pytest.fixture
def runs(tmp_path: Path) -> dict[str, Any]:
    t = write_run(tmp_path / "teacher", "arc_mini", T_OK, model="org/big", seed=1)
    s = write_run(tmp_path / "student", "arc_mini", S_OK, model="org/small", seed=2)
    return {"t": t, "s": s, "dir": tmp_path}


def test_aggregate_import_is_unpaired_with_reported_stderrs(runs: dict[str, Any]) -> None:
    r = lm_eval.run_import([runs["t"][0]], [runs["s"][0]])
    (c,) = r.computed
    f = c.finding
    assert f["metric"] == "accuracy" and f["parameters"] == {"lm_eval_metric": "acc"}
    assert f["evaluation"]["pairing"] == "unpaired" and f["evaluation"]["items"] == N
    assert f["stderr"]["teacher"] == pytest.approx((0.9 * 0.1 / (N - 1)) ** 0.5)
    assert "standard errors" in f["interval"]["method"]
    assert "mcnemar" not in f["computation"]
    assert f["computation"]["source"] == "lm-eval aggregate"
    assert any(n.code == "DLS-V015" for n in r.notes)
    # perplexity has no registry metric: known, so not imported and not complained about
    assert all("perplexity" not in n.message for n in r.notes)


def test_samples_give_paired_statistics_that_match_the_results(runs: dict[str, Any]) -> None:
    r = lm_eval.run_import(
        [runs["t"][0]],
        [runs["s"][0]],
        teacher_samples=[runs["t"][1]],
        student_samples=[runs["s"][1]],
    )
    by = {c.finding["id"]: c.finding for c in r.computed}
    f = by["arc_mini.acc"]
    assert f["evaluation"]["pairing"] == "paired"
    assert f["teacher"] == 0.9 and f["computation"]["source"] == "lm-eval samples"
    assert "results_file_values" not in f["computation"]  # samples agree with the results file
    b, c = f["computation"]["mcnemar"]["b"], f["computation"]["mcnemar"]["c"]
    assert (b, c) == (
        sum(t and not s for t, s in zip(T_OK, S_OK, strict=True)),
        sum(s and not t for t, s in zip(T_OK, S_OK, strict=True)),
    )
    assert "paired bootstrap" in f["interval"]["method"]
    assert set(f["evidence"]) == {
        "teacher-results",
        "student-results",
        "teacher-samples-arc_mini",
        "student-samples-arc_mini",
    }
    # extra metrics from the per-choice log-likelihoods
    assert {"arc_mini.ece_equal_width", "arc_mini.nll", "arc_mini.top1_agreement"} <= set(by)
    assert "length-unnormalised" in by["arc_mini.nll"]["computation"]["probabilities"]


def test_different_shots_are_refused_never_compared(tmp_path: Path) -> None:
    t, _ = write_run(tmp_path / "t", "mmlu_x", T_OK, model="a", shots=5, version=0.0, samples=False)
    s, _ = write_run(tmp_path / "s", "mmlu_x", S_OK, model="b", shots=0, samples=False)
    r = lm_eval.run_import([t], [s])
    assert r.refused == ["mmlu_x"] and not r.computed
    (note,) = [n for n in r.notes if n.code == "DLS-V014"]
    assert "shots 5 (teacher) vs 0 (student)" in note.message
    assert "task version 0.0 (teacher) vs 1.0 (student)" in note.message
    r = lm_eval.run_import([t], [s], allow_mismatch=True)
    (c,) = r.computed
    assert c.verdict == "inconclusive"
    assert "shots 5" in c.finding["computation"]["not_comparable"][0]
    assert "not comparable" in c.finding["notes"]


def test_different_sample_limits_are_refused(tmp_path: Path) -> None:
    t, _ = write_run(tmp_path / "t", "x", T_OK, model="a", samples=False)
    s, _ = write_run(tmp_path / "s", "x", S_OK[:100], model="b", samples=False, limit=100)
    r = lm_eval.run_import([t], [s])
    assert r.refused == ["x"]
    assert "items 300 (teacher) vs 100 (student)" in r.notes[-1].message


def test_a_task_missing_on_one_side_is_flagged(tmp_path: Path) -> None:
    t, _ = write_run(tmp_path / "t", "x", T_OK, model="a", samples=False)
    data = json.loads(t.read_text())
    data["results"]["only_teacher"] = {"acc,none": 0.5, "acc_stderr,none": 0.05}
    t.write_text(json.dumps(data))
    s, _ = write_run(tmp_path / "s", "x", S_OK, model="b", samples=False)
    r = lm_eval.run_import([t], [s])
    assert any(
        "only in the teacher's results" in n.message and "only_teacher" in n.message
        for n in r.notes
    )


def test_pre_0_4_bare_keys_are_read(tmp_path: Path) -> None:
    old = {
        "results": {
            "piqa": {"acc": 0.78, "acc_stderr": 0.0096, "acc_norm": 0.77, "acc_norm_stderr": 0.0098}
        },
        "versions": {"piqa": 0},
    }
    (tmp_path / "a.json").write_text(json.dumps(old))
    old["results"]["piqa"]["acc"] = 0.70
    (tmp_path / "b.json").write_text(json.dumps(old))
    r = lm_eval.run_import([tmp_path / "a.json"], [tmp_path / "b.json"])
    ids = {c.finding["id"]: c.finding for c in r.computed}
    assert ids["piqa.acc"]["difference"] == -0.08
    # no n-samples in the old format: items come from the stderr, sqrt(p(1-p)/(n-1))
    assert ids["piqa.acc"]["evaluation"]["items"] == round(0.78 * 0.22 / 0.0096**2) + 1


def test_hash_mismatches_unpair_items(runs: dict[str, Any]) -> None:
    sp = runs["s"][1]
    lines = [json.loads(x) for x in sp.read_text().splitlines()]
    lines[0]["doc_hash"] = "0" * 64
    sp.write_text("".join(json.dumps(x) + "\n" for x in lines))
    r = lm_eval.run_import(
        [runs["t"][0]], [runs["s"][0]], teacher_samples=[runs["t"][1]], student_samples=[sp]
    )
    f = next(c.finding for c in r.computed if c.finding["id"] == "arc_mini.acc")
    assert f["computation"]["unpaired"] == {"teacher": 1, "student": 1}
    assert any("different document or target hashes" in n.message for n in r.notes)


def test_unmapped_metrics_are_reported_and_a_mapping_imports_them(tmp_path: Path) -> None:
    extra = {"x_score,none": 0.4, "x_score_stderr,none": 0.02}
    t, _ = write_run(tmp_path / "t", "x", T_OK, model="a", samples=False, extra_results=extra)
    s, _ = write_run(tmp_path / "s", "x", S_OK, model="b", samples=False, extra_results=extra)
    r = lm_eval.run_import([t], [s])
    assert any("'x_score' has no registry metric" in n.message for n in r.notes)
    r = lm_eval.run_import([t], [s], mapping={"x:x_score": "mean_score"})
    assert "x.x_score" in {c.finding["id"] for c in r.computed}


def test_cli_refuses_mismatch_with_exit_1_and_writes_comparable_tasks(tmp_path: Path) -> None:
    t, _ = write_run(tmp_path / "t", "a", T_OK, model="org/big", samples=False)
    s, _ = write_run(tmp_path / "s", "a", S_OK, model="org/small", samples=False)
    t2, _ = write_run(tmp_path / "t2", "b", T_OK, model="org/big", samples=False, shots=5)
    s2, _ = write_run(tmp_path / "s2", "b", S_OK, model="org/small", samples=False)
    out = tmp_path / "stmt.yaml"
    res = CliRunner().invoke(
        main,
        [
            "import",
            "lm-eval",
            "--scenario",
            "general-chat-assistant",
            "--teacher",
            str(t),
            "--teacher",
            str(t2),
            "--student",
            str(s),
            "--student",
            str(s2),
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 1, res.output
    assert "task 'b' not compared: shots 5 (teacher) vs 0 (student)" in res.stderr
    doc = yaml.safe_load(out.read_text())
    ids = [f["id"] for f in doc["categories"]["task_performance"]["findings"]]
    assert ids == ["a.acc"] and doc["teacher"]["name"] == "org/big"


def test_cli_with_samples_exits_0(runs: dict[str, Any]) -> None:
    t, s = runs["t"], runs["s"]
    out = runs["dir"] / "o.json"
    res = CliRunner().invoke(
        main,
        [
            "import",
            "lm-eval",
            "--scenario",
            "general-chat-assistant",
            "--teacher",
            str(t[0]),
            "--student",
            str(s[0]),
            "--teacher-samples",
            str(t[1]),
            "--student-samples",
            str(s[1]),
            "-o",
            str(out),
            "--n-boot",
            "200",
        ],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    kinds = {e["id"]: e["kind"] for e in doc["evidence"]}
    assert kinds["teacher-samples-arc_mini"] == "lm_eval_samples"
    assert kinds["student-results"] == "lm_eval_results"


def test_a_samples_file_with_an_unknown_name_is_a_usage_error(runs: dict[str, Any]) -> None:
    bad = runs["dir"] / "log.jsonl"
    bad.write_text("")
    res = CliRunner().invoke(
        main,
        [
            "import",
            "lm-eval",
            "--scenario",
            "general-chat-assistant",
            "--teacher",
            str(runs["t"][0]),
            "--student",
            str(runs["s"][0]),
            "--teacher-samples",
            str(bad),
        ],
    )
    assert res.exit_code == 2 and "cannot tell the task" in res.stderr


def test_cli_map_file_skips_and_renames_metrics(tmp_path: Path) -> None:
    extra = {"x_score,none": 0.4, "x_score_stderr,none": 0.02}
    t, _ = write_run(tmp_path / "t", "x", T_OK, model="a", samples=False, extra_results=extra)
    s, _ = write_run(tmp_path / "s", "x", S_OK, model="b", samples=False, extra_results=extra)
    mapping = tmp_path / "map.yaml"
    mapping.write_text("acc: null\nx:x_score: mean_score\n")
    res = CliRunner().invoke(
        main,
        [
            "import",
            "lm-eval",
            "--teacher",
            str(t),
            "--student",
            str(s),
            "--map",
            str(mapping),
            "--fragment",
        ],
    )
    assert res.exit_code == 0, res.output
    doc = yaml.safe_load(res.stdout)
    ids = [f["id"] for c in doc["categories"].values() for f in c["findings"]]
    assert ids == ["x.x_score"]
    mapping.write_text("acc: accuracyy\n")
    res = CliRunner().invoke(
        main,
        [
            "import",
            "lm-eval",
            "--teacher",
            str(t),
            "--student",
            str(s),
            "--map",
            str(mapping),
            "--fragment",
        ],
    )
    assert res.exit_code == 2 and "'accuracyy', which is not a registry metric" in res.stderr
