r"""All Nash equilibria of a two-player game: every extreme equilibrium and the maximal Nash
subsets (components) they form, degenerate games included.

Method ``enummixed``: vertex enumeration of the best-response polytopes, after Avis, Rosenberg,
Savani and von Stengel (2010), "Enumeration of Nash equilibria for two-player games", *Economic
Theory* 42, §§2–4, and von Stengel (2007), "Equilibrium computation for two-player games in
strategic and extensive form", *Algorithmic Game Theory*, ch. 3, §3.2–3.5.

The math. Let the row player have payoffs :math:`A` and the column player :math:`B`, both
:math:`m \times n`, shifted (a positive affine change, which keeps every equilibrium) so that all
entries are positive. The best-response polytopes are

.. math::
    P = \{x \in \mathbb{R}^m : x \ge 0,\; B^\top x \le 1\}, \qquad
    Q = \{y \in \mathbb{R}^n : A y \le 1,\; y \ge 0\}.

A point of :math:`P` has label :math:`i` (a row) if :math:`x_i = 0` and label :math:`m + j`
(a column) if :math:`(B^\top x)_j = 1`; a point of :math:`Q` has label :math:`i` if
:math:`(Ay)_i = 1` and label :math:`m + j` if :math:`y_j = 0`. A pair
:math:`(x, y) \ne (0, 0)` is *completely labelled* iff every label in :math:`\{0..m+n-1\}` is
a label of :math:`x` or of :math:`y`, and then :math:`(x/\mathbf{1}^\top x,\, y/\mathbf{1}^\top
y)` is a Nash equilibrium; the **extreme equilibria** are exactly the completely labelled pairs
of vertices (Theorem 3.1 of von Stengel 2007; ARSvS §2).

Steps.

1. *Vertices, batched.* A vertex :math:`x \ne 0` of :math:`P` with support :math:`S` has
   :math:`|S|` linearly independent tight columns :math:`J`, so it solves the square system
   :math:`B_{SJ}^\top x_S = \mathbf{1}`. For each size :math:`k`, every pair
   :math:`(S, J)` with :math:`|S| = |J| = k` is solved at once with ``numpy.linalg.solve`` on a
   stack of :math:`k \times k` matrices (singular ones are filtered by their determinant);
   feasible solutions are kept and labelled, and the duplicates a degenerate vertex produces
   (one per basis) are merged by their label sets. That is :math:`\binom{m+n}{m}` small solves
   for :math:`P`, with no Python loop over bases. Small games (up to 5×5) solve every basis of
   *both* polytopes in one stack padded with the identity (a singular basis is swapped for the
   identity and dropped afterwards), so a game costs one determinant call and one solve call,
   and the labels of both are read in one pass; the index tables of each shape are cached.
   For larger games, for :math:`Q` only supports :math:`T` inside the tight set
   :math:`J(x)` of some vertex :math:`x` of :math:`P` are tried — the partner of :math:`x` in an
   equilibrium plays only best responses to :math:`x` — which cuts :math:`Q`'s bases about
   five-fold at 10×10.
2. *Labels without float doubt* for integer (and, after scaling, rational) payoffs: with
   integer :math:`B`, a basic solution is :math:`x = \operatorname{adj}(M)\mathbf{1}/\det M`,
   so :math:`x_i \det M` and :math:`(1 - B^\top x)_j \det M` are integers and a label is read by
   rounding them (exact while the float error stays below 1/2). Float games use a tolerance
   scaled to the payoffs.
3. *Completely labelled pairs, vectorised*: with the label sets as bit codes :math:`c_a, c_b`
   (up to 62 labels), the pair :math:`(a, b)` is completely labelled iff
   :math:`c_a \mathbin{|} c_b` has every bit — one broadcast OR (beyond 62 labels, with the
   unlabelled sets as 0/1 matrices, iff :math:`(U_P U_Q^\top)_{ab} = 0`).
4. *Exact answers.* In exact mode (``exact=True`` or an exact game) each extreme strategy is
   solved again in Fractions from its support and its tight labels
   (:math:`\mathbf{1}^\top \bar x = 1`, :math:`B_{Sj}^\top \bar x_S = v` for the tight
   :math:`j`), and each profile is certified by :func:`bargaining.verify.normal.max_regret`:
   exactly 0 in exact mode, within ``verify.default_tolerance`` in float mode. A profile that
   fails is never reported (the solution is then marked incomplete, with a message).
5. *Components* (maximal Nash subsets; ARSvS §4, the clique step of lrsnash): the extreme
   equilibria form a bipartite graph between their row strategies and their column strategies;
   a Nash subset is a biclique :math:`X \times Y`, and the maximal ones are the closed pairs
   :math:`Y = \bigcap_{x \in X} N(x)`, :math:`X = \{x : Y \subseteq N(x)\}` (the formal concepts
   of the relation), found by closing the neighbourhoods :math:`N(x)` under intersection. Every
   convex combination within one subset is an equilibrium.

``complete`` is true when the enumeration finished within ``timeout``; the deadline is polled
between batches, and on timeout the equilibria found among the vertices enumerated so far are
returned with ``complete=False``.

Cost: :math:`\binom{m+n}{m}` small solves for :math:`P` (184,756 at 10×10) plus the restricted
ones for :math:`Q` — fewer than support enumeration's two solves per pair of equal-size supports,
but in batched numpy rather than compiled loops. Beyond about 14×14 a pivoting vertex enumeration
(lrs-style reverse search, visiting only vertices) would be needed; this module does not
implement it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache
from itertools import combinations
from typing import Any

import numpy as np

from bargaining.errors import SolverError
from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Equilibrium, Solution, sort_key_profile
from bargaining.solvers.budget import BudgetExceeded, Deadline
from bargaining.solvers.profile_eval import payoff_tolerance, profile_gain
from bargaining.solvers.registry import Method, register

__all__ = ["enummixed", "polytope_vertices", "extreme_equilibria"]

_CHUNK = 60_000  # systems solved per numpy call (memory: CHUNK * k * k floats)
_SMALL = 300  # up to this many bases (5x5), one padded stack for all support sizes (measured)
_FLOAT_TOL = 1e-9


# -- step 1-2: vertices of {x >= 0 : M^T x <= 1} ------------------------------------------------
def _integer_matrix(values: np.ndarray) -> np.ndarray | None:
    """``values`` (Fractions or floats) as a positive integer float matrix after a positive
    affine change (x - min) * lcm(denominators) + 1, or None if that is not possible exactly."""
    if values.dtype == object:
        fr = [Fraction(v) for v in values.ravel()]
        den = math.lcm(*(f.denominator for f in fr)) if fr else 1
        lo = min(fr)
        ints = [int((f - lo) * den) + 1 for f in fr]
    else:
        if not np.all(np.isfinite(values)) or not np.all(values == np.round(values)):
            return None
        if values.size and float(np.max(np.abs(values))) > 2**40:
            return None
        lo = float(values.min()) if values.size else 0.0
        return (values - lo + 1).astype(np.float64)
    if max(ints, default=1) > 2**40:
        return None
    return np.array(ints, dtype=np.float64).reshape(values.shape)


@lru_cache(maxsize=256)
def _combos(m: int, k: int) -> np.ndarray:
    arr = np.array(list(combinations(range(m), k)), dtype=np.intp).reshape(-1, k)
    arr.flags.writeable = False
    return arr


@lru_cache(maxsize=128)
def _gather_index(m: int, n: int, k: int) -> np.ndarray | None:
    """Flat indices into an ``m × n`` matrix M of every basis system of size k:
    ``G[a, b, q, p] = S_a[p] * n + J_b[q]`` (row q of the system is column ``J_b[q]``), for the
    supports ``S_a`` and tight sets ``J_b`` of :func:`_combos`; None when it would be large."""
    S, J = _combos(m, k), _combos(n, k)
    if len(S) * len(J) * k * k > 2_000_000:
        return None
    G = (S * n)[:, None, None, :] + J[None, :, :, None]
    G.flags.writeable = False
    return G


@lru_cache(maxsize=64)
def _padded_bases(m: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every basis (S, J), |S| = |J| = k = 1..min(m, n), as one stack of K×K systems
    (K = min(m, n)), the unused rows and columns padded with the identity: gather indices
    ``R, C`` into M, the padding mask, the right-hand sides and the scatter index ``Spad``
    (``m``, a dummy column, on padding)."""
    K = min(m, n)
    Rs, Cs, pads, rhss, Spads = [], [], [], [], []
    for k in range(1, K + 1):
        S, J = _combos(m, k), _combos(n, k)
        N = len(S) * len(J)
        Srep = np.repeat(S, len(J), axis=0)
        Jrep = np.tile(J, (len(S), 1))
        R = np.zeros((N, K, K), dtype=np.intp)
        C = np.zeros((N, K, K), dtype=np.intp)
        R[:, :k, :k] = Srep[:, None, :]  # system row q, unknown p -> M[S_p, J_q]
        C[:, :k, :k] = Jrep[:, :, None]
        pad = np.ones((N, K, K), dtype=bool)
        pad[:, :k, :k] = False
        rhs = np.zeros((N, K, 1))
        rhs[:, :k] = 1.0
        Spad = np.full((N, K), m, dtype=np.intp)
        Spad[:, :k] = Srep
        Rs.append(R), Cs.append(C), pads.append(pad), rhss.append(rhs), Spads.append(Spad)
    out = tuple(np.concatenate(a) for a in (Rs, Cs, pads, rhss, Spads))
    for a in out:
        a.flags.writeable = False
    return out  # type: ignore[return-value]


@lru_cache(maxsize=64)
def _pair_bases(m: int, n: int) -> tuple[np.ndarray, ...]:
    """Every basis of both polytopes of an ``m × n`` game as one padded stack (see
    :func:`_padded_bases`), gathered from the flat source ``[MP.ravel(), MQ.ravel(), 0, 1]``:
    the gather index ``G`` (N, K, K), right-hand sides, the scatter index ``pos`` into the joint
    vector :math:`u = (x, y)` (``m + n``, a dummy, on padding), which rows are Q's, and the mask
    saying which labels are read from :math:`u` (the rest from the slacks)."""
    K = min(m, n)
    off0, off1 = 2 * m * n, 2 * m * n + 1
    diag = np.eye(K, dtype=bool)
    parts = []
    for rows, cols, base, shift in ((m, n, 0, 0), (n, m, m * n, m)):
        R, C, pad, rhs, Spad = _padded_bases(rows, cols)
        G = np.where(pad, np.where(diag, off1, off0), base + R * cols + C)
        pos = np.where(Spad == rows, m + n, Spad + shift)
        parts.append((G, rhs, pos))
    NP = len(parts[0][0])
    G = np.concatenate([parts[0][0], parts[1][0]])
    rhs = np.concatenate([parts[0][1], parts[1][1]])
    pos = np.concatenate([parts[0][2], parts[1][2]])
    # scatter of the solutions into U (N, m + n + 1), flat
    flatpos = (np.arange(len(G))[:, None] * (m + n + 1) + pos).ravel()
    isq = np.arange(len(G)) >= NP
    from_u = np.zeros((len(G), m + n), dtype=bool)
    from_u[~isq, :m] = True  # P: label i is x_i = 0, label m + j is column j tight
    from_u[isq, m:] = True  # Q: label i is row i tight, label m + j is y_j = 0
    # W = [[0, MP], [MQ, 0]] gathered from the same source
    W = np.full((m + n, m + n), off0)
    W[:m, m:] = np.arange(m * n).reshape(m, n)
    W[m:, :m] = m * n + np.arange(m * n).reshape(n, m)
    out = (G, rhs, flatpos, isq, from_u, W, np.eye(K))
    for a in out:
        a.flags.writeable = False
    return out


def _pair_vertices(
    MP: np.ndarray, MQ: np.ndarray, integer: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vertices of P and of Q together, for small games: one stack of basis systems, one
    determinant and one solve call, and the labels read in one pass on the joint vector
    :math:`u = (x, 0)` or :math:`(0, y)` with the slacks :math:`1 - u W`,
    :math:`W = [[0, M_P], [M_Q, 0]]`. Returns ``(Xp, Lp, Yq, Lq)``
    with the labels of both in the global numbering of the module docstring."""
    m, n = MP.shape
    G, rhs, flatpos, isq, from_u, Widx, eye = _pair_bases(m, n)
    src = np.concatenate([MP.ravel(), MQ.ravel(), (0.0, 1.0)])
    sub = src[G]
    if integer:
        det = np.linalg.det(sub)
        ok = np.abs(det) > 0.5  # a nonsingular integer matrix has |det| >= 1
        scale = np.abs(np.round(det))[:, None]
    else:
        det = None
        ok = None
        scale = None
    if ok is not None and not ok.all():  # singular bases: solve the identity instead, drop later
        sub[~ok] = eye
    try:
        xs = np.linalg.solve(sub, rhs)
    except np.linalg.LinAlgError:  # float game with an exactly singular basis
        det = np.linalg.det(sub)
        ok = np.abs(det) > 1e-11 * np.prod(np.linalg.norm(sub, axis=2), axis=1)
        sub[~ok] = eye
        xs = np.linalg.solve(sub, rhs)
    U = np.zeros((len(xs), m + n + 1))
    U.ravel()[flatpos] = xs.ravel()
    U = U[:, : m + n]
    W = src[Widx]
    # [u, 1 - u W], times |det| for integer games (then integers up to float error)
    T = np.concatenate([U, 1.0 - U @ W], axis=1)
    if integer:
        T *= scale
        cut = 0.5
    else:
        cut = _FLOAT_TOL
    valid = T.min(axis=1) > -cut
    if ok is not None:
        valid &= ok
    rows = np.flatnonzero(valid)
    zero = np.abs(T[rows]) < cut if integer else np.abs(T[rows]) <= cut
    L = np.where(from_u[rows], zero[:, : m + n], zero[:, m + n :])
    U = np.where(zero[:, : m + n], 0.0, U[rows])
    isq = isq[rows]
    # merge the bases of one vertex by their label sets (the polytope is the top bit)
    codes = (L.astype(np.int64) @ (np.int64(1) << np.arange(m + n, dtype=np.int64))).tolist()
    firsts: dict[tuple[int, bool], int] = {}
    for r, (c, q) in enumerate(zip(codes, isq.tolist())):
        firsts.setdefault((c, q), r)
    first = np.fromiter(firsts.values(), dtype=np.intp, count=len(firsts))
    U, L, isq = U[first], L[first], isq[first]
    return U[~isq, :m], L[~isq], U[isq, m:], L[isq]


def polytope_vertices(
    M: np.ndarray, *, integer: bool, deadline: Deadline | None = None, within: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Vertices :math:`x \\ne 0` of :math:`\\{x \\ge 0 : M^\\top x \\le 1\\}` for a positive
    ``m × n`` matrix ``M``.

    Returns ``(X, L, finished)``: coordinates ``X`` (N, m), labels ``L`` (N, m + n) booleans
    (label ``i < m``: :math:`x_i = 0`; label ``m + j``: column j tight), one row per distinct
    vertex, and whether every basis was tried before the deadline. ``integer=True`` asserts that
    ``M`` holds integers, so labels are read exactly by rounding ``x · det``. ``within`` (a boolean
    matrix, one candidate set per row) restricts the search to vertices whose support lies in one
    of the sets (other vertices may be returned too).
    """
    m, n = M.shape
    coords: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    finished = True
    try:
        if math.comb(m + n, m) <= _SMALL:
            # small games: every basis in one padded stack (one numpy call per step)
            R, C, pad, rhs, Spad = _padded_bases(m, n)
            eye = np.broadcast_to(np.eye(R.shape[1]), R.shape)
            sub = np.where(pad, eye, M[R, C])
            X, L = _vertices_batch(M, sub, rhs, Spad, 1, integer)
            coords.append(X)
            labels.append(L)
        else:
            flat = M.ravel()
            for k in range(1, min(m, n) + 1):
                Sc, Jc = _combos(m, k), _combos(n, k)
                gather = _gather_index(m, n, k)  # (|Sc|, |Jc|, k, k) or None when too large
                if within is not None:
                    sel = _inside_some(Sc, within)
                    if not sel.any():
                        continue
                    if not sel.all():
                        Sc = Sc[sel]
                        gather = None if gather is None else gather[sel]
                per = max(1, _CHUNK // len(Jc))
                ones = None
                for start in range(0, len(Sc), per):
                    if deadline is not None:
                        deadline.check()
                    S = Sc[start : start + per]
                    if gather is not None:
                        sub = flat.take(gather[start : start + per]).reshape(-1, k, k)
                    else:
                        # sub[a, b, q, p] = M[S[a, p], J[b, q]] (row q of the system is column J[b, q])
                        sub = flat.take((S * n)[:, None, None, :] + Jc[None, :, :, None]).reshape(-1, k, k)
                    if ones is None or len(ones) != len(sub):
                        ones = np.ones((len(sub), k, 1))
                    X, L = _vertices_batch(M, sub, ones, S, len(Jc), integer)
                    coords.append(X)
                    labels.append(L)
    except BudgetExceeded:
        finished = False
    if not coords:
        return np.zeros((0, m)), np.zeros((0, m + n), dtype=bool), finished
    X = np.concatenate(coords)
    L = np.concatenate(labels)
    if m + n <= 62:
        codes = L.astype(np.int64) @ (np.int64(1) << np.arange(m + n, dtype=np.int64))
        _, first = np.unique(codes, return_index=True)
    else:
        _, first = np.unique(np.packbits(L, axis=1), axis=0, return_index=True)
    first.sort()
    return X[first], L[first], finished


def _inside_some(Sc: np.ndarray, within: np.ndarray) -> np.ndarray:
    """For each row of index sets ``Sc``, whether it lies inside some row (a boolean set) of
    ``within``."""
    m = within.shape[1]
    if m <= 62:  # as bit codes, without BLAS threads for a tiny product
        bits = np.int64(1) << np.arange(m, dtype=np.int64)
        codes = bits[Sc].sum(axis=1)
        outside = (~within * bits).sum(axis=1)
        return ((codes[:, None] & outside[None, :]) == 0).any(axis=1)
    member = np.zeros((len(Sc), m), dtype=np.float32)
    member[np.arange(len(Sc))[:, None], Sc] = 1.0
    return np.any(member @ (~within).astype(np.float32).T == 0, axis=1)


def _vertices_batch(
    M: np.ndarray, sub: np.ndarray, rhs: np.ndarray, S: np.ndarray, per_support: int, integer: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Solve the stack of basis systems ``sub @ x = rhs``, ``per_support`` consecutive systems
    per row of ``S`` (``S[r, p]``: the strategy of unknown p, ``m`` for padding); keep the
    feasible solutions and label them."""
    m, n = M.shape
    ok = None
    if integer:
        det = np.linalg.det(sub)
        ok = np.abs(det) > 0.5  # a nonsingular integer matrix has |det| >= 1
        if not ok.all():  # solve the identity in place of a singular basis, dropped below
            sub[~ok] = np.eye(sub.shape[1])
        xs = np.linalg.solve(sub, rhs)[..., 0]
        d = np.abs(np.round(det))
        keep = np.flatnonzero(ok & np.all(xs * d[:, None] > -0.5, axis=1))
    else:
        try:
            xs = np.linalg.solve(sub, rhs)[..., 0]
        except np.linalg.LinAlgError:  # an exactly singular basis: filter by determinant
            det = np.linalg.det(sub)
            scale = np.prod(np.linalg.norm(sub, axis=2), axis=1)
            ok = np.abs(det) > 1e-11 * scale
            sub[~ok] = np.eye(sub.shape[1])
            xs = np.linalg.solve(sub, rhs)[..., 0]
        feasible_x = np.all(xs > -_FLOAT_TOL, axis=1)
        keep = np.flatnonzero(feasible_x if ok is None else ok & feasible_x)
    # only bases with x_S >= 0 can be vertices: check the other columns for those alone
    xs, Spos = xs[keep], S[keep // per_support]
    X = np.zeros((len(xs), m + 1))
    X[np.arange(len(xs))[:, None], Spos] = xs
    X = X[:, :m]
    slack = 1.0 - X @ M  # (N, n)
    if integer:
        d = d[keep][:, None]
        zx, zs = X * d, slack * d
        feasible = np.all(zs > -0.5, axis=1)
        Lx, Ls = np.abs(zx) < 0.5, np.abs(zs) < 0.5
    else:
        feasible = np.all(slack > -_FLOAT_TOL, axis=1)
        Lx, Ls = np.abs(X) <= _FLOAT_TOL, np.abs(slack) <= _FLOAT_TOL
    X = np.where(Lx, 0.0, X)
    L = np.concatenate([Lx, Ls], axis=1)
    return X[feasible], L[feasible]


# -- step 3: completely labelled pairs -----------------------------------------------------------
def _complementary_pairs(
    Lp: np.ndarray, Lq: np.ndarray, deadline: Deadline | None
) -> tuple[np.ndarray, np.ndarray]:
    """All (a, b) with ``Lp[a] | Lq[b]`` = every label (bit codes or a matrix product, by blocks), as two
    index arrays in row-major order."""
    if not len(Lp) or not len(Lq):
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    nl = Lp.shape[1]
    if nl <= 62:  # label sets as bit codes: complete iff code_a | code_b has every bit
        bits = np.int64(1) << np.arange(nl, dtype=np.int64)
        cp = (Lp * bits).sum(axis=1)
        cq = (Lq * bits).sum(axis=1)
        full = (np.int64(1) << nl) - 1
        block = max(1, 4_000_000 // len(cq))
        if len(cp) <= block:
            return np.nonzero((cp[:, None] | cq[None, :]) == full)
        pa, pb = [], []
        for start in range(0, len(cp), block):
            if deadline is not None:
                deadline.check()
            a, b = np.nonzero((cp[start : start + block, None] | cq[None, :]) == full)
            pa.append(a + start)
            pb.append(b)
        return np.concatenate(pa), np.concatenate(pb)
    Up = (~Lp).astype(np.float32)
    Uq = (~Lq).astype(np.float32).T
    block = max(1, 4_000_000 // max(1, len(Lq)))
    pa, pb = [], []
    for start in range(0, len(Up), block):
        if deadline is not None:
            deadline.check()
        a, b = np.nonzero(Up[start : start + block] @ Uq == 0)
        pa.append(a + start)
        pb.append(b)
    return np.concatenate(pa), np.concatenate(pb)


# -- step 4: exact strategies -------------------------------------------------------------------
def _solve_exact(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """The unique solution of a consistent linear system in Fractions (Gauss–Jordan), or None
    when it is inconsistent or not unique."""
    k = len(rows[0]) if rows else 0
    aug = [list(r) + [b] for r, b in zip(rows, rhs)]
    piv_row = 0
    pivots = []
    for col in range(k):
        p = next((r for r in range(piv_row, len(aug)) if aug[r][col] != 0), None)
        if p is None:
            return None
        aug[piv_row], aug[p] = aug[p], aug[piv_row]
        pv = aug[piv_row][col]
        prow = [v / pv for v in aug[piv_row]]
        aug[piv_row] = prow
        for r in range(len(aug)):
            if r != piv_row and aug[r][col] != 0:
                f = aug[r][col]
                aug[r] = [a - f * b for a, b in zip(aug[r], prow)]
        pivots.append(col)
        piv_row += 1
    if any(aug[r][k] != 0 for r in range(piv_row, len(aug))):
        return None
    return [aug[r][k] for r in range(k)]


def _exact_strategy(U: np.ndarray, support: Sequence[int], tight: Sequence[int]) -> tuple[Fraction, ...] | None:
    """The mixed strategy :math:`\\bar x` on ``support`` that makes the opponent indifferent
    among ``tight`` (columns of ``U``, the opponent's payoffs with rows = this player's
    strategies): :math:`\\sum_S \\bar x = 1`, :math:`U_{S j}^\\top \\bar x_S` equal for j in tight."""
    m = U.shape[0]
    S = list(support)
    if not S or not len(tight):
        return None
    rows = [[Fraction(1)] * len(S)]
    rhs = [Fraction(1)]
    j0 = tight[0]
    for j in tight[1:]:
        rows.append([U[i, j0] - U[i, j] for i in S])
        rhs.append(Fraction(0))
    sol = _solve_exact(rows, rhs)
    if sol is None or any(v < 0 for v in sol):
        return None
    out = [Fraction(0)] * m
    for i, v in zip(S, sol):
        out[i] = v
    return tuple(out)


# -- step 5: maximal Nash subsets ---------------------------------------------------------------
def _maximal_bicliques(
    edges: Sequence[tuple[int, int]], deadline: Deadline | None
) -> list[tuple[frozenset[int], frozenset[int]]]:
    """Maximal bicliques (X, Y) of a bipartite graph given by its edges (x, y)."""
    nbr: dict[int, frozenset[int]] = {}
    for x, y in edges:
        nbr[x] = nbr.get(x, frozenset()) | {y}
    base = set(nbr.values())
    closed = set(base)
    frontier = set(base)
    while frontier:
        if deadline is not None:
            deadline.check()
        new = set()
        for Y in frontier:
            for Z in base:
                W = Y & Z
                if W and W not in closed:
                    new.add(W)
        closed |= new
        frontier = new
    out = []
    for Y in closed:
        X = frozenset(x for x, N in nbr.items() if Y <= N)
        out.append((X, Y))
    return out


# -- the method -----------------------------------------------------------------------------------
def extreme_equilibria(
    game: NormalFormGame, *, exact: bool = False, deadline: Deadline | None = None
) -> tuple[list[tuple], list[tuple], list[tuple[int, int]], bool, int]:
    """Kernel of :func:`enummixed`: returns ``(xs, ys, edges, finished, dropped)`` where
    ``xs``/``ys`` are the distinct extreme strategies of the row / column player that occur in an
    extreme equilibrium, ``edges`` the pairs ``(index in xs, index in ys)`` that are equilibria,
    ``finished`` whether the enumeration ran to the end and ``dropped`` how many candidate
    profiles failed the certificate (0 in every case we know of)."""
    if game.num_players != 2:
        raise SolverError(f"enummixed needs a two-player game; this one has {game.num_players}")
    m, n = game.shape
    src = game.payoffs if game.exact else game.float_payoffs
    A, B = src[0], src[1]
    MP, intP, MQ, intQ = _polytope_matrices(A, B)
    finished = True
    if intP == intQ and m + n <= 61 and math.comb(m + n, m) <= _SMALL:
        Xp, Lp, Yq, Lq = _pair_vertices(MP, MQ, intP)
    else:
        Xp, Lp, ok = polytope_vertices(MP, integer=intP, deadline=deadline)
        finished &= ok
        # a column strategy y in an extreme equilibrium with x has its support among the columns
        # tight at x, so Q's bases need only supports inside some tight set J(x) of a vertex of P
        Yq, Lq_local, ok = polytope_vertices(MQ, integer=intQ, deadline=deadline, within=Lp[:, m:])
        finished &= ok
        # Q's local labels: j < n is y_j = 0 (global m + j); n + i is row i tight (global i)
        Lq = np.concatenate([Lq_local[:, n:], Lq_local[:, :n]], axis=1)
    try:
        pa, pb = _complementary_pairs(Lp, Lq, deadline)
    except BudgetExceeded:
        pa, pb, finished = np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp), False
    pa, pb = pa.tolist(), pb.tolist()
    used_p = sorted(set(pa))
    used_q = sorted(set(pb))
    where_p = dict(zip(used_p, range(len(used_p))))
    where_q = dict(zip(used_q, range(len(used_q))))
    inv_p = [where_p[a] for a in pa]
    inv_q = [where_q[b] for b in pb]
    if exact:
        Bx = np.asarray(game.as_exact().payoffs[1]) if not game.exact else B
        Ax = np.asarray(game.as_exact().payoffs[0]) if not game.exact else A
        sp = [_exact_strategy(Bx, np.flatnonzero(~Lp[a, :m]), np.flatnonzero(Lp[a, m:])) for a in used_p]
        sq = [_exact_strategy(Ax.T, np.flatnonzero(~Lq[b, m:]), np.flatnonzero(Lq[b, :m])) for b in used_q]
        kp, kq = sp, sq
    else:
        sp, kp = _normalised(Xp[used_p])
        sq, kq = _normalised(Yq[used_q])
    # merge equal strategies (a vertex found twice under float noise), keep the order
    xs: list[tuple] = []
    ys: list[tuple] = []
    xi: dict[Any, int] = {}
    yi: dict[Any, int] = {}
    edges: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    dropped = 0
    for a, b in zip(inv_p, inv_q):
        x, y = sp[a], sq[b]
        if x is None or y is None:
            dropped += 1
            continue
        kx, ky = kp[a], kq[b]
        if kx not in xi:
            xi[kx] = len(xs)
            xs.append(x)
        if ky not in yi:
            yi[ky] = len(ys)
            ys.append(y)
        e = (xi[kx], yi[ky])
        if e not in seen:
            seen.add(e)
            edges.append(e)
    return xs, ys, edges, finished, dropped


def _polytope_matrices(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, bool, np.ndarray, bool]:
    """The positive matrices of P (from ``B``, m × n) and Q (from ``A^T``, n × m), each with a
    flag saying whether it holds integers (see :func:`_integer_matrix`); non-integer payoffs are
    mapped affinely onto [1, 2]."""
    if A.dtype != object and A.size:
        # one check for both matrices (inf and NaN fail it: inf by the bound, NaN by ==)
        if (A == A.round()).all() and (B == B.round()).all() and max(-A.min(), A.max(), -B.min(), B.max()) <= 2**40:
            return B - B.min() + 1.0, True, A.T - A.min() + 1.0, True
    out: list[Any] = []
    for U in (B, A.T):  # P uses B (m x n), Q uses A^T (n x m)
        integer = _integer_matrix(np.asarray(U))
        if integer is not None:
            out += [integer, True]
        else:
            F = np.asarray(U, dtype=np.float64)
            span = float(F.max() - F.min())
            out += [(F - F.min()) / (span if span > 0 else 1.0) + 1.0, False]
    return out[0], out[1], out[2], out[3]


def _normalised(X: np.ndarray) -> tuple[list[tuple], list[tuple]]:
    """Rows of ``X`` (vertices, ``x >= 0``) scaled to probability vectors, as tuples of floats,
    and the keys that merge equal ones (rounded to 9 decimals)."""
    X = np.maximum(X, 0.0)
    X /= X.sum(axis=1, keepdims=True)
    return [tuple(r) for r in X.tolist()], [tuple(r) for r in X.round(9).tolist()]


def _payoffs(game: NormalFormGame, profile: tuple[tuple, tuple]) -> tuple:
    """:math:`(x^\\top A y, x^\\top B y)`, in Fractions for an exact game and profile."""
    x, y = profile
    if game.exact:
        A, B = game.payoffs[0], game.payoffs[1]
        xs = np.array(x, dtype=object)
        ys = np.array(y, dtype=object)
        return (xs @ A @ ys, xs @ B @ ys)
    A, B = game.float_payoffs[0], game.float_payoffs[1]
    xs, ys = np.asarray(x), np.asarray(y)
    return (float(xs @ A @ ys), float(xs @ B @ ys))


def enummixed(game: NormalFormGame, *, deadline: Deadline = Deadline.NONE, exact: bool = False) -> Solution:
    """Every extreme Nash equilibrium of a two-player game and the maximal Nash subsets
    (``components``), degenerate games included. See the module docstring for the algorithm
    (Avis, Rosenberg, Savani, von Stengel 2010). ``exact`` (or an exact game) gives Fraction
    probabilities and payoffs, each equilibrium with regret exactly 0."""
    use_exact = bool(exact or game.exact)
    g = game.as_exact() if use_exact else game
    xs, ys, edges, finished, dropped = extreme_equilibria(g, exact=use_exact, deadline=deadline)
    tol = payoff_tolerance(g) * 10
    if not use_exact and edges:
        X = np.array([xs[a] for a, _ in edges])
        Y = np.array([ys[b] for _, b in edges])
        pay = (X @ g.float_payoffs * Y).sum(axis=2).T.tolist()  # x^T A y, x^T B y per edge
    eqs: list[tuple[Equilibrium, tuple[int, int]]] = []
    for k, e in enumerate(edges):
        profile = (xs[e[0]], ys[e[1]])
        gain = profile_gain(g, profile)  # the solver's own candidate check; the certificate is the dispatcher's
        if (gain != 0) if use_exact else (gain > tol):
            dropped += 1
            continue
        payoffs = _payoffs(g, profile) if use_exact else tuple(pay[k])
        pure = all(sum(1 for p in s if p != 0) == 1 for s in profile)
        eqs.append(
            (Equilibrium(strategies=profile, payoffs=payoffs, regret=None, label="pure" if pure else "mixed"), e)
        )
    eqs.sort(key=lambda t: sort_key_profile(t[0].strategies))
    index = {e: k for k, (_, e) in enumerate(eqs)}
    components: list[tuple[int, ...]] = []
    kept = [e for _, e in eqs]
    if len({x for x, _ in kept}) == len(kept) == len({y for _, y in kept}):
        components = [(k,) for k in range(len(eqs))]  # no shared strategy: every one alone
    else:
        try:
            for X_, Y_ in _maximal_bicliques(kept, deadline):
                components.append(tuple(sorted(index[(x, y)] for x in X_ for y in Y_)))
        except BudgetExceeded:
            finished = False
            components = [(k,) for k in range(len(eqs))]
    components.sort()
    messages = []
    hints: list[str] = []
    if not finished:
        messages.append(deadline.message())
    if dropped:
        messages.append(
            f"{dropped} candidate profile(s) failed the regret check and were left out; "
            "the list may be incomplete"
        )
        hints.append("exact")
    return Solution(
        game=game,
        concept="nash",
        method="enummixed",
        equilibria=tuple(eq for eq, _ in eqs),
        complete=finished and not dropped,
        exact=use_exact,
        components=tuple(components),
        message="; ".join(messages) or None,
        extra={"hints": hints} if hints else {},
    )


register(
    Method(
        name="enummixed",
        kinds=("normal",),
        concept="nash",
        function=enummixed,
        summary="all extreme equilibria and maximal Nash subsets of a two-player game (complete)",
        players="2",
    )
)
