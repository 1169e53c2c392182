"""enummixed: textbook games with exact answers, components, timeouts, and cross-checks against
pygambit (test-only oracle), nashpy and our own enumpure. Every equilibrium goes through the
independent verifier."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from fractions import Fraction as F
from pathlib import Path

import gambit_oracle as gambit
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from strategies import float_games, half_integer_games, int_games

from bargaining import NormalFormGame, solve
from bargaining.formats.nfg import read_nfg
from bargaining.solvers.bimatrix import enummixed
from bargaining.solvers.budget import Deadline
from bargaining.solvers.pure import enumpure
from bargaining.verify import normal as verify


def _certified(fn):
    """The solver's answer with the dispatcher's independent certificate (``regret``)."""

    def run(game, *args, **kwargs):
        from bargaining.verify import certify

        return certify(game, fn(game, *args, **kwargs))

    run.__name__ = fn.__name__
    return run


enummixed = _certified(enummixed)
enumpure = _certified(enumpure)

DATA = Path(__file__).resolve().parents[1] / "data"
H = F(1, 2)
T = F(1, 3)


@dataclass(frozen=True)
class Case:
    file: str
    equilibria: list  # exact profiles, in the contract's order
    payoffs: list
    components: list


CASES = [
    pytest.param(Case("matching-pennies.nfg", [((H, H), (H, H))], [(0, 0)], [[0]]), id="matching-pennies"),
    pytest.param(
        Case(
            "battle-of-the-sexes.nfg",
            [((1, 0), (1, 0)), ((0, 1), (0, 1)), ((F(3, 5), F(2, 5)), (F(2, 5), F(3, 5)))],
            [(3, 2), (2, 3), (F(6, 5), F(6, 5))],
            [[0], [1], [2]],
        ),
        id="battle-of-the-sexes",
    ),
    pytest.param(
        Case(
            "chicken.nfg",
            [((1, 0), (0, 1)), ((0, 1), (1, 0)), ((F(9, 10), F(1, 10)), (F(9, 10), F(1, 10)))],
            [(-1, 1), (1, -1), (F(-1, 10), F(-1, 10))],
            [[0], [1], [2]],
        ),
        id="chicken",
    ),
    pytest.param(
        Case("prisoners-dilemma.nfg", [((0, 1), (0, 1))], [(-2, -2)], [[0]]), id="prisoners-dilemma"
    ),
    pytest.param(
        Case("rock-paper-scissors.nfg", [((T, T, T), (T, T, T))], [(0, 0)], [[0]]), id="rock-paper-scissors"
    ),
    pytest.param(
        Case(
            "entry-deterrence.nfg",
            [((1, 0), (1, 0)), ((0, 1), (0, 1)), ((1, 0), (H, H))],
            [(0, 2), (1, 1), (0, 2)],
            [[0, 2], [1]],  # Out against Fight with probability >= 1/2: one segment
        ),
        id="continuum-entry-deterrence",
    ),
    pytest.param(Case("shapley-3x3.nfg", [((T, T, T), (T, T, T))], [(T, T)], [[0]]), id="shapley-3x3"),
    pytest.param(
        Case(
            "von-stengel-3x2.nfg",
            [((1, 0, 0), (1, 0)), ((F(4, 5), F(1, 5), 0), (F(2, 3), F(1, 3))), ((0, T, 2 * T), (T, 2 * T))],
            [(3, 3), (3, F(14, 5)), (4, F(8, 3))],
            [[0], [1], [2]],
        ),
        id="von-stengel-3x2",
    ),
]


def _exact(profile):
    return tuple(tuple(F(p) for p in s) for s in profile)


def _gambit_extreme(game: NormalFormGame) -> set:
    A, B = (np.asarray(game.as_exact().payoffs[i]).tolist() for i in range(2))
    return {_exact(p) for p in gambit.enummixed([A, B], rational=True)}


def _gambit_pure(game: NormalFormGame) -> set:
    A, B = (np.asarray(game.as_exact().payoffs[i]).tolist() for i in range(2))
    return {_exact(p) for p in gambit.enumpure([A, B])}


def _check_components(sol) -> None:
    """Components are maximal bicliques covering every equilibrium: each is the product of its
    row strategies and its column strategies, and the barycenter is an equilibrium."""
    eqs = [e.strategies for e in sol.equilibria]
    covered = set()
    comps = [set(c) for c in sol.components]
    for c in comps:
        xs = {eqs[k][0] for k in c}
        ys = {eqs[k][1] for k in c}
        assert {(x, y) for x in xs for y in ys} == {eqs[k] for k in c}, "not a product set"
        bary = tuple(
            tuple(sum(v[i] for v in side) / len(side) for i in range(len(next(iter(side)))))
            for side in (xs, ys)
        )
        assert verify.max_regret(sol.game.as_exact(), _exact(bary)) == 0
        covered |= c
        assert not any(c < d for d in comps), "component not maximal"
    assert covered == set(range(len(eqs)))


@pytest.mark.parametrize("case", CASES)
def test_textbook_games_exact(case: Case):
    game = read_nfg(DATA / case.file)
    sol = solve(game)  # default method for two players
    assert sol.method == "enummixed" and sol.complete and sol.exact
    assert [e.strategies for e in sol.equilibria] == [_exact(p) for p in case.equilibria]
    assert [tuple(e.payoffs) for e in sol.equilibria] == [tuple(F(v) for v in p) for p in case.payoffs]
    for e in sol.equilibria:
        assert e.regret == 0 and verify.max_regret(game, e.strategies) == 0
    assert [list(c) for c in sol.components] == case.components
    _check_components(sol)
    assert {e.strategies for e in sol.equilibria} == _gambit_extreme(game)


@pytest.mark.parametrize("case", CASES)
def test_textbook_games_float(case: Case):
    game = read_nfg(DATA / case.file, exact=False)
    sol = enummixed(game)
    assert sol.complete and not sol.exact
    assert len(sol.equilibria) == len(case.equilibria)
    for got, want in zip(sol.equilibria, case.equilibria):
        for s, w in zip(got.strategies, want):
            assert np.allclose(s, [float(v) for v in w], atol=1e-12)
        assert verify.is_nash(game, got.strategies)
    assert [list(c) for c in sol.components] == case.components


def test_nashpy_support_enumeration_misses_an_extreme_equilibrium():
    nashpy = pytest.importorskip("nashpy")
    game = read_nfg(DATA / "nashpy-miss.nfg")
    sol = enummixed(game)
    ours = {e.strategies for e in sol.equilibria}
    assert ours == _gambit_extreme(game)
    A, B = (np.asarray(game.float_payoffs[i]) for i in range(2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = list(nashpy.Game(A, B).support_enumeration())
    missed = [
        p
        for p in ours
        if not any(
            np.allclose(np.array(p[0], float), a) and np.allclose(np.array(p[1], float), b) for a, b in theirs
        )
    ]
    assert ((H, 0, H), (0, 1, 0)) in missed  # unequal supports: found by us and Gambit only


def test_float_results_are_clean_and_verified():
    g = NormalFormGame.from_arrays([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    sol = enummixed(g)
    assert all(isinstance(p, float) for e in sol.equilibria for s in e.strategies for p in s)
    assert all(e.regret <= verify.default_tolerance(g) for e in sol.equilibria)


def test_exact_flag_on_float_game_gives_fractions():
    g = NormalFormGame.from_arrays([[0.1, 0], [0, 0.2]], [[0.2, 0], [0, 0.1]])
    sol = enummixed(g, exact=True)
    assert sol.exact
    assert sol.equilibria[-1].strategies == ((F(1, 3), F(2, 3)), (F(2, 3), F(1, 3)))


def test_degenerate_overlapping_components():
    # two components sharing an extreme equilibrium (found among small random games)
    A = [[1, 1, 1], [1, 2, 1], [2, 2, 0]]
    B = [[2, 0, 2], [0, 2, 2], [2, 1, 1]]
    g = NormalFormGame.from_arrays(A, B, exact=True)
    sol = enummixed(g)
    assert {e.strategies for e in sol.equilibria} == _gambit_extreme(g)
    _check_components(sol)
    sizes = sorted(len(c) for c in sol.components)
    assert sizes[-1] >= 2 and len(sol.components) > 1
    counts = np.bincount([k for c in sol.components for k in c])
    assert counts.max() >= 2  # an extreme equilibrium in two maximal Nash subsets


def test_all_constant_and_one_strategy_games():
    g = NormalFormGame.from_arrays(np.zeros((2, 3)), np.zeros((2, 3)), exact=True)
    sol = enummixed(g)
    assert len(sol.equilibria) == 6 and len(sol.components) == 1 and sol.components[0] == tuple(range(6))
    g1 = NormalFormGame.from_arrays([[1, 5, 2]], [[0, 3, 3]], exact=True)
    sol1 = enummixed(g1)
    assert {e.strategies for e in sol1.equilibria} == _gambit_extreme(g1)
    _check_components(sol1)


def test_timeout_marks_incomplete():
    rng = np.random.default_rng(0)
    g = NormalFormGame.from_arrays(rng.random((12, 12)), rng.random((12, 12)))
    sol = enummixed(g, deadline=Deadline(1e-6))
    assert not sol.complete and "time budget" in sol.message
    for e in sol.equilibria:
        assert verify.is_nash(g, e.strategies)


def test_rejects_three_players():
    g = NormalFormGame.from_tensor(np.zeros((3, 2, 2, 2)))
    with pytest.raises(Exception, match="two-player"):
        solve(g, method="enummixed")


# -- properties -----------------------------------------------------------------------------------
_SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(int_games())
def test_degenerate_integer_games_match_gambit_exactly(game):
    sol = enummixed(game)
    assert sol.complete
    ours = [e.strategies for e in sol.equilibria]
    assert len(set(ours)) == len(ours)
    for e in sol.equilibria:
        assert verify.max_regret(game, e.strategies) == 0 and e.regret == 0
    assert set(ours) == _gambit_extreme(game)
    assert {p for p, e in zip(ours, sol.equilibria) if e.label == "pure"} == _gambit_pure(game)
    pure = {e.strategies for e in enumpure(game).equilibria}
    assert {p for p, e in zip(ours, sol.equilibria) if e.label == "pure"} == pure
    _check_components(sol)


@settings(max_examples=40, deadline=None)
@given(float_games())
def test_float_games_verified_and_match_gambit(game):
    sol = enummixed(game)
    assert sol.complete
    for e in sol.equilibria:
        assert verify.is_nash(game, e.strategies)
    theirs = _gambit_extreme(game)  # the floats read by their decimal text, solved in rationals
    assert len(theirs) == len(sol.equilibria)
    for t in theirs:
        assert any(
            all(np.allclose([float(v) for v in ts], os, atol=1e-9) for ts, os in zip(t, e.strategies))
            for e in sol.equilibria
        )


@pytest.fixture
def per_size_batches(monkeypatch):
    """Force the large-game path (one batch per support size, Q restricted by P's tight sets)."""
    from bargaining.solvers import bimatrix, bimatrix_vertices

    monkeypatch.setattr(bimatrix, "SMALL_BASES", 0)
    monkeypatch.setattr(bimatrix_vertices, "SMALL_BASES", 0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(int_games(max_n=5))
def test_large_game_path_matches_gambit(per_size_batches, game):
    sol = enummixed(game)
    assert sol.complete
    assert {e.strategies for e in sol.equilibria} == _gambit_extreme(game)
    _check_components(sol)


@pytest.mark.parametrize("seed", [0, 1])
def test_medium_integer_games_match_gambit(seed, per_size_batches):
    rng = np.random.default_rng(seed)
    A, B = rng.integers(-3, 4, (6, 7)), rng.integers(-3, 4, (6, 7))
    game = NormalFormGame.from_arrays(A, B, exact=True)
    sol = enummixed(game)
    assert {e.strategies for e in sol.equilibria} == _gambit_extreme(game)
    _check_components(sol)


# -- code paths of the fast kernel ------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(half_integer_games())
def test_half_integer_float_games_match_gambit(game):
    sol = enummixed(game)
    assert sol.complete
    for e in sol.equilibria:
        assert verify.is_nash(game, e.strategies)
    theirs = _gambit_extreme(game)
    assert len(theirs) == len(sol.equilibria)
    for t in theirs:
        assert any(
            all(np.allclose([float(v) for v in ts], os, atol=1e-9) for ts, os in zip(t, e.strategies))
            for e in sol.equilibria
        )


def test_one_row_against_many_columns():
    # 1 x 63: more labels than fit in a 62-bit code (packed label sets, the matrix product)
    rng = np.random.default_rng(3)
    g = NormalFormGame.from_arrays(rng.integers(-2, 3, (1, 63)), rng.integers(-2, 3, (1, 63)), exact=True)
    sol = enummixed(g)
    assert sol.complete
    assert {e.strategies for e in sol.equilibria} == _gambit_extreme(g)
    _check_components(sol)


def test_complete_pairs_and_support_filter_against_brute_force():
    from bargaining.solvers import bimatrix_vertices

    rng = np.random.default_rng(4)
    for nl, rows in ((30, (2100, 2000)), (70, (40, 30))):  # blocked bit codes; no bit codes
        Lp = rng.random((rows[0], nl)) < 0.6
        Lq = rng.random((rows[1], nl)) < 0.6
        Lq[: rows[1] // 2] |= ~Lp[: rows[1] // 2]  # make some pairs complete
        pa, pb = bimatrix_vertices.complementary_pairs(Lp, Lq, None)
        wa, wb = np.nonzero((~Lp).astype(np.int32) @ (~Lq).astype(np.int32).T == 0)
        assert len(pa) > 0
        assert np.array_equal(np.sort(pa * rows[1] + pb), np.sort(wa * rows[1] + wb))
    for m in (8, 70):  # bit codes; the matrix product
        Sc = bimatrix_vertices._combos(m, 2)
        within = rng.random((5, m)) < 0.5
        got = bimatrix_vertices._inside_some(Sc, within)
        want = [any(all(w[i] for i in s) for w in within) for s in Sc.tolist()]
        assert got.tolist() == want and any(want)
