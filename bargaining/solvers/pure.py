r"""All pure-strategy Nash equilibria of an n-player normal-form game, vectorised.

A pure profile :math:`s` is an equilibrium iff for every player i,
:math:`u_i(s) = \max_{t_i} u_i(t_i, s_{-i})`. For each player the maximum along its own axis is
one numpy reduction over the payoff tensor, so the whole game is checked in
:math:`O(n \prod_i |S_i|)` array operations with no Python loop over cells.

Float games compare with a tolerance scaled to the payoffs (``payoff_tolerance``); exact
games compare Fractions exactly. The method enumerates every cell, so the list is complete.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Equilibrium, Solution
from bargaining.solvers.budget import Deadline
from bargaining.solvers.profile_eval import payoff_tolerance
from bargaining.solvers.registry import Method, register

__all__ = ["pure_equilibria", "pure_equilibrium_mask", "enumpure"]


def pure_equilibrium_mask(payoffs: np.ndarray, tol: float = 0.0) -> np.ndarray:
    """Boolean tensor of shape ``payoffs.shape[1:]``: True where the cell is a pure equilibrium.

    ``payoffs`` has shape ``(n, s_1, ..., s_n)`` (float, or object arrays of Fractions with
    ``tol=0``). Batched use: a leading batch axis is not supported here; see ``solve.batch``.
    """
    n = payoffs.shape[0]
    mask = np.ones(payoffs.shape[1:], dtype=bool)
    for i in range(n):
        u = payoffs[i]
        best = u.max(axis=i, keepdims=True)
        mask &= (u >= best - tol) if tol else (u == best)
    return mask


def pure_equilibria(game: NormalFormGame, tol: float | None = None) -> list[tuple[int, ...]]:
    """The pure equilibria as tuples of strategy indices, in lexicographic order."""
    if game.exact:
        mask = pure_equilibrium_mask(game.payoffs)
    else:
        t = payoff_tolerance(game) if tol is None else tol
        mask = pure_equilibrium_mask(game.float_payoffs, t)
    return [tuple(int(k) for k in idx) for idx in np.argwhere(mask)]


def _one_hot(m: int, k: int, exact: bool) -> tuple[Any, ...]:
    zero, one = (Fraction(0), Fraction(1)) if exact else (0.0, 1.0)
    return tuple(one if j == k else zero for j in range(m))


def enumpure(game: NormalFormGame, *, deadline: Deadline = Deadline.NONE, exact: bool = False) -> Solution:
    """Every pure-strategy Nash equilibrium (complete). ``exact`` uses Fraction payoffs."""
    g = game.as_exact() if exact else game
    eqs = []
    for cell in pure_equilibria(g):
        profile = tuple(_one_hot(m, k, g.exact) for m, k in zip(g.shape, cell))
        payoffs = tuple(g.payoffs[(i, *cell)] for i in range(g.num_players))
        if not g.exact:
            payoffs = tuple(float(p) for p in payoffs)
        eqs.append(
            Equilibrium(
                strategies=profile,
                payoffs=payoffs,
                regret=None,  # certified by the dispatcher
                label="pure",
            )
        )
    return Solution(
        game=game,
        concept="nash",
        method="enumpure",
        equilibria=tuple(eqs),
        complete=True,
        exact=g.exact,
        extra={"scope": "pure strategies only"},
    )


register(
    Method(
        name="enumpure",
        kinds=("normal",),
        concept="nash",
        function=enumpure,
        summary="all pure-strategy equilibria, any number of players (complete for pure)",
    )
)
