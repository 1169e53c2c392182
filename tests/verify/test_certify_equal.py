"""The trimmed :func:`bargaining.verify.certify` and the dispatcher give what the plain
certificate gives: each equilibrium's regret recomputed from the game's payoffs one profile at a
time, copied with :func:`dataclasses.replace`, the same messages, flags and options. On random
and degenerate games (integer payoffs in [-2, 2]), exact games, three players, solutions with
wrong profiles (which must fail the certificate), profiles missing, a concept without a
verifier, and profiles off the simplex (the same error)."""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import numpy as np
import pytest

import bargaining
from bargaining.errors import GameValidationError
from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Equilibrium, Solution
from bargaining.solvers import api
from bargaining.solvers.bimatrix import enummixed
from bargaining.verify import VERIFIERS, certify
from bargaining.verify import normal as vn


def _plain_certify(game, solution: Solution, options=None) -> Solution:
    """The certificate as written before it was trimmed: one verifier call per equilibrium
    (normal-form regrets through :func:`max_regrets` of that profile alone), copies by
    :func:`dataclasses.replace`."""
    target = solution.game if getattr(solution.game, "kind", None) == getattr(game, "kind", None) else game
    kind = getattr(target, "kind", None)
    concept = solution.concept
    verifier = (VERIFIERS.get((kind, concept)) or VERIFIERS.get((kind, "*"))) if kind else None
    eqs, uncertified = [], 0
    for eq in solution.equilibria:
        if verifier is None:
            regret = None
        elif kind == "normal" and concept in ("nash", "proper"):
            regret = None if eq.strategies is None else vn.max_regrets(target, [eq.strategies])[0]
        else:
            regret = verifier(target, eq, concept)
        uncertified += regret is None
        eqs.append(dataclasses.replace(eq, regret=regret))
    message = solution.message
    if uncertified:
        note = (
            f"{uncertified} of {len(eqs)} equilibria uncertified: no independent check for "
            f"{kind} games under {concept}"
            if verifier is None
            else f"{uncertified} of {len(eqs)} equilibria uncertified (no independent check applies)"
        )
        message = f"{message}; {note}" if message else note
    changes = {"equilibria": tuple(eqs), "message": message}
    if options is not None:
        changes["options"] = options
    return dataclasses.replace(solution, **changes)


def _same(fast: Solution, slow: Solution) -> None:
    """Equal but for the last bit of a float regret (the plain certificate sums with numpy, which
    may order a sum differently, e.g. by SIMD lanes that depend on memory alignment)."""
    assert fast.replace(equilibria=()) == slow.replace(equilibria=())
    assert fast.message == slow.message and dict(fast.options) == dict(slow.options)
    assert fast.components == slow.components and dict(fast.extra) == dict(slow.extra)
    for a, b in zip(fast.equilibria, slow.equilibria, strict=True):
        assert a.certified == b.certified
        assert type(a.regret) is type(b.regret)
        if isinstance(a.regret, float):
            assert math.isclose(a.regret, b.regret, rel_tol=1e-12, abs_tol=1e-15)
        else:
            assert a.regret == b.regret
        assert a.strategies == b.strategies and a.payoffs == b.payoffs and a.label == b.label
        assert dict(a.extra) == dict(b.extra) and a.witness == b.witness


def _game(rng: np.random.Generator, m: int, n: int, kind: str) -> NormalFormGame:
    if kind == "int":
        return NormalFormGame.from_arrays(
            rng.integers(-2, 3, (m, n)).astype(float), rng.integers(-2, 3, (m, n)).astype(float)
        )
    if kind == "exact":
        return NormalFormGame.from_arrays(
            rng.integers(-2, 3, (m, n)), rng.integers(-2, 3, (m, n)), exact=True
        )
    return NormalFormGame.from_arrays(rng.random((m, n)), rng.random((m, n)))


def _wrong(rng: np.random.Generator, game: NormalFormGame, k: int) -> list[Equilibrium]:
    """Profiles that are (mostly) not equilibria, as a solver might wrongly report them."""
    out = []
    for _ in range(k):
        if game.exact:
            weights = [rng.integers(0, 4, m) + 1 for m in game.shape]
            prof = tuple(tuple(Fraction(int(w), int(ws.sum())) for w in ws) for ws in weights)
        else:
            prof = tuple(tuple(rng.dirichlet(np.ones(m)).tolist()) for m in game.shape)
        out.append(
            Equilibrium(strategies=prof, payoffs=(0.0,) * game.num_players, regret=None, label="mixed")
        )
    return out


@pytest.mark.parametrize("kind", ["int", "float", "exact"])
def test_certify_equals_the_plain_certificate(kind):
    rng = np.random.default_rng(30)
    failed = 0
    shapes = [(1, 1), (1, 3), (2, 2), (2, 3), (3, 3), (4, 4), (5, 5), (6, 6), (7, 7)]
    for m, n in shapes:
        for _ in range(4 if kind == "exact" else 10):
            g = _game(rng, m, n, kind)
            sol = enummixed(g)
            wrong = sol.replace(equilibria=sol.equilibria + tuple(_wrong(rng, g, 2)))
            for s in (sol, wrong, sol.replace(message="from the solver")):
                for options in (None, {"timeout": None}):
                    fast, slow = certify(g, s, options=options), _plain_certify(g, s, options=options)
                    _same(fast, slow)
                    failed += sum(eq.regret > 1e-6 for eq in fast.equilibria)
            if kind == "exact":
                assert all(eq.regret == 0 and isinstance(eq.regret, Fraction) for eq in certify(g, sol))
    assert failed > 50  # the wrong profiles fail the certificate


def test_missing_profiles_and_unknown_concepts_are_reported_as_before():
    rng = np.random.default_rng(31)
    g = _game(rng, 3, 3, "int")
    sol = enummixed(g)
    bare = Equilibrium(payoffs=(0.0, 0.0), regret=None, label="mixed")  # no profile
    cases = [
        sol.replace(equilibria=(bare,) + sol.equilibria),
        sol.replace(equilibria=sol.equilibria + (bare, bare), message="partial"),
        sol.replace(concept="no-such-concept"),
        sol.replace(concept="proper"),
        sol.replace(equilibria=()),
    ]
    for s in cases:
        fast, slow = certify(g, s, options={"timeout": 1.0}), _plain_certify(g, s, options={"timeout": 1.0})
        _same(fast, slow)
    assert "uncertified (no independent check applies)" in certify(g, cases[0]).message
    assert certify(g, cases[1]).message.startswith("partial; 2 of ")
    assert "no independent check for normal games under no-such-concept" in certify(g, cases[2]).message


def test_three_players_and_other_games_in_the_solution():
    rng = np.random.default_rng(32)
    A = rng.integers(-2, 3, (3, 2, 2, 2)).astype(float)
    g3 = NormalFormGame.from_tensor(A)
    eqs = _wrong(rng, g3, 4) + [
        Equilibrium(strategies=((1.0, 0.0), (1.0, 0.0), (1.0, 0.0)), payoffs=(0.0,) * 3, regret=None)
    ]
    sol = Solution(game=g3, concept="nash", method="by hand", equilibria=eqs, complete=False)
    _same(certify(g3, sol), _plain_certify(g3, sol))
    other = _game(rng, 2, 2, "float")  # the solution reports another game of the same kind
    _same(certify(other, sol), _plain_certify(other, sol))
    assert any(eq.regret > 0 for eq in certify(g3, sol))


def test_profiles_off_the_simplex_raise_the_same_error():
    g = _game(np.random.default_rng(33), 2, 3, "float")
    sol = enummixed(g)
    bad = Equilibrium(strategies=((0.5, 0.6), (1.0, 0.0, 0.0)), payoffs=(0.0, 0.0), regret=None)
    s = sol.replace(equilibria=sol.equilibria + (bad,))
    with pytest.raises(GameValidationError) as fast:
        certify(g, s)
    with pytest.raises(GameValidationError) as slow:
        _plain_certify(g, s)
    assert str(fast.value) == str(slow.value)


@pytest.mark.parametrize("kind", ["int", "float"])
def test_solve_equals_the_solver_plus_the_plain_certificate(kind):
    """``bargaining.solve`` (its fast path for a NormalFormGame with no timeout) gives the
    solver's solution with the plain certificate and the options record, and a regret that an
    independent per-profile computation confirms."""
    rng = np.random.default_rng(34)
    for m, n in [(2, 2), (2, 3), (3, 3), (4, 4), (5, 5)]:
        for _ in range(15):
            g = _game(rng, m, n, kind)
            got = bargaining.solve(g, method="enummixed")
            want = _plain_certify(g, enummixed(g), options={"timeout": None})
            _same(got, want)
            _same(api.solve(g), want)
            _same(api.solve(g, concept="nash", timeout="none"), want)
            for eq in got.equilibria:
                assert math.isclose(eq.regret, vn.max_regret(g, eq.strategies), abs_tol=1e-12)
                assert eq.regret <= vn.default_tolerance(g) * 10


def test_a_timeout_still_builds_its_own_deadline():
    g = _game(np.random.default_rng(35), 3, 3, "int")
    seen = []

    def spy(game, *, deadline=api.Deadline.NONE, exact=False):
        seen.append(deadline)
        return enummixed(game, deadline=deadline, exact=exact)

    api.METHODS["spy-enummixed"] = api.Method("spy-enummixed", ("normal",), "nash", spy, "test", players="2")
    try:
        a = api.solve(g, method="spy-enummixed")
        b = api.solve(g, method="spy-enummixed", timeout=30)
        c = api.solve(g, method="spy-enummixed", timeout=0)
    finally:
        del api.METHODS["spy-enummixed"]
    assert seen[0] is api.Deadline.NONE and not seen[0].limited
    assert seen[1].limited and seen[1].timeout == 30.0 and dict(b.options) == {"timeout": 30.0}
    assert not seen[2].limited and dict(a.options) == dict(c.options) == {"timeout": None}
    with pytest.raises(bargaining.BargainingError):
        api.solve(g, method="enummixed", timeout=-1)
