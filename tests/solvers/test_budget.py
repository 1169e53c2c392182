"""Time budgets: Deadline, run_in_subprocess and run_streaming, and every n-player / Lemke
method honouring ``timeout`` through ``solve``."""

from __future__ import annotations

import time

import numpy as np
import pytest

from bargaining import solve
from bargaining.model.normal import NormalFormGame
from bargaining.solvers.budget import BudgetExceeded, Deadline, run_in_subprocess, run_streaming
from bargaining.verify import normal as verify


def _sleepy(seconds: float) -> str:
    time.sleep(seconds)
    return "done"


def _counter(n: int, pause: float, emit=None) -> str:
    for k in range(n):
        emit(k)
        time.sleep(pause)
    return "finished"


def _boom(emit=None):
    emit("before")
    raise ValueError("bad")


def test_deadline():
    assert not Deadline(None).expired() and Deadline(None).remaining() is None
    assert not Deadline(0).expired()  # 0 means no limit
    d = Deadline(0.05)
    assert not d.expired()
    time.sleep(0.06)
    assert d.expired() and d.remaining() == 0
    with pytest.raises(BudgetExceeded):
        d.check()
    assert "0.05 s" in d.message()


def test_run_in_subprocess_kills_at_timeout():
    t0 = time.monotonic()
    assert run_in_subprocess(_sleepy, 30, deadline=Deadline(0.3)) == ("timeout", None)
    assert time.monotonic() - t0 < 2
    assert run_in_subprocess(_sleepy, 0, deadline=Deadline(5)) == ("ok", "done")


def test_run_streaming_keeps_partial_results():
    t0 = time.monotonic()
    status, items, value = run_streaming(_counter, 1000, 0.05, deadline=Deadline(0.5))
    assert time.monotonic() - t0 < 2
    assert status == "timeout" and value is None
    assert 3 <= len(items) < 1000 and items == list(range(len(items)))
    assert run_streaming(_counter, 3, 0.0, deadline=Deadline(5)) == ("ok", [0, 1, 2], "finished")
    status, items, value = run_streaming(_boom, deadline=Deadline(5))
    assert status == "error" and items == ["before"] and "bad" in value


@pytest.mark.parametrize(
    "method,shape,budget",
    [("enumpoly", (5, 5, 5), 1.0), ("logit", (3,) * 6, 0.3), ("lemke-howson", (60, 60), 0.3)],
)
def test_methods_stop_at_their_budget(method, shape, budget):
    rng = np.random.default_rng(5)
    game = NormalFormGame.from_tensor(rng.integers(-50, 51, size=(len(shape), *shape)).astype(float))
    t0 = time.monotonic()
    sol = solve(game, method=method, timeout=budget)
    elapsed = time.monotonic() - t0
    assert elapsed < budget + 1.5, elapsed
    assert not sol.complete
    assert sol.message and "time budget" in sol.message
    for eq in sol.equilibria:
        assert verify.max_regret(game, [list(map(float, p)) for p in eq.strategies]) <= 1e-9


def _enumpoly_in_daemon(payoffs):
    from bargaining.solvers.enumpoly import enumpoly

    sol = enumpoly(NormalFormGame.from_tensor(payoffs), deadline=Deadline(60))
    return len(sol.equilibria), sol.complete


def test_enumpoly_with_timeout_inside_a_pool_worker():
    # pool workers are daemonic and may not start children: enumpoly then polls in process
    import multiprocessing as mp

    rng = np.random.default_rng(9)
    payoffs = rng.integers(-9, 10, size=(3, 2, 2, 2)).astype(float)
    with mp.get_context("fork").Pool(1) as pool:
        count, complete = pool.apply(_enumpoly_in_daemon, (payoffs,))
    from bargaining.solvers.enumpoly import enumpoly

    ref = enumpoly(NormalFormGame.from_tensor(payoffs))
    assert (count, complete) == (len(ref.equilibria), ref.complete)
