"""Where the parts of a sweep run: in this process, in local worker processes, or on a Dask
cluster; each yields results as they complete.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from multiprocessing import get_all_start_methods, get_context
from typing import Any


from .factors import SweepError
from .lifeline import die_with_parent
from .parts import PartJob, PartResult, run_part


MAX_WORKERS = 256
"""Most local worker processes: more would only exhaust memory, never add cores."""


@contextmanager
def executor(workers: int | None, scheduler: Any):
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
    pool = ProcessPoolExecutor(min(count, len(jobs)), mp_context=process_context(),
                               initializer=start_worker)
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


def start_worker() -> None:
    """Each worker ignores Ctrl-C (the parent answers it) and dies with its parent."""
    _leave_interrupts_to_the_parent()
    die_with_parent()


def _leave_interrupts_to_the_parent() -> None:
    """Ctrl-C reaches every process in the terminal's group; the parent alone should answer
    it (saving what is done), not each worker with a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def process_context():
    """How workers start. `forkserver` where the platform has it: one server process imports
    the model once and every worker is a fork of it, so workers start in milliseconds rather
    than a second each, and it is safe in a parent with threads (progress bar, Dask, a
    notebook), which plain `fork` is not. `spawn` elsewhere (Windows)."""
    if "forkserver" not in get_all_start_methods():
        return get_context("spawn")
    context = get_context("forkserver")
    # the server imports the model once, and dies with this process (see lifeline_forkserver)
    context.set_forkserver_preload(["model.experiments.parts",
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
