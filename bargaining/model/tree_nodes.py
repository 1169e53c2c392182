"""The parts of a validated game tree (:mod:`bargaining.model.extensive`): its nodes
(:class:`Node`), information sets (:class:`InfoSet`) and the flat arrays of huge
perfect-information trees (:class:`TreeArrays`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Node", "InfoSet", "TreeArrays"]


@dataclass(frozen=True)
class Node:
    """A node of a validated tree. ``player`` is the player index (``-1`` for chance and
    terminal nodes); ``infoset`` the global information-set index (``-1`` if none);
    ``children[k]`` is the node reached by action ``actions[k]``."""

    index: int
    parent: int
    kind: str
    player: int = -1
    infoset: int = -1
    actions: tuple[str, ...] = ()
    children: tuple[int, ...] = ()
    probs: tuple[Any, ...] | None = None
    payoffs: tuple[Any, ...] | None = None
    name: str = ""
    action_in: int = -1  # index of the action at the parent that leads here

    @property
    def is_terminal(self) -> bool:
        return self.kind == "terminal"

    @property
    def terminal_payoffs(self) -> tuple[Any, ...]:
        """``payoffs`` of a terminal node (every validated terminal has them)."""
        if self.payoffs is None:
            raise ValueError(f"node {self.index} is a {self.kind} node, not a terminal: it has no payoffs")
        return self.payoffs

    @property
    def chance_probs(self) -> tuple[Any, ...]:
        """``probs`` of a chance node (every validated chance node has them)."""
        if self.probs is None:
            raise ValueError(
                f"node {self.index} is a {self.kind} node, not a chance node: it has no probabilities"
            )
        return self.probs


@dataclass(frozen=True)
class InfoSet:
    """An information set: its player, the index among that player's sets, a label, the
    actions and the nodes (in preorder)."""

    index: int
    player: int
    number: int
    label: str
    actions: tuple[str, ...]
    nodes: tuple[int, ...]


# --------------------------------------------------------------------------------------------
# arrays for huge perfect-information trees
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TreeArrays:
    """A tree as flat arrays, nodes in preorder (children have larger indices than parents).

    ``offsets[v]:offsets[v+1]`` indexes ``child`` (and ``probs``) for the children of ``v``;
    ``player[v]`` is the mover (``-1`` chance, ``-2`` terminal); ``probs`` holds chance
    probabilities aligned with ``child``; ``payoffs[v]`` is the payoff vector at terminal ``v``.
    """

    offsets: np.ndarray
    child: np.ndarray
    player: np.ndarray
    probs: np.ndarray
    payoffs: np.ndarray

    @property
    def num_nodes(self) -> int:
        return int(self.player.shape[0])
