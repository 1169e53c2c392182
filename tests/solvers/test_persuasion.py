"""Bayesian persuasion: Kamenica-Gentzkow's prosecutor, LP against concavification."""

from fractions import Fraction as F

import pytest

from bargaining import load
from bargaining.model.persuasion import PersuasionProblem
from bargaining.solvers.api import solve
from bargaining.verify.commitment import check_persuasion


def _solve(game, **kw):
    sol = solve(game, concept="persuasion", **kw)
    for eq in sol.equilibria:
        checks = check_persuasion(game, eq)
        assert checks["ok"], checks
    return sol


@pytest.mark.parametrize("method", ["persuasion-lp", "concavification"])
def test_prosecutor(method):
    # KG (2011) section I: prior 0.3 guilty; the judge convicts iff P(guilty) >= 1/2. Split the
    # prior into posteriors 1/2 (prob 0.6) and 0 (prob 0.4): conviction probability 2 x 0.3 = 0.6.
    g = load("prosecutor-persuasion").to_game()
    eq = _solve(g, exact=True, method=method)[0]
    assert eq.extra["sender_payoff"] == F(3, 5)
    assert eq.extra["signal"]["guilty"] == {"convict": 1, "acquit": 0}
    assert eq.extra["signal"]["innocent"] == {"convict": F(3, 7), "acquit": F(4, 7)}
    assert eq.extra["no_information"] == 0 and eq.extra["full_disclosure"] == F(3, 10)
    assert eq.extra["cheap_talk"]["best_sender_payoff"] == 0  # a prosecutor who cannot commit is ignored
    assert eq.extra["value_of_commitment"] == F(3, 5)


def test_prosecutor_high_prior_needs_no_signal():
    g = load("prosecutor-persuasion", p=0.6)
    assert _solve(g, exact=True)[0].extra["sender_payoff"] == 1


def test_three_states_lp_floats():
    # three states, the receiver acts (1) iff P(high) >= 2/3; the sender always wants action 1.
    # Pool all of "high" (0.2) with "mid"/"low" up to posterior 2/3: P(act) = 0.2 * 3/2 = 0.3
    g = PersuasionProblem(
        ("high", "mid", "low"),
        ("act", "wait"),
        (F(1, 5), F(2, 5), F(2, 5)),
        ((1, 1, 1), (0, 0, 0)),
        ((1, -2, -2), (0, 0, 0)),
    )
    eq = _solve(g)[0]
    assert eq.extra["sender_payoff"] == pytest.approx(0.3)
    with pytest.raises(Exception, match="two states"):
        solve(g, concept="persuasion", method="concavification")


def test_endorsement_file():
    g = load("endorsement-persuasion").to_game()
    lp = _solve(g, exact=True, method="persuasion-lp")[0]
    cv = _solve(g, exact=True, method="concavification")[0]
    assert lp.extra["sender_payoff"] == cv.extra["sender_payoff"]
    assert lp.extra["value_of_commitment"] >= 0
