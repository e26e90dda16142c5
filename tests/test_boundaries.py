"""The cases of issue 9, one by one: each once ended in a traceback, a wrong exit, a hang or a
silent mix of runs. The fuzz suite (test_fuzz.py) looks for more; these keep the named ones
fixed, each with the message a user needs.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import refused
from model import ParameterError, RelationshipModel, Scenario
from model.cli.main import main
from model.scenario import MAX_PERSON_WEEKS
from model.experiments import CONFIRM_RUNS, Sweep, SweepError, parse_vary

ROOT = Path(__file__).resolve().parent.parent
PARTNER = "[[partners]]\nboundary = 0.5\n"


# --- files that are not what they claim -----------------------------------------------------------
@pytest.mark.parametrize("data, words", [
    (b"\xff\xfe\x00\x81garbage", ["not UTF-8"]),
    ('title = "x"\n'.encode("utf-16"), ["not UTF-8", "save it as UTF-8"]),
    (b"x = " + b"[" * 100_000 + b"]" * 100_000, ["nested more than"]),
    (b"x = 1\n" * 200_000, ["larger than"]),
])
def test_a_file_that_is_not_a_small_utf8_toml_is_named(tmp_path, capsys, data, words):
    for command in (["run"], ["sweep"]):
        (tmp_path / "f.toml").write_bytes(data)
        extra = ["--out", str(tmp_path / "out")] if command == ["sweep"] else []
        refused([*command, str(tmp_path / "f.toml"), *extra], capsys, "f.toml", *words)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.toml"]


@pytest.mark.parametrize("name", ["a" * 300 + ".toml", "/".join(["abcdefghi"] * 500)])
def test_an_overlong_name_is_refused_in_words(tmp_path, capsys, name):
    refused(["run", str(tmp_path / name)], capsys, "too long")
    refused(["run", "classroom", "--out", str(tmp_path / name)], capsys, "too long")


def test_an_unreadable_file_is_named(tmp_path, capsys, monkeypatch):
    """As root every file is readable, so the refusal of the OS is played by `open`."""
    import builtins
    import errno

    blocked = tmp_path / "u.toml"
    blocked.write_text('title = "x"\n' + PARTNER)
    real_open = builtins.open

    def refusing_open(path, *args, **kwargs):
        if str(path) == str(blocked):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    refused(["run", str(blocked)], capsys, "u.toml", "permission denied")


def test_a_folder_where_a_file_belongs_is_named(tmp_path, capsys):
    (tmp_path / "d.toml").mkdir()
    refused(["run", str(tmp_path / "d.toml")], capsys, "d.toml", "is a folder")
    refused(["sweep", str(tmp_path / "d.toml"), "--out", str(tmp_path / "o")], capsys, "d.toml")


def test_a_file_where_a_folder_belongs_is_named(tmp_path, capsys):
    (tmp_path / "f").write_text("x")
    refused(["run", "classroom", "--weeks", "2", "--out", str(tmp_path / "f" / "out")], capsys,
            "is a file, not a folder")


@pytest.mark.parametrize("value", ["-1", "abc", "1.5", str(2**64)])
def test_a_bad_seed_is_refused(capsys, value):
    refused(["run", "classroom", "--seed", value], capsys, "--seed", value)


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e400", "2.5"])
def test_a_whole_number_parameter_refuses_what_is_not_one(capsys, value):
    refused(["run", "classroom", "--set", f"world.weeks={value}"], capsys, "world.weeks",
            "a whole number from 1 to 5200")


# --- outputs --------------------------------------------------------------------------------------
def test_an_empty_out_is_refused_and_the_working_folder_untouched(tmp_path, capsys,
                                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)
    refused(["run", "classroom", "--weeks", "2", "--out", ""], capsys, "empty path")
    assert list(tmp_path.iterdir()) == []


def test_out_at_the_folder_of_the_input_is_refused(tmp_path, capsys):
    (tmp_path / "scenario.toml").write_text('title = "mine"\n' + PARTNER)
    refused(["run", str(tmp_path / "scenario.toml"), "--out", str(tmp_path)], capsys,
            "holds the input")
    assert (tmp_path / "scenario.toml").read_text().startswith('title = "mine"')
    refused(["run", "classroom", "--out", str(ROOT / "scenarios")], capsys, "holds the input")


def test_a_reader_that_stops_early_still_gets_every_file(tmp_path):
    out = tmp_path / "X"
    result = subprocess.run(f"{sys.executable} -m model run classroom --out {out} | head -1",
                            shell=True, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    tables = ("outcomes", "timeline", "events", "supply")
    assert {p.name for p in out.iterdir()} == {
        *(f"{t}.csv" for t in tables), *(f"{t}.csv.json" for t in tables),
        "run.png", "run.json", "scenario.toml"}


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sweeps") / "r"
    assert main(["sweep", "classroom", "--vary", "narcissist.envy=0,1", "--weeks", "3",
                 "--workers", "1", "--quiet", "--out", str(out)]) == 0
    return out


def test_plot_out_folder_gets_the_figure_inside(finished, capsys):
    assert main(["plot", str(finished), "--out", str(finished)]) == 0
    assert (finished / "outcomes.png").exists()
    assert not finished.with_suffix(".png").exists()
    refused(["plot", str(finished), "--out", str(finished / "sweep.toml")], capsys,
            "expected a figure file name ending in")
    refused(["plot", str(finished), "--out", str(finished / "results.parquet")], capsys,
            "expected a figure file name")
    refused(["plot", str(finished), "--out", str(finished.parent / "figure")], capsys, ".png")
    assert main(["plot", str(finished), "--out", str(finished.parent / "f.pdf")]) == 0


@pytest.mark.parametrize("damage, words", [
    (lambda p: p.write_bytes(p.read_bytes()[:100]), ["cannot be read as a results table"]),
    (lambda p: p.write_bytes(b""), ["cannot be read as a results table"]),
    (lambda p: pd.DataFrame({"a": [1]}).to_parquet(p), ["not the table of the sweep"]),
])
def test_a_broken_results_table_is_named(finished, tmp_path, capsys, damage, words):
    import shutil

    copy = tmp_path / "r"
    shutil.copytree(finished, copy)
    damage(copy / "results.parquet")
    for command in ("plot", "sensitivity"):
        refused([command, str(copy)], capsys, "results.parquet", *words)


# --- scenarios ------------------------------------------------------------------------------------
def test_more_narcissist_tables_than_narcissists_is_refused(tmp_path, capsys):
    (tmp_path / "n.toml").write_text("[world]\nnarcissists = 3\n"
                                     + "[[narcissists]]\nenvy = 0.5\n" * 5 + PARTNER)
    refused(["run", str(tmp_path / "n.toml")], capsys, "has 5 tables", "world.narcissists = 3")


def test_too_many_listed_partners_are_refused_at_once(tmp_path, capsys):
    (tmp_path / "p.toml").write_text(PARTNER * 10_000)
    started = time.perf_counter()
    refused(["run", str(tmp_path / "p.toml")], capsys, "10,000 tables", "at most 2,000")
    assert time.perf_counter() - started < 10


def test_a_run_beyond_the_memory_budget_is_refused_with_its_size(capsys):
    line = refused(["run", "classroom", "--weeks", "5200", "--set",
                    "world.generated_partners=20000"], capsys, "person-weeks", "GB")
    assert f"{MAX_PERSON_WEEKS:,}" in line


@pytest.mark.parametrize("build", [
    lambda: Scenario("t", "d", [], [], {"weeks": 5}, {}, [], {"boundary": 5.0}, [{}]),
    lambda: Scenario("t", "d", [], [], {"weeks": -5}, {}, [], {}, [{}]),
    lambda: Scenario("t", "d", [], [], {"weeks": 5, "wekks": 3}, {}, [], {}, [{}]),
    lambda: Scenario("t", "d", "not a list", [], {}, {}, [], {}, [{}]),
    lambda: Scenario("t", "d", [], [], {}, {}, [{}, {}], {}, [{}]),
])
def test_a_hand_built_scenario_is_checked(build):
    with pytest.raises(ParameterError, match="is not allowed|unknown|tables"):
        build()


# --- the Python API -------------------------------------------------------------------------------
@pytest.mark.parametrize("rng", ["abc", 1.5, -1, object(), True])
def test_a_bad_rng_names_rng(rng):
    with pytest.raises(ParameterError, match="rng = .* is not allowed"):
        RelationshipModel("classroom", rng=rng)


@pytest.mark.parametrize("rng", [None, 0, np.int64(3), np.random.default_rng(1)])
def test_good_rngs_are_taken(rng):
    RelationshipModel("classroom", rng=rng, **{"world.weeks": 2}).run()


@pytest.mark.parametrize("weeks", [-1, 1.5, True, "3"])
def test_run_refuses_a_bad_number_of_weeks(weeks):
    with pytest.raises(ParameterError, match=r"run\(weeks\)"):
        RelationshipModel("classroom", rng=1).run(weeks)


def test_run_refuses_weeks_beyond_the_memory_budget():
    model = RelationshipModel("classroom", rng=1)
    with pytest.raises(ParameterError, match="person-weeks"):
        model.run(10**9)


# --- sweeps ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("sweep", [
    lambda: Sweep(replicates=10**9),
    lambda: Sweep(vary=(parse_vary("narcissist.envy=0:1:10000000"),)),
    lambda: Sweep(vary=(parse_vary("narcissist.envy=0:1"),), design="latin", samples=10**8),
])
def test_a_huge_sweep_is_refused_at_once_with_its_size(sweep):
    started = time.perf_counter()
    with pytest.raises(SweepError, match="runs .* split it"):
        sweep().checked()
    assert time.perf_counter() - started < 2


def test_a_very_large_sweep_needs_yes(tmp_path, capsys):
    reps = str(CONFIRM_RUNS // 2 + 1)
    refused(["sweep", "classroom", "--vary", "narcissist.envy=0,1", "--reps", reps, "--out",
             str(tmp_path / "o")], capsys, f"{CONFIRM_RUNS:,}", "--yes")
    assert not (tmp_path / "o").exists()


def test_a_relative_scenario_is_read_from_the_sweep_files_folder(tmp_path, capsys,
                                                                 monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "scen.toml").write_text('title = "right"\n' + PARTNER)
    (tmp_path / "scen.toml").write_text('title = "wrong"\n' + PARTNER * 2)
    (tmp_path / "sub" / "s.toml").write_text(
        'scenario = "scen.toml"\n[vary]\n"narcissist.envy" = [0.0, 1.0]\n')
    monkeypatch.chdir(tmp_path)
    assert main(["sweep", "sub/s.toml", "--weeks", "2", "--workers", "1", "--quiet", "--out",
                 "o"]) == 0
    assert str(tmp_path / "sub" / "scen.toml") in (tmp_path / "o" / "sweep.toml").read_text()
