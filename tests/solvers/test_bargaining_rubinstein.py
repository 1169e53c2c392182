"""Rubinstein alternating offers: closed forms vs backward induction / value iteration, the
outside-option principle, breakdown risk, continuous-time limit (B4 and G4 of docs/scenarios.md)."""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pytest

from bargaining.errors import GameValidationError
from bargaining.formats.load import load
from bargaining.model.bargaining import Rubinstein, model_from_spec
from bargaining.solvers.api import solve
from bargaining.solvers.models import (
    batch_closed_form,
    continuous_limit_share,
    rubinstein_backward,
    rubinstein_iterate,
    rubinstein_shares,
)
from bargaining.verify.models import verify_rubinstein


def share1(model: Rubinstein, **kw) -> object:
    sol = solve(model, **kw)
    assert len(sol.equilibria) == 1
    eq = sol.equilibria[0]
    assert eq.regret <= 1e-12
    return eq.payoffs[0]


# ---- B4: the closed form, exact --------------------------------------------------------------
@pytest.mark.parametrize(
    "d1, d2, expected, approx",
    [
        (F(9, 10), F(9, 10), F(10, 19), 0.526316),
        (F(9, 10), F(8, 10), F(5, 7), 0.714286),
        (F(8, 10), F(9, 10), F(5, 14), 0.357143),
        (F(95, 100), F(9, 10), F(20, 29), 0.689655),
    ],
)
def test_b4_closed_form_exact(d1, d2, expected, approx):
    x = share1(Rubinstein(delta_1=d1, delta_2=d2), exact=True)
    assert x == expected
    assert round(float(x), 6) == approx
    # independent: value iteration on the same game
    it = rubinstein_iterate(Rubinstein(delta_1=d1, delta_2=d2))
    assert abs(it["payoffs"][0] - float(expected)) < 1e-10


@pytest.mark.parametrize("delta", [F(1, 10), F(1, 2), F(9, 10), F(99, 100)])
def test_common_delta(delta):
    assert share1(Rubinstein(delta_1=delta, delta_2=delta), exact=True) == 1 / (1 + delta)


def test_finite_horizon_converges_to_infinite():
    m = Rubinstein(delta_1=F(9, 10), delta_2=F(8, 10))
    x_inf = F(5, 7)
    errs = []
    for T in (1, 2, 3, 10, 50, 200):
        r = rubinstein_backward(m, exact=True, horizon=T)
        errs.append(abs(r["payoffs"][0] - x_inf))
    # T = 1: the proposer takes all; T = 2: 1 - delta_2 (Ståhl 1972)
    assert rubinstein_backward(m, exact=True, horizon=1)["payoffs"][0] == 1
    assert rubinstein_backward(m, exact=True, horizon=2)["payoffs"][0] == F(2, 10)
    assert errs[-1] < F(1, 10**13)  # error (delta_1 delta_2)^(T/2) = 0.72^100
    # geometric convergence: |x_T - x*| <= (delta_1 delta_2)^floor((T-1)/2)
    for T, e in zip((1, 2, 3, 10, 50, 200), errs):
        assert e <= F(72, 100) ** ((T - 1) // 2)
    # the finite game through solve() (method reports backward induction)
    sol = solve(Rubinstein(delta_1=0.9, delta_2=0.8, horizon=400))
    assert abs(sol.equilibria[0].payoffs[0] - 5 / 7) < 1e-12
    assert "backward induction" in sol.equilibria[0].extra["solution"]["method_used"]


def test_second_proposer():
    m = Rubinstein(delta_1=F(9, 10), delta_2=F(8, 10), first=2)
    sol = solve(m, exact=True)
    # player 2 proposes: it gets (1 - delta_1)/(1 - delta_1 delta_2)
    assert sol.equilibria[0].payoffs[1] == F(1, 10) / (1 - F(72, 100))
    assert sol.equilibria[0].extra["solution"]["first_proposer"] == "2"


# ---- outside options, breakdown: closed form vs numeric over many points --------------------
def _grid_models():
    rng = np.random.default_rng(6)
    out = []
    for _ in range(120):
        d1, d2 = rng.uniform(0.05, 0.97, 2)
        o1 = None if rng.random() < 0.3 else float(rng.uniform(0, 0.6))
        o2 = None if rng.random() < 0.3 else float(rng.uniform(0, 0.6))
        if o1 is not None and o2 is not None and o1 + o2 >= 0.95:
            o2 = 0.9 - o1
        q = 0.0 if rng.random() < 0.5 else float(rng.uniform(0, 0.5))
        dd1, dd2 = (0.0, 0.0) if rng.random() < 0.5 else tuple(rng.uniform(0, 0.3, 2))
        out.append(
            Rubinstein(
                delta_1=float(d1),
                delta_2=float(d2),
                outside_1=o1,
                outside_2=o2,
                breakdown=q,
                d_1=float(dd1),
                d_2=float(dd2),
                first=int(rng.integers(1, 3)),
            )
        )
    return out


def test_closed_form_agrees_with_value_iteration_on_random_games():
    regimes = set()
    for m in _grid_models():
        cf = solve(m)
        nu = solve(m, method="numeric")
        a, b = cf.equilibria[0], nu.equilibria[0]
        assert a.regret <= 1e-12 and b.regret <= 1e-9
        assert np.allclose(a.payoffs, b.payoffs, atol=1e-9), (m, a.payoffs, b.payoffs)
        regimes.add(a.extra["solution"]["regime"][:3])
    assert regimes == {"(a)", "(b)", "(c)", "(d)"}  # every regime was exercised


def test_outside_option_principle_b4():
    d1, d2 = F(9, 10), F(9, 10)
    rub2 = d2 * (1 - d1) / (1 - d1 * d2)  # 9/19
    for b2 in (F(0), F(1, 5), F(9, 19), F(1, 2), F(7, 10)):
        sol = solve(Rubinstein(delta_1=d1, delta_2=d2, outside_2=b2), exact=True)
        assert sol.equilibria[0].payoffs[1] == max(b2, rub2)
        assert sol.equilibria[0].regret == 0


def test_breakdown_risk_matches_brw_formula():
    # d = 0, breakdown q: the game is Rubinstein with effective discounts (1 - q) delta_i
    d1, d2, q = F(9, 10), F(4, 5), F(1, 10)
    sol = solve(Rubinstein(delta_1=d1, delta_2=d2, breakdown=q), exact=True)
    b1, b2 = (1 - q) * d1, (1 - q) * d2
    assert sol.equilibria[0].payoffs[0] == (1 - b2) / (1 - b1 * b2)
    # pure breakdown risk (delta -> 1) with d = (0.3, 0.1): the split-the-difference limit
    m = Rubinstein(delta_1=1 - 1e-9, delta_2=1 - 1e-9, breakdown=1e-5, d_1=0.3, d_2=0.1)
    assert abs(solve(m).equilibria[0].payoffs[0] - (0.3 + 0.5 * (1 - 0.4))) < 1e-4


def test_continuous_time_limit():
    r1, r2 = 0.05, 0.1
    target = continuous_limit_share(r1, r2)
    assert target == pytest.approx(2 / 3)
    prev = None
    for period in (1.0, 0.1, 0.01, 0.001):
        m = Rubinstein.from_rates(r1, r2, period)
        x = solve(m).equilibria[0].payoffs[0]
        if prev is not None:
            assert abs(x - target) < abs(prev - target)
        prev = x
    assert abs(prev - target) < 1e-4
    block = solve(Rubinstein.from_rates(r1, r2, 0.001)).equilibria[0].extra["solution"]
    assert block["continuous_limit"]["1"] == pytest.approx(2 / 3)


def test_verifier_catches_wrong_shares():
    m = Rubinstein(delta_1=F(9, 10), delta_2=F(9, 10))
    assert verify_rubinstein(m, (F(10, 19), F(10, 19)), exact=True) == 0
    assert verify_rubinstein(m, (F(6, 10), F(10, 19)), exact=True) > 0  # responder 2 would reject
    assert verify_rubinstein(m, (F(4, 10), F(10, 19)), exact=True) > 0  # proposer 1 asks too little


def test_batch_closed_form_matches_scalar():
    d1 = np.linspace(0.1, 0.95, 7)[:, None]
    d2 = np.linspace(0.1, 0.95, 5)[None, :]
    o2 = 0.4
    m = Rubinstein(delta_1=d1, delta_2=d2, outside_2=o2)
    out = batch_closed_form(m)
    assert out["share_1"].shape == (7, 5) and out["valid"].all()
    for i in range(7):
        for j in range(5):
            s = solve(Rubinstein(delta_1=float(d1[i, 0]), delta_2=float(d2[0, j]), outside_2=o2))
            assert out["share_1"][i, j] == pytest.approx(s.equilibria[0].payoffs[0], abs=1e-12)
    direct = rubinstein_shares(d1, d2)
    assert np.allclose(direct["s_1"], (1 - d2) / (1 - d1 * d2))


# ---- G4 territory-bargain ---------------------------------------------------------------------
def territory(**kw) -> Rubinstein:
    return load("territory-bargain", **kw)


def test_g4_defaults_9_19():
    m = territory()
    assert (m.outside_1, m.outside_2) == (F(3, 20), F(87, 200))  # o_U = 0.15, o_R = 0.435
    sol = solve(m, exact=True)
    eq = sol.equilibria[0]
    assert eq.payoffs == (F(10, 19), F(9, 19))
    assert eq.extra["solution"]["regime"].startswith("(a)")
    # finite horizon T = 400 gives the same value (docs/scenarios.md, G4)
    fin = rubinstein_backward(Rubinstein(**{**m.parameters(), "horizon": 400}), exact=False)
    assert abs(fin["payoffs"][1] - 9 / 19) < 1e-12


def test_g4_deep_state_threshold():
    # o_R > R0 <=> lambda_ < (p_H - c_R - R0)/(p_H - p_L + kappa_R)
    lam_star = (F(6, 10) - F(9, 19)) / F(55, 100)
    assert round(float(lam_star), 6) == 0.229665
    below = solve(territory(lambda_=float(lam_star) - 1e-6)).equilibria[0]
    above = solve(territory(lambda_=float(lam_star) + 1e-6)).equilibria[0]
    assert below.extra["solution"]["regime"].startswith("(b)")
    assert above.extra["solution"]["regime"].startswith("(a)")
    for lam, x in ((0, F(6, 10)), (F(1, 10), F(545, 1000))):
        assert solve(territory(lambda_=lam), exact=True).equilibria[0].payoffs[1] == x


@pytest.mark.parametrize("dU, dR, x", [(0.9, 0.95, F(19, 29)), (0.9, 0.8, F(87, 200)), (0.8, 0.9, F(9, 14))])
def test_g4_patience(dU, dR, x):
    eq = solve(territory(delta_U=dU, delta_R=dR), exact=True).equilibria[0]
    assert eq.payoffs[1] == x
    assert eq.regret == 0


def test_naive_nash_differs_from_outside_option_principle():
    # instructor use: the Nash solution with the options as disagreement point gives RU more
    m = territory()
    spe = solve(m, exact=True).equilibria[0].payoffs[1]
    naive = solve(m, concept="nash-bargaining", exact=True).equilibria[0].payoffs[1]
    assert naive == F(87, 200) + (1 - F(87, 200) - F(3, 20)) / 2
    assert naive > spe


# ---- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [0, 1, F(3, 2), -0.1, float("nan")])
def test_discount_outside_unit_interval(bad):
    with pytest.raises(GameValidationError) as err:
        Rubinstein(delta_1=bad, delta_2=F(1, 2))
    msg = str(err.value)
    assert "delta_1" in msg and "\n" not in msg


def test_bad_rubinstein_inputs():
    with pytest.raises(GameValidationError, match="outside_1 \\+ outside_2"):
        Rubinstein(outside_1=0.6, outside_2=0.5)
    with pytest.raises(GameValidationError, match="first proposer"):
        Rubinstein(first=3)
    with pytest.raises(GameValidationError, match="d_1 \\+ d_2"):
        Rubinstein(d_1=0.7, d_2=0.6)
    with pytest.raises(GameValidationError, match="unknown argument"):
        model_from_spec("rubinstein", {"delta_3": 0.5})
    with pytest.raises(GameValidationError, match="unknown model"):
        model_from_spec("rubinstien", {})
    with pytest.raises(GameValidationError, match="delta_2"):
        Rubinstein(delta_1=np.array([0.5, 0.6]), delta_2=np.array([0.5, 1.0]))


def test_cli_solve_and_errors():
    from click.testing import CliRunner

    from bargaining.cli import main

    r = CliRunner().invoke(
        main, ["solve", "rubinstein", "--set", "delta_1=0.9", "--set", "delta_2=0.8", "--format", "json"]
    )
    assert r.exit_code == 0, r.output
    import json

    data = json.loads(r.output[r.output.index("{") :])
    assert math.isclose(data["equilibria"][0]["solution"]["shares"]["1"], 5 / 7)
    assert data["concept"] == "subgame-perfect"
    r = CliRunner().invoke(main, ["solve", "rubinstein", "--set", "delta_1=1.5"])
    assert r.exit_code == 2
    assert "delta_1" in r.output


def test_fallback_outside_the_closed_form_regimes():
    # player 1's disagreement payoff (0.6) beats the share it can offer while 2's option binds
    # (1 - 0.5): no closed-form regime applies, the numeric method finds that 1 lets 2 opt out
    sol = solve(Rubinstein(outside_2=0.5, d_1=0.6, players=("US", "RU")), exact=True)
    eq = sol.equilibria[0]
    assert eq.label == "no agreement"
    assert eq.payoffs == pytest.approx((0.6, 0.5))
    assert "no closed-form regime applies" in eq.extra["solution"]["method_used"]
    assert sol.message and "numeric" in sol.message
    assert not sol.exact
    assert eq.regret <= 1e-12


# ---- property: closed form = value iteration, certificate zero, shares in [0, 1] -----------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from strategies import discount_factors as _unit  # noqa: E402
from strategies import outside_options as _opt  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(
    d1=_unit,
    d2=_unit,
    o1=_opt,
    o2=_opt,
    q=st.floats(min_value=0.0, max_value=0.5),
    first=st.sampled_from([1, 2]),
)
def test_property_closed_form_equals_iteration(d1, d2, o1, o2, q, first):
    m = Rubinstein(delta_1=d1, delta_2=d2, outside_1=o1, outside_2=o2, breakdown=q, first=first)
    a = solve(m).equilibria[0]
    b = solve(m, method="numeric").equilibria[0]
    assert a.regret <= 1e-12
    assert np.allclose(a.payoffs, b.payoffs, atol=1e-9)
    assert 0 <= a.payoffs[0] <= 1 and abs(sum(a.payoffs) - 1) < 1e-12
    # each player gets at least its outside option (outside-option principle)
    for o, x in ((o1, a.payoffs[0]), (o2, a.payoffs[1])):
        if o is not None:
            assert x >= o - 1e-12


def test_model_from_spec_switches():
    m = model_from_spec("rubinstein", {"r_1": F(1, 20), "r_2": F(1, 10), "period": F(1, 1000)})
    assert m.delta_1 == pytest.approx(math.exp(-0.05 * 0.001))
    assert solve(m).equilibria[0].extra["solution"]["continuous_limit"]["1"] == pytest.approx(2 / 3)
    fin = model_from_spec("rubinstein", {"delta_1": F(1, 2), "delta_2": F(1, 2), "horizon": 3})
    assert solve(fin, exact=True).equilibria[0].payoffs[0] == F(3, 4)  # 1 - 1/2 (1 - 1/2)
    inf = model_from_spec(
        "rubinstein", {"delta_1": F(1, 2), "delta_2": F(1, 2), "horizon": 0}, players=["A", "B"], title="t"
    )
    assert inf.horizon is None and inf.players == ("A", "B") and inf.title == "t"
    with pytest.raises(GameValidationError, match="whole number"):
        model_from_spec("rubinstein", {"horizon": F(5, 2)})
    json_block = inf.describe()
    assert json_block["model"] == "rubinstein" and json_block["parameters"]["delta_1"] == 0.5
