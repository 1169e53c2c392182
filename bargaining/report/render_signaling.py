"""Table renderer and sweep-row builder for signaling games (``game.kind == "signaling"``).

Listed in :mod:`bargaining.report.registry` as ``TABLE_RENDERERS["signaling"]`` and
``ROW_BUILDERS["signaling"]``. Row columns (docs/reference/sweep.md): ``p:<sender>:<type>:<message>``,
``p:<receiver>:<message>:<response>`` (behaviour on the path; empty after an off-path message,
whose response is not behaviour but a sustaining range) with ``...:lo`` / ``...:hi`` (the range
over the family: the value itself on the path, the sustaining responses off it),
``belief:<message>:<type>`` (empty off the path), ``offpath:<message>:<type>:lo`` / ``:hi`` (the
sustaining belief interval, empty on the path), ``payoff:<sender>:<type>`` (empty for a zero-prior
type whose payoff the family does not pin down), ``outcome:<type> <message> <response>[ <later
actions>]`` (probability of each terminal, as in tree sweeps); ``equilibrium_rows`` adds ``label``,
``refinement:intuitive``, ``refinement:d1``, ``payoff:<player>`` and ``regret``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bargaining.model.profile import Equilibrium, Solution
from bargaining.numeric import format_number

__all__ = ["signaling_table", "signaling_row"]


def _fmt(x: Any, exact: bool) -> str:
    return "-" if x is None else format_number(x, exact)


def _dist(d: dict, exact: bool) -> str:
    parts = [k if v == 1 else f"{k} {_fmt(v, exact)}" for k, v in d.items() if v != 0]
    return ", ".join(parts)


_SHORT = {"intuitive": "intuitive criterion", "d1": "D1", "d2": "D2", "nwbr": "NWBR"}


def signaling_table(sol: Solution, exact: bool) -> list[str]:
    game = sol.game
    S, R = game.sender, game.receiver
    w = max(len(S), len(R))
    lines: list[str] = []
    for k, eq in enumerate(sol.equilibria):
        x = eq.extra
        ref = x.get("refinements") or {}
        flags = ", ".join(f"{_SHORT.get(n, n)} {'yes' if ok else 'no'}" for n, ok in ref.items())
        lines.append(f"[{k}] {eq.label}" + (f"   ({flags})" if flags else ""))
        lines += _family_lines(x, exact)
        sender = "; ".join(f"{t}: {_dist(d, exact)}" for t, d in x["sender_strategy"].items())
        pays = ", ".join(f"{t} {_fmt(v, exact)}" for t, v in x["type_payoffs"].items())
        lines.append(f"    {S:<{w}}  {sender}   payoffs {pays}")
        parts = []
        for m, d in x["receiver_strategy"].items():
            if d is None:
                continue
            mu = x["beliefs_on_path"][m]
            belief = ", ".join(f"{t} {_fmt(v, exact)}" for t, v in mu.items())
            parts.append(f"after {m}: {_dist(d, exact)} (belief {belief})")
        lines.append(f"    {R:<{w}}  " + "; ".join(parts) + f"   payoff {_fmt(eq.payoffs[1], exact)}")
        for off in x.get("off_path", []):
            resp = ", ".join(
                f"{r} in [{_fmt(lo, exact)}, {_fmt(hi, exact)}]"
                for r, (lo, hi) in off["responses"].items()
                if hi != 0
            )
            bel = ", ".join(
                f"P({t}) in [{_fmt(lo, exact)}, {_fmt(hi, exact)}]"
                for t, (lo, hi) in zip(game.types, off["beliefs"])
            )
            lines.append(
                f"    {'':<{w}}  after {off['message']} (off path): {resp}; sustained by beliefs {bel}"
                + ("" if off.get("connected", True) else " (a union of intervals)")
            )
        cont = x.get("continuation")
        if cont:
            lines.append(
                f"    {'':<{w}}  later stages: " + "; ".join(f"{k} -> {'-'.join(v)}" for k, v in cont.items())
            )
        for note in x.get("refinement_notes", []):
            if "fails" in note:
                lines.append(f"    note: {note}")
        lines.append(f"    regret {_fmt(eq.regret, exact)}")
    return lines


def _family_lines(x: Mapping[str, Any], exact: bool) -> list[str]:
    """A family that is not a single point: its dimension, description, vertices (label and the
    messages that leave the path there) and which vertices survive each refinement."""
    verts = x.get("vertices") or []
    if not x.get("dimension"):
        return []
    out = [f"    family of dimension {x['dimension']}: {x.get('description', '')}"]
    for i, v in enumerate(verts):
        left = [o["message"] for o in v.get("off_path", []) if o.get("leaves_path")]
        sender = "; ".join(f"{t}: {_dist(d, exact)}" for t, d in v["sender_strategy"].items())
        recv = "; ".join(
            f"after {m}: {_dist(d, exact)}" for m, d in v["receiver_strategy"].items() if d is not None
        )
        lim = "; ".join(
            f"after {o['message']}: {_dist(o['family_response'], exact)}"
            for o in v.get("off_path", [])
            if o.get("leaves_path")
        )
        ref = v.get("refinements") or {}
        flags = ", ".join(f"{_SHORT.get(n, n)} {'yes' if ok else 'no'}" for n, ok in ref.items())
        out.append(
            f"      vertex {i} ({v.get('label')}{', ' + flags if flags else ''}): {sender}; {recv}"
            + (f"; {', '.join(left)} leaves the path ({lim})" if left else "")
        )
    for face in x.get("faces", []):
        out.append(f"      boundary: {face}")
    over = x.get("refinements_over_family") or {}
    for name, d in over.items():
        if d.get("part") == "part":
            out.append(
                f"      {_SHORT.get(name, name)} holds on part of the family: vertices "
                f"{', '.join(map(str, d['surviving_vertices'])) or 'none'}"
                f"{' and the representative point' if d['interior'] else ''}"
            )
    return out


def signaling_row(sol: Solution, eq: Equilibrium) -> dict[str, Any]:
    """The sweep / CSV columns of one PBE family (same order and meaning as the batch builder
    :func:`bargaining.solvers.signaling_batch.row_columns`)."""
    game = sol.game
    row: dict[str, Any] = {}
    # what the row stands for: a single profile, or a set of PBE given by its representative
    # point (the set's own description; a single point's numbers are the row's columns)
    dim = eq.extra.get("dimension")
    if dim is not None:
        row["dimension"] = dim
        row["description"] = eq.extra.get("description") if dim else "a single point"
    sigma, rho = eq.behavior_profile
    offs = {off["message"]: off for off in eq.extra.get("off_path", [])}
    for i, t in enumerate(game.types):
        for j, m in enumerate(game.messages):
            row[f"p:{game.sender}:{t}:{m}"] = sigma[i][j]
    for j, m in enumerate(game.messages):
        for k, r in enumerate(game.responses):
            row[f"p:{game.receiver}:{m}:{r}"] = None if m in offs else rho[j][k]
    for j, m in enumerate(game.messages):
        for k, r in enumerate(game.responses):
            lo, hi = offs[m]["responses"][r] if m in offs else (rho[j][k], rho[j][k])
            row[f"p:{game.receiver}:{m}:{r}:lo"] = lo
            row[f"p:{game.receiver}:{m}:{r}:hi"] = hi
    beliefs = eq.beliefs
    assert beliefs is not None  # a PBE family carries its beliefs (None after an off-path message)
    for j, m in enumerate(game.messages):
        mu = beliefs[j]
        for i, t in enumerate(game.types):
            row[f"belief:{m}:{t}"] = None if mu is None else mu[i]
    for m in game.messages:
        for i, t in enumerate(game.types):
            lo, hi = offs[m]["beliefs"][i] if m in offs else (None, None)
            row[f"offpath:{m}:{t}:lo"] = lo
            row[f"offpath:{m}:{t}:hi"] = hi
    for t, v in eq.extra.get("type_payoffs", {}).items():
        row[f"payoff:{game.sender}:{t}"] = v
    for path, p in zip(eq.extra.get("outcome_paths", ()), eq.outcomes or ()):
        row[f"outcome:{path}"] = p
    return row
