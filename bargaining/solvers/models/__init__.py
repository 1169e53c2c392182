r"""Solvers for the continuous bargaining models of :mod:`bargaining.model.bargaining`, one module
per model: :mod:`.rubinstein`, :mod:`.fearon`, :mod:`.powell`, :mod:`.crawford_sobel`,
:mod:`.axiomatic`. This module holds the dispatch table (model type → solver) and the methods.

Each solver returns the standard :class:`~bargaining.model.profile.Solution`: one
:class:`~bargaining.model.profile.Equilibrium` per equilibrium, whose ``extra["solution"]`` block
holds the model's own named quantities (shares, offers, acceptance, probability of war, partition
boundaries and actions) and whose ``payoffs`` are the players' expected utilities. The
certificate (``regret``) comes from :mod:`bargaining.verify.models`, run by the dispatcher.

Methods (registered for ``kind = "model"``):

- ``closed-form``: the closed form of each model *in its regime*; outside every regime with a
  closed form the numeric method is used (the solution's ``method_used`` says which).
  Finite-horizon Rubinstein games are solved by exact backward induction.
- ``numeric``: an independent numeric method for every model (value iteration / backward
  induction, grid search plus refinement, scipy optimisation or root finding).
- ``nash-product``: the (weighted) Nash bargaining solution (Nash 1950; Kalai 1977 for weights).
- ``kalai-smorodinsky``: the Kalai–Smorodinsky solution (Kalai–Smorodinsky 1975).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import SolverError
from bargaining.model.bargaining import (
    BargainingModel,
    BargainingProblem,
    CrawfordSobel,
    FearonUltimatum,
    PowellShift,
    Rubinstein,
)
from bargaining.model.profile import Solution
from bargaining.solvers.budget import Deadline
from bargaining.solvers.models.axiomatic import (
    batch_axiomatic,
    nash_linear_pie,
    rubinstein_as_pie,
    solve_axiomatic,
)
from bargaining.solvers.models.common import model_solution
from bargaining.solvers.models.crawford_sobel import (
    batch_crawford_sobel,
    cs_boundaries,
    cs_boundaries_numeric,
    cs_losses,
    cs_max_intervals,
    solve_crawford_sobel,
)
from bargaining.solvers.models.fearon import (
    batch_fearon,
    fearon_range,
    fearon_two_types,
    fearon_uniform,
    solve_fearon,
)
from bargaining.solvers.models.powell import batch_powell, powell_backward, powell_offer, solve_powell
from bargaining.solvers.models.rubinstein import (
    batch_rubinstein,
    continuous_limit_share,
    rubinstein_backward,
    rubinstein_iterate,
    rubinstein_shares,
    solve_rubinstein,
)
from bargaining.solvers.registry import Method, register

__all__ = [
    "rubinstein_shares",
    "rubinstein_iterate",
    "rubinstein_backward",
    "continuous_limit_share",
    "fearon_range",
    "fearon_two_types",
    "fearon_uniform",
    "powell_offer",
    "powell_backward",
    "cs_max_intervals",
    "cs_boundaries",
    "cs_boundaries_numeric",
    "cs_losses",
    "nash_linear_pie",
    "batch_closed_form",
    "closed_form",
    "numeric",
    "nash_product",
    "kalai_smorodinsky",
    "MODEL_SOLVERS",
]


def _rubinstein(game: Rubinstein, exact: bool, numeric_only: bool, method: str) -> Solution:
    eq, used, _ = solve_rubinstein(game, exact, numeric_only)
    exact_out = exact and ("closed form" in used or "exact backward" in used)
    return model_solution(
        game,
        "subgame-perfect",
        method,
        [eq],
        exact_out,
        message=None if "closed form" in used or numeric_only else f"method used: {used}",
    )


def _fearon(game: FearonUltimatum, exact: bool, numeric_only: bool, method: str) -> Solution:
    eqs, _ = solve_fearon(game, exact, numeric_only)
    return model_solution(game, "subgame-perfect", method, eqs, exact and not numeric_only)


def _powell(game: PowellShift, exact: bool, numeric_only: bool, method: str) -> Solution:
    eqs, _ = solve_powell(game, exact, numeric_only)
    return model_solution(game, "subgame-perfect", method, eqs, exact and not numeric_only)


def _crawford_sobel(game: CrawfordSobel, exact: bool, numeric_only: bool, method: str) -> Solution:
    eqs, _ = solve_crawford_sobel(game, exact, numeric_only)
    return model_solution(game, "perfect-bayesian", method, eqs, exact and not numeric_only)


def _axiomatic(game: BargainingProblem, exact: bool, numeric_only: bool, method: str) -> Solution:
    eq, used = solve_axiomatic(game, game.concept, exact, numeric_only)
    ex = exact and not used.startswith("numeric") and all(isinstance(v, (int, Fraction)) for v in eq.payoffs)
    return model_solution(
        game,
        game.concept,
        method,
        [eq],
        ex,
        message=None if not used.startswith("numeric") or numeric_only else f"method used: {used}",
    )


@dataclass(frozen=True)
class ModelSolver:
    """How one model type is solved: ``solve(model, exact, numeric_only, method)`` and the
    vectorised ``batch(model, to_array)`` for sweeps."""

    solve: Callable[..., Solution]
    batch: Callable[..., dict[str, Any]]


#: model type -> its solver (add a model in one line)
MODEL_SOLVERS: dict[type, ModelSolver] = {
    Rubinstein: ModelSolver(_rubinstein, batch_rubinstein),
    FearonUltimatum: ModelSolver(_fearon, batch_fearon),
    PowellShift: ModelSolver(_powell, batch_powell),
    CrawfordSobel: ModelSolver(_crawford_sobel, batch_crawford_sobel),
    BargainingProblem: ModelSolver(_axiomatic, batch_axiomatic),
}


def _solver_for(game: Any, method: str) -> ModelSolver:
    entry = MODEL_SOLVERS.get(type(game))
    if entry is None:
        raise SolverError(f"method {method!r} solves bargaining models, not {type(game).__name__}")
    return entry


def _solve_model(game: BargainingModel, exact: bool, numeric_only: bool, method: str) -> Solution:
    t0 = time.perf_counter()
    sol = _solver_for(game, method).solve(game, exact, numeric_only, method)
    return sol.replace(extra={"seconds": time.perf_counter() - t0})


def closed_form(
    game: BargainingModel, *, deadline: Deadline = Deadline.NONE, exact: bool = False
) -> Solution:
    """Closed form of the model in its regime; numeric method outside it (``method_used``).
    Closed forms take no measurable time, so ``deadline`` is not polled."""
    return _solve_model(game, exact, False, "closed-form")


def numeric(game: BargainingModel, *, deadline: Deadline = Deadline.NONE, exact: bool = False) -> Solution:
    """The independent numeric method of each model (float arithmetic; ``exact`` is ignored)."""
    return _solve_model(game, False, True, "numeric")


def _axiomatic_entry(concept: str, method: str) -> Callable[..., Solution]:
    def run(
        game: BargainingModel,
        *,
        deadline: Deadline = Deadline.NONE,
        exact: bool = False,
        numeric: bool = False,
    ) -> Solution:
        if isinstance(game, Rubinstein):
            game = rubinstein_as_pie(game)
        if not isinstance(game, BargainingProblem):
            raise SolverError(
                f"method {method!r} solves bargaining problems (nash-bargaining, rubinstein), "
                f"not model {getattr(game, 'model', type(game).__name__)!r}"
            )
        g = dc_replace(game, concept=concept) if game.concept != concept else game
        return _solve_model(g, exact, bool(numeric), method)

    run.__name__ = method.replace("-", "_")
    run.__doc__ = f"The {concept} solution of a bargaining problem (exact on polygons and linear pies)."
    return run


nash_product = _axiomatic_entry("nash-bargaining", "nash-product")
kalai_smorodinsky = _axiomatic_entry("kalai-smorodinsky", "kalai-smorodinsky")


def batch_closed_form(model: BargainingModel) -> dict[str, Any]:
    r"""The closed forms over a batch model (parameters as numpy arrays, broadcast together):
    arrays of the model's headline quantities, for sweeps. Rubinstein: ``share_1``, ``share_2``
    (round-1 agreement), ``regime`` and ``valid`` (False → solve those points one by one);
    Nash/KS linear pie: ``share_1``; Fearon: ``offer``, ``p_war``, ``proposer_payoff``; Powell:
    ``offer_H``, ``x_H_star``, ``peace``; Crawford–Sobel: ``max_intervals`` and the losses of
    the most informative equilibrium."""
    entry = MODEL_SOLVERS.get(type(model))
    if entry is None:
        raise SolverError(f"no batch closed form for {type(model).__name__}")
    return entry.batch(model, lambda v: None if v is None else np.asarray(v, dtype=float))


_NUMERIC_DOC = "true: the numeric method instead of the closed form (float arithmetic)"
register(
    Method(
        "closed-form",
        ("model",),
        "subgame-perfect",
        closed_form,
        "bargaining models: closed form in its regime (numeric outside it); complete",
    )
)
register(
    Method(
        "numeric",
        ("model",),
        "subgame-perfect",
        numeric,
        "bargaining models: independent numeric method (value iteration, root finding, scipy)",
    )
)
register(
    Method(
        "nash-product",
        ("model",),
        "nash-bargaining",
        nash_product,
        "Nash bargaining solution (weighted): exact on polygons and linear pies",
        options={"numeric": _NUMERIC_DOC},
    )
)
register(
    Method(
        "kalai-smorodinsky",
        ("model",),
        "kalai-smorodinsky",
        kalai_smorodinsky,
        "Kalai–Smorodinsky solution: exact on polygons and linear pies",
        options={"numeric": _NUMERIC_DOC},
    )
)
