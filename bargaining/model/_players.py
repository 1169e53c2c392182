"""Helpers shared by the game classes: looking a player up by label or number."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bargaining.errors import GameValidationError


def player_index(players: Sequence[str], player: int | str) -> int:
    """The 0-based index of ``player``, given as an index or as a label of ``players``."""
    if isinstance(player, (int, np.integer)):
        if not 0 <= int(player) < len(players):
            raise GameValidationError(f"no player {player}: the game has {len(players)}")
        return int(player)
    try:
        return list(players).index(player)
    except ValueError:
        raise GameValidationError(
            f"no player {player!r}: players are {', '.join(map(str, players))}"
        ) from None
