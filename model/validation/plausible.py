"""The plausible region: a range for every parameter the robustness check varies, and why.

A fact that holds only at the defaults might hold by an accident of calibration. The
robustness check therefore reruns each experiment at random parameter sets drawn from these
ranges, each justified in words (a modelling choice, or a published figure where one exists).
Draws are a Latin hypercube from a generator seeded by the master seed, so the same master
seed gives the same draws in any process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .harness import MASTER_SEED


@dataclass(frozen=True)
class Range:
    """A plausible range for one parameter and the reason for it."""

    low: float
    high: float
    why: str


PLAUSIBLE: dict[str, Range] = {
    # world
    "world.audience_supply": Range(0.02, 0.08, "Strangers' attention is less than one eager "
                                   "partner gives (0.10 a week) but never nothing."),
    "world.audience_noise": Range(0.25, 1.0, "From a steady to a very fickle audience."),
    "world.bond_decay": Range(0.008, 0.018, "Six-month declines of 19% to 38%, a band around "
                              "the 27% Dutton & Painter (1993) measured."),
    # narcissist
    "narcissist.supply_need": Range(0.3, 0.7, "Neither nearly sated nor insatiable."),
    "narcissist.supply_decay": Range(0.08, 0.3, "Supply wears off within weeks, not days or "
                                     "months."),
    "narcissist.reinforcement": Range(0.15, 0.7, "He turns kind now and then, as the essay "
                                      "describes, but not every week."),
    "narcissist.hoover_propensity": Range(0.2, 0.8, "The essay says he tries to win exes back; "
                                          "how hard varies."),
    "narcissist.envy": Range(0.2, 0.8, "Envy is part of the picture, in varying strength."),
    "narcissist.injury_sensitivity": Range(0.25, 0.8, "Easily wounded, from moderately to "
                                           "very."),
    "narcissist.grandiosity": Range(0.5, 0.95, "His self-image is above ordinary by "
                                    "definition."),
    "narcissist.charm": Range(0.45, 0.9, "Narcissists are liked at first (Paulhus 1998): "
                              "charm at least middling."),
    "narcissist.rivalry": Range(0.25, 0.8, "Rivalry varies widely between narcissists "
                                "(Back et al. 2013)."),
    "narcissist.disappointment_threshold": Range(0.6, 2.0, "Idealization lasts from about two "
                                                 "months to about a year."),
    "narcissist.abandonment_fear": Range(0.2, 0.8, "Fear of abandonment in varying strength."),
    "narcissist.recruit_effort": Range(0.15, 0.5, "He looks for new sources, more or less "
                                       "actively."),
    "narcissist.setback_rate": Range(0.0, 0.03, "From no setbacks to about one and a half a "
                                     "year (the default is one every two years)."),
    "narcissist.subtype": Range(0.0, 1.0, "Either kind, with equal chance (below 0.5: "
                                "somatic)."),
    # partner
    "partner.boundary": Range(0.15, 0.85, "The span of the classroom preset, short of the "
                              "extremes."),
    "partner.self_esteem": Range(0.3, 0.8, "From fragile to sound self-esteem."),
    "partner.empathy": Range(0.4, 0.9, "Partners who stay with narcissists are mostly "
                             "empathic (the essay)."),
    "partner.rescue_fantasy": Range(0.0, 0.5, "From none to a moderate hope of healing him."),
    "partner.alternatives": Range(0.25, 0.75, "From few to good alternatives."),
    "partner.vulnerability": Range(0.15, 0.7, "From little to much exposure to being "
                                   "targeted."),
    "partner.conditioning": Range(0.0, 0.4, "Most partners were not raised to treat abuse as "
                                  "normal; some partly were."),
    "partner.therapy": Range(0.0, 0.4, "From no help to some professional help after "
                             "leaving."),
    "partner.looks": Range(0.25, 0.75, "An ordinary range."),
    "partner.intellect": Range(0.25, 0.75, "An ordinary range."),
    "partner.outside_life": Range(0.25, 0.75, "From a thin to a full life outside."),
}
"""Plausible range of every parameter the robustness check varies, with its justification.

Not varied: `max_sources`, `treatment` (off by default: mechanism 13), `no_contact` (off unless
a fact varies it), `weeks` and the population settings, which each experiment fixes.
"""


def sample_plausible(draws: int, master: int = MASTER_SEED) -> list[dict[str, Any]]:
    """Latin-hypercube draws from PLAUSIBLE, as dotted-path overrides (seeded, reproducible)."""
    from scipy.stats import qmc

    names = list(PLAUSIBLE)
    sampler = qmc.LatinHypercube(d=len(names), rng=np.random.default_rng([master, 7]))
    unit = sampler.random(draws)
    result = []
    for row in unit:
        draw: dict[str, Any] = {}
        for name, u in zip(names, row, strict=True):
            r = PLAUSIBLE[name]
            if name == "narcissist.subtype":
                draw[name] = "somatic" if u < 0.5 else "cerebral"
            else:
                draw[name] = round(float(r.low + u * (r.high - r.low)), 4)
        result.append(draw)
    return result
