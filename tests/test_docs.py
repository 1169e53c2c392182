"""Every example in README.md and docs/**/*.md runs (docs that cannot drift).

- ```python blocks run in order, one namespace per page, in a temporary folder that holds the
  repository's ``games/`` and ``experiments/`` (as links), so relative paths work as in a clone;
- in ```bash / ```console / ```sh blocks every line that starts with ``bargain `` (or
  ``$ bargain ``) runs through click's CliRunner and must exit with code 0 (a trailing ``\\``
  continues a line; other lines — output, comments, the README's two set-up commands, which start
  with ``python3 -m venv`` — are not commands of ours and are left alone);
- a block right after ``<!-- file: NAME -->`` is written to NAME in that folder (a game file the
  page goes on to use);
- a block right after ``<!-- no-run -->`` is skipped: kept for what needs a service that a test
  cannot start (a Dask scheduler at a given address).
"""

from __future__ import annotations

import os
import re
import shlex
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
SHELL = {"bash", "console", "sh", "shell"}
FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([\w+-]*)")


@dataclass
class Block:
    lang: str
    line: int  # 1-based line of the opening fence
    code: str
    directive: str  # "" | "no-run" | "file: NAME"


def blocks(text: str) -> list[Block]:
    """The fenced code blocks of a Markdown page, with the directive comment before each."""
    out = []
    lines = text.split("\n")
    i = 0
    last_comment = ""
    while i < len(lines):
        m = FENCE.match(lines[i])
        stripped = lines[i].strip()
        if m:
            indent, fence, lang = m.groups()
            start = i
            body = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(fence):
                body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
                i += 1
            out.append(Block(lang.lower(), start + 1, "\n".join(body) + "\n", last_comment))
            last_comment = ""
        elif stripped.startswith("<!--") and stripped.endswith("-->"):
            last_comment = stripped[4:-3].strip()
        elif stripped:
            last_comment = ""
        i += 1
    return out


def commands(code: str) -> list[str]:
    """The ``bargain`` command lines of a shell block (continuations joined)."""
    joined, buf = [], ""
    for raw in code.split("\n"):
        line = raw.rstrip()
        if buf:
            buf += " " + line.strip()
        else:
            buf = line.strip()
        if buf.endswith("\\"):
            buf = buf[:-1].rstrip()
            continue
        joined.append(buf)
        buf = ""
    if buf:
        joined.append(buf)
    out = []
    for line in joined:
        if line.startswith("$ "):
            line = line[2:].lstrip()
        if line.startswith("bargain "):
            out.append(line)
    return out


def test_the_block_parser_finds_directives_and_commands():
    page = (
        "<!-- no-run -->\n```bash\nbargain solve x\n```\n\ntext\n```console\n$ bargain games \\\n"
        "  --format json\noutput\n```\n<!-- file: g.yaml -->\n```yaml\na: 1\n```\n"
    )
    found = blocks(page)
    assert [b.directive for b in found] == ["no-run", "", "file: g.yaml"]
    assert commands(found[1].code) == ["bargain games --format json"]
    assert found[2].code == "a: 1\n"


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_examples_run(page, tmp_path, monkeypatch):
    from bargaining.cli import main

    for folder in ("games", "experiments"):
        if (ROOT / folder).is_dir():
            (tmp_path / folder).symlink_to(ROOT / folder)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    namespace: dict = {"__name__": "__docs__"}
    failures = []
    for block in blocks(page.read_text(encoding="utf-8")):
        where = f"{page.relative_to(ROOT)}:{block.line}"
        if block.directive == "no-run":
            continue
        if block.directive.startswith("file:"):
            Path(block.directive[5:].strip()).write_text(block.code, encoding="utf-8")
            continue
        if block.lang == "python":
            try:
                exec(compile(block.code, where, "exec"), namespace)
            except Exception:
                failures.append(f"{where}: python block failed\n{traceback.format_exc(limit=3)}")
        elif block.lang in SHELL:
            for cmd in commands(block.code):
                args = shlex.split(cmd)[1:]
                result = runner.invoke(main, args, catch_exceptions=True, env={"COLUMNS": "100"})
                # exit 3: an answer that is not complete (documented; the message says why)
                incomplete = result.exit_code == 3 and args[:1] == ["solve"] and "incomplete" in result.output
                if result.exit_code != 0 and not incomplete:
                    detail = result.output[-800:]
                    if result.exception is not None and not isinstance(result.exception, SystemExit):
                        detail += "".join(traceback.format_exception(result.exception))[-1500:]
                    failures.append(f"{where}: `{cmd}` exited {result.exit_code}\n{detail}")
    assert not failures, "\n\n".join(failures)
    assert os.getcwd() == str(tmp_path)
