r"""Tree generators: repeated games whose size is a parameter, expanded into a ``kind: tree``
body (players + root, the schema of ``docs/game-format.md``) at a parameter point.

A game file names one with ``generator: NAME`` and passes its (evaluated) ``arguments``; the
file stays data, and the shape of the tree is fixed by this code, not by the file.

- ``chain-store`` (Selten 1978): an incumbent faces entrants :math:`E_1, \dots, E_N` in turn,
  each seeing the history. Stage game: entrant Out → (0, m); In → incumbent Fight
  (f_E, f_I) or Accommodate (b, a_I). The incumbent's payoff is the sum over markets, entrant k
  gets its own market's payoff. Backward induction gives the unique SPE when
  :math:`a_I > f_I` and :math:`b > 0`: enter and accommodate everywhere.
- ``kreps-wilson`` (Kreps & Wilson 1982, §2): the same chain with k markets and incomplete
  information. Nature makes the incumbent tough with probability p (weak otherwise); the
  incumbent knows its type, entrants see only the history of play (one information set per
  history, over the two types). Per market the entrant gets 0 (out), b (accommodated), b − 1
  (fought); the weak incumbent gets a (out), 0 (accommodate), −1 (fight); the tough incumbent
  gets a (out), −1 (accommodate), 0 (fight), so fighting is dominant for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from bargaining.errors import BargainingError

__all__ = ["GENERATORS", "chain_store_spec", "kreps_wilson_spec"]

MAX_CHAIN = 8
MAX_KW = 6


def _whole(args: Mapping[str, Any], name: str, lo: int, hi: int) -> int:
    if name not in args:
        raise BargainingError(f"generator argument {name!r} is missing")
    v = Fraction(args[name]) if not isinstance(args[name], float) else Fraction(str(args[name]))
    if v.denominator != 1 or not lo <= v <= hi:
        raise BargainingError(
            f"generator argument {name}={args[name]} must be a whole number in [{lo}, {hi}]"
        )
    return int(v)


def _arg(args: Mapping[str, Any], name: str) -> Any:
    if name not in args:
        raise BargainingError(f"generator argument {name!r} is missing")
    return args[name]


def chain_store_spec(args: Mapping[str, Any], template: Any = None) -> dict[str, Any]:
    """The chain-store tree with ``N`` markets (1 ≤ N ≤ 8): arguments N, b, f_E, m, a_I, f_I."""
    n = _whole(args, "N", 1, MAX_CHAIN)
    b, f_e, m, a_i, f_i = (_arg(args, k) for k in ("b", "f_E", "m", "a_I", "f_I"))
    players = ["Incumbent"] + [f"E{k + 1}" for k in range(n)]

    def node(k: int, inc: Any, ent: tuple, hist: str) -> dict[str, Any]:
        if k == n:
            return {"name": hist or "start", "payoffs": [inc, *ent]}

        def cont(extra_inc: Any, e: Any, h: str) -> dict[str, Any]:
            return node(k + 1, inc + extra_inc, (*ent, e), hist + h)

        return {
            "player": players[k + 1],
            "actions": {
                "Out": cont(m, 0, "O"),
                "In": {
                    "player": "Incumbent",
                    "actions": {"Fight": cont(f_i, f_e, "F"), "Accommodate": cont(a_i, b, "A")},
                },
            },
        }

    return {"players": players, "root": node(0, 0, (), "")}


def kreps_wilson_spec(args: Mapping[str, Any], template: Any = None) -> dict[str, Any]:
    """The Kreps–Wilson reputation game with ``k`` markets (1 ≤ k ≤ 6): arguments k, a, b, p."""
    k = _whole(args, "k", 1, MAX_KW)
    a, b, p = (_arg(args, x) for x in ("a", "b", "p"))
    players = ["Incumbent"] + [f"E{j + 1}" for j in range(k)]
    inc_pay = {  # per market: (out, accommodate, fight)
        "tough": (a, -1, 0),
        "weak": (a, 0, -1),
    }

    def node(t: str, j: int, inc: Any, ent: tuple, hist: str) -> dict[str, Any]:
        if j == k:
            return {"name": f"{t}:{hist or 'start'}", "payoffs": [inc, *ent]}
        out_p, acc_p, fight_p = inc_pay[t]
        return {
            "player": players[j + 1],
            "infoset": f"E{j + 1}:{hist or 'start'}",
            "actions": {
                "Out": node(t, j + 1, inc + out_p, (*ent, 0), hist + "O"),
                "In": {
                    "player": "Incumbent",
                    "infoset": f"{t}:{hist or 'start'}",
                    "actions": {
                        "Fight": node(t, j + 1, inc + fight_p, (*ent, b - 1), hist + "F"),
                        "Accommodate": node(t, j + 1, inc + acc_p, (*ent, b), hist + "A"),
                    },
                },
            },
        }

    root = {
        "player": "chance",
        "actions": {"tough": node("tough", 0, 0, (), ""), "weak": node("weak", 0, 0, (), "")},
        "probs": {"tough": p, "weak": 1 - p},
    }
    return {"players": players, "root": root}


# name -> (function(arguments, template) -> tree body, player names for listings)
GENERATORS: dict[str, tuple[Callable[..., dict[str, Any]], tuple[str, ...]]] = {
    "chain-store": (chain_store_spec, ("Incumbent", "E1", "...", "EN")),
    "kreps-wilson": (kreps_wilson_spec, ("Incumbent", "E1", "...", "Ek")),
}
