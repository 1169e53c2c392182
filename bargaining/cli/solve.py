"""``bargain solve`` and ``bargain methods``."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

import click

from bargaining.cli.options import (
    check_id_conflicts,
    check_method_concept,
    load_game,
    note_shadowing,
    parse_assignments,
    set_option,
)
from bargaining.errors import BargainingError
from bargaining.report.render import render
from bargaining.solvers.api import CONCEPTS, check_concept, methods_for
from bargaining.solvers.api import solve as solve_game

DEFAULT_TIMEOUT = 60  # seconds; the API's solve(timeout=None) has no budget
DEFAULT_MEMORY_MB = 4096  # address-space cap of `bargain solve` (0: none)
EXIT_INCOMPLETE = 3
MAX_TIMEOUT = 366 * 24 * 3600.0


class _HardTimeout(Exception):
    pass


@contextmanager
def _hard_timeout(seconds: float | None):
    """Stop a solver that does not poll its deadline: ``SIGALRM`` a little after the budget
    (POSIX, main thread; elsewhere nothing)."""
    if (
        not seconds
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def handler(signum, frame):
        raise _HardTimeout

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds * 1.25 + 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@contextmanager
def budgets(timeout: float | None, memory_mb: float | None, stop=None):
    """The time and memory budgets of one solve. ``stop``: an exception class raised with a
    one-line reason when a budget runs out (default: exit status 3 with ``incomplete: …``)."""
    from bargaining.sweep.executors import memory_limit

    def out(reason: str):
        if stop is not None:
            return stop(reason)
        click.echo(f"incomplete: {reason}", err=True)
        return SystemExit(EXIT_INCOMPLETE)

    try:
        with memory_limit(memory_mb or None), _hard_timeout(timeout):
            yield
    except MemoryError:
        raise out(
            f"the solver ran out of its memory budget of {memory_mb:g} MB before it found an answer; "
            f"{'' if stop else 'raise --memory, or '}try another --method or --concept (bargain methods "
            "lists them)"
        ) from None
    except _HardTimeout:
        raise out(
            f"the time budget of {timeout:g} s ran out before the solver found an answer; "
            f"{'' if stop else 'raise --timeout, or '}try another --method or --concept (bargain methods "
            "lists them)"
        ) from None


def check_tie_break(game, concept: str | None, tie_break: str) -> None:
    """``--tie-break``: ``file`` is for SPE of trees, ``strong``/``weak`` for Stackelberg."""
    if tie_break == "all":
        return
    kind = getattr(game, "kind", None)
    wanted = CONCEPTS.get(concept, concept) if concept else None
    if tie_break == "file":
        if kind != "tree" or wanted not in (None, "subgame-perfect"):
            kinds = {
                "normal": "a normal-form game",
                "signaling": "a signaling game",
                "model": "a bargaining model",
            }
            what = kinds.get(str(kind), f"a {kind} game") if kind != "tree" else f"--concept {concept}"
            raise BargainingError(
                f"--tie-break file picks among tied subgame-perfect equilibria of a tree; it does "
                f"not apply to {what}"
            )
    elif wanted != "stackelberg":
        raise BargainingError(
            f"--tie-break {tie_break} says how a Stackelberg follower breaks ties; add "
            "--concept stackelberg or drop it"
        )


def parse_timeout(value: str | float | None) -> float | None:
    """``--timeout`` text: seconds > 0, or ``none``/``0`` for no budget."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in ("none", "0", "0.0", "inf"):
        return None
    try:
        seconds = float(text)
    except ValueError:
        raise click.BadParameter(f"{value} is not a number of seconds or 'none'") from None
    if not seconds >= 0:
        raise click.BadParameter(f"{value}: give a positive number of seconds, or 'none'")
    if seconds == float("inf"):
        return None
    if seconds > MAX_TIMEOUT:
        raise click.BadParameter(f"{value}: more than a year; give 'none' for no budget")
    return seconds or None


@click.command("solve")
@click.argument("game", metavar="NAME|FILE")
@set_option
@click.option(
    "--concept",
    type=click.Choice(sorted(CONCEPTS)),
    default=None,
    help="Solution concept (default: nash for normal form, spe for trees, pbe for signaling games).",
)
@click.option("--method", default=None, metavar="M", help="Solver method; `bargain methods GAME` lists them.")
@click.option("--exact", is_flag=True, help="Rational arithmetic; numbers printed as fractions p/q.")
@click.option(
    "--timeout",
    "timeout",
    default=str(DEFAULT_TIMEOUT),
    show_default=True,
    metavar="S|none",
    callback=lambda ctx, param, value: parse_timeout(value),
    help="Time budget in seconds; 'none' or 0: no budget. On timeout the equilibria found so far "
    "are listed, the answer is marked incomplete and the exit status is 3.",
)
@click.option(
    "--tie-break",
    type=click.Choice(["all", "file", "strong", "weak"]),
    default="all",
    help="SPE ties: all SPE (default) or the game file's tie_break rule; Stackelberg: the "
    "follower breaks ties for (strong, default) or against (weak) the leader.",
)
@click.option("--leader", default=None, metavar="NAME", help="Stackelberg: the player who commits.")
@click.option(
    "--commitment",
    type=click.Choice(["mixed", "pure"]),
    default=None,
    help="Stackelberg: the leader commits to a mixed (default) or a pure strategy.",
)
@click.option(
    "--objective",
    default=None,
    metavar="welfare|entropy|NAME",
    help="Correlated: maximise welfare (default), entropy or a player's payoff.",
)
@click.option("--delta", default=None, metavar="D", help="Repeated: discount factor, 0 < D < 1.")
@click.option(
    "--periods",
    type=click.IntRange(min=1),
    default=None,
    metavar="T",
    help="Repeated: a finite horizon of T periods instead of --delta.",
)
@click.option(
    "--symbolic",
    default=None,
    is_flag=False,
    flag_value="*",
    metavar="[PARAMS]",
    help="Closed forms in the parameters (comma-separated names; alone: all parameters), "
    "each equilibrium family with the region where it holds.",
)
@click.option(
    "--check",
    "check",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="With --symbolic: compare each family with the numeric solver at N random points of its region.",
)
@click.option(
    "--memory",
    "memory",
    type=click.FloatRange(min=0),
    default=DEFAULT_MEMORY_MB,
    show_default=True,
    metavar="MB",
    help="Memory budget in MB (0: none). A solve that needs more stops; the answer is "
    "marked incomplete and the exit status is 3.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "latex"]),
    default="table",
    help="latex: with --symbolic, the families in LaTeX.",
)
def solve_command(
    game,
    assignments,
    concept,
    method,
    exact,
    timeout,
    tie_break,
    leader,
    commitment,
    objective,
    delta,
    periods,
    symbolic,
    check,
    memory,
    fmt,
):
    """Find the equilibria of a game file (.nfg, .efg, .yaml) or a scenario by name.

    Exit status: 0 a complete answer; 3 an answer that is not complete (the time budget ran
    out, or the method cannot prove it found everything; a note on stderr says which); 2 a user
    error; 1 a bug. The budgets: --timeout (default 60 s; a solver that cannot stop on its own
    is stopped a little later) and --memory (default 4096 MB).

    \b
    Examples:
      bargain solve battle-of-the-sexes
      bargain solve game.nfg --exact --format json
      bargain solve resolve-signal --set p=0.4 --set c_B=1.2
      bargain solve crisis-normal-form --concept stackelberg --leader US --exact
      bargain solve crisis-four-powers --concept correlated --objective CN
      bargain solve deterrence-repeated --concept repeated --delta 0.5
      bargain solve endorsement-persuasion --exact
      bargain solve resolve-signal --symbolic p,c_B --check 3
    """
    note_shadowing(game)
    check_id_conflicts(game, parse_assignments(assignments))
    if symbolic is not None:
        from bargaining.cli.regimes import solve_symbolic_command

        solve_symbolic_command(game, assignments, symbolic, check, timeout, fmt)
        return
    if fmt == "latex" or check:
        raise click.UsageError("--format latex and --check go with --symbolic")
    g = load_game(game, assignments)
    check_method_concept(g, concept, method)
    check_tie_break(g, concept, tie_break)
    from bargaining.cli.games import constraint_warnings

    for warning in constraint_warnings(game, assignments):
        click.echo(f"warning: {warning}", err=True)
    if concept is not None and method is None:
        check_concept(g, concept, name=game)
    options = {}
    if tie_break != "all":
        options["tie_break"] = tie_break
    for key, value in (
        ("leader", leader),
        ("commitment", commitment),
        ("objective", objective),
        ("delta", delta),
        ("periods", periods),
    ):
        if value is not None:
            options[key] = value
    try:
        with budgets(timeout, memory):
            sol = solve_game(g, concept=concept, method=method, timeout=timeout, exact=exact, **options)
    except BargainingError as err:
        hint = getattr(err, "hint", None)
        if hint and hint.get("option") == "tie_break":  # the solver's hint in CLI words
            raise BargainingError(
                f"--tie-break {hint.get('instead_of', 'file')}: this game declares no "
                f"tie_break rule; use --tie-break {hint['value']}"
            ) from None
        raise
    if "exact" in sol.extra.get("hints", ()) and not exact:
        sol = sol.replace(message=f"{sol.message} (try --exact)" if sol.message else "try --exact")
    if sol.message and fmt != "table":
        click.echo(f"note: {sol.message}", err=True)
    # numbers print as fractions only with --exact (an exact game still prints decimals without it)
    click.echo(render(sol, fmt, exact=exact), nl=False)
    if not sol.complete:
        reason = sol.message or f"method {sol.method} does not prove that it found every equilibrium"
        click.echo(f"incomplete: {reason}", err=True)
        raise SystemExit(EXIT_INCOMPLETE)


@click.command("methods")
@click.argument("game", metavar="NAME|FILE")
@set_option
def methods_command(game, assignments):
    """List the solution methods that apply to a game.

    \b
    Example:
      bargain methods battle-of-the-sexes
    """
    g = load_game(game, assignments)
    for m in methods_for(g):
        click.echo(f"{m.name:<14} {m.concept:<18} {m.summary}")


COMMANDS = (solve_command, methods_command)
