"""Findings: what is wrong with a statement, as data.

A finding is a problem in something a user wrote. It never aborts a run: the
pipeline (load, schema, semantics, scenario targets) yields findings, and the
engine attaches where they happened. "Could not run at all" is an exception
(see dls.errors), not a finding.

Positions are 1-based lines and columns counted in Unicode code points, the
convention of PyYAML marks and of SARIF's ``unicodeCodePoints`` column kind.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any

Path_ = tuple[str | int, ...]
"""A location inside a document: mapping keys and sequence indices."""


class Severity(enum.Enum):
    """How bad a finding is; ordered so that ``max()`` picks the worst."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True)
class Span:
    """A 1-based region of the source text; ``end_*`` point just past the region."""

    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None


START = Span(1, 1)


def pointer(path: Path_) -> str:
    """RFC 6901 JSON Pointer for a document path (``""`` is the whole document)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file.

    ``code`` is stable (``DLS-S004``); ``path`` is where in the document it is,
    ``span`` where in the text. ``data`` carries machine-readable details
    (expected values, suggestions) for JSON and SARIF consumers.
    """

    code: str
    severity: Severity
    message: str
    path: Path_ = ()
    span: Span = START
    hint: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def pointer(self) -> str:
        return pointer(self.path)

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity)


@dataclass(slots=True)
class FileReport:
    """Everything dls found in one file, plus what it computed on the way.

    ``kind`` is the document kind (``statement`` or ``scenario``) once known;
    ``verdicts`` holds the per-finding verdict rows of a statement that reached
    the scenario stage (see dls.verdicts). ``exception`` is set when the file
    could not be checked at all (unreadable, missing): the run exits 2.
    """

    file: str
    findings: list[Finding] = field(default_factory=list)
    kind: str | None = None
    format: str | None = None
    verdicts: list[Any] = field(default_factory=list)
    scenario: Any = None
    exception: str | None = None

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        """No error finding and the file could be checked."""
        return self.exception is None and self.errors == 0

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (f.span.line, f.span.column, f.code))


@dataclass(slots=True)
class Report:
    """The result of validating one or more files in one run."""

    files: list[FileReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    @property
    def could_not_run(self) -> bool:
        return any(f.exception is not None for f in self.files)

    def findings(self) -> list[tuple[FileReport, Finding]]:
        return [(fr, f) for fr in self.files for f in fr.sorted_findings()]

    def count(self, severity: Severity) -> int:
        return sum(1 for fr in self.files for f in fr.findings if f.severity is severity)
