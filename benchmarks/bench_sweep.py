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

Run: python benchmarks/bench_sweep.py [--runs N] [--repeats N] [--dask]
"""

from __future__ import annotations

import argparse
import os
import time

import pandas as pd

from model import RelationshipModel
from model.sweep import Range, Sweep, available_cores, execute

WEEKS = 520


def benchmark_sweep(runs: int) -> Sweep:
    """`runs` classroom runs: Ana's boundary at ten levels, replicated."""
    return Sweep("classroom", vary=(Range("partners.0.boundary", 0.0, 1.0, 10),),
                 replicates=max(1, runs // 10), weeks=WEEKS, seed=1).checked()


def model_alone(sweep: Sweep) -> float:
    """Runs per second of the bare model, no sweep machinery."""
    start = time.perf_counter()
    for spec in sweep.runs():
        RelationshipModel(sweep.scenario, rng=spec.seed, **sweep.constant_overrides(),
                          **dict(spec.varied)).run().outcomes()
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


def configurations(cores: int, dask: bool) -> dict[str, tuple[int, object]]:
    """Name -> (workers, a function of the sweep returning (runs/s, table or None))."""
    found = {
        "model alone (loop, no sweep)": (1, lambda s: (model_alone(s), None)),
        "sweep, 1 worker": (1, lambda s: sweep_rate(s, workers=1)),
        f"sweep, {cores} worker processes": (cores, lambda s: sweep_rate(s, workers=cores)),
    }
    if dask:
        found[f"sweep, Dask LocalCluster ({cores} processes)"] = (
            cores, lambda s: dask_rate(s, cores))
    return found


def load_average() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="runs per measurement")
    parser.add_argument("--repeats", type=int, default=2, help="measurements per configuration")
    parser.add_argument("--dask", action="store_true", help="also time a local Dask cluster")
    args = parser.parse_args()
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
