"""LaTeX export (bargaining.report.latex): sgame tables and TikZ trees are well-formed text.

No TeX is run; the checks are structural: balanced braces, matching environments, the number of
rows, cells and nodes, and that the marks (underlines, boxes, thick edges) are where the game
and its equilibria say.
"""

from __future__ import annotations

import re
from fractions import Fraction as F

import pytest
from click.testing import CliRunner

import bargaining
from bargaining.cli import main
from bargaining.errors import BargainingError
from bargaining.formats.load import load
from bargaining.report.latex import export, latex_escape, latex_number, sgame, tikz_tree
from bargaining.solvers.api import solve
from bargaining.viz.matrix import best_response_mask
from bargaining.viz.tree_layout import tree_overlay


def balanced(text: str) -> bool:
    depth = 0
    for m in re.finditer(r"\\.|[{}]", text):  # \{ \} \\ and other escapes do not count
        tok = m.group(0)
        if tok == "{":
            depth += 1
        elif tok == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def environments_match(text: str) -> bool:
    stack = []
    for kind, name in re.findall(r"\\(begin|end)\{([^}]*)\}", text):
        if kind == "begin":
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


def bos():
    return bargaining.NormalFormGame.from_arrays(
        [[3, 0], [0, 2]],
        [[2, 0], [0, 3]],
        players=["Row", "Column"],
        strategies=[["Opera", "Football"], ["Opera", "Football"]],
        exact=True,
    )


def test_escaping_and_numbers():
    assert latex_escape("a_b & 50% $#{}") == r"a\_b \& 50\% \$\#\{\}"
    assert balanced(latex_escape("{{x}") + "{}")
    assert latex_number(F(-3, 5), True) == r"-\frac{3}{5}" and latex_number(F(4), True) == "4"
    assert latex_number(0.125, False) == "0.125"


@pytest.mark.parametrize(
    "name", ["battle-of-the-sexes", "crisis-normal-form", "crisis-four-powers", "chicken"]
)
def test_sgame_tables_are_well_formed(name):
    g = load(name)
    text = sgame(g, standalone=True)
    assert balanced(text) and environments_match(text)
    assert text.count(r"\begin{game}") == max(1, int(__import__("numpy").prod(g.shape[2:])))
    rows, cols = g.shape[:2]
    body = re.findall(r"\\begin\{game\}[^\n]*\n(.*?)\\end\{game\}", text, flags=re.S)
    for table in body:
        lines = table.strip().split("\n")
        assert len(lines) == rows + 1  # header + one line per row strategy
        assert all(len(re.findall(r"(?<!\\)&", line)) == cols for line in lines)
    # one \underline per best-response payoff
    assert text.count(r"\underline") == int(best_response_mask(g).sum())


def test_sgame_boxes_pure_equilibria_and_labels_a_mixed_one():
    g = bos()
    sol = solve(g, exact=True)
    text = sgame(g, sol)
    pure = sum(1 for eq in sol.equilibria if eq.is_pure)
    assert text.count(r"\fbox") == pure == 2
    mixed = next(k for k, eq in enumerate(sol.equilibria) if not eq.is_pure)
    text = sgame(g, sol, mixed)
    assert r"Opera ($\frac{3}{5}$)" in text and r"Football ($\frac{3}{5}$)" in text
    assert r"\fbox" not in text and balanced(text)


@pytest.mark.parametrize("name", ["entry-deterrence", "escalation-tree", "seltens-horse", "deep-state-shift"])
def test_tikz_trees_are_well_formed(name):
    g = load(name)
    sol = solve(g)
    text = tikz_tree(g, sol, 0, standalone=True)
    assert balanced(text) and environments_match(text)
    assert len(re.findall(r"\\node\[(?:dec|chn|leaf)\] \(n\d+\)", text)) == len(g.nodes)
    edges = sum(len(n.children) for n in g.nodes)
    assert len(re.findall(r"\\draw\[[a-z]*\] \(n\d+\) -- node", text)) == edges
    assert text.count(r"\draw[iset]") == sum(1 for h in g.infosets if len(h.nodes) > 1)
    ov = tree_overlay(g, sol.equilibria[0])
    assert text.count(r"\draw[chosen]") == sum(1 for p in ov.action_prob.values() if p == 1)


def test_tikz_of_a_signaling_game_has_beliefs_and_ranges():
    g = load("resolve-signal")
    sol = solve(g)
    k = next(k for k, eq in enumerate(sol.equilibria) if eq.label == "semi-separating")
    text = export(g, "tikz", sol, k)
    assert balanced(text) and r"[$\frac{3}{10}$]" in text and r"\draw[iset]" in text
    pool = next(k for k, eq in enumerate(sol.equilibria) if eq.label == "pooling on N")
    assert "C [0, 1/8]" in export(g, "tikz", sol, pool)


def test_too_large_to_draw_is_a_clear_error():
    big = load("chain-store", N=6)
    with pytest.raises(BargainingError, match="too large"):
        tikz_tree(big)


def test_wrong_format_for_the_kind():
    with pytest.raises(BargainingError, match="--to sgame"):
        export(bos(), "tikz")
    with pytest.raises(BargainingError, match="--to tikz"):
        export(load("entry-deterrence"), "sgame")


def test_bargain_export(tmp_path):
    runner = CliRunner()
    r = runner.invoke(main, ["export", "battle-of-the-sexes", "--to", "sgame"])
    assert r.exit_code == 0 and r"\begin{game}{2}{2}" in r.output
    out = tmp_path / "t.tex"
    r = runner.invoke(main, ["export", "entry-deterrence", "--to", "tikz", "--solve", "-o", str(out)])
    assert r.exit_code == 0 and balanced(out.read_text()) and r"\draw[chosen]" in out.read_text()
    r = runner.invoke(main, ["export", "rubinstein", "--to", "tikz"])
    assert r.exit_code == 2
