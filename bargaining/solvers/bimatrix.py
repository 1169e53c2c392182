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
4. *Exact answers and scale.* Exact mode (``exact=True`` or an exact game) maps each player's
   payoffs onto positive integers and decides every vertex and label in integer arithmetic
   (:mod:`bargaining.solvers.bimatrix_exact`), for payoffs of any size. Float mode normalises
   each player's payoffs onto [1, 2] and falls back to exact mode when the payoffs are too finely
   spread, a label is within round-off, or an equilibrium's range-relative regret exceeds 1e-9.
   Identical constraints (a player's strategies with equal payoffs for that player) are merged.
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
from functools import lru_cache
from itertools import combinations
from typing import Any

import numpy as np

from bargaining.errors import SolverError
from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Equilibrium, Solution, sort_key_profile
from bargaining.solvers.bimatrix_exact import (
    MIN_RESOLUTION,
    distinct_columns,
    exact_vertices,
    expand_labels,
    integer_payoffs,
    normalised_payoffs,
)
from bargaining.solvers.bimatrix_sets import (
    connected_components,
    equilibrium_index,
    is_simplex_face,
    positive_payoffs,
    subset_dimension,
)
from bargaining.solvers.budget import BudgetExceeded, Deadline
from bargaining.solvers.profile_eval import payoff_tolerance
from bargaining.solvers.registry import Method, register

__all__ = ["enummixed", "polytope_vertices", "extreme_equilibria"]

_CHUNK = 60_000  # systems solved per numpy call (memory: CHUNK * k * k floats)
_SMALL = 300  # up to this many bases (5x5), one padded stack for all support sizes (measured)
_FLOAT_TOL = 1e-9
_AMBIGUOUS = 1e-6  # float values in (_FLOAT_TOL, _AMBIGUOUS] could be zeros or not
_INT_RANGE = 2**16  # integer payoffs up to this range use the scaled-rounding labels in float mode


# -- step 1-2: vertices of {x >= 0 : M^T x <= 1} ------------------------------------------------
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
        Rs.append(R)
        Cs.append(C)
        pads.append(pad)
        rhss.append(rhs)
        Spads.append(Spad)
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
    MP: np.ndarray, MQ: np.ndarray, integer: bool, flags: dict[str, bool] | None = None
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
    if flags is not None:
        _flag_ambiguous(T[valid], integer, flags)
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
    M: np.ndarray,
    *,
    integer: bool,
    deadline: Deadline | None = None,
    within: np.ndarray | None = None,
    flags: dict[str, bool] | None = None,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Vertices :math:`x \\ne 0` of :math:`\\{x \\ge 0 : M^\\top x \\le 1\\}` for a positive
    ``m × n`` matrix ``M``.

    Returns ``(X, L, finished)``: coordinates ``X`` (N, m), labels ``L`` (N, m + n) booleans
    (label ``i < m``: :math:`x_i = 0`; label ``m + j``: column j tight), one row per distinct
    vertex, and whether every basis was tried before the deadline. ``integer=True`` asserts that
    ``M`` holds integers, so labels are read exactly by rounding ``x · det``. ``within`` (a boolean
    matrix, one candidate set per row) restricts the search to vertices whose support lies in one
    of the sets (other vertices may be returned too). ``flags["ambiguous"]`` is set when some
    coordinate or slack fell in the zone where float round-off could decide a label either way
    (then the caller solves exactly).
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
            X, L = _vertices_batch(M, sub, rhs, Spad, 1, integer, flags)
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
                    X, L = _vertices_batch(M, sub, ones, S, len(Jc), integer, flags)
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
    M: np.ndarray,
    sub: np.ndarray,
    rhs: np.ndarray,
    S: np.ndarray,
    per_support: int,
    integer: bool,
    flags: dict[str, bool] | None = None,
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
    if flags is not None:
        T = np.concatenate([zx, zs], axis=1) if integer else np.concatenate([X, slack], axis=1)
        _flag_ambiguous(T[np.all(T > (-0.5 if integer else -_AMBIGUOUS), axis=1)], integer, flags)
    X = np.where(Lx, 0.0, X)
    L = np.concatenate([Lx, Ls], axis=1)
    return X[feasible], L[feasible]


def _flag_ambiguous(T: np.ndarray, integer: bool, flags: dict[str, bool]) -> None:
    """Set ``flags["ambiguous"]`` if a value of ``T`` (coordinates and slacks of candidate
    vertices) is neither clearly zero nor clearly nonzero: for integer games a scaled value
    (an integer up to round-off) in [0.05, 0.95]; for normalised float games a value in
    (1e-9, 1e-6]."""
    if not T.size or flags.get("ambiguous"):
        return
    a = np.abs(T)
    if integer:
        r = np.abs(a - np.round(a))
        bad = np.any(r > 0.05)
    else:
        bad = np.any((a > _FLOAT_TOL) & (a <= _AMBIGUOUS))
    if bad:
        flags["ambiguous"] = True


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
            rows, cols = np.nonzero((cp[:, None] | cq[None, :]) == full)
            return rows, cols
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
    profiles failed the certificate (always 0 here; kept for callers).

    ``exact=True``: every decision in integer arithmetic (:func:`exact_vertices` on each player's
    payoffs mapped onto positive integers), Fraction strategies. ``exact=False``: float
    enumeration on each player's payoffs normalised to [1, 2] (or shifted integers for integer
    payoffs of range up to ``2**16``); raises :class:`FloatInconclusive` when the payoffs are too
    finely spread for floats (:data:`MIN_RESOLUTION`) or some label was decided within round-off.

    Identical constraints of a polytope (strategies of one player that give that player the same
    payoffs against every opposing strategy, such as every strategy of a player whose payoffs are
    constant) are merged before the enumeration and expanded afterwards, so that a degenerate
    vertex reached by exponentially many bases is found by one.
    """
    if game.num_players != 2:
        raise SolverError(f"enummixed needs a two-player game; this one has {game.num_players}")
    m, n = game.shape
    finished = True
    if exact:
        A, B = game.as_exact().payoffs
        MP, MQ = integer_payoffs(B), integer_payoffs(np.asarray(A).T)
        keep_p, own_p = distinct_columns(MP)
        keep_q, own_q = distinct_columns(MQ)
        sp, Lp, ok = exact_vertices(MP[:, keep_p], deadline=deadline)
        finished &= ok
        Lp = expand_labels(Lp, m, own_p)
        sq, Lq_local, ok = exact_vertices(MQ[:, keep_q], deadline=deadline, within=Lp[:, m:])
        finished &= ok
        Lq_local = expand_labels(Lq_local, n, own_q)
        Lq = np.concatenate([Lq_local[:, n:], Lq_local[:, :n]], axis=1)
        Xp = Yq = None
    else:
        A, B = game.float_payoffs[0], game.float_payoffs[1]
        (MP, intP), (MQ, intQ) = _polytope_matrix(B), _polytope_matrix(A.T)
        keep_p, own_p = distinct_columns(MP)
        keep_q, own_q = distinct_columns(MQ)
        flags: dict[str, bool] = {}
        merged = len(keep_p) < n or len(keep_q) < m
        if not merged and intP == intQ and m + n <= 61 and math.comb(m + n, m) <= _SMALL:
            Xp, Lp, Yq, Lq = _pair_vertices(MP, MQ, intP, flags)
        else:
            Xp, Lp, ok = polytope_vertices(MP[:, keep_p], integer=intP, deadline=deadline, flags=flags)
            finished &= ok
            Lp = expand_labels(Lp, m, own_p)
            Yq, Lq_local, ok = polytope_vertices(
                MQ[:, keep_q], integer=intQ, deadline=deadline, within=Lp[:, m:], flags=flags
            )
            finished &= ok
            Lq_local = expand_labels(Lq_local, n, own_q)
            # Q's local labels: j < n is y_j = 0 (global m + j); n + i is row i tight (global i)
            Lq = np.concatenate([Lq_local[:, n:], Lq_local[:, :n]], axis=1)
        if flags.get("ambiguous"):
            raise FloatInconclusive("a label was decided within float round-off")
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
        sp = [sp[a] for a in used_p]
        sq = [sq[b] for b in used_q]
        kp, kq = sp, sq
    else:
        assert Xp is not None and Yq is not None  # the float branch above sets them
        sp, kp = _normalised(Xp[used_p])
        sq, kq = _normalised(Yq[used_q])
    # merge equal strategies (a vertex found twice under float noise), keep the order
    xs: list[tuple] = []
    ys: list[tuple] = []
    xi: dict[Any, int] = {}
    yi: dict[Any, int] = {}
    edges: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    for a, b in zip(inv_p, inv_q):
        x, y = sp[a], sq[b]
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
    return xs, ys, edges, finished, 0


class FloatInconclusive(Exception):
    """Float enumeration cannot be trusted for this game (the caller solves exactly)."""


def _polytope_matrix(U: np.ndarray) -> tuple[np.ndarray, bool]:
    """The positive matrix of one polytope from a player's payoffs ``U`` and whether it holds
    integers: ``U - min U + 1`` for integer payoffs of range up to :data:`_INT_RANGE`, else
    :func:`normalised_payoffs` (onto [1, 2]); raises :class:`FloatInconclusive` when two
    distinct normalised payoffs are closer than :data:`MIN_RESOLUTION`."""
    F = np.asarray(U, dtype=np.float64)
    if F.size and np.all(np.isfinite(F)) and np.all(F == np.round(F)):
        lo, hi = float(F.min()), float(F.max())
        if hi - lo <= _INT_RANGE:
            return F - lo + 1.0, True
    N = normalised_payoffs(F)
    u = np.sort(N, axis=None)
    d = u[1:] - u[:-1]
    if d.size and float(np.min(d, initial=np.inf, where=d > 0)) < MIN_RESOLUTION:
        raise FloatInconclusive("payoffs differ by less than 1e-6 of their range")
    return N, False


def _normalised(X: np.ndarray) -> tuple[list[tuple], list[tuple]]:
    """Rows of ``X`` (vertices, ``x >= 0``) scaled to probability vectors, as tuples of floats,
    and the keys that merge equal ones (rounded to 9 decimals)."""
    X = np.maximum(X, 0.0)
    X /= X.sum(axis=1, keepdims=True)
    return [tuple(r) for r in X.tolist()], [tuple(r) for r in X.round(9).tolist()]


def _edge_gains(
    game: NormalFormGame, xs: list, ys: list, edges: list, exact: bool
) -> tuple[np.ndarray, list[tuple]]:
    """For every edge ``(a, b)`` (the profile ``(xs[a], ys[b])``), in one vectorised step: the
    largest gain of a player from a pure deviation, :math:`\\max(\\max_i (Ay)_i - x^\\top Ay,\\;
    \\max_j (x^\\top B)_j - x^\\top By)`, and the payoffs :math:`(x^\\top Ay, x^\\top By)`.
    Exact (object arrays of Fractions) for ``exact``, else floats."""
    if not edges:
        return np.zeros(0), []
    ia = [a for a, _ in edges]
    ib = [b for _, b in edges]
    if exact:
        A, B = game.payoffs[0], game.payoffs[1]
        X = np.array([xs[a] for a in ia], dtype=object).reshape(len(edges), -1)
        Y = np.array([ys[b] for b in ib], dtype=object).reshape(len(edges), -1)
    else:
        A, B = game.float_payoffs[0], game.float_payoffs[1]
        X = np.array([xs[a] for a in ia], dtype=float)
        Y = np.array([ys[b] for b in ib], dtype=float)
    ra = Y @ A.T  # (E, m): each row's payoff against y
    cb = X @ B  # (E, n): each column's payoff against x
    ua = (X * ra).sum(axis=1)
    ub = (Y * cb).sum(axis=1)
    gains = np.maximum(ra.max(axis=1) - ua, cb.max(axis=1) - ub)
    return gains, list(zip(ua.tolist(), ub.tolist()))


# a maximal Nash subset that is a product of simplices with more vertices than this is described
# in ``equilibrium_sets`` without listing its vertices among the equilibria
LIST_LIMIT = 100


def _normalised_regret_ok(
    game: NormalFormGame, xs: list, ys: list, edges: list, normalised: tuple[np.ndarray, np.ndarray]
) -> bool:
    """The solver's own check in float mode: each profile's regret, with each player's payoffs
    normalised to [1, 2] (``normalised``, from :func:`normalised_payoffs`, so the check is
    relative to the player's payoff range and blind to the payoffs' magnitude), is at most 1e-9."""
    if not edges:
        return True
    A, B = normalised
    X = np.array([xs[a] for a, _ in edges], dtype=float)
    Y = np.array([ys[b] for _, b in edges], dtype=float)
    ra = Y @ A.T  # (E, m): row payoffs against y
    cb = X @ B  # (E, n)
    reg_a = ra.max(axis=1) - np.einsum("em,em->e", X, ra)
    reg_b = cb.max(axis=1) - np.einsum("en,en->e", Y, cb)
    return bool(np.all(np.maximum(reg_a, reg_b) <= 1e-9))


def enummixed(game: NormalFormGame, *, deadline: Deadline = Deadline.NONE, exact: bool = False) -> Solution:
    """Every extreme Nash equilibrium of a two-player game, the maximal Nash subsets
    (``components``, also ``maximal_nash_subsets``), the connected components
    (``connected_components``: lists of subset indices) and a description of each set
    (``equilibrium_sets``), degenerate games included. See the module docstring for the
    algorithm (Avis, Rosenberg, Savani, von Stengel 2010). ``exact`` (or an exact game) gives
    Fraction probabilities and payoffs, each equilibrium with regret exactly 0.

    Float mode works on each player's payoffs normalised to [1, 2] and checks each equilibrium's
    regret relative to the player's payoff range (at most 1e-9); when the payoffs are too finely
    spread for floats, a label is decided within round-off, or that check fails, the game is
    solved again in exact arithmetic (the float payoffs read exactly) and the message says so."""
    use_exact = bool(exact or game.exact)
    g = game.as_exact() if use_exact else game
    notes: list[str] = []
    positive = None  # both players' payoffs made positive (for the index), computed once
    if use_exact:
        xs, ys, edges, finished, dropped = extreme_equilibria(g, exact=True, deadline=deadline)
    else:
        try:
            xs, ys, edges, finished, dropped = extreme_equilibria(g, exact=False, deadline=deadline)
            positive = (normalised_payoffs(g.float_payoffs[0]), normalised_payoffs(g.float_payoffs[1]))
            if not _normalised_regret_ok(g, xs, ys, edges, positive):
                raise FloatInconclusive("an equilibrium failed the float regret check")
        except FloatInconclusive as why:
            positive = None
            xs, ys, edges, finished, dropped = extreme_equilibria(g.as_exact(), exact=True, deadline=deadline)
            xs = [tuple(float(v) for v in x) for x in xs]
            ys = [tuple(float(v) for v in y) for y in ys]
            notes.append(f"float arithmetic was not conclusive ({why}); solved in exact arithmetic")
    # the solver's own candidate check, all edges at once (the certificate is the dispatcher's)
    gains, pay = _edge_gains(g, xs, ys, edges, use_exact)
    bad = (gains != 0) if use_exact else (gains > payoff_tolerance(g) * 10)
    # maximal Nash subsets, on the extreme equilibria
    if len({x for x, _ in edges}) == len(edges) == len({y for _, y in edges}):
        bicliques = [(frozenset([x]), frozenset([y])) for x, y in edges]
    else:
        try:
            bicliques = _maximal_bicliques(edges, deadline)
        except BudgetExceeded:
            finished = False
            bicliques = [(frozenset([x]), frozenset([y])) for x, y in edges]
    # large products of simplices are described, not listed vertex by vertex
    hidden: set[tuple[int, int]] = set()
    collapsed: set[int] = set()
    for k, (X_, Y_) in enumerate(bicliques):
        if (
            len(X_) * len(Y_) > LIST_LIMIT
            and is_simplex_face([xs[a] for a in X_])
            and is_simplex_face([ys[b] for b in Y_])
        ):
            collapsed.add(k)
            hidden |= {(a, b) for a in X_ for b in Y_}
    eqs: list[tuple[Equilibrium, tuple[int, int]]] = []
    for k, e in enumerate(edges):
        if e in hidden:
            continue
        profile = (xs[e[0]], ys[e[1]])
        if bad[k]:
            dropped += 1
            continue
        payoffs = pay[k]
        pure = all(sum(1 for p in s if p != 0) == 1 for s in profile)
        eqs.append(
            (
                Equilibrium(
                    strategies=profile, payoffs=payoffs, regret=None, label="pure" if pure else "mixed"
                ),
                e,
            )
        )
    eqs.sort(key=lambda t: sort_key_profile(t[0].mixed_profile))
    index = {e: k for k, (_, e) in enumerate(eqs)}
    subsets = sorted(
        (
            tuple(sorted(index[(x, y)] for x in X_ for y in Y_ if (x, y) in index)),
            sorted(X_),
            sorted(Y_),
            k in collapsed,
        )
        for k, (X_, Y_) in enumerate(bicliques)
    )
    components = [s[0] for s in subsets]
    point_sets = [([xs[a] for a in X_], [ys[b] for b in Y_]) for _, X_, Y_, _ in subsets]
    connected = connected_components(point_sets)
    sets = []
    for (idx, _xs, _ys, big), (px, py) in zip(subsets, point_sets):
        supports = [
            [game.strategies[0][i] for i in range(game.shape[0]) if any(x[i] != 0 for x in px)],
            [game.strategies[1][j] for j in range(game.shape[1]) if any(y[j] != 0 for y in py)],
        ]
        entry: dict[str, Any] = {
            "equilibria": list(idx),
            "supports": supports,
            "dimension": subset_dimension(px, py),
            "extreme_strategies": [len(px), len(py)],
        }
        if is_simplex_face(px) and is_simplex_face(py):
            entry["description"] = "every profile with these supports (a product of simplices)"
        if big:
            entry["vertices_listed"] = False
            entry["vertex_count"] = len(px) * len(py)
        sets.append(entry)
    comp_info = []
    A_, B_ = (g.payoffs[0], g.payoffs[1]) if use_exact else (g.float_payoffs[0], g.float_payoffs[1])
    for comp in connected:
        ind = None
        if len(comp) == 1 and len(point_sets[comp[0]][0]) == 1 and len(point_sets[comp[0]][1]) == 1:
            if positive is None:
                positive = positive_payoffs(A_, B_, use_exact)
            x_, y_ = point_sets[comp[0]][0][0], point_sets[comp[0]][1][0]
            ind = equilibrium_index(A_, B_, x_, y_, use_exact, positive=positive)
        comp_info.append({"subsets": comp, "index": ind})
    messages = list(notes)
    if not finished:
        messages.append(deadline.message())
    hints: list[str] = []
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
        extra={
            "maximal_nash_subsets": [list(c) for c in components],
            "connected_components": [c["subsets"] for c in comp_info],
            "component_index": [c["index"] for c in comp_info],
            "equilibrium_sets": sets,
            **({"hints": hints} if hints else {}),
        },
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
