"""Helpers shared by the bargaining-model solvers: numbers that are exact (Fraction), float or
numpy arrays (a batch of parameter points), and the Solution record."""

from __future__ import annotations

from typing import Any

import numpy as np

from bargaining.model.bargaining import BargainingModel
from bargaining.model.profile import Equilibrium, Solution
from bargaining.numeric import to_fraction

__all__ = ["isarr", "vmax", "vwhere", "num", "model_solution"]


def isarr(*vs: Any) -> bool:
    """True if some value is a numpy array (a batch)."""
    return any(isinstance(v, np.ndarray) for v in vs)


def vmax(a: Any, b: Any) -> Any:
    """max of scalars or element-wise max of arrays."""
    if isarr(a, b):
        return np.maximum(a, b)
    return a if a >= b else b


def vwhere(cond: Any, a: Any, b: Any) -> Any:
    """``a if cond else b`` for scalars, ``np.where`` for arrays."""
    if isarr(cond, a, b):
        return np.where(cond, a, b)
    return a if cond else b


def num(v: Any, exact: bool) -> Any:
    """A parameter as a Fraction (``exact``), a float, or a float array."""
    if v is None:
        return None
    if isinstance(v, np.ndarray):
        return v.astype(float)
    if exact:
        return to_fraction(v)
    return float(v)


def model_solution(
    model: BargainingModel,
    concept: str,
    method: str,
    eqs: list[Equilibrium],
    exact: bool,
    message: str | None = None,
    complete: bool = True,
) -> Solution:
    """The Solution of a model solver (options are recorded by the dispatcher)."""
    return Solution(
        game=model,
        concept=concept,
        method=method,
        equilibria=tuple(eqs),
        complete=complete,
        exact=exact,
        message=message,
    )
