"""D2 (universal divinity) and NWBR: hand-derived verdicts on beer-quiche, the Spence grid and a
three-type game where D1 and D2 differ; the ordering NWBR ⊆ D2 ⊆ D1 on random games."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np

import bargaining
from bargaining.model.signaling import SignalingGame
from bargaining.solvers.api import solve
from bargaining.solvers.beliefs import BeliefCache
from bargaining.solvers.divinity import d2_deleted, nwbr_deleted
from bargaining.solvers.refine import d1_deleted


def flags(eq):
    return eq.extra["refinements"]


def test_beer_quiche_quiche_fails_all_beer_survives_all():
    """Pooling on quiche: u* = (strong 2, weak 3). At beer the weak type's best payoff is 2 < 3,
    so no response makes it weakly willing (D2) or indifferent (NWBR): weak is removed; with
    beliefs on strong the receiver does not duel and strong gets 3 > 2. Pooling on beer: u* =
    (3, 2); at quiche strong's best is 2 < 3 (removed), weak is kept, and the belief 'weak' makes
    the duel optimal, which deters both: it survives."""
    sol = solve(bargaining.load("beer-quiche").with_params(), exact=True)
    eqs = {eq.label: eq for eq in sol.equilibria}
    assert flags(eqs["pooling on beer"]) == {"intuitive": True, "d1": True, "d2": True, "nwbr": True}
    q = eqs["pooling on quiche"]
    assert flags(q) == {"intuitive": False, "d1": False, "d2": False, "nwbr": False}
    d2 = next(n for n in q.extra["refinement_notes"] if n.startswith("D2 fails"))
    assert "at beer" in d2 and "weak is removed at beer" in d2 and "strong deviates to beer" in d2
    nw = next(n for n in q.extra["refinement_notes"] if n.startswith("NWBR fails"))
    assert "weak is removed at beer" in nw and "2 < 3" in nw
    game = bargaining.load("beer-quiche").with_params()
    ((US, UR, _),) = game.reduced()
    cache = BeliefCache(UR, 2, 2)
    assert d2_deleted(US, [F(2), F(3)], 0, cache) == [1] == nwbr_deleted(US, [F(2), F(3)], 0, cache)
    assert d2_deleted(US, [F(3), F(2)], 1, cache) == [0] == nwbr_deleted(US, [F(3), F(2)], 1, cache)


def test_spence_grid_only_riley_payoffs_survive_d1_d2_nwbr():
    """Grid e ∈ {0, .5, 1, 1.5, 2}, θ = (1, 2), q = 1/2. The firm's best reply to μ = P(H) is w_low
    (μ ≤ 1/4), w_mid (1/4 ≤ μ ≤ 3/4), w_high (μ ≥ 3/4), so every mixed best reply is a mixture of
    adjacent wages and is pinned down by its expected wage w̄ ∈ [1, 2]; V_L = w̄ − e, V_H = w̄ − e/2.
    At off-path e, type t weakly gains iff w̄ ≥ a_t = u*_t + e/θ_t. With two types D2 = D1, and
    L is removed (by D1, D2 and NWBR) iff a_L > a_H, i.e. e/2 > u*_H − u*_L.

    - Separating e_H = 1.5, u* = (1, 5/4): at e = 1, 1/2 > 1/4 removes L; then w̄ = 2 and H gets
      3/2 > 5/4: fails. e_H = 2, u* = (1, 1): at e = 1 the same, 3/2 > 1: fails.
    - Pooling at 0, u* = (3/2, 3/2): at e = 1/2, 1/4 > 0 removes L; H gets 7/4 > 3/2: fails.
      Pooling at 1/2, u* = (1, 5/4): at e = 1 L is removed, H gets 3/2 > 5/4: fails.
    - Riley, u* = (1, 3/2): at 1/2, H is removed instead (a_H = 7/4 > a_L = 3/2), w̄ = 1 deters
      both; at 1.5 and 2 L's best 2 − e < 1 removes it and H gets 2 − e/2 ≤ 5/4 < 3/2: passes.
    So exactly the families with the Riley payoffs (1, 3/2) survive each of D1, D2 and NWBR."""
    sol = solve(bargaining.load("spence-job-market").with_params(), exact=True)
    for name in ("d1", "d2", "nwbr"):
        kept = [eq for eq in sol.equilibria if flags(eq)[name]]
        assert kept and {tuple(eq.extra["type_payoffs"].values()) for eq in kept} == {(1, F(3, 2))}, name
        for eq in kept:  # the Riley separating point: L at e0, H at e1 (the hybrid lets L mix onto e1)
            assert eq.extra["sender_strategy"]["H"]["e1"] == 1
    pools = [eq for eq in sol.equilibria if eq.label.startswith("pooling")]
    assert len(pools) == 2 and all(not flags(eq)["d2"] and not flags(eq)["nwbr"] for eq in pools)
    assert all(flags(eq)["intuitive"] for eq in pools)  # the grid is too coarse for IC (see the game file)
    ((US, UR, _),) = bargaining.load("spence-job-market").with_params().reduced()
    cache = BeliefCache(UR, 2, 3)
    e1 = 2
    assert d2_deleted(US, [F(1), F(5, 4)], e1, cache) == [0] == nwbr_deleted(US, [F(1), F(5, 4)], e1, cache)
    assert d2_deleted(US, [F(1), F(3, 2)], 1, cache) == [1]  # Riley: at e = 0.5 the high type is removed


def three_types(a=F(1, 5), c=F(1, 2)) -> SignalingGame:
    """Types A, B, C (prior 1/3 each); message e gives A and B the payoff ``a`` and C the payoff
    ``c`` whatever the answer (receiver: y); message m is answered with x, y or z.

    Receiver after m: x pays (A 1, B −1, C −1), y pays (−1/10, −1/10, 1), z pays (−1, 1, −1), so
    y is optimal only with weight on C, and on beliefs over {A, B} the best reply is x, z or a
    mixture of them. Sender after m: A gets 1 from x, B 1 from z, C 1 from x or z, 0 from y."""
    t = F(1, 10)
    pay = {
        "A": {
            "e": {r: [a, 1 if r == "y" else 0] for r in "xyz"},
            "m": {"x": [1, 1], "y": [0, -t], "z": [0, -1]},
        },
        "B": {
            "e": {r: [a, 1 if r == "y" else 0] for r in "xyz"},
            "m": {"x": [0, -1], "y": [0, -t], "z": [1, 1]},
        },
        "C": {
            "e": {r: [c, 1 if r == "y" else 0] for r in "xyz"},
            "m": {"x": [1, -1], "y": [0, 1], "z": [1, -1]},
        },
    }
    return SignalingGame.build({"A": F(1, 3), "B": F(1, 3), "C": F(1, 3)}, ["e", "m"], ["x", "y", "z"], pay)


def test_three_types_d1_keeps_d2_and_nwbr_kill():
    """Pooling on e with u* = (1/5, 1/5, 1/2). At m, in ρ = (ρx, ρy, ρz): D⁰_C = {ρx + ρz ≥ 1/2},
    D_A = {ρx > 1/5}, D_B = {ρz > 1/5}. Since ρx + ρz ≥ 1/2 forces max(ρx, ρz) ≥ 1/4 > 1/5,
    D⁰_C ⊆ D_A ∪ D_B: D2 removes C. Neither set alone covers it (ρ = (0, 1/2, 1/2) is in D⁰_C,
    not in D_A; symmetrically for D_B), and A is not removed by anyone (ρ = (1/5, 4/5, 0) makes A
    indifferent, B and C strictly worse): D1 removes nobody and the belief 'C' (answer y, which
    deters everyone) sustains the pooling. Under D2 (and NWBR, which removes C as well: its
    indifference set ρx + ρz = 1/2 lies in D⁰_C) beliefs sit on {A, B}, the answer is a mixture
    of x and z, and A or B gains more than 1/5: the pooling fails. IC passes (every type can get
    1 > u* from m)."""
    sol = solve(three_types(), exact=True)
    pool = next(eq for eq in sol.equilibria if eq.label == "pooling on e")
    assert pool.regret == 0
    assert flags(pool) == {"intuitive": True, "d1": True, "d2": False, "nwbr": False}
    note = next(n for n in pool.extra["refinement_notes"] if n.startswith("D2 fails"))
    assert "C is removed at m" in note and "A or B strictly willing" in note
    ((US, UR, _),) = three_types().reduced()
    cache = BeliefCache(UR, 3, 3)
    u = [F(1, 5), F(1, 5), F(1, 2)]
    assert d1_deleted(US, u, 1, cache) == {}
    assert d2_deleted(US, u, 1, cache) == [2] == nwbr_deleted(US, u, 1, cache)
    # with u*_A = u*_B = 3/10 > 1/4 the point (1/4, 1/2, 1/4) keeps C in: D2 no longer removes it
    assert d2_deleted(US, [F(3, 10), F(3, 10), F(1, 2)], 1, cache) == []


def test_stronger_tests_remove_more_and_keep_fewer_on_random_games():
    """D1-removed ⊆ D2-removed ⊆ NWBR-removed at every off-path message (I_t ⊆ D⁰_t, and a single
    other type's set lies in the union); a PBE that passes NWBR passes D2, and D2 passes D1,
    unless the stronger test removes every type (then it restricts nothing)."""
    rng = np.random.default_rng(7)
    checked = 0
    for k in range(40):
        nT, nM, nR = (3, 2, int(rng.integers(2, 4))) if k % 2 else (2, int(rng.integers(2, 4)), 3)
        hi = 3 if k % 3 else 50
        pay = {
            f"t{i}": {
                f"m{j}": {
                    f"r{l}": [F(int(rng.integers(-hi, hi + 1)), 3), F(int(rng.integers(-hi, hi + 1)), 2)]
                    for l in range(nR)
                }
                for j in range(nM)
            }
            for i in range(nT)
        }
        game = SignalingGame.build(
            {f"t{i}": F(1, nT) for i in range(nT)},
            [f"m{j}" for j in range(nM)],
            [f"r{l}" for l in range(nR)],
            pay,
        )
        ((US, UR, _),) = game.reduced()
        cache = BeliefCache(UR, nT, nR)
        for eq in solve(game, exact=True).equilibria:
            assert eq.regret == 0
            u = [F(v) for v in eq.extra["type_payoffs"].values()]
            ref = flags(eq)
            all2 = all3 = False
            for off in eq.extra["off_path"]:
                m = game.messages.index(off["message"])
                r1, r2, r3 = (
                    set(d1_deleted(US, u, m, cache)),
                    set(d2_deleted(US, u, m, cache)),
                    set(nwbr_deleted(US, u, m, cache)),
                )
                assert r1 <= r2 <= r3
                all2 |= len(r2) == nT
                all3 |= len(r3) == nT
            if ref["nwbr"] and not all3:
                assert ref["d2"]
            if ref["d2"] and not all2:
                assert ref["d1"]
            if nT == 2:
                assert ref["d2"] == ref["d1"]  # one other type: the union is that type's set
            checked += 1
    assert checked > 40
