"""Nash equilibria of two-player trees by Lemke on the sequence form (method ``sequence``):
textbook trees with known equilibria or values (entry deterrence, beer-quiche, Kuhn poker),
pygambit's catalogue, and random trees with chance nodes, information sets and payoff ties, in
floats and exact arithmetic. Every answer is checked by the independent verifier
(``verify_tree.nash_regret``) and cross-checked both ways with pygambit's ``lcp_solve``: its
equilibrium passes our verifier, ours passes its ``max_regret``, and zero-sum values agree."""

from __future__ import annotations

import importlib
from dataclasses import replace
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest

from bargaining.errors import BargainingError
from bargaining.formats.efg import read_efg
from bargaining.model.extensive import ExtensiveGame, NodeSpec, chance
from bargaining.model.extensive import decision as D
from bargaining.model.random_trees import random_tree
from bargaining.solvers.api import solve
from bargaining.verify import tree as verify_tree

seqmod = importlib.import_module("bargaining.solvers.sequence")
DATA = Path(__file__).resolve().parents[1] / "data"


# -- helpers -----------------------------------------------------------------------------------
def _solve_checked(game: ExtensiveGame, exact: bool):
    """Solve with ``sequence`` and certify the one equilibrium with the independent verifier."""
    sol = solve(game, method="sequence", exact=exact)
    assert len(sol.equilibria) == 1, sol.message
    eq = sol.equilibria[0]
    if exact:
        assert all(type(p) is F for per in eq.behavior for probs in per for p in probs)
        assert verify_tree.nash_regret(game.as_exact(), eq.behavior) == 0
        assert eq.regret == 0
    else:
        assert verify_tree.nash_regret(game.as_float(), eq.behavior) < 1e-9
    assert sum(eq.outcomes) == pytest.approx(1)
    return eq


def _gambit_lcp(game: ExtensiveGame):
    """pygambit's ``lcp_solve`` (rational) as our behaviour profile, and Gambit's tree."""
    gambit = pytest.importorskip("gambit_oracle")
    tree = gambit.GambitTree.of(game)
    return tree.lcp_behavior(game), tree


def _zero_sum(game: ExtensiveGame) -> ExtensiveGame:
    """The same tree with player 2's payoff replaced by minus player 1's."""

    def walk(spec: NodeSpec) -> NodeSpec:
        if spec.kind == "terminal":
            return replace(spec, payoffs=(spec.payoffs[0], -spec.payoffs[0]))
        return replace(spec, children=tuple((a, walk(c)) for a, c in spec.children))

    return ExtensiveGame.from_tree(game.players, walk(game.to_spec()), exact=True)


def kuhn_poker() -> ExtensiveGame:
    """Kuhn's (1950) three-card poker: ante 1, one bet of 1; the value for player 1 is -1/18."""
    cards = "JQK"

    def show(c1, c2, pot):
        return (pot, -pot) if c1 > c2 else (-pot, pot)

    deals = {}
    for c1 in range(3):
        for c2 in range(3):
            if c1 == c2:
                continue
            after_check = D(
                "P2",
                infoset=f"2{cards[c2]}-check",
                Check=show(c1, c2, 1),
                Bet=D("P1", infoset=f"1{cards[c1]}-check-bet", Fold=(-1, 1), Call=show(c1, c2, 2)),
            )
            after_bet = D("P2", infoset=f"2{cards[c2]}-bet", Fold=(1, -1), Call=show(c1, c2, 2))
            deals[cards[c1] + cards[c2]] = (
                F(1, 6),
                D("P1", infoset=f"1{cards[c1]}", Check=after_check, Bet=after_bet),
            )
    return ExtensiveGame.from_tree(["P1", "P2"], chance(deals), exact=True, title="Kuhn poker")


# -- textbook trees ----------------------------------------------------------------------------
@pytest.mark.parametrize("exact", [True, False])
def test_entry_deterrence_is_a_nash_equilibrium_of_the_two_kinds(exact):
    g = read_efg(DATA / "entry-deterrence.efg")
    eq = _solve_checked(g, exact)
    (enter,), (fight,) = eq.behavior
    # Nash equilibria: (In, Accommodate), or Out with Fight at least 1/2 (Fight -1 vs Accommodate 1)
    if enter[1] > 0:
        assert enter == (0, 1) and fight == (0, 1) and tuple(eq.payoffs) == (1, 1)
    else:
        assert fight[0] >= F(1, 2) and tuple(eq.payoffs) == (0, 2)


@pytest.mark.parametrize("exact", [True, False])
def test_beer_quiche_equilibrium_pools(exact):
    g = read_efg(DATA / "beer-quiche.efg")
    eq = _solve_checked(g, exact)
    strong, weak = eq.behavior[0]
    assert strong == weak and set(strong) == {0, 1}  # every equilibrium pools (Cho & Kreps 1987)
    pooling = [(2.9, 0.9), (2.1, 0.9)]  # on beer: strong 3, weak 2; on quiche: strong 2, weak 3
    assert any(np.allclose([float(x) for x in eq.payoffs], p, atol=1e-9) for p in pooling)
    if exact:
        assert tuple(eq.payoffs) in {(F(29, 10), F(9, 10)), (F(21, 10), F(9, 10))}
    theirs, pg = _gambit_lcp(g)
    assert verify_tree.nash_regret(g, theirs) == 0
    if exact:
        assert pg.behavior_regret(g, eq.behavior) == 0


def test_kuhn_poker_value_is_minus_one_eighteenth():
    g = kuhn_poker()
    assert len(g.infosets) == 12 and g.perfect_recall
    eq = _solve_checked(g, exact=True)
    assert eq.payoffs == (F(-1, 18), F(1, 18))
    flt = _solve_checked(g, exact=False)
    assert float(flt.payoffs[0]) == pytest.approx(-1 / 18, abs=1e-9)
    theirs, _ = _gambit_lcp(g)
    assert verify_tree.nash_regret(g, theirs) == 0
    assert verify_tree.expected_payoffs(g, theirs)[0] == F(-1, 18)
    # player 1 never bets the queen first and always folds the jack to a bet (Kuhn 1950)
    p1 = dict(zip((g.infosets[k].label for k in g.player_infosets[0]), eq.behavior[0]))
    assert p1["1Q"] == (1, 0) and p1["1J-check-bet"] == (1, 0)


def _catalogue():
    gambit = pytest.importorskip("gambit_oracle")
    out = []
    for path in gambit.catalogue_files("efg"):
        g = read_efg(path)
        if g.num_players == 2 and g.perfect_recall:
            out.append(path)
    return out


@pytest.mark.parametrize("path", _catalogue(), ids=lambda p: p.stem)
def test_catalogue_two_player_trees(path):
    g = read_efg(path)
    eq = _solve_checked(g, exact=True)
    _solve_checked(g, exact=False)
    theirs, pg = _gambit_lcp(g)
    assert verify_tree.nash_regret(g, theirs) == 0
    assert pg.behavior_regret(g, eq.behavior) == 0
    pm = g.payoff_matrix
    if np.all(pm[:, 0] + pm[:, 1] == pm[0, 0] + pm[0, 1]):  # constant-sum: one value
        assert eq.payoffs == verify_tree.expected_payoffs(g, theirs)


def test_stripped_down_poker_value_agrees_with_strategic_form():
    gambit = pytest.importorskip("gambit_oracle")
    path = gambit.CATALOG_DIR / "journals" / "other" / "reiley2008" / "fig1.efg"
    g = read_efg(path)
    eq = _solve_checked(g, exact=True)
    every = solve(g, method="strategic", exact=True)  # all extreme equilibria, another route
    assert every.equilibria and {e.payoffs for e in every.equilibria} == {eq.payoffs}


# -- random trees ------------------------------------------------------------------------------
RANDOM = [
    # (nodes, chance_prob, merge_prob, payoff_range): small ranges give many payoff ties
    (30, 0.2, 0.5, 10),
    (40, 0.3, 0.8, 2),
    (40, 0.1, 0.6, 1),
    (25, 0.0, 0.9, 3),
]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("shape", RANDOM, ids=lambda s: f"n{s[0]}-c{s[1]}-m{s[2]}-r{s[3]}")
def test_random_trees_agree_with_pygambit(shape, seed):
    n, c, m, r = shape
    g = random_tree(n, 2, seed=1000 * n + seed, chance_prob=c, merge_prob=m, payoff_range=r)
    eq = _solve_checked(g, exact=True)
    _solve_checked(g, exact=False)
    theirs, pg = _gambit_lcp(g)
    assert verify_tree.nash_regret(g, theirs) == 0
    assert pg.behavior_regret(g, eq.behavior) == 0


@pytest.mark.parametrize("seed", range(8))
def test_random_zero_sum_trees_have_gambits_value(seed):
    g = _zero_sum(random_tree(45, 2, seed=500 + seed, chance_prob=0.25, merge_prob=0.6, payoff_range=5))
    eq = _solve_checked(g, exact=True)
    theirs, _ = _gambit_lcp(g)
    assert verify_tree.nash_regret(g, theirs) == 0
    assert eq.payoffs == verify_tree.expected_payoffs(g, theirs)  # the value of the game
    flt = _solve_checked(g, exact=False)
    assert float(flt.payoffs[0]) == pytest.approx(float(eq.payoffs[0]), abs=1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_degenerate_trees_all_ties(seed):
    """Every payoff 0, or 0/1 only: the LCP is highly degenerate (the lexicographic rule must not
    cycle), and any profile of the all-zero tree is an equilibrium."""
    zero = random_tree(50, 2, seed=seed, chance_prob=0.2, merge_prob=0.7, payoff_range=0)
    _solve_checked(zero, exact=True)
    _solve_checked(zero, exact=False)
    flat = _zero_sum(random_tree(50, 2, seed=seed, chance_prob=0.2, merge_prob=0.7, payoff_range=1))
    _solve_checked(flat, exact=True)
    _solve_checked(flat, exact=False)


def test_cycling_tree_regression():
    """A tree on which the earlier lexicographic rule (on the slack columns only) cycled."""
    g = random_tree(40, 2, seed=143, merge_prob=0.5, chance_prob=0.2, payoff_range=3)
    _solve_checked(g, exact=False)
    _solve_checked(g, exact=True)


@pytest.mark.parametrize("seed", range(3))
def test_exact_pivoting_path(seed, monkeypatch):
    """Lemke pivoted in Fractions throughout (the fallback when the float basis fails)."""
    monkeypatch.setattr(seqmod, "_exact_from_float_basis", lambda *a, **k: None)
    g = random_tree(35, 2, seed=700 + seed, chance_prob=0.3, merge_prob=0.6, payoff_range=3)
    _solve_checked(g, exact=True)


@pytest.mark.parametrize("seed", range(3))
def test_sparse_exact_solve_of_the_float_basis(seed, monkeypatch):
    """The exact basis solve (sparse elimination) when rounding the float values does not give
    the exact solution (forced here by a guess that is always wrong)."""
    calls = []
    real = seqmod._solve_sparse

    def spy(*a):
        calls.append(1)
        return real(*a)

    monkeypatch.setattr(seqmod, "_solve_sparse", spy)
    monkeypatch.setattr(seqmod, "_rational_guess", lambda x: F(-1))
    g = random_tree(60, 2, seed=800 + seed, chance_prob=0.3, merge_prob=0.5, payoff_range=5)
    _solve_checked(g, exact=True)
    assert calls


def test_solve_sparse_matches_numpy():
    rng = np.random.default_rng(3)
    a = rng.integers(-3, 4, (12, 12)) * (rng.random((12, 12)) < 0.3) + np.eye(12, dtype=int) * 7
    b = rng.integers(-5, 6, 12)
    eqs = [{j: F(int(a[i, j])) for j in range(12) if a[i, j]} for i in range(12)]
    x = seqmod._solve_sparse(eqs, [F(int(v)) for v in b])
    assert all(sum(F(int(a[i, j])) * x[j] for j in range(12)) == b[i] for i in range(12))
    assert seqmod._solve_sparse([{0: F(1), 1: F(1)}, {0: F(2), 1: F(2)}], [F(1), F(2)]) is None


# -- what the method refuses -------------------------------------------------------------------
def test_three_players_and_imperfect_recall_are_refused():
    three = ExtensiveGame.from_tree(["A", "B", "C"], D("A", x=(1, 0, 0), y=D("B", u=(0, 1, 0), v=(0, 0, 1))))
    with pytest.raises(BargainingError, match="two-player"):
        solve(three, method="sequence")
    forgetful = ExtensiveGame.from_tree(
        ["A", "B"],
        D(
            "A",
            L=D("B", l=D("A", a=(1, 0), b=(0, 1), infoset="A2"), r=(0, 0)),
            R=D("B", l=D("A", a=(0, 1), b=(1, 0), infoset="A2"), r=(0, 0)),
        ),
    )
    assert not forgetful.perfect_recall
    with pytest.raises(BargainingError, match="perfect recall"):
        solve(forgetful, method="sequence")


def test_second_start_after_a_float_ray(monkeypatch):
    """When float pivoting from the first start ends on a ray, the other pure start is tried."""
    real = seqmod.lemke_mixed
    starts = []

    def first_fails(Mzz, Mzu, Euz, e, start, **kw):
        starts.append(list(start))
        return None if len(starts) == 1 else real(Mzz, Mzu, Euz, e, start, **kw)

    monkeypatch.setattr(seqmod, "lemke_mixed", first_fails)
    g = random_tree(40, 2, seed=11, chance_prob=0.2, merge_prob=0.5, payoff_range=4)
    _solve_checked(g, exact=False)
    assert len(starts) == 2 and starts[0] != starts[1]
