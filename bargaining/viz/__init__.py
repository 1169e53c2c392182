"""Pictures of games with an equilibrium overlaid (matplotlib, an optional extra).

- :func:`draw_matrix` — a strategic form: payoff table, best responses underlined, equilibria
  highlighted (:mod:`bargaining.viz.matrix`);
- :func:`draw_tree` — a game tree: decision and chance nodes, information sets, payoffs at the
  leaves, with the chosen actions, mixing probabilities and beliefs of an equilibrium
  (:mod:`bargaining.viz.tree_layout`, :mod:`bargaining.viz.tree_draw`);
- :func:`draw` — either one, by the game's kind; :func:`save` writes PNG, SVG or PDF;
- :mod:`bargaining.viz.phase` and :mod:`bargaining.viz.regime_plot` — pictures of sweeps.

The helpers every picture module uses (:func:`require_matplotlib`, :func:`as_game`,
:func:`save`) live in :mod:`bargaining.viz.backend`, so no module of this package imports this
``__init__`` back.

matplotlib is imported only when a picture is drawn; without it the call fails with one line
that names the fix (``pip install 'bargaining[plot]'``).
"""

from __future__ import annotations

from typing import Any

from bargaining.errors import BargainingError
from bargaining.viz.backend import FORMATS, as_game, require_matplotlib, save

__all__ = ["draw", "draw_matrix", "draw_tree", "save", "require_matplotlib", "as_game", "FORMATS"]


def draw_matrix(game: Any, solution: Any = None, equilibrium: int | None = None, **options: Any) -> Any:
    """See :func:`bargaining.viz.matrix.draw_matrix`."""
    from bargaining.viz.matrix import draw_matrix as _draw

    return _draw(as_game(game), solution, equilibrium, **options)


def draw_tree(game: Any, solution: Any = None, equilibrium: int | None = None, **options: Any) -> Any:
    """See :func:`bargaining.viz.tree_draw.draw_tree`."""
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
