r"""Scale-robust payoffs and exact vertex enumeration for the two-player solvers.

Equilibria are invariant under a positive affine change :math:`u_i \mapsto a_i u_i + b_i`
(:math:`a_i > 0`) of each player's payoffs separately (von Neumann and Morgenstern 1944; the
best-response conditions :math:`u_i(s_i, \sigma_{-i}) \le u_i(\sigma)` are preserved). So
before any numerics each player's payoff matrix is brought to a fixed scale:

- *float mode*: :func:`normalised_payoffs` maps each matrix onto :math:`[1, 2]`,
  :math:`(U - \min U)/(\max U - \min U) + 1`, computed as :math:`V = U / \max|U|` first so that
  payoffs near :math:`\pm 10^{308}` do not overflow; :func:`resolution` measures the smallest
  gap between two distinct normalised payoffs, and a float run is not trusted when it is below
  :data:`MIN_RESOLUTION` (the caller then solves exactly);
- *exact mode*: :func:`integer_payoffs` maps a matrix of rationals onto positive Python
  integers, :math:`(U - \min U)\cdot L / g + 1` with :math:`L` the lcm of the denominators and
  :math:`g` the gcd of the results, exactly and for numbers of any size.

:func:`exact_vertices` enumerates the vertices of :math:`\{x \ge 0 : M^\top x \le 1\}` for a
positive integer matrix :math:`M` with every decision taken in integer arithmetic: each basis
system :math:`M_{SJ}^\top x_S = \mathbf 1` is solved by fraction-free Gauss–Jordan elimination
(Bareiss 1968, "Sylvester's identity and multistep integer-preserving Gaussian elimination",
*Math. Comp.* 22; the Gauss–Jordan form as in Nakos, Turner and Williams 1997, "Fraction-free
algorithms for linear and polynomial equations", *SIGSAM Bull.* 31), vectorised over the whole
stack of bases with numpy object arrays of Python integers. The elimination ends with
:math:`[d I \mid d x]`, :math:`d = \pm\det M_{SJ}`, every intermediate value a minor of the
augmented matrix, so there is no rounding and no dependence on conditioning: a basis is
singular iff :math:`d = 0`, a coordinate or slack is zero (a label) iff its integer numerator
is. The vertex set and labels are those of the module docstring of
:mod:`bargaining.solvers.bimatrix`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np

from bargaining.solvers.budget import BudgetExceeded, Deadline

__all__ = [
    "MIN_RESOLUTION",
    "normalised_payoffs",
    "resolution",
    "integer_payoffs",
    "exact_vertices",
    "distinct_columns",
    "expand_labels",
]

# below this relative gap between two distinct payoffs of one player, float mode is not trusted
MIN_RESOLUTION = 1e-6
_CHUNK = 20_000  # basis systems per object-array pass


def normalised_payoffs(U: Any) -> np.ndarray:
    """``U`` (floats, any finite magnitude) mapped affinely onto ``[1, 2]`` (all ones if
    constant), without overflow: divide by ``max |U|`` before taking the range."""
    F = np.asarray(U, dtype=np.float64)
    if not F.size:
        return F.copy()
    s = float(np.max(np.abs(F)))
    if s == 0.0 or not math.isfinite(s):
        return np.ones_like(F)
    V = F / s  # in [-1, 1]
    lo, hi = float(V.min()), float(V.max())
    if hi <= lo:
        return np.ones_like(F)
    return (V - lo) / (hi - lo) + 1.0


def resolution(N: np.ndarray) -> float:
    """The smallest gap between two distinct entries of a normalised matrix (``inf`` if it has
    fewer than two distinct entries). Payoffs that differ by less than this relative amount
    cannot be told apart reliably by float elimination."""
    u = np.unique(np.asarray(N, dtype=np.float64))
    return float(np.min(np.diff(u))) if len(u) > 1 else math.inf


def integer_payoffs(U: Any) -> np.ndarray:
    """Rationals (Fractions, ints, or floats read exactly) mapped onto positive Python integers
    by :math:`(u - \\min U) L / g + 1` (object array, same shape)."""
    arr = np.asarray(U, dtype=object)
    fr = [Fraction(v) for v in arr.ravel()]
    if not fr:
        return np.zeros(arr.shape, dtype=object)
    lo = min(fr)
    den = math.lcm(*(f.denominator for f in fr))
    ints = [int((f - lo) * den) for f in fr]
    g = math.gcd(*ints) or 1
    out = np.empty(len(ints), dtype=object)
    out[:] = [v // g + 1 for v in ints]
    return out.reshape(arr.shape)


def distinct_columns(M: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(keep, owner)``: the indices of the first copy of each distinct column of ``M`` and,
    for every column, the position in ``keep`` of its copy. Identical columns are identical
    constraints of the polytope :math:`\\{x \\ge 0: M^\\top x \\le 1\\}`, merged before the
    enumeration (a player's strategies that give that player the same payoffs against every
    opposing strategy)."""
    seen: dict[tuple, int] = {}
    keep: list[int] = []
    owner = np.empty(M.shape[1], dtype=np.intp)
    for j in range(M.shape[1]):
        key = tuple(M[:, j].tolist())
        if key not in seen:
            seen[key] = len(keep)
            keep.append(j)
        owner[j] = seen[key]
    return np.asarray(keep, dtype=np.intp), owner


def _ff_gauss_jordan(aug: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fraction-free Gauss–Jordan on a stack ``(N, k, k + 1)`` of augmented integer systems
    (object arrays). Returns ``(d, num)``: ``d`` (N,) is ±det (0 if singular) and ``num``
    (N, k) the numerators of the solution, :math:`x = num / d`."""
    A = aug.copy()
    N, k, _ = A.shape
    idx = np.arange(N)
    alive = np.ones(N, dtype=bool)
    prev = np.ones(N, dtype=object)
    for p in range(k):
        nz = A[:, p:, p] != 0
        has = nz.any(axis=1)
        alive &= has
        r = p + np.argmax(nz, axis=1)
        swap = r != p
        if swap.any():
            s = idx[swap]
            rowp = A[s, p, :].copy()
            A[s, p, :] = A[s, r[swap], :]
            A[s, r[swap], :] = rowp
        piv = A[:, p, p].copy()
        piv[~alive] = 1
        f = A[:, :, p : p + 1].copy()
        f[~alive] = 0
        new = (piv[:, None, None] * A - f * A[:, p : p + 1, :]) // prev[:, None, None]
        new[:, p, :] = A[:, p, :]
        new[~alive, p, p] = 1
        A = new
        prev = piv
    d = A[:, 0, 0].copy()
    d[~alive] = 0
    return d, A[:, :, k]


def _combos(m: int, k: int) -> np.ndarray:
    return np.array(list(combinations(range(m), k)), dtype=np.intp).reshape(-1, k)


def exact_vertices(
    M: np.ndarray, *, deadline: Deadline | None = None, within: np.ndarray | None = None
) -> tuple[list[tuple[Fraction, ...]], np.ndarray, bool]:
    """Vertices :math:`x \\ne 0` of :math:`\\{x \\ge 0 : M^\\top x \\le 1\\}` for a positive
    integer matrix ``M`` (object array of Python ints, ``m × n``), in exact arithmetic.

    Returns ``(X, L, finished)``: the vertices as probability vectors (Fractions, the vertex
    scaled to sum 1), labels ``L`` (N, m + n) booleans (``i < m``: :math:`x_i = 0`; ``m + j``:
    column j tight), and whether every basis was tried before the deadline. ``within`` (boolean
    rows) restricts the supports tried to subsets of one of its rows."""
    m, n = M.shape
    Mo = np.asarray(M, dtype=object)
    found: dict[bytes, tuple[tuple[Fraction, ...], np.ndarray]] = {}
    finished = True
    try:
        for k in range(1, min(m, n) + 1):
            Sc, Jc = _combos(m, k), _combos(n, k)
            if within is not None:
                member = np.zeros((len(Sc), m), dtype=bool)
                member[np.arange(len(Sc))[:, None], Sc] = True
                inside = ~np.any(member[:, None, :] & ~within[None, :, :], axis=2)
                Sc = Sc[inside.any(axis=1)]
                if not len(Sc):
                    continue
            per = max(1, _CHUNK // len(Jc))
            for start in range(0, len(Sc), per):
                if deadline is not None:
                    deadline.check()
                S = Sc[start : start + per]
                Srep = np.repeat(S, len(Jc), axis=0)
                Jrep = np.tile(Jc, (len(S), 1))
                aug = np.empty((len(Srep), k, k + 1), dtype=object)
                # row q of the system: sum_p M[S_p, J_q] x_p = 1
                aug[:, :, :k] = Mo[Srep[:, None, :], Jrep[:, :, None]]
                aug[:, :, k] = 1
                d, num = _ff_gauss_jordan(aug)
                neg = d < 0
                d = np.where(neg, -d, d)
                num = np.where(neg[:, None], -num, num)
                ok = (d > 0) & np.all(num >= 0, axis=1)
                if not ok.any():
                    continue
                d, num, Sk = d[ok], num[ok], Srep[ok]
                X = np.zeros((len(d), m), dtype=object)
                X[np.arange(len(d))[:, None], Sk] = num
                slack = d[:, None] - X.dot(Mo)  # (1 - M^T x) * d, integers
                feas = np.all(slack >= 0, axis=1)
                for r in np.flatnonzero(feas):
                    lab = np.concatenate([X[r] == 0, slack[r] == 0]).astype(bool)
                    key = np.packbits(lab).tobytes()
                    if key not in found:
                        tot = sum(X[r])
                        found[key] = (tuple(Fraction(int(v), int(tot)) for v in X[r]), lab)
    except BudgetExceeded:
        finished = False
    xs = [v[0] for v in found.values()]
    L = np.array([v[1] for v in found.values()], dtype=bool).reshape(-1, m + n)
    return xs, L, finished


def expand_labels(L: np.ndarray, first: int, owner: Sequence[int] | np.ndarray) -> np.ndarray:
    """Labels over merged constraints ``L[:, first:]`` expanded back to every original
    constraint (``owner[j]``: the merged constraint of original constraint j)."""
    return np.concatenate([L[:, :first], L[:, first:][:, np.asarray(owner, dtype=np.intp)]], axis=1)
