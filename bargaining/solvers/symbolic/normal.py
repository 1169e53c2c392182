r"""Symbolic Nash equilibria of small two-player normal-form games by support enumeration.

For each pair of supports (I, J) of equal size, the indifference equations

    Σ_j A[i, j] y_j = v  (i ∈ I),  Σ_{j∈J} y_j = 1;     Σ_i B[i, j] x_i = w  (j ∈ J),  Σ_{i∈I} x_i = 1

are solved symbolically (they are linear in x, y with coefficients in the parameters). The
family's region is x ≥ 0, y ≥ 0 and no profitable deviation outside the supports, each a
rational inequality in the parameters whose denominators are cleared with sign care
(:meth:`~bargaining.solvers.symbolic.regions.Region.impose`). Support enumeration is the method
of Mangasarian (1964) and Dickhaut–Kaplan (1991); in nondegenerate games every equilibrium has
supports of equal size (von Stengel, *Handbook of Game Theory* 3, 2002, ch. 45, Thm 2.4), so
unequal supports only meet on boundaries (measure zero) and are not listed.
"""

from __future__ import annotations

import itertools
from typing import Any

import sympy as sp

from bargaining.solvers.budget import Deadline
from bargaining.solvers.symbolic.convert import SymbolicError, SymbolicSetup
from bargaining.solvers.symbolic.family import Family

__all__ = ["normal_families", "payoff_matrices"]

MAX_STRATEGIES = 6


def payoff_matrices(st: SymbolicSetup, game: Any) -> tuple[sp.Matrix, sp.Matrix]:
    """The two payoff matrices of a two-player ``kind: normal`` template, in sympy."""
    body = st.body
    players = list(game.players)
    strategies = [list(s) for s in game.strategies]
    m, n = len(strategies[0]), len(strategies[1])
    A = sp.zeros(m, n)
    B = sp.zeros(m, n)
    if "cells" in body:
        for key, val in body["cells"].items():
            a, b = (s.strip() for s in str(key).split(","))
            i, j = strategies[0].index(a), strategies[1].index(b)
            A[i, j], B[i, j] = val[0], val[1]
    else:
        pay = body["payoffs"]
        pa, pb = (pay[players[0]], pay[players[1]]) if isinstance(pay, dict) else (pay[0], pay[1])
        for i in range(m):
            for j in range(n):
                A[i, j], B[i, j] = pa[i][j], pb[i][j]
    return A, B


def _solve_indifference(M: sp.Matrix, rows: tuple[int, ...], cols: tuple[int, ...]) -> list[sp.Expr] | None:
    """Mixed strategy over ``cols`` (column player) making the row player indifferent among
    ``rows`` under payoff matrix ``M``; None when the system has no unique solution."""
    k = len(cols)
    ys = sp.symbols(f"y0:{k}")
    v = sp.Symbol("v")
    eqs = [sum(M[i, cols[t]] * ys[t] for t in range(k)) - v for i in rows] + [sum(ys) - 1]
    sol = sp.solve(eqs, list(ys) + [v], dict=True)
    if len(sol) != 1 or any(s not in sol[0] for s in ys):
        return None
    return [sp.simplify(sol[0][s]) for s in ys]


def normal_families(st: SymbolicSetup, game: Any, deadline: Deadline) -> tuple[list[Family], list[str]]:
    if len(game.players) != 2:
        raise SymbolicError(f"{st.template.name}: symbolic normal form needs two players")
    A, B = payoff_matrices(st, game)
    m, n = A.shape
    if max(m, n) > MAX_STRATEGIES:
        raise SymbolicError(
            f"{st.template.name}: symbolic support enumeration is limited to {MAX_STRATEGIES} "
            "strategies per player"
        )
    names = [list(s) for s in game.strategies]
    players = list(game.players)
    families: list[Family] = []
    notes: list[str] = []
    for k in range(1, min(m, n) + 1):
        for I in itertools.combinations(range(m), k):
            for J in itertools.combinations(range(n), k):
                deadline.check()
                y = _solve_indifference(A, I, J)
                x = _solve_indifference(B.T, J, I)
                if x is None or y is None:
                    notes.append(
                        f"supports {[names[0][i] for i in I]} x {[names[1][j] for j in J]}: "
                        "indifference system without a unique solution (skipped: degenerate)"
                    )
                    continue
                X = [sp.Integer(0)] * m
                Y = [sp.Integer(0)] * n
                for t, i in enumerate(I):
                    X[i] = x[t]
                for t, j in enumerate(J):
                    Y[j] = y[t]
                u1 = [sum(A[i, j] * Y[j] for j in range(n)) for i in range(m)]
                u2 = [sum(B[i, j] * X[i] for i in range(m)) for j in range(n)]
                conds = [-X[i] for i in I] + [-Y[j] for j in J]
                conds += [u1[i] - u1[I[0]] for i in range(m) if i not in I]
                conds += [u2[j] - u2[J[0]] for j in range(n) if j not in J]
                regions = st.region.impose_all(conds)
                v1 = sp.simplify(sum(X[i] * u1[i] for i in range(m)))
                v2 = sp.simplify(sum(Y[j] * u2[j] for j in range(n)))
                label = "pure" if k == 1 else "mixed"
                for reg in regions:
                    families.append(
                        Family(
                            label=label,
                            strategies={
                                players[0]: dict(zip(names[0], X)),
                                players[1]: dict(zip(names[1], Y)),
                            },
                            region=reg.simplified(),
                            values={players[0]: v1, players[1]: v2},
                        )
                    )
    return families, notes
