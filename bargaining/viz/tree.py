r"""Game trees with an equilibrium overlaid: matplotlib pictures and TikZ code from one layout.

**Layout.** A tree is drawn growing to the right, one column per move (depth), one row per
terminal node: terminals take consecutive rows in depth-first order and every inner node sits
half-way between its first and last child, so no two subtrees overlap (the "leaves in order,
parents centred" layout of Reingold & Tilford, *IEEE Trans. Software Eng.* 7, 1981, simplified
to equal leaf spacing). Payoffs are written beside the terminals, action labels on the edges.
A **signaling game** (a chance root with two types, each sending one of two messages to a
receiver who sees the message only) is drawn in the textbook "butterfly" form (Cho & Kreps,
*QJE* 1987, Fig. I; Gibbons 1992, §4.2): nature in the centre, the types above and below, one
message to the left and one to the right, so each of the receiver's information sets is one
vertical dashed line that crosses nothing.

**Information sets** are dashed lines joining their nodes (Kuhn 1953; the convention of
Osborne & Rubinstein 1994, ch. 11). Decision nodes are filled discs, chance nodes hollow.

**Equilibrium overlay** (a behaviour profile :math:`b` with beliefs :math:`\mu` and outcome
probabilities, as in a :class:`~bargaining.model.profile.Equilibrium` of a tree): an action
played with probability 1 is a thick line, one played with probability in (0, 1) is a thick
line with its probability after the label, one never played is thin and grey; at every
information set with more than one node each node shows its belief :math:`\mu(x)` in brackets;
terminals reached with positive probability show their payoffs in bold with that probability.

:func:`layout_tree` and :func:`tikz_picture` need no matplotlib.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bargaining.errors import BargainingError

__all__ = [
    "layout_tree",
    "TreeLayout",
    "tree_overlay",
    "draw_tree",
    "tikz_picture",
    "as_tree",
    "label_overlaps",
    "infoset_rails",
]

_INFOSET_COLORS = ("#6a3d9a", "#1f78b4", "#33a02c", "#e31a1c", "#ff7f00", "#17becf", "#e7298a", "#a6761d")


MAX_TERMINALS = 400  # beyond this a tree cannot be drawn legibly on a page or a slide


def _check_size(tree: Any) -> None:
    n = len(tree.terminals)
    if n > MAX_TERMINALS:
        raise BargainingError(
            f"this tree has {n} terminal nodes, too large to draw legibly (at most {MAX_TERMINALS}); "
            "draw a smaller instance (e.g. fewer markets or stages) or a subgame"
        )


def as_tree(game: Any) -> Any:
    """The :class:`~bargaining.model.extensive.ExtensiveGame` to draw for ``game`` (a tree, or
    a signaling game through its ``to_extensive()``)."""
    from bargaining.viz import as_game

    game = as_game(game)
    kind = getattr(game, "kind", None)
    if kind == "tree":
        _check_size(game)
        return game
    if kind == "signaling":
        tree = game.to_extensive()
        _check_size(tree)
        return tree
    raise BargainingError(f"cannot draw a {kind or type(game).__name__} game as a tree")


@dataclass
class TreeLayout:
    """Node positions in abstract units: ``x`` counts moves (columns), ``y`` terminal rows
    (up is positive). ``side[v]`` is +1 if node v's subtree grows to the right, -1 to the
    left; ``label_at[v]`` where the mover's label goes (``above``, ``below``, ``left``,
    ``upper-back`` / ``lower-back``: the quarter beside the node on the parent's side);
    ``butterfly`` tells if the signaling form was used."""

    x: list[float]
    y: list[float]
    side: list[int]
    label_at: list[str]
    butterfly: bool = False
    inner: dict[int, int] = field(default_factory=dict)  # receiver node -> direction of centre (+1 up)


def _generic(game: Any, root: int, x0: float, sign: int, lay: TreeLayout, row: list[float]) -> None:
    """Lay out the subtree of ``root`` at column ``x0`` growing in direction ``sign``; terminals
    take rows ``row[0], row[0] - 1, ...`` (``row`` is a one-element counter)."""
    nodes = game.nodes
    # iterative post-order so deep trees do not hit the recursion limit
    stack = [(root, x0, False)]
    while stack:
        v, xv, done = stack.pop()
        node = nodes[v]
        lay.x[v], lay.side[v] = xv, sign
        if node.kind == "terminal":
            lay.y[v] = row[0]
            row[0] -= 1
            continue
        if not done:
            stack.append((v, xv, True))
            for c in reversed(node.children):
                stack.append((c, xv + sign, False))
        else:
            ys = [lay.y[c] for c in node.children]
            lay.y[v] = (ys[0] + ys[-1]) / 2


def _butterfly_shape(game: Any) -> tuple[int, int, list[list[int]]] | None:
    """``(top type node, bottom type node, [[receiver nodes of message 0], [... of message 1]])``
    if the tree is a 2-type, 2-message signaling game, else ``None``."""
    nodes = game.nodes
    root = nodes[0]
    if root.kind != "chance" or len(root.children) != 2:
        return None
    t0, t1 = (nodes[c] for c in root.children)
    if t0.kind != "decision" or t1.kind != "decision" or t0.player != t1.player:
        return None
    if len(t0.children) != 2 or t0.actions != t1.actions:
        return None
    groups = []
    for j in range(2):
        a, b = nodes[t0.children[j]], nodes[t1.children[j]]
        if a.kind != "decision" or b.kind != "decision" or a.infoset != b.infoset or a.player == t0.player:
            return None
        if len(game.infosets[a.infoset].nodes) != 2:
            return None
        groups.append([a.index, b.index])
    return t0.index, t1.index, groups


def layout_tree(game: Any, style: str = "auto") -> TreeLayout:
    """Positions of the nodes of an :class:`~bargaining.model.extensive.ExtensiveGame`.

    ``style``: ``"right"`` (root at the left, growing right), ``"butterfly"`` (2-type,
    2-message signaling games only) or ``"auto"`` (butterfly where it applies)."""
    n = len(game.nodes)
    lay = TreeLayout([0.0] * n, [0.0] * n, [1] * n, ["above"] * n)
    shape = _butterfly_shape(game) if style in ("auto", "butterfly") else None
    if style == "butterfly" and shape is None:
        raise BargainingError("the butterfly layout needs a signaling game with two types and two messages")
    if shape is None:
        _generic(game, 0, 0.0, 1, lay, [0.0])
        _align_infosets(game, lay)
        _quadrants(game, lay, {0})
        lay.label_at[0] = "left"  # the root has no incoming edge; above it, its edges fan out
        return lay
    t0, t1, groups = shape
    lay.butterfly = True
    # lay out each receiver subtree on its own, then place them around the centre
    extents = {}
    for j, sign in ((0, -1), (1, 1)):
        for r in groups[j]:
            _generic(game, r, float(sign), sign, lay, [0.0])
            sub = range(r, r + int(game.subtree_size[r]))
            ys = [lay.y[v] for v in sub]
            extents[r] = (min(ys) - lay.y[r], max(ys) - lay.y[r])
    top_y = max(1.0, *(0.6 - extents[groups[j][0]][0] for j in range(2)))
    bot_y = -max(1.0, *(0.6 + extents[groups[j][1]][1] for j in range(2)))
    for j in range(2):
        for r, target, inner in ((groups[j][0], top_y, -1), (groups[j][1], bot_y, 1)):
            shift = target - lay.y[r]
            for v in range(r, r + int(game.subtree_size[r])):
                lay.y[v] += shift
            lay.inner[r] = inner
            if inner > 0:  # a bottom receiver: its belief goes above (inside), its name below
                lay.label_at[r] = "below"
    lay.x[0], lay.y[0], lay.label_at[0] = 0.0, 0.0, "left"
    lay.x[t0], lay.y[t0], lay.label_at[t0] = 0.0, top_y, "above"
    lay.x[t1], lay.y[t1], lay.label_at[t1] = 0.0, bot_y, "below"
    _quadrants(game, lay, {0, t0, t1, *groups[0], *groups[1]})
    return lay


def _align_infosets(game: Any, lay: TreeLayout) -> None:
    """Put all nodes of an information set in one column, as textbooks draw them (Selten's
    horse): a member nearer the root is moved out, with its whole subtree, to the column of the
    deepest member. Subtrees occupy disjoint rows, so moving them along x creates no overlap."""
    size = game.subtree_size
    for h in sorted(game.infosets, key=lambda h: min(h.nodes)):
        if len(h.nodes) < 2:
            continue
        target = max(lay.x[v] for v in h.nodes)
        for v in h.nodes:
            shift = target - lay.x[v]
            if shift > 0:
                for u in range(v, v + int(size[v])):
                    lay.x[u] += shift


def _quadrants(game: Any, lay: TreeLayout, fixed: set[int]) -> None:
    """Put each mover's label in the free quarter beside its node: on the side of the parent
    (``back``), above the incoming edge if it comes from below and below it otherwise."""
    for node in game.nodes:
        v = node.index
        if v in fixed or node.kind == "terminal" or node.parent < 0:
            continue
        lay.label_at[v] = "lower-back" if lay.y[node.parent] > lay.y[v] + 1e-9 else "upper-back"


def infoset_rails(game: Any, lay: TreeLayout) -> dict[int, int]:
    """Information sets that need a *rail*: their nodes share a column but other nodes of that
    column lie between them, so a straight dashed line would run through those nodes (and
    through the lines of other sets). Each such set gets its own rail, a dashed line beside the
    column on the parents' side, numbered 0, 1, ... per column; returns ``{infoset: rail}``."""
    rails: dict[int, int] = {}
    per_column: dict[float, int] = {}
    for h in game.infosets:
        if len(h.nodes) < 2:
            continue
        xs = {lay.x[v] for v in h.nodes}
        if len(xs) != 1:
            continue
        x = xs.pop()
        lo, hi = min(lay.y[v] for v in h.nodes), max(lay.y[v] for v in h.nodes)
        members = set(h.nodes)
        blocked = any(
            lay.x[v] == x and lo < lay.y[v] < hi and v not in members for v in range(len(game.nodes))
        )
        if blocked:
            rails[h.index] = per_column.get(x, 0)
            per_column[x] = rails[h.index] + 1
    return rails


# -- the equilibrium --------------------------------------------------------------------------


@dataclass
class Overlay:
    """What an equilibrium says at each place of the tree (``None`` where it says nothing)."""

    action_prob: dict[tuple[int, int], Any]  # (node, action index) -> probability
    belief: dict[int, Any]  # node -> belief (only for information sets with several nodes)
    outcome: dict[int, Any]  # terminal -> probability of reaching it
    label: str = ""
    index: int | None = None
    notes: dict[tuple[int, int], str] = field(default_factory=dict)  # (node, action) -> "lo, hi"
    belief_notes: dict[int, str] = field(default_factory=dict)  # node -> "lo, hi" (off path)


def tree_overlay(game: Any, eq: Any, index: int | None = None) -> Overlay:
    """Read an :class:`~bargaining.model.profile.Equilibrium` of ``game`` (a tree) into an
    :class:`Overlay`: ``behavior[player][k]`` belongs to the player's k-th information set,
    ``beliefs[player][k]`` lists the belief of each node of that set (or is ``None``),
    ``outcomes`` follows ``game.terminals``."""
    if eq.behavior is None:
        raise BargainingError(
            "this equilibrium has no behaviour strategies to draw on the tree "
            "(solve the tree itself, e.g. --concept spe or nash)"
        )
    act: dict[tuple[int, int], Any] = {}
    belief: dict[int, Any] = {}
    for i, ids in enumerate(game.player_infosets):
        if i >= len(eq.behavior) or len(eq.behavior[i]) != len(ids):
            raise BargainingError(
                f"the equilibrium does not fit this tree: player {game.players[i]!r} has {len(ids)} "
                "information sets"
            )
        for k, h in enumerate(ids):
            probs = eq.behavior[i][k]
            infoset = game.infosets[h]
            if len(probs) != len(infoset.actions):
                raise BargainingError(
                    f"the equilibrium does not fit this tree at information set {infoset.label!r}"
                )
            for v in infoset.nodes:
                for a, p in enumerate(probs):
                    act[(v, a)] = p
            if eq.beliefs is not None and len(infoset.nodes) > 1:
                mu = eq.beliefs[i][k] if i < len(eq.beliefs) and k < len(eq.beliefs[i]) else None
                for pos, v in enumerate(infoset.nodes):
                    belief[v] = None if mu is None else mu[pos]
    outcome: dict[int, Any] = {}
    if eq.outcomes is not None:
        outcome = dict(zip(game.terminals, eq.outcomes))
    label = eq.label or ("pure" if eq.is_pure else "mixed")
    return Overlay(act, belief, outcome, label, index)


def signaling_overlay(game: Any, tree: Any, eq: Any, index: int | None = None) -> Overlay:
    """Read a PBE of a :class:`~bargaining.model.signaling.SignalingGame` (the blocks
    ``sender_strategy``, ``receiver_strategy``, ``beliefs``, ``off_path`` and ``continuation``
    of :mod:`bargaining.solvers.signaling`) onto ``tree = game.to_extensive()``, whose root's
    children are the types, their children the messages and then the responses. Off the path,
    the receiver's sustaining response probabilities and beliefs are intervals; they are shown
    as ``[lo, hi]``. Outcome probabilities are products along each path where all are known."""
    extra = eq.extra
    T, M, R = game.types, game.messages, game.responses
    nodes = tree.nodes
    act: dict[tuple[int, int], Any] = {}
    belief: dict[int, Any] = {}
    notes: dict[tuple[int, int], str] = {}
    bnotes: dict[int, str] = {}
    sender_strategy = extra.get("sender_strategy", {})
    receiver_strategy = extra.get("receiver_strategy", {})
    on_path = extra.get("beliefs_on_path", {})
    off = {o.get("message"): o for o in extra.get("off_path", [])}
    continuation = extra.get("continuation", {})
    for i, t in enumerate(T):
        tnode = nodes[nodes[0].children[i]]
        for j, m in enumerate(M):
            act[(tnode.index, j)] = sender_strategy.get(t, {}).get(m)
            r_index = tnode.children[j]
            rnode = nodes[r_index]
            mu = on_path.get(m, {}).get(t)
            if mu is not None:
                belief[r_index] = mu
            elif m in off:
                lo, hi = off[m]["beliefs"][i]
                belief[r_index] = None
                bnotes[r_index] = f"{lo}, {hi}"
            rho = receiver_strategy.get(m)
            for k, r in enumerate(R):
                if rho is not None:
                    act[(r_index, k)] = rho.get(r)
                elif m in off and r in off[m].get("responses", {}):
                    lo, hi = off[m]["responses"][r]
                    notes[(r_index, k)] = f"{lo}, {hi}"
                plan = list(continuation.get(f"{t}/{m}/{r}", ()))
                if plan:
                    _walk_plan(tree, rnode.children[k], plan, [0], act)
    ov = Overlay(act, belief, {}, eq.label or "", index)
    ov.notes, ov.belief_notes = notes, bnotes
    # outcome probabilities where every move on the path is known
    for term in tree.terminals:
        pr: Any = 1
        for v, a in tree.path(term):
            node = nodes[v]
            q = node.probs[a] if node.kind == "chance" else act.get((v, a))
            if q is None:
                pr = None
                break
            pr = pr * q
        ov.outcome[term] = pr
    return ov


def _walk_plan(tree: Any, v: int, plan: list, pos: list[int], act: dict) -> None:
    """Mark the sender's later-stage plan (its actions at its nodes in depth-first order along
    the plan's own path, as :mod:`bargaining.solvers.signaling` reports it)."""
    node = tree.nodes[v]
    if node.kind == "terminal":
        return
    if node.kind == "chance":
        for c in node.children:
            _walk_plan(tree, c, plan, pos, act)
        return
    if pos[0] >= len(plan) or plan[pos[0]] not in node.actions:
        return
    choice = node.actions.index(plan[pos[0]])
    pos[0] += 1
    for a in range(len(node.actions)):
        act[(v, a)] = 1 if a == choice else 0
    _walk_plan(tree, node.children[choice], plan, pos, act)


def _pick_overlay(game: Any, tree: Any, solution: Any, equilibrium: int | None) -> Overlay | None:
    from bargaining.viz.matrix import pick_equilibria

    shown = pick_equilibria(solution, equilibrium)
    if not shown:
        return None
    if len(shown) > 1:
        # a tree shows one profile at a time: the first, unless K is given
        shown = shown[:1]
    k, eq = shown[0]
    if tree is not game:
        if "sender_strategy" in eq.extra:
            return signaling_overlay(game, tree, eq, k)
        raise BargainingError(
            "this signaling-game solution carries no sender strategy to draw; draw the game without --solve"
        )
    return tree_overlay(tree, eq, k)


# -- text of the labels ----------------------------------------------------------------------


def _fmt(value: Any, exact: bool) -> str:
    from bargaining.viz.matrix import format_value

    return format_value(value, exact)


def _is_zero(p: Any) -> bool:
    return p is not None and float(p) <= 1e-12


def _is_one(p: Any) -> bool:
    return p is not None and float(p) >= 1 - 1e-12


@dataclass
class _Labels:
    mover: dict[int, str]
    action: dict[tuple[int, int], str]
    payoff: dict[int, str]
    belief: dict[int, str]


def _labels(tree: Any, ov: Overlay | None, exact: bool) -> _Labels:
    mover, action, payoff, belief = {}, {}, {}, {}
    for node in tree.nodes:
        v = node.index
        if node.kind == "terminal":
            text = "(" + ", ".join(_fmt(u, exact) for u in node.payoffs) + ")"
            if ov is not None and ov.outcome.get(v) is not None and not _is_zero(ov.outcome[v]) \
                    and not _is_one(ov.outcome[v]):
                text += f"  p={_fmt(ov.outcome[v], exact)}"
            payoff[v] = text
            continue
        mover[v] = "chance" if node.kind == "chance" else tree.players[node.player]
        for a, lab in enumerate(node.actions):
            text = lab
            if node.kind == "chance":
                text += f" ({_fmt(node.probs[a], exact)})"
            elif ov is not None:
                p = ov.action_prob.get((v, a))
                if p is not None and not _is_zero(p) and not _is_one(p):
                    text += f" {_fmt(p, exact)}"
                elif p is None and (v, a) in ov.notes:
                    text += f" [{_note(ov.notes[(v, a)], exact)}]"
            action[(v, a)] = text
        if ov is not None and v in ov.belief:
            mu = ov.belief[v]
            if mu is None and v in ov.belief_notes:
                belief[v] = f"[{_note(ov.belief_notes[v], exact)}]"
            else:
                belief[v] = "[?]" if mu is None else f"[{_fmt(mu, exact)}]"
    return _Labels(mover, action, payoff, belief)


def _note(text: str, exact: bool) -> str:
    """An interval ``"lo, hi"`` of exact strings, shown as fractions or decimals."""
    from bargaining.numeric import to_fraction

    parts = []
    for x in text.split(","):
        try:
            parts.append(_fmt(to_fraction(x.strip()), exact))
        except (TypeError, ValueError):
            parts.append(x.strip())
    return ", ".join(parts)


def _edge_style(tree: Any, ov: Overlay | None, v: int, a: int) -> str:
    """``normal`` (no equilibrium or a chance move), ``pure``, ``mixed`` or ``off``."""
    if ov is None or tree.nodes[v].kind == "chance":
        return "normal"
    p = ov.action_prob.get((v, a))
    if p is None:
        return "normal"
    if _is_one(p):
        return "pure"
    return "off" if _is_zero(p) else "mixed"


def _on_path(ov: Overlay | None, v: int) -> bool:
    return ov is not None and ov.outcome.get(v) is not None and not _is_zero(ov.outcome[v])


# -- matplotlib -----------------------------------------------------------------------------------


def _geometry(tree: Any, lay: TreeLayout, labels: _Labels, fs: float) -> tuple[float, float]:
    """Column width ``dx`` and row height ``dy`` in inches, wide enough for the labels."""
    from bargaining.viz.matrix import _text_width

    widest = max((_text_width(s, fs * 0.85) for s in labels.action.values()), default=0.5)
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
                out.append((mx + (-0.03 if rightward else 0.03), my + (0.03 if rising else -0.03),
                            "right" if rightward else "left", "bottom" if rising else "top"))
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
    order = [first] + [k for k in ("upper-back", "lower-back", "above", "below", "inner-up", "inner-down",
                                   "upper-front", "lower-front", "left") if k != first]
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
    from bargaining.viz import require_matplotlib

    require_matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    from bargaining.viz import as_game
    from bargaining.viz.matrix import _text_width

    game = as_game(game)
    tree = as_tree(game)
    ov = _pick_overlay(game, tree, solution, equilibrium)
    if exact is None:
        exact = bool(getattr(tree, "exact", False) or (solution is not None and solution.exact))
    lay = layout_tree(tree, style)
    labels = _labels(tree, ov, exact)
    fs = fontsize
    small = fs * 0.85
    dx, dy = _geometry(tree, lay, labels, fs)

    X = [x * dx for x in lay.x]
    Y = [y * dy for y in lay.y]
    # extents including the payoff labels beside the terminals
    lefts, rights = [], []
    for node in tree.nodes:
        v = node.index
        w = _text_width(labels.payoff.get(v, ""), small, bold=_on_path(ov, v)) + 0.15
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
            notes.append("thick: chosen actions; numbers after actions: mixing probabilities; "
                         "[ ]: beliefs; bold: reached (p: its probability)")
        if ov is not None and (ov.notes or ov.belief_notes):
            notes.append("off the path: [lo, hi] = the range of response probabilities and beliefs "
                         "that sustain the equilibrium")
        if any(len(h.nodes) > 1 for h in tree.infosets):
            notes.append("dashed: information sets")
    top_pad = (line * 1.6 if title else 0.2) + 0.3
    bottom_pad = len(notes) * line + 0.35
    y_lo, y_hi = min(Y) - 0.3, max(Y) + 0.35
    notes_w = max((_text_width(s, small) for s in notes), default=0) + 0.4
    title_w = _text_width(title, fs * 1.2, bold=True) + 0.4
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
            style_ = _edge_style(tree, ov, v, a)
            lw, color = {"normal": (1.0, "black"), "pure": (3.2, "black"), "mixed": (2.4, "#444444"),
                         "off": (0.8, "#9a9a9a")}[style_]
            ax.plot([x0, x1], [y0, y1], color=color, linewidth=lw, solid_capstyle="round", zorder=2)
            segments.append(((x0, y0), (x1, y1)))
    rails = infoset_rails(tree, lay)
    dash = (0, (4, 3))
    for k, h in enumerate(tree.infosets):
        if len(h.nodes) < 2:
            continue
        color = _INFOSET_COLORS[k % len(_INFOSET_COLORS)]
        members = sorted(h.nodes, key=lambda v: (P[v][0], -P[v][1]))
        if h.index in rails:
            back = -lay.side[members[0]]
            rx = P[members[0]][0] + back * (0.2 + 0.13 * rails[h.index])
            top, bottom = P[members[0]][1], P[members[-1]][1]
            ax.plot([rx, rx], [bottom, top], linestyle=dash, color=color, linewidth=1.6, zorder=1)
            segments.append(((rx, bottom), (rx, top)))
            for v in members:
                ax.plot([rx, P[v][0]], [P[v][1], P[v][1]], linestyle=dash, color=color, linewidth=1.6,
                        zorder=1)
                segments.append(((rx, P[v][1]), P[v]))
            continue
        for a, b in zip(members, members[1:]):
            ax.plot([P[a][0], P[b][0]], [P[a][1], P[b][1]], linestyle=dash, color=color,
                    linewidth=1.6, zorder=1)
            segments.append((P[a], P[b]))
    placer = _Placer(segments, [P[v] for v in range(len(tree.nodes))])

    # payoffs beside the terminals (fixed: the free side of each leaf)
    for t in tree.terminals:
        x, y = P[t]
        right = lay.side[t] > 0
        bold = _on_path(ov, t)
        ax.add_patch(Circle((x, y), 0.025, color="black", zorder=3))
        s_ = labels.payoff[t]
        pos = (x + (0.08 if right else -0.08), y, "left" if right else "right", "center")
        placer.add(pos, _text_width(s_, small, bold), small)
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
        pos = placer.place(_node_candidates(x, y, lay.label_at[v], lay.side[v], 0.0, line),
                           _text_width(mover, fs, node.kind == "decision"), fs)
        text(pos[0], pos[1], mover, ha=pos[2], va=pos[3], fontsize=fs, **kw)
        if v in labels.belief:
            inner = lay.inner.get(v)
            first = ("inner-up" if inner > 0 else "inner-down") if inner is not None else lay.label_at[v]
            s_ = labels.belief[v]
            pos = placer.place(_node_candidates(x, y, first, lay.side[v], line, line),
                               _text_width(s_, small), small)
            text(pos[0], pos[1], s_, ha=pos[2], va=pos[3], color="#6a3d9a", fontstyle="italic")

    # action labels beside their edges, on the outer side where there is room
    for node in tree.nodes:
        v = node.index
        for a, c in enumerate(node.children):
            style_ = _edge_style(tree, ov, v, a)
            s_ = labels.action[(v, a)]
            bold = style_ in ("pure", "mixed")
            w = _text_width(s_, small, bold)
            outer_down = lay.butterfly and lay.y[v] < 0
            pos = placer.place(_edge_candidates(P[v], P[c], outer_down), w, small)
            text(pos[0], pos[1], s_, ha=pos[2], va=pos[3], color="#9a9a9a" if style_ == "off" else "black",
                 fontweight="bold" if bold else "normal")
    if title:
        text(width / 2, height - line, title, ha="center", va="center", fontsize=fs * 1.2, fontweight="bold")
    yn = bottom_pad - 0.25
    for s in notes:
        text(0.2, yn, s, ha="left", va="center", color="#333333")
        yn -= line
    return fig


# -- TikZ --------------------------------------------------------------------------------------


def tikz_picture(
    game: Any,
    solution: Any = None,
    equilibrium: int | None = None,
    *,
    exact: bool | None = None,
    standalone: bool = False,
    scale_cm: tuple[float, float] | None = None,
) -> str:
    r"""The tree of ``game`` as a plain-TikZ ``tikzpicture`` (see :mod:`bargaining.formats.latex`).

    Coordinates come from :func:`layout_tree`; ``scale_cm`` = (column width, row height) in cm
    (default: wide enough for the longest action label at ``\small``)."""
    from bargaining.formats.latex import latex_escape, latex_number
    from bargaining.viz import as_game

    game = as_game(game)
    tree = as_tree(game)
    ov = _pick_overlay(game, tree, solution, equilibrium)
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
        lines.append(f"% equilibrium [{ov.index}] {latex_escape(ov.label)}: thick = chosen, "
                     "numbers after actions = probabilities, [ ] = beliefs")
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
        pos = {"left": "left", "below": "below", "above": "above", "upper-back": f"above {back}",
               "lower-back": f"below {back}"}[lay.label_at[v]]
        mover_text = latex_escape(mover)
        generic = lay.label_at[v] in ("upper-back", "lower-back")
        if generic and ov is not None and v in ov.belief:
            mu = ov.belief[v]
            mover_text += f" [{_note(ov.belief_notes[v], exact)}]" if mu is None and v in ov.belief_notes \
                else " [?]" if mu is None else f" [{num(mu)}]"
        lines.append(rf"\node[{pos}=2pt] at (n{v}) {{{mover_text}}};")
        for a, c in enumerate(node.children):
            label = latex_escape(node.actions[a])
            if node.kind == "chance":
                label += f" ({num(node.probs[a])})"
            st = _edge_style(tree, ov, v, a)
            if st == "mixed":
                label += f" {num(ov.action_prob[(v, a)])}"  # type: ignore[union-attr]
            elif ov is not None and ov.action_prob.get((v, a)) is None and (v, a) in ov.notes:
                label += " [" + _note(ov.notes[(v, a)], exact)+ "]"
            opts = {"normal": "", "pure": "chosen", "mixed": "mixed", "off": "unplayed"}[st]
            side = "above" if lay.y[c] >= lay.y[v] else "below"
            if lay.butterfly and v != 0 and lay.y[c] == lay.y[v] and lay.y[v] < 0:
                side = "below"
            lines.append(
                rf"\draw[{opts}] (n{v}) -- node[{side},sloped,inner sep=1pt] {{{label}}} (n{c});"
            )
        if ov is not None and v in ov.belief and not generic:
            mu = ov.belief[v]
            text = f"[{_note(ov.belief_notes[v], exact)}]" if mu is None and v in ov.belief_notes \
                else "[?]" if mu is None else f"[{num(mu)}]"
            inner = lay.inner.get(v)
            where = "below left" if inner is None else (
                ("above" if inner > 0 else "below") + (" right" if lay.side[v] < 0 else " left"))
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
            lines.append(rf"\draw[iset] ([xshift={off:.2f}cm]n{members[0]}.center) -- "
                         rf"([xshift={off:.2f}cm]n{members[-1]}.center);")
            continue
        path = " -- ".join(f"(n{v})" for v in members)
        lines.append(rf"\draw[iset] {path};")
    for t in tree.terminals:
        node = tree.nodes[t]
        pay = "$(" + ", ".join(latex_number(u, exact) for u in node.payoffs) + ")$"
        if _on_path(ov, t):
            pay = rf"\textbf{{{pay}}}"
            p = ov.outcome[t]  # type: ignore[union-attr]
            if not _is_one(p):
                pay += f" {num(p)}"
        anchor = "right" if lay.side[t] > 0 else "left"
        lines.append(rf"\node[{anchor}=2pt] at (n{t}) {{{pay}}};")
    lines.append(r"\end{tikzpicture}")
    if standalone:
        lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"



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
            boxes.append((t.get_text(), bb.x0 + pad_px, bb.y0 + pad_px, bb.x1 - pad_px, bb.y1 - pad_px,
                          t.get_gid()))
    boxes.sort(key=lambda b: b[1])
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if b[1] >= a[3]:
                break
            if a[5] is not None and a[5] == b[5]:
                continue  # pieces of one label (a matrix cell's payoffs), set side by side
            if a[2] < b[4] and b[2] < a[4]:
                out.append((a[0], b[0]))
    return out
