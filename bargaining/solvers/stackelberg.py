r"""Stackelberg (commitment) equilibria of two-player normal-form games.

The **leader** :math:`L` commits to a strategy :math:`x \in \Delta(S_L)`; the **follower**
:math:`F` sees it and best-responds. Let :math:`A = u_L`, :math:`B = u_F` as
:math:`|S_L| \times |S_F|` matrices and :math:`BR(x) = \arg\max_j x^\top B e_j`.

- **Mixed commitment, strong tie-breaking** (the follower breaks ties in the leader's favour;
  the *strong Stackelberg equilibrium*): Conitzer & Sandholm (2006), *Computing the optimal
  strategy to commit to*, EC'06: for each follower pure response :math:`j` solve

  .. math::

     \max_x\ x^\top A e_j \quad\text{s.t.}\quad
     x^\top B e_j \ge x^\top B e_{j'}\ \forall j',\ x \in \Delta(S_L)

  and take the best :math:`j`. The value is always attained (each LP maximises over a closed set).
- **Weak tie-breaking** (ties broken *against* the leader): the value
  :math:`\sup_x \min_{j \in BR(x)} x^\top A e_j` need not be attained (von Stengel & Zamir
  2010, *Leadership games with convex strategy sets*, GEB 69). The regions
  :math:`R_C = \{x : C \subseteq BR(x)\}` of follower strategies with full-dimensional region
  cover a dense subset of the simplex, so the supremum is the best of the LPs
  :math:`\max_{x \in R_C} \min_{j \in C} x^\top A e_j` over classes :math:`C` of follower
  strategies with identical follower payoffs whose region has an interior (tested by an LP
  maximising the slack). Attainment is decided by one LP per candidate best-response set
  :math:`T` (the exact set :math:`BR(x) = T` needs positive slack on the strategies outside
  :math:`T`); for more than ``ATTAIN_LIMIT`` follower strategies it is not decided.
- **Pure commitment**: the leader picks the best pure strategy against the follower's best
  response (strong or weak tie-breaking); always attained.

The *value of commitment* is the leader's Stackelberg payoff minus its best and its worst Nash
payoff (the Nash equilibria come from the project's own solver through
:func:`bargaining.solvers.api.solve`; for two players the leader's payoff is bilinear on each
maximal Nash subset, so its extremes are at extreme equilibria, which that solver lists).

Exact mode: each LP is solved in floats (HiGHS) and its optimal vertex re-derived in Fractions
from the tight constraints (:mod:`bargaining.solvers.lpexact`); the comparisons between follower
responses are exact. The interior and attainment tests are float decisions (a slack above 1e-7
counts as strict).

Games with more than two players and game trees are not supported (a clear error).
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from typing import Any

from bargaining.errors import SolverError
from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Equilibrium, Solution
from bargaining.solvers.budget import Deadline
from bargaining.solvers.lpexact import optimal_point, solve_lp
from bargaining.solvers.registry import Method, register

__all__ = ["stackelberg", "ATTAIN_LIMIT"]

ATTAIN_LIMIT = 10  # follower strategies up to which weak attainment is decided (2^n LPs)
_TOL = 1e-9
_SLACK = 1e-7  # a positive slack (strict best response) must exceed this


def _num(v: Any, exact: bool) -> Any:
    return Fraction(v) if exact else float(v)


class _Problem:
    """The leader's LPs for one game, in Fractions (exact) and floats."""

    def __init__(self, game: NormalFormGame, leader: int, exact: bool):
        g = game.as_exact()
        A = g.payoffs[leader]
        B = g.payoffs[1 - leader]
        if leader == 1:
            A, B = A.T, B.T
        self.A = [[Fraction(v) for v in row] for row in A]  # leader strategies x follower strategies
        self.B = [[Fraction(v) for v in row] for row in B]
        self.m, self.n = len(self.A), len(self.A[0])
        self.exact = exact

    def col(self, M: list[list[Fraction]], j: int) -> list[Fraction]:
        return [M[i][j] for i in range(self.m)]

    def value(self, x: list[Any], M: list[list[Fraction]], j: int) -> Any:
        return sum((xi * Mi[j] for xi, Mi in zip(x, M)), start=_num(0, self.exact))

    def best_responses(self, x: list[Any]) -> list[int]:
        vals = [self.value(x, self.B, j) for j in range(self.n)]
        top = max(vals)
        tol = 0 if self.exact else _TOL * max(1.0, abs(float(top)))
        return [j for j, v in enumerate(vals) if v >= top - tol]

    def solve(
        self,
        c: list[Fraction],
        A_ub: list[list[Fraction]],
        b_ub: list[Fraction],
        A_eq: list[list[Fraction]],
        b_eq: list[Fraction],
    ) -> tuple[list[Any], Any] | None:
        """Maximise ``c x`` over ``x >= 0``; returns (point, value) or ``None`` if infeasible."""
        f = [[float(v) for v in r] for r in A_ub]
        res = solve_lp(
            [float(v) for v in c],
            f,
            [float(v) for v in b_ub],
            [[float(v) for v in r] for r in A_eq],
            [float(v) for v in b_eq],
        )
        if res.status == "infeasible":
            return None
        if res.status != "optimal":
            raise SolverError(f"Stackelberg LP is {res.status}")
        return optimal_point(res, c, A_ub, b_ub, A_eq, b_eq, self.exact)

    def region_rows(self, j: int, others: list[int], extra: int = 0) -> list[list[Fraction]]:
        """Rows ``x (B e_k - B e_j) <= 0`` for k in ``others`` (plus ``extra`` zero columns)."""
        return [[self.B[i][k] - self.B[i][j] for i in range(self.m)] + [Fraction(0)] * extra for k in others]

    # -- strong ----------------------------------------------------------------------------
    def strong(self) -> tuple[list[Any], int, Any]:
        best = None
        for j in range(self.n):
            rows = self.region_rows(j, [k for k in range(self.n) if k != j])
            got = self.solve(
                self.col(self.A, j), rows, [Fraction(0)] * len(rows), [[Fraction(1)] * self.m], [Fraction(1)]
            )
            if got is not None and (best is None or got[1] > best[2] + (0 if self.exact else _TOL)):
                best = (got[0], j, got[1])
        assert best is not None  # the regions cover the simplex
        return best

    # -- weak ------------------------------------------------------------------------------
    def classes(self) -> list[list[int]]:
        out: list[list[int]] = []
        for j in range(self.n):
            for c in out:
                if self.col(self.B, c[0]) == self.col(self.B, j):
                    c.append(j)
                    break
            else:
                out.append([j])
        return out

    def has_interior(self, C: list[int]) -> bool:
        """Is there x > 0 with ``x B e_C > x B e_k`` for every k outside C? (max slack s > 0)"""
        others = [k for k in range(self.n) if k not in C]
        m = self.m
        rows = [r[:m] + [Fraction(1)] for r in self.region_rows(C[0], others)]
        rows += [[Fraction(-int(i == k)) for i in range(m)] + [Fraction(1)] for k in range(m)]
        res = solve_lp(
            [0.0] * m + [1.0],
            [[float(v) for v in r] for r in rows],
            [0.0] * len(rows),
            [[1.0] * m + [0.0]],
            [1.0],
            bounds=[(0, None)] * m + [(0, 1)],
        )
        return res.status == "optimal" and res.optimum > _SLACK

    def weak_class(self, C: list[int]) -> tuple[list[Any], Any]:
        """``max_{x in R_C} min_{j in C} x A e_j`` with a shifted variable ``t' = t - lo >= 0``."""
        m = self.m
        others = [k for k in range(self.n) if k not in C]
        lo = min(min(r) for r in self.A) - 1
        rows = self.region_rows(C[0], others, extra=1)
        b = [Fraction(0)] * len(rows)
        for j in C:  # t' + lo <= x A e_j  (sum x = 1)  <=>  t' - x (A e_j - lo) <= 0
            rows.append([-(self.A[i][j] - lo) for i in range(m)] + [Fraction(1)])
            b.append(Fraction(0))
        got = self.solve(
            [Fraction(0)] * m + [Fraction(1)], rows, b, [[Fraction(1)] * m + [Fraction(0)]], [Fraction(1)]
        )
        assert got is not None
        x = got[0][:m]
        return x, min(self.value(x, self.A, j) for j in C)

    def attaining(self, v: Any) -> list[float] | None:
        """A commitment whose weak value is ``v`` (exactly the set BR(x) = T, all of T giving the
        leader at least ``v``), or ``None`` if there is none."""
        m = self.m
        fv = float(v)
        for size in range(1, self.n + 1):
            for T in combinations(range(self.n), size):
                others = [k for k in range(self.n) if k not in T]
                t0 = T[0]
                A_ub, b_ub = [], []
                for k in others:
                    A_ub.append([float(self.B[i][k] - self.B[i][t0]) for i in range(m)] + [1.0])
                    b_ub.append(0.0)
                for t in T:
                    A_ub.append([-float(self.A[i][t]) for i in range(m)] + [0.0])
                    b_ub.append(-fv)
                A_eq = [[1.0] * m + [0.0]]
                b_eq = [1.0]
                for t in T[1:]:
                    A_eq.append([float(self.B[i][t] - self.B[i][t0]) for i in range(m)] + [0.0])
                    b_eq.append(0.0)
                res = solve_lp([0.0] * m + [1.0], A_ub, b_ub, A_eq, b_eq, bounds=[(0, None)] * m + [(0, 1)])
                if res.status == "optimal" and (not others or res.optimum > _SLACK):
                    return [float(v) for v in res.point[:m]]
        return None


def _nash_payoffs(
    game: NormalFormGame, leader: int, exact: bool, deadline: Deadline
) -> tuple[Any, Any, bool]:
    from bargaining.solvers.bimatrix import enummixed  # the project's Nash solver for two players

    sol = enummixed(game, deadline=deadline, exact=exact)
    pays = [eq.payoffs[leader] for eq in sol.equilibria]
    if not pays:
        return None, None, False
    return max(pays), min(pays), sol.complete


def stackelberg(
    game: NormalFormGame,
    *,
    deadline: Deadline = Deadline.NONE,
    exact: bool = False,
    leader: str | None = None,
    tie_break: str = "strong",
    commitment: str = "mixed",
) -> Solution:
    """The leader's optimal commitment (see the module docstring for the mathematics).

    ``leader``: the leader's name (default: the first player). ``tie_break``: ``strong`` (the
    follower breaks ties for the leader) or ``weak`` (against it; the value may be a supremum
    that no commitment attains). ``commitment``: ``mixed`` (default) or ``pure``."""
    if getattr(game, "kind", None) != "normal":
        raise SolverError(
            "Stackelberg commitment is computed for normal-form games only; "
            "convert the tree to normal form first"
        )
    if game.num_players != 2:
        raise SolverError(
            f"Stackelberg commitment needs a two-player game; this one has {game.num_players} "
            "players (with more followers the followers' equilibrium is not unique)"
        )
    if tie_break not in ("strong", "weak"):
        raise SolverError(f"tie_break {tie_break!s}: Stackelberg ties are broken 'strong' or 'weak'")
    if commitment not in ("mixed", "pure"):
        raise SolverError(f"commitment {commitment!s}: use 'mixed' or 'pure'")
    li = game.player_index(leader) if leader is not None else 0
    fi = 1 - li
    P = _Problem(game, li, exact)
    attained: bool | None = True
    note = None
    if commitment == "pure":
        best = None
        for i in range(P.m):
            x = [_num(int(k == i), exact) for k in range(P.m)]
            br = P.best_responses(x)
            pick = (max if tie_break == "strong" else min)(br, key=lambda j: (P.A[i][j], -j))
            val = _num(P.A[i][pick], exact)
            if best is None or val > best[2]:
                best = (x, pick, val)
        assert best is not None  # the leader has at least one strategy
        x, j, value = best
    elif tie_break == "strong":
        x, j, value = P.strong()
    else:
        best = None
        for C in P.classes():
            if not P.has_interior(C):
                continue
            xc, vc = P.weak_class(C)
            if best is None or vc > best[2] + (0 if exact else _TOL):
                resp = min(C, key=lambda k: (P.value(xc, P.A, k), k))
                best = (xc, resp, vc)
        assert best is not None  # the best-response regions cover the simplex: some class has an interior
        x, j, value = best
        br = P.best_responses(x)
        weak_here = min(P.value(x, P.A, k) for k in br)
        if weak_here >= value - (0 if exact else _TOL):
            attained = True
        elif P.n > ATTAIN_LIMIT:
            attained = None
            note = (
                f"weak Stackelberg value {float(value):g} is a supremum; whether a commitment attains it "
                f"is not decided for more than {ATTAIN_LIMIT} follower strategies"
            )
        else:
            other = P.attaining(value)
            if other is not None:
                attained = True
                if not exact:
                    x = other
                    br = P.best_responses(x)
                    j = min(br, key=lambda k: (P.value(x, P.A, k), k))
            else:
                attained = False
                note = (
                    f"weak Stackelberg value {float(value):g} is a supremum that no commitment attains: "
                    "commitments converging to the one shown approach it while the follower's response "
                    f"stays {game.strategies[fi][j]}; at the limit the follower is indifferent and breaks "
                    "the tie against the leader"
                )
    best_nash, worst_nash, nash_complete = _nash_payoffs(game, li, exact, deadline)
    follower_pay = P.value(x, P.B, j)
    regret = max(P.value(x, P.B, k) for k in range(P.n)) - follower_pay
    y = [_num(int(k == j), exact) for k in range(P.n)]
    strategies = (tuple(x), tuple(y)) if li == 0 else (tuple(y), tuple(x))
    payoffs = (value, follower_pay) if li == 0 else (follower_pay, value)
    extra = {
        "leader": game.players[li],
        "follower": game.players[fi],
        "commitment": list(x),
        "commitment_kind": commitment,
        "follower_response": game.strategies[fi][j],
        "leader_payoff": value,
        "tie_break": tie_break,
        "attained": attained,
        "nash_payoffs": {"best": best_nash, "worst": worst_nash},
        "value_of_commitment": (
            None
            if best_nash is None
            else {"over_best_nash": value - best_nash, "over_worst_nash": value - worst_nash}
        ),
    }
    eq = Equilibrium(
        strategies=strategies,
        payoffs=payoffs,
        regret=regret,
        label=f"{commitment} commitment ({tie_break})",
        extra=extra,
    )
    complete = bool(nash_complete) and attained is not None
    if not nash_complete and note is None:
        note = "the Nash equilibria used for the value of commitment may be incomplete (time budget)"
    return Solution(
        game=game,
        concept="stackelberg",
        method="commitment-lp",
        equilibria=(eq,),
        complete=complete,
        exact=exact,
        message=note,
        options={"leader": game.players[li], "tie_break": tie_break, "commitment": commitment},
    )


register(
    Method(
        name="commitment-lp",
        kinds=("normal",),
        concept="stackelberg",
        function=stackelberg,
        summary="leader's optimal pure/mixed commitment, strong or weak ties "
        "(Conitzer-Sandholm LPs; 2 players)",
        players="2",
        options={
            "leader": "the leader's name (default: the first player)",
            "tie_break": "strong (follower breaks ties for the leader) or weak (against)",
            "commitment": "mixed (default) or pure",
        },
    )
)
