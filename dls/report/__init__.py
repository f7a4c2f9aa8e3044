"""Reporters: a ``Report`` in, the text a person or a CI system reads out.

Every reporter is a pure function ``render(report, **options) -> str``;
nothing here prints or exits. ``FORMATS`` maps the ``--format`` names to the
functions, imported only when used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from dls.findings import Report

FORMATS: dict[str, str] = {
    "text": "dls.report.text:render",
    "json": "dls.report.json_:render",
    "sarif": "dls.report.sarif:render",
    "github": "dls.report.github:render",
    "junit": "dls.report.junit:render",
}
"""Output format name -> "module:function"."""


def reporter(name: str) -> Callable[..., str]:
    """The render function of an output format."""
    module, _, attr = FORMATS[name].partition(":")
    fn: Callable[..., str] = getattr(importlib.import_module(module), attr)
    return fn


def render(report: Report, fmt: str = "text", **options: Any) -> str:
    """``report`` in the output format ``fmt``."""
    return reporter(fmt)(report, **options)
