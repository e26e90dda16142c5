"""One part of a sweep: a few runs, done in a worker, returned as rows.

Runs are grouped into parts of a fixed size, independent of the number of workers; each part
runs in a worker (`run_part`), and a run that raises is recorded with its error while the sweep
goes on: failures are data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..model import RelationshipModel
from ..outcomes import outcome_table, weeks_to_exit
from ..scenario import Scenario
from .design import IDENTITY, RunSpec


# --- one part of the work (runs in a worker) ----------------------------------------------------
@dataclass(frozen=True)
class PartJob:
    """Everything a worker needs for one part; plain data, so it travels to any process."""

    index: int
    scenario: Scenario
    constant: tuple[tuple[str, Any], ...]
    runs: tuple[RunSpec, ...]
    outcomes: tuple[str, ...]
    schema: tuple[tuple[str, str], ...]
    timelines: bool


@dataclass(frozen=True)
class PartResult:
    index: int
    table: pd.DataFrame
    timeline: pd.DataFrame | None


def run_part(job: PartJob) -> PartResult:
    """Run a part's runs one after another; a failing run becomes a row with its error.

    The runs' rows are made a table, given the derived outcomes, stamped and typed once per
    part, not once per run: pandas costs about a millisecond a call whatever the size of the
    table, and five calls a run came to a tenth of a run once the model got faster.
    """
    finished, failed, timelines = [], [], []
    for spec in job.runs:
        outcome, horizon, timeline = run_one(job, spec)
        if isinstance(outcome, str):
            failed.append(_identified(pd.DataFrame([{"error": outcome}]), [spec], [1]))
        else:
            finished.append((spec, outcome, horizon))
        if timeline is not None:
            timelines.append(timeline)
    schema = dict(job.schema)
    frames = [_finished_rows(job, finished)] if finished else []
    table = pd.concat(frames + failed, ignore_index=True).reindex(columns=list(schema))
    timeline = pd.concat(timelines, ignore_index=True) if timelines else None
    return PartResult(job.index, table.astype(schema), timeline)


def run_one(job: PartJob, spec: RunSpec) -> tuple[list[dict] | str, int, pd.DataFrame | None]:
    """One run's outcome rows (or its error message), its horizon, and its timeline when
    asked for. A sweep that keeps no timelines asks the model to keep no weekly rows."""
    try:
        model = RelationshipModel(job.scenario, rng=spec.seed, record=_recording(job),
                                  **dict(job.constant), **dict(spec.varied))
        model.run()
        outcomes = model.outcome_rows()
    except Exception as err:  # noqa: BLE001 -- a failing run is recorded, the sweep goes on
        return " ".join(f"{type(err).__name__}: {err}".split()), 0, None
    timeline = model.timeline() if job.timelines else None
    if timeline is not None:
        timeline.insert(0, "run", spec.run)
    return outcomes, int(model.steps), timeline


def _recording(job: PartJob) -> str:
    """Weekly rows only for a sweep that keeps timelines; outcomes need none of them."""
    return "weekly" if job.timelines else "outcomes"


def _finished_rows(job: PartJob, finished: list) -> pd.DataFrame:
    """The rows of a part's finished runs, with their derived outcomes and identities."""
    specs, rows, horizons = zip(*finished, strict=True)
    counts = [len(r) for r in rows]
    joined = outcome_table([row for run in rows for row in run])
    joined = with_derived(joined, np.repeat(np.asarray(horizons, dtype=np.int64), counts))
    return _identified(joined[["partner", "name", *job.outcomes]].assign(error=None),
                       specs, counts)


def _identified(table: pd.DataFrame, specs: Sequence[RunSpec], counts: Sequence[int]
                ) -> pd.DataFrame:
    """Stamp each run's rows (`counts[i]` rows for `specs[i]`, in order) with its identity;
    `run_part` puts the columns in schema order."""
    def each(values: Sequence) -> list:
        return [v for v, n in zip(values, counts, strict=True) for _ in range(n)]

    columns = {name: each([getattr(s, name) for s in specs]) for name in IDENTITY}
    for j, (path, _) in enumerate(specs[0].varied):
        columns[path] = each([s.varied[j][1] for s in specs])
    return table.assign(**columns)


def with_derived(outcomes: pd.DataFrame, horizon: int | np.ndarray) -> pd.DataFrame:
    """Add the outcomes in DERIVED to a model's outcome table (`horizon`: the run's last
    week, or one per row for the joined rows of several runs)."""
    return outcomes.assign(weeks_to_exit=weeks_to_exit(outcomes, horizon))
