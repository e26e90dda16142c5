"""Vary one numeric setting over a range, several seeds at each value, and summarise.

Any numeric setting can be swept (`partners.0.boundary`, `narcissist.reinforcement`,
`world.bond_decay`, ...); the outcomes are those of the partner whose setting it is, or the
mean over everyone he approached when the setting is not one partner's. Confidence bands are
clipped to what is possible (no negative weeks, nothing beyond the run's length).

Every run's seed is derived from one master seed with the project's sweep seeding
(`model.sweep.run_seed`, common random numbers) and recorded in the table: the same seeds are
used at every boundary value, so the boundary is the only thing that differs between the
columns of the sweep, and any single run can be replayed. The runs happen here, in the
session's own background thread, one at a time, so the page can show progress and cancel
between runs; `model.sweep` is built for long sweeps in worker processes instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from model.model import RelationshipModel
from model.parameters import Parameter
from model.scenario import Scenario, declaration_for
from model.experiments import run_seed
from model.outcomes import EXIT_REASONS, exit_weeks, heal_weeks

OUTCOMES = {
    "harm": "Harm (cumulative)",
    "weeks_devalued": "Weeks devalued",
    "weeks_to_exit": "Weeks to final exit",
    "recovery_weeks": "Weeks from exit to healing",
    "rage_episodes": "Rage episodes",
}


class Cancelled(Exception):
    """The user pressed cancel; the rows finished so far are kept."""


def seeds(master: int, count: int) -> list[int]:
    """`count` seeds derived from one master seed, shared by every boundary value."""
    return [run_seed(master, 0, replicate, common=True) for replicate in range(count)]


def sweep_values(low: float, high: float, points: int, param: Parameter | None = None
                 ) -> list[float]:
    """`points` evenly spaced values from `low` to `high` (whole numbers for an int setting,
    without repeats)."""
    values = [round(float(v), 4) for v in np.linspace(low, high, max(2, int(points)))]
    if param is not None and param.kind == "int":
        values = sorted({int(round(v)) for v in values})
    return values


def bounds(outcome: str, weeks: int) -> tuple[float, float]:
    """What an outcome can possibly be in a run of `weeks` weeks."""
    return (0.0, float(weeks)) if outcome in ("weeks_devalued", "weeks_to_exit",
                                               "recovery_weeks") else (0.0, float("inf"))


def whose(path: str) -> str:
    """Whose outcomes a sweep of `path` reports: `partners.I` or everyone (`partners.*`)."""
    parts = path.split(".")
    return f"partners.{parts[1]}" if parts[0] == "partners" and parts[1] != "*" \
        else "partners.*"


def partner_outcomes(model: RelationshipModel, target: str) -> dict[str, float]:
    """The sweep's outcomes for the partner it varies (or the mean over everyone approached).

    Weeks to exit and to heal, with their censoring, are those of `model.outcomes`.
    Computed on the outcome table's columns as arrays: a chain of pandas calls here cost as
    much as a third of a run, and the page promises its default sweep in under a second.
    """
    weeks = int(model.steps)
    table = model.outcomes()
    column = {name: table[name].to_numpy(dtype=float, na_value=np.nan) for name in
              ("partner", "first_step", "end_step", "recovered_step", "harm",
               "weeks_devalued", "rage_episodes")}
    chosen = ~np.isnan(column["first_step"]) if target == "partners.*" else \
        column["partner"] == int(target.split(".")[1])
    if not chosen.any():
        return {key: float("nan") for key in OUTCOMES}
    exited = table["end_reason"].isin(EXIT_REASONS).to_numpy()[chosen]
    value = {name: values[chosen] for name, values in column.items()}
    to_exit = exit_weeks(value["first_step"], value["end_step"], exited, weeks)
    recovery = heal_weeks(value["end_step"], value["recovered_step"], exited, weeks)
    return {"harm": float(value["harm"].mean()),
            "weeks_devalued": float(value["weeks_devalued"].mean()),
            "weeks_to_exit": _mean_of_known(to_exit),
            "recovery_weeks": _mean_of_known(recovery),
            "rage_episodes": float(value["rage_episodes"].mean())}


def _mean_of_known(values: np.ndarray) -> float:
    """The mean of the values that are not missing (NaN when none is known), summed as
    pandas sums them (missing ones as zeros), so the figures match the earlier pandas code
    to the last digit."""
    known = ~np.isnan(values)
    return float(np.where(known, values, 0.0).sum() / known.sum()) if known.any() \
        else float("nan")


def run_sweep(scenario: Scenario, target: str, values: Sequence[float],
              run_seeds: Sequence[int],
              on_progress: Callable[[float], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> pd.DataFrame:
    """One row per (value, seed) with its outcomes; raise Cancelled when asked to stop.

    `target` is a dotted path (`partners.0.boundary`); a bare `partners.I` or `partners.*`
    means that partner's boundary. Every value is checked by the setting's declaration."""
    path = target if target.count(".") == 2 or target.startswith(("world.", "narcissist.",
                                                                   "partner.")) \
        else f"{target}.boundary"
    param = declaration_for(path)
    values = [param.check(v, path) for v in values]
    rows = []
    total = len(values) * len(run_seeds)
    for value in values:
        for seed in run_seeds:
            if cancelled is not None and cancelled():
                raise Cancelled()
            model = RelationshipModel(scenario=scenario, rng=seed, record="outcomes",
                                      **{path: value})
            model.run()
            rows.append({"setting": path, "value": value, "seed": seed,
                         **partner_outcomes(model, whose(path))})
            if on_progress is not None:
                on_progress(len(rows) / total)
    return pd.DataFrame(rows, columns=["setting", "value", "seed", *OUTCOMES])


def summarise(runs: pd.DataFrame, level: float = 0.95, weeks: int | None = None
              ) -> pd.DataFrame:
    """Mean and its t-based confidence interval per value and outcome, the interval clipped
    to what the outcome can be (`bounds`; weeks beyond the run only if `weeks` is None)."""
    records = []
    for value, group in runs.groupby("value", sort=True):
        for outcome in OUTCOMES:
            data = group[outcome].dropna().to_numpy(float)
            n = len(data)
            mean = float(data.mean()) if n else float("nan")
            if n > 1:
                half = float(stats.t.ppf(0.5 + level / 2, n - 1) * data.std(ddof=1) / np.sqrt(n))
            else:
                half = float("nan")
            floor, ceiling = bounds(outcome, weeks if weeks is not None else 10**9)
            records.append({"value": value, "outcome": outcome, "mean": mean,
                            "low": float(np.clip(mean - half, floor, ceiling)),
                            "high": float(np.clip(mean + half, floor, ceiling)),
                            "n": n})
    return pd.DataFrame(records, columns=["value", "outcome", "mean", "low", "high", "n"])
