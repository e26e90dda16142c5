"""Running a sweep: split into parts, run locally or on a Dask cluster, saved as they finish.

Runs are grouped into parts of a fixed size (`plan`), independent of the number of workers;
each part runs in a worker (`run_part`), and a run that raises is recorded with its error while
the sweep goes on: failures are data. `execute` hands the parts to this process, to local
worker processes or to a Dask cluster, and saves each finished part through `Store`.
"""

from __future__ import annotations

import math
import os
import signal
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import reason
from ..model import RelationshipModel
from ..parameters import ParameterError
from ..scenario import Scenario, apply_overrides, declaration_for, load
from .design import IDENTITY, RunSpec, Sweep, SweepError, whole_number
from .lifeline import die_with_parent
from .store import Store

MAX_WORKERS = 256
"""Most local worker processes: more would only exhaust memory, never add cores."""


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

    The runs' rows are joined, given the derived outcomes, stamped and typed once per part,
    not once per run: pandas costs about a millisecond a call whatever the size of the table,
    and five calls a run came to a tenth of a run once the model got faster.
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


def run_one(job: PartJob, spec: RunSpec) -> tuple[pd.DataFrame | str, int, pd.DataFrame | None]:
    """One run's outcome table (or its error message), its horizon, and its timeline when
    asked for. A sweep that keeps no timelines asks the model to keep no weekly rows."""
    try:
        model = RelationshipModel(job.scenario, rng=spec.seed, record=_recording(job),
                                  **dict(job.constant), **dict(spec.varied))
        model.run()
        outcomes = model.outcomes()
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
    specs, tables, horizons = zip(*finished, strict=True)
    counts = [len(t) for t in tables]
    joined = pd.concat(tables, ignore_index=True)
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
    ended = outcomes["end_reason"].isin(["left", "discarded"])
    last = outcomes["end_step"].where(ended, horizon).astype("Int64")
    return outcomes.assign(weeks_to_exit=(last - outcomes["first_step"]).astype("Int64"))


# --- the plan: runs, parts and the table's schema -----------------------------------------------
@dataclass(frozen=True)
class Plan:
    sweep: Sweep
    jobs: tuple[PartJob, ...]
    total_runs: int


def plan(sweep: Sweep) -> Plan:
    """Split the checked sweep into parts, and fix the table's columns and types."""
    scenario = _load_scenario(sweep)
    probe = _probe(sweep, scenario)
    outcomes = _chosen_outcomes(sweep, probe)
    schema = tuple(table_schema(sweep, probe, outcomes).items())
    runs = sweep.runs()
    size = sweep.runs_per_part
    jobs = tuple(PartJob(index=i, scenario=scenario,
                         constant=tuple(sweep.constant_overrides().items()),
                         runs=tuple(runs[i * size:(i + 1) * size]), outcomes=outcomes,
                         schema=schema, timelines=sweep.timelines)
                 for i in range(math.ceil(len(runs) / size)))
    return Plan(sweep, jobs, len(runs))


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
        progress: show a progress bar with the time left (tqdm, on standard error).
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
                with _executor(workers, scheduler) as (submit, label):
                    return _run_plan(sweep_plan, store, submit, label, progress,
                                     None if out is None else Path(out))
        except OSError as err:  # a full or read-only disk, a folder removed under us
            raise SweepError(f"--out {str(root)!r}: {reason(err)}; the finished parts are "
                             "saved: fix that, then run the same command with --resume") from None


@contextmanager
def _folder(out: str | Path | None) -> Iterator[Path]:
    if out is not None:
        yield Path(out)
        return
    with tempfile.TemporaryDirectory(prefix="sweep-") as temporary:
        yield Path(temporary) / "results"


def _run_plan(sweep_plan: Plan, store: Store, submit, label: str, progress: bool,
              out: Path | None) -> Execution:
    from tqdm import tqdm

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


@contextmanager
def _executor(workers: int | None, scheduler: Any):
    """Yield a function that runs jobs and yields their results as they complete."""
    if scheduler is not None:
        with _dask_client(scheduler) as client:
            yield (lambda jobs: _dask_results(client, jobs)), f"Dask at {_address(client)}"
        return
    count = workers or available_cores()
    if count == 1:
        yield _serial_results, "1 worker (this process)"
        return
    yield (lambda jobs: _pool_results(jobs, count)), f"{count} worker processes"


def _serial_results(jobs: list[PartJob]) -> Iterator[PartResult]:
    for job in jobs:
        yield run_part(job)


def _pool_results(jobs: list[PartJob], count: int) -> Iterator[PartResult]:
    """Local worker processes; results come back as parts complete, in any order."""
    if not jobs:
        return
    pool = ProcessPoolExecutor(min(count, len(jobs)), mp_context=_process_context(),
                               initializer=_start_worker)
    futures = [pool.submit(run_part, job) for job in jobs]
    try:
        for future in as_completed(futures):
            yield future.result()
    except BaseException:  # interrupted or failed: do not wait for parts nobody will save
        for future in futures:  # cancelled here: shutdown's own cancel is lost once the pool
            future.cancel()     # object is collected, and the workers would run on for minutes
        pool.shutdown(wait=False)
        raise
    pool.shutdown()


def _start_worker() -> None:
    """Each worker ignores Ctrl-C (the parent answers it) and dies with its parent."""
    _leave_interrupts_to_the_parent()
    die_with_parent()


def _leave_interrupts_to_the_parent() -> None:
    """Ctrl-C reaches every process in the terminal's group; the parent alone should answer
    it (saving what is done), not each worker with a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _process_context():
    """How workers start. `forkserver` where the platform has it: one server process imports
    the model once and every worker is a fork of it, so workers start in milliseconds rather
    than a second each, and it is safe in a parent with threads (progress bar, Dask, a
    notebook), which plain `fork` is not. `spawn` elsewhere (Windows)."""
    if "forkserver" not in get_all_start_methods():
        return get_context("spawn")
    context = get_context("forkserver")
    # the server imports the model once, and dies with this process (see lifeline_forkserver)
    context.set_forkserver_preload(["model.experiments.execution",
                                    "model.experiments.lifeline_forkserver"])
    return context


@contextmanager
def _dask_client(scheduler: Any):
    from distributed import Client

    if isinstance(scheduler, Client):
        yield scheduler
        return
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as err:
        raise SweepError(f"--scheduler {scheduler!r}: cannot connect ({err})") from None
    try:
        yield client
    finally:
        client.close()


def _dask_results(client, jobs: list[PartJob]) -> Iterator[PartResult]:
    from distributed import as_completed as dask_completed

    futures = [client.submit(run_part, job, pure=False) for job in jobs]
    try:
        for future in dask_completed(futures):
            yield future.result()
            future.release()
    finally:
        client.cancel([f for f in futures if not f.done()])


def _address(client) -> str:
    return getattr(client.scheduler, "address", None) or "a scheduler"


def available_cores() -> int:
    """The cores this process may use (a container or `taskset` may allow fewer than exist)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1
