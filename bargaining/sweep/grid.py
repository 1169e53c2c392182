r"""The points of a sweep: regular grids, uniform samples, and their indexing.

A sweep visits the points :math:`x_0, x_1, \dots, x_{N-1}` of a parameter space. The points are
numbered once and for all, so that a chunk of work is just an index range ``[start, stop)``, a
resumed run recomputes exactly the missing ranges, and the final table is sorted by point index
whatever the executor.

- ``--grid k=START:STOP:N``: ``N`` evenly spaced values, both ends included. ``START`` and
  ``STOP`` may be fractions (``1/3``); the values are computed in rational arithmetic and rounded
  once, so ``p=0:1:11`` hits ``0.3`` exactly (``numpy.linspace`` gives ``0.30000000000000004``).
  Several axes form the Cartesian product, the first axis varying slowest (``itertools.product``
  order, C order).
- ``--sample N --seed S``: ``N`` points drawn uniformly from the product of the parameters'
  ranges (every parameter with a finite range that is neither on a grid axis nor fixed; whole
  numbers, equally likely, for integer parameters).
  Draws are made in blocks of :data:`SAMPLE_BLOCK` points, block ``b`` from
  ``numpy.random.default_rng([S, b])``, so point ``i`` is the same however the work is chunked
  (a counter-based scheme, as in Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3").
- With both, the grid is the outer product and the sample the inner one: point
  ``i = g * N + s`` is grid point ``g`` with sample ``s``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.numeric import to_fraction
from bargaining.sweep.errors import SweepError

__all__ = ["Axis", "PointSet", "parse_grid", "SAMPLE_BLOCK"]

SAMPLE_BLOCK = 4096


@dataclass(frozen=True)
class Axis:
    """One grid axis: ``num`` evenly spaced values from ``start`` to ``stop`` (both included)."""

    name: str
    start: Fraction
    stop: Fraction
    num: int

    def values(self) -> np.ndarray:
        if self.num == 1:
            return np.array([float(self.start)])
        if self.num <= 100_000:
            step = (self.stop - self.start) / (self.num - 1)
            return np.array([float(self.start + step * k) for k in range(self.num)])
        return np.linspace(float(self.start), float(self.stop), self.num)

    def values_at(self, index: np.ndarray) -> np.ndarray:
        """The values at positions ``index`` (for a long axis without building the whole axis)."""
        if self.num <= 100_000:
            return _axis_values(self)[index]
        lo, hi = float(self.start), float(self.stop)
        return lo + (hi - lo) * (np.asarray(index, dtype=np.float64) / (self.num - 1))

    def spec(self) -> str:
        return f"{self.name}={self.start}:{self.stop}:{self.num}"


@functools.lru_cache(maxsize=64)
def _axis_values(axis: Axis) -> np.ndarray:
    values = axis.values()
    values.setflags(write=False)
    return values


def parse_grid(text: str) -> Axis:
    """``"p=0:1:101"`` → ``Axis("p", 0, 1, 101)``; one-line errors naming the fix."""
    hint = SweepError("expected NAME=START:STOP:N, e.g. p=0:1:101", option="grid", value=repr(text))
    if "=" not in text:
        raise hint
    name, rng = (s.strip() for s in text.split("=", 1))
    parts = [s.strip() for s in rng.split(":")]
    if not name or len(parts) != 3:
        raise hint
    try:
        start, stop = to_fraction(parts[0]), to_fraction(parts[1])
        num = int(parts[2])
    except (ValueError, TypeError):
        raise hint from None
    if num < 1:
        raise SweepError("N must be at least 1", option="grid", value=repr(text))
    if num == 1 and start != stop:
        raise SweepError(
            "with N=1 give START equal to STOP (or use <opt:fixed>)", option="grid", value=repr(text)
        )
    return Axis(name, start, stop, num)


def _range_of(param: Any) -> tuple[float, float] | None:
    rng = getattr(param, "range", None)
    if rng is None and isinstance(param, Mapping):
        rng = param.get("range")
    if rng is None:
        return None
    lo, hi = rng
    try:
        lo_f, hi_f = float(to_fraction(lo)), float(to_fraction(hi))
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lo_f) and math.isfinite(hi_f)):
        return None
    return lo_f, hi_f


@dataclass(frozen=True)
class PointSet:
    """The numbered points of a sweep: fixed values, grid axes, and an optional sample.

    ``fixed`` holds every parameter not varied (defaults and ``--set`` values, as floats);
    ``sampled`` names the parameters drawn by the sample: ``(name, low, high, integer)``.
    """

    fixed: Mapping[str, float]
    axes: tuple[Axis, ...] = ()
    sample_size: int = 0
    seed: int | None = None
    sampled: tuple[tuple[str, float, float, bool], ...] = ()
    order: tuple[str, ...] = field(default=())

    @staticmethod
    def build(
        parameters: Sequence[Any],
        fixed: Mapping[str, Any] | None = None,
        axes: Sequence[Axis] = (),
        sample_size: int = 0,
        seed: int | None = None,
    ) -> PointSet:
        """Validate names against the game's ``parameters`` (objects or dicts with ``name``,
        ``default``, ``range``) and build the point set."""
        fixed = dict(fixed or {})
        names = [getattr(p, "name", None) or p["name"] for p in parameters]
        by_name = dict(zip(names, parameters))
        known = ", ".join(names) or "none"
        seen: set[str] = set()
        for ax in axes:
            if ax.name not in by_name:
                raise SweepError(
                    f"the game has no parameter {ax.name!r} (it has: {known})", option="grid", value=ax.spec()
                )
            if ax.name in seen:
                raise SweepError("the parameter is given twice", option="grid", value=ax.name)
            if ax.name in fixed:
                raise SweepError("also fixed by <opt:fixed>; give one of them", option="grid", value=ax.name)
            seen.add(ax.name)
            rng = _range_of(by_name[ax.name])
            if rng is not None:
                lo, hi = rng
                a, b = sorted((float(ax.start), float(ax.stop)))
                if a < lo - 1e-12 or b > hi + 1e-12:
                    raise SweepError(
                        f"outside the range [{lo:g}, {hi:g}] of {ax.name}; narrow the grid",
                        option="grid",
                        value=ax.spec(),
                    )
        for k in fixed:
            if k not in by_name:
                raise SweepError(
                    f"the game has no parameter {k!r} (it has: {known})", option="fixed", value=f"{k}=..."
                )
        values: dict[str, float] = {}
        for name, p in by_name.items():
            if name in seen:
                continue
            if name in fixed:
                values[name] = float(to_fraction(fixed[name]))
            else:
                default = getattr(p, "default", None) if not isinstance(p, Mapping) else p.get("default")
                values[name] = float(to_fraction(default))
        sampled: list[tuple[str, float, float, bool]] = []
        if sample_size:
            if sample_size < 0:
                raise SweepError("N must be positive", option="sample", value="N")
            if seed is None:
                raise SweepError(
                    "needs <opt:seed> S (an integer), so the run can be repeated", option="sample", value="N"
                )
            if (
                isinstance(seed, bool)
                or not isinstance(seed, (int, np.integer))
                or not 0 <= int(seed) < 2**63
            ):
                raise SweepError("expected a whole number from 0 to 2^63 - 1", option="seed", value=seed)
            for name, p in by_name.items():
                if name in seen or name in fixed:
                    continue
                rng = _range_of(p)
                if rng is not None and rng[1] > rng[0]:
                    integer = bool(getattr(p, "integer", False))
                    sampled.append((name, rng[0], rng[1], integer))
                    values.pop(name, None)
            if not sampled:
                raise SweepError(
                    "no parameter left to sample (each is on a grid, fixed, or has no range)", option="sample"
                )
        return PointSet(
            fixed=values,
            axes=tuple(axes),
            sample_size=int(sample_size),
            seed=None if seed is None else int(seed),
            sampled=tuple(sampled),
            order=tuple(names),
        )

    # -- size and indexing -------------------------------------------------------------------
    @property
    def grid_shape(self) -> tuple[int, ...]:
        return tuple(ax.num for ax in self.axes)

    def __len__(self) -> int:
        n = math.prod(self.grid_shape) if self.axes else 1
        return n * (self.sample_size if self.sample_size else 1)

    @property
    def varied(self) -> tuple[str, ...]:
        return tuple(ax.name for ax in self.axes) + tuple(s[0] for s in self.sampled)

    def _sample_rows(self, first: int, last: int) -> np.ndarray:
        """Uniform draws in ``[0, 1)`` for sample indices ``first..last-1``, shape (k, d)."""
        d = len(self.sampled)
        out = np.empty((last - first, d))
        b0, b1 = first // SAMPLE_BLOCK, (last - 1) // SAMPLE_BLOCK
        pos = 0
        assert self.seed is not None  # a sample always has a seed (build refuses one without)
        for b in range(b0, b1 + 1):
            block = np.random.default_rng([int(self.seed), b]).random((SAMPLE_BLOCK, d))
            lo = max(first, b * SAMPLE_BLOCK) - b * SAMPLE_BLOCK
            hi = min(last, (b + 1) * SAMPLE_BLOCK) - b * SAMPLE_BLOCK
            out[pos : pos + hi - lo] = block[lo:hi]
            pos += hi - lo
        return out

    def points(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """The parameter values of points ``start..stop-1`` as one float array per parameter,
        in the game's parameter order."""
        n = len(self)
        if not 0 <= start <= stop <= n:
            raise IndexError(f"points [{start}, {stop}) outside [0, {n})")
        idx = np.arange(start, stop, dtype=np.int64)
        cols: dict[str, np.ndarray] = {}
        s = self.sample_size or 1
        grid_idx = idx // s
        if self.axes:
            coords = np.unravel_index(grid_idx, self.grid_shape)
            for ax, c in zip(self.axes, coords):
                cols[ax.name] = ax.values_at(c)
        if self.sample_size and stop > start:
            # sample indices of a contiguous point range may wrap around at each grid point
            sidx = idx % s
            u = np.empty((len(idx), len(self.sampled)))
            # group contiguous runs of sample indices to draw each block range once
            breaks = np.flatnonzero(np.diff(sidx) != 1) + 1
            for seg in np.split(np.arange(len(idx)), breaks):
                u[seg] = self._sample_rows(int(sidx[seg[0]]), int(sidx[seg[-1]]) + 1)
            for j, (name, lo, hi, integer) in enumerate(self.sampled):
                if integer:  # whole numbers lo..hi, each equally likely
                    a, b = math.ceil(lo), math.floor(hi)
                    cols[name] = np.minimum(a + np.floor((b - a + 1) * u[:, j]), b)
                else:
                    cols[name] = lo + (hi - lo) * u[:, j]
        for name, v in self.fixed.items():
            cols[name] = np.full(len(idx), v)
        return {name: cols[name] for name in self.order if name in cols}

    def point(self, i: int) -> dict[str, float]:
        return {k: float(v[0]) for k, v in self.points(i, i + 1).items()}

    def describe(self) -> dict[str, Any]:
        return {
            "grid": [ax.spec() for ax in self.axes],
            "sample": self.sample_size or None,
            "seed": self.seed,
            "sampled": [list(s) for s in self.sampled],
            "fixed": dict(self.fixed),
            "points": len(self),
        }
