"""Intermittent kindness and the trauma bond: the bond outlasts the relationship and fades
slowly (Dutton & Painter 1993); a stronger bond than steady warmth is a counterfactual that study
did not test (a modelling choice).

The comparison is between two ways of delivering the same expected warmth and harm during
devaluation: in scraps that come and go ("intermittent", the default), or the same amount every
week with no relief after harm ("steady", `narcissist.kindness_schedule`). The old arm with no
kindness at all compared kindness with its absence, not its timing, and was dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...plots.palette import pyplot
from ...plots.validation import boxes, curves, finish
from ..harness import (Context, DyadRun, Result, apart_after, col, dyad_arm, first_leaving,
                       has_parameter)
from ..stats import Comparison, Part, against, mean_ci, two_arms
from . import Fact

SCHEDULE = "narcissist.kindness_schedule"
DP_WEEKS = 26
"""Dutton & Painter measured attachment again six months after leaving."""
DP_DECLINE = 0.27
FOLLOW = 52


@dataclass(frozen=True)
class Figure:
    """Peak bond per schedule (boxes) and the bond after her leaving, with and without contact."""

    runs: int
    peak: dict[str, list[float]]
    after: dict[str, list[float]]

    def draw(self):
        fig, axes = pyplot().subplots(1, 2, figsize=(11, 4))
        if self.peak:
            boxes(axes[0], self.peak, "peak trauma bond", "Peak bond over ten years")
        else:
            axes[0].text(0.5, 0.5, "steady schedule not available\nin this model version",
                         ha="center", va="center")
            axes[0].set_axis_off()
        curves(axes[1], self.after, "bond relative to its value at leaving",
               "The bond after the partner leaves",
               xlabel="weeks since the partner's first leaving")
        axes[1].plot([DP_WEEKS], [1 - DP_DECLINE], "kD",
                     label="Dutton & Painter: −27% at 6 months")
        axes[1].axhline(1, color="grey", lw=0.8)
        axes[1].legend(fontsize=8, frameon=False)
        return finish(fig, FACT.title, self.runs)


def retained(r: DyadRun, weeks: int = DP_WEEKS) -> float | None:
    """Share of the bond left `weeks` after her first leaving, if she stayed apart."""
    start = first_leaving(r)
    later = apart_after(r, "bond", start, weeks)
    if later is None or r.bond[start] <= 0.02:
        return None
    return later / float(r.bond[start])


def bond_after(runs: list[DyadRun], weeks: int = FOLLOW) -> list[float]:
    """Mean bond relative to its value at her first leaving, for partners apart `weeks`."""
    rows = []
    for r in runs:
        start = first_leaving(r)
        if start is None or apart_after(r, "bond", start, weeks) is None \
                or r.bond[start] <= 0.02:
            continue
        rows.append(r.bond[start:start + weeks + 1] / r.bond[start])
    return np.vstack(rows).mean(axis=0).tolist() if rows else []


def run(ctx: Context) -> Result:
    """Intermittent against steady schedule (same reinforcement); the bond after leaving."""
    rng = ctx.rng()
    intermittent = dyad_arm(ctx, "intermittent", {})
    peak = lambda r: r.outcome["trauma_bond_peak"]  # noqa: E731
    if has_parameter(SCHEDULE):
        steady = dyad_arm(ctx, "steady", {SCHEDULE: "steady"})
        schedule = two_arms("peak", "intermittent kindness bonds more than steady warmth "
                            "(a counterfactual: modelling choice, not tested by Dutton "
                            "& Painter)",
                            "peak trauma bond over ten years (same expected warmth and harm)",
                            ("steady", col(steady, peak)),
                            ("intermittent", col(intermittent, peak)), "increase", rng)
    else:
        steady = []
        schedule = Part("peak", "intermittent kindness bonds more than steady warmth (a "
                        "counterfactual: modelling choice, not tested by Dutton & "
                        "Painter)",
                        "peak trauma bond over ten years (needs `narcissist.kindness_schedule`,"
                        " absent from this model version)", "increase", math.nan,
                        (math.nan, math.nan), math.nan, "paired t-test (same seeds)", math.nan,
                        (("steady", math.nan, 0), ("intermittent", math.nan, 0)))
    kept = col(intermittent, retained)
    parts = [
        schedule,
        against("outlasts", "the bond outlasts the relationship", "share of the bond left 26 "
                "weeks after her first leaving, ordinary contact, minus one half",
                ("apart 26 weeks", kept), 0.5, "increase", rng),
        against("fades", "the bond fades after leaving, even with ordinary contact",
                "share of the bond left 26 weeks after her first leaving, ordinary contact, "
                "minus one", ("apart 26 weeks", kept), 1.0, "decrease", rng),
    ]
    if ctx.robust:
        return Result(FACT.key, ctx.n, parts)
    silent = dyad_arm(ctx, "no contact", {"partner.no_contact": True})
    comparisons = []
    for label, runs, band, note, kind in (
            ("decline of the bond over 26 weeks apart with ordinary contact", intermittent,
             None, "Emergent: contact slows the fading and hoovers can re-kindle the bond. "
             "Dutton & Painter do not report how much contact their participants had.",
             "published finding"),
            ("decline of the bond over 26 weeks of no contact", silent,
             (DP_DECLINE - 0.10, DP_DECLINE + 0.10),
             "Calibrated: world.bond_decay was set from this very figure, so this row checks "
             "arithmetic, not theory. Tolerance: 27% ± 10 points.", "modelling choice")):
        value, interval, n = mean_ci(1.0 - col(runs, retained), rng)
        comparisons.append(Comparison(
            label, value, interval, "attachment fell by about 27% in the six months after "
            "leaving (Dutton & Painter 1993)", DP_DECLINE, band, note, n=n, unit="share",
            label_kind=kind))
    figure = Figure(ctx.n, {"steady": col(steady, peak).tolist(),
                            "intermittent": col(intermittent, peak).tolist()} if steady else {},
                    {"ordinary contact": bond_after(intermittent),
                     "no contact": bond_after(silent)})
    notes = []
    if not steady:
        notes.append("This model version has no `narcissist.kindness_schedule`, so the "
                     "steady arm could not be run and the first part is not observable.")
    return Result(FACT.key, ctx.n, parts, comparisons, figure, notes)


FACT = Fact("intermittent_bond", "Intermittent kindness and the trauma bond",
            "published finding", "Dutton & Painter 1993 (Violence & Victims 8:105)",
            "in abused women only, and by correlation, attachment was stronger where abuse "
            "alternated with good times and power was unequal, and fell by about 27% in the "
            "six months after leaving; they did not compare intermittent with steady "
            "treatment", run,
            robust_scale=1.5)
