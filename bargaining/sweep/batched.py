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

from bargaining.sweep.batched_bimatrix import solve_chunk_bimatrix
from bargaining.sweep.batched_signaling import solve_chunk_signaling
from bargaining.sweep.batched_tree import solve_chunk_tree
from bargaining.sweep.stack import NotAStack

__all__ = ["NotAStack", "solve_chunk_bimatrix", "solve_chunk_signaling", "solve_chunk_tree"]
