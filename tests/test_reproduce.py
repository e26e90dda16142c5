"""A saved scenario repeats its run: from the command line, in Python and on the dashboard.

The scenario file a run saves (`run --out`, the dashboard's "Scenario (TOML)", `model.spec`)
names the seed the run used and lists what was changed; running or loading it again with no
seed gives the same outcome table. An unseeded model draws a seed it can report. `run --out`
never mixes a new run's files with what a folder already holds.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import ipyvuetify as v
import numpy as np
import pandas as pd
import pytest
import solara
from solara.components.file_drop import FileDropZone

from dashboard.frames import Run
from dashboard.layout import Page
from dashboard.settings import Settings
from model import RelationshipModel, load
from model.cli.main import main
from model.errors import MAX_SEED
from model.parameters import ParameterError

ROOT = Path(__file__).resolve().parent.parent


def run(*argv: str) -> int:
    return main(["run", *argv, "--story-lines", "1"])


def saved_seed(folder: Path) -> int:
    return tomllib.loads((folder / "scenario.toml").read_text(encoding="utf-8"))["seed"]


def comments(folder: Path) -> str:
    text = (folder / "scenario.toml").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if line.startswith("#"))


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the command line -----------------------------------------------------------------------------
CLASSROOM_SEED = load("classroom").seed
"""The preset's own seed, which a saved file records as what the user's seed replaced."""
CASES = {
    "seed only": ("classroom", ["--seed", "7"], [f"seed = 7 (was {CLASSROOM_SEED})"]),
    "overrides, weeks and a large seed": (
        "classroom", ["--seed", str(MAX_SEED), "--weeks", "150", "--set",
                      "partners.0.boundary=0.8", "--set", "narcissist.reinforcement=0"],
        [f"seed = {MAX_SEED} (was {CLASSROOM_SEED})", "world.weeks = 150 (was 520)",
         "partners.0.boundary = 0.8 (was 0.1)", "narcissist.reinforcement = 0.0 (was 0.35)"]),
    "every partner, another preset": (
        "any_gender", ["--seed", "5", "--weeks", "200", "--set", "partners.*.boundary=0.5"],
        ["partners.*.boundary = 0.5 (was ", "world.weeks = 200 (was 520)"]),
    "generated partners, the preset's own seed": (
        "community", ["--weeks", "60", "--set", "partner.alternatives=0.7"],
        ["partner.alternatives = 0.7 (was "]),
}


@pytest.mark.parametrize("case", CASES)
def test_a_saved_scenario_repeats_its_run_with_no_seed_given(case, tmp_path):
    preset, options, recorded = CASES[case]
    first, again = tmp_path / "first", tmp_path / "again"
    assert run(preset, *options, "--out", str(first)) == 0
    seed = int(options[options.index("--seed") + 1]) if "--seed" in options else load(preset).seed
    assert saved_seed(first) == seed
    for line in recorded:
        assert line in comments(first), comments(first)
    assert run(str(first / "scenario.toml"), "--out", str(again)) == 0
    for table in ("outcomes.csv", "events.csv"):
        assert (again / table).read_bytes() == (first / table).read_bytes(), table


def test_a_scenario_file_as_the_source_round_trips(tmp_path):
    """A user's own file (no seed: 42) run with --seed and --set, saved, run again."""
    mine = tmp_path / "mine.toml"
    text = (ROOT / "scenarios" / "no_contact.toml").read_text(encoding="utf-8")
    mine.write_text("\n".join(line for line in text.splitlines()
                              if not line.startswith("seed")), encoding="utf-8")
    assert load(mine).seed == 42
    first, again = tmp_path / "first", tmp_path / "again"
    assert run(str(mine), "--seed", "2024", "--weeks", "300", "--set",
               "partners.1.no_contact=true", "--out", str(first)) == 0
    assert "Changed from the file 'mine.toml':" in comments(first)
    assert str(tmp_path) not in (first / "scenario.toml").read_text(encoding="utf-8")
    assert "seed = 2024 (was 42)" in comments(first)
    assert "partners.1.no_contact = true (was false)" in comments(first)
    assert run(str(first / "scenario.toml"), "--out", str(again)) == 0
    assert (again / "outcomes.csv").read_bytes() == (first / "outcomes.csv").read_bytes()


def test_the_issues_commands_in_fresh_processes(tmp_path):
    """`run classroom --seed 7 --out X`, then `run X/scenario.toml`: the same outcome table."""
    def cli(*args: str) -> None:
        done = subprocess.run([sys.executable, "-m", "model", "run", *args], cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr

    cli("classroom", "--seed", "7", "--out", "X")
    cli("X/scenario.toml", "--out", "Y")
    assert (tmp_path / "Y" / "outcomes.csv").read_bytes() == \
        (tmp_path / "X" / "outcomes.csv").read_bytes()
    assert saved_seed(tmp_path / "Y") == 7


# --- Python ---------------------------------------------------------------------------------------
def test_an_unseeded_model_draws_a_seed_that_repeats_it():
    first = RelationshipModel("classroom", **{"partners.0.boundary": 0.7})
    assert isinstance(first.seed, int) and 0 <= first.seed <= MAX_SEED
    second = RelationshipModel("classroom")
    assert second.seed != first.seed  # drawn afresh, not a fixed default
    again = RelationshipModel("classroom", rng=first.seed, **{"partners.0.boundary": 0.7})
    # both of Mesa's generators start where a model given that seed starts
    assert first.random.getstate() == again.random.getstate()
    assert first.rng.bit_generator.state == again.rng.bit_generator.state
    pd.testing.assert_frame_equal(first.run(260).outcomes(), again.run(260).outcomes())
    assert first.events == again.events


def test_a_models_spec_saves_the_seed_it_ran_on(tmp_path):
    model = RelationshipModel("classroom", **{"narcissist.envy": 0.9})
    path = tmp_path / "saved.toml"
    path.write_text(model.spec.to_toml(), encoding="utf-8")
    saved = load(path)
    assert saved.seed == model.seed
    assert "narcissist.envy = 0.9 (was " in path.read_text(encoding="utf-8")
    replay = RelationshipModel(str(path), rng=saved.seed).run(200).outcomes()
    pd.testing.assert_frame_equal(replay, model.run(200).outcomes())


def test_a_seed_no_scenario_file_could_hold_is_refused():
    with pytest.raises(ParameterError, match=r"rng = 9223372036854775808 is not allowed"):
        RelationshipModel("classroom", rng=MAX_SEED + 1)


def test_a_generator_still_seeds_a_model():
    model = RelationshipModel("classroom", rng=np.random.default_rng(5))
    twin = RelationshipModel("classroom", rng=np.random.default_rng(5))
    assert model.spec.seed == load("classroom").seed  # no whole number to record
    pd.testing.assert_frame_equal(model.run(52).outcomes(), twin.run(52).outcomes())


# --- the dashboard --------------------------------------------------------------------------------
def finished(settings: Settings) -> pd.DataFrame:
    frame = Run(settings).step(100_000)
    assert frame.finished
    return frame.outcomes


def test_a_dashboard_export_loads_back_to_the_same_outcome_table():
    settings = Settings(seed=7).with_value("partners.0.boundary", 0.8).with_value(
        "world.weeks", 200).with_value("narcissist.reinforcement", 0.2)
    text = settings.to_toml()
    assert "seed = 7\n" in text and "partners.0.boundary = 0.8 (was 0.1)" in text
    loaded = Settings().with_file("classroom-seed7-custom.toml", text)  # page on preset seed
    assert loaded.seed == 7
    pd.testing.assert_frame_equal(finished(loaded), finished(settings))
    reloaded = loaded.with_file("again.toml", loaded.to_toml())
    assert reloaded.seed == 7
    pd.testing.assert_frame_equal(finished(reloaded), finished(settings))


def test_a_command_line_run_loads_on_the_page_as_it_ran(tmp_path):
    out = tmp_path / "out"
    assert run("classroom", "--seed", "99", "--weeks", "120", "--out", str(out)) == 0
    text = (out / "scenario.toml").read_text(encoding="utf-8")
    loaded = Settings().with_file("scenario.toml", text)
    assert loaded.seed == 99
    on_page = pd.read_csv(io.StringIO(finished(loaded).to_csv(index=False)))  # its download
    pd.testing.assert_frame_equal(on_page, pd.read_csv(out / "outcomes.csv"))


def test_a_dropped_file_sets_the_pages_seed_box(kernel):
    text = Settings(seed=31).with_value("partners.0.boundary", 0.8).to_toml().encode()
    box, rc = solara.render(Page(), handle_error=False)

    def seed_box() -> str:
        return rc.find(v.TextField, label="seed (same seed, same run)").widget.v_model

    assert seed_box() == str(load("classroom").seed)
    drop = rc.find(FileDropZone).widget
    # what the browser's upload delivers; from here on it is the page's own code
    drop.get_files = lambda timeout=30: [{"name": "mine.toml", "size": len(text),
                                          "file_obj": io.BytesIO(text)}]
    drop.file_info = [{"name": "mine.toml", "size": len(text)}]
    deadline = time.monotonic() + 20
    while seed_box() != "31":
        assert time.monotonic() < deadline, f"the seed box shows {seed_box()}, not the file's 31"
        time.sleep(0.05)
    assert rc.find(v.Select, label="preset").widget.v_model == "file: mine.toml"
    rc.close()


# --- run --out ------------------------------------------------------------------------------------
def test_out_refuses_a_folder_that_is_not_empty_before_running(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    assert run("classroom", "--weeks", "5", "--seed", "1", "--out", str(out)) == 0
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(out)
    capsys.readouterr()
    monkeypatch.setattr(RelationshipModel, "run", lambda *a, **k: pytest.fail("ran the model"))
    assert run("classroom", "--weeks", "5", "--seed", "2", "--out", str(out)) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(out) in err and "--force" in err, err
    assert snapshot(out) == before


def test_out_accepts_an_empty_folder(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    assert run("classroom", "--weeks", "5", "--out", str(out)) == 0
    assert (out / "outcomes.csv").is_file()


def test_force_replaces_an_earlier_run_whole(tmp_path):
    old, fresh = tmp_path / "old", tmp_path / "fresh"
    assert run("classroom", "--weeks", "30", "--seed", "1", "--out", str(old)) == 0
    (old / "stale.csv").write_text("from before", encoding="utf-8")
    (old / ".run-leftover").mkdir()  # a scratch folder a killed run left behind
    assert run("classroom", "--weeks", "8", "--seed", "2", "--out", str(old), "--force") == 0
    assert run("classroom", "--weeks", "8", "--seed", "2", "--out", str(fresh)) == 0
    assert sorted(p.name for p in old.iterdir()) == sorted(p.name for p in fresh.iterdir())
    for name in ("outcomes.csv", "timeline.csv", "events.csv", "scenario.toml"):
        assert (old / name).read_bytes() == (fresh / name).read_bytes(), name


@pytest.mark.parametrize("extra", ["a file", "a folder"])
def test_force_refuses_a_folder_that_holds_no_earlier_run(extra, tmp_path, capsys):
    out = tmp_path / "thesis"
    if extra == "a file":
        out.mkdir()
        (out / "chapter1.md").write_text("years of work", encoding="utf-8")
    else:
        assert run("classroom", "--weeks", "5", "--out", str(out)) == 0
        (out / "drafts").mkdir()
        (out / "drafts" / "chapter1.md").write_text("years of work", encoding="utf-8")
    before = snapshot(out)
    capsys.readouterr()
    assert run("classroom", "--weeks", "5", "--out", str(out), "--force") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(out) in err, err
    assert snapshot(out) == before
