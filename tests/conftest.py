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
