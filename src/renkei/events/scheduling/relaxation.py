"""The LP relaxation of the slot model (OR-Tools GLOP): a proven upper bound, and a guide.

Relaxing every 0–1 variable to 0 ≤ x ≤ 1 can only raise the optimum, so the LP optimum
bounds every valid schedule. The bound is not read off the LP solver's objective but
recomputed from its dual values (Lagrangian duality): for any duals y ≥ 0 of the "≤" rows and
any duals of the "= 1" rows,

    Σ_rows y · limit + Σ_options max(0, priority − Σ_{rows holding it} y)

is an upper bound on the LP and hence on every schedule. So a slightly inexact LP answer
gives a slightly weaker bound, never a wrong one. The fractional solution itself guides the
search (see ``solver``): options at 1 are kept, options at 0 dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from .model import Model, integral_bound

__all__ = ["Relaxation", "integral_bound", "lagrangian_bound", "solve_relaxation"]


@dataclass(frozen=True, slots=True)
class Relaxation:
    bound: float  # on the total priority (the announced meetings' tie-break is left out)
    values: tuple[float, ...]  # per option


def solve_relaxation(model: Model, time_limit: float, *, vertex: bool = True) -> Relaxation | None:
    """Solve the LP relaxation of ``model``; None when it cannot finish within ``time_limit`` seconds.

    ``vertex``: simplex (GLOP), whose optimal vertex has few fractional values, which the
    LP-guided solve needs. Otherwise the first-order method PDLP: several times faster on big
    events and its duals give the same bound, but its solution is fractional almost everywhere,
    so it only serves for rounding.
    """
    solver = pywraplp.Solver.CreateSolver("GLOP" if vertex else "PDLP")
    if solver is None:  # pragma: no cover - both ship with every OR-Tools wheel
        return None
    solver.SetTimeLimit(max(1, int(time_limit * 1000)))
    variables = [solver.NumVar(0.0, 1.0, "") for _ in model.options]
    constraints = []
    for row in model.rows:
        constraint = solver.Constraint(row.limit if row.equal else -solver.infinity(), row.limit)
        for index in row.members:
            constraint.SetCoefficient(variables[index], 1)
        constraints.append(constraint)
    objective = solver.Objective()
    # Plain priorities: the tie-break of announced meetings (tiny scaled weights) would only make
    # the simplex slower, and the bound is on the priority anyway.
    for variable, weight in zip(variables, model.priorities, strict=True):
        objective.SetCoefficient(variable, weight)
    objective.SetMaximization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    duals = [constraint.dual_value() for constraint in constraints]
    bound = lagrangian_bound(model, duals)
    if not math.isfinite(bound):  # pragma: no cover - defensive
        return None
    return Relaxation(bound=bound, values=tuple(variable.solution_value() for variable in variables))


def lagrangian_bound(model: Model, duals: list[float]) -> float:
    """The upper bound given by ``duals`` (one per row; those of "≤" rows are clipped at 0)."""
    reduced = [float(priority) for priority in model.priorities]
    total = 0.0
    for row, dual in zip(model.rows, duals, strict=True):
        y = dual if row.equal else max(dual, 0.0)
        if y == 0.0:
            continue
        total += y * row.limit
        for index in row.members:
            reduced[index] -= y
    return total + sum(value for value in reduced if value > 0)
