"""The builders of :mod:`bargaining.formats.yamlgame`, one per ``kind`` (``normal``, ``tree``,
``signaling``, ``model``, ``persuasion``): each checks a parsed body statically at load time and
returns ``(builder, players)``, where ``builder`` turns an evaluated body into a game.
"""

from __future__ import annotations

from typing import Any

from bargaining.formats.yaml_reading import YamlContext
from bargaining.model.template import (
    Expression,
    Template,
)
from bargaining.numeric import show_value

__all__ = ["BUILDERS"]


# ----------------------------------------------------------------------------------------------
# builders (static check at load time → (builder, players))
# ----------------------------------------------------------------------------------------------


def _labels(ctx: YamlContext, at: tuple, value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, (str, int)) for v in value):
        raise ctx.error(at, f"expected a non-empty list of {what}")
    out = [str(v) for v in value]
    if len(set(out)) != len(out):
        raise ctx.error(at, f"{what} must be distinct, got {show_value(out)}")
    return out


def _normal(ctx: YamlContext, body: dict) -> tuple[Any, list[str]]:
    allowed = {"players", "strategies", "payoffs", "cells"}
    extra = sorted(set(body) - allowed)
    if extra:
        raise ctx.error(
            (extra[0],), "unknown key for kind: normal (expected players, strategies, payoffs or cells)"
        )
    players = _labels(ctx, ("players",), body.get("players"), "player names")
    raw_s = body.get("strategies")
    if isinstance(raw_s, dict):
        missing = [p for p in players if p not in raw_s]
        if missing:
            raise ctx.error(("strategies",), f"no strategies for player {missing[0]!r}")
        strategies = [_labels(ctx, ("strategies", p), raw_s[p], "strategy labels") for p in players]
    elif isinstance(raw_s, list) and len(raw_s) == len(players):
        strategies = [_labels(ctx, ("strategies", i), s, "strategy labels") for i, s in enumerate(raw_s)]
    else:
        raise ctx.error(("strategies",), "expected a mapping player -> [strategy labels]")
    shape = tuple(len(s) for s in strategies)
    n = len(players)
    if ("payoffs" in body) == ("cells" in body):
        raise ctx.error(("payoffs",), "give either payoffs (one array per player) or cells, not both/neither")

    import numpy as np

    if "payoffs" in body:
        pay = body["payoffs"]
        arrays: list[tuple[tuple[str, str | int], Any]]
        if isinstance(pay, dict):
            missing = [p for p in players if p not in pay]
            if missing:
                raise ctx.error(("payoffs",), f"no payoffs for player {missing[0]!r}")
            arrays = [(("payoffs", p), pay[p]) for p in players]
        elif isinstance(pay, list) and len(pay) == n:
            arrays = [(("payoffs", i), a) for i, a in enumerate(pay)]
        else:
            raise ctx.error(("payoffs",), "expected a mapping player -> nested array")
        for at, a in arrays:
            got = _shape_of(a)
            if got != shape:
                raise ctx.error(at, f"payoff array has shape {got}, expected {shape} (one axis per player)")
            if not _leaves_at_depth(a, len(shape)):
                raise ctx.error(at, f"payoff array is ragged: expected shape {shape}, one number per cell")

        def cells_of(ev: dict) -> list:
            p = ev["payoffs"]
            return [p[x] for x in (players if isinstance(p, dict) else range(n))]
    else:
        cells = body["cells"]
        if not isinstance(cells, dict):
            raise ctx.error(("cells",), "expected a mapping 'a, b' -> [payoff per player]")
        index: dict[tuple, str] = {}
        for key, val in cells.items():
            labels = [s.strip() for s in str(key).split(",")]
            at = ("cells", key)
            if len(labels) != n:
                raise ctx.error(at, f"cell {key!r} names {len(labels)} strategies, expected {n}")
            try:
                idx = tuple(strategies[i].index(lab) for i, lab in enumerate(labels))
            except ValueError:
                raise ctx.error(at, f"cell {key!r}: unknown strategy label") from None
            if not isinstance(val, list) or len(val) != n:
                raise ctx.error(at, f"expected {n} payoffs, one per player")
            if idx in index:
                raise ctx.error(at, f"cell {key!r} given twice")
            index[idx] = key
        absent = [i for i in np.ndindex(*shape) if i not in index]
        if absent:
            lab = ", ".join(strategies[i][k] for i, k in enumerate(absent[0]))
            raise ctx.error(("cells",), f"cell {lab!r} is missing")

        def cells_of(ev: dict) -> list:
            out = np.empty((n, *shape), dtype=object)
            for idx, key in index.items():
                for i in range(n):
                    out[(i, *idx)] = ev["cells"][key][i]
            return list(out)

    def build(t: Template, ev: dict, point: dict) -> Any:
        from bargaining.model.normal import NormalFormGame

        arrays = cells_of(ev)
        return NormalFormGame.from_arrays(
            *arrays,
            players=players,
            strategies=strategies,
            title=t.title,
            exact=True,
            description=t.description,
        )

    return build, players


def _shape_of(a: Any) -> tuple:
    """The shape of a nested list (``()`` for a scalar; a ragged list gets a short shape)."""
    if not isinstance(a, list):
        return ()
    if not a:
        return (0,)
    subs = {_shape_of(x) for x in a}
    return (len(a), *subs.pop()) if len(subs) == 1 else (len(a),)


def _leaves_at_depth(a: Any, depth: int) -> bool:
    """True when every number of the nested list ``a`` sits exactly ``depth`` levels down."""
    stack = [(a, 0)]
    while stack:
        x, d = stack.pop()
        if isinstance(x, list):
            if d >= depth:
                return False
            stack.extend((y, d + 1) for y in x)
        elif d != depth:
            return False
    return True


def _tree(ctx: YamlContext, body: dict) -> tuple[Any, list[str]]:
    if "generator" in body:
        from bargaining.formats.generators import GENERATORS

        gen = body["generator"]
        extra = sorted(set(body) - {"generator", "arguments"})
        if extra:
            raise ctx.error((extra[0],), "a generated tree has only 'generator' and 'arguments'")
        if gen not in GENERATORS:
            raise ctx.error(
                ("generator",), f"unknown generator {gen!r}: one of {', '.join(sorted(GENERATORS))}"
            )
        make, generated_players = GENERATORS[gen]
        if body.get("arguments") is not None and not isinstance(body["arguments"], dict):
            raise ctx.error(("arguments",), "expected a mapping argument -> expression")
        _scalar_arguments(ctx, body.get("arguments"))

        def build_generated(t: Template, ev: dict, point: dict) -> Any:
            from bargaining.model.extensive import ExtensiveGame

            spec = make(dict(ev.get("arguments") or {}), t)
            return ExtensiveGame.from_spec(_with_meta(spec, t))

        return build_generated, list(generated_players)
    players = _labels(ctx, ("players",), body.get("players"), "player names")
    if not isinstance(body.get("root"), dict):
        raise ctx.error(("root",), "a tree needs a root node (player/actions or payoffs)")

    def build(t: Template, ev: dict, point: dict) -> Any:
        from bargaining.model.extensive import ExtensiveGame

        return ExtensiveGame.from_spec(_with_meta(ev, t))

    return build, players


def _with_meta(spec: dict, t: Template) -> dict:
    out = dict(spec)
    out.setdefault("title", t.title)
    out.setdefault("description", t.description)
    if t.tie_break is not None:
        out.setdefault("tie_break", {k: list(v) for k, v in t.tie_break.items()})
    return out


def _signaling(ctx: YamlContext, body: dict) -> tuple[Any, list[str]]:
    pl = body.get("players")
    if isinstance(pl, dict) and "sender" in pl and "receiver" in pl:
        players = [str(pl["sender"]), str(pl["receiver"])]
    elif isinstance(pl, list):
        players = [str(p) for p in pl]
    else:
        raise ctx.error(("players",), "expected {sender: NAME, receiver: NAME}")

    def build(t: Template, ev: dict, point: dict) -> Any:
        from bargaining.model.signaling import SignalingGame

        return SignalingGame.from_spec(_with_meta(ev, t))

    return build, players


def _scalar_arguments(ctx: YamlContext, args: dict | None) -> None:
    """Every argument of a model or generator is one number or expression (not a list)."""
    for key, value in (args or {}).items():
        if not isinstance(value, Expression):
            raise ctx.error(("arguments", key), "expected a number or an expression, not a list or mapping")


def _model(ctx: YamlContext, body: dict) -> tuple[Any, list[str]]:
    model = body.get("model")
    if not isinstance(model, str):
        raise ctx.error(("model",), "expected the name of a built-in model, e.g. rubinstein")
    from bargaining.model.bargaining import MODELS

    if model not in MODELS:
        import difflib

        close = difflib.get_close_matches(model, list(MODELS), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ctx.error(
            ("model",), f"unknown model {model!r}; {hint}built-in models: {', '.join(sorted(MODELS))}"
        )
    args = body.get("arguments")
    if args is not None and not isinstance(args, dict):
        raise ctx.error(("arguments",), "expected a mapping argument -> expression")
    _scalar_arguments(ctx, args)
    players = [str(p) for p in body.get("players", [])] if isinstance(body.get("players"), list) else []

    def build(t: Template, ev: dict, point: dict) -> Any:
        from bargaining.model.bargaining import model_from_spec

        arguments = ev.get("arguments")
        if arguments is None:  # every parameter is passed by its name
            arguments = point
        return model_from_spec(model, dict(arguments), players=players or None, title=t.title or None)

    return build, players


def _persuasion(ctx: YamlContext, body: dict) -> tuple[Any, list[str]]:
    """``kind: persuasion``: players [sender, receiver], states, actions, prior (list or
    mapping state -> probability), payoffs[state][action] = [sender, receiver]."""
    extra = sorted(set(body) - {"players", "states", "actions", "prior", "payoffs"})
    if extra:
        raise ctx.error(
            (extra[0],),
            "unknown key for kind: persuasion (expected players, states, actions, prior, payoffs)",
        )
    players = _labels(ctx, ("players",), body.get("players"), "player names (sender, receiver)")
    if len(players) != 2:
        raise ctx.error(("players",), "a persuasion problem has two players: [sender, receiver]")
    states = _labels(ctx, ("states",), body.get("states"), "state labels")
    actions = _labels(ctx, ("actions",), body.get("actions"), "action labels")
    if not isinstance(body.get("payoffs"), dict):
        raise ctx.error(("payoffs",), "expected a mapping state -> action -> [sender, receiver]")

    def build(t: Template, ev: dict, point: dict) -> Any:
        from bargaining.model.persuasion import PersuasionProblem

        prior = ev.get("prior")
        if isinstance(prior, dict):
            prior = [prior.get(s) for s in states]
        return PersuasionProblem.from_spec(
            states,
            actions,
            prior or [],
            ev["payoffs"],
            players=tuple(players),
            title=t.title,
            description=t.description,
        )

    return build, players


BUILDERS = {
    "normal": _normal,
    "tree": _tree,
    "signaling": _signaling,
    "model": _model,
    "persuasion": _persuasion,
}
