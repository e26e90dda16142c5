"""Admiration and rivalry: early appeal comes from charm, later trouble from rivalry.

A 2 x 2 design. Emergent in the sense that matters: charm and rivalry each reach her
satisfaction only through the phases, her responses and his reactions to them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...plots.palette import pyplot
from ...plots.validation import curves, finish
from ..harness import Context, Result, col, dyad_arm
from ..stats import contrast
from . import Fact

CHARM_LEVELS = (0.45, 0.9)
RIVALRY_LEVELS = (0.25, 0.8)
WEEKS = 78


@dataclass(frozen=True)
class Figure:
    """The main effect of charm and of rivalry on her mean satisfaction, week by week."""

    runs: int
    charm: list[float]
    rivalry: list[float]

    def draw(self):
        fig, ax = pyplot().subplots(figsize=(8, 4))
        curves(ax, {"effect of charm (admiration), 0.45 → 0.9": self.charm,
                    "effect of rivalry, 0.25 → 0.8": self.rivalry},
               "change in mean satisfaction", "What each side of the agent's narcissism "
               "does to the partner's satisfaction, week by week")
        ax.axhline(0, color="grey", lw=1)
        return finish(fig, FACT.title, self.runs)


def run(ctx: Context) -> Result:
    """Charm low/high by rivalry low/high, 78 weeks each."""
    rng = ctx.rng()
    cells = {(c, r): dyad_arm(ctx, f"charm {c} rivalry {r}",
                              {"narcissist.charm": c, "narcissist.rivalry": r}, weeks=WEEKS)
             for c in CHARM_LEVELS for r in RIVALRY_LEVELS}
    (c0, c1), (r0, r1) = CHARM_LEVELS, RIVALRY_LEVELS
    order = [(c0, r0), (c0, r1), (c1, r0), (c1, r1)]
    charm_w = [-0.5, -0.5, 0.5, 0.5]
    rivalry_w = [-0.5, 0.5, -0.5, 0.5]
    diff_w = [a - b for a, b in zip(charm_w, rivalry_w, strict=True)]

    def samples(f):
        return [(f"charm {c}, rivalry {r}", col(cells[(c, r)], f)) for c, r in order]

    early = samples(lambda r: float(r.satisfaction[1:5].mean()))
    late = samples(lambda r: float(r.satisfaction[26:53].mean()))
    parts = [
        contrast("charm_early", "charm makes him appealing at first", "main effect of charm "
                 "on mean satisfaction in weeks 1-4", early, charm_w, "increase", rng),
        contrast("rivalry_late", "rivalry brings the later trouble", "main effect of rivalry "
                 "on mean satisfaction in weeks 26-52", late, rivalry_w, "decrease", rng),
        contrast("early_from_charm", "early appeal comes more from charm than from rivalry",
                 "charm's effect minus rivalry's effect on satisfaction in weeks 1-4", early,
                 diff_w, "increase", rng),
        contrast("late_from_rivalry", "later trouble comes more from rivalry than from charm",
                 "rivalry's effect minus charm's effect on satisfaction in weeks 26-52", late,
                 [-w for w in diff_w], "decrease", rng),
    ]
    if ctx.robust:
        return Result(FACT.key, ctx.n, parts)
    mean = {k: np.vstack([r.satisfaction for r in v]).mean(axis=0) for k, v in cells.items()}
    charm_effect = 0.5 * (mean[(c1, r0)] + mean[(c1, r1)] - mean[(c0, r0)] - mean[(c0, r1)])
    rivalry_effect = 0.5 * (mean[(c0, r1)] + mean[(c1, r1)] - mean[(c0, r0)] - mean[(c1, r0)])
    return Result(FACT.key, ctx.n, parts,
                  figure=Figure(ctx.n, charm_effect.tolist(), rivalry_effect.tolist()))


FACT = Fact("admiration_rivalry", "Admiration and rivalry", "published finding",
            "Wurst et al. 2017 (JPSP 112:280); Leckelt et al. 2015; Back et al. 2013",
            "7 studies, N = 3,560", run, robust_scale=1.75)
