"""The command line: a thin layer over the public API.

``dls.cli`` is the only package that imports click. Sub-commands live in their
own modules and are imported only when invoked, so ``dls --version`` and a
one-file ``dls validate`` do not pay for rendering or statistics imports.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

import click

from dls._version import __version__

# name -> (module, attribute, one-line help shown by `dls --help`)
_COMMANDS: dict[str, tuple[str, str, str]] = {
    "validate": ("dls.cli.validate", "validate", "Check statements (and scenario files)."),
    "scenarios": ("dls.cli.scenarios", "scenarios", "List and show scenarios."),
    "render": ("dls.cli.render", "render", "Render a statement as a model-card document."),
    "measure": ("dls.cli.evidence", "measure", "Compute findings from per-item outputs."),
    "import": ("dls.cli.evidence", "import_", "Import evaluation-harness results."),
    "verify": ("dls.cli.evidence", "verify", "Re-check a statement against its evidence."),
    "init": ("dls.cli.authoring", "init", "Write a statement skeleton for a scenario."),
    "schema": ("dls.cli.authoring", "schema", "Print or write a bundled JSON Schema."),
    "explain": ("dls.cli.authoring", "explain", "Explain a finding code, category or metric."),
    "diff": ("dls.cli.authoring", "diff", "Show what changed between two statements."),
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in _COMMANDS if self._available(name)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = _COMMANDS.get(cmd_name)
        if spec is None:
            return None
        module, attr, _ = spec
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name == module:
                return None
            raise
        cmd: Any = getattr(mod, attr, None)
        return cmd if isinstance(cmd, click.Command) else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, _COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    @staticmethod
    def _available(name: str) -> bool:
        return importlib.util.find_spec(_COMMANDS[name][0]) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="dls")
def main() -> None:
    """dls: Distillation Loss Statements.

    Say, honestly and checkably, what a distilled student preserved of its
    teacher, what it lost, and why the remaining losses are acceptable.
    """
