"""``bargain sweep`` (a grid or sample over a game's parameters) and ``bargain run`` (an
experiment file)."""

from __future__ import annotations

import click

from bargaining.cli.options import check_id_conflicts, parse_assignments
from bargaining.solvers.api import CONCEPTS
from bargaining.sweep.engine import DEFAULT_MEMORY_MB, run_sweep
from bargaining.sweep.estimate import DEFAULT_MAX_POINTS
from bargaining.sweep.executors import EXECUTORS
from bargaining.sweep.spec import DEFAULT_POINT_TIMEOUT, make_spec

EXIT_INCOMPLETE = 3


def _executor_options(f):
    f = click.option(
        "--executor",
        type=click.Choice(EXECUTORS),
        default=None,
        help="Where points are solved: this process, local processes (the default), or a Dask cluster.",
    )(f)
    f = click.option(
        "--workers",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help="Worker processes (default: all cores).",
    )(f)
    f = click.option(
        "--scheduler",
        default=None,
        metavar="tcp://HOST:PORT",
        help="Dask scheduler to connect to (implies --executor dask).",
    )(f)
    f = click.option(
        "--dask-local",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help="Start a local Dask cluster of N workers (implies --executor dask).",
    )(f)
    f = click.option("--resume", is_flag=True, help="Finish an interrupted sweep with the same settings.")(f)
    f = click.option(
        "--force",
        is_flag=True,
        help="Replace an existing table (and an unfinished sweep) at the output; without it an "
        "existing table is kept and the command stops.",
    )(f)
    f = click.option(
        "--max-points",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help=f"Refuse more than N points (default {DEFAULT_MAX_POINTS:,}).",
    )(f)
    f = click.option(
        "--yes",
        "-y",
        is_flag=True,
        help="Start even when the size estimate exceeds the point cap, the free disk or memory.",
    )(f)
    f = click.option(
        "--memory",
        "memory",
        type=click.FloatRange(min=0),
        default=DEFAULT_MEMORY_MB,
        show_default=True,
        metavar="MB",
        help="Memory cap of each worker process in MB (0: none); a point that needs more is "
        "recorded with a MemoryError.",
    )(f)
    f = click.option("--quiet", "-q", is_flag=True, help="No progress bar.")(f)
    return f


def _executor(
    executor: str | None, workers: int | None, scheduler: str | None, dask_local: int | None
) -> str:
    """The executor implied by the flags; conflicting flags are refused with one line."""
    if scheduler and dask_local:
        raise click.UsageError(
            "give --scheduler (an existing Dask cluster) or --dask-local N (a new one), not both"
        )
    dask_flag = "--scheduler" if scheduler else "--dask-local" if dask_local else None
    if dask_flag and executor in ("serial", "process"):
        raise click.UsageError(f"{dask_flag} runs on Dask; it does not go with --executor {executor}")
    if executor == "serial" and workers not in (None, 1):
        raise click.UsageError(f"--executor serial runs in this process; --workers {workers} does not apply")
    return executor or ("dask" if dask_flag else "process")


def _run_options(
    executor, workers, scheduler, dask_local, resume, force, max_points, yes, memory, quiet
) -> dict:
    if resume and force:
        raise click.UsageError("give --resume (finish the sweep) or --force (start it again), not both")
    return {
        "executor": _executor(executor, workers, scheduler, dask_local),
        "workers": workers,
        "scheduler": scheduler,
        "dask_local": dask_local,
        "resume": resume,
        "force": force,
        "max_points": max_points,
        "yes": yes,
        "memory_mb": memory or None,
        "quiet": quiet,
    }


@click.command("sweep")
@click.argument("game", metavar="NAME|FILE")
@click.option(
    "--grid",
    "grids",
    multiple=True,
    metavar="K=START:STOP:N",
    help="N evenly spaced values of parameter K, both ends included (repeatable: a product grid).",
)
@click.option(
    "--sample",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="N points drawn uniformly over the ranges of the parameters not on a grid or fixed.",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0, max=2**63 - 1),
    default=None,
    metavar="S",
    help="Seed of --sample (a whole number >= 0).",
)
@click.option(
    "--set", "assignments", multiple=True, metavar="NAME=VALUE", help="Fix a parameter (repeatable)."
)
@click.option(
    "--out",
    "out",
    required=True,
    metavar="FILE",
    help="Result table: .parquet, .csv or .jsonl (regimes and meta files go beside it).",
)
@click.option("--concept", type=click.Choice(sorted(CONCEPTS)), default=None, help="Solution concept.")
@click.option(
    "--method",
    default=None,
    metavar="M",
    help="Solver method (default: batched where possible, else the game's default).",
)
@click.option(
    "--point-timeout",
    type=click.FloatRange(min=0),
    default=DEFAULT_POINT_TIMEOUT,
    show_default=True,
    metavar="S",
    help="Time budget per point in seconds (0: none); a point that runs out is recorded with its error.",
)
@_executor_options
def sweep_command(
    game,
    grids,
    sample,
    seed,
    assignments,
    out,
    concept,
    method,
    point_timeout,
    executor,
    workers,
    scheduler,
    dask_local,
    resume,
    force,
    max_points,
    yes,
    memory,
    quiet,
):
    """Solve a game at every point of a grid (or a random sample) of its parameters.

    \b
    Writes one row per (point, equilibrium) to --out, one row per point with its regime
    (the set of equilibrium labels) to <stem>.regimes.<ext>, and the run's metadata to
    <stem>.meta.json. A killed sweep finishes with --resume, to the identical table. An
    existing table is replaced only with --force; a second run on the same --out while one runs
    is refused (a lock file <out>.lock holds the running one's process id and host).

    \b
    Before it starts, a sweep larger than --max-points (default 1,000,000) or than the free disk
    or memory is refused with the estimate (--yes starts it anyway). A progress bar with the
    time left is shown on a terminal (-q hides it).

    \b
    Exit status: 0 when the points were solved (points that failed or timed out are recorded
    in the error column); 3 when no point was solved; 2 a user error; 1 a bug.

    \b
    Examples:
      bargain sweep crisis-normal-form --grid w=0:4:41 --grid k_F=0:1:21 --out crisis.parquet
      bargain sweep resolve-signal --grid p=0:1:101 --grid c_B=0:2:41 --out g1.parquet
      bargain sweep crisis-normal-form --sample 10000 --seed 1 --out s.csv --executor serial
    """
    options = _run_options(
        executor, workers, scheduler, dask_local, resume, force, max_points, yes, memory, quiet
    )
    if not grids and not sample:
        raise click.UsageError("give at least one --grid K=START:STOP:N or --sample N --seed S")
    if seed is not None and not sample:
        raise click.UsageError("--seed seeds --sample N; without --sample it does nothing")
    from bargaining.cli.options import check_game_arg, check_method_concept, note_shadowing

    check_game_arg(game)
    note_shadowing(game)
    fixed = parse_assignments(assignments)
    check_id_conflicts(game, fixed)
    spec = make_spec(
        game,
        fixed=fixed,
        grid=list(grids),
        sample=sample or 0,
        seed=seed,
        concept=concept,
        method=method,
        point_timeout=point_timeout,
    )
    _check_first_point(spec, concept, method, check_method_concept)
    meta = run_sweep(spec, out, **options)
    _summary(meta)


def _check_first_point(spec, concept, method, check) -> None:
    """--concept/--method conflicts, checked on the game at the first point (before the run)."""
    if concept is None or method is None or not len(spec.points):
        return
    from bargaining.sweep.spec import get_source

    try:
        game = get_source(spec).with_params(**spec.points.point(0))
    except Exception:  # noqa: BLE001 - that point's own error is recorded by the sweep
        return
    check(game, concept, method)


def _summary(meta) -> None:
    """One line on stderr (also with -q): points solved, points failed and where their reasons
    are, and the real paths of the files written. A sweep with failed points still exits 0: it
    completed, and each failure is a recorded result; a sweep where no point was solved exits
    with status 3 (nothing was computed)."""
    files = meta.get("paths") or meta.get("files", {})
    n, failed = meta.get("n_points"), meta.get("points_failed") or 0
    if failed:
        head = (
            f"{n} points of {meta.get('game')} run ({meta.get('solver')}): {n - failed} solved, "
            f"{failed} failed or timed out (the reasons are in the error column of {files.get('regimes')})"
        )
    else:
        head = f"{n} points of {meta.get('game')} solved ({meta.get('solver')})"
    click.echo(f"{head}; wrote {files.get('rows')}, {files.get('regimes')}", err=True)
    if n and failed >= n:
        click.echo(
            f"incomplete: no point was solved; see the error column of {files.get('regimes')}", err=True
        )
        raise SystemExit(EXIT_INCOMPLETE)


@click.command("run")
@click.argument("experiment", metavar="EXPERIMENT.yaml", type=click.Path(dir_okay=False))
@click.option("--out", "out", default=None, metavar="FILE", help="Override the experiment's table file.")
@_executor_options
@click.option("--no-plot", is_flag=True, help="Do not draw the experiment's figures.")
def run_command(
    experiment,
    out,
    executor,
    workers,
    scheduler,
    dask_local,
    resume,
    force,
    max_points,
    yes,
    memory,
    quiet,
    no_plot,
):
    """Run an experiment file: a game, fixed parameters, a grid or sample, the solver, outputs.

    The table, locks, size checks, progress bar and exit status are those of `bargain sweep`:
    an existing table is replaced only with --force, or finished with --resume.

    \b
    Examples:
      bargain run experiments/q2-crisis-mixing.yaml
      bargain run experiments/q1-bluff-prior.yaml --resume
    """
    from bargaining.sweep.experiment import load_experiment, run_experiment

    options = _run_options(
        executor, workers, scheduler, dask_local, resume, force, max_points, yes, memory, quiet
    )
    exp = load_experiment(experiment)
    meta = run_experiment(exp, out=out, plot=not no_plot, **options)
    for fig in meta.get("figures", []):
        click.echo(f"figure: {fig}", err=True)
    if meta.get("figures_skipped"):
        click.echo(f"note: figures not drawn: {meta['figures_skipped']}", err=True)
    _summary(meta)


COMMANDS = (sweep_command, run_command)
