"""Gambit .efg read/write: every game of pygambit's catalogue loads with the same tree and
payoffs as pygambit reads, exact round trips, malformed files name the line."""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import pytest
from click.testing import CliRunner

from bargaining.cli import main
from bargaining.errors import FileFormatError
from bargaining.formats.efg import parse_efg, read_efg, write_efg
from bargaining.formats.load import load
from bargaining.model.random_trees import random_tree

gambit = pytest.importorskip("gambit_oracle")
CATALOG = gambit.catalogue_files("efg")
DATA = Path(__file__).resolve().parents[1] / "data"


def test_catalogue_is_there():
    assert len(CATALOG) >= 30


@pytest.mark.parametrize("path", CATALOG, ids=[p.stem for p in CATALOG])
def test_catalogue_game_matches_pygambit_and_round_trips(path):
    g = read_efg(path)
    pg = gambit.GambitTree.read(path)
    assert list(g.players) == pg.players
    assert [g.nodes[t].payoffs for t in g.terminals] == pg.terminal_payoffs()
    assert [len(pg.infosets(p)) for p in pg.players] == [len(ids) for ids in g.player_infosets]
    again = parse_efg(write_efg(g))
    assert again == g
    assert write_efg(again) == write_efg(g)


def test_rationals_and_decimals_are_exact():
    g = read_efg(DATA / "beer-quiche.efg")
    assert g.root.probs == (F(9, 10), F(1, 10))
    assert g.exact and g.infosets[g.player_infosets[1][0]].label == "after beer"
    assert [g.infosets[k].nodes for k in g.player_infosets[1]] == [(2, 9), (5, 12)]


@pytest.mark.parametrize("seed", range(5))
def test_random_trees_round_trip(seed, tmp_path):
    g = random_tree(40, 3, seed=seed, chance_prob=0.3)
    path = tmp_path / "g.efg"
    write_efg(g, path)
    assert read_efg(path) == g
    pg = gambit.GambitTree.read(path)  # Gambit reads what we write
    assert [g.nodes[t].payoffs for t in g.terminals] == pg.terminal_payoffs()


@pytest.mark.parametrize(
    "text, line, message",
    [
        ('NFG 1 R "x" { "A" }', 1, "EFG"),
        ('EFG 2 R "x" { "A" }\n""\np "" 1 1 "" { "a" "b" } 0\nt "" 1 "" { 1 }\n', 4, "end of file"),
        ('EFG 2 R "x" { "A" }\n""\np "" 2 1 "" { "a" } 0\nt "" 1 "" { 1 }\n', 3, "player 2 does not exist"),
        ('EFG 2 R "x" { "A" }\n""\np "" 1 1 "" { "a" } 0\nt "" 1 "" { 1 2 }\n', 4, "expected 1"),
        ('EFG 2 R "x" { "A" }\n""\np "" 1 1 "" { "a" } 0\nt "" 1 "" { x }\n', 4, "a payoff"),
        ('EFG 2 R "x" { "A" }\n""\nq "" 1 1 "" { "a" } 0\n', 3, "p, c or t"),
        ('EFG 2 R "x" { "A" }\n""\np "" 1 1 0\n', 3, "used before its actions"),
    ],
)
def test_malformed_files_name_the_line(text, line, message):
    with pytest.raises(FileFormatError, match=message) as err:
        parse_efg(text, "bad.efg")
    assert err.value.line == line and str(err.value).startswith(f"bad.efg:{line}:")


def test_cli_solve_efg_json():
    res = CliRunner().invoke(
        main, ["solve", str(DATA / "entry-deterrence.efg"), "--format", "json", "--exact"]
    )
    assert res.exit_code == 0, res.output
    import json

    out = json.loads(res.output)
    assert out["concept"] == "subgame-perfect" and out["complete"]
    eq = out["equilibria"][0]
    assert eq["behavior"] == [[["0", "1"]], [["0", "1"]]] and eq["outcomes"] == ["0", "0", "1"]
    assert eq["payoffs"] == ["1", "1"] and eq["regret"] == "0"
    res = CliRunner().invoke(main, ["solve", str(DATA / "entry-deterrence.efg"), "--format", "csv"])
    assert res.exit_code == 0 and "p:Incumbent:Incumbent:Accommodate" in res.output
    assert load(DATA / "entry-deterrence.efg") == read_efg(DATA / "entry-deterrence.efg")
