"""agent-qre: one sequential equilibrium as the limit of the agent logit QRE, landing in the known
sequential sets of Selten's horse and beer-quiche, and solving a tree too large for enumeration."""

from __future__ import annotations

import time
from fractions import Fraction as F

import pytest

import bargaining
from bargaining.errors import SolverError
from bargaining.model.extensive import ExtensiveGame
from bargaining.solvers.api import solve
from bargaining.verify.sequential import check_assessment


def certified(game, eq):
    out = check_assessment(game, eq.behavior, eq.beliefs, eq.extra["certificate"])
    assert out["regret"] == 0 and out["bayes"] == 0 and out["consistency"] == 0
    assert eq.regret == 0  # the dispatcher's certificate


def test_seltens_horse_lands_in_the_sequential_component():
    """Sequential equilibria of Selten's horse (by hand): P3 at h3 = {(C, d), D} plays L iff
    2μ(D) ≥ 1 − μ(D), i.e. μ(D) ≥ 1/3. If P3 played L, P2 would play d (4 > 1) and P1 C; then
    h3 is reached only through (C, d), μ(D) = 0 < 1/3: contradiction. So P3 puts at most 1/4 on
    L (P2 keeps c: 4 pL ≤ 1; P1 keeps C: 3 pL ≤ 1), with μ(D) ≤ 1/3 (= 1/3 if P3 mixes):
    the component (C, c, pL ≤ 1/4)."""
    game = bargaining.load("seltens-horse").with_params()
    sol = solve(game, concept="sequential", method="agent-qre")
    assert not sol.complete and "agent logit QRE" in sol.message
    (eq,) = sol.equilibria
    (p1,), (p2,), (p3,) = eq.behavior
    assert p1 == (1, 0) and p2 == (1, 0) and p3[0] <= F(1, 4)
    mu = eq.beliefs[2][0]  # nodes of h3 in preorder: (C, d) then D
    assert mu[1] <= F(1, 3) and (p3[0] == 0 or mu[1] == F(1, 3))
    certified(game, eq)
    assert eq.extra["certificate"]["lambda"] > 100
    q = eq.extra["certificate"]["qre_beliefs"][2][0]
    assert abs(q[1] - float(mu[1])) < 0.01  # the reported limit beliefs are close to the last QRE's


def test_beer_quiche_tree_lands_in_a_pbe_family():
    """Beer-quiche as a tree (two types: sequential = PBE). The PBE: pooling on beer, no duel
    after beer, duel after quiche with μ(weak | quiche) ≥ 1/2; or the mirror pooling on quiche.
    The logit limit selects pooling on beer."""
    sig = bargaining.load("beer-quiche").with_params()
    game = ExtensiveGame.from_spec(sig.tree_spec())
    (eq,) = solve(game, concept="sequential", method="agent-qre").equilibria
    (strong, weak), (after_beer, after_quiche) = eq.behavior
    assert strong == (1, 0) and weak == (1, 0)  # both drink beer
    labels = [game.infosets[k].actions for k in game.player_infosets[1]]
    beer_set = next(
        j
        for j, k in enumerate(game.player_infosets[1])
        if any("beer" in n for n in game.path_labels(game.infosets[k].nodes[0]))
    )
    quiche_set = 1 - beer_set
    not_idx = labels[beer_set].index("not")
    duel_idx = labels[quiche_set].index("duel")
    assert eq.behavior[1][beer_set][not_idx] == 1 and eq.behavior[1][quiche_set][duel_idx] == 1
    mu_q = eq.beliefs[1][quiche_set]
    nodes = game.infosets[game.player_infosets[1][quiche_set]].nodes
    weak_node = next(j for j, x in enumerate(nodes) if "weak" in game.path_labels(x))
    assert mu_q[weak_node] >= F(1, 2)
    assert eq.beliefs[1][beer_set] == (F(9, 10), F(1, 10))  # Bayes on the path (prior 0.9 strong)
    certified(game, eq)


def test_guarantee_senders_too_large_for_enumeration_is_solved_by_default():
    """131,072 pure profiles: sequential-enum refuses; the dispatcher recommends agent-qre. The
    game file's hand-derived unique PBE path at the defaults: Europe conditional (Cd); S extends
    Art. 5 (X5) and Russia compromises (C); B praises (Pr), Russia advances (A), B backs down (D)."""
    game = bargaining.load("guarantee-senders").with_params()
    with pytest.raises(SolverError, match="max_profiles"):
        solve(game, concept="sequential", method="sequential-enum")
    t = time.perf_counter()
    sol = solve(game, concept="sequential")
    elapsed = time.perf_counter() - t
    assert sol.method == "agent-qre" and not sol.complete
    (eq,) = sol.equilibria
    certified(game, eq)
    assert eq.label == "pure: Cd S X5 C | Cd B Pr A D"
    assert elapsed < 30
