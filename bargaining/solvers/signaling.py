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

from fractions import Fraction
from typing import Any

from bargaining.errors import SolverError
from bargaining.model.profile import Equilibrium, Solution
from bargaining.model.signaling import SignalingGame
from bargaining.numeric import to_fraction
from bargaining.solvers.beliefs import BeliefCache, belief_polytope
from bargaining.solvers.budget import Deadline
from bargaining.solvers.registry import Method, register
from bargaining.solvers.signaling_assessment import assessment, describe_family
from bargaining.solvers.signaling_offpath import (
    OffPath,
    RawPBE,
    enumerate_pbe,
    family_points,
    label_of,
    leaves,
    outcome_distribution,
    point_pbe,
)
from bargaining.solvers.signaling_sets import enumerate_families

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
            x = assessment(game, raw, US, UR, prior, refine)
            vx = []
            for s, r in verts:
                vr = point_pbe(US, UR, prior, fam, s, r, cache)
                if vr is None:
                    raise SolverError("pbe: internal error: a family's vertex is not sustained off the path")
                vr.plans, vr.reduced = plans, ri
                a = assessment(game, vr, US, UR, prior, refine)
                a.pop("_rho_full")
                a.pop("_mu_full")
                vx.append(a)
            dim, desc, faces = describe_family(game, fam, fmt)
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
