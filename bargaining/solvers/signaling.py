"""All perfect Bayesian equilibria (PBE) of a finite signaling game, with off-path beliefs.

**Concept** (Fudenberg and Tirole 1991, *Game Theory*, §8.2; Gibbons 1992, §4.2). An assessment
is a sender strategy ``σ_t ∈ Δ(M)`` per type, a receiver strategy ``ρ_m ∈ Δ(R)`` per message and
beliefs ``μ_m ∈ Δ(T)`` per message. It is a PBE when

1. every type best responds: ``supp σ_t ⊆ argmax_m V_t(m)``, ``V_t(m) = Σ_r ρ_m(r) U_S(t, m, r)``;
2. the receiver best responds to its belief after every message, on and off the path:
   ``supp ρ_m ⊆ argmax_r Σ_t μ_m(t) U_R(t, m, r)``;
3. beliefs follow Bayes' rule on the path: ``μ_m(t) = π_t σ_t(m) / Σ_s π_s σ_s(m)`` whenever the
   denominator is positive; off the path any belief is allowed.

**Types with prior 0** (the limit case of the definition above; Fudenberg and Tirole 1991, §8.2,
require condition 1 of *every* type). A zero-prior type still best responds, but Bayes' rule
uses only the positive-prior types: a message sent only by zero-prior types has ``P(m) = 0``, so
it is *off the path*. Off the path, beliefs are any belief over the positive-prior types: a
zero-prior type gets belief 0 after every message, as consistency requires (Kreps and Wilson 1982:
trembles are the players', nature's probabilities are fixed, so a node reached by a
zero-probability move of nature has belief 0 whenever its information set is reached by a node
of positive probability). At prior 0 or 1 the PBE therefore reproduce the complete-information
SPE on the path. After a message sent only by zero-prior types the receiver's response must be
a best response to such a belief, deter every type that does not send it, and give each
zero-prior type that sends it at least what that type gets from the messages on the path; its
sustaining set is reported like that of any off-path message, and that type's payoff is
``None`` where the set does not pin it down. Labels describe the whole sender strategy, the
zero-prior types' choices included. The refinements are applied to the positive-prior types
(beliefs cannot move to the others). A zero-prior type that is indifferent may randomise in any
way without changing anyone else's payoff or belief; only its pure choices are listed (the
mixtures lie between them).

Later stages (the sender moving again after the response, knowing its type) are solved first by
sequential rationality (backward induction, :meth:`SignalingGame.reduced`); at a tie that changes
the receiver's payoff every pure tie-break is solved and reported.

**Algorithm** (support enumeration for signaling games; the indifference method of Gibbons
1992 §4.2 and Osborne 2004 §10.8, made exhaustive). For each *pattern* — the support ``S_t`` of
every type's message choice and the support ``K_m`` of the receiver's response after every
message on the path — the PBE conditions split into two systems of linear (in)equalities:

- in ``σ`` only: simplex constraints and the receiver's indifference among ``K_m`` and weak
  preference over ``R \\ K_m``, multiplied through by ``P(m)`` (Bayes' rule makes them linear);
- in ``ρ`` only: each type's indifference among ``S_t`` and weak preference over the other
  messages on the path.

The solution set of a pattern is the product of the two polytopes; their vertices are computed
exactly (rational arithmetic). Off the path, the receiver's response ``ρ_m`` must *deter* every
type (``V_t(m) ≤ u*_t``) and be a best response to some belief; the whole set of sustaining
beliefs is the union, over the response supports ``K`` that contain a deterring mixture, of the
belief polytopes ``{μ : K ⊆ BR(μ)}``. For two types each is an interval of ``μ(t)``; in general
it is stated as linear inequalities.

Each returned entry is a PBE *family*: a sender strategy, the receiver's on-path strategy and,
per off-path message, the sustaining sets. A pattern whose polytope is not a point (non-generic
games, e.g. Spence on a grid) is listed by its extreme points that keep the pattern's messages on
the path; they share a ``family`` id, and every point between them (with the pattern's supports)
is a PBE as well. Extreme points at which a message leaves the path are listed with their own,
purer pattern.

The intuitive criterion and D1 are in :mod:`bargaining.solvers.refine`; the certificate is
:func:`bargaining.verify.signaling.assessment_regret` (run by the dispatcher), which recomputes everything from the game's own tree.

Scope: when a zero-prior type sends an off-path message while another message is off the path
too (three or more messages), the deterrence constraints couple the off-path responses; such
patterns are skipped and the solution says it may be incomplete. When the receiver's on-path mixture is not pinned down *and* messages are off the path, the
extreme points are checked for off-path deterrence one by one; the solution then says that it may
be incomplete.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from bargaining.errors import SolverError
from bargaining.model.profile import Equilibrium, Solution
from bargaining.model.signaling import ChanceNode, SignalingGame, Terminal
from bargaining.numeric import to_fraction
from bargaining.solvers.beliefs import BeliefCache, belief_polytope, nonempty_subsets
from bargaining.solvers.budget import Deadline
from bargaining.solvers.polytope import relint_point, vertices
from bargaining.solvers.registry import Method, register

__all__ = ["pbe", "enumerate_pbe", "RawPBE", "OffPath", "belief_polytope", "label_of", "outcome_distribution"]

F0 = Fraction(0)
F1 = Fraction(1)


# --------------------------------------------------------------------------- results
@dataclass
class OffPath:
    """The sustaining set after an off-path message ``m`` (given the equilibrium payoffs)."""

    message: int
    pieces: list[dict]  # each: {"responses": K, "belief_vertices": [...], "response_vertices": [...]}
    belief_bounds: list[tuple[Fraction, Fraction]]  # per type: [min, max] over the union
    response_bounds: list[tuple[Fraction, Fraction]]  # per response: [min, max] over deterring BRs
    connected: bool = True


@dataclass
class RawPBE:
    sigma: list[list[Fraction]]  # [t][m]
    rho: list[list[Fraction] | None]  # [m][r]; None off the path
    beliefs: list[list[Fraction] | None]  # [m][t]; None off the path
    type_payoffs: list[Fraction]
    receiver_payoff: Fraction
    offpath: list[OffPath]
    family: int = 0
    plans: dict = field(default_factory=dict)
    reduced: int = 0  # index of the reduced game (tie-break combination)
    unpinned: tuple[int, ...] = ()  # zero-prior types whose payoff depends on an off-path response


def _value(US, t: int, m: int, rho_m: Sequence[Fraction]) -> Fraction:
    return sum((p * US[t][m][r] for r, p in enumerate(rho_m)), F0)


def offpath_sets(US, UR, m: int, u_star: Sequence[Fraction], cache: BeliefCache,
                 attract: dict[int, Fraction] | None = None) -> OffPath | None:
    """Sustaining beliefs and deterring responses after off-path message ``m``; ``None`` if no
    belief sustains the equilibrium (some type would deviate to ``m`` whatever the receiver
    believes). ``attract``: zero-prior types that send ``m`` themselves, each with the payoff
    ``w_t`` that ``m`` must at least give it (instead of being deterred, ``V_t(m) ≤ u*_t``)."""
    attract = attract or {}
    nT, nR = cache.nT, cache.nR
    pieces = []
    for K in cache.realizable(m):
        # deterring mixtures on K: ρ ∈ Δ(K), Σ_r ρ_r U_S(t,m,r) ≤ u*_t for every type
        eqs = [([F1 if r in K else F0 for r in range(nR)], F1)] + [
            ([F1 if s == r else F0 for s in range(nR)], F0) for r in range(nR) if r not in K
        ]
        ineqs = [([F1 if s == r else F0 for s in range(nR)], F0) for r in K]
        ineqs += [([-US[t][m][r] for r in range(nR)], -u_star[t]) for t in range(nT) if t not in attract]
        ineqs += [([US[t][m][r] for r in range(nR)], w) for t, w in attract.items()]
        rv = vertices(nR, eqs, ineqs)
        if rv:
            pieces.append({"responses": K, "belief_vertices": cache.verts(m, K, cache.full), "response_vertices": rv})
    if not pieces:
        return None
    # keep only maximal-by-inclusion belief sets' information; bounds over the union
    bv = [v for p in pieces for v in p["belief_vertices"]]
    belief_bounds = [(min(v[t] for v in bv), max(v[t] for v in bv)) for t in range(nT)]
    rv = [v for p in pieces for v in p["response_vertices"]]
    response_bounds = [(min(v[r] for v in rv), max(v[r] for v in rv)) for r in range(nR)]
    connected = True
    if nT == 2:  # the union of intervals of μ(type 0): is it one interval?
        ivs = sorted((min(v[0] for v in p["belief_vertices"]), max(v[0] for v in p["belief_vertices"])) for p in pieces)
        hi = ivs[0][1]
        for lo2, hi2 in ivs[1:]:
            if lo2 > hi:
                connected = False
            hi = max(hi, hi2)
    return OffPath(m, pieces, belief_bounds, response_bounds, connected)


def enumerate_pbe(
    US: list, UR: list, prior: Sequence[Fraction], *, deadline: float | None = None
) -> tuple[list[RawPBE], bool, list[str]]:
    """All PBE families of the one-shot signaling game ``(prior, U_S, U_R)`` (exact Fractions,
    indexed ``[t][m][r]``). Returns ``(equilibria, complete, notes)``."""
    nT, nM, nR = len(US), len(US[0]), len(US[0][0])
    prior = [to_fraction(p) for p in prior]
    if any(p < 0 for p in prior):
        raise SolverError("pbe: a prior probability is negative")
    pos = [p > 0 for p in prior]
    cache = BeliefCache(UR, nT, nR, support=[t for t in range(nT) if pos[t]])
    found: list[RawPBE] = []
    keys = set()
    complete = True
    notes: list[str] = []
    family = 0
    subsets_M = nonempty_subsets(nM)
    sender_patterns = sorted(itertools.product(subsets_M, repeat=nT), key=lambda S: (sum(len(s) for s in S), S))
    for S in sender_patterns:
        if deadline is not None and time.monotonic() > deadline:
            complete = False
            notes.append("time budget ran out: patterns with more mixing were not searched")
            break
        if any(len(S[t]) > 1 and not pos[t] for t in range(nT)):
            continue  # a zero-prior type's mixture changes nothing: its pure choices are listed
        senders = {m: tuple(t for t in range(nT) if m in S[t] and pos[t]) for m in range(nM)}
        on_path = [m for m in range(nM) if senders[m]]
        off_path = [m for m in range(nM) if not senders[m]]
        # zero-prior types that send a message no positive-prior type sends (off the path)
        zsend = {t: S[t][0] for t in range(nT) if not pos[t] and not senders[S[t][0]]}
        if zsend and len(off_path) > 1:
            complete = False
            msg = ("a zero-prior type sends an off-path message while another message is off the path: "
                   "such patterns were not searched")
            if msg not in notes:
                notes.append(msg)
            continue
        # receiver supports after each on-path message that some interior belief supports
        K_options = [[K for K in nonempty_subsets(nR) if cache.feasible_interior(m, K, senders[m])] for m in on_path]
        if any(not opts for opts in K_options):
            continue
        for Ks in _K_combos(S, on_path, K_options, US, nT):
            K = dict(zip(on_path, Ks))
            rho_verts = _rho_vertices(S, K, US, nT, nM, nR, skip=set(zsend))
            if not rho_verts:
                continue
            sig_verts = _sigma_vertices(S, K, UR, prior, nT, nM, nR)
            if not sig_verts:
                continue
            family += 1
            if len(rho_verts) > 1 and off_path:
                complete = False
                msg = "a receiver mixture on the path is not pinned down; its extreme points were checked one by one"
                if msg not in notes:
                    notes.append(msg)
            for rho_on in rho_verts:
                unpinned: set[int] = set()
                u_star = [_value(US, t, S[t][0], rho_on[S[t][0]]) if t not in zsend else None
                          for t in range(nT)]
                offs = []
                ok = True
                for m in off_path:
                    attract = {t: max(_value(US, t, m2, rho_on[m2]) for m2 in on_path)
                               for t, mt in zsend.items() if mt == m}
                    o = offpath_sets(US, UR, m, u_star, cache, attract)
                    if o is None:
                        ok = False
                        break
                    offs.append(o)
                    for t in attract:  # the largest payoff the set gives t (None later if not pinned)
                        vals = [_value(US, t, m, v) for p in o.pieces for v in p["response_vertices"]]
                        u_star[t] = max(vals)
                        if min(vals) != max(vals):
                            unpinned.add(t)
                if not ok:
                    continue
                for sig in sig_verts:
                    sigma = [[sig.get((t, m), F0) for m in range(nM)] for t in range(nT)]
                    beliefs: list[list[Fraction] | None] = []
                    for m in range(nM):
                        pm = sum((prior[t] * sigma[t][m] for t in range(nT)), F0)
                        beliefs.append([prior[t] * sigma[t][m] / pm for t in range(nT)] if pm > 0 else None)
                    # a vertex may have a smaller support than the pattern: then a message of the
                    # pattern can be off the path at this vertex, handled by its own pattern.
                    if any((beliefs[m] is None) != (m in off_path) for m in range(nM)):
                        continue
                    rho = [rho_on.get(m) if m in K else None for m in range(nM)]
                    key = (tuple(map(tuple, sigma)), tuple(tuple(r) if r else None for r in rho))
                    if key in keys:
                        continue
                    keys.add(key)
                    rp = sum(
                        (prior[t] * sigma[t][m] * rho[m][r] * UR[t][m][r]
                         for t in range(nT) for m in on_path for r in range(nR)),
                        F0,
                    )
                    found.append(RawPBE(sigma, rho, beliefs, u_star, rp, offs, family,
                                        unpinned=tuple(sorted(unpinned))))
    return found, complete, notes


def _K_combos(S, on_path, K_options, US, nT):
    """Receiver supports on the path, by backtracking with a necessary condition from interval
    bounds: type t's equilibrium value v_t lies in [min, max]_{r ∈ K_m} U_S(t, m, r) for every m in
    S_t, and is at least min_{r ∈ K_m} U_S(t, m, r) for every other message on the path."""
    n = len(on_path)
    chosen: list = []

    def ok() -> bool:
        for t in range(nT):
            lo, hi = None, None
            for m, Km in zip(on_path, chosen):
                vals = [US[t][m][r] for r in Km]
                a, b = min(vals), max(vals)
                lo = a if lo is None else max(lo, a)
                if m in S[t]:
                    hi = b if hi is None else min(hi, b)
            if lo is not None and hi is not None and lo > hi:
                return False
        return True

    def rec(i: int):
        if i == n:
            yield tuple(chosen)
            return
        for Km in K_options[i]:
            chosen.append(Km)
            if ok():
                yield from rec(i + 1)
            chosen.pop()

    yield from rec(0)


def _sigma_vertices(S, K, UR, prior, nT, nM, nR) -> list[dict]:
    """Vertices of the σ-polytope of a pattern, as dicts {(t, m): prob}."""
    var = [(t, m) for t in range(nT) for m in S[t]]
    idx = {v: i for i, v in enumerate(var)}
    n = len(var)
    eqs, ineqs = [], []
    for t in range(nT):
        eqs.append(([F1 if v[0] == t else F0 for v in var], F1))
    for i in range(n):
        ineqs.append(([F1 if j == i else F0 for j in range(n)], F0))
    for m, Km in K.items():
        def row(r_a, r_b, m=m):
            a = [F0] * n
            for t in range(nT):
                if (t, m) in idx:
                    a[idx[(t, m)]] = prior[t] * (UR[t][m][r_a] - UR[t][m][r_b])
            return a
        r0 = Km[0]
        for r in Km[1:]:
            eqs.append((row(r0, r), F0))
        for r in range(nR):
            if r not in Km:
                ineqs.append((row(r0, r), F0))
    verts = vertices(n, eqs, ineqs)
    c = relint_point(verts)
    if c is None or any(x <= 0 for x in c):  # no point with the pattern's full support
        return []
    return [{var[i]: x for i, x in enumerate(v)} for v in verts]


def _rho_vertices(S, K, US, nT, nM, nR, skip: set[int] | frozenset[int] = frozenset()) -> list[dict]:
    """Vertices of the on-path ρ-polytope of a pattern, as dicts {m: [prob per response]}. Types
    in ``skip`` (zero-prior types sending an off-path message) are constrained off the path."""
    var = [(m, r) for m in sorted(K) for r in K[m]]
    idx = {v: i for i, v in enumerate(var)}
    n = len(var)
    eqs, ineqs = [], []
    for m in K:
        eqs.append(([F1 if v[0] == m else F0 for v in var], F1))
    for i in range(n):
        ineqs.append(([F1 if j == i else F0 for j in range(n)], F0))

    def val(t, m):
        a = [F0] * n
        for r in K[m]:
            a[idx[(m, r)]] = US[t][m][r]
        return a

    for t in range(nT):
        if t in skip:
            continue
        m0 = S[t][0]
        for m in S[t][1:]:
            eqs.append(([x - y for x, y in zip(val(t, m0), val(t, m))], F0))
        for m in K:
            if m not in S[t]:
                ineqs.append(([x - y for x, y in zip(val(t, m0), val(t, m))], F0))
    verts = vertices(n, eqs, ineqs)
    c = relint_point(verts)
    if c is None or any(x <= 0 for x in c):
        return []
    out = []
    for v in verts:
        d = {m: [F0] * nR for m in K}
        for (m, r), x in zip(var, v):
            d[m][r] = x
        out.append(d)
    return out


# --------------------------------------------------------------------------- labels
def label_of(sigma: list[list[Fraction]], type_labels: Sequence[str], message_labels: Sequence[str]) -> str:
    """``separating`` / ``pooling on <m>`` / ``semi-separating`` / ``partially pooling``."""
    mixing = [t for t, row in enumerate(sigma) if sum(1 for p in row if p > 0) > 1]
    if mixing:
        return "semi-separating"
    chosen = [next(m for m, p in enumerate(row) if p > 0) for row in sigma]
    if len(set(chosen)) == 1:
        return f"pooling on {message_labels[chosen[0]]}"
    if len(set(chosen)) == len(chosen):
        return "separating"
    return "partially pooling"


# --------------------------------------------------------------------------- outcomes
def _leaves(node, plan: Sequence[str], pos: list[int], path: tuple[str, ...], prob: Fraction):
    """Terminals of a later stage in depth-first order, each ``(path, probability)`` under the
    sender's plan (its action at each sender node, depth-first) and chance's probabilities. A
    branch the plan does not take is still walked (its terminals get probability 0), so that
    every terminal is listed whatever the plan."""
    if isinstance(node, Terminal):
        yield path, prob
        return
    if isinstance(node, ChanceNode):
        for a, p, c in zip(node.actions, node.probs, node.children):
            yield from _leaves(c, plan, pos, path + (a,), prob * to_fraction(p))
        return
    choice = plan[pos[0]] if pos[0] < len(plan) else node.actions[0]
    pos[0] += 1
    for a, c in zip(node.actions, node.children):
        if a == choice:
            yield from _leaves(c, plan, pos, path + (a,), prob)
        else:
            yield from _leaves(c, (), [0], path + (a,), F0)


def outcome_distribution(game: SignalingGame, sigma: Sequence[Sequence[Any]],
                         rho: Sequence[Sequence[Any] | None], plans: dict | None = None) -> list[tuple[str, Any]]:
    """Probability of every terminal of the game, in the depth-first order of
    :meth:`SignalingGame.tree_spec` (type, message, response, later-stage actions): ``P = π_t
    σ_t(m) ρ_m(r) × Π`` (chance probabilities along the later stage, the sender following its
    plan). Each path is named by its actions joined with spaces (the ``outcome:<path>`` columns of
    tree sweeps). Off-path messages (``rho[m]`` ``None``) have probability 0 whatever the response,
    so the distribution depends only on behaviour on the path. Exact with Fractions."""
    plans = plans or {}
    out: list[tuple[str, Any]] = []
    for t, tl in enumerate(game.types):
        for m, ml in enumerate(game.messages):
            for r, rl in enumerate(game.responses):
                reach = to_fraction(game.prior[t]) * to_fraction(sigma[t][m])
                reach = reach * to_fraction(rho[m][r]) if reach and rho[m] is not None else F0
                for path, p in _leaves(game.outcomes[t][m][r], list(plans.get((t, m, r), ())), [0], (tl, ml, rl), reach):
                    out.append((" ".join(path), p))
    return out


# --------------------------------------------------------------------------- solver
def _representative(o: OffPath) -> tuple[list[Fraction], list[Fraction]]:
    """One sustaining (belief, response) after an off-path message: a vertex of the first piece,
    pure responses preferred."""
    pieces = sorted(o.pieces, key=lambda p: len(p["responses"]))
    p = pieces[0]
    return list(p["belief_vertices"][0]), list(p["response_vertices"][0])


def _inequalities(game: SignalingGame, UR, o: OffPath) -> list[str]:
    """The sustaining belief set after an off-path message as readable linear inequalities."""
    m = o.message
    out = []
    for p in o.pieces:
        K = p["responses"]
        r0 = K[0]
        parts = []
        for r in range(len(game.responses)):
            if r == r0:
                continue
            coeffs = [UR[t][m][r0] - UR[t][m][r] for t in range(len(game.types))]
            lhs = " + ".join(f"({c})*mu[{game.types[t]}]" for t, c in enumerate(coeffs) if c != 0) or "0"
            op = "=" if r in K else ">="
            parts.append(f"{lhs} {op} 0")
        resp = "/".join(game.responses[r] for r in K)
        out.append(f"{resp} is a best response: " + (" and ".join(parts) if parts else "always"))
    return out


def _refine(US, UR, prior, raw: RawPBE, labels):
    """The refinements of :mod:`bargaining.solvers.refine`, on the positive-prior types: zero-prior
    types are dropped (their belief is 0 after every message, so no refinement can move it)."""
    from bargaining.solvers.refine import refine_equilibrium

    keep = [t for t, p in enumerate(prior) if p > 0]
    if len(keep) == len(prior):
        return refine_equilibrium(US, UR, prior, raw, labels)
    offs = [OffPath(o.message,
                    [{**pc, "belief_vertices": [tuple(v[t] for t in keep) for v in pc["belief_vertices"]]} for pc in o.pieces],
                    [o.belief_bounds[t] for t in keep], o.response_bounds, o.connected) for o in raw.offpath]
    sub = RawPBE([raw.sigma[t] for t in keep], raw.rho, [None if b is None else [b[t] for t in keep] for b in raw.beliefs],
                 [raw.type_payoffs[t] for t in keep], raw.receiver_payoff, offs, raw.family, raw.plans, raw.reduced)
    T, M, R = labels
    return refine_equilibrium([US[t] for t in keep], [UR[t] for t in keep], [prior[t] for t in keep], sub,
                              ([T[t] for t in keep], M, R))


def pbe(
    game: SignalingGame,
    *,
    deadline: Deadline = Deadline.NONE,
    exact: bool = False,
    refine: bool = True,
) -> Solution:
    """All PBE families of a signaling game, with off-path belief sets, labels, mixing, the
    intuitive criterion and D1 (certified by the dispatcher with
    :func:`bargaining.verify.signaling.assessment_regret`)."""

    if getattr(game, "kind", None) != "signaling":
        raise SolverError("method 'pbe' solves signaling games only")
    prior = [to_fraction(p) for p in game.prior]
    reduced = game.reduced()
    complete = True
    notes: list[str] = []
    if len(reduced) > 1:
        notes.append(
            f"the sender is indifferent in a later stage: {len(reduced)} pure tie-breaks solved; "
            "mixtures over tied continuations are not listed"
        )
        complete = False
    raws: list[tuple[RawPBE, Any, Any]] = []
    fam_offset = 0
    for ri, (US, UR, plans) in enumerate(reduced):
        found, comp, nts = enumerate_pbe(US, UR, prior, deadline=deadline.end)
        complete = complete and comp
        for n in nts:
            if n not in notes:
                notes.append(n)
        for r in found:
            r.plans = plans
            r.reduced = ri
            r.family += fam_offset
            raws.append((r, US, UR))
        fam_offset = max([fam_offset] + [r.family for r, _, _ in raws])
    eqs = []
    T, M, R = game.types, game.messages, game.responses
    for raw, US, UR in raws:
        rho_full, mu_full = [], []
        for m in range(len(M)):
            if raw.rho[m] is not None:
                rho_full.append(raw.rho[m])
                mu_full.append(raw.beliefs[m])
            else:
                o = next(o for o in raw.offpath if o.message == m)
                b, r = _representative(o)
                rho_full.append(r)
                mu_full.append(b)
        ref = _refine(US, UR, prior, raw, (T, M, R)) if refine else None
        ex_ante = sum((p * u for p, u in zip(prior, raw.type_payoffs)), F0)
        mixing: dict[str, Any] = {}
        smix = {T[t]: {M[m]: raw.sigma[t][m] for m in range(len(M)) if raw.sigma[t][m] > 0}
                for t in range(len(T)) if sum(1 for p in raw.sigma[t] if p > 0) > 1}
        rmix = {M[m]: {R[r]: raw.rho[m][r] for r in range(len(R)) if raw.rho[m][r] > 0}
                for m in range(len(M)) if raw.rho[m] is not None and sum(1 for p in raw.rho[m] if p > 0) > 1}
        if smix:
            mixing[game.sender] = smix
        if rmix:
            mixing[game.receiver] = rmix
        label = label_of(raw.sigma, T, M)
        off = []
        for o in raw.offpath:
            off.append({
                "message": M[o.message],
                "beliefs": [[lo, hi] for lo, hi in o.belief_bounds],
                "responses": {R[r]: [lo, hi] for r, (lo, hi) in enumerate(o.response_bounds)},
                "connected": o.connected,
                "inequalities": _inequalities(game, UR, o),
            })
        extra: dict[str, Any] = {
            "sender_strategy": {T[t]: dict(zip(M, raw.sigma[t])) for t in range(len(T))},
            "receiver_strategy": {M[m]: (dict(zip(R, raw.rho[m])) if raw.rho[m] is not None else None) for m in range(len(M))},
            "beliefs_on_path": {M[m]: dict(zip(T, raw.beliefs[m])) for m in range(len(M)) if raw.beliefs[m] is not None},
            "off_path": off,
            "type_payoffs": {T[t]: (None if t in raw.unpinned else v) for t, v in enumerate(raw.type_payoffs)},
            "mixing": mixing,
            "family": raw.family,
        }
        if len(reduced) > 1:
            extra["tie_break"] = raw.reduced
        if raw.plans:
            extra["continuation"] = {f"{T[t]}/{M[m]}/{R[r]}": list(p) for (t, m, r), p in sorted(raw.plans.items())}
        if ref is not None:
            extra["refinements"] = {"intuitive": ref.intuitive, "d1": ref.d1}
            extra["refinement_notes"] = ref.notes
        paths, probs = zip(*outcome_distribution(game, raw.sigma, raw.rho, raw.plans))
        extra["outcome_paths"] = list(paths)
        eqs.append(Equilibrium(
            payoffs=(ex_ante, raw.receiver_payoff),
            outcomes=tuple(probs),
            regret=None,  # certified by bargaining.verify.signaling (the dispatcher)
            behavior=(tuple(tuple(row) for row in raw.sigma), tuple(tuple(r) for r in rho_full)),
            beliefs=tuple(tuple(b) if b is not None else None for b in raw.beliefs),
            label=label,
            extra=extra,
            witness={"beliefs": tuple(tuple(b) for b in mu_full), "plans": dict(raw.plans)},
        ))
    eqs.sort(key=_sort_key)
    # computed exactly; values stay Fractions when the game's numbers are rational (or exact
    # output is asked), and the Solution's ``exact`` flag (JSON strings "p/q") follows ``exact``
    if not (exact or game.exact):
        eqs = [_to_float(e) for e in eqs]
    return Solution(
        game=game,
        concept="perfect-bayesian",
        method="pbe",
        equilibria=tuple(eqs),
        complete=complete,
        exact=bool(exact),
        message="; ".join(notes) or None,
    )


def _sort_key(eq: Equilibrium) -> tuple:
    sigma = eq.behavior[0]
    mixed = any(0 < p < 1 for row in sigma for p in row)
    rmixed = any(0 < p < 1 for row in eq.behavior[1] for p in row)
    flat = [p for row in sigma for p in row] + [p for row in eq.behavior[1] for p in row]
    return (mixed, rmixed, tuple(-p for p in flat))


def _to_float(eq: Equilibrium) -> Equilibrium:
    """Floats everywhere (the solution is computed exactly and reported as floats)."""

    def conv(v: Any) -> Any:
        if isinstance(v, Fraction):
            return float(v)
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return type(v)(conv(x) for x in v) if isinstance(v, tuple) else [conv(x) for x in v]
        return v

    return Equilibrium(
        payoffs=conv(eq.payoffs),
        regret=None if eq.regret is None else float(eq.regret),
        behavior=conv(eq.behavior),
        beliefs=conv(eq.beliefs),
        outcomes=conv(eq.outcomes),
        label=eq.label,
        extra={k: conv(v) for k, v in eq.extra.items()},
        witness=eq.witness,
    )


register(
    Method(
        name="pbe",
        kinds=("signaling",),
        concept="perfect-bayesian",
        function=pbe,
        options={"refine": "test each family against the intuitive criterion and D1 (default true)"},
        summary="all PBE families (pure, pooling, hybrid) with off-path belief sets; intuitive criterion, D1",
    )
)
