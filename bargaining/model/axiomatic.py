"""Axiomatic bargaining problems (S, d): the Nash solution (Nash 1950; weighted) and the
Kalai–Smorodinsky solution (Kalai and Smorodinsky 1975); solved in :mod:`bargaining.solvers.models`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np

from bargaining.errors import GameValidationError
from bargaining.model.bargaining_model import (
    BargainingModel,
    all_true,
    as_float_array,
    check_number,
    check_open01,
    show_number,
)

__all__ = ["BargainingProblem"]


# --------------------------------------------------------------------------------------------
# Axiomatic bargaining: Nash (weighted) and Kalai–Smorodinsky
# --------------------------------------------------------------------------------------------
def _power(rho: Any) -> Callable[[Any], Any]:
    def u(x: Any) -> Any:
        if rho == 1:
            return x
        return np.power(np.maximum(np.asarray(x, dtype=float), 0.0), float(rho))

    return u


@dataclass(frozen=True)
class BargainingProblem(BargainingModel):
    r"""A two-player bargaining problem (S, d): the feasible set S ⊂ R² and the disagreement point d.

    S is given in exactly one of three ways:

    - ``points``: S is the convex hull of the utility pairs (lotteries over them), built with
      ``scipy.spatial.ConvexHull``; exact when the points are Fractions. With
      ``free_disposal`` (default) S also holds every point below one of these (the usual
      comprehensive set; the solutions are unchanged, but d only needs to be weakly below some
      feasible point).
    - ``frontier`` on ``[lo, hi]``: S = {u : lo ≤ u₁ ≤ hi, u₂ ≤ frontier(u₁)}; the frontier
      must be decreasing and concave (S convex), checked on a grid.
    - ``pie`` (the default): a pie of size 1, player 1 takes x and 2 takes 1 − x, with
      utilities ``u_1(x)``, ``u_2(1 − x)``; by default the powers x^rho_1, (1 − x)^rho_2
      (rho ≤ 1: concave utilities, so S is convex; rho = 1 is linear).

    ``alpha`` is player 1's bargaining weight (Nash product (u₁ − d₁)^α (u₂ − d₂)^(1−α);
    α = 1/2 is the symmetric Nash solution). ``default_concept`` is ``nash-bargaining`` or
    ``kalai-smorodinsky`` (chosen by ``concept``).
    """

    model: ClassVar[str] = "nash-bargaining"
    concept_methods: ClassVar[Mapping[str, str]] = {
        "nash-bargaining": "nash-product",
        "kalai-smorodinsky": "kalai-smorodinsky",
    }
    _non_numeric: ClassVar[tuple[str, ...]] = (
        "players",
        "title",
        "u_1",
        "u_2",
        "frontier",
        "concept",
        "free_disposal",
    )

    d_1: Any = 0
    d_2: Any = 0
    alpha: Any = Fraction(1, 2)
    rho_1: Any = 1
    rho_2: Any = 1
    points: Any = None
    frontier: Callable[[Any], Any] | None = None
    lo: Any = None
    hi: Any = None
    u_1: Callable[[Any], Any] | None = None
    u_2: Callable[[Any], Any] | None = None
    concept: str = "nash-bargaining"
    free_disposal: bool = True
    players: tuple[str, str] = ("1", "2")
    title: str = "Bargaining problem"

    @property
    def default_concept(self) -> str:  # type: ignore[override]  # a property over the base's ClassVar
        """The concept this problem was built for (``concept``)."""
        return self.concept

    @property
    def default_method(self) -> str:  # type: ignore[override]  # a property over the base's ClassVar
        return self.concept_methods[self.concept]

    @property
    def representation(self) -> str:
        """``"points"``, ``"frontier"`` or ``"pie"``."""
        if self.points is not None:
            return "points"
        if self.frontier is not None:
            return "frontier"
        return "pie"

    @property
    def linear_pie(self) -> bool:
        """True for the pie with linear utilities (the closed forms of Nash 1950 apply)."""
        return (
            self.representation == "pie"
            and self.u_1 is None
            and self.u_2 is None
            and all_true(as_float_array(self.rho_1) == 1)
            and all_true(as_float_array(self.rho_2) == 1)
        )

    def utilities(self) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
        """(u₁, u₂) of the pie representation (u₂ is applied to 1 − x)."""
        return (self.u_1 or _power(self.rho_1), self.u_2 or _power(self.rho_2))

    def __post_init__(self) -> None:
        m = self.model if self.concept != "kalai-smorodinsky" else "kalai-smorodinsky"
        object.__setattr__(self, "players", tuple(str(p) for p in self.players))
        if self.concept not in self.concept_methods:
            raise GameValidationError(
                f"{m}: concept {self.concept!r}; use nash-bargaining or kalai-smorodinsky"
            )
        given = [k for k in ("points", "frontier") if getattr(self, k) is not None]
        if len(given) > 1:
            raise GameValidationError(f"{m}: give the feasible set once: points or frontier, not both")
        check_number(m, "d_1", self.d_1)
        check_number(m, "d_2", self.d_2)
        check_open01(m, "alpha", self.alpha, "a bargaining weight")
        if self.representation == "points":
            pts = self.points
            try:
                arr = np.asarray(pts, dtype=object)
                ok = arr.ndim == 2 and arr.shape[1] == 2
            except (TypeError, ValueError):
                ok = False
            if not ok or len(arr) == 0:
                raise GameValidationError(
                    f"{m}: the feasible set is empty or malformed; give points as a list of (u_1, u_2) pairs"
                )
            check_number(m, "points", np.asarray(pts, dtype=float))
            object.__setattr__(self, "points", tuple(tuple(p) for p in pts))
        elif self.representation == "frontier":
            if self.lo is None or self.hi is None:
                raise GameValidationError(f"{m}: a frontier needs its domain lo <= u_1 <= hi; give lo and hi")
            check_number(m, "lo", self.lo)
            check_number(m, "hi", self.hi)
            if not self.lo < self.hi:
                raise GameValidationError(
                    f"{m}: the feasible set is empty: frontier domain lo = {self.lo} >= hi = {self.hi}"
                )
            grid = np.linspace(float(self.lo), float(self.hi), 401)
            frontier = self.frontier
            assert frontier is not None  # rep == "frontier"
            f = np.asarray([float(frontier(x)) for x in grid])
            if not np.all(np.isfinite(f)):
                raise GameValidationError(f"{m}: the frontier is not finite on [lo, hi]")
            scale = max(1.0, float(np.max(np.abs(f))))
            if np.any(np.diff(f) > 1e-9 * scale):
                raise GameValidationError(
                    f"{m}: the frontier must be non-increasing in u_1 (it is the Pareto frontier)"
                )
            if np.any(f[:-2] + f[2:] - 2 * f[1:-1] > 1e-9 * scale):
                raise GameValidationError(
                    f"{m}: the feasible set is not convex (the frontier is not concave); "
                    "convexify it or give points (their convex hull is used)"
                )
        else:
            for name in ("rho_1", "rho_2"):
                v = getattr(self, name)
                check_number(m, name, v)
                a = as_float_array(v)
                if not all_true(a > 0):
                    raise GameValidationError(f"{m}: {name} = {show_number(v)} must be > 0")
                if not all_true(a <= 1):
                    raise GameValidationError(
                        f"{m}: {name} = {show_number(v)} > 1 makes the feasible set non-convex; use rho <= 1"
                    )
            if self.u_1 is not None or self.u_2 is not None:
                u1, u2 = self.utilities()
                x = np.linspace(0.0, 1.0, 401)
                for name, u in (("u_1", u1), ("u_2", u2)):
                    v = np.asarray([float(u(t)) for t in x])
                    if not np.all(np.isfinite(v)):
                        raise GameValidationError(f"{m}: utility {name} is not finite on [0, 1]")
                    if np.any(np.diff(v) < -1e-12):
                        raise GameValidationError(f"{m}: utility {name} must be non-decreasing in the share")
                    if np.any(v[:-2] + v[2:] - 2 * v[1:-1] > 1e-9 * max(1.0, float(np.max(np.abs(v))))):
                        raise GameValidationError(
                            f"{m}: utility {name} is not concave, so the feasible set is not convex"
                        )
        if not self.is_batch:
            self._check_disagreement(m)

    def _check_disagreement(self, m: str) -> None:
        d1, d2 = self.d_1, self.d_2
        rep = self.representation
        if rep == "points":
            from bargaining.model.geometry import hull_polygon, point_in_polygon, weakly_dominated

            poly = hull_polygon(self.points)
            if self.free_disposal:
                if not weakly_dominated(poly, (d1, d2)):
                    raise GameValidationError(
                        f"{m}: disagreement point d = ({show_number(d1)}, {show_number(d2)}) is outside the "
                        "feasible set (no point of the convex hull is weakly above it)"
                    )
            elif not point_in_polygon(poly, (d1, d2)):
                raise GameValidationError(
                    f"{m}: disagreement point d = ({show_number(d1)}, {show_number(d2)}) is outside the "
                    "feasible set (the convex hull of the points)"
                )
        elif rep == "frontier":
            frontier = self.frontier
            assert frontier is not None  # rep == "frontier"
            f = frontier(d1)
            if not (self.lo <= d1 <= self.hi) or d2 > f:
                raise GameValidationError(
                    f"{m}: disagreement point d = ({show_number(d1)}, {show_number(d2)}) is outside the "
                    "feasible set (below the frontier on [lo, hi])"
                )
        else:
            u1, u2 = self.utilities()
            lo1, hi1 = float(u1(0)), float(u1(1))
            if d1 < lo1 or d2 < float(u2(0)) or d1 > hi1:
                raise GameValidationError(
                    f"{m}: disagreement point d = ({show_number(d1)}, {show_number(d2)}) is outside the "
                    "feasible set (utilities of the pie)"
                )
            # the share x that gives player 1 exactly d1; player 2 must get at least d2 from the rest
            xs = np.linspace(0.0, 1.0, 2001)
            v1 = np.asarray([float(u1(t)) for t in xs])
            v2 = np.asarray([float(u2(1 - t)) for t in xs])
            if not np.any((v1 >= float(d1) - 1e-12) & (v2 >= float(d2) - 1e-12)):
                raise GameValidationError(
                    f"{m}: disagreement point d = ({show_number(d1)}, {show_number(d2)}) is outside the "
                    "feasible set (no split of the pie gives both their d_i)"
                )
