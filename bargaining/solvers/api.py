"""``solve(game, ...)``: the one entry point. Dispatches on the game's kind and picks the best
method for its size unless one is named.

=========  ==================  =============================================================
kind       default concept     default method
=========  ==================  =============================================================
normal     nash                2 players: ``enummixed`` (all extreme equilibria + components);
                               n players: ``enumpoly`` (all isolated equilibria, small games)
tree       subgame-perfect     ``backward`` (all SPE); ``--concept nash``: ``sequence`` (2p)
signaling  perfect-bayesian    ``pbe`` (all PBE families, intuitive criterion, D1)
model      subgame-perfect     the model's own closed form / numeric solver
=========  ==================  =============================================================
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from bargaining.errors import SolverError
from bargaining.model.base import is_game
from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Solution
from bargaining.solvers.budget import Deadline
from bargaining.solvers.registry import METHODS, Method
from bargaining.verify import certify  # the independent certificate (verify never imports solvers)

__all__ = ["solve", "methods_for", "default_concept", "check_concept", "check_options", "CONCEPTS"]

# CLI spelling -> JSON concept (docs/reference/solve.md)
CONCEPTS = {
    "nash": "nash",
    "spe": "subgame-perfect",
    "pbe": "perfect-bayesian",
    "sequential": "sequential",
    "perfect": "trembling-hand-perfect",
    "proper": "proper",
    "nash-bargaining": "nash-bargaining",
    "kalai-smorodinsky": "kalai-smorodinsky",
    "stackelberg": "stackelberg",
    "correlated": "correlated",
    "coarse-correlated": "coarse-correlated",
    "persuasion": "bayesian-persuasion",
    "repeated": "repeated-spe-payoffs",
}

_SOLVER_MODULES = (
    "bargaining.solvers.pure",
    "bargaining.solvers.bimatrix",
    "bargaining.solvers.enumpoly",
    "bargaining.solvers.logit",
    "bargaining.solvers.lemke",
    "bargaining.solvers.backward",
    "bargaining.solvers.sequence",
    "bargaining.solvers.signaling",
    "bargaining.solvers.models",
    "bargaining.solvers.sequential",
    "bargaining.solvers.agent_qre",
    "bargaining.solvers.reputation",
    "bargaining.solvers.perfect",
    "bargaining.solvers.stackelberg",
    "bargaining.solvers.correlated",
    "bargaining.solvers.persuasion",
    "bargaining.solvers.repeated",
)
_loaded = False


def _load_solvers() -> None:
    global _loaded
    if _loaded:
        return
    for name in _SOLVER_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:  # a real missing dependency, not a module not yet written
                raise
    _loaded = True


def _as_game(game: Any) -> Any:
    """A parametric template (``bargaining.load("name")``) stands for its game at the defaults."""
    to_game = getattr(game, "to_game", None)
    return to_game() if callable(to_game) else game


def game_kind(game: Any) -> str:
    """The game's ``kind`` (the :class:`~bargaining.model.base.Game` protocol)."""
    if type(game) is NormalFormGame:  # the common case, without the protocol's slow isinstance
        return game.kind
    if not is_game(game):
        raise SolverError(f"cannot solve {type(game).__name__}: not a game")
    return game.kind


def default_concept(game: Any) -> str:
    """The JSON concept a game is solved for when none is asked."""
    game = _as_game(game)
    return {
        "normal": "nash",
        "tree": "subgame-perfect",
        "signaling": "perfect-bayesian",
    }.get(game_kind(game), getattr(game, "default_concept", "subgame-perfect"))


def methods_for(game: Any, concept: str | None = None) -> list[Method]:
    """The registered methods that apply to ``game`` (and ``concept`` if given)."""
    _load_solvers()
    game = _as_game(game)
    kind = game_kind(game)
    out = []
    for m in METHODS.values():
        if kind not in m.kinds or (concept is not None and m.concept != concept):
            continue
        if m.players == "2" and game.num_players != 2:
            continue
        out.append(m)
    return out


def _default_method(game: Any, concept: str) -> str:
    kind = game_kind(game)
    if kind == "normal" and concept == "nash":
        if game.num_players == 2:
            return "enummixed"
        if "enumpoly" not in METHODS:
            return "enumpure"
        from bargaining.solvers.enumpoly import recommended_method  # enumpoly if small, else logit

        return recommended_method(game)
    if kind == "tree" and concept in ("sequential", "trembling-hand-perfect"):
        from bargaining.solvers.perfect import recommended_tree_method

        return recommended_tree_method(game, concept)
    if kind == "tree":
        if concept == "subgame-perfect":
            return "backward"
        if concept == "nash":
            return "sequence" if game.num_players == 2 and "sequence" in METHODS else "strategic"
    if kind == "signaling":
        return "pbe"
    if kind == "model":
        chooser = getattr(game, "method_for", None)  # a model may solve several concepts
        if chooser is not None:
            return chooser(concept)
        return getattr(game, "default_method", "model")
    candidates = methods_for(game, concept)
    if not candidates:
        raise SolverError(f"no method solves a {kind} game for concept {concept!r}")
    return candidates[0].name


_KIND_NAMES = {"normal": "a normal-form game", "tree": "a game tree", "signaling": "a signaling game"}


def check_concept(game: Any, concept: str, name: str | None = None) -> None:
    """Refuse a ``concept`` (CLI or JSON spelling) that no method of ``game`` solves, naming the
    concepts it offers in their CLI spelling; ``name`` is how the user called the game.
    Bargaining models choose their method per concept and are not checked here."""
    game = _as_game(game)
    kind = game_kind(game)
    if kind not in _KIND_NAMES:
        return
    concept = CONCEPTS.get(concept, concept)
    cli_name = {v: k for k, v in CONCEPTS.items()}
    order = list(cli_name)
    offered = sorted(
        {m.concept for m in methods_for(game)}, key=lambda c: order.index(c) if c in order else 99
    )
    if concept in offered or not offered:
        return
    default = default_concept(game)
    listed = " or ".join(
        f"--concept {cli_name.get(c, c)}" + (" (the default)" if c == default else "") for c in offered
    )
    raise SolverError(
        f"{name or 'this game'} is {_KIND_NAMES[kind]}: concept {cli_name.get(concept, concept)} "
        f"is not offered; use {listed}"
    )


def _nash_by_default(game: NormalFormGame, concept: str) -> bool:
    """True when :func:`check_concept` would pass without looking at every method: ``concept``
    is nash, the game has two players, and its default method ``enummixed`` is registered for
    normal-form nash (so it is among the methods offered)."""
    if concept != "nash" or game.num_players != 2:
        return False
    m = METHODS.get("enummixed")
    return m is not None and "normal" in m.kinds and m.concept == "nash"


def check_options(method: Method, options: dict[str, Any]) -> None:
    """Refuse an option that ``method`` does not declare (one line naming its options)."""
    for key in options:
        if key not in method.options:
            known = ", ".join(sorted(method.options)) or "none"
            raise SolverError(f"unknown option {key!r} for method {method.name}; its options: {known}")


def effective_options(method: Method, options: dict[str, Any], timeout: float | None) -> dict[str, Any]:
    """What the run used: ``timeout`` and every declared option (the given value, else the
    function's default), recorded as ``Solution.options``."""
    defaults = _defaults(method.function)
    out: dict[str, Any] = {"timeout": timeout}
    for name in method.options:
        if name in options:
            out[name] = options[name]
        elif name in defaults:
            out[name] = defaults[name]
    return out


_DEFAULTS: dict[Any, dict[str, Any]] = {}


def _defaults(function: Any) -> dict[str, Any]:
    """The keyword defaults of a method's function (read once per function: ``inspect`` is slow)."""
    got = _DEFAULTS.get(function)
    if got is None:
        params = inspect.signature(function).parameters
        got = {k: p.default for k, p in params.items() if p.default is not inspect.Parameter.empty}
        _DEFAULTS[function] = got
    return got


def solve(
    game: Any,
    *,
    concept: str | None = None,
    method: str | None = None,
    timeout: Any = None,
    exact: bool = False,
    **options: Any,
) -> Solution:
    """Solve ``game`` for ``concept`` (CLI or JSON spelling; default by kind) with ``method``
    (default: the best for the game's kind and size), and certify every equilibrium with the
    independent verifier (:func:`bargaining.verify.certify` sets ``regret``).

    ``timeout`` in seconds (``None``, 0 or ``"none"``: no limit; negative or NaN: an error) becomes
    the one :class:`~bargaining.solvers.budget.Deadline` the method polls. ``exact=True`` computes
    in rational arithmetic where the method supports it. ``options`` must be among the method's
    declared options (``Method.options``); the values used are recorded in ``Solution.options``."""
    if not _loaded:
        _load_solvers()
    plain = type(game) is NormalFormGame  # the common case: a game (not a template), nash by default
    if not plain:
        game = _as_game(game)
    # no timeout: the shared deadline that never expires (a Deadline holds no other state)
    deadline = Deadline.NONE if timeout is None else Deadline.from_timeout(timeout)
    given_concept = concept
    concept = CONCEPTS.get(concept, concept) if concept else "nash" if plain else default_concept(game)
    if method is None and not (plain and _nash_by_default(game, concept)):
        check_concept(game, concept)
    name = method or _default_method(game, concept)
    if name not in METHODS:
        known = ", ".join(sorted(m.name for m in methods_for(game))) or "none"
        raise SolverError(f"unknown method {name!r} for this game; methods: {known}")
    m = METHODS[name]
    if given_concept and method and m.concept != concept and game_kind(game) != "model":
        raise SolverError(f"method {name!r} finds {m.concept} equilibria, not {concept}: give one of the two")
    kind = game.kind if plain else game_kind(game)
    if kind not in m.kinds:
        raise SolverError(f"method {name!r} does not solve {kind} games (it solves {', '.join(m.kinds)})")
    if m.players == "2" and game.num_players != 2:
        raise SolverError(f"method {name!r} needs a two-player game; this one has {game.num_players}")
    if options:
        check_options(m, options)
    solution = m.function(game, deadline=deadline, exact=bool(exact), **options)
    return certify(game, solution, options=effective_options(m, options, deadline.timeout))
