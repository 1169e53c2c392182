r"""One Nash equilibrium of an n-player normal-form game by following the logit QRE branch
(``logit``).

``logit`` — the principal branch of the logit quantal response equilibrium correspondence
(McKelvey & Palfrey 1995, "Quantal response equilibria for normal form games", GEB 10):
:math:`\sigma_i(s) \propto \exp(\lambda v_i(s))`, traced from the centroid at :math:`\lambda = 0`
by predictor–corrector continuation in :math:`(\log\sigma, \lambda)` (Allgower & Georg 1990,
*Numerical Continuation Methods*, ch. 2: Euler predictor along the kernel of the Jacobian,
Gauss–Newton corrector; Turocy 2005, "A dynamic homotopy interpretation of the logistic quantal
response equilibrium correspondence", GEB 51). For generic games the branch converges to a Nash
equilibrium as :math:`\lambda \to \infty`; its support is read off the end point and the
indifference equations on that support are solved by Newton's method (and exactly, when the game
is exact and the support small), then verified. One equilibrium, ``complete: false``.
:func:`qre_at` and :func:`logit_branch` return points of the branch for fitting λ to data.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction

import numpy as np

from bargaining.errors import BargainingError
from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Solution
from bargaining.solvers.budget import BudgetExceeded, Deadline
from bargaining.solvers.enumpoly import equilibrium_record, solve_support
from bargaining.solvers.profile_eval import payoff_tolerance, profile_gain
from bargaining.solvers.registry import Method, register

__all__ = ["logit", "qre_at", "logit_branch"]


# --------------------------------------------------------------------------------------------
# logit QRE path following
# --------------------------------------------------------------------------------------------
class _Payoffs:
    """Pure-strategy payoffs :math:`v_i(s)` and their derivatives at a profile (float)."""

    def __init__(self, game: NormalFormGame):
        self.U = np.asarray(game.float_payoffs, dtype=float)
        self.n = self.U.shape[0]
        self.shape = self.U.shape[1:]
        self.offsets = np.concatenate([[0], np.cumsum(self.shape)]).astype(int)
        self.M = int(self.offsets[-1])

    def split(self, flat: np.ndarray) -> list[np.ndarray]:
        return [flat[self.offsets[i] : self.offsets[i + 1]] for i in range(self.n)]

    def values_and_jacobian(self, sigma: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """``v`` (length M) and ``D[a, b] = ∂v_a/∂σ_b`` (M × M, zero within a player)."""
        n, U, off = self.n, self.U, self.offsets
        v = np.zeros(self.M)
        D = np.zeros((self.M, self.M))
        for i in range(n):
            for j in range(n):
                if j == i:
                    continue
                # contract every axis except i and j
                T = U[i]
                for k in range(n - 1, -1, -1):
                    if k not in (i, j):
                        T = np.tensordot(T, sigma[k], axes=([k], [0]))
                # remaining axes are (min(i,j), max(i,j))
                block = T if i < j else T.T
                D[off[i] : off[i + 1], off[j] : off[j + 1]] = block
            # v_i = D_ij @ sigma_j for any j != i; for one-player games contract nothing
            if n == 1:
                v[off[0] : off[1]] = U[0]
            else:
                j = 0 if i != 0 else 1
                v[off[i] : off[i + 1]] = D[off[i] : off[i + 1], off[j] : off[j + 1]] @ sigma[j]
        return v, D


def _scale(game: NormalFormGame) -> float:
    U = game.float_payoffs
    return float(np.max(U) - np.min(U)) or 1.0


class _LogitPath:
    r"""The QRE branch as the zero set of
    :math:`H(z, \lambda)`: for each player i, :math:`z_{is} - z_{i0} - \lambda (v_i(s) - v_i(0))`
    for :math:`s \ne 0`, and :math:`\sum_s e^{z_{is}} - 1`, where :math:`z = \log\sigma`."""

    def __init__(self, game: NormalFormGame):
        self.P = _Payoffs(game)
        self.scale = _scale(game)

    def H_and_J(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        P = self.P
        z, lam = y[:-1], y[-1]
        sig_flat = np.exp(z)
        sigma = P.split(sig_flat)
        v, D = P.values_and_jacobian(sigma)
        H = np.zeros(P.M)
        J = np.zeros((P.M, P.M + 1))
        dv_dz = D * sig_flat[None, :]  # ∂v_a/∂z_b = D[a,b] σ_b
        for i in range(P.n):
            a0, a1 = P.offsets[i], P.offsets[i + 1]
            rows = list(range(a0, a1))
            # equation rows for player i: index a0..a1-1 (first: normalisation)
            H[a0] = sig_flat[a0:a1].sum() - 1.0
            J[a0, a0:a1] = sig_flat[a0:a1]
            for a in rows[1:]:
                H[a] = z[a] - z[a0] - lam * (v[a] - v[a0])
                J[a, a] += 1.0
                J[a, a0] -= 1.0
                J[a, :-1] -= lam * (dv_dz[a] - dv_dz[a0])
                J[a, -1] = -(v[a] - v[a0])
        return H, J

    def correct(self, y: np.ndarray, fixed_lambda: bool = False, tol: float = 1e-10, maxit: int = 8):
        """Gauss–Newton (minimum-norm) corrector; with ``fixed_lambda`` Newton in z only."""
        for it in range(maxit):
            H, J = self.H_and_J(y)
            if np.max(np.abs(H)) < tol:
                return y, it, True
            if fixed_lambda:
                step = np.linalg.solve(J[:, :-1], -H)
                step = np.append(step, 0.0)
            else:
                step = np.linalg.lstsq(J, -H, rcond=None)[0]
            if not np.all(np.isfinite(step)):
                return y, it, False
            y = y + step
        H, _ = self.H_and_J(y)
        return y, maxit, bool(np.max(np.abs(H)) < tol)

    def start(self) -> np.ndarray:
        z = np.concatenate([np.full(m, -math.log(m)) for m in self.P.shape])
        return np.append(z, 0.0)

    def tangent(self, y: np.ndarray, prev: np.ndarray | None) -> np.ndarray:
        _, J = self.H_and_J(y)
        # kernel of the M × (M+1) Jacobian: last right-singular vector
        _, _, vt = np.linalg.svd(J)
        t = vt[-1]
        if prev is None:
            if t[-1] < 0:
                t = -t
        elif np.dot(t, prev) < 0:
            t = -t
        return t / np.linalg.norm(t)

    def trace(
        self,
        lam_max: float,
        deadline: Deadline | None = None,
        h0: float = 0.1,
        max_steps: int = 20000,
    ) -> Iterator[np.ndarray]:
        """Yield points ``(log σ, λ)`` of the branch from λ = 0 until λ ≥ ``lam_max``."""
        y = self.start()
        yield y
        t = None
        h = h0
        for _ in range(max_steps):
            if deadline is not None:
                deadline.check()
            t = self.tangent(y, t)
            while True:
                y_new, its, ok = self.correct(y + h * t)
                if ok and its <= 4 and np.all(y_new[:-1] <= 1e-9):
                    break
                h /= 2
                if h < 1e-12:
                    raise BargainingError("logit path following failed: the step size vanished")
            y = y_new
            yield y
            if y[-1] >= lam_max:
                return
            if its <= 2:
                h = min(h * 1.6, 1e3)


def _check_lambda(lam: float) -> float:
    lam = float(lam)
    if not math.isfinite(lam) or lam < 0:
        raise BargainingError(f"lambda must be a finite number >= 0, got {lam}")
    return lam


def logit_branch(game: NormalFormGame, lambdas: Iterable[float]) -> list[tuple[float, tuple]]:
    """Points of the principal logit QRE branch at each λ in ``lambdas`` (sorted on output).

    Each item is ``(λ, profile)`` with ``profile`` a tuple of probability arrays (one per
    player). Where the branch bends back in λ, the first point reached from λ = 0 is returned.
    """
    targets = sorted(_check_lambda(x) for x in lambdas)
    if not targets:
        return []
    path = _LogitPath(game)
    out: list[tuple[float, tuple]] = []
    k = 0
    prev = None
    for y in path.trace(targets[-1] * 1.01 + 1e-9):
        while k < len(targets) and (y[-1] >= targets[k]):
            lam = targets[k]
            if prev is None or y[-1] == lam:
                base = y
            else:
                w = (lam - prev[-1]) / (y[-1] - prev[-1])
                base = prev + w * (y - prev)
            base = base.copy()
            base[-1] = lam
            pt, _, ok = path.correct(base, fixed_lambda=True, tol=1e-12, maxit=30)
            if not ok:
                raise BargainingError(f"logit: could not locate the branch at lambda={lam}")
            out.append((lam, tuple(np.exp(s) for s in path.P.split(pt[:-1]))))
            k += 1
        if k == len(targets):
            break
        prev = y
    return out


def qre_at(game: NormalFormGame, lam: float) -> tuple[np.ndarray, ...]:
    """The logit QRE on the principal branch at precision ``lam`` (σ_i(s) ∝ exp(λ v_i(s)))."""
    return logit_branch(game, [lam])[0][1]


def _newton_support(P: _Payoffs, sigma: list[np.ndarray], supports) -> list[np.ndarray] | None:
    """Newton's method on the indifference system of ``supports`` from ``sigma``."""
    n = P.n
    x = [np.where(np.isin(np.arange(m), s), sg, 0.0) for m, s, sg in zip(P.shape, supports, sigma)]
    x = [xi / xi.sum() for xi in x]
    for _ in range(50):
        v, D = P.values_and_jacobian(x)
        vs = P.split(v)
        rows = []
        residuals = []
        for i in range(n):
            s = supports[i]
            off = P.offsets[i]
            for k in s[1:]:
                residuals.append(vs[i][k] - vs[i][s[0]])
                rows.append(D[off + k] - D[off + s[0]])
            residuals.append(x[i].sum() - 1.0)
            r = np.zeros(P.M)
            r[off : off + P.shape[i]] = 1.0
            rows.append(r)
        F = np.array(residuals)
        cols = [P.offsets[i] + k for i in range(n) for k in supports[i]]
        Jm = np.array(rows)[:, cols]
        if np.max(np.abs(F)) < 1e-15:
            break
        step = np.linalg.lstsq(Jm, -F, rcond=None)[0]
        flat = np.concatenate(x)
        flat[cols] += step
        x = P.split(flat.copy())
        if np.max(np.abs(step)) < 1e-16:
            break
    if any(np.any(xi < -1e-12) for xi in x):
        return None
    return [np.clip(xi, 0.0, None) / np.clip(xi, 0.0, None).sum() for xi in x]


def _polish(
    game: NormalFormGame, sigma: list[np.ndarray], exact: bool, near: float = math.inf
) -> list | None:
    """A verified Nash equilibrium within ``near`` (max-norm) of the QRE point ``sigma``, or
    None. The distance guard keeps Newton from jumping to an equilibrium the branch does not
    approach."""
    result = _polish_any(game, sigma, exact)
    if result is None:
        return None
    dist = max(abs(float(p) - q) for a, b in zip(result, sigma) for p, q in zip(a, b))
    return result if dist <= near else None


def _polish_any(game: NormalFormGame, sigma: list[np.ndarray], exact: bool) -> list | None:
    P = _Payoffs(game)
    tol = payoff_tolerance(game)
    for thr in (1e-2, 1e-3, 1e-4, 1e-6, 1e-8):
        supports = [tuple(int(k) for k in np.flatnonzero(s >= thr * s.max())) for s in sigma]
        if exact or game.exact:
            if sum(len(s) - 1 for s in supports) <= 6:  # exact solve only where it is quick
                status, points = solve_support(game.as_exact().payoffs, supports)
                best = None
                for prof, _alg in points:
                    if not all(isinstance(p, Fraction) for probs in prof for p in probs):
                        continue
                    if profile_gain(game.as_exact(), prof) == 0:
                        d = sum(abs(float(p) - q) for a, b in zip(prof, sigma) for p, q in zip(a, b))
                        if best is None or d < best[0]:
                            best = (d, prof)
                if best is not None:
                    return best[1]
        x = _newton_support(P, sigma, supports)
        if x is not None and profile_gain(game, [list(a) for a in x]) <= tol:
            return [list(map(float, a)) for a in x]
    return None


def logit(
    game: NormalFormGame,
    *,
    deadline: Deadline = Deadline.NONE,
    exact: bool = False,
    lambda_max: float | None = None,
) -> Solution:
    """One Nash equilibrium: the limit of the principal logit QRE branch, polished and verified
    (``complete: false``). ``lambda_max`` (default ``1e6 / payoff range``) bounds the trace."""
    path = _LogitPath(game)
    lam_max = float(lambda_max) if lambda_max else 1e6 / path.scale
    tol = payoff_tolerance(game)
    last = None
    message = None
    checkpoints = [100.0, 1e3, 1e4, 1e5, 1e6]
    eq_prof = None
    try:
        for y in path.trace(lam_max, deadline):
            last = y
            lam_scaled = y[-1] * path.scale
            if checkpoints and lam_scaled >= checkpoints[0]:
                while checkpoints and lam_scaled >= checkpoints[0]:
                    checkpoints.pop(0)
                sigma = [np.exp(s) for s in path.P.split(y[:-1])]
                eq_prof = _polish(game, sigma, exact, near=0.02)
                if eq_prof is not None:
                    break
    except BudgetExceeded:
        message = deadline.message()
    except BargainingError as err:  # the continuation broke down: polish where it stopped
        message = str(err)
    if eq_prof is None and last is not None and (message is None or "budget" not in message):
        sigma = [np.exp(s) for s in path.P.split(last[:-1])]
        eq_prof = _polish(game, sigma, exact)
    eqs = []
    if eq_prof is not None:
        assert last is not None  # eq_prof was polished from a traced point
        eq, r = equilibrium_record(game, eq_prof, None, exact)
        if (r == 0) if isinstance(r, Fraction) else (float(r) <= tol):
            eqs.append(eq.with_extra(qre_lambda=float(last[-1])))
    if not eqs and message is None:
        message = "the logit branch did not reach a verifiable Nash equilibrium"
    elif eqs and message and "budget" not in message:
        message += "; the equilibrium listed was polished from the last point reached and verified"
    rational = bool(eqs) and all(isinstance(p, Fraction) for probs in eqs[0].mixed_profile for p in probs)
    return Solution(
        game=game,
        concept="nash",
        method="logit",
        equilibria=tuple(eqs),
        complete=False,
        exact=bool((exact or game.exact) and rational),
        extra={
            "scope": "one equilibrium: the limit of the principal logit QRE branch",
            "lambda_max": lam_max,
        },
        message=message,
    )


register(
    Method(
        name="logit",
        kinds=("normal",),
        concept="nash",
        function=logit,
        options={"lambda_max": "largest λ traced (default 1e6 / payoff range)"},
        summary="one equilibrium: limit of the logit QRE branch (path following), verified; "
        "any size, not complete",
    )
)
