r"""The restricted expression language of game files: payoffs and probabilities as expressions
over named parameters, evaluated exactly (``Fraction``) at a point or over numpy arrays.

A tokenizer and a recursive-descent parser build a small AST; nothing is ever passed to
``eval``::

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

Resource bounds (hostile input): an expression has at most :data:`MAX_LENGTH` characters and
:data:`MAX_NESTING` levels of parentheses, function calls and powers; a chain of signs
(``----x``) and a chain of sums or products are folded into one AST node, so neither the parser
nor the evaluator recurses on them. Number tokens are read by
:func:`bargaining.numeric.parse_number` (bounded digits and magnitude). An exact power is
computed only when the bit length of the result, estimated from the operands before computing,
is at most :data:`MAX_EXACT_BITS`; otherwise it is computed in floats, and a result outside the
float range is a one-line :class:`ExpressionError`, never a hang or a huge integer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import BargainingError
from bargaining.numeric import check_magnitude, format_value, parse_number, shorten, to_fraction

__all__ = ["Expression", "ExpressionError", "parse_expression", "MAX_LENGTH", "MAX_NESTING"]


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

FUNCTIONS = {
    "min": (1, None),
    "max": (1, None),
    "abs": (1, 1),
    "if": (3, 3),
    "sqrt": (1, 1),
    "exp": (1, 1),
    "log": (1, 1),
}
MAX_LENGTH = 2000
MAX_NESTING = 50  # parentheses, calls and powers inside one another
_MAX_EXPONENT = 64  # exact powers beyond this are computed in floats (no huge integers)
MAX_EXACT_BITS = 4096  # an exact power whose result would need more bits is computed in floats
_COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")


def _show(text: str) -> str:
    return repr(shorten(text, 60))


def _tokenize(text: str) -> list[tuple[str, Any]]:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_LENGTH} characters ({len(text)})")
    tokens: list[tuple[str, Any]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            bad = text[pos:].lstrip()[:1]
            raise ExpressionError(f"unexpected character {bad!r} in {_show(text)}")
        kind = m.lastgroup
        assert kind is not None
        value: Any = m.group(kind)
        if kind == "num":
            try:
                value = parse_number(value)
            except ValueError as err:
                raise ExpressionError(f"{err} (in {_show(text)})") from None
        tokens.append((kind, value))
        pos = m.end()
    return tokens


# ----------------------------------------------------------------------------------------------
# AST: tuples ("num", Fraction) | ("name", str) | ("neg", node) | ("bin", "^", a, b)
#             | ("chain", first, [(op, node), ...])   for a run of + - or of * /
#             | ("cmp", op, a, b) | ("call", fname, [args])
# ----------------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0
        self.depth = 0

    def peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def at(self, *ops: str) -> bool:
        tok = self.peek()
        return tok is not None and tok[0] == "op" and tok[1] in ops

    def take(self, value: str | None = None) -> tuple[str, Any]:
        tok = self.peek()
        if tok is None:
            raise ExpressionError(f"unexpected end of expression {_show(self.text)}")
        if value is not None and tok[1] != value:
            raise ExpressionError(f"expected {value!r} but found {_text(tok)!r} in {_show(self.text)}")
        self.pos += 1
        return tok

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExpressionError(
                f"expression nested deeper than {MAX_NESTING} levels (parentheses, calls, powers) "
                f"in {_show(self.text)}"
            )

    def parse(self) -> tuple:
        if not self.tokens:
            raise ExpressionError("empty expression")
        node = self.compare()
        if self.peek() is not None:
            raise ExpressionError(f"unexpected {_text(self.peek())!r} in {_show(self.text)}")
        return node

    def compare(self) -> tuple:
        left = self.sum()
        if self.at(*_COMPARISONS):
            op = self.take()[1]
            right = self.sum()
            left = ("cmp", op, left, right)
            if self.at(*_COMPARISONS):
                raise ExpressionError(f"chained comparison in {_show(self.text)}: write min/max or if()")
        return left

    def sum(self) -> tuple:
        first = self.product()
        rest = []
        while self.at("+", "-"):
            op = self.take()[1]
            rest.append((op, self.product()))
        return ("chain", first, rest) if rest else first

    def product(self) -> tuple:
        first = self.unary()
        rest = []
        while self.at("*", "/"):
            op = self.take()[1]
            rest.append((op, self.unary()))
        return ("chain", first, rest) if rest else first

    def unary(self) -> tuple:
        negative = False
        while self.at("-", "+"):  # a run of signs, folded (no recursion per sign)
            negative ^= self.take()[1] == "-"
        node = self.power()
        return ("neg", node) if negative else node

    def power(self) -> tuple:
        base = self.atom()
        if self.at("^"):
            self.take()
            self.enter()
            exponent = self.unary()
            self.depth -= 1
            return ("bin", "^", base, exponent)
        return base

    def atom(self) -> tuple:
        kind, value = self.take()
        if kind == "num":
            return ("num", value)
        if kind == "name":
            if self.at("("):
                if value not in FUNCTIONS:
                    raise ExpressionError(
                        f"unknown function {value!r} in {_show(self.text)}; functions are "
                        + ", ".join(sorted(FUNCTIONS))
                    )
                self.take("(")
                self.enter()
                args = [self.compare()]
                while self.at(","):
                    self.take()
                    args.append(self.compare())
                self.take(")")
                self.depth -= 1
                lo, hi = FUNCTIONS[value]
                if len(args) < lo or (hi is not None and len(args) > hi):
                    want = f"{lo}" if lo == hi else f"at least {lo}"
                    raise ExpressionError(
                        f"{value}() takes {want} argument(s), got {len(args)} in {_show(self.text)}"
                    )
                return ("call", value, args)
            if value in FUNCTIONS:
                raise ExpressionError(f"{value} is a function: write {value}(...) in {_show(self.text)}")
            return ("name", value)
        if value == "(":
            self.enter()
            node = self.compare()
            self.take(")")
            self.depth -= 1
            return node
        raise ExpressionError(f"unexpected {value!r} in {_show(self.text)}")


def _text(tok: tuple[str, Any] | None) -> str:
    if tok is None:
        return ""
    return format_value(tok[1]) if tok[0] == "num" else str(tok[1])


def _names(node: tuple, out: set[str]) -> set[str]:
    stack = [node]
    while stack:
        n = stack.pop()
        tag = n[0]
        if tag == "name":
            out.add(n[1])
        elif tag == "neg":
            stack.append(n[1])
        elif tag in ("bin", "cmp"):
            stack.extend((n[2], n[3]))
        elif tag == "chain":
            stack.append(n[1])
            stack.extend(x for _, x in n[2])
        elif tag == "call":
            stack.extend(n[2])
    return out


# -- scalar evaluation (exact) ---------------------------------------------------------------


def _div0(text: str) -> ExpressionError:
    return ExpressionError(f"division by zero in {_show(text)}")


def _power(a: Any, b: Any, text: str) -> Any:
    if a == 0 and b < 0:
        raise _div0(text)
    if isinstance(a, Fraction) and isinstance(b, Fraction) and b.denominator == 1 and abs(b) <= _MAX_EXPONENT:
        # size of the exact result, estimated before computing it
        bits = abs(int(b)) * max(a.numerator.bit_length(), a.denominator.bit_length())
        if bits <= MAX_EXACT_BITS:
            return a ** int(b)
    if a < 0 and not (isinstance(b, Fraction) and b.denominator == 1):
        raise ExpressionError(f"negative number to a fractional power in {_show(text)}")
    result = float(a) ** float(b)
    if isinstance(result, complex):  # pragma: no cover - excluded above
        raise ExpressionError(f"negative number to a fractional power in {_show(text)}")
    return result


def _eval_scalar(node: tuple, env: Mapping[str, Any], text: str) -> Any:
    tag = node[0]
    if tag == "num":
        return node[1]
    if tag == "name":
        try:
            return env[node[1]]
        except KeyError:
            raise ExpressionError(f"unknown name {node[1]!r} in {_show(text)}") from None
    if tag == "neg":
        return -_eval_scalar(node[1], env, text)
    if tag == "chain":
        acc = _eval_scalar(node[1], env, text)
        for op, sub in node[2]:
            b = _eval_scalar(sub, env, text)
            if op == "+":
                acc = acc + b
            elif op == "-":
                acc = acc - b
            elif op == "*":
                acc = acc * b
            else:
                if b == 0:
                    raise _div0(text)
                acc = acc / b
        return acc
    if tag == "bin":  # power
        return _power(_eval_scalar(node[2], env, text), _eval_scalar(node[3], env, text), text)
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
                raise ExpressionError(f"sqrt of a negative number in {_show(text)}")
            return math.sqrt(x)
        if f == "exp":
            return math.exp(x)
        if x <= 0:
            raise ExpressionError(f"log of a number <= 0 in {_show(text)}")
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


def _check_result(value: Any, text: str) -> Any:
    """The value of a whole expression must be a finite number in the float range."""
    if isinstance(value, Fraction):
        try:
            return check_magnitude(value)
        except ValueError as err:
            raise ExpressionError(f"the value of {_show(text)}: {err}") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise ExpressionError(f"the value of {_show(text)} is not a finite number ({value})")
    return value


# -- array evaluation (numpy, float) ------------------------------------------------------------


def _eval_array(node: tuple, env: Mapping[str, np.ndarray]) -> Any:
    tag = node[0]
    if tag == "num":
        return float(node[1])
    if tag == "name":
        return env[node[1]]
    if tag == "neg":
        return np.negative(_eval_array(node[1], env))
    if tag == "chain":
        acc = _eval_array(node[1], env)
        for op, sub in node[2]:
            b = _eval_array(sub, env)
            acc = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}[op](acc, b)
        return acc
    if tag == "bin":
        return np.power(np.asarray(_eval_array(node[2], env), dtype=float), _eval_array(node[3], env))
    if tag == "cmp":
        return _COMPARE[node[1]](np.asarray(_eval_array(node[2], env)), _eval_array(node[3], env)).astype(
            float
        )
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
        is used). A value outside the float range is an error. Errors name ``where``."""
        try:
            try:
                return _check_result(_eval_scalar(self.tree, env, self.text), self.text)
            except (OverflowError, ZeroDivisionError) as err:
                reason = "division by zero" if isinstance(err, ZeroDivisionError) else "a number too large"
                raise ExpressionError(f"{reason} in {_show(self.text)}") from None
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
    at = f"{where}: " if where else ""
    if isinstance(text, bool) or text is None:
        shown = "nothing" if text is None else str(text).lower()
        raise ExpressionError(f"{at}expected a number or expression, got {shown}")
    if isinstance(text, (int, float, Fraction)):
        try:
            value = check_magnitude(to_fraction(text))
        except (TypeError, ValueError, OverflowError) as err:
            raise ExpressionError(f"{at}{err}") from None
        return Expression(str(text), ("num", value), where)
    if not isinstance(text, str):
        raise ExpressionError(f"{at}expected a number or expression, got a {type(text).__name__}")
    try:
        tree = _Parser(text).parse()
    except ExpressionError as err:
        raise ExpressionError(f"{where}: {err}" if where else str(err)) from None
    return Expression(text, tree, where)
