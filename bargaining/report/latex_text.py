"""LaTeX text helpers shared by the ``sgame`` tables (:mod:`bargaining.report.latex`) and the
TikZ trees (:mod:`bargaining.report.tikz`): escaping of labels and numbers in math mode."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from bargaining.viz.matrix import format_value

__all__ = ["latex_escape", "latex_number"]

_ESCAPES = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex_escape(text: str) -> str:
    """``text`` with LaTeX's special characters escaped (for labels in text mode)."""
    return "".join(_ESCAPES.get(ch, ch) for ch in str(text))


def latex_number(value: Any, exact: bool) -> str:
    r"""A number in math mode: ``\frac{p}{q}`` for non-integer Fractions when ``exact``,
    otherwise at most three decimals."""
    if exact and isinstance(value, (Fraction, int)) and not isinstance(value, bool):
        f = Fraction(value)
        if f.denominator == 1:
            return str(f.numerator)
        sign = "-" if f < 0 else ""
        return rf"{sign}\frac{{{abs(f.numerator)}}}{{{f.denominator}}}"
    return format_value(value, False)
