"""Intuitive criterion and D1: textbook verdicts, the reasons given, and D1 ⊆ IC on random games."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np

import bargaining
from bargaining.model.signaling import SignalingGame
from bargaining.solvers.beliefs import BeliefCache as _BeliefCache
from bargaining.solvers.refine import d1_deleted, intuitive_test
from bargaining.solvers.signaling import enumerate_pbe, pbe


def _certified(fn):
    """The solver's answer with the dispatcher's independent certificate (``regret``)."""

    def run(game, *args, **kwargs):
        from bargaining.verify import certify

        return certify(game, fn(game, *args, **kwargs))

    run.__name__ = fn.__name__
    return run


pbe = _certified(pbe)


def labels(sol):
    return {eq.label: eq for eq in sol.equilibria}


def test_beer_quiche_ic_kills_quiche_and_says_why():
    sol = pbe(bargaining.load("beer-quiche").with_params(), exact=True)
    eqs = labels(sol)
    assert eqs["pooling on beer"].extra["refinements"] == {
        "intuitive": True,
        "d1": True,
        "d2": True,
        "nwbr": True,
    }
    q = eqs["pooling on quiche"]
    assert q.extra["refinements"] == {"intuitive": False, "d1": False, "d2": False, "nwbr": False}
    ic_note = next(n for n in q.extra["refinement_notes"] if n.startswith("intuitive criterion fails"))
    # beer is equilibrium-dominated for the weak type (2 < 3); the strong type deviates to beer
    assert "at beer" in ic_note and "weak" in ic_note and "2 < 3" in ic_note
    assert "strong would deviate to beer" in ic_note


def test_equilibrium_dominance_sets_exact():
    game = bargaining.load("beer-quiche").with_params()
    ((US, UR, _),) = game.reduced()
    cache = _BeliefCache(UR, 2, 2)
    T, M, R = game.types, game.messages, game.responses
    # pooling on quiche: u* = (strong 2, weak 3); at beer the weak type's best is 2 < 3
    ok, J, _ = intuitive_test(US, UR, [F(2), F(3)], 0, cache, (T, M, R))
    assert not ok and J == [1]
    # pooling on beer: u* = (3, 2); at quiche the strong type's best is 2 < 3, weak's 3 > 2
    ok, J, _ = intuitive_test(US, UR, [F(3), F(2)], 1, cache, (T, M, R))
    assert ok and J == [0]


def test_g1_d1_deletes_the_bluffer_at_endorsement():
    game = bargaining.load("resolve-signal").with_params()
    ((US, UR, _),) = game.reduced()
    cache = _BeliefCache(UR, 2, 2)
    # pooling on N: u*_S = f_S = 1/5, u*_B = 0. After E the serious type gains once
    # rho_E(C) > 1/8, the bluffer only once rho_E(C) > 5/12: the bluffer is deleted.
    assert d1_deleted(US, [F(1, 5), F(0)], 0, cache) == {1: 0}


def test_g1_ic_verdict_flips_with_c_B():
    # c_B < W: E is not equilibrium-dominated for B (0.7 > 0): IC keeps pooling on N
    pool = labels(pbe(bargaining.load("resolve-signal").with_params(c_B="0.3"), exact=True))["pooling on N"]
    assert pool.extra["refinements"]["intuitive"]
    # c_B > W: B's best from E is W - c_B < 0: dominated; then S deviates
    pool = labels(pbe(bargaining.load("resolve-signal").with_params(c_B="1.1"), exact=True))["pooling on N"]
    assert not pool.extra["refinements"]["intuitive"]
    assert any("S would deviate to E" in n for n in pool.extra["refinement_notes"])


def test_d1_implies_intuitive_on_random_games():
    """D1 is stronger than the intuitive criterion (Cho and Kreps 1987, §V): every PBE that
    passes D1 passes IC. Checked on random small games, with generic and tied payoffs."""
    rng = np.random.default_rng(3)
    checked = 0
    for k in range(60):
        nT, nM, nR = (2, int(rng.integers(2, 4)), int(rng.integers(2, 4))) if k % 3 else (3, 2, 2)
        hi = 4 if k % 2 else 1000
        pay = {
            f"t{i}": {
                f"m{j}": {
                    f"r{l}": [F(int(rng.integers(-hi, hi + 1)), 7), F(int(rng.integers(-hi, hi + 1)), 5)]
                    for l in range(nR)
                }
                for j in range(nM)
            }
            for i in range(nT)
        }
        w = rng.integers(1, 10, size=nT)
        prior = {f"t{i}": F(int(w[i]), int(w.sum())) for i in range(nT)}
        game = SignalingGame.build(prior, [f"m{j}" for j in range(nM)], [f"r{l}" for l in range(nR)], pay)
        for eq in pbe(game, exact=True).equilibria:
            ref = eq.extra["refinements"]
            assert not ref["d1"] or ref["intuitive"]
            if not eq.extra["off_path"]:
                assert ref == {"intuitive": True, "d1": True, "d2": True, "nwbr": True}
            checked += 1
    assert checked > 60


def test_three_types_refinements_run_and_equilibria_verified():
    pay = {
        "lo": {"a": {"x": [1, 0], "y": [0, 1]}, "b": {"x": [2, 0], "y": [-1, 1]}},
        "mid": {"a": {"x": [1, 1], "y": [0, 0]}, "b": {"x": [F(3, 2), 1], "y": [0, 0]}},
        "hi": {"a": {"x": [1, 1], "y": [0, 0]}, "b": {"x": [3, 1], "y": [1, 0]}},
    }
    game = SignalingGame.build({"lo": F(1, 3), "mid": F(1, 3), "hi": F(1, 3)}, ["a", "b"], ["x", "y"], pay)
    sol = pbe(game, exact=True)
    assert sol.equilibria
    for eq in sol.equilibria:
        assert eq.regret == 0
        for off in eq.extra["off_path"]:
            assert len(off["beliefs"]) == 3 and off["inequalities"]


def test_enumerate_pbe_raw_interface():
    game = bargaining.load("beer-quiche").with_params()
    ((US, UR, _),) = game.reduced()
    found, complete, notes = enumerate_pbe(US, UR, game.prior)
    assert complete and not notes and len(found) == 2


def test_labels_partially_pooling_and_semi_separating():
    from bargaining.solvers.signaling import label_of

    T, M = ("a", "b", "c"), ("x", "y")
    assert label_of([[1, 0], [1, 0], [0, 1]], T, M) == "partially pooling"
    assert label_of([[1, 0], [0, 1], [0, 1]], T, M) == "partially pooling"
    assert label_of([[1, 0], [1, 0], [1, 0]], T, M) == "pooling on x"
    assert label_of([[F(1, 2), F(1, 2)], [1, 0], [0, 1]], T, M) == "semi-separating"
    assert label_of([[1, 0], [0, 1]], T[:2], M) == "separating"
