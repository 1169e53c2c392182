"""One writer per sweep output: a lock file beside the table.

``results.csv`` is locked by ``results.csv.lock``, created with ``O_CREAT | O_EXCL`` (atomic on
local file systems) and holding ``{"pid", "host", "started"}`` of the process that writes the
table. A second run on the same output (a second ``--resume``, or a resume while the first run
still works) is refused with one line naming the owner. A lock whose owner is gone (same host,
pid not alive) is stale: it is taken over, with a note. A lock from another host cannot be
checked; the message says how to remove it once that run is known to be over.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

from bargaining.sweep.errors import SweepError

__all__ = ["SweepLock", "lock_path", "pid_alive"]


def lock_path(out: str | os.PathLike) -> Path:
    out = Path(out)
    return out.with_name(f"{out.name}.lock")


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this host (signal 0 checks without sending)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OSError:
        return False
    return True


class SweepLock:
    """``with SweepLock(out, note=print): ...`` holds the lock for the block."""

    def __init__(self, out: str | os.PathLike, note: Callable[[str], None] | None = None):
        self.out = Path(out)
        self.path = lock_path(out)
        self.note = note or (lambda msg: None)
        self.held = False

    def _owner(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def acquire(self) -> None:
        host = socket.gethostname()
        body = json.dumps(
            {"pid": os.getpid(), "host": host, "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        )
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = self._owner()
                pid, owner_host = owner.get("pid"), owner.get("host")
                if not isinstance(pid, int) or pid == os.getpid():
                    stale = pid == os.getpid() or not owner  # ours, or unreadable: a kill while writing it
                elif owner_host == host:
                    stale = not pid_alive(pid)
                else:
                    raise SweepError(
                        f"{self.out} is locked by process {pid} on host {owner_host} ({self.path}); "
                        f"if that run is over, delete {self.path} and run again"
                    ) from None
                if not stale:
                    raise SweepError(
                        f"{self.out} is being written by another run (process {pid} on {owner_host}, "
                        f"lock {self.path}); wait for it to finish, then run again"
                    ) from None
                self.note(f"note: taking over a stale lock {self.path} (process {pid} is no longer running)")
                try:
                    self.path.unlink()
                except FileNotFoundError:
                    pass
                except OSError as err:
                    raise SweepError(f"{self.path}: cannot remove a stale lock ({err.strerror})") from None
                continue
            except OSError as err:
                raise SweepError(
                    f"{self.path}: cannot create the lock file ({err.strerror})", option="out", value=self.out
                ) from None
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(body)
            self.held = True
            return
        raise SweepError(f"{self.path}: another run keeps taking the lock; try again")

    def release(self) -> None:
        if self.held:
            self.held = False
            try:
                if self._owner().get("pid") == os.getpid():
                    self.path.unlink()
            except OSError:
                pass

    def __enter__(self) -> SweepLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
