"""Every preset in scenarios/ loads, explains itself, and runs ten years without error."""

from __future__ import annotations

import pytest

from model import RelationshipModel
from model.scenario import load, presets

PRESETS = sorted(presets())


def test_there_are_presets():
    assert "classroom" in PRESETS


@pytest.mark.parametrize("name", PRESETS)
def test_preset_has_texts_for_people(name):
    scenario = load(name)
    assert scenario.title.strip(), f"{name}: no title"
    assert scenario.description.strip(), f"{name}: no description"
    assert scenario.notice and all(line.strip() for line in scenario.notice), f"{name}: notice"
    assert scenario.try_ and all(line.strip() for line in scenario.try_), f"{name}: try"


@pytest.mark.parametrize("name", PRESETS)
def test_preset_runs_520_weeks(name):
    m = RelationshipModel(scenario=name, rng=0)
    m.run(520)
    assert m.steps == 520
    out = m.outcomes()
    assert len(out) == len(m.partners) > 0
    assert len(m.timeline()) == 521 * len(m.partners)
    assert m.events


@pytest.mark.parametrize("name", PRESETS)
def test_preset_survives_a_round_trip_through_toml(name, tmp_path):
    """Writing a preset back out (as the dashboard's 'save' does) loses nothing."""
    path = tmp_path / f"{name}.toml"
    path.write_text(load(name).to_toml(), encoding="utf-8")
    again = load(path)
    original = load(name)
    for field in ("title", "description", "notice", "try_", "world", "narcissist",
                  "narcissists", "partner", "partners"):
        assert getattr(again, field) == getattr(original, field), field
    a = RelationshipModel(scenario=name, rng=4).run(52).outcomes()
    b = RelationshipModel(scenario=str(path), rng=4).run(52).outcomes()
    assert a.equals(b)
