"""The solver contract: option validation, one Deadline, the dispatcher's certificate, and the
layer rule that no solver module imports ``bargaining.verify``."""

from __future__ import annotations

import ast
import inspect
import math
from fractions import Fraction as F
from pathlib import Path

import pytest

import bargaining
from bargaining import verify
from bargaining.errors import SolverError
from bargaining.model.base import Game, is_game
from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Equilibrium, Solution
from bargaining.solvers import api
from bargaining.solvers.budget import Deadline, parse_timeout
from bargaining.solvers.registry import METHODS, Method, register
from bargaining.verify import VERIFIERS, certify, register_verifier

SOLVERS = Path(bargaining.__file__).parent / "solvers"


def _pd() -> NormalFormGame:
    # prisoner's dilemma: (Defect, Defect) is the only equilibrium
    return NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], exact=True)


# -- option validation ----------------------------------------------------------------------------
def test_unknown_option_is_one_line_naming_the_options():
    with pytest.raises(SolverError) as err:
        api.solve(bargaining.load("escalation-tree"), method="backward", tie_breek="file")
    msg = str(err.value)
    assert "\n" not in msg
    assert msg == "unknown option 'tie_breek' for method backward; its options: max_equilibria, tie_break"


def test_method_without_options_says_none():
    with pytest.raises(SolverError, match=r"unknown option 'timeot' for method enummixed; its options: none"):
        api.solve(_pd(), method="enummixed", timeot=3)


def test_declared_option_is_used_and_recorded():
    sol = api.solve(bargaining.load("escalation-tree"), method="backward", max_equilibria=7)
    assert sol.options["max_equilibria"] == 7 and sol.options["tie_break"] is None
    assert sol.options["timeout"] is None


@pytest.mark.parametrize("bad", [-1, -0.5, math.nan, "soon", True])
def test_bad_timeouts_are_errors(bad):
    with pytest.raises(SolverError, match="timeout"):
        api.solve(_pd(), timeout=bad)


@pytest.mark.parametrize("none", [None, 0, 0.0, "none", math.inf])
def test_no_limit_spellings(none):
    assert parse_timeout(none) is None
    assert api.solve(_pd(), timeout=none).options["timeout"] is None


def test_timeout_becomes_the_recorded_budget():
    assert api.solve(_pd(), timeout=30).options["timeout"] == 30.0


def test_every_method_follows_the_contract():
    api._load_solvers()
    for m in METHODS.values():
        params = inspect.signature(m.function).parameters
        kinds = {p.kind for p in params.values()}
        assert inspect.Parameter.VAR_KEYWORD not in kinds, f"{m.name} takes **kwargs"
        assert inspect.Parameter.VAR_POSITIONAL not in kinds, f"{m.name} takes *args"
        names = list(params)
        assert params["deadline"].kind is inspect.Parameter.KEYWORD_ONLY, m.name
        assert params["exact"].kind is inspect.Parameter.KEYWORD_ONLY, m.name
        extra = set(names[1:]) - {"deadline", "exact"}
        assert extra == set(m.options), f"{m.name}: options {sorted(m.options)} vs parameters {sorted(extra)}"
        for name in extra:
            assert params[name].kind is inspect.Parameter.KEYWORD_ONLY
            assert params[name].default is not inspect.Parameter.empty
            assert m.options[name].strip() and "\n" not in m.options[name]


def test_expired_deadline_stops_the_search():
    from bargaining.solvers.lemke import lemke_howson_method

    d = Deadline(1e-9)
    while not d.expired():
        pass
    sol = lemke_howson_method(_pd(), deadline=d)
    assert len(sol) == 0 and "time budget" in sol.message


# -- certify ------------------------------------------------------------------------------------
def test_dispatcher_certifies_and_solvers_do_not():
    from bargaining.solvers.bimatrix import enummixed

    raw = enummixed(_pd())
    assert all(eq.regret is None for eq in raw)  # a solver's own output is uncertified
    sol = api.solve(_pd())
    assert [eq.regret for eq in sol] == [0]


def test_a_wrong_profile_gets_a_nonzero_regret():
    # a broken solver claims (Cooperate, Cooperate); the independent check finds the gain 5 - 3 = 2
    def broken(game, *, deadline=Deadline.NONE, exact=False):
        eq = Equilibrium(strategies=((F(1), F(0)), (F(1), F(0))), payoffs=(F(3), F(3)), regret=None)
        return Solution(game=game, concept="nash", method="broken-test", equilibria=(eq,), complete=True)

    register(Method("broken-test", ("normal",), "nash", broken, "a deliberately wrong solver"))
    try:
        sol = api.solve(_pd(), method="broken-test")
    finally:
        del METHODS["broken-test"]
    assert sol.equilibria[0].regret == 2


def test_certify_dispatches_per_kind():
    tree = bargaining.load("escalation-tree")
    sol = api.solve(tree)
    assert all(eq.regret == 0 for eq in sol)
    # the same behaviour certified as a tree SPE, after tampering with the first information set
    eq = sol.equilibria[0]
    first = eq.behavior[0][0]
    flipped = tuple(reversed(first))
    if flipped != first:
        bad = eq.__class__(
            **{
                **{
                    k: getattr(eq, k)
                    for k in ("payoffs", "strategies", "beliefs", "outcomes", "label", "extra")
                },
                "behavior": ((flipped, *eq.behavior[0][1:]), *eq.behavior[1:]),
                "regret": None,
            }
        )
        again = certify(tree, sol.replace(equilibria=(bad,)))
        assert again.equilibria[0].regret > 0


def test_signaling_and_model_verifiers():
    sig = api.solve(bargaining.load("beer-quiche"))
    assert sig.equilibria and all(eq.regret == 0 for eq in sig)
    model = api.solve(bargaining.load("rubinstein"), exact=True)
    assert model.equilibria[0].regret == 0
    # a wrong Rubinstein share: player 1 asks for more than 2 accepts (2 would rather wait)
    eq = model.equilibria[0]
    block = dict(eq.extra["solution"])
    p1, p2 = model.game.players
    block["proposer_share"] = {p1: block["proposer_share"][p1] + F(1, 10), p2: block["proposer_share"][p2]}
    bad = eq.with_extra(solution=block)
    assert certify(model.game, model.replace(equilibria=(bad,))).equilibria[0].regret > 0


def test_uncertified_without_a_verifier_is_said(monkeypatch):
    def fake(game, eq, concept):
        return None

    # registering drops the batched verifier too: both entries are restored afterwards
    key = ("normal", "nash")
    monkeypatch.setitem(VERIFIERS, key, VERIFIERS[key])
    monkeypatch.setitem(verify.BATCH_VERIFIERS, key, verify.BATCH_VERIFIERS[key])
    register_verifier("normal", "nash", fake)
    sol = api.solve(_pd())
    assert sol.equilibria[0].regret is None and "uncertified" in sol.message
    assert sol.equilibria[0].to_dict()["regret"] is None


def test_regret_is_required():
    with pytest.raises(TypeError):
        Equilibrium(payoffs=(1, 2))  # type: ignore[call-arg]


# -- the Game protocol ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["battle-of-the-sexes", "escalation-tree", "beer-quiche", "rubinstein"])
def test_games_implement_the_protocol(name):
    g = bargaining.load(name)
    g = g.to_game() if hasattr(g, "to_game") else g
    assert isinstance(g, Game) and is_game(g)
    assert g.num_players == len(g.players) and isinstance(g.exact, bool)
    assert {"title", "players"} <= set(g.describe())


# -- layers -----------------------------------------------------------------------------------------
def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


def test_no_solver_module_imports_verify():
    # the dispatcher (api.py) calls bargaining.verify.certify; no algorithm may
    offenders = []
    for path in sorted(SOLVERS.rglob("*.py")):
        if path.name == "api.py":
            continue
        bad = [m for m in _imports(path) if m == "bargaining.verify" or m.startswith("bargaining.verify.")]
        if bad:
            offenders.append(f"{path.relative_to(SOLVERS)}: {bad}")
    assert not offenders, offenders


def test_model_layer_imports_no_solver():
    model = Path(bargaining.__file__).parent / "model"
    offenders = [
        str(p.name)
        for p in model.rglob("*.py")
        if any(m.startswith("bargaining.solvers") for m in _imports(p))
    ]
    assert not offenders


def test_no_private_module_in_solvers():
    assert not [p.name for p in SOLVERS.rglob("_*.py") if p.name != "__init__.py"]
