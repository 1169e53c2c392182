r"""Closed-form Nash equilibria of a stack of 2×2 bimatrix games (the fast path of sweeps).

For a 2×2 game :math:`(A, B)` write the row player's payoff advantage of row 0 over row 1 against
column ``j`` as :math:`a_j = A_{0j} - A_{1j}` and the column player's advantage of column 0 over
column 1 against row ``i`` as :math:`b_i = B_{i0} - B_{i1}`. When none of :math:`a_0, a_1, b_0,
b_1` is zero the game is **nondegenerate** (a pure strategy has a unique best response, and a
strictly mixed strategy of one player can make the other indifferent between at most its two
strategies), and its equilibria are exactly (Osborne and Rubinstein 1994, §3.2; von Stengel 2007,
AGT ch. 3, Prop. 3.3 — in a nondegenerate game every equilibrium has supports of equal size):

* the pure profiles :math:`(i, j)` with row ``i`` a best response to column ``j``
  (:math:`a_j > 0` iff ``i = 0``) and column ``j`` a best response to row ``i``
  (:math:`b_i > 0` iff ``j = 0``);
* one completely mixed equilibrium iff both players' best responses switch
  (:math:`a_0 a_1 < 0` and :math:`b_0 b_1 < 0`), given by the two indifference conditions
  :math:`y_0 a_0 + (1 - y_0) a_1 = 0` and :math:`x_0 b_0 + (1 - x_0) b_1 = 0`, i.e.
  :math:`y_0 = a_1 / (a_1 - a_0)`, :math:`x_0 = b_1 / (b_1 - b_0)`.

These are the extreme equilibria that vertex enumeration lists, in the same order (pure profiles
by ``(i, j)``, then the mixed one). Every game that is degenerate in this sense (some
:math:`a_j` or :math:`b_i` is zero: a player indifferent between its two strategies against a
pure strategy of the other, which covers constant rows and columns and all equilibrium segments),
or whose payoffs are too finely spread for a clean float decision (the ``uncertain`` flag of the
general kernel), is handed to the general vertex enumeration (the ``general`` callback) so that no
equilibrium is dropped. Everything is computed in structure-of-arrays layout, one elementwise pass
per formula over the stack.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["solve_chunk_2x2", "GENERIC_GAP"]

GENERIC_GAP = 1e-6  # smallest normalised payoff gap trusted by the closed form (matches `uncertain`)

# the four pure profiles (i, j) in the order of sort_key_profile, then the mixed one
_PURE_X0 = np.array([1.0, 1.0, 0.0, 0.0])
_PURE_Y0 = np.array([1.0, 0.0, 1.0, 0.0])

Chunk = tuple[np.ndarray, ...]


def _normalise4(u: np.ndarray) -> np.ndarray:
    """The four payoffs ``u`` (4, G) of each game mapped onto [1, 2] exactly as the general
    kernel's ``normalise_stack`` does (same operations, so bitwise the same numbers)."""
    s = np.maximum(np.maximum(np.abs(u[0]), np.abs(u[1])), np.maximum(np.abs(u[2]), np.abs(u[3])))
    v = u / np.where(s > 0, s, 1.0)
    lo = np.minimum(np.minimum(v[0], v[1]), np.minimum(v[2], v[3]))
    span = np.maximum(np.maximum(v[0], v[1]), np.maximum(v[2], v[3])) - lo
    pos = span > 0
    return np.where(pos, (v - lo) / np.where(pos, span, 1.0), 0.0) + 1.0


def _fine(v: np.ndarray) -> np.ndarray:
    """Per game, whether two distinct normalised payoffs are closer than :data:`GENERIC_GAP`
    (the smallest positive pairwise gap equals the smallest positive gap of the sorted values)."""
    out = np.zeros(v.shape[1], dtype=bool)
    for p in range(4):
        for q in range(p + 1, 4):
            d = np.abs(v[p] - v[q])
            out |= (d > 0) & (d < GENERIC_GAP)
    return out


def solve_chunk_2x2(A: np.ndarray, B: np.ndarray, tol: float, general: Callable[..., Chunk]) -> Chunk:
    """All extreme equilibria of a chunk of 2×2 games, as ``(game, x, y, u1, u2, regret,
    uncertain)`` (rows sorted by game, then in the deterministic order), the same tuple as the
    general kernel's chunk solver ``general(A, B, tol)``, which solves the degenerate games."""
    G = len(A)
    a = np.ascontiguousarray(A.reshape(G, 4).T)  # a[2 i + j] = A[:, i, j]
    b = np.ascontiguousarray(B.reshape(G, 4).T)
    na, nb = _normalise4(a), _normalise4(b)
    uncertain = _fine(na) | _fine(nb)
    a0, a1 = na[0] - na[2], na[1] - na[3]  # row 0 minus row 1, against column 0 / 1
    b0, b1 = nb[0] - nb[1], nb[2] - nb[3]  # column 0 minus column 1, against row 0 / 1
    gap = max(GENERIC_GAP, 1e3 * tol)
    generic = ~uncertain
    for d in (a0, a1, b0, b1):
        generic &= np.abs(d) >= gap
    pa0, pa1, pb0, pb1 = a0 > 0, a1 > 0, b0 > 0, b1 > 0
    mixed = (pa0 != pa1) & (pb0 != pb1)
    with np.errstate(divide="ignore", invalid="ignore"):
        y0 = np.where(mixed, a1 / (a1 - a0), 0.0)
        x0 = np.where(mixed, b1 / (b1 - b0), 0.0)
    cand = np.stack(
        [pa0 & pb0, pa1 & ~pb0, ~pa0 & pb1, ~pa1 & ~pb1, mixed], axis=1
    )  # (G, 5): profiles (0,0), (0,1), (1,0), (1,1), mixed
    cand &= generic[:, None]
    g, c = np.nonzero(cand)
    is_mixed = c == 4
    cp = np.minimum(c, 3)
    x0e = np.where(is_mixed, x0[g], _PURE_X0[cp])
    y0e = np.where(is_mixed, y0[g], _PURE_Y0[cp])
    x1e, y1e = 1.0 - x0e, 1.0 - y0e
    # expected payoffs and regret from the original payoffs (as the general kernel does)
    A00, A01, A10, A11 = (a[k][g] for k in range(4))
    B00, B01, B10, B11 = (b[k][g] for k in range(4))
    Ay0 = A00 * y0e + A01 * y1e
    Ay1 = A10 * y0e + A11 * y1e
    xB0 = x0e * B00 + x1e * B10
    xB1 = x0e * B01 + x1e * B11
    u1 = x0e * Ay0 + x1e * Ay1
    u2 = xB0 * y0e + xB1 * y1e
    regret = np.maximum(np.maximum(np.maximum(Ay0, Ay1) - u1, np.maximum(xB0, xB1) - u2), 0.0)
    x = np.stack([x0e, x1e], axis=1)
    y = np.stack([y0e, y1e], axis=1)
    rest = np.flatnonzero(~generic)
    if rest.size == 0:
        return g, x, y, u1, u2, regret, uncertain
    gd, xd, yd, u1d, u2d, rd, _ = general(A[rest], B[rest], tol)
    g_all = np.concatenate([g, rest[gd]])
    order = np.argsort(g_all, kind="stable")  # each game's rows come from one path, in order
    return (
        g_all[order],
        np.concatenate([x, xd])[order],
        np.concatenate([y, yd])[order],
        np.concatenate([u1, u1d])[order],
        np.concatenate([u2, u2d])[order],
        np.concatenate([regret, rd])[order],
        uncertain,
    )
