"""``bargain explain``: a step-by-step derivation of the PBE of a signaling game."""

from __future__ import annotations

import click

from bargaining.cli.options import load_game, set_option
from bargaining.report.explain import explain


@click.command("explain")
@click.argument("game", metavar="NAME|FILE")
@set_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown"]),
    default="text",
    help="Plain text (default) or Markdown for slides and notes.",
)
@click.option(
    "--concept",
    type=click.Choice(["pbe", "sequential"]),
    default=None,
    help="pbe for signaling games, sequential for game trees (the default for each kind).",
)
def explain_command(game, assignments, fmt, concept):
    """Derive every perfect Bayesian equilibrium of a signaling game (or, for a game tree, which
    subgame-perfect equilibria are sequential and the beliefs they need) step by step: Bayes' rule
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
      bargain explain seltens-horse --concept sequential
    """
    g = load_game(game, assignments)
    kind = getattr(g, "kind", None)
    if concept is not None and (concept == "sequential") != (kind == "tree"):
        raise click.UsageError(
            f"--concept {concept} does not apply to a {kind} game; explain derives the PBE of "
            "signaling games and the sequential equilibria of game trees"
        )
    if kind == "tree":  # trees: which SPE are sequential, and why not
        from bargaining.report.explain_sequential import explain_tree

        click.echo(explain_tree(g, fmt), nl=False)
        return
    if getattr(g, "kind", None) == "persuasion":  # two states: the concavification at the prior
        from bargaining.report.explain_persuasion import explain_persuasion

        click.echo(explain_persuasion(g, fmt), nl=False)
        return
    click.echo(explain(g, fmt), nl=False)


COMMANDS = (explain_command,)
