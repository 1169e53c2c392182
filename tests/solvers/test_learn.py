"""Learning dynamics: the textbook behaviour, derived by hand, and `bargain learn`.

- Matching pennies (unique equilibrium (1/2, 1/2) for both, by the indifference conditions):
  fictitious play's time averages converge to it (Robinson 1951, zero-sum games); the
  two-population replicator dynamic has the constant of motion
  H = log x + log(1-x) + log y + log(1-y) (x, y the probabilities of H), so its orbits are closed
  curves around (1/2, 1/2) (Hofbauer & Sigmund 1998, §10.5): it cycles, never converges;
  alternating best responses cycle through the four pure profiles.
- A coordination game (payoffs 2 on (L, L), 1 on (R, R), 0 off the diagonal): both pure profiles
  on the diagonal are strict equilibria; alternating best responses stop at one of them from
  every start (the game is a potential game).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

import bargaining
from bargaining.cli import main
from bargaining.errors import BargainingError
from bargaining.model.normal import NormalFormGame
from bargaining.solvers.dynamics import classify, learn

MP = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], title="pennies")
COORD = NormalFormGame.from_arrays([[2, 0], [0, 1]], [[2, 0], [0, 1]], title="coordination")


def _H(s: np.ndarray) -> np.ndarray:
    x, y = s[:, 0], s[:, 2]
    return np.log(x) + np.log(1 - x) + np.log(y) + np.log(1 - y)


def test_fictitious_play_time_averages_converge_in_matching_pennies():
    run = learn(MP, "fictitious", steps=3000, seed=3)
    assert run.status == "converged" and run.equilibrium == 0
    assert np.allclose(run.equilibria, [[[0.5, 0.5], [0.5, 0.5]]])
    assert np.max(np.abs(run.states[-1] - 0.5)) < 0.05
    # the averages really move towards 1/2: the late error is far below the early one
    early = np.max(np.abs(run.states[:50] - 0.5))
    assert early > 0.2 and np.max(np.abs(run.states[-300:] - 0.5)) < 0.05


def test_replicator_cycles_in_matching_pennies():
    run = learn(MP, "replicator", steps=2000, start=((0.8, 0.2), (0.5, 0.5)))
    assert run.status == "cycles" and run.equilibrium is None
    H = _H(run.states)
    assert np.max(np.abs(H - H[0])) < 1e-3  # the constant of motion is conserved
    # the orbit goes round the equilibrium: x takes values on both sides of 1/2, and stays away:
    # x(1-x)y(1-y) = 0.16 * 0.25 = 0.04 on the orbit; if |x-1/2|, |y-1/2| <= r then the product is
    # >= (1/4 - r^2)^2, so r >= sqrt(1/4 - 1/5) = 0.2236 at every point
    x = run.states[:, 0]
    assert x.min() < 0.25 and x.max() > 0.75
    assert np.min(np.max(np.abs(run.states - 0.5), axis=1)) > 0.22


def test_best_response_cycles_in_matching_pennies_and_converges_in_coordination():
    run = learn(MP, "best-response", steps=20, start=(0, 0))
    assert run.status == "cycles"
    coord = learn(COORD, "best-response", steps=20, runs=50, seed=1)
    pure = [((1.0, 0.0), (1.0, 0.0)), ((0.0, 1.0), (0.0, 1.0))]
    for r in coord.runs:
        assert r["status"] == "converged"
        x, y = r["final"]
        assert (tuple(x), tuple(y)) in pure
        assert np.allclose(coord.equilibria[r["equilibrium"]], [x, y])
    # from (R, L): player 1 best-responds to L with L, then player 2 keeps L: (L, L)
    one = learn(COORD, "best-response", steps=10, start=(1, 0))
    assert one.runs[0]["final"] == [[1.0, 0.0], [1.0, 0.0]]


def test_logit_dynamics_rest_near_nash_and_stochastic_fp():
    run = learn(MP, "logit", steps=1500, seed=2)  # QRE of matching pennies is (1/2, 1/2) exactly
    assert run.status == "converged" and run.equilibrium == 0
    sfp = learn(MP, "stochastic-fictitious", steps=3000, seed=0)
    assert sfp.status == "converged" and sfp.equilibrium == 0


def test_classify_on_synthetic_paths():
    t = np.linspace(0, 60, 3000)
    circle = np.column_stack(
        [0.5 + 0.3 * np.cos(t), 0.5 - 0.3 * np.cos(t), 0.5 + 0.3 * np.sin(t), 0.5 - 0.3 * np.sin(t)]
    )
    eq = [np.full(4, 0.5)]
    assert classify(circle, eq, match_tol=0.02, rest_tol=1e-3)[0] == "cycles"
    spiral = 0.5 + (circle - 0.5) * np.exp(-t / 5)[:, None]
    assert classify(spiral, eq, match_tol=0.02, rest_tol=1e-3)[:2] == ("converged", 0)


def test_user_errors():
    with pytest.raises(BargainingError, match="unknown dynamics"):
        learn(MP, "gradient")
    with pytest.raises(BargainingError, match="two players"):
        learn(bargaining.load("crisis-four-powers"), "fictitious", steps=10)
    with pytest.raises(BargainingError, match="sum to 1"):
        learn(MP, "replicator", start=((0.9, 0.9), (0.5, 0.5)))


def test_cli_learn(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["learn", "matching-pennies", "--dynamics", "replicator", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["status"] == "cycles" and data["equilibrium"] is None
    assert len(data["trajectory"]) == 2000
    res = runner.invoke(main, ["learn", "matching-pennies", "--dynamics", "fictitious", "--steps", "2000"])
    assert res.exit_code == 0 and "converge to Nash equilibrium [0]" in res.output
    out = tmp_path / "t.csv"
    res = runner.invoke(
        main,
        ["learn", "battle-of-the-sexes", "--dynamics", "best-response", "--format", "csv", "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    assert out.read_text().splitlines()[0].startswith("t,p:")
    res = runner.invoke(main, ["learn", "crisis-four-powers", "--dynamics", "logit"])
    assert res.exit_code == 2 and "two players" in res.output


def test_cli_learn_picture(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "mp.svg"
    res = CliRunner().invoke(
        main, ["learn", "matching-pennies", "--dynamics", "replicator", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert out.read_text().lstrip().startswith("<?xml")
