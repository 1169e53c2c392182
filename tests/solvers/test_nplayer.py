"""n-player mixed equilibria: ``enumpoly`` (support enumeration + exact polynomial systems) and
``logit`` (QRE path following). Every equilibrium is checked by ``verify`` and, where Gambit
can solve the game, against pygambit (run in a child process with a timeout, as its enumpoly
and gnm can hang)."""

from __future__ import annotations

import itertools
import time
from fractions import Fraction as F

import gambit_oracle
import numpy as np
import pytest
import sympy as sp

from bargaining import solve
from bargaining.errors import BargainingError
from bargaining.formats.load import load
from bargaining.model.normal import NormalFormGame
from bargaining.solvers.budget import Deadline, run_in_subprocess
from bargaining.solvers.enumpoly import enumpoly, enumpoly_is_small, iterated_dominance, support_profiles
from bargaining.solvers.logit import logit, logit_branch, qre_at
from bargaining.verify import normal as verify


def _certified(fn):
    """The solver's answer with the dispatcher's independent certificate (``regret``)."""

    def run(game, *args, **kwargs):
        from bargaining.verify import certify

        return certify(game, fn(game, *args, **kwargs))

    run.__name__ = fn.__name__
    return run


enumpoly = _certified(enumpoly)
logit = _certified(logit)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def from_gambit(name: str) -> NormalFormGame:
    """A strategic game of Gambit's catalogue, exact."""
    arrays = gambit_oracle.payoff_arrays(gambit_oracle.catalogue_game(name))
    return NormalFormGame.from_tensor(np.stack(arrays), exact=True)


def gambit(game: NormalFormGame, solver: str, timeout: float = 20.0) -> list | None:
    """pygambit's ``enumpoly``, ``gnm`` or ``logit`` in a child process (they can hang): the
    profiles as float lists, or None when the child was killed at ``timeout``."""
    payoffs = [game.float_payoffs[i].tolist() for i in range(game.num_players)]
    status, value = run_in_subprocess(
        gambit_oracle.solve_in_child, payoffs, solver, deadline=Deadline(timeout)
    )
    if status == "error":
        raise AssertionError(value)
    return value if status == "ok" else None


def assert_all_verify(game: NormalFormGame, sol, tol: float = 1e-9) -> None:
    for eq in sol.equilibria:
        r = verify.max_regret(game, [list(map(float, p)) for p in eq.strategies])
        assert r <= tol, (eq.strategies, r)
        for probs in eq.strategies:
            assert min(float(p) for p in probs) >= 0
            assert abs(sum(float(p) for p in probs) - 1) < 1e-12


def contains(sol, profile, tol: float = 1e-6) -> bool:
    flat = np.concatenate([np.asarray(p, dtype=float) for p in profile])
    for eq in sol.equilibria:
        mine = np.concatenate([np.asarray([float(x) for x in p]) for p in eq.strategies])
        if np.max(np.abs(mine - flat)) < tol:
            return True
    return False


def random_game(shape, seed: int, low: int = -99, high: int = 99) -> NormalFormGame:
    rng = np.random.default_rng(seed)
    U = rng.integers(low, high + 1, size=(len(shape), *shape)).astype(float)
    return NormalFormGame.from_tensor(U)


# --------------------------------------------------------------------------------------------
# Nau, Gomez Canovas & Hansen (2004, IJGT 32) games from Gambit's catalogue (journals/ijgt/nau2004)
# --------------------------------------------------------------------------------------------
def test_nau_irrational_unique_equilibrium():
    game = from_gambit("journals/ijgt/nau2004/sec4")
    sol = enumpoly(game)
    assert sol.complete and sol.message is None
    assert len(sol.equilibria) == 1
    eq = sol.equilibria[0]
    assert eq.regret <= 1e-9
    # the exact algebraic values in `extra` evaluate to the float profile
    alg = eq.extra["algebraic"]
    assert len(alg["variables"]) == len(alg["values"]) == 3
    for name, text in zip(alg["variables"], alg["values"]):
        i, k = (int(x) for x in name[2:-1].split("]["))
        value = sp.sympify(text)
        assert not value.is_Rational  # truly irrational
        assert abs(float(sp.N(value, 30)) - float(eq.strategies[i][k])) < 1e-14
    # pygambit's enumpoly finds the same point
    theirs = gambit(game, "enumpoly")
    assert theirs is not None and len(theirs) == 1
    assert contains(sol, theirs[0], 1e-6)
    # the logit branch ends at it too
    lg = logit(game)
    assert len(lg.equilibria) == 1 and not lg.complete
    assert contains(sol, lg.equilibria[0].strategies, 1e-9)


def test_nau_continuum_is_incomplete_and_points_verify():
    game = from_gambit("journals/ijgt/nau2004/sec5")
    sol = enumpoly(game)
    assert not sol.complete
    assert "continuum" in sol.message
    assert sol.extra["continua"]
    assert_all_verify(game, sol)
    assert any(not eq.is_pure for eq in sol.equilibria)
    # every pure equilibrium (an independent cell-by-cell check) is among ours
    from bargaining.solvers.pure import pure_equilibria

    for cell in pure_equilibria(game):
        prof = [[1.0 if k == c else 0.0 for k in range(m)] for m, c in zip(game.shape, cell)]
        assert contains(sol, prof)


# --------------------------------------------------------------------------------------------
# G3b crisis-four-powers (docs/scenarios.md), built here from the formulas and loaded from games/
# --------------------------------------------------------------------------------------------
G3B = dict(
    W=1,
    k_F=F(2, 10),
    psi_F=F(-1, 10),
    psi_S=F(-5, 10),
    eps=F(2, 10),
    beta=F(3, 10),
    c_P=F(1, 2),
    tau=F(2, 10),
    phi_C=F(1, 10),
    g_A=1,
    phi_A=F(3, 10),
    w=1,
    w_U=F(3, 10),
    e_C=F(6, 10),
    e_A=F(-3, 10),
    b_U=F(2, 10),
    d_U=F(1, 4),
    rho=F(4, 10),
    rho_F=F(2, 10),
    sigma_C=F(3, 10),
    d_F=F(1, 10),
)


def g3b(**changes) -> NormalFormGame:
    """Strategies are indicators: US f (0 soft, 1 firm), RU z (1 advance), EU u (1 Ukraine),
    CN n (1 backs Russia)."""
    p = {**G3B, **changes}
    U = np.empty((4, 2, 2, 2, 2), dtype=object)
    for f, z, u, n in itertools.product((0, 1), repeat=4):
        ru = (
            p["c_P"] - p["tau"] * u + p["phi_C"] * n
            if z == 0
            else (p["g_A"] + p["phi_A"] * n - p["w"] * f - p["w_U"] * u)
        )
        us = (
            p["W"] - p["k_F"] * f - p["beta"] * n
            if z == 0
            else ((p["psi_F"] if f else p["psi_S"] - p["eps"] * u) - p["beta"] * n)
        )
        eu = (p["e_C"] if z == 0 else p["e_A"]) + u * (p["b_U"] * f - p["d_U"] * (1 - f))
        cn = n * (p["rho"] + (p["rho_F"] - p["sigma_C"]) * f) + p["d_F"] * f
        for i, v in enumerate((us, ru, eu, cn)):
            U[(i, f, z, u, n)] = F(v)
    return NormalFormGame.from_tensor(
        U,
        players=["US", "RU", "EU", "CN"],
        strategies=[["S", "F"], ["C", "A"], ["P", "U"], ["H", "B"]],
        exact=True,
    )


def test_g3b_unique_mixed_equilibrium_exact():
    game = g3b()
    sol = enumpoly(game, exact=True)
    assert sol.complete and sol.exact
    assert len(sol.equilibria) == 1
    eq = sol.equilibria[0]
    assert eq.regret == 0
    assert eq.strategies == ((F(2, 5), F(3, 5)), (F(3, 4), F(1, 4)), (0, 1), (0, 1))
    assert eq.payoffs == (F(11, 40), F(2, 5), F(79, 200), F(2, 5))
    # pygambit agrees (and finds nothing else)
    theirs = gambit(game, "enumpoly")
    assert theirs is not None and len(theirs) == 1 and contains(sol, theirs[0])


def test_g3b_scenario_file_matches_formulas():
    sol = solve(load("crisis-four-powers"), exact=True)
    assert sol.method == "enumpoly" and sol.complete
    (eq,) = sol.equilibria
    game = sol.game
    firm = eq.strategies[0][game.strategy_index("US", "F")]
    advance = eq.strategies[1][game.strategy_index("RU", "A")]
    assert (firm, advance) == (F(3, 5), F(1, 4))
    assert eq.strategies[2][game.strategy_index("EU", "U")] == 1
    assert eq.strategies[3][game.strategy_index("CN", "B")] == 1
    assert eq.payoffs == (F(11, 40), F(2, 5), F(79, 200), F(2, 5))


def test_g3b_no_chinese_finance():
    # docs/scenarios.md, G3b: phi_A = phi_C = 0 gives (F 0.5, A 1/3, P, B), payoffs (0.2, 0.5, 0.3, 0.4)
    sol = enumpoly(g3b(phi_A=0, phi_C=0))
    assert sol.complete and len(sol.equilibria) == 1
    eq = sol.equilibria[0]
    assert eq.strategies == ((F(1, 2), F(1, 2)), (F(2, 3), F(1, 3)), (1, 0), (0, 1))
    assert eq.payoffs == (F(1, 5), F(1, 2), F(3, 10), F(2, 5))


def test_g3b_sweep_middle_regime():
    # docs/scenarios.md, G3b: at delta_phi = 0.1 Europe mixes with u = 4/9, q* = 5/9, r* = 0.2903
    sol = enumpoly(g3b(phi_A=F(2, 10), phi_C=F(1, 10)))
    assert sol.complete and len(sol.equilibria) == 1
    us, ru, eu, cn = sol.equilibria[0].strategies
    assert eu[1] == F(4, 9) and us[1] == F(5, 9) and cn[1] == 1
    assert ru[1] == F(2, 10) / (F(2, 10) + F(4, 10) + F(2, 10) * F(4, 9))
    assert abs(float(ru[1]) - 0.2903) < 5e-5


# --------------------------------------------------------------------------------------------
# random games against pygambit and against our two-player solver
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "shape,seed", [((2, 2, 2), 1), ((2, 2, 2), 2), ((3, 2, 2), 3), ((2, 2, 2, 2), 4), ((3, 3, 2), 5)]
)
def test_random_games_contain_gambit_equilibria(shape, seed):
    game = random_game(shape, seed)
    sol = enumpoly(game)
    assert_all_verify(game, sol)
    assert sol.complete, sol.message
    for solver in ("enumpoly", "gnm"):
        theirs = gambit(game, solver, timeout=15)
        if theirs is None:  # Gambit hung: nothing to compare (ours finished, checked above)
            continue
        for prof in theirs:
            if verify.max_regret(game, prof) <= 1e-6:  # Gambit's own answer must be an NE
                assert contains(sol, prof, 1e-5), (solver, prof)
    # distinct equilibria, deterministic order
    keys = [tuple(float(p) for probs in eq.strategies for p in probs) for eq in sol.equilibria]
    assert len(set(keys)) == len(keys)
    assert enumpoly(game).to_dict() == sol.to_dict()


def test_random_333_game_against_gambit_gnm():
    game = random_game((3, 3, 3), 7)
    sol = enumpoly(game)
    assert_all_verify(game, sol)
    theirs = gambit(game, "gnm", timeout=20) or []
    for prof in theirs:
        if verify.max_regret(game, prof) <= 1e-6:
            assert contains(sol, prof, 1e-5)
    # index theory: a nondegenerate game has an odd number of equilibria
    if sol.complete:
        assert len(sol.equilibria) % 2 == 1


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_two_player_enumpoly_agrees_with_enummixed(seed):
    game = random_game((3, 4), seed).as_exact()
    ours = enumpoly(game, exact=True)
    ref = solve(game, method="enummixed", exact=True)
    assert ours.complete
    assert {eq.strategies for eq in ours.equilibria} == {eq.strategies for eq in ref.equilibria}
    assert all(eq.regret == 0 for eq in ours.equilibria)


def test_dominance_pruning_and_support_order():
    # prisoners' dilemma for three players: defect (index 1) strictly dominates
    U = np.zeros((3, 2, 2, 2))
    for cell in itertools.product((0, 1), repeat=3):
        for i in range(3):
            U[(i, *cell)] = 2 * sum(1 - c for j, c in enumerate(cell) if j != i) + cell[i]
    game = NormalFormGame.from_tensor(U)
    assert iterated_dominance(game.as_exact().payoffs) == [[1], [1], [1]]
    sol = enumpoly(game)
    assert sol.complete and [eq.strategies for eq in sol.equilibria] == [((0.0, 1.0),) * 3]
    order = list(support_profiles([[0, 1], [0, 1, 2]]))
    sizes = [sum(len(s) for s in p) for p in order]
    assert sizes == sorted(sizes) and len(order) == 3 * 7


# --------------------------------------------------------------------------------------------
# logit QRE branch
# --------------------------------------------------------------------------------------------
def _is_qre(game: NormalFormGame, lam: float, profile, tol: float = 1e-9) -> bool:
    vs = verify.payoff_vectors(game, [list(map(float, p)) for p in profile])
    for v, p in zip(vs, profile):
        w = np.exp(lam * (v - v.max()))
        if np.max(np.abs(w / w.sum() - np.asarray(p))) > tol:
            return False
    return True


def test_qre_points_satisfy_the_fixed_point():
    game = random_game((3, 2, 2), 21, -9, 9)
    assert all(np.allclose(p, 1 / len(p)) for p in qre_at(game, 0.0))
    lams = [0.05, 0.5, 2.0, 0.2]
    pts = logit_branch(game, lams)
    assert [lam for lam, _ in pts] == sorted(lams)
    for lam, prof in pts:
        assert _is_qre(game, lam, prof)
    with pytest.raises(BargainingError):
        qre_at(game, -1.0)


def test_matching_pennies_qre_is_uniform():
    game = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    for lam, prof in logit_branch(game, [0.3, 3.0, 30.0]):
        assert all(np.allclose(p, 0.5) for p in prof), lam


@pytest.mark.parametrize("shape,seed", [((2, 2, 2), 31), ((3, 3, 3), 32), ((2, 2, 2, 2), 33), ((4, 4), 34)])
def test_logit_reaches_a_verified_equilibrium_found_by_gambit_logit(shape, seed):
    game = random_game(shape, seed)
    sol = logit(game)
    assert not sol.complete and len(sol.equilibria) == 1
    assert_all_verify(game, sol)
    theirs = gambit(game, "logit", timeout=20)
    if theirs:
        # the same principal branch ends at the same equilibrium
        assert contains(sol, theirs[0], 1e-4)


def test_logit_exact_game_gives_exact_equilibrium():
    sol = logit(g3b(), exact=True)
    assert sol.exact and sol.equilibria[0].regret == 0
    assert sol.equilibria[0].strategies[0] == (F(2, 5), F(3, 5))


# --------------------------------------------------------------------------------------------
# time budgets and the default method
# --------------------------------------------------------------------------------------------
def test_enumpoly_timeout_returns_within_budget():
    game = random_game((5, 5, 5), 41)  # ~25 s to finish (a 4x4x4 game now takes ~1 s)
    t0 = time.monotonic()
    sol = enumpoly(game, deadline=Deadline(1.5))
    elapsed = time.monotonic() - t0
    assert elapsed < 1.5 + 1.5
    assert not sol.complete and "time budget" in sol.message
    assert_all_verify(game, sol)


def test_logit_timeout_returns_within_budget():
    game = random_game((3,) * 6, 42)
    t0 = time.monotonic()
    sol = logit(game, deadline=Deadline(0.3))
    assert time.monotonic() - t0 < 0.3 + 1.0
    assert not sol.complete
    assert_all_verify(game, sol)


def test_default_method_depends_on_size():
    small = random_game((2, 2, 2), 51)
    assert enumpoly_is_small(small)
    assert solve(small).method == "enumpoly"
    big = random_game((5, 5, 5), 52)
    assert not enumpoly_is_small(big)
    sol = solve(big, timeout=30)
    assert sol.method == "logit" and len(sol.equilibria) == 1
    assert_all_verify(big, sol)


def test_finds_equilibria_gambit_enumpoly_misses():
    # benchmarks/nplayer.py, 2x2x2x2 seed 1: pygambit 16.7's enumpoly_solve returns no
    # equilibrium at all (every finite game has one); ours returns three, each verified
    game = random_game((2, 2, 2, 2), 1)
    sol = enumpoly(game)
    assert sol.complete and len(sol.equilibria) >= 1
    assert_all_verify(game, sol)
    theirs = gambit(game, "enumpoly") or []
    good = [p for p in theirs if verify.max_regret(game, p) <= 1e-6 * 99]
    assert all(contains(sol, p, 1e-5) for p in good)
    assert len(sol.equilibria) > len(good)


@pytest.mark.parametrize("seed", [61, 62, 63, 64])
def test_degenerate_small_integer_games(seed):
    # payoffs in -2..2: many ties, continua and weakly dominated strategies
    game = random_game((2, 2, 2), seed, -2, 2)
    sol = enumpoly(game)
    assert_all_verify(game, sol)
    from bargaining.solvers.pure import pure_equilibria

    for cell in pure_equilibria(game):
        prof = [[1.0 if k == c else 0.0 for k in range(m)] for m, c in zip(game.shape, cell)]
        assert contains(sol, prof)
    theirs = gambit(game, "gnm", timeout=3) or []  # gnm hangs on seed 62: killed, nothing to compare
    if sol.complete:
        for prof in theirs:
            if verify.max_regret(game, prof) <= 1e-8:
                assert contains(sol, prof, 1e-5)


def test_exact_flag_on_a_float_game():
    game = g3b().as_float()
    sol = enumpoly(game, exact=True)
    assert sol.exact and sol.equilibria[0].regret == 0
    assert sol.equilibria[0].strategies[1] == (F(3, 4), F(1, 4))
    assert enumpoly(game).equilibria[0].strategies[1] == (0.75, 0.25)


def test_algebraic_forms_of_higher_degree_evaluate_to_the_floats():
    # random 2x2x2x2 game (benchmark seed 0): irrational equilibria of degree 2 and 9
    game = random_game((2, 2, 2, 2), 0)
    sol = enumpoly(game, algebraic=True)  # a float game: the exact forms only on request
    assert sol.extra["algebraic_forms"]
    checked = 0
    for eq in sol.equilibria:
        alg = eq.extra.get("algebraic")
        if not alg:
            continue
        for name, text in zip(alg["variables"], alg["values"]):
            i, k = (int(x) for x in name[2:-1].split("]["))
            assert abs(float(sp.N(sp.sympify(text), 30)) - float(eq.strategies[i][k])) < 1e-12
            checked += 1
    assert checked >= 2


# --------------------------------------------------------------------------------------------
# the certified subdivision solver of one support (bargaining/solvers/_polysystem.py)
# --------------------------------------------------------------------------------------------
def _support_roots_agree(game: NormalFormGame, supports) -> None:
    from bargaining.solvers.enumpoly import float_best_reply_ok as _float_best_reply_ok
    from bargaining.solvers.enumpoly import solve_support
    from bargaining.solvers.polysystem import SupportSolver

    U = game.as_exact().payoffs
    Uf = np.array(game.float_payoffs, dtype=float)
    solver = SupportSolver(U, Uf, supports)
    status, roots = solver.solve()
    assert status == "decided", supports
    ours = [solver.profile(x) for x in roots]
    ours = [p for p in ours if min(min(q) for q in p) >= -1e-12 and _float_best_reply_ok(Uf, p)]
    kind, points = solve_support(U, supports)
    assert kind in ("finite", "empty"), supports
    theirs = [p for p, _ in points if _float_best_reply_ok(Uf, p)]
    flat = lambda p: np.array([float(v) for q in p for v in q])  # noqa: E731
    for p in theirs:  # every Gröbner root that is an equilibrium is certified by subdivision
        assert any(np.max(np.abs(flat(p) - flat(q))) < 1e-9 for q in ours), (supports, p)
    for q in ours:  # and nothing else
        assert any(np.max(np.abs(flat(p) - flat(q))) < 1e-9 for p in theirs), (supports, q)


@pytest.mark.parametrize("shape,seed", [((2, 2, 2), 71), ((2, 2, 2), 72), ((3, 2, 2), 73)])
def test_subdivision_matches_groebner_on_every_support(shape, seed):
    game = random_game(shape, seed)
    alive = [list(range(m)) for m in shape]
    for supports in support_profiles(alive):
        _support_roots_agree(game, supports)


def test_subdivision_certifies_an_irrational_root():
    # Nau et al. sec4: the unique equilibrium is irrational; its support is certified
    game = from_gambit("journals/ijgt/nau2004/sec4")
    sol = enumpoly(game)
    eq = sol.equilibria[0]
    supports = [tuple(k for k, p in enumerate(probs) if p > 0) for probs in eq.strategies]
    _support_roots_agree(game, supports)


def test_four_player_game_against_gambit_enumpoly():
    game = random_game((3, 2, 2, 2), 81)
    sol = enumpoly(game, deadline=Deadline(60))
    assert sol.complete, sol.message
    assert_all_verify(game, sol)
    theirs = gambit(game, "enumpoly", timeout=20) or []
    for prof in theirs:
        if verify.max_regret(game, prof) <= 1e-6:
            assert contains(sol, prof, 1e-5), prof
