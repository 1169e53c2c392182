"""The Equilibrium record of a behaviour profile of a game tree, shared by the tree solvers
(:mod:`bargaining.solvers.backward`, :mod:`bargaining.solvers.sequence`): outcomes, payoffs and
beliefs from :mod:`bargaining.model.behavior`, a label naming the path. The certificate
(``regret``) is set by the dispatcher with :mod:`bargaining.verify.tree`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bargaining.model.behavior import bayes_beliefs, expected_payoffs, outcome_distribution
from bargaining.model.extensive import ExtensiveGame
from bargaining.model.profile import Equilibrium

__all__ = ["tree_equilibrium", "path_label"]


def path_label(
    game: ExtensiveGame, behavior: Sequence[Sequence[Sequence[Any]]], outcomes: Sequence[Any]
) -> str:
    """``pure``/``mixed`` plus the equilibrium path in words: the action paths of the terminals
    reached with positive probability (``|`` between them, at most four)."""
    flat = [p for player in behavior for probs in player for p in probs]
    kind = "mixed" if any(0 < p < 1 for p in flat) else "pure"
    paths = [" ".join(game.path_labels(t)) for t, p in zip(game.terminals, outcomes) if p > 0]
    words = " | ".join(paths[:4]) + (" | …" if len(paths) > 4 else "")
    return f"{kind}: {words}" if words else kind


def tree_equilibrium(
    game: ExtensiveGame,
    behavior: Sequence[Sequence[Sequence[Any]]],
    *,
    concept: str,
) -> Equilibrium:
    """An Equilibrium record with outcomes, payoffs, beliefs, label and the independent regret
    (SPE regret for ``subgame-perfect``, Nash regret otherwise)."""
    profile = tuple(tuple(tuple(p) for p in per) for per in behavior)
    outcomes = outcome_distribution(game, profile)
    payoffs = expected_payoffs(game, profile)
    spe = concept == "subgame-perfect"
    beliefs = bayes_beliefs(game, profile, pin_subgames=spe)
    return Equilibrium(
        payoffs=payoffs,
        regret=None,  # certified by the dispatcher (bargaining.verify.tree)
        behavior=profile,
        beliefs=beliefs,
        outcomes=outcomes,
        label=path_label(game, profile, outcomes),
    )
