r"""Fearon (1995): the bargaining range and the risk–return trade-off of an ultimatum against
private information (two types or a uniform cost). The certificate is
:func:`bargaining.verify.models.verify_fearon` (run by the dispatcher)."""

from __future__ import annotations

from typing import Any

import numpy as np

from bargaining.errors import SolverError
from bargaining.model.bargaining import FearonUltimatum
from bargaining.model.profile import Equilibrium
from bargaining.solvers.models.common import num, vmax, vwhere

__all__ = ["fearon_range", "fearon_two_types", "fearon_uniform", "solve_fearon", "batch_fearon"]


def fearon_range(p: Any, c_A: Any, c_B: Any) -> tuple[Any, Any]:
    r"""**Vectorised.** Fearon's (1995, p. 388) bargaining range for A's share: the deals both
    prefer to war, [p − c_A, p + c_B], where A wins with probability p and war costs c_A, c_B."""
    return (p - c_A, p + c_B)


def fearon_two_types(p: Any, c_P: Any, c_low: Any, c_high: Any, pi: Any) -> dict[str, Any]:
    r"""**Vectorised.** Optimal ultimatum against two receiver types (Fearon 1995, risk–return
    trade-off). The resolute type (cost c_low, probability π) fights unless x ≥ w_r = p − c_low,
    the weak one unless x ≥ w_w = p − c_high. Candidate offers (an optimal offer makes some type
    indifferent or is 0): the **safe** offer max(w_r, 0) (peace), the **risky** offer
    max(w_w, 0) (the resolute type fights), or no acceptable offer (war). Proposer's payoffs:
    safe 1 − x_s; risky (1 − π)(1 − x_r) + π(1 − p − c_P); war 1 − p − c_P. Ties go to the
    more peaceful offer. Threshold: the risky offer is made iff
    π < π* = (x_s − x_r)/(1 − x_r − (1 − p − c_P)).
    """
    war = 1 - p - c_P
    xs = vmax(p - c_low, 0 * p)
    xr = vmax(p - c_high, 0 * p)
    u_safe = 1 - xs
    u_risky = (1 - pi) * (1 - xr) + pi * war
    risky_distinct = xr < xs
    u_risky = vwhere(risky_distinct, u_risky, u_safe)
    best_safe = u_safe >= u_risky
    offer = vwhere(best_safe, xs, xr)
    u = vwhere(best_safe, u_safe, u_risky)
    p_war = vwhere(best_safe, 0 * pi, vwhere(risky_distinct, pi, 0 * pi))
    denom = 1 - xr - war
    pi_star = vwhere(denom > 0, (xs - xr) / vwhere(denom > 0, denom, 1 + 0 * denom), 1 + 0 * denom)
    return {
        "offer": offer,
        "proposer_payoff": u,
        "p_war": p_war,
        "safe_offer": xs,
        "risky_offer": xr,
        "u_safe": u_safe,
        "u_risky": u_risky,
        "war_payoff": war,
        "pi_star": pi_star,
        "safe": best_safe,
    }


def fearon_uniform(p: Any, c_P: Any, c_low: Any, c_high: Any) -> dict[str, Any]:
    r"""**Vectorised.** Optimal ultimatum when the receiver's cost is uniform on [c_lo, c_hi]
    (Fearon 1995, fn. on the risk–return trade-off). The receiver accepts x iff c ≥ p − x, so
    P(accept) = F(x) = (c_hi − p + x)/(c_hi − c_lo) on [p − c_hi, p − c_lo]. The proposer's
    payoff F(x)(1 − x) + (1 − F(x))(1 − p − c_P) is concave there with stationary point
    x* = p + (c_P − c_hi)/2; the optimum is x* clipped to [max(p − c_hi, 0), p − c_lo] (and 0 if
    p − c_lo < 0). The probability of war is 1 − F(x*)."""
    lo = vmax(p - c_high, 0 * p)
    hi = vmax(p - c_low, 0 * p)
    x = p + (c_P - c_high) / 2
    x = vwhere(x < lo, lo, vwhere(x > hi, hi, x))
    F = (c_high - p + x) / (c_high - c_low)
    F = vwhere(F > 1, 1 + 0 * F, vwhere(F < 0, 0 * F, F))
    war = 1 - p - c_P
    u = F * (1 - x) + (1 - F) * war
    return {"offer": x, "proposer_payoff": u, "p_war": 1 - F, "war_payoff": war}


def _fearon_payoff_two(model: FearonUltimatum, x: Any, exact: bool) -> tuple[Any, Any]:
    """Proposer's and (ex ante) receiver's payoff of offer ``x`` against the two types."""
    p, cP, cl, ch, pi = (num(getattr(model, k), exact) for k in ("p", "c_P", "c_low", "c_high", "pi"))
    up, ur = 0 * p, 0 * p
    for prob, c in ((pi, cl), (1 - pi, ch)):
        if x >= p - c:
            up += prob * (1 - x)
            ur += prob * x
        else:
            up += prob * (1 - p - cP)
            ur += prob * (p - c)
    return up, ur


def solve_fearon(model: FearonUltimatum, exact: bool, numeric_only: bool) -> tuple[list[Equilibrium], str]:
    """The SPE offers of Fearon's ultimatum game (closed form, or grid search + refinement)."""
    P = model.players
    if model.is_batch:
        raise SolverError("a batch of Fearon games: use bargaining.solvers.models.batch_closed_form")
    exact_ok = exact
    p, cP, cl, ch, pi = (num(getattr(model, k), exact_ok) for k in ("p", "c_P", "c_low", "c_high", "pi"))
    eqs = []
    if numeric_only:
        # brute force: a fine grid of offers, then the best offer refined by golden section
        used = "numeric (grid search over offers + bounded refinement)"
        xs = np.linspace(0.0, 1.0, 100001)
        pf, cPf, clf, chf, pif = map(float, (p, cP, cl, ch, pi))
        if model.dist == "uniform":
            F = np.clip((chf - pf + xs) / (chf - clf), 0, 1)
        else:
            F = pif * (xs >= pf - clf - 1e-15) + (1 - pif) * (xs >= pf - chf - 1e-15)
        U = F * (1 - xs) + (1 - F) * (1 - pf - cPf)
        k = int(np.argmax(U))
        x = float(xs[k])
        if model.dist == "uniform":
            from scipy.optimize import minimize_scalar

            lo, hi = xs[max(k - 1, 0)], xs[min(k + 1, len(xs) - 1)]

            def obj(t: float) -> float:
                accept = min(max((chf - pf + t) / (chf - clf), 0), 1)
                return -(accept * (1 - t) + (1 - accept) * (1 - pf - cPf))

            res = minimize_scalar(obj, bounds=(lo, hi), method="bounded", options={"xatol": 1e-12})
            x = float(res.x)
            Fx = min(max((chf - pf + x) / (chf - clf), 0), 1)
            pw = 1 - Fx
        else:
            # the payoff jumps up where a type starts to accept: bisect for the lowest offer in
            # the grid cell before the best grid point that keeps the same acceptance
            Fx = float(F[k])
            acc = lambda t: pif * (t >= pf - clf) + (1 - pif) * (t >= pf - chf)  # noqa: E731
            lo, hi = (float(xs[k - 1]), x) if k > 0 else (x, x)
            if acc(lo) < Fx:
                for _ in range(200):
                    mid = (lo + hi) / 2
                    if acc(mid) >= Fx:
                        hi = mid
                    else:
                        lo = mid
                    if hi - lo < 1e-17:
                        break
                x = hi
            pw = 1 - Fx
        up = Fx * (1 - x) + (1 - Fx) * (1 - pf - cPf)
        if model.dist == "uniform":
            cut = min(max(pf - x, clf), chf)
            ur = Fx * x + (cut - clf) / (chf - clf) * (pf - (clf + cut) / 2)
        else:
            ur = _fearon_payoff_two(model, x, False)[1]
        exact_ok = False
        block = {"model": "fearon-ultimatum", "offer": x, "p_war": pw, "method_used": used}
        eqs.append(
            Equilibrium(
                payoffs=(up, ur),
                regret=None,
                label="peace" if pw == 0 else "risky offer",
                extra={"solution": block},
            )
        )
        return eqs, used
    used = "closed form"
    ranges = {}
    if model.dist == "uniform":
        r = fearon_uniform(p, cP, cl, ch)
        offers = [(r["offer"], r["p_war"])]
        ranges = {
            "bargaining_range_for_resolute": fearon_range(p, cl, cP),
            "bargaining_range_for_weak": fearon_range(p, ch, cP),
        }
    else:
        r = fearon_two_types(p, cP, cl, ch, pi)
        offers = [(r["offer"], r["p_war"])]
        if r["u_safe"] == r["u_risky"] and r["risky_offer"] < r["safe_offer"]:
            offers.append((r["risky_offer"], pi))  # an exact tie: both offers are SPE
        ranges = {
            "bargaining_range_resolute": fearon_range(p, cl, cP),
            "bargaining_range_weak": fearon_range(p, ch, cP),
        }
    for x, pw in offers:
        if model.dist == "uniform":
            F = 1 - pw
            up = F * (1 - x) + (1 - F) * (1 - p - cP)
            # receiver's ex-ante payoff: accept x for c >= p - x, else p - c (mean over the war region)
            cut = vmax(vwhere(p - x > cl, p - x, cl), cl)
            cut = cut if cut <= ch else ch
            frac_war = (cut - cl) / (ch - cl)
            mean_c_war = (cl + cut) / 2
            ur = F * x + frac_war * (p - mean_c_war)
            accept: dict[str, Any] = {"accepting_costs": [cut, ch]}
        else:
            up, ur = _fearon_payoff_two(model, x, exact_ok)
            accept = {"resolute_accepts": bool(x >= p - cl), "weak_accepts": bool(x >= p - ch)}
        block = {
            "model": "fearon-ultimatum",
            "offer": x,
            "shares_if_accepted": {P[0]: 1 - x, P[1]: x},
            "acceptance": accept,
            "p_war": pw,
            "war_payoffs": (
                {P[0]: 1 - p - cP, P[1] + " (resolute)": p - cl, P[1] + " (weak)": p - ch}
                if model.dist == "two-types"
                else {P[0]: 1 - p - cP}
            ),
            **ranges,
            "method_used": used,
        }
        if model.dist == "two-types":
            block["safe_offer"] = r["safe_offer"]
            block["risky_offer"] = r["risky_offer"]
            block["proposer_payoff_safe"] = r["u_safe"]
            block["proposer_payoff_risky"] = r["u_risky"]
            block["pi_star"] = r["pi_star"]
        label = "peace" if pw == 0 else "risky offer"
        if model.dist == "two-types" and pw == 0:
            label = "safe offer"
        eqs.append(Equilibrium(payoffs=(up, ur), regret=None, label=label, extra={"solution": block}))
    return eqs, used


def batch_fearon(model: FearonUltimatum, f: Any) -> dict[str, Any]:
    """**Vectorised.** Offers and probabilities of war over a batch."""
    p, c_P, c_low, c_high = (f(getattr(model, k)) for k in ("p", "c_P", "c_low", "c_high"))
    if model.dist == "uniform":
        return fearon_uniform(p, c_P, c_low, c_high)
    return fearon_two_types(p, c_P, c_low, c_high, f(model.pi))
