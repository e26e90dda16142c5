"""Recovery time scales: most heal within months to about two years of a final separation,
longer after longer relationships but bounded, and a minority is still grieving five years on.

Thirty-year runs, so that nothing is cut off by the window: every partner whose relationship
ended is followed at least five years (the ten-year runs of the other facts would cut off the
slow healers after a late ending). The tested parts are the medians of the time to heal by how
long she was with him, and the share still not healed five years after the final ending: no
equation sets a time to heal, which sums weekly grief steps whose speed moves with her
wellbeing, self-esteem and support, with his hoovers (which set grief back) and with the course
drawn at the ending. That recovery takes longer after a longer relationship is written into the
grief load and the chance of a chronic course, so it is shown, not tested.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...plots.palette import pyplot
from ...plots.validation import curves_at, finish
from ..harness import Context, DyadRun, Result, col, dyad_arm
from ..stats import against, rank_correlation
from . import Fact

THIRTY_YEARS = 1560
"""The length of every run: long enough to follow even a late ending for five years."""
BRIEF = 26
ONE_YEAR = 52
TWO_YEARS = 104
THREE_YEARS = 156
FIVE_YEARS = 260
HALF = 0.5
"""A share healed above one half by a week means the median time to heal is below it."""
CHRONIC_FEWEST = 0.10
CHRONIC_MOST = 0.20
"""The band "a minority, about one in ten to one in five", for the share still grieving five
years after the final ending (a modelling choice of band; Mancini, Bonanno & Clark 2011 find
most people resilient or recovering after a divorce, a minority chronically distressed)."""
LENGTHS = (("26 weeks or less", 0, BRIEF), ("27-52 weeks", BRIEF + 1, ONE_YEAR),
           ("1-2 years", ONE_YEAR + 1, TWO_YEARS), ("more than 2 years", TWO_YEARS + 1, None))
"""How long she was with him (all her weeks with him, over returns), for the figure."""


@dataclass(frozen=True)
class Figure:
    """Share healed by weeks since the final separation, by how long she was with him."""

    runs: int
    healed: dict[str, list[float]]

    def draw(self):
        fig, ax = pyplot().subplots(figsize=(8, 4))
        weeks = range(FIVE_YEARS + 1)
        curves_at(ax, weeks, self.healed, "share healed",
                  "Healing after the final separation, by weeks together",
                  "weeks since the final separation")
        ax.axhline(HALF, color="grey", ls="--", lw=1)
        for week, text in ((ONE_YEAR, "1 year"), (TWO_YEARS, "2 years"),
                           (THREE_YEARS, "3 years")):
            ax.axvline(week, color="grey", ls=":", lw=1)
            ax.text(week + 2, 0.03, text, fontsize=8, color="grey")
        ax.set_ylim(0, 1)
        return finish(fig, FACT.title, self.runs)


@dataclass(frozen=True)
class Ending:
    """One partner's final separation: her weeks with him, weeks to heal (inf if she had not
    healed by the end of the run) and how many weeks she was followed after it."""

    together: int
    to_heal: float
    followed: int


def ending(r: DyadRun) -> Ending | None:
    """Her final separation, if the relationship ended for good."""
    final = r.final_separation()
    if final is None:
        return None
    step = r.outcome["recovered_step"]
    heal = math.inf if step is None or step < final else float(step - final)
    return Ending(int(r.outcome["weeks_in_relationship"]), heal, len(r.wellbeing) - 1 - final)


def healed_within(weeks: int, shortest: int = 0, longest: int | None = None):
    """1 if she healed within `weeks` of the final separation, 0 if not; None if her
    relationship did not end, lasted outside [shortest, longest] weeks, or was not followed
    `weeks` long."""
    def f(r: DyadRun) -> float | None:
        e = ending(r)
        if e is None or e.followed < weeks or e.together < shortest:
            return None
        if longest is not None and e.together > longest:
            return None
        return float(e.to_heal <= weeks)
    return f


def healed_curve(runs: Sequence[DyadRun], shortest: int, longest: int | None) -> list[float]:
    rows = []
    for r in runs:
        e = ending(r)
        if e is None or e.followed < FIVE_YEARS or e.together < shortest or (
                longest is not None and e.together > longest):
            continue
        rows.append([e.to_heal <= w for w in range(FIVE_YEARS + 1)])
    return np.array(rows, dtype=float).mean(axis=0).tolist() if rows else []


def run(ctx: Context) -> Result:
    """Thirty years with partners who differ around the defaults; healing after the final
    separation, by how long she was with him."""
    rng = ctx.rng()
    runs = dyad_arm(ctx, "thirty years", {}, weeks=THIRTY_YEARS, population=True)
    grieving = 1.0 - col(runs, healed_within(FIVE_YEARS))
    parts = [
        against("brief", "after a brief relationship most heal within a year", "share healed "
                "within a year of the final separation, relationships of 26 weeks or less, "
                "minus one half (above 0: the median is under a year)",
                ("26 weeks or less", col(runs, healed_within(ONE_YEAR, 0, BRIEF))), HALF,
                "increase", rng),
        against("one_two_years", "after one to two years together most heal within two "
                "years", "share healed within two years of the final separation, "
                "relationships of 53-104 weeks, minus one half (above 0: the median is under "
                "two years)", ("1-2 years", col(runs, healed_within(TWO_YEARS, ONE_YEAR + 1,
                                                                    TWO_YEARS))),
                HALF, "increase", rng),
        against("long", "after more than two years together most heal within three years",
                "share healed within three years of the final separation, relationships of "
                "more than 104 weeks, minus one half (above 0: the median is under three "
                "years)", ("more than 2 years", col(runs, healed_within(THREE_YEARS,
                                                                        TWO_YEARS + 1))),
                HALF, "increase", rng),
        against("chronic_some", "a minority is still grieving five years on (at least one in "
                "ten)", "share not healed five years after the final separation, minus one in "
                "ten", ("final separations", grieving), CHRONIC_FEWEST, "increase", rng),
        against("chronic_few", "only a minority is still grieving five years on (at most one "
                "in five)", "share not healed five years after the final separation, minus "
                "one in five", ("final separations", grieving), CHRONIC_MOST, "decrease",
                rng),
    ]
    if ctx.robust:
        return Result(FACT.key, ctx.n, parts)

    def together(r: DyadRun) -> float | None:
        e = ending(r)
        return None if e is None or e.followed < FIVE_YEARS else float(e.together)

    def to_heal(r: DyadRun) -> float | None:
        e = ending(r)
        return None if e is None or e.followed < FIVE_YEARS else min(e.to_heal, FIVE_YEARS)

    shown = [
        rank_correlation("longer", "the longer together, the longer to heal (built in: the "
                         "grief load, the loss at the ending and the chance of a chronic course "
                         "grow with her weeks with him and the harm and bond they bring)",
                         "rank correlation of her weeks with him with the weeks from the "
                         "final separation to healing (five years if not healed by then)",
                         col(runs, together), col(runs, to_heal), "increase", rng,
                         "final separations"),
    ]
    endings = [e for r in runs if (e := ending(r)) is not None and e.followed >= FIVE_YEARS]
    notes = [f"{len(endings)} of {len(runs)} relationships ended for good at least five years "
             "before the end of the run; the rest are left out."]
    for label, low, high in LENGTHS:
        times = np.array([e.to_heal for e in endings
                          if e.together >= low and (high is None or e.together <= high)])
        if times.size:
            median = float(np.median(times))
            said = "not healed within five years" if median > FIVE_YEARS else \
                f"{median:.0f} weeks"
            notes.append(f"Together {label}: {times.size} partners, median time to heal "
                         f"{said}, {np.mean(times > FIVE_YEARS):.0%} not healed five years "
                         "on.")
    figure = Figure(ctx.n, {label: healed_curve(runs, low, high)
                            for label, low, high in LENGTHS})
    return Result(FACT.key, ctx.n, parts, figure=figure, notes=notes, shown=shown)


FACT = Fact("recovery_time", "Recovery time scales", "modelling choice",
            "Sbarra & Emery 2005; Mancini, Bonanno & Clark 2011; Blasco-Ros et al. 2010",
            "distress fell over four weeks in young adults after ordinary break-ups; after a "
            "divorce most people are resilient or recover and a minority stays chronically "
            "distressed; women whose physical abuse by a partner stopped or lessened improved "
            "over three years, those still abused psychologically did not",
            run, seed_scale=10.0, robust_scale=5.0,
            known_limit="The share still grieving five years on is set mostly by her support "
            "after leaving, her alternatives and her boundary: where these are good almost "
            "everyone heals (a few percent still grieving), where they are poor a quarter to a "
            "third is still grieving, so the band of one in ten to one in five, which the "
            "chronic course was calibrated to at the defaults, holds only in between. Where she "
            "has few alternatives and no support, half of those with him more than two years "
            "are still grieving after three; where long relationships are rare, that median "
            "cannot be judged.")
