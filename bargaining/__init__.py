"""bargaining: a game-theoretic bargaining simulator.

Every equilibrium of normal-form, extensive-form and signaling games, continuous bargaining
models, and parameter sweeps over them. The public entry points are re-exported here:

>>> import bargaining
>>> g = bargaining.NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
>>> sol = bargaining.solve(g)
>>> [eq.strategies for eq in sol.equilibria]
[((0.5, 0.5), (0.5, 0.5))]
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

from bargaining.errors import BargainingError, FileFormatError, GameValidationError
from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Equilibrium, Solution
from bargaining.report import install_display as _install_display

_install_display()  # games and solutions show as HTML tables and SVG pictures in notebooks

__all__ = [
    "BargainingError",
    "Equilibrium",
    "FileFormatError",
    "GameValidationError",
    "NormalFormGame",
    "Solution",
    "load",
    "solve",
    "__version__",
]


#: bargaining.solvers.api.solve, imported on the first call (``import bargaining`` stays light)
_solve: Any = None


def solve(game, **options) -> Solution:
    """Solve ``game``; see :func:`bargaining.solvers.api.solve`."""
    global _solve
    if _solve is None:
        from bargaining.solvers.api import solve as _solve
    return _solve(game, **options)


def load(name_or_path, **params):
    """Load a game by scenario name, canonical id or file path.

    A YAML game file with no parameter set gives its :class:`~bargaining.model.template.Template`
    (``bargaining.load("resolve-signal").with_params(p=0.4)``; ``solve(template)`` solves it at
    the defaults); with parameters (keywords or a canonical id) it gives the game at that point;
    ``.nfg``/``.efg`` files give the game. See :func:`bargaining.formats.load.open_game`.
    """
    from bargaining.formats.load import open_game

    return open_game(name_or_path, params)
