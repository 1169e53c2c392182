r"""Independent certificates of the bargaining models' equilibria (written apart from the
solvers in :mod:`bargaining.solvers.models`).

Each ``verify_*`` returns the largest gain from a one-shot deviation (Rubinstein, Fearon,
Powell, Crawford–Sobel; the one-shot deviation principle for discounted games) or the
optimality gap of an axiomatic solution on a dense sample of the frontier (Nash,
Kalai–Smorodinsky). :func:`model_regret` reads an equilibrium's ``solution`` block and picks
the right check; :func:`bargaining.verify.certify` calls it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.model.bargaining import (
    BargainingModel,
    BargainingProblem,
    CrawfordSobel,
    FearonUltimatum,
    PowellShift,
    Rubinstein,
)
from bargaining.model.geometry import hull_polygon, polygon_edges
from bargaining.model.profile import Equilibrium
from bargaining.numeric import to_fraction

__all__ = [
    "verify_rubinstein",
    "verify_fearon",
    "verify_powell",
    "verify_cs",
    "verify_nash",
    "verify_ks",
    "model_regret",
]


def _isarr(*vs: Any) -> bool:
    return any(isinstance(v, np.ndarray) for v in vs)


def _max(a: Any, b: Any) -> Any:
    if _isarr(a, b):
        return np.maximum(a, b)
    return a if a >= b else b


def _num(v: Any, exact: bool) -> Any:
    if v is None:
        return None
    if exact:
        return to_fraction(v)
    return float(v)


def _exact(*values: Any) -> bool:
    return all(isinstance(v, (int, Fraction)) and not isinstance(v, bool) for v in values if v is not None)


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


def verify_powell(
    model: PowellShift, offer_H: Any, offer_L: Any, peace_H: bool, peace_L: bool, exact: bool = False
) -> Any:
    r"""Independent certificate of the stationary profile by policy evaluation: RU's values V_L,
    V_H from the offers (linear equations), then the one-shot gains: RU advancing instead of
    accepting; the US lowering its offer (RU advances, the US gets its war flow 1 − p − c_US)
    or, under war, offering the whole flow (RU still advances)."""
    g = {
        k: _num(getattr(model, k), exact)
        for k in ("delta", "p_H", "p_L", "c_R", "kappa_R", "lambda_0", "lambda_A", "c_US")
    }
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


def verify_cs(
    b: Any, direction: int, t: Sequence[Any], a: Sequence[Any], exact: bool = False, grid: int = 400
) -> Any:
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


def _log_nash(u: Sequence[Any], d: Sequence[Any], alpha: Any) -> float:
    g1, g2 = float(u[0] - d[0]), float(u[1] - d[1])
    if g1 <= 0 or g2 <= 0:
        return -math.inf
    return float(alpha) * math.log(g1) + (1 - float(alpha)) * math.log(g2)


def _frontier_sample(model: BargainingProblem, n: int = 20001) -> np.ndarray:
    """Points of the weak Pareto frontier (float), for certificates."""
    rep = model.representation
    if rep == "points":
        poly = hull_polygon([(float(x), float(y)) for x, y in model.points])
        pts = []
        for P, Q in polygon_edges(poly):
            t = np.linspace(0, 1, max(2, n // max(1, len(poly))))
            pts.append(np.column_stack([P[0] + t * (Q[0] - P[0]), P[1] + t * (Q[1] - P[1])]))
        return np.vstack(pts)
    if rep == "frontier":
        frontier = model.frontier
        assert frontier is not None  # the frontier representation has one
        x = np.linspace(float(model.lo), float(model.hi), n)
        return np.column_stack([x, [float(frontier(v)) for v in x]])
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
    prop = abs(
        (float(u[0]) - d[0]) * (float(ideal[1]) - d[1]) - (float(u[1]) - d[1]) * (float(ideal[0]) - d[0])
    )
    S = _frontier_sample(model)
    dom = np.minimum(S[:, 0] - float(u[0]), S[:, 1] - float(u[1]))
    return max(prop, float(np.max(dom)), 0.0)


# --------------------------------------------------------------------------------------------
# dispatch: an equilibrium of a model -> its regret
# --------------------------------------------------------------------------------------------
def _rubinstein_regret(model: Rubinstein, eq: Equilibrium, concept: str) -> Any:
    block = eq.extra.get("solution", {})
    P = model.players
    if not block.get("agreement", True) and eq.witness and "continuation" in eq.witness:
        # no agreement: the proposer's best acceptable offer must not beat the payoff, and the
        # responder's exit must be optimal, given the continuation payoffs after a rejection
        first = P.index(block["first_proposer"])
        j = 1 - first
        cont = [float(c) for c in eq.witness["continuation"]]
        o_raw = (model.outside_1, model.outside_2)[j]
        oj = None if o_raw is None else float(o_raw)
        r_j = cont[j] if oj is None else max(oj, cont[j])
        gain = max(0.0, 1 - r_j - float(eq.payoffs[first]))
        if oj is not None and oj > cont[j]:
            gain = max(gain, cont[j] - oj)
        return gain
    if "proposer_share" not in block:
        return None  # finite horizon: no stationary profile to check (uncertified)
    s = (block["proposer_share"][P[0]], block["proposer_share"][P[1]])
    return verify_rubinstein(model, s, _exact(*s))


def _fearon_regret(model: FearonUltimatum, eq: Equilibrium, concept: str) -> Any:
    x = eq.extra["solution"]["offer"]
    return verify_fearon(model, x, _exact(x) and model.dist == "two-types")


def _powell_regret(model: PowellShift, eq: Equilibrium, concept: str) -> Any:
    b = eq.extra["solution"]
    peace, peace_L = bool(b["state_H"]["accepted"]), bool(b["state_L"]["accepted"])
    oH = b["state_H"]["offer"] if peace else 1
    oL = b["state_L"]["offer"] if peace_L else 1
    return verify_powell(model, oH, oL, peace, peace_L, _exact(oH, oL) and model.exact)


def _cs_regret(model: CrawfordSobel, eq: Equilibrium, concept: str) -> Any:
    b = eq.extra["solution"]
    s = 1 if b["direction"] == "upward" else -1
    t, a = b["boundaries"], b["actions"]
    return verify_cs(b["bias"], s, t, a, _exact(b["bias"], *t, *a))


def _axiomatic_regret(model: BargainingProblem, eq: Equilibrium, concept: str) -> Any:
    b = eq.extra["solution"]
    P = model.players
    u = (b["utilities"][P[0]], b["utilities"][P[1]])
    if concept == "nash-bargaining":
        return verify_nash(model, u)
    ideal = b.get("ideal_point")
    ideal = u if ideal is None else (ideal[P[0]], ideal[P[1]])
    return verify_ks(model, u, ideal)


#: model type -> certificate of one equilibrium (add a model in one line)
MODEL_VERIFIERS: dict[type, Callable[[Any, Equilibrium, str], Any]] = {
    Rubinstein: _rubinstein_regret,
    FearonUltimatum: _fearon_regret,
    PowellShift: _powell_regret,
    CrawfordSobel: _cs_regret,
    BargainingProblem: _axiomatic_regret,
}


def model_regret(model: BargainingModel, eq: Equilibrium, concept: str) -> Any:
    """The certificate of one equilibrium of a bargaining model (``None``: no check applies)."""
    check = MODEL_VERIFIERS.get(type(model))
    if check is None:
        return None
    return check(model, eq, concept)
