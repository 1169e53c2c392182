"""Experiment files: a sweep and its pictures, as data (``bargain run experiments/NAME.yaml``).

An experiment file is YAML, read with ``yaml.safe_load`` (it is data: nothing in it runs)::

    name: q2-crisis-mixing            # used for default output names
    question: Q2                      # the article's question it answers (docs/explanation.md)
    title: Mixing as uncertain resolve
    description: >
      What the sweep shows and how to read it.
    game: crisis-normal-form          # a scenario name, a file path or a canonical id
    fixed: {W: 1}                     # optional: parameters held fixed (others at defaults)
    grid:                             # parameter -> "START:STOP:N" (N points, ends included)
      w: 0:4:81
      k_F: 0:1:41
    sample: {n: 1000, seed: 1}        # optional: uniform draws over the other parameters' ranges
    concept: nash                     # optional (default by game kind)
    method: null                      # optional (default: batched where possible)
    point_timeout: 60                 # optional, seconds per point (0: none)
    out: results/q2-crisis-mixing.csv # optional (default results/<name>.csv); .parquet/.csv/.jsonl
    plots:                            # optional: regime maps (x, y) and value plots (x, value)
      - {x: w, y: k_F}
      - {x: w, value: "p:US:F", where: {k_F: 0.2}, out: results/q2-firmness.png}

Relative output paths are taken from the current folder. Every error names the file, the key
and the fix in one line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bargaining.errors import BargainingError, FileFormatError

__all__ = ["Experiment", "load_experiment", "run_experiment"]

_KEYS = {
    "name",
    "question",
    "title",
    "description",
    "game",
    "fixed",
    "grid",
    "sample",
    "concept",
    "method",
    "point_timeout",
    "out",
    "plots",
    "options",
}
_PLOT_KEYS = {"x", "y", "value", "where", "out", "title"}


@dataclass(frozen=True)
class Experiment:
    path: Path
    name: str
    game: str
    question: str = ""
    title: str = ""
    description: str = ""
    fixed: dict[str, Any] = field(default_factory=dict)
    grid: tuple[str, ...] = ()
    sample: int = 0
    seed: int | None = None
    concept: str | None = None
    method: str | None = None
    point_timeout: float | None = 60.0
    out: str = ""
    plots: tuple[dict[str, Any], ...] = ()
    options: dict[str, Any] = field(default_factory=dict)


def _line(text: str, key: str) -> int | None:
    for i, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(f"{key}:") or line.lstrip().startswith(f"- {key}:"):
            return i
    return None


def load_experiment(path: str | os.PathLike) -> Experiment:
    """Read and validate an experiment file."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise BargainingError(f"{path}: no such experiment file")
    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise FileFormatError(
            path, mark.line + 1 if mark else None, f"not valid YAML ({getattr(err, 'problem', err)})"
        ) from None

    def fail(key: str, msg: str) -> FileFormatError:
        return FileFormatError(path, _line(text, key), f"{key}: {msg}")

    if not isinstance(raw, dict):
        raise FileFormatError(
            path, 1, "an experiment file is a mapping with at least 'game' and 'grid' or 'sample'"
        )
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise fail(unknown[0], f"unknown key; expected some of: {', '.join(sorted(_KEYS))}")
    if not isinstance(raw.get("game"), str):
        raise FileFormatError(
            path, _line(text, "game"), "game: give the game's name or file, e.g. game: crisis-normal-form"
        )
    try:
        from bargaining.formats.load import resolve

        resolve(raw["game"])
    except BargainingError as err:
        raise FileFormatError(path, _line(text, "game"), f"game: {err}") from None
    fixed = raw.get("fixed") or {}
    if not isinstance(fixed, dict) or not all(isinstance(k, str) for k in fixed):
        raise fail("fixed", "expected a mapping parameter -> value, e.g. fixed: {W: 1}")
    for k, v in fixed.items():
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            raise fail("fixed", f"{k}: expected a number, got {v!r}")
    grid_raw = raw.get("grid") or {}
    grid: list[str] = []
    if isinstance(grid_raw, dict):
        for k, v in grid_raw.items():
            if not isinstance(v, str) or v.count(":") != 2:
                # YAML 1.1 reads an unquoted 1:30:10 as a base-60 integer: ask for quotes
                raise fail("grid", f'{k}: expected a quoted "START:STOP:N", e.g. {k}: "0:1:101"')
            grid.append(f"{k}={v}")
    elif isinstance(grid_raw, list) and all(isinstance(g, str) for g in grid_raw):
        grid = list(grid_raw)
    else:
        raise fail("grid", 'expected a mapping parameter -> "START:STOP:N"')
    sample, seed = 0, None
    if raw.get("sample") is not None:
        s = raw["sample"]
        if (
            not isinstance(s, dict)
            or not isinstance(s.get("n"), int)
            or not isinstance(s.get("seed"), int)
            or set(s) - {"n", "seed"}
        ):
            raise fail("sample", "expected {n: POINTS, seed: INTEGER}")
        sample, seed = s["n"], s["seed"]
    if not grid and not sample:
        raise FileFormatError(path, None, "give a grid (parameter -> START:STOP:N) or a sample {n, seed}")
    for key in ("concept", "method", "out", "name", "question", "title", "description"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise fail(key, "expected text")
    timeout = raw.get("point_timeout", 60)
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout < 0
    ):
        raise fail("point_timeout", "expected seconds (a number >= 0; 0 means none)")
    plots = raw.get("plots") or []
    if not isinstance(plots, list):
        raise fail("plots", "expected a list of {x, y} or {x, value} entries")
    for p in plots:
        if not isinstance(p, dict) or "x" not in p or (("y" in p) == ("value" in p)) or set(p) - _PLOT_KEYS:
            raise fail(
                "plots", f"each entry needs x and one of y (regime map) or value (a column); got {p!r}"
            )
        if "where" in p and not isinstance(p["where"], dict):
            raise fail("plots", "where: expected a mapping parameter -> value")
    _check_plots(path, text, raw["game"], plots)
    options = raw.get("options") or {}
    if not isinstance(options, dict):
        raise fail("options", "expected a mapping of solver options")
    name = raw.get("name") or path.stem
    return Experiment(
        path=path,
        name=name,
        game=raw["game"],
        question=raw.get("question") or "",
        title=raw.get("title") or "",
        description=raw.get("description") or "",
        fixed={k: str(v) for k, v in fixed.items()},
        grid=tuple(grid),
        sample=sample,
        seed=seed,
        concept=raw.get("concept"),
        method=raw.get("method"),
        point_timeout=None if not timeout else float(timeout),
        out=raw.get("out") or f"results/{name}.csv",
        plots=tuple(plots),
        options=dict(options),
    )


# columns of every rows table besides the parameters and the p:/payoff:/outcome: columns
_ROW_COLUMNS = ("point", "equilibrium", "label", "regret", "complete", "constraints_ok", "intuitive", "d1")


def _check_plots(path: Path, text: str, game: str, plots: list[dict[str, Any]]) -> None:
    """Refuse plot axes that the sweep cannot have, before the sweep runs: ``x``, ``y`` and the
    ``where`` keys parameters or columns, a ``value`` a column of the rows table (``p:`` and
    ``payoff:`` columns must name a player of the game)."""
    if not plots:
        return
    from bargaining.sweep.spec import load_source

    src, _ = load_source(game)
    params = [p.name for p in getattr(src, "parameters", ()) or ()]
    players = [str(p) for p in getattr(src, "players", ()) or ()]
    listed = ", ".join(params) or "none"
    line = _line(text, "plots")

    def fail(field: str, msg: str) -> FileFormatError:
        return FileFormatError(path, line, f"{field}: {msg}")

    for i, p in enumerate(plots):
        for axis in ("x", "y"):
            if axis in p and str(p[axis]) not in params:
                raise fail(
                    f"plots[{i}].{axis}", f"{p[axis]!r} is not a parameter of {game} (parameters: {listed})"
                )
        for k in p.get("where") or {}:
            if str(k) not in params and str(k) not in _ROW_COLUMNS and ":" not in str(k):
                raise fail(f"plots[{i}].where", f"{k!r} is not a parameter of {game} (parameters: {listed})")
        value = p.get("value")
        if value is None:
            continue
        value = str(value)
        prefix, _, rest = value.partition(":")
        if prefix in ("p", "payoff") and rest:
            player = rest.split(":", 1)[0]
            if players and player not in players:
                raise fail(
                    f"plots[{i}].value",
                    f"{value!r}: {player!r} is not a player of {game} (players: {', '.join(players)})",
                )
        elif ":" not in value and value not in _ROW_COLUMNS and value not in params:
            raise fail(
                f"plots[{i}].value",
                f"{value!r} is not a column of the sweep table (columns: the "
                f"parameters, {', '.join(_ROW_COLUMNS)}, p:PLAYER:..., payoff:PLAYER, ...)",
            )


def run_experiment(exp: Experiment, *, out: str | None = None, plot: bool = True, **run_options: Any) -> dict:
    """Run the experiment's sweep and draw its plots; returns the sweep's meta data with the
    list of figures written (``figures``)."""
    from bargaining.sweep.engine import command_line, run_sweep
    from bargaining.sweep.spec import make_spec

    target = Path(out or exp.out)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        from bargaining.output import os_error

        raise os_error(target.parent, err, "cannot create the output folder") from None
    spec = make_spec(
        exp.game,
        fixed=exp.fixed,
        grid=list(exp.grid),
        sample=exp.sample,
        seed=exp.seed,
        concept=exp.concept,
        method=exp.method,
        point_timeout=exp.point_timeout,
        options=exp.options,
    )
    meta = run_sweep(spec, target, command=command_line(), **run_options)
    figures: list[str] = []
    if plot and exp.plots:
        try:
            from bargaining.viz import require_matplotlib

            require_matplotlib()
        except BargainingError as err:
            meta["figures_skipped"] = str(err)
            return {**meta, "figures": figures}
        from bargaining.sweep.store import read_table
        from bargaining.viz.regime_plot import plot_table

        for i, p in enumerate(exp.plots):
            try:
                where = {k: float(v) for k, v in (p.get("where") or {}).items()}
            except (TypeError, ValueError):
                raise BargainingError(f"plots[{i}].where: expected parameter: number pairs") from None
            figures.append(
                str(
                    plot_table(
                        target,
                        p["x"],
                        read_table=read_table,
                        y=p.get("y"),
                        value=p.get("value"),
                        out=p.get("out"),
                        where=where,
                        title=p.get("title"),
                    )
                )
            )
    return {**meta, "figures": figures}
