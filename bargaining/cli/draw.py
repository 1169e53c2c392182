"""``bargain draw``: a picture of a game (payoff matrix or tree), with an equilibrium overlaid."""

from __future__ import annotations

import click

from bargaining.cli.options import check_out, input_file, load_game, set_option
from bargaining.errors import BargainingError
from bargaining.solvers.api import CONCEPTS


def solve_for_picture(
    game, do_solve: bool, equilibrium: int | None, concept: str | None, method: str | None, exact: bool
):
    """The solution to overlay (``None`` without ``--solve``; ``--equilibrium`` implies it)."""
    if not do_solve and equilibrium is None:
        return None
    from bargaining.cli.solve import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, budgets
    from bargaining.solvers.api import solve

    # the budgets of `bargain solve`; a picture needs an answer, so running out is an error
    with budgets(DEFAULT_TIMEOUT, DEFAULT_MEMORY_MB, stop=BargainingError):
        return solve(game, concept=concept, method=method, exact=exact, timeout=DEFAULT_TIMEOUT)


@click.command("draw")
@click.argument("game", metavar="NAME|FILE")
@set_option
@click.option("--solve", "do_solve", is_flag=True, help="Solve the game and overlay its equilibria.")
@click.option(
    "--equilibrium",
    "-k",
    type=int,
    default=None,
    metavar="K",
    help="Overlay only equilibrium K (0-based, as numbered by `bargain solve`); implies --solve.",
)
@click.option(
    "--concept",
    type=click.Choice(sorted(CONCEPTS)),
    default=None,
    help="Solution concept for --solve (default: by the game's kind).",
)
@click.option("--method", default=None, metavar="M", help="Solver method for --solve.")
@click.option("--exact", is_flag=True, help="Rational arithmetic; numbers shown as fractions p/q.")
@click.option(
    "--style",
    type=click.Choice(["auto", "right", "butterfly"]),
    default="auto",
    help="Tree layout: growing right, or the signaling 'butterfly' (auto: where it applies).",
)
@click.option(
    "--out",
    "-o",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Output picture: .png, .svg or .pdf.",
)
def draw_command(game, assignments, do_solve, equilibrium, concept, method, exact, style, out):
    """Draw a game: a payoff matrix (best responses underlined, equilibria shaded) or a tree
    (information sets dashed; with --solve the chosen actions thick, mixing probabilities on
    the branches and beliefs in brackets).

    An existing picture at --out is replaced (pictures are made to be redrawn); the input
    file never is. The picture is written whole or not at all.

    \b
    Examples:
      bargain draw battle-of-the-sexes --solve --out bos.png
      bargain draw escalation-tree --solve --out tree.svg
      bargain draw crisis-normal-form --equilibrium 0 --out eq.pdf
    """
    from bargaining.viz import draw, save

    check_out(out, input_file(game))
    g = load_game(game, assignments)
    sol = solve_for_picture(g, do_solve, equilibrium, concept, method, exact)
    options = {"exact": True} if exact else {}
    if getattr(g, "kind", None) in ("tree", "signaling"):
        options["style"] = style
    fig = draw(g, sol, equilibrium, **options)
    path = save(fig, out)
    click.echo(f"wrote {path}")


COMMANDS = (draw_command,)
