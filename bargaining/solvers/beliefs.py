"""Receiver beliefs in signaling games: the polytope of beliefs that make a set of responses
optimal after a message, and a cache of its vertices. Shared by
:mod:`bargaining.solvers.signaling` (PBE enumeration) and :mod:`bargaining.solvers.refine`
(intuitive criterion, D1); exact rational arithmetic (vertex enumeration of
:mod:`bargaining.solvers.polytope`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction

from bargaining.solvers.polytope import relint_point, vertices

__all__ = ["belief_polytope", "BeliefCache", "nonempty_subsets"]

F0 = Fraction(0)
F1 = Fraction(1)


def nonempty_subsets(n: int) -> list[tuple[int, ...]]:
    """Non-empty subsets of range(n), smallest first."""
    return [c for k in range(1, n + 1) for c in itertools.combinations(range(n), k)]


def belief_polytope(UR: list, m: int, K: Sequence[int], support: Sequence[int], nT: int, nR: int):
    """Linear description of ``{μ ∈ Δ(support) : K ⊆ BR_m(μ)}``: ``(eqs, ineqs)`` over ``μ ∈ Q^nT``
    (``μ_t = 0`` off ``support``). Receiver's expected payoff of ``r``: ``Σ_t μ_t U_R(t, m, r)``."""
    eqs: list[tuple[list[Fraction], Fraction]] = [([F1 if t in support else F0 for t in range(nT)], F1)]
    ineqs: list[tuple[list[Fraction], Fraction]] = []
    for t in range(nT):
        unit = [F1 if s == t else F0 for s in range(nT)]
        if t in support:
            ineqs.append((unit, F0))
        else:
            eqs.append((unit, F0))
    r0 = K[0]
    for r in K[1:]:
        eqs.append(([UR[t][m][r0] - UR[t][m][r] for t in range(nT)], F0))
    for r in range(nR):
        if r not in K:
            ineqs.append(([UR[t][m][r0] - UR[t][m][r] for t in range(nT)], F0))
    return eqs, ineqs


class BeliefCache:
    """The receiver's belief polytopes after each message (vertices cached per message, response
    support and type support), shared by the PBE enumeration and its refinements."""

    def __init__(self, UR: list, nT: int, nR: int, support: Sequence[int] | None = None):
        self.UR, self.nT, self.nR = UR, nT, nR
        # the types off-path beliefs may put weight on (the positive-prior types)
        self.full = tuple(range(nT)) if support is None else tuple(support)
        self._verts: dict = {}

    def verts(self, m: int, K: tuple[int, ...], support: tuple[int, ...]) -> list[tuple[Fraction, ...]]:
        key = (m, K, support)
        if key not in self._verts:
            eqs, ineqs = belief_polytope(self.UR, m, K, support, self.nT, self.nR)
            self._verts[key] = vertices(self.nT, eqs, ineqs)
        return self._verts[key]

    def feasible_interior(self, m: int, K: tuple[int, ...], support: tuple[int, ...]) -> bool:
        """Is there a belief with full support on ``support`` making every response in K optimal?"""
        c = relint_point(self.verts(m, K, support))
        return c is not None and all(c[t] > 0 for t in support)

    def realizable(self, m: int) -> list[tuple[int, ...]]:
        """Response supports K that are best responses to some belief after m (off the path)."""
        return [K for K in nonempty_subsets(self.nR) if self.verts(m, K, self.full)]
