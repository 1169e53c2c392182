r"""Axiomatic bargaining solutions: the (weighted) Nash solution (Nash 1950; Kalai 1977) and the
Kalai–Smorodinsky solution (Kalai–Smorodinsky 1975), exact on polygons and linear pies, numeric
(scipy) elsewhere. The certificates are :func:`bargaining.verify.models.verify_nash` and
:func:`~bargaining.verify.models.verify_ks` (run by the dispatcher)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import SolverError
from bargaining.model.bargaining import BargainingProblem, Rubinstein
from bargaining.model.geometry import clip_to_disagreement, polygon_edges
from bargaining.model.profile import Equilibrium
from bargaining.solvers.models.common import num

__all__ = ["nash_linear_pie", "solve_axiomatic", "rubinstein_as_pie", "batch_axiomatic"]


def nash_linear_pie(d_1: Any, d_2: Any, alpha: Any = Fraction(1, 2)) -> Any:
    r"""**Vectorised.** Player 1's share in the Nash solution of the pie with linear utilities:
    x₁ = d₁ + α(1 − d₁ − d₂) (Nash 1950; weights: Kalai 1977)."""
    return d_1 + alpha * (1 - d_1 - d_2)


def _log_nash(u: Sequence[Any], d: Sequence[Any], alpha: Any) -> float:
    g1, g2 = float(u[0] - d[0]), float(u[1] - d[1])
    if g1 <= 0 or g2 <= 0:
        return -math.inf
    return float(alpha) * math.log(g1) + (1 - float(alpha)) * math.log(g2)


def _nash_polygon(points: Any, d: tuple[Any, Any], alpha: Any) -> tuple[Any, Any]:
    r"""Maximise (u₁ − d₁)^α (u₂ − d₂)^(1−α) over conv(points) ∩ {u ≥ d}. The maximum lies on an
    edge of the clipped polygon; on the edge P + t(Q − P) the log objective
    α ln(A + Bt) + (1 − α) ln(C + Et) is concave with stationary point
    t* = −(αBC + (1 − α)EA)/(BE) — exact for rational data."""
    poly = clip_to_disagreement(points, d)
    best, best_val = None, -math.inf
    for P, Q in polygon_edges(poly):
        A, B = P[0] - d[0], Q[0] - P[0]
        C, E = P[1] - d[1], Q[1] - P[1]
        cands = [P, Q]
        if B * E < 0:
            t = -(alpha * B * C + (1 - alpha) * E * A) / (B * E)
            if 0 < t < 1:
                cands.append((P[0] + t * B, P[1] + t * E))
        for u in cands:
            v = _log_nash(u, d, alpha)
            if v > best_val:
                best, best_val = u, v
    if best is None or best_val == -math.inf:
        return d
    return best


def _ks_polygon(points: Any, d: tuple[Any, Any]) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    r"""Kalai–Smorodinsky on a polygon: the ideal point I_i = max{u_i : u ∈ S, u ≥ d}, then the
    largest s with d + s(I − d) ∈ S (ray–edge intersection, exact for rational data)."""
    poly = clip_to_disagreement(points, d)
    I = (max(p[0] for p in poly), max(p[1] for p in poly))
    g = (I[0] - d[0], I[1] - d[1])
    if g[0] == 0 or g[1] == 0:
        return d, I
    best = None
    for P, Q in polygon_edges(poly):
        e = (Q[0] - P[0], Q[1] - P[1])
        det = g[0] * (-e[1]) + e[0] * g[1]
        if det == 0:
            continue
        w = (P[0] - d[0], P[1] - d[1])
        s = (w[0] * (-e[1]) + e[0] * w[1]) / det
        t = (g[0] * w[1] - g[1] * w[0]) / det
        if -1e-12 <= t <= 1 + 1e-12 and (best is None or s > best):
            best = s
    if best is None:
        return d, I
    return (d[0] + best * g[0], d[1] + best * g[1]), I


def _frontier_interval(model: BargainingProblem) -> tuple[float, float]:
    """[u₁ lo, u₁ hi] where u ≥ d is feasible on the frontier representation."""
    from scipy.optimize import brentq

    f = model.frontier
    assert f is not None  # only called for the frontier representation
    d1, d2 = float(model.d_1), float(model.d_2)
    lo = max(float(model.lo), d1)
    hi = float(model.hi)
    if f(hi) >= d2:
        return lo, hi
    return lo, brentq(lambda x: f(x) - d2, lo, hi, xtol=1e-14)


def _pie_interval(model: BargainingProblem) -> tuple[float, float]:
    """[x lo, x hi]: the shares x of player 1 with u₁(x) ≥ d₁ and u₂(1 − x) ≥ d₂."""
    from scipy.optimize import brentq

    u1, u2 = model.utilities()
    d1, d2 = float(model.d_1), float(model.d_2)
    g1 = lambda x: float(u1(x)) - d1  # noqa: E731
    g2 = lambda x: float(u2(1 - x)) - d2  # noqa: E731
    lo = 0.0 if g1(0.0) >= 0 else brentq(g1, 0.0, 1.0, xtol=1e-15)
    hi = 1.0 if g2(1.0) >= 0 else brentq(g2, 0.0, 1.0, xtol=1e-15)
    return lo, hi


def _argmax_scalar(fun: Callable[[float], float], lo: float, hi: float) -> float:
    """Maximise a concave function on [lo, hi]: grid, then bounded Brent around the best point."""
    from scipy.optimize import minimize_scalar

    if hi - lo < 1e-15:
        return lo
    xs = np.linspace(lo, hi, 2001)
    vals = np.asarray([fun(x) for x in xs])
    k = int(np.nanargmax(vals))
    a, b = xs[max(k - 1, 0)], xs[min(k + 1, len(xs) - 1)]
    res = minimize_scalar(lambda x: -fun(x), bounds=(a, b), method="bounded", options={"xatol": 1e-13})
    return float(res.x) if -res.fun >= vals[k] else float(xs[k])


def solve_axiomatic(
    model: BargainingProblem, concept: str, exact: bool, numeric_only: bool
) -> tuple[Equilibrium, str]:
    """The Nash (weighted) or Kalai–Smorodinsky solution of ``model`` and the method used."""
    P = model.players
    rep = model.representation
    d = (num(model.d_1, exact), num(model.d_2, exact))
    alpha = num(model.alpha, exact)
    share = None
    ideal: tuple[Any, ...] | None = None
    u: tuple[Any, ...]
    if rep == "points" and not numeric_only:
        pts = [(num(x, exact), num(y, exact)) for x, y in model.points]
        if concept == "nash-bargaining":
            u = _nash_polygon(pts, d, alpha)
        else:
            u, ideal = _ks_polygon(pts, d)
        used = (
            "exact: edges of the convex hull" if exact else "edges of the convex hull (closed form per edge)"
        )
    elif rep == "pie" and model.linear_pie and not numeric_only:
        # linear pie: Nash x1 = d1 + α(1 − d1 − d2); KS: the ray from d to the ideal (1 − d2, 1 − d1)
        if concept == "nash-bargaining":
            share = nash_linear_pie(d[0], d[1], alpha)
        else:
            share = d[0] + (1 - d[0] - d[1]) / 2
            ideal = (1 - d[1], 1 - d[0])
        u = (share, 1 - share)
        used = "closed form (linear utilities)"
    elif (
        rep == "pie"
        and not numeric_only
        and concept == "nash-bargaining"
        and model.u_1 is None
        and model.u_2 is None
        and d[0] == 0
        and d[1] == 0
    ):
        r1, r2 = num(model.rho_1, exact), num(model.rho_2, exact)
        share = alpha * r1 / (alpha * r1 + (1 - alpha) * r2)
        u1, u2 = model.utilities()
        u = (
            (u1(share), u2(1 - share))
            if not exact or (r1 == 1 and r2 == 1)
            else (float(share) ** float(r1), float(1 - share) ** float(r2))
        )
        if r1 != 1 or r2 != 1:
            u = (float(share) ** float(r1), float(1 - share) ** float(r2))
        used = "closed form (power utilities, d = 0: x = αρ₁/(αρ₁ + (1 − α)ρ₂))"
    else:
        used = (
            "numeric ("
            + (
                "scipy bounded maximisation of the Nash product"
                if concept == "nash-bargaining"
                else "root finding on the ray to the ideal point"
            )
            + ")"
        )
        if not numeric_only:
            used += "; no closed form for this feasible set"
        exact = False
        df = (float(d[0]), float(d[1]))
        af = float(alpha)
        if rep == "points":
            from scipy.optimize import minimize

            S = np.asarray([[float(x), float(y)] for x, y in model.points])
            # maximise over lottery weights λ on the simplex: u = λ S
            k = len(S)
            if concept == "nash-bargaining":

                def obj(lam: np.ndarray) -> float:
                    u_ = lam @ S
                    g = np.maximum(u_ - df, 1e-300)
                    return -(af * math.log(g[0]) + (1 - af) * math.log(g[1]))

                best = None
                for start in [np.full(k, 1 / k), *np.eye(k)]:
                    st = 0.98 * start + 0.02 / k
                    res = minimize(
                        obj,
                        st,
                        method="SLSQP",
                        bounds=[(0, 1)] * k,
                        constraints=[
                            {"type": "eq", "fun": lambda lam: lam.sum() - 1},
                            {"type": "ineq", "fun": lambda lam: lam @ S - np.asarray(df)},
                        ],
                        options={"ftol": 1e-15, "maxiter": 500},
                    )
                    if best is None or res.fun < best.fun:
                        best = res
                assert best is not None  # at least one start was tried
                u = tuple(float(v) for v in best.x @ S)
            else:
                from scipy.optimize import linprog

                I = []
                for i in (0, 1):
                    c = np.zeros(k)
                    c -= S[:, i]
                    res = linprog(
                        c,
                        A_ub=-S.T,
                        b_ub=-np.asarray(df),
                        A_eq=np.ones((1, k)),
                        b_eq=[1],
                        bounds=[(0, 1)] * k,
                    )
                    I.append(-res.fun)
                ideal = tuple(I)
                g = np.asarray(ideal) - np.asarray(df)
                # max s s.t. d + s g = λ S
                c = np.zeros(k + 1)
                c[-1] = -1
                A_eq = np.vstack([np.hstack([S.T, -g[:, None]]), np.hstack([np.ones(k), [0]])])
                res = linprog(c, A_eq=A_eq, b_eq=[df[0], df[1], 1], bounds=[(0, 1)] * k + [(0, None)])
                s = res.x[-1]
                u = (df[0] + s * g[0], df[1] + s * g[1])
        elif rep == "frontier":
            from scipy.optimize import brentq

            f = model.frontier
            assert f is not None  # rep == "frontier" means a frontier is given
            lo, hi = _frontier_interval(model)
            if concept == "nash-bargaining":

                def fun(x: float) -> float:
                    return _log_nash((x, f(x)), df, af)

                x = _argmax_scalar(fun, lo, hi)
                u = (x, float(f(x)))
            else:
                ideal = (hi, float(f(lo)))
                g = (ideal[0] - df[0], ideal[1] - df[1])
                s = brentq(lambda s_: f(df[0] + s_ * g[0]) - (df[1] + s_ * g[1]), 0.0, 1.0, xtol=1e-15)
                u = (df[0] + s * g[0], df[1] + s * g[1])
        else:
            from scipy.optimize import brentq

            u1, u2 = model.utilities()
            lo, hi = _pie_interval(model)
            if concept == "nash-bargaining":

                def fun(x: float) -> float:
                    return _log_nash((float(u1(x)), float(u2(1 - x))), df, af)

                share = _argmax_scalar(fun, lo, hi)
            else:
                ideal = (float(u1(hi)), float(u2(1 - lo)))
                g = (ideal[0] - df[0], ideal[1] - df[1])

                def h(x: float) -> float:  # (u1 − d1) g2 − (u2 − d2) g1: increasing in x
                    return (float(u1(x)) - df[0]) * g[1] - (float(u2(1 - x)) - df[1]) * g[0]

                share = brentq(h, lo, hi, xtol=1e-15) if h(lo) < 0 < h(hi) else (lo if h(lo) >= 0 else hi)
            u = (float(u1(share)), float(u2(1 - share)))
    if concept != "nash-bargaining" and ideal is None:
        ideal = u
    block: dict[str, Any] = {
        "model": model.model if concept == "nash-bargaining" else "kalai-smorodinsky",
        "utilities": dict(zip(P, u)),
        "disagreement": dict(zip(P, d)),
        "gains": {P[0]: u[0] - d[0], P[1]: u[1] - d[1]},
        "feasible_set": rep,
        "method_used": used,
    }
    if concept == "nash-bargaining":
        block["weights"] = {P[0]: alpha, P[1]: 1 - alpha}
    else:
        assert ideal is not None  # set above for Kalai-Smorodinsky
        block["ideal_point"] = dict(zip(P, ideal))
    if share is not None:
        block["shares"] = {P[0]: share, P[1]: 1 - share}
    label = "Nash bargaining solution" if concept == "nash-bargaining" else "Kalai–Smorodinsky solution"
    if tuple(u) == tuple(d):
        label += " (disagreement point: no mutual gain)"
    return Equilibrium(payoffs=tuple(u), regret=None, label=label, extra={"solution": block}), used


def rubinstein_as_pie(model: Rubinstein) -> BargainingProblem:
    """The axiomatic problem behind a Rubinstein game: the pie with linear utilities; the
    disagreement point is each player's outside option (or d_i) — the "naive" Nash solution
    that the outside-option principle corrects (Osborne–Rubinstein 1990 §3.12)."""
    d1 = model.d_1 if model.outside_1 is None else max(model.outside_1, model.d_1)
    d2 = model.d_2 if model.outside_2 is None else max(model.outside_2, model.d_2)
    return BargainingProblem(d_1=d1, d_2=d2, players=model.players, title=model.title)


def batch_axiomatic(model: BargainingProblem, f: Any) -> dict[str, Any]:
    """**Vectorised.** Player 1's share over a batch (linear pie only)."""
    if not model.linear_pie:
        raise SolverError("batch closed forms cover the pie with linear utilities only")
    if model.concept == "nash-bargaining":
        s = nash_linear_pie(f(model.d_1), f(model.d_2), f(model.alpha))
    else:
        s = f(model.d_1) + (1 - f(model.d_1) - f(model.d_2)) / 2
    return {"share_1": s, "share_2": 1 - s}
