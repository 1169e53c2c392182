"""What the batched sweep paths share: :class:`NotAStack` (the chunk cannot be batched; the
engine solves it point by point), the constraint mask of a chunk and its range errors.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bargaining.sweep.point import one_line
from bargaining.sweep.spec import source_parameters

__all__ = ["NotAStack", "constraints_vector", "range_errors"]


class NotAStack(Exception):
    """The chunk cannot be solved as one stack of games: solve it point by point."""


def constraints_vector(src: Any, params: dict[str, np.ndarray], n: int) -> list[bool | None]:
    """Per point of the chunk, whether the source's constraints hold (``None`` if it has no ``constraints``),
    evaluated once on the parameter arrays."""
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


def range_errors(src: Any, params: dict[str, np.ndarray], n: int) -> list[str | None]:
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
