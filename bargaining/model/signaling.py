"""Signaling games: nature draws the sender's type, the sender sends a message, the receiver
responds, and optionally the sender moves again knowing its type.

A signaling game (Spence 1973; Cho and Kreps 1987, §2; Fudenberg and Tirole 1991, §8.2) is

- a finite set of types ``T`` with a prior ``π ∈ Δ(T)`` (``π_t ≥ 0``, ``Σ π_t = 1``);
- a finite set of messages ``M`` available to every type (a type-dependent message *cost* is
  written into the payoffs, so cheap talk is the special case of zero cost);
- a finite set of responses ``R`` available after every message;
- for every ``(t, m, r)`` an *outcome*: either a terminal payoff pair ``(u_S, u_R)`` or a later
  stage, a small tree in which only the sender (who knows ``t``) and chance move, as in the
  follow-through stage of ``resolve-signal`` (game G1 of docs/scenarios.md).

Later stages are decision problems of the sender alone, so sequential rationality reduces each
``(t, m, r)`` to the payoff pairs of the sender's optimal continuation plans
(:meth:`SignalingGame.reduced`); when the sender is indifferent between continuations that give
the receiver different payoffs, every such pure tie-break is kept and reported. Receiver moves
inside a later stage would need beliefs updated within the stage and are not supported (a
``GameValidationError`` says so); write such games as ``kind: tree``.

The game is immutable and validated on construction; build it with :meth:`SignalingGame.from_spec`
(the ``kind: signaling`` body of docs/game-format.md, after expressions are evaluated) or
:meth:`SignalingGame.build`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, cast

from bargaining.errors import GameValidationError
from bargaining.numeric import to_fraction

__all__ = ["SignalingGame", "Terminal", "SenderNode", "ChanceNode", "Continuation"]

_TOL = 1e-9


def _num(value: Any, where: str) -> Any:
    """A finite number: ints become Fractions, Fractions stay, floats stay floats."""
    if isinstance(value, bool) or value is None:
        raise GameValidationError(f"{where}: expected a number, got {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, str):
        try:
            return to_fraction(value)
        except (TypeError, ValueError):
            raise GameValidationError(f"{where}: expected a number, got {value!r}") from None
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise GameValidationError(f"{where}: expected a number, got {value!r}") from None
    if not math.isfinite(f):
        raise GameValidationError(f"{where}: expected a finite number, got {value!r}")
    if hasattr(value, "is_integer") and not isinstance(value, float):  # numpy scalar
        return f
    return f


@dataclass(frozen=True)
class Terminal:
    """A terminal node: ``payoffs = (sender, receiver)``."""

    payoffs: tuple[Any, Any]
    name: str = ""


@dataclass(frozen=True)
class SenderNode:
    """A later-stage decision of the sender (who knows its type)."""

    actions: tuple[str, ...]
    children: tuple[Node, ...]
    name: str = ""


@dataclass(frozen=True)
class ChanceNode:
    """A chance move inside a later stage."""

    actions: tuple[str, ...]
    probs: tuple[Any, ...]
    children: tuple[Node, ...]
    name: str = ""


Node = Terminal | SenderNode | ChanceNode


@dataclass(frozen=True)
class Continuation:
    """One sequentially rational continuation after ``(t, m, r)``: the sender's expected payoff,
    the receiver's expected payoff and the plan (action chosen at each sender node, in the
    subtree's depth-first order; empty for a terminal outcome)."""

    sender: Fraction
    receiver: Fraction
    plan: tuple[str, ...] = ()


def _parse_node(spec: Any, sender: str, receiver: str, where: str) -> Node:
    if isinstance(spec, (list, tuple)):
        spec = {"payoffs": spec}
    if not isinstance(spec, Mapping):
        raise GameValidationError(f"{where}: expected [sender payoff, receiver payoff] or a node mapping")
    if "payoffs" in spec:
        pay = spec["payoffs"]
        if isinstance(pay, Mapping):
            missing = [p for p in (sender, receiver) if p not in pay]
            if missing:
                raise GameValidationError(f"{where}: payoffs miss player {missing[0]!r}")
            pay = [pay[sender], pay[receiver]]
        if not isinstance(pay, (list, tuple)) or len(pay) != 2:
            raise GameValidationError(
                f"{where}: payoffs must be [sender, receiver] (two numbers), got {pay!r}"
            )
        return Terminal(
            (_num(pay[0], f"{where} sender payoff"), _num(pay[1], f"{where} receiver payoff")),
            str(spec.get("name", "")),
        )
    player = spec.get("player")
    actions = spec.get("actions")
    if not isinstance(actions, Mapping) or not actions:
        raise GameValidationError(f"{where}: a node needs 'payoffs' or a non-empty 'actions' mapping")
    labels = tuple(str(a) for a in actions)
    children = tuple(
        _parse_node(child, sender, receiver, f"{where} > {label}")
        for label, child in zip(labels, actions.values())
    )
    if player == "chance":
        probs_spec = spec.get("probs")
        if not isinstance(probs_spec, Mapping):
            raise GameValidationError(f"{where}: a chance node needs 'probs' (action -> probability)")
        probs = []
        for label in labels:
            if label not in probs_spec:
                raise GameValidationError(f"{where}: chance probability missing for action {label!r}")
            pr = _num(probs_spec[label], f"{where} probability of {label!r}")
            if pr < 0:
                raise GameValidationError(f"{where}: negative probability {pr} for action {label!r}")
            probs.append(pr)
        total = sum(probs)
        if abs(float(total) - 1) > _TOL:
            raise GameValidationError(f"{where}: chance probabilities sum to {float(total):g}, not 1")
        return ChanceNode(labels, tuple(probs), children, str(spec.get("name", "")))
    if player == receiver:
        raise GameValidationError(
            f"{where}: the receiver {receiver!r} moves in a later stage; only the sender and chance "
            "may move after the response (write the game as kind: tree instead)"
        )
    if player != sender:
        raise GameValidationError(f"{where}: unknown player {player!r}; later stages are moves of {sender!r}")
    return SenderNode(labels, children, str(spec.get("name", spec.get("infoset", ""))))


def _node_to_spec(node: Node, sender: str) -> Any:
    if isinstance(node, Terminal):
        out: dict[str, Any] = {"payoffs": list(node.payoffs)}
        if node.name:
            out["name"] = node.name
        return out
    if isinstance(node, ChanceNode):
        return {
            "player": "chance",
            "actions": {a: _node_to_spec(c, sender) for a, c in zip(node.actions, node.children)},
            "probs": dict(zip(node.actions, node.probs)),
        }
    return {
        "player": sender,
        "actions": {a: _node_to_spec(c, sender) for a, c in zip(node.actions, node.children)},
    }


def _continuations(node: Node, tol: Fraction) -> list[tuple[Fraction, Fraction, tuple[str, ...]]]:
    """All sequentially rational pure plans of the sender in ``node`` (backward induction; at a
    tie every optimal action is kept), each with its exact expected payoffs."""
    if isinstance(node, Terminal):
        return [(to_fraction(node.payoffs[0]), to_fraction(node.payoffs[1]), ())]
    if isinstance(node, ChanceNode):
        per_child = [_continuations(c, tol) for c in node.children]
        out = []
        for combo in itertools.product(*per_child):
            us = sum((to_fraction(p) * c[0] for p, c in zip(node.probs, combo)), Fraction(0))
            ur = sum((to_fraction(p) * c[1] for p, c in zip(node.probs, combo)), Fraction(0))
            out.append((us, ur, tuple(a for c in combo for a in c[2])))
        return out
    per_child = [_continuations(c, tol) for c in node.children]
    best = max(c[0] for opts in per_child for c in opts)
    out = []
    for label, opts in zip(node.actions, per_child):
        for us, ur, plan in opts:
            if us >= best - tol:
                out.append((us, ur, (label,) + plan))
    return out


@dataclass(frozen=True)
class SignalingGame:
    """A finite signaling game (see the module docstring). ``outcomes[t][m][r]`` is a node."""

    sender: str
    receiver: str
    types: tuple[str, ...]
    prior: tuple[Any, ...]
    messages: tuple[str, ...]
    responses: tuple[str, ...]
    outcomes: tuple[tuple[tuple[Node, ...], ...], ...]
    title: str = ""
    exact: bool = True

    kind = "signaling"

    def __post_init__(self) -> None:
        for name, labels in (
            ("types", self.types),
            ("messages", self.messages),
            ("responses", self.responses),
        ):
            if not labels:
                raise GameValidationError(f"signaling game: at least one entry is needed in {name}")
            if len(set(labels)) != len(labels):
                dup = next(x for x in labels if labels.count(x) > 1)
                raise GameValidationError(f"signaling game: {name} label {dup!r} appears twice")
        if self.sender == self.receiver:
            raise GameValidationError("signaling game: sender and receiver must be different players")
        if len(self.prior) != len(self.types):
            raise GameValidationError("signaling game: one prior probability per type is needed")
        for t, pr in zip(self.types, self.prior):
            if pr < 0:
                raise GameValidationError(f"signaling game: negative prior probability {pr} for type {t!r}")
        total = sum(self.prior)
        if abs(float(total) - 1) > _TOL or (self.exact and isinstance(total, Fraction) and total != 1):
            raise GameValidationError(
                f"signaling game: the prior sums to {total} ({float(total):g}), not 1; fix types: {{...}}"
            )
        if len(self.outcomes) != len(self.types) or any(
            len(row) != len(self.messages) or any(len(cell) != len(self.responses) for cell in row)
            for row in self.outcomes
        ):
            raise GameValidationError("signaling game: outcomes must be indexed [type][message][response]")

    # ----------------------------------------------------------------- construction
    @classmethod
    def build(
        cls,
        prior: Mapping[str, Any],
        messages: Sequence[str],
        responses: Sequence[str],
        payoffs: Mapping[str, Mapping[str, Mapping[str, Any]]],
        *,
        sender: str = "Sender",
        receiver: str = "Receiver",
        title: str = "",
    ) -> SignalingGame:
        """Keyword form of :meth:`from_spec`."""
        return cls.from_spec(
            {
                "players": {"sender": sender, "receiver": receiver},
                "types": dict(prior),
                "messages": list(messages),
                "responses": list(responses),
                "payoffs": payoffs,
                "title": title,
            }
        )

    @classmethod
    def from_spec(cls, body: Mapping[str, Any]) -> SignalingGame:
        """Build from the ``kind: signaling`` body of docs/game-format.md (numbers already
        evaluated: ints, Fractions or floats). Unknown top-level keys (``name``, ``source``, ...)
        are ignored."""
        if not isinstance(body, Mapping):
            raise GameValidationError("signaling game: the body must be a mapping")
        players = body.get("players")
        if isinstance(players, Mapping):
            if "sender" not in players or "receiver" not in players:
                raise GameValidationError("signaling game: players needs 'sender' and 'receiver'")
            sender, receiver = str(players["sender"]), str(players["receiver"])
        elif isinstance(players, (list, tuple)) and len(players) == 2:
            sender, receiver = str(players[0]), str(players[1])
        else:
            raise GameValidationError("signaling game: players must be {sender: NAME, receiver: NAME}")
        types_spec = body.get("types")
        if not isinstance(types_spec, Mapping) or not types_spec:
            raise GameValidationError(
                "signaling game: types must map each type label to its prior probability"
            )
        types = tuple(str(t) for t in types_spec)
        prior = tuple(_num(v, f"prior of type {t!r}") for t, v in zip(types, types_spec.values()))
        for t, pr in zip(types, prior):
            if pr < 0:
                raise GameValidationError(f"signaling game: negative prior probability {pr} for type {t!r}")
        messages = body.get("messages")
        responses = body.get("responses")
        for name, val in (("messages", messages), ("responses", responses)):
            if not isinstance(val, (list, tuple)) or not val:
                raise GameValidationError(f"signaling game: {name} must be a non-empty list of labels")
        messages = tuple(str(m) for m in cast(Sequence[Any], messages))
        responses = tuple(str(r) for r in cast(Sequence[Any], responses))
        payoffs = body.get("payoffs")
        if not isinstance(payoffs, Mapping):
            raise GameValidationError("signaling game: payoffs must map type -> message -> response")
        for key in payoffs:
            if str(key) not in types:
                raise GameValidationError(
                    f"signaling game: payoffs name unknown type {key!r}; types: {', '.join(types)}"
                )
        outcomes = []
        for t in types:
            if t not in payoffs:
                raise GameValidationError(f"signaling game: payoffs missing for type {t!r}")
            row_spec = payoffs[t]
            if not isinstance(row_spec, Mapping):
                raise GameValidationError(
                    f"signaling game: payoffs of type {t!r} must map message -> response"
                )
            for key in row_spec:
                if str(key) not in messages:
                    raise GameValidationError(
                        f"signaling game: payoffs of type {t!r} name unknown message {key!r}"
                    )
            row = []
            for m in messages:
                if m not in row_spec:
                    raise GameValidationError(
                        f"signaling game: message {m!r} missing for type {t!r} in payoffs"
                    )
                cell_spec = row_spec[m]
                if not isinstance(cell_spec, Mapping):
                    raise GameValidationError(
                        f"signaling game: payoffs of {t!r}/{m!r} must map response -> outcome"
                    )
                for key in cell_spec:
                    if str(key) not in responses:
                        raise GameValidationError(
                            f"signaling game: payoffs of {t!r}/{m!r} name unknown response {key!r}"
                        )
                cell = []
                for r in responses:
                    if r not in cell_spec:
                        raise GameValidationError(
                            f"signaling game: response {r!r} missing after message {m!r} "
                            f"for type {t!r} in payoffs"
                        )
                    cell.append(_parse_node(cell_spec[r], sender, receiver, f"payoffs {t} > {m} > {r}"))
                row.append(tuple(cell))
            outcomes.append(tuple(row))
        exact = all(isinstance(x, Fraction) for x in prior) and all(
            isinstance(v, Fraction) for v in _leaf_numbers(outcomes)
        )
        return cls(
            sender=sender,
            receiver=receiver,
            types=types,
            prior=prior,
            messages=messages,
            responses=responses,
            outcomes=tuple(outcomes),
            title=str(body.get("title", "") or ""),
            exact=exact,
        )

    def to_spec(self) -> dict[str, Any]:
        """The ``kind: signaling`` body (numbers, not expressions)."""
        return {
            "kind": "signaling",
            "title": self.title,
            "players": {"sender": self.sender, "receiver": self.receiver},
            "types": dict(zip(self.types, self.prior)),
            "messages": list(self.messages),
            "responses": list(self.responses),
            "payoffs": {
                t: {
                    m: {
                        r: _node_to_spec(self.outcomes[i][j][k], self.sender)
                        for k, r in enumerate(self.responses)
                    }
                    for j, m in enumerate(self.messages)
                }
                for i, t in enumerate(self.types)
            },
        }

    # ----------------------------------------------------------------- queries
    @property
    def players(self) -> tuple[str, str]:
        return (self.sender, self.receiver)

    @property
    def num_players(self) -> int:
        return 2

    @property
    def shape(self) -> tuple[int, int, int]:
        return (len(self.types), len(self.messages), len(self.responses))

    @property
    def has_later_stages(self) -> bool:
        return any(not isinstance(n, Terminal) for row in self.outcomes for cell in row for n in cell)

    def describe(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "players": list(self.players),
            "kind": "signaling",
            "types": list(self.types),
            "prior": [float(p) for p in self.prior],
            "messages": list(self.messages),
            "responses": list(self.responses),
        }

    def continuations(self, tol: float = 0.0) -> list[list[list[list[Continuation]]]]:
        """``[t][m][r]`` → the sender's sequentially rational pure continuation plans (backward
        induction; several when the sender is indifferent), exact."""
        ftol = to_fraction(tol) if tol else Fraction(0)
        out = []
        for row in self.outcomes:
            out.append(
                [
                    [
                        [Continuation(us, ur, plan) for us, ur, plan in _dedupe(_continuations(node, ftol))]
                        for node in cell
                    ]
                    for cell in row
                ]
            )
        return out

    def reduced(self) -> list[tuple[list, list, dict]]:
        """The one-shot games left after sequential rationality in the later stages: a list of
        ``(U_S, U_R, plans)`` with ``U_S[t][m][r]``, ``U_R[t][m][r]`` exact Fractions and
        ``plans[(t, m, r)]`` the continuation plan. One entry per combination of tie-breaks that
        changes a payoff (usually exactly one entry)."""
        conts = self.continuations()
        cells = [
            (i, j, k)
            for i in range(len(self.types))
            for j in range(len(self.messages))
            for k in range(len(self.responses))
        ]
        choices = [conts[i][j][k] for i, j, k in cells]
        out = []
        for combo in itertools.product(*choices):
            us: list[list[list[Any]]] = [
                [[None] * len(self.responses) for _ in self.messages] for _ in self.types
            ]
            ur: list[list[list[Any]]] = [
                [[None] * len(self.responses) for _ in self.messages] for _ in self.types
            ]
            plans = {}
            for (i, j, k), c in zip(cells, combo):
                us[i][j][k] = c.sender
                ur[i][j][k] = c.receiver
                if c.plan:
                    plans[(i, j, k)] = c.plan
            out.append((us, ur, plans))
        return out

    def to_extensive(self) -> Any:
        """The same game as an :class:`~bargaining.model.extensive.ExtensiveGame`: a chance root
        over the types, one sender information set per type, one receiver information set per
        message (the receiver does not see the type), then the later stages."""
        from bargaining.model.extensive import ExtensiveGame

        return ExtensiveGame.from_spec(self.tree_spec())

    def tree_spec(self) -> dict[str, Any]:
        """The ``kind: tree`` body of docs/game-format.md for this game."""

        def response_node(i: int, j: int) -> dict[str, Any]:
            return {
                "player": self.receiver,
                "infoset": f"after {self.messages[j]}",
                "actions": {
                    r: _node_to_spec(self.outcomes[i][j][k], self.sender)
                    for k, r in enumerate(self.responses)
                },
            }

        root = {
            "player": "chance",
            "actions": {
                t: {
                    "player": self.sender,
                    "infoset": f"type {t}",
                    "actions": {m: response_node(i, j) for j, m in enumerate(self.messages)},
                }
                for i, t in enumerate(self.types)
            },
            "probs": dict(zip(self.types, self.prior)),
        }
        return {"title": self.title, "players": [self.sender, self.receiver], "root": root}

    # -- notebook display (bargaining.model.display: a hook the report layer fills) ----------
    def _repr_html_(self) -> str | None:
        from bargaining.model.display import game_html

        return game_html(self)

    def _repr_svg_(self) -> str | None:
        from bargaining.model.display import figure_svg

        return figure_svg(self)


def _dedupe(
    items: list[tuple[Fraction, Fraction, tuple[str, ...]]],
) -> list[tuple[Fraction, Fraction, tuple[str, ...]]]:
    """Keep one plan per distinct (sender, receiver) payoff pair (ties that change nothing)."""
    seen: dict[tuple[Fraction, Fraction], tuple[Fraction, Fraction, tuple[str, ...]]] = {}
    for item in items:
        seen.setdefault((item[0], item[1]), item)
    return list(seen.values())


def _leaf_numbers(outcomes: Any):
    for row in outcomes:
        for cell in row:
            for node in cell:
                yield from _node_numbers(node)


def _node_numbers(node: Node):
    if isinstance(node, Terminal):
        yield from node.payoffs
    else:
        if isinstance(node, ChanceNode):
            yield from node.probs
        for c in node.children:
            yield from _node_numbers(c)
