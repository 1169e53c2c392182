"""Options shared by several ``bargain`` commands."""

from __future__ import annotations

from typing import Any

import click

from bargaining.io.load import load, parse_assignment

__all__ = ["set_option", "load_game", "timeout_option"]


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
        type=float,
        default=None,
        metavar="S",
        help="Time budget in seconds (0: none). On timeout the result is marked incomplete.",
    )(f)


def load_game(spec: str, assignments: tuple[str, ...] = ()) -> Any:
    params = dict(parse_assignment(a) for a in assignments)
    return load(spec, params)
