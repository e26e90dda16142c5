"""How many 520-week classroom runs per second does a sweep do, on one worker and on all cores?

Everything is measured in this one process, one after the other, so the ratios compare like
with like on whatever machine runs this:

* the model alone: a plain loop of `RelationshipModel(...).run().outcomes()`, no sweep;
* a sweep on 1 worker (in this process): the sweep's own overhead is its ratio to the loop;
* a sweep on every available core (worker processes, start-up included): the speed-up over
  1 worker, and the parallel efficiency = speed-up / cores;
* optionally (--dask) the same sweep on a local Dask cluster with one process per core.

The tables of the 1-worker and all-core sweeps are compared too: they must be identical.
On a shared machine other people's work slows some measurements more than others, so each
configuration is measured `--repeats` times, interleaved, and its best rate kept (as `timeit`
keeps its best time); the load average before and after is printed.

The issue's targets (`targets(quick)`, collected by `benchmarks/run_all.py`): a sweep on one
worker does at least 0.9 of the runs per second of the plain loop; two local workers give a
parallel efficiency of at least 0.85; the Sobol analysis of the eight knobs of
`sweeps/sobol_classroom.toml` with 1,024 base samples and second-order indices (18,432 runs)
takes under 5 minutes on 2 cores. Dask's figures are in `bench_dask.py`.

Run: python benchmarks/bench_sweep.py [--runs N] [--repeats N] [--dask]
     python benchmarks/bench_sweep.py --targets [--quick]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import sys
import time
from contextlib import suppress
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))  # common.py, when run as a script

from common import Target  # noqa: E402

from model import RelationshipModel  # noqa: E402
from model.experiments import Range, Sweep, available_cores, execute, read_sweep  # noqa: E402

WEEKS = 520
ROOT = Path(__file__).resolve().parent.parent
SOBOL_FILE = ROOT / "sweeps" / "sobol_classroom.toml"
SOBOL_SAMPLES = {False: 1024, True: 16}
"""Base samples N of the Sobol target (full), and of its quick version (same code, 288 runs)."""
SOBOL_SECONDS = 300.0
CORES = 2
"""The issue's machine: its targets are stated for 2 cores."""


def benchmark_sweep(runs: int) -> Sweep:
    """`runs` classroom runs: Ana's boundary at ten levels, replicated."""
    return Sweep("classroom", vary=(Range("partners.0.boundary", 0.0, 1.0, 10),),
                 replicates=max(1, runs // 10), weeks=WEEKS, seed=1).checked()


def model_alone(sweep: Sweep, record: str = "outcomes") -> float:
    """Runs per second of the bare model, no sweep machinery. It keeps the weekly rows the
    sweep keeps (none, unless the sweep keeps timelines), so the ratio is the machinery's cost
    alone; `record="weekly"` is the loop as the model's own default runs it."""
    start = time.perf_counter()
    for spec in sweep.runs():
        RelationshipModel(sweep.scenario, rng=spec.seed, record=record,
                          **sweep.constant_overrides(), **dict(spec.varied)).run().outcomes()
    return len(sweep.runs()) / (time.perf_counter() - start)


def sweep_rate(sweep: Sweep, **where) -> tuple[float, pd.DataFrame]:
    """Runs per second of a whole sweep, start-up and writing included."""
    start = time.perf_counter()
    table = execute(sweep, **where).table
    return len(sweep.runs()) / (time.perf_counter() - start), table


def dask_rate(sweep: Sweep, cores: int) -> tuple[float, pd.DataFrame]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=cores, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        return sweep_rate(sweep, scheduler=cluster.scheduler_address)


def sobol_sweep(samples: int) -> Sweep:
    """The first eight knobs of the classroom Sobol file (the file's whole design before it
    added four of his traits, so the target stays comparable across rounds), Saltelli's scheme
    with second-order indices, one run per design point: samples x (2 x 8 + 2) runs."""
    declared = read_sweep(SOBOL_FILE)
    return dataclasses.replace(declared, vary=declared.vary[:8], samples=samples, replicates=1,
                               second_order=True).checked()


def targets(quick: bool) -> list[Target]:
    """The issue's sweep targets, each a ratio or a time measured in this one run.

    The sweep on one worker runs in this process, as the loop does, so their ratio is taken
    in CPU time, which other people's work on a shared machine disturbs far less than wall
    time (the wall-clock ratio is in the detail); the parallel efficiency can only be wall
    time, with the CPU efficiency beside it."""
    runs, repeats = (80, 1) if quick else (400, 2)
    sweep, workers = benchmark_sweep(runs), min(CORES, available_cores())
    rate: dict[str, float] = {}
    cpu: dict[str, float] = {}
    tables = []
    for _ in range(repeats):  # interleaved, best of each: others' load moves all alike
        for name, measure in (("alone", lambda: (model_alone(sweep), None)),
                              ("one", lambda: sweep_rate(sweep, workers=1)),
                              ("many", lambda: sweep_rate(sweep, workers=workers))):
            used = tree_cpu_seconds()
            found, table = measure()
            used = tree_cpu_seconds() - used
            rate[name], cpu[name] = max(found, rate.get(name, 0.0)), min(used, cpu.get(name,
                                                                                     math.inf))
            tables += [] if table is None else [table]
    for table in tables[1:]:  # 1 worker or many: the same table
        pd.testing.assert_frame_equal(table, tables[0])
    load = f"load average {load_average():.1f}"
    size = f"{len(sweep.runs())} classroom runs of {WEEKS} weeks"
    return [
        Target("sweep on 1 worker vs the bare model loop (CPU time)", cpu["alone"] / cpu["one"],
               0.9, "x", True, f"CPU time {cpu['one']:.2f} s vs {cpu['alone']:.2f} s; wall "
               f"clock {rate['one']:.1f} vs {rate['alone']:.1f} runs/s "
               f"({rate['one'] / rate['alone']:.2f}); {size}; {load}"),
        Target(f"sweep parallel efficiency, {workers} local workers",
               rate["many"] / (workers * rate["one"]), 0.85, "x", True,
               f"{rate['many']:.1f} runs/s on {workers} vs {rate['one']:.1f} on 1, worker "
               f"start-up included; CPU time {cpu['many']:.1f} s vs {cpu['one']:.1f} s (CPU "
               f"efficiency {cpu['one'] / cpu['many']:.2f}); {size}; {load}"),
        sobol_target(quick, workers)]


def sobol_target(quick: bool, workers: int) -> Target:
    """The full Sobol sweep against 5 minutes; in quick mode the same sweep with 16 base
    samples, reported as its rate against the rate the full sweep needs (nothing is
    extrapolated: the quick figure only says how far that rate is)."""
    sweep = sobol_sweep(SOBOL_SAMPLES[quick])
    runs = len(sweep.runs())
    cpu, start = tree_cpu_seconds(), time.perf_counter()
    execute(sweep, workers=workers)
    seconds, cpu = time.perf_counter() - start, tree_cpu_seconds() - cpu
    detail = (f"{runs:,} runs ({sweep.samples} base samples x 18) in {seconds:.1f} s on "
              f"{workers} workers, {cpu:.0f} CPU-seconds in all (half of that per core with "
              f"both cores to itself); load average {load_average():.1f}")
    if not quick:
        return Target("Sobol, 8 knobs, N=1024, second order (18,432 runs)", seconds,
                      SOBOL_SECONDS, "s", False, detail)
    needed = len(sobol_sweep(SOBOL_SAMPLES[False]).runs()) / SOBOL_SECONDS
    return Target("Sobol rate (quick: N=16; the full target needs this rate)", runs / seconds,
                  round(needed, 1), "runs/s", True, detail)


def configurations(cores: int, dask: bool) -> dict[str, tuple[int, object]]:
    """Name -> (workers, a function of the sweep returning (runs/s, table or None))."""
    found = {
        "model alone (loop, no sweep)": (1, lambda s: (model_alone(s), None)),
        "model alone, weekly rows kept": (1, lambda s: (model_alone(s, "weekly"), None)),
        "sweep, 1 worker": (1, lambda s: sweep_rate(s, workers=1)),
        f"sweep, {cores} worker processes": (cores, lambda s: sweep_rate(s, workers=cores)),
    }
    if dask:
        found[f"sweep, Dask LocalCluster ({cores} processes)"] = (
            cores, lambda s: dask_rate(s, cores))
    return found


def tree_cpu_seconds(pid: int | None = None) -> float:
    """CPU seconds used so far by a process and every process under it, the dead ones
    included (a parent that reaps a child adds its time to its own). On a machine other
    people share, wall time says how much CPU we were given; this says how much the work
    needed, which is what parallel overhead adds to. NaN where /proc is missing (not Linux)."""
    root = pid or os.getpid()
    if not Path(f"/proc/{root}/stat").exists():
        return float("nan")
    stack, total = [root], 0
    while stack:
        current = stack.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except (FileNotFoundError, ProcessLookupError):  # it ended between two reads
            continue
        for task in tasks:  # a thread may end between two reads too
            with suppress(FileNotFoundError, ProcessLookupError):
                stack += [int(c) for c in (task / "children").read_text().split()]
    return total / os.sysconf("SC_CLK_TCK")


def load_average() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="runs per measurement")
    parser.add_argument("--repeats", type=int, default=2, help="measurements per configuration")
    parser.add_argument("--dask", action="store_true", help="also time a local Dask cluster")
    parser.add_argument("--targets", action="store_true", help="measure the issue's targets")
    parser.add_argument("--quick", action="store_true", help="the targets' quick version")
    args = parser.parse_args()
    if args.targets:
        for target in targets(args.quick):
            print(target)
        return
    sweep, cores = benchmark_sweep(args.runs), available_cores()
    configs, best, tables = configurations(cores, args.dask), {}, []
    load_before = load_average()
    for _ in range(args.repeats):
        for name, (_, measure) in configs.items():
            rate, table = measure(sweep)
            best[name] = max(rate, best.get(name, 0.0))
            tables += [] if table is None else [table]
    for table in tables[1:]:
        pd.testing.assert_frame_equal(table, tables[0])
    report(sweep, cores, configs, best, (load_before, load_average()))


def report(sweep: Sweep, cores: int, configs: dict, best: dict, loads: tuple) -> None:
    alone = best["model alone (loop, no sweep)"]
    print(f"{len(sweep.runs())} classroom runs of {WEEKS} weeks each; {cores} cores available; "
          f"load average {loads[0]:.1f} before, {loads[1]:.1f} after\n")
    print(f"{'':44} {'workers':>7} {'runs/s':>8} {'vs model alone':>15}")
    for name, (workers, _) in configs.items():
        print(f"{name:44} {workers:>7} {best[name]:>8.1f} {best[name] / alone:>15.2f}")
    one, many = best["sweep, 1 worker"], best[f"sweep, {cores} worker processes"]
    print(f"\nspeed-up on {cores} workers over 1: {many / one:.2f}x; parallel efficiency "
          f"{many / one / cores:.0%} (best of each; start-up of the workers included)")
    print("every sweep gave the same table")


if __name__ == "__main__":
    main()
