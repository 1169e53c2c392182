r"""Independent certificates for commitment, mediation, persuasion and repeated-game answers.

Written apart from the solvers (no solver is imported): each function recomputes what an answer
claims from the game's payoffs and returns a dict of named checks, all ``True`` for a correct
answer (``ok`` is their conjunction). Exact answers (Fractions) are checked exactly, float
answers within ``tol``.

- :func:`check_stackelberg`: the commitment is a distribution, the follower's response is a best
  response, the payoffs are right, and (mixed commitment, strong ties, small games) the leader's
  payoff equals the best value over **all vertices** of the follower's best-response regions,
  enumerated here by brute force (a different algorithm from the solver's LPs).
- :func:`check_correlated`: a distribution satisfying every obedience (or coarse) constraint,
  payoffs and objective value recomputed.
- :func:`check_persuasion`: the signal is a stochastic matrix, every recommendation is obeyed,
  the payoffs are right, and (two states) no split of the prior between two beliefs of a fine
  grid plus the receiver's indifference beliefs gives the sender more.
- :func:`check_repeated`: pure minmax by brute force; each reported grim-trigger δ makes the
  one-shot-deviation inequality hold and a smaller δ break it; each vertex of the SPE payoff set
  is feasible and individually rational; the stage game's pure Nash payoffs lie in the set.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations, product
from typing import Any

import numpy as np

__all__ = ["check_stackelberg", "check_correlated", "check_persuasion", "check_repeated"]

VERTEX_CHECK_LIMIT = 20_000


def _close(a: Any, b: Any, tol: float) -> bool:
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a == b
    return abs(float(a) - float(b)) <= tol * max(1.0, abs(float(b)))


def _ge(a: Any, b: Any, tol: float) -> bool:
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a >= b
    return float(a) >= float(b) - tol * max(1.0, abs(float(b)))


def _solve(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    n = len(rows)
    m = [list(r) + [b] for r, b in zip(rows, rhs)]
    for col in range(n):
        piv = next((r for r in range(col, n) if m[r][col] != 0), None)
        if piv is None:
            return None
        m[col], m[piv] = m[piv], m[col]
        m[col] = [v / m[col][col] for v in m[col]]
        for r in range(n):
            if r != col and m[r][col] != 0:
                f = m[r][col]
                m[r] = [a - f * b for a, b in zip(m[r], m[col])]
    return [m[r][n] for r in range(n)]


def _finish(checks: dict[str, bool]) -> dict[str, bool]:
    checks["ok"] = all(v for k, v in checks.items() if v is not None)
    return checks


# -- Stackelberg ---------------------------------------------------------------------------------


def _strong_value_by_vertices(A: list[list[Fraction]], B: list[list[Fraction]]) -> Fraction | None:
    """max over follower responses j and vertices x of {x in simplex : j in BR(x)} of x A e_j."""
    m, n = len(A), len(A[0])
    best = None
    for j in range(n):
        cons = [[B[i][k] - B[i][j] for i in range(m)] for k in range(n) if k != j]  # row . x <= 0
        cons += [[Fraction(-int(i == k)) for i in range(m)] for k in range(m)]  # -x_k <= 0
        combos = list(combinations(range(len(cons)), m - 1))
        if len(combos) > VERTEX_CHECK_LIMIT:
            return None
        for pick in combos:
            x = _solve([cons[k] for k in pick] + [[Fraction(1)] * m], [Fraction(0)] * (m - 1) + [Fraction(1)])
            if x is None or any(sum(c * v for c, v in zip(r, x)) > 0 for r in cons):
                continue
            val = sum((x[i] * A[i][j] for i in range(m)), Fraction(0))
            best = val if best is None or val > best else best
    return best


def check_stackelberg(game: Any, eq: Any, tol: float = 1e-7) -> dict[str, bool]:
    """Checks of one Stackelberg answer (``eq.extra`` holds leader, commitment, follower_response)."""
    ex = eq.extra
    li = list(game.players).index(ex["leader"])
    fi = 1 - li
    g = game.as_exact()
    A_arr = np.array(g.payoffs[li], dtype=object)
    B_arr = np.array(g.payoffs[fi], dtype=object)
    if li == 1:
        A_arr, B_arr = A_arr.T, B_arr.T
    A = [[Fraction(v) for v in r] for r in A_arr]
    B = [[Fraction(v) for v in r] for r in B_arr]
    x = list(ex["commitment"])
    j = list(game.strategies[fi]).index(ex["follower_response"])
    exact = all(isinstance(v, Fraction) for v in x)
    xs = x if exact else [float(v) for v in x]
    m, n = len(A), len(A[0])
    fpay = [sum(xs[i] * (B[i][k] if exact else float(B[i][k])) for i in range(m)) for k in range(n)]
    lpay = sum(xs[i] * (A[i][j] if exact else float(A[i][j])) for i in range(m))
    checks: dict[str, Any] = {
        "distribution": all(_ge(v, Fraction(0) if exact else 0.0, tol) for v in xs)
        and _close(sum(xs), Fraction(1) if exact else 1.0, tol),
        "follower_best_response": _ge(fpay[j], max(fpay), tol),
        "leader_payoff": _close(ex["leader_payoff"], lpay, tol),
    }
    if ex.get("commitment_kind") == "mixed" and ex.get("tie_break") == "strong":
        best = _strong_value_by_vertices(A, B)
        checks["optimal_over_region_vertices"] = (
            None if best is None else _close(ex["leader_payoff"], best, tol)
        )
    if ex.get("commitment_kind") == "pure":
        i = next(k for k, v in enumerate(xs) if float(v) > 0.5)
        checks["pure"] = _close(xs[i], 1, tol)
    return _finish(checks)


# -- correlated ------------------------------------------------------------------------------------


def check_correlated(game: Any, eq: Any, coarse: bool = False, tol: float = 1e-7) -> dict[str, bool]:
    """Obedience (or coarse) constraints, probabilities and payoffs of a correlated answer."""
    dist = eq.extra["distribution"]
    probs = [d["probability"] for d in dist]
    exact = all(isinstance(p, Fraction) for p in probs)
    pay = game.as_exact().payoffs if exact else game.float_payoffs
    shape = game.shape
    cells = list(np.ndindex(*shape))
    P = {c: probs[k] for k, c in enumerate(cells)}
    zero = Fraction(0) if exact else 0.0
    ok_ic = True
    for i in range(game.num_players):
        for t in range(shape[i]):
            recs = [None] if coarse else [s for s in range(shape[i]) if s != t]
            for s in recs:
                total = zero
                for c in cells:
                    if s is not None and c[i] != s:
                        continue
                    dev = c[:i] + (t,) + c[i + 1 :]
                    total += P[c] * (pay[(i, *c)] - pay[(i, *dev)])
                ok_ic &= _ge(total, zero, tol)
    payoffs = [sum((P[c] * pay[(i, *c)] for c in cells), start=zero) for i in range(game.num_players)]
    labels_ok = all(
        d["profile"] == [game.strategies[i][c[i]] for i in range(len(shape))] for d, c in zip(dist, cells)
    )
    return _finish(
        {
            "distribution": all(_ge(p, zero, tol) for p in probs)
            and _close(sum(probs, start=zero), 1, tol)
            and labels_ok,
            "obedience": ok_ic,
            "payoffs": all(_close(a, b, tol) for a, b in zip(eq.payoffs, payoffs)),
        }
    )


# -- persuasion ------------------------------------------------------------------------------------


def check_persuasion(game: Any, eq: Any, tol: float = 1e-7, grid: int = 400) -> dict[str, bool]:
    """Stochastic signal, obedience, payoffs; optimality among two-point splits for two states."""
    ex = eq.extra
    S, Ac = list(game.states), list(game.actions)
    sig = [[ex["signal"][s][a] for a in Ac] for s in S]
    exact = all(isinstance(v, Fraction) for r in sig for v in r)
    prior = list(game.prior) if exact else [float(p) for p in game.prior]
    V = [[v if exact else float(v) for v in r] for r in game.sender]
    U = [[v if exact else float(v) for v in r] for r in game.receiver]
    zero = Fraction(0) if exact else 0.0
    k, m = len(S), len(Ac)
    stoch = all(all(_ge(v, zero, tol) for v in r) and _close(sum(r, start=zero), 1, tol) for r in sig)
    obey = all(
        _ge(sum((prior[w] * sig[w][a] * (U[a][w] - U[b][w]) for w in range(k)), start=zero), zero, tol)
        for a in range(m)
        for b in range(m)
    )
    value = sum((prior[w] * sig[w][a] * V[a][w] for w in range(k) for a in range(m)), start=zero)
    checks: dict[str, Any] = {
        "signal": stoch,
        "obedience": obey,
        "sender_payoff": _close(ex["sender_payoff"], value, tol),
    }
    if k == 2:
        q0 = float(prior[1])
        qs = set(np.linspace(0.0, 1.0, grid + 1).tolist()) | {q0}
        for a, b in product(range(m), repeat=2):
            d0, d1 = float(U[a][0] - U[b][0]), float(U[a][1] - U[b][1])
            if d0 != d1 and 0 <= d0 / (d0 - d1) <= 1:
                qs.add(d0 / (d0 - d1))

        def vhat(q: float) -> float:
            vals = [(1 - q) * float(U[a][0]) + q * float(U[a][1]) for a in range(m)]
            top = max(vals)
            return max(
                (1 - q) * float(V[a][0]) + q * float(V[a][1]) for a in range(m) if vals[a] >= top - 1e-12
            )

        vh = {q: vhat(q) for q in qs}
        best = max(
            [
                vh[q0],
                *(
                    ((hi - q0) * vh[lo] + (q0 - lo) * vh[hi]) / (hi - lo)
                    for lo in qs
                    if lo < q0
                    for hi in qs
                    if hi > q0
                ),
            ]
        )  # a prior of 0 or 1: no split
        checks["no_better_split"] = float(value) >= best - 1e-7
    return _finish(checks)


# -- repeated ----------------------------------------------------------------------------------------


def check_repeated(game: Any, eq: Any, tol: float = 1e-6) -> dict[str, bool]:
    """Minmax, grim-trigger thresholds and the vertices of a repeated-game answer."""
    ex = eq.extra
    A = game.as_exact().payoffs[0]
    B = game.as_exact().payoffs[1]
    r_, c_ = A.shape
    mm1 = min(max(A[r, c] for r in range(r_)) for c in range(c_))
    mm2 = min(max(B[r, c] for c in range(c_)) for r in range(r_))
    checks: dict[str, Any] = {
        "minmax": _close(ex["minmax"][0], mm1, 1e-12) and _close(ex["minmax"][1], mm2, 1e-12)
    }
    ok = True
    for item in ex["trigger_delta"]:
        d = item["trigger_delta"]
        if d is None:
            continue
        r = list(game.strategies[0]).index(item["profile"][0])
        c = list(game.strategies[1]).index(item["profile"][1])
        stage = [e["payoffs"] for e in ex["stage_nash"]]
        d = Fraction(d) if isinstance(d, Fraction) else Fraction(float(d))

        pairs = ((A[r, c], max(A[:, c])), (B[r, c], max(B[r, :])))

        def holds(delta: Fraction, e: list, pairs: tuple = pairs) -> bool:
            # staying earns u forever; deviating earns dev once, then the reversion payoff e
            return all(
                u >= (1 - delta) * dev + delta * Fraction(e[i]) - Fraction(1, 10**9)
                for i, (u, dev) in enumerate(pairs)
            )

        ok &= any(holds(d, e) for e in stage)
        if d > 0:
            ok &= not any(holds(d - Fraction(1, 1000) if d > Fraction(1, 1000) else d / 2, e) for e in stage)
    checks["trigger_delta"] = ok
    verts = [(float(a), float(b)) for a, b in ex.get("payoff_set_vertices", [])]
    if verts:
        pts = np.array([[float(A[r, c]), float(B[r, c])] for r in range(r_) for c in range(c_)])
        feas = True
        for v in verts:  # in the convex hull of the payoff vectors: a small LP-free test by support lines
            for ang in np.linspace(0, 2 * np.pi, 360, endpoint=False):
                h = np.array([np.cos(ang), np.sin(ang)])
                feas &= float(h @ v) <= float((pts @ h).max()) + tol
        checks["feasible"] = bool(feas)
        checks["individually_rational"] = all(
            v[0] >= float(mm1) - tol and v[1] >= float(mm2) - tol for v in verts
        )
        V = np.array(verts)
        pure_ne = [
            (float(A[r, c]), float(B[r, c]))
            for r in range(r_)
            for c in range(c_)
            if A[r, c] == max(A[:, c]) and B[r, c] == max(B[r, :])
        ]
        contains = True
        for p in pure_ne:
            for ang in np.linspace(0, 2 * np.pi, 360, endpoint=False):
                h = np.array([np.cos(ang), np.sin(ang)])
                contains &= float(h @ np.array(p)) <= float((V @ h).max()) + tol
        checks["contains_pure_stage_nash"] = bool(contains)
    return _finish(checks)
