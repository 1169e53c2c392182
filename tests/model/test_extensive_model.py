"""ExtensiveGame: construction, validation, perfect recall, subgames, from_spec, the reduced
strategic form and Kuhn's theorem, and `bargain show`."""

from __future__ import annotations

import dataclasses
from fractions import Fraction as F

import numpy as np
import pytest
from click.testing import CliRunner

from bargaining.cli import main
from bargaining.errors import GameValidationError
from bargaining.model.extensive import ExtensiveGame, chance, terminal
from bargaining.model.extensive import decision as D
from bargaining.model.random_trees import random_tree
from bargaining.model.strategic import behavior_to_mixed, mixed_to_behavior, reduced_strategic_form
from bargaining.verify import normal as verify
from bargaining.verify import tree as verify_tree


def entry(exact=True):
    b = ExtensiveGame.builder(["Entrant", "Incumbent"], exact=exact)
    return b.build(
        b.decision("Entrant", Out=(0, 2), In=b.decision("Incumbent", Fight=(-1, -1), Accommodate=(1, 1)))
    )


def test_builder_structure():
    g = entry()
    assert g.kind == "tree" and g.num_players == 2 and len(g) == 5
    assert g.terminals == (1, 3, 4)
    assert [g.path_labels(t) for t in g.terminals] == [("Out",), ("In", "Fight"), ("In", "Accommodate")]
    assert g.perfect_recall and g.is_perfect_information
    assert g.subgame_roots == (0, 2)
    assert g.nodes[4].payoffs == (1, 1) and isinstance(g.nodes[4].payoffs[0], F)
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.players = ("x",)  # immutable


def test_from_spec_equals_builder_and_yaml_shape():
    body = {
        "players": ["Entrant", "Incumbent"],
        "root": {
            "player": "Entrant",
            "actions": {
                "Out": {"payoffs": [0, 2]},
                "In": {
                    "player": "Incumbent",
                    "actions": {"Fight": {"payoffs": [-1, -1]}, "Accommodate": {"payoffs": [1, 1]}},
                },
            },
        },
    }
    assert ExtensiveGame.from_spec(body) == entry()


def test_from_spec_chance_and_infosets():
    body = {
        "players": ["S", "R"],
        "root": {
            "player": "chance",
            "probs": {"a": F(1, 3), "b": F(2, 3)},
            "actions": {
                "a": {
                    "player": "R",
                    "infoset": "r",
                    "actions": {"x": {"payoffs": [1, 0]}, "y": {"payoffs": [0, 1]}},
                },
                "b": {
                    "player": "R",
                    "infoset": "r",
                    "actions": {"x": {"payoffs": [0, 1]}, "y": {"payoffs": [1, 0]}},
                },
            },
        },
    }
    g = ExtensiveGame.from_spec(body)
    assert len(g.infosets) == 1 and g.infosets[0].nodes == (1, 4) and g.infosets[0].label == "r"
    assert g.subgame_roots == (0,)


@pytest.mark.parametrize(
    "body, message",
    [
        (
            {
                "players": ["A"],
                "root": {
                    "player": "chance",
                    "probs": {"x": F(1, 3), "y": F(1, 3)},
                    "actions": {"x": {"payoffs": [0]}, "y": {"payoffs": [1]}},
                },
            },
            "sum to 2/3",
        ),
        ({"players": ["A"], "root": {"player": "B", "actions": {"x": {"payoffs": [0]}}}}, "not one of"),
        ({"players": ["A", "B"], "root": {"player": "A", "actions": {"x": {"payoffs": [0]}}}}, "expected 2"),
        ({"players": ["A"], "root": {"player": "A"}}, "'player' and 'actions'"),
        ({"players": ["A"]}, "needs 'root'"),
        (
            {"players": ["A"], "root": {"player": "chance", "actions": {"x": {"payoffs": [0]}}}},
            "needs 'probs'",
        ),
        ({"players": ["A"], "root": {"player": "A", "actions": {"x": {"payoffs": ["abc"]}}}}, "not a number"),
    ],
)
def test_from_spec_errors_are_one_line(body, message):
    with pytest.raises(GameValidationError, match=message) as err:
        ExtensiveGame.from_spec(body)
    assert "\n" not in str(err.value)


def test_infoset_rules():
    with pytest.raises(GameValidationError, match="different actions"):
        ExtensiveGame.from_tree(
            ["A", "B"],
            D("A", L=D("B", x=(0, 0), y=(0, 0), infoset="h"), R=D("B", x=(0, 0), z=(0, 0), infoset="h")),
        )
    absent = D("A", go=D("A", go=(1,), stop=(0,), infoset="h"), stop=(2,), infoset="h")
    with pytest.raises(GameValidationError, match="descendant"):
        ExtensiveGame.from_tree(["A"], absent)
    g = ExtensiveGame.from_tree(["A"], absent, allow_absent_minded=True)
    assert not g.perfect_recall


def test_perfect_recall_detects_forgetting():
    forget = D(
        "A",
        L=D("B", x=D("A", u=(1, 0), v=(0, 1), infoset="h"), y=(0, 0)),
        R=D("B", x=D("A", u=(0, 1), v=(1, 0), infoset="h"), y=(0, 0)),
    )
    g = ExtensiveGame.from_tree(["A", "B"], forget)
    assert not g.perfect_recall and "no perfect recall" in g.recall_violation
    with pytest.raises(GameValidationError, match="needs perfect recall"):
        g.require_perfect_recall("sequence")


def test_chance_probabilities_float_tolerance_and_exact():
    ok = ExtensiveGame.from_tree(
        ["A"], chance(a=(0.1, terminal(0)), b=(0.2, terminal(0)), c=(0.7, terminal(1)))
    )
    assert abs(sum(ok.root.probs) - 1) < 1e-12
    exact = ExtensiveGame.from_tree(
        ["A"], chance(a=("0.1", terminal(0)), b=("9/10", terminal(1))), exact=True
    )
    assert exact.root.probs == (F(1, 10), F(9, 10))


def test_strategic_form_of_entry_deterrence():
    sf = reduced_strategic_form(entry())
    assert sf.game.strategies == (("Out", "In"), ("Fight", "Accommodate"))
    assert sf.game.payoffs[0].tolist() == [[0, 0], [-1, 1]]
    assert sf.game.payoffs[1].tolist() == [[2, 2], [-1, 1]]


def test_reduced_form_merges_unreached_choices():
    # A moves, then after L again: reduced plans are R, L l, L r (not 4 plans)
    g = ExtensiveGame.from_tree(
        ["A", "B"], D("A", L=D("A", l=(1, 0), r=(0, 1)), R=D("B", x=(2, 2), y=(0, 0)))
    )
    sf = reduced_strategic_form(g)
    assert sorted(sf.game.strategies[0]) == ["L l", "L r", "R"]


@pytest.mark.parametrize("seed", range(10))
def test_kuhn_round_trip_and_outcome_equivalence(seed):
    rng = np.random.default_rng(seed)
    g = random_tree(25, 2, seed=seed, merge_prob=0.5, chance_prob=0.2)
    assert g.perfect_recall
    behavior = tuple(
        tuple(
            tuple(F(int(w), int(ws.sum())) for w in ws)
            for ws in (rng.integers(1, 5, size=len(g.infosets[k].actions)) for k in ids)
        )
        for ids in g.player_infosets
    )
    sf = reduced_strategic_form(g)
    mixed = behavior_to_mixed(sf, behavior)
    assert all(sum(m) == 1 for m in mixed)
    # outcome equivalence: same expected payoffs through the tree and the strategic form
    assert verify.expected_payoffs(sf.game, mixed) == verify_tree.expected_payoffs(g, behavior)
    back = mixed_to_behavior(sf, mixed)
    assert back == behavior  # full-support behaviour comes back exactly


def test_show_text_tree_and_matrix():
    runner = CliRunner()
    res = runner.invoke(main, ["show", "tests/data/entry-deterrence.efg", "--solve"])
    assert res.exit_code == 0, res.output
    assert "Entrant" in res.output and "In [1] -> Incumbent" in res.output
    assert "* " in res.output and "pure: In Accommodate" in res.output
    res = runner.invoke(main, ["show", "tests/data/battle-of-the-sexes.nfg"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["show", "tests/data/beer-quiche.efg"])
    assert "Strong (9/10) -> " in res.output and "{after beer}" in res.output
