"""The invalid-case corpus: every file triggers exactly the findings it marks.

A case marks what it expects by hand, on the offending line, as
``#! CODE@COLUMN`` (several per line allowed), or anywhere as
``#! CODE@LINE:COLUMN``. The test runs each case through both schema engines
and compares the full set of (code, line, column) of the parse, schema and
semantic layers: a missing finding, an extra one or one at the wrong place
fails. Scenario-target findings (DLS-T) that follow from a broken number have
their own corpus (tests/cases/targets) and are left out here; valid cases must
have no finding of any layer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _marks import expected

import dls
from dls import schemas

CASES = Path(__file__).parent / "cases"
INVALID = sorted((CASES / "invalid").glob("*.dls.yaml"))
VALID = sorted((CASES / "valid").glob("*.dls.yaml"))


@pytest.fixture(params=["jsonschema-rs", "python-jsonschema"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DLS_SCHEMA_ENGINE", request.param)
    schemas.engine_for.cache_clear()
    return str(request.param)


def found(path: Path, layers: str = "PSRTCV") -> set[tuple[str, int, int]]:
    report = dls.validate(path)
    return {(f.code, f.line, f.column) for f in report.findings if f.code[4] in layers}


def test_the_corpus_covers_every_parse_independent_code_of_the_schema_and_rule_layers() -> None:
    """Each DLS-S and DLS-R code has at least one invalid case (S014 and S099 excepted)."""
    from dls.codes import CATALOG

    marked = {code for path in INVALID for code, _, _ in expected(path)}
    wanted = {c for c in CATALOG if c[4] in "SR"} - {"DLS-S014", "DLS-S099"}
    assert wanted <= marked, sorted(wanted - marked)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name.removesuffix(".dls.yaml"))
def test_an_invalid_case_gets_exactly_the_findings_it_marks(path: Path, engine: str) -> None:
    marks = expected(path)
    assert marks, f"{path.name} marks no expected finding"
    assert found(path, layers="PSR") == marks


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name.removesuffix(".dls.yaml"))
def test_a_valid_case_has_no_finding(path: Path, engine: str) -> None:
    assert found(path) == set()
