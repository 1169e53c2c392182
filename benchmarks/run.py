"""Run every benchmark in this folder, one after the other: ``python benchmarks/run.py [--quick]``.

Each ``benchmarks/<area>.py`` is a standalone script that compares us with nashpy, QuantEcon
and pygambit in the same run and prints a table; this runner only calls them in turn.
Install the peers first: ``pip install -e '.[test,bench]'``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few seeds (a smoke run)")
    parser.add_argument("only", nargs="*", help="benchmark names to run (default: all)")
    args = parser.parse_args()
    scripts = sorted(p for p in HERE.glob("*.py") if p.name != "run.py" and not p.name.startswith("_"))
    if args.only:
        scripts = [p for p in scripts if p.stem in args.only]
    status = 0
    for script in scripts:
        print(f"\n=== {script.stem} ===", flush=True)
        cmd = [sys.executable, str(script)] + (["--quick"] if args.quick else [])
        status |= subprocess.call(cmd)
    return status


if __name__ == "__main__":
    sys.exit(main())
