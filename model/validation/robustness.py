"""Robustness: how each fact fares across random parameter sets from the plausible region.

A draw counts for a fact only when every tested part of its experiment points the claimed way
*and* is significant at `ROBUST_ALPHA` (5%): a point estimate that merely leans the right way
is not evidence. A draw in which some part could not be observed at all (say, no partner ever
went back, so no-one could be pulled back) is "n/a" and left out of the share. The target is
that each fact holds in at least `ROBUST_TARGET` of the region; a fact below it is reported as
a known limit (its `Fact.known_limit`), never hidden by a lower floor.

Draws are independent, so they can run in worker processes; every seed is derived from the
master seed, the fact and the draw number, so the result is the same with any number of
workers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import MAX_SEED, MAX_WORKERS, check_whole
from .facts import FACTS_BY_KEY, Fact
from .harness import MASTER_SEED, Context, Result
from .plausible import PLAUSIBLE, sample_plausible
from .stats import ROBUST_ALPHA, wilson

DEFAULT_DRAWS = 30
"""Random parameter sets in the full robustness check."""
ROBUST_SEEDS = 20
"""Runs per arm at each random parameter set, for a fact of average difficulty."""
ROBUST_TARGET = 0.8
"""Share of the plausible region in which each fact should hold."""


def run_fact(fact: Fact | str, seeds: int, master: int = MASTER_SEED,
             overrides: dict[str, Any] | None = None, draw: int = 0,
             robust: bool = False) -> Result:
    """Run one fact's experiment with `seeds` runs per arm (scaled for town experiments)."""
    fact = FACTS_BY_KEY[fact] if isinstance(fact, str) else fact
    ctx = Context(fact.key, fact.seeds_for(seeds), master, draw, dict(overrides or {}), robust)
    result = fact.run(ctx)
    result.arm_seeds = ctx.arm_seeds
    return result


@dataclass
class Robustness:
    """The verdict of each draw, and which parts failed where."""

    fact: str
    draws: list[dict[str, Any]]
    statuses: list[str]
    effects: list[dict[str, float]]
    wrong_way: dict[str, int]
    not_significant: dict[str, int]
    unobservable: dict[str, int]
    seeds: int

    @property
    def counts(self) -> dict[str, int]:
        """How many draws held, failed, or could not observe the fact."""
        return {k: self.statuses.count(k) for k in ("holds", "fails", "n/a")}

    @property
    def judged(self) -> int:
        return self.counts["holds"] + self.counts["fails"]

    @property
    def share(self) -> float:
        """Share of the observable draws in which every part was significant the claimed way."""
        return self.counts["holds"] / self.judged if self.judged else math.nan

    def interval(self) -> tuple[float, float]:
        """Wilson 95% interval for `share`."""
        return wilson(self.counts["holds"], self.judged)

    @property
    def meets_target(self) -> bool:
        return math.isfinite(self.share) and self.share >= ROBUST_TARGET

    def corners(self, top: int = 3) -> list[tuple[str, float, float, float]]:
        """Parameters whose values differ most between failing and holding draws.

        Returns (parameter, mean where it fails, mean where it holds, difference in units of
        the parameter's spread over its plausible range).
        """
        fails = [d for d, st in zip(self.draws, self.statuses, strict=True) if st == "fails"]
        holds = [d for d, st in zip(self.draws, self.statuses, strict=True) if st == "holds"]
        if len(fails) < 2 or len(holds) < 2:
            return []
        rows = []
        for name, r in PLAUSIBLE.items():
            if name == "narcissist.subtype":
                f = float(np.mean([d[name] == "somatic" for d in fails]))
                h = float(np.mean([d[name] == "somatic" for d in holds]))
                spread = 0.5
            else:
                f = float(np.mean([d[name] for d in fails]))
                h = float(np.mean([d[name] for d in holds]))
                spread = (r.high - r.low) / math.sqrt(12)
            rows.append((name, f, h, (f - h) / spread))
        rows.sort(key=lambda row: -abs(row[3]))
        return rows[:top]


def default_workers() -> int:
    """Worker processes for the robustness draws: one per core (the result does not depend
    on it)."""
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)
    return max(1, min(cores, MAX_WORKERS))


def _one_draw(job: tuple[str, int, int, dict[str, Any], int]) -> Result:
    key, n, master, overrides, draw = job
    return run_fact(key, n, master, overrides, draw=draw, robust=True)


def robustness(fact: Fact | str, draws: int = DEFAULT_DRAWS, seeds: int = ROBUST_SEEDS,
               master: int = MASTER_SEED,
               progress: Callable[[int, int], None] | None = None,
               workers: int = 1) -> Robustness:
    """Run a fact's experiment at `draws` random parameter sets from the plausible region.

    `seeds` is the number of runs per arm for a fact of average difficulty; facts with small
    or conditional effects get more (`Fact.robust_scale`). `workers` > 1 runs draws in worker
    processes; the result does not depend on it.
    """
    check_whole(master, "master", 0, MAX_SEED)
    check_whole(workers, "workers", 1, MAX_WORKERS)
    fact = FACTS_BY_KEY[fact] if isinstance(fact, str) else fact
    sample = sample_plausible(draws, master)
    n = int(math.ceil(seeds * fact.robust_scale))
    jobs = [(fact.key, n, master, overrides, i) for i, overrides in enumerate(sample, start=1)]
    results: list[Result] = []
    if workers > 1 and len(jobs) > 1:
        import multiprocessing

        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            for result in pool.imap(_one_draw, jobs):
                results.append(result)
                if progress is not None:
                    progress(len(results), draws)
    else:
        for job in jobs:
            results.append(_one_draw(job))
            if progress is not None:
                progress(len(results), draws)
    statuses, effects = [], []
    wrong: dict[str, int] = {}
    weak: dict[str, int] = {}
    unobservable: dict[str, int] = {}
    for result in results:
        if not result.observable:
            statuses.append("n/a")
        else:
            statuses.append("holds" if result.significant(ROBUST_ALPHA) else "fails")
        effects.append({p.key: p.effect for p in result.parts})
        for p in result.parts:
            if not p.applicable:
                unobservable[p.key] = unobservable.get(p.key, 0) + 1
            elif not p.direction_ok:
                wrong[p.key] = wrong.get(p.key, 0) + 1
            elif not p.holds(ROBUST_ALPHA):
                weak[p.key] = weak.get(p.key, 0) + 1
    return Robustness(fact.key, sample, statuses, effects, wrong, weak, unobservable,
                      fact.seeds_for(n))
