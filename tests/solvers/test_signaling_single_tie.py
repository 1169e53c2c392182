"""Issue #20: a single tie across messages (``U_S(t, m, r) = U_S(t, m', r')``, e.g.
``resolve-signal`` at ``c_B = 0``) is decided by the batch where no family can use it
(``signaling_kernel._outcome_ties``); everywhere the batch still calls such a game generic, its
families, off-path beliefs, payoffs and refinement flags equal the per-game solver's, and the
sweep's batched chunk equals the per-point chunk row by row.
"""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from bargaining.model.signaling import SignalingGame
from bargaining.solvers.signaling import pbe
from bargaining.solvers.signaling_batch import SignalingBatch, single_tie, solve_batch
from bargaining.sweep.batched import solve_chunk_signaling
from bargaining.sweep.point import solve_points
from bargaining.sweep.spec import get_source, make_spec, plan
from bargaining.verify import certify

GAME = "resolve-signal"


def _view_per_game(sol):
    out = []
    for eq in sol.equilibria:
        assert eq.extra["dimension"] == 0
        sigma = tuple(round(float(v), 9) for row in eq.behavior[0] for v in row)
        rho = tuple(
            round(float(v), 9) if b is not None else None
            for r, b in zip(eq.behavior[1], eq.beliefs)
            for v in r
        )
        off = eq.extra["off_path"]
        lohi = (
            (round(float(off[0]["beliefs"][0][0]), 9), round(float(off[0]["beliefs"][0][1]), 9))
            if off
            else None
        )
        ref = eq.extra["refinements"]
        tp = tuple(round(float(v), 9) for v in eq.extra["type_payoffs"].values())
        out.append((eq.label, sigma, rho, lohi, tp, bool(ref["intuitive"]), bool(ref["d1"])))
    return sorted(out, key=repr)


def _view_batch(res, n):
    out = []
    for e in res.equilibria(n):
        sigma = tuple(round(v, 9) for row in e["sigma"] for v in row)
        rho = tuple(None if np.isnan(v) else round(v, 9) for row in e["rho"] for v in row)
        lo, hi = e["off_path_belief"]
        lohi = None if np.isnan(lo) else (round(lo, 9), round(hi, 9))
        tp = tuple(round(v, 9) for v in e["type_payoffs"])
        out.append((e["label"], sigma, rho, lohi, tp, e["intuitive"], e["d1"]))
    return sorted(out, key=repr)


def _single_tie_games(seed: int, n: int) -> list[SignalingGame]:
    """Small-integer games (many near-ties) with one sender outcome copied onto an outcome after
    the other message, so that exactly that tie across messages holds (others are discarded)."""
    rng = np.random.default_rng(seed)
    games = []
    while len(games) < n:
        US = rng.integers(-6, 7, size=(2, 2, 2)).astype(object)
        UR = rng.integers(-40, 41, size=(2, 2, 2))
        t, r, r2 = (int(v) for v in rng.integers(0, 2, size=3))
        US[t, 1, r2] = US[t, 0, r]
        vals = [US[tt].ravel().tolist() for tt in (0, 1)]
        ties = sum(vals[tt][i] == vals[tt][k] for tt in (0, 1) for i in range(4) for k in range(i + 1, 4))
        if ties != 1:
            continue
        p = F(int(rng.integers(1, 20)), 20)
        pay = {
            tl: {
                ml: {rl: [F(int(US[ti, mi, ri])), F(int(UR[ti, mi, ri]))] for ri, rl in enumerate("xy")}
                for mi, ml in enumerate("ab")
            }
            for ti, tl in enumerate("ST")
        }
        games.append(SignalingGame.build({"S": p, "T": 1 - p}, ["a", "b"], ["x", "y"], pay))
    return games


def _exact_tie_mask(games):
    """As the sweep does: the single ties checked in the games' exact payoffs (here integers,
    so the float entries are already bit-equal)."""
    batch = SignalingBatch.from_games(games)
    t, i, k = single_tie(batch)
    mask = np.zeros(len(games), bool)
    for g in np.flatnonzero(t >= 0).tolist():
        ex = games[g].reduced()[0][0]
        (m, r), (m2, r2) = divmod(int(i[g]), 2), divmod(int(k[g]), 2)
        mask[g] = ex[t[g]][m][r] == ex[t[g]][m2][r2]
    return batch, mask


@pytest.mark.parametrize("exact", [False, True])
def test_single_tie_games_batch_claims_equal_per_game(exact):
    games = _single_tie_games(7, 500)
    if exact:  # the ties the sweep verifies exactly: decided by the batch at their bounds too
        batch, mask = _exact_tie_mask(games)
        assert mask.sum() > 200
        res = solve_batch(batch, exact_tie=mask)
    else:
        res = solve_batch(games)
    claimed = 0
    for k, g in enumerate(games):
        if not res.generic[k]:
            continue
        claimed += 1
        sol = certify(g, pbe(g))
        assert sol.complete, k
        assert _view_batch(res, k) == _view_per_game(sol), k
    # both kinds occur: ties the batch decides and ties it leaves to the per-game solver
    assert 40 <= claimed <= len(games) - 40, claimed
    if exact:
        assert claimed > 200, claimed


def _cell(v):
    v = v.item() if isinstance(v, np.generic) else v
    return None if isinstance(v, float) and np.isnan(v) else v


def _rows(chunk):
    cols = chunk.rows
    return [{k: _cell(v[i]) for k, v in cols.items()} for i in range(len(cols["point"]))]


def test_resolve_signal_cb0_line_batched_equals_per_point():
    """The ``c_B = 0`` line of the benchmark grid (the bluffer values (E, C) and (N, C) alike),
    with the prior at 0 and 1, ``c_S = 0`` and equal costs as further ties."""
    src = get_source(make_spec(GAME, grid=["p=0.25:0.25:1"]))
    spec = plan(make_spec(GAME, grid=["p=0.25:0.25:1"]), src)
    ps = [0.0, 0.01, 0.1, 0.2, 0.29, 0.3, 0.31, 0.45, 0.5, 0.7, 0.99, 1.0]
    pts = [(p, 0.0, 0.1) for p in ps] + [(p, 0.0, 0.0) for p in ps[::3]] + [(p, 0.1, 0.1) for p in ps[::3]]
    # a tie in floating point only (W - c_B rounds to W): not exact, so left to the per-game solver
    pts += [(p, 1e-17, 0.1) for p in ps[1::3]]
    params = {k: np.array(v, dtype=float) for k, v in zip(("p", "c_B", "c_S"), zip(*pts))}
    n = len(pts)
    a = solve_chunk_signaling(spec, src, 0, 0, n, params)
    b = solve_points(spec, src, 0, 0, n, params)
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
    for key in ("regime", "equilibria", "complete"):
        assert list(a.regimes[key]) == list(b.regimes[key]), key
    # the batch decides some of the tie points itself (the speed-up this test guards)
    res = solve_batch(src.evaluate({k: v for k, v in params.items()}))
    assert res.generic[[i for i, pt in enumerate(pts) if pt[1] == 0.0 and 0 < pt[0] < 1]].any()
    # with the exact check (as the sweep makes it) the whole open line c_B = 0, c_S = 0.1 is decided
    from bargaining.sweep.batched_signaling import exact_ties

    batch, exact = exact_ties(src, SignalingBatch.from_spec(src.evaluate(params)), params)
    res = solve_batch(batch, exact_tie=exact)
    line = [i for i, pt in enumerate(pts) if pt[1:] == (0.0, 0.1) and 0 < pt[0] < 1 and pt[0] != 0.3]
    assert res.generic[line].all()
    assert not exact[[i for i, pt in enumerate(pts) if pt[1] == 1e-17]].any()


def test_tie_grid_batched_equals_per_point():
    """A grid through the ties: the prior at 0, 1 and μ* = 0.3, c_B = 0 (single tie), c_B = W = 1
    (the bluffer indifferent between (E, C) and (N, A)), c_S = 1/3 (both types indifferent at the
    same mixture) and generic values; the batched chunk equals the per-point chunk row by row."""
    src = get_source(make_spec(GAME, grid=["p=0.25:0.25:1"]))
    spec = plan(make_spec(GAME, grid=["p=0.25:0.25:1"]), src)
    pts = [
        (p, c_b, c_s)
        for p in (0.0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.9, 1.0)
        for c_b in (0.0, 0.3, 1.0, 1.7)
        for c_s in (0.1, 1 / 3, 0.0)
    ]
    params = {k: np.array(v, dtype=float) for k, v in zip(("p", "c_B", "c_S"), zip(*pts))}
    n = len(pts)
    a = solve_chunk_signaling(spec, src, 0, 0, n, params)
    b = solve_points(spec, src, 0, 0, n, params)
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
    for key in ("regime", "equilibria", "complete"):
        assert list(a.regimes[key]) == list(b.regimes[key]), key
