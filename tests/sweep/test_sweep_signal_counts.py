"""The sweep's ``points_failed`` (read from the Parquet regimes table column by column) equals
:func:`bargaining.sweep.regimes.count_failed_points` (row dicts), in Parquet and in JSONL."""

from __future__ import annotations

from pathlib import Path

import pytest

from bargaining.sweep.engine import run_sweep
from bargaining.sweep.regimes import count_failed_points
from bargaining.sweep.spec import make_spec


@pytest.mark.parametrize("ext", ["parquet", "jsonl"])
def test_points_failed_counts_the_errors(tmp_path, ext):
    pytest.importorskip("pyarrow")
    # the test game divides by d: the point d = 0 fails, twice over the other axis
    game = str(Path(__file__).resolve().parents[1] / "data" / "sweep-2x2.yaml")
    spec = make_spec(game, grid=["d=-1:1:5", "a=0:1:2"])
    meta = run_sweep(spec, tmp_path / f"s.{ext}", executor="serial", quiet=True)
    n = count_failed_points(meta["paths"]["regimes"])
    assert n == 2
    assert meta["points_failed"] == n
    again = run_sweep(spec, tmp_path / f"s.{ext}", executor="serial", quiet=True, resume=True)
    assert again["points_failed"] == n


def test_points_failed_zero_without_errors(tmp_path):
    pytest.importorskip("pyarrow")
    spec = make_spec("resolve-signal", grid=["p=0.1:0.9:3", "c_B=0:2:3"])
    meta = run_sweep(spec, tmp_path / "s.parquet", executor="serial", quiet=True)
    assert meta["points_failed"] == 0 == count_failed_points(meta["paths"]["regimes"])
