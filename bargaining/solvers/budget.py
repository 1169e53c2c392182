"""Time budgets for solvers.

:class:`Deadline` is the one budget type: the dispatcher builds it from ``timeout`` (seconds;
``None`` or 0 means no limit; see :func:`parse_timeout`) and passes it to every method as
``deadline=``. Solvers poll it between units of work and, when it has passed, stop and return
what they have with ``complete=False``. Code that cannot poll (a foreign library) runs in a child
process via :func:`run_in_subprocess` / :func:`run_streaming`, killed when the deadline passes.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import numbers
import time
from collections.abc import Callable
from typing import Any

from bargaining.errors import SolverError

__all__ = ["Deadline", "BudgetExceeded", "parse_timeout", "run_in_subprocess", "run_streaming"]


def parse_timeout(timeout: object) -> float | None:
    """Seconds of budget, or ``None`` for no limit (``None``, 0, ``"none"``, infinity).
    A negative number, NaN or anything that is not a number is a :class:`SolverError`."""
    if isinstance(timeout, str):
        text = timeout.strip().lower()
        if text in ("none", "0", "inf"):
            return None
        try:
            timeout = float(text)
        except ValueError:
            raise SolverError(
                f"timeout {timeout!r} is not a number of seconds; give seconds > 0 or 'none'"
            ) from None
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, numbers.Real):
        raise SolverError(f"timeout {timeout!r} is not a number of seconds; give seconds > 0 or 'none'")
    value = float(timeout)
    if math.isnan(value) or value < 0:
        raise SolverError(f"timeout {timeout!r} is not a budget; give seconds > 0, or 0/'none' for no limit")
    if value == 0 or math.isinf(value):
        return None
    return value


class BudgetExceeded(Exception):
    """Raised inside a solver's loop when its deadline has passed (caught by the solver)."""


class Deadline:
    """A point in time after which a solver should stop. ``Deadline(None)`` never expires."""

    __slots__ = ("timeout", "_end")
    NONE: Deadline  # a deadline that never expires (the default of every method)

    def __init__(self, timeout: float | None = None):
        self.timeout = None if not timeout else float(timeout)
        self._end = None if self.timeout is None else time.monotonic() + self.timeout

    @classmethod
    def from_timeout(cls, timeout: object) -> Deadline:
        """A deadline ``timeout`` seconds from now, validated by :func:`parse_timeout`."""
        return cls(parse_timeout(timeout))

    @property
    def end(self) -> float | None:
        """The ``time.monotonic()`` instant of the deadline (``None``: no limit)."""
        return self._end

    @property
    def limited(self) -> bool:
        return self._end is not None

    def expired(self) -> bool:
        return self._end is not None and time.monotonic() >= self._end

    def remaining(self) -> float | None:
        if self._end is None:
            return None
        return max(0.0, self._end - time.monotonic())

    def check(self) -> None:
        """Raise :class:`BudgetExceeded` if the deadline has passed."""
        if self.expired():
            raise BudgetExceeded

    def message(self) -> str:
        return f"time budget of {self.timeout:g} s ran out; the equilibria found so far are listed"


Deadline.NONE = Deadline(None)


def _child(conn, fn, args, kwargs):  # pragma: no cover - runs in the child
    try:
        conn.send(("ok", fn(*args, **kwargs)))
    except BaseException as err:  # noqa: BLE001 - everything is reported to the parent
        conn.send(("error", repr(err)))
    finally:
        conn.close()


def run_in_subprocess(
    fn: Callable[..., Any], *args: Any, deadline: Deadline, **kwargs: Any
) -> tuple[str, Any]:
    """Run ``fn(*args, **kwargs)`` in a child process; kill it when ``deadline`` passes.

    Returns ``("ok", result)``, ``("timeout", None)`` or ``("error", text)``. ``fn`` and its
    result must be picklable (a module-level function).
    """
    ctx = (
        mp.get_context("spawn") if mp.get_start_method(allow_none=True) == "spawn" else mp.get_context("fork")
    )
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, kwargs), daemon=True)
    proc.start()
    child.close()
    try:
        if parent.poll(deadline.remaining()):
            status, value = parent.recv()
            return status, value
        return "timeout", None
    except EOFError:
        return "error", f"solver process died (exit code {proc.exitcode})"
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        parent.close()


def _stream_child(conn, fn, args, kwargs):  # pragma: no cover - runs in the child
    try:
        result = fn(*args, emit=lambda item: conn.send(("item", item)), **kwargs)
        conn.send(("ok", result))
    except BaseException as err:  # noqa: BLE001 - everything is reported to the parent
        conn.send(("error", repr(err)))
    finally:
        conn.close()


def run_streaming(
    fn: Callable[..., Any], *args: Any, deadline: Deadline, **kwargs: Any
) -> tuple[str, list[Any], Any]:
    """Run ``fn(*args, emit=..., **kwargs)`` in a child process that reports partial results.

    ``fn`` calls ``emit(item)`` for each result as soon as it has it (e.g. each equilibrium), so
    that when the child is killed at ``timeout`` seconds the parent still holds everything found
    so far (when ``deadline`` passes). Returns ``(status, items, value)`` with status ``"ok"``
    (``value`` is ``fn``'s return value), ``"timeout"`` or ``"error"`` (``value`` is the error
    text). ``fn``, its arguments and the items must be picklable (a module-level function).

    Inside a daemonic process (a ``multiprocessing.Pool`` worker, e.g. a sweep executor), which
    may not start children, ``fn`` runs in this process instead: it must then poll its own
    deadline, and a single step that cannot poll may overrun the budget.
    """
    if mp.current_process().daemon:
        items: list[Any] = []
        try:
            return "ok", items, fn(*args, emit=items.append, **kwargs)
        except Exception as err:  # noqa: BLE001 - reported like the child's errors
            return "error", items, repr(err)
    ctx = (
        mp.get_context("spawn") if mp.get_start_method(allow_none=True) == "spawn" else mp.get_context("fork")
    )
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_stream_child, args=(child, fn, args, kwargs), daemon=True)
    proc.start()
    child.close()
    end = deadline.end
    items = []
    try:
        while True:
            wait = None if end is None else max(0.0, end - time.monotonic())
            if not parent.poll(wait):
                return "timeout", items, None
            tag, value = parent.recv()
            if tag == "item":
                items.append(value)
                continue
            return tag, items, value
    except EOFError:
        return "error", items, f"solver process died (exit code {proc.exitcode})"
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        parent.close()
