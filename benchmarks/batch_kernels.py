"""Batched bimatrix kernels: ``python benchmarks/batch_kernels.py [--quick] [--json PATH] [--check N]
[--memory] [--sweep]``.

Games per second of ``bimatrix_equilibria`` (all extreme equilibria, degenerate games included)
with the fast paths (``kernel="auto"``: closed-form 2×2; every other shape up to 3×4 by the
all-subsets vertex enumeration with label-set pairing of ``bargaining.solvers.batch_vertex``) and
with plain vertex enumeration (``kernel="vertex"``, the earlier kernel), and nashpy's
``support_enumeration`` per game in the same run for the ratio. Stacks: standard normal payoffs
(generic games) and integers in [-2, 2] (many degenerate games). Both kernels' outputs are checked
equal. Wall-clock rates with two threads; the machine may be shared, so the table also shows the
rate per CPU-second of this process.

``--json PATH`` writes two records per target figure (2×2 random, 3×3 random, 3×3 degenerate
integer): the rate against the absolute target (10⁶ resp. 2×10⁵ games/s on 2 cores; ``peer``
is ``target``, met when equal to the plain kernel too) and against nashpy called per game.

``--check N`` compares the batched output with the per-game exact enumeration
(``bargaining.solvers.bimatrix.extreme_equilibria(exact=True)``, the exact path of ``enummixed``)
on N games per shape (N / 5 for 3×4 and 4×3; integers in [-1, 1] and [-2, 2] and normal
floats). ``--memory`` measures the peak RSS of a streamed sweep (chunks of 2¹⁶ games) of 10⁵
and of 10⁶ 3×3 integer games in fresh processes. ``--sweep`` times ``bargain sweep
crisis-normal-form`` over a 1000×1000 grid.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from _records import record, write_records

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGETS = {(2, 2): 1_000_000, (3, 3): 200_000}  # games/s on 2 cores: the targets


def _rate(A: np.ndarray, B: np.ndarray, kernel: str, repeat: int = 3) -> tuple[float, float, Any]:
    """Best wall-clock rate and best rate per CPU-second (games/s) over ``repeat`` runs, and
    the result."""
    from bargaining.solvers.batch import bimatrix_equilibria

    wall = cpu = float("inf")
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        res = bimatrix_equilibria(A, B, kernel=kernel)
        wall = min(wall, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    return len(A) / wall, len(A) / cpu, res


def _stack(rng: np.random.Generator, kind: str, G: int, m: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    if kind == "normal":
        return rng.normal(size=(G, m, n)), rng.normal(size=(G, m, n))
    k = int(kind.split("[-")[1].split(",")[0])
    return rng.integers(-k, k + 1, (G, m, n)).astype(float), rng.integers(-k, k + 1, (G, m, n)).astype(float)


def bench_kernels(quick: bool) -> list[dict[str, Any]]:
    import nashpy

    rng = np.random.default_rng(2026)
    records = []
    print(
        f"{'shape':<5} {'payoffs':<9} {'games':>9} {'auto g/s':>11} {'g/CPU-s':>10} {'vertex g/s':>11}"
        f" {'auto/vertex':>11} {'nashpy g/s':>10} {'auto/nashpy':>11} {'target':>9} {'met':>4}"
        f" {'eq/game':>7} same"
    )
    for (m, n), G in (((2, 2), 1_000_000), ((3, 3), 400_000)):
        G = G // 4 if quick else G
        for kind in ("normal", "int[-2,2]"):
            A, B = _stack(rng, kind, G, m, n)
            r_new, r_cpu, new = _rate(A, B, "auto")
            r_old, _, old = _rate(A, B, "vertex", repeat=1)
            same = (
                np.array_equal(new.count, old.count)
                and np.array_equal(new.uncertain, old.uncertain)
                and np.allclose(new.x, old.x, atol=1e-9)
                and np.allclose(new.y, old.y, atol=1e-9)
            )
            K = 100 if quick else 300
            t = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for k in range(K):
                    list(nashpy.Game(A[k], B[k]).support_enumeration())
            r_nashpy = K / (time.perf_counter() - t)
            target = TARGETS[(m, n)]
            shown = (m, n) == (3, 3) or kind == "normal"
            print(
                f"{m}x{n:<3} {kind:<9} {G:>9,} {r_new:>11,.0f} {r_cpu:>10,.0f} {r_old:>11,.0f}"
                f" {r_new / r_old:>10.1f}x {r_nashpy:>10,.0f} {r_new / r_nashpy:>10,.0f}x"
                f" {target if shown else '':>9} {('yes' if r_new >= target else 'NO') if shown else '':>4}"
                f" {new.count.mean():>7.2f} {'yes' if same else 'NO'}"
            )
            if shown:
                label = "random normal" if kind == "normal" else "degenerate integer [-2,2]"
                case = f"{m}x{n} {label}, {G:,} games"
                absolute = record(
                    "batch_kernels",
                    f">= {target:,} {m}x{n} games/s on 2 cores, all extreme equilibria",
                    case,
                    ours=round(r_new),
                    peer="target",
                    peer_value=target,
                    unit="games/s",
                    goal=1.0,
                    higher_is_better=True,
                )
                absolute["met"] = bool(absolute["met"] and same)  # and equal to the plain kernel
                absolute["ours_per_cpu_second"] = round(r_cpu)
                records.append(absolute)
                records.append(
                    record(
                        "batch_kernels",
                        f"{m}x{n} games/s against nashpy support_enumeration called per game",
                        case,
                        ours=round(r_new),
                        peer="nashpy",
                        peer_value=round(r_nashpy, 1),
                        unit="games/s",
                        goal=1.0,
                        higher_is_better=True,
                    )
                )
    return records


def _exact_set(A: np.ndarray, B: np.ndarray) -> list[tuple[float, ...]]:
    from bargaining.model.normal import NormalFormGame
    from bargaining.solvers.bimatrix import extreme_equilibria

    g = NormalFormGame.from_arrays(A, B)
    xs, ys, edges, finished, _ = extreme_equilibria(g, exact=True)
    assert finished
    return sorted(tuple(round(float(Fraction(v)), 9) for v in (*xs[a], *ys[b])) for a, b in edges)


def check_exact(N: int) -> bool:
    """The batched output equals the per-game exact enumeration on N games per shape."""
    from bargaining.solvers.batch import bimatrix_equilibria

    rng = np.random.default_rng(4242)
    ok = True
    for m, n, games in ((2, 2, N), (3, 3, N), (2, 3, N), (3, 2, N), (3, 4, N // 5), (4, 3, N // 5)):
        parts = [_stack(rng, kind, games // 3, m, n) for kind in ("int[-1,1]", "int[-2,2]", "normal")]
        A = np.concatenate([p[0] for p in parts])
        B = np.concatenate([p[1] for p in parts])
        t = time.perf_counter()
        res = bimatrix_equilibria(A, B)
        starts = np.concatenate([[0], np.cumsum(res.count)])
        bad = 0
        for k in range(len(A)):
            rows = slice(starts[k], starts[k + 1])
            got = sorted(map(tuple, np.round(np.concatenate([res.x[rows], res.y[rows]], axis=1), 9).tolist()))
            want = _exact_set(A[k], B[k])
            if len(got) != len(want) or not np.allclose(got, want, atol=1e-9):
                bad += 1
        ok &= bad == 0
        print(
            f"exact check {m}x{n}: {len(A):,} games ({res.count.sum():,} equilibria, "
            f"{res.uncertain.sum()} flagged uncertain), mismatches: {bad} ({time.perf_counter() - t:.0f} s)"
        )
    return ok


_MEMORY_CHILD = """
import resource, sys
import numpy as np
from bargaining.solvers.batch import bimatrix_equilibria
total, chunk = int(sys.argv[1]), 1 << 16
rng = np.random.default_rng(1)
count = 0
for start in range(0, total, chunk):
    G = min(chunk, total - start)
    A = rng.integers(-2, 3, (G, 3, 3)).astype(float)
    B = rng.integers(-2, 3, (G, 3, 3)).astype(float)
    count += int(bimatrix_equilibria(A, B).count.sum())
hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM")]
peak = int(hwm[0].split()[1]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(count, peak)  # kB; VmHWM is this process's own (ru_maxrss is inherited across fork)
"""


def bench_memory() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for total in (100_000, 1_000_000):
        t = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", _MEMORY_CHILD, str(total)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        print(
            f"streamed sweep of {total:,} 3x3 integer games (chunks of 65,536): {int(out[0]):,} equilibria,"
            f" peak RSS {int(out[1]) / 1024:.0f} MiB, {time.perf_counter() - t:.1f} s"
        )


def bench_sweep(before: Path | None, side: int) -> None:
    env = dict(os.environ)
    runs = [("this checkout", ROOT)] + ([("before", before)] if before else [])
    with tempfile.TemporaryDirectory() as d:
        for label, root in runs:
            env["PYTHONPATH"] = str(root)
            out = Path(d) / "crisis.parquet"
            cmd = [sys.executable, "-m", "bargaining", "sweep", "crisis-normal-form"]
            cmd += ["--grid", f"w=0:4:{side}", "--grid", f"k_F=0:1:{side}", "--out", str(out)]
            cmd += ["--workers", "2", "-q", "--force"]
            t = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, cwd=d)
            wall = time.perf_counter() - t
            print(
                f"sweep crisis-normal-form {side}x{side} ({label}): {wall:.1f} s, "
                f"{side * side / wall:,.0f} points/s"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a quarter of the games")
    parser.add_argument("--json", type=Path, default=None, help="write the target records to this file")
    parser.add_argument(
        "--check", type=int, default=0, help="compare with exact enummixed on N games per shape"
    )
    parser.add_argument(
        "--memory", action="store_true", help="peak RSS of streamed 10^5 and 10^6 game sweeps"
    )
    parser.add_argument("--sweep", action="store_true", help="also time a 10^6-point sweep end to end")
    parser.add_argument("--before", type=Path, default=None, help="older checkout to time the sweep of")
    parser.add_argument("--side", type=int, default=1000, help="grid side of the sweep (side² points)")
    args = parser.parse_args()
    records = bench_kernels(args.quick)
    if args.json:
        write_records(args.json, records)
    status = 0
    if args.check:
        status |= 0 if check_exact(args.check) else 1
    if args.memory:
        bench_memory()
    if args.sweep:
        bench_sweep(args.before, args.side)
    print(f"(peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)")
    return status


if __name__ == "__main__":
    sys.exit(main())
