r"""Trembling-hand perfect equilibria of small trees and proper equilibria of small normal-form games.

**Extensive-form perfection** (Selten 1975, *IJGT* 4, 25-55): a behaviour profile :math:`\sigma` is
perfect iff it is the limit of fully mixed profiles :math:`\sigma^n` such that at every information
set :math:`\sigma_h` is a best reply *in the agent normal form* to :math:`\sigma^n` (each
information set is a separate agent; its payoff is the mover's expected payoff, so later trembles
count too). :func:`perfect_certificate` tests a **pure** profile against polynomial trembles
:math:`\sigma_\varepsilon(a) = c_a \varepsilon^{\kappa_a}` off the chosen action (the chosen one
gets the rest): every agent's payoff difference is then a polynomial in :math:`\varepsilon`, and
:math:`\sigma` is a best reply for all small :math:`\varepsilon` iff every difference is zero or
has a positive lowest-order coefficient (exact arithmetic). Orders tried: the sequential
certificate's, then all of :math:`\{1, 2\}^m` (:math:`m \le 10` unused actions) and
:math:`\{1,2,3\}^m` (:math:`m \le 6`), weights 1. A success **proves** perfection; a pure
profile that is not sequential is **not** perfect (every perfect equilibrium is sequential, Kreps
& Wilson 1982, Prop. 6); anything else is reported undecided (``None``). Mixed families from
:mod:`bargaining.solvers.sequential` are reported undecided.

**Proper equilibria** (Myerson 1978, *IJGT* 7, 73-80): :math:`\sigma` is proper iff it is a limit
of :math:`\varepsilon`-proper profiles (fully mixed, and a strategy worse than another against
the others' profile has at most :math:`\varepsilon` times its probability). :func:`proper_certificate`
tries trembles :math:`\sigma_\varepsilon(s) = \sigma(s)` on the support and
:math:`m\,\varepsilon^{\ell(s)}` off it (:math:`m` the smallest support probability), over all
rankings :math:`\ell` of the unused strategies into levels: payoffs are then polynomials, compared
lexicographically; the profile is certified when support strategies tie identically and every
strictly better strategy sits on a strictly lower level. Success proves properness; failure means
no such ranking works (reported as not certified, not as a proof).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from bargaining.model.extensive import ExtensiveGame
from bargaining.model.profile import Solution
from bargaining.solvers.budget import Deadline

__all__ = [
    "perfect_certificate",
    "perfect_enum",
    "proper_certificate",
    "proper_enum",
    "recommended_tree_method",
]

F0, F1 = Fraction(0), Fraction(1)
Poly = dict  # exponent -> Fraction


def _padd(a: Poly, b: Poly, s: Fraction = F1) -> Poly:
    out = dict(a)
    for e, c in b.items():
        out[e] = out.get(e, F0) + s * c
        if out[e] == 0:
            del out[e]
    return out


def _pmul(a: Poly, b: Poly) -> Poly:
    out: Poly = {}
    for e1, c1 in a.items():
        for e2, c2 in b.items():
            e = e1 + e2
            out[e] = out.get(e, F0) + c1 * c2
    return {e: c for e, c in out.items() if c != 0}


def _sign(a: Poly) -> int:
    if not a:
        return 0
    return 1 if a[min(a)] > 0 else -1


# --------------------------------------------------------------------------------------------
# extensive-form perfection
# --------------------------------------------------------------------------------------------
def _check_orders(g: ExtensiveGame, choice: Sequence[int], kappa: dict, weight: dict) -> bool:
    prob: list[list[Poly]] = []
    for k, h in enumerate(g.infosets):
        row: list[Poly] = []
        rest: Poly = {0: F1}
        for a in range(len(h.actions)):
            if a == choice[k]:
                row.append({})  # the chosen action: 1 minus the trembles, set below
            else:
                p = {kappa[(k, a)]: weight.get((k, a), F1)}
                rest = _padd(rest, p, -F1)
                row.append(p)
        row[choice[k]] = rest
        prob.append(row)
    n = len(g.nodes)
    reach: list[Poly] = [{}] * n
    reach[0] = {0: F1}
    for node in g.nodes:
        for a, c in enumerate(node.children):
            p = {0: node.chance_probs[a]} if node.kind == "chance" else prob[node.infoset][a]
            reach[c] = _pmul(reach[node.index], p)
    values: list[Any] = [None] * n
    for node in reversed(g.nodes):
        if node.kind == "terminal":
            values[node.index] = [{0: x} if x else {} for x in node.terminal_payoffs]
            continue
        acc: list[Poly] = [{} for _ in g.players]
        for a, c in enumerate(node.children):
            p = {0: node.chance_probs[a]} if node.kind == "chance" else prob[node.infoset][a]
            for i in range(g.num_players):
                acc[i] = _padd(acc[i], _pmul(p, values[c][i]))
        values[node.index] = acc
    for k, h in enumerate(g.infosets):
        i = h.player
        for a in range(len(h.actions)):
            if a == choice[k]:
                continue
            diff: Poly = {}
            for x in h.nodes:
                kids = g.nodes[x].children
                d = _padd(values[kids[choice[k]]][i], values[kids[a]][i], -F1)
                diff = _padd(diff, _pmul(reach[x], d))
            if _sign(diff) < 0:
                return False
    return True


def perfect_certificate(
    game: ExtensiveGame, choice: Sequence[int], hint: dict | None = None, deadline: Deadline | None = None
) -> dict | None:
    """Orders (and weights) of trembles against which the pure profile ``choice`` (an action index
    per global information set) is a best reply at every agent, or ``None`` if none was found."""
    g = game.as_exact()
    off = [(k, a) for k, h in enumerate(g.infosets) for a in range(len(h.actions)) if a != choice[k]]
    tries: list[tuple[dict, dict]] = []
    if hint is not None:
        tries.append(hint_orders(hint, off))
    m = len(off)
    levels: list[tuple[int, ...]] = [(1, 2)] if m <= 10 else []
    if m <= 6:
        levels.append((1, 2, 3))
    for lv in levels:
        for combo in itertools.product(lv, repeat=m):
            tries.append((dict(zip(off, combo)), {}))
    for kappa, weight in tries:
        if deadline is not None and deadline.expired():
            return None
        if _check_orders(g, choice, kappa, weight):
            return {"orders": kappa, "weights": weight}
    return None


def hint_orders(hint: dict, off: list) -> tuple[dict, dict]:
    """Integer orders and rational weights from a sequential certificate (per global set)."""
    orders, weights = hint["orders"], hint["weights"]
    dens = [Fraction(orders[k][a]).denominator for k, a in off]
    scale = math.lcm(*dens) if dens else 1
    kappa = {(k, a): int(Fraction(orders[k][a]) * scale) for k, a in off}
    weight = {(k, a): Fraction(weights[k][a]).limit_denominator(10**6) for k, a in off}
    return kappa, weight


def perfect_enum(
    game: ExtensiveGame,
    *,
    deadline: Deadline = Deadline.NONE,
    exact: bool = False,
    max_profiles: int = 50_000,
) -> Solution:
    """Extensive-form trembling-hand perfect equilibria among the pure sequential assessments of a
    small tree, each with its tremble certificate (see the module docstring)."""
    from bargaining.solvers.sequential import sequential_enum

    seq = sequential_enum(game, deadline=deadline, max_profiles=max_profiles, mixed=True)
    g = game.as_exact()
    kept, undecided = [], 0
    for eq in seq.equilibria:
        flat = [probs for per in eq.behavior_profile for probs in per]
        order = [k for ids in g.player_infosets for k in ids]
        by_set = dict(zip(order, flat))
        if any(sum(1 for p in by_set[k] if p) != 1 for k in by_set):
            undecided += 1
            continue
        choice = [next(a for a, p in enumerate(by_set[k]) if p) for k in range(len(g.infosets))]
        cert = eq.extra["certificate"]
        hint = {"orders": [None] * len(g.infosets), "weights": [None] * len(g.infosets)}
        for ids, o, w in zip(g.player_infosets, cert["orders"], cert["weights"]):
            for k, oo, ww in zip(ids, o, w):
                hint["orders"][k], hint["weights"][k] = oo, ww
        found = perfect_certificate(g, choice, hint, deadline)
        if found is None:
            undecided += 1
            continue
        orders = tuple(
            tuple(
                tuple(found["orders"].get((k, a), 0) for a in range(len(g.infosets[k].actions))) for k in ids
            )
            for ids in g.player_infosets
        )
        weights = tuple(
            tuple(
                tuple(
                    found["weights"].get((k, a), F1) if a != choice[k] else F1
                    for a in range(len(g.infosets[k].actions))
                )
                for k in ids
            )
            for ids in g.player_infosets
        )
        kept.append(eq.with_extra(perfect_certificate={"orders": orders, "weights": weights}))
    notes = [seq.message] if seq.message else []
    if undecided:
        notes.append(
            f"{undecided} sequential assessment(s) (mixed ones included) not decided: no tremble "
            "certificate found among those tried"
        )
    return Solution(
        game=game,
        concept="trembling-hand-perfect",
        method="perfect-enum",
        equilibria=tuple(kept),
        complete=seq.complete and not undecided,
        exact=True,
        options={"max_profiles": max_profiles},
        message="; ".join(notes) or None,
    )


# --------------------------------------------------------------------------------------------
# proper equilibria of normal-form games
# --------------------------------------------------------------------------------------------
def _weak_orders(items: list[int]):
    """All ordered partitions of ``items`` into levels 1, 2, ... (as dicts item -> level)."""
    n = len(items)
    if n == 0:
        yield {}
        return
    for levels in itertools.product(range(1, n + 1), repeat=n):
        used = sorted(set(levels))
        if used != list(range(1, len(used) + 1)):
            continue
        yield dict(zip(items, levels))


def proper_certificate(game: Any, profile: Sequence[Sequence[Any]], max_tries: int = 50_000) -> dict | None:
    """Levels of trembles that make ``profile`` (per player, per strategy) a limit of
    ε-proper profiles, or ``None`` if no ranking works (see the module docstring)."""
    pay = game.payoffs
    n = pay.shape[0]
    shape = pay.shape[1:]
    prof = [
        [Fraction(p) if not isinstance(p, float) else Fraction(p).limit_denominator(10**9) for p in probs]
        for probs in profile
    ]
    supports = [[s for s, p in enumerate(probs) if p > 0] for probs in prof]
    rest = [[s for s, p in enumerate(probs) if p == 0] for probs in prof]
    per_player = [list(_weak_orders(r)) for r in rest]
    count = 0
    for ranks in itertools.product(*per_player):
        count += 1
        if count > max_tries:
            return None
        trem = []
        for i in range(n):
            m = min(prof[i][s] for s in supports[i])
            trem.append([{0: prof[i][s]} if prof[i][s] > 0 else {ranks[i][s]: m} for s in range(shape[i])])
        ok = True
        for i in range(n):
            polys = []
            for s in range(shape[i]):
                total: Poly = {}
                others = [range(shape[j]) for j in range(n) if j != i]
                for rest_prof in itertools.product(*others):
                    full = list(rest_prof)
                    full.insert(i, s)
                    u = pay[(i, *full)]
                    if u == 0:
                        continue
                    term: Poly = {0: Fraction(u) if not isinstance(u, float) else Fraction(u)}
                    for j in range(n):
                        if j != i:
                            term = _pmul(term, trem[j][full[j]])
                    total = _padd(total, term)
                polys.append(total)
            level = [0 if prof[i][s] > 0 else ranks[i][s] for s in range(shape[i])]
            for s in range(shape[i]):
                for t in range(shape[i]):
                    if s != t and _sign(_padd(polys[t], polys[s], -F1)) > 0 and level[s] <= level[t]:
                        ok = False
                        break
                if not ok:
                    break
            if not ok:
                break
        if ok:
            return {
                "levels": [[0 if prof[i][s] > 0 else ranks[i][s] for s in range(shape[i])] for i in range(n)]
            }
    return None


def proper_enum(game: Any, *, deadline: Deadline = Deadline.NONE, exact: bool = False) -> Solution:
    """The proper equilibria among the extreme Nash equilibria of a small normal-form game, each with
    its tremble levels. ``complete=False``: proper points inside a Nash component that are not
    extreme, and equilibria with no ranked certificate, are not listed."""
    from bargaining.solvers.bimatrix import enummixed
    from bargaining.solvers.enumpoly import enumpoly

    solver = enummixed if game.num_players == 2 else enumpoly
    nash = solver(game, deadline=deadline, exact=True)
    kept = []
    for eq in nash.equilibria:
        cert = proper_certificate(game, eq.mixed_profile)
        if cert is not None:
            kept.append(eq.with_extra(proper_certificate=cert))
    return Solution(
        game=game,
        concept="proper",
        method="proper-enum",
        equilibria=tuple(kept),
        complete=False,
        exact=True,
        options={},
        message="extreme Nash equilibria certified proper by ranked trembles; others not certified",
    )


# --------------------------------------------------------------------------------------------
# choice of method and registration
# --------------------------------------------------------------------------------------------
def recommended_tree_method(game: ExtensiveGame, concept: str, max_profiles: int = 50_000) -> str:
    """``reputation`` for the kreps-wilson tree; ``sequential-enum``/``perfect-enum`` for small trees;
    for sequential equilibria of trees with more than ``max_profiles`` pure behaviour profiles (the
    limit of ``sequential-enum``), ``agent-qre`` (one equilibrium, the agent logit QRE limit)."""
    from bargaining.solvers.reputation import is_reputation_chain

    if concept == "trembling-hand-perfect":
        return "perfect-enum"
    if is_reputation_chain(game):
        return "reputation"
    if math.prod(len(h.actions) for h in game.infosets) > max_profiles:
        return "agent-qre"
    return "sequential-enum"


def _register() -> None:
    from bargaining.solvers.registry import Method, register

    register(
        Method(
            name="perfect-enum",
            kinds=("tree",),
            concept="trembling-hand-perfect",
            function=perfect_enum,
            summary="pure extensive-form perfect equilibria of small trees, with tremble certificates",
            options={"max_profiles": "largest number of pure profiles searched (default 50,000)"},
        )
    )
    register(
        Method(
            name="proper-enum",
            kinds=("normal",),
            concept="proper",
            function=proper_enum,
            summary="proper equilibria (Myerson) among the extreme Nash equilibria of small games",
        )
    )


_register()
