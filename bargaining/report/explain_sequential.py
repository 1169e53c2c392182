"""``bargain explain`` for game trees: which subgame-perfect equilibria are sequential, and why not.

For each pure subgame-perfect equilibrium (method ``backward``) the text walks the information sets:
on the path, the Bayes belief and each action's expected continuation payoff; off the path, the
consistent beliefs (Kreps & Wilson 1982; computed by :mod:`bargaining.solvers.sequential`) and
whether any of them makes the prescribed action a best reply. The first set where none does is
the reason the equilibrium is not sequential. Then the sequential equilibria themselves, with
their belief sets. Sources: Kreps & Wilson (1982); Selten (1975) for the horse.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from bargaining.model.extensive import ExtensiveGame
from bargaining.solvers.backward import backward
from bargaining.solvers.sequential import assess_profile, sequential_enum, tree_tables

__all__ = ["explain_tree"]


def _n(x: Any) -> str:
    x = Fraction(x)
    return str(x.numerator) if x.denominator == 1 else f"{x}"


def _profile_text(g: ExtensiveGame, flat: list) -> str:
    parts = []
    for h, probs in zip(g.infosets, flat):
        acts = [f"{a} {_n(p)}" if p != 1 else a for a, p in zip(h.actions, probs) if p]
        parts.append(f"{h.label}: {', '.join(acts)}")
    return "; ".join(parts)


def _why_not(g: ExtensiveGame, flat: list) -> list[str]:
    reach, values, _, _ = tree_tables(g, flat)
    lines = []
    for k, h in enumerate(g.infosets):
        i = h.player
        chosen = [a for a, p in enumerate(flat[k]) if p]
        total = sum(reach[x] for x in h.nodes)
        who = g.players[i]
        if total > 0:
            mu = [reach[x] / total for x in h.nodes]
            pay = [
                sum(m * values[g.nodes[x].children[a]][i] for m, x in zip(mu, h.nodes))
                for a in range(len(h.actions))
            ]
            best = max(pay)
            if any(pay[a] < best for a in chosen):
                lines.append(
                    f"  - {who} at {h.label!r} (on the path, Bayes belief "
                    f"{', '.join(_n(m) for m in mu)}): "
                    + ", ".join(f"{a} gives {_n(v)}" for a, v in zip(h.actions, pay))
                    + f"; {h.actions[chosen[0]]} is not a best reply."
                )
        else:
            one = list(flat)
            probe: set = set()
            # a single set, its own optimality: every other set trivially satisfied is not needed,
            # so test the profile with only this set's condition by asking the enumeration helper
            res = assess_profile(g, one, probe)
            if res is None and len(h.nodes) == 1:
                x = h.nodes[0]
                pay = [values[g.nodes[x].children[a]][i] for a in range(len(h.actions))]
                if any(pay[a] < max(pay) for a in chosen):
                    b = max(range(len(pay)), key=lambda a: pay[a])
                    c = chosen[0]
                    lines.append(
                        f"  - {who} at {h.label!r} is off the path, but it is a single node, so every "
                        "consistent belief puts probability 1 on it: "
                        + ", ".join(f"{a} gives {_n(v)}" for a, v in zip(h.actions, pay))
                        + f"; {h.actions[b]} gives {_n(pay[b])} > {_n(pay[c])}, so {h.actions[c]} "
                        "is not sequentially rational."
                    )
            elif res is None:
                lines.append(
                    f"  - {who} at {h.label!r} is off the path: no belief that trembles can produce "
                    f"makes {h.actions[chosen[0]]} a best reply there (or a later set fails)."
                )
    return lines


def _belief_condition(g: ExtensiveGame, flat: list, k: int) -> str | None:
    """For a two-node information set: the beliefs under which the prescribed action is a best
    reply, as an interval of the second node's probability μ, with the expected payoffs."""
    h = g.infosets[k]
    if len(h.nodes) != 2:
        return None
    _, values, _, _ = tree_tables(g, flat)
    i = h.player
    x0, x1 = h.nodes
    name = " ".join(g.path_labels(x1)) or "root"
    v = [[values[g.nodes[x].children[a]][i] for x in (x0, x1)] for a in range(len(h.actions))]
    chosen = [a for a, p in enumerate(flat[k]) if p]
    lo, hi = Fraction(0), Fraction(1)
    for a in chosen:  # Σ: (1 − μ)(v_a0 − v_b0) + μ(v_a1 − v_b1) ≥ 0 for every other action b
        for b in range(len(h.actions)):
            if b == a:
                continue
            d0, d1 = v[a][0] - v[b][0], v[a][1] - v[b][1]
            if d0 == d1:
                if d0 < 0:
                    lo, hi = Fraction(1), Fraction(0)
                continue
            t = Fraction(d0, 1) / (d0 - d1)
            if d0 > d1:  # holds for μ ≤ t
                hi = min(hi, t)
            else:
                lo = max(lo, t)
    acts = " and ".join(h.actions[a] for a in chosen)
    pays = "; ".join(
        f"{act} gives (1 − μ)·{_n(v[a][0])} + μ·{_n(v[a][1])}" for a, act in enumerate(h.actions)
    )
    who = g.players[i]
    if lo > hi:
        return f"  {who} at {h.label!r}: no belief makes {acts} a best reply ({pays}, μ = μ(after {name}))."
    cond = (
        f"μ(after {name}) = {_n(lo)}"
        if lo == hi
        else f"μ(after {name}) ≤ {_n(hi)}"
        if lo == 0
        else f"μ(after {name}) ≥ {_n(lo)}"
        if hi == 1
        else f"{_n(lo)} ≤ μ(after {name}) ≤ {_n(hi)}"
    )
    return (
        f"  {who} plays {acts} at {h.label!r} only if its belief μ = μ(after {name}) satisfies {cond}: "
        f"{pays}."
    )


def explain_tree(game: ExtensiveGame, fmt: str = "text") -> str:
    """The derivation as text (``fmt`` ``text`` or ``markdown``; the same words either way)."""
    g = game.as_exact()
    head = "# " if fmt == "markdown" else ""
    out = [f"{head}{g.title or 'Game tree'}: sequential equilibria", ""]
    out.append(
        "An assessment (behaviour, beliefs) is sequential (Kreps & Wilson 1982) when the beliefs are "
        "limits of Bayes' rule under small trembles and every player, at every information set, on or "
        "off the path, plays a best reply to its belief there."
    )
    out.append("")
    spe = backward(g, exact=True)
    seq = sequential_enum(g)
    seq_keys = {tuple(p for per in e.behavior for probs in per for p in probs) for e in seq}
    out.append(
        f"{head}#Subgame-perfect equilibria (pure) and whether they are sequential"
        if head
        else "Subgame-perfect equilibria (pure) and whether they are sequential:"
    )
    for e in spe:
        if not e.is_pure:
            continue
        # the players' information sets partition g.infosets: every entry is set below
        flat: list[tuple[Fraction, ...]] = [()] * len(g.infosets)
        for ids, per in zip(g.player_infosets, e.behavior):
            for k, probs in zip(ids, per):
                flat[k] = tuple(Fraction(p) for p in probs)
        key = tuple(p for probs in flat for p in probs)
        ok = key in seq_keys or assess_profile(g, flat, set()) is not None
        out.append(f"* {_profile_text(g, flat)}: {'sequential' if ok else 'NOT sequential'}")
        if not ok:
            out.extend(_why_not(g, flat) or ["  - no consistent belief system supports it."])
    out.append("")
    out.append("Sequential equilibria:" if not head else "## Sequential equilibria")
    for e in seq:
        flat = [()] * len(g.infosets)
        bsets: list[Sequence[Sequence[Any]]] = [()] * len(g.infosets)
        for ids, per, bs in zip(g.player_infosets, e.behavior, e.extra["belief_sets"]):
            for k, probs, b in zip(ids, per, bs):
                flat[k] = probs
                bsets[k] = b
        out.append(f"* {_profile_text(g, flat)}")
        for k, h in enumerate(g.infosets):
            cond = _belief_condition(g, [tuple(Fraction(p) for p in probs) for probs in flat], k)
            if cond:
                out.append(cond)
            if len(h.nodes) > 1:
                verts = "; ".join("(" + ", ".join(_n(x) for x in v) + ")" for v in bsets[k])
                out.append(
                    f"  beliefs at {h.label!r} (nodes: "
                    + ", ".join(" ".join(g.path_labels(x)) or "root" for x in h.nodes)
                    + f"): the set with vertices {verts}"
                )
        if "vertices" in e.extra:
            out.append(
                "  a set: every mixture of "
                + " and ".join(
                    _profile_text(
                        g, [probs for ids, per in zip(g.player_infosets, v["behavior"]) for probs in per]
                    )
                    for v in e.extra["vertices"]
                )
            )
    if seq.message:
        out.append("")
        out.append(f"Note: {seq.message}.")
    return "\n".join(out) + "\n"
