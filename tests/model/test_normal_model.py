from fractions import Fraction

import numpy as np
import pytest

from bargaining import GameValidationError, NormalFormGame
from bargaining.solvers.pure import enumpure
from bargaining.verify import normal as verify


def _certified(fn):
    """The solver's answer with the dispatcher's independent certificate (``regret``)."""

    def run(game, *args, **kwargs):
        from bargaining.verify import certify

        return certify(game, fn(game, *args, **kwargs))

    run.__name__ = fn.__name__
    return run


enumpure = _certified(enumpure)


def test_labels_and_shapes():
    g = NormalFormGame.from_arrays(
        [[3, 0], [0, 2]], [[2, 0], [0, 3]], players=["Row", "Col"], strategies=[["O", "F"], ["O", "F"]]
    )
    assert g.shape == (2, 2) and g.num_players == 2
    assert g.strategy_index("Col", "F") == 1
    with pytest.raises(ValueError):
        g.payoffs[0, 0, 0] = 5  # immutable


@pytest.mark.parametrize(
    "arrays, message",
    [
        (([[1, float("nan")], [0, 0]], [[0, 0], [0, 0]]), "finite"),
        (([[1, 2]], [[1, 2], [3, 4]]), "shape"),
        (([[1, float("inf")]], [[0, 0]]), "finite"),
    ],
)
def test_bad_payoffs_are_refused_with_one_line(arrays, message):
    with pytest.raises(GameValidationError) as err:
        NormalFormGame.from_arrays(*arrays)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_label_count_mismatch():
    with pytest.raises(GameValidationError, match="labels"):
        NormalFormGame.from_arrays([[1, 2]], [[1, 2]], strategies=[["a"], ["x"]])


def test_exact_mode_reads_decimals_exactly():
    g = NormalFormGame.from_arrays([[0.1, 0]], [[0, 0.2]], exact=True)
    assert g.payoffs[0, 0, 0] == Fraction(1, 10)
    assert g.float_payoffs[1, 0, 1] == 0.2


def test_regret_exact_and_float():
    g = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], exact=True)
    half = Fraction(1, 2)
    assert verify.max_regret(g, [[half, half], [half, half]]) == 0
    assert verify.max_regret(g, [[1, 0], [1, 0]]) == 2
    assert verify.max_regret(g.as_float(), [[0.5, 0.5], [0.5, 0.5]]) == pytest.approx(0)


def test_pure_equilibria_three_players():
    # a coordination game for three players: all-0 and all-1 are the pure equilibria
    u = np.zeros((3, 2, 2, 2))
    u[:, 0, 0, 0] = 1
    u[:, 1, 1, 1] = 2
    sol = enumpure(NormalFormGame.from_tensor(u))
    assert [tuple(int(np.argmax(p)) for p in eq.strategies) for eq in sol.equilibria] == [
        (0, 0, 0),
        (1, 1, 1),
    ]
    assert all(eq.regret == 0 for eq in sol.equilibria)
