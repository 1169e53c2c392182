"""Game trees drawn with matplotlib, from the layout, overlay and labels of
:mod:`bargaining.viz.tree_layout` (see there for the conventions and sources).

Labels are placed by trying candidate spots around each node and edge and keeping the first
that overlaps nothing placed before; :func:`label_overlaps` is the legibility check the tests
run on any figure of this package.
"""

from __future__ import annotations

from typing import Any

from bargaining.viz.tree_layout import (
    INFOSET_COLORS,
    TreeLabels,
    TreeLayout,
    as_tree,
    edge_style,
    infoset_rails,
    layout_tree,
    on_path,
    pick_overlay,
    tree_labels,
)

__all__ = ["draw_tree", "label_overlaps"]


# -- matplotlib -----------------------------------------------------------------------------------


def _geometry(tree: Any, lay: TreeLayout, labels: TreeLabels, fs: float) -> tuple[float, float]:
    """Column width ``dx`` and row height ``dy`` in inches, wide enough for the labels."""
    from bargaining.viz.matrix import text_width

    widest = max((text_width(s, fs * 0.85) for s in labels.action.values()), default=0.5)
    dx = max(1.1, widest + 0.45)
    dy = max(0.36, fs / 72 * 3.0, min(0.8, 5.0 / max(1, len(tree.terminals))))
    return dx, dy


class _Placer:
    """Greedy label placement: each label takes the first candidate position whose box meets
    no label placed before and crosses the fewest edges (boxes in inches, measured from the
    font metrics, so the check needs no renderer)."""

    def __init__(self, segments: list, nodes: list) -> None:
        import numpy as np

        pts = [np.linspace(p0, p1, 40) for p0, p1 in segments] + [np.array(nodes)]
        self.pts = np.vstack(pts) if pts else np.zeros((0, 2))
        self.boxes: list[tuple[float, float, float, float]] = []

    @staticmethod
    def box(pos: tuple, w: float, size: float) -> tuple[float, float, float, float]:
        x, y, ha, va = pos
        h = size / 72 * 1.25
        x0 = {"left": x, "right": x - w, "center": x - w / 2}[ha]
        y0 = {"bottom": y, "top": y - h, "center": y - h / 2}[va]
        return (x0 - 0.02, y0 - 0.01, x0 + w + 0.02, y0 + h + 0.01)

    def cost(self, b: tuple[float, float, float, float]) -> int:
        overlaps = sum(1 for o in self.boxes if b[0] < o[2] and o[0] < b[2] and b[1] < o[3] and o[1] < b[3])
        p = self.pts
        inside = (p[:, 0] > b[0]) & (p[:, 0] < b[2]) & (p[:, 1] > b[1]) & (p[:, 1] < b[3])
        return overlaps * 10_000 + int(inside.sum())

    def add(self, pos: tuple, w: float, size: float) -> None:
        self.boxes.append(self.box(pos, w, size))

    def place(self, candidates: list[tuple], w: float, size: float) -> tuple:
        best, best_cost = candidates[0], None
        for pos in candidates:
            c = self.cost(self.box(pos, w, size))
            if best_cost is None or c < best_cost:
                best, best_cost = pos, c
            if c == 0:
                break
        self.add(best, w, size)
        return best


def _edge_candidates(p0: tuple, p1: tuple, outer_down: bool) -> list[tuple]:
    """Positions ``(x, y, ha, va)`` for an edge's label: beside the edge on its outer side at
    the middle, then nearer either end, then on the inner side."""
    (x0, y0), (x1, y1) = p0, p1
    out = []
    for inner in (False, True):
        for f in (0.5, 0.62, 0.38, 0.72, 0.28):
            mx, my = x0 + f * (x1 - x0), y0 + f * (y1 - y0)
            if abs(y1 - y0) < 1e-9:
                up = (-1 if outer_down else 1) * (-1 if inner else 1)
                out.append((mx, my + up * 0.04, "center", "bottom" if up > 0 else "top"))
            elif abs(x1 - x0) < 1e-9:
                right = -1 if inner else 1
                out.append((mx + right * 0.06, my, "left" if right > 0 else "right", "center"))
            else:
                rising, rightward = y1 > y0, x1 > x0
                if inner:
                    rising, rightward = not rising, not rightward
                out.append(
                    (
                        mx + (-0.03 if rightward else 0.03),
                        my + (0.03 if rising else -0.03),
                        "right" if rightward else "left",
                        "bottom" if rising else "top",
                    )
                )
    return out


def _node_candidates(x: float, y: float, first: str, side: int, extra: float, line: float) -> list[tuple]:
    """Positions for a label beside a node (``extra``: further out, for a second label)."""
    back = -side
    d = 0.07 + extra
    spots = {
        "upper-back": (x + back * 0.09, y + d, "right" if back < 0 else "left", "bottom"),
        "lower-back": (x + back * 0.09, y - d, "right" if back < 0 else "left", "top"),
        "above": (x, y + 0.12 + extra, "center", "bottom"),
        "below": (x, y - 0.12 - extra, "center", "top"),
        "left": (x - 0.12, y + (extra and -line), "right", "center"),
        "inner-up": (x + back * 0.1, y + 0.16, "right" if back < 0 else "left", "bottom"),
        "inner-down": (x + back * 0.1, y - 0.16, "right" if back < 0 else "left", "top"),
        "upper-front": (x - back * 0.09, y + d + 0.05, "left" if back < 0 else "right", "bottom"),
        "lower-front": (x - back * 0.09, y - d - 0.05, "left" if back < 0 else "right", "top"),
    }
    order = [first] + [
        k
        for k in (
            "upper-back",
            "lower-back",
            "above",
            "below",
            "inner-up",
            "inner-down",
            "upper-front",
            "lower-front",
            "left",
        )
        if k != first
    ]
    return [spots[k] for k in order]


def draw_tree(
    game: Any,
    solution: Any = None,
    equilibrium: int | None = None,
    *,
    exact: bool | None = None,
    title: str | None = None,
    style: str = "auto",
    fontsize: float = 10.0,
    legend: bool = True,
) -> Any:
    """Draw ``game`` (a tree or a signaling game) and return the matplotlib Figure.

    With ``solution``, its equilibrium number ``equilibrium`` (default 0; a tree shows one
    profile at a time) is overlaid: chosen actions thick, mixing probabilities after the action
    labels, beliefs in brackets at the nodes of information sets, terminals reached in bold
    with their probability. ``style`` as in :func:`layout_tree`.
    """
    from bargaining.viz.backend import require_matplotlib

    require_matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    from bargaining.viz.backend import as_game
    from bargaining.viz.matrix import text_width

    game = as_game(game)
    tree = as_tree(game)
    ov = pick_overlay(game, tree, solution, equilibrium)
    if exact is None:
        exact = bool(getattr(tree, "exact", False) or (solution is not None and solution.exact))
    lay = layout_tree(tree, style)
    labels = tree_labels(tree, ov, exact)
    fs = fontsize
    small = fs * 0.85
    dx, dy = _geometry(tree, lay, labels, fs)

    X = [x * dx for x in lay.x]
    Y = [y * dy for y in lay.y]
    # extents including the payoff labels beside the terminals
    lefts, rights = [], []
    for node in tree.nodes:
        v = node.index
        w = text_width(labels.payoff.get(v, ""), small, bold=on_path(ov, v)) + 0.15
        if node.kind == "terminal" and lay.side[v] < 0:
            lefts.append(X[v] - w)
        elif node.kind == "terminal":
            rights.append(X[v] + w)
        lefts.append(X[v] - 0.6)
        rights.append(X[v] + 0.3)
    x_lo, x_hi = min(lefts), max(rights)
    line = fs / 72 * 1.5
    title = (getattr(game, "title", "") or "") if title is None else title
    notes = []
    if ov is not None:
        notes.append(f"equilibrium [{ov.index}] {ov.label}")
    if legend:
        notes.append("payoffs (" + ", ".join(tree.players) + ")")
        if ov is not None:
            notes.append(
                "thick: chosen actions; numbers after actions: mixing probabilities; "
                "[ ]: beliefs; bold: reached (p: its probability)"
            )
        if ov is not None and (ov.notes or ov.belief_notes):
            notes.append(
                "off the path: [lo, hi] = the range of response probabilities and beliefs "
                "that sustain the equilibrium"
            )
        if any(len(h.nodes) > 1 for h in tree.infosets):
            notes.append("dashed: information sets")
    top_pad = (line * 1.6 if title else 0.2) + 0.3
    bottom_pad = len(notes) * line + 0.35
    y_lo, y_hi = min(Y) - 0.3, max(Y) + 0.35
    notes_w = max((text_width(s, small) for s in notes), default=0) + 0.4
    title_w = text_width(title, fs * 1.2, bold=True) + 0.4
    width = max(x_hi - x_lo + 0.4, notes_w, title_w)
    height = y_hi - y_lo + top_pad + bottom_pad
    ox = 0.2 - x_lo + (width - (x_hi - x_lo + 0.4)) / 2
    oy = bottom_pad - y_lo

    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    P = [(X[v] + ox, Y[v] + oy) for v in range(len(tree.nodes))]

    def text(x: float, y: float, s: str, **kw: Any) -> Any:
        kw.setdefault("fontsize", small)
        kw.setdefault("zorder", 5)
        return ax.text(x, y, s, parse_math=False, **kw)

    # edges first: the label placer avoids them
    segments = []
    for node in tree.nodes:
        v = node.index
        for a, c in enumerate(node.children):
            (x0, y0), (x1, y1) = P[v], P[c]
            style_ = edge_style(tree, ov, v, a)
            lw, color = {
                "normal": (1.0, "black"),
                "pure": (3.2, "black"),
                "mixed": (2.4, "#444444"),
                "off": (0.8, "#9a9a9a"),
            }[style_]
            ax.plot([x0, x1], [y0, y1], color=color, linewidth=lw, solid_capstyle="round", zorder=2)
            segments.append(((x0, y0), (x1, y1)))
    rails = infoset_rails(tree, lay)
    dash = (0, (4, 3))
    for k, h in enumerate(tree.infosets):
        if len(h.nodes) < 2:
            continue
        color = INFOSET_COLORS[k % len(INFOSET_COLORS)]
        members = sorted(h.nodes, key=lambda v: (P[v][0], -P[v][1]))
        if h.index in rails:
            back = -lay.side[members[0]]
            rx = P[members[0]][0] + back * (0.2 + 0.13 * rails[h.index])
            top, bottom = P[members[0]][1], P[members[-1]][1]
            ax.plot([rx, rx], [bottom, top], linestyle=dash, color=color, linewidth=1.6, zorder=1)
            segments.append(((rx, bottom), (rx, top)))
            for v in members:
                ax.plot(
                    [rx, P[v][0]], [P[v][1], P[v][1]], linestyle=dash, color=color, linewidth=1.6, zorder=1
                )
                segments.append(((rx, P[v][1]), P[v]))
            continue
        for a, b in zip(members, members[1:]):
            ax.plot(
                [P[a][0], P[b][0]], [P[a][1], P[b][1]], linestyle=dash, color=color, linewidth=1.6, zorder=1
            )
            segments.append((P[a], P[b]))
    placer = _Placer(segments, [P[v] for v in range(len(tree.nodes))])

    # payoffs beside the terminals (fixed: the free side of each leaf)
    for t in tree.terminals:
        x, y = P[t]
        right = lay.side[t] > 0
        bold = on_path(ov, t)
        ax.add_patch(Circle((x, y), 0.025, color="black", zorder=3))
        s_ = labels.payoff[t]
        pos = (x + (0.08 if right else -0.08), y, "left" if right else "right", "center")
        placer.add(pos, text_width(s_, small, bold), small)
        text(pos[0], pos[1], s_, ha=pos[2], va=pos[3], fontweight="bold" if bold else "normal")
    # movers and beliefs in the free space around their nodes
    for node in tree.nodes:
        v = node.index
        if node.kind == "terminal":
            continue
        x, y = P[v]
        if node.kind == "chance":
            ax.add_patch(Circle((x, y), 0.07, facecolor="white", edgecolor="black", linewidth=1.3, zorder=3))
        else:
            ax.add_patch(Circle((x, y), 0.06, color="black", zorder=3))
        mover = labels.mover[v]
        kw = {"fontweight": "bold"} if node.kind == "decision" else {"fontstyle": "italic"}
        pos = placer.place(
            _node_candidates(x, y, lay.label_at[v], lay.side[v], 0.0, line),
            text_width(mover, fs, node.kind == "decision"),
            fs,
        )
        text(pos[0], pos[1], mover, ha=pos[2], va=pos[3], fontsize=fs, **kw)
        if v in labels.belief:
            inner = lay.inner.get(v)
            first = ("inner-up" if inner > 0 else "inner-down") if inner is not None else lay.label_at[v]
            s_ = labels.belief[v]
            pos = placer.place(
                _node_candidates(x, y, first, lay.side[v], line, line), text_width(s_, small), small
            )
            text(pos[0], pos[1], s_, ha=pos[2], va=pos[3], color="#6a3d9a", fontstyle="italic")

    # action labels beside their edges, on the outer side where there is room
    for node in tree.nodes:
        v = node.index
        for a, c in enumerate(node.children):
            style_ = edge_style(tree, ov, v, a)
            s_ = labels.action[(v, a)]
            bold = style_ in ("pure", "mixed")
            w = text_width(s_, small, bold)
            outer_down = lay.butterfly and lay.y[v] < 0
            pos = placer.place(_edge_candidates(P[v], P[c], outer_down), w, small)
            text(
                pos[0],
                pos[1],
                s_,
                ha=pos[2],
                va=pos[3],
                color="#9a9a9a" if style_ == "off" else "black",
                fontweight="bold" if bold else "normal",
            )
    if title:
        text(width / 2, height - line, title, ha="center", va="center", fontsize=fs * 1.2, fontweight="bold")
    yn = bottom_pad - 0.25
    for s in notes:
        text(0.2, yn, s, ha="left", va="center", color="#333333")
        yn -= line
    return fig


def label_overlaps(fig: Any, pad_px: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of texts of ``fig`` whose boxes overlap (by more than ``pad_px`` pixels on each
    side): the legibility check of the tests, usable on any figure of this package. Texts with
    the same ``gid`` are pieces of one label and are not compared with each other."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    boxes = []
    for ax in fig.axes:
        for t in ax.texts:
            if not t.get_text().strip():
                continue
            bb = t.get_window_extent(renderer)
            boxes.append(
                (t.get_text(), bb.x0 + pad_px, bb.y0 + pad_px, bb.x1 - pad_px, bb.y1 - pad_px, t.get_gid())
            )
    boxes.sort(key=lambda b: b[1])
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if b[1] >= a[3]:
                break
            if a[5] is not None and a[5] == b[5]:
                continue  # pieces of one label (a matrix cell's payoffs), set side by side
            if a[2] < b[4] and b[2] < a[4]:
                out.append((a[0], b[0]))
    return out
