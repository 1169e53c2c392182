"""Signaling refinements beyond D1: D2 (universal divinity) and never a weak best response.

Setting and notation as in :mod:`bargaining.solvers.refine`: one PBE with type payoffs ``u*_t``,
an off-path message ``m``, and ``MBR(m)`` the receiver's mixed best responses to *some* belief
after ``m`` (a union of faces ``Δ(K)``, ``K`` a response support optimal at some belief). For a
type ``t`` and ``ρ ∈ MBR(m)`` write ``V_t(ρ) = Σ_r ρ(r) U_S(t, m, r)`` and

- ``D⁰_t = {ρ ∈ MBR(m) : V_t(ρ) ≥ u*_t}`` (``t`` weakly willing to deviate to ``m``),
- ``D_t  = {ρ ∈ MBR(m) : V_t(ρ) > u*_t}`` (strictly willing),
- ``I_t  = {ρ ∈ MBR(m) : V_t(ρ) = u*_t}`` (indifferent).

**D2** (Banks and Sobel 1987, *Econometrica* 55(3), 647-661: the one-round form of universal
divinity; Cho and Kreps 1987, *QJE* 102(2), §V; Fudenberg and Tirole 1991, §11.2). Type ``t`` is
removed at ``m`` if ``D⁰_t ⊆ ∪_{t' ≠ t} D_{t'}``: whenever ``t`` would weakly like to send ``m``,
*some* other type (not necessarily the same one, as in D1) strictly would.

**NWBR**, never a weak best response (Kohlberg and Mertens 1986, *Econometrica* 54(5), 1003-1037;
Cho and Kreps 1987, §V). Type ``t`` is removed at ``m`` if ``I_t ⊆ ∪_{t' ≠ t} D_{t'}``: every
response that leaves ``t`` indifferent makes some other type strictly better off. (If no response
leaves ``t`` indifferent, ``t`` is removed: in a PBE it then loses from ``m`` whatever the receiver
does, since it would otherwise deviate.)

Since ``I_t ⊆ D⁰_t``, D2 removes every type that D1 removes and NWBR every type that D2 removes.
The PBE passes a test if after every off-path message some belief supported on the types *not*
removed sustains it (lies in the sustaining set of :mod:`bargaining.solvers.signaling`); if every
type is removed, beliefs are not restricted (the convention of :mod:`bargaining.solvers.refine`;
Cho and Kreps 1987, fn. to §V). One round of deletion per message is applied, as for D1 here;
iterating (universal divinity proper) can only remove more.

**Exact test of the inclusions.** ``D⁰_t ⊄ ∪_{t'≠t} D_{t'}`` iff some ``ρ ∈ MBR(m)`` has
``V_t(ρ) ≥ u*_t`` and ``V_{t'}(ρ) ≤ u*_{t'}`` for every ``t' ≠ t``; per face ``Δ(K)`` this is a
polytope, and the test is whether it is empty (vertex enumeration, rational arithmetic). The
same with ``V_t(ρ) = u*_t`` for NWBR. A point of that polytope is the *witness* reported in the
notes: a receiver response for which ``t`` would deviate and no other type strictly would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from bargaining.solvers.polytope import vertices

__all__ = ["DivinityResult", "d2_deleted", "nwbr_deleted", "restricted_test", "divinity_tests"]

F0, F1 = Fraction(0), Fraction(1)


@dataclass
class DivinityResult:
    """Verdicts of D2 and NWBR for one PBE, with the removed types per off-path message."""

    d2: bool = True
    nwbr: bool = True
    d2_deleted: dict = field(default_factory=dict)  # message -> removed types
    nwbr_deleted: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _fmt(x: Any) -> str:
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    return f"{x} ({float(x):.4g})"


def _keep_out_polytope(US, u_star, t: int, m: int, K: Sequence[int], nR: int, equal: bool) -> list:
    """Vertices of ``{ρ ∈ Δ(K) : V_t(ρ) ≥ u*_t (= if equal), V_s(ρ) ≤ u*_s for s ≠ t}``."""
    eqs = [([F1 if r in K else F0 for r in range(nR)], F1)] + [
        ([F1 if s == r else F0 for s in range(nR)], F0) for r in range(nR) if r not in K
    ]
    ineqs = [([F1 if s == r else F0 for s in range(nR)], F0) for r in K]
    own = ([US[t][m][r] for r in range(nR)], u_star[t])
    if equal:
        eqs.append(own)
    else:
        ineqs.append(own)
    for s in range(len(u_star)):
        if s != t:
            ineqs.append(([-US[s][m][r] for r in range(nR)], -u_star[s]))
    return vertices(nR, eqs, ineqs)


def _deleted(US, u_star, m: int, cache, equal: bool) -> dict[int, tuple | None]:
    """Removed types at ``m``: ``{t: None}`` (no witness exists). Kept types are absent; the
    witness of a kept type is not needed by the callers."""
    nT, nR = len(u_star), cache.nR
    pieces = cache.realizable(m)
    out: dict[int, tuple | None] = {}
    for t in range(nT):
        if not any(_keep_out_polytope(US, u_star, t, m, K, nR, equal) for K in pieces):
            out[t] = None
    return out


def d2_deleted(US, u_star: Sequence[Fraction], m: int, cache) -> list[int]:
    """Types removed by D2 at message ``m``: ``D⁰_t ⊆ ∪_{t'≠t} D_{t'}``."""
    return sorted(_deleted(US, u_star, m, cache, equal=False))


def nwbr_deleted(US, u_star: Sequence[Fraction], m: int, cache) -> list[int]:
    """Types removed by NWBR at message ``m``: ``I_t ⊆ ∪_{t'≠t} D_{t'}``."""
    return sorted(_deleted(US, u_star, m, cache, equal=True))


def _pure_brs(cache, m: int, support: tuple[int, ...]) -> list[int]:
    return [r for r in range(cache.nR) if cache.verts(m, (r,), support)]


def restricted_test(US, u_star, off, deleted: Sequence[int], cache) -> bool:
    """Does some belief on the types not in ``deleted`` sustain the PBE after ``off.message``?
    (True when nothing or everything is removed.)"""
    nT = len(u_star)
    if not deleted or len(deleted) == nT:
        return True
    keep = tuple(t for t in range(nT) if t not in deleted)
    return any(cache.verts(off.message, piece["responses"], keep) for piece in off.pieces)


def _why_removed(name: str, t: int, m: int, US, u_star, cache, labels, equal: bool) -> str:
    T, M, R = labels
    nT = len(u_star)
    others = [s for s in range(nT) if s != t]
    brs = _pure_brs(cache, m, cache.full)
    best = max(US[t][m][r] for r in brs)
    if best < u_star[t]:
        return (
            f"{T[t]} is removed at {M[m]}: its best payoff there is {_fmt(best)} < {_fmt(u_star[t])} "
            f"(no response makes it {'indifferent' if equal else 'weakly willing to deviate'})"
        )
    if equal:
        return (
            f"{T[t]} is removed at {M[m]}: every receiver response to {M[m]} that leaves {T[t]} indifferent "
            f"({_fmt(u_star[t])}) makes {' or '.join(T[s] for s in others)} strictly better off"
        )
    return (
        f"{T[t]} is removed at {M[m]}: every receiver response to {M[m]} that makes {T[t]} weakly willing "
        f"to deviate makes {' or '.join(T[s] for s in others)} strictly willing"
    )


def _why_fails(name: str, m: int, deleted: Sequence[int], US, u_star, cache, labels) -> str:
    T, M, R = labels
    nT = len(u_star)
    keep = tuple(t for t in range(nT) if t not in deleted)
    brs = _pure_brs(cache, m, keep)
    gain = [(t, r) for r in brs for t in range(nT) if US[t][m][r] > u_star[t]]
    head = (
        f"{name} fails at {M[m]}: with beliefs on {{{', '.join(T[s] for s in keep)}}} the receiver answers "
        f"{M[m]} with {'/'.join(R[r] for r in brs)} (or a mixture of best replies)"
    )
    if gain:
        t, r = gain[0]
        return head + (
            f", none of which deters every type: against {R[r]} type {T[t]} gets "
            f"{_fmt(US[t][m][r])} > {_fmt(u_star[t])}, so {T[t]} deviates to {M[m]}"
        )
    return head + ", and no such reply deters every type"


def divinity_tests(
    US,
    u_star: Sequence[Fraction],
    offpath: Sequence[Any],
    cache,
    labels: tuple[Sequence[str], Sequence[str], Sequence[str]],
) -> DivinityResult:
    """D2 and NWBR for one PBE with type payoffs ``u_star`` and off-path sustaining sets
    ``offpath`` (``OffPath`` records of :mod:`bargaining.solvers.signaling`)."""
    res = DivinityResult()
    for off in offpath:
        m = off.message
        for name, equal in (("D2", False), ("NWBR", True)):
            dele = sorted(_deleted(US, u_star, m, cache, equal))
            (res.d2_deleted if name == "D2" else res.nwbr_deleted)[m] = dele
            if restricted_test(US, u_star, off, dele, cache):
                continue
            if name == "D2":
                res.d2 = False
            else:
                res.nwbr = False
            why = "; ".join(_why_removed(name, t, m, US, u_star, cache, labels, equal) for t in dele)
            res.notes.append(f"{_why_fails(name, m, dele, US, u_star, cache, labels)} ({why})")
    if offpath:
        if res.d2:
            res.notes.append(
                "D2: a belief on the types not removed (no other type strictly gains whenever they "
                "weakly gain) sustains the equilibrium after every off-path message"
            )
        if res.nwbr:
            res.notes.append(
                "NWBR: a belief on the types for which the off-path message can be a weak best "
                "response sustains the equilibrium after every off-path message"
            )
    return res
