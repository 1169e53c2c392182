"""Correlated and coarse correlated equilibria: hand-derived values, independent verification."""

from fractions import Fraction as F

import pytest

from bargaining import load
from bargaining.model.normal import NormalFormGame
from bargaining.solvers.api import solve
from bargaining.verify.commitment import check_correlated

# Aumann's (1974) chicken: (C,C)=(6,6), (C,D)=(2,7), (D,C)=(7,2), (D,D)=(0,0). With p = (a, b, c, d)
# on (CC, CD, DC, DD), obedience is a <= 2b, a <= 2c (told C), c >= 2d, b >= 2d (told D). Welfare
# 12a + 9b + 9c is maximal at d = 0, a = 2b = 2c: p = (1/2, 1/4, 1/4, 0), welfare 21/2.
AUMANN = NormalFormGame.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]], strategies=[["C", "D"], ["C", "D"]])


def _check(game, sol, coarse=False):
    for eq in sol.equilibria:
        checks = check_correlated(game, eq, coarse=coarse)
        assert checks["ok"], checks
    return sol


def _probs(eq):
    return [d["probability"] for d in eq.extra["distribution"]]


def test_aumann_chicken_welfare_optimum_exact():
    eq = _check(AUMANN, solve(AUMANN, concept="correlated", exact=True))[0]
    assert _probs(eq) == [F(1, 2), F(1, 4), F(1, 4), 0]
    assert eq.extra["objective"]["value"] == F(21, 2)
    assert eq.payoffs == (F(21, 4), F(21, 4))


def test_aumann_chicken_vertices():
    # the five vertices (by hand from the four obedience inequalities): the pure equilibria, the
    # mixed one (2/3 C each: 4/9, 2/9, 2/9, 1/9), a = 2b = 2c with d = 0, and a = 0, b = c = 2d
    sol = _check(AUMANN, solve(AUMANN, concept="correlated", method="ce-vertices", exact=True))
    got = {tuple(_probs(eq)) for eq in sol}
    want = {
        (0, 1, 0, 0),
        (0, 0, 1, 0),
        (F(4, 9), F(2, 9), F(2, 9), F(1, 9)),
        (F(1, 2), F(1, 4), F(1, 4), 0),
        (0, F(2, 5), F(2, 5), F(1, 5)),
    }
    assert got == want and sol.complete


def test_project_chicken_welfare_and_player_objective():
    g = load("chicken").to_game()  # S/T, crash 10, win = lose = 1: welfare is 0 at best (no crash)
    eq = _check(g, solve(g, concept="correlated", exact=True))[0]
    assert eq.extra["objective"]["value"] == 0
    eq = _check(g, solve(g, concept="correlated", exact=True, objective="P1"))[0]
    assert eq.payoffs[0] == 1  # P1's best correlated payoff is its best pure equilibrium


def test_matching_pennies_unique_ce_and_entropy():
    mp = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    sol = _check(mp, solve(mp, concept="correlated", method="ce-vertices", exact=True))
    assert [_probs(eq) for eq in sol] == [[F(1, 4)] * 4]
    eq = _check(mp, solve(mp, concept="correlated", objective="entropy"))[0]
    assert _probs(eq) == pytest.approx([0.25] * 4, abs=1e-6)


def test_entropy_beats_welfare_distribution():
    import math

    ent = _check(AUMANN, solve(AUMANN, concept="correlated", objective="entropy"))[0]
    h = ent.extra["objective"]["value"]
    assert h >= -sum(p * math.log(p) for p in [0.5, 0.25, 0.25]) - 1e-9


def test_coarse_contains_correlated_and_four_powers():
    sol = _check(AUMANN, solve(AUMANN, concept="coarse-correlated", exact=True), coarse=True)
    assert sol[0].extra["objective"]["value"] >= F(21, 2)
    g = load("crisis-four-powers").to_game()
    ce = _check(g, solve(g, concept="correlated", exact=True))
    nash = solve(g, concept="nash")
    assert ce[0].extra["objective"]["value"] >= max(sum(eq.payoffs) for eq in nash) - 1e-9
