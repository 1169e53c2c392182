"""A new user's mistakes: each is one line naming the file, the place and the fix, exit code 2,
no traceback; and the reports a new user reads (failed sweep points, off-path SPE, paths)."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from bargaining.cli import main
from bargaining.formats.load import load
from bargaining.solvers.api import solve
from bargaining.verify.normal import is_nash
from bargaining.verify.tree import spe_regret

GAMES = Path(__file__).resolve().parents[2] / "bargaining" / "games"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def one_line_error(result, *needles: str) -> str:
    """The single ``Error:`` line of a user error (exit 2, no traceback), holding ``needles``."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [x for x in result.output.splitlines() if x.strip()]
    errors = [x for x in lines if x.startswith("Error: ")]
    assert len(errors) == 1, result.output
    for needle in needles:
        assert needle in errors[0], result.output
    return errors[0]


# -- 2, 7: option values ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args, needles",
    [
        (("solve", "resolve-signal", "--timeout", "-1"), ("--timeout", "-1")),
        (
            ("sweep", "resolve-signal", "--grid", "p=0:1:3", "--out", "x.csv", "--point-timeout", "-5"),
            ("--point-timeout", "-5"),
        ),
        (("solve", "chain-store", "--set", "N=2.5"), ("N must be a whole number, got 2.5",)),
        (("solve", "resolve-signal", "--set", "p=abc"), ("parameter p: expected a number", "'abc'")),
        (
            ("solve", "resolve-signal", "--set", "p=0.25", "--set", "p=0.4"),
            ("--set p is given twice", "give it once"),
        ),
        (
            (
                "sweep",
                "resolve-signal",
                "--grid",
                "p=0:1:3",
                "--out",
                "x.csv",
                "--set",
                "c_B=1",
                "--set",
                "c_B=2",
            ),
            ("--set c_B is given twice",),
        ),
    ],
)
def test_option_errors(args, needles, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = one_line_error(run(*args), *needles)
    assert "Fraction(" not in line and "unknown name" not in line


# -- 3: a concept the game does not offer ---------------------------------------------------------
def test_concept_not_offered_names_the_offered_ones():
    line = one_line_error(
        run("solve", "resolve-signal", "--concept", "nash"),
        "resolve-signal is a signaling game",
        "concept nash is not offered",
        "--concept pbe (the default)",
    )
    assert "backward" not in line  # not a method the user never gave
    one_line_error(run("solve", "battle-of-the-sexes", "--concept", "spe"), "--concept nash (the default)")


# -- 4: game-file errors name the file and line ----------------------------------------------------
def _variant(tmp_path: Path, game: str, old: str, new: str, name: str) -> Path:
    text = (GAMES / f"{game}.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_tree_errors_name_file_and_line(tmp_path):
    bad = _variant(tmp_path, "entry-deterrence", "  player: Entrant", "  player: C", "player.yaml")
    one_line_error(run("solve", str(bad)), f"{bad}:{_line_of(bad, 'player: C')}: root: player 'C'")
    bad = _variant(
        tmp_path,
        "entry-deterrence",
        "Out: {payoffs: [0, m], name: out}",
        "Out: {payoffs: [0], name: out}",
        "short.yaml",
    )
    one_line_error(run("solve", str(bad)), f"{bad}:{_line_of(bad, 'Out:')}: root/Out: terminal has 1 payoffs")
    infoset = tmp_path / "infoset.yaml"
    infoset.write_text(
        "kind: tree\nplayers: [A, B]\nroot:\n  player: A\n  actions:\n"
        "    L: {player: B, infoset: h, actions: {x: {payoffs: [1, 1]}, y: {payoffs: [0, 0]}}}\n"
        "    R: {player: B, infoset: h, actions: {x: {payoffs: [1, 1]}, z: {payoffs: [0, 0]}}}\n"
    )
    one_line_error(run("solve", str(infoset)), f"{infoset}:6: information set 'h'")


def test_signaling_and_model_errors_name_file(tmp_path):
    bad = _variant(
        tmp_path,
        "beer-quiche",
        "types: {strong: 1 - w, weak: w}",
        "types: {strong: 1 - w, weak: 0}",
        "prior.yaml",
    )
    one_line_error(run("show", str(bad)), f"{bad}:{_line_of(bad, 'types:')}:", "the prior sums to 9/10")
    bad = _variant(tmp_path, "rubinstein", "model: rubinstein", "model: rubinstien", "model.yaml")
    one_line_error(
        run("solve", str(bad)), f"{bad}:", "unknown model 'rubinstien'", "did you mean 'rubinstein'"
    )
    one_line_error(run("solve", "rubinstien"), "unknown game 'rubinstien'", "did you mean 'rubinstein'")


def test_experiment_checks_game_and_plots_before_sweeping(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "e1.yaml").write_text('game: resolve-signl\ngrid: {p: "0:1:3"}\n')
    one_line_error(run("run", "e1.yaml"), "e1.yaml:1: game: unknown game 'resolve-signl'", "'resolve-signal'")
    (tmp_path / "e3.yaml").write_text('game: resolve-signal\ngrid: {p: "0:1:3"}\nplots: [{x: q, y: c_B}]\n')
    one_line_error(
        run("run", "e3.yaml"),
        "e3.yaml:3: plots[0].x: 'q' is not a parameter of resolve-signal",
        "parameters: p, ",
    )
    (tmp_path / "e4.yaml").write_text(
        'game: resolve-signal\ngrid: {p: "0:1:3"}\nplots: [{x: p, value: "payoff:Z"}]\n'
    )
    one_line_error(run("run", "e4.yaml"), "plots[0].value", "'Z' is not a player")
    assert not (tmp_path / "results").exists()  # nothing was swept


# -- 1, 12: sweeps report failed points and real paths ---------------------------------------------
def test_sweep_reports_failed_points(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "div.yaml").write_text(
        "kind: tree\nparameters:\n  - {name: b, default: 1, range: [-1, 1]}\nplayers: [A, B]\n"
        "root:\n  player: A\n  actions:\n    L: {payoffs: [1/b, 0]}\n    R: {payoffs: [0, 1]}\n"
    )
    out = tmp_path / "sub" / "d.jsonl"
    out.parent.mkdir()
    for quiet in ((), ("-q",)):
        res = run(
            "sweep",
            "div.yaml",
            "--grid",
            "b=-1:1:3",
            "--out",
            str(out),
            "--executor",
            "serial",
            *quiet,
            "--force",
        )
        assert res.exit_code == 0, res.output  # the sweep completed: failures are recorded results
        summary = [x for x in res.output.splitlines() if "points of" in x]
        assert len(summary) == 1
        assert (
            "2 solved, 1 failed" in summary[0]
            and f"error column of {out.parent / 'd.regimes.jsonl'}" in summary[0]
        )
        assert f"wrote {out}" in summary[0]
        regimes = [json.loads(x) for x in (out.parent / "d.regimes.jsonl").read_text().splitlines()]
        assert [r["error"] is not None for r in regimes] == [False, True, False]
        assert "division by zero" in regimes[1]["error"]
        # the solved points are the SPE of the game at those points (independently verified)
        for r in regimes[::2]:
            game = load(str(tmp_path / "div.yaml"), {"b": str(r["b"])})
            sol = solve(game)
            assert all(spe_regret(game, eq.behavior) == 0 for eq in sol.equilibria)
            assert r["regime"] == sol.equilibria[0].label
        out.unlink()


# -- 6: plot messages --------------------------------------------------------------------------------
def test_plot_messages(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    one_line_error(run("plot", "nosuch.csv", "--x", "p", "--y", "c_B"), "nosuch.csv: no such file")
    assert "regimes" not in run("plot", "nosuch.csv", "--x", "p", "--y", "c_B").output
    res = run(
        "sweep",
        "crisis-normal-form",
        "--grid",
        "w=0:4:3",
        "--grid",
        "k_F=0:1:2",
        "--out",
        "c.csv",
        "--executor",
        "serial",
        "-q",
    )
    assert res.exit_code == 0, res.output
    one_line_error(run("plot", "c.csv", "--x", "w"), "give --y PARAM (a regime map) or --value COLUMN")
    one_line_error(
        run("plot", "c.csv", "--x", "q", "--value", "p:US:F"),
        "--x q: not a parameter of the sweep",
        "parameters: W, k_F",
    )
    line = one_line_error(run("plot", "c.csv", "--x", "w", "--value", "p:US:X"), "no column 'p:US:X'")
    assert "p:US:F" in line and "p:RU:C" in line
    pytest.importorskip("matplotlib")
    res = run("plot", "c.csv", "--x", "w", "--value", "p:US:F")
    assert res.exit_code == 0, res.output
    warnings = [x for x in res.output.splitlines() if x.startswith("warning:")]
    assert len(warnings) == 1 and "k_F" in warnings[0] and "--where k_F=" in warnings[0]
    res = run("plot", "c.csv", "--x", "w", "--value", "p:US:F", "--where", "k_F=1")
    assert res.exit_code == 0 and "warning" not in res.output


# -- 8, 9: show and games for models -----------------------------------------------------------------
@pytest.mark.parametrize("name", ["rubinstein", "territory-bargain", "crawford-sobel", "deep-state-dynamic"])
def test_show_model_is_readable(name):
    res = run("show", name)
    assert res.exit_code == 0, res.output
    assert "{'" not in res.output and "'parameters':" not in res.output
    assert re.search(r"^model: \S+", res.output, re.M) and re.search(r"^players: ", res.output, re.M)
    assert "range" in res.output


# -- 10: --exact JSON numbers are strings; float round-off regret is 0 -------------------------------
def _numbers(x):
    if isinstance(x, dict):
        for v in x.values():
            yield from _numbers(v)
    elif isinstance(x, list):
        for v in x:
            yield from _numbers(v)
    elif isinstance(x, (int, float)) and not isinstance(x, bool):
        yield x


@pytest.mark.parametrize("name", ["escalation-tree", "entry-deterrence", "battle-of-the-sexes"])
def test_exact_json_numbers_are_strings(name):
    data = json.loads(run("solve", name, "--exact", "--format", "json").stdout)
    keys = ("strategies", "behavior", "beliefs", "outcomes", "payoffs", "regret")
    for eq in data["equilibria"]:
        assert not list(_numbers({k: eq[k] for k in keys if k in eq})), eq
        assert eq["regret"] == "0"


def test_float_model_regret_is_clean():
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run("solve", "rubinstein", "--format", "csv").stdout)))
    assert float(rows[0]["regret"]) == 0.0 and "e-" not in rows[0]["regret"]
    # the share is still the closed form 10/19 (Rubinstein 1982)
    assert float(rows[0]["solution:shares:1"]) == pytest.approx(10 / 19, abs=1e-12)


# -- 11: many SPE that differ off the path ----------------------------------------------------------
def test_off_path_note_points_to_tie_break():
    out = run("solve", "wedge").output
    notes = [x for x in out.splitlines() if "differ only in choices off the equilibrium path" in x]
    assert len(notes) == 1 and "--tie-break file" in notes[0]
    game = load("wedge")
    sol = solve(game)
    outcomes = {tuple(eq.outcomes) for eq in sol.equilibria}
    assert f"they have {len(outcomes)} outcomes" in notes[0] and len(outcomes) < len(sol.equilibria)
    # one note, not for a game with one SPE
    assert "off the equilibrium path" not in run("solve", "entry-deterrence").output


# -- 13: the .nfg is the YAML game ------------------------------------------------------------------
def test_battle_of_the_sexes_nfg_is_the_yaml_game():
    a, b = load(str(GAMES / "battle-of-the-sexes.nfg")), load("battle-of-the-sexes")
    assert list(a.players) == list(b.players) and [list(s) for s in a.strategies] == [
        list(s) for s in b.strategies
    ]
    for i in range(2):
        assert (a.payoffs[i] == b.payoffs[i]).all()
    sol = solve(a, exact=True)
    for eq in sol.equilibria:
        assert is_nash(a, eq.strategies)
    mixed = [eq for eq in sol.equilibria if not eq.is_pure]
    assert len(mixed) == 1 and mixed[0].strategies[0][0] == Fraction(2, 3)  # hi/(hi + lo) at the defaults


def test_signaling_sweep_records_points_without_a_game(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = _variant(
        tmp_path,
        "beer-quiche",
        "types: {strong: 1 - w, weak: w}",
        "types: {strong: 1 - w, weak: 0.1}",
        "pq.yaml",
    )
    res = run("sweep", str(bad), "--grid", "w=0:0.2:3", "--out", "pq.jsonl", "--executor", "serial", "-q")
    assert res.exit_code == 0, res.output
    assert "1 solved, 2 failed" in res.output
    regimes = [json.loads(x) for x in (tmp_path / "pq.regimes.jsonl").read_text().splitlines()]
    assert [r["error"] is None for r in regimes] == [False, True, False]
    assert "the prior sums to 11/10" in regimes[0]["error"] and str(bad) in regimes[0]["error"]
    # w = 0.1 is beer-quiche itself: the same regime as solving it directly
    direct = solve(load("beer-quiche", {"w": "0.1"}))
    assert regimes[1]["equilibria"] == len(direct.equilibria)
