"""Jinja2 environments for the built-in and custom templates.

Both environments use ``StrictUndefined``: a misspelt name in a template is an
error that names the template and line, never an empty string (Google's Model
Card Toolkit renders typos as nothing; we do not).

The Markdown environment escapes every ``{{ ... }}`` value for Markdown through
``finalize``, the way autoescaping works for HTML: a template author cannot
forget to escape statement text. Values that are already Markdown (the ``code``
and ``link`` helpers, pre-rendered sections) are marked with ``Md``.
"""

from __future__ import annotations

import traceback
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from dls.errors import TemplateError
from dls.render import text

TEMPLATES = Path(__file__).resolve().parent / "templates"
"""The built-in templates: the starting point for custom ones."""


class Md(str):
    """A string that is already Markdown and must not be escaped again."""

    __slots__ = ()


def _finalize(value: Any) -> Any:
    if isinstance(value, Md):
        return value
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return text.number(value)
    return text.md_inline(str(value))


def _code(value: Any) -> Md:
    return Md(text.md_code(str(value)))


def _prose(value: Any) -> Md:
    return Md(text.md_paragraphs(str(value)))


def _link(label: Any, url: Any = None) -> Md:
    return Md(text.md_link(str(label), None if url is None else str(url)))


def _metric(metric: Any) -> Md:
    """A metric as a reader knows it: its display title, or its id as code."""
    label, mid = metric.get("label"), metric.get("id")
    return Md(text.md_code(str(mid)) if label == mid else text.md_inline(str(label)))


def _md(value: Any) -> Md:
    """Escape explicitly (the same as printing the value)."""
    return value if isinstance(value, Md) else Md(_finalize(value))


def markdown_env(custom_dir: Path | None = None) -> jinja2.Environment:
    """The environment for Markdown card templates (built-ins, then ``custom_dir``)."""
    return _builtin_markdown_env() if custom_dir is None else _markdown_env(custom_dir)


@cache
def _builtin_markdown_env() -> jinja2.Environment:
    return _markdown_env(None)


def _markdown_env(custom_dir: Path | None) -> jinja2.Environment:
    # Built-in names resolve to the built-ins first, so a custom "card.md.j2" can
    # still {% extends "card.md.j2" %}; the custom template itself is "custom/<name>".
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(TEMPLATES))]
    if custom_dir is not None:
        custom = jinja2.FileSystemLoader(str(custom_dir))
        loaders = [jinja2.PrefixLoader({"custom": custom}), *loaders, custom]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(code=_code, prose=_prose, md=_md, metric=_metric)
    env.globals.update(link=_link)
    return env


@cache
def html_env() -> jinja2.Environment:
    """The environment for the HTML page and its SVG chart (HTML autoescaping on)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _where(exc: BaseException) -> str:
    """``template:line`` of the innermost template frame of a rendering error."""
    lineno = getattr(exc, "lineno", None)
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    if lineno:
        return f"{name or 'template'}:{lineno}"
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2") or frame.filename.endswith(".jinja"):
            return f"{frame.filename}:{frame.lineno}"
    return "template"


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render ``name`` with ``context``; every template problem becomes a TemplateError."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}") from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"{_where(exc)}: {exc.message}",
            hint="the names a template can use are listed in docs/rendering.md; "
            "start from the built-in templates in dls/render/templates/",
        ) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{_where(exc)}: template syntax error: {exc.message}") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{_where(exc)}: {exc}") from exc
    except (TypeError, ValueError, AttributeError, LookupError, ArithmeticError) as exc:
        raise TemplateError(f"{_where(exc)}: {type(exc).__name__}: {exc}") from exc
