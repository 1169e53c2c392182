"""The objects the certificate builds (:class:`Equilibrium`, :class:`Solution`, their
``replace``, :func:`sort_key_profile`) behave as their plain dataclass definitions: the written
out ``Equilibrium.__init__`` and ``__post_init__`` store and normalise the same fields, the
one-field ``replace(regret=...)`` equals :func:`dataclasses.replace`, and the sort key is the
one of the plain definition, on many random and degenerate inputs."""

from __future__ import annotations

import dataclasses
import inspect
from collections import namedtuple
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np
import pytest

from bargaining.model.profile import Equilibrium, Solution, sort_key_profile


def _plain_freeze(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        if type(value) is tuple:
            for v in value:
                if isinstance(v, (list, tuple)):
                    break
            else:
                return value
        return tuple(_plain_freeze(v) for v in value)
    return value


@dataclasses.dataclass(frozen=True, kw_only=True)
class _PlainEquilibrium:
    """Equilibrium as a plain dataclass (the generated ``__init__``)."""

    regret: Any
    payoffs: tuple[Any, ...] = ()
    strategies: Any = None
    behavior: Any = None
    beliefs: Any = None
    outcomes: Any = None
    label: str | None = None
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    witness: Mapping[str, Any] | None = dataclasses.field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("payoffs", "strategies", "behavior", "beliefs", "outcomes"):
            v = getattr(self, name)
            if v is not None:
                object.__setattr__(self, name, _plain_freeze(v))
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))


@dataclasses.dataclass(frozen=True)
class _PlainSolution:
    """Solution as a plain dataclass (the generated ``__init__``)."""

    game: Any
    concept: str
    method: str
    equilibria: Any
    complete: bool
    exact: bool = False
    options: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    components: Any = None
    message: str | None = None
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "equilibria", tuple(self.equilibria))
        if self.components is not None:
            object.__setattr__(self, "components", tuple(tuple(c) for c in self.components))
        object.__setattr__(self, "options", MappingProxyType(dict(self.options)))
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))


def _plain_sort_key(profile) -> tuple:
    flat = [p for probs in profile for p in probs]
    mixed = any(0 < p < 1 for p in flat)
    return (mixed, tuple(-float(p) for p in flat))


Point = namedtuple("Point", "a b")


def _values(rng: np.random.Generator) -> list:
    """Profiles and blocks of many shapes: lists, tuples, nested, namedtuples, arrays, None."""
    x = rng.dirichlet(np.ones(3)).tolist()
    return [
        None,
        (),
        [],
        [1.0, 0.0],
        (0.5, 0.5),
        [[1.0, 0.0], [0.25, 0.75]],
        ([0.0, 1.0], (0.5, 0.5)),
        ((1.0, 0.0), (0.0, 1.0)),
        [[[0.5, 0.5]], [[1.0, 0.0], [0.0, 1.0]]],
        [[Fraction(1, 3), Fraction(2, 3)], [Fraction(1), Fraction(0)]],
        (Point(0.5, 0.5), [x]),
        Point(1, 2),
        np.array([0.5, 0.5]),
        [np.array([0.5, 0.5]), [None, 1]],
        [x, x],
        ("a", ["b", ("c",)]),
    ]


def _fields(obj) -> dict:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


def _same_value(a: Any, b: Any) -> None:
    assert type(a) is type(b)
    if isinstance(a, np.ndarray):
        assert a is b  # arrays are not copied
    elif isinstance(a, tuple):
        assert len(a) == len(b)
        for u, v in zip(a, b):
            _same_value(u, v)
    else:
        assert a == b


def test_equilibrium_init_equals_the_plain_dataclass():
    rng = np.random.default_rng(40)
    values = _values(rng)
    for k in range(400):
        kwargs: dict[str, Any] = {"regret": [None, 0.0, Fraction(0), 1e-3][k % 4]}
        for name in ("payoffs", "strategies", "behavior", "beliefs", "outcomes"):
            if rng.random() < 0.6:
                kwargs[name] = values[int(rng.integers(len(values)))]
        if rng.random() < 0.5:
            kwargs["label"] = "mixed"
        if rng.random() < 0.5:
            kwargs["extra"] = {"mixing": [1, 2]} if rng.random() < 0.5 else MappingProxyType({"a": 1})
        if rng.random() < 0.3:
            kwargs["witness"] = {"belief": 0.5}
        fast, plain = Equilibrium(**kwargs), _PlainEquilibrium(**kwargs)
        for (name, a), (_, b) in zip(_fields(fast).items(), _fields(plain).items(), strict=True):
            if name not in ("extra", "witness"):
                _same_value(a, b)
        assert type(fast.extra) is MappingProxyType and dict(fast.extra) == dict(plain.extra)
        assert fast.witness == plain.witness
        given = kwargs.get("strategies")
        if type(given) is tuple and not any(isinstance(v, (list, tuple)) for v in given):
            assert fast.strategies is given  # a flat tuple is kept, not copied


def test_equilibrium_init_keeps_the_dataclass_contract():
    extra = {"a": [1]}
    eq = Equilibrium(regret=None, extra=extra)
    extra["b"] = 2  # the equilibrium holds its own copy
    assert dict(eq.extra) == {"a": [1]}
    one, two = Equilibrium(regret=None), Equilibrium(regret=None)
    assert dict(one.extra) == {} and one.extra is not two.extra
    with pytest.raises(TypeError, match="regret"):
        Equilibrium()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Equilibrium(0.0)  # type: ignore[misc]  # keyword-only
    with pytest.raises(TypeError):
        Equilibrium(regret=None, nonsense=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Equilibrium(regret=None, extra=None)  # type: ignore[arg-type]  # as dict(None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        eq.regret = 1.0  # type: ignore[misc]
    got = inspect.signature(Equilibrium).parameters
    plain = inspect.signature(_PlainEquilibrium).parameters
    assert list(got) == list(plain)
    assert all(got[k].kind is inspect.Parameter.KEYWORD_ONLY for k in got)
    assert all(got[k].default == plain[k].default for k in got if k != "extra")
    assert Equilibrium(regret=0.0, strategies=[[1.0, 0.0]]) == Equilibrium(
        regret=0.0, strategies=((1.0, 0.0),)
    )
    assert hash(Equilibrium(regret=0.0).payoffs) == hash(())
    assert "witness" not in repr(Equilibrium(regret=0.0, witness={"w": 1}))


def test_replace_regret_equals_dataclasses_replace():
    rng = np.random.default_rng(41)
    values = _values(rng)
    for k in range(100):
        eq = Equilibrium(
            regret=None,
            strategies=values[k % len(values)],
            payoffs=(1.0, 2.0),
            label="mixed",
            extra={"k": k},
            witness={"w": k} if k % 2 else None,
        )
        for regret in (0.0, -0.0, 1e-9, Fraction(1, 3), None, float("nan")):
            fast, slow = eq.replace(regret=regret), dataclasses.replace(eq, regret=regret)
            assert fast.regret is regret  # stored as given, not normalised
            assert _fields(fast).keys() == _fields(slow).keys()
            for name in ("payoffs", "strategies", "behavior", "beliefs", "outcomes", "label"):
                _same_value(getattr(fast, name), getattr(slow, name))
            assert dict(fast.extra) == dict(slow.extra) and fast.witness == slow.witness
            assert type(fast) is Equilibrium and eq.regret is None
            with pytest.raises(dataclasses.FrozenInstanceError):
                fast.regret = 1.0  # type: ignore[misc]


def test_a_subclass_replaces_through_dataclasses():
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Tagged(Equilibrium):
        tag: str = "t"

    eq = Tagged(regret=None, strategies=[[1.0, 0.0]], tag="x")
    assert eq.strategies == ((1.0, 0.0),)  # the generated __init__ runs __post_init__
    again = eq.replace(regret=0.0)
    assert type(again) is Tagged and again.tag == "x" and again.regret == 0.0


def test_solution_init_equals_the_plain_dataclass():
    rng = np.random.default_rng(43)
    eqs = [Equilibrium(regret=None, strategies=[[1.0, 0.0], [0.0, 1.0]]), Equilibrium(regret=0.0)]
    optional = {
        "exact": [True, False],
        "options": [{"timeout": None}, MappingProxyType({"a": 1})],
        "components": [None, [[0], [1]], ((0, 1),), [range(2)]],
        "message": [None, "", "note"],
        "extra": [{"index": [1, -1]}, MappingProxyType({})],
    }
    got = inspect.signature(Solution).parameters
    plain_params = inspect.signature(_PlainSolution).parameters
    assert [(k, p.kind) for k, p in got.items()] == [(k, p.kind) for k, p in plain_params.items()]
    for k in range(300):
        args = [None, "nash", "enummixed", eqs if k % 2 else tuple(eqs), bool(k % 3)]
        kwargs = {
            name: vals[int(rng.integers(len(vals)))] for name, vals in optional.items() if rng.random() < 0.6
        }
        positional = k % 5 == 0  # the fields may be given by position too
        if positional:
            fast, plain = Solution(*args, **kwargs), _PlainSolution(*args, **kwargs)
        else:
            names = ["game", "concept", "method", "equilibria", "complete"]
            fast = Solution(**dict(zip(names, args)), **kwargs)
            plain = _PlainSolution(**dict(zip(names, args)), **kwargs)
        for f in dataclasses.fields(Solution):
            a, b = getattr(fast, f.name), getattr(plain, f.name)
            assert type(a) is type(b)
            if isinstance(a, MappingProxyType):
                assert dict(a) == dict(b)
            else:
                assert a == b
        assert type(fast.options) is MappingProxyType and type(fast.extra) is MappingProxyType
    first, second = Solution(None, "nash", "m", (), True), Solution(None, "nash", "m", (), True)
    assert first.options is not second.options and dict(first.extra) == {}
    with pytest.raises(TypeError):
        Solution(None, "nash", "m", ())  # type: ignore[call-arg]  # complete is required


def test_solution_init_and_replace_as_before():
    eqs = [Equilibrium(regret=None, strategies=[[1.0, 0.0], [0.0, 1.0]])]
    sol = Solution(
        game=None, concept="nash", method="m", equilibria=eqs, complete=True, components=[[0], [1, 2]]
    )
    assert type(sol.equilibria) is tuple and sol.components == ((0,), (1, 2))
    assert type(sol.options) is MappingProxyType and type(sol.extra) is MappingProxyType
    options = {"timeout": None}
    copy = sol.replace(options=options)
    options["timeout"] = 1.0  # the solution holds its own copy
    assert dict(copy.options) == {"timeout": None}
    assert copy == dataclasses.replace(sol, options={"timeout": None})
    with pytest.raises(TypeError):
        sol.replace(nonsense=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        sol.method = "x"  # type: ignore[misc]
    changes: dict[str, Any] = {
        "equilibria": [eqs[0], eqs[0]],
        "components": [range(1)],
        "options": MappingProxyType({"t": 1}),
        "extra": {"x": 1},
        "message": "m",
        "complete": False,
        "exact": True,
        "concept": "proper",
        "method": "other",
        "game": "g",
    }
    for name, value in changes.items():
        fast, slow = sol.replace(**{name: value}), dataclasses.replace(sol, **{name: value})
        assert fast == slow and type(getattr(fast, name)) is type(getattr(slow, name))
    assert sol.replace(**changes) == dataclasses.replace(sol, **changes)


def test_sort_key_equals_the_plain_definition():
    rng = np.random.default_rng(42)
    for _ in range(2000):
        m, n = (int(v) for v in rng.integers(1, 6, 2))
        kind = rng.integers(4)
        if kind == 0:  # degenerate: pure, with signed zeros
            x = [float(v) for v in rng.choice([0.0, -0.0, 1.0], m)]
            y = [float(v) for v in rng.choice([0.0, 1.0], n)]
        elif kind == 1:
            x, y = rng.dirichlet(np.ones(m)).round(3).tolist(), rng.dirichlet(np.ones(n)).tolist()
        elif kind == 2:
            x = [Fraction(int(v), 4) for v in rng.integers(0, 5, m)]
            y = [int(v) for v in rng.integers(0, 2, n)]
        else:
            x, y = [float("nan")] * m, [1.0] + [0.0] * (n - 1)
        key, plain = sort_key_profile((x, y)), _plain_sort_key((x, y))
        assert key[0] is plain[0]
        assert [v.hex() for v in key[1]] == [v.hex() for v in plain[1]]
