"""The vectorised kernel of :mod:`bargaining.solvers.signaling_batch`: the nine slot tests of a
stack of two-type 2×2×2 signaling games (:func:`solve_222`) and the non-generic points they cannot
decide (:func:`nongeneric`). The slots and their conditions are in that module's docstring.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from bargaining.solvers.signaling_stack import SLOTS, TOL, BatchResult, SignalingBatch

__all__ = ["nongeneric", "single_tie", "solve_222"]


def _interval_where_r0(d0: np.ndarray, d1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Beliefs μ ∈ [0, 1] (in type 0) with μ d0 + (1 − μ) d1 ≥ 0, as [lo, hi] (lo > hi: empty)."""
    slope = d0 - d1
    with np.errstate(divide="ignore", invalid="ignore"):
        thr = np.where(slope != 0, -d1 / slope, np.nan)
    lo = np.where(slope > 0, np.maximum(thr, 0.0), 0.0)
    hi = np.where(slope < 0, np.minimum(thr, 1.0), 1.0)
    flat_ok = d1 >= 0
    lo = np.where(slope == 0, np.where(flat_ok, 0.0, 1.0), lo)
    hi = np.where(slope == 0, np.where(flat_ok, 1.0, 0.0), hi)
    return lo, hi


def _threshold(d0: np.ndarray, d1: np.ndarray) -> np.ndarray:
    """The belief ``μ̂`` with ``μ̂ d0 + (1 − μ̂) d1 = 0`` (``nan`` if none). A slope ``d0 − d1``
    within the relative tolerance of zero counts as zero: it is rounding of equal receiver
    payoffs (a threshold far outside [0, 1] unless ``d0 ≈ d1 ≈ 0``, a tie :func:`nongeneric` flags)."""
    slope = d0 - d1
    flat = np.abs(slope) <= TOL * (np.abs(d0) + np.abs(d1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(flat, np.nan, -d1 / slope)


def nongeneric(b: SignalingBatch, tol: float = TOL) -> np.ndarray:
    """(N,) bool: the games at which the nine slots are not proven to be every PBE family.

    The slots assume a *generic* game: every weak inequality they test is strict and every
    system they solve has a unique solution. This function tests, within the relative
    tolerance ``tol`` (payoff differences against ``tol · (1 + max |payoff|)``, probabilities
    against ``tol``), the ties whose absence makes that true:

    1. a prior of 0 or 1 (``p ≤ tol`` or ``p ≥ 1 − tol``);
    2. the receiver: indifferent between the responses after some message at a degenerate belief
       (``d_t(m) ≈ 0``, so a threshold ``μ̂_m`` is 0 or 1) or at the prior
       (``p d_0(m) + (1 − p) d_1(m) ≈ 0``, the pooling slots' response);
    3. a sender type: two of its four outcome values ``U_S(t, m, r)`` equal (a type indifferent
       between messages at some pair of pure responses, or between the responses after a message),
       except a single tie across messages that cannot carry a family (:func:`_outcome_ties`);
    4. two types indifferent between the messages at the *same* receiver mixture: after ``m``
       with a pure response after the other message, both types' indifference points
       ``x_t = (V_t(m', r') − U_S(t, m, 1)) / (U_S(t, m, 0) − U_S(t, m, 1))`` lie in [0, 1] and
       coincide (this is where a one-dimensional family appears, e.g. ``resolve-signal`` at
       ``c_S = 1/3``: both types indifferent at ``ρ_E(C) = 5/12``); with both responses mixed,
       the two types' indifference lines in ``(x_0, x_1)`` coincide (every 2×2 minor of the
       system ``A_t0 x_0 − A_t1 x_1 = B_t1 − B_t0`` vanishes);
    5. the sender indifferent in a later stage (``SignalingBatch.stage_tie``).

    Every validity test of a slot is an equation in these quantities (``x = 0`` at a semi-separating
    slot is a tie of kind 3, ``σ = 1`` is ``μ̂ = p``, a type indifferent at the other type's
    deterring bound is kind 4, ...), so off this set each test is strict by a margin the
    floating-point evaluation cannot flip, and the slots are every PBE family (each a single
    profile with its off-path belief interval). :func:`solve_222` also checks each validity test's
    margin directly and ORs the result in (``BatchResult.generic``). The set has measure zero
    in payoff space unless the game's form forces a tie (then every point goes to the per-game solver).
    """
    US, UR, p = b.US, b.UR, b.prior0
    N = b.size
    su = 1 + np.abs(US.reshape(N, -1)).max(axis=1)
    sr = 1 + np.abs(UR.reshape(N, -1)).max(axis=1)
    out = (p <= tol) | (p >= 1 - tol)
    d = UR[..., 0] - UR[..., 1]  # (N, T, M)
    out |= np.any(np.abs(d.reshape(N, -1)) <= tol * sr[:, None], axis=1)
    g = p[:, None] * d[:, 0, :] + (1 - p[:, None]) * d[:, 1, :]  # (N, M)
    out |= np.any(np.abs(g) <= tol * sr[:, None], axis=1)
    out |= _outcome_ties(b, d, su, sr, tol)[0]
    A = US[..., 0] - US[..., 1]  # (N, T, M)
    B = US[..., 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        for m in (0, 1):
            mo = 1 - m
            for xo in (0.0, 1.0):
                x = (B[:, :, mo] + xo * A[:, :, mo] - B[:, :, m]) / A[:, :, m]  # (N, T)
                inside = np.all((x >= -tol) & (x <= 1 + tol), axis=1)
                out |= inside & (np.abs(x[:, 0] - x[:, 1]) <= tol)
    r = B[:, :, 1] - B[:, :, 0]  # (N, T)
    s2 = tol * su * su
    m1 = A[:, 0, 0] * A[:, 1, 1] - A[:, 1, 0] * A[:, 0, 1]
    m2 = A[:, 0, 0] * r[:, 1] - A[:, 1, 0] * r[:, 0]
    m3 = A[:, 0, 1] * r[:, 1] - A[:, 1, 1] * r[:, 0]
    out |= (np.abs(m1) <= s2) & (np.abs(m2) <= s2) & (np.abs(m3) <= s2)
    if b.stage_tie is not None:
        out |= np.asarray(b.stage_tie, bool)
    return out


def _outcome_ties(
    b: SignalingBatch, d: np.ndarray, su: np.ndarray, sr: np.ndarray, tol: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(N,) bool: the ties of kind 3 of :func:`nongeneric` (two equal outcome values of a sender
    type) that the nine slots may not decide.

    Every such tie counts, except **one tie across messages**: exactly one of the twelve pairs is
    tied, and it is ``U_S(t, m, r) = U_S(t, m', r')`` with ``m ≠ m'``. The family that tie alone
    adds to the nine slots is type ``t`` mixing over ``m`` and ``m'`` with the receiver answering
    ``r`` after ``m`` and ``r'`` after ``m'`` purely, and the other type ``j`` pure on a message
    ``n`` (``j`` mixing would need a second tie; a receiver mixing after ``n`` would need
    ``x_n = r`` by ``t``'s indifference, a pure response; after ``n̄ ≠ n`` the belief is
    degenerate, where the receiver is strict by kind 2). It exists only if, for some ``n``:
    (a) the response after ``n̄`` is a best reply to the belief on ``t``; (b) the response after
    ``n`` is a best reply to some belief between the prior and the belief on ``j``, the Bayes
    beliefs as ``σ_t(n)`` ranges over [0, 1]; (c) ``j`` weakly prefers ``n``. Each test is made
    with the tolerance on the permissive side, so a point is kept out of the batch whenever the
    family may exist. Where it cannot, the tie enters the slots only as an equality of a
    validity or refinement test at a pure response (a deterring bound at 0 or 1, a separating
    incentive constraint, an equilibrium-dominance comparison), which :func:`solve_222` tests
    directly (``near``) and routes. Example: ``resolve-signal`` at ``c_B = 0``, where the bluffer
    values ``(E, C)`` and ``(N, C)`` alike but the receiver advances after any message that
    reveals the bluffer, so (a) fails. (Such a family always reaches a slot's profile, ``σ_t(n)``
    at 0 or 1, where the tie is an equality of that slot's test, so ``near`` routes it too; the
    test here does not rely on that.)"""
    US, p = b.US, b.prior0
    N = b.size
    v = US.reshape(N, 2, 4)  # outcome (m, r) at index 2 m + r
    pairs = list(itertools.combinations(range(4), 2))
    tied = np.stack(
        [np.abs(v[:, :, i] - v[:, :, k]) <= tol * su[:, None] for i, k in pairs], axis=2
    )  # (N, T, 6)
    count = tied.sum(axis=(1, 2))
    out = count > 1
    single = count == 1
    # per game: the one tie's type and the flat indices (2 m + r) of its two outcomes (-1: none)
    t_all = np.full(N, -1, dtype=np.int64)
    i_all = np.full(N, -1, dtype=np.int64)
    k_all = np.full(N, -1, dtype=np.int64)
    if not single.any():
        return out, t_all, i_all, k_all
    idx = np.flatnonzero(single)
    flat = np.nonzero(tied[idx].reshape(len(idx), -1))[1]
    t_of, pair_of = flat // 6, flat % 6
    family = np.zeros(len(idx), bool)
    same_msg = np.zeros(len(idx), bool)
    pr = p[idx]
    srs = sr[idx] * tol
    sus = su[idx] * tol
    for k, (i, kk) in enumerate(pairs):
        (m, r), (m2, r2) = divmod(i, 2), divmod(kk, 2)
        for t in (0, 1):
            sel = (t_of == t) & (pair_of == k)
            if not sel.any():
                continue
            if m == m2:
                same_msg |= sel
                continue
            j = 1 - t
            resp = {m: r, m2: r2}
            dt = d[idx, t, :]  # (n, M): d_t(message)
            for n in (m, m2):
                nb = 1 - n
                # (a) the response after nb is a best reply at the belief on t
                a_ok = dt[:, nb] >= -srs if resp[nb] == 0 else dt[:, nb] <= srs
                # (b) the response after n at some belief between the prior and the belief on j
                g_p = pr * d[idx, 0, n] + (1 - pr) * d[idx, 1, n]
                g_j = d[idx, j, n]
                if resp[n] == 0:
                    b_ok = np.maximum(g_p, g_j) >= -srs
                else:
                    b_ok = np.minimum(g_p, g_j) <= srs
                # (c) j weakly prefers n
                c_ok = US[idx, j, n, resp[n]] >= US[idx, j, nb, resp[nb]] - sus
                family |= sel & a_ok & b_ok & c_ok
    out[idx] = family | same_msg
    keep = ~(family | same_msg)
    t_all[idx[keep]] = t_of[keep]
    i_all[idx[keep]] = np.array([pairs[q][0] for q in pair_of[keep]], dtype=np.int64)
    k_all[idx[keep]] = np.array([pairs[q][1] for q in pair_of[keep]], dtype=np.int64)
    return out, t_all, i_all, k_all


def single_tie(b: SignalingBatch, tol: float = TOL) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The games whose only sender tie is one tie across messages that no family can use
    (:func:`_outcome_ties`): per game the tied type ``t`` and the flat indices ``2 m + r`` of the
    two tied outcomes (``-1`` where there is no such tie). A caller that checks such a tie in
    exact arithmetic passes those games to :func:`solve_222` as ``exact_tie``."""
    US, UR = b.US, b.UR
    N = b.size
    su = 1 + np.abs(US.reshape(N, -1)).max(axis=1)
    sr = 1 + np.abs(UR.reshape(N, -1)).max(axis=1)
    _, t, i, k = _outcome_ties(b, UR[..., 0] - UR[..., 1], su, sr, tol)
    return t, i, k


def solve_222(b: SignalingBatch, exact_tie: np.ndarray | None = None) -> BatchResult:
    """The nine slots of every game of ``b`` (see :mod:`bargaining.solvers.signaling_batch`).

    ``exact_tie`` ((N,) bool, optional): games whose one tie across messages
    (:func:`single_tie`) the caller has checked to hold *exactly* (in the exact payoffs the
    per-game solver uses) and has made bit-equal in ``b.US``. There, a sender's value at a pure
    response is the payoff entry itself (not ``B + x A``), so every test that compares two of a
    type's entries is decided exactly, and such a test found *at* its bound (a deterring
    response of exactly 0 or 1, a separating incentive constraint with equality, a
    semi-separating response of exactly 0 or 1) is decided by the batch instead of routed: the
    equality is the tie itself. Every other game is solved as without it."""
    US, UR, p = b.US, b.UR, b.prior0
    N = b.size
    q = 1 - p
    d = UR[..., 0] - UR[..., 1]  # (N, T, M)
    A = US[..., 0] - US[..., 1]  # (N, T, M): value of x (prob. of response 0)
    B = US[..., 1]
    # slot-major storage: every write below is contiguous
    valid = np.empty((SLOTS, N), bool)
    S0 = np.empty((SLOTS, N, 2))  # σ_t(message 0)
    X = np.empty((SLOTS, N, 2))  # ρ_m(response 0), nan off the path
    mu = np.empty((SLOTS, N, 2))
    off_lo = np.full((SLOTS, N), np.nan)
    off_hi = np.full((SLOTS, N), np.nan)
    x_lo = np.full((SLOTS, N), np.nan)
    x_hi = np.full((SLOTS, N), np.nan)
    tp = np.empty((SLOTS, N, 2))
    rp = np.empty((SLOTS, N))
    ic = np.ones((SLOTS, N), bool)
    d1f = np.ones((SLOTS, N), bool)
    # where some slot's validity test holds within the tolerance of its bound (see nongeneric)
    edge_ = np.zeros(N, bool)
    su = 1 + np.abs(US.reshape(N, -1)).max(axis=1)

    tie = None if exact_tie is None or not np.any(exact_tie) else np.asarray(exact_tie, bool)

    def near(a: Any, bound: Any, scale: Any = 1.0, at_tie: bool = False) -> None:
        """Flag the games where ``a`` is within the tolerance of ``bound``; with ``at_tie``
        (``a`` compares two sender entries), not the exact-tie games where it is exactly there."""
        nonlocal edge_
        a = np.asarray(a, dtype=float)
        with np.errstate(invalid="ignore"):
            close = np.isfinite(a) & (np.abs(a - bound) <= TOL * scale)
            if at_tie and tie is not None:
                close &= ~(tie & (a == bound))
            edge_ |= close

    nwf = np.ones((SLOTS, N), bool)

    def br(mu_: np.ndarray, m: int) -> np.ndarray:
        """1.0 if response 0 is a best response at belief mu_ after m (ties → response 0)."""
        g = mu_ * d[:, 0, m] + (1 - mu_) * d[:, 1, m]
        return (g >= 0).astype(float)

    def value(t: int, m: int, x: np.ndarray) -> np.ndarray:
        v = B[:, t, m] + x * A[:, t, m]
        if tie is None:
            return v
        # at an exact tie a pure response's value is the entry itself (exact comparisons)
        return np.where(tie & (x == 1), US[:, t, m, 0], np.where(tie & (x == 0), US[:, t, m, 1], v))

    def rec(t: int, m: int, x: np.ndarray) -> np.ndarray:
        return UR[:, t, m, 1] + x * (UR[:, t, m, 0] - UR[:, t, m, 1])

    # off-path beliefs put weight only on positive-prior types (see the module docstring)
    bl = np.where(p >= 1, 1.0, 0.0)
    bh = np.where(p <= 0, 0.0, 1.0)
    edge = (p <= 0) | (p >= 1)  # one type has prior 0: its refinements hold trivially
    # ---- pooling (slots 0, 1)
    for m in (0, 1):
        s, mo = m, 1 - m
        x = br(p, m)
        u = np.stack([value(0, m, x), value(1, m, x)], axis=1)
        # deterring x after mo: B_t + x A_t <= u_t for both t
        lo_x = np.zeros(N)
        hi_x = np.ones(N)
        feas = np.ones(N, bool)
        for t in (0, 1):
            a_, c_ = A[:, t, mo], u[:, t] - B[:, t, mo]
            with np.errstate(divide="ignore", invalid="ignore"):
                bound = c_ / a_
            hi_x = np.where(a_ > 0, np.minimum(hi_x, bound), hi_x)
            lo_x = np.where(a_ < 0, np.maximum(lo_x, bound), lo_x)
            feas &= np.where(a_ == 0, c_ >= 0, True)
            near(np.where(a_ == 0, c_, np.nan), 0.0, su)
            near(np.where(a_ != 0, bound, np.nan), 0.0, at_tie=True)
            near(np.where(a_ != 0, bound, np.nan), 1.0, at_tie=True)
            if t == 0:
                bound0 = np.where(a_ != 0, bound, np.nan)
            else:
                near(bound0 - bound, 0.0)  # both types deterred at the same response
        feas &= lo_x <= hi_x
        r0_ok = np.maximum(d[:, 0, mo], d[:, 1, mo]) >= 0  # response 0 is a BR to some belief
        r1_ok = np.minimum(d[:, 0, mo], d[:, 1, mo]) <= 0
        thr = _threshold(d[:, 0, mo], d[:, 1, mo])
        has_thr = np.isfinite(thr) & (thr >= 0) & (thr <= 1)
        near(thr, 0.0)
        near(thr, 1.0)
        near(thr, p)
        det0 = feas & (hi_x >= 1) & r0_ok
        det1 = feas & (lo_x <= 0) & r1_ok
        detm = feas & has_thr
        I0lo, I0hi = _interval_where_r0(d[:, 0, mo], d[:, 1, mo])
        I1lo, I1hi = _interval_where_r0(-d[:, 0, mo], -d[:, 1, mo])
        inf = np.inf
        # beliefs only on positive-prior types: μ = 0 if p = 0, μ = 1 if p = 1
        I0lo, I0hi = np.maximum(I0lo, bl), np.minimum(I0hi, bh)
        I1lo, I1hi = np.maximum(I1lo, bl), np.minimum(I1hi, bh)
        det0 &= I0lo <= I0hi
        det1 &= I1lo <= I1hi
        detm &= (thr >= bl) & (thr <= bh)
        lo = np.minimum.reduce(
            [np.where(det0, I0lo, inf), np.where(det1, I1lo, inf), np.where(detm, thr, inf)]
        )
        hi = np.maximum.reduce(
            [np.where(det0, I0hi, -inf), np.where(det1, I1hi, -inf), np.where(detm, thr, -inf)]
        )
        ok = lo <= hi
        valid[s] = ok
        S0[s] = 1.0 if m == 0 else 0.0
        X[s, :, m] = x
        X[s, :, mo] = np.nan
        mu[s, :, m] = p
        mu[s, :, mo] = np.nan
        off_lo[s] = np.where(ok, lo, np.nan)
        off_hi[s] = np.where(ok, hi, np.nan)
        xl = np.minimum.reduce(
            [np.where(det0, 1.0, inf), np.where(det1, 0.0, inf), np.where(detm, np.clip(lo_x, 0, 1), inf)]
        )
        xh = np.maximum.reduce(
            [np.where(det0, 1.0, -inf), np.where(det1, 0.0, -inf), np.where(detm, np.clip(hi_x, 0, 1), -inf)]
        )
        x_lo[s] = np.where(ok, xl, np.nan)
        x_hi[s] = np.where(ok, xh, np.nan)
        tp[s] = u
        rp[s] = p * rec(0, m, x) + q * rec(1, m, x)
        # -- intuitive criterion at mo
        best = np.stack(
            [
                np.maximum(np.where(r0_ok, US[:, t, mo, 0], -inf), np.where(r1_ok, US[:, t, mo, 1], -inf))
                for t in (0, 1)
            ],
            axis=1,
        )
        J = u > best  # equilibrium-dominated
        worst_all = np.stack(
            [
                np.minimum(np.where(r0_ok, US[:, t, mo, 0], inf), np.where(r1_ok, US[:, t, mo, 1], inf))
                for t in (0, 1)
            ],
            axis=1,
        )

        def worst_at_point(t: int, mo: int = mo) -> np.ndarray:
            """Worst payoff of type t among best replies to the belief concentrated on t."""
            dt = d[:, t, mo]
            return np.where(
                dt > 0,
                US[:, t, mo, 0],
                np.where(dt < 0, US[:, t, mo, 1], np.minimum(US[:, t, mo, 0], US[:, t, mo, 1])),
            )

        fail_none = ~J[:, 0] & ~J[:, 1] & ((worst_all[:, 0] > u[:, 0]) | (worst_all[:, 1] > u[:, 1]))
        fail_j0 = J[:, 0] & ~J[:, 1] & (worst_at_point(1) > u[:, 1])
        fail_j1 = J[:, 1] & ~J[:, 0] & (worst_at_point(0) > u[:, 0])
        ic[s] = ~(fail_none | fail_j0 | fail_j1)
        # -- D1 at mo: x ranges over X = [xmin, xmax]
        xmin = np.where(r1_ok, 0.0, 1.0)
        xmax = np.where(r0_ok, 1.0, 0.0)
        wl, wh, we = [], [], []
        for t in (0, 1):
            a_, c_ = A[:, t, mo], u[:, t] - B[:, t, mo]
            with np.errstate(divide="ignore", invalid="ignore"):
                bound = c_ / a_
            l_ = np.where(a_ > 0, np.maximum(xmin, bound), xmin)
            h_ = np.where(a_ < 0, np.minimum(xmax, bound), xmax)
            empty = np.where(a_ == 0, c_ > 0, l_ > h_)
            wl.append(l_)
            wh.append(h_)
            we.append(empty)
        deleted = []
        for t in (0, 1):
            o = 1 - t
            strict = (value(o, mo, wl[t]) > u[:, o]) & (value(o, mo, wh[t]) > u[:, o])
            deleted.append(we[t] | strict)
        only0 = deleted[0] & ~deleted[1]  # beliefs must sit on type 1: μ = 0
        only1 = deleted[1] & ~deleted[0]  # μ = 1
        d1f[s] = ~((only0 & ~(lo <= 0)) | (only1 & ~(hi >= 1)))
        # -- NWBR at mo (bargaining.solvers.divinity): t is removed if every x in X at which t is
        # indifferent gives the other type strictly more than u (or no x leaves t indifferent)
        removed = []
        for t in (0, 1):
            o = 1 - t
            a_, c_ = A[:, t, mo], u[:, t] - B[:, t, mo]
            with np.errstate(divide="ignore", invalid="ignore"):
                xs = c_ / a_
            il = np.where(a_ == 0, xmin, xs)
            ih = np.where(a_ == 0, xmax, xs)
            empty = np.where(a_ == 0, c_ != 0, (xs < xmin) | (xs > xmax))
            strict = (value(o, mo, il) > u[:, o]) & (value(o, mo, ih) > u[:, o])
            removed.append(empty | strict)
        only0 = removed[0] & ~removed[1]
        only1 = removed[1] & ~removed[0]
        nwf[s] = ~((only0 & ~(lo <= 0)) | (only1 & ~(hi >= 1)))
        ic[s] |= edge
        d1f[s] |= edge
        nwf[s] |= edge

    # ---- separating (slots 2, 3): type 0 sends m, type 1 sends 1 - m
    # With a zero-prior type its message is off the path and the belief there is on the other
    # type (μ = 0 after m if p = 0, μ = 1 after 1 - m if p = 1); the same incentive constraints.
    for s, m in ((2, 0), (3, 1)):
        mo = 1 - m
        off_a, off_b = p <= 0, p >= 1
        xa = br(np.where(off_a, 0.0, 1.0), m)
        xb = br(np.where(off_b, 1.0, 0.0), mo)
        u0 = value(0, m, xa)
        u1 = value(1, mo, xb)
        ok = (value(0, mo, xb) <= u0) & (value(1, m, xa) <= u1)
        near(value(0, mo, xb) - u0, 0.0, su, at_tie=True)
        near(value(1, m, xa) - u1, 0.0, su, at_tie=True)
        valid[s] = ok
        S0[s, :, 0] = 1.0 if m == 0 else 0.0
        S0[s, :, 1] = 1.0 if mo == 0 else 0.0
        X[s, :, m] = np.where(off_a, np.nan, xa)
        X[s, :, mo] = np.where(off_b, np.nan, xb)
        mu[s, :, m] = np.where(off_a, np.nan, 1.0)
        mu[s, :, mo] = np.where(off_b, np.nan, 0.0)
        x_off = np.where(off_a, xa, np.where(off_b, xb, np.nan))
        off_lo[s] = np.where(ok & edge, bl, np.nan)
        off_hi[s] = np.where(ok & edge, bh, np.nan)
        x_lo[s] = np.where(ok, x_off, np.nan)
        x_hi[s] = np.where(ok, x_off, np.nan)
        tp[s, :, 0] = u0
        tp[s, :, 1] = u1
        rp[s] = np.where(off_a, 0.0, p * rec(0, m, xa)) + np.where(off_b, 0.0, q * rec(1, mo, xb))

    # ---- semi-separating, one type mixes (slots 4..7): mixer i, pure type j sends m
    for i in (0, 1):
        j = 1 - i
        for m in (0, 1):
            s = 4 + 2 * i + m
            mo = 1 - m
            mu_mo = np.full(N, 1.0 if i == 0 else 0.0)
            xo = br(mu_mo, mo)
            v_i = value(i, mo, xo)
            thr = _threshold(d[:, 0, m], d[:, 1, m])
            with np.errstate(divide="ignore", invalid="ignore"):
                if i == 0:
                    sig = thr * q / (p * (1 - thr))  # σ_0(m): μ_m = pσ/(pσ + q)
                    ok = (thr > 0) & (thr < p)
                else:
                    sig = p * (1 - thr) / (q * thr)  # σ_1(m): μ_m = p/(p + qσ)
                    ok = (thr > p) & (thr < 1)
                x = (v_i - B[:, i, m]) / A[:, i, m]
            ok &= np.isfinite(sig) & (sig > 0) & (sig < 1) & np.isfinite(x) & (x > 0) & (x < 1)
            ok &= value(j, m, x) >= value(j, mo, xo)
            for v_, b_ in ((thr, 0.0), (thr, 1.0), (thr, p), (sig, 0.0), (sig, 1.0)):
                near(v_, b_)
            near(x, 0.0, at_tie=True)
            near(x, 1.0, at_tie=True)
            near(value(j, m, x) - value(j, mo, xo), 0.0, su)
            valid[s] = ok
            S0[s, :, i] = sig if m == 0 else 1 - sig
            S0[s, :, j] = 1.0 if m == 0 else 0.0
            X[s, :, m] = x
            X[s, :, mo] = xo
            mu[s, :, m] = thr
            mu[s, :, mo] = mu_mo
            tp[s, :, i] = v_i
            tp[s, :, j] = value(j, m, x)
            P_i = p if i == 0 else q
            P_j = q if i == 0 else p
            rp[s] = P_j * rec(j, m, x) + P_i * (sig * rec(i, m, x) + (1 - sig) * rec(i, mo, xo))

    # ---- both types mix (slot 8)
    s = 8
    t0 = _threshold(d[:, 0, 0], d[:, 1, 0])
    t1 = _threshold(d[:, 0, 1], d[:, 1, 1])
    with np.errstate(divide="ignore", invalid="ignore"):
        P0 = (p - t1) / (t0 - t1)  # P(message 0)
        det = -A[:, 0, 0] * A[:, 1, 1] + A[:, 0, 1] * A[:, 1, 0]
        r0_ = B[:, 0, 1] - B[:, 0, 0]
        r1_ = B[:, 1, 1] - B[:, 1, 0]
        x0 = (r0_ * (-A[:, 1, 1]) - (-A[:, 0, 1]) * r1_) / det
        x1 = (A[:, 0, 0] * r1_ - A[:, 1, 0] * r0_) / det
        s00 = P0 * t0 / p
        s10 = P0 * (1 - t0) / q
    ok = (
        np.isfinite(P0)
        & (P0 > 0)
        & (P0 < 1)
        & (t0 > 0)
        & (t0 < 1)
        & (t1 > 0)
        & (t1 < 1)
        & np.isfinite(x0)
        & np.isfinite(x1)
        & (x0 > 0)
        & (x0 < 1)
        & (x1 > 0)
        & (x1 < 1)
        & (s00 > 0)
        & (s00 < 1)
        & (s10 > 0)
        & (s10 < 1)
    )
    for v_ in (P0, t0, t1, x0, x1, s00, s10):
        near(v_, 0.0)
        near(v_, 1.0)
    valid[s] = ok
    S0[s, :, 0] = s00
    S0[s, :, 1] = s10
    X[s, :, 0] = x0
    X[s, :, 1] = x1
    mu[s, :, 0] = t0
    mu[s, :, 1] = t1
    tp[s, :, 0] = value(0, 0, x0)
    tp[s, :, 1] = value(1, 0, x0)
    rp[s] = p * (s00 * rec(0, 0, x0) + (1 - s00) * rec(0, 1, x1)) + q * (
        s10 * rec(1, 0, x0) + (1 - s10) * rec(1, 1, x1)
    )

    M = b.messages
    labels = (f"pooling on {M[0]}", f"pooling on {M[1]}", "separating", "separating") + (
        "semi-separating",
    ) * 5
    T = np.moveaxis  # (slot, game, ...) -> (game, slot, ...): views, no copies
    generic = ~(edge_ | nongeneric(b))
    return BatchResult(
        b,
        T(valid, 0, 1),
        T(S0, 0, 1),
        T(X, 0, 1),
        T(mu, 0, 1),
        T(off_lo, 0, 1),
        T(off_hi, 0, 1),
        T(x_lo, 0, 1),
        T(x_hi, 0, 1),
        T(tp, 0, 1),
        T(rp, 0, 1),
        T(ic & valid, 0, 1),
        T(d1f & valid, 0, 1),
        labels,
        generic,
        d2=T(d1f & valid, 0, 1),
        nwbr=T(nwf & valid, 0, 1),
    )
