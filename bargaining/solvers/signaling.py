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

**Algorithm** (support enumeration for signaling games, set-valued; the indifference method of
Gibbons 1992 §4.2 and Osborne 2004 §10.8, made exhaustive): :mod:`bargaining.solvers.signaling_sets`.
For each *pattern* — the support ``S_t`` of every type's message choice and the support ``K_m``
of the receiver's response after every on-path message — the PBE conditions split into a
polytope in ``σ`` (receiver optimality, multiplied through by ``P(m)``) and a polytope in the
receiver's responses after *every* message (sender optimality, the off-path deterrence
constraints included; the off-path responses range over the faces ``Δ(K)`` that some belief
makes optimal and are projected out exactly by Fourier–Motzkin elimination). A *family* is the
product ``P_σ × R_on`` (a union of such products when the off-path best-response set is not
convex); its vertices are computed exactly, boundary points where a message leaves the path
included, and families that lie in the closure of another family with the same on-path messages
are merged into it.

Each returned entry is one family: a representative point of its relative interior (the
pattern's supports; the fields ``sender_strategy``, ``receiver_strategy``, ``off_path`` ... of
earlier versions), plus ``dimension``, ``description``, ``faces`` and ``vertices`` (each a full
assessment with its own off-path sustaining sets, refinements and regret). After an off-path
message the sustaining beliefs and responses are reported per point, since they depend on the
equilibrium payoffs.

The intuitive criterion and D1 are in :mod:`bargaining.solvers.refine`, D2 and NWBR in
:mod:`bargaining.solvers.divinity`; they are evaluated at the
representative point and at every vertex (``refinements_over_family``). Their verdict depends on
a point only through the type payoffs and the set of off-path messages, so it is exact on the
whole relative interior when the receiver's on-path mixture is pinned down; when it is not, only
the listed points are decided. The certificate is
:func:`bargaining.verify.signaling.assessment_regret` (run by the dispatcher), which recomputes
everything from the game's own tree.

Scope: later-stage ties that change the receiver's payoff are solved per pure tie-break; mixed
continuations at such ties are not enumerated and the solution says so (``complete`` false).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from bargaining.errors import SolverError
from bargaining.model.profile import Equilibrium, Solution
from bargaining.model.signaling import ChanceNode, SignalingGame, Terminal
from bargaining.numeric import to_fraction
from bargaining.solvers.beliefs import BeliefCache, belief_polytope
from bargaining.solvers.budget import Deadline
from bargaining.solvers.polytope import relint_point, vertices
from bargaining.solvers.registry import Method, register
from bargaining.solvers.signaling_sets import Family, describe_affine, enumerate_families, shape_name

__all__ = [
    "pbe",
    "enumerate_pbe",
    "RawPBE",
    "OffPath",
    "belief_polytope",
    "label_of",
    "outcome_distribution",
    "leaves",
]

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
    limit: dict = field(default_factory=dict)  # messages of the family leaving the path here -> response
    fam: Any = None  # the Family this point belongs to


def _value(US, t: int, m: int, rho_m: Sequence[Fraction]) -> Fraction:
    return sum((p * US[t][m][r] for r, p in enumerate(rho_m)), F0)


def offpath_sets(
    US, UR, m: int, u_star: Sequence[Fraction], cache: BeliefCache, attract: dict[int, Fraction] | None = None
) -> OffPath | None:
    """Sustaining beliefs and deterring responses after off-path message ``m``; ``None`` if no
    belief sustains the equilibrium (some type would deviate to ``m`` whatever the receiver
    believes). ``attract``: zero-prior types that send ``m`` themselves, each with the payoff
    ``w_t`` that ``m`` must at least give it (instead of being deterred, ``V_t(m) ≤ u*_t``)."""
    attract = attract or {}
    nT, nR = cache.nT, cache.nR
    pieces: list[dict[str, Any]] = []
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
            pieces.append(
                {"responses": K, "belief_vertices": cache.verts(m, K, cache.full), "response_vertices": rv}
            )
    if not pieces:
        return None
    # keep only maximal-by-inclusion belief sets' information; bounds over the union
    bv = [v for p in pieces for v in p["belief_vertices"]]
    belief_bounds = [(min(v[t] for v in bv), max(v[t] for v in bv)) for t in range(nT)]
    rv = [v for p in pieces for v in p["response_vertices"]]
    response_bounds = [(min(v[r] for v in rv), max(v[r] for v in rv)) for r in range(nR)]
    connected = True
    if nT == 2:  # the union of intervals of μ(type 0): is it one interval?
        ivs = sorted(
            (min(v[0] for v in p["belief_vertices"]), max(v[0] for v in p["belief_vertices"])) for p in pieces
        )
        hi = ivs[0][1]
        for lo2, hi2 in ivs[1:]:
            if lo2 > hi:
                connected = False
            hi = max(hi, hi2)
    return OffPath(m, pieces, belief_bounds, response_bounds, connected)


def point_pbe(
    US,
    UR,
    prior: Sequence[Fraction],
    fam: Family,
    sigma: list[list[Fraction]],
    rho_on: dict[int, list[Fraction]],
    cache: BeliefCache,
) -> RawPBE | None:
    """The assessment at one point ``(σ, ρ_on)`` of a family: Bayes beliefs where ``P(m) > 0``;
    after the other messages (off the path of the pattern, or leaving the path at this point)
    the sustaining sets at this point's payoffs. A message of the pattern that leaves the path
    here keeps the family's response as ``limit`` (a response the sustaining set contains)."""
    nT, nM = len(US), len(US[0])
    pos = [p > 0 for p in prior]
    beliefs: list[list[Fraction] | None] = []
    for m in range(nM):
        pm = sum((prior[t] * sigma[t][m] for t in range(nT)), F0)
        beliefs.append([prior[t] * sigma[t][m] / pm for t in range(nT)] if pm > 0 else None)
    on = [m for m in range(nM) if beliefs[m] is not None]
    off = [m for m in range(nM) if beliefs[m] is None]
    rho: list[list[Fraction] | None] = [rho_on[m] if m in on else None for m in range(nM)]
    zsend = {t: fam.S[t][0] for t in range(nT) if not pos[t] and fam.S[t][0] not in on}
    u_star: list = [
        _value(US, t, fam.S[t][0], rho_on[fam.S[t][0]]) if fam.S[t][0] in rho_on else None for t in range(nT)
    ]
    for t in zsend:
        u_star[t] = None
    unpinned: set[int] = set()
    offs = []
    for m in off:
        attract = {t: max(_value(US, t, m2, rho_on[m2]) for m2 in on) for t, mt in zsend.items() if mt == m}
        o = offpath_sets(US, UR, m, [u if u is not None else F0 for u in u_star], cache, attract)
        if o is None:
            return None
        offs.append(o)
        for t in attract:
            vals = [_value(US, t, m, v) for p in o.pieces for v in p["response_vertices"]]
            u_star[t] = max(vals)
            if min(vals) != max(vals):
                unpinned.add(t)
    for t in range(nT):  # a zero-prior type on another type's off-path message: deterred value
        if u_star[t] is None:
            u_star[t] = max(_value(US, t, m2, rho_on[m2]) for m2 in on)
    rp = sum(
        (
            prior[t] * sigma[t][m] * rho_on[m][r] * UR[t][m][r]
            for t in range(nT)
            for m in on
            for r in range(len(UR[0][0]))
        ),
        F0,
    )
    raw = RawPBE(sigma, rho, beliefs, u_star, rp, offs, unpinned=tuple(sorted(unpinned)))
    raw.limit = {m: rho_on[m] for m in fam.on_path if m in off}
    return raw


def family_points(fam: Family, nT: int, nM: int, nR: int):
    """``(representative, vertices)`` of a family as ``(σ matrix, ρ_on dict)`` pairs: the
    representative is the centroid (a point of the relative interior: its supports are the
    pattern's); the vertices are the products of the σ-vertices with every piece's vertices."""
    sc = relint_point(fam.sigma_verts)
    rc = relint_point(fam.pieces[0]["verts"])
    assert sc is not None and rc is not None  # a family's polytopes have vertices
    rep = (fam.sigma_matrix(sc, nT, nM), fam.rho_dict(rc, nR))
    rverts: list = []
    for p in fam.pieces:
        for v in p["verts"]:
            if v not in rverts:
                rverts.append(v)
    verts = [(fam.sigma_matrix(s, nT, nM), fam.rho_dict(r, nR)) for s in fam.sigma_verts for r in rverts]
    return rep, verts


def enumerate_pbe(
    US: list, UR: list, prior: Sequence[Fraction], *, deadline: float | None = None
) -> tuple[list[RawPBE], bool, list[str]]:
    """One representative PBE (a relative-interior point) per family of the one-shot game
    ``(prior, U_S, U_R)`` (exact Fractions, ``[t][m][r]``). Returns ``(equilibria, complete,
    notes)``; the families themselves come from :func:`enumerate_families`."""
    prior = [to_fraction(p) for p in prior]
    if any(p < 0 for p in prior):
        raise SolverError("pbe: a prior probability is negative")
    nT, nM, nR = len(US), len(US[0]), len(US[0][0])
    cache = BeliefCache(UR, nT, nR, support=[t for t in range(nT) if prior[t] > 0])
    fams, complete, notes = enumerate_families(
        US, UR, prior, cache, deadline=None if deadline is None else deadline
    )
    out = []
    for k, fam in enumerate(fams):
        (sig, rho_on), _ = family_points(fam, nT, nM, nR)
        raw = point_pbe(US, UR, prior, fam, sig, rho_on, cache)
        if raw is None:
            raise SolverError(
                "pbe: internal error: a family's representative point is not sustained off the path"
            )
        raw.family = k
        raw.fam = fam
        out.append(raw)
    return out, complete, notes


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


# --------------------------------------------------------------------------- certificate
# --------------------------------------------------------------------------- outcomes
def leaves(node, plan: Sequence[str], pos: list[int], path: tuple[str, ...], prob: Fraction):
    """Terminals of a later stage in depth-first order, each ``(path, probability)`` under the
    sender's plan (its action at each sender node, depth-first) and chance's probabilities. A
    branch the plan does not take is still walked (its terminals get probability 0), so that
    every terminal is listed whatever the plan."""
    if isinstance(node, Terminal):
        yield path, prob
        return
    if isinstance(node, ChanceNode):
        for a, p, c in zip(node.actions, node.probs, node.children):
            yield from leaves(c, plan, pos, path + (a,), prob * to_fraction(p))
        return
    choice = plan[pos[0]] if pos[0] < len(plan) else node.actions[0]
    pos[0] += 1
    for a, c in zip(node.actions, node.children):
        if a == choice:
            yield from leaves(c, plan, pos, path + (a,), prob)
        else:
            yield from leaves(c, (), [0], path + (a,), F0)


def outcome_distribution(
    game: SignalingGame,
    sigma: Sequence[Sequence[Any]],
    rho: Sequence[Sequence[Any] | None],
    plans: dict | None = None,
) -> list[tuple[str, Any]]:
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
                rho_m = rho[m]
                reach = reach * to_fraction(rho_m[r]) if reach and rho_m is not None else F0
                for path, p in leaves(
                    game.outcomes[t][m][r], list(plans.get((t, m, r), ())), [0], (tl, ml, rl), reach
                ):
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
    offs = [
        OffPath(
            o.message,
            [
                {**pc, "belief_vertices": [tuple(v[t] for t in keep) for v in pc["belief_vertices"]]}
                for pc in o.pieces
            ],
            [o.belief_bounds[t] for t in keep],
            o.response_bounds,
            o.connected,
        )
        for o in raw.offpath
    ]
    sub = RawPBE(
        [raw.sigma[t] for t in keep],
        raw.rho,
        [None if b is None else [b[t] for t in keep] for b in raw.beliefs],
        [raw.type_payoffs[t] for t in keep],
        raw.receiver_payoff,
        offs,
        raw.family,
        raw.plans,
        raw.reduced,
    )
    T, M, R = labels
    return refine_equilibrium(
        [US[t] for t in keep],
        [UR[t] for t in keep],
        [prior[t] for t in keep],
        sub,
        ([T[t] for t in keep], M, R),
    )


def _assessment(game: SignalingGame, raw: RawPBE, US, UR, prior, refine: bool) -> dict[str, Any]:
    """One point of a family as a full assessment: strategies, beliefs, off-path sustaining
    sets, payoffs, label, mixing, refinements and the regret certificate."""
    T, M, R = game.types, game.messages, game.responses
    rho_full: list[list[Fraction]] = []
    mu_full: list[list[Fraction]] = []
    for m in range(len(M)):
        rho_m, mu_m = raw.rho[m], raw.beliefs[m]
        if rho_m is not None:
            assert mu_m is not None  # a message on the path has a response and Bayes beliefs
            rho_full.append(rho_m)
            mu_full.append(mu_m)
        elif m in raw.limit:  # the family's response; a belief on the pattern's senders sustains it
            r = raw.limit[m]
            K = tuple(i for i, x in enumerate(r) if x > 0)
            rho_full.append(r)
            mu_full.append(
                list(
                    BeliefCache(UR, len(T), len(R), [t for t in range(len(T)) if prior[t] > 0]).verts(
                        m, K, tuple(t for t in range(len(T)) if prior[t] > 0)
                    )[0]
                )
            )
        else:
            o = next(o for o in raw.offpath if o.message == m)
            b, r = _representative(o)
            rho_full.append(r)
            mu_full.append(b)
    ref = _refine(US, UR, prior, raw, (T, M, R)) if refine else None
    mixing: dict[str, Any] = {}
    smix = {
        T[t]: {M[m]: raw.sigma[t][m] for m in range(len(M)) if raw.sigma[t][m] > 0}
        for t in range(len(T))
        if sum(1 for p in raw.sigma[t] if p > 0) > 1
    }
    rmix = {
        M[m]: {R[r]: rho_m[r] for r in range(len(R)) if rho_m[r] > 0}
        for m, rho_m in enumerate(raw.rho)
        if rho_m is not None and sum(1 for p in rho_m if p > 0) > 1
    }
    if smix:
        mixing[game.sender] = smix
    if rmix:
        mixing[game.receiver] = rmix
    off = []
    for o in raw.offpath:
        entry = {
            "message": M[o.message],
            "beliefs": [[lo, hi] for lo, hi in o.belief_bounds],
            "responses": {R[r]: [lo, hi] for r, (lo, hi) in enumerate(o.response_bounds)},
            "connected": o.connected,
            "inequalities": _inequalities(game, UR, o),
        }
        if o.message in raw.limit:
            entry["leaves_path"] = True
            entry["family_response"] = dict(zip(R, raw.limit[o.message]))
        off.append(entry)
    x: dict[str, Any] = {
        "sender_strategy": {T[t]: dict(zip(M, raw.sigma[t])) for t in range(len(T))},
        "receiver_strategy": {
            M[m]: (dict(zip(R, rho_m)) if rho_m is not None else None) for m, rho_m in enumerate(raw.rho)
        },
        "beliefs_on_path": {
            M[m]: dict(zip(T, mu_m)) for m, mu_m in enumerate(raw.beliefs) if mu_m is not None
        },
        "off_path": off,
        "type_payoffs": {T[t]: (None if t in raw.unpinned else v) for t, v in enumerate(raw.type_payoffs)},
        "mixing": mixing,
        "label": label_of(raw.sigma, T, M),
        "sustaining_beliefs": {M[m]: dict(zip(T, mu_full[m])) for m in range(len(M))},
        "sustaining_responses": {M[m]: dict(zip(R, rho_full[m])) for m in range(len(M))},
        "_rho_full": rho_full,
        "_mu_full": mu_full,
    }
    if ref is not None:
        x["refinements"] = ref.flags()
        x["refinement_notes"] = ref.notes
    return x


def _coord_names(game: SignalingGame, fam: Family) -> tuple[list[int], list[str], list[int], list[str]]:
    """The coordinates that describe a family: ``σ_t(m)`` for mixing types (all but the last
    message of ``S_t``) and ``ρ_m(r)`` after on-path messages with a mixed support."""
    T, M, R = game.types, game.messages, game.responses
    si, sn = [], []
    for i, (t, m) in enumerate(fam.sigma_var):
        if len(fam.S[t]) > 1 and m != fam.S[t][-1]:
            si.append(i)
            sn.append(f"σ_{T[t]}({M[m]})")
    ri, rn = [], []
    for i, (m, r) in enumerate(fam.rho_var):
        if len(fam.K[m]) > 1 and r != fam.K[m][-1]:
            ri.append(i)
            rn.append(f"ρ_{M[m]}({R[r]})")
    return si, sn, ri, rn


def _describe_family(game: SignalingGame, fam: Family, fmt) -> tuple[int, str, list[str]]:
    """``(dimension, description, faces)`` of a family in the coordinates of
    :func:`_coord_names` (the other coordinates are fixed or follow from the simplex)."""
    T, M, R = game.types, game.messages, game.responses
    si, sn, ri, rn = _coord_names(game, fam)
    sph: list[str]
    ds, sph = (0, [])
    if si:
        ds, sph = describe_affine(sn, [tuple(v[i] for i in si) for v in fam.sigma_verts], fmt)
    pieces = []
    dr = 0
    for p in fam.pieces:
        if ri:
            d, ph = describe_affine(rn, [tuple(v[i] for i in ri) for v in p["verts"]], fmt)
        else:
            d, ph = 0, []
        dr = max(dr, d)
        pieces.append(ph)
    dim = ds + dr
    pure = [f"{T[t]} sends {M[fam.S[t][0]]}" for t in range(len(T)) if len(fam.S[t]) == 1]
    pure += [f"{R[fam.K[m][0]]} after {M[m]}" for m in fam.on_path if len(fam.K[m]) == 1]
    parts = list(sph)
    rtext = [", ".join(ph) for ph in pieces if ph]
    if len(rtext) == 1:
        parts.append(rtext[0])
    elif rtext:
        parts.append("the receiver's mixture in one of " + "; or ".join(f"({t})" for t in rtext))
    parts += pure
    desc = shape_name(dim) + ": " + ", ".join(parts)
    if dim >= 2:
        desc += " (the convex hull of the vertices)"
    faces = []
    for m in fam.on_path:
        senders = [t for t in range(len(T)) if m in fam.S[t]]
        if any(all(v[fam.sigma_var.index((t, m))] == 0 for t in senders) for v in fam.sigma_verts):
            faces.append(
                f"where no type sends {M[m]}, {M[m]} leaves the path: those boundary points are PBE "
                f"with {M[m]} off the path, sustained by the family's response and its limit belief"
            )
    return dim, desc, faces


def pbe(
    game: SignalingGame,
    *,
    deadline: Deadline = Deadline.NONE,
    exact: bool = False,
    refine: bool = True,
) -> Solution:
    """All PBE families of a signaling game as sets (dimension, vertices, description), with
    off-path belief sets, labels, mixing, the intuitive criterion and D1 per vertex and at a
    representative point. The dispatcher certifies the representative point and every vertex
    with :func:`bargaining.verify.signaling.equilibrium_regret`."""

    if getattr(game, "kind", None) != "signaling":
        raise SolverError("method 'pbe' solves signaling games only")
    prior = [to_fraction(p) for p in game.prior]
    reduced = game.reduced()
    complete = True
    notes: list[str] = []
    if len(reduced) > 1:
        notes.append(
            f"the sender is indifferent in a later stage: {len(reduced)} pure tie-breaks solved; "
            "mixtures over tied continuations (which change the receiver's payoffs) are not enumerated"
        )
        complete = False
    T, M, R = game.types, game.messages, game.responses
    nT, nM, nR = len(T), len(M), len(R)
    fmt = _fmt_fraction
    eqs = []
    for ri, (US, UR, plans) in enumerate(reduced):
        cache = BeliefCache(UR, nT, nR, support=[t for t in range(nT) if prior[t] > 0])
        fams, comp, nts = enumerate_families(US, UR, prior, cache, deadline=deadline.end)
        complete = complete and comp
        for n in nts:
            if n not in notes:
                notes.append(n)
        for fam in fams:
            (sig, rho_on), verts = family_points(fam, nT, nM, nR)
            raw = point_pbe(US, UR, prior, fam, sig, rho_on, cache)
            if raw is None:
                raise SolverError(
                    "pbe: internal error: a family's representative point is not sustained off the path"
                )
            raw.plans, raw.reduced = plans, ri
            x = _assessment(game, raw, US, UR, prior, refine)
            vx = []
            for s, r in verts:
                vr = point_pbe(US, UR, prior, fam, s, r, cache)
                if vr is None:
                    raise SolverError("pbe: internal error: a family's vertex is not sustained off the path")
                vr.plans, vr.reduced = plans, ri
                a = _assessment(game, vr, US, UR, prior, refine)
                a.pop("_rho_full")
                a.pop("_mu_full")
                vx.append(a)
            dim, desc, faces = _describe_family(game, fam, fmt)
            rho_full = x.pop("_rho_full")
            mu_full = x.pop("_mu_full")
            label = x.pop("label")
            extra: dict[str, Any] = dict(x)
            extra["dimension"] = dim
            extra["description"] = desc
            extra["faces"] = faces
            extra["vertices"] = vx
            if len(fam.pieces) > 1:
                idx = []
                for p in fam.pieces:
                    idx.append(
                        [
                            k
                            for k, (s, r) in enumerate(verts)
                            if tuple(r[m][rr] for m, rr in fam.rho_var) in p["verts"]
                        ]
                    )
                extra["pieces"] = idx
            if refine:
                extra["refinements_over_family"] = _refinement_summary(x.get("refinements"), vx)
            if len(reduced) > 1:
                extra["tie_break"] = ri
            if plans:
                extra["continuation"] = {
                    f"{T[t]}/{M[m]}/{R[r]}": list(p) for (t, m, r), p in sorted(plans.items())
                }
            ex_ante = sum((p * u for p, u in zip(prior, raw.type_payoffs)), F0)
            paths, probs = zip(*outcome_distribution(game, raw.sigma, raw.rho, plans))
            extra["outcome_paths"] = list(paths)
            eqs.append(
                Equilibrium(
                    payoffs=(ex_ante, raw.receiver_payoff),
                    outcomes=tuple(probs),
                    regret=None,  # certified by the dispatcher (bargaining.verify.signaling)
                    behavior=(tuple(tuple(row) for row in raw.sigma), tuple(tuple(r) for r in rho_full)),
                    witness={"beliefs": tuple(tuple(b) for b in mu_full), "plans": dict(plans)},
                    beliefs=tuple(tuple(b) if b is not None else None for b in raw.beliefs),
                    label=label,
                    extra=extra,
                )
            )
    eqs.sort(key=_sort_key)
    eqs = [e.with_extra(family=k) for k, e in enumerate(eqs)]
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


def _fmt_fraction(x: Fraction) -> str:
    x = Fraction(x)
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def _refinement_summary(rep: dict | None, vx: list[dict]) -> dict[str, Any]:
    """Which part of a family survives each refinement: the vertices that pass, and the verdict
    at the representative (relative-interior) point. The verdict depends on a point only through
    the type payoffs and the messages off the path, so it is constant on the relative interior
    when the receiver's on-path mixture is pinned down (then ``exact`` is true); otherwise only
    the listed points are decided."""
    out: dict[str, Any] = {}
    for name in ("intuitive", "d1", "d2", "nwbr"):
        passing = [k for k, v in enumerate(vx) if v.get("refinements", {}).get(name)]
        interior = bool(rep and rep.get(name))
        if interior and len(passing) == len(vx):
            part = "all"
        elif not interior and not passing:
            part = "none"
        else:
            part = "part"
        out[name] = {"surviving_vertices": passing, "interior": interior, "part": part}
    return out


def _sort_key(eq: Equilibrium) -> tuple:
    sigma, rho = eq.behavior_profile[0], eq.behavior_profile[1]
    mixed = any(0 < p < 1 for row in sigma for p in row)
    rmixed = any(0 < p < 1 for row in rho for p in row)
    flat = [p for row in sigma for p in row] + [p for row in rho for p in row]
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
        witness=eq.witness,
        behavior=conv(eq.behavior),
        beliefs=conv(eq.beliefs),
        outcomes=conv(eq.outcomes),
        label=eq.label,
        extra={k: conv(v) for k, v in eq.extra.items()},
    )


register(
    Method(
        name="pbe",
        kinds=("signaling",),
        concept="perfect-bayesian",
        function=pbe,
        options={
            "refine": "test each family against the intuitive criterion, D1, D2 and NWBR (default true)"
        },
        summary="all PBE families (pure, pooling, hybrid) with off-path belief sets; "
        "intuitive criterion, D1, D2, NWBR",
    )
)
