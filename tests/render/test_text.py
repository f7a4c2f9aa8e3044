"""Markdown escaping and number formatting, one rule at a time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from dls.render import text


def _inline_text(markdown: str) -> str:
    """What a CommonMark reader displays for one paragraph (raw HTML allowed, as on GitHub)."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    tokens = md.parse(markdown)
    kinds = {t.type for t in tokens}
    assert kinds <= {"paragraph_open", "inline", "paragraph_close"}, kinds
    inline = next(t for t in tokens if t.type == "inline")
    assert inline.children is not None
    assert {c.type for c in inline.children} <= {"text", "softbreak"}, inline.children
    return "".join(c.content for c in inline.children)


@pytest.mark.parametrize(
    "raw",
    [
        "<script>alert(1)</script>",
        "a | b | c",
        "`code` and ``more``",
        "**bold** _it_ ~~gone~~",
        "[link](javascript:alert(1))",
        "![img](https://example.org/x.png)",
        "&lt; already an entity &amp;",
        "back\\slash\\",
        "# heading",
        "- bullet",
        "+ bullet",
        "1. ordered",
        "12) ordered",
        "---",
        "===",
        "<!-- comment -->",
        "<https://autolink.example>",
    ],
)
def test_md_inline_displays_exactly_the_original_text(raw: str) -> None:
    assert _inline_text(text.md_inline(raw)) == raw


def test_md_inline_puts_line_breaks_and_tabs_on_one_line() -> None:
    assert text.md_inline("one\ntwo\r\nthree\tfour") == "one two three four"


def test_bidi_controls_and_invisible_characters_are_shown_not_applied() -> None:
    shown = text.md_inline("abc\u202edef\u2066x\u2069\u200fy\u200bz")
    assert shown == "abc{U+202E}def{U+2066}x{U+2069}{U+200F}y{U+200B}z"
    assert not text.has_hidden_characters(shown)


def test_joiners_that_scripts_need_are_kept() -> None:
    assert text.md_inline("\u0645\u200c\u06cc") == "\u0645\u200c\u06cc"


def test_md_code_uses_a_code_span_only_when_safe() -> None:
    assert text.md_code("acme/chat-1b@v2") == "`acme/chat-1b@v2`"
    assert text.md_code("a|b") == "a\\|b"
    assert text.md_code("`x`") == "\\`x\\`"


def test_md_link_links_only_plain_http_addresses() -> None:
    assert (
        text.md_link("m", "https://huggingface.co/acme/m") == "[m](https://huggingface.co/acme/m)"
    )
    assert text.md_link("m", "javascript:alert(1)") == "m (javascript:alert(1))"
    assert text.md_link("m", "https://x.example/a)b") == "m (https://x.example/a)b)"
    assert text.md_link("m", None) == "m"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.9105504587155964, "0.9106"),
        (0.912, "0.912"),
        (0.9, "0.9"),
        (0, "0"),
        (21.1, "21.1"),
        (12345.678, "12346"),
        (-0.0070000000000001, "-0.007"),
        (0.00001234, "1.234e-5"),
        (1234567.0, "1.235e+6"),
        (True, "True"),
        ("n/a", "n/a"),
        (None, "—"),
    ],
)
def test_number_keeps_four_significant_digits_and_every_integer_digit(
    value: object, shown: str
) -> None:
    assert text.number(value) == shown  # type: ignore[arg-type]


def test_signed_differences_carry_their_sign() -> None:
    assert [text.signed(x) for x in (0.012, -0.3, 0.0)] == ["+0.012", "-0.3", "0"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [(66_955_010, "67M"), (1_235_814_400, "1.24B"), (8.03e9, "8.03B"), (950, "950"), (2e12, "2T")],
)
def test_parameter_counts_read_like_model_cards(value: float, shown: str) -> None:
    assert text.count(value) == shown


def test_confidence_levels_are_percentages() -> None:
    assert text.percent(0.95) == "95%"
    assert text.percent(0.999) == "99.9%"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_md_inline_of_any_text_displays_that_text_on_one_line(raw: str) -> None:
    """Property: whatever a statement holds, the reader sees it, as text, in one paragraph."""
    expected = text.one_line(text.reveal(raw))
    escaped = text.md_inline(raw)
    if not expected:
        assert escaped == ""
        return
    assert _inline_text(escaped) == expected


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="#*_-+=`~|[]()<>!&;\\:./1a \t\n\u00a0\u202e", max_size=40))
def test_md_inline_of_markdown_punctuation_displays_it_literally(raw: str) -> None:
    expected = text.one_line(text.reveal(raw))
    escaped = text.md_inline(raw)
    if expected:
        assert _inline_text(escaped) == expected
