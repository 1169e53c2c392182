"""Subgame-perfect equilibria (method ``backward``): textbook trees with exact answers, the G2
escalation tree (G2 of docs/scenarios.md), ties and tie-breaks, imperfect-information subgames, random
trees against the array path and against pygambit. Every equilibrium is checked by verify_tree."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from bargaining.errors import BargainingError
from bargaining.formats.load import load
from bargaining.model.extensive import ExtensiveGame, chance
from bargaining.model.extensive import decision as D
from bargaining.model.random_trees import random_tree
from bargaining.solvers.api import solve
from bargaining.solvers.backward import backward, spe_arrays
from bargaining.verify import tree as verify_tree


def _certified(fn):
    """The solver's answer with the dispatcher's independent certificate (``regret``)."""

    def run(game, *args, **kwargs):
        from bargaining.verify import certify

        return certify(game, fn(game, *args, **kwargs))

    run.__name__ = fn.__name__
    return run


backward = _certified(backward)


def _check(game, sol):
    """Independent certificate for each listed SPE: zero regret in every subgame, Bayes."""
    for eq in sol.equilibria:
        assert (
            verify_tree.spe_regret(game, eq.behavior) == 0
            if game.exact
            else verify_tree.spe_regret(game, eq.behavior) < 1e-9
        )
        assert verify_tree.bayes_error(game, eq.behavior, eq.beliefs) == 0
        assert sum(eq.outcomes) == 1


def entry():
    b = ExtensiveGame.builder(["Entrant", "Incumbent"], exact=True)
    return b.build(
        b.decision("Entrant", Out=(0, 2), In=b.decision("Incumbent", Fight=(-1, -1), Accommodate=(1, 1)))
    )


def test_entry_deterrence_spe_is_in_accommodate():
    g = entry()
    sol = backward(g, exact=True)
    _check(g, sol)
    assert sol.complete and len(sol) == 1
    eq = sol[0]
    assert eq.behavior == (((0, 1),), ((0, 1),))
    assert eq.payoffs == (1, 1) and eq.label == "pure: In Accommodate"
    # (Out, Fight) is a Nash equilibrium but not subgame perfect
    out_fight = (((1, 0),), ((1, 0),))
    assert verify_tree.nash_regret(g, out_fight) == 0
    assert verify_tree.spe_regret(g, out_fight) == 2


def centipede(n: int):
    """Rosenthal's centipede with n moves: at move k the mover takes (pot split 4:1 growing by
    doubling) or passes; the unique SPE takes at once."""
    players = ["A", "B"]
    node = None
    for k in range(n, 0, -1):
        big, small = 4 * 2 ** (k - 1), 2 ** (k - 1)
        mover = (k - 1) % 2
        take = (big, small) if mover == 0 else (small, big)
        nxt = node if node is not None else ((small * 2, big * 2) if mover == 0 else (big * 2, small * 2))
        node = D(players[mover], Take=take, Pass=nxt)
    return ExtensiveGame.from_tree(players, node, exact=True)


@pytest.mark.parametrize("n", [2, 5, 10])
def test_centipede_takes_at_once(n):
    g = centipede(n)
    sol = backward(g, exact=True)
    _check(g, sol)
    assert sol.complete and len(sol) == 1
    assert sol[0].payoffs == (4, 1)
    assert all(probs == (1, 0) for per in sol[0].behavior for probs in per)  # Take everywhere


def chain_store(n: int):
    """Selten's chain store as a tree: entrant k sees history, plays Out (0 for it, 2 for the
    incumbent) or In; the incumbent Fights (-1, -1) or Accommodates (1, 1)."""
    players = ["Incumbent"] + [f"E{k + 1}" for k in range(n)]

    def market(k, acc):
        if k == n:
            return tuple(acc)

        def add(inc, ent):
            new = list(acc)
            new[0] += inc
            new[k + 1] += ent
            return new

        return D(
            players[k + 1],
            Out=market(k + 1, add(2, 0)),
            In=D("Incumbent", Fight=market(k + 1, add(-1, -1)), Accommodate=market(k + 1, add(1, 1))),
        )

    return ExtensiveGame.from_tree(players, market(0, [0] * (n + 1)), exact=True)


@pytest.mark.parametrize("n", [1, 3, 6])
def test_chain_store_enter_and_accommodate_everywhere(n):
    g = chain_store(n)
    sol = backward(g, exact=True)
    assert sol.complete and len(sol) == 1
    eq = sol[0]
    assert eq.payoffs == tuple([n] + [1] * n)  # incumbent total = n, each entrant 1
    assert verify_tree.spe_regret(g, eq.behavior) == 0
    # every entrant enters and the incumbent accommodates at every one of its nodes
    assert all(probs == (0, 1) for per in eq.behavior for probs in per)


def test_chain_store_eight_markets_array_path():
    g = chain_store(8)  # 3^8 terminals, the largest chain store the game file allows as a tree
    value, choice = spe_arrays(g.to_arrays())
    assert list(value[0]) == [8] + [1] * 8
    sol = backward(g, exact=True)
    assert sol[0].payoffs == tuple([8] + [1] * 8)


def g2(psi=F(-4, 10), a=F(3, 10), s=F(2, 10), c_P=F(1, 2)):
    """G2 of docs/scenarios.md rebuilt by hand from its table (payoffs RU, US, EU) with the builder."""
    g_R, g_A, u_AS, k = (
        F(6, 10),
        F(9, 10),
        F(-3, 10),
        {"N": 0, "E": F(5, 100), "E0": F(75, 1000), "E5": F(1, 10)},
    )
    after_c = {
        "N": (c_P, 1, F(6, 10)),
        "E": (c_P, 1, F(6, 10)),
        "E0": (F(35, 100), F(825, 1000) + k["E0"], F(1, 2)),
        "E5": (F(2, 10), F(7, 10) + k["E5"], F(8, 10)),
    }

    def ru(m):
        def t(r, u, e):
            return (r, u - k[m], e)

        return D(
            "RU",
            C=t(*after_c[m]),
            R=D("US", S=t(g_R - s, F(2, 10), F(2, 10)), Q=t(g_R, 0, 0)),
            A=D(
                "US",
                S=t(g_A - s, u_AS - (a if m != "N" else 0), u_AS),
                X=D(
                    "EU",
                    U=D("RU", H=t(F(1, 10), psi, F(3, 10)), K=t(-3, -5, -4)),
                    P=t(F(8, 10), F(-8, 10), F(-6, 10)),
                ),
            ),
        )

    root = D("US", {m: ru(m) for m in ("N", "E", "E0", "E5")})
    rule = {"RU": ["C", "R", "A", "H", "K"], "US": ["S", "X", "Q"], "EU": ["U", "P"]}
    return ExtensiveGame.from_tree(["RU", "US", "EU"], root, exact=True, tie_break=rule)


def test_g2_escalation_tree_defaults_builder_and_yaml_agree():
    g = g2()
    assert len(g.terminals) == 28
    sol = backward(g, exact=True)
    _check(g, sol)
    assert sol.complete and len(sol) == 1
    eq = sol[0]
    assert eq.label == "pure: E C"
    assert eq.payoffs == (F(1, 2), F(95, 100), F(6, 10))  # (RU, US, EU): the hand-derived G2 answer
    yaml_game = load("escalation-tree")
    ysol = solve(yaml_game, exact=True)
    pay = dict(zip(yaml_game.players, ysol[0].payoffs))
    assert ysol[0].label == "pure: E C" and pay == {"RU": F(1, 2), "US": F(95, 100), "EU": F(6, 10)}


@pytest.mark.parametrize(
    "psi, label, us",
    [
        (F(-7, 10), "pure: N A S", F(-3, 10)),  # V1 world
        (F(-6, 10), "pure: N A S", F(-3, 10)),  # threshold, US indifferent -> S (tie-break)
        (F(-5, 10), "pure: E C", F(95, 100)),
        (F(-3, 10), "pure: E C", F(95, 100)),  # threshold, tie-break S under N
        (F(-2, 10), "pure: N C", F(1)),  # V2 world
    ],
)
def test_g2_psi_thresholds_with_tie_break(psi, label, us):
    g = g2(psi=psi)
    sol = backward(g, exact=True, tie_break="file")
    assert len(sol) == 1 and sol[0].label == label and sol[0].payoffs[1] == us
    _check(g, sol)


def test_g2_ties_branch_without_rule():
    g = g2(psi=F(-6, 10))  # X and S tie after A under the three endorsements
    sol = backward(g, exact=True)
    _check(g, sol)
    assert not sol.complete and len(sol) > 1
    assert {e.label for e in sol} >= {"pure: N A S", "pure: E C"}


def test_g2_sanction_threshold():
    sol = backward(g2(s=F(5, 100)), exact=True, tie_break="file")
    assert sol[0].label == "pure: E R S" and sol[0].payoffs[1] == F(15, 100)


def test_tie_break_rule_and_errors():
    g = ExtensiveGame.from_tree(["A", "B"], D("A", L=(1, 0), R=D("B", x=(1, 1), y=(0, 0))), exact=True)
    sol = backward(g, exact=True)
    assert len(sol) == 2 and not sol.complete  # A indifferent between L and R
    one = backward(g, exact=True, tie_break={"A": ["R", "L"]})
    assert len(one) == 1 and one[0].label == "pure: R x"
    default = backward(g, exact=True, tie_break={"B": ["y"]})  # A unlisted: earlier option wins
    assert default[0].label == "pure: L"
    with pytest.raises(BargainingError, match="declares no tie_break"):
        backward(g, tie_break="file")


def test_imperfect_information_subgame_battle_of_the_sexes():
    """Outside option 3/2 for P1, then a simultaneous battle of the sexes: its three equilibria
    have values (2,1), (1,2), (2/3,2/3), so the SPE are In+(O,O), Out+(F,F), Out+mixed."""
    bos = D("P1", O=D("P2", O=(2, 1), F=(0, 0), infoset="p2"), F=D("P2", O=(0, 0), F=(1, 2), infoset="p2"))
    g = ExtensiveGame.from_tree(["P1", "P2"], D("P1", Out=(F(3, 2), 0), In=bos), exact=True)
    assert g.subgame_roots == (0, 2)
    sol = backward(g, exact=True)
    _check(g, sol)
    got = sorted((e.payoffs, e.behavior[0][0]) for e in sol)
    assert got == sorted(
        [
            ((2, 1), (0, 1)),
            ((F(3, 2), 0), (1, 0)),
            ((F(3, 2), 0), (1, 0)),
        ]
    )
    mixed = [e for e in sol if not e.is_pure]
    assert len(mixed) == 1 and mixed[0].behavior[0][1] == (F(2, 3), F(1, 3))
    # the off-path subgame's beliefs are pinned by its own play
    assert all(e.beliefs[1][0] is not None for e in sol)


def test_seltens_horse_no_proper_subgame():
    g = ExtensiveGame.from_tree(
        ["1", "2", "3"],
        D(
            "1",
            C=D("2", c=(1, 1, 1), d=D("3", L=(4, 4, 0), R=(0, 0, 1), infoset="p3")),
            D=D("3", L=(3, 3, 2), R=(0, 0, 0), infoset="p3"),
        ),
        exact=True,
    )
    assert g.subgame_roots == (0,)
    sol = backward(g, exact=True)
    for eq in sol:
        assert verify_tree.nash_regret(g, eq.behavior) == 0
    payoffs = {e.payoffs for e in sol}
    assert payoffs == {(1, 1, 1), (3, 3, 2)}  # the two NE components of Selten's horse (B9)


def test_chance_node_expectation():
    g = ExtensiveGame.from_tree(
        ["A"], chance(H=(F(1, 3), D("A", x=(3,), y=(0,))), T=(F(2, 3), D("A", x=(0,), y=(6,)))), exact=True
    )
    sol = backward(g, exact=True)
    assert sol[0].payoffs == (5,) and sol[0].outcomes == (F(1, 3), 0, 0, F(2, 3))


@pytest.mark.parametrize("seed", range(12))
def test_random_perfect_information_trees_object_vs_array_path(seed):
    g = random_tree(60, 3, seed=seed, merge_prob=0.0, chance_prob=0.15, payoff_range=10**6)
    sol = backward(g, exact=True)
    _check(g, sol)
    value, _ = spe_arrays(g.to_arrays())
    for eq in sol:  # with 1e6-range payoffs ties are rare; every listed SPE has the root value
        np.testing.assert_allclose([float(x) for x in eq.payoffs], value[0], rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("seed", range(8))
def test_random_imperfect_trees_spe_are_agent_pure_equilibria_of_pygambit(seed):
    gambit = pytest.importorskip("gambit_oracle")

    g = random_tree(30, 2, seed=100 + seed, merge_prob=0.4, payoff_range=50)
    sol = backward(g, exact=True)
    _check(g, sol)
    pg = gambit.GambitTree.of(g)  # our .efg writer, read by Gambit
    # SPE are Nash: pygambit's own regret of each SPE behaviour profile must be 0
    for eq in sol:
        assert pg.behavior_regret(g, eq.behavior) == 0
