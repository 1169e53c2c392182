"""Game trees with an equilibrium overlaid (compatibility names).

The code lives in :mod:`bargaining.viz.tree_layout` (layout, overlay, label texts; no
matplotlib) and :mod:`bargaining.viz.tree_draw` (matplotlib). TikZ output moved to the report
layer: :func:`bargaining.report.tikz.tikz_picture`.
"""

from __future__ import annotations

from bargaining.viz.tree_draw import draw_tree, label_overlaps
from bargaining.viz.tree_layout import (
    TreeLayout,
    as_tree,
    infoset_rails,
    layout_tree,
    signaling_overlay,
    tree_overlay,
)

__all__ = [
    "layout_tree",
    "TreeLayout",
    "tree_overlay",
    "signaling_overlay",
    "draw_tree",
    "as_tree",
    "label_overlaps",
    "infoset_rails",
]
