"""Repeated games: grim-trigger thresholds by hand, APS payoff sets against QuantEcon."""

from fractions import Fraction as F

import numpy as np
import pytest

from bargaining import load
from bargaining.model.normal import NormalFormGame
from bargaining.solvers.api import solve
from bargaining.verify.commitment import check_repeated

T, R, P, S = 5, 3, 1, 0
PD = NormalFormGame.from_arrays([[R, S], [T, P]], [[R, T], [S, P]], strategies=[["C", "D"], ["C", "D"]])


def _solve(game, **kw):
    sol = solve(game, concept="repeated", **kw)
    for eq in sol.equilibria:
        checks = check_repeated(game, eq)
        assert checks["ok"], checks
    return sol


def test_pd_trigger_threshold_exact():
    eq = _solve(PD, exact=True, delta=F(9, 10))[0]
    cc = next(d for d in eq.extra["trigger_delta"] if d["profile"] == ["C", "C"])
    assert cc["trigger_delta"] == F(T - R, T - P)  # (T - R)/(T - P) = 1/2
    assert eq.extra["minmax"] == [P, P]


def _vertices(sol):
    return np.array(sol[0].extra["payoff_set_vertices"], dtype=float)


def _hausdorff(a, b):
    d = np.linalg.norm(a[:, None, :] - b[None, :, :], axis=2)
    return max(d.min(axis=1).max(), d.min(axis=0).max())


def test_pd_payoff_set_high_delta_by_hand():
    # feasible and individually rational: (1,1), (1, 13/3), (3,3), (13/3, 1)
    got = _vertices(_solve(PD, delta=0.9))
    want = np.array([[1, 1], [1, 13 / 3], [3, 3], [13 / 3, 1]])
    assert _hausdorff(got, want) < 1e-6


def test_finite_pd_is_always_defect():
    eq = _solve(PD, exact=True, periods=4)[0]
    assert eq.extra["payoff_set"] == [[1, 1]]


def test_finite_repetition_with_two_stage_equilibria():
    # Benoit-Krishna style: a stage game with two pure equilibria (M, M)=(4,4)? Here (B,B)=(1,1)
    # and (M,M)=(3,3); (T,T)=(5,5) is not a stage equilibrium (each gains 1 by deviating to M
    # against T: 6 > 5) but in 2 periods (T,T) then (M,M) is an SPE: deviating gains 1 and is
    # punished by (B,B) tomorrow (loss 2). Average payoff (5+3)/2 = 4.
    A = [[5, 0, 0], [6, 3, 0], [0, 0, 1]]
    g = NormalFormGame.from_arrays(A, np.array(A).T.tolist())
    eq = _solve(g, exact=True, periods=2)[0]
    assert [F(4), F(4)] in eq.extra["payoff_set"]


@pytest.mark.parametrize("delta", [0.3, 0.6, 0.9])
def test_against_quantecon(delta):
    qe = pytest.importorskip("quantecon.game_theory")
    for game in (PD, load("deterrence-repeated").to_game()):
        A, B = game.bimatrix()
        rg = qe.RepeatedGame(
            qe.NormalFormGame(np.stack([np.asarray(A, float), np.asarray(B, float)], axis=-1)), delta
        )
        got = _vertices(_solve(game, delta=delta))
        try:
            hull = rg.equilibrium_payoffs()
        except Exception as err:  # QuantEcon's ConvexHull fails when the set is a single point
            assert "QH" in str(err) and np.ptp(got, axis=0).max() < 1e-6
            continue
        want = hull.points[hull.vertices]
        assert _hausdorff(got, want) < 1e-4


def test_delta_is_required():
    with pytest.raises(Exception, match="--delta"):
        solve(PD, concept="repeated")
