"""The rescue fantasy: it keeps her with him longer and so raises her harm.

The old part "his traits do not change" compared zero with zero: no equation lets a partner's
love change his traits (mechanism 13), so it could not fail, and its equivalence test reported
p = 0 when the standard error was 0. It was dropped; the measured change in his traits is
reported as a note, labelled as a modelling choice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...plots.palette import pyplot
from ...plots.validation import boxes, finish
from ..harness import Arm, Context, DyadRun, Measure, Result, col, dyad_arm
from ..stats import finite, two_arms
from . import Fact


@dataclass(frozen=True)
class Figure:
    """Weeks with him and cumulative harm, without and with the fantasy."""

    runs: int
    groups: dict[str, dict[str, list[float]]]

    def draw(self):
        fig, axes = pyplot().subplots(1, 2, figsize=(11, 4))
        for ax, (title, groups) in zip(axes, self.groups.items(), strict=True):
            boxes(ax, groups, title, title.capitalize())
        return finish(fig, FACT.title, self.runs)


def run(ctx: Context) -> Result:
    """No rescue fantasy (0) against a strong one (0.8)."""
    rng = ctx.rng()
    none = dyad_arm(ctx, "none", {"partner.rescue_fantasy": 0.0})
    strong = dyad_arm(ctx, "strong", {"partner.rescue_fantasy": 0.8})

    def arms(f: Measure) -> tuple[Arm, Arm]:
        return ("rescue fantasy 0", col(none, f)), ("rescue fantasy 0.8", col(strong, f))

    parts = [
        two_arms("exposure", "she stays with him longer", "weeks with him over ten years",
                 *arms(lambda r: r.outcome["weeks_in_relationship"]), "increase", rng),
        two_arms("harm", "she is harmed more", "harm that got through over ten years",
                 *arms(lambda r: r.outcome["harm"]), "increase", rng),
    ]
    if ctx.robust:
        return Result(FACT.key, ctx.n, parts)

    def harshness(r: DyadRun) -> float | None:
        weeks = r.outcome["weeks_devalued"]
        return r.outcome["harm"] / weeks if weeks >= 4 else None

    change = float(np.mean([r.trait_change for r in [*none, *strong]]))
    notes = [
        f"Harm per week of devaluation: {np.mean(finite(col(none, harshness))):.3f} without "
        f"the fantasy against {np.mean(finite(col(strong, harshness))):.3f} with it. A "
        "partner who stays long learns to walk on eggshells and voices fewer needs, so there "
        "is less for him to punish; his rules are the same in both arms.",
        f"Modelling choice, not a test: his traits changed by {change:.3g} on average (no "
        "equation lets a partner's love change him; only treatment can, and it is off).",
    ]

    def both(f):
        return {"rescue fantasy 0": col(none, f).tolist(),
                "rescue fantasy 0.8": col(strong, f).tolist()}

    figure = Figure(ctx.n, {
        "weeks with him over ten years": both(lambda r: r.outcome["weeks_in_relationship"]),
        "cumulative harm": both(lambda r: r.outcome["harm"])})
    return Result(FACT.key, ctx.n, parts, figure=figure, notes=notes)


FACT = Fact("rescue_fantasy", "The rescue fantasy", "the essay's view", "the essay",
            "the essay's claim", run)
