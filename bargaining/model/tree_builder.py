r"""Building game trees: the unvalidated node specification (:class:`NodeSpec`), the helpers that
read like the game (:func:`decision`, :func:`chance`, :func:`terminal`, :class:`TreeBuilder`), and
the conversion of a YAML ``kind: tree`` node mapping into a :class:`NodeSpec`
(:func:`spec_from_mapping`).

:class:`~bargaining.model.extensive.ExtensiveGame` validates a :class:`NodeSpec` tree into a game
(``ExtensiveGame.from_tree``). Every walk over a tree here is iterative (:func:`fold_tree`), so a
tree thousands of levels deep gives a game or a one-line error, never ``RecursionError``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bargaining.errors import GameValidationError
from bargaining.numeric import show_value

__all__ = [
    "CHANCE",
    "show_value",
    "NodeSpec",
    "TreeBuilder",
    "chance",
    "decision",
    "fold_tree",
    "spec_from_mapping",
    "terminal",
]

CHANCE = "chance"

T = TypeVar("T")
R = TypeVar("R")


def fold_tree(root: T, children: Callable[[T], Iterable[T]], combine: Callable[[T, list[R]], R]) -> R:
    """``combine(item, [values of its children])`` bottom-up over the tree under ``root``, with an
    explicit stack (no recursion): children are visited in order, each before its parent is
    combined. ``children(item)`` is called once per item, parents before children."""
    values: list[R] = []
    stack: list[tuple[T, list[T] | None]] = [(root, None)]
    while stack:
        item, kids = stack.pop()
        if kids is None:
            kids = list(children(item))
            stack.append((item, kids))
            stack.extend((c, None) for c in reversed(kids))
        else:
            n = len(kids)
            args = values[len(values) - n :] if n else []
            if n:
                del values[len(values) - n :]
            values.append(combine(item, args))
    return values[0]


# --------------------------------------------------------------------------------------------
# specification objects: what the builder and from_spec produce before validation
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NodeSpec:
    """An unvalidated node: ``kind`` is ``"decision"``, ``"chance"`` or ``"terminal"``.

    ``children`` is a tuple of ``(action label, NodeSpec)`` in order; ``probs`` the chance
    probabilities in the same order; ``infoset`` an optional label (nodes of one player with the
    same label form one information set); ``payoffs`` the terminal payoffs in player order.
    """

    kind: str
    player: str | None = None
    children: tuple[tuple[str, NodeSpec], ...] = ()
    probs: tuple[Any, ...] | None = None
    payoffs: tuple[Any, ...] | None = None
    infoset: str | None = None
    name: str = ""


def terminal(*payoffs: Any, name: str = "") -> NodeSpec:
    """A terminal node with one payoff per player (in the game's player order)."""
    if len(payoffs) == 1 and isinstance(payoffs[0], (list, tuple)):
        payoffs = tuple(payoffs[0])
    return NodeSpec("terminal", payoffs=tuple(payoffs), name=name)


def _as_child(value: Any) -> NodeSpec:
    if isinstance(value, NodeSpec):
        return value
    if isinstance(value, (list, tuple)):
        return terminal(*value)
    raise GameValidationError(f"a child must be a node or a payoff list, got {show_value(value)}")


def decision(
    player: str,
    actions: Mapping[str, Any] | None = None,
    *,
    infoset: str | None = None,
    name: str = "",
    **more: Any,
) -> NodeSpec:
    """A decision node of ``player``: ``decision("RU", C=(0.5, 1, 0.6), A=decision(...))``.

    Actions are given in order as a mapping and/or keyword arguments; a child is a node or a payoff
    tuple (a terminal). ``infoset`` groups nodes of one player into one information set.
    """
    items = list((actions or {}).items()) + list(more.items())
    return NodeSpec(
        "decision",
        player=str(player),
        children=tuple((str(a), _as_child(c)) for a, c in items),
        infoset=infoset,
        name=name,
    )


def chance(outcomes: Mapping[str, tuple[Any, Any]] | None = None, *, name: str = "", **more: Any) -> NodeSpec:
    """A chance node: ``chance(Strong=(Fraction(9, 10), subtree), Weak=(Fraction(1, 10), subtree))``."""
    items = list((outcomes or {}).items()) + list(more.items())
    children, probs = [], []
    for label, pair in items:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise GameValidationError(f"chance action {label!r}: expected (probability, subtree)")
        probs.append(pair[0])
        children.append((str(label), _as_child(pair[1])))
    return NodeSpec("chance", player=CHANCE, children=tuple(children), probs=tuple(probs), name=name)


# --------------------------------------------------------------------------------------------
# builder
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TreeBuilder:
    """Builds a tree that reads like the game::

        b = ExtensiveGame.builder(["Entrant", "Incumbent"])
        game = b.build(b.decision("Entrant", Out=(0, 2),
                                  In=b.decision("Incumbent", Fight=(-1, -1), Accommodate=(1, 1))))

    ``make`` is the validating constructor (``ExtensiveGame.from_tree``, passed in by
    ``ExtensiveGame.builder`` so that this module does not import the game's).
    """

    players: tuple[str, ...]
    title: str = ""
    exact: bool = False
    make: Callable[..., Any] | None = field(default=None, repr=False, compare=False)

    decision = staticmethod(decision)
    chance = staticmethod(chance)
    terminal = staticmethod(terminal)

    def build(
        self,
        root: NodeSpec,
        *,
        tie_break: Mapping[str, Sequence[str]] | None = None,
        description: str = "",
    ) -> Any:
        if self.make is None:
            raise GameValidationError(
                "TreeBuilder.build needs a game constructor: use ExtensiveGame.builder(players)"
            )
        return self.make(
            self.players,
            root,
            title=self.title,
            exact=self.exact,
            tie_break=tie_break,
            description=description,
        )


# --------------------------------------------------------------------------------------------
# YAML node mappings
# --------------------------------------------------------------------------------------------
def _mapping_children(item: tuple[Any, str]) -> list[tuple[Any, str]]:
    obj, where = item
    if not isinstance(obj, Mapping):
        raise GameValidationError(f"{where}: a node must be a mapping (payoffs, or player and actions)")
    if "payoffs" in obj:
        extra = set(obj) - {"payoffs", "name"}
        if extra:
            raise GameValidationError(
                f"{where}: a terminal has only 'payoffs' and 'name', not {', '.join(sorted(map(str, extra)))}"
            )
        if not isinstance(obj["payoffs"], (list, tuple)):
            raise GameValidationError(f"{where}: payoffs must be a list, one entry per player")
        return []
    if "player" not in obj or "actions" not in obj:
        raise GameValidationError(f"{where}: a node needs 'payoffs' (terminal) or 'player' and 'actions'")
    actions = obj["actions"]
    if not isinstance(actions, Mapping) or not actions:
        raise GameValidationError(f"{where}: 'actions' must map action labels to child nodes")
    if str(obj["player"]) == CHANCE:
        probs = obj.get("probs")
        if not isinstance(probs, Mapping):
            raise GameValidationError(f"{where}: a chance node needs 'probs' (action -> probability)")
        pmap = {str(k): v for k, v in probs.items()}
        missing = [str(a) for a in actions if str(a) not in pmap]
        if missing:
            raise GameValidationError(f"{where}: no probability for chance action(s) {', '.join(missing)}")
        unknown = sorted(set(pmap) - {str(a) for a in actions})
        if unknown:
            raise GameValidationError(
                f"{where}: probabilities given for unknown action(s) {', '.join(unknown)}"
            )
    return [(child, f"{where}/{a}") for a, child in actions.items()]


def _mapping_node(item: tuple[Any, str], kids: list[NodeSpec]) -> NodeSpec:
    obj, _ = item
    name = str(obj.get("name", "") or "")
    if "payoffs" in obj:
        return NodeSpec("terminal", payoffs=tuple(obj["payoffs"]), name=name)
    children = tuple((str(a), k) for a, k in zip(obj["actions"], kids))
    player = str(obj["player"])
    if player == CHANCE:
        pmap = {str(k): v for k, v in obj["probs"].items()}
        return NodeSpec(
            "chance", player=CHANCE, children=children, probs=tuple(pmap[a] for a, _ in children), name=name
        )
    infoset = obj.get("infoset")
    return NodeSpec(
        "decision",
        player=player,
        children=children,
        infoset=None if infoset is None else str(infoset),
        name=name,
    )


def spec_from_mapping(obj: Any, where: str = "root") -> NodeSpec:
    """A YAML node mapping (``payoffs``, or ``player``/``actions``/``probs``/``infoset``) as a
    :class:`NodeSpec`; errors name the node by its action path (``root/In/Fight: ...``).
    Iterative, so the depth of the tree is not limited by Python's recursion limit."""
    return fold_tree((obj, where), _mapping_children, _mapping_node)
