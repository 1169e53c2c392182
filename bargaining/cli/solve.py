"""``bargain solve`` and ``bargain methods``."""

from __future__ import annotations

import click

from bargaining.cli.options import load_game, set_option, timeout_option
from bargaining.io.render import render
from bargaining.solve.api import CONCEPTS, methods_for
from bargaining.solve.api import solve as solve_game


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
        _check_concept(game, g, concept)
    options = {}
    if tie_break != "all":
        options["tie_break"] = tie_break
    sol = solve_game(g, concept=concept, method=method, timeout=timeout or None, exact=exact, **options)
    if sol.message and fmt != "table":
        click.echo(f"note: {sol.message}", err=True)
    # numbers print as fractions only with --exact (an exact game still prints decimals without it)
    click.echo(render(sol, fmt, exact=exact), nl=False)


_KIND_NAMES = {"normal": "a normal-form game", "tree": "a game tree", "signaling": "a signaling game"}


def _check_concept(spec: str, game, concept: str) -> None:
    """Refuse a --concept that no method of the game solves, naming the concepts it offers."""
    from bargaining.errors import BargainingError
    from bargaining.solve.api import default_concept, game_kind

    kind = game_kind(game)
    if kind not in _KIND_NAMES:  # bargaining models choose their method per concept
        return
    cli_name = {v: k for k, v in CONCEPTS.items()}
    offered = sorted({m.concept for m in methods_for(game)}, key=lambda c: list(cli_name).index(c)
                     if c in cli_name else 99)
    if CONCEPTS[concept] in offered or not offered:
        return
    default = cli_name.get(default_concept(game), default_concept(game))
    names = [cli_name.get(c, c) for c in offered]
    listed = " or ".join(f"--concept {n}" + (" (the default)" if n == default else "") for n in names)
    raise BargainingError(f"{spec} is {_KIND_NAMES[kind]}: concept {concept} is not offered; use {listed}")


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
