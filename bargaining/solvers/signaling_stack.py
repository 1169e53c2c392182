"""The data of a batched signaling solve: a stack of same-shaped games (:class:`SignalingBatch`,
later stages reduced by backward induction) and the columnar result (:class:`BatchResult`).

The slot layout and the math are in :mod:`bargaining.solvers.signaling_batch`; the kernel that fills
the slots is :mod:`bargaining.solvers.signaling_kernel`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import GameValidationError

__all__ = ["SLOTS", "TOL", "SignalingBatch", "BatchResult"]

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
        from bargaining.solvers.signaling_offpath import leaves as _leaves

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
