r"""``bargain explain`` for Bayesian persuasion with two states: the optimal signal by
concavification, step by step, for an instructor to project.

Write :math:`\mu` for the receiver's belief in the first state. The text derives

1. the receiver's best response to :math:`\mu` (the beliefs at which two actions tie);
2. the sender's value :math:`\hat v(\mu)` when the receiver best-responds (ties broken for the
   sender), at the points where it can kink: 0, 1, the ties and the prior;
3. the concavification at the prior :math:`\mu_0`: every Bayes-plausible split of the prior into
   two posteriors :math:`\mu_L \le \mu_0 \le \mu_H` (weights
   :math:`(\mu_H - \mu_0)/(\mu_H - \mu_L)` and :math:`(\mu_0 - \mu_L)/(\mu_H - \mu_L)`), its value,
   and the best one (Kamenica & Gentzkow 2011, Corollary 2: the optimum is the concave envelope
   of :math:`\hat v` at the prior);
4. the signal that produces the best split, checked against the solver
   (:func:`bargaining.solvers.persuasion.concavification`), and the sender's payoff beside no
   information, full disclosure and cheap talk.

With more than two states the envelope is over a simplex; the text refuses in one line and
points to ``bargain solve`` (the obedience LP).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from bargaining.errors import BargainingError
from bargaining.model.persuasion import PersuasionProblem
from bargaining.report.explain import Document, formula_text, number_text
from bargaining.solvers.persuasion import sender_value_at

__all__ = ["explain_persuasion"]


_n, _c = number_text, formula_text


def _value(game: PersuasionProblem, mu: Fraction) -> tuple[Fraction, str]:
    """:math:`\\hat v(\\mu)` and the receiver's action at belief ``mu`` in the first state."""
    v, a = sender_value_at(game, [mu, 1 - mu])
    return v, game.actions[a]


def _ties(game: PersuasionProblem) -> list[tuple[Fraction, str, str]]:
    """Beliefs in [0, 1] at which two of the receiver's actions give the same payoff."""
    out = []
    U = game.receiver
    for a in range(len(game.actions)):
        for b in range(a + 1, len(game.actions)):
            d0, d1 = U[a][0] - U[b][0], U[a][1] - U[b][1]  # mu d0 + (1 - mu) d1 = 0
            if d0 != d1:
                mu = d1 / (d1 - d0)
                if 0 <= mu <= 1:
                    out.append((mu, game.actions[a], game.actions[b]))
    return sorted(out)


def explain_persuasion(game: PersuasionProblem, fmt: str = "text") -> str:
    """The concavification of a two-state persuasion problem, step by step (text or Markdown)."""
    from bargaining.solvers.api import solve

    if getattr(game, "kind", None) != "persuasion":
        raise BargainingError("explain_persuasion needs a persuasion problem (kind: persuasion)")
    if len(game.states) != 2:
        raise BargainingError(
            f"bargain explain derives the optimal signal by concavification for two states; "
            f"this problem has {len(game.states)}: bargain solve gives the optimum of the obedience LP"
        )
    if fmt not in ("text", "markdown"):
        raise BargainingError(f"--format {fmt}: expected text or markdown")
    doc = Document(fmt == "markdown")
    sender, receiver = game.players
    w0, w1 = game.states
    mu0 = game.prior[0]
    doc.h1(game.title or "Bayesian persuasion")
    doc.p(
        f"Nature draws the state: {w0} with probability {_n(mu0)}, {w1} with {_n(game.prior[1])}. "
        f"{sender} commits to a signal (how likely each message is in each state) before the state is "
        f"drawn; {receiver} sees the message, updates by Bayes' rule and chooses one of "
        f"{', '.join(game.actions)}. Write μ for {receiver}'s belief that the state is {w0}."
    )
    doc.p(f"Payoffs ({sender}, {receiver}):")
    doc.table(
        ["action", w0, w1],
        [
            [a, *(f"({_n(game.sender[k][w])}, {_n(game.receiver[k][w])})" for w in (0, 1))]
            for k, a in enumerate(game.actions)
        ],
    )

    doc.h2(f"Step 1. {receiver}'s best response to a belief μ")
    for k, a in enumerate(game.actions):
        u0, u1 = game.receiver[k]
        doc.item(f"{a} pays {receiver} μ·{_c(u0)} + (1 − μ)·{_c(u1)}")
    doc.end_list()
    ties = _ties(game)
    for mu, a, b in ties:
        doc.item(f"{a} and {b} tie at μ = {_n(mu)}")
    if not ties:
        doc.item("no two actions ever tie: the same action is best at every belief")
    doc.end_list()

    points = sorted({Fraction(0), Fraction(1), mu0, *(mu for mu, _, _ in ties)})
    vhat = {mu: _value(game, mu) for mu in points}
    doc.h2(f"Step 2. {sender}'s value v(μ) when {receiver} best-responds")
    doc.p(
        f"v(μ) is linear between the ties and can jump only at them (a tie is broken in {sender}'s favour). "
        "Its values at 0, 1, the ties and the prior:"
    )
    doc.table(
        ["μ", f"{receiver} plays", "v(μ)"],
        [[_n(mu) + (" (prior)" if mu == mu0 else ""), vhat[mu][1], _n(vhat[mu][0])] for mu in points],
    )

    doc.h2("Step 3. Concavification at the prior")
    doc.p(
        f"A signal splits the prior μ0 = {_n(mu0)} into posteriors that average to it (Bayes plausibility). "
        f"With two states it is enough to split into two posteriors μL ≤ μ0 ≤ μH, reached with "
        "probabilities (μH − μ0)/(μH − μL) and (μ0 − μL)/(μH − μL); the best split's value is the concave "
        "envelope of v at the prior (Kamenica & Gentzkow 2011)."
    )
    rows: list[list[str]] = []
    best: tuple[Any, ...] | None = None
    for lo in (m for m in points if m <= mu0):
        for hi in (m for m in points if m >= mu0):
            if lo == hi:
                if lo != mu0:
                    continue
                val, text = vhat[mu0][0], "no split"
                w_lo = Fraction(1)
            elif lo == mu0 or hi == mu0:
                continue
            else:
                w_lo = (hi - mu0) / (hi - lo)
                val = w_lo * vhat[lo][0] + (1 - w_lo) * vhat[hi][0]
                text = f"{_c(w_lo)}·{_c(vhat[lo][0])} + {_c(1 - w_lo)}·{_c(vhat[hi][0])}"
            rows.append([_n(lo), _n(hi), text, _n(val)])
            key = (val, -(hi - lo))
            if best is None or key > best[0]:
                best = (key, lo, hi, w_lo)
    doc.table(["μL", "μH", "weights · v", "value"], rows)
    assert best is not None  # the prior itself is always a (trivial) split
    (value, _), lo, hi, w_lo = best
    if lo == hi:
        doc.p(
            "No split beats the prior: the best is to send no information; "
            f"{sender} gets v(μ0) = {_n(value)}."
        )
    else:
        doc.p(
            f"The best split sends {receiver} to μ = {_n(lo)} (probability {_n(w_lo)}, where it plays "
            f"{vhat[lo][1]}) and to μ = {_n(hi)} (probability {_n(1 - w_lo)}, where it plays {vhat[hi][1]}): "
            f"{sender} gets {_n(value)}."
        )

    sol = solve(game, method="concavification", exact=True)
    x = sol.equilibria[0].extra
    if x["sender_payoff"] != value:  # pragma: no cover - the derivation and the solver must agree
        raise BargainingError("the derivation and the concavification solver disagree (a bug)")
    doc.h2("Step 4. The signal, and what commitment is worth")
    doc.p(
        f"The signal that produces this split recommends, in each state, each action with the probability "
        f"below; {receiver} told an action holds the posterior at which that action is a best response, "
        "so it obeys:"
    )
    doc.table(
        ["state", *game.actions], [[w, *(_n(x["signal"][w][a]) for a in game.actions)] for w in game.states]
    )
    for post in x["posteriors"]:
        doc.item(
            f"{post['action']} is recommended with probability {_n(post['probability'])}; then "
            f"μ = P({w0}) = {_n(post['posterior'][w0])} and {receiver} plays {post['action']}"
        )
    doc.end_list()
    ct = x["cheap_talk"]["best_sender_payoff"]
    doc.table(
        ["", f"{sender}'s payoff"],
        [
            ["optimal signal (commitment)", _n(x["sender_payoff"])],
            ["no information", _n(x["no_information"])],
            ["full disclosure", _n(x["full_disclosure"])],
            ["best cheap talk (no commitment)", "-" if ct is None else _n(ct)],
        ],
    )
    if x.get("value_of_commitment") is not None:
        doc.p(
            f"Committing to the signal is worth {_n(x['value_of_commitment'])} over the best cheap talk "
            f"(pure partitional cheap-talk equilibria) and {_n(x['value_of_information_policy'])} over "
            "no information."
        )
    return doc.text()
