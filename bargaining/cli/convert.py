"""``bargain convert FILE --to yaml|efg|nfg [--set k=v]… [-o OUT]``."""

from __future__ import annotations

import click

from bargaining.cli.options import parse_assignments, set_option
from bargaining.formats.convert import FORMATS, convert


@click.command("convert")
@click.argument("game", metavar="NAME|FILE")
@click.option("--to", "to", type=click.Choice(FORMATS), required=True, help="Target format.")
@set_option
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False), default=None,
              help="Output file (default: print to standard output).")
def convert_command(game: str, to: str, assignments: tuple[str, ...], out: str | None) -> None:
    """Convert a game: YAML to Gambit .nfg/.efg at fixed parameters, .nfg/.efg to YAML.

    A tree written as .nfg becomes its reduced strategic form.

    \b
    Examples:
      bargain convert escalation-tree --to efg --set psi=-0.2 -o g2.efg
      bargain convert crisis-normal-form --to nfg
      bargain convert game.efg --to yaml -o game.yaml
    """
    params = parse_assignments(assignments)
    text = convert(game, to, params, out)
    if out is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {out}", err=True)


COMMANDS = (convert_command,)
