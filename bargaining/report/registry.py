"""The table of solution renderers per game kind: one explicit list, no registration by import.

``TABLE_RENDERERS[kind](solution, exact) -> list[str]`` gives the body of the human table and
``ROW_BUILDERS[kind](solution, equilibrium) -> dict`` the kind-specific columns of one CSV /
sweep row (docs/reference/sweep.md), keyed by ``game.kind``. :mod:`bargaining.report.render` looks kinds up
here; a kind that is not listed gets the generic table (each equilibrium's JSON fields) and no
extra columns. A new game kind adds its module ``report/render_<kind>.py`` and one line to each
table below.

``CONCEPT_TABLE_RENDERERS`` and ``CONCEPT_ROW_BUILDERS``, keyed by ``Solution.concept``, take
precedence over the kind: answers that are not one profile per player (a commitment, a
distribution over profiles, a signal, a payoff set) have their own table whatever the game kind.

This module imports the renderers and nothing imports it back except
:mod:`bargaining.report.render`, so there is no import circle.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from bargaining.model.profile import Equilibrium, Solution
from bargaining.report.render_commitment import (
    correlated_row,
    correlated_table,
    persuasion_row,
    persuasion_table,
    proper_row,
    proper_table,
    repeated_row,
    repeated_table,
    stackelberg_row,
    stackelberg_table,
)
from bargaining.report.render_model import model_row, model_table
from bargaining.report.render_normal import normal_row, normal_table
from bargaining.report.render_signaling import signaling_row, signaling_table
from bargaining.report.render_tree import tree_row, tree_table

__all__ = ["TABLE_RENDERERS", "ROW_BUILDERS", "CONCEPT_TABLE_RENDERERS", "CONCEPT_ROW_BUILDERS"]

TableRenderer = Callable[[Solution, bool], list[str]]
RowBuilder = Callable[[Solution, Equilibrium], dict[str, Any]]

TABLE_RENDERERS: Mapping[str, TableRenderer] = MappingProxyType(
    {
        "normal": normal_table,
        "tree": tree_table,
        "signaling": signaling_table,
        "model": model_table,
    }
)

ROW_BUILDERS: Mapping[str, RowBuilder] = MappingProxyType(
    {
        "normal": normal_row,
        "tree": tree_row,
        "signaling": signaling_row,
        "model": model_row,
    }
)

CONCEPT_TABLE_RENDERERS: Mapping[str, TableRenderer] = MappingProxyType(
    {
        "stackelberg": stackelberg_table,
        "correlated": correlated_table,
        "coarse-correlated": correlated_table,
        "bayesian-persuasion": persuasion_table,
        "repeated-spe-payoffs": repeated_table,
        "proper": proper_table,
    }
)

CONCEPT_ROW_BUILDERS: Mapping[str, RowBuilder] = MappingProxyType(
    {
        "stackelberg": stackelberg_row,
        "correlated": correlated_row,
        "coarse-correlated": correlated_row,
        "bayesian-persuasion": persuasion_row,
        "repeated-spe-payoffs": repeated_row,
        "proper": proper_row,
    }
)
