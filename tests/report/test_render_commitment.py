"""Tables for people and named sweep columns for Stackelberg, correlated, persuasion, repeated and
proper answers (bargaining/report/render_commitment.py), and ``bargain explain`` on persuasion.

The values are derived by hand (in the comments) on the library games; the tests check what a
reader sees: the key lines, short numbers (``0.45``, not ``0.44999999999999996``; ``0``, not
``-0``), fractions with ``--exact``."""

from __future__ import annotations

import json
import re
from fractions import Fraction as F

import numpy as np
import pytest
from click.testing import CliRunner

from bargaining import load
from bargaining.cli import main
from bargaining.model.normal import NormalFormGame
from bargaining.model.persuasion import PersuasionProblem
from bargaining.model.profile import Equilibrium, Solution
from bargaining.report.explain_persuasion import explain_persuasion
from bargaining.report.render import equilibrium_rows, render_csv, render_json, render_table
from bargaining.solvers.api import solve

NOISE = re.compile(r"\d\.\d*9999|\d\.\d*0000\d|-0(?![.\d/])|e-0\d")  # float noise and negative zero


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]  # runs of spaces collapsed


def _has(text: str, *wanted: str) -> None:
    lines = _lines(text)
    for w in wanted:
        assert any(w in line for line in lines), f"{w!r} not in:\n{text}"


def _clean(text: str) -> None:
    bad = [
        line
        for line in text.splitlines()
        if NOISE.search(line) and not line.startswith("note:") and "method:" not in line
    ]
    assert not bad, bad


def _cli(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args))
    return res.exit_code, res.output


# -- Stackelberg ---------------------------------------------------------------------------------
# crisis-normal-form at the defaults, US leading: Russia compromises iff the US is firm with
# probability q >= 1/4 (C pays 1/2, A pays -q + (1 - q)); the US gets 1 - 0.2 q against C, best at
# q = 1/4: 19/20. The unique Nash equilibrium pays the US 1/2, so commitment is worth 9/20 = 0.45.


def test_stackelberg_table_floats_and_exact():
    g = load("crisis-normal-form").to_game()
    sol = solve(g, concept="stackelberg", leader="US")
    text = render_table(sol)
    _has(
        text,
        "US (leader) commits to",
        "F 0.25",
        "S 0.75",
        "RU (follower) responds C (its payoff 0.5)",
        "US's payoff 0.95",
        "US's Nash payoffs best 0.5, worst 0.5",
        "value of commitment 0.45 over the best Nash payoff, 0.45 over the worst",
        "tie-breaking strong: the follower breaks ties in the leader's favour",
        "attained yes: a commitment reaches this payoff",
    )
    _clean(text)
    assert "[[" not in text and "{" not in text
    exact = render_table(solve(g, concept="stackelberg", leader="US", exact=True))
    _has(exact, "F 1/4", "S 3/4", "US's payoff 19/20", "value of commitment 9/20 over the best Nash payoff")


def test_stackelberg_weak_supremum_says_not_attained():
    # Conitzer-Sandholm: leader U dominant; committing to U with p >= 1/2 makes Left a best
    # response, Right pays the leader 3 + p; weakly, 7/2 is approached as p -> 1/2 but not attained
    cs = NormalFormGame.from_arrays(
        [[2, 4], [1, 3]], [[1, 0], [0, 1]], players=["L", "F"], strategies=[["U", "D"], ["Left", "Right"]]
    )
    text = render_table(solve(cs, concept="stackelberg", tie_break="weak", exact=True))
    _has(
        text,
        "L's payoff 7/2",
        "attained no: the payoff is a supremum",
        "tie-breaking weak: the follower breaks ties against the leader",
    )


def test_stackelberg_row_columns():
    g = load("crisis-normal-form").to_game()
    row = equilibrium_rows(solve(g, concept="stackelberg", leader="US", exact=True))[0]
    assert row["commitment:F"] == F(1, 4) and row["commitment:S"] == F(3, 4)
    assert row["value_of_commitment:over_best_nash"] == F(9, 20)
    assert row["nash_payoffs:best"] == F(1, 2) and row["leader_payoff"] == F(19, 20)
    assert row["follower_response"] == "C" and row["attained"] is True and row["leader"] == "US"
    assert row["payoff:US"] == F(19, 20) and row["p:US:F"] == F(1, 4)


def test_json_keeps_full_floats():
    g = load("crisis-normal-form").to_game()
    sol = solve(g, concept="stackelberg", leader="US")
    data = json.loads(render_json(sol))
    eq = data["equilibria"][0]
    assert eq["commitment"] == [0.25, 0.75]
    assert (
        eq["value_of_commitment"]["over_best_nash"] == sol[0].extra["value_of_commitment"]["over_best_nash"]
    )


# -- correlated ----------------------------------------------------------------------------------
# Aumann's chicken (C,C)=(6,6), (C,D)=(2,7), (D,C)=(7,2), (D,D)=(0,0): the welfare optimum puts
# 1/2 on (C,C), 1/4 on (C,D) and (D,C) (welfare 21/2). A player told C (probability 3/4) knows the
# other was told C with probability (1/2)/(3/4) = 2/3 and D with 1/3; told D, the other was told C.
AUMANN = NormalFormGame.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]], strategies=[["C", "D"], ["C", "D"]])


def test_correlated_matrix_and_mediator_words():
    text = render_table(solve(AUMANN, concept="correlated", exact=True))
    _has(
        text,
        "objective welfare (the sum of payoffs) = 21/2",
        "distribution (rows player 1, columns player 2)",
        "1 \\ 2 C D",
        "C 1/2 1/4",
        "D 1/4 0",
        "payoffs 1 21/4, 2 21/4",
        "player 1 hears C (probability 3/4): then player 2 was told C with probability 2/3, D 1/3",
        "player 2 hears D (probability 1/4): then player 1 was told C with probability 1",
        "obeying is a best response for each player",
    )
    assert "distribution:" not in text and "[{" not in text
    row = equilibrium_rows(solve(AUMANN, concept="correlated", exact=True))[0]
    assert (row["joint:C:C"], row["joint:C:D"], row["joint:D:C"], row["joint:D:D"]) == (
        F(1, 2),
        F(1, 4),
        F(1, 4),
        0,
    )
    assert row["objective"] == "welfare" and row["objective:value"] == F(21, 2)


def test_chicken_correlated_and_coarse_print_no_negative_zero():
    # the library's chicken: a crash costs 10, so the best welfare is 0 (no crash, S/T or T/S)
    g = load("chicken").to_game()
    for concept in ("correlated", "coarse-correlated"):
        text = render_table(solve(g, concept=concept))
        _has(text, "objective welfare (the sum of payoffs) = 0")
        _clean(text)
    _has(render_table(solve(g, concept="coarse-correlated")), "coarse: each player agrees in advance")


def test_correlated_three_players_lists_profiles():
    # all three players get 1 at (a,a,a), 2 at (b,b,b), 0 otherwise: welfare is maximal (6) with
    # all the mass on (b,b,b), a Nash equilibrium, so obedience holds
    pay = np.zeros((2, 2, 2))
    pay[0, 0, 0], pay[1, 1, 1] = 1, 2
    g = NormalFormGame.from_arrays(pay, pay, pay, strategies=[["a", "b"]] * 3)
    text = render_table(solve(g, concept="correlated", exact=True))
    _has(
        text,
        "profiles with positive probability",
        "1 2 3 probability",
        "b b b 1",
        "objective welfare (the sum of payoffs) = 6",
        "player 1 hears b (probability 1): then players (2, 3) were told (b, b) with probability 1",
    )
    assert not any(line.strip().startswith("a a a") for line in text.splitlines())


def test_vertices_show_the_polytope():
    text = render_table(solve(AUMANN, concept="correlated", method="ce-vertices", exact=True))
    _has(text, "the correlated polytope: 5 vertices", "C 4/9 2/9", "D 2/9 1/9")


# -- persuasion ----------------------------------------------------------------------------------
# KG's prosecutor (prior 0.3 guilty; the judge convicts iff P(guilty) >= 1/2): report "convict" for
# every guilty defendant and for an innocent one with probability 0.3/0.7 = 3/7, so P(convict) =
# 0.3 + 0.7 * 3/7 = 0.6 with posterior 1/2, and "acquit" (0.4) with posterior 0. No information:
# acquit (0); full disclosure: convict the guilty (0.3); cheap talk is ignored (0).


def test_prosecutor_table():
    g = load("prosecutor-persuasion").to_game()
    text = render_table(solve(g, concept="persuasion"))
    _has(
        text,
        "signal: probability that Prosecutor recommends each action in each state",
        "state prior convict acquit",
        "guilty 0.3 1 0",
        "innocent 0.7 0.428571 0.571429",
        "recommendation probability P(guilty) P(innocent) Judge plays",
        "convict 0.6 0.5 0.5 convict",
        "acquit 0.4 0 1 acquit",
        "Prosecutor's payoff (optimal signal) 0.6",
        "with no information 0",
        "with full disclosure 0.3",
        "best cheap talk (no commitment) 0",
        "value of commitment 0.6 (over the best cheap talk)",
    )
    _clean(text)
    exact = render_table(solve(g, concept="persuasion", exact=True))
    _has(exact, "innocent 7/10 3/7 4/7", "Prosecutor's payoff (optimal signal) 3/5")
    row = equilibrium_rows(solve(g, concept="persuasion", exact=True))[0]
    assert row["signal:innocent:convict"] == F(3, 7) and row["recommend:convict"] == F(3, 5)
    assert row["posterior:convict:guilty"] == F(1, 2) and row["value_of_commitment"] == F(3, 5)
    assert row["cheap_talk:best_sender_payoff"] == 0 and row["full_disclosure"] == F(3, 10)


def test_endorsement_table_exact():
    # Russia holds iff P(resolute) >= g_A/(g_A + w) = 1/3. Endorse always when resolute (1/4) and
    # with probability s when irresolute so that (1/4)/(1/4 + 3/4 s) = 1/3: s = 2/3; Russia holds
    # with probability 1/4 + 1/2 = 3/4: the US gets 3/4 * 1 + 1/4 * (-1/2) = 5/8. Cheap talk and no
    # information: Russia advances, -0.1/4 - 0.5 * 3/4 = -2/5; commitment is worth 41/40.
    g = load("endorsement-persuasion").to_game()
    text = render_table(solve(g, concept="persuasion", exact=True))
    _has(
        text,
        "irresolute 3/4 2/3 1/3",
        "hold 3/4 1/3 2/3 hold",
        "advance 1/4 0 1 advance",
        "US's payoff (optimal signal) 5/8",
        "with no information -2/5",
        "value of commitment 41/40 (over the best cheap talk)",
    )


def test_persuasion_degenerate_prior_is_verified():
    # rho = 0: Russia knows the US is irresolute and advances; nothing to persuade (-1/2)
    g = load("endorsement-persuasion", rho=0)
    sol = solve(g, concept="persuasion", exact=True)
    assert sol[0].regret == 0 and sol[0].extra["sender_payoff"] == F(-1, 2)


# -- repeated ------------------------------------------------------------------------------------
# deterrence-repeated at the defaults: (R, H) = (1, 1), Russia's temptation 1.5 and the US's 1.2,
# Nash reversion to (E, A) = (0, 0): delta >= max(0.2/1.2, 0.5/1.5) = 1/3. (R, A) gives the US
# -0.5 < 0 while it gains by deviating: never. Pure minmax: US min(max(1, 1.2), max(-0.5, 0)) = 0,
# Russia likewise 0.


def test_repeated_discounted_table():
    g = load("deterrence-repeated").to_game()
    text = render_table(solve(g, concept="repeated", delta=0.5))
    _has(
        text,
        "SPE payoff set, δ = 0.5",
        "pure minmax US 0, RU 0",
        "stage Nash (E, A) payoffs (0, 0)",
        "profile payoffs δ at least at δ = 0.5 punishment",
        "(R, H) (1, 1) 0.333333 sustained reversion to (E, A)",
        "(R, A) (-0.5, 1.5) never not sustained -",
        "(E, A) (0, 0) 0 sustained",
        "pure SPE payoff set (public randomisation): polygon with",
        "US RU",
        "1 1",
    )
    _clean(text)
    exact = render_table(solve(g, concept="repeated", delta="1/4", exact=True))
    _has(exact, "δ = 1/4", "(R, H) (1, 1) 1/3 not sustained", "(R, A) (-1/2, 3/2) never")


def test_repeated_finite_path():
    g = load("deterrence-repeated").to_game()
    text = render_table(solve(g, concept="repeated", periods=3, exact=True))
    # a prisoners' dilemma with the unique stage equilibrium (E, A): it is played in every period
    _has(
        text,
        "SPE payoff set, 3 periods",
        "pure SPE payoffs, average per period over 3 periods: 1 vector",
        "0 0",
        "path: (E, A) in every period",
    )


def test_repeated_finite_two_stage_equilibria():
    # (T,T)=(5,5) then (M,M)=(3,3) is an SPE of the twice-played game (a deviation to M gains 1 and
    # is punished by (B,B) tomorrow, losing 2): average 4; the path is not unique
    A = [[5, 0, 0], [6, 3, 0], [0, 0, 1]]
    g = NormalFormGame.from_arrays(A, np.array(A).T.tolist(), strategies=[["T", "M", "B"]] * 2)
    text = render_table(solve(g, concept="repeated", periods=2, exact=True))
    _has(text, "4 4", "path: not unique")


def test_repeated_rows_and_csv_do_not_crash():
    g = load("deterrence-repeated").to_game()
    sol = solve(g, concept="repeated", delta=F(1, 2), exact=True)
    row = equilibrium_rows(sol)[0]
    assert row["trigger_delta:R:H"] == F(1, 3) and row["trigger_delta:R:A"] is None
    assert row["minmax:US"] == 0 and row["horizon:delta"] == F(1, 2)
    assert row["payoff_set:max:US"] >= 1 and row["payoff_set:max:RU"] >= 1  # (1, 1) is sustained
    assert "trigger_delta:R:H" in render_csv(sol).splitlines()[0]


def test_repeated_vertices_lose_float_noise():
    # a hand-made answer with the round-off an iteration leaves: -1e-09 prints as 0, 0.374999999 as 0.375
    g = load("deterrence-repeated").to_game()
    base = solve(g, concept="repeated", delta=0.5)[0]
    eq = base.with_extra(payoff_set_vertices=[[-1e-09, 0.374999999], [1.333333334, -0.0]])
    text = render_table(
        Solution(game=g, concept="repeated-spe-payoffs", method="aps", equilibria=(eq,), complete=True)
    )
    _has(text, "0 0.375", "1.333333 0")
    _clean(text)


# -- proper --------------------------------------------------------------------------------------


def test_proper_shows_tremble_orders():
    # chicken: at the pure equilibrium (S, T) each player's one unused strategy trembles at order ε;
    # the mixed equilibrium uses every strategy and needs no tremble
    g = load("chicken").to_game()
    sol = solve(g, concept="proper")
    text = render_table(sol)
    _has(
        text,
        "[0] pure (S, T)",
        "trembles P1: T ~ ε; P2: S ~ ε",
        "trembles none needed (every strategy is played)",
    )
    row = next(r for r in equilibrium_rows(sol) if r["label"] == "pure (S, T)")
    assert (row["tremble:P1:S"], row["tremble:P1:T"], row["tremble:P2:S"], row["tremble:P2:T"]) == (
        0,
        1,
        1,
        0,
    )


# -- the CLI and bargain explain -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["crisis-normal-form", "--concept", "stackelberg", "--leader", "US"],
        ["chicken", "--concept", "correlated"],
        ["chicken", "--concept", "coarse-correlated"],
        ["endorsement-persuasion"],
        ["prosecutor-persuasion"],
        ["deterrence-repeated", "--concept", "repeated", "--delta", "0.5"],
        ["deterrence-repeated", "--concept", "repeated", "--periods", "3"],
        ["battle-of-the-sexes", "--concept", "proper"],
    ],
)
def test_cli_tables_have_no_python_dumps(args):
    code, out = _cli("solve", *args)
    assert code in (0, 3), out
    assert "[[" not in out and '{"' not in out and ": [" not in out, out
    _clean(out)
    code, out = _cli("solve", *args, "--format", "csv")
    assert code in (0, 3) and out.count("\n") >= 2, out


def test_explain_prosecutor_concavification():
    code, out = _cli("explain", "prosecutor-persuasion")
    assert code == 0, out
    # v(mu) jumps from 0 to 1 at mu = 1/2; the prior 0.3 splits into 0 (weight 0.4) and 1/2 (0.6)
    _has(
        out,
        "convict and acquit tie at μ = 0.5",
        "0.5 convict 1",
        "0.3 (prior) acquit 0",
        "0 0.5 0.4·0 + 0.6·1 0.6",
        "0 1 0.7·0 + 0.3·1 0.3",
        "The best split sends Judge to μ = 0 (probability 0.4, where it plays acquit) and to μ = 0.5 "
        "(probability 0.6, where it plays convict): Prosecutor gets 0.6.",
        "innocent 3/7 ≈ 0.4286 4/7 ≈ 0.5714",
        "best cheap talk (no commitment) 0",
    )


def test_explain_endorsement_markdown():
    code, out = _cli("explain", "endorsement-persuasion", "--format", "markdown")
    assert code == 0, out
    assert out.startswith("# The US endorsement") and "## Step 3. Concavification at the prior" in out
    _has(
        out, "hold and advance tie at μ = 1/3 ≈ 0.3333", "| 0 | 1/3 ≈ 0.3333 | 0.25·(-0.5) + 0.75·1 | 0.625 |"
    )


def test_explain_refuses_three_states_in_one_line():
    g = PersuasionProblem(
        ("high", "mid", "low"),
        ("act", "wait"),
        (F(1, 5), F(2, 5), F(2, 5)),
        ((1, 1, 1), (0, 0, 0)),
        ((1, -2, -2), (0, 0, 0)),
    )
    with pytest.raises(
        Exception, match=r"concavification for two states; this problem has 3: bargain solve"
    ) as err:
        explain_persuasion(g)
    assert "\n" not in str(err.value)


def test_explain_no_information_is_best_at_a_high_prior():
    # prior 0.6 guilty: the judge already convicts; no split beats the prior
    code, out = _cli("explain", "prosecutor-persuasion", "--set", "p=0.6")
    assert code == 0 and "No split beats the prior" in out and "Prosecutor gets v(μ0) = 1" in out


def test_equilibrium_with_extra_is_the_only_input():
    # a Solution built by hand (no solver) renders too: the renderers read only documented fields
    g = load("crisis-normal-form").to_game()
    eq = Equilibrium(
        strategies=((F(1, 4), F(3, 4)), (1, 0)),
        payoffs=(F(19, 20), F(1, 2)),
        regret=0,
        label="mixed commitment (strong)",
        extra={
            "leader": "US",
            "follower": "RU",
            "commitment": [F(1, 4), F(3, 4)],
            "commitment_kind": "mixed",
            "follower_response": "C",
            "leader_payoff": F(19, 20),
            "tie_break": "strong",
            "attained": True,
            "nash_payoffs": {"best": F(1, 2), "worst": F(1, 2)},
            "value_of_commitment": {"over_best_nash": F(9, 20), "over_worst_nash": F(9, 20)},
        },
    )
    text = render_table(
        Solution(
            game=g, concept="stackelberg", method="commitment-lp", equilibria=(eq,), complete=True, exact=True
        )
    )
    _has(text, "value of commitment 9/20 over the best Nash payoff")
