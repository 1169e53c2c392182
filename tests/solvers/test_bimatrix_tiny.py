"""The small-game fast paths of enummixed (pure-Python vertex enumeration and checks in
``bimatrix_tiny``) give the same answer as the general numpy path, on thousands of random
games: float payoffs, and integers in [-2, 2] (many ties, degenerate games, components)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bargaining import NormalFormGame
from bargaining.solvers import bimatrix
from bargaining.solvers.bimatrix import enummixed

SHAPES = [
    (1, 1),
    (1, 3),
    (2, 1),
    (2, 2),
    (2, 3),
    (3, 2),
    (3, 3),
    (2, 4),
    (4, 2),
    (2, 5),
    (3, 4),
    (4, 3),
    (2, 6),
    (4, 4),
    (5, 5),
]


def _generic(game):
    """enummixed with every small-game shortcut switched off."""
    old = bimatrix._LIST_CELLS
    bimatrix._LIST_CELLS = -1
    try:
        return enummixed(game)
    finally:
        bimatrix._LIST_CELLS = old


def _close(a, b) -> bool:
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_close(u, v) for u, v in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def _same(fast, slow) -> None:
    assert len(fast.equilibria) == len(slow.equilibria)
    for e, f in zip(fast.equilibria, slow.equilibria):
        assert _close(e.strategies, f.strategies), (e.strategies, f.strategies)
        assert _close(e.payoffs, f.payoffs)
        assert e.label == f.label and e.regret == f.regret
    assert fast.components == slow.components
    assert fast.complete == slow.complete and fast.exact == slow.exact
    assert fast.message == slow.message
    assert _close(dict(fast.extra), dict(slow.extra))


def _games(kind: str, count: int, seed: int):
    rng = np.random.default_rng(seed)
    for k in range(count):
        m, n = SHAPES[k % len(SHAPES)]
        if kind == "int":
            A, B = rng.integers(-2, 3, (m, n)), rng.integers(-2, 3, (m, n))
        elif kind == "half":  # non-integer floats with ties (exactly singular bases)
            A, B = rng.integers(-2, 3, (m, n)) / 2 + 0.25, rng.integers(-2, 3, (m, n)) / 4
        else:
            A, B = rng.random((m, n)), rng.random((m, n))
        yield NormalFormGame.from_arrays(A.astype(float), B.astype(float))


@pytest.mark.parametrize("kind, count", [("int", 1200), ("float", 600), ("half", 400)])
def test_fast_path_equals_general_path(kind, count):
    for game in _games(kind, count, seed={"int": 1, "float": 2, "half": 3}[kind]):
        _same(enummixed(game), _generic(game))


def test_fast_path_equals_exact_path_on_integer_games():
    for game in _games("int", 300, seed=4):
        fast, ex = enummixed(game), enummixed(game, exact=True)
        assert len(fast.equilibria) == len(ex.equilibria)
        for e, f in zip(fast.equilibria, ex.equilibria):
            assert _close(e.strategies, tuple(tuple(float(v) for v in s) for s in f.strategies))
        assert fast.components == ex.components
        assert fast.extra["component_index"] == ex.extra["component_index"]
        assert fast.extra["connected_components"] == ex.extra["connected_components"]


def test_small_certifier_equals_the_numpy_certifier():
    """verify.normal.max_regrets of small two-player float games in Python floats gives the
    same regrets, bit for bit, as its numpy contraction (equilibria and random profiles)."""
    from bargaining.verify import normal as vn

    rng = np.random.default_rng(5)
    for _ in range(500):
        m, n = (int(v) for v in rng.integers(1, 8, 2))
        g = NormalFormGame.from_arrays(rng.random((m, n)), rng.random((m, n)))
        profs = [eq.strategies for eq in enummixed(g).equilibria]
        profs += [(tuple(rng.dirichlet(np.ones(m))), tuple(rng.dirichlet(np.ones(n)))) for _ in range(2)]
        fast = vn.max_regrets(g, profs)
        old = vn._SMALL_CELLS
        vn._SMALL_CELLS = -1
        try:
            slow = vn.max_regrets(g, profs)
        finally:
            vn._SMALL_CELLS = old
        assert fast == slow


def test_the_fast_paths_are_taken():
    """The equality tests above compare something: random integer and float games of the tiny
    shapes are decided by ``tiny_extreme`` and 4×4, 5×5 ones by ``small_extreme``."""
    from bargaining.solvers.bimatrix_tiny import small_extreme, tiny_extreme

    rng = np.random.default_rng(6)
    declined = 0  # float payoffs closer than 1e-6 of their range go to the general path
    for m, n in [(2, 2), (2, 3), (3, 3), (3, 4), (2, 6)]:
        for _ in range(20):
            A, B = rng.integers(-2, 3, (m, n)).astype(float), rng.integers(-2, 3, (m, n)).astype(float)
            assert tiny_extreme(A.tolist(), B.tolist()) is not None
            declined += tiny_extreme(rng.random((m, n)).tolist(), rng.random((m, n)).tolist()) is None
    for m, n in [(4, 4), (5, 5)]:
        for _ in range(10):
            declined += small_extreme(rng.random((m, n)).tolist(), rng.random((m, n)).tolist()) is None
    assert declined <= 6
