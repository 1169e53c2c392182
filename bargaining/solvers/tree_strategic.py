r"""Method ``strategic``: all Nash equilibria of a game tree (any number of players) through its
reduced strategic form, and :func:`all_nash_behaviors` for other solvers.

The tree's reduced strategic form (:mod:`bargaining.model.strategic`) is solved by the
normal-form solvers (``enummixed`` for two players: all extreme equilibria; ``enumpoly`` or
``enumpure`` for more), and each mixed equilibrium becomes a behaviour profile by Kuhn's theorem
(Kuhn 1953; outcome-equivalent under perfect recall). Profiles that map to the same behaviour are
listed once. The size grows exponentially with the tree, so this is for small trees.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import GameValidationError, SolverError
from bargaining.model.extensive import ExtensiveGame
from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Solution, sort_key_profile
from bargaining.model.strategic import mixed_to_behavior, reduced_strategic_form
from bargaining.solvers.budget import Deadline
from bargaining.solvers.registry import Method, register

__all__ = ["all_nash_behaviors", "strategic"]


def _dedupe(behaviors: list) -> list:
    seen, out = set(), []
    for b in behaviors:
        key = tuple(float(p) for per in b for probs in per for p in probs)
        key = tuple(round(k, 9) for k in key)
        if key not in seen:
            seen.add(key)
            out.append(b)
    return out


def all_nash_behaviors(
    game: ExtensiveGame, *, exact: bool = False, deadline: Deadline | None = None, method: str | None = None
) -> tuple[list, bool, str | None]:
    """All Nash equilibria the normal-form solvers find for ``game``'s reduced strategic form, as
    behaviour profiles. Returns ``(behaviors, complete, note)``; ``complete`` is True only when the
    set is finite and fully listed."""
    from bargaining.solvers import api

    game.require_perfect_recall("strategic")
    try:
        sf = reduced_strategic_form(game)
    except GameValidationError as err:  # too large to build: nothing found, and say why
        return (
            [],
            False,
            (
                f"{err}; a subgame without proper subgames is solved through its strategic form, "
                "which is too large here: solve the tree for concept sequential instead"
            ),
        )
    nfg = sf.game
    active = [i for i, m in enumerate(nfg.shape) if m > 1]
    exact_mode = exact or game.exact
    one = Fraction(1) if exact_mode else 1.0
    zero = Fraction(0) if exact_mode else 0.0
    note = None
    complete = True
    if not active:
        mixed_list = [tuple((one,) for _ in nfg.shape)]
    elif len(active) == 1:
        i = active[0]
        u = nfg.payoffs[i].reshape(-1)
        top = max(u)
        tol = 0 if nfg.exact else 1e-9 * max(1.0, float(np.max(np.abs(nfg.float_payoffs))))
        best = [s for s in range(len(u)) if u[s] >= top - tol]
        if len(best) > 1:
            complete = False
            note = (
                "a player is indifferent between plans: pure choices listed, "
                "their mixtures are equilibria too"
            )
        mixed_list = []
        for s in best:
            prof: list[tuple[Any, ...]] = [(one,) for _ in nfg.shape]
            prof[i] = tuple(one if k == s else zero for k in range(nfg.shape[i]))
            mixed_list.append(tuple(prof))
    else:
        # the game among the players who have a choice
        idx = tuple(slice(None) if i in active else 0 for i in range(nfg.num_players))
        sub_pay = np.stack([nfg.payoffs[i][idx] for i in active])
        sub = NormalFormGame.from_tensor(
            sub_pay,
            players=[nfg.players[i] for i in active],
            strategies=[nfg.strategies[i] for i in active],
            exact=nfg.exact,
        )
        remaining = deadline.remaining() if deadline is not None else None
        if remaining is not None:
            remaining = max(remaining, 1e-6)  # 0 would mean no limit
        try:
            sol = api.solve(sub, method=method, exact=exact_mode, timeout=remaining)
        except SolverError:
            sol = api.solve(sub, method="enumpure", exact=exact_mode)
            note = "no mixed-equilibrium solver for this size: pure equilibria only"
            complete = False
        complete = complete and sol.complete
        if sol.components is not None and any(len(c) > 1 for c in sol.components):
            complete = False
            note = "the strategic form has a continuum of equilibria: its extreme points are listed"
        if sol.message and not note:
            note = sol.message
        if not sol.complete and not note:
            note = (
                f"the strategic form ({'x'.join(map(str, sub.shape))}) was solved by {sol.method}, "
                "which does not guarantee every equilibrium"
            )
        mixed_list = []
        for eq in sol.equilibria:
            prof = [(one,) for _ in nfg.shape]
            for j, i in enumerate(active):
                prof[i] = tuple(eq.mixed_profile[j])
            mixed_list.append(tuple(prof))
    behaviors = _dedupe([mixed_to_behavior(sf, m) for m in mixed_list])
    return behaviors, complete, note


def strategic(
    game: ExtensiveGame,
    *,
    deadline: Deadline = Deadline.NONE,
    exact: bool = False,
    nash_method: str | None = None,
) -> Solution:
    """All Nash equilibria (extreme ones, for two players) through the reduced strategic form."""
    from bargaining.solvers.treeprofile import tree_equilibrium

    g = game.as_exact() if exact else game
    behaviors, complete, note = all_nash_behaviors(g, exact=exact, deadline=deadline, method=nash_method)
    eqs = [tree_equilibrium(g, b, concept="nash") for b in behaviors]
    eqs.sort(key=lambda e: sort_key_profile([p for per in e.behavior_profile for p in per]))
    return Solution(
        game=game,
        concept="nash",
        method="strategic",
        equilibria=tuple(eqs),
        complete=complete,
        exact=bool(exact),
        message=note,
    )


register(
    Method(
        name="strategic",
        kinds=("tree",),
        concept="nash",
        function=strategic,
        summary="Nash equilibria via the reduced strategic form and the normal-form solvers (small trees)",
        options={
            "nash_method": "the normal-form method for the strategic form (default: the best for its size)"
        },
    )
)
