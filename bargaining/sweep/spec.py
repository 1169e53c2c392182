"""Sweep specification: the game source, the points, the concept and method, and the plan
(batched or per point). :func:`make_spec` validates the pieces a caller gives (the Python API,
``bargain sweep``, experiment files); :class:`SweepSpec` is everything that determines a
sweep's table and nothing that does not (its :meth:`~SweepSpec.signature` keys the resumable
store)."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bargaining.errors import BargainingError
from bargaining.numeric import jsonify, to_fraction
from bargaining.sweep.errors import SweepError
from bargaining.sweep.grid import PointSet

__all__ = [
    "DEFAULT_POINT_TIMEOUT",
    "BATCH_CHUNK",
    "SIGNALING_CHUNK",
    "FixedSource",
    "load_source",
    "source_hash",
    "source_parameters",
    "get_source",
    "SweepSpec",
    "plan",
    "default_chunk_size",
    "make_spec",
]

DEFAULT_POINT_TIMEOUT = 60.0


BATCH_CHUNK = 16384
#: points per chunk of a batched signaling sweep: smaller than BATCH_CHUNK, because each point
#: has ~2.7 rows of ~70 columns; 8192 keeps the workers' and the parent's peak memory low and
#: the parent's writing overlapped with the workers (benchmarks/sweep.py, signal part)
SIGNALING_CHUNK = 8192


# -- game sources ------------------------------------------------------------------------------
class FixedSource:
    """A game without parameters seen as a template (a Gambit file, a fixed game object)."""

    parameters: tuple = ()

    def __init__(self, game: Any, name: str = "game"):
        self.game = game
        self.name = name

    @property
    def hash(self) -> str:
        text = json.dumps(
            jsonify(self.game.describe()) if hasattr(self.game, "describe") else repr(self.game)
        )
        payoffs = getattr(self.game, "float_payoffs", None)
        if payoffs is not None:
            text += repr(np.asarray(payoffs).tolist())
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def with_params(self, **params: Any) -> Any:
        return self.game

    def check_constraints(self, params: Mapping[str, Any]) -> list[str]:
        return []


def load_source(game: str) -> tuple[Any, dict[str, str]]:
    """The template (or fixed game) named by ``game`` — a file path, a scenario name, or a
    canonical id ``name(k=v,...)`` — and the parameters fixed by the id."""
    from bargaining.formats.load import find_game_file, parse_game_id, unknown_game

    path = Path(game)
    id_params: dict[str, str] = {}
    if not path.is_file():
        name, id_params = parse_game_id(game)
        found = find_game_file(name)
        if found is None:
            if Path(name).suffix in (".nfg", ".efg", ".yaml", ".yml"):
                raise BargainingError(f"{name}: no such file")
            raise unknown_game(name)
        path = found
    if path.suffix.lower() in (".yaml", ".yml"):
        from bargaining.formats.yamlgame import load_template

        return load_template(path), id_params
    from bargaining.formats.load import load

    return FixedSource(load(path), name=path.stem), id_params


def source_hash(src: Any) -> str:
    h = getattr(src, "hash", None)
    if callable(h):
        h = h()
    return str(h) if h is not None else ""


def source_parameters(src: Any) -> list[Any]:
    return list(getattr(src, "parameters", ()) or ())


_SOURCES: dict[str, Any] = {}


def get_source(spec: SweepSpec) -> Any:
    if spec.source is not None:
        return spec.source
    src = _SOURCES.get(spec.game)
    if src is None:
        src = load_source(spec.game)[0]
        _SOURCES[spec.game] = src
    return src


# -- the spec ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SweepSpec:
    """Everything that determines a sweep's table (and nothing that does not)."""

    game: str
    points: PointSet
    concept: str | None = None
    method: str | None = None
    point_timeout: float | None = DEFAULT_POINT_TIMEOUT
    options: Mapping[str, Any] = field(default_factory=dict)
    mode: str = "point"  # "point" or "bimatrix" (batched), decided by :func:`plan`
    source: Any = None  # a template object (Python API, tests); None: load ``game`` by name

    def signature(self, game_hash: str) -> str:
        data = {
            "game": self.game,
            "hash": game_hash,
            "points": self.points.describe(),
            "concept": self.concept,
            "method": self.method,
            "point_timeout": self.point_timeout,
            "options": jsonify(dict(self.options)),
            "mode": self.mode,
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def plan(spec: SweepSpec, src: Any) -> SweepSpec:
    """Choose batched or per-point solving from the game at the first point."""
    if spec.method not in (None, "batch") or spec.options:
        return _replace(spec, mode="point")
    try:
        game = src.with_params(**spec.points.point(0)) if len(spec.points) else None
    except Exception:  # noqa: BLE001 - the per-point path will record the error
        game = None
    kind = getattr(game, "kind", None)
    if (
        kind == "normal"
        and game is not None
        and spec.concept in (None, "nash")
        and len(game.shape) == 2
        and sum(game.shape) <= 9
    ):
        return _replace(spec, mode="bimatrix")
    if (
        kind == "tree"
        and spec.concept in (None, "spe", "subgame-perfect")
        and getattr(game, "is_perfect_information", False)
        and getattr(src, "evaluate", None) is not None
        and isinstance(getattr(src, "body", None), dict)
    ):
        return _replace(spec, mode="tree")
    if (
        kind == "signaling"
        and spec.concept in (None, "pbe", "perfect-bayesian")
        and tuple(getattr(game, "shape", ())) == (2, 2, 2)
        and getattr(src, "evaluate", None) is not None
        and _have_signaling_batch()
    ):
        return _replace(spec, mode="signaling")
    if spec.method == "batch":
        raise SweepError(
            "only small two-player normal-form games, perfect-information trees and "
            "two-type 2x2 signaling games are solved in batches",
            option="method",
            value="batch",
        )
    return _replace(spec, mode="point")


def _have_signaling_batch() -> bool:
    try:
        import bargaining.solvers.signaling_batch  # noqa: F401
    except ImportError:
        return False
    return True


def _replace(spec: SweepSpec, **changes: Any) -> SweepSpec:
    from dataclasses import replace

    return replace(spec, **changes)


def default_chunk_size(spec: SweepSpec) -> int:
    n = len(spec.points)
    if spec.mode == "signaling":
        return SIGNALING_CHUNK
    if spec.mode != "point":
        return BATCH_CHUNK
    return int(min(256, max(1, math.ceil(n / 64))))


def make_spec(
    game: str | Any,
    *,
    fixed: Mapping[str, Any] | None = None,
    grid: list[str] | tuple[str, ...] = (),
    sample: int = 0,
    seed: int | None = None,
    concept: str | None = None,
    method: str | None = None,
    point_timeout: float | None = DEFAULT_POINT_TIMEOUT,
    options: Mapping[str, Any] | None = None,
) -> SweepSpec:
    """Build a validated :class:`SweepSpec` from CLI-style pieces. ``game`` is a name, path or
    canonical id, or a template object (then the sweep runs with that object)."""
    from bargaining.sweep.grid import parse_grid

    if isinstance(game, str):
        src, id_params = load_source(game)
        name, obj = game, None
    else:
        src, id_params, name, obj = game, {}, getattr(game, "name", type(game).__name__), game
    fixed = {**id_params, **dict(fixed or {})}
    for key, value in fixed.items():
        try:
            to_fraction(value)
        except (TypeError, ValueError):
            raise SweepError("not a number", option="fixed", value=f"{key}={value}") from None
    axes = [parse_grid(g) for g in grid]
    points = PointSet.build(source_parameters(src), fixed=fixed, axes=axes, sample_size=sample, seed=seed)
    validate = getattr(src, "validate_params", None)
    if validate is not None and len(points):
        validate({**points.point(0)})
    if point_timeout is not None and point_timeout <= 0:
        point_timeout = None
    return SweepSpec(
        game=name,
        points=points,
        concept=concept,
        method=method,
        point_timeout=point_timeout,
        options=dict(options or {}),
        source=obj,
    )
