r"""Game trees with an equilibrium overlaid: the layout, the overlay and the label texts.

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

This module (layout, overlay and label texts) needs no matplotlib: :mod:`bargaining.viz.tree_draw`
draws with matplotlib, :mod:`bargaining.report.tikz` writes TikZ, both from these pieces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bargaining.errors import BargainingError

__all__ = [
    "MAX_TERMINALS",
    "INFOSET_COLORS",
    "as_tree",
    "layout_tree",
    "TreeLayout",
    "infoset_rails",
    "Overlay",
    "tree_overlay",
    "signaling_overlay",
    "pick_overlay",
    "TreeLabels",
    "tree_labels",
    "interval_text",
    "edge_style",
    "on_path",
    "is_zero",
    "is_one",
    "format_label_number",
]

INFOSET_COLORS = ("#6a3d9a", "#1f78b4", "#33a02c", "#e31a1c", "#ff7f00", "#17becf", "#e7298a", "#a6761d")


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
    from bargaining.viz.backend import as_game

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


def pick_overlay(game: Any, tree: Any, solution: Any, equilibrium: int | None) -> Overlay | None:
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


def format_label_number(value: Any, exact: bool) -> str:
    from bargaining.viz.matrix import format_value

    return format_value(value, exact)


def is_zero(p: Any) -> bool:
    return p is not None and float(p) <= 1e-12


def is_one(p: Any) -> bool:
    return p is not None and float(p) >= 1 - 1e-12


@dataclass
class TreeLabels:
    mover: dict[int, str]
    action: dict[tuple[int, int], str]
    payoff: dict[int, str]
    belief: dict[int, str]


def tree_labels(tree: Any, ov: Overlay | None, exact: bool) -> TreeLabels:
    mover, action, payoff, belief = {}, {}, {}, {}
    for node in tree.nodes:
        v = node.index
        if node.kind == "terminal":
            text = "(" + ", ".join(format_label_number(u, exact) for u in node.payoffs) + ")"
            if (
                ov is not None
                and ov.outcome.get(v) is not None
                and not is_zero(ov.outcome[v])
                and not is_one(ov.outcome[v])
            ):
                text += f"  p={format_label_number(ov.outcome[v], exact)}"
            payoff[v] = text
            continue
        mover[v] = "chance" if node.kind == "chance" else tree.players[node.player]
        for a, lab in enumerate(node.actions):
            text = lab
            if node.kind == "chance":
                text += f" ({format_label_number(node.probs[a], exact)})"
            elif ov is not None:
                p = ov.action_prob.get((v, a))
                if p is not None and not is_zero(p) and not is_one(p):
                    text += f" {format_label_number(p, exact)}"
                elif p is None and (v, a) in ov.notes:
                    text += f" [{interval_text(ov.notes[(v, a)], exact)}]"
            action[(v, a)] = text
        if ov is not None and v in ov.belief:
            mu = ov.belief[v]
            if mu is None and v in ov.belief_notes:
                belief[v] = f"[{interval_text(ov.belief_notes[v], exact)}]"
            else:
                belief[v] = "[?]" if mu is None else f"[{format_label_number(mu, exact)}]"
    return TreeLabels(mover, action, payoff, belief)


def interval_text(text: str, exact: bool) -> str:
    """An interval ``"lo, hi"`` of exact strings, shown as fractions or decimals."""
    from bargaining.numeric import to_fraction

    parts = []
    for x in text.split(","):
        try:
            parts.append(format_label_number(to_fraction(x.strip()), exact))
        except (TypeError, ValueError):
            parts.append(x.strip())
    return ", ".join(parts)


def edge_style(tree: Any, ov: Overlay | None, v: int, a: int) -> str:
    """``normal`` (no equilibrium or a chance move), ``pure``, ``mixed`` or ``off``."""
    if ov is None or tree.nodes[v].kind == "chance":
        return "normal"
    p = ov.action_prob.get((v, a))
    if p is None:
        return "normal"
    if is_one(p):
        return "pure"
    return "off" if is_zero(p) else "mixed"


def on_path(ov: Overlay | None, v: int) -> bool:
    return ov is not None and ov.outcome.get(v) is not None and not is_zero(ov.outcome[v])
