"""The :class:`~bargaining.model.profile.Solution` of
:func:`bargaining.solvers.bimatrix.enummixed` in float mode when every extreme equilibrium is
isolated: the general steps of that function (maximal Nash subsets as maximal bicliques, their
connected components, a description of each set and Shapley's index of each component; Avis,
Rosenberg, Savani and von Stengel 2010, *Economic Theory* 42, §4; von Stengel 2007,
*Algorithmic Game Theory* ch. 3, §3.6) with their trivial outcomes written out, which for a
small game costs far less than running them. Tested equal to the general path.
"""

from __future__ import annotations

from typing import Any

from bargaining.model.normal import NormalFormGame
from bargaining.model.profile import Equilibrium, Solution, sort_key_profile
from bargaining.solvers.bimatrix_sets import equilibrium_index, positive_payoffs
from bargaining.solvers.bimatrix_tiny import index_float, normalised_lists, pure_index
from bargaining.solvers.budget import Deadline

__all__ = ["isolated_solution"]


def isolated_solution(
    game: NormalFormGame,
    xs: list,
    ys: list,
    edges: list,
    pay: list,
    listed: tuple[list, list] | None,
    raw: tuple[list, list] | None,
    notes: list[str],
    finished: bool,
    deadline: Deadline,
    indices: list[int | None] | None = None,
) -> Solution:
    """The :class:`Solution` of :func:`enummixed` (float mode) when every extreme equilibrium is
    isolated and passed the candidate check: what the general steps give then, written out
    (each maximal Nash subset and each connected component is one equilibrium; the index of each
    from :func:`index_float`, or :func:`equilibrium_index` after an exact fallback). ``raw``:
    the payoffs when the labels were decided in integers (:func:`tiny_extreme`), whose pure
    equilibria get their index from :func:`pure_index` and the others from the normalised
    payoffs, computed only then. ``indices``: the index of each edge, computed already (the
    compiled path)."""
    eqs = []
    for k, (a, b) in enumerate(edges):
        x, y = xs[a], ys[b]
        pure = len(x) - x.count(0) == 1 and len(y) - y.count(0) == 1  # one nonzero each
        key = sort_key_profile(([round(p, 12) for p in x], [round(q, 12) for q in y]))
        eqs.append((key, k, x, y, pure))
    eqs.sort(key=lambda t: t[0])  # stable: ties keep the edge order, as the general path
    names = game.strategies
    m, n = game.shape
    positive = None
    equilibria, sets, index = [], [], []
    for r, (_, k, x, y, pure) in enumerate(eqs):
        equilibria.append(
            Equilibrium(strategies=(x, y), payoffs=pay[k], regret=None, label="pure" if pure else "mixed")
        )
        entry: dict[str, Any] = {
            "equilibria": [r],
            "supports": [
                [names[0][i] for i in range(m) if x[i] != 0],
                [names[1][j] for j in range(n) if y[j] != 0],
            ],
            "dimension": 0,
            "extreme_strategies": [1, 1],
        }
        if pure:
            entry["description"] = "every profile with these supports (a product of simplices)"
        sets.append(entry)
        if indices is not None:
            index.append(indices[k])
        elif raw is not None and pure:
            index.append(pure_index(raw[0], raw[1], x, y))
        elif raw is not None or listed is not None:
            if listed is None:
                nA, nB = normalised_lists(raw[0]), normalised_lists(raw[1])  # type: ignore[index]
                assert nA is not None and nB is not None  # integer payoffs: finite
                listed = (nA, nB)
            index.append(index_float(listed[0], listed[1], x, y))
        else:
            A_, B_ = game.float_payoffs[0], game.float_payoffs[1]
            if positive is None:
                positive = positive_payoffs(A_, B_, False)
            index.append(equilibrium_index(A_, B_, x, y, False, positive=positive))
    components = [[r] for r in range(len(eqs))]
    messages = list(notes)
    if not finished:
        messages.append(deadline.message())
    return Solution(
        game=game,
        concept="nash",
        method="enummixed",
        equilibria=tuple(equilibria),
        complete=finished,
        exact=False,
        components=tuple((r,) for r in range(len(eqs))),
        message="; ".join(messages) or None,
        extra={
            "maximal_nash_subsets": components,
            "connected_components": [[r] for r in range(len(eqs))],
            "component_index": index,
            "equilibrium_sets": sets,
        },
    )
