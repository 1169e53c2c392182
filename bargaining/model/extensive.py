r"""Finite extensive-form games (game trees) with chance moves and information sets.

A tree has decision nodes (a player moves), chance nodes (nature draws an action with fixed
probabilities) and terminal nodes (a payoff vector, one entry per player). The decision nodes of a
player are partitioned into **information sets**: the player cannot tell the nodes of one set
apart, so they offer the same actions and the player's behaviour is one distribution over them.
A **behaviour profile** :math:`b` gives, for every information set :math:`h`, a distribution
:math:`b_h` over its actions (Kuhn 1953; Osborne & Rubinstein 1994, ch. 11).

The game has **perfect recall** when every player remembers what they knew and did: all nodes of
an information set have the same sequence of the mover's own (information set, action) pairs on
their paths from the root (Kuhn 1953). Kuhn's theorem then makes behaviour and mixed strategies
equivalent; the solvers that need it check :attr:`ExtensiveGame.perfect_recall`.

Nodes are stored in depth-first preorder (node 0 is the root, children in action order), so the
subtree of node ``v`` is the index range ``[v, v + size[v])`` and terminals in index order are the
"file's depth-first order" of the JSON output (docs/reference/solve.md). Information sets are
numbered per player in the order given (``.efg``: by their number; builder and YAML: by first
appearance depth-first). Games are immutable and validated on construction; exact games hold
``Fraction`` payoffs and probabilities.

For very large perfect-information trees (the 10⁶-node SPE path) see :class:`TreeArrays`, a plain
array representation that :mod:`bargaining.solvers.backward` solves in linear time without
building node objects.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np

from bargaining.errors import GameValidationError
from bargaining.model._players import player_index
from bargaining.model.tree_builder import (
    CHANCE,
    NodeSpec,
    TreeBuilder,
    chance,
    decision,
    fold_tree,
    spec_from_mapping,
    terminal,
)
from bargaining.model.tree_nodes import InfoSet, Node, TreeArrays
from bargaining.model.tree_validation import TreeValidator, check_tie_break
from bargaining.numeric import to_fraction

__all__ = [
    "ExtensiveGame",
    "Node",
    "InfoSet",
    "NodeSpec",
    "TreeBuilder",
    "TreeArrays",
    "decision",
    "chance",
    "terminal",
    "CHANCE",
    "uniform_behavior",
]


# --------------------------------------------------------------------------------------------
# the validated game
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ExtensiveGame:
    """A finite game tree. Build it with :meth:`builder`, :meth:`from_tree`, :meth:`from_spec`
    (YAML body of docs/game-format.md) or :func:`bargaining.formats.efg.read_efg`."""

    players: tuple[str, ...]
    nodes: tuple[Node, ...]
    infosets: tuple[InfoSet, ...]
    title: str = ""
    exact: bool = False
    description: str = field(default="", compare=False)
    tie_break: Mapping[str, tuple[str, ...]] | None = None
    comment: str = field(default="", compare=False)

    kind = "tree"

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def builder(cls, players: Sequence[str], *, title: str = "", exact: bool = False) -> TreeBuilder:
        """A :class:`TreeBuilder`: ``b.decision``, ``b.chance``, ``b.terminal``, ``b.build(root)``."""
        return TreeBuilder(tuple(str(p) for p in players), title, exact, make=cls.from_tree)

    @classmethod
    def from_tree(
        cls,
        players: Sequence[str],
        root: NodeSpec,
        *,
        title: str = "",
        exact: bool = False,
        description: str = "",
        tie_break: Mapping[str, Sequence[str]] | None = None,
        infoset_order: Mapping[str, Sequence[str]] | None = None,
        allow_absent_minded: bool = False,
    ) -> ExtensiveGame:
        """Validate a :class:`NodeSpec` tree into a game.

        ``infoset_order`` optionally fixes, per player, the order of information-set labels
        (default: first appearance, depth first); ``tie_break`` is the preference rule
        (docs/scenarios.md, tie-break rule) ``{player: [actions, most preferred first]}`` used by
        ``backward`` with ``tie_break="file"``.
        ``allow_absent_minded`` accepts an information set that holds a node and its descendant
        (Piccione–Rubinstein's absent-minded driver, in Gambit's catalogue); such a game has no
        perfect recall, so only methods that do not need it apply.
        """
        names, nodes, infosets, exact_, rule = TreeValidator(
            tuple(str(p) for p in players), exact, allow_absent_minded
        ).build(root, tie_break=tie_break, infoset_order=infoset_order)
        return ExtensiveGame(
            names, nodes, infosets, title=title, exact=exact_, description=description, tie_break=rule
        )

    @classmethod
    def from_spec(
        cls, body: Mapping[str, Any], *, title: str | None = None, exact: bool = True
    ) -> ExtensiveGame:
        """A game from the ``kind: tree`` body of docs/game-format.md, with expressions already
        evaluated to numbers: ``{"players": [...], "root": {...}, "title"?: ..., "tie_break"?: ...}``.
        """
        if not isinstance(body, Mapping):
            raise GameValidationError("a tree game needs a mapping with 'players' and 'root'")
        if "players" not in body or "root" not in body:
            missing = "players" if "players" not in body else "root"
            raise GameValidationError(f"a tree game needs '{missing}' (see docs/game-format.md, kind: tree)")
        players = body["players"]
        if not isinstance(players, (list, tuple)) or not players:
            raise GameValidationError("'players' must be a non-empty list of names")
        root = spec_from_mapping(body["root"], "root")
        return cls.from_tree(
            [str(p) for p in players],
            root,
            title=str(body.get("title", "") if title is None else title),
            exact=exact,
            description=str(body.get("description", "") or ""),
            tie_break=body.get("tie_break"),
        )

    # -- views --------------------------------------------------------------------------------
    @property
    def num_players(self) -> int:
        return len(self.players)

    @property
    def root(self) -> Node:
        return self.nodes[0]

    def __len__(self) -> int:
        return len(self.nodes)

    @cached_property
    def terminals(self) -> tuple[int, ...]:
        """Terminal node indices in depth-first order (the order of ``outcomes``)."""
        return tuple(n.index for n in self.nodes if n.kind == "terminal")

    @cached_property
    def player_infosets(self) -> tuple[tuple[int, ...], ...]:
        """For each player, the global indices of its information sets, in order."""
        out: list[list[int]] = [[] for _ in self.players]
        for h in self.infosets:
            out[h.player].append(h.index)
        return tuple(tuple(x) for x in out)

    @cached_property
    def subtree_size(self) -> np.ndarray:
        size = np.ones(len(self.nodes), dtype=np.int64)
        for node in reversed(self.nodes):
            if node.parent >= 0:
                size[node.parent] += size[node.index]
        size.flags.writeable = False
        return size

    @cached_property
    def is_perfect_information(self) -> bool:
        return all(len(h.nodes) == 1 for h in self.infosets)

    @cached_property
    def own_history(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        """For each node and the player who moves there (or -1), the sequence of that player's
        own ``(infoset, action)`` pairs on the path from the root (empty for non-decision nodes)."""
        # full per-player histories along the path, built top-down
        hist: list[tuple[tuple[tuple[int, int], ...], ...] | None] = [None] * len(self.nodes)
        hist[0] = tuple(() for _ in self.players)
        out: list[tuple[tuple[int, int], ...]] = [()] * len(self.nodes)
        for node in self.nodes:
            h = hist[node.index]
            assert h is not None
            if node.kind == "decision":
                out[node.index] = h[node.player]
            for k, c in enumerate(node.children):
                if node.kind == "decision":
                    lst = list(h)
                    lst[node.player] = h[node.player] + ((node.infoset, k),)
                    hist[c] = tuple(lst)
                else:
                    hist[c] = h
            hist[node.index] = None  # free memory as we go
        return tuple(out)

    @cached_property
    def recall_violation(self) -> str | None:
        """``None`` with perfect recall, else one line naming an offending information set."""
        hist = self.own_history
        for h in self.infosets:
            first = hist[h.nodes[0]]
            for v in h.nodes[1:]:
                if hist[v] != first:
                    return (
                        f"information set {h.label!r} of player {self.players[h.player]!r}: its nodes "
                        "are reached by different own earlier moves or information (no perfect recall)"
                    )
        return None

    @property
    def perfect_recall(self) -> bool:
        """True if every player has perfect recall (Kuhn 1953)."""
        return self.recall_violation is None

    def require_perfect_recall(self, method: str) -> None:
        if self.recall_violation is not None:
            raise GameValidationError(f"method {method!r} needs perfect recall: {self.recall_violation}")

    @cached_property
    def subgame_roots(self) -> tuple[int, ...]:
        """Nodes that start a proper or improper subgame (preorder): every information set that
        meets the subtree lies inside it (Selten 1965). Node 0 is always one; terminals are not
        listed."""
        size = self.subtree_size
        sets = [sorted(h.nodes) for h in self.infosets if len(h.nodes) > 1]
        ok = []
        for v in self.nodes:
            if v.kind == "terminal":
                continue
            lo_v, hi_v = v.index, v.index + int(size[v.index])
            # a set breaks v iff it meets v's subtree [lo_v, hi_v) without lying inside it
            if all(_inside_or_disjoint(m, lo_v, hi_v) for m in sets):
                ok.append(v.index)
        return tuple(ok)

    def infoset_of(self, player: int | str, label_or_number: int | str) -> InfoSet:
        """An information set by player and label (or 0-based number among the player's sets)."""
        i = self.player_index(player)
        ids = self.player_infosets[i]
        if isinstance(label_or_number, int):
            return self.infosets[ids[label_or_number]]
        for k in ids:
            if self.infosets[k].label == label_or_number:
                return self.infosets[k]
        raise GameValidationError(f"player {self.players[i]!r} has no information set {label_or_number!r}")

    def player_index(self, player: int | str) -> int:
        return player_index(self.players, player)

    def path(self, node: int) -> tuple[tuple[int, int], ...]:
        """``(node, action index)`` pairs from the root to ``node``."""
        out = []
        v = self.nodes[node]
        while v.parent >= 0:
            out.append((v.parent, v.action_in))
            v = self.nodes[v.parent]
        return tuple(reversed(out))

    def path_labels(self, node: int) -> tuple[str, ...]:
        return tuple(self.nodes[p].actions[a] for p, a in self.path(node))

    @cached_property
    def payoff_matrix(self) -> np.ndarray:
        """Terminal payoffs as a float array ``(num terminals, num players)``."""
        arr = np.array(
            [[float(x) for x in self.nodes[t].terminal_payoffs] for t in self.terminals], dtype=np.float64
        )
        arr = arr.reshape(len(self.terminals), self.num_players)
        arr.flags.writeable = False
        return arr

    def describe(self) -> dict[str, Any]:
        """The ``game`` block of the JSON output."""
        return {
            "title": self.title,
            "kind": "tree",
            "players": list(self.players),
            "infosets": [
                [{"label": self.infosets[k].label, "actions": list(self.infosets[k].actions)} for k in ids]
                for ids in self.player_infosets
            ],
            "terminals": [" ".join(self.path_labels(t)) or "(root)" for t in self.terminals],
        }

    # -- conversions ----------------------------------------------------------------------------
    def to_spec(self) -> NodeSpec:
        """The tree as a :class:`NodeSpec` (for edits: change it and call :meth:`from_tree`)."""
        labels = {h.index: h.label for h in self.infosets}

        def make(v: int, built: list[NodeSpec]) -> NodeSpec:
            node = self.nodes[v]
            if node.kind == "terminal":
                return NodeSpec("terminal", payoffs=node.payoffs, name=node.name)
            kids = tuple(zip(node.actions, built))
            if node.kind == "chance":
                return NodeSpec("chance", player=CHANCE, children=kids, probs=node.probs, name=node.name)
            return NodeSpec(
                "decision",
                player=self.players[node.player],
                children=kids,
                infoset=labels[node.infoset],
                name=node.name,
            )

        return fold_tree(0, lambda v: self.nodes[v].children, make)

    def as_exact(self) -> ExtensiveGame:
        if self.exact:
            return self
        return self._convert(True)

    def as_float(self) -> ExtensiveGame:
        if not self.exact:
            return self
        return self._convert(False)

    def _convert(self, exact: bool) -> ExtensiveGame:
        conv = to_fraction if exact else float
        nodes = tuple(
            Node(
                n.index,
                n.parent,
                n.kind,
                n.player,
                n.infoset,
                n.actions,
                n.children,
                None if n.probs is None else tuple(conv(p) for p in n.probs),
                None if n.payoffs is None else tuple(conv(p) for p in n.payoffs),
                n.name,
                n.action_in,
            )
            for n in self.nodes
        )
        return ExtensiveGame(
            self.players,
            nodes,
            self.infosets,
            self.title,
            exact,
            self.description,
            self.tie_break,
            self.comment,
        )

    def with_tie_break(self, rule: Mapping[str, Sequence[str]] | None) -> ExtensiveGame:
        return ExtensiveGame(
            self.players,
            self.nodes,
            self.infosets,
            self.title,
            self.exact,
            self.description,
            check_tie_break(rule, self.players),
            self.comment,
        )

    def to_arrays(self) -> TreeArrays:
        """The array representation (perfect-information SPE path)."""
        n = len(self.nodes)
        counts = np.array([len(v.children) for v in self.nodes], dtype=np.int64)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        child = np.array([c for v in self.nodes for c in v.children], dtype=np.int64)
        player = np.array(
            [v.player if v.kind == "decision" else (-1 if v.kind == "chance" else -2) for v in self.nodes],
            dtype=np.int64,
        )
        probs = np.array(
            [
                float(p)
                for v in self.nodes
                for p in (v.chance_probs if v.kind == "chance" else [0.0] * len(v.children))
            ],
            dtype=np.float64,
        )
        payoffs = np.zeros((n, self.num_players))
        for t in self.terminals:
            payoffs[t] = [float(x) for x in self.nodes[t].terminal_payoffs]
        return TreeArrays(offsets, child, player, probs, payoffs)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ExtensiveGame):
            return NotImplemented
        return (
            self.players == other.players
            and self.nodes == other.nodes
            and self.infosets == other.infosets
            and self.title == other.title
        )

    __hash__ = None  # type: ignore[assignment]  # unhashable (mutable payoff arrays): the usual idiom

    # -- notebook display (bargaining.model.display: a hook the report layer fills) ----------
    def _repr_html_(self) -> str | None:
        from bargaining.model.display import game_html

        return game_html(self)

    def _repr_svg_(self) -> str | None:
        from bargaining.model.display import figure_svg

        return figure_svg(self)

    def __repr__(self) -> str:
        title = f" {self.title!r}" if self.title else ""
        mode = ", exact" if self.exact else ""
        return (
            f"<ExtensiveGame{title} {len(self.nodes)} nodes, {len(self.terminals)} terminals, "
            f"{len(self.infosets)} information sets, players {list(self.players)}{mode}>"
        )


def _inside_or_disjoint(members: list[int], lo: int, hi: int) -> bool:
    if members[0] >= lo and members[-1] < hi:
        return True
    k = bisect_left(members, lo)
    return k == len(members) or members[k] >= hi


def uniform_behavior(game: ExtensiveGame, exact: bool = False) -> tuple[tuple[tuple[Any, ...], ...], ...]:
    """The behaviour profile that mixes uniformly at every information set."""
    out = []
    for ids in game.player_infosets:
        per = []
        for k in ids:
            m = len(game.infosets[k].actions)
            per.append(tuple(Fraction(1, m) if exact else 1.0 / m for _ in range(m)))
        out.append(tuple(per))
    return tuple(out)
