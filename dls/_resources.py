"""Where the bundled data files live.

The root ``schema/`` and ``scenarios/`` folders are the single source. A wheel
carries them as ``dls/_data/schema`` and ``dls/_data/scenarios`` (hatchling
force-include); a source checkout or editable install reads the root folders.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(kind: str) -> Path:
    """The folder holding the bundled ``kind`` files (``schema`` or ``scenarios``)."""
    installed = _PACKAGE / "_data" / kind
    if installed.is_dir():
        return installed
    source = _PACKAGE.parent / kind
    if source.is_dir():
        return source
    raise FileNotFoundError(f"dls installation is incomplete: no bundled {kind!r} folder")


def data_file(kind: str, name: str) -> Path:
    return data_dir(kind) / name
