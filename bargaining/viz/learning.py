"""Pictures of a learning run (matplotlib): a phase portrait for 2×2 games (the unit square of
the two players' first-strategy probabilities), simplices for three strategies, time series
otherwise; Nash equilibria are marked."""

from __future__ import annotations

from typing import Any

import numpy as np

from bargaining.viz.backend import require_matplotlib

__all__ = ["draw_learning", "simplex_xy"]


def simplex_xy(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Barycentric → plane: vertices (0, 0), (1, 0), (1/2, √3/2) for strategies 0, 1, 2."""
    p = np.atleast_2d(p)
    return p[:, 1] + p[:, 2] / 2, p[:, 2] * np.sqrt(3) / 2


def draw_learning(run: Any) -> Any:
    """A matplotlib Figure of ``run`` (a :class:`bargaining.solvers.dynamics.LearningRun`)."""
    require_matplotlib()
    from matplotlib.figure import Figure

    g, m = run.game, run.split
    n = run.states.shape[1] - m
    S = run.states
    title = f"{g.title or 'game'}: {run.dynamics}\n{run.note}"
    if m == 2 and n == 2:
        fig = Figure(figsize=(5.2, 5.2))
        ax = fig.add_subplot()
        ax.plot(S[:, 0], S[:, 2], lw=1, color="tab:blue")
        ax.plot(S[0, 0], S[0, 2], "o", color="tab:green", label="start")
        ax.plot(S[-1, 0], S[-1, 2], "s", color="tab:blue", label="end")
        for k, (x, y) in enumerate(run.equilibria):
            ax.plot(x[0], y[0], "*", ms=14, color="tab:red", label="Nash" if k == 0 else None)
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel(f"P({g.players[0]} plays {g.strategies[0][0]})")
        ax.set_ylabel(f"P({g.players[1]} plays {g.strategies[1][0]})")
        ax.set_aspect("equal")
        ax.legend(loc="upper right", fontsize=8)
    elif m == 3 or n == 3:
        panels = [(i, lo, k) for i, (lo, k) in enumerate(((0, m), (m, n))) if k == 3]
        fig = Figure(figsize=(5 * len(panels), 5))
        for c, (i, lo, _) in enumerate(panels):
            ax = fig.add_subplot(1, len(panels), c + 1)
            ax.plot([0, 1, 0.5, 0], [0, 0, np.sqrt(3) / 2, 0], color="0.4", lw=1)
            for v, (vx, vy) in enumerate(((0, 0), (1, 0), (0.5, np.sqrt(3) / 2))):
                ax.annotate(g.strategies[i][v], (vx, vy), ha="center", va="top" if vy == 0 else "bottom")
            x, y = simplex_xy(S[:, lo : lo + 3])
            ax.plot(x, y, lw=1, color="tab:blue")
            ax.plot(x[0], y[0], "o", color="tab:green")
            for eq in run.equilibria:
                ex, ey = simplex_xy(np.array(eq[i]))
                ax.plot(ex, ey, "*", ms=14, color="tab:red")
            ax.set_aspect("equal")
            ax.axis("off")
            ax.set_title(g.players[i], fontsize=9)
    else:
        fig = Figure(figsize=(7, 4.5))
        ax = fig.add_subplot()
        labels = [f"{p}:{s}" for p, ss in zip(g.players, g.strategies) for s in ss]
        for j in range(S.shape[1]):
            if S[:, j].max() > 1e-3:
                ax.plot(run.times, S[:, j], lw=1, label=labels[j])
        ax.set_xlabel("t")
        ax.set_ylabel("probability")
        ax.legend(fontsize=7, ncol=2)
    fig.suptitle(title, fontsize=9)
    return fig
