"""Writing output files safely: checked before any work, written atomically, errors in one line.

Every file the package writes for a user (pictures, LaTeX, converted games, sweep tables) goes
through here:

- :func:`check_output` refuses, before anything is computed, an output that is a folder, that
  lies in a folder that does not exist, that is one of the command's input files, or (unless
  the caller allows replacing it) that already exists;
- :func:`atomic_write` writes to a temporary file in the same folder, fsyncs it and renames it
  into place with :func:`os.replace` (atomic on POSIX), so an interrupted or failed write
  (disk full, permission denied, Ctrl-C) leaves the old file, or no file, never half a file;
- :func:`os_error` turns an :class:`OSError` into a :class:`~bargaining.errors.BargainingError`
  with one line naming the path and the reason (no traceback).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from bargaining.errors import BargainingError

__all__ = ["OutputError", "check_output", "atomic_write", "write_text", "os_error", "same_file"]

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOENT: "no such file or folder",
    errno.EISDIR: "is a directory",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.ENAMETOOLONG: "the file name is too long",
}


class OutputError(BargainingError):
    """An output file that cannot be written, or must not be (an input, an existing file)."""


def os_error(path: str | os.PathLike, err: OSError, doing: str = "cannot write") -> OutputError:
    """``<path>: cannot write: the disk is full`` for an :class:`OSError` (no repr, one line)."""
    if err.errno == errno.ENOENT and doing == "cannot write":
        return OutputError(f"{path}: cannot write: files cannot be created in {Path(path).parent}")
    reason = _REASONS.get(err.errno or -1) or (err.strerror or type(err).__name__).lower()
    return OutputError(f"{path}: {doing}: {reason}")


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether ``a`` and ``b`` name the same file (after resolving links and ``..``)."""
    pa, pb = Path(a), Path(b)
    try:
        if pa.exists() and pb.exists():
            return os.path.samefile(pa, pb)
    except OSError:
        pass
    try:
        return pa.resolve() == pb.resolve()
    except (OSError, RuntimeError):
        return False


def check_output(
    path: str | os.PathLike,
    *,
    inputs: Iterable[str | os.PathLike | None] = (),
    overwrite: bool = True,
    force_hint: str = "--force",
) -> Path:
    """Refuse an output path before any work: a folder, a missing folder, one of ``inputs``, or
    (with ``overwrite=False``) an existing file, whose message names ``force_hint``."""
    try:
        return _check_output(Path(path), str(path), inputs, overwrite, force_hint)
    except OSError as err:  # a name too long, a link loop, ...
        raise os_error(path, err) from None


def _check_output(p: Path, text: str, inputs, overwrite: bool, force_hint: str) -> Path:
    if text.endswith(os.sep) or p.is_dir():
        raise OutputError(f"{text}: is a directory; give a file name for the output")
    for source in inputs:
        if source is not None and Path(source).is_file() and same_file(p, source):
            raise OutputError(
                f"{text}: is also the input file; write to another file (the input is never overwritten)"
            )
    parent = p.parent
    if not parent.is_dir():
        what = "is not a folder" if parent.exists() else "does not exist"
        raise OutputError(f"{text}: cannot write: the folder {parent} {what}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{text}: cannot write: permission denied in the folder {parent}")
    if p.exists() and not overwrite:
        raise OutputError(f"{text}: already exists; add {force_hint} to replace it")
    return p


def atomic_write(path: str | os.PathLike, writer: Callable[[Path], None]) -> Path:
    """Call ``writer(tmp)`` on a temporary file beside ``path``, fsync it and rename it to
    ``path``. On any failure (an :class:`OSError` becomes an :class:`OutputError`) the
    temporary file is removed and ``path`` is untouched."""
    p = Path(path)
    tmp = p.with_name(f".{p.name}.tmp-{os.getpid()}")
    try:
        writer(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, p)
    except OSError as err:
        raise os_error(p, err) from None
    finally:
        try:
            tmp.unlink()
        except OSError:
            pass
    return p


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically (:func:`atomic_write`)."""

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)

    return atomic_write(path, write)
