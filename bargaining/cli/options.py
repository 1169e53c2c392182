"""Options shared by several ``bargain`` commands."""

from __future__ import annotations

from typing import Any

import click

from bargaining.errors import BargainingError
from bargaining.formats.load import load, parse_assignment

__all__ = ["set_option", "load_game", "timeout_option", "parse_assignments"]


def set_option(f):
    return click.option(
        "--set",
        "assignments",
        multiple=True,
        metavar="NAME=VALUE",
        help="Set a parameter of a parametric game (repeatable), e.g. --set p=0.4.",
    )(f)


def timeout_option(f):
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0),
        default=None,
        metavar="S",
        help="Time budget in seconds (0: none). On timeout the result is marked incomplete.",
    )(f)


def parse_assignments(assignments: tuple[str, ...], where: str = "--set") -> dict[str, str]:
    """``("p=0.4", "c_B=1")`` → ``{"p": "0.4", "c_B": "1"}``; a name given twice is an error
    (the user would not know which value is used)."""
    out: dict[str, str] = {}
    for text in assignments:
        key, value = parse_assignment(text, where=where)
        if key in out:
            raise BargainingError(
                f"{where} {key} is given twice ({key}={out[key]} and {key}={value}): give it once"
            )
        out[key] = value
    return out


def load_game(spec: str, assignments: tuple[str, ...] = ()) -> Any:
    return load(spec, parse_assignments(assignments))
