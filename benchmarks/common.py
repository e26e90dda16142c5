"""What every benchmark shares: the bare Mesa floor, a timer, and the shape of a target.

Targets are ratios against a baseline measured in the same process and the same run, so a
slower or busier machine moves both sides alike; no number here is a wall-clock promise.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import mesa


class BareModel(mesa.Model):
    """Mesa's own floor: the same number of agents, a step that does nothing, no collection."""

    def __init__(self, agents: int, rng: int = 0) -> None:
        super().__init__(rng=rng)
        for _ in range(agents):
            mesa.Agent(self)

    def step(self) -> None:
        self.agents.shuffle_do("step")


def median_seconds(make: Callable[[int], object], weeks: int, repeats: int,
                   clock: Callable[[], float] = time.perf_counter) -> float:
    """Median time to build a model from seed `s` and step it `weeks` times.

    `clock` is wall time by default; `time.process_time` counts only this process's CPU
    time, which other people's work on a shared machine disturbs far less.
    """
    return statistics.median(run_seconds(make, seed, weeks, clock) for seed in range(repeats))


def run_seconds(make: Callable[[int], object], seed: int, weeks: int,
                clock: Callable[[], float] = time.perf_counter) -> float:
    """Time to build one model from seed `seed` and step it `weeks` times."""
    start = clock()
    model = make(seed)
    for _ in range(weeks):
        model.step()
    return clock() - start


def floor_seconds(agents: int, weeks: int, repeats: int,
                  clock: Callable[[], float] = time.perf_counter) -> float:
    """The bare floor for `agents` agents over `weeks` weeks."""
    return median_seconds(lambda s: BareModel(agents, rng=s), weeks, repeats, clock)


@dataclass(frozen=True)
class Target:
    """One line of `run_all.py`'s table: what was measured, against what limit."""

    name: str
    measured: float
    limit: float
    unit: str
    higher_is_better: bool = False
    detail: str = ""

    @property
    def passed(self) -> bool:
        if self.higher_is_better:
            return self.measured >= self.limit
        return self.measured <= self.limit
