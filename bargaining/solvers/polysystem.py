r"""Certified solving of one support's indifference system by simplicial subdivision.

For a support profile :math:`T` the equilibria with exactly that support are the points
:math:`\sigma \in \prod_j \Delta(T_j)` with :math:`v_i(a) = v_i(b)` for :math:`a, b \in T_i` and
:math:`v_i(t) \le v_i(b)` for :math:`t \notin T_i`, where :math:`v_i(a) = u_i(a, \sigma_{-i})`.
Every such function is multilinear in :math:`(\sigma_j)_{j \ne i}`, so over a product of simplices
:math:`\prod_j \operatorname{conv}(P_j)` its minimum and maximum are attained at a vertex
combination (a multilinear form is affine in each block, and an affine function on a polytope
is extremal at a vertex). This gives two certificates (branch and bound over products of
simplices; Kearfott 1996, *Rigorous Global Search*, ch. 5; Moore, Kearfott & Cloud 2009,
*Introduction to Interval Analysis*, §8):

* **exclusion** — if some :math:`v_i(a) - v_i(b)` (:math:`a, b \in T_i`) has one strict sign at
  every vertex combination, or some :math:`v_i(t) - v_i(b)` (:math:`t \notin T_i`) is strictly
  positive at every vertex combination, the cell holds no equilibrium with support :math:`T`;
* **existence and uniqueness** — the Krawczyk operator (Krawczyk 1969; Moore et al. 2009, Thm.
  8.2) :math:`K(X) = m - Y F(m) + (I - Y F'(X))(X - m)` on a box :math:`X` of free
  probabilities: :math:`K(X) \subset \operatorname{int} X` proves exactly one root of the square
  system :math:`F` in :math:`X`; :math:`K(X) \cap X = \emptyset` proves none.

Vertex values are computed in floating point from dyadic vertices (exact in binary) and count
only beyond an a-priori rounding bound (:math:`10^{-11}` times the largest absolute payoff, far
above :math:`\gamma_N \sum |\text{terms}|` for the :math:`N \le 100` operations of one value;
Higham 2002, *Accuracy and Stability of Numerical Algorithms*, §3.1). The Krawczyk test
evaluates :math:`F(m)` exactly (Fractions), bounds :math:`F'(X)` by its vertex values widened by
the same rounding bound, and does the interval algebra in exact rational arithmetic. Cells are
bisected along the longest edge of the widest player's simplex. A support is ``"decided"`` when
every cell is excluded or holds one certified root; cells that stay undecided (singular roots,
continua) after a cell budget make it ``"undecided"`` and the caller falls back to Gröbner bases.

Cost: the Farkas LPs (tiny, ~20 × 30) go to one reusable HiGHS instance through scipy's binding,
since ``linprog``'s input checks cost several times the solve; the multipliers of the last
excluded cell are tried on the next before any LP; a child cell reuses its parent's vertex values
for the player whose simplex was split (they do not depend on it); the exact Krawczyk test runs
only where a float preview says it could prove inclusion or exclusion ("unknown" is always sound:
the cell is split further).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.solvers.budget import Deadline

__all__ = ["SupportSolver", "GameTables"]

_ROUND = 1e-11  # a-priori bound on float rounding, relative to the largest |payoff|


class GameTables:
    """Per-game data shared by the :class:`SupportSolver` of every support profile: player i's
    payoff tensor with axis i first, and the a-priori rounding bound of each player's values."""

    def __init__(self, Uf: np.ndarray):
        n = Uf.shape[0]
        self.moved = [np.moveaxis(Uf[i], i, 0) for i in range(n)]
        self.strategies = [np.arange(m) for m in Uf.shape[1:]]
        self.err = [_ROUND * max(1.0, float(np.max(np.abs(Uf[i])))) for i in range(n)]


class SupportSolver:
    """Subdivision solver for the indifference system of one support profile.

    ``U`` is the exact payoff tensor (Fractions), ``Uf`` its float copy, ``supports`` the
    support profile. :meth:`solve` returns ``(status, roots)``: status ``"decided"`` with every
    root of the system in the closed simplex product (each as a list of per-player float
    probability vectors over the full strategy sets, certified unique in a small box), or
    ``"undecided"``.
    """

    def __init__(
        self,
        U: np.ndarray,
        Uf: np.ndarray,
        supports,
        max_cells: int | None = None,
        use_lp: bool = True,
        tables: GameTables | None = None,
    ):
        self.U, self.Uf = U, Uf
        self.use_lp = use_lp
        self.T = [list(s) for s in supports]
        self.n = Uf.shape[0]
        self.shape = Uf.shape[1:]
        n, T = self.n, self.T
        tables = tables if tables is not None else GameTables(Uf)
        # A_i: player i's payoffs on (all of S_i) x T_{-i}, axis i first
        self.A = []
        for i in range(n):
            idx = [T[j] for j in range(n) if j != i]
            self.A.append(tables.moved[i][np.ix_(tables.strategies[i], *idx)])
        self.err = tables.err
        self._perm = (0, n - 1, *range(1, n - 1))  # last axis to position 1 (n axes in _values)
        self.outside = [[t for t in range(self.shape[i]) if t not in T[i]] for i in range(n)]
        self.movers = [j for j in range(n) if len(T[j]) >= 2]
        self.k = sum(len(T[j]) - 1 for j in self.movers)
        self._Vs: list[np.ndarray] = []
        self._last_y: np.ndarray | None = None  # multipliers of the last Farkas exclusion
        self.cells = 0  # cells examined by the last solve (a diagnostic)
        # generic random games up to 3x3x3x3 need at most ~170 cells per support; a support
        # beyond the budget is degenerate (a continuum, a singular root): Gröbner bases decide it
        self.max_cells = max_cells if max_cells is not None else 60 * (self.k + 1)

    def root_excluded(self) -> bool:
        """True when the exclusion tests prove that the whole simplex product holds no
        equilibrium with support T (the first step of :meth:`solve`, alone)."""
        return self._excluded([np.eye(len(t)) for t in self.T])

    # ---------------------------------------------------------------- vertex values
    def _values(self, i: int, P: list[np.ndarray]) -> np.ndarray:
        """``v_i(a)`` for every a in S_i at every vertex combination of the others' cells:
        shape ``(m_i, prod_{j != i} rows(P_j))``."""
        out = self.A[i]
        # contract the last opponent axis and rotate the new vertex axis to position 1: after
        # all opponents the vertex axes are in player order (matmul: far cheaper than tensordot;
        # a precomputed transpose: far cheaper than moveaxis)
        perm = self._perm
        for j in range(self.n - 1, -1, -1):
            if j != i:
                out = (out @ P[j].T).transpose(perm)
        return out.reshape(out.shape[0], -1)

    def _excluded(self, P: list[np.ndarray], parent: tuple[list[np.ndarray], int] | None = None) -> bool:
        """True if the cell provably holds no equilibrium with support T. ``parent`` =
        ``(Vs, j)``: the parent cell's vertex values and the player j whose cell was split; player
        j's values do not depend on j's own cell, so they are reused. Sets ``self._Vs``."""
        if parent is None and all(
            len(Pj) == len(t) and not np.any(Pj - np.eye(len(t))) for Pj, t in zip(P, self.T)
        ):
            # the root cell (pure vertices): the values are the payoff table itself
            Vs = [self.A[i].reshape(self.A[i].shape[0], -1) for i in range(self.n)]
        else:
            Vs = [
                parent[0][i] if parent is not None and parent[1] == i else self._values(i, P)
                for i in range(self.n)
            ]
        self._Vs = Vs
        if self._sign_excluded(P, Vs):
            return True
        return self.use_lp and self._lp_excluded(P, Vs)

    def _lp_excluded(self, P: list[np.ndarray], Vs: list[np.ndarray]) -> bool:
        r"""Exclusion by a separating combination (Farkas). Write :math:`\sigma_j` in barycentric
        coordinates :math:`\lambda_j` of the cell's vertices; at a point of the cell
        :math:`\lambda_i(r)\,(v_i(a) - v_i(b_0)) = \sum_w \pi(w) c_{i r a}(w)` with
        :math:`\pi = \prod_j \lambda_j \ge 0` over vertex combinations w, and it is 0 for
        :math:`a \in T_i` and :math:`\le 0` for :math:`a \notin T_i` at an equilibrium with support T.
        Multipliers y (free on the equalities, :math:`\ge 0` on the inequalities) with
        :math:`g(w) = \sum y_{ira} c_{ira}(w) > 0` at every w then prove there is none: at an
        equilibrium :math:`\sum_w \pi(w) g(w) \le 0` while every term is positive. The
        multipliers come from a float LP (HiGHS); the certificate counts only if the minimum of g,
        recomputed, exceeds its rounding bound."""
        n = self.n
        nv = [len(Pj) for Pj in P]
        blocks = []
        free: list[bool] = []
        errs: list[float] = []
        for i in range(n):
            Ti = self.T[i]
            others = [a for a in range(self.shape[i]) if a != Ti[0]]
            if not others:
                continue
            V = Vs[i].reshape([self.shape[i]] + [nv[j] for j in range(n) if j != i])
            D = V[others] - V[Ti[0]]
            R = np.zeros((nv[i], len(others), *nv))
            for r in range(nv[i]):
                R[(r, slice(None)) + (slice(None),) * i + (r,)] = D
            blocks.append(R.reshape(nv[i] * len(others), -1))
            free.extend([a in Ti for a in others] * nv[i])
            errs.extend([2 * self.err[i]] * (nv[i] * len(others)))
        if not blocks:
            return False
        M = np.vstack(blocks)
        free_mask = np.array(free)
        err_vec = np.array(errs)
        row_max = np.abs(M).max(axis=1)

        def certified(y: np.ndarray) -> bool:
            y = np.where(free_mask, y, np.maximum(y, 0.0))
            g = y @ M
            ay = np.abs(y)
            bound = float(ay @ err_vec) + 1e-12 * float(ay @ row_max) * len(y)
            return bool(g.min() > bound)

        # the multipliers of the last excluded cell (often a sibling) may separate this one too
        if self._last_y is not None and len(self._last_y) == M.shape[0] and certified(self._last_y):
            return True
        y = _separating_multipliers(M, free_mask)
        if y is None or not certified(y):
            return False
        self._last_y = y
        return True

    def _sign_excluded(self, P: list[np.ndarray], Vs: list[np.ndarray]) -> bool:
        r"""Some :math:`v_i(a) - v_i(b)` (:math:`b \in T_i`, any a) beyond the rounding bound at
        every vertex combination: for :math:`a \in T_i` the indifference fails everywhere, for
        :math:`a \notin T_i` a better reply outside the support exists everywhere (a = b gives 0)."""
        for i in range(self.n):
            V = Vs[i]
            d = V[:, None, :] - V[self.T[i]][None, :, :]
            if d.min(axis=2).max() > 2 * self.err[i]:
                return True
        return False

    # ---------------------------------------------------------------- the square system
    def _sigma_from_x(self, x: list) -> list[list]:
        """Per-player probability vectors over T_j from the free coordinates ``x``."""
        sig = []
        pos = 0
        for j in range(self.n):
            m = len(self.T[j]) - 1
            xs = list(x[pos : pos + m])
            pos += m
            one = xs[0] * 0 + 1 if xs else 1
            sig.append([one - sum(xs)] + xs if xs else [one])
        return sig

    def _F_float(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """F(x) and its Jacobian (floats) at one point of free coordinates."""
        sig = [np.array(s, dtype=float)[None, :] for s in self._sigma_from_x(list(x))]
        F: list[float] = []
        rows = []
        for i in self.movers:
            Ti = self.T[i]
            V = self._values(i, sig)[:, 0]
            F.extend(V[a] - V[Ti[0]] for a in Ti[1:])
            Jrow = np.zeros((len(Ti) - 1, self.k))
            pos = 0
            for j in self.movers:
                kj = len(self.T[j]) - 1
                if j != i:
                    for c in range(kj):
                        e = np.zeros(len(self.T[j]))
                        e[c + 1], e[0] = 1.0, -1.0
                        sg = list(sig)
                        sg[j] = e[None, :]
                        W = self._values(i, sg)[:, 0]
                        Jrow[:, pos + c] = W[Ti[1:]] - W[Ti[0]]
                pos += kj
            rows.append(Jrow)
        return np.array(F), np.vstack(rows)

    def _F_exact(self, x: list[Fraction]) -> list[Fraction]:
        sig = self._sigma_from_x(x)
        out: list[Fraction] = []
        for i in self.movers:
            Ti = self.T[i]
            sub = np.moveaxis(self.U[i][np.ix_(*[self.T[j] if j != i else Ti for j in range(self.n)])], i, 0)
            for j in range(self.n):
                if j != i:
                    sub = np.tensordot(sub, np.array(sig[j], dtype=object), axes=([1], [0]))
            out.extend(sub[a] - sub[0] for a in range(1, len(Ti)))
        return out

    def _jac_range(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Bounds of every Jacobian entry over the box [lo, hi] (vertex values, widened)."""
        corners = []
        pos = 0
        for j in range(self.n):
            m = len(self.T[j]) - 1
            if m == 0:
                corners.append(np.ones((1, 1)))
                continue
            grid = np.array(np.meshgrid(*[[lo[pos + c], hi[pos + c]] for c in range(m)], indexing="ij"))
            X = grid.reshape(m, -1).T
            corners.append(np.hstack([1.0 - X.sum(axis=1, keepdims=True), X]))
            pos += m
        scale = float(np.prod([np.max(np.abs(C).sum(axis=1)) for C in corners]))
        Jlo = np.zeros((self.k, self.k))
        Jhi = np.zeros((self.k, self.k))
        r = 0
        for i in self.movers:
            Ti = self.T[i]
            pos = 0
            for j in self.movers:
                kj = len(self.T[j]) - 1
                if j != i:
                    for c in range(kj):
                        e = np.zeros((1, len(self.T[j])))
                        e[0, c + 1], e[0, 0] = 1.0, -1.0
                        P = list(corners)
                        P[j] = e
                        W = self._values(i, P)
                        D = W[Ti[1:]] - W[Ti[0]]
                        Jlo[r : r + len(Ti) - 1, pos + c] = D.min(axis=1)
                        Jhi[r : r + len(Ti) - 1, pos + c] = D.max(axis=1)
                pos += kj
            r += len(Ti) - 1
        w = 4 * max(self.err) * max(1.0, scale)
        return Jlo - w, Jhi + w

    def _krawczyk(self, lo: np.ndarray, hi: np.ndarray) -> tuple[str, np.ndarray | None]:
        """``("unique", root)``, ``("none", None)`` or ``("unknown", None)`` for the box."""
        k = self.k
        mid = (lo + hi) / 2
        F0, J0 = self._F_float(mid)
        try:
            Y = np.linalg.inv(J0)
        except np.linalg.LinAlgError:
            return "unknown", None
        if not np.all(np.isfinite(Y)):
            return "unknown", None
        Jlo, Jhi = self._jac_range(lo, hi)
        if not self._krawczyk_may_decide(mid, F0, Y, Jlo, Jhi, lo, hi):
            return "unknown", None  # "unknown" is always sound: the cell is subdivided further
        mq = [Fraction(float(v)) for v in mid]
        Fm = self._F_exact(mq)
        Yq = [[Fraction(float(v)) for v in row] for row in Y]
        rad = [max(Fraction(float(h)) - m, m - Fraction(float(lw))) for lw, h, m in zip(lo, hi, mq)]
        Jlq = [[Fraction(float(v)) for v in row] for row in Jlo]
        Jhq = [[Fraction(float(v)) for v in row] for row in Jhi]
        inside = True
        for r in range(k):
            c0 = mq[r] - sum(Yq[r][c] * Fm[c] for c in range(k))
            R = Fraction(0)
            for c in range(k):
                # interval (I - Y J)[r, c]
                a = Fraction(1 if r == c else 0)
                mlo, mhi = a, a
                for l in range(k):
                    y = Yq[r][l]
                    if y >= 0:
                        mlo -= y * Jhq[l][c]
                        mhi -= y * Jlq[l][c]
                    else:
                        mlo -= y * Jlq[l][c]
                        mhi -= y * Jhq[l][c]
                R += max(abs(mlo), abs(mhi)) * rad[c]
            blo, bhi = Fraction(float(lo[r])), Fraction(float(hi[r]))
            if c0 + R < blo or c0 - R > bhi:
                return "none", None
            if not (c0 - R > blo and c0 + R < bhi):
                inside = False
        if not inside:
            return "unknown", None
        # the unique root: Newton from the midpoint, which must stay in the box
        x = mid.copy()
        for _ in range(30):
            F, J = self._F_float(x)
            try:
                step = np.linalg.solve(J, -F)
            except np.linalg.LinAlgError:
                return "unknown", None
            x = x + step
            if np.max(np.abs(step)) < 1e-16 * max(1.0, float(np.max(np.abs(x)))):
                break
        if np.all(x >= lo) and np.all(x <= hi):
            return "unique", x
        return "unknown", None

    @staticmethod
    def _krawczyk_may_decide(mid, F0, Y, Jlo, Jhi, lo, hi, slack: float = 1e-6) -> bool:
        """Float preview of the Krawczyk test: False when it clearly neither proves inclusion
        nor exclusion, so that the exact rational evaluation (the costly part) is skipped."""
        c0 = mid - Y @ F0
        Ypos, Yneg = np.maximum(Y, 0.0), np.minimum(Y, 0.0)
        Mlo = np.eye(len(mid)) - (Ypos @ Jhi + Yneg @ Jlo)
        Mhi = np.eye(len(mid)) - (Ypos @ Jlo + Yneg @ Jhi)
        rad = np.maximum(hi - mid, mid - lo)
        R = np.maximum(np.abs(Mlo), np.abs(Mhi)) @ rad
        w = slack * (hi - lo) + 1e-12
        if np.any(c0 + R < lo + w) or np.any(c0 - R > hi - w):
            return True  # exclusion looks possible
        return bool(np.all(c0 - R > lo - w) and np.all(c0 + R < hi + w))

    # ---------------------------------------------------------------- the search
    def _box(self, P: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = [], []
        for j in self.movers:
            free = P[j][:, 1:]
            a, b = free.min(axis=0), free.max(axis=0)
            w = b - a
            lo.extend(a - 0.125 * w - 1e-12)
            hi.extend(b + 0.125 * w + 1e-12)
        return np.array(lo), np.array(hi)

    def solve(self, deadline: Deadline | None = None) -> tuple[str, list[Any]]:
        stack = [[np.eye(len(t)) for t in self.T]]
        roots: list[np.ndarray] = []
        cells = 0
        if self.k == 0:
            return ("decided", [] if self._excluded(stack[0]) else [np.zeros(0)])
        if any(all(len(self.T[j]) == 1 for j in range(self.n) if j != i) for i in self.movers):
            # a mixing player against pure opponents: constant equations, so either no root
            # or a continuum (the player's whole simplex); subdivision cannot decide a continuum
            if self._excluded(stack[0]):
                return "decided", []
            return "undecided", []
        parents: list[tuple[list[np.ndarray], int] | None] = [None]
        while stack:
            P = stack.pop()
            parent = parents.pop()
            cells += 1
            self.cells = cells
            if cells > self.max_cells:
                return "undecided", []
            if deadline is not None and cells % 32 == 0:
                deadline.check()
            if self._excluded(P, parent):
                continue
            Vs = self._Vs
            # widest player's longest edge
            best = None
            for j in self.movers:
                V = P[j]
                for a in range(len(V)):
                    for b in range(a + 1, len(V)):
                        L = float(np.abs(V[a] - V[b]).sum())
                        if best is None or L > best[0]:
                            best = (L, j, a, b)
            assert best is not None  # k > 0: some mover has two strategies, so an edge
            L, j, a, b = best
            if L < 0.3:  # small enough for the interval Newton test to have a chance
                status, x = self._krawczyk(*self._box(P))
                if status == "none":
                    continue
                if status == "unique":
                    assert x is not None  # "unique" comes with its root
                    roots.append(x)
                    continue
            if L < 1e-7:
                return "undecided", []
            midv = (P[j][a] + P[j][b]) / 2
            for keep in (a, b):
                Q = list(P)
                R = P[j].copy()
                R[keep] = midv
                Q[j] = R
                stack.append(Q)
                parents.append((Vs, j))
        return "decided", roots

    def profile(self, x) -> list[list]:
        """Full per-player probability vectors (zeros off the support) from free coordinates."""
        sig = self._sigma_from_x(list(x))
        zero = sig[0][0] * 0
        prof = [[zero] * m for m in self.shape]
        for j, s in enumerate(self.T):
            for k, p in zip(s, sig[j]):
                prof[j][k] = p
        return prof

    def exact_root(self, x: np.ndarray, max_den: int = 10**6) -> list[Fraction] | None:
        """The root as Fractions when a small-denominator rational solves the system exactly."""
        q = [Fraction(float(v)).limit_denominator(max_den) for v in x]
        if any(abs(float(a) - float(b)) > 1e-9 for a, b in zip(q, x)):
            return None  # not the certified root's rational twin: keep the float
        if any(F != 0 for F in self._F_exact(q)):
            return None
        return q


# --------------------------------------------------------------------------------------------
# the separating LP
# --------------------------------------------------------------------------------------------
class _DirectHighs:
    """One reusable HiGHS instance fed dense LPs through scipy's HiGHS binding: ``linprog``'s
    input checking and option parsing cost several times the solve itself on these tiny LPs.
    Falls back to :func:`scipy.optimize.linprog` where the binding is not available. The answer is
    only a candidate: callers re-check the multipliers (the certificate does not trust the LP)."""

    def __init__(self) -> None:
        self.core: Any = None
        self.highs: Any = None
        self._models: dict[tuple[int, int], Any] = {}
        try:
            from scipy.optimize._highspy import _core  # scipy >= 1.15

            highs = _core._Highs()
            highs.setOptionValue("output_flag", False)
            highs.setOptionValue("presolve", "off")
            self.core, self.highs = _core, highs
        except Exception:  # pragma: no cover - older or newer scipy: the public path
            self.core = None

    def maximise_margin(self, Ms: np.ndarray, free: np.ndarray) -> np.ndarray | None:
        """argmax t subject to Ms^T y >= t, y in [-1, 1] (free) or [0, 1], t <= 1; None unless
        the optimum is positive."""
        m, W = Ms.shape
        lb = np.where(free, -1.0, 0.0)
        if self.core is None:
            from scipy.optimize import linprog

            c = np.zeros(m + 1)
            c[-1] = -1.0
            A_ub = np.hstack([-Ms.T, np.ones((W, 1))])
            bounds = [(float(a), 1.0) for a in lb] + [(None, 1.0)]
            res = linprog(c, A_ub=A_ub, b_ub=np.zeros(W), bounds=bounds, method="highs")
            if res.status != 0 or -res.fun <= 1e-9:
                return None
            return np.array(res.x[:m])
        core = self.core
        n = m + 1
        lp = self._models.get((m, W))
        if lp is None:  # the fixed parts of an LP of this shape, built once
            lp = core.HighsLp()
            lp.num_col_, lp.num_row_ = n, W
            c = np.zeros(n)
            c[-1] = -1.0
            lp.col_cost_ = c
            lp.col_upper_ = np.ones(n)
            # rows: t - Ms^T y <= 0, stored column-wise (column r of y is -Ms[r], column t is ones)
            lp.row_lower_ = np.full(W, -core.kHighsInf)
            lp.row_upper_ = np.zeros(W)
            lp.a_matrix_.format_ = core.MatrixFormat.kColwise
            lp.a_matrix_.start_ = np.arange(0, n * W + 1, W, dtype=np.int32)
            lp.a_matrix_.index_ = np.tile(np.arange(W, dtype=np.int32), n)
            lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, W
            self._models[(m, W)] = lp
        lp.col_lower_ = np.append(lb, -core.kHighsInf)
        values = np.empty((n, W))
        np.negative(Ms, out=values[:m])
        values[m] = 1.0
        lp.a_matrix_.value_ = values.ravel()
        highs = self.highs
        highs.passModel(lp)
        highs.run()
        if highs.getModelStatus() != core.HighsModelStatus.kOptimal:
            return None
        if -highs.getObjectiveValue() <= 1e-9:  # the margin t: no separation (skip the solution copy)
            return None
        x = np.array(highs.getSolution().col_value)
        if x[-1] <= 1e-9:
            return None
        return x[:m]


_HIGHS: _DirectHighs | None = None


def _separating_multipliers(M: np.ndarray, free: np.ndarray) -> np.ndarray | None:
    """Candidate multipliers y with y @ M > 0 (free sign on ``free`` rows, else y >= 0)."""
    global _HIGHS
    if _HIGHS is None:
        _HIGHS = _DirectHighs()
    scale = float(np.max(np.abs(M))) or 1.0
    return _HIGHS.maximise_margin(M / scale, free)
