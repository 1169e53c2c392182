"""Batched sweep path for small two-player normal-form games (concept ``nash``): the chunk's
stack of payoff matrices solved by :func:`bargaining.solvers.batch.bimatrix_equilibria` (all
extreme equilibria), with the same columns as the per-point path.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bargaining.sweep.point import ChunkResult, constraints_ok, one_line, per_point_rows
from bargaining.sweep.regimes import merge_rows, regime_text, regimes_from_labels
from bargaining.sweep.spec import SweepSpec, source_parameters
from bargaining.sweep.stack import NotAStack, constraints_vector

__all__ = ["solve_chunk_bimatrix"]


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
            ok = constraints_vector(src, params, n)
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
