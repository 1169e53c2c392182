"""All-PBE solver for signaling games: textbook answers (exact), G1 resolve-signal at its
defaults and thresholds, Spence on the education grid, pygambit's Watson games, validation."""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import numpy as np
import pytest

import bargaining
from bargaining.errors import GameValidationError
from bargaining.model.signaling import SignalingGame
from bargaining.solvers.signaling import pbe
from bargaining.verify.signaling import assessment_regret


def _certified(fn):
    """The solver's answer with the dispatcher's independent certificate (``regret``)."""

    def run(game, *args, **kwargs):
        from bargaining.verify import certify

        return certify(game, fn(game, *args, **kwargs))

    run.__name__ = fn.__name__
    return run


pbe = _certified(pbe)


def by_label(sol):
    out = {}
    for eq in sol.equilibria:
        out.setdefault(eq.label, []).append(eq)
    return out


def vertex_labels(sol):
    return {v["label"] for eq in sol.equilibria for v in eq.extra["vertices"]}


def pure_vertices(sol):
    """The points of every family where the sender plays a pure strategy (each is a vertex of its
    family's sigma-polytope, so it is listed among the family's vertices)."""
    out = []
    for eq in sol.equilibria:
        for v in eq.extra["vertices"]:
            if all(p in (0, 1) for d in v["sender_strategy"].values() for p in d.values()):
                out.append(v)
    return out


def pure_profile(v, game):
    return tuple(
        next(j for j, m in enumerate(game.messages) if v["sender_strategy"][t][m] == 1) for t in game.types
    )


def sender(eq):
    return {t: {m: p for m, p in d.items() if p} for t, d in eq.extra["sender_strategy"].items()}


def receiver(eq):
    return {
        m: (None if d is None else {r: p for r, p in d.items() if p})
        for m, d in eq.extra["receiver_strategy"].items()
    }


def g1(**params):
    return bargaining.load("resolve-signal").with_params(**params)


def brute_force_pure_pbe(game):
    """Independent oracle for pure-sender PBE of a two-type game without later stages, by
    explicit thresholds (no polytopes): enumerate pure sender strategies and pure on-path best
    replies; after an off-path message, try every pure response and every mixture of two
    responses that are best replies at a common belief (the beliefs worth checking are 0, 1 and
    the pairwise indifference points), with the exact interval of deterring mixtures."""
    nT, nM, nR = game.shape
    assert nT == 2
    us = [[[F(game.outcomes[t][m][r].payoffs[0]) for r in range(nR)] for m in range(nM)] for t in range(nT)]
    ur = [[[F(game.outcomes[t][m][r].payoffs[1]) for r in range(nR)] for m in range(nM)] for t in range(nT)]
    prior = [F(p) for p in game.prior]

    def brs(m, mu):
        eu = [mu * ur[0][m][r] + (1 - mu) * ur[1][m][r] for r in range(nR)]
        return [r for r in range(nR) if eu[r] == max(eu)]

    def options(m):
        pts = {F(0), F(1)}
        for r, r2 in itertools.combinations(range(nR), 2):
            d0, d1 = ur[0][m][r] - ur[0][m][r2], ur[1][m][r] - ur[1][m][r2]
            if d0 != d1:
                mu = d1 / (d1 - d0)
                if 0 <= mu <= 1:
                    pts.add(mu)
        out = set()
        for mu in pts:
            b = brs(m, mu)
            out.update((r,) for r in b)
            out.update(itertools.combinations(b, 2))
        return out

    def deters(m, opt, u):
        if len(opt) == 1:
            return all(us[t][m][opt[0]] <= u[t] for t in range(nT))
        r, r2 = opt
        lo, hi = F(0), F(1)  # x = weight on r
        for t in range(nT):
            a, c = us[t][m][r] - us[t][m][r2], u[t] - us[t][m][r2]
            if a > 0:
                hi = min(hi, c / a)
            elif a < 0:
                lo = max(lo, c / a)
            elif c < 0:
                return False
        return lo <= hi

    opts = {m: options(m) for m in range(nM)}
    found = set()
    for s in itertools.product(range(nM), repeat=nT):
        on = sorted(set(s))
        mus = {
            m: sum(prior[t] for t in range(nT) if s[t] == m and t == 0)
            / sum(prior[t] for t in range(nT) if s[t] == m)
            for m in on
        }
        for rs in itertools.product(*(brs(m, mus[m]) for m in on)):
            resp = dict(zip(on, rs))
            u = [us[t][s[t]][resp[s[t]]] for t in range(nT)]
            if any(us[t][m][resp[m]] > u[t] for t in range(nT) for m in on):
                continue
            if all(any(deters(m, o, u) for o in opts[m]) for m in range(nM) if m not in on):
                found.add(tuple(s))
                break
    return found


# ------------------------------------------------------------------------------ beer-quiche
def test_beer_quiche_two_pooling_families_exact():
    sol = pbe(bargaining.load("beer-quiche").with_params(), exact=True)
    assert sol.complete and sol.exact
    labels = by_label(sol)
    assert sorted(labels) == ["pooling on beer", "pooling on quiche"]
    beer, quiche = labels["pooling on beer"][0], labels["pooling on quiche"][0]
    assert beer.extra["type_payoffs"] == {"strong": 3, "weak": 2}
    assert quiche.extra["type_payoffs"] == {"strong": 2, "weak": 3}
    assert beer.payoffs[1] == quiche.payoffs[1] == F(9, 10)
    # off the path: mu(weak | quiche) >= 1/2 and duel w.p. >= 1/2
    off = beer.extra["off_path"][0]
    assert off["message"] == "quiche"
    assert off["beliefs"] == [[0, F(1, 2)], [F(1, 2), 1]]
    assert off["responses"]["duel"] == [F(1, 2), 1]
    off = quiche.extra["off_path"][0]
    assert off["message"] == "beer" and off["beliefs"][1] == [F(1, 2), 1]
    assert receiver(beer)["beer"] == {"not": 1}
    for eq in sol.equilibria:
        assert eq.regret == 0


def test_beer_quiche_matches_brute_force_and_has_no_hybrid():
    game = bargaining.load("beer-quiche").with_params()
    sol = pbe(game)
    pure = {tuple(int(np.argmax(row)) for row in eq.behavior[0]) for eq in sol.equilibria}
    assert pure == brute_force_pure_pbe(game)
    assert all(eq.label.startswith("pooling") for eq in sol.equilibria)


# ------------------------------------------------------------------------------ G1 resolve-signal
def test_g1_defaults_semi_separating_and_pooling_on_N():
    sol = pbe(g1(), exact=True)
    assert sol.complete
    labels = by_label(sol)
    assert sorted(labels) == ["pooling on N", "semi-separating"]
    (semi,) = labels["semi-separating"]
    assert sender(semi) == {"S": {"E": 1}, "B": {"E": F(7, 9), "N": F(2, 9)}}
    assert receiver(semi) == {"E": {"C": F(5, 12), "A": F(7, 12)}, "N": {"A": 1}}
    assert semi.extra["beliefs_on_path"]["E"] == {"S": F(3, 10), "B": F(7, 10)}
    assert semi.extra["type_payoffs"] == {"S": F(13, 30), "B": 0}
    assert semi.payoffs[1] == F(1, 2)  # Russia ex ante
    assert semi.extra["mixing"] == {
        "US": {"B": {"E": F(7, 9), "N": F(2, 9)}},
        "RU": {"E": {"C": F(5, 12), "A": F(7, 12)}},
    }
    # P(E) = p / mu* = 5/6 and the outcome probabilities of G1 in docs/scenarios.md
    p = F(1, 4)
    p_e = p + (1 - p) * F(7, 9)
    assert p_e == F(5, 6)
    assert p_e * F(5, 12) == F(25, 72)  # compromise
    assert p * F(7, 12) == F(7, 48)  # serious US rejected -> escalation
    assert (1 - p) * F(7, 9) * F(7, 12) == F(147, 432)  # bluff called
    assert semi.extra["continuation"] == {"S/E/A": ["F"], "S/N/A": ["F"], "B/E/A": ["D"], "B/N/A": ["D"]}
    (pool,) = labels["pooling on N"]
    assert receiver(pool) == {"E": None, "N": {"A": 1}}
    off = pool.extra["off_path"][0]
    assert off["message"] == "E"
    assert off["beliefs"][0] == [0, F(3, 10)]  # mu_E <= 0.3
    assert off["responses"]["C"] == [0, F(1, 8)]  # rho_E <= c_S / (W - f_S) = 1/8
    assert pool.extra["type_payoffs"] == {"S": F(1, 5), "B": 0} and pool.payoffs[1] == F(1, 2)
    assert all(eq.regret == 0 for eq in sol.equilibria)


def test_g1_refinements_ic_keeps_both_d1_removes_pooling():
    labels = by_label(pbe(g1(), exact=True))
    assert labels["semi-separating"][0].extra["refinements"] == {
        "intuitive": True,
        "d1": True,
        "d2": True,
        "nwbr": True,
    }
    pool = labels["pooling on N"][0]
    assert pool.extra["refinements"] == {"intuitive": True, "d1": False, "d2": False, "nwbr": False}
    note = " ".join(pool.extra["refinement_notes"])
    assert "D1 fails at E" in note and "B is deleted" in note and "S deviates" in note


def test_g1_high_prior_three_families():
    labels = by_label(pbe(g1(p="2/5"), exact=True))
    assert sorted(labels) == ["pooling on E", "pooling on N", "semi-separating"]
    (e,) = labels["pooling on E"]
    assert receiver(e)["E"] == {"C": 1}
    assert e.extra["off_path"][0]["responses"]["C"] == [0, F(7, 10)]  # rho_N <= 0.7
    (n,) = labels["pooling on N"]
    assert receiver(n)["N"] == {"C": 1}
    assert n.extra["off_path"][0]["beliefs"] == [[0, 1], [0, 1]]  # any off-path belief
    assert n.extra["type_payoffs"] == {"S": 1, "B": 1}
    (h,) = labels["semi-separating"]
    assert sender(h) == {"S": {"E": F(5, 14), "N": F(9, 14)}, "B": {"N": 1}}
    assert receiver(h) == {"E": {"C": 1}, "N": {"C": F(7, 8), "A": F(1, 8)}}


def test_g1_separating_iff_costly_enough_and_ic_selects_it():
    labels = by_label(pbe(g1(c_B="1.2"), exact=True))
    assert sorted(labels) == ["pooling on N", "separating"]
    (sep,) = labels["separating"]
    assert sender(sep) == {"S": {"E": 1}, "B": {"N": 1}}
    assert receiver(sep) == {"E": {"C": 1}, "N": {"A": 1}}
    assert labels["pooling on N"][0].extra["refinements"]["intuitive"] is False
    assert sep.extra["refinements"]["intuitive"] is True
    # just below W = 1 there is no separating PBE
    assert "separating" not in by_label(pbe(g1(c_B="0.99")))
    # at c_B = W the separating profile is an endpoint of the hybrid family sigma_B(E) in [0, 7/9]
    assert "separating" in vertex_labels(pbe(g1(c_B=1)))


def test_g1_correction_ic_selects_separation_only_for_c_B_above_W():
    """The hand derivation of G1: 'if c_B >= W ... IC selects [separation] uniquely'. At c_B = W exactly
    pooling on N also passes IC (E is not strictly equilibrium-dominated for B: 0 = 0)."""
    labels = by_label(pbe(g1(c_B=1), exact=True))
    assert labels["pooling on N"][0].extra["refinements"]["intuitive"] is True
    labels = by_label(pbe(g1(c_B="1.0001"), exact=True))
    assert labels["pooling on N"][0].extra["refinements"]["intuitive"] is False


def test_g1_serious_type_stops_signalling_above_c_S_one_third():
    assert "semi-separating" in by_label(pbe(g1(c_S="0.33"), exact=True))
    assert "semi-separating" not in by_label(pbe(g1(c_S="0.34"), exact=True))


def test_g1_tied_hands_unique_pooling_on_E():
    sol = pbe(g1(a="0.6"), exact=True)
    assert [eq.label for eq in sol.equilibria] == ["pooling on E"]
    eq = sol.equilibria[0]
    assert eq.extra["type_payoffs"] == {"S": F(9, 10), "B": F(7, 10)} and eq.payoffs[1] == F(2, 5)
    assert eq.extra["continuation"]["B/E/A"] == ["F"]


def test_g1_at_exactly_a_half_the_bluffer_is_indifferent_and_ties_are_reported():
    """The hand derivation of G1 said hands are tied for a >= 0.5; at a = 0.5 exactly the bluffer is
    indifferent between F and D, so the semi-separating and pooling-on-N families of the
    backing-down tie-break survive too: the pooling on E is unique only for a > 0.5."""
    sol = pbe(g1(a="0.5"), exact=True)
    assert not sol.complete and "indifferent in a later stage" in sol.message
    assert sorted({eq.label for eq in sol.equilibria}) == ["pooling on E", "pooling on N", "semi-separating"]
    semi = by_label(sol)["semi-separating"][0]
    assert receiver(semi)["E"]["C"] == F(8, 15)  # (c_B + a) / (W + a)


def test_g1_rho_star_independent_of_prior_and_sigma_to_one_at_mu_star():
    for p in ("0.05", "0.1", "0.2", "0.29"):
        semi = by_label(pbe(g1(p=p), exact=True))["semi-separating"][0]
        assert receiver(semi)["E"]["C"] == F(5, 12)
        pf = F(p)
        assert sender(semi)["B"]["E"] == pf * F(7, 10) / ((1 - pf) * F(3, 10))


# ------------------------------------------------------------------------------ Spence on the grid
def spence():
    return bargaining.load("spence-job-market").with_params()


def test_spence_pure_pbe_on_the_grid():
    sol = pbe(spence(), exact=True)
    assert sol.complete
    pure = pure_vertices(sol)
    got = {
        (v["label"], tuple(sorted(m for d in v["sender_strategy"].values() for m, p in d.items() if p)))
        for v in pure
    }
    assert got == {
        ("pooling on e0", ("e0", "e0")),
        ("pooling on e0.5", ("e0.5", "e0.5")),
        ("separating", ("e0", "e1")),
        ("separating", ("e0", "e1.5")),
        ("separating", ("e0", "e2")),
    }
    for eq in sol.equilibria:
        if eq.label.startswith("pooling"):
            assert receiver(eq)[eq.label.split()[-1]] == {"w_mid": 1}  # wage 1.5 = E[theta]
    assert {pure_profile(v, spence()) for v in pure} == brute_force_pure_pbe(spence())
    assert all(eq.regret == 0 for eq in sol.equilibria)
    # eq.regret is the dispatcher's certificate over the representative point and every vertex


def test_spence_grid_correction_ic_keeps_pooling_d1_leaves_riley():
    """The textbook B2 answer says that IC leaves only the Riley outcome; on the grid it does not."""
    sol = pbe(spence(), exact=True)
    ic = {
        (eq.label, tuple(eq.extra["type_payoffs"].values()))
        for eq in sol.equilibria
        if eq.extra["refinements"]["intuitive"] and "semi" not in eq.label
    }
    assert ("pooling on e0", (F(3, 2), F(3, 2))) in ic
    assert ("pooling on e0.5", (1, F(5, 4))) in ic
    d1 = [eq for eq in sol.equilibria if eq.extra["refinements"]["d1"]]
    assert {tuple(eq.extra["type_payoffs"].values()) for eq in d1} == {(1, F(3, 2))}  # Riley payoffs
    riley = [v for v in pure_vertices(sol) if v["label"] == "separating" and v["refinements"]["d1"]]
    assert len(riley) == 1 and {
        t: {m: p for m, p in d.items() if p} for t, d in riley[0]["sender_strategy"].items()
    } == {"L": {"e0": 1}, "H": {"e1": 1}}


# ------------------------------------------------------------------------------ Watson (pygambit catalogue)
def from_gambit(name):
    """A catalogue tree chance (types) -> sender (messages) -> receiver (responses) as our
    SignalingGame, with Gambit's tree (``tests/gambit_oracle.GambitTree``)."""
    gambit = pytest.importorskip("gambit_oracle")
    t = gambit.GambitTree.catalogue(name)
    types, prior = t.actions(), t.chance_probs()
    node0 = t.children()[0]
    messages = t.actions(node0)
    responses = t.actions(t.children(node0)[0])
    pay = {}
    for ti, tnode in enumerate(t.children()):
        pay[types[ti]] = {}
        for mi, mnode in enumerate(t.children(tnode)):
            pay[types[ti]][messages[mi]] = {}
            for ri, leaf in enumerate(t.children(mnode)):
                pay[types[ti]][messages[mi]][responses[ri]] = list(t.node_payoffs(leaf))
    game = SignalingGame.build(
        dict(zip(types, prior)), messages, responses, pay, sender=t.players[0], receiver=t.players[1]
    )
    return t, game


def gambit_regret(t, game, eq):
    """pygambit's own max regret of our profile, as a Nash equilibrium of the tree."""
    prof = {}
    for ti, tnode in enumerate(t.children()):
        prof[t.infoset(tnode)] = tuple(F(x) for x in eq.behavior[0][ti])
    for mi, mnode in enumerate(t.children(t.children()[0])):
        prof[t.infoset(mnode)] = tuple(F(x) for x in eq.behavior[1][mi])
    return t.max_regret(prof)


@pytest.mark.parametrize("name", ["books/watson2013/fig29_1", "books/watson2013/exercise29_6"])
def test_watson_games_every_pbe_is_a_gambit_nash_equilibrium(name):
    t, game = from_gambit(name)
    sol = pbe(game, exact=True)
    assert sol.equilibria
    for eq in sol.equilibria:
        assert eq.regret == 0
        assert gambit_regret(t, game, eq) == 0
    # every pure NE outcome of Gambit in which all information sets are reached is one of ours
    ne = t.enumpure()
    assert ne
    ours = {tuple(tuple(row) for row in eq.behavior[0]) for eq in sol.equilibria}
    ours |= {
        tuple(tuple(v["sender_strategy"][ty][m] for m in game.messages) for ty in game.types)
        for eq in sol.equilibria
        for v in eq.extra["vertices"]
    }  # a family's vertices
    for prof in ne:
        sigma = tuple(prof[t.infoset(tnode)] for tnode in t.children())
        on_all = all(any(row[m] for row in sigma) for m in range(len(game.messages)))
        if on_all:
            assert sigma in ours


def test_watson_job_market_answer():
    """Watson (2013) Fig. 29.1: the separating PBE (high educates, low does not) and the pooling
    on N with the firm choosing M (manager) are the pure PBE."""
    _, game = from_gambit("books/watson2013/fig29_1")
    sol = pbe(game, exact=True)
    labels = by_label(sol)
    assert "separating" in labels
    sep = labels["separating"][0]
    assert sender(sep) == {"High": {"E": 1}, "Low": {"N": 1}}
    assert receiver(sep) == {"E": {"M": 1}, "N": {"C": 1}}
    assert {
        tuple(int(np.argmax(r)) for r in eq.behavior[0]) for eq in sol.equilibria if eq.is_pure
    } == brute_force_pure_pbe(game)


# ------------------------------------------------------------------------------ certificate
def test_regret_certificate_detects_a_wrong_profile():
    game = g1()
    semi = by_label(pbe(game, exact=True))["semi-separating"][0]
    plans = {(0, 0, 1): ("F",), (0, 1, 1): ("F",), (1, 0, 1): ("D",), (1, 1, 1): ("D",)}
    sigma, rho = semi.behavior
    beliefs = [list(b) for b in semi.beliefs]
    assert assessment_regret(game, sigma, rho, beliefs, plans) == 0
    assert (
        assessment_regret(game, sigma, [[F(1, 2), F(1, 2)], rho[1]], beliefs, plans) > 0
    )  # RU not indifferent
    assert assessment_regret(game, sigma, rho, [[F(1, 2), F(1, 2)], beliefs[1]], plans) > 0  # Bayes violated
    bad_plans = dict(plans)
    bad_plans[(1, 0, 1)] = ("F",)  # the bluffer follows through: not sequentially rational
    assert assessment_regret(game, sigma, rho, beliefs, bad_plans) > 0


def test_random_games_every_pbe_has_zero_regret_and_pure_ones_match_brute_force():
    rng = np.random.default_rng(7)
    for _ in range(25):
        nM, nR = int(rng.integers(2, 4)), int(rng.integers(2, 4))
        pay = {
            t: {
                f"m{j}": {f"r{k}": [int(rng.integers(-3, 4)), int(rng.integers(-3, 4))] for k in range(nR)}
                for j in range(nM)
            }
            for t in ("a", "b")
        }
        p = F(int(rng.integers(1, 10)), 10)
        game = SignalingGame.build(
            {"a": p, "b": 1 - p}, [f"m{j}" for j in range(nM)], [f"r{k}" for k in range(nR)], pay
        )
        sol = pbe(game, exact=True)
        for eq in sol.equilibria:
            assert eq.regret == 0
        pure = {pure_profile(v, game) for v in pure_vertices(sol)}
        # eq.regret is the dispatcher's certificate over the representative point and every vertex
        # ties in these small-integer games can need a mixing receiver, which the oracle
        # (pure receiver strategies) does not try: it finds a subset of ours
        assert brute_force_pure_pbe(game) <= pure


def test_random_generic_games_pure_pbe_equal_brute_force():
    rng = np.random.default_rng(11)
    for _ in range(20):
        nM, nR = int(rng.integers(2, 4)), int(rng.integers(2, 4))
        pay = {
            t: {
                f"m{j}": {
                    f"r{k}": [F(int(rng.integers(-999, 1000)), 97), F(int(rng.integers(-999, 1000)), 89)]
                    for k in range(nR)
                }
                for j in range(nM)
            }
            for t in ("a", "b")
        }
        p = F(int(rng.integers(1, 100)), 101)
        game = SignalingGame.build(
            {"a": p, "b": 1 - p}, [f"m{j}" for j in range(nM)], [f"r{k}" for k in range(nR)], pay
        )
        sol = pbe(game, exact=True)
        assert all(eq.regret == 0 for eq in sol.equilibria)
        pure = {pure_profile(v, game) for v in pure_vertices(sol)}
        assert pure == brute_force_pure_pbe(game)


# ------------------------------------------------------------------------------ model & bad input
def _body(**changes):
    body = {
        "players": {"sender": "S", "receiver": "R"},
        "types": {"x": F(1, 2), "y": F(1, 2)},
        "messages": ["m", "n"],
        "responses": ["a", "b"],
        "payoffs": {t: {m: {r: [1, 0] for r in "ab"} for m in "mn"} for t in "xy"},
    }
    body.update(changes)
    return body


def test_bad_prior_sum():
    with pytest.raises(GameValidationError, match="prior sums to"):
        SignalingGame.from_spec(_body(types={"x": F(1, 2), "y": F(1, 3)}))


def test_negative_probability():
    with pytest.raises(GameValidationError, match="negative prior probability .* type 'y'"):
        SignalingGame.from_spec(_body(types={"x": F(3, 2), "y": F(-1, 2)}))


def test_missing_message_for_a_type():
    pay = {t: {m: {r: [1, 0] for r in "ab"} for m in "mn"} for t in "xy"}
    del pay["y"]["n"]
    with pytest.raises(GameValidationError, match="message 'n' missing for type 'y'"):
        SignalingGame.from_spec(_body(payoffs=pay))


def test_missing_response():
    pay = {t: {m: {r: [1, 0] for r in "ab"} for m in "mn"} for t in "xy"}
    del pay["x"]["m"]["b"]
    with pytest.raises(GameValidationError, match="response 'b' missing after message 'm' for type 'x'"):
        SignalingGame.from_spec(_body(payoffs=pay))


def test_receiver_in_later_stage_rejected_and_chance_probability_checked():
    pay = {t: {m: {r: [1, 0] for r in "ab"} for m in "mn"} for t in "xy"}
    pay["x"]["m"]["a"] = {"player": "R", "actions": {"u": {"payoffs": [0, 0]}}}
    with pytest.raises(GameValidationError, match="receiver 'R' moves in a later stage"):
        SignalingGame.from_spec(_body(payoffs=pay))
    pay["x"]["m"]["a"] = {
        "player": "chance",
        "actions": {"u": [0, 0], "v": [1, 1]},
        "probs": {"u": F(1, 2), "v": F(-1, 2)},
    }
    with pytest.raises(GameValidationError, match="negative probability"):
        SignalingGame.from_spec(_body(payoffs=pay))


def test_cli_bad_prior_one_line_exit_2(tmp_path):
    from click.testing import CliRunner

    from bargaining.cli import main

    text = (
        bargaining.formats.load.find_game_file("beer-quiche")
        .read_text()
        .replace("types: {strong: 1 - w, weak: w}", "types: {strong: 1 - w, weak: 0.5}")
    )
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    res = CliRunner().invoke(main, ["solve", str(f)])
    assert res.exit_code == 2
    assert "prior sums to" in res.output and len(res.output.strip().splitlines()) == 1


def test_to_extensive_and_spec_roundtrip():
    game = g1()
    again = SignalingGame.from_spec(game.to_spec())
    assert again == game
    tree = game.to_extensive()
    assert tree.num_players == 2 and tuple(tree.players) == ("US", "RU")
    # 2 types x 2 messages x (1 terminal after C + 2 after A's follow-through choice)
    leaves = [n for n in tree.nodes if not getattr(n, "children", None)]
    assert len(leaves) == 2 * 2 * 3


def test_solve_dispatch_and_json_shape():
    sol = bargaining.solve(bargaining.load("beer-quiche").with_params())
    assert sol.concept == "perfect-bayesian" and sol.method == "pbe"
    d = sol.to_dict()
    eq = d["equilibria"][0]
    for key in (
        "label",
        "mixing",
        "beliefs",
        "off_path",
        "refinements",
        "refinement_notes",
        "regret",
        "payoffs",
    ):
        assert key in eq
    assert set(eq["refinements"]) == {"intuitive", "d1", "d2", "nwbr"}
    assert eq["off_path"][0]["beliefs"] == [[0.0, 0.5], [0.5, 1.0]]


def test_watson_princess_bride_answer():
    """Watson (2013) Ex. 29.6 (weak Wesley's cost of getting up 2), derived by hand: the prince
    fights only if P(weak) >= 2/3. Pure PBE: separating (strong up, weak stays; the weak type is
    indifferent, -1 either way); pooling on Stay with surrender and any belief after Up; pooling
    on Up with surrender, sustained after Stay by P(weak | Stay) >= 2/3 (fight). Plus the
    boundary of the family 'strong mixes, weak stays, prince surrenders': P(strong | Stay) must
    stay >= 1/3, i.e. sigma_strong(Up) <= 1/2, listed by its extreme point 1/2."""
    _, game = from_gambit("books/watson2013/exercise29_6")
    labels = by_label(pbe(game, exact=True))
    assert sorted(labels) == ["pooling on Stay", "pooling on Up", "semi-separating"]
    assert labels["pooling on Up"][0].extra["off_path"][0]["beliefs"][1] == [F(2, 3), 1]
    assert labels["pooling on Stay"][0].extra["off_path"][0]["beliefs"] == [[0, 1], [0, 1]]
    # as sets: the weak type is indifferent in the separating PBE, so it is one end of the segment
    # "strong up, weak up with any probability, surrender after Up, fight after Stay" (the other
    # end pools on Up); and "strong mixes with sigma_strong(Up) <= 1/2, weak stays" is a segment
    segments = {str(eq.extra["description"]): eq for eq in labels["semi-separating"]}
    assert all(eq.extra["dimension"] == 1 for eq in segments.values()) and len(segments) == 2
    ends = {
        tuple(tuple(sorted(v["sender_strategy"][t].items())) for t in ("Strong", "Weak"))
        for eq in segments.values()
        for v in eq.extra["vertices"]
    }
    assert ((("Stay", 0), ("Up", 1)), (("Stay", 1), ("Up", 0))) in ends  # separating
    assert ((("Stay", F(1, 2)), ("Up", F(1, 2))), (("Stay", 1), ("Up", 0))) in ends  # sigma_strong(Up) = 1/2


def test_g1_pbe_are_nash_equilibria_of_the_tree_in_pygambit():
    """Cross-check with pygambit (test-only oracle): write G1's tree as .efg, load it in Gambit
    and let Gambit compute the max regret of each of our PBE (with the later-stage plans)."""
    gambit = pytest.importorskip("gambit_oracle")

    for params in ({}, {"p": "0.4"}, {"c_B": "1.2"}, {"a": "0.6"}):
        game = g1(**params)
        t = gambit.GambitTree.of(game.to_extensive())
        sol = pbe(game, exact=True)
        for eq in sol.equilibria:
            prof = {}
            plans = eq.extra.get("continuation", {})
            for ti, tnode in enumerate(t.children()):
                prof[t.infoset(tnode)] = tuple(F(x) for x in eq.behavior[0][ti])
                for mi, mnode in enumerate(t.children(tnode)):
                    prof[t.infoset(mnode)] = tuple(F(x) for x in eq.behavior[1][mi])
                    for ri, rnode in enumerate(t.children(mnode)):
                        if not t.is_terminal(rnode):
                            plan = plans[f"{game.types[ti]}/{game.messages[mi]}/{game.responses[ri]}"]
                            prof[t.infoset(rnode)] = tuple(F(int(a == plan[0])) for a in t.actions(rnode))
            assert t.max_regret(prof) == 0, (params, eq.label)


def test_table_and_csv_rendering():
    from bargaining.report.render import equilibrium_rows, render

    sol = pbe(g1())
    table = render(sol, "table")
    assert "[0] pooling on N   (intuitive criterion yes, D1 no, D2 no, NWBR no)" in table
    assert "after E (off path): C in [0, 0.125]" in table and "later stages: S/E/A -> F" in table
    rows = equilibrium_rows(sol)
    assert rows[0]["refinement:d1"] is False and rows[1]["refinement:d1"] is True
    assert rows[0]["offpath:E:S:hi"] == F(3, 10) and rows[1]["p:US:B:E"] == F(7, 9)
    assert rows[1]["p:RU:E:C"] == F(5, 12) and rows[0]["belief:E:S"] is None
    csv = render(sol, "csv").splitlines()
    assert "p:US:S:E" in csv[0] and "offpath:E:B:lo" in csv[0] and len(csv) == 3
