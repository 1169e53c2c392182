"""pygambit (test-only oracle) behind plain-Python functions: the ONE place that knows its API.

Tests cross-check our solvers and readers against Gambit (McKelvey, McLennan & Turocy, *Gambit:
Software Tools for Game Theory*, https://www.gambit-project.org) through this module only, so a
change of pygambit's API is fixed here and nowhere else. Everything that leaves this module is
plain Python: ``Fraction`` (pygambit's ``Rational`` is a ``Fraction`` subclass; we convert anyway)
or ``float``, tuples of per-player probability tuples for strategic profiles, and
``{infoset key: tuple of probabilities}`` for behaviour profiles of trees.

Written for pygambit 17 (``StrategicGame.from_arrays``, label-based players and strategies,
``H``-selectors and ``History`` objects for tree nodes; Gambit relabels duplicate or empty action
labels, so actions are matched by position, never by label). Importing this module needs
pygambit: tests that should skip without it use ``pytest.importorskip("gambit_oracle")`` or the
``gambit`` fixture of ``tests/conftest.py``.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pygambit as gbt
from pygambit import H

__all__ = [
    "VERSION",
    "CATALOG_DIR",
    "catalogue_files",
    "catalogue_game",
    "read_game",
    "strategic_game",
    "payoff_arrays",
    "player_labels",
    "strategy_labels",
    "nfg_text",
    "enummixed",
    "enumpure",
    "enumpoly",
    "gnm",
    "logit",
    "GambitTree",
    "last_seconds",
]

VERSION: str = gbt.__version__
last_seconds: float = 0.0
"""Wall-clock seconds spent inside pygambit's solver by the last solve of this module (without
building the game or converting the answer): what the benchmarks time."""
CATALOG_DIR: Path = Path(gbt.__file__).parent / "catalog_data"


# -- numbers ------------------------------------------------------------------------------------
def to_fraction(value: Any) -> Fraction:
    """Gambit's Rational, Decimal, int or numeric string -> Fraction (exact)."""
    if isinstance(value, Fraction):
        return Fraction(value.numerator, value.denominator)
    return Fraction(str(value))


def _to_gambit(value: Any, rational: bool) -> Any:
    if rational:
        x = Fraction(value) if not isinstance(value, float) else Fraction(str(value))
        return gbt.Rational(x.numerator, x.denominator)
    return float(value)


def _timed(fn: Any, *args: Any, **kwargs: Any) -> Any:
    global last_seconds
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    last_seconds = time.perf_counter() - t
    return out


# -- the catalogue and files --------------------------------------------------------------------
def catalogue_files(ext: str = "efg") -> list[Path]:
    """Every catalogue file of pygambit with suffix ``.ext``, sorted."""
    return sorted(CATALOG_DIR.rglob(f"*.{ext}"))


def catalogue_game(name: str) -> Any:
    """A catalogue game by its slug, e.g. ``"journals/ijgt/nau2004/sec4"``."""
    return gbt.catalog.load(name)


def read_game(path: str | os.PathLike) -> Any:
    """Gambit reads a ``.efg`` or ``.nfg`` file."""
    path = Path(path)
    if path.suffix == ".nfg":
        return gbt.read_nfg(str(path))
    return gbt.read_efg(str(path))


def _read_efg_text(text: str) -> Any:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "game.efg"
        p.write_text(text)
        return gbt.read_efg(str(p))


# -- strategic games ----------------------------------------------------------------------------
def strategic_game(*arrays: Any) -> Any:
    """A Gambit strategic game from one payoff array per player (ints, Fractions or floats;
    Gambit stores floats as the decimal of their ``str``)."""
    return gbt.StrategicGame.from_arrays(*[np.asarray(a, dtype=object) for a in arrays])


def payoff_arrays(game: Any) -> list[np.ndarray]:
    """The payoff tables of a Gambit game (strategic, or the reduced strategic form of a tree),
    as object arrays of Fractions, one per player."""
    return [np.vectorize(to_fraction, otypes=[object])(np.array(a, dtype=object)) for a in game.to_arrays()]


def player_labels(game: Any) -> list[str]:
    return list(game.players)


def strategy_labels(game: Any) -> list[tuple[str, ...]]:
    return [tuple(game.get_strategies(p)) for p in game.players]


def nfg_text(game: Any) -> str:
    """Gambit writes the game as ``.nfg``."""
    return game.to_nfg()


def _profile(game: Any, profile: Any, exact: bool) -> tuple[tuple[Any, ...], ...]:
    conv = to_fraction if exact else float
    return tuple(tuple(conv(x) for _, x in profile[p]) for p in game.players)


def _as_game(game_or_arrays: Any) -> Any:
    if isinstance(game_or_arrays, gbt.Game):
        return game_or_arrays
    return strategic_game(*game_or_arrays)


def enummixed(game_or_arrays: Any, rational: bool = True) -> list[tuple[tuple[Any, ...], ...]]:
    """Gambit's ``enummixed_solve`` (all extreme equilibria of a two-player game): one tuple of
    per-player probability tuples per equilibrium (Fractions if ``rational``, else floats)."""
    g = _as_game(game_or_arrays)
    res = _timed(gbt.nash.enummixed_solve, g, rational=rational)
    return [_profile(g, eq, rational) for eq in res.equilibria]


def enumpure(game_or_arrays: Any) -> list[tuple[tuple[Fraction, ...], ...]]:
    """Gambit's ``enumpure_solve`` on a strategic game: the pure equilibria, as 0/1 Fractions."""
    g = _as_game(game_or_arrays)
    return [_profile(g, eq, True) for eq in _timed(gbt.nash.enumpure_solve, g).equilibria]


def enumpoly(game_or_arrays: Any, maxregret: float = 1e-8) -> list[tuple[tuple[float, ...], ...]]:
    """Gambit's ``enumpoly_solve`` (support enumeration + polynomial systems), floats."""
    g = _as_game(game_or_arrays)
    return [
        _profile(g, eq, False) for eq in _timed(gbt.nash.enumpoly_solve, g, maxregret=maxregret).equilibria
    ]


def gnm(game_or_arrays: Any) -> list[tuple[tuple[float, ...], ...]]:
    """Gambit's ``gnm_solve`` (global Newton method), floats."""
    g = _as_game(game_or_arrays)
    return [_profile(g, eq, False) for eq in _timed(gbt.nash.gnm_solve, g).equilibria]


def logit(game_or_arrays: Any) -> list[tuple[tuple[float, ...], ...]]:
    """Gambit's ``logit_solve`` (the end of the principal QRE branch): zero or one profile."""
    g = _as_game(game_or_arrays)
    eq = _timed(gbt.nash.logit_solve, g).equilibrium
    return [] if eq is None else [_profile(g, eq, False)]


def solve_in_child(payoffs: list, solver: str) -> list:
    """For ``run_in_subprocess``: a named solver on float payoff tables, profiles as lists."""
    fn = {"enumpoly": enumpoly, "gnm": gnm, "logit": logit}[solver]
    arrays = [np.array(p, dtype=float) for p in payoffs]
    return [[list(per) for per in prof] for prof in fn(arrays)]


# -- trees --------------------------------------------------------------------------------------
Path_ = tuple[str, ...]  # a node: the labels of the actions from the root (Gambit's own labels)
InfosetKey = frozenset  # an information set: the paths of its member nodes


class GambitTree:
    """A Gambit extensive game seen as paths of action labels. Nodes are listed depth first
    (pre-order) as Gambit stores them; an information set is the frozenset of its members' paths.

    Build from a file (``GambitTree.read(path)``), from one of our ``ExtensiveGame`` (written as
    ``.efg`` with our writer and read back by Gambit: ``GambitTree.of(game)``) or from a
    catalogue slug (``GambitTree.catalogue(name)``).
    """

    def __init__(self, game: Any) -> None:
        self.game = game
        self.players: list[str] = list(game.players)
        self.nodes: list[Path_] = [h.actions for h in game.get_histories(H.after())]
        self._infoset: dict[Path_, InfosetKey | None] = {}

    # construction
    @classmethod
    def read(cls, path: str | os.PathLike) -> GambitTree:
        return cls(gbt.read_efg(str(path)))

    @classmethod
    def of(cls, game: Any) -> GambitTree:
        from bargaining.formats.efg import write_efg

        return cls(_read_efg_text(write_efg(game)))

    @classmethod
    def catalogue(cls, name: str) -> GambitTree:
        return cls(gbt.catalog.load(name))

    # structure
    def actions(self, node: Path_ = ()) -> list[str]:
        return self.game.get_actions(H.path(*node))

    def children(self, node: Path_ = ()) -> list[Path_]:
        return [(*node, a) for a in self.actions(node)]

    def is_terminal(self, node: Path_) -> bool:
        return not self.actions(node)

    def player(self, node: Path_) -> str | None:
        """The label of the player moving at ``node`` (Gambit's chance player has its own label),
        ``None`` at a terminal node."""
        return self.game.get_player(H.path(*node))

    def is_chance(self, node: Path_) -> bool:
        return bool(self.game.get_action_probs(H.path(*node)))

    def chance_probs(self, node: Path_ = ()) -> tuple[Fraction, ...]:
        probs = self.game.get_action_probs(H.path(*node))
        return tuple(to_fraction(probs[a]) for a in self.actions(node))

    def infoset(self, node: Path_) -> InfosetKey | None:
        """The information set (or chance event) of ``node``; ``None`` at a terminal node."""
        if node not in self._infoset:
            members = self.game.get_members(H.path(*node))
            self._infoset[node] = frozenset(m.actions for m in members) if members else None
        return self._infoset[node]

    def infosets(self, player: str) -> list[InfosetKey]:
        """The player's information sets in Gambit's order (first reached depth first)."""
        return [self.infoset(h.actions) for h in self.game.get_infosets(player)]

    def node_payoffs(self, node: Path_) -> tuple[Fraction, ...] | None:
        """The payoffs of the outcome attached at ``node`` (any node may carry one), or None."""
        label = self.game.get_outcome(H.path(*node))
        if label is None:
            return None
        pay = self.game.get_outcome_payoffs(label)
        return tuple(to_fraction(pay[p]) for p in self.players)

    def terminal_payoffs(self) -> list[tuple[Fraction, ...]]:
        """The payoffs of each terminal node, depth first, outcomes summed along the path."""
        out = []
        for node in self.nodes:
            if not self.is_terminal(node):
                continue
            acc = [Fraction(0)] * len(self.players)
            for k in range(len(node) + 1):
                pay = self.node_payoffs(node[:k])
                if pay is not None:
                    acc = [a + p for a, p in zip(acc, pay)]
            out.append(tuple(acc))
        return out

    def infoset_map(self, game: Any) -> dict[int, InfosetKey]:
        """Our information-set index -> Gambit's information set, matched through the nodes (both
        trees depth first): a file may number its information sets out of order. Asserts that
        the two trees have the same nodes and that the matching is consistent."""
        assert len(self.nodes) == len(game.nodes), (len(self.nodes), len(game.nodes))
        out: dict[int, InfosetKey] = {}
        for ours, theirs in zip(game.nodes, self.nodes):
            assert len(ours.children) == len(self.actions(theirs))
            if ours.kind == "decision":
                key = self.infoset(theirs)
                assert out.setdefault(ours.infoset, key) == key
        return out

    # profiles: {infoset key: tuple of action probabilities in Gambit's action order}
    def behavior_to_profile(self, game: Any, behavior: Sequence) -> dict[InfosetKey, tuple]:
        """Our behaviour profile (per player, per own information set, probabilities) as a
        profile keyed by Gambit's information sets."""
        where = self.infoset_map(game)
        return {
            where[k]: tuple(probs)
            for ids, per in zip(game.player_infosets, behavior)
            for k, probs in zip(ids, per)
        }

    def profile_to_behavior(self, game: Any, profile: Mapping[InfosetKey, tuple]) -> tuple:
        """A Gambit-keyed profile as our nested behaviour tuple."""
        where = self.infoset_map(game)
        return tuple(tuple(tuple(profile[where[k]]) for k in ids) for ids in game.player_infosets)

    def _gambit_profile(self, profile: Mapping[InfosetKey, Iterable], rational: bool) -> Any:
        prof = self.game.mixed_behavior_profile(rational=rational)
        for key, probs in profile.items():
            node = min(key)
            labels = self.actions(node)
            probs = list(probs)
            assert len(probs) == len(labels), (node, probs, labels)
            prof[H.path(*node)] = {a: _to_gambit(x, rational) for a, x in zip(labels, probs)}
        return prof

    def _from_gambit_profile(self, prof: Any, exact: bool) -> dict[InfosetKey, tuple]:
        conv = to_fraction if exact else float
        out = {}
        for p in self.players:
            for hist, mixed in prof[p]:
                out[self.infoset(hist.actions)] = tuple(conv(x) for _, x in mixed)
        return out

    def max_regret(self, profile: Mapping[InfosetKey, Iterable], rational: bool = True) -> Any:
        """Gambit's own max regret (Nash, on the tree) of a profile; every information set of
        every player must be given. Exact (Fraction) when ``rational``."""
        missing = {k for p in self.players for k in self.infosets(p)} - set(profile)
        assert not missing, f"profile misses information sets {missing}"
        r = self._gambit_profile(profile, rational).max_regret()
        return to_fraction(r) if rational else float(r)

    def behavior_regret(self, game: Any, behavior: Sequence) -> Fraction:
        """Gambit's exact max regret of our behaviour profile of ``game`` (the same tree)."""
        return self.max_regret(self.behavior_to_profile(game, behavior))

    def lcp(self, rational: bool = True) -> dict[InfosetKey, tuple]:
        """Gambit's ``lcp_solve`` on the tree (sequence form): one equilibrium."""
        res = _timed(gbt.nash.lcp_solve, self.game, rational=rational)
        assert res.equilibrium is not None, "Gambit's lcp_solve found no equilibrium"
        return self._from_gambit_profile(res.equilibrium, rational)

    def lcp_behavior(self, game: Any, rational: bool = True) -> tuple:
        """Gambit's ``lcp_solve`` equilibrium as our behaviour profile of ``game``."""
        return self.profile_to_behavior(game, self.lcp(rational=rational))

    @classmethod
    def from_efg_text(cls, text: str) -> GambitTree:
        return cls(_read_efg_text(text))

    def enumpure(self) -> list[dict[InfosetKey, tuple]]:
        """Gambit's ``enumpure_solve`` on the tree: pure Nash equilibria as behaviour profiles."""
        out = []
        for eq in _timed(gbt.nash.enumpure_solve, self.game).equilibria:
            prof = eq.as_behavior() if hasattr(eq, "as_behavior") else eq
            out.append(self._from_gambit_profile(prof, True))
        return out
