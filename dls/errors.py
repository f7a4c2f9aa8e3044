"""Errors: dls could not do its job. Oh no.

A problem *in a statement* is a Finding (dls.findings). These exceptions mean
the run itself could not go on: the CLI turns every DlsError into exit code 2
with its message and hint, never a traceback.

    DlsError
    ├── UsageError           a bad option or argument combination
    ├── InputError           a path is missing, unreadable, or matched nothing
    ├── SchemaError          a bundled or user schema cannot be loaded
    ├── ScenarioError        a scenario named on the command line cannot be resolved
    ├── ConfigError          a configuration file is malformed
    ├── TemplateError        a render template is missing or broken
    └── OutputError          an output file cannot be written safely
"""

from __future__ import annotations


class DlsError(Exception):
    """Base class: dls could not run. ``hint`` tells the user what to do."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}\nhint: {self.hint}"


class UsageError(DlsError):
    """An option or argument combination that cannot work."""


class InputError(DlsError):
    """A path is missing, unreadable, or matched no statement."""


class SchemaError(DlsError):
    """A schema cannot be loaded or is itself invalid."""


class ScenarioError(DlsError):
    """A scenario given by the user cannot be found, parsed or resolved."""


class ConfigError(DlsError):
    """A configuration file (pyproject.toml [tool.dls], .dls.yaml) is malformed."""


class TemplateError(DlsError):
    """A render template is missing or fails to render."""


class OutputError(DlsError):
    """An output file cannot be written, or would overwrite a file without --force."""
