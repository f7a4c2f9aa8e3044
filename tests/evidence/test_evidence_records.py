"""The per-item record format: the reader and the JSON Schema agree, and bad records
become findings with file and line, never tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from dls.evidence import records
from tests.evidence.conftest import write_jsonl

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "schema" / "records-v1.schema.json").read_text("utf-8")
)

GOOD = [
    {"task": "arc_challenge", "item_id": "0", "model_role": "teacher", "category": "uncertainty",
     "label": 2, "choice_logprobs": [-20.5, -18.25, -9.75, -15.0], "pred": 2, "score": 1.0,
     "source": {"harness": "lm-eval", "doc_hash": "abc"}},
    {"task": "xstest", "item_id": "v2-1", "model_role": "student", "category": "boundary",
     "expected": "comply", "output": "I'm sorry, but I can't help with killing.", "refused": True,
     "judge": {"name": "xstest-strmatch"}, "tags": {"type": "homonyms"}},
    {"task": "harmbench", "item_id": "b17/gcg", "model_role": "student", "behavior_id": "b17",
     "attack": "gcg", "cluster": "b17", "harmful": True, "strongreject": 0.625},
    {"task": "rag_qa", "item_id": 42, "model_role": "teacher",
     "claims": [{"text": "Refunds within 30 days.", "supported": True}]},
    {"task": "gsm8k", "item_id": "17", "model_role": "student", "sample": 3, "pred": "42",
     "output": "so the answer is 42", "score": 1.0, "output_tokens": 212, "finished": True,
     "steps": [{"correct": True}], "tool_calls": [{"name": "calc", "valid": True}],
     "member": False, "mia_score": -3.5, "extracted": False, "scores": {"f1": 0.5},
     "extra": {"anything": [1, 2]}, "x-team": "a"},
]  # fmt: skip


@pytest.mark.parametrize("rec", GOOD, ids=lambda r: r["task"])
def test_good_records_pass_reader_and_schema(tmp_path: Path, rec: dict) -> None:  # type: ignore[type-arg]
    jsonschema.Draft202012Validator(SCHEMA).validate(rec)
    ev = records.read([write_jsonl(tmp_path / "r.jsonl", [rec])])
    assert ev.ok
    assert len(ev.keys[rec["model_role"]]) == 1


def test_the_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$id"] == "urn:dls:schema:records:v1"


BASE = {"task": "t", "item_id": "1", "model_role": "teacher"}

BAD = [
    ({**BASE, "score": "1"}, "DLS-V010", "`score` must be a number"),
    ({**BASE, "confidence": 1.5}, "DLS-V010", "`confidence` must lie in [0, 1]"),
    ({**BASE, "refused": "yes"}, "DLS-V010", "`refused` must be true or false"),
    ({**BASE, "probs": [0.5, 0.2]}, "DLS-V010", "summing to 1"),
    ({**BASE, "probs": [0.5, 0.5], "label": 3}, "DLS-V010", "not a class index"),
    ({**BASE, "expected": "maybe"}, "DLS-V010", "comply, refuse or abstain"),
    ({**BASE, "claims": [{"supported": "y"}]}, "DLS-V010", "boolean `supported`"),
    ({**BASE, "socre": 1.0}, "DLS-V010", "unknown field `socre`"),
    ({**BASE, "model_role": "teachr"}, "DLS-V010", "`model_role`"),
    ({"task": "t", "model_role": "teacher"}, "DLS-V010", "`item_id`"),
    ({**BASE, "sample": -1}, "DLS-V010", "`sample` must be a non-negative integer"),
    ({**BASE, "scores": {"f1": True}}, "DLS-V010", "`scores.f1` must be a number"),
]


SEMANTIC_ONLY = {"summing to 1", "not a class index"}  # beyond what a JSON Schema can say


@pytest.mark.parametrize(("rec", "code", "text"), BAD, ids=[b[2] for b in BAD])
def test_bad_records_are_findings_with_their_line(
    tmp_path: Path,
    rec: dict,
    code: str,
    text: str,  # type: ignore[type-arg]
) -> None:
    path = write_jsonl(tmp_path / "r.jsonl", [{**BASE, "item_id": "0"}, rec])
    ev = records.read([path])
    (report,) = ev.reports
    (finding,) = report.findings
    assert (finding.code, finding.line) == (code, 2)
    assert text in finding.message
    assert not ev.ok
    if text not in SEMANTIC_ONLY:
        assert not jsonschema.Draft202012Validator(SCHEMA).is_valid(rec)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_rejected(tmp_path: Path, literal: str) -> None:
    path = tmp_path / "r.jsonl"
    head = '{"task":"t","item_id":"1","model_role":"teacher","score":'
    path.write_text(head + literal + "}\n")
    (report,) = records.read([path]).reports
    assert [f.code for f in report.findings] == ["DLS-V011"]


def test_invalid_json_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"task":"t","item_id":"1","model_role":"teacher"}\n\n{"task": "t",,}\n')
    (report,) = records.read([path]).reports
    (f,) = report.findings
    assert (f.code, f.line, f.column) == ("DLS-V010", 3, 14)


def test_duplicate_key_names_the_first_line(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "r.jsonl", [BASE, {**BASE, "item_id": "2"}, {**BASE, "item_id": 1}]
    )
    (report,) = records.read([path]).reports
    (f,) = report.findings
    assert (f.code, f.line) == ("DLS-V012", 3) and "first at line 1" in f.message


def test_a_student_record_in_the_teacher_file_is_an_error(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "t.jsonl", [{**BASE, "model_role": "student"}])
    (report,) = records.read([path], roles=["teacher"]).reports
    assert "in the file given as the teacher's evidence" in report.findings[0].message


def test_a_rejected_record_leaves_no_values_behind(tmp_path: Path) -> None:
    bad = {**BASE, "score": 0.25, "confidence": 0.5, "refused": "no"}
    good = {**BASE, "item_id": "2", "confidence": 0.75}
    ev = records.read([write_jsonl(tmp_path / "r.jsonl", [bad, good])])
    side = ev.sides["teacher"]
    assert side.n == 1
    assert side.col("confidence").tolist() == [0.75]
    assert side.col("score").tolist() != [0.25]


def test_a_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    ev = records.read([tmp_path / "nope.jsonl"])
    assert ev.reports[0].exception is not None and not ev.ok


def test_unpaired_items_are_counted_per_task(tmp_path: Path) -> None:
    t = [{**BASE, "item_id": str(i), "score": 1.0} for i in range(5)]
    s = [{**BASE, "model_role": "student", "item_id": str(i), "score": 1.0} for i in range(2, 8)]
    s.append({"task": "other", "item_id": "x", "model_role": "student"})
    ev = records.read([write_jsonl(tmp_path / "t.jsonl", t), write_jsonl(tmp_path / "s.jsonl", s)])
    tables = {p.task: p for p in records.pair(ev)}
    assert tables["t"].n == 3 and tables["t"].unpaired == {"teacher": 2, "student": 3}
    assert tables["other"].n == 0 and tables["other"].unpaired == {"teacher": 0, "student": 1}


def test_integer_and_string_item_ids_pair(tmp_path: Path) -> None:
    t = [{**BASE, "item_id": 7, "score": 1.0}]
    s = [{**BASE, "model_role": "student", "item_id": "7", "score": 0.0}]
    ev = records.read([write_jsonl(tmp_path / "r.jsonl", t + s)])
    (p,) = records.pair(ev)
    assert p.n == 1


def test_choice_logprobs_are_softmaxed(tmp_path: Path) -> None:
    rec = {**BASE, "choice_logprobs": [0.0, 0.0, 0.0, 0.0], "label": 1}
    side = records.read([write_jsonl(tmp_path / "r.jsonl", [rec])]).sides["teacher"]
    assert side.probs is not None and side.probs[0].tolist() == [0.25] * 4
    assert side.col("p_conf").tolist() == [0.25]


def test_many_bad_records_keep_fifty_findings_and_a_count(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text("not json\n" * 1000)
    (report,) = records.read([path]).reports
    assert len(report.findings) == 51
    assert report.findings[-1].message == "... and 950 more bad record(s) in this file"


@pytest.mark.parametrize("fast", [True, False], ids=["orjson", "stdlib"])
def test_both_parsers_read_and_reject_the_same_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: bool
) -> None:
    """orjson is optional: without it the stdlib parser gives the same records and findings."""
    if fast:
        pytest.importorskip("orjson")
        assert records._fast is not None
    else:
        monkeypatch.setattr(records, "_fast", None)
    path = tmp_path / "r.jsonl"
    lines = [
        '{"task":"t","item_id":"1","model_role":"teacher","score":0.25,"label":"é"}',
        '{"task":"t","item_id":"2","model_role":"teacher","score":NaN}',
        '{"task":"t","item_id":"3","model_role":"teacher","score":1e999}',
        '{"task":"t","item_id":"4","model_role":"teacher",}',
        '{"task":"t","item_id":"5","model_role":"teacher","extra":{"n":123456789012345678901234}}',
    ]
    path.write_bytes(("\n".join(lines) + "\n").encode() + b'{"task":"\xff"}\n')
    ev = records.read([path])
    (report,) = ev.reports
    got = [(f.line, f.code) for f in report.findings]
    assert got == [(2, "DLS-V011"), (3, "DLS-V011"), (4, "DLS-V010"), (6, "DLS-V010")]
    assert ev.keys["teacher"] == [("t", "1", 0), ("t", "5", 0)]
    assert ev.sides["teacher"].strings("label") == ["é", None]
