"""One part of a sweep: a few runs, done in a worker, returned as rows.

Runs are grouped into parts of a fixed size, independent of the number of workers; each part
runs in a worker (`run_part`), and a run that raises is recorded with its error while the sweep
goes on: failures are data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..model import RelationshipModel
from ..outcomes import outcome_table, weeks_to_exit
from ..parameters import ParameterError
from ..provenance import code_checksum
from ..scenario import Scenario, apply_overrides
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
    declaration: str = ""
    """A digest of the sweep's declaration (`Sweep.identity`), so a part names its sweep."""


@dataclass(frozen=True)
class PartResult:
    index: int
    table: pd.DataFrame
    timeline: pd.DataFrame | None
    proof: dict[str, Any] | None = None
    """Where the part came from (`part_proof`), saved with it and checked on resume."""


# --- where a part came from ---------------------------------------------------------------------
def part_proof(job: PartJob) -> dict[str, Any]:
    """What decides a part's runs, as digests: a resume recomputes it from the declaration, the
    scenario file or preset as it is now and the code as it is now, and compares.

    `digest` covers everything: the code checksum (every module and preset), the part's number,
    its columns, and for each run its number, design point, replicate, seed and the fully
    resolved scenario it ran (after the preset or file, the `[set]` values and its own varied
    values). The other keys are parts of it, kept to say *what* differs when `digest` does.
    """
    resolved: dict[tuple, str] = {}  # replicates of a design point share a resolved scenario
    runs = []
    for spec in job.runs:
        if spec.varied not in resolved:
            resolved[spec.varied] = _resolved_digest(job, spec)
        runs.append([spec.run, spec.point, spec.replicate, spec.seed, resolved[spec.varied]])
    code = code_checksum()
    body = {"code": code, "declaration": job.declaration, "index": job.index,
            "schema": [list(c) for c in job.schema], "timelines": job.timelines, "runs": runs}
    return {"index": job.index, "declaration": job.declaration, "code": code,
            "scenario": _digest(scenario_document(job.scenario)),
            "runs": [[spec.run, spec.seed] for spec in job.runs], "digest": _digest(body)}


def _resolved_digest(job: PartJob, spec: RunSpec) -> str:
    try:
        scenario = apply_overrides(job.scenario, {**dict(job.constant), **dict(spec.varied)})
    except ParameterError as err:  # the run fails the same way each time: that is its record
        return _digest({"error": str(err)})
    return _digest(scenario_document(scenario))


def scenario_document(scenario: Scenario) -> dict[str, Any]:
    """A scenario's settings as plain data: every table a run reads, and its seed."""
    return {"seed": scenario.seed, "world": scenario.world, "narcissist": scenario.narcissist,
            "narcissists": scenario.narcissists, "partner": scenario.partner,
            "partners": scenario.partners}


def _digest(document: Any) -> str:
    text = json.dumps(document, sort_keys=True, default=str, ensure_ascii=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
    return PartResult(job.index, table.astype(schema), timeline, part_proof(job))


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
