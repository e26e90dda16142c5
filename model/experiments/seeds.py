"""Seeds: every random draw of a sweep derives from its one master seed (as in AgentPy).

The design's own sampling, every run's seed and the bootstrap behind sensitivity intervals are
derived from the master seed with `numpy.random.SeedSequence`, keyed by (design point,
replicate). A run depends only on its scenario, overrides and seed, never on which worker ran
it or when, so the table is the same for 1, 2 or 200 workers and any row can be replayed.
"""

from __future__ import annotations

import numpy as np

DESIGN_STREAM, RUN_STREAM, ANALYSIS_STREAM = 0, 1, 2
"""Independent seed streams under the master seed: design sampling, runs, bootstrap."""


def run_seed(master: int, point: int, replicate: int, common: bool = False) -> int:
    """The seed of one run, from the master seed and its (point, replicate) key.

    Keyed, not spawned in sequence, so a run's seed does not depend on how many runs the sweep
    has or in which order they are done. 63 bits keep it a positive int64 in Parquet.
    """
    key = (RUN_STREAM, replicate) if common else (RUN_STREAM, point, replicate)
    state = np.random.SeedSequence(master, spawn_key=key).generate_state(1, np.uint64)[0]
    return int(state >> np.uint64(1))


def design_seed(master: int) -> int:
    """The seed handed to the design sampler (SALib or our Latin hypercube)."""
    return int(np.random.SeedSequence(master, spawn_key=(DESIGN_STREAM,)).generate_state(1)[0])


def analysis_seed(master: int) -> int:
    """The seed of the bootstrap behind confidence intervals of sensitivity indices."""
    return int(np.random.SeedSequence(master, spawn_key=(ANALYSIS_STREAM,)).generate_state(1)[0])
