"""Signaling games with a type of prior 0 (p = 0 or 1), off-path columns and outcome columns.

At a prior of 0 or 1 the sender's type is common knowledge, so every PBE must reproduce the
complete-information SPE on the path; the zero-prior type must still best respond (checked by the
tree's agent regrets, :mod:`bargaining.verify.tree`), and the batch solver must agree with
the per-game solver, column by column.
"""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pytest

import bargaining
from bargaining.report.render_signaling import signaling_row
from bargaining.solvers.signaling import pbe
from bargaining.solvers.signaling_batch import row_columns, solve_batch
from bargaining.verify import tree as verify_tree
from bargaining.verify.signaling import assessment_regret


def _certified(fn):
    """The solver's answer with the dispatcher's independent certificate (``regret``)."""

    def run(game, *args, **kwargs):
        from bargaining.verify import certify

        return certify(game, fn(game, *args, **kwargs))

    run.__name__ = fn.__name__
    return run


pbe = _certified(pbe)

# Complete-information answers, derived by hand.
# resolve-signal (defaults W = 1, f_S = 0.2, f_B = -0.5, c_S = 0.1, a = 0.2, y_C = 0.4, y_A = 1,
# y_W = 1). After an advance, S follows through (0.2 > 0 without E, 0.1 > -0.3 with E) and B backs
# down (0 > -0.5 without E, -c_B - 0.2 > -c_B - 0.5 with E).
# - p = 0 (US known to be B): Russia advances after any message (y_A = 1 > y_C = 0.4, since B backs
#   down); B gets 0 from N and -c_B - 0.2 < 0 from E, so B plays N: outcome "B N A D" w.p. 1.
# - p = 1 (US known to be S): Russia compromises after any message (0.4 > -y_W = -1); S gets
#   W = 1 from N and W - c_S = 0.9 from E, so S plays N: outcome "S N C" w.p. 1.
# beer-quiche (b = 1, d = 2; w is the prior of the weak type).
# - w = 0 (known strong): the receiver does not duel (1 > 0); strong gets b + d = 3 from beer,
#   d = 2 from quiche: outcome "strong beer not" w.p. 1.
# - w = 1 (known weak): the receiver duels (1 > 0); weak gets b = 1 from quiche, 0 from beer:
#   outcome "weak quiche duel" w.p. 1.
CASES = [
    ("resolve-signal", {"p": 0}, "B N A D"),
    ("resolve-signal", {"p": 0, "c_B": F(6, 5)}, "B N A D"),
    ("resolve-signal", {"p": 1}, "S N C"),
    ("resolve-signal", {"p": 1, "c_B": F(6, 5)}, "S N C"),
    ("beer-quiche", {"w": 0}, "strong beer not"),
    ("beer-quiche", {"w": 1}, "weak quiche duel"),
]


def tree_profile(game, eq):
    """Behaviour and beliefs of the PBE on ``game.to_extensive()`` (off-path messages: the
    reported sustaining response and the belief of the sustaining set, which is one point here)."""
    ext = game.to_extensive()
    plans = eq.extra.get("continuation", {})
    offs = {o["message"]: o for o in eq.extra["off_path"]}
    behavior, beliefs = [], []
    for i, ids in enumerate(ext.player_infosets):
        bp, bb = [], []
        for k in ids:
            h = ext.infosets[k]
            if i == 1:  # the receiver, "after <m>"
                j = game.messages.index(h.label.removeprefix("after "))
                bp.append(tuple(F(x) for x in eq.behavior[1][j]))
                m = game.messages[j]
                if m in offs:
                    lo_hi = offs[m]["beliefs"]
                    assert all(lo == hi for lo, hi in lo_hi)  # a point: beliefs only on the known type
                    bb.append(tuple(F(lo) for lo, _ in lo_hi))
                else:
                    bb.append(tuple(F(x) for x in eq.beliefs[j]))
            elif h.label.startswith("type "):
                t = game.types.index(h.label.removeprefix("type "))
                bp.append(tuple(F(x) for x in eq.behavior[0][t]))
                bb.append((F(1),))
            else:  # a later-stage node of the sender: its plan (one decision per stage here)
                path = ext.path_labels(h.nodes[0])
                plan = plans["/".join(path[:3])]
                bp.append(tuple(F(int(a == plan[0])) for a in h.actions))
                bb.append((F(1),))
        behavior.append(tuple(bp))
        beliefs.append(tuple(bb))
    return ext, tuple(behavior), tuple(beliefs)


@pytest.mark.parametrize("name, params, path", CASES)
def test_prior_zero_or_one_gives_the_complete_information_answer(name, params, path):
    game = bargaining.load(name).with_params(**params)
    sol = pbe(game, exact=True)
    assert sol.complete and sol.equilibria
    for eq in sol.equilibria:
        outcomes = dict(zip(eq.extra["outcome_paths"], eq.outcomes))
        assert outcomes[path] == 1 and sum(outcomes.values()) == 1
        # independent checks on the tree: every information set (the zero-prior type's included)
        # best responds to the beliefs, and the outcome distribution is the tree's
        ext, behavior, beliefs = tree_profile(game, eq)
        assert all(r == 0 for row in verify_tree.agent_regrets(ext, behavior, beliefs) for r in row)
        assert verify_tree.outcome_distribution(ext, behavior) == tuple(eq.outcomes)
        assert eq.regret == 0


def test_zero_prior_type_must_best_respond():
    # resolve-signal at p = 0: after E Russia believes B (belief 0 on the zero-prior S) and
    # advances, so S gets f_S - c_S = 0.1 from E and f_S = 0.2 from N: S does not endorse, and
    # the unique PBE is pooling on N. In beer-quiche at w = 0 the weak (zero-prior) type gets
    # b + d = 3 from quiche (the receiver believes 'strong' and does not duel) against d = 2
    # from beer: it sends quiche, off the path, and the PBE is separating.
    g1 = pbe(bargaining.load("resolve-signal").with_params(p=0), exact=True)
    assert [eq.label for eq in g1.equilibria] == ["pooling on N"]
    assert g1.equilibria[0].extra["off_path"][0]["responses"]["A"] == [1, 1]
    bq = pbe(bargaining.load("beer-quiche").with_params(w=0), exact=True)
    assert [eq.label for eq in bq.equilibria] == ["separating"]
    eq = bq.equilibria[0]
    assert eq.extra["sender_strategy"]["weak"]["quiche"] == 1 and eq.beliefs[1] is None
    assert eq.extra["type_payoffs"] == {"strong": 3, "weak": 3}
    # the certificate: a weak type that sent beer instead would not best respond
    rho = [list(r) for r in eq.behavior[1]]
    mu = [list(eq.beliefs[0]), [F(1), F(0)]]
    assert assessment_regret(bq.game, eq.behavior[0], rho, mu, {}) == 0
    assert assessment_regret(bq.game, [[1, 0], [1, 0]], rho, mu, {}) == 1


def _per_game_rows(game):
    sol = pbe(game)
    return {
        (eq.label, tuple(np.round(np.array(eq.behavior[0], float).ravel(), 9))): signaling_row(sol, eq)
        | {"intuitive": eq.extra["refinements"]["intuitive"], "d1": eq.extra["refinements"]["d1"]}
        for eq in sol.equilibria
    }


def _batch_rows(res, n, sender, receiver):
    si = np.flatnonzero(res.valid[n])
    gi = np.full(len(si), n)
    cols = row_columns(res, gi, si, sender, receiver)
    out = {}
    for e, s in enumerate(si):
        row = {k: v[e] for k, v in cols.items()} | {
            "intuitive": bool(res.intuitive[n, s]),
            "d1": bool(res.d1[n, s]),
        }
        out[(res.labels[s], tuple(np.round(res.sigma[n, s].ravel(), 9)))] = row
    return out


def _same(a, b):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) == bool(b)
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return b is not None and abs(float(a) - float(b)) <= 1e-9


@pytest.mark.parametrize(
    "name, par, extra",
    [
        ("resolve-signal", "p", {}),
        ("resolve-signal", "p", {"c_B": 1.2}),
        ("resolve-signal", "p", {"a": 0.6}),
        ("beer-quiche", "w", {}),
        ("beer-quiche", "w", {"b": 0.5}),
    ],
)
def test_batch_equals_per_game_at_prior_zero_and_one(name, par, extra):
    tmpl = bargaining.load(name)
    values = [0.0, 1.0, 0.25]
    res = solve_batch(tmpl.evaluate({par: values, **{k: [v] * len(values) for k, v in extra.items()}}))
    for n, v in enumerate(values):
        game = tmpl.with_params(**{par: v, **extra})
        per_game = _per_game_rows(game)
        batch = _batch_rows(res, n, *game.players)
        assert set(per_game) == set(batch), (v, set(per_game), set(batch))
        for key, row in per_game.items():
            assert list(row) == list(batch[key])  # same columns, same order
            for col, val in row.items():
                assert _same(val, batch[key][col]), (v, key, col, val, batch[key][col])


def test_offpath_response_is_empty_with_its_range_and_outcomes_are_exact():
    game = bargaining.load("resolve-signal").with_params()
    sol = pbe(game, exact=True)
    rows = {eq.label: signaling_row(sol, eq) for eq in sol.equilibria}
    pool = rows["pooling on N"]
    # E is off the path: no behaviour there, only the sustaining range of Russia's answer
    assert pool["p:RU:E:C"] is None and (pool["p:RU:E:C:lo"], pool["p:RU:E:C:hi"]) == (0, F(1, 8))
    assert (pool["p:RU:N:A"], pool["p:RU:N:A:lo"], pool["p:RU:N:A:hi"]) == (1, 1, 1)
    semi = rows["semi-separating"]
    compromise = sum(v for k, v in semi.items() if k.startswith("outcome:") and k.endswith(" C"))
    # P(C) = P(S) P(E|S) rho + P(B) P(E|B) rho = 1/4 * 5/12 + 3/4 * 7/9 * 5/12 = 25/72
    assert compromise == F(25, 72)
    assert semi["outcome:B E A D"] == F(3, 4) * F(7, 9) * F(7, 12)  # a called bluff: 49/144
    assert sum(v for k, v in semi.items() if k.startswith("outcome:")) == 1
    # the JSON carries the same distribution, exact
    d = sol.equilibria[[eq.label for eq in sol.equilibria].index("semi-separating")].to_dict(exact=True)
    assert dict(zip(d["outcome_paths"], d["outcomes"]))["S E C"] == "5/48"


def test_value_plot_draws_only_behaviour_on_the_path():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from bargaining.report.render import equilibrium_rows
    from bargaining.viz.phase import value_plot

    rows = []
    for p in (0.1, 0.2, 0.4):
        sol = pbe(bargaining.load("resolve-signal").with_params(p=p))
        rows += [{"p": p, **r} for r in equilibrium_rows(sol)]
    fig = value_plot(rows, "p", "p:RU:E:C")
    drawn = {line.get_label(): list(line.get_xdata()) for line in fig.axes[0].get_lines()}
    # pooling on N keeps E off the path: no point; pooling on E (p = 0.4) plays C after E
    assert "pooling on N" not in drawn
    assert drawn["semi-separating"] == [0.1, 0.2, 0.4] and drawn["pooling on E"] == [0.4]


def test_random_games_with_a_zero_prior_type_batch_equals_per_game():
    from bargaining.model.signaling import SignalingGame

    rng = np.random.default_rng(7)
    games = []
    for k in range(40):
        # generic payoffs (ties, where the batch reports the generic limit, have probability ~0)
        pay = {
            t: {
                m: {
                    r: [
                        F(int(rng.integers(-(10**4), 10**4)), 997),
                        F(int(rng.integers(-(10**4), 10**4)), 991),
                    ]
                    for r in ("x", "y")
                }
                for m in ("a", "b")
            }
            for t in ("S", "T")
        }
        p = F(k % 2)
        games.append(SignalingGame.build({"S": p, "T": 1 - p}, ["a", "b"], ["x", "y"], pay))
    res = solve_batch(games)
    for n, game in enumerate(games):
        per_game = _per_game_rows(game)
        batch = _batch_rows(res, n, *game.players)
        assert set(per_game) == set(batch), n
        for key, row in per_game.items():
            for col, val in row.items():
                assert _same(val, batch[key][col]), (n, key, col, val, batch[key][col])
        sol = pbe(game, exact=True)
        assert all(eq.regret == 0 for eq in sol.equilibria)
        # on the path, the known type plays its complete-information best reply
        t = 0 if game.prior[0] == 1 else 1
        best = max(
            max(
                game.outcomes[t][m][r].payoffs[0]
                for r in range(2)
                if game.outcomes[t][m][r].payoffs[1]
                == max(game.outcomes[t][m][s].payoffs[1] for s in range(2))
            )
            for m in range(2)
        )
        assert all(eq.extra["type_payoffs"][game.types[t]] == best for eq in sol.equilibria)
