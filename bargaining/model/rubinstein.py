"""Rubinstein alternating offers (Rubinstein 1982), with outside options (Binmore, Shaked and
Sutton 1989), breakdown risk, a finite horizon and either first proposer; solved in
:mod:`bargaining.solvers.models`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np

from bargaining.errors import GameValidationError
from bargaining.model.bargaining_model import (
    BargainingModel,
    all_true,
    as_float_array,
    check_closed01,
    check_number,
    check_open01,
    is_batch,
    show_number,
)

__all__ = ["Rubinstein"]


# --------------------------------------------------------------------------------------------
# Rubinstein alternating offers
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rubinstein(BargainingModel):
    r"""Alternating offers over a pie of size 1 (Rubinstein 1982; Osborne–Rubinstein 1990 ch. 3).

    Player ``first`` (1 or 2) proposes in round 1, the other in round 2, and so on. A responder
    accepts, rejects (the next round comes, discounted by its ``delta_i``) or, if it has one,
    takes its **outside option** ``outside_i`` (the game ends; the other player gets ``d_j``)
    — Binmore–Shaked–Sutton 1989. After each rejection the talks **break down** with
    probability ``breakdown`` = q (Binmore–Rubinstein–Wolinsky 1986): both get the
    disagreement payoffs ``d_i`` at once. ``horizon`` = T makes the game finite: a rejection in
    round T ends it with ``d``. ``r_1, r_2, period`` (optional) record continuous-time rates
    with ``delta_i = exp(-r_i * period)``; the solution then reports the limit r₂/(r₁+r₂).

    Arrays are accepted for every numeric parameter (batch closed forms).
    """

    model: ClassVar[str] = "rubinstein"
    concept_methods: ClassVar[Mapping[str, str]] = {
        "subgame-perfect": "closed-form",
        "nash-bargaining": "nash-product",
    }

    delta_1: Any = Fraction(9, 10)
    delta_2: Any = Fraction(9, 10)
    first: int = 1
    outside_1: Any = None
    outside_2: Any = None
    breakdown: Any = 0
    d_1: Any = 0
    d_2: Any = 0
    horizon: int | None = None
    r_1: Any = None
    r_2: Any = None
    period: Any = None
    players: tuple[str, str] = ("1", "2")
    title: str = "Rubinstein alternating offers"

    def __post_init__(self) -> None:
        m = self.model
        object.__setattr__(self, "players", tuple(str(p) for p in self.players))
        if len(self.players) != 2:
            raise GameValidationError(f"{m}: needs exactly two players, got {list(self.players)}")
        check_open01(m, "delta_1", self.delta_1, "a discount factor")
        check_open01(m, "delta_2", self.delta_2, "a discount factor")
        if self.first not in (1, 2):
            raise GameValidationError(
                f"{m}: first = {self.first!r}; the first proposer must be player 1 or 2"
            )
        check_closed01(m, "breakdown", self.breakdown, "a breakdown probability")
        if not is_batch([self.breakdown]) and self.breakdown == 1:
            raise GameValidationError(f"{m}: breakdown = 1 ends the talks after the first rejection; use < 1")
        for name in ("d_1", "d_2"):
            check_number(m, name, getattr(self, name))
        if not all_true(as_float_array(self.d_1) + as_float_array(self.d_2) <= 1):
            raise GameValidationError(
                f"{m}: disagreement point d_1 + d_2 > 1 lies outside the feasible set (the pie is 1)"
            )
        for name in ("outside_1", "outside_2"):
            v = getattr(self, name)
            if v is not None:
                check_number(m, name, v)
        o1 = 0 if self.outside_1 is None else as_float_array(self.outside_1)
        o2 = 0 if self.outside_2 is None else as_float_array(self.outside_2)
        if not all_true(o1 + o2 < 1):
            raise GameValidationError(
                f"{m}: outside options outside_1 + outside_2 >= 1 leave no gain from agreement; lower them"
            )
        if self.horizon is not None:
            if isinstance(self.horizon, bool) or int(self.horizon) != self.horizon or self.horizon < 1:
                raise GameValidationError(
                    f"{m}: horizon = {self.horizon!r}; give a whole number of rounds >= 1 (or none)"
                )
            object.__setattr__(self, "horizon", int(self.horizon))
        for name in ("r_1", "r_2", "period"):
            v = getattr(self, name)
            if v is not None:
                check_number(m, name, v)
                if not all_true(as_float_array(v) > 0):
                    raise GameValidationError(f"{m}: {name} = {show_number(v)} must be > 0")

    @classmethod
    def from_rates(cls, r_1: Any, r_2: Any, period: Any, **kw: Any) -> Rubinstein:
        """Discount rates r_i per unit of time and the time between offers: δ_i = exp(−r_i·period)."""
        for name, v in (("r_1", r_1), ("r_2", r_2), ("period", period)):
            check_number("rubinstein", name, v)
            if not all_true(as_float_array(v) > 0):
                raise GameValidationError(f"rubinstein: {name} = {show_number(v)} must be > 0")
        d1 = np.exp(-np.asarray(r_1, dtype=float) * np.asarray(period, dtype=float))
        d2 = np.exp(-np.asarray(r_2, dtype=float) * np.asarray(period, dtype=float))
        unwrap = (lambda a: float(a)) if np.ndim(d1) == 0 and np.ndim(d2) == 0 else (lambda a: a)
        return cls(delta_1=unwrap(d1), delta_2=unwrap(d2), r_1=r_1, r_2=r_2, period=period, **kw)
