"""Regime tables: the regime of a point is the sorted set of its equilibrium labels joined by
``"; "`` (``(none)`` without equilibria; empty for a point whose game failed). Also the
column helpers shared by the per-point and batched paths (rows as columns, merged and sorted by
point then equilibrium) and :func:`count_failed_points` of a finished sweep."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from bargaining.sweep.store import read_table

__all__ = [
    "REGIME_SEPARATOR",
    "columns",
    "regime_text",
    "regimes_from_labels",
    "merge_rows",
    "count_failed_points",
]

REGIME_SEPARATOR = "; "


TAIL = ("regret", "complete", "constraints_ok", "error")


def columns(rows: list[dict[str, Any]]) -> dict[str, list]:
    """Row dicts as columns (the union of the keys, in order of first appearance)."""
    names: list[str] = []
    seen: set[str] = set()
    for r in rows:
        for key in r:
            if key not in seen:
                seen.add(key)
                names.append(key)
    return {name: [r.get(name) for r in rows] for name in names}


def regime_text(labels: list[str]) -> str:
    """The regime of one point from its equilibrium labels."""
    return REGIME_SEPARATOR.join(sorted(set(labels))) if labels else "(none)"


def regimes_from_labels(label_id: np.ndarray, texts: list[str], counts: np.ndarray) -> np.ndarray:
    """Per point (``counts`` equilibria each, rows grouped by point), the regime text."""
    n = len(counts)
    regime = np.full(n, "(none)", dtype=object)
    has = counts > 0
    if not has.any():
        return regime
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])[has]
    if len(texts) <= 62:
        masks = np.bitwise_or.reduceat(np.left_shift(np.int64(1), label_id.astype(np.int64)), starts)
        uniq, inv = np.unique(masks, return_inverse=True)
        names = [
            REGIME_SEPARATOR.join(sorted(texts[b] for b in range(len(texts)) if (int(mk) >> b) & 1))
            for mk in uniq.tolist()
        ]
        regime[has] = np.array(names, dtype=object)[inv.reshape(-1)]
    else:  # pragma: no cover
        per = np.split(label_id, starts[1:])
        regime[has] = [regime_text([texts[i] for i in ids]) for ids in per]
    return regime


def merge_rows(cols: dict[str, Any], extra: list[dict[str, Any]]) -> dict[str, list]:
    """Columnar rows plus row dicts, as columns sorted by (point, equilibrium)."""
    if not extra:
        return cols
    E = len(cols["point"]) if cols else 0
    if E == 0:
        return columns(
            sorted(extra, key=lambda r: (r["point"], -1 if r["equilibrium"] is None else r["equilibrium"]))
        )
    names = list(cols)
    for r in extra:
        for key in r:
            if key not in names:
                names.insert(len([c for c in names if c not in TAIL]), key)
    total = E + len(extra)
    out: dict[str, Any] = {}
    for name in names:
        arr = np.empty(total, dtype=object)
        if name in cols:
            vals = cols[name]
            arr[:E] = list(vals.tolist() if isinstance(vals, np.ndarray) else vals)
        else:
            arr[:E] = None
        arr[E:] = [r.get(name) for r in extra]
        out[name] = arr
    eqn = np.array([-1 if v is None else v for v in out["equilibrium"]], dtype=np.int64)
    order = np.lexsort((eqn, np.asarray(out["point"], dtype=np.int64)))
    return {name: arr[order].tolist() for name, arr in out.items()}


def count_failed_points(regimes: str | os.PathLike) -> int:
    """The number of points of a finished sweep whose ``error`` column is set (their reason is
    that column, in the rows and regimes tables)."""
    return sum(1 for row in read_table(regimes, columns=["error"]) if row.get("error") not in (None, ""))
