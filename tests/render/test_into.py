"""--into: the statement's section goes between markers; every other byte stays put."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from render_helpers import STATEMENTS

from dls.errors import DlsError
from dls.render import BEGIN, END, MarkerError, into_card, render_file, splice
from dls.render.into import newline_of

CARD = Path(__file__).parent / "cards" / "third-party-crlf.md"
SECTION = render_file(STATEMENTS / "chat-assistant.dls.yaml", "markdown").text


def _outside(data: bytes) -> tuple[bytes, bytes]:
    """The bytes before the begin marker line and after the end marker line."""
    begin = data.index(BEGIN.encode())
    end = data.index(END.encode())
    return data[:begin], data[end + len(END) :]


def test_a_card_without_markers_gets_the_section_appended_in_its_own_line_endings(
    tmp_path: Path,
) -> None:
    card = tmp_path / "README.md"
    original = CARD.read_bytes()
    card.write_bytes(original)
    assert into_card(card, SECTION) is True
    out = card.read_bytes()
    assert out.startswith(original)  # every original byte, in place
    added = out[len(original) :]
    assert added.startswith(b"\r\n\r\n" + BEGIN.encode() + b"\r\n")
    assert added.endswith(END.encode() + b"\r\n")
    assert b"\n" not in added.replace(b"\r\n", b"")  # no bare LF slipped in
    assert b"## Distillation Loss Statement" in added


def test_running_twice_is_idempotent_and_keeps_the_card_byte_identical(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    card.write_bytes(CARD.read_bytes())
    into_card(card, SECTION)
    first = card.read_bytes()
    assert into_card(card, SECTION) is False
    assert card.read_bytes() == first


def test_replacing_a_section_changes_only_what_is_between_the_markers(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    before = b"# Card\r\n\r\nIntro.\r\n\r\n"
    after = b"\r\n## Citation\r\n\r\nTrailing text, no final newline"
    card.write_bytes(before + BEGIN.encode() + b"\r\nold section\r\n" + END.encode() + after)
    into_card(card, SECTION)
    out = card.read_bytes()
    assert _outside(out) == (before, after)
    assert b"old section" not in out
    assert b"### Not assessed" in out
    into_card(card, SECTION)
    assert card.read_bytes() == out


def test_a_new_statement_version_replaces_the_old_section_in_place(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    card.write_bytes(CARD.read_bytes())
    into_card(card, "## Old section\n\nrevision one\n")
    old_outside = _outside(card.read_bytes())
    into_card(card, SECTION)
    out = card.read_bytes()
    assert _outside(out) == old_outside
    assert b"revision one" not in out


def test_the_rare_cr_cr_lf_line_ending_of_some_hub_cards_is_kept(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    original = b"---\r\r\nlicense: other\r\r\n---\r\r\n# Model\r\r\n\r\r\nText.\r\r\n"
    card.write_bytes(original)
    into_card(card, SECTION)
    out = card.read_bytes()
    assert out.startswith(original)
    added = out[len(original) :]
    assert added.count(b"\n") == added.count(b"\r\r\n")


@pytest.mark.parametrize(
    ("data", "newline"),
    [
        (b"a\nb\n", b"\n"),
        (b"a\r\nb\r\nc\n", b"\r\n"),
        (b"a\r\r\nb\r\r\n", b"\r\r\n"),
        (b"no newline", b"\n"),
    ],
)
def test_the_newline_style_is_the_cards_most_frequent_one(data: bytes, newline: bytes) -> None:
    assert newline_of(data) == newline


def test_an_empty_card_gets_just_the_section() -> None:
    out = splice(b"", "## S\n")
    assert out == f"{BEGIN}\n\n## S\n\n{END}\n".encode()


def test_a_card_without_final_newline_gets_one_before_the_section() -> None:
    out = splice(b"# Card", "## S\n")
    assert out == f"# Card\n\n{BEGIN}\n\n## S\n\n{END}\n".encode()


def test_non_utf8_bytes_elsewhere_in_the_card_are_kept_untouched() -> None:
    card = b"caf\xe9 latin-1 text\n"
    assert splice(card, "## S\n").startswith(card)


@pytest.mark.parametrize(
    ("card", "message"),
    [
        (f"# C\n{BEGIN}\nx\n", "dls:begin marker without a dls:end marker"),
        (f"# C\nx\n{END}\n", "dls:end marker without a dls:begin marker"),
        (f"{BEGIN}\n{END}\n{BEGIN}\n{END}\n", "2 dls:begin markers (lines 1, 3)"),
        (f"{BEGIN}\n{END}\n{END}\n", "2 dls:end markers (lines 2, 3)"),
        (f"{END}\nx\n{BEGIN}\n", "dls:end marker comes before the dls:begin marker (line 3)"),
        (f"text {BEGIN}\n{END}\n", "malformed dls marker"),
        (f"<!-- dls:begin statement=1 -->\n{END}\n", "malformed dls marker"),
        (f"{BEGIN}\n<!--dls:END-->\n", "malformed dls marker"),
    ],
)
def test_malformed_markers_are_refused_with_a_clear_error(card: str, message: str) -> None:
    with pytest.raises(MarkerError, match=re.escape(message)) as err:
        splice(card.encode(), "## S\n", "README.md")
    assert isinstance(err.value, DlsError)
    assert "README.md" in str(err.value)


def test_a_refused_card_is_left_exactly_as_it_was(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    original = f"# C\r\n{END}\r\n{BEGIN}\r\n".encode()
    card.write_bytes(original)
    with pytest.raises(MarkerError):
        into_card(card, SECTION)
    assert card.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["README.md"]


def test_prose_that_mentions_the_marker_names_is_not_a_marker() -> None:
    card = b"Use dls:begin and dls:end comments to place the section.\n"
    assert splice(card, "## S\n").startswith(card)


def test_writing_leaves_no_temporary_file_and_keeps_the_file_mode(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    card.write_bytes(CARD.read_bytes())
    card.chmod(0o640)
    into_card(card, SECTION)
    assert [p.name for p in tmp_path.iterdir()] == ["README.md"]
    assert card.stat().st_mode & 0o777 == 0o640


def test_output_elsewhere_leaves_the_card_untouched(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    card.write_bytes(CARD.read_bytes())
    out = tmp_path / "out.md"
    into_card(card, SECTION, out)
    assert card.read_bytes() == CARD.read_bytes()
    assert out.read_bytes().startswith(CARD.read_bytes())


def test_a_new_output_file_gets_ordinary_permissions_not_the_temporary_files(
    tmp_path: Path,
) -> None:
    import os

    from dls.render import write_atomic

    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.md", b"x")
    finally:
        os.umask(umask)
    assert (tmp_path / "new.md").stat().st_mode & 0o777 == 0o644


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [b"# Title", b"text \xe2\x80\x94 more", b"", b"  indented", b"\xff\xfe", b"| a | b |"]
        ),
        max_size=8,
    ),
    st.sampled_from([b"\n", b"\r\n", b"\r\r\n"]),
    st.booleans(),
)
def test_any_card_keeps_its_bytes_and_a_second_run_is_a_no_op(
    lines: list[bytes], newline: bytes, final: bool
) -> None:
    card = newline.join(lines) + (newline if final and lines else b"")
    once = splice(card, SECTION)
    assert once.startswith(card)
    assert splice(once, SECTION) == once
    before, after = _outside(once)
    assert (before, after) == _outside(splice(once, "## Another section\n"))
