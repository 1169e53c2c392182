"""The dispatcher's shortcuts for a plain two-player NormalFormGame (nash without looking at
every method, the shared never-expiring deadline, no option checks without options) give what
the general path gives: the same solution, the same errors for concepts and methods that do not
apply, and the general path still runs for templates, subclasses and a changed registry."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import bargaining
from bargaining.errors import SolverError
from bargaining.model.normal import NormalFormGame
from bargaining.solvers import api


def _games(seed: int, k: int) -> list[NormalFormGame]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(k):
        m, n = (int(v) for v in rng.integers(1, 5, 2))
        out.append(
            NormalFormGame.from_arrays(rng.integers(-2, 3, (m, n)).astype(float), rng.integers(-2, 3, (m, n)))
        )
    return out


class _Sub(NormalFormGame):
    """A subclass: the dispatcher takes its general path for it."""


def test_the_default_call_equals_the_named_method():
    for g in _games(50, 40):
        named = bargaining.solve(g, method="enummixed")
        assert bargaining.solve(g) == named
        assert bargaining.solve(g, concept="nash") == named
        assert api.solve(g, timeout=0) == named
        sub = _Sub(payoffs=g.payoffs, players=g.players, strategies=g.strategies)
        got = bargaining.solve(sub)
        assert [eq.strategies for eq in got] == [eq.strategies for eq in named]
        assert [eq.regret for eq in got] == [eq.regret for eq in named]


def test_concepts_that_do_not_apply_raise_as_before():
    g = _games(51, 1)[0]
    with pytest.raises(SolverError) as err:
        bargaining.solve(g, concept="spe")
    with pytest.raises(SolverError) as plain:
        api.check_concept(g, "spe")
    assert str(err.value) == str(plain.value)
    with pytest.raises(SolverError, match="finds nash equilibria, not subgame-perfect"):
        bargaining.solve(g, concept="spe", method="enummixed")
    with pytest.raises(SolverError, match="unknown method"):
        bargaining.solve(g, method="no-such-method")
    with pytest.raises(SolverError, match="unknown option 'depth'"):
        bargaining.solve(g, method="enummixed", depth=3)
    with pytest.raises(SolverError, match="not a game"):
        bargaining.solve(object())
    three = NormalFormGame.from_tensor(np.zeros((3, 2, 2, 2)))
    with pytest.raises(SolverError, match="needs a two-player game"):
        bargaining.solve(three, method="enummixed")


def test_the_concept_check_runs_when_the_registry_changes(monkeypatch):
    """Only a registered enummixed for normal-form nash lets the dispatcher skip
    :func:`check_concept`; otherwise it is called as before."""
    g = _games(52, 1)[0]
    calls = []
    real = api.check_concept

    def spy(game, concept, name=None):
        calls.append(concept)
        return real(game, concept, name)

    monkeypatch.setattr(api, "check_concept", spy)
    bargaining.solve(g)
    assert calls == []
    bargaining.solve(bargaining.load("battle-of-the-sexes"))  # a template: the general path
    assert calls == ["nash"]
    original = api.METHODS["enummixed"]
    monkeypatch.setitem(api.METHODS, "enummixed", dataclasses.replace(original, concept="proper"))
    bargaining.solve(g)  # enummixed no longer says it finds nash: the check runs
    assert calls == ["nash", "nash"]
    monkeypatch.setitem(api.METHODS, "enummixed", original)
    bargaining.solve(g, concept="correlated")
    assert calls == ["nash", "nash", "correlated"]
    bargaining.solve(g)
    assert len(calls) == 3
