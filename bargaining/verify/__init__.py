"""Independent certificates for every game kind: regret of a profile, Bayes consistency of
beliefs, agent-form regret on trees. Solvers never import this package; the dispatcher
(:mod:`bargaining.solvers.api`) and the tests do."""
