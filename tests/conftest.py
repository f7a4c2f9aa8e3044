"""Settings for the whole test suite.

dls reads the GitHub Actions environment: ``GITHUB_ACTIONS=true`` switches the
default output format to ``github``, ``GITHUB_STEP_SUMMARY`` receives a job
summary and ``GITHUB_WORKSPACE`` is the root paths are reported against. When
the suite itself runs in GitHub Actions those would leak into every test that
runs ``dls validate``; tests that want them set them explicitly.
"""

from __future__ import annotations

import pytest

_CI_VARIABLES = ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE", "GITHUB_OUTPUT")


@pytest.fixture(autouse=True)
def _no_github_actions_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)
