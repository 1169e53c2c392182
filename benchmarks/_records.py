"""Target records shared by the benchmark scripts (see ``benchmarks/run.py`` for their meaning).

``record(...)`` builds one record, orienting the ratio so that above 1 means we are faster;
``write_records(path, records)`` writes them atomically (temporary file, then ``os.replace``).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def record(
    benchmark: str,
    target: str,
    case: str,
    *,
    ours: float,
    peer: str,
    peer_value: float,
    unit: str,
    goal: float,
    higher_is_better: bool = False,
) -> dict:
    """One target figure. ``unit`` is a time (``higher_is_better=False``: ratio = peer / ours)
    or a rate (``True``: ratio = ours / peer); ``met`` is ``ratio >= goal``."""
    if higher_is_better:
        ratio = ours / peer_value if peer_value else float("inf")
    else:
        ratio = peer_value / ours if ours else float("inf")
    return {
        "benchmark": benchmark,
        "target": target,
        "case": case,
        "ours": ours,
        "peer": peer,
        "peer_value": peer_value,
        "unit": unit,
        "ratio": ratio,
        "goal": goal,
        "met": bool(ratio >= goal),
    }


def write_records(path: str | os.PathLike[str], records: list[dict]) -> None:
    """Write ``records`` as JSON to ``path`` atomically."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(records, fh, indent=1)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
