"""The bundled JSON Schemas, by kind and version, for editors and other tools.

Schemas live in the root ``schema/`` folder (``dls/_data/schema`` in a wheel)
as ``<kind>-<version>.schema.json``; the newest version of a kind is the
default. Nothing here parses the schema: ``dls schema`` hands out the exact
bytes dls validates with.
"""

from __future__ import annotations

import re
from pathlib import Path

from dls._resources import data_dir
from dls.errors import UsageError

KINDS: tuple[str, ...] = ("statement", "scenario", "records")
"""The document kinds that have a bundled schema."""

_NAME = re.compile(r"^(?P<kind>[a-z]+)-v(?P<version>\d+)\.schema\.json$")


def versions(kind: str) -> list[str]:
    """The bundled versions of a kind's schema (``["v1", ...]``), oldest first."""
    found = []
    for path in data_dir("schema").iterdir():
        match = _NAME.match(path.name)
        if match and match["kind"] == kind:
            found.append(int(match["version"]))
    return [f"v{n}" for n in sorted(found)]


def schema_path(kind: str, version: str | None = None) -> Path:
    """The bundled schema file of ``kind`` at ``version`` (default: the newest)."""
    if kind not in KINDS:
        raise UsageError(f"unknown schema kind {kind!r}", hint=f"choose one of: {', '.join(KINDS)}")
    available = versions(kind)
    if not available:
        raise UsageError(f"this installation of dls bundles no {kind} schema")
    if version is None:
        return data_dir("schema") / f"{kind}-{available[-1]}.schema.json"
    wanted = version if version.startswith("v") else f"v{version}"
    if wanted not in available:
        raise UsageError(
            f"no {kind} schema version {version!r}",
            hint=f"bundled versions: {', '.join(available)}",
        )
    return data_dir("schema") / f"{kind}-{wanted}.schema.json"


def schema_text(kind: str, version: str | None = None) -> str:
    """The bundled schema's text, exactly as shipped."""
    return schema_path(kind, version).read_text(encoding="utf-8")
