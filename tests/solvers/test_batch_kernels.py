"""The fast batched bimatrix paths (closed-form 2×2; all-subsets vertex enumeration with label-set
pairing, :mod:`bargaining.solvers.batch_vertex`) give exactly the output of plain vertex enumeration
(``kernel="vertex"``) and the same extreme equilibria as the per-game exact enumeration of
``enummixed``, degenerate games included; textbook 2×2 games checked against equilibria derived by
hand."""

from __future__ import annotations

import numpy as np
import pytest

from bargaining.model.normal import NormalFormGame
from bargaining.solvers.batch import BimatrixBatch, bimatrix_equilibria
from bargaining.solvers.batch_vertex import fast_shape, vertex_pairs
from bargaining.solvers.bimatrix import extreme_equilibria


def _assert_same(new: BimatrixBatch, old: BimatrixBatch) -> None:
    assert np.array_equal(new.count, old.count)
    assert np.array_equal(new.game, old.game)
    assert np.array_equal(new.index, old.index)
    assert new.uncertain is not None and old.uncertain is not None
    assert np.array_equal(new.uncertain, old.uncertain)
    for field in ("x", "y", "payoffs", "regret"):
        np.testing.assert_allclose(getattr(new, field), getattr(old, field), rtol=1e-9, atol=1e-9)


def _stacks(shape: tuple[int, int], seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """10^4 games per shape: integers in small ranges (ties: degenerate games, equilibrium
    segments, constant rows and columns), floats, and near-ties below the uncertain threshold."""
    rng = np.random.default_rng(seed)
    out = []
    for k in (1, 2, 4):
        A = rng.integers(-k, k + 1, (2500, *shape)).astype(float)
        B = rng.integers(-k, k + 1, (2500, *shape)).astype(float)
        out.append((A, B))
    out.append((rng.normal(size=(2000, *shape)), rng.normal(size=(2000, *shape))))
    A = 1.0 + 1e-7 * rng.integers(-2, 3, (500, *shape))
    out.append((A, rng.normal(size=(500, *shape))))
    return out


@pytest.mark.parametrize(
    "shape", [(2, 2), (3, 3), (2, 3), (3, 2), (2, 4), (3, 4), (4, 2)], ids=lambda s: f"{s[0]}x{s[1]}"
)
def test_fast_kernels_match_vertex_enumeration(shape):
    for A, B in _stacks(shape, seed=7 + sum(shape)):
        if sum(shape) >= 7:  # the plain kernel tests C(7, 3)² pairs per game: a quarter suffices
            A, B = A[::4], B[::4]
        _assert_same(bimatrix_equilibria(A, B), bimatrix_equilibria(A, B, kernel="vertex"))


def test_degenerate_2x2_games_keep_every_extreme_equilibrium():
    # row player indifferent everywhere: every column best response gives an equilibrium, and the
    # set of equilibria is a segment; vertex enumeration lists its endpoints
    A = np.array([[[1.0, 1.0], [1.0, 1.0]]])
    B = np.array([[[2.0, 0.0], [0.0, 1.0]]])
    res = bimatrix_equilibria(A, B)
    # hand: column plays 0 after row 0, 1 after row 1; row indifferent, so (0,0), (1,1) and the
    # mixtures x0 in [1/3, 1] with column 0 and x0 in [0, 1/3] with column 1 (column indifferent at x0 = 1/3)
    got = sorted((round(x[0], 9), round(y[0], 9)) for x, y in zip(res.x, res.y))
    assert got == sorted([(1.0, 1.0), (0.0, 0.0), (round(1 / 3, 9), 1.0), (round(1 / 3, 9), 0.0)])


def test_textbook_2x2_games():
    # matching pennies: only x = y = (1/2, 1/2)
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    # battle of the sexes: (0,0), (1,1) and x = (2/3, 1/3), y = (1/3, 2/3) (indifference: 2 y0 = 1 - y0,
    # x0 = 2 (1 - x0))
    A2, B2 = np.array([[2.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 0.0], [0.0, 2.0]])
    res = bimatrix_equilibria(np.stack([A, A2]), np.stack([-A, B2]))
    assert res.count.tolist() == [1, 3]
    np.testing.assert_allclose(res.x[0], [0.5, 0.5])
    np.testing.assert_allclose(res.y[0], [0.5, 0.5])
    np.testing.assert_allclose(res.x[1:], [[1, 0], [0, 1], [2 / 3, 1 / 3]])
    np.testing.assert_allclose(res.y[1:], [[1, 0], [0, 1], [1 / 3, 2 / 3]])
    np.testing.assert_allclose(res.payoffs[1:], [[2, 1], [1, 2], [2 / 3, 2 / 3]])
    assert np.all(res.regret <= 1e-12)


def test_unknown_kernel_is_a_user_error():
    from bargaining.errors import GameValidationError

    with pytest.raises(GameValidationError, match="kernel"):
        bimatrix_equilibria(np.zeros((1, 2, 2)), np.zeros((1, 2, 2)), kernel="fast")


def _exact_rows(A: np.ndarray, B: np.ndarray) -> list[tuple[float, ...]]:
    xs, ys, edges, finished, _ = extreme_equilibria(NormalFormGame.from_arrays(A, B), exact=True)
    assert finished
    return sorted(tuple(round(float(v), 9) for v in (*xs[a], *ys[b])) for a, b in edges)


@pytest.mark.parametrize(
    "shape, games", [((2, 2), 900), ((3, 3), 900), ((2, 3), 600), ((3, 2), 600), ((3, 4), 150)], ids=str
)
def test_fast_kernels_match_exact_enummixed(shape, games):
    # integers in [-1, 1] and [-2, 2] (most games degenerate: ties, weakly dominated pure
    # profiles, equilibrium segments, constant rows) and normal floats, against the exact
    # per-game enumeration (Fractions; the exact path of enummixed)
    rng = np.random.default_rng(99 + sum(shape))
    third = games // 3
    A = np.concatenate(
        [
            rng.integers(-1, 2, (third, *shape)),
            rng.integers(-2, 3, (third, *shape)),
            rng.normal(size=(third, *shape)),
        ]
    )
    B = np.concatenate(
        [
            rng.integers(-1, 2, (third, *shape)),
            rng.integers(-2, 3, (third, *shape)),
            rng.normal(size=(third, *shape)),
        ]
    )
    res = bimatrix_equilibria(A, B)
    assert res.uncertain is not None and not res.uncertain.any()
    starts = np.concatenate([[0], np.cumsum(res.count)])
    for k in range(len(A)):
        rows = slice(starts[k], starts[k + 1])
        got = sorted(map(tuple, np.round(np.concatenate([res.x[rows], res.y[rows]], axis=1), 9).tolist()))
        want = _exact_rows(A[k], B[k])
        assert len(got) == len(want), (k, A[k], B[k])
        np.testing.assert_allclose(got, want, atol=1e-9)


def test_vertex_pairs_lists_each_equilibrium_once():
    # a fully degenerate game (all payoffs equal): every pair of pure strategies and every
    # vertex pair is an equilibrium; each degenerate vertex is reached by many label subsets
    assert fast_shape(3, 3) and not fast_shape(4, 4)
    A = np.ones((1, 3, 3))
    g, x, y = vertex_pairs(A, A, 1e-9)
    keys = {tuple(np.round(np.concatenate([a, b]), 9)) for a, b in zip(x, y)}
    assert len(keys) == len(g) == 9  # the pure profiles: the polytopes are simplices
    assert vertex_pairs(np.ones((0, 3, 3)), np.ones((0, 3, 3)), 1e-9)[0].size == 0


@pytest.mark.parametrize("shape", [(3, 3), (3, 4), (4, 3)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_structured_degenerate_games_match_exact_enummixed(shape):
    # constant payoffs, duplicate strategies, common interest and zero-sum games with ties:
    # degenerate vertices reached by many label subsets, equilibrium segments and faces
    rng = np.random.default_rng(5 + sum(shape))
    As, Bs = [], []
    for k in range(120):
        A = rng.integers(-1, 2, shape).astype(float)
        B = rng.integers(-1, 2, shape).astype(float)
        case = k % 6
        if case == 0:
            A[:] = 1.0
        elif case == 1:
            A[:], B[:] = 1.0, 2.0
        elif case == 2:
            A[0] = A[1]
        elif case == 3:
            B[:, 0] = B[:, 1]
        elif case == 4:
            A = B.copy()
        else:
            A = -B
        As.append(A)
        Bs.append(B)
    A, B = np.array(As), np.array(Bs)
    res = bimatrix_equilibria(A, B)
    _assert_same(res, bimatrix_equilibria(A, B, kernel="vertex"))
    starts = np.concatenate([[0], np.cumsum(res.count)])
    for k in range(len(A)):
        rows = slice(starts[k], starts[k + 1])
        got = sorted(map(tuple, np.round(np.concatenate([res.x[rows], res.y[rows]], axis=1), 9).tolist()))
        want = _exact_rows(A[k], B[k])
        assert len(got) == len(want), (k, A[k], B[k])
        np.testing.assert_allclose(got, want, atol=1e-9)
