r"""Sequential equilibria of small game trees (method ``sequential-enum``).

An **assessment** :math:`(\sigma, \mu)` gives a behaviour profile and a belief :math:`\mu_h` over
the nodes of every information set :math:`h`. It is a **sequential equilibrium** (Kreps & Wilson
1982, *Econometrica* 50, 863-894) if

- :math:`\mu` is *consistent*: :math:`(\sigma, \mu) = \lim (\sigma^n, \mu^n)` with
  :math:`\sigma^n` fully mixed and :math:`\mu^n` its Bayes beliefs, and
- :math:`\sigma` is *sequentially rational*: at every :math:`h`, :math:`\sigma_h` maximises the
  mover's expected continuation payoff given :math:`\mu_h` and :math:`\sigma` elsewhere.

**Characterisation of consistency used here (ranked trembles).** The consistent assessments form
a semialgebraic set, so each is the limit along a polynomial curve
:math:`\sigma_\varepsilon(a) \propto \sigma(a) + c_a \varepsilon^{\kappa_a}` (curve selection
lemma; Kreps & Wilson 1982, §5; equivalently Kohlberg & Reny 1997's relative probabilities). For
a given support pattern, write :math:`g_x` for the set of off-support actions on the path to node
:math:`x` and :math:`\pi(x)` for the product of chance and on-support probabilities. Then
:math:`\mu` is consistent iff there are orders :math:`\kappa > 0` and log-weights :math:`\gamma`
such that at every set :math:`h` the belief is supported on
:math:`T_h = \arg\min_{x \in h} \kappa \cdot g_x` with
:math:`\mu_h(x) \propto \pi(x)\, e^{\gamma \cdot g_x}` there. This module enumerates, per
off-path set, the candidate supports :math:`T_h`; checks the orders by a linear programme
(:math:`\kappa\cdot(g_y - g_x) \ge 1` for :math:`y \notin T_h`, equalities inside); and handles
the weights exactly when the log-ratio map :math:`\gamma \mapsto ((g_x - g_{x_0})\cdot\gamma)_x`

- has full rank on every :math:`T_h` and the sets' maps are independent (the stacked rank is the
  sum): every belief in the relative interior of :math:`\Delta(T_h)` is consistent, independently
  across sets, so the belief set is a polytope (vertices exact);
- is zero on :math:`T_h`: the belief is pinned at :math:`\pi` restricted to :math:`T_h`.

Any other case (beliefs linked across sets, partial rank) is **skipped and reported**
(``complete=False``).

**What is enumerated.** (1) Every pure behaviour profile, with the exact set of sequentially
rational consistent beliefs at each information set (a polytope per set; an interval for
two-node sets). (2) Every profile that is pure except at *one* information set :math:`h`, which
mixes over a support :math:`S`: the continuation values, reach probabilities and hence every
optimality condition are then linear in :math:`\sigma_h` (each path crosses :math:`h` at most
once), so the set of such :math:`\sigma_h` is a polytope, reported with its exact vertices (e.g.
Selten's horse's component where player 3 plays L with probability in :math:`[0, 1/4]`).
Assessments where two or more information sets mix at once are **not searched**; the answer is
then ``complete=False`` unless the game has at most one information set with a choice. Off-path
sets whose optimality depends on the mixing set (a bilinear condition) are skipped and reported.

Each returned assessment carries ``beliefs`` at every set (a representative: the centroid of the
belief polytope), ``belief_sets`` (per set, the vertices of the beliefs that work with this
behaviour) and ``certificate`` (orders and weights of the tremble sequence whose Bayes beliefs
converge to the representative beliefs), for :mod:`bargaining.verify.sequential`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import SolverError
from bargaining.model.extensive import ExtensiveGame
from bargaining.model.profile import Equilibrium, Solution, sort_key_profile
from bargaining.solvers.budget import Deadline
from bargaining.solvers.polytope import relint_point, vertices

__all__ = ["sequential_enum", "assess_profile", "Assessment", "tree_tables"]

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


# --------------------------------------------------------------------------------------------
# families with one mixing information set
# --------------------------------------------------------------------------------------------
def _family(
    g: ExtensiveGame, base: list, k: int, S: tuple[int, ...], flags: set, deadline: Deadline | None
) -> Assessment | None:
    """Assessments pure as ``base`` except at set ``k``, which mixes with full support ``S``."""
    h = g.infosets[k]
    m = len(h.actions)
    pure = {}
    for a in S:
        flat = list(base)
        flat[k] = tuple(F1 if j == a else F0 for j in range(m))
        pure[a] = tree_tables(g, flat)
    unif = list(base)
    unif[k] = tuple(Fraction(1, len(S)) if j in S else F0 for j in range(m))
    reach_u = tree_tables(g, unif)[0]
    n = len(S)
    eqs = [([F1] * n, F1)]
    ineqs = [([F1 if j == t else F0 for j in range(n)], F0) for t in range(n)]
    bilinear = False
    for k2, h2 in enumerate(g.infosets):
        if k2 == k:
            continue
        b = next(a for a in range(len(h2.actions)) if base[k2][a] > 0)
        i = h2.player
        on_path = sum(reach_u[x] for x in h2.nodes) > 0
        for a2 in range(len(h2.actions)):
            if a2 == b:
                continue
            coeffs = []
            for a in S:
                reach, values, _, _ = pure[a]
                coeffs.append(
                    sum(
                        (
                            reach[x]
                            * (values[g.nodes[x].children[b]][i] - values[g.nodes[x].children[a2]][i])
                            for x in h2.nodes
                        ),
                        F0,
                    )
                )
            if on_path:
                ineqs.append((coeffs, F0))
            else:
                gaps = {
                    tuple(
                        pure[a][1][g.nodes[x].children[b]][i] - pure[a][1][g.nodes[x].children[a2]][i]
                        for x in h2.nodes
                    )
                    for a in S
                }
                bilinear = bilinear or len(gaps) > 1
    verts = vertices(n, eqs, ineqs)
    centre = relint_point(verts)
    if centre is None or min(centre) <= 0:
        return None
    flat = list(base)
    flat[k] = tuple(centre[S.index(j)] if j in S else F0 for j in range(m))
    local: set = set()
    found = assess_profile(g, flat, local, deadline=deadline)
    if found is None:
        return None
    if bilinear:
        # conditions at an off-path set depend on the mixing: keep only if every vertex passes too
        for v in verts:
            if min(v) <= 0:
                continue
            fv = list(base)
            fv[k] = tuple(v[S.index(j)] if j in S else F0 for j in range(m))
            if assess_profile(g, fv, local, deadline=deadline) is None:
                flags.add(
                    f"mixing at {h.label!r}: an off-path condition is bilinear; the family is reported at "
                    "its centre only"
                )
                verts = [centre]
                break
    flags.update(local)
    found.vertices = []
    for v in verts:
        fv = list(base)
        fv[k] = tuple(v[S.index(j)] if j in S else F0 for j in range(m))
        found.vertices.append(fv)
    found.mixing = h.label
    return found


# --------------------------------------------------------------------------------------------
# the method
# --------------------------------------------------------------------------------------------
def _per_player(g: ExtensiveGame, flat: Sequence[Any]) -> tuple:
    return tuple(tuple(flat[k] for k in ids) for ids in g.player_infosets)


def _record(g: ExtensiveGame, found: Assessment) -> Equilibrium:
    from bargaining.solvers.backward import path_label

    reach, values, _, _ = tree_tables(g, found.behavior)
    behavior = _per_player(g, found.behavior)
    outcomes = tuple(reach[t] for t in g.terminals)
    extra: dict[str, Any] = {
        "belief_sets": _per_player(g, [[list(v) for v in vs] for vs in found.belief_sets]),
        "certificate": {
            "kind": "ranked trembles: sigma_eps(a) ~ sigma(a) + weight * eps**order off the support",
            "orders": _per_player(g, found.certificate["orders"]),
            "weights": _per_player(g, found.certificate["weights"]),
        },
    }
    if found.vertices and len(found.vertices) > 1:
        arr = np.array([[float(p) for probs in v for p in probs] for v in found.vertices])
        dim = int(np.linalg.matrix_rank(arr[1:] - arr[0])) if len(arr) > 1 else 0
        extra["dimension"] = dim
        extra["vertices"] = [{"behavior": _per_player(g, v)} for v in found.vertices]
        extra["description"] = (
            f"a set of sequential equilibria: {found.mixing!r} mixes; every convex "
            f"combination of the {len(found.vertices)} listed behaviours is one"
        )
    elif found.mixing:
        extra["dimension"] = 0
    regret = F0  # optimality is imposed exactly; the independent check is bargaining.verify.sequential
    return Equilibrium(
        payoffs=values[0],
        regret=regret,
        behavior=behavior,
        beliefs=_per_player(g, found.beliefs),
        outcomes=outcomes,
        label=path_label(g, behavior, outcomes),
        extra=extra,
    )


def sequential_enum(
    game: ExtensiveGame,
    *,
    deadline: Deadline = Deadline.NONE,
    exact: bool = False,
    max_profiles: int = 50_000,
    mixed: bool = True,
) -> Solution:
    """Sequential equilibria of a small tree: all pure assessments and all families with one mixing
    information set, with exact belief sets and tremble certificates (see the module docstring)."""
    if getattr(game, "kind", None) != "tree":
        raise SolverError("method 'sequential-enum' solves game trees")
    game.require_perfect_recall("sequential-enum")
    g = game.as_exact()
    sizes = [len(h.actions) for h in g.infosets]
    total = math.prod(sizes)
    if total > max_profiles:
        raise SolverError(
            f"sequential-enum: {total} pure behaviour profiles exceed max_profiles={max_profiles}; "
            "raise it with care (the work grows with the product of the action counts)"
        )
    flags: set = set()
    found: list[Assessment] = []
    timed_out = False
    for choice in itertools.product(*(range(m) for m in sizes)):
        if deadline.expired():
            timed_out = True
            break
        flat = [tuple(F1 if j == a else F0 for j in range(m)) for a, m in zip(choice, sizes)]
        res = assess_profile(g, flat, flags, deadline=deadline)
        if res is not None:
            found.append(res)
    choosers = [k for k, m in enumerate(sizes) if m > 1]
    if mixed and not timed_out:
        for k in choosers:
            for size in range(2, sizes[k] + 1):
                for S in itertools.combinations(range(sizes[k]), size):
                    others = [range(m) if j != k else range(1) for j, m in enumerate(sizes)]
                    for choice in itertools.product(*others):
                        if deadline.expired():
                            timed_out = True
                            break
                        base = [tuple(F1 if j == a else F0 for j in range(m)) for a, m in zip(choice, sizes)]
                        res = _family(g, base, k, S, flags, deadline)
                        if res is not None:
                            found.append(res)
    eqs = [_record(g, f) for f in found]
    eqs.sort(key=lambda e: sort_key_profile([p for per in e.behavior_profile for p in per]))
    notes = sorted(flags)
    if timed_out:
        notes.insert(0, deadline.message())
    if len(choosers) > 1:
        notes.append("assessments in which two or more information sets mix at once are not searched")
    complete = not notes
    return Solution(
        game=game,
        concept="sequential",
        method="sequential-enum",
        equilibria=tuple(eqs),
        complete=complete,
        exact=True,
        options={"max_profiles": max_profiles, "mixed": mixed},
        message="; ".join(notes) or None,
    )


def _register() -> None:
    from bargaining.solvers.registry import Method, register

    register(
        Method(
            name="sequential-enum",
            kinds=("tree",),
            concept="sequential",
            function=sequential_enum,
            summary="sequential equilibria of small trees: all pure assessments and one-set mixing families, "
            "exact belief sets and tremble certificates",
            options={
                "max_profiles": "largest number of pure profiles searched (default 50,000)",
                "mixed": "also search families in which one information set mixes (default true)",
            },
        )
    )


_register()
