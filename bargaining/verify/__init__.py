"""Independent certificates for every game kind: regret of a profile, Bayes consistency of
beliefs, agent-form regret on trees, PBE assessments, the bargaining models' one-shot
deviations. Solvers never import this package; the dispatcher (:mod:`bargaining.solvers.api`)
and the tests do.

:func:`certify` sets each equilibrium's ``regret`` from the verifier registered for the game's
kind and the solution's concept in :data:`VERIFIERS` (one line adds a verifier).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bargaining.model.profile import Equilibrium, Solution
from bargaining.verify.normal import max_regrets

__all__ = ["certify", "register_verifier", "VERIFIERS", "Verifier", "BATCH_VERIFIERS", "BatchVerifier"]

#: ``verifier(game, equilibrium, concept) -> regret`` (``None``: cannot certify this one)
Verifier = Callable[[Any, Equilibrium, str], Any]
#: ``verifier(game, equilibria, concept) -> regrets``: every equilibrium of a solution at once
BatchVerifier = Callable[[Any, Sequence[Equilibrium], str], list]


def _normal_nash(game: Any, eq: Equilibrium, concept: str) -> Any:
    from bargaining.verify.normal import max_regret

    return None if eq.strategies is None else max_regret(game, eq.strategies)


def _normal_nash_batch(game: Any, eqs: Sequence[Equilibrium], concept: str) -> list:
    """:func:`_normal_nash` for all equilibria in one vectorised step
    (:func:`bargaining.verify.normal.max_regrets`)."""
    given = [eq.strategies for eq in eqs if eq.strategies is not None]
    if len(given) == len(eqs):  # the common case: every equilibrium has its profile
        return max_regrets(game, given)
    with_profile = [k for k, eq in enumerate(eqs) if eq.strategies is not None]
    out: list = [None] * len(eqs)
    profiles = [eqs[k].mixed_profile for k in with_profile]
    for k, r in zip(with_profile, max_regrets(game, profiles)):
        out[k] = r
    return out


def _tree_spe(game: Any, eq: Equilibrium, concept: str) -> Any:
    from bargaining.verify.tree import spe_regret

    return None if eq.behavior is None else spe_regret(game, eq.behavior)


def _tree_nash(game: Any, eq: Equilibrium, concept: str) -> Any:
    from bargaining.verify.tree import nash_regret

    return None if eq.behavior is None else nash_regret(game, eq.behavior)


def _signaling_pbe(game: Any, eq: Equilibrium, concept: str) -> Any:
    from bargaining.verify.signaling import equilibrium_regret

    return equilibrium_regret(game, eq)


def _model(game: Any, eq: Equilibrium, concept: str) -> Any:
    from bargaining.verify.models import model_regret

    return model_regret(game, eq, concept)


def _tree_sequential(game: Any, eq: Equilibrium, concept: str) -> Any:
    """Sequential rationality at every information set given the beliefs, Bayes' rule on the
    path, and consistency of the beliefs with the equilibrium's tremble certificate (the largest
    of the three errors; ``None`` without a certificate). Used for perfect equilibria too, which
    are sequential."""
    from bargaining.verify.sequential import check_assessment

    if eq.behavior is None or eq.beliefs is None:
        return None
    out = check_assessment(game, eq.behavior, eq.beliefs, eq.extra.get("certificate"))
    if out["consistency"] is None:
        return None
    return max(out["regret"], out["bayes"], out["consistency"])


def _pass_fail(check: Callable[..., dict], **options: Any) -> Verifier:
    """A verifier from a check that returns named pass/fail tests with ``"ok"``: the certificate
    is 0 when every test passes and 1 otherwise (commitment, mediation and repeated-game
    answers have no single regret)."""

    def verifier(game: Any, eq: Equilibrium, concept: str) -> Any:
        return 0 if check(game, eq, **options)["ok"] else 1

    return verifier


def _commitment_verifiers() -> dict[tuple[str, str], Verifier]:
    from bargaining.verify.commitment import (
        check_correlated,
        check_persuasion,
        check_repeated,
        check_stackelberg,
    )

    return {
        ("normal", "stackelberg"): _pass_fail(check_stackelberg),
        ("normal", "correlated"): _pass_fail(check_correlated),
        ("normal", "coarse-correlated"): _pass_fail(check_correlated, coarse=True),
        ("persuasion", "bayesian-persuasion"): _pass_fail(check_persuasion),
        ("normal", "repeated-spe-payoffs"): _pass_fail(check_repeated),
    }


#: (game kind, JSON concept or ``"*"`` for any) -> verifier
VERIFIERS: dict[tuple[str, str], Verifier] = {
    ("normal", "nash"): _normal_nash,
    ("tree", "subgame-perfect"): _tree_spe,
    ("tree", "nash"): _tree_nash,
    ("signaling", "perfect-bayesian"): _signaling_pbe,
    ("model", "*"): _model,
    ("tree", "sequential"): _tree_sequential,
    ("tree", "trembling-hand-perfect"): _tree_sequential,
    ("normal", "proper"): _normal_nash,
    **_commitment_verifiers(),
}


#: (game kind, concept) -> a verifier of all equilibria at once; must agree with
#: :data:`VERIFIERS` for the same key (it only saves the per-equilibrium overhead)
BATCH_VERIFIERS: dict[tuple[str, str], BatchVerifier] = {
    ("normal", "nash"): _normal_nash_batch,
    ("normal", "proper"): _normal_nash_batch,
}


def register_verifier(kind: str, concept: str, verifier: Verifier) -> Verifier:
    """Register ``verifier`` for games of ``kind`` solved for ``concept`` (``"*"``: any); it
    replaces a batched verifier of the same key."""
    VERIFIERS[(kind, concept)] = verifier
    BATCH_VERIFIERS.pop((kind, concept), None)
    return verifier


def certify(game: Any, solution: Solution, *, options: Any = None) -> Solution:
    """``solution`` with each equilibrium's ``regret`` recomputed by the independent verifier of
    the game's kind and the solution's concept. A bargaining model's solution is checked against
    the model it reports (``solution.game``: an axiomatic method may solve the problem behind a
    Rubinstein game). Without a registered verifier, or where the verifier cannot check an
    equilibrium, ``regret`` stays ``None`` (uncertified) and the solution says so. ``options``
    (a mapping), when given, replaces ``solution.options`` in the same copy (the dispatcher's
    record of the options used)."""
    sgame, concept = solution.game, solution.concept
    if sgame is game:  # the dispatcher's case: the solution reports the game it was given
        target = game
    else:
        target = sgame if getattr(sgame, "kind", None) == getattr(game, "kind", None) else game
    kind = getattr(target, "kind", None)
    if kind:
        key = (kind, concept)
        verifier = VERIFIERS.get(key) or VERIFIERS.get((kind, "*"))  # "*": any concept
        batch = BATCH_VERIFIERS.get(key)
    else:
        verifier = batch = None
    if batch is not None and verifier is not None:
        found = batch(target, solution.equilibria, concept)
    else:
        found = [
            verifier(target, eq, concept) if verifier is not None else None for eq in solution.equilibria
        ]
    eqs = []
    uncertified = 0
    for eq, regret in zip(solution.equilibria, found):
        if regret is None:
            uncertified += 1
        eqs.append(eq.replace(regret=regret))
    message = solution.message
    if uncertified:
        note = (
            f"{uncertified} of {len(eqs)} equilibria uncertified: no independent check for "
            f"{kind} games under {concept}"
            if verifier is None
            else f"{uncertified} of {len(eqs)} equilibria uncertified (no independent check applies)"
        )
        message = f"{message}; {note}" if message else note
    if message is solution.message:  # unchanged: not copied again
        if options is not None:
            return solution.replace(equilibria=tuple(eqs), options=options)
        return solution.replace(equilibria=tuple(eqs))
    if options is not None:
        return solution.replace(equilibria=tuple(eqs), message=message, options=options)
    return solution.replace(equilibria=tuple(eqs), message=message)
