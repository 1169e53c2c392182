"""The regret kernels of small two-player float games (``verify.normal._small_kernel``, one
written out per shape) give the same floats, bit for bit (signed zeros and NaN included), as
the loop they replace, and the same regrets up to rounding as the numpy contraction and the
per-profile :func:`max_regret` (numpy may order a sum differently, e.g. by SIMD lanes that
depend on memory alignment, so the last bit can differ there): on random and degenerate games
(integer payoffs in [-2, 2]), on their equilibria and on profiles that are not equilibria, and
they decline (``None``) exactly where the loop declined, so the general path still validates
or raises."""

from __future__ import annotations

import math
from fractions import Fraction
from operator import mul

import numpy as np
import pytest

from bargaining.errors import GameValidationError
from bargaining.model.normal import NormalFormGame
from bargaining.solvers.bimatrix import enummixed
from bargaining.verify import normal as vn


def _loop_regrets(game: NormalFormGame, profiles) -> list | None:
    """The plain path: the loop the kernels replace (as it stood before them)."""
    m, n = game.shape
    for prof in profiles:
        if len(prof) != 2:
            return None
        x, y = prof
        if len(x) != m or len(y) != n:
            return None
        for probs in prof:
            for p in probs:
                if type(p) is not float:
                    return None
    A, BT = game.float_payoffs[0].tolist(), game.float_payoffs[1].T.tolist()
    out = []
    for x, y in profiles:
        for probs, k in ((x, m), (y, n)):
            if min(probs) < -1e-9 or abs(sum(probs) - 1.0) > 1e-9 * max(1, k):
                return None
        va = [sum(map(mul, row, y)) for row in A]
        vb = [sum(map(mul, col, x)) for col in BT]
        ra = max(va) - sum(map(mul, va, x))
        rb = max(vb) - sum(map(mul, vb, y))
        out.append(max(max(ra, 0.0), max(rb, 0.0)))
    return out


def _bits(values: list | None) -> list | None:
    return None if values is None else [v.hex() if isinstance(v, float) else v for v in values]


def _close(a: list, b: list) -> bool:
    return len(a) == len(b) and all(
        math.isclose(u, v, rel_tol=1e-12, abs_tol=1e-15) or (math.isnan(u) and math.isnan(v))
        for u, v in zip(a, b)
    )


def _numpy_regrets(game: NormalFormGame, profiles, monkeypatch) -> list:
    with monkeypatch.context() as mp:
        mp.setattr(vn, "_SMALL_CELLS", -1)  # the general (numpy) contraction
        return vn.max_regrets(game, profiles)


def _shapes() -> list[tuple[int, int]]:
    return [(m, n) for m in range(1, 8) for n in range(1, 8) if m * n <= vn._SMALL_CELLS]


def _profiles(rng: np.random.Generator, game: NormalFormGame) -> list:
    """The game's equilibria and profiles that are not: random mixes, pure profiles, a mix
    with a signed zero, one putting weight on a single pair of strategies."""
    m, n = game.shape
    out = [eq.strategies for eq in enummixed(game).equilibria]
    for _ in range(3):
        out.append((tuple(rng.dirichlet(np.ones(m)).tolist()), tuple(rng.dirichlet(np.ones(n)).tolist())))
    i, j = int(rng.integers(m)), int(rng.integers(n))
    out.append(
        (tuple(1.0 if k == i else 0.0 for k in range(m)), tuple(1.0 if k == j else -0.0 for k in range(n)))
    )
    return out


@pytest.mark.parametrize("kind", ["int", "float"])
def test_kernels_equal_the_loop_bit_for_bit(kind, monkeypatch):
    rng = np.random.default_rng(20)
    nonzero = 0
    for m, n in _shapes():
        for _ in range(12):
            if kind == "int":  # many ties, weakly dominated strategies, components
                A, B = rng.integers(-2, 3, (m, n)).astype(float), rng.integers(-2, 3, (m, n)).astype(float)
            else:
                A, B = rng.random((m, n)), rng.random((m, n))
            g = NormalFormGame.from_arrays(A, B)
            profs = _profiles(rng, g)
            fast = vn.max_regrets(g, profs)
            assert _bits(fast) == _bits(_loop_regrets(g, profs))
            assert _close(fast, _numpy_regrets(g, profs, monkeypatch))
            one_by_one = [vn.max_regret(g, p) for p in profs]  # tensordot, another order of sums
            assert all(math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12) for a, b in zip(fast, one_by_one))
            nonzero += sum(r > 1e-6 for r in fast)
    assert nonzero > 100  # the random profiles are mostly not equilibria: the test can fail


def test_signed_zeros_as_the_loop(monkeypatch):
    """Payoffs and probabilities that are signed zeros: the kernels' sums start at 0.0 as
    Python's ``sum`` does, so the signs of zero regrets are the loop's (a kernel whose sums
    started at their first term gives -0.0 for some of these and fails here)."""
    rng = np.random.default_rng(21)
    values = np.array([-0.0, 0.0, 1.0, -1.0])
    zero_rows = 0
    for m, n in [(1, 1), (1, 2), (2, 1), (2, 2), (2, 3), (3, 3), (4, 4), (6, 6)]:
        for _ in range(60):
            g = NormalFormGame.from_arrays(rng.choice(values, (m, n)), rng.choice(values, (m, n)))
            profs = []
            for _ in range(6):
                i, j = int(rng.integers(m)), int(rng.integers(n))
                zx, zy = rng.choice([-0.0, 0.0], m), rng.choice([-0.0, 0.0], n)
                profs.append(
                    (
                        tuple(1.0 if k == i else float(zx[k]) for k in range(m)),
                        tuple(1.0 if k == j else float(zy[k]) for k in range(n)),
                    )
                )
            fast = vn.max_regrets(g, profs)
            assert _bits(fast) == _bits(_loop_regrets(g, profs))
            assert _close(fast, _numpy_regrets(g, profs, monkeypatch))
            zero_rows += sum(r == 0.0 for r in fast)
    assert zero_rows > 100  # many zero regrets, whose sign the bit comparison checks


def test_a_wrong_profile_gets_its_regret():
    # matching pennies: ((1, 0), (1, 0)) lets the column player gain 2
    g = NormalFormGame.from_arrays([[1.0, -1.0], [-1.0, 1.0]], [[-1.0, 1.0], [1.0, -1.0]])
    assert vn.max_regrets(g, [((1.0, 0.0), (1.0, 0.0)), ((0.5, 0.5), (0.5, 0.5))]) == [2.0, 0.0]
    assert vn.max_regrets(g, [((0.75, 0.25), (0.5, 0.5))]) == [0.5]


def test_kernels_decline_where_the_loop_declines(monkeypatch):
    """Profiles the kernels do not take (non-floats, off the simplex, wrong lengths) go to the
    general path, which gives the same answer or raises the same error as before."""
    g = NormalFormGame.from_arrays([[3.0, 0.0, 1.0], [5.0, 1.0, 0.0]], [[3.0, 5.0, 0.0], [0.0, 1.0, 2.0]])
    kernel = vn._small_kernel(2, 3)
    payoffs = g.float_payoffs.tolist()
    ok = ((0.25, 0.75), (0.5, 0.25, 0.25))
    cases = [
        [ok, ((1, 0), (0.5, 0.25, 0.25))],  # an int probability
        [ok, ((Fraction(1, 2), 0.5), (0.5, 0.25, 0.25))],  # a Fraction
        [ok, ((np.float64(0.5), 0.5), (0.5, 0.25, 0.25))],  # a float subclass
        [ok, ((0.5, 0.5), (0.5, 0.25))],  # a short strategy
        [ok, ((0.5, 0.5),)],  # one player's strategy only
        [ok, ((0.5, 0.6), (0.5, 0.25, 0.25))],  # sums to 1.1
        [ok, ((1.5, -0.5), (0.5, 0.25, 0.25))],  # a negative probability
        [ok, ((0.5, 0.5 + 3e-9), (0.5, 0.25, 0.25))],  # off by more than 2e-9
        [ok, ((float("nan"), 1.0), (0.5, 0.25, 0.25))],  # NaN: the checks let it through
        [ok, ((0.5, 0.5 + 1e-9), (1.0, 0.0, -5e-10))],  # within the tolerances
    ]
    for profs in cases:
        assert _bits(kernel(payoffs, profs)) == _bits(_loop_regrets(g, profs))
        assert _bits(vn._max_regrets_small(g, profs)) == _bits(_loop_regrets(g, profs))
        try:
            want: object = _numpy_regrets(g, profs, monkeypatch)
        except GameValidationError as err:
            want = str(err)
        try:
            got: object = vn.max_regrets(g, profs)
        except GameValidationError as err:
            got = str(err)
        if isinstance(got, list) and isinstance(want, list):
            assert _close(got, want)
        else:
            assert repr(got) == repr(want)
    assert kernel(payoffs, cases[0]) is None and kernel(payoffs, cases[-1]) is not None
    assert math.isnan(vn.max_regrets(g, cases[-2])[1])


def test_exact_games_and_profiles_keep_the_general_path():
    g = NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]], exact=True)
    third = (Fraction(2, 3), Fraction(1, 3)), (Fraction(1, 3), Fraction(2, 3))
    assert vn.max_regrets(g, [third, ((Fraction(1), Fraction(0)), (Fraction(0), Fraction(1)))]) == [0, 1]
    float_game = g.as_float()
    got = vn.max_regrets(float_game, [third])  # rational profiles of a float game: one by one
    assert got == [vn.max_regret(float_game, third)]
