"""YAML game files: loading with line numbers, safety, builders, the Template API on files,
bargaining.load, and conversions (bargaining.formats.yamlgame, bargaining.formats.convert)."""

from __future__ import annotations

import hashlib
import re
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest

import bargaining
from bargaining.errors import BargainingError, FileFormatError
from bargaining.formats.convert import convert, game_to_yaml
from bargaining.formats.yamlgame import load_template
from bargaining.model.normal import NormalFormGame
from bargaining.model.template import ExpressionError, Template
from bargaining.solvers.api import solve

GOOD = """\
kind: normal
title: Deterrence
parameters:
  - name: k
    default: 0.2
    range: [0, 1]
    meaning: cost of firmness
  - {name: w, default: 1, range: "(0, 10]", meaning: war cost}
constraints:
  - {expr: k < w, why: firmness is cheaper than war}
players: [US, RU]
strategies: {US: [F, S], RU: [C, A]}
payoffs:
  US: [[1 - k, -1/10], [1, -0.5]]
  RU: [[0.5, -w], [0.5, 1]]
"""


def write(tmp_path: Path, text: str, name: str = "g.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_normal_template_api(tmp_path):
    path = write(tmp_path, GOOD)
    t = load_template(path)
    assert isinstance(t, Template)
    assert (t.name, t.kind, t.title, t.players) == ("g", "normal", "Deterrence", ("US", "RU"))
    assert t.defaults() == {"k": F(1, 5), "w": F(1)}
    g = t.with_params(k="0.3")
    assert isinstance(g, NormalFormGame) and g.exact
    assert g.payoffs[0][0, 0] == F(7, 10) and g.payoffs[0][0, 1] == F(-1, 10)
    assert g.payoffs[1][0, 1] == -1
    assert t.with_params() == t.to_game()
    assert t.validate_params({"w": 2.5}) == {"k": F(1, 5), "w": F(5, 2)}
    assert t.canonical_id({}) == "g"
    assert t.canonical_id({"w": "2.5", "k": "1/3"}) == "g(k=1/3,w=2.5)"
    assert t.canonical_id({"k": "0.2"}) == "g"  # a default given explicitly is not listed
    assert t.hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert t.check_constraints({}) == []
    assert t.check_constraints({"k": 1, "w": "0.5"}) == [
        "constraint k < w fails (firmness is cheaper than war)"
    ]


def test_evaluate_vectorised(tmp_path):
    t = load_template(write(tmp_path, GOOD))
    ks = np.linspace(0, 1, 5)
    body = t.evaluate({"k": ks})
    us = np.array(body["payoffs"]["US"])  # (2, 2, 5)
    assert us.shape == (2, 2, 5)
    np.testing.assert_allclose(us[0, 0], 1 - ks)
    np.testing.assert_allclose(us[1, 0], 1.0)
    # every grid point equals the exact game at that point
    for j, k in enumerate(ks):
        g = t.with_params(k=str(k))
        np.testing.assert_allclose(us[..., j], g.float_payoffs[0])
    # two axes broadcast
    body2 = t.evaluate({"k": ks[:, None], "w": np.array([1.0, 2.0])[None, :]})
    assert np.array(body2["payoffs"]["RU"]).shape == (2, 2, 5, 2)
    with pytest.raises(BargainingError, match="unknown parameter 'q'"):
        t.evaluate({"q": ks})


def test_cells_form_equals_payoffs_form(tmp_path):
    cells = (
        GOOD.split("payoffs:")[0]
        + """cells:
  "F, C": [1 - k, 0.5]
  "F, A": [-1/10, -w]
  "S, C": [1, 0.5]
  "S, A": [-0.5, 1]
"""
    )
    a = load_template(write(tmp_path, GOOD, "a.yaml")).with_params(k="0.4")
    b = load_template(write(tmp_path, cells, "b.yaml")).with_params(k="0.4")
    assert np.array_equal(a.payoffs, b.payoffs)


def test_bad_params_are_one_line_errors(tmp_path):
    t = load_template(write(tmp_path, GOOD))
    with pytest.raises(BargainingError, match=r"g\.yaml: unknown parameter 'q'; parameters are: k, w$"):
        t.with_params(q=1)
    with pytest.raises(BargainingError, match=r"parameter k=2 is outside its range \[0, 1\]"):
        t.with_params(k=2)
    with pytest.raises(BargainingError, match=r"parameter w=0 is outside its range \(0, 10\]"):
        t.with_params(w=0)


def _error(tmp_path, text) -> str:
    with pytest.raises(BargainingError) as err:
        load_template(write(tmp_path, text)).with_params()
    msg = str(err.value)
    assert "\n" not in msg
    return msg


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            ("  US: [[1 - k, -1/10], [1, -0.5]]", "  US: [[1 - q, -1/10], [1, -0.5]]"),
            r"g\.yaml:14: payoffs\.US\[0\]\[0\]: unknown name 'q' in '1 - q'; parameters: k, w",
        ),
        (
            ("  RU: [[0.5, -w], [0.5, 1]]", "  RU: [[0.5, -w], [0.5, 1 +]]"),
            r"g\.yaml:15: payoffs\.RU\[1\]\[1\]: unexpected end of expression",
        ),
        (
            ("  RU: [[0.5, -w], [0.5, 1]]", "  RU: [[0.5, -w], [0.5, 1 / (k - 0.2)]]"),
            r"g\.yaml:15: payoffs\.RU\[1\]\[1\]: division by zero in '1 / \(k - 0\.2\)' \(at k=0\.2,w=1\)",
        ),
        (
            ("  RU: [[0.5, -w], [0.5, 1]]", "  RU: [[0.5, -w, 3], [0.5, 1]]"),
            r"g\.yaml:15: payoffs\.RU: payoff array has shape \(2,\), expected \(2, 2\)",
        ),
        (
            ("    default: 0.2", "    default: 2"),
            r"g\.yaml:5: parameters\[0\]\.default: default outside the range",
        ),
        (("kind: normal", "kind: poker"), r"g\.yaml:1: kind: unknown kind 'poker'"),
        (
            ("    range: [0, 1]", "    range: [1, 0]"),
            r"g\.yaml:6: parameters\[0\]\.range: range \[1, 0\] is empty",
        ),
        (("  - name: k\n", "  - name: max\n"), r"parameters\[0\]\.name: 'max' is a function name"),
        (
            ("strategies: {US: [F, S], RU: [C, A]}", "strategies: {US: [F, F], RU: [C, A]}"),
            r"g\.yaml:12: strategies\.US: strategy labels must be distinct",
        ),
        (
            ("  - {expr: k < w, why: firmness is cheaper than war}", "  - {expr: k < v}"),
            r"g\.yaml:10: constraints\[0\]\.expr: unknown name 'v'",
        ),
        (
            ("  RU: [[0.5, -w], [0.5, 1]]", "  RU: [[0.5, -w], [0.5, __import__('os')]]"),
            r"g\.yaml:15: payoffs\.RU\[1\]\[1\]: unexpected character '_'",
        ),
        (
            ("  RU: [[0.5, -w], [0.5, 1]]", "  RU: [[0.5, -w], [0.5, \"exec('import os')\"]]"),
            r"g\.yaml:15: payoffs\.RU\[1\]\[1\]: unexpected character",
        ),
    ],
)
def test_file_errors_name_file_line_field(tmp_path, change, expected):
    old, new = change
    assert old in GOOD
    msg = _error(tmp_path, GOOD.replace(old, new))
    assert re.search(expected, msg), msg


@pytest.mark.parametrize(
    "text, expected",
    [
        ("just a string\n", "not a game file"),
        ("- 1\n- 2\n", "not a game file"),
        ("title: x\nplayers: [a]\n", "no 'kind'"),
        ("kind: normal\n  bad: [indent\n", "g.yaml:2"),
        ("", "not a game file"),
    ],
)
def test_not_a_game(tmp_path, text, expected):
    with pytest.raises(FileFormatError, match=expected):
        load_template(write(tmp_path, text))


@pytest.mark.parametrize(
    "payload",
    [
        "kind: !!python/object/apply:os.system ['echo pwned > /tmp/h6_pwned']\n",
        "kind: normal\ntitle: !!python/object/new:os.system [ls]\n",
        "kind: normal\ntitle: !!python/name:os.system\n",
        "!!python/object:bargaining.model.template.Template {}\n",
    ],
)
def test_yaml_tags_cannot_run_code(tmp_path, payload):
    with pytest.raises(FileFormatError, match=r"g\.yaml:\d+: .*not allowed"):
        load_template(write(tmp_path, payload))
    assert not Path("/tmp/h6_pwned").exists()


def test_alias_bomb_is_refused(tmp_path):
    lines = ["kind: normal", "a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("payoffs: *a8")
    with pytest.raises(FileFormatError, match="more than"):
        load_template(write(tmp_path, "\n".join(lines) + "\n"))


TREE = """\
kind: tree
title: Entry
parameters:
  - {name: f, default: -1, range: [-5, 5], meaning: fight payoff}
  - {name: q, default: 0.5, range: [0, 1], meaning: chance}
tie_break: {Inc: [Acc, Fight]}
players: [Ent, Inc]
root:
  player: chance
  actions:
    hi:
      player: Ent
      infoset: e
      actions:
        Out: {payoffs: [0, 2]}
        In:
          player: Inc
          actions:
            Fight: {payoffs: [f, f]}
            Acc: {payoffs: [1, 1]}
    lo:
      player: Ent
      infoset: e
      actions:
        Out: {payoffs: [0, 2]}
        In: {payoffs: [1, 0]}
  probs: {hi: q, lo: 1 - q}
"""


def test_tree_template(tmp_path):
    t = load_template(write(tmp_path, TREE))
    g = t.with_params(q="1/3")
    assert g.kind == "tree" and g.exact and g.players == ("Ent", "Inc")
    assert g.root.probs == (F(1, 3), F(2, 3))
    assert g.tie_break == {"Inc": ("Acc", "Fight")}
    assert len(g.infosets[0].nodes) == 2  # Ent's information set spans both chance outcomes
    body = t.evaluate({"q": np.array([0.0, 0.5, 1.0])})
    np.testing.assert_allclose(body["root"]["probs"]["lo"], [1.0, 0.5, 0.0])
    assert body["root"]["actions"]["hi"]["player"] == "Ent"  # labels are kept as they are
    with pytest.raises(BargainingError, match=r"g\.yaml:\d+: root\.probs\.lo: unknown name 'r'"):
        load_template(write(tmp_path, TREE.replace("lo: 1 - q", "lo: 1 - r")))


def test_load_returns_template_and_games(tmp_path, monkeypatch):
    monkeypatch.setenv("BARGAINING_GAMES", str(tmp_path))
    write(tmp_path, GOOD, "deterrence-x.yaml")
    t = bargaining.load("deterrence-x")
    assert isinstance(t, Template)
    g = t.with_params(k=0.4)
    assert g == bargaining.load("deterrence-x", k=0.4) == bargaining.load("deterrence-x(k=0.4)")
    assert bargaining.load(str(tmp_path / "deterrence-x.yaml")).name == "deterrence-x"
    # a template is solvable: at its defaults
    assert solve(t).equilibria == solve(t.to_game()).equilibria
    with pytest.raises(BargainingError, match="unknown game 'nope'"):
        bargaining.load("nope")
    with pytest.raises(BargainingError, match="unknown parameter 'z'"):
        bargaining.load("deterrence-x(z=1)")


def test_convert_normal_round_trip(tmp_path):
    src = write(tmp_path, GOOD)
    nfg = tmp_path / "g.nfg"
    convert(src, "nfg", {"k": "1/3"}, nfg)
    from bargaining.formats.nfg import read_nfg

    g = load_template(src).with_params(k="1/3")
    back = read_nfg(nfg)
    assert np.array_equal(back.payoffs, g.payoffs) and back.strategies == g.strategies
    y = tmp_path / "h.yaml"
    convert(nfg, "yaml", {}, y)
    again = load_template(y).with_params()
    assert np.array_equal(again.payoffs, g.payoffs) and again.players == g.players
    assert "1/3" not in y.read_text() or "'2/3'" in y.read_text()  # 1 - 1/3 written exactly
    with pytest.raises(BargainingError, match="has no tree"):
        convert(src, "efg")
    with pytest.raises(BargainingError, match="no parameters"):
        convert(nfg, "yaml", {"k": "1"})


def test_convert_tree_round_trip(tmp_path):
    src = write(tmp_path, TREE)
    g = load_template(src).with_params(q="0.25", f="-2")
    efg = tmp_path / "t.efg"
    convert(src, "efg", {"q": "0.25", "f": "-2"}, efg)
    from bargaining.formats.efg import read_efg

    back = read_efg(efg)
    assert [n.payoffs for n in back.nodes] == [n.payoffs for n in g.nodes]
    text = game_to_yaml(g, name="t2")
    again = load_template(write(tmp_path, text, "t2.yaml")).with_params()
    assert again == g
    # a tree as .nfg is its reduced strategic form
    nfg_text = convert(src, "nfg", {"q": "0.25"})
    assert nfg_text.startswith("NFG 1 R")


GAMES_DIR = Path(__file__).resolve().parents[2] / "bargaining" / "games"


def _leaves(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from _leaves(v)
    elif isinstance(node, list):
        for v in node:
            yield from _leaves(v)
    else:
        yield node


@pytest.mark.parametrize("path", sorted(GAMES_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_vectorised_body_equals_exact_body_for_every_game(path):
    """The batch path of sweeps (Template.evaluate over arrays) gives, point by point, the exact
    values that with_params uses, for every file of the library at random admissible points."""
    t = load_template(path)
    rng = np.random.default_rng(7)
    points = []
    for _ in range(4):
        point = {}
        for p in t.parameters:
            if p.integer or p.range is None or p.range[0] is None or p.range[1] is None:
                continue
            lo, hi = float(p.range[0]), float(p.range[1])
            point[p.name] = F(str(round(float(rng.uniform(lo, hi)), 3))).limit_denominator(1000)
            point[p.name] = min(max(point[p.name], p.range[0]), p.range[1])
            if (p.open_lo and point[p.name] == p.range[0]) or (p.open_hi and point[p.name] == p.range[1]):
                point[p.name] = p.default
        points.append(point)
    names = sorted({k for pt in points for k in pt})
    arrays = {k: np.array([float(pt.get(k, t.parameter(k).default)) for pt in points]) for k in names}
    batch = list(_leaves(t.evaluate(arrays)))
    for j, pt in enumerate(points):
        try:
            exact = list(_leaves(t.evaluate_point(pt)))
        except ExpressionError:
            continue  # undefined at this point (e.g. a zero denominator); the batch path gives inf/nan
        numbers = [x for x in exact if not isinstance(x, str)]
        columns = [b for b in batch if isinstance(b, np.ndarray)]
        assert len(numbers) == len(columns)
        for x, col in zip(numbers, columns):
            assert (col[j] if col.ndim else col) == pytest.approx(float(x), rel=1e-9, abs=1e-12)
