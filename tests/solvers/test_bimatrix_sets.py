"""Maximal Nash subsets, connected components and indices of two-player games, checked against
an independent brute force written here in exact Fractions: every vertex of both best-response
polytopes by solving every choice of tight constraints, the completely labelled pairs, and the
maximal product sets among them (hypothesis: coarse payoff grids, duplicated rows and columns,
constant players)."""

from __future__ import annotations

from fractions import Fraction as F
from itertools import combinations

import numpy as np
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bargaining import NormalFormGame, solve
from bargaining.cli import main
from bargaining.verify import normal as verify


def _solve_fr(rows, rhs):
    k = len(rows)
    aug = [list(r) + [b] for r, b in zip(rows, rhs)]
    for c in range(k):
        p = next((r for r in range(c, k) if aug[r][c] != 0), None)
        if p is None:
            return None
        aug[c], aug[p] = aug[p], aug[c]
        aug[c] = [v / aug[c][c] for v in aug[c]]
        for r in range(k):
            if r != c and aug[r][c] != 0:
                aug[r] = [a - aug[r][c] * b for a, b in zip(aug[r], aug[c])]
    return [aug[r][k] for r in range(k)]


def _vertices(M):
    """Vertices x != 0 of {x >= 0, M^T x <= 1} (M positive, d x n) with their label sets
    (i: x_i = 0; d + j: column j tight), by brute force over d tight constraints."""
    d, n = len(M), len(M[0])
    cons = [([F(int(i == t)) for t in range(d)], F(0)) for i in range(d)]
    cons += [([M[t][j] for t in range(d)], F(1)) for j in range(n)]
    out = {}
    for pick in combinations(range(d + n), d):
        x = _solve_fr([cons[c][0] for c in pick], [cons[c][1] for c in pick])
        if x is None or any(v < 0 for v in x) or all(v == 0 for v in x):
            continue
        if any(sum(M[t][j] * x[t] for t in range(d)) > 1 for j in range(n)):
            continue
        labels = frozenset(c for c, (a, b) in enumerate(cons) if sum(p * q for p, q in zip(a, x)) == b)
        s = sum(x)
        out[tuple(v / s for v in x)] = labels
    return out


def brute_force(A, B):
    """Extreme equilibria and maximal Nash subsets (as sets of profiles)."""
    m, n = len(A), len(A[0])
    lo_a = min(min(r) for r in A)
    lo_b = min(min(r) for r in B)
    P = _vertices([[B[i][j] - lo_b + 1 for j in range(n)] for i in range(m)])
    Q = _vertices([[A[i][j] - lo_a + 1 for i in range(m)] for j in range(n)])
    eqs = set()
    for x, lx in P.items():
        for y, ly in Q.items():
            # P: i row zero, m + j column tight; Q: j column zero -> m + j, n + i row tight -> i
            lq = {m + c if c < n else c - n for c in ly}
            if set(lx) | lq == set(range(m + n)):
                eqs.add((x, y))
    xs = sorted({x for x, _ in eqs})
    subsets = []
    for r in range(1, len(xs) + 1):
        for X in combinations(xs, r):
            Y = {y for _, y in eqs if all((x, y) in eqs for x in X)}
            if not Y:
                continue
            Xc = {x for x in xs if all((x, y) in eqs for y in Y)}
            if set(X) == Xc:
                subsets.append(frozenset((x, y) for x in X for y in Y))
    return eqs, set(subsets)


cell = st.sampled_from([0, 1, 2])


@st.composite
def degenerate_games(draw):
    m, n = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    A = [[draw(cell) for _ in range(n)] for _ in range(m)]
    B = [[draw(cell) for _ in range(n)] for _ in range(m)]
    kind = draw(st.sampled_from(["grid", "dup-row", "dup-col", "const-row", "const-col"]))
    if kind == "dup-row" and m > 1:
        A[1], B[1] = list(A[0]), list(B[0])
    if kind == "dup-col" and n > 1:
        for r in range(m):
            A[r][1], B[r][1] = A[r][0], B[r][0]
    if kind == "const-row":
        A = [[1] * n for _ in range(m)]
    if kind == "const-col":
        c = draw(cell)
        B = [[c] * n for _ in range(m)]
    return A, B


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(degenerate_games(), st.booleans())
def test_degenerate_games_against_brute_force(game, exact):
    A, B = game
    g = NormalFormGame.from_arrays(A, B, exact=exact)
    sol = solve(g)
    assert sol.complete
    want_eqs, want_subsets = brute_force([[F(v) for v in r] for r in A], [[F(v) for v in r] for r in B])
    got = [
        tuple(tuple(F(p) if exact else F(p).limit_denominator(1000) for p in s) for s in e.strategies)
        for e in sol.equilibria
    ]
    hidden = [s for s in sol.extra["equilibrium_sets"] if s.get("vertices_listed") is False]
    assert not hidden  # at most 9 vertices here
    assert set(got) == want_eqs and len(got) == len(want_eqs)
    for e in sol.equilibria:
        assert verify.is_nash(g, e.strategies)
    assert {frozenset(got[k] for k in c) for c in sol.components} == want_subsets
    assert sol.extra["maximal_nash_subsets"] == [list(c) for c in sol.components]
    # connected components: a partition of the subsets; subsets sharing a profile are together
    cc = sol.extra["connected_components"]
    assert sorted(i for c in cc for i in c) == list(range(len(sol.components)))
    where = {i: k for k, c in enumerate(cc) for i in c}
    for a in range(len(sol.components)):
        for b in range(len(sol.components)):
            if set(sol.components[a]) & set(sol.components[b]):
                assert where[a] == where[b]


square = st.integers(2, 4).flatmap(
    lambda n: st.tuples(
        st.lists(st.lists(st.integers(-50, 50), min_size=n, max_size=n), min_size=n, max_size=n),
        st.lists(st.lists(st.integers(-50, 50), min_size=n, max_size=n), min_size=n, max_size=n),
    )
)


@settings(max_examples=80, deadline=None)
@given(square)
def test_indices_sum_to_one_when_all_computed(game):
    sol = solve(NormalFormGame.from_arrays(*game, exact=True))
    idx = sol.extra["component_index"]
    assert len(idx) == len(sol.extra["connected_components"])
    if all(i is not None for i in idx):
        assert sum(idx) == 1


def test_three_subsets_one_component():
    # .nfg payoff order 1 1 1 0 1 0 1 1: the row player is indifferent, the column player
    # wants to match; subsets {T,B}x{L}, {T,B}x{R} and {x=(1/2,1/2)} x [L,R] meet pairwise
    g = NormalFormGame.from_arrays([[1, 1], [1, 1]], [[1, 0], [0, 1]], exact=True)
    sol = solve(g)
    H = F(1, 2)
    assert [e.strategies for e in sol.equilibria] == [
        ((1, 0), (1, 0)),
        ((0, 1), (0, 1)),
        ((H, H), (1, 0)),
        ((H, H), (0, 1)),
    ] or len(sol.equilibria) == 4
    assert len(sol.extra["maximal_nash_subsets"]) == 3
    assert sol.extra["connected_components"] == [[0, 1, 2]]
    assert sol.extra["component_index"] == [None]


def test_battle_of_the_sexes_indices():
    sol = solve(NormalFormGame.from_arrays([[3, 0], [0, 2]], [[2, 0], [0, 3]], exact=True))
    # two pure equilibria (index +1) and the mixed one (index -1)
    assert sol.extra["component_index"] == [1, 1, -1]


def test_cli_exit_status_3_when_incomplete(tmp_path):
    rng = np.random.default_rng(0)
    A, B = rng.random((12, 12)), rng.random((12, 12))
    cells = " ".join(f"{float(A[i, j])!r} {float(B[i, j])!r}" for j in range(12) for i in range(12))
    f = tmp_path / "g.nfg"
    names = " ".join(f'"s{k}"' for k in range(12))
    f.write_text(f'NFG 1 R "g" {{ "A" "B" }} {{ {{ {names} }} {{ {names} }} }}\n{cells}\n')
    r = CliRunner().invoke(main, ["solve", str(f), "--timeout", "0.01", "--format", "json"])
    assert r.exit_code == 3, r.output
    r = CliRunner().invoke(main, ["solve", "battle-of-the-sexes", "--timeout", "none"])
    assert r.exit_code == 0, r.output
