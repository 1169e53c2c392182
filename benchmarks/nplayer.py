"""n-player mixed equilibria: our ``enumpoly`` and ``logit`` against pygambit's
``enumpoly_solve``, ``gnm_solve`` and ``logit_solve`` on random games with fixed seeds.

``python benchmarks/nplayer.py [--quick] [--timeout S] [--enumpoly-only] [--seeds N]
[--shapes 3x3x3,3x3x3x3] [--repeat N] [--json PATH]``

Every run (ours included) happens in a child process killed at the timeout, so a hang counts as
a hang and not as a stuck benchmark. For each game and solver the table shows the number of
equilibria found (those with regret <= 1e-6 × max |payoff| by our independent ``verify``; Gambit's
answers are checked the same way), whether the solver claims completeness, the solve time and the
wall time of the child. ``agree`` counts the verified Gambit equilibria that are also in our
``enumpoly`` list.

The *solve time* is what the ratios use: measured inside the child around the solver call only
(no process start, no imports: both sides are imported before the fork). Ours is the dispatcher's
``solve(game, method="enumpoly", ...)``, so it includes the certification of every equilibrium;
Gambit's is the time inside ``enumpoly_solve`` (``gambit_oracle.last_seconds``), uncertified.
``ours:enumpoly`` is the default, which on these float games gives certified floats (the
like-for-like comparison with Gambit's float solver), and ``ours:enumpoly-algebraic`` is
``algebraic=True`` (the same equilibria and certificates, plus the exact radical forms of
irrational equilibria, which the default computes only for exact games or ``exact=True``).

Both sides are warmed up in the parent (one game of each shape, a seed not measured) before
the forks, so every child starts warm; ``--repeat N`` runs each solver N times per game (each in
a fresh child) and keeps the fastest, which damps the noise of a shared machine.

``--json PATH`` writes, per shape 3x3x3 and 3x3x3x3 and per variant of ours, the median game and
the worst game (smallest ratio) as records of the benchmark JSON contract (ratio = Gambit's
time / ours; the target is "within 3x of Gambit", goal 1/3). The same records for 2x2x2x2 are
written beside them, their target text marked as shown beside the target shapes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np
from _records import record, write_records

from bargaining.model.normal import NormalFormGame
from bargaining.solvers.budget import Deadline, run_in_subprocess
from bargaining.verify import normal as verify

SIZES_QUICK = [((3, 3, 3), [0, 1]), ((2, 2, 2, 2), [0, 1]), ((3, 3, 3, 3), [0])]
SIZES_FULL = [((3, 3, 3), list(range(8))), ((2, 2, 2, 2), [0, 1, 2, 3]), ((3, 3, 3, 3), [0, 1, 2, 3])]


def random_game(shape, seed: int) -> NormalFormGame:
    rng = np.random.default_rng(seed)
    return NormalFormGame.from_tensor(rng.integers(-99, 100, size=(len(shape), *shape)).astype(float))


def _ours(payoffs: np.ndarray, method: str, budget: float):
    from bargaining.solvers.api import solve

    game = NormalFormGame.from_tensor(payoffs)
    # our own time budget, a little under the kill: a partial list is returned, not lost
    t0 = time.perf_counter()
    if method == "enumpoly":
        sol = solve(game, method="enumpoly", timeout=budget)
    elif method == "enumpoly-algebraic":  # the same equilibria, plus the exact radical forms
        sol = solve(game, method="enumpoly", timeout=budget, algebraic=True)
    else:
        sol = solve(game, method="logit", timeout=budget)
    seconds = time.perf_counter() - t0
    profs = [[[float(p) for p in probs] for probs in eq.strategies] for eq in sol.equilibria]
    return profs, sol.complete, seconds


def _oracle():
    """``tests/gambit_oracle.py``: every use of pygambit goes through it."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import gambit_oracle

    return gambit_oracle


def _gambit(payoffs: np.ndarray, method: str, budget: float):
    gambit = _oracle()
    fn = {"enumpoly": gambit.enumpoly, "gnm": gambit.gnm, "logit": gambit.logit}[method]
    profs = [[list(per) for per in prof] for prof in fn([payoffs[i] for i in range(payoffs.shape[0])])]
    return profs, method == "enumpoly", gambit.last_seconds


def _same(a, b, tol=1e-5) -> bool:
    return max(abs(x - y) for pa, pb in zip(a, b) for x, y in zip(pa, pb)) < tol


def _parse_shapes(text: str) -> list[tuple[int, ...]]:
    return [tuple(int(x) for x in part.split("x")) for part in text.split(",") if part]


_TARGET_SHAPES = ("3x3x3", "3x3x3x3")  # the target shapes; 2x2x2x2 is reported beside them
_RECORD_SHAPES = (*_TARGET_SHAPES, "2x2x2x2")


def _records(ratios: list[tuple]) -> list[dict]:
    """Median and worst game per shape and variant of ours (ratio = Gambit's time / ours)."""
    out = []
    for label in sorted({r[0] for r in ratios}):
        rows = [r for r in ratios if r[0] == label]
        for col, variant in ((2, "enumpoly"), (3, "enumpoly algebraic=True")):
            ours_ms = [1e3 * r[col] for r in rows]
            theirs_ms = [1e3 * r[4] for r in rows]
            per_game = [t / o for t, o in zip(theirs_ms, ours_ms)]
            worst = min(range(len(rows)), key=lambda k: per_game[k])
            cases = [
                (
                    f"{label} median of {len(rows)} games",
                    statistics.median(ours_ms),
                    statistics.median(theirs_ms),
                ),
                (f"{label} worst game (seed {rows[worst][1]})", ours_ms[worst], theirs_ms[worst]),
            ]
            for case, ours, theirs in cases:
                target = f"{variant} within 3x of Gambit's float enumpoly (certified, complete)"
                if label not in _TARGET_SHAPES:
                    target += "; shown beside the target shapes 3x3x3 and 3x3x3x3"
                out.append(
                    record(
                        "nplayer",
                        target,
                        case,
                        ours=round(ours, 3),
                        peer="gambit enumpoly_solve",
                        peer_value=round(theirs, 3),
                        unit="ms per game",
                        goal=1 / 3,
                    )
                )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer seeds, shorter timeout")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per run (default 60, quick 20)")
    parser.add_argument("--enumpoly-only", action="store_true", help="skip the logit and gnm runs")
    parser.add_argument("--seeds", type=int, default=None, help="seeds 0..N-1 for every shape")
    parser.add_argument("--shapes", default=None, help="comma-separated shapes, e.g. 3x3x3,3x3x3x3")
    parser.add_argument("--json", default=None, metavar="PATH", help="write the target records (JSON)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per game and solver; the fastest counts")
    args = parser.parse_args()
    timeout = args.timeout or (20.0 if args.quick else 60.0)
    shapes_arg = _parse_shapes(args.shapes) if args.shapes else []
    import pygambit  # noqa: F401 - imported once here, so the forked runs do not pay for it
    import scipy.optimize  # noqa: F401
    import sympy  # noqa: F401

    from bargaining.solvers.api import solve

    # warm-up before the forks, so that every child starts warm (imports, HiGHS models per LP
    # shape, pygambit): one game of each shape that is not among the measured seeds, on both sides
    gambit = _oracle()
    for shape in sorted({sh for sh, _ in (SIZES_QUICK if args.quick else SIZES_FULL)} | set(shapes_arg)):
        warm = random_game(shape, 10_000)
        solve(warm, method="enumpoly", algebraic=False)
        gambit.enumpoly([np.array(warm.float_payoffs)[i] for i in range(len(shape))])
    sizes = SIZES_QUICK if args.quick else SIZES_FULL
    if args.shapes:
        shapes = _parse_shapes(args.shapes)
        default = dict(SIZES_FULL)
        sizes = [(sh, default.get(sh, [0, 1])) for sh in shapes]
    if args.seeds is not None:
        sizes = [(sh, list(range(args.seeds))) for sh, _ in sizes]
    runs = [
        ("ours", "enumpoly", _ours),
        ("ours", "enumpoly-algebraic", _ours),
        ("ours", "logit", _ours),
        ("gambit", "enumpoly", _gambit),
        ("gambit", "gnm", _gambit),
        ("gambit", "logit", _gambit),
    ]
    if args.enumpoly_only:
        runs = [r for r in runs if r[1].startswith("enumpoly")]
    print(
        f"timeout {timeout:g} s per run (ours: own budget 0.9 × that, partial lists kept); "
        "equilibria counted if regret <= 1e-6 × max|u| (our verify); solve s = inside the child, "
        "around the solver call (ours: the dispatcher, certification included)"
    )
    header = (
        f"{'game':<10} {'seed':>4} {'solver':<20} {'found':>5} {'complete':>8} {'agree':>7} "
        f"{'solve s':>8} {'wall s':>7}"
    )
    print(header)
    print("-" * len(header))
    hangs: dict[str, int] = {}
    ratios = []  # (game, seed, ours:enumpoly s, ours:enumpoly-algebraic s, gambit:enumpoly s)
    for shape, seeds in sizes:
        for seed in seeds:
            game = random_game(shape, seed)
            tol = 1e-6 * float(np.max(np.abs(game.float_payoffs)))
            reference = None
            times: dict[str, float] = {}
            for who, method, fn in runs:
                best = None
                for _ in range(max(1, args.repeat)):
                    t0 = time.perf_counter()
                    status, value = run_in_subprocess(
                        fn, np.array(game.float_payoffs), method, 0.9 * timeout, deadline=Deadline(timeout)
                    )
                    elapsed = time.perf_counter() - t0
                    if status != "ok":
                        break
                    if best is None or value[2] < best[1][2]:
                        best = (status, value, elapsed)
                if best is not None and status == "ok":
                    status, value, elapsed = best
                name = f"{who}:{method}"
                label = "x".join(map(str, shape))
                if status != "ok":
                    hangs[name] = hangs.get(name, 0) + 1
                    print(
                        f"{label:<10} {seed:>4} {name:<20} {'-':>5} {status:>8} {'':>7} {'':>8} "
                        f"{elapsed:>7.2f}"
                    )
                    continue
                profs, complete, seconds = value
                times[name] = seconds
                good = [p for p in profs if verify.max_regret(game, p) <= tol]
                if who == "ours" and method == "enumpoly":
                    reference = good
                agree = ""
                if reference is not None and who == "gambit":
                    agree = f"{sum(any(_same(p, q) for q in reference) for p in good)}/{len(good)}"
                flag = "yes" if complete else "no"
                print(
                    f"{label:<10} {seed:>4} {name:<20} {len(good):>5} {flag:>8} {agree:>7} "
                    f"{seconds:>8.3f} {elapsed:>7.2f}"
                )
            keys = ("ours:enumpoly", "ours:enumpoly-algebraic", "gambit:enumpoly")
            if all(k in times for k in keys):
                ratios.append(("x".join(map(str, shape)), seed, *(times[k] for k in keys)))
    if ratios:
        print("\nours / gambit:enumpoly solve time (same run; each in a fresh child process)")
        for label, seed, ours, alg, theirs in ratios:
            print(
                f"{label:<10} {seed:>4}  enumpoly {ours / theirs:6.2f}x   algebraic=True {alg / theirs:6.2f}x"
            )
        records = [r for r in _records(ratios) if r["case"].split()[0] in _RECORD_SHAPES]
        print("\ntargets (ratio = gambit / ours; goal >= 1/3, i.e. within 3x)")
        for r in records:
            print(
                f"  {r['target'].split(' within')[0]:<26} {r['case']:<32} ours {r['ours']:9.1f} ms  "
                f"gambit {r['peer_value']:9.1f} ms  ratio {r['ratio']:.3f}  "
                f"{'met' if r['met'] else 'NOT met'}"
            )
        if args.json:
            write_records(args.json, records)
    print("\nhangs / errors (killed at the timeout):", hangs or "none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
