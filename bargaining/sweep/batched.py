"""Batched paths of a sweep: a chunk's games evaluated once as numpy arrays
(``Template.evaluate``) and solved without a Python loop over points in the solver.

- small two-player normal-form games (concept ``nash``):
  :func:`bargaining.solvers.batch.bimatrix_equilibria` (all extreme equilibria);
- perfect-information trees (concept ``spe``): :func:`bargaining.solvers.batch.tree_spe_stack`
  (points with ties, i.e. several SPE, go through the per-point ``backward`` solver);
- two-type 2x2 signaling games (concept ``pbe``):
  :func:`bargaining.solvers.signaling_batch.solve_batch` (PBE families, intuitive criterion,
  D1; boundary points, where the batch reports the generic limit, go through the per-game
  solver).

Each ``solve_chunk_*`` returns the same columns as the per-point path
(:mod:`bargaining.sweep.point`) or raises :class:`NotAStack` when the chunk cannot be batched
(the engine then solves it point by point).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bargaining.errors import BargainingError
from bargaining.sweep.point import ChunkResult, cell, constraints_ok, one_line, per_point_rows, point_rows
from bargaining.sweep.regimes import merge_rows, regime_text, regimes_from_labels
from bargaining.sweep.spec import SweepSpec, source_parameters

__all__ = ["NotAStack", "solve_chunk_bimatrix", "solve_chunk_signaling", "solve_chunk_tree"]


def _build_stack(src: Any, params: dict[str, np.ndarray], n: int):
    """The chunk's games as a payoff stack ``(n, players, s_1, s_2)``, with the game at the
    first good point (for labels), the per-point error messages and ``constraints_ok`` flags.

    A YAML template is evaluated once over the whole chunk (``Template.evaluate``: numpy
    arrays, no loop over points); other sources are built point by point. Points outside a
    parameter's range or with an undefined payoff get the same error as the per-point path."""
    names = list(params)
    errors: list[str | None] = [None] * n
    first = None
    stack = None
    evaluate = getattr(src, "evaluate", None)
    body = getattr(src, "body", None)
    if evaluate is not None and isinstance(body, dict) and getattr(src, "kind", None) == "normal":
        bad = np.zeros(n, dtype=bool)
        for p in source_parameters(src):
            if p.name in params and p.range is not None:
                v, (lo, hi) = params[p.name], p.range
                if lo is not None:
                    bad |= (v < float(lo)) | ((v == float(lo)) & bool(getattr(p, "open_lo", False)))
                if hi is not None:
                    bad |= (v > float(hi)) | ((v == float(hi)) & bool(getattr(p, "open_hi", False)))
        for j in range(n):
            if bad[j] or first is None:
                try:
                    g = src.with_params(**{name: float(params[name][j]) for name in names})
                    first = first if first is not None else g
                except Exception as err:  # noqa: BLE001
                    errors[j] = one_line(err)
        if first is not None:
            try:
                stack = _evaluate_normal(src, first, params)
            except Exception:  # noqa: BLE001 - an unexpected body layout: build point by point
                stack = None
        if stack is not None:
            undefined = ~np.all(np.isfinite(stack.reshape(n, -1)), axis=1)
            for j in np.flatnonzero(undefined).tolist():
                if errors[j] is None:
                    try:
                        src.with_params(**{name: float(params[name][j]) for name in names})
                        errors[j] = "GameValidationError: a payoff is undefined at this point"
                    except Exception as err:  # noqa: BLE001
                        errors[j] = one_line(err)
            ok = _constraints_vector(src, params, n)
            return stack, first, errors, ok
    games: list[Any] = [None] * n
    for j in range(n):
        try:
            games[j] = src.with_params(**{name: float(params[name][j]) for name in names})
        except Exception as err:  # noqa: BLE001
            errors[j] = one_line(err)
    good = [j for j in range(n) if games[j] is not None]
    if not good:
        return None, None, errors, [None] * n
    first = games[good[0]]
    if any(games[j].shape != first.shape or games[j].kind != "normal" for j in good):
        raise NotAStack
    stack = np.full((n, *first.float_payoffs.shape), np.nan)
    for j in good:
        stack[j] = games[j].float_payoffs
    ok = [constraints_ok(src, {name: float(params[name][j]) for name in names}) for j in range(n)]
    return stack, first, errors, ok


class NotAStack(Exception):
    """The chunk cannot be solved as one stack of games: solve it point by point."""


def _evaluate_normal(src: Any, first: Any, params: dict[str, np.ndarray]) -> np.ndarray:
    """Evaluate a normal-form template's body over the chunk: ``(n, players, *shape)``."""
    n = len(next(iter(params.values())))
    ev = src.evaluate(params)
    players, strategies = list(first.players), [list(s) for s in first.strategies]
    shape = tuple(len(s) for s in strategies)
    out = np.empty((n, len(players), *shape))
    if "payoffs" in ev:
        pay = ev["payoffs"]
        for i, pl in enumerate(players):
            arr = np.asarray(pay[pl] if isinstance(pay, dict) else pay[i], dtype=float)  # (*shape, n)
            out[:, i] = np.moveaxis(np.broadcast_to(arr, (*shape, n)), -1, 0)
    else:
        for key, vals in ev["cells"].items():
            labels = [s.strip() for s in str(key).split(",")]
            idx = tuple(strategies[i].index(lab) for i, lab in enumerate(labels))
            for i in range(len(players)):
                cell: tuple[slice | int, ...] = (slice(None), i, *idx)
                out[cell] = np.broadcast_to(np.asarray(vals[i], dtype=float), (n,))
    return out


def _constraints_vector(src: Any, params: dict[str, np.ndarray], n: int) -> list[bool | None]:
    constraints = getattr(src, "constraints", None)
    if not constraints:
        return [True] * n if constraints is not None else [None] * n
    env = {p.name: np.full(n, float(p.default)) for p in source_parameters(src)}
    env.update(params)
    ok = np.ones(n, dtype=bool)
    for c in constraints:
        with np.errstate(all="ignore"):
            ok &= np.broadcast_to(np.asarray(c.expr.array(env)) != 0, (n,))
    return ok.tolist()


def _range_errors(src: Any, params: dict[str, np.ndarray], n: int) -> list[str | None]:
    """Per point, the error of ``with_params`` for points outside a parameter's range (the
    same message as the per-point path), found with one vectorised test per parameter."""
    errors: list[str | None] = [None] * n
    bad = np.zeros(n, dtype=bool)
    for p in source_parameters(src):
        rng = getattr(p, "range", None)
        if p.name in params and rng is not None:
            v, (lo, hi) = params[p.name], rng
            if lo is not None:
                bad |= (v < float(lo)) | ((v == float(lo)) & bool(getattr(p, "open_lo", False)))
            if hi is not None:
                bad |= (v > float(hi)) | ((v == float(hi)) & bool(getattr(p, "open_hi", False)))
    for j in np.flatnonzero(bad):
        try:
            src.validate_params({name: float(params[name][j]) for name in params})
        except Exception as err:  # noqa: BLE001
            errors[j] = one_line(err)
    return errors


def solve_chunk_bimatrix(spec: SweepSpec, src: Any, k: int, start: int, stop: int, params) -> ChunkResult:
    """Two-player normal-form games of the chunk by vertex enumeration on the whole stack."""
    from bargaining.solvers.batch import bimatrix_equilibria

    n = stop - start
    stack, first, errors, ok = _build_stack(src, params, n)  # may raise NotAStack
    if first is not None and (first.kind != "normal" or len(first.shape) != 2):
        raise NotAStack
    good = [j for j in range(n) if errors[j] is None]
    if good:
        res = bimatrix_equilibria(stack[good, 0], stack[good, 1])
    point_of = np.asarray(good, dtype=np.int64)
    players = list(first.players) if first is not None else []
    strategies = [list(s) for s in first.strategies] if first is not None else []
    # games whose float certificate is not conclusive (payoffs too finely spread): their batch
    # rows are dropped and the points re-solved one by one by enummixed (exact fallback)
    recheck: list[int] = []
    if good and res.uncertain is not None and np.any(res.uncertain):
        res, recheck = _drop_uncertain(res, point_of)
    if good and not recheck and len(good) == n and np.all(res.count > 0):
        return _bimatrix_columns(k, start, n, params, res, players, strategies, ok)
    # equilibrium rows, columnar, then interleave the rows of points without equilibria
    E = len(res.game) if good else 0
    eq_point = point_of[res.game] if E else np.zeros(0, dtype=np.int64)
    # errors and (impossibly) games with none; the re-solved points get their own rows below
    empty = np.setdiff1d(np.arange(n), np.concatenate([eq_point, np.asarray(recheck, dtype=np.int64)]))
    all_point = np.concatenate([eq_point, empty])
    order = np.argsort(all_point, kind="stable")
    total = len(all_point)

    def col(eq_values, fill):
        out = np.empty(total, dtype=object)
        out[:E] = list(eq_values) if E else []
        out[E:] = fill
        return out[order].tolist()

    rows: dict[str, Any] = {"point": (start + all_point[order]).tolist()}
    for name, vals in params.items():
        rows[name] = vals[all_point[order]].tolist()
    rows["equilibrium"] = col(res.index.tolist() if E else [], None)
    labels = []
    if E:
        mixed = res.mixed
        for e in range(E):
            parts = []
            for labs, probs in ((strategies[0], res.x[e]), (strategies[1], res.y[e])):
                parts.append("+".join(str(lab) for lab, p in zip(labs, probs) if p > 0))
            labels.append(f"{'mixed' if mixed[e] else 'pure'} ({', '.join(parts)})")
    rows["label"] = col(labels, None)
    for i, player in enumerate(players):
        probs = res.x if i == 0 else res.y
        for s, lab in enumerate(strategies[i]):
            rows[f"p:{player}:{lab}"] = col(probs[:, s].tolist() if E else [], None)
    for i, player in enumerate(players):
        rows[f"payoff:{player}"] = col(res.payoffs[:, i].tolist() if E else [], None)
    rows["regret"] = col(res.regret.tolist() if E else [], None)
    rows["complete"] = col([True] * E, False)
    ok_arr = np.asarray(ok, dtype=object)
    rows["constraints_ok"] = ok_arr[all_point[order]].tolist()
    err_arr = np.asarray(errors, dtype=object)
    rows["error"] = err_arr[all_point[order]].tolist()
    # regimes
    by_point: list[list[str]] = [[] for _ in range(n)]
    for e in range(E):
        by_point[int(eq_point[e])].append(labels[e])
    reg: dict[str, Any] = {"point": list(range(start, stop))}
    for name, vals in params.items():
        reg[name] = vals.tolist()
    reg["regime"] = [None if errors[j] else regime_text(by_point[j]) for j in range(n)]
    reg["equilibria"] = [len(b) for b in by_point]
    reg["complete"] = [errors[j] is None for j in range(n)]
    reg["constraints_ok"] = ok
    reg["error"] = errors
    if recheck:
        from dataclasses import replace

        exact_spec = replace(spec, method="enummixed", mode="point")
        extra, summary = per_point_rows(exact_spec, src, start, recheck, params, errors, ok)
        rows = merge_rows(rows, extra)
        reg = {key: list(vals) for key, vals in reg.items()}
        for j, (reg_j, cnt_j, comp_j, err_j) in summary.items():
            reg["regime"][j], reg["equilibria"][j], reg["complete"][j], reg["error"][j] = (
                reg_j,
                cnt_j,
                comp_j,
                err_j,
            )
    return ChunkResult(k, rows, reg, n, sum(e is not None for e in reg["error"]))


def _drop_uncertain(res: Any, point_of: np.ndarray) -> tuple[Any, list[int]]:
    """``res`` without the rows of its ``uncertain`` games (their count set to 0), and the chunk
    offsets of those games' points."""
    from dataclasses import replace

    flagged = np.asarray(res.uncertain, dtype=bool)
    keep = ~flagged[res.game]
    res = replace(
        res,
        game=res.game[keep],
        index=res.index[keep],
        x=res.x[keep],
        y=res.y[keep],
        payoffs=res.payoffs[keep],
        regret=res.regret[keep],
        count=np.where(flagged, 0, res.count),
        uncertain=None,
    )
    return res, point_of[np.flatnonzero(flagged)].tolist()


def _support_labels(res: Any, strategies: list[list[str]]) -> tuple[np.ndarray, list[str]]:
    """Label id of each equilibrium and the label texts: ``pure (F, C)``, ``mixed (F+S, C)``.
    The label depends only on the supports, so it is built once per support pattern."""
    supp = np.concatenate([res.x, res.y], axis=1) > 0
    code = supp.astype(np.int64) @ (1 << np.arange(supp.shape[1], dtype=np.int64))
    uniq, inv = np.unique(code, return_inverse=True)
    m = len(strategies[0])
    texts = []
    for c in uniq.tolist():
        bits = [(c >> b) & 1 for b in range(supp.shape[1])]
        sx = [lab for lab, b in zip(strategies[0], bits[:m]) if b]
        sy = [lab for lab, b in zip(strategies[1], bits[m:]) if b]
        kind = "mixed" if len(sx) > 1 or len(sy) > 1 else "pure"
        texts.append(f"{kind} ({'+'.join(map(str, sx))}, {'+'.join(map(str, sy))})")
    return inv.reshape(-1), texts


def _bimatrix_columns(k, start, n, params, res, players, strategies, ok) -> ChunkResult:
    """The chunk's columns as numpy arrays (every point has a game and equilibria): no Python
    loop over rows or points."""
    g = res.game
    label_id, texts = _support_labels(res, strategies)
    text_arr = np.array(texts, dtype=object)
    rows: dict[str, Any] = {"point": start + g}
    for name, vals in params.items():
        rows[name] = vals[g]
    rows["equilibrium"] = res.index
    rows["label"] = text_arr[label_id]
    for i, player in enumerate(players):
        probs = res.x if i == 0 else res.y
        for s_, lab in enumerate(strategies[i]):
            rows[f"p:{player}:{lab}"] = np.ascontiguousarray(probs[:, s_])
    for i, player in enumerate(players):
        rows[f"payoff:{player}"] = np.ascontiguousarray(res.payoffs[:, i])
    rows["regret"] = res.regret
    E = len(g)
    rows["complete"] = np.ones(E, dtype=bool)
    ok_arr = np.asarray(ok, dtype=object) if any(v is None for v in ok) else np.asarray(ok, dtype=bool)
    rows["constraints_ok"] = ok_arr[g]
    rows["error"] = np.full(E, None, dtype=object)
    regime = regimes_from_labels(label_id, texts, res.count)  # every point has equilibria here
    reg: dict[str, Any] = {"point": start + np.arange(n)}
    for name, vals in params.items():
        reg[name] = vals
    reg["regime"] = regime
    reg["equilibria"] = res.count.astype(np.int64)
    reg["complete"] = np.ones(n, dtype=bool)
    reg["constraints_ok"] = ok_arr
    reg["error"] = np.full(n, None, dtype=object)
    return ChunkResult(k, rows, reg, n, 0)


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
    sig = np.stack([s0, 1 - s0], axis=-1)  # (E, T, M)
    sender = np.nanmax(u, axis=2) - np.sum(sig * u, axis=2)  # (E, T)
    eu = mu[..., None] * UR[:, 0] + (1 - mu[..., None]) * UR[:, 1]  # (E, M, R)
    got = x * eu[..., 0] + (1 - x) * eu[..., 1]
    receiver = np.where(off, 0.0, eu.max(axis=2) - got)
    with np.errstate(invalid="ignore"):
        return np.maximum(np.max(sender, axis=1), np.max(np.nan_to_num(receiver, nan=0.0), axis=1)).clip(
            min=0.0
        )


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
    from bargaining.solvers.signaling_batch import BatchResult, row_columns, solve_batch

    n = stop - start
    errors = _range_errors(src, params, n)
    good = np.array([j for j in range(n) if errors[j] is None], dtype=np.int64)
    ok = _constraints_vector(src, params, n)
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
            res = solve_batch(src.evaluate({name: v[good] for name, v in params.items()}))
        except BargainingError:  # a point the batch refuses (its game is invalid): point by point
            raise NotAStack from None
        assert isinstance(res, BatchResult)  # a body of arrays is solved as one stack
        b = res.batch
        # every point where the batch's generic-case assumptions fail (BatchResult.generic; its
        # tests are listed in signaling_batch.nongeneric) is solved by the per-game solver
        boundary = ~res.generic | (res.count == 0)
        fallback = good[boundary]
        gi, si = np.nonzero(res.valid & ~boundary[:, None])
        raw = res.rows()
        keep = ~boundary[raw["game"]]
        raw = {key: v[keep] for key, v in raw.items()}
        point = good[gi]
        cols["point"] = start + point
        for name, vals in params.items():
            cols[name] = vals[point]
        for key in (
            "equilibrium",
            "label",
            "refinement:intuitive",
            "refinement:d1",
            "refinement:d2",
            "refinement:nwbr",
        ):
            cols[key] = raw[key]
        # the columns of the per-game row builder (render_signaling.signaling_row), same order
        T, M, R = b.types, b.messages, b.responses
        cols.update(row_columns(res, gi, si, sender, receiver))
        # sort key after an off-path message: a pure deterring response if there is one (the first in
        # the file's order), else the deterring mixture closest to it (the per-game solver's choice)
        x = res.x[gi, si]
        xl, xh = res.x_lo[gi, si], res.x_hi[gi, si]
        deter = np.where(xh >= 1 - 1e-12, 1.0, np.where(xl <= 1e-12, 0.0, xl))
        x_off = np.where(np.isnan(x), deter[:, None], x)
        tp = res.type_payoffs[gi, si]
        p0 = b.prior0[gi]
        cols[f"payoff:{sender}"] = p0 * tp[:, 0] + (1 - p0) * tp[:, 1]
        cols[f"payoff:{receiver}"] = res.receiver_payoff[gi, si]
        cols["regret"] = _signaling_regret(res, gi, si)
        cols["complete"] = np.ones(len(gi), dtype=bool)
        # the per-game solver's order: sender pure before mixed, receiver pure before mixed,
        # then by the profile (sigma, rho), larger probabilities first
        sig = np.stack([cols[f"p:{sender}:{tl}:{ml}"] for tl in T for ml in M], axis=1)
        rho = np.stack(
            [x_off[:, m] if r == 0 else 1 - x_off[:, m] for m in range(len(M)) for r in range(len(R))], axis=1
        )
        flat = np.round(np.concatenate([sig, rho], axis=1), 9)
        smixed = np.any((flat[:, : sig.shape[1]] > 0) & (flat[:, : sig.shape[1]] < 1), axis=1)
        rmixed = np.any((flat[:, sig.shape[1] :] > 0) & (flat[:, sig.shape[1] :] < 1), axis=1)
        keys = [-flat[:, j] for j in range(flat.shape[1] - 1, -1, -1)] + [rmixed, smixed, gi]
        order = np.lexsort(keys)
        cols = {
            key: (v[order] if isinstance(v, np.ndarray) else np.asarray(v, dtype=object)[order])
            for key, v in cols.items()
        }
        gi, si = gi[order], si[order]
        starts = (
            np.concatenate([[0], np.flatnonzero(np.diff(gi)) + 1]) if len(gi) else np.zeros(0, dtype=np.int64)
        )
        first_of = np.repeat(starts, np.diff(np.concatenate([starts, [len(gi)]])))
        cols["equilibrium"] = np.arange(len(gi)) - first_of
        ok_arr = np.asarray(ok, dtype=object)
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
    cols = merge_rows(cols, extra)
    reg: dict[str, Any] = {"point": start + np.arange(n)}
    for name, vals in params.items():
        reg[name] = vals
    reg["regime"] = regime
    reg["equilibria"] = counts
    reg["complete"] = complete
    reg["constraints_ok"] = np.asarray(ok, dtype=object)
    reg["error"] = np.asarray([summary[j][3] if j in summary else errors[j] for j in range(n)], dtype=object)
    return ChunkResult(k, cols, reg, n, sum(1 for j in range(n) if reg["error"][j] is not None))


def _tree_stack_arrays(src: Any, game0: Any, params: dict[str, np.ndarray], good: np.ndarray):
    """Payoffs (G, N, n) and chance probabilities (G, E) of the chunk's trees, from one
    vectorised evaluation of the template's body, walked in the tree's preorder. Checked
    against the game built at the first point; a mismatch raises :class:`NotAStack`."""
    ta = game0.to_arrays()
    N, n, E = ta.num_nodes, ta.payoffs.shape[1], len(ta.child)
    G = len(good)
    body = src.evaluate({name: v[good] for name, v in params.items()})
    pay = np.zeros((G, N, n))
    probs = np.zeros((G, E))
    counter = [0]

    def walk(node: Any) -> None:
        v = counter[0]
        counter[0] += 1
        if v >= N or not isinstance(node, dict):
            raise NotAStack
        if "payoffs" in node:
            vals = node["payoffs"]
            if len(vals) != n:
                raise NotAStack
            for i, x in enumerate(vals):
                pay[:, v, i] = np.broadcast_to(np.asarray(x, dtype=float), (G,))
            return
        actions = node.get("actions") or {}
        if len(actions) != ta.offsets[v + 1] - ta.offsets[v]:
            raise NotAStack
        if node.get("player") == "chance":
            for j, a in enumerate(actions):
                probs[:, ta.offsets[v] + j] = np.broadcast_to(np.asarray(node["probs"][a], dtype=float), (G,))
        for child in actions.values():
            walk(child)

    walk(body["root"])
    if counter[0] != N:
        raise NotAStack
    term = ta.player == -2
    if not (
        np.allclose(pay[0, term], ta.payoffs[term], rtol=0, atol=1e-12)
        and np.allclose(probs[0], ta.probs, rtol=0, atol=1e-12)
    ):
        raise NotAStack
    return ta, pay, probs


def solve_chunk_tree(spec: SweepSpec, src: Any, k: int, start: int, stop: int, params) -> ChunkResult:
    """Perfect-information trees of the chunk solved at once by
    :func:`bargaining.solvers.batch.tree_spe_stack`. Points with a tie (several SPE) and points
    whose game cannot be built go through the per-point path. The columns of each distinct
    SPE (its behaviour and label, which depend only on the choices and on which terminals are
    reached) come from the per-game row builder at one representative point; payoffs, outcome
    probabilities and the regret certificate are per point."""
    from bargaining.model.profile import Solution
    from bargaining.report.render import equilibrium_rows
    from bargaining.solvers.batch import tree_spe_stack
    from bargaining.solvers.treeprofile import tree_equilibrium

    n = stop - start
    names = list(params)
    errors = _range_errors(src, params, n)
    ok = _constraints_vector(src, params, n)
    good = np.array([j for j in range(n) if errors[j] is None], dtype=np.int64)
    if not len(good):
        raise NotAStack
    point_of = lambda j: {name: float(params[name][j]) for name in names}  # noqa: E731
    try:
        game0 = src.with_params(**point_of(good[0]))
    except BargainingError:  # the first point has no game: the per-point path records why
        raise NotAStack from None
    try:
        ta, pay, probs = _tree_stack_arrays(src, game0, params, good)
    except Exception as err:  # noqa: BLE001 - a body this walker does not know (generated trees, ...)
        raise NotAStack from err
    # points where an expression is undefined (1/b at b = 0: nan) go through the per-point
    # path, which records the reason in their error column
    finite = np.isfinite(pay).all(axis=(1, 2)) & np.isfinite(probs).all(axis=1)
    undefined = [int(j) for j in good[~finite]]
    if undefined:
        good, pay, probs = good[finite], pay[finite], probs[finite]
        if not len(good):
            raise NotAStack
    res = tree_spe_stack(ta.offsets, ta.child, ta.player, pay, probs)
    clean = ~res.tie
    dec_nodes = np.flatnonzero(ta.player >= 0)
    terms = np.flatnonzero(ta.player == -2)
    key = np.concatenate([res.choice[:, dec_nodes], (res.reach[:, terms] > 0).astype(np.int64)], axis=1)
    cg = np.flatnonzero(clean)  # indices into good
    cols: dict[str, Any] = {}
    regime = np.full(n, None, dtype=object)
    counts = np.zeros(n, dtype=np.int64)
    complete = np.zeros(n, dtype=bool)
    if len(cg):
        uniq, first_idx, inv = np.unique(key[cg], axis=0, return_index=True, return_inverse=True)
        inv = inv.reshape(-1)
        templates = []
        for u in range(len(uniq)):
            j = int(good[cg[first_idx[u]]])
            game = src.with_params(**point_of(j))
            choice = res.choice[cg[first_idx[u]]]
            behavior = []
            for i in range(len(game.players)):
                per = []
                for hid in game.player_infosets[i]:
                    h = game.infosets[hid]
                    per.append(tuple(1.0 if a == choice[h.nodes[0]] else 0.0 for a in range(len(h.actions))))
                behavior.append(tuple(per))
            eq = tree_equilibrium(game.as_float(), behavior, concept="subgame-perfect")
            sol = Solution(
                game=game, concept="subgame-perfect", method="backward", equilibria=(eq,), complete=True
            )
            templates.append({key_: cell(v) for key_, v in equilibrium_rows(sol)[0].items()})
        pts = good[cg]
        cols["point"] = start + pts
        for name in names:
            cols[name] = params[name][pts]
        players = list(game0.players)
        outcome_cols = [c for c in templates[0] if c.startswith("outcome:")]
        for c in templates[0]:
            if c.startswith("outcome:"):
                t = outcome_cols.index(c)
                cols[c] = res.reach[cg, terms[t]]
            elif c.startswith("payoff:") and c[len("payoff:") :] in players:
                cols[c] = res.value[cg, players.index(c[len("payoff:") :])]
            elif c == "regret":
                cols[c] = res.regret[cg]
            elif c == "complete":
                cols[c] = np.ones(len(cg), dtype=bool)
            else:
                cols[c] = np.array([t_[c] for t_ in templates], dtype=object)[inv]
        ok_arr = np.asarray(ok, dtype=object)
        cols["constraints_ok"] = ok_arr[pts]
        cols["error"] = np.full(len(cg), None, dtype=object)
        labels = np.array([t_["label"] for t_ in templates], dtype=object)[inv]
        regime[pts] = labels
        counts[pts] = 1
        complete[pts] = True
    extra: list[dict[str, Any]] = []
    point_errors = list(errors)  # range errors, then the per-point path's errors
    for j in list(good[~clean]) + undefined + [j for j in range(n) if errors[j] is not None]:
        j = int(j)
        rows, (regime[j], counts[j], complete[j], point_errors[j]) = point_rows(
            spec, src, start + j, point_of(j), errors[j], ok[j]
        )
        extra.extend(rows)
    errors = point_errors
    if not cols:
        cols = {"point": np.zeros(0, dtype=np.int64), "equilibrium": np.zeros(0, dtype=np.int64)}
    cols = merge_rows(cols, extra)
    reg: dict[str, Any] = {"point": start + np.arange(n)}
    for name in names:
        reg[name] = params[name]
    reg["regime"] = regime
    reg["equilibria"] = counts
    reg["complete"] = complete
    reg["constraints_ok"] = np.asarray(ok, dtype=object)
    reg["error"] = np.asarray(errors, dtype=object)
    return ChunkResult(k, cols, reg, n, sum(e is not None for e in errors))
