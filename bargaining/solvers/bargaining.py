r"""Solvers for the continuous bargaining models of :mod:`bargaining.model.bargaining`.

Each solver returns the standard :class:`~bargaining.model.profile.Solution`: one
:class:`~bargaining.model.profile.Equilibrium` per equilibrium, whose ``extra["solution"]``
block holds the model's own named quantities (shares, offers, acceptance, probability of war,
partition boundaries and actions), whose ``payoffs`` are the players' expected utilities and
whose ``regret`` is a certificate computed by an independent check (``verify_*`` below: the
largest gain from a one-shot deviation, or the optimality gap of an axiomatic solution on a
dense sample of the frontier).

Methods (registered for ``kind = "model"``):

- ``closed-form``: the closed form of each model *in its regime*; the regime is detected, and
  outside every regime with a closed form the numeric method is used (the solution's
  ``method_used`` says which). Finite-horizon Rubinstein games are solved by exact backward
  induction.
- ``numeric``: an independent numeric method for every model (value iteration / backward
  induction, grid search plus refinement, scipy optimisation or root finding).
- ``nash-product``: the (weighted) Nash bargaining solution (Nash 1950; Kalai 1977 for weights).
- ``kalai-smorodinsky``: the Kalai–Smorodinsky solution (Kalai–Smorodinsky 1975).

Functions that accept numpy arrays of parameters (sweeps batch them) are marked **vectorised**:
:func:`rubinstein_shares`, :func:`nash_linear_pie`, :func:`fearon_two_types`,
:func:`fearon_uniform`, :func:`powell_offer`, :func:`cs_max_intervals`, :func:`cs_losses`,
:func:`continuous_limit_share`; :func:`batch_closed_form` applies them to a batch model.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import GameValidationError, SolverError
from bargaining.model.bargaining import (
    BargainingModel,
    BargainingProblem,
    CrawfordSobel,
    FearonUltimatum,
    PowellShift,
    Rubinstein,
)
from bargaining.model.profile import Equilibrium, Solution
from bargaining.numeric import to_fraction
from bargaining.solvers.registry import Method, register

__all__ = [
    "rubinstein_shares",
    "rubinstein_iterate",
    "rubinstein_backward",
    "continuous_limit_share",
    "fearon_range",
    "fearon_two_types",
    "fearon_uniform",
    "powell_offer",
    "powell_backward",
    "cs_max_intervals",
    "cs_boundaries",
    "cs_boundaries_numeric",
    "cs_losses",
    "nash_linear_pie",
    "hull_polygon",
    "point_in_polygon",
    "weakly_dominated",
    "batch_closed_form",
    "closed_form",
    "numeric",
    "nash_product",
    "kalai_smorodinsky",
]


# --------------------------------------------------------------------------------------------
# small helpers: exact or float, scalar or array
# --------------------------------------------------------------------------------------------
def _isarr(*vs: Any) -> bool:
    return any(isinstance(v, np.ndarray) for v in vs)


def _max(a: Any, b: Any) -> Any:
    if _isarr(a, b):
        return np.maximum(a, b)
    return a if a >= b else b


def _where(cond: Any, a: Any, b: Any) -> Any:
    if _isarr(cond, a, b):
        return np.where(cond, a, b)
    return a if cond else b


def _num(v: Any, exact: bool) -> Any:
    """A parameter as a Fraction (``exact``), a float, or a float array."""
    if v is None:
        return None
    if isinstance(v, np.ndarray):
        return v.astype(float)
    if exact:
        return to_fraction(v)
    return float(v)


def _solution(model: BargainingModel, concept: str, method: str, eqs: list[Equilibrium], exact: bool,
              options: dict[str, Any], message: str | None = None, complete: bool = True) -> Solution:
    return Solution(game=model, concept=concept, method=method, equilibria=tuple(eqs), complete=complete,
                    exact=exact, options=options, message=message)


# ============================================================================================
# Rubinstein alternating offers
# ============================================================================================
def continuous_limit_share(r_1: Any, r_2: Any) -> Any:
    r"""**Vectorised.** Player 1's share as the time between offers Δ → 0 with δ_i = e^{−r_iΔ}:
    r₂/(r₁ + r₂) (Osborne–Rubinstein 1990, §4.4; Binmore–Rubinstein–Wolinsky 1986)."""
    return r_2 / (r_1 + r_2)


_REGIMES = {
    "a": "no outside option binds",
    "b": "{p2}'s outside option binds",
    "c": "{p1}'s outside option binds",
    "d": "both outside options bind",
}


def _regime_text(letter: str, players: Sequence[str]) -> str:
    return _REGIMES[letter].format(p1=players[0], p2=players[1])


def rubinstein_shares(delta_1: Any, delta_2: Any, outside_1: Any = None, outside_2: Any = None,
                      breakdown: Any = 0, d_1: Any = 0, d_2: Any = 0) -> dict[str, Any]:
    r"""**Vectorised.** Stationary SPE of infinite alternating offers in closed form.

    Let s_i be player i's share when it proposes and r_i its reservation value when it
    responds. With breakdown probability q after a rejection, e_i = q d_i and β_i = (1 − q)δ_i,

        r_i = max(o_i, e_i + β_i s_i),   s_1 = 1 − r_2,   s_2 = 1 − r_1

    (Rubinstein 1982 for q = 0 and no options: s_1 = (1 − δ₂)/(1 − δ₁δ₂); the outside-option
    principle of Binmore–Shaked–Sutton 1989 / Osborne–Rubinstein 1990 §3.12: an option matters
    only when it beats the continuation; Binmore–Rubinstein–Wolinsky 1986 for breakdown). The
    map is a contraction (modulus β₁β₂ < 1), so the fixed point is unique; it solves a linear
    system in one of four regimes:

    (a) neither option binds: s_1 = (1 − β₂ − e₂ + β₂e₁)/(1 − β₁β₂), s_2 symmetric;
    (b) o_2 binds: s_1 = 1 − o_2, s_2 = 1 − e_1 − β_1 s_1;
    (c) o_1 binds: s_2 = 1 − o_1, s_1 = 1 − e_2 − β_2 s_2;
    (d) both bind: s_1 = 1 − o_2, s_2 = 1 − o_1.

    Returns ``s_1, s_2, r_1, r_2`` and ``regime`` (a letter, or an array of letters), plus
    ``valid``: False where no regime's conditions hold (rounding) or the proposer would rather
    not agree; the caller then uses :func:`rubinstein_iterate`. Exact with Fractions.
    """
    q = breakdown
    b1, b2 = (1 - q) * delta_1, (1 - q) * delta_2
    e1, e2 = q * d_1, q * d_2
    den = 1 - b1 * b2
    sa1 = (1 - b2 - e2 + b2 * e1) / den
    sa2 = (1 - b1 - e1 + b1 * e2) / den
    cands = {"a": (sa1, sa2)}
    if outside_2 is not None:
        sb1 = 1 - outside_2
        cands["b"] = (sb1, 1 - e1 - b1 * sb1)
    if outside_1 is not None:
        sc2 = 1 - outside_1
        cands["c"] = (1 - e2 - b2 * sc2, sc2)
    if outside_1 is not None and outside_2 is not None:
        cands["d"] = (1 - outside_2, 1 - outside_1)

    def conds(reg: str, s1: Any, s2: Any) -> Any:
        c1 = e1 + b1 * s1  # 1's continuation value as responder
        c2 = e2 + b2 * s2
        ok1 = (outside_1 is None) or (outside_1 <= c1 if reg in "ab" else outside_1 >= c1)
        ok2 = (outside_2 is None) or (outside_2 <= c2 if reg in "ac" else outside_2 >= c2)
        if _isarr(ok1, ok2):
            return np.logical_and(ok1, ok2)
        return ok1 and ok2

    batch = _isarr(delta_1, delta_2, outside_1, outside_2, breakdown, d_1, d_2)
    if batch:
        shape = np.broadcast_shapes(*(np.shape(v) for v in (delta_1, delta_2, outside_1, outside_2,
                                                             breakdown, d_1, d_2) if v is not None))
        s1 = np.full(shape, np.nan)
        s2 = np.full(shape, np.nan)
        regime = np.full(shape, "", dtype=object)
        for reg, (c1, c2) in cands.items():
            ok = np.broadcast_to(conds(reg, c1, c2), shape) & (regime == "")
            s1 = np.where(ok, np.broadcast_to(c1, shape), s1)
            s2 = np.where(ok, np.broadcast_to(c2, shape), s2)
            regime = np.where(ok, reg, regime)
    else:
        s1 = s2 = None
        regime = ""
        for reg, (c1, c2) in cands.items():
            if conds(reg, c1, c2):
                s1, s2, regime = c1, c2, reg
                break
        if not regime:
            return {"valid": False, "regime": "", "s_1": None, "s_2": None, "r_1": None, "r_2": None}
    r1, r2 = 1 - s2, 1 - s1
    # agreement must beat an unacceptable offer: the responder then rejects (proposer gets e_i +
    # β_i r_i) or, if its option beats continuing, opts out (proposer gets d_i)
    opt2 = outside_2 is not None and (outside_2 > e2 + b2 * s2) if not batch else (
        (outside_2 > e2 + b2 * s2) if outside_2 is not None else False)
    opt1 = outside_1 is not None and (outside_1 > e1 + b1 * s1) if not batch else (
        (outside_1 > e1 + b1 * s1) if outside_1 is not None else False)
    dev1 = _where(opt2, d_1 + 0 * s1, e1 + b1 * r1)
    dev2 = _where(opt1, d_2 + 0 * s2, e2 + b2 * r2)
    good = (s1 >= dev1) & (s2 >= dev2) & (r1 >= 0) & (r2 >= 0) & (r1 <= 1) & (r2 <= 1)
    if batch:
        good = good & (regime != "")
    return {"valid": good, "regime": regime, "s_1": s1, "s_2": s2, "r_1": r1, "r_2": r2}


def _round_op(i: int, cont: tuple[Any, Any], o: tuple[Any, Any], d: tuple[Any, Any]) -> tuple[tuple[Any, Any], dict]:
    """One round with proposer ``i`` (0/1), given both players' payoffs ``cont`` after a
    rejection: the responder's threshold, and the round's outcome."""
    j = 1 - i
    oj = o[j]
    opts = oj is not None and oj > cont[j]
    r = oj if opts else cont[j]
    dev = [None, None]
    dev[i] = d[i] if opts else cont[i]
    dev[j] = oj if opts else cont[j]
    if r <= 1 and 1 - r >= dev[i]:
        out = [None, None]
        out[i], out[j] = 1 - r, r
        return (out[0], out[1]), {"agree": True, "offer": r, "opt_out": False}
    return (dev[0], dev[1]), {"agree": False, "offer": None, "opt_out": opts}


def rubinstein_backward(model: Rubinstein, exact: bool = False, horizon: int | None = None) -> dict[str, Any]:
    r"""Backward induction on the finite game with T = ``horizon`` rounds (Ståhl 1972;
    Osborne–Rubinstein 1990 §3.10). After a rejection in round t < T the talks break down with
    probability q (payoffs d) or go on to round t + 1 discounted by δ_i; a rejection in round T
    ends the game with d. The responder opts out iff its option beats continuing, accepts iff
    the offer is at least its threshold; the proposer offers the threshold unless an
    unacceptable offer is better. Exact with Fractions. Returns round-1 payoffs and offer."""
    T = horizon or model.horizon
    if T is None:
        raise SolverError("rubinstein_backward needs a finite horizon")
    d1, d2 = _num(model.d_1, exact), _num(model.d_2, exact)
    o = (_num(model.outside_1, exact), _num(model.outside_2, exact))
    dl = (_num(model.delta_1, exact), _num(model.delta_2, exact))
    q = _num(model.breakdown, exact)
    vals = (d1, d2)
    info: dict = {}
    for t in range(T, 0, -1):
        proposer = (model.first - 1 + (t - 1)) % 2
        if t == T:
            cont = (d1, d2)
        else:
            cont = (q * d1 + (1 - q) * dl[0] * vals[0], q * d2 + (1 - q) * dl[1] * vals[1])
        vals, info = _round_op(proposer, cont, o, (d1, d2))
    return {"payoffs": vals, "agree": info["agree"], "offer": info["offer"], "rounds": T}


def rubinstein_iterate(model: Rubinstein, tol: float = 1e-13, max_iter: int = 1_000_000) -> dict[str, Any]:
    r"""Numeric SPE of the infinite game: iterate the two-round backward-induction operator
    (the finite game's recursion) from d until it stops moving; it is a contraction with
    modulus (1 − q)²δ₁δ₂, so it converges to the unique stationary SPE. Float arithmetic."""
    d = (float(model.d_1), float(model.d_2))
    o = (None if model.outside_1 is None else float(model.outside_1),
         None if model.outside_2 is None else float(model.outside_2))
    dl = (float(model.delta_1), float(model.delta_2))
    q = float(model.breakdown)
    first = model.first - 1
    vals = d  # payoffs of the game that starts with `first` proposing
    info: dict = {}
    it = 0
    while it < max_iter:
        it += 1
        # round 2 (the other proposes), continuation = vals of a round-1 game
        cont = (q * d[0] + (1 - q) * dl[0] * vals[0], q * d[1] + (1 - q) * dl[1] * vals[1])
        v2, _ = _round_op(1 - first, cont, o, d)
        cont = (q * d[0] + (1 - q) * dl[0] * v2[0], q * d[1] + (1 - q) * dl[1] * v2[1])
        new, info = _round_op(first, cont, o, d)
        info["cont"] = cont
        if max(abs(new[0] - vals[0]), abs(new[1] - vals[1])) < tol:
            vals = new
            break
        vals = new
    return {"payoffs": vals, "agree": info["agree"], "offer": info["offer"], "iterations": it,
            "cont": info.get("cont")}


def verify_rubinstein(model: Rubinstein, s: tuple[Any, Any], exact: bool = False) -> Any:
    r"""Independent certificate of a stationary profile (one-shot deviation principle): player i
    proposes s_i and accepts an offer iff it is at least r_i = 1 − s_j. Returns the largest gain
    from a one-shot deviation: a responder rejecting or opting out at the threshold offer, or a
    proposer making an unacceptable offer."""
    d = (_num(model.d_1, exact), _num(model.d_2, exact))
    o = (_num(model.outside_1, exact), _num(model.outside_2, exact))
    dl = (_num(model.delta_1, exact), _num(model.delta_2, exact))
    q = _num(model.breakdown, exact)
    r = (1 - s[1], 1 - s[0])
    gain = Fraction(0) if exact else 0.0
    for i in (0, 1):
        j = 1 - i
        cont_j = q * d[j] + (1 - q) * dl[j] * s[j]  # j rejects i's offer and proposes next round
        alt_j = cont_j if o[j] is None else _max(cont_j, o[j])
        gain = _max(gain, alt_j - r[j])  # responder j at the threshold offer
        # proposer i: unacceptable offer -> j rejects (i gets q d_i + (1-q) δ_i r_i) or opts out
        if o[j] is not None and o[j] > cont_j:
            dev_i = d[i]
        else:
            dev_i = q * d[i] + (1 - q) * dl[i] * r[i]
        gain = _max(gain, dev_i - s[i])
    return gain


def _rubinstein_solve(model: Rubinstein, exact: bool, numeric_only: bool) -> tuple[Equilibrium, str, str]:
    P = model.players
    first = model.first - 1
    if model.is_batch:
        raise SolverError("a batch of Rubinstein games: use bargaining.solvers.bargaining.batch_closed_form")
    regime = ""
    cf = None
    if model.horizon is not None:
        res = rubinstein_backward(model, exact=exact)
        used = f"exact backward induction over {model.horizon} rounds" if exact else \
            f"backward induction over {model.horizon} rounds"
        pay = res["payoffs"]
        agree = res["agree"]
        s_first = pay[first]
        regime = "finite horizon"
        offer = res["offer"]
        gain = None
    else:
        if not numeric_only:
            cf = rubinstein_shares(
                _num(model.delta_1, exact), _num(model.delta_2, exact), _num(model.outside_1, exact),
                _num(model.outside_2, exact), _num(model.breakdown, exact), _num(model.d_1, exact),
                _num(model.d_2, exact))
        if cf is not None and cf["valid"]:
            s = (cf["s_1"], cf["s_2"])
            regime = f"({cf['regime']}) {_regime_text(cf['regime'], P)}"
            used = "closed form"
        else:
            exact = False
            it = rubinstein_iterate(model)
            # the stationary shares when each proposes
            pay_first = it["payoffs"]
            m2 = Rubinstein(**{**model.parameters(), "first": 3 - model.first, "players": model.players})
            pay_second = rubinstein_iterate(m2)["payoffs"]
            s = [0.0, 0.0]
            s[first] = pay_first[first]
            s[1 - first] = pay_second[1 - first]
            s = tuple(s)
            used = f"numeric (value iteration, {it['iterations']} steps)"
            if not numeric_only:
                used += "; no closed-form regime applies"
            regime = "numeric"
            if not it["agree"]:
                pay = it["payoffs"]
                # certificate: the proposer's best acceptable offer, the responder's other exit
                j = 1 - first
                cont = it["cont"]
                o_raw = (model.outside_1, model.outside_2)[j]
                oj = None if o_raw is None else float(o_raw)
                r_j = cont[j] if oj is None else max(oj, cont[j])
                gain = max(0.0, 1 - r_j - pay[first])
                if oj is not None and oj > cont[j]:
                    gain = max(gain, cont[j] - oj)
                eq = Equilibrium(payoffs=pay, regret=gain, label="no agreement",
                                 extra={"solution": {"agreement": False, "method_used": used,
                                                     "payoffs": dict(zip(P, pay))}})
                return eq, used, regime
        s_first = s[first]
        offer = 1 - s_first
        agree = True
        gain = verify_rubinstein(model, s, exact)
        pay = [None, None]
        pay[first], pay[1 - first] = s_first, 1 - s_first
        pay = tuple(pay)
    shares = dict(zip(P, pay))
    block: dict[str, Any] = {
        "model": "rubinstein",
        "first_proposer": P[first],
        "agreement": bool(agree),
        "agreement_round": 1 if agree else None,
        "offer": offer,
        "accepted": bool(agree),
        "shares": shares,
        "regime": regime,
        "method_used": used,
    }
    if model.horizon is None:
        block["proposer_share"] = {P[0]: s[0], P[1]: s[1]}
        block["reservation"] = {P[0]: 1 - s[1], P[1]: 1 - s[0]}
        if model.outside_1 is not None or model.outside_2 is not None:
            block["outside_options"] = {P[0]: model.outside_1, P[1]: model.outside_2}
    if model.r_1 is not None and model.r_2 is not None:
        lim = continuous_limit_share(_num(model.r_1, exact), _num(model.r_2, exact))
        block["continuous_limit"] = {P[first]: lim if first == 0 else 1 - lim,
                                     P[1 - first]: 1 - lim if first == 0 else lim}
    label = "agreement" if agree else "no agreement"
    if cf is not None and cf["valid"]:
        label = f"agreement; {_regime_text(cf['regime'], P)}"
    regret = gain if gain is not None else (Fraction(0) if exact else 0.0)
    return Equilibrium(payoffs=pay, regret=regret, label=label, extra={"solution": block}), used, regime


# ============================================================================================
# Fearon (1995)
# ============================================================================================
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
    xs = _max(p - c_low, 0 * p)
    xr = _max(p - c_high, 0 * p)
    u_safe = 1 - xs
    u_risky = (1 - pi) * (1 - xr) + pi * war
    risky_distinct = xr < xs
    u_risky = _where(risky_distinct, u_risky, u_safe)
    best_safe = u_safe >= u_risky
    offer = _where(best_safe, xs, xr)
    u = _where(best_safe, u_safe, u_risky)
    p_war = _where(best_safe, 0 * pi, _where(risky_distinct, pi, 0 * pi))
    denom = 1 - xr - war
    pi_star = _where(denom > 0, (xs - xr) / _where(denom > 0, denom, 1 + 0 * denom), 1 + 0 * denom)
    return {"offer": offer, "proposer_payoff": u, "p_war": p_war, "safe_offer": xs, "risky_offer": xr,
            "u_safe": u_safe, "u_risky": u_risky, "war_payoff": war, "pi_star": pi_star,
            "safe": best_safe}


def fearon_uniform(p: Any, c_P: Any, c_low: Any, c_high: Any) -> dict[str, Any]:
    r"""**Vectorised.** Optimal ultimatum when the receiver's cost is uniform on [c_lo, c_hi]
    (Fearon 1995, fn. on the risk–return trade-off). The receiver accepts x iff c ≥ p − x, so
    P(accept) = F(x) = (c_hi − p + x)/(c_hi − c_lo) on [p − c_hi, p − c_lo]. The proposer's
    payoff F(x)(1 − x) + (1 − F(x))(1 − p − c_P) is concave there with stationary point
    x* = p + (c_P − c_hi)/2; the optimum is x* clipped to [max(p − c_hi, 0), p − c_lo] (and 0 if
    p − c_lo < 0). The probability of war is 1 − F(x*)."""
    lo = _max(p - c_high, 0 * p)
    hi = _max(p - c_low, 0 * p)
    x = p + (c_P - c_high) / 2
    x = _where(x < lo, lo, _where(x > hi, hi, x))
    F = (c_high - p + x) / (c_high - c_low)
    F = _where(F > 1, 1 + 0 * F, _where(F < 0, 0 * F, F))
    war = 1 - p - c_P
    u = F * (1 - x) + (1 - F) * war
    return {"offer": x, "proposer_payoff": u, "p_war": 1 - F, "war_payoff": war}


def _fearon_payoff_two(model: FearonUltimatum, x: Any, exact: bool) -> tuple[Any, Any]:
    """Proposer's and (ex ante) receiver's payoff of offer ``x`` against the two types."""
    p, cP, cl, ch, pi = (_num(getattr(model, k), exact) for k in ("p", "c_P", "c_low", "c_high", "pi"))
    up, ur = 0 * p, 0 * p
    for prob, c in ((pi, cl), (1 - pi, ch)):
        if x >= p - c:
            up += prob * (1 - x)
            ur += prob * x
        else:
            up += prob * (1 - p - cP)
            ur += prob * (p - c)
    return up, ur


def verify_fearon(model: FearonUltimatum, x: Any, exact: bool = False, grid: int = 2001) -> Any:
    r"""Independent certificate: receivers best-respond by construction of the acceptance rule
    (accept iff x ≥ p − c), so the regret is the proposer's: the best payoff over a grid of
    offers plus every type's indifference offer, minus the payoff of ``x``."""
    p, cP, cl, ch = (_num(getattr(model, k), exact) for k in ("p", "c_P", "c_low", "c_high"))
    if model.dist == "two-types":
        base = _fearon_payoff_two(model, x, exact)[0]
        cands = [p - cl, p - ch] + [Fraction(k, grid - 1) if exact else k / (grid - 1) for k in range(grid)]
        cands = [c for c in cands if 0 <= c <= 1]
        best = max(_fearon_payoff_two(model, c, exact)[0] for c in cands)
        return _max(best - base, 0 * base)
    xs = np.linspace(0.0, 1.0, grid * 5)
    pf, cPf, clf, chf = float(p), float(cP), float(cl), float(ch)
    F = np.clip((chf - pf + xs) / (chf - clf), 0, 1)
    U = F * (1 - xs) + (1 - F) * (1 - pf - cPf)
    Fx = min(max((chf - pf + float(x)) / (chf - clf), 0.0), 1.0)
    ux = Fx * (1 - float(x)) + (1 - Fx) * (1 - pf - cPf)
    return max(float(U.max()) - ux, 0.0)


def _fearon_solve(model: FearonUltimatum, exact: bool, numeric_only: bool) -> tuple[list[Equilibrium], str]:
    P = model.players
    if model.is_batch:
        raise SolverError("a batch of Fearon games: use bargaining.solvers.bargaining.batch_closed_form")
    exact_ok = exact
    p, cP, cl, ch, pi = (_num(getattr(model, k), exact_ok) for k in ("p", "c_P", "c_low", "c_high", "pi"))
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
            obj = lambda t: -(min(max((chf - pf + t) / (chf - clf), 0), 1) * (1 - t)  # noqa: E731
                              + (1 - min(max((chf - pf + t) / (chf - clf), 0), 1)) * (1 - pf - cPf))
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
        eqs.append(Equilibrium(payoffs=(up, ur), regret=verify_fearon(model, x, False),
                               label="peace" if pw == 0 else "risky offer", extra={"solution": block}))
        return eqs, used
    used = "closed form"
    ranges = {}
    if model.dist == "uniform":
        r = fearon_uniform(p, cP, cl, ch)
        offers = [(r["offer"], r["p_war"])]
        ranges = {"bargaining_range_for_resolute": fearon_range(p, cl, cP),
                  "bargaining_range_for_weak": fearon_range(p, ch, cP)}
    else:
        r = fearon_two_types(p, cP, cl, ch, pi)
        offers = [(r["offer"], r["p_war"])]
        if r["u_safe"] == r["u_risky"] and r["risky_offer"] < r["safe_offer"]:
            offers.append((r["risky_offer"], pi))  # an exact tie: both offers are SPE
        ranges = {"bargaining_range_resolute": fearon_range(p, cl, cP),
                  "bargaining_range_weak": fearon_range(p, ch, cP)}
    for x, pw in offers:
        if model.dist == "uniform":
            F = 1 - pw
            up = F * (1 - x) + (1 - F) * (1 - p - cP)
            # receiver's ex-ante payoff: accept x for c >= p - x, else p - c (mean over the war region)
            cut = _max(_where(p - x > cl, p - x, cl), cl)
            cut = cut if cut <= ch else ch
            frac_war = (cut - cl) / (ch - cl)
            mean_c_war = (cl + cut) / 2
            ur = F * x + frac_war * (p - mean_c_war)
            accept = {"accepting_costs": [cut, ch]}
        else:
            up, ur = _fearon_payoff_two(model, x, exact_ok)
            accept = {"resolute_accepts": bool(x >= p - cl), "weak_accepts": bool(x >= p - ch)}
        block = {
            "model": "fearon-ultimatum",
            "offer": x,
            "shares_if_accepted": {P[0]: 1 - x, P[1]: x},
            "acceptance": accept,
            "p_war": pw,
            "war_payoffs": ({P[0]: 1 - p - cP, P[1] + " (resolute)": p - cl, P[1] + " (weak)": p - ch}
                            if model.dist == "two-types" else {P[0]: 1 - p - cP}),
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
        eqs.append(Equilibrium(payoffs=(up, ur), regret=verify_fearon(model, x, exact_ok), label=label,
                               extra={"solution": block}))
    return eqs, used


# ============================================================================================
# Powell (2006) shifting power
# ============================================================================================
def powell_offer(delta: Any, p_H: Any, p_L: Any, c_R: Any, kappa_R: Any, lambda_0: Any,
                 lambda_A: Any) -> dict[str, Any]:
    r"""**Vectorised.** Stationary SPE of the shifting-power game (Powell 2006, §2; SCENARIOS G5b).

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
    x_L = _where(peace_L, _max(W_L, 0 * W_L), W_L)
    x_H = (W_H * (1 - delta + delta * lambda_0) - delta * lambda_0 * x_L) / (1 - delta)
    peace = x_H <= 1
    offer_H = _max(x_H, 0 * x_H)
    Wbar = (1 - delta + delta * lambda_0 * x_L) / (1 - delta + delta * lambda_0)
    den_a = p_H - c_R - W_L
    lam_star = _where(den_a != 0, (p_H - c_R - Wbar) / _where(den_a != 0, den_a, 1 + 0 * den_a), np.nan)
    den_0 = delta * (W_H - x_L)
    lam0_star = _where(den_0 > 0, (1 - delta) * (1 - W_H) / _where(den_0 > 0, den_0, 1 + 0 * den_0), np.nan)
    return {"W_L": W_L, "W_H": W_H, "x_L": x_L, "x_H_star": x_H, "offer_H": offer_H, "peace": peace,
            "peace_L": peace_L, "lambda_A_star": lam_star, "lambda_0_star": lam0_star}


def powell_backward(model: PowellShift, T: int = 3000) -> dict[str, Any]:
    r"""Independent numeric check: backward induction on the T-period truncation (float). In
    each period and state the US offers the least RU accepts given the continuation (RU's war
    value is its war flow summed over the remaining periods), or RU advances if that exceeds 1.
    Returns the period-1 offer in H (converges to x_H* as T → ∞, error O(δ^T))."""
    dl, pH, pL, cR, kR, l0, lA = (float(getattr(model, k)) for k in
                                  ("delta", "p_H", "p_L", "c_R", "kappa_R", "lambda_0", "lambda_A"))
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


def verify_powell(model: PowellShift, offer_H: Any, offer_L: Any, peace_H: bool, peace_L: bool,
                  exact: bool = False) -> Any:
    r"""Independent certificate of the stationary profile by policy evaluation: RU's values V_L,
    V_H from the offers (linear equations), then the one-shot gains: RU advancing instead of
    accepting; the US lowering its offer (RU advances, the US gets its war flow 1 − p − c_US)
    or, under war, offering the whole flow (RU still advances)."""
    g = {k: _num(getattr(model, k), exact) for k in ("delta", "p_H", "p_L", "c_R", "kappa_R", "lambda_0",
                                                     "lambda_A", "c_US")}
    dl, l0, lA = g["delta"], g["lambda_0"], g["lambda_A"]
    WL = g["p_L"] - g["c_R"] - g["kappa_R"]
    WH = (1 - lA) * (g["p_H"] - g["c_R"]) + lA * WL
    zero = 0 * dl
    # RU's values (total discounted)
    VL = offer_L / (1 - dl) if peace_L else WL / (1 - dl)
    VH = (offer_H + dl * l0 * VL) / (1 - dl * (1 - l0)) if peace_H else WH / (1 - dl)
    gain = zero
    if peace_L:
        gain = _max(gain, WL / (1 - dl) - VL)
        # US (in L): its peace value vs the war it gets by offering less
        us_peace_L = (1 - offer_L) / (1 - dl)
        us_war_L = (1 - g["p_L"] - g["c_US"]) / (1 - dl)
        if offer_L > 0:
            gain = _max(gain, us_war_L - us_peace_L)
    else:
        # RU fights in L although offered the whole flow: check 1 + δV_L < war value
        gain = _max(gain, 1 / (1 - dl) - WL / (1 - dl))
    if peace_H:
        gain = _max(gain, WH / (1 - dl) - VH)
        us_VL = (1 - offer_L) / (1 - dl) if peace_L else (1 - g["p_L"] - g["c_US"]) / (1 - dl)
        us_VH = (1 - offer_H + dl * l0 * us_VL) / (1 - dl * (1 - l0))
        us_war_H = ((1 - lA) * (1 - g["p_H"] - g["c_US"]) + lA * (1 - g["p_L"] - g["c_US"])) / (1 - dl)
        if offer_H > 0:
            gain = _max(gain, us_war_H - us_VH)
    else:
        best_peace = (1 + dl * l0 * VL) / (1 - dl * (1 - l0))  # the whole flow in H while it lasts
        gain = _max(gain, best_peace - WH / (1 - dl))
    return gain


def _powell_solve(model: PowellShift, exact: bool, numeric_only: bool) -> tuple[list[Equilibrium], str]:
    P = model.players
    if model.is_batch:
        raise SolverError("a batch of Powell games: use bargaining.solvers.bargaining.batch_closed_form")
    args = [_num(getattr(model, k), exact) for k in ("delta", "p_H", "p_L", "c_R", "kappa_R", "lambda_0", "lambda_A")]
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
    gain = verify_powell(model, offer_H if peace else 1, offer_L if peace_L else 1, peace, peace_L, exact)
    dl = args[0]
    # per-period values (normalised by 1 − δ)
    lam0 = args[5]
    VL_ru = (offer_L if peace_L else r["W_L"]) / (1 - dl)
    if peace:
        ru = (1 - dl) * (offer_H + dl * lam0 * VL_ru) / (1 - dl * (1 - lam0))
        vL_us = (1 - offer_L) if peace_L else 1 - args[2] - _num(model.c_US, exact)
        us = (1 - dl) * (1 - offer_H + dl * lam0 * vL_us / (1 - dl)) / (1 - dl * (1 - lam0))
    else:
        ru = r["W_H"]
        lA = args[6]
        cUS = _num(model.c_US, exact)
        us = (1 - lA) * (1 - args[1] - cUS) + lA * (1 - args[2] - cUS)
    block = {
        "model": "powell-shift",
        "state_H": {"offer": offer_H if peace else None, "x_H_star": x_H_star, "accepted": peace,
                    "action": "accept" if peace else "advance (preventive war)"},
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
        lb = _num(model.lambda_bar_A, exact)
        block["thresholds"]["zeta_star"] = 1 - r["lambda_A_star"] / lb if lb else None
    label = "peace" if peace else "preventive war"
    eq = Equilibrium(payoffs=(us, ru), regret=gain, label=label, extra={"solution": block})
    return [eq], used


# ============================================================================================
# Crawford–Sobel (1982)
# ============================================================================================
def cs_max_intervals(b: Any) -> Any:
    r"""**Vectorised.** N*(b): the largest N with 2N(N − 1)b < 1 (Crawford–Sobel 1982, §4;
    equivalently ⌈−1/2 + √(1 + 2/b)/2⌉). Exact for Fractions (integer search)."""
    if isinstance(b, np.ndarray):
        n = np.ceil(-0.5 + 0.5 * np.sqrt(1 + 2 / b)).astype(int)
        n = np.maximum(n, 1)
        # guard the float formula at the boundaries
        n = np.where(2 * n * (n - 1) * b >= 1, n - 1, n)
        n = np.where(2 * (n + 1) * n * b < 1, n + 1, n)
        return n
    n = max(1, int(math.ceil(-0.5 + 0.5 * math.sqrt(1 + 2 / float(b)))))
    while n > 1 and 2 * n * (n - 1) * b >= 1:
        n -= 1
    while 2 * (n + 1) * n * b < 1:
        n += 1
    return n


def cs_boundaries(b: Any, N: int, direction: int = 1) -> list[Any]:
    r"""Boundaries t_0 = 0 < t_1 < … < t_N = 1 of the N-interval equilibrium: the sender type
    t_i is indifferent between the actions a_i = (t_{i−1} + t_i)/2 and a_{i+1}, which gives the
    difference equation t_{i+1} = 2t_i − t_{i−1} + 4sb (s = direction), so
    t_i = i/N − 2sb·i(N − i) (Crawford–Sobel 1982, eq. (21)). Exact for Fractions."""
    s = direction
    return [Fraction(i, N) - 2 * s * b * i * (N - i) if isinstance(b, Fraction)
            else i / N - 2 * s * b * i * (N - i) for i in range(N + 1)]


def cs_boundaries_numeric(b: float, N: int, direction: int = 1) -> list[float]:
    r"""Independent check: solve the N − 1 indifference conditions
    (t_i + sb − a_i)² = (t_i + sb − a_{i+1})² with a_i the interval midpoints by scipy's
    ``fsolve``, starting from the uniform partition."""
    from scipy.optimize import fsolve

    if N == 1:
        return [0.0, 1.0]
    s = direction

    def eqs(t: np.ndarray) -> np.ndarray:
        full = np.concatenate([[0.0], t, [1.0]])
        a = (full[:-1] + full[1:]) / 2
        ideal = full[1:-1] + s * b
        return (ideal - a[:-1]) ** 2 - (ideal - a[1:]) ** 2

    sol, info, ok, msg = fsolve(eqs, np.arange(1, N) / N, full_output=True, xtol=1e-13)
    if ok != 1 and float(np.max(np.abs(eqs(sol)))) > 1e-14:
        raise SolverError(f"crawford-sobel: root finding failed for N = {N}: {msg}")
    return [0.0, *map(float, sol), 1.0]


def cs_losses(b: Any, N: Any) -> tuple[Any, Any]:
    r"""**Vectorised.** Expected losses in the N-interval equilibrium: receiver
    Σ(t_i − t_{i−1})³/12 = 1/(12N²) + b²(N² − 1)/3; sender: receiver's loss + b²."""
    if isinstance(b, Fraction) and isinstance(N, int):
        r = Fraction(1, 12 * N * N) + b * b * (N * N - 1) / 3
    else:
        r = 1 / (12 * N * N) + b * b * (N * N - 1) / 3
    return r, r + b * b


def verify_cs(b: Any, direction: int, t: Sequence[Any], a: Sequence[Any], exact: bool = False,
              grid: int = 400) -> Any:
    r"""Independent certificate: the receiver's regret (its action minus the posterior mean of
    each interval) and the sender's largest gain from sending another interval's message, over
    a grid of types and every boundary. Returns the maximum of the two."""
    s = direction
    gain = Fraction(0) if exact else 0.0
    for i in range(len(a)):
        mean = (t[i] + t[i + 1]) / 2
        gain = _max(gain, abs(a[i] - mean))
    types = list(t) + [Fraction(k, grid) if exact else k / grid for k in range(grid + 1)]
    for th in types:
        ideal = th + s * b
        k = 0
        while k < len(a) - 1 and th > t[k + 1]:
            k += 1
        eq_loss = (a[k] - ideal) ** 2
        best = min((x - ideal) ** 2 for x in a)
        gain = _max(gain, eq_loss - best)
    return gain


def _cs_solve(model: CrawfordSobel, exact: bool, numeric_only: bool) -> tuple[list[Equilibrium], str]:
    P = model.players
    if model.is_batch:
        raise SolverError("a batch of Crawford–Sobel games: use bargaining.solvers.bargaining.batch_closed_form")
    b = _num(model.b, exact)
    s = model.direction
    Nmax = cs_max_intervals(b)
    eqs = []
    used = "numeric (root finding on the indifference conditions)" if numeric_only else \
        "closed form (difference equation)"
    if numeric_only:
        exact = False
        b = float(b)
    for N in range(1, Nmax + 1):
        t = cs_boundaries_numeric(b, N, s) if numeric_only else cs_boundaries(b, N, s)
        a = [(t[i] + t[i + 1]) / 2 for i in range(N)]
        rl, sl = cs_losses(b, N)
        if numeric_only:
            rl = sum((t[i + 1] - t[i]) ** 3 for i in range(N)) / 12
            sl = rl + b * b
        block = {
            "model": "crawford-sobel",
            "intervals": N,
            "max_intervals": Nmax,
            "boundaries": t,
            "actions": a,
            "messages": [f"m{i + 1}" for i in range(N)],
            "expected_loss": {P[0]: sl, P[1]: rl},
            "bias": b,
            "direction": "upward" if s == 1 else "downward",
            "method_used": used,
        }
        label = "babbling" if N == 1 else f"{N} messages"
        eqs.append(Equilibrium(payoffs=(-sl, -rl), regret=verify_cs(b, s, t, a, exact), label=label,
                               extra={"solution": block}))
    # deterministic order: most informative first
    eqs.reverse()
    return eqs, used


# ============================================================================================
# Axiomatic solutions: Nash (weighted) and Kalai–Smorodinsky
# ============================================================================================
def nash_linear_pie(d_1: Any, d_2: Any, alpha: Any = Fraction(1, 2)) -> Any:
    r"""**Vectorised.** Player 1's share in the Nash solution of the pie with linear utilities:
    x₁ = d₁ + α(1 − d₁ − d₂) (Nash 1950; weights: Kalai 1977)."""
    return d_1 + alpha * (1 - d_1 - d_2)


def _cross(o: Sequence[Any], a: Sequence[Any], b: Sequence[Any]) -> Any:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def hull_polygon(points: Sequence[Sequence[Any]]) -> list[tuple[Any, Any]]:
    r"""The convex hull of ``points`` as its vertices in counter-clockwise order, keeping the
    points' own number type (Fractions stay exact). Uses ``scipy.spatial.ConvexHull`` (Qhull);
    collinear inputs give a segment (two vertices), a single point gives one vertex."""
    pts = [tuple(p) for p in points]
    uniq = list(dict.fromkeys(pts))
    if len(uniq) == 0:
        raise GameValidationError("the feasible set is empty: give at least one point")
    arr = np.asarray([[float(x), float(y)] for x, y in uniq])
    if len(uniq) >= 3:
        from scipy.spatial import ConvexHull, QhullError

        try:
            hull = ConvexHull(arr)
            verts = [uniq[k] for k in hull.vertices]  # counter-clockwise in 2-D
            if _cross(verts[0], verts[1], verts[2]) < 0:
                verts.reverse()
            return verts
        except QhullError:
            pass  # collinear
    order = np.lexsort((arr[:, 1], arr[:, 0]))
    lo, hi = uniq[order[0]], uniq[order[-1]]
    return [lo] if lo == hi else [lo, hi]


def point_in_polygon(poly: Sequence[Sequence[Any]], pt: Sequence[Any], tol: float = 1e-12) -> bool:
    """True if ``pt`` lies in the convex polygon (counter-clockwise vertices), boundary included."""
    exact = all(isinstance(v, (int, Fraction)) for q in list(poly) + [pt] for v in q)
    eps = 0 if exact else tol
    if len(poly) == 1:
        return all(abs(poly[0][k] - pt[k]) <= eps for k in (0, 1))
    if len(poly) == 2:
        a, b = poly
        if abs(_cross(a, b, pt)) > eps * max(1.0, abs(float(b[0] - a[0])) + abs(float(b[1] - a[1]))):
            return False
        return all(min(a[k], b[k]) - eps <= pt[k] <= max(a[k], b[k]) + eps for k in (0, 1))
    n = len(poly)
    return all(_cross(poly[i], poly[(i + 1) % n], pt) >= -eps for i in range(n))


def weakly_dominated(poly: Sequence[Sequence[Any]], pt: Sequence[Any]) -> bool:
    """True if some point of the convex polygon is weakly above ``pt`` in both coordinates
    (``pt`` is in the polygon's free-disposal hull)."""
    return bool(_clip(_clip(list(map(tuple, poly)), 0, pt[0]), 1, pt[1]))


def _clip(poly: list[tuple[Any, Any]], axis: int, bound: Any) -> list[tuple[Any, Any]]:
    """Sutherland–Hodgman: the part of the polygon with u[axis] ≥ bound."""
    if not poly:
        return []
    out = []
    n = len(poly)
    for k in range(n):
        cur, nxt = poly[k], poly[(k + 1) % n]
        cin, nin = cur[axis] >= bound, nxt[axis] >= bound
        if cin:
            out.append(cur)
        if cin != nin and n > 1:
            t = (bound - cur[axis]) / (nxt[axis] - cur[axis])
            out.append((cur[0] + t * (nxt[0] - cur[0]), cur[1] + t * (nxt[1] - cur[1])))
    return list(dict.fromkeys(out))


def _edges(poly: list[tuple[Any, Any]]) -> list[tuple[tuple[Any, Any], tuple[Any, Any]]]:
    if len(poly) == 1:
        return [(poly[0], poly[0])]
    if len(poly) == 2:
        return [(poly[0], poly[1])]
    return [(poly[k], poly[(k + 1) % len(poly)]) for k in range(len(poly))]


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
    poly = _clip(_clip(hull_polygon(points), 0, d[0]), 1, d[1])
    best, best_val = None, -math.inf
    for P, Q in _edges(poly):
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
    poly = _clip(_clip(hull_polygon(points), 0, d[0]), 1, d[1])
    I = (max(p[0] for p in poly), max(p[1] for p in poly))
    g = (I[0] - d[0], I[1] - d[1])
    if g[0] == 0 or g[1] == 0:
        return d, I
    best = None
    for P, Q in _edges(poly):
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


def _frontier_sample(model: BargainingProblem, n: int = 20001) -> np.ndarray:
    """Points of the weak Pareto frontier (float), for certificates."""
    rep = model.representation
    if rep == "points":
        poly = hull_polygon([(float(x), float(y)) for x, y in model.points])
        pts = []
        for P, Q in _edges(poly):
            t = np.linspace(0, 1, max(2, n // max(1, len(poly))))
            pts.append(np.column_stack([P[0] + t * (Q[0] - P[0]), P[1] + t * (Q[1] - P[1])]))
        return np.vstack(pts)
    if rep == "frontier":
        x = np.linspace(float(model.lo), float(model.hi), n)
        return np.column_stack([x, [float(model.frontier(v)) for v in x]])
    u1, u2 = model.utilities()
    x = np.linspace(0.0, 1.0, n)
    return np.column_stack([np.asarray(u1(x), dtype=float), np.asarray(u2(1 - x), dtype=float)])


def verify_nash(model: BargainingProblem, u: Sequence[Any]) -> float:
    r"""Optimality gap of a Nash solution: the largest weighted log Nash product over a dense
    sample of the frontier minus the solution's (≥ 0; float)."""
    S = _frontier_sample(model)
    d = (float(model.d_1), float(model.d_2))
    a = float(model.alpha)
    g1, g2 = S[:, 0] - d[0], S[:, 1] - d[1]
    ok = (g1 > 0) & (g2 > 0)
    if not ok.any():
        return 0.0
    best = float(np.max(a * np.log(g1[ok]) + (1 - a) * np.log(g2[ok])))
    mine = _log_nash(u, d, a)
    return max(0.0, best - mine)


def verify_ks(model: BargainingProblem, u: Sequence[Any], ideal: Sequence[Any]) -> float:
    r"""Certificate of a Kalai–Smorodinsky point: the violation of proportionality
    |(u₁ − d₁)(I₂ − d₂) − (u₂ − d₂)(I₁ − d₁)| plus the largest amount by which a sampled
    frontier point dominates u in both coordinates (weak Pareto optimality)."""
    d = (float(model.d_1), float(model.d_2))
    prop = abs((float(u[0]) - d[0]) * (float(ideal[1]) - d[1]) - (float(u[1]) - d[1]) * (float(ideal[0]) - d[0]))
    S = _frontier_sample(model)
    dom = np.minimum(S[:, 0] - float(u[0]), S[:, 1] - float(u[1]))
    return max(prop, float(np.max(dom)), 0.0)


def _axiomatic(model: BargainingProblem, concept: str, exact: bool, numeric_only: bool) -> tuple[Equilibrium, str]:
    P = model.players
    rep = model.representation
    d = (_num(model.d_1, exact), _num(model.d_2, exact))
    alpha = _num(model.alpha, exact)
    share = None
    ideal = None
    if rep == "points" and not numeric_only:
        pts = [(_num(x, exact), _num(y, exact)) for x, y in model.points]
        if concept == "nash-bargaining":
            u = _nash_polygon(pts, d, alpha)
        else:
            u, ideal = _ks_polygon(pts, d)
        used = "exact: edges of the convex hull" if exact else "edges of the convex hull (closed form per edge)"
    elif rep == "pie" and model.linear_pie and not numeric_only:
        # linear pie: Nash x1 = d1 + α(1 − d1 − d2); KS: the ray from d to the ideal (1 − d2, 1 − d1)
        if concept == "nash-bargaining":
            share = nash_linear_pie(d[0], d[1], alpha)
        else:
            share = d[0] + (1 - d[0] - d[1]) / 2
            ideal = (1 - d[1], 1 - d[0])
        u = (share, 1 - share)
        used = "closed form (linear utilities)"
    elif rep == "pie" and not numeric_only and concept == "nash-bargaining" and model.u_1 is None \
            and model.u_2 is None and d[0] == 0 and d[1] == 0:
        r1, r2 = _num(model.rho_1, exact), _num(model.rho_2, exact)
        share = alpha * r1 / (alpha * r1 + (1 - alpha) * r2)
        u1, u2 = model.utilities()
        u = (u1(share), u2(1 - share)) if not exact or (r1 == 1 and r2 == 1) else (
            float(share) ** float(r1), float(1 - share) ** float(r2))
        if r1 != 1 or r2 != 1:
            u = (float(share) ** float(r1), float(1 - share) ** float(r2))
        used = "closed form (power utilities, d = 0: x = αρ₁/(αρ₁ + (1 − α)ρ₂))"
    else:
        used = "numeric (" + ("scipy bounded maximisation of the Nash product" if concept == "nash-bargaining"
                              else "root finding on the ray to the ideal point") + ")"
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
                    res = minimize(obj, st, method="SLSQP", bounds=[(0, 1)] * k,
                                   constraints=[{"type": "eq", "fun": lambda lam: lam.sum() - 1},
                                                {"type": "ineq", "fun": lambda lam: lam @ S - np.asarray(df)}],
                                   options={"ftol": 1e-15, "maxiter": 500})
                    if best is None or res.fun < best.fun:
                        best = res
                u = tuple(float(v) for v in best.x @ S)
            else:
                from scipy.optimize import linprog

                I = []
                for i in (0, 1):
                    c = np.zeros(k)
                    c -= S[:, i]
                    res = linprog(c, A_ub=-S.T, b_ub=-np.asarray(df), A_eq=np.ones((1, k)), b_eq=[1], bounds=[(0, 1)] * k)
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
    if concept == "nash-bargaining":
        regret = verify_nash(model, u)
    else:
        if ideal is None:
            ideal = u
        regret = verify_ks(model, u, ideal)
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
        block["ideal_point"] = dict(zip(P, ideal))
    if share is not None:
        block["shares"] = {P[0]: share, P[1]: 1 - share}
    label = "Nash bargaining solution" if concept == "nash-bargaining" else "Kalai–Smorodinsky solution"
    if tuple(u) == tuple(d):
        label += " (disagreement point: no mutual gain)"
    return Equilibrium(payoffs=tuple(u), regret=regret, label=label, extra={"solution": block}), used


def _rubinstein_as_pie(model: Rubinstein) -> BargainingProblem:
    """The axiomatic problem behind a Rubinstein game: the pie with linear utilities; the
    disagreement point is each player's outside option (or d_i) — the "naive" Nash solution
    that the outside-option principle corrects (Osborne–Rubinstein 1990 §3.12)."""
    d1 = model.d_1 if model.outside_1 is None else max(model.outside_1, model.d_1)
    d2 = model.d_2 if model.outside_2 is None else max(model.outside_2, model.d_2)
    return BargainingProblem(d_1=d1, d_2=d2, players=model.players, title=model.title)


# ============================================================================================
# method entry points
# ============================================================================================
def _check_model(game: Any, method: str) -> None:
    if not isinstance(game, BargainingModel):
        raise SolverError(f"method {method!r} solves bargaining models, not {type(game).__name__}")


def _solve_model(game: BargainingModel, exact: bool, numeric_only: bool, method: str,
                 options: dict[str, Any]) -> Solution:
    t0 = time.perf_counter()
    if isinstance(game, Rubinstein):
        eq, used, _ = _rubinstein_solve(game, exact, numeric_only)
        exact_out = exact and "closed form" in used or (exact and "exact backward" in used)
        sol = _solution(game, "subgame-perfect", method, [eq], exact_out, options,
                        message=None if "closed form" in used or numeric_only else f"method used: {used}")
    elif isinstance(game, FearonUltimatum):
        eqs, used = _fearon_solve(game, exact, numeric_only)
        sol = _solution(game, "subgame-perfect", method, eqs, exact and not numeric_only, options)
    elif isinstance(game, PowellShift):
        eqs, used = _powell_solve(game, exact, numeric_only)
        sol = _solution(game, "subgame-perfect", method, eqs, exact and not numeric_only, options)
    elif isinstance(game, CrawfordSobel):
        eqs, used = _cs_solve(game, exact, numeric_only)
        sol = _solution(game, "perfect-bayesian", method, eqs, exact and not numeric_only, options,
                        complete=True)
    elif isinstance(game, BargainingProblem):
        eq, used = _axiomatic(game, game.concept, exact, numeric_only)
        ex = exact and not used.startswith("numeric") and all(
            isinstance(v, (int, Fraction)) for v in eq.payoffs)
        sol = _solution(game, game.concept, method, [eq], ex, options,
                        message=None if not used.startswith("numeric") or numeric_only else f"method used: {used}")
    else:  # pragma: no cover - every model class is listed above
        raise SolverError(f"no solver for model {type(game).__name__}")
    return sol.replace(extra={"seconds": time.perf_counter() - t0})


def closed_form(game: Any, *, timeout: float | None = None, exact: bool = False, **options: Any) -> Solution:
    """Closed form of the model in its regime; numeric method outside it (``method_used``)."""
    _check_model(game, "closed-form")
    options.pop("tie_break", None)
    return _solve_model(game, exact, False, "closed-form", options)


def numeric(game: Any, *, timeout: float | None = None, exact: bool = False, **options: Any) -> Solution:
    """The independent numeric method of each model (float arithmetic)."""
    _check_model(game, "numeric")
    options.pop("tie_break", None)
    return _solve_model(game, False, True, "numeric", options)


def _axiomatic_entry(concept: str, method: str) -> Callable[..., Solution]:
    def run(game: Any, *, timeout: float | None = None, exact: bool = False, **options: Any) -> Solution:
        _check_model(game, method)
        options.pop("tie_break", None)
        numeric_only = bool(options.pop("numeric", False))
        if isinstance(game, Rubinstein):
            game = _rubinstein_as_pie(game)
        if not isinstance(game, BargainingProblem):
            raise SolverError(f"method {method!r} solves bargaining problems (nash-bargaining, rubinstein), "
                              f"not model {game.model!r}")
        from dataclasses import replace

        g = replace(game, concept=concept) if game.concept != concept else game
        return _solve_model(g, exact, numeric_only, method, options)

    run.__name__ = method.replace("-", "_")
    run.__doc__ = f"The {concept} solution of a bargaining problem (exact on polygons and linear pies)."
    return run


nash_product = _axiomatic_entry("nash-bargaining", "nash-product")
kalai_smorodinsky = _axiomatic_entry("kalai-smorodinsky", "kalai-smorodinsky")


def batch_closed_form(model: BargainingModel) -> dict[str, Any]:
    r"""The closed forms over a batch model (parameters as numpy arrays, broadcast together):
    arrays of the model's headline quantities, for sweeps. Rubinstein: ``share_1``, ``share_2``
    (round-1 agreement), ``regime`` and ``valid`` (False → solve those points one by one);
    Nash/KS linear pie: ``share_1``; Fearon: ``offer``, ``p_war``, ``proposer_payoff``; Powell:
    ``offer_H``, ``x_H_star``, ``peace``; Crawford–Sobel: ``max_intervals`` and the losses of
    the most informative equilibrium."""
    f = lambda v: None if v is None else np.asarray(v, dtype=float)  # noqa: E731
    if isinstance(model, Rubinstein):
        if model.horizon is not None:
            raise SolverError("batch closed forms need an infinite horizon")
        r = rubinstein_shares(f(model.delta_1), f(model.delta_2), f(model.outside_1), f(model.outside_2),
                              f(model.breakdown), f(model.d_1), f(model.d_2))
        first = r["s_1"] if model.first == 1 else 1 - r["s_2"]
        return {"share_1": first, "share_2": 1 - first, "regime": r["regime"], "valid": r["valid"]}
    if isinstance(model, BargainingProblem):
        if not model.linear_pie:
            raise SolverError("batch closed forms cover the pie with linear utilities only")
        if model.concept == "nash-bargaining":
            s = nash_linear_pie(f(model.d_1), f(model.d_2), f(model.alpha))
        else:
            s = f(model.d_1) + (1 - f(model.d_1) - f(model.d_2)) / 2
        return {"share_1": s, "share_2": 1 - s}
    if isinstance(model, FearonUltimatum):
        args = [f(getattr(model, k)) for k in ("p", "c_P", "c_low", "c_high")]
        return fearon_uniform(*args) if model.dist == "uniform" else fearon_two_types(*args, f(model.pi))
    if isinstance(model, PowellShift):
        return powell_offer(*(f(getattr(model, k)) for k in ("delta", "p_H", "p_L", "c_R", "kappa_R",
                                                              "lambda_0", "lambda_A")))
    if isinstance(model, CrawfordSobel):
        b = f(model.b)
        n = cs_max_intervals(b)
        rl, sl = cs_losses(b, n)
        return {"max_intervals": n, "receiver_loss": rl, "sender_loss": sl}
    raise SolverError(f"no batch closed form for {type(model).__name__}")


register(Method("closed-form", ("model",), "subgame-perfect", closed_form,
                "bargaining models: closed form in its regime (numeric outside it); complete"))
register(Method("numeric", ("model",), "subgame-perfect", numeric,
                "bargaining models: independent numeric method (value iteration, root finding, scipy)"))
register(Method("nash-product", ("model",), "nash-bargaining", nash_product,
                "Nash bargaining solution (weighted): exact on polygons and linear pies"))
register(Method("kalai-smorodinsky", ("model",), "kalai-smorodinsky", kalai_smorodinsky,
                "Kalai–Smorodinsky solution: exact on polygons and linear pies"))
