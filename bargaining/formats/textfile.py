"""Reading a game file's text, with the checks every format shares.

A game file is UTF-8 text of at most :data:`MAX_FILE_BYTES` bytes. Before any parser sees it,
:func:`read_game_text` refuses, with a one-line :class:`~bargaining.errors.FileFormatError`
naming the file: a directory, a missing or unreadable file, a file larger than the cap (checked
from its size, before reading), an empty file, a binary file (a NUL byte) and text that is not
UTF-8 (with the line of the first undecodable byte). A UTF-8 byte-order mark is dropped.
"""

from __future__ import annotations

import os
from pathlib import Path

from bargaining.errors import BargainingError, FileFormatError

__all__ = ["MAX_FILE_BYTES", "read_game_text"]

#: The largest game file read (50 MB): far above any real game, small enough to parse in memory.
MAX_FILE_BYTES = 50 * 1024 * 1024


def read_game_text(path: str | os.PathLike, empty: str = "") -> tuple[bytes, str]:
    """The bytes and the decoded text of the game file at ``path`` (see the module docstring);
    ``empty`` is what the format expects first (said when the file is empty)."""
    p = Path(path)
    try:
        if p.is_dir():
            raise FileFormatError(p, None, "is a directory, not a game file")
        if not p.exists():
            raise BargainingError(f"{p}: no such file")
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FileFormatError(
                p,
                None,
                f"the file is {size / 2**20:.1f} MB; game files are limited to {MAX_FILE_BYTES // 2**20} MB",
            )
        with open(p, "rb") as fh:  # a special file (a FIFO, /dev/zero) could grow: read at most the cap
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise FileFormatError(p, None, f"cannot read: {err.strerror or err}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise FileFormatError(
            p, None, f"the file is larger than {MAX_FILE_BYTES // 2**20} MB, the limit for game files"
        )
    if not raw.strip():
        raise FileFormatError(p, 1, f"the file is empty{': ' + empty if empty else ''}")
    nul = raw.find(b"\0")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise FileFormatError(p, line, "a binary file (NUL byte), not a game file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise FileFormatError(
            p, line, f"not a UTF-8 text file (undecodable byte 0x{raw[err.start]:02x})"
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return raw, text
