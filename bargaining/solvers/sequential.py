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
from bargaining.solvers.sequential_assessment import MAX_COMBOS, Assessment, assess_profile, tree_tables

__all__ = ["sequential_enum", "assess_profile", "Assessment", "tree_tables", "MAX_COMBOS"]

F0, F1 = Fraction(0), Fraction(1)


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
