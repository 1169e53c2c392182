"""``bargain explain``: a step-by-step derivation of the PBE of a signaling game."""

from __future__ import annotations

import click

from bargaining.cli.options import load_game, set_option
from bargaining.report.explain import explain


@click.command("explain")
@click.argument("game", metavar="NAME|FILE")
@set_option
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text",
              help="Plain text (default) or Markdown for slides and notes.")
def explain_command(game, assignments, fmt):
    """Derive every perfect Bayesian equilibrium of a signaling game step by step: Bayes' rule
    with the numbers, the receiver's threshold beliefs, each type's incentive constraint, the
    indifference that pins each mixing probability, and what the intuitive criterion and D1
    keep or kill. A game tree: which subgame-perfect equilibria are sequential. A persuasion
    problem with two states: the optimal signal by concavification at the prior.

    \b
    Examples:
      bargain explain resolve-signal
      bargain explain beer-quiche --format markdown
      bargain explain resolve-signal --set p=0.4
      bargain explain prosecutor-persuasion
    """
    g = load_game(game, assignments)
    if getattr(g, "kind", None) == "tree":  # trees: which SPE are sequential, and why not
        from bargaining.report.explain_sequential import explain_tree

        click.echo(explain_tree(g, fmt), nl=False)
        return
    if getattr(g, "kind", None) == "persuasion":  # two states: the concavification at the prior
        from bargaining.report.explain_persuasion import explain_persuasion

        click.echo(explain_persuasion(g, fmt), nl=False)
        return
    click.echo(explain(g, fmt), nl=False)


COMMANDS = (explain_command,)
