r"""Mixed Nash equilibria of n-player normal-form games.

Notation: players :math:`i = 1..n`, strategies :math:`S_i`, a mixed profile :math:`\sigma`, and
:math:`v_i(s) = u_i(s, \sigma_{-i})` the payoff of pure strategy :math:`s \in S_i` against the
others' mixes. :math:`\sigma` is a Nash equilibrium iff for every player every strategy in the
support :math:`T_i = \{s : \sigma_i(s) > 0\}` earns :math:`\max_{t \in S_i} v_i(t)`.

Two methods are registered:

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
dominance with one strict cell suffices since each support is searched as the exact support).
Each system is first searched by certified branch and bound over the product of the players'
simplices (:mod:`bargaining.solvers._polysystem`): a cell is discarded when a vertex-sign test or
a Farkas combination of the indifference and best-reply conditions proves it holds no
equilibrium with support :math:`T`, and a cell whose (slightly inflated) bounding box passes the
Krawczyk test holds exactly one root, found by Newton's method and kept exactly (Fractions)
when a small-denominator rational solves the system exactly. Only roots in the simplex with no
better reply outside the support survive (the best-reply conditions are part of the search, so
supports whose solutions all violate them are decided quickly). Where the branch and bound
cannot decide (singular roots, continua: its cell budget runs out) and for irrational
equilibria of small systems (at most 4 free probabilities, to give their exact algebraic form),
the system is solved in exact rational arithmetic: a Gröbner basis (sympy, grevlex, then FGLM
to lex) decides whether the system has no solution, finitely many, or a continuum. When finite,
a random separating linear form :math:`t` puts the lex basis in shape form
:math:`\{x_k - g_k(t), p(t)\}` (the shape lemma), the real roots of :math:`p` are isolated
exactly (rational roots stay exact; irrational ones are evaluated to 40 digits and their
radical or ``CRootOf`` form is kept as a string). Every candidate is checked by
:func:`bargaining.verify.normal.max_regret` (no better reply outside the support). This finds
every isolated equilibrium, so the result is ``complete`` unless a support has a continuum of
solutions (points on it are searched numerically and reported; ``complete: false``) or the time
budget runs out. It is built for small games (up to about 4 players × 3 strategies: a random
3×3×3×3 game takes about 10 s); float payoffs are read exactly by their decimal text.

``logit`` — the principal branch of the logit quantal response equilibrium correspondence
(McKelvey & Palfrey 1995, "Quantal response equilibria for normal form games", GEB 10):
:math:`\sigma_i(s) \propto \exp(\lambda v_i(s))`, traced from the centroid at :math:`\lambda = 0`
by predictor–corrector continuation in :math:`(\log\sigma, \lambda)` (Allgower & Georg 1990,
*Numerical Continuation Methods*, ch. 2: Euler predictor along the kernel of the Jacobian,
Gauss–Newton corrector; Turocy 2005, "A dynamic homotopy interpretation of the logistic quantal
response equilibrium correspondence", GEB 51). For generic games the branch converges to a Nash
equilibrium as :math:`\lambda \to \infty`; its support is read off the end point and the
indifference equations on that support are solved by Newton's method (and exactly, when the game
is exact and the support small), then verified. One equilibrium, ``complete: false``.
:func:`qre_at` and :func:`logit_branch` return points of the branch for fitting λ to data.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import BargainingError
from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Equilibrium, Solution, sort_key_profile
from bargaining.solvers._polysystem import SupportSolver
from bargaining.solvers.budget import BudgetExceeded, Deadline, run_streaming
from bargaining.solvers.registry import Method, register
from bargaining.verify import normal as verify

__all__ = [
    "enumpoly",
    "logit",
    "qre_at",
    "logit_branch",
    "support_profiles",
    "solve_support",
    "enumpoly_is_small",
    "recommended_method",
]

_DIGITS = 40  # working precision for irrational roots


# --------------------------------------------------------------------------------------------
# dominance and support profiles
# --------------------------------------------------------------------------------------------
def _strictly_dominated(U: np.ndarray, i: int, alive: Sequence[Sequence[int]]) -> list[int]:
    """Strategies of player i in ``alive[i]`` strictly dominated by another pure strategy of
    ``alive[i]`` against every profile of the others' ``alive`` strategies."""
    sub = U[i][np.ix_(*alive)]
    sub = np.moveaxis(sub, i, 0).reshape(len(alive[i]), -1)
    out = []
    for a in range(len(alive[i])):
        for b in range(len(alive[i])):
            if a != b and all(x > y for x, y in zip(sub[b], sub[a])):
                out.append(alive[i][a])
                break
    return out


def iterated_dominance(U: np.ndarray) -> list[list[int]]:
    """Iterated elimination of strategies strictly dominated by pure strategies. No Nash
    equilibrium puts weight on a removed strategy (Osborne & Rubinstein 1994, Prop. 61.2)."""
    n = U.shape[0]
    alive = [list(range(m)) for m in U.shape[1:]]
    changed = True
    while changed:
        changed = False
        for i in range(n):
            dead = _strictly_dominated(U, i, alive)
            if dead:
                alive[i] = [s for s in alive[i] if s not in dead]
                changed = True
    return alive


def _conditionally_dominated(U: np.ndarray, supports: Sequence[Sequence[int]]) -> bool:
    r"""True if some support strategy s of a player i is dominated by a pure strategy t of
    :math:`S_i` given the others' supports: :math:`u_i(t, c) \ge u_i(s, c)` for every profile
    c of :math:`T_{-i}`, strictly for at least one (PNS 2008, §3.2, use strict dominance).
    Weak dominance suffices here because the supports are exact: every c in :math:`T_{-i}` has
    positive probability, so t earns strictly more than s and s cannot be a best reply."""
    n = U.shape[0]
    for i in range(n):
        cols = [list(supports[j]) if j != i else list(range(U.shape[1 + i])) for j in range(n)]
        sub = np.moveaxis(U[i][np.ix_(*cols)], i, 0).reshape(U.shape[1 + i], -1)
        for s in supports[i]:
            for t in range(U.shape[1 + i]):
                if t == s:
                    continue
                diff = [x - y for x, y in zip(sub[t], sub[s])]
                if all(d >= 0 for d in diff) and any(d > 0 for d in diff):
                    return True
    return False


def support_profiles(alive: Sequence[Sequence[int]]) -> Iterator[tuple[tuple[int, ...], ...]]:
    """Every support profile over the ``alive`` strategies, ordered as in Porter, Nudelman &
    Shoham (2008): by total size, then by imbalance (max − min support size), then lexically."""
    per_player = [
        [c for k in range(1, len(a) + 1) for c in itertools.combinations(a, k)] for a in alive
    ]
    profiles = list(itertools.product(*per_player))
    profiles.sort(
        key=lambda p: (
            sum(len(s) for s in p),
            max(len(s) for s in p) - min(len(s) for s in p),
            tuple(len(s) for s in p),
            p,
        )
    )
    return iter(profiles)


def count_supports(game: NormalFormGame) -> int:
    """Number of support profiles ``enumpoly`` examines before conditional pruning."""
    alive = iterated_dominance(game.as_exact().payoffs)
    return math.prod(2 ** len(a) - 1 for a in alive)


# --------------------------------------------------------------------------------------------
# one support: the polynomial system, solved exactly
# --------------------------------------------------------------------------------------------
def _support_system(U: np.ndarray, supports: Sequence[Sequence[int]]):
    """Variables, the polynomial indifference system and the probability polynomials."""
    import sympy as sp

    n = U.shape[0]
    gens = []
    owner = []
    for i, s in enumerate(supports):
        for k in s[1:]:
            gens.append(sp.Symbol(f"p{i}_{k}"))
            owner.append((i, k))
    if not gens:
        return [], [], None
    ring_gens = tuple(gens)

    def poly(expr):
        return sp.Poly(expr, *ring_gens, domain="QQ")

    probs = []
    for i in range(len(supports)):
        xs = [g for g, (j, _) in zip(gens, owner) if j == i]
        probs.append([poly(1 - sum(xs))] + [poly(x) for x in xs])
    eqs = []
    for i in range(n):
        if len(supports[i]) < 2:
            continue
        values = []
        for s in supports[i]:
            # contract player i's payoffs (row s) with the others' probability polynomials
            idx = [list(supports[j]) if j != i else [s] for j in range(n)]
            sub = U[i][np.ix_(*idx)]
            total = poly(0)
            for cell in itertools.product(*[range(len(x)) for x in idx]):
                coef = sub[cell]
                if coef == 0:
                    continue
                term = poly(sp.Rational(coef.numerator, coef.denominator))
                for j in range(n):
                    if j != i:
                        term = term * probs[j][cell[j]]
                total = total + term
            values.append(total)
        eqs.extend(v - values[0] for v in values[1:])
    return gens, eqs, owner


def _profile_from_values(shape, supports, owner, values) -> list[list[Any]]:
    """Full profile (zeros off the support) from the values of the free probabilities."""
    one = Fraction(1) if all(isinstance(v, Fraction) for v in values) else 1.0
    zero = one * 0
    prof = [[zero] * m for m in shape]
    for (i, k), v in zip(owner, values):
        prof[i][k] = v
    for i, s in enumerate(supports):
        prof[i][s[0]] = one - sum((prof[i][k] for k in s[1:]), zero)
    return prof


def _to_fraction(x) -> Fraction:
    return Fraction(int(x.p), int(x.q))


def solve_support(
    U: np.ndarray, supports: Sequence[Sequence[int]], seed: int = 0
) -> tuple[str, list[tuple[list[list[Any]], dict | None]]]:
    """Solve the indifference system of one support profile exactly.

    ``U`` is the exact payoff tensor (object array of Fractions). Returns ``(status, points)``:
    status ``"finite"`` (``points`` are all its real solutions in the simplex: full profiles, with
    Fractions where rational, floats otherwise, each with ``None`` or ``(variable names, exact
    forms)`` where the exact forms are a dict or a callable that computes it),
    ``"empty"``, or ``"continuum"`` (a positive-dimensional solution set; ``points`` are
    numerical points on it in the simplex). No best-reply check here: callers verify.
    """
    import sympy as sp

    shape = U.shape[1:]
    gens, eqs, owner = _support_system(U, supports)
    if not gens:
        return "finite", [(_profile_from_values(shape, supports, [], []), None)]
    eqs = [e for e in eqs if not e.is_zero]
    G = sp.groebner(eqs, *gens, order="grevlex", domain="QQ") if eqs else None
    if G is not None and any(g.is_Number for g in G.exprs):
        return "empty", []
    if G is None or not G.is_zero_dimensional:
        return "continuum", _continuum_points(U, supports, gens, eqs, owner, seed)
    return "finite", _finite_points(G, gens, shape, supports, owner, seed)


def _finite_points(G, gens, shape, supports, owner, seed: int):
    """Real solutions in the simplex of a zero-dimensional system with Gröbner basis ``G``."""
    import sympy as sp

    # generic case: the last variable already separates the solutions
    L = G.fglm("lex")
    shape_form = _shape_form(L.exprs[:-1], gens[:-1], gens[-1], last=L.exprs[-1])
    if shape_form is not None:
        return _shape_points(shape, supports, owner, gens, gens[-1], *shape_form, append_t=True)
    rng = np.random.default_rng(seed)
    t = sp.Symbol("t_sep")
    for attempt in range(4):
        coeffs = [1] * len(gens) if attempt == 0 and len(gens) == 1 else rng.integers(1, 12, len(gens))
        lin = t - sum(int(c) * g for c, g in zip(coeffs, gens))
        G2 = sp.groebner(list(G.exprs) + [lin], *gens, t, order="grevlex", domain="QQ")
        L = G2.fglm("lex")
        shape_form = _shape_form(L.exprs, gens, t)
        if shape_form is not None:
            return _shape_points(shape, supports, owner, gens, t, *shape_form)
    # not radical (a multiple root) or no separating form found: sympy's triangular solver
    try:
        sols = sp.solve_poly_system(list(G.exprs), *gens) or []
    except (NotImplementedError, sp.PolynomialError) as err:
        raise _Unsolved(str(err)) from None
    points = []
    for sol in sols:
        vals = []
        ok = True
        for v in sol:
            c = complex(sp.N(v, _DIGITS))
            if abs(c.imag) > 1e-12:
                ok = False
                break
            vals.append(_to_fraction(v) if v.is_Rational else c.real)
        if ok:
            rational = all(isinstance(v, Fraction) for v in vals)
            points.append((vals, None if rational else {"values": [str(v) for v in sol]}))
    return _in_simplex(shape, supports, owner, points)


def _shape_form(basis, gens, t, last=None):
    """``(p, g)`` with ``basis = {x_k - g_k(t)} ∪ {p(t)}``, ``p`` square-free, else ``None``."""
    import sympy as sp

    if last is not None:
        basis = list(basis) + [last]
    if len(basis) != len(gens) + 1:
        return None
    if any(sp.Poly(basis[-1], *gens, t).degree(y) > 0 for y in gens):
        return None
    p = sp.Poly(basis[-1], t)
    if p.degree() < 1 or sp.degree(sp.gcd(p, p.diff(t))) > 0:
        return None
    g = []
    for x, b in zip(gens, basis[:-1]):
        pb = sp.Poly(b, *gens, t)
        rest = sp.Poly(b - x, *gens, t)
        if pb.coeff_monomial(x) != 1 or any(rest.degree(y) > 0 for y in gens):
            return None
        g.append(sp.Poly(-(b - x), t))
    return p, g


class _Unsolved(Exception):
    """A support system that sympy could not solve (the search is then not complete)."""


class _LazyAlgebraic:
    """Exact radical / ``CRootOf`` forms of an irrational solution, computed on demand (only
    for points that pass the best-reply check, since sympy's simplification is slow)."""

    def __init__(self, factor, t, g, root_index: int, mid: Fraction):
        self.factor, self.t, self.g, self.root_index, self.mid = factor, t, g, root_index, mid

    def __call__(self) -> dict:
        import sympy as sp

        fp, t = self.factor, self.t
        sym = None
        if fp.degree() <= 2:
            exact_roots = list(sp.roots(fp, filter="R"))
            if exact_roots:
                sym = min(exact_roots, key=lambda e: abs(sp.N(e, _DIGITS) - float(self.mid)))
        if sym is None:  # the real root of the factor nearest to the isolated value
            reals = [sp.CRootOf(fp.as_expr(), j) for j in range(sp.Poly(fp).count_roots())]
            sym = min(reals, key=lambda e: abs(float(sp.N(e, 20)) - float(self.mid)))
        vals = []
        for gk in self.g:
            rem = sp.rem(gk, fp)
            vals.append(str(sp.radsimp(sp.expand(rem.as_expr().subs(t, sym)))))
        return {"values": vals}


def _shape_points(shape, supports, owner, gens, t, p, g, append_t: bool = False):
    import sympy as sp

    if append_t:  # t is itself the last variable: x_N = t
        g = list(g) + [sp.Poly(t, t)]

    points = []
    _, factors = sp.factor_list(p.as_expr(), t)
    for f, _mult in factors:
        fp = sp.Poly(f, t)
        if fp.degree() == 1:
            r = -fp.nth(0) / fp.nth(1)
            vals = [_to_fraction(gk.eval(r)) for gk in g]
            points.append((vals, None))
            continue
        # rigorous real-root isolation, refined to width 1e-40
        for k, ((lo, hi), _m) in enumerate(fp.intervals(eps=sp.Rational(1, 10**_DIGITS))):
            mid = (_to_fraction(sp.Rational(lo)) + _to_fraction(sp.Rational(hi))) / 2
            vals = [float(_eval_fraction(gk, mid)) for gk in g]
            points.append((vals, _LazyAlgebraic(fp, t, g, k, mid)))
    return _in_simplex(shape, supports, owner, points)


def _eval_fraction(poly, x: Fraction) -> Fraction:
    """Exact value of a univariate sympy Poly with rational coefficients at a Fraction."""
    total = Fraction(0)
    for c in poly.all_coeffs():
        total = total * x + _to_fraction(c)
    return total


def _in_simplex(shape, supports, owner, points, tol: float = 1e-12):
    out = []
    for vals, alg in points:
        prof = _profile_from_values(shape, supports, owner, vals)
        if all(float(p) >= -tol for probs in prof for p in probs):
            if not isinstance(prof[0][0], Fraction):
                prof = [[max(0.0, float(p)) for p in probs] for probs in prof]
            if alg is not None:
                alg = (tuple(f"p[{i}][{k}]" for i, k in owner), alg)
            out.append((prof, alg))
    return out


_SLICES = (Fraction(1, 2), Fraction(1, 3), Fraction(2, 3), Fraction(1, 4), Fraction(3, 4), Fraction(1, 5))


def _continuum_points(U, supports, gens, eqs, owner, seed, starts: int = 8):
    """A few points of a positive-dimensional solution set inside the simplex.

    First exactly: fix free probabilities one by one to simple fractions (1/2, 1/3, ...) until
    the system becomes zero-dimensional, and solve it. Then numerically: Gauss–Newton with
    minimum-norm steps (which move to a nearby point of the set) from random interior starts.
    Callers verify the points; at most a handful are returned."""
    import sympy as sp

    shape = U.shape[1:]
    out = []
    cur = list(eqs)
    for x in gens:
        G = sp.groebner(cur, *gens, order="grevlex", domain="QQ") if cur else None
        if G is not None and G.is_zero_dimensional:
            break
        for v in _SLICES:
            trial = cur + [sp.Poly(x - sp.Rational(v.numerator, v.denominator), *gens, domain="QQ")]
            Gt = sp.groebner(trial, *gens, order="grevlex", domain="QQ")
            if not any(g.is_Number for g in Gt.exprs):
                cur = trial
                break
    G = sp.groebner(cur, *gens, order="grevlex", domain="QQ") if cur else None
    if G is not None and G.is_zero_dimensional and not any(g.is_Number for g in G.exprs):
        out.extend(_finite_points(G, gens, shape, supports, owner, seed))
    if out or not eqs:
        return out[:4]
    F = sp.lambdify(gens, [e.as_expr() for e in eqs], "numpy")
    Jexpr = [[e.diff(x).as_expr() for x in gens] for e in eqs]
    J = sp.lambdify(gens, Jexpr, "numpy")
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(starts):
        x = []
        for s in supports:
            w = rng.dirichlet(np.ones(len(s)))
            x.extend(w[1:])
        x = np.array(x, dtype=float)
        for _it in range(60):
            f = np.array(F(*x), dtype=float)
            if np.max(np.abs(f)) < 1e-14:
                break
            jac = np.array(J(*x), dtype=float).reshape(len(eqs), len(gens))
            step = np.linalg.lstsq(jac, -f, rcond=None)[0]
            x = x + step
        if np.max(np.abs(np.array(F(*x), dtype=float))) < 1e-11:
            out.extend(_in_simplex(shape, supports, owner, [(list(x), None)]))
    return out[:4]


# --------------------------------------------------------------------------------------------
# enumpoly
# --------------------------------------------------------------------------------------------
def _equilibrium(game: NormalFormGame, prof, alg: dict | None, exact: bool) -> Equilibrium:
    rational = all(isinstance(p, Fraction) for probs in prof for p in probs)
    if rational and not (exact or game.exact):
        prof = [[float(p) for p in probs] for probs in prof]
    g = game.as_exact() if rational and (exact or game.exact) else game
    pays = verify.expected_payoffs(g, prof)
    regret = verify.max_regret(g, prof)
    extra = {"algebraic": alg} if alg else {}
    pure = all(sum(1 for p in probs if p != 0) == 1 for probs in prof)
    return Equilibrium(
        strategies=tuple(tuple(p) for p in prof),
        payoffs=tuple(pays),
        regret=regret,
        label="pure" if pure else "mixed",
        extra=extra,
    )


def _float_best_reply_ok(Uf: np.ndarray, prof, tol: float = 1e-7) -> bool:
    """Cheap pre-check (the final certificate is :func:`verify.max_regret`)."""
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
    except _Unsolved:
        return "unsolved", []


def _solve_support_fast(U, Uf, supports, seed: int, deadline: Deadline):
    """One support: certified subdivision first (:mod:`bargaining.solvers._polysystem`), Gröbner
    bases where it cannot decide (singular roots, continua) or where an irrational equilibrium
    of a small system should get its exact algebraic form. Returns ``(status, points)`` as
    :func:`solve_support` does (status ``"finite"``, ``"continuum"`` or ``"unsolved"``)."""
    solver = SupportSolver(U, Uf, supports)
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
        if solver.k <= _GROEBNER_ALGEBRAIC_MAX_VARS and _float_best_reply_ok(Uf, prof):
            need_algebraic = True
        points.append((prof, None))
    if need_algebraic:  # an irrational equilibrium: its exact algebraic form from Gröbner bases
        return _solve_support_exact(U, supports, seed)
    return "finite", points


def _enumpoly_kernel(U, seed: int, timeout: float | None, emit=None) -> dict:
    """Search every support profile; ``emit((kind, profile, alg))`` for each candidate found.
    Returns a summary dict (supports searched, continua, whether the search finished)."""
    deadline = Deadline(timeout)
    alive = iterated_dominance(U)
    Uf = np.array([float(x) for x in U.ravel()]).reshape(U.shape)
    searched = skipped = 0
    continua: list = []
    try:
        for supports in support_profiles(alive):
            deadline.check()
            if _conditionally_dominated(U, supports):
                skipped += 1
                continue
            searched += 1
            status, points = _solve_support_fast(U, Uf, supports, seed, deadline)
            if status in ("continuum", "unsolved"):
                continua.append([list(s) for s in supports])
            for prof, alg in points:
                if not _float_best_reply_ok(Uf, prof):
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
    timeout: float | None = None,
    exact: bool = False,
    seed: int = 0,
    **_: Any,
) -> Solution:
    """All isolated Nash equilibria of a small n-player game by support enumeration with exact
    polynomial solving (see the module docstring). ``complete`` is True only when every support
    profile was solved and none had a continuum of solutions. With ``timeout`` the search runs
    in a child process that is killed at the deadline; equilibria found so far are kept."""
    if game.num_players < 1:
        raise BargainingError("enumpoly needs a game with at least one player")
    U = game.as_exact().payoffs
    items: list = []
    if timeout:
        import scipy.optimize  # noqa: F401 - imported before the fork, not once per child
        status, items, summary = run_streaming(_enumpoly_kernel, U, seed, timeout, timeout=timeout)
        if status == "error":
            raise BargainingError(f"enumpoly failed: {summary}")
        if status == "timeout":
            summary = {"finished": False, "continua": [], "searched": None, "pruned": None}
    else:
        summary = _enumpoly_kernel(U, seed, None, emit=items.append)
    tol = verify.default_tolerance(game)
    found: dict[tuple, Equilibrium] = {}
    for _status, prof, alg in items:
        eq = _equilibrium(game, prof, alg, exact)
        r = eq.regret
        if (r != 0) if isinstance(r, Fraction) else (float(r) > tol):
            continue
        key = _key(eq.strategies)
        old = found.get(key)
        if old is None or (old.extra.get("algebraic") and not eq.extra.get("algebraic")):
            found[key] = eq
    eqs = sorted(found.values(), key=lambda e: sort_key_profile(e.strategies))
    messages = []
    if not summary["finished"]:
        messages.append(Deadline(timeout).message())
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
        options={"timeout": timeout, "seed": seed},
        message="; ".join(messages) or None,
        extra={
            "supports_searched": summary["searched"],
            "supports_pruned": summary["pruned"],
            "continua": summary["continua"],
        },
    )


# --------------------------------------------------------------------------------------------
# logit QRE path following
# --------------------------------------------------------------------------------------------
class _Payoffs:
    """Pure-strategy payoffs :math:`v_i(s)` and their derivatives at a profile (float)."""

    def __init__(self, game: NormalFormGame):
        self.U = np.asarray(game.float_payoffs, dtype=float)
        self.n = self.U.shape[0]
        self.shape = self.U.shape[1:]
        self.offsets = np.concatenate([[0], np.cumsum(self.shape)]).astype(int)
        self.M = int(self.offsets[-1])

    def split(self, flat: np.ndarray) -> list[np.ndarray]:
        return [flat[self.offsets[i] : self.offsets[i + 1]] for i in range(self.n)]

    def values_and_jacobian(self, sigma: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """``v`` (length M) and ``D[a, b] = ∂v_a/∂σ_b`` (M × M, zero within a player)."""
        n, U, off = self.n, self.U, self.offsets
        v = np.zeros(self.M)
        D = np.zeros((self.M, self.M))
        for i in range(n):
            for j in range(n):
                if j == i:
                    continue
                # contract every axis except i and j
                T = U[i]
                for k in range(n - 1, -1, -1):
                    if k not in (i, j):
                        T = np.tensordot(T, sigma[k], axes=([k], [0]))
                # remaining axes are (min(i,j), max(i,j))
                block = T if i < j else T.T
                D[off[i] : off[i + 1], off[j] : off[j + 1]] = block
            # v_i = D_ij @ sigma_j for any j != i; for one-player games contract nothing
            if n == 1:
                v[off[0] : off[1]] = U[0]
            else:
                j = 0 if i != 0 else 1
                v[off[i] : off[i + 1]] = D[off[i] : off[i + 1], off[j] : off[j + 1]] @ sigma[j]
        return v, D


def _scale(game: NormalFormGame) -> float:
    U = game.float_payoffs
    return float(np.max(U) - np.min(U)) or 1.0


class _LogitPath:
    r"""The QRE branch as the zero set of
    :math:`H(z, \lambda)`: for each player i, :math:`z_{is} - z_{i0} - \lambda (v_i(s) - v_i(0))`
    for :math:`s \ne 0`, and :math:`\sum_s e^{z_{is}} - 1`, where :math:`z = \log\sigma`."""

    def __init__(self, game: NormalFormGame):
        self.P = _Payoffs(game)
        self.scale = _scale(game)

    def H_and_J(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        P = self.P
        z, lam = y[:-1], y[-1]
        sig_flat = np.exp(z)
        sigma = P.split(sig_flat)
        v, D = P.values_and_jacobian(sigma)
        H = np.zeros(P.M)
        J = np.zeros((P.M, P.M + 1))
        dv_dz = D * sig_flat[None, :]  # ∂v_a/∂z_b = D[a,b] σ_b
        for i in range(P.n):
            a0, a1 = P.offsets[i], P.offsets[i + 1]
            rows = list(range(a0, a1))
            # equation rows for player i: index a0..a1-1 (first: normalisation)
            H[a0] = sig_flat[a0:a1].sum() - 1.0
            J[a0, a0:a1] = sig_flat[a0:a1]
            for a in rows[1:]:
                H[a] = z[a] - z[a0] - lam * (v[a] - v[a0])
                J[a, a] += 1.0
                J[a, a0] -= 1.0
                J[a, :-1] -= lam * (dv_dz[a] - dv_dz[a0])
                J[a, -1] = -(v[a] - v[a0])
        return H, J

    def correct(self, y: np.ndarray, fixed_lambda: bool = False, tol: float = 1e-10, maxit: int = 8):
        """Gauss–Newton (minimum-norm) corrector; with ``fixed_lambda`` Newton in z only."""
        for it in range(maxit):
            H, J = self.H_and_J(y)
            if np.max(np.abs(H)) < tol:
                return y, it, True
            if fixed_lambda:
                step = np.linalg.solve(J[:, :-1], -H)
                step = np.append(step, 0.0)
            else:
                step = np.linalg.lstsq(J, -H, rcond=None)[0]
            if not np.all(np.isfinite(step)):
                return y, it, False
            y = y + step
        H, _ = self.H_and_J(y)
        return y, maxit, bool(np.max(np.abs(H)) < tol)

    def start(self) -> np.ndarray:
        z = np.concatenate([np.full(m, -math.log(m)) for m in self.P.shape])
        return np.append(z, 0.0)

    def tangent(self, y: np.ndarray, prev: np.ndarray | None) -> np.ndarray:
        _, J = self.H_and_J(y)
        # kernel of the M × (M+1) Jacobian: last right-singular vector
        _, _, vt = np.linalg.svd(J)
        t = vt[-1]
        if prev is None:
            if t[-1] < 0:
                t = -t
        elif np.dot(t, prev) < 0:
            t = -t
        return t / np.linalg.norm(t)

    def trace(
        self,
        lam_max: float,
        deadline: Deadline | None = None,
        h0: float = 0.1,
        max_steps: int = 20000,
    ) -> Iterator[np.ndarray]:
        """Yield points ``(log σ, λ)`` of the branch from λ = 0 until λ ≥ ``lam_max``."""
        y = self.start()
        yield y
        t = None
        h = h0
        for _ in range(max_steps):
            if deadline is not None:
                deadline.check()
            t = self.tangent(y, t)
            while True:
                y_new, its, ok = self.correct(y + h * t)
                if ok and its <= 4 and np.all(y_new[:-1] <= 1e-9):
                    break
                h /= 2
                if h < 1e-12:
                    raise BargainingError("logit path following failed: the step size vanished")
            y = y_new
            yield y
            if y[-1] >= lam_max:
                return
            if its <= 2:
                h = min(h * 1.6, 1e3)


def _check_lambda(lam: float) -> float:
    lam = float(lam)
    if not math.isfinite(lam) or lam < 0:
        raise BargainingError(f"lambda must be a finite number >= 0, got {lam}")
    return lam


def logit_branch(game: NormalFormGame, lambdas: Iterable[float]) -> list[tuple[float, tuple]]:
    """Points of the principal logit QRE branch at each λ in ``lambdas`` (sorted on output).

    Each item is ``(λ, profile)`` with ``profile`` a tuple of probability arrays (one per
    player). Where the branch bends back in λ, the first point reached from λ = 0 is returned.
    """
    targets = sorted(_check_lambda(x) for x in lambdas)
    if not targets:
        return []
    path = _LogitPath(game)
    out: list[tuple[float, tuple]] = []
    k = 0
    prev = None
    for y in path.trace(targets[-1] * 1.01 + 1e-9):
        while k < len(targets) and (y[-1] >= targets[k]):
            lam = targets[k]
            if prev is None or y[-1] == lam:
                base = y
            else:
                w = (lam - prev[-1]) / (y[-1] - prev[-1])
                base = prev + w * (y - prev)
            base = base.copy()
            base[-1] = lam
            pt, _, ok = path.correct(base, fixed_lambda=True, tol=1e-12, maxit=30)
            if not ok:
                raise BargainingError(f"logit: could not locate the branch at lambda={lam}")
            out.append((lam, tuple(np.exp(s) for s in path.P.split(pt[:-1]))))
            k += 1
        if k == len(targets):
            break
        prev = y
    return out


def qre_at(game: NormalFormGame, lam: float) -> tuple[np.ndarray, ...]:
    """The logit QRE on the principal branch at precision ``lam`` (σ_i(s) ∝ exp(λ v_i(s)))."""
    return logit_branch(game, [lam])[0][1]


def _newton_support(P: _Payoffs, sigma: list[np.ndarray], supports) -> list[np.ndarray] | None:
    """Newton's method on the indifference system of ``supports`` from ``sigma``."""
    n = P.n
    x = [np.where(np.isin(np.arange(m), s), sg, 0.0) for m, s, sg in zip(P.shape, supports, sigma)]
    x = [xi / xi.sum() for xi in x]
    for _ in range(50):
        v, D = P.values_and_jacobian(x)
        vs = P.split(v)
        rows = []
        F = []
        for i in range(n):
            s = supports[i]
            off = P.offsets[i]
            for k in s[1:]:
                F.append(vs[i][k] - vs[i][s[0]])
                rows.append(D[off + k] - D[off + s[0]])
            F.append(x[i].sum() - 1.0)
            r = np.zeros(P.M)
            r[off : off + P.shape[i]] = 1.0
            rows.append(r)
        F = np.array(F)
        cols = [P.offsets[i] + k for i in range(n) for k in supports[i]]
        Jm = np.array(rows)[:, cols]
        if np.max(np.abs(F)) < 1e-15:
            break
        step = np.linalg.lstsq(Jm, -F, rcond=None)[0]
        flat = np.concatenate(x)
        flat[cols] += step
        x = P.split(flat.copy())
        if np.max(np.abs(step)) < 1e-16:
            break
    if any(np.any(xi < -1e-12) for xi in x):
        return None
    return [np.clip(xi, 0.0, None) / np.clip(xi, 0.0, None).sum() for xi in x]


def _polish(
    game: NormalFormGame, sigma: list[np.ndarray], exact: bool, near: float = math.inf
) -> list | None:
    """A verified Nash equilibrium within ``near`` (max-norm) of the QRE point ``sigma``, or
    None. The distance guard keeps Newton from jumping to an equilibrium the branch does not
    approach."""
    result = _polish_any(game, sigma, exact)
    if result is None:
        return None
    dist = max(abs(float(p) - q) for a, b in zip(result, sigma) for p, q in zip(a, b))
    return result if dist <= near else None


def _polish_any(game: NormalFormGame, sigma: list[np.ndarray], exact: bool) -> list | None:
    P = _Payoffs(game)
    tol = verify.default_tolerance(game)
    for thr in (1e-2, 1e-3, 1e-4, 1e-6, 1e-8):
        supports = [tuple(int(k) for k in np.flatnonzero(s >= thr * s.max())) for s in sigma]
        if exact or game.exact:
            if sum(len(s) - 1 for s in supports) <= 6:  # exact solve only where it is quick
                status, points = solve_support(game.as_exact().payoffs, supports)
                best = None
                for prof, _alg in points:
                    if not all(isinstance(p, Fraction) for probs in prof for p in probs):
                        continue
                    if verify.max_regret(game.as_exact(), prof) == 0:
                        d = sum(abs(float(p) - q) for a, b in zip(prof, sigma) for p, q in zip(a, b))
                        if best is None or d < best[0]:
                            best = (d, prof)
                if best is not None:
                    return best[1]
        x = _newton_support(P, sigma, supports)
        if x is not None and verify.max_regret(game, [list(a) for a in x]) <= tol:
            return [list(map(float, a)) for a in x]
    return None


def logit(
    game: NormalFormGame,
    *,
    timeout: float | None = None,
    exact: bool = False,
    lambda_max: float | None = None,
    **_: Any,
) -> Solution:
    """One Nash equilibrium: the limit of the principal logit QRE branch, polished and verified
    (``complete: false``). ``lambda_max`` (default ``1e6 / payoff range``) bounds the trace."""
    deadline = Deadline(timeout)
    path = _LogitPath(game)
    lam_max = float(lambda_max) if lambda_max else 1e6 / path.scale
    tol = verify.default_tolerance(game)
    last = None
    message = None
    checkpoints = [100.0, 1e3, 1e4, 1e5, 1e6]
    eq_prof = None
    try:
        for y in path.trace(lam_max, deadline):
            last = y
            lam_scaled = y[-1] * path.scale
            if checkpoints and lam_scaled >= checkpoints[0]:
                while checkpoints and lam_scaled >= checkpoints[0]:
                    checkpoints.pop(0)
                sigma = [np.exp(s) for s in path.P.split(y[:-1])]
                eq_prof = _polish(game, sigma, exact, near=0.02)
                if eq_prof is not None:
                    break
    except BudgetExceeded:
        message = Deadline(timeout).message()
    except BargainingError as err:  # the continuation broke down: polish where it stopped
        message = str(err)
    if eq_prof is None and last is not None and (message is None or "budget" not in message):
        sigma = [np.exp(s) for s in path.P.split(last[:-1])]
        eq_prof = _polish(game, sigma, exact)
    eqs = []
    if eq_prof is not None:
        eq = _equilibrium(game, eq_prof, None, exact)
        r = eq.regret
        if (r == 0) if isinstance(r, Fraction) else (float(r) <= tol):
            eqs.append(eq.with_extra(qre_lambda=float(last[-1])))
    if not eqs and message is None:
        message = "the logit branch did not reach a verifiable Nash equilibrium"
    elif eqs and message and "budget" not in message:
        message += "; the equilibrium listed was polished from the last point reached and verified"
    rational = bool(eqs) and all(isinstance(p, Fraction) for probs in eqs[0].strategies for p in probs)
    return Solution(
        game=game,
        concept="nash",
        method="logit",
        equilibria=tuple(eqs),
        complete=False,
        exact=bool((exact or game.exact) and rational),
        options={"timeout": timeout, "lambda_max": lam_max},
        message=message,
        extra={"scope": "one equilibrium: the limit of the principal logit QRE branch"},
    )


# --------------------------------------------------------------------------------------------
# choosing a method
# --------------------------------------------------------------------------------------------
def enumpoly_is_small(game: NormalFormGame) -> bool:
    """True where ``enumpoly`` is expected to finish within seconds to a minute: after iterated
    dominance, at most 2,401 support profiles and at most 8 free probabilities in the largest
    support system (up to 4 players × 3 strategies, or 7 players × 2 strategies; a random
    3×3×3×3 game takes about 10 s)."""
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
        summary="all isolated equilibria of small games (support enumeration + exact "
        "polynomial solving); complete unless a continuum or the time budget intervenes",
    )
)
register(
    Method(
        name="logit",
        kinds=("normal",),
        concept="nash",
        function=logit,
        summary="one equilibrium: limit of the logit QRE branch (path following), verified; "
        "any size, not complete",
    )
)
