"""``bargain show NAME|FILE [--solve]``: print a game for people.

Trees are printed indented, one node per line, with chance probabilities, information sets
(shown as ``{label}`` when a set holds several nodes) and terminal payoffs; normal-form games as
a payoff table. With ``--solve`` the first equilibrium is marked: ``*`` before every node reached
with positive probability and the probability of each action after its label; the full list of
equilibria follows. :func:`show_text` is the reusable part.
"""

from __future__ import annotations

import itertools
from typing import Any

import click

from bargaining.cli.options import load_game, set_option
from bargaining.model.profile import Solution
from bargaining.numeric import format_number

__all__ = ["show_text", "tree_text", "normal_text", "model_text"]


def _num(x: Any, exact: bool) -> str:
    return format_number(x, exact)


def tree_text(game: Any, solution: Solution | None = None, equilibrium: int = 0) -> str:
    """The indented tree; with a solution, equilibrium ``equilibrium`` marked on it."""
    from bargaining.report.render_tree import infoset_name
    from bargaining.verify import tree as verify_tree

    exact = game.exact
    eq = solution.equilibria[equilibrium] if solution is not None and solution.equilibria else None
    reach = verify_tree.reach_probabilities(game, eq.behavior_profile) if eq is not None else None
    pos = {}
    for ids in game.player_infosets:
        for j, k in enumerate(ids):
            pos[k] = j
    lines: list[str] = []
    stack: list[tuple[int, int, str]] = [(0, 0, "")]
    while stack:
        v, depth, edge = stack.pop()
        node = game.nodes[v]
        mark = ""
        if reach is not None:
            mark = "* " if reach[v] != 0 else "  "
        pad = "  " * depth
        if node.kind == "terminal":
            pay = ", ".join(_num(x, exact) for x in node.payoffs)
            name = f" {node.name}" if node.name else ""
            body = f"({pay}){name}"
        elif node.kind == "chance":
            body = "chance" + (f" {node.name}" if node.name else "")
        else:
            h = game.infosets[node.infoset]
            body = game.players[node.player]
            if len(h.nodes) > 1:
                body += f" {{{h.label}}}"
            elif h.label != f"{game.players[h.player]}:{h.number + 1}":
                body += f" [{infoset_name(game, h)}]"
        lines.append(f"{mark}{pad}{edge}{body}")
        kids = []
        for k, c in enumerate(node.children):
            a = node.actions[k]
            if node.kind == "chance":
                label = f"{a} ({_num(node.probs[k], exact)}) -> "
            elif eq is not None:
                p = eq.behavior_profile[node.player][pos[node.infoset]][k]
                label = f"{a} [{_num(p, exact or (solution is not None and solution.exact))}] -> "
            else:
                label = f"{a} -> "
            kids.append((c, depth + 1, label))
        stack.extend(reversed(kids))
    return "\n".join(lines) + "\n"


def normal_text(game: Any) -> str:
    """The payoff table: two players as a matrix, more players cell by cell."""
    exact = game.exact
    pay = game.payoffs
    lines = []
    if game.num_players == 2:
        rows, cols = game.strategies
        cells = [
            [", ".join(_num(pay[i][r, c], exact) for i in range(2)) for c in range(len(cols))]
            for r in range(len(rows))
        ]
        w0 = max(len(game.players[0]), *(len(r) for r in rows))
        widths = [max(len(cols[c]), *(len(cells[r][c]) for r in range(len(rows)))) for c in range(len(cols))]
        head = f"{game.players[0]} \\ {game.players[1]}"
        w0 = max(w0, len(head))
        lines.append(f"{head:<{w0}}  " + "  ".join(f"{c:>{w}}" for c, w in zip(cols, widths)))
        for r, label in enumerate(rows):
            lines.append(f"{label:<{w0}}  " + "  ".join(f"{x:>{w}}" for x, w in zip(cells[r], widths)))
    else:
        lines.append("(" + ", ".join(game.players) + ")")
        for cell in itertools.product(*(range(m) for m in game.shape)):
            labels = ", ".join(game.strategies[i][k] for i, k in enumerate(cell))
            values = ", ".join(_num(pay[(i, *cell)], exact) for i in range(game.num_players))
            lines.append(f"{labels}: {values}")
    return "\n".join(lines) + "\n"


def model_text(game: Any, description: str = "") -> str:
    """A built-in bargaining model for people: its model, players and description (the
    parameters, with defaults, ranges and meanings, come from the game file's section)."""
    import textwrap

    describe = getattr(game, "describe", None)
    info = describe() if callable(describe) else {}
    lines = []
    model = info.get("model")
    if model:
        lines.append(f"model: {model} (a built-in model; bargain methods lists its solution concepts)")
    players = info.get("players") or list(getattr(game, "players", []) or [])
    if players:
        lines.append(f"players: {', '.join(str(p) for p in players)}")
    description = description or str(getattr(game, "description", "") or "")
    if description:
        lines.append("")
        lines.extend(textwrap.wrap(" ".join(description.split()), width=96))
    return "\n".join(lines) + "\n"


def show_text(game: Any, solution: Solution | None = None, description: str = "") -> str:
    """The text ``bargain show`` prints for ``game`` (and ``solution`` if given)."""
    kind = getattr(game, "kind", "")
    title = getattr(game, "title", "") or "untitled game"
    out = [title, ""]
    if kind == "tree":
        out.append(f"players: {', '.join(game.players)}")
        out.append(tree_text(game, solution))
    elif kind == "normal":
        out.append(normal_text(game))
    else:
        to_tree = getattr(game, "to_extensive", None)
        if to_tree is not None:
            tree = to_tree()
            out.append(tree_text(tree, None))
        else:
            out.append(model_text(game, description))
    if solution is not None:
        from bargaining.report.render import render_table

        out.append(render_table(solution))
    return "\n".join(out)


@click.command("show")
@click.argument("game", metavar="NAME|FILE")
@set_option
@click.option("--solve", "do_solve", is_flag=True, help="Solve the game and mark the first equilibrium.")
@click.option("--exact", is_flag=True, help="Rational arithmetic when solving.")
def show_command(game: str, assignments: tuple[str, ...], do_solve: bool, exact: bool) -> None:
    """Print a game: a tree indented with payoffs, chance probabilities and information sets, or
    a payoff table.

    \b
    Examples:
      bargain show escalation-tree
      bargain show escalation-tree --solve
      bargain show games/battle-of-the-sexes.nfg
    """
    g = load_game(game, assignments)
    solution = None
    if do_solve:
        from bargaining.solvers.api import solve

        solution = solve(g, exact=exact)
    from bargaining.cli.games import template_section

    description = ""
    if getattr(g, "kind", "") not in ("tree", "normal") and getattr(g, "to_extensive", None) is None:
        from bargaining.formats.load import load_template, resolve

        if resolve(game)[0].suffix.lower() in (".yaml", ".yml"):
            description = load_template(game).description
    click.echo(show_text(g, solution, description) + template_section(game, assignments), nl=False)


COMMANDS = (show_command,)
