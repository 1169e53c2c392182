r"""Independent certificates for sequential equilibria and trembling-hand perfection of trees.

Written apart from every solver: it reads a game tree, a behaviour profile :math:`\sigma`, beliefs
:math:`\mu` at **every** information set, and a *trembling certificate*, and checks the two
conditions of Kreps & Wilson (1982, *Econometrica* 50, 863-894):

- **Sequential rationality**: at every information set :math:`h` (on and off the path) the
  agent's regret given :math:`\mu_h` and the continuation play of :math:`\sigma` is zero
  (:func:`bargaining.verify.tree.agent_regrets`).
- **Consistency**: :math:`\mu` is the limit of the Bayes beliefs of fully mixed profiles
  :math:`\sigma_\varepsilon \to \sigma`. The certificate names the sequence: for every action
  :math:`a` outside the support of :math:`\sigma_h` an *order* :math:`\kappa_a > 0` and a *weight*
  :math:`c_a > 0`, meaning

  .. math:: \sigma_\varepsilon(a) \propto \sigma(a) + c_a\,\varepsilon^{\kappa_a}[a \notin
     \operatorname{supp}\sigma_h].

  The probability of reaching node :math:`x` is then :math:`\pi(x)\prod c_a\,\varepsilon^{K(x)}
  (1 + o(1))`, with :math:`\pi(x)` the product of chance and on-support probabilities on the path
  and :math:`K(x) = \sum \kappa_a` over the off-support actions on it. Bayes' rule at :math:`h`
  therefore converges to the belief that puts mass proportional to :math:`\pi(x)\prod c_a` on the
  nodes of minimal :math:`K` and zero elsewhere; :func:`limit_beliefs` computes it (exactly for
  rational weights) and :func:`consistency_error` compares it with :math:`\mu`.

Orders and weights of every polynomial tremble sequence suffice: the set of consistent assessments
is semialgebraic, so every consistent assessment is reached along such a curve (curve selection
lemma; Kreps & Wilson 1982, §5; Kohlberg & Reny 1997 give the equivalent characterisation by
lexicographic/relative probabilities).

**Perfection** (Selten 1975): :func:`perfect_regrets` evaluates, at a given small
:math:`\varepsilon`, each agent's regret of :math:`\sigma` against the fully mixed
:math:`\sigma_\varepsilon` of a certificate (agent normal form: an agent's payoff is its expected
payoff from the root). A profile certified by the solver has zero regret along the whole sequence;
this numeric check at two values of :math:`\varepsilon` is the independent spot test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from bargaining.errors import GameValidationError
from bargaining.model.extensive import ExtensiveGame
from bargaining.verify import tree as verify_tree

__all__ = [
    "limit_beliefs",
    "consistency_error",
    "sequential_regret",
    "check_assessment",
    "perfect_regrets",
    "perturbed_behavior",
]

Behavior = Sequence[Sequence[Sequence[Any]]]


def _flat(game: ExtensiveGame, per_player: Sequence[Sequence[Any]]) -> list[Any]:
    out: list[Any] = [None] * len(game.infosets)
    for i, ids in enumerate(game.player_infosets):
        for j, k in enumerate(ids):
            out[k] = per_player[i][j]
    return out


def _orders(game: ExtensiveGame, behavior: Behavior, certificate: Mapping[str, Any]) -> tuple[list, list]:
    """Per global information set: tuples of orders and weights (0 and 1 on the support)."""
    flat = _flat(game, behavior)
    orders = _flat(game, certificate["orders"])
    weights = _flat(
        game,
        certificate.get("weights")
        or [[[1] * len(game.infosets[k].actions) for k in ids] for ids in game.player_infosets],
    )
    out_o, out_w = [], []
    for k, h in enumerate(game.infosets):
        o, w = [], []
        for a in range(len(h.actions)):
            if flat[k][a] > 0:
                o.append(0)
                w.append(flat[k][a])
            else:
                kappa, c = orders[k][a], weights[k][a]
                if not kappa or kappa <= 0 or not c or c <= 0:
                    raise GameValidationError(
                        f"certificate: action {h.actions[a]!r} at {h.label!r} is outside the support but has "
                        f"order {kappa!r} and weight {c!r}; both must be positive"
                    )
                o.append(kappa)
                w.append(c)
        out_o.append(o)
        out_w.append(w)
    return out_o, out_w


def limit_beliefs(game: ExtensiveGame, behavior: Behavior, certificate: Mapping[str, Any]) -> tuple:
    """The limit of Bayes' rule along the certificate's tremble sequence, per player, per set."""
    orders, weights = _orders(game, behavior, certificate)
    n = len(game.nodes)
    order: list[Any] = [None] * n  # None: never reached (a zero-probability chance branch)
    coef: list[Any] = [None] * n
    order[0], coef[0] = 0, Fraction(1)
    for node in game.nodes:
        v = node.index
        if node.kind == "terminal" or order[v] is None:
            continue
        for a, c in enumerate(node.children):
            if node.kind == "chance":
                if node.chance_probs[a] == 0:
                    continue
                order[c], coef[c] = order[v], coef[v] * node.chance_probs[a]
            else:
                order[c] = order[v] + orders[node.infoset][a]
                coef[c] = coef[v] * weights[node.infoset][a]
    out = []
    for ids in game.player_infosets:
        per: list[tuple[Any, ...] | None] = []
        for k in ids:
            h = game.infosets[k]
            live = [order[x] for x in h.nodes if order[x] is not None]
            if not live:
                per.append(None)
                continue
            low = min(live)
            w = [coef[x] if order[x] is not None and order[x] == low else 0 for x in h.nodes]
            total = sum(w)
            per.append(tuple(x / total for x in w))
        out.append(tuple(per))
    return tuple(out)


def consistency_error(
    game: ExtensiveGame, behavior: Behavior, beliefs: Sequence[Sequence[Any]], certificate: Mapping[str, Any]
) -> Any:
    """Largest gap between ``beliefs`` and the certificate's limit beliefs (0 when consistent)."""
    limit = limit_beliefs(game, behavior, certificate)
    worst: Any = 0
    for i, ids in enumerate(game.player_infosets):
        for j, k in enumerate(ids):
            mu, lim = beliefs[i][j], limit[i][j]
            if mu is None:
                raise GameValidationError(
                    f"information set {game.infosets[k].label!r} has no beliefs; a "
                    "sequential equilibrium needs beliefs everywhere"
                )
            if lim is None:
                continue
            for x, y in zip(mu, lim):
                gap = abs(x - y)
                worst = max(worst, gap if isinstance(gap, Fraction) else float(gap))
    return worst


def sequential_regret(game: ExtensiveGame, behavior: Behavior, beliefs: Sequence[Sequence[Any]]) -> Any:
    """Largest agent regret over all information sets given ``beliefs`` (0 when sequentially
    rational)."""
    regrets = verify_tree.agent_regrets(game, behavior, beliefs)
    worst: Any = 0
    for per in regrets:
        for r in per:
            if r is None:
                raise GameValidationError("a sequential equilibrium needs beliefs at every information set")
            worst = max(worst, r)
    return worst


def check_assessment(
    game: ExtensiveGame,
    behavior: Behavior,
    beliefs: Sequence[Sequence[Any]],
    certificate: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """``{"regret", "consistency"}`` of an assessment; ``consistency`` is ``None`` without a
    certificate (then only the on-path Bayes error is checked and reported as ``bayes``)."""
    out: dict[str, Any] = {"regret": sequential_regret(game, behavior, beliefs)}
    out["bayes"] = verify_tree.bayes_error(game, behavior, beliefs)
    out["consistency"] = (
        None if certificate is None else consistency_error(game, behavior, beliefs, certificate)
    )
    return out


def perturbed_behavior(
    game: ExtensiveGame, behavior: Behavior, certificate: Mapping[str, Any], eps: float
) -> tuple:
    """The certificate's fully mixed profile at ``eps`` (floats)."""
    orders, weights = _orders(game, behavior, certificate)
    flat = _flat(game, behavior)
    rows = []
    for k in range(len(game.infosets)):
        raw = [
            float(flat[k][a]) + (float(weights[k][a]) * eps ** float(orders[k][a]) if orders[k][a] else 0.0)
            for a in range(len(flat[k]))
        ]
        total = sum(raw)
        rows.append(tuple(x / total for x in raw))
    return tuple(tuple(rows[k] for k in ids) for ids in game.player_infosets)


def perfect_regrets(
    game: ExtensiveGame, behavior: Behavior, certificate: Mapping[str, Any], eps: float = 1e-6
) -> float:
    r"""Largest agent regret of ``behavior`` against the perturbed profile at ``eps``: at each
    set :math:`h`, the best action's payoff minus the payoff of :math:`\sigma_h`, both weighted by
    the probability the others and chance reach each node of :math:`h` (agent normal form,
    Selten 1975). Scaled by the reach probability of :math:`h`, so it is the agent's own regret
    in the ε-game (tiny but positive values mean "not a best reply" only relative to that scale:
    compare with ``eps``)."""
    pert = perturbed_behavior(game, behavior, certificate, eps)
    reach = verify_tree.reach_probabilities(game, pert)
    values = verify_tree.node_values(game, pert)
    flat = _flat(game, behavior)
    worst = 0.0
    for k, h in enumerate(game.infosets):
        i = h.player
        total = sum(reach[x] for x in h.nodes)
        if total <= 0:
            continue
        score = [
            sum(reach[x] * float(values[game.nodes[x].children[a]][i]) for x in h.nodes) / total
            for a in range(len(h.actions))
        ]
        mine = sum(float(p) * s for p, s in zip(flat[k], score))
        worst = max(worst, max(score) - mine)
    return worst
