"""Writing a file without ever losing what was there.

A user's file is replaced only with ``force``, and always atomically: the text
goes to a temporary file in the same directory, which then replaces the target
with ``os.replace``, so a crash leaves either the old file or the new one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from dls.errors import OutputError


def write_text(path: str | os.PathLike[str], text: str, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` as UTF-8; refuse to overwrite a file without ``force``."""
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{target} is a directory", hint="give a file name with -o")
    if target.exists() and not force:
        raise OutputError(
            f"{target} already exists; not overwriting it",
            hint="pass --force to replace it, or choose another name with -o",
        )
    directory = target.parent if str(target.parent) else Path()
    if not directory.is_dir():
        raise OutputError(f"cannot write {target}: folder {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        Path(tmp).replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise
    return target
