"""Pictures of a finished sweep's tables: the regime map over two parameters and the plot of
one equilibrium quantity over one parameter (:mod:`bargaining.viz.phase` draws them).

The tables are read by the caller (``bargaining.sweep.store.read_table`` is passed in as
``read_table``), so this module depends on no layer above it; ``where`` is already parsed into
``{parameter: value}``. Messages name the settings as ``bargain plot`` flags (``--x``, ``--value``,
``--where``), as :mod:`bargaining.viz.phase` does. Used by experiments
(:func:`bargaining.sweep.experiment.run_experiment`) and by ``bargain plot``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from bargaining.errors import BargainingError

__all__ = ["regimes_path", "filter_rows", "sweep_parameters", "varying_parameters", "plot_table"]

Rows = list[dict[str, Any]]


def regimes_path(table: Path) -> Path:
    """``r.parquet`` → ``r.regimes.parquet``; a regimes file is returned as it is."""
    stem = table.name[: -len(table.suffix)]
    if stem.endswith(".regimes"):
        return table
    return table.with_name(f"{stem}.regimes{table.suffix}")


def filter_rows(rows: Rows, where: Mapping[str, float]) -> Rows:
    """The rows whose parameter ``key`` equals the grid value nearest to ``where[key]`` (grid
    values are rounded, so the nearest one is taken), for every key. A value off the grid
    (beyond half a step from its ends) is refused, naming the grid's ends and the nearest value."""
    for key, v in where.items():
        if rows and key not in rows[0]:
            raise BargainingError(f"--where {key}={v:g}: the table has no column {key!r}")
        vals = sorted({float(r[key]) for r in rows if r.get(key) is not None})
        if not vals:
            raise BargainingError(f"--where {key}={v:g}: the column is empty")
        nearest = min(vals, key=lambda u: abs(u - v))
        gaps = [b - a for a, b in zip(vals, vals[1:])]
        slack = (min(gaps) / 2 if gaps else 0.0) + 1e-9 * max(1.0, abs(v))
        if not (vals[0] - slack <= v <= vals[-1] + slack):
            raise BargainingError(
                f"--where {key}={v:g}: off the grid of {key} (from {vals[0]:g} to {vals[-1]:g}, "
                f"{len(vals)} values); the nearest grid value is {nearest:g}"
            )
        rows = [r for r in rows if r.get(key) is not None and float(r[key]) == nearest]
    return rows


def sweep_parameters(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The parameter columns of a rows table: those between ``point`` and ``equilibrium``."""
    cols = list(rows[0]) if rows else []
    if "point" in cols and "equilibrium" in cols:
        return cols[cols.index("point") + 1 : cols.index("equilibrium")]
    return []


def varying_parameters(rows: Rows, x: str, fixed: Sequence[str] = ()) -> list[str]:
    """Parameters other than ``x`` and ``fixed`` that take several values in ``rows`` (a value
    plot then overlays every slice)."""
    return [
        p
        for p in sweep_parameters(rows)
        if p != x and p not in fixed and len({r.get(p) for r in rows if r.get(p) is not None}) > 1
    ]


def plot_table(
    table: str | Path,
    x: str,
    *,
    read_table: Callable[[Path], Rows],
    y: str | None = None,
    value: str | None = None,
    out: str | Path | None = None,
    where: Mapping[str, float] | None = None,
    title: str | None = None,
    warn: Callable[[list[str]], Any] | None = None,
) -> Path:
    """Draw a regime map (``x`` and ``y``) or a value plot (``x`` and ``value``) of a sweep
    table and save it (default: beside the table); returns the picture's path. ``warn`` is
    called with the parameters that still vary in a value plot's rows (the plot then overlays
    every slice), so the caller words the advice in its own terms."""
    from bargaining.viz.backend import save
    from bargaining.viz.phase import regime_map, value_plot

    where = dict(where or {})
    table = Path(table)
    if y is None and value is None:
        raise BargainingError("give y (a parameter: a regime map) or value (a column: a one-parameter plot)")
    if y is not None and value is not None:
        raise BargainingError("give y (a regime map) or value (a one-parameter plot), not both")
    if not table.is_file():
        raise BargainingError(f"{table}: no such file")
    if y is not None:
        regimes = regimes_path(table)
        if not regimes.is_file():
            raise BargainingError(f"{table}: the regime map needs {regimes} beside it (written by the sweep)")
        fig = regime_map(filter_rows(read_table(regimes), where), x, y, title=title)
        default = f"{x}-{y}"
    else:
        assert value is not None  # checked above: y or value
        all_rows = read_table(table)
        params = sweep_parameters(all_rows)
        if params and x not in params:
            raise BargainingError(f"--x {x}: not a parameter of the sweep (parameters: {', '.join(params)})")
        if all_rows and value not in all_rows[0]:
            cols = ", ".join(all_rows[0]) or "none"
            raise BargainingError(f"--value {value}: no column {value!r}; the columns are: {cols}")
        rows = filter_rows(all_rows, where)
        varying = varying_parameters(rows, x, list(where))
        if varying and warn is not None:
            warn(varying)
        fig = value_plot(rows, x, value, title=title)
        default = f"{x}-{value.replace(':', '_')}"
    stem = table.name[: -len(table.suffix)]
    path = Path(out) if out else table.with_name(f"{stem}.{default}.png")
    save(fig, path)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path
