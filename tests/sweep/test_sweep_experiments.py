"""Experiment files (bargain run) and sweep pictures (bargain plot)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bargaining.cli import main
from bargaining.errors import BargainingError
from bargaining.sweep.experiment import load_experiment, run_experiment
from bargaining.sweep.store import read_table

ROOT = Path(__file__).resolve().parents[2]
EXPERIMENTS = sorted((ROOT / "experiments").glob("*.yaml"))


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.stem)
def test_every_experiment_file_is_valid_and_names_a_question(path):
    exp = load_experiment(path)
    assert exp.question in {"Q1", "Q2", "Q3", "Q4", "Q5"}
    assert exp.grid or exp.sample
    from bargaining.sweep.spec import make_spec

    spec = make_spec(exp.game, fixed=exp.fixed, grid=list(exp.grid), sample=exp.sample, seed=exp.seed)
    assert len(spec.points) > 1


def test_experiments_cover_the_five_questions():
    assert {load_experiment(p).question for p in EXPERIMENTS} == {"Q1", "Q2", "Q3", "Q4", "Q5"}


@pytest.mark.parametrize(
    "text, message",
    [
        ("game: crisis-normal-form\n", "give a grid"),
        ("game: crisis-normal-form\ngrid: {w: 1:30:10}\n", "quoted"),
        ("game: crisis-normal-form\ngrid: {w: '0:1:3'}\nbogus: 1\n", "bogus: unknown key"),
        ("grid: {w: '0:1:3'}\n", "game:"),
        ("game: crisis-normal-form\ngrid: {w: '0:1:3'}\nplots: [{x: w}]\n", "plots:"),
        ("game: crisis-normal-form\nsample: {n: 3}\n", "sample:"),
        ("game: [\n", "not valid YAML"),
    ],
)
def test_bad_experiment_file_is_one_line_error(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(BargainingError) as err:
        load_experiment(path)
    assert message in str(err.value) and "\n" not in str(err.value) and "bad.yaml" in str(err.value)


def test_run_experiment_with_tree_game_matches_scenarios_q5(tmp_path, monkeypatch):
    # G2 of docs/scenarios.md / Q5: the route "troops without Art. 5" (E0, accepted: C) is the SPE path
    # iff c_P < 0.4 <= c_U0
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "q5.yaml"
    path.write_text(
        "name: q5small\nquestion: Q5\ngame: escalation-tree\n"
        "grid: {c_U0: '0.2:0.6:2', c_P: '0.2:0.6:2'}\nplots: [{x: c_U0, y: c_P}]\n"
    )
    meta = run_experiment(load_experiment(path), executor="serial", quiet=True)
    regimes = read_table(tmp_path / "results" / "q5small.regimes.csv")
    got = {(r["c_U0"], r["c_P"]): r["regime"] for r in regimes}
    assert got[(0.6, 0.2)] == "pure: E0 C"
    assert got[(0.2, 0.2)] != "pure: E0 C" and "E0 C" not in got[(0.6, 0.6)]
    assert [Path(f).is_file() and Path(f).stat().st_size > 1000 for f in meta["figures"]] == [True]


def test_cli_run_and_plot(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    res = runner.invoke(
        main,
        [
            "run",
            str(ROOT / "experiments" / "q2-crisis-mixing.yaml"),
            "--executor",
            "serial",
            "--out",
            "q2.parquet",
        ],
    )
    assert res.exit_code == 0, res.output
    rows = read_table(tmp_path / "q2.parquet")
    # G3a of docs/scenarios.md at the defaults (w = 1, k_F = 0.2): US firm 1/4, Russia advances 1/3
    at = [r for r in rows if r["w"] == 1 and r["k_F"] == 0.2]
    assert len(at) == 1 and at[0]["p:US:F"] == pytest.approx(0.25) and at[0]["p:RU:A"] == pytest.approx(1 / 3)
    for fig in ("q2.w-k_F.png", "q2.w-p_US_F.png", "q2.k_F-p_RU_A.png"):
        assert (tmp_path / fig).stat().st_size > 1000
    res = runner.invoke(main, ["plot", "q2.parquet", "--x", "w", "--y", "k_F", "--out", "m.svg"])
    assert res.exit_code == 0 and (tmp_path / "m.svg").read_text().startswith("<?xml")
    res = runner.invoke(main, ["plot", "q2.parquet", "--x", "w", "--value", "nope"])
    assert res.exit_code == 2 and "no column 'nope'" in res.output
    res = runner.invoke(main, ["plot", "q2.parquet", "--x", "w"])
    assert res.exit_code == 2 and "--y" in res.output
    res = runner.invoke(main, ["plot", "q2.parquet", "--x", "w", "--y", "k_F", "--out", "m.gif"])
    assert res.exit_code == 2
