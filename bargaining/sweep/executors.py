"""Where the chunks of a sweep are computed: in this process, in local processes, or on Dask.

Every executor runs the same pure function ``fn(spec, k, start, stop) -> ChunkResult`` on the
pending chunks and hands each result to ``on_result`` in the parent, which alone writes to the
store. At most ``2 × workers`` chunks are in flight, so memory stays bounded however large the
grid. The results do not depend on the executor: each chunk is computed the same way wherever
it runs, and the store orders them by chunk index.

- ``serial``: a plain loop (debugging, tiny sweeps).
- ``process`` (default): :class:`concurrent.futures.ProcessPoolExecutor`, ``workers`` processes
  (default: all cores).
- ``dask``: a ``dask.distributed`` client: ``scheduler="tcp://HOST:PORT"`` for an existing
  cluster, or ``dask_local=N`` to start a local cluster of ``N`` single-threaded worker processes
  (optional extra: ``pip install 'bargaining[dask]'``).

Memory: ``memory_mb`` caps the memory each worker process may add to what it maps at start
(``resource.setrlimit(RLIMIT_AS)``, POSIX), and that this process may add while the ``serial``
executor solves a chunk (the limit is restored afterwards). A point that needs more fails with
``MemoryError``, recorded as that point's error; the sweep goes on. Dask workers manage their own
memory (``--memory-limit`` of ``dask worker``) and are not capped here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from typing import Any

from bargaining.sweep.errors import SweepError

__all__ = ["EXECUTORS", "run_tasks", "default_workers", "memory_limit", "set_memory_limit"]

EXECUTORS = ("serial", "process", "dask")


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def run_tasks(
    fn: Callable[..., Any],
    spec: Any,
    tasks: Iterable[tuple[int, int, int]],
    on_result: Callable[[Any], None],
    executor: str = "process",
    workers: int | None = None,
    scheduler: str | None = None,
    dask_local: int | None = None,
    memory_mb: float | None = None,
) -> None:
    """Run ``fn(spec, k, start, stop)`` for each task and pass each result to ``on_result``
    (``memory_mb``: the memory cap of each worker, see the module docstring)."""
    tasks = list(tasks)
    if executor not in EXECUTORS:
        raise SweepError(f"expected one of {', '.join(EXECUTORS)}", option="executor", value=executor)
    if executor == "serial" or (executor == "process" and (workers == 1 or len(tasks) <= 1)):
        for k, start, stop in tasks:
            with memory_limit(memory_mb):  # the work only: storing the result is not capped
                result = fn(spec, k, start, stop)
            on_result(result)
        return
    if executor == "process":
        _run_process(fn, spec, tasks, on_result, workers or default_workers(), memory_mb)
        return
    _run_dask(fn, spec, tasks, on_result, workers, scheduler, dask_local)


def set_memory_limit(memory_mb: float | None) -> tuple[int, int] | None:
    """Let this process map at most ``memory_mb`` MB more than now (soft limit; never above the hard
    one). Returns the previous limits, or ``None`` where nothing was changed."""
    if not memory_mb:
        return None
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return None
    old = resource.getrlimit(resource.RLIMIT_AS)
    # on top of the address space already mapped (libraries, allocator arenas): the budget is
    # what the work may add, so a process that loaded large libraries is not starved
    want = _address_space() + int(memory_mb * 1024 * 1024)
    if old[1] != resource.RLIM_INFINITY:
        want = min(want, old[1])
    try:
        resource.setrlimit(resource.RLIMIT_AS, (want, old[1]))
    except (ValueError, OSError):
        return None
    return old


def _address_space() -> int:
    """Bytes of address space this process maps now (Linux ``/proc/self/statm``; else 0)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


@contextmanager
def memory_limit(memory_mb: float | None):
    """:func:`set_memory_limit` for the block, the old limit restored after it."""
    old = set_memory_limit(memory_mb)
    try:
        yield
    finally:
        if old is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, old)


def _init_worker(memory_mb: float | None = None) -> None:  # pragma: no cover - runs in the workers
    """Workers leave Ctrl-C to the parent, which stops them (no tracebacks from workers), and
    run under the memory cap."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    set_memory_limit(memory_mb)


def _run_process(fn, spec, tasks, on_result, workers: int, memory_mb: float | None = None) -> None:
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(memory_mb,))
    pending = iter(tasks)
    inflight: set = set()
    try:
        for _ in range(2 * workers):
            t = next(pending, None)
            if t is None:
                break
            inflight.add(pool.submit(fn, spec, *t))
        while inflight:
            done, inflight = wait(inflight, return_when=FIRST_COMPLETED)
            for fut in done:
                on_result(fut.result())
                t = next(pending, None)
                if t is not None:
                    inflight.add(pool.submit(fn, spec, *t))
    except BaseException:
        for fut in inflight:
            fut.cancel()
        # do not wait for running chunks on Ctrl-C or errors: stop the workers now
        for proc in list(getattr(pool, "_processes", {}).values()):
            if proc.is_alive():
                proc.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _run_dask(fn, spec, tasks, on_result, workers, scheduler, dask_local) -> None:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise SweepError(
            "needs dask.distributed: pip install 'bargaining[dask]'", option="executor", value="dask"
        ) from None
    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except OSError as err:
            raise SweepError(f"cannot connect ({err})", option="scheduler", value=scheduler) from None
    else:
        n = dask_local or workers or default_workers()
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        nworkers = max(1, len(client.scheduler_info().get("workers", {})) or (dask_local or workers or 1))
        pending = iter(tasks)
        first = []
        for _ in range(2 * nworkers):
            t = next(pending, None)
            if t is None:
                break
            first.append(client.submit(fn, spec, *t, pure=False))
        stream = as_completed(first)
        for fut in stream:
            on_result(fut.result())
            fut.release()
            t = next(pending, None)
            if t is not None:
                stream.add(client.submit(fn, spec, *t, pure=False))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
