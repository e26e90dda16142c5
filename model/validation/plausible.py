"""The plausible region: a range for every parameter the robustness check varies, and why.

A fact that holds only at the defaults might hold by an accident of calibration. The
robustness check therefore reruns each experiment at random parameter sets drawn from these
ranges, each justified in words (a modelling choice, or a published figure where one exists).
The ranges are fields of the parameter declarations (`Parameter.plausible`, in
model/parameters.py); this module collects them and draws from them.
Draws are a Latin hypercube from a generator seeded by the master seed, so the same master
seed gives the same draws in any process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..parameters import GROUPS
from .harness import MASTER_SEED


@dataclass(frozen=True)
class Range:
    """A plausible range for one parameter and the reason for it; a choice parameter's range
    is (0, 1), split evenly between its `choices`."""

    low: float
    high: float
    why: str
    choices: tuple[str, ...] = ()


def declared_ranges() -> dict[str, Range]:
    """The plausible ranges of the declarations, keyed by dotted path.

    Group by group, numeric parameters in declaration order come first and choices after
    them: this order fixes which column of the Latin hypercube each parameter gets, so
    changing it would change every robustness draw.
    """
    ranges = {}
    for group, table in GROUPS.items():
        for param in sorted(table.values(), key=lambda p: p.kind == "choice"):
            if param.plausible is not None:
                low, high = param.plausible
                ranges[f"{group}.{param.name}"] = Range(low, high, param.plausible_why,
                                                        param.choices)
    return ranges


PLAUSIBLE: dict[str, Range] = declared_ranges()
"""Plausible range of every parameter the robustness check varies, with its justification.

Not varied: `max_sources`, `treatment` (off by default: mechanism 13), `no_contact` (off unless
a fact varies it), `weeks` and the population settings, which each experiment fixes.
"""


def sample_plausible(draws: int, master: int = MASTER_SEED) -> list[dict[str, Any]]:
    """Latin-hypercube draws from PLAUSIBLE, as dotted-path overrides (seeded, reproducible)."""
    from scipy.stats import qmc

    names = list(PLAUSIBLE)
    sampler = qmc.LatinHypercube(d=len(names), rng=np.random.default_rng([master, 7]))
    unit = sampler.random(draws)
    result = []
    for row in unit:
        draw: dict[str, Any] = {}
        for name, u in zip(names, row, strict=True):
            r = PLAUSIBLE[name]
            if r.choices:
                draw[name] = r.choices[int(u * len(r.choices))]
            else:
                draw[name] = round(float(r.low + u * (r.high - r.low)), 4)
        result.append(draw)
    return result
