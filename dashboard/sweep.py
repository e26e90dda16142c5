"""The Boundaries page's sweep: its values, its words, and its summary with clipped bands.

Any numeric setting can be swept (`partners.0.boundary`, `narcissist.reinforcement`,
`world.bond_decay`, ...). The runs themselves, their seeds (common random numbers) and their
outcomes are `model.experiments.interactive`'s: the runs share the machine's cores, while the
session's background thread gathers them, so the page can show progress and cancel between
runs. Confidence bands are `t_bands` of the validation statistics, clipped to what is possible
(no negative weeks, nothing beyond the run).
"""

from __future__ import annotations

import importlib
import threading

import numpy as np
import pandas as pd

from model.experiments import interactive
from model.experiments.interactive import Cancelled, common_seeds, sweep_setting, whose
from model.parameters import Parameter
from model.validation.stats import t_bands

__all__ = ["OUTCOMES", "Cancelled", "bounds", "common_seeds", "summarise", "sweep_setting",
           "sweep_values", "warm_up", "whose"]

OUTCOMES = {
    "harm": "Harm (cumulative)",
    "weeks_devalued": "Weeks devalued",
    "weeks_to_exit": "Weeks to final exit",
    "recovery_weeks": "Weeks from exit to healing",
    "rage_episodes": "Rage episodes",
}


def warm_up() -> None:
    """Start the sweep's worker processes, and import SciPy (its t quantiles make the bands),
    in the background as the page opens: on a first sweep they came to over a second."""
    interactive.warm_up()
    threading.Thread(target=importlib.import_module, args=("scipy.stats",), daemon=True,
                     name="import-scipy").start()


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


def summarise(runs: pd.DataFrame, level: float = 0.95, weeks: int | None = None
              ) -> pd.DataFrame:
    """Mean and its t-based confidence interval (`t_bands`) per value and outcome, the interval
    clipped to what the outcome can be (`bounds`; weeks beyond the run only if `weeks` is None)."""
    frames = []
    for outcome in OUTCOMES:
        band = t_bands(runs, outcome, ["value"], level)
        floor, ceiling = bounds(outcome, weeks if weeks is not None else 10**9)
        frames.append(band.assign(outcome=outcome, low=band["low"].clip(floor, ceiling),
                                  high=band["high"].clip(floor, ceiling)))
    table = pd.concat(frames, ignore_index=True)
    order = table.sort_values(["value"], kind="stable").index
    return table.loc[order, ["value", "outcome", "mean", "low", "high", "n"]].reset_index(
        drop=True)
