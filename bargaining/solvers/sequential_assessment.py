r"""The assessment of one support pattern of a game tree for :mod:`bargaining.solvers.sequential`
(math and sources there: Kreps and Wilson 1982): the tree's tables (:func:`tree_tables`), the
consistent beliefs that ranked trembles give, and the sequential-rationality check of a profile
(:func:`assess_profile`, which returns an :class:`Assessment`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.model.extensive import ExtensiveGame
from bargaining.solvers.budget import Deadline
from bargaining.solvers.polytope import relint_point, vertices

__all__ = ["Assessment", "MAX_COMBOS", "assess_profile", "tree_tables"]


F0, F1 = Fraction(0), Fraction(1)
MAX_COMBOS = 4096


class Assessment:
    """A sequential assessment found by the enumeration (one point or a polytope of behaviour)."""

    def __init__(
        self,
        behavior: list,
        beliefs: list,
        belief_sets: list,
        certificate: dict,
        vertices_: list | None = None,
        mixing: str | None = None,
    ):
        self.behavior = behavior  # per global infoset: tuple of Fractions
        self.beliefs = beliefs  # per global infoset: tuple of Fractions
        self.belief_sets = belief_sets  # per global infoset: list of vertex beliefs
        self.certificate = certificate  # {"orders": per global infoset, "weights": per global infoset}
        self.vertices = vertices_ or []  # behaviour vertices of a family (per global infoset)
        self.mixing = mixing


# --------------------------------------------------------------------------------------------
# tables of one profile
# --------------------------------------------------------------------------------------------
def tree_tables(g: ExtensiveGame, flat: Sequence[Sequence[Fraction]]) -> tuple[list, list, list, list]:
    """Reach probability, continuation values, off-support actions on the path (a frozenset of
    ``(infoset, action)``) and the on-support coefficient :math:`\\pi` of every node."""
    n = len(g.nodes)
    reach: list[Any] = [F0] * n
    off: list[frozenset] = [frozenset()] * n
    pi: list[Any] = [F0] * n
    reach[0], pi[0] = F1, F1
    for node in g.nodes:
        if node.kind == "terminal":
            continue
        v = node.index
        for a, c in enumerate(node.children):
            if node.kind == "chance":
                p = node.chance_probs[a]
                reach[c], pi[c], off[c] = reach[v] * p, pi[v] * p, off[v]
            else:
                p = flat[node.infoset][a]
                reach[c] = reach[v] * p
                if p > 0:
                    pi[c], off[c] = pi[v] * p, off[v]
                else:
                    pi[c], off[c] = pi[v], off[v] | {(node.infoset, a)}
    values: list[Any] = [()] * n
    for node in reversed(g.nodes):
        if node.kind == "terminal":
            values[node.index] = node.terminal_payoffs
            continue
        probs = node.chance_probs if node.kind == "chance" else flat[node.infoset]
        acc = [F0] * g.num_players
        for p, c in zip(probs, node.children):
            if p:
                for i in range(g.num_players):
                    acc[i] += p * values[c][i]
        values[node.index] = tuple(acc)
    return reach, values, off, pi


def _gaps(g: ExtensiveGame, values: list, k: int, chosen: Sequence[int]) -> list[list[Fraction]]:
    """Rows ``D[x][a'] = V(x s) - V(x a')`` for the mover at set ``k`` (``s`` = first of ``chosen``,
    other chosen actions give equality rows)."""
    h = g.infosets[k]
    i = h.player
    s = chosen[0]
    return [
        [values[g.nodes[x].children[s]][i] - values[g.nodes[x].children[a]][i] for a in range(len(h.actions))]
        for x in h.nodes
    ]


def _belief_options(
    g: ExtensiveGame, k: int, D: list[list[Fraction]], chosen: Sequence[int], off: list, pi: list, flags: set
) -> list[tuple]:
    """Candidate belief supports ``T`` at off-path set ``k`` with the sequentially rational beliefs
    on them: ``(T, kind, verts, G)`` with kind ``free`` (relative interior of a polytope) or
    ``fixed``."""
    h = g.infosets[k]
    nodes = h.nodes
    m = len(nodes)
    out = []
    for size in range(1, m + 1):
        for T in itertools.combinations(range(m), size):
            x0 = T[0]
            keys = sorted(set().union(*(off[nodes[t]] for t in T)))
            G = [
                [(1 if key in off[nodes[t]] else 0) - (1 if key in off[nodes[x0]] else 0) for key in keys]
                for t in T[1:]
            ]
            rank = int(np.linalg.matrix_rank(np.array(G, dtype=float))) if G and keys else 0
            eqs = [([F1] * size, F1)]
            ineqs = []
            for a in range(len(h.actions)):
                row = [D[t][a] for t in T]
                if a in chosen:
                    eqs.append((row, F0))
                else:
                    ineqs.append((row, F0))
            if rank == size - 1:
                ineqs += [([F1 if j == t else F0 for j in range(size)], F0) for t in range(size)]
                verts = vertices(size, eqs, ineqs)
                c = relint_point(verts)
                if c is None or min(c) <= 0:
                    continue
                out.append((T, "free", verts, G, keys))
            elif rank == 0:
                total = sum(pi[nodes[t]] for t in T)
                mu = tuple(pi[nodes[t]] / total for t in T)
                ok = all(sum(r[j] * mu[j] for j in range(size)) == rhs for r, rhs in eqs[1:]) and all(
                    sum(r[j] * mu[j] for j in range(size)) >= 0 for r, _ in ineqs
                )
                if ok:
                    out.append((T, "fixed", [mu], G, keys))
            else:
                flags.add(f"beliefs at {h.label!r} are partly linked by the trembles (skipped)")
    return out


def _orders_lp(g: ExtensiveGame, combo: list[tuple[int, tuple]], off: list, offkeys: list) -> dict | None:
    """Tremble orders ``kappa >= 1`` with ``argmin kappa.g_x = T_h`` at each listed set, or None."""
    from scipy.optimize import linprog

    if not offkeys:
        return {}
    idx = {key: j for j, key in enumerate(offkeys)}
    A_ub, b_ub, A_eq, b_eq = [], [], [], []

    def vec(x: int) -> np.ndarray:
        v = np.zeros(len(offkeys))
        for key in off[x]:
            v[idx[key]] += 1
        return v

    for k, T in combo:
        nodes = g.infosets[k].nodes
        base = vec(nodes[T[0]])
        for t in range(len(nodes)):
            d = vec(nodes[t]) - base
            if t in T:
                if t != T[0]:
                    A_eq.append(d)
                    b_eq.append(0.0)
            else:
                A_ub.append(-d)
                b_ub.append(-1.0)
    res = linprog(
        np.ones(len(offkeys)),
        A_ub=np.array(A_ub) if A_ub else None,
        b_ub=b_ub or None,
        A_eq=np.array(A_eq) if A_eq else None,
        b_eq=b_eq or None,
        bounds=[(1, None)] * len(offkeys),
        method="highs",
    )
    if res.status != 0:
        return None
    kappa = {key: Fraction(float(v)).limit_denominator(1000) for key, v in zip(offkeys, res.x)}
    for k, T in combo:  # exact re-check (integer data; HiGHS returns a vertex, so this holds)
        nodes = g.infosets[k].nodes
        K = [sum((kappa[key] for key in off[x]), F0) for x in nodes]
        low = K[T[0]]
        if any((K[t] != low) if t in T else (K[t] <= low) for t in range(len(nodes))):
            return None
    return kappa


def _weights(beliefs_by_set: dict[int, tuple], g: ExtensiveGame, combo: list, off: list, pi: list) -> dict:
    """Log-weights ``gamma`` so that ``pi(x) e^{gamma.g_x}`` is proportional to the chosen belief on
    each ``T_h`` (least squares in logs: exact solvability is what the rank test ensures)."""
    keys = sorted({key for k, T in combo for t in T for key in off[g.infosets[k].nodes[t]]})
    if not keys:
        return {}
    idx = {key: j for j, key in enumerate(keys)}
    rows, rhs = [], []
    for k, T in combo:
        nodes = g.infosets[k].nodes
        mu = beliefs_by_set[k]
        x0 = nodes[T[0]]
        for t in T[1:]:
            x = nodes[t]
            r = np.zeros(len(keys))
            for key in off[x]:
                r[idx[key]] += 1
            for key in off[x0]:
                r[idx[key]] -= 1
            if not r.any():
                continue
            rows.append(r)
            rhs.append(math.log(mu[t] / pi[x]) - math.log(mu[T[0]] / pi[x0]))
    if not rows:
        return {}
    gamma = np.linalg.lstsq(np.array(rows), np.array(rhs), rcond=None)[0]
    return {key: float(math.exp(gv)) for key, gv in zip(keys, gamma)}


# --------------------------------------------------------------------------------------------
# one support pattern
# --------------------------------------------------------------------------------------------
def assess_profile(
    g: ExtensiveGame,
    flat: list[tuple[Fraction, ...]],
    flags: set,
    exempt: int | None = None,
    deadline: Deadline | None = None,
) -> Assessment | None:
    """The sequential assessments with behaviour ``flat`` (exact, per global information set):
    ``None`` if there is none, else one with the belief polytopes. ``exempt`` names a set whose
    optimality the caller has already imposed (the mixing set of a family)."""
    reach, values, off, pi = tree_tables(g, flat)
    beliefs: dict[int, tuple] = {}
    options: dict[int, list] = {}
    for k, h in enumerate(g.infosets):
        chosen = [a for a in range(len(h.actions)) if flat[k][a] > 0]
        D = _gaps(g, values, k, chosen)
        total = sum(reach[x] for x in h.nodes)
        if total > 0:
            mu = tuple(reach[x] / total for x in h.nodes)
            if k != exempt:
                for a in range(len(h.actions)):
                    s = sum(m * D[t][a] for t, m in enumerate(mu))
                    if s < 0 or (a in chosen and s != 0):
                        return None
            beliefs[k] = mu
        else:
            opts = _belief_options(g, k, D, chosen if k != exempt else chosen, off, pi, flags)
            if not opts:
                return None
            options[k] = opts
    # joint: orders and independence of the weights, first feasible combination as representative
    offkeys = sorted(
        {(k, a) for k, h in enumerate(g.infosets) for a in range(len(h.actions)) if flat[k][a] == 0}
    )
    sets = sorted(options)
    feasible_sets: dict[int, list] = {k: [] for k in sets}
    rep = None
    count = 0
    for pick in itertools.product(*(range(len(options[k])) for k in sets)):
        count += 1
        if count > MAX_COMBOS or (deadline is not None and deadline.expired()):
            flags.add("too many belief-support combinations; belief sets may be incomplete")
            break
        combo = [(k, options[k][j][0]) for k, j in zip(sets, pick)]
        Gs = [options[k][j][3] for k, j in zip(sets, pick) if options[k][j][1] == "free" and options[k][j][3]]
        if len(Gs) > 1:
            allkeys = sorted({key for k, j in zip(sets, pick) for key in options[k][j][4]})
            big = []
            for k, j in zip(sets, pick):
                opt = options[k][j]
                if opt[1] != "free" or not opt[3]:
                    continue
                pos = {key: allkeys.index(key) for key in opt[4]}
                for row in opt[3]:
                    r = [0] * len(allkeys)
                    for key, val in zip(opt[4], row):
                        r[pos[key]] = val
                    big.append(r)
            if np.linalg.matrix_rank(np.array(big, dtype=float)) < sum(len(G) for G in Gs):
                flags.add("beliefs linked across information sets by common trembles (skipped)")
                continue
        combo_orders = _orders_lp(g, combo, off, offkeys)
        if combo_orders is None:
            continue
        for k, j in zip(sets, pick):
            if j not in feasible_sets[k]:
                feasible_sets[k].append(j)
        if rep is None:
            rep = (combo, pick, combo_orders)
    if sets and rep is None:
        return None
    belief_sets: list = [None] * len(g.infosets)
    for k in range(len(g.infosets)):
        if k in beliefs:
            belief_sets[k] = [beliefs[k]]
    for k in sets:
        m = len(g.infosets[k].nodes)
        verts = []
        for j in feasible_sets[k]:
            T, _, vs, _, _ = options[k][j]
            for v in vs:
                full = [F0] * m
                for t, val in zip(T, v):
                    full[t] = val
                if tuple(full) not in verts:
                    verts.append(tuple(full))
        belief_sets[k] = sorted(verts)
    weights: dict = {}
    kappa: dict = {}
    if rep is not None:
        combo, pick, kappa = rep
        for (k, T), j in zip(combo, pick):
            vs = options[k][j][2]
            c = relint_point(vs) if options[k][j][1] == "free" else vs[0]
            assert c is not None  # the belief polytope of a feasible option has vertices
            full = [F0] * len(g.infosets[k].nodes)
            for t, val in zip(T, c):
                full[t] = val
            beliefs[k] = tuple(full)
        weights = _weights({k: beliefs[k] for k in sets}, g, combo, off, pi)
    orders = [
        [(kappa.get((k, a), F1) if flat[k][a] == 0 else 0) for a in range(len(h.actions))]
        for k, h in enumerate(g.infosets)
    ]
    wts = [
        [(weights.get((k, a), 1) if flat[k][a] == 0 else 1) for a in range(len(h.actions))]
        for k, h in enumerate(g.infosets)
    ]
    return Assessment(
        list(flat),
        [beliefs[k] for k in range(len(g.infosets))],
        belief_sets,
        {"orders": orders, "weights": wts},
    )
