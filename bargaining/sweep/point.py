"""The per-point path of a sweep: the game at one point solved by
:func:`bargaining.solvers.api.solve` under the per-point timeout, its equilibria turned into
rows by :func:`bargaining.report.render.equilibrium_rows`, and a point that raises or times out
recorded as one row with its ``error`` (the sweep goes on).

Solvers stop cooperatively at their deadline; a hard ``SIGALRM`` stop a little later catches
solvers that cannot poll, where the platform allows it (POSIX, main thread).
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from bargaining.numeric import jsonify
from bargaining.sweep.regimes import columns, regime_text
from bargaining.sweep.spec import SweepSpec

__all__ = [
    "ChunkResult",
    "one_line",
    "cell",
    "constraints_ok",
    "solve_point",
    "point_rows",
    "per_point_rows",
    "solve_points",
]


@dataclass
class ChunkResult:
    """The rows and regimes of chunk ``k`` as columns, with its numbers of points and errors."""

    k: int
    rows: dict[str, Any]
    regimes: dict[str, Any]
    n_points: int
    n_errors: int


class PointTimeout(Exception):
    pass


@contextmanager
def _hard_timeout(seconds: float | None):
    """Raise :class:`PointTimeout` after ``seconds`` (main thread on POSIX only; else no-op)."""
    usable = (
        seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    )
    if not usable or seconds is None:
        yield
        return

    def handler(signum, frame):
        raise PointTimeout

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def one_line(err: BaseException) -> str:
    """``ErrorType: first line of the message``, the ``error`` cell of a failed point."""
    text = str(err).strip().splitlines()
    msg = text[0] if text else ""
    return f"{type(err).__name__}: {msg}" if msg else type(err).__name__


def cell(value: Any) -> Any:
    """A value as a table cell: JSON-compatible, lists and mappings as JSON text."""
    value = jsonify(value, False)
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return value


def constraints_ok(src: Any, point: Mapping[str, float]) -> bool | None:
    """Whether the point satisfies the template's declared constraints (``None``: none declared
    or the check failed)."""
    check = getattr(src, "check_constraints", None)
    if check is None:
        return None
    try:
        return not check(dict(point))
    except Exception:  # noqa: BLE001 - a broken constraint is not the point's error
        return None


def solve_point(
    spec: SweepSpec, src: Any, point: dict[str, float]
) -> tuple[list[dict[str, Any]], str | None]:
    """The equilibrium rows of one point and its error (``None`` if it was solved in time)."""
    from bargaining.report.render import equilibrium_rows
    from bargaining.solvers.api import solve

    timeout = spec.point_timeout or None
    start = time.monotonic()
    try:
        grace = None if timeout is None else timeout * 1.25 + 1.0
        with _hard_timeout(grace):
            game = src.with_params(**point)
            sol = solve(game, concept=spec.concept, method=spec.method, timeout=timeout, **spec.options)
        rows = equilibrium_rows(sol)
        error = None
        if not sol.complete and timeout is not None and time.monotonic() - start >= timeout:
            error = f"timeout after {timeout:g} s: the equilibria found so far are listed"
        return rows, error
    except PointTimeout:
        return [], f"timeout after {timeout:g} s"
    except Exception as err:  # noqa: BLE001 - recorded in the row, the sweep goes on
        return [], one_line(err)


def point_rows(
    spec: SweepSpec, src: Any, index: int, point: dict[str, float], error: str | None, ok: Any
) -> tuple[list[dict[str, Any]], tuple]:
    """Rows of one point solved by the per-point path (or of its ``error``, found earlier), and
    its ``(regime, count, complete, error)``."""
    head = {"point": index, **point}
    eq_rows: list[dict[str, Any]] = []
    if error is None:
        eq_rows, error = solve_point(spec, src, point)
    rows = [
        {**head, **{key: cell(v) for key, v in r.items()}, "constraints_ok": ok, "error": error}
        for r in eq_rows
    ]
    if not eq_rows:
        rows.append(
            {
                **head,
                "equilibrium": None,
                "label": None,
                "complete": error is None,
                "constraints_ok": ok,
                "error": error,
            }
        )
    regime = None if (error and not eq_rows) else regime_text([r["label"] for r in eq_rows])
    complete = (bool(eq_rows[0]["complete"]) if eq_rows else error is None) and error is None
    return rows, (regime, len(eq_rows), complete, error)


def per_point_rows(
    spec: SweepSpec,
    src: Any,
    start: int,
    js: Any,
    params: dict[str, np.ndarray],
    errors: list[str | None],
    ok: list,
) -> tuple[list[dict[str, Any]], dict[int, tuple]]:
    """Rows of the points ``js`` (chunk offsets) by the per-point path (or their range error),
    and per point ``(regime, count, complete)``."""
    extra: list[dict[str, Any]] = []
    summary: dict[int, tuple] = {}
    for j in js:
        j = int(j)
        point = {name: float(params[name][j]) for name in params}
        rows, summary[j] = point_rows(spec, src, start + j, point, errors[j], ok[j])
        extra.extend(rows)
    return extra, summary


def solve_points(
    spec: SweepSpec, src: Any, k: int, start: int, stop: int, params: dict[str, np.ndarray]
) -> ChunkResult:
    """Chunk ``k`` (points ``start..stop-1``) point by point."""
    rows: list[dict[str, Any]] = []
    regimes: list[dict[str, Any]] = []
    n_errors = 0
    names = list(params)
    for j in range(stop - start):
        point = {name: float(params[name][j]) for name in names}
        ok = constraints_ok(src, point)
        point_rows_, (regime, count, complete, error) = point_rows(spec, src, start + j, point, None, ok)
        rows.extend(point_rows_)
        n_errors += error is not None
        regimes.append(
            {
                "point": start + j,
                **point,
                "regime": regime,
                "equilibria": count,
                "complete": complete,
                "constraints_ok": ok,
                "error": error,
            }
        )
    return ChunkResult(k, columns(rows), columns(regimes), stop - start, n_errors)
