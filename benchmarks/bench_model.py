"""How fast is a 520-week run, as a ratio against Mesa's own overhead?

The baseline is a bare Mesa model with the same number of agents, stepping the same number of
weeks and collecting the same number of model reporters: what any Mesa model pays before it
does any work of its own. Timings are medians of repeated runs in this one process, so the
ratios compare like with like on whatever machine runs this.

Run: python benchmarks/bench_model.py [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import mesa

from model import RelationshipModel


class BareModel(mesa.Model):
    """Mesa's own cost: agents, a step counter and a DataCollector, and nothing else."""

    def __init__(self, agents: int, rng: int = 0) -> None:
        super().__init__(rng=rng)
        for _ in range(agents):
            mesa.Agent(self)
        self.datacollector = mesa.DataCollector(model_reporters={
            f"r{i}": (lambda m: m.steps) for i in range(4)})

    def step(self) -> None:
        self.agents.shuffle_do("step")
        self.datacollector.collect(self)


def timed(make, weeks: int, repeats: int) -> float:
    times = []
    for seed in range(repeats):
        start = time.perf_counter()
        model = make(seed)
        for _ in range(weeks):
            model.step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory(make, weeks: int) -> float:
    tracemalloc.start()
    model = make(0)
    for _ in range(weeks):
        model.step()
    model.timeline()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    weeks = 520
    print(f"{'scenario':<12} {'agents':>6} {'model s':>9} {'bare mesa s':>12} {'ratio':>7} "
          f"{'peak MiB':>9}")
    for scenario in ("classroom", "community"):
        probe = RelationshipModel(scenario, rng=0)
        agents = len(probe.agents)
        model_time = timed(lambda s: RelationshipModel(scenario, rng=s), weeks, args.repeats)
        bare_time = timed(lambda s: BareModel(agents, rng=s), weeks, args.repeats)
        memory = peak_memory(lambda s: RelationshipModel(scenario, rng=s), weeks)
        print(f"{scenario:<12} {agents:>6} {model_time:>9.4f} {bare_time:>12.4f} "
              f"{model_time / bare_time:>7.1f} {memory:>9.1f}")


if __name__ == "__main__":
    main()
