"""``bargain regimes`` (exact regime boundaries over two parameters) and the ``--symbolic``
branch of ``bargain solve``."""

from __future__ import annotations

from pathlib import Path

import click

from bargaining.cli.options import parse_assignments, set_option
from bargaining.errors import BargainingError
from bargaining.formats.load import load_template

EXIT_INCOMPLETE = 3


def _template(game: str):
    t = load_template(game)
    if not getattr(t, "parameters", None):
        raise BargainingError(
            f"{game}: symbolic answers need a parametric game file (a YAML game with parameters)"
        )
    return t


def _names(text: str, template) -> list[str] | None:
    if text in ("*", ""):
        return None
    names = [n.strip() for n in text.split(",") if n.strip()]
    for n in names:
        template.parameter(n)
    return names


def solve_symbolic_command(
    game: str, assignments: tuple[str, ...], symbolic: str, check: int, timeout: float | None, fmt: str
) -> None:
    from bargaining.report.render_symbolic import render_symbolic
    from bargaining.solvers.symbolic import solve_symbolic
    from bargaining.solvers.symbolic.check import check_families

    if fmt == "csv":
        raise click.UsageError("--symbolic prints table, json or latex")
    t = _template(game)
    names = _names(symbolic, t)
    fixed = parse_assignments(assignments)
    clash = [n for n in (names or []) if n in fixed]
    if clash:
        raise BargainingError(
            f"--set {clash[0]}: the parameter is symbolic (--symbolic); drop one of the two"
        )
    res = solve_symbolic(t, names, fixed, timeout=timeout)
    report = check_families(res, t, n=check) if check else None
    click.echo(render_symbolic(res, fmt, check=report), nl=False)
    bad = [c for c in (report or []) if c["matched"] < c["checked"]]
    if bad:
        click.echo(
            f"check: {len(bad)} famil{'y' if len(bad) == 1 else 'ies'} disagree with the numeric solver",
            err=True,
        )
        raise SystemExit(1)
    if not res.complete or any(f.region is None for f in res.families):
        click.echo("incomplete: " + "; ".join(res.notes), err=True)
        raise SystemExit(EXIT_INCOMPLETE)


@click.command("regimes")
@click.argument("game", metavar="NAME|FILE")
@click.option("--x", "x", required=True, metavar="P", help="Parameter on the horizontal axis.")
@click.option("--y", "y", required=True, metavar="Q", help="Parameter on the vertical axis.")
@set_option
@click.option(
    "--out",
    default=None,
    metavar="FILE.png|svg|pdf",
    help="Draw the exact boundaries over the numeric regime map sampled on a grid.",
)
@click.option(
    "--grid",
    type=click.IntRange(min=3, max=201),
    default=31,
    show_default=True,
    metavar="N",
    help="Points per axis of the sampled map (with --out).",
)
@click.option("--force", is_flag=True, help="Write over an existing --out file.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=120,
    show_default=True,
    metavar="S",
    help="Time budget of the symbolic solve in seconds (0: none).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def regimes_command(game, x, y, assignments, out, grid, force, timeout, fmt):
    """Exact regime boundaries of a game over two parameters (the others fixed).

    Each equilibrium family's region over (X, Y) is a conjunction of polynomial inequalities;
    the boundaries are their zero sets. With --out, they are drawn over the regime map that the
    numeric solver gives on a GRID x GRID sample of the parameters' ranges.

    \b
    Examples:
      bargain regimes resolve-signal --x p --y c_B
      bargain regimes escalation-tree --x psi --y a --out regimes.png
    """
    from bargaining.report.render_symbolic import draw_boundaries, render_boundaries
    from bargaining.solvers.symbolic import solve_symbolic

    if x == y:
        raise click.UsageError("--x and --y must be two different parameters")
    t = _template(game)
    fixed = parse_assignments(assignments)
    for n in (x, y):
        t.parameter(n)
        if n in fixed:
            raise BargainingError(f"--set {n}: {n} is an axis (--x/--y); drop the --set")
    res = solve_symbolic(t, [x, y], fixed, timeout=timeout or None)
    click.echo(render_boundaries(res, x, y, fmt), nl=False)
    if out:
        path = Path(out)
        if path.exists() and not force:
            raise BargainingError(f"{path}: exists; add --force to write over it")
        fig = _sampled_map(t, res, x, y, fixed, grid)
        draw_boundaries(fig, res, x, y)
        from bargaining.viz.backend import save

        save(fig, path)
        click.echo(f"wrote {path}", err=True)
    if not res.complete or any(f.region is None for f in res.families):
        click.echo("incomplete: " + "; ".join(res.notes), err=True)
        raise SystemExit(EXIT_INCOMPLETE)


def _sampled_map(t, res, x, y, fixed, grid):
    import numpy as np

    from bargaining.solvers.api import solve
    from bargaining.viz.phase import regime_map

    (xlo, xhi), (ylo, yhi) = (res.box[x], res.box[y])
    eps = 1e-9
    xs = np.linspace(float(xlo) + eps, float(xhi) - eps, grid)
    ys = np.linspace(float(ylo) + eps, float(yhi) - eps, grid)
    rows = []
    for yv in ys:
        for xv in xs:
            point = {**fixed, x: repr(float(xv)), y: repr(float(yv))}
            try:
                sol = solve(t.with_params(**point), timeout=60)
                regime = "; ".join(sorted({e.label for e in sol.equilibria})) or "(none)"
            except BargainingError:
                regime = None
            rows.append({x: float(xv), y: float(yv), "regime": regime})
    return regime_map(rows, x, y, title=f"{t.name}: exact boundaries over the sampled regimes")


COMMANDS = (regimes_command,)
