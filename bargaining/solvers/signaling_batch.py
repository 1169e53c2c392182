"""PBE of a stack of same-shaped signaling games at once (numpy), with refinement flags.

Scope: two types × two messages × two responses (after later stages are reduced), the shape of
``resolve-signal``, beer–quiche and Watson's job-market and Princess Bride games. Every array
operation runs over the whole stack; there is no Python loop per game. Other shapes are solved
by :func:`solve_batch` with the per-game solver :func:`bargaining.solvers.signaling.pbe` in a loop
(documented fallback, not vectorised).

**Candidates** (notation of :mod:`bargaining.solvers.signaling`; ``p`` = prior of type 0, ``μ`` =
belief in type 0, ``x_m`` = probability of response 0 after ``m``, ``d_t(m) = U_R(t,m,0) −
U_R(t,m,1)``, the receiver's threshold ``μ̂_m`` solves ``μ d_0(m) + (1−μ) d_1(m) = 0``). In a
generic game every PBE is one of nine *slots*:

====  ==========================================================================================
slot  candidate and its conditions
====  ==========================================================================================
0, 1  pooling on message 0 / 1: the receiver best responds to the prior; off the path the
      sustaining beliefs are the hull of ``{μ : a deterring pure response is a best response}``
      and, if a deterring mixture exists, the threshold ``μ̂``; valid iff that set is non-empty
2, 3  separating (type 0 → message 0 / message 1): beliefs 1 and 0; both incentive constraints
4–7   semi-separating: type ``i`` mixes over both messages, the other type ``j`` sends ``m``
      (slot ``4 + 2 i + m``). After ``m' ≠ m`` the belief is degenerate (on ``i``); after ``m``
      the receiver mixes, so ``μ_m = μ̂_m`` pins ``σ_i(m)`` by Bayes' rule, and ``i``'s
      indifference pins ``x_m``; valid iff both lie in (0, 1) and ``j`` prefers ``m``
8     both types mix: ``μ_m = μ̂_m`` after both messages with ``p`` strictly between them (Bayes
      plausibility fixes ``P(m)``), and both types' indifference fixes ``(x_0, x_1)`` (2×2 system)
====  ==========================================================================================

Refinement flags are those of :mod:`bargaining.solvers.refine` (intuitive criterion of Cho and
Kreps 1987; D1 of Banks and Sobel 1987) and :mod:`bargaining.solvers.divinity` (D2, which equals
D1 with two types, and NWBR of Kohlberg and Mertens 1986), specialised to one off-path message and
a response probability ``x ∈ [0, 1]``; only pooling slots have an off-path message, the others pass
trivially.

**Boundaries.** **Prior 0 or 1** (as in the per-game solver): the zero-prior type still best responds, beliefs
after every message put weight 0 on it (so an off-path belief is the point μ = 0 or μ = 1), a
message only it sends is off the path, and the refinements, applied to the one positive-prior
type, hold for every PBE. The semi-separating slots need both priors positive.

**Generic games only.** The nine slots are every PBE family only where no tie holds: at a
receiver indifferent at the prior, a type indifferent between two outcomes, two types indifferent
at the same receiver mixture (a one-dimensional family: ``resolve-signal`` at ``c_S = 1/3`` has
σ_B = 7σ_S/9, ρ_E = 5/12 for every σ_S ∈ [0, 1]), a prior of 0 or 1, a later-stage tie, the
slots report a generic limit and miss the sets the per-game solver lists. :func:`nongeneric`
finds those points (within a relative tolerance, so that rounding cannot hide one) and
``BatchResult.generic`` (= ``complete``) marks the others; callers send the non-generic points to
:func:`bargaining.solvers.signaling.pbe` (the sweep does). Off that measure-zero set the batch
and the per-game solver agree (tested on random and tie-heavy points).

**One exact tie across messages.** A sender type with ``U_S(t, m, r) = U_S(t, m', r')``, ``m ≠ m'``,
and no other tie (``resolve-signal`` on the line ``c_B = 0``) is decided by the batch when no PBE
family can use the tie (:func:`bargaining.solvers.signaling_kernel.single_tie`) and the caller
has checked the tie in exact arithmetic and passes it as ``exact_tie``: the slots then compare
that type's payoff entries exactly (tested against the per-game solver on 500 random single-tie
games). A tie that holds only in floating point stays with the per-game solver.

**Public API**: :func:`solve_batch` (``games_or_arrays``: a list of ``SignalingGame``, a
:class:`SignalingBatch`, or a signaling body whose numbers are arrays, e.g.
``Template.evaluate({...})``) returns a :class:`BatchResult`: columnar arrays of shape
``(N, 9, ...)`` with a ``valid`` mask, and helpers to get per-game lists of equilibria.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from bargaining.errors import GameValidationError
from bargaining.solvers.signaling_kernel import nongeneric, single_tie, solve_222
from bargaining.solvers.signaling_stack import SLOTS, TOL, BatchResult, SignalingBatch

__all__ = [
    "SignalingBatch",
    "BatchResult",
    "solve_batch",
    "SLOTS",
    "TOL",
    "nongeneric",
    "single_tie",
    "row_columns",
]


def solve_batch(
    games_or_arrays: Any, *, chunk: int = 16_384, exact_tie: np.ndarray | None = None
) -> BatchResult | list:
    """PBE (+ intuitive criterion and D1 flags) of a stack of two-type 2×2 signaling games.

    ``games_or_arrays``: a :class:`SignalingBatch`; a list of ``SignalingGame``; or a
    ``kind: signaling`` body whose numbers are numpy arrays of one shape (``Template.evaluate``).
    Returns a :class:`BatchResult`. The stack is processed in chunks of ``chunk`` games (small
    enough for the temporaries to stay in cache). Games of another shape (a list of ``SignalingGame``) are
    solved one by one with :func:`bargaining.solvers.signaling.pbe` and a list of ``Solution``
    is returned (not vectorised). ``exact_tie``: see
    :func:`bargaining.solvers.signaling_kernel.solve_222`.
    """
    if isinstance(games_or_arrays, SignalingBatch):
        batch = games_or_arrays
    elif isinstance(games_or_arrays, Mapping):
        batch = SignalingBatch.from_spec(games_or_arrays)
    else:
        games = list(games_or_arrays)
        if games and any(g.shape != (2, 2, 2) for g in games):
            from bargaining.solvers.signaling import pbe

            return [pbe(g) for g in games]
        batch = SignalingBatch.from_games(games)
    if batch.US.shape[1:] != (2, 2, 2):
        raise GameValidationError(
            f"signaling batch: shape {batch.US.shape[1:]} (types, messages, responses) is not vectorised; "
            "only 2×2×2 is (pass SignalingGame objects to fall back to the per-game solver)"
        )
    if batch.size <= chunk:
        with np.errstate(all="ignore"):
            return solve_222(batch, exact_tie)
    with np.errstate(all="ignore"):
        parts = [
            solve_222(
                SignalingBatch(
                    batch.prior0[k : k + chunk],
                    batch.US[k : k + chunk],
                    batch.UR[k : k + chunk],
                    batch.types,
                    batch.messages,
                    batch.responses,
                    None
                    if batch.leaves is None
                    else {
                        key: [(path, w[k : k + chunk]) for path, w in lv] for key, lv in batch.leaves.items()
                    },
                    None if batch.stage_tie is None else batch.stage_tie[k : k + chunk],
                ),
                None if exact_tie is None else exact_tie[k : k + chunk],
            )
            for k in range(0, batch.size, chunk)
        ]
    fields = (
        "valid",
        "s0",
        "x",
        "mu",
        "off_lo",
        "off_hi",
        "x_lo",
        "x_hi",
        "type_payoffs",
        "receiver_payoff",
        "intuitive",
        "d1",
    )
    joined = {f: np.concatenate([getattr(r, f) for r in parts]) for f in fields + ("d2", "nwbr")}
    return BatchResult(
        batch, **joined, labels=parts[0].labels, generic=np.concatenate([r.generic for r in parts])
    )


def row_columns(
    res: BatchResult, gi: np.ndarray, si: np.ndarray, sender: str, receiver: str
) -> dict[str, np.ndarray]:
    """The sweep columns of the PBE ``(gi, si)`` (game, slot) in the order and with the meaning of
    the per-game row builder ``bargaining.report.render_signaling.signaling_row``:

    - ``dimension`` (0) and ``description`` (``a single point``): a batch family is one profile;
    - ``p:<sender>:<type>:<message>``;
    - ``p:<receiver>:<message>:<response>``: behaviour on the path, ``nan`` after an off-path
      message, and ``...:lo`` / ``...:hi``: the range of that probability over the family (equal
      to it on the path; over the sustaining responses off the path);
    - ``belief:<message>:<type>`` (``nan`` off the path), ``offpath:<message>:<type>:lo|hi`` (the
      sustaining beliefs; ``nan`` on the path);
    - ``payoff:<sender>:<type>``;
    - ``outcome:<type> <message> <response>[ <later actions>]``: probability of each terminal,
      ``π_t σ_t(m) ρ_m(r)`` times the reach probability inside the later stage.
    """
    b = res.batch
    T, M, R = b.types, b.messages, b.responses
    cols: dict[str, np.ndarray] = {}
    # what a row stands for: every batch family is a single profile (generic games; the
    # per-game solver describes the sets at the others)
    cols["dimension"] = np.zeros(len(gi), dtype=np.int64)
    cols["description"] = np.full(len(gi), "a single point", dtype=object)
    s0 = res.s0[gi, si]  # (E, T)
    x = res.x[gi, si]  # (E, M), nan off the path
    off = np.isnan(x)
    xl, xh = res.x_lo[gi, si], res.x_hi[gi, si]
    sig = np.stack([s0, 1 - s0], axis=-1)  # (E, T, M)
    rho = np.stack([x, 1 - x], axis=-1)  # (E, M, R)
    for t, tl in enumerate(T):
        for m, ml in enumerate(M):
            cols[f"p:{sender}:{tl}:{ml}"] = sig[:, t, m]
    for m, ml in enumerate(M):
        for r, rl in enumerate(R):
            cols[f"p:{receiver}:{ml}:{rl}"] = rho[:, m, r]
    for m, ml in enumerate(M):
        for r, rl in enumerate(R):
            lo_r, hi_r = (xl, xh) if r == 0 else (1 - xh, 1 - xl)
            cols[f"p:{receiver}:{ml}:{rl}:lo"] = np.where(off[:, m], lo_r, rho[:, m, r])
            cols[f"p:{receiver}:{ml}:{rl}:hi"] = np.where(off[:, m], hi_r, rho[:, m, r])
    mu = res.mu[gi, si]
    for m, ml in enumerate(M):
        cols[f"belief:{ml}:{T[0]}"] = mu[:, m]
        cols[f"belief:{ml}:{T[1]}"] = 1 - mu[:, m]
    lo, hi = res.off_lo[gi, si], res.off_hi[gi, si]
    for m, ml in enumerate(M):
        here = off[:, m]
        cols[f"offpath:{ml}:{T[0]}:lo"] = np.where(here, lo, np.nan)
        cols[f"offpath:{ml}:{T[0]}:hi"] = np.where(here, hi, np.nan)
        cols[f"offpath:{ml}:{T[1]}:lo"] = np.where(here, 1 - hi, np.nan)
        cols[f"offpath:{ml}:{T[1]}:hi"] = np.where(here, 1 - lo, np.nan)
    tp = res.type_payoffs[gi, si]
    for t, tl in enumerate(T):
        cols[f"payoff:{sender}:{tl}"] = tp[:, t]
    p0 = b.prior0[gi]
    prior = np.stack([p0, 1 - p0], axis=1)
    for t, tl in enumerate(T):
        for m, ml in enumerate(M):
            reach_tm = prior[:, t] * sig[:, t, m]
            for r, rl in enumerate(R):
                reach = np.where(reach_tm > 0, reach_tm * np.nan_to_num(rho[:, m, r]), 0.0)
                for path, w in (b.leaves or {}).get((t, m, r), [((), None)]):
                    name = " ".join((tl, ml, rl) + tuple(path))
                    cols[f"outcome:{name}"] = reach if w is None else reach * w[gi]
    return cols
