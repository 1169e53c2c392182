r"""Vertex enumeration and complete-label pairing for a stack of small bimatrix games, with every
step one array operation over all label subsets *and* all games (the fast path of
:func:`bargaining.solvers.batch.bimatrix_equilibria`, degenerate games included).

The polytopes, labels and the characterisation of extreme equilibria are those of
:mod:`bargaining.solvers.batch` (von Stengel 2007, AGT ch. 3, §3.2; Avis, Rosenberg, Savani and
von Stengel 2010, Econ. Theory 42, Thm. 2): an extreme equilibrium is a pair of vertices
:math:`x \in P`, :math:`y \in Q`, :math:`(x, y) \ne (0, 0)`, whose label sets :math:`L(x)`,
:math:`L(y)` cover all ``m + n`` labels. Two steps differ from the per-subset loop of the plain
kernel:

1. **Cramer's rule over all subsets at once.** A ``k``-subset of the ``m + n`` inequalities of a
   polytope :math:`\{z \ge 0, Mz \le 1\}` (``M`` is ``r × k``) makes ``t`` payoff rows ``T``
   tight and ``k - t`` coordinates zero, so its vertex is :math:`z_S = M_{TS}^{-1} \mathbf 1` on
   the support ``S`` (``|S| = t``) and 0 elsewhere. The subsets are grouped by ``t``; for each
   group the ``t × t`` systems of all subsets and all games are gathered into arrays and solved
   by Cramer's rule (determinant and cofactor sums, e.g. Horn and Johnson, *Matrix Analysis*,
   section 0.8.2) in a fixed number of elementwise passes (``t = 1`` is :math:`1/M_{js}`; normalised
   payoffs are in [1, 2], so it is never singular). The feasibility and tight-label tests are
   the plain kernel's, with the same tolerances.

2. **Pairing by label sets, degenerate games included.** A vertex is determined by its full
   set of tight inequalities (it contains ``k`` linearly independent ones), so two label subsets
   reaching the same vertex give the same label mask: keeping one candidate per (game, mask)
   removes every duplicate vertex exactly. A ``P``-vertex with mask :math:`L` is completed by
   exactly the ``Q``-vertices whose masks contain :math:`R = \overline{L}`. For each game a
   table indexed by masks holds, as a bitset, the ``Q``-vertices of that mask; a superset-sum
   (zeta) transform over the ``m + n`` bits turns it into "``Q``-vertices whose mask contains
   ``R``" (Yates 1937; Knuth, TAOCP 4A, §7.1.3), so each ``P``-vertex finds all of its partners
   by one table read, and the pairs are read off the bits. For a nondegenerate game this is the
   unique complementary vertex (von Stengel 2007, Thm. 3.4); for a degenerate game it is every
   complete pair, the same set the all-pairs test finds. No pair is listed twice.

Applies when ``max(m, n) <= 4`` and both polytopes have at most :data:`MAX_CANDIDATES` label
subsets (the ``Q``-bitsets fit a 64-bit word): 2×2 … 2×4, 3×2 … 3×4, 4×2 and 4×3; other shapes
use the plain kernel. The step "one mask, one vertex" relies on the label decisions being right:
with the float tolerances that holds unless the payoffs are too finely spread, and those games
(``uncertain``) are routed to the plain kernel by the caller.
"""

from __future__ import annotations

import math
from functools import cache
from itertools import combinations
from typing import Any

import numpy as np

__all__ = ["MAX_CANDIDATES", "cofactor_det", "fast_shape", "vertex_pairs"]

MAX_CANDIDATES = 63  # Q-vertex bitsets are int64


@cache
def _plan(r: int, k: int) -> tuple[tuple[tuple[np.ndarray, ...], ...], int]:
    """Label subsets of ``{z >= 0, M z <= 1}`` (``M`` of shape ``r × k``) grouped by the
    number ``t`` of tight payoff rows: for each ``t``, the subsets ``(T, S)`` with ``T`` the
    tight rows and ``S`` the support, ``t`` of each (the other ``k - t`` coordinates are zero
    labels), as flat indices: ``src[a][b]`` (N_t,) of ``M[T_a, S_b]`` in ``M`` reshaped to
    ``(r k, G)`` and ``dst[b]`` (N_t,) of ``z[c, S_b]`` in ``z`` reshaped to ``(C k, G)``. The
    subset of only zero labels (the origin, ``t = 0``) is left out. Also ``C``."""
    groups = []
    at = 0
    for t in range(1, min(r, k) + 1):
        pairs = [(T, S) for T in combinations(range(r), t) for S in combinations(range(k), t)]
        T = np.array([p[0] for p in pairs], dtype=np.intp)
        S = np.array([p[1] for p in pairs], dtype=np.intp)
        c = at + np.arange(len(pairs))
        src = tuple(T[:, a] * k + S[:, b] for a in range(t) for b in range(t))
        dst = tuple(c * k + S[:, b] for b in range(t))
        groups.append((*src, *dst))
        at += len(pairs)
    return tuple(groups), at


def fast_shape(m: int, n: int) -> bool:
    """Whether :func:`vertex_pairs` handles ``m × n`` games."""
    return max(m, n) <= 4 and max(_plan(n, m)[1], _plan(m, n)[1]) <= MAX_CANDIDATES


def cofactor_det(M: list[list[Any]]) -> Any:
    """Determinant of a small matrix whose entries are numbers or arrays over the stack
    (cofactor expansion along the first row, skipping zero entries: the unit rows of the
    label systems make this cheap)."""
    k = len(M)
    if k == 1:
        return M[0][0]
    if k == 2:
        return M[0][0] * M[1][1] - M[0][1] * M[1][0]
    total: Any = 0.0
    for j in range(k):
        a = M[0][j]
        if isinstance(a, float) and a == 0.0:
            continue
        minor = [row[:j] + row[j + 1 :] for row in M[1:]]
        term = a * cofactor_det(minor)
        total = total + term if j % 2 == 0 else total - term
    return total


def _solve_ones(S: list[list[np.ndarray]]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Determinant ``D`` and Cramer numerators ``N_i`` of ``S z = 1`` for a stack of ``t × t``
    systems (``N_i = sum_a cof[a][i]``, the cofactors summed down column ``i``)."""
    t = len(S)
    if t == 1:
        return S[0][0], [np.ones_like(S[0][0])]
    num: list[Any] = []
    det: Any = None
    for i in range(t):
        col: Any = None
        for a in range(t):
            minor = [row[:i] + row[i + 1 :] for b, row in enumerate(S) if b != a]
            d = cofactor_det(minor)
            c = d if (a + i) % 2 == 0 else -d
            col = c if col is None else col + c
            if i == 0:
                det = S[a][0] * c if det is None else det + S[a][0] * c
        num.append(col)
    return det, num


def _vertices(M: np.ndarray, tol: float, zero_first: bool):
    """Candidate vertices of ``{z >= 0, M z <= 1}`` (``M`` of shape ``(r, k, G)``, normalised
    payoffs in [1, 2]) for all label subsets at once: ``z`` (C, k, G), ``valid`` (C, G) and
    the label masks (C, G). Label bits: the ``k`` zero labels then the ``r`` tight rows
    (``zero_first``, the polytope ``P``), or the tight rows first (``Q``); a subset with
    tight rows ``T`` and support ``S`` solves ``M[T, S] z_S = 1`` with ``z = 0`` off ``S``."""
    r, k, G = M.shape
    groups, C = _plan(r, k)
    flat_m = M.reshape(r * k, G)
    z = np.zeros((C, k, G))
    flat_z = z.reshape(C * k, G)
    ok = np.ones((C, G), dtype=bool)
    at = 0
    for group in groups:
        t = math.isqrt(len(group))  # t² sources and t destinations (t² <= t² + t < (t + 1)²)
        src, dst = group[: t * t], group[t * t :]
        N = len(dst[0])
        if t == 1:  # z_s = 1 / M[j, s]: normalised payoffs are >= 1, never singular
            flat_z[dst[0]] = 1.0 / np.take(flat_m, src[0], axis=0)
        else:
            sub = [[np.take(flat_m, src[a * t + b], axis=0) for b in range(t)] for a in range(t)]
            det, num = _solve_ones(sub)
            good = np.abs(det) > 1e-12 * 2.0**t
            ok[at : at + N] = good
            inv = 1.0 / np.where(good, det, 1.0)
            for i in range(t):
                flat_z[dst[i]] = num[i] * inv
        at += N
    za = [np.abs(z[:, i]) for i in range(k)]
    eps = tol * np.maximum(sum(za[1:], za[0]), 1e-300)
    neg = -eps
    feasible = ok
    labels = np.zeros((C, G), dtype=np.uint8)  # fast shapes have m + n <= 8 labels
    for i in range(k):
        zero = za[i] <= eps
        feasible &= z[:, i] >= neg  # (entries within eps of 0 are snapped by the caller)
        labels |= zero.view(np.uint8) << np.uint8(i if zero_first else r + i)
    for j in range(r):
        Mz = M[j, 0] * z[:, 0]
        for i in range(1, k):
            Mz += M[j, i] * z[:, i]
        feasible &= Mz <= 1 + tol
        labels |= (Mz >= 1 - tol).view(np.uint8) << np.uint8(k + j if zero_first else j)
    return z, feasible, labels


def vertex_pairs(Ap: np.ndarray, Bp: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All extreme equilibria of a stack ``(G, m, n)`` of games normalised onto [1, 2]:
    ``(game, x, y)``, one row per equilibrium (each exactly once; in no particular order)."""
    G, m, n = Ap.shape
    if G == 0:
        return np.zeros(0, dtype=np.intp), np.zeros((0, m)), np.zeros((0, n))
    L = m + n
    full = (1 << L) - 1
    Bt = np.ascontiguousarray(np.transpose(Bp, (2, 1, 0)))  # (n, m, G): rows of B^T
    At = np.ascontiguousarray(np.transpose(Ap, (1, 2, 0)))  # (m, n, G): rows of A
    zx, vx, lx = _vertices(Bt, tol, True)
    zy, vy, ly = _vertices(At, tol, False)
    C_p, C_q = len(lx), len(ly)
    cols = np.arange(G)
    word = np.int32 if C_q < 31 else np.int64
    # bitset of Q-candidates per (game, mask), one candidate per mask (invalid ones go to a
    # spare row); then closed upwards: table_q[R] = the Q-vertices whose mask contains R
    table_q = np.zeros((full + 2, G), dtype=word)
    bit_q = np.left_shift(1, np.arange(C_q, dtype=word))[:, None]
    table_q.ravel()[np.where(vy, ly, full + 1).astype(np.intp) * G + cols] = bit_q
    table_q = table_q[: full + 1]
    for b in range(L):
        view = table_q.reshape(-1, 2, 1 << b, G)
        view[:, 0] |= view[:, 1]
    # one P-candidate per (game, mask): the distinct vertices of P
    table_p = np.zeros((full + 2, G), dtype=np.int8)
    flat_p = np.where(vx, lx, full + 1).astype(np.intp) * G + cols
    table_p.ravel()[flat_p] = np.arange(C_p, dtype=np.int8)[:, None]
    first = table_p.ravel()[flat_p] == np.arange(C_p, dtype=np.int8)[:, None]
    partners = table_q.ravel()[(full ^ lx.astype(np.intp)) * G + cols].astype(np.int64)
    cp, g = np.nonzero(vx & first & (partners != 0))
    partners = partners[cp, g]
    # a nondegenerate game has one partner per vertex (a power of two: its exponent is exact
    # in float); several partners are read off the bits
    single = (partners & (partners - 1)) == 0
    cq = np.frexp(partners[single].astype(np.float64))[1] - 1
    many = np.flatnonzero(~single)
    if many.size:
        bits = np.unpackbits(
            partners[many].astype("<i8").view(np.uint8).reshape(-1, 8), axis=1, bitorder="little"
        )
        row, cq2 = np.nonzero(bits)
        g = np.concatenate([g[single], g[many[row]]])
        cp = np.concatenate([cp[single], cp[many[row]]])
        cq = np.concatenate([cq, cq2])
    else:
        g, cp = g[single], cp[single]
    return g, _gather(zx, cp, g), _gather(zy, cq, g)


def _gather(z: np.ndarray, c: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Rows ``z[c[e], :, g[e]]`` (one vertex per pair) rescaled to probability vectors."""
    C, k, G = z.shape
    at = c * (k * G) + g
    flat = z.ravel()
    out = np.stack([flat.take(at + i * G) for i in range(k)], axis=1)
    return out / out.sum(axis=1, keepdims=True)
