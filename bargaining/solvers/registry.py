"""The table of solution methods: name, game kinds, concept, function, what it guarantees.

Solver modules register their public functions here at import (the solver contract:
``fn(game, *, deadline, exact, <declared options>)``, no ``**kwargs``); :func:`bargaining.solvers.api.solve`
and ``bargain solve --method`` look methods up by name, and ``bargain methods`` lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

__all__ = ["Method", "register", "METHODS"]


@dataclass(frozen=True)
class Method:
    name: str  # CLI spelling, e.g. "enummixed"
    kinds: tuple[str, ...]  # game kinds: "normal", "tree", "signaling", "model"
    concept: str  # JSON concept: "nash", "subgame-perfect", "perfect-bayesian", ...
    #: ``function(game, *, deadline: Deadline, exact: bool, <options>) -> Solution``; the
    #: options are keyword-only with defaults, exactly the names in ``options``
    function: Callable
    summary: str  # one line: what it finds and when it is complete
    players: str = "any"  # "2", "n", "any": which numbers of players it handles
    options: Mapping[str, str] = field(default_factory=dict)  # option name -> one-line doc


METHODS: dict[str, Method] = {}


def register(method: Method) -> Method:
    METHODS[method.name] = method
    return method
