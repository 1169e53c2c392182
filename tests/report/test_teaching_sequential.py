"""Teaching output for sequential equilibria: the belief P3 needs in Selten's horse, why (D, c, L)
fails, and belief sets (not points) in the table."""

from __future__ import annotations

from click.testing import CliRunner

from bargaining.cli import main


def run(*args):
    res = CliRunner().invoke(main, list(args))
    return res.exit_code, res.output


def test_explain_seltens_horse_states_the_belief_and_the_failure():
    """At h3 = {(C, d), D}, R gives (1 − μ)·1 and L gives μ·2 (μ = μ(D)): R is a best reply iff
    μ ≤ 1/3. (D, c, L) is subgame perfect (no proper subgame) but P2's set is a single node off
    the path, where d gives 4 > 1 = c."""
    for extra in ((), ("--concept", "sequential")):
        code, out = run("explain", "seltens-horse", *extra)
        assert code == 0, out
        assert "P3 plays R at 'h3' only if its belief μ = μ(after D) satisfies μ(after D) ≤ 1/3" in out
        assert "L gives (1 − μ)·0 + μ·2; R gives (1 − μ)·1 + μ·0" in out
        assert "P1:1: D; P2:1: c; h3: L: NOT sequential" in out
        assert "single node" in out and "d gives 4 > 1, so c is not sequentially rational" in out


def test_explain_concept_must_fit_the_game():
    code, out = run("explain", "beer-quiche", "--concept", "sequential")
    assert code == 2 and "does not apply to a signaling game" in out


def test_table_prints_the_belief_set():
    code, out = run("solve", "seltens-horse", "--concept", "sequential", "--exact")
    assert "h3: μ(after D) ∈ [0, 1/3]" in out  # the pure (C, c, R) assessment: a set of beliefs
    assert "h3: μ(after D) = 1/3" in out  # the mixed family: P3 indifferent


def test_table_shows_the_range_of_a_sequential_set():
    """Selten's horse: the sequential set (C, c, q_L) with q_L in [0, 1/4] (P2 keeps c iff
    4 q_L <= 1; P3 mixes only at mu(after D) = 1/3) is printed with its range, not only the point
    that represents it."""
    from click.testing import CliRunner

    from bargaining.cli import main

    res = CliRunner().invoke(main, ["solve", "seltens-horse", "--concept", "sequential", "--exact"])
    assert res.exit_code == 3, res.output  # incomplete: sets where two information sets mix are not searched
    assert "a set of dimension 1" in res.output
    assert "h3: L from 0 to 1/4, R from 3/4 to 1" in res.output
