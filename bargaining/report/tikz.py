r"""Game trees as plain TikZ (``\usepackage{tikz}``, no other library), for slides and papers.

The node positions come from the same layout as the matplotlib pictures
(:func:`bargaining.viz.tree_layout.layout_tree`: leaves in order, parents centred, Reingold &
Tilford 1981 simplified; signaling games in the butterfly form of Cho & Kreps 1987); decision
nodes are filled circles labelled by their player, chance nodes hollow, information sets dashed
lines between their nodes (Osborne & Rubinstein 1994, ch. 11), payoffs beside the leaves. With
an equilibrium, the chosen actions are thick, mixing probabilities sit next to the action labels
and beliefs in brackets by the nodes. Text only: no TeX is run.
"""

from __future__ import annotations

from typing import Any

from bargaining.report.latex_text import latex_escape, latex_number
from bargaining.viz.backend import as_game
from bargaining.viz.tree_layout import (
    as_tree,
    edge_style,
    infoset_rails,
    interval_text,
    is_one,
    layout_tree,
    on_path,
    pick_overlay,
)

__all__ = ["tikz_picture"]


def tikz_picture(
    game: Any,
    solution: Any = None,
    equilibrium: int | None = None,
    *,
    exact: bool | None = None,
    standalone: bool = False,
    scale_cm: tuple[float, float] | None = None,
) -> str:
    r"""The tree of ``game`` as a plain-TikZ ``tikzpicture`` (see the module docstring).

    Coordinates come from :func:`~bargaining.viz.tree_layout.layout_tree`; ``scale_cm`` =
    (column width, row height) in cm (default: wide enough for the longest action label at
    ``\small``)."""
    game = as_game(game)
    tree = as_tree(game)
    ov = pick_overlay(game, tree, solution, equilibrium)
    if exact is None:
        exact = bool(getattr(tree, "exact", False) or (solution is not None and solution.exact))
    lay = layout_tree(tree)

    def num(value: Any) -> str:
        return "$" + latex_number(value, exact) + "$"

    if scale_cm is None:
        longest = max((len(a) for n in tree.nodes for a in n.actions), default=4)
        scale_cm = (max(2.2, 0.22 * longest + 1.6), 0.8)
    sx, sy = scale_cm
    lines = []
    if standalone:
        lines += [r"\documentclass[border=4pt]{standalone}", r"\usepackage{tikz}", r"\begin{document}"]
    else:
        lines.append(r"% needs \usepackage{tikz}")
    if getattr(game, "title", ""):
        lines.append(f"% {latex_escape(game.title)}")
    lines.append("% payoffs (" + ", ".join(latex_escape(p) for p in tree.players) + ")")
    if ov is not None:
        lines.append(
            f"% equilibrium [{ov.index}] {latex_escape(ov.label)}: thick = chosen, "
            "numbers after actions = probabilities, [ ] = beliefs"
        )
    lines += [
        r"\begin{tikzpicture}[font=\small,",
        r"  dec/.style={circle,fill,inner sep=1.6pt},",
        r"  chn/.style={circle,draw,inner sep=2pt},",
        r"  leaf/.style={circle,fill,inner sep=0.8pt},",
        r"  chosen/.style={line width=1.8pt},",
        r"  mixed/.style={line width=1.2pt},",
        r"  unplayed/.style={gray,thin},",
        r"  iset/.style={dashed,thick}]",
    ]
    for node in tree.nodes:
        v = node.index
        style = {"terminal": "leaf", "chance": "chn", "decision": "dec"}[node.kind]
        lines.append(rf"\node[{style}] (n{v}) at ({lay.x[v] * sx:.3f},{lay.y[v] * sy:.3f}) {{}};")
    for node in tree.nodes:
        v = node.index
        if node.kind == "terminal":
            continue
        mover = "chance" if node.kind == "chance" else tree.players[node.player]
        back = "left" if lay.side[v] > 0 else "right"
        pos = {
            "left": "left",
            "below": "below",
            "above": "above",
            "upper-back": f"above {back}",
            "lower-back": f"below {back}",
        }[lay.label_at[v]]
        mover_text = latex_escape(mover)
        generic = lay.label_at[v] in ("upper-back", "lower-back")
        if generic and ov is not None and v in ov.belief:
            mu = ov.belief[v]
            mover_text += (
                f" [{interval_text(ov.belief_notes[v], exact)}]"
                if mu is None and v in ov.belief_notes
                else " [?]"
                if mu is None
                else f" [{num(mu)}]"
            )
        lines.append(rf"\node[{pos}=2pt] at (n{v}) {{{mover_text}}};")
        for a, c in enumerate(node.children):
            label = latex_escape(node.actions[a])
            if node.kind == "chance":
                label += f" ({num(node.probs[a])})"
            st = edge_style(tree, ov, v, a)
            if st == "mixed":
                assert ov is not None  # edge_style says "mixed" only with an overlay
                label += f" {num(ov.action_prob[(v, a)])}"
            elif ov is not None and ov.action_prob.get((v, a)) is None and (v, a) in ov.notes:
                label += " [" + interval_text(ov.notes[(v, a)], exact) + "]"
            opts = {"normal": "", "pure": "chosen", "mixed": "mixed", "off": "unplayed"}[st]
            side = "above" if lay.y[c] >= lay.y[v] else "below"
            if lay.butterfly and v != 0 and lay.y[c] == lay.y[v] and lay.y[v] < 0:
                side = "below"
            lines.append(rf"\draw[{opts}] (n{v}) -- node[{side},sloped,inner sep=1pt] {{{label}}} (n{c});")
        if ov is not None and v in ov.belief and not generic:
            mu = ov.belief[v]
            text = (
                f"[{interval_text(ov.belief_notes[v], exact)}]"
                if mu is None and v in ov.belief_notes
                else "[?]"
                if mu is None
                else f"[{num(mu)}]"
            )
            inner = lay.inner.get(v)
            where = (
                "below left"
                if inner is None
                else (("above" if inner > 0 else "below") + (" right" if lay.side[v] < 0 else " left"))
            )
            lines.append(rf"\node[{where}=1pt,purple] at (n{v}) {{{text}}};")
    rails = infoset_rails(tree, lay)
    for h in tree.infosets:
        if len(h.nodes) < 2:
            continue
        members = sorted(h.nodes, key=lambda v: (lay.x[v], -lay.y[v]))
        if h.index in rails:  # a rail beside the column, joined to each member
            back = -lay.side[members[0]]
            off = back * (0.25 + 0.16 * rails[h.index])
            ends = " ".join(f"(n{v}) -- ++({off:.2f},0)" for v in members)
            lines.append(rf"\draw[iset] {ends};")
            lines.append(
                rf"\draw[iset] ([xshift={off:.2f}cm]n{members[0]}.center) -- "
                rf"([xshift={off:.2f}cm]n{members[-1]}.center);"
            )
            continue
        path = " -- ".join(f"(n{v})" for v in members)
        lines.append(rf"\draw[iset] {path};")
    for t in tree.terminals:
        node = tree.nodes[t]
        pay = "$(" + ", ".join(latex_number(u, exact) for u in node.payoffs) + ")$"
        if on_path(ov, t):
            pay = rf"\textbf{{{pay}}}"
            assert ov is not None  # on_path is False without an overlay
            p = ov.outcome[t]
            if not is_one(p):
                pay += f" {num(p)}"
        anchor = "right" if lay.side[t] > 0 else "left"
        lines.append(rf"\node[{anchor}=2pt] at (n{t}) {{{pay}}};")
    lines.append(r"\end{tikzpicture}")
    if standalone:
        lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"
