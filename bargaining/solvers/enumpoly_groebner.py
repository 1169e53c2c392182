r"""Exact solving of one support system of ``enumpoly`` by Gröbner bases (sympy).

The system of a support profile :math:`T` (see :mod:`bargaining.solvers.enumpoly`) is solved in
exact rational arithmetic: a Gröbner basis (grevlex, then FGLM to lex; Cox, Little & O'Shea,
*Ideals, Varieties, and Algorithms*, ch. 2-3) decides whether the system has no solution,
finitely many, or a continuum. When finite, a random separating linear form :math:`t` puts the
lex basis in shape form :math:`\{x_k - g_k(t), p(t)\}` (the shape lemma), the real roots of
:math:`p` are isolated exactly (rational roots stay exact; irrational ones are evaluated to 40
digits and their radical or ``CRootOf`` form is kept as a string). On a continuum a few points
are sampled (exact slices first, then Gauss-Newton). ``enumpoly`` uses this where its
subdivision solver cannot decide a support and for the exact forms of irrational equilibria.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = ["solve_support", "Unsolved"]

_DIGITS = 40  # working precision for irrational roots


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
