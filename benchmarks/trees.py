"""Game trees: sequence-form Nash equilibria against pygambit, and SPE by backward induction.

    python benchmarks/trees.py [--quick] [--sizes 100 200 500] [--seeds 5] [--timeout 20]
                               [--spe-sizes 10000 100000 1000000]

**(a) Nash equilibria of two-player trees with imperfect information.** Random trees
(``bargaining.model.random_trees.random_tree``: about N nodes, 2-3 actions, 10% chance nodes, half
of the new decision nodes joining an information set, perfect recall, integer payoffs in
[-10, 10]) with fixed seeds go to

- ours: ``solve(game, method="sequence")`` (Lemke on the sequence form) in floats (``ours``) and
  exact (``ours-x``: float pivots, then the final basis solved in rationals);
- pygambit ``lcp_solve`` on the tree (its sequence-form LCP) in rationals (``gbt-x``, its default)
  and in floats (``gbt``), each in a child process killed after ``--timeout`` seconds. A peer
  that times out on most games of a size is not run on larger sizes (``-``).

Every answer, ours and Gambit's, is checked by our independent verifier
(``bargaining.verify.tree.nash_regret``: exactly 0 in rationals, below 1e-6 in floats);
``ok`` counts the games solved *and* verified. Times are medians over the games that finished,
in milliseconds, measured inside the process that solves (tree building and file I/O excluded).

**(b) Subgame-perfect equilibrium of perfect-information trees** (``merge_prob=0``, 10% chance
nodes, payoffs in [-10^6, 10^6] so that ties are rare) of 10^4 to 10^6 nodes:
``solve(game, method="backward")`` (every SPE; the time includes the equilibrium record and its
independent SPE certificate), and the array path ``spe_arrays`` (one SPE, numpy level by level)
for comparison. ``us/node`` shows the scaling: flat means linear.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time

from bargaining.formats.efg import write_efg
from bargaining.model.extensive import ExtensiveGame
from bargaining.model.random_trees import random_tree
from bargaining.solvers.api import solve
from bargaining.solvers.backward import spe_arrays
from bargaining.solvers.budget import Deadline, run_in_subprocess
from bargaining.verify import tree as verify_tree


def make_tree(n: int, seed: int) -> ExtensiveGame:
    return random_tree(n, 2, seed=7919 * n + seed, merge_prob=0.5, chance_prob=0.1, payoff_range=10)


# -- solvers: each returns (seconds, behaviour profile or None) ---------------------------------
def run_ours(game: ExtensiveGame, exact: bool, timeout: float):
    g = game if exact else game.as_float()
    t = time.perf_counter()
    sol = solve(g, method="sequence", exact=exact, timeout=timeout)
    dt = time.perf_counter() - t
    return dt, (sol.equilibria[0].behavior if sol.equilibria else None)


def _oracle():
    """``tests/gambit_oracle.py``: every use of pygambit goes through it."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import gambit_oracle

    return gambit_oracle


def run_gambit(efg_text: str, rational: bool):
    from bargaining.formats.efg import parse_efg

    gambit = _oracle()
    tree = gambit.GambitTree.from_efg_text(efg_text)
    try:
        behavior = tree.lcp_behavior(parse_efg(efg_text), rational=rational)
    except AssertionError:  # no equilibrium found
        return gambit.last_seconds, None
    return gambit.last_seconds, behavior


def verified(game: ExtensiveGame, behavior, exact: bool) -> bool:
    if behavior is None:
        return False
    if exact:
        return verify_tree.nash_regret(game, behavior) == 0
    return float(verify_tree.nash_regret(game.as_float(), behavior)) < 1e-6


def _ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1e3:>9.1f}" if times else f"{'-':>9}"


def _ratio(med: dict, outs: dict, a: str, b: str) -> str:
    if med[a] is None or not med[b]:
        return f"{'-':>9}"
    return f"{med[a] / med[b]:>9.1f}" + ("+" if outs[a] else "")


def nash_table(sizes: list[int], seeds: int, limit: float) -> None:
    cols = ["ours", "ours-x", "gbt", "gbt-x"]
    print(
        f"(a) sequence-form NE, random 2-player trees with chance and information sets; {seeds} seeds per "
        f"size; median ms; ok = solved and verified; peer limit {limit:g} s per game"
    )
    print(
        f"{'nodes':>6} {'sets':>5} "
        + " ".join(f"{c:>9}" for c in cols)
        + f" {'gbt/ours':>9} {'gbtx/ox':>9}  ok "
        + "/".join(cols)
    )
    dead: set[str] = set()
    run_ours(make_tree(50, 0), True, timeout=limit)  # imports the solvers before timing
    for n in sizes:
        times: dict[str, list[float]] = {c: [] for c in cols}
        ok = {c: 0 for c in cols}
        outs = {c: 0 for c in cols}
        sets = []
        for s in range(seeds):
            game = make_tree(n, s)
            sets.append(len(game.infosets))
            for c, exact in (("ours", False), ("ours-x", True)):
                dt, beh = run_ours(game, exact, timeout=limit * 5)
                times[c].append(dt)
                ok[c] += verified(game, beh, exact)
            text = write_efg(game)
            for c, rational in (("gbt", False), ("gbt-x", True)):
                if c in dead:
                    continue
                status, val = run_in_subprocess(run_gambit, text, rational, deadline=Deadline(limit))
                if status != "ok":
                    outs[c] += 1
                    continue
                times[c].append(val[0])
                ok[c] += verified(game, val[1], rational)
        for c in ("gbt", "gbt-x"):
            if outs[c] * 2 > seeds:
                dead.add(c)
        med = {c: statistics.median(v) if v else None for c, v in times.items()}

        found = "/".join(f"{ok[c]}" + (f"({outs[c]}TO)" if outs[c] else "") for c in cols)
        print(
            f"{n:>6} {round(statistics.median(sets)):>5} "
            + " ".join(_ms(times[c]) for c in cols)
            + f" {_ratio(med, outs, 'gbt', 'ours')} {_ratio(med, outs, 'gbt-x', 'ours-x')}  {found}",
            flush=True,
        )
    print(
        "(kTO) = k games timed out (medians over the rest; + = a ratio that leaves out timeouts, "
        "so it understates Gambit's time); - = not run (timed out on most games of a smaller size)"
    )


def spe_table(sizes: list[int]) -> None:
    print("\n(b) SPE by backward induction on perfect-information trees (10% chance nodes)")
    print(
        f"{'nodes':>8} {'build s':>8} {'solve s':>8} {'us/node':>8} {'#SPE':>5} {'regret':>7} "
        f"{'arrays s':>9} {'us/node':>8} {'peak MB':>8}"
    )
    for n in sizes:
        t = time.perf_counter()
        game = random_tree(n, 2, seed=n, merge_prob=0.0, chance_prob=0.1, payoff_range=10**6, exact=False)
        build = time.perf_counter() - t
        nodes = len(game.nodes)
        t = time.perf_counter()
        sol = solve(game, method="backward")
        dt = time.perf_counter() - t
        regret = max(float(e.regret) for e in sol.equilibria) if sol.equilibria else float("nan")
        arrays = game.to_arrays()
        t = time.perf_counter()
        value, _ = spe_arrays(arrays)
        da = time.perf_counter() - t
        agree = sol.equilibria and abs(float(sol.equilibria[0].payoffs[0]) - value[0][0]) < 1e-6 * 10**6
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{nodes:>8} {build:>8.2f} {dt:>8.2f} {dt / nodes * 1e6:>8.1f} {len(sol.equilibria):>5} "
            f"{regret:>7.1g} {da:>9.3f} {da / nodes * 1e6:>8.2f} {peak:>8.0f}"
            + ("" if agree else "  (arrays value differs!)"),
            flush=True,
        )
        del game, sol, arrays, value
    print(
        "build = random_tree + validation (not part of the solve); regret = largest SPE regret of the "
        "listed equilibria by verify_tree; peak MB = this process's peak resident memory so far"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--quick", action="store_true", help="100..500 nodes, 2 seeds, 5 s per peer game; SPE to 3*10^4"
    )
    ap.add_argument("--sizes", type=int, nargs="*", default=None, help="tree sizes for (a)")
    ap.add_argument("--seeds", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=None, help="seconds per peer game (default 20)")
    ap.add_argument("--spe-sizes", type=int, nargs="*", default=None, help="tree sizes for (b)")
    args = ap.parse_args()
    sizes = (
        args.sizes
        if args.sizes is not None
        else ([100, 200, 500] if args.quick else [100, 200, 500, 1000, 2000])
    )
    seeds = args.seeds or (2 if args.quick else 5)
    limit = args.timeout or (5.0 if args.quick else 20.0)
    spe_sizes = (
        args.spe_sizes
        if args.spe_sizes is not None
        else ([10_000, 30_000] if args.quick else [10_000, 100_000, 1_000_000])
    )
    if sizes:
        nash_table(sizes, seeds, limit)
    if spe_sizes:
        spe_table(spe_sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
