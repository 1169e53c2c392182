"""``bargain convert FILE --to yaml|efg|nfg [--set k=v]… [-o OUT]``."""

from __future__ import annotations

import click

from bargaining.cli.options import (
    check_game_arg,
    check_out,
    force_option,
    input_file,
    parse_assignments,
    set_option,
)
from bargaining.formats.convert import FORMATS, convert


@click.command("convert")
@click.argument("game", metavar="NAME|FILE")
@click.option("--to", "to", type=click.Choice(FORMATS), required=True, help="Target format.")
@set_option
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Output file (default: print to standard output).",
)
@force_option("the -o file")
def convert_command(game: str, to: str, assignments: tuple[str, ...], out: str | None, force: bool) -> None:
    """Convert a game: YAML to Gambit .nfg/.efg at fixed parameters, .nfg/.efg to YAML.

    A tree written as .nfg becomes its reduced strategic form. The -o file is never the input
    file, and an existing file is replaced only with --force (it may be a game you edited);
    it is written whole or not at all.

    \b
    Examples:
      bargain convert escalation-tree --to efg --set psi=-0.2 -o g2.efg
      bargain convert crisis-normal-form --to nfg
      bargain convert game.efg --to yaml -o game.yaml
    """
    check_game_arg(game)
    params = parse_assignments(assignments)
    check_out(out, input_file(game), force=force)
    text = convert(game, to, params, out)  # writes out atomically
    if out is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {out}", err=True)


COMMANDS = (convert_command,)
