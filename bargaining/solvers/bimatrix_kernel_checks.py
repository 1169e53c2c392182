r"""Compiled (numba) arithmetic and checks for :mod:`bargaining.solvers.bimatrix_kernels`:
Gaussian elimination, and for the completely labelled pairs it finds the vertices as probability
vectors, each pair's
regret relative to the players' payoff ranges (the solver's own float check), its payoffs and
largest pure-deviation gain, and Shapley's index of an isolated nondegenerate equilibrium
(Shapley 1974; von Stengel 2007, *Algorithmic Game Theory* ch. 3, §3.6). Imported only through
:mod:`bargaining.solvers.bimatrix_kernels` (it needs numba)."""

from __future__ import annotations

import numpy as np
from numba import njit  # type: ignore[import-untyped]


@njit(cache=True)
def scaled_rows(V, count, width, used):  # type: ignore[no-untyped-def]
    r"""The rows ``V[r]`` with ``used[r] >= 0``, scaled to probability vectors, merged when
    equal within 1e-9 in every coordinate (float noise; distinct vertices are never
    proportional); returns ``(rows, where)`` with ``where[r]`` the merged row of ``V[r]``."""
    rows = np.empty((count, width))
    where = np.full(count, -1, np.int64)
    out = 0
    for r in range(count):
        if used[r] < 0:
            continue
        total = 0.0
        for i in range(width):
            total += V[r, i]
        for i in range(width):
            rows[out, i] = V[r, i] / total
        same = -1
        for q in range(out):
            close = True
            for i in range(width):
                if abs(rows[q, i] - rows[out, i]) > 1e-9:
                    close = False
                    break
            if close:
                same = q
                break
        if same >= 0:
            where[r] = same
        else:
            where[r] = out
            out += 1
    return rows[:out], where


@njit(cache=True)
def pure_payoffs(U, other):  # type: ignore[no-untyped-def]
    r"""The payoff :math:`(U\, other)_i` of each own strategy ``i`` of the player whose payoffs
    are ``U`` (own strategies × opposing strategies), each summed in index order."""
    d, c = U.shape
    v = np.empty(d)
    for i in range(d):
        acc = 0.0
        for j in range(c):
            acc += U[i, j] * other[j]
        v[i] = acc
    return v


@njit(cache=True)
def payoff_and_gain(U, own, other):  # type: ignore[no-untyped-def]
    r"""The payoff :math:`own^\top U\, other` and the largest gain of a pure deviation of the
    player whose payoffs are ``U`` (own strategies × opposing strategies)."""
    v = pure_payoffs(U, other)
    got = 0.0
    for i in range(v.size):
        got += own[i] * v[i]
    return got, v.max() - got


@njit(cache=True)
def relative_regret(M, kind, own, other):  # type: ignore[no-untyped-def]
    r"""The regret of the player whose polytope matrix is ``M`` (own strategies × opposing
    strategies) playing ``own`` against ``other``, relative to the player's payoff range
    (``M`` holds the payoffs mapped onto [1, 2], or shifted integers: divided by their range)."""
    spread = 1.0
    if kind == 1:
        spread = M.max() - 1.0
        if spread <= 0.0:
            spread = 1.0
    return payoff_and_gain(M, own, other)[1] / spread


@njit(cache=True)
def normalised(U):  # type: ignore[no-untyped-def]
    r"""``U`` mapped affinely onto [1, 2] (all ones if constant), dividing by ``max |U|`` first:
    the float operations of :func:`bargaining.solvers.bimatrix_tiny.normalised_lists`."""
    s = np.abs(U).max()
    if s == 0.0:
        return np.ones(U.shape)
    V = U / s
    lo = V.min()
    hi = V.max()
    if hi <= lo:
        return np.ones(U.shape)
    return (V - lo) / (hi - lo) + 1.0


@njit(cache=True)
def eliminate(a, k, width):  # type: ignore[no-untyped-def]
    r"""Gaussian elimination with partial pivoting (Golub and Van Loan, *Matrix Computations*,
    §3.4) of the first ``k`` columns of ``a`` (``k × width``; further columns, such as a
    right-hand side, are carried along), in place, to upper triangular form. Returns the
    determinant of ``a[:, :k]``, the signed product of the pivots; exactly 0.0 when a pivot
    column is exactly zero (the elimination stops there)."""
    det = 1.0
    for col in range(k):
        piv = col
        best = abs(a[col, col])
        for r in range(col + 1, k):
            if abs(a[r, col]) > best:
                best = abs(a[r, col])
                piv = r
        if best == 0.0:
            return 0.0
        if piv != col:
            for e in range(col, width):
                tmp = a[col, e]
                a[col, e] = a[piv, e]
                a[piv, e] = tmp
            det = -det
        det *= a[col, col]
        for r in range(col + 1, k):
            f = a[r, col] / a[col, col]
            if f != 0.0:
                for e in range(col, width):
                    a[r, e] -= f * a[col, e]
    return det


@njit(cache=True)
def _det_sign(M, rows, cols, k):  # type: ignore[no-untyped-def]
    r"""The sign of :math:`\det M_{rows, cols}` (0 when :math:`|\det| < 10^{-12}`): the
    closed forms for k ≤ 2, else Gaussian elimination with partial pivoting."""
    if k == 1:
        d = M[rows[0], cols[0]]
    elif k == 2:
        d = M[rows[0], cols[0]] * M[rows[1], cols[1]] - M[rows[0], cols[1]] * M[rows[1], cols[0]]
    else:
        a = np.empty((k, k))
        for p in range(k):
            for q in range(k):
                a[p, q] = M[rows[p], cols[q]]
        d = eliminate(a, k, k)
    if abs(d) < 1e-12:
        return 0
    return 1 if d > 0 else -1


@njit(cache=True)
def _best_are(values, support, k):  # type: ignore[no-untyped-def]
    r"""Whether the entries within 1e-9 of the largest of ``values`` are exactly
    ``support[:k]``."""
    top = values.max() - 1e-9
    r = 0
    for i in range(values.size):
        if values[i] >= top:
            if r >= k or support[r] != i:
                return False
            r += 1
    return r == k


@njit(cache=True)
def shapley_index(NA, NB, x, y):  # type: ignore[no-untyped-def]
    r"""Shapley's index of an isolated nondegenerate equilibrium ``(x, y)`` on the payoffs
    normalised onto [1, 2] (``NA``, ``NB``), as
    :func:`bargaining.solvers.bimatrix_tiny.index_float` computes it:
    :math:`(-1)^{|S|+1} \operatorname{sign}\det A_{ST} \operatorname{sign}\det B_{ST}` when the
    supports :math:`S, T` have equal size and are exactly the best responses (within 1e-9);
    0 (no index: degenerate) otherwise (Shapley 1974; von Stengel 2007, §3.6)."""
    m, n = NA.shape
    S = np.empty(m, np.int64)
    T = np.empty(n, np.int64)
    ks = 0
    kt = 0
    for i in range(m):
        if x[i] != 0.0:
            S[ks] = i
            ks += 1
    for j in range(n):
        if y[j] != 0.0:
            T[kt] = j
            kt += 1
    if ks != kt:
        return 0
    if not _best_are(pure_payoffs(NA, y), S, ks) or not _best_are(pure_payoffs(NB.T.copy(), x), T, kt):
        return 0
    sa = _det_sign(NA, S, T, ks)
    sb = _det_sign(NB, S, T, ks)
    if sa == 0 or sb == 0:
        return 0
    return (1 if ks % 2 == 1 else -1) * sa * sb
