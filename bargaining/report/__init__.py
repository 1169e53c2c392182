"""The report layer: solutions and games turned into documents for people and programs.

- :mod:`bargaining.report.render`: table, JSON and CSV of a solution; ``equilibrium_rows`` (the
  sweep rows); the per-kind pieces live in ``render_normal``, ``render_tree``,
  ``render_signaling``, ``render_model`` and are listed in :mod:`bargaining.report.registry`;
- :mod:`bargaining.report.explain`: a signaling game's PBE derived step by step, in words;
- :mod:`bargaining.report.notebook`: HTML / SVG display in Jupyter (registered into the model
  layer's display hook, :mod:`bargaining.model.display`, by :func:`install_display`);
- :mod:`bargaining.report.latex` and :mod:`bargaining.report.tikz`: LaTeX ``sgame`` tables and
  TikZ trees.

Layers: this package may import ``viz``, ``solvers``, ``verify``, ``model``, ``numeric`` and
``errors``; it never imports ``sweep``, ``cli`` or ``formats`` (see docs/architecture.md).
"""

from __future__ import annotations

__all__ = ["install_display"]


def install_display() -> None:
    """Fill the model layer's display hook with the notebook renderers (idempotent; called by
    ``import bargaining``)."""
    from bargaining.report.notebook import install

    install()
