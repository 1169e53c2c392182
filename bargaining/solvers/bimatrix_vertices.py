r"""Vertex enumeration of the best-response polytopes of a bimatrix game and their labels, the
first steps of :func:`bargaining.solvers.bimatrix.enummixed` (see that module for the math).

For a polytope :math:`\{x \ge 0 : M^\top x \le 1\}` every vertex is the solution of a square
system of tight constraints (a basis); :func:`polytope_vertices` solves all bases of each support
size in numpy stacks, keeps the feasible ones and returns them with their label sets (the tight
constraints), after Avis, Rosenberg, Savani and von Stengel (2010), *Economic Theory* 42, §2.

Beyond the smallest games the bases are listed once per shape (:func:`_pair_table`, ordered by
size and support) and selected with bit operations: supports inside a candidate set
(``within``) and, given the other player's payoffs, the conditional-dominance pruning of
:mod:`bargaining.solvers.bimatrix_prune` (with its pair test of both players' supports, given
as ``supports``; for at most 8 strategies a player the selection is table look-ups on byte
codes). The selected systems are gathered through cached index tables into one stack padded with
the identity (up to :data:`_PAD_ALL` bases; beyond, one stack per size in chunks), and solved by
:func:`bargaining.solvers.bimatrix_solve.vertices_batch` in one batched LAPACK call per group of
sizes (LAPACK's cost per system grows with its size: each group solves its top-left block); a
singular system yields NaN rather than an exception, so integer games need a determinant only
for the bases whose solution looks feasible.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import lru_cache
from itertools import combinations

import numpy as np

from bargaining.solvers.bimatrix_prune import BYTE_MAX, MAX_STRATEGIES, selected_bases, viable_supports
from bargaining.solvers.bimatrix_solve import (
    FLOAT_TOL,
    flag_ambiguous,
    flag_near_singular,
    solve_or_nan,
    vertices_batch,
)
from bargaining.solvers.budget import BudgetExceeded, Deadline

__all__ = ["polytope_vertices", "pair_vertices", "pruned_basis_count", "complementary_pairs", "SMALL_BASES"]


_CHUNK = 60_000  # systems solved per numpy call (memory: CHUNK * k * k floats)
SMALL_BASES = 300  # up to this many bases (5x5), one padded stack for all support sizes (measured)


# -- step 1-2: vertices of {x >= 0 : M^T x <= 1} ------------------------------------------------
@lru_cache(maxsize=256)
def _combos(m: int, k: int) -> np.ndarray:
    arr = np.array(list(combinations(range(m), k)), dtype=np.intp).reshape(-1, k)
    arr.flags.writeable = False
    return arr


@lru_cache(maxsize=64)
def _padded_bases(m: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every basis (S, J), |S| = |J| = k = 1..min(m, n), as one stack of K×K systems
    (K = min(m, n)), the unused rows and columns padded with the identity: gather indices
    ``R, C`` into M, the padding mask, the right-hand sides and the scatter index ``Spad``
    (``m``, a dummy column, on padding)."""
    K = min(m, n)
    Rs, Cs, pads, rhss, Spads = [], [], [], [], []
    for k in range(1, K + 1):
        S, J = _combos(m, k), _combos(n, k)
        N = len(S) * len(J)
        Srep = np.repeat(S, len(J), axis=0)
        Jrep = np.tile(J, (len(S), 1))
        R = np.zeros((N, K, K), dtype=np.intp)
        C = np.zeros((N, K, K), dtype=np.intp)
        R[:, :k, :k] = Srep[:, None, :]  # system row q, unknown p -> M[S_p, J_q]
        C[:, :k, :k] = Jrep[:, :, None]
        pad = np.ones((N, K, K), dtype=bool)
        pad[:, :k, :k] = False
        rhs = np.zeros((N, K, 1))
        rhs[:, :k] = 1.0
        Spad = np.full((N, K), m, dtype=np.intp)
        Spad[:, :k] = Srep
        Rs.append(R)
        Cs.append(C)
        pads.append(pad)
        rhss.append(rhs)
        Spads.append(Spad)
    out = tuple(np.concatenate(a) for a in (Rs, Cs, pads, rhss, Spads))
    for a in out:
        a.flags.writeable = False
    return out  # type: ignore[return-value]


@lru_cache(maxsize=64)
def _pair_bases(m: int, n: int) -> tuple[np.ndarray, ...]:
    """Every basis of both polytopes of an ``m × n`` game as one padded stack (see
    :func:`_padded_bases`), gathered from the flat source ``[MP.ravel(), MQ.ravel(), 0, 1]``:
    the gather index ``G`` (N, K, K), right-hand sides, the scatter index ``pos`` into the joint
    vector :math:`u = (x, y)` (``m + n``, a dummy, on padding), which rows are Q's, and the mask
    saying which labels are read from :math:`u` (the rest from the slacks)."""
    K = min(m, n)
    off0, off1 = 2 * m * n, 2 * m * n + 1
    diag = np.eye(K, dtype=bool)
    parts = []
    for rows, cols, base, shift in ((m, n, 0, 0), (n, m, m * n, m)):
        R, C, pad, rhs, Spad = _padded_bases(rows, cols)
        G = np.where(pad, np.where(diag, off1, off0), base + R * cols + C)
        pos = np.where(Spad == rows, m + n, Spad + shift)
        parts.append((G, rhs, pos))
    NP = len(parts[0][0])
    G = np.concatenate([parts[0][0], parts[1][0]])
    rhs = np.concatenate([parts[0][1], parts[1][1]])
    pos = np.concatenate([parts[0][2], parts[1][2]])
    # scatter of the solutions into U (N, m + n + 1), flat
    flatpos = (np.arange(len(G))[:, None] * (m + n + 1) + pos).ravel()
    isq = np.arange(len(G)) >= NP
    from_u = np.zeros((len(G), m + n), dtype=bool)
    from_u[~isq, :m] = True  # P: label i is x_i = 0, label m + j is column j tight
    from_u[isq, m:] = True  # Q: label i is row i tight, label m + j is y_j = 0
    # W = [[0, MP], [MQ, 0]] gathered from the same source
    W = np.full((m + n, m + n), off0)
    W[:m, m:] = np.arange(m * n).reshape(m, n)
    W[m:, :m] = m * n + np.arange(m * n).reshape(n, m)
    out = (G, rhs, flatpos, isq, from_u, W, np.eye(K))
    for a in out:
        a.flags.writeable = False
    return out


def pair_vertices(
    MP: np.ndarray, MQ: np.ndarray, integer: bool, flags: dict[str, bool] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vertices of P and of Q together, for small games: one stack of basis systems, one solve
    call (integer games: one determinant call, on the bases that look feasible), and the labels
    read in one pass on the joint vector :math:`u = (x, 0)` or :math:`(0, y)` with the slacks
    :math:`1 - u W`, :math:`W = [[0, M_P], [M_Q, 0]]`. Returns ``(Xp, Lp, Yq, Lq)`` with the
    labels of both in the global numbering of the module docstring."""
    m, n = MP.shape
    G, rhs, flatpos, isq, from_u, Widx, eye = _pair_bases(m, n)
    src = np.concatenate([MP.ravel(), MQ.ravel(), (0.0, 1.0)])
    sub = src[G]
    W = src[Widx]
    if integer:
        # solve first (NaN on an exactly singular basis), then take the determinant only of the
        # bases that look feasible: coordinates and slacks of a nonsingular integer basis are
        # multiples of 1/|det| with |det| >= 1, so the exact test T |det| > -1/2 implies
        # T > -1/2, and -1e-3 is far beyond round-off (a vertex has coordinates <= 1)
        xs = solve_or_nan(sub, rhs[..., 0])
        U = np.zeros((len(xs), m + n + 1))
        U.ravel()[flatpos] = xs.ravel()
        U = U[:, : m + n]
        T = np.concatenate([U, 1.0 - U @ W], axis=1)
        near = np.flatnonzero((T > -1e-3).all(axis=1))  # False on NaN rows (singular)
        det = np.abs(np.round(np.linalg.det(sub[near])))
        T = T[near] * det[:, None]  # integers up to float error
        valid = (det > 0.5) & (T.min(axis=1) > -0.5)
        if flags is not None:
            flag_ambiguous(T[valid], integer, flags)
        rows = near[valid]
        zero = np.abs(T[valid]) < 0.5
    else:
        try:
            xs = np.linalg.solve(sub, rhs)
        except np.linalg.LinAlgError:  # an exactly singular basis: drop the nearly singular ones
            det = np.linalg.det(sub)
            ok = np.abs(det) > 1e-11 * np.prod(np.linalg.norm(sub, axis=2), axis=1)
            sub[~ok] = eye
            xs = np.linalg.solve(sub, rhs)
        else:
            ok = None
        U = np.zeros((len(xs), m + n + 1))
        U.ravel()[flatpos] = xs.ravel()
        U = U[:, : m + n]
        T = np.concatenate([U, 1.0 - U @ W], axis=1)  # [u, 1 - u W]
        valid = T.min(axis=1) > -FLOAT_TOL
        if ok is not None:
            valid &= ok
        if flags is not None:
            flag_ambiguous(T[valid], integer, flags)
            flag_near_singular(sub[valid], flags)
        rows = np.flatnonzero(valid)
        zero = np.abs(T[rows]) <= FLOAT_TOL
    L = np.where(from_u[rows], zero[:, : m + n], zero[:, m + n :])
    U = np.where(zero[:, : m + n], 0.0, U[rows])
    isq = isq[rows]
    # merge the bases of one vertex by their label sets (the polytope is the top bit)
    codes = (L.astype(np.int64) @ (np.int64(1) << np.arange(m + n, dtype=np.int64))).tolist()
    firsts: dict[tuple[int, bool], int] = {}
    for r, (c, q) in enumerate(zip(codes, isq.tolist())):
        firsts.setdefault((c, q), r)
    first = np.fromiter(firsts.values(), dtype=np.intp, count=len(firsts))
    U, L, isq = U[first], L[first], isq[first]
    return U[~isq, :m], L[~isq], U[isq, m:], L[isq]


def polytope_vertices(
    M: np.ndarray,
    *,
    integer: bool,
    deadline: Deadline | None = None,
    within: np.ndarray | None = None,
    flags: dict[str, bool] | None = None,
    other: np.ndarray | None = None,
    owner: np.ndarray | None = None,
    partners: np.ndarray | None = None,
    supports: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Vertices :math:`x \\ne 0` of :math:`\\{x \\ge 0 : M^\\top x \\le 1\\}` for a positive
    ``m × n`` matrix ``M``.

    Returns ``(X, L, finished)``: coordinates ``X`` (N, m), labels ``L`` (N, m + n) booleans
    (label ``i < m``: :math:`x_i = 0`; label ``m + j``: column j tight), one row per distinct
    vertex, and whether every basis was tried before the deadline. ``integer=True`` asserts that
    ``M`` holds integers, so labels are read exactly by rounding ``x · det``. ``within`` (a boolean
    matrix, one candidate set per row) restricts the search to vertices whose support lies in one
    of the sets (other vertices may be returned too). ``flags["ambiguous"]`` is set when some
    coordinate or slack fell in the zone where float round-off could decide a label either way
    (then the caller solves exactly).

    ``other`` (``n0 × m``, this player's own positive payoffs against each original opposing
    strategy; ``owner`` maps original columns to the merged columns of ``M``) turns on the
    conditional-dominance pruning of :mod:`bargaining.solvers.bimatrix_prune`: only viable
    supports and bases inside :math:`N(S)` are solved, so only vertices that can belong to an
    extreme equilibrium are guaranteed (others may be returned too). With ``other``,
    ``partners`` (one row per row of ``within``: the support of the opposing vertex whose tight
    set that row is) keeps only supports :math:`T` inside some ``within[v]`` with
    ``partners[v]`` inside :math:`N(T)`: in a completely labelled pair every strategy of the
    opposing support is a label of this vertex, i.e. a tight constraint, so it lies in
    :math:`N(T)`. ``supports`` (with ``other``): the result of
    :func:`bargaining.solvers.bimatrix_prune.pair_viable` for this polytope, used instead of
    :func:`viable_supports` (it also drops supports without a partner support).
    """
    m, n = M.shape
    coords: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    finished = True
    try:
        if other is None and within is None and math.comb(m + n, m) <= SMALL_BASES:
            # small games: every basis in one padded stack (one numpy call per step)
            R, C, pad, rhs, Spad = _padded_bases(m, n)
            eye = np.broadcast_to(np.eye(R.shape[1]), R.shape)
            sub = np.where(pad, eye, M[R, C])
            X, L = vertices_batch(M, sub, rhs, Spad, 1, integer, flags)
            coords.append(X)
            labels.append(L)
        else:
            groups = _basis_groups(M, integer, deadline, within, flags, other, owner, partners, supports)
            for X, L in groups:
                coords.append(X)
                labels.append(L)
    except BudgetExceeded:
        finished = False
    if not coords:
        return np.zeros((0, m)), np.zeros((0, m + n), dtype=bool), finished
    X = np.concatenate(coords) if len(coords) > 1 else coords[0]
    L = np.concatenate(labels) if len(labels) > 1 else labels[0]
    if len(L) <= 1:
        return X, L, finished
    if m + n <= 62:
        codes = (L.astype(np.int64) @ _bits(m + n)).tolist()
        if len(codes) <= 512:  # few vertices: the first row of each label set, by a dict
            firsts: dict[int, int] = {}
            for r, c in enumerate(codes):
                firsts.setdefault(c, r)
            if len(firsts) == len(codes):
                return X, L, finished
            first = np.fromiter(firsts.values(), dtype=np.intp, count=len(firsts))
            return X[first], L[first], finished
        _, first = np.unique(codes, return_index=True)
    else:
        _, first = np.unique(np.packbits(L, axis=1), axis=0, return_index=True)
    first.sort()
    return X[first], L[first], finished


@lru_cache(maxsize=64)
def _bits(k: int) -> np.ndarray:
    """``2**i`` for i < k (int64)."""
    out = np.int64(1) << np.arange(k, dtype=np.int64)
    out.flags.writeable = False
    return out


_PAD_ALL = 4000  # up to this many bases in all, one stack padded (solved by size groups)
_GROUP_MIN = 128  # a size group with fewer bases is solved with the next larger size (measured)


def _size_groups(idx: np.ndarray, bounds: np.ndarray, Kp: int) -> list[tuple[int, int]]:
    """The ``sizes`` argument of the batched solve for the selected bases ``idx`` (increasing,
    so ordered by size): one group per basis size, a size with fewer than :data:`_GROUP_MIN`
    bases joined to the next larger one."""
    stops = np.searchsorted(idx, bounds[1 : Kp + 1]).tolist()
    groups: list[tuple[int, int]] = []
    start = 0
    for k, stop in enumerate(stops, 1):
        if stop - start >= _GROUP_MIN or k == Kp:
            groups.append((stop, k))
            start = stop
    return groups


@lru_cache(maxsize=16)
def _pair_table(m: int, n: int) -> tuple[np.ndarray, ...]:
    """Every basis ``(S, J)``, :math:`|S| = |J| = k = 1..\\min(m, n)`, ordered by k: the
    supports ``Sall`` (padded with ``m``) and their bit codes, the tight sets ``Jall`` (padded
    with ``n``) and their bit codes, and per basis the row of its support and of its tight set in
    those, with ``bounds[k - 1]:bounds[k]`` the bases of size k."""
    K = min(m, n)
    Ss, Js, srows, jrows, bounds = [], [], [], [], [0]
    s0 = j0 = 0
    for k in range(1, K + 1):
        Sc, Jc = _combos(m, k), _combos(n, k)
        Ss.append(np.pad(Sc, ((0, 0), (0, K - k)), constant_values=m))
        Js.append(np.pad(Jc, ((0, 0), (0, K - k)), constant_values=n))
        srows.append(s0 + np.repeat(np.arange(len(Sc)), len(Jc)))
        jrows.append(j0 + np.tile(np.arange(len(Jc)), len(Sc)))
        s0 += len(Sc)
        j0 += len(Jc)
        bounds.append(bounds[-1] + len(Sc) * len(Jc))
    Sall, Jall = np.concatenate(Ss), np.concatenate(Js)
    big = max(m, n) > 62
    if not big:
        bm = np.append(np.int64(1) << np.arange(m, dtype=np.int64), np.int64(0))
        bn = np.append(np.int64(1) << np.arange(n, dtype=np.int64), np.int64(0))
        scodes, jcodes = bm[Sall].sum(axis=1), bn[Jall].sum(axis=1)
    else:
        scodes = jcodes = np.zeros(0, dtype=np.int64)
    out = (Sall, scodes, Jall, jcodes, np.concatenate(srows), np.concatenate(jrows), np.array(bounds))
    for arr in out:
        arr.flags.writeable = False
    return out


@lru_cache(maxsize=16)
def _basis_codes(m: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per basis of :func:`_pair_table`: the bit code of its support minus 1 and the bit code of
    its tight set."""
    _, scodes, _, jcodes, srow, jrow, _ = _pair_table(m, n)
    out = (scodes[srow] - 1, jcodes[jrow])
    for arr in out:
        arr.flags.writeable = False
    return out


def _basis_groups(
    M: np.ndarray,
    integer: bool,
    deadline: Deadline | None,
    within: np.ndarray | None,
    flags: dict[str, bool] | None,
    other: np.ndarray | None,
    owner: np.ndarray | None,
    partners: np.ndarray | None = None,
    supports: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Solve the bases ``(S, J)`` that can matter, yielding ``(X, L)`` of the feasible ones
    batch by batch: supports inside some set of ``within``, and with ``other``, viable supports
    and :math:`J \\subseteq N(S)` (:func:`viable_supports`). All sizes go in one stack padded
    with the identity when there are few bases, else one stack per size in chunks of
    :data:`_CHUNK`."""
    m, n = M.shape
    if other is not None and max(m, n, other.shape[0]) > MAX_STRATEGIES:
        other = supports = None
    if math.comb(m + n, m) > _TABLE_MAX:
        yield from _basis_stream(M, integer, deadline, within, flags, other, owner, partners, supports)
        return
    Sall, scodes, Jall, jcodes, srow, jrow, bounds = _pair_table(m, n)
    if supports is not None and other is not None and max(m, n, other.shape[0]) <= BYTE_MAX:
        sb, jb = _basis_codes(m, n)
        idx = selected_bases(supports, sb, jb, n, other.shape[0], within, partners)
    else:
        keep_s, ncodes = _support_filter(M, Sall, scodes, integer, within, other, owner, partners, supports)
        sel = keep_s[srow]
        if ncodes is not None:
            sel &= (jcodes[jrow] & ~ncodes[srow]) == 0
        idx = np.flatnonzero(sel)
    if not len(idx):
        return
    flat = M.ravel()
    if len(idx) <= _PAD_ALL:
        src = np.concatenate([flat, (0.0, 1.0)])
        Kp = int(np.searchsorted(bounds, idx[-1], side="right"))  # the largest size present
        table = _padded_table(m, n)
        if table is not None:
            Gt, St, Rt = table
            G, S, rhs = Gt.take(idx, axis=0), St.take(idx, axis=0), Rt.take(idx, axis=0)
            # the padding is the identity bottom-right, so the top-left Kp block is the system
            G, S, rhs = G[:, :Kp, :Kp], S[:, :Kp], rhs[:, :Kp, None]
        else:
            S, J = Sall[srow[idx], :Kp], Jall[jrow[idx], :Kp]
            G = _padded_index(S, J, m, n)
            rhs = (J < n).astype(float)[:, :, None]
        yield vertices_batch(M, src[G], rhs, S, 1, integer, flags, _size_groups(idx, bounds, Kp))
        return
    cuts = np.searchsorted(idx, bounds)
    for k in range(1, len(bounds)):
        part = idx[cuts[k - 1] : cuts[k]]
        if not len(part):
            continue
        Gk = _gather_table(m, n, k)
        ones = np.ones((min(len(part), _CHUNK), k, 1))
        for start in range(0, len(part), _CHUNK):
            if deadline is not None:
                deadline.check()
            chunk = part[start : start + _CHUNK]
            S = Sall.take(srow[chunk], axis=0)[:, :k]
            if Gk is not None:  # bases are numbered support-major within a size
                sub = flat.take(Gk.take(chunk - bounds[k - 1], axis=0))
            else:
                J = Jall.take(jrow[chunk], axis=0)[:, :k]
                sub = flat.take((S * n)[:, None, :] + J[:, :, None])
            yield vertices_batch(M, sub, ones[: len(chunk)], S, 1, integer, flags)


def pruned_basis_count(
    M: np.ndarray,
    other: np.ndarray,
    owner: np.ndarray,
    integer: bool,
    supports: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> int:
    """How many bases :func:`polytope_vertices` with ``other`` (and ``supports``, no ``within``)
    would solve for this polytope; the size of the unpruned enumeration for shapes it streams."""
    m, n = M.shape
    if math.comb(m + n, m) > _TABLE_MAX or max(m, n, other.shape[0]) > MAX_STRATEGIES:
        return math.comb(m + n, m)
    if supports is not None and max(m, n, other.shape[0]) <= BYTE_MAX:
        sb, jb = _basis_codes(m, n)
        return len(selected_bases(supports, sb, jb, n, other.shape[0], None, None))
    Sall, scodes, _, jcodes, srow, jrow, _ = _pair_table(m, n)
    keep_s, ncodes = _support_filter(M, Sall, scodes, integer, None, other, owner, None, supports)
    assert ncodes is not None
    return int(np.count_nonzero(keep_s[srow] & ((jcodes[jrow] & ~ncodes[srow]) == 0)))


_TABLE_MAX = 400_000  # bases of a shape listed in one table (10×10: 184,756); beyond, streamed


def _support_filter(
    M: np.ndarray,
    Sc: np.ndarray,
    scodes: np.ndarray,
    integer: bool,
    within: np.ndarray | None,
    other: np.ndarray | None,
    owner: np.ndarray | None,
    partners: np.ndarray | None,
    supports: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Which supports ``Sc`` (padded index sets with bit codes ``scodes``) to try, and, with
    ``other``, the bit codes of their columns :math:`N(S)` (see :func:`_basis_groups`); with
    ``supports`` too, those are read from its tables (indexed by code - 1)."""
    m = M.shape[0]
    if other is None:
        keep = _inside_some(Sc, within) if within is not None else np.ones(len(Sc), dtype=bool)
        return keep, None
    if supports is not None:
        at = scodes - 1
        viable, ncodes, orig = supports[0][at], supports[1][at], supports[2][at]
    else:
        viable, ncodes, orig = viable_supports(M, other, scodes, owner, weak=integer)
    if within is not None and partners is not None:
        bits = np.int64(1) << np.arange(max(m, other.shape[0]), dtype=np.int64)
        wout = (~within * bits[:m]).sum(axis=1)  # outside each candidate set
        pcodes = (partners * bits[: other.shape[0]]).sum(axis=1)
        inside = (scodes[:, None] & wout[None, :]) == 0
        viable &= (inside & ((pcodes[None, :] & ~orig[:, None]) == 0)).any(axis=1)
    elif within is not None:
        viable &= _inside_some(Sc, within)
    return viable, ncodes


def _basis_stream(
    M: np.ndarray,
    integer: bool,
    deadline: Deadline | None,
    within: np.ndarray | None,
    flags: dict[str, bool] | None,
    other: np.ndarray | None,
    owner: np.ndarray | None,
    partners: np.ndarray | None,
    supports: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """:func:`_basis_groups` for large shapes: size by size, supports in chunks, without the
    table of every basis (memory), polling the deadline between chunks."""
    m, n = M.shape
    flat = M.ravel()
    big = max(m, n) > 62
    for k in range(1, min(m, n) + 1):
        Sc, Jc = _combos(m, k), _combos(n, k)
        jcodes = None if big else (np.int64(1) << Jc.astype(np.int64)).sum(axis=1)
        per = max(1, _CHUNK // len(Jc))
        for start in range(0, len(Sc), per):
            if deadline is not None:
                deadline.check()
            S = Sc[start : start + per]
            scodes = (
                np.zeros(len(S), dtype=np.int64) if big else (np.int64(1) << S.astype(np.int64)).sum(axis=1)
            )
            keep, ncodes = _support_filter(M, S, scodes, integer, within, other, owner, partners, supports)
            if ncodes is None or jcodes is None:
                a, b = np.nonzero(np.broadcast_to(keep[:, None], (len(S), len(Jc))))
            else:
                a, b = np.nonzero(keep[:, None] & ((jcodes[None, :] & ~ncodes[:, None]) == 0))
            if not len(a):
                continue
            SS, JJ = S[a], Jc[b]
            sub = flat.take((SS * n)[:, None, :] + JJ[:, :, None])
            yield vertices_batch(M, sub, np.ones((len(SS), k, 1)), SS, 1, integer, flags)


def _padded_index(S: np.ndarray, J: np.ndarray, m: int, n: int) -> np.ndarray:
    """Gather indices into ``[M.ravel(), 0, 1]`` of the systems of the bases ``(S, J)`` (padded
    with ``m`` and ``n``): row q is column ``J[q]``, unknown p is row ``S[p]``, and the padding
    is the identity."""
    K = S.shape[1]
    G = (S * n)[:, None, :] + J[:, :, None]
    pad = (S == m)[:, None, :] | (J == n)[:, :, None]
    return np.where(pad, np.where(np.eye(K, dtype=bool), m * n + 1, m * n), G)


@lru_cache(maxsize=16)
def _padded_table(m: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """For small shapes, every basis of :func:`_pair_table` as a padded system: gather indices
    (:func:`_padded_index`, int32), supports and right-hand sides; None when large."""
    Sall, _, Jall, _, srow, jrow, _ = _pair_table(m, n)
    K = Sall.shape[1]
    if len(srow) * K * K > 2_000_000:
        return None
    S, J = Sall[srow], Jall[jrow]
    out = (_padded_index(S, J, m, n).astype(np.int32), S, (J < n).astype(float))
    for arr in out:
        arr.flags.writeable = False
    return out


@lru_cache(maxsize=12)
def _gather_table(m: int, n: int, k: int) -> np.ndarray | None:
    """Flat indices into an ``m × n`` matrix of every basis system of size k, numbered
    support-major as in :func:`_pair_table`: ``G[a * |J| + b, q, p] = S_a[p] n + J_b[q]`` (row q
    of the system is column ``J_b[q]``); None when it would be large (memory)."""
    S, J = _combos(m, k), _combos(n, k)
    if len(S) * len(J) * k * k > 2_000_000 or m * n >= 2**31:
        return None
    G = ((S * n)[:, None, None, :] + J[None, :, :, None]).astype(np.int32).reshape(-1, k, k)
    G.flags.writeable = False
    return G


def _inside_some(Sc: np.ndarray, within: np.ndarray) -> np.ndarray:
    """For each row of index sets ``Sc`` (entries ``m`` are padding), whether it lies inside
    some row (a boolean set) of ``within``."""
    m = within.shape[1]
    if m <= 62:  # as bit codes, without BLAS threads for a tiny product
        bits = np.append(np.int64(1) << np.arange(m, dtype=np.int64), np.int64(0))
        codes = bits[Sc].sum(axis=1)
        outside = (~within * bits[:m]).sum(axis=1)
        return ((codes[:, None] & outside[None, :]) == 0).any(axis=1)
    member = np.zeros((len(Sc), m + 1), dtype=np.float32)
    member[np.arange(len(Sc))[:, None], Sc] = 1.0
    return np.any(member[:, :m] @ (~within).astype(np.float32).T == 0, axis=1)


# -- step 3: completely labelled pairs -----------------------------------------------------------


# -- step 3: completely labelled pairs (see bargaining.solvers.bimatrix) ---------------------------
def complementary_pairs(
    Lp: np.ndarray, Lq: np.ndarray, deadline: Deadline | None
) -> tuple[np.ndarray, np.ndarray]:
    """All (a, b) with ``Lp[a] | Lq[b]`` = every label (bit codes or a matrix product, by blocks), as two
    index arrays in row-major order."""
    if not len(Lp) or not len(Lq):
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    nl = Lp.shape[1]
    if nl <= 62:  # label sets as bit codes: complete iff code_a | code_b has every bit
        bits = np.int64(1) << np.arange(nl, dtype=np.int64)
        cp = (Lp * bits).sum(axis=1)
        cq = (Lq * bits).sum(axis=1)
        full = (np.int64(1) << nl) - 1
        block = max(1, 4_000_000 // len(cq))
        if len(cp) <= block:
            rows, cols = np.nonzero((cp[:, None] | cq[None, :]) == full)
            return rows, cols
        pa, pb = [], []
        for start in range(0, len(cp), block):
            if deadline is not None:
                deadline.check()
            a, b = np.nonzero((cp[start : start + block, None] | cq[None, :]) == full)
            pa.append(a + start)
            pb.append(b)
        return np.concatenate(pa), np.concatenate(pb)
    Up = (~Lp).astype(np.float32)
    Uq = (~Lq).astype(np.float32).T
    block = max(1, 4_000_000 // max(1, len(Lq)))
    pa, pb = [], []
    for start in range(0, len(Up), block):
        if deadline is not None:
            deadline.check()
        a, b = np.nonzero(Up[start : start + block] @ Uq == 0)
        pa.append(a + start)
        pb.append(b)
    return np.concatenate(pa), np.concatenate(pb)
