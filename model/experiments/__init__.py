"""Experiments: sweeps over parameters and their sensitivity analysis.

    design.py       the declaration: Sweep, its factors (Values, Range, Normal), sweep files
    seeds.py        every seed derived from the master seed
    execution.py    parts, run in this process, in local workers or on a Dask cluster
    store.py        the results folder: durable parts, resume checks, the finished table
    sensitivity.py  Sobol and Morris indices, means and bands of a finished sweep

The modules import one way (seeds < design < store < execution), so this package can re-export
the public names: `from model.experiments import Sweep, Range, execute`. It uses the model's
core, `model.plots` and `model.validation.stats`; nothing below it imports this package.
"""

from .design import (
    CONFIRM_RUNS,
    DEFAULT_SAMPLES,
    DERIVED,
    DESIGNS,
    IDENTITY,
    MAX_RUNS,
    Factor,
    Normal,
    Range,
    RunSpec,
    Sweep,
    SweepError,
    Values,
    from_dict,
    is_sweep_file,
    latin_hypercube,
    parse_vary,
    read_sweep,
)
from .execution import (
    MAX_WORKERS,
    Execution,
    PartJob,
    PartResult,
    Plan,
    available_cores,
    execute,
    plan,
    run_part,
    with_derived,
)
from .seeds import analysis_seed, design_seed, run_seed
from .store import CODE_FILES, Store, code_version, read_results, read_timelines

__all__ = [
    "CODE_FILES", "CONFIRM_RUNS", "DEFAULT_SAMPLES", "DERIVED", "DESIGNS", "IDENTITY",
    "MAX_RUNS", "MAX_WORKERS", "Execution", "Factor", "Normal", "PartJob", "PartResult", "Plan",
    "Range", "RunSpec", "Store", "Sweep", "SweepError", "Values", "analysis_seed",
    "available_cores", "code_version", "design_seed", "execute", "from_dict", "is_sweep_file",
    "latin_hypercube", "parse_vary", "plan", "read_results", "read_sweep", "read_timelines",
    "run_part", "run_seed", "with_derived",
]
