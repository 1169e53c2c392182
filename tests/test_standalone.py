"""The repository stands alone: no tracked text file points to a document outside it.

The project's documentation is in ``docs/``; the article's games and the textbook benchmarks,
with their expected answers and the tie-break rule, are specified in ``docs/scenarios.md``. Code,
docs, game files, experiments and tests cite papers, textbooks and those pages, never planning
documents that are not in the repository (a reader of a clone or of the installed package could
not open them). This test scans every file that git tracks (every file of the checkout when git
is unavailable) and lists each offending line.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve()

# Names of documents that lived outside the repository, and paths that lead out of it.
OUTSIDE = re.compile(
    r"\bSCENARIOS\b"  # the scenario catalogue's old home (now docs/scenarios.md)
    r"|\bCONTRACTS\.md"  # names and output shapes (now docs/reference/)
    r"|\bDESIGN\.md"  # the design sketch (now docs/architecture.md)
    r"|\bCONVENTIONS\.md"
    r"|\bBRIEF\.md"
    r"|(?<![\w.-])shared/"  # shared/seed, ../shared/...
    r"|(?<![\w.:/-])/work/"  # absolute paths of a development machine
    r"|§0"  # section 0 of the old catalogue (the tie-break rule)
)
SKIP_DIRS = {
    ".git",
    ".venv",
    "venv",
    "build",
    "dist",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    "node_modules",
}


def tracked_files() -> list[Path]:
    """The files git tracks (symlinks and folders left out), or every file of the checkout."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
        ).stdout.decode("utf-8", "replace")
        paths = [ROOT / name for name in out.split("\0") if name]
    except (OSError, subprocess.SubprocessError):
        paths = []
        for folder, dirs, files in os.walk(ROOT):
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")]
            paths.extend(Path(folder) / f for f in files)
    return sorted(p for p in paths if p.is_file() and not p.is_symlink())


def text_of(path: Path) -> str | None:
    """The file as text, or None for a binary file (NUL bytes or not UTF-8)."""
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def offending_lines(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if OUTSIDE.search(line)]


def test_the_pattern_flags_outside_documents_and_spares_citations():
    bad = [
        "source: SCENARIOS.md G1; Spence (1973)",
        "the JSON shape of CONTRACTS.md",
        "where it departs from `shared/DESIGN.md`",
        "(`shared/seed`)",
        "see ../shared/x",
        "ties (SCENARIOS §0)",
        "tie-break (accept, §0)",
        "open /work/shared/notes.txt",
    ]
    good = [
        "source: Spence (1973); docs/scenarios.md G1",
        "Osborne (2004), §3.5",
        "Crawford and Sobel (1982), §4",
        "the JSON shape of docs/reference/solve.md",
        "Helpers shared by the game classes",
        "https://example.org/work/x",
        "shared_memory/x",
    ]
    assert [line for line in bad if not OUTSIDE.search(line)] == []
    assert [line for line in good if OUTSIDE.search(line)] == []


def test_no_tracked_file_points_outside_the_repository():
    files = tracked_files()
    assert len(files) > 50, "found too few files to scan: is this a checkout?"
    found = []
    for path in files:
        if path.resolve() == HERE:
            continue
        text = text_of(path)
        if text is None:
            continue
        found.extend(f"{path.relative_to(ROOT)}:{n}: {line[:120]}" for n, line in offending_lines(text))
    assert not found, (
        "references to documents outside the repository (cite the paper, or the page "
        "in docs/, e.g. docs/scenarios.md):\n" + "\n".join(found)
    )
