r"""Exact univariate tools of :mod:`bargaining.solvers.enumpoly_binary`: integer determinants
(Bareiss 1968, "Sylvester's identity and multistep integer-preserving Gaussian elimination",
Math. Comp. 22), exact interpolation at the integers 0..n-1 (Newton's forward differences),
real-root isolation in [0, 1] (sympy's Vincent–Akritas–Strzeboński continued-fraction isolation
of the square-free part; Akritas 1989, *Elements of Computer Algebra*) with narrowing by exact
sign changes, and interval arithmetic in floats rounded outward (Moore, Kearfott & Cloud 2009,
*Introduction to Interval Analysis*, ch. 2–3)."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

__all__ = [
    "bareiss_det",
    "interpolate_integers",
    "trim",
    "real_roots_01",
    "sign_at",
    "narrow_root",
    "iv",
    "imul",
    "iadd",
    "ipoly",
    "idiv_neg",
    "NODES",
]

NODES = 14  # interpolation nodes 0..13: R has degree <= 13 in w


def bareiss_det(M: list[list]) -> Any:
    """Determinant of an integer matrix by Bareiss' fraction-free elimination (every division
    exact; Bareiss 1968, Math. Comp. 22)."""
    A = [list(row) for row in M]
    n = len(A)
    sign, prev = 1, 1
    for k in range(n - 1):
        if A[k][k] == 0:
            piv = next((r for r in range(k + 1, n) if A[r][k] != 0), None)
            if piv is None:
                return 0
            A[k], A[piv] = A[piv], A[k]
            sign = -sign
        akk = A[k][k]
        for i in range(k + 1, n):
            aik = A[i][k]
            row_i, row_k = A[i], A[k]
            for j in range(k + 1, n):
                row_i[j] = (row_i[j] * akk - aik * row_k[j]) // prev
        prev = akk
    return sign * A[n - 1][n - 1]


def _stirling1(n: int) -> list[list[int]]:
    """Signed Stirling numbers of the first kind: w(w-1)...(w-k+1) = sum_i s[k][i] w^i."""
    s = [[1]]
    for k in range(1, n):
        prev = s[-1] + [0]
        s.append([(prev[i - 1] if i else 0) - (k - 1) * prev[i] for i in range(k + 1)])
    return s


_STIRLING = _stirling1(NODES)


_FACT = [math.factorial(k) for k in range(NODES)]


def interpolate_integers(vals: list[int]) -> list[int]:
    r"""(n-1)! times the polynomial taking the integer ``vals[t]`` at t = 0..n-1 (n = 14), in
    integers (low first): Newton's forward-difference formula
    :math:`p(w) = \sum_k \Delta^k p(0) \binom{w}{k}` with the falling factorials expanded by
    Stirling numbers of the first kind (a positive multiple: same roots and signs)."""
    n = len(vals)
    diffs = []
    row = list(vals)
    for _ in range(n):
        diffs.append(row[0])
        row = [row[i + 1] - row[i] for i in range(len(row) - 1)]
    big = _FACT[n - 1]
    coef = [0] * n
    for k, d in enumerate(diffs):
        if d:
            m = d * (big // _FACT[k])
            for i, c in enumerate(_STIRLING[k]):
                coef[i] += m * c
    return coef


def trim(p: list) -> list:
    p = list(p)
    while p and p[-1] == 0:
        p.pop()
    return p


def real_roots_01(coef: list) -> tuple[list[int], list[tuple[Fraction, Fraction]]] | None:
    """The square-free part (integer coefficients, low first) of a nonzero polynomial
    (low-first rational coefficients) and the isolating intervals (exact) of its real roots in
    [0, 1]; None for the zero polynomial."""
    import sympy

    p = trim(coef)
    if not p:
        return None
    den = 1
    for c in p:
        den = den * Fraction(c).denominator // math.gcd(den, Fraction(c).denominator)
    if len(p) <= 3:  # degree <= 2: exactly, without sympy
        return _small_roots_01([int(Fraction(c) * den) for c in p])
    x = sympy.Symbol("x")
    poly = sympy.Poly.from_list([int(Fraction(c) * den) for c in reversed(p)], x, domain="ZZ")
    sqf = poly.sqf_part()
    out = []
    for (a, b), _ in sqf.intervals(inf=0, sup=1):  # public API: exact isolating intervals
        out.append((Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q))))
    high = [int(c) for c in sqf.all_coeffs()]
    g = math.gcd(*high) * (1 if high[0] > 0 else -1)  # primitive, positive leading coefficient
    return [c // g for c in reversed(high)], out


def _small_roots_01(p: list[int]) -> tuple[list[int], list[tuple[Fraction, Fraction]]]:
    r""":func:`real_roots_01` for a nonzero integer polynomial of degree at most 2: rational
    roots exactly (point intervals); the two irrational roots
    :math:`(-c_1 \pm \sqrt{\Delta}) / (2 c_2)` in the disjoint intervals given by
    :math:`\lfloor\sqrt{\Delta}\rfloor < \sqrt{\Delta} < \lfloor\sqrt{\Delta}\rfloor + 1`
    (disjoint since :math:`\sqrt{\Delta} > 1`), clipped to [0, 1] and kept when the clipped
    interval still shows the sign change (one simple root in the interval)."""
    if len(p) == 1:
        return p, []
    if len(p) == 2:
        r = Fraction(-p[0], p[1])
        return p, [(r, r)] if 0 <= r <= 1 else []
    c0, c1, c2 = p
    disc = c1 * c1 - 4 * c2 * c0
    if disc < 0:
        return p, []
    root = math.isqrt(disc)
    if root * root == disc:
        rs = sorted({Fraction(-c1 + root, 2 * c2), Fraction(-c1 - root, 2 * c2)})
        sqf = p if disc else [c1, 2 * c2]  # a double root: the square-free part is the derivative
        return sqf, [(r, r) for r in rs if 0 <= r <= 1]
    out = []
    for sign in (-1, 1):
        ends = sorted(Fraction(-c1 + sign * s, 2 * c2) for s in (root, root + 1))
        lo, hi = max(ends[0], Fraction(0)), min(ends[1], Fraction(1))
        if lo > hi:
            continue
        sl, sh = sign_at(p, lo), sign_at(p, hi)
        if sl == 0 or sh == 0 or sl != sh:
            out.append((lo, hi))
    out.sort()
    return p, out


def sign_at(p: list[int], q: Fraction) -> int:
    r"""The sign of the integer polynomial p (low first) at the rational q, in integers
    (:math:`\operatorname{den}^{\deg p} p(q)`, homogenised)."""
    num, den = q.numerator, q.denominator
    acc = 0
    dpow = 1
    for c in reversed(p):
        acc = acc * num + c * dpow
        dpow *= den
    return (acc > 0) - (acc < 0)


# ------------------------------------------- interval arithmetic in floats, rounded outward
# Every float operation is correctly rounded (IEEE 754), so widening each result by one ulp
# both ways encloses the exact result (Moore, Kearfott & Cloud 2009, §3.3).
_DOWN, _UP = -math.inf, math.inf


def iv(c) -> tuple[float, float]:
    f = float(c)  # correctly rounded (int and Fraction conversions)
    return math.nextafter(f, _DOWN), math.nextafter(f, _UP)


def imul(a, b):
    ps = (a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1])
    return math.nextafter(min(ps), _DOWN), math.nextafter(max(ps), _UP)


def iadd(a, b):
    return math.nextafter(a[0] + b[0], _DOWN), math.nextafter(a[1] + b[1], _UP)


def ipoly(p: list, X):
    acc = (0.0, 0.0)
    for c in reversed(p):
        acc = iadd(imul(acc, X), iv(c))
    return acc


def idiv_neg(a, b):
    """-a / b for an interval b not containing 0 (None if it does, or on overflow)."""
    if not (b[0] > 0 or b[1] < 0) or not all(map(math.isfinite, (*a, *b))):
        return None
    inv = (math.nextafter(1 / b[1], _DOWN), math.nextafter(1 / b[0], _UP))
    q = imul(a, inv)
    return -q[1], -q[0]


def narrow_root(R: list, a: Fraction, b: Fraction) -> tuple[Fraction, Fraction] | None:
    """The one root of the square-free polynomial R in its isolating interval [a, b] as a short
    interval with an exact sign change (a rational root found exactly gives a point interval);
    None if [a, b] shows no sign change (not expected of an isolating interval)."""
    if a == b:
        return (a, a)
    ra, rb = sign_at(R, a), sign_at(R, b)
    # an open interval may end at a rational root isolated separately: step inside it
    for k in range(2, 80):
        if ra != 0 and rb != 0 and (ra > 0) != (rb > 0):
            break
        step = (b - a) / 2**k
        a2, b2 = (a + step if ra == 0 else a), (b - step if rb == 0 else b)
        ra2, rb2 = sign_at(R, a2), sign_at(R, b2)
        if ra2 != 0 and rb2 != 0 and (ra2 > 0) != (rb2 > 0):
            a, b, ra, rb = a2, b2, ra2, rb2
            break
    else:
        return None
    top = max(abs(c) for c in R)
    Rf = [c / top for c in reversed(R)]  # high first, scaled (true division of ints: no overflow)
    lo_f, hi_f = float(a), float(b)
    s_lo = ra > 0
    for _ in range(60):  # float bisection: a guess only, the bracket below is checked exactly
        mid = (lo_f + hi_f) / 2
        if mid in (lo_f, hi_f):
            break
        acc = 0.0
        for c in Rf:
            acc = acc * mid + c
        if (acc > 0) == s_lo:
            lo_f = mid
        else:
            hi_f = mid
    xf = (lo_f + hi_f) / 2
    for eps in (1e-15, 1e-13, 1e-10, 1e-7):
        lo, hi = Fraction(max(float(a), xf - eps)), Fraction(min(float(b), xf + eps))
        lo, hi = max(lo, a), min(hi, b)
        rl, rh = sign_at(R, lo), sign_at(R, hi)
        if rl == 0:
            return (lo, lo)
        if rh == 0:
            return (hi, hi)
        if (rl > 0) != (rh > 0):
            a, b = lo, hi
            break
    s_a = ra > 0  # exact bisection (the float guess is only as good as R's conditioning)
    while b - a > Fraction(1, 2**54):
        half = (a + b) / 2
        rm = sign_at(R, half)
        if rm == 0:
            return (half, half)
        if (rm > 0) == s_a:
            a = half
        else:
            b = half
    return (a, b)
