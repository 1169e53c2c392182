r"""Evaluating a behaviour profile of a game tree: reach probabilities, the outcome
distribution, continuation values, expected payoffs and Bayes beliefs (Kuhn 1953). Profile
arithmetic, not a certificate: the solvers use it to report an equilibrium's outcomes, payoffs
and beliefs; the independent certificates live in :mod:`bargaining.verify.tree` (its own code).

Exact games with Fraction profiles give exact answers; otherwise floats.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from bargaining.errors import GameValidationError
from bargaining.model.extensive import ExtensiveGame

__all__ = [
    "check_behavior",
    "reach_probabilities",
    "outcome_distribution",
    "node_values",
    "expected_payoffs",
    "bayes_beliefs",
]

Behavior = Sequence[Sequence[Sequence[Any]]]


def is_exact_profile(game: ExtensiveGame, flat: list[tuple[Any, ...]]) -> bool:
    return game.exact and all(isinstance(p, (int, Fraction)) for probs in flat for p in probs)


def check_behavior(game: ExtensiveGame, behavior: Behavior, tol: float = 1e-9) -> list[tuple[Any, ...]]:
    """Validate a behaviour profile (per player, per information set, action probabilities) and
    return it indexed by global information-set index."""
    if len(behavior) != game.num_players:
        raise GameValidationError(
            f"behaviour profile has {len(behavior)} players, the game {game.num_players}"
        )
    flat: list[tuple[Any, ...] | None] = [None] * len(game.infosets)
    for i, ids in enumerate(game.player_infosets):
        if len(behavior[i]) != len(ids):
            raise GameValidationError(
                f"player {game.players[i]!r} has {len(ids)} information sets, "
                f"profile gives {len(behavior[i])}"
            )
        for k, probs in zip(ids, behavior[i]):
            h = game.infosets[k]
            if len(probs) != len(h.actions):
                raise GameValidationError(
                    f"information set {h.label!r} has {len(h.actions)} actions, profile gives {len(probs)}"
                )
            if all(type(p) is Fraction or type(p) is int for p in probs):
                bad = min(probs) < 0 or sum(probs) != 1
            else:
                bad = min(probs) < -tol or abs(sum(probs) - 1) > tol * len(probs)
            if bad:
                raise GameValidationError(
                    f"probabilities at information set {h.label!r} must be >= 0 and sum to 1, "
                    f"got {list(probs)}"
                )
            flat[k] = tuple(probs)
    out = [p for p in flat if p is not None]
    if not is_exact_profile(game, out):
        out = [tuple(float(p) for p in probs) for probs in out]
    return out


def move_probability(game: ExtensiveGame, flat: list[tuple[Any, ...]], v: int, k: int) -> Any:
    node = game.nodes[v]
    if node.kind == "chance":
        return node.chance_probs[k]
    return flat[node.infoset][k]


def unit(exact: bool) -> Any:
    return Fraction(1) if exact else 1.0


def reach_probabilities(game: ExtensiveGame, behavior: Behavior, root: int = 0) -> list[Any]:
    """:math:`P_b(x)` for every node (conditional on reaching ``root``; 0 outside its subtree)."""
    flat = check_behavior(game, behavior)
    return flat_reach(game, flat, root)


def flat_reach(
    game: ExtensiveGame, flat: list[tuple[Any, ...]], root: int = 0, skip_player: int = -1
) -> list[Any]:
    exact = is_exact_profile(game, flat)
    zero = Fraction(0) if exact else 0.0
    reach = [zero] * len(game.nodes)
    reach[root] = unit(exact)
    end = root + int(game.subtree_size[root])
    for v in range(root, end):
        node = game.nodes[v]
        if node.kind == "terminal":
            continue
        rv = reach[v]
        own = node.kind == "decision" and node.player == skip_player
        for k, c in enumerate(node.children):
            reach[c] = rv if own else rv * move_probability(game, flat, v, k)
    if not exact and game.exact:
        reach = [float(r) for r in reach]
    return reach


def outcome_distribution(game: ExtensiveGame, behavior: Behavior) -> tuple[Any, ...]:
    """Probability of each terminal, in depth-first order."""
    reach = reach_probabilities(game, behavior)
    return tuple(reach[t] for t in game.terminals)


def flat_values(game: ExtensiveGame, flat: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    exact = is_exact_profile(game, flat)
    zero = Fraction(0) if exact else 0.0
    n = game.num_players
    val: list[tuple[Any, ...]] = [()] * len(game.nodes)
    for node in reversed(game.nodes):
        if node.kind == "terminal":
            val[node.index] = (
                node.terminal_payoffs if exact else tuple(float(x) for x in node.terminal_payoffs)
            )
            continue
        live = [(k, c) for k, c in enumerate(node.children) if move_probability(game, flat, node.index, k)]
        if len(live) == 1:  # pure move: the child's value, no arithmetic
            val[node.index] = val[live[0][1]]
            continue
        acc = [zero] * n
        for k, c in live:
            p = move_probability(game, flat, node.index, k)
            if p:
                pc = p if exact else float(p)
                for i in range(n):
                    acc[i] += pc * val[c][i]
        val[node.index] = tuple(acc)
    return val


def node_values(game: ExtensiveGame, behavior: Behavior) -> list[tuple[Any, ...]]:
    """Continuation payoff vector :math:`V^b(x)` at every node."""
    return flat_values(game, check_behavior(game, behavior))


def expected_payoffs(game: ExtensiveGame, behavior: Behavior) -> tuple[Any, ...]:
    return node_values(game, behavior)[0]


def smallest_subgame(game: ExtensiveGame, members: Sequence[int]) -> int:
    roots = set(game.subgame_roots)
    last = max(members)
    v = game.nodes[min(members)].parent if len(members) > 1 else members[0]
    while v >= 0:
        if v in roots and v + int(game.subtree_size[v]) > last:
            return v
        v = game.nodes[v].parent
    return 0


def bayes_beliefs(game: ExtensiveGame, behavior: Behavior, *, pin_subgames: bool = False) -> tuple:
    """Beliefs per player, per information set: Bayes' rule from the root; ``None`` where the set
    is off the path. With ``pin_subgames`` an off-path set inside a subgame gets Bayes' rule from
    the smallest subgame containing it (as subgame play pins them; ``None`` if that also fails)."""
    flat = check_behavior(game, behavior)
    reach = flat_reach(game, flat, 0)
    cache: dict[int, list[Any]] = {}
    out = []
    for ids in game.player_infosets:
        per = []
        for k in ids:
            h = game.infosets[k]
            w = [reach[v] for v in h.nodes]
            total = sum(w)
            if not total and pin_subgames and len(h.nodes) == 1:
                w, total = [1], 1  # the only node of a singleton set: belief 1 wherever it lies
            elif not total and pin_subgames:
                r = smallest_subgame(game, h.nodes)
                if r != 0:
                    if r not in cache:
                        cache[r] = flat_reach(game, flat, r)
                    w = [cache[r][v] for v in h.nodes]
                    total = sum(w)
            per.append(tuple(x / total for x in w) if total else None)
        out.append(tuple(per))
    return tuple(out)
