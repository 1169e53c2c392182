r"""Exact elimination for supports where four players mix over two strategies each.

With :math:`x_i` the probability of mixer i's second support strategy, mixer i's indifference
:math:`f_i = v_i(T_i^1) - v_i(T_i^0)` is a multilinear polynomial in the other three mixers'
:math:`x_j` (pure players are fixed), with integer (or rational) coefficients obtained from the
payoffs by Möbius inversion over the vertex values. For an ordering :math:`(x, y, z, w)` of the
mixers write

* :math:`f_x = A_1(z, w) + B_1(z, w)\,y` and :math:`f_y = A_2(z, w) + B_2(z, w)\,x`
  (:math:`A, B` bilinear);
* :math:`Q = B_1 B_2 f_z(-A_2/B_2, -A_1/B_1, w)` (degree 2 in z, 3 in w) and
  :math:`P = B_1 B_2 f_w(-A_2/B_2, -A_1/B_1, z)` (degree 3 in z, 2 in w), polynomials.

At a solution with :math:`B_1 B_2 \ne 0`, :math:`y = -A_1/B_1`, :math:`x = -A_2/B_2` and
:math:`Q = P = 0`, so w is a root of :math:`R(w) = \operatorname{Res}_z(P, Q)` (degree ≤ 13;
the resultant lies in the ideal of P and Q; Cox, Little & O'Shea, *Ideals, Varieties, and
Algorithms*, ch. 3 §6). A solution with :math:`B_1 = 0` has :math:`A_1 = 0` too, hence
:math:`\operatorname{Res}_z(A_1, B_1)(w) = 0`. The ordering is used only when, for k = 1, 2,
that resultant is a nonzero polynomial and at each of its (at most two) roots in [0, 1] the only
common zero :math:`z^*` of :math:`A_k, B_k` is outside [0, 1], or interval arithmetic shows that
the other three equations (each linear in one remaining unknown) have no solution with
:math:`(z, w)` there (:func:`_excluded_at`); else the next of the 12 orderings is tried. So
every solution in :math:`[0, 1]^4` has :math:`B_1 B_2 \ne 0` and w among the real roots of R
in [0, 1].

Conversely at a root :math:`w^*` with :math:`q_2(w^*) \ne 0` (the leading z-coefficient of Q)
and :math:`S_{1,1}(w^*) \ne 0`, where :math:`S_1 = S_{1,1} z + S_{1,0}` is the first
subresultant of P and Q (also in their ideal), P and Q have exactly one common root
:math:`z^* = -S_{1,0}/S_{1,1}` (real), and with :math:`B_1 B_2 \ne 0` there the point
:math:`(x^*, y^*, z^*, w^*)` solves the system (subresultant theory: Basu, Pollack & Roy,
*Algorithms in Real Algebraic Geometry*, ch. 4 and 8). R, :math:`S_1` and :math:`q_2` are
computed exactly by evaluation at the integers 0..13 and Newton interpolation (their degrees are
at most 13); the real roots of R in [0, 1] are isolated exactly (sympy's Vincent–Akritas–
Strzeboński isolation of the square-free part), narrowed by exact sign changes, and every
condition above is decided by interval arithmetic in floats rounded outward over the isolating
interval (Moore, Kearfott & Cloud 2009, *Introduction to Interval Analysis*, ch. 3 and 5;
:mod:`bargaining.solvers.enumpoly_univariate`). At a root whose z falls where :math:`B_k`
vanishes (a spurious root of R), :func:`_excluded_at` shows that no solution has that
:math:`(z, w)`. Any condition that stays undecided, R ≡ 0, or no usable ordering returns
``None``: the general (subdivision / Gröbner) path decides such degenerate supports. So the
list returned is every solution in the closed cube, each the unique solution in its enclosure
(width at most :math:`10^{-6}`), reported at float accuracy by Newton's method inside the
enclosure (as Fractions when a small-denominator rational solves the system exactly).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.solvers.enumpoly_closed import ClosedRoot
from bargaining.solvers.enumpoly_univariate import (
    NODES,
    bareiss_det,
    iadd,
    idiv_neg,
    imul,
    interpolate_integers,
    ipoly,
    iv,
    narrow_root,
    real_roots_01,
    sign_at,
    trim,
)

__all__ = ["four_binary"]

Poly = dict  # multilinear polynomial: {frozenset of variable indices: coefficient}
_MAX_FAILURES = 2  # orderings whose elimination stays undecided before giving up
_WIDTH = 1e-6  # the widest enclosure accepted (the reported point is Newton-polished inside it)


def _multilinear(U, T, i: int, mix: list[int]) -> Poly:
    r"""Mixer ``mix.index(i)``'s :math:`f_i` in the variables ``0..3`` (positions in ``mix``):
    Möbius inversion :math:`c_S = \sum_{s \subseteq S} (-1)^{|S \setminus s|} D[s]` of the vertex
    values :math:`D[s] = u_i(T_i^1, s) - u_i(T_i^0, s)` (s: which others play their second)."""
    n = len(T)
    others = [j for j in mix if j != i]
    f: Poly = {}
    for bits in itertools.product((0, 1), repeat=len(others)):
        prof = [T[j][0] for j in range(n)]
        for j, b in zip(others, bits):
            prof[j] = T[j][b]
        prof[i] = T[i][1]
        hi = U[i][tuple(prof)]
        prof[i] = T[i][0]
        d = hi - U[i][tuple(prof)]
        ones = [others[k] for k in range(len(others)) if bits[k]]
        for r in range(len(others) + 1):
            for sup in itertools.combinations(others, r):
                if set(ones) <= set(sup):
                    key = frozenset(mix.index(j) for j in sup)
                    f[key] = f.get(key, 0) + (-1) ** (r - len(ones)) * d
    return f


def _integral(f: Poly) -> Poly:
    """f times the lcm of its coefficients' denominators (the same zeros, integer coefficients)."""
    den = 1
    for c in f.values():
        d = Fraction(c).denominator
        den = den * d // math.gcd(den, d)
    return {S: int(c * den) for S, c in f.items()}


def _restrict(f: Poly, var: int, val) -> Poly:
    out: Poly = {}
    for S, c in f.items():
        key = S - {var}
        out[key] = out.get(key, 0) + (c * val if var in S else c)
    return out


def _c(f: Poly, *vs: int):
    return f.get(frozenset(vs), 0)


def _pmul(a: list, b: list) -> list:
    out = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[i + j] += x * y
    return out


def _padd(*ps: list) -> list:
    out = [0] * max(len(p) for p in ps)
    for p in ps:
        for i, x in enumerate(p):
            out[i] += x
    return out


def _pscale(c, p: list) -> list:
    return [c * x for x in p]


def _det3(M: list[list]) -> Any:
    """A 3 × 3 determinant by the rule of Sarrus (any ring: used on sympy numbers)."""
    return (
        M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1])
        - M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0])
        + M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0])
    )


def _at_w(fs: list[Poly], order: tuple[int, ...], t) -> tuple[list, list, list]:
    """Q and P (coefficient lists in z, low first, formal degrees 2 and 3) at w = t."""
    x, y, z, w = order
    fx, fy, fz = (_restrict(fs[v], w, t) for v in (x, y, z))
    fw = fs[w]
    A1, B1 = [_c(fx), _c(fx, z)], [_c(fx, y), _c(fx, y, z)]
    A2, B2 = [_c(fy), _c(fy, z)], [_c(fy, x), _c(fy, x, z)]
    BB, AB, BA, AA = _pmul(B1, B2), _pmul(A2, B1), _pmul(A1, B2), _pmul(A1, A2)
    Q = _padd(
        _pscale(_c(fz), BB), _pscale(-_c(fz, x), AB), _pscale(-_c(fz, y), BA), _pscale(_c(fz, x, y), AA)
    )
    al, be = [_c(fw), _c(fw, z)], [_c(fw, x), _c(fw, x, z)]
    ga, de = [_c(fw, y), _c(fw, y, z)], [_c(fw, x, y), _c(fw, x, y, z)]
    P = _padd(_pmul(al, BB), _pscale(-1, _pmul(be, AB)), _pscale(-1, _pmul(ga, BA)), _pmul(de, AA))
    return Q, P, [Q[2]]


def _resultants(Q: list, P: list) -> tuple[Any, Any, Any]:
    """Res_z(P, Q) (Sylvester, formal degrees 3 and 2) and the first subresultant's coefficients."""
    p0, p1, p2, p3 = P
    q0, q1, q2 = Q
    syl = [
        [p3, p2, p1, p0, 0],
        [0, p3, p2, p1, p0],
        [q2, q1, q0, 0, 0],
        [0, q2, q1, q0, 0],
        [0, 0, q2, q1, q0],
    ]
    s1 = [[p3, p2, p1], [q2, q1, q0], [0, q2, q1]]
    s0 = [[p3, p2, p0], [q2, q1, 0], [0, q2, q0]]
    return bareiss_det(syl), bareiss_det(s1), bareiss_det(s0)


def _imultilinear(terms: Poly, env: dict):
    acc = (0.0, 0.0)
    for S, c in terms.items():
        v = iv(c)
        for j in S:
            v = imul(v, env[j])
        acc = iadd(acc, v)
    return acc


def _split(f: Poly, var: int) -> tuple[Poly, Poly]:
    """f = A + B·var: (A, B)."""
    A = {S: c for S, c in f.items() if var not in S}
    B = {S - {var}: c for S, c in f.items() if var in S}
    return A, B


def _point(fs, order, polys, W):
    """The solution over the isolating interval W: ``("ok", intervals)``, ``("none", None)``
    or ``("unknown", None)``."""
    x, y, z, w = order
    R, S11, S10, q2 = polys
    W = iv(W[0])[0], iv(W[1])[1]
    lq, hq = ipoly(q2, W)
    if lq <= 0 <= hq:
        return "unknown", None
    Z = idiv_neg(ipoly(S10, W), ipoly(S11, W))
    if Z is None:
        return "unknown", None
    if Z[1] < 0 or Z[0] > 1:
        return "none", None
    env = {w: W, z: Z}
    box = {z: Z, w: W}
    for a, b in ((x, y), (y, x)):  # f_a = A + B·b: b = -A/B, or no b in [0, 1] when B ~ 0
        A, B = (_imultilinear(part, env) for part in _split(fs[a], b))
        val = idiv_neg(A, B)
        if val is None:
            lo, hi = iadd(A, imul(B, _UNIT))
            if lo > 0 or hi < 0:
                return "none", None  # A + B·b has no zero for b in [0, 1]
            if _excluded_at(fs, order, a, b, Z, W) or _excluded_at(fs, order, b, a, Z, W):
                return "none", None  # no solution at all with (z, w) in Z × W
            return "unknown", None
        box[b] = val
    for lo, hi in box.values():
        if hi < 0 or lo > 1:
            return "none", None
        if lo < 0 or hi > 1 or hi - lo > _WIDTH:
            return "unknown", None
    return "ok", box


def _polish(fs, box) -> list[float]:
    """The root in ``box`` (certified unique there) to float accuracy: Newton's method from the
    box's midpoint, kept only if it stays in the box (else the midpoint)."""
    mids = np.array([(box[v][0] + box[v][1]) / 2 for v in range(4)])
    terms = [[(float(c), tuple(S)) for S, c in f.items()] for f in fs]
    x = mids.copy()
    for _ in range(8):
        F = np.zeros(4)
        J = np.zeros((4, 4))
        xs = [float(v) for v in x]
        for i, f in enumerate(terms):
            for c, S in f:
                F[i] += c * math.prod(xs[j] for j in S)
                for j in S:
                    J[i, j] += c * math.prod(xs[k] for k in S if k != j)
        try:
            step = np.linalg.solve(J, -F)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)):
            break
        x = x + step
        if np.max(np.abs(step)) < 1e-16:
            break
    if all(box[v][0] <= x[v] <= box[v][1] for v in range(4)):
        return [float(v) for v in x]
    return [float(v) for v in mids]


def _exact_or_float(fs, order, box) -> list[Any]:
    """Coordinates (by mixer position) as Fractions when a small-denominator rational solves
    the system exactly, else floats (Newton-polished in the certified box)."""
    mids = _polish(fs, box)
    q = [Fraction(m).limit_denominator(10**6) for m in mids]
    if all(box[v][0] - 1e-9 <= float(q[v]) <= box[v][1] + 1e-9 for v in range(4)):
        env = {v: q[v] for v in range(4)}
        if all(sum(c * _prod(env[j] for j in S) for S, c in f.items()) == 0 for f in fs):
            return q
    return mids


def _prod(it: Iterable[Any]) -> Any:
    """The product of the items (1 for none), in their own arithmetic."""
    out: Any = 1
    for v in it:
        out = out * v
    return out


def four_binary(U, T: list[list[int]], shape, mix: list[int]) -> list[ClosedRoot] | None:
    """Every solution in the closed cube of the support system with four binary mixers ``mix``
    (see the module docstring), or ``None`` where the elimination cannot decide (degenerate,
    or coefficients beyond the float range of the interval arithmetic)."""
    try:
        return _four_binary(U, T, shape, mix)
    except OverflowError:
        return None


def _four_binary(U, T: list[list[int]], shape, mix: list[int]) -> list[ClosedRoot] | None:
    fs = [_integral(_multilinear(U, T, i, mix)) for i in mix]
    failures = 0
    for order in itertools.permutations(range(4)):
        x, y, z, w = order
        if x > y:
            continue  # (x, y) and (y, x) give the same elimination
        ok = True
        for a, b in ((x, y), (y, x)):
            A, B = _split(fs[a], b)
            A0, A1 = _restrict(A, z, 0), _split(A, z)[1]
            B0, B1 = _restrict(B, z, 0), _split(B, z)[1]
            # Res_z(A, B) = A0 B1 - A1 B0, affine pieces in w
            pa0, pa1 = [_c(A0), _c(A0, w)], [_c(A1), _c(A1, w)]
            pb0, pb1 = [_c(B0), _c(B0, w)], [_c(B1), _c(B1, w)]
            res = _padd(_pmul(pa0, pb1), _pscale(-1, _pmul(pa1, pb0)))
            if _common_zero_in_cube(res, (pa0, pa1), (pb0, pb1), fs, order, a, b):
                ok = False
                break
        if ok:
            out = _solve_order(fs, order, T, shape, mix)
            if out is not None:
                return out
            failures += 1
            if failures >= _MAX_FAILURES:
                return None  # degenerate (e.g. R = 0: a continuum): the general path decides
    return None


def _common_zero_in_cube(res: list, A: tuple[list, list], B: tuple[list, list], fs, order, a, b) -> bool:
    r"""False when no solution of the system has :math:`A = B = 0`, where
    :math:`f_a = A + B x_b`, :math:`A = A_0(w) + A_1(w) z`, :math:`B = B_0(w) + B_1(w) z`:
    every root :math:`w^*` in [0, 1] of their resultant ``res`` gives the only candidate
    :math:`z^* = -A_0/A_1` (or :math:`-B_0/B_1`), and either it is outside [0, 1] or interval
    arithmetic shows the remaining equations have no solution there (:func:`_excluded_at`)."""
    found = real_roots_01(res)
    if found is None:
        return True
    sqf, iso = found
    for lo, hi in iso:
        Wq = narrow_root(sqf, lo, hi)
        if Wq is None:
            return True
        W = iv(Wq[0])[0], iv(Wq[1])[1]
        Z = None
        for p0, p1 in (A, B):
            Z = idiv_neg(ipoly(p0, W), ipoly(p1, W))
            if Z is not None:
                break
        if Z is None:
            return True
        if not (Z[1] < 0 or Z[0] > 1) and not _excluded_at(fs, order, a, b, Z, W):
            return True
    return False


_UNIT = (0.0, 1.0)


def _solve_linear_in(f: Poly, var: int, env: dict) -> tuple[str, Any]:
    """Enclosure of the zeros in [0, 1] of f = A + B·var over the box ``env``: ``("none", _)``
    when there is none, ``("box", X)``, or ``("unknown", _)``."""
    A, B = (_imultilinear(part, env) for part in _split(f, var))
    X = idiv_neg(A, B)
    if X is None:
        lo, hi = iadd(A, imul(B, _UNIT))
        return ("none", None) if (lo > 0 or hi < 0) else ("unknown", None)
    if X[1] < 0 or X[0] > 1:
        return "none", None
    return "box", (max(X[0], _UNIT[0]), min(X[1], _UNIT[1]))


def _excluded_at(fs, order, a, b, Z, W) -> bool:
    r"""True when no solution has z in Z, w in W and :math:`f_a \equiv 0` in :math:`x_b`: then
    :math:`x_a` solves :math:`f_b`, :math:`x_b` solves :math:`f_z` (both linear), and
    :math:`f_w` must vanish; interval enclosures of the three steps (Moore et al. 2009)."""
    x, y, z, w = order
    env = {z: Z, w: W}
    status, Xa = _solve_linear_in(fs[b], a, env)
    if status != "box":
        return status == "none"
    env[a] = Xa
    status, Xb = _solve_linear_in(fs[z], b, env)
    if status != "box":
        return status == "none"
    env[b] = Xb
    lo, hi = _imultilinear(fs[w], env)
    return lo > 0 or hi < 0


def _solve_order(fs, order, T, shape, mix) -> list[ClosedRoot] | None:
    evals = [_at_w(fs, order, t) for t in range(NODES)]
    res = [_resultants(Q, P) for Q, P, _ in evals]
    R = interpolate_integers([r[0] for r in res])
    S11 = interpolate_integers([r[1] for r in res])
    S10 = interpolate_integers([r[2] for r in res])
    q2 = interpolate_integers([e[2][0] for e in evals])
    found_r = real_roots_01(R)
    if found_r is None:
        return None  # R = 0: a continuum or a singular elimination
    sqf, iso = found_r
    out = []
    for a, b in iso:
        W = narrow_root(sqf, a, b)
        if W is None:
            return None
        found = None
        for _ in range(24):
            status, box = _point(fs, order, (R, S11, S10, q2), W)
            if status != "unknown" or W[1] - W[0] < Fraction(1, 2**60):
                break
            mid = (W[0] + W[1]) / 2  # halve the bracket, keeping the sign change
            rm = sign_at(sqf, mid)
            if rm == 0:
                W = (mid, mid)
            elif (rm > 0) == (sign_at(sqf, W[0]) > 0):
                W = (mid, W[1])
            else:
                W = (W[0], mid)
        if status == "unknown":
            return None
        if status == "ok":
            found, Wq = box, W
        if found is None:
            continue
        vals = _exact_or_float(fs, order, found)
        prof: list[list[Any]] = []
        exact = all(isinstance(v, Fraction) for v in vals)
        for j, m in enumerate(shape):
            zero: Any = Fraction(0) if exact else 0.0
            row = [zero] * m
            if j in mix:
                v = vals[mix.index(j)]
                if not exact:
                    v = min(1.0, max(0.0, v))
                row[T[j][0]], row[T[j][1]] = 1 - v, v
            else:
                row[T[j][0]] = zero + 1
            prof.append(row)
        radical = None if exact else (_algebraic, (fs, order, sqf, S11, S10, Wq, mix))
        out.append(ClosedRoot(prof, radical))
    return out


_ALGEBRAIC_CACHE: dict[tuple, Any] = {}  # per support system: R's factors, coordinate polynomials


def _algebraic(fs, order, R, S11, S10, W, mix) -> dict[int, list[Any]]:
    r"""Exact forms, as the Gröbner path writes them: with :math:`m(w)` the irreducible factor
    of R with its root :math:`w^*` in W, every coordinate is a polynomial in :math:`w^*` of
    degree below :math:`\deg m`: :math:`z = -S_{1,0} S_{1,1}^{-1}`, :math:`y = -A_1 B_1^{-1}`,
    :math:`x = -A_2 B_2^{-1}`, reduced modulo m (inverses modulo m exist since the values are
    nonzero at every root of the irreducible m, being nonzero at one); the root is a radical
    when :math:`\deg m \le 2`, else a ``CRootOf``. The factorisation of R and the coordinate
    polynomials (the same for every root of m) are cached per support system."""
    import sympy as sp

    t = sp.Symbol("w")

    def poly(coef) -> Any:
        return sp.Poly([sp.Integer(int(c)) for c in reversed(trim(coef))] or [0], t, domain="QQ")

    fs_key = tuple(tuple(sorted((tuple(sorted(S)), c) for S, c in f.items())) for f in fs)
    key = (fs_key, tuple(order), tuple(R), tuple(S11), tuple(S10))
    if len(_ALGEBRAIC_CACHE) > 64:
        _ALGEBRAIC_CACHE.clear()
    cached = _ALGEBRAIC_CACHE.setdefault(key, {"factors": None, "coords": {}})
    if cached["factors"] is None:
        cached["factors"] = [f for f, _m in poly(R).factor_list()[1]]
    lo, hi = sp.Rational(W[0].numerator, W[0].denominator), sp.Rational(W[1].numerator, W[1].denominator)
    k_fp, fp = next((k, f) for k, f in enumerate(cached["factors"]) if f.count_roots(lo, hi) > 0)
    mid = (lo + hi) / 2
    sym: Any = None
    if fp.degree() <= 2:
        exact = list(sp.roots(fp, filter="R"))
        if exact:
            sym = min(exact, key=lambda e: abs(sp.N(e, 40) - mid))
    root = ""
    if sym is None:  # CRootOf indexes the real roots in increasing order; w* is in [lo, hi]
        below = fp.count_roots(None, lo) - (1 if fp.eval(lo) == 0 else 0)
        poly_text = " + ".join(f"({c})*w**{k}" for (k,), c in fp.terms() if c != 0)
        root = f"CRootOf({poly_text}, {below})"  # written directly: sympy's printer is slow
    env = cached["coords"].get(k_fp)
    if env is None:
        env = cached["coords"][k_fp] = _coordinates_mod(fs, order, poly(S11), poly(S10), fp, t)
    if sym is not None:  # a radical: rationalise it
        return {mix[v]: [sp.radsimp(sp.expand(env[v].as_expr().subs(t, sym)))] for v in range(4)}

    def text(p_: Any) -> str:
        terms = [f"({c})*{root}**{k}" if k else f"({c})" for (k,), c in p_.terms() if c != 0]
        return " + ".join(reversed(terms)) or "0"

    return {mix[v]: [text(env[v])] for v in range(4)}


def _coordinates_mod(fs, order, S11: Any, S10: Any, fp: Any, t: Any) -> dict[int, Any]:
    """The coordinates x, y, z, w as polynomials in w reduced modulo the irreducible ``fp``."""
    import sympy as sp

    x, y, z, w = order

    def red(p_: Any) -> Any:
        return p_.rem(fp)

    zero = sp.Poly(0, t, domain="QQ")
    env = {w: sp.Poly(t, t, domain="QQ"), z: red(-S10 * sp.invert(S11, fp))}

    def ev(f: Poly) -> Any:
        acc = zero
        for S, c in f.items():
            term = sp.Poly(c, t, domain="QQ")
            for j in S:
                term = red(term * env[j])
            acc = acc + term
        return red(acc)

    for a, b in ((x, y), (y, x)):
        A, B = _split(fs[a], b)
        env[b] = red(-ev(A) * sp.invert(ev(B), fp))
    return env
