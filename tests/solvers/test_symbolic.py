"""Symbolic equilibria: closed forms against hand derivations and the numeric solver, regions
tiling the box, exact boundaries against the numeric regimes at grid points."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
import sympy as sp
from click.testing import CliRunner

from bargaining.cli import main
from bargaining.formats.load import load_template
from bargaining.model.template import parse_expression
from bargaining.solvers.symbolic import SymbolicError, solve_symbolic
from bargaining.solvers.symbolic.check import check_families, numeric_regime, regime_at, uncovered
from bargaining.solvers.symbolic.convert import to_sympy

CASES = [
    ("crisis-normal-form", ["k_F", "w"]),
    ("resolve-signal", ["p", "c_B"]),
    ("escalation-tree", ["psi", "a"]),
    ("territory-bargain", ["lambda_", "delta_R"]),
    ("rubinstein", ["delta_1", "delta_2"]),
]

_CACHE: dict = {}


def solved(game, names):
    key = (game, tuple(names))
    if key not in _CACHE:
        t = load_template(game)
        _CACHE[key] = (t, solve_symbolic(t, names))
    return _CACHE[key]


def S(name):
    return sp.Symbol(name, real=True)


@pytest.mark.parametrize("game,names", CASES)
def test_families_match_numeric_solver(game, names):
    t, res = solved(game, names)
    assert res.complete and res.families
    report = check_families(res, t, n=3, seed=1)
    for r in report:
        assert r["checked"] > 0, r
        assert r["matched"] == r["checked"], r


@pytest.mark.parametrize("game,names", CASES)
def test_regions_tile_the_box(game, names):
    _, res = solved(game, names)
    assert all(f.region is not None for f in res.families)
    assert uncovered(res, n=150, seed=2) == []


@pytest.mark.parametrize(
    "game,names,grid",
    [
        (
            "resolve-signal",
            ["p", "c_B"],
            [(x, y) for x in (0.05, 0.2, 0.29, 0.31, 0.6, 0.95) for y in (0.05, 0.5, 0.99, 1.01, 3.0)],
        ),
        (
            "escalation-tree",
            ["psi", "a"],
            [(x, y) for x in (-2.0, -0.65, -0.5, -0.35, -0.25, 1.0) for y in (0.0, 0.05, 0.15, 0.4, 2.0)],
        ),
        (
            "crisis-normal-form",
            ["psi_F", "c_P"],
            [(x, y) for x in (-1.0, -0.6, -0.4, 0.5) for y in (-2.0, 0.0, 0.9, 1.1, 3.0)],
        ),
    ],
)
def test_exact_regimes_match_numeric_labels_on_a_grid(game, names, grid):
    t, res = solved(game, names)
    sx, sy = (res.setup.symbols[n] for n in names)
    compared = 0
    for x, y in grid:
        pt = {sx: x, sy: y}
        mine = regime_at(res, pt)
        if mine is None:
            continue
        assert mine == numeric_regime(t, res, pt), (x, y)
        compared += 1
    assert compared >= len(grid) - 4


def test_crisis_mixed_equilibrium_closed_form():
    # hand derivation: RU indifferent iff q (−w) + (1 − q) g_A = c_P, so q* = (g_A − c_P)/(g_A + w);
    # US indifferent iff r* = k_F/(k_F + psi_F − psi_S)
    _, res = solved("crisis-normal-form", ["k_F", "w"])
    mixed = [f for f in res.families if f.label == "mixed"]
    assert len(mixed) == 1
    k_F, w = S("k_F"), S("w")
    q = mixed[0].strategies["US"]["F"]
    r = mixed[0].strategies["RU"]["A"]
    assert sp.simplify(q - (1 - Fraction(1, 2)) / (1 + w)) == 0  # g_A = 1, c_P = 1/2
    assert sp.simplify(r - k_F / (k_F + sp.Rational(2, 5))) == 0  # psi_F - psi_S = 0.4
    assert q.subs(w, 1) == sp.Rational(1, 4) and r.subs(k_F, sp.Rational(1, 5)) == sp.Rational(1, 3)


def test_rubinstein_share():
    _, res = solved("rubinstein", ["delta_1", "delta_2"])
    (fam,) = res.families
    d1, d2 = S("delta_1"), S("delta_2")
    assert sp.simplify(fam.strategies["shares"]["1"] - (1 - d2) / (1 - d1 * d2)) == 0
    assert fam.region.conditions == ()  # the whole box


def test_resolve_signal_semi_separating_formulas_and_boundaries():
    # mu* = (y_A - y_C)/(y_A + y_W) = 3/10; sigma_B = p(1 - mu*)/((1 - p) mu*); rho* = (c_B + a)/(W + a)
    _, res = solved("resolve-signal", ["p", "c_B"])
    p, c_B = S("p"), S("c_B")
    semi = [f for f in res.families if f.label == "semi-separating" and f.strategies["sender"]["S"]["E"] == 1]
    assert len(semi) == 1
    fam = semi[0]
    assert (
        sp.simplify(
            fam.strategies["sender"]["B"]["E"] - p * sp.Rational(7, 10) / ((1 - p) * sp.Rational(3, 10))
        )
        == 0
    )
    assert (
        sp.simplify(fam.strategies["receiver"]["E"]["C"] - (c_B + sp.Rational(1, 5)) / sp.Rational(6, 5)) == 0
    )
    assert set(fam.region.conditions) == {10 * p - 3, c_B - 1}
    sep = [f for f in res.families if f.label == "separating"]
    assert [f.region.conditions for f in sep] == [(1 - c_B,)]


def test_escalation_tree_thresholds():
    # credible threat after endorsement iff psi > u_AS - a; root N with C iff psi >= -0.3
    _, res = solved("escalation-tree", ["psi", "a"])
    psi, a = S("psi"), S("a")
    by = {f.label: set(f.region.conditions) for f in res.families}
    assert by["pure: N A S"] == {10 * a + 10 * psi + 3}
    assert by["pure: E C"] == {10 * psi + 3, -10 * a - 10 * psi - 3}
    assert by["pure: N C"] == {-10 * psi - 3}


def test_territory_bargain_deep_state_threshold():
    # o_R > R0 iff lambda_ < lambda* = (p_H - c_R - R0)/(p_H - p_L + kappa_R) at delta = 0.9
    t = load_template("territory-bargain")
    res = solve_symbolic(t, ["lambda_"])
    lam = S("lambda_")
    binds = [f for f in res.families if "RU's outside option binds" in f.label]
    assert len(binds) == 1
    (g,) = binds[0].region.conditions
    (root,) = sp.solve(g, lam)
    R0 = sp.Rational(9, 10) * sp.Rational(1, 10) / (1 - sp.Rational(81, 100))
    assert root == (sp.Rational(6, 10) - R0) / sp.Rational(55, 100)
    assert (
        sp.simplify(binds[0].strategies["shares"]["RU"] - (sp.Rational(6, 10) - sp.Rational(55, 100) * lam))
        == 0
    )


def test_converter_builds_sympy_from_the_tree():
    e = parse_expression("max(W - c_S, 0) / 2 + if(a > 1, a^2, -a)")
    W, c_S, a = S("W"), S("c_S"), S("a")
    got = to_sympy(e.tree, {"W": W, "c_S": c_S, "a": a})
    assert got.subs({W: 1, c_S: sp.Rational(1, 10), a: 2}) == sp.Rational(9, 20) + 4
    assert got.subs({W: 1, c_S: sp.Rational(1, 10), a: sp.Rational(1, 2)}) == sp.Rational(
        9, 20
    ) - sp.Rational(1, 2)


def test_unsupported_model_is_refused():
    t = load_template("territory-ultimatum")
    with pytest.raises(SymbolicError):
        solve_symbolic(t, None)


def test_cli_symbolic_json_latex_and_regimes():
    runner = CliRunner()
    r = runner.invoke(main, ["solve", "crisis-normal-form", "--symbolic", "k_F", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    fams = data["symbolic"]["families"]
    assert data["symbolic"]["parameters"] == ["k_F"]
    assert {"label", "strategies", "beliefs", "region", "refinements"} <= set(fams[0])
    assert sp.sympify(fams[0]["strategies"]["RU"]["A"]).free_symbols == {sp.Symbol("k_F")}
    r = runner.invoke(main, ["solve", "rubinstein", "--symbolic", "delta_1,delta_2", "--format", "latex"])
    assert r.exit_code == 0 and r"\delta_{2}" in r.output
    r = runner.invoke(main, ["regimes", "resolve-signal", "--x", "p", "--y", "c_B"])
    assert r.exit_code == 0, r.output
    assert "p = 3/10" in r.output and "c_B = 1" in r.output
    r = runner.invoke(main, ["regimes", "resolve-signal", "--x", "p", "--y", "nope"])
    assert r.exit_code == 2


def test_non_rational_payoffs_are_refused(tmp_path):
    game = tmp_path / "g.yaml"
    game.write_text(
        "kind: normal\nparameters:\n  - {name: x, default: 0.5, range: [0, 1]}\n"
        "players: [A, B]\nstrategies: {A: [U, D], B: [L, R]}\n"
        "cells:\n  'U, L': ['max(x, 0.3)', 0]\n  'U, R': [0, 1]\n  'D, L': [0, 1]\n  'D, R': [1, 0]\n"
    )
    t = load_template(str(game))
    with pytest.raises(SymbolicError, match="not a rational function"):
        solve_symbolic(t, ["x"])
