r"""Independent certificate of a signaling-game assessment (perfect Bayesian equilibrium),
written apart from the PBE solver :mod:`bargaining.solvers.signaling`: it recomputes every payoff
from the game tree (the later stages included) and checks sequential rationality of both players
and Bayes' rule on the path (Fudenberg–Tirole 1991, §8.2).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from bargaining.model.profile import Equilibrium
from bargaining.model.signaling import ChanceNode, SignalingGame, Terminal
from bargaining.numeric import to_fraction

__all__ = ["assessment_regret", "equilibrium_regret"]

F0 = Fraction(0)


def _plan_value(node, plan: list[str], pos: list[int]):
    """Walk a later stage with a plan (actions at sender nodes in depth-first order); returns the
    expected payoffs and the plan's regret at every sender node, recomputed from the tree."""
    if isinstance(node, Terminal):
        return to_fraction(node.payoffs[0]), to_fraction(node.payoffs[1]), F0
    if isinstance(node, ChanceNode):
        us = ur = F0
        reg = F0
        for p, c in zip(node.probs, node.children):
            a, b, g = _plan_value(c, plan, pos)
            us += to_fraction(p) * a
            ur += to_fraction(p) * b
            reg = max(reg, g)
        return us, ur, reg
    choice = plan[pos[0]] if pos[0] < len(plan) else node.actions[0]
    pos[0] += 1
    values = []
    chosen = None
    reg = F0
    for a, c in zip(node.actions, node.children):
        if a == choice:
            chosen = _plan_value(c, plan, pos)
            reg = max(reg, chosen[2])
            values.append(chosen[0])
        else:
            values.append(_best(c))
    assert chosen is not None
    return chosen[0], chosen[1], max(reg, max(values) - chosen[0])


def _best(node) -> Fraction:
    if isinstance(node, Terminal):
        return to_fraction(node.payoffs[0])
    if isinstance(node, ChanceNode):
        return sum((to_fraction(p) * _best(c) for p, c in zip(node.probs, node.children)), F0)
    return max(_best(c) for c in node.children)


def assessment_regret(
    game: SignalingGame,
    sigma: Sequence[Sequence[Any]],
    rho: Sequence[Sequence[Any]],
    beliefs: Sequence[Sequence[Any]],
    plans: dict | None = None,
) -> Fraction:
    """Independent PBE certificate: the largest of (a) any type's gain from its best message over
    its strategy, (b) the receiver's gain from its best response over ``ρ_m`` under ``μ_m`` after
    every message, (c) any sender node's gain in a later stage from deviating from its plan, and
    (d) the distance of on-path beliefs from Bayes' rule. Zero (exactly, with Fractions) for a
    PBE. ``rho`` and ``beliefs`` must be given for every message (off-path ones included)."""
    plans = plans or {}
    nT, nM, nR = len(game.types), len(game.messages), len(game.responses)
    prior = [to_fraction(p) for p in game.prior]
    us = [[[F0] * nR for _ in range(nM)] for _ in range(nT)]
    ur = [[[F0] * nR for _ in range(nM)] for _ in range(nT)]
    regret = F0
    for t in range(nT):
        for m in range(nM):
            for r in range(nR):
                a, b, g = _plan_value(game.outcomes[t][m][r], list(plans.get((t, m, r), ())), [0])
                us[t][m][r], ur[t][m][r] = a, b
                regret = max(regret, g)
    for t in range(nT):
        vals = [sum((to_fraction(rho[m][r]) * us[t][m][r] for r in range(nR)), F0) for m in range(nM)]
        got = sum((to_fraction(sigma[t][m]) * vals[m] for m in range(nM)), F0)
        regret = max(regret, max(vals) - got)
    for m in range(nM):
        pm = sum((prior[t] * to_fraction(sigma[t][m]) for t in range(nT)), F0)
        mu = [to_fraction(x) for x in beliefs[m]]
        if pm > 0:
            regret = max(
                regret, max(abs(mu[t] - prior[t] * to_fraction(sigma[t][m]) / pm) for t in range(nT))
            )
        eu = [sum((mu[t] * ur[t][m][r] for t in range(nT)), F0) for r in range(nR)]
        got = sum((to_fraction(rho[m][r]) * eu[r] for r in range(nR)), F0)
        regret = max(regret, max(eu) - got)
    return regret


def equilibrium_regret(game: SignalingGame, eq: Equilibrium) -> Any:
    """The certificate of one PBE family as the solver reports it: the largest
    :func:`assessment_regret` over its representative point and every listed vertex.
    ``behavior`` is (σ, ρ) with ρ given after every message; the witness carries one sustaining
    belief after every message (off-path ones included) and the sender's later-stage plans; each
    vertex carries ``sustaining_beliefs`` and ``sustaining_responses``. ``None`` when no witness."""
    if eq.behavior is None or eq.witness is None or "beliefs" not in eq.witness:
        return None
    sigma, rho = eq.behavior
    plans = eq.witness.get("plans")
    regret = assessment_regret(game, sigma, rho, eq.witness["beliefs"], plans)
    # a family: every listed vertex is an assessment too (one sustaining belief and response
    # after every message, off-path ones included)
    T, M, R = game.types, game.messages, game.responses
    for v in eq.extra.get("vertices", ()):
        if "sustaining_beliefs" not in v or "sustaining_responses" not in v:
            return None
        v_sigma = [[v["sender_strategy"][t][m] for m in M] for t in T]
        v_rho = [[v["sustaining_responses"][m][r] for r in R] for m in M]
        v_mu = [[v["sustaining_beliefs"][m][t] for t in T] for m in M]
        regret = max(regret, assessment_regret(game, v_sigma, v_rho, v_mu, plans))
    if any(isinstance(p, float) for row in sigma for p in row):
        return float(regret)
    return regret
