r"""The compiled path of :func:`bargaining.solvers.bimatrix.enummixed` for small and mid-size
two-player games (the optional ``fast`` extra: ``pip install 'bargaining[fast]'``, numba).

For games up to 10×10 (9×9 with integer payoffs; :data:`COMPILED_BASES`, :data:`INTEGER_BASES`),
where numpy's per-call cost and the bases it cannot skip dominate, one compiled call
(:mod:`bargaining.solvers.bimatrix_kernels`, with the math and the citations) finds every vertex
of the first best-response polytope whose support can hold an equilibrium, then for each the
vertices of the second that complete it, and computes the solver's own regret check, the
payoffs and each equilibrium's index; the sets and the dispatcher's certificate are unchanged.
Its answers are those of the numpy path (tested equal on thousands of random and degenerate
games, ``tests/solvers/test_bimatrix_compiled.py``), with the same thresholds; on any doubt (a
value within round-off of a label, a nearly singular basis, payoffs too finely spread, a
determinant too large to read exactly) it returns ``None`` and the numpy path decides.

Without numba, or with the environment variable ``BARGAINING_COMPILED=0`` (read at the first
solve; or :func:`set_compiled` in a process), :func:`compiled_fits` is false and nothing here
runs. numba is imported at the first game that fits, not when :mod:`bargaining` is imported;
the kernels are compiled once and cached on disk by numba (``cache=True``), so the first solve
of a new installation takes about 25 s (2 cores), and a new process about 0.6 s more at its
first compiled solve (numba's import and the cached kernels). Exact games never come here.
"""

from __future__ import annotations

import math
import os
from types import ModuleType
from typing import NamedTuple

import numpy as np

from bargaining.solvers.bimatrix_exact import MIN_RESOLUTION
from bargaining.solvers.bimatrix_tiny import Found

__all__ = [
    "Compiled",
    "compiled_available",
    "compiled_fits",
    "compiled_extreme",
    "COMPILED_BASES",
    "INTEGER_BASES",
    "INT_RANGE",
]

COMPILED_BASES = 184_756  # float games with comb(m + n, m) up to this (10x10, 9x11, ...) run here
INTEGER_BASES = 48_620  # integer games up to this (9x9, 8x10, ...): beyond, the numpy path's pair
# pruning of degenerate games is faster (measured)
INT_RANGE = 2**16  # integer payoffs of range up to this are decided through integer determinants

_kernels: ModuleType | None = None
_loaded = False


def _load() -> ModuleType | None:
    """The kernel module, imported once; ``None`` without numba or when switched off."""
    global _kernels, _loaded
    if not _loaded:
        _loaded = True
        if os.environ.get("BARGAINING_COMPILED", "1").strip() not in ("0", "false", "no", "off"):
            try:
                from bargaining.solvers import bimatrix_kernels

                _kernels = bimatrix_kernels
            except ImportError:  # numba not installed: the numpy path
                _kernels = None
    return _kernels


_enabled = True


def set_compiled(enabled: bool) -> bool:
    """Switch the compiled path on or off in this process (benchmarks and tests compare the two
    paths); returns the previous setting. Off, :func:`compiled_fits` is false."""
    global _enabled
    previous, _enabled = _enabled, bool(enabled)
    return previous


def compiled_available() -> bool:
    """Whether the compiled path is installed (numba) and switched on."""
    return _enabled and _load() is not None


def compiled_fits(m: int, n: int, payoffs: tuple[np.ndarray, np.ndarray] | None = None) -> bool:
    """Whether an ``m × n`` game (with float ``payoffs``, when given) runs on the compiled path."""
    if m + n > 62:
        return False
    bases = math.comb(m + n, m)
    if bases > COMPILED_BASES:
        return False
    if bases > INTEGER_BASES and (payoffs is None or all(bool(np.all(U == np.round(U))) for U in payoffs)):
        return False
    return compiled_available()


class Compiled(NamedTuple):
    """What :func:`compiled_extreme` returns: the extreme equilibria as :func:`tiny_extreme`
    gives them (``found``), whether every pair's regret relative to each player's payoff range is
    at most 1e-9 (``ok``, the solver's float check), and for each pair the payoffs and the
    whether its largest gain from a pure deviation exceeds ten times the payoff tolerance
    (``pay``, ``bad``), on the payoffs as given, and the index of each pair as an isolated
    equilibrium (``indices``; ``None`` where degenerate)."""

    found: Found
    ok: bool
    pay: list[tuple[float, float]]
    bad: list[bool]
    indices: list[int | None]


def compiled_extreme(A: np.ndarray, B: np.ndarray) -> Compiled | None:
    """The extreme equilibria of the float game ``(A, B)`` with the solver's own checks, or
    ``None`` where the numpy path must decide (see the module docstring). ``found`` is
    ``(xs, ys, edges, None, False)``: the distinct extreme strategies of each player that occur
    in an equilibrium (probability tuples) and the pairs ``(index in xs, index in ys)``, as
    :func:`~bargaining.solvers.bimatrix_tiny.tiny_extreme` gives them (the normalised payoffs
    it adds are not needed: the checks and indices come with the answer)."""
    kernels = _load()
    assert kernels is not None, "call compiled_fits first"
    m, n = A.shape
    status, X, Y, pa, pb, regret, pay, gain, index, scale = kernels.extreme_pairs(
        np.ascontiguousarray(A, dtype=np.float64),
        np.ascontiguousarray(B, dtype=np.float64),
        float(INT_RANGE),
        MIN_RESOLUTION,
        math.comb(m + n, m),
    )
    if status != 0:
        return None
    xs = [tuple(r) for r in X.tolist()]
    ys = [tuple(r) for r in Y.tolist()]
    edges = list(zip(pa.tolist(), pb.tolist()))
    found: Found = (xs, ys, edges, None, False)
    indices = [v or None for v in index.tolist()]
    tol = 1e-8 * scale  # ten times the payoff tolerance 1e-9 * max(1, max |u|), as enummixed's check
    bad = [v > tol for v in gain.tolist()]
    return Compiled(found, regret <= 1e-9, [tuple(r) for r in pay.tolist()], bad, indices)
