"""Compatibility names for the sweep engine, which is now split by concern:
:mod:`bargaining.sweep.spec` (specification, validation, plan), :mod:`bargaining.sweep.engine`
(the driver), :mod:`bargaining.sweep.point` (per-point solving), :mod:`bargaining.sweep.batched`
(batched paths) and :mod:`bargaining.sweep.regimes` (regime tables). New code imports from those.
"""

from __future__ import annotations

from bargaining.sweep.engine import command_line, run_sweep, solve_chunk
from bargaining.sweep.point import ChunkResult
from bargaining.sweep.regimes import REGIME_SEPARATOR, count_failed_points
from bargaining.sweep.spec import (
    DEFAULT_POINT_TIMEOUT,
    FixedSource,
    SweepSpec,
    default_chunk_size,
    load_source,
    make_spec,
    plan,
)

__all__ = [
    "SweepSpec",
    "ChunkResult",
    "solve_chunk",
    "run_sweep",
    "load_source",
    "FixedSource",
    "DEFAULT_POINT_TIMEOUT",
    "REGIME_SEPARATOR",
    "make_spec",
    "plan",
    "default_chunk_size",
    "command_line",
    "count_failed_points",
]
