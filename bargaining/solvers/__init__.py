"""How equilibria are found: one module per family of algorithms, plain functions returning
:class:`bargaining.model.profile.Solution`. ``bargaining.solvers.api.solve`` dispatches."""
