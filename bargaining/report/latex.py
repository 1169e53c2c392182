r"""LaTeX for slides: strategic forms as ``sgame`` tables, game trees as plain TikZ.

**sgame** (Martin J. Osborne's package, ``\usepackage{sgame}``): one
``\begin{game}{rows}{cols}[row player][column player][title]`` environment per combination of
the strategies of players 3..n, a header row of column strategies, one row per row strategy,
each cell ``$u_1,u_2,\dots$``. Best-response payoffs are ``\underline``\ d (the textbook way of
finding pure equilibria, Osborne 2004 §2.8), pure equilibria of a given solution are boxed
(``\fbox``), and a mixed equilibrium's probabilities follow the strategy labels.

**TikZ** trees (``\usepackage{tikz}``, no other library): the node positions come from the
same layout as the matplotlib pictures (:func:`bargaining.viz.tree_layout.layout_tree`; the
code is in :mod:`bargaining.report.tikz`); decision nodes are filled circles labelled by their
player, chance nodes hollow, information sets dashed lines between their nodes, payoffs under
the leaves; with an equilibrium, the chosen actions are thick, mixing probabilities sit next to
the action labels and beliefs in brackets by the nodes.

The output is text only (no TeX is run): the tests check it is well-formed (balanced braces,
matching environments, the expected number of cells).
"""

from __future__ import annotations

import itertools
from typing import Any

from bargaining.errors import BargainingError
from bargaining.report.latex_text import latex_escape, latex_number
from bargaining.report.tikz import tikz_picture
from bargaining.viz.backend import as_game
from bargaining.viz.matrix import best_response_mask, pick_equilibria

__all__ = ["latex_escape", "latex_number", "sgame", "tikz_tree", "export", "EXPORT_FORMATS"]

EXPORT_FORMATS = ("sgame", "tikz")


def _header(packages: str, standalone: bool) -> list[str]:
    if standalone:
        return [r"\documentclass[border=4pt]{standalone}", rf"\usepackage{{{packages}}}", r"\begin{document}"]
    return [f"% needs \\usepackage{{{packages}}}"]


def sgame(
    game: Any,
    solution: Any = None,
    equilibrium: int | None = None,
    *,
    exact: bool | None = None,
    standalone: bool = False,
) -> str:
    r"""The strategic form of ``game`` as ``sgame`` tables (see the module docstring).

    ``solution`` / ``equilibrium`` (0-based) overlay equilibria: pure ones boxed, and for one
    chosen equilibrium its probabilities after the labels. ``standalone=True`` wraps the tables
    in a compilable ``standalone`` document.
    """
    game = as_game(game)
    if getattr(game, "kind", None) != "normal":
        raise BargainingError("sgame export needs a normal-form game; export trees with --to tikz")
    if game.num_players < 2:
        raise BargainingError("sgame tables need at least two players")
    if exact is None:
        exact = bool(game.exact or (solution is not None and solution.exact))
    shown = pick_equilibria(solution, equilibrium)
    single = shown[0][1] if equilibrium is not None and shown else None
    boxed: set[tuple[int, ...]] = set()
    for _, eq in shown:
        if eq.strategies is not None and eq.is_pure:
            boxed.add(tuple(max(range(len(p)), key=[float(v) for v in p].__getitem__) for p in eq.strategies))

    def label(i: int, k: int) -> str:
        text = latex_escape(game.strategies[i][k])
        if single is not None:
            text += f" (${latex_number(single.strategies[i][k], exact)}$)"
        return text

    n = game.num_players
    rows, cols = game.shape[0], game.shape[1]
    mask = best_response_mask(game)
    lines = _header("sgame", standalone)
    if game.title:
        lines.append(f"% {latex_escape(game.title)}")
    for k, eq in shown:
        kind = eq.label or ("pure" if eq.is_pure else "mixed")
        probs = "; ".join(
            f"{game.players[i]}: " + ", ".join(latex_number(p, exact) for p in eq.strategies[i])
            for i in range(n)
        )
        lines.append(f"% equilibrium [{k}] {kind}: {probs}")
    for panel in itertools.product(*[range(m) for m in game.shape[2:]]):
        title = ", ".join(
            f"{latex_escape(game.players[2 + j])}: {label(2 + j, s)}" for j, s in enumerate(panel)
        )
        opts = f"[{latex_escape(game.players[0])}][{latex_escape(game.players[1])}]"
        if title:
            opts += f"[{title}]"
        lines.append(rf"\begin{{game}}{{{rows}}}{{{cols}}}{opts}")
        lines.append("  & " + " & ".join(label(1, c) for c in range(cols)) + r" \\")
        for r in range(rows):
            cells = []
            for c in range(cols):
                idx = (r, c, *panel)
                parts = []
                for i in range(n):
                    v = latex_number(game.payoffs[(i, *idx)], exact)
                    parts.append(rf"\underline{{{v}}}" if mask[(i, *idx)] else v)
                cell = "$" + ",".join(parts) + "$"
                if idx in boxed:
                    cell = rf"\fbox{{{cell}}}"
                cells.append(cell)
            end = r" \\" if r < rows - 1 else ""
            lines.append(f"{label(0, r)} & " + " & ".join(cells) + end)
        lines.append(r"\end{game}")
    if standalone:
        lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


def tikz_tree(
    game: Any,
    solution: Any = None,
    equilibrium: int | None = None,
    *,
    exact: bool | None = None,
    standalone: bool = False,
) -> str:
    """A game tree as a ``tikzpicture`` (see the module docstring)."""
    return tikz_picture(game, solution, equilibrium, exact=exact, standalone=standalone)


def export(game: Any, to: str, solution: Any = None, equilibrium: int | None = None, **options: Any) -> str:
    """LaTeX of ``game``: ``to="sgame"`` for normal-form games, ``to="tikz"`` for trees and
    signaling games; a one-line error for any other combination."""
    game = as_game(game)
    if to == "sgame":
        return sgame(game, solution, equilibrium, **options)
    if to == "tikz":
        if getattr(game, "kind", None) == "normal":
            raise BargainingError("a normal-form game has no tree: export it with --to sgame")
        return tikz_tree(game, solution, equilibrium, **options)
    raise BargainingError(f"unknown export format {to!r}: use one of {', '.join(EXPORT_FORMATS)}")
