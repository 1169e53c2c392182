r"""Independent certificates for behaviour profiles of game trees.

Written apart from every tree solver: it only walks the tree with a behaviour profile :math:`b`
(one distribution :math:`b_h` per information set :math:`h`).

- **Reach and outcomes.** :math:`P_b(x)` is the product of chance and action probabilities on the
  path to node :math:`x`; the outcome distribution is :math:`P_b` on the terminals, and
  :math:`u_i(b) = \sum_z P_b(z) u_i(z)`.
- **Nash regret** of player i: :math:`\max_{b_i'} u_i(b_i', b_{-i}) - u_i(b)`. With perfect recall
  the best reply is found information set by information set: at :math:`h` the player picks the
  action maximising :math:`\sum_{x \in h} P_{-i}(x)\, V_i(x a)`, where :math:`P_{-i}` is the reach
  probability of chance and the others and :math:`V_i` the value of the best reply below
  (Kuhn 1953; von Stengel 1996, §3).
- **Subgame-perfect regret**: the largest Nash regret over all subgames (Selten 1965). In a
  perfect-information tree this equals the largest one-shot (agent) regret at a node, by the
  one-shot deviation principle for finite games, and is computed that way in linear time.
- **Agent regret** at an information set :math:`h` with beliefs :math:`\mu`:
  :math:`\max_a \sum_x \mu(x) V^b_i(xa) - \sum_x \mu(x) V^b_i(x)` where :math:`V^b` is the
  continuation value under :math:`b` (sequential rationality; Kreps & Wilson 1982).
- **Bayes consistency**: on the path (:math:`\sum_{x\in h} P_b(x) > 0`) beliefs must be
  :math:`\mu(x) = P_b(x) / \sum_{y\in h} P_b(y)`.

Exact games with Fraction profiles give exact answers; otherwise floats.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from bargaining.errors import GameValidationError

# The semantics of a behaviour profile (reach probabilities, continuation values, expected
# payoffs, Bayes beliefs) is the game's own definition and lives in the model layer; the
# certificates below (regrets, Bayes errors) are written here, apart from every solver.
from bargaining.model.behavior import (
    bayes_beliefs,
    check_behavior,
    expected_payoffs,
    node_values,
    outcome_distribution,
    reach_probabilities,
)
from bargaining.model.behavior import flat_reach as _reach
from bargaining.model.behavior import flat_values as _values
from bargaining.model.behavior import is_exact_profile as _is_exact
from bargaining.model.behavior import move_probability as _move_prob
from bargaining.model.behavior import unit as _one
from bargaining.model.extensive import ExtensiveGame

__all__ = [
    "check_behavior",
    "reach_probabilities",
    "outcome_distribution",
    "node_values",
    "expected_payoffs",
    "bayes_beliefs",
    "nash_regrets",
    "nash_regret",
    "spe_regret",
    "agent_regrets",
    "bayes_error",
]

Behavior = Sequence[Sequence[Sequence[Any]]]


def bayes_error(game: ExtensiveGame, behavior: Behavior, beliefs: Sequence[Sequence[Any]]) -> Any:
    """Largest gap between given beliefs and Bayes' rule at information sets on the path (0 when
    consistent). Off-path beliefs are unrestricted (weak PBE)."""
    flat = check_behavior(game, behavior)
    reach = _reach(game, flat, 0)
    worst: Any = 0
    for i, ids in enumerate(game.player_infosets):
        for j, k in enumerate(ids):
            h = game.infosets[k]
            w = [reach[v] for v in h.nodes]
            total = sum(w)
            if not total:
                continue
            mu = beliefs[i][j]
            if mu is None:
                raise GameValidationError(f"information set {h.label!r} is on the path but has no beliefs")
            for x, m in zip(w, mu):
                worst = max(worst, abs(x / total - m))
    return worst


def nash_regrets(game: ExtensiveGame, behavior: Behavior, root: int = 0) -> tuple[Any, ...]:
    """Each player's Nash regret in the subgame at ``root`` (the whole game by default).
    Needs perfect recall."""
    game.require_perfect_recall("nash regret")
    flat = check_behavior(game, behavior)
    return _nash_regrets(game, flat, root)


def _nash_regrets(game: ExtensiveGame, flat: list[tuple[Any, ...]], root: int) -> tuple[Any, ...]:
    exact = _is_exact(game, flat)
    values = _values(game, flat)
    end = root + int(game.subtree_size[root])
    out = []
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * len(game.nodes) + 1000))
    try:
        for i in range(game.num_players):
            others = _reach(game, flat, root, skip_player=i)
            memo: dict[int, Any] = {}
            choice: dict[int, int] = {}

            def best(
                v: int, i: int = i, others: list = others, memo: dict = memo, choice: dict = choice
            ) -> Any:
                if v in memo:
                    return memo[v]
                node = game.nodes[v]
                if node.kind == "terminal":
                    res = node.terminal_payoffs[i] if exact else float(node.terminal_payoffs[i])
                elif node.kind == "decision" and node.player == i:
                    h = node.infoset
                    if h not in choice:
                        members = [y for y in game.infosets[h].nodes if root <= y < end]
                        scores = [
                            sum(others[y] * best(game.nodes[y].children[a]) for y in members)
                            for a in range(len(node.children))
                        ]
                        top = max(scores)
                        choice[h] = scores.index(top)
                    res = best(node.children[choice[h]])
                else:
                    res = sum(
                        _move_prob(game, flat, v, k) * best(c)
                        for k, c in enumerate(node.children)
                        if _move_prob(game, flat, v, k)
                    )
                    if not exact:
                        res = float(res)
                memo[v] = res
                return res

            gap = best(root) - values[root][i]
            out.append(gap if exact else max(0.0, gap))
    finally:
        sys.setrecursionlimit(limit)
    return tuple(out)


def nash_regret(game: ExtensiveGame, behavior: Behavior) -> Any:
    """Largest Nash regret over players (0 exactly at an exact Nash equilibrium)."""
    return max(nash_regrets(game, behavior))


def agent_regrets(game: ExtensiveGame, behavior: Behavior, beliefs: Sequence[Sequence[Any]]) -> tuple:
    """Per player, per information set: the regret of that agent given ``beliefs`` and the
    continuation play of ``behavior`` (``None`` where the beliefs are ``None``)."""
    flat = check_behavior(game, behavior)
    values = _values(game, flat)
    return tuple(
        tuple(_agent_regret(game, flat, values, k, beliefs[i][j]) for j, k in enumerate(ids))
        for i, ids in enumerate(game.player_infosets)
    )


def _agent_regret(game: ExtensiveGame, flat, values, k: int, mu) -> Any:
    if mu is None:
        return None
    h = game.infosets[k]
    i = h.player
    current = sum(m * values[y][i] for m, y in zip(mu, h.nodes))
    best = max(
        sum(m * values[game.nodes[y].children[a]][i] for m, y in zip(mu, h.nodes))
        for a in range(len(h.actions))
    )
    gap = best - current
    return gap if isinstance(gap, Fraction) else max(0.0, float(gap))


def spe_regret(game: ExtensiveGame, behavior: Behavior) -> Any:
    """Largest Nash regret over all subgames (0 at a subgame-perfect equilibrium).

    Perfect information: the largest one-shot regret over decision nodes (linear time)."""
    flat = check_behavior(game, behavior)
    if game.is_perfect_information:
        values = _values(game, flat)
        exact = _is_exact(game, flat)
        worst: Any = Fraction(0) if exact else 0.0
        one = _one(exact)
        for h in game.infosets:
            worst = max(worst, _agent_regret(game, flat, values, h.index, (one,)))
        return worst
    game.require_perfect_recall("subgame-perfect regret")
    worst = None
    for r in game.subgame_roots:
        gap = max(_nash_regrets(game, flat, r))
        worst = gap if worst is None else max(worst, gap)
    return worst
