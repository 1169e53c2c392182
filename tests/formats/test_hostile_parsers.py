"""Hostile input to the game-file parsers (.nfg, .efg, YAML) and to the number and expression
readers: every case ends in a one-line BargainingError naming the place, quickly, or in a valid
game; never a traceback, a hang, RecursionError or a huge allocation."""

from __future__ import annotations

import math
import re
import time
from fractions import Fraction as F

import pytest

from bargaining.errors import BargainingError, FileFormatError
from bargaining.formats.load import load
from bargaining.formats.textfile import MAX_FILE_BYTES
from bargaining.model.expression import parse_expression
from bargaining.model.extensive import ExtensiveGame
from bargaining.model.tree_builder import fold_tree, spec_from_mapping
from bargaining.numeric import format_number, format_value, jsonify, parse_number, to_fraction

NORMAL = "kind: normal\nplayers: [A]\nstrategies: {{A: [a]}}\npayoffs: {{A: [{}]}}\n"


def one_line(err: BaseException, *needles: str) -> str:
    msg = str(err)
    assert "\n" not in msg and "Traceback" not in msg
    assert "Fraction(" not in msg, msg
    for needle in needles:
        assert needle in msg, msg
    return msg


def refused(path, *needles: str, seconds: float = 5.0) -> str:
    start = time.monotonic()
    with pytest.raises(BargainingError) as err:
        load(str(path))
    assert time.monotonic() - start < seconds
    return one_line(err.value, str(path), *needles)


# -- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, needle",
    [
        ("1e99999999", "too large"),
        ("1e309", "too large"),
        ("1e400", "too large"),
        ("-1e309", "too large"),
        ("1e-99999999", "too small"),
        ("9" * 5000, "digits"),
        ("1/0", "division by zero"),
        ("1/" + "7" * 500, "digits"),
    ],
)
def test_number_texts_are_bounded(text, needle):
    start = time.monotonic()
    with pytest.raises(ValueError, match=needle):
        parse_number(text)
    with pytest.raises(ValueError, match=needle):
        to_fraction(text)  # --grid START/STOP and every string number go through it
    assert time.monotonic() - start < 1


@pytest.mark.parametrize(
    "text, value",
    [
        ("1e308", F(10) ** 308),
        ("0e99999999", F(0)),
        ("1e-400", F(1, 10**400)),
        ("-.25", F(-1, 4)),
        ("3/5", F(3, 5)),
        ("2E3", F(2000)),
        ("1.", F(1)),
    ],
)
def test_number_texts_within_bounds_are_exact(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text, needle",
    [
        ("exp(100000)", "too large"),
        ("9^9^9^9", "too large"),
        ("((((2^64)^64)^64)^64)^64", "too large"),
        ("10^64 * 10^64 * 10^64 * 10^64 * 10^64", "too large"),
        ("1e300 * 1e300", "too large"),
        ("(" * 60 + "1" + ")" * 60, "nested deeper"),
        ("max(" * 60 + "1" + ")" * 60, "nested deeper"),
        ("2^" * 60 + "1", "nested deeper"),
        ("1" + "+1" * 1000, "longer than"),
    ],
)
def test_expressions_are_bounded(text, needle):
    start = time.monotonic()
    with pytest.raises(BargainingError) as err:
        parse_expression(text, "g.yaml:3: payoffs").value({})
    assert time.monotonic() - start < 1
    one_line(err.value, needle, "g.yaml:3")


def test_sign_runs_and_long_chains_need_no_recursion():
    assert parse_expression("-" * 1999 + "1").value({}) == -1
    assert parse_expression("-" * 1998 + "1").value({}) == 1
    assert parse_expression("+".join(["1"] * 999)).value({}) == 999
    assert parse_expression("*".join(["2"] * 40)).value({}) == 2**40
    assert parse_expression("(" * 40 + "1" + ")" * 40).value({}) == 1
    # exact powers stay exact while small; right-associative chains of them too
    assert parse_expression("2^3^2").value({}) == 512
    assert parse_expression("(2^32)^31").value({}) == F(2) ** 992


def test_big_exact_power_falls_back_to_a_bounded_float():
    # 3^64 and then ^64 would have ~6500 bits exactly: computed in floats instead, no huge integer
    with pytest.raises(BargainingError, match="too large"):
        parse_expression("(3^64)^64").value({})
    v = parse_expression("(1/3)^60").value({})
    assert v == F(1, 3**60)


def test_float_noise_is_never_hundreds_of_digits():
    tiny = to_fraction(math.exp(-700))
    assert format_value(tiny) == "9.85967654375977e-305"
    assert len(format_number(tiny, exact=True)) < 30
    assert len(jsonify(tiny, exact=True)) < 30
    assert parse_number(format_value(tiny)) == tiny  # still exact
    assert format_value(F(1, 10**400)) == "1e-400"
    assert format_value(F(1, 3)) == "1/3"


def test_set_values_are_bounded():
    from bargaining.formats.load import load_template

    t = load_template("resolve-signal")
    for bad in ("1e99999999", "9" * 5000, "9^9^9^9", "exp(100000)"):
        start = time.monotonic()
        with pytest.raises(BargainingError) as err:
            t.with_params(p=bad)
        assert time.monotonic() - start < 1
        one_line(err.value, "parameter p")


# -- files -----------------------------------------------------------------------------------


def test_nfg_declared_size_is_refused_before_allocating(tmp_path):
    f = tmp_path / "big.nfg"
    f.write_text('NFG 1 R "" { "1" "2" }\n{ 100000000 2 }\n1 2 3 4\n')
    assert len(f.read_bytes()) < 60
    refused(f, ":2:", "100000000", "at most")
    f.write_text('NFG 1 R "" { "1" "2" }\n{ 1000 2 }\n1 2 3 4\n')
    refused(f, ":2:", "1000 strategy profiles", "only 6 more values")
    f.write_text('NFG 1 R "" { ' + '"p" ' * 40 + "}\n{ " + "1 " * 40 + "}\n1\n")
    refused(f, "40 players")


@pytest.mark.parametrize("number", ["1e309", "1e99999999", "9" * 5000, "1/" + "3" * 401])
def test_nfg_and_efg_numbers(tmp_path, number):
    f = tmp_path / "n.nfg"
    f.write_text(f'NFG 1 R "" {{ "1" }}\n{{ 1 }}\n{number}\n')
    refused(f, "n.nfg:3:")
    g = tmp_path / "n.efg"
    g.write_text(f'EFG 2 R "" {{ "1" }}\n""\nt "" 1 "" {{ {number} }}\n')
    refused(g, "n.efg:3:")


def test_efg_action_list_longer_than_the_file(tmp_path):
    f = tmp_path / "acts.efg"
    f.write_text(
        'EFG 2 R "" { "A" }\n""\np "" 1 1 "" { '
        + " ".join(f'"a{i}"' for i in range(20000))
        + ' } 0\nt "" 0\n'
    )
    refused(f, "acts.efg:3:", "20000 actions")


def deep_efg(depth: int) -> str:
    lines = ['EFG 2 R "deep" { "A" "B" }', '""']
    lines += [f'p "" {k % 2 + 1} {k + 1} "" {{ "L" "R" }} 0' for k in range(depth)]
    lines.append('t "" 1 "" { 0, 0 }')
    lines += [f't "" {k + 2} "" {{ {k}, {-k} }}' for k in range(depth)]
    return "\n".join(lines) + "\n"


def test_efg_5000_levels_deep_is_read_without_recursion(tmp_path):
    f = tmp_path / "deep.efg"
    f.write_text(deep_efg(5000))
    g = load(str(f))
    assert isinstance(g, ExtensiveGame) and len(g.nodes) == 10001
    assert g.to_spec().children[0][1].kind == "decision"  # to_spec is iterative too
    from bargaining.formats.convert import convert

    with pytest.raises(BargainingError) as err:
        convert(str(f), "yaml")
    one_line(err.value, "5000 levels deep")
    with pytest.raises(BargainingError) as err:
        convert(str(f), "nfg")
    one_line(err.value, "2501 x 2501", "at most")


def test_yaml_tree_5000_levels_deep(tmp_path):
    f = tmp_path / "deep.yaml"
    f.write_text(
        "kind: tree\nplayers: [A]\nroot: "
        + "{player: A, actions: {x: " * 5000
        + "{payoffs: [1]}"
        + "}}" * 5000
        + "\n"
    )
    refused(f, "deep.yaml:3:", "nested deeper than")
    g = tmp_path / "ok.yaml"  # 90 levels: within the cap, built and validated
    g.write_text(
        "kind: tree\nplayers: [A]\nroot: "
        + "{player: A, actions: {x: " * 90
        + "{payoffs: [1]}"
        + "}}" * 90
        + "\n"
    )
    assert len(load(str(g)).nodes) == 91


def test_spec_from_mapping_is_iterative():
    node: dict = {"payoffs": [1]}
    for _ in range(20000):
        node = {"player": "A", "actions": {"x": node}}
    game = ExtensiveGame.from_tree(["A"], spec_from_mapping(node), exact=True)
    assert len(game.nodes) == 20001
    assert fold_tree(0, lambda v: game.nodes[v].children, lambda v, kids: 1 + sum(kids)) == 20001


@pytest.mark.parametrize("suffix", [".nfg", ".efg", ".yaml"])
def test_binary_empty_directory_and_huge_files(tmp_path, suffix):
    f = tmp_path / f"g{suffix}"
    f.write_bytes(b"\x00\x01\x02garbage")
    refused(f, "binary file")
    f.write_bytes(b"kind: normal\n\xff\xfe junk\n")
    refused(f, ":2:", "UTF-8")
    f.write_bytes(b"")
    refused(f, "empty")
    f.write_bytes(b"   \n\n")
    refused(f, "empty")
    d = tmp_path / f"dir{suffix}"
    d.mkdir()
    refused(d, "is a directory")
    big = tmp_path / f"big{suffix}"
    with open(big, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: no real disk use
    refused(big, "50 MB")


def test_directory_given_by_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "games.yaml").mkdir()
    with pytest.raises(FileFormatError, match="is a directory"):
        load("games.yaml")


@pytest.mark.parametrize(
    "text, needle",
    [
        ("- 1\n- 2\n", "not a game file"),
        ("just text\n", "not a game file"),
        ("kind: normal\n" + "a: " + "[" * 300 + "]" * 300 + "\n", "nested deeper"),
        (NORMAL.format("9" * 5000), "digits"),
        (NORMAL.format("9" * 400), "too large"),
        (NORMAL.format("1.0e+400"), "finite"),
        (NORMAL.format("'1e99999999'"), "too large"),
        (NORMAL.format("2020-13-45"), "month"),
        (NORMAL.format("!!python/object:os.system {}"), "not allowed"),
    ],
)
def test_yaml_hostile(tmp_path, text, needle):
    f = tmp_path / "g.yaml"
    f.write_text(text)
    refused(f, needle)


def test_yaml_billion_laughs(tmp_path):
    lines = ["kind: normal", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 9) + "]" for k in range(1, 10)]
    f = tmp_path / "lol.yaml"
    f.write_text("\n".join(lines) + "\n")
    refused(f, "anchors", seconds=3)
    f.write_text("kind: normal\na: &a [1]\nb: [" + ", ".join(["*a"] * 10_001) + "]\n")
    refused(f, "aliases")


def test_messages_have_no_python_reprs():
    with pytest.raises(BargainingError) as err:
        ExtensiveGame.from_spec(
            {
                "players": ["A"],
                "root": {
                    "player": "chance",
                    "actions": {"x": {"payoffs": [0]}, "y": {"payoffs": [1]}},
                    "probs": {"x": F(-1, 3), "y": F(4, 3)},
                },
            }
        )
    msg = one_line(err.value, "-1/3", "4/3")
    assert not re.search(r"\[\s*'", msg)
    with pytest.raises(BargainingError) as err:
        ExtensiveGame.from_spec(
            {"players": ["A", "B"], "root": {"player": "C", "actions": {"x": {"payoffs": [0, 1]}}}}
        )
    msg = one_line(err.value, "A, B")
    assert "['A'" not in msg
