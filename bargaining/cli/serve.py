"""``bargain serve``: the web lab (a local app for teaching live)."""

from __future__ import annotations

import click


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind; the default serves this machine only.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=2,
    show_default=True,
    help="Solver processes running at once.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=20.0,
    show_default=True,
    metavar="S",
    help="Budget per solve in seconds; a solve over it is stopped and the page says so.",
)
def serve_command(host, port, workers, timeout):
    """Start the web lab: pick a game, move parameter sliders, see the equilibria, the tree or
    matrix, the derivation, a regime map, a YAML editor and learning dynamics. Works offline
    (everything is shipped in the package). Needs the `web` extra: pip install 'bargaining[web]'.

    \b
    Examples:
      bargain serve
      bargain serve --port 8080
    """
    from bargaining.web.server import run

    run(host=host, port=port, workers=workers, timeout=timeout)


COMMANDS = (serve_command,)
