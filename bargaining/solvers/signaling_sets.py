"""PBE families of a finite signaling game as polytopes (exact, rational arithmetic).

**Formulation** (support enumeration made set-valued; Fudenberg and Tirole 1991, §8.2, for the
PBE conditions; Schrijver 1986, §8, for polytopes). Fix a *pattern*: the support ``S_t`` of every
type's message choice and the support ``K_m`` of the receiver's response after every message on
the path (the messages that some positive-prior type sends). For a fixed pattern the PBE
conditions separate:

- **in σ only** (receiver optimality on the path): ``σ_t ∈ Δ(S_t)`` and, after each on-path
  message ``m``, the receiver's indifference among ``K_m`` and weak preference over ``R \\ K_m``
  multiplied through by ``P(m)`` — ``Σ_t π_t σ_t(m) (U_R(t,m,r₀) − U_R(t,m,r)) = 0`` (``≥ 0``).
  A closed polytope ``P_σ``.
- **in ρ only** (sender optimality, on *and* off the path): ``ρ_m ∈ Δ(K_m)`` after every message,
  every type indifferent among ``S_t`` and weakly preferring them to every other message,
  off-path messages included (``V_t(m, ρ_m) ≤ u_t``: the deterrence constraints). After an
  off-path message ``ρ_m`` must be a best response to *some* belief: it lies in a face ``Δ(K)``
  of the simplex for a support ``K`` realizable by a belief; one polytope per choice of maximal
  realizable ``K`` per off-path message. The family's on-path receiver set ``R_on`` is the union
  over these choices of the projections onto the on-path coordinates (the projection of a
  polytope is the convex hull of its projected vertices).
- **beliefs**: Bayes' rule on the path; off the path, the sustaining set
  ``{μ : supp ρ_m ⊆ BR(μ)}``, reported per point (it depends on the equilibrium payoffs).

A *family* is ``P_σ × R_on`` for one pattern with a non-empty relative interior (a point whose
supports are exactly the pattern's). It is closed: its boundary contains points where a message
of the pattern leaves the path (``P(m) = 0``) or where a support shrinks. Such boundary points
are PBE (the limit belief sustains the limit response: the set of beliefs making ``K_m`` optimal
is closed) and are reported as vertices of the family, marked with the messages that leave the
path there. A pattern whose family lies in the closure of another family *with the same messages
on the path* is merged into it (its points are listed once, as part of the larger family).
Families with different on-path messages are listed separately even when they touch (for example
pooling on N and the hybrid family that tends to it as the mixing probability goes to zero).

Zero-prior types take part in the sender constraints like any type; their mixtures change no
one's payoff or belief, so only their pure choices are enumerated.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from bargaining.solvers.polytope import rref, vertices

__all__ = ["Family", "enumerate_families", "affine_hull", "extreme_points", "describe_affine"]

F0, F1 = Fraction(0), Fraction(1)


def _subsets(n: int) -> list[tuple[int, ...]]:
    return [c for k in range(1, n + 1) for c in itertools.combinations(range(n), k)]


# --------------------------------------------------------------------------- geometry
def affine_hull(
    points: Sequence[Sequence[Fraction]],
) -> tuple[list[Fraction], list[list[Fraction]], list[int]]:
    """``(p0, basis, pivots)``: the affine hull of ``points`` is ``p0 + span(basis)``; ``basis`` is
    in reduced row echelon form with identity columns ``pivots`` (so the coordinates of a point
    of the hull are its entries at ``pivots`` minus those of ``p0``). ``len(basis)`` is the
    dimension."""
    p0 = [Fraction(x) for x in points[0]]
    n = len(p0)
    rows = [[Fraction(x) - y for x, y in zip(p, p0)] for p in points[1:]]
    m, pivots = rref([r for r in rows if any(r)], n)
    basis = m[: len(pivots)]
    return p0, basis, pivots


def _cross(o, a, b) -> Fraction:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _in_hull(p: Sequence[Fraction], pts: Sequence[Sequence[Fraction]]) -> bool:
    """Is ``p`` a convex combination of ``pts``? (exact feasibility of the weights)."""
    k = len(pts)
    n = len(p)
    eqs = [([F1] * k, F1)] + [([Fraction(q[i]) for q in pts], Fraction(p[i])) for i in range(n)]
    ineqs = [([F1 if j == i else F0 for j in range(k)], F0) for i in range(k)]
    return bool(vertices(k, eqs, ineqs))


def extreme_points(points: Sequence[Sequence[Fraction]]) -> list[tuple[Fraction, ...]]:
    """The vertices of the convex hull of finitely many points, exact, sorted."""
    pts = sorted(set(tuple(Fraction(x) for x in p) for p in points))
    if len(pts) <= 2:
        return pts
    p0, basis, piv = affine_hull(pts)
    d = len(basis)
    coords = {p: tuple(p[c] - p0[c] for c in piv) for p in pts}
    if d == 0:
        return pts[:1]
    if d == 1:
        lo = min(pts, key=lambda p: coords[p][0])
        hi = max(pts, key=lambda p: coords[p][0])
        return sorted({lo, hi})
    if d == 2:  # Andrew's monotone chain on the hull coordinates
        q = sorted(pts, key=lambda p: coords[p])
        lower: list = []
        for p in q:
            while len(lower) >= 2 and _cross(coords[lower[-2]], coords[lower[-1]], coords[p]) <= 0:
                lower.pop()
            lower.append(p)
        upper: list = []
        for p in reversed(q):
            while len(upper) >= 2 and _cross(coords[upper[-2]], coords[upper[-1]], coords[p]) <= 0:
                upper.pop()
            upper.append(p)
        return sorted(set(lower[:-1] + upper[:-1]))
    out = [p for i, p in enumerate(pts) if not _in_hull(p, pts[:i] + pts[i + 1 :])]
    return out


def describe_affine(names: Sequence[str], points: Sequence[Sequence[Fraction]], fmt) -> tuple[int, list[str]]:
    """``(dimension, phrases)`` describing the convex hull of ``points`` over coordinates
    ``names``: fixed coordinates (``x = v``), free ones (``x from a to b``) and the coordinates
    tied to them by the affine hull (``y = c + k·x``)."""
    p0, basis, piv = affine_hull(points)
    d = len(basis)
    phrases = []
    free = [names[c] for c in piv]
    for c in piv:
        lo, hi = min(p[c] for p in points), max(p[c] for p in points)
        phrases.append(f"{names[c]} from {fmt(lo)} to {fmt(hi)}")
    for c in range(len(names)):
        if c in piv:
            continue
        coef = [b[c] for b in basis]
        if not any(coef):
            phrases.append(f"{names[c]} = {fmt(p0[c])}")
            continue
        const = p0[c] - sum((k * p0[pc] for k, pc in zip(coef, piv)), F0)
        terms = [f"{fmt(k)}·{f}" if k != 1 else f for k, f in zip(coef, free) if k]
        text = " + ".join(terms)
        if const:
            text = f"{fmt(const)} + {text}"
        phrases.append(f"{names[c]} = {text}")
    return d, phrases


def shape_name(d: int) -> str:
    return {0: "a single point", 1: "a segment", 2: "a polygon"}.get(d, f"a polytope of dimension {d}")


# --------------------------------------------------------------------------- families
@dataclass
class Family:
    """One PBE family ``P_σ × R_on`` (see the module docstring)."""

    S: tuple[tuple[int, ...], ...]
    K: dict[int, tuple[int, ...]]
    on_path: tuple[int, ...]
    sigma_var: list[tuple[int, int]]
    sigma_sys: tuple[list, list]
    sigma_verts: list[tuple[Fraction, ...]]
    rho_var: list[tuple[int, int]]
    pieces: list[dict] = field(default_factory=list)  # {"verts": [...], "jvar", "eqs", "ineqs"}

    def sigma_matrix(self, v: Sequence[Fraction], nT: int, nM: int) -> list[list[Fraction]]:
        s = [[F0] * nM for _ in range(nT)]
        for (t, m), x in zip(self.sigma_var, v):
            s[t][m] = x
        return s

    def rho_dict(self, v: Sequence[Fraction], nR: int) -> dict[int, list[Fraction]]:
        d = {m: [F0] * nR for m in self.on_path}
        for (m, r), x in zip(self.rho_var, v):
            d[m][r] = x
        return d


def _sigma_system(S, K, UR, prior, nT):
    var = [(t, m) for t in range(nT) for m in S[t]]
    idx = {v: i for i, v in enumerate(var)}
    n = len(var)
    eqs, ineqs = [], []
    for t in range(nT):
        eqs.append(([F1 if v[0] == t else F0 for v in var], F1))
    for i in range(n):
        ineqs.append(([F1 if j == i else F0 for j in range(n)], F0))
    nR = len(UR[0][0])
    for m, Km in K.items():

        def row(r_a, r_b, m=m):
            a = [F0] * n
            for t in range(nT):
                if (t, m) in idx:
                    a[idx[(t, m)]] = prior[t] * (UR[t][m][r_a] - UR[t][m][r_b])
            return a

        r0 = Km[0]
        for r in Km[1:]:
            eqs.append((row(r0, r), F0))
        for r in range(nR):
            if r not in Km:
                ineqs.append((row(r0, r), F0))
    return var, eqs, ineqs


def _rho_system(S, Kall: dict[int, tuple[int, ...]], US, nT, types: Sequence[int]):
    """Joint polytope of the receiver's responses after every message in ``Kall`` (keys): every
    type in ``types`` indifferent among ``S_t`` and weakly preferring them to every message in
    ``Kall``."""
    var = [(m, r) for m in sorted(Kall) for r in Kall[m]]
    idx = {v: i for i, v in enumerate(var)}
    n = len(var)
    eqs, ineqs = [], []
    for m in sorted(Kall):
        eqs.append(([F1 if v[0] == m else F0 for v in var], F1))
    for i in range(n):
        ineqs.append(([F1 if j == i else F0 for j in range(n)], F0))

    def val(t, m):
        a = [F0] * n
        for r in Kall[m]:
            a[idx[(m, r)]] = US[t][m][r]
        return a

    for t in types:
        if S[t][0] not in Kall:
            continue
        m0 = S[t][0]
        for m in S[t][1:]:
            if m in Kall:
                eqs.append(([x - y for x, y in zip(val(t, m0), val(t, m))], F0))
        for m in Kall:
            if m not in S[t]:
                ineqs.append(([x - y for x, y in zip(val(t, m0), val(t, m))], F0))
    return var, eqs, ineqs


def _satisfies(point: Sequence[Fraction], eqs, ineqs) -> bool:
    for a, b in eqs:
        if sum((x * y for x, y in zip(a, point)), F0) != b:
            return False
    for g, h in ineqs:
        if sum((x * y for x, y in zip(g, point)), F0) < h:
            return False
    return True


def _normalize(row: list[Fraction], h: Fraction) -> tuple[tuple[Fraction, ...], Fraction]:
    k = next((abs(x) for x in row if x != 0), None)
    if k is None:
        return tuple(row), h
    return tuple(x / k for x in row), h / k


def fourier_motzkin(
    ineqs: list[tuple[list[Fraction], Fraction]], n_keep: int
) -> list[tuple[list[Fraction], Fraction]] | None:
    """Project ``{(y, x) : g·(y, x) ≥ h}`` onto ``y`` (the first ``n_keep`` coordinates) by
    Fourier–Motzkin elimination (Schrijver 1986, §12.2), exact; ``None`` if the system is
    infeasible in a way the elimination detects (``0 ≥ h > 0``). Duplicate rows are removed."""
    rows = {_normalize(list(g), h) for g, h in ineqs}
    n = len(next(iter(rows))[0]) if rows else n_keep
    for j in range(n - 1, n_keep - 1, -1):
        pos = [(g, h) for g, h in rows if g[j] > 0]
        neg = [(g, h) for g, h in rows if g[j] < 0]
        new = {(g, h) for g, h in rows if g[j] == 0}
        for gp, hp in pos:
            for gn, hn in neg:
                a, b = -gn[j], gp[j]
                combined = [a * x + b * y for x, y in zip(gp, gn)]
                new.add(_normalize(combined, a * hp + b * hn))
        rows = set()
        for g, h in new:
            if not any(g):
                if h > 0:
                    return None
                continue
            rows.add((g, h))
    return [(list(g[:n_keep]), h) for g, h in sorted(rows)]


def _project_pieces(
    S,
    K: dict[int, tuple[int, ...]],
    off_choice: dict[int, tuple[int, ...]],
    US,
    nT,
    rvar: list[tuple[int, int]],
):
    """The on-path ρ-polytope of a pattern with the off-path responses restricted to the faces
    ``off_choice`` and projected out: ``(eqs, ineqs)`` over ``rvar``, or ``None`` if empty."""
    Kall = dict(K)
    Kall.update(off_choice)
    jvar, jeq, jin = _rho_system(S, Kall, US, nT, range(nT))
    n_on = len(rvar)
    # order the joint variables: on-path first (as rvar), then off-path
    order = rvar + [v for v in jvar if v not in rvar]
    perm = [jvar.index(v) for v in order]
    jeq = [([a[i] for i in perm], b) for a, b in jeq]
    jin = [([a[i] for i in perm], b) for a, b in jin]
    # substitute the last response of every off-path message: rho_m(last) = 1 - sum(others)
    off_vars = order[n_on:]
    subst: dict[int, list[int]] = {}
    for m, Km in off_choice.items():
        last = order.index((m, Km[-1]))
        subst[last] = [order.index((m, r)) for r in Km[:-1]]
    keep_cols = list(range(n_on)) + [i for i in range(n_on, len(order)) if i not in subst]

    def sub(a: list[Fraction], b: Fraction) -> tuple[list[Fraction], Fraction]:
        a = list(a)
        for last, others in subst.items():
            c = a[last]
            if c:
                b -= c
                for o in others:
                    a[o] -= c
                a[last] = F0
        return [a[i] for i in keep_cols], b

    eqs_on = []
    for a, b in jeq:
        a2, b2 = sub(a, b)
        if any(a2[n_on:]):
            continue  # the off-path simplex equalities (now identities)
        if not any(a2):
            if b2 != 0:
                return None
            continue
        eqs_on.append((a2[:n_on], b2))
    ineqs = [sub(a, b) for a, b in jin]
    if off_vars:
        proj = fourier_motzkin(ineqs, n_on)
        if proj is None:
            return None
    else:
        proj = [(a, b) for a, b in ineqs]
    return eqs_on, proj


def maximal_realizable(cache, m: int) -> list[tuple[int, ...]]:
    """Response supports after ``m`` that are optimal at some belief, maximal by inclusion."""
    real = cache.realizable(m)
    return [K for K in real if not any(set(K) < set(K2) for K2 in real)]


def enumerate_families(
    US,
    UR,
    prior: Sequence[Fraction],
    cache,
    *,
    deadline: float | None = None,
) -> tuple[list[Family], bool, list[str]]:
    """All PBE families of the one-shot game ``(prior, U_S, U_R)`` (exact Fractions, indexed
    ``[t][m][r]``); ``cache`` is a belief cache over the positive-prior types. Returns
    ``(families, complete, notes)``."""
    nT, nM, nR = len(US), len(US[0]), len(US[0][0])
    pos = [p > 0 for p in prior]
    complete = True
    notes: list[str] = []
    subsets_M = _subsets(nM)
    patterns = sorted(itertools.product(subsets_M, repeat=nT), key=lambda S: (sum(len(s) for s in S), S))
    max_off = {m: maximal_realizable(cache, m) for m in range(nM)}
    found: list[Family] = []
    for S in patterns:
        if deadline is not None and time.monotonic() > deadline:
            complete = False
            notes.append("time budget ran out: patterns with more mixing were not searched")
            break
        if any(len(S[t]) > 1 and not pos[t] for t in range(nT)):
            continue
        senders = {m: tuple(t for t in range(nT) if m in S[t] and pos[t]) for m in range(nM)}
        on_path = tuple(m for m in range(nM) if senders[m])
        off_path = [m for m in range(nM) if not senders[m]]
        K_options = [[K for K in _subsets(nR) if cache.feasible_interior(m, K, senders[m])] for m in on_path]
        if any(not o for o in K_options):
            continue
        for Ks in _K_combos(S, on_path, K_options, US, nT):
            K = dict(zip(on_path, Ks))
            # quick necessary test: on-path ρ polytope alone has a point with full support
            rvar, req, rin = _rho_system(S, K, US, nT, range(nT))
            rv = vertices(len(rvar), req, rin)
            if not rv or not _positive_relint(rv):
                continue
            svar, seq, sin = _sigma_system(S, K, UR, prior, nT)
            sv = vertices(len(svar), seq, sin)
            if not sv or not _positive_relint(sv):
                continue
            fam = Family(S, K, on_path, svar, (seq, sin), sv, rvar)
            for choice in itertools.product(*(max_off[m] for m in off_path)):
                sys_ = _project_pieces(S, K, dict(zip(off_path, choice)), US, nT, rvar)
                if sys_ is None:
                    continue
                peq, pin = sys_
                proj = vertices(len(rvar), peq, pin)
                if not _positive_relint(proj):
                    continue
                fam.pieces.append(
                    {"verts": proj, "eqs": peq, "ineqs": pin, "off": dict(zip(off_path, choice))}
                )
            if not fam.pieces:
                continue
            _drop_covered_pieces(fam)
            found.append(fam)
    return _merge(found), complete, notes


def _K_combos(
    S: Sequence[Sequence[int]],
    on_path: Sequence[int],
    K_options: Sequence[Sequence[tuple[int, ...]]],
    US: Any,
    nT: int,
) -> Iterator[tuple[tuple[int, ...], ...]]:
    """Receiver supports on the path, by backtracking with a necessary condition from interval
    bounds: type t's equilibrium value v_t lies in [min, max]_{r ∈ K_m} U_S(t, m, r) for every m in
    S_t, and is at least min_{r ∈ K_m} U_S(t, m, r) for every other message on the path."""
    n = len(on_path)
    chosen: list[tuple[int, ...]] = []

    def ok() -> bool:
        for t in range(nT):
            lo, hi = None, None
            for m, Km in zip(on_path, chosen):
                vals = [US[t][m][r] for r in Km]
                a, b = min(vals), max(vals)
                lo = a if lo is None else max(lo, a)
                if m in S[t]:
                    hi = b if hi is None else min(hi, b)
            if lo is not None and hi is not None and lo > hi:
                return False
        return True

    def rec(i: int) -> Iterator[tuple[tuple[int, ...], ...]]:
        if i == n:
            yield tuple(chosen)
            return
        for Km in K_options[i]:
            chosen.append(Km)
            if ok():
                yield from rec(i + 1)
            chosen.pop()

    yield from rec(0)


def _positive_relint(verts: Sequence[Sequence[Fraction]]) -> bool:
    if not verts:
        return False
    n = len(verts[0])
    return all(any(v[i] > 0 for v in verts) for i in range(n))


def _piece_in(piece: dict, other: dict, rvar_self, rvar_other) -> bool:
    """Are all vertices of ``piece`` (over ``rvar_self``) points of ``other`` (over ``rvar_other``)?"""
    pos = {v: i for i, v in enumerate(rvar_other)}
    for v in piece["verts"]:
        point = [F0] * len(rvar_other)
        for var, x in zip(rvar_self, v):
            if var in pos:
                point[pos[var]] = x
            elif x != 0:
                return False
        if not _satisfies(point, other["eqs"], other["ineqs"]):
            return False
    return True


def _drop_covered_pieces(fam: Family) -> None:
    keep: list[dict] = []
    pieces = sorted(fam.pieces, key=lambda p: -len(p["verts"]))
    for p in pieces:
        if any(_piece_in(p, q, fam.rho_var, fam.rho_var) for q in keep):
            continue
        keep.append(p)
    fam.pieces = keep


def _contained(F: Family, G: Family, nT: int, nM: int) -> bool:
    """Is family F inside the closure of family G (same on-path messages)?"""
    if F.on_path != G.on_path:
        return False
    if any(not set(a) <= set(b) for a, b in zip(F.S, G.S)):
        return False
    if any(not set(F.K[m]) <= set(G.K[m]) for m in F.on_path):
        return False
    gidx = {v: i for i, v in enumerate(G.sigma_var)}
    for v in F.sigma_verts:
        point = [F0] * len(G.sigma_var)
        for var, x in zip(F.sigma_var, v):
            point[gidx[var]] = x
        if not _satisfies(point, *G.sigma_sys):
            return False
    for p in F.pieces:
        if not any(_piece_in(p, q, F.rho_var, G.rho_var) for q in G.pieces):
            return False
    return True


def _merge(found: list[Family]) -> list[Family]:
    out = []
    for i, F in enumerate(found):
        covered = False
        for j, G in enumerate(found):
            if i == j:
                continue
            nT = len(F.S)
            if _contained(F, G, nT, 0) and not (_contained(G, F, nT, 0) and j > i):
                covered = True
                break
        if not covered:
            out.append(F)
    return out
