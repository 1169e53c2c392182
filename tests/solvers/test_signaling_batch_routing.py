"""Issue #12, the sweep half: the batched signaling path answers exactly as the per-game solver.

The batch solver (``signaling_batch``) is exact only on generic games; ``BatchResult.generic``
marks them and the sweep sends every other point to the per-game solver (``pbe``), which lists
the PBE families as sets. Checked here: (1) wherever the batch claims a game generic, its families,
labels, refinement flags and ``complete`` equal the per-game solver's; (2) the review's tie points
are not claimed generic; (3) the sweep's batched chunk equals the per-point chunk row by row
(families, labels, ``dimension``, ``description``, ``complete``) and in the regimes table (the
number of families per point), on those points, on tie-heavy random points (payoffs on a 1/4
grid) and on a grid that crosses the boundaries; (4) generic points are never routed.
"""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bargaining.solvers.signaling import pbe
from bargaining.solvers.signaling_batch import SignalingBatch, nongeneric, solve_batch
from bargaining.sweep.batched import solve_chunk_signaling
from bargaining.sweep.point import solve_points
from bargaining.sweep.spec import get_source, make_spec, plan
from bargaining.verify import certify

GAME = "resolve-signal"


def _src():
    return get_source(make_spec(GAME, grid=["p=0.25:0.25:1"]))


def _families(sol):
    """Order-free view of a per-game Solution: (label, sigma, rho on the path, intuitive, d1)."""
    out = []
    for eq in sol.equilibria:
        sigma = tuple(round(float(v), 9) for row in eq.behavior[0] for v in row)
        rho = tuple(
            round(float(v), 9) if b is not None else None
            for r, b in zip(eq.behavior[1], eq.beliefs)
            for v in r
        )
        ref = eq.extra["refinements"]
        out.append((eq.label, sigma, rho, bool(ref["intuitive"]), bool(ref["d1"])))
    return sorted(out, key=repr)


def _batch_families(res, n):
    out = []
    for e in res.equilibria(n):
        sigma = tuple(round(v, 9) for row in e["sigma"] for v in row)
        rho = tuple(None if np.isnan(v) else round(v, 9) for row in e["rho"] for v in row)
        out.append((e["label"], sigma, rho, e["intuitive"], e["d1"]))
    return sorted(out, key=repr)


def _check_batch_claims(games):
    """Where the batch calls a game generic, it is complete and equals the per-game answer."""
    res = solve_batch(games)
    for n, g in enumerate(games):
        if not res.generic[n]:
            continue
        sol = certify(g, pbe(g))
        assert sol.complete
        assert all(eq.extra["dimension"] == 0 for eq in sol.equilibria), n
        assert _batch_families(res, n) == _families(sol), n
        assert all(e["complete"] for e in res.equilibria(n))
    return res


# ------------------------------------------------------------------ the review cases
REVIEW = [
    ({"c_S": "1/3"}, 1),  # both types indifferent at rho_E(C) = 5/12: a segment
    ({"c_B": "1"}, None),  # c_B = W: the bluffer indifferent between (E, C) and (N, A)
    ({"p": "3/10"}, None),  # the receiver indifferent at the prior after E
]


@pytest.mark.parametrize("point, dim", REVIEW)
def test_review_tie_points_are_not_claimed_generic(point, dim):
    g = _src().with_params(**point)
    res = _check_batch_claims([g])
    assert not res.generic[0] and not res.complete[0]
    sol = pbe(g)
    if dim is not None:  # the family the batch alone misses
        assert max(eq.extra["dimension"] for eq in sol.equilibria) == dim
        seg = [eq for eq in sol.equilibria if eq.extra["dimension"] == 1]
        assert len(seg) == 1 and "σ_B(E) = 7/9·σ_S(E)" in seg[0].extra["description"]
        assert "ρ_E(C) = 5/12" in seg[0].extra["description"]


def _cell(v):
    """A chunk's cell as the table stores it (numpy scalars as Python values, nan as empty)."""
    v = v.item() if isinstance(v, np.generic) else v
    return None if isinstance(v, float) and np.isnan(v) else v


def _rows(chunk):
    cols = chunk.rows
    n = len(cols["point"])
    return [{k: _cell(v[i]) for k, v in cols.items()} for i in range(n)]


def _regimes(chunk):
    r = chunk.regimes
    return [
        (str(r["regime"][i]), int(r["equilibria"][i]), bool(r["complete"][i])) for i in range(len(r["point"]))
    ]


def _same_chunks(a, b):
    ra, rb = _rows(a), _rows(b)
    assert len(ra) == len(rb)
    for x, y in zip(ra, rb):
        assert set(x) == set(y), set(x) ^ set(y)
        for key in x:
            u, v = x[key], y[key]
            if isinstance(u, float) and v is not None and not isinstance(v, str):
                assert u == pytest.approx(v, abs=1e-9), (key, x, y)
            else:
                assert u == v, (key, x, y)
    assert _regimes(a) == _regimes(b)


def _both_paths(params: dict[str, list[float]]):
    spec = plan(make_spec(GAME, grid=["p=0.25:0.25:1"]), _src())
    assert spec.mode == "signaling"
    arrays = {k: np.asarray(v, dtype=float) for k, v in params.items()}
    n = len(next(iter(arrays.values())))
    src = _src()
    batched = solve_chunk_signaling(spec, src, 0, 0, n, arrays)
    per_point = solve_points(spec, src, 0, 0, n, arrays)
    _same_chunks(batched, per_point)
    return batched


def test_review_points_sweep_batched_equals_per_point():
    # the review's points (1/3 as the float a grid gives), the defaults and a generic point
    pts = [{"c_S": 1 / 3}, {"c_B": 1.0}, {"p": 0.3}, {}, {"p": 0.26, "c_S": 0.123}]
    src = _src()
    names = sorted({k for p in pts for k in p})
    defaults = {p.name: float(p.default) for p in src.parameters}
    params = {k: [p.get(k, defaults[k]) for p in pts] for k in names}
    out = _both_paths(params)
    # at the exact tie c_S = 1/3 (a grid value) the point carries two families; the segment
    # has a representative point
    reg = _regimes(out)
    assert reg[0][1] == 2 and reg[0][2]


def test_spence_is_not_batched_and_the_batch_refuses_its_shape():
    spec = make_spec("spence-job-market", grid=["q=0.5:0.5:1"])
    assert plan(spec, get_source(spec)).mode == "point"  # the per-game solver answers every point
    g = get_source(spec).with_params()
    sols = solve_batch([g])  # other shapes fall back to the per-game solver
    assert isinstance(sols, list) and _families(sols[0]) == _families(pbe(g))


# ------------------------------------------------------------------ tie-heavy random points
QUARTER = st.integers(-8, 8).map(lambda k: F(k, 4))
NONNEG = st.integers(0, 8).map(lambda k: F(k, 4))


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    p=st.integers(0, 4).map(lambda k: F(k, 4)),
    W=QUARTER,
    f_S=QUARTER,
    f_B=QUARTER,
    c_S=NONNEG,
    c_B=NONNEG,
    a=NONNEG,
    y_C=QUARTER,
    y_A=QUARTER,
    y_W=QUARTER,
)
def test_quarter_grid_points_batch_equals_per_game(**point):
    g = _src().with_params(**{k: str(v) for k, v in point.items()})
    _check_batch_claims([g])
    _both_paths({k: [float(v)] for k, v in point.items()})


# ------------------------------------------------------------------ a grid across the boundaries
def test_grid_across_boundaries_batched_equals_per_point(tmp_path):
    from bargaining.sweep.engine import run_sweep
    from bargaining.sweep.store import read_table

    grid = ["c_S=0:1:7", "p=0:1:11"]  # c_S = 1/3 and p = 0.3 (mu*), 0 and 1
    a = run_sweep(make_spec(GAME, grid=grid), tmp_path / "b.jsonl", executor="serial", quiet=True)
    b = run_sweep(
        make_spec(GAME, grid=grid, method="pbe"), tmp_path / "p.jsonl", executor="serial", quiet=True
    )
    del a, b
    ra, rb = read_table(tmp_path / "b.jsonl"), read_table(tmp_path / "p.jsonl")
    assert len(ra) == len(rb)
    for x, y in zip(ra, rb):
        assert set(x) == set(y)
        for key in x:
            if isinstance(x[key], float) and y[key] is not None:
                assert x[key] == pytest.approx(y[key], abs=1e-9), (key, x, y)
            else:
                assert x[key] == y[key], (key, x, y)
    ga, gb = read_table(tmp_path / "b.regimes.jsonl"), read_table(tmp_path / "p.regimes.jsonl")
    assert ga == gb
    # the regimes table counts families: equal to the rows per point, sets included
    per_point: dict[int, int] = {}
    for r in ra:
        if r["equilibrium"] is not None:
            per_point[r["point"]] = per_point.get(r["point"], 0) + 1
    assert all(g["equilibria"] == per_point.get(g["point"], 0) for g in ga)
    assert {"dimension", "description"} <= set(ra[0])


# ------------------------------------------------------------------ generic points stay batched
def test_generic_points_are_never_routed():
    rng = np.random.default_rng(7)
    N = 20_000
    b = SignalingBatch.from_arrays(
        rng.uniform(0.01, 0.99, N), rng.normal(size=(N, 2, 2, 2)), rng.normal(size=(N, 2, 2, 2))
    )
    res = solve_batch(b)
    assert res.generic.all() and not nongeneric(b).any()
    # resolve-signal over a grid that avoids the tie lines: nothing leaves the batch
    src = _src()
    P, C = np.meshgrid(np.linspace(0.011, 0.97, 150), np.linspace(0.013, 1.9, 150))
    res = solve_batch(src.evaluate({"p": P.ravel(), "c_B": C.ravel() + 1e-3 * np.sqrt(2)}))
    assert res.generic.all()


@pytest.mark.parametrize("game", ["resolve-signal", "beer-quiche", "deep-state-signal"])
def test_random_scenario_points_stay_batched(game):
    # receiver payoffs that are equal in the exact game but differ by rounding (deep-state-signal
    # after E) must not read as ties
    spec = make_spec(game, sample=3000, seed=3)
    res = solve_batch(get_source(spec).evaluate(spec.points.points(0, 3000)))
    assert res.generic.all()
