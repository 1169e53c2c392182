"""How the command line words errors that lower layers raise with structured parts.

The sweep layer names settings by their Python keywords (:class:`bargaining.sweep.errors.SweepError`)
and reports Ctrl-C with what was saved (:class:`bargaining.sweep.errors.SweepInterrupted`); this
module spells them as ``bargain`` flags.
"""

from __future__ import annotations

from bargaining.errors import BargainingError
from bargaining.sweep.errors import SweepError, SweepInterrupted

__all__ = ["SWEEP_FLAGS", "flag", "error_message", "interrupt_lines"]

# the flag of each sweep setting (keyword of make_spec / run_sweep -> command-line option)
SWEEP_FLAGS = {
    "grid": "--grid",
    "fixed": "--set",
    "sample": "--sample",
    "seed": "--seed",
    "method": "--method",
    "out": "--out",
    "resume": "--resume",
    "executor": "--executor",
    "scheduler": "--scheduler",
}


def flag(name: str) -> str:
    """The command-line flag of the sweep setting ``name``."""
    return SWEEP_FLAGS.get(name, f"--{name.replace('_', '-')}")


def error_message(err: BargainingError) -> str:
    """The one line printed for a user error."""
    if isinstance(err, SweepError):
        return err.worded(flag)
    return str(err)


def interrupt_lines(err: KeyboardInterrupt) -> list[str]:
    """What to print on Ctrl-C: for a sweep, what was saved and the command that finishes it."""
    if not isinstance(err, SweepInterrupted):
        return ["interrupted"]
    import shlex

    resume, force = flag("resume"), flag("force")
    try:
        words = [w for w in shlex.split(err.command) if w != force]  # --force would start it again
    except ValueError:
        words = err.command.split()
    if resume not in words:
        words.append(resume)
    return [str(err), f"to finish the sweep, run: {shlex.join(words)}"]
