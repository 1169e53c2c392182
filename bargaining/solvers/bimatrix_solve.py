"""The batched solve of basis systems behind :mod:`bargaining.solvers.bimatrix_vertices`
(see that module for the math): :func:`solve_or_nan` answers NaN for an exactly singular
system instead of raising (one LAPACK LU per system, ``gesv``, through numpy's own gufunc when
a probe confirms its meaning); :func:`vertices_batch` keeps the feasible solutions of a stack of
bases and labels them (exactly, through the determinant, for integer matrices)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["solve_or_nan", "vertices_batch", "flag_ambiguous", "flag_near_singular", "FLOAT_TOL", "AMBIGUOUS"]

FLOAT_TOL = 1e-9
AMBIGUOUS = 1e-6  # float values in (FLOAT_TOL, AMBIGUOUS] could be zeros or not


def _private_solve1() -> Any:
    """The gufunc behind ``numpy.linalg.solve`` (NaN for a singular system instead of an
    exception), if this numpy has it and it answers a probe (a regular and a singular system)
    as expected; else None and the public fallback below is used. A private numpy name: the
    probe guards against a change of its signature or meaning in another numpy version."""
    try:
        from numpy.linalg import _umath_linalg

        fn = _umath_linalg.solve1
        with np.errstate(all="ignore"):
            out = fn(np.array([[[2.0, 0.0], [0.0, 4.0]], [[1.0, 1.0], [1.0, 1.0]]]), np.ones((2, 2)))
        ok = np.allclose(out[0], [0.5, 0.25]) and not np.isfinite(out[1]).all()
        return fn if ok else None
    except Exception:  # pragma: no cover - other numpy versions
        return None


_SOLVE1: Any = _private_solve1()


def solve_or_nan(sub: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """``x`` with ``sub[r] @ x[r] = rhs[r]`` for a stack, a row of NaN where the system is
    exactly singular (LAPACK's LU meets a zero pivot) — without the exception (and the second
    pass) of ``numpy.linalg.solve``."""
    if _SOLVE1 is not None:
        with np.errstate(all="ignore"):
            return _SOLVE1(sub, rhs)
    try:
        return np.linalg.solve(sub, rhs[..., None])[..., 0]
    except np.linalg.LinAlgError:
        det = np.linalg.det(sub)
        bad = det == 0.0
        sub = sub.copy()
        sub[bad] = np.eye(sub.shape[1])
        xs = np.linalg.solve(sub, rhs[..., None])[..., 0]
        xs[bad] = np.nan
        return xs


def vertices_batch(
    M: np.ndarray,
    sub: np.ndarray,
    rhs: np.ndarray,
    S: np.ndarray,
    per_support: int,
    integer: bool,
    flags: dict[str, bool] | None = None,
    sizes: list[tuple[int, int]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Solve the stack of basis systems ``sub @ x = rhs``, ``per_support`` consecutive systems
    per row of ``S`` (``S[r, p]``: the strategy of unknown p, ``m`` for padding); keep the
    feasible solutions and label them.

    ``sizes`` (``(stop, k)`` pairs, stops increasing): the systems of rows ``previous stop ..
    stop`` are padded with the identity beyond their top-left ``k × k`` block, which alone is
    solved (and its determinant taken): LAPACK's cost per system grows with its size, and the
    padding's solution is 0 and its determinant factor 1.

    The coordinates and slacks of a candidate are one row :math:`t = (x, 1 - M^\\top x)`,
    computed as ``x @ [I, -M] + (0, 1)`` on ``x`` padded with the dummy coordinate ``m`` (a zero
    row of the product matrix)."""
    m, n = M.shape
    if sizes is None or len(sizes) == 1:
        sizes = None
        xs = solve_or_nan(sub, rhs[..., 0])
    else:
        xs = np.zeros(sub.shape[:2])
        a = 0
        for b, k in sizes:
            if b > a:
                xs[a:b, :k] = solve_or_nan(sub[a:b, :k, :k], rhs[a:b, :k, 0])
            a = b
    # only bases with x_S >= 0 can be vertices: check the other columns for those alone
    if integer:
        # x = adj(M) 1 / det: coordinates and slacks of a nonsingular basis are multiples of
        # 1/|det|, so the determinant is needed only for the bases that look feasible in floats
        # (coordinates and slacks above -1e-3, far beyond round-off: a vertex has x <= 1), and the
        # exact test rounds the scaled values; singular bases (NaN, or |det| < 1) are dropped
        keep = np.flatnonzero((xs > -1e-3).all(axis=1))
    else:
        keep = np.flatnonzero((xs > -FLOAT_TOL).all(axis=1))  # False on NaN (singular)
        if np.isnan(xs).any():  # an exactly singular basis: drop the nearly singular ones too
            det = np.linalg.det(sub[keep])
            scale = np.prod(np.linalg.norm(sub[keep], axis=2), axis=1)
            keep = keep[np.abs(det) > 1e-11 * scale]
    X = np.zeros((len(keep), m + 1))
    X[np.arange(len(keep))[:, None], S[keep // per_support]] = xs[keep]
    T = X @ _slack_map(M) + _offsets(m, n)  # (N, m + n): x, then 1 - M^T x
    if integer:
        near = (T > -1e-3).all(axis=1)
        keep, T = keep[near], T[near]
        det = np.abs(_det(sub, keep, sizes))
        Z = T * np.round(det)[:, None]
        feasible = (det > 0.5) & (Z > -0.5).all(axis=1)
        L = np.abs(Z) < 0.5
        if flags is not None and not flags.get("ambiguous"):
            flag_ambiguous(Z[feasible], integer, flags)
    else:
        feasible = (T[:, m:] > -FLOAT_TOL).all(axis=1)
        L = np.abs(T) <= FLOAT_TOL
        if flags is not None and not flags.get("ambiguous"):
            # the rows that are feasible up to the ambiguous zone
            near = (T[:, m:] > -AMBIGUOUS).all(axis=1)
            flag_ambiguous(T[near], integer, flags)
            if near.any():  # padding (identity) changes neither determinant nor scale
                flag_near_singular(sub[keep[near]], flags)
    L = L[feasible]
    X = T[feasible, :m]
    X[L[:, :m]] = 0.0
    return X, L


def _det(sub: np.ndarray, rows: np.ndarray, sizes: list[tuple[int, int]] | None) -> np.ndarray:
    """Determinants of the systems ``sub[rows]`` (``rows`` increasing), by the groups of
    ``sizes`` (see :func:`vertices_batch`)."""
    if sizes is None:
        return np.linalg.det(sub[rows])
    out = np.empty(len(rows))
    sel = sub[rows]
    pos = np.searchsorted(rows, [b for b, _ in sizes]).tolist()
    a = 0
    for b, (_, k) in zip(pos, sizes):
        if b > a:
            out[a:b] = np.linalg.det(sel[a:b, :k, :k])
        a = b
    return out


def _slack_map(M: np.ndarray) -> np.ndarray:
    """``[[I, -M], [0, 0]]`` (``(m + 1) × (m + n)``): padded coordinates to ``(x, -M^T x)``."""
    m, n = M.shape
    W = np.zeros((m + 1, m + n))
    W[:m, :m] = _eye(m)
    W[:m, m:] = -M
    return W


@lru_cache(maxsize=64)
def _eye(m: int) -> np.ndarray:
    out = np.eye(m)
    out.flags.writeable = False
    return out


@lru_cache(maxsize=64)
def _offsets(m: int, n: int) -> np.ndarray:
    """``(0, ..., 0, 1, ..., 1)``: m zeros, n ones."""
    out = np.concatenate([np.zeros(m), np.ones(n)])
    out.flags.writeable = False
    return out


def flag_near_singular(sub: np.ndarray, flags: dict[str, bool]) -> None:
    r"""Set ``flags["ambiguous"]`` if one of the float basis systems ``sub`` (those whose
    solution looks feasible) is nearly singular, :math:`|\det| \le 10^{-11} \prod_q \lVert
    \text{row}_q \rVert`: LAPACK may then return a point on a line of solutions (an edge, not a
    vertex) instead of failing, so floats cannot tell the vertex (the caller solves exactly)."""
    if not len(sub) or flags.get("ambiguous"):
        return
    det = np.linalg.det(sub)
    scale = np.prod(np.linalg.norm(sub, axis=2), axis=1)
    if (np.abs(det) <= 1e-11 * scale).any():
        flags["ambiguous"] = True


def flag_ambiguous(T: np.ndarray, integer: bool, flags: dict[str, bool]) -> None:
    """Set ``flags["ambiguous"]`` if a value of ``T`` (coordinates and slacks of candidate
    vertices) is neither clearly zero nor clearly nonzero: for integer games a scaled value
    (an integer up to round-off) in [0.05, 0.95]; for normalised float games a value in
    (1e-9, 1e-6]."""
    if not T.size or flags.get("ambiguous"):
        return
    if integer:
        bad = np.abs(T - np.rint(T)).max() > 0.05
    else:
        a = np.abs(T)
        bad = ((a > FLOAT_TOL) & (a <= AMBIGUOUS)).any()
    if bad:
        flags["ambiguous"] = True
