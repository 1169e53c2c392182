r"""Closed-form solutions of the small support systems of ``enumpoly``, in exact arithmetic.

For a support profile :math:`T` only the *mixers* (players with :math:`|T_i| \ge 2`) carry free
probabilities; the others are fixed at their one strategy. The families below are solved here
exactly and completely, with no subdivision and no Gröbner basis; every other support (and every
degenerate instance of these) returns ``None`` and the caller uses the general solvers.

* **No mixer**: the pure profile is the one point. **One mixer**: its equations do not depend
  on its own probabilities (the others are pure), so they are constants: no solution unless all
  vanish (a continuum: general path).
* **Two mixers** :math:`i, j`. Player i's indifference :math:`v_i(a) = v_i(T_i^0)`
  (:math:`a \in T_i`) is linear in :math:`\sigma_j` alone, so with :math:`\sum \sigma_j = 1` it
  is a :math:`|T_i| \times |T_j|` linear system for :math:`\sigma_j` (as in two-player support
  enumeration; McKelvey & McLennan 1996, §6), solved by exact Gaussian elimination: an
  inconsistent block, or a unique solution outside the simplex, proves there is no solution; two
  unique solutions give the one point; an underdetermined block (an affine continuum) is left to
  the general path.
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
  two). :math:`Q \equiv 0` (a continuum) is degenerate and left to the general path.
* **Two binary mixers and a ternary one** (see :func:`_two_binary_one_ternary`): the ternary
  player's two equations fix :math:`(x_a, x_b)` through a quadratic resultant, and then the
  binary players' equations are a 3 × 3 linear system for the ternary mix.

Roots of a quadratic are found exactly: rational roots (a square discriminant) as Fractions,
irrational ones as :math:`(-q_1 \pm \sqrt{\Delta}) / (2 q_2)` evaluated to 40 digits by integer
square roots before rounding to floats; their exact forms (:func:`radical_values`) are computed
in the field :math:`\mathbb{Q}(\sqrt{\Delta})` (:class:`Surd`), with no simplification needed.
Integer payoffs are used as Python ints (:func:`integral_tensor`: the same numbers, faster).

The returned points are every solution in the closed product of simplices (no best-reply test:
callers verify, as for the other support solvers).
"""

from __future__ import annotations

from fractions import Fraction
from math import isqrt
from typing import Any

import numpy as np

__all__ = ["closed_form_roots", "ClosedRoot", "integral_tensor", "radical_values", "Surd"]

_DIGITS = 40  # digits of the integer square root for irrational roots


class ClosedRoot:
    """One solution: ``profile`` (full per-player probability lists, Fractions when rational,
    floats otherwise) and, for an irrational one, ``radical`` = ``(builder, args)``, the data
    from which :func:`radical_values` writes its exact form."""

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


def _solve_linear(A: list[list[Fraction]], b: list[Fraction]) -> tuple[str, list[Fraction] | None]:
    """Exact Gaussian elimination of ``A x = b`` (any shape): ``("none", None)`` when it is
    inconsistent, ``("unique", x)``, or ``("many", None)`` (an affine continuum)."""
    rows, cols = len(A), len(A[0])
    M = [list(row) + [rhs] for row, rhs in zip(A, b)]
    pivots = []
    r = 0
    for c in range(cols):
        piv = next((k for k in range(r, rows) if M[k][c] != 0), None)
        if piv is None:
            continue
        M[r], M[piv] = M[piv], M[r]
        inv = Fraction(1) / M[r][c]
        M[r] = [x * inv for x in M[r]]
        for k in range(rows):
            if k != r and M[k][c] != 0:
                f = M[k][c]
                M[k] = [x - f * y for x, y in zip(M[k], M[r])]
        pivots.append(c)
        r += 1
        if r == rows:
            break
    if any(M[k][cols] != 0 for k in range(r, rows)):
        return "none", None
    if len(pivots) < cols:
        return "many", None
    return "unique", [M[k][cols] for k in range(cols)]


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
    sigma: dict[int, list[Any]] = {}
    undecided = False
    for me, other in ((i, j), (j, i)):
        D = _differences(U, T, me, [i, j])  # rows a in T_me[1:], columns the other's support
        m = len(T[other])
        A = [list(D[a]) for a in range(len(T[me]) - 1)] + [[Fraction(1)] * m]
        b = [Fraction(0)] * (len(T[me]) - 1) + [Fraction(1)]
        kind, x = _solve_linear(A, b)
        if kind == "none" or (x is not None and min(x) < 0):
            return []  # no solution, or the one solution of this block leaves the simplex
        if x is None:
            undecided = True  # an affine continuum of this block (general path)
        else:
            sigma[other] = x
    if undecided:
        return None
    return [ClosedRoot(_full_profile(shape, T, sigma))]


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


def _quadratic_roots(q2: Fraction, q1: Fraction, q0: Fraction) -> list[tuple[Fraction, tuple | None]] | None:
    r"""Real roots of :math:`q_2 z^2 + q_1 z + q_0`: ``(z, None)`` exactly for rational roots,
    ``(z, (q2, q1, q0, sign))`` with z within 10⁻⁴⁰ of the irrational root
    :math:`(-q_1 + \text{sign}\sqrt{\Delta}) / (2 q_2)`; ``None`` for the zero polynomial."""
    if q2 == 0 and q1 == 0:
        return None if q0 == 0 else []
    if q2 == 0:
        return [(Fraction(-q0) / q1, None)]
    disc = q1 * q1 - 4 * q2 * q0
    if disc < 0:
        return []
    exact, s = _isqrt_fraction(disc)
    return [
        ((-q1 + sign * s) / (2 * q2), None if exact else (q2, q1, q0, sign))
        for sign in ((1, -1) if disc else (1,))
    ]


def _mul(P, Q):
    """Product of two affine polynomials (coefficient tuples, constant first)."""
    return (P[0] * Q[0], P[0] * Q[1] + P[1] * Q[0], P[1] * Q[1])


def _ev(P, z):
    return P[0] + P[1] * z


_EPS = Fraction(1, 10**20)  # below this an approximate (irrational-root) divisor counts as zero
_SLACK = Fraction(1, 10**12)  # the simplex test of approximate (irrational) coordinates


def _binary_sigma(v, rad) -> list[Any] | None:
    """``(1 - v, v)`` if v is in [0, 1] (exact) or within the slack (approximate), else None."""
    if rad is None:
        return [1 - v, v] if 0 <= v <= 1 else None
    if v < -_SLACK or v > 1 + _SLACK:
        return None
    return [min(1.0, max(0.0, float(1 - v))), min(1.0, max(0.0, float(v)))]


def _three_binary(U, T, shape, p: int, q: int, r: int) -> list[ClosedRoot] | None:
    mix = [p, q, r]
    # player p: axes (q, r); player q: axes (p, r); player r: axes (p, q) (player order)
    # f_p(x_q, x_r) = ap + bp x_q + cp x_r + dp x_q x_r = A_p(x_r) + B_p(x_r) x_q
    ap, bp, cp, dp = _affine_split(_differences(U, T, p, mix)[0])
    aq, bq, cq, dq = _affine_split(_differences(U, T, q, mix)[0])  # f_q(x_p, x_r)
    ar, br, cr, dr = _affine_split(_differences(U, T, r, mix)[0])  # f_r(x_p, x_q)
    Ap, Bp = (ap, cp), (bp, dp)  # constant and z coefficients of affine polynomials in z = x_r
    Aq, Bq = (aq, cq), (bq, dq)
    for A, B in ((Ap, Bp), (Aq, Bq)):
        if B == (0, 0) or (B[1] != 0 and A[0] * B[1] - A[1] * B[0] == 0):
            return None  # f does not depend on the variable, or A and B share a root: degenerate
    terms = [(ar, _mul(Bp, Bq)), (-br, _mul(Aq, Bp)), (-cr, _mul(Ap, Bq)), (dr, _mul(Ap, Aq))]
    q0, q1, q2 = (sum(c * P[k] for c, P in terms) for k in range(3))
    roots = _quadratic_roots(q2, q1, q0)
    if roots is None:
        return None  # Q = 0: a continuum (degenerate)
    out = []
    for z, rad in roots:
        bpz, bqz = _ev(Bp, z), _ev(Bq, z)
        if rad is None and (bpz == 0 or bqz == 0):
            continue  # a root of Q that is no solution (every solution has B_p B_q != 0)
        if rad is not None and (abs(bpz) < _EPS or abs(bqz) < _EPS):
            return None
        vals = {p: -_ev(Aq, z) / bqz, q: -_ev(Ap, z) / bpz, r: z}
        maybe = {j: _binary_sigma(v, rad) for j, v in vals.items()}
        sigma = {j: v for j, v in maybe.items() if v is not None}
        if len(sigma) < 3:
            continue
        radical = None if rad is None else (_radical_three_binary, (rad, Ap, Bp, Aq, Bq, p, q, r))
        out.append(ClosedRoot(_full_profile(shape, T, sigma), radical))
    return out


def _contract(D2: np.ndarray, axis: int, sigma: list[Any]) -> list[Any]:
    r"""The vector :math:`\sum_s D2[\dots s \dots] \sigma(s)` contracting ``axis`` (0 or 1)."""
    if axis == 0:
        return [sum(D2[s, c] * sigma[s] for s in range(len(sigma))) for c in range(D2.shape[1])]
    return [sum(D2[c, s] * sigma[s] for s in range(len(sigma))) for c in range(D2.shape[0])]


def _two_binary_one_ternary(U, T, shape, a: int, b: int, t: int) -> list[ClosedRoot] | None:
    r"""Binary mixers a < b and a mixer t with three strategies. Player t's two equations are
    bilinear in :math:`(x_a, x_b)` alone: :math:`f_k = A_k(x_a) + B_k(x_a) x_b` (k = 1, 2), so
    every solution has :math:`x_a` a root of the resultant :math:`R = A_1 B_2 - A_2 B_1` (a
    quadratic) and :math:`x_b = -A_k / B_k` for a k with :math:`B_k(x_a) \ne 0`. Given
    :math:`(x_a, x_b)`, the equations of a and b are linear in :math:`\sigma_t`: with
    :math:`\sum \sigma_t = 1` a 3 × 3 system, solved exactly (approximately, to ~40 digits, at an
    irrational root); a singular one is degenerate and left to the general path."""
    mix = sorted([a, b, t])
    Dt = _differences(U, T, t, mix)  # (2, 2, 2): rows T_t[1:], axes (a, b)
    polys = []
    for k in range(2):
        al, be, ga, de = _affine_split(Dt[k])  # f_k = al + be x_a + ga x_b + de x_a x_b
        polys.append(((al, be), (ga, de)))
    (A1, B1), (A2, B2) = polys
    R = tuple(x - y for x, y in zip(_mul(A1, B2), _mul(A2, B1)))
    roots = _quadratic_roots(R[2], R[1], R[0])
    if roots is None:
        return None
    Da = _differences(U, T, a, mix)[0]  # axes (b, t) in player order
    Db = _differences(U, T, b, mix)[0]  # axes (a, t) in player order
    out = []
    for xa, rad in roots:
        zero = _EPS if rad is not None else 0
        xb = None
        for A, B in ((A1, B1), (A2, B2)):
            if abs(_ev(B, xa)) > zero:
                xb = -_ev(A, xa) / _ev(B, xa)
                break
        if xb is None:
            if rad is None and (_ev(A1, xa) != 0 or _ev(A2, xa) != 0):
                continue  # no x_b solves both equations at this x_a
            return None  # x_b free: a continuum (degenerate)
        sa, sb = _binary_sigma(xa, rad), _binary_sigma(xb, rad)
        if sa is None or sb is None:
            continue
        ea, eb = [1 - xa, xa], [1 - xb, xb]  # exact (or 40-digit) values for the linear system
        ca = _contract(Da, 0 if b < t else 1, eb)
        cb = _contract(Db, 0 if a < t else 1, ea)
        kind, st = _solve_linear([ca, cb, [Fraction(1)] * 3], [Fraction(0), Fraction(0), Fraction(1)])
        if kind != "unique" or st is None:
            if rad is None and kind == "none":
                continue
            return None
        if rad is not None:
            det = _det3([ca, cb, [Fraction(1)] * 3])
            scale = max(abs(v) for v in ca + cb) or Fraction(1)
            if abs(det) < _EPS * scale * scale:
                return None  # numerically singular at an irrational root
            if min(st) < -_SLACK:
                continue
            st_out: list[Any] = [min(1.0, max(0.0, float(v))) for v in st]
        else:
            if min(st) < 0:
                continue
            st_out = st
        sigma = {a: sa, b: sb, t: st_out}
        radical = None if rad is None else (_radical_two_binary, (rad, A1, B1, A2, B2, Da, Db, a, b, t))
        out.append(ClosedRoot(_full_profile(shape, T, sigma), radical))
    return out


def _det3(M) -> Any:
    return (
        M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1])
        - M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0])
        + M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0])
    )


def integral_tensor(U: np.ndarray) -> np.ndarray:
    """``U`` (Fractions) as Python ints when every payoff is an integer (the same numbers, and
    integer arithmetic is several times faster than Fraction arithmetic), else ``U`` itself. The
    closed forms accept either: every division in them is by a Fraction or makes one."""
    if all(x.denominator == 1 for x in U.ravel()):
        out = np.empty(U.shape, dtype=object)
        out.ravel()[:] = [int(x) for x in U.ravel()]
        return out
    return U


def closed_form_roots(U: np.ndarray, supports) -> list[ClosedRoot] | None:
    """Every solution in the closed simplex product of the support system of ``supports`` when
    it has one of the closed forms of this module (see the module docstring), else ``None``.
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
    sizes = sorted(len(T[j]) for j in mixers)
    if sizes == [2, 2, 2]:
        return _three_binary(U, T, shape, *mixers)
    if sizes == [2, 2, 3]:
        t = next(j for j in mixers if len(T[j]) == 3)
        a, b = (j for j in mixers if j != t)
        return _two_binary_one_ternary(U, T, shape, a, b, t)
    return None


# --------------------------------------------------------------------------------------------
# exact radical forms of irrational roots: arithmetic in the field Q(sqrt(D))
# --------------------------------------------------------------------------------------------
class Surd:
    r""":math:`a + b\sqrt{D}` with rational a, b and a rational non-square D > 0: exact
    arithmetic in the quadratic field :math:`\mathbb{Q}(\sqrt{D})` (a field: the inverse of
    :math:`a + b\sqrt{D} \ne 0` is :math:`(a - b\sqrt{D}) / (a^2 - b^2 D)`, and
    :math:`a + b\sqrt{D} = 0` iff a = b = 0 since :math:`\sqrt{D}` is irrational)."""

    __slots__ = ("a", "b", "D")

    def __init__(self, a: Any, b: Any, D: Fraction):
        self.a, self.b, self.D = Fraction(a), Fraction(b), D

    def _lift(self, other: Any) -> Surd:
        return other if isinstance(other, Surd) else Surd(other, 0, self.D)

    def __add__(self, other: Any) -> Surd:
        o = self._lift(other)
        return Surd(self.a + o.a, self.b + o.b, self.D)

    __radd__ = __add__

    def __neg__(self) -> Surd:
        return Surd(-self.a, -self.b, self.D)

    def __sub__(self, other: Any) -> Surd:
        return self + (-self._lift(other))

    def __rsub__(self, other: Any) -> Surd:
        return self._lift(other) - self

    def __mul__(self, other: Any) -> Surd:
        o = self._lift(other)
        return Surd(self.a * o.a + self.b * o.b * self.D, self.a * o.b + self.b * o.a, self.D)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Surd:
        o = self._lift(other)
        norm = o.a * o.a - o.b * o.b * self.D
        return self * Surd(o.a / norm, -o.b / norm, self.D)

    def __rtruediv__(self, other: Any) -> Surd:
        return self._lift(other) / self

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (Surd, int, Fraction)):
            return NotImplemented
        d = self - other
        return d.a == 0 and d.b == 0

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        if self.b == 0:
            return str(self.a)
        return f"{self.a} + ({self.b})*sqrt({self.D})"


def _root_surd(rad) -> Surd:
    q2, q1, q0, sign = rad
    return Surd(Fraction(-q1) / (2 * q2), Fraction(sign) / (2 * q2), Fraction(q1 * q1 - 4 * q2 * q0))


def _radical_three_binary(rad, Ap, Bp, Aq, Bq, p, q, r) -> dict[int, list[Any]]:
    z = _root_surd(rad)
    return {p: [-_ev(Aq, z) / _ev(Bq, z)], q: [-_ev(Ap, z) / _ev(Bp, z)], r: [z]}


def _radical_two_binary(rad, A1, B1, A2, B2, Da, Db, a, b, t) -> dict[int, list[Any]]:
    xa = _root_surd(rad)
    A, B = (A1, B1) if _ev(B1, xa) != 0 else (A2, B2)
    xb = -_ev(A, xa) / _ev(B, xa)
    ca = _contract(Da, 0 if b < t else 1, [1 - xb, xb])  # player a's equation: over b's mix
    cb = _contract(Db, 0 if a < t else 1, [1 - xa, xa])
    kind, st = _solve_linear([ca, cb, [Fraction(1)] * 3], [Fraction(0), Fraction(0), Fraction(1)])
    assert kind == "unique" and st is not None  # nonsingular: checked when the root was found
    return {a: [xa], b: [xb], t: [st[1], st[2]]}


def radical_values(root: ClosedRoot, T) -> dict:
    r"""Exact forms ``{"values": [...]}`` of an irrational :class:`ClosedRoot`: one string
    ``a + (b)*sqrt(D)`` per free probability ``p[i][k]`` (``k`` in ``T_i[1:]``) of the mixers in
    player order, computed exactly in :math:`\mathbb{Q}(\sqrt{D})` (no simplification needed)."""
    assert root.radical is not None
    builder, args = root.radical
    exprs = builder(*args)
    return {"values": [str(e) for j in sorted(exprs) for e in exprs[j]]}
