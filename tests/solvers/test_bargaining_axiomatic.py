"""Nash (symmetric and weighted) and Kalai–Smorodinsky solutions: exact closed forms against
scipy maximisation of the Nash product / linear programming (B5 of docs/scenarios.md), and bad input."""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pytest
from scipy.optimize import minimize

from bargaining.errors import GameValidationError
from bargaining.formats.load import load
from bargaining.model.bargaining import BargainingProblem, model_from_spec
from bargaining.solvers.api import solve
from bargaining.solvers.models import batch_closed_form, nash_linear_pie


def payoffs(model, **kw):
    sol = solve(model, **kw)
    assert len(sol.equilibria) == 1
    return sol.equilibria[0]


# ---- B5 -----------------------------------------------------------------------------------------
def test_b5_linear_defaults_from_file():
    eq = payoffs(load("nash-bargaining"), exact=True)
    assert eq.payoffs == (F(11, 20), F(9, 20))  # 0.55
    assert eq.extra["solution"]["shares"]["1"] == F(11, 20)


@pytest.mark.parametrize("alpha", [F(1, 5), F(1, 2), F(3, 4)])
def test_b5_weighted_linear(alpha):
    d1, d2 = F(1, 5), F(1, 10)
    eq = payoffs(BargainingProblem(d_1=d1, d_2=d2, alpha=alpha), exact=True)
    assert eq.payoffs[0] == d1 + alpha * (1 - d1 - d2)
    # scipy maximisation of the weighted Nash product on the pie
    res = minimize(
        lambda x: -(float(alpha) * math.log(x[0] - 0.2) + (1 - float(alpha)) * math.log(0.9 - x[0])),
        [0.5],
        bounds=[(0.2 + 1e-9, 0.9 - 1e-9)],
    )
    assert abs(float(eq.payoffs[0]) - res.x[0]) < 1e-6


def test_b5_sqrt_utility():
    eq = payoffs(load("nash-bargaining", d_1=0, d_2=0, rho_1=F(1, 2)))
    assert eq.extra["solution"]["shares"]["1"] == pytest.approx(1 / 3, abs=1e-12)
    assert eq.payoffs[0] == pytest.approx(0.5774, abs=1e-4)
    assert eq.payoffs[1] == pytest.approx(0.6667, abs=1e-4)
    # the numeric method (no closed form used) agrees
    nu = solve(BargainingProblem(rho_1=F(1, 2)), method="numeric").equilibria[0]
    assert nu.payoffs == pytest.approx(eq.payoffs, abs=1e-7)
    # a general pie with utilities as functions and d != 0 falls back to the numeric method
    m = BargainingProblem(u_1=np.sqrt, u_2=lambda y: y, d_1=0.1, d_2=0.1)
    sol = solve(m)
    assert "numeric" in sol.equilibria[0].extra["solution"]["method_used"]
    xs = np.linspace(0.01, 0.89, 200001)
    best = xs[np.argmax((np.sqrt(xs) - 0.1) * (1 - xs - 0.1))]
    assert sol.equilibria[0].extra["solution"]["shares"]["1"] == pytest.approx(best, abs=1e-5)


# ---- polygons: exact edges vs SLSQP over lotteries -----------------------------------------------
def _random_problems():
    rng = np.random.default_rng(5)
    for _ in range(25):
        k = int(rng.integers(3, 9))
        pts = [(F(int(a), 20), F(int(b), 20)) for a, b in rng.integers(0, 21, size=(k, 2))]
        pts.append((F(0), F(0)))
        alpha = F(int(rng.integers(1, 10)), 10)
        yield pts, alpha


def _slsqp_nash(pts, d, alpha):
    S = np.asarray(pts, dtype=float)
    k = len(S)

    def obj(lam):
        u = lam @ S
        g = np.maximum(u - d, 1e-300)
        return -(alpha * math.log(g[0]) + (1 - alpha) * math.log(g[1]))

    best = None
    for start in [np.full(k, 1 / k), *np.eye(k)]:
        res = minimize(
            obj,
            0.98 * start + 0.02 / k,
            method="SLSQP",
            bounds=[(0, 1)] * k,
            constraints=[{"type": "eq", "fun": lambda lam: lam.sum() - 1}],
            options={"ftol": 1e-14, "maxiter": 500},
        )
        if best is None or res.fun < best.fun:
            best = res
    return -best.fun


def test_nash_on_polygons_matches_scipy():
    checked = 0
    for pts, alpha in _random_problems():
        m = BargainingProblem(points=pts, alpha=alpha)
        eq = payoffs(m, exact=True)
        u = eq.payoffs
        assert all(isinstance(v, F) for v in u)  # exact
        if min(u) <= 0:
            continue  # no mutual gain: the solution is d
        mine = float(alpha) * math.log(u[0]) + (1 - float(alpha)) * math.log(u[1])
        ref = _slsqp_nash(pts, np.zeros(2), float(alpha))
        assert mine >= ref - 1e-7
        assert eq.regret <= 1e-9
        checked += 1
    assert checked >= 15


def test_ks_on_polygons_matches_linear_programming():
    for pts, _ in _random_problems():
        m = BargainingProblem(points=pts, concept="kalai-smorodinsky")
        a = payoffs(m, exact=True)
        b = payoffs(m, method="numeric")
        assert np.allclose([float(v) for v in a.payoffs], b.payoffs, atol=1e-8)
        assert a.regret <= 1e-9


def test_known_polygon_answers():
    # triangle u1 + 2 u2 <= 1: Nash = KS = (1/2, 1/4)
    tri = [(0, 0), (1, 0), (0, F(1, 2))]
    assert payoffs(BargainingProblem(points=tri), exact=True).payoffs == (F(1, 2), F(1, 4))
    ks = payoffs(BargainingProblem(points=tri, concept="kalai-smorodinsky"), exact=True)
    assert ks.payoffs == (F(1, 2), F(1, 4))
    # Nash and KS differ on an asymmetric kinked set: vertices (0,0), (1,0), (4/5, 3/5), (0, 1)
    kink = [(0, 0), (1, 0), (F(4, 5), F(3, 5)), (0, 1)]
    n = payoffs(BargainingProblem(points=kink), exact=True).payoffs
    k = payoffs(BargainingProblem(points=kink, concept="kalai-smorodinsky"), exact=True).payoffs
    assert k[0] == k[1]  # ideal point (1, 1): KS is on the diagonal
    assert n != k


def test_frontier_function():
    f = lambda u: 1 - u * u  # noqa: E731  concave frontier
    n = payoffs(BargainingProblem(frontier=f, lo=0, hi=1)).payoffs
    assert n[0] == pytest.approx(1 / math.sqrt(3), abs=1e-7)
    k = payoffs(BargainingProblem(frontier=f, lo=0, hi=1, concept="kalai-smorodinsky")).payoffs
    assert k[0] == pytest.approx((math.sqrt(5) - 1) / 2, abs=1e-9) and k[0] == pytest.approx(k[1], abs=1e-9)


def test_solve_concept_switch_and_batch():
    m = load("nash-bargaining")
    ks = solve(m, concept="kalai-smorodinsky", exact=True)
    assert ks.concept == "kalai-smorodinsky" and ks.method == "kalai-smorodinsky"
    assert ks.equilibria[0].payoffs == (F(11, 20), F(9, 20))  # linear pie: KS = symmetric Nash
    d1 = np.linspace(0, 0.4, 5)
    out = batch_closed_form(model_from_spec("nash-bargaining", {"d_1": d1, "d_2": 0.1, "alpha": 0.3}))
    assert np.allclose(out["share_1"], nash_linear_pie(d1, 0.1, 0.3))


# ---- bad input ----------------------------------------------------------------------------------
def _one_line(err):
    msg = str(err.value)
    assert "\n" not in msg
    return msg


def test_empty_feasible_set():
    with pytest.raises(GameValidationError) as err:
        BargainingProblem(points=[])
    assert "empty" in _one_line(err)
    with pytest.raises(GameValidationError) as err:
        BargainingProblem(frontier=lambda u: 1 - u, lo=1, hi=0)
    assert "empty" in _one_line(err)


def test_non_convex_feasible_set():
    with pytest.raises(GameValidationError) as err:
        BargainingProblem(frontier=lambda u: (1 - u) ** 2, lo=0, hi=1)
    assert "not convex" in _one_line(err)
    with pytest.raises(GameValidationError) as err:
        BargainingProblem(rho_1=2)
    assert "non-convex" in _one_line(err)
    with pytest.raises(GameValidationError) as err:
        BargainingProblem(u_1=lambda x: x**3)
    assert "not concave" in _one_line(err)


def test_disagreement_outside_feasible_set():
    with pytest.raises(GameValidationError) as err:
        BargainingProblem(points=[(0, 0), (1, 0), (0, 1)], d_1=F(2, 3), d_2=F(2, 3))
    assert "disagreement point" in _one_line(err)
    with pytest.raises(GameValidationError) as err:
        BargainingProblem(d_1=F(7, 10), d_2=F(1, 2))
    assert "disagreement point" in _one_line(err)
    with pytest.raises(GameValidationError) as err:
        BargainingProblem(frontier=lambda u: 1 - u, lo=0, hi=1, d_1=0.5, d_2=0.6)
    assert "disagreement point" in _one_line(err)
    with pytest.raises(GameValidationError) as err:
        BargainingProblem(alpha=1)
    assert "alpha" in _one_line(err)


def test_disagreement_on_the_frontier_is_the_solution():
    eq = payoffs(BargainingProblem(points=[(0, 0), (1, 0), (0, 1)], d_1=F(1, 2), d_2=F(1, 2)), exact=True)
    assert eq.payoffs == (F(1, 2), F(1, 2))
    assert "no mutual gain" in eq.label


def test_free_disposal_and_strict_hull():
    seg = [(0, 1), (1, 0)]
    eq = payoffs(BargainingProblem(points=seg, d_1=F(1, 4), d_2=F(1, 8)), exact=True)
    assert eq.payoffs == (F(9, 16), F(7, 16))  # split the surplus 5/8 equally
    with pytest.raises(GameValidationError) as err:
        BargainingProblem(points=seg, d_1=F(1, 4), d_2=F(1, 8), free_disposal=False)
    assert "convex hull" in _one_line(err)


def test_ks_on_a_curved_pie():
    # u_1 = sqrt(x), u_2 = 1 - x, d = 0: ideal (1, 1), so sqrt(x) = 1 - x, x = ((sqrt 5 - 1)/2)^2
    eq = payoffs(BargainingProblem(rho_1=F(1, 2), concept="kalai-smorodinsky"))
    assert eq.extra["solution"]["shares"]["1"] == pytest.approx(((math.sqrt(5) - 1) / 2) ** 2, abs=1e-12)
    assert eq.regret <= 1e-9
