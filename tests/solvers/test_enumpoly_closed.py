"""The closed forms of :mod:`bargaining.solvers.enumpoly_closed` give exactly the solutions in
the simplex that the exact Gröbner-basis solver finds, support by support, on random and on
degenerate (small-integer, many ties) games; and the algebraic forms they write evaluate to the
float roots."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from bargaining.model.normal import NormalFormGame
from bargaining.solvers.enumpoly import enumpoly, solve_support
from bargaining.solvers.enumpoly_closed import closed_form_roots, integral_tensor, radical_values


def _game(shape, seed: int, low: int, high: int) -> NormalFormGame:
    rng = np.random.default_rng(seed)
    return NormalFormGame.from_tensor(rng.integers(low, high + 1, size=(len(shape), *shape)).astype(float))


def _all_supports(shape):
    per = [[c for k in range(1, m + 1) for c in itertools.combinations(range(m), k)] for m in shape]
    return list(itertools.product(*per))


def _flat(prof) -> np.ndarray:
    return np.array([float(v) for probs in prof for v in probs])


GAMES = [
    ((3, 3, 3), 0, -99, 99),
    ((3, 3, 3), 1, -1, 1),  # degenerate: payoffs in {-1, 0, 1}
    ((2, 2, 2), 2, 0, 1),  # degenerate: 0/1 payoffs
    ((2, 2, 2), 4, -2, 2),
    ((3, 2, 2, 2), 3, -3, 3),
]


@pytest.mark.parametrize("shape,seed,low,high", GAMES)
def test_closed_forms_match_groebner_on_every_support(shape, seed, low, high):
    game = _game(shape, seed, low, high)
    U = game.as_exact().payoffs
    Ui = integral_tensor(U)
    assert all(type(x) is int for x in Ui.ravel())  # integer payoffs: the int path is used
    used = 0
    used_continuum: list = []
    for supports in _all_supports(shape):
        if sum(len(s) >= 2 for s in supports) < 2:
            continue  # pure profiles and one mixer: trivial, checked through enumpoly below
        closed = closed_form_roots(U, supports)
        # the integer fast path gives the very same roots, exact ones still as Fractions
        fast = closed_form_roots(Ui, supports)
        assert (fast is None) == (closed is None), supports
        if closed is None:
            continue
        assert fast is not None and len(fast) == len(closed)
        for r, f in zip(closed, fast):
            assert f.profile == r.profile, supports
            assert all(isinstance(v, (Fraction, float)) for probs in f.profile for v in probs)
        used += 1
        status, points = solve_support(U, supports)
        ours = [_flat(r.profile) for r in closed]
        if status == "continuum":
            # positive-dimensional over C, but the closed form proves finitely many solutions
            # in the simplex (the continuum lies outside it): the points Gröbner samples in the
            # simplex are among ours
            used_continuum.append(supports)
            for p, _ in points:
                assert any(np.max(np.abs(_flat(p) - a)) < 1e-6 for a in ours), (supports, p, ours)
            continue
        assert status in ("finite", "empty"), supports
        theirs = [_flat(p) for p, _ in points]
        assert len(ours) == len(theirs), (supports, ours, theirs)
        for a in ours:
            assert any(np.max(np.abs(a - b)) < 1e-9 for b in theirs), (supports, a, theirs)
        for r in closed:
            if r.radical is not None:  # the exact radical forms evaluate to the float root
                vals = [float(sp.N(sp.sympify(v), 30)) for v in radical_values(r, supports)["values"]]
                free = [r.profile[i][k] for i, s in enumerate(supports) for k in s[1:]]
                assert np.max(np.abs(np.array(vals) - np.array(free, dtype=float))) < 1e-12
    assert used > 0


@pytest.mark.parametrize("shape,seed,low,high", GAMES + [((3, 3, 3), 5, -99, 99), ((3, 3, 3), 7, -2, 2)])
def test_enumpoly_same_with_and_without_closed_forms(shape, seed, low, high, monkeypatch):
    import bargaining.solvers.enumpoly as ep

    game = _game(shape, seed, low, high)
    fast = enumpoly(game, algebraic=False)
    original = ep._solve_support_fast
    monkeypatch.setattr(ep, "_solve_support_fast", lambda *a, **k: original(*a, **{**k, "use_closed": False}))
    plain = enumpoly(game, algebraic=False)
    assert fast.complete == plain.complete
    assert len(fast.equilibria) == len(plain.equilibria)
    for e, f in zip(fast.equilibria, plain.equilibria):
        assert np.max(np.abs(_flat(e.strategies) - _flat(f.strategies))) < 1e-9


def test_default_algebraic_follows_exactness():
    # a float game: certified floats by default, the exact forms on request; an exact game: forms
    game = _game((3, 3, 3), 1, -99, 99)  # 13 equilibria, irrational ones among them
    default = enumpoly(game)
    forms = enumpoly(game, algebraic=True)
    assert default.extra["algebraic_forms"] is False and forms.extra["algebraic_forms"] is True
    assert not any(eq.extra.get("algebraic") for eq in default.equilibria)
    assert any(eq.extra.get("algebraic") for eq in forms.equilibria)
    assert [_flat(e.strategies).round(9).tolist() for e in default.equilibria] == [
        _flat(e.strategies).round(9).tolist() for e in forms.equilibria
    ]
    exact = enumpoly(NormalFormGame.from_tensor(game.as_exact().payoffs, exact=True))
    assert exact.extra["algebraic_forms"] is True
    assert any(eq.extra.get("algebraic") for eq in exact.equilibria)
