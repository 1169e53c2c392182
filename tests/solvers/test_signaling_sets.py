"""PBE *sets* of signaling games: families with dimension, vertices and description.

Hand-derived answers for resolve-signal (payoffs after the later stages, defaults W = 1, f_S =
0.2, f_B = -0.5, c_S = 0.1, c_B = 0.3, a = 0.2, y_C = 0.4, y_A = y_W = 1): after either message
Russia compromises iff P(S) >= mu* = 3/10; S follows through, B backs down. Payoffs of S: E/C W
- c_S, E/A f_S - c_S, N/C W, N/A f_S; of B: E/C W - c_B, E/A -(c_B + a), N/C W, N/A 0.

And a property test: random 2x2x2 games with payoffs on a 1/4 grid (heavy ties) against an
independent brute force over an exact rational grid (vectorised integer arithmetic).
"""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bargaining
from bargaining.model.signaling import SignalingGame
from bargaining.report.explain import explain
from bargaining.solvers.signaling import pbe as _pbe
from bargaining.verify import certify
from bargaining.verify.signaling import assessment_regret


def pbe(game, **options):
    """The solver's answer with the dispatcher's independent certificate (``regret``)."""
    return certify(game, _pbe(game, **options))


def g1(**params):
    return bargaining.load("resolve-signal").with_params(**params)


def strategy(v, who):
    return {k: {x: p for x, p in d.items() if p} for k, d in v[who].items() if d is not None}


def family_with(sol, pred):
    out = [eq for eq in sol.equilibria if pred(eq)]
    assert len(out) == 1, [eq.extra["description"] for eq in sol.equilibria]
    return out[0]


def all_regrets_zero(sol):
    # the dispatcher's certificate covers the representative point and every vertex
    for eq in sol.equilibria:
        assert eq.regret == 0
        for v in eq.extra["vertices"]:
            sigma = [[v["sender_strategy"][t][m] for m in eq_messages(sol)] for t in sol.game.types]
            rho = [[v["sustaining_responses"][m][r] for r in sol.game.responses] for m in eq_messages(sol)]
            mu = [[v["sustaining_beliefs"][m][t] for t in sol.game.types] for m in eq_messages(sol)]
            assert assessment_regret(sol.game, sigma, rho, mu, eq.witness.get("plans")) == 0


def eq_messages(sol):
    return sol.game.messages


# ------------------------------------------------------------------------------ bullet 1
def test_c_S_one_third_both_types_mix_on_a_segment():
    """c_S = 1/3, rho = P(C | E), A after N. S: E gives rho(W - c_S) + (1 - rho)(f_S - c_S) =
    (12 rho - 2)/15, N gives f_S = 3/15: indifferent at rho = 5/12. B: E gives 0.7 rho - 0.5 (1 -
    rho) = 0 at rho = 5/12, N gives 0: indifferent too. Russia mixes after E only at P(S | E) =
    3/10: (1/4) s / ((1/4) s + (3/4) b) = 3/10 gives b = 7 s / 9; after N, P(S | N) <= 1/4 < 3/10
    so A. Every s in [0, 1] works: a segment from (0, 0) (E leaves the path) to (1, 7/9)."""
    sol = pbe(g1(c_S="1/3"), exact=True)
    assert sol.complete
    fam = family_with(sol, lambda eq: eq.extra["dimension"] == 1)
    assert fam.label == "semi-separating"
    assert (
        "σ_B(E) = 7/9·σ_S(E)" in fam.extra["description"] and "σ_S(E) from 0 to 1" in fam.extra["description"]
    )
    ends = {(v["sender_strategy"]["S"]["E"], v["sender_strategy"]["B"]["E"]) for v in fam.extra["vertices"]}
    assert ends == {(0, 0), (1, F(7, 9))}
    for v in fam.extra["vertices"]:
        if v["sender_strategy"]["S"]["E"] == 0:  # E leaves the path: the family's response stays
            (off,) = v["off_path"]
            assert off["leaves_path"] and off["family_response"] == {"C": F(5, 12), "A": F(7, 12)}
        else:
            assert v["receiver_strategy"]["E"] == {"C": F(5, 12), "A": F(7, 12)}
        assert v["receiver_strategy"]["N"] == {"C": 0, "A": 1}
    # every point of the segment is a PBE (independent certificate)
    game = g1(c_S="1/3")
    for s in (F(0), F(1, 7), F(1, 2), F(1)):
        b = F(7, 9) * s
        sigma = [[s, 1 - s], [b, 1 - b]]
        rho = [[F(5, 12), F(7, 12)], [F(0), F(1)]]
        pn = F(1, 4) * (1 - s) + F(3, 4) * (1 - b)
        mu_n = [F(1, 4) * (1 - s) / pn, F(3, 4) * (1 - b) / pn]
        plans = {(0, 0, 1): ("F",), (0, 1, 1): ("F",), (1, 0, 1): ("D",), (1, 1, 1): ("D",)}
        assert assessment_regret(game, sigma, rho, [[F(3, 10), F(7, 10)], mu_n], plans) == 0
    all_regrets_zero(sol)


# ------------------------------------------------------------------------------ bullet 2
def test_c_B_equal_W_one_family_from_separating_to_hybrid():
    """c_B = W = 1: B gets W - c_B = 0 from E answered by C and 0 from N answered by A, so B may
    mix; C after E needs P(S | E) = (1/4) / (1/4 + (3/4) b) >= 3/10, i.e. b <= 7/9. S strictly
    prefers E (0.9 > 0.2). One segment b in [0, 7/9]: separating at b = 0, hybrid at 7/9."""
    sol = pbe(g1(c_B=1), exact=True)
    assert sol.complete and len(sol.equilibria) == 2
    fam = family_with(sol, lambda eq: eq.extra["dimension"] == 1)
    assert fam.extra["description"] == "a segment: σ_B(E) from 0 to 7/9, S sends E, C after E, A after N"
    assert sorted(v["sender_strategy"]["B"]["E"] for v in fam.extra["vertices"]) == [0, F(7, 9)]
    assert sorted(v["label"] for v in fam.extra["vertices"]) == ["semi-separating", "separating"]
    pool = family_with(sol, lambda eq: eq.extra["dimension"] == 0)
    assert pool.label == "pooling on N"
    text = explain(g1(c_B=1))
    assert "There are 2 PBE families (1 single point, 1 continuum of equilibria)" in text
    assert "a segment: σ_B(E) from 0 to 7/9" in text
    all_regrets_zero(sol)


# ------------------------------------------------------------------------------ bullet 3
def test_prior_at_threshold_pooling_on_E_for_a_range_of_rho():
    """p = mu* = 3/10: after pooled E Russia is indifferent, q = P(C | E) free. N is deterred
    most cheaply by A (a belief P(S | N) <= 3/10): B needs 0.7 q - 0.5 (1 - q) >= 0, q >= 5/12;
    S needs 0.9 q + 0.1 (1 - q) >= 0.2, q >= 1/8. So q in [5/12, 1]. Pooling on N: any
    P(C | N) in [0, 1] (E answered by A deters: S 0.1 < 0.2, B -0.5 < 0)."""
    sol = pbe(g1(p="3/10"), exact=True)
    assert sol.complete and sol.message is None
    e = family_with(sol, lambda eq: eq.label == "pooling on E")
    assert e.extra["dimension"] == 1 and "ρ_E(C) from 5/12 to 1" in e.extra["description"]
    assert sorted(v["receiver_strategy"]["E"]["C"] for v in e.extra["vertices"]) == [F(5, 12), 1]
    n = family_with(sol, lambda eq: eq.label == "pooling on N")
    assert n.extra["dimension"] == 1 and "ρ_N(C) from 0 to 1" in n.extra["description"]
    # D1 over the family: at C after N both types get 1 > their best from E (0.9, 0.7), so
    # every type is deleted at E and D1 holds; at A after N the bluffer is deleted and S deviates
    over = n.extra["refinements_over_family"]["d1"]
    assert over["part"] == "part"
    (k,) = over["surviving_vertices"]
    assert n.extra["vertices"][k]["receiver_strategy"]["N"]["C"] == 1
    all_regrets_zero(sol)


# ------------------------------------------------------------------------------ bullet 4
def test_spence_hybrid_families_exact():
    """Spence on the grid (prior 1/2; wages 1, 1.5, 2; costs e/1 and e/2). Firm: w_low iff
    P(H) <= 1/4, w_mid for [1/4, 3/4], w_high iff >= 3/4. Hybrid families (derived by hand):
    L e0, H e0/e1 (w_mid, w_high): P(H | e0) = s/(1 + s) >= 1/4 iff s >= 1/3, H 1.5 = 2 - 1/2;
    L e0, H e0/e2 (w_low, w_high): s <= 1/3, H 1 = 2 - 1;
    H e1, L e0/e1 (w_low, w_high): P(H | e1) = 1/(2 - a) >= 3/4 iff a >= 2/3, L 1 = 2 - 1;
    H e0.5, L e0/e0.5 (w_low, w_mid): 1/(2 - a) <= 3/4 iff a <= 2/3, L 1 = 1.5 - 0.5;
    L e0.5, H e0.5/e1.5 (w_mid, w_high): b/(1 + b) >= 1/4 iff b >= 1/3, H 1.25 = 2 - 0.75;
    L e0/e0.5 and H e0.5/e1.5 (w_low, w_mid, w_high): the polygon a >= 0, b >= 0 with b <= 3a,
    a <= 3b on [0, 1]^2 (a = P(L sends e0.5), b = P(H sends e0.5));
    L e0, H e0/e1.5 with the firm mixing after e0: P(H | e0) = 1/4 (s = 1/3), H indifferent
    at rho(w_low) (1) + (1 - rho)(1.5) = 1.25: rho = 1/2 (a point)."""
    sol = pbe(bargaining.load("spence-job-market").with_params(), exact=True)
    assert sol.complete
    hybrid = {}
    for eq in sol.equilibria:
        if eq.label != "semi-separating":
            continue
        sup = tuple(tuple(m for m, p in eq.extra["sender_strategy"][t].items() if p) for t in ("L", "H"))
        verts = sorted(
            tuple(v["sender_strategy"][t][m] for t, m in (("L", "e0.5"), ("H", "e0")))
            for v in eq.extra["vertices"]
        )
        hybrid[sup] = (eq.extra["dimension"], verts)
    assert hybrid == {
        (("e0",), ("e0", "e1")): (1, [(0, F(1, 3)), (0, 1)]),
        (("e0",), ("e0", "e2")): (1, [(0, 0), (0, F(1, 3))]),
        (("e0", "e1"), ("e1",)): (1, [(0, 0), (0, 0)]),
        (("e0", "e0.5"), ("e0.5",)): (1, [(F(1, 3), 0), (1, 0)]),
        (("e0.5",), ("e0.5", "e1.5")): (1, [(1, 0), (1, 0)]),
        (("e0", "e0.5"), ("e0.5", "e1.5")): (2, [(0, 0), (F(1, 3), 0), (1, 0), (1, 0)]),
        (("e0",), ("e0", "e1.5")): (0, [(0, F(1, 3))]),
    }
    poly = next(eq for eq in sol.equilibria if eq.extra["dimension"] == 2)
    corners = {
        (v["sender_strategy"]["L"]["e0.5"], v["sender_strategy"]["H"]["e0.5"]) for v in poly.extra["vertices"]
    }
    assert corners == {(0, 0), (1, 1), (1, F(1, 3)), (F(1, 3), 1)}
    all_regrets_zero(sol)


# ------------------------------------------------------------------------------ property test
GRID = 12  # sigma and rho on multiples of 1/12; with payoffs on a 1/4 grid mixed replies are k/12


def brute_force(prior4: tuple[int, int], US: np.ndarray, UR: np.ndarray) -> np.ndarray:
    """Every PBE of a 2-type, 2-message, 2-response game with sigma_t(m0), rho_m(r0) on the grid
    k/12 (independent of the solver: explicit best-response conditions in integer arithmetic).
    ``prior4``: the prior times 4 (both positive); ``US``, ``UR``: payoffs times 4, [t][m][r].
    Returns rows (s0, s1, r0, r1) in units of 1/12."""
    k = np.arange(GRID + 1)
    s0, s1, r0, r1 = (a.ravel() for a in np.meshgrid(k, k, k, k, indexing="ij"))
    s = (s0, s1)
    r = (r0, r1)
    ok = np.ones(s0.shape, bool)
    V = [[r[m] * US[t, m, 0] + (GRID - r[m]) * US[t, m, 1] for m in range(2)] for t in range(2)]
    for t in range(2):
        ok &= (s[t] == 0) | (V[t][0] >= V[t][1])
        ok &= (s[t] == GRID) | (V[t][1] >= V[t][0])
    for m in range(2):
        w = [prior4[t] * (s[t] if m == 0 else GRID - s[t]) for t in range(2)]
        on = (w[0] + w[1]) > 0
        d = w[0] * (UR[0, m, 0] - UR[0, m, 1]) + w[1] * (UR[1, m, 0] - UR[1, m, 1])
        on_ok = ((r[m] == 0) | (d >= 0)) & ((r[m] == GRID) | (d <= 0))
        D = [int(UR[t, m, 0] - UR[t, m, 1]) for t in range(2)]
        can0, can1 = max(D) >= 0, min(D) <= 0  # r0 (r1) is a best reply to some belief
        off_ok = ((r[m] == 0) | can0) & ((r[m] == GRID) | can1)
        ok &= np.where(on, on_ok, off_ok)
    return np.stack([s0[ok], s1[ok], r0[ok], r1[ok]], axis=1)


def independent_is_pbe(prior, US, UR, sigma, rho) -> bool:
    """The same conditions in Fractions for one point (rho given after every message)."""
    for t in range(2):
        V = [rho[m][0] * US[t][m][0] + rho[m][1] * US[t][m][1] for m in range(2)]
        if any(sigma[t][m] > 0 and V[m] < max(V) for m in range(2)):
            return False
    for m in range(2):
        w = [prior[t] * sigma[t][m] for t in range(2)]
        D = [UR[t][m][0] - UR[t][m][1] for t in range(2)]
        if sum(w) > 0:
            d = w[0] * D[0] + w[1] * D[1]
            if (rho[m][0] > 0 and d < 0) or (rho[m][1] > 0 and d > 0):
                return False
        elif (rho[m][0] > 0 and max(D) < 0) or (rho[m][1] > 0 and min(D) > 0):
            return False
    return True


def in_hull(x: list[F], pts: list[list[F]]) -> bool:
    """Exact: is x a convex combination of pts? (small cases: by the affine hull and, in up to
    two dimensions, explicit tests; else a float LP)."""
    pts = [list(p) for p in {tuple(p) for p in pts}]
    if x in pts:
        return True
    if len(pts) == 1:
        return False
    if len(pts) == 2:  # on the segment: x = a + t (b - a) with one t in [0, 1]
        a, b = pts
        ts = {(xi - ai) / (bi - ai) for xi, ai, bi in zip(x, a, b) if bi != ai}
        fixed = all(xi == ai for xi, ai, bi in zip(x, a, b) if bi == ai)
        return fixed and len(ts) == 1 and 0 <= next(iter(ts)) <= 1
    from scipy.optimize import linprog

    A = np.array([[float(p[i]) for p in pts] for i in range(len(x))] + [[1.0] * len(pts)])
    b = np.array([float(v) for v in x] + [1.0])
    res = linprog(np.zeros(len(pts)), A_eq=A, b_eq=b, bounds=[(0, None)] * len(pts), method="highs")
    return res.status == 0 and np.allclose(A @ res.x, b, atol=1e-9)


def family_coords(eq, on: tuple[int, ...], game):
    """(sigma_t(m0) per type, rho_m(r0) per on-path message) at every vertex of a family."""
    M, R = game.messages, game.responses
    pts = []
    for v in eq.extra["vertices"]:
        rho = {}
        for m in on:
            d = v["receiver_strategy"][M[m]]
            if d is None:
                d = next(o["family_response"] for o in v["off_path"] if o["message"] == M[m])
            rho[m] = d[R[0]]
        pts.append([v["sender_strategy"][t][M[0]] for t in game.types] + [rho[m] for m in on])
    return pts


def on_path_of(eq, game) -> tuple[int, ...]:
    return tuple(j for j, m in enumerate(game.messages) if m in eq.extra["beliefs_on_path"])


quarter = st.integers(0, 4)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    p=st.integers(1, 3),
    us=st.lists(quarter, min_size=8, max_size=8),
    ur=st.lists(quarter, min_size=8, max_size=8),
)
def test_random_tied_games_families_cover_the_brute_force(p, us, ur):
    US4 = np.array(us).reshape(2, 2, 2)
    UR4 = np.array(ur).reshape(2, 2, 2)
    prior = [F(p, 4), F(4 - p, 4)]
    pay = {
        t: {
            m: {r: [F(int(US4[i, j, k]), 4), F(int(UR4[i, j, k]), 4)] for k, r in enumerate("xy")}
            for j, m in enumerate("ab")
        }
        for i, t in enumerate("ST")
    }
    game = SignalingGame.build({"S": prior[0], "T": prior[1]}, ["a", "b"], ["x", "y"], pay)
    sol = pbe(game, exact=True)
    assert sol.complete
    US = [[[F(int(US4[t, m, r]), 4) for r in range(2)] for m in range(2)] for t in range(2)]
    UR = [[[F(int(UR4[t, m, r]), 4) for r in range(2)] for m in range(2)] for t in range(2)]
    # every reported vertex (and representative) is a PBE: the off-path response interval's
    # both ends must deter and be best replies to some belief
    for eq in sol.equilibria:
        for v in eq.extra["vertices"] + [
            eq.to_dict(True)
            | {
                "receiver_strategy": eq.extra["receiver_strategy"],
                "sender_strategy": eq.extra["sender_strategy"],
                "off_path": eq.extra["off_path"],
            }
        ]:
            sigma = [[F(v["sender_strategy"][t][m]) for m in "ab"] for t in "ST"]
            ends = []
            for m in "ab":
                d = v["receiver_strategy"][m]
                if d is not None:
                    ends.append([(F(d["x"]), F(d["y"]))])
                else:
                    o = next(o for o in v["off_path"] if o["message"] == m)
                    lo, hi = (F(x) for x in o["responses"]["x"])
                    ends.append([(lo, 1 - lo), (hi, 1 - hi)])
            for rho in itertools.product(*ends):
                assert independent_is_pbe(prior, US, UR, sigma, rho), (v, rho)
    # every brute-force PBE lies in a reported family with the same messages on the path
    pts = brute_force((p, 4 - p), US4, UR4)
    by_class: dict = {}
    for row in pts:
        s0, s1, r0, r1 = (F(int(x), GRID) for x in row)
        on = tuple(
            m
            for m in range(2)
            if prior[0] * (s0 if m == 0 else 1 - s0) + prior[1] * (s1 if m == 0 else 1 - s1) > 0
        )
        key = (
            on,
            tuple(np.sign(row * (GRID - row))),
            tuple(int(x) for x in (row[:2] == 0)),
            tuple(int(x) for x in (row == GRID)),
        )
        by_class.setdefault(key, []).append((s0, s1, r0, r1, on))
    fams = [(on_path_of(eq, game), family_coords(eq, on_path_of(eq, game), game)) for eq in sol.equilibria]
    for rows in by_class.values():
        for s0, s1, r0, r1, on in {rows[0], rows[len(rows) // 2], rows[-1]}:
            x = [s0, s1] + [(r0, r1)[m] for m in on]
            assert any(fo == on and in_hull(x, fp) for fo, fp in fams), (
                x,
                on,
                [e.extra["description"] for e in sol.equilibria],
            )


@pytest.mark.parametrize("c_S", ["0.2", "1/3"])
def test_json_families_have_dimension_vertices_description(c_S):
    import json

    from bargaining.report.render import render_json

    data = json.loads(render_json(pbe(g1(c_S=c_S), exact=True)))
    for e in data["equilibria"]:
        assert {
            "dimension",
            "vertices",
            "description",
            "sender_strategy",
            "receiver_strategy",
            "off_path",
            "refinements",
            "refinements_over_family",
        } <= set(e)
        for v in e["vertices"]:
            assert {
                "sender_strategy",
                "receiver_strategy",
                "beliefs_on_path",
                "off_path",
                "type_payoffs",
                "label",
                "refinements",
            } <= set(v)
