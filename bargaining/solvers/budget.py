"""Time budgets for solvers.

Every solver takes ``timeout`` (seconds; ``None`` or 0 means no limit). Solvers written here poll
a :class:`Deadline` between units of work and, when it has passed, stop and return what they have
with ``complete=False``. Code that cannot poll (a foreign library) runs in a child process via
:func:`run_in_subprocess`, which is killed when the budget runs out.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Callable
from typing import Any

__all__ = ["Deadline", "BudgetExceeded", "run_in_subprocess", "run_streaming"]


class BudgetExceeded(Exception):
    """Raised inside a solver's loop when its deadline has passed (caught by the solver)."""


class Deadline:
    """A point in time after which a solver should stop. ``Deadline(None)`` never expires."""

    __slots__ = ("timeout", "_end")

    def __init__(self, timeout: float | None):
        self.timeout = None if not timeout else float(timeout)
        self._end = None if self.timeout is None else time.monotonic() + self.timeout

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


def _child(conn, fn, args, kwargs):  # pragma: no cover - runs in the child
    try:
        conn.send(("ok", fn(*args, **kwargs)))
    except BaseException as err:  # noqa: BLE001 - everything is reported to the parent
        conn.send(("error", repr(err)))
    finally:
        conn.close()


def run_in_subprocess(
    fn: Callable[..., Any], *args: Any, timeout: float | None, **kwargs: Any
) -> tuple[str, Any]:
    """Run ``fn(*args, **kwargs)`` in a child process; kill it after ``timeout`` seconds.

    Returns ``("ok", result)``, ``("timeout", None)`` or ``("error", text)``. ``fn`` and its
    result must be picklable (a module-level function).
    """
    ctx = mp.get_context("spawn" if mp.get_start_method(allow_none=True) == "spawn" else "fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, kwargs), daemon=True)
    proc.start()
    child.close()
    try:
        if parent.poll(None if not timeout else timeout):
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
    fn: Callable[..., Any], *args: Any, timeout: float | None, **kwargs: Any
) -> tuple[str, list[Any], Any]:
    """Run ``fn(*args, emit=..., **kwargs)`` in a child process that reports partial results.

    ``fn`` calls ``emit(item)`` for each result as soon as it has it (e.g. each equilibrium), so
    that when the child is killed at ``timeout`` seconds the parent still holds everything found
    so far. Returns ``(status, items, value)`` with status ``"ok"`` (``value`` is ``fn``'s return
    value), ``"timeout"`` or ``"error"`` (``value`` is the error text). ``fn``, its arguments and
    the items must be picklable (a module-level function).

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
    ctx = mp.get_context("spawn" if mp.get_start_method(allow_none=True) == "spawn" else "fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_stream_child, args=(child, fn, args, kwargs), daemon=True)
    proc.start()
    child.close()
    end = None if not timeout else time.monotonic() + timeout
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
