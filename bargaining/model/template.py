r"""Parametric games: named parameters with defaults and ranges, and a restricted expression
language for payoffs and probabilities.

A :class:`Template` maps a parameter point :math:`\theta \in \prod_k [lo_k, hi_k]` to a game
:math:`G(\theta)`. Its body (the kind-specific part of a YAML game file, see
``docs/game-format.md``) holds numbers and **expressions** over the parameters; at a point the
expressions are evaluated exactly (``Fraction``), and over arrays of parameter values they are
evaluated with numpy broadcasting (:meth:`Template.evaluate`), so a sweep builds the payoffs of a
whole grid of games in one step.

The expression language (tokenizer, parser, exact and array evaluation) is in
:mod:`bargaining.model.expression`; its public names are re-exported here.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from bargaining.errors import BargainingError
from bargaining.model.expression import Expression, ExpressionError, parse_expression
from bargaining.numeric import format_value, shorten, to_fraction

__all__ = [
    "Expression",
    "ExpressionError",
    "Parameter",
    "Template",
    "parse_expression",
    "format_value",
]


# ----------------------------------------------------------------------------------------------
# parameters and templates
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    """A named parameter: default value, admissible range ``[lo, hi]`` (``None``: unbounded;
    ``open_lo``/``open_hi`` make a bound strict), its meaning and the article's support.
    ``integer`` parameters (such as a number of markets) take whole values only."""

    name: str
    default: Fraction | float
    range: tuple[Fraction | None, Fraction | None] | None = None
    meaning: str = ""
    support: str = ""
    open_lo: bool = False
    open_hi: bool = False
    integer: bool = False

    def range_text(self) -> str:
        if self.range is None:
            return "any"
        lo, hi = self.range
        left = "(" if self.open_lo or lo is None else "["
        right = ")" if self.open_hi or hi is None else "]"
        return (
            f"{left}{'-inf' if lo is None else format_value(lo)}, "
            f"{'inf' if hi is None else format_value(hi)}{right}"
        )

    def check(self, value: Any, where: str) -> Fraction | float:
        """``value`` converted (exactly where it is decimal) and checked against the range."""
        given = value if isinstance(value, str) else format_value(value)  # the user's text, not a repr
        try:
            if isinstance(value, str):
                value = parse_expression(value).value({})
            v = to_fraction(value) if not isinstance(value, float) or math.isfinite(value) else value
        except ExpressionError as err:
            # a name in a value (p=abc) needs no more words; a number too large does
            reason = "" if "unknown name" in str(err) else f" ({err})"
            raise BargainingError(
                f"{where}: parameter {self.name}: expected a number (such as 0.4 or 1/3), got "
                f"{shorten(given)!r}{reason}"
            ) from None
        except (TypeError, ValueError):
            raise BargainingError(
                f"{where}: parameter {self.name}: expected a number (such as 0.4 or 1/3), "
                f"got {shorten(given)!r}"
            ) from None
        if isinstance(v, float) and not math.isfinite(v):
            raise BargainingError(f"{where}: parameter {self.name} must be a finite number, got {given}")
        if self.integer and (not isinstance(v, Fraction) or v.denominator != 1):
            raise BargainingError(f"{where}: parameter {self.name} must be a whole number, got {given}")
        if self.range is not None:
            lo, hi = self.range
            bad = (lo is not None and (v < lo or (self.open_lo and v == lo))) or (
                hi is not None and (v > hi or (self.open_hi and v == hi))
            )
            if bad:
                raise BargainingError(
                    f"{where}: parameter {self.name}={format_value(v)} is outside its range "
                    f"{self.range_text()}"
                )
        return v

    def to_dict(self) -> dict[str, Any]:
        """JSON form for ``bargain games``: default and range bounds as numbers."""

        def num(x: Any) -> Any:
            if x is None:
                return None
            if isinstance(x, Fraction) and x.denominator == 1:
                return x.numerator
            return float(x)

        return {
            "name": self.name,
            "default": num(self.default),
            "range": None if self.range is None else [num(self.range[0]), num(self.range[1])],
            "meaning": self.meaning,
        }


@dataclass(frozen=True)
class Constraint:
    """An ordering the article implies (``expr`` true); violations are warnings, never errors."""

    expr: Expression
    why: str = ""


Builder = Callable[["Template", dict[str, Any], dict[str, Any]], Any]


@dataclass(frozen=True, eq=False)
class Template:
    """A parametric game, built by :func:`bargaining.formats.yamlgame.load_template`.

    ``body`` is the kind-specific part of the file in which every number is an
    :class:`Expression`; ``builder(template, evaluated_body, point)`` turns an evaluated body
    into a game. Templates are immutable; ``with_params`` returns a new game each time.
    """

    name: str
    kind: str
    title: str
    description: str = ""
    source: str = ""
    citation: str = ""
    path: Path | None = None
    parameters: tuple[Parameter, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    tie_break: Mapping[str, tuple[str, ...]] | None = None
    corrections: tuple[str, ...] = ()
    body: Any = field(default=None, repr=False)
    builder: Builder | None = field(default=None, repr=False)
    raw_bytes: bytes = field(default=b"", repr=False)
    players: tuple[str, ...] = ()

    # -- parameters -----------------------------------------------------------------------------
    @property
    def where(self) -> str:
        return str(self.path) if self.path else self.name

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise BargainingError(f"{self.where}: unknown parameter {name!r}; parameters are: {known}")

    def defaults(self) -> dict[str, Any]:
        """The default point, ``{name: value}`` in file order."""
        return {p.name: p.default for p in self.parameters}

    def validate_params(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """The full point: defaults overridden by ``params`` (strings and floats read exactly
        by their decimal text). Unknown names and out-of-range values raise one-line errors."""
        point = self.defaults()
        for name, value in params.items():
            p = self.parameter(name)
            point[name] = p.check(value, self.where)
        return point

    def check_constraints(self, params: Mapping[str, Any] | None = None) -> list[str]:
        """The orderings violated at ``params`` (a full or partial point), one message each."""
        point = self.validate_params(params or {})
        out = []
        for c in self.constraints:
            if c.expr.value(point) == 0:
                why = f" ({c.why})" if c.why else ""
                out.append(f"constraint {c.expr.text} fails{why}")
        return out

    def canonical_id(self, params: Mapping[str, Any] | None = None) -> str:
        """``name(k=v,...)`` listing only the parameters that differ from their defaults, in file
        order (``name`` alone at the defaults). Values are exact: ``0.4``, ``1/3``."""
        point = self.validate_params(params or {})
        parts = [
            f"{p.name}={format_value(point[p.name])}" for p in self.parameters if point[p.name] != p.default
        ]
        return f"{self.name}({','.join(parts)})" if parts else self.name

    @property
    def hash(self) -> str:
        """sha256 of the file's bytes (the experiment and cache key, with the canonical id)."""
        return hashlib.sha256(self.raw_bytes).hexdigest()

    # -- evaluation -----------------------------------------------------------------------------
    def evaluate_point(self, params: Mapping[str, Any] | None = None) -> Any:
        """The body with every expression replaced by its exact value at the point."""
        return self._evaluate_at(self.validate_params(params or {}))

    def _evaluate_at(self, point: Mapping[str, Any]) -> Any:

        def ev(e: Expression) -> Any:
            try:
                return e.value(point)
            except ExpressionError as err:
                at = ",".join(f"{k}={format_value(v)}" for k, v in point.items())
                raise ExpressionError(f"{err} (at {at})" if at else str(err)) from None

        return _map_body(self.body, ev)

    def evaluate(self, arrays: Mapping[str, Any]) -> Any:
        """The body with every expression evaluated over numpy arrays of parameter values.

        ``arrays`` maps parameter names to arrays (or scalars); missing parameters take their
        defaults. All arrays are broadcast together and every leaf of the result is a float
        array of the common shape (``nan`` where an expression is undefined). Ranges are not
        checked here: the sweep engine checks its grid.
        """
        for name in arrays:
            self.parameter(name)
        env: dict[str, Any] = {p.name: float(p.default) for p in self.parameters}
        env.update({k: np.asarray(v, dtype=float) for k, v in arrays.items()})
        shape = np.broadcast_shapes(*(np.shape(v) for v in env.values())) if env else ()
        env = {k: np.broadcast_to(v, shape) for k, v in env.items()}

        def ev(e: Expression) -> np.ndarray:
            return np.broadcast_to(np.asarray(e.array(env), dtype=float), shape)

        return _map_body(self.body, ev)

    def with_params(self, **params: Any) -> Any:
        """The game at the point (defaults for the parameters not given), with exact payoffs."""
        point = self.validate_params(params)
        body = self._evaluate_at(point)
        if self.builder is None:
            raise BargainingError(f"{self.where}: this template has no game builder")
        return self.builder(self, body, point)

    def to_game(self) -> Any:
        """The game at the defaults (what :func:`bargaining.solve` solves for a template)."""
        return self.with_params()

    def describe(self) -> dict[str, Any]:
        """The ``bargain games`` entry of this template."""
        return {
            "name": self.name,
            "kind": self.kind,
            "title": self.title,
            "players": list(self.players),
            "parameters": [p.to_dict() for p in self.parameters],
        }

    # -- notebook display (bargaining.model.display: a hook the report layer fills) ----------
    def _repr_html_(self) -> str | None:
        from bargaining.model.display import game_html

        return game_html(self)

    def _repr_svg_(self) -> str | None:
        from bargaining.model.display import figure_svg

        return figure_svg(self)

    def __repr__(self) -> str:
        params = ", ".join(f"{p.name}={format_value(p.default)}" for p in self.parameters)
        return f"<Template {self.name!r} ({self.kind}) {params}>"


def _map_body(node: Any, fn: Callable[[Expression], Any]) -> Any:
    if isinstance(node, Expression):
        return fn(node)
    if isinstance(node, dict):
        return {k: _map_body(v, fn) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [_map_body(v, fn) for v in node]
    return node


def names_in(body: Any) -> list[Expression]:
    """Every expression in a body, in document order."""
    out: list[Expression] = []
    _map_body(body, lambda e: out.append(e))
    return out


__all__ += ["Constraint", "names_in"]
