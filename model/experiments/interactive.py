"""A small sweep for a page that shows its progress: the caller hears the fraction done after
each run and may stop the sweep between runs.

The dashboard's Boundaries page varies one setting of the scenario the user has edited (a
Scenario object, not a file) over a few values with a few seeds each. A results folder
(`execute`) would cost more than the runs, so the rows come straight back to the caller. The
runs go to a pool of worker processes kept for the life of this process (`worker_pool`), one
per core, so that the page's default sweep of 40 runs is done in about half the time one core
would take; with one core, or when asked for one worker, they run in the caller's thread.
Either way the table is the same, row for row.

Seeds come from the sweeps' own seeding (`run_seed`, common random numbers): the same seeds at
every value, so the setting is the only thing that differs between values, and any single run
can be replayed. The outcomes are those of the partner whose setting it is, or the mean over
everyone he approached when the setting is not one partner's; weeks to exit and to heal are
those of `model.outcomes`, censoring included.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import (FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor,
                                wait)
from concurrent.futures.process import BrokenProcessPool

import numpy as np
import pandas as pd

from ..model import RelationshipModel
from ..outcomes import EXIT_REASONS, exit_weeks, heal_weeks
from ..scenario import Scenario, declaration_for
from .executors import available_cores, process_context, start_worker
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
                  cancelled: Callable[[], bool] | None = None,
                  workers: int | None = None) -> pd.DataFrame:
    """One row per (value, seed) with its outcomes; raise Cancelled when `cancelled()` says so.

    Every value is checked by the setting's declaration before the first run. `workers`: how
    many processes share the runs (default: one per core; 1 runs them in this thread)."""
    path = setting_path(target)
    param = declaration_for(path)
    runs = [(scenario, path, param.check(v, path), seed, whose(path))
            for v in values for seed in run_seeds]
    count = min(len(runs), workers or available_cores())
    outcomes = None
    if count > 1:
        try:
            outcomes = _pooled(runs, worker_pool(count), on_progress, cancelled)
        except BrokenProcessPool:  # a worker was killed (out of memory?): start afresh here
            forget_pool()
    if outcomes is None:
        outcomes = _in_this_thread(runs, on_progress, cancelled)
    rows = [{"setting": path, "value": value, "seed": seed, **outcome}
            for (_, _, value, seed, _), outcome in zip(runs, outcomes, strict=True)]
    return pd.DataFrame(rows, columns=["setting", "value", "seed", *OUTCOMES])


def one_run(scenario: Scenario, path: str, value: float, seed: int, who: str
            ) -> dict[str, float]:
    """One run of the sweep: the scenario with `path` set to `value`, from `seed`."""
    model = RelationshipModel(scenario=scenario, rng=seed, record="outcomes", **{path: value})
    model.run()
    return partner_outcomes(model, who)


def _in_this_thread(runs: list[tuple], on_progress, cancelled) -> list[dict[str, float]]:
    outcomes = []
    for run in runs:
        if cancelled is not None and cancelled():
            raise Cancelled()
        outcomes.append(one_run(*run))
        if on_progress is not None:
            on_progress(len(outcomes) / len(runs))
    return outcomes


def _pooled(runs: list[tuple], pool: ProcessPoolExecutor, on_progress, cancelled
            ) -> list[dict[str, float]]:
    """The runs on the pool, in their order whatever order they finish in; asked to stop, the
    runs not yet begun are withdrawn (those under way finish in their workers, unread)."""
    futures = [pool.submit(one_run, *run) for run in runs]
    pending: set[Future] = set(futures)
    try:
        while pending:
            if cancelled is not None and cancelled():
                raise Cancelled()
            _, pending = wait(pending, timeout=CANCEL_POLL, return_when=FIRST_COMPLETED)
            if on_progress is not None and len(pending) < len(runs):
                on_progress(1 - len(pending) / len(runs))
        return [future.result() for future in futures]
    finally:
        for future in pending:
            future.cancel()


CANCEL_POLL = 0.1
"""Seconds between looks at `cancelled()` while the workers run."""

# --- the pool -----------------------------------------------------------------------------------
# One thread starts the pool and lives as long as this process: a worker process asks to die
# with its parent (`lifeline`), and Linux counts as the parent the *thread* that started it, so
# a pool started by a page's sweep thread would die when that sweep ended.
_OWNER = ThreadPoolExecutor(1, thread_name_prefix="sweep-pool")
_pools: dict[int, ProcessPoolExecutor] = {}


def worker_pool(count: int) -> ProcessPoolExecutor:
    """The pool of `count` worker processes, started (by the owner thread) on first use."""
    return _OWNER.submit(_started_pool, count).result()


def warm_up(count: int | None = None) -> None:
    """Start the pool in the background now (a page does this when it opens), so that the
    first sweep does not wait for the workers to import the model."""
    count = count or available_cores()
    if count > 1:
        _OWNER.submit(_started_pool, count)


def forget_pool() -> None:
    """Drop the pools (a broken one, say); the next sweep starts a new one."""
    _OWNER.submit(_pools.clear).result()


def _started_pool(count: int) -> ProcessPoolExecutor:
    pool = _pools.get(count)
    if pool is None:
        pool = _pools[count] = ProcessPoolExecutor(count, mp_context=process_context(),
                                                   initializer=start_worker)
        for started in [pool.submit(int) for _ in range(count)]:  # each worker starts here
            started.result()
    return pool
