"""Numbers: exact rationals (``fractions.Fraction``) beside floats.

Exact mode keeps payoffs and probabilities as ``Fraction``; float mode uses ``numpy.float64``.
These helpers convert between the two and render numbers for JSON and tables.
"""

from __future__ import annotations

import math
from fractions import Fraction
from numbers import Rational, Real
from typing import Any

import numpy as np

Number = float | Fraction


def to_fraction(value: Any) -> Fraction:
    """Exact rational value of ``value``: ints, Fractions, decimal strings ("0.1" is 1/10),
    ratio strings ("3/25"), and floats (by their shortest decimal repr, so 0.1 is 1/10)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, (int, np.integer, Rational)):
        return Fraction(int(value)) if isinstance(value, np.integer) else Fraction(value)
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return Fraction(repr(float(value)))
    if isinstance(value, str):
        text = value.strip()
        try:
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"not a number: {value!r}") from None
    raise TypeError(f"not a number: {value!r}")


def is_finite_number(value: Any) -> bool:
    if isinstance(value, Fraction):
        return True
    try:
        return isinstance(value, Real) and math.isfinite(float(value))
    except (TypeError, ValueError, OverflowError):
        return False


def fraction_array(values: Any) -> np.ndarray:
    """An object array of Fractions with the shape of ``values``."""
    arr = np.asarray(values, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for idx, v in np.ndenumerate(arr):
        out[idx] = to_fraction(v)
    return out


def format_number(value: Any, exact: bool = False, digits: int = 6) -> str:
    """Human form: fractions as ``p/q`` in exact mode, otherwise rounded decimals."""
    if isinstance(value, Fraction) and exact:
        return str(value)
    v = float(value)
    if v == 0:
        return "0"
    text = f"{v:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def jsonify(value: Any, exact: bool = False) -> Any:
    """JSON-ready copy of ``value``: Fractions become ``"p/q"`` strings when ``exact``, floats
    otherwise; numpy scalars and arrays become Python numbers and lists; tuples become lists."""
    if isinstance(value, Fraction):
        if exact:
            return str(value)
        return float(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, np.ndarray):
        return [jsonify(v, exact) for v in value.tolist()] if value.dtype != object else [
            jsonify(v, exact) for v in value
        ]
    if isinstance(value, dict):
        return {str(k): jsonify(v, exact) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonify(v, exact) for v in value]
    return value
