"""The lab's worker pool: jobs run in separate processes, at most ``workers`` at a time, each
killed when it exceeds its budget, so a heavy solve never blocks the server or other users.

Processes come from a ``forkserver`` that has imported the package once
(:mod:`bargaining.web.preload`), so a job starts in milliseconds without forking the
multi-threaded server itself. Only the package's own functions run in the workers; their results
come back through a pipe.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["JobTimeout", "JobFailed", "Pool"]


class JobTimeout(Exception):
    """The job ran over its budget and was stopped."""


class JobFailed(Exception):
    """The job's process died or raised an unexpected error (a bug, not a user error)."""


def _child(conn: Any, fn: Callable[..., Any], kwargs: dict[str, Any]) -> None:
    try:
        conn.send(("ok", fn(**kwargs)))
    except BaseException as err:  # noqa: BLE001 - reported to the parent, which words it
        conn.send(("error", f"{type(err).__name__}: {err}"))
    finally:
        conn.close()


class Pool:
    """``run(fn, budget, kwargs)``: ``fn(**kwargs)`` in a worker process, or JobTimeout after
    ``budget`` seconds."""

    def __init__(self, workers: int = 2) -> None:
        self.ctx = mp.get_context("forkserver")
        self.ctx.set_forkserver_preload(["bargaining.web.preload"])
        self.slots = threading.BoundedSemaphore(workers)
        self.workers = workers

    def run(self, fn: Callable[..., Any], budget: float, kwargs: dict[str, Any] | None = None) -> Any:
        with self.slots:
            recv, send = self.ctx.Pipe(duplex=False)
            proc = self.ctx.Process(target=_child, args=(send, fn, kwargs or {}), daemon=True)
            proc.start()
            send.close()
            try:
                if not recv.poll(budget):
                    raise JobTimeout(f"stopped after {budget:g} s")
                try:
                    status, value = recv.recv()
                except EOFError:
                    raise JobFailed("the worker process died") from None
            finally:
                recv.close()
                if proc.is_alive():
                    proc.kill()
                proc.join(5)
        if status == "error":
            raise JobFailed(value)
        return value
