"""JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure).

One ``testsuite`` per statement file, one ``testcase`` per (code, location)
with a name unique within the file, and one passing case for a file without
findings so passes are counted too. GitLab keys cases by ``classname`` and
``name`` and drops duplicates, hence the unique names; it also never fails a
job from the report, so the exit code still must. Findings at or above
``fail_on`` are ``failure`` elements; files that could not be checked are
``error`` elements; the rest pass with the finding in ``system-out``.
The shape validates against the Jenkins xUnit JUnit schema.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET

from dls.findings import Finding, Report, Severity
from dls.report._paths import relative_posix

# XML 1.0 cannot carry most control characters, not even escaped.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", text)


def render(
    report: Report,
    *,
    root: str | os.PathLike[str] | None = None,
    fail_on: Severity = Severity.ERROR,
) -> str:
    """The JUnit XML document of ``report`` (UTF-8, deterministic)."""
    suites = ET.Element("testsuites", name="dls validate")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for fr in report.files:
        path = _clean(relative_posix(fr.file, root))
        suite = ET.SubElement(suites, "testsuite", name=path)
        counts = {"tests": 0, "failures": 0, "errors": 0}
        if fr.exception is not None:
            case = ET.SubElement(suite, "testcase", name="could not check", classname=path)
            error = ET.SubElement(case, "error", message=_clean(fr.exception), type="DLS-E")
            error.text = _clean(fr.exception)
            counts["tests"] += 1
            counts["errors"] += 1
        used: set[str] = set()
        for f in fr.sorted_findings():
            case = ET.SubElement(suite, "testcase", name=_unique(_name(f), used), classname=path)
            counts["tests"] += 1
            body = _clean(_body(path, f))
            if f.severity.rank >= fail_on.rank:
                failure = ET.SubElement(case, "failure", message=_clean(f.message), type=f.code)
                failure.text = body
                counts["failures"] += 1
            else:
                out = ET.SubElement(case, "system-out")
                out.text = body
        if fr.exception is None and not fr.findings:
            ET.SubElement(suite, "testcase", name="valid", classname=path)
            counts["tests"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("skipped", "0")
        suite.set("file", path)
    for key, value in totals.items():
        suites.set(key, str(value))
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def _name(f: Finding) -> str:
    where = f.pointer or "/"
    return _clean(f"{f.code} {where} (line {f.line}, column {f.column})")


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{name} #{n}"
    used.add(candidate)
    return candidate


def _body(path: str, f: Finding) -> str:
    text = f"{path}:{f.line}:{f.column}: {f.severity.value} [{f.code}] {f.message}"
    if f.pointer:
        text += f"\nat {f.pointer}"
    if f.hint:
        text += f"\nhint: {f.hint}"
    return text
