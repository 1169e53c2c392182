r"""Parametric games: named parameters with defaults and ranges, and a restricted expression
language for payoffs and probabilities.

A :class:`Template` maps a parameter point :math:`\theta \in \prod_k [lo_k, hi_k]` to a game
:math:`G(\theta)`. Its body (the kind-specific part of a YAML game file, see
``docs/game-format.md``) holds numbers and **expressions** over the parameters; at a point the
expressions are evaluated exactly (``Fraction``), and over arrays of parameter values they are
evaluated with numpy broadcasting (:meth:`Template.evaluate`), so a sweep builds the payoffs of a
whole grid of games in one step.

Expression language (a tokenizer and a recursive-descent parser into a small AST; nothing is
ever passed to ``eval``)::

    expr    := compare
    compare := sum [ ("<" | "<=" | ">" | ">=" | "==" | "!=") sum ]
    sum     := product { ("+" | "-") product }
    product := unary { ("*" | "/") unary }
    unary   := ("-" | "+") unary | power
    power   := atom [ "^" unary ]                    (right-associative: 2^3^2 = 2^9)
    atom    := NUMBER | NAME | NAME "(" expr {"," expr} ")" | "(" expr ")"

Functions: ``min``, ``max`` (one or more arguments), ``abs``, ``if(cond, a, b)`` (only the
chosen branch is evaluated at a point), and ``sqrt``, ``exp``, ``log`` (these give floats, so a
payoff that uses them is not exact). A comparison is 1 when true and 0 when false. ``-2^2`` is
``-(2^2)`` as in mathematics. Numbers are decimals (``0.1`` is exactly 1/10) or integers;
``1/3`` is the exact fraction one third.

The grammar is the usual precedence-climbing one (Aho, Sethi, Ullman, *Compilers*, §4.4,
recursive-descent parsing of expressions).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from bargaining.errors import BargainingError
from bargaining.numeric import to_fraction

__all__ = [
    "Expression",
    "ExpressionError",
    "Parameter",
    "Template",
    "parse_expression",
    "format_value",
]


class ExpressionError(BargainingError, ValueError):
    """An expression that cannot be parsed or evaluated (syntax, unknown name, division by 0)."""


# ----------------------------------------------------------------------------------------------
# tokenizer
# ----------------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?) |
        (?P<name>[A-Za-z][A-Za-z0-9_]*) |
        (?P<op><=|>=|==|!=|[-+*/^(),<>])
    )""",
    re.VERBOSE,
)

_FUNCTIONS = {"min": (1, None), "max": (1, None), "abs": (1, 1), "if": (3, 3),
              "sqrt": (1, 1), "exp": (1, 1), "log": (1, 1)}
_MAX_LENGTH = 2000
_MAX_EXPONENT = 64  # exact powers beyond this are computed in floats (no huge integers)


def _tokenize(text: str) -> list[tuple[str, str]]:
    if len(text) > _MAX_LENGTH:
        raise ExpressionError(f"expression longer than {_MAX_LENGTH} characters")
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            bad = text[pos:].lstrip()[:1]
            raise ExpressionError(f"unexpected character {bad!r} in {text!r}")
        kind = m.lastgroup
        assert kind is not None
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


# ----------------------------------------------------------------------------------------------
# AST: tuples ("num", Fraction) | ("name", str) | ("neg", node) | ("bin", op, a, b)
#             | ("cmp", op, a, b) | ("call", fname, [args])
# ----------------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise ExpressionError(f"unexpected end of expression {self.text!r}")
        if value is not None and tok[1] != value:
            raise ExpressionError(f"expected {value!r} but found {tok[1]!r} in {self.text!r}")
        self.pos += 1
        return tok

    def parse(self) -> tuple:
        if not self.tokens:
            raise ExpressionError("empty expression")
        node = self.compare()
        if self.peek() is not None:
            raise ExpressionError(f"unexpected {self.peek()[1]!r} in {self.text!r}")  # type: ignore[index]
        return node

    def compare(self) -> tuple:
        left = self.sum()
        tok = self.peek()
        if tok and tok[1] in ("<", "<=", ">", ">=", "==", "!="):
            self.take()
            right = self.sum()
            left = ("cmp", tok[1], left, right)
            nxt = self.peek()
            if nxt and nxt[1] in ("<", "<=", ">", ">=", "==", "!="):
                raise ExpressionError(f"chained comparison in {self.text!r}: write min/max or if()")
        return left

    def sum(self) -> tuple:
        node = self.product()
        while (tok := self.peek()) and tok[1] in ("+", "-"):
            self.take()
            node = ("bin", tok[1], node, self.product())
        return node

    def product(self) -> tuple:
        node = self.unary()
        while (tok := self.peek()) and tok[1] in ("*", "/"):
            self.take()
            node = ("bin", tok[1], node, self.unary())
        return node

    def unary(self) -> tuple:
        tok = self.peek()
        if tok and tok[1] == "-":
            self.take()
            return ("neg", self.unary())
        if tok and tok[1] == "+":
            self.take()
            return self.unary()
        return self.power()

    def power(self) -> tuple:
        base = self.atom()
        tok = self.peek()
        if tok and tok[1] == "^":
            self.take()
            return ("bin", "^", base, self.unary())
        return base

    def atom(self) -> tuple:
        kind, value = self.take()
        if kind == "num":
            return ("num", Fraction(value))
        if kind == "name":
            nxt = self.peek()
            if nxt and nxt[1] == "(":
                if value not in _FUNCTIONS:
                    raise ExpressionError(
                        f"unknown function {value!r} in {self.text!r}; functions are "
                        + ", ".join(sorted(_FUNCTIONS))
                    )
                self.take("(")
                args = [self.compare()]
                while (t := self.peek()) and t[1] == ",":
                    self.take()
                    args.append(self.compare())
                self.take(")")
                lo, hi = _FUNCTIONS[value]
                if len(args) < lo or (hi is not None and len(args) > hi):
                    want = f"{lo}" if lo == hi else f"at least {lo}"
                    raise ExpressionError(f"{value}() takes {want} argument(s), got {len(args)} in {self.text!r}")
                return ("call", value, args)
            if value in _FUNCTIONS:
                raise ExpressionError(f"{value} is a function: write {value}(...) in {self.text!r}")
            return ("name", value)
        if value == "(":
            node = self.compare()
            self.take(")")
            return node
        raise ExpressionError(f"unexpected {value!r} in {self.text!r}")


def _names(node: tuple, out: set[str]) -> set[str]:
    tag = node[0]
    if tag == "name":
        out.add(node[1])
    elif tag == "neg":
        _names(node[1], out)
    elif tag in ("bin", "cmp"):
        _names(node[2], out)
        _names(node[3], out)
    elif tag == "call":
        for a in node[2]:
            _names(a, out)
    return out


# -- scalar evaluation (exact) ---------------------------------------------------------------

def _div0(text: str) -> ExpressionError:
    return ExpressionError(f"division by zero in {text!r}")


def _eval_scalar(node: tuple, env: Mapping[str, Any], text: str) -> Any:
    tag = node[0]
    if tag == "num":
        return node[1]
    if tag == "name":
        try:
            return env[node[1]]
        except KeyError:
            raise ExpressionError(f"unknown name {node[1]!r} in {text!r}") from None
    if tag == "neg":
        return -_eval_scalar(node[1], env, text)
    if tag == "bin":
        op = node[1]
        a = _eval_scalar(node[2], env, text)
        b = _eval_scalar(node[3], env, text)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            if b == 0:
                raise _div0(text)
            return a / b
        # power
        if a == 0 and b < 0:
            raise _div0(text)
        if isinstance(b, Fraction) and b.denominator == 1 and abs(b) <= _MAX_EXPONENT:
            return a ** int(b)
        if a < 0:
            raise ExpressionError(f"negative number to a fractional power in {text!r}")
        return float(a) ** float(b)
    if tag == "cmp":
        a = _eval_scalar(node[2], env, text)
        b = _eval_scalar(node[3], env, text)
        return Fraction(int(_COMPARE[node[1]](a, b)))
    if tag == "call":
        f, args = node[1], node[2]
        if f == "if":
            cond = _eval_scalar(args[0], env, text)
            return _eval_scalar(args[1] if cond != 0 else args[2], env, text)
        vals = [_eval_scalar(a, env, text) for a in args]
        if f == "min":
            return min(vals)
        if f == "max":
            return max(vals)
        if f == "abs":
            return abs(vals[0])
        x = float(vals[0])
        if f == "sqrt":
            if x < 0:
                raise ExpressionError(f"sqrt of a negative number in {text!r}")
            return math.sqrt(x)
        if f == "exp":
            return math.exp(x)
        if x <= 0:
            raise ExpressionError(f"log of a number <= 0 in {text!r}")
        return math.log(x)
    raise AssertionError(tag)  # pragma: no cover


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


# -- array evaluation (numpy, float) ------------------------------------------------------------

def _eval_array(node: tuple, env: Mapping[str, np.ndarray]) -> Any:
    tag = node[0]
    if tag == "num":
        return float(node[1])
    if tag == "name":
        return env[node[1]]
    if tag == "neg":
        return -_eval_array(node[1], env)
    if tag == "bin":
        op = node[1]
        a = _eval_array(node[2], env)
        b = _eval_array(node[3], env)
        if op == "+":
            return np.add(a, b)
        if op == "-":
            return np.subtract(a, b)
        if op == "*":
            return np.multiply(a, b)
        if op == "/":
            return np.divide(a, b)
        return np.power(np.asarray(a, dtype=float), b)
    if tag == "cmp":
        return _COMPARE[node[1]](np.asarray(_eval_array(node[2], env)), _eval_array(node[3], env)).astype(float)
    if tag == "call":
        f, args = node[1], node[2]
        vals = [_eval_array(a, env) for a in args]
        if f == "if":
            return np.where(np.asarray(vals[0]) != 0, vals[1], vals[2])
        if f == "min":
            out = vals[0]
            for v in vals[1:]:
                out = np.minimum(out, v)
            return out
        if f == "max":
            out = vals[0]
            for v in vals[1:]:
                out = np.maximum(out, v)
            return out
        return {"abs": np.abs, "sqrt": np.sqrt, "exp": np.exp, "log": np.log}[f](vals[0])
    raise AssertionError(tag)  # pragma: no cover


@dataclass(frozen=True)
class Expression:
    """A parsed expression. ``where`` names its place (``file:line: field``) for error messages."""

    text: str
    tree: tuple = field(repr=False, compare=False)
    where: str = field(default="", compare=False)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(_names(self.tree, set()))

    def value(self, env: Mapping[str, Any]) -> Any:
        """Exact value at one point (``Fraction``; ``float`` if sqrt/exp/log or a fractional power
        is used). Errors name ``where``."""
        try:
            return _eval_scalar(self.tree, env, self.text)
        except ExpressionError as err:
            raise ExpressionError(f"{self.where}: {err}" if self.where else str(err)) from None

    def array(self, env: Mapping[str, np.ndarray]) -> Any:
        """Value over arrays of parameter values (numpy broadcasting). Where the expression is
        undefined (division by zero, log of 0) the value is ``nan`` or ``inf``; no error."""
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return _eval_array(self.tree, env)


def parse_expression(text: Any, where: str = "") -> Expression:
    """Parse ``text`` (a string, or a plain number) into an :class:`Expression`.

    >>> parse_expression("max(W - c_S, 0) / 2").value({"W": Fraction(1), "c_S": Fraction(1, 10)})
    Fraction(9, 20)
    """
    if isinstance(text, bool) or text is None:
        raise ExpressionError(f"{where + ': ' if where else ''}expected a number or expression, got {text!r}")
    if isinstance(text, (int, float, Fraction)):
        try:
            value = to_fraction(text)
        except (TypeError, ValueError) as err:
            raise ExpressionError(f"{where + ': ' if where else ''}{err}") from None
        return Expression(str(text), ("num", value), where)
    if not isinstance(text, str):
        raise ExpressionError(
            f"{where + ': ' if where else ''}expected a number or expression, got a {type(text).__name__}"
        )
    try:
        tree = _Parser(text).parse()
    except ExpressionError as err:
        raise ExpressionError(f"{where}: {err}" if where else str(err)) from None
    return Expression(text, tree, where)


def format_value(value: Any) -> str:
    """Shortest exact text of a number: ``0.4``, ``1/3``, ``-2``."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        d = value.denominator
        while d % 2 == 0:
            d //= 2
        while d % 5 == 0:
            d //= 5
        if d == 1:  # terminating decimal
            text = f"{value.numerator / value.denominator!r}"
            if Fraction(text) == value:
                return text
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


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
        return f"{left}{'-inf' if lo is None else format_value(lo)}, {'inf' if hi is None else format_value(hi)}{right}"

    def check(self, value: Any, where: str) -> Fraction | float:
        """``value`` converted (exactly where it is decimal) and checked against the range."""
        given = value if isinstance(value, str) else format_value(value)  # the user's text, not a repr
        try:
            if isinstance(value, str):
                value = parse_expression(value).value({})
            v = to_fraction(value) if not isinstance(value, float) or math.isfinite(value) else value
        except (TypeError, ValueError):
            raise BargainingError(
                f"{where}: parameter {self.name}: expected a number (such as 0.4 or 1/3), got {given!r}"
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
    :class:`Expression`; ``builder(template, evaluated_body, point)`` turns an evaluated body into a game. Templates are
    immutable; ``with_params`` returns a new game each time.
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
        parts = [f"{p.name}={format_value(point[p.name])}" for p in self.parameters
                 if point[p.name] != p.default]
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
    def _repr_html_(self) -> str:
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
