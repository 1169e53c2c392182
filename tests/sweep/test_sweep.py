"""Sweeps: grids and samples, the tidy tables, batched == per-point solving, executors agree,
failing and timing-out points are recorded, spot checks against single solves."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from bargaining.cli import main
from bargaining.errors import BargainingError
from bargaining.formats.yamlgame import load_template
from bargaining.solvers.api import solve
from bargaining.sweep.engine import run_sweep
from bargaining.sweep.grid import PointSet, parse_grid
from bargaining.sweep.spec import make_spec
from bargaining.sweep.store import read_table

DATA = Path(__file__).resolve().parents[1] / "data"
GAME = str(DATA / "sweep-2x2.yaml")


def _params():
    return [
        {"name": "a", "default": 1, "range": [-2, 2]},
        {"name": "b", "default": "1/2", "range": [0, 1]},
        {"name": "c", "default": 3, "range": None},
    ]


def test_grid_values_are_exactly_rounded_and_c_ordered():
    ax = parse_grid("p=0:1:11")
    assert ax.values()[3] == 0.3  # linspace gives 0.30000000000000004
    ps = PointSet.build(_params(), axes=[parse_grid("a=-1:1:3"), parse_grid("b=0:1/3:2")])
    assert len(ps) == 6
    pts = ps.points(0, 6)
    assert pts["a"].tolist() == [-1, -1, 0, 0, 1, 1]
    assert pts["b"].tolist() == [0, 1 / 3, 0, 1 / 3, 0, 1 / 3]
    assert pts["c"].tolist() == [3] * 6
    assert list(pts) == ["a", "b", "c"]  # the game's parameter order


@pytest.mark.parametrize(
    "text",
    ["p", "p=0:1", "p=0:1:x", "p=a:1:3", "p=0:1:0", "p=0:1:1"],
)
def test_bad_grid_is_one_line_error(text):
    with pytest.raises(BargainingError) as err:
        parse_grid(text)
    assert "\n" not in str(err.value)


def test_grid_validation_names_the_fix():
    with pytest.raises(BargainingError, match="no parameter 'z'"):
        PointSet.build(_params(), axes=[parse_grid("z=0:1:3")])
    with pytest.raises(BargainingError, match="outside the range"):
        PointSet.build(_params(), axes=[parse_grid("a=0:3:3")])
    with pytest.raises(BargainingError, match="seed"):
        PointSet.build(_params(), sample_size=10)


def test_sample_is_uniform_in_range_seeded_and_chunk_independent():
    ps = PointSet.build(_params(), sample_size=10_000, seed=42)
    assert [s[0] for s in ps.sampled] == ["a", "b"]  # c has no range
    whole = ps.points(0, 10_000)
    parts = [ps.points(s, min(s + 777, 10_000)) for s in range(0, 10_000, 777)]
    for name in ("a", "b"):
        joined = np.concatenate([p[name] for p in parts])
        assert np.array_equal(joined, whole[name])
    assert whole["a"].min() >= -2 and whole["a"].max() < 2
    assert abs(whole["a"].mean()) < 0.1 and abs(whole["b"].mean() - 0.5) < 0.05
    other = PointSet.build(_params(), sample_size=10, seed=43).points(0, 10)
    assert not np.array_equal(other["a"], whole["a"][:10])
    # integer parameters are sampled as whole numbers, each equally likely
    import types

    ps_int = PointSet.build(
        [types.SimpleNamespace(name="N", default=2, range=(1, 3), integer=True)], sample_size=3000, seed=5
    ).points(0, 3000)["N"]
    assert set(ps_int.tolist()) == {1.0, 2.0, 3.0}
    assert all(abs((ps_int == v).mean() - 1 / 3) < 0.05 for v in (1, 2, 3))
    # grid x sample: the grid is the outer product
    gs = PointSet.build(_params(), axes=[parse_grid("a=0:1:2")], sample_size=5, seed=1)
    pts = gs.points(0, 10)
    assert pts["a"].tolist() == [0] * 5 + [1] * 5
    assert np.array_equal(pts["b"][:5], pts["b"][5:])


def _run(tmp_path, name, **kw):
    out = tmp_path / name
    grid = kw.pop("grid", ["a=-1:1:9", "b=-1:1:9"])
    spec = make_spec(
        kw.pop("game", GAME),
        grid=grid,
        method=kw.pop("method", None),
        fixed=kw.pop("fixed", None),
        point_timeout=kw.pop("point_timeout", 60),
    )
    run_sweep(spec, out, quiet=True, command="test", **kw)
    return out


def test_sweep_table_regimes_meta_and_spot_checks(tmp_path):
    out = _run(tmp_path, "r.jsonl", executor="serial")
    rows = read_table(out)
    regimes = read_table(tmp_path / "r.regimes.jsonl")
    meta = json.loads((tmp_path / "r.meta.json").read_text())
    assert len(regimes) == 81
    assert [r["point"] for r in regimes] == list(range(81))
    keys = [(r["point"], r["equilibrium"]) for r in rows]
    assert keys == sorted(keys)
    assert set(meta) >= {"command", "game_hash", "version", "seed"}
    for col in (
        "a",
        "b",
        "d",
        "equilibrium",
        "label",
        "p:Row:T",
        "p:Column:R",
        "payoff:Row",
        "regret",
        "complete",
        "constraints_ok",
        "error",
    ):
        assert col in rows[0]
    # spot checks against single solves at a few points
    game = load_template(Path(GAME))
    for r in regimes[::7]:
        sol = solve(game.with_params(a=r["a"], b=r["b"]))
        mine = [x for x in rows if x["point"] == r["point"]]
        assert len(mine) == len(sol.equilibria) == r["equilibria"]
        for x, eq in zip(mine, sol.equilibria):
            assert x["p:Row:T"] == pytest.approx(float(eq.strategies[0][0]), abs=1e-9)
            assert x["p:Column:L"] == pytest.approx(float(eq.strategies[1][0]), abs=1e-9)
            assert x["payoff:Row"] == pytest.approx(float(eq.payoffs[0]), abs=1e-9)
        assert r["constraints_ok"] == (r["a"] > 0)
    # the analytic regimes (docstring of tests/data/sweep-2x2.yaml)
    by = {(r["a"], r["b"]): r["regime"] for r in regimes}
    assert by[(0.5, 0.5)] == "mixed (T+B, L+R); pure (B, R); pure (T, L)"
    assert by[(-0.5, 0.5)] == "pure (B, R)"
    assert by[(0.5, -0.5)] == "pure (T, L)"
    mixed = [x for x in rows if x["a"] == 0.5 and x["b"] == 0.5 and x["label"].startswith("mixed")][0]
    assert mixed["p:Row:T"] == pytest.approx(0.5 / 1.5) and mixed["p:Column:L"] == pytest.approx(1 / 1.5)


def test_batched_equals_per_point_solver(tmp_path):
    a = read_table(_run(tmp_path, "batch.csv", executor="serial"))
    b = read_table(_run(tmp_path, "point.csv", executor="serial", method="enummixed"))
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert set(x) == set(y)
        for k in x:
            if isinstance(x[k], float):
                assert x[k] == pytest.approx(y[k], abs=1e-9), k
            else:
                assert x[k] == y[k], k


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_process_executor_equals_serial(tmp_path, fmt):
    s = _run(tmp_path, f"s.{fmt}", executor="serial", chunk_size=7)
    p = _run(tmp_path, f"p.{fmt}", executor="process", workers=2, chunk_size=7)
    if fmt == "csv":
        assert s.read_bytes() == p.read_bytes()
        assert (tmp_path / "s.regimes.csv").read_bytes() == (tmp_path / "p.regimes.csv").read_bytes()
    else:
        assert read_table(s) == read_table(p)
    # per-point path too (other chunk size, other solver)
    s2 = _run(tmp_path, f"s2.{fmt}", executor="serial", method="enummixed", grid=["a=-1:1:5"])
    p2 = _run(tmp_path, f"p2.{fmt}", executor="process", workers=2, method="enummixed", grid=["a=-1:1:5"])
    assert read_table(s2) == read_table(p2)


def test_failing_points_are_recorded_and_the_sweep_goes_on(tmp_path):
    for method in (None, "enummixed"):
        out = _run(tmp_path, f"e{method}.jsonl", executor="serial", grid=["d=-1:1:5"], method=method)
        rows = read_table(out)
        bad = [r for r in rows if r["error"]]
        assert [r["d"] for r in bad] == [0.0]
        assert "division by zero" in bad[0]["error"] and bad[0]["equilibrium"] is None
        assert len({r["point"] for r in rows}) == 5
        reg = read_table(tmp_path / f"e{method}.regimes.jsonl")
        assert [r["error"] is not None for r in reg] == [False, False, True, False, False]


class SlowSource:
    """A source whose game takes ``delay`` seconds to build at x = 1 (for the timeout test)."""

    parameters = ({"name": "x", "default": 0, "range": [0, 1]},)
    hash = "slow"
    name = "slow"

    def with_params(self, x):
        if x == 1:
            time.sleep(30)
        from bargaining.model.normal import NormalFormGame

        return NormalFormGame.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]])

    def check_constraints(self, params):
        return []


def test_point_timeout_records_error(tmp_path):
    spec = make_spec(SlowSource(), grid=["x=0:1:2"], method="enumpure", point_timeout=0.2)
    t0 = time.time()
    run_sweep(spec, tmp_path / "t.jsonl", executor="serial", quiet=True, command="test")
    assert time.time() - t0 < 10
    rows = read_table(tmp_path / "t.jsonl")
    assert rows[0]["error"] is None and rows[0]["label"].startswith("pure")
    assert rows[-1]["x"] == 1 and rows[-1]["error"].startswith("timeout after 0.2 s")


def test_cli_sweep_and_errors(tmp_path):
    runner = CliRunner()
    out = tmp_path / "c.csv"
    res = runner.invoke(
        main,
        [
            "sweep",
            "crisis-normal-form",
            "--grid",
            "w=0:4:5",
            "--grid",
            "k_F=0:1:3",
            "--out",
            str(out),
            "--executor",
            "serial",
        ],
    )
    assert res.exit_code == 0, res.output
    rows = read_table(out)
    # G3a (docs/scenarios.md) at the defaults: US firm 1/4, RU advance 1/3 (w = 1, k_F = 0.2 is not on
    # this grid; check the formulas q* = (g_A - c_P)/(g_A + w), r* = k_F/(k_F + psi_F - psi_S))
    for r in rows:
        if r["label"].startswith("mixed (F+S, C+A)"):
            assert r["p:US:F"] == pytest.approx(0.5 / (1 + r["w"]))
            assert r["p:RU:A"] == pytest.approx(r["k_F"] / (r["k_F"] + 0.4))
    res = runner.invoke(main, ["sweep", "crisis-normal-form", "--grid", "nope=0:1:3", "--out", str(out)])
    assert res.exit_code == 2 and "no parameter 'nope'" in res.output
    res = runner.invoke(
        main, ["sweep", "crisis-normal-form", "--grid", "w=0:1:3", "--out", str(tmp_path / "x.txt")]
    )
    assert res.exit_code == 2 and ".parquet, .csv or .jsonl" in res.output


def test_dask_local_cluster_equals_process(tmp_path):
    pytest.importorskip("dask.distributed")
    p = _run(tmp_path, "p.parquet", executor="process", workers=2, chunk_size=11)
    d = _run(tmp_path, "d.parquet", executor="dask", dask_local=2, chunk_size=11)
    assert read_table(p) == read_table(d)
    assert read_table(tmp_path / "p.regimes.parquet") == read_table(tmp_path / "d.regimes.parquet")


@pytest.mark.parametrize(
    "game, grid",
    [
        ("resolve-signal", ["p=0.05:0.95:7", "c_B=0:2:5"]),  # c_B = W = 1 and p = 0.3-type boundaries
        ("beer-quiche", ["w=0:1:5", "b=0:2:3"]),  # priors 0 and 1: errors, as in the per-point path
    ],
)
def test_signaling_sweep_batched_equals_per_point(tmp_path, game, grid):
    pytest.importorskip("bargaining.solvers.signaling_batch")
    a = _run(tmp_path, "sb.jsonl", executor="serial", game=game, grid=grid)
    b = _run(tmp_path, "sp.jsonl", executor="serial", game=game, grid=grid, method="pbe")
    assert json.loads((tmp_path / "sb.meta.json").read_text())["solver"].startswith("batch")
    rows_a, rows_b = read_table(a), read_table(b)
    assert len(rows_a) == len(rows_b)
    for x, y in zip(rows_a, rows_b):
        assert set(x) == set(y)
        for key in x:
            if isinstance(x[key], float) and y[key] is not None:
                assert x[key] == pytest.approx(y[key], abs=1e-9), (key, x, y)
            else:
                assert x[key] == y[key], (key, x, y)
    assert all(r["regret"] is None or r["regret"] <= 1e-9 for r in rows_a)  # independent check
    assert read_table(tmp_path / "sb.regimes.jsonl") == read_table(tmp_path / "sp.regimes.jsonl")


def test_signaling_sweep_scenarios_g1(tmp_path):
    # G1 (docs/scenarios.md) at the defaults (p = 0.25, c_B = 0.3): semi-separating, the bluffer endorses
    # w.p. 7/9 and Russia compromises after an endorsement w.p. 5/12; D1 keeps only it
    pytest.importorskip("bargaining.solvers.signaling_batch")
    c = _run(tmp_path, "g1.jsonl", executor="serial", game="resolve-signal", grid=["p=0.25:0.25:1"])
    rows = read_table(c)
    semi = [r for r in rows if r["label"] == "semi-separating"]
    assert len(semi) == 1
    assert semi[0]["p:US:B:E"] == pytest.approx(7 / 9) and semi[0]["p:RU:E:C"] == pytest.approx(5 / 12)
    assert semi[0]["belief:E:S"] == pytest.approx(0.3)  # Putin's posterior after an endorsement
    assert [r["label"] for r in rows if r["refinement:d1"]] == ["semi-separating"]


def test_python_api_docstring_example_runs():
    import doctest

    import bargaining.sweep

    result = doctest.testmod(bargaining.sweep)
    assert result.attempted >= 2 and result.failed == 0


@pytest.mark.parametrize(
    "game, grid",
    [
        ("escalation-tree", ["psi=-1:0:11", "a=0:0.6:4"]),  # crosses the ties at psi = -0.6, -0.3
        ("deep-state-shift", ["lambda_A=0:1:11", "c_P=0:1:3"]),  # chance node; ties at lambda_A = 1/3 ...
    ],
)
def test_tree_sweep_batched_equals_per_point(tmp_path, game, grid):
    a = _run(tmp_path, "tb.csv", executor="serial", game=game, grid=grid)
    b = _run(tmp_path, "tp.csv", executor="serial", game=game, grid=grid, method="backward")
    assert json.loads((tmp_path / "tb.meta.json").read_text())["solver"] != "backward"
    ra, rb = read_table(a), read_table(b)
    assert len(ra) == len(rb) and list(ra[0]) == list(rb[0])
    for x, y in zip(ra, rb):
        for k in x:
            if isinstance(x[k], float):
                assert x[k] == pytest.approx(y[k], abs=1e-9), k
            else:
                assert x[k] == y[k], k
    assert (tmp_path / "tb.regimes.csv").read_text() == (tmp_path / "tp.regimes.csv").read_text()


def test_dask_scheduler_address_equals_serial(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    s = _run(tmp_path, "s.csv", executor="serial", grid=["a=-1:1:5", "b=-1:1:5"], chunk_size=4)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cl:
        d = _run(
            tmp_path,
            "d.csv",
            executor="dask",
            scheduler=cl.scheduler_address,
            grid=["a=-1:1:5", "b=-1:1:5"],
            chunk_size=4,
        )
    assert s.read_bytes() == d.read_bytes()
    with pytest.raises(BargainingError, match="cannot connect"):
        _run(tmp_path, "x.csv", executor="dask", scheduler="tcp://127.0.0.1:1", grid=["a=-1:1:2"])
