"""The sweep engine: solve a parametric game at every point of a grid or sample.

``run_sweep(spec, out, ...)`` splits the numbered points (:mod:`bargaining.sweep.grid`) into
chunks of consecutive indices, computes the pending chunks on an executor
(:mod:`bargaining.sweep.executors`) and stores each in the resumable store
(:mod:`bargaining.sweep.store`), then merges the final tables.

One chunk, :func:`solve_chunk`, is a pure function of the spec and the index range:

- **batched** (default method; the template's body is evaluated once over the chunk with
  ``Template.evaluate``, numpy arrays, no Python loop over points in the solver):
  small two-player normal-form games (concept ``nash``) by
  :func:`bargaining.solvers.batch.bimatrix_equilibria` (all extreme equilibria);
  perfect-information trees (concept ``spe``) by :func:`bargaining.solvers.batch.tree_spe_stack`
  (points with ties, i.e. several SPE, go through the per-point ``backward`` solver);
  two-type 2×2 signaling games (concept ``pbe``) by
  :func:`bargaining.solvers.signaling_batch.solve_batch` (PBE families, intuitive criterion, D1;
  ``complete`` is false at boundary points where the batch reports the generic limit);
  ``--method NAME`` forces per-point solving with that method;
- **per point** elsewhere: ``template.with_params(**point)`` then
  :func:`bargaining.solvers.api.solve` with the per-point timeout (default 60 s; solvers stop
  cooperatively at their deadline, and a hard ``SIGALRM`` stop a little later catches solvers
  that cannot poll, where the platform allows it). A point that raises or times out becomes one
  row with its ``error`` and the sweep goes on.

Rows (CONTRACTS.md §Sweeps): ``point`` (the point's index), the parameters, ``equilibrium``
(0-based), ``label``, refinement flags, ``p:<player>:<strategy>`` probabilities, ``payoff:<player>``,
``regret``, ``complete``, ``constraints_ok``, ``error``. A point with no equilibrium (or an error)
still has one row, with ``equilibrium`` empty. Labels of normal-form equilibria carry the profile
in words, e.g. ``pure (F, C)`` or ``mixed (F+S, C+A)`` (the supports), so regimes distinguish
different pure outcomes. The regime table has one row per point: parameters, ``regime`` (the
sorted set of labels joined by ``; ``), ``equilibria`` (their number), ``complete``,
``constraints_ok`` and ``error``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shlex
import signal
import sys
import threading
import time
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bargaining import __version__
from bargaining.errors import BargainingError
from bargaining.numeric import jsonify, to_fraction
from bargaining.sweep.executors import run_tasks
from bargaining.sweep.grid import PointSet
from bargaining.sweep.store import ResultStore, output_paths, read_table

__all__ = [
    "SweepSpec",
    "ChunkResult",
    "solve_chunk",
    "run_sweep",
    "load_source",
    "FixedSource",
    "DEFAULT_POINT_TIMEOUT",
]

DEFAULT_POINT_TIMEOUT = 60.0
BATCH_CHUNK = 16384
REGIME_SEPARATOR = "; "


# -- game sources ------------------------------------------------------------------------------
class FixedSource:
    """A game without parameters seen as a template (a Gambit file, a fixed game object)."""

    parameters: tuple = ()

    def __init__(self, game: Any, name: str = "game"):
        self.game = game
        self.name = name

    @property
    def hash(self) -> str:
        text = json.dumps(jsonify(self.game.describe()) if hasattr(self.game, "describe") else repr(self.game))
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


def _source_hash(src: Any) -> str:
    h = getattr(src, "hash", None)
    if callable(h):
        h = h()
    return str(h) if h is not None else ""


def _parameters(src: Any) -> list[Any]:
    return list(getattr(src, "parameters", ()) or ())


_SOURCES: dict[str, Any] = {}


def _get_source(spec: SweepSpec) -> Any:
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
    if kind == "normal" and spec.concept in (None, "nash") and len(game.shape) == 2 and sum(game.shape) <= 9:
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
        raise BargainingError(
            "--method batch: only small two-player normal-form games, perfect-information trees and "
            "two-type 2x2 signaling games are solved in batches"
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
    if spec.mode != "point":
        return BATCH_CHUNK
    return int(min(256, max(1, math.ceil(n / 64))))


# -- one chunk ---------------------------------------------------------------------------------
@dataclass
class ChunkResult:
    k: int
    rows: dict[str, Any]
    regimes: dict[str, Any]
    n_points: int
    n_errors: int


class PointTimeout(Exception):
    pass


@contextmanager
def _hard_timeout(seconds: float | None):
    """Raise :class:`PointTimeout` after ``seconds`` (main thread on POSIX only; else no-op)."""
    usable = (
        seconds
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def handler(signum, frame):
        raise PointTimeout

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _one_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    msg = text[0] if text else ""
    return f"{type(err).__name__}: {msg}" if msg else type(err).__name__


def _cell(value: Any) -> Any:
    value = jsonify(value, False)
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return value


def _constraints_ok(src: Any, point: Mapping[str, float]) -> bool | None:
    check = getattr(src, "check_constraints", None)
    if check is None:
        return None
    try:
        return not check(dict(point))
    except Exception:  # noqa: BLE001 - a broken constraint is not the point's error
        return None


def _columns(rows: list[dict[str, Any]]) -> dict[str, list]:
    names: list[str] = []
    seen: set[str] = set()
    for r in rows:
        for key in r:
            if key not in seen:
                seen.add(key)
                names.append(key)
    return {name: [r.get(name) for r in rows] for name in names}


def _regime(labels: list[str]) -> str:
    return REGIME_SEPARATOR.join(sorted(set(labels))) if labels else "(none)"


def _solve_point(spec: SweepSpec, src: Any, point: dict[str, float]):
    from bargaining.formats.render import equilibrium_rows
    from bargaining.solvers.api import solve

    timeout = spec.point_timeout or None
    start = time.monotonic()
    try:
        grace = None if timeout is None else timeout * 1.25 + 1.0
        with _hard_timeout(grace):
            game = src.with_params(**point)
            sol = solve(game, concept=spec.concept, method=spec.method, timeout=timeout, **spec.options)
        rows = equilibrium_rows(sol)
        error = None
        if not sol.complete and timeout is not None and time.monotonic() - start >= timeout:
            error = f"timeout after {timeout:g} s: the equilibria found so far are listed"
        return rows, error
    except PointTimeout:
        return [], f"timeout after {timeout:g} s"
    except Exception as err:  # noqa: BLE001 - recorded in the row, the sweep goes on
        return [], _one_line(err)


def solve_chunk(spec: SweepSpec, k: int, start: int, stop: int) -> ChunkResult:
    """Solve points ``start..stop-1`` (chunk ``k``); rows sorted by point, then equilibrium."""
    src = _get_source(spec)
    params = spec.points.points(start, stop)
    if spec.mode == "bimatrix":
        return _solve_chunk_bimatrix(spec, src, k, start, stop, params)
    if spec.mode == "signaling":
        try:
            return _solve_chunk_signaling(spec, src, k, start, stop, params)
        except _NotAStack:
            pass  # some point has no game (a prior that does not sum to 1): point by point
    if spec.mode == "tree":
        try:
            return _solve_chunk_tree(spec, src, k, start, stop, params)
        except _NotAStack:
            pass  # the template's body does not map onto the tree: solve point by point
    rows: list[dict[str, Any]] = []
    regimes: list[dict[str, Any]] = []
    n_errors = 0
    names = list(params)
    for j in range(stop - start):
        point = {name: float(params[name][j]) for name in names}
        head = {"point": start + j, **point}
        ok = _constraints_ok(src, point)
        eq_rows, error = _solve_point(spec, src, point)
        n_errors += error is not None
        if not eq_rows:
            rows.append({**head, "equilibrium": None, "label": None, "complete": False if error else True,
                         "constraints_ok": ok, "error": error})
        for r in eq_rows:
            rows.append({**head, **{key: _cell(v) for key, v in r.items()}, "constraints_ok": ok, "error": error})
        complete = bool(eq_rows[0]["complete"]) if eq_rows else error is None
        regimes.append({**head, "regime": None if (error and not eq_rows) else _regime([r["label"] for r in eq_rows]),
                        "equilibria": len(eq_rows), "complete": complete and error is None,
                        "constraints_ok": ok, "error": error})
    return ChunkResult(k, _columns(rows), _columns(regimes), stop - start, n_errors)


def _build_stack(src: Any, params: dict[str, np.ndarray], n: int):
    """The chunk's games as a payoff stack ``(n, players, s_1, s_2)``, with the game at the
    first good point (for labels), the per-point error messages and ``constraints_ok`` flags.

    A YAML template is evaluated once over the whole chunk (``Template.evaluate``: numpy
    arrays, no loop over points); other sources are built point by point. Points outside a
    parameter's range or with an undefined payoff get the same error as the per-point path."""
    names = list(params)
    errors: list[str | None] = [None] * n
    first = None
    stack = None
    evaluate = getattr(src, "evaluate", None)
    body = getattr(src, "body", None)
    if evaluate is not None and isinstance(body, dict) and getattr(src, "kind", None) == "normal":
        bad = np.zeros(n, dtype=bool)
        for p in _parameters(src):
            if p.name in params and p.range is not None:
                v, (lo, hi) = params[p.name], p.range
                if lo is not None:
                    bad |= (v < float(lo)) | ((v == float(lo)) & bool(getattr(p, "open_lo", False)))
                if hi is not None:
                    bad |= (v > float(hi)) | ((v == float(hi)) & bool(getattr(p, "open_hi", False)))
        for j in range(n):
            if bad[j] or first is None:
                try:
                    g = src.with_params(**{name: float(params[name][j]) for name in names})
                    first = first if first is not None else g
                except Exception as err:  # noqa: BLE001
                    errors[j] = _one_line(err)
        if first is not None:
            try:
                stack = _evaluate_normal(src, first, params)
            except Exception:  # noqa: BLE001 - an unexpected body layout: build point by point
                stack = None
        if stack is not None:
            undefined = ~np.all(np.isfinite(stack.reshape(n, -1)), axis=1)
            for j in np.flatnonzero(undefined):
                if errors[j] is None:
                    try:
                        src.with_params(**{name: float(params[name][j]) for name in names})
                        errors[j] = "GameValidationError: a payoff is undefined at this point"
                    except Exception as err:  # noqa: BLE001
                        errors[j] = _one_line(err)
            ok = _constraints_vector(src, params, n)
            return stack, first, errors, ok
    games: list[Any] = [None] * n
    for j in range(n):
        try:
            games[j] = src.with_params(**{name: float(params[name][j]) for name in names})
        except Exception as err:  # noqa: BLE001
            errors[j] = _one_line(err)
    good = [j for j in range(n) if games[j] is not None]
    if not good:
        return None, None, errors, [None] * n
    first = games[good[0]]
    if any(games[j].shape != first.shape or games[j].kind != "normal" for j in good):
        raise _NotAStack
    stack = np.full((n, *first.float_payoffs.shape), np.nan)
    for j in good:
        stack[j] = games[j].float_payoffs
    ok = [_constraints_ok(src, {name: float(params[name][j]) for name in names}) for j in range(n)]
    return stack, first, errors, ok


class _NotAStack(Exception):
    pass


def _evaluate_normal(src: Any, first: Any, params: dict[str, np.ndarray]) -> np.ndarray:
    """Evaluate a normal-form template's body over the chunk: ``(n, players, *shape)``."""
    n = len(next(iter(params.values())))
    ev = src.evaluate(params)
    players, strategies = list(first.players), [list(s) for s in first.strategies]
    shape = tuple(len(s) for s in strategies)
    out = np.empty((n, len(players), *shape))
    if "payoffs" in ev:
        pay = ev["payoffs"]
        for i, pl in enumerate(players):
            arr = np.asarray(pay[pl] if isinstance(pay, dict) else pay[i], dtype=float)  # (*shape, n)
            out[:, i] = np.moveaxis(np.broadcast_to(arr, (*shape, n)), -1, 0)
    else:
        for key, vals in ev["cells"].items():
            labels = [s.strip() for s in str(key).split(",")]
            idx = tuple(strategies[i].index(lab) for i, lab in enumerate(labels))
            for i in range(len(players)):
                out[(slice(None), i, *idx)] = np.broadcast_to(np.asarray(vals[i], dtype=float), (n,))
    return out


def _constraints_vector(src: Any, params: dict[str, np.ndarray], n: int) -> list[bool | None]:
    constraints = getattr(src, "constraints", None)
    if not constraints:
        return [True] * n if constraints is not None else [None] * n
    env = {p.name: np.full(n, float(p.default)) for p in _parameters(src)}
    env.update(params)
    ok = np.ones(n, dtype=bool)
    for c in constraints:
        with np.errstate(all="ignore"):
            ok &= np.broadcast_to(np.asarray(c.expr.array(env)) != 0, (n,))
    return ok.tolist()


def _solve_chunk_bimatrix(spec: SweepSpec, src: Any, k: int, start: int, stop: int, params) -> ChunkResult:
    from bargaining.solvers.batch import bimatrix_equilibria

    n = stop - start
    try:
        stack, first, errors, ok = _build_stack(src, params, n)
    except _NotAStack:
        return solve_chunk(_replace(spec, mode="point"), k, start, stop)
    if first is not None and (first.kind != "normal" or len(first.shape) != 2):
        return solve_chunk(_replace(spec, mode="point"), k, start, stop)
    good = [j for j in range(n) if errors[j] is None]
    if good:
        res = bimatrix_equilibria(stack[good, 0], stack[good, 1])
    point_of = np.asarray(good, dtype=np.int64)
    players = list(first.players) if first is not None else []
    strategies = [list(s) for s in first.strategies] if first is not None else []
    if good and len(good) == n and np.all(res.count > 0):
        return _bimatrix_columns(k, start, n, params, res, players, strategies, ok)
    # equilibrium rows, columnar, then interleave the rows of points without equilibria
    E = len(res.game) if good else 0
    eq_point = point_of[res.game] if E else np.zeros(0, dtype=np.int64)
    empty = np.setdiff1d(np.arange(n), eq_point)  # errors and (impossibly) games with none
    all_point = np.concatenate([eq_point, empty])
    order = np.argsort(all_point, kind="stable")
    total = len(all_point)

    def col(eq_values, fill):
        out = np.empty(total, dtype=object)
        out[:E] = list(eq_values) if E else []
        out[E:] = fill
        return out[order].tolist()

    rows: dict[str, Any] = {"point": (start + all_point[order]).tolist()}
    for name, vals in params.items():
        rows[name] = vals[all_point[order]].tolist()
    rows["equilibrium"] = col(res.index.tolist() if E else [], None)
    labels = []
    if E:
        mixed = res.mixed
        for e in range(E):
            parts = []
            for labs, probs in ((strategies[0], res.x[e]), (strategies[1], res.y[e])):
                parts.append("+".join(str(lab) for lab, p in zip(labs, probs) if p > 0))
            labels.append(f"{'mixed' if mixed[e] else 'pure'} ({', '.join(parts)})")
    rows["label"] = col(labels, None)
    for i, player in enumerate(players):
        probs = res.x if i == 0 else res.y
        for s, lab in enumerate(strategies[i]):
            rows[f"p:{player}:{lab}"] = col(probs[:, s].tolist() if E else [], None)
    for i, player in enumerate(players):
        rows[f"payoff:{player}"] = col(res.payoffs[:, i].tolist() if E else [], None)
    rows["regret"] = col(res.regret.tolist() if E else [], None)
    rows["complete"] = col([True] * E, False)
    ok_arr = np.asarray(ok, dtype=object)
    rows["constraints_ok"] = ok_arr[all_point[order]].tolist()
    err_arr = np.asarray(errors, dtype=object)
    rows["error"] = err_arr[all_point[order]].tolist()
    # regimes
    by_point: list[list[str]] = [[] for _ in range(n)]
    for e in range(E):
        by_point[int(eq_point[e])].append(labels[e])
    reg: dict[str, Any] = {"point": list(range(start, stop))}
    for name, vals in params.items():
        reg[name] = vals.tolist()
    reg["regime"] = [None if errors[j] else _regime(by_point[j]) for j in range(n)]
    reg["equilibria"] = [len(b) for b in by_point]
    reg["complete"] = [errors[j] is None for j in range(n)]
    reg["constraints_ok"] = ok
    reg["error"] = errors
    return ChunkResult(k, rows, reg, n, sum(e is not None for e in errors))


def _support_labels(res: Any, strategies: list[list[str]]) -> tuple[np.ndarray, list[str]]:
    """Label id of each equilibrium and the label texts: ``pure (F, C)``, ``mixed (F+S, C)``.
    The label depends only on the supports, so it is built once per support pattern."""
    supp = np.concatenate([res.x, res.y], axis=1) > 0
    code = supp.astype(np.int64) @ (1 << np.arange(supp.shape[1], dtype=np.int64))
    uniq, inv = np.unique(code, return_inverse=True)
    m = len(strategies[0])
    texts = []
    for c in uniq.tolist():
        bits = [(c >> b) & 1 for b in range(supp.shape[1])]
        sx = [lab for lab, b in zip(strategies[0], bits[:m]) if b]
        sy = [lab for lab, b in zip(strategies[1], bits[m:]) if b]
        kind = "mixed" if len(sx) > 1 or len(sy) > 1 else "pure"
        texts.append(f"{kind} ({'+'.join(map(str, sx))}, {'+'.join(map(str, sy))})")
    return inv.reshape(-1), texts


def _bimatrix_columns(k, start, n, params, res, players, strategies, ok) -> ChunkResult:
    """The chunk's columns as numpy arrays (every point has a game and equilibria): no Python
    loop over rows or points."""
    g = res.game
    label_id, texts = _support_labels(res, strategies)
    text_arr = np.array(texts, dtype=object)
    rows: dict[str, Any] = {"point": start + g}
    for name, vals in params.items():
        rows[name] = vals[g]
    rows["equilibrium"] = res.index
    rows["label"] = text_arr[label_id]
    for i, player in enumerate(players):
        probs = res.x if i == 0 else res.y
        for s_, lab in enumerate(strategies[i]):
            rows[f"p:{player}:{lab}"] = np.ascontiguousarray(probs[:, s_])
    for i, player in enumerate(players):
        rows[f"payoff:{player}"] = np.ascontiguousarray(res.payoffs[:, i])
    rows["regret"] = res.regret
    E = len(g)
    rows["complete"] = np.ones(E, dtype=bool)
    ok_arr = np.asarray(ok, dtype=object) if any(v is None for v in ok) else np.asarray(ok, dtype=bool)
    rows["constraints_ok"] = ok_arr[g]
    rows["error"] = np.full(E, None, dtype=object)
    # regimes: the set of label ids of each point as a bit mask, then one text per distinct mask
    starts = np.concatenate([[0], np.cumsum(res.count)[:-1]])
    if len(texts) <= 62:
        masks = np.bitwise_or.reduceat(np.left_shift(np.int64(1), label_id.astype(np.int64)), starts)
        uniq, inv = np.unique(masks, return_inverse=True)
        names = [REGIME_SEPARATOR.join(sorted(texts[b] for b in range(len(texts)) if (int(mk) >> b) & 1))
                 for mk in uniq.tolist()]
        regime = np.array(names, dtype=object)[inv.reshape(-1)]
    else:  # pragma: no cover - more than 62 support patterns in one chunk
        per = np.split(label_id, starts[1:])
        regime = np.array([_regime([texts[i] for i in ids]) for ids in per], dtype=object)
    reg: dict[str, Any] = {"point": start + np.arange(n)}
    for name, vals in params.items():
        reg[name] = vals
    reg["regime"] = regime
    reg["equilibria"] = res.count.astype(np.int64)
    reg["complete"] = np.ones(n, dtype=bool)
    reg["constraints_ok"] = ok_arr
    reg["error"] = np.full(n, None, dtype=object)
    return ChunkResult(k, rows, reg, n, 0)


def _range_errors(src: Any, params: dict[str, np.ndarray], n: int) -> list[str | None]:
    """Per point, the error of ``with_params`` for points outside a parameter's range (the
    same message as the per-point path), found with one vectorised test per parameter."""
    errors: list[str | None] = [None] * n
    bad = np.zeros(n, dtype=bool)
    for p in _parameters(src):
        rng = getattr(p, "range", None)
        if p.name in params and rng is not None:
            v, (lo, hi) = params[p.name], rng
            if lo is not None:
                bad |= (v < float(lo)) | ((v == float(lo)) & bool(getattr(p, "open_lo", False)))
            if hi is not None:
                bad |= (v > float(hi)) | ((v == float(hi)) & bool(getattr(p, "open_hi", False)))
    for j in np.flatnonzero(bad):
        try:
            src.validate_params({name: float(params[name][j]) for name in params})
        except Exception as err:  # noqa: BLE001
            errors[j] = _one_line(err)
    return errors


def _merge_error_points(cols: dict[str, Any], reg: dict[str, Any], start: int, n: int,
                        params: dict[str, np.ndarray], errors: list[str | None], ok: list) -> tuple[dict, dict]:
    """Add one row per failed point to columnar equilibrium rows (``cols`` has a ``point``
    column) and re-sort by (point, equilibrium); fill the regime table's error fields."""
    bad = [j for j in range(n) if errors[j] is not None]
    if not bad:
        return cols, reg
    E = len(cols["point"])
    total = E + len(bad)
    out: dict[str, Any] = {}
    for name, vals in cols.items():
        arr = np.empty(total, dtype=object)
        arr[:E] = list(vals.tolist() if isinstance(vals, np.ndarray) else vals)
        arr[E:] = None
        out[name] = arr
    out["point"][E:] = [start + j for j in bad]
    for name in params:
        out[name][E:] = [float(params[name][j]) for j in bad]
    out["complete"][E:] = False
    out["constraints_ok"][E:] = [ok[j] for j in bad]
    out["error"][E:] = [errors[j] for j in bad]
    eqn = np.array([-1 if v is None else v for v in out["equilibrium"]], dtype=np.int64)
    order = np.lexsort((eqn, np.asarray(out["point"], dtype=np.int64)))
    out = {name: arr[order].tolist() for name, arr in out.items()}
    reg = {name: (vals.tolist() if isinstance(vals, np.ndarray) else list(vals)) for name, vals in reg.items()}
    for j in bad:
        reg["regime"][j] = None
        reg["equilibria"][j] = 0
        reg["complete"][j] = False
        reg["error"][j] = errors[j]
    return out, reg


def _regimes_from_labels(label_id: np.ndarray, texts: list[str], counts: np.ndarray) -> np.ndarray:
    """Per point (``counts`` equilibria each, rows grouped by point), the regime text."""
    n = len(counts)
    regime = np.full(n, "(none)", dtype=object)
    has = counts > 0
    if not has.any():
        return regime
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])[has]
    if len(texts) <= 62:
        masks = np.bitwise_or.reduceat(np.left_shift(np.int64(1), label_id.astype(np.int64)), starts)
        uniq, inv = np.unique(masks, return_inverse=True)
        names = [REGIME_SEPARATOR.join(sorted(texts[b] for b in range(len(texts)) if (int(mk) >> b) & 1))
                 for mk in uniq.tolist()]
        regime[has] = np.array(names, dtype=object)[inv.reshape(-1)]
    else:  # pragma: no cover
        per = np.split(label_id, starts[1:])
        regime[has] = [_regime([texts[i] for i in ids]) for ids in per]
    return regime


def _signaling_regret(res: Any, gi: np.ndarray, si: np.ndarray) -> np.ndarray:
    """Independent check of each PBE row: the largest gain of a sender type from switching
    message (given the receiver's responses; after an off-path message, the deterring response
    ``x_lo``) and of the receiver from switching response after an on-path message (given the
    Bayes belief). Zero up to rounding for a PBE."""
    b = res.batch
    US, UR = b.US[gi], b.UR[gi]  # (E, T, M, R)
    s0 = res.s0[gi, si]  # (E, T)
    x = res.x[gi, si].copy()  # (E, M), nan off the path
    mu = res.mu[gi, si]
    xlo = res.x_lo[gi, si]
    off = np.isnan(x)
    x = np.where(off, xlo[:, None], x)
    u = x[:, None, :] * US[..., 0] + (1 - x[:, None, :]) * US[..., 1]  # (E, T, M)
    sig = np.stack([s0, 1 - s0], axis=-1)  # (E, T, M)
    sender = np.nanmax(u, axis=2) - np.sum(sig * u, axis=2)  # (E, T)
    eu = mu[..., None] * UR[:, 0] + (1 - mu[..., None]) * UR[:, 1]  # (E, M, R)
    got = x * eu[..., 0] + (1 - x) * eu[..., 1]
    receiver = np.where(off, 0.0, eu.max(axis=2) - got)
    with np.errstate(invalid="ignore"):
        return np.maximum(np.max(sender, axis=1), np.max(np.nan_to_num(receiver, nan=0.0), axis=1)).clip(min=0.0)


def _per_point_rows(spec: SweepSpec, src: Any, start: int, js: Any, params: dict[str, np.ndarray],
                    errors: list[str | None], ok: list) -> tuple[list[dict[str, Any]], dict[int, tuple]]:
    """Rows of the points ``js`` (chunk offsets) by the per-point path (or their range error),
    and per point ``(regime, count, complete)``."""
    extra: list[dict[str, Any]] = []
    summary: dict[int, tuple] = {}
    for j in js:
        j = int(j)
        point = {name: float(params[name][j]) for name in params}
        rows, summary[j] = _point_rows(spec, src, start + j, point, errors[j], ok[j])
        extra.extend(rows)
    return extra, summary


def _point_rows(spec: SweepSpec, src: Any, index: int, point: dict[str, float], error: str | None,
                ok: Any) -> tuple[list[dict[str, Any]], tuple]:
    """Rows of one point solved by the per-point path (or of its ``error``, found earlier), and
    its ``(regime, count, complete, error)``."""
    head = {"point": index, **point}
    eq_rows: list[dict[str, Any]] = []
    if error is None:
        eq_rows, error = _solve_point(spec, src, point)
    rows = [{**head, **{key: _cell(v) for key, v in r.items()}, "constraints_ok": ok, "error": error}
            for r in eq_rows]
    if not eq_rows:
        rows.append({**head, "equilibrium": None, "label": None, "complete": error is None,
                     "constraints_ok": ok, "error": error})
    regime = None if (error and not eq_rows) else _regime([r["label"] for r in eq_rows])
    complete = (bool(eq_rows[0]["complete"]) if eq_rows else error is None) and error is None
    return rows, (regime, len(eq_rows), complete, error)


def _solve_chunk_signaling(spec: SweepSpec, src: Any, k: int, start: int, stop: int, params) -> ChunkResult:
    """Two-type 2x2 signaling games of the chunk solved at once by
    :func:`bargaining.solvers.signaling_batch.solve_batch` (PBE families with intuitive-criterion
    and D1 flags). The columns are those of the per-game row builder
    (``render_signaling.signaling_row``): ``p:<sender>:<type>:<message>``,
    ``p:<receiver>:<message>:<response>`` (empty after an off-path message) with ``...:lo|hi`` (its
    range: the sustaining responses off the path), ``belief:<message>:<type>`` (empty off the
    path), ``offpath:<message>:<type>:lo|hi`` (the sustaining beliefs), ``payoff:<sender>:<type>``,
    ``outcome:<path>`` (see :func:`bargaining.solvers.signaling_batch.row_columns`),
    ``payoff:<sender>`` (ex ante), ``payoff:<receiver>``, and ``regret``
    (:func:`_signaling_regret`).

    Boundary points go through the per-game solver (``pbe``), which lists every PBE family
    there: the receiver exactly indifferent at the prior after some message, a sender type with
    equal payoffs from the two messages for some pair of responses, a prior of 0 or 1, or no
    family found by the batch (the batch reports the generic limit at such points)."""
    from bargaining.solvers.signaling_batch import row_columns, solve_batch

    n = stop - start
    errors = _range_errors(src, params, n)
    good = np.array([j for j in range(n) if errors[j] is None], dtype=np.int64)
    ok = _constraints_vector(src, params, n)
    try:
        game0 = src.with_params(**{name: float(params[name][good[0]]) for name in params}) if len(good) else None
    except BargainingError:  # the per-point path records why the point has no game
        raise _NotAStack from None
    sender, receiver = (game0.players[0], game0.players[1]) if game0 is not None else ("sender", "receiver")
    cols: dict[str, Any] = {}
    regime = np.full(n, None, dtype=object)
    counts = np.zeros(n, dtype=np.int64)
    complete = np.zeros(n, dtype=bool)
    fallback = np.zeros(0, dtype=np.int64)
    if len(good):
        try:
            res = solve_batch(src.evaluate({name: v[good] for name, v in params.items()}))
        except BargainingError:  # a point the batch refuses (its game is invalid): point by point
            raise _NotAStack from None
        b = res.batch
        d = b.UR[..., 0] - b.UR[..., 1]  # (G, T, M)
        at_prior = b.prior0[:, None] * d[:, 0, :] + (1 - b.prior0[:, None]) * d[:, 1, :]
        boundary = np.any(np.abs(at_prior) <= 1e-12, axis=1)
        across = b.US[:, :, 0, :, None] - b.US[:, :, 1, None, :]  # (G, T, R, R)
        boundary |= np.any(np.abs(across.reshape(len(across), -1)) <= 1e-12, axis=1)
        boundary |= (b.prior0 <= 0) | (b.prior0 >= 1) | (res.count == 0)
        fallback = good[boundary]
        gi, si = np.nonzero(res.valid & ~boundary[:, None])
        raw = res.rows()
        keep = ~boundary[raw["game"]]
        raw = {key: v[keep] for key, v in raw.items()}
        point = good[gi]
        cols["point"] = start + point
        for name, vals in params.items():
            cols[name] = vals[point]
        for key in ("equilibrium", "label", "refinement:intuitive", "refinement:d1"):
            cols[key] = raw[key]
        # the columns of the per-game row builder (render_signaling.signaling_row), same order
        T, M, R = b.types, b.messages, b.responses
        cols.update(row_columns(res, gi, si, sender, receiver))
        # sort key after an off-path message: a pure deterring response if there is one (the first in
        # the file's order), else the deterring mixture closest to it (the per-game solver's choice)
        x = res.x[gi, si]
        xl, xh = res.x_lo[gi, si], res.x_hi[gi, si]
        deter = np.where(xh >= 1 - 1e-12, 1.0, np.where(xl <= 1e-12, 0.0, xl))
        x_off = np.where(np.isnan(x), deter[:, None], x)
        tp = res.type_payoffs[gi, si]
        p0 = b.prior0[gi]
        cols[f"payoff:{sender}"] = p0 * tp[:, 0] + (1 - p0) * tp[:, 1]
        cols[f"payoff:{receiver}"] = res.receiver_payoff[gi, si]
        cols["regret"] = _signaling_regret(res, gi, si)
        cols["complete"] = np.ones(len(gi), dtype=bool)
        # the per-game solver's order: sender pure before mixed, receiver pure before mixed,
        # then by the profile (sigma, rho), larger probabilities first
        sig = np.stack([cols[f"p:{sender}:{tl}:{ml}"] for tl in T for ml in M], axis=1)
        rho = np.stack([x_off[:, m] if r == 0 else 1 - x_off[:, m] for m in range(len(M)) for r in range(len(R))], axis=1)
        flat = np.round(np.concatenate([sig, rho], axis=1), 9)
        smixed = np.any((flat[:, : sig.shape[1]] > 0) & (flat[:, : sig.shape[1]] < 1), axis=1)
        rmixed = np.any((flat[:, sig.shape[1] :] > 0) & (flat[:, sig.shape[1] :] < 1), axis=1)
        keys = [-flat[:, j] for j in range(flat.shape[1] - 1, -1, -1)] + [rmixed, smixed, gi]
        order = np.lexsort(keys)
        cols = {key: (v[order] if isinstance(v, np.ndarray) else np.asarray(v, dtype=object)[order])
                for key, v in cols.items()}
        gi, si = gi[order], si[order]
        starts = np.concatenate([[0], np.flatnonzero(np.diff(gi)) + 1]) if len(gi) else np.zeros(0, dtype=np.int64)
        first_of = np.repeat(starts, np.diff(np.concatenate([starts, [len(gi)]])))
        cols["equilibrium"] = np.arange(len(gi)) - first_of
        ok_arr = np.asarray(ok, dtype=object)
        cols["constraints_ok"] = ok_arr[point]
        cols["error"] = np.full(len(gi), None, dtype=object)
        label_texts = list(dict.fromkeys(res.labels))
        label_id = np.array([label_texts.index(t) for t in res.labels], dtype=np.int64)[si]
        inner = good[~boundary]
        cnt = res.count[~boundary].astype(np.int64)
        regime[inner] = _regimes_from_labels(label_id, label_texts, cnt)
        counts[inner] = cnt
        complete[inner] = True
    bad = [j for j in range(n) if errors[j] is not None]
    extra, summary = _per_point_rows(spec, src, start, list(fallback) + bad, params, errors, ok)
    for j, (reg_j, cnt_j, comp_j, _err) in summary.items():
        regime[j], counts[j], complete[j] = reg_j, cnt_j, comp_j
    if not cols:
        cols = {"point": np.zeros(0, dtype=np.int64), "equilibrium": np.zeros(0, dtype=np.int64)}
    cols = _merge_rows(cols, extra)
    reg: dict[str, Any] = {"point": start + np.arange(n)}
    for name, vals in params.items():
        reg[name] = vals
    reg["regime"] = regime
    reg["equilibria"] = counts
    reg["complete"] = complete
    reg["constraints_ok"] = np.asarray(ok, dtype=object)
    reg["error"] = np.asarray([summary[j][3] if j in summary else errors[j] for j in range(n)], dtype=object)
    return ChunkResult(k, cols, reg, n, sum(1 for j in range(n) if reg["error"][j] is not None))


def _tree_stack_arrays(src: Any, game0: Any, params: dict[str, np.ndarray], good: np.ndarray):
    """Payoffs (G, N, n) and chance probabilities (G, E) of the chunk's trees, from one
    vectorised evaluation of the template's body, walked in the tree's preorder. Checked
    against the game built at the first point; a mismatch raises :class:`_NotAStack`."""
    ta = game0.to_arrays()
    N, n, E = ta.num_nodes, ta.payoffs.shape[1], len(ta.child)
    G = len(good)
    body = src.evaluate({name: v[good] for name, v in params.items()})
    pay = np.zeros((G, N, n))
    probs = np.zeros((G, E))
    counter = [0]

    def walk(node: Any) -> None:
        v = counter[0]
        counter[0] += 1
        if v >= N or not isinstance(node, dict):
            raise _NotAStack
        if "payoffs" in node:
            vals = node["payoffs"]
            if len(vals) != n:
                raise _NotAStack
            for i, x in enumerate(vals):
                pay[:, v, i] = np.broadcast_to(np.asarray(x, dtype=float), (G,))
            return
        actions = node.get("actions") or {}
        if len(actions) != ta.offsets[v + 1] - ta.offsets[v]:
            raise _NotAStack
        if node.get("player") == "chance":
            for j, a in enumerate(actions):
                probs[:, ta.offsets[v] + j] = np.broadcast_to(np.asarray(node["probs"][a], dtype=float), (G,))
        for child in actions.values():
            walk(child)

    walk(body["root"])
    if counter[0] != N:
        raise _NotAStack
    term = ta.player == -2
    if not (np.allclose(pay[0, term], ta.payoffs[term], rtol=0, atol=1e-12)
            and np.allclose(probs[0], ta.probs, rtol=0, atol=1e-12)):
        raise _NotAStack
    return ta, pay, probs


def _merge_rows(cols: dict[str, Any], extra: list[dict[str, Any]]) -> dict[str, list]:
    """Columnar rows plus row dicts, as columns sorted by (point, equilibrium)."""
    if not extra:
        return cols
    E = len(cols["point"]) if cols else 0
    if E == 0:
        return _columns(sorted(extra, key=lambda r: (r["point"], -1 if r["equilibrium"] is None else r["equilibrium"])))
    names = list(cols)
    for r in extra:
        for key in r:
            if key not in names:
                names.insert(len([c for c in names if c not in TAIL]), key)
    total = E + len(extra)
    out: dict[str, Any] = {}
    for name in names:
        arr = np.empty(total, dtype=object)
        if name in cols:
            vals = cols[name]
            arr[:E] = list(vals.tolist() if isinstance(vals, np.ndarray) else vals)
        else:
            arr[:E] = None
        arr[E:] = [r.get(name) for r in extra]
        out[name] = arr
    eqn = np.array([-1 if v is None else v for v in out["equilibrium"]], dtype=np.int64)
    order = np.lexsort((eqn, np.asarray(out["point"], dtype=np.int64)))
    return {name: arr[order].tolist() for name, arr in out.items()}


TAIL = ("regret", "complete", "constraints_ok", "error")


def _solve_chunk_tree(spec: SweepSpec, src: Any, k: int, start: int, stop: int, params) -> ChunkResult:
    """Perfect-information trees of the chunk solved at once by
    :func:`bargaining.solvers.batch.tree_spe_stack`. Points with a tie (several SPE) and points
    whose game cannot be built go through the per-point path. The columns of each distinct
    SPE (its behaviour and label, which depend only on the choices and on which terminals are
    reached) come from the per-game row builder at one representative point; payoffs, outcome
    probabilities and the regret certificate are per point."""
    from bargaining.formats.render import equilibrium_rows
    from bargaining.model.profile import Solution
    from bargaining.solvers.batch import tree_spe_stack
    from bargaining.solvers.treeprofile import tree_equilibrium

    n = stop - start
    names = list(params)
    errors = _range_errors(src, params, n)
    ok = _constraints_vector(src, params, n)
    good = np.array([j for j in range(n) if errors[j] is None], dtype=np.int64)
    if not len(good):
        raise _NotAStack
    point_of = lambda j: {name: float(params[name][j]) for name in names}  # noqa: E731
    try:
        game0 = src.with_params(**point_of(good[0]))
    except BargainingError:  # the first point has no game: the per-point path records why
        raise _NotAStack from None
    try:
        ta, pay, probs = _tree_stack_arrays(src, game0, params, good)
    except _NotAStack:
        raise
    except Exception:  # noqa: BLE001 - a body this walker does not know (generated trees, ...)
        raise _NotAStack from None
    # points where an expression is undefined (1/b at b = 0: nan) go through the per-point
    # path, which records the reason in their error column
    finite = np.isfinite(pay).all(axis=(1, 2)) & np.isfinite(probs).all(axis=1)
    undefined = [int(j) for j in good[~finite]]
    if undefined:
        good, pay, probs = good[finite], pay[finite], probs[finite]
        if not len(good):
            raise _NotAStack
    res = tree_spe_stack(ta.offsets, ta.child, ta.player, pay, probs)
    clean = ~res.tie
    dec_nodes = np.flatnonzero(ta.player >= 0)
    terms = np.flatnonzero(ta.player == -2)
    key = np.concatenate([res.choice[:, dec_nodes], (res.reach[:, terms] > 0).astype(np.int64)], axis=1)
    cg = np.flatnonzero(clean)  # indices into good
    cols: dict[str, Any] = {}
    regime = np.full(n, None, dtype=object)
    counts = np.zeros(n, dtype=np.int64)
    complete = np.zeros(n, dtype=bool)
    if len(cg):
        uniq, first_idx, inv = np.unique(key[cg], axis=0, return_index=True, return_inverse=True)
        inv = inv.reshape(-1)
        templates = []
        for u in range(len(uniq)):
            j = int(good[cg[first_idx[u]]])
            game = src.with_params(**point_of(j))
            choice = res.choice[cg[first_idx[u]]]
            behavior = []
            for i in range(len(game.players)):
                per = []
                for hid in game.player_infosets[i]:
                    h = game.infosets[hid]
                    per.append(tuple(1.0 if a == choice[h.nodes[0]] else 0.0 for a in range(len(h.actions))))
                behavior.append(tuple(per))
            eq = tree_equilibrium(game.as_float(), behavior, concept="subgame-perfect")
            sol = Solution(game=game, concept="subgame-perfect", method="backward", equilibria=(eq,), complete=True)
            templates.append({key_: _cell(v) for key_, v in equilibrium_rows(sol)[0].items()})
        pts = good[cg]
        cols["point"] = start + pts
        for name in names:
            cols[name] = params[name][pts]
        players = list(game0.players)
        outcome_cols = [c for c in templates[0] if c.startswith("outcome:")]
        for c in templates[0]:
            if c.startswith("outcome:"):
                t = outcome_cols.index(c)
                cols[c] = res.reach[cg, terms[t]]
            elif c.startswith("payoff:") and c[len("payoff:"):] in players:
                cols[c] = res.value[cg, players.index(c[len("payoff:"):])]
            elif c == "regret":
                cols[c] = res.regret[cg]
            elif c == "complete":
                cols[c] = np.ones(len(cg), dtype=bool)
            else:
                cols[c] = np.array([t_[c] for t_ in templates], dtype=object)[inv]
        ok_arr = np.asarray(ok, dtype=object)
        cols["constraints_ok"] = ok_arr[pts]
        cols["error"] = np.full(len(cg), None, dtype=object)
        labels = np.array([t_["label"] for t_ in templates], dtype=object)[inv]
        regime[pts] = labels
        counts[pts] = 1
        complete[pts] = True
    extra: list[dict[str, Any]] = []
    point_errors = list(errors)  # range errors, then the per-point path's errors
    for j in list(good[~clean]) + undefined + [j for j in range(n) if errors[j] is not None]:
        j = int(j)
        rows, (regime[j], counts[j], complete[j], point_errors[j]) = _point_rows(
            spec, src, start + j, point_of(j), errors[j], ok[j])
        extra.extend(rows)
    errors = point_errors
    if not cols:
        cols = {"point": np.zeros(0, dtype=np.int64), "equilibrium": np.zeros(0, dtype=np.int64)}
    cols = _merge_rows(cols, extra)
    reg: dict[str, Any] = {"point": start + np.arange(n)}
    for name in names:
        reg[name] = params[name]
    reg["regime"] = regime
    reg["equilibria"] = counts
    reg["complete"] = complete
    reg["constraints_ok"] = np.asarray(ok, dtype=object)
    reg["error"] = np.asarray(errors, dtype=object)
    return ChunkResult(k, cols, reg, n, sum(e is not None for e in errors))


# -- the engine ---------------------------------------------------------------------------------
def _progress(total: int, initial: int, quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    import shutil

    width = shutil.get_terminal_size((100, 20)).columns
    return tqdm(total=total, initial=initial, unit="pt", unit_scale=True, smoothing=0.1,
                ncols=width if width >= 40 else 100, desc="sweep")


def command_line() -> str:
    prog = Path(sys.argv[0]).name if sys.argv else "bargain"
    if prog in ("__main__.py", "-c", ""):  # python -m bargaining
        prog = "bargain"
    argv = [prog] + sys.argv[1:]
    return " ".join(shlex.quote(a) for a in argv)


def run_sweep(
    spec: SweepSpec,
    out: str | os.PathLike,
    *,
    executor: str = "process",
    workers: int | None = None,
    scheduler: str | None = None,
    dask_local: int | None = None,
    resume: bool = False,
    chunk_size: int | None = None,
    quiet: bool = False,
    command: str | None = None,
    log=None,
) -> dict[str, Any]:
    """Run (or resume) a sweep and write its files; returns the meta data written beside them."""
    log = log or (lambda msg: print(msg, file=sys.stderr))
    output_paths(out)  # validate the extension before any work
    src = _get_source(spec)
    spec = plan(spec, src)
    game_hash = _source_hash(src)
    n = len(spec.points)
    store = ResultStore(out, spec.signature(game_hash), n, chunk_size or default_chunk_size(spec))
    state = store.open(resume)
    command = command or command_line()
    if state == "finished":
        log(f"{store.out}: this sweep is already complete; nothing to do")
        meta = json.loads(store.meta_path.read_text(encoding="utf-8"))
        meta.setdefault("points_failed", count_failed_points(store.regimes_path))
        return {**meta, "paths": {"rows": str(store.out), "regimes": str(store.regimes_path)}}
    if state == "resumed":
        log(f"resuming: {len(store.done)} of {store.n_chunks} chunks already done")
    elif resume:
        log("nothing to resume: starting the sweep")
    tasks = [(k, *store.chunk_range(k)) for k in store.pending()]
    bar = _progress(n, store.done_points(), quiet)
    errors = 0
    t0 = time.time()

    def on_result(res: ChunkResult) -> None:
        nonlocal errors
        store.write_chunk(res.k, res.rows, res.regimes)
        errors += res.n_errors
        if bar is not None:
            bar.update(res.n_points)

    # the spec sent to workers carries the game by name (they load it once each)
    try:
        run_tasks(solve_chunk, spec, tasks, on_result, executor=executor, workers=workers,
                  scheduler=scheduler, dask_local=dask_local)
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
        hint = command if "--resume" in command.split() else f"{command} --resume"
        log(f"stopped: {len(store.done)} of {store.n_chunks} chunks are saved in {store.parts}")
        log(f"to finish the sweep, run: {hint}")
        raise
    if bar is not None:
        bar.close()
    elapsed = time.time() - t0
    meta = {
        "command": command,
        "game": spec.game,
        "game_hash": game_hash,
        "version": __version__,
        "seed": spec.points.seed,
        "points": spec.points.describe(),
        "concept": spec.concept,
        "method": spec.method,
        "solver": {"bimatrix": "batch (bimatrix vertex enumeration)",
                   "tree": "batch (backward induction on a stack of trees; ties per point)",
                   "signaling": "batch (two-type signaling PBE, signaling_batch)"}.get(spec.mode, spec.method or "default"),
        "point_timeout": spec.point_timeout,
        "options": jsonify(dict(spec.options)),
        "executor": executor,
        "n_points": n,
        "errors_this_run": errors,
        "elapsed_seconds_this_run": round(elapsed, 3),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "files": {"rows": store.out.name, "regimes": store.regimes_path.name},
    }
    store.finalize(meta)
    # counted in the merged table, so a resumed run counts the earlier chunks' failures too
    meta["points_failed"] = count_failed_points(store.regimes_path)
    return {**meta, "paths": {"rows": str(store.out), "regimes": str(store.regimes_path)}}


def count_failed_points(regimes: str | os.PathLike) -> int:
    """The number of points of a finished sweep whose ``error`` column is set (their reason is
    that column, in the rows and regimes tables)."""
    return sum(1 for row in read_table(regimes, columns=["error"]) if row.get("error") not in (None, ""))


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
            raise BargainingError(f"--set {key}={value}: not a number") from None
    axes = [parse_grid(g) for g in grid]
    points = PointSet.build(_parameters(src), fixed=fixed, axes=axes, sample_size=sample, seed=seed)
    validate = getattr(src, "validate_params", None)
    if validate is not None and len(points):
        validate({**points.point(0)})
    if point_timeout is not None and point_timeout <= 0:
        point_timeout = None
    return SweepSpec(game=name, points=points, concept=concept, method=method, point_timeout=point_timeout,
                     options=dict(options or {}), source=obj)
