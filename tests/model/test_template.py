"""The restricted expression language and the Template API (bargaining.model.template)."""

from __future__ import annotations

import math
import re
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import expressions

from bargaining.errors import BargainingError
from bargaining.model.template import ExpressionError, Parameter, format_value, parse_expression

ENV = {"p": F(1, 4), "c_B": F(3, 10), "W": F(1), "x": F(-2)}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 + 2 * 3", F(7)),
        ("(1 + 2) * 3", F(9)),
        ("2 ^ 3 ^ 2", F(512)),  # right-associative
        ("-2 ^ 2", F(-4)),  # unary minus binds looser than ^
        ("2 ^ -1", F(1, 2)),
        ("1/3", F(1, 3)),
        ("0.1 + 0.2", F(3, 10)),  # decimals are exact
        ("1e-2", F(1, 100)),
        ("W - c_B", F(7, 10)),
        ("-x", F(2)),
        ("--x", F(-2)),
        ("+p", F(1, 4)),
        ("p/(1-p)", F(1, 3)),
        ("min(p, c_B, 1)", F(1, 4)),
        ("max(p, c_B)", F(3, 10)),
        ("abs(x)", F(2)),
        ("p < c_B", F(1)),
        ("p >= c_B", F(0)),
        ("p == 1/4", F(1)),
        ("p != 1/4", F(0)),
        ("if(p < c_B, 10, 20)", F(10)),
        ("if(x, 1, 2)", F(1)),  # non-zero is true
        ("if(p > 1, 1/0, 3)", F(3)),  # only the chosen branch is evaluated at a point
        ("2 * (p < c_B) + 1", F(3)),
        ("8 - 2 - 1", F(5)),  # left-associative
        ("8 / 4 / 2", F(1)),
    ],
)
def test_exact_values(text, expected):
    v = parse_expression(text).value(ENV)
    assert isinstance(v, F) and v == expected


def test_float_functions():
    assert parse_expression("sqrt(4)").value({}) == pytest.approx(2.0)
    assert parse_expression("exp(0) + log(1)").value({}) == pytest.approx(1.0)
    assert parse_expression("2 ^ 0.5").value({}) == pytest.approx(math.sqrt(2))


@pytest.mark.parametrize(
    "text, message",
    [
        ("1 +", "unexpected end"),
        ("(1 + 2", "unexpected end"),
        ("1 + 2)", "unexpected ')'"),
        ("", "empty expression"),
        ("p $ 2", "unexpected character '$'"),
        ("__import__('os')", "unexpected character '_'"),
        ("os.system('ls')", "unexpected character '.'"),
        ("p.real", "unexpected character '.'"),
        ("[1, 2]", "unexpected character '['"),
        ("lambda: 1", "unexpected character ':'"),
        ("open('f')", "unexpected character"),
        ("open(1)", "unknown function 'open'"),
        ("eval(1)", "unknown function 'eval'"),
        ("max", "max is a function"),
        ("abs(1, 2)", "abs() takes 1 argument"),
        ("if(1, 2)", "if() takes 3 argument"),
        ("1 < 2 < 3", "chained comparison"),
        ("2 ** 3", "unexpected '*'"),
        ("1" * 3000, "longer than"),
    ],
)
def test_syntax_errors(text, message):
    with pytest.raises(ExpressionError, match=re.escape(message)):
        parse_expression(text, where="g.yaml:3: payoffs[0]")


def test_errors_name_the_place():
    with pytest.raises(ExpressionError) as err:
        parse_expression("1 +", where="g.yaml:3: payoffs.US[0]")
    assert str(err.value).startswith("g.yaml:3: payoffs.US[0]: ")
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("text", ["1/0", "p/(p - 1/4)", "0^-1", "1/(x + 2)"])
def test_division_by_zero_is_an_error_at_a_point(text):
    e = parse_expression(text, where="g.yaml:7: probs.war")
    with pytest.raises(ExpressionError, match=r"^g\.yaml:7: probs\.war: division by zero"):
        e.value(ENV)


def test_unknown_name_at_evaluation():
    with pytest.raises(ExpressionError, match="unknown name 'q'"):
        parse_expression("q + 1").value(ENV)


def test_names():
    assert parse_expression("max(p, c_B) * if(W > 0, x, 1)").names == {"p", "c_B", "W", "x"}
    assert parse_expression("3").names == frozenset()


def test_plain_numbers():
    assert parse_expression(0.1).value({}) == F(1, 10)
    assert parse_expression(3).value({}) == 3
    with pytest.raises(ExpressionError):
        parse_expression(True)
    with pytest.raises(ExpressionError):
        parse_expression(float("nan"))
    with pytest.raises(ExpressionError):
        parse_expression([1, 2])


def test_array_evaluation_matches_scalar_and_marks_undefined_points():
    e = parse_expression("if(p < 0.5, 1/p, max(p, 2) - abs(p - 3))")
    ps = np.array([0.0, 0.25, 0.5, 1.0, 4.0])
    out = e.array({"p": ps})
    assert np.isinf(out[0])  # undefined points become inf/nan, no error
    for p, v in zip(ps[1:], out[1:]):
        assert v == pytest.approx(float(e.value({"p": F(str(p))})))


@settings(max_examples=150, deadline=None)
@given(
    expressions(),
    st.lists(st.fractions(-3, 3, max_denominator=8), min_size=3, max_size=3),
    st.fractions(-3, 3, max_denominator=8),
)
def test_property_vectorised_equals_exact(text, a_values, b):
    """Evaluating over an array gives, point by point, the float of the exact value."""
    e = parse_expression(text)
    arr = e.array({"a": np.array([float(v) for v in a_values]), "b": np.array(float(b))})
    arr = np.broadcast_to(arr, (3,))
    for v, got in zip(a_values, arr):
        exact = e.value({"a": v, "b": b})
        assert got == pytest.approx(float(exact), rel=1e-9, abs=1e-9)


def test_parameter_check():
    p = Parameter("p", F(1, 4), (F(0), F(1)), "prior")
    assert p.check("0.4", "g") == F(2, 5)
    assert p.check(0.1, "g") == F(1, 10)
    assert p.check("1/3", "g") == F(1, 3)
    with pytest.raises(BargainingError, match=r"^g: parameter p=1\.5 is outside its range \[0, 1\]$"):
        p.check("1.5", "g")
    with pytest.raises(BargainingError, match="parameter p"):
        p.check("abc", "g")
    q = Parameter("d", F(9, 10), (F(0), F(1)), open_lo=True, open_hi=True)
    assert q.range_text() == "(0, 1)"
    with pytest.raises(BargainingError, match="outside"):
        q.check(1, "g")
    with pytest.raises(BargainingError, match="outside"):
        q.check(0, "g")
    n = Parameter("N", F(3), (F(1), F(8)), integer=True)
    with pytest.raises(BargainingError, match="whole number"):
        n.check("2.5", "g")
    assert n.check("4", "g") == 4


@pytest.mark.parametrize(
    "value, text", [(F(2, 5), "0.4"), (F(1, 3), "1/3"), (F(-2), "-2"), (F(1, 8), "0.125")]
)
def test_format_value(value, text):
    assert format_value(value) == text
    assert parse_expression(text).value({}) == value
