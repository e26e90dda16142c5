"""Sweeps on a real Dask cluster, started as a user starts one: from the command line.

A `distributed.LocalCluster` runs its scheduler in the calling process and skips the command
line, the network set-up and the separate installs a user meets; this benchmark starts
`dask scheduler` and `dask worker ADDRESS --nworkers 1 --nthreads 1` as subprocesses on a free
port, exactly as docs/sweeps.md tells a user to, and points `execute(sweep,
scheduler=ADDRESS)` at them.

It measures the same classroom sweep first with one worker, then with a second worker added,
and reports the parallel efficiency (runs per second on 2 workers / (2 x on 1)). Both are
measured on a cluster that is up: each worker has run a short part before the clock starts,
as it has for every sweep but the first a cluster runs (a cluster is started once and given
many sweeps). Each sweep connects to the scheduler by its address, as the command line does.
CPU time of the whole process tree (scheduler, workers, this process) is reported beside wall
time: on a shared machine wall time shows what others left us, CPU time what the work cost.

Every process started here is stopped when the benchmark ends, fails or is interrupted (its
whole process group), and asks the kernel to kill it if this process dies first.

Run: python benchmarks/bench_dask.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))  # common.py, when run as a script

from bench_sweep import benchmark_sweep, load_average, tree_cpu_seconds  # noqa: E402
from common import Target  # noqa: E402

from model.experiments.lifeline import die_with_parent  # noqa: E402
from model.experiments import Sweep, execute, plan, run_part  # noqa: E402

START_SECONDS = 60
"""How long the scheduler and the workers may take to come up before we give up."""


def dask_command() -> str:
    """The `dask` command of this environment (the one whose Python has the model)."""
    beside = Path(sys.executable).with_name("dask")
    found = str(beside) if beside.exists() else shutil.which("dask")
    if found is None:
        raise RuntimeError("no `dask` command in this environment; pip install distributed")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class CommandLineCluster:
    """A scheduler and workers started as subprocesses; `add_worker` starts one more."""

    address: str
    folder: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def start(self, *arguments: str) -> None:
        log = open(self.folder / f"process-{len(self.processes)}.log", "wb")  # noqa: SIM115
        self.processes.append(subprocess.Popen(
            [dask_command(), *arguments], stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=die_with_parent, cwd=self.folder))
        log.close()  # the child holds its own copy

    def add_worker(self) -> None:
        self.start("worker", self.address, "--nworkers", "1", "--nthreads", "1",
                   "--no-dashboard", "--death-timeout", "30",
                   "--local-directory", str(self.folder))
        self.wait_for_workers(len(self.processes) - 1)

    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=f"{START_SECONDS}s") as client:
            client.wait_for_workers(count, timeout=START_SECONDS)
            warm_up(client)


    def stop(self) -> None:
        """Workers first, then the scheduler; SIGKILL for any that outlive 10 seconds."""
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in reversed(self.processes):
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-2000:]
                         for p in sorted(self.folder.glob("process-*.log")))


def warm_up(client) -> None:
    """Run one short part on every worker and one short sweep from here, as a cluster that
    has run a sweep before has: the imports and first-use caches are then paid."""
    tiny = Sweep("classroom", weeks=2, replicates=2, runs_per_part=1)
    client.run(run_part, plan(tiny.checked()).jobs[0])
    execute(tiny, scheduler=client)


@contextmanager
def command_line_cluster(workers: int = 1) -> Iterator[CommandLineCluster]:
    """`dask scheduler` on a free local port and `workers` x `dask worker`; always stopped."""
    with tempfile.TemporaryDirectory(prefix="dask-cluster-") as folder:
        port = free_port()
        cluster = CommandLineCluster(f"tcp://127.0.0.1:{port}", Path(folder))
        try:
            cluster.start("scheduler", "--host", "127.0.0.1", "--port", str(port),
                          "--no-dashboard")
            for _ in range(workers):
                cluster.add_worker()
            yield cluster
        except BaseException:
            print(cluster.log(), file=sys.stderr)
            raise
        finally:
            cluster.stop()


def measured(sweep: Sweep, address: str) -> tuple[float, float, pd.DataFrame]:
    """(runs per second, CPU seconds of the process tree, table) of one sweep on the cluster."""
    cpu, start = tree_cpu_seconds(), time.perf_counter()
    table = execute(sweep, scheduler=address).table
    seconds = time.perf_counter() - start
    return len(sweep.runs()) / seconds, tree_cpu_seconds() - cpu, table


def targets(quick: bool) -> list[Target]:
    """Parallel efficiency of a sweep on a command-line Dask cluster, 2 workers against 1."""
    runs, repeats = (80, 1) if quick else (400, 2)
    sweep = benchmark_sweep(runs)
    best: dict[int, tuple[float, float]] = {}
    tables = []
    with command_line_cluster(1) as cluster:
        for workers in (1, 2):
            if workers == 2:
                cluster.add_worker()
            for _ in range(repeats):
                rate, cpu, table = measured(sweep, cluster.address)
                old_rate, old_cpu = best.get(workers, (0.0, float("inf")))
                best[workers] = (max(rate, old_rate), min(cpu, old_cpu))
                tables.append(table)
    for table in tables[1:]:
        pd.testing.assert_frame_equal(table, tables[0])
    (one, cpu_one), (two, cpu_two) = best[1], best[2]
    return [Target("sweep parallel efficiency, Dask CLI cluster (2 workers)", two / (2 * one),
                   0.85, "x", True,
                   f"{two:.1f} runs/s on 2 `dask worker` vs {one:.1f} on 1; CPU time "
                   f"{cpu_two:.1f} s vs {cpu_one:.1f} s (CPU efficiency {cpu_one / cpu_two:.2f})"
                   f"; {len(sweep.runs())} classroom runs of 520 weeks; same table on 1 and 2 "
                   f"workers; load average {load_average():.1f}")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="80 runs instead of 400, twice")
    for target in targets(parser.parse_args().quick):
        print(f"{target.name}: {target.measured:.2f} (limit {target.limit}) "
              f"{'pass' if target.passed else 'FAIL'}\n  {target.detail}")


if __name__ == "__main__":
    main()
