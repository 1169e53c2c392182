r"""Closed forms of the built-in bargaining models, with the region of each regime.

Rubinstein alternating offers with outside options and breakdown risk (Rubinstein 1982;
Binmore–Shaked–Sutton 1989; Osborne–Rubinstein, *Bargaining and Markets*, 1990, §3.12;
Binmore–Rubinstein–Wolinsky 1986). With β_i = (1 − q)δ_i and e_i = q d_i, the stationary SPE has
proposer shares s_i and responder values r_i = max(o_i, e_i + β_i s_i), s_1 = 1 − r_2,
s_2 = 1 − r_1. Each pattern of binding options is a linear system:

(a) no option binds: s_1 = (1 − β₂ − e₂ + β₂e₁)/(1 − β₁β₂)   [o_1 <= e_1 + β_1 s_1, o_2 <= e_2 + β_2 s_2]
(b) o_2 binds: s_1 = 1 − o_2, s_2 = 1 − e_1 − β_1 s_1          [o_1 <= …, o_2 >= …]
(c) o_1 binds: s_2 = 1 − o_1, s_1 = 1 − e_2 − β_2 s_2          [o_1 >= …, o_2 <= …]
(d) both bind: s_1 = 1 − o_2, s_2 = 1 − o_1                    [o_1 >= …, o_2 >= …]

The bracketed conditions are the regime's region (polynomial after clearing 1 − β₁β₂ > 0).
Agreement is immediate; the first proposer's share is its s_i. Other models are refused.
"""

from __future__ import annotations

import sympy as sp

from bargaining.solvers.budget import Deadline
from bargaining.solvers.symbolic.convert import SymbolicError, SymbolicSetup
from bargaining.solvers.symbolic.family import Family

__all__ = ["model_families"]

_TEXT = {
    "a": "no outside option binds",
    "b": "{p2}'s outside option binds",
    "c": "{p1}'s outside option binds",
    "d": "both outside options bind",
}


def model_families(st: SymbolicSetup, deadline: Deadline) -> tuple[list[Family], list[str]]:
    body = st.body
    model = body.get("model")
    if model != "rubinstein":
        raise SymbolicError(
            f"{st.template.name}: model {model!r} has no symbolic closed form here "
            "(symbolic answers cover the rubinstein model)"
        )
    args = body.get("arguments")
    if args is None:
        args = {**st.fixed, **st.symbols}
    if args.get("horizon") is not None:
        raise SymbolicError(f"{st.template.name}: a finite horizon has no symbolic closed form here")
    players = [str(p) for p in (body.get("players") or ["1", "2"])]
    d1, d2 = (
        sp.sympify(args.get("delta_1", sp.Rational(9, 10))),
        sp.sympify(args.get("delta_2", sp.Rational(9, 10))),
    )
    q = sp.sympify(args.get("breakdown", 0))
    dd1, dd2 = sp.sympify(args.get("d_1", 0)), sp.sympify(args.get("d_2", 0))
    o1, o2 = args.get("outside_1"), args.get("outside_2")
    first = int(args.get("first", 1))
    b1, b2 = (1 - q) * d1, (1 - q) * d2
    e1, e2 = q * dd1, q * dd2
    cands = {"a": ((1 - b2 - e2 + b2 * e1) / (1 - b1 * b2), (1 - b1 - e1 + b1 * e2) / (1 - b1 * b2))}
    if o2 is not None:
        cands["b"] = (1 - o2, 1 - e1 - b1 * (1 - o2))
    if o1 is not None:
        cands["c"] = (1 - e2 - b2 * (1 - o1), 1 - o1)
    if o1 is not None and o2 is not None:
        cands["d"] = (1 - o2, 1 - o1)
    fams = []
    for reg, (s1, s2) in cands.items():
        deadline.check()
        c1, c2 = e1 + b1 * s1, e2 + b2 * s2
        conds = []
        if o1 is not None:
            conds.append(o1 - c1 if reg in "ab" else c1 - o1)
        if o2 is not None:
            conds.append(o2 - c2 if reg in "ac" else c2 - o2)
        # the boundary of (a) with no options at all is the whole box
        share1 = sp.simplify(s1 if first == 1 else 1 - s2)
        label = "agreement; " + _TEXT[reg].format(p1=players[0], p2=players[1])
        for region in st.region.impose_all(conds):
            fams.append(
                Family(
                    label=label,
                    strategies={
                        "shares": {players[0]: share1, players[1]: sp.simplify(1 - share1)},
                        "proposer_share": {players[0]: sp.simplify(s1), players[1]: sp.simplify(s2)},
                        "first_proposer": players[first - 1],
                    },
                    region=region.simplified(),
                    values={players[0]: share1, players[1]: sp.simplify(1 - share1)},
                )
            )
    return fams, []
