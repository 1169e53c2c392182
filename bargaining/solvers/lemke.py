r"""Lemke–Howson for two-player games, started from every label.

For a bimatrix game :math:`(A, B)` (:math:`m \times n`), shift both matrices to be positive and
take the best-response polytopes (von Stengel 2002, "Computing equilibria for two-person games",
*Handbook of Game Theory* 3, ch. 45, §2–3)

.. math:: P = \{x \ge 0 : B^\top x \le 1\}, \qquad Q = \{y \ge 0 : A y \le 1\}.

Label :math:`k \in \{1..m\}` stands for row strategy k (:math:`x_k = 0` or row k is a best reply
to y), label :math:`m + l` for column strategy l. A pair of vertices :math:`(x, y) \ne (0, 0)`
that carries every label is a Nash equilibrium after normalisation. Lemke & Howson (1964,
"Equilibrium points of bimatrix games", SIAM J. Appl. Math. 12) start at the artificial
equilibrium :math:`(0, 0)`, drop one label k and follow the unique path of k-almost completely
labelled vertex pairs by complementary pivoting, alternately in the tableaux of P and Q, until
label k is picked up again. The ratio test is lexicographic (von Stengel 2002, §3.6), so the
path is well defined and finite in degenerate games too.

Each of the :math:`m + n` starting labels gives one equilibrium; the distinct ones are returned,
each verified by :func:`bargaining.verify.normal.max_regret`. Lemke–Howson does not find all
equilibria (Shapley 1974 shows games with equilibria that no path reaches), so the solution is
``complete: false``. Pivoting is always exact (Fractions; float payoffs are read by their decimal
text), and float games get the result as floats. nashpy's ``Game.lemke_howson`` (0.0.43) is not
used in the solver: its ratio test is not lexicographic, and on degenerate games it pivots on NaNs
forever (seen on a random 12×12 integer game, label 0), which no time budget can interrupt in
process; the tests use it as an oracle on nondegenerate games.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import BargainingError
from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Equilibrium, Solution, sort_key_profile
from bargaining.solvers.budget import BudgetExceeded, Deadline
from bargaining.solvers.profile_eval import profile_gain, profile_payoffs
from bargaining.solvers.registry import Method, register

__all__ = ["lemke_howson", "lemke_howson_all", "lemke_howson_method", "lcp"]


def _tableau(M: list[list[Fraction]], first_label: int, n_labels: int, rows: int):
    """Rows ``[coefficients over all labels | rhs]`` of ``I·slack + M·var = 1``, where the
    slacks carry labels ``first_label .. first_label+rows-1`` and ``var`` the other labels."""
    T = []
    other = [k for k in range(n_labels) if not first_label <= k < first_label + rows]
    for r in range(rows):
        row = [Fraction(0)] * (n_labels + 1)
        row[first_label + r] = Fraction(1)
        for c, k in enumerate(other):
            row[k] = M[r][c]
        row[-1] = Fraction(1)
        T.append(row)
    basis = list(range(first_label, first_label + rows))
    return T, basis


def _pivot_in(T, basis, enter: int, slack_cols: range) -> int:
    """Bring label ``enter`` into the basis by the lexicographic minimum-ratio test; return
    the label that leaves."""
    candidates = [r for r in range(len(T)) if T[r][enter] > 0]
    if not candidates:
        raise BargainingError("Lemke–Howson: unbounded ray (the game matrices must be positive)")

    def lex_key(r: int):
        a = T[r][enter]
        return (T[r][-1] / a, *[T[r][c] / a for c in slack_cols])

    row = min(candidates, key=lex_key)
    leaving = basis[row]
    piv = T[row][enter]
    T[row] = [v / piv for v in T[row]]
    for r in range(len(T)):
        if r != row and T[r][enter] != 0:
            f = T[r][enter]
            T[r] = [a - f * b for a, b in zip(T[r], T[row])]
    basis[row] = enter
    return leaving


def _positive(U: np.ndarray) -> list[list[Fraction]]:
    low = min(U.ravel())
    shift = Fraction(1) - low
    return [[Fraction(v) + shift for v in row] for row in U]


def lemke_howson(
    A: Any, B: Any, label: int, deadline: Deadline | None = None
) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
    """One Lemke–Howson path in exact arithmetic, dropping ``label`` (0-based: ``0..m-1`` are
    row strategies, ``m..m+n-1`` column strategies). ``A, B`` are ``m × n`` arrays of rationals
    (Fractions or ints). Returns the equilibrium ``(x, y)`` as Fractions."""
    A = np.asarray(A, dtype=object)
    B = np.asarray(B, dtype=object)
    m, n = A.shape
    if not 0 <= label < m + n:
        raise BargainingError(f"label must be in 0..{m + n - 1}, got {label}")
    Ap, Bp = _positive(A), _positive(B)
    L = m + n
    # Q side: r + A y = 1, r labels 0..m-1 (basic), y labels m..m+n-1
    TQ, bQ = _tableau(Ap, 0, L, m)
    # P side: B^T x + s = 1, s labels m..m+n-1 (basic), x labels 0..m-1
    BT = [[Bp[i][j] for i in range(m)] for j in range(n)]
    TP, bP = _tableau(BT, m, L, n)
    slackQ, slackP = range(0, m), range(m, m + n)
    enter = label
    in_P = label < m  # x_k enters P; y_l enters Q
    for _ in range(100000):
        if deadline is not None:
            deadline.check()
        if in_P:
            leaving = _pivot_in(TP, bP, enter, slackP)
        else:
            leaving = _pivot_in(TQ, bQ, enter, slackQ)
        if leaving == label:
            break
        enter = leaving
        in_P = not in_P
    else:  # pragma: no cover - the lexicographic rule makes paths finite
        raise BargainingError("Lemke–Howson did not terminate")
    x = [Fraction(0)] * m
    y = [Fraction(0)] * n
    for r, b in enumerate(bP):
        if b < m:
            x[b] = TP[r][-1]
    for r, b in enumerate(bQ):
        if b >= m:
            y[b - m] = TQ[r][-1]
    sx, sy = sum(x), sum(y)
    return tuple(v / sx for v in x), tuple(v / sy for v in y)


def lemke_howson_all(
    game: NormalFormGame, *, exact: bool = False, deadline: Deadline | None = None
) -> tuple[list[tuple[list, list[int]]], bool]:
    """Run Lemke–Howson from every label. Returns ``([(profile, labels), ...], finished)``:
    the distinct verified equilibria with the (0-based) labels whose paths end there."""
    if game.num_players != 2:
        raise BargainingError(f"Lemke–Howson needs a two-player game; this one has {game.num_players}")
    use_exact = exact or game.exact
    gx = game.as_exact()
    A, B = gx.payoffs[0], gx.payoffs[1]
    m, n = A.shape
    found: dict[tuple, tuple[list, list[int]]] = {}
    finished = True
    try:
        for label in range(m + n):
            if deadline is not None:
                deadline.check()
            x, y = lemke_howson(A, B, label, deadline)
            if profile_gain(gx, [x, y]) != 0:  # pragma: no cover - a bug if reached
                raise BargainingError("Lemke–Howson produced a profile that is not an equilibrium")
            prof = [list(x), list(y)] if use_exact else [[float(v) for v in x], [float(v) for v in y]]
            key = tuple(round(float(p), 9) for probs in prof for p in probs)
            if key in found:
                found[key][1].append(label)
            else:
                found[key] = (prof, [label])
    except BudgetExceeded:
        finished = False
    return list(found.values()), finished


def lemke_howson_method(
    game: NormalFormGame, *, deadline: Deadline = Deadline.NONE, exact: bool = False
) -> Solution:
    """Lemke–Howson from all ``m + n`` starting labels, deduplicated and verified
    (``complete: false``: the method does not find every equilibrium)."""
    results, finished = lemke_howson_all(game, exact=exact, deadline=deadline)
    use_exact = exact or game.exact
    g = game.as_exact() if use_exact else game
    eqs = []
    m = game.shape[0]
    for prof, labels in results:
        pure = all(sum(1 for p in probs if p != 0) == 1 for probs in prof)
        eqs.append(
            Equilibrium(
                strategies=tuple(tuple(p) for p in prof),
                payoffs=tuple(profile_payoffs(g, prof)),
                regret=None,  # certified by the dispatcher
                label="pure" if pure else "mixed",
                extra={
                    "start_labels": [
                        f"{game.players[0]}:{game.strategies[0][k]}"
                        if k < m
                        else f"{game.players[1]}:{game.strategies[1][k - m]}"
                        for k in labels
                    ]
                },
            )
        )
    eqs.sort(key=lambda e: sort_key_profile(e.mixed_profile))
    return Solution(
        game=game,
        concept="nash",
        method="lemke-howson",
        equilibria=tuple(eqs),
        complete=False,
        exact=use_exact,
        message=None if finished else deadline.message(),
        extra={"scope": "the equilibria reached by Lemke–Howson paths from every starting label"},
    )


def lcp(game: Any, *, deadline: Deadline = Deadline.NONE, exact: bool = False) -> Solution:
    """Lemke's algorithm on the linear complementarity problem of the game, as Gambit's
    ``lcp_solve``: on the sequence form for a two-player tree (Koller, Megiddo and von Stengel
    1996; :func:`bargaining.solvers.sequence.sequence`), on the strategic form for a two-player
    normal-form game (Lemke–Howson from every starting label). Reported as method ``lcp``."""
    if game.kind == "tree":
        from bargaining.solvers.sequence import sequence

        sol = sequence(game, deadline=deadline, exact=exact)
    else:
        sol = lemke_howson_method(game, deadline=deadline, exact=exact)
    return sol.replace(method="lcp")


register(
    Method(
        name="lemke-howson",
        kinds=("normal",),
        concept="nash",
        function=lemke_howson_method,
        summary="Lemke–Howson from every starting label (two players); some equilibria, not complete",
        players="2",
    )
)
register(
    Method(
        name="lcp",
        kinds=("normal", "tree"),
        concept="nash",
        function=lcp,
        summary="Lemke's algorithm on the LCP, as Gambit's lcp: sequence form for trees, strategic form "
        "(Lemke–Howson from every label) for normal-form games; not complete",
        players="2",
    )
)
