"""Signaling-game PBE throughput: per-game solver vs the vectorised batch solver on
``resolve-signal`` stacks, and the peer (pygambit on the same tree, one NE method per game).

``python benchmarks/signaling.py [--quick]`` prints a table of games/second. The batch timings
include the template evaluation of the stack (``Template.evaluate``) and exclude nothing else:
PBE families, off-path belief intervals, intuitive criterion and D1 flags for every game.
Peak memory (resident set, MB) is reported for the largest batch.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

import bargaining
from bargaining.solvers.signaling import pbe
from bargaining.solvers.signaling_batch import solve_batch


def points(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {"p": rng.uniform(0, 1, n), "c_B": rng.uniform(0, 2, n), "a": rng.uniform(0, 1, n)}


def bench_per_game(template, n: int) -> float:
    pts = points(n, 1)
    t0 = time.perf_counter()
    for k in range(n):
        pbe(template.with_params(**{name: float(v[k]) for name, v in pts.items()}))
    return n / (time.perf_counter() - t0)


def bench_batch(template, n: int, repeat: int = 3, block: int = 100_000) -> tuple[float, float, int]:
    """Evaluate and solve ``n`` random points in blocks of ``block`` (as a sweep would, to keep
    memory bounded); best of ``repeat``."""
    pts = points(n, 2)
    best = float("inf")
    count = 0
    for _ in range(repeat if n <= 100_000 else 1):
        t0 = time.perf_counter()
        count = 0
        for k in range(0, n, block):
            res = solve_batch(template.evaluate({name: v[k : k + block] for name, v in pts.items()}))
            count += int(res.valid.sum())
        best = min(best, time.perf_counter() - t0)
    return n / best, best, count


def _oracle():
    """``tests/gambit_oracle.py``: every use of pygambit goes through it."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import gambit_oracle

    return gambit_oracle


def bench_gambit(template, n: int) -> float:
    """pygambit (test-only peer) on the same trees: ``lcp_solve`` finds one Nash equilibrium
    (no beliefs, no refinements), so it does less work than ``pbe``."""

    gambit = _oracle()
    pts = points(n, 3)
    trees = []
    for k in range(n):
        g = template.with_params(**{name: float(v[k]) for name, v in pts.items()})
        trees.append(gambit.GambitTree.of(g.to_extensive()))
    total = 0.0
    for tree in trees:
        tree.lcp(rational=False)
        total += gambit.last_seconds
    return n / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    t = bargaining.load("resolve-signal")
    per_n = 20 if args.quick else 200
    sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
    rows = [("per-game pbe (exact, all PBE + IC + D1)", per_n, bench_per_game(t, per_n), "")]
    try:
        g = bench_gambit(t, 20 if args.quick else 100)
        rows.append(
            ("pygambit lcp_solve (one NE, no beliefs)", 20 if args.quick else 100, g, "peer, same trees")
        )
    except Exception as err:  # the peer is optional; say why it is missing
        rows.append((f"pygambit: skipped ({type(err).__name__})", 0, float("nan"), "peer"))
    for n in sizes:
        rate, secs, count = bench_batch(t, n)
        rows.append((f"batch solve_batch, {n:,} points", n, rate, f"{secs:.3f} s, {count:,} PBE"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'method':<46} {'games':>10} {'games/s':>14}  note")
    for name, n, rate, note in rows:
        print(f"{name:<46} {n:>10,} {rate:>14,.0f}  {note}")
    print(f"peak resident memory: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
