"""``bargain export``: LaTeX for slides (sgame tables, TikZ trees)."""

from __future__ import annotations

import click

from bargaining.cli.draw import solve_for_picture
from bargaining.cli.options import check_out, force_option, input_file, load_game, set_option
from bargaining.errors import BargainingError
from bargaining.output import write_text
from bargaining.solvers.api import CONCEPTS


@click.command("export")
@click.argument("game", metavar="NAME|FILE")
@set_option
@click.option(
    "--to",
    "to",
    type=click.Choice(["tikz", "sgame"]),
    required=True,
    help="sgame: a strategic form as a table; tikz: a tree as a tikzpicture.",
)
@click.option("--solve", "do_solve", is_flag=True, help="Overlay the equilibria (pure ones boxed / thick).")
@click.option(
    "--equilibrium",
    "-k",
    type=int,
    default=None,
    metavar="K",
    help="Overlay only equilibrium K (0-based); implies --solve.",
)
@click.option("--concept", type=click.Choice(sorted(CONCEPTS)), default=None, help="Concept for --solve.")
@click.option("--method", default=None, metavar="M", help="Solver method for --solve.")
@click.option("--exact", is_flag=True, help="Rational arithmetic; numbers as \\frac{p}{q}.")
@click.option(
    "--standalone", is_flag=True, help="A complete document (class standalone) instead of a snippet."
)
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="OUT",
    help="Write to this file (default: standard output).",
)
@force_option("the -o file")
def export_command(
    game, assignments, to, do_solve, equilibrium, concept, method, exact, standalone, out, force
):
    """Export a game as LaTeX: a normal-form game as sgame tables (best responses underlined),
    a tree or signaling game as a TikZ picture.

    The -o file is never the input file, and an existing file is replaced only with --force
    (it may hold LaTeX you edited); it is written whole or not at all.

    \b
    Examples:
      bargain export battle-of-the-sexes --to sgame
      bargain export entry-deterrence --to tikz --solve -o tree.tex
    """
    from bargaining.report.latex import export

    check_out(out, input_file(game), force=force)
    g = load_game(game, assignments)
    kind = getattr(g, "kind", None)
    if kind not in ("normal", "tree", "signaling"):
        raise BargainingError(f"{game}: a {kind} game has no table or tree to export; use bargain solve")
    sol = solve_for_picture(g, do_solve, equilibrium, concept, method, exact)
    text = export(g, to, sol, equilibrium, exact=True if exact else None, standalone=standalone)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_text(out, text)
        click.echo(f"wrote {out}")


COMMANDS = (export_command,)
