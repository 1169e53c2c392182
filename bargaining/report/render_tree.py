"""Table renderer and sweep-row builder for game trees (``game.kind == "tree"``).

Listed in :mod:`bargaining.report.registry` as ``TABLE_RENDERERS["tree"]`` and
``ROW_BUILDERS["tree"]``. Rows carry ``p:<player>:<information set>:<action>`` columns (the set's
label), and ``outcome:<path>`` columns with the probability of each terminal (docs/reference/sweep.md).
"""

from __future__ import annotations

from typing import Any

from bargaining.model.extensive import ExtensiveGame, InfoSet
from bargaining.model.profile import Equilibrium, Solution
from bargaining.numeric import format_number
from bargaining.verify.tree import reach_probabilities

__all__ = ["infoset_name", "tree_table", "tree_row", "belief_set_text"]


def infoset_name(game: ExtensiveGame, h: InfoSet) -> str:
    """A readable name: the set's own label, or (for unnamed singletons) the path to its node."""
    default = h.label == f"{game.players[h.player]}:{h.number + 1}"
    if not default or len(h.nodes) > 1:
        return h.label
    path = game.path_labels(h.nodes[0])
    return "after " + " ".join(path) if path else "root"


# a player with more information sets than this gets only the reached ones listed (big trees such as
# the chain store have thousands); the JSON and CSV outputs always list every set
MAX_LISTED = 12


def _fmt(x: Any, exact: bool) -> str:
    return "-" if x is None else format_number(x, exact)


def _set_lines(game: ExtensiveGame, eq: Equilibrium, exact: bool) -> list[str]:
    """A set of equilibria (``extra["dimension"]`` > 0, e.g. a sequential family in which one
    information set mixes): its description and, at each information set where the listed
    vertices differ, the range of each action's probability. The rows below it show one point
    of the set."""
    dim, vertices = eq.extra.get("dimension"), eq.extra.get("vertices") or ()
    if not dim or not vertices:
        return []
    out = [f"    a set of dimension {dim}: {eq.extra.get('description', '')}".rstrip()]
    for i, ids in enumerate(game.player_infosets):
        for j, hid in enumerate(ids):
            rows = [v["behavior"][i][j] for v in vertices if "behavior" in v]
            if len(rows) < 2 or all(list(r) == list(rows[0]) for r in rows):
                continue
            h = game.infosets[hid]
            ranges = []
            for a, name in enumerate(h.actions):
                vals = [r[a] for r in rows]
                lo, hi = min(vals), max(vals)
                ranges.append(
                    f"{name} {_fmt(lo, exact)}"
                    if lo == hi
                    else f"{name} from {_fmt(lo, exact)} to {_fmt(hi, exact)}"
                )
            out.append(f"      {infoset_name(game, h)}: {', '.join(ranges)} (one point shown below)")
    return out


def tree_table(sol: Solution, exact: bool) -> list[str]:
    game: ExtensiveGame = sol.game
    lines: list[str] = []
    width = max(len(p) for p in game.players)
    for k, eq in enumerate(sol.equilibria):
        lines.append(f"[{k}] {eq.label or ('pure' if eq.is_pure else 'mixed')}")
        lines += _set_lines(game, eq, exact)
        reach = None
        for i, player in enumerate(game.players):
            parts = []
            sets = list(enumerate(game.player_infosets[i]))
            if len(sets) > MAX_LISTED:
                if reach is None:
                    reach = reach_probabilities(game, eq.behavior_profile)
                sets = [(j, hid) for j, hid in sets if any(reach[v] != 0 for v in game.infosets[hid].nodes)]
            for j, hid in sets[:MAX_LISTED]:
                h = game.infosets[hid]
                probs = eq.behavior_profile[i][j]
                acts = [a if p == 1 else f"{a} {_fmt(p, exact)}" for a, p in zip(h.actions, probs) if p != 0]
                parts.append(f"{infoset_name(game, h)}: {', '.join(acts)}")
            hidden = len(game.player_infosets[i]) - min(len(sets), MAX_LISTED)
            if hidden:
                parts.append(
                    f"and {hidden} more information sets, off the path or past the first "
                    f"{MAX_LISTED} (--format json lists all)"
                )
            lines.append(
                f"    {player:<{width}}  payoff {_fmt(eq.payoffs[i], exact):<10} " + "; ".join(parts)
            )
        reached = [
            (" ".join(game.path_labels(t)) or "(root)", p)
            for t, p in zip(game.terminals, eq.outcomes or ())
            if p != 0
        ]
        lines.append("    outcomes  " + "; ".join(f"{w} {_fmt(p, exact)}" for w, p in reached))
        off = []
        belief_sets = eq.extra.get("belief_sets")
        for i, per in enumerate(eq.beliefs or ()):
            for j, mu in enumerate(per):
                h = game.infosets[game.player_infosets[i][j]]
                if len(h.nodes) > 1:
                    if belief_sets is not None and belief_sets[i][j]:
                        off.append(
                            f"{infoset_name(game, h)}: {belief_set_text(game, h, belief_sets[i][j], exact)}"
                        )
                        continue
                    text = "off path" if mu is None else ", ".join(_fmt(m, exact) for m in mu)
                    off.append(f"{infoset_name(game, h)}: {text}")
        if off:
            lines.append("    beliefs   " + "; ".join(off))
        lines.append(f"    regret {_fmt(eq.regret, exact)}")
    return lines


def belief_set_text(game: ExtensiveGame, h: InfoSet, verts: Any, exact: bool) -> str:
    """The set of beliefs at ``h`` that support a sequential equilibrium, from its vertices: for a
    two-node set the interval of the second node's probability (``μ(after D) ∈ [0, 1/3]``); for
    larger sets each node's range and the vertices."""
    names = [" ".join(game.path_labels(x)) or "root" for x in h.nodes]
    if len(h.nodes) == 2:
        lo, hi = min(v[1] for v in verts), max(v[1] for v in verts)
        if lo == hi:
            return f"μ(after {names[1]}) = {_fmt(lo, exact)}"
        return f"μ(after {names[1]}) ∈ [{_fmt(lo, exact)}, {_fmt(hi, exact)}]"
    if len(verts) == 1:
        return ", ".join(f"μ(after {n}) = {_fmt(p, exact)}" for n, p in zip(names, verts[0]))
    return "the beliefs with vertices " + "; ".join(
        "(" + ", ".join(_fmt(p, exact) for p in v) + ")" for v in verts
    )


def tree_row(sol: Solution, eq: Equilibrium) -> dict[str, Any]:
    game: ExtensiveGame = sol.game
    row: dict[str, Any] = {}
    for i, player in enumerate(game.players):
        for j, hid in enumerate(game.player_infosets[i]):
            h = game.infosets[hid]
            for a, p in zip(h.actions, eq.behavior_profile[i][j]):
                row[f"p:{player}:{h.label}:{a}"] = p
    for t, p in zip(game.terminals, eq.outcomes or ()):
        row[f"outcome:{' '.join(game.path_labels(t)) or '(root)'}"] = p
    return row
