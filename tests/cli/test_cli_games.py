"""The scenario-library commands: ``bargain games``, the parameter section of ``bargain show``,
``bargain solve NAME --set``, canonical ids, ``bargain convert``, and their one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bargaining.cli import main
from bargaining.formats.load import known_game_names

GAMES_DIR = Path(__file__).resolve().parents[2] / "bargaining" / "games"


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, (result.output, result.exception)
    return result


def test_games_table_one_line_each():
    out = run("games").output.splitlines()
    names = [line.split()[0] for line in out]
    assert names == known_game_names()
    line = next(x for x in out if x.startswith("escalation-tree "))
    assert " tree " in line and "US, RU, EU" in line and "psi=-0.4" in line


def test_games_json_shape():
    entries = json.loads(run("games", "--format", "json").stdout)
    by_name = {e["name"]: e for e in entries}
    assert set(by_name) == set(known_game_names())
    for e in entries:
        assert {"name", "kind", "title", "players", "parameters"} <= set(e)
        assert e["kind"] in ("normal", "tree", "signaling", "model", "persuasion")
        for p in e["parameters"]:
            assert set(p) >= {"name", "default", "range", "meaning"}
    g1 = by_name["crisis-normal-form"]
    assert g1["players"] == ["US", "RU"]
    assert g1["parameters"][1] == {
        "name": "k_F",
        "default": 0.2,
        "range": [0, 10],
        "meaning": "cost of firmness to the US (China focus diverted)",
        "range_open": [False, False],
        "range_text": "[0, 10]",
    }
    # an open end is shown: delta_1 = 0 is refused, so the JSON must not read as [0, 1]
    delta_1 = by_name["rubinstein"]["parameters"][0]
    assert delta_1["range"] == [0, 1] and delta_1["range_open"] == [True, True]
    assert delta_1["range_text"] == "(0, 1)"
    refused = CliRunner().invoke(main, ["solve", "rubinstein", "--set", "delta_1=0"])
    assert refused.exit_code == 2 and "outside its range (0, 1)" in refused.output


def test_show_prints_parameters_with_point():
    out = run("show", "tripwire", "--set", "rho_bar=0.25").output
    assert "parameters (tripwire(rho_bar=0.25)):" in out
    assert "rho_bar = 0.25 (default 0.05)  range [0, 1]" in out
    assert "W       = 10  range [0, 100]  cost of general war to both" in out
    out = run("show", "tripwire(W=0.4)").output
    assert "warning: constraint W > l_U fails" in out
    # Gambit files have no parameter section
    assert "parameters" not in run("show", str(GAMES_DIR / "battle-of-the-sexes.nfg")).output


def test_solve_by_name_with_set_and_canonical_id():
    a = json.loads(
        run(
            "solve", "crisis-normal-form", "--set", "k_F=0.4", "--set", "w=3", "--format", "json", "--exact"
        ).stdout
    )
    b = json.loads(run("solve", "crisis-normal-form(k_F=0.4,w=3)", "--format", "json", "--exact").stdout)
    assert a["equilibria"] == b["equilibria"]
    assert a["equilibria"][0]["strategies"] == [["1/8", "7/8"], ["1/2", "1/2"]]


def test_solve_tree_with_file_tie_break():
    out = json.loads(
        run("solve", "escalation-tree", "--tie-break", "file", "--format", "json", "--exact").stdout
    )
    assert out["concept"] == "subgame-perfect" and len(out["equilibria"]) == 1
    assert out["equilibria"][0]["payoffs"] == ["19/20", "1/2", "3/5"]


def test_solve_warns_on_broken_ordering():
    result = CliRunner().invoke(main, ["solve", "crisis-normal-form", "--set", "psi_F=-0.6"])
    assert result.exit_code == 0
    assert "warning: crisis-normal-form: constraint psi_F > psi_S fails" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (("solve", "tripwire", "--set", "X=1"), "unknown parameter 'X'; parameters are: rho_bar"),
        (("solve", "tripwire", "--set", "rho_bar=2"), "parameter rho_bar=2 is outside its range [0, 1]"),
        (("solve", "tripwire", "--set", "rho_bar"), "expected NAME=VALUE"),
        (("solve", "tripwire", "--set", "rho_bar=abc"), "parameter rho_bar"),
        (
            (
                "solve",
                "tripwire(W=0,v_R=0)",
            ),
            "division by zero in 'min((v_R + l_R)/(v_R + W), rho_bar)' (at rho_bar=0.05",
        ),
        (("solve", "no-such-game"), "unknown game 'no-such-game'"),
        (("solve", "chain-store", "--set", "N=2.5"), "must be a whole number"),
        (("solve", "chain-store", "--set", "N=9"), "outside its range [1, 8]"),
        (("convert", "tripwire", "--to", "xml"), "Invalid value"),
    ],
)
def test_user_errors_are_one_line_exit_2(args, message):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 2, result.output
    lines = [x for x in result.output.splitlines() if x.strip()]
    assert message in result.output, result.output
    if args[0] != "convert":
        assert len(lines) == 1 and lines[0].startswith("Error: ")


def test_bad_files_are_one_line_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "kind: normal\nplayers: [A, B]\nstrategies: {A: [x], B: [y]}\npayoffs:\n  A: [[q]]\n  B: [[1]]\n"
    )
    result = CliRunner().invoke(main, ["solve", str(bad)])
    assert result.exit_code == 2
    assert (
        result.output.strip()
        == f"Error: {bad}:5: payoffs.A[0][0]: unknown name 'q' in 'q'; parameters: none declared"
    )
    notgame = tmp_path / "list.yaml"
    notgame.write_text("- a\n- b\n")
    result = CliRunner().invoke(main, ["solve", str(notgame)])
    assert result.exit_code == 2 and "not a game file" in result.output
    evil = tmp_path / "evil.yaml"
    evil.write_text("kind: !!python/object/apply:os.system ['echo pwned']\n")
    result = CliRunner().invoke(main, ["show", str(evil)])
    assert result.exit_code == 2 and "not allowed" in result.output and "pwned" not in result.output


def test_convert_commands(tmp_path):
    out = tmp_path / "g2.efg"
    result = run("convert", "escalation-tree", "--to", "efg", "--set", "psi=-0.2", "-o", str(out))
    assert out.read_text().startswith("EFG 2 R")
    assert "wrote" in result.output
    y = tmp_path / "g2.yaml"
    run("convert", str(out), "--to", "yaml", "-o", str(y))
    a = json.loads(run("solve", str(y), "--format", "json", "--exact").stdout)
    b = json.loads(run("solve", "escalation-tree(psi=-0.2)", "--format", "json", "--exact").stdout)
    assert a["equilibria"] == b["equilibria"]
    text = run("convert", "crisis-four-powers", "--to", "nfg").output
    assert text.startswith("NFG 1 R") and '{ "F" "S" }' in text
    run("convert", "crisis-four-powers", "--to", "efg", code=2)
    run("convert", "rubinstein", "--to", "nfg", code=2)
