"""Fuzzing the three game-file parsers (.nfg, .efg, YAML) with hypothesis: byte mutations and
structured mutations of the library's own games (games/*.yaml, tests/data).

Every input must give a valid game or a BargainingError whose message is one line; never another
exception type, and never more than a few seconds (a SIGALRM guard per example). Memory is bounded
by the parsers' size caps (file size, declared sizes, nesting, node counts).
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bargaining.errors import BargainingError
from bargaining.formats.load import load

ROOT = Path(__file__).resolve().parents[2]
SEEDS = {
    ".yaml": sorted((ROOT / "games").glob("*.yaml")),
    ".nfg": sorted((ROOT / "tests" / "data").glob("*.nfg")) + sorted((ROOT / "games").glob("*.nfg")),
    ".efg": sorted((ROOT / "tests" / "data").glob("*.efg")),
}
PER_EXAMPLE_SECONDS = 5
HOSTILE_TOKENS = [
    "1e99999999",
    "1e309",
    "-1e400",
    "9" * 5000,
    "1/0",
    "nan",
    "-inf",
    "0",
    "-1",
    "100000000",
    "(" * 80,
    "9^9^9^9",
    "exp(100000)",
    "\x00",
    "\ufffd",
    '"',
    "{",
    "}",
    "[",
    "]",
    "&a",
    "*a",
    "!!python/object:x",
    "((((2^64)^64)^64)^64)",
    "-" * 3000 + "1",
    "1/3",
    "0.1",
]
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


class Hang(Exception):
    pass


@contextmanager
def time_guard(seconds: float):
    """Raise :class:`Hang` in the main thread if the body runs longer than ``seconds``."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum, frame):
        raise Hang(f"parser ran longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def check(path: Path) -> None:
    """A valid game, or a one-line BargainingError; nothing else, and quickly."""
    with time_guard(PER_EXAMPLE_SECONDS):
        try:
            game = load(str(path))
        except BargainingError as err:
            msg = str(err)
            assert msg and "\n" not in msg, repr(msg)
            assert "Fraction(" not in msg, msg
            return
    assert game is not None


@st.composite
def byte_mutation(draw, suffix: str) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS[suffix])).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "duplicate", "truncate", "token"]))
        i = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[i] = draw(st.integers(0, 255))
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[i : i + draw(st.integers(1, 40))]
        elif op == "duplicate":
            data[i:i] = data[i : i + draw(st.integers(1, 200))] * draw(st.integers(1, 20))
        elif op == "truncate":
            del data[i:]
        else:
            data[i:i] = draw(st.sampled_from(HOSTILE_TOKENS)).encode("utf-8", "surrogatepass")
    return bytes(data)


@st.composite
def token_mutation(draw, suffix: str) -> bytes:
    """Replace whitespace-separated tokens of a Gambit file by hostile ones."""
    tokens = draw(st.sampled_from(SEEDS[suffix])).read_text().split(" ")
    for _ in range(draw(st.integers(1, 3))):
        k = draw(st.integers(0, len(tokens) - 1))
        tokens[k] = draw(st.sampled_from(HOSTILE_TOKENS + ["{ 1000000 2 }", '"x"', "p", "t", "c", "99"]))
    return " ".join(tokens).encode("utf-8", "surrogatepass")


def _leaves(node, at=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, at + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, at + (i,))
    yield at


@st.composite
def yaml_mutation(draw) -> bytes:
    """Replace a value (leaf or subtree) of a library game by a hostile value."""
    data = yaml.safe_load(draw(st.sampled_from(SEEDS[".yaml"])).read_text())
    for _ in range(draw(st.integers(1, 3))):
        places = [p for p in _leaves(data) if p]
        at = draw(st.sampled_from(places))
        parent = data
        for k in at[:-1]:
            parent = parent[k]
        value = draw(
            st.one_of(
                st.sampled_from(HOSTILE_TOKENS),
                st.sampled_from(
                    [None, True, [], {}, 10**400, -1, 0, 1.5e308, float("nan"), [[[[1]]]], {"a": 1}]
                ),
                st.integers(-(10**20), 10**20),
                st.text(max_size=20),
            )
        )
        parent[at[-1]] = value
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("suffix", [".nfg", ".efg", ".yaml"])
@FUZZ
@given(data=st.data())
def test_byte_mutations(tmp_path, suffix, data):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data.draw(byte_mutation(suffix)))
    check(path)


@pytest.mark.parametrize("suffix", [".nfg", ".efg"])
@FUZZ
@given(data=st.data())
def test_gambit_token_mutations(tmp_path, suffix, data):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data.draw(token_mutation(suffix)))
    check(path)


@FUZZ
@given(data=st.data())
def test_yaml_structured_mutations(tmp_path, data):
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data.draw(yaml_mutation()))
    check(path)
