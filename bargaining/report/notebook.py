"""Rich display in Jupyter: games and solutions show themselves as HTML tables and SVG pictures.

The game and solution classes' ``_repr_html_`` / ``_repr_svg_`` methods call the display hook
of the model layer (:mod:`bargaining.model.display`); :func:`install` (run by ``import
bargaining`` through :func:`bargaining.report.install_display`) fills that hook with:

- :func:`game_html` — a normal-form game as an HTML payoff table (best responses underlined,
  as in :mod:`bargaining.viz.matrix`); other kinds as a short description;
- :func:`solution_html` — the concept, method and completeness, the game's table with pure
  equilibria shaded, and one row per equilibrium (profile, payoffs, regret, label);
- :func:`figure_svg` — the matplotlib picture of :func:`bargaining.viz.draw` as SVG text, or
  ``None`` when matplotlib is missing or the object has no picture (Jupyter then falls back to
  the other representations).

The model layer never imports this module; plotting (``bargaining.viz``) is imported only when
a picture is asked for.
"""

from __future__ import annotations

import html
import io
import itertools
import json
from typing import Any

__all__ = ["game_html", "template_html", "solution_html", "figure_svg", "install"]

_CSS_CELL = "border:1px solid #444;padding:4px 10px;text-align:center"
_CSS_HEAD = "padding:4px 10px;text-align:center"
_SHADE = "#f9e29c"


def _esc(text: Any) -> str:
    return html.escape(str(text))


def _payoff_span(value: Any, exact: bool, player: int, best: bool) -> str:
    from bargaining.viz.matrix import PLAYER_COLORS, format_value

    color = PLAYER_COLORS[player % len(PLAYER_COLORS)]
    text = _esc(format_value(value, exact))
    if best:
        return f'<span style="color:{color}"><u><b>{text}</b></u></span>'
    return f'<span style="color:{color}">{text}</span>'


def _normal_table(game: Any, shaded: frozenset | set = frozenset()) -> str:
    from bargaining.viz.matrix import PLAYER_COLORS, best_response_mask

    mask = best_response_mask(game)
    n = game.num_players
    exact = bool(game.exact)
    rows = game.shape[0]
    cols = game.shape[1] if n > 1 else 1
    col_labels = game.strategies[1] if n > 1 else ("",)
    c0, c1 = PLAYER_COLORS[0], PLAYER_COLORS[1]
    out = []
    for panel in itertools.product(*[range(m) for m in game.shape[2:]]):
        out.append('<table style="border-collapse:collapse;margin:6px 0">')
        if panel:
            caption = ", ".join(
                f"{_esc(game.players[2 + j])}: {_esc(game.strategies[2 + j][s])}" for j, s in enumerate(panel)
            )
            out.append(f"<caption style='font-style:italic'>{caption}</caption>")
        if n > 1:
            out.append(
                f'<tr><td></td><td></td><th colspan="{cols}" style="{_CSS_HEAD};color:{c1}">'
                f"{_esc(game.players[1])}</th></tr>"
            )
        head = "".join(f'<th style="{_CSS_HEAD};color:{c1}">{_esc(s)}</th>' for s in col_labels)
        out.append(f"<tr><td></td><td></td>{head}</tr>")
        for r in range(rows):
            cells = []
            if r == 0:
                cells.append(
                    f'<th rowspan="{rows}" style="{_CSS_HEAD};color:{c0};writing-mode:vertical-rl;'
                    f'transform:rotate(180deg)">{_esc(game.players[0])}</th>'
                )
            cells.append(
                f'<th style="{_CSS_HEAD};color:{c0};text-align:right">{_esc(game.strategies[0][r])}</th>'
            )
            for c in range(cols):
                idx = (r, c, *panel) if n > 1 else (r,)
                spans = ", ".join(
                    _payoff_span(game.payoffs[(i, *idx)], exact, i, bool(mask[(i, *idx)])) for i in range(n)
                )
                style = _CSS_CELL + (f";background:{_SHADE};border-width:2px" if idx in shaded else "")
                cells.append(f'<td style="{style}">{spans}</td>')
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</table>")
    return "\n".join(out)


def game_html(game: Any) -> str:
    """HTML for a game: a payoff table for normal-form games; the tree picture (inline SVG) for
    trees and signaling games; for a parametric template, its parameters and then its game at
    the defaults. Without matplotlib a tree falls back to its JSON description."""
    if hasattr(game, "to_game") and hasattr(game, "with_params"):
        return template_html(game)
    title = getattr(game, "title", "") or ""
    head = f"<b>{_esc(title)}</b><br>" if title else ""
    if getattr(game, "kind", None) == "normal":
        note = "<small>bold underlined: a best response</small>"
        return f"<div>{head}{_normal_table(game)}{note}</div>"
    if getattr(game, "kind", None) in ("tree", "signaling"):
        svg = figure_svg(game)
        if svg is not None:
            return f"<div>{svg[svg.find('<svg') :]}</div>"
    describe = getattr(game, "describe", None)
    body = json.dumps(describe(), indent=1, default=str) if describe else repr(game)
    return f"<div>{head}<pre>{_esc(body)}</pre></div>"


def template_html(template: Any) -> str:
    """A parametric game: title, the table of parameters (default, range, meaning), and the
    game at its defaults."""
    rows = []
    for prm in getattr(template, "parameters", ()):
        rng = getattr(prm, "range_text", None)
        rng = rng() if callable(rng) else rng
        rows.append(
            f'<tr><td style="{_CSS_CELL}"><code>{_esc(prm.name)}</code></td>'
            f'<td style="{_CSS_CELL}">{_esc(prm.default)}</td><td style="{_CSS_CELL}">{_esc(rng or "")}</td>'
            f'<td style="{_CSS_CELL};text-align:left">{_esc(getattr(prm, "meaning", ""))}</td></tr>'
        )
    table = ""
    if rows:
        head = "".join(
            f'<th style="{_CSS_CELL}">{h}</th>' for h in ("parameter", "default", "range", "meaning")
        )
        table = (
            '<table style="border-collapse:collapse;margin:6px 0">'
            + f"<tr>{head}</tr>"
            + "".join(rows)
            + "</table>"
        )
    try:
        body = game_html(template.to_game())
    except Exception as err:  # a template whose defaults do not build still shows its parameters
        body = f"<p>(the game at the defaults cannot be built: {_esc(err)})</p>"
    name = _esc(getattr(template, "name", ""))
    return (
        f"<div><b>{_esc(getattr(template, 'title', '') or name)}</b> <code>{name}</code>{table}{body}</div>"
    )


def _profile_cell(sol: Any, eq: Any, exact: bool) -> str:
    from bargaining.viz.matrix import format_value

    game = sol.game
    if eq.strategies is not None and hasattr(game, "strategies"):
        parts = []
        for i, player in enumerate(game.players):
            support = [
                f"{_esc(lab)}&nbsp;{_esc(format_value(p, exact))}" if p != 1 else _esc(lab)
                for lab, p in zip(game.strategies[i], eq.strategies[i])
                if p != 0
            ]
            parts.append(f"<b>{_esc(player)}</b>: {', '.join(support)}")
        return "<br>".join(parts)
    data = eq.to_dict(exact)
    data.pop("payoffs", None)
    data.pop("regret", None)
    data.pop("label", None)
    return f"<pre style='margin:0'>{_esc(json.dumps(data, indent=None))}</pre>"


def solution_html(sol: Any) -> str:
    """HTML for a :class:`~bargaining.model.profile.Solution` (see the module docstring)."""
    from bargaining.viz.matrix import format_value

    exact = bool(sol.exact)
    game = sol.game
    n = len(sol.equilibria)
    status = "complete" if sol.complete else "<b>incomplete</b> (not all equilibria are guaranteed)"
    title = getattr(game, "title", "") or "untitled game"
    parts = [
        f"<div><b>{_esc(title)}</b><br>concept {_esc(sol.concept)}, method {_esc(sol.method)}, "
        f"{n} equilibri{'um' if n == 1 else 'a'}, {status}"
    ]
    if sol.message:
        parts.append(f"<br><i>note: {_esc(sol.message)}</i>")
    if getattr(game, "kind", None) in ("tree", "signaling") and sol.equilibria:
        svg = figure_svg(sol)
        if svg is not None:
            parts.append(f"<div>{svg[svg.find('<svg') :]}</div>")
    if getattr(game, "kind", None) == "normal":
        shaded = set()
        for eq in sol.equilibria:
            if eq.strategies is not None and eq.is_pure:
                shaded.add(
                    tuple(max(range(len(p)), key=[float(v) for v in p].__getitem__) for p in eq.strategies)
                )
        parts.append(_normal_table(game, shaded))
    rows = [
        '<table style="border-collapse:collapse;margin-top:6px">',
        "<tr>"
        + "".join(f'<th style="{_CSS_CELL}">{h}</th>' for h in ("#", "label", "profile", "payoffs", "regret"))
        + "</tr>",
    ]
    for k, eq in enumerate(sol.equilibria):
        label = eq.label or ("pure" if eq.is_pure else "mixed")
        pay = ", ".join(format_value(v, exact) for v in eq.payoffs)
        rows.append(
            f'<tr><td style="{_CSS_CELL}">{k}</td><td style="{_CSS_CELL}">{_esc(label)}</td>'
            f'<td style="{_CSS_CELL};text-align:left">{_profile_cell(sol, eq, exact)}</td>'
            f'<td style="{_CSS_CELL}">{_esc(pay)}</td>'
            f'<td style="{_CSS_CELL}">{_esc(format_value(eq.regret, exact, 9))}</td></tr>'
        )
    rows.append("</table>")
    if n:
        parts.append("\n".join(rows))
    else:
        parts.append("<p>(no equilibrium found)</p>")
    parts.append("</div>")
    return "\n".join(parts)


def figure_svg(obj: Any) -> str | None:
    """SVG text of the picture of a game or a solution (all its equilibria overlaid), or
    ``None`` when there is none (no matplotlib, or a kind without pictures)."""
    try:
        from bargaining.viz import draw, require_matplotlib

        require_matplotlib()
        if hasattr(obj, "equilibria") and hasattr(obj, "game"):
            if getattr(obj.game, "kind", None) in ("tree", "signaling"):
                fig = draw(obj.game, obj, 0 if obj.equilibria else None)  # a tree shows one profile
            else:
                fig = draw(obj.game, obj)
        else:
            fig = draw(obj)
    except Exception:  # a notebook must still display the object in its other forms
        return None
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def install() -> None:
    """Register :func:`game_html`, :func:`solution_html` and :func:`figure_svg` in the model
    layer's display hook (idempotent)."""
    from bargaining.model.display import register

    register("game_html", game_html)
    register("solution_html", solution_html)
    register("figure_svg", figure_svg)
