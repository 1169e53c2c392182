"""Golden tests for the games that model the article's actors fully (issue #17): two senders
(guarantee-senders), an endogenous US type (deep-state-signal), the alliance security dilemma
(alliance-entrapment), Russia's commitment problem (ukraine-rearmament), ceasefire monitoring,
China as mediator and supplier, Ukraine as a veto player and two-sided audience costs; plus the
corrections of crisis-four-powers and escalation-tree.

Every expected number is derived by hand in the comments (exact fractions) and checked against
the solver; every equilibrium is checked by the independent verifiers.
"""

from __future__ import annotations

from fractions import Fraction as F

import bargaining
from bargaining.solvers.api import solve
from bargaining.verify import normal as verify_normal
from bargaining.verify import tree as verify_tree


def at(name: str, tie_break: str | None = None, concept: str | None = None, **params):
    game = bargaining.load(name).with_params(**params)
    opts = {"tie_break": tie_break} if tie_break else {}
    return game, solve(game, exact=True, concept=concept, **opts)


def only(sol):
    assert len(sol.equilibria) == 1, [e.label for e in sol.equilibria]
    return sol.equilibria[0]


def path(eq) -> str:
    return eq.label.split(": ", 1)[1]


def check_tree(game, sol) -> None:
    for eq in sol.equilibria:
        assert verify_tree.spe_regret(game, eq.behavior) == 0, eq.label


def check_normal(game, sol) -> None:
    for eq in sol.equilibria:
        assert verify_normal.max_regret(game, eq.strategies) == 0


# ----------------------------------------------------------------------------------------------
# corrections
# ----------------------------------------------------------------------------------------------


def test_crisis_four_powers_china_backing_changes_russias_advance():
    # Russia's advance probability z makes the US indifferent between F and S:
    # z(psi_F - psi_S + epsilon u) = (1 - z) k_F  ->  z = 0.2/(0.6 + 0.2 u).
    # The US firmness q makes Russia indifferent: w q = g_A - c_P + (phi_A - phi_C) n - (w_U - tau) u
    # = 0.5 + 0.2 n - 0.1 u; Europe deploys iff q >= d_U/(b_U + d_U) = 5/9.
    # China backs (n = 1): q = 0.6 >= 5/9, u = 1, z = 1/4.
    game, sol = at("crisis-four-powers")
    check_normal(game, sol)
    eq = only(sol)
    assert eq.strategies[0][0] == F(3, 5) and eq.strategies[1][1] == F(1, 4)
    assert eq.strategies[2][0] == 1 and eq.strategies[3][0] == 1
    # China hedges (rho = -1 makes H dominant; rho enters only China's payoffs): with u = 1,
    # q = 0.4 < 5/9, contradiction; with u = 0, q = 1/2 < 5/9, consistent; z = 0.2/0.6 = 1/3.
    game, sol = at("crisis-four-powers", rho="-1")
    check_normal(game, sol)
    eq = only(sol)
    assert eq.strategies[0][0] == F(1, 2) and eq.strategies[1][1] == F(1, 3)
    assert eq.strategies[2][1] == 1 and eq.strategies[3][1] == 1


def test_escalation_tree_regimes_commitment_and_tactic():
    # defaults: a = 0.3 > u_AS - psi = 0.1: after E, A the US prefers X (psi - k_E = -0.45) to
    # S (u_AS - a - k_E = -0.65): a commitment, Russia compromises; E C (already golden-tested).
    game, sol = at("escalation-tree", "file")
    assert path(only(sol)) == "E C"
    # a = 0.05 <= 0.1: after E, A the US sanctions (-0.4 > -0.45): the endorsed threat is a
    # tactic Russia sees through; it advances after every root (A then S gives g_A - s = 0.7 >
    # c_P = 0.5), and the US root compares N (-0.3) with E (-0.4), E0 (-0.425), E5 (-0.45): N A S.
    game, sol = at("escalation-tree", "file", a="0.05")
    eq = only(sol)
    assert path(eq) == "N A S" and eq.payoffs == (F(-3, 10), F(7, 10), F(-3, 10))


# ----------------------------------------------------------------------------------------------
# guarantee-senders: Europe's pledge, the US's praise (cheap talk) or Art. 5 (hand-tying)
# ----------------------------------------------------------------------------------------------
# Sequential rationality after A: S always follows through; B follows through after X5 since
# h = 0.6 > -f_B = 0.5, and after Pr under Un iff l > 0.5. After X5 both types follow through,
# so Russia compromises after X5 whatever it believes (0.4 > -1): an SPE in which Russia advances
# after X5 rests on an action that no belief makes rational (not a PBE); the tests keep the SPE
# with C after X5.
RU_AFTER_X5 = (1, 3)  # Russia's information sets RU:Cd.X5 and RU:Un.X5


def sequential_ones(sol):
    return [e for e in sol.equilibria if all(e.behavior[1][k] == (1, 0) for k in RU_AFTER_X5)]


def test_guarantee_senders_defaults_praise_reveals_the_bluffer():
    # Cd: B gets -0.2 from X5 (W - k_B) and >= 0 from Pr: B praises. If S praised too, Russia's
    # belief 1/4 < mu* = 0.3 makes it advance and S gets 0.2 < 0.9 from X5: so S extends Art. 5.
    # Separating: Russia compromises after X5, advances after Pr (belief 0), B backs down.
    # Ex ante US 1/4*0.9 = 9/40, RU 1/4*0.4 + 3/4*1 = 17/20, EU 1/4*0.6 + 3/4*(-0.3) = -3/40.
    # Un (l = 0.1 < k_B - W = 0.2): B still prefers Pr (-0.1 > -0.2): separating again, and
    # Europe is abandoned: EU 1/4*0.6 + 3/4*(-0.7) = -3/8 < -3/40, so Europe stays conditional.
    game, sol = at("guarantee-senders")
    check_tree(game, sol)
    seq = sequential_ones(sol)
    assert seq and len(seq) < len(sol.equilibria)
    for e in seq:
        assert path(e) == "Cd S X5 C | Cd B Pr A D"
        assert e.payoffs == (F(9, 40), F(17, 20), F(-3, 40))


def test_guarantee_senders_entrapment_by_europe():
    # l = 0.3 > k_B - W = 0.2: under Un, B backs down after Pr at -0.3 but gets -0.2 from X5, so
    # both types extend Art. 5 and Russia compromises (pooling on X5; off path, Russia answers Pr
    # by C w.p. <= 1/13 with belief <= 5/19). EU gets 0.6 > -3/40: Europe goes unconditional.
    # US 1/4*0.9 + 3/4*(-0.2) = 3/40, RU 2/5, EU 3/5.
    game, sol = at("guarantee-senders", l="0.3")
    check_tree(game, sol)
    seq = sequential_ones(sol)
    assert seq
    for e in seq:
        assert path(e) == "Un S X5 C | Un B X5 C"
        assert e.payoffs == (F(3, 40), F(2, 5), F(3, 5))


def test_guarantee_senders_without_art5_russia_advances_on_the_prior():
    # k_S = k_B = 10: X5 never pays, only cheap praise remains; Russia's belief stays p = 1/4 <
    # mu* = 0.3 (Cd) and < 5/19 (Un): it advances; S fights, B backs down. Under Un Europe would
    # be abandoned (EU -0.65), so Cd: US 1/4*0.2 = 1/20, RU -1/4 + 3/4 = 1/2, EU -1/8 - 9/40 = -7/20.
    game, sol = at("guarantee-senders", k_S="10", k_B="10")
    check_tree(game, sol)
    seq = sequential_ones(sol)
    assert seq
    for e in seq:
        assert path(e) == "Cd S Pr A F | Cd B Pr A D"
        assert e.payoffs == (F(1, 20), F(1, 2), F(-7, 20))


# ----------------------------------------------------------------------------------------------
# deep-state-signal: Russia's rejection can flip the US type
# ----------------------------------------------------------------------------------------------


def test_deep_state_signal_defaults():
    # Russia compromises iff mu + (1 - mu) lam >= mu* = 0.3, i.e. mu >= (0.3 - 0.1)/0.9 = 2/9.
    # p = 1/4 >= 2/9, so pooling on N with C (both types W = 1) is a PBE; pooling on E with C
    # (S 0.9, B 0.7) too if N draws C w.p. rho <= 34/49 (B: rho + (1 - rho) lam f_S <= 0.7).
    # Semi-separating: B plays N; S plays N w.p. s with (s/4)/(s/4 + 3/4) = 2/9 -> s = 6/7;
    # Russia mixes after N with rho*1 + (1 - rho)*0.2 = 0.9 -> rho = 7/8; B gets
    # 7/8 + 1/8 * 0.02 = 351/400.
    game, sol = at("deep-state-signal")
    assert sol.complete
    by = {e.label.split("  ")[0].split(" (")[0]: e for e in sol.equilibria}
    assert set(by) == {"pooling on E", "pooling on N", "semi-separating"}
    assert by["pooling on N"].extra["type_payoffs"] == {"S": 1, "B": 1}
    assert by["pooling on E"].extra["type_payoffs"] == {"S": F(9, 10), "B": F(7, 10)}
    assert by["semi-separating"].extra["type_payoffs"] == {"S": F(9, 10), "B": F(351, 400)}
    off = by["pooling on E"].extra["off_path"][0]["responses"]["C"]
    assert off == [0, F(34, 49)]


def test_deep_state_signal_without_switch_is_resolve_signal():
    # lam = 0: the game is resolve-signal; its D1 prediction, the semi-separating PBE with the
    # bluffer endorsing w.p. 7/9 and S getting 13/30, is among the PBE.
    game, sol = at("deep-state-signal", lam="0")
    pays = [e.extra["type_payoffs"] for e in sol.equilibria]
    assert {"S": F(13, 30), "B": 0} in pays


# ----------------------------------------------------------------------------------------------
# alliance-entrapment
# ----------------------------------------------------------------------------------------------


def test_alliance_entrapment_defaults():
    # T: the US fights after K (f - k_T = -0.6 > -(a_T + l) - k_T = -0.8); soft Russia halts
    # (0.3 > -1), hard strikes (0.4 > 0.3); Europe: 0.8*0.5 + 0.2*(-0.5) = 0.3 > 0.2: U.
    # US: 0.8*0.9 + 0.2*(-0.6) = 3/5. L: the US abandons (-0.1 > -0.5), both types strike,
    # Europe stays out (0.2 > -0.6), US 0.4. SPE T U; RU 0.2*0.4 + 0.8*0.3 = 8/25, EU 3/10.
    game, sol = at("alliance-entrapment")
    check_tree(game, sol)
    eq = only(sol)
    assert path(eq) == "T U hard K F | T U soft H"
    assert eq.payoffs == (F(3, 5), F(8, 25), F(3, 10))


def test_alliance_entrapment_abandonment_regime():
    # q = 0.4 >= 0.3: Europe's U under T gives 0.5 - q = 0.1 < 0.2: P; then T gives u_P - k_T =
    # 0.3 < 0.4 = L: the loose alliance, Europe holds back. US 2/5, RU 1/2, EU 1/5.
    game, sol = at("alliance-entrapment", q="0.4")
    eq = only(sol)
    assert path(eq) == "L P" and eq.payoffs == (F(2, 5), F(1, 2), F(1, 5))


# ----------------------------------------------------------------------------------------------
# models and normal forms
# ----------------------------------------------------------------------------------------------


def test_ukraine_rearmament_preventive_war():
    # W_L = 0.35 - 0.1 - 0.2 = 1/20; W_H = 0.6*0.6 + 0.4*0.05 = 19/50;
    # x_H* = [19/50 (0.1 + 0.225) - 0.9*0.25*0.05]/0.1 = 449/400 > 1: preventive war.
    _, sol = at("ukraine-rearmament")
    eq = only(sol)
    assert eq.payoffs == (F(11, 25), F(19, 50))
    assert "war" in eq.label
    # peace iff lambda_0 <= 62/297: at 62/297, x_H* = 1 exactly
    _, sol = at("ukraine-rearmament", lambda_0="62/297")
    assert "peace" in only(sol).label


def test_ceasefire_monitoring_tsebelis():
    # inspect w.p. g/(g + s) = 1/3; violate w.p. c_I/(b + L) = 1/5; M's payoff -vL = -3/50.
    game, sol = at("ceasefire-monitoring")
    check_normal(game, sol)
    eq = only(sol)
    assert eq.strategies == ((F(1, 3), F(2, 3)), (F(4, 5), F(1, 5)))
    assert eq.payoffs == (F(-3, 50), 0)
    # a harsher penalty lowers inspection, not violation (Tsebelis 1989)
    _, sol = at("ceasefire-monitoring", s="1.2")
    assert only(sol).strategies == ((F(1, 5), F(4, 5)), (F(4, 5), F(1, 5)))


def test_china_mediator_correlated_beats_nash():
    # Nash: (F, H), (Y, K) and the mixed one: Russia indifferent 0.4(1 - q) = 0.5(1 - q) - 0.2 q
    # -> q = 1/3, payoff 4/15 each. Welfare-maximising CE: US obeys Y iff c >= a/2, Russia obeys
    # H iff 0.2 b >= 0.1 a; maximise 0.8 a + 0.5 (b + c): a = 1/2, b = c = 1/4, 13/40 each.
    game, sol = at("china-mediator")
    check_normal(game, sol)
    assert len(sol.equilibria) == 3
    mixed = [e for e in sol.equilibria if e.strategies[0][0] not in (0, 1)]
    assert mixed[0].payoffs == (F(4, 15), F(4, 15))
    _, ce = at("china-mediator", concept="correlated")
    assert only(ce).payoffs == (F(13, 40), F(13, 40))


def test_ukraine_veto():
    # Russia accepts iff x >= 0.5, Ukraine ratifies iff x <= 0.6: x_M = 0.55 (US 9/20).
    game, sol = at("ukraine-veto", "file")
    check_tree(game, sol)
    eq = only(sol)
    assert path(eq) == "x_M ratify accept" and eq.payoffs == (F(9, 20), F(11, 20), F(9, 20))
    # u_U = 0.5: Ukraine vetoes every offer above 0.5 and Russia rejects 0.4: war (US d_US).
    _, sol = at("ukraine-veto", "file", u_U="0.5")
    assert only(sol).payoffs == (F(1, 5), F(1, 2), F(1, 2))
    # without the veto the US overrides Ukraine: the deal at 0.55 stands
    _, sol = at("ukraine-veto", "file", u_U="0.5", veto="0")
    assert only(sol).payoffs[:2] == (F(9, 20), F(11, 20))


def test_audience_two_sided_regimes():
    # (i) a_R = 0.2 < y_C + w_R = 1.5: Russia would back down after F; the US stands firm;
    # Russia concedes at once: E C, US 1 - k = 19/20, RU 1/2.
    game, sol = at("audience-two-sided")
    check_tree(game, sol)
    assert path(only(sol)) == "E C" and only(sol).payoffs == (F(19, 20), F(1, 2))
    # (ii) a_R = 2: Russia fights after F; the US backs down (-0.35 > -1.05); Russia resists;
    # E gives -0.35 < 0: N.
    _, sol = at("audience-two-sided", a_R="2")
    assert path(only(sol)) == "N" and only(sol).payoffs == (0, 1)
    # (iii) also a_U = 1.5 > w_U: the US stands firm into war (-1.05 > -1.55); Russia concedes.
    _, sol = at("audience-two-sided", a_R="2", a_U="1.5")
    assert path(only(sol)) == "E C"


def test_new_games_are_listed():
    from bargaining.formats.load import known_game_names

    names = set(known_game_names())
    assert {
        "guarantee-senders",
        "deep-state-signal",
        "alliance-entrapment",
        "ukraine-rearmament",
        "ceasefire-monitoring",
        "china-mediator",
        "ukraine-veto",
        "audience-two-sided",
    } <= names
