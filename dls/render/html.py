"""The HTML page: the Markdown card through markdown-it-py, a chart, inline CSS.

markdown-it-py runs with raw HTML disabled, so HTML that reaches it from a
statement (already escaped by the Markdown layer) can only ever be text. The
page loads nothing: styles and the SVG chart are inline, and a
Content-Security-Policy forbids scripts and remote resources anyway.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from markupsafe import Markup

from dls.render import chart, text
from dls.render.env import html_env, render_template

PAGE_TEMPLATE = "page.html.j2"
CHART_TEMPLATE = "chart.svg.j2"
_RESULTS_HEADING = "<h3>Results by category</h3>\n"


@cache
def _converter() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    return md.enable(["table", "strikethrough"])


def markdown_to_html(markdown: str) -> str:
    """CommonMark plus GFM tables and strikethrough; raw HTML rendered as text."""
    html = str(_converter().render(markdown))
    # Wide tables scroll instead of pushing the page sideways. Safe to do on the
    # text: statement content reaches this point with every "<" escaped.
    return html.replace("<table>", '<div class="table-wrap"><table>').replace(
        "</table>", "</table></div>"
    )


def render_html(context: dict[str, Any], markdown: str) -> str:
    """The page for a view model and its (already rendered) Markdown card."""
    env = html_env()
    body = markdown_to_html(markdown)
    # The card's title is a level-2 heading (it sits under a card's own title);
    # on a page of its own it is the page's one h1.
    start = body.find("<h2>")
    if start >= 0:
        end = body.find("</h2>", start)
        body = body[:start] + "<h1>" + body[start + 4 : end] + "</h1>" + body[end + 5 :]
    head, sep, tail = body.partition(_RESULTS_HEADING)
    if sep:
        head, tail = head + sep, tail
    svg = render_template(env, CHART_TEMPLATE, {"chart": chart.layout(context["categories"])})
    page = render_template(
        env,
        PAGE_TEMPLATE,
        {
            **context,
            "title": text.one_line(text.reveal(str(context["statement"]["title"]))),
            # markdown-it output with raw HTML disabled, and an autoescaped template
            "body_head": Markup(head),
            "body_tail": Markup(tail),
            "chart_svg": Markup(svg),
        },
    )
    return "\n".join(line.rstrip() for line in page.splitlines()) + "\n"
