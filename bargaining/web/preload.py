"""Imported once by the worker pool's forkserver, so every job starts with the package loaded:
the solvers (registered by a first tiny solve), renderers, pictures (matplotlib, if installed)
and the dynamics."""

from __future__ import annotations

import bargaining.report.explain  # noqa: F401
import bargaining.report.render  # noqa: F401
import bargaining.solvers.dynamics  # noqa: F401
import bargaining.web.compute  # noqa: F401
from bargaining.errors import BargainingError
from bargaining.model.normal import NormalFormGame
from bargaining.solvers.api import solve

solve(NormalFormGame.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]]))
try:
    import bargaining.viz.matrix  # noqa: F401
    import bargaining.viz.tree_draw  # noqa: F401
    from bargaining.viz.backend import require_matplotlib

    require_matplotlib()
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.figure  # noqa: F401
except BargainingError:
    pass
