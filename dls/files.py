"""Files dls writes or fingerprints, written without ever losing what was there.

Every write goes through one temporary file in the target's folder and one
``os.replace``, so a crash leaves either the old file or the new one. A user's
file is replaced only with ``force``. New files get the permissions a plain
``open(path, "w")`` would give them (``mkstemp`` alone would make them 0600);
a replaced file keeps its own.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from dls.errors import OutputError


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes, read in chunks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _default_mode() -> int:
    """What a plain ``open(path, "w")`` would give a new file."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and one rename."""
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else _default_mode()
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).chmod(mode)
        Path(tmp).replace(path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc


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
    write_atomic(target, text.encode("utf-8"))
    return target
