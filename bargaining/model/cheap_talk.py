"""Cheap talk with a uniform prior and quadratic losses (Crawford and Sobel 1982); solved in
:mod:`bargaining.solvers.models`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from bargaining.errors import GameValidationError
from bargaining.model.bargaining_model import (
    BargainingModel,
    all_true,
    as_float_array,
    check_number,
    show_number,
)

__all__ = ["CrawfordSobel"]


# --------------------------------------------------------------------------------------------
# Crawford–Sobel (1982) cheap talk
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CrawfordSobel(BargainingModel):
    r"""Cheap talk with a uniform prior and quadratic losses (Crawford–Sobel 1982, §4 example).

    The sender (player 1) knows θ ~ U[0, 1] and sends a costless message; the receiver (player
    2) picks an action a. Receiver's payoff −(a − θ)²; sender's −(a − θ − s·b)², with bias
    b > 0 and direction s = ``direction`` (+1: the sender wants a higher action, the textbook
    case; −1: a lower one, as in game G8 of docs/scenarios.md).
    """

    model: ClassVar[str] = "crawford-sobel"
    default_concept: ClassVar[str] = "perfect-bayesian"
    concept_methods: ClassVar[Mapping[str, str]] = {"perfect-bayesian": "closed-form"}

    b: Any = Fraction(1, 10)
    direction: int = 1
    players: tuple[str, str] = ("sender", "receiver")
    title: str = "Crawford–Sobel cheap talk"

    def __post_init__(self) -> None:
        m = self.model
        object.__setattr__(self, "players", tuple(str(q) for q in self.players))
        check_number(m, "b", self.b)
        if not all_true(as_float_array(self.b) > 0):
            raise GameValidationError(
                f"{m}: bias b = {show_number(self.b)} must be > 0 (use direction = -1 for a downward bias)"
            )
        if self.direction not in (1, -1):
            raise GameValidationError(
                f"{m}: direction = {self.direction!r}; use 1 (upward bias) or -1 (downward)"
            )
        object.__setattr__(self, "direction", int(self.direction))
