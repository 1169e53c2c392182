r"""Dominance pruning and the order of support profiles for ``enumpoly``.

* Iterated elimination of strategies strictly dominated by pure strategies (Osborne & Rubinstein
  1994, Prop. 61.2): no Nash equilibrium puts weight on a removed strategy.
* Conditional dominance (Porter, Nudelman & Shoham 2008, "Simple search methods for finding a Nash
  equilibrium", GEB 63, §3.2): a support profile is skipped when a strategy in some :math:`T_i` is
  weakly dominated, with one strict cell, by a pure strategy of :math:`S_i` against every profile
  of :math:`T_{-i}` (every such profile has positive probability under an exact support, so the
  strategy cannot be a best reply). :class:`ConditionalDominance` caches the answers per player
  and opponents' support profile and pre-tests them in floats, confirming exactly.
* The order of PNS 2008 (Alg. 2): small total size first, then balanced.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from fractions import Fraction

import numpy as np

from bargaining.model.normal import NormalFormGame

__all__ = ["iterated_dominance", "ConditionalDominance", "support_profiles", "count_supports"]


def _strictly_dominated(U: np.ndarray, i: int, alive: Sequence[Sequence[int]]) -> list[int]:
    """Strategies of player i in ``alive[i]`` strictly dominated by another pure strategy of
    ``alive[i]`` against every profile of the others' ``alive`` strategies."""
    sub = U[i][np.ix_(*alive)]
    sub = np.moveaxis(sub, i, 0).reshape(len(alive[i]), -1)
    out = []
    for a in range(len(alive[i])):
        for b in range(len(alive[i])):
            if a != b and all(x > y for x, y in zip(sub[b], sub[a])):
                out.append(alive[i][a])
                break
    return out


def iterated_dominance(U: np.ndarray) -> list[list[int]]:
    """Iterated elimination of strategies strictly dominated by pure strategies. No Nash
    equilibrium puts weight on a removed strategy (Osborne & Rubinstein 1994, Prop. 61.2)."""
    n = U.shape[0]
    alive = [list(range(m)) for m in U.shape[1:]]
    changed = True
    while changed:
        changed = False
        for i in range(n):
            dead = _strictly_dominated(U, i, alive)
            if dead:
                alive[i] = [s for s in alive[i] if s not in dead]
                changed = True
    return alive


def _conditionally_dominated(U: np.ndarray, supports: Sequence[Sequence[int]]) -> bool:
    r"""True if some support strategy s of a player i is dominated by a pure strategy t of
    :math:`S_i` given the others' supports: :math:`u_i(t, c) \ge u_i(s, c)` for every profile
    c of :math:`T_{-i}`, strictly for at least one (PNS 2008, §3.2, use strict dominance).
    Weak dominance suffices here because the supports are exact: every c in :math:`T_{-i}` has
    positive probability, so t earns strictly more than s and s cannot be a best reply."""
    n = U.shape[0]
    for i in range(n):
        cols = [list(supports[j]) if j != i else list(range(U.shape[1 + i])) for j in range(n)]
        sub = np.moveaxis(U[i][np.ix_(*cols)], i, 0).reshape(U.shape[1 + i], -1)
        for s in supports[i]:
            for t in range(U.shape[1 + i]):
                if t == s:
                    continue
                diff = [x - y for x, y in zip(sub[t], sub[s])]
                if all(d >= 0 for d in diff) and any(d > 0 for d in diff):
                    return True
    return False


class ConditionalDominance:
    """:func:`_conditionally_dominated` with its answers cached per player and opponents' support
    profile :math:`T_{-i}` (many support profiles share one), and a float pre-test: an exact weak
    dominance implies the float one (rounding is monotone), so only float candidates are confirmed
    in exact arithmetic, and a support profile is pruned only on an exact proof. When every payoff
    is exactly its float (e.g. integer payoffs), the float test is itself exact: a difference of
    two floats rounds to a float with the same sign, and to zero only when they are equal
    (Sterbenz's lemma and gradual underflow; Higham 2002, §2.4), so no confirmation is needed."""

    def __init__(self, U: np.ndarray, Uf: np.ndarray):
        self.U, self.Uf = U, Uf
        self.n = U.shape[0]
        self._cache: dict[tuple, frozenset[int]] = {}
        self.floats_exact = all(Fraction(float(x)) == x for x in U.ravel())
        # per player: payoff rows (one per own strategy) over the opponents' pure profiles,
        # flattened in C order, as Python floats, and the opponents' strides in that order
        self._flat = []
        self._strides = []
        for i in range(self.n):
            moved = np.moveaxis(Uf[i], i, 0)
            m = moved.shape[0]
            self._flat.append(moved.reshape(m, -1).tolist())
            dims = moved.shape[1:]
            self._strides.append([int(np.prod(dims[k + 1 :])) for k in range(len(dims))])

    def dominated(self, i: int, others: tuple[tuple[int, ...], ...]) -> frozenset[int]:
        """Strategies of player i weakly dominated (one cell strict) by a pure strategy of
        :math:`S_i` against every profile of ``others`` (the opponents' supports, in order)."""
        key = (i, others)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        if self.floats_exact:
            res = self._dominated_exact_floats(i, others)
            self._cache[key] = res
            return res
        U, Uf = self.U, self.Uf
        m = U.shape[1 + i]
        full = list(others[:i]) + [tuple(range(m))] + list(others[i:])
        idx = np.ix_(*[list(x) for x in full])
        subf = np.moveaxis(Uf[i][idx], i, 0).reshape(m, -1)
        diff = subf[None, :, :] - subf[:, None, :]  # diff[s, t] = u(t) - u(s)
        cand = np.all(diff >= 0, axis=2)
        np.fill_diagonal(cand, False)
        out = set()
        if self.floats_exact:
            strict = np.any(diff > 0, axis=2)
            out = {int(s) for s in np.nonzero(np.any(cand & strict, axis=1))[0]}
        elif cand.any():
            sub = np.moveaxis(U[i][idx], i, 0).reshape(m, -1)
            for s, t in zip(*np.nonzero(cand)):
                if s in out:
                    continue
                d = [x - y for x, y in zip(sub[t], sub[s])]
                if all(v >= 0 for v in d) and any(v > 0 for v in d):
                    out.add(int(s))
        res = frozenset(out)
        self._cache[key] = res
        return res

    def _dominated_exact_floats(self, i: int, others: tuple[tuple[int, ...], ...]) -> frozenset[int]:
        """:meth:`dominated` when every payoff is exactly its float (the comparisons are then
        exact), in plain Python: far cheaper than numpy on these few cells."""
        idxs = [0]
        for opts, stride in zip(others, self._strides[i]):
            idxs = [a + c * stride for a in idxs for c in opts]
        flat = self._flat[i]
        rows = [[row[k] for k in idxs] for row in flat]
        out = set()
        for s, rs in enumerate(rows):
            for t, rt in enumerate(rows):
                if t == s:
                    continue
                strict = False
                for a, b in zip(rt, rs):
                    if a < b:
                        break
                    if a > b:
                        strict = True
                else:
                    if strict:
                        out.add(s)
                        break
        return frozenset(out)

    def __call__(self, supports: Sequence[Sequence[int]]) -> bool:
        """Same answer as :func:`_conditionally_dominated` (``U`` exact, ``Uf`` its float copy)."""
        T = tuple(tuple(x) for x in supports)
        for i in range(self.n):
            dead = self.dominated(i, T[:i] + T[i + 1 :])
            if dead and any(s in dead for s in T[i]):
                return True
        return False


def support_profiles(alive: Sequence[Sequence[int]]) -> Iterator[tuple[tuple[int, ...], ...]]:
    """Every support profile over the ``alive`` strategies, ordered as in Porter, Nudelman &
    Shoham (2008): by total size, then by imbalance (max − min support size), then lexically."""
    per_player = [[c for k in range(1, len(a) + 1) for c in itertools.combinations(a, k)] for a in alive]
    profiles = list(itertools.product(*per_player))
    profiles.sort(
        key=lambda p: (
            sum(len(s) for s in p),
            max(len(s) for s in p) - min(len(s) for s in p),
            tuple(len(s) for s in p),
            p,
        )
    )
    return iter(profiles)


def count_supports(game: NormalFormGame) -> int:
    """Number of support profiles ``enumpoly`` examines before conditional pruning."""
    alive = iterated_dominance(game.as_exact().payoffs)
    return math.prod(2 ** len(a) - 1 for a in alive)
