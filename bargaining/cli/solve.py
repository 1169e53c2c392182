"""``bargain solve`` and ``bargain methods``."""

from __future__ import annotations

import click

from bargaining.cli.options import load_game, set_option, timeout_option
from bargaining.errors import BargainingError
from bargaining.formats.render import render
from bargaining.solvers.api import CONCEPTS, check_concept, methods_for
from bargaining.solvers.api import solve as solve_game


@click.command("solve")
@click.argument("game", metavar="NAME|FILE")
@set_option
@click.option("--concept", type=click.Choice(sorted(CONCEPTS)), default=None,
              help="Solution concept (default: nash for normal form, spe for trees, pbe for signaling games).")
@click.option("--method", default=None, metavar="M", help="Solver method; `bargain methods GAME` lists them.")
@click.option("--exact", is_flag=True, help="Rational arithmetic; numbers printed as fractions p/q.")
@timeout_option
@click.option("--tie-break", type=click.Choice(["all", "file"]), default="all",
              help="SPE ties: all SPE (default) or the game file's tie_break rule.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
def solve_command(game, assignments, concept, method, exact, timeout, tie_break, fmt):
    """Find the equilibria of a game file (.nfg, .efg, .yaml) or a scenario by name.

    \b
    Examples:
      bargain solve battle-of-the-sexes
      bargain solve game.nfg --exact --format json
      bargain solve resolve-signal --set p=0.4 --set c_B=1.2
    """
    g = load_game(game, assignments)
    from bargaining.cli.games import constraint_warnings

    for warning in constraint_warnings(game, assignments):
        click.echo(f"warning: {warning}", err=True)
    if concept is not None and method is None:
        check_concept(g, concept, name=game)
    options = {}
    if tie_break != "all":
        options["tie_break"] = tie_break
    try:
        sol = solve_game(g, concept=concept, method=method, timeout=timeout or None, exact=exact, **options)
    except BargainingError as err:
        hint = getattr(err, "hint", None)
        if hint and hint.get("option") == "tie_break":  # the solver's hint in CLI words
            raise BargainingError(f"--tie-break {hint.get('instead_of', 'file')}: this game declares no "
                                  f"tie_break rule; use --tie-break {hint['value']}") from None
        raise
    if "exact" in sol.extra.get("hints", ()) and not exact:
        sol = sol.replace(message=f"{sol.message} (try --exact)" if sol.message else "try --exact")
    if sol.message and fmt != "table":
        click.echo(f"note: {sol.message}", err=True)
    # numbers print as fractions only with --exact (an exact game still prints decimals without it)
    click.echo(render(sol, fmt, exact=exact), nl=False)


@click.command("methods")
@click.argument("game", metavar="NAME|FILE")
@set_option
def methods_command(game, assignments):
    """List the solution methods that apply to a game.

    \b
    Example:
      bargain methods battle-of-the-sexes
    """
    g = load_game(game, assignments)
    for m in methods_for(g):
        click.echo(f"{m.name:<14} {m.concept:<18} {m.summary}")


COMMANDS = (solve_command, methods_command)
