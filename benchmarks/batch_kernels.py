"""Batched bimatrix kernels: ``python benchmarks/batch_kernels.py [--quick] [--sweep]``.

Games per second of ``bimatrix_equilibria`` (all extreme equilibria, degenerate games included)
with the fast paths (``kernel="auto"``: closed-form 2×2, label-lookup pairing of nondegenerate
games) and with plain vertex enumeration (``kernel="vertex"``, the kernel before issue #20), and
nashpy's ``support_enumeration`` per game in the same run for the ratio. Stacks: standard normal
payoffs (generic games) and integers in [-2, 2] (many degenerate games). Both kernels' outputs are
checked equal. ``--sweep`` also times ``bargain sweep crisis-normal-form`` over a 1000×1000 grid
(10⁶ points, 2 workers) end to end; pass ``--before DIR`` (a checkout of an older commit) to time
that checkout's sweep in the same run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _rate(A: np.ndarray, B: np.ndarray, kernel: str, repeat: int = 2) -> float:
    from bargaining.solvers.batch import bimatrix_equilibria

    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        bimatrix_equilibria(A, B, kernel=kernel)
        best = min(best, time.perf_counter() - t)
    return len(A) / best


def bench_kernels(quick: bool) -> None:
    import nashpy

    from bargaining.solvers.batch import bimatrix_equilibria

    rng = np.random.default_rng(2026)
    print(
        f"{'shape':<5} {'payoffs':<8} {'games':>9} {'auto g/s':>11} {'vertex g/s':>11} {'auto/vertex':>11}"
        f" {'nashpy g/s':>10} {'auto/nashpy':>11} {'eq/game':>7} same"
    )
    for (m, n), G in (((2, 2), 1_000_000), ((3, 3), 200_000)):
        G = G // 10 if quick else G
        for kind in ("normal", "int[-2,2]"):
            if kind == "normal":
                A, B = rng.normal(size=(G, m, n)), rng.normal(size=(G, m, n))
            else:
                A = rng.integers(-2, 3, (G, m, n)).astype(float)
                B = rng.integers(-2, 3, (G, m, n)).astype(float)
            new = bimatrix_equilibria(A, B)
            old = bimatrix_equilibria(A, B, kernel="vertex")
            same = (
                np.array_equal(new.count, old.count)
                and np.array_equal(new.uncertain, old.uncertain)
                and np.allclose(new.x, old.x, atol=1e-9)
                and np.allclose(new.y, old.y, atol=1e-9)
            )
            r_new = _rate(A, B, "auto")
            r_old = _rate(A, B, "vertex")
            K = 100 if quick else 300
            t = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for k in range(K):
                    list(nashpy.Game(A[k], B[k]).support_enumeration())
            r_nashpy = K / (time.perf_counter() - t)
            print(
                f"{m}x{n:<3} {kind:<8} {G:>9,} {r_new:>11,.0f} {r_old:>11,.0f} {r_new / r_old:>10.1f}x"
                f" {r_nashpy:>10,.0f} {r_new / r_nashpy:>10,.0f}x"
                f" {new.count.mean():>7.2f} {'yes' if same else 'NO'}"
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
    parser.add_argument("--quick", action="store_true", help="a tenth of the games")
    parser.add_argument("--sweep", action="store_true", help="also time a 10^6-point sweep end to end")
    parser.add_argument("--before", type=Path, default=None, help="older checkout to time the sweep of")
    parser.add_argument("--side", type=int, default=1000, help="grid side of the sweep (side² points)")
    args = parser.parse_args()
    bench_kernels(args.quick)
    if args.sweep:
        bench_sweep(args.before, args.side)
    return 0


if __name__ == "__main__":
    sys.exit(main())
