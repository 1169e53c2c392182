"""Exact vertex enumeration of small polytopes (rational arithmetic), for the signaling solvers.

A polytope ``P = {x ∈ Q^n : A x = b, G x ≥ h}`` (bounded) is handled by eliminating the
equalities (reduced row echelon form gives ``x = x0 + N y``) and then enumerating the basic
solutions of the inequalities in ``y``: every vertex is the unique solution of ``dim P`` tight,
linearly independent inequalities (Schrijver 1986, *Theory of Linear and Integer Programming*,
§8.5). This is exponential in the dimension, and the signaling solvers only call it on
polytopes of dimension 0 to 3.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction

Row = Sequence[Fraction]

__all__ = ["vertices", "rref", "rref_solve", "relint_point"]


def rref(rows: list[list[Fraction]], ncols: int) -> tuple[list[list[Fraction]], list[int]]:
    """Reduced row echelon form of ``rows`` over their first ``ncols`` columns (for an augmented
    matrix, the last column is the right-hand side), with the pivot columns."""
    m = [r[:] for r in rows]
    pivots: list[int] = []
    r = 0
    for c in range(ncols):
        piv = next((i for i in range(r, len(m)) if m[i][c] != 0), None)
        if piv is None:
            continue
        m[r], m[piv] = m[piv], m[r]
        inv = 1 / m[r][c]
        m[r] = [v * inv for v in m[r]]
        for i in range(len(m)):
            if i != r and m[i][c] != 0:
                f = m[i][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[r])]
        pivots.append(c)
        r += 1
        if r == len(m):
            break
    return m, pivots


def rref_solve(A: list[Row], b: Row, n: int) -> tuple[list[Fraction], list[list[Fraction]]] | None:
    """All solutions of ``A x = b``: ``(x0, N)`` with ``x = x0 + Σ_j y_j N[j]``, or ``None`` if
    the system is inconsistent."""
    rows = [[Fraction(v) for v in a] + [Fraction(bi)] for a, bi in zip(A, b)]
    if not rows:
        return [Fraction(0)] * n, [[Fraction(int(i == j)) for i in range(n)] for j in range(n)]
    m, pivots = rref(rows, n)
    for row in m[len(pivots) :]:
        if row[n] != 0:
            return None
    free = [c for c in range(n) if c not in pivots]
    x0 = [Fraction(0)] * n
    for i, c in enumerate(pivots):
        x0[c] = m[i][n]
    basis = []
    for f in free:
        v = [Fraction(0)] * n
        v[f] = Fraction(1)
        for i, c in enumerate(pivots):
            v[c] = -m[i][f]
        basis.append(v)
    return x0, basis


def vertices(
    n: int, eqs: Sequence[tuple[Row, Fraction]], ineqs: Sequence[tuple[Row, Fraction]]
) -> list[tuple[Fraction, ...]]:
    """Vertices of ``{x : a·x = b for (a, b) in eqs, g·x ≥ h for (g, h) in ineqs}`` (assumed
    bounded), exact, without duplicates, in a deterministic order."""
    sol = rref_solve([a for a, _ in eqs], [b for _, b in eqs], n)
    if sol is None:
        return []
    x0, basis = sol
    k = len(basis)
    # inequalities in y: (g·N) y ≥ h - g·x0
    G = [[sum((g[i] * v[i] for i in range(n)), Fraction(0)) for v in basis] for g, _ in ineqs]
    H = [h - sum((g[i] * x0[i] for i in range(n)), Fraction(0)) for g, h in ineqs]
    found: list[tuple[Fraction, ...]] = []
    seen = set()

    def add(y: Sequence[Fraction]) -> None:
        for gi, hi in zip(G, H):
            if sum((a * yy for a, yy in zip(gi, y)), Fraction(0)) < hi:
                return
        x = tuple(x0[i] + sum((y[j] * basis[j][i] for j in range(k)), Fraction(0)) for i in range(n))
        if x not in seen:
            seen.add(x)
            found.append(x)

    if k == 0:
        add(())
        return found
    for combo in itertools.combinations(range(len(G)), k):
        s = rref_solve([G[i] for i in combo], [H[i] for i in combo], k)
        if s is None or s[1]:  # inconsistent or not a unique point
            continue
        add(s[0])
    found.sort()
    return found


def relint_point(verts: list[tuple[Fraction, ...]]) -> tuple[Fraction, ...] | None:
    """The centroid of the vertices: a point of the polytope's relative interior."""
    if not verts:
        return None
    n = len(verts[0])
    return tuple(sum((v[i] for v in verts), Fraction(0)) / len(verts) for i in range(n))
