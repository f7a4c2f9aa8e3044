"""dls verify: evidence hashes, recomputation, drifted numbers and claimed verdicts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dls.cli import main
from tests.evidence.conftest import write_jsonl
from tests.evidence.lm_eval_fixtures import write_run


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def measured(tmp_path: Path) -> Path:
    t = [
        {
            "task": "x",
            "item_id": str(i),
            "model_role": "teacher",
            "score": float(i % 5 != 0),
            "confidence": 0.55 + 0.4 * (i % 5 != 0),
        }
        for i in range(200)
    ]
    s = [{**r, "model_role": "student", "score": float(i % 4 != 0)} for i, r in enumerate(t)]
    write_jsonl(tmp_path / "t.jsonl", t)
    write_jsonl(tmp_path / "s.jsonl", s)
    out = tmp_path / "stmt.yaml"
    res = run(
        "measure",
        "--scenario",
        "compressed-classifier",
        "--teacher",
        str(tmp_path / "t.jsonl"),
        "--student",
        str(tmp_path / "s.jsonl"),
        "-o",
        str(out),
        "--n-boot",
        "300",
    )
    assert res.exit_code == 0, res.output
    return out


def test_a_fresh_statement_verifies(measured: Path) -> None:
    res = run("verify", str(measured))
    assert res.exit_code == 0, res.output
    assert "verified (0 error(s), 0 warning(s))" in res.stderr


def _line_of(path: Path, pattern: str) -> int:
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if re.search(pattern, line):
            return n
    raise AssertionError(pattern)


def test_a_tampered_number_is_reported_at_its_line(measured: Path) -> None:
    text = measured.read_text()
    old = re.search(r"\n      student: (0\.\d+)\n", text)
    assert old is not None
    measured.write_text(text.replace(old.group(0), "\n      student: 0.99\n", 1))
    res = run("verify", str(measured))
    assert res.exit_code == 1
    line = _line_of(measured, r"^      student: 0\.99$")
    assert f"stmt.yaml:{line}:16: error: DLS-V003" in res.output
    assert f"the evidence gives {float(old.group(1)):.6g}" in res.output


def test_a_number_within_its_precision_is_not_drift(measured: Path) -> None:
    text = measured.read_text()
    old = re.search(r"\n      teacher: (0\.\d+)\n", text)
    assert old is not None
    rounded = f"{float(old.group(1)):.2f}"  # fewer digits claim less precision
    measured.write_text(text.replace(old.group(0), f"\n      teacher: {rounded}\n", 1))
    res = run("verify", str(measured))
    assert "DLS-V003" not in res.output or "teacher is" not in res.output


def test_a_changed_evidence_file_is_detected(measured: Path) -> None:
    s = measured.parent / "s.jsonl"
    s.write_text(s.read_text().replace('"score": 0.0', '"score": 1.0', 1))
    res = run("verify", str(measured))
    assert res.exit_code == 1
    assert "DLS-V001 evidence 'student-records' (s.jsonl) changed" in res.output
    assert "DLS-V003" not in res.output  # numbers about other bytes are not recomputed


def test_missing_evidence_is_reported(measured: Path) -> None:
    (measured.parent / "t.jsonl").unlink()
    res = run("verify", str(measured))
    assert res.exit_code == 1 and "DLS-V002" in res.output and "does not exist" in res.output


def test_a_claimed_status_the_evidence_does_not_support(measured: Path) -> None:
    text = measured.read_text()
    assert "status: lost" in text
    measured.write_text(text.replace("status: lost", "status: preserved", 1))
    res = run("verify", str(measured))
    assert res.exit_code == 1 and "DLS-V004" in res.output
    assert "claims 'preserved'; recomputed from the evidence it is 'lost'" in res.output


def test_an_unreadable_statement_exits_2(tmp_path: Path) -> None:
    res = run("verify", str(tmp_path / "nope.yaml"))
    assert res.exit_code == 2


@pytest.mark.parametrize("with_samples", [True, False])
def test_lm_eval_imports_verify_and_detect_tampering(tmp_path: Path, with_samples: bool) -> None:
    t = write_run(tmp_path / "t", "arc_mini", [i % 10 != 0 for i in range(200)], model="a", seed=1)
    s = write_run(tmp_path / "s", "arc_mini", [i % 6 != 0 for i in range(200)], model="b", seed=2)
    args = [
        "import",
        "lm-eval",
        "--scenario",
        "general-chat-assistant",
        "--scenario",
        "general-chat-assistant",
        "--teacher",
        str(t[0]),
        "--student",
        str(s[0]),
    ]
    if with_samples:
        args += ["--teacher-samples", str(t[1]), "--student-samples", str(s[1]), "--n-boot", "200"]
    out = tmp_path / "stmt.yaml"
    assert run(*args, "-o", str(out)).exit_code == 0
    res = run("verify", str(out))
    assert res.exit_code == 0, res.output
    assert "(0 error(s), 0 warning(s))" in res.output
    text = out.read_text()
    out.write_text(text.replace("  teacher: 0.9\n", "  teacher: 0.91\n", 1))
    res = run("verify", str(out))
    assert res.exit_code == 1 and "DLS-V003" in res.output


def test_verify_json_report_lists_findings_with_positions(measured: Path) -> None:
    import json

    (measured.parent / "t.jsonl").write_text("changed\n")
    res = run("verify", str(measured), "--format", "json")
    assert res.exit_code == 1
    report = json.loads(res.stdout)
    assert report["ok"] is False
    (f,) = report["findings"]
    assert f["code"] == "DLS-V001" and f["pointer"] == "/evidence/0/sha256" and f["line"] > 1
