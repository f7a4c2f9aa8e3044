"""One fixed report for the golden files of the CI reporters (SARIF, GitHub, JUnit).

Built by hand, not by the validator, so that the golden files change only when a
reporter (or the code catalogue it quotes) changes. Regenerate them with
``DLS_UPDATE_GOLDEN=1 python -m pytest tests/test_report_*.py`` and review the diff.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dls.findings import FileReport, Finding, Report, Severity, Span

GOLDEN = Path(__file__).parent / "golden" / "report"


@dataclass
class VerdictRow:
    category: str
    finding_id: str
    metric: str
    teacher: float
    student: float
    difference: float
    tolerance_text: str
    verdict: str
    accepted: bool = False
    blocking: bool = False
    interval: tuple[float, float] | None = None


def golden_report() -> Report:
    chat = FileReport(
        "statements/chat-small.dls.yaml",
        [
            Finding(
                "DLS-T024",
                Severity.INFO,
                "refusals: accepted loss of refusal_rate in safety (difference -0.03, "
                "tolerance 0.02)",
                ("categories", "safety", "findings", 0),
                Span(41, 9, 41, 23),
            ),
            Finding(
                "DLS-R005",
                Severity.WARNING,
                "metric 'ece_equal_width' belongs to uncertainty, not task_performance",
                ("categories", "task_performance", "findings", 1, "metric"),
                Span(30, 17, 30, 32),
            ),
        ],
        kind="statement",
        verdicts=[
            VerdictRow(
                "safety",
                "refusals",
                "refusal_rate",
                0.91,
                0.88,
                -0.03,
                "0.02",
                "lost",
                accepted=True,
                interval=(-0.045, -0.015),
            ),
            VerdictRow(
                "task_performance",
                "acc",
                "accuracy",
                0.812,
                0.805,
                -0.007,
                "0.02",
                "preserved",
                interval=(-0.015, 0.001),
            ),
        ],
    )
    bad = FileReport(
        "statements/bad, odd:name.dls.yaml",
        [
            Finding(
                "DLS-S004",
                Severity.ERROR,
                "unknown key 'justifcation'",
                ("categories", "safety", "findings", 0, "justifcation"),
                Span(12, 9, 12, 21),
                hint="did you mean 'justification'?",
            ),
            Finding(
                "DLS-S006",
                Severity.ERROR,
                "expected a number, got the string '0.5' | quoted\n::error::not a command",
                ("headline", 0, "student"),
                Span(7, 14, 7, 19),
            ),
        ],
        kind="statement",
    )
    ok = FileReport("statements/tiny.dls.yaml", [], kind="statement")
    gone = FileReport("statements/gone.dls.yaml", exception="file not found")
    return Report([chat, bad, ok, gone])


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/report/NAME, or rewrite it when DLS_UPDATE_GOLDEN=1."""
    path = GOLDEN / name
    if os.environ.get("DLS_UPDATE_GOLDEN") == "1" or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        if os.environ.get("DLS_UPDATE_GOLDEN") != "1":
            raise AssertionError(f"{path} did not exist; written now, review it and re-run")
    assert actual == path.read_text(encoding="utf-8")
