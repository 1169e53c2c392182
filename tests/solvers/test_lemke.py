"""Lemke–Howson from every label: verified, exact, inside enummixed's answer, and equal to
nashpy's path for each label on nondegenerate games."""

from __future__ import annotations

import time
import warnings

import gambit_oracle as gambit
import nashpy
import numpy as np
import pytest
from click.testing import CliRunner

from bargaining import solve
from bargaining.cli import main
from bargaining.errors import BargainingError
from bargaining.model.normal import NormalFormGame
from bargaining.solvers.budget import Deadline
from bargaining.solvers.lemke import lcp, lemke_howson, lemke_howson_all, lemke_howson_method
from bargaining.verify import normal as verify


def _certified(fn):
    """The solver's answer with the dispatcher's independent certificate (``regret``)."""

    def run(game, *args, **kwargs):
        from bargaining.verify import certify

        return certify(game, fn(game, *args, **kwargs))

    run.__name__ = fn.__name__
    return run


lcp = _certified(lcp)
lemke_howson_method = _certified(lemke_howson_method)


def test_battle_of_the_sexes_exact():
    game = NormalFormGame.from_arrays([[3, 0], [0, 2]], [[2, 0], [0, 3]], exact=True)
    sol = solve(game, method="lemke-howson")
    assert sol.method == "lemke-howson" and not sol.complete and sol.exact
    # the paths from the 4 labels end at the two pure equilibria; the mixed one is unreached
    assert [eq.strategies for eq in sol.equilibria] == [((1, 0), (1, 0)), ((0, 1), (0, 1))]
    assert all(eq.regret == 0 for eq in sol.equilibria)
    assert sorted(len(eq.extra["start_labels"]) for eq in sol.equilibria) == [2, 2]
    assert solve(game, method="lcp").method == "lcp"


def test_degenerate_game_terminates_and_verifies():
    # von Stengel (2002), Fig. 2.3-style degenerate game: a pure strategy with two best replies
    A = [[3, 3], [2, 5], [0, 6]]
    B = [[3, 2], [2, 6], [3, 1]]
    game = NormalFormGame.from_arrays(A, B, exact=True)
    results, finished = lemke_howson_all(game)
    assert finished
    ref = solve(game, method="enummixed", exact=True)
    extreme = {eq.strategies for eq in ref.equilibria}
    for prof, labels in results:
        assert verify.max_regret(game, prof) == 0
        assert (tuple(prof[0]), tuple(prof[1])) in extreme
        assert labels


@pytest.mark.parametrize("seed", range(6))
def test_random_integer_games_inside_enummixed(seed):
    rng = np.random.default_rng(seed)
    m, n = rng.integers(2, 6, size=2)
    A, B = rng.integers(-3, 4, size=(2, m, n))  # small range: many degenerate games
    game = NormalFormGame.from_arrays(A, B, exact=True)
    sol = lcp(game)
    ref = solve(game, method="enummixed", exact=True)
    extreme = {eq.strategies for eq in ref.equilibria}
    assert sol.equilibria
    for eq in sol.equilibria:
        assert eq.regret == 0 and verify.max_regret(game, eq.strategies) == 0
        assert eq.strategies in extreme


@pytest.mark.parametrize("seed", range(4))
def test_each_label_matches_nashpy_on_nondegenerate_games(seed):
    rng = np.random.default_rng(100 + seed)
    A, B = rng.random((2, 4, 5)).round(3)
    game = NormalFormGame.from_arrays(A, B)
    Ax, Bx = game.as_exact().payoffs
    nash = nashpy.Game(A, B)
    for label in range(9):
        x, y = lemke_howson(Ax, Bx, label)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            xn, yn = nash.lemke_howson(initial_dropped_label=label)
        assert np.allclose([float(v) for v in x], xn, atol=1e-9)
        assert np.allclose([float(v) for v in y], yn, atol=1e-9)


def test_float_game_gives_float_profiles():
    game = NormalFormGame.from_arrays([[0.1, 0.7], [0.4, 0.2]], [[0.3, 0.1], [0.2, 0.6]])
    sol = lcp(game)
    assert not sol.exact and len(sol.equilibria) == 1
    eq = sol.equilibria[0]
    assert all(isinstance(p, float) for probs in eq.strategies for p in probs)
    assert eq.regret <= 1e-12
    # the column player is indifferent: 0.3p + 0.2(1-p) = 0.1p + 0.6(1-p), so p = 2/3
    assert abs(eq.strategies[0][0] - 2 / 3) < 1e-12


def test_shapley_1974_game():
    g = gambit.catalogue_game("journals/other/shapley1974/fig2")
    arrays = gambit.payoff_arrays(g)
    game = NormalFormGame.from_tensor(np.stack(arrays), exact=True)
    sol = lcp(game)
    ref = solve(game, method="enummixed", exact=True)
    extreme = {eq.strategies for eq in ref.equilibria}
    assert {eq.strategies for eq in sol.equilibria} <= extreme
    assert all(eq.regret == 0 for eq in sol.equilibria)


def test_needs_two_players_and_valid_label():
    game3 = NormalFormGame.from_tensor(np.zeros((3, 2, 2, 2)))
    with pytest.raises(BargainingError):
        solve(game3, method="lcp")
    with pytest.raises(BargainingError):
        lemke_howson([[1, 2]], [[2, 1]], 5)


def test_timeout_returns_within_budget():
    rng = np.random.default_rng(7)
    A, B = rng.integers(-50, 51, size=(2, 40, 40))
    game = NormalFormGame.from_arrays(A, B, exact=True)
    t0 = time.monotonic()
    sol = lemke_howson_method(game, deadline=Deadline(0.5))
    assert time.monotonic() - t0 < 0.5 + 1.0
    assert not sol.complete
    assert sol.message and "time budget" in sol.message
    assert all(eq.regret == 0 for eq in sol.equilibria)


def test_cli_lists_and_runs_methods(tmp_path):
    nfg = tmp_path / "bos.nfg"
    nfg.write_text('NFG 1 R "BoS" { "R" "C" } { 2 2 }\n\n3 2 0 0 0 0 2 3\n')
    runner = CliRunner()
    out = runner.invoke(main, ["methods", str(nfg)])
    assert out.exit_code == 0, out.output
    assert "lemke-howson" in out.output and "lcp" in out.output
    res = runner.invoke(main, ["solve", str(nfg), "--method", "lemke-howson", "--format", "json"])
    assert res.exit_code == 3, res.output  # one equilibrium per label: not complete
    assert '"method": "lemke-howson"' in res.output and '"complete": false' in res.output
