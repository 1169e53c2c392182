"""n-player mixed equilibria: our ``enumpoly`` and ``logit`` against pygambit's
``enumpoly_solve``, ``gnm_solve`` and ``logit_solve`` on random games with fixed seeds.

``python benchmarks/nplayer.py [--quick] [--timeout S]``

Every run (ours included) happens in a child process killed at the timeout, so a hang counts as
a hang and not as a stuck benchmark. For each game and solver the table shows the number of
equilibria found (those with regret <= 1e-6 × max |payoff| by our independent ``verify``; Gambit's answers are
checked the same way), whether the solver claims completeness, and the wall time. ``agree``
counts the verified Gambit equilibria that are also in our ``enumpoly`` list.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from bargaining.model.normal import NormalFormGame
from bargaining.solvers.budget import Deadline, run_in_subprocess
from bargaining.verify import normal as verify

SIZES_QUICK = [((3, 3, 3), [0, 1]), ((2, 2, 2, 2), [0, 1]), ((3, 3, 3, 3), [0])]
SIZES_FULL = [((3, 3, 3), [0, 1, 2, 3]), ((2, 2, 2, 2), [0, 1, 2, 3]), ((3, 3, 3, 3), [0, 1])]


def random_game(shape, seed: int) -> NormalFormGame:
    rng = np.random.default_rng(seed)
    return NormalFormGame.from_tensor(rng.integers(-99, 100, size=(len(shape), *shape)).astype(float))


def _ours(payoffs: np.ndarray, method: str, budget: float):
    from bargaining.solvers.enumpoly import enumpoly
    from bargaining.solvers.logit import logit

    game = NormalFormGame.from_tensor(payoffs)
    # our own time budget, a little under the kill: a partial list is returned, not lost
    deadline = Deadline(budget)
    if method == "enumpoly":
        sol = enumpoly(game, deadline=deadline)
    elif method == "enumpoly-fast":  # the same equilibria, no exact algebraic forms
        sol = enumpoly(game, deadline=deadline, algebraic=False)
    else:
        sol = logit(game, deadline=deadline)
    profs = [[[float(p) for p in probs] for probs in eq.strategies] for eq in sol.equilibria]
    return profs, sol.complete


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
    return profs, method == "enumpoly"


def _same(a, b, tol=1e-5) -> bool:
    return max(abs(x - y) for pa, pb in zip(a, b) for x, y in zip(pa, pb)) < tol


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer seeds, shorter timeout")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per run (default 60, quick 20)")
    parser.add_argument("--enumpoly-only", action="store_true", help="skip the logit and gnm runs")
    args = parser.parse_args()
    timeout = args.timeout or (20.0 if args.quick else 60.0)
    import pygambit  # noqa: F401 - imported once here, so the forked runs do not pay for it
    import sympy  # noqa: F401

    import bargaining.solvers.enumpoly  # noqa: F401

    sizes = SIZES_QUICK if args.quick else SIZES_FULL
    runs = [
        ("ours", "enumpoly", _ours),
        ("ours", "enumpoly-fast", _ours),
        ("ours", "logit", _ours),
        ("gambit", "enumpoly", _gambit),
        ("gambit", "gnm", _gambit),
        ("gambit", "logit", _gambit),
    ]
    if args.enumpoly_only:
        runs = [r for r in runs if r[1].startswith("enumpoly")]
    print(
        f"timeout {timeout:g} s per run (ours: own budget 0.9 × that, partial lists kept); "
        "equilibria counted if regret <= 1e-6 × max|u| (our verify)"
    )
    header = (
        f"{'game':<10} {'seed':>4} {'solver':<16} {'found':>5} {'complete':>8} {'agree':>7} {'time s':>8}"
    )
    print(header)
    print("-" * len(header))
    hangs = {}
    ratios = []  # (game, seed, ours:enumpoly s, ours:enumpoly-fast s, gambit:enumpoly s)
    for shape, seeds in sizes:
        for seed in seeds:
            game = random_game(shape, seed)
            tol = 1e-6 * float(np.max(np.abs(game.float_payoffs)))
            reference = None
            times: dict[str, float] = {}
            for who, method, fn in runs:
                t0 = time.perf_counter()
                status, value = run_in_subprocess(
                    fn, np.array(game.float_payoffs), method, 0.9 * timeout, deadline=Deadline(timeout)
                )
                elapsed = time.perf_counter() - t0
                name = f"{who}:{method}"
                label = "x".join(map(str, shape))
                if status != "ok":
                    hangs[name] = hangs.get(name, 0) + 1
                    print(f"{label:<10} {seed:>4} {name:<16} {'-':>5} {status:>8} {'':>7} {elapsed:>8.2f}")
                    continue
                profs, complete = value
                times[name] = elapsed
                good = [p for p in profs if verify.max_regret(game, p) <= tol]
                if who == "ours" and method == "enumpoly":
                    reference = good
                agree = ""
                if reference is not None and who == "gambit":
                    agree = f"{sum(any(_same(p, q) for q in reference) for p in good)}/{len(good)}"
                flag = "yes" if complete else "no"
                print(f"{label:<10} {seed:>4} {name:<16} {len(good):>5} {flag:>8} {agree:>7} {elapsed:>8.2f}")
            keys = ("ours:enumpoly", "ours:enumpoly-fast", "gambit:enumpoly")
            if all(k in times for k in keys):
                ratios.append(("x".join(map(str, shape)), seed, *(times[k] for k in keys)))
    if ratios:
        print("\nours / gambit:enumpoly wall time (same run; each in a fresh child process)")
        for label, seed, ours, fast, theirs in ratios:
            print(
                f"{label:<10} {seed:>4}  enumpoly {ours / theirs:6.2f}x   enumpoly-fast {fast / theirs:6.2f}x"
            )
    print("\nhangs / errors (killed at the timeout):", hangs or "none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
