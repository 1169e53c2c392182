r"""Closed-form solutions of the small support systems of ``enumpoly``, in exact arithmetic.

For a support profile :math:`T` only the *mixers* (players with :math:`|T_i| \ge 2`) carry free
probabilities; the others are fixed at their one strategy. Two families are solved here exactly
and completely, with no subdivision and no Gröbner basis; every other support (and every
degenerate instance of these two) returns ``None`` and the caller uses the general solvers.

* **Two mixers** :math:`i, j` with :math:`|T_i| = |T_j| = m`. Player i's indifference
  :math:`v_i(a) = v_i(T_i^0)` (:math:`a \in T_i`) is linear in :math:`\sigma_j` alone, so with
  :math:`\sum \sigma_j = 1` it is an :math:`m \times m` linear system for :math:`\sigma_j` (as in
  two-player support enumeration; McKelvey & McLennan 1996, §6). A nonsingular system has one
  solution, computed in Fractions; a singular one (no solution or an affine continuum) is left
  to the general path.
* **Three binary mixers** :math:`p, q, r` with free probabilities :math:`x_p, x_q, x_r` (of
  their second support strategy). Each equation is bilinear in the other two mixers:
  :math:`f_p = A_p(x_r) + B_p(x_r)\,x_q`, :math:`f_q = A_q(x_r) + B_q(x_r)\,x_p` with
  :math:`A, B` affine, and :math:`f_r(x_p, x_q) = a + b x_p + c x_q + d x_p x_q`. When
  :math:`B_p \not\equiv 0` has no common root with :math:`A_p` (and likewise for q), every
  solution has :math:`B_p(x_r) B_q(x_r) \ne 0`, so :math:`x_q = -A_p/B_p`,
  :math:`x_p = -A_q/B_q` and :math:`x_r` is a root of the quadratic
  :math:`Q = a B_p B_q - b A_q B_p - c A_p B_q + d A_p A_q` (resultant elimination; Cox, Little
  & O'Shea, *Ideals, Varieties, and Algorithms*, ch. 3 §6); conversely every root of Q with
  :math:`B_p B_q \ne 0` is a solution. So the solutions are exactly the real roots of Q (at most
  two), found exactly: rational roots (a square discriminant) as Fractions, irrational ones as
  the exact radical :math:`(-q_1 \pm \sqrt{\Delta}) / (2 q_2)` evaluated to 40 digits by integer
  square roots before rounding to floats. :math:`Q \equiv 0` (a continuum) or a root where
  :math:`B_p B_q = 0` is degenerate and left to the general path.

The returned points are every solution in the closed product of simplices (no best-reply test:
callers verify, as for the other support solvers).
"""

from __future__ import annotations

from fractions import Fraction
from math import isqrt
from typing import Any

import numpy as np

__all__ = ["closed_form_roots", "ClosedRoot"]

_DIGITS = 40  # digits of the integer square root for irrational roots


class ClosedRoot:
    """One solution: ``profile`` (full per-player probability lists, Fractions when rational,
    floats otherwise) and, for an irrational one, ``radical`` = ``(q2, q1, q0, sign, exprs)``
    enough to write its exact form (see :func:`radical_values`)."""

    __slots__ = ("profile", "radical")

    def __init__(self, profile: list[list[Any]], radical: tuple | None = None):
        self.profile = profile
        self.radical = radical


def _differences(U: np.ndarray, T: list[list[int]], i: int, mixers: list[int]) -> np.ndarray:
    """``D[a-1, c]`` = :math:`u_i(T_i^a, c) - u_i(T_i^0, c)` over the profiles c of the other
    mixers' supports (pure players fixed), an object array with one axis per other mixer."""
    n = len(T)
    idx = [T[j] if j != i else T[i] for j in range(n)]
    sub = U[i][np.ix_(*idx)]
    sub = np.moveaxis(sub, i, 0)
    keep = [0] + [1 + pos for pos, j in enumerate(j for j in range(n) if j != i) if j in mixers]
    sub = sub.reshape([sub.shape[a] for a in keep])  # drop the pure players' length-1 axes
    return sub[1:] - sub[0]


def _solve_linear(A: list[list[Fraction]], b: list[Fraction]) -> list[Fraction] | None:
    """Exact Gaussian elimination; ``None`` when A is singular."""
    m = len(A)
    M = [list(row) + [rhs] for row, rhs in zip(A, b)]
    for c in range(m):
        piv = next((r for r in range(c, m) if M[r][c] != 0), None)
        if piv is None:
            return None
        M[c], M[piv] = M[piv], M[c]
        inv = 1 / M[c][c]
        for r in range(m):
            if r != c and M[r][c] != 0:
                f = M[r][c] * inv
                M[r] = [x - f * y for x, y in zip(M[r], M[c])]
    return [M[r][m] / M[r][r] for r in range(m)]


def _full_profile(shape, T, sigma: dict[int, list[Any]]) -> list[list[Any]]:
    zero: Any = Fraction(0)
    if any(isinstance(v, float) for s in sigma.values() for v in s):
        zero = 0.0
    prof = [[zero] * m for m in shape]
    for j, t in enumerate(T):
        vals = sigma.get(j, [zero + 1])
        for k, v in zip(t, vals):
            prof[j][k] = v
    return prof


def _two_mixers(U, T, shape, i: int, j: int) -> list[ClosedRoot] | None:
    m = len(T[i])
    if len(T[j]) != m:
        return None
    sigma: dict[int, list[Any] | None] = {}
    for me, other in ((i, j), (j, i)):
        D = _differences(U, T, me, [i, j])  # shape (m - 1, m): rows a, columns other's support
        A = [list(D[a]) for a in range(m - 1)] + [[Fraction(1)] * m]
        b = [Fraction(0)] * (m - 1) + [Fraction(1)]
        s = _solve_linear(A, b)
        if s is not None and min(s) < 0:
            return []  # the one solution for this block leaves the simplex: no solution at all
        sigma[other] = s
    if any(s is None for s in sigma.values()):
        return None  # a singular block: no solution or an affine continuum (general path)
    return [ClosedRoot(_full_profile(shape, T, sigma))]  # type: ignore[arg-type]


def _affine_split(D2: np.ndarray) -> tuple[Fraction, Fraction, Fraction, Fraction]:
    r"""``(a, b, c, d)`` with :math:`f(x, z) = a + b x + c z + d x z` for the bilinear form
    :math:`\sum D2[s, t] \sigma(s) \tau(t)`, :math:`\sigma = (1 - x, x)`, :math:`\tau = (1 - z, z)`."""
    d00, d01, d10, d11 = D2[0, 0], D2[0, 1], D2[1, 0], D2[1, 1]
    return d00, d10 - d00, d01 - d00, d00 - d01 - d10 + d11


def _isqrt_fraction(D: Fraction) -> tuple[bool, Fraction]:
    """``(exact, s)``: s = √D exactly when D is a rational square, else s within 10⁻⁴⁰·(1+√D)."""
    num, den = D.numerator, D.denominator
    rn, rd = isqrt(num), isqrt(den)
    if rn * rn == num and rd * rd == den:
        return True, Fraction(rn, rd)
    scale = 10**_DIGITS
    return False, Fraction(isqrt(num * den * scale * scale), den * scale)


def _three_binary(U, T, shape, p: int, q: int, r: int) -> list[ClosedRoot] | None:
    mix = [p, q, r]
    # player p: axes (q, r); player q: axes (p, r); player r: axes (p, q) (player order)
    Dp = _differences(U, T, p, mix)[0]
    Dq = _differences(U, T, q, mix)[0]
    Dr = _differences(U, T, r, mix)[0]
    # f_p(x_q, x_r) = ap + bp x_q + cp x_r + dp x_q x_r = A_p(x_r) + B_p(x_r) x_q
    ap, bp, cp, dp = _affine_split(Dp)
    aq, bq, cq, dq = _affine_split(Dq)  # f_q(x_p, x_r)
    ar, br, cr, dr = _affine_split(Dr)  # f_r(x_p, x_q)
    Ap, Bp = (ap, cp), (bp, dp)  # constant and z coefficients of affine polynomials in z = x_r
    Aq, Bq = (aq, cq), (bq, dq)
    for A, B in ((Ap, Bp), (Aq, Bq)):
        if B == (0, 0) or (B[1] != 0 and A[0] * B[1] - A[1] * B[0] == 0):
            return None  # f does not depend on the variable, or A and B share a root: degenerate

    def mul(P, Q):
        return (P[0] * Q[0], P[0] * Q[1] + P[1] * Q[0], P[1] * Q[1])

    terms = [
        (ar, mul(Bp, Bq)),
        (-br, mul(Aq, Bp)),
        (-cr, mul(Ap, Bq)),
        (dr, mul(Ap, Aq)),
    ]
    q0, q1, q2 = (sum(c * P[k] for c, P in terms) for k in range(3))
    if q2 == 0 and q1 == 0:
        return None if q0 == 0 else []  # a continuum (degenerate) or no solution
    roots: list[tuple[Any, tuple | None]] = []
    if q2 == 0:
        roots.append((-q0 / q1, None))
    else:
        disc = q1 * q1 - 4 * q2 * q0
        if disc < 0:
            return []
        exact, s = _isqrt_fraction(disc)
        for sign in (1, -1) if disc > 0 else (1,):
            z = (-q1 + sign * s) / (2 * q2)
            roots.append((z, None if exact else (q2, q1, q0, sign)))
    out = []
    for z, rad in roots:

        def ev(P, z=z):
            return P[0] + P[1] * z

        bpz, bqz = ev(Bp), ev(Bq)
        if rad is None and (bpz == 0 or bqz == 0):
            continue  # a root of Q that is no solution (every solution has B_p B_q != 0)
        if rad is not None and (abs(bpz) < Fraction(1, 10**20) or abs(bqz) < Fraction(1, 10**20)):
            return None
        xq, xp = -ev(Ap) / bpz, -ev(Aq) / bqz
        vals = {p: xp, q: xq, r: z}
        if rad is None:
            if any(v < 0 or v > 1 for v in vals.values()):
                continue
            sigma = {j: [1 - v, v] for j, v in vals.items()}
        else:
            if any(v < Fraction(-1, 10**12) or v > 1 + Fraction(1, 10**12) for v in vals.values()):
                continue
            sigma = {
                j: [min(1.0, max(0.0, float(1 - v))), min(1.0, max(0.0, float(v)))] for j, v in vals.items()
            }
        prof = _full_profile(shape, T, sigma)
        radical = None
        if rad is not None:
            radical = rad + ((Ap, Bp), (Aq, Bq), (p, q, r))
        out.append(ClosedRoot(prof, radical))
    return out


def closed_form_roots(U: np.ndarray, supports) -> list[ClosedRoot] | None:
    """Every solution in the closed simplex product of the support system of ``supports`` when
    it has one of the two closed forms of this module (see the module docstring), else ``None``.
    ``U`` is the exact payoff tensor (an object array of Fractions)."""
    T = [list(s) for s in supports]
    shape = U.shape[1:]
    mixers = [j for j, t in enumerate(T) if len(t) >= 2]
    if not mixers:  # a pure profile: the one point
        return [ClosedRoot(_full_profile(shape, T, {}))]
    if len(mixers) == 1:  # constant equations: no solution, or a continuum (general path)
        D = _differences(U, T, mixers[0], mixers)
        return [] if any(v != 0 for v in D.ravel()) else None
    if len(mixers) == 2:
        return _two_mixers(U, T, shape, *mixers)
    if len(mixers) == 3 and all(len(T[j]) == 2 for j in mixers):
        return _three_binary(U, T, shape, *mixers)
    return None


def radical_values(root: ClosedRoot, T) -> dict:
    """Exact radical forms ``{"values": [...]}`` of an irrational :class:`ClosedRoot`, one string
    per free probability ``p[i][T_i[1]]`` of the three mixers in player order (sympy)."""
    import sympy as sp

    assert root.radical is not None
    q2, q1, q0, sign, (Ap, Bp), (Aq, Bq), (p, q, r) = root.radical

    def rat(x: Fraction) -> Any:
        return sp.Rational(x.numerator, x.denominator)

    z = (-rat(q1) + sign * sp.sqrt(rat(q1 * q1 - 4 * q2 * q0))) / (2 * rat(q2))
    xq = -(rat(Ap[0]) + rat(Ap[1]) * z) / (rat(Bp[0]) + rat(Bp[1]) * z)
    xp = -(rat(Aq[0]) + rat(Aq[1]) * z) / (rat(Bq[0]) + rat(Bq[1]) * z)
    vals = {p: xp, q: xq, r: z}
    return {"values": [str(sp.radsimp(sp.expand(vals[j]))) for j in sorted(vals)]}
