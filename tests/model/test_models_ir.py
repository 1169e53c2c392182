"""Fearon's ultimatum, Powell's shifting power and Crawford–Sobel cheap talk: closed forms vs
brute-force grids, backward induction and root finding; the numbers of G4 in docs/scenarios.md
(private-information variant), G5(b), G8 and B10; every game file of the bargaining models."""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pytest

from bargaining.errors import GameValidationError
from bargaining.formats.load import load
from bargaining.model.bargaining import CrawfordSobel, FearonUltimatum, PowellShift
from bargaining.solvers.api import solve
from bargaining.solvers.models import (
    batch_closed_form,
    cs_boundaries,
    cs_boundaries_numeric,
    cs_losses,
    cs_max_intervals,
    fearon_range,
    powell_backward,
)
from bargaining.verify.models import verify_cs, verify_powell


# ---- Fearon ---------------------------------------------------------------------------------------
def test_fearon_range():
    assert fearon_range(F(1, 2), F(1, 10), F(1, 5)) == (F(2, 5), F(7, 10))


def test_g4_ultimatum_defaults():
    m = load("territory-ultimatum")
    sol = solve(m, exact=True)
    assert len(sol.equilibria) == 1
    eq = sol.equilibria[0]
    b = eq.extra["solution"]
    assert b["offer"] == F(57, 200)  # 0.285: the risky offer
    assert b["p_war"] == F(2, 5)
    assert eq.payoffs[0] == F(531, 1000)
    assert b["proposer_payoff_safe"] == F(515, 1000)
    assert b["safe_offer"] == F(97, 200)  # 0.485
    assert b["war_payoffs"][m.players[0]] == F(255, 1000)
    assert b["pi_star"] == F(10, 23)
    assert b["bargaining_range_resolute"][0] < b["bargaining_range_resolute"][1]  # non-empty range
    assert eq.regret == 0


def test_g4_ultimatum_pi_threshold():
    pis = F(10, 23)
    tie = solve(load("territory-ultimatum", pi=pis), exact=True)
    assert [e.label for e in tie.equilibria] == ["safe offer", "risky offer"]  # both SPE at the tie
    assert all(e.regret == 0 for e in tie.equilibria)
    assert tie.equilibria[0].payoffs[0] == tie.equilibria[1].payoffs[0]
    safe = solve(load("territory-ultimatum", pi=F(45, 100)), exact=True).equilibria
    assert len(safe) == 1 and safe[0].extra["solution"]["p_war"] == 0
    risky = solve(load("territory-ultimatum", pi=F(43, 100)), exact=True).equilibria
    assert len(risky) == 1 and risky[0].extra["solution"]["p_war"] == F(43, 100)


def _grid_best(p, cP, cl, ch, pi, uniform, n=200001):
    xs = np.linspace(0, 1, n)
    if uniform:
        Fa = np.clip((ch - p + xs) / (ch - cl), 0, 1)
    else:
        Fa = pi * (xs >= p - cl - 1e-12) + (1 - pi) * (xs >= p - ch - 1e-12)
    U = Fa * (1 - xs) + (1 - Fa) * (1 - p - cP)
    return float(U.max())


@pytest.mark.parametrize("uniform", [False, True])
def test_fearon_closed_form_vs_brute_force(uniform):
    rng = np.random.default_rng(95)
    for _ in range(40):
        p = float(rng.uniform(0.05, 0.95))
        cP = float(rng.uniform(0, 0.4))
        cl, ch = sorted(rng.uniform(0, 0.6, 2))
        pi = float(rng.uniform(0, 1))
        m = FearonUltimatum(
            p=p, c_P=cP, c_low=float(cl), c_high=float(ch), pi=pi, dist="uniform" if uniform else "two-types"
        )
        eq = solve(m).equilibria[0]
        best = _grid_best(p, cP, cl, ch, pi, uniform)
        assert eq.payoffs[0] >= best - 1e-9  # no offer on the grid does better
        assert eq.payoffs[0] <= best + 1e-5  # ... and the grid (step 1e-5) comes close to it
        assert eq.regret <= 1e-9
        nu = solve(m, method="numeric").equilibria[0]
        assert nu.payoffs[0] == pytest.approx(eq.payoffs[0], abs=1e-8)


def test_fearon_uniform_interior_formula():
    # interior optimum x* = p + (c_P - c_hi)/2 with war probability 1 - F(x*)
    m = FearonUltimatum(p=F(1, 2), c_P=F(1, 10), c_low=F(0), c_high=F(2, 5), dist="uniform")
    b = solve(m, exact=True).equilibria[0].extra["solution"]
    assert b["offer"] == F(1, 2) + (F(1, 10) - F(2, 5)) / 2
    assert b["p_war"] == 1 - (F(2, 5) - F(1, 2) + b["offer"]) / F(2, 5)


def test_fearon_bad_input():
    with pytest.raises(GameValidationError, match="c_low > c_high"):
        FearonUltimatum(c_low=0.3, c_high=0.1)
    with pytest.raises(GameValidationError, match="pi"):
        FearonUltimatum(pi=1.5)


# ---- Powell ---------------------------------------------------------------------------------------
def test_g5_dynamic_defaults():
    m = load("deep-state-dynamic")
    assert m.lambda_A == F(2, 5)
    eq = solve(m, exact=True).equilibria[0]
    b = eq.extra["solution"]
    assert b["state_H"]["offer"] == F(677, 1000)
    assert b["war_values"] == {"W_H": F(19, 50), "W_L": F(1, 20)}
    assert b["thresholds"]["lambda_A_star"] == F(1, 11)
    assert b["thresholds"]["zeta_star"] == F(39, 44)
    lam0 = b["thresholds"]["lambda_0_star"]
    assert lam0 == F(1, 10) * F(62, 100) / (F(9, 10) * F(33, 100))
    assert round(float(lam0), 5) == 0.20875
    assert eq.label == "peace" and eq.regret == 0
    # value check of G5(b) in docs/scenarios.md: RU's per-period value at peace equals W_H = 0.38
    assert eq.payoffs[1] == F(19, 50)


@pytest.mark.parametrize("lam", [F(0), F(1, 20), F(1, 5), F(2, 5), F(3, 5), F(4, 5), F(1)])
def test_g5_linear_in_lambda_A(lam):
    b = solve(PowellShift(lambda_A=lam), exact=True).equilibria[0].extra["solution"]
    assert b["state_H"]["x_H_star"] == F(1095, 1000) - F(1045, 1000) * lam
    assert b["preventive_advance"] == (lam < F(1, 11))


@pytest.mark.parametrize("zeta, x", [(0, 0.259), (0.25, 0.468), (0.75, 0.886), (1, 1.095)])
def test_g5_by_zeta(zeta, x):
    eq = solve(load("deep-state-dynamic", zeta=zeta)).equilibria[0]
    b = eq.extra["solution"]
    assert b["state_H"]["x_H_star"] == pytest.approx(x, abs=1e-12)
    assert b["preventive_advance"] == (x > 1)
    assert eq.regret <= 1e-12


def test_g5_thresholds_cross():
    z = 39 / 44
    assert (
        not solve(load("deep-state-dynamic", zeta=z - 1e-6))
        .equilibria[0]
        .extra["solution"]["preventive_advance"]
    )
    assert (
        solve(load("deep-state-dynamic", zeta=z + 1e-6)).equilibria[0].extra["solution"]["preventive_advance"]
    )
    l0 = 62 / 297
    assert not solve(load("deep-state-dynamic", lambda_0=l0 - 1e-6)).equilibria[0].label == "preventive war"
    assert solve(load("deep-state-dynamic", lambda_0=l0 + 1e-6)).equilibria[0].label == "preventive war"
    # Putin's two readings: E[lambda_A] = 0.05 + 0.55 pi; preventive advance iff pi < 0.0744
    pi_star = (F(1, 11) - F(1, 20)) / F(55, 100)
    assert round(float(pi_star), 4) == 0.0744
    for pi, war in ((pi_star - F(1, 1000), True), (pi_star + F(1, 1000), False)):
        lam = F(1, 20) + F(55, 100) * pi
        assert (
            solve(PowellShift(lambda_A=lam), exact=True).equilibria[0].extra["solution"]["preventive_advance"]
            == war
        )


def test_powell_closed_form_vs_backward_induction():
    rng = np.random.default_rng(2006)
    for _ in range(15):
        m = PowellShift(
            delta=float(rng.uniform(0.5, 0.95)),
            p_H=float(rng.uniform(0.4, 0.9)),
            p_L=float(rng.uniform(0.1, 0.4)),
            c_R=float(rng.uniform(0, 0.15)),
            kappa_R=float(rng.uniform(0, 0.2)),
            lambda_0=float(rng.uniform(0, 0.3)),
            lambda_A=float(rng.uniform(0, 1)),
        )
        cf = solve(m).equilibria[0].extra["solution"]
        nb = powell_backward(m, T=2000)
        assert (not nb["war_H"]) == cf["state_H"]["accepted"]
        if cf["state_H"]["accepted"]:
            assert nb["offer_H"] == pytest.approx(cf["state_H"]["offer"], abs=1e-9)
        nu = solve(m, method="numeric").equilibria[0]
        assert nu.label == solve(m).equilibria[0].label


def test_powell_verifier_catches_wrong_offer():
    m = PowellShift(lambda_A=F(2, 5))
    assert verify_powell(m, F(677, 1000), F(1, 20), True, True, exact=True) == 0
    assert verify_powell(m, F(6, 10), F(1, 20), True, True, exact=True) > 0  # RU would advance
    assert verify_powell(m, F(677, 1000), F(1, 20), False, True, exact=True) > 0  # peace was affordable


def test_powell_batch():
    lam = np.linspace(0, 1, 11)
    out = batch_closed_form(PowellShift(lambda_A=lam))
    assert np.allclose(out["x_H_star"], 1.095 - 1.045 * lam)
    assert (out["peace"] == (lam >= 1 / 11)).all()


def test_powell_bad_input():
    with pytest.raises(GameValidationError, match="delta"):
        PowellShift(delta=1, lambda_A=0.4)
    with pytest.raises(GameValidationError, match="lambda_A"):
        PowellShift()
    with pytest.raises(GameValidationError, match="not both"):
        PowellShift(lambda_A=0.4, lambda_bar_A=0.8)


# ---- Crawford–Sobel ------------------------------------------------------------------------------
def test_g8_defaults():
    sol = solve(load("flex-cheap-talk"), exact=True)
    assert sol.concept == "perfect-bayesian" and sol.complete
    top = sol.equilibria[0].extra["solution"]
    assert top["max_intervals"] == 2 and top["intervals"] == 2
    assert top["boundaries"] == [0, F(7, 10), 1]
    assert top["actions"] == [F(7, 20), F(17, 20)]
    assert top["expected_loss"]["RU"] == F(37, 1200)  # 0.030833 (RU receives)
    assert top["expected_loss"]["US"] == F(49, 1200)  # 0.040833
    babble = sol.equilibria[1].extra["solution"]
    assert babble["expected_loss"] == {"US": F(7, 75), "RU": F(1, 12)}  # 0.093333, 0.083333
    assert all(e.regret == 0 for e in sol.equilibria)


def test_b10():
    top = solve(load("crawford-sobel"), exact=True).equilibria[0].extra["solution"]
    assert top["boundaries"] == [0, F(3, 10), 1] and top["actions"] == [F(3, 20), F(13, 20)]
    assert top["expected_loss"]["receiver"] == F(37, 1200)
    sol = solve(load("crawford-sobel", b=F(1, 20)), exact=True)
    top = sol.equilibria[0].extra["solution"]
    assert len(sol.equilibria) == 3 and top["intervals"] == 3
    assert top["boundaries"] == [0, F(2, 15), F(7, 15), 1]
    assert [round(float(a), 4) for a in top["actions"]] == [0.0667, 0.3, 0.7333]
    assert round(float(top["expected_loss"]["receiver"]), 6) == 0.015926
    for b in (F(1, 4), F(1, 3), F(2)):
        sol = solve(load("crawford-sobel", b=b), exact=True)
        assert [e.label for e in sol.equilibria] == ["babbling"]
        assert sol.equilibria[0].extra["solution"]["expected_loss"]["receiver"] == F(1, 12)


def test_max_intervals_thresholds():
    # informative iff b < 1/4; three messages iff b < 1/12; N messages iff b < 1/(2N(N-1))
    for N in range(2, 9):
        edge = F(1, 2 * N * (N - 1))
        assert cs_max_intervals(edge) == N - 1
        assert cs_max_intervals(edge - F(1, 10**9)) >= N
    bs = np.geomspace(1e-4, 2, 500)
    formula = np.ceil(-0.5 + 0.5 * np.sqrt(1 + 2 / bs))
    assert (cs_max_intervals(bs) == formula).all()
    assert all(cs_max_intervals(float(b)) == int(f) for b, f in zip(bs, formula))


@pytest.mark.parametrize("direction", [1, -1])
def test_boundaries_closed_form_vs_root_finding(direction):
    for b in (0.2, 0.1, 0.05, 0.02, 0.01):
        for N in range(1, cs_max_intervals(b) + 1):
            t = cs_boundaries(b, N, direction)
            assert np.allclose(t, cs_boundaries_numeric(b, N, direction), atol=1e-9)
            assert all(x < y for x, y in zip(t, t[1:]))
            rl, sl = cs_losses(b, N)
            assert rl == pytest.approx(sum((y - x) ** 3 for x, y in zip(t, t[1:])) / 12, abs=1e-12)
            assert sl == pytest.approx(rl + b * b)
    sol = solve(CrawfordSobel(b=0.02, direction=direction), method="numeric")
    assert [e.extra["solution"]["intervals"] for e in sol.equilibria] == list(
        range(cs_max_intervals(0.02), 0, -1)
    )
    assert all(e.regret <= 1e-9 for e in sol.equilibria)


def test_cs_verifier_catches_a_wrong_partition():
    b = F(1, 10)
    t = [F(0), F(1, 2), F(1)]  # the uniform partition is not an equilibrium with bias
    a = [F(1, 4), F(3, 4)]
    assert verify_cs(b, 1, t, a, exact=True) > 0
    assert verify_cs(b, 1, [F(0), F(3, 10), F(1)], [F(3, 20), F(13, 20)], exact=True) == 0


def test_cs_bad_input():
    with pytest.raises(GameValidationError, match="bias"):
        CrawfordSobel(b=0)
    with pytest.raises(GameValidationError, match="direction"):
        CrawfordSobel(direction=2)


# ---- every bargaining game file loads, solves, and passes its certificate --------------------------
@pytest.mark.parametrize(
    "name",
    [
        "rubinstein",
        "nash-bargaining",
        "territory-bargain",
        "territory-ultimatum",
        "deep-state-dynamic",
        "flex-cheap-talk",
        "crawford-sobel",
    ],
)
def test_game_files(name):
    g = load(name)
    assert g.kind == "model"
    for exact in (False, True):
        sol = solve(g, exact=exact)
        assert sol.complete and sol.equilibria
        for eq in sol.equilibria:
            assert float(eq.regret) <= 1e-9
            assert "solution" in eq.to_dict()
            assert all(math.isfinite(float(v)) for v in eq.payoffs)
        from bargaining.report.render import render

        for fmt in ("table", "json", "csv"):
            assert render(sol, fmt)


def test_batch_fearon_and_cs():
    pi = np.linspace(0, 1, 21)
    out = batch_closed_form(FearonUltimatum(p=0.595, c_P=0.15, c_low=0.11, c_high=0.31, pi=pi))
    for k, v in enumerate(pi):
        eq = solve(FearonUltimatum(p=0.595, c_P=0.15, c_low=0.11, c_high=0.31, pi=float(v))).equilibria[0]
        assert out["offer"][k] == pytest.approx(eq.extra["solution"]["offer"], abs=1e-12)
        assert out["p_war"][k] == pytest.approx(eq.extra["solution"]["p_war"], abs=1e-12)
    assert (out["p_war"] > 0).sum() == (pi < 10 / 23).sum() - 1  # pi = 0: risky offer, no war
    b = np.asarray([0.3, 0.2, 0.1, 0.05, 0.02])
    cs = batch_closed_form(CrawfordSobel(b=b))
    assert list(cs["max_intervals"]) == [1, 2, 2, 3, 5]
    assert cs["receiver_loss"][2] == pytest.approx(37 / 1200)
