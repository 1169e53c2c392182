r"""Symbolic subgame-perfect equilibria of perfect-information trees (backward induction with
the comparisons kept as inequalities in the parameters).

Backward induction (Zermelo 1913; Selten 1965; Osborne–Rubinstein, *A Course in Game Theory*,
1994, Prop. 99.2) picks at each decision node an action whose subtree value is best for the
mover. With payoffs in the parameters, "best" is a comparison whose outcome depends on the
parameters: the solver enumerates the branches of this comparison tree. A branch is the choice
of one action at every reached decision node; its region is the conjunction of the comparisons
``v_other − v_chosen <= 0`` along the way (closed, so ties belong to every tied branch: at a tie
both choices are subgame perfect). Branches whose region has no interior point are pruned as
soon as they appear (:meth:`~bargaining.solvers.symbolic.regions.Region.feasible`). Chance nodes
average their children's values. Information sets other than singletons are refused.
"""

from __future__ import annotations

import sympy as sp

from bargaining.model.extensive import CHANCE
from bargaining.solvers.budget import Deadline
from bargaining.solvers.symbolic.convert import SymbolicError, SymbolicSetup
from bargaining.solvers.symbolic.family import Family
from bargaining.solvers.symbolic.regions import Region

__all__ = ["tree_families", "solve_subtree"]

Branch = tuple[Region, dict[str, str], tuple[sp.Expr, ...]]


def _payoffs(node: dict, n: int) -> tuple[sp.Expr, ...]:
    pay = tuple(sp.sympify(v) for v in node["payoffs"])
    if len(pay) != n:
        raise SymbolicError(f"terminal {node.get('name', '')!r}: expected {n} payoffs")
    return pay


def solve_subtree(
    node: dict, region: Region, players: list[str], deadline: Deadline, path: str = ""
) -> list[Branch]:
    """Every backward-induction branch of ``node`` inside ``region``: (region, plan, values),
    where ``plan`` maps each reached decision node's path (``"E/A"``) to the chosen action."""
    deadline.check()
    n = len(players)
    if "payoffs" in node:
        return [(region, {}, _payoffs(node, n))]
    if "infoset" in node:
        raise SymbolicError(
            f"node {path or 'root'}: information sets are not supported symbolically "
            "(perfect-information trees only)"
        )
    actions = list(node["actions"].items())
    partial: list[tuple[Region, dict[str, str], list[tuple[sp.Expr, ...]]]] = [(region, {}, [])]
    for a, child in actions:
        nxt = []
        for r, plan, vals in partial:
            for r2, plan2, v2 in solve_subtree(child, r, players, deadline, f"{path}/{a}" if path else a):
                nxt.append((r2, {**plan, **plan2}, vals + [v2]))
        partial = nxt
    out: list[Branch] = []
    if str(node["player"]) == CHANCE:
        probs = node["probs"]
        for r, plan, vals in partial:
            v = tuple(
                sum(sp.sympify(probs[a]) * vals[k][i] for k, (a, _) in enumerate(actions)) for i in range(n)
            )
            out.append((r, plan, v))
        return out
    mover = players.index(str(node["player"]))
    for r, plan, vals in partial:
        for j, (a, _) in enumerate(actions):
            conds = [vals[k][mover] - vals[j][mover] for k in range(len(actions)) if k != j]
            for r2 in r.impose_all(conds):
                out.append((r2, {**plan, (path or "root"): a}, vals[j]))
    return out


def _on_path(plan: dict[str, str], root: dict) -> list[str]:
    out, node, path = [], root, ""
    while "actions" in node and str(node.get("player")) != CHANCE:
        a = plan[path or "root"]
        out.append(a)
        node = node["actions"][a]
        path = f"{path}/{a}" if path else a
    return out


def tree_families(st: SymbolicSetup, deadline: Deadline) -> tuple[list[Family], list[str]]:
    body = st.body
    if "root" not in body:
        raise SymbolicError(f"{st.template.name}: generated trees are not supported symbolically")
    players = [str(p) for p in body["players"]]
    branches = solve_subtree(body["root"], st.region, players, deadline)
    fams = []
    for r, plan, vals in branches:
        path = _on_path(plan, body["root"])
        label = "pure: " + " ".join(path)
        fams.append(
            Family(
                label=label,
                strategies={"plan": dict(plan), "path": path},
                region=r.simplified(),
                values=dict(zip(players, vals)),
            )
        )
    return fams, []
