"""Sweep benchmarks: ``python benchmarks/sweep.py [--quick]``.

1. All equilibria of stacks of random 2×2, 3×3 and 2×4 games: the batched vertex enumeration
   (``bargaining.solvers.batch``) against nashpy's ``support_enumeration`` called per game, in the
   same run (target: at least 200× the games per second).
2. A whole sweep through the engine (template evaluation, batched solving, rows, regimes,
   Parquet store) of ``crisis-normal-form`` over a 1000×1000 grid (10⁶ points) on the process
   executor, with wall time and peak memory (this process and the largest worker).
3. ``escalation-tree`` (SPE of a 3-player perfect-information tree), batched against per-point.
4. ``resolve-signal`` (PBE with refinements) over 10⁶ points (``--side 1000``, the default), when
   its game file and the batched signaling solver exist; otherwise says so. Target: < 30 s on 2
   cores with the summed peak memory of all processes < 1 GB (main + workers × the largest
   worker's peak RSS); ``--json PATH`` writes both figures against the target.
5. The same table from a Dask local cluster of 2 workers as from the process executor.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from _records import record, write_records

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


RECORDS: list[dict] = []  # the --json records of the parts run in this process


def _record(target: str, case: str, ours: float, peer_value: float, unit: str, goal: float = 1.0) -> None:
    """One record of the benchmark JSON contract against a fixed target (no peer program):
    ``peer`` is ``"target"`` and ``ratio`` is ``target / ours`` (times and memory: lower is better)."""
    RECORDS.append(
        record(
            Path(__file__).stem,
            target,
            case,
            ours=round(ours, 3),
            peer="target",
            peer_value=peer_value,
            unit=unit,
            goal=goal,
        )
    )


def _peak_mb() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def _oracle():
    """``tests/gambit_oracle.py``: every use of pygambit goes through it."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import gambit_oracle

    return gambit_oracle


def bench_solvers(quick: bool) -> None:
    import nashpy

    from bargaining.solvers.batch import bimatrix_equilibria

    gambit = _oracle()
    rng = np.random.default_rng(2026)
    print(
        f"{'shape':<6} {'games':>8} {'batch g/s':>12} {'nashpy g/s':>11} {'speed-up':>9}  "
        f"{'eq/game':>7} agree"
    )
    for m, n in ((2, 2), (3, 3), (2, 4)):
        G = 20_000 if quick else 200_000
        K = 100 if quick else 400
        A = rng.normal(size=(G, m, n))
        B = rng.normal(size=(G, m, n))
        t = time.perf_counter()
        res = bimatrix_equilibria(A, B)
        batch_rate = G / (time.perf_counter() - t)
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for k in range(K):
                list(nashpy.Game(A[k], B[k]).support_enumeration())
        nashpy_rate = K / (time.perf_counter() - t)
        # agreement with pygambit's enummixed (nashpy's float support enumeration misses some
        # equilibria of random games to its tolerance, so it is timed but not the reference)
        agree = True
        for k in range(min(K, 200)):
            agree &= len(gambit.enummixed([A[k], B[k]], rational=False)) == int(res.count[k])
        print(
            f"{m}x{n:<4} {G:>8} {batch_rate:>12,.0f} {nashpy_rate:>11,.0f} {batch_rate / nashpy_rate:>8.0f}x"
            f"  {res.count.mean():>7.2f} {'yes' if agree else 'NO'} (pygambit)"
        )


def bench_engine(quick: bool, workers: int) -> None:
    from bargaining.sweep.engine import run_sweep
    from bargaining.sweep.spec import make_spec

    side = 200 if quick else 1000
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "crisis.parquet"
        spec = make_spec("crisis-normal-form", grid=[f"w=0:4:{side}", f"k_F=0:1:{side}"])
        t = time.perf_counter()
        run_sweep(spec, out, executor="process", workers=workers, quiet=True, command="benchmark")
        wall = time.perf_counter() - t
        import pyarrow.parquet as pq

        rows = pq.read_metadata(str(out)).num_rows
    me, kids = _peak_mb()
    print(
        f"crisis-normal-form {side}x{side} = {side * side:,} points, {rows:,} rows, {workers} workers: "
        f"{wall:.1f} s ({side * side / wall:,.0f} points/s); "
        f"peak RSS main {me:.0f} MB, largest worker {kids:.0f} MB"
    )


def bench_tree(quick: bool, workers: int) -> None:
    from bargaining.sweep.engine import run_sweep
    from bargaining.sweep.spec import make_spec

    side = 60 if quick else 300
    with tempfile.TemporaryDirectory() as d:
        rates = {}
        for label, method, grid in (
            ("batched", None, [f"psi=-1:0:{side}", f"a=0:0.6:{side}"]),
            ("per point (backward)", "backward", ["psi=-1:0:20", "a=0:0.6:10"]),
        ):
            spec = make_spec("escalation-tree", grid=grid, method=method)
            t = time.perf_counter()
            run_sweep(
                spec,
                Path(d) / "t.parquet",
                executor="process",
                workers=workers,
                quiet=True,
                command="benchmark",
            )
            rates[label] = len(spec.points) / (time.perf_counter() - t)
    me, kids = _peak_mb()
    print(
        f"escalation-tree (SPE, 3 players, 49 nodes) {side}x{side}: "
        f"batched {rates['batched']:,.0f} points/s, "
        f"per point {rates['per point (backward)']:,.0f} points/s "
        f"({rates['batched'] / rates['per point (backward)']:.0f}x); "
        f"peak RSS main {me:.0f} MB, largest worker {kids:.0f} MB"
    )


def bench_signal(quick: bool, workers: int, side: int | None = None) -> None:
    from bargaining.formats.load import find_game_file

    have_game = find_game_file("resolve-signal") is not None
    try:
        import bargaining.solvers.signaling_batch  # noqa: F401

        have_batch = True
    except ImportError:
        have_batch = False
    if not have_game:
        print("resolve-signal: games/resolve-signal.yaml does not exist yet; not measured")
        return
    from bargaining.sweep.engine import run_sweep
    from bargaining.sweep.spec import make_spec

    side = side or (30 if quick or not have_batch else 1000)
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "g1.parquet"
        spec = make_spec("resolve-signal", grid=[f"p=0.01:0.99:{side}", f"c_B=0:2:{side}"])
        t = time.perf_counter()
        run_sweep(spec, out, executor="process", workers=workers, quiet=True, command="benchmark")
        wall = time.perf_counter() - t
        import pyarrow.parquet as pq

        rows = pq.read_metadata(str(out)).num_rows
    me, kids = _peak_mb()
    summed = me + workers * kids  # every worker counted at the largest one's peak
    how = "batched" if have_batch else "per point (no batched signaling solver yet)"
    routed = ""
    if have_batch:  # points the batch leaves to the per-game solver (ties: measure zero)
        routed = f", {_routed(spec):,} at ties solved by the per-game solver"
    n = side * side
    print(
        f"resolve-signal {side}x{side} = {n:,} points, {rows:,} rows, {how}{routed}, {workers} workers: "
        f"{wall:.1f} s ({n / wall:,.0f} points/s, {wall * 1e6 / n:.1f} s per 10^6 points); "
        f"peak RSS main {me:.0f} MB, largest worker {kids:.0f} MB, "
        f"summed {summed:.0f} MB (main + {workers} x largest worker)"
    )
    if n < 10**6:  # a small grid says nothing of the 10^6-point target (start-up dominates)
        print("(the 10^6-point targets are judged only on a 1000x1000 grid: --side 1000; no record)")
        return
    case = f"resolve-signal {side}x{side}, {workers} workers"
    _record("signaling sweep: 10^6 points with refinements in < 30 s", case, wall * 1e6 / n, 30.0, "s")
    _record("signaling sweep: summed peak memory of all processes < 1 GB", case, summed, 1000.0, "MB")


def _routed(spec) -> int:
    """Points of the signal sweep that the batched path leaves to the per-game solver (as in
    ``solve_chunk_signaling``: non-generic after the exact check of single ties), chunk by chunk."""
    from bargaining.solvers.signaling_batch import SignalingBatch, solve_batch
    from bargaining.sweep.batched_signaling import exact_ties
    from bargaining.sweep.spec import get_source

    src = get_source(spec)
    n, total = len(spec.points), 0
    for start in range(0, n, 65_536):
        params = spec.points.points(start, min(n, start + 65_536))
        batch, exact = exact_ties(src, SignalingBatch.from_spec(src.evaluate(params)), params)
        res = solve_batch(batch, exact_tie=exact)
        total += int((~res.generic | (res.count == 0)).sum())
    return total


def bench_dask(quick: bool) -> None:
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        print("dask: not installed (pip install 'bargaining[dask]'); skipped")
        return
    import pyarrow.parquet as pq

    from bargaining.sweep.engine import run_sweep
    from bargaining.sweep.spec import make_spec

    with tempfile.TemporaryDirectory() as d:
        for game, grid in (
            ("crisis-normal-form", ["w=0:4:101", "k_F=0:1:101"]),
            ("escalation-tree", ["psi=-1:0:11", "a=0:0.6:7"]),
        ):
            spec = make_spec(game, grid=grid)
            times = {}
            for ex, kw in (("process", {"workers": 2}), ("dask", {"dask_local": 2})):
                t = time.perf_counter()
                run_sweep(spec, Path(d) / f"{ex}.parquet", executor=ex, quiet=True, command="benchmark", **kw)
                times[ex] = time.perf_counter() - t
            same = pq.read_table(Path(d) / "process.parquet").equals(pq.read_table(Path(d) / "dask.parquet"))
            same &= pq.read_table(Path(d) / "process.regimes.parquet").equals(
                pq.read_table(Path(d) / "dask.regimes.parquet")
            )
            print(
                f"{game}: process {times['process']:.1f} s, dask local 2 workers {times['dask']:.1f} s; "
                f"identical tables: {'yes' if same else 'NO'}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument(
        "--side",
        type=int,
        default=None,
        help="grid side of the signal part (side² points; default 1000, 30 with --quick)",
    )
    parser.add_argument(
        "--part",
        choices=["solvers", "engine", "tree", "signal", "dask"],
        default=None,
        help="run one part only (each part runs in its own process, so that the peak "
        "memory reported is that part's)",
    )
    parser.add_argument(
        "--json",
        metavar="PATH",
        default=None,
        help="write the target figures as a JSON list of records (benchmark JSON contract)",
    )
    args = parser.parse_args()
    parts = {
        "solvers": ("## batched all-equilibria vs nashpy (same run)", lambda: bench_solvers(args.quick)),
        "engine": ("## sweep engine, batched 2x2", lambda: bench_engine(args.quick, args.workers)),
        "tree": ("## sweep engine, perfect-information tree", lambda: bench_tree(args.quick, args.workers)),
        "signal": ("## resolve-signal", lambda: bench_signal(args.quick, args.workers, args.side)),
        "dask": ("## dask local cluster vs process executor", lambda: bench_dask(args.quick)),
    }
    if args.part:
        print(parts[args.part][0], flush=True)
        parts[args.part][1]()
        if args.json:
            write_records(args.json, RECORDS)
        return 0
    import subprocess

    status = 0
    records: list[dict] = []
    with tempfile.TemporaryDirectory() as d:
        for name in parts:
            cmd = [sys.executable, __file__, "--part", name, "--workers", str(args.workers)] + (
                ["--quick"] if args.quick else []
            )
            cmd += ["--side", str(args.side)] if args.side else []
            part_json = Path(d) / f"{name}.json"
            cmd += ["--json", str(part_json)] if args.json else []
            status |= subprocess.call(cmd)
            if args.json and part_json.is_file():
                records += json.loads(part_json.read_text(encoding="utf-8"))
            print(flush=True)
    if args.json:
        write_records(args.json, records)
    return status


if __name__ == "__main__":
    sys.exit(main())
