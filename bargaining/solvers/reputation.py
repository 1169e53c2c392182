r"""Sequential equilibrium of chain-store reputation trees by backward induction on the public belief
(method ``reputation``).

The tree (``kreps-wilson``, Kreps & Wilson 1982, *JET* 27, 253-279, §2-3; Milgrom & Roberts 1982):
chance draws the incumbent's type (``tough`` with probability :math:`p`, else ``weak``); then, in
each of :math:`k` markets, an entrant who has seen all earlier moves (not the type) plays Out/In
and after In the incumbent, who knows its type, plays Fight/Accommodate. Payoffs are additive over
markets. Every public history is a stage game with a **public belief** :math:`p` (the entrant's
probability of ``tough``); information sets of entrant :math:`j` are the pairs of nodes (one per
type) with the same history. The solver reads the stage payoffs from the tree and refuses trees
that are not of this shape (payoffs not additive, other moves).

**Backward induction on beliefs.** Let :math:`W_j(q)` be the weak type's equilibrium value with
:math:`j` markets left at belief :math:`q`: an exact *step correspondence* (constant between
finitely many breakpoints, an interval at each breakpoint, from the mixing of whoever is
indifferent there). With :math:`c = u_w(A) - u_w(F) > 0` and :math:`\Delta_j(q) = W_{j}(q) -
W_{j}(0)`, the weak type about to play with :math:`j` markets left fights for sure iff
:math:`\max\Delta_{j-1}(p) \ge c`; below the least such belief :math:`q^*` it mixes with the fight
probability :math:`\beta` that makes the posterior after a fight equal :math:`q^*`, where the
next entrant's mixing gives it exactly the value :math:`c + W_{j-1}(0)` (indifference). The
entrant enters iff the total fight probability :math:`\varphi = p + (1-p)\beta` is below
:math:`\varphi^* = (u_E(A) - u_E(O)) / (u_E(A) - u_E(F))` and mixes at equality. The tough type
fights (checked, not assumed, by the verifier). A forward pass over the :math:`3^k` public
histories then fixes behaviour at every information set, pinning the entrants' mixing to deliver
the continuation values the earlier mixing needs.

**Off-path beliefs** (reported; one choice among the consistent ones): after an Accommodate that
the weak type was not expected to play, and after any history that revealed weakness, the belief
is 0 (reputation once lost stays lost). The consistency certificate trembles the tough type's
Accommodate at order :math:`k + 1` and every other unused action at order 1.

**What is returned.** One sequential equilibrium (``complete=False``: off-path beliefs and the
entrant's mixing at an exactly critical prior admit others). Work and memory are linear in the
tree (:math:`O(3^k)` histories) plus :math:`O(k^2)` breakpoints.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from bargaining.errors import SolverError
from bargaining.model.extensive import ExtensiveGame
from bargaining.model.profile import Equilibrium, Solution
from bargaining.solvers.budget import Deadline

__all__ = ["reputation", "StepCorrespondence", "weak_values", "is_reputation_chain"]

F0, F1 = Fraction(0), Fraction(1)


class StepCorrespondence:
    """A map from beliefs in [0, 1] to closed intervals, constant between breakpoints."""

    def __init__(self, xs: list[Fraction], opens: list[Fraction], at: list[tuple[Fraction, Fraction]]):
        self.xs, self.opens, self.at = xs, opens, at

    def __call__(self, q: Fraction) -> tuple[Fraction, Fraction]:
        for i, x in enumerate(self.xs):
            if q == x:
                return self.at[i]
            if q < x:
                return (self.opens[i], self.opens[i])
        return (self.opens[-1], self.opens[-1])


class _Stage:
    def __init__(self, pay: dict[str, Any]):
        self.o_w, self.a_w, self.f_w = pay["weak"]
        self.e_o, self.e_a, self.e_f = pay["entrant"]
        self.c = self.a_w - self.f_w
        self.phi_star = (self.e_a - self.e_o) / (self.e_a - self.e_f)

    def plan(self, prev: StepCorrespondence, q_star: Fraction | None, p: Fraction) -> dict[str, Any]:
        """Weak fight probability, fight probability, entry set, and the out/enter value intervals."""
        w0 = prev(F0)[0]
        if q_star is None or p < q_star:
            qs = q_star if q_star is not None else None
            beta = F0 if qs is None or p == 0 else p * (1 - qs) / ((1 - p) * qs)
            phi = p + (1 - p) * beta
            enter = (self.a_w + w0, self.a_w + w0)
            post = qs if (qs is not None and p > 0) else F0
            fight_target = self.c + w0 if (qs is not None and p > 0) else None
        else:
            beta, phi = F1, F1
            lo, hi = prev(p)
            enter = (self.f_w + max(lo, self.c + w0), self.f_w + hi)
            post = p
            fight_target = None if p > q_star else self.c + w0
        lo, hi = prev(p)
        out = (self.o_w + lo, self.o_w + hi)
        if phi < self.phi_star:
            entry = (F1, F1)
        elif phi > self.phi_star:
            entry = (F0, F0)
        else:
            entry = (F0, F1)
        vals = [(1 - e) * o + e * n for e in entry for o in out for n in enter]
        return {
            "beta": beta,
            "phi": phi,
            "entry": entry,
            "out": out,
            "enter": enter,
            "post": post,
            "fight_target": fight_target,
            "value": (min(vals), max(vals)),
        }


def _q_star(prev: StepCorrespondence, c: Fraction) -> Fraction | None:
    w0 = prev(F0)[0]
    for i, x in enumerate(prev.xs):
        if prev.opens[i] - w0 >= c:
            raise SolverError(
                "reputation: the weak type's value jumps past its indifference point; no "
                "equilibrium of the Kreps-Wilson form"
            )
        if prev.at[i][1] - w0 >= c:
            return x
    return None


def weak_values(stage: _Stage, k: int) -> tuple[list[StepCorrespondence], list[Fraction | None]]:
    """:math:`W_0, \\dots, W_k` and the critical beliefs :math:`q^*_j` (backward induction)."""
    W = [StepCorrespondence([], [F0], [])]
    qs: list[Fraction | None] = [None]
    for _ in range(k):
        prev = W[-1]
        q = _q_star(prev, stage.c)
        points = set(prev.xs)
        if q is not None:
            points.add(q)
            points.add(stage.phi_star * q)
        else:
            points.add(stage.phi_star)
        xs = sorted(x for x in points if 0 < x <= 1)
        grid = [F0] + xs + [F1]
        opens = []
        for lo, hi in zip(grid[:-1], grid[1:]):
            v = stage.plan(prev, q, (lo + hi) / 2)["value"]
            if v[0] != v[1]:
                raise SolverError("reputation: the value is not constant between breakpoints")
            opens.append(v[0])
        at = [stage.plan(prev, q, x)["value"] for x in xs]
        cur = StepCorrespondence(xs, opens, at)
        if any(b < a for a, b in zip(opens, opens[1:])):  # the argument for q* needs monotonicity
            raise SolverError("reputation: the weak type's value is not monotone in the belief")
        W.append(cur)
        qs.append(q)
    return W, qs


def is_reputation_chain(game: Any) -> bool:
    try:
        _parse(game)
    except SolverError:
        return False
    return True


def _parse(game: ExtensiveGame) -> tuple[int, Fraction, dict[str, Any]]:
    if getattr(game, "kind", None) != "tree":
        raise SolverError("method 'reputation' solves game trees")
    root = game.root
    if root.kind != "chance" or root.actions != ("tough", "weak"):
        raise SolverError(
            "method 'reputation' needs a chance move over types 'tough' and 'weak' at the root "
            "(the kreps-wilson tree)"
        )
    k = game.num_players - 1
    if k < 1 or game.players[0] != "Incumbent":
        raise SolverError("method 'reputation' needs players Incumbent, E1, ..., Ek")

    def walk(v: int, actions: list[str]) -> int:
        for a in actions:
            node = game.nodes[v]
            if a not in node.actions:
                raise SolverError(f"method 'reputation': no action {a!r} where expected")
            v = node.children[node.actions.index(a)]
        return v

    def leaf(v: int, actions: list[str]) -> tuple[Any, ...]:
        """The payoffs at the end of ``actions`` from node ``v``, which must be a terminal."""
        node = game.nodes[walk(v, actions)]
        if node.payoffs is None:
            raise SolverError(
                f"method 'reputation': the play {' '.join(actions)} must end the game after "
                f"{k} markets (one per entrant)"
            )
        return node.payoffs

    pay: dict[str, Any] = {}
    for t, child in zip(root.actions, root.children):
        out = leaf(child, ["Out"] * k)[0]
        acc = leaf(child, ["In", "Accommodate"] + ["Out"] * (k - 1))[0]
        fight = leaf(child, ["In", "Fight"] + ["Out"] * (k - 1))[0]
        o = out / k
        pay[t] = (o, acc - (k - 1) * o, fight - (k - 1) * o)
    tw = root.children[1]
    pay["entrant"] = tuple(
        leaf(tw, seq + ["Out"] * (k - 1))[1] for seq in (["Out"], ["In", "Accommodate"], ["In", "Fight"])
    )
    # additivity over the whole tree
    for t, child in zip(root.actions, root.children):
        o, a, f = pay[t]
        stack: list[tuple[int, Any, int, list[Any]]] = [(child, F0, 0, [])]
        while stack:
            v, inc, j, ents = stack.pop()
            node = game.nodes[v]
            if node.kind == "terminal":
                if (
                    j != k
                    or node.terminal_payoffs[0] != inc
                    or tuple(node.terminal_payoffs[1:]) != tuple(ents)
                ):
                    raise SolverError("method 'reputation': payoffs are not additive over markets")
                continue
            if node.actions != ("Out", "In") or node.player != j + 1:
                raise SolverError("method 'reputation': entrant j must choose Out or In in market j")
            stack.append((node.children[0], inc + o, j + 1, ents + [pay["entrant"][0]]))
            inn = game.nodes[node.children[1]]
            if inn.actions != ("Fight", "Accommodate") or inn.player != 0:
                raise SolverError(
                    "method 'reputation': the incumbent must answer In with Fight or Accommodate"
                )
            stack.append((inn.children[0], inc + f, j + 1, ents + [pay["entrant"][2]]))
            stack.append((inn.children[1], inc + a, j + 1, ents + [pay["entrant"][1]]))
    p = root.chance_probs[0]
    e_o, e_a, e_f = pay["entrant"]
    if (
        not (e_f < e_o < e_a)
        or not (pay["weak"][1] > pay["weak"][2])
        or not (pay["tough"][2] > pay["tough"][1])
    ):
        raise SolverError(
            "method 'reputation': needs entrant fought < out < accommodated, the weak type "
            "preferring Accommodate and the tough type Fight in a single market"
        )
    return k, p, pay


def reputation(game: ExtensiveGame, *, deadline: Deadline = Deadline.NONE, exact: bool = False) -> Solution:
    """One sequential equilibrium of the kreps-wilson tree (see the module docstring)."""
    from bargaining.solvers.backward import path_label
    from bargaining.solvers.sequential import tree_tables

    g = game.as_exact()
    k, p0, pay = _parse(g)
    stage = _Stage(pay)
    W, qs = weak_values(stage, k)
    behav: list[Any] = [None] * len(g.infosets)
    beliefs: list[Any] = [None] * len(g.infosets)
    tw = g.root.children
    stack = [(tw[0], tw[1], k, p0, None)]
    while stack:
        nt, nw, j, p, target = stack.pop()
        if g.nodes[nt].kind == "terminal":
            continue
        plan = stage.plan(W[j - 1], qs[j], p)
        lo, hi = plan["entry"]
        out_t = fight_t = None
        if lo == hi:
            e = lo
            if target is not None:
                if e == 0:
                    out_t = target - stage.o_w
                elif plan["beta"] == 1:
                    fight_t = target - stage.f_w
        else:
            o, n = plan["out"], plan["enter"]
            if target is None:
                e = F0
            elif o[0] <= target <= o[1]:
                e, out_t = F0, target - stage.o_w
            elif n[0] <= target <= n[1]:
                e = F1
                fight_t = target - stage.f_w if plan["beta"] == 1 else None
            else:
                oo = o[0] if abs(o[0] - target) < abs(o[1] - target) else o[1]
                nn = n[0] if abs(n[0] - target) < abs(n[1] - target) else n[1]
                e = (oo - target) / (oo - nn)
                out_t = oo - stage.o_w if o[0] != o[1] else None
                fight_t = nn - stage.f_w if (plan["beta"] == 1 and n[0] != n[1]) else None
        ent = g.nodes[nt].infoset
        behav[ent] = (1 - e, e)
        beliefs[ent] = (p, 1 - p)
        it, iw = (g.nodes[g.nodes[x].children[1]] for x in (nt, nw))
        behav[it.infoset], beliefs[it.infoset] = (F1, F0), (F1,)
        beta = plan["beta"]
        behav[iw.infoset], beliefs[iw.infoset] = (beta, 1 - beta), (F1,)
        if plan["fight_target"] is not None and fight_t is None:
            fight_t = plan["fight_target"]
        stack.append((g.nodes[nt].children[0], g.nodes[nw].children[0], j - 1, p, out_t))
        stack.append((it.children[0], iw.children[0], j - 1, plan["post"], fight_t))
        stack.append((it.children[1], iw.children[1], j - 1, F0, None))
    flat = [tuple(b) for b in behav]
    reach, values, _, _ = tree_tables(g, flat)
    per = tuple(tuple(flat[x] for x in ids) for ids in g.player_infosets)
    bel = tuple(tuple(beliefs[x] for x in ids) for ids in g.player_infosets)
    orders = tuple(
        tuple(
            tuple(
                (k + 1 if (g.infosets[x].label.startswith("tough") and a == 1) else 1)
                if flat[x][a] == 0
                else 0
                for a in range(2)
            )
            for x in ids
        )
        for ids in g.player_infosets
    )
    outcomes = tuple(reach[t] for t in g.terminals)
    thresholds = {
        "entry_below": [None] + [stage.phi_star * q if q is not None else stage.phi_star for q in qs[1:]],
        "weak_fights_surely_from": qs,
    }
    eq = Equilibrium(
        payoffs=values[0],
        regret=F0,
        behavior=per,
        beliefs=bel,
        outcomes=outcomes,
        label=path_label(g, per, outcomes),
        extra={"certificate": {"kind": "ranked trembles", "orders": orders}, "thresholds": thresholds},
    )
    return Solution(
        game=game,
        concept="sequential",
        method="reputation",
        equilibria=(eq,),
        complete=False,
        exact=True,
        options={},
        message="one sequential equilibrium by backward induction on the public belief; off-path "
        "beliefs after a surprise Accommodate are set to 0 (other consistent choices may sustain more)",
    )


def _register() -> None:
    from bargaining.solvers.registry import Method, register

    register(
        Method(
            name="reputation",
            kinds=("tree",),
            concept="sequential",
            function=reputation,
            summary="one sequential equilibrium of the kreps-wilson reputation tree by backward induction on "
            "the public belief (exact, linear in the tree)",
        )
    )


_register()
