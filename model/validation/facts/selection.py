"""Selection of the vulnerable, and what follows: the vulnerable carry more of a town's harm.

Whom he approaches first is written into his appeal formula (vulnerability, low self-esteem,
weak boundaries), so "the vulnerable are drawn in first" is shown as a modelling choice. The
tested parts are its consequences for harm over five years, which also depend on who says yes,
who stays, who leaves and who is pulled back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...plots.palette import COLOURS, pyplot
from ...plots.validation import finish
from ..harness import Context, Result, town_scenario
from ..stats import against
from . import Fact

PEOPLE, WEEKS, SPREAD = 42, 260, 0.25
TRAITS = ("vulnerability", "self_esteem")


@dataclass(frozen=True)
class Figure:
    """Share drawn in so far, by third of vulnerability."""

    runs: int
    tertiles: list[list[float]]
    step: int

    def draw(self):
        fig, ax = pyplot().subplots(figsize=(8, 4))
        for t, (label, colour) in enumerate(zip(("least vulnerable third", "middle third",
                                                 "most vulnerable third"), COLOURS,
                                                strict=False)):
            curve = self.tertiles[t]
            ax.plot(np.arange(len(curve)) * self.step, curve, color=colour, lw=1.6,
                    label=label)
        ax.set_xlabel("week")
        ax.set_ylabel("share drawn in so far")
        ax.set_title("Who is drawn in first", fontsize=10)
        ax.legend(fontsize=8, frameon=False)
        return finish(fig, FACT.title, self.runs)


def run(ctx: Context) -> Result:
    """Two narcissists among forty people whose traits vary; who is harmed most?"""
    from scipy import stats

    from ...model import RelationshipModel

    rng = ctx.rng()
    scenario = town_scenario(PEOPLE, 2, WEEKS, SPREAD)
    harm: dict[str, list[float]] = {t: [] for t in TRAITS}
    first: dict[str, list[float]] = {t: [] for t in TRAITS}
    curves = []
    for seed in ctx.seeds("town"):
        model = RelationshipModel(scenario, rng=seed, **ctx.overrides)
        model.run()
        table = model.outcomes()
        week = table["first_step"].astype("Float64").fillna(WEEKS + 1).to_numpy(float)
        for trait in TRAITS:
            harm[trait].append(float(stats.spearmanr(table[trait], table["harm"])[0]))
            first[trait].append(float(stats.spearmanr(table[trait], week)[0]))
        if not ctx.robust:
            tertile = np.digitize(table["vulnerability"],
                                  np.quantile(table["vulnerability"], [1 / 3, 2 / 3]))
            curves.append([[float(np.mean(week[tertile == t] <= w))
                            for w in range(0, WEEKS + 1, 4)] for t in range(3)])
    parts = [
        against("vulnerability", "the more vulnerable carry more of the harm", "rank "
                "correlation of vulnerability with harm over five years (mean over towns)",
                ("towns", harm["vulnerability"]), 0.0, "increase", rng),
        against("self_esteem", "those with lower self-esteem carry more of the harm", "rank "
                "correlation of self-esteem with harm over five years (mean over towns)",
                ("towns", harm["self_esteem"]), 0.0, "decrease", rng),
    ]
    if ctx.robust:
        return Result(FACT.key, ctx.n, parts)
    shown = [against("first", "the more vulnerable are drawn in first (built in: his appeal "
                     "formula)", "rank correlation of vulnerability with the week first drawn "
                     "in (mean over towns)", ("towns", first["vulnerability"]), 0.0,
                     "decrease", rng)]
    figure = Figure(ctx.n, np.mean(curves, axis=0).tolist(), 4)
    return Result(FACT.key, ctx.n, parts, figure=figure, shown=shown)


FACT = Fact("selection", "Selection of the vulnerable", "the essay's view", "the essay",
            "the essay's claim", run, seed_scale=0.3, min_seeds=6, robust_scale=3.5,
            known_limit="Lower self-esteem carries more of the harm in direction almost "
            "everywhere, but the link is weak and often not significant with the towns per "
            "draw; the section below counts each part.")
