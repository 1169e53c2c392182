"""``bargain plot``: regime maps and one-parameter plots of a sweep's table (the drawing is
:func:`bargaining.viz.regime_plot.plot_table`; this module parses the options and words the
messages)."""

from __future__ import annotations

import click

from bargaining.errors import BargainingError
from bargaining.formats.load import parse_assignment


def _where(where: tuple[str, ...]) -> dict[str, float]:
    out: dict[str, float] = {}
    for text in where:
        key, value = parse_assignment(text, where="--where")
        try:
            out[key] = float(value)
        except ValueError:
            raise BargainingError(f"--where {text}: expected NAME=NUMBER") from None
    return out


def _slice_warning(varying: list[str]) -> None:
    example = ", ".join(f"--where {p}=VALUE" for p in varying)
    verb = "varies" if len(varying) == 1 else "vary"
    click.echo(
        f"warning: {', '.join(varying)} also {verb} in this table: the plot overlays every slice; "
        f"pick one with {example}",
        err=True,
    )


@click.command("plot")
@click.argument("table", metavar="RESULTS", type=click.Path(dir_okay=False))
@click.option("--x", "x", required=True, metavar="PARAM", help="Parameter on the horizontal axis.")
@click.option("--y", "y", default=None, metavar="PARAM", help="Second parameter: draw the regime map.")
@click.option(
    "--value",
    default=None,
    metavar="COLUMN",
    help="Without --y: plot this column (e.g. p:US:F, payoff:RU) against --x.",
)
@click.option(
    "--where",
    multiple=True,
    metavar="PARAM=VALUE",
    help="Keep only the points with this parameter value (the nearest grid value; repeatable).",
)
@click.option("--title", default=None, help="Title of the figure.")
@click.option(
    "--out", default=None, metavar="FILE.png|svg|pdf", help="Picture file (default: beside the table)."
)
def plot_command(table, x, y, value, where, title, out):
    """Draw a sweep: the regime map over two parameters, or an equilibrium quantity over one.

    An existing picture at --out is replaced (pictures are made to be redrawn); the table never
    is. --where takes the nearest grid value and refuses a value off the grid.

    \b
    Examples:
      bargain plot results.parquet --x p --y c_B --out regimes.png
      bargain plot results.parquet --x w --value p:US:F --where k_F=0.2
    """
    from bargaining.sweep.store import read_table
    from bargaining.viz.regime_plot import plot_table

    if y is None and value is None:
        raise BargainingError("give --y PARAM (a regime map) or --value COLUMN (a one-parameter plot)")
    if y is not None and value is not None:
        raise BargainingError("give --y (a regime map) or --value (a one-parameter plot), not both")
    from bargaining.cli.options import check_out

    check_out(out, table)  # never the table; an existing picture is replaced
    path = plot_table(
        table,
        x,
        read_table=read_table,
        y=y,
        value=value,
        out=out,
        where=_where(where),
        title=title,
        warn=_slice_warning,
    )
    click.echo(f"wrote {path}", err=True)


COMMANDS = (plot_command,)
