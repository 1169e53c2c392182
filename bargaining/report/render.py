"""Render a :class:`~bargaining.model.profile.Solution` for people (table), programs (JSON) and
spreadsheets (CSV, one row per equilibrium with the columns of docs/reference/solve.md).

The table bodies and row columns are looked up in :mod:`bargaining.report.registry`: by
``Solution.concept`` first (Stackelberg, correlated, persuasion, repeated, proper), then by
``game.kind``.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from bargaining.model.profile import Solution
from bargaining.numeric import jsonify
from bargaining.report.registry import (
    CONCEPT_ROW_BUILDERS,
    CONCEPT_TABLE_RENDERERS,
    ROW_BUILDERS,
    TABLE_RENDERERS,
)
from bargaining.report.render_normal import kind_label, support_label

__all__ = [
    "render",
    "render_json",
    "render_table",
    "render_csv",
    "equilibrium_rows",
    "support_label",
    "clean_regret",
]


def _header(sol: Solution) -> list[str]:
    game = sol.game
    title = getattr(game, "title", "") or "untitled game"
    status = "complete" if sol.complete else "INCOMPLETE (not all equilibria are guaranteed)"
    n = len(sol.equilibria)
    lines = [
        f"{title}",
        f"concept {sol.concept}, method {sol.method}, {n} equilibri{'um' if n == 1 else 'a'}, {status}",
    ]
    if sol.message:
        lines.append(f"note: {sol.message}")
    return lines


def _generic_table(sol: Solution, exact: bool) -> list[str]:
    lines = []
    for k, eq in enumerate(sol.equilibria):
        lines.append(f"[{k}] {kind_label(eq)}")
        for key, value in eq.to_dict(exact).items():
            lines.append(f"    {key}: {json.dumps(value)}")
    return lines


def render_table(sol: Solution, exact: bool | None = None) -> str:
    exact = sol.exact if exact is None else exact
    renderer = CONCEPT_TABLE_RENDERERS.get(sol.concept) or TABLE_RENDERERS.get(
        getattr(sol.game, "kind", ""), _generic_table
    )
    body = renderer(sol, exact)
    if not sol.equilibria and not any(
        e.get("vertices_listed") is False for e in sol.extra.get("equilibrium_sets", ())
    ):
        body = ["(no equilibrium found)"]
    return "\n".join(_header(sol) + _off_path_note(sol) + [""] + body) + "\n"


def _off_path_note(sol: Solution) -> list[str]:
    """One line when a tree's SPE differ only off the equilibrium path (the same outcome
    distribution for all), pointing to ``--tie-break file`` when the game declares a rule."""
    game = sol.game
    n = len(sol.equilibria)
    if getattr(game, "kind", "") != "tree" or n < 2:
        return []
    groups: dict[tuple, list[str]] = {}
    for eq in sol.equilibria:
        key = tuple(float(x) for x in (eq.outcomes or ())) + tuple(float(x) for x in eq.payoffs)
        groups.setdefault(key, []).append(kind_label(eq))
    if len(groups) == n:
        return []
    hint = (
        "; --tie-break file keeps one, by the game file's tie_break rule"
        if getattr(game, "tie_break", None)
        else ""
    )
    if len(groups) == 1:
        what = "all have the same outcome and payoffs"
    else:
        counts = ", ".join(f"{labels[0]} x{len(labels)}" for labels in groups.values())
        what = f"they have {len(groups)} outcomes ({counts})"
    return [
        f"note: {n} equilibria, but {what}: those with one outcome differ only in choices off the "
        f"equilibrium path{hint}"
    ]


# round-off, not regret: a float regret below this (times the payoff scale) prints as 0
REGRET_ROUNDOFF = 1e-12
# the keys of an equilibrium whose numbers are probabilities, payoffs or regret (docs/reference/solve.md)
_NUMBER_KEYS = frozenset({"strategies", "behavior", "beliefs", "outcomes", "payoffs", "regret"})


def clean_regret(regret: Any, payoffs: Any = ()) -> Any:
    """``regret`` with floating round-off removed: a float below ``REGRET_ROUNDOFF`` times
    ``max(1, |payoffs|)`` (models solved in floats report 1.7e-16 for an exact optimum) is 0.0.
    A larger float regret (an approximate method) is kept as it is."""
    if isinstance(regret, float) or type(regret).__module__ == "numpy":
        try:
            v = float(regret)
            scale = max([1.0, *(abs(float(x)) for x in payoffs if x is not None)])
        except (TypeError, ValueError):
            return regret
        if abs(v) < REGRET_ROUNDOFF * scale:
            return 0.0
    return regret


def _exact_number(value: Any) -> Any:
    """Under ``--exact`` every exact number is a ``"p/q"`` string: ints, and floats whose
    decimal text is a short fraction (a float such as 1.0 or 0.25 is that number exactly).
    A float of a numerical method (0.3333333333333333) stays a number: it is not exact."""
    from fractions import Fraction

    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        f = Fraction(repr(value))
        return str(f) if f.denominator <= 10**6 else value
    if isinstance(value, list):
        return [_exact_number(v) for v in value]
    if isinstance(value, dict):
        return {k: _exact_number(v) for k, v in value.items()}
    return value


def _json_equilibrium(eq: dict[str, Any], exact: bool) -> dict[str, Any]:
    out = dict(eq)
    if "regret" in out:
        out["regret"] = clean_regret(out["regret"], out.get("payoffs") or ())
    if exact:
        for key in _NUMBER_KEYS & set(out):
            out[key] = _exact_number(out[key])
    return out


def render_json(sol: Solution, exact: bool | None = None) -> str:
    data = sol.to_dict(exact)
    exact = sol.exact if exact is None else exact
    if isinstance(data.get("equilibria"), list):
        data["equilibria"] = [
            _json_equilibrium(e, exact) if isinstance(e, dict) else e for e in data["equilibria"]
        ]
    return json.dumps(data, indent=2) + "\n"


def equilibrium_rows(sol: Solution) -> list[dict[str, Any]]:
    """One flat dict per equilibrium: ``equilibrium``, ``label``, probability columns
    ``p:<player>:...``, ``payoff:<player>``, ``regret``, ``complete`` (docs/reference/sweep.md); the
    concepts of :mod:`bargaining.report.render_commitment` add their named columns
    (``commitment:<strategy>``, ``value_of_commitment:over_best_nash``, ``joint:<profile>``,
    ``signal:<state>:<action>``, ``trigger_delta:<profile>``, ...)."""
    builder = CONCEPT_ROW_BUILDERS.get(sol.concept) or ROW_BUILDERS.get(getattr(sol.game, "kind", ""))
    players = list(getattr(sol.game, "players", []))
    rows = []
    for k, eq in enumerate(sol.equilibria):
        row: dict[str, Any] = {"equilibrium": k, "label": kind_label(eq, sol.game)}
        refinements = eq.extra.get("refinements")
        if isinstance(refinements, dict):
            for name, ok in refinements.items():
                row[f"refinement:{name}"] = ok
        if builder is not None:
            row.update(builder(sol, eq))
        for i, value in enumerate(eq.payoffs):
            row[f"payoff:{players[i] if i < len(players) else i}"] = value
        row["regret"] = clean_regret(eq.regret, eq.payoffs)
        row["complete"] = sol.complete
        rows.append(row)
    return rows


def render_csv(sol: Solution, exact: bool | None = None) -> str:
    exact = sol.exact if exact is None else exact
    rows = [jsonify(r, exact) for r in equilibrium_rows(sol)]
    fields: list[str] = []
    for r in rows:
        for key in r:
            if key not in fields:
                fields.append(key)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields or ["equilibrium"], lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: json.dumps(v) if isinstance(v, (list, dict)) else v for k, v in r.items()})
    return buf.getvalue()


def render(sol: Solution, fmt: str = "table", exact: bool | None = None) -> str:
    return {"table": render_table, "json": render_json, "csv": render_csv}[fmt](sol, exact)
