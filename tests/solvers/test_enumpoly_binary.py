"""The four-binary-mixer elimination of :mod:`bargaining.solvers.enumpoly_binary` gives the same
solutions as the certified subdivision / Gröbner path, support by support and through
``enumpoly`` (equilibria, exactness of each probability, ``complete``), on random and degenerate
(small-integer, many ties) games with four and five players; its exact algebraic forms evaluate
to the float roots."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import bargaining.solvers.enumpoly as enumpoly_module
from bargaining.model.normal import NormalFormGame
from bargaining.solvers.enumpoly import enumpoly
from bargaining.solvers.enumpoly_binary import four_binary
from bargaining.solvers.enumpoly_closed import integral_tensor, radical_values
from bargaining.solvers.polysystem import SupportSolver


def _game(shape, seed: int, low: int, high: int) -> NormalFormGame:
    rng = np.random.default_rng(seed)
    return NormalFormGame.from_tensor(rng.integers(low, high + 1, size=(len(shape), *shape)).astype(float))


def _plain_path(monkeypatch):
    """``enumpoly`` with the elimination switched off: four-mixer supports go to subdivision."""
    original = enumpoly_module.four_binary
    monkeypatch.setattr(enumpoly_module, "four_binary", lambda *a, **k: None)
    return original


def _summary(sol):
    eqs = sorted(
        (
            tuple(round(float(p), 8) for probs in e.strategies for p in probs),
            tuple(type(p).__name__ for probs in e.strategies for p in probs),
        )
        for e in sol.equilibria
    )
    return eqs, sol.complete


CASES = [
    ((2, 2, 2, 2), range(0, 8), -99, 99),
    ((2, 2, 2, 2), range(0, 6), -2, 2),  # degenerate: many ties
    ((2, 2, 2, 2), range(0, 4), -1, 1),
    ((2, 2, 2, 2, 2), range(0, 1), -9, 9),  # five players: four mixers and a pure player
]


@pytest.mark.parametrize("shape,seeds,low,high", CASES)
def test_enumpoly_equal_with_and_without_the_elimination(monkeypatch, shape, seeds, low, high):
    games = [_game(shape, s, low, high) for s in seeds]
    fast = [_summary(enumpoly(g, exact=(k % 3 == 0))) for k, g in enumerate(games)]
    _plain_path(monkeypatch)
    plain = [_summary(enumpoly(g, exact=(k % 3 == 0))) for k, g in enumerate(games)]
    assert fast == plain


def test_support_roots_match_subdivision_on_random_games():
    decided = 0
    for seed in range(15):
        game = _game((2, 2, 2, 2), seed, -99, 99)
        U = game.as_exact().payoffs
        T = [[0, 1]] * 4
        roots = four_binary(integral_tensor(U), T, (2, 2, 2, 2), [0, 1, 2, 3])
        solver = SupportSolver(U, game.float_payoffs, T)
        status, xs = solver.solve()
        if roots is None or status != "decided":
            continue
        decided += 1
        ours = sorted(tuple(round(float(r.profile[j][1]), 9) for j in range(4)) for r in roots)
        theirs = sorted(tuple(round(float(v), 9) for v in x) for x in xs if min(x) >= -1e-12)
        assert ours == theirs, seed
        for r in roots:  # every coordinate is in [0, 1] and solves the system to float accuracy
            assert all(0 <= float(p) <= 1 for probs in r.profile for p in probs)
    assert decided >= 12  # the elimination decides random games (no fallback)


def test_algebraic_forms_evaluate_to_the_roots():
    found = 0
    for seed in range(3):
        U = integral_tensor(_game((2, 2, 2, 2), seed, -99, 99).as_exact().payoffs)
        T = [[0, 1]] * 4
        for r in four_binary(U, T, (2, 2, 2, 2), [0, 1, 2, 3]) or []:
            probs = [r.profile[j][1] for j in range(4)]
            if r.radical is None:  # a rational root: exact
                assert all(isinstance(p, Fraction) for p in probs)
                continue
            found += 1
            values = radical_values(r, T)["values"]
            for v, p in zip(values, probs):
                assert abs(float(sp.N(sp.sympify(v), 30)) - p) < 1e-9
    assert found >= 1
