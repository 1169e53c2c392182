"""Validation of a :class:`~bargaining.model.tree_builder.NodeSpec` tree into the parts of an
:class:`~bargaining.model.extensive.ExtensiveGame`: distinct players, numbers (exact or float),
chance probabilities summing to one, information sets (labels, actions, absent-mindedness only
when allowed) and the tie-break rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bargaining.errors import GameValidationError
from bargaining.model.tree_builder import (
    CHANCE,
    NodeSpec,
    show_value,
)
from bargaining.model.tree_nodes import InfoSet, Node
from bargaining.numeric import is_finite_number, to_fraction

__all__ = ["PROB_TOL", "check_tie_break", "TreeValidator", "ValidatedTree"]

PROB_TOL = 1e-9

#: what :meth:`TreeValidator.build` returns: players, nodes, information sets, exact, tie-break rule
ValidatedTree = tuple[
    tuple[str, ...], tuple[Node, ...], tuple[InfoSet, ...], bool, Mapping[str, tuple[str, ...]] | None
]


# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------
def check_tie_break(rule: Any, players: tuple[str, ...]) -> Mapping[str, tuple[str, ...]] | None:
    if rule is None:
        return None
    if not isinstance(rule, Mapping):
        raise GameValidationError("tie_break must map player -> list of actions, most preferred first")
    out = {}
    for p, actions in rule.items():
        if str(p) not in players:
            raise GameValidationError(f"tie_break names player {p!r}; players are {', '.join(players)}")
        if isinstance(actions, str) or not isinstance(actions, (list, tuple)):
            raise GameValidationError(f"tie_break of {p!r} must be a list of action labels")
        out[str(p)] = tuple(str(a) for a in actions)
    return out


class TreeValidator:
    def __init__(self, players: tuple[str, ...], exact: bool, allow_absent_minded: bool = False):
        if not players:
            raise GameValidationError("a tree needs at least one player")
        if len(set(players)) != len(players):
            raise GameValidationError(f"player labels must be distinct, got {', '.join(players)}")
        if CHANCE in players:
            raise GameValidationError(f"{CHANCE!r} is reserved for chance nodes; rename the player")
        self.players = players
        self.exact = exact
        self.allow_absent_minded = allow_absent_minded

    def num(self, value: Any, where: str) -> Any:
        if not is_finite_number(value) and not isinstance(value, str):
            raise GameValidationError(f"{where}: {show_value(value)} is not a finite number")
        try:
            f = to_fraction(value)
        except (TypeError, ValueError):
            raise GameValidationError(f"{where}: {show_value(value)} is not a number") from None
        return f if self.exact else float(f)

    def build(self, root: NodeSpec, *, tie_break, infoset_order) -> ValidatedTree:
        """The validated parts of the tree (the caller assembles the game from them)."""
        players = self.players
        n = len(players)
        nodes: list[dict[str, Any]] = []
        labels_seen: list[dict[str, list[int]]] = [dict() for _ in players]  # label -> node ids
        # iterative preorder over the spec
        stack: list[tuple[NodeSpec, int, int, str]] = [(root, -1, -1, "root")]
        while stack:
            spec, parent, action_in, where = stack.pop()
            if not isinstance(spec, NodeSpec):
                raise GameValidationError(f"{where}: expected a node, got a {type(spec).__name__}")
            idx = len(nodes)
            rec: dict[str, Any] = {
                "index": idx,
                "parent": parent,
                "action_in": action_in,
                "name": spec.name,
                "kind": spec.kind,
            }
            if spec.kind == "terminal":
                pay = spec.payoffs or ()
                if len(pay) != n:
                    raise GameValidationError(
                        f"{where}: terminal has {len(pay)} payoffs, expected {n} "
                        f"(one per player: {', '.join(players)})"
                    )
                rec["payoffs"] = tuple(
                    self.num(p, f"{where}: payoff of {players[i]!r}") for i, p in enumerate(pay)
                )
            elif spec.kind in ("decision", "chance"):
                if not spec.children:
                    raise GameValidationError(f"{where}: a {spec.kind} node needs at least one action")
                acts = tuple(a for a, _ in spec.children)
                if len(set(acts)) != len(acts):
                    raise GameValidationError(
                        f"{where}: action labels must be distinct, got {', '.join(acts)}"
                    )
                rec["actions"] = acts
                if spec.kind == "chance":
                    probs = spec.probs
                    if probs is None or len(probs) != len(acts):
                        raise GameValidationError(f"{where}: a chance node needs one probability per action")
                    ps = tuple(self.num(p, f"{where}: probability of {a!r}") for p, a in zip(probs, acts))
                    if any(p < 0 for p in ps):
                        raise GameValidationError(
                            f"{where}: chance probabilities must be >= 0, got {show_value(ps)}"
                        )
                    total = sum(ps)
                    bad = total != 1 if self.exact else abs(total - 1.0) > PROB_TOL
                    if bad:
                        raise GameValidationError(
                            f"{where}: chance probabilities sum to {show_value(total)}, not 1; fix them"
                        )
                    rec["probs"] = ps
                else:
                    if spec.player not in players:
                        raise GameValidationError(
                            f"{where}: player {spec.player!r} is not one of {', '.join(players)}"
                        )
                    p = players.index(spec.player)
                    rec["player"] = p
                    label = spec.infoset if spec.infoset is not None else f"#{idx}"
                    rec["label"] = str(label)
                    labels_seen[p].setdefault(str(label), []).append(idx)
            else:
                raise GameValidationError(f"{where}: unknown node kind {spec.kind!r}")
            nodes.append(rec)
            kids = spec.children if spec.kind != "terminal" else ()
            for k in range(len(kids) - 1, -1, -1):
                a, child = kids[k]
                stack.append((child, idx, k, f"{where}/{a}"))
        # children indices: fill from parents
        children: list[list[int]] = [[] for _ in nodes]
        for rec in nodes:
            if rec["parent"] >= 0:
                children[rec["parent"]].append(rec["index"])
        # information sets, per player in the requested order
        infosets: list[InfoSet] = []
        node_infoset = [-1] * len(nodes)
        for p in range(n):
            order = list(labels_seen[p])
            if infoset_order and players[p] in infoset_order:
                wanted = [str(x) for x in infoset_order[players[p]]]
                rest = [x for x in order if x not in wanted]
                order = [x for x in wanted if x in labels_seen[p]] + rest
            for number, label in enumerate(order):
                members = tuple(labels_seen[p][label])
                acts = nodes[members[0]]["actions"]
                for v in members[1:]:
                    if nodes[v]["actions"] != acts:
                        raise GameValidationError(
                            f"information set {label!r} of player {players[p]!r}: its nodes offer different "
                            f"actions ({', '.join(acts)}) and ({', '.join(nodes[v]['actions'])}); "
                            "they must be the same"
                        )
                gidx = len(infosets)
                display = label if not label.startswith("#") else f"{players[p]}:{number + 1}"
                infosets.append(InfoSet(gidx, p, number, display, acts, members))
                for v in members:
                    node_infoset[v] = gidx
        # no node shares an information set with a descendant (absent-mindedness)
        for h in infosets:
            if len(h.nodes) > 1 and not self.allow_absent_minded:
                in_set = set(h.nodes)
                for v in h.nodes:
                    u = nodes[v]["parent"]
                    while u >= 0:
                        if u in in_set:
                            raise GameValidationError(
                                f"information set {h.label!r} of player {players[h.player]!r} holds a node "
                                "and its descendant; a player cannot forget a move on the same path"
                            )
                        u = nodes[u]["parent"]
        built = tuple(
            Node(
                index=r["index"],
                parent=r["parent"],
                kind=r["kind"],
                player=r.get("player", -1),
                infoset=node_infoset[r["index"]],
                actions=r.get("actions", ()),
                children=tuple(children[r["index"]]),
                probs=r.get("probs"),
                payoffs=r.get("payoffs"),
                name=r["name"],
                action_in=r["action_in"],
            )
            for r in nodes
        )
        return players, built, tuple(infosets), self.exact, check_tie_break(tie_break, players)
