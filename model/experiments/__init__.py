"""Experiments: sweeps over parameters and their sensitivity analysis.

    factors.py      what a sweep varies (Values, Range, Normal), from a file or --vary
    design.py       the declaration: Sweep, its design and runs, sweep files
    seeds.py        every seed derived from the master seed
    parts.py        one part of a sweep: a few runs done in a worker, returned as rows
    executors.py    where parts run: this process, local worker processes, a Dask cluster
    execution.py    the plan of parts, and `execute`: run them all, save each as it finishes
    store.py        the results folder: durable parts, resume checks, the finished table
    sensitivity.py  Sobol and Morris indices, means and bands of a finished sweep
    interactive.py  a small sweep for a page: worker processes, progress and cancel callbacks

The modules import one way (seeds < factors < design < store < parts < executors < execution),
so this package re-exports the public names: `from model.experiments import Sweep, execute`.
It uses the model's core, `model.plots` and `model.validation.stats`; nothing below it imports
this package.
"""

from .design import (
    CONFIRM_RUNS,
    DEFAULT_SAMPLES,
    DERIVED,
    DESIGNS,
    IDENTITY,
    MAX_RUNS,
    RunSpec,
    Sweep,
    from_dict,
    is_sweep_file,
    latin_hypercube,
    read_sweep,
)
from .execution import Execution, Plan, execute, plan
from .executors import MAX_WORKERS, available_cores
from .parts import PartJob, PartResult, run_part, with_derived
from .factors import Factor, Normal, Range, SweepError, Values, parse_vary
from .seeds import analysis_seed, design_seed, run_seed
from .store import Store, read_results, read_timelines

__all__ = [
    "CONFIRM_RUNS", "DEFAULT_SAMPLES", "DERIVED", "DESIGNS", "IDENTITY",
    "MAX_RUNS", "MAX_WORKERS", "Execution", "Factor", "Normal", "PartJob", "PartResult", "Plan",
    "Range", "RunSpec", "Store", "Sweep", "SweepError", "Values", "analysis_seed",
    "available_cores", "design_seed", "execute", "from_dict", "is_sweep_file",
    "latin_hypercube", "parse_vary", "plan", "read_results", "read_sweep", "read_timelines",
    "run_part", "run_seed", "with_derived",
]
