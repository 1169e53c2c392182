"""Scale robustness of the two-player solvers: equilibria are invariant under a positive affine
change of each player's payoffs, so a scaled game must give the same equilibria, complete
(hypothesis, against the exact answer of the unscaled game), in float and exact mode; payoffs
near 1e308, integers beyond 2**53, and the batched sweep path."""

from __future__ import annotations

import time
from fractions import Fraction as F

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bargaining import NormalFormGame, solve
from bargaining.solvers.batch import bimatrix_equilibria
from bargaining.verify import normal as verify

small = st.integers(2, 3).flatmap(
    lambda m: st.integers(2, 3).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=m, max_size=m),
            st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=m, max_size=m),
        )
    )
)


def _profiles(sol):
    return sorted(tuple(tuple(float(p) for p in s) for s in e.strategies) for e in sol.equilibria)


def _close(a, b):
    """The same profiles up to 1e-9, matched one to one (not by sort order: a last-bit difference
    such as 0.5000000000000001 against 0.5 may reorder sorted lists)."""
    if len(a) != len(b):
        return False
    left = [np.concatenate(y) for y in b]
    for x in a:
        flat = np.concatenate(x)
        hit = next((k for k, y in enumerate(left) if np.allclose(flat, y, atol=1e-9)), None)
        if hit is None:
            return False
        left.pop(hit)
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small, st.integers(-12, 12), st.integers(-12, 12), st.floats(-1e12, 1e12), st.floats(-1e12, 1e12))
def test_scaled_games_same_equilibria(game, ka, kb, ca, cb):
    A, B = (np.array(M, dtype=object) for M in game)
    base = solve(NormalFormGame.from_arrays(A, B, exact=True))
    assert base.complete
    # exact mode: scaled by exact powers of ten, shifted by exact constants
    sa, sb = F(10) ** ka, F(10) ** kb
    cax, cbx = F(round(ca)), F(round(cb))
    ex = solve(NormalFormGame.from_arrays(A * sa + cax, B * sb + cbx, exact=True))
    assert ex.complete
    assert [e.strategies for e in ex.equilibria] == [e.strategies for e in base.equilibria]
    assert ex.components == base.components
    # float mode: the same game in floats
    fa = A.astype(float) * 10.0**ka + ca
    fb = B.astype(float) * 10.0**kb + cb
    g = NormalFormGame.from_arrays(fa, fb)
    fl = solve(g)
    assert fl.complete, fl.message
    for e in fl.equilibria:
        assert verify.is_nash(g, e.strategies)
    # a shift of 1e12 on a payoff range of 1e-12 is below float resolution: the float game is then
    # a different game; compare only where the float payoffs still hold the original ones
    if np.all(np.abs(np.array([ca, cb])) * 1e-15 < 1e-6 * np.array([10.0**ka, 10.0**kb])):
        assert _close(_profiles(fl), _profiles(base)), fl.message


def test_payoffs_near_float_max():
    big = 1e308
    g = NormalFormGame.from_arrays([[big, -big], [-big, big]], [[big, -big], [-big, big]])
    t = time.perf_counter()
    sol = solve(g)
    assert time.perf_counter() - t < 2
    assert sol.complete
    got = _profiles(sol)
    want = [((0.0, 1.0), (0.0, 1.0)), ((0.5, 0.5), (0.5, 0.5)), ((1.0, 0.0), (1.0, 0.0))]
    assert _close(got, sorted(want))


def test_spread_payoffs_fall_back_to_exact():
    # the row player's payoffs span 1 .. 1e13: differences of 1 are 1e-13 of the range
    A = [[1e13, 0, 0], [0, 2, 1], [0, 1, 2]]
    B = [[1, 0, 0], [0, 1, 2], [0, 2, 1]]
    fl = solve(NormalFormGame.from_arrays(A, B))
    ex = solve(NormalFormGame.from_arrays(A, B, exact=True))
    assert fl.complete and ex.complete
    assert _close(_profiles(fl), _profiles(ex))
    assert "exact arithmetic" in fl.message
    for e in ex.equilibria:
        assert e.regret == 0


def test_huge_integers_exact():
    # beyond 2**53 no float holds them; exact mode must not care
    s = 10**40
    A = np.array([[3 * s, 0], [0, 2 * s]], dtype=object)
    B = np.array([[2, 0], [0, 3]], dtype=object)
    sol = solve(NormalFormGame.from_arrays(A + 7, B, exact=True))
    assert sol.complete
    assert [e.strategies for e in sol.equilibria] == [
        ((1, 0), (1, 0)),
        ((0, 1), (0, 1)),
        ((F(3, 5), F(2, 5)), (F(2, 5), F(3, 5))),
    ]


def test_all_zero_40_is_one_set_instantly():
    g = NormalFormGame.from_arrays(np.zeros((40, 40)), np.zeros((40, 40)))
    t = time.perf_counter()
    sol = solve(g)
    assert time.perf_counter() - t < 2
    assert sol.complete
    (entry,) = sol.extra["equilibrium_sets"]
    assert entry["dimension"] == 78 and entry["vertex_count"] == 1600 and entry["vertices_listed"] is False
    assert sol.extra["connected_components"] == [[0]]


def test_batch_normalised_per_player():
    rng = np.random.default_rng(5)
    A = rng.integers(0, 4, (50, 3, 3)).astype(float)
    B = rng.integers(0, 4, (50, 3, 3)).astype(float)
    base = bimatrix_equilibria(A, B)
    scaled = bimatrix_equilibria(A * 1e9 + 3e11, B * 1e-9 - 5.0)
    assert np.array_equal(base.count, scaled.count) and base.count.min() > 0
    assert np.allclose(base.x, scaled.x) and np.allclose(base.y, scaled.y)
    big = bimatrix_equilibria(np.array([[[1e308, 0], [0, 1e308]]]), np.array([[[1e308, 0], [0, 1e308]]]))
    assert big.count.tolist() == [3]
    spread = bimatrix_equilibria(np.array([[[1e7, 0], [0, 1]]]), np.array([[[1, 0], [0, 1]]]))
    assert spread.uncertain.tolist() == [True]
