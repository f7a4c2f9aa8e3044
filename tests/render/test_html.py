"""The HTML page is self-contained, print-friendly, and charts every finding."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from render_helpers import STATEMENTS, statement_files

from dls.render import render_file
from dls.render.html import markdown_to_html

RESOURCE_TAGS = {
    "script",
    "link",
    "img",
    "iframe",
    "frame",
    "object",
    "embed",
    "source",
    "video",
    "audio",
    "track",
    "image",
    "use",
    "base",
    "input",
    "form",
    "meta-refresh",
}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


def _parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    p.close()
    return p


@pytest.mark.parametrize("statement", statement_files(), ids=lambda p: p.name)
def test_the_page_loads_nothing_from_anywhere(statement: Path) -> None:
    page = _parse(render_file(statement, "html").text)
    assert not [t for t, _ in page.tags if t in RESOURCE_TAGS]
    assert not [(t, a) for t, a in page.tags if "src" in a or "srcset" in a or "xlink:href" in a]
    # href only on links a reader clicks; nothing else may point anywhere
    assert {t for t, a in page.tags if "href" in a} <= {"a"}
    assert "url(" not in page.style and "@import" not in page.style
    assert "http" not in page.style


def test_the_page_forbids_scripts_and_remote_loads_by_content_security_policy() -> None:
    page = _parse(render_file(STATEMENTS / "chat-assistant.dls.yaml", "html").text)
    (csp,) = [
        a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp["content"] == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def test_the_page_has_print_styles() -> None:
    page = _parse(render_file(STATEMENTS / "chat-assistant.dls.yaml", "html").text)
    assert "@media print" in page.style
    assert "break-inside: avoid" in page.style


def test_the_chart_draws_teacher_and_student_for_every_finding_and_highlights_losses() -> None:
    out = render_file(STATEMENTS / "chat-assistant.dls.yaml", "html")
    page = _parse(out.text)
    findings = list(out.report.verdicts)
    groups = [a for t, a in page.tags if t == "g" and "finding" in (a.get("class") or "").split()]
    assert len(groups) == 6 == len(findings)
    students = [a for t, a in page.tags if t == "circle" and "student" in (a.get("class") or "")]
    assert len(students) == 6 + 1  # one per finding plus the legend's
    lost_rows = [a for t, a in page.tags if t == "rect" and a.get("class") == "row lost"]
    assert len(lost_rows) == 2 + 1  # mmlu-accuracy and flips, plus the legend's swatch
    intervals = [a for t, a in page.tags if t == "line" and a.get("class") == "interval"]
    assert len(intervals) >= 3 * 6  # a bar and two caps per finding with an interval


def test_the_chart_sits_at_the_start_of_the_results_section() -> None:
    html = render_file(STATEMENTS / "chat-assistant.dls.yaml", "html").text
    assert re.search(r"<h3>Results by category</h3>\s*<figure class=\"chart\">\s*<svg", html)


def test_statement_html_is_never_passed_through_by_the_markdown_converter() -> None:
    assert markdown_to_html("<b>x</b> <script>y</script>") == (
        "<p>&lt;b&gt;x&lt;/b&gt; &lt;script&gt;y&lt;/script&gt;</p>\n"
    )


def test_markdown_tables_become_html_tables_inside_a_scrolling_wrapper() -> None:
    html = markdown_to_html("| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert html.startswith('<div class="table-wrap"><table>')
    assert "<td>1</td>" in html
