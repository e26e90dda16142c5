"""Pronouns are settings: the story uses each person's own, and nothing else changes.

The narration has no built-in gender. These tests run the same scenarios with every pronoun
choice and read the story's text: a line may only use the pronouns of the people it is about,
"they" takes plural verbs, the default classroom story reads as it always did, and every
outcome is identical whatever the pronouns (they are words, not dynamics).
"""

from __future__ import annotations

import re

import ipyvuetify as v
import pandas as pd
import pytest
import solara
import solara.server.kernel
import solara.server.kernel_context

from model import RelationshipModel
from model.parameters import GROUPS, ParameterError
from model.pronouns import FORMS
from model.scenario import load
from model.validation import knobs

WORD = re.compile(r"\b(he|him|his|she|her|hers|they|them|their|theirs)\b")
CHOICES = GROUPS["partner"]["pronouns"].choices
RUNS = (("community", 1), ("no_contact", 6), ("somatic_vs_cerebral", 1))
"""Scenarios and seeds whose stories, together, contain every line that uses a pronoun."""


def everyone(pronouns: str) -> dict[str, str]:
    return {"narcissists.*.pronouns": pronouns, "partners.*.pronouns": pronouns}


def story(overrides: dict[str, str]) -> list[tuple[RelationshipModel, list]]:
    return [(m, m.events) for m in
            (RelationshipModel(preset, rng=seed, **overrides).run() for preset, seed in RUNS)]


def words_of(pronouns: str) -> set[str]:
    forms = FORMS[pronouns]
    return {forms.subject, forms.object, forms.possessive, forms.independent}


def foreign_pronouns(m: RelationshipModel) -> list[str]:
    """Lines using a pronoun that none of the people they are about uses."""
    people = {a.name: a.pronouns for a in (*m.narcissists, *m.partners)}
    bad = []
    for e in m.events:
        allowed = set().union(*(words_of(people[name]) for name in e.who))
        used = set(WORD.findall(e.text))
        if used - allowed:
            bad.append(f"{e.kind}: {e.text} (about {', '.join(e.who)})")
    return bad


def test_every_choice_the_setting_allows_has_its_forms():
    assert set(CHOICES) == set(GROUPS["narcissist"]["pronouns"].choices) == set(FORMS)
    assert GROUPS["narcissist"]["pronouns"].basis == "modelling choice"
    assert GROUPS["partner"]["pronouns"].basis == "modelling choice"


@pytest.mark.parametrize("pronouns", CHOICES)
def test_the_story_uses_only_the_chosen_pronouns(pronouns):
    runs = story(everyone(pronouns))
    texts = [e.text for _, events in runs for e in events]
    found = {w for t in texts for w in WORD.findall(t)}
    assert found == words_of(pronouns), f"{pronouns}: story uses {sorted(found)}"
    for m, _ in runs:
        assert not foreign_pronouns(m)


def test_the_test_runs_cover_every_line_that_uses_a_pronoun():
    """Otherwise a line could keep a fixed "she" and the tests above would never read it."""
    texts = [e.text for _, events in story(everyone("they/them")) for e in events]
    expected = [
        r"and showers them with attention",
        r"turns their rage on",
        r"and they now belittle their looks\.$",
        r"and they now belittle their intelligence\.$",
        r"before they can leave them, so that the ending is theirs\.$",
        r"stops trying to win them back\.$",
        r"; they keep no contact and do not answer\.$",
        r"the gap between their self-image and their life widens\.$",
        r"has healed: they can trust and love again, though they remember\.$",
        r"without moving on: they are stuck\.$",
    ]
    missing = [p for p in expected if not any(re.search(p, t) for t in texts)]
    assert not missing, f"no line of the test runs matches {missing}"


def test_they_takes_plural_verbs():
    texts = [e.text for _, events in story(everyone("they/them")) for e in events]
    wrong = [t for t in texts if re.search(r"\bthey (now )?(is|was|has|does|\w+[^s]s)\b", t)]
    assert not wrong, wrong[:5]


def test_mixed_pronouns_each_follow_their_own_person():
    """The any_gender preset (she/her agent, he/him and they/them partners), and the reverse."""
    for overrides in ({}, {"narcissists.*.pronouns": "they/them",
                           "partners.0.pronouns": "she/her", "partners.1.pronouns": "he/him"}):
        for seed in range(5):
            m = RelationshipModel("any_gender", rng=seed, **overrides).run()
            assert not foreign_pronouns(m), (overrides, seed)
    m = RelationshipModel("any_gender", rng=42).run()
    assert any("Sam turns on Robin" in e.text and "she now belittles their" in e.text
               for e in m.events)


def test_the_default_classroom_story_is_unchanged():
    """The lines the classroom has always shown, word for word, at its own seed (he/him for the
    narcissist agent, she/her for the partners, as the declarations' defaults say)."""
    seed = load("classroom").seed
    texts = {e.text for e in RelationshipModel("classroom", rng=seed).run().events}
    for line in [
        "Alex meets Ana (spouse) and showers her with attention: idealization begins.",
        "Alex turns his rage on Bea.",
        "Alex answers Dana's refusal with rage.",
        "Alex turns on Bea: the ideal image has failed, and he now belittles her intelligence.",
        "Alex discards Cara before she can leave him, so that the ending is his.",
        "Dana has healed: she can trust and love again, though she remembers.",
        "Alex no longer sees any supply in Cara and stops trying to win her back.",
        "Alex suffers a setback at work; the gap between his self-image and his life widens.",
    ]:
        assert line in texts, line
    explicit = RelationshipModel("classroom", rng=seed, **{"narcissists.*.pronouns": "he/him",
                                                           "partners.*.pronouns": "she/her"}).run()
    assert [e.text for e in explicit.events] == [
        e.text for e in RelationshipModel("classroom", rng=seed).run().events]


@pytest.mark.parametrize("preset, seed", [("classroom", 2), ("community", 3), ("any_gender", 42),
                                          ("intermittent", 5)])
def test_outcomes_are_identical_whatever_the_pronouns(preset, seed):
    """Pronouns must not move the dynamics: the same seed gives the same tables."""
    runs = [RelationshipModel(preset, rng=seed, **everyone(p)).run() for p in CHOICES]
    first = runs[0]
    for other in runs[1:]:
        pd.testing.assert_frame_equal(first.outcomes().drop(columns="pronouns"),
                                      other.outcomes().drop(columns="pronouns"))
        pd.testing.assert_frame_equal(first.timeline(), other.timeline())
        pd.testing.assert_frame_equal(first.supply_timeline(), other.supply_timeline())
        assert [(e.week, e.kind, e.who, e.important) for e in first.events] == [
            (e.week, e.kind, e.who, e.important) for e in other.events]
    assert [set(r.outcomes().pronouns) for r in runs] == [{p} for p in CHOICES]


def test_an_unknown_pronoun_is_refused_with_the_allowed_ones():
    with pytest.raises(ParameterError, match=r"partners\.\*\.pronouns = 'xe/xem' is not allowed: "
                                             r"expected one of 'he/him', 'she/her', 'they/them'"):
        RelationshipModel("classroom", **{"partners.*.pronouns": "xe/xem"})


def test_pronouns_are_wording_not_knobs():
    """Like names, they are exempt from the knob table (the outcome test above is their check)."""
    assert "pronouns" in knobs.WORDING
    assert not [k for k in knobs.design() if k.name == "pronouns"]



def test_the_dashboard_shows_and_changes_each_persons_pronouns(kernel):
    from dashboard.layout import Page

    box, rc = solara.render(Page(), handle_error=False)
    rc.find(v.Select, label="preset").widget.v_model = "any_gender"
    for b in [b for b in rc.find(v.Btn).widgets if any("more (" in str(c) for c in b.children)]:
        b.click()
    selects = rc.find(v.Select, label="pronouns").widgets
    assert [s.v_model for s in selects] == ["she/her", "he/him", "they/them"]
    assert all(s.items == list(CHOICES) for s in selects)
    selects[2].v_model = "she/her"  # Robin
    rc.find(v.CardTitle, children=["Robin (partner)  (1 changed)"]).assert_single()
    rc.close()
