"""YAML game files → :class:`~bargaining.model.template.Template` (format: ``docs/game-format.md``).

The file is read with PyYAML's **safe** loader (no Python tags: ``!!python/object`` and friends
are refused), composed first so that every value keeps its line number for error messages. The
common top level (name, kind, title, parameters, constraints, ...) is validated here; every
number of the body is parsed into an :class:`~bargaining.model.template.Expression` (restricted
parser, never ``eval``) whose names must be declared parameters. The kind's builder turns an
evaluated body into a game:

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

import yaml

from bargaining.errors import BargainingError, FileFormatError
from bargaining.formats.textfile import read_game_text
from bargaining.model.template import (
    Constraint,
    Expression,
    ExpressionError,
    Parameter,
    Template,
    names_in,
    parse_expression,
)
from bargaining.numeric import check_magnitude, shorten, show_value, to_fraction

__all__ = ["load_template", "parse_template", "KINDS", "COMMON_KEYS", "NUMERIC_KEYS"]

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
_MAX_NODES = 200_000  # guards against alias bombs (YAML anchors that expand exponentially)
#: Deepest nesting of YAML mappings and lists in a game file (a tree node takes two levels:
#: the node and its ``actions``); checked on the event stream before anything is built.
MAX_YAML_DEPTH = 200
_MAX_ALIASES = 10_000
_RESERVED = frozenset({"min", "max", "abs", "if", "sqrt", "exp", "log"})


# ----------------------------------------------------------------------------------------------
# reading with line numbers
# ----------------------------------------------------------------------------------------------


def _check_shape(path: Path, text: str) -> None:
    """Refuse YAML nested deeper than :data:`MAX_YAML_DEPTH` or with more than
    :data:`_MAX_ALIASES` aliases, from the event stream (PyYAML's parser is iterative, its
    composer is recursive), before a node is composed."""
    depth = aliases = 0
    loader = yaml.SafeLoader(text)  # a ReaderError here is reported by the caller
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else None
                    raise FileFormatError(
                        path,
                        line,
                        f"nested deeper than {MAX_YAML_DEPTH} levels (a tree node takes two levels: "
                        "the node and its actions)",
                    )
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > _MAX_ALIASES:
                    line = event.start_mark.line + 1 if event.start_mark else None
                    raise FileFormatError(path, line, f"more than {_MAX_ALIASES} aliases (*name)")
    finally:
        loader.dispose()


def _read_yaml(path: Path, text: str) -> tuple[Any, dict[tuple, int]]:
    loader = None
    try:
        _check_shape(path, text)
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = (err.problem or err.context or "invalid YAML").strip()
        if "constructor" in problem or "tag" in problem:
            problem = f"{problem}: tags that build objects are not allowed in game files"
        raise FileFormatError(path, line, problem) from None
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        raise FileFormatError(path, line, f"character 0x{err.character:02x} is not allowed in YAML") from None
    except yaml.YAMLError as err:
        raise FileFormatError(path, None, f"invalid YAML: {str(err).splitlines()[0]}") from None
    except FileFormatError:
        raise
    except (ValueError, TypeError, OverflowError) as err:  # a scalar PyYAML cannot build (int digits, date)
        first = (str(err).splitlines() or [type(err).__name__])[0]
        if "integer string conversion" in first:
            first = "an integer with thousands of digits (numbers may have at most 400)"
        raise FileFormatError(path, None, f"invalid value: {shorten(first, 100)}") from None
    finally:
        if loader is not None:
            loader.dispose()
    lines: dict[tuple, int] = {}
    count = [0]

    def walk(n: Any, at: tuple) -> None:
        count[0] += 1
        if count[0] > _MAX_NODES:
            raise FileFormatError(path, None, f"more than {_MAX_NODES} values (anchors expanding?)")
        lines.setdefault(at, n.start_mark.line + 1)
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode):
                    walk(v, at + (k.value,))
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                walk(v, at + (i,))

    if node is not None:
        walk(node, ())
    return data, lines


def _field(at: tuple) -> str:
    out = ""
    for k in at:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out or "<top>"


class _Ctx:
    def __init__(self, path: Path, lines: dict[tuple, int]):
        self.path = path
        self.lines = lines
        self.count = 0

    def line(self, at: tuple) -> int | None:
        while at:
            if at in self.lines:
                return self.lines[at]
            at = at[:-1]
        return self.lines.get(())

    def error(self, at: tuple, message: str) -> FileFormatError:
        return FileFormatError(self.path, self.line(at), f"{_field(at)}: {message}")

    def where(self, at: tuple) -> str:
        line = self.line(at)
        return f"{self.path}{':' + str(line) if line else ''}: {_field(at)}"


# ----------------------------------------------------------------------------------------------
# the common top level
# ----------------------------------------------------------------------------------------------


def _number(ctx: _Ctx, at: tuple, value: Any) -> Any:
    try:
        if isinstance(value, str):
            return parse_expression(value).value({})
        return check_magnitude(to_fraction(value))
    except (ExpressionError, TypeError, ValueError, OverflowError) as err:
        raise ctx.error(at, f"expected a number, got {shorten(str(value))!r} ({err})") from None


def _parse_range(ctx: _Ctx, at: tuple, value: Any) -> tuple[tuple | None, bool, bool]:
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


def _parse_parameters(ctx: _Ctx, raw: Any) -> tuple[Parameter, ...]:
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


def _check_names(ctx: _Ctx, exprs: list[Expression], names: set[str]) -> None:
    for e in exprs:
        unknown = sorted(e.names - names)
        if unknown:
            known = ", ".join(sorted(names)) or "none declared"
            raise ExpressionError(
                f"{e.where}: unknown name {unknown[0]!r} in {e.text!r}; parameters: {known}"
            )


def _parse_body(ctx: _Ctx, value: Any, at: tuple, numeric: bool) -> Any:
    ctx.count += 1
    if ctx.count > _MAX_NODES:
        raise ctx.error(at, f"more than {_MAX_NODES} values (anchors expanding?)")
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
    ctx = _Ctx(Path(path), lines or {})
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

    builder, players = _BUILDERS[kind](ctx, body)
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


def _node_path(ctx: _Ctx, message: str, body: Any = None) -> tuple | None:
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


def _located(ctx: _Ctx, builder: Any) -> Any:
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
    data, lines = _read_yaml(path, text)
    return parse_template(data, path, lines, raw)


# ----------------------------------------------------------------------------------------------
# builders (static check at load time → (builder, players))
# ----------------------------------------------------------------------------------------------


def _labels(ctx: _Ctx, at: tuple, value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, (str, int)) for v in value):
        raise ctx.error(at, f"expected a non-empty list of {what}")
    out = [str(v) for v in value]
    if len(set(out)) != len(out):
        raise ctx.error(at, f"{what} must be distinct, got {show_value(out)}")
    return out


def _normal(ctx: _Ctx, body: dict) -> tuple[Any, list[str]]:
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


def _tree(ctx: _Ctx, body: dict) -> tuple[Any, list[str]]:
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


def _signaling(ctx: _Ctx, body: dict) -> tuple[Any, list[str]]:
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


def _scalar_arguments(ctx: _Ctx, args: dict | None) -> None:
    """Every argument of a model or generator is one number or expression (not a list)."""
    for key, value in (args or {}).items():
        if not isinstance(value, Expression):
            raise ctx.error(("arguments", key), "expected a number or an expression, not a list or mapping")


def _model(ctx: _Ctx, body: dict) -> tuple[Any, list[str]]:
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


def _persuasion(ctx: _Ctx, body: dict) -> tuple[Any, list[str]]:
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


_BUILDERS = {
    "normal": _normal,
    "tree": _tree,
    "signaling": _signaling,
    "model": _model,
    "persuasion": _persuasion,
}
