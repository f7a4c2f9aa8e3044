"""The Markdown card: the built-in layout or a custom Jinja2 template.

The Markdown card is the base of every format: the HTML page converts it, the
Hugging Face README puts front matter above it. A custom template replaces the
card layout; it must still show the "Not assessed" section, which dls renders
itself and checks for in the output.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dls.errors import TemplateError
from dls.render.env import Md, markdown_env, render_template

CARD_TEMPLATE = "card.md.j2"
NOT_ASSESSED_TEMPLATE = "not_assessed.md.j2"


def _tidy(markdown: str) -> str:
    """Trailing spaces removed, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in markdown.replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n"


def render_markdown(context: dict[str, Any], template: str | Path | None = None) -> str:
    """The Markdown card for a view model (see dls.render.context.build).

    ``template`` is a path to a custom Jinja2 template; it can ``{% extends
    "card.md.j2" %}`` or include the built-in parts by name.
    """
    custom = Path(template) if template is not None else None
    if custom is not None and not custom.is_file():
        raise TemplateError(f"template not found: {custom}")
    env = markdown_env(custom.parent if custom is not None else None)
    section = _tidy(render_template(env, NOT_ASSESSED_TEMPLATE, context)).rstrip("\n")
    ctx = {**context, "not_assessed_section": Md(section)}
    name = f"custom/{custom.name}" if custom is not None else CARD_TEMPLATE
    out = _tidy(render_template(env, name, ctx))
    if section not in out:
        raise TemplateError(
            f"template {name} leaves out the 'Not assessed' section",
            hint="a Distillation Loss Statement must say what was not measured: "
            "put {{ not_assessed_section }} in the template",
        )
    return out
