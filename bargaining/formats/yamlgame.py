"""YAML game files → :class:`~bargaining.model.template.Template` (format: ``docs/game-format.md``).

The file is read with PyYAML's **safe** loader (no Python tags: ``!!python/object`` and friends
are refused), composed first so that every value keeps its line number for error messages. The
common top level (name, kind, title, parameters, constraints, ...) is validated here; every
number of the body is parsed into an :class:`~bargaining.model.template.Expression` (restricted
parser, never ``eval``) whose names must be declared parameters. The kind's builder turns an
evaluated body into a game (builders in :mod:`bargaining.formats.yaml_builders`, safe reading in
:mod:`bargaining.formats.yaml_reading`):

- ``normal``: :class:`~bargaining.model.normal.NormalFormGame` (built here, exact payoffs);
- ``tree``: ``ExtensiveGame.from_spec(body)``; a tree body may instead name a ``generator``
  (``chain-store``, ``kreps-wilson``) with ``arguments``: a repeated game whose size is a
  parameter, expanded here into a ``tree`` body (see :mod:`bargaining.formats.generators`);
- ``signaling``: ``SignalingGame.from_spec(body)``;
- ``model``: ``bargaining.model.bargaining.model_from_spec(model, arguments)``.

The other kinds' modules are imported lazily, so this module works before they exist.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bargaining.errors import BargainingError, FileFormatError
from bargaining.formats.textfile import read_game_text
from bargaining.formats.yaml_builders import BUILDERS
from bargaining.formats.yaml_reading import MAX_NODES, MAX_YAML_DEPTH, YamlContext, read_yaml
from bargaining.model.template import (
    Constraint,
    Expression,
    ExpressionError,
    Parameter,
    Template,
    names_in,
    parse_expression,
)
from bargaining.numeric import check_magnitude, shorten, to_fraction

__all__ = ["load_template", "parse_template", "KINDS", "COMMON_KEYS", "NUMERIC_KEYS", "MAX_YAML_DEPTH"]


KINDS = ("normal", "tree", "signaling", "model", "persuasion")
COMMON_KEYS = (
    "name",
    "kind",
    "title",
    "description",
    "source",
    "citation",
    "parameters",
    "constraints",
    "tie_break",
    "corrections",
    "notes",
)
# keys of the body whose values (recursively) are numbers or expressions
NUMERIC_KEYS = frozenset({"payoffs", "cells", "probs", "types", "prior", "arguments", "costs"})
_NODE_KEYS = ("player", "actions", "probs")


_RESERVED = frozenset({"min", "max", "abs", "if", "sqrt", "exp", "log"})


# ----------------------------------------------------------------------------------------------
# the common top level
# ----------------------------------------------------------------------------------------------


def _number(ctx: YamlContext, at: tuple, value: Any) -> Any:
    try:
        if isinstance(value, str):
            return parse_expression(value).value({})
        return check_magnitude(to_fraction(value))
    except (ExpressionError, TypeError, ValueError, OverflowError) as err:
        raise ctx.error(at, f"expected a number, got {shorten(str(value))!r} ({err})") from None


def _parse_range(ctx: YamlContext, at: tuple, value: Any) -> tuple[tuple | None, bool, bool]:
    if value is None:
        return None, False, False
    open_lo = open_hi = False
    if isinstance(value, str):
        text = value.strip()
        if len(text) < 5 or text[0] not in "[(" or text[-1] not in "])" or "," not in text:
            raise ctx.error(at, f"range {value!r}: write [lo, hi] or a string like '(0, 1]'")
        open_lo, open_hi = text[0] == "(", text[-1] == ")"
        value = [v.strip() for v in text[1:-1].split(",")]
        value = [None if v in ("", "-inf", "inf") else v for v in value]
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ctx.error(at, f"range must be [lo, hi], got {value!r}")
    lo = None if value[0] is None else _number(ctx, at + (0,), value[0])
    hi = None if value[1] is None else _number(ctx, at + (1,), value[1])
    if lo is not None and hi is not None and lo > hi:
        raise ctx.error(at, f"range [{lo}, {hi}] is empty: lo > hi")
    return (lo, hi), open_lo, open_hi


def _parse_parameters(ctx: YamlContext, raw: Any) -> tuple[Parameter, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ctx.error(("parameters",), "expected a list of {name, default, range, meaning}")
    out: list[Parameter] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        at = ("parameters", i)
        if not isinstance(item, dict):
            raise ctx.error(at, "each parameter is a mapping with name, default, range, meaning")
        unknown = set(item) - {"name", "default", "range", "meaning", "support", "integer"}
        if unknown:
            raise ctx.error(
                at + (sorted(unknown)[0],),
                "unknown key; parameters have name, default, range, meaning, support, integer",
            )
        name = item.get("name")
        if not isinstance(name, str) or not name.isidentifier() or not name[0].isalpha():
            raise ctx.error(at + ("name",), f"parameter name {name!r} must be a name like p or c_B")
        if name in _RESERVED:
            raise ctx.error(at + ("name",), f"{name!r} is a function name; choose another parameter name")
        if name in seen:
            raise ctx.error(at + ("name",), f"parameter {name!r} declared twice")
        seen.add(name)
        if "default" not in item:
            raise ctx.error(at, f"parameter {name!r} needs a default")
        default = _number(ctx, at + ("default",), item["default"])
        rng, open_lo, open_hi = _parse_range(ctx, at + ("range",), item.get("range"))
        p = Parameter(
            name=name,
            default=default,
            range=rng,
            meaning=str(item.get("meaning", "") or ""),
            support=str(item.get("support", "") or ""),
            open_lo=open_lo,
            open_hi=open_hi,
            integer=bool(item.get("integer", False)),
        )
        try:
            p.check(default, str(ctx.path))
        except BargainingError as err:
            raise ctx.error(at + ("default",), f"default outside the range: {err}") from None
        out.append(p)
    return tuple(out)


def _check_names(ctx: YamlContext, exprs: list[Expression], names: set[str]) -> None:
    for e in exprs:
        unknown = sorted(e.names - names)
        if unknown:
            known = ", ".join(sorted(names)) or "none declared"
            raise ExpressionError(
                f"{e.where}: unknown name {unknown[0]!r} in {e.text!r}; parameters: {known}"
            )


def _parse_body(ctx: YamlContext, value: Any, at: tuple, numeric: bool) -> Any:
    ctx.count += 1
    if ctx.count > MAX_NODES:
        raise ctx.error(at, f"more than {MAX_NODES} values (anchors expanding?)")
    if isinstance(value, dict):
        is_node = any(k in value for k in _NODE_KEYS) or (
            "payoffs" in value
            and not isinstance(value.get("payoffs"), (str, int, float))
            and numeric
            and _looks_terminal(value)
        )
        if numeric and not is_node:
            return {k: _parse_body(ctx, v, at + (k,), True) for k, v in value.items()}
        return {k: _parse_body(ctx, v, at + (k,), k in NUMERIC_KEYS) for k, v in value.items()}
    if isinstance(value, list):
        return [_parse_body(ctx, v, at + (i,), numeric) for i, v in enumerate(value)]
    if numeric:
        return parse_expression(value, ctx.where(at))
    return value


def _looks_terminal(d: dict) -> bool:
    # a terminal node inside a numeric region (signaling payoffs): {payoffs: [...], name: ...}
    return set(d) <= {"payoffs", "name", "label"}


def parse_template(
    data: Any, path: Path, lines: dict[tuple, int] | None = None, raw_bytes: bytes = b""
) -> Template:
    """A :class:`Template` from already-loaded YAML data (``lines``: path tuple → line)."""
    ctx = YamlContext(Path(path), lines or {})
    if not isinstance(data, dict):
        raise FileFormatError(
            path, 1, "not a game file: expected a mapping with 'kind: normal|tree|signaling|model'"
        )
    kind = data.get("kind")
    if kind not in KINDS:
        if kind is None:
            raise FileFormatError(path, 1, "not a game file: no 'kind' (normal, tree, signaling or model)")
        raise ctx.error(("kind",), f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    for key in ("title", "description", "source", "citation"):
        if key in data and data[key] is not None and not isinstance(data[key], str):
            raise ctx.error((key,), "expected text")
    name = data.get("name") or Path(path).stem
    if not isinstance(name, str):
        raise ctx.error(("name",), "expected text")
    params = _parse_parameters(ctx, data.get("parameters"))
    pnames = {p.name for p in params}

    constraints: list[Constraint] = []
    raw_c = data.get("constraints") or []
    if not isinstance(raw_c, list):
        raise ctx.error(("constraints",), "expected a list of {expr, why}")
    for i, c in enumerate(raw_c):
        at = ("constraints", i)
        text, why = (c.get("expr"), str(c.get("why", "") or "")) if isinstance(c, dict) else (c, "")
        e = parse_expression(text, ctx.where(at + (("expr",) if isinstance(c, dict) else ())))
        constraints.append(Constraint(e, why))
    _check_names(ctx, [c.expr for c in constraints], pnames)

    tie_break = data.get("tie_break")
    if tie_break is not None:
        if not isinstance(tie_break, dict) or not all(isinstance(v, list) for v in tie_break.values()):
            raise ctx.error(("tie_break",), "expected a mapping player -> [actions, most preferred first]")
        tie_break = {str(k): tuple(str(a) for a in v) for k, v in tie_break.items()}
    corrections = data.get("corrections") or []
    if not isinstance(corrections, list):
        raise ctx.error(("corrections",), "expected a list of texts")

    raw_body = {k: v for k, v in data.items() if k not in COMMON_KEYS}
    body = {k: _parse_body(ctx, v, (k,), k in NUMERIC_KEYS) for k, v in raw_body.items()}
    _check_names(ctx, names_in(body), pnames)

    builder, players = BUILDERS[kind](ctx, body)
    builder = _located(ctx, builder)
    template = Template(
        name=name,
        kind=kind,
        title=str(data.get("title") or name),
        description=str(data.get("description") or "").strip(),
        source=str(data.get("source") or ""),
        citation=str(data.get("citation") or ""),
        path=Path(path),
        parameters=params,
        constraints=tuple(constraints),
        tie_break=tie_break,
        corrections=tuple(str(c) for c in corrections),
        body=body,
        builder=builder,
        raw_bytes=raw_bytes,
        players=tuple(players),
    )
    if kind == "tree" and "generator" in body:  # the players of a generated tree depend on its size
        from dataclasses import replace

        from bargaining.formats.generators import GENERATORS

        spec = GENERATORS[body["generator"]][0](
            dict(template.evaluate_point({}).get("arguments") or {}), template
        )
        template = replace(template, players=tuple(spec["players"]))
    return template


def _node_path(ctx: YamlContext, message: str, body: Any = None) -> tuple | None:
    """The YAML path of the place a game builder's message starts with: ``root/In/Fight: ...``
    (a tree node by its action path), ``signaling game: the prior ...`` (the types),
    ``information set 'h' ...`` (the first node of ``h`` in ``body``), or ``None``."""
    head = message.split(":", 1)[0]
    if head == "root" or head.startswith("root/"):
        at: tuple = ("root",)
        for action in head.split("/")[1:]:
            at += ("actions", action)
        return at
    if "prior" in message:
        return ("types",) if ("types",) in ctx.lines else ("prior",)
    m = re.match(r"information set '([^']+)'", message)
    if m and isinstance(body, dict) and isinstance(body.get("root"), dict):
        return _infoset_node(body["root"], m.group(1), ("root",))
    return None


def _infoset_node(node: dict, label: str, at: tuple) -> tuple | None:
    """The YAML path of the first node (depth first) whose ``infoset`` is ``label``."""
    if str(node.get("infoset")) == label:
        return at + ("infoset",)
    for action, child in (node.get("actions") or {}).items():
        if isinstance(child, dict):
            found = _infoset_node(child, label, at + ("actions", action))
            if found is not None:
                return found
    return None


def _located(ctx: YamlContext, builder: Any) -> Any:
    """``builder`` whose errors name the game file (and the line of the field where known):
    the model classes check the evaluated game, and know neither the file nor the line."""

    def build(t: Template, ev: dict, point: dict) -> Any:
        try:
            return builder(t, ev, point)
        except FileFormatError:
            raise
        except BargainingError as err:
            message = str(err)
            if message.startswith(str(ctx.path)):
                raise
            at = _node_path(ctx, message, ev)
            line = ctx.line(at) if at is not None else None
            where = f"{ctx.path}:{line}" if line else str(ctx.path)
            try:
                new = type(err)(f"{where}: {message}")
            except TypeError:
                new = BargainingError(f"{where}: {message}")
            raise new from None

    return build


def load_template(path: str | Path) -> Template:
    """Read a YAML game file into a :class:`Template`. Errors name the file, line and field."""
    path = Path(path)
    raw, text = read_game_text(
        path, empty="not a game file (expected a mapping with 'kind: normal|tree|signaling|model')"
    )
    data, lines = read_yaml(path, text)
    return parse_template(data, path, lines, raw)
