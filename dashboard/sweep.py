"""Vary one partner's boundary over a range, several seeds at each value, and summarise.

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
from model.scenario import Scenario
from model.sweep import run_seed, with_derived

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


def boundary_values(low: float, high: float, points: int) -> list[float]:
    return [round(float(v), 4) for v in np.linspace(low, high, max(2, int(points)))]


def partner_outcomes(model: RelationshipModel, target: str) -> dict[str, float]:
    """The sweep's outcomes for the partner it varies (or the mean over everyone approached).

    Weeks to exit count from her first meeting to her final exit; a relationship still going
    at the end counts as lasting the whole run (censored). Weeks to heal count from the exit
    and are missing for partners who never exited; not healed by the end counts to the end.
    """
    weeks = int(model.steps)
    table = with_derived(model.outcomes(), weeks)
    if target == "partners.*":
        table = table[table["first_step"].notna()]
    else:
        table = table[table["partner"] == int(target.split(".")[1])]
    if table.empty:
        return {key: float("nan") for key in OUTCOMES}
    exited = table["end_reason"].isin(["left", "discarded"])
    end = table["end_step"].astype(float).where(exited)
    healed = table["recovered_step"].astype(float).fillna(weeks)
    recovery = (healed - end).where(exited)
    return {"harm": float(table["harm"].mean()),
            "weeks_devalued": float(table["weeks_devalued"].mean()),
            "weeks_to_exit": float(table["weeks_to_exit"].astype(float).mean()),
            "recovery_weeks": float(recovery.mean()) if recovery.notna().any() else float("nan"),
            "rage_episodes": float(table["rage_episodes"].mean())}


def run_sweep(scenario: Scenario, target: str, values: Sequence[float],
              run_seeds: Sequence[int],
              on_progress: Callable[[float], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> pd.DataFrame:
    """One row per (boundary, seed) with its outcomes; raise Cancelled when asked to stop."""
    rows = []
    total = len(values) * len(run_seeds)
    for value in values:
        for seed in run_seeds:
            if cancelled is not None and cancelled():
                raise Cancelled()
            model = RelationshipModel(scenario=scenario, rng=seed,
                                      **{f"{target}.boundary": value})
            model.run()
            rows.append({"boundary": value, "seed": seed, **partner_outcomes(model, target)})
            if on_progress is not None:
                on_progress(len(rows) / total)
    return pd.DataFrame(rows, columns=["boundary", "seed", *OUTCOMES])


def summarise(runs: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Mean and its t-based confidence interval per boundary value and outcome."""
    records = []
    for value, group in runs.groupby("boundary", sort=True):
        for outcome in OUTCOMES:
            data = group[outcome].dropna().to_numpy(float)
            n = len(data)
            mean = float(data.mean()) if n else float("nan")
            if n > 1:
                half = float(stats.t.ppf(0.5 + level / 2, n - 1) * data.std(ddof=1) / np.sqrt(n))
            else:
                half = float("nan")
            records.append({"boundary": value, "outcome": outcome, "mean": mean,
                            "low": mean - half, "high": mean + half, "n": n})
    return pd.DataFrame(records, columns=["boundary", "outcome", "mean", "low", "high", "n"])
