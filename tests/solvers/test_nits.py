"""NITS (Chen, Kartik and Sobel 2008) on the uniform-quadratic Crawford–Sobel game: only the most
informative partition equilibrium has no incentive to separate."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

import bargaining
from bargaining.solvers.api import solve
from bargaining.solvers.models.crawford_sobel import cs_boundaries, nits


def by_n(sol):
    return {eq.extra["solution"]["intervals"]: eq for eq in sol.equilibria}


@pytest.mark.parametrize(
    "b, nstar", [(F(1, 10), 2), (F(1, 20), 3), (F(1, 12), 2), (F(1, 50), 5), (F(3, 10), 1)]
)
def test_only_the_most_informative_equilibrium_passes(b, nstar):
    """Type 0 gets a_1 = t_1/2 with t_1 = 1/N − 2b(N − 1) and wants b; revealing gives a = 0 (loss
    b²). NITS ⟺ (t_1/2 − b)² ≤ b² ⟺ t_1 ≤ 4b ⟺ 2bN(N + 1) ≥ 1, which among N ≤ N*(b) (the
    largest N with 2bN(N − 1) < 1) holds exactly at N = N*. E.g. b = 1/10: N* = 2, t_1 = 3/10 ≤
    2/5; N = 1: t_1 = 1 > 2/5. b = 1/12 is the boundary case 2bN(N + 1) = 1 at N = 2: t_1 = 1/3
    = 4b, indifferent, so NITS holds weakly."""
    sol = solve(bargaining.load("crawford-sobel").with_params(b=str(b)), exact=True)
    eqs = by_n(sol)
    assert set(eqs) == set(range(1, nstar + 1))
    for n, eq in eqs.items():
        assert eq.regret is not None and eq.regret == 0
        assert eq.extra["refinements"] == {"nits": n == nstar}
        assert eq.extra["solution"]["nits"] == (n == nstar)
        assert (2 * b * n * (n + 1) >= 1) == (n == nstar)  # the closed form of the docstring
    note = eqs[nstar].extra["refinement_notes"][0]
    assert note.startswith("NITS holds: the lowest type")


def test_boundary_case_is_indifferent():
    b = F(1, 12)
    t = cs_boundaries(b, 2)
    assert t[1] == F(1, 3) == 4 * b
    ok, note = nits(b, 1, t, [t[0] / 2 + t[1] / 2, (t[1] + 1) / 2])
    assert ok and "loses 1/144" in note and "1/144 if it revealed" in note


def test_downward_bias_uses_the_highest_type():
    """flex-cheap-talk: downward bias b = 1/10, N* = 2, t_1 = 1/2 + 2b = 7/10, top action 17/20;
    type 1 wants 9/10 and loses 1/400 versus b² = 1/100 from revealing: NITS holds. Babbling's
    action 1/2 loses 4/25 > 1/100: fails."""
    sol = solve(bargaining.load("flex-cheap-talk").with_params(b="1/10"), exact=True)
    eqs = by_n(sol)
    assert eqs[2].extra["refinements"]["nits"] and not eqs[1].extra["refinements"]["nits"]
    assert "highest type θ = 1 loses 1/400" in eqs[2].extra["refinement_notes"][0]
    assert "loses 4/25" in eqs[1].extra["refinement_notes"][0]
