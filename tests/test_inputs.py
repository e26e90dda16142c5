"""Bad input is refused with a ParameterError that says what, which value, and what is allowed.

Overrides come from sweeps, the command line and the dashboard; scenario files from users.
Each mistake must stop the run before it starts, with a message a user can act on. (The
command line's own error handling is tested elsewhere.)
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from model import ParameterError, RelationshipModel
from model.scenario import from_dict, load

UNIT = "a number from 0 to 1"


def message_of(call) -> str:
    with pytest.raises(ParameterError) as caught:
        call()
    return str(caught.value)


def with_override(path: str, value) -> str:
    return message_of(lambda: RelationshipModel(scenario="classroom", rng=0, **{path: value}))


@pytest.mark.parametrize("path, value, expected", [
    # wrong type
    ("partners.0.boundary", "high", ["partners.0.boundary", "'high'", UNIT]),
    ("narcissist.envy", True, ["narcissist.envy", "True", UNIT]),
    ("narcissist.reinforcement", None, ["narcissist.reinforcement", "None", UNIT]),
    ("partners.0.no_contact", "yes", ["partners.0.no_contact", "'yes'", "true or false"]),
    ("partners.*.no_contact", 1, ["partners.*.no_contact", "1", "true or false"]),
    ("narcissist.subtype", "visual", ["narcissist.subtype", "'visual'", "'somatic'",
                                      "'cerebral'"]),
    ("narcissist.max_sources", 2.5, ["narcissist.max_sources", "2.5",
                                     "a whole number from 1 to 10"]),
    ("partners.1.name", 7, ["partners.1.name", "7", "text"]),
    # NaN and infinity
    ("narcissist.reinforcement", math.nan, ["narcissist.reinforcement", "nan", UNIT]),
    ("partners.*.boundary", float("inf"), ["partners.*.boundary", "inf", UNIT]),
    ("world.bond_decay", np.float64("nan"), ["world.bond_decay", "nan", "from 0 to 0.2"]),
    # out of range
    ("partners.*.boundary", 1.5, ["partners.*.boundary", "1.5", UNIT]),
    ("partners.2.self_esteem", -0.1, ["partners.2.self_esteem", "-0.1", UNIT]),
    ("narcissist.supply_decay", 0.95, ["narcissist.supply_decay", "0.95", "from 0 to 0.9"]),
    ("narcissist.max_sources", 0, ["narcissist.max_sources", "0", "from 1 to 10"]),
    ("world.weeks", 0, ["world.weeks", "0", "a whole number from 1 to 5200"]),
])
def test_bad_value_names_parameter_value_and_what_is_allowed(path, value, expected):
    message = with_override(path, value)
    for part in expected:
        assert part in message, f"{part!r} missing from: {message}"


@pytest.mark.parametrize("path, expected", [
    ("narcissist.reinforcment", ["reinforcment", "narcissist", "known", "reinforcement"]),
    ("partner.boundry", ["boundry", "known", "boundary"]),
    ("partners.0.boundry", ["partners.0.boundry", "known", "boundary"]),
    ("partners.*.boundry", ["partners.*.boundry", "known", "boundary"]),
    ("world.week", ["world.week", "known", "weeks"]),
    ("narcisist.envy", ["narcisist.envy", "narcissist.NAME", "partners.I.NAME"]),
    ("boundary", ["'boundary'", "partners.I.NAME"]),
    ("partners.boundary", ["partners.boundary", "partners.I.NAME"]),
])
def test_misspelt_name_says_which_names_exist(path, expected):
    """A misspelt name is named, with the names that exist (its value is beside the point)."""
    message = with_override(path, 0.5)
    for part in expected:
        assert part in message, f"{part!r} missing from: {message}"


@pytest.mark.parametrize("path, expected", [
    ("partners.9.boundary", ["partners.9.boundary", "4 partner", "0 to 3"]),
    ("partners.4.boundary", ["partners.4.boundary", "4 partner", "0 to 3"]),
    ("partners.x.boundary", ["partners.x.boundary", "'x'", "a number or *"]),
    ("partners.-1.boundary", ["partners.-1.boundary", "'-1'", "a number or *"]),
    ("narcissists.5.subtype", ["narcissists.5.subtype", "1 narcissist", "0 to 0"]),
])
def test_bad_index_names_the_path_and_the_indices_that_exist(path, expected):
    value = "somatic" if path.endswith("subtype") else 0.5
    message = with_override(path, value)
    for part in expected:
        assert part in message, f"{part!r} missing from: {message}"


def test_parameter_error_is_a_value_error():
    assert issubclass(ParameterError, ValueError)


@pytest.mark.parametrize("value", [np.float64(0.3), np.float32(0.25), 1, 0])
def test_numbers_from_sweeps_are_accepted(value):
    """Sweeps hand over numpy scalars and whole numbers; they are valid numbers."""
    m = RelationshipModel(scenario="classroom", rng=0, **{"partners.*.boundary": value})
    assert [p.boundary for p in m.partners] == [float(value)] * 4


def test_numpy_bool_is_accepted_for_a_switch():
    m = RelationshipModel(scenario="classroom", rng=0, **{"partners.*.no_contact": np.True_})
    assert all(p.no_contact is True for p in m.partners)


# --- scenario sources ----------------------------------------------------------------------------
def test_unknown_preset_lists_the_presets():
    message = message_of(lambda: RelationshipModel(scenario="classrom", rng=0))
    assert "classrom" in message and "classroom" in message


def test_missing_scenario_file_is_named(tmp_path):
    path = tmp_path / "nowhere.toml"
    message = message_of(lambda: RelationshipModel(scenario=str(path), rng=0))
    assert str(path) in message and "does not exist" in message


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_HEAD = 'title = "t"\ndescription = "d"\nnotice = ["n"]\ntry = ["t"]\n'


@pytest.mark.parametrize("text, expected", [
    ('title = "unterminated\n', ["not a valid TOML"]),
    (GOOD_HEAD + "[narcissist\nenvy = 0.5\n", ["not a valid TOML"]),
    (GOOD_HEAD + "colour = 3\n", ["'colour'", "allowed", "narcissist", "partners"]),
    (GOOD_HEAD + "[narcissist]\nenvvy = 0.5\n", ["[narcissist]", "'envvy'", "known", "envy"]),
    (GOOD_HEAD + "[[partners]]\nboundary = 0.2\n[[partners]]\nboundary = 1.5\n",
     ["[[partners]] item 1", "boundary", "1.5", UNIT]),
    (GOOD_HEAD + "[partner]\nno_contact = \"sometimes\"\n",
     ["[partner]", "no_contact", "'sometimes'", "true or false"]),
    (GOOD_HEAD + "[world]\nweeks = 10.5\n", ["[world]", "weeks", "10.5", "a whole number"]),
    (GOOD_HEAD + "[narcissist]\nsubtype = \"visual\"\n",
     ["[narcissist]", "subtype", "'visual'", "'somatic'"]),
    (GOOD_HEAD + "[[narcissists]]\nrivalry = -1\n", ["[[narcissists]] item 0", "rivalry", "-1",
                                                     UNIT]),
    (GOOD_HEAD + "partner = 3\n", ["[partner]", "3", "expected a table"]),
    (GOOD_HEAD + "[[partners]]\nboundary = nan\n", ["[[partners]] item 0", "boundary", "nan"]),
    ('title = 3\ndescription = "d"\nnotice = []\ntry = []\n', ["title", "3", "text"]),
    ('title = "t"\ndescription = "d"\nnotice = "look"\ntry = []\n',
     ["notice", "'look'", "a list of text"]),
])
def test_bad_scenario_file_names_the_file_and_the_key(tmp_path, text, expected):
    path = write(tmp_path, text)
    message = message_of(lambda: RelationshipModel(scenario=str(path), rng=0))
    assert str(path) in message, f"file missing from: {message}"
    for part in expected:
        assert part in message, f"{part!r} missing from: {message}"


def test_load_refuses_the_same_file_as_the_model(tmp_path):
    path = write(tmp_path, GOOD_HEAD + "[narcissist]\nenvy = 2\n")
    message = message_of(lambda: load(path))
    assert str(path) in message and "envy" in message and "2" in message


def test_bad_override_on_top_of_a_good_file(tmp_path):
    path = write(tmp_path, GOOD_HEAD + "[[partners]]\nboundary = 0.3\n")
    message = message_of(lambda: RelationshipModel(scenario=str(path), rng=0,
                                                   **{"partners.1.boundary": 0.5}))
    assert "partners.1.boundary" in message and "1 partner" in message


def test_more_attached_partners_than_he_has_room_for():
    message = with_override("narcissist.max_sources", 2)
    assert "attached" in message and "max_sources" in message


def test_scenario_without_partners_is_refused_or_reports_an_empty_table():
    raw = {"title": "t", "description": "d", "notice": [], "try": []}
    try:
        m = RelationshipModel(scenario=from_dict(raw), rng=0)
    except ParameterError as err:
        assert "partner" in str(err)
        return
    out = m.run(10).outcomes()
    assert len(out) == 0 and "harm" in out.columns
