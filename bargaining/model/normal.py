r"""Normal-form (strategic-form) games with any number of players.

A game with players :math:`i = 1..n`, finite strategy sets :math:`S_i` and payoffs
:math:`u_i : S_1 \times \dots \times S_n \to \mathbb{R}` is stored as one payoff tensor of shape
``(n, |S_1|, ..., |S_n|)``: ``payoffs[i][s_1, ..., s_n]`` is player i's payoff. A mixed profile
:math:`\sigma = (\sigma_1, \dots, \sigma_n)` gives player i the expected payoff
:math:`u_i(\sigma) = \sum_s \prod_j \sigma_j(s_j)\, u_i(s)`.

Games are immutable (the arrays are read-only) and validated on construction. In exact mode the
payoffs are ``fractions.Fraction`` in an object array, so rational games are solved without
rounding; ``float_payoffs`` is always available for the fast numeric paths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from bargaining.errors import GameValidationError
from bargaining.model._players import player_index
from bargaining.numeric import fraction_array, is_finite_number, show_value

__all__ = ["NormalFormGame"]


def _default_players(n: int) -> tuple[str, ...]:
    return tuple(str(i + 1) for i in range(n))


def _default_strategies(shape: Sequence[int]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(k + 1) for k in range(m)) for m in shape)


@dataclass(frozen=True, eq=False)
class NormalFormGame:
    """An n-player game in strategic form. Build it with a named constructor:

    - :meth:`from_arrays` — one payoff array per player (``A, B`` for a bimatrix game);
    - :meth:`from_tensor` — one array of shape ``(n, s_1, ..., s_n)``;
    - :meth:`zero_sum` — a matrix ``A``, the column player gets ``-A``.

    ``exact=True`` stores payoffs as ``Fraction`` (decimal strings and floats are read by their
    decimal text, so ``0.1`` is exactly 1/10).
    """

    payoffs: np.ndarray
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    title: str = ""
    exact: bool = False
    description: str = field(default="", compare=False)

    kind = "normal"

    # -- construction -------------------------------------------------------------------------
    def __post_init__(self) -> None:
        pay = self.payoffs
        if not isinstance(pay, np.ndarray):
            raise GameValidationError("payoffs must be a numpy array; use NormalFormGame.from_arrays")
        n = pay.shape[0] if pay.ndim else 0
        if pay.ndim < 2 or n != pay.ndim - 1:
            raise GameValidationError(
                f"payoff tensor of shape {pay.shape} does not fit a game: expected "
                "(players, strategies of player 1, ..., strategies of player n)"
            )
        if n < 1:
            raise GameValidationError("a game needs at least one player")
        if any(m < 1 for m in pay.shape[1:]):
            raise GameValidationError(f"every player needs at least one strategy (shape {pay.shape[1:]})")
        if len(self.players) != n:
            raise GameValidationError(f"{len(self.players)} player labels given for {n} players")
        if len(set(self.players)) != n:
            raise GameValidationError(f"player labels must be distinct, got {show_value(list(self.players))}")
        if len(self.strategies) != n:
            raise GameValidationError(f"strategy labels given for {len(self.strategies)} of {n} players")
        for i, (labels, m) in enumerate(zip(self.strategies, pay.shape[1:])):
            if len(labels) != m:
                raise GameValidationError(
                    f"player {self.players[i]!r} has {m} strategies but {len(labels)} labels"
                )
            if len(set(labels)) != m:
                raise GameValidationError(
                    f"strategy labels of player {self.players[i]!r} must be distinct, "
                    f"got {show_value(list(labels))}"
                )
        if self.exact:
            if pay.dtype != object:
                raise GameValidationError("exact games store Fraction payoffs in an object array")
        else:
            if not np.issubdtype(pay.dtype, np.floating):
                raise GameValidationError("float games store payoffs as float64")
            if not np.all(np.isfinite(pay)):
                bad = tuple(int(k) for k in np.argwhere(~np.isfinite(pay))[0])
                raise GameValidationError(
                    f"payoff of player {self.players[bad[0]]!r} at {self._cell(bad[1:])} is "
                    f"{pay[bad]}: payoffs must be finite numbers"
                )
        pay.flags.writeable = False

    def _cell(self, idx: Sequence[int]) -> str:
        return "(" + ", ".join(self.strategies[i][k] for i, k in enumerate(idx)) + ")"

    @classmethod
    def from_tensor(
        cls,
        payoffs: Any,
        *,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
        exact: bool = False,
        description: str = "",
    ) -> NormalFormGame:
        """A game from one array of shape ``(n, s_1, ..., s_n)``."""
        raw = np.asarray(payoffs, dtype=object)
        if raw.ndim < 2:
            raise GameValidationError(
                f"payoff tensor of shape {raw.shape} does not fit a game: expected "
                "(players, strategies of player 1, ..., strategies of player n)"
            )
        for idx, v in np.ndenumerate(raw):
            if not is_finite_number(v):
                raise GameValidationError(
                    f"payoff at index {', '.join(map(str, idx))} is {show_value(v)}: "
                    "payoffs must be finite numbers"
                )
        if exact:
            try:
                arr = fraction_array(raw)
            except (TypeError, ValueError) as err:
                raise GameValidationError(f"payoffs must be numbers: {err}") from None
        else:
            arr = raw.astype(np.float64)
        n = arr.shape[0]
        players = tuple(str(p) for p in players) if players is not None else _default_players(n)
        strategies = (
            tuple(tuple(str(s) for s in labels) for labels in strategies)
            if strategies is not None
            else _default_strategies(arr.shape[1:])
        )
        return cls(arr, players, strategies, title=title, exact=exact, description=description)

    @classmethod
    def from_arrays(
        cls,
        *arrays: Any,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
        exact: bool = False,
        description: str = "",
    ) -> NormalFormGame:
        """A game from one payoff array per player, all of the same shape ``(s_1, ..., s_n)``.

        ``NormalFormGame.from_arrays(A, B)`` is the bimatrix game with row payoffs A and column
        payoffs B.
        """
        if not arrays:
            raise GameValidationError("from_arrays needs one payoff array per player")
        objs = [np.asarray(a, dtype=object) for a in arrays]
        shape = objs[0].shape
        if len(shape) != len(objs):
            raise GameValidationError(
                f"{len(objs)} payoff arrays given but each has {len(shape)} dimensions: "
                "give one array per player, each with one axis per player"
            )
        for i, a in enumerate(objs):
            if a.shape != shape:
                raise GameValidationError(
                    f"payoff array {i + 1} has shape {a.shape}, expected {shape} like array 1"
                )
        return cls.from_tensor(
            np.stack(objs) if objs else np.empty(0),
            players=players,
            strategies=strategies,
            title=title,
            exact=exact,
            description=description,
        )

    @classmethod
    def zero_sum(cls, A: Any, **kwargs: Any) -> NormalFormGame:
        """The two-player zero-sum game in which the row player gets A and the column player -A."""
        a = np.asarray(A, dtype=object)
        return cls.from_arrays(a, -a, **kwargs)

    # -- views --------------------------------------------------------------------------------
    @property
    def num_players(self) -> int:
        return len(self.players)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies of each player."""
        return tuple(self.payoffs.shape[1:])

    @cached_property
    def float_payoffs(self) -> np.ndarray:
        """Payoffs as a read-only float64 tensor (the payoffs themselves in float mode)."""
        if not self.exact:
            return self.payoffs
        arr = np.array([float(v) for v in self.payoffs.ravel()], dtype=np.float64).reshape(self.payoffs.shape)
        arr.flags.writeable = False
        return arr

    def payoff_array(self, player: int | str) -> np.ndarray:
        """The payoff array of one player (index or label), shape ``self.shape``."""
        return self.payoffs[self.player_index(player)]

    def bimatrix(self) -> tuple[np.ndarray, np.ndarray]:
        """``(A, B)`` of a two-player game (exact object arrays in exact mode)."""
        if self.num_players != 2:
            raise GameValidationError(f"bimatrix() needs a two-player game, this one has {self.num_players}")
        return self.payoffs[0], self.payoffs[1]

    def player_index(self, player: int | str) -> int:
        return player_index(self.players, player)

    def strategy_index(self, player: int | str, strategy: int | str) -> int:
        i = self.player_index(player)
        if isinstance(strategy, (int, np.integer)):
            return int(strategy)
        try:
            return self.strategies[i].index(strategy)
        except ValueError:
            raise GameValidationError(
                f"player {self.players[i]!r} has no strategy {strategy!r}: "
                f"strategies are {show_value(list(self.strategies[i]))}"
            ) from None

    # -- edits return new games ------------------------------------------------------------
    def as_exact(self) -> NormalFormGame:
        """The same game with Fraction payoffs (floats read by their decimal text)."""
        if self.exact:
            return self
        return NormalFormGame(
            fraction_array(self.payoffs), self.players, self.strategies, self.title, True, self.description
        )

    def as_float(self) -> NormalFormGame:
        if not self.exact:
            return self
        return NormalFormGame(
            np.array(self.float_payoffs), self.players, self.strategies, self.title, False, self.description
        )

    def with_labels(
        self,
        *,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str | None = None,
    ) -> NormalFormGame:
        return NormalFormGame(
            np.array(self.payoffs),
            tuple(players) if players is not None else self.players,
            tuple(tuple(s) for s in strategies) if strategies is not None else self.strategies,
            self.title if title is None else title,
            self.exact,
            self.description,
        )

    def describe(self) -> dict[str, Any]:
        """The ``game`` block of the JSON output."""
        return {
            "title": self.title,
            "players": list(self.players),
            "strategies": [list(s) for s in self.strategies],
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NormalFormGame):
            return NotImplemented
        return (
            self.players == other.players
            and self.strategies == other.strategies
            and self.exact == other.exact
            and self.title == other.title
            and self.payoffs.shape == other.payoffs.shape
            and bool(np.all(self.payoffs == other.payoffs))
        )

    __hash__ = None  # type: ignore[assignment]  # unhashable (mutable payoff arrays): the usual idiom

    def __repr__(self) -> str:
        dims = "×".join(str(m) for m in self.shape)
        mode = ", exact" if self.exact else ""
        title = f" {self.title!r}" if self.title else ""
        return f"<NormalFormGame{title} {dims}, players {list(self.players)}{mode}>"

    # -- notebook display (bargaining.model.display: a hook the report layer fills) ----------
    def _repr_html_(self) -> str | None:
        from bargaining.model.display import game_html

        return game_html(self)

    def _repr_svg_(self) -> str | None:
        from bargaining.model.display import figure_svg

        return figure_svg(self)
