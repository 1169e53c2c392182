"""A sweep killed with SIGKILL (or stopped with Ctrl-C) at any moment resumes with --resume to
a final table identical, byte for byte, to an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
GAME = str(DATA / "sweep-2x2.yaml")
# per-point solving (enummixed) so that the sweep takes a few seconds and has many chunks
ARGS = ["sweep", GAME, "--grid", "a=-1:1:10", "--grid", "b=-1:1:12", "--method", "enummixed", "-q"]


def _cmd(out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "bargaining", *ARGS, "--out", str(out), *extra]


def _done_chunks(out: Path) -> int:
    try:
        return len(json.loads((out.parent / f"{out.name}.parts" / "manifest.json").read_text())["done"])
    except (OSError, ValueError, KeyError):
        return 0


def _default_sigint() -> None:
    # a shell that starts jobs in the background (nohup, `&`) ignores SIGINT in them, and Python
    # then installs no KeyboardInterrupt handler: give the sweep the terminal's default
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        _cmd(out, *extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        text=True,
        preexec_fn=_default_sigint,
    )


def _wait_for_chunks(proc: subprocess.Popen, out: Path, n: int, limit: float = 60) -> None:
    end = time.time() + limit
    while _done_chunks(out) < n and proc.poll() is None and time.time() < end:
        time.sleep(0.01)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    d = tmp_path_factory.mktemp("ref")
    out = d / "ref.csv"
    subprocess.run(_cmd(out, "--executor", "serial"), check=True, capture_output=True)
    return out


@pytest.mark.parametrize("executor", ["serial", "process"])
def test_sigkill_then_resume_gives_identical_table(tmp_path, reference, executor):
    out = tmp_path / "run.csv"
    extra = ("--executor", executor) + (("--workers", "2") if executor == "process" else ())
    # kill once after a few chunks, once at an arbitrary moment right after restarting
    proc = _start(out, *extra)
    _wait_for_chunks(proc, out, 5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists() and _done_chunks(out) >= 5
    # without --resume the unfinished sweep is not overwritten
    res = subprocess.run(_cmd(out, *extra), capture_output=True, text=True)
    assert res.returncode == 2 and "--resume" in res.stderr
    # kill the resumed run too, as soon as it has added a chunk (it may also finish first)
    done = _done_chunks(out)
    proc = _start(out, *extra, "--resume")
    _wait_for_chunks(proc, out, done + 1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    res = subprocess.run(_cmd(out, *extra, "--resume"), capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert out.read_bytes() == reference.read_bytes()
    assert (tmp_path / "run.regimes.csv").read_bytes() == (reference.parent / "ref.regimes.csv").read_bytes()
    assert not (tmp_path / "run.csv.parts").exists()
    # resuming a finished sweep does nothing
    res = subprocess.run(_cmd(out, *extra, "--resume"), capture_output=True, text=True)
    assert res.returncode == 0 and "already complete" in res.stderr


@pytest.mark.parametrize("executor", ["serial", "process"])
def test_ctrl_c_stops_cleanly_and_says_how_to_resume(tmp_path, reference, executor):
    out = tmp_path / "run.csv"
    proc = _start(out, "--executor", executor)
    _wait_for_chunks(proc, out, 3)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "--resume" in err and "Traceback" not in err and "bargain sweep" in err
    res = subprocess.run(_cmd(out, "--executor", executor, "--resume"), capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert out.read_bytes() == reference.read_bytes()


def test_resume_with_other_settings_is_refused(tmp_path):
    out = tmp_path / "run.csv"
    proc = _start(out, "--executor", "serial")
    _wait_for_chunks(proc, out, 2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    other = [
        sys.executable,
        "-m",
        "bargaining",
        "sweep",
        GAME,
        "--grid",
        "a=-1:1:21",
        "--method",
        "enummixed",
        "--out",
        str(out),
        "--resume",
        "-q",
    ]
    res = subprocess.run(other, capture_output=True, text=True)
    assert res.returncode == 2 and "other settings" in res.stderr
