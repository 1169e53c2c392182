"""``bargain sweep`` (a grid or sample over a game's parameters) and ``bargain run`` (an
experiment file)."""

from __future__ import annotations

import click

from bargaining.cli.options import parse_assignments
from bargaining.solvers.api import CONCEPTS
from bargaining.sweep.engine import run_sweep
from bargaining.sweep.executors import EXECUTORS
from bargaining.sweep.spec import DEFAULT_POINT_TIMEOUT, make_spec


def _executor_options(f):
    f = click.option("--executor", type=click.Choice(EXECUTORS), default="process", show_default=True,
                     help="Where points are solved: this process, local processes, or a Dask cluster.")(f)
    f = click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
                     help="Worker processes (default: all cores).")(f)
    f = click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
                     help="Dask scheduler to connect to (implies --executor dask).")(f)
    f = click.option("--dask-local", type=click.IntRange(min=1), default=None, metavar="N",
                     help="Start a local Dask cluster of N workers (implies --executor dask).")(f)
    f = click.option("--resume", is_flag=True, help="Finish an interrupted sweep with the same settings.")(f)
    f = click.option("--quiet", "-q", is_flag=True, help="No progress bar.")(f)
    return f


@click.command("sweep")
@click.argument("game", metavar="NAME|FILE")
@click.option("--grid", "grids", multiple=True, metavar="K=START:STOP:N",
              help="N evenly spaced values of parameter K, both ends included (repeatable: a product grid).")
@click.option("--sample", type=click.IntRange(min=1), default=None, metavar="N",
              help="N points drawn uniformly over the ranges of the parameters not on a grid or fixed.")
@click.option("--seed", type=int, default=None, metavar="S", help="Seed of --sample.")
@click.option("--set", "assignments", multiple=True, metavar="NAME=VALUE", help="Fix a parameter (repeatable).")
@click.option("--out", "out", required=True, metavar="FILE",
              help="Result table: .parquet, .csv or .jsonl (regimes and meta files go beside it).")
@click.option("--concept", type=click.Choice(sorted(CONCEPTS)), default=None, help="Solution concept.")
@click.option("--method", default=None, metavar="M",
              help="Solver method (default: batched where possible, else the game's default).")
@click.option("--point-timeout", type=click.FloatRange(min=0), default=DEFAULT_POINT_TIMEOUT, show_default=True, metavar="S",
              help="Time budget per point in seconds (0: none); a point that runs out is recorded with its error.")
@_executor_options
def sweep_command(game, grids, sample, seed, assignments, out, concept, method, point_timeout,
                  executor, workers, scheduler, dask_local, resume, quiet):
    """Solve a game at every point of a grid (or a random sample) of its parameters.

    \b
    Writes one row per (point, equilibrium) to --out, one row per point with its regime
    (the set of equilibrium labels) to <stem>.regimes.<ext>, and the run's metadata to
    <stem>.meta.json. A killed sweep finishes with --resume, to the identical table.

    \b
    Examples:
      bargain sweep crisis-normal-form --grid w=0:4:41 --grid k_F=0:1:21 --out crisis.parquet
      bargain sweep resolve-signal --grid p=0:1:101 --grid c_B=0:2:41 --out g1.parquet
      bargain sweep crisis-normal-form --sample 10000 --seed 1 --out s.csv --executor serial
    """
    if (scheduler or dask_local) and executor == "process":
        executor = "dask"
    if not grids and not sample:
        raise click.UsageError("give at least one --grid K=START:STOP:N or --sample N --seed S")
    fixed = parse_assignments(assignments)
    spec = make_spec(game, fixed=fixed, grid=list(grids), sample=sample or 0, seed=seed, concept=concept,
                     method=method, point_timeout=point_timeout)
    meta = run_sweep(spec, out, executor=executor, workers=workers, scheduler=scheduler, dask_local=dask_local,
                     resume=resume, quiet=quiet)
    _summary(meta)


def _summary(meta) -> None:
    """One line on stderr (also with -q): points solved, points failed and where their reasons
    are, and the real paths of the files written. A sweep with failed points still exits 0: it
    completed, and each failure is a recorded result."""
    files = meta.get("paths") or meta.get("files", {})
    n, failed = meta.get("n_points"), meta.get("points_failed") or 0
    if failed:
        head = (f"{n} points of {meta.get('game')} run ({meta.get('solver')}): {n - failed} solved, "
                f"{failed} failed or timed out (the reasons are in the error column of {files.get('regimes')})")
    else:
        head = f"{n} points of {meta.get('game')} solved ({meta.get('solver')})"
    click.echo(f"{head}; wrote {files.get('rows')}, {files.get('regimes')}", err=True)


@click.command("run")
@click.argument("experiment", metavar="EXPERIMENT.yaml", type=click.Path(dir_okay=False))
@click.option("--out", "out", default=None, metavar="FILE", help="Override the experiment's table file.")
@_executor_options
@click.option("--no-plot", is_flag=True, help="Do not draw the experiment's figures.")
def run_command(experiment, out, executor, workers, scheduler, dask_local, resume, quiet, no_plot):
    """Run an experiment file: a game, fixed parameters, a grid or sample, the solver, outputs.

    \b
    Examples:
      bargain run experiments/q2-crisis-mixing.yaml
      bargain run experiments/q1-bluff-prior.yaml --resume
    """
    from bargaining.sweep.experiment import load_experiment, run_experiment

    if (scheduler or dask_local) and executor == "process":
        executor = "dask"
    exp = load_experiment(experiment)
    meta = run_experiment(exp, out=out, executor=executor, workers=workers, scheduler=scheduler,
                          dask_local=dask_local, resume=resume, quiet=quiet, plot=not no_plot)
    _summary(meta)
    for fig in meta.get("figures", []):
        click.echo(f"figure: {fig}", err=True)
    if meta.get("figures_skipped"):
        click.echo(f"note: figures not drawn: {meta['figures_skipped']}", err=True)


COMMANDS = (sweep_command, run_command)
