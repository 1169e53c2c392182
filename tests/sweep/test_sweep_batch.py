"""The batched bimatrix solver against pygambit (test-only oracle), our per-game solver, and the
independent regret check of bargaining.verify.normal."""

from __future__ import annotations

from fractions import Fraction

import gambit_oracle as gambit
import numpy as np
import pytest
from hypothesis import given, settings
from strategies import bimatrix_cells

from bargaining.model.normal import NormalFormGame
from bargaining.solvers.api import solve
from bargaining.solvers.batch import bimatrix_equilibria, stack_bimatrix
from bargaining.verify import normal as verify


def _gambit(A: np.ndarray, B: np.ndarray) -> list[tuple]:
    out = set()
    for x, y in gambit.enummixed([A.astype(int).tolist(), B.astype(int).tolist()], rational=True):
        out.add(tuple(np.round([float(v) for v in (*x, *y)], 8)))
    return sorted(out)


def _ours(res, g: int) -> list[tuple]:
    sel = res.game == g
    return sorted(tuple(np.round(np.concatenate([x, y]), 8)) for x, y in zip(res.x[sel], res.y[sel]))


SHAPES = [(2, 2), (2, 3), (3, 2), (3, 3), (2, 4)]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_batch_matches_gambit_on_random_and_degenerate_games(shape):
    rng = np.random.default_rng(sum(shape))
    G = 60
    # small integer payoffs make ties (degenerate games, components) frequent
    A = rng.integers(-2, 3, (G, *shape)).astype(float)
    B = rng.integers(-2, 3, (G, *shape)).astype(float)
    res = bimatrix_equilibria(A, B)
    for g in range(G):
        assert _ours(res, g) == _gambit(A[g], B[g]), (A[g].tolist(), B[g].tolist())
    assert np.all(res.regret <= 1e-9)


@settings(max_examples=40, deadline=None)
@given(bimatrix_cells(SHAPES))
def test_batch_property_regret_and_gambit(case):
    (m, n), vals = case
    A = np.array(vals[: m * n], dtype=float).reshape(m, n)
    B = np.array(vals[m * n :], dtype=float).reshape(m, n)
    res = bimatrix_equilibria(A[None], B[None])
    game = NormalFormGame.from_arrays(A.astype(int).tolist(), B.astype(int).tolist(), exact=True)
    for x, y in zip(res.x, res.y):
        # independent certificate, exact: round the float profile to a nearby fraction
        prof = [
            [Fraction(v).limit_denominator(10**6) for v in x],
            [Fraction(v).limit_denominator(10**6) for v in y],
        ]
        prof = [[p / sum(ps) for p in ps] for ps in prof]
        assert verify.max_regret(game, prof) == 0
    assert _ours(res, 0) == _gambit(A, B)


def test_batch_agrees_with_per_game_solver():
    rng = np.random.default_rng(7)
    games = [
        NormalFormGame.from_arrays(rng.integers(-3, 4, (3, 3)).tolist(), rng.integers(-3, 4, (3, 3)).tolist())
        for _ in range(40)
    ]
    A, B = stack_bimatrix(games)
    res = bimatrix_equilibria(A, B)
    for k, game in enumerate(games):
        sol = solve(game)  # the per-game default (enummixed: all extreme equilibria)
        assert sol.complete
        per_game = [
            np.concatenate([np.asarray(eq.strategies[0], float), np.asarray(eq.strategies[1], float)])
            for eq in sol.equilibria
        ]
        ours = [np.concatenate([x, y]) for x, y in zip(res.x[res.game == k], res.y[res.game == k])]
        assert len(ours) == len(per_game)
        # same deterministic order (sort_key_profile), same profiles
        for a, b in zip(ours, per_game):
            assert np.allclose(a, b, atol=1e-9)
        for e, eq in zip(np.flatnonzero(res.game == k), sol.equilibria):
            assert np.allclose(res.payoffs[e], [float(v) for v in eq.payoffs], atol=1e-9)


def test_textbook_answers_exact():
    # battle of the sexes (B6 of docs/scenarios.md): (O,O), (F,F), mixed (2/3, 1/3), payoffs 2/3
    A = np.array([[2, 0], [0, 1]], float)
    B = np.array([[1, 0], [0, 2]], float)
    # matching pennies (B8), chicken (B7)
    MP = np.array([[1, -1], [-1, 1]], float)
    CA = np.array([[0, -1], [1, -10]], float)
    res = bimatrix_equilibria(np.stack([A, MP, CA]), np.stack([B, -MP, CA.T]))
    assert res.count.tolist() == [3, 1, 3]
    bos = res.game == 0
    assert np.allclose(res.x[bos], [[1, 0], [0, 1], [2 / 3, 1 / 3]])
    assert np.allclose(res.y[bos], [[1, 0], [0, 1], [1 / 3, 2 / 3]])
    assert np.allclose(res.payoffs[bos][2], [2 / 3, 2 / 3])
    assert np.allclose(res.x[res.game == 1], [[0.5, 0.5]])
    chicken = res.game == 2
    assert np.allclose(res.x[chicken][2], [0.9, 0.1]) and np.allclose(res.payoffs[chicken][2], [-0.1, -0.1])
    assert res.index.tolist() == [0, 1, 2, 0, 0, 1, 2]


def test_bad_input_is_one_line_error():
    from bargaining.errors import GameValidationError

    with pytest.raises(GameValidationError):
        bimatrix_equilibria(np.zeros((1, 5, 5)), np.zeros((1, 5, 5)))
    with pytest.raises(GameValidationError):
        bimatrix_equilibria(np.full((1, 2, 2), np.nan), np.zeros((1, 2, 2)))


def _tree_stack_case(name: str, G: int, seed: int):
    from pathlib import Path

    from bargaining.formats.yamlgame import load_template

    game = (
        load_template(Path(__file__).resolve().parents[2] / "bargaining" / "games" / f"{name}.yaml")
        .with_params()
        .as_float()
    )
    ta = game.to_arrays()
    rng = np.random.default_rng(seed)
    pay = np.repeat(ta.payoffs[None], G, axis=0)
    term = ta.player == -2
    pay[:, term] = rng.normal(size=(G, int(term.sum()), pay.shape[2]))
    probs = np.repeat(ta.probs[None], G, axis=0)
    return game, ta, pay, probs


@pytest.mark.parametrize("name", ["escalation-tree", "deep-state-shift", "entry-deterrence"])
def test_tree_stack_agrees_with_spe_arrays_and_backward(name):
    from bargaining.model.extensive import TreeArrays
    from bargaining.solvers.backward import backward, spe_arrays
    from bargaining.solvers.batch import tree_spe_stack

    game, ta, pay, probs = _tree_stack_case(name, 30, 3)
    res = tree_spe_stack(ta.offsets, ta.child, ta.player, pay, probs)
    assert not res.tie.any()  # continuous random payoffs: no ties
    assert np.all(res.regret <= 1e-9)
    for g in range(30):
        value, choice = spe_arrays(TreeArrays(ta.offsets, ta.child, ta.player, ta.probs, pay[g]))
        assert np.array_equal(choice, res.choice[g])
        assert np.allclose(value[0], res.value[g])
    # against the object-model solver on a few games: same unique SPE, same payoffs and outcomes
    from dataclasses import replace

    from bargaining.model.extensive import ExtensiveGame

    def repay(node, it):
        if node.kind == "terminal":
            return replace(node, payoffs=tuple(float(v) for v in next(it)))
        return replace(node, children=tuple((a, repay(c, it)) for a, c in node.children))

    for g in range(3):
        other = ExtensiveGame.from_tree(game.players, repay(game.to_spec(), iter(pay[g][ta.player == -2])))
        sol = backward(other)
        assert len(sol.equilibria) == 1
        eq = sol.equilibria[0]
        assert np.allclose([float(v) for v in eq.payoffs], res.value[g])
        assert np.allclose([float(v) for v in eq.outcomes], res.reach[g][ta.player == -2])


def test_tree_stack_flags_ties():
    from bargaining.solvers.batch import tree_spe_stack

    game, ta, pay, probs = _tree_stack_case("entry-deterrence", 2, 1)
    pay[1, ta.player == -2] = 0.0  # every mover indifferent everywhere
    res = tree_spe_stack(ta.offsets, ta.child, ta.player, pay, probs)
    assert res.tie.tolist() == [False, True]
