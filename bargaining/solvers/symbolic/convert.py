"""From the game files' restricted expression language to sympy, and the symbolic view of a
parametric game (:class:`SymbolicSetup`).

The converter walks the parsed expression tree of :class:`bargaining.model.template.Expression`
(numbers, names, ``+ - * / ^``, comparisons and the functions ``min max abs if sqrt exp log``)
and builds the sympy expression node by node; no text is ever handed to ``sympify``: game files
are data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from bargaining.errors import BargainingError
from bargaining.model.template import Expression, Template
from bargaining.solvers.symbolic.regions import Box, Region

__all__ = ["to_sympy", "SymbolicSetup", "setup", "SymbolicError", "rational"]


class SymbolicError(BargainingError):
    """A symbolic request that cannot be served (unknown parameter, unsupported game)."""


def rational(v: Any) -> sp.Expr:
    if isinstance(v, Fraction):
        return sp.Rational(v.numerator, v.denominator)
    if isinstance(v, float):
        return sp.nsimplify(v, rational=True)
    return sp.sympify(v) if isinstance(v, int) else v


_CMP = {"<": sp.Lt, "<=": sp.Le, ">": sp.Gt, ">=": sp.Ge, "==": sp.Eq, "!=": sp.Ne}


def to_sympy(node: tuple, env: Mapping[str, sp.Expr]) -> sp.Expr:
    """The sympy expression of a parsed expression tree; names are looked up in ``env``."""
    tag = node[0]
    if tag == "num":
        return rational(node[1])
    if tag == "name":
        return env[node[1]]
    if tag == "neg":
        return -to_sympy(node[1], env)
    if tag == "bin":
        a, b = to_sympy(node[2], env), to_sympy(node[3], env)
        op = node[1]
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return a / b
        return a**b
    if tag == "chain":  # a run of + - or of * / (left to right)
        acc = to_sympy(node[1], env)
        for op, operand in node[2]:
            b = to_sympy(operand, env)
            acc = acc + b if op == "+" else acc - b if op == "-" else acc * b if op == "*" else acc / b
        return acc
    if tag == "cmp":
        rel = _CMP[node[1]](to_sympy(node[2], env), to_sympy(node[3], env))
        return sp.Piecewise((1, rel), (0, True))
    if tag == "call":
        f, args = node[1], [to_sympy(a, env) for a in node[2]]
        if f == "if":
            return sp.Piecewise((args[1], sp.Ne(args[0], 0)), (args[2], True))
        table: dict[str, Callable[..., sp.Expr]] = {
            "min": sp.Min,
            "max": sp.Max,
            "abs": sp.Abs,
            "sqrt": sp.sqrt,
            "exp": sp.exp,
            "log": sp.log,
        }
        return table[f](*args)
    raise AssertionError(tag)  # pragma: no cover


@dataclass(frozen=True)
class SymbolicSetup:
    """The symbolic parameters (sympy symbols, real), the values of the fixed ones, the box of
    the symbolic parameters' ranges, and the template's body in sympy."""

    template: Template
    symbols: dict[str, sp.Symbol]
    fixed: dict[str, sp.Expr]
    box: Box
    body: Any

    @property
    def region(self) -> Region:
        return Region(self.box)

    def point(self, values: Mapping[sp.Symbol, float]) -> dict[str, Any]:
        """A full parameter point (fixed values exact, symbolic ones from ``values``)."""
        out: dict[str, Any] = {k: v for k, v in self.template.defaults().items()}
        for name, s in self.symbols.items():
            out[name] = Fraction(values[s]).limit_denominator(10**9)
        return out


def _map(node: Any, fn: Callable[[Expression], Any]) -> Any:
    if isinstance(node, Expression):
        return fn(node)
    if isinstance(node, dict):
        return {k: _map(v, fn) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [_map(v, fn) for v in node]
    return node


def setup(
    template: Template, names: Sequence[str] | None, fixed: Mapping[str, Any] | None = None
) -> SymbolicSetup:
    """The symbolic view of ``template``: ``names`` (all parameters when None) become symbols,
    the others keep their values (``fixed`` overrides, checked against the ranges)."""
    point = template.validate_params(dict(fixed or {}))
    all_names = [p.name for p in template.parameters]
    names = list(all_names if names is None else names)
    for n in names:
        template.parameter(n)  # unknown names: one-line error
    symbols = {n: sp.Symbol(n, real=True) for n in names}
    values = {n: rational(v) for n, v in point.items() if n not in symbols}
    bounds = []
    for n in names:
        p = template.parameter(n)
        lo, hi = p.range if p.range is not None else (None, None)
        d = rational(p.default)
        lo = rational(lo) if lo is not None else d - 10
        hi = rational(hi) if hi is not None else d + 10
        bounds.append((lo, hi))
    box = Box(tuple(symbols.values()), tuple(bounds))
    env = {**values, **symbols}
    syms = tuple(symbols.values())

    def convert(e: Expression) -> sp.Expr:
        value = to_sympy(e.tree, env)
        if syms and not sp.sympify(value).is_rational_function(*syms):
            raise SymbolicError(
                f"{e.where or template.name}: {e.text!r} is not a rational function of the "
                "symbolic parameters (min, max, if, abs, sqrt, exp, log): keep its "
                "parameters fixed (--symbolic with fewer names) or use the numeric solver"
            )
        return value

    body = _map(template.body, convert)
    return SymbolicSetup(template, symbols, values, box, body)
