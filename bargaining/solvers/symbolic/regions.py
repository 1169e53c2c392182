r"""Semi-algebraic regions of the parameter box: conjunctions of polynomial inequalities
:math:`g_k(\theta) \le 0`, and the case splitting that symbolic solvers build them with.

A :class:`Region` is a list of polynomials ``g`` read as ``g <= 0`` (closed: the boundary
belongs to both neighbours, where both answers are equilibria or the answer changes), inside the
box of the symbolic parameters' ranges.

*Clearing denominators with sign care.* A rational condition ``N/D <= 0`` becomes ``N <= 0`` where
``D > 0`` on the region, ``-N <= 0`` where ``D < 0``, and otherwise the region is split into the
two cases (:meth:`Region.impose`), so every condition stays polynomial.

*Deciding signs.* A polynomial's sign on a region is decided exactly when it is a constant, or
when it and the region's conditions are linear: a linear programme (scipy's HiGHS) gives its
minimum and maximum over the polytope (Schrijver, *Theory of Linear and Integer Programming*,
1986). Products of decided factors are decided factor by factor. Anything else is *undecided*:
the caller splits the case in two. Feasibility of a region is decided the same way for linear
regions; a nonlinear region is kept when a random sample of the box finds a point in it, and
dropped otherwise (a region no sample point reaches is at most a sliver: this is a heuristic and
is documented as such).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

__all__ = ["Box", "Region", "Undecided"]

_TOL = 1e-9


class Undecided(Exception):
    """A sign sympy and the linear check cannot decide on a region."""


@dataclass(frozen=True)
class Box:
    """The symbolic parameters with their ranges ``[lo, hi]`` (exact rationals)."""

    symbols: tuple[sp.Symbol, ...]
    bounds: tuple[tuple[sp.Rational, sp.Rational], ...]

    def sample(self, rng: random.Random) -> dict[sp.Symbol, float]:
        return {s: rng.uniform(float(lo), float(hi)) for s, (lo, hi) in zip(self.symbols, self.bounds)}


def _linear(expr: sp.Expr, syms: Sequence[sp.Symbol]) -> tuple[list[float], float] | None:
    """Coefficients and constant of a linear polynomial in ``syms`` (None when not linear)."""
    try:
        poly = sp.Poly(sp.expand(expr), *syms)
    except sp.PolynomialError:
        return None
    if poly.total_degree() > 1:
        return None
    coeffs = []
    for s in syms:
        c = poly.coeff_monomial(s)
        if not c.is_number:
            return None
        coeffs.append(float(c))
    c0 = poly.coeff_monomial(1)
    if not c0.is_number:
        return None
    return coeffs, float(c0)


@dataclass(frozen=True)
class Region:
    """``g <= 0`` for every ``g`` in ``conditions``, inside ``box``."""

    box: Box
    conditions: tuple[sp.Expr, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)

    # -- linear programming over the region ----------------------------------------------------
    def _lp(self, objective: sp.Expr | None, sense: int = 1) -> float | None | bool:
        """min (sense 1) or max (sense -1) of a linear objective over the linear region;
        ``False`` if the region is infeasible; ``None`` if some condition is not linear."""
        from scipy.optimize import linprog

        syms = self.box.symbols
        rows, rhs = [], []
        for g in self.conditions:
            lin = _linear(g, syms)
            if lin is None:
                return None
            a, c = lin
            rows.append(a)
            rhs.append(-c + _TOL)
        if objective is None:
            cvec, c0 = [0.0] * len(syms), 0.0
        else:
            lin = _linear(objective, syms)
            if lin is None:
                return None
            cvec, c0 = lin
        bounds = [(float(lo), float(hi)) for lo, hi in self.box.bounds]
        if not syms:
            return c0 if all(r <= rhs_i for r, rhs_i in zip([0.0] * len(rhs), rhs)) else False
        res = linprog(
            [sense * v for v in cvec], A_ub=rows or None, b_ub=rhs or None, bounds=bounds, method="highs"
        )
        if res.status == 2:
            return False
        if res.status != 0:
            return None
        return sense * res.fun + c0

    # -- signs ----------------------------------------------------------------------------------
    def sign(self, expr: sp.Expr) -> int:
        """+1 if ``expr >= 0`` on the region, -1 if ``expr <= 0``, 0 if identically 0; raises
        :class:`Undecided` otherwise."""
        expr = sp.expand(expr)
        if expr == 0:
            return 0
        if expr.is_number:
            return 1 if expr > 0 else -1
        factors = sp.factor_list(expr)
        if len(factors[1]) > 1 or (factors[1] and factors[1][0][1] > 1):
            s = 1 if factors[0] > 0 else -1
            for f, k in factors[1]:
                if k % 2 == 0:
                    continue
                s *= self.sign(f)
            return s
        ilo, ihi = _interval(expr, self.box)
        if ilo >= 0:
            return 1
        if ihi <= 0:
            return -1
        lo = self._lp(expr, 1)
        hi = self._lp(expr, -1)
        if lo is None or hi is None or lo is False or hi is False:
            raise Undecided(str(expr))
        if lo >= -_TOL * 10:
            return 1
        if hi <= _TOL * 10:
            return -1
        raise Undecided(str(expr))

    def with_condition(self, g: sp.Expr) -> Region:
        g = self._drop_signed_factors(_clean(g))
        if g.is_number:
            if g <= 0:
                return self
            return Region(self.box, self.conditions + (sp.Integer(1),), self.notes)
        if g in self.conditions:
            return self
        return Region(self.box, self.conditions + (g,), self.notes)

    def _drop_signed_factors(self, g: sp.Expr) -> sp.Expr:
        """``g`` without the factors whose sign is fixed on the box (even powers, and odd
        factors of one sign): ``(10p − 3)(1 − p) <= 0`` becomes ``10p − 3 <= 0`` for p in [0, 1]
        (the two differ only where the dropped factor vanishes, on the box's boundary)."""
        if g.is_number:
            return g
        const, factors = sp.factor_list(g)
        if len(factors) == 1 and factors[0][1] == 1:
            return g
        box = Region(self.box)
        sign = 1 if const > 0 else -1
        keep = []
        for f, k in factors:
            if k % 2 == 0:
                continue
            try:
                s = box.sign(f)
            except Undecided:
                keep.append(f)
                continue
            if s == 0:
                keep.append(f)
            else:
                sign *= s
        if not keep:
            return sp.Integer(0) if sign < 0 else sp.Integer(1)
        return _clean(sign * sp.Mul(*keep))

    def impose(self, g: sp.Expr) -> list[Region]:
        """The regions (0, 1 or 2) where the rational condition ``g <= 0`` holds, denominators
        cleared with sign care; infeasible pieces are dropped."""
        num, den = sp.fraction(sp.together(sp.sympify(g)))
        num, den = sp.expand(num), sp.expand(den)
        try:
            s = self.sign(den)
            if s == 0:
                return []  # undefined (a zero denominator): not a region
            pieces = [self.with_condition(num * s)]
        except Undecided:
            pieces = [
                self.with_condition(-den).with_condition(num),
                self.with_condition(den).with_condition(-num),
            ]
        return [r for r in pieces if r.feasible()]

    def impose_all(self, gs: Iterable[sp.Expr]) -> list[Region]:
        regions = [self]
        for g in gs:
            regions = [r2 for r in regions for r2 in r.impose(g)]
            if not regions:
                break
        return regions

    # -- feasibility and simplification ----------------------------------------------------------
    def _interior_lp(self) -> bool | None:
        """Whether the linear region has interior points (max t with g + t <= 0 is > 0);
        None if some condition is not linear."""
        from scipy.optimize import linprog

        syms = self.box.symbols
        rows, rhs = [], []
        for g in self.conditions:
            lin = _linear(g, syms)
            if lin is None:
                return None
            a, c = lin
            norm = max(1.0, max((abs(v) for v in a), default=0.0))
            rows.append([v / norm for v in a] + [1.0])
            rhs.append(-c / norm)
        if not rows:
            return True
        bounds = [(float(lo), float(hi)) for lo, hi in self.box.bounds] + [(None, 1.0)]
        res = linprog([0.0] * len(syms) + [-1.0], A_ub=rows, b_ub=rhs, bounds=bounds, method="highs")
        if res.status != 0:
            return False
        return -res.fun > 1e-7

    def feasible(self, samples: int = 400, seed: int = 0) -> bool:
        """Whether the region has interior points (regions that are only boundaries, such as
        ``k <= 0`` for a parameter with range [0, 10], are dropped: there the neighbouring
        families' closed regions already meet)."""
        if any(g.is_number and g > 0 for g in self.conditions):
            return False
        lp = self._interior_lp()
        if lp is not None:
            return lp
        rng = random.Random(seed)
        fns = self._lambdas()
        for _ in range(samples):
            pt = self.box.sample(rng)
            if self._holds(fns, pt, -1e-9):
                return True
        return False

    def _lambdas(self) -> list[Any]:
        syms = self.box.symbols
        return [sp.lambdify(syms, g, "math") for g in self.conditions]

    def _holds(self, fns: list[Any], pt: dict[sp.Symbol, float], tol: float) -> bool:
        args = [pt[s] for s in self.box.symbols]
        try:
            return all(f(*args) <= tol for f in fns)
        except (ZeroDivisionError, ValueError, OverflowError):
            return False

    def contains(self, point: dict[sp.Symbol, float], tol: float = 1e-9) -> bool:
        return self._holds(self._lambdas(), point, tol)

    def simplified(self) -> Region:
        """Conditions implied by the others and the box dropped (exact LP test for linear
        regions); duplicates and positive constant factors removed."""
        conds = list(dict.fromkeys(_clean(g) for g in self.conditions if not (g.is_number and g <= 0)))
        keep = list(conds)
        syms = self.box.symbols
        for g in conds:
            if _interval(g, self.box)[1] <= 0:
                keep = [h for h in keep if h is not g]
                continue
            if _linear(g, syms) is None:
                continue
            others = Region(self.box, tuple(h for h in keep if h is not g and _linear(h, syms) is not None))
            mx = others._lp(g, -1)
            if mx is not None and mx is not False and mx <= _TOL * 10:
                keep = [h for h in keep if h is not g]
        return Region(self.box, tuple(keep), self.notes)

    def sample_points(self, n: int, seed: int = 0, tries: int = 20000) -> list[dict[sp.Symbol, float]]:
        """Up to ``n`` random points of the box inside the region (rejection sampling)."""
        rng = random.Random(seed)
        fns = self._lambdas()
        out = []
        for _ in range(tries):
            pt = self.box.sample(rng)
            if self._holds(fns, pt, -1e-7):  # strictly inside: away from boundaries
                out.append(pt)
                if len(out) >= n:
                    break
        return out

    def texts(self) -> list[str]:
        return [f"{sp.sstr(g)} <= 0" for g in self.conditions]


def _interval(expr: sp.Expr, box: Box) -> tuple[float, float]:
    """Bounds of a polynomial over the box by interval arithmetic on its monomials (sound,
    not tight); (-inf, inf) when ``expr`` is not a polynomial in the box's symbols."""
    syms = box.symbols
    try:
        poly = sp.Poly(expr, *syms)
    except sp.PolynomialError:
        return float("-inf"), float("inf")
    if not all(c.is_number for c in poly.coeffs()):
        return float("-inf"), float("inf")
    lo = hi = 0.0
    for monom, coeff in poly.terms():
        a, b = 1.0, 1.0
        for (l, h), k in zip(box.bounds, monom):
            if k == 0:
                continue
            cands = [float(l) ** k, float(h) ** k]
            if k % 2 == 0 and float(l) < 0 < float(h):
                cands.append(0.0)
            x, y = min(cands), max(cands)
            prods = [a * x, a * y, b * x, b * y]
            a, b = min(prods), max(prods)
        c = float(coeff)
        lo += min(c * a, c * b)
        hi += max(c * a, c * b)
    return lo, hi


def _clean(g: sp.Expr) -> sp.Expr:
    """``g`` expanded, scaled by a positive number to integer coefficients with content 1."""
    g = sp.expand(g)
    if g.is_number:
        return g
    syms = sorted(g.free_symbols, key=str)
    _, poly = sp.Poly(g, *syms, domain="QQ").clear_denoms(convert=True)
    _, prim = poly.primitive()
    return sp.expand(prim.as_expr())
