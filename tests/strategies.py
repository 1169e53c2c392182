"""Hypothesis strategies shared by the tests (the one place they are defined).

Games are drawn so that degenerate cases come often: small integer payoff ranges make ties,
weakly dominated strategies and components of equilibria frequent; 1-row and 1-column games
are included."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from bargaining.model.normal import NormalFormGame

__all__ = [
    "int_games",
    "float_games",
    "half_integer_games",
    "bimatrix_cells",
    "expressions",
    "discount_factors",
    "outside_options",
]


def _matrix(draw, m: int, n: int, cells) -> list[list]:
    return draw(st.lists(st.lists(cells, min_size=n, max_size=n), min_size=m, max_size=m))


@st.composite
def int_games(draw, max_n: int = 4, hi: int = 2) -> NormalFormGame:
    """Exact bimatrix games up to ``max_n`` x ``max_n`` with integer payoffs in [-hi, hi]."""
    m = draw(st.integers(1, max_n))
    n = draw(st.integers(1, max_n))
    cells = st.integers(-hi, hi)
    A = _matrix(draw, m, n, cells)
    B = _matrix(draw, m, n, cells)
    return NormalFormGame.from_arrays(A, B, exact=True)


@st.composite
def float_games(draw, max_n: int = 4) -> NormalFormGame:
    """Float bimatrix games with normal(0, 10) payoffs (generic: nondegenerate almost surely)."""
    m = draw(st.integers(1, max_n))
    n = draw(st.integers(1, max_n))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    return NormalFormGame.from_arrays(rng.normal(size=(m, n)) * 10, rng.normal(size=(m, n)) * 10)


@st.composite
def half_integer_games(draw, max_n: int = 4) -> NormalFormGame:
    """One player's payoffs on a half-integer grid (not integers: the float path with a tolerance,
    exactly singular bases included), the other's integers (so the two polytopes take different
    paths)."""
    m = draw(st.integers(1, max_n))
    n = draw(st.integers(1, max_n))
    cells = st.integers(-2, 2)
    A = np.array(_matrix(draw, m, n, cells))
    B = np.array(_matrix(draw, m, n, cells))
    if draw(st.booleans()):
        return NormalFormGame.from_arrays(A / 2 + 0.25, B * 1.0)
    return NormalFormGame.from_arrays(A * 1.0, B / 2 + 0.25)


def bimatrix_cells(shapes, lo: int = -9, hi: int = 9):
    """``((m, n), values)``: a shape from ``shapes`` and the 2*m*n integer payoffs of A then B."""
    return st.sampled_from(shapes).flatmap(
        lambda s: st.tuples(
            st.just(s),
            st.lists(st.integers(lo, hi), min_size=2 * s[0] * s[1], max_size=2 * s[0] * s[1]),
        )
    )


_names = st.sampled_from(["a", "b"])


@st.composite
def expressions(draw, depth: int = 0) -> str:
    """Random payoff expressions over a and b (no division, so every point is defined)."""
    if depth > 3 or draw(st.booleans()):
        return draw(st.one_of(_names, st.integers(-5, 5).map(str), st.sampled_from(["0.5", "1/4"])))
    op = draw(st.sampled_from(["+", "-", "*", "min", "max", "abs", "if", "cmp", "neg", "pow"]))
    a = draw(expressions(depth=depth + 1))
    b = draw(expressions(depth=depth + 1))
    if op in "+-*":
        return f"({a}) {op} ({b})"
    if op in ("min", "max"):
        return f"{op}({a}, {b})"
    if op == "abs":
        return f"abs({a})"
    if op == "if":
        return f"if(({a}) < ({b}), {a}, {b})"
    if op == "cmp":
        return f"(({a}) <= ({b}))"
    if op == "pow":
        return f"({a}) ^ 2"
    return f"-({a})"


discount_factors = st.floats(min_value=0.02, max_value=0.98)
"""Discount factors of bargaining models, away from 0 and 1."""

outside_options = st.one_of(st.none(), st.floats(min_value=0.0, max_value=0.45))
"""No outside option, or one small enough to leave a surplus."""
