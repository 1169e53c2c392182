r"""Which bases of a best-response polytope can hold a vertex of an extreme equilibrium:
conditional strict dominance, after Porter, Nudelman and Shoham (2008), "Simple search methods
for finding a Nash equilibrium", *Games and Economic Behavior* 63, §3 (their test that no
strategy of a support is conditionally dominated given the other player's possible supports).

Take the polytope :math:`P = \{x \ge 0 : M^\top x \le 1\}` of one player (the rows, ``M`` the
*opponent's* payoffs made positive, one column per opposing strategy) and let ``O`` be the
positive payoffs of this player, one row per opposing strategy (``O[j, i]``: this player's payoff
for row i against column j; :math:`O = M_Q` for :math:`P` and :math:`O = M_P` for :math:`Q`).
For a support :math:`S` of rows write

- :math:`N(S)`: the columns :math:`j` that no column :math:`j'` strictly dominates given
  :math:`S` (:math:`M_{ij'} > M_{ij}` for every :math:`i \in S`);
- :math:`S` is *viable* if no row :math:`i \in S` is strictly dominated on :math:`N(S)` by a
  row :math:`i'` (:math:`O_{ji'} > O_{ji}` for every :math:`j \in N(S)`).

**Claim.** Let :math:`(x, y)` be an extreme equilibrium (a completely labelled pair of vertices,
``bimatrix`` module docstring) and :math:`S = \operatorname{supp}(x)`. Then :math:`S` is viable
and :math:`x` is the solution of a basis :math:`(S, J)` with :math:`J \subseteq N(S)`,
:math:`|J| = |S|`. So solving only those bases loses no extreme equilibrium, in degenerate games
too; the pruning only drops vertices, so every completely labelled pair found is still an
equilibrium.

*Proof.* (i) A vertex :math:`x` with support :math:`S` has :math:`m` linearly independent tight
constraints; dropping the :math:`m - |S|` constraints :math:`x_i = 0`, :math:`i \notin S`,
leaves tight columns whose restriction to :math:`S` has rank :math:`|S|` (otherwise :math:`x`
could move inside the face), so some :math:`J` of :math:`|S|` tight columns has
:math:`M_{SJ}` nonsingular. (ii) Every tight column lies in :math:`N(S)`: if :math:`j'`
dominates :math:`j` given :math:`S`, then since :math:`x_S > 0`,
:math:`(M^\top x)_j < (M^\top x)_{j'} \le 1`. So :math:`J \subseteq N(S)`. (iii) Complete
labels: each column :math:`j` with :math:`y_j > 0` misses label :math:`m + j` in :math:`Q` so it
is tight at :math:`x`; hence :math:`T = \operatorname{supp}(y) \subseteq N(S)`, and
:math:`y \ne 0`. Each row :math:`i \in S` misses label :math:`i` in :math:`P`, so it is a best
response to :math:`y` (:math:`(O^\top y)_i = 1 = \max`). If :math:`i'` dominated :math:`i` on
:math:`N(S) \supseteq T`, then :math:`(O^\top y)_{i'} > (O^\top y)_i` as :math:`y \ge 0` is
nonzero on :math:`T`: a contradiction. So :math:`S` is viable. The same holds for :math:`Q` with
the players' roles swapped. ∎

*The second polytope.* Once the vertices of :math:`P` are known, a support :math:`T` of
:math:`Q` is tried only if some vertex :math:`x` of :math:`P` has :math:`T \subseteq J(x)` and
:math:`\operatorname{supp}(x) \subseteq N(T)`: by (iii) the partner's support lies in the
tight set of :math:`x`, and every row of :math:`\operatorname{supp}(x)` is a tight row of
:math:`y`, which by (ii) applied to :math:`Q` lies in :math:`N(T)`. Since the pruning of
:math:`P` keeps every equilibrium vertex :math:`x`, the partner of each is still found.

*Integer payoffs* (compared exactly) allow more: a vertex is found from a basis whose
:math:`S` is its exact support (i), so :math:`x_S > 0`, and then a column :math:`j'` that is
:math:`\ge` column :math:`j` on every row of :math:`S` and :math:`>` on one gives
:math:`(M^\top x)_{j'} > (M^\top x)_j`: :math:`j` cannot be tight either. So for integer
:math:`M`, :math:`N(S)` also leaves out the columns *weakly* dominated given :math:`S`
(``weak=True``); bases whose support is not the exact support of their solution are dropped,
their vertex is found from its exact-support basis. (Rows are still tested for strict dominance:
the support of :math:`y` is only known to lie inside :math:`N(S)`.)

*Float games.* The float path works on payoffs normalised to [1, 2] whose distinct values are at
least ``MIN_RESOLUTION`` (1e-6) apart (else it solves exactly), and labels within 1e-9. A strict
dominance there is by at least 1e-6 per entry, and :math:`\mathbf 1^\top x \ge 1/2` at a vertex,
so a dominated column has slack at least 5e-7 and a dominated row a payoff gap at least 5e-7:
neither can be read as tight within the label tolerance, and the argument above holds for the
labels the float path reads. Integer payoffs are compared exactly.

*Pairs of supports* (:func:`pair_viable`, the test of Porter, Nudelman and Shoham on both
players at once). In an extreme equilibrium :math:`(x, y)` with :math:`S = \operatorname{supp}(x)`
and :math:`T = \operatorname{supp}(y)`, (iii) gives :math:`T \subseteq N_P(S)`, and the same
argument for :math:`Q` (every row of :math:`S` is a label of :math:`y`, i.e. a tight row of
:math:`Q`, and tight rows lie in :math:`N_Q(T)` by (ii)) gives :math:`S \subseteq N_Q(T)`; both
:math:`S` and :math:`T` are viable. So a support :math:`S` of :math:`P` without such a partner
:math:`T` (and a support of :math:`Q` without such an :math:`S`) holds no vertex of an extreme
equilibrium *as its exact support*; since the vertex is found from the basis on its exact
support ((i)), dropping those supports loses no extreme equilibrium, in degenerate games too.
The integer (weak) and float (resolution) versions of :math:`N` are used exactly as above, on
the exact supports :math:`S` and :math:`T`.

Identical columns of ``M`` may have been merged (``owner``): identical columns share their
dominance status, and rows are tested on every original column of :math:`N(S)`.

The tests are bit operations on codes (sets of at most 62 strategies): ``mask[j, j']`` is the set
of rows where :math:`j'` beats :math:`j`, and :math:`j` is dominated given :math:`S` iff
:math:`S \setminus \mathrm{mask}[j, j'] = \emptyset` for some :math:`j'`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["viable_supports", "pair_viable", "selected_bases", "MAX_STRATEGIES", "PAIR_MAX", "BYTE_MAX"]

MAX_STRATEGIES = 62  # supports and column sets as int64 bit codes
BYTE_MAX = 8  # up to this many strategies per player, codes are bytes and tests table look-ups
PAIR_MAX = 16  # pair_viable for m + n up to this (a 2^m x 2^n table of int64 codes)


def _beats(M: np.ndarray, strict: bool = True) -> np.ndarray:
    """``mask[j, j']``: bit code of the rows ``i`` with ``M[i, j'] > M[i, j]`` (``>=`` unless
    ``strict``)."""
    m, n = M.shape
    gt = M[:, None, :] > M[:, :, None] if strict else M[:, None, :] >= M[:, :, None]  # [i, j, j']
    bits = np.int64(1) << np.arange(m, dtype=np.int64)
    return (bits @ gt.reshape(m, n * n).astype(np.int64)).reshape(n, n)


def viable_supports(
    M: np.ndarray,
    O: np.ndarray,
    codes: np.ndarray,
    owner: np.ndarray | None = None,
    weak: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each support (``codes``: bit codes of rows of ``M``, ``m × n'``): whether it is
    viable and the bit codes of :math:`N(S)` over the columns of ``M`` and over the original
    columns (see the module docstring). ``O`` (``n × m``) holds this player's payoffs against
    each original opposing strategy; ``owner[j]`` is the column of ``M`` of original column j
    (identity when ``None``).
    ``weak`` (for exactly compared, integer ``M``) drops from :math:`N(S)` the columns weakly
    dominated given :math:`S` too."""
    m, n_merged = M.shape
    n = O.shape[0]
    if owner is None:
        owner = np.arange(n_merged)
    bits_m = np.int64(1) << np.arange(m, dtype=np.int64)
    gt = _beats(M)  # (n', n')
    if weak:
        # j dominated iff some j' is >= on all of S and > somewhere on S
        ge = _beats(M, strict=False)
        dom = ((codes[:, None, None] & ~ge[None]) == 0) & ((codes[:, None, None] & gt[None]) != 0)
        N = ~dom.any(axis=2)
    else:
        # column j dominated given S iff some j' has S inside mask[j, j']
        N = ((codes[:, None, None] & ~gt[None]) != 0).all(axis=2)  # (A, n') undominated
    bits_n = np.int64(1) << np.arange(n, dtype=np.int64)
    orig = (N[:, owner] * bits_n).sum(axis=1)  # N(S) over the original columns
    rmask = _beats(O)  # (m, m): columns where row i' beats row i
    rdom = ((orig[:, None, None] & ~rmask[None]) == 0).any(axis=2)  # (A, m)
    viable = ~(rdom & ((codes[:, None] & bits_m) != 0)).any(axis=1)
    return viable, N @ bits_n[:n_merged], orig


def pair_viable(
    MP: np.ndarray,
    MQ: np.ndarray,
    OP: np.ndarray,
    OQ: np.ndarray,
    own_p: np.ndarray | None,
    own_q: np.ndarray | None,
    weak_p: bool,
    weak_q: bool,
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """:func:`viable_supports` for every nonempty support of both polytopes (``MP``: ``m × n'``
    with original opposing payoffs ``OP`` (``n × m``) and column owners ``own_p``; ``MQ``: ``n × m'``
    likewise), with the pair test of the module docstring: a support of :math:`P` is kept only if
    some viable support :math:`T` of :math:`Q` has :math:`T \\subseteq N_P(S)` and
    :math:`S \\subseteq N_Q(T)`, and conversely. Returns per polytope ``(keep, ncodes, orig)``
    indexed by ``code - 1`` (``code`` the bit code of the support), as :func:`viable_supports`."""
    m, n = MP.shape[0], MQ.shape[0]
    if max(m, n) <= BYTE_MAX:  # codes as bytes, subset tests by table look-up
        if m == n == MP.shape[1] == MQ.shape[1] and weak_p == weak_q:  # square, nothing merged
            (vp, vq), (Np, Nq) = _viable_square(np.stack((MP, MQ)), np.stack((OP, OQ)), weak_p)
            op, oq = Np, Nq
        else:
            vp, Np, op = _viable_all(MP, OP, own_p, weak_p)
            vq, Nq, oq = _viable_all(MQ, OQ, own_q, weak_q)
        sp, tq = np.flatnonzero(vp), np.flatnonzero(vq)
        ok = _subset_table(n)[(tq + 1)[None, :], op[sp][:, None]]
        ok &= _subset_table(m)[(sp + 1)[:, None], oq[tq][None, :]]
    else:
        cs = np.arange(1, 1 << m, dtype=np.int64)
        ct = np.arange(1, 1 << n, dtype=np.int64)
        vp, Np, op = viable_supports(MP, OP, cs, own_p, weak_p)
        vq, Nq, oq = viable_supports(MQ, OQ, ct, own_q, weak_q)
        sp, tq = np.flatnonzero(vp), np.flatnonzero(vq)
        ok = ((ct[tq][None, :] & ~op[sp][:, None]) == 0) & ((cs[sp][:, None] & ~oq[tq][None, :]) == 0)
    kp = np.zeros((1 << m) - 1, dtype=bool)
    kq = np.zeros((1 << n) - 1, dtype=bool)
    kp[sp] = ok.any(axis=1)
    kq[tq] = ok.any(axis=0)
    return (kp, Np, op), (kq, Nq, oq)


@lru_cache(maxsize=16)
def _subset_table(k: int) -> np.ndarray:
    """``sub[S, G]``: whether the set with bit code S lies inside the set with code G, for all
    codes below ``2**k`` (k <= 8)."""
    c = np.arange(1 << k)
    out = (c[:, None] & ~c[None, :]) == 0
    out.flags.writeable = False
    return out


@lru_cache(maxsize=16)
def _members(k: int) -> np.ndarray:
    """``mem[S, i]``: whether bit i is in the code S (codes below ``2**k``)."""
    out = ((np.arange(1 << k)[:, None] >> np.arange(k)[None, :]) & 1).astype(bool)
    out.flags.writeable = False
    return out


def _viable_all(
    M: np.ndarray, O: np.ndarray, owner: np.ndarray | None, weak: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`viable_supports` for every nonempty support (row ``code - 1`` for the code),
    for at most 8 rows and 8 original columns: the same tests, on byte codes through the
    subset table (:func:`_viable_stack` on a stack of one)."""
    viable, ncodes, orig = _viable_stack(M[None], O[None], owner, weak)
    return viable[0], ncodes[0], orig[0]


def selected_bases(
    supports: tuple[np.ndarray, np.ndarray, np.ndarray],
    sb: np.ndarray,
    jb: np.ndarray,
    n: int,
    n0: int,
    within: np.ndarray | None,
    partners: np.ndarray | None,
) -> np.ndarray:
    """Indices of the bases ``(S, J)`` to solve (``sb``: code of S minus 1, ``jb``: code of J,
    per basis; ``n`` columns, ``n0`` original opposing strategies, both at most
    :data:`BYTE_MAX`, as the rows): S kept by ``supports`` (:func:`pair_viable`),
    :math:`J \\subseteq N(S)`, and with ``within`` (one candidate set of rows per vertex of the
    other polytope) S inside some ``within[v]`` with ``partners[v]`` inside the original columns
    of :math:`N(S)` (the test of the module docstring, "The second polytope")."""
    keep, ncodes, orig = supports
    m = within.shape[1] if within is not None else 0
    if within is not None:
        fits = _supersets(m)[np.packbits(within, axis=1, bitorder="little")[:, 0]]  # (V, codes)
        if partners is not None:  # partners[v] inside the original columns of N(S)
            pc = np.packbits(partners, axis=1, bitorder="little")[:, 0]
            fits &= _subset_table(n0)[pc].take(orig, axis=1)
        keep = keep & fits.any(axis=0)
    nc = np.where(keep, ncodes, 0)  # a dropped support fits no J (J is never empty)
    return np.flatnonzero(_subset_table(n)[jb, nc[sb]])


def _viable_square(M: np.ndarray, O: np.ndarray, weak: bool) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_viable_stack` for square polytopes without merged columns (``orig`` = ``ncodes``)."""
    viable, ncodes, _ = _viable_stack(M, O, None, weak)
    return viable, ncodes


def _viable_stack(
    M: np.ndarray, O: np.ndarray, owner: np.ndarray | None, weak: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`viable_supports` for every nonempty support of a stack of ``b`` polytopes of one
    shape (``M``: ``(b, m, n')``, ``O``: ``(b, n, m)``, at most 8 rows and 8 original columns):
    ``viable``, ``ncodes``, ``orig``, each ``(b, 2**m - 1)``, the support with code S in column
    ``S - 1``. Weak domination given S (``weak``) is S inside the rows where :math:`j'` is at
    least :math:`j` and not inside the rows where they are equal (then S meets the strict ones).
    The supports run along the last axis (rows of the transposed subset table)."""
    m = M.shape[1]
    n = O.shape[1]
    inside = _supersets(m)  # [G, S - 1]: S inside G
    gt = M[:, :, None, :] > M[:, :, :, None]  # [b, i, j, j']
    if weak:
        ge = M[:, :, None, :] >= M[:, :, :, None]
        c = np.packbits(np.stack((ge, ge & ~gt)), axis=2, bitorder="little")  # (2, b, 1, n', n')
        dom = inside[c[0, :, 0]] & ~inside[c[1, :, 0]]  # (b, j, j', A)
    else:
        dom = inside[np.packbits(gt, axis=1, bitorder="little")[:, 0]]
    N = ~dom.any(axis=2)  # (b, n', A)
    ncodes = np.packbits(N, axis=1, bitorder="little")[:, 0]  # (b, A)
    orig = ncodes if owner is None else np.packbits(N[:, owner], axis=1, bitorder="little")[:, 0]
    # [b, i, i']: the original columns where row i' beats row i
    rmask = np.packbits(O[:, :, None, :] > O[:, :, :, None], axis=1, bitorder="little")[:, 0]
    # for row i, the column sets on which some row beats it, then read at N(S)
    beaten = _subset_table(n).T[rmask].any(axis=2)  # (b, m, 2^n)
    rdom = np.take_along_axis(beaten, orig[:, None, :].astype(np.intp), axis=2)  # (b, m, A)
    viable = ~(rdom & _members(m)[1:].T).any(axis=1)
    return viable, ncodes.astype(np.int64), orig.astype(np.int64)


@lru_cache(maxsize=16)
def _supersets(k: int) -> np.ndarray:
    """``out[G, S - 1]``: whether the set with code S (1 .. 2^k - 1) lies inside the set with
    code G, rows contiguous."""
    out = np.ascontiguousarray(_subset_table(k).T[:, 1:])
    out.flags.writeable = False
    return out
