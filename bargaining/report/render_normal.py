"""Table renderer, sweep-row builder and equilibrium labels for normal-form games
(``game.kind == "normal"``).

Listed in :mod:`bargaining.report.registry`. Rows carry one ``p:<player>:<strategy>`` column per
strategy (docs/reference/sweep.md); labels name the supports (``pure (F, C)``, ``mixed (F+S, C)``) so sweep
regimes tell different pure outcomes apart.
"""

from __future__ import annotations

from typing import Any

from bargaining.model.profile import Equilibrium, Solution
from bargaining.numeric import format_number

__all__ = ["normal_table", "normal_row", "support_label", "kind_label"]


def _fmt(value: Any, exact: bool) -> str:
    return "-" if value is None else format_number(value, exact)


def support_label(game: Any, label: str, strategies: Any) -> str:
    """A normal-form equilibrium's label with its supports, as sweeps print it:
    ``pure (F, C)``, ``mixed (F+S, C)`` (other labels are returned as they are)."""
    if label not in ("pure", "mixed") or strategies is None or getattr(game, "kind", "normal") != "normal":
        return label
    parts = []
    for labels, probs in zip(game.strategies, strategies):
        parts.append("+".join(str(lab) for lab, p in zip(labels, probs) if float(p) > 0))
    return f"{label} ({', '.join(parts)})"


def kind_label(eq: Equilibrium, game: Any = None) -> str:
    """The equilibrium's label (its own, else ``pure``/``mixed``); for a normal-form ``game``
    with its supports (:func:`support_label`)."""
    label = eq.label or ("pure" if eq.is_pure else "mixed")
    if game is not None and getattr(game, "kind", "") == "normal":
        return support_label(game, label, eq.strategies)
    return label


def normal_table(sol: Solution, exact: bool) -> list[str]:
    """Human table: per equilibrium each player's support with probabilities, payoff, regret."""
    game = sol.game
    lines: list[str] = []
    width = max(len(p) for p in game.players)
    for k, eq in enumerate(sol.equilibria):
        lines.append(f"[{k}] {kind_label(eq, game)}")
        for i, player in enumerate(game.players):
            probs = eq.mixed_profile[i]
            parts = [f"{label} {_fmt(p, exact)}" for label, p in zip(game.strategies[i], probs) if p != 0]
            lines.append(f"    {player:<{width}}  {', '.join(parts):<40} payoff {_fmt(eq.payoffs[i], exact)}")
        lines.append(f"    regret {_fmt(eq.regret, exact)}")
    if sol.components is not None and any(len(c) > 1 for c in sol.components):
        lines.append("components (every convex combination within one is an equilibrium):")
        for c in sol.components:
            lines.append("    {" + ", ".join(str(i) for i in c) + "}")
    for entry in sol.extra.get("equilibrium_sets", ()):
        if entry.get("vertices_listed") is False:
            sup = " x ".join("{" + ", ".join(map(str, s)) + "}" for s in entry["supports"])
            lines.append(
                f"equilibrium set: every profile on the supports {sup} (dimension {entry['dimension']}, "
                f"{entry['vertex_count']} pure profiles, not listed)"
            )
    return lines


def normal_row(sol: Solution, eq: Equilibrium) -> dict[str, Any]:
    """Sweep / CSV columns ``p:<player>:<strategy>`` of one equilibrium."""
    game = sol.game
    row: dict[str, Any] = {}
    for i, player in enumerate(game.players):
        for label, p in zip(game.strategies[i], eq.mixed_profile[i]):
            row[f"p:{player}:{label}"] = p
    return row
