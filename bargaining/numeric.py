"""Numbers: exact rationals (``fractions.Fraction``) beside floats.

Exact mode keeps payoffs and probabilities as ``Fraction``; float mode uses ``numpy.float64``.
These helpers convert between the two and render numbers for JSON and tables.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from numbers import Rational, Real
from typing import Any

import numpy as np

Number = float | Fraction

#: Bounds on numbers read from user input (game files, ``--set``, ``--grid``): the digits of one
#: number's text, and its magnitude, which must fit the float range (solvers work in floats too).
#: A text such as ``1e99999999`` is refused from its text, before any big integer is computed.
MAX_DIGITS = 400
MAX_MAGNITUDE_EXPONENT = 308  # |x| < 1.8e308 (finite as a double)
MIN_MAGNITUDE_EXPONENT = -400  # nonzero |x| >= 1e-400 (the exact denominator stays small)

_DECIMAL = re.compile(r"([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?")
_RATIO = re.compile(r"([+-]?\d+)\s*/\s*(\d+)")


def shorten(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters (with ``...``), for error messages about user input."""
    text = str(text).replace("\r", "\\r").replace("\n", "\\n")  # messages stay one line
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_magnitude(value: Fraction, text: str | None = None) -> Fraction:
    """``value`` if it lies in the float range, else ``ValueError`` with a one-line message.

    The test estimates the size from bit lengths first, so a huge value costs no big division."""
    if value == 0:
        return value
    shown = shorten(text if text is not None else format_value(value))
    bits = value.numerator.bit_length() - value.denominator.bit_length()
    too_big = bits > 1025
    if not too_big and bits > 1020:
        try:
            float(value)
        except OverflowError:
            too_big = True
    if too_big:
        raise ValueError(f"number {shown} is too large: numbers must be below 1.8e308 in absolute value")
    if bits < -1400:  # 10^-400 is about 2^-1329
        raise ValueError(
            f"number {shown} is too small: nonzero numbers must be at least 1e-400 in absolute value"
        )
    return value


def parse_number(text: str) -> Fraction:
    """The exact value of a number's text: an integer, a decimal (``-1.5``, ``.25``, ``2e3``) or a
    ratio of integers (``3/5``), with at most :data:`MAX_DIGITS` digits and a magnitude in the float
    range. The bounds are checked on the text, before any big integer is built, so that
    ``1e99999999`` or a 5,000-digit integer give a one-line ``ValueError``, not a hang."""
    s = str(text).strip()
    m = _RATIO.fullmatch(s)
    if m:
        num, den = m.group(1), m.group(2)
        if len(num.lstrip("+-")) > MAX_DIGITS or len(den) > MAX_DIGITS:
            raise ValueError(f"number {shorten(s)} has more than {MAX_DIGITS} digits")
        if int(den) == 0:
            raise ValueError(f"{shorten(s)}: division by zero in a ratio")
        return check_magnitude(Fraction(int(num), int(den)), s)
    m = _DECIMAL.fullmatch(s)
    if not m or not (m.group(2) or m.group(3)):
        raise ValueError(f"not a number: {shorten(s)}")
    sign, whole, frac, exp = m.group(1), m.group(2) or "", m.group(3) or "", m.group(4)
    digits = whole + frac
    if len(digits) > MAX_DIGITS:
        raise ValueError(f"number {shorten(s)} has {len(digits)} digits; at most {MAX_DIGITS} are allowed")
    significant = digits.lstrip("0")
    if not significant:
        return Fraction(0)
    e = 0
    if exp is not None:
        if len(exp.lstrip("+-").lstrip("0")) > 6:
            e = -(10**7) if exp.startswith("-") else 10**7
        else:
            e = int(exp)
    # decimal exponent of the leading digit: value = 0.d1d2... x 10^(lead)
    lead = len(whole.lstrip("0")) if whole.lstrip("0") else -(len(frac) - len(frac.lstrip("0")))
    lead += e
    if lead > MAX_MAGNITUDE_EXPONENT + 1:
        raise ValueError(f"number {shorten(s)} is too large: numbers must be below 1.8e308 in absolute value")
    if lead <= MIN_MAGNITUDE_EXPONENT:
        raise ValueError(
            f"number {shorten(s)} is too small: nonzero numbers must be at least 1e-400 in absolute value"
        )
    value = Fraction(int(digits), 10 ** len(frac)) * (Fraction(10) ** e)
    return check_magnitude(-value if sign == "-" else value, s)


def to_fraction(value: Any) -> Fraction:
    """Exact rational value of ``value``: ints, Fractions, decimal strings ("0.1" is 1/10),
    ratio strings ("3/25"), and floats (by their shortest decimal repr, so 0.1 is 1/10).

    Strings go through :func:`parse_number` (bounded digits and magnitude); ints and Fractions
    are taken as they are (they are already in memory)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"not a number: {value}")
    if isinstance(value, (int, np.integer, Rational)):
        return Fraction(int(value)) if isinstance(value, np.integer) else Fraction(value)
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value}")
        return Fraction(repr(float(value)))
    if isinstance(value, str):
        return parse_number(value)
    raise TypeError(f"not a number: {shorten(repr(value))}")


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


def format_value(value: Any) -> str:
    """Shortest exact text of a number: ``0.4``, ``1/3``, ``-2``; a terminating decimal whose
    ``p/q`` text would be long (a Fraction made from a float such as ``exp(-700)``) is written in
    scientific notation (``9.85967654375977e-305``), never as hundreds of digits."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            text = str(value.numerator)
            if len(text) > 30:
                short = repr(float(value)) if abs(value.numerator).bit_length() <= 1024 else ""
                if short and Fraction(short) == value:
                    return short
            return text
        d, twos, fives = value.denominator, 0, 0
        while d % 2 == 0:
            d //= 2
            twos += 1
        while d % 5 == 0:
            d //= 5
            fives += 1
        if d == 1:  # terminating decimal
            text = f"{value.numerator / value.denominator!r}"
            if Fraction(text) == value:
                return text
            text = str(value)
            if len(text) > 30:
                return _scientific(
                    value.numerator * (10 ** max(twos, fives) // value.denominator), -max(twos, fives)
                )
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _scientific(mantissa: int, exponent: int) -> str:
    """The exact text ``d.ddde±x`` of ``mantissa * 10**exponent``."""
    sign = "-" if mantissa < 0 else ""
    digits = str(abs(mantissa))
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    exponent += len(stripped) - 1
    body = stripped[0] + ("." + stripped[1:] if len(stripped) > 1 else "")
    return f"{sign}{body}e{exponent}"


def show_value(value: Any) -> str:
    """A value for an error message, as the user wrote it: ``-1/2`` (not ``Fraction(-1, 2)``),
    lists as ``[1, 2/3]``, long texts shortened."""
    if isinstance(value, (list, tuple)):
        return shorten("[" + ", ".join(show_value(v) for v in value) + "]", 80)
    if isinstance(value, dict):
        return shorten("{" + ", ".join(f"{k}: {show_value(v)}" for k, v in value.items()) + "}", 80)
    try:
        return shorten(format_value(value))
    except (TypeError, ValueError, OverflowError):  # pragma: no cover - defensive
        return shorten(str(value))


def format_number(value: Any, exact: bool = False, digits: int = 6) -> str:
    """Human form: fractions as ``p/q`` in exact mode (a long terminating decimal in scientific
    notation, see :func:`format_value`), otherwise rounded decimals."""
    if isinstance(value, Fraction) and exact:
        text = str(value)
        return format_value(value) if len(text) > 40 else text
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
            text = str(value)
            return format_value(value) if len(text) > 60 else text
        return float(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, np.ndarray):
        return (
            [jsonify(v, exact) for v in value.tolist()]
            if value.dtype != object
            else [jsonify(v, exact) for v in value]
        )
    if isinstance(value, dict):
        return {str(k): jsonify(v, exact) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonify(v, exact) for v in value]
    return value
