"""Render statements as model-card documents: Markdown, HTML, Hugging Face README.

``render`` turns statement data, its verdict rows and its scenario into text;
``render_file`` runs the validation pipeline first and refuses a statement
that does not validate unless asked to render it anyway, with a banner that
lists the problems. The layouts are Jinja2 templates in ``templates/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from dls.errors import InputError, UsageError
from dls.files import write_atomic
from dls.findings import FileReport, Severity
from dls.render import context as _context
from dls.render.into import BEGIN, END, MarkerError, into_card, splice

Format = Literal["markdown", "html", "hf"]
FORMATS: tuple[Format, ...] = ("markdown", "html", "hf")

__all__ = [
    "BEGIN",
    "END",
    "FORMATS",
    "MarkerError",
    "NotValid",
    "Rendered",
    "into_card",
    "render",
    "render_file",
    "splice",
    "write_atomic",
]


class NotValid(Exception):
    """The statement does not validate, so it is not rendered (``report`` says why)."""

    def __init__(self, report: FileReport) -> None:
        super().__init__(f"{report.file} does not validate ({report.errors} error(s))")
        self.report = report


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered document and the validation report it was rendered from."""

    text: str
    report: FileReport

    @property
    def valid(self) -> bool:
        return self.report.ok


def render(
    data: Mapping[str, Any],
    fmt: Format = "markdown",
    *,
    verdicts: Iterable[Any] = (),
    scenario: Any = None,
    problems: Iterable[Any] = (),
    template: str | os.PathLike[str] | None = None,
    hf_task: str = "other",
) -> str:
    """Render statement ``data`` (a plain dict) in ``fmt``.

    ``verdicts`` are dls.verdicts.VerdictRow objects, ``scenario`` the resolved
    scenario, ``problems`` findings to list in an "invalid statement" banner,
    ``template`` a custom Jinja2 card template (the built-in ones are in
    dls/render/templates/). Raises TemplateError for a broken template.
    """
    from dls.render.markdown import render_markdown

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    ctx = _context.build(data, verdicts, scenario, problems=_context.problems_of(problems))
    markdown = render_markdown(ctx, Path(template) if template is not None else None)
    if fmt == "markdown":
        return markdown
    if fmt == "html":
        from dls.render.html import render_html

        return render_html(ctx, markdown)
    from dls.render.hf import render_hf

    return render_hf(ctx, markdown, hf_task)


def render_file(
    path: str | os.PathLike[str],
    fmt: Format = "markdown",
    *,
    scenario: str | None = None,
    allow_invalid: bool = False,
    template: str | os.PathLike[str] | None = None,
    hf_task: str = "other",
) -> Rendered:
    """Validate the statement at ``path``, then render it.

    Raises NotValid when it does not validate (unless ``allow_invalid``, which
    renders it with a banner listing the problems) or cannot be read as a
    mapping at all; InputError or ScenarioError when the run cannot start.
    """
    from dls.pipeline import load, validate

    doc = load(path)
    report = validate(doc, scenario=scenario)
    if report.kind is not None and report.kind != "statement":
        raise InputError(
            f"{path} is a {report.kind} file, not a statement",
            hint="dls render takes a statement (*.dls.yaml); `dls scenarios show` shows scenarios",
        )
    if not isinstance(doc.data, Mapping) or (not report.ok and not allow_invalid):
        raise NotValid(report)
    problems = (
        []
        if report.ok
        else [f for f in report.sorted_findings() if f.severity is not Severity.INFO]
    )
    text = render(
        doc.data,
        fmt,
        verdicts=report.verdicts,
        scenario=report.scenario,
        problems=problems,
        template=template,
        hf_task=hf_task,
    )
    return Rendered(text, report)
