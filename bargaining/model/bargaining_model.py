"""The base of the continuous bargaining models (:class:`BargainingModel`: frozen, validated,
named parameters, ``describe()``) and the validation helpers they share, which work elementwise
on numpy arrays (a batch of parameter points). The models are listed in
:mod:`bargaining.model.bargaining`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np

from bargaining.errors import GameValidationError, SolverError

__all__ = [
    "BargainingModel",
    "as_float_array",
    "all_true",
    "show_number",
    "check_number",
    "check_open01",
    "check_closed01",
    "check_nonneg",
    "is_batch",
]


# --------------------------------------------------------------------------------------------
# validation helpers (work elementwise on arrays)
# --------------------------------------------------------------------------------------------
def as_float_array(v: Any) -> Any:
    """A numpy array as float (a batch of points); a scalar unchanged."""
    return np.asarray(v, dtype=float) if isinstance(v, np.ndarray) else v


def all_true(cond: Any) -> bool:
    """The condition holds at every point of the batch."""
    return bool(np.all(cond))


def show_number(v: Any) -> str:
    """A parameter value for an error message (a batch: its size; a fraction: also its decimal)."""
    if isinstance(v, np.ndarray):
        return f"array of {v.size} values"
    if isinstance(v, Fraction):
        return str(v) if v.denominator == 1 else f"{v} (= {float(v):.6g})"
    return f"{v}"


def check_number(model: str, name: str, v: Any) -> None:
    """Raise GameValidationError unless the value is a finite number (at every point of a batch)."""
    if isinstance(v, (bool, np.bool_)) or v is None:
        raise GameValidationError(f"{model}: {name} must be a number, got {v!r}")
    try:
        ok = all_true(np.isfinite(np.asarray(v, dtype=float)))
    except (TypeError, ValueError):
        raise GameValidationError(f"{model}: {name} must be a number, got {v!r}") from None
    if not ok:
        raise GameValidationError(f"{model}: {name} must be finite, got {show_number(v)}")


def check_open01(model: str, name: str, v: Any, what: str) -> None:
    """Raise GameValidationError unless the value lies in the open interval (0, 1)."""
    check_number(model, name, v)
    a = as_float_array(v)
    if not all_true((a > 0) & (a < 1)):
        raise GameValidationError(
            f"{model}: {name} = {show_number(v)} is outside (0, 1); {what} must be strictly between 0 and 1"
        )


def check_closed01(model: str, name: str, v: Any, what: str) -> None:
    """Raise GameValidationError unless the value lies in [0, 1]."""
    check_number(model, name, v)
    a = as_float_array(v)
    if not all_true((a >= 0) & (a <= 1)):
        raise GameValidationError(
            f"{model}: {name} = {show_number(v)} is outside [0, 1]; {what} must be in [0, 1]"
        )


def check_nonneg(model: str, name: str, v: Any, what: str) -> None:
    """Raise GameValidationError unless the value is non-negative."""
    check_number(model, name, v)
    if not all_true(as_float_array(v) >= 0):
        raise GameValidationError(f"{model}: {name} = {show_number(v)} is negative; {what} must be >= 0")


def is_batch(values: Sequence[Any]) -> bool:
    """Some value is a numpy array of dimension ≥ 1 (a batch of parameter points)."""
    return any(isinstance(v, np.ndarray) and v.ndim > 0 for v in values)


@dataclass(frozen=True)
class BargainingModel:
    """Common behaviour of the bargaining models (``kind = "model"``, two players)."""

    kind: ClassVar[str] = "model"
    model: ClassVar[str] = ""
    default_concept: ClassVar[str] = "subgame-perfect"
    default_method: ClassVar[str] = "closed-form"
    #: concept -> method name (see :meth:`method_for`)
    concept_methods: ClassVar[Mapping[str, str]] = {"subgame-perfect": "closed-form"}
    #: fields that are labels or functions, not numeric parameters
    _non_numeric: ClassVar[tuple[str, ...]] = ("players", "title")

    @property
    def num_players(self) -> int:
        return len(self.players)  # type: ignore[attr-defined]  # every subclass has the field (not the base: field order)

    @property
    def exact(self) -> bool:
        """True when every numeric parameter is an exact rational (int or Fraction)."""
        vals = [v for v in self.parameters().values() if v is not None and not callable(v)]
        return all(isinstance(v, (int, Fraction)) and not isinstance(v, bool) for v in vals)

    def parameters(self) -> dict[str, Any]:
        """The numeric parameters, by name (``None`` for an absent optional one)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in self._non_numeric}

    @property
    def is_batch(self) -> bool:
        """True if some parameter is an array (a stack of parameter points)."""
        return is_batch([v for v in self.parameters().values() if v is not None])

    def describe(self) -> dict[str, Any]:
        """The ``game`` block of the JSON output."""
        from bargaining.numeric import jsonify

        params = {k: jsonify(v) for k, v in self.parameters().items() if v is not None and not callable(v)}
        return {
            "title": self.title,  # type: ignore[attr-defined]  # a field of every subclass, as players
            "players": list(self.players),  # type: ignore[attr-defined]  # (see num_players)
            "kind": "model",
            "model": self.model,
            "parameters": params,
        }

    def method_for(self, concept: str) -> str:
        """The method that solves this model for ``concept`` (used by ``solve``'s dispatch)."""
        try:
            return self.concept_methods[concept]
        except KeyError:
            known = ", ".join(self.concept_methods)
            raise SolverError(
                f"model {self.model!r} is not solved for concept {concept!r}; concepts: {known}"
            ) from None

    def with_params(self, **changes: Any) -> BargainingModel:
        """A copy with some parameters changed (validated again)."""
        return replace(self, **changes)
