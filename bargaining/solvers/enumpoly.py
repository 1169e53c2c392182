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
dominance with one strict cell suffices since each support is searched as the exact support).
Each system is first searched by certified branch and bound over the product of the players'
simplices (:mod:`bargaining.solvers.polysystem`): a cell is discarded when a vertex-sign test or
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
radical or ``CRootOf`` form is kept as a string). Every candidate is checked by the
solver's own best-reply test (no better reply outside the support); the reported certificate is
the dispatcher's (:func:`bargaining.verify.certify`). This finds
every isolated equilibrium, so the result is ``complete`` unless a support has a continuum of
solutions (points on it are searched numerically and reported; ``complete: false``) or the time
budget runs out. It is built for small games (up to about 4 players × 3 strategies: a random
3×3×3×3 game takes about 2 to 4 s, half of it for the exact algebraic forms, which
``algebraic=False`` skips); float payoffs are read exactly by their decimal text.

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
import itertools
import math
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import BargainingError
from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Equilibrium, Solution, sort_key_profile
from bargaining.solvers.budget import BudgetExceeded, Deadline, run_streaming
from bargaining.solvers.enumpoly_closed import closed_form_roots, radical_values
from bargaining.solvers.polysystem import SupportSolver
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


class ConditionalDominance:
    """:func:`_conditionally_dominated` with its answers cached per player and opponents' support
    profile :math:`T_{-i}` (many support profiles share one), and a float pre-test: an exact weak
    dominance implies the float one (rounding is monotone), so only float candidates are confirmed
    in exact arithmetic, and a support profile is pruned only on an exact proof."""

    def __init__(self, U: np.ndarray, Uf: np.ndarray):
        self.U, self.Uf = U, Uf
        self.n = U.shape[0]
        self._cache: dict[tuple, frozenset[int]] = {}

    def dominated(self, i: int, others: tuple[tuple[int, ...], ...]) -> frozenset[int]:
        """Strategies of player i weakly dominated (one cell strict) by a pure strategy of
        :math:`S_i` against every profile of ``others`` (the opponents' supports, in order)."""
        key = (i, others)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        U, Uf = self.U, self.Uf
        m = U.shape[1 + i]
        full = list(others[:i]) + [tuple(range(m))] + list(others[i:])
        idx = np.ix_(*[list(x) for x in full])
        subf = np.moveaxis(Uf[i][idx], i, 0).reshape(m, -1)
        diff = subf[None, :, :] - subf[:, None, :]  # diff[s, t] = u(t) - u(s)
        cand = np.all(diff >= 0, axis=2)
        np.fill_diagonal(cand, False)
        out = set()
        if cand.any():
            sub = np.moveaxis(U[i][idx], i, 0).reshape(m, -1)
            for s, t in zip(*np.nonzero(cand)):
                if s in out:
                    continue
                d = [x - y for x, y in zip(sub[t], sub[s])]
                if all(v >= 0 for v in d) and any(v > 0 for v in d):
                    out.add(int(s))
        res = frozenset(out)
        self._cache[key] = res
        return res

    def __call__(self, supports: Sequence[Sequence[int]]) -> bool:
        """Same answer as :func:`_conditionally_dominated` (``U`` exact, ``Uf`` its float copy)."""
        T = tuple(tuple(x) for x in supports)
        for i in range(self.n):
            dead = self.dominated(i, T[:i] + T[i + 1 :])
            if dead and any(s in dead for s in T[i]):
                return True
        return False


def support_profiles(alive: Sequence[Sequence[int]]) -> Iterator[tuple[tuple[int, ...], ...]]:
    """Every support profile over the ``alive`` strategies, ordered as in Porter, Nudelman &
    Shoham (2008): by total size, then by imbalance (max − min support size), then lexically."""
    per_player = [[c for k in range(1, len(a) + 1) for c in itertools.combinations(a, k)] for a in alive]
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
    for i, support in enumerate(supports):
        for k in support[1:]:
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
    eqs: list[Any] = []
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
        minimal, coords = shape_form
        return _shape_points(shape, supports, owner, gens, gens[-1], minimal, coords, append_t=True)
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
        raise Unsolved(str(err)) from None
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


class Unsolved(Exception):
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

    points: list[tuple[list[Any], _LazyAlgebraic | None]] = []
    _, factors = sp.factor_list(p.as_expr(), t)
    for f, _mult in factors:
        fp = sp.Poly(f, t)
        if fp.degree() == 1:
            r = -fp.nth(0) / fp.nth(1)
            vals: list[Any] = [_to_fraction(gk.eval(r)) for gk in g]
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
    U, Uf, supports, seed: int, deadline: Deadline, algebraic: bool = True, use_closed: bool = True
):
    """One support: certified subdivision first (:mod:`bargaining.solvers.polysystem`), Gröbner
    bases where it cannot decide (singular roots, continua) or where an irrational equilibrium
    of a small system should get its exact algebraic form. Returns ``(status, points)`` as
    :func:`solve_support` does (status ``"finite"``, ``"continuum"`` or ``"unsolved"``).
    Supports with a closed form (:mod:`bargaining.solvers.enumpoly_closed`) are solved exactly
    by it, with the radical forms of irrational roots written directly."""
    closed = closed_form_roots(U, supports) if use_closed else None
    if closed is not None:
        out: list = []
        names = tuple(f"p[{i}][{k}]" for i, s in enumerate(supports) for k in s[1:])
        for root in closed:
            alg = None
            if root.radical is not None and algebraic:
                alg = (names, functools.partial(radical_values, root, supports))
            out.append((root.profile, alg))
        return "finite", out
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
    try:
        for supports in support_profiles(alive):
            deadline.check()
            if pruned(supports):
                skipped += 1
                continue
            searched += 1
            status, points = _solve_support_fast(U, Uf, supports, seed, deadline, algebraic)
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
    algebraic: bool = True,
) -> Solution:
    """All isolated Nash equilibria of a small n-player game by support enumeration with exact
    polynomial solving (see the module docstring). ``complete`` is True only when every support
    profile was solved and none had a continuum of solutions. With a limited ``deadline`` the search runs
    in a child process that is killed at the deadline; equilibria found so far are kept.
    ``algebraic=False`` skips the exact radical / ``CRootOf`` forms of irrational equilibria (a
    Gröbner basis per such support, often half the time of a 4-player game); the equilibria,
    their certificates and ``complete`` are the same either way."""
    if game.num_players < 1:
        raise BargainingError("enumpoly needs a game with at least one player")
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
            "algebraic": "exact radical forms of irrational equilibria in extra (Gröbner bases); "
            "default true, false is faster and finds the same equilibria",
        },
        summary="all isolated equilibria of small games (support enumeration + exact "
        "polynomial solving); complete unless a continuum or the time budget intervenes",
    )
)
