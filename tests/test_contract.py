"""The public contract (docs/ODD.md, README) that scripts, sweeps and the dashboard rely on."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import mesa
import pandas as pd
import pytest

from model import GROUPS, Event, ParameterError, RelationshipModel
from model.scenario import load, presets

ROOT = Path(__file__).resolve().parent.parent

OUTCOME_COLUMNS = ["partner", "boundary", "end_reason", "end_step", "weeks_in_relationship",
                   "weeks_devalued", "cycles", "returns", "hoover_attempts", "hoover_successes",
                   "harm", "min_wellbeing", "final_wellbeing", "trauma_bond_peak",
                   "rage_episodes", "recovered_step"]
TIMELINE_COLUMNS = ["step", "partner", "phase", "wellbeing", "trauma_bond", "commitment"]
NARCISSIST_PARAMETERS = ["supply_decay", "reinforcement", "hoover_propensity", "envy",
                         "injury_sensitivity", "grandiosity", "subtype", "max_sources"]
PARTNER_PARAMETERS = ["boundary", "self_esteem", "empathy", "rescue_fantasy", "alternatives",
                      "vulnerability", "conditioning", "no_contact", "therapy"]


def fingerprint(m: RelationshipModel) -> str:
    """A hash of everything a run reports."""
    text = m.outcomes().to_csv() + m.timeline().to_csv() + m.events_table().to_csv()
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture(scope="module")
def finished() -> RelationshipModel:
    """The classroom preset, seed 42, run to its horizon."""
    return RelationshipModel(scenario="classroom", rng=42).run()


# --- building ----------------------------------------------------------------------------------
def test_model_is_a_mesa_model_built_from_a_preset_and_a_seed():
    m = RelationshipModel(scenario="classroom", rng=42)
    assert isinstance(m, mesa.Model)
    assert len(m.narcissists) == 1 and len(m.partners) == 4
    boundaries = [p.boundary for p in m.partners]
    assert boundaries == sorted(boundaries)
    assert boundaries[0] <= 0.2 and boundaries[-1] >= 0.8, "classroom spans weak to firm"


def test_model_is_built_from_a_toml_path_or_a_scenario_object(tmp_path):
    path = tmp_path / "copy.toml"
    path.write_text(load("classroom").to_toml(), encoding="utf-8")
    reference = fingerprint(RelationshipModel(scenario="classroom", rng=3).run(100))
    from_path = fingerprint(RelationshipModel(scenario=str(path), rng=3).run(100))
    from_object = fingerprint(RelationshipModel(scenario=load("classroom"), rng=3).run(100))
    assert reference == from_path == from_object


def test_declared_parameters_cover_the_contract():
    for name in NARCISSIST_PARAMETERS:
        assert name in GROUPS["narcissist"], name
    for name in PARTNER_PARAMETERS:
        assert name in GROUPS["partner"], name
    assert set(GROUPS["narcissist"]["subtype"].choices) == {"somatic", "cerebral"}
    assert GROUPS["partner"]["no_contact"].kind == "bool"
    for group, names in (("narcissist", NARCISSIST_PARAMETERS), ("partner", PARTNER_PARAMETERS)):
        for name in names:
            p = GROUPS[group][name]
            if p.kind == "float":
                assert p.low >= 0.0 and p.high <= 1.0, f"{group}.{name} leaves [0, 1]"


def test_presets_include_classroom_and_community():
    names = presets()
    assert {"classroom", "community"} <= set(names)
    community = RelationshipModel(scenario="community", rng=0)
    assert len(community.narcissists) >= 2
    assert len(community.narcissists) + len(community.partners) >= 100


# --- overrides -----------------------------------------------------------------------------------
def test_override_of_all_partners_boundary():
    m = RelationshipModel(scenario="classroom", rng=1, **{"partners.*.boundary": 0.7})
    assert [p.boundary for p in m.partners] == [0.7] * 4


def test_override_of_one_partners_boundary_sets_hers_alone_and_changes_her_story():
    preset = RelationshipModel(scenario="classroom", rng=1)
    changed = RelationshipModel(scenario="classroom", rng=1, **{"partners.0.boundary": 0.9})
    assert [p.boundary for p in changed.partners] == [0.9] + [p.boundary
                                                             for p in preset.partners[1:]]
    a, b = preset.run().outcomes(), changed.run().outcomes()
    assert a.loc[0, "boundary"] == 0.1 and b.loc[0, "boundary"] == 0.9
    assert a.loc[0, "harm"] != b.loc[0, "harm"]


def test_override_of_narcissist_reinforcement():
    never = RelationshipModel(scenario="classroom", rng=5, **{"narcissist.reinforcement": 0.0})
    always = RelationshipModel(scenario="classroom", rng=5, **{"narcissist.reinforcement": 1.0})
    assert never.narcissists[0].reinforcement == 0.0
    assert always.narcissists[0].reinforcement == 1.0
    assert never.run(260).outcomes()["kindness_episodes"].sum() == 0
    assert always.run(260).outcomes()["kindness_episodes"].sum() > 0


def test_specific_override_wins_over_all_partners_in_any_order():
    for order in (["partners.0.boundary", "partners.*.boundary"],
                  ["partners.*.boundary", "partners.0.boundary"]):
        values = {"partners.0.boundary": 0.8, "partners.*.boundary": 0.2}
        m = RelationshipModel(scenario="classroom", rng=1, **{k: values[k] for k in order})
        assert [p.boundary for p in m.partners] == [0.8, 0.2, 0.2, 0.2], order


# --- stepping ------------------------------------------------------------------------------------
def test_step_advances_one_week_and_run_many():
    m = RelationshipModel(scenario="classroom", rng=42)
    assert m.steps == 0
    m.step()
    assert m.steps == 1
    assert m.run(9) is m
    assert m.steps == 10
    assert m.timeline()["step"].max() == 10
    m.run()
    assert m.steps == 520 and not m.running


# --- reports -------------------------------------------------------------------------------------
def test_outcomes_have_the_contract_columns(finished):
    out = finished.outcomes()
    assert isinstance(out, pd.DataFrame)
    missing = [c for c in OUTCOME_COLUMNS if c not in out.columns]
    assert not missing, f"outcomes() lacks {missing}"
    assert list(out["partner"]) == [0, 1, 2, 3]
    assert set(out["end_reason"]) <= {"left", "discarded", "ongoing"}
    assert (out["end_reason"] == "ongoing").eq(out["end_step"].isna()).all()
    assert out["recovered_step"].dtype == "Int64", "missing where not recovered, not NaN floats"
    numeric = OUTCOME_COLUMNS[4:11] + ["rage_episodes"]
    for column in numeric:
        assert pd.api.types.is_numeric_dtype(out[column]), column


def test_recovered_step_is_missing_exactly_where_not_recovered():
    for seed in range(10):
        out = RelationshipModel(scenario="classroom", rng=seed).run().outcomes()
        assert out["recovered_step"].notna().eq(out["recovery"] == "healed").all()
        assert (out["recovered_step"].dropna() <= 520).all()


def test_outcome_rows_of_many_runs_make_the_table_their_outcomes_make():
    """Sweeps join runs' `outcome_rows` into one table: it must hold the values of the runs'
    outcome tables stacked, with the column types of a run's own table, also when one run
    has a column that is missing everywhere (one week: no one has met, ended or healed)."""
    from model.outcomes import outcome_table

    models = [RelationshipModel("community", rng=3, **{"world.weeks": 1}).run(),
              RelationshipModel("classroom", rng=5).run(),
              RelationshipModel("any_gender", rng=1, **{"world.weeks": 104}).run()]
    assert models[0].outcomes()["narcissist"].isna().all()
    joined = outcome_table([row for m in models for row in m.outcome_rows()])
    stacked = pd.concat([m.outcomes() for m in models], ignore_index=True)
    pd.testing.assert_frame_equal(joined, stacked, check_exact=True, check_dtype=False)
    assert joined.dtypes.equals(models[1].outcomes().dtypes)


def test_timeline_has_one_row_per_partner_per_week(finished):
    tl = finished.timeline()
    missing = [c for c in TIMELINE_COLUMNS if c not in tl.columns]
    assert not missing, f"timeline() lacks {missing}"
    assert len(tl) == 521 * 4
    assert not tl.duplicated(["step", "partner"]).any()


def test_events_tell_the_story(finished):
    assert finished.events, "a ten-year classroom run narrates something"
    for event in finished.events:
        assert isinstance(event, Event)
        assert isinstance(event.week, int) and 0 <= event.week <= 520
        assert isinstance(event.kind, str) and event.kind
        assert all(isinstance(name, str) for name in event.who) and event.who
        assert isinstance(event.text, str) and event.text.strip()
    weeks = [e.week for e in finished.events]
    assert weeks == sorted(weeks)
    kinds = {e.kind for e in finished.events}
    assert {"met", "devaluation"} <= kinds


def test_datacollector_collects_every_week(finished):
    frame = finished.datacollector.get_model_vars_dataframe()
    assert len(frame) == 521
    assert not frame.isna().any().any()


def test_the_weekly_figures_agree_with_the_timelines(finished):
    frame = finished.datacollector.get_model_vars_dataframe()
    weeks = finished.timeline().groupby("step")
    assert frame["mean_wellbeing"].to_numpy() == pytest.approx(
        weeks["wellbeing"].mean().to_numpy())
    assert list(frame["devalued"]) == list(weeks["phase"].agg(lambda s: (s == "devalue").sum()))
    together = weeks["phase"].agg(lambda s: (~s.isin(["single", "ended"])).sum())
    assert list(frame["with_narcissist"]) == list(together)
    supply = finished.supply_timeline().groupby("step")["supply"].mean()
    assert frame["mean_supply"].to_numpy() == pytest.approx(supply.to_numpy())


# --- sweeps and reproducibility ------------------------------------------------------------------
def batch(processes: int) -> pd.DataFrame:
    results = mesa.batch_run(RelationshipModel,
                             parameters={"scenario": "classroom",
                                         "partners.0.boundary": [0.2, 0.8]},
                             rng=[1, 2], max_steps=60, number_processes=processes,
                             display_progress=False)
    return pd.DataFrame(results)


def test_batch_run_varies_a_dotted_parameter():
    table = batch(1)
    assert len(table) == 4
    assert set(table["partners.0.boundary"]) == {0.2, 0.8}
    assert (table["Step"] == 60).all()
    reporters = [c for c in ("mean_wellbeing", "mean_supply", "with_narcissist", "devalued")
                 if c in table.columns]
    assert reporters
    for _, runs in table.groupby("rng"):
        low, high = (runs[runs["partners.0.boundary"] == b][reporters].to_numpy()
                     for b in (0.2, 0.8))
        assert (low != high).any(), "the two boundaries gave identical results"


def test_batch_run_is_the_same_with_two_workers():
    one = batch(1).sort_values(["rng", "partners.0.boundary"]).reset_index(drop=True)
    two = batch(2).sort_values(["rng", "partners.0.boundary"]).reset_index(drop=True)
    columns = [c for c in one.columns if c not in ("RunId", "iteration")]
    pd.testing.assert_frame_equal(one[columns], two[columns])


def test_same_seed_same_results_in_another_process():
    overrides = {"partners.0.boundary": 0.6, "narcissist.reinforcement": 0.5}
    here = fingerprint(RelationshipModel(scenario="classroom", rng=7, **overrides).run(200))
    code = (
        "import hashlib\n"
        "from model import RelationshipModel\n"
        f"m = RelationshipModel(scenario='classroom', rng=7, **{overrides!r}).run(200)\n"
        "text = m.outcomes().to_csv() + m.timeline().to_csv() + m.events_table().to_csv()\n"
        "print(hashlib.sha256(text.encode()).hexdigest())\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONHASHSEED="12345")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == here


def test_different_seeds_give_different_runs():
    a = fingerprint(RelationshipModel(scenario="classroom", rng=1).run(100))
    b = fingerprint(RelationshipModel(scenario="classroom", rng=2).run(100))
    assert a != b


# --- what a run records --------------------------------------------------------------------------
def test_every_kth_week_keeps_the_weekly_rows_of_those_weeks_and_the_last(finished):
    sparse = RelationshipModel(scenario="classroom", rng=42, record=7).run()
    weekly = finished.timeline()
    kept = sorted(set(range(0, 521, 7)) | {520})
    assert sorted(sparse.timeline()["step"].unique()) == kept
    pd.testing.assert_frame_equal(sparse.timeline(),
                                  weekly[weekly["step"].isin(kept)].reset_index(drop=True))
    supply = finished.supply_timeline()
    pd.testing.assert_frame_equal(sparse.supply_timeline(),
                                  supply[supply["step"].isin(kept)].reset_index(drop=True))
    pd.testing.assert_frame_equal(sparse.outcomes(), finished.outcomes())
    assert len(sparse.datacollector.get_model_vars_dataframe()) == len(kept)


def test_a_partial_run_records_its_last_week():
    m = RelationshipModel(scenario="classroom", rng=1, record=5).run(12)
    assert sorted(m.timeline()["step"].unique()) == [0, 5, 10, 12]


def test_outcomes_only_keeps_outcomes_and_events_and_no_weeks(finished):
    lean = RelationshipModel(scenario="classroom", rng=42, record="outcomes").run()
    pd.testing.assert_frame_equal(lean.outcomes(), finished.outcomes())
    assert lean.events == finished.events
    for mine, full in ((lean.timeline(), finished.timeline()),
                       (lean.supply_timeline(), finished.supply_timeline())):
        assert mine.empty and list(mine.columns) == list(full.columns)


@pytest.mark.parametrize("value", ["daily", "Weekly", 0, -3, 2.5, True, None])
def test_a_bad_record_choice_is_refused_with_a_clear_message(value):
    with pytest.raises(ParameterError) as err:
        RelationshipModel(scenario="classroom", rng=1, record=value)
    message = str(err.value)
    assert message.startswith("record = ") and repr(value) in message
    assert '"weekly"' in message and '"outcomes"' in message
