r"""Gambit's strategic-game file format (``.nfg``), read and written.

The format (Gambit manual, "Game representation formats", strategic games) is a sequence of
tokens; whitespace is not significant except inside double-quoted strings (``\"`` and ``\\``
escape a quote and a backslash). There are no comments. A file is::

    NFG 1 R "title" { "Player 1" "Player 2" }          (R: rational, D: decimal; both accepted)
    { { "s1" "s2" } { "t1" "t2" } }                   strategy labels per player
                                                       ... or { 2 2 }: numbers of strategies
    "an optional comment"                              (kept as the game's description)

followed by the payoffs in one of two versions:

- **payoff version**: for each strategy profile, the payoff of every player in order;
- **outcome version**: a block of outcomes ``{ { "name" u1, u2 } ... }`` (commas optional),
  then for each profile the 1-based index of its outcome (0: the null outcome, all payoffs 0).

Profiles are listed with the **first player's strategy changing fastest**. Numbers are integers,
decimals (``-1.5``, ``.25``, ``2e3``) or rationals (``3/5``); NaN and infinities are refused.

Exactness (our choice): every number in a file is an exact rational, so :func:`read_nfg` reads
it as a ``Fraction`` and by default returns an **exact** game (``exact=False`` gives float
payoffs instead). :func:`write_nfg` writes exact payoffs as ``p/q`` and float payoffs by their
shortest round-trip decimal, so ``read_nfg(write_nfg(g), exact=g.exact) == g`` in both modes.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from bargaining.errors import BargainingError, FileFormatError
from bargaining.formats.textfile import read_game_text
from bargaining.model.normal import NormalFormGame
from bargaining.numeric import parse_number, shorten

__all__ = ["read_nfg", "write_nfg", "parse_nfg", "MAX_PROFILES", "MAX_PLAYERS"]

#: Largest number of strategy profiles (cells) an ``.nfg`` file may declare, and of players (one
#: array axis each). A declared size is also checked against the values the file actually holds
#: (one outcome number or ``n`` payoffs per profile) before anything is allocated.
MAX_PROFILES = 1_000_000
MAX_PLAYERS = 30

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:/\d+)?")
_WORD = re.compile(r"[^\s{}\",]+")


@dataclass(frozen=True)
class _Token:
    kind: str  # "str", "num", "word", "{", "}", ","
    text: str
    line: int


def _tokens(text: str, path: str | None) -> Iterator[_Token]:
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif c in "{},":
            yield _Token(c, c, line)
            i += 1
        elif c == '"':
            start_line = line
            i += 1
            buf = []
            while True:
                if i >= n:
                    raise FileFormatError(path, start_line, "unterminated string: expected a closing '\"'")
                c = text[i]
                if c == "\\" and i + 1 < n:
                    buf.append(text[i + 1])
                    line += text[i + 1] == "\n"
                    i += 2
                    continue
                if c == '"':
                    i += 1
                    break
                line += c == "\n"
                buf.append(c)
                i += 1
            yield _Token("str", "".join(buf), start_line)
        else:
            m = _WORD.match(text, i)
            assert m is not None  # text[i] is neither space nor one of {}," so a word starts here
            word = m.group(0)
            kind = "num" if _NUMBER.fullmatch(word) else "word"
            yield _Token(kind, word, line)
            i = m.end()


class _Parser:
    def __init__(self, text: str, path: str | None):
        self.path = path
        self.toks = list(_tokens(text, path))
        self.pos = 0
        self.last_line = text.count("\n") + 1

    # -- primitives ---------------------------------------------------------------------------
    def peek(self) -> _Token | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def at(self, kind: str) -> bool:
        """True if the next token is of ``kind`` (False at the end of the file)."""
        tok = self.peek()
        return tok is not None and tok.kind == kind

    def error(self, expected: str, tok: _Token | None = None) -> FileFormatError:
        tok = tok if tok is not None else self.peek()
        if tok is None:
            return FileFormatError(
                self.path, self.last_line, f"expected {expected}, found the end of the file"
            )
        shown = f'"{shorten(tok.text)}"' if tok.kind == "str" else repr(shorten(tok.text))
        return FileFormatError(self.path, tok.line, f"expected {expected}, found {shown}")

    def take(self, kind: str, expected: str) -> _Token:
        tok = self.peek()
        if tok is None or tok.kind != kind:
            raise self.error(expected)
        self.pos += 1
        return tok

    def number(self, expected: str = "a number") -> Fraction:
        tok = self.peek()
        if tok is None or tok.kind != "num":
            if tok is not None and tok.text.lower().lstrip("+-") in ("nan", "inf", "infinity"):
                raise FileFormatError(
                    self.path, tok.line, f"{tok.text} is not allowed: payoffs must be finite numbers"
                )
            raise self.error(expected)
        self.pos += 1
        try:
            return parse_number(tok.text)
        except ValueError as err:
            raise FileFormatError(self.path, tok.line, str(err)) from None

    def integer(self, expected: str) -> int:
        tok = self.peek()
        value = self.number(expected)
        if value.denominator != 1:
            raise self.error(expected, tok)
        return int(value)

    # -- grammar ------------------------------------------------------------------------------
    def parse(self) -> dict[str, Any]:
        head = self.take("word", 'the header "NFG 1 R"')
        if head.text != "NFG":
            raise self.error('the header "NFG 1 R"', head)
        version = self.peek()
        if self.integer('the format version 1 after "NFG"') != 1:
            raise self.error('the format version 1 after "NFG"', version)
        kind = self.take("word", 'the number type "R" or "D"')
        if kind.text not in ("R", "D"):
            raise self.error('the number type "R" or "D"', kind)
        title = self.take("str", "the game's title in double quotes").text
        self.take("{", "'{' opening the list of players")
        players = []
        while self.at("str"):
            players.append(self.take("str", "a player name").text)
        self.take("}", "a player name in double quotes or '}'")
        if not players:
            raise self.error("at least one player", self.toks[self.pos - 1])
        if len(players) > MAX_PLAYERS:
            raise FileFormatError(
                self.path, head.line, f"{len(players)} players; at most {MAX_PLAYERS} are supported"
            )
        strategies = self.strategies(len(players))
        description = ""
        if self.at("str"):
            description = self.take("str", "a comment").text
        shape = tuple(len(s) for s in strategies)
        cells = math.prod(shape)
        n = len(players)
        tok = self.peek()
        if tok is not None and tok.kind == "{":
            flat = self.outcome_payoffs(n, cells)
        else:
            flat = [
                self.number(f"a payoff ({n} per strategy profile, {n * cells} in all)")
                for _ in range(n * cells)
            ]
        if self.peek() is not None:
            raise self.error("the end of the file (too many numbers?)")
        # flat[c * n + i] is player i's payoff at profile c, profiles with player 1 fastest
        table: np.ndarray = np.empty(n * cells, dtype=object)
        table[:] = flat
        table = table.reshape(cells, n)
        tensor = np.empty((n, *shape), dtype=object)
        for i in range(n):
            tensor[i] = table[:, i].reshape(shape, order="F")
        return {
            "payoffs": tensor,
            "players": players,
            "strategies": strategies,
            "title": title,
            "description": description,
        }

    def strategies(self, n: int) -> list[list[str]]:
        self.take("{", "'{' opening the strategies (labels per player, or their numbers)")
        out: list[list[str]] = []
        tok = self.peek()
        if tok is not None and tok.kind == "num":
            counts = []
            for i in range(n):
                tok = self.peek()
                m = self.integer(f"the number of strategies of player {i + 1}")
                if m < 1:
                    raise self.error(f"a positive number of strategies for player {i + 1}", tok)
                counts.append(m)
                self.check_profiles(math.prod(counts), tok)
            out = [[str(k + 1) for k in range(m)] for m in counts]
        else:
            for i in range(n):
                self.take("{", f"'{{' opening the strategy labels of player {i + 1} ({n} players)")
                labels = []
                while self.at("str"):
                    labels.append(self.take("str", "a strategy label").text)
                self.take("}", "a strategy label in double quotes or '}'")
                if not labels:
                    raise self.error(f"at least one strategy for player {i + 1}", self.toks[self.pos - 1])
                out.append(labels)
                self.check_profiles(math.prod(len(x) for x in out), self.toks[self.pos - 1])
        self.take("}", f"'}}' closing the strategies of the {n} players")
        return out

    def check_profiles(self, cells: int, tok: _Token | None) -> None:
        """Refuse a declared game larger than :data:`MAX_PROFILES`, or than the file can hold
        (every profile needs at least one more value), before anything is allocated."""
        line = tok.line if tok is not None else self.last_line
        if cells > MAX_PROFILES:
            raise FileFormatError(
                self.path,
                line,
                f"the strategies declare {cells} strategy profiles; at most {MAX_PROFILES} are supported",
            )
        left = len(self.toks) - self.pos
        if cells > left:
            raise FileFormatError(
                self.path,
                line,
                f"the strategies declare {cells} strategy profiles but the file holds only "
                f"{left} more values",
            )

    def outcome_payoffs(self, n: int, cells: int) -> list[Fraction]:
        self.take("{", "'{' opening the list of outcomes")
        outcomes: list[list[Fraction]] = []
        while self.at("{"):
            self.pos += 1
            if self.at("str"):
                self.pos += 1  # the outcome's name
            pay = []
            for i in range(n):
                if i and self.at(","):
                    self.pos += 1
                pay.append(self.number(f"the payoff of player {i + 1} in outcome {len(outcomes) + 1}"))
            self.take("}", f"'}}' closing outcome {len(outcomes) + 1} ({n} payoffs)")
            outcomes.append(pay)
        self.take("}", "'{' opening an outcome or '}' closing the list of outcomes")
        flat: list[Fraction] = []
        zero = [Fraction(0)] * n
        for c in range(cells):
            tok = self.peek()
            k = self.integer(f"an outcome number for strategy profile {c + 1} of {cells}")
            if not 0 <= k <= len(outcomes):
                raise self.error(f"an outcome number between 0 and {len(outcomes)}", tok)
            flat.extend(outcomes[k - 1] if k else zero)
        return flat


def parse_nfg(text: str, path: str | os.PathLike | None = None) -> dict[str, Any]:
    """The parts of an ``.nfg`` text: ``payoffs`` (object array of Fractions, shape
    ``(n, s_1, ..., s_n)``), ``players``, ``strategies``, ``title``, ``description``."""
    return _Parser(text, None if path is None else str(path)).parse()


def read_nfg(source: str | os.PathLike, *, exact: bool = True) -> NormalFormGame:
    """Read a Gambit ``.nfg`` game from a path, or from the text itself (a string that starts
    with ``NFG``). ``exact=True`` (default) keeps the file's numbers as Fractions.

    Raises :class:`~bargaining.errors.FileFormatError` (file, line, what was expected)."""
    if isinstance(source, str) and source.lstrip().startswith("NFG"):
        text, path = source, None
    else:
        path = str(source)
        _, text = read_game_text(source, empty='expected the header "NFG 1 R"')
    parts = parse_nfg(text, path)
    try:
        return NormalFormGame.from_tensor(
            parts["payoffs"],
            players=parts["players"],
            strategies=parts["strategies"],
            title=parts["title"],
            description=parts["description"],
            exact=exact,
        )
    except BargainingError as err:
        raise FileFormatError(path, None, str(err)) from None


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(value: Any, exact: bool) -> str:
    if exact:
        f = value if isinstance(value, Fraction) else Fraction(repr(float(value)))
        return str(f)
    v = float(value)
    if v.is_integer() and abs(v) < 1e16:
        return str(int(v))
    return repr(v)


def write_nfg(
    game: NormalFormGame,
    path: str | os.PathLike | None = None,
    *,
    exact: bool | None = None,
    version: str = "outcome",
) -> str:
    """The ``.nfg`` text of ``game`` (and write it to ``path`` if given).

    ``version="outcome"`` (Gambit's own output: one outcome per profile, labels kept) or
    ``"payoff"``. ``exact`` (default: the game's mode) writes payoffs as rationals ``p/q``;
    otherwise as shortest round-trip decimals."""
    if version not in ("outcome", "payoff"):
        raise BargainingError(f"unknown .nfg version {version!r}: use 'outcome' or 'payoff'")
    exact = game.exact if exact is None else exact
    n = game.num_players
    pay = game.payoffs
    lines = [f"NFG 1 R {_quote(game.title)} {{ {' '.join(_quote(p) for p in game.players)} }}", ""]
    lines.append(
        "{ " + "\n".join("{ " + " ".join(_quote(s) for s in labels) + " }" for labels in game.strategies)
    )
    lines.append("}")
    lines.append(_quote(game.description))
    lines.append("")
    cells = [np.unravel_index(c, game.shape, order="F") for c in range(math.prod(game.shape))]
    if version == "outcome":
        lines.append("{")
        for idx in cells:
            nums = ", ".join(_number(pay[(i, *idx)], exact) for i in range(n))
            lines.append(f'{{ "" {nums} }}')
        lines.append("}")
        lines.append(" ".join(str(k + 1) for k in range(len(cells))))
    else:
        lines.append(" ".join(_number(pay[(i, *idx)], exact) for idx in cells for i in range(n)))
    text = "\n".join(lines) + "\n"
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
