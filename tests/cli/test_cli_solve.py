"""`bargain solve` on .nfg files: table, JSON shape of docs/reference/solve.md, --exact, CSV, bad input."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction as F
from pathlib import Path

import pytest
from click.testing import CliRunner

from bargaining.cli import main
from bargaining.formats.nfg import read_nfg
from bargaining.verify import normal as verify

DATA = Path(__file__).resolve().parents[1] / "data"
BOS = str(DATA / "battle-of-the-sexes.nfg")
ENTRY = str(DATA / "entry-deterrence.nfg")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_table_is_readable():
    res = run("solve", BOS)
    assert res.exit_code == 0, res.output
    out = res.output
    assert "Battle of the sexes" in out and "3 equilibria, complete" in out
    assert "Opera 0.6, Football 0.4" in out and "method enummixed" in out


def test_table_exact_and_components():
    res = run("solve", ENTRY, "--exact")
    assert res.exit_code == 0, res.output
    assert "Fight 1/2, Accommodate 1/2" in res.output
    assert "components" in res.output and "{0, 2}" in res.output


@pytest.mark.parametrize("exact", [False, True], ids=["float", "exact"])
def test_json_shape(exact):
    res = run("solve", ENTRY, "--format", "json", *(["--exact"] if exact else []))
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["game"] == {
        "title": read_nfg(ENTRY).title,
        "players": ["Entrant", "Incumbent"],
        "strategies": [["Out", "In"], ["Fight", "Accommodate"]],
    }
    assert data["concept"] == "nash" and data["method"] == "enummixed" and data["complete"] is True
    assert data["components"] == [[0, 2], [1]]
    game = read_nfg(ENTRY)
    for eq in data["equilibria"]:
        assert set(eq) >= {"strategies", "payoffs", "regret"}
        values = [v for s in eq["strategies"] for v in s] + eq["payoffs"] + [eq["regret"]]
        if exact:
            assert all(isinstance(v, str) for v in values)
            profile = [[F(v) for v in s] for s in eq["strategies"]]
            assert verify.max_regret(game, profile) == 0
            assert [F(v) for v in eq["payoffs"]] == list(verify.expected_payoffs(game, profile))
        else:
            assert all(isinstance(v, (int, float)) for v in values)
    strategies = [eq["strategies"] for eq in data["equilibria"]]
    if exact:
        assert strategies == [
            [["1", "0"], ["1", "0"]],
            [["0", "1"], ["0", "1"]],
            [["1", "0"], ["1/2", "1/2"]],
        ]
    else:
        assert strategies == [[[1, 0], [1, 0]], [[0, 1], [0, 1]], [[1, 0], [0.5, 0.5]]]


def test_csv_rows():
    res = run("solve", BOS, "--format", "csv", "--exact")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert len(rows) == 3
    assert rows[2]["p:Row:Opera"] == "3/5" and rows[2]["p:Column:Football"] == "3/5"
    # the labels name the supports, as in sweeps
    assert [r["label"] for r in rows] == [
        "pure (Opera, Opera)",
        "pure (Football, Football)",
        "mixed (Opera+Football, Opera+Football)",
    ]
    assert all(r["complete"] == "True" for r in rows)


def test_methods_lists_enummixed():
    res = run("methods", BOS)
    assert res.exit_code == 0 and "enummixed" in res.output and "enumpure" in res.output


@pytest.mark.parametrize(
    "text, fragment",
    [
        pytest.param('NFG 1 R "" { "1" "2" }\n{ 2 2 }\n1 2 3', "bad.nfg:3: expected a payoff", id="short"),
        pytest.param('NFG 1 R "" { "1" "2" }\n{ 1 1 }\n1 nan', "bad.nfg:3: nan is not allowed", id="nan"),
        pytest.param('NFG 1 R "x { "1" }', "bad.nfg:1: unterminated string", id="quote"),
    ],
)
def test_malformed_nfg_exit_2_one_line(text, fragment, tmp_path):
    path = tmp_path / "bad.nfg"
    path.write_text(text)
    res = CliRunner().invoke(main, ["solve", str(path)])
    assert res.exit_code == 2
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and fragment in lines[0] and "Traceback" not in res.output


def test_missing_file_exit_2(tmp_path):
    res = run("solve", str(tmp_path / "nope.nfg"))
    assert res.exit_code == 2 and "no such file" in res.output


def test_timeout_option_accepted():
    res = run("solve", BOS, "--timeout", "30", "--format", "json")
    assert res.exit_code == 0 and json.loads(res.output)["complete"] is True
