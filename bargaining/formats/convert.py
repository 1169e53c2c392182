"""Conversions between game files: YAML → Gambit ``.nfg`` / ``.efg`` at fixed parameters, and
``.nfg`` / ``.efg`` (or any game) → YAML.

========================  ====================================================================
target                    what is written
========================  ====================================================================
``nfg``                   a normal-form game as is; a tree (or a signaling game, through its
                          tree) as its reduced strategic form
``efg``                   a tree; a signaling game through its tree; normal-form games have no
                          tree (error)
``yaml``                  ``kind: normal`` or ``kind: tree`` with plain numbers (exact values
                          as ``p/q`` strings where they are not terminating decimals), the
                          tree's information-set labels kept where a set has several nodes
========================  ====================================================================

Bargaining models (``kind: model``) have continuous moves and no finite form to convert to.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from bargaining.errors import BargainingError
from bargaining.formats.yamlgame import MAX_YAML_DEPTH
from bargaining.model.tree_builder import fold_tree
from bargaining.numeric import format_value

__all__ = ["convert", "game_to_yaml", "FORMATS"]

FORMATS = ("yaml", "efg", "nfg")


def _num(value: Any) -> Any:
    """A YAML-ready number: int, float (exact decimals and float games) or a ``"p/q"`` string."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return int(value.numerator)
        text = format_value(value)
        return float(text) if "/" not in text else text
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return int(value)
    f = float(value)
    return int(f) if f.is_integer() and abs(f) < 1e15 else f


def _tree_node(game: Any, v: int, built: list[dict[str, Any]]) -> dict[str, Any]:
    node = game.nodes[v]
    if node.kind == "terminal":
        out: dict[str, Any] = {}
        if node.name:
            out["name"] = node.name
        out["payoffs"] = [_num(x) for x in node.payoffs]
        return out
    actions = dict(zip(node.actions, built))
    if node.kind == "chance":
        out = {"player": "chance"}
        if node.name:
            out["name"] = node.name
        out["actions"] = actions
        out["probs"] = {a: _num(p) for a, p in zip(node.actions, node.probs)}
        return out
    h = game.infosets[node.infoset]
    out = {"player": game.players[node.player]}
    if len(h.nodes) > 1:
        out["infoset"] = h.label
    if node.name:
        out["name"] = node.name
    out["actions"] = actions
    return out


def _tree_depth(game: Any) -> int:
    depth = [0] * len(game.nodes)
    for node in game.nodes:  # preorder: a parent comes before its children
        if node.parent >= 0:
            depth[node.index] = depth[node.parent] + 1
    return max(depth, default=0)


def game_to_yaml(game: Any, name: str = "", source: str = "") -> str:
    """The YAML game file of a normal-form game or a tree (a signaling game: its tree)."""
    kind = getattr(game, "kind", None)
    if kind == "signaling":
        game = game.to_extensive()
        kind = "tree"
    doc: dict[str, Any] = {}
    if name:
        doc["name"] = name
    doc["kind"] = kind
    doc["title"] = getattr(game, "title", "") or name or "converted game"
    desc = getattr(game, "description", "") or getattr(game, "comment", "")
    if desc:
        doc["description"] = desc
    if source:
        doc["source"] = source
    if kind == "normal":
        import numpy as np

        doc["players"] = list(game.players)
        doc["strategies"] = {p: list(s) for p, s in zip(game.players, game.strategies)}
        pay = np.vectorize(_num, otypes=[object])(game.payoffs)
        doc["payoffs"] = {p: pay[i].tolist() for i, p in enumerate(game.players)}
    elif kind == "tree":
        doc["players"] = list(game.players)
        if getattr(game, "tie_break", None):
            doc["tie_break"] = {k: list(v) for k, v in game.tie_break.items()}
        depth = _tree_depth(game)
        if 2 * depth + 2 > MAX_YAML_DEPTH:
            raise BargainingError(
                f"the tree is {depth} levels deep; a YAML game file nests at most {MAX_YAML_DEPTH} levels "
                f"(two per tree level): convert it to efg instead"
            )
        doc["root"] = fold_tree(
            0, lambda v: game.nodes[v].children, lambda v, kids: _tree_node(game, v, kids)
        )
    else:
        raise BargainingError(
            f"cannot write a {kind} game as YAML by conversion: only normal-form games and trees"
        )
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None)


def _load(spec: str | os.PathLike, params: dict[str, Any]) -> tuple[Any, str, str]:
    from bargaining.formats.load import load, load_template, resolve

    path, id_params = resolve(spec)
    if path.suffix.lower() in (".yaml", ".yml"):
        template = load_template(path)
        point = {**id_params, **params}
        return template.with_params(**point), template.name, template.canonical_id(point)
    return load(spec, params), path.stem, str(path)


def convert(
    spec: str | os.PathLike,
    to: str,
    params: dict[str, Any] | None = None,
    out: str | os.PathLike | None = None,
) -> str:
    """Convert the game ``spec`` (path, name or canonical id; ``params`` set for YAML files) to
    ``to`` (``yaml``, ``efg``, ``nfg``); returns the text and writes it to ``out`` if given."""
    if to not in FORMATS:
        raise BargainingError(f"--to {to!r}: expected one of {', '.join(FORMATS)}")
    game, name, origin = _load(spec, dict(params or {}))
    kind = getattr(game, "kind", None)
    if kind == "model":
        raise BargainingError(
            f"{name}: a bargaining model has continuous moves; it cannot be converted to {to}"
        )
    if to == "yaml":
        text = game_to_yaml(game, name=Path(out).stem if out else name, source=f"converted from {origin}")
    elif to == "efg":
        from bargaining.formats.efg import write_efg

        if kind == "signaling":
            game = game.to_extensive()
        elif kind != "tree":
            raise BargainingError(f"{name}: a normal-form game has no tree; convert it to nfg or yaml")
        text = write_efg(game)
    else:
        from bargaining.formats.nfg import write_nfg

        if kind == "signaling":
            game = game.to_extensive()
            kind = "tree"
        if kind == "tree":
            from bargaining.model.strategic import reduced_strategic_form

            game = reduced_strategic_form(game).game
        text = write_nfg(game)
    if out is not None:
        from bargaining.output import write_text

        write_text(out, text)  # atomic: a failed write leaves no half file
    return text
