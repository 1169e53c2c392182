"""Parameter sweeps: solve a parametric game at every point of a grid or sample.

- :mod:`bargaining.sweep.grid`: ``k=START:STOP:N`` grids, seeded uniform samples, point indexing;
- :mod:`bargaining.sweep.spec`: the sweep specification (``make_spec``, validation, the plan);
- :mod:`bargaining.sweep.engine`: the driver (``run_sweep``: chunks, executor, store);
- :mod:`bargaining.sweep.point` and :mod:`bargaining.sweep.batched`: per-point and batched
  solving of one chunk; :mod:`bargaining.sweep.regimes`: regime tables;
- :mod:`bargaining.sweep.errors`: errors with structured hints (each front end words them);
- :mod:`bargaining.sweep.executors`: serial, process (default) and Dask executors;
- :mod:`bargaining.sweep.store`: the chunked, atomic, resumable result store;
- :mod:`bargaining.sweep.lock`: one run per output (a lock file beside it);
- :mod:`bargaining.sweep.estimate`: the size checks made before a sweep starts;
- :mod:`bargaining.sweep.experiment`: experiment files, ``bargain run``.

From Python, :func:`sweep` returns the rows as a list of dicts (``pandas.DataFrame(rows)``):

>>> from bargaining.sweep import sweep
>>> rows = sweep("crisis-normal-form", grid=["w=0:2:3"])
>>> [round(r["p:US:F"], 4) for r in rows]
[0.5, 0.25, 0.1667]
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["sweep"]


def sweep(
    game: Any,
    grid: Sequence[str] = (),
    *,
    fixed: Mapping[str, Any] | None = None,
    sample: int = 0,
    seed: int | None = None,
    concept: str | None = None,
    method: str | None = None,
    point_timeout: float | None = 60.0,
    out: str | os.PathLike | None = None,
    executor: str = "serial",
    workers: int | None = None,
    regimes: bool = False,
    force: bool = False,
    max_points: int | None = None,
) -> list[dict[str, Any]]:
    """Solve ``game`` (a name, file, canonical id or template object) at every point of
    ``grid`` (``["p=0:1:11", ...]``) and/or a seeded ``sample``; return the rows (one per point
    and equilibrium), or the regime rows (one per point) with ``regimes=True``. With ``out``
    the files are kept there (``.parquet``, ``.csv``, ``.jsonl``), as ``bargain sweep`` writes
    them (an existing table there is replaced only with ``force=True``; ``max_points`` raises
    the cap on the number of points, :mod:`bargaining.sweep.estimate`)."""
    from bargaining.sweep.engine import run_sweep
    from bargaining.sweep.spec import make_spec
    from bargaining.sweep.store import output_paths, read_table

    spec = make_spec(
        game,
        fixed=fixed,
        grid=list(grid),
        sample=sample,
        seed=seed,
        concept=concept,
        method=method,
        point_timeout=point_timeout,
    )
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(out) if out is not None else Path(tmp) / "sweep.jsonl"
        run_sweep(
            spec,
            target,
            executor=executor,
            workers=workers,
            quiet=True,
            force=force,
            max_points=max_points,
            command="bargaining.sweep.sweep()",
        )
        return read_table(output_paths(target)["regimes" if regimes else "rows"])
