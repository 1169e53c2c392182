r"""Continuous bargaining models: immutable, validated objects with named parameters.

Each model is a frozen dataclass with ``kind = "model"``, a ``model`` name (the ``model:`` of a
``kind: model`` game file), ``players``, ``default_concept`` / ``default_method`` and
``describe()`` (the JSON ``game`` block). The models hold numbers only; the solvers live in
:mod:`bargaining.solvers.models` (models know nothing of solvers, files or the CLI).

=====================  ===================================================  =====================
model name             object                                                default concept
=====================  ===================================================  =====================
``rubinstein``         :class:`Rubinstein` alternating offers (Rubinstein    ``subgame-perfect``
                       1982), outside options (Binmore–Shaked–Sutton 1989),
                       breakdown risk, finite horizon, first proposer
``nash-bargaining``    :class:`BargainingProblem` (Nash 1950, weighted;      ``nash-bargaining``
``kalai-smorodinsky``  Kalai–Smorodinsky 1975)                               ``kalai-smorodinsky``
``fearon-ultimatum``   :class:`FearonUltimatum` one-shot ultimatum with      ``subgame-perfect``
                       private war costs (Fearon 1995)
``powell-shift``       :class:`PowellShift` shifting power and preventive    ``subgame-perfect``
                       war (Powell 2006)
``crawford-sobel``     :class:`CrawfordSobel` cheap talk, uniform prior,     ``perfect-bayesian``
                       quadratic loss (Crawford–Sobel 1982)
=====================  ===================================================  =====================

Numbers may be ``Fraction`` (exact), ``float`` or numpy arrays (a batch of parameter points, as
a sweep builds them); validation applies to every element. :func:`model_from_spec` builds a
model from the evaluated ``arguments`` of a game file.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any

import numpy as np

from bargaining.errors import GameValidationError
from bargaining.model.axiomatic import BargainingProblem
from bargaining.model.bargaining_model import BargainingModel
from bargaining.model.cheap_talk import CrawfordSobel
from bargaining.model.rubinstein import Rubinstein
from bargaining.model.war_bargaining import FearonUltimatum, PowellShift

__all__ = [
    "BargainingModel",
    "Rubinstein",
    "BargainingProblem",
    "FearonUltimatum",
    "PowellShift",
    "CrawfordSobel",
    "model_from_spec",
    "MODELS",
]


# --------------------------------------------------------------------------------------------
# game files: model name + evaluated arguments -> model
# --------------------------------------------------------------------------------------------
MODELS: dict[str, type[BargainingModel]] = {
    "rubinstein": Rubinstein,
    "alternating-offers": Rubinstein,
    "nash-bargaining": BargainingProblem,
    "kalai-smorodinsky": BargainingProblem,
    "fearon-ultimatum": FearonUltimatum,
    "powell-shift": PowellShift,
    "crawford-sobel": CrawfordSobel,
}

_INTEGER_ARGS = {"first", "horizon", "direction"}


def _plain(name: str, v: Any) -> Any:
    if name in _INTEGER_ARGS:
        if isinstance(v, np.ndarray):
            raise GameValidationError(f"{name} cannot vary in a batch; give one value")
        if v is None:
            return None
        if float(v) != math.floor(float(v)):
            raise GameValidationError(f"{name} = {v} must be a whole number")
        return int(v)
    return v


def model_from_spec(
    model: str,
    arguments: Mapping[str, Any],
    *,
    players: Sequence[str] | None = None,
    title: str | None = None,
) -> BargainingModel:
    """Build the built-in ``model`` from the evaluated ``arguments`` of a ``kind: model`` file.

    Argument values are numbers (Fractions for an exact point) or numpy arrays (a batch). Names
    are the keyword arguments of the model's class (see its docstring). Two-valued switches are
    numbers: Fearon's ``uniform`` (1: uniform costs, 0: two types), Rubinstein's ``first``
    (1 or 2), ``horizon`` (0: infinite), Crawford–Sobel's ``direction`` (±1). ``players`` and
    ``title`` (optional) label the model.
    """
    cls = MODELS.get(model)
    if cls is None:
        raise GameValidationError(f"unknown model {model!r}; built-in models: {', '.join(sorted(MODELS))}")
    args = {str(k): v for k, v in dict(arguments).items()}
    if cls is FearonUltimatum and "uniform" in args:
        u = args.pop("uniform")
        args["dist"] = "uniform" if u not in (0, None) else "two-types"
    if cls is Rubinstein and args.get("horizon") in (0,):
        args["horizon"] = None
    if cls is BargainingProblem and model == "kalai-smorodinsky":
        args.setdefault("concept", "kalai-smorodinsky")
    allowed = {f.name for f in fields(cls)} - {"players", "title", "u_1", "u_2", "frontier", "points"}
    unknown = sorted(set(args) - allowed)
    if unknown:
        raise GameValidationError(
            f"model {model}: unknown argument {unknown[0]!r}; arguments are: {', '.join(sorted(allowed))}"
        )
    args = {k: _plain(k, v) for k, v in args.items()}
    if (
        cls is Rubinstein
        and "r_1" in args
        and "r_2" in args
        and "period" in args
        and "delta_1" not in args
        and "delta_2" not in args
    ):
        r1, r2, per = args.pop("r_1"), args.pop("r_2"), args.pop("period")
        kw: dict[str, Any] = dict(args)
        if players is not None:
            kw["players"] = tuple(players)
        if title is not None:
            kw["title"] = title
        return Rubinstein.from_rates(r1, r2, per, **kw)
    if players is not None:
        args["players"] = tuple(players)
    if title is not None:
        args["title"] = title
    return cls(**args)
