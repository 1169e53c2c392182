"""Random game trees for tests and benchmarks (:func:`random_tree`)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.model.extensive import ExtensiveGame
from bargaining.model.tree_builder import CHANCE, NodeSpec, fold_tree

__all__ = ["random_tree"]


def random_tree(
    num_nodes: int,
    num_players: int = 2,
    *,
    seed: int | np.random.Generator | None = None,
    branching: tuple[int, int] = (2, 3),
    chance_prob: float = 0.1,
    merge_prob: float = 0.5,
    payoff_range: int = 10,
    exact: bool = True,
) -> ExtensiveGame:
    """A random tree with about ``num_nodes`` nodes (breadth first), perfect recall by
    construction: a new decision node joins, with probability ``merge_prob``, an information set of
    the same player with the same own history and number of actions (never an ancestor's, whose
    own history is shorter). ``merge_prob=0`` gives perfect information. Integer payoffs in
    ``[-payoff_range, payoff_range]``; chance probabilities are small rationals. For tests and
    benchmarks."""
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    players = tuple(f"P{i + 1}" for i in range(num_players))
    # records: [kind, player, infoset label, children ids, probs]
    recs: list[list[Any]] = [["leaf", -1, None, [], None]]
    hist: list[tuple] = [tuple(() for _ in players)]
    open_sets: dict[tuple, list[str]] = {}
    queue = [0]
    count = 1
    head = 0
    while head < len(queue):
        v = queue[head]
        head += 1
        b = int(rng.integers(branching[0], branching[1] + 1))
        if count + b > num_nodes:
            continue
        if rng.random() < chance_prob:
            weights = rng.integers(1, 6, size=b)
            probs = tuple(Fraction(int(w), int(weights.sum())) for w in weights)
            recs[v] = ["chance", -1, None, [], probs]
            kid_hist = [hist[v]] * b
        else:
            i = int(rng.integers(num_players))
            key = (i, hist[v][i], b)
            existing = open_sets.setdefault(key, [])
            if existing and rng.random() < merge_prob:
                label = existing[int(rng.integers(len(existing)))]
            else:
                label = f"s{v}"
                existing.append(label)
            recs[v] = ["decision", i, label, [], None]
            kid_hist = []
            for k in range(b):
                h = list(hist[v])
                h[i] = hist[v][i] + ((label, k),)
                kid_hist.append(tuple(h))
        for k in range(b):
            recs.append(["leaf", -1, None, [], None])
            hist.append(kid_hist[k])
            recs[v][3].append(len(recs) - 1)
            queue.append(len(recs) - 1)
        count += b

    def make(v: int, built: list[NodeSpec]) -> NodeSpec:
        kind, i, label, kids, probs = recs[v]
        if kind == "leaf":
            pay = tuple(int(x) for x in rng.integers(-payoff_range, payoff_range + 1, size=num_players))
            return NodeSpec("terminal", payoffs=pay)
        children = tuple((f"a{k}", c) for k, c in enumerate(built))
        if kind == "chance":
            return NodeSpec("chance", player=CHANCE, children=children, probs=probs)
        return NodeSpec("decision", player=players[i], children=children, infoset=label)

    root = fold_tree(0, lambda v: recs[v][3], make)
    return ExtensiveGame.from_tree(players, root, title=f"random tree ({num_nodes} nodes)", exact=exact)
