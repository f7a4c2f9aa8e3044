"""dls: Distillation Loss Statements.

The public API. Import names from here; modules starting with an underscore
are private.
"""

from dls._version import __version__
from dls.errors import DlsError
from dls.findings import FileReport, Finding, Report, Severity, Span

__all__ = [
    "DlsError",
    "FileReport",
    "Finding",
    "Report",
    "Severity",
    "Span",
    "__version__",
]
