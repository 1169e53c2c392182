r"""Linear programs in floats with an exact re-derivation of the optimal vertex.

The commitment, mediation and persuasion solvers solve small linear programs
:math:`\max c^\top x` s.t. :math:`A_{ub} x \le b_{ub}`, :math:`A_{eq} x = b_{eq}`, :math:`x \ge 0`
with HiGHS (``scipy.optimize.linprog``). In exact mode the float optimum only *locates* the
vertex: the constraints that are tight there (equalities, inequalities with slack below a
tolerance, variables at zero) are collected, a maximal linearly independent subset of them is
solved in ``Fraction`` arithmetic (Gaussian elimination), and the rational point is checked
exactly against every constraint. This is the standard "crossover" idea of exact LP (Applegate,
Cook, Dash & Espinoza 2007, *Exact solutions to linear programming problems*): the basis found in
floats is exact if its rational solution is feasible and optimal. Optimality of the rational
point is certified by the callers' independent verifiers (``bargaining.verify``).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from scipy.optimize import linprog

from bargaining.errors import SolverError

__all__ = ["solve_lp", "exact_vertex", "optimal_point", "fraction_solve", "LPResult"]

TIGHT = 1e-7


class LPResult:
    """Status (``"optimal"``, ``"infeasible"``, ``"unbounded"``), the float point and value
    (``None`` unless optimal; :attr:`point` and :attr:`optimum` give them for an optimal LP)."""

    __slots__ = ("status", "x", "value")

    def __init__(self, status: str, x: np.ndarray | None, value: float | None):
        self.status, self.x, self.value = status, x, value

    @property
    def point(self) -> np.ndarray:
        """The optimal point; ``SolverError`` if the LP is not optimal."""
        if self.x is None:
            raise SolverError(f"the linear program is {self.status}: it has no optimal point")
        return self.x

    @property
    def optimum(self) -> float:
        """The optimal value; ``SolverError`` if the LP is not optimal."""
        if self.value is None:
            raise SolverError(f"the linear program is {self.status}: it has no optimal value")
        return self.value


def solve_lp(
    c: Any,
    A_ub: Any = None,
    b_ub: Any = None,
    A_eq: Any = None,
    b_eq: Any = None,
    bounds: Any = (0, None),
    maximize: bool = True,
) -> LPResult:
    """Solve the LP with HiGHS; ``maximize`` flips the sign of ``c``."""
    c = np.asarray(c, dtype=float)
    res = linprog(
        -c if maximize else c,
        A_ub=None if A_ub is None or len(A_ub) == 0 else np.asarray(A_ub, dtype=float),
        b_ub=None if b_ub is None or len(b_ub) == 0 else np.asarray(b_ub, dtype=float),
        A_eq=None if A_eq is None or len(A_eq) == 0 else np.asarray(A_eq, dtype=float),
        b_eq=None if b_eq is None or len(b_eq) == 0 else np.asarray(b_eq, dtype=float),
        bounds=bounds,
        method="highs",
    )
    if res.status == 2:
        return LPResult("infeasible", None, None)
    if res.status == 3:
        return LPResult("unbounded", None, None)
    if res.status != 0:
        raise SolverError(f"linear program failed: {res.message}")
    return LPResult("optimal", np.asarray(res.x, dtype=float), float(-res.fun if maximize else res.fun))


def fraction_solve(rows: Sequence[Sequence[Fraction]], rhs: Sequence[Fraction]) -> list[Fraction] | None:
    """The unique solution of a square system in Fractions (Gauss–Jordan), ``None`` if singular."""
    n = len(rows)
    m = [list(map(Fraction, r)) + [Fraction(b)] for r, b in zip(rows, rhs)]
    for col in range(n):
        piv = next((r for r in range(col, n) if m[r][col] != 0), None)
        if piv is None:
            return None
        m[col], m[piv] = m[piv], m[col]
        p = m[col][col]
        m[col] = [v / p for v in m[col]]
        for r in range(n):
            if r != col and m[r][col] != 0:
                f = m[r][col]
                m[r] = [a - f * b for a, b in zip(m[r], m[col])]
    return [m[r][n] for r in range(n)]


def _independent_rows(rows: list[list[Fraction]], need: int) -> list[int] | None:
    """Indices of ``need`` linearly independent rows, preferring earlier rows (exact elimination)."""
    chosen: list[int] = []
    basis: list[tuple[int, list[Fraction]]] = []  # (pivot column, reduced row)
    for k, row in enumerate(rows):
        r = list(row)
        for col, b in basis:
            if r[col] != 0:
                f = r[col] / b[col]
                r = [x - f * y for x, y in zip(r, b)]
        piv = next((j for j, v in enumerate(r) if v != 0), None)
        if piv is None:
            continue
        basis.append((piv, r))
        chosen.append(k)
        if len(chosen) == need:
            return chosen
    return None


def exact_vertex(
    x: np.ndarray,
    A_ub: Sequence[Sequence[Any]],
    b_ub: Sequence[Any],
    A_eq: Sequence[Sequence[Any]],
    b_eq: Sequence[Any],
) -> list[Fraction] | None:
    """The rational vertex near the float point ``x`` of ``{A_ub x <= b_ub, A_eq x = b_eq, x >= 0}``.

    The rows are Fractions (or numbers read exactly). Equalities come first, then tight
    inequalities, then tight bounds ``x_j >= 0``; a maximal independent set of ``len(x)`` of them
    is solved exactly. Returns ``None`` if the tight constraints do not pin down a point or the
    rational point violates a constraint (the float point was not near a vertex)."""
    n = len(x)
    scale = max(1.0, float(np.max(np.abs(x))) if n else 1.0)
    rows: list[list[Fraction]] = []
    rhs: list[Fraction] = []
    for a, b in zip(A_eq, b_eq):
        rows.append([Fraction(v) for v in a])
        rhs.append(Fraction(b))
    for a, b in zip(A_ub, b_ub):
        fa = [Fraction(v) for v in a]
        slack = float(b) - float(np.dot([float(v) for v in fa], x))
        if abs(slack) <= TIGHT * scale * max(1.0, max((abs(float(v)) for v in fa), default=1.0)):
            rows.append(fa)
            rhs.append(Fraction(b))
    for j in range(n):
        if abs(x[j]) <= TIGHT * scale:
            rows.append([Fraction(int(i == j)) for i in range(n)])
            rhs.append(Fraction(0))
    pick = _independent_rows(rows, n)
    if pick is None:
        return None
    point = fraction_solve([rows[k] for k in pick], [rhs[k] for k in pick])
    if point is None:
        return None
    if any(v < 0 for v in point):
        return None
    for a, b in zip(A_eq, b_eq):
        if sum(Fraction(v) * p for v, p in zip(a, point)) != Fraction(b):
            return None
    for a, b in zip(A_ub, b_ub):
        if sum(Fraction(v) * p for v, p in zip(a, point)) > Fraction(b):
            return None
    return point


def optimal_point(
    res: LPResult,
    c: Sequence[Any] | np.ndarray,
    A_ub: Sequence[Sequence[Any]],
    b_ub: Sequence[Any],
    A_eq: Sequence[Sequence[Any]],
    b_eq: Sequence[Any],
    exact: bool,
    *,
    clip: bool = False,
) -> tuple[list[Any], Any]:
    """The optimal point of a solved LP and its objective value ``c·x``: in exact mode the
    rational vertex re-derived by :func:`exact_vertex` (a :class:`SolverError` if that fails), else
    the float point (``clip``: round-off below 0 set to 0) and the LP's optimum."""
    if not exact:
        point = [max(0.0, float(v)) if clip else float(v) for v in res.point]
        return point, res.optimum
    vertex = exact_vertex(res.point, A_ub, b_ub, A_eq, b_eq)
    if vertex is None:
        raise SolverError("the exact re-derivation of the LP vertex failed; solve without --exact")
    return vertex, sum((a * b for a, b in zip(c, vertex)), start=Fraction(0))
