"""The JSON report: a stable, documented structure (docs/json-report.md).

Machine formats only ever gain fields. Lines and columns are 1-based; paths
are as given on the command line with ``/`` separators; numbers are finite
(``allow_nan=False``): a NaN can never reach a consumer.
"""

from __future__ import annotations

import json
from typing import Any

from dls._version import __version__
from dls.findings import FileReport, Finding, Report, Severity, pointer
from dls.report.text import accepted_losses

REPORT_VERSION = "1"
VERDICTS = ("improved", "preserved", "inconclusive", "lost")


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "severity": f.severity.value,
        "message": f.message,
        "line": f.span.line,
        "column": f.span.column,
        "endLine": f.span.end_line,
        "endColumn": f.span.end_column,
        "pointer": f.pointer,
        "hint": f.hint,
        "data": f.data,
    }


def verdict_json(r: Any) -> dict[str, Any]:
    return {
        "category": r.category,
        "finding": r.finding_id,
        "metric": r.metric,
        "direction": r.direction,
        "teacher": r.teacher,
        "student": r.student,
        "difference": r.difference,
        "normalisedDifference": r.normalised,
        "interval": list(r.interval) if r.interval is not None else None,
        "intervalSource": r.interval_source,
        "tolerance": r.tolerance,
        "toleranceText": r.tolerance_text,
        "verdict": r.verdict,
        "claimed": r.claimed,
        "accepted": r.accepted,
        "blocking": r.blocking,
        "requirement": r.requirement,
        "pointer": pointer(tuple(r.path)),
    }


def file_json(fr: FileReport) -> dict[str, Any]:
    sc = fr.scenario
    return {
        "file": fr.file,
        "kind": fr.kind,
        "format": fr.format,
        "ok": fr.ok,
        "error": fr.exception,
        "scenario": None
        if sc is None
        else {
            "id": getattr(sc, "id", None),
            "version": getattr(sc, "version", None),
            "sha256": getattr(sc, "sha256", None),
        },
        "findings": [finding_json(f) for f in fr.sorted_findings()],
        "verdicts": [verdict_json(r) for r in fr.verdicts],
    }


def summary_json(report: Report) -> dict[str, Any]:
    verdicts = dict.fromkeys(VERDICTS, 0)
    for fr in report.files:
        for r in fr.verdicts:
            verdicts[r.verdict] = verdicts.get(r.verdict, 0) + 1
    return {
        "files": len(report.files),
        "passed": sum(1 for f in report.files if f.ok),
        "failed": sum(1 for f in report.files if f.exception is None and not f.ok),
        "couldNotCheck": sum(1 for f in report.files if f.exception is not None),
        "errors": report.count(Severity.ERROR),
        "warnings": report.count(Severity.WARNING),
        "infos": report.count(Severity.INFO),
        "acceptedLosses": accepted_losses(report),
        "verdicts": verdicts,
    }


def report_json(report: Report) -> dict[str, Any]:
    return {
        "reportVersion": REPORT_VERSION,
        "tool": {"name": "dls", "version": __version__},
        "files": [file_json(fr) for fr in report.files],
        "summary": summary_json(report),
    }


def render(report: Report, **_: Any) -> str:
    return json.dumps(report_json(report), indent=2, allow_nan=False, ensure_ascii=False) + "\n"
