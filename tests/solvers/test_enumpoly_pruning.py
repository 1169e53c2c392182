"""The speed-ups of ``enumpoly`` never drop an equilibrium.

* The cached conditional-dominance pruning (:class:`ConditionalDominance`, a float pre-test
  confirmed exactly) prunes exactly the support profiles that an independent brute-force check
  in Fractions calls dominated, on random and on degenerate (many ties) games.
* On small random and degenerate games, an exhaustive search with no pruning at all (every
  support profile over every strategy, solved exactly by Gröbner bases) finds no equilibrium that
  ``enumpoly`` misses, and ``enumpoly`` (Farkas LPs through the reusable HiGHS instance, reused
  multipliers and vertex values, the Krawczyk preview) lists nothing that is not an equilibrium.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from bargaining.model.normal import NormalFormGame
from bargaining.solvers.enumpoly import ConditionalDominance, enumpoly, solve_support
from bargaining.verify import normal as verify


def _game(shape, seed: int, low: int, high: int) -> NormalFormGame:
    rng = np.random.default_rng(seed)
    return NormalFormGame.from_tensor(rng.integers(low, high + 1, size=(len(shape), *shape)).astype(float))


def _all_supports(shape):
    per = [[c for k in range(1, m + 1) for c in itertools.combinations(range(m), k)] for m in shape]
    return list(itertools.product(*per))


def _brute_dominated(U, supports) -> bool:
    """Some s in T_i with a pure t in S_i: u_i(t, c) >= u_i(s, c) for every c in T_{-i}, strictly
    for one (every such c has positive probability under an exact support, so s is no best reply)."""
    n = U.shape[0]
    for i in range(n):
        others = [supports[j] for j in range(n) if j != i]
        for s in supports[i]:
            for t in range(U.shape[1 + i]):
                if t == s:
                    continue
                diffs = []
                for c in itertools.product(*others):
                    cell_t = tuple(c[:i]) + (t,) + tuple(c[i:])
                    cell_s = tuple(c[:i]) + (s,) + tuple(c[i:])
                    diffs.append(U[i][cell_t] - U[i][cell_s])
                if all(d >= 0 for d in diffs) and any(d > 0 for d in diffs):
                    return True
    return False


GAMES = [
    ((3, 3, 3), 0, -99, 99),
    ((3, 3, 3), 1, -1, 1),  # degenerate: payoffs in {-1, 0, 1}
    ((2, 2, 2, 2), 2, 0, 1),  # degenerate: 0/1 payoffs
    ((3, 2, 2), 3, -2, 2),
]


@pytest.mark.parametrize("shape,seed,low,high", GAMES)
def test_cached_dominance_prunes_exactly_the_dominated_supports(shape, seed, low, high):
    game = _game(shape, seed, low, high)
    U = game.as_exact().payoffs
    Uf = np.array([float(x) for x in U.ravel()]).reshape(U.shape)
    pruned = ConditionalDominance(U, Uf)
    count = 0
    for supports in _all_supports(shape):
        expected = _brute_dominated(U, supports)
        assert pruned(supports) == expected, supports
        count += expected
    assert count > 0  # the pruning is exercised


def _exhaustive_equilibria(game: NormalFormGame):
    """``(isolated, on_continua)``: the equilibria of every support profile (no pruning), solved
    exactly by Gröbner bases; ``isolated`` from supports with finitely many solutions, and
    ``on_continua`` the sampled points of positive-dimensional solution sets that are equilibria
    with exactly that support."""
    U = game.as_exact().payoffs
    isolated, on_continua = [], []
    for supports in _all_supports(game.shape):
        status, points = solve_support(U, supports)
        for prof, _alg in points:
            fprof = [[float(p) for p in probs] for probs in prof]
            if float(verify.max_regret(game, fprof)) > 1e-9:
                continue
            if status == "finite":
                isolated.append(fprof)
            elif all(fprof[i][k] > 1e-9 for i, T in enumerate(supports) for k in T):
                on_continua.append(fprof)
    return isolated, on_continua


def _contains(sol, prof, tol=1e-7) -> bool:
    return any(
        max(abs(float(a) - b) for pa, pb in zip(eq.strategies, prof) for a, b in zip(pa, pb)) < tol
        for eq in sol.equilibria
    )


@pytest.mark.parametrize(
    "shape,seed,low,high",
    [((2, 2, 2), s, -9, 9) for s in range(3)]
    + [((2, 2, 2), s, 0, 2) for s in range(3, 8)]
    + [((3, 2, 2), 1, -3, 3)],
)
def test_no_equilibrium_is_dropped(shape, seed, low, high):
    game = _game(shape, seed, low, high)
    sol = enumpoly(game, algebraic=True)
    for eq in sol.equilibria:  # nothing spurious
        assert float(verify.max_regret(game, [[float(p) for p in probs] for probs in eq.strategies])) <= 1e-7
    isolated, on_continua = _exhaustive_equilibria(game)
    continua = {tuple(tuple(T) for T in c) for c in sol.extra["continua"]}
    for prof in isolated:
        support = tuple(tuple(k for k, p in enumerate(probs) if p > 1e-9) for probs in prof)
        if support in continua:  # on a continuum enumpoly reports (and then it is not complete)
            assert not sol.complete
            continue
        assert _contains(sol, prof), (prof, [eq.strategies for eq in sol.equilibria])
    if on_continua:  # a continuum of equilibria: enumpoly must not claim completeness
        assert not sol.complete
    # and without the algebraic forms the same equilibria come out
    fast = enumpoly(game, algebraic=False)
    assert len(fast.equilibria) == len(sol.equilibria)
    for eq in sol.equilibria:
        assert _contains(fast, [[float(p) for p in probs] for probs in eq.strategies])


def test_exact_dominance_is_confirmed_beyond_the_float_pre_test():
    # payoffs that differ only beyond float precision: 1 + 1e-20 rounds to 1.0
    tiny = Fraction(1, 10**20)
    U = np.empty((2, 2, 2), dtype=object)
    U[0] = [[Fraction(1), Fraction(1)], [Fraction(1) + tiny, Fraction(1) - tiny]]
    U[1] = [[Fraction(0), Fraction(0)], [Fraction(0), Fraction(0)]]
    Uf = np.array([float(x) for x in U.ravel()]).reshape(U.shape)
    pruned = ConditionalDominance(U, Uf)
    for supports in _all_supports((2, 2)):
        assert pruned(supports) == _brute_dominated(U, supports), supports
