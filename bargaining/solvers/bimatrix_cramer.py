r"""Exact integer kernels of :mod:`bargaining.solvers.bimatrix_tiny`: the bases of size 2 to 4
of a best-response polytope :math:`\{x \ge 0 : M^\top x \le 1\}` with a positive integer
matrix ``M``, each solved by Cramer's rule in Python integers
(:math:`x_S = \operatorname{adj}(R)\mathbf 1 / \det R`, :math:`R_{qp} = M[S_p][J_q]`), so that
every label is decided exactly (vertex enumeration after Avis, Rosenberg, Savani and von
Stengel 2010, *Economic Theory* 42, §2; von Stengel 2007, *Algorithmic Game Theory* ch. 3).
"""

from __future__ import annotations

from itertools import combinations
from operator import mul
from typing import Any

__all__ = ["integer_vertices", "cramer3", "solve_int3", "solve_int4"]


def cramer3(M: list[list[Any]], S: tuple[int, ...], J: tuple[int, ...]) -> tuple[Any, list[Any], tuple]:
    r"""``(det, num, rows)`` for the 3×3 system :math:`\sum_p M[S_p][J_q] x_p = 1` (q = 0..2):
    its determinant, :math:`\operatorname{adj}(R)\mathbf 1` (so :math:`x_S = num / det`) and
    its rows :math:`R_q`, by cofactors — the same operations for integers (exact) and floats."""
    s0, s1, s2 = S
    j0, j1, j2 = J
    r0 = (M[s0][j0], M[s1][j0], M[s2][j0])
    r1 = (M[s0][j1], M[s1][j1], M[s2][j1])
    r2 = (M[s0][j2], M[s1][j2], M[s2][j2])
    c00 = r1[1] * r2[2] - r1[2] * r2[1]
    c01 = r1[2] * r2[0] - r1[0] * r2[2]
    c02 = r1[0] * r2[1] - r1[1] * r2[0]
    d = r0[0] * c00 + r0[1] * c01 + r0[2] * c02
    # adj(R) @ 1: column sums of the cofactor matrix, taken per unknown
    n0 = c00 + (r0[2] * r2[1] - r0[1] * r2[2]) + (r0[1] * r1[2] - r0[2] * r1[1])
    n1 = c01 + (r0[0] * r2[2] - r0[2] * r2[0]) + (r0[2] * r1[0] - r0[0] * r1[2])
    n2 = c02 + (r0[1] * r2[0] - r0[0] * r2[1]) + (r0[0] * r1[1] - r0[1] * r1[0])
    return d, [n0, n1, n2], (r0, r1, r2)


def solve_int3(M: list[list[int]], S: tuple[int, ...], J: tuple[int, ...]) -> tuple[int, list[int]] | None:
    r"""``(det, num)`` with :math:`x_S = num / det` solving :math:`\sum_p M[S_p][J_q] x_p = 1`
    for every q (k = 3), by Cramer's rule in integers (:func:`cramer3`); ``None`` if singular."""
    d, num, _ = cramer3(M, S, J)
    if not d:
        return None
    return d, num


def solve_int4(M: list[list[int]], S: tuple[int, ...], J: tuple[int, ...]) -> tuple[int, list[int]] | None:
    r""":func:`solve_int3` for k = 4: the determinant and the adjugate of the system
    :math:`R` (row q: :math:`\sum_p M[S_p][J_q] x_p = 1`) by Laplace expansion along its first
    two rows (the 2×2 minors ``s`` of rows 0–1 and ``t`` of rows 2–3), and ``num`` the
    adjugate's row sums :math:`\operatorname{adj}(R)\mathbf 1`."""
    a0, a1, a2, a3 = (M[i][J[0]] for i in S)
    b0, b1, b2, b3 = (M[i][J[1]] for i in S)
    c0, c1, c2, c3 = (M[i][J[2]] for i in S)
    d0, d1, d2, d3 = (M[i][J[3]] for i in S)
    s0, s1, s2 = a0 * b1 - b0 * a1, a0 * b2 - b0 * a2, a0 * b3 - b0 * a3
    s3, s4, s5 = a1 * b2 - b1 * a2, a1 * b3 - b1 * a3, a2 * b3 - b2 * a3
    t5, t4, t3 = c2 * d3 - d2 * c3, c1 * d3 - d1 * c3, c1 * d2 - d1 * c2
    t2, t1, t0 = c0 * d3 - d0 * c3, c0 * d2 - d0 * c2, c0 * d1 - d0 * c1
    d = s0 * t5 - s1 * t4 + s2 * t3 + s3 * t2 - s4 * t1 + s5 * t0
    if not d:
        return None
    num = [
        (b1 * t5 - b2 * t4 + b3 * t3)
        + (-a1 * t5 + a2 * t4 - a3 * t3)
        + (d1 * s5 - d2 * s4 + d3 * s3)
        + (-c1 * s5 + c2 * s4 - c3 * s3),
        (-b0 * t5 + b2 * t2 - b3 * t1)
        + (a0 * t5 - a2 * t2 + a3 * t1)
        + (-d0 * s5 + d2 * s2 - d3 * s1)
        + (c0 * s5 - c2 * s2 + c3 * s1),
        (b0 * t4 - b1 * t2 + b3 * t0)
        + (-a0 * t4 + a1 * t2 - a3 * t0)
        + (d0 * s4 - d1 * s2 + d3 * s0)
        + (-c0 * s4 + c1 * s2 - c3 * s0),
        (-b0 * t3 + b1 * t1 - b2 * t0)
        + (a0 * t3 - a1 * t1 + a2 * t0)
        + (-d0 * s3 + d1 * s1 - d2 * s0)
        + (c0 * s3 - c1 * s1 + c2 * s0),
    ]
    return d, num


def integer_vertices(M: list[list[int]], out: list[tuple[int, list[Any]]], seen: set[int]) -> None:
    r"""The bases with k = 2..min(m, n) (at most 4) of the vertex enumeration of
    :math:`\{x \ge 0 : M^\top x \le 1\}` for a positive integer matrix ``M`` (labels: bit i for
    :math:`x_i = 0`, bit m + j for column j tight), S outer and J inner: each vertex is appended
    to ``out`` as ``(label mask, probabilities)`` at its first basis unless its mask is in
    ``seen`` (which is updated). :math:`x_p |\det| = \pm(\operatorname{adj}\mathbf 1)_p` and the
    slacks times :math:`|\det|`, :math:`|\det| - \sum_p x_p|\det| M[S_p][j]`, are integers, so
    each label is exact, and a probability is the correctly rounded quotient of two integers.
    The 2×2 systems (most bases of a tiny game) are solved inline."""
    m, n = len(M), len(M[0])
    rows_mask = (1 << m) - 1
    cols = range(n)
    for k in range(2, min(m, n) + 1):
        if k == 2:
            pairs = list(combinations(cols, 2))
            for s0, s1 in combinations(range(m), 2):
                r0, r1 = M[s0], M[s1]
                base = rows_mask ^ (1 << s0) ^ (1 << s1)
                for j0, j1 in pairs:
                    a, b, c, e = r0[j0], r1[j0], r0[j1], r1[j1]
                    d = a * e - b * c  # rows q: a x0 + b x1 = 1, c x0 + e x1 = 1
                    if not d:
                        continue
                    n0, n1 = e - b, a - c
                    if d < 0:
                        d, n0, n1 = -d, -n0, -n1
                    if n0 < 0 or n1 < 0:
                        continue
                    code = base
                    if not n0:
                        code |= 1 << s0
                    if not n1:
                        code |= 1 << s1
                    for j in cols:
                        v = d - n0 * r0[j] - n1 * r1[j]
                        if v <= 0:
                            if v:
                                break
                            code |= 1 << (m + j)
                    else:
                        if code in seen:
                            continue
                        seen.add(code)
                        x = [0.0] * m
                        total = n0 + n1
                        x[s0] = n0 / total
                        x[s1] = n1 / total
                        out.append((code, x))
            continue
        for S in combinations(range(m), k):
            rows = [M[i] for i in S]
            for J in combinations(cols, k):
                sol = solve_int3(M, S, J) if k == 3 else solve_int4(M, S, J)
                if sol is None:
                    continue
                d, num = sol
                if d < 0:
                    d, num = -d, [-v for v in num]
                if min(num) < 0:
                    continue
                slack = [d - sum(map(mul, num, col)) for col in zip(*rows)]
                if min(slack) < 0:
                    continue
                code = rows_mask
                for i, v in zip(S, num):
                    if v:
                        code ^= 1 << i
                for j, v in enumerate(slack):
                    if not v:
                        code |= 1 << (m + j)
                if code in seen:
                    continue
                seen.add(code)
                x = [0.0] * m
                total = sum(num)
                for i, v in zip(S, num):
                    x[i] = v / total
                out.append((code, x))
