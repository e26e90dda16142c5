"""Measures derived from a run's outcome table, each defined once with its censoring.

A run stops at its horizon, so some relationships are still going and some partners have not
healed when it ends. Each measure below says what such a censored case counts as, and the
sweeps, both dashboard pages that show these measures, and the validation suite all use these
definitions, so one label never means two things.

    weeks to exit   first meeting -> the final end (the partner left or the agent discarded
                    them); still going at the horizon counts to the horizon; missing when
                    they never met.
    weeks to heal   the final end -> healed; not healed by the horizon counts to the horizon;
                    missing when it never ended.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

EXIT_REASONS = ("left", "discarded")
"""End reasons that end a relationship for the run (the others: "never", "ongoing")."""


STEP_COLUMNS = ("end_step", "recovered_step", "first_step")
"""Weeks at which something happened, missing (`<NA>`) when it has not."""


def outcome_table(rows: list[dict]) -> pd.DataFrame:
    """The outcome table of one run, or of several runs' rows joined (`outcome_rows`)."""
    table = pd.DataFrame(rows)
    for column in STEP_COLUMNS:
        table[column] = table[column].astype("Int64")
    return table


def exit_weeks(first: np.ndarray, end: np.ndarray, exited: np.ndarray,
               horizon: int | np.ndarray) -> np.ndarray:
    """Weeks to exit as floats (NaN where they never met): the arrays' form, for hot loops."""
    return np.where(exited, end, horizon) - first


def heal_weeks(end: np.ndarray, recovered: np.ndarray, exited: np.ndarray,
               horizon: float | np.ndarray) -> np.ndarray:
    """Weeks to heal as floats (NaN where it never ended): the arrays' form, for hot loops.
    A NaN `horizon` leaves the partners not healed by the end missing."""
    healed = np.where(np.isnan(recovered), horizon, recovered)
    return np.where(exited, healed - end, np.nan)


def weeks_after(step: float | None, start: int, limit: int) -> float:
    """Weeks from `start` until `step`, at most `limit`; a step that has not come by then (or
    came before `start`) counts as `limit`. Weeks to heal is this from the final end."""
    if step is None or step != step or step < start:
        return float(limit)
    return float(min(step - start, limit))


def _columns(table: pd.DataFrame, *names: str) -> list[np.ndarray]:
    return [table[name].to_numpy(dtype=float, na_value=np.nan) for name in names]


def weeks_to_exit(table: pd.DataFrame, horizon: int | np.ndarray) -> pd.Series:
    """Weeks to exit of each partner in a model's outcome table (`horizon`: the run's last
    week, or one per row for the joined rows of several runs)."""
    first, end = _columns(table, "first_step", "end_step")
    exited = table["end_reason"].isin(EXIT_REASONS).to_numpy()
    weeks = exit_weeks(first, end, exited, horizon)
    return pd.Series(weeks, index=table.index, name="weeks_to_exit").astype("Int64")


def weeks_to_heal(table: pd.DataFrame, horizon: int | np.ndarray | None) -> pd.Series:
    """Weeks to heal of each partner in a model's outcome table; with `horizon=None` the
    censored ones (not healed by the end) stay missing, for a table that shows only the
    healed."""
    end, recovered = _columns(table, "end_step", "recovered_step")
    exited = table["end_reason"].isin(EXIT_REASONS).to_numpy()
    weeks = heal_weeks(end, recovered, exited, np.nan if horizon is None else horizon)
    return pd.Series(weeks, index=table.index, name="weeks_to_heal").astype("Int64")
