"""The plausible ranges are fields of the parameter declarations; the robustness check reads
them from there, in the order that fixes its Latin-hypercube columns."""

from __future__ import annotations

import pytest

from model.parameters import GROUPS, Parameter, ParameterError
from model.validation.plausible import PLAUSIBLE, sample_plausible

DRAW_ORDER = [
    "world.audience_supply", "world.audience_noise", "world.bond_decay",
    "narcissist.supply_need", "narcissist.supply_decay", "narcissist.reinforcement",
    "narcissist.hoover_propensity", "narcissist.envy", "narcissist.injury_sensitivity",
    "narcissist.grandiosity", "narcissist.charm", "narcissist.rivalry",
    "narcissist.disappointment_threshold", "narcissist.abandonment_fear",
    "narcissist.recruit_effort", "narcissist.setback_rate", "narcissist.subtype",
    "partner.boundary", "partner.self_esteem", "partner.empathy", "partner.rescue_fantasy",
    "partner.alternatives", "partner.vulnerability", "partner.conditioning", "partner.therapy",
    "partner.looks", "partner.intellect", "partner.outside_life"]
"""The column order the robustness results were drawn with: changing it changes every draw."""


def test_plausible_ranges_are_the_declared_ones_in_the_order_of_the_draws():
    assert list(PLAUSIBLE) == DRAW_ORDER
    for path, r in PLAUSIBLE.items():
        group, name = path.split(".")
        assert (r.low, r.high, r.why) == (*GROUPS[group][name].plausible,
                                          GROUPS[group][name].plausible_why)


def test_draws_stay_inside_the_declared_ranges_and_cover_both_subtypes():
    draws = sample_plausible(40, master=3)
    for draw in draws:
        for path, value in draw.items():
            r = PLAUSIBLE[path]
            assert value in r.choices if r.choices else r.low <= value <= r.high, path
    assert {d["narcissist.subtype"] for d in draws} == {"somatic", "cerebral"}


@pytest.mark.parametrize("plausible, why", [((0.2, 1.5), "too wide"), ((0.6, 0.4), "reversed"),
                                            ((0.2, 0.4), "")])
def test_a_plausible_range_outside_the_allowed_one_or_unjustified_is_refused(plausible, why):
    with pytest.raises(ParameterError, match="plausible"):
        Parameter("x", 0.5, "a knob", basis="modelling choice", plausible=plausible,
                  plausible_why=why)
