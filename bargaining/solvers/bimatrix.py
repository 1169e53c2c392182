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
   Tiny games (2×2 up to 3×4, 2×6, and 4×4 with integer payoffs of a small range) skip numpy
   altogether: their bases are solved by Cramer's rule in Python, integer games in exact
   integers (:mod:`bargaining.solvers.bimatrix_tiny`);
   other small games (up to 36 cells) do the work around the numpy stack, and the checks
   below, in Python floats, where a numpy call costs more than the arithmetic. The Python
   solves round differently from numpy's in the last bit of a probability. With the optional
   ``fast`` extra (numba), games up to 10×10 (9×9 with integer payoffs) go to compiled kernels
   first (:mod:`bargaining.solvers.bimatrix_compiled`: every vertex of :math:`P` whose support
   can hold an equilibrium, then the partners of each in :math:`Q`); on any doubt they decline
   and the paths above decide.
   For larger games only the bases that can hold a vertex of an extreme equilibrium are solved
   (:mod:`bargaining.solvers.bimatrix_prune`, with the proof): a support :math:`S` whose
   strategies are not all undominated against the opposing strategies :math:`N(S)` that can be
   best responses to it (conditional dominance, Porter, Nudelman and Shoham 2008) is skipped,
   and tight sets are drawn from :math:`N(S)` only. The polytope with fewer such bases (say
   :math:`P`) is enumerated first; for the other only supports :math:`T` inside the tight set
   :math:`J(x)` of some vertex :math:`x` of :math:`P`, with
   :math:`\operatorname{supp}(x) \subseteq N(T)`, are tried — the partner of :math:`x` in an
   equilibrium plays only best responses to :math:`x`, and :math:`x` only best responses to
   it. At 10×10 this solves about a fifth to a half of the first polytope's bases and a tenth
   of the second's. Singular bases come back as NaN from one batched solve, and integer games
   compute determinants only for the bases that look feasible.
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
   convex combination within one subset is an equilibrium. When every extreme equilibrium is
   isolated (the common case) these steps have trivial outcomes, written out directly
   (:mod:`bargaining.solvers.bimatrix_isolated`).

The equilibria are listed in the order of :func:`~bargaining.model.profile.sort_key_profile`;
in float mode on the probabilities rounded to 12 decimals, so that round-off (which differs
between the float paths) never decides between profiles that are tied in exact arithmetic.

``complete`` is true when the enumeration finished within ``timeout``; the deadline is polled
between batches, and on timeout the equilibria found among the vertices enumerated so far are
returned with ``complete=False``.

Cost: at most :math:`\binom{m+n}{m}` small solves for :math:`P` (184,756 at 10×10; 35,000 to
100,000 after the pruning on random games) plus the restricted ones for :math:`Q` — fewer than
support enumeration's two solves per pair of equal-size supports, but in batched numpy rather than
compiled loops. Beyond about 14×14 a pivoting vertex enumeration
(lrs-style reverse search, visiting only vertices) would be needed; this module does not
implement it.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from bargaining.errors import SolverError
from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Equilibrium, Solution, sort_key_profile
from bargaining.solvers.bimatrix_compiled import Compiled, compiled_extreme, compiled_fits
from bargaining.solvers.bimatrix_exact import (
    MIN_RESOLUTION,
    distinct_columns,
    exact_vertices,
    expand_labels,
    integer_payoffs,
    normalised_payoffs,
)
from bargaining.solvers.bimatrix_isolated import isolated_solution
from bargaining.solvers.bimatrix_prune import PAIR_MAX, pair_viable
from bargaining.solvers.bimatrix_sets import (
    connected_components,
    distinct_pairs,
    equilibrium_index,
    is_simplex_face,
    maximal_bicliques,
    positive_payoffs,
    subset_dimension,
)
from bargaining.solvers.bimatrix_tiny import (
    edge_gains,
    edge_payoffs,
    index_float,
    normalised_lists,
    pure_index,
    regret_ok,
    small_extreme,
    tiny_extreme,
    tiny_fits,
)
from bargaining.solvers.bimatrix_vertices import (
    SMALL_BASES,
    complementary_pairs,
    pair_vertices,
    polytope_vertices,
    pruned_basis_count,
)
from bargaining.solvers.budget import BudgetExceeded, Deadline
from bargaining.solvers.profile_eval import payoff_tolerance
from bargaining.solvers.registry import Method, register

__all__ = ["enummixed", "polytope_vertices", "extreme_equilibria"]

_ORDER_FROM = 5_000  # from this many bases (7×7: 3,432; 8×8: 12,870) the cheaper polytope goes first
_LIST_CELLS = 36  # float games with up to this many cells are checked in Python floats (measured)
_INT_RANGE = 2**16  # integer payoffs up to this range use the scaled-rounding labels in float mode


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
        if not merged and intP == intQ and m + n <= 61 and math.comb(m + n, m) <= SMALL_BASES:
            Xp, Lp, Yq, Lq = pair_vertices(MP, MQ, intP, flags)
        else:
            # conditional dominance (bimatrix_prune): only bases that can hold an equilibrium
            # vertex; the polytope with fewer such bases goes first, and the second only tries
            # supports that fit a vertex of the first (a partner's support and tight set)
            # (on small shapes with the pair test: a support needs a partner support)
            MPk, MQk = MP[:, keep_p], MQ[:, keep_q]
            sup_p = sup_q = None
            if m + n <= PAIR_MAX:
                sup_p, sup_q = pair_viable(
                    MPk, MQk, MQ, MP, own_p if merged else None, own_q if merged else None, intP, intQ
                )
            q_first = (sup_p is not None or math.comb(m + n, m) > _ORDER_FROM) and pruned_basis_count(
                MQk, MP, own_q, intQ, sup_q
            ) < pruned_basis_count(MPk, MQ, own_p, intP, sup_p)
            P = _Polytope(MPk, MQ, own_p, intP, sup_p, m)
            Q = _Polytope(MQk, MP, own_q, intQ, sup_q, n)
            if not q_first:
                Xp, Lp, Yq, Lq_local, ok = _first_then_second(P, Q, deadline, flags)
            else:
                Yq, Lq_local, Xp, Lp, ok = _first_then_second(Q, P, deadline, flags)
            finished &= ok
            # Q's local labels: j < n is y_j = 0 (global m + j); n + i is row i tight (global i)
            Lq = np.concatenate([Lq_local[:, n:], Lq_local[:, :n]], axis=1)
        if flags.get("ambiguous"):
            raise FloatInconclusive("a label was decided within float round-off")
    try:
        pa, pb = complementary_pairs(Lp, Lq, deadline)
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
    xs, ys, edges = distinct_pairs(zip(inv_p, inv_q), lambda a: (sp[a], kp[a]), lambda b: (sq[b], kq[b]))
    return xs, ys, edges, finished, 0


class _Polytope(NamedTuple):
    """One best-response polytope for :func:`_first_then_second`: its matrix (merged columns),
    the opponent's polytope matrix, the owner of each merged column, whether it holds integers,
    the viable supports (or None) and the number of its own strategies."""

    M: np.ndarray
    other: np.ndarray
    owner: Any
    integer: bool
    supports: Any
    dim: int


def _first_then_second(
    first: _Polytope, second: _Polytope, deadline: Deadline | None, flags: dict[str, bool]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool]:
    """Vertices of ``first``, then of ``second`` restricted to supports inside the tight set of
    a vertex of ``first`` whose support is a best response to them (the partner of an extreme
    equilibrium's vertex). Local labels of each: own zero coordinates, then tight constraints,
    expanded over merged columns. Returns ``(X1, L1, X2, L2, finished)``."""
    X1, L1, ok1 = polytope_vertices(
        first.M,
        integer=first.integer,
        deadline=deadline,
        flags=flags,
        other=first.other,
        owner=first.owner,
        supports=first.supports,
    )
    L1 = expand_labels(L1, first.dim, first.owner)
    X2, L2, ok2 = polytope_vertices(
        second.M,
        integer=second.integer,
        deadline=deadline,
        within=L1[:, first.dim :],
        flags=flags,
        other=second.other,
        owner=second.owner,
        partners=~L1[:, : first.dim],
        supports=second.supports,
    )
    L2 = expand_labels(L2, second.dim, second.owner)
    return X1, L1, X2, L2, ok1 and ok2


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
    m, n = game.shape if game.num_players == 2 else (0, 0)
    # small float games: the checks below in Python floats (numpy calls cost more than the sums)
    lists = not use_exact and game.num_players == 2 and m * n <= _LIST_CELLS
    listed: tuple[list, list] | None = None  # normalised payoffs as lists, when ``lists``
    checked = False  # labels decided in integers (the float checks cannot fail)
    compiled: Compiled | None = None  # the compiled path's answer, with its checks
    if use_exact:
        xs, ys, edges, finished, dropped = extreme_equilibria(g, exact=True, deadline=deadline)
    else:
        try:
            found = None
            # the fast extra (numba): its answer carries the checks below
            if game.num_players == 2 and compiled_fits(m, n, (g.float_payoffs[0], g.float_payoffs[1])):
                compiled = compiled_extreme(g.float_payoffs[0], g.float_payoffs[1])
                if compiled is not None:
                    found = compiled.found
            if compiled is None and lists:
                A_l, B_l = g.float_payoffs[0].tolist(), g.float_payoffs[1].tolist()
                if tiny_fits(m, n):
                    found = tiny_extreme(A_l, B_l)
                if found is None:
                    found = small_extreme(A_l, B_l)

            if found is not None:
                xs, ys, edges, listed, checked = found
                finished, dropped = True, 0
            else:
                xs, ys, edges, finished, dropped = extreme_equilibria(g, exact=False, deadline=deadline)
                if lists:
                    nA, nB = normalised_lists(A_l), normalised_lists(B_l)
                    listed = (nA, nB) if nA is not None and nB is not None else None
            if compiled is not None:
                ok = compiled.ok
            elif checked:
                ok = True
            elif listed is not None:
                ok = regret_ok(listed[0], listed[1], xs, ys, edges)
            else:
                positive = (normalised_payoffs(g.float_payoffs[0]), normalised_payoffs(g.float_payoffs[1]))
                ok = _normalised_regret_ok(g, xs, ys, edges, positive)
            if not ok:
                raise FloatInconclusive("an equilibrium failed the float regret check")
        except FloatInconclusive as why:
            positive = listed = compiled = None
            checked = False
            xs, ys, edges, finished, dropped = extreme_equilibria(g.as_exact(), exact=True, deadline=deadline)
            xs = [tuple(float(v) for v in x) for x in xs]
            ys = [tuple(float(v) for v in y) for y in ys]
            notes.append(f"float arithmetic was not conclusive ({why}); solved in exact arithmetic")
    # the solver's own candidate check, all edges at once (the certificate is the dispatcher's)
    if compiled is not None:
        pay, bad = compiled.pay, compiled.bad
    elif lists and checked:
        pay = edge_payoffs(A_l, B_l, xs, ys, edges)
        bad = [False] * len(edges)
    elif lists:
        gains_l, pay = edge_gains(A_l, B_l, xs, ys, edges)
        tol = 1e-8 * max(1.0, max(abs(v) for row in A_l + B_l for v in row))  # payoff_tolerance * 10
        bad = [v > tol for v in gains_l]
    else:
        gains, pay = _edge_gains(g, xs, ys, edges, use_exact)
        bad = ((gains != 0) if use_exact else (gains > payoff_tolerance(g) * 10)).tolist()
    if (
        (lists or compiled is not None)
        and not any(bad)
        and len({x for x, _ in edges}) == len(edges) == len({y for _, y in edges})
    ):
        # every extreme equilibrium is isolated: the general steps below, with their trivial
        # outcomes written out (each subset one equilibrium, each component one subset)
        raw = (A_l, B_l) if checked else None
        known = compiled.indices if compiled is not None else None
        return isolated_solution(game, xs, ys, edges, pay, listed, raw, notes, finished, deadline, known)
    # maximal Nash subsets, on the extreme equilibria
    if len({x for x, _ in edges}) == len(edges) == len({y for _, y in edges}):
        bicliques = [(frozenset([x]), frozenset([y])) for x, y in edges]
    else:
        try:
            bicliques = maximal_bicliques(edges, deadline)
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
    # the support of each distinct strategy, once
    sup_x = [[i for i, p in enumerate(x) if p != 0] for x in xs]
    sup_y = [[j for j, p in enumerate(y) if p != 0] for y in ys]
    eqs: list[tuple[Equilibrium, tuple[int, int]]] = []
    for k, e in enumerate(edges):
        if e in hidden:
            continue
        profile = (xs[e[0]], ys[e[1]])
        if bad[k]:
            dropped += 1
            continue
        payoffs = pay[k]
        pure = len(sup_x[e[0]]) == 1 and len(sup_y[e[1]]) == 1
        eqs.append(
            (
                Equilibrium(
                    strategies=profile, payoffs=payoffs, regret=None, label="pure" if pure else "mixed"
                ),
                e,
            )
        )
    if use_exact:
        eqs.sort(key=lambda t: sort_key_profile(t[0].mixed_profile))
    else:  # float noise below 1e-12 must not decide the order (ties as in exact arithmetic)
        # sort_key_profile of the rounded profile, from each distinct strategy's part, once each
        kx = [sort_key_profile([[round(p, 12) for p in x]]) for x in xs]
        ky = [sort_key_profile([[round(p, 12) for p in y]]) for y in ys]
        eqs.sort(key=lambda t: (kx[t[1][0]][0] or ky[t[1][1]][0], kx[t[1][0]][1] + ky[t[1][1]][1]))
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
    for (idx, in_x, in_y, big), (px, py) in zip(subsets, point_sets):
        supports = [
            [game.strategies[0][i] for i in sorted({i for a in in_x for i in sup_x[a]})],
            [game.strategies[1][j] for j in sorted({j for b in in_y for j in sup_y[b]})],
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
    edge_at = {e: k for k, e in enumerate(edges)} if compiled is not None else {}
    for comp in connected:
        ind = None
        if len(comp) == 1 and len(point_sets[comp[0]][0]) == 1 and len(point_sets[comp[0]][1]) == 1:
            x_, y_ = point_sets[comp[0]][0][0], point_sets[comp[0]][1][0]
            if compiled is not None:
                ind = compiled.indices[edge_at[(subsets[comp[0]][1][0], subsets[comp[0]][2][0])]]
            elif lists and checked and x_.count(0) == m - 1 and y_.count(0) == n - 1:
                ind = pure_index(A_l, B_l, x_, y_)  # integer payoffs: as index_float, in integers
            else:
                if lists and checked and listed is None:  # integer labels: normalised only now
                    nA, nB = normalised_lists(A_l), normalised_lists(B_l)
                    listed = (nA, nB) if nA is not None and nB is not None else None
                if listed is not None:
                    ind = index_float(listed[0], listed[1], x_, y_)
                else:
                    if positive is None:
                        positive = positive_payoffs(A_, B_, use_exact)
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
