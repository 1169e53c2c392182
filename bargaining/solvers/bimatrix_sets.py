r"""Equilibrium sets of a two-player game from its extreme equilibria: maximal Nash subsets,
connected components, their dimension and (where defined here) index.

- A *maximal Nash subset* is a product :math:`\operatorname{conv} X \times \operatorname{conv} Y`
  of sets of extreme strategies in which every pair is an equilibrium, maximal for inclusion
  (a maximal biclique of the bipartite graph of extreme equilibria); every point of it is an
  equilibrium (Avis, Rosenberg, Savani and von Stengel 2010, "Enumeration of Nash equilibria for
  two-player games", *Economic Theory* 42, §4; Winkels 1979).
- The set of all equilibria is the union of the maximal Nash subsets; its *connected
  components* are the classes of the relation "the two subsets share a point", closed
  transitively (ARSvS §4). Two subsets share a point iff
  :math:`\operatorname{conv} X_1 \cap \operatorname{conv} X_2 \neq \emptyset` and the same for
  :math:`Y`; this is decided by an exact shortcut (a common extreme strategy) and otherwise by a
  small linear program (floats, tolerance 1e-9; ``scipy.optimize.linprog``).
- The *index* of a component (Shapley 1974, "A note on the Lemke–Howson algorithm", *Math.
  Programming Study* 1) is computed here only for a component that is a single nondegenerate
  equilibrium :math:`(x, y)` with supports :math:`S, T`, :math:`|S| = |T| = k`, whose best
  responses are exactly its supports: with the payoff matrices made positive,
  :math:`\operatorname{index} = (-1)^{k+1}\operatorname{sign}\det A_{ST}\,\operatorname{sign}
  \det B_{ST}` (von Stengel 2007, *Algorithmic Game Theory* ch. 3, §3.6; Balthasar 2009). The
  indices of all components sum to 1. Other components get ``None`` (not computed).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.solvers.bimatrix_exact import integer_payoffs, normalised_payoffs
from bargaining.solvers.budget import Deadline

__all__ = [
    "connected_components",
    "subset_dimension",
    "equilibrium_index",
    "is_simplex_face",
    "positive_payoffs",
    "maximal_bicliques",
    "distinct_pairs",
]


def _rank_exact(rows: list[list[Fraction]]) -> int:
    m = [list(r) for r in rows]
    rank, ncols = 0, len(m[0]) if m else 0
    for c in range(ncols):
        piv = next((i for i in range(rank, len(m)) if m[i][c] != 0), None)
        if piv is None:
            continue
        m[rank], m[piv] = m[piv], m[rank]
        for i in range(rank + 1, len(m)):
            if m[i][c] != 0:
                f = m[i][c] / m[rank][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[rank])]
        rank += 1
    return rank


def _affine_dim(points: Sequence[Sequence[Any]]) -> int:
    pts = list(points)
    if len(pts) <= 1:
        return 0
    if all(isinstance(v, (int, Fraction)) for p in pts for v in p):
        return _rank_exact([[Fraction(a) - Fraction(b) for a, b in zip(p, pts[0])] for p in pts[1:]])
    if len(pts) == 2:  # one difference vector: its only singular value is its norm
        return int(math.hypot(*(float(a) - float(b) for a, b in zip(pts[1], pts[0]))) > 1e-9)
    D = np.asarray(pts[1:], dtype=float) - np.asarray(pts[0], dtype=float)
    return int(np.linalg.matrix_rank(D, tol=1e-9))


def subset_dimension(xs: Sequence[Sequence[Any]], ys: Sequence[Sequence[Any]]) -> int:
    """Dimension of :math:`\\operatorname{conv} X \\times \\operatorname{conv} Y`."""
    return _affine_dim(xs) + _affine_dim(ys)


def is_simplex_face(points: Sequence[Sequence[Any]]) -> bool:
    """True when the points are exactly the pure strategies of their union of supports (so
    their convex hull is the face of the simplex on that support)."""
    pure = [tuple(k for k, v in enumerate(p) if v != 0) for p in points]
    if any(len(s) != 1 for s in pure):
        return False
    return len({s[0] for s in pure}) == len(pure)


def _hulls_meet(P1: Sequence[Sequence[Any]], P2: Sequence[Sequence[Any]]) -> bool:
    if {tuple(p) for p in P1} & {tuple(p) for p in P2}:
        return True
    F1 = [[float(v) for v in p] for p in P1]
    F2 = [[float(v) for v in p] for p in P2]
    if len(F1) == 1 and len(F2) == 1:  # two points: they meet iff equal (to 1e-9)
        return all(abs(a - b) <= 1e-9 for a, b in zip(F1[0], F2[0]))
    # a common point lies in both bounding boxes: disjoint boxes need no linear program
    for c1, c2 in zip(zip(*F1), zip(*F2)):
        if min(c1) > max(c2) + 1e-9 or min(c2) > max(c1) + 1e-9:
            return False
    A1 = np.asarray(F1, dtype=float).T
    A2 = np.asarray(F2, dtype=float).T
    from scipy.optimize import linprog

    d = A1.shape[0]
    # lambda >= 0, mu >= 0, sum lambda = 1, sum mu = 1, A1 lambda - A2 mu = 0
    Aeq = np.zeros((d + 2, A1.shape[1] + A2.shape[1]))
    Aeq[:d, : A1.shape[1]] = A1
    Aeq[:d, A1.shape[1] :] = -A2
    Aeq[d, : A1.shape[1]] = 1
    Aeq[d + 1, A1.shape[1] :] = 1
    beq = np.zeros(d + 2)
    beq[d:] = 1
    res = linprog(np.zeros(Aeq.shape[1]), A_eq=Aeq, b_eq=beq, bounds=(0, None), method="highs")
    return bool(res.status == 0)


def _box(points: Sequence[Sequence[Any]]) -> list[tuple[float, float]]:
    """The bounding box of ``points``: (min, max) of each coordinate, as floats."""
    return [(min(c), max(c)) for c in zip(*([float(v) for v in p] for p in points))]


def _boxes_meet(b1: list[tuple[float, float]], b2: list[tuple[float, float]]) -> bool:
    """Whether two bounding boxes overlap within 1e-9 in every coordinate (the test of
    :func:`_hulls_meet`)."""
    return all(lo1 <= hi2 + 1e-9 and lo2 <= hi1 + 1e-9 for (lo1, hi1), (lo2, hi2) in zip(b1, b2))


def connected_components(
    subsets: Sequence[tuple[Sequence[Sequence[Any]], Sequence[Sequence[Any]]]],
) -> list[list[int]]:
    """Connected components of the union of Nash subsets ``(X, Y)`` (their extreme strategies),
    as sorted lists of subset indices, sorted by their first index."""
    k = len(subsets)
    points = [{tuple(p) for p in X} for X, _ in subsets]
    if all(len(X) == 1 and len(Y) == 1 for X, Y in subsets) and len(set().union(*points)) == k:
        # isolated extreme equilibria with pairwise distinct row strategies (merged to 1e-9
        # by the caller): no two share a point
        return [[a] for a in range(k)]
    parent = list(range(k))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    ys = [{tuple(q) for q in Y} for _, Y in subsets]
    box_x = [_box(X) for X, _ in subsets]
    box_y = [_box(Y) for _, Y in subsets]
    for a in range(k):
        for b in range(a + 1, k):
            if find(a) == find(b):
                continue
            # a point of each player's hull in common joins them without a linear program;
            # disjoint bounding boxes (as _hulls_meet tests them) part them without one
            if points[a] & points[b] and ys[a] & ys[b]:
                parent[find(a)] = find(b)
            elif not (_boxes_meet(box_x[a], box_x[b]) and _boxes_meet(box_y[a], box_y[b])):
                continue
            elif _hulls_meet(subsets[a][0], subsets[b][0]) and _hulls_meet(subsets[a][1], subsets[b][1]):
                parent[find(a)] = find(b)
    groups: dict[int, list[int]] = {}
    for a in range(k):
        groups.setdefault(find(a), []).append(a)
    return sorted(groups.values())


def _det_sign(M: np.ndarray) -> int:
    if M.dtype == object:
        rows = [[Fraction(v) for v in r] for r in M.tolist()]
        k = len(rows)
        det = Fraction(1)
        for c in range(k):
            piv = next((i for i in range(c, k) if rows[i][c] != 0), None)
            if piv is None:
                return 0
            if piv != c:
                rows[c], rows[piv] = rows[piv], rows[c]
                det = -det
            det *= rows[c][c]
            for i in range(c + 1, k):
                f = rows[i][c] / rows[c][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[c])]
        return (det > 0) - (det < 0)
    k = M.shape[0]
    if k == 1:
        d = float(M[0, 0])
    elif k == 2:
        d = float(M[0, 0] * M[1, 1] - M[0, 1] * M[1, 0])
    else:
        d = float(np.linalg.det(M))
    return 0 if abs(d) < 1e-12 else (1 if d > 0 else -1)


def positive_payoffs(A: Any, B: Any, exact: bool) -> tuple[Any, Any]:
    """Both players' payoffs made positive by a positive affine map (which keeps the
    equilibria and the index): integers for ``exact``, else normalised onto [1, 2]."""
    if exact:
        return integer_payoffs(A), integer_payoffs(B)
    return normalised_payoffs(A), normalised_payoffs(B)


def equilibrium_index(
    A: Any, B: Any, x: Sequence[Any], y: Sequence[Any], exact: bool, positive: tuple[Any, Any] | None = None
) -> int | None:
    """Shapley's index of an isolated nondegenerate equilibrium ``(x, y)`` of the bimatrix game
    ``(A, B)``, or ``None`` when the equilibrium is degenerate (then not computed here).
    ``positive``: the payoffs already made positive (:func:`positive_payoffs`), to skip that
    step when many equilibria of one game are indexed."""
    Ap, Bp = positive if positive is not None else positive_payoffs(A, B, exact)
    tol: Any = 0 if exact else 1e-9
    S = [i for i, v in enumerate(x) if v != 0]
    T = [j for j, v in enumerate(y) if v != 0]
    if len(S) != len(T):
        return None
    xa = np.asarray(x, dtype=object if exact else float)
    ya = np.asarray(y, dtype=object if exact else float)
    row_pay = Ap.dot(ya).tolist()
    col_pay = xa.dot(Bp).tolist()
    top_r, top_c = max(row_pay) - tol, max(col_pay) - tol
    br_rows = [i for i, v in enumerate(row_pay) if v >= top_r]
    br_cols = [j for j, v in enumerate(col_pay) if v >= top_c]
    if br_rows != S or br_cols != T:
        return None
    sa = _det_sign(Ap[S][:, T])
    sb = _det_sign(Bp[S][:, T])
    if sa == 0 or sb == 0:
        return None
    return (-1) ** (len(S) + 1) * sa * sb


# -- step 5: maximal Nash subsets ---------------------------------------------------------------
def maximal_bicliques(
    edges: Sequence[tuple[int, int]], deadline: Deadline | None
) -> list[tuple[frozenset[int], frozenset[int]]]:
    """Maximal bicliques (X, Y) of a bipartite graph given by its edges (x, y)."""
    nbr: dict[int, frozenset[int]] = {}
    for x, y in edges:
        nbr[x] = nbr.get(x, frozenset()) | {y}
    base = set(nbr.values())
    closed = set(base)
    frontier = set(base)
    while frontier:
        if deadline is not None:
            deadline.check()
        new = set()
        for Y in frontier:
            for Z in base:
                W = Y & Z
                if W and W not in closed:
                    new.add(W)
        closed |= new
        frontier = new
    out = []
    for Y in closed:
        X = frozenset(x for x, N in nbr.items() if Y <= N)
        out.append((X, Y))
    return out


def distinct_pairs(
    pairs: Iterable[tuple[int, int]],
    point_p: Callable[[int], tuple[tuple, Any]],
    point_q: Callable[[int], tuple[tuple, Any]],
) -> tuple[list[tuple], list[tuple], list[tuple[int, int]]]:
    """The completely labelled pairs ``(a, b)`` of vertex indices as distinct strategies and
    edges: ``point_p(a)`` / ``point_q(b)`` give a vertex's mixed strategy and the key that merges
    equal ones (a vertex found twice under float noise); each is called once per index.
    Returns ``(xs, ys, edges)`` in the order of first appearance, every edge once."""
    xs: list[tuple] = []
    ys: list[tuple] = []
    where_x: dict[Any, int] = {}
    where_y: dict[Any, int] = {}
    of_a: dict[int, int] = {}
    of_b: dict[int, int] = {}
    edges: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    for a, b in pairs:
        i = of_a.get(a)
        if i is None:
            x, key = point_p(a)
            i = of_a[a] = where_x.setdefault(key, len(xs))
            if i == len(xs):
                xs.append(x)
        j = of_b.get(b)
        if j is None:
            y, key = point_q(b)
            j = of_b[b] = where_y.setdefault(key, len(ys))
            if j == len(ys):
                ys.append(y)
        if (i, j) not in seen:
            seen.add((i, j))
            edges.append((i, j))
    return xs, ys, edges
