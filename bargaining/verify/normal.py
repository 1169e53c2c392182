r"""Independent certificates: the regret of a mixed profile in a normal-form game.

For a profile :math:`\sigma`, player i's regret is
:math:`r_i(\sigma) = \max_{s_i \in S_i} u_i(s_i, \sigma_{-i}) - u_i(\sigma) \ge 0`, and
:math:`\sigma` is a Nash equilibrium iff :math:`\max_i r_i(\sigma) = 0` (Nash 1951). This module
is written apart from every solver (it only contracts the payoff tensor with the profile) so
that the tests can check each solver's answers against it. In exact mode (Fraction payoffs and
probabilities) the regret is exact and an equilibrium has regret exactly 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from bargaining.errors import GameValidationError
from bargaining.model.normal import NormalFormGame

__all__ = [
    "check_profile",
    "is_nash",
    "max_regret",
    "max_regrets",
    "payoff_vectors",
    "regrets",
    "expected_payoffs",
    "default_tolerance",
]


def default_tolerance(game: NormalFormGame) -> float:
    """Tolerance for float checks, scaled to the payoffs: ``1e-9 * max(1, max |u|)``."""
    scale = float(np.max(np.abs(game.float_payoffs))) if game.float_payoffs.size else 1.0
    return 1e-9 * max(1.0, scale)


def check_profile(game: NormalFormGame, profile: Sequence[Sequence[Any]], tol: float = 1e-9) -> list:
    """Validate a mixed profile (one probability vector per player); returns it as arrays.

    Exact profiles (all Fractions or ints) must sum exactly to 1; float profiles within ``tol``.
    """
    if len(profile) != game.num_players:
        raise GameValidationError(
            f"profile has {len(profile)} strategies for a {game.num_players}-player game"
        )
    out = []
    for i, (probs, m) in enumerate(zip(profile, game.shape)):
        if len(probs) != m:
            raise GameValidationError(
                f"player {game.players[i]!r} has {m} strategies, profile gives {len(probs)} probabilities"
            )
        exact = all(isinstance(p, (int, Fraction)) for p in probs)
        if exact:
            arr = np.array([Fraction(p) for p in probs], dtype=object)
            if any(p < 0 for p in arr) or sum(arr) != 1:
                raise GameValidationError(
                    f"probabilities of player {game.players[i]!r} must be >= 0 and sum to 1"
                )
        else:
            arr = np.asarray([float(p) for p in probs], dtype=np.float64)
            if np.any(arr < -tol) or abs(arr.sum() - 1.0) > tol * max(1, m):
                raise GameValidationError(
                    f"probabilities of player {game.players[i]!r} must be >= 0 and sum to 1, got {arr}"
                )
        out.append(arr)
    return out


def _contract_others(tensor: np.ndarray, mixes: Sequence[np.ndarray], keep: int) -> np.ndarray:
    """Contract every axis of ``tensor`` except ``keep`` with the players' mixes."""
    result = tensor
    for j in range(len(mixes) - 1, -1, -1):  # from the last axis down, so indices stay valid
        if j == keep:
            continue
        result = np.tensordot(result, mixes[j], axes=([j], [0]))
    return result


def _use_exact(game: NormalFormGame, mixes: Sequence[np.ndarray]) -> bool:
    return game.exact and all(m.dtype == object for m in mixes)


def payoff_vectors(game: NormalFormGame, profile: Sequence[Sequence[Any]]) -> list[np.ndarray]:
    """For each player i, the vector :math:`(u_i(s_i, \\sigma_{-i}))_{s_i}` of pure-strategy payoffs."""
    mixes = check_profile(game, profile)
    exact = _use_exact(game, mixes)
    payoffs = game.payoffs if exact else game.float_payoffs
    if not exact:
        mixes = [np.asarray(m, dtype=np.float64) for m in mixes]
    return [_contract_others(payoffs[i], mixes, i) for i in range(game.num_players)]


def expected_payoffs(game: NormalFormGame, profile: Sequence[Sequence[Any]]) -> tuple:
    """:math:`u_i(\\sigma)` for every player (exact when game and profile are exact)."""
    mixes = check_profile(game, profile)
    vectors = payoff_vectors(game, profile)
    return tuple(_dot(v, m) for v, m in zip(vectors, mixes))


def _dot(v: np.ndarray, m: np.ndarray) -> Any:
    if v.dtype == object or m.dtype == object:
        return sum((a * b for a, b in zip(v, m)), Fraction(0))
    return float(np.dot(v, m))


def regrets(game: NormalFormGame, profile: Sequence[Sequence[Any]]) -> tuple:
    """Each player's regret :math:`r_i(\\sigma)` (exact in exact mode, else float)."""
    mixes = check_profile(game, profile)
    out = []
    for v, m in zip(payoff_vectors(game, profile), mixes):
        value = _dot(v, m)
        best = max(v) if v.dtype == object else float(v.max())
        out.append(best - value if v.dtype == object else max(0.0, best - value))
    return tuple(out)


def max_regret(game: NormalFormGame, profile: Sequence[Sequence[Any]]) -> Any:
    """:math:`\\max_i r_i(\\sigma)`; 0 exactly at an exact equilibrium."""
    return max(regrets(game, profile))


def is_nash(game: NormalFormGame, profile: Sequence[Sequence[Any]], tol: float | None = None) -> bool:
    """True if no player gains more than ``tol`` by deviating (exactly 0 for exact input)."""
    r = max_regret(game, profile)
    if isinstance(r, Fraction):
        return r == 0
    return r <= (default_tolerance(game) * 10 if tol is None else tol)


def _stack(
    game: NormalFormGame, profiles: Sequence[Sequence[Sequence[Any]]]
) -> tuple[list[np.ndarray], bool] | None:
    """The profiles as one ``(E, m_i)`` array per player, validated as :func:`check_profile`
    does, and whether they are exact; ``None`` when exact and float profiles are mixed (then
    each is checked on its own)."""
    kinds = {all(isinstance(p, (int, Fraction)) for probs in prof for p in probs) for prof in profiles}
    if len(kinds) != 1:
        return None
    exact = kinds.pop()
    if exact and not game.exact:
        return None  # rational profiles of a float game: checked one by one, as max_regret does
    E = len(profiles)
    for prof in profiles:
        if len(prof) != game.num_players:
            raise GameValidationError(
                f"profile has {len(prof)} strategies for a {game.num_players}-player game"
            )
    mixes = []
    for i, m in enumerate(game.shape):
        rows = [prof[i] for prof in profiles]
        if any(len(r) != m for r in rows):
            bad = next(len(r) for r in rows if len(r) != m)
            raise GameValidationError(
                f"player {game.players[i]!r} has {m} strategies, profile gives {bad} probabilities"
            )
        if exact:
            M = np.empty((E, m), dtype=object)
            M[:] = [[Fraction(p) for p in r] for r in rows]
            if (M < 0).any() or any(sum(r) != 1 for r in M.tolist()):
                raise GameValidationError(
                    f"probabilities of player {game.players[i]!r} must be >= 0 and sum to 1"
                )
        else:
            M = np.array(rows, dtype=np.float64).reshape(E, m)
            tol = 1e-9
            if np.any(M < -tol) or np.any(np.abs(M.sum(axis=1) - 1.0) > tol * max(1, m)):
                raise GameValidationError(
                    f"probabilities of player {game.players[i]!r} must be >= 0 and sum to 1"
                )
        mixes.append(M)
    return mixes, bool(exact)


def max_regrets(game: NormalFormGame, profiles: Sequence[Sequence[Sequence[Any]]]) -> list[Any]:
    """:func:`max_regret` of many profiles of one game in one vectorised step (the certificate
    of all equilibria of a solution at once): for each player i the pure-strategy payoffs
    :math:`v_i(s_i) = \\sum_{s_{-i}} u_i(s) \\prod_{j \\ne i} \\sigma_j(s_j)` of every profile
    are one contraction of the payoff tensor with the stacked mixes, and
    :math:`r = \\max_i (\\max v_i - \\sigma_i \\cdot v_i)`. Exact (Fractions) when the game and
    every profile are exact, else floats (each player's regret clipped at 0, as
    :func:`regrets`)."""
    if not profiles:
        return []
    if not game.exact:
        dims = game.payoffs.shape  # (players, m_0, m_1, ...)
        if len(dims) == 3 and dims[1] < 8 and dims[2] < 8 and dims[1] * dims[2] <= _SMALL_CELLS:
            small = _max_regrets_small(game, profiles)
            if small is not None:
                return small
    stacked = _stack(game, profiles)
    if stacked is None:
        return [max_regret(game, p) for p in profiles]
    mixes, exact = stacked
    payoffs = game.payoffs if exact else game.float_payoffs
    n = game.num_players
    E = len(profiles)
    worst = None
    for i in range(n):
        T = payoffs[i][None, ...]  # (1, m_0, ..., m_{n-1}); axis j + 1 is player j
        for j in range(n - 1, -1, -1):
            if j == i:
                continue
            shape = [E] + [1] * (T.ndim - 1)
            shape[j + 1] = game.shape[j]
            T = (T * mixes[j].reshape(shape)).sum(axis=j + 1)
        v = T.reshape(E, game.shape[i])  # (E, m_i)
        value = (v * mixes[i]).sum(axis=1)
        r = v.max(axis=1) - value
        if not exact:
            r = np.maximum(r, 0.0)
        worst = r if worst is None else np.maximum(worst, r)
    return [] if worst is None else worst.tolist()


_SMALL_CELLS = 36  # two-player float games up to this many cells: Python floats (measured)


def _max_regrets_small(game: NormalFormGame, profiles: Sequence[Sequence[Sequence[Any]]]) -> list[Any] | None:
    """:func:`max_regrets` of float profiles of a small two-player float game in Python floats
    (a numpy call costs more than such a game's sums), with the same validation; the regrets
    agree with numpy's contraction up to rounding (numpy may order a short sum differently, by
    SIMD lanes); ``None`` unless every probability is a float. The work is done by the game's shape's
    :func:`_small_kernel`."""
    shape = game.payoffs.shape
    kernel = _KERNELS.get(shape)
    if kernel is None:
        kernel = _KERNELS[shape] = _small_kernel(shape[1], shape[2])
    return kernel(game.float_payoffs.tolist(), profiles)


#: (2, m, n) -> the kernel of :func:`_max_regrets_small` for m x n games
_KERNELS: dict[tuple[int, ...], Callable[[list, Sequence], list[Any] | None]] = {}


def _small_kernel(m: int, n: int) -> Callable[[list, Sequence], list[Any] | None]:
    """The regrets of float profiles of an ``m x n`` float game, as Python source written out
    for this shape and compiled once (a loop over a few floats costs more in Python than the
    arithmetic). For each profile ``(x, y)``, with ``A, B`` the payoffs:

    - validation as :func:`check_profile` (each probability a float, ``min >= -1e-9``, the sum
      within ``1e-9 * max(1, k)`` of 1; else ``None``: the general path decides or raises);
    - :math:`v^A_i = \\sum_j A_{ij} y_j`, :math:`v^B_j = \\sum_i B_{ij} x_i`,
      :math:`r = \\max(\\max(\\max_i v^A_i - x \\cdot v^A, 0), \\max(\\max_j v^B_j - y \\cdot v^B, 0))`.

    Every sum is written as Python's ``sum`` adds: ``0.0 + t_0 + t_1 + ...`` in index order
    (``sum`` starts at the integer 0), and ``max``/``min`` are the builtins on the same
    sequence, so the kernel gives the same floats, NaN and signed zeros included, as the loop
    ``sum(map(mul, row, y))`` it replaces (tested against it bit for bit, and against the numpy
    contraction up to rounding).

    Only the two integers of the shape enter the source; payoffs and profiles are arguments of
    the compiled function, so no data of a game is ever compiled or executed."""
    m, n = int(m), int(n)
    xs = [f"x{i}" for i in range(m)]
    ys = [f"y{j}" for j in range(n)]

    def total(terms: list[str]) -> str:
        return "(0.0 + " + " + ".join(terms) + ")"

    def largest(names: list[str]) -> str:
        return names[0] if len(names) == 1 else "max(" + ", ".join(names) + ")"

    def unpack(names: list[str]) -> str:
        return ", ".join(names) + ("," if len(names) == 1 else "")

    rows_a = ", ".join("(" + unpack([f"a{i}_{j}" for j in range(n)]) + ")" for i in range(m))
    rows_b = ", ".join("(" + unpack([f"b{i}_{j}" for j in range(n)]) + ")" for i in range(m))
    types = " or ".join(f"type({v}) is not float" for v in xs + ys)
    tol_x, tol_y = repr(1e-9 * max(1, m)), repr(1e-9 * max(1, n))
    va = [f"va{i}" for i in range(m)]
    vb = [f"vb{j}" for j in range(n)]
    lines = [
        "def kernel(P, profiles):",
        f"    ({rows_a},), ({rows_b},) = P",
        "    for prof in profiles:",
        "        if len(prof) != 2:",
        "            return None",
        "        x, y = prof",
        f"        if len(x) != {m} or len(y) != {n}:",
        "            return None",
        f"        {unpack(xs)} = x",
        f"        {unpack(ys)} = y",
        f"        if {types}:",
        "            return None",
        "    out = []",
        "    for x, y in profiles:",
        f"        {unpack(xs)} = x",
        f"        {unpack(ys)} = y",
        f"        if min(x) < -1e-09 or abs({total(xs)} - 1.0) > {tol_x}:",
        "            return None",
        f"        if min(y) < -1e-09 or abs({total(ys)} - 1.0) > {tol_y}:",
        "            return None",
    ]
    for i in range(m):
        lines.append(f"        va{i} = " + total([f"a{i}_{j} * y{j}" for j in range(n)]))
    for j in range(n):
        lines.append(f"        vb{j} = " + total([f"b{i}_{j} * x{i}" for i in range(m)]))
    lines += [
        f"        ra = {largest(va)} - " + total([f"va{i} * x{i}" for i in range(m)]),
        f"        rb = {largest(vb)} - " + total([f"vb{j} * y{j}" for j in range(n)]),
        "        out.append(max(max(ra, 0.0), max(rb, 0.0)))",
        "    return out",
    ]
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), f"<regret kernel {m}x{n}>", "exec"), namespace)
    return namespace["kernel"]
