r"""Two-player repeated games with perfect monitoring: minmax, grim trigger, SPE payoff sets.

The stage game :math:`G = (A_1, A_2, u)` is repeated; payoffs are discounted by :math:`\delta` and
normalised by :math:`(1-\delta)` (so stage and repeated payoffs are comparable).

- **Pure minmax** :math:`\underline v_i = \min_{a_j} \max_{a_i} u_i(a_i, a_j)`.
- **Grim trigger with Nash reversion** (Friedman 1971): the profile :math:`a` is played forever;
  after any deviation both players play a fixed stage Nash equilibrium :math:`e` forever. With
  :math:`d_i(a) = \max_{a_i'} u_i(a_i', a_{-i})`, the profile is sustained iff for each i
  :math:`u_i(a) \ge (1-\delta) d_i(a) + \delta u_i(e)`, i.e. :math:`\delta \ge
  (d_i(a) - u_i(a)) / (d_i(a) - u_i(e))` (0 if :math:`u_i(a) \ge d_i(a)`; never if
  :math:`u_i(a) < u_i(e)` and i gains by deviating). ``trigger_delta`` is the smallest such
  :math:`\delta` over the stage's extreme Nash equilibria (from the project's Nash solver), and
  names the reversion equilibrium. For the prisoners' dilemma this is :math:`(T-R)/(T-P)`.
- **Pure-strategy SPE payoffs with public randomisation** (method ``aps``): the
  Abreu–Pearce–Stacchetti (1990) operator

  .. math:: B(W) = \mathrm{co} \bigcup_a \{(1-\delta) u(a) + \delta w :\ w \in W,\
            (1-\delta) u_i(a) + \delta w_i \ge (1-\delta) d_i(a) + \delta \min_{w' \in W} w'_i\}

  iterated on convex polygons from :math:`W_0 = \mathrm{co}\, u(A)`. The iterates decrease and
  each contains the SPE payoff set (APS Theorem 4, monotonicity of B and self-generation), so
  every iterate is an **outer approximation**; the iteration stops when the Hausdorff distance
  between successive polygons (measured by support functions in 720 directions) falls below
  ``tol`` (default 1e-9). The polygons are computed exactly as convex hulls of clipped images,
  not by a fixed set of hyperplane directions (as in Judd, Yeltekin & Conklin 2003), and not by
  Abreu & Sannikov's (2014) extreme-point algorithm; the limit is the same set.
- **Finitely repeated games** (``periods=T``): pure SPE by backward induction on the stage game:
  :math:`P_1` = payoffs of the pure stage equilibria, :math:`P_t = \{u(a) + w : w \in P_{t-1},\
  u_i(a) + w_i \ge d_i(a) + \min P_{t-1,i}\}` (no discounting; averages are reported). Exact
  and complete; refused above ``FINITE_LIMIT`` payoff vectors.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import SolverError
from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Equilibrium, Solution
from bargaining.numeric import to_fraction
from bargaining.solvers.budget import BudgetExceeded, Deadline
from bargaining.solvers.registry import Method, register

__all__ = ["repeated", "pure_minmax", "trigger_deltas", "aps_polygon", "finite_spe_payoffs", "FINITE_LIMIT"]

FINITE_LIMIT = 20_000
_ANGLES = np.linspace(0.0, 2 * np.pi, 720, endpoint=False)
_DIRS = np.stack([np.cos(_ANGLES), np.sin(_ANGLES)], axis=1)


def _matrices(game: NormalFormGame, exact: bool) -> tuple[Any, Any]:
    pay = game.as_exact().payoffs if exact else game.float_payoffs
    return pay[0], pay[1]


def pure_minmax(game: NormalFormGame, exact: bool = False) -> tuple[Any, Any]:
    """:math:`(\\min_{a_2}\\max_{a_1} u_1, \\min_{a_1}\\max_{a_2} u_2)`."""
    A, B = _matrices(game, exact)
    return min(A.max(axis=0)), min(B.max(axis=1))


def _deviation(A: Any, B: Any) -> tuple[Any, Any]:
    """``d1[r, c] = max_r' A[r', c]``, ``d2[r, c] = max_c' B[r, c']`` on every cell."""
    d1 = np.broadcast_to(A.max(axis=0, keepdims=True), A.shape)
    d2 = np.broadcast_to(B.max(axis=1, keepdims=True), B.shape)
    return d1, d2


def trigger_deltas(game: NormalFormGame, nash: list[tuple[Any, Any, str]], exact: bool = False) -> list[dict]:
    """Per pure profile: the smallest δ sustaining it by grim trigger with reversion to one of
    ``nash`` (``(u_1(e), u_2(e), label)``), the best such reversion, ``None`` if none works."""
    A, B = _matrices(game, exact)
    d1, d2 = _deviation(A, B)
    out = []
    for r in range(A.shape[0]):
        for c in range(A.shape[1]):
            best = None
            for e1, e2, lab in nash:
                need: list[Any] | None = []
                for u, d, e in ((A[r, c], d1[r, c], e1), (B[r, c], d2[r, c], e2)):
                    assert need is not None
                    if u >= d:
                        need.append(Fraction(0) if exact else 0.0)
                    elif u > e:
                        need.append((d - u) / (d - e))
                    else:
                        need = None
                        break
                if need is not None and (best is None or max(need) < best[0]):
                    best = (max(need), lab)
            out.append(
                {
                    "profile": [game.strategies[0][r], game.strategies[1][c]],
                    "payoffs": [A[r, c], B[r, c]],
                    "trigger_delta": None if best is None else best[0],
                    "punishment": None if best is None else f"Nash reversion to {best[1]}",
                }
            )
    return out


# -- polygons -----------------------------------------------------------------------------------


def _hull(points: np.ndarray) -> np.ndarray:
    """Vertices of the convex hull, counter-clockwise (Andrew's monotone chain; handles points
    and segments)."""
    pts = np.unique(np.round(points, 13), axis=0)
    if len(pts) <= 2:
        return pts
    pts = pts[np.lexsort((pts[:, 1], pts[:, 0]))]

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 1e-10:
            lower.pop()
        lower.append(p)
    upper: list = []
    for p in pts[::-1]:
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 1e-10:
            upper.pop()
        upper.append(p)
    hull = lower[:-1] + upper[:-1]
    return np.array(hull if hull else [pts[0]])


def _clip(poly: np.ndarray, axis: int, bound: float) -> np.ndarray:
    """``poly ∩ {w[axis] >= bound}`` (Sutherland–Hodgman on a convex polygon, point or segment)."""
    if len(poly) == 0:
        return poly
    eps = 1e-12
    if len(poly) == 1:
        return poly if poly[0, axis] >= bound - eps else poly[:0]
    out = []
    n = len(poly)
    for k in range(n if n > 2 else 1):
        p, q = poly[k], poly[(k + 1) % n]
        pin, qin = p[axis] >= bound - eps, q[axis] >= bound - eps
        if pin:
            out.append(p)
        if pin != qin:
            t = (bound - p[axis]) / (q[axis] - p[axis])
            out.append(p + t * (q - p))
        if n == 2 and qin:
            out.append(q)
    return np.array(out) if out else poly[:0]


def aps_polygon(
    A: np.ndarray,
    B: np.ndarray,
    delta: float,
    *,
    tol: float = 1e-9,
    max_iter: int = 100_000,
    deadline: Deadline | None = None,
) -> tuple[np.ndarray, int, bool]:
    """Iterate the APS operator with public randomisation on polygons; returns (vertices,
    iterations, converged). An empty array means no pure-strategy SPE."""
    d1, d2 = _deviation(A, B)
    u = np.stack([A.reshape(-1), B.reshape(-1)], axis=1).astype(float)
    gain = np.stack([(d1 - A).reshape(-1), (d2 - B).reshape(-1)], axis=1).astype(float)
    W = _hull(u)
    for it in range(1, max_iter + 1):
        if deadline is not None and it % 64 == 0:
            deadline.check()
        low = W.min(axis=0)
        images = []
        for k in range(len(u)):
            Wa = W
            for i in range(2):
                Wa = _clip(Wa, i, low[i] + (1 - delta) / delta * gain[k, i])
            if len(Wa):
                images.append((1 - delta) * u[k] + delta * Wa)
        if not images:
            return W[:0], it, True
        new = _hull(np.vstack(images))
        dist = float(np.max((W @ _DIRS.T).max(axis=0) - (new @ _DIRS.T).max(axis=0)))
        W = new
        if dist < tol:
            return W, it, True
    return W, max_iter, False


def finite_spe_payoffs(game: NormalFormGame, periods: int, exact: bool = False) -> list[tuple[Any, Any]]:
    """Total payoffs of the pure SPE of the ``periods``-fold repetition (no discounting)."""
    A, B = _matrices(game, exact)
    d1, d2 = _deviation(A, B)
    cells = [(r, c) for r in range(A.shape[0]) for c in range(A.shape[1])]
    P = {(A[r, c], B[r, c]) for r, c in cells if A[r, c] >= d1[r, c] and B[r, c] >= d2[r, c]}
    for _ in range(periods - 1):
        if not P:
            break
        lo1, lo2 = min(p[0] for p in P), min(p[1] for p in P)
        new = set()
        for r, c in cells:
            for w1, w2 in P:
                if A[r, c] + w1 >= d1[r, c] + lo1 and B[r, c] + w2 >= d2[r, c] + lo2:
                    new.add((A[r, c] + w1, B[r, c] + w2))
        if len(new) > FINITE_LIMIT:
            raise SolverError(
                f"the {periods}-period game has more than {FINITE_LIMIT} pure SPE payoff vectors; "
                "use fewer --periods or the discounted game (--delta)"
            )
        P = new
    return sorted(P, key=lambda p: (-p[0], -p[1]))


def _stage_nash(game: NormalFormGame, exact: bool, deadline: Deadline) -> list[tuple[Any, Any, str]]:
    from bargaining.solvers.bimatrix import enummixed  # the project's Nash solver (all extreme equilibria)

    sol = enummixed(game, deadline=deadline, exact=exact)
    out = []
    for eq in sol.equilibria:
        parts = []
        for labels, probs in zip(game.strategies, eq.mixed_profile):
            parts.append(
                "+".join(
                    f"{lab}" if float(p) == 1 else f"{float(p):.4g} {lab}"
                    for lab, p in zip(labels, probs)
                    if float(p) > 0
                )
            )
        out.append((eq.payoffs[0], eq.payoffs[1], "(" + ", ".join(parts) + ")"))
    return out


def repeated(
    game: NormalFormGame,
    *,
    deadline: Deadline = Deadline.NONE,
    exact: bool = False,
    delta: float | Fraction | str | None = None,
    periods: int | None = None,
    tol: float = 1e-9,
) -> Solution:
    """Minmax, grim-trigger thresholds and the pure SPE payoff set of the repeated game.

    ``delta`` (0 < δ < 1): the discount factor of the infinitely repeated game; ``periods``: a
    finite horizon instead (backward induction); ``tol``: stopping tolerance of the APS iteration."""
    if getattr(game, "kind", None) != "normal" or game.num_players != 2:
        raise SolverError("repeated games are computed for two-player normal-form stage games")
    if periods is None and delta is None:
        raise SolverError("--concept repeated needs --delta D (0 < D < 1) or --periods T")
    if delta is not None:
        try:
            delta = to_fraction(delta) if exact else float(to_fraction(delta))
        except (TypeError, ValueError):
            raise SolverError(f"--delta {delta}: not a number") from None
        if not 0 < delta < 1:
            raise SolverError(f"--delta {delta}: the discount factor must be strictly between 0 and 1")
    if periods is not None and (int(periods) != periods or periods < 1):
        raise SolverError(f"--periods {periods}: a whole number of periods >= 1")
    nash = _stage_nash(game, exact, deadline)
    minmax = pure_minmax(game, exact)
    extra: dict[str, Any] = {
        "minmax": list(minmax),
        "minmax_kind": "pure",
        "trigger_delta": trigger_deltas(game, nash, exact),
        "stage_nash": [{"profile": lab, "payoffs": [e1, e2]} for e1, e2, lab in nash],
    }
    complete = True
    note = None
    if periods is not None:
        totals = finite_spe_payoffs(game, int(periods), exact)
        avg = [(a / periods, b / periods) for a, b in totals]
        hull = _hull(np.array([[float(a), float(b)] for a, b in avg])) if avg else np.zeros((0, 2))
        avg_verts = [p for p in avg if any(np.allclose([float(p[0]), float(p[1])], h) for h in hull)]
        extra.update(
            {
                "periods": int(periods),
                "payoff_set": [list(p) for p in avg],
                "payoff_set_vertices": [list(p) for p in avg_verts],
                "payoff_set_method": "backward induction over pure SPE continuation payoffs "
                "(average per period)",
            }
        )
        payoffs: tuple = ()
    else:
        A, B = _matrices(game, False)
        assert delta is not None  # checked above: periods or delta
        try:
            verts, iters, converged = aps_polygon(A, B, float(delta), tol=tol, deadline=deadline)
        except BudgetExceeded:
            verts, iters, converged = np.zeros((0, 2)), 0, False
            note = deadline.message()
        complete = converged
        verts = _hull(np.round(verts, 9)) if len(verts) else verts  # round-off of the limit removed
        extra.update(
            {
                "delta": delta,
                "payoff_set_vertices": [[float(a), float(b)] for a, b in verts],
                "payoff_set_method": f"APS operator on polygons with public randomisation; outer "
                f"approximation, {iters} iterations, stopped at Hausdorff step < {tol:g}",
                "converged": converged,
            }
        )
        if not converged and note is None:
            note = "the APS iteration did not converge; the polygon shown is an outer approximation"
        payoffs = ()
    eq = Equilibrium(
        payoffs=payoffs, regret=Fraction(0) if exact else 0.0, label="SPE payoff set", extra=extra
    )
    return Solution(
        game=game,
        concept="repeated-spe-payoffs",
        method="aps",
        equilibria=(eq,),
        complete=complete,
        exact=exact,
        message=note,
        options={"delta": delta, "periods": periods},
    )


register(
    Method(
        name="aps",
        kinds=("normal",),
        concept="repeated-spe-payoffs",
        function=repeated,
        summary="repeated 2-player game: pure minmax, grim-trigger deltas, pure SPE payoffs (APS polygons)",
        players="2",
        options={
            "delta": "discount factor, 0 < delta < 1",
            "periods": "finite horizon instead of delta",
            "tol": "stopping tolerance of the APS iteration",
        },
    )
)
