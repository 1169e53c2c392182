"""Up-front size estimates of a sweep, checked before any point is solved.

A sweep of ``N`` points writes about ``N × r`` rows of ``c`` cells (``r`` equilibria per point,
guessed as 2; ``c`` from the game's shape: its parameters, one probability column per strategy
or action, one payoff per player and ten fixed columns). The disk estimate counts the chunk
files (≈ 9 bytes a cell, Arrow or JSON), the final table and the regime table (≈ 12 bytes a
cell as CSV or JSONL, less as Parquet): ``N × (r × c × 21 + (p + 6) × 21)`` bytes; it is
compared with the free space of the output's folder (:func:`shutil.disk_usage`). The memory
estimate is that of the chunks in flight in the parent (``2 × workers`` chunks of Python cells,
≈ 80 bytes a cell), compared with the memory available now. Both are rough (a factor of 2 either
way); they exist to stop a mistyped grid (``N=10000`` on three axes) before it fills a disk.

:data:`DEFAULT_MAX_POINTS` caps the number of points unless the caller raises it.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bargaining.sweep.errors import SweepError

__all__ = ["DEFAULT_MAX_POINTS", "Estimate", "estimate", "check_estimate", "available_memory"]

DEFAULT_MAX_POINTS = 1_000_000
ROWS_PER_POINT = 2
DISK_BYTES_PER_CELL = 21
MEMORY_BYTES_PER_CELL = 80


@dataclass(frozen=True)
class Estimate:
    points: int
    columns: int
    disk_bytes: int
    memory_bytes: int
    free_disk: int | None
    free_memory: int | None
    folder: str = "."


def _columns(game: Any, n_params: int) -> int:
    players = len(getattr(game, "players", ()) or ()) or 2
    strategies = getattr(game, "strategies", None)
    if strategies is not None:
        probs = sum(len(s) for s in strategies)
    else:
        nodes = getattr(game, "nodes", None)
        probs = sum(len(getattr(v, "actions", ()) or ()) for v in nodes) if nodes else 10
    return n_params + probs + players + 10


def available_memory() -> int | None:
    """Bytes of memory available now (Linux ``MemAvailable``), or ``None``."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def estimate(n_points: int, n_params: int, game: Any, out: Path, chunk_size: int, workers: int) -> Estimate:
    cols = _columns(game, n_params)
    per_point = ROWS_PER_POINT * cols * DISK_BYTES_PER_CELL + (n_params + 6) * DISK_BYTES_PER_CELL
    inflight = min(n_points, 2 * max(1, workers) * chunk_size)
    try:
        free_disk = shutil.disk_usage(out.parent if str(out.parent) else Path(".")).free
    except OSError:
        free_disk = None
    return Estimate(
        n_points,
        cols,
        n_points * per_point,
        inflight * ROWS_PER_POINT * cols * MEMORY_BYTES_PER_CELL,
        free_disk,
        available_memory(),
        str(out.parent),
    )


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def check_estimate(est: Estimate, *, max_points: int | None, yes: bool) -> None:
    """Refuse a sweep larger than the point cap, the free disk or the available memory (before
    it starts); ``yes`` accepts the disk and memory estimates, ``max_points`` raises the cap."""
    cap = DEFAULT_MAX_POINTS if max_points is None else int(max_points)
    if est.points > cap and not (yes and max_points is None):
        raise SweepError(
            f"{est.points:,} points exceed the cap of {cap:,} (about {_size(est.disk_bytes)} on disk); "
            f"check the grid, or raise the cap with <opt:max_points> {est.points} (or <opt:yes>)"
        )
    if yes:
        return
    if est.free_disk is not None and est.disk_bytes > 0.9 * est.free_disk:
        raise SweepError(
            f"{est.points:,} points need about {_size(est.disk_bytes)} on disk and the output's folder "
            f"{est.folder} has {_size(est.free_disk)} free; free some space, write elsewhere (<opt:out>), "
            "or add <opt:yes> to start anyway"
        )
    if est.free_memory is not None and est.memory_bytes > 0.8 * est.free_memory:
        raise SweepError(
            f"the chunks in flight need about {_size(est.memory_bytes)} of memory and "
            f"{_size(est.free_memory)} is available; use fewer <opt:workers>, "
            "or add <opt:yes> to start anyway"
        )
