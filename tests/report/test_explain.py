"""``bargain explain``: the derivation contains the numbers a teacher needs."""

from __future__ import annotations

from click.testing import CliRunner

import bargaining
from bargaining.cli import main
from bargaining.report.explain import explain


def run(*args):
    res = CliRunner().invoke(main, ["explain", *args])
    return res.exit_code, res.output


def test_g1_explain_text_has_each_step_with_numbers():
    code, out = run("resolve-signal")
    assert code == 0
    # later stage by backward induction
    assert "Type B after E, A: F gives -0.8; D gives -0.5. It chooses D" in out
    # the receiver's threshold belief mu* = 0.3
    assert "The receiver prefers C iff μ ≥ 0.3" in out
    # Bayes' rule with the numbers of G1 (docs/scenarios.md): 0.25/(0.25 + 0.75 * 7/9) = 0.3
    assert "P(S | E) = 0.25·1 / (0.25·1 + 0.75·7/9) = 0.3" in out
    # the indifference that pins each mixing probability
    assert "σ = 0.25·1·0.7 / (0.75·(1 − 0.7)) = 7/9" in out
    assert "q = (0 − (-0.5)) / (0.7 − (-0.5)) = 5/12" in out
    # incentive constraints and off-path deterrence of the pooling equilibrium
    assert "S stays away iff q·0.9 + (1 − q)·0.1 ≤ 0.2, i.e. q = P(C | E) ≤ 0.125" in out
    assert "B stays away iff q·0.7 + (1 − q)·(-0.5) ≤ 0, i.e. q = P(C | E) ≤ 5/12" in out
    # refinements: what each keeps or kills
    assert "D1 fails at E" in out and "The intuitive criterion keeps 0, 1; D1 keeps 1." in out


def test_beer_quiche_markdown_and_ic_kill():
    code, out = run("beer-quiche", "--format", "markdown")
    assert code == 0
    assert out.startswith("# Beer-quiche") and "## Step 3. The perfect Bayesian equilibria" in out
    assert "| type | message | duel | not |" in out
    assert "intuitive criterion fails at beer" in out
    assert "The intuitive criterion keeps 0; D1 keeps 0." in out


def test_explain_with_parameters_and_ties():
    out = explain(bargaining.load("resolve-signal").with_params(a="0.5"))
    assert "indifferent: every tie-break is solved" in out
    assert "may be incomplete" in out
    code, out = run("resolve-signal", "--set", "p=0.4")
    assert code == 0 and "pooling on E" in out and "5/14" in out


def test_explain_rejects_other_kinds_in_one_line():
    code, out = run("battle-of-the-sexes")
    assert code == 2 and "signaling games" in out and len(out.strip().splitlines()) == 1
