"""Hostile statement text renders as text in Markdown and HTML, never as markup.

The fixture statements/hostile.dls.yaml holds HTML, <script>, table pipes,
backticks, Markdown syntax, a 3000-character string and bidi controls in every
free-text field a reader sees.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from render_helpers import STATEMENTS

from dls.render import render_file

HOSTILE = STATEMENTS / "hostile.dls.yaml"
LONG = "A" * 3000


@pytest.fixture(scope="module")
def markdown() -> str:
    return render_file(HOSTILE, "markdown").text


@pytest.fixture(scope="module")
def html() -> str:
    return render_file(HOSTILE, "html").text


def _walk(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for t in tokens:
        out.append(t)
        out += _walk(t.children or [])
    return out


def _gfm(markdown: str) -> list[Token]:
    """Parse like GitHub and the Hub do: tables on, raw HTML allowed."""
    return _walk(
        MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).parse(markdown)
    )


def test_markdown_output_contains_no_html_even_where_raw_html_is_allowed(markdown: str) -> None:
    kinds = {t.type for t in _gfm(markdown)}
    assert "html_block" not in kinds
    assert "html_inline" not in kinds


def test_markdown_shows_the_hostile_text_literally(markdown: str) -> None:
    shown = "".join(t.content for t in _gfm(markdown) if t.type in ("text", "code_inline"))
    for raw in (
        "<script>alert('title')</script> | pipes | `ticks` **bold** [link](javascript:alert(1))",
        "Mallory <img src=x onerror=alert(1)>",
        "teacher</td></tr></table><h1>injected</h1>",
        "<script>document.title='pwned'</script> | `code` ",
        "&lt;already escaped&gt; and &amp; raw & ampersand, <b>bold</b> ~~strike~~ _under_ 1. item",
        "bench | <style>body{display:none}</style>",
        LONG,
    ):
        assert raw in shown


def test_markdown_tables_keep_their_columns_despite_pipes(markdown: str) -> None:
    tokens = _gfm(markdown)
    width = 0
    cells = 0
    for t in tokens:
        if t.type == "tr_open":
            cells = 0
        elif t.type in ("th_open", "td_open"):
            cells += 1
        elif t.type == "tr_close":
            if width == 0:
                width = cells
            assert cells == width
        elif t.type == "table_close":
            width = 0


def test_markdown_statement_text_adds_no_heading_list_link_or_emphasis(markdown: str) -> None:
    tokens = _gfm(markdown)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert not [
        h for h in headings if "fake heading" in h or "injected" in h or "not a heading" in h
    ]
    assert not [
        t for t in tokens if t.type == "link_open" and "javascript" in str(t.attrs.get("href"))
    ]
    assert not [t for t in tokens if t.type in ("s_open", "image")]


def test_bidi_controls_are_shown_as_code_points_in_markdown_and_html(
    markdown: str, html: str
) -> None:
    for out in (markdown, html):
        assert "\u202e" not in out and "\u2066" not in out and "\u200f" not in out
        assert (
            "student{U+202E}evil{U+202C} name with {U+200F} RLM and {U+2066}isolate{U+2069}" in out
        )


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def test_html_page_has_no_script_iframe_image_or_event_handler(html: str) -> None:
    page = _page(html)
    tags = [t for t, _ in page.tags]
    for forbidden in ("script", "iframe", "img", "object", "embed", "b"):
        assert forbidden not in tags
    assert tags.count("h1") == 1  # the page title; the statement's "<h1>injected</h1>" is text
    assert tags.count("style") == 1
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]
    assert not [v for _, attrs in page.tags for v in attrs.values() if v and "javascript:" in v]


def test_html_page_shows_the_hostile_text_literally(html: str) -> None:
    text = "".join(_page(html).text)
    for raw in (
        "<script>alert('title')</script> | pipes | `ticks` **bold** [link](javascript:alert(1))",
        "Mallory <img src=x onerror=alert(1)>",
        "teacher</td></tr></table><h1>injected</h1>",
        "Trained on synthetic data only; see <a href='https://evil.example'>here</a>.",
        "&lt;already escaped&gt; and &amp; raw & ampersand, <b>bold</b> ~~strike~~ _under_ 1. item",
        LONG,
    ):
        assert raw in text


def test_html_title_element_is_escaped(html: str) -> None:
    assert (
        "<title>Distillation Loss Statement: &lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"
        in html
    )
