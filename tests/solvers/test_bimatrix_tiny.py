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
from bargaining.solvers.bimatrix_compiled import set_compiled

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


@pytest.fixture(autouse=True)
def _pure_python():
    """These tests are about the pure-Python paths: the compiled path (the fast extra, tested
    in test_bimatrix_compiled.py), which would answer first, is off."""
    previous = set_compiled(False)
    yield
    set_compiled(previous)


def _generic(game):
    """enummixed with every small-game shortcut (and the compiled path) switched off."""
    old = bimatrix._LIST_CELLS
    bimatrix._LIST_CELLS = -1
    compiled = set_compiled(False)
    try:
        return enummixed(game)
    finally:
        bimatrix._LIST_CELLS = old
        set_compiled(compiled)


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


def test_4x4_integer_games_of_the_largest_range_equal_the_general_path():
    """4×4 integer games with payoffs in [-8, 8] (range INT4_RANGE, the bound of the tiny
    path's bases of size 4) and in [-1, 1] (many ties): the same answer as the numpy path."""
    rng = np.random.default_rng(7)
    for k in range(300):
        lo, hi = (-8, 9) if k % 2 else (-1, 2)
        A, B = rng.integers(lo, hi, (4, 4)), rng.integers(lo, hi, (4, 4))
        game = NormalFormGame.from_arrays(A.astype(float), B.astype(float))
        _same(enummixed(game), _generic(game))


def test_the_4x4_integer_solve_is_cramers_rule():
    """``solve_int4`` (determinant and adjugate row sums by Laplace expansion) against
    exact rational elimination, singular bases included."""
    from fractions import Fraction

    from bargaining.solvers.bimatrix_cramer import solve_int4

    rng = np.random.default_rng(8)
    for _ in range(400):
        M = rng.integers(1, 4, (5, 6)).tolist()
        S = tuple(sorted(rng.choice(5, 4, replace=False).tolist()))
        J = tuple(sorted(rng.choice(6, 4, replace=False).tolist()))
        R = [[Fraction(M[i][j]) for i in S] + [Fraction(1)] for j in J]
        rank = 0
        for c in range(4):  # Gauss-Jordan on the augmented system
            piv = next((r for r in range(rank, 4) if R[r][c] != 0), None)
            if piv is None:
                continue
            R[rank], R[piv] = R[piv], R[rank]
            R[rank] = [v / R[rank][c] for v in R[rank]]
            for r in range(4):
                if r != rank and R[r][c] != 0:
                    R[r] = [u - R[r][c] * v for u, v in zip(R[r], R[rank])]
            rank += 1
        got = solve_int4(M, S, J)
        if rank < 4:
            assert got is None
            continue
        d, num = got
        assert [Fraction(v, d) for v in num] == [R[r][4] for r in range(4)]


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
    for m, n in [(2, 2), (2, 3), (3, 3), (3, 4), (2, 6), (4, 4)]:
        for _ in range(20):
            A, B = rng.integers(-2, 3, (m, n)).astype(float), rng.integers(-2, 3, (m, n)).astype(float)
            assert tiny_extreme(A.tolist(), B.tolist()) is not None
            if (m, n) != (4, 4):  # 4x4: integer games only
                declined += tiny_extreme(rng.random((m, n)).tolist(), rng.random((m, n)).tolist()) is None
    assert tiny_extreme(rng.random((4, 4)).tolist(), rng.random((4, 4)).tolist()) is None
    wide = rng.integers(-2, 3, (4, 4)).astype(float)
    wide[0, 0] = 17.0  # a range above INT4_RANGE: the numpy stack decides
    assert tiny_extreme(wide.tolist(), wide.T.tolist()) is None
    for m, n in [(4, 4), (5, 5)]:
        for _ in range(10):
            declined += small_extreme(rng.random((m, n)).tolist(), rng.random((m, n)).tolist()) is None
    assert declined <= 6


def test_pair_vertices_integer_labels_equal_the_exact_vertices():
    """The integer path of ``pair_vertices`` (solve first, determinants only of the bases that
    look feasible) finds the same vertices and labels as exact vertex enumeration, on small
    integer games with many singular bases."""
    from fractions import Fraction

    from bargaining.solvers.bimatrix_exact import exact_vertices
    from bargaining.solvers.bimatrix_vertices import pair_vertices

    rng = np.random.default_rng(11)
    for m, n in ((3, 3), (4, 4), (5, 5), (3, 5), (5, 2)):
        for R in (1, 2, 40):
            for _ in range(12):
                MP = rng.integers(-R, R + 1, (m, n)).astype(float)
                MQ = rng.integers(-R, R + 1, (n, m)).astype(float)
                MP, MQ = MP - MP.min() + 1, MQ - MQ.min() + 1
                flags: dict[str, bool] = {}
                Xp, Lp, Yq, Lq = pair_vertices(MP, MQ, True, flags)
                assert not flags.get("ambiguous")
                for M, X, L, q in ((MP, Xp, Lp, False), (MQ, Yq, Lq, True)):
                    ex, eL, _ = exact_vertices(M.astype(int).astype(object))
                    if q:  # Q's global labels: rows tight first, then y = 0
                        eL = np.concatenate([eL[:, M.shape[0] :], eL[:, : M.shape[0]]], axis=1)
                    X = X / X.sum(axis=1, keepdims=True)  # exact_vertices gives mixed strategies
                    got = {(tuple(lab), tuple(np.round(x, 9))) for lab, x in zip(L.tolist(), X)}
                    want = {
                        (tuple(lab), tuple(round(float(Fraction(v)), 9) for v in x))
                        for lab, x in zip(eL.tolist(), ex)
                    }
                    assert got == want
