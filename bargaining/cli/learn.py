"""``bargain learn``: run a learning dynamic on a two-player game and say where it goes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click

from bargaining.cli.options import load_game, set_option
from bargaining.errors import BargainingError
from bargaining.solvers.dynamics import DYNAMICS, LearningRun, learn

PICTURES = (".png", ".svg", ".pdf")


def render_run(run: LearningRun, fmt: str, every: int) -> str:
    """The run as a table (a summary and every ``every``-th step), JSON or CSV (the trajectory)."""
    if fmt == "json":
        return json.dumps(run.to_dict(), indent=2) + "\n"
    rows = run.rows(every)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: f"{v:.6g}" for k, v in r.items()})
        return buf.getvalue()
    m = run.split
    lines = [
        run.game.title or "game",
        f"dynamics {run.dynamics}, {run.steps} steps, seed {run.seed}: {run.note}",
    ]
    for k, (x, y) in enumerate(run.equilibria):
        lines.append(f"  Nash [{k}]  {_mix(run.game.strategies[0], x)}  |  {_mix(run.game.strategies[1], y)}")
    if len(run.runs) > 1:
        lines.append(
            "runs: "
            + "; ".join(
                f"{r['run']}: {r['status']}"
                + (f" [{r['equilibrium']}]" if r["equilibrium"] is not None else "")
                for r in run.runs
            )
        )
    header = ["t"] + [f"{p}:{s}" for p, ss in zip(run.game.players, run.game.strategies) for s in ss]
    lines.append("")
    lines.append("  ".join(f"{h:>10}" for h in header))
    for r in rows:
        lines.append("  ".join(f"{v:>10.4g}" for v in r.values()))
    lines.append(
        f"final  {_mix(run.game.strategies[0], run.states[-1, :m])}  |  "
        f"{_mix(run.game.strategies[1], run.states[-1, m:])}"
    )
    return "\n".join(lines) + "\n"


def _mix(labels, probs) -> str:
    return ", ".join(f"{s} {p:.4g}" for s, p in zip(labels, probs) if abs(p) > 1e-9) or "-"


@click.command("learn")
@click.argument("game", metavar="NAME|FILE")
@set_option
@click.option(
    "--dynamics",
    "dynamics",
    type=click.Choice(DYNAMICS),
    required=True,
    help="The learning dynamic (fictitious play, its stochastic version, replicator, "
    "alternating best response, logit).",
)
@click.option(
    "--steps",
    type=click.IntRange(min=2),
    default=None,
    metavar="N",
    help="Rounds (fictitious play, best response) or sample points (replicator, logit).",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, metavar="S", help="Random seed (starts, ties)."
)
@click.option(
    "--runs",
    type=click.IntRange(min=1, max=1000),
    default=1,
    show_default=True,
    metavar="R",
    help="Runs from different seeded starts; the trajectory shown is run 0's.",
)
@click.option(
    "--every",
    type=click.IntRange(min=1),
    default=None,
    metavar="K",
    help="Table and CSV: show every K-th step (default: about 20 rows in the table, all in CSV).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@click.option(
    "--out",
    "-o",
    "out",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE",
    help="Write to FILE instead: .png/.svg/.pdf a phase portrait (matplotlib), otherwise the "
    "--format output.",
)
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
def learn_command(game, assignments, dynamics, steps, seed, runs, every, fmt, out, force):
    """Run a learning dynamic on a two-player game (trees and signaling games in their reduced
    strategic form) and report whether it converges to one of the Nash equilibria of `bargain
    solve` or cycles.

    \b
    Examples:
      bargain learn matching-pennies --dynamics fictitious
      bargain learn matching-pennies --dynamics replicator --out mp.png
      bargain learn battle-of-the-sexes --dynamics best-response --runs 20 --format json
    """
    g = load_game(game, assignments)
    run = learn(g, dynamics, steps=steps, seed=seed, runs=runs)
    if every is None:
        every = max(1, len(run.times) // 20) if fmt == "table" else 1
    if out is not None:
        path = Path(out)
        if path.exists() and not force:
            raise BargainingError(f"{path} exists: give --force to overwrite it")
        if path.suffix.lower() in PICTURES:
            from bargaining.viz.backend import save
            from bargaining.viz.learning import draw_learning

            save(draw_learning(run), path)
        else:
            if path.parent and not path.parent.exists():
                raise BargainingError(f"{path}: folder {path.parent} does not exist")
            path.write_text(render_run(run, fmt, every), encoding="utf-8")
        click.echo(f"{run.note}; wrote {path}")
        return
    click.echo(render_run(run, fmt, every), nl=False)


COMMANDS = (learn_command,)
