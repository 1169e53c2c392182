"""``bargain solve`` and ``bargain methods``."""

from __future__ import annotations

import click

from bargaining.cli.options import load_game, set_option, timeout_option
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
@click.option("--tie-break", type=click.Choice(["all", "file", "strong", "weak"]), default="all",
              help="SPE ties: all SPE (default) or the game file's tie_break rule; Stackelberg: the "
                   "follower breaks ties for (strong, default) or against (weak) the leader.")
@click.option("--leader", default=None, metavar="NAME", help="Stackelberg: the player who commits.")
@click.option("--commitment", type=click.Choice(["mixed", "pure"]), default=None,
              help="Stackelberg: the leader commits to a mixed (default) or a pure strategy.")
@click.option("--objective", default=None, metavar="welfare|entropy|NAME",
              help="Correlated: maximise welfare (default), entropy or a player's payoff.")
@click.option("--delta", default=None, metavar="D", help="Repeated: discount factor, 0 < D < 1.")
@click.option("--periods", type=click.IntRange(min=1), default=None, metavar="T",
              help="Repeated: a finite horizon of T periods instead of --delta.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
def solve_command(game, assignments, concept, method, exact, timeout, tie_break, leader, commitment,
                  objective, delta, periods, fmt):
    """Find the equilibria of a game file (.nfg, .efg, .yaml) or a scenario by name.

    \b
    Examples:
      bargain solve battle-of-the-sexes
      bargain solve game.nfg --exact --format json
      bargain solve resolve-signal --set p=0.4 --set c_B=1.2
      bargain solve crisis-normal-form --concept stackelberg --leader US --exact
      bargain solve crisis-four-powers --concept correlated --objective CN
      bargain solve deterrence-repeated --concept repeated --delta 0.5
      bargain solve endorsement-persuasion --exact
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
    for key, value in (("leader", leader), ("commitment", commitment), ("objective", objective),
                       ("delta", delta), ("periods", periods)):
        if value is not None:
            options[key] = value
    sol = solve_game(g, concept=concept, method=method, timeout=timeout or None, exact=exact, **options)
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
