"""Sequential, perfect and proper equilibria: textbook answers derived by hand, every returned
assessment checked by the independent verifier (bargaining.verify.sequential)."""

from __future__ import annotations

import time
from fractions import Fraction as Fr

import numpy as np
import pytest

import bargaining
from bargaining.model.normal import NormalFormGame
from bargaining.solvers.api import solve
from bargaining.solvers.perfect import perfect_certificate, proper_certificate
from bargaining.solvers.reputation import reputation
from bargaining.solvers.sequential import sequential_enum
from bargaining.verify.sequential import check_assessment, limit_beliefs, perfect_regrets


def _game(name, **params):
    tpl = bargaining.load(name)
    return tpl.with_params(**params) if params else tpl.to_game()


def _certified(game, eq):
    cert = eq.extra["certificate"]
    res = check_assessment(
        game.as_exact(), eq.behavior, eq.beliefs, {"orders": cert["orders"], "weights": cert.get("weights")}
    )
    assert res["regret"] == 0
    assert res["bayes"] == 0
    assert res["consistency"] < 1e-12
    return res


# --- Selten's horse ---------------------------------------------------------------------------
# By hand (payoffs of games/seltens-horse.yaml): q = P3's prob. of L, mu = P3's belief on D.
# P3: L gives 2 mu, R gives 1 - mu: L iff mu >= 1/3. P2 (after C): c gives 1, d gives 4q: c iff q <= 1/4.
# P1: C gives 1 (when P2 plays c), D gives 3q. Sequential: P1 = D would put mu = 1 -> L -> P2's d
# (4 > 1) -> P1's C gives 4 > 3: no. So P1 = C, P2 = c, q <= 1/4; q = 0 needs mu <= 1/3,
# 0 < q <= 1/4 needs mu = 1/3. (D, c, L) is Nash but P2's c is not a best reply (4 > 1).
def test_seltens_horse_sequential_sets():
    g = _game("seltens-horse")
    sol = sequential_enum(g)
    assert len(sol) == 2
    for eq in sol:
        _certified(g, eq)
        assert eq.behavior[0][0] == (1, 0) and eq.behavior[1][0] == (1, 0)  # C, c
    pure, family = sol.equilibria
    assert pure.behavior[2][0] == (0, 1)  # R
    # belief set at h3 (nodes: after C,d then after D): mu(D) in [0, 1/3]
    mus = sorted(v[1] for v in pure.extra["belief_sets"][2][0])
    assert mus == [0, Fr(1, 3)]
    # the family: q_L in [0, 1/4] with mu(D) = 1/3
    qs = sorted(v["behavior"][2][0][0] for v in family.extra["vertices"])
    assert qs == [0, Fr(1, 4)]
    assert family.extra["dimension"] == 1
    assert family.beliefs[2][0] == (Fr(2, 3), Fr(1, 3))
    # (D, c, L) is in no listed assessment
    assert not any(eq.behavior[0][0] == (0, 1) for eq in sol)


def test_dcl_is_not_sequential_for_any_belief():
    g = _game("seltens-horse").as_exact()
    dcl = (((0, 1),), ((1, 0),), ((1, 0),))
    # the only consistent belief at h3 puts 1 on D (on the path); P2's node is a singleton
    beliefs = (((1,),), ((1,),), ((0, 1),))
    res = check_assessment(g, dcl, beliefs, None)
    assert res["regret"] == 3  # P2: d gives 4, c gives 1


def test_seltens_horse_perfect():
    g = _game("seltens-horse")
    sol = solve(g, concept="perfect")
    assert [eq.behavior for eq in sol] == [(((1, 0),), ((1, 0),), ((0, 1),))]
    cert = sol[0].extra["perfect_certificate"]
    assert perfect_regrets(g.as_exact(), sol[0].behavior, cert, eps=1e-4) < 1e-12
    # (D, c, L) is not sequential, hence not perfect: no tremble makes it a best reply
    assert perfect_certificate(g, [1, 0, 0]) is None


def test_limit_beliefs_follow_the_lowest_order():
    g = _game("seltens-horse").as_exact()
    ccr = (((1, 0),), ((1, 0),), ((0, 1),))
    cert = {"orders": (((0, 1),), ((0, 1),), ((1, 0),)), "weights": (((1, 2),), ((1, 1),), ((1, 1),))}
    # D and d tremble at the same order, weights 2 and 1: mu(D) = 2 / (2 + 1)
    assert limit_beliefs(g, ccr, cert)[2][0] == (Fr(1, 3), Fr(2, 3))
    cert["orders"] = (((0, 2),), ((0, 1),), ((1, 0),))
    assert limit_beliefs(g, ccr, cert)[2][0] == (1, 0)


# --- beer-quiche on its tree -----------------------------------------------------------------
# By hand (w = 0.1): pooling on beer with mu(weak | quiche) >= 1/2 and duel after quiche
# (prob. >= 1/2), and its mirror image on quiche; every belief is consistent after the unused
# breakfast (two types tremble independently), so sequential = PBE here.
def test_beer_quiche_sequential():
    g = bargaining.load("beer-quiche").to_game().to_extensive()
    sol = sequential_enum(g)
    for eq in sol:
        _certified(g, eq)
    pure = [eq for eq in sol if eq.is_pure]
    assert len(pure) == 2
    beer = next(eq for eq in pure if eq.behavior[0][0] == (1, 0))
    assert beer.behavior[0][1] == (1, 0)  # weak type also beer
    assert beer.behavior[1] == ((0, 1), (1, 0))  # no duel after beer, duel after quiche
    weak_after_quiche = sorted(v[1] for v in beer.extra["belief_sets"][1][1])
    assert weak_after_quiche == [Fr(1, 2), 1]
    families = [eq for eq in sol if not eq.is_pure]
    duel = sorted(v["behavior"][1][1][0] for v in families[0].extra["vertices"])
    assert duel == [Fr(1, 2), 1]


# --- Kreps-Wilson -----------------------------------------------------------------------------
def _closed_form(k, b, p):
    """Kreps-Wilson 1982 (the file's description): with j markets left and reputation p_j, the
    entrant enters iff p_j < b^j; the weak incumbent fights surely iff p_j >= b^(j-1), else with
    beta_j = p_j (1 - b^(j-1)) / ((1 - p_j) b^(j-1)); it accommodates in the last market."""
    path = []
    pj = p
    for j in range(k, 0, -1):
        if j == 1:
            beta = Fr(0)
        elif pj >= b ** (j - 1):
            beta = Fr(1)
        else:
            beta = pj * (1 - b ** (j - 1)) / ((1 - pj) * b ** (j - 1))
        enters = pj < b**j
        path.append((pj, beta, enters))
        if enters:  # after a fight
            pj = pj / (pj + (1 - pj) * beta) if beta else pj
    return path


@pytest.mark.parametrize(
    "k,b,p",
    [
        (2, Fr(1, 2), Fr(1, 5)),
        (3, Fr(1, 2), Fr(1, 5)),
        (4, Fr(1, 3), Fr(1, 20)),
        (5, Fr(2, 3), Fr(3, 10)),
        (6, Fr(1, 2), Fr(1, 5)),
    ],
)
def test_kreps_wilson_matches_closed_form(k, b, p):
    g = _game("kreps-wilson", k=k, b=b, p=p, a=2)
    start = time.perf_counter()
    sol = reputation(g)
    assert time.perf_counter() - start < 5
    eq = sol[0]
    gx = g.as_exact()
    _certified(gx, eq)
    # follow the path "In, Fight, In, Fight, ..." while entrants enter, checking each stage
    hist = ""
    for j, (pj, beta, enters) in zip(range(k, 0, -1), _closed_form(k, b, p)):
        ent = gx.infoset_of(f"E{k - j + 1}", f"E{k - j + 1}:{hist or 'start'}")
        i, n = gx.player_index(f"E{k - j + 1}"), ent.number
        assert eq.beliefs[i][n] == (pj, 1 - pj)
        if pj != b**j:
            assert eq.behavior[i][n] == ((0, 1) if enters else (1, 0))
        weak = gx.infoset_of("Incumbent", f"weak:{hist or 'start'}")
        assert eq.behavior[0][weak.number][0] == beta
        if not enters:
            break
        hist += "F"


def test_kreps_wilson_default_check():
    """The file's check: k = 2, a = 2, b = 1/2, p = 0.2: the first entrant enters, the weak type
    fights w.p. 1/4, the posterior is 1/2, the last entrant stays out w.p. 1/a = 1/2."""
    g = _game("kreps-wilson").as_exact()
    eq = solve(g, concept="sequential")[0]
    e2 = g.infoset_of("E2", "E2:F")
    assert eq.beliefs[2][e2.number] == (Fr(1, 2), Fr(1, 2))
    assert eq.behavior[2][e2.number] == (Fr(1, 2), Fr(1, 2))
    assert eq.behavior[0][g.infoset_of("Incumbent", "weak:start").number] == (Fr(1, 4), Fr(3, 4))


def test_chain_look_alike_that_does_not_end_falls_back_to_enumeration():
    """A tree that starts like the chain store (chance over tough/weak, players Incumbent, E1) but
    where E1 moves again after Out: 'reputation' refuses it with a SolverError (it used to crash
    with a TypeError on the non-terminal node, also when solve() only asked whether the tree is a
    chain), and the sequential equilibria come from enumeration. By hand (the payoffs do not
    depend on the type; E1 sees it): the Incumbent accommodates (0 > -1), E1 enters after its
    own Out (1 > 0), so at its first node E1 is indifferent (1 either way)."""
    from bargaining.errors import SolverError
    from bargaining.model.extensive import ExtensiveGame

    def market():
        return {
            "player": "E1",
            "actions": {
                "Out": {"player": "E1", "actions": {"Out": {"payoffs": [2, 0]}, "In": {"payoffs": [0, 1]}}},
                "In": {
                    "player": "Incumbent",
                    "actions": {"Fight": {"payoffs": [-1, -1]}, "Accommodate": {"payoffs": [0, 1]}},
                },
            },
        }

    g = ExtensiveGame.from_spec(
        {
            "players": ["Incumbent", "E1"],
            "root": {
                "player": "chance",
                "probs": {"tough": "1/5", "weak": "4/5"},
                "actions": {"tough": market(), "weak": market()},
            },
        }
    )
    with pytest.raises(SolverError, match="must end the game"):
        reputation(g)
    sol = solve(g, concept="sequential")
    assert sol.method == "sequential-enum" and sol.equilibria
    for eq in sol.equilibria:
        _certified(g, eq)
        for h in g.infosets:
            probs = eq.behavior[h.player][h.number]
            if h.player == 0:
                assert probs == (0, 1)  # Fight, Accommodate
            elif g.path_labels(h.nodes[0])[-1] == "Out":
                assert probs == (0, 1)  # Out, In: enter after its own Out


# --- proper equilibria (Myerson 1978) ---------------------------------------------------------
# U/L 1,1; 0,0; -9,-9 / M: 0,0; 0,0; -7,-7 / D: -9,-9; -7,-7; -7,-7 (symmetric).
# Pure Nash: (U,L), (M,M), (D,R). (D,R) uses weakly dominated strategies (not perfect). (M,M) is
# perfect but not proper: a proper tremble makes R much rarer than L (R is worse for the column
# player against M-ish rows), and then U beats M for the row player (L - 2R > 0), so M cannot keep
# its weight. (U,L) is proper (strict equilibrium).
def test_myerson_proper():
    A = np.array([[1, 0, -9], [0, 0, -7], [-9, -7, -7]])
    g = NormalFormGame.from_arrays(A.tolist(), A.T.tolist(), exact=True)
    sol = solve(g, concept="proper")
    assert [eq.strategies for eq in sol] == [((1, 0, 0), (1, 0, 0))]
    assert proper_certificate(g, [(0, 1, 0), (0, 1, 0)]) is None
    assert proper_certificate(g, [(0, 0, 1), (0, 0, 1)]) is None


def test_explain_seltens_horse_names_the_reason():
    from bargaining.report.explain_sequential import explain_tree

    text = explain_tree(_game("seltens-horse"))
    assert "P1:1: D; P2:1: c; h3: L: NOT sequential" in text
    assert "c gives 1, d gives 4" in text
    assert "P1:1: C; P2:1: c; h3: R: sequential" in text
