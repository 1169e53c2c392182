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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np

from bargaining.errors import GameValidationError, SolverError

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
# validation helpers (work elementwise on arrays)
# --------------------------------------------------------------------------------------------
def _arr(v: Any) -> Any:
    return np.asarray(v, dtype=float) if isinstance(v, np.ndarray) else v


def _all(cond: Any) -> bool:
    return bool(np.all(cond))


def _show(v: Any) -> str:
    if isinstance(v, np.ndarray):
        return f"array of {v.size} values"
    if isinstance(v, Fraction):
        return str(v) if v.denominator == 1 else f"{v} (= {float(v):.6g})"
    return f"{v}"


def _check_number(model: str, name: str, v: Any) -> None:
    if isinstance(v, (bool, np.bool_)) or v is None:
        raise GameValidationError(f"{model}: {name} must be a number, got {v!r}")
    try:
        ok = _all(np.isfinite(np.asarray(v, dtype=float)))
    except (TypeError, ValueError):
        raise GameValidationError(f"{model}: {name} must be a number, got {v!r}") from None
    if not ok:
        raise GameValidationError(f"{model}: {name} must be finite, got {_show(v)}")


def _check_open01(model: str, name: str, v: Any, what: str) -> None:
    _check_number(model, name, v)
    a = _arr(v)
    if not _all((a > 0) & (a < 1)):
        raise GameValidationError(
            f"{model}: {name} = {_show(v)} is outside (0, 1); {what} must be strictly between 0 and 1"
        )


def _check_closed01(model: str, name: str, v: Any, what: str) -> None:
    _check_number(model, name, v)
    a = _arr(v)
    if not _all((a >= 0) & (a <= 1)):
        raise GameValidationError(f"{model}: {name} = {_show(v)} is outside [0, 1]; {what} must be in [0, 1]")


def _check_nonneg(model: str, name: str, v: Any, what: str) -> None:
    _check_number(model, name, v)
    if not _all(_arr(v) >= 0):
        raise GameValidationError(f"{model}: {name} = {_show(v)} is negative; {what} must be >= 0")


def _is_batch(values: Sequence[Any]) -> bool:
    return any(isinstance(v, np.ndarray) and v.ndim > 0 for v in values)


@dataclass(frozen=True)
class BargainingModel:
    """Common behaviour of the bargaining models (``kind = "model"``, two players)."""

    kind: ClassVar[str] = "model"
    model: ClassVar[str] = ""
    default_concept: ClassVar[str] = "subgame-perfect"
    default_method: ClassVar[str] = "closed-form"
    #: concept -> method name (see :meth:`method_for`)
    concept_methods: ClassVar[Mapping[str, str]] = {"subgame-perfect": "closed-form"}
    #: fields that are labels or functions, not numeric parameters
    _non_numeric: ClassVar[tuple[str, ...]] = ("players", "title")

    @property
    def num_players(self) -> int:
        return len(self.players)  # type: ignore[attr-defined]  # every subclass has the field (not the base: field order)

    @property
    def exact(self) -> bool:
        """True when every numeric parameter is an exact rational (int or Fraction)."""
        vals = [v for v in self.parameters().values() if v is not None and not callable(v)]
        return all(isinstance(v, (int, Fraction)) and not isinstance(v, bool) for v in vals)

    def parameters(self) -> dict[str, Any]:
        """The numeric parameters, by name (``None`` for an absent optional one)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in self._non_numeric}

    @property
    def is_batch(self) -> bool:
        """True if some parameter is an array (a stack of parameter points)."""
        return _is_batch([v for v in self.parameters().values() if v is not None])

    def describe(self) -> dict[str, Any]:
        """The ``game`` block of the JSON output."""
        from bargaining.numeric import jsonify

        params = {k: jsonify(v) for k, v in self.parameters().items() if v is not None and not callable(v)}
        return {
            "title": self.title,  # type: ignore[attr-defined]  # a field of every subclass, as players
            "players": list(self.players),  # type: ignore[attr-defined]  # (see num_players)
            "kind": "model",
            "model": self.model,
            "parameters": params,
        }

    def method_for(self, concept: str) -> str:
        """The method that solves this model for ``concept`` (used by ``solve``'s dispatch)."""
        try:
            return self.concept_methods[concept]
        except KeyError:
            known = ", ".join(self.concept_methods)
            raise SolverError(
                f"model {self.model!r} is not solved for concept {concept!r}; concepts: {known}"
            ) from None

    def with_params(self, **changes: Any) -> BargainingModel:
        """A copy with some parameters changed (validated again)."""
        return replace(self, **changes)


# --------------------------------------------------------------------------------------------
# Rubinstein alternating offers
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rubinstein(BargainingModel):
    r"""Alternating offers over a pie of size 1 (Rubinstein 1982; Osborne–Rubinstein 1990 ch. 3).

    Player ``first`` (1 or 2) proposes in round 1, the other in round 2, and so on. A responder
    accepts, rejects (the next round comes, discounted by its ``delta_i``) or, if it has one,
    takes its **outside option** ``outside_i`` (the game ends; the other player gets ``d_j``)
    — Binmore–Shaked–Sutton 1989. After each rejection the talks **break down** with
    probability ``breakdown`` = q (Binmore–Rubinstein–Wolinsky 1986): both get the
    disagreement payoffs ``d_i`` at once. ``horizon`` = T makes the game finite: a rejection in
    round T ends it with ``d``. ``r_1, r_2, period`` (optional) record continuous-time rates
    with ``delta_i = exp(-r_i * period)``; the solution then reports the limit r₂/(r₁+r₂).

    Arrays are accepted for every numeric parameter (batch closed forms).
    """

    model: ClassVar[str] = "rubinstein"
    concept_methods: ClassVar[Mapping[str, str]] = {
        "subgame-perfect": "closed-form",
        "nash-bargaining": "nash-product",
    }

    delta_1: Any = Fraction(9, 10)
    delta_2: Any = Fraction(9, 10)
    first: int = 1
    outside_1: Any = None
    outside_2: Any = None
    breakdown: Any = 0
    d_1: Any = 0
    d_2: Any = 0
    horizon: int | None = None
    r_1: Any = None
    r_2: Any = None
    period: Any = None
    players: tuple[str, str] = ("1", "2")
    title: str = "Rubinstein alternating offers"

    def __post_init__(self) -> None:
        m = self.model
        object.__setattr__(self, "players", tuple(str(p) for p in self.players))
        if len(self.players) != 2:
            raise GameValidationError(f"{m}: needs exactly two players, got {list(self.players)}")
        _check_open01(m, "delta_1", self.delta_1, "a discount factor")
        _check_open01(m, "delta_2", self.delta_2, "a discount factor")
        if self.first not in (1, 2):
            raise GameValidationError(
                f"{m}: first = {self.first!r}; the first proposer must be player 1 or 2"
            )
        _check_closed01(m, "breakdown", self.breakdown, "a breakdown probability")
        if not _is_batch([self.breakdown]) and self.breakdown == 1:
            raise GameValidationError(f"{m}: breakdown = 1 ends the talks after the first rejection; use < 1")
        for name in ("d_1", "d_2"):
            _check_number(m, name, getattr(self, name))
        if not _all(_arr(self.d_1) + _arr(self.d_2) <= 1):
            raise GameValidationError(
                f"{m}: disagreement point d_1 + d_2 > 1 lies outside the feasible set (the pie is 1)"
            )
        for name in ("outside_1", "outside_2"):
            v = getattr(self, name)
            if v is not None:
                _check_number(m, name, v)
        o1 = 0 if self.outside_1 is None else _arr(self.outside_1)
        o2 = 0 if self.outside_2 is None else _arr(self.outside_2)
        if not _all(o1 + o2 < 1):
            raise GameValidationError(
                f"{m}: outside options outside_1 + outside_2 >= 1 leave no gain from agreement; lower them"
            )
        if self.horizon is not None:
            if isinstance(self.horizon, bool) or int(self.horizon) != self.horizon or self.horizon < 1:
                raise GameValidationError(
                    f"{m}: horizon = {self.horizon!r}; give a whole number of rounds >= 1 (or none)"
                )
            object.__setattr__(self, "horizon", int(self.horizon))
        for name in ("r_1", "r_2", "period"):
            v = getattr(self, name)
            if v is not None:
                _check_number(m, name, v)
                if not _all(_arr(v) > 0):
                    raise GameValidationError(f"{m}: {name} = {_show(v)} must be > 0")

    @classmethod
    def from_rates(cls, r_1: Any, r_2: Any, period: Any, **kw: Any) -> Rubinstein:
        """Discount rates r_i per unit of time and the time between offers: δ_i = exp(−r_i·period)."""
        for name, v in (("r_1", r_1), ("r_2", r_2), ("period", period)):
            _check_number("rubinstein", name, v)
            if not _all(_arr(v) > 0):
                raise GameValidationError(f"rubinstein: {name} = {_show(v)} must be > 0")
        d1 = np.exp(-np.asarray(r_1, dtype=float) * np.asarray(period, dtype=float))
        d2 = np.exp(-np.asarray(r_2, dtype=float) * np.asarray(period, dtype=float))
        unwrap = (lambda a: float(a)) if np.ndim(d1) == 0 and np.ndim(d2) == 0 else (lambda a: a)
        return cls(delta_1=unwrap(d1), delta_2=unwrap(d2), r_1=r_1, r_2=r_2, period=period, **kw)


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
            and _all(_arr(self.rho_1) == 1)
            and _all(_arr(self.rho_2) == 1)
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
        _check_number(m, "d_1", self.d_1)
        _check_number(m, "d_2", self.d_2)
        _check_open01(m, "alpha", self.alpha, "a bargaining weight")
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
            _check_number(m, "points", np.asarray(pts, dtype=float))
            object.__setattr__(self, "points", tuple(tuple(p) for p in pts))
        elif self.representation == "frontier":
            if self.lo is None or self.hi is None:
                raise GameValidationError(f"{m}: a frontier needs its domain lo <= u_1 <= hi; give lo and hi")
            _check_number(m, "lo", self.lo)
            _check_number(m, "hi", self.hi)
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
                _check_number(m, name, v)
                a = _arr(v)
                if not _all(a > 0):
                    raise GameValidationError(f"{m}: {name} = {_show(v)} must be > 0")
                if not _all(a <= 1):
                    raise GameValidationError(
                        f"{m}: {name} = {_show(v)} > 1 makes the feasible set non-convex; use rho <= 1"
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
                        f"{m}: disagreement point d = ({_show(d1)}, {_show(d2)}) is outside the "
                        "feasible set (no point of the convex hull is weakly above it)"
                    )
            elif not point_in_polygon(poly, (d1, d2)):
                raise GameValidationError(
                    f"{m}: disagreement point d = ({_show(d1)}, {_show(d2)}) is outside the "
                    "feasible set (the convex hull of the points)"
                )
        elif rep == "frontier":
            frontier = self.frontier
            assert frontier is not None  # rep == "frontier"
            f = frontier(d1)
            if not (self.lo <= d1 <= self.hi) or d2 > f:
                raise GameValidationError(
                    f"{m}: disagreement point d = ({_show(d1)}, {_show(d2)}) is outside the "
                    "feasible set (below the frontier on [lo, hi])"
                )
        else:
            u1, u2 = self.utilities()
            lo1, hi1 = float(u1(0)), float(u1(1))
            if d1 < lo1 or d2 < float(u2(0)) or d1 > hi1:
                raise GameValidationError(
                    f"{m}: disagreement point d = ({_show(d1)}, {_show(d2)}) is outside the "
                    "feasible set (utilities of the pie)"
                )
            # the share x that gives player 1 exactly d1; player 2 must get at least d2 from the rest
            xs = np.linspace(0.0, 1.0, 2001)
            v1 = np.asarray([float(u1(t)) for t in xs])
            v2 = np.asarray([float(u2(1 - t)) for t in xs])
            if not np.any((v1 >= float(d1) - 1e-12) & (v2 >= float(d2) - 1e-12)):
                raise GameValidationError(
                    f"{m}: disagreement point d = ({_show(d1)}, {_show(d2)}) is outside the "
                    "feasible set (no split of the pie gives both their d_i)"
                )


# --------------------------------------------------------------------------------------------
# Fearon (1995): one-shot ultimatum with private information about the receiver's war cost
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FearonUltimatum(BargainingModel):
    r"""One-shot take-it-or-leave-it offer under private information (Fearon 1995, §"Private
    information and incentives to misrepresent").

    The proposer (player 1) offers the receiver (player 2) a share x ∈ [0, 1]. The receiver
    accepts, or goes to war: it wins with probability ``p`` and pays its cost c, so its war
    value is p − c; the proposer's war value is 1 − p − ``c_P``. The receiver's cost is private:
    ``c_low`` (resolute) with probability ``pi``, ``c_high`` (weak) otherwise
    (``dist = "two-types"``), or uniform on [c_low, c_high] (``dist = "uniform"``). The
    receiver accepts iff x ≥ p − c (indifferent → accepts, the responder tie-break of
    docs/scenarios.md). Under complete information the bargaining range is [p − c, p + c_P]
    (Fearon's [p − c_A, p + c_B]).
    """

    model: ClassVar[str] = "fearon-ultimatum"

    p: Any = Fraction(1, 2)
    c_P: Any = Fraction(1, 10)
    c_low: Any = Fraction(1, 20)
    c_high: Any = Fraction(1, 4)
    pi: Any = Fraction(2, 5)
    dist: str = "two-types"
    players: tuple[str, str] = ("proposer", "receiver")
    title: str = "Fearon ultimatum with private war costs"
    _non_numeric: ClassVar[tuple[str, ...]] = ("players", "title", "dist")

    def __post_init__(self) -> None:
        m = self.model
        object.__setattr__(self, "players", tuple(str(q) for q in self.players))
        if self.dist not in ("two-types", "uniform"):
            raise GameValidationError(f"{m}: dist = {self.dist!r}; use two-types or uniform")
        _check_closed01(m, "p", self.p, "a probability of winning")
        _check_nonneg(m, "c_P", self.c_P, "a war cost")
        _check_nonneg(m, "c_low", self.c_low, "a war cost")
        _check_nonneg(m, "c_high", self.c_high, "a war cost")
        _check_closed01(m, "pi", self.pi, "a prior probability")
        if not _all(_arr(self.c_low) <= _arr(self.c_high)):
            raise GameValidationError(
                f"{m}: c_low > c_high; c_low is the resolute (low-cost) type, swap them"
            )
        if self.dist == "uniform" and not _all(_arr(self.c_low) < _arr(self.c_high)):
            raise GameValidationError(f"{m}: a uniform cost needs c_low < c_high")


# --------------------------------------------------------------------------------------------
# Powell (2006): commitment problem under shifting power
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PowellShift(BargainingModel):
    r"""Infinite-horizon bargaining with a possible power shift (Powell 2006, "War as a
    commitment problem"; game G5(b) of docs/scenarios.md).

    States H (China-first US) and L (Russia-first, absorbing). Each period the US (player 1)
    offers RU (player 2) a share x of a flow of 1; RU accepts or advances (war, absorbing; war
    locks in the current distribution). H turns into L with probability ``lambda_0`` per
    period; advancing in H triggers the switch with probability ``lambda_A``. Per-period war
    values of RU: W_L = p_L − c_R − κ_R, W_H = (1 − λ_A)(p_H − c_R) + λ_A W_L. Discount ``delta``.
    ``lambda_A`` may be given directly or as ``lambda_bar_A · (1 − zeta)`` (Q4: US success ζ at
    denying China resources lowers the switch probability). ``c_US`` (default 0) is the US's
    per-period war cost; its war flow is 1 − p − c_US (used to check that it prefers peace).
    """

    model: ClassVar[str] = "powell-shift"

    delta: Any = Fraction(9, 10)
    p_H: Any = Fraction(7, 10)
    p_L: Any = Fraction(7, 20)
    c_R: Any = Fraction(1, 10)
    kappa_R: Any = Fraction(1, 5)
    lambda_0: Any = Fraction(1, 10)
    lambda_A: Any = None
    lambda_bar_A: Any = None
    zeta: Any = None
    c_US: Any = 0
    players: tuple[str, str] = ("US", "RU")
    title: str = "Shifting power and preventive war (Powell 2006)"

    def __post_init__(self) -> None:
        m = self.model
        object.__setattr__(self, "players", tuple(str(q) for q in self.players))
        _check_open01(m, "delta", self.delta, "a discount factor")
        for name in ("p_H", "p_L", "lambda_0"):
            _check_closed01(m, name, getattr(self, name), "a probability")
        _check_nonneg(m, "c_R", self.c_R, "a war cost")
        _check_nonneg(m, "kappa_R", self.kappa_R, "a war cost")
        _check_nonneg(m, "c_US", self.c_US, "a war cost")
        if self.lambda_A is None:
            if self.lambda_bar_A is None:
                raise GameValidationError(f"{m}: give lambda_A, or lambda_bar_A and zeta")
            _check_closed01(m, "lambda_bar_A", self.lambda_bar_A, "a probability")
            z = 0 if self.zeta is None else self.zeta
            _check_closed01(m, "zeta", z, "US success")
            object.__setattr__(self, "zeta", z)
            object.__setattr__(self, "lambda_A", self.lambda_bar_A * (1 - z))
        elif self.lambda_bar_A is not None:
            raise GameValidationError(f"{m}: give lambda_A or lambda_bar_A (with zeta), not both")
        _check_closed01(m, "lambda_A", self.lambda_A, "a probability")


# --------------------------------------------------------------------------------------------
# Crawford–Sobel (1982) cheap talk
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CrawfordSobel(BargainingModel):
    r"""Cheap talk with a uniform prior and quadratic losses (Crawford–Sobel 1982, §4 example).

    The sender (player 1) knows θ ~ U[0, 1] and sends a costless message; the receiver (player
    2) picks an action a. Receiver's payoff −(a − θ)²; sender's −(a − θ − s·b)², with bias
    b > 0 and direction s = ``direction`` (+1: the sender wants a higher action, the textbook
    case; −1: a lower one, as in game G8 of docs/scenarios.md).
    """

    model: ClassVar[str] = "crawford-sobel"
    default_concept: ClassVar[str] = "perfect-bayesian"
    concept_methods: ClassVar[Mapping[str, str]] = {"perfect-bayesian": "closed-form"}

    b: Any = Fraction(1, 10)
    direction: int = 1
    players: tuple[str, str] = ("sender", "receiver")
    title: str = "Crawford–Sobel cheap talk"

    def __post_init__(self) -> None:
        m = self.model
        object.__setattr__(self, "players", tuple(str(q) for q in self.players))
        _check_number(m, "b", self.b)
        if not _all(_arr(self.b) > 0):
            raise GameValidationError(
                f"{m}: bias b = {_show(self.b)} must be > 0 (use direction = -1 for a downward bias)"
            )
        if self.direction not in (1, -1):
            raise GameValidationError(
                f"{m}: direction = {self.direction!r}; use 1 (upward bias) or -1 (downward)"
            )
        object.__setattr__(self, "direction", int(self.direction))


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
