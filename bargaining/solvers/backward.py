r"""Subgame-perfect equilibria of game trees by backward induction (method ``backward``).

A behaviour profile is a **subgame-perfect equilibrium** (SPE) if it induces a Nash equilibrium
in every subgame (Selten 1965, 1975). Backward induction over subgames (Osborne & Rubinstein
1994, §6.2 and §11.4; Fudenberg & Tirole 1991, §3.5):

1. Find the subgame roots (nodes whose subtree contains every information set it meets).
2. Visit them bottom-up. At a root ``r`` replace each maximal proper subgame below it by a
   terminal carrying the value of an equilibrium already chosen for it, then solve the truncated
   game at ``r``:

   - a singleton decision node whose children are all subgames or terminals: the mover picks a
     maximiser of its own payoff (perfect-information step; **every** maximiser is a branch of the
     answer, unless a tie-break rule picks one);
   - a chance node: expectation;
   - otherwise (imperfect information): all Nash equilibria of the truncated game's reduced
     strategic form (:mod:`bargaining.model.strategic`), found by the normal-form solvers, and
     turned into behaviour by Kuhn's theorem.

   Every combination of the sub-equilibria below is tried, so the answer lists every SPE that the
   steps produce.

**Completeness.** The list is ``complete`` when every step's set is finite and fully listed: no
ties at perfect-information steps (with ties, mixing the tied actions gives further SPE; the pure
ones are all listed) and every imperfect-information step returned a complete list of isolated
equilibria. With a tie-break rule the answer is the one SPE the rule selects.

**Tie-break rule** (docs/scenarios.md, tie-break rule):
``tie_break={player: [actions, most preferred first]}``; among maximisers the earliest listed
action wins, unlisted actions come after, in the node's order (so at a node without listed
actions the earlier option wins). ``tie_break="file"`` takes the rule the game file declares
(``ExtensiveGame.tie_break``).

**Large perfect-information trees**: :func:`spe_arrays` solves a :class:`TreeArrays` tree level by
level with numpy (single SPE, linear time).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import BargainingError, SolverError
from bargaining.model.behavior import expected_payoffs
from bargaining.model.extensive import ExtensiveGame, NodeSpec, TreeArrays
from bargaining.model.profile import Solution, sort_key_profile
from bargaining.solvers.budget import Deadline
from bargaining.solvers.registry import Method, register
from bargaining.solvers.treeprofile import path_label, tree_equilibrium

__all__ = ["backward", "spe_arrays", "tree_equilibrium", "path_label", "resolve_tie_break"]


# --------------------------------------------------------------------------------------------
# shared helpers (also used by the Nash methods in sequence.py)
# --------------------------------------------------------------------------------------------
def resolve_tie_break(game: ExtensiveGame, tie_break: Any) -> Mapping[str, Sequence[str]] | None:
    if tie_break in (None, "all", False):
        return None
    if tie_break == "file":
        if game.tie_break is None:
            err = BargainingError(
                "tie_break='file': this game declares no tie_break rule; use tie_break='all'"
            )
            err.hint = {"option": "tie_break", "value": "all", "instead_of": "file"}  # worded by the CLI
            raise err
        return game.tie_break
    if isinstance(tie_break, Mapping):
        return game.with_tie_break(tie_break).tie_break
    raise BargainingError(
        f"tie_break must be 'all', 'file' or a mapping player -> actions, got {tie_break!r}"
    )


def _tolerance(game: ExtensiveGame) -> float:
    if game.exact:
        return 0.0
    pm = game.payoff_matrix
    return 1e-9 * max(1.0, float(np.max(np.abs(pm))) if pm.size else 1.0)


# --------------------------------------------------------------------------------------------
# the solver
# --------------------------------------------------------------------------------------------
class _Step:
    """One solution of the subgame at a root: its value, the behaviour it fixes at the
    information sets of the truncated part, and which solution it uses in each frontier subgame."""

    __slots__ = ("value", "local", "refs")

    def __init__(self, value: tuple, local: dict[int, tuple], refs: tuple[tuple[int, int], ...]):
        self.value = value
        self.local = local
        self.refs = refs


def backward(
    game: ExtensiveGame,
    *,
    deadline: Deadline = Deadline.NONE,
    exact: bool = False,
    tie_break: Any = None,
    max_equilibria: int = 10_000,
) -> Solution:
    """All subgame-perfect equilibria (see the module docstring for what "all" covers)."""
    if getattr(game, "kind", None) != "tree":
        raise SolverError("method 'backward' solves game trees")
    g = game.as_exact() if exact else game
    rule = resolve_tie_break(g, tie_break)
    tol = _tolerance(g)
    roots = g.subgame_roots
    root_set = set(roots)
    n = g.num_players
    steps: dict[int, list[_Step]] = {}
    state: dict[str, Any] = {"ties": False, "incomplete": False, "notes": []}

    def leaf_or_root(v: int) -> bool:
        return g.nodes[v].kind == "terminal" or v in root_set

    def child_options(v: int) -> list[tuple[int, int, tuple]]:
        """(child, solution index, value) options of a child: one for a terminal."""
        node = g.nodes[v]
        if node.kind == "terminal":
            return [(v, -1, node.terminal_payoffs)]
        return [(v, k, s.value) for k, s in enumerate(steps[v])]

    for r in reversed(roots):
        if deadline.expired():
            state["incomplete"] = True
            state["notes"].append(deadline.message())
            break
        node = g.nodes[r]
        simple = all(leaf_or_root(c) for c in node.children)
        if simple and node.kind == "decision" and len(g.infosets[node.infoset].nodes) == 1:
            steps[r] = _pi_step(g, r, child_options, rule, tol, state, max_equilibria)
        elif simple and node.kind == "chance":
            steps[r] = _chance_step(g, r, child_options, state, max_equilibria)
        else:
            steps[r] = _nash_step(g, r, root_set, child_options, state, max_equilibria, exact, deadline)
        # frontier solutions no longer needed by value can stay: refs point into them
    if 0 not in steps:
        return Solution(
            game=game,
            concept="subgame-perfect",
            method="backward",
            equilibria=(),
            complete=False,
            exact=bool(exact),
            message="; ".join(state["notes"]) or "time budget exhausted",
        )
    profiles = []
    for k in range(min(len(steps[0]), max_equilibria)):
        local = _expand(steps, 0, k)
        behavior = tuple(tuple(local[h] for h in ids) for ids in g.player_infosets)
        profiles.append(behavior)
    if len(steps[0]) > max_equilibria:
        state["incomplete"] = True
        state["notes"].append(f"stopped at max_equilibria={max_equilibria}")
    eqs = [tree_equilibrium(g, b, concept="subgame-perfect") for b in profiles]
    eqs.sort(key=lambda e: sort_key_profile([p for per in e.behavior_profile for p in per]))
    complete = not state["ties"] and not state["incomplete"]
    notes = list(dict.fromkeys(state["notes"]))
    if state["ties"] and rule is None:
        notes.append("ties: every pure choice among tied actions is listed; mixing them gives further SPE")
    del n
    return Solution(
        game=game,
        concept="subgame-perfect",
        method="backward",
        equilibria=tuple(eqs),
        complete=complete,
        exact=bool(exact),
        message="; ".join(notes) or None,
    )


def _expand(steps: dict[int, list[_Step]], r: int, k: int) -> dict[int, tuple]:
    out: dict[int, tuple] = {}
    stack = [(r, k)]
    while stack:
        v, j = stack.pop()
        s = steps[v][j]
        out.update(s.local)
        stack.extend(ref for ref in s.refs if ref[1] >= 0)
    return out


def _combos(g, r, child_options, state, cap):
    options = [child_options(c) for c in g.nodes[r].children]
    total = 1
    for o in options:
        total *= len(o)
    if total > cap:
        state["incomplete"] = True
        state["notes"].append(f"stopped at max_equilibria={cap}")
    return itertools.islice(itertools.product(*options), cap)


def _one_hot(m: int, a: int, exact: bool) -> tuple:
    one, zero = (Fraction(1), Fraction(0)) if exact else (1.0, 0.0)
    return tuple(one if j == a else zero for j in range(m))


def _pi_step(g: ExtensiveGame, r: int, child_options, rule, tol, state, cap) -> list[_Step]:
    node = g.nodes[r]
    i = node.player
    m = len(node.children)
    prefs = rule.get(g.players[i]) if rule is not None else None
    out: list[_Step] = []
    for combo in _combos(g, r, child_options, state, cap):
        scores = [val[i] for _, _, val in combo]
        top = max(scores)
        best = (
            [a for a in range(m) if scores[a] >= top - tol]
            if tol
            else [a for a in range(m) if scores[a] == top]
        )
        if len(best) > 1:
            if rule is not None:
                rank = {lab: k for k, lab in enumerate(prefs or ())}
                best = [min(best, key=lambda a: (rank.get(node.actions[a], len(rank)), a))]
            else:
                state["ties"] = True
        refs = tuple((c, k) for c, k, _ in combo)
        for a in best:
            out.append(_Step(combo[a][2], {node.infoset: _one_hot(m, a, g.exact)}, refs))
        if len(out) >= cap:
            break
    return out


def _chance_step(g: ExtensiveGame, r: int, child_options, state, cap) -> list[_Step]:
    node = g.nodes[r]
    n = g.num_players
    out = []
    for combo in _combos(g, r, child_options, state, cap):
        value = tuple(sum(p * val[k] for p, (_, _, val) in zip(node.chance_probs, combo)) for k in range(n))
        out.append(_Step(value, {}, tuple((c, k) for c, k, _ in combo)))
    return out


def _frontier(g: ExtensiveGame, r: int, root_set: set[int]) -> list[int]:
    """Maximal subgame roots strictly below ``r`` (preorder)."""
    out = []
    stack = list(reversed(g.nodes[r].children))
    while stack:
        v = stack.pop()
        if v in root_set:
            out.append(v)
        else:
            stack.extend(reversed(g.nodes[v].children))
    return out


def _truncated_spec(g: ExtensiveGame, r: int, values: dict[int, tuple]) -> NodeSpec:
    labels = {h.index: f"h{h.index}" for h in g.infosets}

    def make(v: int) -> NodeSpec:
        if v in values:
            return NodeSpec("terminal", payoffs=values[v])
        node = g.nodes[v]
        if node.kind == "terminal":
            return NodeSpec("terminal", payoffs=node.payoffs)
        kids = tuple((a, make(c)) for a, c in zip(node.actions, node.children))
        if node.kind == "chance":
            return NodeSpec("chance", player="chance", children=kids, probs=node.probs)
        return NodeSpec(
            "decision", player=g.players[node.player], children=kids, infoset=labels[node.infoset]
        )

    return make(r)


def _nash_step(g, r, root_set, child_options, state, cap, exact, deadline) -> list[_Step]:
    """Imperfect-information step: all equilibria of the truncated game at ``r``."""
    from bargaining.solvers.sequence import all_nash_behaviors

    frontier = _frontier(g, r, root_set)
    options = [child_options(f) for f in frontier]
    out: list[_Step] = []
    for combo in itertools.product(*options):
        values = {f: val for f, _, val in combo}
        spec = _truncated_spec(g, r, values)
        sub = ExtensiveGame.from_tree(g.players, spec, exact=g.exact)
        # map the truncated game's information sets back to the original ones
        back = {}
        for h in sub.infosets:
            back[h.index] = int(h.label[1:])
        behaviors, complete, note = all_nash_behaviors(sub, exact=g.exact, deadline=deadline)
        if not complete:
            state["incomplete"] = True
            if note:
                state["notes"].append(note)
        refs = tuple((f, k) for f, k, _ in combo)
        for beh in behaviors:
            local = {}
            for i, ids in enumerate(sub.player_infosets):
                for j, k in enumerate(ids):
                    local[back[k]] = tuple(beh[i][j])
            value = expected_payoffs(sub, beh)
            out.append(_Step(tuple(value), local, refs))
            if len(out) >= cap:
                state["incomplete"] = True
                return out
    return out


register(
    Method(
        name="backward",
        kinds=("tree",),
        concept="subgame-perfect",
        function=backward,
        summary="all SPE by backward induction over subgames (ties branch; imperfect-information "
        "subgames via their strategic form)",
        options={
            "tie_break": "'all' (every SPE, the default), 'file' (the game's tie_break rule) or a mapping "
            "player -> actions, most preferred first",
            "max_equilibria": "stop after this many SPE (default 10000)",
        },
    )
)


# --------------------------------------------------------------------------------------------
# array path: one SPE of a huge perfect-information tree, level by level
# --------------------------------------------------------------------------------------------
def spe_arrays(tree: TreeArrays, tol: float = 1e-12) -> tuple[np.ndarray, np.ndarray]:
    """One SPE of a perfect-information tree in arrays: ``(value, choice)`` where ``value[v]`` is
    the payoff vector at node ``v`` and ``choice[v]`` the chosen child position at decision nodes
    (the first maximiser; ``-1`` elsewhere). Each level is one batch of numpy reductions, so the
    work is linear in the number of nodes."""
    offsets, child, player = tree.offsets, tree.child, tree.player
    n = tree.num_nodes
    counts = np.diff(offsets)
    value = np.array(tree.payoffs, dtype=np.float64, copy=True)
    choice = np.full(n, -1, dtype=np.int64)
    # levels from the root down
    levels = []
    frontier = np.array([0], dtype=np.int64)
    while frontier.size:
        inner = frontier[counts[frontier] > 0]
        if inner.size == 0:
            break
        levels.append(inner)
        frontier = child[_ranges(offsets[inner], counts[inner])]
    for nodes in reversed(levels):
        cnt = counts[nodes]
        idx = _ranges(offsets[nodes], cnt)
        starts = np.zeros(nodes.size, dtype=np.int64)
        np.cumsum(cnt[:-1], out=starts[1:])
        kids = child[idx]
        mover = np.repeat(player[nodes], cnt)
        is_chance = player[nodes] == -1
        # decision nodes: first maximiser of the mover's payoff
        cv = value[kids, np.maximum(mover, 0)]
        seg_max = np.maximum.reduceat(cv, starts)
        pos = np.arange(idx.size) - np.repeat(starts, cnt)
        hit = cv >= np.repeat(seg_max, cnt) - tol
        first = np.minimum.reduceat(np.where(hit, pos, np.iinfo(np.int64).max), starts)
        dec = ~is_chance
        choice[nodes[dec]] = first[dec]
        value[nodes[dec]] = value[child[offsets[nodes[dec]] + first[dec]]]
        if is_chance.any():
            weighted = tree.probs[idx][:, None] * value[kids]
            sums = np.add.reduceat(weighted, starts, axis=0)
            value[nodes[is_chance]] = sums[is_chance]
    return value, choice


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenation of ``range(s, s + c)`` for each pair, vectorised."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    rep = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    return rep + np.arange(total, dtype=np.int64)
