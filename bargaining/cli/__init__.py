"""The ``bargain`` command line (click). It only wires files, models and solvers together.

User errors (bad files, bad parameters, invalid games) print one line and exit with code 2,
with no traceback.
"""

from __future__ import annotations

import sys

import click

from bargaining import __version__
from bargaining.cli.wording import error_message, interrupt_lines
from bargaining.errors import BargainingError

__all__ = ["main", "UserError"]


class UserError(click.ClickException):
    """A user error: printed as ``Error: <one line>``, exit code 2."""

    exit_code = 2


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BargainingError as err:
            raise UserError(error_message(err)) from None
        except (BrokenPipeError, OSError) as err:
            if not isinstance(err, BrokenPipeError):
                # a file-system failure that escaped the checks (a name too long, a link loop, a
                # disk error): one line naming the file, exit 2, no traceback
                from bargaining.output import os_error

                where = err.filename if err.filename is not None else "a file"
                raise UserError(str(os_error(where, err, "cannot use it"))) from None
            # the reader went away (`bargain games | head -1`): stop quietly, as other tools do
            import os

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except KeyboardInterrupt as err:
            for line in interrupt_lines(err):
                click.echo(line, err=True)
            sys.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bargain")
def main() -> None:
    """bargain: equilibria of games of commitment and bluff, bargaining models, sweeps.

    \b
    Examples:
      bargain games
      bargain solve games/crisis-normal-form.yaml
      bargain solve battle-of-the-sexes --format json
    """


def _register() -> None:
    import importlib

    for name in (
        "solve",
        "show",
        "games",
        "explain",
        "convert",
        "sweep",
        "plot",
        "draw",
        "export",
        "regimes",
        "learn",
        "serve",
    ):
        try:
            module = importlib.import_module(f"bargaining.cli.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"bargaining.cli.{name}":
                raise
            continue
        for command in getattr(module, "COMMANDS", ()):
            main.add_command(command)


_register()
