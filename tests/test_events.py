"""Event kinds are one Enum: every event a run narrates carries a member of it, the Enum has no
kind that no run produces, and tables and stories show the same words as before."""

from __future__ import annotations

import pytest

from model import EventKind, RelationshipModel
from model.events import Event, condensed_story, events_table

PRESETS = ("classroom", "rescue_fantasy", "somatic_vs_cerebral", "community")
"""Together these presets, at seed 1 and with contagion on (off by default, and the only source
of lash-outs), produce every kind of event."""


@pytest.fixture(scope="module")
def runs() -> dict[str, RelationshipModel]:
    return {name: RelationshipModel(name, rng=1, **{"world.contagion": True}).run()
            for name in PRESETS}


def test_contagion_is_off_unless_a_scenario_turns_it_on():
    """With the default, nobody lashes out and nobody's empathy wears down, over many runs."""
    for seed in range(5):
        model = RelationshipModel("community", rng=seed).run()
        out = model.outcomes()
        assert out["lash_outs"].sum() == 0
        assert (out["final_empathy"] == out["empathy"]).all()
    on = [RelationshipModel("community", rng=s, **{"world.contagion": True}).run().outcomes()
          for s in range(5)]
    assert sum(o["lash_outs"].sum() for o in on) > 0
    assert any((o["final_empathy"] < o["empathy"] - 0.05).any() for o in on)


def test_every_event_a_run_narrates_has_a_declared_kind(runs):
    for name, model in runs.items():
        strays = {e.kind for e in model.events if type(e.kind) is not EventKind}
        assert not strays, f"{name}: kinds outside EventKind: {strays}"


def test_every_declared_kind_happens_in_some_preset(runs):
    seen = {e.kind for model in runs.values() for e in model.events}
    assert seen == set(EventKind), f"never produced: {sorted(set(EventKind) - seen)}"


def test_the_events_table_writes_each_kind_as_its_plain_word(runs):
    model = runs["classroom"]
    table = model.events_table()
    assert list(table["kind"]) == [e.kind.value for e in model.events]
    assert "kind,who" in table.to_csv(index=False).splitlines()[0]
    assert "EventKind" not in table.to_csv(index=False)


def test_condensed_story_folds_failed_hoovers_and_keeps_the_one_that_worked():
    pair = ("Alex", "Ana")
    events = [Event(1, EventKind.MET, pair, "Alex meets Ana."),
              Event(5, EventKind.HOOVER, pair, "tries"),
              Event(9, EventKind.HOOVER, pair, "tries again"),
              Event(12, EventKind.HOOVER, pair, "tries once more"),
              Event(13, EventKind.RETURNED, pair, "Ana goes back.")]
    assert condensed_story(events) == [
        "week    1: Alex meets Ana.", "week   12: tries once more", "week   13: Ana goes back.",
        "Alex tried 2 more time(s) to win Ana back, without success."]
    assert list(events_table(events)["who"]) == ["Alex & Ana"] * 5
