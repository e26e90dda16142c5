"""No contact: contact with the ex slows recovery (published, ordinary break-ups); that no
contact stops successful hoovers is built into the rules (a modelling choice).

Several effects of no contact are written into the equations and so cannot fail: a partner
in no contact cannot answer a hoover (no returns, by code), her bond fades at the full rate
instead of a reduced one, and her grief runs `NO_CONTACT_SPEEDUP` times faster. These are
measured and shown as modelling choices. The tested parts are the consequences nobody wrote
down: how often he keeps trying and how her wellbeing moves after leaving.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...plots.palette import pyplot
from ...plots.validation import curves, finish
from ...outcomes import weeks_after
from ..harness import (HORIZON, Arm, Context, DyadRun, Measure, Result, change, col, dyad_arm)
from ..stats import two_arms
from . import Fact

TWO_MONTHS = 8
SIX_MONTHS = 26
THREE_YEARS = 156


@dataclass(frozen=True)
class Figure:
    """The bond and the share healed after the first separation, with and without contact."""

    runs: int
    bond: dict[str, list[float]]
    healed: dict[str, list[float]]

    def draw(self):
        fig, axes = pyplot().subplots(1, 2, figsize=(11, 4))
        curves(axes[0], self.bond, "bond relative to its value at separation",
               "The bond after the first separation", xlabel="weeks since the separation")
        curves(axes[1], self.healed, "share healed", "Healing after the first separation",
               xlabel="weeks since the separation")
        axes[1].set_ylim(0, 1)
        return finish(fig, FACT.title, self.runs)


def bond_after(runs: Sequence[DyadRun], weeks: int = 52) -> list[float]:
    """Mean bond, relative to its value at the first separation, for partners apart `weeks`."""
    rows = []
    for r in runs:
        first = r.first_separation()
        if first is None or first + weeks >= len(r.bond) or r.bond[first] <= 0.02:
            continue
        back = r.next_return(first)
        if back is not None and back <= first + weeks:
            continue
        rows.append(r.bond[first:first + weeks + 1] / r.bond[first])
    return np.vstack(rows).mean(axis=0).tolist() if rows else []


def healed_curve(runs: Sequence[DyadRun], weeks: int = 312) -> list[float]:
    """Share healed, by weeks since the first separation (runs separated by week 208)."""
    rows = []
    for r in runs:
        first = r.first_separation()
        if first is None or first + weeks > HORIZON:
            continue
        step = r.outcome["recovered_step"]
        rows.append([step is not None and step <= first + w for w in range(weeks + 1)])
    return np.array(rows, dtype=float).mean(axis=0).tolist() if rows else []


def run(ctx: Context) -> Result:
    """Ordinary contact against no contact after a separation, everything else equal."""
    rng = ctx.rng()
    contact = dyad_arm(ctx, "contact", {"partner.no_contact": False})
    silent = dyad_arm(ctx, "no contact", {"partner.no_contact": True})

    def arms(f: Measure) -> tuple[Arm, Arm]:
        return ("ordinary contact", col(contact, f)), ("no contact", col(silent, f))

    def weeks_to_heal(r: DyadRun) -> float | None:
        first = r.first_separation()
        if first is None or first + THREE_YEARS > HORIZON:
            return None
        return weeks_after(r.outcome["recovered_step"], first, THREE_YEARS)

    parts = [
        two_arms("attempts", "he stops trying sooner", "his hoover attempts on her over ten "
                 "years", *arms(lambda r: r.outcome["hoover_attempts"]), "decrease", rng),
        two_arms("distress", "distress eases faster without contact", "change in wellbeing "
                 "over the six months after the first separation (partners still apart)",
                 *arms(lambda r: change(r, "wellbeing", SIX_MONTHS)), "increase", rng),
    ]
    shown = [
        two_arms("harm", "less harm over ten years (follows from no returns, built in)",
                 "harm that got through to her over ten years",
                 *arms(lambda r: r.outcome["harm"]), "decrease", rng),
        two_arms("returns", "no successful hoovers (built in: she cannot answer)",
                 "returns to him over ten years",
                 *arms(lambda r: r.outcome["hoover_successes"]), "decrease", rng),
        two_arms("bond", "love fades faster without contact (built in: full decay rate)",
                 "trauma bond two months after the first separation as a share of its value "
                 "then", *arms(lambda r: change(r, "bond", TWO_MONTHS, relative=True)),
                 "decrease", rng),
        two_arms("recovery", "faster recovery (built in: grief runs faster)", "weeks from "
                 "the first separation to healing (three years if not healed)",
                 *arms(weeks_to_heal), "decrease", rng),
    ]
    if ctx.robust:
        return Result(FACT.key, ctx.n, parts)
    figure = Figure(ctx.n, {"ordinary contact": bond_after(contact),
                            "no contact": bond_after(silent)},
                    {"ordinary contact": healed_curve(contact),
                     "no contact": healed_curve(silent)})
    return Result(FACT.key, ctx.n, parts, figure=figure, shown=shown)


FACT = Fact("no_contact", "No contact", "published finding",
            "Sbarra & Emery 2005; O'Hara et al. 2020",
            "after ordinary break-ups, more contact went with a slower decline of love and "
            "sadness over four weeks (young adults) and more distress two months on (separated "
            "adults without children); neither studied no contact or hoovers",
            run, robust_scale=2.0)
