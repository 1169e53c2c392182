r"""Nash equilibria of game trees: method ``strategic`` (all equilibria through the reduced
strategic form, any number of players) and method ``sequence`` (one equilibrium of a two-player
tree by Lemke's algorithm on the sequence form). Method ``strategic`` lives in
:mod:`bargaining.solvers.tree_strategic` and is re-exported here.

**Strategic form.** The tree's reduced strategic form (:mod:`bargaining.model.strategic`) is solved
by the normal-form solvers (``enummixed`` for two players: all extreme equilibria; ``enumpoly``
or ``enumpure`` for more), and each mixed equilibrium becomes a behaviour profile by Kuhn's theorem
(outcome-equivalent under perfect recall). Profiles that map to the same behaviour are listed once.
The size grows exponentially with the tree, so this is for small trees.

**Sequence form** (Koller, Megiddo & von Stengel 1996; von Stengel 1996). A *sequence* of player
i is the list of its own (information set, action) pairs on a path; a realization plan
:math:`x \ge 0` over sequences satisfies :math:`E x = e` (the empty sequence has weight 1 and the
weight of the sequence leading to :math:`h` is split over :math:`h`'s actions). With the sparse
payoff matrices :math:`A, B` (sum over terminals of chance probability times payoff at the pair of
sequences leading there), an equilibrium is a solution of the LCP

.. math::
    x^\top(-A y + E^\top p) = 0,\quad y^\top(-B^\top x + F^\top q) = 0,\quad
    -A y + E^\top p \ge 0,\ -B^\top x + F^\top q \ge 0,\ Ex = e,\ Fy = f,\ x, y \ge 0,

with free multipliers :math:`p, q` (the players' values at their information sets). After every
terminal payoff is shifted below zero (adding one constant per player keeps the equilibria) the
costs :math:`-A, -B` are non-negative. This is a *mixed* LCP
:math:`w = M_{zz} z + M_{zu} u \ge 0 \perp z = (x, y) \ge 0`, :math:`E_{uz} z = (e, f)`, ``u``
free, solved by :func:`lemke_mixed`: the free variables are pivoted into the basis once and never
leave, the equality rows get artificial slacks fixed at zero, and Lemke's algorithm starts from a
pure realization plan with a covering vector of ones on the rows still held by slacks
(Koller, Megiddo & von Stengel 1996, §4). Ties in the ratio test (degenerate trees: payoff ties,
zero-probability branches) are broken by the lexicographic rule against the basis at the start,
which keeps every row of [rhs, basis inverse] lexicographically positive and so rules out cycling.
**Floats and exact.** ``exact=False`` pivots in floats. ``exact=True`` pivots in floats too, then
makes the final basis exact: the float values rounded to nearby rationals, or else the basis's
equations solved in Fractions by sparse elimination; the result is returned only after the LCP is
checked exactly, and if both fail Lemke is run again in Fractions throughout.
**Dense storage, sparse pivots**: the tableau is a dense array (rows × columns, about
2 × 4 × 10^3 floats at 2,000 nodes) but a pivot only updates the block of rows and columns that
are nonzero in the pivot column and row, which stays small on trees; memory, not time, bounds the
size (a sparse LU would lift it; not built). Behaviour at an information set follows
from the realization plan: :math:`b_h(a) = x(\sigma_h a) / \sum_{a'} x(\sigma_h a')`, and the
first action where that is 0 (a set the player's own plan never reaches: any choice keeps the
equilibrium). Every answer is checked by :mod:`bargaining.verify.tree` (Nash regret).

Koller, Megiddo & von Stengel prove that Lemke's algorithm ends at an equilibrium on their
sequence-form LCP with negative payoffs; the covering vector here is chosen after the start pivots,
a variant of theirs, so the result is not trusted blindly: a ray ending is reported as a failure
(no equilibrium, ``message`` set), and the tests check each answer's regret against the
independent verifier and pygambit (tests/solvers/test_sequence.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import SolverError
from bargaining.model.extensive import ExtensiveGame
from bargaining.model.profile import Solution
from bargaining.solvers.budget import Deadline
from bargaining.solvers.registry import Method, register
from bargaining.solvers.tree_strategic import all_nash_behaviors, strategic

__all__ = ["all_nash_behaviors", "strategic", "SequenceForm", "sequence_form", "lemke_mixed", "sequence"]


# --------------------------------------------------------------------------------------------
# sequence form and Lemke's algorithm
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class SequenceForm:
    """The sequence form of a two-player tree: for player i, ``seqs[i]`` lists its sequences
    (``None`` for the empty one, else ``(infoset, action)``), ``E[i]`` the constraint matrix
    (row 0: empty sequence = 1; one row per information set), ``payoff[i]`` the matrix over
    (sequence of player 1, sequence of player 2), ``weight`` the chance weights of the pairs."""

    game: ExtensiveGame
    seqs: tuple[tuple[Any, ...], tuple[Any, ...]]
    index: tuple[dict, dict]
    E: tuple[np.ndarray, np.ndarray]
    payoff: tuple[np.ndarray, np.ndarray]
    weight: np.ndarray


def sequence_form(game: ExtensiveGame, exact: bool = False) -> SequenceForm:
    """Build the sequence form (Koller, Megiddo & von Stengel 1996, §3)."""
    if game.num_players != 2:
        raise SolverError(f"the sequence form here is for two players; this game has {game.num_players}")
    game.require_perfect_recall("sequence")
    dtype = object if exact else np.float64
    zero = Fraction(0) if exact else 0.0
    conv = (lambda v: Fraction(v)) if exact else float  # noqa: E731
    seqs: list[list[Any]] = [[None], [None]]
    index: list[dict] = [{None: 0}, {None: 0}]
    for i in range(2):
        for k in game.player_infosets[i]:
            for a in range(len(game.infosets[k].actions)):
                index[i][(k, a)] = len(seqs[i])
                seqs[i].append((k, a))
    hist = game.own_history
    Es = []
    for i in range(2):
        ids = game.player_infosets[i]
        E = np.full((1 + len(ids), len(seqs[i])), zero, dtype=dtype)
        E[0, 0] = conv(1)
        for r, k in enumerate(ids, start=1):
            own = hist[game.infosets[k].nodes[0]]
            E[r, index[i][own[-1] if own else None]] = conv(-1)
            for a in range(len(game.infosets[k].actions)):
                E[r, index[i][(k, a)]] = conv(1)
        Es.append(E)
    shape = (len(seqs[0]), len(seqs[1]))
    A = np.full(shape, zero, dtype=dtype)
    B = np.full(shape, zero, dtype=dtype)
    W = np.full(shape, zero, dtype=dtype)
    for z in game.terminals:
        last: list[Any] = [None, None]
        w: Any = conv(1)
        for v, a in game.path(z):
            node = game.nodes[v]
            if node.kind == "chance":
                w = w * conv(node.chance_probs[a])
            else:
                last[node.player] = (node.infoset, a)
        s1, s2 = index[0][last[0]], index[1][last[1]]
        u = game.nodes[z].terminal_payoffs
        A[s1, s2] += w * conv(u[0])
        B[s1, s2] += w * conv(u[1])
        W[s1, s2] += w
    return SequenceForm(
        game, (tuple(seqs[0]), tuple(seqs[1])), (index[0], index[1]), (Es[0], Es[1]), (A, B), W
    )


def lemke_mixed(
    Mzz: np.ndarray,
    Mzu: np.ndarray,
    Euz: np.ndarray,
    e: np.ndarray,
    start: Sequence[int],
    *,
    deadline: Deadline | None = None,
    max_pivots: int = 1_000_000,
    basis_out: list[int] | None = None,
) -> np.ndarray | None:
    """Lemke's algorithm (Lemke 1965) for the mixed LCP of the sequence form:

    ``w = Mzz z + Mzu u >= 0, z >= 0, w.z = 0, Euz z = e`` with free ``u``.

    Start (Koller, Megiddo & von Stengel 1996, §4): ``start[k]`` names, for equality row ``k``, a
    variable of ``z`` such that those variables form a pure realization plan; the free variables
    are pivoted into the rows of these variables, the plan's variables into the equality rows
    (whose artificial slacks then never re-enter), and the covering vector is one on every row
    still held by a slack ``w`` in that basis. Ratio tests skip rows of free variables; ties are
    broken lexicographically. Object arrays of Fractions are pivoted exactly. Returns ``z`` or
    ``None`` (ray, or the budget)."""
    n, k = Mzz.shape[0], Mzu.shape[1]
    exact = Mzz.dtype == object
    one = Fraction(1) if exact else 1.0
    zero = Fraction(0) if exact else 0.0
    rows = n + k
    # columns: w (0..n-1), a (n..n+k-1), z (n+k..2n+k-1), u (2n+k..2n+2k-1), z0, rhs
    ca, cz, cu, c0, cr = n, n + k, 2 * n + k, 2 * n + 2 * k, 2 * n + 2 * k + 1
    T = np.full((rows, cr + 1), zero, dtype=Mzz.dtype)
    for i in range(rows):
        T[i, i] = one  # w for inequality rows, a for equality rows
    T[:n, cz:cu] = -Mzz
    T[:n, cu:c0] = -Mzu
    T[n:, cz:cu] = -Euz
    T[n:, cr] = -e
    basis = list(range(rows))
    tol = 0 if exact else 1e-9
    # free variables into the rows of the start plan's variables
    for j, var in enumerate(start):
        col = cu + j
        cand = [var] + [i for i in range(n) if basis[i] < n and i != var]
        row = next((i for i in cand if basis[i] < n and abs(T[i, col]) > tol), None)
        if row is None:
            return None
        _pivot(T, row, col, exact)
        basis[row] = col
    # the start plan's variables into the equality rows
    for j, var in enumerate(start):
        row = n + j
        col = cz + var
        if abs(T[row, col]) <= tol:
            col = next(
                (cz + v for v in range(n) if abs(T[row, cz + v]) > tol and (cz + v) not in basis), None
            )
            if col is None:
                return None
        _pivot(T, row, col, exact)
        basis[row] = col
    T[:, ca:cz] = zero  # artificial slacks are fixed at zero and never re-enter
    free = {i for i in range(rows) if cu <= basis[i] < c0}
    slack_rows = [i for i in range(rows) if basis[i] < n]
    T[:, c0] = zero
    for i in slack_rows:
        T[i, c0] = -one
    if all(T[i, cr] >= 0 for i in slack_rows):
        return _read_z(T, basis, n, cz, cr, zero, basis_out)
    # Lexicographic rule (Dantzig, Orden & Wolfe 1955; Cottle, Pang & Stone 1992, §4.9) against
    # the basis at the start: the rows of [rhs, Q], Q the current columns of the variables that
    # were basic in the non-free rows at the start (Q = I then), stay lexicographically positive.
    # The first pivot (z0 enters with coefficient -1 on the slack rows) takes the row of the most
    # negative rhs and, among ties, the one latest in Q's order (then every other row of
    # [rhs, Q] becomes [rhs_i - rhs_r, e_i - e_r], lexicographically positive).
    lex_cols = [basis[i] for i in range(rows) if i not in free]
    position = {i: p for p, i in enumerate(i for i in range(rows) if i not in free)}
    low = min(T[i, cr] for i in slack_rows)
    low_tol = 0 if exact else 1e-12 * max(1.0, abs(float(low)))
    row = max((i for i in slack_rows if T[i, cr] <= low + low_tol), key=lambda i: position[i])
    entering = c0
    for _ in range(max_pivots):
        _pivot(T, row, entering, exact)
        leaving = basis[row]
        basis[row] = entering
        if leaving == c0:
            return _read_z(T, basis, n, cz, cr, zero, basis_out)
        entering = leaving + cz if leaving < n else leaving - cz  # complement of w_i is z_i
        if deadline is not None and deadline.expired():
            return None
        col = T[:, entering]
        cand = [i for i in range(rows) if i not in free and col[i] > tol]
        if not cand:
            return None  # secondary ray
        row = _lexmin(T, cand, entering, cr, lex_cols)
    return None


def _read_z(T, basis, n, cz, cr, zero, basis_out):
    if basis_out is not None:  # the final basis, then the values of its variables row by row
        basis_out[:] = list(basis) + list(T[:, cr])
    z = np.array([zero] * n, dtype=T.dtype)
    for i, v in enumerate(basis):
        if cz <= v < cz + n:
            z[v - cz] = T[i, cr]
    return z


def _exact_from_float_basis(Mzz, Mzu, Euz, e, start, deadline: Deadline) -> np.ndarray | None:
    """Run Lemke in floats, then make the final basic solution exact; ``None`` if that is not an
    exact solution (then the caller pivots exactly).

    First the float values are rounded to nearby rationals (denominators up to 10^6) and checked;
    if that fails, the basis's equations are solved in Fractions (sparse elimination). Either way
    the answer is returned only after the LCP itself is checked exactly (:func:`_check_exact`), so
    a wrong guess costs time, never correctness."""
    n, k = Mzz.shape[0], Mzu.shape[1]
    out: list = []
    f = lambda m: np.array(m, dtype=np.float64)  # noqa: E731
    zf = lemke_mixed(f(Mzz), f(Mzu), f(Euz), f(e), start, deadline=deadline, basis_out=out)
    if zf is None:
        return None
    rows = n + k
    basis, approx = out[:rows], out[rows:]
    zero = Fraction(0)
    cz, cu, c0 = n + k, 2 * n + k, 2 * n + 2 * k
    if any(v >= c0 for v in basis):
        return None

    def split(values):
        z, u = [zero] * n, [zero] * k
        for v, x in zip(basis, values):
            if cz <= v < cu:
                z[v - cz] = x
            elif cu <= v < c0:
                u[v - cu] = x
            elif n <= v < cz and x != 0:
                return None  # an artificial slack must be zero
        return z, u

    guess = split([_rational_guess(x) for x in approx])
    if guess is not None and _check_exact(Mzz, Mzu, Euz, e, *guess):
        return np.array(guess[0], dtype=object)
    # the basis's equations: column of each basic variable in [w; a] = [Mzz z + Mzu u; Euz z - e]
    eqs: list[dict[int, Fraction]] = [dict() for _ in range(rows)]
    for j, v in enumerate(basis):
        if v < cz:  # w or a: a unit column
            eqs[v][j] = Fraction(1)
            continue
        if v < cu:
            col = [-Mzz[i, v - cz] for i in range(n)] + [-Euz[i, v - cz] for i in range(k)]
        else:
            col = [-Mzu[i, v - cu] for i in range(n)] + [zero] * k
        for i, x in enumerate(col):
            if x:
                eqs[i][j] = Fraction(x)
    rhs = [zero] * n + [-Fraction(x) for x in e]
    values = _solve_sparse(eqs, rhs)
    if values is None:
        return None
    exact = split(values)
    if exact is None or not _check_exact(Mzz, Mzu, Euz, e, *exact):
        return None
    return np.array(exact[0], dtype=object)


def _rational_guess(x: float) -> Fraction:
    """The simplest rational within the float's reach: denominator at most 10^6."""
    return Fraction(float(x)).limit_denominator(10**6)


def _check_exact(Mzz, Mzu, Euz, e, z: list, u: list) -> bool:
    """Whether ``(z, u)`` solves the mixed LCP exactly: ``z >= 0``, ``w = Mzz z + Mzu u >= 0``,
    ``w.z = 0`` and ``Euz z = e``."""
    if any(x < 0 for x in z):
        return False
    nz = [j for j, x in enumerate(z) if x]
    nu = [j for j, x in enumerate(u) if x]
    zv = np.array([z[j] for j in nz], dtype=object)
    uv = np.array([u[j] for j in nu], dtype=object)
    w = np.zeros(Mzz.shape[0], dtype=object)
    if nz:
        w = w + np.dot(Mzz[:, nz].astype(object), zv)
    if nu:
        w = w + np.dot(Mzu[:, nu].astype(object), uv)
    if any(x < 0 or (x and z[i]) for i, x in enumerate(w)):
        return False
    lhs = np.dot(Euz[:, nz].astype(object), zv) if nz else np.zeros(Euz.shape[0], dtype=object)
    return all(a == b for a, b in zip(lhs, e))


def _solve_sparse(eqs: list[dict[int, Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Solve the square system ``sum_j eqs[i][j] x_j = rhs[i]`` in Fractions by Gaussian
    elimination on sparse rows (dicts), choosing the pivot column with the fewest entries in each
    row (a Markowitz-style rule that keeps the fill-in small); ``None`` if singular."""
    n = len(eqs)
    rows = [dict(r) for r in eqs]
    b = list(rhs)
    where: dict[int, set[int]] = {}
    for i, row in enumerate(rows):
        for j in row:
            where.setdefault(j, set()).add(i)
    done: list[tuple[int, int]] = []
    alive = set(range(n))
    while alive:
        i = min(alive, key=lambda r: (len(rows[r]), r))
        if not rows[i]:
            return None
        j = min(rows[i], key=lambda c: (len(where[c]), c))
        alive.discard(i)
        piv = rows[i][j]
        for r in list(where[j]):
            if r == i or r not in alive:
                continue
            f = rows[r][j] / piv
            for c, a in rows[i].items():
                y = rows[r].get(c, 0) - f * a
                if y:
                    if c not in rows[r]:
                        where.setdefault(c, set()).add(r)
                    rows[r][c] = y
                elif c in rows[r]:
                    del rows[r][c]
                    where[c].discard(r)
            b[r] -= f * b[i]
        done.append((i, j))
    x: list[Fraction] = [Fraction(0)] * n
    for i, j in reversed(done):  # back substitution
        acc = b[i] - sum(v * x[c] for c, v in rows[i].items() if c != j)
        x[j] = acc / rows[i][j]
    return x


def _pivot(T: np.ndarray, row: int, col: int, exact: bool) -> None:
    """Gauss–Jordan pivot: column ``col`` becomes the unit vector of ``row`` (the tableau holds
    ``T[:, :-1] @ variables = T[:, -1]``, basic columns forming an identity).

    Only the rows with a nonzero entry in ``col`` and the columns with a nonzero entry in the
    pivot row change (``x - 0 * y == x``), and the sequence-form tableau stays sparse (a few
    percent of the rows and columns per pivot on random trees), so only that block is updated."""
    piv = T[row, col]
    cols = np.flatnonzero(T[row])
    T[row, cols] = T[row, cols] / piv
    factors = T[:, col].copy()
    factors[row] = 0
    rows = np.flatnonzero(factors)
    if exact:
        prow = T[row, cols]
        for i in rows:
            T[i, cols] = T[i, cols] - factors[i] * prow
    elif rows.size:
        block = T[np.ix_(rows, cols)] - np.outer(factors[rows], T[row, cols])
        block[np.abs(block) < _CHOP] = 0.0
        T[np.ix_(rows, cols)] = block
        T[rows, col] = 0.0
    if not exact:
        T[row, col] = 1.0


_TIE = 1e-9  # float ratios this close (relative) are a tie: round-off must not break degeneracy
_CHOP = 1e-11  # float tableau entries this small after a pivot are round-off of an exact zero


def _lexmin(T: np.ndarray, cand: list[int], col: int, rhs: int, lex_cols: list[int]) -> int:
    """Minimum ratio rhs_i / T[i, col] over candidate rows, ties broken lexicographically by the
    columns of the initial basis (rows of the basis inverse)."""
    rows = cand
    for key in [rhs] + lex_cols:
        vals = [T[i, key] / T[i, col] for i in rows]
        best = min(vals)
        tol = 0 if T.dtype == object else _TIE * max(1.0, abs(float(best)))
        rows = [i for i, v in zip(rows, vals) if v <= best + tol]
        if len(rows) == 1:
            return rows[0]
    return rows[0]


def _behavior_from_plan(sf: SequenceForm, i: int, x: np.ndarray, exact: bool) -> tuple:
    game = sf.game
    one, zero = (Fraction(1), Fraction(0)) if exact else (1.0, 0.0)
    out = []
    for k in game.player_infosets[i]:
        h = game.infosets[k]
        m = len(h.actions)
        # the children's total equals the parent sequence's weight in a realization plan; it is
        # the safe normaliser when the LCP's relaxed constraint E x >= e leaves slack
        parent = sum(x[sf.index[i][(k, a)]] for a in range(m))
        if parent > (0 if exact else 1e-12):
            probs = [x[sf.index[i][(k, a)]] / parent for a in range(m)]
            if not exact:
                probs = [max(0.0, float(p)) for p in probs]
                total = sum(probs)
                probs = [p / total for p in probs]
            out.append(tuple(probs))
        else:
            out.append(tuple(one if a == 0 else zero for a in range(m)))
    return tuple(out)


def sequence(game: ExtensiveGame, *, deadline: Deadline = Deadline.NONE, exact: bool = False) -> Solution:
    """One Nash equilibrium of a two-player tree by Lemke's algorithm on the sequence form
    (Koller, Megiddo & von Stengel 1996). Dense tableau; exact with ``exact=True``."""
    from bargaining.solvers.treeprofile import tree_equilibrium

    g = game.as_exact() if exact else game.as_float()
    sf = sequence_form(g, exact=exact)
    E, F = sf.E
    A, B = sf.payoff
    W = sf.weight
    n1, n2 = A.shape
    k1, k2 = E.shape[0], F.shape[0]
    conv = Fraction if exact else float
    pm = g.payoff_matrix
    c1 = conv(int(np.ceil(pm[:, 0].max())) + 1) if pm.size else conv(1)
    c2 = conv(int(np.ceil(pm[:, 1].max())) + 1) if pm.size else conv(1)
    negA = c1 * W - A  # >= 0: the costs of player 1 after shifting every payoff below zero
    negB = c2 * W - B
    n = n1 + n2
    dtype = object if exact else np.float64
    zero = conv(0)
    Mzz = np.full((n, n), zero, dtype=dtype)
    Mzz[:n1, n1:] = negA
    Mzz[n1:, :n1] = negB.T
    Mzu = np.full((n, k1 + k2), zero, dtype=dtype)
    Mzu[:n1, :k1] = -E.T
    Mzu[n1:, k1:] = -F.T
    Euz = np.full((k1 + k2, n), zero, dtype=dtype)
    Euz[:k1, :n1] = E
    Euz[k1:, n1:] = F
    e = np.full(k1 + k2, zero, dtype=dtype)
    e[0] = conv(1)
    e[k1] = conv(1)

    # start: the pure plan "first action everywhere" (the empty sequences and each set's first
    # action); if float pivoting ends on a ray (round-off on a long degenerate path), once more
    # from "last action everywhere" before giving up
    def plan(pick) -> list[int]:
        out = [0] + [sf.index[0][(h, pick(h))] for h in g.player_infosets[0]]
        return out + [n1] + [n1 + sf.index[1][(h, pick(h))] for h in g.player_infosets[1]]

    starts = [plan(lambda h: 0), plan(lambda h: len(g.infosets[h].actions) - 1)]
    z = None
    for start in starts:
        if exact:  # pivot in floats, then solve the final basis exactly (much faster than Fractions)
            z = _exact_from_float_basis(Mzz, Mzu, Euz, e, start, deadline)
        else:
            z = lemke_mixed(Mzz, Mzu, Euz, e, start, deadline=deadline)
        if z is not None or deadline.expired():
            break
    if z is None and exact and not deadline.expired():  # Lemke in Fractions throughout
        z = lemke_mixed(Mzz, Mzu, Euz, e, starts[0], deadline=deadline)
    if z is None:
        msg = deadline.message() if deadline.expired() else "Lemke's algorithm ended on a ray"
        return Solution(
            game=game,
            concept="nash",
            method="sequence",
            equilibria=(),
            complete=False,
            exact=bool(exact),
            message=msg,
        )
    ox, oy, op = 0, n1, n
    x, y = z[ox:oy], z[oy:op]
    behavior = (_behavior_from_plan(sf, 0, x, exact), _behavior_from_plan(sf, 1, y, exact))
    eq = tree_equilibrium(g, behavior, concept="nash")
    return Solution(
        game=game,
        concept="nash",
        method="sequence",
        equilibria=(eq,),
        complete=False,
        exact=bool(exact),
        extra={"scope": "one equilibrium (Lemke on the sequence form)"},
    )


register(
    Method(
        name="sequence",
        kinds=("tree",),
        concept="nash",
        function=sequence,
        summary="one Nash equilibrium of a 2-player tree: Lemke on the sequence form "
        "(dense, to ~2,000 nodes)",
        players="2",
    )
)
