"""User-facing errors.

Every error a user can cause (a bad file, a bad parameter, an invalid game) is a
:class:`BargainingError` whose message is one line that names the place and the fix. The CLI
prints it without a traceback and exits with code 2.
"""

from __future__ import annotations

from os import PathLike
from typing import Any


class BargainingError(Exception):
    """An error caused by the user's input; ``str(err)`` is one line naming the fix.

    ``hint`` (optional) carries the fix as data for a front end that words options its own way
    (the CLI turns ``{"option": "tie_break", "value": "all", ...}`` into ``--tie-break all``)."""

    hint: dict[str, Any] | None = None


def one_line(message: str) -> str:
    """``message`` with line breaks written as ``\\n`` (names read from a file may hold them)."""
    return message.replace("\r", "\\r").replace("\n", "\\n")


class GameValidationError(BargainingError, ValueError):
    """A game (or profile) that breaks a rule: wrong shapes, NaN payoffs, bad probabilities."""

    def __init__(self, *args: object):
        if len(args) == 1 and isinstance(args[0], str):
            args = (one_line(args[0]),)
        super().__init__(*args)


class FileFormatError(BargainingError, ValueError):
    """A file that cannot be parsed: names the file, the line (1-based) and what was expected."""

    def __init__(self, path: str | PathLike | None, line: int | None, message: str):
        self.path = None if path is None else str(path)
        self.line = line
        self.message = message = one_line(message)
        where = self.path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")


class SolverError(BargainingError):
    """A solver asked to do something it cannot (wrong game kind, unknown method, ...)."""
