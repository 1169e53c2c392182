"""Check symbolic families against the numeric solver.

:func:`check_families`: at up to ``n`` random points strictly inside each family's region, the
family's closed forms are evaluated and an equilibrium of the numeric solver with the same label
and the same numbers (within 1e-6) is looked for. :func:`regime_at` gives the symbolic regime of
a point (the sorted labels of the families whose region contains it), comparable with the
numeric regime (the sorted labels of the numeric equilibria); :func:`uncovered` lists sampled
points of the box in no region.
"""

from __future__ import annotations

import random
from typing import Any

import sympy as sp

from bargaining.solvers.symbolic.family import Family, SymbolicResult

__all__ = [
    "check_families",
    "numeric_regime",
    "regime_at",
    "uncovered",
    "family_numbers",
    "equilibrium_numbers",
]

TOL = 1e-6


def _num(x: Any, subs: dict) -> float:
    return float(sp.sympify(x).subs(subs))


def family_numbers(res: SymbolicResult, fam: Family, subs: dict) -> list[float]:
    kind = res.kind
    s = fam.strategies
    if kind == "normal":
        return [_num(v, subs) for player in s.values() for v in player.values()]
    if kind == "signaling":
        out = [_num(v, subs) for t in s["sender"].values() for v in t.values()]
        out += [_num(v, subs) for m in s["receiver"].values() if m is not None for v in m.values()]
        return out
    return [_num(v, subs) for v in fam.values.values()]


def equilibrium_numbers(res: SymbolicResult, fam: Family, eq: Any) -> list[float] | None:
    kind = res.kind
    if kind == "normal":
        return [float(v) for row in eq.strategies for v in row]
    if kind == "signaling":
        ss, rs = eq.extra.get("sender_strategy"), eq.extra.get("receiver_strategy")
        if ss is None or rs is None:
            return None
        out = [float(v) for t in ss.values() for v in t.values()]
        for m, resp in fam.strategies["receiver"].items():
            if resp is not None:
                if rs.get(m) is None:
                    return None
                out += [float(v) for v in rs[m].values()]
        return out
    return [float(v) for v in eq.payoffs]


def _solve(template: Any, point: dict) -> Any:
    from bargaining.solvers.api import solve

    return solve(template.with_params(**point), exact=False, timeout=60)


def check_families(res: SymbolicResult, template: Any, n: int = 5, seed: int = 0) -> list[dict[str, Any]]:
    """Per family: points tried, points matched, and the failures (point and reason)."""
    st = res.setup
    report = []
    for k, fam in enumerate(res.families):
        if fam.region is None:
            report.append(
                {
                    "family": k,
                    "label": fam.label,
                    "checked": 0,
                    "matched": 0,
                    "failures": [],
                    "note": "region null: not checked",
                }
            )
            continue
        pts = fam.region.sample_points(n, seed=seed + k)
        matched, failures = 0, []
        for pt in pts:
            point = st.point(pt)
            subs = {s: sp.Rational(point[name]) for name, s in st.symbols.items()}
            want = family_numbers(res, fam, subs)
            sol = _solve(template, point)
            ok = False
            for eq in sol.equilibria:
                if eq.label != fam.label:
                    continue
                got = equilibrium_numbers(res, fam, eq)
                if (
                    got is not None
                    and len(got) == len(want)
                    and all(abs(a - b) <= TOL for a, b in zip(got, want))
                ):
                    ok = True
                    break
            if ok:
                matched += 1
            else:
                failures.append(
                    {
                        "point": {k2: float(v) for k2, v in point.items() if k2 in st.symbols},
                        "numeric_labels": sorted({e.label for e in sol.equilibria}),
                    }
                )
        report.append(
            {"family": k, "label": fam.label, "checked": len(pts), "matched": matched, "failures": failures}
        )
    return report


def regime_at(res: SymbolicResult, pt: dict[sp.Symbol, float]) -> tuple[str, ...] | None:
    """Sorted labels of the families containing ``pt``; None if ``pt`` is within 1e-6 of a
    boundary (where neighbouring answers meet)."""
    labels = set()
    for fam in res.families:
        if fam.region is None:
            continue
        vals = [float(g.subs(pt)) for g in fam.region.conditions]
        if any(abs(v) < 1e-6 for v in vals):
            return None
        if all(v <= 0 for v in vals):
            labels.add(fam.label)
    return tuple(sorted(labels))


def numeric_regime(template: Any, res: SymbolicResult, pt: dict[sp.Symbol, float]) -> tuple[str, ...]:
    sol = _solve(template, res.setup.point(pt))
    return tuple(sorted({e.label for e in sol.equilibria}))


def uncovered(res: SymbolicResult, n: int = 200, seed: int = 0) -> list[dict[str, float]]:
    """Random points of the box in no family's region (families with region null count as
    covering nothing)."""
    rng = random.Random(seed)
    out = []
    regions = [f.region for f in res.families if f.region is not None]
    for _ in range(n):
        pt = res.setup.box.sample(rng)
        if not any(r.contains(pt) for r in regions):
            out.append({str(s): v for s, v in pt.items()})
    return out
