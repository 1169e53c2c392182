"""Pictures: payoff matrices and trees with equilibria overlaid (bargaining.viz), notebook
display (bargaining.report.notebook) and the `bargain draw` command.

Legibility is checked, not assumed: ``label_overlaps`` measures every text box of a figure with
the Agg renderer and the scenario trees must have none.
"""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import numpy as np
import pytest
from click.testing import CliRunner

import bargaining
from bargaining.cli import main
from bargaining.errors import BargainingError
from bargaining.formats.load import load
from bargaining.model.signaling import SignalingGame
from bargaining.solvers.api import solve
from bargaining.verify import tree as verify_tree
from bargaining.viz import draw, save
from bargaining.viz.matrix import best_response_mask, cell_probabilities
from bargaining.viz.tree_draw import label_overlaps
from bargaining.viz.tree_layout import layout_tree, signaling_overlay, tree_overlay

pytest.importorskip("matplotlib")


def bos() -> bargaining.NormalFormGame:
    return bargaining.NormalFormGame.from_arrays(
        [[3, 0], [0, 2]],
        [[2, 0], [0, 3]],
        players=["Row", "Column"],
        strategies=[["Opera", "Football"], ["Opera", "Football"]],
        exact=True,
        title="Battle of the sexes",
    )


def resolve_signal(**kw) -> SignalingGame:
    """G1 of docs/scenarios.md at its defaults (built here so that the test does not depend on the
    scenario file)."""
    v = {
        "p": F(1, 4),
        "W": 1,
        "f_S": F(1, 5),
        "f_B": F(-1, 2),
        "c_S": F(1, 10),
        "c_B": F(3, 10),
        "a": F(1, 5),
        "y_C": F(2, 5),
        "y_A": 1,
        "y_W": 1,
        **kw,
    }

    def pay(f, c):
        def after(cost):
            return {
                "C": [v["W"] - cost, v["y_C"]],
                "A": {
                    "player": "US",
                    "actions": {
                        "F": {"payoffs": [f - cost, -v["y_W"]]},
                        "D": {"payoffs": [-(cost + v["a"]) if cost else 0, v["y_A"]]},
                    },
                },
            }

        return {"E": after(c), "N": after(0)}

    return SignalingGame.build(
        {"S": v["p"], "B": 1 - v["p"]},
        ["E", "N"],
        ["C", "A"],
        {"S": pay(v["f_S"], v["c_S"]), "B": pay(v["f_B"], v["c_B"])},
        sender="US",
        receiver="RU",
        title="Bluff or commitment",
    )


# -- best responses ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_best_response_mask_against_a_brute_force(seed):
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(1, 4, size=rng.integers(2, 4)))
    pay = rng.integers(-2, 3, size=(len(shape), *shape))  # small range: many ties
    g = bargaining.NormalFormGame.from_tensor(pay, exact=bool(seed % 2))
    mask = best_response_mask(g)
    for i in range(len(shape)):
        for cell in itertools.product(*[range(m) for m in shape]):
            deviations = [pay[(i, *cell[:i], k, *cell[i + 1 :])] for k in range(shape[i])]
            assert mask[(i, *cell)] == (pay[(i, *cell)] == max(deviations))


def test_cell_probabilities_is_the_product_measure():
    probs = cell_probabilities([(F(3, 5), F(2, 5)), (F(1, 3), F(2, 3))])
    assert probs.shape == (2, 2)
    assert probs[0, 1] == pytest.approx(0.4) and probs.sum() == pytest.approx(1)


# -- matrices ---------------------------------------------------------------------------------


def test_matrix_pictures_in_three_formats(tmp_path):
    g = bos()
    sol = solve(g, exact=True)
    assert len(sol.equilibria) == 3
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}
    for k, fmt in enumerate(magic):
        fig = draw(g, sol, k)
        assert label_overlaps(fig) == []
        path = save(fig, tmp_path / f"bos.{fmt}")
        assert path.read_bytes().startswith(magic[fmt])


def test_matrix_marks_best_responses_and_the_equilibrium():
    g = bos()
    sol = solve(g, exact=True)
    mixed = next(k for k, eq in enumerate(sol.equilibria) if not eq.is_pure)
    fig = draw(g, sol, mixed)
    texts = [t.get_text() for t in fig.axes[0].texts]
    # the mixing probabilities sit in the margins: 3/5, 2/5 for Row and 2/5, 3/5 for Column
    assert texts.count("3/5") >= 2 and texts.count("2/5") >= 2
    # every best-response payoff is bold: here the four payoffs of the two pure equilibria
    bold = [
        t.get_text() for t in fig.axes[0].texts if t.get_fontweight() == "bold" and t.get_text() in "0123"
    ]
    assert sorted(bold) == ["2", "2", "3", "3"]


def test_four_player_matrix_is_drawn_in_panels():
    g = load("crisis-four-powers")
    fig = draw(g)
    titles = [t.get_text() for t in fig.axes[0].texts if t.get_fontstyle() == "italic"]
    assert len(titles) == int(np.prod(g.shape[2:]))
    assert label_overlaps(fig) == []


def test_bad_requests_are_one_line_errors(tmp_path):
    g = bos()
    sol = solve(g, exact=True)
    with pytest.raises(BargainingError, match="numbered 0 to 2"):
        draw(g, sol, 3)
    with pytest.raises(BargainingError, match="needs a solution"):
        draw(g, None, 0)
    with pytest.raises(BargainingError, match="png, .svg or .pdf"):
        save(draw(g), tmp_path / "x.gif")


# -- trees ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["entry-deterrence", "escalation-tree", "deep-state-shift", "seltens-horse"])
def test_scenario_trees_are_legible_with_their_equilibria(name, tmp_path):
    g = load(name)
    sol = solve(g)
    assert sol.equilibria
    fig = draw(g, sol, 0)
    assert label_overlaps(fig) == [], name
    save(fig, tmp_path / f"{name}.png")
    # every action played with probability one is one thick line
    ov = tree_overlay(g, sol.equilibria[0])
    thick = [ln for ln in fig.axes[0].lines if ln.get_linewidth() > 3]
    assert len(thick) == sum(1 for p in ov.action_prob.values() if p == 1)


def test_tree_layout_keeps_subtrees_apart():
    g = load("escalation-tree")
    lay = layout_tree(g)
    leaves = [(lay.x[t], lay.y[t]) for t in g.terminals]
    assert len(set(leaves)) == len(leaves) == 28
    for node in g.nodes:
        if node.children:
            ys = [lay.y[c] for c in node.children]
            assert min(ys) <= lay.y[node.index] <= max(ys)
            assert all(lay.x[c] == lay.x[node.index] + 1 for c in node.children)


def test_signaling_games_use_the_butterfly_layout():
    g = resolve_signal()
    tree = g.to_extensive()
    lay = layout_tree(tree)
    assert lay.butterfly
    for h in tree.infosets:
        if len(h.nodes) == 2:  # the receiver's sets: one vertical line crossing no other node
            a, b = h.nodes
            assert lay.x[a] == lay.x[b]
            lo, hi = sorted((lay.y[a], lay.y[b]))
            assert not any(lay.x[v] == lay.x[a] and lo < lay.y[v] < hi for v in range(len(tree.nodes)))


def test_signaling_overlay_gives_the_semi_separating_outcome_of_g1(tmp_path):
    """G1 of docs/scenarios.md, the semi-separating PBE: compromise 25/72, escalation 7/48, bluff
    called 147/432, no endorsement 1/6; RU's belief after E is 3/10. The overlay's outcome
    distribution is also recomputed by the tree verifier from the overlay's own behaviour profile."""
    g = resolve_signal()
    tree = g.to_extensive()
    sol = solve(g)
    k = next(k for k, eq in enumerate(sol.equilibria) if eq.label == "semi-separating")
    ov = signaling_overlay(g, tree, sol.equilibria[k])
    behavior = [
        [
            tuple(ov.action_prob[(h_node, a)] for a in range(len(tree.infosets[h].actions)))
            for h in ids
            for h_node in tree.infosets[h].nodes[:1]
        ]
        for ids in tree.player_infosets
    ]
    assert tuple(ov.outcome[t] for t in tree.terminals) == verify_tree.outcome_distribution(tree, behavior)
    by_path = {" ".join(tree.path_labels(t)): ov.outcome[t] for t in tree.terminals}
    assert by_path["S E C"] + by_path["B E C"] == F(25, 72)
    assert by_path["S E A F"] == F(7, 48)
    assert by_path["B E A D"] == F(147, 432)
    assert by_path["S N A F"] + by_path["B N A D"] == F(1, 6)
    after_e = next(h for h in tree.infosets if h.label == "after E")
    assert ov.belief[after_e.nodes[0]] == F(3, 10)
    fig = draw(g, sol, k)
    assert label_overlaps(fig) == []
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"[3/10]", "[7/10]", "C 5/12", "E 7/9"} <= texts
    # the pooling equilibrium shows its off-path sustaining ranges
    pool = next(k for k, eq in enumerate(sol.equilibria) if eq.label == "pooling on N")
    fig = draw(g, sol, pool)
    assert label_overlaps(fig) == []
    assert "C [0, 1/8]" in {t.get_text() for t in fig.axes[0].texts}


# -- notebook ---------------------------------------------------------------------------------


def test_notebook_html_and_svg():
    g = bos()
    html = g._repr_html_()
    assert html.count("<u><b>") == int(best_response_mask(g).sum()) == 4
    sol = solve(g, exact=True)
    shtml = sol._repr_html_()
    assert shtml.count("<tr><td") - html.count("<tr><td") >= len(sol.equilibria)
    assert "complete" in shtml and "3/5" in shtml
    for obj in (g, sol):
        svg = obj._repr_svg_()
        assert svg is not None and "<svg" in svg


# -- CLI --------------------------------------------------------------------------------------


def test_bargain_draw(tmp_path):
    runner = CliRunner()
    out = tmp_path / "tree.svg"
    r = runner.invoke(main, ["draw", "entry-deterrence", "--solve", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_text().lstrip().startswith("<?xml")
    r = runner.invoke(
        main, ["draw", "battle-of-the-sexes", "--equilibrium", "7", "--out", str(tmp_path / "a.png")]
    )
    assert r.exit_code == 2 and "numbered 0 to" in r.output
    r = runner.invoke(main, ["draw", "battle-of-the-sexes", "--out", str(tmp_path / "a.bmp")])
    assert r.exit_code == 2 and ".png" in r.output
    r = runner.invoke(main, ["draw", "rubinstein", "--out", str(tmp_path / "a.png")])
    assert r.exit_code == 2 and "cannot draw" in r.output


def test_information_sets_with_nodes_in_between_get_their_own_rail():
    """Spence on a grid (B2): five receiver sets share one column; a straight dashed line would
    run through the other sets' nodes, so each set gets its own rail beside the column."""
    from bargaining.viz.tree_layout import infoset_rails

    g = load("spence-job-market")
    tree = g.to_extensive() if g.kind == "signaling" else g
    lay = layout_tree(tree)
    rails = infoset_rails(tree, lay)
    receiver_sets = [h.index for h in tree.infosets if len(h.nodes) > 1]
    assert sorted(rails) == sorted(receiver_sets)
    assert sorted(rails.values()) == list(range(len(receiver_sets)))  # distinct rails
    sol = solve(g)
    fig = draw(g, sol, 0)
    assert label_overlaps(fig) == []


def test_notebook_display_of_trees_signaling_games_and_templates():
    for name in ("escalation-tree", "resolve-signal"):
        template = bargaining.load(name)
        html = template._repr_html_()
        assert "<svg" in html and "parameter" in html  # the parameters table, then the picture
        game = template.to_game()
        assert "<svg" in game._repr_html_() and game._repr_svg_().lstrip().startswith("<?xml")
        sol = solve(game)
        shtml = sol._repr_html_()
        assert "<svg" in shtml and shtml.count("<tr><td") >= len(sol.equilibria)
