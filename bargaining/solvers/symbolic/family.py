"""The answer of a symbolic solve: equilibrium families, each a closed form in the parameters
with the region (a conjunction of polynomial inequalities) where it is an equilibrium."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from bargaining.solvers.symbolic.regions import Region

__all__ = ["Family", "SymbolicResult"]


def _expr_tree(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _expr_tree(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_expr_tree(v) for v in x]
    if isinstance(x, sp.Basic):
        return sp.sstr(sp.simplify(x))
    return x


@dataclass
class Family:
    """One equilibrium family. ``strategies``/``beliefs``/``values`` hold sympy expressions
    (nested dicts); ``region`` is None when it could not be decided (``note`` says why)."""

    label: str
    strategies: dict[str, Any]
    region: Region | None
    beliefs: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    refinements: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = {
            "label": self.label,
            "strategies": _expr_tree(self.strategies),
            "beliefs": _expr_tree(self.beliefs),
            "payoffs": _expr_tree(self.values),
            "region": None if self.region is None else self.region.texts(),
            "refinements": dict(self.refinements),
        }
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class SymbolicResult:
    """All families of a game over the box of its symbolic parameters."""

    game: str
    kind: str
    parameters: list[str]
    fixed: dict[str, Any]
    box: dict[str, tuple[Any, Any]]
    families: list[Family]
    complete: bool = True
    notes: list[str] = field(default_factory=list)
    setup: Any = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "parameters": list(self.parameters),
            "fixed": {k: sp.sstr(v) for k, v in self.fixed.items()},
            "box": {k: [sp.sstr(lo), sp.sstr(hi)] for k, (lo, hi) in self.box.items()},
            "families": [f.to_dict() for f in self.families],
            "complete": self.complete,
            "notes": list(self.notes),
        }
