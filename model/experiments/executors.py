"""Where the parts of a sweep run: in this process, in local worker processes, or on a Dask
cluster; each yields results as they complete.
"""

from __future__ import annotations

import os
import signal
import socket
import struct
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from multiprocessing import current_process, get_all_start_methods, get_context
from typing import Any


from ..errors import MAX_WORKERS as MAX_WORKERS  # declared once, for every entry
from ..extras import install_line, missing
from .factors import SweepError
from .lifeline import die_with_parent
from .parts import PartJob, PartResult, run_part
from .temporary import worker_temporary_folder

CONNECT_SECONDS = 10
"""How long `--scheduler` may take to answer with a Dask handshake before the sweep is refused."""

NO_WORKER_SECONDS = 60
"""How long a sweep on Dask waits while the cluster has no worker at all before it stops (its
finished parts are saved, so `--resume` on a cluster with workers finishes it)."""

HANDSHAKE_BYTES = 1 << 20
"""Largest first message accepted from a scheduler: a Dask handshake is a few hundred bytes,
while the first bytes of another service's answer, read as a Dask length, can ask for
exabytes."""

RESUME_LINE = "the finished parts are saved: run the same command with --resume to finish"


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
            try:
                result = future.result()
            except BrokenProcessPool:
                raise SweepError("a worker process ended abruptly (killed, or out of memory); "
                                 + RESUME_LINE) from None
            yield result
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
    config = current_process()._config  # noqa: SLF001 -- where multiprocessing keeps its tempdir
    if "tempdir" not in config:  # its own pymp-... folder outlives a killed sweep; ours does not
        folder = worker_temporary_folder()
        if folder is not None:
            config["tempdir"] = str(folder)
    if "forkserver" not in get_all_start_methods():
        return get_context("spawn")
    context = get_context("forkserver")
    # the server imports the model once, and dies with this process (see lifeline_forkserver)
    context.set_forkserver_preload(["model.experiments.parts",
                                    "model.experiments.lifeline_forkserver"])
    return context


@contextmanager
def _dask_client(scheduler: Any):
    if missing("dask"):  # an extra: the core install runs sweeps on local processes only
        raise SweepError(install_line("dask", "--scheduler"))
    from distributed import Client

    if isinstance(scheduler, Client):
        yield scheduler
        return
    probe_scheduler(str(scheduler))
    try:
        client = Client(scheduler, timeout=f"{CONNECT_SECONDS}s")
    except (OSError, TimeoutError, ValueError) as err:
        raise SweepError(f"--scheduler {scheduler!r}: cannot connect ({err})") from None
    try:
        yield client
    finally:
        client.close(timeout=CONNECT_SECONDS)


def probe_scheduler(address: str) -> None:
    """Refuse, within CONNECT_SECONDS, an address that does not answer as a Dask scheduler.

    distributed's client sends its handshake and then waits for the answer with no time limit,
    and reads the first eight bytes of any answer as the length to allocate: a service that
    never answers hung the sweep, and a web server's "HTTP/1.1" asked for 3 EiB. A Dask
    scheduler speaks first, so this reads its first length with a time limit and a bound.
    """
    scheme, _, location = address.rpartition("://")
    if scheme not in ("", "tcp"):
        return  # tls://, ucx://, inproc://: left to distributed
    host, _, port = location.rpartition(":")
    if not host or not port.isdigit():
        raise SweepError(f"--scheduler {address!r}: expected an address such as "
                         "tcp://10.0.0.5:8786 (host and port)")
    where = f"--scheduler {address!r}"
    try:
        with socket.create_connection((host.strip("[]"), int(port)),
                                      timeout=CONNECT_SECONDS) as connection:
            connection.settimeout(CONNECT_SECONDS)
            first = _read_exactly(connection, 8)
    except TimeoutError:
        raise SweepError(f"{where}: no Dask handshake within {CONNECT_SECONDS} s; is a Dask "
                         "scheduler listening there?") from None
    except OSError as err:
        raise SweepError(f"{where}: cannot connect ({err.strerror or err})") from None
    if len(first) < 8 or not 0 < struct.unpack("<Q", first)[0] <= HANDSHAKE_BYTES:
        raise SweepError(f"{where}: the service there does not answer as a Dask scheduler "
                         "does; check the address and port (a scheduler's is usually 8786)")


def _read_exactly(connection: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = connection.recv(count - len(data))
        if not chunk:
            break
        data += chunk
    return data


def _dask_results(client, jobs: list[PartJob]) -> Iterator[PartResult]:
    """Results as parts finish on the cluster. A cluster left without any worker for
    NO_WORKER_SECONDS, a scheduler that stops answering, or a part the cluster gives up on
    (KilledWorker) end the sweep with one line; the finished parts are saved for --resume."""
    from distributed import wait

    futures = [client.submit(run_part, job, pure=False) for job in jobs]
    pending = set(futures)
    alone_since: float | None = None
    try:
        while pending:
            try:
                done = wait(pending, timeout=5, return_when="FIRST_COMPLETED").done
            except TimeoutError:
                done = set()
            except Exception as err:  # noqa: BLE001 -- distributed raises many kinds here
                raise _dask_stopped(client, err) from None
            for future in done:
                pending.discard(future)
                try:
                    result = future.result(timeout=CONNECT_SECONDS)
                except Exception as err:  # noqa: BLE001 -- run_part itself never raises
                    raise _dask_stopped(client, err) from None
                future.release()
                yield result
            alone_since = _check_workers(client, alone_since) if not done else None
    finally:
        with suppress(Exception):  # a scheduler that is gone has nothing to cancel
            client.cancel([f for f in futures if not f.done()])


def _check_workers(client, alone_since: float | None) -> float | None:
    """Since when the cluster has had no worker (None while it has one); stop after the limit."""
    if client.status != "running":
        raise _dask_stopped(client, None)
    try:
        workers = client.scheduler_info(n_workers=-1)["workers"] if _takes_count(client) \
            else client.scheduler_info()["workers"]
    except Exception as err:  # noqa: BLE001 -- a scheduler that died mid-question
        raise _dask_stopped(client, err) from None
    if workers:
        return None
    now = time.monotonic()
    if alone_since is not None and now - alone_since > NO_WORKER_SECONDS:
        raise SweepError(f"--scheduler {_address(client)}: the cluster has had no worker for "
                         f"{NO_WORKER_SECONDS} s; start workers, then run the same command "
                         "with --resume to finish (the finished parts are saved)")
    return now if alone_since is None else alone_since


def _takes_count(client) -> bool:
    import inspect

    return "n_workers" in inspect.signature(client.scheduler_info).parameters


def _dask_stopped(client, err: BaseException | None) -> SweepError:
    what = "" if err is None else f" ({type(err).__name__}: {' '.join(str(err).split())[:100]})"
    return SweepError(f"--scheduler {_address(client)}: the cluster stopped answering or gave "
                      f"up on a part{what}; {RESUME_LINE}, on a working cluster")


def _address(client) -> str:
    return getattr(client.scheduler, "address", None) or "a scheduler"


def available_cores() -> int:
    """The cores this process may use (a container or `taskset` may allow fewer than exist)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1
