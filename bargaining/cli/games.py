"""``bargain games [--format table|json]``: the scenario library, one game per line.

Also :func:`parameters_text`, the parameter section that ``bargain show NAME`` prints for a
parametric (YAML) game: each parameter with its value, default, range and meaning, and the
orderings that fail at that point.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from bargaining.errors import BargainingError
from bargaining.model.template import Template, format_value

__all__ = ["catalogue", "parameters_text", "template_section", "constraint_warnings", "games_command"]

_SUFFIXES = (".yaml", ".yml", ".efg", ".nfg")


def catalogue() -> list[dict[str, Any]]:
    """Every game found in the games folders (``bargaining.formats.load.games_dirs``), by name; a YAML
    file wins over a Gambit file of the same name. Each entry: name, kind, title, players,
    parameters (name, default, range ``[lo, hi]``, meaning, plus ``range_open`` ``[lo excluded,
    hi excluded]`` and ``range_text`` such as ``"(0, 1]"``), and path."""
    from bargaining.formats.load import find_game_file, known_game_names

    out = []
    for name in known_game_names():
        path = find_game_file(name)
        if path is None:
            continue
        out.append(_entry(name, path))
    return out


def _entry(name: str, path: Path) -> dict[str, Any]:
    if path.suffix in (".yaml", ".yml"):
        from bargaining.formats.yamlgame import load_template

        template = load_template(path)
        entry = template.describe()
        entry["name"] = name
        for d, p in zip(entry["parameters"], template.parameters):
            # "range" [lo, hi] keeps its shape; which ends are excluded is said beside it
            d["range_open"] = [bool(p.open_lo), bool(p.open_hi)] if p.range is not None else None
            d["range_text"] = p.range_text()
    else:
        from bargaining.formats.load import load

        try:
            game = load(path)
            kind, title, players = game.kind, game.title, list(game.players)
        except BargainingError as err:  # listed, with the reason it does not load
            kind, title, players = path.suffix[1:], f"(cannot load: {err})", []
        entry = {"name": name, "kind": kind, "title": title, "players": players, "parameters": []}
    entry["path"] = str(path)
    return entry


def parameters_text(template: Template, params: Mapping[str, Any] | None = None) -> str:
    """The parameter section of ``bargain show`` for a template at ``params`` (defaults for the
    rest): one line per parameter, then violated orderings and corrections."""
    point = template.validate_params(params or {})
    lines = []
    if template.source:
        lines.append(f"source: {template.source}")
    if template.parameters:
        lines.append(f"parameters ({template.canonical_id(point)}):")
        w = max(len(p.name) for p in template.parameters)
        for p in template.parameters:
            value = format_value(point[p.name])
            default = "" if point[p.name] == p.default else f" (default {format_value(p.default)})"
            lines.append(f"  {p.name:<{w}} = {value}{default}  range {p.range_text()}  {p.meaning}")
    else:
        lines.append("parameters: none")
    for msg in template.check_constraints(point):
        lines.append(f"warning: {msg}")
    for c in template.corrections:
        lines.append(f"correction: {' '.join(c.split())}")
    return "\n".join(lines) + "\n"


def template_section(spec: str, assignments: tuple[str, ...] = ()) -> str:
    """:func:`parameters_text` for a game named on the command line (``""`` unless it is a YAML
    game file); ``assignments`` are the ``--set NAME=VALUE`` strings."""
    from bargaining.cli.options import parse_assignments
    from bargaining.formats.load import load_template, resolve

    path, id_params = resolve(spec)
    if path.suffix.lower() not in (".yaml", ".yml"):
        return ""
    params = {**id_params, **parse_assignments(assignments)}
    return "\n" + parameters_text(load_template(path), params)


def constraint_warnings(spec: str, assignments: tuple[str, ...] = ()) -> list[str]:
    """The orderings a YAML game's parameter point breaks (``[]`` for other files)."""
    from bargaining.cli.options import parse_assignments
    from bargaining.formats.load import load_template, resolve

    path, id_params = resolve(spec)
    if path.suffix.lower() not in (".yaml", ".yml"):
        return []
    params = {**id_params, **parse_assignments(assignments)}
    template = load_template(path)
    return [f"{template.name}: {m}" for m in template.check_constraints(params)]


def _params_line(entry: dict[str, Any]) -> str:
    parts = []
    for p in entry["parameters"]:
        d = p["default"]
        parts.append(f"{p['name']}={format_value(d) if not isinstance(d, float) else f'{d:g}'}")
    return " ".join(parts) or "-"


@click.command("games")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def games_command(fmt: str) -> None:
    """List the games of the scenario library: name, kind, players and parameters (defaults).

    A name marked * has another file of the same name (in a later games folder or in the
    working directory) that `bargain solve NAME` does not use; the note under the table says
    which file is used.

    \b
    Examples:
      bargain games
      bargain games --format json
      bargain show resolve-signal
    """
    from bargaining.cli.options import shadowed

    entries = catalogue()
    also = {e["name"]: [str(p) for p in shadowed(e["name"])[1:]] for e in entries}
    for e in entries:
        if also[e["name"]]:
            e["also_found"] = also[e["name"]]  # files of the same name that `solve NAME` does not use
    if fmt == "json":
        click.echo(json.dumps([{k: v for k, v in e.items()} for e in entries], indent=2, ensure_ascii=False))
        return
    if not entries:
        click.echo("no games found (set BARGAINING_GAMES to a folder of game files)")
        return
    wn = max(len(e["name"]) for e in entries)
    wk = max(len(e["kind"]) for e in entries)
    players = [", ".join(e["players"]) for e in entries]
    wp = min(max(len(p) for p in players), 28)
    for e, pl in zip(entries, players):
        mark = "*" if e.get("also_found") else " "
        click.echo(f"{e['name'] + mark:<{wn + 1}} {e['kind']:<{wk}}  {pl:<{wp}}  {_params_line(e)}")
    for e in entries:
        if e.get("also_found"):
            click.echo(
                f"* {e['name']} is {e['path']}; also found {', '.join(e['also_found'])}, which is not used "
                "by that name (give its path to use it)"
            )


COMMANDS = (games_command,)
