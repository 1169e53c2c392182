"""What every picture module needs: matplotlib on demand (Agg backend, or one line naming the
fix), templates drawn at their defaults, and saving a figure by its file extension."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from bargaining.errors import BargainingError
from bargaining.output import atomic_write, check_output

__all__ = ["FORMATS", "require_matplotlib", "as_game", "save"]

FORMATS = ("png", "svg", "pdf")


def require_matplotlib() -> Any:
    """Import matplotlib with the non-interactive Agg backend, or fail with one clear line."""
    try:
        import matplotlib
    except ModuleNotFoundError:
        raise BargainingError(
            "drawing needs matplotlib, which is not installed: pip install 'bargaining[plot]'"
        ) from None
    if "matplotlib.pyplot" not in __import__("sys").modules:
        matplotlib.use("Agg")
    return matplotlib


def as_game(obj: Any) -> Any:
    """A game for ``obj``: a parametric template (what :func:`bargaining.load` returns for a
    YAML file) becomes its game at the default parameters; a game is returned as it is."""
    if hasattr(obj, "to_game") and hasattr(obj, "with_params"):
        return obj.to_game()
    return obj


def save(fig: Any, path: str | os.PathLike) -> Path:
    """Write ``fig`` to ``path``; the format (png, svg, pdf) comes from the file's extension.
    A folder, a missing folder or an unwritable path is one line (:mod:`bargaining.output`);
    the file is written atomically."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise BargainingError(f"{path}: unknown picture format {path.suffix!r}: use .png, .svg or .pdf")
    check_output(path)
    # no time stamps in SVG/PDF, so the same figure gives the same file
    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(fmt)
    # written beside the target and renamed into place: a failed write leaves no half picture
    atomic_write(path, lambda tmp: fig.savefig(tmp, format=fmt, dpi=150, metadata=metadata))
    return path
