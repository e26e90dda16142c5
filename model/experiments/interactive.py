"""A small sweep run in this process, one run at a time, for a page that shows its progress.

The dashboard's Boundaries page varies one setting of the scenario the user has edited (a
Scenario object, not a file) over a few values with a few seeds each. Worker processes and a
results folder (`execute`) would cost more than the runs, so the runs happen here, in the
caller's thread: after each one the caller hears the fraction done and may stop the sweep.

Seeds come from the sweeps' own seeding (`run_seed`, common random numbers): the same seeds at
every value, so the setting is the only thing that differs between values, and any single run
can be replayed. The outcomes are those of the partner whose setting it is, or the mean over
everyone he approached when the setting is not one partner's; weeks to exit and to heal are
those of `model.outcomes`, censoring included.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..model import RelationshipModel
from ..outcomes import EXIT_REASONS, exit_weeks, heal_weeks
from ..scenario import Scenario, declaration_for
from .seeds import run_seed

OUTCOMES = ("harm", "weeks_devalued", "weeks_to_exit", "recovery_weeks", "rage_episodes")
"""Each run's outcomes, in the order of the table's columns."""


class Cancelled(Exception):  # noqa: N818 - not an error: the user asked the sweep to stop
    """The user asked the sweep to stop; the rows finished so far are not returned."""


def common_seeds(master: int, count: int) -> list[int]:
    """`count` seeds derived from one master seed, shared by every value of the setting."""
    return [run_seed(master, 0, replicate, common=True) for replicate in range(count)]


def setting_path(target: str) -> str:
    """A dotted path; a bare `partners.I` or `partners.*` means that partner's boundary."""
    if target.count(".") == 2 or target.startswith(("world.", "narcissist.", "partner.")):
        return target
    return f"{target}.boundary"


def whose(path: str) -> str:
    """Whose outcomes a sweep of `path` reports: `partners.I` or everyone (`partners.*`)."""
    parts = path.split(".")
    return f"partners.{parts[1]}" if parts[0] == "partners" and parts[1] != "*" \
        else "partners.*"


def partner_outcomes(model: RelationshipModel, target: str) -> dict[str, float]:
    """The outcomes of the partner a sweep varies (or the mean over everyone approached).

    Computed on the outcome rows as arrays, without a pandas table: pandas calls here cost as
    much as a third of a run, and the page promises its default sweep in under a second.
    """
    weeks = int(model.steps)
    rows = model.outcome_rows()
    column = {name: np.array([row[name] for row in rows], dtype=float) for name in
              ("partner", "first_step", "end_step", "recovered_step", "harm",
               "weeks_devalued", "rage_episodes")}  # a missing step (None) becomes NaN
    chosen = ~np.isnan(column["first_step"]) if target == "partners.*" else \
        column["partner"] == int(target.split(".")[1])
    if not chosen.any():
        return {key: float("nan") for key in OUTCOMES}
    exited = np.array([row["end_reason"] in EXIT_REASONS for row in rows])[chosen]
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


def sweep_setting(scenario: Scenario, target: str, values: Sequence[float],
                  run_seeds: Sequence[int],
                  on_progress: Callable[[float], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> pd.DataFrame:
    """One row per (value, seed) with its outcomes; raise Cancelled when `cancelled()` says so.

    Every value is checked by the setting's declaration before the first run."""
    path = setting_path(target)
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
