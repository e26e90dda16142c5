"""Every claim a student reads says where it comes from, and nothing can be declared without it.

The labels are published finding / the essay's view / modelling choice. They live in one place
each (the parameter declarations, the mechanism table, the glossary source, the notices' lists
of mechanisms); these tests check that every item carries one, that a declaration without one
is refused, and that the pages students read show them.
"""

from __future__ import annotations

import pytest

from model.mechanisms import GRADES, MECHANISMS, Mechanism, label_for
from model.parameters import BASES, GROUPS, Parameter, ParameterError
from model.scenario import Notice, from_dict, load, presets

HEAD = {"title": "t", "description": "d", "try": []}


def scenario_with(notice):
    return from_dict({**HEAD, "notice": notice}, where="test.toml")


# --- one place per kind of claim, and nothing in it without a label ---------------------------
def test_every_parameter_has_a_basis_and_a_published_one_names_its_source():
    for group, table in GROUPS.items():
        for p in table.values():
            assert p.basis in BASES, f"{group}.{p.name}"
            if p.basis == "published finding":
                assert any(ch.isdigit() for ch in p.source), f"{group}.{p.name}: no year"


def test_a_parameter_declared_without_a_basis_is_refused():
    with pytest.raises(ParameterError, match="'knob'.*basis = ''.*published finding"):
        Parameter(name="knob", default=0.5, meaning="m")
    with pytest.raises(ParameterError, match="needs its source"):
        Parameter(name="knob", default=0.5, meaning="m", basis="published finding")


def test_the_mechanism_table_has_the_sixteen_mechanisms_each_labelled_and_graded():
    assert list(MECHANISMS) == list(range(1, 17))
    for m in MECHANISMS.values():
        assert m.basis in BASES and m.grade in GRADES and m.built_in.strip(), m.number
        if m.basis == "published finding":
            assert m.citations, f"mechanism {m.number} names no study"


def test_a_mechanism_without_a_label_or_grade_is_refused():
    with pytest.raises(ParameterError, match="mechanism 17: basis"):
        Mechanism(17, "t", "common sense", "one or few studies", (), "x")
    with pytest.raises(ParameterError, match="mechanism 17: grade"):
        Mechanism(17, "t", "the essay's view", "strong", (), "x")


# --- scenario notices: tables with mechanisms, label derived from the table --------------------
def test_a_notice_table_carries_the_label_of_its_mechanisms():
    scenario = scenario_with([{"text": "She leaves.", "mechanisms": [9, 3, 9]},
                              "plain text still reads"])
    labelled, plain = scenario.notice
    assert labelled == "She leaves." and labelled.mechanisms == (9, 3)
    assert labelled.label == ("published finding (mechanism 9); "
                              "the essay's view (mechanism 3)")
    assert plain == "plain text still reads" and plain.label == ""


@pytest.mark.parametrize("notice, words", [
    ([{"text": "x", "mechanisms": [17]}], ["notice 1", "mechanism 17", "1 to 16"]),
    ([{"text": "x", "mechanisms": [0]}], ["mechanism 0", "1 to 16"]),
    ([{"text": "x", "mechanisms": ["3"]}], ["mechanism '3'"]),
    ([{"text": "x", "mechanisms": [True]}], ["mechanism True"]),
    (["ok", {"text": "x", "mechanisms": []}], ["notice 2", "at least one mechanism"]),
    ([{"text": "x"}], ["notice 1", "text and mechanisms"]),
    ([{"text": "x", "mechanisms": [3], "why": "y"}], ["text and mechanisms"]),
    ([{"text": "", "mechanisms": [3]}], ["text = ''"]),
    ([3], ["notice 1 = 3"]),
    ("look", ["notice = 'look'", "a list of text"]),
])
def test_a_bad_notice_is_refused_with_a_clear_message(notice, words):
    with pytest.raises(ParameterError) as err:
        scenario_with(notice)
    for word in words:
        assert word in str(err.value)
    assert "test.toml" in str(err.value)


def test_a_labelled_notice_survives_a_round_trip_through_a_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('title = "t"\ndescription = "d"\ntry = []\nnotice = [\n'
                    '  { text = "He answers a refusal with rage.", mechanisms = [5] },\n'
                    '  "A plain one.",\n]\n', encoding="utf-8")
    scenario = load(path)
    again = tmp_path / "again.toml"
    again.write_text(scenario.to_toml(), encoding="utf-8")
    reread = load(again)
    assert [(n, n.mechanisms) for n in reread.notice] == [
        ("He answers a refusal with rage.", (5,)), ("A plain one.", ())]
    assert reread.notice[0].label == "the essay's view (mechanism 5)"


def test_notices_keep_their_labels_through_overrides_and_copies():
    from model.scenario import apply_overrides

    scenario = scenario_with([{"text": "x", "mechanisms": [4]}])
    copied = apply_overrides(scenario, {"world.weeks": 10})
    assert copied.notice[0].mechanisms == (4,)
    assert isinstance(Notice("x", (4,)), str)


def test_label_for_names_every_basis_strongest_first():
    assert label_for([16, 9, 12]) == ("published finding (mechanism 9); "
                                      "the essay's view (mechanisms 16, 12)")


@pytest.mark.parametrize("name", sorted(presets()))
def test_every_preset_notice_is_labelled(name):
    """Fails until the presets are converted to notice tables (the pronouns branch does it)."""
    unlabelled = [n for n in load(name).notice if not n.label]
    assert not unlabelled, f"{name}: notices without mechanisms: {unlabelled}"
