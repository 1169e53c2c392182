r"""Crawford–Sobel (1982) cheap talk with uniform types and quadratic losses: the partition
equilibria in closed form (difference equation) and by root finding, each tested against NITS
(Chen, Kartik and Sobel 2008; :func:`nits`). The certificate is
:func:`bargaining.verify.models.verify_cs` (run by the dispatcher)."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import SolverError
from bargaining.model.bargaining import CrawfordSobel
from bargaining.model.profile import Equilibrium
from bargaining.solvers.models.common import num

__all__ = [
    "cs_max_intervals",
    "cs_boundaries",
    "cs_boundaries_numeric",
    "cs_losses",
    "solve_crawford_sobel",
    "batch_crawford_sobel",
    "nits",
]


def cs_max_intervals(b: Any) -> Any:
    r"""**Vectorised.** N*(b): the largest N with 2N(N − 1)b < 1 (Crawford–Sobel 1982, §4;
    equivalently ⌈−1/2 + √(1 + 2/b)/2⌉). Exact for Fractions (integer search)."""
    if isinstance(b, np.ndarray):
        nv = np.ceil(-0.5 + 0.5 * np.sqrt(1 + 2 / b)).astype(int)
        nv = np.maximum(nv, 1)
        # guard the float formula at the boundaries
        nv = np.where(2 * nv * (nv - 1) * b >= 1, nv - 1, nv)
        nv = np.where(2 * (nv + 1) * nv * b < 1, nv + 1, nv)
        return nv
    n = max(1, int(math.ceil(-0.5 + 0.5 * math.sqrt(1 + 2 / float(b)))))
    while n > 1 and 2 * n * (n - 1) * b >= 1:
        n -= 1
    while 2 * (n + 1) * n * b < 1:
        n += 1
    return n


def cs_boundaries(b: Any, N: int, direction: int = 1) -> list[Any]:
    r"""Boundaries t_0 = 0 < t_1 < … < t_N = 1 of the N-interval equilibrium: the sender type
    t_i is indifferent between the actions a_i = (t_{i−1} + t_i)/2 and a_{i+1}, which gives the
    difference equation t_{i+1} = 2t_i − t_{i−1} + 4sb (s = direction), so
    t_i = i/N − 2sb·i(N − i) (Crawford–Sobel 1982, eq. (21)). Exact for Fractions."""
    s = direction
    return [
        Fraction(i, N) - 2 * s * b * i * (N - i)
        if isinstance(b, Fraction)
        else i / N - 2 * s * b * i * (N - i)
        for i in range(N + 1)
    ]


def cs_boundaries_numeric(b: float, N: int, direction: int = 1) -> list[float]:
    r"""Independent check: solve the N − 1 indifference conditions
    (t_i + sb − a_i)² = (t_i + sb − a_{i+1})² with a_i the interval midpoints by scipy's
    ``fsolve``, starting from the uniform partition."""
    from scipy.optimize import fsolve

    if N == 1:
        return [0.0, 1.0]
    s = direction

    def eqs(t: np.ndarray) -> np.ndarray:
        full = np.concatenate([[0.0], t, [1.0]])
        a = (full[:-1] + full[1:]) / 2
        ideal = full[1:-1] + s * b
        return (ideal - a[:-1]) ** 2 - (ideal - a[1:]) ** 2

    sol, info, ok, msg = fsolve(eqs, np.arange(1, N) / N, full_output=True, xtol=1e-13)
    if ok != 1 and float(np.max(np.abs(eqs(sol)))) > 1e-14:
        raise SolverError(f"crawford-sobel: root finding failed for N = {N}: {msg}")
    return [0.0, *map(float, sol), 1.0]


def cs_losses(b: Any, N: Any) -> tuple[Any, Any]:
    r"""**Vectorised.** Expected losses in the N-interval equilibrium: receiver
    Σ(t_i − t_{i−1})³/12 = 1/(12N²) + b²(N² − 1)/3; sender: receiver's loss + b²."""
    if isinstance(b, Fraction) and isinstance(N, int):
        r = Fraction(1, 12 * N * N) + b * b * (N * N - 1) / 3
    else:
        r = 1 / (12 * N * N) + b * b * (N * N - 1) / 3
    return r, r + b * b


def nits(b: Any, direction: int, t: list[Any], a: list[Any]) -> tuple[bool, str]:
    r"""**NITS**, no incentive to separate (Chen, Kartik and Sobel 2008, *Econometrica* 76(1),
    117-136, Definition 1): the type at the end of the type space *towards which the bias does not
    point* — the lowest type θ = 0 for an upward bias, the highest θ = 1 for a downward one (the
    mirror image θ ↦ 1 − θ) — weakly prefers its equilibrium action to the receiver's best reply
    to knowing its type (a = 0, resp. 1): ``U_S(a_edge, θ_edge) ≥ U_S(θ_edge, θ_edge) = −b²``.

    Uniform-quadratic case (upward bias): type 0 gets a_1 = t_1/2 and wants b, so NITS holds iff
    ``|t_1/2 − b| ≤ b`` iff ``t_1 ≤ 4b``; with ``t_1 = 1/N − 2b(N − 1)`` that is
    ``2bN(N + 1) ≥ 1``. N*(b) is the largest N with ``2bN(N − 1) < 1``, so N* satisfies it
    (``2b(N* + 1)N* ≥ 1``) and every N < N* fails it (``2bN(N + 1) ≤ 2bN*(N* − 1) < 1``):
    NITS selects the most informative equilibrium (Chen, Kartik and Sobel 2008, §4). Evaluated
    from the equilibrium's own boundaries and actions (exact for Fractions). Returns
    ``(holds, note)``."""
    if direction == 1:
        edge, action, ideal, reveal, name = t[0], a[0], t[0] + b, t[0], "lowest"
    else:
        edge, action, ideal, reveal, name = t[-1], a[-1], t[-1] - b, t[-1], "highest"
    eq_loss = (action - ideal) ** 2
    sep_loss = (reveal - ideal) ** 2
    holds = bool(eq_loss <= sep_loss)
    f = (lambda x: str(x)) if isinstance(b, Fraction) else (lambda x: f"{float(x):.6g}")
    note = (
        f"NITS {'holds' if holds else 'fails'}: the {name} type θ = {f(edge)} loses {f(eq_loss)} with its "
        f"equilibrium action {f(action)} and {f(sep_loss)} if it revealed itself (action {f(reveal)}), so it "
        + ("has no incentive to separate" if holds else "would rather separate")
    )
    return holds, note


def solve_crawford_sobel(
    model: CrawfordSobel, exact: bool, numeric_only: bool
) -> tuple[list[Equilibrium], str]:
    """Every partition equilibrium (N = 1..N*), most informative first."""
    P = model.players
    if model.is_batch:
        raise SolverError("a batch of Crawford–Sobel games: use bargaining.solvers.models.batch_closed_form")
    b = num(model.b, exact)
    s = model.direction
    Nmax = cs_max_intervals(b)
    eqs = []
    used = (
        "numeric (root finding on the indifference conditions)"
        if numeric_only
        else "closed form (difference equation)"
    )
    if numeric_only:
        exact = False
        b = float(b)
    for N in range(1, Nmax + 1):
        t = cs_boundaries_numeric(b, N, s) if numeric_only else cs_boundaries(b, N, s)
        a = [(t[i] + t[i + 1]) / 2 for i in range(N)]
        rl, sl = cs_losses(b, N)
        if numeric_only:
            rl = sum((t[i + 1] - t[i]) ** 3 for i in range(N)) / 12
            sl = rl + b * b
        block = {
            "model": "crawford-sobel",
            "intervals": N,
            "max_intervals": Nmax,
            "boundaries": t,
            "actions": a,
            "messages": [f"m{i + 1}" for i in range(N)],
            "expected_loss": {P[0]: sl, P[1]: rl},
            "bias": b,
            "direction": "upward" if s == 1 else "downward",
            "method_used": used,
        }
        ok, note = nits(b, s, t, a)
        block["nits"] = ok
        label = "babbling" if N == 1 else f"{N} messages"
        eqs.append(
            Equilibrium(
                payoffs=(-sl, -rl),
                regret=None,
                label=label,
                extra={"solution": block, "refinements": {"nits": ok}, "refinement_notes": [note]},
            )
        )
    # deterministic order: most informative first
    eqs.reverse()
    return eqs, used


def batch_crawford_sobel(model: CrawfordSobel, f: Any) -> dict[str, Any]:
    """**Vectorised.** N* and the losses of the most informative equilibrium over a batch."""
    b = f(model.b)
    n = cs_max_intervals(b)
    rl, sl = cs_losses(b, n)
    return {"max_intervals": n, "receiver_loss": rl, "sender_loss": sl}
