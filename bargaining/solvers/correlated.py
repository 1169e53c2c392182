r"""Correlated and coarse correlated equilibria of n-player normal-form games.

A **correlated equilibrium** (Aumann 1974, *Subjectivity and correlation in randomized
strategies*, J. Math. Econ. 1) is a distribution :math:`p` over joint profiles such that a
mediator who draws :math:`s \sim p` and recommends :math:`s_i` to each player privately is obeyed:
for every player i and strategies :math:`s_i \ne t_i`,

.. math:: \sum_{s_{-i}} p(s_i, s_{-i})\,[u_i(s_i, s_{-i}) - u_i(t_i, s_{-i})] \ge 0 .

A **coarse correlated equilibrium** (Moulin & Vial 1978) only asks that no player prefers to
commit to a fixed :math:`t_i` before seeing the recommendation:
:math:`\sum_s p(s)\,[u_i(s) - u_i(t_i, s_{-i})] \ge 0`. Both sets are polytopes (Hart & Schmeidler
1989), so a linear objective is one LP (HiGHS):

- ``objective="welfare"`` (default): maximise :math:`\sum_i u_i`;
- ``objective=<player name>``: maximise that player's payoff;
- ``objective="entropy"``: the maximum-entropy equilibrium, :math:`\max -\sum_s p(s)\log p(s)`,
  a strictly concave programme solved by SLSQP (scipy) in floats (never exact).

In exact mode the LP's vertex is re-derived in Fractions (:mod:`bargaining.solvers.lpexact`).
Several distributions may reach the optimum; the one returned is a vertex of the optimal face.

:func:`ce_vertices` lists **every vertex** of the polytope by enumerating the sets of
:math:`N - 1` tight inequalities (N joint profiles) that meet the simplex's equation in one
point (basic feasible solutions, as in the vertex enumeration of Avis & Fukuda's reverse search,
but by brute force): complete, and limited to ``VERTEX_LIMIT`` candidate sets (e.g. 2×2, 2×3,
3×2 and 2×2×2 games).
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np
from scipy.optimize import minimize

from bargaining.errors import SolverError
from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Equilibrium, Solution
from bargaining.solvers.budget import BudgetExceeded, Deadline
from bargaining.solvers.lpexact import fraction_solve, optimal_point, solve_lp
from bargaining.solvers.registry import Method, register

__all__ = ["correlated", "coarse_correlated", "ce_vertices", "incentive_rows", "VERTEX_LIMIT"]

VERTEX_LIMIT = 100_000  # candidate sets of tight constraints for the vertex enumeration


def incentive_rows(payoffs: np.ndarray, coarse: bool) -> list[tuple[int, int, int | None, np.ndarray]]:
    """The incentive constraints ``row . p >= 0`` as ``(player, t_i, s_i or None, row)``; the
    row is over the cells in ``np.ndindex`` order. ``payoffs`` has shape ``(n, s_1, ..., s_n)``
    (float or Fraction objects)."""
    n = payoffs.shape[0]
    shape = payoffs.shape[1:]
    out: list[tuple[int, int, int | None, np.ndarray]] = []
    for i in range(n):
        u = payoffs[i]
        for t in range(shape[i]):
            dev = np.take(u, [t] * shape[i], axis=i)  # u_i(t_i, s_{-i}) on every cell
            gain = u - dev
            if coarse:
                out.append((i, t, None, gain.reshape(-1)))
                continue
            for s in range(shape[i]):
                if s == t:
                    continue
                row = np.zeros_like(gain)
                idx: list[slice | int] = [slice(None)] * n
                idx[i] = s
                row[tuple(idx)] = gain[tuple(idx)]
                out.append((i, t, s, row.reshape(-1)))
    return out


def _objective_vector(game: NormalFormGame, pay: np.ndarray, objective: str) -> tuple[np.ndarray, str]:
    if objective == "welfare":
        return pay.sum(axis=0).reshape(-1), "welfare"
    if objective in game.players or objective.isdigit():
        k = game.player_index(objective)
        return pay[k].reshape(-1), f"payoff of {game.players[k]}"
    raise SolverError(
        f"--objective {objective}: use welfare, entropy or a player's name ({', '.join(game.players)})"
    )


def _equilibrium(
    game: NormalFormGame,
    pay: np.ndarray,
    rows: list,
    p: list[Any],
    exact: bool,
    label: str,
    objective: dict[str, Any] | None,
) -> Equilibrium:
    shape = game.shape
    zero = Fraction(0) if exact else 0.0
    cells = list(np.ndindex(*shape))
    payoffs = tuple(
        sum((p[k] * pay[(i, *c)] for k, c in enumerate(cells)), start=zero) for i in range(game.num_players)
    )
    marg = []
    for i, m in enumerate(shape):
        probs = [zero] * m
        for k, c in enumerate(cells):
            probs[c[i]] += p[k]
        marg.append(tuple(probs))
    gains = [-sum((r[k] * p[k] for k in range(len(p))), start=zero) for *_, r in rows]
    regret = max([zero, *gains])
    dist = [
        {"profile": [game.strategies[i][c[i]] for i in range(len(shape))], "probability": p[k]}
        for k, c in enumerate(cells)
    ]
    extra: dict[str, Any] = {"distribution": dist}
    if objective is not None:
        extra["objective"] = objective
    return Equilibrium(strategies=tuple(marg), payoffs=payoffs, regret=regret, label=label, extra=extra)


def _setup(game: NormalFormGame, exact: bool, coarse: bool) -> tuple[np.ndarray, list]:
    if getattr(game, "kind", None) != "normal":
        raise SolverError(
            "correlated equilibria are computed for normal-form games; convert the tree "
            "to normal form first (bargain convert FILE --to nfg)"
        )
    pay = game.as_exact().payoffs if exact else game.float_payoffs
    return pay, incentive_rows(pay, coarse)


def _optimise(game: NormalFormGame, *, exact: bool, objective: str, coarse: bool) -> Solution:
    concept = "coarse-correlated" if coarse else "correlated"
    pay, rows = _setup(game, exact, coarse)
    N = int(np.prod(game.shape))
    A_ub = [[-v for v in r] for *_, r in rows]
    b_ub = [0] * len(rows)
    A_eq, b_eq = [[1] * N], [1]
    if objective == "entropy":
        fpay = game.float_payoffs
        frows = incentive_rows(fpay, coarse)
        G = np.array([r for *_, r in frows], dtype=float)

        def f(p: np.ndarray) -> float:
            q = np.clip(p, 1e-300, None)
            return float(np.sum(np.where(p > 0, p * np.log(q), 0.0)))

        def grad(p: np.ndarray) -> np.ndarray:
            return np.log(np.clip(p, 1e-12, None)) + 1.0

        start = _optimise(game, exact=False, objective="welfare", coarse=coarse)
        p0 = np.array([d["probability"] for d in start[0].extra["distribution"]], dtype=float)
        p0 = 0.5 * p0 + 0.5 / N  # pulled inside the simplex; SLSQP restores feasibility
        res = minimize(
            f,
            p0,
            jac=grad,
            method="SLSQP",
            bounds=[(0.0, 1.0)] * N,
            constraints=[
                {"type": "ineq", "fun": lambda p: G @ p, "jac": lambda p: G},
                {"type": "eq", "fun": lambda p: np.sum(p) - 1.0, "jac": lambda p: np.ones(N)},
            ],
            options={"maxiter": 1000, "ftol": 1e-12},
        )
        if not res.success:
            raise SolverError(f"maximum-entropy {concept} equilibrium: SLSQP failed ({res.message})")
        p = [float(max(v, 0.0)) for v in res.x]
        s = sum(p)
        p = [v / s for v in p]
        ent = -sum(v * math.log(v) for v in p if v > 0)
        eq = _equilibrium(game, fpay, frows, p, False, concept, {"name": "entropy", "value": ent})
        return Solution(
            game=game,
            concept=concept,
            method="cce-lp" if coarse else "ce-lp",
            equilibria=(eq,),
            complete=True,
            exact=False,
            options={"objective": "entropy"},
            message="maximum entropy by SLSQP in floats (tolerance 1e-12 on the objective)",
        )
    c, name = _objective_vector(game, pay, objective)
    res = solve_lp([float(v) for v in c], [[float(v) for v in r] for r in A_ub], b_ub, A_eq, b_eq)
    if res.status != "optimal":
        raise SolverError(f"{concept} LP is {res.status}; every finite game has one (a bug)")
    point, value = optimal_point(res, c, A_ub, b_ub, A_eq, b_eq, exact)
    eq = _equilibrium(game, pay, rows, point, exact, concept, {"name": name, "value": value})
    return Solution(
        game=game,
        concept=concept,
        method="cce-lp" if coarse else "ce-lp",
        equilibria=(eq,),
        complete=True,
        exact=exact,
        options={"objective": objective},
        message=f"an optimal {concept} distribution for the objective {name} (optimal value is "
        "unique; the distribution need not be)",
    )


def correlated(
    game: NormalFormGame,
    *,
    deadline: Deadline = Deadline.NONE,
    exact: bool = False,
    objective: str = "welfare",
) -> Solution:
    """An optimal correlated equilibrium for ``objective`` (welfare, a player's name, entropy)."""
    return _optimise(game, exact=exact, objective=objective, coarse=False)


def coarse_correlated(
    game: NormalFormGame,
    *,
    deadline: Deadline = Deadline.NONE,
    exact: bool = False,
    objective: str = "welfare",
) -> Solution:
    """An optimal coarse correlated equilibrium for ``objective``."""
    return _optimise(game, exact=exact, objective=objective, coarse=True)


def ce_vertices(game: NormalFormGame, *, deadline: Deadline = Deadline.NONE, exact: bool = False) -> Solution:
    """Every vertex of the correlated equilibrium polytope, by basic solutions.

    Complete when the enumeration finishes; refused above ``VERTEX_LIMIT`` candidate sets."""
    return _vertices(game, deadline=deadline, exact=exact, coarse=False)


def _vertices(game: NormalFormGame, *, deadline: Deadline, exact: bool, coarse: bool) -> Solution:
    """Every vertex of the (coarse) correlated equilibrium polytope."""
    concept = "coarse-correlated" if coarse else "correlated"
    pay, rows = _setup(game, True, coarse)  # exact rows: vertices are decided exactly
    N = int(np.prod(game.shape))
    ineq = [[Fraction(v) for v in r] for *_, r in rows] + [
        [Fraction(int(k == j)) for k in range(N)] for j in range(N)
    ]
    fineq = np.array([[float(v) for v in r] for r in ineq])
    count = math.comb(len(ineq), N - 1)
    if count > VERTEX_LIMIT:
        raise SolverError(
            f"the {concept} polytope of this game has {count} candidate vertex bases (limit "
            f"{VERTEX_LIMIT}): list vertices only for small games (2x2, 2x3, 2x2x2); use "
            "--objective for an optimal equilibrium"
        )
    ones = [Fraction(1)] * N
    found: dict[tuple, list[Fraction]] = {}
    complete = True
    try:
        for k, pick in enumerate(combinations(range(len(ineq)), N - 1)):
            if k % 256 == 0:
                deadline.check()
            M = np.vstack([fineq[list(pick)], np.ones(N)])
            if abs(np.linalg.det(M)) < 1e-12 * max(1.0, np.abs(M).max()) ** N:
                continue
            x = np.linalg.solve(M, np.r_[np.zeros(N - 1), 1.0])
            if (x < -1e-9).any() or (fineq @ x < -1e-9).any():
                continue
            p = fraction_solve([ineq[j] for j in pick] + [ones], [Fraction(0)] * (N - 1) + [Fraction(1)])
            if p is None or any(v < 0 for v in p) or any(sum(a * b for a, b in zip(r, p)) < 0 for r in ineq):
                continue
            found[tuple(p)] = p
    except BudgetExceeded:
        complete = False
    verts = sorted(found.values(), key=lambda p: tuple(-v for v in p))
    fpay = pay if exact else game.float_payoffs
    eqs = []
    for p in verts:
        q = p if exact else [float(v) for v in p]
        rws = rows if exact else incentive_rows(fpay, coarse)
        eqs.append(_equilibrium(game, fpay, rws, q, exact, f"{concept} vertex", None))
    return Solution(
        game=game,
        concept=concept,
        method="cce-vertices" if coarse else "ce-vertices",
        equilibria=tuple(eqs),
        complete=complete,
        exact=exact,
        options={"coarse": coarse},
        message=None if complete else deadline.message(),
        extra={"polytope": {"vertices": len(eqs), "joint_profiles": N, "constraints": len(rows)}},
    )


def cce_vertices(
    game: NormalFormGame, *, deadline: Deadline = Deadline.NONE, exact: bool = False
) -> Solution:
    """Every vertex of the coarse correlated equilibrium polytope."""
    return _vertices(game, deadline=deadline, exact=exact, coarse=True)


_OBJ = {"objective": "welfare (default), entropy, or a player's name (that player's payoff)"}
register(
    Method(
        name="ce-lp",
        kinds=("normal",),
        concept="correlated",
        function=correlated,
        summary="an optimal correlated equilibrium: welfare, a player's payoff or max entropy (LP/SLSQP)",
        options=_OBJ,
    )
)
register(
    Method(
        name="cce-lp",
        kinds=("normal",),
        concept="coarse-correlated",
        function=coarse_correlated,
        summary="an optimal coarse correlated equilibrium: welfare, a player's payoff or max entropy",
        options=_OBJ,
    )
)
register(
    Method(
        name="ce-vertices",
        kinds=("normal",),
        concept="correlated",
        function=ce_vertices,
        summary=f"every vertex of the correlated equilibrium polytope (small games: <= {VERTEX_LIMIT} bases)",
    )
)
register(
    Method(
        name="cce-vertices",
        kinds=("normal",),
        concept="coarse-correlated",
        function=cce_vertices,
        summary="every vertex of the coarse correlated equilibrium polytope (small games)",
    )
)
