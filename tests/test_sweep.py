"""Sweeps: declaration and checking, designs, seeds, workers, Dask, failures, kill and resume.

Every sweep here is small (short horizons, few runs) so the file stays well under a minute.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import RelationshipModel
from model.cli.main import main
from model.experiments import (
    Normal,
    Range,
    Store,
    Sweep,
    SweepError,
    Values,
    execute,
    execution,
    executors,
    parts,
    from_dict,
    latin_hypercube,
    parse_vary,
    read_results,
    read_sweep,
    run_seed,
)

ROOT = Path(__file__).resolve().parent.parent
SMALL = Sweep("classroom", vary=(Range("partners.0.boundary", 0.0, 1.0, 3),
                                 Values("narcissist.reinforcement", (0.0, 0.7))),
              replicates=2, weeks=40, seed=3, runs_per_part=3)


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- declaring factors --------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("partners.0.boundary=0:1:5", Range("partners.0.boundary", 0.0, 1.0, 5)),
    ("partners.0.boundary=0.2:0.8", Range("partners.0.boundary", 0.2, 0.8, None)),
    ("narcissist.reinforcement=0,0.35,0.7", Values("narcissist.reinforcement", (0.0, 0.35, 0.7))),
    ("narcissist.subtype=somatic,cerebral", Values("narcissist.subtype", ("somatic", "cerebral"))),
    ("partners.*.no_contact=false,true", Values("partners.*.no_contact", (False, True))),
    ("narcissist.max_sources=1:4:4", Range("narcissist.max_sources", 1, 4, 4)),
    ("partner.alternatives=normal:0.5:0.1", Normal("partner.alternatives", 0.5, 0.1)),
])
def test_vary_syntax_gives_typed_factors(text, expected):
    assert parse_vary(text) == expected


def test_factorial_levels_are_evenly_spaced_and_clean():
    assert Range("partners.0.boundary", 0.0, 1.0, 11).levels()[3] == 0.3
    assert Range("narcissist.max_sources", 1, 4, 7).checked(
        execution.declaration_for("narcissist.max_sources")).levels() == [1, 2, 3, 4]


@given(st.lists(st.integers(1, 4), min_size=0, max_size=3))
@settings(max_examples=25, deadline=None)
def test_factorial_runs_every_combination_once(counts):
    paths = ["partners.0.boundary", "narcissist.envy", "narcissist.rivalry"]
    factors = tuple(Range(p, 0.0, 1.0, c) for p, c in zip(paths, counts, strict=False))
    points = Sweep("classroom", vary=factors).checked().points()
    assert len(points) == int(np.prod(counts))
    assert not points.duplicated().any()


def test_declaration_survives_its_file_in_order():
    sweep = Sweep("classroom", vary=(Range("partners.0.boundary", 0, 1, 3),
                                     Values("narcissist.max_sources", (1, 4)),
                                     Normal("partner.therapy", 0.2, 0.1)),
                  design="latin", samples=7, fixed={"narcissist.envy": 0.3}).checked()
    again = from_dict(tomllib.loads(sweep.to_toml()))
    assert again == sweep
    pd.testing.assert_frame_equal(again.points(), sweep.points())


def test_unquoted_dotted_keys_mean_the_same_paths(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('scenario = "classroom"\n[set]\nnarcissist.envy = 0.2\n[vary]\n'
                    'partners.0.boundary = { start = 0.0, stop = 1.0, count = 3 }\n')
    sweep = read_sweep(path)
    assert sweep.paths == ["partners.0.boundary"] and sweep.fixed == {"narcissist.envy": 0.2}


@pytest.mark.parametrize("path", sorted((ROOT / "sweeps").glob("*.toml")), ids=lambda p: p.name)
def test_example_sweep_files_are_valid(path):
    sweep = read_sweep(path)
    assert sweep.vary and len(sweep.runs()) >= 100


# --- designs and seeds --------------------------------------------------------------------------
def test_latin_hypercube_fills_every_stratum_once_and_follows_the_seed():
    a = latin_hypercube(20, 3, seed=1)
    for column in a.T:
        assert sorted((column * 20).astype(int)) == list(range(20))
    assert np.array_equal(a, latin_hypercube(20, 3, seed=1))
    assert not np.array_equal(a, latin_hypercube(20, 3, seed=2))


@pytest.mark.parametrize("design, samples, points", [("sobol", 8, 8 * (3 + 2)),
                                                     ("morris", 5, 5 * (3 + 1)),
                                                     ("latin", 9, 9)])
def test_sampling_designs_have_their_size_and_follow_the_master_seed(design, samples, points):
    factors = (Range("partners.*.boundary", 0.0, 1.0), Values("narcissist.subtype",
                                                             ("somatic", "cerebral")),
               Normal("narcissist.envy", 0.5, 0.2))
    sweep = Sweep("classroom", vary=factors, design=design, samples=samples, seed=1).checked()
    table = sweep.points()
    assert len(table) == points
    assert set(table["narcissist.subtype"]) <= {"somatic", "cerebral"}
    assert table["narcissist.envy"].between(0, 1).all()
    pd.testing.assert_frame_equal(table, sweep.points())
    other = Sweep("classroom", vary=factors, design=design, samples=samples, seed=2).checked()
    assert not other.points().equals(table)


def test_run_seeds_derive_from_the_master_seed_and_do_not_shift():
    runs = SMALL.checked().runs()
    seeds = [r.seed for r in runs]
    assert len(set(seeds)) == len(seeds) and all(0 <= s < 2**63 for s in seeds)
    bigger = Sweep(**{**SMALL.__dict__, "replicates": 5}).checked().runs()
    assert {(r.point, r.replicate): r.seed for r in runs}.items() <= \
        {(r.point, r.replicate): r.seed for r in bigger}.items()
    assert run_seed(3, 0, 1) != run_seed(4, 0, 1)
    common = Sweep(**{**SMALL.__dict__, "common_seeds": True}).checked().runs()
    assert len({r.seed for r in common}) == SMALL.replicates


# --- running ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_table() -> pd.DataFrame:
    return execute(SMALL, workers=1).table


def test_table_has_one_row_per_run_and_partner(small_table):
    assert len(small_table) == 6 * 2 * 4
    assert list(small_table.columns[:6]) == ["run", "point", "replicate", "seed",
                                             "partners.0.boundary", "narcissist.reinforcement"]
    assert small_table["error"].isna().all()
    assert {"harm", "weeks_to_exit", "end_reason"} <= set(small_table.columns)


def test_one_row_replays_exactly(small_table):
    row = small_table[(small_table["run"] == 7) & (small_table["partner"] == 0)].iloc[0]
    sweep = SMALL.checked()
    replayed = RelationshipModel("classroom", rng=int(row["seed"]), **{
        "world.weeks": 40, "partners.0.boundary": row["partners.0.boundary"],
        "narcissist.reinforcement": row["narcissist.reinforcement"]}).run().outcomes()
    assert replayed.loc[0, "harm"] == row["harm"]
    assert sweep.model(7).run().outcomes().loc[0, "harm"] == row["harm"]


def test_same_table_on_one_and_two_worker_processes(small_table):
    pd.testing.assert_frame_equal(execute(SMALL, workers=2).table, small_table)


def test_dask_local_cluster_gives_the_local_table(small_table):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster:
        by_address = execute(SMALL, scheduler=cluster.scheduler_address)
        with Client(cluster) as client:
            by_client = execute(SMALL, scheduler=client).table
    assert by_address.workers.startswith("Dask")
    pd.testing.assert_frame_equal(by_address.table, small_table)
    pd.testing.assert_frame_equal(by_client, small_table)


def table_digest(table: pd.DataFrame) -> str:
    """Every column's name and type and every value (floats written to the last digit)."""
    text = "".join(f"{c}:{d}\n" for c, d in table.dtypes.astype(str).items())
    return hashlib.sha256((text + table.to_csv(index=False)).encode()).hexdigest()


SMALL_DIGEST = "3ac31746f5a510511f2dff1cd03ce117979b30f1558186afe9f80d32036bfedf"
"""SMALL's table as the sweeps make it; a faster sweep must give exactly this table. Written
before runs stopped keeping weekly rows and rows were typed once per part (commit bd1df5e,
digest c7133d04...); rewritten when `partner.pronouns` became a setting and so a column (with
that column dropped, the digest was still bd1df5e's), and when the model's draws moved from
numpy's generator to Mesa's `model.random` (a new stream of draws, the same distribution:
tests/test_same_distribution.py), and for the model's fidelity revision of issue 21 (new
mechanisms 17-19: a deliberate change of dynamics, docs/validation/calibration.md), and when
contagion (mechanism 11) went off by default and the classroom's roles were mixed across its
boundaries (issue 22)."""


def test_the_table_is_the_one_sweeps_gave_before_the_speed_work(small_table):
    assert table_digest(small_table) == SMALL_DIGEST


def test_runs_that_keep_no_weekly_rows_give_the_same_outcomes(small_table, monkeypatch):
    # a sweep without timelines asks the model to keep none; one with them keeps every week
    asked = []
    real_model = parts.RelationshipModel
    monkeypatch.setattr(parts, "RelationshipModel",
                        lambda *a, **k: asked.append(k.get("record")) or real_model(*a, **k))
    weekly = execute(Sweep(**{**SMALL.__dict__, "timelines": True}), workers=1)
    assert {r for r in asked if r} == {"weekly"} and weekly.timelines is not None
    asked.clear()
    execute(SMALL, workers=1)
    assert {r for r in asked if r} == {"outcomes"}
    pd.testing.assert_frame_equal(weekly.table, small_table)


def test_dask_command_line_cluster_gives_the_local_table(small_table):
    # `dask scheduler` and two `dask worker` processes, started as docs/sweeps.md says
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_dask import command_line_cluster

    with command_line_cluster(workers=2) as cluster:
        result = execute(SMALL, scheduler=cluster.address)
        live = [p for p in cluster.processes if p.poll() is None]
    assert result.workers == f"Dask at {cluster.address}" and len(live) == 3
    pd.testing.assert_frame_equal(result.table, small_table)
    assert all(p.poll() is not None for p in cluster.processes)  # stopped, none left behind


def test_a_failing_run_is_recorded_and_the_sweep_goes_on():
    # With room for one source, the classroom's four attached partners cannot all start.
    sweep = Sweep("classroom", vary=(Values("narcissist.max_sources", (1, 4)),), weeks=10,
                  replicates=2)
    table = execute(sweep, workers=1).table
    failed = table[table["error"].notna()]
    assert sorted(failed["run"]) == [0, 1] and failed["partner"].isna().all()
    assert failed["error"].str.startswith("ParameterError: partners.1.attached").all()
    assert table[table["error"].isna()]["run"].tolist() == [2] * 4 + [3] * 4
    assert table["harm"].dtype == "float64" and str(table["end_step"].dtype) == "Int64"


def test_timelines_on_request(tmp_path):
    sweep = Sweep("classroom", vary=(Values("partners.0.boundary", (0.2, 0.8)),), weeks=6,
                  timelines=True, outcomes=("harm",))
    result = execute(sweep, tmp_path / "out", workers=1)
    assert list(result.table.columns) == ["run", "point", "replicate", "seed",
                                          "partners.0.boundary", "partner", "name", "harm",
                                          "error"]
    assert len(result.timelines) == 2 * 4 * 7
    assert {"run", "step", "phase", "wellbeing"} <= set(result.timelines.columns)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "results.parquet", "sweep.toml", "timelines.parquet"]


# --- durability ---------------------------------------------------------------------------------
def test_a_folder_that_holds_a_sweep_needs_resume(tmp_path):
    execute(SMALL, tmp_path / "out", workers=1)
    with pytest.raises(SweepError, match="add --resume"):
        execute(SMALL, tmp_path / "out", workers=1)
    other = Sweep(**{**SMALL.__dict__, "seed": 4})
    with pytest.raises(SweepError, match="differs in seed"):
        execute(other, tmp_path / "out", workers=1, resume=True)
    again = execute(SMALL, tmp_path / "out", workers=1, resume=True)
    assert again.resumed_runs == again.total_runs


def test_kill_and_resume_gives_the_uninterrupted_table(tmp_path, monkeypatch, capsys):
    out = tmp_path / "killed"
    argv = ["sweep", "classroom", "--vary", "partners.0.boundary=0:1:5",
            "--vary", "narcissist.reinforcement=0,0.7", "--reps", "6", "--seed", "5",
            "--weeks", "520", "--runs-per-part", "2", "--workers", "1", "--quiet",
            "--out", str(out)]
    process = subprocess.Popen([sys.executable, "-m", "model", *argv], cwd=ROOT,
                               start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while len(list((out / "parts").glob("part-*.parquet"))) < 3:
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "no parts appeared"
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    saved = {int(p.stem.split("-")[1]) for p in (out / "parts").glob("part-*.parquet")}
    assert not (out / Store.RESULTS).exists() and 3 <= len(saved) < 30

    ran = []
    real_run_part = executors.run_part
    monkeypatch.setattr(executors, "run_part",
                        lambda job: ran.append(job.index) or real_run_part(job))
    code, stdout, _ = run_cli(["sweep", "--resume", "--workers", "1", "--quiet", "--out",
                               str(out)], capsys)
    assert code == 0 and f"{2 * len(saved)} from earlier parts" in stdout
    assert set(ran) == set(range(30)) - saved

    whole = execute(read_sweep(out / Store.DECLARATION), tmp_path / "whole", workers=1)
    pd.testing.assert_frame_equal(read_results(out)[1], whole.table)
    assert not (out / "parts").exists()


# --- the command line ---------------------------------------------------------------------------
BROKEN_FILES = {
    "broken.toml": 'scenario = "classroom"\n[vary\n',
    "unknown_key.toml": 'scenario = "classroom"\nreplicate = 3\n',
    "bad_factor.toml": 'scenario = "classroom"\n[vary]\n"partners.0.boundary" = 0.5\n',
    "bad_value.toml": 'scenario = "classroom"\n[vary]\n"partners.0.boundary" = [0.5, 7]\n',
}


@pytest.mark.parametrize("args, message", [
    (["classroom", "--vary", "partners.0.boundary=0:1:x"], "COUNT 'x' is not allowed"),
    (["classroom", "--vary", "partners.0.boundary"], "expected PATH=START:STOP:COUNT"),
    (["classroom", "--vary", "partners.0.boundry=0:1:3"], "unknown partner parameter 'boundry'"),
    (["classroom", "--vary", "partners.0.boundary=0:2:3"], "expected a number from 0 to 1"),
    (["classroom", "--vary", "narcissist.subtype=0:1:3"], "list its values instead"),
    (["classroom", "--vary", "partners.9.boundary=0,1"], "lists 4 partner(s)"),
    (["classroom", "--vary", "narcissist.envy=0,1", "--outcomes", "harmm"],
     "'harmm' is not an outcome"),
    (["classroom", "--vary", "narcissist.envy=0:1", "--design", "sobol", "--samples", "100"],
     "expected a power of 2"),
    (["classroom", "--vary", "narcissist.envy=0:1"], "needs a count of levels"),
    (["classroom", "--set", "narcissist.envy=2"], "expected a number from 0 to 1"),
    (["no_such_preset"], "neither a preset"),
    (["classroom", "--workers", "0"], "expected 1 or more"),
    (["classroom", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "choose one"),
    (["broken.toml"], "not a valid TOML file"),
    (["unknown_key.toml"], "unknown key 'replicate'"),
    (["bad_factor.toml"], "expected a list of values"),
    (["bad_value.toml"], "vary partners.0.boundary = 7 is not allowed"),
])
def test_a_mistake_is_one_line_exit_2_and_writes_nothing(args, message, tmp_path, capsys,
                                                         monkeypatch):
    for name, text in BROKEN_FILES.items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = run_cli(["sweep", *args, "--out", str(tmp_path / "out")], capsys)
    assert code == 2 and stdout == ""
    assert stderr.count("\n") == 1 and stderr.startswith("error: ") and message in stderr
    assert "Traceback" not in stderr and not (tmp_path / "out").exists()


def test_sweep_file_from_the_command_line_then_plot(tmp_path, capsys):
    out = tmp_path / "boundary"
    code, stdout, _ = run_cli(["sweep", str(ROOT / "sweeps" / "boundary.toml"), "--reps", "1",
                               "--weeks", "12", "--workers", "1", "--quiet", "--out", str(out)],
                              capsys)
    assert code == 0 and "Sweep done: 33 runs" in stdout and "by partners.0.boundary" in stdout
    sweep, table = read_results(out)
    assert sweep.replicates == 1 and sweep.weeks == 12 and len(table) == 33 * 4
    code, stdout, _ = run_cli(["plot", str(out), "--partner", "0", "--by",
                               "narcissist.reinforcement", "--x", "partners.0.boundary"], capsys)
    assert code == 0 and (out / "outcomes.png").read_bytes()[:4] == b"\x89PNG"
    code, _, stderr = run_cli(["plot", str(out), "--outcomes", "nope"], capsys)
    assert code == 2 and "'nope' is not in the table" in stderr
    code, _, stderr = run_cli(["plot", str(tmp_path)], capsys)
    assert code == 2 and "not a sweep folder" in stderr


def test_the_documented_mesa_batch_run_call_works():
    import mesa

    rows = mesa.batch_run(RelationshipModel, parameters={
        "scenario": "classroom", "partners.0.boundary": [0.2, 0.8]},
        rng=[1, 2], max_steps=10, number_processes=1, display_progress=False)
    table = pd.DataFrame(rows)
    assert len(table) == 4 and {"partners.0.boundary", "mean_wellbeing"} <= set(table.columns)
