r"""Solve whole stacks of small games at once with numpy (for sweeps): no Python loop per game.

**All Nash equilibria of small bimatrix games** (2×2, 2×n, 3×3, ... up to about 4×4), by
vertex enumeration of the best-response polytopes, vectorised over a stack of ``G`` games.

For an ``m × n`` bimatrix game ``(A, B)`` with (after adding a constant) positive payoffs, the
best-response polytopes are (von Stengel 2007, "Equilibrium computation for two-player games in
strategic and extensive form", AGT ch. 3, §3.2; Avis, Rosenberg, Savani, von Stengel 2010,
"Enumeration of Nash equilibria for two-player games", Econ. Theory 42)

.. math::

    P = \{x \in \mathbb{R}^m : x \ge 0,\; B^\top x \le 1\},\qquad
    Q = \{y \in \mathbb{R}^n : A y \le 1,\; y \ge 0\}.

Label the ``m + n`` inequalities ``0..m-1`` (row strategies: :math:`x_i = 0` in ``P``,
:math:`(Ay)_i = 1` in ``Q``) and ``m..m+n-1`` (column strategies: :math:`(B^\top x)_j = 1` in
``P``, :math:`y_j = 0` in ``Q``). A pair of vertices :math:`(x, y) \ne (0, 0)` whose labels
together cover all ``m + n`` labels, rescaled to probability vectors, is an **extreme Nash
equilibrium**, and every extreme equilibrium arises so, degenerate games included (Avis et al.
2010, Thm. 2); every Nash equilibrium is a convex combination of extreme equilibria that lie in
one maximal Nash subset. This is what ``lrsnash`` and Gambit's ``enummixed`` list.

Steps, each one array operation over the stack: (1) for every ``m``-subset of labels solve the
``m × m`` system that makes those inequalities tight (``numpy.linalg.solve`` on a
``(G, C, m, m)`` array; singular subsets are masked out), keep the feasible solutions and compute
*all* their tight labels (a degenerate vertex has more than ``m``); same for ``Q`` with
``n``-subsets. (2) For every pair of vertices, test complete labelling with a bitwise OR of the
label masks. (3) Normalise, drop duplicate pairs (a degenerate vertex is reached from several
subsets), and sort each game's equilibria in the order of
:func:`bargaining.model.profile.sort_key_profile` (pure before mixed, then by the profile).
The expected payoffs and the regret certificate are computed from the original payoffs,
independently of the enumeration. The cost per game is
:math:`\binom{m+n}{m}^2` pair tests, tiny for the small games of sweeps.

That per-subset loop is the plain kernel (``kernel="vertex"``). The default (``kernel="auto"``)
solves nondegenerate 2×2 games in closed form (:mod:`bargaining.solvers.batch_small`) and every
other game of a shape up to 3×4 / 4×3 by :mod:`bargaining.solvers.batch_vertex`: all label
subsets of all games of a chunk in one array pass (each subset reduced to its tight rows and
support), duplicate vertices removed by their label sets, and the complete pairs found by a
superset table over the label masks, so degenerate games (ties, weakly dominated strategies,
equilibrium segments) need no per-game or all-pairs fallback. Games with small integer payoffs
(:func:`small_integer_games`) have every label decision far from the tolerances, so their rows
skip the near-duplicate test; the few games flagged ``uncertain`` keep the plain kernel.

**Subgame-perfect equilibria of a stack of perfect-information trees** of one shape (chance
nodes allowed), :func:`tree_spe_stack`: backward induction (Kuhn 1953; Osborne and Rubinstein
1994, Prop. 99.2) one tree level at a time, each level one set of numpy reductions over all
games and all nodes of the level. A game where some mover has two optimal actions at some node
(a tie) has several SPE; it is flagged (``tie``) and left to the per-game ``backward`` solver,
which lists them all. The certificate ``regret`` is computed by separate passes: for each
player, the value of a best response in every subgame against the others' computed choices,
minus the profile's value (zero iff the profile is subgame perfect). Two-type signaling games
are batched in ``bargaining.solvers.signaling_batch``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from bargaining.errors import GameValidationError
from bargaining.solvers.batch_small import solve_chunk_2x2
from bargaining.solvers.batch_vertex import cofactor_det, fast_shape, vertex_pairs

__all__ = [
    "BimatrixBatch",
    "bimatrix_equilibria",
    "normalise_stack",
    "small_integer_games",
    "stack_resolution",
    "stack_bimatrix",
    "MAX_BATCH_LABELS",
    "TreeStack",
    "tree_spe_stack",
]

MAX_BATCH_LABELS = 9  # m + n; C(9, 4)^2 = 15876 pair tests per game
_SUB_BATCH = 1 << 14  # games per chunk (cache-sized; measured)
_SUB_BATCH_2X2 = 1 << 15  # games per chunk of the closed-form 2×2 path
SMALL_INTEGER_SPAN = 64  # see small_integer_games
_SUB_BATCH_FAST = 1 << 12  # games per chunk of the all-subsets path (batch_vertex; cache-sized)
_THREADS = 2  # chunks solved at once


@dataclass(frozen=True)
class BimatrixBatch:
    """The extreme equilibria of a stack of ``G`` bimatrix games, one row per equilibrium.

    ``game[e]`` is the game (0..G-1) of equilibrium ``e``, ``index[e]`` its 0-based position
    among that game's equilibria (the deterministic order of docs/reference/solve.md); rows are sorted by
    ``(game, index)``. ``x`` (E, m) and ``y`` (E, n) are the mixed strategies, ``payoffs`` (E, 2)
    the expected payoffs, ``regret`` (E,) the max regret of the profile, ``count`` (G,) the number
    of equilibria of each game.
    """

    game: np.ndarray
    index: np.ndarray
    x: np.ndarray
    y: np.ndarray
    payoffs: np.ndarray
    regret: np.ndarray
    count: np.ndarray
    uncertain: np.ndarray | None = None  # (G,) games to re-solve one by one (see bimatrix_equilibria)

    @property
    def mixed(self) -> np.ndarray:
        """True where some probability is strictly between 0 and 1."""
        p = np.concatenate([self.x, self.y], axis=1)
        return np.any((p > 0) & (p < 1), axis=1)


def _vertices(M: np.ndarray, first_is_zero_label: bool, tol: float, scale: np.ndarray):
    """Vertices of ``{z >= 0, M z <= 1}`` for a stack, in structure-of-arrays layout.

    ``M`` has shape ``(r, k, G)`` (the stack axis last, so every operation below is one
    elementwise pass over contiguous memory). Labels: in ``P`` (``first_is_zero_label``)
    ``0..k-1`` are ``z_i = 0`` and ``k..k+r-1`` are ``(M z)_j = 1``; in ``Q`` ``0..r-1`` are
    ``(M z)_i = 1`` and ``r..r+k-1`` are ``z_j = 0``. Each ``k``-subset of labels gives a linear
    system, solved by Cramer's rule over the whole stack. Returns ``z`` (C, k, G) unnormalised,
    ``valid`` (C, G) and ``labels`` (C, G) bitmasks.
    """
    r, k, G = M.shape
    zero_labels = set(range(k)) if first_is_zero_label else set(range(r, r + k))
    subsets = [s for s in combinations(range(r + k), k) if not set(s) <= zero_labels]
    C = len(subsets)
    Z = np.zeros((C, k, G))
    valid = np.zeros((C, G), dtype=bool)
    labels = np.zeros((C, G), dtype=np.int16)
    bit_zero = [1 << (i if first_is_zero_label else r + i) for i in range(k)]
    bit_tight = [1 << (k + j if first_is_zero_label else j) for j in range(r)]
    thresh = 1e-12 * scale**k
    for c, s in enumerate(subsets):
        rows: list[list[Any]] = []
        rhs: list[float] = []
        for lab in s:
            if lab in zero_labels:
                i = lab if first_is_zero_label else lab - r
                rows.append([1.0 if t == i else 0.0 for t in range(k)])
                rhs.append(0.0)
            else:
                j = lab - k if first_is_zero_label else lab
                rows.append([M[j, t] for t in range(k)])
                rhs.append(1.0)
        det = cofactor_det(rows)
        ok = np.abs(det) > thresh
        safe = np.where(ok, det, 1.0)
        z = []
        for i in range(k):
            Mi = [row[:i] + [b] + row[i + 1 :] for row, b in zip(rows, rhs)]
            zi = cofactor_det(Mi) / safe
            z.append(np.broadcast_to(zi, (G,)) if np.ndim(zi) == 0 else zi)
        zsum = sum(np.abs(zi) for zi in z)
        eps = tol * np.maximum(zsum, 1e-300)
        feasible = ok.copy()
        lab_mask = np.zeros(G, dtype=np.int16)
        for i in range(k):
            feasible &= z[i] >= -eps
            is_zero = np.abs(z[i]) <= eps
            lab_mask |= np.where(is_zero, bit_zero[i], 0)
            Z[c, i] = np.where(is_zero, 0.0, z[i])
        for j in range(r):
            Mz = sum(M[j, t] * z[t] for t in range(k))
            feasible &= Mz <= 1 + tol
            lab_mask |= np.where(Mz >= 1 - tol, bit_tight[j], 0)
        valid[c] = feasible
        labels[c] = lab_mask
    return Z, valid, labels


def _popcount(masks: np.ndarray) -> np.ndarray:
    """Number of set bits of small non-negative label masks."""
    count = np.zeros(masks.shape, dtype=np.int16)
    rest = masks.astype(np.int16, copy=True)
    while np.any(rest):
        count += rest & 1
        rest >>= 1
    return count


def _solve_sub(Ap: np.ndarray, Bp: np.ndarray, tol: float, lookup: bool = True):
    """Extreme equilibria of a sub-stack with payoffs already normalised onto [1, 2]
    (:func:`normalise_stack`: positive, so P and Q are bounded; equilibria do not change):
    ``(game, x, y)`` arrays, one row per pair found (in no particular order).

    With ``lookup``, the games whose polytopes are simple (every vertex has exactly ``m``
    resp. ``n`` labels: the nondegenerate games, von Stengel 2007, Thm. 3.4) are paired by a
    table lookup instead of the all-pairs test: a vertex ``x`` with label set ``L`` can only be
    completed by the unique ``Q``-vertex whose label set is the complement of ``L``. The other
    (degenerate) games get the all-pairs test."""
    G, m, n = Ap.shape
    # structure of arrays: stack axis last
    Bt = np.ascontiguousarray(np.transpose(Bp, (2, 1, 0)))  # (n, m, G): rows of B^T
    At = np.ascontiguousarray(np.transpose(Ap, (1, 2, 0)))  # (m, n, G): rows of A
    x, vx, lx = _vertices(Bt, True, tol, np.full(G, 2.0))
    y, vy, ly = _vertices(At, False, tol, np.full(G, 2.0))
    full = (1 << (m + n)) - 1
    if lookup:
        degenerate = np.any(vx & (_popcount(lx) != m), axis=0) | np.any(vy & (_popcount(ly) != n), axis=0)
        simple = ~degenerate
        table = np.full((full + 1, G), -1, dtype=np.int16)
        cq, gq = np.nonzero(vy & simple[None, :])
        table[ly[cq, gq], gq] = cq
        match = table[full ^ lx, np.arange(G)[None, :]]  # (C_P, G): the partner of each x-vertex
        cx, g = np.nonzero(vx & simple[None, :] & (match >= 0))
        cy = match[cx, g].astype(np.intp)
        rest = np.flatnonzero(degenerate)
        if rest.size:
            vxd, vyd, lxd, lyd = vx[:, rest], vy[:, rest], lx[:, rest], ly[:, rest]
            pair = vxd[:, None, :] & vyd[None, :, :] & ((lxd[:, None, :] | lyd[None, :, :]) == full)
            cx2, cy2, g2 = np.nonzero(pair)
            cx, cy, g = np.concatenate([cx, cx2]), np.concatenate([cy, cy2]), np.concatenate([g, rest[g2]])
    else:
        pair = vx[:, None, :] & vy[None, :, :] & ((lx[:, None, :] | ly[None, :, :]) == full)
        cx, cy, g = np.nonzero(pair)
    xs = x[cx, :, g]
    ys = y[cy, :, g]
    xs = xs / xs.sum(axis=1, keepdims=True)
    ys = ys / ys.sum(axis=1, keepdims=True)
    return g, xs, ys


def _solve_chunk(A: np.ndarray, B: np.ndarray, tol: float, lookup: bool = True) -> tuple[np.ndarray, ...]:
    """Every step of :func:`bimatrix_equilibria` for one chunk of games: ``(game, x, y, u1, u2,
    regret, uncertain)`` with ``game`` local to the chunk, rows sorted and de-duplicated."""
    G, m, n = A.shape
    fast = lookup and fast_shape(m, n)
    Ap, Bp = normalise_stack(A), normalise_stack(B)
    # games with small integer payoffs: every nonzero slack and every distance between distinct
    # vertices is a rational with a small denominator, far above the tolerances, so they are
    # never uncertain and their pairs need no near-duplicate test
    small = small_integer_games(A) & small_integer_games(B) if fast else np.zeros(G, dtype=bool)
    uncertain = np.zeros(G, dtype=bool)
    other = np.flatnonzero(~small)
    if other.size:
        uncertain[other] = (stack_resolution(Ap[other]) < 1e-6) | (stack_resolution(Bp[other]) < 1e-6)
    if fast:
        # all subsets and games at once, pairs by label sets, each pair once (batch_vertex); the
        # few games too finely spread for clean float decisions keep the plain kernel
        rest = np.flatnonzero(uncertain)
        sure = np.flatnonzero(~uncertain) if rest.size else slice(None)
        g, x, y = vertex_pairs(Ap[sure], Bp[sure], tol)
        if rest.size:
            g = np.flatnonzero(~uncertain)[g]
            g2, x2, y2 = _solve_sub(Ap[rest], Bp[rest], tol, lookup)
            g, x, y = np.concatenate([g, rest[g2]]), np.concatenate([x, x2]), np.concatenate([y, y2])
    else:
        g, x, y = _solve_sub(Ap, Bp, tol, lookup)
    # snap to exact 0/1 where within tolerance, so "pure" is decided cleanly
    p = np.concatenate([x, y], axis=1)
    p = np.where(np.abs(p) <= tol, 0.0, p)
    p = np.where(np.abs(p - 1) <= tol, 1.0, p)
    mixed = np.any((p > 0) & (p < 1), axis=1)
    # order: game, then pure before mixed, then larger probabilities first (sort_key_profile);
    # the keys are rounded so that copies differing in the last bits sort next to each other
    # (as integers: 30 bits per probability, two probabilities per key, descending)
    q = (1 << 30) - 1 - np.rint(p * 1e9).astype(np.int64)
    keys = [q[:, j] << 30 | (q[:, j + 1] if j + 1 < q.shape[1] else 0) for j in range(0, q.shape[1], 2)]
    order = np.lexsort(keys[::-1] + [g.astype(np.int64) << 1 | mixed])
    g, p = g[order], p[order]
    # drop copies (a degenerate vertex is reached from several label subsets): compare each
    # equilibrium with the earlier ones of its game that are kept
    keep = np.ones(len(g), dtype=bool)
    if len(g) > 1:
        # position of each row within its game's run; at distance d only rows at position >= d
        # have an earlier row of their game to compare with (work: sum of count² over games)
        counts = np.bincount(g)
        pos = np.arange(len(g)) - (np.cumsum(counts) - counts)[g]
        rows = np.flatnonzero((pos >= 1) & ~small[g])
        d = 1
        while rows.size:
            same = keep[rows - d] & np.all(np.abs(p[rows] - p[rows - d]) <= 1e3 * tol, axis=1)
            keep[rows[same]] = False
            d += 1
            rows = rows[pos[rows] >= d]
        g, p = g[keep], p[keep]
    x, y = p[:, :m], p[:, m:]
    Ag, Bg = A[g], B[g]
    Ay = np.einsum("emn,en->em", Ag, y)
    xB = np.einsum("em,emn->en", x, Bg)
    u1 = np.einsum("em,em->e", x, Ay)
    u2 = np.einsum("en,en->e", xB, y)
    regret = np.maximum(np.maximum(Ay.max(axis=1) - u1, xB.max(axis=1) - u2), 0.0)
    return g, x, y, u1, u2, regret, uncertain


def normalise_stack(U: np.ndarray) -> np.ndarray:
    """Each game's matrix of a stack ``(G, m, n)`` mapped affinely onto [1, 2] (all ones if
    constant), dividing by ``max |U|`` first so that payoffs near 1e308 do not overflow.
    (Computed with the stack axis last, where the per-game reductions are elementwise passes.)"""
    G, m, n = U.shape
    T = np.ascontiguousarray(U.reshape(G, m * n).T)
    s = np.max(np.abs(T), axis=0)
    V = T / np.where(s > 0, s, 1.0)
    lo = V.min(axis=0)
    span = V.max(axis=0) - lo
    N = np.where(span > 0, (V - lo) / np.where(span > 0, span, 1.0), 0.0) + 1.0
    return np.ascontiguousarray(N.T).reshape(G, m, n)


def small_integer_games(U: np.ndarray) -> np.ndarray:
    r"""Per game of a stack ``(G, m, n)``: all payoffs are integers of magnitude at most 2**20
    spanning at most :data:`SMALL_INTEGER_SPAN` ``= s``.

    For such a game every label decision of the float kernels is exact. Normalised onto [1, 2],
    the payoffs are ``(s' + a) / s'`` with integers ``0 <= a <= s' <= s``; a ``t × t`` system of
    the vertex enumeration (``t <= 3`` for the shapes of :mod:`bargaining.solvers.batch_vertex`)
    scaled by ``s'`` has an integer matrix with entries at most ``2 s`` and determinant
    ``D' <= t! (2 s)^t``, so a relative slack :math:`(Mz)_j - 1` and a relative coordinate
    :math:`z_i / \sum z` are either exactly 0 (computed to round-off, about 1e-16) or at least
    ``1 / (t! (2 s)^t)`` (``8e-8`` for ``s = 64``) resp. ``1 / (k t! (2 s)^{t-1})``, far from
    the tolerance 1e-9. Two label subsets of one vertex then get the same label set, so the
    pairs need no near-duplicate test, and the payoffs are never too finely spread
    (``uncertain``: a gap of at least ``1 / s``)."""
    T = np.ascontiguousarray(U.reshape(len(U), -1).T)  # stack axis last: elementwise reductions
    hi, lo = T.max(axis=0), T.min(axis=0)
    whole = np.all(T == np.rint(T), axis=0)
    return whole & (hi - lo <= SMALL_INTEGER_SPAN) & (np.maximum(hi, -lo) <= 1 << 20)


def stack_resolution(N: np.ndarray) -> np.ndarray:
    """Per game of a normalised stack, the smallest gap between two distinct payoffs (inf when
    all are equal)."""
    flat = np.sort(N.reshape(len(N), -1), axis=1)
    d = np.diff(flat, axis=1)
    return np.where(d > 0, d, np.inf).min(axis=1, initial=np.inf)


def bimatrix_equilibria(A: Any, B: Any, tol: float = 1e-9, *, kernel: str = "auto") -> BimatrixBatch:
    """All extreme Nash equilibria of each game of a stack: ``A``, ``B`` of shape (G, m, n).

    Complete for every game (degenerate ones included) up to floating-point tolerance ``tol``
    relative to each player's payoff range: each player's payoffs are normalised to [1, 2]
    per game (:func:`normalise_stack`). Games whose payoffs are too finely spread for that
    (two distinct payoffs of one player closer than 1e-6 of the player's range) are flagged in
    ``uncertain``: solve those one by one (``enummixed`` falls back to exact arithmetic). Games
    are processed in sub-batches of :data:`_SUB_BATCH` to bound memory.

    ``kernel="auto"`` solves nondegenerate 2×2 games in closed form
    (:func:`bargaining.solvers.batch_small.solve_chunk_2x2`, same output), every other game of a
    shape accepted by :func:`bargaining.solvers.batch_vertex.fast_shape` (up to 3×4 and 4×3) by
    the all-subsets enumeration of :mod:`bargaining.solvers.batch_vertex` (same output), and
    larger shapes by the plain vertex enumeration; ``kernel="vertex"`` uses the plain vertex
    enumeration for every game. Memory grows with ``G`` only through the output: for sweeps,
    call this once per streamed chunk of games (peak memory is then flat in the number of
    games; ``benchmarks/batch_kernels.py --memory`` measures it).
    """
    if kernel not in ("auto", "vertex"):
        raise GameValidationError(f"bimatrix_equilibria: unknown kernel {kernel!r}; use 'auto' or 'vertex'")
    A = np.asarray(A, dtype=np.float64)
    B = np.asarray(B, dtype=np.float64)
    if A.ndim != 3 or A.shape != B.shape:
        raise GameValidationError(f"expected two stacks of shape (G, m, n), got {A.shape} and {B.shape}")
    G, m, n = A.shape
    if m + n > MAX_BATCH_LABELS:
        raise GameValidationError(f"batched enumeration handles m + n <= {MAX_BATCH_LABELS}; got {m}×{n}")
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(B))):
        raise GameValidationError("payoffs must be finite numbers (no NaN or infinity)")
    c_p, c_q = math.comb(m + n, m) - 1, math.comb(m + n, n) - 1
    # chunks small enough to stay in cache (and to bound memory: the (C_P, C_Q, chunk) pair
    # mask), solved by two threads (numpy releases the GIL in its array loops)
    step = int(min(_SUB_BATCH, max(1024, 3e7 // (c_p * c_q))))
    if kernel == "auto" and fast_shape(m, n):
        step = _SUB_BATCH_FAST
    closed_form = kernel == "auto" and (m, n) == (2, 2)
    if closed_form:
        step = _SUB_BATCH_2X2
    starts = list(range(0, G, step))

    def run(s: int) -> tuple[np.ndarray, ...]:
        if closed_form:
            return solve_chunk_2x2(A[s : s + step], B[s : s + step], tol, _solve_chunk)
        return _solve_chunk(A[s : s + step], B[s : s + step], tol, kernel == "auto")

    if len(starts) > 1 and _THREADS > 1:
        with ThreadPoolExecutor(_THREADS) as pool:
            parts = list(pool.map(run, starts))
    else:
        parts = [run(s) for s in starts]
    if parts:
        g = np.concatenate([part[0] + s for part, s in zip(parts, starts)])
        x, y, u1, u2, regret, uncertain = (np.concatenate([part[k] for part in parts]) for k in range(1, 7))
    else:
        g = np.zeros(0, dtype=np.int64)
        x, y = np.zeros((0, m)), np.zeros((0, n))
        u1 = u2 = regret = np.zeros(0)
        uncertain = np.zeros(0, dtype=bool)
    count = np.bincount(g, minlength=G)
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    index = np.arange(len(g)) - first[g]
    return BimatrixBatch(
        game=g,
        index=index,
        x=x,
        y=y,
        payoffs=np.stack([u1, u2], axis=1),
        regret=regret,
        count=count,
        uncertain=uncertain,
    )


def stack_bimatrix(games: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Stack the payoffs of same-shaped two-player ``NormalFormGame``s into ``(A, B)``."""
    if not games:
        raise GameValidationError("no games to stack")
    shape = games[0].shape
    if len(shape) != 2 or any(g.shape != shape for g in games):
        raise GameValidationError("stack_bimatrix needs two-player games of one shape")
    P = np.stack([g.float_payoffs for g in games])
    return P[:, 0], P[:, 1]


@dataclass(frozen=True)
class TreeStack:
    """SPE of a stack of ``G`` perfect-information trees (see :func:`tree_spe_stack`).

    ``choice`` (G, N): chosen child position at decision nodes (``-1`` elsewhere); ``value``
    (G, n): the payoffs at the root; ``reach`` (G, N): the probability that each node is
    reached; ``tie`` (G,): some mover is indifferent between optimal actions somewhere (several
    SPE: solve those games one by one); ``regret`` (G,): the subgame-perfection certificate."""

    choice: np.ndarray
    value: np.ndarray
    reach: np.ndarray
    tie: np.ndarray
    regret: np.ndarray


def _levels(offsets: np.ndarray, child: np.ndarray) -> list[np.ndarray]:
    counts = np.diff(offsets)
    levels = []
    frontier = np.array([0], dtype=np.int64)
    while frontier.size:
        inner = frontier[counts[frontier] > 0]
        if inner.size == 0:
            break
        levels.append(inner)
        idx = np.concatenate([np.arange(offsets[v], offsets[v + 1]) for v in inner])
        frontier = child[idx]
    return levels


def tree_spe_stack(
    offsets: Any, child: Any, player: Any, payoffs: Any, probs: Any, tol: float = 1e-9
) -> TreeStack:
    """Backward induction on ``G`` trees of one shape at once.

    Structure (shared, the layout of ``ExtensiveGame.to_arrays``): ``offsets`` (N+1,),
    ``child`` (E,), ``player`` (N,) (mover, ``-1`` chance, ``-2`` terminal). Per game:
    ``payoffs`` (G, N, n) (read at terminals) and ``probs`` (G, E) (chance probabilities aligned
    with ``child``). ``tol`` is relative to the largest payoff."""
    offsets = np.asarray(offsets, dtype=np.int64)
    child = np.asarray(child, dtype=np.int64)
    player = np.asarray(player, dtype=np.int64)
    payoffs = np.asarray(payoffs, dtype=np.float64)
    probs = np.asarray(probs, dtype=np.float64)
    G, N, n = payoffs.shape
    counts = np.diff(offsets)
    tol = tol * max(1.0, float(np.max(np.abs(payoffs))) if payoffs.size else 1.0)
    value = payoffs.copy()
    choice = np.full((G, N), -1, dtype=np.int64)
    tie = np.zeros(G, dtype=bool)
    levels = _levels(offsets, child)
    rows = np.arange(G)[:, None]
    plan = []
    for nodes in levels:
        cnt = counts[nodes]
        idx = np.concatenate([np.arange(offsets[v], offsets[v + 1]) for v in nodes])
        starts = np.concatenate([[0], np.cumsum(cnt)[:-1]])
        pos = np.arange(idx.size) - np.repeat(starts, cnt)
        plan.append((nodes, cnt, idx, starts, pos))
    for nodes, cnt, idx, starts, pos in reversed(plan):
        kids = child[idx]
        mover = np.repeat(player[nodes], cnt)
        dec = player[nodes] >= 0
        cv = value[:, kids, np.maximum(mover, 0)]  # (G, K)
        seg_max = np.maximum.reduceat(cv, starts, axis=1)
        hit = cv >= np.repeat(seg_max, cnt, axis=1) - tol
        nhit = np.add.reduceat(hit.astype(np.int64), starts, axis=1)
        tie |= np.any((nhit > 1) & dec[None, :], axis=1)
        first = np.minimum.reduceat(np.where(hit, pos[None, :], np.iinfo(np.int64).max), starts, axis=1)
        if dec.any():
            d_nodes = nodes[dec]
            ch = first[:, dec]
            choice[:, d_nodes] = ch
            value[:, d_nodes] = value[rows, child[offsets[d_nodes][None, :] + ch]]
        if (~dec).any():
            weighted = probs[:, idx][..., None] * value[:, kids]
            sums = np.add.reduceat(weighted, starts, axis=1)
            value[:, nodes[~dec]] = sums[:, ~dec]
    # reach probabilities, top down
    reach = np.zeros((G, N))
    reach[:, 0] = 1.0
    for nodes, cnt, idx, _starts, pos in plan:
        kids = child[idx]
        owner = np.repeat(nodes, cnt)
        is_dec = np.repeat(player[nodes] >= 0, cnt)
        take = np.where(is_dec[None, :], (choice[:, owner] == pos[None, :]).astype(np.float64), probs[:, idx])
        reach[:, kids] = reach[:, owner] * take
    # certificate: best-response values per player in every subgame against the others' choices
    regret = np.zeros(G)
    prof = payoffs.copy()
    br = [payoffs[:, :, i].copy() for i in range(n)]
    for nodes, cnt, idx, starts, pos in reversed(plan):
        kids = child[idx]
        dec = player[nodes] >= 0
        owner_player = np.repeat(player[nodes], cnt)
        chosen = choice[:, np.repeat(nodes, cnt)] == pos[None, :]  # (G, K)
        w = np.where(np.repeat(dec, cnt)[None, :], chosen.astype(np.float64), probs[:, idx])
        prof[:, nodes] = np.add.reduceat(w[..., None] * prof[:, kids], starts, axis=1)
        for i in range(n):
            own = (owner_player == i)[None, :]
            vals = br[i][:, kids]
            best = np.maximum.reduceat(np.where(own, vals, -np.inf), starts, axis=1)
            follow = np.add.reduceat(w * vals, starts, axis=1)
            mine = (player[nodes] == i)[None, :]
            br[i][:, nodes] = np.where(mine, best, follow)
            regret = np.maximum(
                regret, np.max(np.where(mine, br[i][:, nodes] - prof[:, nodes, i], 0.0), axis=1)
            )
    return TreeStack(choice=choice, value=value[:, 0], reach=reach, tie=tie, regret=np.maximum(regret, 0.0))
