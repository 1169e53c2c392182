"""Stackelberg commitment: textbook values derived by hand, every answer verified independently."""

from fractions import Fraction as F

import pytest

from bargaining import load
from bargaining.errors import BargainingError
from bargaining.model.normal import NormalFormGame
from bargaining.solvers.api import solve
from bargaining.verify.commitment import check_stackelberg

# Conitzer & Sandholm (2006) / von Stengel & Zamir (2010): the leader (row) has U dominant,
# Nash (U, L) pays it 2. Committing to U with probability p makes L the follower's best response
# iff p >= 1/2 (follower: L pays p, R pays 1 - p); the leader gets 3 + p against R, so the
# optimum is p = 1/2 with the follower breaking the tie to R: 3.5. Weakly (ties against the
# leader) 3.5 is a supremum approached as p -> 1/2 from below and not attained. Pure: D -> R pays 3.
CS = NormalFormGame.from_arrays(
    [[2, 4], [1, 3]], [[1, 0], [0, 1]], players=["L", "F"], strategies=[["U", "D"], ["Left", "Right"]]
)


def _solve(game, **kw):
    sol = solve(game, concept="stackelberg", **kw)
    for eq in sol.equilibria:
        checks = check_stackelberg(game, eq)
        assert checks["ok"], checks
    return sol


def test_conitzer_sandholm_strong_exact():
    sol = _solve(CS, exact=True, leader="L")
    eq = sol[0]
    assert eq.extra["commitment"] == [F(1, 2), F(1, 2)]
    assert eq.extra["follower_response"] == "Right"
    assert eq.extra["leader_payoff"] == F(7, 2)
    assert eq.extra["nash_payoffs"] == {"best": 2, "worst": 2}
    assert eq.extra["value_of_commitment"]["over_best_nash"] == F(3, 2)
    assert eq.extra["attained"] is True and sol.complete


def test_conitzer_sandholm_weak_is_a_supremum():
    sol = _solve(CS, exact=True, tie_break="weak")
    eq = sol[0]
    assert eq.extra["leader_payoff"] == F(7, 2)
    assert eq.extra["attained"] is False
    assert "supremum" in sol.message


def test_conitzer_sandholm_floats_and_pure():
    eq = _solve(CS)[0]
    assert eq.extra["leader_payoff"] == pytest.approx(3.5)
    pure = _solve(CS, exact=True, commitment="pure")[0]
    assert pure.extra["leader_payoff"] == 3 and pure.extra["follower_response"] == "Right"


def test_weak_attained_when_no_tie_matters():
    # matching pennies as leader: commit to 1/2; the follower is indifferent and both responses
    # give the leader 0, so the weak value 0 is attained
    mp = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    eq = _solve(mp, exact=True, tie_break="weak")[0]
    assert eq.extra["leader_payoff"] == 0 and eq.extra["attained"] is True


def test_follower_as_leader_in_crisis_normal_form():
    g = load("crisis-normal-form").to_game()
    for leader in g.players:
        eq = _solve(g, exact=True, leader=leader)[0]
        # committing can never hurt: the leader may commit to its Nash strategy
        assert eq.extra["value_of_commitment"]["over_worst_nash"] >= 0


def test_crisis_normal_form_us_leader_by_hand():
    # defaults W=1, k_F=0.2, psi_F=-0.1, psi_S=-0.5, c_P=0.5, w=1, g_A=1. US firm with prob q:
    # Russia compromises (0.5) vs advances (-q + (1 - q)) -> C iff q >= 1/4. The US gets
    # 1 - 0.2 q against C (best at q = 1/4: 0.95) and -0.1 q - 0.5 (1 - q) <= -0.1 against A.
    eq = _solve(load("crisis-normal-form").to_game(), exact=True, leader="US")[0]
    assert eq.extra["commitment"] == [F(1, 4), F(3, 4)]
    assert eq.extra["leader_payoff"] == F(19, 20)
    assert eq.extra["nash_payoffs"]["best"] == F(1, 2)
    assert eq.extra["value_of_commitment"]["over_best_nash"] == F(9, 20)


def test_three_players_is_a_clear_error():
    with pytest.raises(BargainingError, match="two-player"):
        solve(load("crisis-four-powers").to_game(), concept="stackelberg", method="commitment-lp")


def test_tree_is_refused():
    with pytest.raises(BargainingError):
        solve(load("entry-deterrence").to_game(), concept="stackelberg")
