"""dls: Distillation Loss Statements.

The public API. Import names from here; modules starting with an underscore
are private. Heavier names load on first use, so that ``import dls`` (and the
command line's start-up) stays cheap.

>>> import dls
>>> report = dls.validate("examples/distilbert-sst2.dls.yaml")  # doctest: +SKIP
>>> report.ok, [f.code for f in report.findings]                 # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from dls._version import __version__
from dls.errors import DlsError
from dls.findings import FileReport, Finding, Report, Severity, Span

if TYPE_CHECKING:
    from dls.loader import Document, Limits, load_text
    from dls.pipeline import Options, load, validate, validate_paths

__all__ = [
    "DlsError",
    "Document",
    "FileReport",
    "Finding",
    "Limits",
    "Options",
    "Report",
    "Severity",
    "Span",
    "__version__",
    "load",
    "load_text",
    "validate",
    "validate_paths",
]

_LAZY = {
    "Document": "dls.loader",
    "Limits": "dls.loader",
    "load_text": "dls.loader",
    "Options": "dls.pipeline",
    "load": "dls.pipeline",
    "validate": "dls.pipeline",
    "validate_paths": "dls.pipeline",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dls' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
