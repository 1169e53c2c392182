"""Run every benchmark in this folder and print the speed targets as ratios against the peers:
``python benchmarks/run.py [--quick | --targets] [--json PATH] [name ...]``.

Each ``benchmarks/<area>.py`` is a standalone script that compares us with nashpy, QuantEcon
and pygambit in the same run and prints its own table; this runner calls them in turn. Scripts
that report target figures (those accepting ``--json``) write one record per figure::

    {"benchmark", "target", "case", "ours", "peer", "peer_value", "unit", "ratio", "goal", "met"}

where ``ratio`` is oriented so that above 1 means we are faster than the peer (peer time / our
time, or our rate / the peer's rate) and ``goal`` is the ratio the target asks for. The runner
collects the records of all scripts into one table at the end (and into ``--json PATH``), so
every target is read as a ratio from one run on one machine. ``--targets`` runs only what the
speed targets need, at full size (:data:`TARGET_RUNS`).
Install the peers first: ``pip install -e '.[test,bench]'``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _records import write_records  # noqa: E402


def _accepts_json(script: Path) -> bool:
    return '"--json"' in script.read_text(encoding="utf-8")


def _number(v: object) -> str:
    if isinstance(v, bool) or v is None:
        return "-" if v is None else str(v)
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 1e4 else f"{v:,.0f}"
    return str(v)


def targets_table(records: list[dict]) -> str:
    """The records as a plain text table, grouped by target, one line per case."""
    lines: list[str] = []
    by_target: dict[str, list[dict]] = {}
    for r in records:
        by_target.setdefault(f"{r.get('benchmark', '?')}: {r.get('target', '?')}", []).append(r)
    for target, rows in by_target.items():
        met = sum(bool(r.get("met")) for r in rows)
        lines.append(f"{target}  ({met}/{len(rows)} met)")
        for r in rows:
            lines.append(
                f"  {str(r.get('case', '')):<26} ours {_number(r.get('ours')):>9} {r.get('unit', '')}"
                f"  {str(r.get('peer', '')):<10} {_number(r.get('peer_value')):>9}"
                f"  ratio {_number(r.get('ratio')):>7}  goal {_number(r.get('goal')):>5}"
                f"  {'met' if r.get('met') else 'NOT met'}"
            )
    return "\n".join(lines)


# ``--targets``: exactly the runs that measure the speed targets, each with its peers
TARGET_RUNS: list[tuple[str, list[str]]] = [
    ("bimatrix", ["--sizes", *map(str, range(2, 11)), "--seeds", "7", "--timeout", "10"]),
    ("batch_kernels", []),
    ("nplayer", ["--enumpoly-only"]),
    ("sweep", ["--part", "signal", "--side", "1000"]),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few seeds (a smoke run)")
    parser.add_argument("--json", type=Path, default=None, help="write every target record here")
    parser.add_argument(
        "--targets",
        action="store_true",
        help="only the runs that measure the speed targets (full sizes; about 15 minutes on 2 cores)",
    )
    parser.add_argument("only", nargs="*", help="benchmark names to run (default: all)")
    args = parser.parse_args()
    scripts = sorted(p for p in HERE.glob("*.py") if p.name != "run.py" and not p.name.startswith("_"))
    if args.only:
        unknown = set(args.only) - {p.stem for p in scripts}
        if unknown:
            parser.error(f"unknown benchmark(s) {sorted(unknown)}; choose from {[p.stem for p in scripts]}")
        scripts = [p for p in scripts if p.stem in args.only]
    if args.targets:
        if args.quick:
            parser.error("--targets runs the full sizes; drop --quick")
        runs = [(HERE / f"{name}.py", extra) for name, extra in TARGET_RUNS]
        runs = [(p, extra) for p, extra in runs if not args.only or p.stem in args.only]
    else:
        runs = [(p, ["--quick"] if args.quick else []) for p in scripts]
    status = 0
    records: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        for script, extra in runs:
            print(f"\n=== {script.stem} {' '.join(extra)} ===", flush=True)
            cmd = [sys.executable, str(script), *extra]
            out = Path(tmp) / f"{script.stem}.json"
            if _accepts_json(script):
                cmd += ["--json", str(out)]
            status |= subprocess.call(cmd)
            if out.exists():
                records += json.loads(out.read_text(encoding="utf-8"))
    if records:
        print("\n=== targets (ratio > 1: we are faster than the peer; goal: the ratio asked for) ===")
        print(targets_table(records))
    if args.json is not None:
        write_records(args.json, records)
    return status


if __name__ == "__main__":
    sys.exit(main())
