r"""Pure-Python kernels of :func:`bargaining.solvers.bimatrix.enummixed` for tiny two-player games,
where a numpy call (1–5 µs each) costs more than the arithmetic it does.

The math is that of :mod:`bargaining.solvers.bimatrix` (vertex enumeration of the
best-response polytopes, after Avis, Rosenberg, Savani and von Stengel 2010, *Economic Theory*
42, §2, and von Stengel 2007, *Algorithmic Game Theory* ch. 3): every basis :math:`(S, J)`,
:math:`|S| = |J| = k \le 3` (:math:`k \le 4` for 4×4 integer games, :func:`tiny_fits`),
of :math:`P = \{x \ge 0 : M_P^\top x \le 1\}` and of
:math:`Q = \{y \ge 0 : M_Q^\top y \le 1\}` is solved by Cramer's rule,
:math:`x_S = \operatorname{adj}(M_{SJ}^\top)\mathbf 1 / \det M_{SJ}`, its labels are read as an
int bit mask (bit :math:`i`: :math:`x_i = 0`, bit :math:`m + j`: column :math:`j` tight), the
bases of one vertex are merged by their masks, and the completely labelled pairs are those with
:math:`c_a \mathbin{|} c_b` = every bit.

It decides as the numpy path (:func:`bargaining.solvers.bimatrix_vertices.pair_vertices` and
``polytope_vertices``) does, with the same thresholds, in the same order of bases; identical
constraints (equal columns of a polytope matrix) are merged and their labels expanded back, as
there. A basis with :math:`k = 1` is read off the rows' maxima (:math:`x = e_i / \max_j
M_{ij}`, feasible only for a row maximum). It never decides a doubtful case: whenever the numpy
path would fall back or take another branch (payoffs finely spread, integers of a range above
:data:`INT_RANGE`, one integer and one float polytope, a float basis that is singular or nearly
so, a label within round-off) :func:`tiny_extreme` returns ``None`` and the caller runs the
general path, which then decides (and explains) exactly as before.

- Integer payoffs (range up to :data:`INT_RANGE`): every decision in Python integers —
  :math:`x_p |\det| = \pm(\operatorname{adj}\mathbf 1)_p` and the slacks times :math:`|\det|`
  are integers, so the labels are exact, and a probability is the correctly rounded quotient
  of two integers. The 2×2 systems (most bases) are solved inline; 4×4 games take integer
  payoffs of range up to :data:`INT4_RANGE` only (float 4×4 games go to :func:`small_extreme`).
- Float payoffs: each player's payoffs normalised onto [1, 2] by the same float operations as
  :func:`bargaining.solvers.bimatrix_exact.normalised_payoffs`; labels with tolerance 1e-9,
  ``None`` for a value in (1e-9, 1e-6] (ambiguous) or a basis with
  :math:`|\det| \le 10^{-8}\prod_q \lVert \text{row}_q \rVert`.

The results agree with the numpy path's up to float round-off in the last bits of the
probabilities (tested on thousands of random and degenerate games; the order of the
equilibria, which ``enummixed`` now takes from the probabilities rounded to 12 decimals, does
not depend on that round-off).

:func:`small_extreme` serves the small games beyond these shapes (up to 5×5): the vertices from
the numpy stack of ``pair_vertices``, everything around it in Python. :func:`regret_ok`,
:func:`edge_gains`, :func:`edge_payoffs`, :func:`index_float` and :func:`pure_index` are the
checks of ``enummixed`` in Python floats for games of up to 36 cells.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations
from operator import mul
from typing import Any

from bargaining.solvers.bimatrix_cramer import cramer3, integer_vertices
from bargaining.solvers.bimatrix_exact import MIN_RESOLUTION
from bargaining.solvers.bimatrix_sets import distinct_pairs
from bargaining.solvers.bimatrix_solve import AMBIGUOUS, FLOAT_TOL

__all__ = [
    "tiny_extreme",
    "TINY_BASES",
    "INT_RANGE",
    "INT4_RANGE",
    "tiny_fits",
    "normalised_lists",
    "regret_ok",
    "edge_gains",
    "edge_payoffs",
    "index_float",
    "pure_index",
]

TINY_BASES = 35  # games with comb(m + n, m) up to this and min(m, n) <= 3 (to 3x4, 2x6) run here (measured)
INT_RANGE = 2**10  # integer payoffs of range up to this are decided in integers here
INT4_RANGE = 16  # 4x4 games: integer payoffs of range up to this only (see tiny_fits)
_SINGULAR = 1e-8


def tiny_fits(m: int, n: int) -> bool:
    """Whether :func:`tiny_extreme` takes an ``m × n`` game: up to :data:`TINY_BASES` bases
    with :math:`\\min(m, n) \\le 3` (to 3×4, 2×6), and 4×4 games with integer payoffs of range
    up to :data:`INT4_RANGE` (their bases of size 4 in integers only; measured faster than
    the numpy stack). At 4×4 the bound on the range keeps the numpy path's rounded labels far
    from doubt (entries up to 17, 3×3 minors up to :math:`3!\\,17^3 \approx 3\\cdot 10^4`,
    :math:`|\\det| \\ge 1`: the scaled values it rounds carry a float error of order
    :math:`10^{-4}`, far below the 0.05 at which it doubts), so the two paths decide alike."""
    return (min(m, n) <= 3 and math.comb(m + n, m) <= TINY_BASES) or m == n == 4


@lru_cache(maxsize=64)
def _bases(m: int, n: int) -> tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]:
    """Every basis (S, J) of an ``m × n`` polytope matrix with k = 2..min(m, n), S outer, J
    inner (the order of :func:`bargaining.solvers.bimatrix_vertices.pair_vertices`; k = 1 is
    read off the rows' maxima)."""
    out = []
    for k in range(2, min(m, n) + 1):
        for S in combinations(range(m), k):
            for J in combinations(range(n), k):
                out.append((S, J))
    return tuple(out)


def normalised_lists(U: list[list[float]]) -> list[list[float]] | None:
    """``U`` mapped affinely onto [1, 2] with the float operations of ``normalised_payoffs``
    (so bit for bit the same values); ``None`` for a non-finite payoff."""
    flat = [v for row in U for v in row]
    s = max(abs(v) for v in flat)
    if not math.isfinite(s):
        return None
    if s == 0.0:
        return [[1.0] * len(row) for row in U]
    V = [[v / s for v in row] for row in U]
    lo = min(v for row in V for v in row)
    hi = max(v for row in V for v in row)
    if hi <= lo:
        return [[1.0] * len(row) for row in U]
    d = hi - lo
    return [[(v - lo) / d + 1.0 for v in row] for row in V]


def _integer_matrix(U: list[list[float]]) -> list[list[int]] | bool:
    """``U - min U + 1`` as Python ints when ``U`` holds integers of range up to
    :data:`INT_RANGE`; ``False`` when it does not hold integers; ``True`` for integers of a
    larger range (which the general path reads as integers: not decided here)."""
    flat = [v for row in U for v in row]
    if not all(map(float.is_integer, flat)):  # False for inf and nan too
        return False
    lo, hi = min(flat), max(flat)
    if hi - lo > INT_RANGE:
        return True
    return [[int(v - lo) + 1 for v in row] for row in U]


def _solve_float(M: list[list[float]], S: tuple[int, ...], J: tuple[int, ...]) -> list[float] | None:
    """:math:`x_S` solving :math:`\\sum_p M[S_p][J_q] x_p = 1` for every q by Cramer's rule;
    ``None`` when the basis is singular or nearly so (relative to its row norms)."""
    k = len(S)
    if k == 1:
        d = M[S[0]][J[0]]
        return [1.0 / d]  # entries are in [1, 2]
    if k == 2:
        (s0, s1), (j0, j1) = S, J
        a, b = M[s0][j0], M[s1][j0]
        c, e = M[s0][j1], M[s1][j1]
        d = a * e - b * c
        if abs(d) <= _SINGULAR * math.hypot(a, b) * math.hypot(c, e):
            return None
        return [(e - b) / d, (a - c) / d]
    d, (n0, n1, n2), (r0, r1, r2) = cramer3(M, S, J)
    if abs(d) <= _SINGULAR * math.hypot(*r0) * math.hypot(*r1) * math.hypot(*r2):
        return None
    return [n0 / d, n1 / d, n2 / d]


def _vertices(M: list[list[Any]], integer: bool) -> list[tuple[int, list[Any]]] | None:
    """Distinct vertices :math:`x \\ne 0` of :math:`\\{x \\ge 0 : M^\\top x \\le 1\\}` as
    ``(label mask, probabilities)`` in the order of their first basis (label i: :math:`x_i = 0`,
    label ``m + j``: column j tight); ``None`` when the float path would doubt a label."""
    m, n = len(M), len(M[0])
    out: list[tuple[int, list[Any]]] = []
    seen: set[int] = set()
    # k = 1: the basis ({i}, {j}) gives x = e_i / M[i][j], feasible iff M[i][j] is the largest
    # of row i; every such j gives the same vertex (labels: the other rows and the row's maxima)
    rows_mask = (1 << m) - 1
    for i, row in enumerate(M):
        top = max(row)
        code = rows_mask ^ (1 << i)
        if integer:
            for j, v in enumerate(row):
                if v == top:
                    code |= 1 << (m + j)
        else:
            xi = 1.0 / top
            for j, v in enumerate(row):
                a = abs(1.0 - xi * v)
                if a <= FLOAT_TOL:
                    code |= 1 << (m + j)
                elif a <= AMBIGUOUS:
                    return None
        if code not in seen:
            seen.add(code)
            x = [0.0] * m
            x[i] = 1.0
            out.append((code, x))
    if integer:
        integer_vertices(M, out, seen)
        return out
    for S, J in _bases(m, n):
        xs = _solve_float(M, S, J)
        if xs is None:
            return None
        if min(xs) <= -FLOAT_TOL:
            continue
        slacks = [1.0 - sum(map(mul, xs, col)) for col in zip(*[M[i] for i in S])]
        if min(slacks) <= -FLOAT_TOL:
            continue
        xf = [0.0] * m
        for p, i in enumerate(S):
            xf[i] = xs[p]
        code = 0
        for i, v in enumerate(xf):
            a = abs(v)
            if a <= FLOAT_TOL:
                code |= 1 << i
                xf[i] = 0.0
            elif a <= AMBIGUOUS:
                return None
        for j, sl in enumerate(slacks):
            a = abs(sl)
            if a <= FLOAT_TOL:
                code |= 1 << (m + j)
            elif a <= AMBIGUOUS:
                return None
        if code in seen:
            continue
        seen.add(code)
        scale = sum(xf)
        out.append((code, [f / scale for f in xf]))
    return out


def _merged(M: list[list[Any]]) -> tuple[list[list[Any]], list[int]]:
    """``M`` with identical columns merged (first copies, in order) and, for every original
    column, the position of its copy (as ``distinct_columns``)."""
    seen: dict[tuple, int] = {}
    keep: list[int] = []
    owner: list[int] = []
    for j, col in enumerate(zip(*M)):
        if col not in seen:
            seen[col] = len(keep)
            keep.append(j)
        owner.append(seen[col])
    if len(keep) == len(owner):
        return M, owner
    return [[row[j] for j in keep] for row in M], owner


def _polytope(U: list[list[float]]) -> tuple[list[list[Any]], bool] | None:
    """The polytope matrix of ``_polytope_matrix`` (shifted integers or payoffs normalised
    onto [1, 2]) and whether it holds integers; ``None`` where the general path decides."""
    iU = _integer_matrix(U)
    if iU is True:  # integers of a large range
        return None
    if iU is not False:
        return iU, True
    N = normalised_lists(U)
    if N is None:
        return None
    u = sorted({v for row in N for v in row})
    if any(b - a < MIN_RESOLUTION for a, b in zip(u, u[1:])):
        return None
    return N, False


def _labelled(
    U: list[list[float]],
) -> tuple[list[tuple[int, list[Any]]], bool, list[list[Any]]] | None:
    """Vertices of the polytope of payoffs ``U`` (rows: its own strategies), identical
    constraints merged and their labels expanded back, whether they were decided in integers,
    and the polytope matrix (``U`` normalised onto [1, 2] when not integer); ``None`` where the
    general path decides."""
    if min(len(U), len(U[0])) > 3:  # bases of size 4: integer games of a small range only
        iU = _integer_matrix(U)
        if iU is True or iU is False or max(map(max, iU)) - 1 > INT4_RANGE:
            return None
        got: tuple[list[list[Any]], bool] | None = (iU, True)
    else:
        got = _polytope(U)
    if got is None:
        return None
    M, integer = got
    m = len(M)
    R, owner = _merged(M)
    V = _vertices(R, integer)
    if V is None:
        return None
    if R is M:
        return V, integer, M
    out = []
    for code, x in V:
        c = code & ((1 << m) - 1)
        for j, o in enumerate(owner):
            if code >> (m + o) & 1:
                c |= 1 << (m + j)
        out.append((c, x))
    return out, integer, M


Found = tuple[
    list[tuple],
    list[tuple],
    list[tuple[int, int]],
    "tuple[list[list[float]], list[list[float]]] | None",
    bool,
]
"""``(xs, ys, edges, normalised payoffs or None, labels decided in integers)``."""


def tiny_extreme(A: list[list[float]], B: list[list[float]]) -> Found | None:
    """The float path of :func:`bargaining.solvers.bimatrix.extreme_equilibria` for a tiny
    game with payoffs ``A``, ``B`` (lists of rows of floats): ``(xs, ys, edges, normalised,
    integer)`` with ``xs, ys, edges`` as there, both players' payoffs normalised onto [1, 2]
    (for the regret check and the index; ``None`` when ``integer``) and whether every label was
    decided in integers (then each probability is the correctly rounded exact value, and the
    float regret check, which could only fail on round-off of 1e-9 or more, is not needed);
    ``None`` where the general path must decide (see the module docstring)."""
    m, n = len(A), len(A[0])
    got = _labelled(B)  # P: x >= 0, B^T x <= 1
    if got is None:
        return None
    VP, int_p, MP = got
    got = _labelled([list(c) for c in zip(*A)])  # Q: y >= 0, A y <= 1
    if got is None:
        return None
    VQ, int_q, MQ = got
    integer = int_p and int_q
    full = (1 << (m + n)) - 1
    # Q's local labels: bit j < n is y_j = 0 (global m + j), bit n + i is row i tight (global i)
    low = (1 << n) - 1
    cq = [((c & low) << m) | (c >> n) for c, _ in VQ]
    pairs = [(a, b) for a, (cp, _) in enumerate(VP) for b, c in enumerate(cq) if cp | c == full]
    xs, ys, edges = distinct_pairs(pairs, lambda a: _rounded(VP[a][1]), lambda b: _rounded(VQ[b][1]))
    if integer:  # the normalised payoffs are needed only for some indices: computed there
        return xs, ys, edges, None, True
    return xs, ys, edges, _normalised_pair(A, B, MP, MQ, int_p, int_q), False


def _normalised_pair(
    A: list[list[float]],
    B: list[list[float]],
    MP: list[list[Any]],
    MQ: list[list[Any]],
    int_p: bool,
    int_q: bool,
) -> tuple[list[list[float]], list[list[float]]]:
    """Both players' payoffs normalised onto [1, 2] (:func:`normalised_lists`), taken from the
    polytope matrices where they are those (a float polytope: :math:`M_P` is ``B`` normalised,
    :math:`M_Q` is ``A`` transposed, normalised entry by entry with the same operations, so
    the same floats bit for bit)."""
    nB = normalised_lists(B) if int_p else MP
    nA = normalised_lists(A) if int_q else [list(c) for c in zip(*MQ)]
    assert nA is not None and nB is not None  # finite payoffs (checked above)
    return nA, nB


# -- the checks of ``enummixed`` on small games, in Python floats -----------------------------------
def _row_col_payoffs(
    A: list[list[float]], BT: list[tuple[float, ...]], x: tuple, y: tuple
) -> tuple[list[float], list[float]]:
    """:math:`(Ay)_i` for every row and :math:`(x^\top B)_j` for every column (``BT``: the
    columns of B), each summed in order."""
    return [sum(map(mul, row, y)) for row in A], [sum(map(mul, x, col)) for col in BT]


def regret_ok(nA: list[list[float]], nB: list[list[float]], xs: list, ys: list, edges: list) -> bool:
    """Every edge's regret on the payoffs normalised onto [1, 2] is at most 1e-9 (the float
    check of ``enummixed``, as its numpy form ``_normalised_regret_ok``)."""
    BT = list(zip(*nB))
    for a, b in edges:
        x, y = xs[a], ys[b]
        ra, cb = _row_col_payoffs(nA, BT, x, y)
        if max(ra) - sum(map(mul, x, ra)) > 1e-9:
            return False
        if max(cb) - sum(map(mul, y, cb)) > 1e-9:
            return False
    return True


def edge_payoffs(A: list[list[float]], B: list[list[float]], xs: list, ys: list, edges: list) -> list:
    """For every edge the payoffs :math:`(x^\top Ay, x^\top By)`."""
    out = []
    for a, b in edges:
        x, y = xs[a], ys[b]
        ua = ub = 0.0
        for p, ra, rb in zip(x, A, B):
            if p:
                ua += p * sum(map(mul, ra, y))
                ub += p * sum(map(mul, rb, y))
        out.append((ua, ub))
    return out


def edge_gains(
    A: list[list[float]], B: list[list[float]], xs: list, ys: list, edges: list
) -> tuple[list[float], list[tuple[float, float]]]:
    """For every edge: the largest gain of a player from a pure deviation and the payoffs
    :math:`(x^\top Ay, x^\top By)` (as ``_edge_gains`` of ``enummixed``, floats)."""
    gains, pay = [], []
    BT = list(zip(*B))
    for a, b in edges:
        x, y = xs[a], ys[b]
        ra, cb = _row_col_payoffs(A, BT, x, y)
        ua = sum(map(mul, x, ra))
        ub = sum(map(mul, y, cb))
        gains.append(max(max(ra) - ua, max(cb) - ub))
        pay.append((ua, ub))
    return gains, pay


def _det_sign(M: list[list[float]]) -> int:
    k = len(M)
    if k == 1:
        d = M[0][0]
    elif k == 2:
        d = M[0][0] * M[1][1] - M[0][1] * M[1][0]
    else:
        import numpy as np  # the numpy determinant, as ``equilibrium_index`` takes it

        d = float(np.linalg.det(np.array(M)))
    return 0 if abs(d) < 1e-12 else (1 if d > 0 else -1)


def index_float(Ap: list[list[float]], Bp: list[list[float]], x: tuple, y: tuple) -> int | None:
    """Shapley's index of an isolated nondegenerate equilibrium, as
    :func:`bargaining.solvers.bimatrix_sets.equilibrium_index` computes it in float mode
    (``Ap``, ``Bp``: the payoffs normalised onto [1, 2]); ``None`` when degenerate."""
    S = [i for i, v in enumerate(x) if v != 0]
    T = [j for j, v in enumerate(y) if v != 0]
    if len(S) != len(T):
        return None
    row_pay, col_pay = _row_col_payoffs(Ap, list(zip(*Bp)), x, y)
    top_r, top_c = max(row_pay) - 1e-9, max(col_pay) - 1e-9
    if [i for i, v in enumerate(row_pay) if v >= top_r] != S:
        return None
    if [j for j, v in enumerate(col_pay) if v >= top_c] != T:
        return None
    sa = _det_sign([[Ap[i][j] for j in T] for i in S])
    sb = _det_sign([[Bp[i][j] for j in T] for i in S])
    if sa == 0 or sb == 0:
        return None
    return (-1) ** (len(S) + 1) * sa * sb


def pure_index(A: list[list[float]], B: list[list[float]], x: tuple, y: tuple) -> int | None:
    """:func:`index_float` of a pure equilibrium ``(e_i, e_j)`` of a game with integer payoffs
    of range up to :data:`INT_RANGE` (whose normalised payoffs keep every tie and separate
    distinct payoffs by far more than the tolerance 1e-9): 1 when ``i`` is the only best
    response to ``j`` and ``j`` the only one to ``i`` (a 1×1 positive determinant each),
    else ``None`` (degenerate)."""
    i = next(r for r, p in enumerate(x) if p != 0)
    j = next(c for c, q in enumerate(y) if q != 0)
    col = [row[j] for row in A]
    top = max(col)
    if col.count(top) != 1 or col[i] != top:
        return None
    row = B[i]
    top = max(row)
    if row.count(top) != 1 or row[j] != top:
        return None
    return 1


def small_extreme(
    A: list[list[float]], B: list[list[float]]
) -> (
    tuple[list[tuple], list[tuple], list[tuple[int, int]], tuple[list[list[float]], list[list[float]]], bool]
    | None
):
    """:func:`tiny_extreme` for small games beyond the tiny shapes (up to
    :data:`bargaining.solvers.bimatrix_vertices.SMALL_BASES` bases): the vertices and labels of
    both polytopes from :func:`bargaining.solvers.bimatrix_vertices.pair_vertices` (one numpy
    stack, as the general path), and the rest — the polytope matrices, the completely labelled
    pairs as bit masks, the probabilities — in Python, as the general path computes them.
    ``None`` where the general path must decide (finely spread payoffs, identical constraints,
    one integer and one float polytope, a label within round-off)."""
    import numpy as np

    from bargaining.solvers.bimatrix_vertices import SMALL_BASES, pair_vertices

    m, n = len(A), len(A[0])
    if m + n > 61 or math.comb(m + n, m) > SMALL_BASES:
        return None
    got_p = _polytope(B)
    got_q = _polytope([list(c) for c in zip(*A)])
    if got_p is None or got_q is None or got_p[1] != got_q[1]:
        return None
    (MP, integer), (MQ, _) = got_p, got_q
    if _merged(MP)[0] is not MP or _merged(MQ)[0] is not MQ:
        return None
    flags: dict[str, bool] = {}
    Xp, Lp, Yq, Lq = pair_vertices(np.array(MP, dtype=float), np.array(MQ, dtype=float), integer, flags)
    if flags.get("ambiguous"):
        return None
    bits = np.int64(1) << np.arange(m + n, dtype=np.int64)
    cp, cq = Lp @ bits, Lq @ bits
    full = (1 << (m + n)) - 1
    pa, pb = np.nonzero((cp[:, None] | cq[None, :]) == full)  # row-major, as the general path
    XP, YQ = Xp.tolist(), Yq.tolist()
    xs, ys, edges = distinct_pairs(
        zip(pa.tolist(), pb.tolist()), lambda a: _keyed(XP[a]), lambda b: _keyed(YQ[b])
    )
    return xs, ys, edges, _normalised_pair(A, B, MP, MQ, integer, integer), False


def _rounded(x: Sequence[float]) -> tuple[tuple, tuple]:
    """A probability vector and the key (rounded to 9 decimals) that merges equal ones."""
    return tuple(x), tuple(round(v, 9) for v in x)


def _keyed(x: list[float]) -> tuple[tuple, tuple]:
    """A vertex as a probability vector and the key (rounded to 9 decimals) that merges equal ones."""
    return _rounded(_probabilities(x))


def _probabilities(x: list[float]) -> tuple:
    """A vertex scaled to a probability vector (negative round-off clipped to 0), with the
    float operations of the general path (``_normalised``: a sum in order, then divisions)."""
    x = [v if v > 0.0 else 0.0 for v in x]
    total = sum(x)
    return tuple(v / total for v in x)
