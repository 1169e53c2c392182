"""Table renderer and sweep-row builder for bargaining models (``kind = "model"``).

Listed in :mod:`bargaining.report.registry` as ``TABLE_RENDERERS["model"]`` and
``ROW_BUILDERS["model"]``. The row builder flattens each equilibrium's ``solution`` block into
columns ``solution:<key>`` (nested keys joined with ``:``, list items by 0-based index), so a
sweep over a model gets one column per named quantity (shares, offers, probability of war,
boundaries, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from bargaining.model.profile import Equilibrium, Solution
from bargaining.numeric import format_number

__all__ = ["model_table", "model_row", "flatten_solution"]


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, Fraction)) and not isinstance(v, bool)


def _fmt(v: Any, exact: bool) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if _is_number(v) or hasattr(v, "dtype"):
        try:
            return format_number(v, exact)
        except (TypeError, ValueError):
            return str(v)
    if isinstance(v, Mapping):
        return ", ".join(f"{k} {_fmt(x, exact)}" for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_fmt(x, exact) for x in v) + "]"
    return str(v)


def model_table(sol: Solution, exact: bool) -> list[str]:
    """Human table: per equilibrium its label, payoffs, certificate and the solution block."""
    players = list(getattr(sol.game, "players", []))
    lines: list[str] = []
    for k, eq in enumerate(sol.equilibria):
        lines.append(f"[{k}] {eq.label or 'equilibrium'}")
        pay = ", ".join(
            f"{players[i] if i < len(players) else i} {_fmt(v, exact)}" for i, v in enumerate(eq.payoffs)
        )
        lines.append(f"    payoffs: {pay}")
        block = eq.extra.get("solution") or {}
        width = max((len(str(key)) for key in block), default=0)
        for key, value in block.items():
            if key == "model":
                continue
            lines.append(f"    {str(key).replace('_', ' '):<{width}}  {_fmt(value, exact)}")
        lines.append(f"    regret {_fmt(eq.regret, exact)}")
    return lines


def flatten_solution(block: Mapping[str, Any], prefix: str = "solution") -> dict[str, Any]:
    """``{"shares": {"US": 0.5}}`` → ``{"solution:shares:US": 0.5}``; lists by index."""
    out: dict[str, Any] = {}
    for key, value in block.items():
        name = f"{prefix}:{key}"
        if isinstance(value, Mapping):
            out.update(flatten_solution(value, name))
        elif isinstance(value, (list, tuple)):
            for i, v in enumerate(value):
                if isinstance(v, Mapping):
                    out.update(flatten_solution(v, f"{name}:{i}"))
                else:
                    out[f"{name}:{i}"] = v
        else:
            out[name] = value
    return out


def model_row(sol: Solution, eq: Equilibrium) -> dict[str, Any]:
    """Sweep / CSV columns of one equilibrium of a bargaining model."""
    block = eq.extra.get("solution") or {}
    return {k: v for k, v in flatten_solution(block).items() if k != "solution:model"}
