"""Equilibrium refinements for signaling games: the intuitive criterion and D1 (here), D2 and
NWBR (:mod:`bargaining.solvers.divinity`, assembled into the same :class:`Refinement`).

Both tests look at one PBE at a time, with equilibrium payoffs ``u*_t`` per type, and at each
message ``m`` that is off the path. ``BR(Θ, m)`` denotes the receiver's (mixed) best responses to
beliefs supported on ``Θ ⊆ T``; a mixed best response to ``μ`` is any ``ρ ∈ Δ(K)`` with
``K ⊆ argmax_r Σ_t μ_t U_R(t, m, r)``, so these sets are unions of faces ``Δ(K)``.

**Intuitive criterion** (Cho and Kreps 1987, *QJE* 102(2), §IV). Type ``t`` is *equilibrium-
dominated* at ``m`` if ``u*_t > max_{r ∈ BR(T, m)} U_S(t, m, r)``; let ``J(m)`` be these types.
If ``J(m) ≠ T`` and some type ``t ∉ J(m)`` has ``min_{r ∈ BR(T \\ J(m), m)} U_S(t, m, r) > u*_t``
(it gains from ``m`` whatever the receiver does once it stops believing in the dominated types),
the PBE fails.

**D1** (Banks and Sobel 1987, *Econometrica* 55(3); Cho and Kreps 1987, §V). For each type let
``D⁰_t`` (``D_t``) be the best responses ``ρ ∈ BR(T, m)`` with ``V_t(m, ρ) ≥ u*_t`` (``>``).
Type ``t`` is deleted at ``m`` if ``D⁰_t ⊆ D_{t'}`` for some other type ``t'``: whenever ``t``
would weakly like to deviate, ``t'`` strictly would. The PBE passes D1 if, after every off-path
message, some belief supported on the undeleted types sustains it (lies in the sustaining set
computed by :mod:`bargaining.solvers.signaling`); if every type is deleted, beliefs are not
restricted. The inclusion test is exact: per face ``Δ(K)``, the minimum of ``V_{t'} − u*_{t'}``
over the polytope ``{ρ ∈ Δ(K) : V_t(ρ) ≥ u*_t}`` is found at its vertices.

Each result says which type would deviate to which message, and why (``notes``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from bargaining.solvers.beliefs import BeliefCache
from bargaining.solvers.divinity import divinity_tests
from bargaining.solvers.polytope import vertices

__all__ = ["Refinement", "refine_equilibrium", "intuitive_test", "d1_test"]

F0, F1 = Fraction(0), Fraction(1)


@dataclass
class Refinement:
    intuitive: bool
    d1: bool
    notes: list[str] = field(default_factory=list)
    d2: bool = True  # D2 / universal divinity (bargaining.solvers.divinity)
    nwbr: bool = True  # never a weak best response (bargaining.solvers.divinity)
    d1_deleted: dict = field(default_factory=dict)  # message index -> deleted type indices
    ic_dominated: dict = field(default_factory=dict)  # message index -> equilibrium-dominated types
    d2_deleted: dict = field(default_factory=dict)  # message index -> types removed by D2
    nwbr_deleted: dict = field(default_factory=dict)  # message index -> types removed by NWBR

    def flags(self) -> dict[str, bool]:
        """The JSON ``refinements`` block: ``{"intuitive", "d1", "d2", "nwbr"}``."""
        return {"intuitive": self.intuitive, "d1": self.d1, "d2": self.d2, "nwbr": self.nwbr}


def _fmt(x: Fraction) -> str:
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    f = float(x)
    return f"{x} ({f:.4g})" if abs(f) < 1e6 else str(x)


def _pure_brs(cache, m: int, support: tuple[int, ...]) -> list[int]:
    """Pure responses that are a best response to some belief supported on ``support``."""
    return [r for r in range(cache.nR) if cache.verts(m, (r,), support)]


def intuitive_test(US, UR, u_star, m: int, cache, labels) -> tuple[bool, list[int], str | None]:
    """``(passes, J(m), note)`` of the intuitive criterion at off-path message ``m``."""
    T, M, R = labels
    nT = len(u_star)
    allT = tuple(range(nT))
    brs = _pure_brs(cache, m, allT)
    J = [t for t in range(nT) if u_star[t] > max(US[t][m][r] for r in brs)]
    if len(J) == nT:
        return True, J, None
    rest = tuple(t for t in range(nT) if t not in J)
    brs_rest = _pure_brs(cache, m, rest)
    for t in rest:
        worst = min(US[t][m][r] for r in brs_rest)
        if worst > u_star[t]:
            why_j = (
                f"{', '.join(T[j] for j in J)} cannot gain from {M[m]} (best case "
                + ", ".join(f"{T[j]} {_fmt(max(US[j][m][r] for r in brs))} < {_fmt(u_star[j])}" for j in J)
                + "), so the receiver should rule "
                + ("it" if len(J) == 1 else "them")
                + " out; "
                if J
                else "no type is equilibrium-dominated at this message; "
            )
            note = (
                f"intuitive criterion fails at {M[m]}: {why_j}against any best reply to beliefs on "
                f"{{{', '.join(T[s] for s in rest)}}} ({'/'.join(R[r] for r in brs_rest)}) "
                f"type {T[t]} gets at least "
                f"{_fmt(worst)} > {_fmt(u_star[t])}, so {T[t]} would deviate to {M[m]}"
            )
            return False, J, note
    return True, J, None


def _weak_gain_polytope(US, u_star, t: int, m: int, K: Sequence[int], nR: int):
    eqs = [([F1 if r in K else F0 for r in range(nR)], F1)] + [
        ([F1 if s == r else F0 for s in range(nR)], F0) for r in range(nR) if r not in K
    ]
    ineqs = [([F1 if s == r else F0 for s in range(nR)], F0) for r in K]
    ineqs.append(([US[t][m][r] for r in range(nR)], u_star[t]))
    return vertices(nR, eqs, ineqs)


def d1_deleted(US, u_star, m: int, cache) -> dict[int, int]:
    """Types deleted by D1 at message ``m``: ``{t: t'}`` with ``D⁰_t ⊆ D_{t'}``."""
    nT, nR = len(u_star), cache.nR
    pieces = cache.realizable(m)
    deleted: dict[int, int] = {}
    for t in range(nT):
        polys = [_weak_gain_polytope(US, u_star, t, m, K, nR) for K in pieces]
        for t2 in range(nT):
            if t2 == t:
                continue
            ok = True
            for verts in polys:
                for v in verts:
                    if sum((v[r] * US[t2][m][r] for r in range(nR)), F0) <= u_star[t2]:
                        ok = False
                        break
                if not ok:
                    break
            if ok:
                deleted[t] = t2
                break
    return deleted


def d1_test(US, UR, u_star, off, cache, labels) -> tuple[bool, dict[int, int], str | None]:
    """``(passes, deleted, note)`` of D1 at the off-path message of ``off`` (an ``OffPath``)."""
    T, M, R = labels
    m = off.message
    nT = len(u_star)
    deleted = d1_deleted(US, u_star, m, cache)
    if not deleted or len(deleted) == nT:
        return True, deleted, None
    keep = tuple(t for t in range(nT) if t not in deleted)
    for piece in off.pieces:
        if cache.verts(m, piece["responses"], keep):
            return True, deleted, None
    brs = _pure_brs(cache, m, keep)
    gainers = [(t, r) for r in brs for t in range(nT) if US[t][m][r] > u_star[t]]
    why = "; ".join(
        f"{T[t]} is deleted (whenever it weakly gains from {M[m]}, {T[t2]} strictly gains)"
        for t, t2 in deleted.items()
    )
    if gainers:
        t, r = gainers[0]
        dev = (
            f"with beliefs on {{{', '.join(T[s] for s in keep)}}} the receiver answers {M[m]} with "
            f"{'/'.join(R[x] for x in brs)}, and type {T[t]} gets {_fmt(US[t][m][r])} > {_fmt(u_star[t])} "
            f"from {M[m]}, so {T[t]} deviates"
        )
    else:
        dev = f"no belief on {{{', '.join(T[s] for s in keep)}}} sustains the equilibrium"
    return False, deleted, f"D1 fails at {M[m]}: {why}; {dev}"


def refine_equilibrium(
    US,
    UR,
    prior,
    raw,
    labels: tuple[Sequence[str], Sequence[str], Sequence[str]] | None = None,
    cache: Any = None,
) -> Refinement:
    """Intuitive criterion, D1, D2 and NWBR for one PBE ``raw`` (a ``RawPBE``) of the one-shot game."""

    nT, nM, nR = len(US), len(US[0]), len(US[0][0])
    if labels is None:
        labels = ([f"t{i}" for i in range(nT)], [f"m{i}" for i in range(nM)], [f"r{i}" for i in range(nR)])
    cache = cache or BeliefCache(UR, nT, nR)
    res = Refinement(True, True)
    for off in raw.offpath:
        ok, J, note = intuitive_test(US, UR, raw.type_payoffs, off.message, cache, labels)
        res.ic_dominated[off.message] = J
        if not ok:
            assert note is not None  # a failed test says why
            res.intuitive = False
            res.notes.append(note)
        ok, deleted, note = d1_test(US, UR, raw.type_payoffs, off, cache, labels)
        res.d1_deleted[off.message] = deleted
        if not ok:
            assert note is not None  # a failed test says why
            res.d1 = False
            res.notes.append(note)
    div = divinity_tests(US, raw.type_payoffs, raw.offpath, cache, labels)
    res.d2, res.nwbr = div.d2, div.nwbr
    res.d2_deleted, res.nwbr_deleted = div.d2_deleted, div.nwbr_deleted
    if not raw.offpath:
        res.notes.append("every message is on the path: all refinements hold trivially")
    else:
        if res.intuitive:
            res.notes.append(
                "intuitive criterion: no type gains from an off-path message once "
                "equilibrium-dominated types are ruled out"
            )
        if res.d1:
            res.notes.append(
                "D1: a belief on the undeleted types sustains the equilibrium after every off-path message"
            )
    res.notes += div.notes
    return res
