r"""Powell (2006): preventive war under shifting power, a stationary SPE in closed form and by
backward induction on a long truncation. The certificate is
:func:`bargaining.verify.models.verify_powell` (run by the dispatcher)."""

from __future__ import annotations

from typing import Any

import numpy as np

from bargaining.errors import SolverError
from bargaining.model.bargaining import PowellShift
from bargaining.model.profile import Equilibrium
from bargaining.solvers.models.common import num, vmax, vwhere

__all__ = ["powell_offer", "powell_backward", "solve_powell", "batch_powell"]


def powell_offer(
    delta: Any, p_H: Any, p_L: Any, c_R: Any, kappa_R: Any, lambda_0: Any, lambda_A: Any
) -> dict[str, Any]:
    r"""**Vectorised.** Stationary SPE of the shifting-power game (Powell 2006, §2; game G5(b)
    of docs/scenarios.md).

    In L (absorbing) RU's war flow is W_L = p_L − c_R − κ_R; the US offers x_L = max(W_L, 0)
    (peace iff W_L ≤ 1), so RU's value there is v_L/(1 − δ) with v_L = x_L (or W_L under war).
    In H, advancing locks in RU's war flow W_H = (1 − λ_A)(p_H − c_R) + λ_A W_L forever. RU
    accepts x in H iff x + δ[(1 − λ₀)V_H + λ₀ V_L] ≥ W_H/(1 − δ) with V_H its value at peace,
    so the cheapest acceptable offer is

        x_H* = [W_H(1 − δ + δλ₀) − δλ₀ v_L]/(1 − δ).

    Peace iff x_H* ≤ 1 (the US cannot commit to more than the whole flow); otherwise RU
    advances at once (preventive war). Thresholds (other parameters fixed): preventive advance
    iff λ_A < λ_A* = (p_H − c_R − W̄)/(p_H − c_R − W_L) with W̄ = (1 − δ + δλ₀v_L)/(1 − δ + δλ₀),
    and iff λ₀ > λ₀* = (1 − δ)(1 − W_H)/(δ(W_H − v_L)).
    """
    W_L = p_L - c_R - kappa_R
    W_H = (1 - lambda_A) * (p_H - c_R) + lambda_A * W_L
    peace_L = W_L <= 1
    x_L = vwhere(peace_L, vmax(W_L, 0 * W_L), W_L)
    x_H = (W_H * (1 - delta + delta * lambda_0) - delta * lambda_0 * x_L) / (1 - delta)
    peace = x_H <= 1
    offer_H = vmax(x_H, 0 * x_H)
    Wbar = (1 - delta + delta * lambda_0 * x_L) / (1 - delta + delta * lambda_0)
    den_a = p_H - c_R - W_L
    lam_star = vwhere(den_a != 0, (p_H - c_R - Wbar) / vwhere(den_a != 0, den_a, 1 + 0 * den_a), np.nan)
    den_0 = delta * (W_H - x_L)
    lam0_star = vwhere(den_0 > 0, (1 - delta) * (1 - W_H) / vwhere(den_0 > 0, den_0, 1 + 0 * den_0), np.nan)
    return {
        "W_L": W_L,
        "W_H": W_H,
        "x_L": x_L,
        "x_H_star": x_H,
        "offer_H": offer_H,
        "peace": peace,
        "peace_L": peace_L,
        "lambda_A_star": lam_star,
        "lambda_0_star": lam0_star,
    }


def powell_backward(model: PowellShift, T: int = 3000) -> dict[str, Any]:
    r"""Independent numeric check: backward induction on the T-period truncation (float). In
    each period and state the US offers the least RU accepts given the continuation (RU's war
    value is its war flow summed over the remaining periods), or RU advances if that exceeds 1.
    Returns the period-1 offer in H (converges to x_H* as T → ∞, error O(δ^T))."""
    dl, pH, pL, cR, kR, l0, lA = (
        float(getattr(model, k)) for k in ("delta", "p_H", "p_L", "c_R", "kappa_R", "lambda_0", "lambda_A")
    )
    WL = pL - cR - kR
    WH = (1 - lA) * (pH - cR) + lA * WL
    VH = VL = 0.0
    war_sum = 0.0  # sum_{k < remaining} δ^k
    offer_H = offer_L = None
    war_H = war_L = False
    for _ in range(T):
        war_sum = 1 + dl * war_sum
        # L
        need_L = WL * war_sum - dl * VL
        if need_L <= 1:
            offer_L = max(need_L, 0.0)
            VL_new = offer_L + dl * VL
            war_L = False
        else:
            VL_new = WL * war_sum
            war_L = True
        need_H = WH * war_sum - dl * ((1 - l0) * VH + l0 * VL)
        if need_H <= 1:
            offer_H = max(need_H, 0.0)
            VH_new = offer_H + dl * ((1 - l0) * VH + l0 * VL)
            war_H = False
        else:
            VH_new = WH * war_sum
            war_H = True
        VH, VL = VH_new, VL_new
    return {"offer_H": offer_H, "war_H": war_H, "offer_L": offer_L, "war_L": war_L, "V_H": VH, "V_L": VL}


def solve_powell(model: PowellShift, exact: bool, numeric_only: bool) -> tuple[list[Equilibrium], str]:
    """The stationary SPE of Powell's shifting-power game (closed form, or backward induction)."""
    P = model.players
    if model.is_batch:
        raise SolverError("a batch of Powell games: use bargaining.solvers.models.batch_closed_form")
    args = [
        num(getattr(model, k), exact)
        for k in ("delta", "p_H", "p_L", "c_R", "kappa_R", "lambda_0", "lambda_A")
    ]
    r = powell_offer(*args)
    if numeric_only:
        nb = powell_backward(model)
        used = "numeric (backward induction over 3000 periods)"
        exact = False
        offer_H, offer_L = nb["offer_H"], nb["offer_L"]
        peace, peace_L = not nb["war_H"], not nb["war_L"]
        x_H_star = offer_H
    else:
        used = "closed form"
        offer_H, offer_L = r["offer_H"], r["x_L"]
        peace, peace_L = bool(r["peace"]), bool(r["peace_L"])
        x_H_star = r["x_H_star"]
    dl = args[0]
    # per-period values (normalised by 1 − δ)
    lam0 = args[5]
    VL_ru = (offer_L if peace_L else r["W_L"]) / (1 - dl)
    if peace:
        ru = (1 - dl) * (offer_H + dl * lam0 * VL_ru) / (1 - dl * (1 - lam0))
        vL_us = (1 - offer_L) if peace_L else 1 - args[2] - num(model.c_US, exact)
        us = (1 - dl) * (1 - offer_H + dl * lam0 * vL_us / (1 - dl)) / (1 - dl * (1 - lam0))
    else:
        ru = r["W_H"]
        lA = args[6]
        cUS = num(model.c_US, exact)
        us = (1 - lA) * (1 - args[1] - cUS) + lA * (1 - args[2] - cUS)
    block = {
        "model": "powell-shift",
        "state_H": {
            "offer": offer_H if peace else None,
            "x_H_star": x_H_star,
            "accepted": peace,
            "action": "accept" if peace else "advance (preventive war)",
        },
        "state_L": {"offer": offer_L if peace_L else None, "accepted": peace_L},
        "war_values": {"W_H": r["W_H"], "W_L": r["W_L"]},
        "lambda_A": args[6],
        "values_per_period": {P[0]: us, P[1]: ru},
        "p_war": 0 * dl if peace else 1 + 0 * dl,
        "preventive_advance": not peace,
        "thresholds": {"lambda_A_star": r["lambda_A_star"], "lambda_0_star": r["lambda_0_star"]},
        "method_used": used,
    }
    if model.lambda_bar_A is not None:
        lb = num(model.lambda_bar_A, exact)
        block["thresholds"]["zeta_star"] = 1 - r["lambda_A_star"] / lb if lb else None
    label = "peace" if peace else "preventive war"
    eq = Equilibrium(payoffs=(us, ru), regret=None, label=label, extra={"solution": block})
    return [eq], used


def batch_powell(model: PowellShift, f: Any) -> dict[str, Any]:
    """**Vectorised.** Offers and peace over a batch."""
    return powell_offer(
        *(f(getattr(model, k)) for k in ("delta", "p_H", "p_L", "c_R", "kappa_R", "lambda_0", "lambda_A"))
    )
