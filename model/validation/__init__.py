"""Validation: the stylized facts of the evidence table (docs/ODD.md, section 1) as experiments.

    stats.py       paired tests, bootstrap intervals, bands, Wilson intervals (defined once)
    plausible.py   the plausible region and its seeded Latin-hypercube draws
    harness.py     contexts, seeds, dyad and town runs, arms, the Result of an experiment
    facts/         one module per fact: its experiment, its figure, its prose (Markdown)
    robustness.py  each fact across the plausible region, counted on significant draws
    report.py      the Markdown report and its figures

Imports run one way: this package uses the model's core; no core module imports it.
Verdicts: at the defaults a part holds when its effect points the claimed way with p < ALPHA
(0.01, two-sided) and a fact holds when all its tested parts hold; across the plausible region
a draw counts only when every part is also significant at 5%.
"""

from .facts import FACTS, FACTS_BY_KEY, Fact
from .harness import DEFAULT_SEEDS, MASTER_SEED, Context, Result
from .plausible import PLAUSIBLE, sample_plausible
from .robustness import (DEFAULT_DRAWS, ROBUST_SEEDS, ROBUST_TARGET, Robustness,
                         default_workers, robustness, run_fact)
from .stats import ALPHA, ROBUST_ALPHA, Part

__all__ = ["ALPHA", "DEFAULT_DRAWS", "DEFAULT_SEEDS", "FACTS", "FACTS_BY_KEY", "MASTER_SEED",
           "PLAUSIBLE", "ROBUST_ALPHA", "ROBUST_SEEDS", "ROBUST_TARGET", "Context", "Fact",
           "Part", "Result", "Robustness", "default_workers", "robustness", "run_fact",
           "sample_plausible"]
