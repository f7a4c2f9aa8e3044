"""Paths as CI systems want them: repository-relative, with forward slashes.

GitHub annotations, SARIF artifact locations and JUnit suite names all name a
file; CI systems match those names against the checkout, so they must be
relative to the repository root and use ``/`` whatever the host OS.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import quote


def relative_posix(file: str, root: str | os.PathLike[str] | None = None) -> str:
    """``file`` relative to ``root`` (default: the working directory), POSIX style.

    A path outside ``root`` stays absolute; a relative path is only cleaned up
    (backslashes, ``./``), never resolved against the disk.
    """
    if "\\" in file and not file.startswith("/"):
        file = PureWindowsPath(file).as_posix()
    path = Path(file)
    if path.is_absolute():
        base = Path(root) if root is not None else Path.cwd()
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            try:
                return path.resolve().relative_to(base.resolve()).as_posix()
            except (ValueError, OSError):
                return path.as_posix()
    text = PurePosixPath(path.as_posix()).as_posix()
    return text[2:] if text.startswith("./") else text


def uri_reference(posix: str) -> str:
    """A relative or ``file:`` URI for a POSIX path (SARIF ``artifactLocation.uri``)."""
    quoted = quote(posix, safe="/-._~")
    return "file://" + quoted if posix.startswith("/") else quoted
