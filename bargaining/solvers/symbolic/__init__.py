"""Symbolic equilibria: closed forms in a game's parameters with the region where each holds.

Entry point :func:`solve_symbolic` (a parametric game, the parameters to keep symbolic, the
others fixed at their values). Kinds: two-player normal form (:mod:`.normal`), two-type signaling
games with later sender stages (:mod:`.signaling`), perfect-information trees (:mod:`.trees`),
the Rubinstein bargaining model (:mod:`.models`). :mod:`.check` compares the families with the
numeric solver at random points of their regions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bargaining.solvers.budget import BudgetExceeded, Deadline
from bargaining.solvers.symbolic.convert import SymbolicError, SymbolicSetup, setup
from bargaining.solvers.symbolic.family import Family, SymbolicResult

__all__ = ["solve_symbolic", "SymbolicResult", "Family", "SymbolicError", "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 120.0


def _families(st: SymbolicSetup, deadline: Deadline) -> tuple[list[Family], list[str]]:
    kind = st.template.kind
    if kind == "normal":
        from bargaining.solvers.symbolic.normal import normal_families

        return normal_families(st, st.template.to_game(), deadline)
    if kind == "tree":
        from bargaining.solvers.symbolic.trees import tree_families

        return tree_families(st, deadline)
    if kind == "signaling":
        from bargaining.solvers.symbolic.signaling import signaling_families

        return signaling_families(st, deadline)
    if kind == "model":
        from bargaining.solvers.symbolic.models import model_families

        return model_families(st, deadline)
    raise SymbolicError(f"{st.template.name}: symbolic answers are not available for kind {kind!r}")


def solve_symbolic(
    template: Any,
    parameters: Sequence[str] | None = None,
    fixed: Mapping[str, Any] | None = None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> SymbolicResult:
    """Every equilibrium family of ``template`` as closed forms in ``parameters`` (all
    parameters when None; the others fixed at ``fixed`` or their defaults), each with its
    region. On timeout the families found so far are returned with ``complete = False``."""
    if not hasattr(template, "with_params") or not hasattr(template, "body"):
        raise SymbolicError("symbolic answers need a parametric game file (a YAML game with parameters)")
    st = setup(template, parameters, fixed)
    if not st.symbols:
        raise SymbolicError(f"{template.name}: no parameter to keep symbolic")
    deadline = Deadline(timeout)
    complete = True
    notes: list[str] = []
    try:
        fams, notes = _families(st, deadline)
    except BudgetExceeded:
        fams, complete = [], False
        notes = [deadline.message()]
    undecided = [f for f in fams if f.region is None]
    if undecided:
        notes.append(
            f"{len(undecided)} famil{'y' if len(undecided) == 1 else 'ies'} with region null: "
            "not decided symbolically"
        )
    return SymbolicResult(
        game=template.name,
        kind=template.kind,
        parameters=list(st.symbols),
        fixed=dict(st.fixed),
        box={n: b for n, b in zip(st.symbols, st.box.bounds)},
        families=fams,
        complete=complete,
        notes=notes,
        setup=st,
    )
