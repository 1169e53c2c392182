"""Sweep errors that carry their parts, so that each front end words them in its own terms.

A sweep is driven from Python (``sweep(grid=..., fixed=...)``, ``run_sweep(resume=True)``), from
experiment files and from the ``bargain`` command line (``--grid``, ``--set``, ``--resume``). The
sweep layer does not know which: a :class:`SweepError` names the setting it is about by its
Python keyword (``option``), keeps the value given for it apart (``value``), and writes any
other setting its advice mentions as a placeholder ``<opt:NAME>``. :meth:`SweepError.worded`
fills them with a spelling function; ``str(err)`` uses the Python keywords, and the CLI passes
its flag table (``bargaining.cli.options.flag``).

The keywords are those of :func:`bargaining.sweep.spec.make_spec` and
:func:`bargaining.sweep.engine.run_sweep`: ``grid``, ``fixed``, ``sample``, ``seed``,
``method``, ``out``, ``resume``, ``executor``, ``scheduler``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bargaining.errors import BargainingError

__all__ = ["SweepError", "SweepInterrupted", "OPTIONS"]

OPTIONS = (
    "grid",
    "fixed",
    "sample",
    "seed",
    "method",
    "out",
    "resume",
    "executor",
    "scheduler",
    "force",
    "max_points",
    "yes",
    "memory",
    "workers",
    "dask_local",
    "point_timeout",
)
_PLACEHOLDER = re.compile(r"<opt:(\w+)>")


def _python_spelling(name: str) -> str:
    return f"{name}=True" if name in ("resume", "force", "yes") else name


class SweepError(BargainingError):
    """A user error of a sweep: ``problem`` about setting ``option`` given as ``value``."""

    def __init__(self, problem: str, *, option: str | None = None, value: Any = None):
        for name in [option, *_PLACEHOLDER.findall(problem)]:
            if name is not None and name not in OPTIONS:
                raise ValueError(f"unknown sweep option {name!r} in an error message")
        self.problem = problem
        self.option = option
        self.value = value
        super().__init__(self.worded(_python_spelling))

    def worded(self, spell: Callable[[str], str]) -> str:
        """The one-line message with every setting spelled by ``spell(keyword)``."""
        text = _PLACEHOLDER.sub(lambda m: spell(m.group(1)), self.problem)
        if self.option is None:
            return text
        head = spell(self.option) if self.value is None else f"{spell(self.option)} {self.value}"
        return f"{head}: {text}"


class SweepInterrupted(KeyboardInterrupt):
    """A sweep stopped by Ctrl-C after saving ``done`` of ``total`` chunks in ``parts``; the same
    call with ``resume`` set (``command`` is the command line it ran from) finishes it."""

    def __init__(self, done: int, total: int, parts: str, command: str):
        super().__init__(f"stopped: {done} of {total} chunks are saved in {parts}")
        self.done, self.total, self.parts, self.command = done, total, parts, command
