"""Pictures of sweeps: regime maps (phase diagrams) and one-parameter plots.

- :func:`regime_map`: over two parameters ``x`` and ``y``, the regime of each point (the set of
  equilibrium labels, from ``<stem>.regimes.<ext>``) as coloured cells (a grid) or dots (a
  sample), one colour per regime, with a legend; failed points are grey. Regime boundaries are
  where the prediction changes.
- :func:`value_plot`: over one parameter ``x``, an equilibrium quantity (a column of the rows
  table such as ``p:US:F`` or ``payoff:RU``) for every equilibrium, one series per label. Only
  behaviour is drawn: an empty cell is skipped — in signaling sweeps the response after an
  off-path message is empty (what sustains the equilibrium there is a range, in the
  ``...:lo`` / ``...:hi`` columns, not something played), so a pooling equilibrium adds no
  point to a plot of ``p:RU:E:C`` when E is off its path.

Both take rows as a list of dicts (:func:`bargaining.sweep.store.read_table`) and return a
matplotlib Figure (matplotlib is an optional extra; :func:`bargaining.viz.require_matplotlib`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from bargaining.errors import BargainingError
from bargaining.viz.backend import require_matplotlib

__all__ = ["regime_map", "value_plot"]

ERROR_COLOR = "#9e9e9e"


def _need(rows: Sequence[dict], column: str, what: str) -> None:
    if not rows:
        raise BargainingError(f"{what}: the table is empty")
    if column not in rows[0]:
        cols = ", ".join(k for k in rows[0] if not k.startswith(("p:", "outcome:"))) or "none"
        raise BargainingError(f"{what}: no column {column!r}; columns include: {cols}")


def _palette(n: int) -> list:
    mpl = require_matplotlib()
    cmap = mpl.colormaps["tab20" if n > 10 else "tab10"]
    return [cmap(i % cmap.N) for i in range(n)]


def _wrap(text: str, width: int = 60) -> str:
    if len(text) <= width:
        return text
    parts, line = [], ""
    for piece in text.split("; "):
        cand = f"{line}; {piece}" if line else piece
        if len(cand) > width and line:
            parts.append(line + ";")
            line = piece
        else:
            line = cand
    parts.append(line)
    return "\n".join(parts)


def regime_map(regimes: Sequence[dict[str, Any]], x: str, y: str, title: str | None = None) -> Any:
    """The regime map over ``x`` (horizontal) and ``y`` (vertical) of a regimes table."""
    require_matplotlib()
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    _need(regimes, x, "--x")
    _need(regimes, y, "--y")
    _need(regimes, "regime", "regime map (give the sweep's table or its .regimes file)")
    xs = np.array([float(r[x]) for r in regimes])
    ys = np.array([float(r[y]) for r in regimes])
    names = [r["regime"] if r.get("regime") is not None else "error" for r in regimes]
    order = sorted(set(names) - {"error"}, key=lambda s: (-names.count(s), s))
    if "error" in names:
        order.append("error")
    colors = _palette(len(order))
    if "error" in names:
        colors[-1] = ERROR_COLOR
    code = {name: i for i, name in enumerate(order)}
    ux, uy = np.unique(xs), np.unique(ys)
    fig, ax = plt.subplots(figsize=(8.5, 5.5))
    grid = len(ux) * len(uy) == len(regimes) and len(ux) > 1 and len(uy) > 1
    if grid:
        Z = np.full((len(uy), len(ux)), np.nan)
        ix = np.searchsorted(ux, xs)
        iy = np.searchsorted(uy, ys)
        Z[iy, ix] = [code[n] for n in names]

        def edges(u):
            mid = (u[1:] + u[:-1]) / 2
            return np.concatenate([[u[0] - (mid[0] - u[0])], mid, [u[-1] + (u[-1] - mid[-1])]])

        ax.pcolormesh(
            edges(ux),
            edges(uy),
            Z,
            cmap=ListedColormap(colors),
            vmin=-0.5,
            vmax=len(order) - 0.5,
            shading="flat",
        )
    else:
        ax.scatter(
            xs,
            ys,
            c=[colors[code[n]] for n in names],
            s=max(4, min(40, 4000 / max(1, len(xs)))),
            linewidths=0,
        )
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_title(title or f"Regimes over {x} and {y}")
    handles = [Patch(color=colors[i], label=_wrap(name)) for i, name in enumerate(order)]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.02, 1),
        fontsize=8,
        frameon=False,
        title="regime (equilibrium labels)",
        title_fontsize=8,
    )
    fig.tight_layout()
    return fig


def value_plot(rows: Sequence[dict[str, Any]], x: str, value: str, title: str | None = None) -> Any:
    """``value`` (a rows-table column) against ``x``, one series per equilibrium label."""
    require_matplotlib()
    import matplotlib.pyplot as plt

    _need(rows, x, "--x")
    _need(rows, value, "--value")
    series: dict[str, list[tuple[float, float]]] = {}
    for r in rows:
        v = r.get(value)
        if v is None or r.get("label") is None:
            continue
        try:
            fv = float(v)
        except (TypeError, ValueError):
            raise BargainingError(f"--value {value}: not a numeric column (got {v!r})") from None
        if math.isfinite(fv):
            series.setdefault(str(r["label"]), []).append((float(r[x]), fv))
    if not series:
        raise BargainingError(f"--value {value}: no equilibrium has a value in this table")
    labels = sorted(series, key=lambda s: (-len(series[s]), s))
    colors = _palette(len(labels))
    fig, ax = plt.subplots(figsize=(8.5, 5))
    for label, color in zip(labels, colors):
        pts = sorted(series[label])
        px, py = zip(*pts)
        ax.plot(px, py, "o", ms=3, color=color, label=_wrap(label, 50))
    ax.set_xlabel(x)
    ax.set_ylabel(value)
    ax.set_title(title or f"{value} against {x}")
    ax.grid(True, alpha=0.3)
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(1.02, 1),
        fontsize=8,
        frameon=False,
        title="equilibrium",
        title_fontsize=8,
    )
    fig.tight_layout()
    return fig
