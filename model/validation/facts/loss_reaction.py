"""A loss at the ending, then recovery: her wellbeing falls when a relationship ends for good,
below where it was in her last weeks with him and beyond the trend it was on, and then mends.

The loss reaction (mechanism 19) takes a share of her wellbeing in the week it ends, and grief
holds her set point down at first (mechanism 12): both are written into the rules, and the
first is shown. But the same week his harm stops, which lifts her wellbeing back towards her
set point, so whether the first two months apart are worse than the last two together, and
worse than the trend of her last months with him, depends on how deep the loss was, on how low
devaluation had already brought her and on how fast she mends: that is tested. So is the
recovery over the first year, which his hoovers (they set grief back) and a chronic course
can stall.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...plots.palette import COLOURS, pyplot
from ...plots.validation import curves_at, finish
from ..harness import HORIZON, Context, DyadRun, Result, dyad_arm
from ..stats import band, two_arms
from . import Fact

WINDOW = 8
"""Weeks in each window: the last 8 weeks together, the 8 before them, the first 8 apart."""
LATER = (26, 52)
"""Weeks 27-52 after the final separation: the rest of the first year apart."""
TOGETHER = ("idealize", "devalue")
BEFORE, AFTER = 26, 52
"""The figure's span around the final separation."""


@dataclass(frozen=True)
class Figure:
    """Mean wellbeing around the final separation (10th-90th percentile band)."""

    runs: int
    wellbeing: dict[str, list[float]]
    n: int

    def draw(self):
        fig, ax = pyplot().subplots(figsize=(8, 4))
        weeks = np.arange(-BEFORE, AFTER)
        if self.wellbeing["mean"]:
            ax.fill_between(weeks, self.wellbeing["low"], self.wellbeing["high"],
                            color=COLOURS[0], alpha=0.15, lw=0)
        curves_at(ax, weeks, {f"wellbeing, mean (n={self.n})": self.wellbeing["mean"]},
                  "wellbeing (mean, 10th-90th percentile)",
                  "Her wellbeing around the final separation",
                  "weeks since the final separation (0: the week it ends)")
        for start, end in ((-WINDOW, 0), (0, WINDOW), LATER):
            ax.axvspan(start, end, color="grey", alpha=0.08, lw=0)
        ax.axvline(0, color="grey", ls=":", lw=1)
        ax.set_ylim(0, 1)
        return finish(fig, FACT.title, self.runs)


def final_ending(r: DyadRun, before: int = 2 * WINDOW, after: int = LATER[1]) -> int | None:
    """Her final separation, if she had been with him throughout the `before` weeks before it
    and the run follows her `after` weeks apart."""
    final = r.final_separation()
    if final is None or final < before or final + after > HORIZON:
        return None
    if not np.isin(r.phase[final - before:final], TOGETHER).all():
        return None
    return final


def window(runs: Sequence[DyadRun], finals: Sequence[int], start: int, end: int) -> np.ndarray:
    """Mean wellbeing over weeks [final + start, final + end) of each run."""
    return np.array([float(r.wellbeing[f + start:f + end].mean())
                     for r, f in zip(runs, finals, strict=True)])


def run(ctx: Context) -> Result:
    """Ten years with partners who differ around the defaults; wellbeing in windows around each
    final separation, seed by seed."""
    rng = ctx.rng()
    everyone = dyad_arm(ctx, "ten years", {}, population=True)
    pairs = [(r, f) for r in everyone if (f := final_ending(r)) is not None]
    runs = [r for r, _ in pairs]
    finals = [f for _, f in pairs]
    earlier = window(runs, finals, -2 * WINDOW, -WINDOW)
    together = window(runs, finals, -WINDOW, 0)
    apart = window(runs, finals, 0, WINDOW)
    later = window(runs, finals, *LATER)
    parts = [
        two_arms("loss", "wellbeing falls when it ends", "mean wellbeing in the first 8 weeks "
                 "apart minus the last 8 weeks together, around the final separation",
                 ("last 8 weeks together", together), ("first 8 weeks apart", apart),
                 "decrease", rng),
        two_arms("beyond_trend", "the fall at the ending goes beyond her earlier trend",
                 "change in mean wellbeing across the ending (first 8 weeks apart minus last 8 "
                 "together) minus the change over her 8 weeks together before (last 8 minus "
                 "the 8 before them)", ("trend before", together - earlier),
                 ("across the ending", apart - together), "decrease", rng),
        two_arms("recovery", "then she mends", "mean wellbeing in weeks 27-52 apart minus the "
                 "first 8 weeks apart", ("first 8 weeks apart", apart),
                 ("weeks 27-52 apart", later), "increase", rng),
    ]
    if ctx.robust:
        return Result(FACT.key, ctx.n, parts)
    week_before = np.array([float(r.wellbeing[f - 1]) for r, f in zip(runs, finals,
                                                                         strict=True)])
    week_of = np.array([float(r.wellbeing[f]) for r, f in zip(runs, finals, strict=True)])
    shown = [
        two_arms("at_once", "the week it ends, her wellbeing drops (built in: the loss "
                 "reaction takes a share of it at once)", "wellbeing in the week of the final "
                 "separation minus the week before", ("week before", week_before),
                 ("week it ends", week_of), "decrease", rng),
    ]
    spans = [r.wellbeing[f - BEFORE:f + AFTER] for r, f in zip(runs, finals, strict=True)
             if f >= BEFORE and np.isin(r.phase[f - BEFORE:f], TOGETHER).all()]
    curve = band(np.vstack(spans)) if spans else {"mean": [], "low": [], "high": []}
    notes = [f"{len(runs)} of {len(everyone)} partners had been with him throughout the 16 "
             "weeks before their final separation and were followed a year after it; the "
             f"figure shows the {len(spans)} who had been with him throughout the 26 weeks "
             "before."]
    figure = Figure(ctx.n, curve, len(spans))
    return Result(FACT.key, ctx.n, parts, figure=figure, notes=notes, shown=shown)


FACT = Fact("loss_reaction", "A loss at the ending, then recovery", "published finding",
            "Sbarra & Emery 2005",
            "distress is highest soon after a break-up and declines over the following weeks "
            "and months", run, robust_scale=3.0,
            known_limit="Where his devaluation is harsh (more rivalry, less intermittent "
            "kindness) or her boundary soft, her wellbeing was already falling as fast in her "
            "last months with him as it falls at the ending, so the fall does not go beyond "
            "her earlier trend; that her wellbeing falls at the ending and then mends holds "
            "across the region.")
