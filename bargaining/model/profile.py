"""Equilibria and solutions: what every solver returns.

A :class:`Solution` is frozen and records the concept, the method and its options, whether the
arithmetic was exact, and whether the list of equilibria is **complete** (the method proved it
found all of them) or not (a time budget ran out, or the method only finds some). Each
:class:`Equilibrium` carries its profile, expected payoffs and its certificate ``regret``: the
largest gain from a deviation, computed by :func:`bargaining.verify.certify` (called by the
dispatcher :func:`bargaining.solvers.api.solve`), independently of the solver. A solver called
directly leaves ``regret=None``: *uncertified*, rendered as such.

Which profile fields are set depends on the game kind (the JSON shape of docs/reference/solve.md):

- normal form: ``strategies`` (per player, the probability of each strategy);
- trees: ``behavior`` (per player, per information set, the probability of each action),
  ``beliefs`` (per player, per information set, the probability of each node; ``None`` where
  off the path and not pinned down) and ``outcomes`` (probability of each terminal node);
- signaling games and bargaining models add their own JSON-ready blocks in ``extra``
  (``label``-related ``mixing``, ``refinements``, ``solution``, ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from bargaining.numeric import jsonify

__all__ = ["Equilibrium", "Solution", "sort_key_profile"]


def _freeze(value: Any) -> Any:
    """Nested lists → tuples, so that a profile cannot be edited in place (a tuple that holds
    no list or tuple is returned as it is, without a copy)."""
    if not isinstance(value, _SEQUENCES):
        return value
    for v in value:
        if isinstance(v, _SEQUENCES):
            return tuple([_freeze(v) for v in value])
    return value if type(value) is tuple else tuple(value)


_SEQUENCES = (list, tuple)


_EMPTY: Mapping[str, Any] = MappingProxyType({})  # the default of the mappings (copied per instance)


@dataclass(frozen=True, kw_only=True)
class Equilibrium:
    """One equilibrium (or, for signaling games, one PBE family).

    ``regret`` is required: the certificate (a number ≥ 0; 0 for an exact equilibrium), or
    ``None`` for an equilibrium that nobody has certified yet (a solver's own output before the
    dispatcher runs :func:`bargaining.verify.certify`). ``witness`` holds what a verifier needs
    beyond the reported profile (e.g. one sustaining off-path belief of a signaling family);
    it is not part of the JSON output."""

    regret: Any
    payoffs: tuple[Any, ...] = ()
    strategies: tuple[tuple[Any, ...], ...] | None = None
    behavior: tuple[tuple[tuple[Any, ...], ...], ...] | None = None
    beliefs: tuple[Any, ...] | None = None
    outcomes: tuple[Any, ...] | None = None
    label: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    witness: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)

    def __init__(
        self,
        *,
        regret: Any,
        payoffs: tuple[Any, ...] = (),
        strategies: tuple[tuple[Any, ...], ...] | None = None,
        behavior: tuple[tuple[tuple[Any, ...], ...], ...] | None = None,
        beliefs: tuple[Any, ...] | None = None,
        outcomes: tuple[Any, ...] | None = None,
        label: str | None = None,
        extra: Mapping[str, Any] = _EMPTY,
        witness: Mapping[str, Any] | None = None,
    ) -> None:
        """The dataclass ``__init__`` written out: the fields are stored in the instance's
        ``__dict__`` (past the frozen ``__setattr__``, as the generated one does with
        ``object.__setattr__``, which costs more), then :meth:`__post_init__` normalises them.
        ``extra`` defaults to a new empty mapping, as ``field(default_factory=dict)``."""
        d = self.__dict__
        d["regret"] = regret
        d["payoffs"] = payoffs
        d["strategies"] = strategies
        d["behavior"] = behavior
        d["beliefs"] = beliefs
        d["outcomes"] = outcomes
        d["label"] = label
        d["extra"] = extra
        d["witness"] = witness
        self.__post_init__()

    def __post_init__(self) -> None:
        d = self.__dict__  # frozen: the normalised values are written past __setattr__
        # the fields of _FROZEN, written out (a loop over their names costs more than this)
        v = d["payoffs"]
        if v is not None:
            d["payoffs"] = _freeze(v)
        v = d["strategies"]
        if v is not None:
            d["strategies"] = _freeze(v)
        v = d["behavior"]
        if v is not None:
            d["behavior"] = _freeze(v)
        v = d["beliefs"]
        if v is not None:
            d["beliefs"] = _freeze(v)
        v = d["outcomes"]
        if v is not None:
            d["outcomes"] = _freeze(v)
        d["extra"] = MappingProxyType(dict(d["extra"]))

    @property
    def mixed_profile(self) -> tuple[tuple[Any, ...], ...]:
        """``strategies`` (one mixed strategy per player), which an equilibrium of a
        normal-form game always has; ``ValueError`` for one without."""
        if self.strategies is None:
            raise ValueError("this equilibrium has no mixed-strategy profile (strategies is None)")
        return self.strategies

    @property
    def behavior_profile(self) -> tuple[tuple[tuple[Any, ...], ...], ...]:
        """``behavior`` (per player, per information set, the action probabilities), which an
        equilibrium of a tree or signaling game always has; ``ValueError`` for one without."""
        if self.behavior is None:
            raise ValueError("this equilibrium has no behavior profile (behavior is None)")
        return self.behavior

    @property
    def certified(self) -> bool:
        """True once a verifier has set ``regret``."""
        return self.regret is not None

    @property
    def is_pure(self) -> bool:
        """True if every player puts probability one on a single strategy / action."""
        prof: Sequence[Sequence[Any]] | None = self.strategies
        if prof is None and self.behavior is not None:
            prof = [probs for player in self.behavior for probs in player]
        if prof is None:
            return False
        return all(sum(1 for p in probs if p != 0) == 1 for probs in prof)

    def to_dict(self, exact: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in ("strategies", "behavior", "beliefs", "outcomes"):
            value = getattr(self, name)
            if value is not None:
                out[name] = jsonify(value, exact)
        out["payoffs"] = jsonify(self.payoffs, exact)
        out["regret"] = jsonify(self.regret, exact)  # null: uncertified
        if self.label is not None:
            out["label"] = self.label
        for key, value in self.extra.items():
            out[key] = jsonify(value, exact)
        return out

    def with_extra(self, **extra: Any) -> Equilibrium:
        return self.replace(extra={**self.extra, **extra})

    def replace(self, **changes: Any) -> Equilibrium:
        """A copy with ``changes`` (as :func:`dataclasses.replace`, normalising only the
        changed fields: the others are frozen already)."""
        if len(changes) == 1 and "regret" in changes and type(self) is Equilibrium:
            new = _new_object(Equilibrium)  # the certifier's copy: ``regret`` is stored as given
            d = new.__dict__
            d.update(self.__dict__)
            d["regret"] = changes["regret"]
            return new
        return _replaced(self, changes, _equilibrium_field)


@dataclass(frozen=True)
class Solution:
    """The result of a solver: equilibria plus what is known about them."""

    game: Any
    concept: str
    method: str
    equilibria: tuple[Equilibrium, ...]
    complete: bool
    exact: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)
    components: tuple[tuple[int, ...], ...] | None = None
    message: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __init__(
        self,
        game: Any,
        concept: str,
        method: str,
        equilibria: tuple[Equilibrium, ...],
        complete: bool,
        exact: bool = False,
        options: Mapping[str, Any] = _EMPTY,
        components: tuple[tuple[int, ...], ...] | None = None,
        message: str | None = None,
        extra: Mapping[str, Any] = _EMPTY,
    ) -> None:
        """The dataclass ``__init__`` written out, as :meth:`Equilibrium.__init__` (``options``
        and ``extra`` default to new empty mappings, as ``field(default_factory=dict)``)."""
        d = self.__dict__
        d["game"] = game
        d["concept"] = concept
        d["method"] = method
        d["equilibria"] = equilibria
        d["complete"] = complete
        d["exact"] = exact
        d["options"] = options
        d["components"] = components
        d["message"] = message
        d["extra"] = extra
        self.__post_init__()

    def __post_init__(self) -> None:
        d = self.__dict__  # frozen: the normalised values are written past __setattr__
        d["equilibria"] = tuple(d["equilibria"])
        components = d["components"]
        if components is not None:
            d["components"] = tuple(tuple(c) for c in components)
        d["options"] = MappingProxyType(dict(d["options"]))
        d["extra"] = MappingProxyType(dict(d["extra"]))

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)

    def __getitem__(self, k: int) -> Equilibrium:
        return self.equilibria[k]

    def to_dict(self, exact: bool | None = None) -> dict[str, Any]:
        """The stable JSON shape of ``bargain solve --format json`` (docs/reference/solve.md)
        (``exact`` defaults to the solution's mode)."""
        exact = self.exact if exact is None else exact
        describe = getattr(self.game, "describe", None)
        out: dict[str, Any] = {
            "game": describe() if describe else {"title": str(self.game)},
            "concept": self.concept,
            "method": self.method,
            "complete": self.complete,
            "exact": exact,
            "equilibria": [eq.to_dict(exact) for eq in self.equilibria],
        }
        if self.components is not None:
            out["components"] = [list(c) for c in self.components]
        if self.message:
            out["message"] = self.message
        for key, value in self.extra.items():
            out[key] = jsonify(value, exact)
        return out

    def replace(self, **changes: Any) -> Solution:
        """A copy with ``changes`` (as :func:`dataclasses.replace`, normalising only the
        changed fields)."""
        if type(self) is not Solution:
            return _replaced(self, changes, _solution_field)
        new = _new_object(Solution)  # _replaced with _solution_field written out
        d = new.__dict__
        d.update(self.__dict__)
        for name, value in changes.items():
            if name == "equilibria":
                d[name] = tuple(value)
            elif name == "options" or name == "extra":
                d[name] = MappingProxyType(dict(value))
            elif name == "components":
                d[name] = None if value is None else tuple(tuple(c) for c in value)
            elif name in _SOLUTION_FIELDS:
                d[name] = value
            else:
                raise TypeError(f"Solution.__init__() got an unexpected keyword argument {name!r}")
        return new

    # -- notebook display (bargaining.model.display: a hook the report layer fills) ----------
    def _repr_html_(self) -> str | None:
        from bargaining.model.display import solution_html

        return solution_html(self)

    def _repr_svg_(self) -> str | None:
        from bargaining.model.display import figure_svg

        return figure_svg(self)


_FROZEN = frozenset(("payoffs", "strategies", "behavior", "beliefs", "outcomes"))


def _equilibrium_field(name: str, value: Any) -> Any:
    if name in _FROZEN:
        return _freeze(value)
    if name == "extra":
        return MappingProxyType(dict(value))
    return value


def _solution_field(name: str, value: Any) -> Any:
    if name == "equilibria":
        return tuple(value)
    if name == "components":
        return None if value is None else tuple(tuple(c) for c in value)
    if name in ("options", "extra"):
        return MappingProxyType(dict(value))
    return value


_new_object = object.__new__
_SOLUTION_FIELDS = frozenset(Solution.__dataclass_fields__)


def _replaced(obj: Any, changes: dict[str, Any], normalise: Any) -> Any:
    """``dataclasses.replace(obj, **changes)`` for :class:`Equilibrium` and :class:`Solution`
    themselves without re-running ``__post_init__`` on the unchanged (already normalised)
    fields: ``dataclasses.replace`` costs more than a small game's solution."""
    cls = type(obj)
    if cls is not Equilibrium and cls is not Solution:
        return replace(obj, **changes)  # a subclass may normalise differently
    fields = cls.__dataclass_fields__
    for name in changes:
        if name not in fields:
            raise TypeError(f"{cls.__name__}.__init__() got an unexpected keyword argument {name!r}")
    new = _new_object(cls)
    d = new.__dict__  # frozen: the values are written past __setattr__, as __post_init__ does
    d.update(obj.__dict__)
    for name, value in changes.items():
        d[name] = normalise(name, value)
    return new


def sort_key_profile(profile: Sequence[Sequence[Any]]) -> tuple:
    """Deterministic order of the JSON output (docs/reference/solve.md): pure before mixed, then
    by the profile read as numbers from the first player's first strategy on, larger
    probabilities first (so that a pure profile on earlier strategies comes first)."""
    flat = [p for probs in profile for p in probs]
    mixed = False
    for p in flat:  # any(0 < p < 1 for p in flat), without a generator
        if 0 < p < 1:
            mixed = True
            break
    return (mixed, tuple([-float(p) for p in flat]))
