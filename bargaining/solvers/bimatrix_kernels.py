r"""Compiled (numba) kernels of :mod:`bargaining.solvers.bimatrix_compiled`: vertex enumeration
of both best-response polytopes of a small bimatrix game and their completely labelled pairs,
in one call without Python in the loop.

This module imports numba at the top; only :mod:`bargaining.solvers.bimatrix_compiled` imports
it, lazily, when numba is installed (the optional ``fast`` extra). The math is that of
:mod:`bargaining.solvers.bimatrix` (Avis, Rosenberg, Savani and von Stengel 2010, *Economic
Theory* 42, §2; von Stengel 2007, *Algorithmic Game Theory* ch. 3):

- the polytope :math:`\{x \ge 0 : M^\top x \le 1\}` of a positive :math:`d \times c` matrix
  :math:`M`; every basis :math:`(S, J)`, :math:`|S| = |J| = k`, in the order of
  :func:`bargaining.solvers.bimatrix_vertices.pair_vertices` (by size, then :math:`S`, then
  :math:`J` lexicographically) is solved by Gaussian elimination with partial pivoting
  (Golub and Van Loan, *Matrix Computations*, §3.4), its determinant being the signed product
  of the pivots;
- labels as bit codes (bit :math:`p < d`: :math:`x_p = 0`; bit :math:`d + j`: column
  :math:`j` tight), the bases of one vertex merged by their codes (two distinct vertices never
  share their set of tight constraints), and a pair completely labelled iff the OR of the
  codes (in the global numbering) has every bit.

Decisions, as the numpy path takes them (:func:`bargaining.solvers.bimatrix_solve.vertices_batch`),
never a doubtful one: a *float* polytope (payoffs normalised onto [1, 2]) labels values within
:math:`10^{-9}` of zero and reports doubt (status 1) for a value of a nearly feasible basis in
:math:`(10^{-9}, 10^{-6}]` or for a nearly singular basis (:math:`|\det| \le 10^{-11}` times the
product of the row norms) that looks feasible; an *integer* polytope (shifted integer payoffs)
reads each coordinate and slack times :math:`|\det|` (an integer for a nonsingular integer
basis) by rounding — and keeps those integers, so that each probability is the correctly
rounded quotient of two integers — and reports doubt when one is farther than 0.05 from an
integer or when :math:`|\det| > 2^{40}` (where float round-off of the scaled values could reach 1/2). On doubt
the caller runs the general path, which decides (exactly if it must).
"""

from __future__ import annotations

import numpy as np
from numba import njit  # type: ignore[import-untyped]

from bargaining.solvers.bimatrix_kernel_checks import (
    eliminate,
    normalised,
    payoff_and_gain,
    relative_regret,
    scaled_rows,
    shapley_index,
)

FLOAT_TOL = 1e-9
AMBIGUOUS = 1e-6
DET_LIMIT = 2.0**40


@njit(cache=True)
def polytope_matrix(U, int_range, min_resolution):  # type: ignore[no-untyped-def]
    r"""The positive matrix of one polytope from a player's payoffs ``U`` (rows: own strategies)
    and its kind: ``(M, 1)`` shifted integers ``U - min U + 1`` for integer payoffs of range up
    to ``int_range``; ``(M, 0)`` the payoffs mapped onto [1, 2] (divided by ``max |U|`` first);
    ``(U, -1)`` when floats cannot decide (a non-finite payoff, or two distinct normalised
    payoffs closer than ``min_resolution``)."""
    d, c = U.shape
    integer = True
    lo = np.inf
    hi = -np.inf
    s = 0.0
    for i in range(d):
        for j in range(c):
            v = U[i, j]
            if not np.isfinite(v):
                return U, -1
            if v != np.round(v):
                integer = False
            lo = min(lo, v)
            hi = max(hi, v)
            s = max(s, abs(v))
    if integer and hi - lo <= int_range:
        return U - lo + 1.0, 1
    if s == 0.0:
        return np.ones((d, c)), 0
    V = U / s
    vlo = V.min()
    vhi = V.max()
    if vhi <= vlo:
        return np.ones((d, c)), 0
    N = (V - vlo) / (vhi - vlo) + 1.0
    u = np.sort(N.ravel())
    for r in range(1, u.size):
        gap = u[r] - u[r - 1]
        if 0.0 < gap < min_resolution:
            return U, -1
    return N, 0


@njit(cache=True, inline="always")
def _next_combination(a, k, total):  # type: ignore[no-untyped-def]
    r"""Advance the increasing index vector ``a[:k]`` (values below ``total``) to the next
    combination in lexicographic order; False after the last."""
    i = k - 1
    while i >= 0 and a[i] == total - k + i:
        i -= 1
    if i < 0:
        return False
    a[i] += 1
    for r in range(i + 1, k):
        a[r] = a[r - 1] + 1
    return True


@njit(cache=True)
def _basis(M, own, cons, k, integer, aug, x, t):  # type: ignore[no-untyped-def]
    r"""Solve the basis ``(own[:k], cons[:k])`` of :math:`\{x \ge 0 : M^\top x \le 1\}`
    (``M`` is ``d × c``): unknowns :math:`x_{own_p}`, constraint :math:`cons_q` tight. Writes
    the coordinates and slacks :math:`t = (x, 1 - M^\top x)` to ``t`` and returns ``(state,
    code)``: state 0 infeasible, 1 a vertex with label bits ``code``, 2 doubt (see the module
    docstring), 3 singular."""
    d, c = M.shape
    scale = 1.0
    for q in range(k):
        norm = 0.0
        for p in range(k):
            v = M[own[p], cons[q]]
            aug[q, p] = v
            norm += v * v
        aug[q, k] = 1.0
        scale *= np.sqrt(norm)
    det = eliminate(aug, k, k + 1)
    if det == 0.0:
        return 3, np.int64(0)  # exactly singular
    # singular in exact arithmetic (an integer determinant that rounds to 0), or nearly so in
    # floats: no vertex from this basis (state 3; doubt below if it looks feasible all the same)
    singular = np.round(abs(det)) < 0.5 if integer else abs(det) <= 1e-11 * scale
    if integer and singular:
        return 3, np.int64(0)
    for p in range(k - 1, -1, -1):
        acc = aug[p, k]
        for e in range(p + 1, k):
            acc -= aug[p, e] * x[e]
        x[p] = acc / aug[p, p]
    floor = -1e-3 if integer else -AMBIGUOUS
    for p in range(k):
        if x[p] <= floor:
            return (3 if singular else 0), np.int64(0)
    for i in range(d):
        t[i] = 0.0
    for p in range(k):
        t[own[p]] = x[p]
    for j in range(c):
        acc = 1.0
        for p in range(k):
            acc -= M[own[p], j] * x[p]
        t[d + j] = acc
        if acc <= floor:
            return (3 if singular else 0), np.int64(0)
    code = np.int64(0)
    if integer:
        D = np.round(abs(det))
        if D > DET_LIMIT:
            return 2, code
        for e in range(d + c):
            z = t[e] * D
            if z <= -0.5:
                return 0, code
            if abs(z - np.rint(z)) > 0.05:
                return 2, code
            if abs(z) < 0.5:
                code |= np.int64(1) << e
            # the exact integer x |det| (a coordinate; slacks are not used further), so that a
            # probability is the correctly rounded quotient of two integers below 2**53
            t[e] = np.rint(z)
        return 1, code
    if singular:
        return 2, code  # nearly singular and nearly feasible
    feasible = True
    for e in range(d + c):
        a = abs(t[e])
        if FLOAT_TOL < a <= AMBIGUOUS:
            return 2, code
        if t[e] < -FLOAT_TOL:
            feasible = False
        elif a <= FLOAT_TOL:
            code |= np.int64(1) << e
            t[e] = 0.0
    return (1 if feasible else 0), code


@njit(cache=True)
def _popcount(v):  # type: ignore[no-untyped-def]
    bits = 0
    while v:
        v &= v - 1
        bits += 1
    return bits


@njit(cache=True)
def _add_vertex(X, codes, count, t, d, code, always_check):  # type: ignore[no-untyped-def]
    r"""Row of the vertex with label bits ``code`` (coordinates ``t[:d]``) in ``X`` / ``codes``,
    appended when new; returns ``(row, count)``. A vertex reached by two bases has more than
    ``d`` labels, so only then (or with ``always_check``) is the list searched."""
    if always_check or _popcount(code) > d:
        for r in range(count):
            if codes[r] == code:
                return r, count
    for i in range(d):
        X[count, i] = t[i]
    codes[count] = code
    return count, count + 1


@njit(cache=True)
def polytope_vertices(M, integer, X, codes, R):  # type: ignore[no-untyped-def]
    r"""Every vertex :math:`x \ne 0` of :math:`\{x \ge 0 : M^\top x \le 1\}` written to the
    rows of ``X`` (coordinates, exact zeros where labelled) and ``codes`` (label bits), one row
    per distinct vertex in the order of first discovery (bases by size, then support, then
    tight set, lexicographically). Returns ``(count, status)``: status 0 decided, 1 doubt (the
    caller must not use the result).

    ``R`` (``d × c``, or empty): the owner's own payoffs against the opposing strategies; then
    only the vertices that can belong to an equilibrium are guaranteed. A vertex with support
    :math:`S` has a basis on exactly :math:`S` (its tight constraints restricted to :math:`S`
    have rank :math:`|S|`), and in an equilibrium its partner plays only columns tight at it,
    inside :math:`N(S)` (:func:`undominated`), to which every row of :math:`S` is a best
    response; so a support with a row strictly dominated on :math:`N(S)` by another row (in
    ``R``) is skipped (conditional dominance, Porter, Nudelman and Shoham 2008)."""
    d, c = M.shape
    K = min(d, c)
    S = np.empty(K, np.int64)
    J = np.empty(K, np.int64)
    aug = np.empty((K, K + 1))
    x = np.empty(K)
    t = np.empty(d + c)
    cols = np.empty(c, np.int64)
    pos = np.empty(K, np.int64)
    count = 0
    for k in range(1, K + 1):
        for p in range(k):
            S[p] = p
        more_s = True
        while more_s:
            nc = undominated(M, S, k, cols)
            if nc >= k and (R.shape[0] == 0 or _rows_viable(R, S, k, cols, nc)):
                for q in range(k):
                    pos[q] = q
                more_j = True
                while more_j:
                    for q in range(k):
                        J[q] = cols[pos[q]]
                    state, code = _basis(M, S, J, k, integer, aug, x, t)
                    if state == 2:
                        return count, 1
                    if state == 1:
                        _, count = _add_vertex(X, codes, count, t, d, code, False)
                    more_j = _next_combination(pos, k, nc)
            more_s = _next_combination(S, k, d)
    return count, 0


@njit(cache=True)
def _rows_viable(R, own, k, cols, nc):  # type: ignore[no-untyped-def]
    r"""No row of ``own[:k]`` is strictly dominated in ``R`` by another row on the columns
    ``cols[:nc]``."""
    d = R.shape[0]
    for p in range(k):
        i = own[p]
        for i2 in range(d):
            if i2 == i:
                continue
            above = True
            for q in range(nc):
                j = cols[q]
                if R[i2, j] <= R[i, j]:
                    above = False
                    break
            if above:
                return False
    return True


@njit(cache=True)
def undominated(M, own, k, cols):  # type: ignore[no-untyped-def]
    r"""The constraints ``j`` (columns of ``M``) not strictly dominated on the rows ``own[:k]``
    by another column (:math:`M_{ij} < M_{ij'}` for every :math:`i` of ``own``), written to
    ``cols`` in increasing order; returns their number. A dominated constraint is slack at
    every :math:`x \ne 0` of the polytope with support inside ``own`` (its value is below
    the dominating one's, which is at most 1), so no basis with that support makes it tight
    and the bases drawing tight sets from these alone miss no vertex (the feasibility half of
    the conditional dominance of Porter, Nudelman and Shoham 2008, *Games and Economic
    Behavior* 63)."""
    c = M.shape[1]
    nc = 0
    for j in range(c):
        dominated = False
        for j2 in range(c):
            if j2 != j:
                below = True
                for p in range(k):
                    if M[own[p], j] >= M[own[p], j2]:
                        below = False
                        break
                if below:
                    dominated = True
                    break
        if not dominated:
            cols[nc] = j
            nc += 1
    return nc


@njit(cache=True)
def _completes(code, n, m, need):  # type: ignore[no-untyped-def]
    r"""Whether the vertex of Q with local label bits ``code`` (bit ``j < n``: :math:`y_j = 0`,
    bit ``n + i``: row ``i`` tight) has every global label of ``need``."""
    g = ((code & ((np.int64(1) << n) - 1)) << m) | (code >> n)
    return g & need == need


@njit(cache=True)
def partner_vertices(MQ, integer, code_x, m, Y, codes, count, found):  # type: ignore[no-untyped-def]
    r"""The vertices :math:`y` of :math:`Q = \{y \ge 0 : M_Q^\top y \le 1\}` (``MQ`` is
    ``n × m``: the row player's payoffs transposed) that complete the vertex of P with global
    label bits ``code_x``: every label missing from ``code_x`` must be one of ``y``'s, so
    :math:`y_j = 0` off the tight set :math:`J(x)` and the rows of :math:`\operatorname{supp}
    x` are tight. When :math:`x` has exactly ``m`` labels and :math:`A_{S, J(x)}` is
    nonsingular those ``n`` constraints fix ``y`` (one solve); otherwise every basis with
    support inside :math:`J(x)` is tried (a vertex with support :math:`T` has a basis on
    :math:`T`), its tight rows drawn from those not dominated on :math:`T`. New vertices are
    appended to ``Y`` / ``codes`` (local labels: bit ``j < n`` :math:`y_j = 0`, bit ``n + i``
    row ``i`` tight); the rows of the partners go to ``found``. Returns ``(partners, count,
    status)``, status 1 on doubt."""
    n = MQ.shape[0]
    full = (np.int64(1) << (m + n)) - 1
    need = full & ~code_x
    jx = np.empty(n, np.int64)
    nj = 0
    for j in range(n):
        if (code_x >> (m + j)) & 1:
            jx[nj] = j
            nj += 1
    sx = np.empty(m, np.int64)
    ns = 0
    for i in range(m):
        if not (code_x >> i) & 1:
            sx[ns] = i
            ns += 1
    K = min(n, m)
    aug = np.empty((K, K + 1))
    x = np.empty(K)
    t = np.empty(n + m)
    partners = 0
    if ns == nj and _popcount(code_x) == m:
        state, code = _basis(MQ, jx, sx, nj, integer, aug, x, t)
        if state == 2:
            return partners, count, 1
        if state == 1:
            if _completes(code, n, m, need):
                row, count = _add_vertex(Y, codes, count, t, n, code, True)
                found[partners] = row
                partners += 1
            return partners, count, 0
        if state == 0:
            return partners, count, 0  # the only candidate is infeasible
        # a singular square system: the general search below decides
    pos = np.empty(K, np.int64)
    T = np.empty(K, np.int64)
    I = np.empty(K, np.int64)
    rows = np.empty(m, np.int64)
    at = np.empty(K, np.int64)
    for k in range(1, min(nj, m) + 1):
        for p in range(k):
            pos[p] = p
        more_t = True
        while more_t:
            for p in range(k):
                T[p] = jx[pos[p]]
            nr = undominated(MQ, T, k, rows)  # only these rows can be tight on support T
            for q in range(k):
                at[q] = q
            more_i = nr >= k
            while more_i:
                for q in range(k):
                    I[q] = rows[at[q]]
                state, code = _basis(MQ, T, I, k, integer, aug, x, t)
                if state == 2:
                    return partners, count, 1
                if state == 1 and _completes(code, n, m, need):
                    row, count = _add_vertex(Y, codes, count, t, n, code, True)
                    seen = False
                    for r in range(partners):
                        if found[r] == row:
                            seen = True
                            break
                    if not seen:
                        found[partners] = row
                        partners += 1
                more_i = _next_combination(at, k, nr)
            more_t = _next_combination(pos, k, nj)
    return partners, count, 0


@njit(cache=True)
def extreme_pairs(A, B, int_range, min_resolution, max_vertices):  # type: ignore[no-untyped-def]
    r"""Both polytopes of the game ``(A, B)`` (``m × n``) and their completely labelled pairs:
    every vertex of P (:func:`polytope_vertices`), then for each the vertices of Q that complete
    it (:func:`partner_vertices`).

    Returns ``(status, xs, ys, pa, pb, regret, pay, gain, index, scale)``: status 0 decided,
    1 doubt (see the module docstring), 2 payoffs floats cannot decide; ``xs`` / ``ys`` the
    distinct strategies (probability vectors) of the vertices of P / Q that occur in a pair, in
    order of first appearance; ``pa[e], pb[e]`` the pair ``e`` (by P's vertices in order, each
    pair once); the largest regret of a pair relative to the player's payoff range; for each
    pair the payoffs and the largest gain of a pure deviation on ``A``, ``B`` as given, and its
    index (:func:`shapley_index`, 0 for none); the largest payoff magnitude (at least 1)."""
    m, n = A.shape
    MP, kind_p = polytope_matrix(B, int_range, min_resolution)
    MQ, kind_q = polytope_matrix(A.T.copy(), int_range, min_resolution)
    empty_f = np.zeros((0, 1))
    empty_i = np.zeros(0, np.int64)
    empty_g = np.zeros(0)
    if kind_p < 0 or kind_q < 0:
        return 2, empty_f, empty_f, empty_i, empty_i, 0.0, empty_f, empty_g, empty_i, 1.0
    Xp = np.empty((max_vertices, m))
    cp = np.empty(max_vertices, np.int64)
    vp, status = polytope_vertices(MP, kind_p == 1, Xp, cp, A)
    if status != 0:
        return 1, empty_f, empty_f, empty_i, empty_i, 0.0, empty_f, empty_g, empty_i, 1.0
    Yq = np.empty((max_vertices, n))
    cq = np.empty(max_vertices, np.int64)
    found = np.empty(max_vertices, np.int64)
    pa = np.empty(max_vertices, np.int64)
    pb = np.empty(max_vertices, np.int64)
    vq = 0
    e = 0
    for a in range(vp):
        got, vq, status = partner_vertices(MQ, kind_q == 1, cp[a], m, Yq, cq, vq, found)
        if status != 0:
            return 1, empty_f, empty_f, empty_i, empty_i, 0.0, empty_f, empty_g, empty_i, 1.0
        for r in range(got):
            if e == pa.size:
                pa = np.concatenate((pa, np.empty(pa.size, np.int64)))
                pb = np.concatenate((pb, np.empty(pb.size, np.int64)))
            pa[e] = a
            pb[e] = found[r]
            e += 1
    # the vertices in a pair as probability vectors; pairs renumbered and made distinct
    used_p = np.full(vp, -1, np.int64)
    used_q = np.full(vq, -1, np.int64)
    for r in range(e):
        used_p[pa[r]] = 0
        used_q[pb[r]] = 0
    xs, where_p = scaled_rows(Xp, vp, m, used_p)
    ys, where_q = scaled_rows(Yq, vq, n, used_q)
    # first appearance order, as the numpy path lists them
    order_p = np.full(xs.shape[0], -1, np.int64)
    order_q = np.full(ys.shape[0], -1, np.int64)
    seen = np.zeros((xs.shape[0], ys.shape[0]), np.bool_)
    kept = 0
    na = 0
    nb = 0
    for r in range(e):
        a = where_p[pa[r]]
        b = where_q[pb[r]]
        if seen[a, b]:
            continue
        seen[a, b] = True
        if order_p[a] < 0:
            order_p[a] = na
            na += 1
        if order_q[b] < 0:
            order_q[b] = nb
            nb += 1
        pa[kept] = order_p[a]
        pb[kept] = order_q[b]
        kept += 1
    xs_out = np.empty_like(xs)
    for a in range(xs.shape[0]):
        xs_out[order_p[a]] = xs[a]
    ys_out = np.empty_like(ys)
    for b in range(ys.shape[0]):
        ys_out[order_q[b]] = ys[b]
    # the solver's own checks of each pair: regret relative to each player's payoff range,
    # and the payoffs and largest gains on the payoffs as given
    regret = 0.0
    pay = np.empty((kept, 2))
    gain = np.empty(kept)
    index = np.empty(kept, np.int64)
    NA = MQ.T.copy() if kind_q == 0 else normalised(A)
    NB = MP if kind_p == 0 else normalised(B)
    BT = B.T.copy()
    row_m = MQ.T.copy()  # the row player's polytope payoffs, rows × columns
    col_m = MP.T.copy()  # the column player's, columns × rows
    for r in range(kept):
        x = xs_out[pa[r]]
        y = ys_out[pb[r]]
        regret = max(regret, relative_regret(row_m, kind_q, x, y), relative_regret(col_m, kind_p, y, x))
        ua, ga = payoff_and_gain(A, x, y)
        ub, gb = payoff_and_gain(BT, y, x)
        pay[r, 0] = ua
        pay[r, 1] = ub
        gain[r] = max(ga, gb)
        index[r] = shapley_index(NA, NB, x, y)
    scale = max(1.0, np.abs(A).max(), np.abs(B).max())
    return 0, xs_out, ys_out, pa[:kept], pb[:kept], regret, pay, gain, index, scale
