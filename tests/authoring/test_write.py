"""Writing files: atomic, never over a user's file without force."""

from __future__ import annotations

from pathlib import Path

import pytest

from dls.errors import OutputError
from dls.files import write_text


def test_a_new_file_is_written_with_unix_line_ends(tmp_path: Path) -> None:
    target = write_text(tmp_path / "a.dls.yaml", "one\ntwo\n")
    assert target.read_bytes() == b"one\ntwo\n"


def test_an_existing_file_is_kept_without_force(tmp_path: Path) -> None:
    target = tmp_path / "a.dls.yaml"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="already exists") as info:
        write_text(target, "theirs")
    assert info.value.hint is not None and "--force" in info.value.hint
    assert target.read_text(encoding="utf-8") == "mine"


def test_force_replaces_the_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "a.dls.yaml"
    target.write_text("mine", encoding="utf-8")
    write_text(target, "theirs", force=True)
    assert target.read_text(encoding="utf-8") == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["a.dls.yaml"]


def test_a_directory_is_never_a_target(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory"):
        write_text(tmp_path, "text", force=True)


def test_a_missing_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_text(tmp_path / "no" / "a.dls.yaml", "text")


def test_a_new_file_gets_the_permissions_of_a_plain_open(tmp_path: Path) -> None:
    """The temporary file behind an atomic write is 0600; the written file must not be."""
    import os

    umask = os.umask(0o022)
    try:
        written = write_text(tmp_path / "new.dls.yaml", "x: 1\n")
    finally:
        os.umask(umask)
    assert written.stat().st_mode & 0o777 == 0o644
