r"""Bayesian persuasion problems with finite states and actions (Kamenica & Gentzkow 2011).

A state :math:`\omega \in \Omega` is drawn from the common prior :math:`\mu_0`. The **sender**
commits to a signal (an information policy) :math:`\pi(\cdot \mid \omega)`; the **receiver** sees
the realisation, forms the posterior by Bayes' rule and takes an action :math:`a \in A`.
Payoffs are :math:`v(a, \omega)` (sender) and :math:`u(a, \omega)` (receiver). Stored as two
arrays of shape ``(|A|, |Ω|)``.

Kamenica, E. & Gentzkow, M. (2011). Bayesian persuasion. *American Economic Review* 101(6),
2590-2615.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from bargaining.errors import GameValidationError
from bargaining.numeric import to_fraction

__all__ = ["PersuasionProblem"]


@dataclass(frozen=True, eq=False)
class PersuasionProblem:
    """``sender[a][w]``, ``receiver[a][w]``: payoffs of action ``a`` in state ``w``; ``prior[w]``."""

    states: tuple[str, ...]
    actions: tuple[str, ...]
    prior: tuple[Any, ...]
    sender: tuple[tuple[Any, ...], ...]
    receiver: tuple[tuple[Any, ...], ...]
    players: tuple[str, str] = ("Sender", "Receiver")
    title: str = ""
    description: str = field(default="", compare=False)

    kind = "persuasion"
    default_concept = "bayesian-persuasion"
    num_players = 2
    exact = True  # priors and payoffs are stored as Fractions

    def __post_init__(self) -> None:
        k, m = len(self.states), len(self.actions)
        if k < 1 or m < 1:
            raise GameValidationError("a persuasion problem needs at least one state and one action")
        if len(set(self.states)) != k or len(set(self.actions)) != m:
            raise GameValidationError("state and action labels must be distinct")
        if len(self.players) != 2:
            raise GameValidationError("a persuasion problem has two players: sender, receiver")
        try:
            prior = tuple(to_fraction(p) for p in self.prior)
            sender = tuple(tuple(to_fraction(v) for v in row) for row in self.sender)
            receiver = tuple(tuple(to_fraction(v) for v in row) for row in self.receiver)
        except (TypeError, ValueError) as err:
            raise GameValidationError(f"persuasion problem: {err}") from None
        if len(prior) != k:
            raise GameValidationError(
                f"persuasion problem: the prior has {len(prior)} entries for {k} states"
            )
        if any(p < 0 for p in prior) or sum(prior) != 1:
            raise GameValidationError(
                f"persuasion problem: the prior must be >= 0 and sum to 1, got {[str(p) for p in prior]}"
            )
        for name, arr in (("sender", sender), ("receiver", receiver)):
            if len(arr) != m or any(len(r) != k for r in arr):
                raise GameValidationError(
                    f"persuasion problem: {name} payoffs need one row per action "
                    f"({m}) and one entry per state ({k})"
                )
        object.__setattr__(self, "prior", prior)
        object.__setattr__(self, "sender", sender)
        object.__setattr__(self, "receiver", receiver)
        object.__setattr__(self, "players", tuple(str(p) for p in self.players))

    @classmethod
    def from_spec(
        cls,
        states: Sequence[str],
        actions: Sequence[str],
        prior: Sequence[Any],
        payoffs: dict[str, dict[str, Sequence[Any]]],
        **kw: Any,
    ) -> PersuasionProblem:
        """From the ``kind: persuasion`` body: ``payoffs[state][action] = [sender, receiver]``."""
        states, actions = [str(s) for s in states], [str(a) for a in actions]
        for s in states:
            if s not in payoffs:
                raise GameValidationError(f"persuasion problem: no payoffs for state {s!r}")
            for a in actions:
                pair = payoffs[s].get(a) if isinstance(payoffs[s], dict) else None
                if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                    raise GameValidationError(
                        f"persuasion problem: payoffs of {s!r}/{a!r} must be [sender, receiver]"
                    )
        sender = [[payoffs[s][a][0] for s in states] for a in actions]
        receiver = [[payoffs[s][a][1] for s in states] for a in actions]
        return cls(
            tuple(states),
            tuple(actions),
            tuple(prior),
            tuple(map(tuple, sender)),
            tuple(map(tuple, receiver)),
            **kw,
        )

    def with_prior(self, prior: Sequence[Any]) -> PersuasionProblem:
        return PersuasionProblem(
            self.states,
            self.actions,
            tuple(prior),
            self.sender,
            self.receiver,
            self.players,
            self.title,
            self.description,
        )

    def expected(self, arr: tuple[tuple[Fraction, ...], ...], a: int, belief: Sequence[Any]) -> Any:
        """Expected payoff of action ``a`` under ``belief`` (a distribution over states)."""
        return sum((b * arr[a][w] for w, b in enumerate(belief)), start=type(belief[0])(0))

    def describe(self) -> dict[str, Any]:
        return {
            "title": self.title or "persuasion problem",
            "players": list(self.players),
            "states": list(self.states),
            "actions": list(self.actions),
            "prior": [str(p) for p in self.prior],
        }
