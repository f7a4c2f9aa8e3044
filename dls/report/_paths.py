"""Paths as CI systems want them: repository-relative, with forward slashes.

GitHub annotations, SARIF artifact locations and JUnit suite names all name a
file; CI systems match those names against the checkout, so they must be
relative to the repository root (not to wherever dls was started) and use
``/`` whatever the host OS.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import quote


def _absolute(path: str | os.PathLike[str]) -> Path:
    """Absolute and normalised lexically: symbolic links are kept as the user named them."""
    return Path(os.path.abspath(path))  # noqa: PTH100 - Path.resolve() would follow links


def repository_root(start: Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The root paths are reported against.

    ``$GITHUB_WORKSPACE`` in GitHub Actions (when the run is inside it), else
    the nearest folder above ``start`` holding ``.git``, else ``start`` (the
    working directory).
    """
    here = _absolute(start or Path.cwd())
    workspace = (os.environ if environ is None else environ).get("GITHUB_WORKSPACE")
    if workspace:
        ws = _absolute(workspace)
        if here == ws or ws in here.parents:
            return ws
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return directory
    return here


def relative_posix(file: str, root: str | os.PathLike[str] | None = None) -> str:
    """``file`` relative to ``root``, POSIX style.

    Without ``root`` a relative path is only cleaned up (backslashes, ``./``)
    and an absolute one made relative to the working directory. With ``root``
    a relative path is taken from the working directory and re-based on
    ``root``. A path outside the root stays absolute.
    """
    if "\\" in file and not file.startswith("/"):
        file = PureWindowsPath(file).as_posix()
    path = Path(file)
    if root is None and not path.is_absolute():
        text = PurePosixPath(path.as_posix()).as_posix()
        return text[2:] if text.startswith("./") else text
    base = _absolute(root if root is not None else Path.cwd())
    absolute = _absolute(path)
    try:
        return absolute.relative_to(base).as_posix()
    except ValueError:
        try:
            return absolute.resolve().relative_to(base.resolve()).as_posix()
        except (ValueError, OSError):
            return absolute.as_posix()


def uri_reference(posix: str) -> str:
    """A relative or ``file:`` URI for a POSIX path (SARIF ``artifactLocation.uri``)."""
    quoted = quote(posix, safe="/-._~")
    return "file://" + quoted if posix.startswith("/") else quoted
