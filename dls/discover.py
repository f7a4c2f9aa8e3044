"""Which files a run checks: explicit files, directories, globs.

Directories are searched recursively for the default patterns (statements
``*.dls.yaml``/``*.dls.yml``/``*.dls.json`` and scenario files
``*.dls-scenario.yaml``/``*.dls-scenario.yml``), skipping hidden files (the
``.dls.yaml`` configuration file among them), hidden folders and virtual
environments. Explicit files are always checked whatever their name.
Resolved paths are deduplicated, so overlapping arguments check a file once.
"""

from __future__ import annotations

import fnmatch
import glob
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PATTERNS: tuple[str, ...] = (
    "*.dls.yaml",
    "*.dls.yml",
    "*.dls.json",
    "*.dls-scenario.yaml",
    "*.dls-scenario.yml",
)
_SKIP_DIRS = {"node_modules", "__pycache__", "site-packages", "venv"}


@dataclass(frozen=True, slots=True)
class Target:
    """A file to check, or a path argument that cannot be checked (``problem``)."""

    path: Path
    display: str
    problem: str | None = None


def display_path(path: Path) -> str:
    """A path relative to the working directory when below it, with ``/`` separators."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _walk(root: Path, patterns: Sequence[str]) -> Iterable[Target]:
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in _SKIP_DIRS)
        for name in sorted(filenames):
            # hidden files are never statements (.dls.yaml is dls's configuration file)
            if name.startswith(".") or not any(fnmatch.fnmatch(name, p) for p in patterns):
                continue
            path = Path(dirpath) / name
            problem = None
            if path.is_symlink():
                target = path.resolve()
                if not target.exists():
                    problem = "broken symbolic link"
                elif not target.is_relative_to(real_root):
                    problem = f"symbolic link leaves {display_path(root)}: {target}"
            yield Target(path, display_path(path), problem)


def _is_glob(arg: str) -> bool:
    return any(ch in arg for ch in "*?[")


def discover(
    args: Sequence[str | os.PathLike[str]], patterns: Sequence[str] = DEFAULT_PATTERNS
) -> tuple[list[Target], list[str]]:
    """Files to check for the command-line ``args``, and args that matched nothing.

    A missing path is returned as a Target with a problem (the run goes on and
    exits 2); a directory or glob that matches no statement is listed in the
    second result so that the caller can decide whether an empty run is an error.
    """
    out: list[Target] = []
    empty: list[str] = []
    seen: set[Path] = set()

    def add(t: Target) -> None:
        key = t.path.resolve() if t.problem is None else t.path.absolute()
        if key not in seen:
            seen.add(key)
            out.append(t)

    for raw in args:
        arg = os.fspath(raw)
        path = Path(arg)
        if path.is_dir():
            found = list(_walk(path, patterns))
            if not found:
                empty.append(arg)
            for t in found:
                add(t)
        elif path.is_symlink() and not path.exists():
            add(Target(path, display_path(path), "broken symbolic link"))
        elif path.exists():
            add(Target(path, display_path(path)))
        elif _is_glob(arg):
            matches = sorted(glob.glob(arg, recursive=True))  # noqa: PTH207 - user globs may be absolute
            files = [Path(m) for m in matches if Path(m).is_file()]
            if not files:
                empty.append(arg)
            for f in files:
                add(Target(f, display_path(f)))
        else:
            add(Target(path, display_path(path), "file not found"))
    return out, empty
