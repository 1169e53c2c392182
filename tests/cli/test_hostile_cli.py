"""Hostile input on the command line and in sweeps (issue #13): one line and exit 2 for user
errors, no traceback, no hang, no lost or half-written file. Grouped by the kind of input."""

from __future__ import annotations

import errno
import json
import os
import socket
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import bargaining
from bargaining.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parents[1] / "data"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def one_line_error(res, *needles: str, code: int = 2) -> str:
    """The command failed with ``code``, printed no traceback, and its last line names every needle."""
    assert res.exit_code == code, res.output
    assert "Traceback" not in res.output and res.exception is None or isinstance(res.exception, SystemExit)
    lines = [x for x in res.output.strip().splitlines() if x.strip()]
    last = lines[-1]
    for needle in needles:
        assert needle in last, (needle, res.output)
    return last


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "g.nfg").write_bytes((DATA / "chicken.nfg").read_bytes())
    (tmp_path / "adir").mkdir()
    return tmp_path


def _disk_full(monkeypatch):
    """Every fsync (all atomic writes fsync before the rename) fails as on a full disk."""

    def fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fsync)


# -- files: directories, unwritable and full outputs, overwriting ---------------------------------------
def test_directory_as_game_file_says_directory(here):
    for cmd in (
        ("solve", "adir"),
        ("show", "adir"),
        ("methods", "adir"),
        ("sweep", "adir", "--grid", "a=0:1:2", "--out", "x.csv"),
    ):
        one_line_error(run(*cmd), "adir", "is a directory")


def test_directory_as_output_says_directory(here):
    one_line_error(run("draw", "battle-of-the-sexes", "--out", "adir"), "is a directory")
    one_line_error(run("convert", "g.nfg", "--to", "yaml", "-o", "adir"), "is a directory")
    one_line_error(run("export", "battle-of-the-sexes", "--to", "sgame", "-o", "adir"), "is a directory")
    one_line_error(
        run("sweep", "crisis-normal-form", "--grid", "w=0:1:2", "--out", "adir/", "--executor", "serial"),
        "is a directory",
    )


@pytest.mark.parametrize(
    "cmd",
    [
        ("draw", "battle-of-the-sexes", "--out", "/proc/x.png"),
        ("convert", "g.nfg", "--to", "nfg", "-o", "/proc/x.nfg"),
        ("export", "battle-of-the-sexes", "--to", "sgame", "-o", "/proc/x.tex"),
        ("sweep", "crisis-normal-form", "--grid", "w=0:1:2", "--out", "/proc/x.csv", "--executor", "serial"),
        ("draw", "battle-of-the-sexes", "--out", "missing/x.png"),
        (
            "sweep",
            "crisis-normal-form",
            "--grid",
            "w=0:1:2",
            "--out",
            "missing/x.csv",
            "--executor",
            "serial",
        ),
    ],
)
def test_unwritable_output_is_one_line(here, cmd):
    if not Path("/proc/self").exists() and "/proc" in " ".join(cmd):
        pytest.skip("no /proc")
    out = next(a for a in cmd if a.startswith(("/proc", "missing")))
    one_line_error(run(*cmd), str(Path(out).parent))  # "cannot write", or (a sweep) no room for its estimate


@pytest.mark.parametrize(
    "cmd,out",
    [
        (("convert", "g.nfg", "--to", "yaml", "-o", "g.yaml"), "g.yaml"),
        (("export", "battle-of-the-sexes", "--to", "sgame", "-o", "t.tex"), "t.tex"),
        (("draw", "battle-of-the-sexes", "--out", "b.svg"), "b.svg"),
    ],
)
def test_disk_full_leaves_nothing(here, monkeypatch, cmd, out):
    pytest.importorskip("matplotlib") if cmd[0] == "draw" else None
    _disk_full(monkeypatch)
    one_line_error(run(*cmd), out, "the disk is full")
    assert not (here / out).exists()
    assert not [p for p in here.iterdir() if ".tmp-" in p.name]  # no temporary file left


def test_disk_full_during_a_sweep_keeps_the_saved_chunks(here, monkeypatch):
    _disk_full(monkeypatch)
    last = one_line_error(
        run("sweep", "crisis-normal-form", "--grid", "w=0:1:3", "--out", "s.csv", "--executor", "serial"),
        "disk is full",
    )
    assert "--resume" in last or "s.csv" in last
    assert not (here / "s.csv").exists()
    assert not (here / "s.csv.lock").exists()  # the lock is released on failure


def test_disk_full_keeps_the_old_file(here, monkeypatch):
    (here / "t.tex").write_text("old\n")
    _disk_full(monkeypatch)
    one_line_error(
        run("export", "battle-of-the-sexes", "--to", "sgame", "-o", "t.tex", "--force"), "disk is full"
    )
    assert (here / "t.tex").read_text() == "old\n"


def test_output_equal_to_input_is_refused(here):
    before = (here / "g.nfg").read_bytes()
    one_line_error(run("convert", "g.nfg", "--to", "nfg", "-o", "g.nfg"), "g.nfg", "input file")
    one_line_error(run("convert", "g.nfg", "--to", "nfg", "-o", "./g.nfg", "--force"), "input file")
    assert (here / "g.nfg").read_bytes() == before
    (here / "e.efg").write_bytes((DATA / "entry-deterrence.efg").read_bytes())
    one_line_error(run("export", "e.efg", "--to", "tikz", "-o", "e.efg", "--force"), "input file")


def test_existing_outputs_need_force(here):
    assert run("convert", "g.nfg", "--to", "yaml", "-o", "c.yaml").exit_code == 0
    (here / "c.yaml").write_text("edited\n")
    one_line_error(run("convert", "g.nfg", "--to", "yaml", "-o", "c.yaml"), "already exists", "--force")
    assert (here / "c.yaml").read_text() == "edited\n"
    assert run("convert", "g.nfg", "--to", "yaml", "-o", "c.yaml", "--force").exit_code == 0
    assert "edited" not in (here / "c.yaml").read_text()
    for cmd in ("convert", "export", "sweep", "run"):
        assert "--force" in run(cmd, "--help").output


def test_sweep_table_is_replaced_only_with_force(here):
    args = (
        "sweep",
        "crisis-normal-form",
        "--grid",
        "w=0:1:3",
        "--out",
        "s.csv",
        "--executor",
        "serial",
        "-q",
    )
    assert run(*args).exit_code == 0
    first = (here / "s.csv").read_text()
    (here / "s.csv").write_text("precious\n")
    one_line_error(run(*args), "s.csv", "already exists", "--force", "--resume")
    assert (here / "s.csv").read_text() == "precious\n"
    assert run(*args, "--force").exit_code == 0
    assert (here / "s.csv").read_text() == first
    one_line_error(run(*args, "--force", "--resume"), "not both")


# -- concurrency: the lock file ----------------------------------------------------------------------
def test_second_run_on_a_locked_output_is_refused(here):
    from bargaining.sweep.lock import SweepLock

    args = (
        "sweep",
        "crisis-normal-form",
        "--grid",
        "w=0:1:3",
        "--out",
        "s.csv",
        "--executor",
        "serial",
        "-q",
    )
    with SweepLock(here / "s.csv"):  # this process holds it
        lock = json.loads((here / "s.csv.lock").read_text())
        assert lock["pid"] == os.getpid() and lock["host"] == socket.gethostname()
    assert not (here / "s.csv.lock").exists()  # released
    # a run in progress: a live process (our parent) on this host holds the lock
    (here / "s.csv.lock").write_text(json.dumps({"pid": os.getppid(), "host": socket.gethostname()}))
    for extra in ((), ("--resume",)):
        one_line_error(run(*args, *extra), "being written by another run", str(os.getppid()))
    assert not (here / "s.csv").exists() and (here / "s.csv.lock").exists()


def test_stale_lock_is_taken_over_with_a_note(here):
    dead = 2**22 + 12345  # above the default pid_max of most systems: not alive
    while bargaining.sweep.lock.pid_alive(dead):
        dead += 1
    (here / "s.csv.lock").write_text(json.dumps({"pid": dead, "host": socket.gethostname()}))
    res = run(
        "sweep", "crisis-normal-form", "--grid", "w=0:1:3", "--out", "s.csv", "--executor", "serial", "-q"
    )
    assert res.exit_code == 0, res.output
    assert "stale lock" in res.output and str(dead) in res.output
    assert not (here / "s.csv.lock").exists()


def test_lock_from_another_host_is_refused(here):
    (here / "s.csv.lock").write_text(json.dumps({"pid": 1, "host": "elsewhere.example"}))
    one_line_error(
        run("sweep", "crisis-normal-form", "--grid", "w=0:1:3", "--out", "s.csv", "--executor", "serial"),
        "elsewhere.example",
        "delete",
    )


# -- estimates before a sweep starts ----------------------------------------------------------------
def test_point_cap_refuses_before_work(here):
    res = run(
        "sweep", "crisis-normal-form", "--grid", "w=0:4:2000", "--grid", "k_F=0:1:1000", "--out", "s.csv"
    )
    last = one_line_error(res, "2,000,000 points", "--max-points")
    assert "MB" in last or "GB" in last  # the estimate is given
    assert not (here / "s.csv.parts").exists() and not (here / "s.csv.lock").exists()
    one_line_error(
        run("sweep", "crisis-normal-form", "--grid", "w=0:4:5", "--out", "s.csv", "--max-points", "4"),
        "5 points exceed the cap of 4",
    )


def test_disk_estimate_refuses_and_yes_goes_through(here, monkeypatch):
    import shutil

    usage = shutil.disk_usage(here)
    monkeypatch.setattr(shutil, "disk_usage", lambda p: usage._replace(free=1000))
    args = (
        "sweep",
        "crisis-normal-form",
        "--grid",
        "w=0:4:50",
        "--out",
        "s.csv",
        "--executor",
        "serial",
        "-q",
    )
    one_line_error(run(*args), "on disk", "--yes")
    assert run(*args, "--yes").exit_code == 0


def test_run_uses_the_progress_bar_with_eta(here, monkeypatch):
    from bargaining.sweep import engine

    bar = engine._progress.__code__
    assert "tqdm" in bar.co_names  # the bar is tqdm's, whose default format ends in [elapsed<remaining]
    seen = []
    real = engine._progress
    monkeypatch.setattr(
        engine,
        "_progress",
        lambda total, initial, quiet: seen.append((total, quiet)) or real(total, initial, quiet),
    )
    exp = here / "e.yaml"
    exp.write_text('name: e\nquestion: Q2\ngame: crisis-normal-form\ngrid: ["w=0:1:3"]\nout: e.csv\n')
    res = run("run", str(exp), "--executor", "serial", "--no-plot")
    assert res.exit_code == 0, res.output
    assert seen == [(3, False)]


# -- memory and time budgets -------------------------------------------------------------------------
def test_memory_error_in_a_sweep_point_is_recorded(here, monkeypatch):
    from bargaining.solvers import api

    real = api.solve

    def hungry(game, **kw):
        if kw.get("method") == "enumpure":
            raise MemoryError
        return real(game, **kw)

    monkeypatch.setattr(api, "solve", hungry)
    res = run(
        "sweep",
        "crisis-normal-form",
        "--grid",
        "w=0:1:3",
        "--method",
        "enumpure",
        "--out",
        "s.jsonl",
        "--executor",
        "serial",
        "-q",
    )
    assert res.exit_code == 3, res.output  # nothing was solved
    regimes = [json.loads(x) for x in (here / "s.regimes.jsonl").read_text().splitlines()]
    assert all(r["error"].startswith("MemoryError") for r in regimes)
    assert "no point was solved" in res.output


def test_solve_memory_budget_gives_an_incomplete_answer(here, monkeypatch):
    from bargaining.cli import solve as solve_cli

    def hungry(game, **kw):
        raise MemoryError

    monkeypatch.setattr(solve_cli, "solve_game", hungry)
    last = one_line_error(
        run("solve", "battle-of-the-sexes", "--memory", "100"), "memory budget of 100 MB", code=3
    )
    assert "--memory" in last
    assert "--memory" in run("solve", "--help").output


def test_memory_limit_is_applied_and_restored():
    resource = pytest.importorskip("resource")
    from bargaining.sweep.executors import memory_limit

    before = resource.getrlimit(resource.RLIMIT_AS)
    with memory_limit(64):
        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        assert soft != resource.RLIM_INFINITY
        with pytest.raises(MemoryError):
            np.ones(256 * 1024 * 1024 // 8 * 2)  # 512 MB
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_kreps_wilson_at_the_top_of_its_range_stays_bounded(here):
    # the default concept goes through the strategic form, which explodes at k = 6: the memory
    # budget stops it (exit 3, one line); the reputation solver answers it at once
    res = run("solve", "kreps-wilson", "--set", "k=6", "--memory", "300", "--timeout", "20")
    assert res.exit_code == 3, res.output
    assert "Traceback" not in res.output and "incomplete" in res.output
    res = run("solve", "kreps-wilson", "--set", "k=6", "--concept", "sequential", "--format", "json")
    assert res.exit_code in (0, 3), res.output
    assert json.loads(res.stdout)["equilibria"]


# -- conflicting flags -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "cmd,needles",
    [
        (("solve", "g.nfg", "--concept", "spe", "--method", "enummixed"), ("enummixed", "nash", "spe")),
        (("solve", "g.nfg", "--tie-break", "file"), ("--tie-break file", "normal-form")),
        (("solve", "battle-of-the-sexes", "--tie-break", "weak"), ("stackelberg",)),
        (("solve", "crisis-normal-form(w=2)", "--set", "w=3"), ("w=2", "w=3", "once")),
        (("solve", "crisis-normal-form(w=2,w=3)"), ("w", "twice")),
        (
            (
                "sweep",
                "crisis-normal-form",
                "--grid",
                "w=0:1:3",
                "--out",
                "s.csv",
                "--executor",
                "serial",
                "--dask-local",
                "2",
            ),
            ("--dask-local", "--executor serial"),
        ),
        (
            (
                "sweep",
                "crisis-normal-form",
                "--grid",
                "w=0:1:3",
                "--out",
                "s.csv",
                "--executor",
                "serial",
                "--workers",
                "3",
            ),
            ("--workers 3",),
        ),
        (
            (
                "sweep",
                "crisis-normal-form",
                "--grid",
                "w=0:1:3",
                "--out",
                "s.csv",
                "--scheduler",
                "tcp://x:1",
                "--dask-local",
                "2",
            ),
            ("not both",),
        ),
        (("sweep", "crisis-normal-form", "--sample", "3", "--seed", "-1", "--out", "s.csv"), ("--seed",)),
        (
            ("sweep", "crisis-normal-form", "--grid", "w=0:1:3", "--seed", "4", "--out", "s.csv"),
            ("--sample",),
        ),
        (
            (
                "sweep",
                "crisis-normal-form",
                "--grid",
                "w=0:1:3",
                "--concept",
                "correlated",
                "--method",
                "enummixed",
                "--out",
                "s.csv",
                "--executor",
                "serial",
            ),
            ("enummixed",),
        ),
        (("solve", "battle-of-the-sexes", "--timeout", "nan"), ("--timeout",)),
        (("solve", "battle-of-the-sexes", "--timeout", "1e400000"), ()),
    ],
)
def test_conflicts_are_refused(here, cmd, needles):
    res = run(*cmd)
    if cmd[-1] == "1e400000":  # an infinite budget is no budget
        assert res.exit_code == 0, res.output
        return
    one_line_error(res, *needles)
    assert not (here / "s.csv").exists()


def test_api_refuses_bad_timeouts_and_conflicts():
    g = bargaining.load(str(DATA / "chicken.nfg"))
    for bad in (-1, float("nan"), "ten", True):
        with pytest.raises(bargaining.errors.BargainingError, match="timeout"):
            bargaining.solve(g, timeout=bad)
    with pytest.raises(bargaining.errors.BargainingError, match="enummixed"):
        bargaining.solve(g, concept="spe", method="enummixed")
    assert bargaining.solve(g, timeout=0).complete


def test_plot_where_off_the_grid_names_the_nearest_values(here):
    assert (
        run(
            "sweep", "crisis-normal-form", "--grid", "w=0:4:5", "--out", "s.csv", "--executor", "serial", "-q"
        ).exit_code
        == 0
    )
    pytest.importorskip("matplotlib")
    last = one_line_error(
        run("plot", "s.csv", "--x", "k_F", "--value", "p:US:F", "--where", "w=99"),
        "w=99",
        "off the grid",
        "4",
    )
    assert "0" in last
    res = run("plot", "s.csv", "--x", "w", "--value", "p:US:F", "--out", "s.csv")
    one_line_error(res)


# -- exit statuses -----------------------------------------------------------------------------------
def test_sweep_with_every_point_failed_exits_3(here):
    (here / "div.yaml").write_text(
        "kind: tree\nparameters:\n  - {name: b, default: 1, range: [-1, 1]}\nplayers: [A, B]\n"
        "root:\n  player: A\n  actions:\n    L: {payoffs: [1/b, 0]}\n    R: {payoffs: [0, 1]}\n"
    )
    res = run("sweep", "div.yaml", "--grid", "b=0:0:1", "--out", "d.csv", "--executor", "serial")
    assert res.exit_code == 3, res.output
    assert "no point was solved" in res.output


# -- names -------------------------------------------------------------------------------------------
def test_game_in_working_directory_shadowing_a_builtin_is_reported(here):
    (here / "chicken.yaml").write_text((ROOT / "bargaining" / "games" / "chicken.yaml").read_text())
    res = run("games")
    assert res.exit_code == 0
    assert any(line.startswith("chicken*") for line in res.output.splitlines())
    assert "also found chicken.yaml" in res.output
    res = run("solve", "chicken")
    assert res.exit_code == 0
    note = [x for x in res.output.splitlines() if x.startswith("note:")][0]
    assert (
        str(ROOT / "bargaining" / "games" / "chicken.yaml") in note
        and "chicken.yaml" in note.split("also found")[1]
    )
    entries = json.loads(run("games", "--format", "json").stdout)
    assert [e["also_found"] for e in entries if e["name"] == "chicken"] == [["chicken.yaml"]]


# -- messages ----------------------------------------------------------------------------------------
def test_no_python_reprs_in_messages(here):
    res = run("solve", "battle-of-the-sexes", "--concept", "stackelberg", "--leader", "Nobody")
    last = one_line_error(res, "Nobody")
    assert "[" not in last and "Fraction(" not in last
    res = run("solve", "beer-quiche", "--exact")
    assert "Fraction(" not in res.output


def test_signaling_tables_spell_out_the_intuitive_criterion():
    res = run("solve", "beer-quiche")
    assert "intuitive criterion" in res.output
    assert " IC " not in res.output and "IC yes" not in res.output and "IC no" not in res.output


# -- the batched normal-form path re-solves games it cannot certify -------------------------------------
def test_batched_sweep_resolves_uncertain_games_exactly(here, monkeypatch):
    (here / "spread.yaml").write_text(
        "kind: normal\nparameters:\n  - {name: s, default: 10000000, range: [1, 100000000]}\n"
        "players: [P1, P2]\nstrategies: [[T, B], [L, R]]\n"
        "payoffs:\n  P1: [[s, 0], [0, 1]]\n  P2: [[1, 0], [0, s]]\n"
    )
    from bargaining.solvers.batch import bimatrix_equilibria

    A = np.array([[[1e7, 0], [0, 1]]])
    B = np.array([[[1, 0], [0, 1e7]]])
    assert bimatrix_equilibria(A, B).uncertain.all()  # the batch flags these games
    from bargaining.sweep import batched_bimatrix

    resolved = []
    real = batched_bimatrix.per_point_rows
    monkeypatch.setattr(
        batched_bimatrix, "per_point_rows", lambda spec, *a: resolved.append(spec.method) or real(spec, *a)
    )
    res = run(
        "sweep",
        "spread.yaml",
        "--grid",
        "s=10000000:30000000:3",
        "--out",
        "s.jsonl",
        "--executor",
        "serial",
        "-q",
    )
    assert res.exit_code == 0, res.output
    assert resolved == ["enummixed"]  # the flagged points went through the exact-fallback solver
    meta = json.loads((here / "s.meta.json").read_text())
    assert meta["solver"].startswith("batch")
    rows = [json.loads(x) for x in (here / "s.jsonl").read_text().splitlines()]
    assert all(r["complete"] is True and r["error"] is None for r in rows)
    for s in (10_000_000, 20_000_000, 30_000_000):
        mine = [r for r in rows if r["s"] == s]
        # by hand: (T, L), (B, R), and the mix x(T) = s/(1+s), y(L) = 1/(1+s)
        exact = bargaining.solve(bargaining.load(str(here / "spread.yaml"), s=str(s)), method="enummixed")
        assert len(mine) == len(exact.equilibria) == 3
        want = sorted((float(e.strategies[0][0]), float(e.strategies[1][0])) for e in exact.equilibria)
        got = sorted((r["p:P1:T"], r["p:P2:L"]) for r in mine)
        assert np.allclose(got, want, rtol=0, atol=1e-12)
        mixed = [g for g in got if 0 < g[0] < 1]
        assert mixed and abs(mixed[0][0] - float(Fraction(s, s + 1))) < 1e-12
        assert abs(mixed[0][1] - float(Fraction(1, s + 1))) < 1e-12


# -- odd paths ---------------------------------------------------------------------------------------
def test_paths_with_spaces_and_unicode(here):
    d = here / "sp ace é"
    d.mkdir()
    (d / "jeu ü.nfg").write_bytes((DATA / "chicken.nfg").read_bytes())
    assert run("solve", str(d / "jeu ü.nfg")).exit_code == 0
    res = run("convert", str(d / "jeu ü.nfg"), "--to", "yaml", "-o", str(d / "sortie ß.yaml"))
    assert res.exit_code == 0, res.output
    assert (d / "sortie ß.yaml").is_file()
    one_line_error(run("solve", str(d / "nope ü.nfg")), "nope ü.nfg", "no such file")


def test_file_name_too_long_is_one_line(here):
    long = "a" * 300
    one_line_error(run("draw", "battle-of-the-sexes", "--out", f"{long}.png"), "name is too long")
    one_line_error(
        run("sweep", "crisis-normal-form", "--grid", "w=0:1:2", "--out", f"{long}.csv"), "too long"
    )
    one_line_error(run("convert", "g.nfg", "--to", "yaml", "-o", f"{long}.yaml"), "too long")


def test_interrupted_sweep_suggests_a_resume_without_force():
    from bargaining.cli.wording import interrupt_lines
    from bargaining.sweep.errors import SweepInterrupted

    lines = interrupt_lines(SweepInterrupted(1, 4, "s.csv.parts", "bargain sweep g --out 's p.csv' --force"))
    assert lines[-1] == "to finish the sweep, run: bargain sweep g --out 's p.csv' --resume"
