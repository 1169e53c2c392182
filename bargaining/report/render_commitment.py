"""Tables and sweep rows for the answers that are not one profile per player: Stackelberg
commitment, (coarse) correlated equilibria, Bayesian persuasion, repeated-game payoff sets, and
the tremble certificates of proper equilibria.

Listed by concept in :mod:`bargaining.report.registry` (``CONCEPT_TABLE_RENDERERS``,
``CONCEPT_ROW_BUILDERS``); a concept listed there takes precedence over the game kind. Every
number goes through :func:`bargaining.numeric.format_number`: ``p/q`` with ``--exact``, six
decimals at most otherwise (``0.44999999999999996`` prints as ``0.45``, ``-0.0`` as ``0``). JSON
keeps the full numbers; these tables are for people.

Row columns (CSV and sweeps), besides ``equilibrium``, ``label``, ``payoff:<player>``, ``regret``
and ``complete`` that :func:`bargaining.report.render.equilibrium_rows` adds:

- ``stackelberg``: ``p:<player>:<strategy>``, ``leader``, ``follower``, ``commitment:<strategy>``
  (the leader's), ``follower_response``, ``leader_payoff``, ``follower_payoff``,
  ``nash_payoffs:best``, ``nash_payoffs:worst``, ``value_of_commitment:over_best_nash``,
  ``value_of_commitment:over_worst_nash``, ``tie_break``, ``commitment_kind``, ``attained``;
- ``correlated`` / ``coarse-correlated``: ``p:<player>:<strategy>`` (marginals),
  ``joint:<s_1>:...:<s_n>`` (the probability of each joint profile), ``objective``,
  ``objective:value``;
- ``bayesian-persuasion``: ``signal:<state>:<action>`` (π(action | state)),
  ``recommend:<action>`` (the probability that the action is recommended),
  ``posterior:<action>:<state>``, ``sender_payoff``, ``receiver_payoff``, ``no_information``,
  ``full_disclosure``, ``cheap_talk:best_sender_payoff``, ``value_of_information_policy``,
  ``value_of_commitment``;
- ``repeated-spe-payoffs``: ``horizon:delta`` or ``horizon:periods`` (named apart from a game
  parameter ``delta``), ``minmax:<player>``,
  ``trigger_delta:<s_1>:<s_2>`` (empty where grim trigger sustains nothing),
  ``payoff_set:vertices``, ``payoff_set:min:<player>``, ``payoff_set:max:<player>``,
  ``converged`` (discounted game);
- ``proper``: ``p:<player>:<strategy>`` and ``tremble:<player>:<strategy>`` (0 in the support,
  k for a tremble of order ε^k).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import product
from typing import Any

from bargaining.model.profile import Equilibrium, Solution
from bargaining.numeric import format_number
from bargaining.report.render_normal import normal_row, normal_table

__all__ = [
    "stackelberg_table",
    "stackelberg_row",
    "correlated_table",
    "correlated_row",
    "persuasion_table",
    "persuasion_row",
    "repeated_table",
    "repeated_row",
    "proper_table",
    "proper_row",
]

_FLOAT_ZERO = 1e-12  # a float probability at or below this is the LP's round-off, not a cell in the support


def _num(value: Any, exact: bool) -> str:
    """A number for the table; ``-`` for a missing one."""
    if value is None:
        return "-"
    return format_number(value, exact)


def _positive(p: Any) -> bool:
    if isinstance(p, Fraction) or isinstance(p, int):
        return p > 0
    return float(p) > _FLOAT_ZERO


def _grid(header: Sequence[str], rows: Sequence[Sequence[str]], indent: int = 8, left: int = 1) -> list[str]:
    """An aligned text table: the first ``left`` columns (labels) left-aligned, the others
    (numbers) right-aligned."""
    cols = list(zip(header, *rows))
    widths = [max(len(str(c)) for c in col) for col in cols]
    pad = " " * indent

    def line(cells: Sequence[str]) -> str:
        parts = [
            str(c).ljust(w) if j < left else str(c).rjust(w) for j, (c, w) in enumerate(zip(cells, widths))
        ]
        return (pad + "  ".join(parts)).rstrip()

    return [line(header)] + [line(r) for r in rows]


def _block(rows: Sequence[tuple[str, str]], indent: int = 4) -> list[str]:
    """``name  value`` lines with the values aligned."""
    width = max(len(a) for a, _ in rows)
    return [f"{' ' * indent}{a:<{width}}  {b}".rstrip() for a, b in rows]


def _who(player: Any) -> str:
    """A player's name in a sentence: ``player 1`` for a default (numeric) name."""
    text = str(player)
    return f"player {text}" if text.isdigit() else text


def _pairs(names: Sequence[str], values: Sequence[Any], exact: bool) -> str:
    return ", ".join(f"{n} {_num(v, exact)}" for n, v in zip(names, values))


def _vector(values: Sequence[Any], exact: bool) -> str:
    return "(" + ", ".join(_num(v, exact) for v in values) + ")"


# -- Stackelberg ---------------------------------------------------------------------------------

_TIES = {
    "strong": "strong: the follower breaks ties in the leader's favour",
    "weak": "weak: the follower breaks ties against the leader",
}


def stackelberg_table(sol: Solution, exact: bool) -> list[str]:
    """The leader's commitment per strategy, the follower's response, the leader's payoff beside
    its best and worst Nash payoffs, the value of commitment, tie-breaking and attainment."""
    game = sol.game
    lines: list[str] = []
    for k, eq in enumerate(sol.equilibria):
        x = eq.extra
        leader, follower = x["leader"], x["follower"]
        li, fi = game.players.index(leader), game.players.index(follower)
        lines.append(f"[{k}] {eq.label or 'commitment'}")
        lines.append(f"    {leader} (leader) commits to")
        lines += _grid(
            ["strategy", "probability"],
            [[s, _num(p, exact)] for s, p in zip(game.strategies[li], x["commitment"])],
        )
        pay = eq.payoffs
        nash = x.get("nash_payoffs") or {}
        voc = x.get("value_of_commitment")
        attained = x.get("attained")
        rows = [
            (
                f"{follower} (follower) responds",
                f"{x['follower_response']} (its payoff {_num(pay[fi], exact)})",
            ),
            (f"{leader}'s payoff", _num(x["leader_payoff"], exact)),
            (
                f"{leader}'s Nash payoffs",
                "-"
                if nash.get("best") is None
                else f"best {_num(nash['best'], exact)}, worst {_num(nash['worst'], exact)}",
            ),
            (
                "value of commitment",
                "- (no Nash equilibrium found)"
                if voc is None
                else f"{_num(voc['over_best_nash'], exact)} over the best Nash payoff, "
                f"{_num(voc['over_worst_nash'], exact)} over the worst",
            ),
            ("tie-breaking", _TIES.get(str(x.get("tie_break")), str(x.get("tie_break")))),
            (
                "attained",
                {
                    True: "yes: a commitment reaches this payoff",
                    False: "no: the payoff is a supremum that commitments approach (see the note)",
                    None: "not decided (see the note)",
                }[attained],
            ),
            (
                "commitment to",
                {"mixed": "a mixed strategy", "pure": "a pure strategy (--commitment pure)"}.get(
                    str(x.get("commitment_kind")), str(x.get("commitment_kind"))
                ),
            ),
            ("regret", f"{_num(eq.regret, exact)} (the follower's gain from another response)"),
        ]
        lines += _block(rows)
    return lines


def stackelberg_row(sol: Solution, eq: Equilibrium) -> dict[str, Any]:
    game = sol.game
    x = eq.extra
    row: dict[str, Any] = normal_row(sol, eq)
    li, fi = game.players.index(x["leader"]), game.players.index(x["follower"])
    row["leader"], row["follower"] = x["leader"], x["follower"]
    for s, p in zip(game.strategies[li], x["commitment"]):
        row[f"commitment:{s}"] = p
    row["follower_response"] = x["follower_response"]
    row["leader_payoff"] = x["leader_payoff"]
    row["follower_payoff"] = eq.payoffs[fi]
    nash = x.get("nash_payoffs") or {}
    row["nash_payoffs:best"], row["nash_payoffs:worst"] = nash.get("best"), nash.get("worst")
    voc = x.get("value_of_commitment") or {}
    row["value_of_commitment:over_best_nash"] = voc.get("over_best_nash")
    row["value_of_commitment:over_worst_nash"] = voc.get("over_worst_nash")
    row["tie_break"], row["commitment_kind"], row["attained"] = (
        x["tie_break"],
        x["commitment_kind"],
        x["attained"],
    )
    return row


# -- correlated ----------------------------------------------------------------------------------


def _objective_words(obj: dict[str, Any] | None) -> str:
    if not obj:
        return ""
    name = obj.get("name", "")
    if name == "welfare":
        return "welfare (the sum of payoffs)"
    if name == "entropy":
        return "entropy (the most dispersed distribution)"
    return str(name)


def _mediator(sol: Solution, eq: Equilibrium, exact: bool) -> list[str]:
    """What the mediator does, in words, with each player's belief after each recommendation."""
    game = sol.game
    dist = [(d["profile"], d["probability"]) for d in eq.extra["distribution"] if _positive(d["probability"])]
    coarse = sol.concept == "coarse-correlated"
    lines = [
        "    the mediator draws a profile with these probabilities and tells each player only its own part:"
    ]
    for i, player in enumerate(game.players):
        others = [p for j, p in enumerate(game.players) if j != i]
        whom = (
            _who(others[0])
            if len(others) == 1
            else (
                ("players " if all(str(o).isdigit() for o in others) else "") + "(" + ", ".join(others) + ")"
            )
        )
        for s in game.strategies[i]:
            cells = [(prof, p) for prof, p in dist if prof[i] == s]
            if not cells:
                continue
            total = sum(p for _, p in cells)
            rest = [
                (", ".join(str(prof[j]) for j in range(len(prof)) if j != i), p / total) for prof, p in cells
            ]
            if len(others) > 1:
                rest = [(f"({r})", q) for r, q in rest]
            cond = ", ".join(
                f"{r} with probability {_num(q, exact)}" if n == 0 else f"{r} {_num(q, exact)}"
                for n, (r, q) in enumerate(rest)
            )
            lines.append(
                f"      {_who(player)} hears {s} (probability {_num(total, exact)}): then {whom} "
                f"{'was' if len(others) == 1 else 'were'} told {cond}"
            )
    if coarse:
        lines.append(
            "    coarse: each player agrees in advance to follow the draw; no player gains by "
            "committing to one fixed strategy instead (what it is told may not be a best response)"
        )
    else:
        lines.append("    obeying is a best response for each player, given what its recommendation tells it")
    return lines


def correlated_table(sol: Solution, exact: bool) -> list[str]:
    """The distribution (a matrix for two players, else the profiles with positive probability),
    payoffs, objective and its value, and the mediator's recommendations in words."""
    game = sol.game
    lines: list[str] = []
    for k, eq in enumerate(sol.equilibria):
        obj = eq.extra.get("objective")
        head = f"[{k}] {eq.label or sol.concept}"
        if obj:
            head += f", objective {_objective_words(obj)} = {_num(obj.get('value'), exact)}"
        lines.append(head)
        probs = {tuple(d["profile"]): d["probability"] for d in eq.extra["distribution"]}
        if game.num_players == 2:
            p1, p2 = game.players
            lines.append(f"    distribution (rows {_who(p1)}, columns {_who(p2)})")
            header = [f"{p1} \\ {p2}"] + [str(s) for s in game.strategies[1]]
            rows = [
                [str(r)] + [_num(probs.get((r, c), 0), exact) for c in game.strategies[1]]
                for r in game.strategies[0]
            ]
            lines += _grid(header, rows)
        else:
            lines.append("    profiles with positive probability")
            rows = [[*map(str, prof), _num(p, exact)] for prof, p in probs.items() if _positive(p)]
            lines += _grid([*game.players, "probability"], rows, left=game.num_players)
        lines.append(f"    payoffs  {_pairs(game.players, eq.payoffs, exact)}")
        lines += _mediator(sol, eq, exact)
        lines.append(f"    regret {_num(eq.regret, exact)} (the largest gain from disobeying)")
    poly = sol.extra.get("polytope")
    if poly:
        lines.append(
            f"the {sol.concept} polytope: {poly['vertices']} vertices over {poly['joint_profiles']} joint "
            f"profiles, {poly['constraints']} incentive constraints"
        )
    return lines


def correlated_row(sol: Solution, eq: Equilibrium) -> dict[str, Any]:
    row: dict[str, Any] = normal_row(sol, eq)
    for d in eq.extra["distribution"]:
        row["joint:" + ":".join(map(str, d["profile"]))] = d["probability"]
    obj = eq.extra.get("objective")
    if obj:
        row["objective"] = obj.get("name")
        row["objective:value"] = obj.get("value")
    return row


# -- Bayesian persuasion -------------------------------------------------------------------------


def _cheap_talk(ct: dict[str, Any] | None, exact: bool) -> str:
    if not ct or ct.get("best_sender_payoff") is None:
        return "-"
    eqs = ct.get("equilibria") or []
    best = eqs[0] if eqs else None
    how = ""
    if best is not None:
        cells = "; ".join(
            "{" + ", ".join(map(str, cell)) + "} -> " + str(a)
            for cell, a in zip(best["partition"], best["actions"])
        )
        how = f" (messages {cells}; {len(eqs)} pure partitional equilibri{'um' if len(eqs) == 1 else 'a'})"
    return _num(ct["best_sender_payoff"], exact) + how


def persuasion_table(sol: Solution, exact: bool) -> list[str]:
    """The signal as state × recommended action, the posteriors with the receiver's action at
    each, and the sender's value beside no information, full disclosure and cheap talk."""
    game = sol.game
    sender, receiver = game.players
    lines: list[str] = []
    for k, eq in enumerate(sol.equilibria):
        x = eq.extra
        lines.append(f"[{k}] {eq.label or 'signal'}")
        lines.append(f"    signal: probability that {sender} recommends each action in each state")
        header = ["state", "prior", *map(str, game.actions)]
        rows = [
            [str(w), _num(pw, exact), *(_num(x["signal"][w][a], exact) for a in game.actions)]
            for w, pw in zip(game.states, game.prior)
        ]
        lines += _grid(header, rows)
        lines.append(f"    posteriors: what {receiver} believes after each recommendation, and what it does")
        header = ["recommendation", "probability", *(f"P({w})" for w in game.states), f"{receiver} plays"]
        rows = []
        for post in x["posteriors"]:
            rec = post["action"]
            rows.append(
                [
                    str(rec),
                    _num(post["probability"], exact),
                    *(_num(post["posterior"][w], exact) for w in game.states),
                    str(rec),
                ]
            )
        lines += _grid(header, rows)
        vals = [
            (
                f"{sender}'s payoff (optimal signal)",
                _num(x["sender_payoff"], exact)
                + f"   ({receiver}'s payoff {_num(x['receiver_payoff'], exact)})",
            ),
            ("with no information", _num(x.get("no_information"), exact)),
            ("with full disclosure", _num(x.get("full_disclosure"), exact)),
            ("best cheap talk (no commitment)", _cheap_talk(x.get("cheap_talk"), exact)),
            (
                "value of the information policy",
                f"{_num(x.get('value_of_information_policy'), exact)} (over no information)",
            ),
            (
                "value of commitment",
                f"{_num(x.get('value_of_commitment'), exact)} (over the best cheap talk)",
            ),
            ("regret", f"{_num(eq.regret, exact)} ({receiver}'s largest gain from disobeying)"),
        ]
        lines += _block(vals)
    return lines


def persuasion_row(sol: Solution, eq: Equilibrium) -> dict[str, Any]:
    game = sol.game
    x = eq.extra
    row: dict[str, Any] = {}
    for w in game.states:
        for a in game.actions:
            row[f"signal:{w}:{a}"] = x["signal"][w][a]
    posts = {p["action"]: p for p in x["posteriors"]}
    for a in game.actions:
        row[f"recommend:{a}"] = posts[a]["probability"] if a in posts else 0
    for a in game.actions:
        for w in game.states:
            row[f"posterior:{a}:{w}"] = posts[a]["posterior"][w] if a in posts else None
    for key in ("sender_payoff", "receiver_payoff", "no_information", "full_disclosure"):
        row[key] = x.get(key)
    row["cheap_talk:best_sender_payoff"] = (x.get("cheap_talk") or {}).get("best_sender_payoff")
    row["value_of_information_policy"] = x.get("value_of_information_policy")
    row["value_of_commitment"] = x.get("value_of_commitment")
    return row


# -- repeated games ------------------------------------------------------------------------------


def _sustained(threshold: Any, delta: Any) -> str:
    if threshold is None:
        return "no"
    return "yes" if float(delta) >= float(threshold) - 1e-12 else "no"


def _only_pure_nash(game: Any, stage_nash: Sequence[dict[str, Any]]) -> str | None:
    """The label ``(a_1, a_2)`` of the stage game's only Nash equilibrium when it is pure."""
    if len(stage_nash) != 1:
        return None
    label = stage_nash[0]["profile"]
    pure = {"(" + ", ".join(map(str, prof)) + ")" for prof in product(*game.strategies)}
    return label if label in pure else None


def repeated_table(sol: Solution, exact: bool) -> list[str]:
    """Minmax per player, the grim-trigger δ per action profile, the stage Nash equilibria, and
    the pure SPE payoff set (its vertices; with a finite horizon, the average payoffs and the path)."""
    game = sol.game
    players = list(game.players)
    lines: list[str] = []
    for k, eq in enumerate(sol.equilibria):
        x = eq.extra
        delta, periods = x.get("delta"), x.get("periods")
        horizon = f"δ = {_num(delta, exact)}" if delta is not None else f"{periods} periods"
        lines.append(f"[{k}] {eq.label or 'SPE payoff set'}, {horizon}")
        kind = x.get("minmax_kind", "pure")
        nash = x.get("stage_nash") or []
        lines += _block(
            [
                (f"{kind} minmax", _pairs(players, x["minmax"], exact)),
                (
                    "stage Nash",
                    "; ".join(f"{e['profile']} payoffs {_vector(e['payoffs'], exact)}" for e in nash) or "-",
                ),
            ]
        )
        lines.append(
            "    grim trigger: the smallest δ at which each profile, played forever, is an SPE "
            "(a deviation is punished by a stage Nash equilibrium forever)"
        )
        header = ["profile", "payoffs", "δ at least", "punishment"]
        if delta is not None:
            header.insert(3, f"at δ = {_num(delta, exact)}")
        rows = []
        for d in x["trigger_delta"]:
            t = d["trigger_delta"]
            row = [
                "(" + ", ".join(map(str, d["profile"])) + ")",
                _vector(d["payoffs"], exact),
                "never" if t is None else _num(t, exact),
                (d["punishment"] or "-").replace("Nash reversion to ", "reversion to "),
            ]
            if delta is not None:
                row.insert(3, "sustained" if _sustained(t, delta) == "yes" else "not sustained")
            rows.append(row)
        lines += _grid(header, rows)
        verts = x.get("payoff_set_vertices") or []
        if periods is not None:
            avg = x.get("payoff_set") or []
            lines.append(
                f"    pure SPE payoffs, average per period over {periods} periods: "
                f"{len(avg)} vector{'s' if len(avg) != 1 else ''}"
            )
            if avg:
                lines += _grid(players, [[_num(v, exact) for v in p] for p in avg], left=0)
            only = _only_pure_nash(game, nash)
            if only is not None:
                lines.append(
                    f"    path: {only} in every period (the stage game's only equilibrium; backward "
                    "induction leaves nothing to reward or punish)"
                )
            elif len(avg) > 1:
                lines.append(
                    f"    path: not unique; {len(verts)} of these vectors are vertices of their hull"
                )
        else:
            if verts:
                lines.append(
                    f"    pure SPE payoff set (public randomisation): polygon with {len(verts)} "
                    f"vert{'ices' if len(verts) != 1 else 'ex'}"
                )
                lines += _grid(players, [[_num(v, exact) for v in p] for p in verts], left=0)
            else:
                lines.append("    pure SPE payoff set: empty (no pure-strategy SPE)")
            if x.get("payoff_set_method"):
                lines.append(f"    method: {x['payoff_set_method']}")
    return lines


def repeated_row(sol: Solution, eq: Equilibrium) -> dict[str, Any]:
    game = sol.game
    x = eq.extra
    players = list(game.players)
    row: dict[str, Any] = {}
    if x.get("delta") is not None:
        row["horizon:delta"] = x["delta"]
    if x.get("periods") is not None:
        row["horizon:periods"] = x["periods"]
    for p, v in zip(players, x["minmax"]):
        row[f"minmax:{p}"] = v
    for d in x["trigger_delta"]:
        row["trigger_delta:" + ":".join(map(str, d["profile"]))] = d["trigger_delta"]
    pts = x.get("payoff_set") if x.get("periods") is not None else x.get("payoff_set_vertices")
    pts = pts or []
    row["payoff_set:vertices"] = len(x.get("payoff_set_vertices") or [])
    for i, p in enumerate(players):
        row[f"payoff_set:min:{p}"] = min((q[i] for q in pts), default=None)
        row[f"payoff_set:max:{p}"] = max((q[i] for q in pts), default=None)
    if "converged" in x:
        row["converged"] = x["converged"]
    return row


# -- proper equilibria ---------------------------------------------------------------------------


def _order(level: int) -> str:
    return "ε" if level == 1 else f"ε^{level}"


def proper_table(sol: Solution, exact: bool) -> list[str]:
    """The normal-form table with each equilibrium's tremble certificate: the order in ε of each
    unused strategy's tremble (Myerson 1978: a costlier mistake is infinitely less likely)."""
    game = sol.game
    base = normal_table(sol, exact)
    lines: list[str] = []
    k = 0
    for line in base:
        lines.append(line)
        if line.startswith("    regret ") and k < len(sol.equilibria):
            cert = sol.equilibria[k].extra.get("proper_certificate")
            k += 1
            if not cert:
                continue
            parts = []
            for i, player in enumerate(game.players):
                tr = [f"{s} ~ {_order(lv)}" for s, lv in zip(game.strategies[i], cert["levels"][i]) if lv > 0]
                if tr:
                    parts.append(f"{player}: " + ", ".join(tr))
            lines.append(
                "    trembles " + ("; ".join(parts) if parts else "none needed (every strategy is played)")
            )
    if any(eq.extra.get("proper_certificate") for eq in sol.equilibria):
        lines.append(
            "trembles: an unused strategy is played by mistake with probability of order ε^k; "
            "a strategy that is a costlier mistake has a higher k (Myerson 1978)"
        )
    return lines


def proper_row(sol: Solution, eq: Equilibrium) -> dict[str, Any]:
    game = sol.game
    row: dict[str, Any] = normal_row(sol, eq)
    cert = eq.extra.get("proper_certificate")
    if cert:
        for i, player in enumerate(game.players):
            for s, lv in zip(game.strategies[i], cert["levels"][i]):
                row[f"tremble:{player}:{s}"] = lv
    return row
