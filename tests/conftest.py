"""Shared test set-up: the ``gambit`` fixture (pygambit as a test-only oracle, skipped when it is
not installed) and the hypothesis profiles. Hypothesis strategies live in ``tests/strategies.py``;
every use of pygambit goes through ``tests/gambit_oracle.py``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))  # gambit_oracle, strategies: importable by name

settings.register_profile("ci", deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, max_examples=20)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def gambit():
    """The oracle module ``tests/gambit_oracle.py`` (pygambit behind plain-Python functions);
    the test is skipped if pygambit is not installed."""
    return pytest.importorskip("gambit_oracle")


# Tests marked ``slow`` (measured with ``--durations=30`` on a shared 2-core machine: each takes
# about 3 s or more). ``python -m pytest -m "not slow"`` is the fast lane for development; CI
# runs everything. Kept here, by node id (a prefix matches every parameter), so that the mark
# sits in one list; in a plain ``python -m pytest`` run (what CI does) an entry that matches no
# test is an error, so a rename cannot silently drop the mark.
SLOW = (
    "tests/sweep/test_sweep.py::test_dask_scheduler_address_equals_serial",  # 27 s
    "tests/sweep/test_sweep.py::test_dask_local_cluster_equals_process",  # 7 s
    "tests/sweep/test_sweep.py::test_tree_sweep_batched_equals_per_point",  # 5 s
    "tests/sweep/test_sweep.py::test_signaling_sweep_batched_equals_per_point",  # 4 s
    "tests/sweep/test_sweep_resume.py::test_sigkill_then_resume_gives_identical_table",  # 2 x 9 s
    "tests/sweep/test_sweep_resume.py::test_ctrl_c_stops_cleanly_and_says_how_to_resume",  # 2 x 6 s
    "tests/sweep/test_sweep_resume.py::test_resume_with_other_settings_is_refused",  # 3 s
    "tests/test_docs.py::test_examples_run[docs/how-to/use-dask.md]",  # 8 s
    "tests/test_docs.py::test_examples_run[docs/tutorial-bluff-or-commitment.md]",  # 5 s
    "tests/test_docs.py::test_examples_run[docs/how-to/run-a-sweep.md]",  # 4 s
    "tests/model/test_template.py::test_property_vectorised_equals_exact",  # 5 s
    "tests/solvers/test_signaling_batch.py::test_batch_agrees_with_per_game_solver_on_random_games",  # 3 s
    "tests/solvers/test_nplayer.py::test_degenerate_small_integer_games",  # 4 x up to 3 s
    "tests/solvers/test_nplayer.py::test_algebraic_forms_of_higher_degree_evaluate_to_the_floats",  # 3 s
    "tests/solvers/test_nplayer.py::test_four_player_game_against_gambit_enumpoly",  # 3 s
)


def pytest_collection_modifyitems(config, items):
    matched = set()
    for item in items:
        for entry in SLOW:
            if item.nodeid == entry or item.nodeid.startswith(entry + "["):
                item.add_marker(pytest.mark.slow)
                matched.add(entry)
    stale = [e for e in SLOW if e not in matched]
    whole_suite = not config.option.file_or_dir and not config.option.keyword and not config.option.markexpr
    if stale and whole_suite:
        raise pytest.UsageError(f"tests/conftest.py SLOW names tests that do not exist: {stale}")
