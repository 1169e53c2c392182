"""The lab's computations, as functions of JSON-like input returning JSON-like output.

Each runs in a worker process (:mod:`bargaining.web.jobs`). A game source is
``{"name": "resolve-signal"}`` (the library) or ``{"text": "...", "filetype": "yaml|efg|nfg"}``
(an uploaded or edited file, at most :data:`MAX_TEXT` bytes). Uploaded text goes through the same
readers as files on disk (YAML: the safe loader and the restricted expression parser; nothing in
it is ever executed): it is written to a private temporary folder and opened by path.
"""

from __future__ import annotations

import functools
import io
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from bargaining.errors import BargainingError, FileFormatError
from bargaining.formats.load import known_game_names, load_template, open_game, resolve

__all__ = [
    "MAX_TEXT",
    "games",
    "game_info",
    "solve_view",
    "regimes",
    "learn_view",
    "validate",
    "export_file",
    "warm_up",
]

MAX_TEXT = 256 * 1024
FILETYPES = ("yaml", "efg", "nfg")
SLIDER_STEPS = 100


def warm_up() -> bool:
    """Import what the jobs use (run once in the pool's template process)."""
    import bargaining.report.explain  # noqa: F401
    import bargaining.solvers.api  # noqa: F401
    import bargaining.solvers.dynamics  # noqa: F401

    try:
        import bargaining.viz.matrix  # noqa: F401
        import bargaining.viz.tree_draw  # noqa: F401
    except BargainingError:
        pass
    return True


# ----------------------------------------------------------------------------------------------
# sources
# ----------------------------------------------------------------------------------------------


class _Source:
    """A game source opened by path; uploaded text lives in a temporary folder meanwhile."""

    def __init__(self, source: dict[str, Any]):
        self.tmp = None
        if not isinstance(source, dict):
            raise BargainingError("source: expected {'name': ...} or {'text': ..., 'filetype': ...}")
        if "text" in source:
            text, ftype = source.get("text"), str(source.get("filetype", "yaml")).lower().lstrip(".")
            if ftype == "yml":
                ftype = "yaml"
            if not isinstance(text, str):
                raise BargainingError("source text: expected the file's text")
            if ftype not in FILETYPES:
                raise BargainingError(f"file type {ftype!r}: open a .yaml, .efg or .nfg file")
            if len(text.encode("utf-8")) > MAX_TEXT:
                raise BargainingError(f"the file is larger than {MAX_TEXT // 1024} KB: game files are small")
            self.tmp = tempfile.TemporaryDirectory(prefix="bargain-lab-")
            self.path = Path(self.tmp.name) / f"uploaded.{ftype}"
            self.path.write_text(text, encoding="utf-8")
            self.spec = str(self.path)
        else:
            name = str(source.get("name", ""))
            if name not in known_game_names():
                raise BargainingError(f"unknown game {name!r}: pick one from the list")
            self.spec = name
            self.path = resolve(name)[0]

    def __enter__(self) -> _Source:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.tmp is not None:
            self.tmp.cleanup()

    def message(self, err: Exception) -> str:
        text = str(err)
        if self.tmp is not None:
            text = text.replace(str(self.path), self.path.name).replace(self.tmp.name + "/", "")
        return text

    @property
    def parametric(self) -> bool:
        return self.path.suffix.lower() in (".yaml", ".yml")

    def template(self) -> Any:
        return load_template(self.spec) if self.parametric else None

    def game(self, params: dict[str, Any] | None) -> Any:
        params = {k: str(v) for k, v in (params or {}).items()}
        if not self.parametric:
            return open_game(self.spec, None)
        return self.template().with_params(**params)


def _user_errors(fn):
    @functools.wraps(fn)  # same qualified name: the worker pool pickles it by reference
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BargainingError as err:
            return {"error": str(err)}

    return wrapped


def games() -> list[dict[str, Any]]:
    """The library: name, kind and title of every game."""
    out = []
    for name in known_game_names():
        try:
            path = resolve(name)[0]
            if path.suffix.lower() in (".yaml", ".yml"):
                t = load_template(name)
                out.append({"name": name, "kind": t.kind, "title": t.title})
            else:
                out.append({"name": name, "kind": path.suffix.lstrip("."), "title": name})
        except BargainingError:
            continue
    return out


def _slider(p: Any) -> dict[str, Any]:
    d = p.to_dict()
    default = float(d["default"])
    lo, hi = d["range"] or [None, None]
    lo = default - 10 if lo is None or lo == float("-inf") else float(lo)
    hi = default + 10 if hi is None or hi == float("inf") else float(hi)
    if getattr(p, "integer", False):
        step = 1.0
    else:
        step = float(f"{(hi - lo) / SLIDER_STEPS:.2g}") or (hi - lo) / SLIDER_STEPS
    return {**d, "min": lo, "max": hi, "step": step, "integer": bool(getattr(p, "integer", False))}


@_user_errors
def game_info(source: dict[str, Any]) -> dict[str, Any]:
    """Kind, title, players, sliders (one per parameter: default, min, max, step) and the file text."""
    with _Source(source) as src:
        try:
            t = src.template()
            text = src.path.read_text(encoding="utf-8") if src.path.stat().st_size <= MAX_TEXT else ""
            if t is None:
                g = src.game(None)
                return {
                    "kind": g.kind,
                    "title": getattr(g, "title", "") or src.path.name,
                    "players": list(g.players),
                    "parameters": [],
                    "text": text,
                    "filetype": src.path.suffix.lstrip("."),
                }
            return {
                "kind": t.kind,
                "title": t.title,
                "description": t.description,
                "players": list(getattr(t, "players", ()) or ()),
                "parameters": [_slider(p) for p in t.parameters],
                "text": text,
                "filetype": "yaml",
            }
        except BargainingError as err:
            raise BargainingError(src.message(err)) from None


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.find("<svg") :]


def _picture(game: Any, sol: Any, k: int | None) -> str | None:
    if getattr(game, "kind", None) not in ("normal", "tree", "signaling"):
        return None
    from bargaining.viz import draw

    try:
        return _svg(draw(game, sol, k))
    except BargainingError:
        return None


def _explanation(game: Any) -> str:
    kind = getattr(game, "kind", None)
    try:
        if kind == "signaling":
            from bargaining.report.explain import explain

            return explain(game, "text")
        if kind == "tree":
            from bargaining.report.explain_sequential import explain_tree

            return explain_tree(game, "text")
    except BargainingError as err:
        return f"(no step-by-step explanation: {err})"
    return ""


def _summary(eq: dict[str, Any], k: int) -> dict[str, Any]:
    ref = eq.get("refinements") or {}
    out = {
        "index": k,
        "label": eq.get("label") or "",
        "refinements": ref,
        "payoffs": eq.get("payoffs"),
        "regret": eq.get("regret"),
    }
    for key in ("strategies", "behavior", "beliefs", "solution", "mixing", "refinement_notes", "description"):
        if key in eq:
            out[key] = eq[key]
    return out


@_user_errors
def solve_view(
    source: dict[str, Any],
    params: dict[str, Any] | None = None,
    equilibrium: int | None = None,
    timeout: float | None = None,
    concept: str | None = None,
) -> dict[str, Any]:
    """Solve at ``params``: the equilibria (summaries), the table text, the picture (SVG) with
    equilibrium ``equilibrium`` overlaid (all if None) and the step-by-step explanation."""
    from bargaining.report.render import render_json, render_table
    from bargaining.solvers.api import solve

    with _Source(source) as src:
        try:
            game = src.game(params)
            sol = solve(game, concept=concept, timeout=timeout)
        except BargainingError as err:
            raise BargainingError(src.message(err)) from None
    data = json.loads(render_json(sol))
    eqs = data.get("equilibria", [])
    if equilibrium is not None and not 0 <= equilibrium < len(eqs):
        equilibrium = None
    return {
        "concept": data.get("concept"),
        "method": data.get("method"),
        "complete": data.get("complete"),
        "message": sol.message,
        "equilibria": [_summary(e, k) for k, e in enumerate(eqs)],
        "table": render_table(sol),
        "svg": _picture(game, sol, equilibrium),
        "equilibrium": equilibrium,
        "explanation": _explanation(game),
    }


def _values(lo: float, hi: float, n: int) -> list[float]:
    return [lo + (hi - lo) * i / (n - 1) for i in range(n)] if n > 1 else [lo]


@_user_errors
def regimes(
    source: dict[str, Any],
    params: dict[str, Any],
    x: str,
    y: str | None = None,
    n: int = 10,
    point_timeout: float = 2.0,
) -> dict[str, Any]:
    """A regime map: on an ``n``×``n`` grid of ``x`` and ``y`` (or ``n`` points of ``x``) over
    the parameters' slider ranges, the set of equilibrium labels at each point."""
    from bargaining.solvers.api import solve

    n = max(2, min(int(n), 30))
    with _Source(source) as src:
        t = src.template()
        if t is None:
            raise BargainingError("a Gambit file has no parameters: a regime map needs a YAML game")
        sliders = {p.name: _slider(p) for p in t.parameters}
        for name in (x, y):
            if name is not None and name not in sliders:
                raise BargainingError(f"regime map: {name!r} is not a parameter of this game")
        xs = _values(sliders[x]["min"], sliders[x]["max"], n)
        ys = _values(sliders[y]["min"], sliders[y]["max"], n) if y else [None]
        regimes_: list[str] = []
        cells = []
        for j, yv in enumerate(ys):
            for i, xv in enumerate(xs):
                point = {**(params or {}), x: repr(xv)}
                if y:
                    point[y] = repr(yv)
                try:
                    sol = solve(t.with_params(**{k: str(v) for k, v in point.items()}), timeout=point_timeout)
                    labels = sorted({e.label or ("pure" if e.is_pure else "mixed") for e in sol.equilibria})
                    text = " + ".join(labels) or "none"
                    if not sol.complete:
                        text += " (incomplete)"
                except BargainingError as err:
                    text = f"error: {str(err)[:60]}"
                if text not in regimes_:
                    regimes_.append(text)
                cells.append({"i": i, "j": j, "x": xv, "y": yv, "regime": regimes_.index(text)})
    return {"x": x, "y": y, "xs": xs, "ys": ys if y else [], "regimes": regimes_, "cells": cells}


@_user_errors
def learn_view(
    source: dict[str, Any],
    params: dict[str, Any] | None,
    dynamics: str,
    steps: int | None = None,
    seed: int = 0,
    points: int = 300,
) -> dict[str, Any]:
    """A learning run, its trajectory thinned to about ``points`` frames for the animation."""
    from bargaining.solvers.dynamics import learn

    with _Source(source) as src:
        try:
            run = learn(src.game(params), dynamics, steps=steps, seed=seed, timeout=10)
        except BargainingError as err:
            raise BargainingError(src.message(err)) from None
    d = run.to_dict()
    traj = d.pop("trajectory")
    every = max(1, len(traj) // max(2, points))
    d["trajectory"] = traj[::every] + ([traj[-1]] if (len(traj) - 1) % every else [])
    return d


_LINE = re.compile(r"(?:^|\b)uploaded\.yaml(?::(\d+))?:?\s*(.*)$", re.S)


def validate(text: str) -> dict[str, Any]:
    """Check YAML text as a game file: ``{"ok": True, "title", "parameters"}`` or ``{"ok": False,
    "errors": [{"line", "message"}]}`` (the reader stops at the first error)."""
    try:
        with _Source({"text": text, "filetype": "yaml"}) as src:
            try:
                t = src.template()
                t.to_game()  # the defaults must give a valid game
            except BargainingError as err:
                raise BargainingError(src.message(err)) from None
    except BargainingError as err:
        line = err.line if isinstance(err, FileFormatError) else None
        message = str(err)
        m = _LINE.search(message)
        if m and line is None and m.group(1):
            line = int(m.group(1))
        return {"ok": False, "errors": [{"line": line, "message": message}]}
    return {
        "ok": True,
        "errors": [],
        "title": t.title,
        "kind": t.kind,
        "parameters": [p.name for p in t.parameters],
    }


@_user_errors
def export_file(
    source: dict[str, Any],
    params: dict[str, Any] | None,
    fmt: str,
    equilibrium: int | None = None,
    timeout: float | None = None,
) -> dict[str, Any]:
    """The picture or LaTeX of the game with its equilibria: ``{"filename", "media_type",
    "data"}`` (``data``: text, or base64 for PNG)."""
    import base64

    from bargaining.solvers.api import solve

    with _Source(source) as src:
        try:
            game = src.game(params)
            sol = solve(game, timeout=timeout)
            stem = (source.get("name") or "game") if isinstance(source, dict) else "game"
            if fmt == "tikz":
                from bargaining.report.latex import export

                to = "sgame" if game.kind == "normal" else "tikz"
                return {
                    "filename": f"{stem}.tex",
                    "media_type": "text/x-tex",
                    "data": export(game, to, sol, equilibrium),
                }
            if fmt not in ("png", "svg"):
                raise BargainingError(f"export format {fmt!r}: use png, svg or tikz")
            from bargaining.viz import draw

            fig = draw(game, sol, equilibrium)
            if fmt == "svg":
                return {"filename": f"{stem}.svg", "media_type": "image/svg+xml", "data": _svg(fig)}
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=150)
            return {
                "filename": f"{stem}.png",
                "media_type": "image/png",
                "data": base64.b64encode(buf.getvalue()).decode("ascii"),
                "base64": True,
            }
        except BargainingError as err:
            raise BargainingError(src.message(err)) from None
