"""Bargaining in the shadow of war: the one-shot ultimatum with a private war cost (Fearon 1995)
and shifting power with preventive war (Powell 2006); solved in :mod:`bargaining.solvers.models`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from bargaining.errors import GameValidationError
from bargaining.model.bargaining_model import (
    BargainingModel,
    all_true,
    as_float_array,
    check_closed01,
    check_nonneg,
    check_open01,
)

__all__ = ["FearonUltimatum", "PowellShift"]


# --------------------------------------------------------------------------------------------
# Fearon (1995): one-shot ultimatum with private information about the receiver's war cost
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FearonUltimatum(BargainingModel):
    r"""One-shot take-it-or-leave-it offer under private information (Fearon 1995, §"Private
    information and incentives to misrepresent").

    The proposer (player 1) offers the receiver (player 2) a share x ∈ [0, 1]. The receiver
    accepts, or goes to war: it wins with probability ``p`` and pays its cost c, so its war
    value is p − c; the proposer's war value is 1 − p − ``c_P``. The receiver's cost is private:
    ``c_low`` (resolute) with probability ``pi``, ``c_high`` (weak) otherwise
    (``dist = "two-types"``), or uniform on [c_low, c_high] (``dist = "uniform"``). The
    receiver accepts iff x ≥ p − c (indifferent → accepts, the responder tie-break of
    docs/scenarios.md). Under complete information the bargaining range is [p − c, p + c_P]
    (Fearon's [p − c_A, p + c_B]).
    """

    model: ClassVar[str] = "fearon-ultimatum"

    p: Any = Fraction(1, 2)
    c_P: Any = Fraction(1, 10)
    c_low: Any = Fraction(1, 20)
    c_high: Any = Fraction(1, 4)
    pi: Any = Fraction(2, 5)
    dist: str = "two-types"
    players: tuple[str, str] = ("proposer", "receiver")
    title: str = "Fearon ultimatum with private war costs"
    _non_numeric: ClassVar[tuple[str, ...]] = ("players", "title", "dist")

    def __post_init__(self) -> None:
        m = self.model
        object.__setattr__(self, "players", tuple(str(q) for q in self.players))
        if self.dist not in ("two-types", "uniform"):
            raise GameValidationError(f"{m}: dist = {self.dist!r}; use two-types or uniform")
        check_closed01(m, "p", self.p, "a probability of winning")
        check_nonneg(m, "c_P", self.c_P, "a war cost")
        check_nonneg(m, "c_low", self.c_low, "a war cost")
        check_nonneg(m, "c_high", self.c_high, "a war cost")
        check_closed01(m, "pi", self.pi, "a prior probability")
        if not all_true(as_float_array(self.c_low) <= as_float_array(self.c_high)):
            raise GameValidationError(
                f"{m}: c_low > c_high; c_low is the resolute (low-cost) type, swap them"
            )
        if self.dist == "uniform" and not all_true(as_float_array(self.c_low) < as_float_array(self.c_high)):
            raise GameValidationError(f"{m}: a uniform cost needs c_low < c_high")


# --------------------------------------------------------------------------------------------
# Powell (2006): commitment problem under shifting power
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PowellShift(BargainingModel):
    r"""Infinite-horizon bargaining with a possible power shift (Powell 2006, "War as a
    commitment problem"; game G5(b) of docs/scenarios.md).

    States H (China-first US) and L (Russia-first, absorbing). Each period the US (player 1)
    offers RU (player 2) a share x of a flow of 1; RU accepts or advances (war, absorbing; war
    locks in the current distribution). H turns into L with probability ``lambda_0`` per
    period; advancing in H triggers the switch with probability ``lambda_A``. Per-period war
    values of RU: W_L = p_L − c_R − κ_R, W_H = (1 − λ_A)(p_H − c_R) + λ_A W_L. Discount ``delta``.
    ``lambda_A`` may be given directly or as ``lambda_bar_A · (1 − zeta)`` (Q4: US success ζ at
    denying China resources lowers the switch probability). ``c_US`` (default 0) is the US's
    per-period war cost; its war flow is 1 − p − c_US (used to check that it prefers peace).
    """

    model: ClassVar[str] = "powell-shift"

    delta: Any = Fraction(9, 10)
    p_H: Any = Fraction(7, 10)
    p_L: Any = Fraction(7, 20)
    c_R: Any = Fraction(1, 10)
    kappa_R: Any = Fraction(1, 5)
    lambda_0: Any = Fraction(1, 10)
    lambda_A: Any = None
    lambda_bar_A: Any = None
    zeta: Any = None
    c_US: Any = 0
    players: tuple[str, str] = ("US", "RU")
    title: str = "Shifting power and preventive war (Powell 2006)"

    def __post_init__(self) -> None:
        m = self.model
        object.__setattr__(self, "players", tuple(str(q) for q in self.players))
        check_open01(m, "delta", self.delta, "a discount factor")
        for name in ("p_H", "p_L", "lambda_0"):
            check_closed01(m, name, getattr(self, name), "a probability")
        check_nonneg(m, "c_R", self.c_R, "a war cost")
        check_nonneg(m, "kappa_R", self.kappa_R, "a war cost")
        check_nonneg(m, "c_US", self.c_US, "a war cost")
        if self.lambda_A is None:
            if self.lambda_bar_A is None:
                raise GameValidationError(f"{m}: give lambda_A, or lambda_bar_A and zeta")
            check_closed01(m, "lambda_bar_A", self.lambda_bar_A, "a probability")
            z = 0 if self.zeta is None else self.zeta
            check_closed01(m, "zeta", z, "US success")
            object.__setattr__(self, "zeta", z)
            object.__setattr__(self, "lambda_A", self.lambda_bar_A * (1 - z))
        elif self.lambda_bar_A is not None:
            raise GameValidationError(f"{m}: give lambda_A or lambda_bar_A (with zeta), not both")
        check_closed01(m, "lambda_A", self.lambda_A, "a probability")
