r"""Learning dynamics on two-player games, and where they end up.

A dynamic is a computation on a model, so it sits beside the solvers; it is not an equilibrium
concept (it is not registered as a solve method). :func:`learn` runs one dynamic from seeded
starting points, records the trajectory of the players' mixed strategies, and classifies the run
against the game's Nash equilibria as computed by :func:`bargaining.solve`:

- ``converged`` — the tail of the trajectory stays within ``match_tol`` (sup norm) of Nash
  equilibrium *k* (``equilibrium`` = *k*), or it has come to rest elsewhere (a rest point that is
  not a Nash equilibrium, e.g. a logit equilibrium for large η; ``equilibrium`` is ``None``);
- ``cycles`` — it keeps moving, keeps coming back near where it was, and its amplitude does not
  shrink (a closed orbit, or a best-response cycle that revisits a pure profile);
- ``undecided`` — neither within the steps given (e.g. a slow spiral: run longer).

The dynamics (for two players with payoff matrices A, B; x, y the mixed strategies):

``fictitious``
    Fictitious play (Brown 1951): each round each player best-responds to the opponent's
    empirical frequency of past play (ties broken at random). The tracked state is the empirical
    frequency (the time average). Robinson (1951): in zero-sum games the time averages converge
    to the set of equilibria (matching pennies: to (1/2, 1/2)). Implemented by nashpy's
    ``Game.fictitious_play``.
``stochastic-fictitious``
    Stochastic fictitious play (Fudenberg & Kreps 1993; Hofbauer & Sandholm 2002): smoothed
    (logit, noise ``etha``) best responses with random payoff perturbations up to
    ``epsilon_bar``; state: time averages. nashpy's ``Game.stochastic_fictitious_play``.
``replicator``
    Replicator dynamics (Taylor & Jonker 1978): ẋ_i = x_i((Ay)_i − xᵀAy), ẏ_j = y_j((xᵀB)_j −
    xᵀBy) (two populations); a symmetric game (B = Aᵀ) uses one population, ẋ_i = x_i((Ax)_i −
    xᵀAx). In matching pennies the two-population flow has a constant of motion and its orbits are
    closed curves around (1/2, 1/2) (Hofbauer & Sigmund 1998, §10.5): no convergence. nashpy's
    ``asymmetric_replicator_dynamics`` / ``replicator_dynamics`` (odeint), sampled at ``steps``
    points over ``[0, horizon]``.
``best-response``
    Alternating best-response dynamics (Cournot adjustment): in round t, player t mod 2 switches
    to a best response to the other's current pure strategy, keeping its strategy if that is
    already a best response (inertia; lowest index among ties otherwise). A profile where neither
    moves is a pure Nash equilibrium; in a finite potential game (coordination games) every run
    reaches one (Monderer & Shapley 1996). Batched numpy over ``runs`` random pure starts.
``logit``
    Logit dynamics (Fudenberg & Levine 1998, §4.7; Hofbauer & Sandholm 2002): ẋ = L(Ay/η) − x,
    ẏ = L(Bᵀx/η) − y with L the softmax; rest points are logit quantal-response equilibria
    (McKelvey & Palfrey 1995), close to a Nash equilibrium for small η. Runge-Kutta steps of
    size ``dt``, batched numpy over ``runs`` random interior starts.

Trees and signaling games with two players are played in their reduced strategic form
(:func:`bargaining.model.strategic.reduced_strategic_form`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bargaining.errors import BargainingError

__all__ = ["DYNAMICS", "LearningRun", "learn", "strategic_game", "classify"]

DYNAMICS = ("fictitious", "stochastic-fictitious", "replicator", "best-response", "logit")
DEFAULT_STEPS = {
    "fictitious": 5000,
    "stochastic-fictitious": 5000,
    "replicator": 2000,
    "best-response": 40,
    "logit": 2000,
}
MAX_STEPS = 1_000_000


@dataclass(frozen=True, eq=False)
class LearningRun:
    """One dynamic's runs on a game: run 0's trajectory and every run's end.

    ``times`` (T,) and ``states`` (T, m + n): player 1's then player 2's mixed strategy at each
    recorded step (time averages for fictitious play). ``runs`` has one entry per run:
    ``{"run", "status", "equilibrium", "distance", "final"}``. ``equilibria`` are the Nash
    equilibria compared with (``nash_complete``: whether that list is proven complete)."""

    game: Any
    dynamics: str
    steps: int
    seed: int
    times: np.ndarray
    states: np.ndarray
    status: str
    equilibrium: int | None
    distance: float | None
    runs: tuple[dict[str, Any], ...]
    equilibria: tuple[tuple[tuple[float, ...], ...], ...]
    nash_complete: bool
    options: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    @property
    def split(self) -> int:
        return len(self.game.strategies[0])

    def to_dict(self) -> dict[str, Any]:
        m = self.split
        return {
            "game": {
                "title": self.game.title,
                "players": list(self.game.players),
                "strategies": [list(s) for s in self.game.strategies],
            },
            "dynamics": self.dynamics,
            "steps": self.steps,
            "seed": self.seed,
            "options": dict(self.options),
            "status": self.status,
            "equilibrium": self.equilibrium,
            "distance": self.distance,
            "note": self.note,
            "final": [self.states[-1, :m].tolist(), self.states[-1, m:].tolist()],
            "equilibria": [[list(s) for s in eq] for eq in self.equilibria],
            "nash_complete": self.nash_complete,
            "runs": [dict(r) for r in self.runs],
            "trajectory": [
                {"t": float(t), "strategies": [s[:m].tolist(), s[m:].tolist()]}
                for t, s in zip(self.times, self.states)
            ],
        }

    def rows(self, every: int = 1) -> list[dict[str, Any]]:
        """Trajectory rows: ``t`` and ``p:<player>:<strategy>`` columns (sweep naming)."""
        cols = [f"p:{pl}:{s}" for pl, strats in zip(self.game.players, self.game.strategies) for s in strats]
        idx = list(range(0, len(self.times), max(1, every)))
        if idx[-1] != len(self.times) - 1:
            idx.append(len(self.times) - 1)
        return [{"t": float(self.times[i]), **dict(zip(cols, map(float, self.states[i])))} for i in idx]


# ----------------------------------------------------------------------------------------------
# the game
# ----------------------------------------------------------------------------------------------


def strategic_game(game: Any) -> Any:
    """The two-player NormalFormGame a dynamic runs on: the game itself, or the reduced
    strategic form of a two-player tree or signaling game."""
    if hasattr(game, "to_game") and hasattr(game, "with_params"):
        game = game.to_game()
    kind = getattr(game, "kind", None)
    if kind in ("tree", "signaling"):
        from bargaining.model.strategic import reduced_strategic_form

        tree = game.to_extensive() if kind == "signaling" else game
        game = reduced_strategic_form(tree).game
        kind = "normal"
    if kind != "normal":
        raise BargainingError(
            f"learning dynamics need a game in strategic form or a tree, not a {kind or type(game).__name__} "
            "model: pick a normal-form, tree or signaling game"
        )
    if game.num_players != 2:
        raise BargainingError(
            f"learning dynamics are built for two players; {game.title or 'this game'} has "
            f"{game.num_players}: pick a two-player game"
        )
    return game


def _nash(game: Any, timeout: float | None) -> tuple[list[np.ndarray], bool]:
    from bargaining.solvers.api import solve

    sol = solve(game, concept="nash", timeout=timeout)
    eqs = [np.array([float(v) for s in eq.mixed_profile for v in s]) for eq in sol.equilibria]
    return eqs, bool(sol.complete)


# ----------------------------------------------------------------------------------------------
# classification
# ----------------------------------------------------------------------------------------------


def classify(
    states: np.ndarray, equilibria: list[np.ndarray], *, match_tol: float, rest_tol: float
) -> tuple[str, int | None, float | None]:
    """``(status, equilibrium index or None, distance)`` of a trajectory ``states`` (T, d); see
    the module docstring. Distances are sup norms."""
    T = len(states)
    tail = states[max(0, T - max(2, T // 10)) :]
    best, best_d = None, None
    for k, eq in enumerate(equilibria):
        d = float(np.max(np.abs(tail - eq)))
        if best_d is None or d < best_d:
            best, best_d = k, d
    final_d = None if best is None else float(np.max(np.abs(states[-1] - equilibria[best])))
    if best_d is not None and best_d <= match_tol:
        return "converged", best, final_d
    moving = float(np.max(np.abs(tail - states[-1])))
    if moving <= rest_tol:
        return "converged", None, final_d
    half = states[T // 2 :]
    r = np.max(np.abs(half - states[-1]), axis=1)
    D = float(r.max())
    out = np.flatnonzero(r > D / 2)
    back = np.flatnonzero(r < D / 5)
    returns = out.size and back.size and back[-1] > out[0] and back[back > out[0]].size > 1
    if returns:
        centre = half.mean(axis=0)
        amp = np.max(np.abs(half - centre), axis=1)
        q = len(half) // 2
        early, late = float(amp[:q].max()), float(amp[q:].max())
        if early > 0 and late >= 0.8 * early:
            return "cycles", None, final_d
    return "undecided", None, final_d


# ----------------------------------------------------------------------------------------------
# the dynamics
# ----------------------------------------------------------------------------------------------


def _seeded(seed: int):
    class _Seed:
        def __enter__(self):
            self.state = np.random.get_state()
            np.random.seed(seed)

        def __exit__(self, *exc):
            np.random.set_state(self.state)

    return _Seed()


def _fictitious(A, B, steps, seed, stochastic, etha, epsilon_bar):
    import nashpy

    g = nashpy.Game(A, B)
    rows = []
    with _seeded(seed):
        it = (
            g.stochastic_fictitious_play(steps, etha=etha, epsilon_bar=epsilon_bar)
            if stochastic
            else g.fictitious_play(steps)
        )
        for item in it:
            counts = item[0] if stochastic else item
            total = [c.sum() for c in counts]
            if min(total) == 0:
                continue
            rows.append(np.concatenate([c / t for c, t in zip(counts, total)]))
    states = np.array(rows, dtype=float)
    return np.arange(1, len(states) + 1, dtype=float), states


def _replicator(A, B, steps, x0, y0, horizon):
    import nashpy

    g = nashpy.Game(A, B)
    t = np.linspace(0.0, horizon, steps)
    if A.shape[0] == A.shape[1] and np.allclose(B, A.T) and np.allclose(x0, y0):
        xs = g.replicator_dynamics(y0=x0, timepoints=t)
        states = np.hstack([xs, xs])
    else:
        xs, ys = g.asymmetric_replicator_dynamics(x0=x0, y0=y0, timepoints=t)
        states = np.hstack([xs, ys])
    return t, np.clip(np.asarray(states, dtype=float), 0.0, 1.0)  # odeint's -1e-14 at the faces


def _best_response(A, B, steps, starts):
    """Alternating best responses for a batch of pure starts ``starts`` (R, 2)."""
    m, n = A.shape
    R = len(starts)
    i, j = starts[:, 0].copy(), starts[:, 1].copy()
    hist = np.empty((steps + 1, R, 2), dtype=int)
    hist[0, :, 0], hist[0, :, 1] = i, j
    for t in range(steps):
        if t % 2 == 0:  # player 1 answers j
            u = A[:, j].T  # (R, m)
            keep = u[np.arange(R), i] >= u.max(axis=1) - 1e-12
            i = np.where(keep, i, u.argmax(axis=1))
        else:
            u = B[i, :]  # (R, n)
            keep = u[np.arange(R), j] >= u.max(axis=1) - 1e-12
            j = np.where(keep, j, u.argmax(axis=1))
        hist[t + 1, :, 0], hist[t + 1, :, 1] = i, j
    states = np.zeros((steps + 1, R, m + n))
    rr = np.arange(R)
    for t in range(steps + 1):
        states[t, rr, hist[t, :, 0]] = 1.0
        states[t, rr, m + hist[t, :, 1]] = 1.0
    return np.arange(steps + 1, dtype=float), states


def _softmax(u: np.ndarray) -> np.ndarray:
    z = u - u.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _logit(A, B, steps, x0, y0, eta, dt):
    """Euler steps of the logit dynamic for a batch of starts x0 (R, m), y0 (R, n)."""

    def f(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _softmax((y @ A.T) / eta) - x, _softmax((x @ B) / eta) - y

    x, y = x0.copy(), y0.copy()
    out = np.empty((steps, len(x0), x0.shape[1] + y0.shape[1]))
    for t in range(steps):  # classical Runge-Kutta (Euler spirals outwards around a focus)
        out[t] = np.hstack([x, y])
        k1 = f(x, y)
        k2 = f(x + dt / 2 * k1[0], y + dt / 2 * k1[1])
        k3 = f(x + dt / 2 * k2[0], y + dt / 2 * k2[1])
        k4 = f(x + dt * k3[0], y + dt * k3[1])
        x = x + dt / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
        y = y + dt / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
    return np.arange(steps, dtype=float) * dt, out


def _interior(rng: np.random.Generator, k: int, size: int) -> np.ndarray:
    return rng.dirichlet(np.ones(k), size=size)


def learn(
    game: Any,
    dynamics: str,
    *,
    steps: int | None = None,
    seed: int = 0,
    runs: int = 1,
    start: tuple[Any, Any] | None = None,
    horizon: float = 100.0,
    eta: float = 0.1,
    dt: float = 0.05,
    etha: float = 0.1,
    epsilon_bar: float = 0.01,
    match_tol: float | None = None,
    timeout: float | None = 30.0,
) -> LearningRun:
    """Run ``dynamics`` (one of :data:`DYNAMICS`) on a two-player ``game`` for ``steps`` steps
    from ``runs`` seeded starts (``start``: run 0's mixed strategies, or pure strategy indices for
    best-response) and classify every run against the Nash equilibria of ``bargaining.solve``
    (computed with ``timeout`` seconds). ``match_tol`` (sup norm; default 0.05 for the time
    averages of fictitious play, 0.02 otherwise) is how close the tail must stay to an
    equilibrium to count as converging to it."""
    if dynamics not in DYNAMICS:
        raise BargainingError(f"unknown dynamics {dynamics!r}: use one of {', '.join(DYNAMICS)}")
    steps = DEFAULT_STEPS[dynamics] if steps is None else int(steps)
    if not 2 <= steps <= MAX_STEPS:
        raise BargainingError(f"steps={steps}: give between 2 and {MAX_STEPS} steps")
    if runs < 1:
        raise BargainingError(f"runs={runs}: give at least one run")
    for name, value in (("horizon", horizon), ("eta", eta), ("dt", dt), ("etha", etha)):
        if not value > 0:
            raise BargainingError(f"{name}={value}: must be positive")
    g = strategic_game(game)
    A, B = (np.asarray(M, dtype=float) for M in g.bimatrix())
    m, n = A.shape
    equilibria, complete = _nash(g, timeout)
    rng = np.random.default_rng(seed)
    fp = dynamics in ("fictitious", "stochastic-fictitious")
    if match_tol is None:
        match_tol = 0.05 if fp else 0.02
    rest_tol = 1e-3 if not fp else 1e-4
    options: dict[str, Any] = {"runs": runs}

    def mixed_starts() -> tuple[np.ndarray, np.ndarray]:
        xs, ys = _interior(rng, m, runs), _interior(rng, n, runs)
        if start is not None:
            xs[0] = _mixed(start[0], m, "player 1")
            ys[0] = _mixed(start[1], n, "player 2")
        return xs, ys

    trajectories: list[tuple[np.ndarray, np.ndarray]] = []
    if fp:
        if dynamics != "fictitious":
            options.update(etha=etha, epsilon_bar=epsilon_bar)
        for r in range(runs):
            trajectories.append(
                _fictitious(A, B, steps, seed + r, dynamics != "fictitious", etha, epsilon_bar)
            )
    elif dynamics == "replicator":
        options["horizon"] = horizon
        xs, ys = mixed_starts()
        for r in range(runs):
            trajectories.append(_replicator(A, B, steps, xs[r], ys[r], horizon))
    elif dynamics == "best-response":
        starts = np.column_stack([rng.integers(0, m, runs), rng.integers(0, n, runs)])
        if start is not None:
            starts[0] = [_pure(start[0], m, "player 1"), _pure(start[1], n, "player 2")]
        t, states = _best_response(A, B, steps, starts)
        trajectories = [(t, states[:, r]) for r in range(runs)]
    else:
        options.update(eta=eta, dt=dt)
        xs, ys = mixed_starts()
        t, states = _logit(A, B, steps, xs, ys, eta, dt)
        trajectories = [(t, states[:, r]) for r in range(runs)]

    results: list[dict[str, Any]] = []
    for r, (_t, states) in enumerate(trajectories):
        if dynamics == "best-response":
            status, k, d = _classify_pure(states, equilibria)
        else:
            status, k, d = classify(states, equilibria, match_tol=match_tol, rest_tol=rest_tol)
        results.append(
            {
                "run": r,
                "status": status,
                "equilibrium": k,
                "distance": d,
                "final": [states[-1, :m].tolist(), states[-1, m:].tolist()],
            }
        )
    t0, s0 = trajectories[0]
    note = _note(dynamics, results[0], equilibria, complete, eta)
    return LearningRun(
        game=g,
        dynamics=dynamics,
        steps=steps,
        seed=seed,
        times=t0,
        states=s0,
        status=results[0]["status"],
        equilibrium=results[0]["equilibrium"],
        distance=results[0]["distance"],
        runs=tuple(results),
        equilibria=tuple((tuple(map(float, e[:m])), tuple(map(float, e[m:]))) for e in equilibria),
        nash_complete=complete,
        options=options,
        note=note,
    )


def _classify_pure(states: np.ndarray, equilibria: list[np.ndarray]) -> tuple[str, int | None, float | None]:
    """Best-response runs: converged when the last two rounds changed nothing (a pure Nash
    equilibrium); cycles when the profile changes and revisits an earlier profile."""
    last = states[-1]
    dists = [float(np.max(np.abs(last - e))) for e in equilibria]
    k = int(np.argmin(dists)) if dists else None
    if len(states) >= 3 and np.array_equal(states[-1], states[-2]) and np.array_equal(states[-2], states[-3]):
        if k is not None and dists[k] < 1e-9:
            return "converged", k, dists[k]
        return "converged", None, None if k is None else dists[k]
    seen = {tuple(s) for s in states[:-1]}
    if tuple(last) in seen:
        return "cycles", None, None if k is None else dists[k]
    return "undecided", None, None if k is None else dists[k]


def _mixed(value: Any, k: int, who: str) -> np.ndarray:
    v = np.asarray(value, dtype=float).ravel()
    if v.shape != (k,) or np.any(v < 0) or not np.isclose(v.sum(), 1.0):
        raise BargainingError(f"start for {who}: give {k} probabilities that sum to 1, got {list(v)}")
    return v


def _pure(value: Any, k: int, who: str) -> int:
    v = np.asarray(value, dtype=float).ravel()
    if v.size == 1 and float(v[0]).is_integer() and 0 <= v[0] < k:
        return int(v[0])
    if v.shape == (k,) and np.isclose(v.max(), 1.0) and np.isclose(v.sum(), 1.0):
        return int(v.argmax())
    raise BargainingError(f"start for {who}: best-response starts from a pure strategy (an index 0..{k - 1})")


def _note(dynamics: str, result: dict, equilibria: list, complete: bool, eta: float) -> str:
    k, status = result["equilibrium"], result["status"]
    parts = []
    if status == "converged" and k is not None:
        what = "time averages converge" if dynamics.endswith("fictitious") else "converges"
        parts.append(f"{what} to Nash equilibrium [{k}] (sup distance {result['distance']:.3g})")
    elif status == "converged":
        parts.append(
            "comes to rest at a point that is not one of the Nash equilibria"
            + (f" (a logit equilibrium for eta={eta})" if dynamics == "logit" else "")
        )
    elif status == "cycles":
        parts.append("cycles: keeps orbiting and does not converge")
    else:
        parts.append("undecided after these steps: run longer (--steps)")
    if not complete:
        parts.append("the Nash list compared with is not proven complete")
    return "; ".join(parts)
