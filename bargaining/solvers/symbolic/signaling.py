r"""Symbolic perfect Bayesian equilibria of two-type, two-message, two-response signaling games,
with later stages played by the sender (such as following through or backing down).

1. *Later stages.* Each continuation after (type, message, response) is a perfect-information
   subtree of the sender (it knows its type); it is solved by symbolic backward induction
   (:mod:`bargaining.solvers.symbolic.trees`), which splits the parameter box into cases.
2. *Patterns.* In each case the game is a basic signaling game with payoffs ``u(t, m, r)``. Each
   type sends m1, m2 or mixes; after each message on the path the receiver answers r1, r2 or
   mixes. A mixing type is indifferent between the messages (linear in the receiver's mixing
   probabilities); a mixing receiver is indifferent at the Bayes belief, i.e.
   ``Σ_t π_t P(m | t)(u_R(t, m, r1) − u_R(t, m, r2)) = 0`` (linear in the senders' mixing
   probabilities): both blocks are solved exactly. Patterns whose equations involve no unknown
   hold only on a boundary (non-generic) and are not listed; a block with a continuum of
   solutions is reported with ``region: null``.
3. *Region.* Probabilities in [0, 1], no type gains by switching, the receiver's pure answers are
   best responses at the Bayes belief (after multiplying by the positive P(m)). After an
   off-path message m' the receiver may answer r1 with any probability ρ that is a best response
   to *some* belief: ρ = 1 (or 0) when r1 (r2) is optimal at every belief, any ρ in [0, 1]
   when the receiver's preference depends on the type. The senders' no-deviation constraints are
   linear in ρ; ρ is eliminated by Fourier–Motzkin (Schrijver 1986, §12.2), splitting on the
   signs of its coefficients.

Source: the PBE of signaling games as in Fudenberg–Tirole, *Game Theory* (1991), §8.2; the
application to the endorsement game follows Fearon (1997). Refinements (intuitive criterion,
D1) are not computed symbolically: ``refinements`` is empty and the numeric solver reports them.
"""

from __future__ import annotations

import itertools
from typing import Any

import sympy as sp

from bargaining.solvers.budget import Deadline
from bargaining.solvers.symbolic.convert import SymbolicError, SymbolicSetup
from bargaining.solvers.symbolic.family import Family
from bargaining.solvers.symbolic.regions import Region, Undecided
from bargaining.solvers.symbolic.trees import solve_subtree

__all__ = ["signaling_families"]


def _continuations(st: SymbolicSetup, deadline: Deadline) -> list[tuple[Region, dict[str, str], dict]]:
    """Cases of the later stages: (region, plan, reduced payoffs u[t][m][r] = (u_S, u_R))."""
    body = st.body
    pl = body["players"]
    sender, receiver = (str(pl["sender"]), str(pl["receiver"])) if isinstance(pl, dict) else map(str, pl)
    players = [sender, receiver]
    cases: list[tuple[Region, dict[str, str], dict]] = [(st.region, {}, {})]
    for t, by_m in body["payoffs"].items():
        for m, by_r in by_m.items():
            for r, node in by_r.items():
                key = f"{t}/{m}/{r}"
                nxt = []
                for reg, plan, red in cases:
                    if isinstance(node, list):
                        nxt.append((reg, plan, {**red, key: tuple(sp.sympify(v) for v in node)}))
                        continue
                    if "actions" in node and str(node.get("player")) == receiver:
                        raise SymbolicError(
                            f"{st.template.name}: {key}: a later move of the receiver "
                            "(who does not see the type) is not supported symbolically"
                        )
                    for reg2, plan2, vals in solve_subtree(node, reg, players, deadline, key):
                        nxt.append((reg2, {**plan, **plan2}, {**red, key: vals}))
                cases = nxt
    return cases


def _impose(regions: list[Region], conds: list[sp.Expr]) -> list[Region]:
    out = []
    for r in regions:
        out.extend(r.impose_all(conds))
    return out


def _split_sign(regions: list[Region], expr: sp.Expr) -> list[tuple[Region, int]]:
    """Each region split by the sign of ``expr`` (+1: >= 0, -1: <= 0, 0: identically 0)."""
    out = []
    for r in regions:
        try:
            out.append((r, r.sign(expr)))
        except Undecided:
            out.extend((r2, -1) for r2 in r.impose(expr))
            out.extend((r2, 1) for r2 in r.impose(-expr))
    return out


def signaling_families(st: SymbolicSetup, deadline: Deadline) -> tuple[list[Family], list[str]]:
    body = st.body
    types = list(body["types"].keys())
    prior = [sp.sympify(body["types"][t]) for t in types]
    messages = [str(m) for m in body["messages"]]
    responses = [str(r) for r in body["responses"]]
    if len(types) != 2 or len(messages) != 2 or len(responses) != 2:
        raise SymbolicError(
            f"{st.template.name}: symbolic PBE needs two types, two messages and two responses"
        )
    families: list[Family] = []
    notes: list[str] = []
    sig = [sp.Symbol(f"sigma_{t}") for t in types]  # P(m1 | t)
    rho = [sp.Symbol(f"rho_{m}") for m in messages]  # P(r1 | m)
    for case_region, plan, red in _continuations(st, deadline):

        def uS(t: int, m: int, r: int, red: dict = red) -> sp.Expr:
            return red[f"{types[t]}/{messages[m]}/{responses[r]}"][0]

        def uR(t: int, m: int, r: int, red: dict = red) -> sp.Expr:
            return red[f"{types[t]}/{messages[m]}/{responses[r]}"][1]

        for spat in itertools.product((0, 1, 2), repeat=2):  # 0: m1, 1: m2, 2: mixes
            x = [sp.Integer(1) if s == 0 else sp.Integer(0) if s == 1 else sig[t] for t, s in enumerate(spat)]

            def pm(t: int, m: int, x: list = x) -> sp.Expr:
                return x[t] if m == 0 else 1 - x[t]

            on_path = [any(s in (m, 2) for s in spat) for m in range(2)]
            on = [m for m in range(2) if on_path[m]]
            off = [m for m in range(2) if not on_path[m]]
            for rpat in itertools.product((0, 1, 2), repeat=len(on)):
                deadline.check()
                y: list[Any] = [None, None]
                for m, rp in zip(on, rpat):
                    y[m] = sp.Integer(1) if rp == 0 else sp.Integer(0) if rp == 1 else rho[m]
                fam = _pattern(
                    st,
                    case_region,
                    plan,
                    types,
                    messages,
                    responses,
                    prior,
                    spat,
                    on,
                    off,
                    x,
                    y,
                    pm,
                    uS,
                    uR,
                    sig,
                    rho,
                    notes,
                )
                families.extend(fam)
    return families, sorted(set(notes))


def _pattern(
    st, region, plan, types, messages, responses, prior, spat, on, off, x, y, pm, uS, uR, sig, rho, notes
) -> list[Family]:
    def U(t: int, m: int) -> sp.Expr:
        return y[m] * uS(t, m, 0) + (1 - y[m]) * uS(t, m, 1)

    def recv_gain(m: int) -> sp.Expr:  # P(m) * (EU(r1) - EU(r2)) at the Bayes belief
        return sum(prior[t] * pm(t, m) * (uR(t, m, 0) - uR(t, m, 1)) for t in range(2))

    s_unknowns = [sig[t] for t in range(2) if spat[t] == 2]
    r_unknowns = [rho[m] for m in on if y[m] == rho[m]]
    s_eqs = [sp.expand(U(t, 0) - U(t, 1)) for t in range(2) if spat[t] == 2]
    r_eqs = [sp.expand(recv_gain(m)) for m in on if y[m] == rho[m]]
    sol: dict[sp.Symbol, sp.Expr] = {}
    blocks = ((s_eqs, r_unknowns), (r_eqs, s_unknowns))
    for eqs, unknowns in blocks:
        for e in eqs:
            if not (e.free_symbols & set(unknowns)) and sp.simplify(e) != 0:
                return []  # holds on a boundary only (non-generic)
    continuum = False
    for eqs, unknowns in blocks:
        if not unknowns:
            continue
        live = [e for e in eqs if e.free_symbols & set(unknowns)]
        got = sp.solve(live, unknowns, dict=True) if live else [{}]
        if not got:
            return []  # inconsistent
        if len(got) != 1:
            return []
        if any(u not in got[0] for u in unknowns):
            continuum = True
        sol.update(got[0])
    if continuum:
        pat = _pattern_text(types, messages, responses, spat, on, y)
        notes.append(
            f"{pat}: a continuum of equilibria (the indifference conditions do not pin the mixing "
            "down); region not computed"
        )
        return [
            Family(
                label=_label(spat, messages),
                strategies={"pattern": pat},
                region=None,
                note="a continuum of equilibria: the indifference conditions do not pin the "
                "mixing probabilities down; use the numeric solver",
            )
        ]
    xs = [sp.simplify(v.subs(sol)) if isinstance(v, sp.Expr) else v for v in x]
    ys = [None if v is None else sp.simplify(v.subs(sol)) for v in y]
    conds: list[sp.Expr] = []
    for u in s_unknowns + r_unknowns:
        v = sp.simplify(sol[u])
        if v.is_number and (v <= 0 or v >= 1):
            return []  # a mixing probability pinned at 0 or 1: another (pure) pattern
        conds += [-v, v - 1]
    ysub = ys

    def Us(t: int, m: int) -> sp.Expr:
        y_m = ysub[m]
        assert y_m is not None  # asked for on-path messages only (both when none is off the path)
        return y_m * uS(t, m, 0) + (1 - y_m) * uS(t, m, 1)

    eq_value = []
    for t in range(2):
        m = 0 if spat[t] in (0, 2) else 1
        eq_value.append(sp.simplify(Us(t, m)))
        if spat[t] != 2 and not off:
            conds.append(Us(t, 1 - m) - Us(t, m))
    for m in on:
        if y[m] != rho[m]:
            r = 0 if ys[m] == 1 else 1
            gain = recv_gain(m).subs(sol)
            conds.append(gain if r == 1 else -gain)
    regions = region.impose_all(conds)
    beliefs: dict[str, Any] = {}
    for m in on:
        num = prior[0] * pm(0, m)
        den = num + prior[1] * pm(1, m)
        beliefs[messages[m]] = {
            types[0]: sp.simplify((num / den).subs(sol)),
            types[1]: sp.simplify((prior[1] * pm(1, m) / den).subs(sol)),
        }
    out: list[Family] = []
    if off:
        mo = off[0]
        out_regions: list[tuple[Region, Any]] = []
        alpha = [sp.expand(uR(t, mo, 0) - uR(t, mo, 1)) for t in range(2)]
        for r1, s1 in _split_sign(regions, alpha[0]):
            for r2, s2 in _split_sign([r1], alpha[1]):
                if s1 >= 0 and s2 >= 0 and (s1, s2) != (0, 0):
                    lows, highs = [sp.Integer(1)], [sp.Integer(1)]
                elif s1 <= 0 and s2 <= 0 and (s1, s2) != (0, 0):
                    lows, highs = [sp.Integer(0)], [sp.Integer(0)]
                else:
                    lows, highs = [sp.Integer(0)], [sp.Integer(1)]
                pieces = [(r2, lows, highs)]
                for t in range(2):
                    c = sp.expand(uS(t, mo, 0) - uS(t, mo, 1))
                    d = sp.expand(uS(t, mo, 1) - eq_value[t])
                    nxt: list[tuple[Any, list[Any], list[Any]]] = []
                    for reg, lo, hi in pieces:
                        for reg2, sc in _split_sign([reg], c):
                            if sc == 0:
                                nxt.extend((r3, lo, hi) for r3 in reg2.impose(d))
                            elif sc > 0:
                                nxt.append((reg2, lo, hi + [-d / c]))
                            else:
                                nxt.append((reg2, lo + [-d / c], hi))
                    pieces = nxt
                for reg, lo, hi in pieces:
                    fm = [a - b for a in lo for b in hi]
                    for reg2 in reg.impose_all(fm):
                        mu_star = None
                        if (s1, s2) not in ((1, 1), (-1, -1)) and (alpha[0] - alpha[1]) != 0:
                            mu_star = sp.simplify(-alpha[1] / (alpha[0] - alpha[1]))
                        receiver_name = (
                            st.template.players[1] if len(st.template.players) > 1 else "the receiver"
                        )
                        out_regions.append(
                            (
                                reg2,
                                {
                                    "off_path": True,
                                    f"P({responses[0]}) at least": _compact(lo, max),
                                    f"P({responses[0]}) at most": _compact(hi, min),
                                    f"belief in {types[0]} making {receiver_name} indifferent": mu_star,
                                },
                            )
                        )
        for reg, b in out_regions:
            bel = dict(beliefs)
            bel[messages[mo]] = b
            out.append(_family(spat, messages, types, responses, xs, ys, reg, bel, eq_value, plan))
    else:
        for reg in regions:
            out.append(_family(spat, messages, types, responses, xs, ys, reg, beliefs, eq_value, plan))
    return out


def _compact(vals: list[sp.Expr], how: Any) -> Any:
    vals = list(dict.fromkeys(sp.simplify(v) for v in vals))
    consts = [v for v in vals if v.is_number]
    if consts:
        keep = how(consts)
        vals = [v for v in vals if not v.is_number] + [keep]
    if len(vals) == 1:
        return vals[0]
    return [v for v in vals]


def _label(spat: tuple[int, int], messages: list[str]) -> str:
    if 2 in spat:
        return "semi-separating"
    if spat[0] == spat[1]:
        return f"pooling on {messages[spat[0]]}"
    return "separating"


def _pattern_text(types, messages, responses, spat, on, y) -> str:
    s = ", ".join(f"{t}: {'mix' if p == 2 else messages[p]}" for t, p in zip(types, spat))
    return s


def _family(spat, messages, types, responses, xs, ys, region, beliefs, eq_value, plan) -> Family:
    sender = {t: {messages[0]: xs[i], messages[1]: sp.simplify(1 - xs[i])} for i, t in enumerate(types)}
    receiver: dict[str, dict[str, Any] | None] = {}
    for m in range(2):
        if ys[m] is None:
            receiver[messages[m]] = None
        else:
            receiver[messages[m]] = {responses[0]: ys[m], responses[1]: sp.simplify(1 - ys[m])}
    return Family(
        label=_label(spat, messages),
        strategies={"sender": sender, "receiver": receiver, "continuation": dict(plan)},
        region=region.simplified(),
        beliefs=beliefs,
        values={"type_payoffs": dict(zip(types, eq_value))},
    )
