r"""Rubinstein (1982) alternating offers: closed form with outside options and breakdown risk,
value iteration, finite-horizon backward induction. The certificate is
:func:`bargaining.verify.models.verify_rubinstein` (run by the dispatcher)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from bargaining.errors import SolverError
from bargaining.model.bargaining import Rubinstein
from bargaining.model.profile import Equilibrium
from bargaining.solvers.models.common import isarr, num, vwhere

__all__ = [
    "continuous_limit_share",
    "rubinstein_shares",
    "rubinstein_backward",
    "rubinstein_iterate",
    "solve_rubinstein",
    "batch_rubinstein",
]


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


def rubinstein_shares(
    delta_1: Any,
    delta_2: Any,
    outside_1: Any = None,
    outside_2: Any = None,
    breakdown: Any = 0,
    d_1: Any = 0,
    d_2: Any = 0,
) -> dict[str, Any]:
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
        if isarr(ok1, ok2):
            return np.logical_and(ok1, ok2)
        return ok1 and ok2

    batch = isarr(delta_1, delta_2, outside_1, outside_2, breakdown, d_1, d_2)
    s1: Any  # arrays in a batch, numbers otherwise
    s2: Any
    regime: Any
    if batch:
        shape = np.broadcast_shapes(
            *(
                np.shape(v)
                for v in (delta_1, delta_2, outside_1, outside_2, breakdown, d_1, d_2)
                if v is not None
            )
        )
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
    opt2 = (
        outside_2 is not None and (outside_2 > e2 + b2 * s2)
        if not batch
        else ((outside_2 > e2 + b2 * s2) if outside_2 is not None else False)
    )
    opt1 = (
        outside_1 is not None and (outside_1 > e1 + b1 * s1)
        if not batch
        else ((outside_1 > e1 + b1 * s1) if outside_1 is not None else False)
    )
    dev1 = vwhere(opt2, d_1 + 0 * s1, e1 + b1 * r1)
    dev2 = vwhere(opt1, d_2 + 0 * s2, e2 + b2 * r2)
    good = (s1 >= dev1) & (s2 >= dev2) & (r1 >= 0) & (r2 >= 0) & (r1 <= 1) & (r2 <= 1)
    if batch:
        good = good & (regime != "")
    return {"valid": good, "regime": regime, "s_1": s1, "s_2": s2, "r_1": r1, "r_2": r2}


def _round_op(
    i: int, cont: tuple[Any, Any], o: tuple[Any, Any], d: tuple[Any, Any]
) -> tuple[tuple[Any, Any], dict]:
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
    d1, d2 = num(model.d_1, exact), num(model.d_2, exact)
    o = (num(model.outside_1, exact), num(model.outside_2, exact))
    dl = (num(model.delta_1, exact), num(model.delta_2, exact))
    q = num(model.breakdown, exact)
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
    o = (
        None if model.outside_1 is None else float(model.outside_1),
        None if model.outside_2 is None else float(model.outside_2),
    )
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
    return {
        "payoffs": vals,
        "agree": info["agree"],
        "offer": info["offer"],
        "iterations": it,
        "cont": info.get("cont"),
    }


def solve_rubinstein(model: Rubinstein, exact: bool, numeric_only: bool) -> tuple[Equilibrium, str, str]:
    """The SPE of ``model`` (closed form in its regime, else value iteration; backward induction
    for a finite horizon): the equilibrium, the method used and the regime."""
    P = model.players
    first = model.first - 1
    if model.is_batch:
        raise SolverError("a batch of Rubinstein games: use bargaining.solvers.models.batch_closed_form")
    regime = ""
    cf = None
    if model.horizon is not None:
        res = rubinstein_backward(model, exact=exact)
        used = (
            f"exact backward induction over {model.horizon} rounds"
            if exact
            else f"backward induction over {model.horizon} rounds"
        )
        pay = res["payoffs"]
        agree = res["agree"]
        s_first = pay[first]
        regime = "finite horizon"
        offer = res["offer"]
    else:
        if not numeric_only:
            cf = rubinstein_shares(
                num(model.delta_1, exact),
                num(model.delta_2, exact),
                num(model.outside_1, exact),
                num(model.outside_2, exact),
                num(model.breakdown, exact),
                num(model.d_1, exact),
                num(model.d_2, exact),
            )
        if cf is not None and cf["valid"]:
            s: tuple[Any, ...] = (cf["s_1"], cf["s_2"])
            regime = f"({cf['regime']}) {_regime_text(cf['regime'], P)}"
            used = "closed form"
        else:
            exact = False
            it = rubinstein_iterate(model)
            # the stationary shares when each proposes
            pay_first = it["payoffs"]
            m2 = Rubinstein(**{**model.parameters(), "first": 3 - model.first, "players": model.players})
            pay_second = rubinstein_iterate(m2)["payoffs"]
            stationary = [0.0, 0.0]
            stationary[first] = pay_first[first]
            stationary[1 - first] = pay_second[1 - first]
            s = tuple(stationary)
            used = f"numeric (value iteration, {it['iterations']} steps)"
            if not numeric_only:
                used += "; no closed-form regime applies"
            regime = "numeric"
            if not it["agree"]:
                pay = it["payoffs"]
                # the verifier checks the proposer's best acceptable offer against the
                # continuation payoffs after a rejection (the witness)
                eq = Equilibrium(
                    payoffs=pay,
                    regret=None,
                    label="no agreement",
                    extra={
                        "solution": {
                            "model": "rubinstein",
                            "first_proposer": P[first],
                            "agreement": False,
                            "method_used": used,
                            "payoffs": dict(zip(P, pay)),
                        }
                    },
                    witness={"continuation": tuple(it["cont"])},
                )
                return eq, used, regime
        s_first = s[first]
        offer = 1 - s_first
        agree = True
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
        lim = continuous_limit_share(num(model.r_1, exact), num(model.r_2, exact))
        block["continuous_limit"] = {
            P[first]: lim if first == 0 else 1 - lim,
            P[1 - first]: 1 - lim if first == 0 else lim,
        }
    label = "agreement" if agree else "no agreement"
    if cf is not None and cf["valid"]:
        label = f"agreement; {_regime_text(cf['regime'], P)}"
    return Equilibrium(payoffs=pay, regret=None, label=label, extra={"solution": block}), used, regime


def batch_rubinstein(model: Rubinstein, f: Any) -> dict[str, Any]:
    """**Vectorised.** Round-1 shares over a batch (``f`` turns a parameter into a float array)."""
    if model.horizon is not None:
        raise SolverError("batch closed forms need an infinite horizon")
    r = rubinstein_shares(
        f(model.delta_1),
        f(model.delta_2),
        f(model.outside_1),
        f(model.outside_2),
        f(model.breakdown),
        f(model.d_1),
        f(model.d_2),
    )
    first = r["s_1"] if model.first == 1 else 1 - r["s_2"]
    return {"share_1": first, "share_2": 1 - first, "regime": r["regime"], "valid": r["valid"]}
