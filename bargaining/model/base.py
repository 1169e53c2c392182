"""What every game object offers: the :class:`Game` protocol.

The solver layer (``bargaining.solvers.api``) and the verifiers dispatch on ``kind`` and read
``num_players`` through this protocol instead of guessing with ``getattr``. The game classes
(:class:`~bargaining.model.normal.NormalFormGame`, :class:`~bargaining.model.extensive.ExtensiveGame`,
:class:`~bargaining.model.signaling.SignalingGame` and the models of
:mod:`bargaining.model.bargaining`) implement it structurally (no base class needed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

__all__ = ["Game", "GAME_KINDS", "is_game"]

#: the kinds of game a file or an object may be (``kind:`` in a game file)
GAME_KINDS = ("normal", "tree", "signaling", "model", "persuasion")


@runtime_checkable
class Game(Protocol):
    """A game: ``kind`` (one of :data:`GAME_KINDS`), its ``players`` (labels, in order),
    ``num_players``, ``exact`` (True when its numbers are exact rationals) and ``describe()``
    (the JSON ``game`` block of a solution: at least ``title`` and ``players``)."""

    kind: str
    players: Sequence[str]
    exact: bool

    @property
    def num_players(self) -> int: ...

    def describe(self) -> dict[str, Any]: ...


def is_game(obj: Any) -> bool:
    """True if ``obj`` implements :class:`Game` with a known ``kind``."""
    return isinstance(obj, Game) and getattr(obj, "kind", None) in GAME_KINDS
