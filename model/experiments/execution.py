"""Running a sweep: split into parts, run locally or on a Dask cluster, saved as they finish.

Runs are grouped into parts of a fixed size (`plan`), independent of the number of workers;
each part runs in a worker (`run_part`), and a run that raises is recorded with its error while
the sweep goes on: failures are data. `execute` hands the parts to this process, to local
worker processes or to a Dask cluster, and saves each finished part through `Store`.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import reason
from ..model import RelationshipModel
from ..parameters import ParameterError, defaults
from ..scenario import Scenario, apply_overrides, declaration_for, load
from .design import IDENTITY, RunSpec, Sweep, whole_number
from .factors import SweepError
from .executors import MAX_WORKERS, executor
from .parts import PartJob, PartResult, part_proof, with_derived
from .store import Store
from .temporary import owned_folder

# --- the plan: runs, parts and the table's schema -----------------------------------------------
@dataclass(frozen=True)
class Plan:
    sweep: Sweep
    jobs: tuple[PartJob, ...]
    total_runs: int

    def proof(self, index: int) -> dict[str, Any]:
        """What part `index` must prove about its origin (see `parts.part_proof`)."""
        return part_proof(self.jobs[index])


TIMELINE_PART_ROWS = 4_000_000
"""Most timeline rows (partner-weeks: partners x (weeks + 1)) one part keeps: about 130 bytes
each in a worker's memory (measured), so about 0.5 GB, and as much again for a moment while it
is sent to be saved. A sweep with timelines puts fewer runs in a part when they are large, and
a run that alone would keep more is refused before the sweep starts."""


def plan(sweep: Sweep) -> Plan:
    """Split the checked sweep into parts, and fix the table's columns and types."""
    scenario = _load_scenario(sweep)
    probe = _probe(sweep, scenario)
    outcomes = _chosen_outcomes(sweep, probe)
    schema = tuple(table_schema(sweep, probe, outcomes).items())
    runs = sweep.runs()
    declaration = hashlib.sha256(json.dumps(sweep.identity(), sort_keys=True, default=str)
                                 .encode("utf-8")).hexdigest()
    groups = _grouped(runs, sweep.runs_per_part, _timeline_rows(sweep, scenario, runs)
                      if sweep.timelines else None)
    jobs = tuple(PartJob(index=i, scenario=scenario,
                         constant=tuple(sweep.constant_overrides().items()),
                         runs=tuple(group), outcomes=outcomes, schema=schema,
                         timelines=sweep.timelines, declaration=declaration)
                 for i, group in enumerate(groups))
    return Plan(sweep, jobs, len(runs))


def _grouped(runs: list[RunSpec], size: int, rows: list[int] | None) -> list[list[RunSpec]]:
    """Runs in order, `size` to a part, fewer where their timelines would pass the budget."""
    groups: list[list[RunSpec]] = []
    load = 0
    for i, run in enumerate(runs):
        weight = rows[i] if rows is not None else 0
        if not groups or len(groups[-1]) == size or load + weight > TIMELINE_PART_ROWS:
            groups.append([])
            load = 0
        groups[-1].append(run)
        load += weight
    return groups


def _timeline_rows(sweep: Sweep, scenario: Scenario, runs: list[RunSpec]) -> list[int]:
    """Each run's timeline rows (partners x (weeks + 1)), from the scenario with the set values
    and the run's own crowd size and horizon; refused if one run alone passes the budget."""
    base = apply_overrides(scenario, sweep.constant_overrides())
    world = {**defaults("world"), **base.world}
    listed = len(base.partners)
    rows = []
    for spec in runs:
        varied = dict(spec.varied)
        partners = listed + int(varied.get("world.generated_partners",
                                           world["generated_partners"]))
        weeks = int(varied.get("world.weeks", world["weeks"]))
        rows.append(partners * (weeks + 1))
        if rows[-1] > TIMELINE_PART_ROWS:
            raise SweepError(f"timelines: run {spec.run} would keep {partners:,} partners x "
                             f"{weeks + 1:,} weeks = {rows[-1]:,} timeline rows; a part keeps "
                             f"at most {TIMELINE_PART_ROWS:,} (about 0.5 GB): keep timelines of "
                             "fewer partners or weeks, or leave out --timelines")
    return rows


def _load_scenario(sweep: Sweep) -> Scenario:
    """The scenario without overrides; each run applies its own, exactly as a replay does."""
    scenario = load(sweep.scenario)
    first = sweep.points().iloc[0].to_dict() if len(sweep.vary) else {}
    try:  # an index beyond the listed partners fails for every run: say so now
        apply_overrides(scenario, {**sweep.constant_overrides(), **first})
    except ParameterError as err:
        raise SweepError(f"scenario {sweep.scenario}: {err}") from None
    return scenario


def _probe(sweep: Sweep, scenario: Scenario) -> pd.DataFrame:
    """An unrun model's outcome table: the columns and types every run will report."""
    try:
        model = RelationshipModel(scenario, rng=0, **sweep.constant_overrides())
    except ParameterError as err:
        raise SweepError(f"scenario {sweep.scenario} with the set values cannot start: "
                         f"{err}") from None
    return with_derived(model.outcomes(), 0)


def _chosen_outcomes(sweep: Sweep, probe: pd.DataFrame) -> tuple[str, ...]:
    known = [c for c in probe.columns if c not in ("partner", "name")]
    if sweep.outcomes is None:
        return tuple(known)
    for name in sweep.outcomes:
        if name not in known:
            raise SweepError(f"outcomes: {name!r} is not an outcome; known: " + ", ".join(known))
    return tuple(dict.fromkeys(sweep.outcomes))


def table_schema(sweep: Sweep, probe: pd.DataFrame, outcomes: Sequence[str]) -> dict[str, str]:
    """Column types that hold a missing value (a failed run's row) without changing type."""
    schema = {name: "int64" for name in IDENTITY}
    schema.update({f.path: KIND_DTYPES[declaration_for(f.path).kind] for f in sweep.vary})
    schema.update(partner="Int64", name="str")
    schema.update({name: _nullable(probe[name].dtype) for name in outcomes})
    schema["error"] = "str"
    return schema


KIND_DTYPES = {"float": "float64", "int": "Int64", "bool": "boolean", "choice": "str",
               "text": "str"}


def _nullable(dtype: Any) -> str:
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "Int64"
    if pd.api.types.is_float_dtype(dtype):
        return "float64"
    return "str"


# --- execution ----------------------------------------------------------------------------------
@dataclass
class Execution:
    """What a sweep produced, and how the work went (for the summary)."""

    sweep: Sweep
    table: pd.DataFrame
    timelines: pd.DataFrame | None
    total_runs: int
    resumed_runs: int
    seconds: float
    workers: str
    out: Path | None
    set_aside: list[str] = field(default_factory=list)
    """Parts found damaged (unreadable) on resume, moved to `damaged/` and run again."""

    @property
    def new_runs(self) -> int:
        return self.total_runs - self.resumed_runs

    @property
    def failed_runs(self) -> pd.DataFrame:
        return self.table[self.table["error"].notna()]

    @property
    def runs_per_second(self) -> float:
        return self.new_runs / self.seconds if self.seconds > 0 else math.nan


def execute(sweep: Sweep, out: str | Path | None = None, *, workers: int | None = None,
            scheduler: Any = None, resume: bool = False, progress: bool = False) -> Execution:
    """Run a sweep to the end and return its table.

    Args:
        out: the results folder; None works in a temporary folder and keeps nothing on disk.
        workers: local worker processes (default: every available core); 1 runs in this
            process.
        scheduler: a Dask scheduler address ("tcp://host:8786") or a `distributed.Client`;
            when given, the parts run on that cluster instead of local processes.
        resume: finish the sweep already in `out`, running only the parts it lacks.
        progress: show a progress bar with the time left (tqdm: on standard error, a widget
            in Jupyter).
    """
    sweep = sweep.checked()
    if workers is not None and scheduler is not None:
        raise SweepError("--workers and --scheduler: choose one; a scheduler's cluster decides "
                         "its own workers")
    if workers is not None:
        whole_number("workers", workers, 1, MAX_WORKERS)
    sweep_plan = plan(sweep)
    with _folder(out) as root:
        store = Store(root)
        store.check(sweep, resume)
        try:
            with store.lock():
                store.check(sweep, resume)  # again: another process may have just finished
                with executor(workers, scheduler) as (submit, label):
                    return _run_plan(sweep_plan, store, submit, label, progress,
                                     None if out is None else Path(out))
        except OSError as err:  # a full or read-only disk, a folder removed under us
            raise SweepError(f"--out {str(root)!r}: {reason(err)}; the finished parts are "
                             "saved: fix that, then run the same command with --resume") from None


@contextmanager
def _folder(out: str | Path | None) -> Iterator[Path]:
    """`out`, or a temporary folder removed however the sweep ends (see `owned_folder`)."""
    if out is not None:
        yield Path(out)
        return
    with owned_folder("sweep") as temporary:
        yield temporary / "results"


def _run_plan(sweep_plan: Plan, store: Store, submit, label: str, progress: bool,
              out: Path | None) -> Execution:
    from tqdm.auto import tqdm  # a widget in Jupyter, text on standard error elsewhere

    if store.finished():  # checked before it is shown: a foreign or broken table says so
        store.finished_table(sweep_plan)
    done = set() if store.finished() else store.prepare(sweep_plan)
    pending = [] if store.finished() else [j for j in sweep_plan.jobs if j.index not in done]
    resumed = sweep_plan.total_runs - sum(len(j.runs) for j in pending)
    start = time.perf_counter()
    results = submit(pending)
    with closing(results), _saving(store) as save, \
            tqdm(total=sweep_plan.total_runs, initial=resumed, unit="run", desc="sweep",
                 disable=not progress, dynamic_ncols=True, smoothing=0.05) as bar:
        for result in results:  # closing: an interrupt while saving stops the workers too
            save(result)
            bar.update(len(sweep_plan.jobs[result.index].runs))
    if not store.finished():
        store.finish(sweep_plan)
    return Execution(sweep_plan.sweep, store.table(), store.timelines(), sweep_plan.total_runs,
                     resumed, time.perf_counter() - start, label, out, store.set_aside)


@contextmanager
def _saving(store: Store) -> Iterator[Any]:
    """Yield a function that saves a part in a thread of its own, so that the next part runs
    (on one worker: in this process) while the last is written and synced to disk, which
    took a twentieth of a part's time. Every part handed over is saved before this ends,
    even on an interrupt; a failed write (a full disk) is raised here, at the latest."""
    writer = ThreadPoolExecutor(1, thread_name_prefix="sweep-save")
    saving: list = []

    def save(result: PartResult) -> None:
        for future in [f for f in saving if f.done()]:
            saving.remove(future)
            future.result()
        saving.append(writer.submit(store.write, result))

    try:
        yield save
    finally:
        writer.shutdown(wait=True)
    for future in saving:
        future.result()
