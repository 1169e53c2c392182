"""``bargain plot``: regime maps and one-parameter plots of a sweep's table."""

from __future__ import annotations

from pathlib import Path

import click

from bargaining.errors import BargainingError
from bargaining.formats.load import parse_assignment


def _regimes_path(table: Path) -> Path:
    """``r.parquet`` → ``r.regimes.parquet``; a regimes file is returned as it is."""
    stem = table.name[: -len(table.suffix)]
    if stem.endswith(".regimes"):
        return table
    return table.with_name(f"{stem}.regimes{table.suffix}")


def _filter(rows, where):
    for text in where:
        key, value = parse_assignment(text, where="--where")
        try:
            v = float(value)
        except ValueError:
            raise BargainingError(f"--where {text}: expected NAME=NUMBER") from None
        if rows and key not in rows[0]:
            raise BargainingError(f"--where {text}: the table has no column {key!r}")
        vals = sorted({float(r[key]) for r in rows if r.get(key) is not None})
        if not vals:
            raise BargainingError(f"--where {text}: the column is empty")
        nearest = min(vals, key=lambda u: abs(u - v))  # grid values are rounded: take the nearest
        rows = [r for r in rows if r.get(key) is not None and float(r[key]) == nearest]
    return rows


def _parameters(rows: list[dict]) -> list[str]:
    """The parameter columns of a rows table: those between ``point`` and ``equilibrium``."""
    cols = list(rows[0]) if rows else []
    if "point" in cols and "equilibrium" in cols:
        return cols[cols.index("point") + 1: cols.index("equilibrium")]
    return []


def _check_column(rows: list[dict], column: str, flag: str) -> None:
    if rows and column not in rows[0]:
        cols = ", ".join(rows[0]) or "none"
        raise BargainingError(f"{flag}: no column {column!r}; the columns are: {cols}")


def _warn_slices(rows: list[dict], x: str, where: tuple[str, ...], warn) -> None:
    """Warn when parameters other than ``x`` vary in the rows: the plot overlays every slice."""
    fixed = {parse_assignment(w, where="--where")[0] for w in where}
    varying = [p for p in _parameters(rows) if p != x and p not in fixed
               and len({r.get(p) for r in rows if r.get(p) is not None}) > 1]
    if varying and warn is not None:
        example = ", ".join(f"--where {p}=VALUE" for p in varying)
        verb = "varies" if len(varying) == 1 else "vary"
        warn(f"warning: {', '.join(varying)} also {verb} in this table: the plot overlays every slice; "
             f"pick one with {example}")


def plot_table(table: str | Path, x: str, y: str | None = None, value: str | None = None,
               out: str | Path | None = None, where: tuple[str, ...] = (), title: str | None = None,
               warn=None) -> Path:
    """Draw a regime map (``x`` and ``y``) or a value plot (``x`` and ``value``) of a sweep
    table and save it; returns the picture's path."""
    from bargaining.sweep.store import read_table
    from bargaining.viz import save
    from bargaining.viz.phase import regime_map, value_plot

    table = Path(table)
    if y is None and value is None:
        raise BargainingError("give --y PARAM (a regime map) or --value COLUMN (a one-parameter plot)")
    if y is not None and value is not None:
        raise BargainingError("give --y (a regime map) or --value (a one-parameter plot), not both")
    if not table.is_file():
        raise BargainingError(f"{table}: no such file")
    if y is not None:
        regimes = _regimes_path(table)
        if not regimes.is_file():
            raise BargainingError(f"{table}: the regime map needs {regimes} beside it (written by bargain sweep)")
        rows = _filter(read_table(regimes), where)
        fig = regime_map(rows, x, y, title=title)
        default = f"{x}-{y}"
    else:
        all_rows = read_table(table)
        params = _parameters(all_rows)
        if params and x not in params:
            raise BargainingError(f"--x {x}: not a parameter of the sweep (parameters: {', '.join(params)})")
        _check_column(all_rows, value, "--value")
        rows = _filter(all_rows, where)
        _warn_slices(rows, x, where, warn)
        fig = value_plot(rows, x, value, title=title)
        default = f"{x}-{value.replace(':', '_')}"
    stem = table.name[: -len(table.suffix)]
    out = Path(out) if out else table.with_name(f"{stem}.{default}.png")
    save(fig, out)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return out


@click.command("plot")
@click.argument("table", metavar="RESULTS", type=click.Path(dir_okay=False))
@click.option("--x", "x", required=True, metavar="PARAM", help="Parameter on the horizontal axis.")
@click.option("--y", "y", default=None, metavar="PARAM", help="Second parameter: draw the regime map.")
@click.option("--value", default=None, metavar="COLUMN",
              help="Without --y: plot this column (e.g. p:US:F, payoff:RU) against --x.")
@click.option("--where", multiple=True, metavar="PARAM=VALUE",
              help="Keep only the points with this parameter value (the nearest grid value; repeatable).")
@click.option("--title", default=None, help="Title of the figure.")
@click.option("--out", default=None, metavar="FILE.png|svg|pdf", help="Picture file (default: beside the table).")
def plot_command(table, x, y, value, where, title, out):
    """Draw a sweep: the regime map over two parameters, or an equilibrium quantity over one.

    \b
    Examples:
      bargain plot results.parquet --x p --y c_B --out regimes.png
      bargain plot results.parquet --x w --value p:US:F --where k_F=0.2
    """
    path = plot_table(table, x, y=y, value=value, out=out, where=where, title=title,
                      warn=lambda msg: click.echo(msg, err=True))
    click.echo(f"wrote {path}", err=True)


COMMANDS = (plot_command,)
