r"""Payoff matrices with best responses marked and equilibria highlighted.

For a game :math:`(N, (S_i), (u_i))` in strategic form, player i's payoff in cell
:math:`s = (s_i, s_{-i})` is a **best response** iff :math:`u_i(s) = \max_{t_i \in S_i}
u_i(t_i, s_{-i})`; a cell in which every player's payoff is a best response is a pure Nash
equilibrium. This is the textbook way of finding pure equilibria by underlining (e.g. Osborne,
*An Introduction to Game Theory*, 2004, §2.8; Gibbons, *A Primer in Game Theory*, 1992, §1.1.C),
and it is how the picture marks them: each best-response payoff is underlined and bold. An
equilibrium from a :class:`~bargaining.model.profile.Solution` is overlaid by shading each cell
with its probability :math:`\prod_i \sigma_i(s_i)` (a pure equilibrium is one fully shaded cell)
and writing the mixing probabilities in the margins.

Two players: one table (rows: player 1, columns: player 2). More players: one panel per
combination of the strategies of players 3..n, titled by that combination (as in ``sgame``
three-player tables). Best responses of players 3..n compare payoffs across panels.

:func:`best_response_mask` and :func:`cell_probabilities` need no matplotlib and are shared with
the LaTeX and HTML renderers.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np

from bargaining.errors import BargainingError
from bargaining.numeric import format_number

__all__ = [
    "best_response_mask",
    "cell_probabilities",
    "pick_equilibria",
    "text_width",
    "format_value",
    "draw_matrix",
    "PLAYER_COLORS",
]

PLAYER_COLORS = ("#1f4e9c", "#b2182b", "#1b7837", "#762a83", "#b35806", "#01665e")
_SHADE = "#f6c945"


def best_response_mask(game: Any, tol: float | None = None) -> np.ndarray:
    """Boolean array of shape ``(n, s_1, ..., s_n)``: ``mask[i][s]`` is True iff player i's
    payoff in cell s is a best response to ``s_{-i}``. Exact games compare Fractions exactly;
    float games within ``tol`` (default ``1e-9 * max(1, max |u|)``)."""
    n = game.num_players
    if game.exact:
        pay = game.payoffs
        tol = 0
    else:
        pay = game.float_payoffs
        if tol is None:
            scale = float(np.max(np.abs(pay))) if pay.size else 1.0
            tol = 1e-9 * max(1.0, scale)
    mask = np.zeros(pay.shape, dtype=bool)
    for i in range(n):
        u = pay[i]
        best = u.max(axis=i, keepdims=True)
        mask[i] = (u >= best - tol) if tol else (u == best)
    return mask


def cell_probabilities(strategies: Sequence[Sequence[Any]]) -> np.ndarray:
    """The probability of each cell under a mixed profile: the outer product of the players'
    probability vectors (floats), shape ``(s_1, ..., s_n)``."""
    out = np.ones(())
    for probs in strategies:
        out = np.multiply.outer(out, np.array([float(p) for p in probs]))
    return out


def pick_equilibria(solution: Any, equilibrium: int | None) -> list[tuple[int, Any]]:
    """``[(index, Equilibrium)]`` to overlay: all of ``solution``'s, or only number
    ``equilibrium`` (0-based; a one-line error if there is no such equilibrium)."""
    if solution is None:
        if equilibrium is not None:
            raise BargainingError(f"--equilibrium {equilibrium} needs a solution: add --solve")
        return []
    eqs = list(solution.equilibria)
    if equilibrium is None:
        return list(enumerate(eqs))
    if not 0 <= equilibrium < len(eqs):
        if not eqs:
            raise BargainingError(f"equilibrium {equilibrium}: the solution has no equilibrium")
        raise BargainingError(
            f"equilibrium {equilibrium}: the solution has {len(eqs)} "
            f"(numbered 0 to {len(eqs) - 1}); pick one of them"
        )
    return [(equilibrium, eqs[equilibrium])]


def format_value(value: Any, exact: bool, digits: int = 3) -> str:
    """A payoff or probability for a picture: ``p/q`` when exact, else at most ``digits``
    decimals, no trailing zeros."""
    if value is None:
        return "?"
    if exact and isinstance(value, (Fraction, int)) and not isinstance(value, bool):
        return str(Fraction(value))
    return format_number(value, False, digits)


# -- drawing ------------------------------------------------------------------------------------


def _blend(shade: float) -> tuple[float, float, float]:
    """The highlight colour mixed with white: ``shade`` 0 is white, 1 the full colour."""
    from matplotlib.colors import to_rgb

    base = to_rgb(_SHADE)
    r, g, b = (1 - shade * (1 - c) for c in base)
    return r, g, b


@lru_cache(maxsize=4096)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in inches of ``text`` at ``size`` points, from the font's metrics (no renderer,
    so the layout is the same for PNG, SVG and PDF)."""
    if not text:
        return 0.0
    try:
        from matplotlib.font_manager import FontProperties
        from matplotlib.textpath import text_to_path

        prop = FontProperties(weight="bold" if bold else "normal", size=size)
        width, _, _ = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
        return width / 72.0 + 0.01
    except Exception:  # pragma: no cover - font trouble: a generous estimate
        return 0.62 * size * len(text) / 72.0


def _profile_text(game: Any, eq: Any, exact: bool, digits: int = 3) -> str:
    parts = []
    for i, player in enumerate(game.players):
        probs = eq.strategies[i]
        support = [
            f"{label} {format_value(p, exact, digits)}" if p != 1 else label
            for label, p in zip(game.strategies[i], probs)
            if p != 0
        ]
        parts.append(f"{player}: {', '.join(support)}")
    return "; ".join(parts)


def _caption_lines(game: Any, shown: list[tuple[int, Any]], exact: bool, limit: int = 8) -> list[str]:
    lines = []
    for k, eq in shown[:limit]:
        kind = eq.label or ("pure" if eq.is_pure else "mixed")
        pay = ", ".join(format_value(v, exact) for v in eq.payoffs)
        lines.append(f"[{k}] {kind}  {_profile_text(game, eq, exact)}  payoffs ({pay})")
    if len(shown) > limit:
        lines.append(f"... and {len(shown) - limit} more (pick one with --equilibrium K)")
    return lines


def draw_matrix(
    game: Any,
    solution: Any = None,
    equilibrium: int | None = None,
    *,
    exact: bool | None = None,
    title: str | None = None,
    fontsize: float = 12.0,
    legend: bool = True,
) -> Any:
    """Draw the strategic form of ``game`` as a payoff table and return the matplotlib Figure.

    Each cell shows the payoffs of all players (player colours as in the margins); every payoff
    that is a best response is bold and underlined. With ``solution`` (a Nash
    :class:`~bargaining.model.profile.Solution` of this game) its equilibria are overlaid: with
    ``equilibrium=K`` only number K, its cells shaded by their probability and its mixing
    probabilities written in the margins; otherwise every pure equilibrium's cell is shaded and
    all equilibria are listed under the table. ``exact`` (default: the game's or solution's
    mode) prints Fractions as ``p/q``.
    """
    if getattr(game, "kind", None) != "normal":
        raise BargainingError("draw_matrix needs a normal-form game; use draw_tree for trees")
    from bargaining.viz.backend import require_matplotlib

    require_matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    cells = int(np.prod(game.shape))
    if cells > 2500:
        raise BargainingError(
            f"this game has {cells} cells, too large to draw legibly as a table (at most 2500)"
        )
    if exact is None:
        exact = bool(game.exact or (solution is not None and solution.exact))
    shown = pick_equilibria(solution, equilibrium)
    for _, eq in shown:
        if eq.strategies is None:
            raise BargainingError("this solution has no mixed strategies to draw on a matrix")
    single = len(shown) == 1  # one equilibrium shown (asked for, or the only one): shade by probability

    n = game.num_players
    shape = game.shape
    rows, cols = shape[0], shape[1] if n > 1 else 1
    mask = best_response_mask(game)
    pay = game.payoffs
    colors = [PLAYER_COLORS[i % len(PLAYER_COLORS)] for i in range(n)]

    fs = fontsize
    small = fs * 0.8
    line = fs / 72.0 * 1.6  # height of one text line, inches

    # text of every cell: list of payoff strings per cell
    def cell_index(panel: tuple[int, ...], r: int, c: int) -> tuple[int, ...]:
        return (r, c, *panel) if n > 1 else (r,)

    panels = list(itertools.product(*[range(m) for m in shape[2:]])) if n > 2 else [()]
    sep = ", "
    sep_w = text_width("0" + sep + "0", fs) - 2 * text_width("0", fs)  # keeps the space
    max_cell_text = 0.0
    for panel in panels:
        for r in range(rows):
            for c in range(cols):
                idx = cell_index(panel, r, c)
                widths = [
                    text_width(format_value(pay[(i, *idx)], exact), fs, bool(mask[(i, *idx)]))
                    for i in range(n)
                ]
                max_cell_text = max(max_cell_text, sum(widths) + sep_w * (n - 1))

    cell_w = max(0.9, max_cell_text + 0.35)
    cell_h = max(0.5, line * 1.5)
    col_labels = game.strategies[1] if n > 1 else ("",)
    row_labels = game.strategies[0]
    cell_w = max(cell_w, max(text_width(s, fs) for s in col_labels) + 0.25)
    label_w = max(text_width(s, fs) for s in row_labels) + 0.3
    name_w = line * 1.2  # rotated name of the row player
    header_h = line * 1.2  # column labels
    cname_h = line * 1.1 if n > 1 else 0.0  # name of the column player

    # probabilities in the margins (single equilibrium)
    margin_r = margin_b = 0.0
    if single:
        eq = shown[0][1]
        prob_w = max(text_width(format_value(p, exact), small) for probs in eq.strategies for p in probs)
        margin_r = prob_w + 0.3
        margin_b = line * 1.1 if n > 1 else 0.0

    panel_title_h = line * 1.2 if n > 2 else 0.0
    table_w = name_w + label_w + cols * cell_w + margin_r
    table_h = panel_title_h + cname_h + header_h + rows * cell_h + margin_b
    ncol = min(len(panels), 3 if table_w < 4.5 else 2 if table_w < 7 else 1)
    nrow = -(-len(panels) // ncol)
    gap = 0.35

    title = game.title if title is None else title
    title_h = line * 1.5 if title else 0.2
    caption = _caption_lines(game, shown, exact) if shown else []
    if legend:
        legend_text = "bold underlined: a best response"
        if shown:
            legend_text += "; shaded: " + (
                "cell probability in the equilibrium" if single else "a pure equilibrium"
            )
        caption = [*caption, legend_text]
    caption_h = len(caption) * line + (0.15 if caption else 0.0)
    caption_w = max((text_width(s, small) for s in caption), default=0.0) + 0.4
    title_w = text_width(title, fs * 1.15, bold=True) + 0.4 if title else 0.0

    width = max(ncol * table_w + (ncol - 1) * gap + 0.3, caption_w, title_w, 2.0)
    height = title_h + nrow * table_h + (nrow - 1) * gap + caption_h + 0.2

    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()

    def text(x: float, y: float, s: str, **kw: Any) -> Any:
        kw.setdefault("fontsize", fs)
        return ax.text(x, y, s, parse_math=False, **kw)

    if title:
        text(
            width / 2,
            height - title_h / 2 - 0.05,
            title,
            ha="center",
            va="center",
            fontsize=fs * 1.15,
            fontweight="bold",
        )

    probs_cells = None
    pure_cells: set[tuple[int, ...]] = set()
    if single:
        probs_cells = cell_probabilities(shown[0][1].strategies)
    else:
        for _, eq in shown:
            if eq.is_pure:
                pure_cells.add(tuple(int(np.argmax([float(p) for p in probs])) for probs in eq.strategies))

    for pk, panel in enumerate(panels):
        prow, pcol = divmod(pk, ncol)
        x0 = 0.15 + pcol * (table_w + gap) + (width - 0.3 - ncol * table_w - (ncol - 1) * gap) / 2
        y_top = height - title_h - prow * (table_h + gap)
        y = y_top
        if n > 2:
            parts = []
            for j, strat in enumerate(panel):
                player = 2 + j
                label = f"{game.players[player]}: {game.strategies[player][strat]}"
                if single:
                    label += f" ({format_value(shown[0][1].strategies[player][strat], exact)})"
                parts.append(label)
            text(
                x0 + table_w / 2,
                y - panel_title_h / 2,
                ",  ".join(parts),
                ha="center",
                va="center",
                fontstyle="italic",
            )
            y -= panel_title_h
        gx = x0 + name_w + label_w  # left edge of the grid
        if n > 1:
            text(
                gx + cols * cell_w / 2,
                y - cname_h / 2,
                game.players[1],
                ha="center",
                va="center",
                color=colors[1],
                fontweight="bold",
            )
            y -= cname_h
            for c, lab in enumerate(col_labels):
                text(
                    gx + (c + 0.5) * cell_w, y - header_h / 2, lab, ha="center", va="center", color=colors[1]
                )
        y -= header_h
        gy = y  # top edge of the grid
        text(
            x0 + name_w / 2,
            gy - rows * cell_h / 2,
            game.players[0],
            ha="center",
            va="center",
            rotation=90,
            color=colors[0],
            fontweight="bold",
        )
        for r, lab in enumerate(row_labels):
            text(gx - 0.15, gy - (r + 0.5) * cell_h, lab, ha="right", va="center", color=colors[0])
        for r in range(rows):
            for c in range(cols):
                idx = cell_index(panel, r, c)
                cx, cy = gx + c * cell_w, gy - (r + 1) * cell_h
                shade = 0.0
                if probs_cells is not None:
                    pr = float(probs_cells[idx])
                    shade = 0.0 if pr <= 1e-12 else 0.2 + 0.8 * pr
                elif idx in pure_cells:
                    shade = 1.0
                ax.add_patch(
                    Rectangle(
                        (cx, cy),
                        cell_w,
                        cell_h,
                        facecolor=_blend(shade),
                        edgecolor="black",
                        linewidth=0.8,
                        zorder=1,
                    )
                )
                if shade >= 1.0 or (probs_cells is None and idx in pure_cells):
                    ax.add_patch(
                        Rectangle(
                            (cx, cy),
                            cell_w,
                            cell_h,
                            facecolor="none",
                            edgecolor="black",
                            linewidth=2.0,
                            zorder=2,
                        )
                    )
                strings = [format_value(pay[(i, *idx)], exact) for i in range(n)]
                bold = [bool(mask[(i, *idx)]) for i in range(n)]
                widths = [text_width(s, fs, b) for s, b in zip(strings, bold)]
                total = sum(widths) + sep_w * (n - 1)
                tx = cx + (cell_w - total) / 2
                ty = cy + cell_h / 2
                gid = f"cell-{pk}-{r}-{c}"
                for i, (s, b, w) in enumerate(zip(strings, bold, widths)):
                    text(
                        tx,
                        ty,
                        s,
                        ha="left",
                        va="center",
                        color=colors[i],
                        fontweight="bold" if b else "normal",
                        zorder=3,
                        gid=gid,
                    )
                    if b:
                        ax.plot(
                            [tx, tx + w - 0.01],
                            [ty - fs / 72 * 0.55] * 2,
                            color=colors[i],
                            linewidth=1.2,
                            zorder=3,
                            solid_capstyle="butt",
                        )
                    tx += w
                    if i < n - 1:
                        text(tx, ty, sep, ha="left", va="center", zorder=3, gid=gid)
                        tx += sep_w
        if single:
            eq = shown[0][1]
            for r in range(rows):
                text(
                    gx + cols * cell_w + 0.15,
                    gy - (r + 0.5) * cell_h,
                    format_value(eq.strategies[0][r], exact),
                    ha="left",
                    va="center",
                    fontsize=small,
                    color=colors[0],
                    fontstyle="italic",
                )
            if n > 1:
                for c in range(cols):
                    text(
                        gx + (c + 0.5) * cell_w,
                        gy - rows * cell_h - margin_b / 2,
                        format_value(eq.strategies[1][c], exact),
                        ha="center",
                        va="center",
                        fontsize=small,
                        color=colors[1],
                        fontstyle="italic",
                    )

    yc = caption_h + 0.1 - line * 0.5
    for s in caption:
        text(0.2, yc, s, ha="left", va="center", fontsize=small, color="#333333")
        yc -= line
    return fig
