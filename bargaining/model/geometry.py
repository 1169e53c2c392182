"""Plane geometry of bargaining problems: convex hulls of finite feasible sets, point-in-polygon,
free-disposal dominance and half-plane clipping (Sutherland–Hodgman), keeping the number type
of the data (Fractions stay exact). Used by :mod:`bargaining.model.bargaining` to validate a
disagreement point, and by the solvers and verifiers of axiomatic solutions.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import GameValidationError

__all__ = [
    "cross",
    "hull_polygon",
    "point_in_polygon",
    "weakly_dominated",
    "clip_halfplane",
    "polygon_edges",
    "clip_to_disagreement",
]


def cross(o: Sequence[Any], a: Sequence[Any], b: Sequence[Any]) -> Any:
    """The z-component of (a − o) × (b − o): > 0 when o, a, b turn counter-clockwise."""
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def hull_polygon(points: Sequence[Sequence[Any]]) -> list[tuple[Any, Any]]:
    r"""The convex hull of ``points`` as its vertices in counter-clockwise order, keeping the
    points' own number type (Fractions stay exact). Uses ``scipy.spatial.ConvexHull`` (Qhull);
    collinear inputs give a segment (two vertices), a single point gives one vertex."""
    pts = [tuple(p) for p in points]
    uniq = list(dict.fromkeys(pts))
    if len(uniq) == 0:
        raise GameValidationError("the feasible set is empty: give at least one point")
    arr = np.asarray([[float(x), float(y)] for x, y in uniq])
    if len(uniq) >= 3:
        from scipy.spatial import ConvexHull, QhullError

        try:
            hull = ConvexHull(arr)
            verts = [uniq[k] for k in hull.vertices]  # counter-clockwise in 2-D
            if cross(verts[0], verts[1], verts[2]) < 0:
                verts.reverse()
            return verts
        except QhullError:
            pass  # collinear
    order = np.lexsort((arr[:, 1], arr[:, 0]))
    lo, hi = uniq[order[0]], uniq[order[-1]]
    return [lo] if lo == hi else [lo, hi]


def point_in_polygon(poly: Sequence[Sequence[Any]], pt: Sequence[Any], tol: float = 1e-12) -> bool:
    """True if ``pt`` lies in the convex polygon (counter-clockwise vertices), boundary included."""
    exact = all(isinstance(v, (int, Fraction)) for q in list(poly) + [pt] for v in q)
    eps = 0 if exact else tol
    if len(poly) == 1:
        return all(abs(poly[0][k] - pt[k]) <= eps for k in (0, 1))
    if len(poly) == 2:
        a, b = poly
        if abs(cross(a, b, pt)) > eps * max(1.0, abs(float(b[0] - a[0])) + abs(float(b[1] - a[1]))):
            return False
        return all(min(a[k], b[k]) - eps <= pt[k] <= max(a[k], b[k]) + eps for k in (0, 1))
    n = len(poly)
    return all(cross(poly[i], poly[(i + 1) % n], pt) >= -eps for i in range(n))


def weakly_dominated(poly: Sequence[Sequence[Any]], pt: Sequence[Any]) -> bool:
    """True if some point of the convex polygon is weakly above ``pt`` in both coordinates
    (``pt`` is in the polygon's free-disposal hull)."""
    return bool(clip_halfplane(clip_halfplane(list(map(tuple, poly)), 0, pt[0]), 1, pt[1]))


def clip_halfplane(poly: list[tuple[Any, Any]], axis: int, bound: Any) -> list[tuple[Any, Any]]:
    """Sutherland–Hodgman: the part of the polygon with u[axis] ≥ bound."""
    if not poly:
        return []
    out = []
    n = len(poly)
    for k in range(n):
        cur, nxt = poly[k], poly[(k + 1) % n]
        cin, nin = cur[axis] >= bound, nxt[axis] >= bound
        if cin:
            out.append(cur)
        if cin != nin and n > 1:
            t = (bound - cur[axis]) / (nxt[axis] - cur[axis])
            out.append((cur[0] + t * (nxt[0] - cur[0]), cur[1] + t * (nxt[1] - cur[1])))
    return list(dict.fromkeys(out))


def polygon_edges(poly: list[tuple[Any, Any]]) -> list[tuple[tuple[Any, Any], tuple[Any, Any]]]:
    """The edges of a polygon (a point is one degenerate edge, a segment one edge)."""
    if len(poly) == 1:
        return [(poly[0], poly[0])]
    if len(poly) == 2:
        return [(poly[0], poly[1])]
    return [(poly[k], poly[(k + 1) % len(poly)]) for k in range(len(poly))]


def clip_to_disagreement(points: Sequence[Sequence[Any]], d: Sequence[Any]) -> list[tuple[Any, Any]]:
    """The part of conv(``points``) with u ≥ d (both coordinates), as a polygon."""
    return clip_halfplane(clip_halfplane(hull_polygon(points), 0, d[0]), 1, d[1])
