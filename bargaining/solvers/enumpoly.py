r"""All isolated Nash equilibria of small n-player normal-form games (``enumpoly``).

Notation: players :math:`i = 1..n`, strategies :math:`S_i`, a mixed profile :math:`\sigma`, and
:math:`v_i(s) = u_i(s, \sigma_{-i})` the payoff of pure strategy :math:`s \in S_i` against the
others' mixes. :math:`\sigma` is a Nash equilibrium iff for every player every strategy in the
support :math:`T_i = \{s : \sigma_i(s) > 0\}` earns :math:`\max_{t \in S_i} v_i(t)`.

``enumpoly`` — support enumeration (McKelvey & McLennan 1996, "Computation of equilibria in
finite games", Handbook of Computational Economics I, §6; Porter, Nudelman & Shoham 2008,
"Simple search methods for finding a Nash equilibrium", GEB 63, Alg. 2). For every support
profile :math:`T = (T_1, \dots, T_n)`, in the order of PNS 2008 (small total size first, then
balanced), the equilibria with exactly that support solve the polynomial system

.. math:: v_i(s) = v_i(t_i^0) \quad (i \text{ with } |T_i| \ge 2,\ s \in T_i), \qquad
          \sigma_i(s) = 0 \ (s \notin T_i), \quad \textstyle\sum_s \sigma_i(s) = 1,

which is multilinear of degree :math:`n - 1` (linear for two players). Pruning: strategies
removed by iterated strict dominance (by pure strategies) never enter a support, and a support
profile is skipped when a strategy in some :math:`T_i` is dominated by a pure strategy of
:math:`S_i` against every profile of :math:`T_{-i}` (conditional dominance, PNS 2008 §3.2; weak
dominance with one strict cell suffices since each support is searched as the exact support;
:mod:`bargaining.solvers.enumpoly_supports`). Small systems have closed forms, solved exactly and
completely (:mod:`bargaining.solvers.enumpoly_closed`): a pure profile, one mixer (constant
equations), two mixers (linear systems, as in bimatrix support enumeration), three binary
mixers and two binary mixers with a ternary one (a quadratic by resultant elimination, its
irrational roots kept exactly in :math:`\mathbb{Q}(\sqrt{D})`), and four binary mixers (a
univariate resultant of degree at most 13, its real roots isolated exactly and every step
decided by outward-rounded interval arithmetic; :mod:`bargaining.solvers.enumpoly_binary`;
where strategies lie outside the support, the subdivision's root-cell exclusion is tried first);
their degenerate instances (singular blocks, continua) go to the general path. Every other
system is first searched by certified branch and bound over the product of the players' simplices
(:mod:`bargaining.solvers.polysystem`): a cell is discarded when a vertex-sign test or a Farkas
combination of the indifference and best-reply conditions proves it holds no
equilibrium with support :math:`T`, and a cell whose (slightly inflated) bounding box passes the
Krawczyk test holds exactly one root, found by Newton's method and kept exactly (Fractions)
when a small-denominator rational solves the system exactly. Only roots in the simplex with no
better reply outside the support survive (the best-reply conditions are part of the search, so
supports whose solutions all violate them are decided quickly). Where the branch and bound
cannot decide (singular roots, continua: its cell budget runs out) and for irrational
equilibria of small systems (at most 4 free probabilities, to give their exact algebraic form),
the system is solved in exact rational arithmetic
(:mod:`bargaining.solvers.enumpoly_groebner`): a Gröbner basis (sympy, grevlex, then FGLM
to lex) decides whether the system has no solution, finitely many, or a continuum. When finite,
a random separating linear form :math:`t` puts the lex basis in shape form
:math:`\{x_k - g_k(t), p(t)\}` (the shape lemma), the real roots of :math:`p` are isolated
exactly (rational roots stay exact; irrational ones are evaluated to 40 digits and their
radical or ``CRootOf`` form is kept as a string). Every candidate is checked by the
solver's own best-reply test (no better reply outside the support); the reported certificate is
the dispatcher's (:func:`bargaining.verify.certify`). This finds
every isolated equilibrium, so the result is ``complete`` unless a support has a continuum of
solutions (points on it are searched numerically and reported; ``complete: false``) or the time
budget runs out. It is built for small games (up to about 4 players × 3 strategies: a random
3×3×3 game takes a few tens of ms, a random 3×3×3×3 game 1 to 3 s, more with the exact
algebraic forms of irrational equilibria beyond the closed forms, which are computed by default
only for exact games or ``exact=True`` (``algebraic``)); float payoffs are read exactly by their
decimal text.

Speed (none of it changes what is found): the conditional-dominance answers are cached per
player and opponents' support profile :math:`T_{-i}` (shared by many support profiles) and
pre-tested in floats (exact weak dominance implies the float one, so only float candidates are
confirmed in Fractions); the subdivision solver's Farkas LPs go to one reusable HiGHS instance,
vertex values of a cell reuse the parent's for the player whose simplex was split, and the exact
Krawczyk test runs only where its float preview could decide.

The logit QRE method lives in :mod:`bargaining.solvers.logit`.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import BargainingError
from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Equilibrium, Solution, sort_key_profile
from bargaining.solvers.budget import BudgetExceeded, Deadline, run_streaming
from bargaining.solvers.enumpoly_binary import four_binary
from bargaining.solvers.enumpoly_closed import closed_form_roots, integral_tensor, radical_values
from bargaining.solvers.enumpoly_groebner import Unsolved, solve_support
from bargaining.solvers.enumpoly_supports import (
    ConditionalDominance,
    count_supports,
    iterated_dominance,
    support_profiles,
)
from bargaining.solvers.polysystem import GameTables, SupportSolver
from bargaining.solvers.profile_eval import payoff_tolerance, profile_gain, profile_payoffs
from bargaining.solvers.registry import Method, register

__all__ = [
    "enumpoly",
    "support_profiles",
    "solve_support",
    "iterated_dominance",
    "ConditionalDominance",
    "count_supports",
    "equilibrium_record",
    "float_best_reply_ok",
    "enumpoly_is_small",
    "recommended_method",
    "Unsolved",
]


# --------------------------------------------------------------------------------------------
# enumpoly
# --------------------------------------------------------------------------------------------
def equilibrium_record(game: NormalFormGame, prof, alg: dict | None, exact: bool) -> tuple[Equilibrium, Any]:
    """An uncertified Equilibrium record of the profile ``prof`` and the solver's own best-reply
    gain (0 exactly for an exact equilibrium), used to drop spurious candidates."""
    rational = all(isinstance(p, Fraction) for probs in prof for p in probs)
    if rational and not (exact or game.exact):
        prof = [[float(p) for p in probs] for probs in prof]
    g = game.as_exact() if rational and (exact or game.exact) else game
    pays = profile_payoffs(g, prof)
    gain = profile_gain(g, prof)
    extra = {"algebraic": alg} if alg else {}
    pure = all(sum(1 for p in probs if p != 0) == 1 for probs in prof)
    return Equilibrium(
        strategies=tuple(tuple(p) for p in prof),
        payoffs=tuple(pays),
        regret=None,  # certified by the dispatcher
        label="pure" if pure else "mixed",
        extra=extra,
    ), gain


def float_best_reply_ok(Uf: np.ndarray, prof, tol: float = 1e-7) -> bool:
    """Cheap float pre-check that no player has a better pure reply (within ``tol``)."""
    n = Uf.shape[0]
    mixes = [np.array([float(p) for p in probs]) for probs in prof]
    scale = max(1.0, float(np.max(np.abs(Uf))))
    for i in range(n):
        T = Uf[i]
        for j in range(n - 1, -1, -1):
            if j != i:
                T = np.tensordot(T, mixes[j], axes=([j], [0]))
        if float(T.max() - T @ mixes[i]) > tol * scale:
            return False
    return True


def _key(prof) -> tuple:
    return tuple(round(float(p), 8) for probs in prof for p in probs)


_GROEBNER_ALGEBRAIC_MAX_VARS = 4  # exact algebraic forms of irrational roots up to this size


def _solve_support_exact(U, supports, seed: int):
    try:
        return solve_support(U, supports, seed)
    except Unsolved:
        return "unsolved", []


def _solve_support_fast(
    U,
    Uf,
    supports,
    seed: int,
    deadline: Deadline,
    algebraic: bool = True,
    use_closed: bool = True,
    tables: GameTables | None = None,
    U_closed: np.ndarray | None = None,
):
    """One support: certified subdivision first (:mod:`bargaining.solvers.polysystem`), Gröbner
    bases where it cannot decide (singular roots, continua) or where an irrational equilibrium
    of a small system should get its exact algebraic form. Returns ``(status, points)`` as
    :func:`solve_support` does (status ``"finite"``, ``"continuum"`` or ``"unsolved"``).
    Supports with a closed form (:mod:`bargaining.solvers.enumpoly_closed`) are solved exactly
    by it, with the radical forms of irrational roots written directly."""
    closed = closed_form_roots(U if U_closed is None else U_closed, supports) if use_closed else None
    if closed is None and use_closed:
        mix = [j for j, s in enumerate(supports) if len(s) >= 2]
        if len(mix) == 4 and all(len(supports[j]) == 2 for j in mix):
            T = [list(s) for s in supports]
            if any(len(t) < m for t, m in zip(T, U.shape[1:])):
                # strategies outside the support: the subdivision's root-cell exclusion (which
                # also uses their best-reply conditions) often decides the support at once
                if SupportSolver(U, Uf, supports, tables=tables).root_excluded():
                    return "finite", []
            closed = four_binary(U if U_closed is None else U_closed, T, U.shape[1:], mix)
    if closed is not None:
        out: list = []
        names = tuple(f"p[{i}][{k}]" for i, s in enumerate(supports) for k in s[1:])
        for root in closed:
            alg = None
            if root.radical is not None and algebraic:
                alg = (names, functools.partial(radical_values, root, supports))
            out.append((root.profile, alg))
        return "finite", out
    solver = SupportSolver(U, Uf, supports, tables=tables)
    status, roots = solver.solve(deadline)
    if status != "decided":
        return _solve_support_exact(U, supports, seed)
    points = []
    need_algebraic = False
    for x in roots:
        prof = solver.profile(x)
        if min(float(p) for probs in prof for p in probs) < -1e-12:
            continue
        q = solver.exact_root(x)
        if q is not None:
            exact = [[Fraction(p) for p in probs] for probs in solver.profile(q)]
            if min(p for probs in exact for p in probs) < 0:
                continue
            points.append((exact, None))
            continue
        prof = [[max(0.0, float(p)) for p in probs] for probs in prof]
        if algebraic and solver.k <= _GROEBNER_ALGEBRAIC_MAX_VARS and float_best_reply_ok(Uf, prof):
            need_algebraic = True
        points.append((prof, None))
    if need_algebraic:  # an irrational equilibrium: its exact algebraic form from Gröbner bases
        return _solve_support_exact(U, supports, seed)
    return "finite", points


def _enumpoly_kernel(U, seed: int, deadline: Deadline, emit=None, algebraic: bool = True) -> dict:
    """Search every support profile; ``emit((kind, profile, alg))`` for each candidate found.
    Returns a summary dict (supports searched, continua, whether the search finished)."""
    alive = iterated_dominance(U)
    Uf = np.array([float(x) for x in U.ravel()]).reshape(U.shape)
    searched = skipped = 0
    continua: list = []
    pruned = ConditionalDominance(U, Uf)
    tables = GameTables(Uf)
    U_closed = integral_tensor(U)  # the same payoffs, as ints when they are integers
    try:
        for supports in support_profiles(alive):
            deadline.check()
            if pruned(supports):
                skipped += 1
                continue
            searched += 1
            status, points = _solve_support_fast(
                U, Uf, supports, seed, deadline, algebraic, tables=tables, U_closed=U_closed
            )
            if status in ("continuum", "unsolved"):
                continua.append([list(s) for s in supports])
            for prof, alg in points:
                if not float_best_reply_ok(Uf, prof):
                    continue
                if alg is not None:
                    names, lazy = alg
                    values = lazy() if callable(lazy) else lazy
                    alg = {
                        "variables": list(names),
                        **values,
                        "note": "exact values of the probabilities p[player][strategy] (0-based)",
                    }
                if emit is not None:
                    emit((status, prof, alg))
        finished = True
    except BudgetExceeded:
        finished = False
    return {"searched": searched, "pruned": skipped, "continua": continua, "finished": finished}


def enumpoly(
    game: NormalFormGame,
    *,
    deadline: Deadline = Deadline.NONE,
    exact: bool = False,
    seed: int = 0,
    algebraic: bool | None = None,
) -> Solution:
    """All isolated Nash equilibria of a small n-player game by support enumeration with exact
    polynomial solving (see the module docstring). ``complete`` is True only when every support
    profile was solved and none had a continuum of solutions. With a limited ``deadline`` the search runs
    in a child process that is killed at the deadline; equilibria found so far are kept.
    ``algebraic=True`` adds the exact radical / ``CRootOf`` forms of irrational equilibria to
    their ``extra`` (closed forms where the support has one, else a Gröbner basis per such
    support, up to half the time of a 4-player game); ``False`` skips them. The default
    (``None``) is ``True`` for an exact game or ``exact=True`` and ``False`` for a float game: a
    float question gets certified float answers, an exact one the exact forms too. The
    equilibria, their certificates and ``complete`` are the same either way; the value used is
    ``extra["algebraic_forms"]``."""
    if game.num_players < 1:
        raise BargainingError("enumpoly needs a game with at least one player")
    if algebraic is None:
        algebraic = bool(exact or game.exact)
    U = game.as_exact().payoffs
    items: list = []
    if deadline.limited:
        import scipy.optimize  # noqa: F401 - imported before the fork, not once per child

        status, items, summary = run_streaming(
            _enumpoly_kernel, U, seed, deadline, deadline=deadline, algebraic=algebraic
        )
        if status == "error":
            raise BargainingError(f"enumpoly failed: {summary}")
        if status == "timeout":
            summary = {"finished": False, "continua": [], "searched": None, "pruned": None}
    else:
        summary = _enumpoly_kernel(U, seed, deadline, emit=items.append, algebraic=algebraic)
    tol = payoff_tolerance(game)
    found: dict[tuple, Equilibrium] = {}
    for _status, prof, alg in items:
        eq, r = equilibrium_record(game, prof, alg, exact)
        if (r != 0) if isinstance(r, Fraction) else (float(r) > tol):
            continue
        key = _key(eq.strategies)
        old = found.get(key)
        if old is None or (old.extra.get("algebraic") and not eq.extra.get("algebraic")):
            found[key] = eq
    eqs = sorted(found.values(), key=lambda e: sort_key_profile(e.mixed_profile))
    messages = []
    if not summary["finished"]:
        messages.append(deadline.message())
    if summary["continua"]:
        messages.append(
            f"{len(summary['continua'])} support profile(s) have a continuum of solutions (or a "
            "system sympy could not solve); points found on them are listed, the list is not complete"
        )
    complete = summary["finished"] and not summary["continua"]
    return Solution(
        game=game,
        concept="nash",
        method="enumpoly",
        equilibria=tuple(eqs),
        complete=complete,
        exact=bool(exact or game.exact),  # irrational equilibria stay floats (exact forms in extra)
        message="; ".join(messages) or None,
        extra={
            "supports_searched": summary["searched"],
            "supports_pruned": summary["pruned"],
            "continua": summary["continua"],
            "algebraic_forms": algebraic,
        },
    )


# --------------------------------------------------------------------------------------------
# choosing a method
# --------------------------------------------------------------------------------------------
def enumpoly_is_small(game: NormalFormGame) -> bool:
    """True where ``enumpoly`` is expected to finish within seconds to a minute: after iterated
    dominance, at most 2,401 support profiles and at most 8 free probabilities in the largest
    support system (up to 4 players × 3 strategies, or 7 players × 2 strategies; a random
    3×3×3×3 game takes a few seconds)."""

    def fits(sizes) -> bool:
        return math.prod(2**m - 1 for m in sizes) <= 2401 and sum(m - 1 for m in sizes) <= 8

    if fits(game.shape):
        return True
    if game.payoffs.size > 200_000:
        return False
    # a heuristic only (float comparisons are fine here): dominance may shrink the game
    alive = iterated_dominance(game.float_payoffs)
    return fits([len(a) for a in alive])


def recommended_method(game: NormalFormGame) -> str:
    """``enumpoly`` for small games, ``logit`` beyond (the default of ``solve`` for n ≥ 3)."""
    return "enumpoly" if enumpoly_is_small(game) else "logit"


register(
    Method(
        name="enumpoly",
        kinds=("normal",),
        concept="nash",
        function=enumpoly,
        options={
            "seed": "seed of the random separating linear form (Gröbner shape lemma); default 0",
            "algebraic": "exact radical forms of irrational equilibria in extra (closed forms in "
            "Q(sqrt D) for small supports, else Gröbner bases); default: true for an exact game or "
            "exact=True, false for a float game (faster; the same equilibria and certificates)",
        },
        summary="all isolated equilibria of small games (support enumeration + exact "
        "polynomial solving); complete unless a continuum or the time budget intervenes",
    )
)
