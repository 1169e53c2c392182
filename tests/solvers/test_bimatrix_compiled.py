"""The compiled path of enummixed (``bimatrix_compiled`` / ``bimatrix_kernels``, numba: the
``fast`` extra) gives the answer of the numpy path — equilibria, payoffs, sets, components and
indices — on thousands of random and degenerate games, finds every vertex of a polytope (the
dominance skip of tight sets loses none), and hands every doubtful game to the numpy path."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pytest
from test_bimatrix_tiny import _close, _same

from bargaining import NormalFormGame
from bargaining.solvers import bimatrix, bimatrix_compiled
from bargaining.solvers.bimatrix import enummixed
from bargaining.solvers.bimatrix_compiled import compiled_extreme, compiled_fits, set_compiled

pytest.importorskip("numba")
from bargaining.solvers import bimatrix_kernels  # noqa: E402  (needs numba)

SHAPES = [
    (2, 2),
    (2, 5),
    (3, 3),
    (3, 5),
    (4, 4),
    (4, 6),
    (5, 5),
    (3, 8),
    (6, 6),
    (7, 7),
    (5, 9),
    (8, 8),
    (9, 9),
    (10, 10),
]


def _numpy_path(game):
    previous = set_compiled(False)
    try:
        return enummixed(game)
    finally:
        set_compiled(previous)


def _payoffs(kind: str, m: int, n: int, rng):
    if kind == "r2":  # integers in [-2, 2]: many ties, degenerate games, sets of equilibria
        return rng.integers(-2, 3, (m, n)), rng.integers(-2, 3, (m, n))
    if kind == "r5":
        return rng.integers(-5, 6, (m, n)), rng.integers(-5, 6, (m, n))
    if kind == "bin":  # 0/1 payoffs: the most degenerate
        return rng.integers(0, 2, (m, n)), rng.integers(0, 2, (m, n))
    if kind == "scaled":  # ties in non-integer floats of very different magnitudes
        return rng.integers(-3, 4, (m, n)) * 0.37 + 1e3, rng.integers(-3, 4, (m, n)) * 1e-3
    return rng.random((m, n)), rng.random((m, n))


@pytest.mark.parametrize("kind", ["r2", "r5", "bin", "scaled", "float"])
def test_compiled_path_equals_numpy_path(kind):
    rng = np.random.default_rng(["r2", "r5", "bin", "scaled", "float"].index(kind))
    used = 0
    for m, n in SHAPES:
        for _ in range(30 if m * n <= 25 else 8 if m * n <= 64 else 3):
            A, B = _payoffs(kind, m, n, rng)
            game = NormalFormGame.from_arrays(A.astype(float), B.astype(float))
            used += compiled_extreme(game.float_payoffs[0], game.float_payoffs[1]) is not None
            _same(enummixed(game), _numpy_path(game))
    assert used > 0  # the compiled path decided most games (doubt goes to numpy)


def test_compiled_path_is_taken_beyond_the_tiny_shapes(monkeypatch):
    calls = []
    real = bimatrix.compiled_extreme

    def spy(*args):
        calls.append(args[0].shape)
        return real(*args)

    monkeypatch.setattr(bimatrix, "compiled_extreme", spy)
    rng = np.random.default_rng(5)
    game = NormalFormGame.from_arrays(rng.random((6, 6)), rng.random((6, 6)))
    enummixed(game)
    assert calls == [(6, 6)]
    assert compiled_fits(9, 9) and not compiled_fits(10, 10) and not compiled_fits(11, 11)
    floats = (rng.random((10, 10)), rng.random((10, 10)))
    integers = (np.ones((10, 10)), np.zeros((10, 10)))
    assert compiled_fits(10, 10, floats) and not compiled_fits(10, 10, integers)


def _brute_vertices(M: np.ndarray) -> set[tuple[float, ...]]:
    """Every vertex of {x >= 0 : M^T x <= 1} by solving every basis (no skipping), scaled to
    sum 1."""
    d, c = M.shape
    out = set()
    from itertools import combinations

    for k in range(1, min(d, c) + 1):
        for S in combinations(range(d), k):
            for J in combinations(range(c), k):
                sub = M[np.ix_(S, J)].T
                if abs(np.linalg.det(sub)) < 1e-9:
                    continue
                x = np.zeros(d)
                x[list(S)] = np.linalg.solve(sub, np.ones(k))
                if x.min() >= -1e-9 and (M.T @ x).max() <= 1 + 1e-9:
                    out.add(tuple(np.round(x / x.sum(), 8) + 0.0))
    return out


@pytest.mark.parametrize("integer", [True, False])
def test_polytope_vertices_are_all_found(integer):
    """The kernel's vertex list (tight sets drawn only from the columns not strictly dominated
    on the support) equals brute force over every basis, on integer matrices with many ties
    and on float matrices."""
    rng = np.random.default_rng(11 + integer)
    for _ in range(150):
        d, c = rng.integers(1, 6, 2)
        M = rng.integers(1, 4, (d, c)).astype(float) if integer else rng.random((d, c)) + 1.0
        X = np.empty((math.comb(d + c, d), d))
        codes = np.empty(len(X), np.int64)
        count, status = bimatrix_kernels.polytope_vertices(M, integer, X, codes, np.zeros((0, 0)))
        if status:
            continue
        # integer polytopes keep x |det| (integers): compared as directions (distinct vertices
        # are never proportional)
        got = {tuple(np.round(X[r] / X[r].sum(), 8) + 0.0) for r in range(count)}
        assert got == _brute_vertices(M)
        assert len(set(codes[:count].tolist())) == count  # one row per label set


def test_a_nearly_singular_basis_is_not_taken_for_a_vertex():
    """Two strategies of the row player tie on the support {3, 4}: the float normalisation
    makes that basis nearly (not exactly) singular, and LAPACK returned a point inside an edge
    as a vertex. Both float paths now give the exact extreme equilibria."""
    A = [[998.89, 1001.11, 998.89, 1000.74, 999.26], [1001.11, 1000.0, 999.26, 1000.74, 999.26]]
    B = [[0.002, 0.001, -0.002, 0.003, 0.003], [-0.003, -0.002, 0.002, -0.002, -0.001]]
    game = NormalFormGame.from_arrays(np.array(A), np.array(B))
    exact = enummixed(game, exact=True)
    want = [tuple(tuple(float(p) for p in s) for s in e.strategies) for e in exact.equilibria]
    for sol in (enummixed(game), _numpy_path(game)):
        assert _close([e.strategies for e in sol.equilibria], want)
        assert sol.components == exact.components


def test_doubt_goes_to_the_numpy_path():
    """Payoffs closer than 1e-6 of their range: the kernel declines (status 2) and enummixed
    answers as the numpy path (which solves exactly)."""
    A = np.array([[1.0, 1.0 + 1e-9, 0.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0]])
    B = A.T.copy()
    assert compiled_extreme(A, B) is None
    game = NormalFormGame.from_arrays(A, B)
    _same(enummixed(game), _numpy_path(game))


def test_switched_off_by_the_environment():
    code = "from bargaining.solvers.bimatrix_compiled import compiled_available; print(compiled_available())"
    env = dict(os.environ, BARGAINING_COMPILED="0")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert bimatrix_compiled.compiled_available()  # on here (numba installed, not switched off)
