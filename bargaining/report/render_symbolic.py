"""Text, JSON and LaTeX renderings of a symbolic answer
(:class:`bargaining.solvers.symbolic.SymbolicResult`), the boundary table of a regime map and the
drawing of the exact boundaries over a sampled regime map."""

from __future__ import annotations

import json
from typing import Any

import sympy as sp

__all__ = ["render_symbolic", "boundaries", "render_boundaries", "draw_boundaries"]


def _tree_lines(d: Any, indent: str, fmt) -> list[str]:
    out = []
    for k, v in d.items():
        if isinstance(v, dict):
            out.append(f"{indent}{k}:")
            out.extend(_tree_lines(v, indent + "  ", fmt))
        elif isinstance(v, (list, tuple)):
            out.append(f"{indent}{k}: " + ", ".join(fmt(x) for x in v))
        else:
            out.append(f"{indent}{k}: {fmt(v)}")
    return out


def _str(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, sp.Basic):
        return sp.sstr(sp.simplify(x))
    return str(x)


def _latex(x: Any) -> str:
    if x is None:
        return "--"
    if isinstance(x, sp.Basic):
        return f"${sp.latex(sp.simplify(x))}$"
    return str(x).replace("_", r"\_")


def render_symbolic(res: Any, fmt: str = "table", check: list[dict] | None = None) -> str:
    """``table`` (readable maths), ``json`` (the ``symbolic`` block) or ``latex``."""
    if fmt == "json":
        block = {"game": res.game, "symbolic": res.to_dict()}
        if check is not None:
            block["check"] = check
        return json.dumps(block, indent=2) + "\n"
    latex = fmt == "latex"
    f = _latex if latex else _str
    lines = []
    fixed = ", ".join(f"{k}={sp.sstr(v)}" for k, v in res.fixed.items())
    if latex:
        lines.append(f"% {res.game}: symbolic in " + ", ".join(res.parameters))
        lines.append(r"\begin{itemize}")
    else:
        lines.append(f"{res.game}: equilibrium families in {', '.join(res.parameters)}")
        if fixed:
            lines.append(f"fixed: {fixed}")
        lines.append(
            "box: " + ", ".join(f"{k} in [{sp.sstr(lo)}, {sp.sstr(hi)}]" for k, (lo, hi) in res.box.items())
        )
    for k, fam in enumerate(res.families):
        if latex:
            lines.append(rf"\item \textbf{{{k}: {fam.label}}}")
            if fam.region is None:
                lines.append(r"  region: not decided" + (f" ({fam.note})" if fam.note else ""))
            else:
                conds = [f"{sp.latex(g)} \\le 0" for g in fam.region.conditions] or [r"\text{the whole box}"]
                lines.append("  region: $" + r",\; ".join(conds) + "$")
            lines.extend(_tree_lines({"strategies": fam.strategies}, "  ", f))
            continue
        lines.append("")
        lines.append(f"[{k}] {fam.label}")
        if fam.region is None:
            lines.append("  region: null (" + (fam.note or "not decided") + ")")
        else:
            conds = [sp.sstr(g) + " <= 0" for g in fam.region.conditions] or ["the whole box"]
            lines.append("  region: " + "  and  ".join(conds))
        lines.extend(_tree_lines({"strategies": fam.strategies}, "  ", f))
        if fam.beliefs:
            lines.extend(_tree_lines({"beliefs": fam.beliefs}, "  ", f))
        if fam.values:
            lines.extend(_tree_lines({"payoffs": fam.values}, "  ", f))
    if latex:
        lines.append(r"\end{itemize}")
    for note in res.notes:
        lines.append(("% note: " if latex else "note: ") + note)
    if check is not None and not latex:
        lines.append("")
        lines.append("check against the numeric solver:")
        for c in check:
            lines.append(
                f"  [{c['family']}] {c['label']}: {c['matched']}/{c['checked']} points match"
                + (f" ({c['note']})" if c.get("note") else "")
            )
    return "\n".join(lines) + "\n"


def boundaries(res: Any, x: str, y: str) -> list[dict[str, Any]]:
    """The distinct boundary polynomials of the families' regions, each with its solution for
    ``x`` or ``y`` where it is explicit (``p = 3/10``)."""
    out: list[dict[str, Any]] = []
    seen = set()
    sx, sy = res.setup.symbols[x], res.setup.symbols[y]
    for k, fam in enumerate(res.families):
        if fam.region is None:
            continue
        for g in fam.region.conditions:
            key = sp.expand(g) if sp.Poly(g).LC() > 0 else sp.expand(-g)
            if key in seen:
                for b in out:
                    if b["_key"] == key:
                        b["families"].append(k)
                continue
            seen.add(key)
            text = f"{sp.sstr(key)} = 0"
            for s in (sx, sy):
                if s in key.free_symbols:
                    sols = sp.solve(key, s)
                    if len(sols) == 1:
                        text = f"{s} = {sp.sstr(sp.simplify(sols[0]))}"
                        break
            out.append({"_key": key, "boundary": text, "polynomial": sp.sstr(key), "families": [k]})
    return out


def render_boundaries(res: Any, x: str, y: str, fmt: str = "table") -> str:
    rows = boundaries(res, x, y)
    if fmt == "json":
        data = {
            "game": res.game,
            "x": x,
            "y": y,
            "boundaries": [{k: v for k, v in r.items() if k != "_key"} for r in rows],
            "families": [
                {"label": f.label, "region": None if f.region is None else f.region.texts()}
                for f in res.families
            ],
        }
        return json.dumps(data, indent=2) + "\n"
    lines = [f"{res.game}: exact regime boundaries over {x} and {y}"]
    for k, f in enumerate(res.families):
        reg = "null" if f.region is None else ("  and  ".join(f.region.texts()) or "the whole box")
        lines.append(f"  [{k}] {f.label}: {reg}")
    lines.append("boundaries (zero sets of the region polynomials):")
    for r in rows:
        lines.append(f"  {r['boundary']:<40} families {', '.join(map(str, r['families']))}")
    return "\n".join(lines) + "\n"


def draw_boundaries(fig: Any, res: Any, x: str, y: str, n: int = 300) -> Any:
    """Draw each family's boundary curves (the zero set of a region polynomial, where the
    family's other conditions hold) on the regime map ``fig``."""
    import numpy as np

    ax = fig.axes[0]
    st = res.setup
    sx, sy = st.symbols[x], st.symbols[y]
    (xlo, xhi), (ylo, yhi) = ax.get_xlim(), ax.get_ylim()
    X, Y = np.meshgrid(np.linspace(xlo, xhi, n), np.linspace(ylo, yhi, n))
    for fam in res.families:
        if fam.region is None:
            continue
        fns = [sp.lambdify((sx, sy), g, "numpy") for g in fam.region.conditions]
        vals = [np.broadcast_to(np.asarray(fn(X, Y), dtype=float), X.shape) for fn in fns]
        for i, v in enumerate(vals):
            mask = np.zeros(X.shape, dtype=bool)
            for j, w in enumerate(vals):
                if j != i:
                    mask |= w > 1e-9 * max(1.0, float(np.nanmax(np.abs(w))))
            Z = np.where(mask, np.nan, v)
            if np.all(np.isnan(Z)):
                continue
            ax.contour(X, Y, Z, levels=[0], colors="black", linewidths=1.2)
    ax.set_xlim(xlo, xhi)
    ax.set_ylim(ylo, yhi)
    return fig
