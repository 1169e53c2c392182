"""The assessment of one PBE of a signaling game as the solver reports it (strategies, beliefs
on and off the path, the inequalities that sustain the off-path beliefs, refinement flags), and
the description of a family of PBE, for :func:`bargaining.solvers.signaling.pbe` (math in that
module; refinements after Cho and Kreps 1987 and Banks and Sobel 1987).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from bargaining.model.signaling import SignalingGame
from bargaining.solvers.beliefs import BeliefCache
from bargaining.solvers.signaling_offpath import OffPath, RawPBE, label_of
from bargaining.solvers.signaling_sets import Family, describe_affine, shape_name

__all__ = ["assessment", "describe_family"]


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


def assessment(game: SignalingGame, raw: RawPBE, US, UR, prior, refine: bool) -> dict[str, Any]:
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


def describe_family(game: SignalingGame, fam: Family, fmt) -> tuple[int, str, list[str]]:
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
