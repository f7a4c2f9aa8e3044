"""Shared helpers for the renderer tests: statements, golden files and a browser."""

from __future__ import annotations

import shutil
from pathlib import Path

import dls

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
GOLDEN = ROOT / "tests" / "golden" / "render"
STATEMENTS = HERE / "statements"
VERSION_TOKEN = "{{DLS_VERSION}}"


def normalise_version(text: str) -> str:
    """Golden files name the dls version as a token, so a release does not break them."""
    return text.replace(f"dls {dls.__version__}", f"dls {VERSION_TOKEN}")


def statement_files() -> list[Path]:
    """Every example statement, plus the renderer's own fixtures."""
    examples = sorted((ROOT / "examples").glob("*.dls.yaml"))
    return examples + sorted(STATEMENTS.glob("*.dls.yaml"))


def find_browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def browser_flags(profile: Path) -> list[str]:
    """Headless flags that keep Chromium off the network (see the machine notes)."""
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ]
