"""The vectorised batch PBE solver agrees with the per-game solver, game by game."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

import bargaining
from bargaining.errors import GameValidationError
from bargaining.model.signaling import SignalingGame
from bargaining.solvers.signaling import pbe
from bargaining.solvers.signaling_batch import SignalingBatch, solve_batch


def _certified(fn):
    """The solver's answer with the dispatcher's independent certificate (``regret``)."""

    def run(game, *args, **kwargs):
        from bargaining.verify import certify

        return certify(game, fn(game, *args, **kwargs))

    run.__name__ = fn.__name__
    return run


pbe = _certified(pbe)


def per_game_view(sol):
    """Canonical, order-free description of a Solution's PBE for comparison."""
    out = []
    for eq in sol.equilibria:
        sigma = np.array(eq.behavior[0], float)
        rho = np.array(
            [r if b is not None else [np.nan, np.nan] for r, b in zip(eq.behavior[1], eq.beliefs)], float
        )
        mu = np.array([b[0] if b is not None else np.nan for b in eq.beliefs], float)
        off = eq.extra["off_path"]
        lohi = (float(off[0]["beliefs"][0][0]), float(off[0]["beliefs"][0][1])) if off else (np.nan, np.nan)
        out.append(
            (
                eq.label,
                sigma,
                rho,
                mu,
                lohi,
                np.array([float(v) for v in eq.extra["type_payoffs"].values()]),
                float(eq.payoffs[1]),
                eq.extra["refinements"]["intuitive"],
                eq.extra["refinements"]["d1"],
            )
        )
    return out


def batch_view(res, n):
    out = []
    for s in np.flatnonzero(res.valid[n]):
        out.append(
            (
                res.labels[s],
                res.sigma[n, s],
                res.rho[n, s],
                res.mu[n, s],
                (res.off_lo[n, s], res.off_hi[n, s]),
                res.type_payoffs[n, s],
                res.receiver_payoff[n, s],
                bool(res.intuitive[n, s]),
                bool(res.d1[n, s]),
            )
        )
    return out


def same(a, b):
    if len(a) != len(b):
        return False
    key = lambda e: (e[0], tuple(np.round(e[1].ravel(), 8)))  # noqa: E731
    for x, y in zip(sorted(a, key=key), sorted(b, key=key)):
        if x[0] != y[0] or x[7:] != y[7:]:
            return False
        for u, v in zip(x[1:7], y[1:7]):
            if not np.allclose(np.asarray(u, float), np.asarray(v, float), atol=1e-9, equal_nan=True):
                return False
    return True


def random_games(seed, n):
    rng = np.random.default_rng(seed)
    games = []
    for _ in range(n):
        pay = {
            t: {
                m: {
                    r: [
                        F(int(rng.integers(-(10**5), 10**5)), 10**4),
                        F(int(rng.integers(-(10**5), 10**5)), 10**4),
                    ]
                    for r in ("x", "y")
                }
                for m in ("a", "b")
            }
            for t in ("S", "T")
        }
        p = F(int(rng.integers(1, 10**4)), 10**4)
        games.append(SignalingGame.build({"S": p, "T": 1 - p}, ["a", "b"], ["x", "y"], pay))
    return games


def test_batch_agrees_with_per_game_solver_on_random_games():
    games = random_games(1, 250)
    res = solve_batch(games)
    labels_seen = set()
    for n, g in enumerate(games):
        sol = pbe(g)
        assert same(per_game_view(sol), batch_view(res, n)), n
        labels_seen |= {eq.label for eq in sol.equilibria}
    assert {"pooling on a", "pooling on b", "separating", "semi-separating"} <= labels_seen


def test_batch_agrees_on_random_resolve_signal_points():
    t = bargaining.load("resolve-signal")
    rng = np.random.default_rng(5)
    n = 150
    pts = {
        "p": rng.uniform(0.01, 0.99, n),
        "c_B": rng.uniform(0, 2, n),
        "a": rng.uniform(0, 1, n),
        "c_S": rng.uniform(0, 0.5, n),
        "y_C": rng.uniform(-0.5, 1, n),
    }
    res = solve_batch(t.evaluate(pts))
    assert res.batch.types == ("S", "B") and res.batch.messages == ("E", "N")
    kinds = set()
    for k in range(n):
        game = t.with_params(**{name: float(v[k]) for name, v in pts.items()})
        sol = pbe(game)
        assert same(per_game_view(sol), batch_view(res, k)), {name: v[k] for name, v in pts.items()}
        kinds |= {eq.label for eq in sol.equilibria}
    assert "semi-separating" in kinds and "separating" in kinds


def test_batch_g1_defaults():
    res = solve_batch(bargaining.load("resolve-signal").evaluate({"p": [0.25]}))
    eqs = res.equilibria(0)
    assert sorted(e["label"] for e in eqs) == ["pooling on N", "semi-separating"]
    semi = next(e for e in eqs if e["label"] == "semi-separating")
    assert semi["sigma"][1][0] == pytest.approx(7 / 9) and semi["rho"][0][0] == pytest.approx(5 / 12)
    assert semi["intuitive"] and semi["d1"]
    pool = next(e for e in eqs if e["label"] == "pooling on N")
    assert pool["intuitive"] and not pool["d1"]
    assert pool["off_path_belief"] == pytest.approx([0, 0.3])


def test_batch_rows_are_columnar_and_chunking_is_invisible():
    t = bargaining.load("resolve-signal")
    grid = {"p": np.linspace(0.01, 0.99, 101), "c_B": np.linspace(0, 2, 101)[:, None]}
    body = t.evaluate(grid)
    one = solve_batch(body)
    chunked = solve_batch(body, chunk=1000)
    assert one.valid.shape == (101 * 101, 9)
    for f in ("valid", "s0", "x", "mu", "off_lo", "type_payoffs", "intuitive", "d1"):
        np.testing.assert_array_equal(getattr(one, f), getattr(chunked, f))
    rows = one.rows()
    n = int(one.valid.sum())
    assert all(len(v) == n for v in rows.values())
    assert set(rows["label"]) <= set(one.labels)
    # equilibrium index restarts at 0 in every game
    first = np.r_[True, rows["game"][1:] != rows["game"][:-1]]
    assert np.all(rows["equilibrium"][first] == 0)


def test_batch_from_arrays_validation_and_fallback():
    with pytest.raises(GameValidationError, match="prior of type 0"):
        SignalingBatch.from_arrays([1.5], np.zeros((1, 2, 2, 2)), np.zeros((1, 2, 2, 2)))
    spence = bargaining.load("spence-job-market").with_params()
    out = solve_batch([spence])
    assert isinstance(out, list) and out[0].method == "pbe"
