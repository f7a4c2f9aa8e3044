"""Golden files: every format on every example statement, byte for byte.

Regenerate after an intended change with ``pytest tests/render --update-golden``
(or ``DLS_UPDATE_GOLDEN=1``), then review the diff like code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from render_helpers import GOLDEN, normalise_version, statement_files

from dls.render import render_file

SUFFIX = {"markdown": ".md", "html": ".html", "hf": ".hf.md"}
CASES = [(path, fmt) for path in statement_files() for fmt in SUFFIX]


def _golden_path(statement: Path, fmt: str) -> Path:
    stem = statement.name.removesuffix(".dls.yaml")
    origin = "examples" if statement.parent.name == "examples" else "fixtures"
    return GOLDEN / origin / f"{stem}{SUFFIX[fmt]}"


@pytest.mark.parametrize(("statement", "fmt"), CASES, ids=[f"{p.name}-{f}" for p, f in CASES])
def test_rendered_output_matches_the_reviewed_golden_file(
    statement: Path, fmt: str, update_golden: bool
) -> None:
    actual = normalise_version(render_file(statement, fmt).text)  # type: ignore[arg-type]
    golden = _golden_path(statement, fmt)
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual.encode("utf-8"))
    assert golden.is_file(), f"no golden file {golden}; run pytest with --update-golden"
    assert actual == golden.read_bytes().decode("utf-8")


def test_rendering_twice_gives_identical_bytes() -> None:
    """No timestamps, no dict-order or set-order noise: output is deterministic."""
    for statement in statement_files():
        for fmt in SUFFIX:
            first = render_file(statement, fmt).text  # type: ignore[arg-type]
            assert render_file(statement, fmt).text == first  # type: ignore[arg-type]


def test_every_golden_file_belongs_to_a_statement() -> None:
    """A golden file whose statement was removed or renamed is stale."""
    expected = {_golden_path(p, f) for p, f in CASES}
    present = set(GOLDEN.rglob("*.md")) | set(GOLDEN.rglob("*.html"))
    assert present <= expected, sorted(str(p) for p in present - expected)
