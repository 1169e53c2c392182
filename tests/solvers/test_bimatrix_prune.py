"""The conditional-dominance pruning of enummixed's vertex enumeration (bimatrix_prune) and the
NaN-on-singular batched solve: the pruned path gives exactly the equilibria and components of the
unpruned path, and of the exact enumeration, on random and degenerate games of sizes 5..8."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from bargaining import NormalFormGame
from bargaining.solvers import bimatrix, bimatrix_prune, bimatrix_solve, bimatrix_vertices
from bargaining.solvers.bimatrix import enummixed
from bargaining.solvers.bimatrix_prune import pair_viable, viable_supports


def _brute_viable(M, O, S, weak):
    """The definitions of the module docstring, entry by entry."""
    m, n = M.shape

    def dominates(k, j):
        if weak:
            return all(M[i, k] >= M[i, j] for i in S) and any(M[i, k] > M[i, j] for i in S)
        return all(M[i, k] > M[i, j] for i in S)

    N = [j for j in range(n) if not any(dominates(k, j) for k in range(n))]
    dominated = any(
        all(O[j, k] > O[j, i] for j in N) for i in S for k in range(m)
    )  # N is never empty: the best column given S is undominated
    return not dominated, N


def test_viable_supports_against_the_definition():
    rng = np.random.default_rng(7)
    for t in range(60):
        m, n = rng.integers(2, 7, 2)
        r = (1, 2, 5)[t % 3]
        M = rng.integers(1, r + 2, (m, n)).astype(float)
        O = rng.integers(1, r + 2, (n, m)).astype(float)
        Sc = [S for k in range(1, m + 1) for S in combinations(range(m), k)]
        codes = np.array([sum(1 << i for i in S) for S in Sc], dtype=np.int64)
        for weak in (False, True):
            viable, ncodes, orig = viable_supports(M, O, codes, weak=weak)
            assert np.array_equal(orig, ncodes)
            for S, v, c in zip(Sc, viable.tolist(), ncodes.tolist()):
                want_v, want_N = _brute_viable(M, O, S, weak)
                assert v == want_v
                assert c == sum(1 << j for j in want_N)


def _random_game(rng, t):
    m, n = (int(v) for v in rng.integers(5, 9, 2))
    if t % 4 == 3:
        A, B = rng.random((m, n)), rng.random((m, n))
    else:
        r = (2, 5, 2)[t % 4]
        A, B = rng.integers(-r, r + 1, (m, n)), rng.integers(-r, r + 1, (m, n))
    if t % 5 == 0:  # duplicate strategies of both players
        A[1], B[1] = A[0], B[0]
        A[:, 2], B[:, 2] = A[:, 0], B[:, 0]
    if t % 7 == 1:  # a weakly dominated row and a strictly dominated column
        A[3] = np.minimum(A[3], A[4])
        B[:, 3] = B[:, 4] - 1
    if t % 11 == 2:  # a player indifferent everywhere
        B[:] = 1
    return A.astype(float), B.astype(float)


def _answer(game, **kw):
    sol = enummixed(game, **kw)
    assert sol.complete
    keys = [
        tuple(np.round(np.concatenate([np.asarray(s, dtype=float) for s in e.strategies]), 8))
        for e in sol.equilibria
    ]
    assert len(set(keys)) == len(keys)
    return set(keys), {frozenset(keys[i] for i in c) for c in sol.components}


@pytest.fixture
def unpruned(monkeypatch):
    """Switch the pruning off: every support viable, every column in N(S)."""

    def everything(M, O, codes, owner=None, weak=False):
        every = np.ones(len(codes), dtype=bool)
        return every, np.full(len(codes), (1 << M.shape[1]) - 1), np.full(len(codes), (1 << O.shape[0]) - 1)

    def run(game):
        with monkeypatch.context() as mp:
            mp.setattr(bimatrix_vertices, "viable_supports", everything)
            mp.setattr(bimatrix, "pair_viable", lambda *args: (None, None))  # no pair test either
            return _answer(game)

    return run


def test_pruned_equals_unpruned_and_exact(unpruned):
    rng = np.random.default_rng(2024)
    for t in range(150):
        A, B = _random_game(rng, t)
        game = NormalFormGame.from_arrays(A, B)
        got = _answer(game)
        assert got == unpruned(game), (A.tolist(), B.tolist())
        if t % 6 == 0 and A.shape[0] * A.shape[1] <= 42:  # the exact enumeration prunes nothing
            assert got == _answer(game, exact=True), (A.tolist(), B.tolist())


def test_pruning_removes_bases():
    """The fast path solves fewer bases than the plain one (so the equality above is not vacuous)."""
    rng = np.random.default_rng(3)
    A, B = rng.integers(-5, 6, (8, 8)).astype(float), rng.integers(-5, 6, (8, 8)).astype(float)
    MP, MQ = B - B.min() + 1, A.T - A.min() + 1
    seen = []
    orig = bimatrix_vertices.vertices_batch

    def count(M, sub, *args):
        seen.append(len(sub))
        return orig(M, sub, *args)

    bimatrix_vertices.vertices_batch = count
    try:
        X1, L1, _ = bimatrix_vertices.polytope_vertices(MP, integer=True)
        full = sum(seen)
        seen.clear()
        X2, L2, _ = bimatrix_vertices.polytope_vertices(MP, integer=True, other=MQ)
    finally:
        bimatrix_vertices.vertices_batch = orig
    assert sum(seen) < full // 2
    codes1 = {tuple(r) for r in L1.tolist()}
    assert {tuple(r) for r in L2.tolist()} <= codes1  # pruning only drops vertices


def test_solve_without_the_gufunc(monkeypatch):
    """The public fallback of the NaN-on-singular solve gives the same vertices."""
    rng = np.random.default_rng(5)
    for t in range(20):
        A, B = _random_game(rng, t)
        game = NormalFormGame.from_arrays(A, B)
        want = _answer(game)
        with monkeypatch.context() as mp:
            mp.setattr(bimatrix_solve, "_SOLVE1", None)
            assert _answer(game) == want


def test_streamed_bases_equal_the_table(monkeypatch):
    """Large shapes go size by size without the table of every basis: same answers."""
    rng = np.random.default_rng(11)
    games = [NormalFormGame.from_arrays(*_random_game(rng, t)) for t in range(24)]
    want = [_answer(g) for g in games]
    monkeypatch.setattr(bimatrix_vertices, "_TABLE_MAX", 0)
    monkeypatch.setattr(bimatrix_vertices, "_CHUNK", 700)  # several chunks per size
    assert [_answer(g) for g in games] == want


def test_either_polytope_first(monkeypatch):
    """The column player's polytope enumerated first (the other restricted by its vertices)
    gives the same answers as the row player's first."""
    from itertools import cycle

    rng = np.random.default_rng(13)
    games = [NormalFormGame.from_arrays(*_random_game(rng, t)) for t in range(40)]
    monkeypatch.setattr(bimatrix, "_ORDER_FROM", 0)
    answers = []
    for q_count in (1, 0):  # pruned_basis_count is asked for Q, then for P: Q first iff 0 < 1
        counts = cycle([q_count, 1])
        monkeypatch.setattr(bimatrix, "pruned_basis_count", lambda *args, c=counts: next(c))
        answers.append([_answer(g) for g in games])
    assert answers[0] == answers[1]


def test_byte_code_tables_equal_viable_supports():
    """The table version used for at most 8 strategies gives viable_supports on every support."""
    rng = np.random.default_rng(17)
    for t in range(200):
        m, n = (int(v) for v in rng.integers(1, 9, 2))
        if t % 4 == 1:
            n = m
        r = (1, 2, 5, 100)[t % 4]
        M = rng.integers(1, r + 2, (m, n)).astype(float)
        O = rng.integers(1, r + 2, (n, m)).astype(float)
        owner = None
        if t % 3 == 0 and n > 1:  # the last original column merged into another
            owner = np.append(np.arange(n - 1), rng.integers(0, n - 1))
            M = M[:, : n - 1]
        codes = np.arange(1, 1 << m, dtype=np.int64)
        for weak in (False, True):
            want = viable_supports(M, O, codes, owner, weak)
            got = bimatrix_prune._viable_all(M, O, owner, weak)
            for a, b in zip(want, got):
                assert np.array_equal(a, b), (t, weak)
            if m == n and owner is None:  # the stacked square version, this polytope twice
                v2, n2 = bimatrix_prune._viable_square(np.stack((M, M)), np.stack((O, O)), weak)
                for k in range(2):
                    assert np.array_equal(v2[k], want[0]) and np.array_equal(n2[k], want[1]), (t, weak)


def _brute_pairs(MP, MQ, weak_p, weak_q):
    """The pair test of the module docstring, support pair by support pair."""
    m, n = MP.shape
    vp, _, op = viable_supports(MP, MQ, np.arange(1, 1 << m, dtype=np.int64), weak=weak_p)
    vq, _, oq = viable_supports(MQ, MP, np.arange(1, 1 << n, dtype=np.int64), weak=weak_q)
    kp = [
        bool(vp[s - 1])
        and any(vq[t - 1] and t & ~op[s - 1] == 0 and s & ~oq[t - 1] == 0 for t in range(1, 1 << n))
        for s in range(1, 1 << m)
    ]
    kq = [
        bool(vq[t - 1])
        and any(vp[s - 1] and t & ~op[s - 1] == 0 and s & ~oq[t - 1] == 0 for s in range(1, 1 << m))
        for t in range(1, 1 << n)
    ]
    return kp, kq


def test_pair_test_against_the_definition():
    rng = np.random.default_rng(19)
    for t in range(40):
        m, n = (int(v) for v in rng.integers(1, 7, 2))
        if t % 5 == 4:  # the int64 version (more than 8 strategies) on a tall game
            m = 9
        r = (1, 2, 5, 100)[t % 4]
        MP = rng.integers(1, r + 2, (m, n)).astype(float)
        MQ = rng.integers(1, r + 2, (n, m)).astype(float)
        weak = t % 2 == 0
        (kp, _, _), (kq, _, _) = pair_viable(MP, MQ, MQ, MP, None, None, weak, weak)
        want_p, want_q = _brute_pairs(MP, MQ, weak, weak)
        assert kp.tolist() == want_p and kq.tolist() == want_q, t


def test_pruned_equals_unpruned_on_small_integer_payoffs(unpruned):
    """Payoffs in [-2, 2] (many ties, degenerate games), n = 5..8, and float games: the pair
    test and the pruning lose nothing."""
    rng = np.random.default_rng(29)
    for t in range(240):
        m, n = (int(v) for v in rng.integers(5, 9, 2))
        if t % 3 == 2:
            A, B = rng.random((m, n)), rng.random((m, n))
        else:
            A, B = rng.integers(-2, 3, (m, n)).astype(float), rng.integers(-2, 3, (m, n)).astype(float)
        game = NormalFormGame.from_arrays(A, B)
        assert _answer(game) == unpruned(game), (A.tolist(), B.tolist())


def test_size_groups_equal_one_padded_stack(monkeypatch):
    """Solving the padded stack by size groups (each group's top-left block) gives the same
    answers as solving every system at the largest size, for every grouping."""
    rng = np.random.default_rng(31)
    games = []
    for t in range(45):
        m, n = (int(v) for v in rng.integers(5, 9, 2))
        if t % 3 == 2:
            A, B = rng.random((m, n)), rng.random((m, n))
        else:
            A, B = rng.integers(-2, 3, (m, n)).astype(float), rng.integers(-2, 3, (m, n)).astype(float)
        games.append(NormalFormGame.from_arrays(A, B))
    answers = []
    for least in (10**9, 1, 128):  # one group (the old padded stack), one per size, the default
        monkeypatch.setattr(bimatrix_vertices, "_GROUP_MIN", least)
        answers.append([_answer(g) for g in games])
    assert answers[0] == answers[1] == answers[2]
