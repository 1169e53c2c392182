r"""The reduced strategic form of a game tree, and Kuhn's translation between mixed and
behaviour strategies.

A **reduced pure strategy** (plan) of player i names an action only at the information sets that
its own earlier actions do not exclude (Osborne & Rubinstein 1994, §11.2; von Stengel 1996). With
perfect recall a player's information sets form a forest (each set follows one own
``(set, action)`` pair), and the plans are built recursively: at each set of the current layer pick
an action, then continue with the sets that follow it. The payoff of a plan profile is
:math:`\sum_z c(z) u(z) \prod_i [\text{plan}_i \text{ agrees with } z]`, where :math:`c(z)` is the
chance probability of terminal :math:`z`.

**Kuhn (1953).** A mixed strategy :math:`\sigma_i` over plans gives the behaviour
:math:`b_h(a) = \sum_{s: s(h)=a} \sigma_i(s) / \sum_{s \ni h} \sigma_i(s)` (arbitrary, here the
first action, where no plan in the support reaches :math:`h`, which changes no payoff), and a
behaviour strategy gives :math:`\sigma_i(s) = \prod_{h \in s} b_h(s(h))`; both are
outcome-equivalent under perfect recall. Games without perfect recall get the unreduced form
(every combination of actions), where only mixed → behaviour is defined.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import GameValidationError
from bargaining.model.extensive import ExtensiveGame
from bargaining.model.normal import NormalFormGame

__all__ = ["StrategicForm", "reduced_strategic_form", "mixed_to_behavior", "behavior_to_mixed"]

Plan = dict  # information set (global index) -> action index

#: Most strategy profiles (cells) of a reduced strategic form; checked from the counts of plans
#: before any plan is built.
MAX_PROFILES = 1_000_000


@dataclass(frozen=True, eq=False)
class StrategicForm:
    """The reduced strategic form: ``game`` (a NormalFormGame with readable plan labels) and, for
    each player and strategy, its plan ``{information set index: action index}``."""

    tree: ExtensiveGame
    game: NormalFormGame
    plans: tuple[tuple[Plan, ...], ...]
    reduced: bool


def _structure(tree: ExtensiveGame, i: int) -> tuple[list[int], dict, dict[int, int]]:
    """Player ``i``'s information sets deepest own history first, the sets that follow each own
    ``(set, action)`` (``None``: the first ones), and the number of reduced plans below each set,
    all computed without recursion (the tree may be thousands of levels deep)."""
    ids = tree.player_infosets[i]
    hist = tree.own_history
    follows: dict[tuple[int, int] | None, list[int]] = {}
    for k in ids:
        own = hist[tree.infosets[k].nodes[0]]
        follows.setdefault(own[-1] if own else None, []).append(k)
    order = sorted(ids, key=lambda k: -len(hist[tree.infosets[k].nodes[0]]))
    count: dict[int, int] = {}
    for k in order:
        count[k] = sum(
            math.prod(count[j] for j in follows.get((k, a), [])) for a in range(len(tree.infosets[k].actions))
        )
    return order, follows, count


def _plan_count(tree: ExtensiveGame, i: int) -> int:
    """The number of (reduced) pure strategies of player ``i``, counted without building them."""
    ids = tree.player_infosets[i]
    if not tree.perfect_recall:
        return math.prod(len(tree.infosets[k].actions) for k in ids)
    _, follows, count = _structure(tree, i)
    return math.prod(count[k] for k in follows.get(None, []))


def _player_plans(tree: ExtensiveGame, i: int) -> list[Plan]:
    ids = tree.player_infosets[i]
    if not ids:
        return [{}]
    if not tree.perfect_recall:
        return [
            dict(zip(ids, combo))
            for combo in itertools.product(*(range(len(tree.infosets[k].actions)) for k in ids))
        ]
    order, follows, _ = _structure(tree, i)

    def layer(sets: list[int], done: dict[int, list[Plan]]) -> list[Plan]:
        plans: list[Plan] = [{}]
        for k in sets:
            plans = [{**p, **q} for p in plans for q in done[k]]
        return plans

    of_set: dict[int, list[Plan]] = {}
    for k in order:
        of_set[k] = [
            {k: a, **rest}
            for a in range(len(tree.infosets[k].actions))
            for rest in layer(follows.get((k, a), []), of_set)
        ]
    return layer(follows.get(None, []), of_set)


def _label(tree: ExtensiveGame, i: int, plan: Plan) -> str:
    if not plan:
        return "(no move)"
    order = sorted(plan, key=lambda k: min(tree.infosets[k].nodes))
    return " ".join(tree.infosets[k].actions[plan[k]] for k in order)


def reduced_strategic_form(tree: ExtensiveGame) -> StrategicForm:
    """The reduced strategic form of ``tree`` (exact payoffs if the tree is exact)."""
    n = tree.num_players
    counts = [_plan_count(tree, i) for i in range(n)]
    if math.prod(counts) > MAX_PROFILES:
        total = math.prod(counts)
        sizes = " x ".join(str(c) for c in counts) if total < 10**12 else f"about 10^{len(str(total)) - 1}"
        raise GameValidationError(
            f"the reduced strategic form would have {sizes} strategy profiles; at most {MAX_PROFILES} are "
            "supported (solve the tree itself instead)"
        )
    plans = [_player_plans(tree, i) for i in range(n)]
    labels = []
    for i in range(n):
        lab = [_label(tree, i, p) for p in plans[i]]
        if len(set(lab)) != len(lab):
            lab = [f"{k + 1}: {x}" for k, x in enumerate(lab)]
        labels.append(lab)
    shape = tuple(len(p) for p in plans)
    exact = tree.exact
    zero = Fraction(0) if exact else 0.0
    pay = np.empty((n, *shape), dtype=object) if exact else np.zeros((n, *shape))
    if exact:
        pay.fill(zero)
    # each terminal adds its chance-weighted payoff to the cells of the plans that reach it
    for z in tree.terminals:
        weight: Any = Fraction(1) if exact else 1.0
        needs: list[dict[int, int]] = [dict() for _ in range(n)]
        for v, a in tree.path(z):
            node = tree.nodes[v]
            if node.kind == "chance":
                weight = weight * node.chance_probs[a]
            else:
                needs[node.player][node.infoset] = a
        if not weight:
            continue
        consistent = [
            [s for s, p in enumerate(plans[i]) if all(p.get(h) == a for h, a in needs[i].items())]
            for i in range(n)
        ]
        u = tree.nodes[z].terminal_payoffs
        contrib = [weight * u[k] for k in range(n)]
        if exact:
            for cell in itertools.product(*consistent):
                for k in range(n):
                    pay[(k, *cell)] += contrib[k]
        else:
            grid = np.ix_(*consistent)
            for k in range(n):
                pay[k][grid] += float(contrib[k])
    game = NormalFormGame.from_tensor(
        pay, players=tree.players, strategies=labels, title=tree.title, exact=exact
    )
    return StrategicForm(tree, game, tuple(tuple(p) for p in plans), tree.perfect_recall)


def mixed_to_behavior(sf: StrategicForm, mixed: Sequence[Sequence[Any]]) -> tuple:
    """Kuhn: a mixed profile over plans → behaviour (per player, per information set)."""
    tree = sf.tree
    out = []
    for i, ids in enumerate(tree.player_infosets):
        probs = mixed[i]
        exact = all(isinstance(p, (int, Fraction)) for p in probs)
        per = []
        for k in ids:
            m = len(tree.infosets[k].actions)
            num = [Fraction(0) if exact else 0.0 for _ in range(m)]
            for s, plan in enumerate(sf.plans[i]):
                if k in plan and probs[s]:
                    num[plan[k]] += probs[s]
            total = sum(num)
            if total:
                per.append(tuple(x / total for x in num))
            else:  # not reached by any plan in the support: irrelevant, take the first action
                one, zero = (Fraction(1), Fraction(0)) if exact else (1.0, 0.0)
                per.append(tuple(one if a == 0 else zero for a in range(m)))
        out.append(tuple(per))
    return tuple(out)


def behavior_to_mixed(sf: StrategicForm, behavior: Sequence[Sequence[Sequence[Any]]]) -> tuple:
    """Kuhn: behaviour → the mixed profile over reduced plans (perfect recall)."""
    tree = sf.tree
    out = []
    for i, ids in enumerate(tree.player_infosets):
        pos = {k: j for j, k in enumerate(ids)}
        row = []
        for plan in sf.plans[i]:
            p: Any = 1
            for k, a in plan.items():
                p = p * behavior[i][pos[k]][a]
            row.append(p)
        out.append(tuple(row))
    return tuple(out)
