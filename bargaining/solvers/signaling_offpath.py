"""Pure-point PBE of a finite signaling game and their off-path belief sets, for
:func:`bargaining.solvers.signaling.pbe` (notation and math in that module): the sets of beliefs
that sustain an off-path message (:func:`offpath_sets`), the PBE at one point of a family
(:func:`point_pbe`), their enumeration (:func:`enumerate_pbe`), labels and outcome distributions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from bargaining.errors import SolverError
from bargaining.model.signaling import ChanceNode, SignalingGame, Terminal
from bargaining.numeric import to_fraction
from bargaining.solvers.beliefs import BeliefCache
from bargaining.solvers.polytope import relint_point, vertices
from bargaining.solvers.signaling_sets import Family, enumerate_families

__all__ = [
    "OffPath",
    "RawPBE",
    "offpath_sets",
    "point_pbe",
    "family_points",
    "enumerate_pbe",
    "label_of",
    "leaves",
    "outcome_distribution",
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
