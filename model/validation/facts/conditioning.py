"""Conditioned partners stay longer, yet end worse off than they began.

The old part "they perceive less of the harm" measured perceived harm over actual harm, which
is 1 - 0.8 x conditioning by definition; it was dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...plots.palette import pyplot
from ...plots.validation import curves, finish
from ..harness import Context, Result, col, dyad_arm, mean_curve, weeks_to_first_separation
from ..stats import against, two_arms
from . import Fact


@dataclass(frozen=True)
class Figure:
    """Wellbeing over ten years, unconditioned against conditioned."""

    runs: int
    wellbeing: dict[str, dict[str, list[float]]]

    def draw(self):
        fig, ax = pyplot().subplots(figsize=(8, 4))
        curves(ax, self.wellbeing, "wellbeing (mean, 10th-90th percentile)",
               "Wellbeing over ten years")
        return finish(fig, FACT.title, self.runs)


def run(ctx: Context) -> Result:
    """Unconditioned (0) against strongly conditioned (0.8) partners."""
    rng = ctx.rng()
    plain = dyad_arm(ctx, "plain", {"partner.conditioning": 0.0})
    cond = dyad_arm(ctx, "conditioned", {"partner.conditioning": 0.8})
    parts = [
        two_arms("exposure", "conditioned partners stay longer", "weeks until the first "
                 "separation (ten years if none)",
                 ("conditioning 0", col(plain, weeks_to_first_separation)),
                 ("conditioning 0.8", col(cond, weeks_to_first_separation)), "increase", rng),
        against("worse", "yet end worse off than they began", "wellbeing after ten years "
                "minus at the start (conditioned partners)",
                ("conditioning 0.8", col(cond, lambda r: r.outcome["final_wellbeing"]
                                         - r.start_wellbeing)), 0.0, "decrease", rng),
    ]
    if ctx.robust:
        return Result(FACT.key, ctx.n, parts)
    figure = Figure(ctx.n, {"conditioning 0": mean_curve(plain, "wellbeing"),
                            "conditioning 0.8": mean_curve(cond, "wellbeing")})
    return Result(FACT.key, ctx.n, parts, figure=figure)


FACT = Fact("conditioning", "Conditioned partners", "the essay's view", "the essay",
            "the essay's claim", run, robust_scale=3.0,
            known_limit="Mostly power, not direction: 'conditioned partners stay longer' "
            "points the claimed way in nearly every draw but is often not significant with "
            "the runs per draw; the section below counts each part.")
