"""The table of solution methods: name, game kinds, concept, function, what it guarantees.

Solver modules register their public functions here at import; :func:`bargaining.solvers.api.solve`
and ``bargain solve --method`` look methods up by name, and ``bargain methods`` lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Method", "register", "METHODS"]


@dataclass(frozen=True)
class Method:
    name: str  # CLI spelling, e.g. "enummixed"
    kinds: tuple[str, ...]  # game kinds: "normal", "tree", "signaling", "model"
    concept: str  # JSON concept: "nash", "subgame-perfect", "perfect-bayesian", ...
    function: Callable  # function(game, **options) -> Solution
    summary: str  # one line: what it finds and when it is complete
    players: str = "any"  # "2", "n", "any": which numbers of players it handles


METHODS: dict[str, Method] = {}


def register(method: Method) -> Method:
    METHODS[method.name] = method
    return method
