"""Batched sweep path for perfect-information trees (concept ``spe``):
:func:`bargaining.solvers.batch.tree_spe_stack`; points with ties (several SPE) go through the
per-point ``backward`` solver.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bargaining.errors import BargainingError
from bargaining.sweep.point import ChunkResult, cell, point_rows
from bargaining.sweep.regimes import merge_rows
from bargaining.sweep.spec import SweepSpec
from bargaining.sweep.stack import NotAStack, constraints_vector, range_errors

__all__ = ["solve_chunk_tree"]


def _tree_stack_arrays(src: Any, game0: Any, params: dict[str, np.ndarray], good: np.ndarray):
    """Payoffs (G, N, n) and chance probabilities (G, E) of the chunk's trees, from one
    vectorised evaluation of the template's body, walked in the tree's preorder. Checked
    against the game built at the first point; a mismatch raises :class:`NotAStack`."""
    ta = game0.to_arrays()
    N, n, E = ta.num_nodes, ta.payoffs.shape[1], len(ta.child)
    G = len(good)
    body = src.evaluate({name: v[good] for name, v in params.items()})
    pay = np.zeros((G, N, n))
    probs = np.zeros((G, E))
    counter = [0]

    def walk(node: Any) -> None:
        v = counter[0]
        counter[0] += 1
        if v >= N or not isinstance(node, dict):
            raise NotAStack
        if "payoffs" in node:
            vals = node["payoffs"]
            if len(vals) != n:
                raise NotAStack
            for i, x in enumerate(vals):
                pay[:, v, i] = np.broadcast_to(np.asarray(x, dtype=float), (G,))
            return
        actions = node.get("actions") or {}
        if len(actions) != ta.offsets[v + 1] - ta.offsets[v]:
            raise NotAStack
        if node.get("player") == "chance":
            for j, a in enumerate(actions):
                probs[:, ta.offsets[v] + j] = np.broadcast_to(np.asarray(node["probs"][a], dtype=float), (G,))
        for child in actions.values():
            walk(child)

    walk(body["root"])
    if counter[0] != N:
        raise NotAStack
    term = ta.player == -2
    if not (
        np.allclose(pay[0, term], ta.payoffs[term], rtol=0, atol=1e-12)
        and np.allclose(probs[0], ta.probs, rtol=0, atol=1e-12)
    ):
        raise NotAStack
    return ta, pay, probs


def solve_chunk_tree(spec: SweepSpec, src: Any, k: int, start: int, stop: int, params) -> ChunkResult:
    """Perfect-information trees of the chunk solved at once by
    :func:`bargaining.solvers.batch.tree_spe_stack`. Points with a tie (several SPE) and points
    whose game cannot be built go through the per-point path. The columns of each distinct
    SPE (its behaviour and label, which depend only on the choices and on which terminals are
    reached) come from the per-game row builder at one representative point; payoffs, outcome
    probabilities and the regret certificate are per point."""
    from bargaining.model.profile import Solution
    from bargaining.report.render import equilibrium_rows
    from bargaining.solvers.batch import tree_spe_stack
    from bargaining.solvers.treeprofile import tree_equilibrium

    n = stop - start
    names = list(params)
    errors = range_errors(src, params, n)
    ok = constraints_vector(src, params, n)
    good = np.array([j for j in range(n) if errors[j] is None], dtype=np.int64)
    if not len(good):
        raise NotAStack
    point_of = lambda j: {name: float(params[name][j]) for name in names}  # noqa: E731
    try:
        game0 = src.with_params(**point_of(good[0]))
    except BargainingError:  # the first point has no game: the per-point path records why
        raise NotAStack from None
    try:
        ta, pay, probs = _tree_stack_arrays(src, game0, params, good)
    except Exception as err:  # noqa: BLE001 - a body this walker does not know (generated trees, ...)
        raise NotAStack from err
    # points where an expression is undefined (1/b at b = 0: nan) go through the per-point
    # path, which records the reason in their error column
    finite = np.isfinite(pay).all(axis=(1, 2)) & np.isfinite(probs).all(axis=1)
    undefined = [int(j) for j in good[~finite]]
    if undefined:
        good, pay, probs = good[finite], pay[finite], probs[finite]
        if not len(good):
            raise NotAStack
    res = tree_spe_stack(ta.offsets, ta.child, ta.player, pay, probs)
    clean = ~res.tie
    dec_nodes = np.flatnonzero(ta.player >= 0)
    terms = np.flatnonzero(ta.player == -2)
    key = np.concatenate([res.choice[:, dec_nodes], (res.reach[:, terms] > 0).astype(np.int64)], axis=1)
    cg = np.flatnonzero(clean)  # indices into good
    cols: dict[str, Any] = {}
    regime = np.full(n, None, dtype=object)
    counts = np.zeros(n, dtype=np.int64)
    complete = np.zeros(n, dtype=bool)
    if len(cg):
        uniq, first_idx, inv = np.unique(key[cg], axis=0, return_index=True, return_inverse=True)
        inv = inv.reshape(-1)
        templates = []
        for u in range(len(uniq)):
            j = int(good[cg[first_idx[u]]])
            game = src.with_params(**point_of(j))
            choice = res.choice[cg[first_idx[u]]]
            behavior = []
            for i in range(len(game.players)):
                per = []
                for hid in game.player_infosets[i]:
                    h = game.infosets[hid]
                    per.append(tuple(1.0 if a == choice[h.nodes[0]] else 0.0 for a in range(len(h.actions))))
                behavior.append(tuple(per))
            eq = tree_equilibrium(game.as_float(), behavior, concept="subgame-perfect")
            sol = Solution(
                game=game, concept="subgame-perfect", method="backward", equilibria=(eq,), complete=True
            )
            templates.append({key_: cell(v) for key_, v in equilibrium_rows(sol)[0].items()})
        pts = good[cg]
        cols["point"] = start + pts
        for name in names:
            cols[name] = params[name][pts]
        players = list(game0.players)
        outcome_cols = [c for c in templates[0] if c.startswith("outcome:")]
        for c in templates[0]:
            if c.startswith("outcome:"):
                t = outcome_cols.index(c)
                cols[c] = res.reach[cg, terms[t]]
            elif c.startswith("payoff:") and c[len("payoff:") :] in players:
                cols[c] = res.value[cg, players.index(c[len("payoff:") :])]
            elif c == "regret":
                cols[c] = res.regret[cg]
            elif c == "complete":
                cols[c] = np.ones(len(cg), dtype=bool)
            else:
                cols[c] = np.array([t_[c] for t_ in templates], dtype=object)[inv]
        ok_arr = np.asarray(ok, dtype=object)
        cols["constraints_ok"] = ok_arr[pts]
        cols["error"] = np.full(len(cg), None, dtype=object)
        labels = np.array([t_["label"] for t_ in templates], dtype=object)[inv]
        regime[pts] = labels
        counts[pts] = 1
        complete[pts] = True
    extra: list[dict[str, Any]] = []
    point_errors = list(errors)  # range errors, then the per-point path's errors
    for j in list(good[~clean]) + undefined + [j for j in range(n) if errors[j] is not None]:
        j = int(j)
        rows, (regime[j], counts[j], complete[j], point_errors[j]) = point_rows(
            spec, src, start + j, point_of(j), errors[j], ok[j]
        )
        extra.extend(rows)
    errors = point_errors
    if not cols:
        cols = {"point": np.zeros(0, dtype=np.int64), "equilibrium": np.zeros(0, dtype=np.int64)}
    cols = merge_rows(cols, extra)
    reg: dict[str, Any] = {"point": start + np.arange(n)}
    for name in names:
        reg[name] = params[name]
    reg["regime"] = regime
    reg["equilibria"] = counts
    reg["complete"] = complete
    reg["constraints_ok"] = np.asarray(ok, dtype=object)
    reg["error"] = np.asarray(errors, dtype=object)
    return ChunkResult(k, cols, reg, n, sum(e is not None for e in errors))
