"""Rich-display hook for notebooks: the model layer owns the table, the report layer fills it.

Games, templates and solutions have ``_repr_html_`` / ``_repr_svg_`` methods (the IPython
display protocol) that call :func:`game_html`, :func:`solution_html` and :func:`figure_svg`
here. Those look the renderer up in :data:`HOOKS`; :func:`bargaining.report.install_display`
(run by ``import bargaining``) registers the HTML tables and SVG pictures of
:mod:`bargaining.report.notebook`. With nothing registered they return ``None``, which IPython
reads as "no such representation" and falls back to ``repr``. So the model layer imports no
renderer and no plotting code, not even lazily.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["HOOKS", "register", "game_html", "solution_html", "figure_svg"]

# "game_html" (game or template -> HTML), "solution_html" (Solution -> HTML),
# "figure_svg" (game or Solution -> SVG text or None)
HOOKS: dict[str, Callable[[Any], str | None]] = {}
_NAMES = ("game_html", "solution_html", "figure_svg")


def register(name: str, function: Callable[[Any], str | None]) -> None:
    """Set the display function ``name`` (one of ``game_html``, ``solution_html``, ``figure_svg``)."""
    if name not in _NAMES:
        raise ValueError(f"unknown display hook {name!r}: expected one of {', '.join(_NAMES)}")
    HOOKS[name] = function


def _call(name: str, obj: Any) -> str | None:
    function = HOOKS.get(name)
    return None if function is None else function(obj)


def game_html(game: Any) -> str | None:
    """HTML of a game or template, or ``None`` when no renderer is registered."""
    return _call("game_html", game)


def solution_html(solution: Any) -> str | None:
    """HTML of a solution, or ``None`` when no renderer is registered."""
    return _call("solution_html", solution)


def figure_svg(obj: Any) -> str | None:
    """SVG picture of a game or solution, or ``None`` (no renderer, no matplotlib, no picture)."""
    return _call("figure_svg", obj)
