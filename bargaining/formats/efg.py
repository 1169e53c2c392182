"""Gambit ``.efg`` files (extensive form, format version 2): :func:`read_efg`, :func:`write_efg`.

The format (Gambit documentation, "File formats"): a header
``EFG 2 R "title" { "player 1" ... }`` and an optional comment string, then one line per node in
depth-first preorder:

- ``p "name" player infoset "infoset name" { "action" ... } outcome ["outcome name" {payoffs}]``
- ``c "name" infoset "infoset name" { "action" prob ... } outcome [...]``
- ``t "name" outcome "outcome name" { payoffs }``

Actions (and chance probabilities) may be omitted after the first node of an information set;
an outcome's payoffs may be omitted after its first use; outcome 0 means none. Outcomes at inner
nodes add to the payoffs of every terminal below them. Numbers are integers, decimals or
rationals ``p/q`` and are read exactly (``Fraction``), so a read–write–read round trip is exact.
Errors name the file, the line and what was expected.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

from bargaining.errors import FileFormatError, GameValidationError
from bargaining.formats.textfile import read_game_text
from bargaining.model.extensive import CHANCE, ExtensiveGame, NodeSpec
from bargaining.model.tree_builder import fold_tree
from bargaining.numeric import parse_number, shorten

__all__ = ["read_efg", "parse_efg", "write_efg", "MAX_NODES"]

#: Largest number of nodes an ``.efg`` file may hold. The tree is read with an explicit stack
#: (any depth), and a node's list of actions is checked against what is left of the file (each
#: child needs at least three more tokens) before its children are read.
MAX_NODES = 1_000_000

_TOKEN = re.compile(
    r'(?P<str>"(?:[^"\\]|\\.)*")|(?P<brace>[{}])|(?P<comma>,)|(?P<word>[^\s{}",]+)|(?P<bad>")', re.S
)


class _Tokens:
    def __init__(self, text: str, path: Any):
        self.path = path
        self.items: list[tuple[str, str, int]] = []
        newlines = [m.start() for m in re.finditer("\n", text)]
        for m in _TOKEN.finditer(text):
            kind = m.lastgroup
            assert kind is not None
            value = m.group(kind)
            line = bisect_right(newlines, m.start()) + 1
            if kind == "bad":
                raise FileFormatError(
                    path,
                    line,
                    f"unterminated string {shorten(text[m.start() :], 20)!r}: expected a closing '\"'",
                )
            if kind == "str":
                value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
            self.items.append((kind, value, line))
        self.k = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.items[self.k] if self.k < len(self.items) else None

    def line(self) -> int:
        t = self.peek()
        return t[2] if t else (self.items[-1][2] if self.items else 1)

    def next(self, what: str) -> tuple[str, str, int]:
        t = self.peek()
        if t is None:
            raise FileFormatError(self.path, self.line(), f"unexpected end of file: expected {what}")
        self.k += 1
        return t

    def expect(self, kind: str, what: str, value: str | None = None) -> str:
        t = self.next(what)
        if t[0] != kind or (value is not None and t[1] != value):
            raise FileFormatError(self.path, t[2], f"expected {what}, found {shorten(t[1])!r}")
        return t[1]

    def number(self, what: str) -> Fraction:
        t = self.next(what)
        if t[0] != "word":
            raise FileFormatError(self.path, t[2], f"expected {what} (a number), found {shorten(t[1])!r}")
        try:
            return parse_number(t[1])
        except ValueError as err:
            if re.fullmatch(r"[+-]?[\d.]+(?:[eE][+-]?\d+)?(?:/\d+)?", t[1]):
                raise FileFormatError(self.path, t[2], f"{what}: {err}") from None
            raise FileFormatError(
                self.path, t[2], f"expected {what} (a number such as 3, 0.5 or 1/2), found {shorten(t[1])!r}"
            ) from None

    def integer(self, what: str) -> int:
        t = self.next(what)
        if t[0] != "word" or not re.fullmatch(r"\d{1,18}", t[1]):
            raise FileFormatError(
                self.path, t[2], f"expected {what} (a whole number), found {shorten(t[1])!r}"
            )
        return int(t[1])

    def at(self, kind: str, value: str | None = None) -> bool:
        t = self.peek()
        return t is not None and t[0] == kind and (value is None or t[1] == value)


def read_efg(path: str | os.PathLike) -> ExtensiveGame:
    """Read a Gambit ``.efg`` file (exact numbers)."""
    p = Path(path)
    _, text = read_game_text(p, empty='expected "EFG 2 R" at the start of the file')
    return parse_efg(text, p)


def parse_efg(text: str, path: Any = None) -> ExtensiveGame:
    """Parse the text of an ``.efg`` file."""
    tk = _Tokens(text, path)
    tk.expect("word", '"EFG" at the start of the file', "EFG")
    version = tk.next("the format version 2")
    if version[1] != "2":
        raise FileFormatError(path, version[2], f"expected format version 2, found {shorten(version[1])!r}")
    prec = tk.next("R or D")
    if prec[1] not in ("R", "D"):
        raise FileFormatError(path, prec[2], f"expected R or D after the version, found {shorten(prec[1])!r}")
    title = tk.expect("str", "the game title in double quotes")
    tk.expect("brace", "{ before the player names", "{")
    players: list[str] = []
    while tk.at("str"):
        players.append(tk.expect("str", "a player name"))
    tk.expect("brace", "} after the player names", "}")
    if not players:
        raise FileFormatError(path, tk.line(), "the game needs at least one player")
    comment = tk.expect("str", "") if tk.at("str") else ""
    outcomes: dict[int, tuple[Fraction, ...]] = {}
    infoset_actions: dict[tuple[int, int], tuple[str, ...]] = {}
    chance_probs: dict[int, tuple[Fraction, ...]] = {}
    infoset_names: dict[tuple[int, int], str] = {}
    n = len(players)

    def read_payoffs(line: int) -> tuple[Fraction, ...]:
        tk.expect("brace", "{ before the payoffs", "{")
        vals = []
        while not tk.at("brace", "}"):
            if tk.at("comma"):
                tk.next(",")
                continue
            vals.append(tk.number("a payoff"))
        tk.next("}")
        if len(vals) != n:
            raise FileFormatError(
                path, line, f"outcome has {len(vals)} payoffs, expected {n} (one per player)"
            )
        return tuple(vals)

    def read_outcome(line: int) -> tuple[Fraction, ...] | None:
        k = tk.integer("an outcome number")
        if k == 0:
            return None
        if tk.at("str"):
            tk.next("outcome name")
            if tk.at("brace", "{"):
                outcomes[k] = read_payoffs(line)
        if k not in outcomes:
            raise FileFormatError(path, line, f"outcome {k} is used before its payoffs are given")
        return outcomes[k]

    class Open:
        """A decision or chance node whose children are being read."""

        def __init__(self, word: str, name: str, pl: int, key: tuple[int, int], here: tuple[Fraction, ...]):
            self.word, self.name, self.pl, self.key, self.here = word, name, pl, key, here
            self.kids: list[NodeSpec] = []

        def done(self) -> bool:
            return len(self.kids) == len(infoset_actions[self.key])

        def spec(self) -> NodeSpec:
            kids = tuple(zip(infoset_actions[self.key], self.kids))
            if self.pl == 0:
                return NodeSpec(
                    "chance", player=CHANCE, children=kids, probs=chance_probs[self.key[1]], name=self.name
                )
            return NodeSpec(
                "decision",
                player=players[self.pl - 1],
                children=kids,
                infoset=f"\0{self.pl}:{self.key[1]}",
                name=self.name,
            )

    count = [0]

    def node(acc: tuple[Fraction, ...]) -> NodeSpec | Open:
        """Read one node line: a terminal's spec, or an :class:`Open` node awaiting its children."""
        count[0] += 1
        if count[0] > MAX_NODES:
            raise FileFormatError(
                path, tk.line(), f"more than {MAX_NODES} nodes; larger trees are not supported"
            )
        kind, word, line = tk.next("a node (p, c or t)")
        if kind != "word" or word not in ("p", "c", "t"):
            raise FileFormatError(
                path, line, f"expected a node line starting with p, c or t, found {shorten(word)!r}"
            )
        name = tk.expect("str", "the node name in double quotes")
        if word == "t":
            out = read_outcome(line)
            pay = acc if out is None else tuple(a + b for a, b in zip(acc, out))
            return NodeSpec("terminal", payoffs=pay, name=name)
        if word == "p":
            pl = tk.integer("the player number")
            if not 1 <= pl <= n:
                raise FileFormatError(path, line, f"player {pl} does not exist: players are 1..{n}")
        else:
            pl = 0
        iset = tk.integer("the information set number")
        iname = tk.expect("str", "the information set name in double quotes") if tk.at("str") else ""
        key = (pl, iset)
        if tk.at("brace", "{"):
            tk.next("{")
            acts: list[str] = []
            probs: list[Fraction] = []
            while not tk.at("brace", "}"):
                acts.append(tk.expect("str", "an action name in double quotes"))
                if pl == 0:
                    probs.append(tk.number("the chance probability of the action"))
            tk.next("}")
            left = len(tk.items) - tk.k
            if 3 * len(acts) > left:  # every child takes at least 't "" 0'
                raise FileFormatError(
                    path,
                    line,
                    f"the node has {len(acts)} actions but the file holds only {left} more tokens "
                    "for their subtrees",
                )
            acts = _distinct(acts)
            if key in infoset_actions and infoset_actions[key] != tuple(acts):
                raise FileFormatError(path, line, f"information set {iset} was declared with other actions")
            infoset_actions[key] = tuple(acts)
            if pl == 0:
                chance_probs[iset] = tuple(probs)
        elif key not in infoset_actions:
            raise FileFormatError(path, line, f"information set {iset} is used before its actions are listed")
        if not infoset_actions[key]:
            raise FileFormatError(
                path, line, f"information set {iset} has no actions; a node needs at least one"
            )
        if iname and key not in infoset_names:
            infoset_names[key] = iname
        out = read_outcome(line)
        here = acc if out is None else tuple(a + b for a, b in zip(acc, out))
        need = 3 * len(infoset_actions[key])  # every child takes at least 't "" 0'
        left = len(tk.items) - tk.k
        if need > left:
            raise FileFormatError(
                path,
                line,
                f"the node has {len(infoset_actions[key])} actions but the file holds only "
                f"{left} more tokens for their subtrees",
            )
        return Open(word, name, pl, key, here)

    def read_tree(zero: tuple[Fraction, ...]) -> NodeSpec:
        """The whole tree in depth-first preorder, with an explicit stack (any depth)."""
        first = node(zero)
        if isinstance(first, NodeSpec):
            return first
        stack = [first]
        while True:
            top = stack[-1]
            if top.done():
                stack.pop()
                spec = top.spec()
                if not stack:
                    return spec
                stack[-1].kids.append(spec)
                continue
            item = node(top.here)
            if isinstance(item, NodeSpec):
                top.kids.append(item)
            else:
                stack.append(item)

    zero = tuple(Fraction(0) for _ in range(n))
    root = read_tree(zero)
    extra = tk.peek()
    if extra is not None:
        raise FileFormatError(path, tk.line(), f"unexpected text after the last node: {shorten(extra[1])!r}")
    # information-set labels: the file's name when it is unique for the player, else "#k"
    labels = _labels(infoset_actions, infoset_names)
    spec = _relabel(root, labels)
    order: dict[str, list[str]] = {}
    for (pl, iset), _ in sorted(infoset_actions.items()):
        if pl:
            order.setdefault(players[pl - 1], []).append(labels[pl, iset])
    try:
        game = ExtensiveGame.from_tree(
            players, spec, title=title, exact=True, infoset_order=order, allow_absent_minded=True
        )
    except GameValidationError as err:
        raise FileFormatError(path, None, str(err)) from None
    return game if not comment else _with_comment(game, comment)


def _distinct(labels: list[str]) -> list[str]:
    """Gambit allows repeated action labels (e.g. two chance moves "1/2"); ours must be distinct,
    so a repeat gets the suffix ``#k`` (its 1-based position)."""
    counts = Counter(labels)
    out = []
    seen: set[str] = set()
    for k, a in enumerate(labels):
        label = a if a not in seen and counts[a] == 1 else f"{a}#{k + 1}"
        seen.add(label)
        out.append(label)
    return out


def _labels(
    infosets: dict[tuple[int, int], Any], names: dict[tuple[int, int], str]
) -> dict[tuple[int, int], str]:
    """Information-set labels: the file's name when it is unique for the player, else ``#k``."""
    uses = Counter((pl, name) for (pl, _), name in names.items())
    out = {}
    for key in infosets:
        name = names.get(key, "")
        out[key] = name if name and uses[key[0], name] == 1 else f"#{key[1]}"
    return out


def _relabel(root: NodeSpec, labels: dict[tuple[int, int], str]) -> NodeSpec:
    def make(spec: NodeSpec, built: list[NodeSpec]) -> NodeSpec:
        kids = tuple((a, c) for (a, _), c in zip(spec.children, built))
        infoset = spec.infoset
        if infoset is not None and infoset.startswith("\0"):
            pl, iset = (int(x) for x in infoset[1:].split(":"))
            infoset = labels[pl, iset]
        return NodeSpec(spec.kind, spec.player, kids, spec.probs, spec.payoffs, infoset, spec.name)

    return fold_tree(root, lambda spec: [c for _, c in spec.children], make)


def _with_comment(game: ExtensiveGame, comment: str) -> ExtensiveGame:
    return ExtensiveGame(
        game.players,
        game.nodes,
        game.infosets,
        game.title,
        game.exact,
        game.description,
        game.tie_break,
        comment,
    )


def _q(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _num(x: Any) -> str:
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else str(x)
    if isinstance(x, int):
        return str(x)
    f = float(x)
    return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)


def write_efg(game: ExtensiveGame, path: str | os.PathLike | None = None) -> str:
    """The ``.efg`` text of ``game`` (written to ``path`` if given). Information sets keep their
    per-player numbers and labels; each terminal gets its own outcome."""
    lines = [f"EFG 2 R {_q(game.title)} {{ {' '.join(_q(p) for p in game.players)} }}", _q(game.comment), ""]
    outcome = 0
    chance_set = 0
    seen: set[int] = set()
    for node in game.nodes:
        if node.kind == "terminal":
            outcome += 1
            pay = ", ".join(_num(x) for x in node.terminal_payoffs)
            lines.append(f't {_q(node.name)} {outcome} "" {{ {pay} }}')
        elif node.kind == "chance":
            chance_set += 1
            body = " ".join(f"{_q(a)} {_num(p)}" for a, p in zip(node.actions, node.chance_probs))
            lines.append(f'c {_q(node.name)} {chance_set} "" {{ {body} }} 0')
        else:
            h = game.infosets[node.infoset]
            acts = " ".join(_q(a) for a in h.actions)
            label = h.label if h.index not in seen else h.label
            seen.add(h.index)
            lines.append(f"p {_q(node.name)} {node.player + 1} {h.number + 1} {_q(label)} {{ {acts} }} 0")
    text = "\n".join(lines) + "\n"
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
