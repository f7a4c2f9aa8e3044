"""What every command shares: turning dls errors into exit code 2, exiting."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import NoReturn, TypeVar

import click

from dls.errors import DlsError

T = TypeVar("T")


def run_guarded(fn: Callable[[], T]) -> T:
    """Run library code; a DlsError becomes a clear message and exit code 2.

    Anything else is a bug in dls: it is reported as an internal error (exit 2)
    with the traceback only when ``DLS_DEBUG`` is set.
    """
    try:
        return fn()
    except DlsError as exc:
        click.echo(f"error: {exc.message}", err=True)
        if exc.hint:
            click.echo(f"hint: {exc.hint}", err=True)
        fail(2)
    except (KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
        raise
    except Exception as exc:  # a bug: never a bare traceback for the user
        if os.environ.get("DLS_DEBUG"):
            import traceback

            traceback.print_exc()
        click.echo(
            f"internal error: {type(exc).__name__}: {exc} (set DLS_DEBUG=1 for details; "
            "please report it)",
            err=True,
        )
        fail(2)


def fail(code: int) -> NoReturn:
    sys.exit(code)
