r"""The sender's optimal signal in a finite Bayesian persuasion problem.

Kamenica & Gentzkow (2011), *Bayesian persuasion*, AER 101(6). By the revelation principle a
signal can be taken to be a **recommendation** :math:`\pi(a \mid \omega)` that the receiver obeys.
The optimal signal solves the linear programme (method ``persuasion-lp``)

.. math::
   \max_\pi \sum_\omega \mu_0(\omega) \sum_a \pi(a\mid\omega)\, v(a,\omega) \quad\text{s.t.}\quad
   \sum_\omega \mu_0(\omega)\,\pi(a\mid\omega)\,[u(a,\omega) - u(a',\omega)] \ge 0\ \ \forall a, a',
   \qquad \sum_a \pi(a\mid\omega) = 1,

(obedience; the receiver breaks ties in the sender's favour, as in KG's sender-preferred
equilibrium). Each recommendation :math:`a` with :math:`P(a) > 0` is one posterior
:math:`\mu_a(\omega) = \mu_0(\omega)\pi(a\mid\omega)/P(a)`, at which :math:`a` is a best response.

For **two states** (method ``concavification``) the value is the concave envelope of
:math:`\hat v(q)` (the sender's payoff when the receiver best-responds to the posterior
:math:`q = P(\omega_2)`) at the prior (KG Corollary 2). :math:`\hat v` is piecewise linear and upper
semicontinuous with kinks only where the receiver is indifferent, so the envelope at the prior is
the best split of the prior between two of the points {0, 1, the indifference beliefs, the prior}.

Both methods report the value of the best information policy beside two benchmarks: no
information (the receiver acts on the prior) and full disclosure, and the sender's payoffs in
the **pure partitional cheap-talk equilibria** (the sender cannot commit: states are pooled
into messages, the receiver best-responds to each message, and in every state the sender
prefers its own message's action to every other message's; mixed cheap-talk strategies are not
enumerated). The *value of commitment* to an information policy is the optimum minus the
sender's best cheap-talk payoff.

Exact mode: the LP's vertex is re-derived in Fractions; the concavification is exact anyway.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product
from typing import Any

from bargaining.errors import SolverError
from bargaining.model.persuasion import PersuasionProblem
from bargaining.model.profile import Equilibrium, Solution
from bargaining.solvers.budget import Deadline
from bargaining.solvers.lpexact import optimal_point, solve_lp
from bargaining.solvers.registry import Method, register

__all__ = ["persuasion_lp", "concavification", "cheap_talk_payoffs", "sender_value_at", "CHEAP_TALK_STATES"]

CHEAP_TALK_STATES = 8  # set partitions of up to 8 states (Bell(8) = 4140) are enumerated


def _best_actions(game: PersuasionProblem, belief: list[Fraction]) -> list[int]:
    vals = [game.expected(game.receiver, a, belief) for a in range(len(game.actions))]
    top = max(vals)
    return [a for a, v in enumerate(vals) if v == top]


def sender_value_at(game: PersuasionProblem, belief: list[Fraction]) -> tuple[Fraction, int]:
    """:math:`\\hat v(\\mu)`: the sender's payoff when the receiver best-responds to ``belief``
    (ties broken for the sender, then by the action's order) and that action."""
    acts = _best_actions(game, belief)
    a = max(acts, key=lambda k: (game.expected(game.sender, k, belief), -k))
    return game.expected(game.sender, a, belief), a


def _partitions(items: list[int]):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _partitions(rest):
        for k in range(len(part)):
            yield part[:k] + [[first, *part[k]]] + part[k + 1 :]
        yield [[first], *part]


def cheap_talk_payoffs(game: PersuasionProblem) -> list[dict[str, Any]]:
    """Every pure partitional cheap-talk equilibrium: ``{"partition", "actions", "sender", "receiver"}``.

    A partition of the states with positive prior into messages, an action per message that is a
    receiver best response to the message's posterior, and no state in which the sender prefers
    another message's action. Sorted by the sender's payoff, best first."""
    states = [w for w, p in enumerate(game.prior) if p > 0]
    if len(states) > CHEAP_TALK_STATES:
        raise SolverError(
            f"cheap-talk comparison: {len(states)} states; at most {CHEAP_TALK_STATES} are enumerated"
        )
    out = []
    for part in _partitions(states):
        posts = []
        for cell in part:
            mass = sum(game.prior[w] for w in cell)
            posts.append(
                [game.prior[w] / mass if w in cell else Fraction(0) for w in range(len(game.states))]
            )
        for acts in product(*[_best_actions(game, q) for q in posts]):
            ok = all(
                game.sender[acts[c]][w] >= max(game.sender[a][w] for a in acts)
                for c, cell in enumerate(part)
                for w in cell
            )
            if not ok:
                continue
            vs = sum(game.prior[w] * game.sender[acts[c]][w] for c, cell in enumerate(part) for w in cell)
            vr = sum(game.prior[w] * game.receiver[acts[c]][w] for c, cell in enumerate(part) for w in cell)
            out.append(
                {
                    "partition": [[game.states[w] for w in cell] for cell in part],
                    "actions": [game.actions[a] for a in acts],
                    "sender": vs,
                    "receiver": vr,
                }
            )
    out.sort(key=lambda d: (-d["sender"], -d["receiver"], len(d["partition"])))
    return out


def _benchmarks(game: PersuasionProblem, value: Any, exact: bool) -> dict[str, Any]:
    prior = list(game.prior)
    none, _ = sender_value_at(game, prior)
    full = sum(
        (
            p * sender_value_at(game, [Fraction(int(k == w)) for k in range(len(prior))])[0]
            for w, p in enumerate(prior)
        ),
        start=Fraction(0),
    )
    talk = cheap_talk_payoffs(game)
    conv = (lambda v: v) if exact else float
    best_talk = talk[0]["sender"] if talk else None
    return {
        "no_information": conv(none),
        "full_disclosure": conv(full),
        "value_of_information_policy": conv(Fraction(value) - none) if exact else float(value) - float(none),
        "cheap_talk": {
            "equilibria": [{**d, "sender": conv(d["sender"]), "receiver": conv(d["receiver"])} for d in talk],
            "best_sender_payoff": None if best_talk is None else conv(best_talk),
            "scope": "pure partitional cheap-talk equilibria (no mixed messages)",
        },
        "value_of_commitment": None
        if best_talk is None
        else (conv(Fraction(value) - best_talk) if exact else float(value) - float(best_talk)),
    }


def _solution(
    game: PersuasionProblem,
    signal: list[list[Any]],
    value: Any,
    exact: bool,
    meth: str,
    note: str | None = None,
) -> Solution:
    """``signal[w][a]`` = π(a | w)."""
    k, m = len(game.states), len(game.actions)
    prior = list(game.prior) if exact else [float(p) for p in game.prior]
    zero = Fraction(0) if exact else 0.0
    posteriors = []
    recv = zero
    for a in range(m):
        mass = sum((prior[w] * signal[w][a] for w in range(k)), start=zero)
        if mass <= (0 if exact else 1e-12):
            continue
        post = [prior[w] * signal[w][a] / mass for w in range(k)]
        ra = sum((post[w] * game.receiver[a][w] for w in range(k)), start=zero)
        recv += mass * ra
        posteriors.append(
            {"probability": mass, "posterior": dict(zip(game.states, post)), "action": game.actions[a]}
        )
    regret = zero
    for a in range(m):  # obedience slack: the receiver's gain from disobeying recommendation a
        for b in range(m):
            gain = sum(
                (prior[w] * signal[w][a] * (game.receiver[b][w] - game.receiver[a][w]) for w in range(k)),
                start=zero,
            )
            regret = max(regret, gain)
    extra = {
        "signal": {game.states[w]: dict(zip(game.actions, signal[w])) for w in range(k)},
        "posteriors": posteriors,
        "sender_payoff": value,
        "receiver_payoff": recv,
        **_benchmarks(game, value, exact),
    }
    eq = Equilibrium(payoffs=(value, recv), regret=regret, label="optimal signal", extra=extra)
    return Solution(
        game=game,
        concept="bayesian-persuasion",
        method=meth,
        equilibria=(eq,),
        complete=True,
        exact=exact,
        message=note,
    )


def _check(game: Any) -> PersuasionProblem:
    if getattr(game, "kind", None) != "persuasion":
        raise SolverError(
            "Bayesian persuasion needs a persuasion problem (a game file with kind: persuasion)"
        )
    return game


def persuasion_lp(
    game: PersuasionProblem, *, deadline: Deadline = Deadline.NONE, exact: bool = False
) -> Solution:
    """The optimal recommendation signal by the obedience LP (any finite number of states)."""
    game = _check(game)
    k, m = len(game.states), len(game.actions)

    def var(w: int, a: int) -> int:
        return w * m + a

    n = k * m
    c = [Fraction(0)] * n
    for w in range(k):
        for a in range(m):
            c[var(w, a)] = game.prior[w] * game.sender[a][w]
    A_ub, b_ub = [], []
    for a in range(m):
        for b in range(m):
            if a == b:
                continue
            row = [Fraction(0)] * n
            for w in range(k):
                row[var(w, a)] = game.prior[w] * (game.receiver[b][w] - game.receiver[a][w])
            A_ub.append(row)
            b_ub.append(Fraction(0))
    A_eq = [[Fraction(int(v // m == w)) for v in range(n)] for w in range(k)]
    b_eq = [Fraction(1)] * k
    res = solve_lp(
        [float(v) for v in c],
        [[float(v) for v in r] for r in A_ub],
        [0.0] * len(A_ub),
        [[float(v) for v in r] for r in A_eq],
        [1.0] * k,
    )
    if res.status != "optimal":
        raise SolverError(f"persuasion LP is {res.status} (a bug: full disclosure is always feasible)")
    x, value = optimal_point(res, c, A_ub, b_ub, A_eq, b_eq, exact, clip=True)
    signal = [[x[var(w, a)] for a in range(m)] for w in range(k)]
    return _solution(game, signal, value, exact, "persuasion-lp")


def concavification(
    game: PersuasionProblem, *, deadline: Deadline = Deadline.NONE, exact: bool = False
) -> Solution:
    """The optimal signal for two states by the concave envelope of the sender's value at the prior."""
    game = _check(game)
    if len(game.states) != 2:
        raise SolverError(
            f"concavification is for two states; this problem has {len(game.states)}: "
            "use --method persuasion-lp"
        )
    q0 = game.prior[1]
    pts = {Fraction(0), Fraction(1), q0}
    m = len(game.actions)
    for a in range(m):
        for b in range(a + 1, m):
            d0 = game.receiver[a][0] - game.receiver[b][0]
            d1 = game.receiver[a][1] - game.receiver[b][1]
            if d0 != d1:  # (1-q) d0 + q d1 = 0
                q = d0 / (d0 - d1)
                if 0 <= q <= 1:
                    pts.add(q)
    vhat = {q: sender_value_at(game, [1 - q, q]) for q in pts}
    best = None
    for lo in (q for q in pts if q <= q0):
        for hi in (q for q in pts if q >= q0):
            if lo == hi:
                val, w_hi = vhat[lo][0], Fraction(1)
            else:
                w_hi = (q0 - lo) / (hi - lo)
                val = (1 - w_hi) * vhat[lo][0] + w_hi * vhat[hi][0]
            key = (val, -(hi - lo))  # the least dispersed split among the optimal ones
            if best is None or key > best[0]:
                best = (key, lo, hi, w_hi)
    assert best is not None  # lo = hi = the prior itself is a candidate
    (best_value, _), lo, hi, w_hi = best
    value: Any = best_value
    prior = game.prior
    signal: list[list[Any]] = [[Fraction(0)] * m for _ in range(2)]
    for q, weight in ((lo, 1 - w_hi), (hi, w_hi)) if lo != hi else ((lo, Fraction(1)),):
        a = vhat[q][1]
        for w, pw in enumerate((1 - q, q)):
            if prior[w] > 0:
                signal[w][a] += weight * pw / prior[w]
    if not exact:
        signal = [[float(v) for v in row] for row in signal]
        value = float(value)
    return _solution(
        game,
        signal,
        value,
        exact,
        "concavification",
        note="posteriors are the split of the prior between the two belief points shown",
    )


register(
    Method(
        name="persuasion-lp",
        kinds=("persuasion",),
        concept="bayesian-persuasion",
        function=persuasion_lp,
        summary="the sender's optimal signal: obedience LP over recommendations "
        "(Kamenica-Gentzkow; any states)",
    )
)
register(
    Method(
        name="concavification",
        kinds=("persuasion",),
        concept="bayesian-persuasion",
        function=concavification,
        summary="the sender's optimal signal for two states: concave envelope at the prior (exact)",
    )
)
