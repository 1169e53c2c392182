r"""One sequential equilibrium of a larger tree as the limit of agent logit QRE (method ``agent-qre``).

**Agent quantal response equilibrium** (McKelvey and Palfrey 1998, *Experimental Economics* 1,
9-41). In the agent form every information set :math:`h` is played by its own agent. Given a
fully mixed behaviour profile :math:`\sigma`, Bayes' rule gives beliefs :math:`\mu_h(x) \propto
P_\sigma(x)` at every set, and the agent's action values are :math:`Q_h(a) = \sum_{x \in h}
\mu_h(x)\, V_i(x a; \sigma)`. An AQRE at precision :math:`\lambda \ge 0` is a fixed point of the
logit response :math:`\sigma_h(a) \propto e^{\lambda Q_h(a)}`. Every AQRE is fully mixed, so its
beliefs are Bayes beliefs everywhere; McKelvey and Palfrey (1998, Theorem 3) show that every
limit point of AQRE as :math:`\lambda \to \infty` is a sequential equilibrium, the limit beliefs
being limits of the fully mixed Bayes beliefs, i.e. consistent in the sense of Kreps and Wilson
(1982).

**Path following.** In logit coordinates :math:`y_h(a) = \log\sigma_h(a) - \log\sigma_h(a_0)` the
fixed point is :math:`F(y, \lambda) = y - \lambda (Q_h(a) - Q_h(a_0))_{h, a \ne a_0} = 0`. Starting at
:math:`\lambda = 0` (the centroid) the principal branch is followed by natural-parameter
continuation: :math:`\lambda` grows geometrically, a secant predictor extrapolates :math:`y`, and
Newton's method with a finite-difference Jacobian corrects; a failed corrector halves the step.
Reach probabilities and beliefs are computed from log-probabilities, so nothing underflows at
large :math:`\lambda`. (A branch that turns back in :math:`\lambda` stops the continuation early;
the last point reached is still rounded and checked, and the message says so.)

**Rounding and certificate.** At the last :math:`\lambda` each probability is rounded to a
fraction with a small denominator (several are tried: 10, 100, 1000), actions rounded to 0 leave
the support. The tremble certificate of :mod:`bargaining.verify.sequential` is read off the QRE:
an off-support action has :math:`\sigma_\lambda(a) \approx c_a e^{-\lambda\kappa_a}`, so its *order*
is :math:`\kappa_a \approx -\log\sigma_\lambda(a)/\lambda` (its payoff loss; a small positive
order where the loss vanishes) and its *weight* :math:`c_a = \sigma_\lambda(a)e^{\lambda\kappa_a}`,
both rounded to fractions. The reported beliefs are that tremble sequence's limit beliefs
(exact), which are close to the last QRE's beliefs (also reported, ``qre_beliefs``). A rounding
is kept only if the assessment is sequentially rational given those beliefs, checked exactly
here; the dispatcher re-checks everything with the independent verifier. If no rounding passes,
the solver raises :class:`~bargaining.errors.SolverError` naming the last :math:`\lambda`.

``complete`` is always false: this finds *one* sequential equilibrium (the one selected by the
logit tracing procedure), not all of them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import SolverError
from bargaining.model.extensive import ExtensiveGame
from bargaining.model.profile import Equilibrium, Solution
from bargaining.solvers.budget import Deadline
from bargaining.solvers.sequential import tree_tables

__all__ = ["agent_qre", "AgentLogit", "trace_agent_qre"]

F0, F1 = Fraction(0), Fraction(1)


class AgentLogit:
    """The agent logit map of a tree in logit coordinates (floats)."""

    def __init__(self, game: ExtensiveGame):
        g = game.as_float()
        self.g = g
        self.sizes = [len(h.actions) for h in g.infosets]
        self.offsets = np.cumsum([0] + [m - 1 for m in self.sizes])
        self.n = int(self.offsets[-1])
        pays = [p for node in g.nodes if node.kind == "terminal" for p in node.terminal_payoffs]
        self.scale = float(max(pays) - min(pays)) or 1.0

    def log_sigma(self, y: np.ndarray) -> list[np.ndarray]:
        out = []
        for k in range(len(self.sizes)):
            z = np.concatenate([[0.0], y[self.offsets[k] : self.offsets[k + 1]]])
            top = z.max()
            out.append(z - (top + math.log(np.exp(z - top).sum())))
        return out

    def evaluate(self, y: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
        """``(log σ, beliefs, Q)`` per information set at the profile with logits ``y``."""
        g = self.g
        ls = self.log_sigma(y)
        n = len(g.nodes)
        logreach = np.full(n, -np.inf)
        logreach[0] = 0.0
        for node in g.nodes:
            if node.kind == "terminal" or logreach[node.index] == -np.inf:
                continue
            for a, c in enumerate(node.children):
                if node.kind == "chance":
                    p = float(node.chance_probs[a])
                    logreach[c] = logreach[node.index] + (math.log(p) if p > 0 else -np.inf)
                else:
                    logreach[c] = logreach[node.index] + ls[node.infoset][a]
        values = np.zeros((n, g.num_players))
        for node in reversed(g.nodes):
            if node.kind == "terminal":
                values[node.index] = [float(p) for p in node.terminal_payoffs]
                continue
            probs = (
                [float(p) for p in node.chance_probs] if node.kind == "chance" else np.exp(ls[node.infoset])
            )
            values[node.index] = sum(p * values[c] for p, c in zip(probs, node.children))
        beliefs, qs = [], []
        for h in g.infosets:
            lr = np.array([logreach[x] for x in h.nodes])
            if np.all(lr == -np.inf):
                mu = np.full(len(lr), 1.0 / len(lr))
            else:
                mu = np.exp(lr - lr.max())
                mu /= mu.sum()
            q = np.array(
                [
                    sum(mu[j] * values[g.nodes[x].children[a]][h.player] for j, x in enumerate(h.nodes))
                    for a in range(len(h.actions))
                ]
            )
            beliefs.append(mu)
            qs.append(q)
        return ls, beliefs, qs

    def residual(self, y: np.ndarray, lam: float) -> np.ndarray:
        _, _, qs = self.evaluate(y)
        dq = np.concatenate([q[1:] - q[0] for q in qs]) if self.n else np.zeros(0)
        return y - lam * dq

    def jacobian(self, y: np.ndarray, lam: float, f0: np.ndarray) -> np.ndarray:
        J = np.empty((self.n, self.n))
        for j in range(self.n):
            h = 1e-7 * max(1.0, abs(y[j]))
            yp = y.copy()
            yp[j] += h
            J[:, j] = (self.residual(yp, lam) - f0) / h
        return J


def _newton(
    A: AgentLogit, y: np.ndarray, lam: float, tol: float = 1e-10, maxit: int = 12
) -> np.ndarray | None:
    for _ in range(maxit):
        f = A.residual(y, lam)
        if np.max(np.abs(f), initial=0.0) < tol * max(1.0, lam):
            return y
        try:
            step = np.linalg.solve(A.jacobian(y, lam, f), -f)
        except np.linalg.LinAlgError:
            return None
        if not np.all(np.isfinite(step)):
            return None
        y = y + step
    f = A.residual(y, lam)
    return y if np.max(np.abs(f), initial=0.0) < 1e-7 * max(1.0, lam) else None


def trace_agent_qre(
    game: ExtensiveGame, max_lambda: float = 1e4, deadline: Deadline = Deadline.NONE
) -> tuple[AgentLogit, np.ndarray, float, str | None]:
    """Follow the principal branch from λ = 0 to ``max_lambda`` (in units of 1/payoff range).
    Returns ``(map, y, λ reached (payoff units), stop reason or None)``."""
    A = AgentLogit(game)
    y = np.zeros(A.n)
    lam_end = max_lambda / A.scale
    lam, prev = 0.0, None
    growth = 1.5
    dl = 0.05 / A.scale
    reason = None
    while lam < lam_end:
        if deadline.expired():
            reason = deadline.message()
            break
        new_lam = min(lam_end, max(lam + dl, lam * growth))
        if prev is not None and lam > prev[1]:
            guess = y + (y - prev[0]) * (new_lam - lam) / (lam - prev[1])
        else:
            guess = y
        sol = _newton(A, guess, new_lam)
        if sol is None:
            sol = _newton(A, y, new_lam)
        if sol is None:
            growth = 1 + (growth - 1) / 2
            dl /= 2
            if growth < 1 + 1e-6:
                reason = (
                    f"the logit branch could not be followed beyond lambda = {lam * A.scale:.4g} "
                    "(per unit payoff range)"
                )
                break
            continue
        prev = (y, lam)
        y, lam = sol, new_lam
        growth = min(1.5, 1 + (growth - 1) * 1.5)
    return A, y, lam, reason


def _round_profile(ls: Sequence[np.ndarray], den: int) -> list[tuple[Fraction, ...]] | None:
    out = []
    for row in ls:
        p = np.exp(row)
        q = [Fraction(float(x)).limit_denominator(den) for x in p]
        s = sum(q)
        if s == 0:
            return None
        out.append(tuple(x / s for x in q))
    return out


def _certificate(
    A: AgentLogit,
    ls: Sequence[np.ndarray],
    flat: Sequence[Sequence[Fraction]],
    lam: float,
    den: int,
    wden: int,
) -> tuple[list, list]:
    """Orders and weights of the off-support actions (0 and σ on the support)."""
    orders, weights = [], []
    floor = Fraction(1, 1000 * den)
    for k, row in enumerate(ls):
        o, w = [], []
        for a, x in enumerate(row):
            if flat[k][a] > 0:
                o.append(F0)
                w.append(flat[k][a])
                continue
            kappa = max(Fraction(float(-x / lam)).limit_denominator(den), floor)
            expo = float(x) + lam * float(kappa)
            c = Fraction(math.exp(min(max(expo, -600.0), 600.0))).limit_denominator(wden)
            o.append(kappa)
            w.append(c if c > 0 else Fraction(1, wden))
        orders.append(o)
        weights.append(w)
    return orders, weights


def _limit_beliefs(g: ExtensiveGame, orders: list, weights: list) -> list[tuple[Fraction, ...]]:
    """Limit of Bayes' rule along σ_ε(a) ∝ c_a ε^{κ_a}, per global information set (exact)."""
    n = len(g.nodes)
    order: list[Any] = [None] * n
    coef: list[Any] = [None] * n
    order[0], coef[0] = F0, F1
    for node in g.nodes:
        v = node.index
        if node.kind == "terminal" or order[v] is None:
            continue
        for a, c in enumerate(node.children):
            if node.kind == "chance":
                if node.chance_probs[a] == 0:
                    continue
                order[c], coef[c] = order[v], coef[v] * node.chance_probs[a]
            else:
                order[c], coef[c] = order[v] + orders[node.infoset][a], coef[v] * weights[node.infoset][a]
    out = []
    for h in g.infosets:
        live = [order[x] for x in h.nodes if order[x] is not None]
        if not live:
            out.append(tuple(Fraction(1, len(h.nodes)) for _ in h.nodes))
            continue
        low = min(live)
        w = [coef[x] if order[x] is not None and order[x] == low else F0 for x in h.nodes]
        tot = sum(w)
        out.append(tuple(x / tot for x in w))
    return out


def _rational(
    g: ExtensiveGame, flat: Sequence[Sequence[Fraction]], beliefs: Sequence[Sequence[Fraction]]
) -> bool:
    """Exact sequential rationality: every action in the support maximises the belief-weighted
    continuation value at its information set."""
    _, values, _, _ = tree_tables(g, flat)
    for k, h in enumerate(g.infosets):
        q = [
            sum((beliefs[k][j] * values[g.nodes[x].children[a]][h.player] for j, x in enumerate(h.nodes)), F0)
            for a in range(len(h.actions))
        ]
        best = max(q)
        if any(flat[k][a] > 0 and q[a] < best for a in range(len(h.actions))):
            return False
    return True


def _per_player(g: ExtensiveGame, flat: Sequence[Any]) -> tuple:
    return tuple(tuple(flat[k] for k in ids) for ids in g.player_infosets)


def agent_qre(
    game: ExtensiveGame,
    *,
    deadline: Deadline = Deadline.NONE,
    exact: bool = False,
    max_lambda: float = 1e4,
    denominators: Sequence[int] = (10, 100, 1000),
) -> Solution:
    """One sequential equilibrium as the limit of the agent logit QRE (see the module docstring)."""
    from bargaining.solvers.backward import path_label

    if getattr(game, "kind", None) != "tree":
        raise SolverError("method 'agent-qre' solves game trees")
    game.require_perfect_recall("agent-qre")
    if max_lambda <= 0:
        raise SolverError(f"agent-qre: max_lambda = {max_lambda} must be positive")
    A, y, lam, reason = trace_agent_qre(game, float(max_lambda), deadline)
    if lam <= 0:
        raise SolverError("agent-qre: " + (reason or "no step of the logit branch was taken"))
    ls, qre_beliefs, _ = A.evaluate(y)
    g = game.as_exact()
    chosen = None
    for den in sorted(int(d) for d in denominators):
        flat = _round_profile(ls, den)
        if flat is None:
            continue
        for wden in (den, 10**6):  # simple weights first (round beliefs), then close to the QRE's
            orders, weights = _certificate(A, ls, flat, lam, den, wden)
            beliefs = _limit_beliefs(g, orders, weights)
            if _rational(g, flat, beliefs):
                chosen = (den, flat, orders, weights, beliefs)
                break
        if chosen is not None:
            break
    if chosen is None:
        raise SolverError(
            f"agent-qre: the logit QRE at lambda = {lam:.4g} does not round to a sequential "
            f"equilibrium with denominators {list(denominators)}; raise max_lambda or the denominators"
        )
    den, flat, orders, weights, beliefs = chosen
    reach, values, _, _ = tree_tables(g, flat)
    behavior = _per_player(g, flat)
    outcomes = tuple(reach[t] for t in g.terminals)
    extra: dict[str, Any] = {
        "certificate": {
            "kind": "agent logit QRE limit: sigma_lambda(a) ~ weight * exp(-lambda * order) off the support",
            "orders": _per_player(g, orders),
            "weights": _per_player(g, weights),
            "lambda": lam,
            "qre_beliefs": _per_player(g, [tuple(float(x) for x in mu) for mu in qre_beliefs]),
            "qre_behavior": _per_player(g, [tuple(float(x) for x in np.exp(row)) for row in ls]),
            "denominator": den,
        },
        "belief_sets": _per_player(g, [[list(b)] for b in beliefs]),
    }
    eq = Equilibrium(
        payoffs=values[0],
        regret=None,
        behavior=behavior,
        beliefs=_per_player(g, beliefs),
        outcomes=outcomes,
        label=path_label(g, behavior, outcomes),
        extra=extra,
    )
    msg = (
        f"one sequential equilibrium, the limit of the agent logit QRE (last lambda {lam:.4g}, probabilities "
        f"rounded to denominator {den}); other sequential equilibria are not searched"
    )
    if reason:
        msg += f"; {reason}"
    return Solution(
        game=game,
        concept="sequential",
        method="agent-qre",
        equilibria=(eq,),
        complete=False,
        exact=True,
        options={"max_lambda": max_lambda, "denominators": list(denominators)},
        message=msg,
    )


def _register() -> None:
    from bargaining.solvers.registry import Method, register

    register(
        Method(
            name="agent-qre",
            kinds=("tree",),
            concept="sequential",
            function=agent_qre,
            summary="one sequential equilibrium of a larger tree: the limit of the agent logit QRE, "
            "rounded and certified with its tremble sequence (not complete)",
            options={
                "max_lambda": "last logit precision, per unit of the payoff range (default 10,000)",
                "denominators": "denominators tried when rounding the limit (default 10, 100, 1000)",
            },
        )
    )


_register()
