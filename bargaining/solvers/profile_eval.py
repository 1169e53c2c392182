r"""The solvers' own arithmetic on mixed profiles of normal-form games: expected payoffs and a
cheap candidate check (the largest gain from a pure deviation). It is *not* the certificate:
the reported ``regret`` comes from :func:`bargaining.verify.certify`, written apart from this.

For a profile :math:`\sigma`, player i's payoff vector is
:math:`v_i(s_i) = \sum_{s_{-i}} u_i(s_i, s_{-i}) \prod_{j \ne i} \sigma_j(s_j)`,
:math:`u_i(\sigma) = \sigma_i \cdot v_i` and the gain is :math:`\max_i (\max v_i - u_i(\sigma))`.
Exact (Fractions) when the game and the profile are exact, else floats.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.model.normal import NormalFormGame

__all__ = ["payoff_tolerance", "pure_payoff_vectors", "profile_payoffs", "profile_gain"]


def payoff_tolerance(game: NormalFormGame) -> float:
    """Float tolerance scaled to the payoffs: ``1e-9 * max(1, max |u|)``."""
    u = game.float_payoffs
    return 1e-9 * max(1.0, float(np.max(np.abs(u))) if u.size else 1.0)


def _exact(game: NormalFormGame, profile: Sequence[Sequence[Any]]) -> bool:
    return game.exact and all(isinstance(p, (int, Fraction)) for probs in profile for p in probs)


def pure_payoff_vectors(game: NormalFormGame, profile: Sequence[Sequence[Any]]) -> list[np.ndarray]:
    """:math:`v_i` for every player (object arrays of Fractions in exact mode)."""
    exact = _exact(game, profile)
    U = game.payoffs if exact else game.float_payoffs
    mixes = [
        np.array([Fraction(p) for p in probs], dtype=object) if exact else np.asarray(probs, dtype=float)
        for probs in profile
    ]
    out = []
    for i in range(game.num_players):
        t = U[i]
        for j in reversed(range(game.num_players)):
            if j != i:
                t = np.tensordot(t, mixes[j], axes=([j], [0]))
        out.append(t)
    return out


def profile_payoffs(game: NormalFormGame, profile: Sequence[Sequence[Any]]) -> tuple[Any, ...]:
    """:math:`u_i(\\sigma)` for every player."""
    vecs = pure_payoff_vectors(game, profile)
    if _exact(game, profile):
        return tuple(
            sum((v * Fraction(p) for v, p in zip(vec, probs)), Fraction(0))
            for vec, probs in zip(vecs, profile)
        )
    return tuple(float(np.dot(vec, np.asarray(probs, dtype=float))) for vec, probs in zip(vecs, profile))


def profile_gain(game: NormalFormGame, profile: Sequence[Sequence[Any]]) -> Any:
    """The largest gain of a player from a pure deviation (0 exactly at an exact equilibrium)."""
    vecs = pure_payoff_vectors(game, profile)
    pays = profile_payoffs(game, profile)
    return max(max(vec) - u for vec, u in zip(vecs, pays))
