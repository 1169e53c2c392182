"""All equilibria of random n×n two-player games: us against nashpy, QuantEcon and pygambit.

    python benchmarks/bimatrix.py [--quick] [--sizes 2 4 6] [--seeds 10] [--timeout 20] [--json PATH]

For each size n and payoff kind (``int``: integers in [-5, 5], many ties and degenerate games;
``float``: uniform [0, 1)), the same fixed-seed games go to

- ours: ``enummixed`` on the float game (``ours``: the solver function, with the compiled
  kernels of the ``fast`` extra when numba is installed; ``ours-py``: the same with them switched
  off, numpy and Python only), the same through the dispatcher
  ``bargaining.solve(g, method="enummixed")`` (``ours+cert``: options, deadline and the
  independent certificate of every equilibrium) and in exact arithmetic (``ours-x``);
- QuantEcon ``support_enumeration`` (numba; warmed up before timing);
- pygambit ``enummixed_solve`` in floats (``gambit``) and, for ``int`` games, in rationals
  (the reference for disagreements);
- nashpy ``support_enumeration`` (``np-se``) and ``vertex_enumeration`` (``np-ve``).

Peers run in a child process with a per-game time limit (``--timeout``); a nashpy method that
times out once, or another peer that times out on most games of a size, is not run for larger n
(``timeout``). Times are medians per game in
milliseconds, measured inside the process that solves: every solver, ours included, runs in a
fresh child process forked from a parent that has run each of them (but nashpy) ten times on
other games of the same size (:func:`_warm_up`), and a run under 50 ms is repeated there up to
five times and the best kept (:func:`best_of`, the same for every solver; the garbage collector
off during the runs, as :mod:`timeit` does), after the child has
solved three other games of the size (:func:`warm_best_of`, for n ≤ 7: a forked child's first
calls copy the memory pages they touch, up to about 1 ms for Python code; not for nashpy), so
that a cold start does not count as solving time. ``#eq`` is the total
number of equilibria found over the seeds; ``dis`` counts games where our extreme equilibria
differ from Gambit's (exact sets for ``int``, within 1e-6 for ``float``).

``--json PATH`` writes one record per target figure (the benchmark JSON contract of
``benchmarks/run.py``): for each kind and n ≤ 10, Gambit float / ours, Gambit float /
ours+cert and Gambit float / ours-py (goal 1.0: median per game at most Gambit's), and for
n ≥ 6 QuantEcon / ours and QuantEcon / ours-py (goal 1.0). ``ours-py`` is shown for readers
without numba; the targets are read on ``ours`` (the default where the ``fast`` extra is
installed) and ``ours+cert``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import warnings
from fractions import Fraction

import numpy as np
from _records import record, write_records

import bargaining
from bargaining import NormalFormGame
from bargaining.solvers.bimatrix import enummixed
from bargaining.solvers.bimatrix_compiled import set_compiled
from bargaining.solvers.budget import Deadline, run_in_subprocess


def make_game(kind: str, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1000 * n + seed + (0 if kind == "int" else 500))
    if kind == "int":
        return rng.integers(-5, 6, (n, n)).astype(float), rng.integers(-5, 6, (n, n)).astype(float)
    return rng.random((n, n)), rng.random((n, n))


# -- solvers: each returns (seconds, list of profiles as float tuples) ---------------------------
def run_ours(A, B, exact=False, certified=False, compiled=True):
    g = NormalFormGame.from_arrays(A, B)
    previous = set_compiled(compiled)
    try:
        t = time.perf_counter()
        sol = bargaining.solve(g, method="enummixed", exact=exact) if certified else enummixed(g, exact=exact)
        dt = time.perf_counter() - t
    finally:
        set_compiled(previous)
    return dt, [tuple(tuple(s) for s in e.strategies) for e in sol.equilibria]


def run_quantecon(A, B):
    import quantecon.game_theory as gt

    g = gt.NormalFormGame((gt.Player(A), gt.Player(B.T)))
    t = time.perf_counter()
    eqs = gt.support_enumeration(g)
    return time.perf_counter() - t, [(tuple(x), tuple(y)) for x, y in eqs]


def _oracle():
    """``tests/gambit_oracle.py``: every use of pygambit goes through it."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import gambit_oracle

    return gambit_oracle


def run_gambit(A, B, rational=False):
    gambit = _oracle()
    if rational:
        A = [[Fraction(repr(float(v))) for v in row] for row in A]
        B = [[Fraction(repr(float(v))) for v in row] for row in B]
    g = gambit.strategic_game(A, B)
    eqs = gambit.enummixed(g, rational=rational)
    return gambit.last_seconds, eqs


def run_nashpy(A, B, how):
    import nashpy

    warnings.simplefilter("ignore")
    g = nashpy.Game(A, B)
    t = time.perf_counter()
    eqs = list(g.support_enumeration() if how == "se" else g.vertex_enumeration())
    return time.perf_counter() - t, [(tuple(x), tuple(y)) for x, y in eqs]


def best_of(fn, *args, repeats: int = 5):
    """``fn(*args)`` (which returns ``(seconds, result)``), run up to ``repeats`` times in all
    while a run takes under 50 ms (and the runs together under 0.25 s); the shortest time is
    kept: the warm cost per game, for every solver alike. As :mod:`timeit` does, the garbage
    collector is off during the runs (in a forked child its first pass touches, and so copies,
    the parent's whole heap: half a millisecond that belongs to no solver)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        dt, res = fn(*args)
        spent = dt
        for _ in range(repeats - 1):
            if dt >= 0.05 or spent >= 0.25:
                break
            again = fn(*args)[0]
            spent += again
            dt = min(dt, again)
    finally:
        if enabled:
            gc.enable()
    return dt, res


#: games of the current size solved in each child before the timed game (:func:`warm_best_of`)
_CHILD_WARM: list[tuple[np.ndarray, np.ndarray]] = []


def warm_best_of(fn, *args):
    """:func:`best_of` after ``fn`` has solved the games of :data:`_CHILD_WARM` in this (forked)
    child: the first calls in a fresh child pay for copying the parent's memory pages they
    touch (copy on write; up to about 1 ms for a Python solver) and warming the CPU caches,
    which is no solving time. The same for every solver timed in a child except nashpy (slow,
    not a target)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        for A, B in _CHILD_WARM:
            fn(A, B, *args[2:])
    finally:
        if enabled:
            gc.enable()
    return best_of(fn, *args)


PEERS = {
    "qe": (run_quantecon, ()),
    "gambit": (run_gambit, (False,)),
    "np-se": (run_nashpy, ("se",)),
    "np-ve": (run_nashpy, ("ve",)),
}


def same(ours, theirs, exact: bool) -> bool:
    if exact:
        return set(ours) == set(theirs)
    if len(ours) != len(theirs):
        return False
    for t in theirs:
        if not any(all(np.allclose(a, b, atol=1e-6) for a, b in zip(t, o)) for o in ours):
            return False
    return True


def _ours_in_child(A, B, exact: bool, certified: bool = False, compiled: bool = True):
    status, val = run_in_subprocess(
        warm_best_of, run_ours, A, B, exact, certified, compiled, deadline=Deadline(None)
    )
    if status != "ok":
        raise RuntimeError(f"enummixed failed: {val}")
    return val


def _warm_up(kind: str, n: int, rounds: int = 10) -> None:
    """Run ours (plain and through the dispatcher), Gambit and QuantEcon a few times on games of
    this size in the parent, before the timed children are forked from it: index tables are
    built, every registered method is loaded, and the interpreter's adaptive specialisation of
    the Python code (ours, and pygambit's wrapper) is done, so that none of it counts as
    solving time in a child. The same for every solver timed here except nashpy (slow)."""
    for k in range(rounds):
        A, B = make_game(kind, n, 10_000 + k)
        run_ours(A, B)
        run_ours(A, B, False, False, False)
        run_ours(A, B, False, True)
        run_gambit(A, B)
        run_quantecon(A, B)


def _cell(times: list[float], outs: int) -> str:
    if not times:
        return f"{'timeout':>9}"
    text = f"{statistics.median(times) * 1e3:.3f}"
    return f"{text + ('*' if outs else ''):>9}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="n = 2..6, 3 seeds, 5 s per peer game")
    ap.add_argument("--sizes", type=int, nargs="*", default=None)
    ap.add_argument("--seeds", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=None, help="seconds per peer game (default 20)")
    ap.add_argument("--kinds", nargs="*", default=["int", "float"])
    ap.add_argument("--json", metavar="PATH", help="write the target records (JSON) to PATH")
    args = ap.parse_args()
    sizes = args.sizes or (list(range(2, 7)) if args.quick else list(range(2, 11)))
    seeds = args.seeds or (3 if args.quick else 10)
    limit = args.timeout or (5.0 if args.quick else 20.0)

    run_quantecon(np.eye(2), np.eye(2))  # compile QuantEcon's numba kernels before timing

    cols = ["ours", "ours-py", "ours+cert", "ours-x", "qe", "gambit", "np-se", "np-ve"]
    peers = cols[4:]
    records: list[dict] = []
    print(
        f"median ms per game over {seeds} seeds; ratio = peer / ours; #eq = equilibria found in all; "
        f"dis = games where ours != Gambit (peer limit {limit:g} s per game)"
    )
    header = (
        f"{'kind':<5} {'n':>2} "
        + " ".join(f"{c:>9}" for c in cols)
        + "  "
        + " ".join(f"{c + '/ours':>11}" for c in peers)
        + f" {'gambit/o+c':>11} {'gambit/py':>11}"
        + "  #eq "
        + "/".join(cols)
        + "  dis"
    )
    print(header)
    total_dis = 0
    unchecked = 0
    for kind in args.kinds:
        dead: set[str] = set()
        for n in sizes:
            times: dict[str, list[float]] = {c: [] for c in cols}
            counts: dict[str, int] = {c: 0 for c in cols}
            outs: dict[str, int] = {c: 0 for c in cols}
            dis = 0
            _warm_up(kind, n)
            # (only where a game takes well under a millisecond: beyond, the copying is noise)
            _CHILD_WARM[:] = [make_game(kind, n, 20_000 + k) for k in range(3)] if n <= 7 else []
            for s in range(seeds):
                A, B = make_game(kind, n, s)
                # ours too in a fresh child, timed like the peers
                dt, ours = _ours_in_child(A, B, False)
                times["ours"].append(dt)
                counts["ours"] += len(ours)
                dtp, ours_p = _ours_in_child(A, B, False, False, False)
                times["ours-py"].append(dtp)
                counts["ours-py"] += len(ours_p)
                dtc, ours_c = _ours_in_child(A, B, False, True)
                times["ours+cert"].append(dtc)
                counts["ours+cert"] += len(ours_c)
                dtx, ours_x = _ours_in_child(A, B, True)
                times["ours-x"].append(dtx)
                counts["ours-x"] += len(ours_x)
                if kind == "int":
                    status, val = run_in_subprocess(run_gambit, A, B, True, deadline=Deadline(limit))
                    if status == "ok":
                        dis += not same(ours_x, val[1], exact=True)
                    else:
                        unchecked += 1
                for name, (fn, extra) in PEERS.items():
                    if name in dead:
                        continue
                    timer = best_of if name.startswith("np-") else warm_best_of
                    status, val = run_in_subprocess(timer, fn, A, B, *extra, deadline=Deadline(limit))
                    if status != "ok":
                        outs[name] += 1
                        if name.startswith("np-"):
                            dead.add(name)  # nashpy only gets slower with n
                        continue
                    times[name].append(val[0])
                    counts[name] += len(val[1])
                    if name == "gambit" and kind == "float":
                        dis += not same(ours, val[1], exact=False)
            for name in PEERS:
                if outs[name] * 2 > seeds:
                    dead.add(name)
            total_dis += dis

            med = {c: statistics.median(v) if v else None for c, v in times.items()}
            ratios = " ".join(
                f"{med[c] / med['ours']:>11.2f}" if med[c] is not None and med["ours"] else f"{'-':>11}"
                for c in peers
            )
            for mine in ("ours+cert", "ours-py"):
                gc = med["gambit"], med[mine]
                ratios += f" {gc[0] / gc[1]:>11.2f}" if gc[0] is not None and gc[1] else f" {'-':>11}"
            records.extend(_records(kind, n, med))
            found = "/".join(f"{counts[c]}" + (f"({outs[c]}TO)" if outs[c] else "") for c in cols)
            print(
                f"{kind:<5} {n:>2} {' '.join(_cell(times[c], outs[c]) for c in cols)}  "
                f"{ratios}  {found}  {dis}",
                flush=True,
            )
    print(f"disagreements with Gambit: {total_dis} (int games where exact Gambit timed out: {unchecked})")
    print("* some games timed out (median over the rest); (kTO) = k games timed out")
    if args.json:
        write_records(args.json, records)
    return 0


def _records(kind: str, n: int, med: dict) -> list[dict]:
    """The target records of one row (see the module docstring)."""
    out = []
    targets = []
    if n <= 10:
        targets.append(("ours", "gambit", "median per game <= Gambit float enummixed (n <= 10)"))
        targets.append(("ours+cert", "gambit", "median per game, dispatcher + certificate, <= Gambit float"))
        targets.append(
            ("ours-py", "gambit", "without the fast extra (numpy path): median per game <= Gambit float")
        )
    if n >= 6:
        targets.append(("ours", "qe", "median per game <= QuantEcon support_enumeration (n >= 6)"))
        targets.append(("ours-py", "qe", "without the fast extra (numpy path): median per game <= QuantEcon"))
    for ours, peer, target in targets:
        if med.get(ours) is None or med.get(peer) is None or not med[ours]:
            continue
        out.append(
            record(
                "bimatrix",
                target,
                f"{kind} n={n}" + (f" ({ours})" if ours != "ours" else ""),
                ours=round(med[ours] * 1e3, 4),
                peer=peer,
                peer_value=round(med[peer] * 1e3, 4),
                unit="ms per game",
                goal=1.0,
            )
        )
    return out


if __name__ == "__main__":
    sys.exit(main())
