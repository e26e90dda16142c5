"""The Python API: a model copied mid-run continues exactly as the original, a checked scenario
cannot be changed behind its checks, the file cache follows a file's content, and a key that is
not text is refused in one line naming it.

A notebook user branches a run by copying the model (`copy.deepcopy` or pickle) at some week
and running both on: unless one of them is changed, both must tell the same story, week for
week, and draw the same random numbers after it.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import os
import pickle
import tomllib

import pandas as pd
import pytest

from model import ParameterError, RelationshipModel
from model.experiments.design import Sweep
from model.experiments.factors import Normal, Range, SweepError, Values
from model.scenario import Scenario, apply_overrides, declaration_for, from_dict, load, \
    parse_assignment


def _pickled(model: RelationshipModel) -> RelationshipModel:
    return pickle.loads(pickle.dumps(model))


COPIERS = {"deepcopy": copy.deepcopy, "pickle": _pickled}


def _tables(model: RelationshipModel) -> dict[str, pd.DataFrame]:
    return {"outcomes": model.outcomes(), "timeline": model.timeline(),
            "supply": model.supply_timeline(), "events": model.events_table()}


def _assert_same_run(a: RelationshipModel, b: RelationshipModel) -> None:
    assert a.steps == b.steps
    for name, table in _tables(a).items():
        pd.testing.assert_frame_equal(table, _tables(b)[name], obj=name)
    assert a.random.getstate() == b.random.getstate()
    ahead = [copy.deepcopy(m.random) for m in (a, b)]  # the next draws, leaving both as they are
    assert [ahead[0].random() for _ in range(5)] == [ahead[1].random() for _ in range(5)]


# --- copying a model mid-run --------------------------------------------------------------------
@pytest.mark.parametrize("how", COPIERS)
@pytest.mark.parametrize("record", ["weekly", 3, "outcomes"])
@pytest.mark.parametrize("seed", [1, 7, 2024])
def test_a_classroom_copied_at_any_week_continues_as_the_original(how, record, seed):
    """Copied at several weeks of one run, each copy, run on first with the same calls as the
    original (a recording keeps the last week of each `run`), ends as the original."""
    calls = [0, 1, 8, 31, 20]
    original = RelationshipModel("classroom", rng=seed, record=record)
    copies = []
    for i, weeks in enumerate(calls):
        copies.append((COPIERS[how](original), calls[i:]))
        original.run(weeks)
    for twin, rest in copies:
        for weeks in rest:
            twin.run(weeks)
    assert original.steps == 60
    copies.append((COPIERS[how](original), []))  # copied at the end: nothing left to differ
    for twin, _ in copies:
        _assert_same_run(original, twin)


@pytest.mark.parametrize("how", COPIERS)
@pytest.mark.parametrize("record", ["weekly", 5, "outcomes"])
def test_a_community_copied_mid_run_continues_as_the_original(how, record):
    """A town: courtship every week, so the crowd's arrays are written in place each week."""
    original = RelationshipModel("community", rng=11, record=record).run(23)
    twin = COPIERS[how](original)
    twin.run(40)
    original.run(40)
    _assert_same_run(original, twin)


@pytest.mark.parametrize("how", COPIERS)
def test_a_copy_runs_to_the_horizon_with_the_uninterrupted_outcomes(how):
    """Copying changes nothing of the run: the copy's whole story is the unbroken run's."""
    straight = RelationshipModel("community", rng=5).run()
    twin = COPIERS[how](RelationshipModel("community", rng=5).run(100)).run()
    pd.testing.assert_frame_equal(twin.outcomes(), straight.outcomes())
    pd.testing.assert_frame_equal(twin.events_table(), straight.events_table())


@pytest.mark.parametrize("how", COPIERS)
def test_a_branch_changed_after_copying_leaves_the_original_alone(how):
    """The dashboard's branch, on a copy: the original runs on as if nothing was copied."""
    straight = RelationshipModel("community", rng=3).run(80)
    original = RelationshipModel("community", rng=3).run(30)
    branch = COPIERS[how](original)
    for partner in branch.partners:
        partner.boundary = 0.95
    branch.traits_changed()
    branch.run(50)
    original.run(50)
    pd.testing.assert_frame_equal(original.outcomes(), straight.outcomes())
    assert not branch.outcomes()["harm"].equals(original.outcomes()["harm"])


# --- checked scenarios are read-only ------------------------------------------------------------
MUTATIONS = {
    "a listed partner's value": lambda s: s.partners[0].__setitem__("boundary", math.nan),
    "a world value": lambda s: s.world.__setitem__("weeks", -1),
    "a shared table, updated": lambda s: s.partner.update(boundary=math.nan),
    "a table, merged into": lambda s: s.narcissist.__ior__({"envy": 9.0}),
    "a value, deleted": lambda s: s.world.__delitem__("weeks"),
    "a table, cleared": lambda s: s.partners[1].clear(),
    "a listed partner, replaced": lambda s: s.partners.__setitem__(0, {"boundary": math.nan}),
    "a partner, added": lambda s: s.partners.append({"boundary": 0.5}),
    "an attribute": lambda s: setattr(s, "world", {"weeks": -1}),
    "the seed": lambda s: setattr(s, "seed", -3),
}


@pytest.mark.parametrize("change", MUTATIONS)
def test_a_checked_scenario_cannot_be_changed_behind_its_checks(change):
    spec = load("classroom")
    before = spec.to_toml()
    with pytest.raises((TypeError, AttributeError)):
        MUTATIONS[change](spec)
    assert spec.to_toml() == before
    ran = RelationshipModel(spec, rng=4).run(30).outcomes()
    pd.testing.assert_frame_equal(ran, RelationshipModel("classroom", rng=4).run(30).outcomes())
    assert ran[["harm", "final_wellbeing"]].notna().all().all()


def test_changing_a_table_says_how_to_make_a_changed_copy():
    with pytest.raises(TypeError, match=r"read-only.*apply_overrides"):
        load("classroom").world["weeks"] = -1


def test_changed_copies_are_checked_and_leave_the_original_as_it_was():
    spec = load("classroom")
    changed = apply_overrides(spec, {"partners.0.boundary": 0.55, "partners.*.looks": 0.2,
                                     "world.weeks": 30})
    assert (changed.partners[0]["boundary"], changed.world["weeks"]) == (0.55, 30)
    assert spec.partners[0]["boundary"] != 0.55 and spec.world["weeks"] != 30
    assert all(p["looks"] != 0.2 for p in spec.partners)
    renamed = dataclasses.replace(spec, title="Another title")
    assert renamed.title == "Another title" and renamed.partners == spec.partners
    with pytest.raises(ParameterError, match="weeks = -1"):
        dataclasses.replace(spec, world={"weeks": -1})
    with pytest.raises(ParameterError, match="boundary"):
        apply_overrides(spec, {"partners.0.boundary": math.nan})


def test_a_read_only_scenario_still_saves_plain_toml_and_copies():
    spec = apply_overrides(load("community"), {"narcissists.1.envy": 0.4}, seed=9)
    text = spec.to_toml()
    assert "FrozenTable" not in text
    assert from_dict(tomllib.loads(text), where=spec.source) == spec
    assert pickle.loads(pickle.dumps(spec)) == spec
    assert copy.deepcopy(spec) == spec
    built = Scenario(spec.title, spec.description, list(spec.notice), list(spec.try_),
                     dict(spec.world), dict(spec.narcissist), list(spec.narcissists),
                     dict(spec.partner), list(spec.partners), spec.source, spec.seed)
    assert built == spec


# --- the file cache follows the content ---------------------------------------------------------
@pytest.mark.parametrize("first, second", [(0.2, 0.8), (0.8, 0.2), (0.31, 0.74)])
def test_a_file_replaced_with_its_time_restored_runs_the_new_values(tmp_path, first, second):
    """Same length, same inode, same time of change: only the bytes differ."""
    path = tmp_path / "mine.toml"
    text = 'title = "Mine"\n[world]\nweeks = 20\n[[partners]]\nboundary = {}\n'
    path.write_text(text.format(first))
    assert RelationshipModel(str(path), rng=1).spec.partners[0]["boundary"] == first
    stamp = os.stat(path)
    path.write_text(text.format(second))
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    again = os.stat(path)
    assert (again.st_mtime_ns, again.st_ino, again.st_size) == \
        (stamp.st_mtime_ns, stamp.st_ino, stamp.st_size)
    for _ in range(2):  # read from the file, then from the cache
        model = RelationshipModel(str(path), rng=1).run()
        assert model.spec.partners[0]["boundary"] == model.partners[0].boundary == second


# --- keys that are not text ---------------------------------------------------------------------
BAD_KEYS = {
    "set key, a number": (lambda: Sweep("classroom", fixed={1: 0.5}).checked(), "1 (int)"),
    "set key, None": (lambda: Sweep("classroom", fixed={None: 0.5}).checked(), "None (NoneType)"),
    "set, a list": (lambda: Sweep("classroom", fixed=[("world.weeks", 5)]).checked(), "(list)"),
    "vary path, a number": (lambda: Sweep("classroom", vary=(Values(1, (0.1,)),)).checked(),
                            "1 (int)"),
    "vary path, a tuple": (lambda: Sweep("classroom", vary=(Range(("a",), 0, 1, 2),)).checked(),
                           "('a',) (tuple)"),
    "vary path, bytes": (lambda: Sweep("classroom", design="latin",
                                       vary=(Normal(b"world.weeks", 5, 1),)).checked(),
                         "b'world.weeks' (bytes)"),
    "vary item, text": (lambda: Sweep("classroom", vary=("world.weeks",)).checked(),
                        "'world.weeks' (str)"),
    "vary, a number": (lambda: Sweep("classroom", vary=5).checked(), "5 (int)"),
    "override key, a number": (lambda: apply_overrides(load("classroom"), {1: 2}), "1 (int)"),
    "override key, bytes": (lambda: apply_overrides(load("classroom"), {b"world.weeks": 2}),
                            "b'world.weeks' (bytes)"),
    "overrides, a list": (lambda: apply_overrides(load("classroom"), [("world.weeks", 2)]),
                          "(list)"),
    "path, a number": (lambda: declaration_for(3), "3 (int)"),
    "assignment, a number": (lambda: parse_assignment(3), "3 (int)"),
}


@pytest.mark.parametrize("case", BAD_KEYS)
def test_a_key_that_is_not_text_is_refused_in_one_line_naming_it(case):
    make, named = BAD_KEYS[case]
    with pytest.raises(ParameterError) as caught:
        make()
    message = str(caught.value)
    assert named in message and "\n" not in message, message
    assert "allowed" in message
    if case.startswith(("set", "vary")):
        assert isinstance(caught.value, SweepError)
