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
from fractions import Fraction
from pathlib import Path
from typing import Any

from bargaining.errors import FileFormatError, GameValidationError
from bargaining.model.extensive import CHANCE, ExtensiveGame, NodeSpec

__all__ = ["read_efg", "parse_efg", "write_efg"]

_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<brace>[{}])|(?P<comma>,)|(?P<word>[^\s{}",]+))', re.S
)


class _Tokens:
    def __init__(self, text: str, path: Any):
        self.path = path
        self.items: list[tuple[str, str, int]] = []
        pos, line = 0, 1
        while True:
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                rest = text[pos:].strip()
                if rest:
                    line += text[pos : pos + (len(text[pos:]) - len(text[pos:].lstrip()))].count("\n")
                    raise FileFormatError(path, line, f"unreadable text {rest[:20]!r}")
                break
            start_line = line + text[pos : m.start(m.lastgroup)].count("\n")
            kind = m.lastgroup
            value = m.group(kind)
            if kind == "str":
                value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
            self.items.append((kind, value, start_line))
            line = start_line + m.group(kind).count("\n")
            pos = m.end()
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
            raise FileFormatError(self.path, t[2], f"expected {what}, found {t[1]!r}")
        return t[1]

    def number(self, what: str) -> Fraction:
        t = self.next(what)
        if t[0] != "word":
            raise FileFormatError(self.path, t[2], f"expected {what} (a number), found {t[1]!r}")
        try:
            return Fraction(t[1])
        except (ValueError, ZeroDivisionError):
            raise FileFormatError(self.path, t[2], f"expected {what} (a number such as 3, 0.5 or 1/2), found {t[1]!r}") from None

    def integer(self, what: str) -> int:
        t = self.next(what)
        if t[0] != "word" or not re.fullmatch(r"\d+", t[1]):
            raise FileFormatError(self.path, t[2], f"expected {what} (a whole number), found {t[1]!r}")
        return int(t[1])

    def at(self, kind: str, value: str | None = None) -> bool:
        t = self.peek()
        return t is not None and t[0] == kind and (value is None or t[1] == value)


def read_efg(path: str | os.PathLike) -> ExtensiveGame:
    """Read a Gambit ``.efg`` file (exact numbers)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as err:
        raise FileFormatError(p, None, f"cannot read: {err.strerror}") from None
    return parse_efg(text, p)


def parse_efg(text: str, path: Any = None) -> ExtensiveGame:
    """Parse the text of an ``.efg`` file."""
    tk = _Tokens(text, path)
    tk.expect("word", '"EFG" at the start of the file', "EFG")
    version = tk.next("the format version 2")
    if version[1] != "2":
        raise FileFormatError(path, version[2], f"expected format version 2, found {version[1]!r}")
    prec = tk.next("R or D")
    if prec[1] not in ("R", "D"):
        raise FileFormatError(path, prec[2], f"expected R or D after the version, found {prec[1]!r}")
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
            raise FileFormatError(path, line, f"outcome has {len(vals)} payoffs, expected {n} (one per player)")
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

    def node(acc: tuple[Fraction, ...]) -> NodeSpec:
        kind, word, line = tk.next("a node (p, c or t)")
        if kind != "word" or word not in ("p", "c", "t"):
            raise FileFormatError(path, line, f"expected a node line starting with p, c or t, found {word!r}")
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
            acts = _distinct(acts)
            if key in infoset_actions and infoset_actions[key] != tuple(acts):
                raise FileFormatError(path, line, f"information set {iset} was declared with other actions")
            infoset_actions[key] = tuple(acts)
            if pl == 0:
                chance_probs[iset] = tuple(probs)
        elif key not in infoset_actions:
            raise FileFormatError(path, line, f"information set {iset} is used before its actions are listed")
        if iname and key not in infoset_names:
            infoset_names[key] = iname
        out = read_outcome(line)
        here = acc if out is None else tuple(a + b for a, b in zip(acc, out))
        acts_t = infoset_actions[key]
        kids = tuple((a, node(here)) for a in acts_t)
        if pl == 0:
            return NodeSpec("chance", player=CHANCE, children=kids, probs=chance_probs[iset], name=name)
        return NodeSpec("decision", player=players[pl - 1], children=kids, infoset=f"\0{pl}:{iset}", name=name)

    zero = tuple(Fraction(0) for _ in range(n))
    root = node(zero)
    if tk.peek() is not None:
        raise FileFormatError(path, tk.line(), f"unexpected text after the last node: {tk.peek()[1]!r}")
    # information-set labels: the file's name when it is unique for the player, else "#k"
    spec = _relabel(root, infoset_names)
    order = {}
    for (pl, iset), _ in sorted(infoset_actions.items()):
        if pl:
            order.setdefault(players[pl - 1], []).append(_label_for(pl, iset, infoset_names))
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
    out = []
    for k, a in enumerate(labels):
        out.append(a if a not in out and labels.count(a) == 1 else f"{a}#{k + 1}")
    return out


def _label_for(pl: int, iset: int, names: dict[tuple[int, int], str]) -> str:
    name = names.get((pl, iset), "")
    same = [k for k, v in names.items() if k[0] == pl and v == name]
    return name if name and len(same) == 1 else f"#{iset}"


def _relabel(spec: NodeSpec, names: dict[tuple[int, int], str]) -> NodeSpec:
    kids = tuple((a, _relabel(c, names)) for a, c in spec.children)
    infoset = spec.infoset
    if infoset is not None and infoset.startswith("\0"):
        pl, iset = (int(x) for x in infoset[1:].split(":"))
        infoset = _label_for(pl, iset, names)
    return NodeSpec(spec.kind, spec.player, kids, spec.probs, spec.payoffs, infoset, spec.name)


def _with_comment(game: ExtensiveGame, comment: str) -> ExtensiveGame:
    return ExtensiveGame(
        game.players, game.nodes, game.infosets, game.title, game.exact, game.description, game.tie_break, comment
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
            pay = ", ".join(_num(x) for x in node.payoffs)
            lines.append(f"t {_q(node.name)} {outcome} \"\" {{ {pay} }}")
        elif node.kind == "chance":
            chance_set += 1
            body = " ".join(f"{_q(a)} {_num(p)}" for a, p in zip(node.actions, node.probs))
            lines.append(f"c {_q(node.name)} {chance_set} \"\" {{ {body} }} 0")
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
