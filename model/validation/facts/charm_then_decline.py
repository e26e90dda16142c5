"""Charm, then decline: satisfaction starts above her baseline and later falls below it.

Emergent: satisfaction follows warmth and perceived harm week by week, and the turn from
idealization to devaluation comes from his accumulating disappointment, not from a clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...plots.palette import pyplot
from ...plots.validation import curves, finish
from ..harness import Context, DyadRun, Result, col, dyad_arm, mean_curve
from ..stats import Comparison, against, finite
from . import Fact

BASELINE_SATISFACTION = 0.5
"""Her own standard: satisfaction before she meets him and the neutral point of the model."""
CHARM_WEEKS = 78
INTO_DEVALUATION = 12


@dataclass(frozen=True)
class Figure:
    """Her satisfaction week by week (mean and 10th-90th percentile band)."""

    runs: int
    satisfaction: dict[str, list[float]]

    def draw(self):
        fig, ax = pyplot().subplots(figsize=(8, 4))
        curves(ax, {"satisfaction": self.satisfaction},
               "satisfaction (mean, 10th-90th percentile)",
               "The partner's satisfaction week by week")
        ax.axhline(BASELINE_SATISFACTION, color="grey", ls="--", lw=1)
        ax.text(1, BASELINE_SATISFACTION + 0.01, "baseline", fontsize=8, color="grey")
        ax.axvline(7, color="grey", ls=":", lw=1)
        ax.text(7.5, 0.05, "7th week (Paulhus 1998)", fontsize=8, color="grey")
        ax.set_ylim(0, 1)
        return finish(fig, FACT.title, self.runs)


def satisfaction_into_devaluation(r: DyadRun) -> float | None:
    """Satisfaction 12 weeks after devaluation first began (None if it never began)."""
    started = np.nonzero(r.phase == "devalue")[0]
    if started.size == 0 or started[0] + INTO_DEVALUATION >= len(r.satisfaction):
        return None
    return float(r.satisfaction[started[0] + INTO_DEVALUATION])


def first_below(series: np.ndarray, level: float) -> int | None:
    below = np.nonzero(series[1:] < level)[0]
    return int(below[0]) + 1 if below.size else None


def run(ctx: Context) -> Result:
    """Satisfaction week by week over a year and a half, at the default or drawn parameters."""
    rng = ctx.rng()
    runs = dyad_arm(ctx, "year", {}, weeks=CHARM_WEEKS)
    early = ("weeks 1-4", col(runs, lambda r: float(r.satisfaction[1:5].mean())))
    late = ("12 weeks into devaluation", col(runs, satisfaction_into_devaluation))
    parts = [
        against("early", "above baseline at first", "mean satisfaction in weeks 1-4, minus "
                "her baseline of 0.5", early, BASELINE_SATISFACTION, "increase", rng),
        against("late", "below baseline after repeated contact", "satisfaction 12 weeks "
                "after devaluation began, minus 0.5", late, BASELINE_SATISFACTION,
                "decrease", rng),
    ]
    if ctx.robust:
        return Result(FACT.key, ctx.n, parts)
    crossing = np.array(finite(col(runs, lambda r: first_below(r.satisfaction,
                                                                BASELINE_SATISFACTION))))
    median = float(np.median(crossing)) if crossing.size else math.nan
    comparisons = [Comparison(
        "week in which satisfaction first falls below baseline (median)", median,
        (float(np.percentile(crossing, 25)), float(np.percentile(crossing, 75)))
        if crossing.size else (math.nan, math.nan),
        "liking turned negative by the 7th weekly meeting (Paulhus 1998)", 7.0, None,
        "Interval shown is the interquartile range. Paulhus's participants met in discussion "
        "groups; the model's idealization of a romantic partner is meant to last months, so "
        "only the direction is compared, not the timing.", n=int(crossing.size), unit="weeks")]
    notes = [f"{len(runs) - len(finite(late[1]))} of {len(runs)} partners left before "
             "devaluation began (or it began too late to follow for 12 weeks) and are not in "
             "the second measure."]
    return Result(FACT.key, ctx.n, parts, comparisons,
                  Figure(ctx.n, mean_curve(runs, "satisfaction")), notes)


FACT = Fact("charm_then_decline", "Charm, then decline", "published finding",
            "Paulhus 1998 (JPSP 74:1197); Back, Schmukle & Egloff 2010 (JPSP 98:132); "
            "Leckelt et al. 2015 (JPSP)",
            "liked at the first meeting, disliked after 7 weekly meetings", run)
