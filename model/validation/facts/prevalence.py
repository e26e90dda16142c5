"""Narcissists in a community: a small minority whose reach grows with their number.

Prevalence is an input, not a result: the preset is set inside the published range, which is
reported as a modelling choice. The tested part is what more narcissists do to a town.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...plots.palette import pyplot
from ...plots.validation import boxes, finish
from ..harness import Context, Result, town_scenario
from ..stats import Comparison, two_arms
from . import Fact

PEOPLE, WEEKS = 100, 260
RANGE = (0.01, 0.077)


@dataclass(frozen=True)
class Figure:
    """Share of the town drawn in, with one against six narcissists."""

    runs: int
    shares: dict[int, list[float]]

    def draw(self):
        fig, ax = pyplot().subplots(figsize=(6, 4))
        boxes(ax, {f"{k} in 100": v for k, v in self.shares.items()},
              "share of the town drawn in", "Reach of one against six narcissists")
        return finish(fig, FACT.title, self.runs)


def run(ctx: Context) -> Result:
    """A town of 100 with 1 narcissist (1%) against 6 (about 6.2%); who is ever drawn in?"""
    from ...model import RelationshipModel
    from ...scenario import load

    rng = ctx.rng()
    shares = {}
    for k in (1, 6):
        scenario = town_scenario(PEOPLE, k, WEEKS)
        values = []
        for seed in ctx.seeds(f"{k} narcissists"):
            model = RelationshipModel(scenario, rng=seed, **ctx.overrides)
            model.run()
            values.append(float(model.outcomes()["first_step"].notna().mean()))
        shares[k] = values
    parts = [
        two_arms("reach", "more narcissists, more people drawn in", "share of the town drawn "
                 "into a relationship with a narcissist within five years",
                 ("1 in 100", shares[1]), ("6 in 100", shares[6]), "increase", rng),
    ]
    if ctx.robust:
        return Result(FACT.key, ctx.n, parts)
    preset = load("community")  # the default town, at the average published estimate
    people = preset.world.get("generated_partners", 0) + len(preset.partners) + \
        preset.world.get("narcissists", 1)
    share = preset.world.get("narcissists", 1) / people
    comparisons = [Comparison(
        "share of narcissists in the `community` preset", share, (share, share),
        "about 1% averaged over community studies (Dhawan et al. 2010); lifetime NPD 6.2% "
        "in one large survey (Stinson et al. 2008)", 0.01, RANGE,
        "An input, not a result: the preset is set at the average published estimate.", n=people,
        unit="share", label_kind="modelling choice")]
    return Result(FACT.key, ctx.n, parts, comparisons, Figure(ctx.n, shares))


FACT = Fact("prevalence", "Narcissists in a community", "modelling choice",
            "Stinson et al. 2008; Dhawan et al. 2010",
            "lifetime NPD 6.2% (men 7.7%, women 4.8%); about 1% averaged over community studies",
            run, seed_scale=0.1, min_seeds=3)
