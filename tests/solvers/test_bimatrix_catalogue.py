"""Held-out games for the two-player fast paths: every two-player game of Gambit's catalogue
(von Stengel's 1999 6×6 game with 75 equilibria, twice; Shapley's 1974 games; Nau et al.'s
2×2 game), none of which was used to tune the fast paths, solved by ``enummixed`` in float and
exact mode and compared with Gambit's rational ``enummixed``: the same extreme equilibria, all of
them, and every one certified."""

from __future__ import annotations

import numpy as np
import pytest

from bargaining import NormalFormGame, solve
from bargaining.verify import normal as verify


def _two_player_catalogue(gambit) -> list[str]:
    names = []
    for path in gambit.catalogue_files("nfg"):
        name = str(path.relative_to(gambit.CATALOG_DIR)).rsplit(".", 1)[0]
        if len(gambit.payoff_arrays(gambit.catalogue_game(name))) == 2:
            names.append(name)
    return names


def test_catalogue_two_player_games_match_gambit_exactly(gambit):
    names = _two_player_catalogue(gambit)
    assert any("75_eq" in n for n in names), names  # the hard benchmark is there
    for name in names:
        g = gambit.catalogue_game(name)
        A, B = (np.array(a, dtype=object) for a in gambit.payoff_arrays(g))
        theirs = set(gambit.enummixed(g, rational=True))
        exact = solve(NormalFormGame.from_arrays(A, B, exact=True), method="enummixed")
        assert exact.complete, name
        assert {tuple(tuple(s) for s in e.strategies) for e in exact.equilibria} == theirs, name
        assert all(e.regret == 0 for e in exact.equilibria), name
        game = NormalFormGame.from_arrays(A.astype(float), B.astype(float))
        floats = solve(game, method="enummixed")
        assert floats.complete, name
        assert len(floats.equilibria) == len(theirs), name
        for e in floats.equilibria:
            assert verify.is_nash(game, e.strategies), name
            flat = np.concatenate([np.asarray(s, dtype=float) for s in e.strategies])
            assert any(
                np.allclose(flat, np.concatenate([np.asarray(s, dtype=float) for s in t]), atol=1e-9)
                for t in theirs
            ), name


@pytest.mark.parametrize("scale, shift", [(1e-6, 0.0), (1e6, -3e6)])
def test_the_75_equilibria_survive_a_positive_affine_change(gambit, scale, shift):
    name = next(n for n in _two_player_catalogue(gambit) if n.endswith("6x6_game_with_75_eq"))
    A, B = (np.array(a, dtype=float) for a in gambit.payoff_arrays(gambit.catalogue_game(name)))
    sol = solve(NormalFormGame.from_arrays(A * scale + shift, B * scale + shift), method="enummixed")
    assert sol.complete
    assert len(sol.equilibria) == 75
