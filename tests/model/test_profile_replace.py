"""Equilibrium.replace and Solution.replace (the fast copies the dispatcher and the certifier
use) give what dataclasses.replace gives: the same fields, normalised and frozen."""

from __future__ import annotations

import dataclasses

import pytest

from bargaining.model.profile import Equilibrium, Solution


def _eq() -> Equilibrium:
    return Equilibrium(strategies=[[1.0, 0.0], [0.5, 0.5]], payoffs=[1.0, 2.0], regret=None, label="mixed")


def test_equilibrium_replace_equals_dataclasses_replace():
    eq = _eq()
    for changes in ({"regret": 0.0}, {"strategies": [[0.0, 1.0], [1.0, 0.0]]}, {"extra": {"a": [1, 2]}}):
        fast, slow = eq.replace(**changes), dataclasses.replace(eq, **changes)
        assert fast == slow
        assert type(fast.strategies) is tuple and all(type(s) is tuple for s in fast.strategies)
        with pytest.raises(TypeError):  # a read-only mapping
            fast.extra["b"] = 1  # type: ignore[index]
        with pytest.raises(dataclasses.FrozenInstanceError):
            fast.regret = 1  # type: ignore[misc]
    assert eq.regret is None  # the original is unchanged
    with pytest.raises(TypeError):
        eq.replace(nonsense=1)


def test_solution_replace_equals_dataclasses_replace():
    sol = Solution(game=None, concept="nash", method="m", equilibria=[_eq()], complete=True, components=[[0]])
    for changes in (
        {"options": {"timeout": None}},
        {"equilibria": [_eq(), _eq()], "message": "x"},
        {"components": [[0], [1]]},
        {"components": None},
    ):
        fast, slow = sol.replace(**changes), dataclasses.replace(sol, **changes)
        assert fast == slow
        assert type(fast.equilibria) is tuple
        if fast.components is not None:
            assert all(type(c) is tuple for c in fast.components)
    with pytest.raises(TypeError):
        sol.replace(nonsense=1)
