"""Agents take their traits as typed attributes, one per declared parameter, and refuse a
trait the declarations do not know, whichever way it arrives."""

from __future__ import annotations

import pytest

from model import GROUPS, ParameterError, RelationshipModel
from model.agents import Narcissist, Partner
from model.parameters import defaults


def test_each_declared_trait_has_a_typed_attribute():
    assert set(Narcissist.__annotations__) >= set(GROUPS["narcissist"])
    assert set(Partner.__annotations__) >= set(GROUPS["partner"])


def test_agents_hold_the_traits_the_scenario_gave_them():
    model = RelationshipModel("classroom", rng=1, **{"partners.0.boundary": 0.83,
                                                     "narcissist.charm": 0.61})
    assert model.partners[0].boundary == 0.83 and model.narcissists[0].charm == 0.61
    assert model.partners[1].boundary != 0.83


def test_a_misspelt_trait_in_an_override_is_refused_by_name():
    with pytest.raises(ParameterError, match="unknown partner parameter 'bondary'"):
        RelationshipModel("classroom", rng=1, **{"partners.0.bondary": 0.5})


@pytest.mark.parametrize("cls, group", [(Partner, "partner"), (Narcissist, "narcissist")])
def test_an_agent_built_with_an_unknown_trait_refuses_it_with_the_known_names(cls, group):
    model = RelationshipModel("classroom", rng=1)
    traits = {**defaults(group), "bondary": 0.5}
    with pytest.raises(ParameterError, match=f"unknown {group} parameter 'bondary'; known: "):
        cls(model, 7, traits)


def test_an_agent_built_without_a_trait_names_the_missing_one():
    model = RelationshipModel("classroom", rng=1)
    traits = defaults("partner")
    del traits["therapy"]
    with pytest.raises(ParameterError, match="partners.7: no value for partner parameter"
                                             r"\(s\) 'therapy'"):
        Partner(model, 7, traits)
