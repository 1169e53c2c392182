"""Batched sweep path for two-type 2x2 signaling games (concept ``pbe``):
:func:`bargaining.solvers.signaling_batch.solve_batch` (PBE families, intuitive criterion, D1);
boundary points, where the batch reports the generic limit, go through the per-game solver.
A single sender tie across messages is checked in exact arithmetic (the template at that point,
:func:`exact_ties`) and then decided by the batch. The chunk's columns are numpy arrays built
in the table's row order (the per-point rows merged in typed, :func:`_merge_typed`), so that
nothing per cell is built, sent to the parent or converted there.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bargaining.errors import BargainingError
from bargaining.sweep.point import ChunkResult, per_point_rows
from bargaining.sweep.regimes import TAIL, merge_rows, regimes_from_labels
from bargaining.sweep.spec import SweepSpec
from bargaining.sweep.stack import NotAStack, constraints_vector, range_errors

__all__ = ["exact_ties", "solve_chunk_signaling"]


def _signaling_regret(res: Any, gi: np.ndarray, si: np.ndarray) -> np.ndarray:
    """Independent check of each PBE row: the largest gain of a sender type from switching
    message (given the receiver's responses; after an off-path message, the deterring response
    ``x_lo``) and of the receiver from switching response after an on-path message (given the
    Bayes belief). Zero up to rounding for a PBE."""
    b = res.batch
    US, UR = b.US[gi], b.UR[gi]  # (E, T, M, R)
    s0 = res.s0[gi, si]  # (E, T)
    x = res.x[gi, si].copy()  # (E, M), nan off the path
    mu = res.mu[gi, si]
    xlo = res.x_lo[gi, si]
    off = np.isnan(x)
    x = np.where(off, xlo[:, None], x)
    u = x[:, None, :] * US[..., 0] + (1 - x[:, None, :]) * US[..., 1]  # (E, T, M)
    u0, u1 = u[..., 0], u[..., 1]
    # two messages, two responses, two types: pairwise operations (the same arithmetic as
    # nanmax / sum / max over the last axis, without the reductions' overhead)
    sender = np.fmax(u0, u1) - (s0 * u0 + (1 - s0) * u1)  # (E, T)
    eu = mu[..., None] * UR[:, 0] + (1 - mu[..., None]) * UR[:, 1]  # (E, M, R)
    e0, e1 = eu[..., 0], eu[..., 1]
    got = x * e0 + (1 - x) * e1
    receiver = np.nan_to_num(np.where(off, 0.0, np.maximum(e0, e1) - got), nan=0.0)
    with np.errstate(invalid="ignore"):
        return np.maximum(
            np.maximum(sender[:, 0], sender[:, 1]), np.maximum(receiver[:, 0], receiver[:, 1])
        ).clip(min=0.0)


def _column(base: np.ndarray | None, n_base: int, ext: list) -> np.ndarray:
    """``base`` (the batch's rows) followed by the per-point rows' values ``ext``, typed like
    ``base`` where every value fits (the table then holds the same values and types as from
    Python lists), else as objects. A float column whose every value is missing is written as
    missing values without a type, as the lists were."""
    total = n_base + len(ext)
    if base is not None and base.dtype.kind == "f":
        if all(v is None or type(v) in (float, int) for v in ext):
            arr = np.empty(total)
            arr[:n_base] = base
            arr[n_base:] = [np.nan if v is None else v for v in ext]
            if not np.isnan(arr).all():
                return arr
            return np.full(total, None, dtype=object)
    elif base is not None and base.dtype.kind in "iu":
        if all(type(v) is int for v in ext):
            return np.concatenate([base.astype(np.int64), np.asarray(ext, dtype=np.int64)])
    elif base is not None and base.dtype.kind == "b":
        if all(type(v) is bool for v in ext):
            return np.concatenate([base, np.asarray(ext, dtype=bool)])
    arr = np.empty(total, dtype=object)
    if base is None:
        arr[:n_base] = None
    elif base.dtype.kind == "f":
        arr[:n_base] = [None if v != v else v for v in base.tolist()]
    else:
        arr[:n_base] = base.tolist()
    arr[n_base:] = ext
    return arr


def _merge_typed(cols: dict[str, Any], extra: list[dict[str, Any]]) -> dict[str, Any]:
    """The batch's columns plus the per-point rows (dicts), sorted by (point, equilibrium): the
    columns and order of :func:`bargaining.sweep.regimes.merge_rows`, but numeric columns stay
    numpy arrays (no Python object per cell to build, send between processes and convert)."""
    if not extra:
        return cols
    names = list(cols)
    for r in extra:
        for key in r:
            if key not in names:
                names.insert(len([c for c in names if c not in TAIL]), key)
    E = len(cols["point"])
    out = {name: _column(cols.get(name), E, [r.get(name) for r in extra]) for name in names}
    eq = out["equilibrium"]
    eqn = eq if eq.dtype != object else np.array([-1 if v is None else v for v in eq], dtype=np.int64)
    order = np.lexsort((eqn, np.asarray(out["point"], dtype=np.int64)))
    return {name: arr[order] for name, arr in out.items()}


def exact_ties(src: Any, batch: Any, params: dict[str, np.ndarray]) -> tuple[Any, np.ndarray | None]:
    """The games whose one sender tie across messages (``signaling_kernel.single_tie``) holds
    exactly in the per-game solver's exact payoffs (the template at the point, later stages
    reduced), with the two tied entries made bit-equal; the batch then decides them
    (``solve_222``'s ``exact_tie``). A tie that holds only in floating point (or a game with a
    later-stage tie) is not passed: the point stays with the per-game solver."""
    from dataclasses import replace

    from bargaining.solvers.signaling_batch import single_tie

    t, i, k = single_tie(batch)
    cand = np.flatnonzero(t >= 0)
    if not len(cand):
        return batch, None
    exact = np.zeros(batch.size, bool)
    US = np.array(batch.US, dtype=float)  # a writable copy
    for g in cand.tolist():
        try:
            reduced = src.with_params(**{name: float(v[g]) for name, v in params.items()}).reduced()
        except BargainingError:
            continue
        if len(reduced) != 1:
            continue
        (m, r), (m2, r2), tt = divmod(int(i[g]), 2), divmod(int(k[g]), 2), int(t[g])
        ex = reduced[0][0]
        if ex[tt][m][r] == ex[tt][m2][r2]:
            exact[g] = True
            US[g, tt, m2, r2] = US[g, tt, m, r]
    if not exact.any():
        return batch, None
    return replace(batch, US=US), exact


def solve_chunk_signaling(spec: SweepSpec, src: Any, k: int, start: int, stop: int, params) -> ChunkResult:
    """Two-type 2x2 signaling games of the chunk solved at once by
    :func:`bargaining.solvers.signaling_batch.solve_batch` (PBE families with intuitive-criterion
    and D1 flags). The columns are those of the per-game row builder
    (``render_signaling.signaling_row``): ``p:<sender>:<type>:<message>``,
    ``p:<receiver>:<message>:<response>`` (empty after an off-path message) with ``...:lo|hi`` (its
    range: the sustaining responses off the path), ``belief:<message>:<type>`` (empty off the
    path), ``offpath:<message>:<type>:lo|hi`` (the sustaining beliefs), ``payoff:<sender>:<type>``,
    ``outcome:<path>`` (see :func:`bargaining.solvers.signaling_batch.row_columns`),
    ``payoff:<sender>`` (ex ante), ``payoff:<receiver>``, and ``regret``
    (:func:`_signaling_regret`).

    ``dimension`` and ``description`` say what a row stands for: a single profile (dimension 0)
    or a set of PBE (a segment, a polygon, ...) given by its representative point.

    Every point where the batch's generic-case assumptions fail goes through the per-game solver
    (``pbe``), which lists every PBE family there as a set: a prior of 0 or 1, a receiver
    indifferent at a degenerate belief or at the prior, a sender type with two equal outcome
    values, two types indifferent at the same receiver mixture, a later-stage tie, any slot's
    validity test within the relative tolerance of its bound (``BatchResult.generic``, see
    :func:`bargaining.solvers.signaling_batch.nongeneric`), or no family found by the batch.
    Off that measure-zero set the batch's families are exactly the per-game solver's."""
    from bargaining.solvers.signaling_batch import BatchResult, SignalingBatch, row_columns, solve_batch

    n = stop - start
    errors = range_errors(src, params, n)
    good = np.array([j for j in range(n) if errors[j] is None], dtype=np.int64)
    ok = constraints_vector(src, params, n)
    try:
        game0 = (
            src.with_params(**{name: float(params[name][good[0]]) for name in params}) if len(good) else None
        )
    except BargainingError:  # the per-point path records why the point has no game
        raise NotAStack from None
    sender, receiver = (game0.players[0], game0.players[1]) if game0 is not None else ("sender", "receiver")
    cols: dict[str, Any] = {}
    regime = np.full(n, None, dtype=object)
    counts = np.zeros(n, dtype=np.int64)
    complete = np.zeros(n, dtype=bool)
    fallback = np.zeros(0, dtype=np.int64)
    if len(good):
        try:
            batch = SignalingBatch.from_spec(src.evaluate({name: v[good] for name, v in params.items()}))
            batch, exact = exact_ties(src, batch, {name: v[good] for name, v in params.items()})
            res = solve_batch(batch, exact_tie=exact)
        except BargainingError:  # a point the batch refuses (its game is invalid): point by point
            raise NotAStack from None
        assert isinstance(res, BatchResult)  # a body of arrays is solved as one stack
        b = res.batch
        # every point where the batch's generic-case assumptions fail (BatchResult.generic; its
        # tests are listed in signaling_batch.nongeneric) is solved by the per-game solver
        boundary = ~res.generic | (res.count == 0)
        fallback = good[boundary]
        gi, si = np.nonzero(res.valid & ~boundary[:, None])
        T, M, R = b.types, b.messages, b.responses
        # the per-game solver's order: sender pure before mixed, receiver pure before mixed,
        # then by the profile (sigma, rho), larger probabilities first; found first, so that
        # every column below is built in that order (no reordering of the finished columns).
        # Sort key after an off-path message: a pure deterring response if there is one (the first
        # in the file's order), else the deterring mixture closest to it (the per-game solver's choice)
        x = res.x[gi, si]
        xl, xh = res.x_lo[gi, si], res.x_hi[gi, si]
        deter = np.where(xh >= 1 - 1e-12, 1.0, np.where(xl <= 1e-12, 0.0, xl))
        x_off = np.where(np.isnan(x), deter[:, None], x)
        s0 = res.s0[gi, si]
        sig = np.stack(
            [s0[:, t] if m == 0 else 1 - s0[:, t] for t in range(len(T)) for m in range(len(M))], axis=1
        )
        rho = np.stack(
            [x_off[:, m] if r == 0 else 1 - x_off[:, m] for m in range(len(M)) for r in range(len(R))], axis=1
        )
        flat = np.round(np.concatenate([sig, rho], axis=1), 9)
        smixed = np.any((flat[:, : sig.shape[1]] > 0) & (flat[:, : sig.shape[1]] < 1), axis=1)
        rmixed = np.any((flat[:, sig.shape[1] :] > 0) & (flat[:, sig.shape[1] :] < 1), axis=1)
        keys = [-flat[:, j] for j in range(flat.shape[1] - 1, -1, -1)] + [rmixed, smixed, gi]
        order = np.lexsort(keys)
        del x, xl, xh, deter, x_off, s0, sig, rho, flat, smixed, rmixed, keys
        gi, si = gi[order], si[order]
        point = good[gi]
        cols["point"] = start + point
        for name, vals in params.items():
            cols[name] = vals[point]
        cols["equilibrium"] = None  # numbered below (its place among the columns is here)
        cols["label"] = np.asarray(res.labels, dtype=object)[si]
        cols["refinement:intuitive"] = res.intuitive[gi, si]
        cols["refinement:d1"] = res.d1[gi, si]
        cols["refinement:d2"] = res.d2[gi, si]
        cols["refinement:nwbr"] = res.nwbr[gi, si]
        # the columns of the per-game row builder (render_signaling.signaling_row), same order
        cols.update(row_columns(res, gi, si, sender, receiver))
        tp = res.type_payoffs[gi, si]
        p0 = b.prior0[gi]
        cols[f"payoff:{sender}"] = p0 * tp[:, 0] + (1 - p0) * tp[:, 1]
        cols[f"payoff:{receiver}"] = res.receiver_payoff[gi, si]
        cols["regret"] = _signaling_regret(res, gi, si)
        cols["complete"] = np.ones(len(gi), dtype=bool)
        starts = (
            np.concatenate([[0], np.flatnonzero(np.diff(gi)) + 1]) if len(gi) else np.zeros(0, dtype=np.int64)
        )
        first_of = np.repeat(starts, np.diff(np.concatenate([starts, [len(gi)]])))
        cols["equilibrium"] = np.arange(len(gi)) - first_of
        ok_arr = np.asarray(ok, dtype=bool if None not in ok else object)
        cols["constraints_ok"] = ok_arr[point]
        cols["error"] = np.full(len(gi), None, dtype=object)
        label_texts = list(dict.fromkeys(res.labels))
        label_id = np.array([label_texts.index(t) for t in res.labels], dtype=np.int64)[si]
        inner = good[~boundary]
        cnt = res.count[~boundary].astype(np.int64)
        regime[inner] = regimes_from_labels(label_id, label_texts, cnt)
        counts[inner] = cnt
        complete[inner] = True
    bad = [j for j in range(n) if errors[j] is not None]
    extra, summary = per_point_rows(spec, src, start, list(fallback) + bad, params, errors, ok)
    for j, (reg_j, cnt_j, comp_j, _err) in summary.items():
        regime[j], counts[j], complete[j] = reg_j, cnt_j, comp_j
    if not cols:
        cols = {"point": np.zeros(0, dtype=np.int64), "equilibrium": np.zeros(0, dtype=np.int64)}
    cols = _merge_typed(cols, extra) if len(cols["point"]) else merge_rows(cols, extra)
    reg: dict[str, Any] = {"point": start + np.arange(n)}
    for name, vals in params.items():
        reg[name] = vals
    reg["regime"] = regime
    reg["equilibria"] = counts
    reg["complete"] = complete
    reg["constraints_ok"] = np.asarray(ok, dtype=object)
    reg["error"] = np.asarray([summary[j][3] if j in summary else errors[j] for j in range(n)], dtype=object)
    return ChunkResult(k, cols, reg, n, sum(1 for j in range(n) if reg["error"][j] is not None))
