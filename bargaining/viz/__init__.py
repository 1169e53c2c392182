"""Pictures of games with an equilibrium overlaid (matplotlib, an optional extra).

- :func:`draw_matrix` — a strategic form: payoff table, best responses underlined, equilibria
  highlighted (:mod:`bargaining.viz.matrix`);
- :func:`draw_tree` — a game tree: decision and chance nodes, information sets, payoffs at the
  leaves, with the chosen actions, mixing probabilities and beliefs of an equilibrium
  (:mod:`bargaining.viz.tree`);
- :func:`draw` — either one, by the game's kind; :func:`save` writes PNG, SVG or PDF.

matplotlib is imported only when a picture is drawn; without it the call fails with one line
that names the fix (``pip install 'bargaining[plot]'``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from bargaining.errors import BargainingError

__all__ = ["draw", "draw_matrix", "draw_tree", "save", "require_matplotlib", "as_game", "FORMATS"]

FORMATS = ("png", "svg", "pdf")


def require_matplotlib() -> Any:
    """Import matplotlib with the non-interactive Agg backend, or fail with one clear line."""
    try:
        import matplotlib
    except ModuleNotFoundError:
        raise BargainingError(
            "drawing needs matplotlib, which is not installed: pip install 'bargaining[plot]'"
        ) from None
    if "matplotlib.pyplot" not in __import__("sys").modules:
        matplotlib.use("Agg")
    return matplotlib


def as_game(obj: Any) -> Any:
    """A game for ``obj``: a parametric template (what :func:`bargaining.load` returns for a
    YAML file) becomes its game at the default parameters; a game is returned as it is."""
    if hasattr(obj, "to_game") and hasattr(obj, "with_params"):
        return obj.to_game()
    return obj


def draw_matrix(game: Any, solution: Any = None, equilibrium: int | None = None, **options: Any) -> Any:
    """See :func:`bargaining.viz.matrix.draw_matrix`."""
    from bargaining.viz.matrix import draw_matrix as _draw

    return _draw(as_game(game), solution, equilibrium, **options)


def draw_tree(game: Any, solution: Any = None, equilibrium: int | None = None, **options: Any) -> Any:
    """See :func:`bargaining.viz.tree.draw_tree`."""
    from bargaining.viz.tree_draw import draw_tree as _draw

    return _draw(as_game(game), solution, equilibrium, **options)


def draw(game: Any, solution: Any = None, equilibrium: int | None = None, **options: Any) -> Any:
    """A matplotlib Figure of ``game`` (normal form: a payoff matrix; trees and signaling games:
    the tree), with ``solution``'s equilibria overlaid (only number ``equilibrium``, 0-based, if
    given). A parametric template is drawn at its default parameters."""
    game = as_game(game)
    kind = getattr(game, "kind", None)
    if kind == "normal":
        return draw_matrix(game, solution, equilibrium, **options)
    if kind in ("tree", "signaling"):
        return draw_tree(game, solution, equilibrium, **options)
    raise BargainingError(
        f"cannot draw a {kind or type(game).__name__} game: pictures exist for normal-form games, "
        "trees and signaling games"
    )


def save(fig: Any, path: str | os.PathLike) -> Path:
    """Write ``fig`` to ``path``; the format (png, svg, pdf) comes from the file's extension."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise BargainingError(f"{path}: unknown picture format {path.suffix!r}: use .png, .svg or .pdf")
    if path.parent and not path.parent.exists():
        raise BargainingError(f"{path}: folder {path.parent} does not exist")
    # no time stamps in SVG/PDF, so the same figure gives the same file
    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(fmt)
    fig.savefig(path, format=fmt, dpi=150, metadata=metadata)
    return path
