"""Terminal decline before a break-up: satisfaction falls over the last year before a final
separation, and more than it does over the same year in relationships that go on.

That her satisfaction falls over a year of devaluation is written into the rules: it follows
his warmth and harm week by week, and her grievance (mechanism 18) lowers it further with every
week of harm she registers. So the fall over the last year is shown, not tested. What no
equation sets is the timing: whether an ending closes a decline of its own (she leaves, or he
discards her, once it has gone far) or arrives at a point of the relationship that those who
stay together reach too. The tested part sets the last year before each final separation beside
the same year of their time together in relationships that went on for at least another year
(matched on weeks since she was last with him from the start, or since she last went back).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...plots.palette import pyplot
from ...plots.validation import curves_at, finish
from ...events import EventKind
from ..harness import Context, DyadRun, Result, dyad_arm
from ..stats import two_arms
from . import Fact

YEAR = 52
LATE = 4
"""Satisfaction is compared 52 weeks and 4 weeks before the final separation."""
TOGETHER = ("idealize", "devalue")
"""The phases in which she is with him."""
LAGS = np.arange(-YEAR, 0)


@dataclass(frozen=True)
class Figure:
    """Mean satisfaction over the last year before a final separation, beside the same year of
    their time together in relationships that went on."""

    runs: int
    ended: list[float]
    went_on: list[float]
    n: int

    def draw(self):
        fig, ax = pyplot().subplots(figsize=(8, 4))
        curves_at(ax, LAGS, {f"ended for good (n={self.n})": self.ended,
                             "same weeks into their time together, in relationships that went "
                             "on": self.went_on},
                  "satisfaction (mean)", "Satisfaction in the year before a final separation",
                  "weeks before the final separation")
        ax.axvline(-LATE, color="grey", ls=":", lw=1)
        ax.set_ylim(0, 1)
        return finish(fig, FACT.title, self.runs)


def stretches(r: DyadRun) -> list[tuple[int, int]]:
    """Her stretches with him: (first week, first week apart again or the end of the run)."""
    together = np.isin(r.phase, TOGETHER)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], together.astype(int), [0]))))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def last_year(r: DyadRun) -> tuple[int, int] | None:
    """(week of her final separation, weeks into that stretch with him), if she had been
    with him throughout the year before it."""
    final = r.final_separation()
    if final is None:
        return None
    start = next((a for a, b in stretches(r) if b == final), None)
    if start is None or final - start < YEAR:
        return None
    return final, final - start


def went_on(spans: Sequence[list[tuple[int, int]]], i: int,
            weeks_in: int) -> list[tuple[int, int]]:
    """The same year in relationships that went on: (run, week) for every stretch with him, in
    every other run, that reached `weeks_in` weeks and lasted at least a year beyond, at the
    week it reached them (the same time into their time together). `spans` holds each run's
    `stretches`."""
    return [(j, a + weeks_in) for j, spans_j in enumerate(spans) if j != i
            for a, b in spans_j if a + weeks_in + YEAR <= b]


def mean_of(rows: list[np.ndarray]) -> list[float]:
    return np.mean(rows, axis=0).tolist() if rows else []


def run(ctx: Context) -> Result:
    """Ten years with partners who differ around the defaults; satisfaction over the year
    before each final separation, and over the same year of their time together in
    relationships that went on."""
    rng = ctx.rng()
    runs = dyad_arm(ctx, "ten years", {}, population=True)
    sat = [r.satisfaction for r in runs]
    spans = [stretches(r) for r in runs]
    ended, going = [], []
    curve_ended, curve_went_on = [], []
    year_before, late, discarded = [], [], 0
    for i, r in enumerate(runs):
        found = last_year(r)
        if found is None:
            continue
        final, weeks_in = found
        discarded += r.separations[-1][1] == EventKind.DISCARDED
        year_before.append(float(sat[i][final - YEAR]))
        late.append(float(sat[i][final - LATE]))
        others = went_on(spans, i, weeks_in)
        if not others:
            continue
        ended.append(float(sat[i][final - LATE] - sat[i][final - YEAR]))
        going.append(float(np.mean([sat[j][week - LATE] - sat[j][week - YEAR]
                                    for j, week in others])))
        curve_ended.append(sat[i][final - YEAR:final])
        curve_went_on.append(np.mean([sat[j][week - YEAR:week] for j, week in others],
                                     axis=0))
    parts = [
        two_arms("closes", "an ending closes a decline of its own", "fall in satisfaction "
                 "from 52 to 4 weeks before a final separation, minus the mean fall over the same "
                 "weeks of their time together in relationships that went on for at least "
                 "another year", ("went on", np.array(going)),
                 ("ended for good", np.array(ended)), "decrease", rng),
    ]
    if ctx.robust:
        return Result(FACT.key, ctx.n, parts)
    shown = [
        two_arms("falls", "satisfaction falls over the last year before a final separation "
                 "(built in: in devaluation it follows his coldness and harm, and grievance "
                 "lowers it further week by week)", "satisfaction 4 weeks before a final "
                 "separation minus 52 weeks before, partners with him throughout that year",
                 ("52 weeks before", np.array(year_before)), ("4 weeks before", np.array(late)),
                 "decrease", rng),
    ]
    notes = [f"{len(year_before)} of {len(runs)} partners had been with him throughout the year "
             f"before their final separation ({discarded} of these endings were his discards, "
             f"{len(year_before) - discarded} her leaving); {len(ended)} of them had "
             "relationships that went on at the same point of their time together beside them. "
             "Each is set beside the mean of those relationships; the comparison treats that "
             "mean as fixed."]
    figure = Figure(ctx.n, mean_of(curve_ended), mean_of(curve_went_on), len(curve_ended))
    return Result(FACT.key, ctx.n, parts, figure=figure, notes=notes, shown=shown)


FACT = Fact("terminal_decline", "Terminal decline before a break-up", "published finding",
            "Karney & Bradbury 1995; Lavner & Bradbury 2010",
            "marital satisfaction declines over time and lower or declining satisfaction "
            "predicts separation; among newlyweds, couples who later divorced declined more "
            "over the first years than couples who stayed together", run, seed_scale=5.0,
            robust_scale=4.0,
            known_limit="In the model an ending does not close a decline of its own: "
            "satisfaction falls over the last year before a final separation, but by as much "
            "in relationships at the same point that go on. Almost every ending after a year "
            "or more together is his discard, which his own rules trigger from how much "
            "admiration he gets and whether she withdraws (the rule is his, not hers), not "
            "from her satisfaction; her own leavings, which depend on it through "
            "her commitment, mostly come in the first year. Across the plausible region the "
            "difference is small either way.",
            limited_parts=("closes",))
