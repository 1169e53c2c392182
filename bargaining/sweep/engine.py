"""The sweep engine: solve a parametric game at every point of a grid or sample.

``run_sweep(spec, out, ...)`` splits the numbered points (:mod:`bargaining.sweep.grid`) into
chunks of consecutive indices, computes the pending chunks on an executor
(:mod:`bargaining.sweep.executors`) and stores each in the resumable store
(:mod:`bargaining.sweep.store`), then merges the final tables.

One chunk, :func:`solve_chunk`, is a pure function of the spec and the index range: batched
(:mod:`bargaining.sweep.batched`) when :func:`bargaining.sweep.spec.plan` chose it and the chunk
forms one stack of games, else per point (:mod:`bargaining.sweep.point`).

Rows (docs/reference/sweep.md): ``point`` (the point's index), the parameters, ``equilibrium``
(0-based), ``label``, refinement flags, ``p:<player>:<strategy>`` probabilities, ``payoff:<player>``,
``regret``, ``complete``, ``constraints_ok``, ``error``. A point with no equilibrium (or an error)
still has one row, with ``equilibrium`` empty. Labels of normal-form equilibria carry the profile
in words, e.g. ``pure (F, C)`` or ``mixed (F+S, C+A)`` (the supports), so regimes distinguish
different pure outcomes. The regime table (:mod:`bargaining.sweep.regimes`) has one row per
point: parameters, ``regime`` (the sorted set of labels joined by ``; ``), ``equilibria`` (their
number), ``complete``, ``constraints_ok`` and ``error``.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

from bargaining import __version__
from bargaining.numeric import jsonify
from bargaining.output import OutputError
from bargaining.sweep.batched import NotAStack, solve_chunk_bimatrix, solve_chunk_signaling, solve_chunk_tree
from bargaining.sweep.errors import SweepError, SweepInterrupted
from bargaining.sweep.estimate import check_estimate, estimate
from bargaining.sweep.executors import default_workers, run_tasks
from bargaining.sweep.lock import SweepLock
from bargaining.sweep.point import ChunkResult, solve_points
from bargaining.sweep.regimes import count_failed_points
from bargaining.sweep.spec import SweepSpec, default_chunk_size, get_source, plan, source_hash
from bargaining.sweep.store import ResultStore, output_paths

__all__ = ["solve_chunk", "run_sweep", "command_line", "DEFAULT_MEMORY_MB"]

DEFAULT_MEMORY_MB = 4096  # address-space cap of each worker process (0 or None: no cap)


def solve_chunk(spec: SweepSpec, k: int, start: int, stop: int) -> ChunkResult:
    """Solve points ``start..stop-1`` (chunk ``k``); rows sorted by point, then equilibrium."""
    src = get_source(spec)
    params = spec.points.points(start, stop)
    batched = {
        "bimatrix": solve_chunk_bimatrix,
        "signaling": solve_chunk_signaling,
        "tree": solve_chunk_tree,
    }.get(spec.mode)
    if batched is not None:
        try:
            return batched(spec, src, k, start, stop, params)
        except NotAStack:
            # the points' games differ in shape or kind, some point has no game, or the
            # template's body does not map onto the stack: point by point
            pass
        except MemoryError:
            pass  # the stack does not fit in the memory budget: point by point (each point capped)
    return solve_points(spec, src, k, start, stop, params)


def _progress(total: int, initial: int, quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    import shutil

    width = shutil.get_terminal_size((100, 20)).columns
    return tqdm(
        total=total,
        initial=initial,
        unit="pt",
        unit_scale=True,
        smoothing=0.1,
        ncols=width if width >= 40 else 100,
        desc="sweep",
    )


def command_line() -> str:
    prog = Path(sys.argv[0]).name if sys.argv else "bargain"
    if prog in ("__main__.py", "-c", ""):  # python -m bargaining
        prog = "bargain"
    argv = [prog] + sys.argv[1:]
    return " ".join(shlex.quote(a) for a in argv)


def run_sweep(
    spec: SweepSpec,
    out: str | os.PathLike,
    *,
    executor: str = "process",
    workers: int | None = None,
    scheduler: str | None = None,
    dask_local: int | None = None,
    resume: bool = False,
    force: bool = False,
    max_points: int | None = None,
    yes: bool = False,
    memory_mb: float | None = DEFAULT_MEMORY_MB,
    chunk_size: int | None = None,
    quiet: bool = False,
    command: str | None = None,
    log=None,
) -> dict[str, Any]:
    """Run (or resume) a sweep and write its files; returns the meta data written beside them.

    Before any point is solved: the output must be a writable file path; an existing table is
    replaced only with ``force`` (or continued with ``resume``); a lock file beside it
    (:mod:`bargaining.sweep.lock`) keeps a second run off the same output; the size estimate
    (:mod:`bargaining.sweep.estimate`) must fit the point cap (``max_points``), the free disk and
    memory (``yes`` accepts them). ``memory_mb`` caps each worker's memory
    (:mod:`bargaining.sweep.executors`). Ctrl-C raises
    :class:`~bargaining.sweep.errors.SweepInterrupted` once the finished chunks are saved (the
    same call with ``resume=True`` finishes the sweep)."""
    log = log or (lambda msg: print(msg, file=sys.stderr))
    paths = output_paths(out)  # validate the extension before any work
    _check_out(paths, resume=resume, force=force)
    src = get_source(spec)
    spec = plan(spec, src)
    n = len(spec.points)
    size = chunk_size or default_chunk_size(spec)
    if not resume or not paths["parts"].is_dir():
        try:
            first = src.with_params(**spec.points.point(0)) if n else None
        except Exception:  # noqa: BLE001 - the point's own error is recorded by the sweep
            first = None
        nworkers = 1 if executor == "serial" else (dask_local or workers or default_workers())
        check_estimate(
            estimate(n, len(spec.points.order), first, paths["rows"], size, nworkers),
            max_points=max_points,
            yes=yes,
        )
    with SweepLock(paths["rows"], note=log):
        return _run_locked(
            spec,
            src,
            out,
            n,
            size,
            executor=executor,
            workers=workers,
            scheduler=scheduler,
            dask_local=dask_local,
            resume=resume,
            force=force,
            memory_mb=memory_mb,
            quiet=quiet,
            command=command,
            log=log,
        )


def _count_failed(path: Path) -> int:
    """:func:`~bargaining.sweep.regimes.count_failed_points`, for a Parquet table read as one
    column in batches (no Python object per point: memory stays flat in the number of points)."""
    if path.suffix.lower() != ".parquet":
        return count_failed_points(path)
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - a Parquet table was written, so pyarrow is there
        return count_failed_points(path)
    pf = pq.ParquetFile(str(path))
    if "error" not in pf.schema_arrow.names:
        return 0
    failed = 0
    for batch in pf.iter_batches(columns=["error"], batch_size=65_536):
        col = batch.column(0)
        if pa.types.is_null(col.type):
            continue
        text = pc.fill_null(col.cast(pa.string()), "")
        failed += int(pc.sum(pc.not_equal(text, "")).as_py() or 0)
    return failed


def _check_out(paths: dict[str, Any], *, resume: bool, force: bool) -> None:
    """Refuse an output that is a folder, unwritable, or an existing table without force/resume."""
    from bargaining.output import OutputError, check_output

    rows = paths["rows"]
    try:
        check_output(rows)
    except OutputError as err:
        raise SweepError(str(err)) from None
    if resume or force:
        return
    existing = [p for p in (rows, paths["regimes"]) if p.exists()]
    if existing:
        raise SweepError(
            f"{existing[0]} already exists: add <opt:force> to replace it, or <opt:resume> to finish or "
            "keep an earlier run with the same settings"
        )


def _run_locked(
    spec,
    src,
    out,
    n,
    size,
    *,
    executor,
    workers,
    scheduler,
    dask_local,
    resume,
    force,
    memory_mb,
    quiet,
    command,
    log,
) -> dict[str, Any]:
    game_hash = source_hash(src)
    store = ResultStore(out, spec.signature(game_hash), n, size)
    if force and not resume and store.parts.exists():
        log(f"note: --force: discarding the unfinished sweep in {store.parts}")
        import shutil

        shutil.rmtree(store.parts, ignore_errors=True)
    state = store.open(resume)
    command = command or command_line()
    if state == "finished":
        log(f"{store.out}: this sweep is already complete; nothing to do")
        meta = json.loads(store.meta_path.read_text(encoding="utf-8"))
        meta.setdefault("points_failed", _count_failed(store.regimes_path))
        return {**meta, "paths": {"rows": str(store.out), "regimes": str(store.regimes_path)}}
    if state == "resumed":
        log(f"resuming: {len(store.done)} of {store.n_chunks} chunks already done")
    elif resume:
        log("nothing to resume: starting the sweep")
    tasks = [(k, *store.chunk_range(k)) for k in store.pending()]
    bar = _progress(n, store.done_points(), quiet)
    errors = 0
    t0 = time.time()

    def on_result(res: ChunkResult) -> None:
        nonlocal errors
        store.write_chunk(res.k, res.rows, res.regimes)
        errors += res.n_errors
        if bar is not None:
            bar.update(res.n_points)

    # the spec sent to workers carries the game by name (they load it once each)
    try:
        run_tasks(
            solve_chunk,
            spec,
            tasks,
            on_result,
            executor=executor,
            workers=workers,
            scheduler=scheduler,
            dask_local=dask_local,
            memory_mb=memory_mb,
        )
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
        # the caller words how to resume (the same call with resume set)
        raise SweepInterrupted(len(store.done), store.n_chunks, str(store.parts), command) from None
    except OutputError as err:  # disk full, permission lost: the chunks written so far stay
        if bar is not None:
            bar.close()
        raise SweepError(
            f"{err}; {len(store.done)} of {store.n_chunks} chunks are saved in {store.parts}: "
            "finish with <opt:resume> once it can be written"
        ) from None
    except MemoryError:
        if bar is not None:
            bar.close()
        raise SweepError(
            f"ran out of memory; {len(store.done)} of {store.n_chunks} chunks are saved in "
            f"{store.parts}: finish with <opt:resume>, with fewer <opt:workers> or a larger "
            "<opt:memory>"
        ) from None
    except Exception as err:
        from concurrent.futures.process import BrokenProcessPool

        if not isinstance(err, BrokenProcessPool):
            raise
        if bar is not None:
            bar.close()
        raise SweepError(
            f"a worker process died (killed, or out of memory); {len(store.done)} of "
            f"{store.n_chunks} chunks are saved in {store.parts}: finish with <opt:resume>, "
            "with fewer <opt:workers> or a smaller <opt:memory>"
        ) from None
    if bar is not None:
        bar.close()
    elapsed = time.time() - t0
    meta = {
        "command": command,
        "game": spec.game,
        "game_hash": game_hash,
        "version": __version__,
        "seed": spec.points.seed,
        "points": spec.points.describe(),
        "concept": spec.concept,
        "method": spec.method,
        "solver": {
            "bimatrix": "batch (bimatrix vertex enumeration)",
            "tree": "batch (backward induction on a stack of trees; ties per point)",
            "signaling": "batch (two-type signaling PBE, signaling_batch)",
        }.get(spec.mode, spec.method or "default"),
        "point_timeout": spec.point_timeout,
        "memory_mb": memory_mb or None,
        "options": jsonify(dict(spec.options)),
        "executor": executor,
        "n_points": n,
        "errors_this_run": errors,
        "elapsed_seconds_this_run": round(elapsed, 3),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "files": {"rows": store.out.name, "regimes": store.regimes_path.name},
    }
    store.finalize(meta)
    # counted in the merged table, so a resumed run counts the earlier chunks' failures too
    meta["points_failed"] = _count_failed(store.regimes_path)
    return {**meta, "paths": {"rows": str(store.out), "regimes": str(store.regimes_path)}}
