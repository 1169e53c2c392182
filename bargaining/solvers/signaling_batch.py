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

**Public API**: :func:`solve_batch` (``games_or_arrays``: a list of ``SignalingGame``, a
:class:`SignalingBatch`, or a signaling body whose numbers are arrays, e.g.
``Template.evaluate({...})``) returns a :class:`BatchResult`: columnar arrays of shape
``(N, 9, ...)`` with a ``valid`` mask, and helpers to get per-game lists of equilibria.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import GameValidationError

__all__ = ["SignalingBatch", "BatchResult", "solve_batch", "SLOTS", "TOL", "nongeneric", "row_columns"]

SLOTS = 9

#: relative tolerance of the generic-case tests (:func:`nongeneric`): a point whose ties or
#: slot bounds hold within it is left to the per-game solver
TOL = 1e-9


def _reduce_node(
    node: Any, sender: str, shape: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray, list, np.ndarray]:
    """(sender, receiver) payoff arrays of a later stage, by vectorised backward induction;
    at a tie the first optimal action (file order) is taken. Third item: the terminals in
    depth-first order, each ``(actions from here, probability array of reaching it)``. Fourth:
    where some decision below is a tie (two actions' values within the relative tolerance
    :data:`TOL`): the per-game solver enumerates the tie-breaks there."""
    if isinstance(node, (list, tuple)):
        node = {"payoffs": node}
    if "payoffs" in node:
        pay = node["payoffs"]
        return (
            np.broadcast_to(np.asarray(pay[0], dtype=float), shape),
            np.broadcast_to(np.asarray(pay[1], dtype=float), shape),
            [((), np.ones(shape))],
            np.zeros(shape, bool),
        )
    labels = [str(a) for a in node["actions"]]
    children = [_reduce_node(c, sender, shape) for c in node["actions"].values()]
    tie = np.logical_or.reduce([c[3] for c in children])
    if node.get("player") == "chance":
        probs = [np.asarray(node["probs"][a], dtype=float) for a in node["actions"]]
        leaves = [((a,) + path, p * w) for a, p, c in zip(labels, probs, children) for path, w in c[2]]
        return (
            sum(p * c[0] for p, c in zip(probs, children)),
            sum(p * c[1] for p, c in zip(probs, children)),
            leaves,
            tie,
        )
    us = np.stack([c[0] for c in children])
    ur = np.stack([c[1] for c in children])
    k = np.argmax(us, axis=0)  # first maximum on ties
    best = np.take_along_axis(us, k[None], 0)[0]
    close = np.abs(us - best) <= TOL * (1 + np.abs(best))
    tie = tie | (close.sum(axis=0) > 1)
    leaves = [
        ((a,) + path, (k == i) * w) for i, (a, c) in enumerate(zip(labels, children)) for path, w in c[2]
    ]
    return (best, np.take_along_axis(ur, k[None], 0)[0], leaves, tie)


@dataclass(frozen=True)
class SignalingBatch:
    """A stack of N two-type signaling games: ``prior0`` (N,), ``US``/``UR`` (N, T, M, R)."""

    prior0: np.ndarray
    US: np.ndarray
    UR: np.ndarray
    types: tuple[str, ...] = ("t0", "t1")
    messages: tuple[str, ...] = ("m0", "m1")
    responses: tuple[str, ...] = ("r0", "r1")
    #: per (t, m, r): the later stage's terminals, ``(actions, reach probability (N,))``; ``None``
    #: when every outcome is a terminal
    leaves: Any = None
    #: (N,) bool: the sender is indifferent in a later stage (``None``: no later stages or no tie)
    stage_tie: Any = None

    @property
    def size(self) -> int:
        return int(self.US.shape[0])

    @classmethod
    def from_arrays(cls, prior0: Any, US: Any, UR: Any, **labels: Any) -> SignalingBatch:
        US = np.asarray(US, dtype=float)
        UR = np.asarray(UR, dtype=float)
        prior0 = np.broadcast_to(np.asarray(prior0, dtype=float), US.shape[:1]).copy()
        if US.ndim != 4 or US.shape != UR.shape:
            raise GameValidationError(
                "signaling batch: US and UR must have the same shape (N, types, messages, responses)"
            )
        if np.any(prior0 < 0) or np.any(prior0 > 1) or np.any(~np.isfinite(prior0)):
            raise GameValidationError("signaling batch: the prior of type 0 must lie in [0, 1]")
        return cls(prior0, US, UR, **{k: tuple(v) for k, v in labels.items()})

    @classmethod
    def from_spec(cls, body: Mapping[str, Any]) -> SignalingBatch:
        """From a ``kind: signaling`` body whose numbers are arrays of one common shape (or
        scalars), such as ``Template.evaluate(grid)``; the stack is the arrays flattened."""
        types = list(body["types"])
        if len(types) != 2:
            raise GameValidationError("signaling batch: exactly two types are supported")
        messages = [str(m) for m in body["messages"]]
        responses = [str(r) for r in body["responses"]]
        sender = (
            str(body["players"]["sender"])
            if isinstance(body["players"], Mapping)
            else str(body["players"][0])
        )
        arrays = [np.asarray(v, dtype=float) for v in body["types"].values()]
        shape = np.broadcast_shapes(*(a.shape for a in arrays), *_leaf_shapes(body["payoffs"]))
        n = int(np.prod(shape)) if shape else 1
        flat = (n,)
        US = np.empty((n, 2, len(messages), len(responses)))
        UR = np.empty_like(US)
        leaves: dict[tuple[int, int, int], list] = {}
        stage_tie = np.zeros(n, bool)
        for i, t in enumerate(types):
            for j, m in enumerate(messages):
                for k, r in enumerate(responses):
                    try:
                        node = body["payoffs"][t][m][r]
                    except (KeyError, TypeError):
                        raise GameValidationError(
                            f"signaling batch: payoffs missing for {t}/{m}/{r}"
                        ) from None
                    us, ur, lv, tie = _reduce_node(node, sender, shape)
                    stage_tie |= np.reshape(np.broadcast_to(tie, shape), flat)
                    US[:, i, j, k] = np.reshape(us, flat)
                    UR[:, i, j, k] = np.reshape(ur, flat)
                    leaves[(i, j, k)] = [
                        (path, np.reshape(np.broadcast_to(w, shape), flat)) for path, w in lv
                    ]
        p0 = np.reshape(np.broadcast_to(arrays[0], shape), flat)
        total = np.reshape(np.broadcast_to(arrays[0] + arrays[1], shape), flat)
        if np.any(np.abs(total - 1) > 1e-9):
            raise GameValidationError("signaling batch: the prior does not sum to 1 at some points")
        out = cls.from_arrays(
            p0, US, UR, types=[str(t) for t in types], messages=messages, responses=responses
        )
        return replace(out, leaves=leaves, stage_tie=stage_tie)

    @classmethod
    def from_games(cls, games: Sequence[Any]) -> SignalingBatch:
        """Stack SignalingGame objects (first tie-break of the later stages)."""
        if not games:
            raise GameValidationError("signaling batch: no games")
        g0 = games[0]
        from bargaining.solvers.signaling import leaves as _leaves

        US, UR, P, ties = [], [], [], []
        walks: dict[tuple[int, int, int], list] = {}
        for g in games:
            if g.shape != g0.shape:
                raise GameValidationError("signaling batch: the games must have the same shape")
            reduced = g.reduced()
            ties.append(len(reduced) > 1)  # a later-stage tie that changes a payoff
            us, ur, plans = reduced[0]
            for key in itertools.product(range(2), range(2), range(2)) if g0.shape == (2, 2, 2) else ():
                walk = list(
                    _leaves(
                        g.outcomes[key[0]][key[1]][key[2]], list(plans.get(key, ())), [0], (), Fraction(1)
                    )
                )
                walks.setdefault(key, []).append(walk)
            US.append(np.array(us, dtype=float))
            UR.append(np.array(ur, dtype=float))
            P.append(float(g.prior[0]))
        out = cls.from_arrays(
            np.array(P),
            np.array(US),
            np.array(UR),
            types=g0.types,
            messages=g0.messages,
            responses=g0.responses,
        )
        if g0.shape != (2, 2, 2):
            return out
        leaves = {
            key: [(w[0][k][0], np.array([float(g[k][1]) for g in w])) for k in range(len(w[0]))]
            for key, w in walks.items()
        }
        return replace(out, leaves=leaves)


def _leaf_shapes(node: Any):
    if isinstance(node, Mapping):
        for v in node.values():
            yield from _leaf_shapes(v)
    elif isinstance(node, (list, tuple)):
        for v in node:
            yield from _leaf_shapes(v)
    elif isinstance(node, (np.ndarray, float, int)) and not isinstance(node, bool):
        yield np.shape(node)


@dataclass(frozen=True)
class BatchResult:
    """Columnar PBE of a stack of N games; slot axis of length 9 (see the module docstring).

    Arrays: ``valid`` (N, 9) bool; ``s0`` (N, 9, T) probability that each type sends message 0;
    ``x`` (N, 9, M) probability of response 0 after each message (``nan`` off the path); the
    properties ``sigma`` (N, 9, T, M) and ``rho`` (N, 9, M, R) expand them; ``mu`` (N, 9, M) belief in type 0
    after each message (``nan`` off the path); ``off_lo``/``off_hi`` (N, 9) the interval of
    sustaining beliefs in type 0 after the off-path message (``nan`` if none); ``x_lo``/``x_hi``
    (N, 9) the deterring probabilities of response 0 there; ``type_payoffs`` (N, 9, T);
    ``receiver_payoff`` (N, 9); ``intuitive``/``d1``/``d2``/``nwbr`` (N, 9) bool; ``labels`` the
    label of each slot.
    """

    batch: SignalingBatch
    valid: np.ndarray
    s0: np.ndarray
    x: np.ndarray
    mu: np.ndarray
    off_lo: np.ndarray
    off_hi: np.ndarray
    x_lo: np.ndarray
    x_hi: np.ndarray
    type_payoffs: np.ndarray
    receiver_payoff: np.ndarray
    intuitive: np.ndarray
    d1: np.ndarray
    labels: tuple[str, ...]
    #: (N,) bool: the game is generic (:func:`nongeneric` is false and every slot test is strict
    #: beyond the tolerance), so the valid slots are *every* PBE family, each a single profile.
    #: Where it is false the slots are the generic limit only: solve those games with the
    #: per-game solver (:func:`bargaining.solvers.signaling.pbe`), which lists the sets.
    generic: np.ndarray = None  # type: ignore[assignment]

    @property
    def complete(self) -> np.ndarray:
        """(N,) bool: the valid slots are proven to be every PBE family (``generic``)."""
        return self.generic

    d2: np.ndarray = None  # type: ignore[assignment]  # set by every constructor; equal to d1 with two types
    nwbr: np.ndarray = None  # type: ignore[assignment]  # set by every constructor

    @property
    def sigma(self) -> np.ndarray:
        """(N, 9, T, M) sender strategies."""
        return np.stack([self.s0, 1 - self.s0], axis=-1)

    @property
    def rho(self) -> np.ndarray:
        """(N, 9, M, R) receiver strategies (``nan`` after an off-path message)."""
        return np.stack([self.x, 1 - self.x], axis=-1)

    @property
    def count(self) -> np.ndarray:
        """Number of PBE families per game."""
        return self.valid.sum(axis=1)

    def equilibria(self, n: int) -> list[dict[str, Any]]:
        """The PBE of game ``n`` as a list of plain dicts (label, sigma, rho, mu, off-path
        beliefs, payoffs, refinement flags)."""
        out = []
        for s in np.flatnonzero(self.valid[n]):
            out.append(
                {
                    "slot": int(s),
                    "label": self.labels[s],
                    "sigma": [[float(v), float(1 - v)] for v in self.s0[n, s]],
                    "rho": [[float(v), float(1 - v)] for v in self.x[n, s]],
                    "mu": self.mu[n, s].tolist(),
                    "off_path_belief": [float(self.off_lo[n, s]), float(self.off_hi[n, s])],
                    "type_payoffs": self.type_payoffs[n, s].tolist(),
                    "receiver_payoff": float(self.receiver_payoff[n, s]),
                    "intuitive": bool(self.intuitive[n, s]),
                    "d1": bool(self.d1[n, s]),
                    "complete": bool(self.generic[n]),
                    "d2": bool(self.d2[n, s]),
                    "nwbr": bool(self.nwbr[n, s]),
                }
            )
        return out

    def rows(self) -> dict[str, np.ndarray]:
        """Flat columns, one row per (game, PBE): ``game``, ``equilibrium`` (0-based within the
        game), ``label``, refinement flags, the probability, belief and payoff columns."""
        gi, si = np.nonzero(self.valid)
        eq = np.cumsum(self.valid, axis=1)[gi, si] - 1
        b = self.batch
        cols: dict[str, np.ndarray] = {
            "game": gi,
            "equilibrium": eq,
            "label": np.asarray(self.labels, dtype=object)[si],
            "refinement:intuitive": self.intuitive[gi, si],
            "refinement:d1": self.d1[gi, si],
            "refinement:d2": self.d2[gi, si],
            "refinement:nwbr": self.nwbr[gi, si],
        }
        for t, tl in enumerate(b.types):
            for m, ml in enumerate(b.messages):
                v = self.s0[gi, si, t]
                cols[f"p:sender:{tl}:{ml}"] = v if m == 0 else 1 - v
        for m, ml in enumerate(b.messages):
            for r, rl in enumerate(b.responses):
                v = self.x[gi, si, m]
                cols[f"p:receiver:{ml}:{rl}"] = v if r == 0 else 1 - v
            cols[f"belief:{ml}:{b.types[0]}"] = self.mu[gi, si, m]
        cols["offpath_belief_lo"] = self.off_lo[gi, si]
        cols["offpath_belief_hi"] = self.off_hi[gi, si]
        for t, tl in enumerate(b.types):
            cols[f"payoff:sender:{tl}"] = self.type_payoffs[gi, si, t]
        cols["payoff:receiver"] = self.receiver_payoff[gi, si]
        return cols


def _interval_where_r0(d0: np.ndarray, d1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Beliefs μ ∈ [0, 1] (in type 0) with μ d0 + (1 − μ) d1 ≥ 0, as [lo, hi] (lo > hi: empty)."""
    slope = d0 - d1
    with np.errstate(divide="ignore", invalid="ignore"):
        thr = np.where(slope != 0, -d1 / slope, np.nan)
    lo = np.where(slope > 0, np.maximum(thr, 0.0), 0.0)
    hi = np.where(slope < 0, np.minimum(thr, 1.0), 1.0)
    flat_ok = d1 >= 0
    lo = np.where(slope == 0, np.where(flat_ok, 0.0, 1.0), lo)
    hi = np.where(slope == 0, np.where(flat_ok, 1.0, 0.0), hi)
    return lo, hi


def _threshold(d0: np.ndarray, d1: np.ndarray) -> np.ndarray:
    """The belief ``μ̂`` with ``μ̂ d0 + (1 − μ̂) d1 = 0`` (``nan`` if none). A slope ``d0 − d1``
    within the relative tolerance of zero counts as zero: it is rounding of equal receiver
    payoffs (a threshold far outside [0, 1] unless ``d0 ≈ d1 ≈ 0``, a tie :func:`nongeneric` flags)."""
    slope = d0 - d1
    flat = np.abs(slope) <= TOL * (np.abs(d0) + np.abs(d1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(flat, np.nan, -d1 / slope)


def nongeneric(b: SignalingBatch, tol: float = TOL) -> np.ndarray:
    """(N,) bool: the games at which the nine slots are not proven to be every PBE family.

    The slots assume a *generic* game: every weak inequality they test is strict and every
    system they solve has a unique solution. This function tests, within the relative
    tolerance ``tol`` (payoff differences against ``tol · (1 + max |payoff|)``, probabilities
    against ``tol``), the ties whose absence makes that true:

    1. a prior of 0 or 1 (``p ≤ tol`` or ``p ≥ 1 − tol``);
    2. the receiver: indifferent between the responses after some message at a degenerate belief
       (``d_t(m) ≈ 0``, so a threshold ``μ̂_m`` is 0 or 1) or at the prior
       (``p d_0(m) + (1 − p) d_1(m) ≈ 0``, the pooling slots' response);
    3. a sender type: two of its four outcome values ``U_S(t, m, r)`` equal (a type indifferent
       between messages at some pair of pure responses, or between the responses after a message);
    4. two types indifferent between the messages at the *same* receiver mixture: after ``m``
       with a pure response after the other message, both types' indifference points
       ``x_t = (V_t(m', r') − U_S(t, m, 1)) / (U_S(t, m, 0) − U_S(t, m, 1))`` lie in [0, 1] and
       coincide (this is where a one-dimensional family appears, e.g. ``resolve-signal`` at
       ``c_S = 1/3``: both types indifferent at ``ρ_E(C) = 5/12``); with both responses mixed,
       the two types' indifference lines in ``(x_0, x_1)`` coincide (every 2×2 minor of the
       system ``A_t0 x_0 − A_t1 x_1 = B_t1 − B_t0`` vanishes);
    5. the sender indifferent in a later stage (``SignalingBatch.stage_tie``).

    Every validity test of a slot is an equation in these quantities (``x = 0`` at a semi-separating
    slot is a tie of kind 3, ``σ = 1`` is ``μ̂ = p``, a type indifferent at the other type's
    deterring bound is kind 4, ...), so off this set each test is strict by a margin the
    floating-point evaluation cannot flip, and the slots are every PBE family (each a single
    profile with its off-path belief interval). :func:`_solve_222` also checks each validity test's
    margin directly and ORs the result in (``BatchResult.generic``). The set has measure zero
    in payoff space unless the game's form forces a tie (then every point goes to the per-game solver).
    """
    US, UR, p = b.US, b.UR, b.prior0
    N = b.size
    su = 1 + np.abs(US.reshape(N, -1)).max(axis=1)
    sr = 1 + np.abs(UR.reshape(N, -1)).max(axis=1)
    out = (p <= tol) | (p >= 1 - tol)
    d = UR[..., 0] - UR[..., 1]  # (N, T, M)
    out |= np.any(np.abs(d.reshape(N, -1)) <= tol * sr[:, None], axis=1)
    g = p[:, None] * d[:, 0, :] + (1 - p[:, None]) * d[:, 1, :]  # (N, M)
    out |= np.any(np.abs(g) <= tol * sr[:, None], axis=1)
    v = US.reshape(N, 2, 4)
    for i, j in itertools.combinations(range(4), 2):
        out |= np.any(np.abs(v[:, :, i] - v[:, :, j]) <= tol * su[:, None], axis=1)
    A = US[..., 0] - US[..., 1]  # (N, T, M)
    B = US[..., 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        for m in (0, 1):
            mo = 1 - m
            for xo in (0.0, 1.0):
                x = (B[:, :, mo] + xo * A[:, :, mo] - B[:, :, m]) / A[:, :, m]  # (N, T)
                inside = np.all((x >= -tol) & (x <= 1 + tol), axis=1)
                out |= inside & (np.abs(x[:, 0] - x[:, 1]) <= tol)
    r = B[:, :, 1] - B[:, :, 0]  # (N, T)
    s2 = tol * su * su
    m1 = A[:, 0, 0] * A[:, 1, 1] - A[:, 1, 0] * A[:, 0, 1]
    m2 = A[:, 0, 0] * r[:, 1] - A[:, 1, 0] * r[:, 0]
    m3 = A[:, 0, 1] * r[:, 1] - A[:, 1, 1] * r[:, 0]
    out |= (np.abs(m1) <= s2) & (np.abs(m2) <= s2) & (np.abs(m3) <= s2)
    if b.stage_tie is not None:
        out |= np.asarray(b.stage_tie, bool)
    return out


def _solve_222(b: SignalingBatch) -> BatchResult:
    US, UR, p = b.US, b.UR, b.prior0
    N = b.size
    q = 1 - p
    d = UR[..., 0] - UR[..., 1]  # (N, T, M)
    A = US[..., 0] - US[..., 1]  # (N, T, M): value of x (prob. of response 0)
    B = US[..., 1]
    # slot-major storage: every write below is contiguous
    valid = np.empty((SLOTS, N), bool)
    S0 = np.empty((SLOTS, N, 2))  # σ_t(message 0)
    X = np.empty((SLOTS, N, 2))  # ρ_m(response 0), nan off the path
    mu = np.empty((SLOTS, N, 2))
    off_lo = np.full((SLOTS, N), np.nan)
    off_hi = np.full((SLOTS, N), np.nan)
    x_lo = np.full((SLOTS, N), np.nan)
    x_hi = np.full((SLOTS, N), np.nan)
    tp = np.empty((SLOTS, N, 2))
    rp = np.empty((SLOTS, N))
    ic = np.ones((SLOTS, N), bool)
    d1f = np.ones((SLOTS, N), bool)
    # where some slot's validity test holds within the tolerance of its bound (see nongeneric)
    edge_ = np.zeros(N, bool)
    su = 1 + np.abs(US.reshape(N, -1)).max(axis=1)

    def near(a: Any, bound: Any, scale: Any = 1.0) -> None:
        nonlocal edge_
        a = np.asarray(a, dtype=float)
        with np.errstate(invalid="ignore"):
            edge_ |= np.isfinite(a) & (np.abs(a - bound) <= TOL * scale)

    nwf = np.ones((SLOTS, N), bool)

    def br(mu_: np.ndarray, m: int) -> np.ndarray:
        """1.0 if response 0 is a best response at belief mu_ after m (ties → response 0)."""
        g = mu_ * d[:, 0, m] + (1 - mu_) * d[:, 1, m]
        return (g >= 0).astype(float)

    def value(t: int, m: int, x: np.ndarray) -> np.ndarray:
        return B[:, t, m] + x * A[:, t, m]

    def rec(t: int, m: int, x: np.ndarray) -> np.ndarray:
        return UR[:, t, m, 1] + x * (UR[:, t, m, 0] - UR[:, t, m, 1])

    # off-path beliefs put weight only on positive-prior types (see the module docstring)
    bl = np.where(p >= 1, 1.0, 0.0)
    bh = np.where(p <= 0, 0.0, 1.0)
    edge = (p <= 0) | (p >= 1)  # one type has prior 0: its refinements hold trivially
    # ---- pooling (slots 0, 1)
    for m in (0, 1):
        s, mo = m, 1 - m
        x = br(p, m)
        u = np.stack([value(0, m, x), value(1, m, x)], axis=1)
        # deterring x after mo: B_t + x A_t <= u_t for both t
        lo_x = np.zeros(N)
        hi_x = np.ones(N)
        feas = np.ones(N, bool)
        for t in (0, 1):
            a_, c_ = A[:, t, mo], u[:, t] - B[:, t, mo]
            with np.errstate(divide="ignore", invalid="ignore"):
                bound = c_ / a_
            hi_x = np.where(a_ > 0, np.minimum(hi_x, bound), hi_x)
            lo_x = np.where(a_ < 0, np.maximum(lo_x, bound), lo_x)
            feas &= np.where(a_ == 0, c_ >= 0, True)
            near(np.where(a_ == 0, c_, np.nan), 0.0, su)
            near(np.where(a_ != 0, bound, np.nan), 0.0)
            near(np.where(a_ != 0, bound, np.nan), 1.0)
            if t == 0:
                bound0 = np.where(a_ != 0, bound, np.nan)
            else:
                near(bound0 - bound, 0.0)  # both types deterred at the same response
        feas &= lo_x <= hi_x
        r0_ok = np.maximum(d[:, 0, mo], d[:, 1, mo]) >= 0  # response 0 is a BR to some belief
        r1_ok = np.minimum(d[:, 0, mo], d[:, 1, mo]) <= 0
        thr = _threshold(d[:, 0, mo], d[:, 1, mo])
        has_thr = np.isfinite(thr) & (thr >= 0) & (thr <= 1)
        near(thr, 0.0)
        near(thr, 1.0)
        near(thr, p)
        det0 = feas & (hi_x >= 1) & r0_ok
        det1 = feas & (lo_x <= 0) & r1_ok
        detm = feas & has_thr
        I0lo, I0hi = _interval_where_r0(d[:, 0, mo], d[:, 1, mo])
        I1lo, I1hi = _interval_where_r0(-d[:, 0, mo], -d[:, 1, mo])
        inf = np.inf
        # beliefs only on positive-prior types: μ = 0 if p = 0, μ = 1 if p = 1
        I0lo, I0hi = np.maximum(I0lo, bl), np.minimum(I0hi, bh)
        I1lo, I1hi = np.maximum(I1lo, bl), np.minimum(I1hi, bh)
        det0 &= I0lo <= I0hi
        det1 &= I1lo <= I1hi
        detm &= (thr >= bl) & (thr <= bh)
        lo = np.minimum.reduce(
            [np.where(det0, I0lo, inf), np.where(det1, I1lo, inf), np.where(detm, thr, inf)]
        )
        hi = np.maximum.reduce(
            [np.where(det0, I0hi, -inf), np.where(det1, I1hi, -inf), np.where(detm, thr, -inf)]
        )
        ok = lo <= hi
        valid[s] = ok
        S0[s] = 1.0 if m == 0 else 0.0
        X[s, :, m] = x
        X[s, :, mo] = np.nan
        mu[s, :, m] = p
        mu[s, :, mo] = np.nan
        off_lo[s] = np.where(ok, lo, np.nan)
        off_hi[s] = np.where(ok, hi, np.nan)
        xl = np.minimum.reduce(
            [np.where(det0, 1.0, inf), np.where(det1, 0.0, inf), np.where(detm, np.clip(lo_x, 0, 1), inf)]
        )
        xh = np.maximum.reduce(
            [np.where(det0, 1.0, -inf), np.where(det1, 0.0, -inf), np.where(detm, np.clip(hi_x, 0, 1), -inf)]
        )
        x_lo[s] = np.where(ok, xl, np.nan)
        x_hi[s] = np.where(ok, xh, np.nan)
        tp[s] = u
        rp[s] = p * rec(0, m, x) + q * rec(1, m, x)
        # -- intuitive criterion at mo
        best = np.stack(
            [
                np.maximum(np.where(r0_ok, US[:, t, mo, 0], -inf), np.where(r1_ok, US[:, t, mo, 1], -inf))
                for t in (0, 1)
            ],
            axis=1,
        )
        J = u > best  # equilibrium-dominated
        worst_all = np.stack(
            [
                np.minimum(np.where(r0_ok, US[:, t, mo, 0], inf), np.where(r1_ok, US[:, t, mo, 1], inf))
                for t in (0, 1)
            ],
            axis=1,
        )

        def worst_at_point(t: int, mo: int = mo) -> np.ndarray:
            """Worst payoff of type t among best replies to the belief concentrated on t."""
            dt = d[:, t, mo]
            return np.where(
                dt > 0,
                US[:, t, mo, 0],
                np.where(dt < 0, US[:, t, mo, 1], np.minimum(US[:, t, mo, 0], US[:, t, mo, 1])),
            )

        fail_none = ~J[:, 0] & ~J[:, 1] & ((worst_all[:, 0] > u[:, 0]) | (worst_all[:, 1] > u[:, 1]))
        fail_j0 = J[:, 0] & ~J[:, 1] & (worst_at_point(1) > u[:, 1])
        fail_j1 = J[:, 1] & ~J[:, 0] & (worst_at_point(0) > u[:, 0])
        ic[s] = ~(fail_none | fail_j0 | fail_j1)
        # -- D1 at mo: x ranges over X = [xmin, xmax]
        xmin = np.where(r1_ok, 0.0, 1.0)
        xmax = np.where(r0_ok, 1.0, 0.0)
        wl, wh, we = [], [], []
        for t in (0, 1):
            a_, c_ = A[:, t, mo], u[:, t] - B[:, t, mo]
            with np.errstate(divide="ignore", invalid="ignore"):
                bound = c_ / a_
            l_ = np.where(a_ > 0, np.maximum(xmin, bound), xmin)
            h_ = np.where(a_ < 0, np.minimum(xmax, bound), xmax)
            empty = np.where(a_ == 0, c_ > 0, l_ > h_)
            wl.append(l_)
            wh.append(h_)
            we.append(empty)
        deleted = []
        for t in (0, 1):
            o = 1 - t
            strict = (value(o, mo, wl[t]) > u[:, o]) & (value(o, mo, wh[t]) > u[:, o])
            deleted.append(we[t] | strict)
        only0 = deleted[0] & ~deleted[1]  # beliefs must sit on type 1: μ = 0
        only1 = deleted[1] & ~deleted[0]  # μ = 1
        d1f[s] = ~((only0 & ~(lo <= 0)) | (only1 & ~(hi >= 1)))
        # -- NWBR at mo (bargaining.solvers.divinity): t is removed if every x in X at which t is
        # indifferent gives the other type strictly more than u (or no x leaves t indifferent)
        removed = []
        for t in (0, 1):
            o = 1 - t
            a_, c_ = A[:, t, mo], u[:, t] - B[:, t, mo]
            with np.errstate(divide="ignore", invalid="ignore"):
                xs = c_ / a_
            il = np.where(a_ == 0, xmin, xs)
            ih = np.where(a_ == 0, xmax, xs)
            empty = np.where(a_ == 0, c_ != 0, (xs < xmin) | (xs > xmax))
            strict = (value(o, mo, il) > u[:, o]) & (value(o, mo, ih) > u[:, o])
            removed.append(empty | strict)
        only0 = removed[0] & ~removed[1]
        only1 = removed[1] & ~removed[0]
        nwf[s] = ~((only0 & ~(lo <= 0)) | (only1 & ~(hi >= 1)))
        ic[s] |= edge
        d1f[s] |= edge
        nwf[s] |= edge

    # ---- separating (slots 2, 3): type 0 sends m, type 1 sends 1 - m
    # With a zero-prior type its message is off the path and the belief there is on the other
    # type (μ = 0 after m if p = 0, μ = 1 after 1 - m if p = 1); the same incentive constraints.
    for s, m in ((2, 0), (3, 1)):
        mo = 1 - m
        off_a, off_b = p <= 0, p >= 1
        xa = br(np.where(off_a, 0.0, 1.0), m)
        xb = br(np.where(off_b, 1.0, 0.0), mo)
        u0 = value(0, m, xa)
        u1 = value(1, mo, xb)
        ok = (value(0, mo, xb) <= u0) & (value(1, m, xa) <= u1)
        near(value(0, mo, xb) - u0, 0.0, su)
        near(value(1, m, xa) - u1, 0.0, su)
        valid[s] = ok
        S0[s, :, 0] = 1.0 if m == 0 else 0.0
        S0[s, :, 1] = 1.0 if mo == 0 else 0.0
        X[s, :, m] = np.where(off_a, np.nan, xa)
        X[s, :, mo] = np.where(off_b, np.nan, xb)
        mu[s, :, m] = np.where(off_a, np.nan, 1.0)
        mu[s, :, mo] = np.where(off_b, np.nan, 0.0)
        x_off = np.where(off_a, xa, np.where(off_b, xb, np.nan))
        off_lo[s] = np.where(ok & edge, bl, np.nan)
        off_hi[s] = np.where(ok & edge, bh, np.nan)
        x_lo[s] = np.where(ok, x_off, np.nan)
        x_hi[s] = np.where(ok, x_off, np.nan)
        tp[s, :, 0] = u0
        tp[s, :, 1] = u1
        rp[s] = np.where(off_a, 0.0, p * rec(0, m, xa)) + np.where(off_b, 0.0, q * rec(1, mo, xb))

    # ---- semi-separating, one type mixes (slots 4..7): mixer i, pure type j sends m
    for i in (0, 1):
        j = 1 - i
        for m in (0, 1):
            s = 4 + 2 * i + m
            mo = 1 - m
            mu_mo = np.full(N, 1.0 if i == 0 else 0.0)
            xo = br(mu_mo, mo)
            v_i = value(i, mo, xo)
            thr = _threshold(d[:, 0, m], d[:, 1, m])
            with np.errstate(divide="ignore", invalid="ignore"):
                if i == 0:
                    sig = thr * q / (p * (1 - thr))  # σ_0(m): μ_m = pσ/(pσ + q)
                    ok = (thr > 0) & (thr < p)
                else:
                    sig = p * (1 - thr) / (q * thr)  # σ_1(m): μ_m = p/(p + qσ)
                    ok = (thr > p) & (thr < 1)
                x = (v_i - B[:, i, m]) / A[:, i, m]
            ok &= np.isfinite(sig) & (sig > 0) & (sig < 1) & np.isfinite(x) & (x > 0) & (x < 1)
            ok &= value(j, m, x) >= value(j, mo, xo)
            for v_, b_ in ((thr, 0.0), (thr, 1.0), (thr, p), (sig, 0.0), (sig, 1.0), (x, 0.0), (x, 1.0)):
                near(v_, b_)
            near(value(j, m, x) - value(j, mo, xo), 0.0, su)
            valid[s] = ok
            S0[s, :, i] = sig if m == 0 else 1 - sig
            S0[s, :, j] = 1.0 if m == 0 else 0.0
            X[s, :, m] = x
            X[s, :, mo] = xo
            mu[s, :, m] = thr
            mu[s, :, mo] = mu_mo
            tp[s, :, i] = v_i
            tp[s, :, j] = value(j, m, x)
            P_i = p if i == 0 else q
            P_j = q if i == 0 else p
            rp[s] = P_j * rec(j, m, x) + P_i * (sig * rec(i, m, x) + (1 - sig) * rec(i, mo, xo))

    # ---- both types mix (slot 8)
    s = 8
    t0 = _threshold(d[:, 0, 0], d[:, 1, 0])
    t1 = _threshold(d[:, 0, 1], d[:, 1, 1])
    with np.errstate(divide="ignore", invalid="ignore"):
        P0 = (p - t1) / (t0 - t1)  # P(message 0)
        det = -A[:, 0, 0] * A[:, 1, 1] + A[:, 0, 1] * A[:, 1, 0]
        r0_ = B[:, 0, 1] - B[:, 0, 0]
        r1_ = B[:, 1, 1] - B[:, 1, 0]
        x0 = (r0_ * (-A[:, 1, 1]) - (-A[:, 0, 1]) * r1_) / det
        x1 = (A[:, 0, 0] * r1_ - A[:, 1, 0] * r0_) / det
        s00 = P0 * t0 / p
        s10 = P0 * (1 - t0) / q
    ok = (
        np.isfinite(P0)
        & (P0 > 0)
        & (P0 < 1)
        & (t0 > 0)
        & (t0 < 1)
        & (t1 > 0)
        & (t1 < 1)
        & np.isfinite(x0)
        & np.isfinite(x1)
        & (x0 > 0)
        & (x0 < 1)
        & (x1 > 0)
        & (x1 < 1)
        & (s00 > 0)
        & (s00 < 1)
        & (s10 > 0)
        & (s10 < 1)
    )
    for v_ in (P0, t0, t1, x0, x1, s00, s10):
        near(v_, 0.0)
        near(v_, 1.0)
    valid[s] = ok
    S0[s, :, 0] = s00
    S0[s, :, 1] = s10
    X[s, :, 0] = x0
    X[s, :, 1] = x1
    mu[s, :, 0] = t0
    mu[s, :, 1] = t1
    tp[s, :, 0] = value(0, 0, x0)
    tp[s, :, 1] = value(1, 0, x0)
    rp[s] = p * (s00 * rec(0, 0, x0) + (1 - s00) * rec(0, 1, x1)) + q * (
        s10 * rec(1, 0, x0) + (1 - s10) * rec(1, 1, x1)
    )

    M = b.messages
    labels = (f"pooling on {M[0]}", f"pooling on {M[1]}", "separating", "separating") + (
        "semi-separating",
    ) * 5
    T = np.moveaxis  # (slot, game, ...) -> (game, slot, ...): views, no copies
    generic = ~(edge_ | nongeneric(b))
    return BatchResult(
        b,
        T(valid, 0, 1),
        T(S0, 0, 1),
        T(X, 0, 1),
        T(mu, 0, 1),
        T(off_lo, 0, 1),
        T(off_hi, 0, 1),
        T(x_lo, 0, 1),
        T(x_hi, 0, 1),
        T(tp, 0, 1),
        T(rp, 0, 1),
        T(ic & valid, 0, 1),
        T(d1f & valid, 0, 1),
        labels,
        generic,
        d2=T(d1f & valid, 0, 1),
        nwbr=T(nwf & valid, 0, 1),
    )


def solve_batch(games_or_arrays: Any, *, chunk: int = 16_384) -> BatchResult | list:
    """PBE (+ intuitive criterion and D1 flags) of a stack of two-type 2×2 signaling games.

    ``games_or_arrays``: a :class:`SignalingBatch`; a list of ``SignalingGame``; or a
    ``kind: signaling`` body whose numbers are numpy arrays of one shape (``Template.evaluate``).
    Returns a :class:`BatchResult`. The stack is processed in chunks of ``chunk`` games (small
    enough for the temporaries to stay in cache). Games of another shape (a list of ``SignalingGame``) are
    solved one by one with :func:`bargaining.solvers.signaling.pbe` and a list of ``Solution``
    is returned (not vectorised).
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
            return _solve_222(batch)
    with np.errstate(all="ignore"):
        parts = [
            _solve_222(
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
                )
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
