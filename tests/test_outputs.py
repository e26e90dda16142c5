"""Outputs are written whole or not at all, only where the user pointed, and every number that
enters is held to its one declared range (docs/reliability.md, sections 1, 2 and "Budgets").

Each refusal must be one `error:` line with exit status 2, leave nothing behind and change no
earlier output (bytes and modification times compared), and never hang (pipes and devices are
tried in a subprocess with a timeout).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import refused
from model import ParameterError
from model.cli.main import main
from model.errors import MAX_WORKERS, PathError
from model.experiments import Sweep, SweepError, parse_vary
from model.experiments.design import from_dict as sweep_from_dict
from model.scenario import MAX_PERSON_WEEKS, load
from model.staging import STALE_SECONDS, staged_file, staged_folder

ROOT = Path(__file__).resolve().parent.parent
RUN = ["run", "intermittent", "--weeks", "3"]
NO_RUNS = ["--preset", "no-such-preset"]
"""For `knobs`: its --out is checked first, so a refusal names the output; were the check gone,
the unknown preset would stop the command at once (not after minutes of runs), unnamed."""


def snapshot(folder: Path) -> dict[str, tuple[bytes | str, int]]:
    """Every entry under `folder` (links not followed): its bytes (or kind) and mtime. A
    folder's own mtime is left out: a scratch folder made and removed inside it changes it."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        content: bytes | str = path.read_bytes() if path.is_file() and not path.is_symlink() \
            else "link" if path.is_symlink() else "folder" if path.is_dir() else "other"
        found[str(path.relative_to(folder))] = (content, 0 if content == "folder" else
                                                info.st_mtime_ns)
    return found


def cli(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """The command in a subprocess: a hang fails the test instead of stopping the suite."""
    return subprocess.run([sys.executable, "-m", "model", *args], cwd=cwd, timeout=timeout,
                          capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def one_error(done: subprocess.CompletedProcess, *words: str) -> None:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), \
        done.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


@pytest.fixture(scope="module")
def earlier_run(tmp_path_factory) -> Path:
    """A folder holding an earlier run's outputs (copied per test)."""
    out = tmp_path_factory.mktemp("earlier") / "run"
    assert main([*RUN, "--out", str(out)]) == 0
    return out


@pytest.fixture
def run_folder(earlier_run, tmp_path) -> Path:
    import shutil

    out = tmp_path / "run"
    shutil.copytree(earlier_run, out)
    return out


# --- whole or nothing ----------------------------------------------------------------------------
def _full_disk_after(monkeypatch, share: float) -> None:
    """Writes of text put `share` of it on disk, then fail as a full disk does."""
    original = Path.write_text

    def write_text(self, data, *args, **kwargs):
        original(self, data[:int(len(data) * share)], *args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device", str(self))
    monkeypatch.setattr(Path, "write_text", write_text)


def test_knobs_out_on_a_full_disk_keeps_the_earlier_file(tmp_path, capsys, monkeypatch):
    from model.validation import knobs

    table = tmp_path / "knobs.md"
    table.write_text("the earlier table\n" * 100, encoding="utf-8")
    before = snapshot(tmp_path)
    monkeypatch.setattr(knobs, "design", lambda presets: [])
    monkeypatch.setattr(knobs, "run_table", lambda *a, **k: [])
    monkeypatch.setattr(knobs, "markdown", lambda *a: "a new table\n" * 1000)
    _full_disk_after(monkeypatch, 0.5)
    refused(["knobs", "--out", str(table)], capsys, "knobs.md", "the disk is full")
    assert snapshot(tmp_path) == before  # the old table whole, no half-written scratch file


def test_knobs_out_replaces_the_file_whole(tmp_path, capsys, monkeypatch):
    from model.validation import knobs

    table = tmp_path / "knobs.md"
    table.write_text("the earlier table\n", encoding="utf-8")
    monkeypatch.setattr(knobs, "design", lambda presets: [])
    monkeypatch.setattr(knobs, "run_table", lambda *a, **k: [])
    monkeypatch.setattr(knobs, "markdown", lambda *a: "a new table\n")
    assert main(["knobs", "--out", str(table)]) == 0
    assert table.read_text(encoding="utf-8") == "a new table\n"
    assert [p.name for p in tmp_path.iterdir()] == ["knobs.md"]


def test_a_run_over_an_earlier_run_with_an_output_name_now_a_folder_changes_nothing(
        run_folder, capsys):
    (run_folder / "supply.csv").unlink()
    (run_folder / "supply.csv").mkdir()
    before = snapshot(run_folder)
    for force in ([], ["--force"]):
        refused([*RUN, "--seed", "7", "--out", str(run_folder), *force], capsys,
                str(run_folder))
        assert snapshot(run_folder) == before


def test_a_fresh_folder_holding_a_blocking_name_gets_no_files(tmp_path, capsys):
    out = tmp_path / "fresh"
    (out / "events.csv").mkdir(parents=True)
    before = snapshot(tmp_path)
    for force in ([], ["--force"]):
        refused([*RUN, "--out", str(out), *force], capsys)
        assert snapshot(tmp_path) == before


@pytest.mark.parametrize("blocker", ["fifo", "link", "folder"])
def test_staging_checks_every_target_before_replacing_any(tmp_path, blocker):
    """The guarantee under every folder output (run, plot, sensitivity, validate): a name
    that no file may replace is found before the first file is moved in."""
    out = tmp_path / "out"
    out.mkdir()
    for name in ("a.csv", "b.csv"):
        (out / name).write_text("earlier\n")
    blocked = out / "c.csv"
    {"fifo": lambda: os.mkfifo(blocked), "link": lambda: blocked.symlink_to(out / "a.csv"),
     "folder": blocked.mkdir}[blocker]()
    before = snapshot(tmp_path)
    with pytest.raises(PathError, match="c.csv"), staged_folder(out) as staging:
        for name in ("a.csv", "b.csv", "c.csv"):
            (staging / name).write_text("new\n")
    assert snapshot(tmp_path) == before


def test_an_earlier_run_holding_a_pipe_under_an_output_name_is_refused(run_folder, tmp_path):
    (run_folder / "timeline.csv").unlink()
    os.mkfifo(run_folder / "timeline.csv")
    before = snapshot(run_folder)
    done = cli(*RUN, "--seed", "7", "--out", str(run_folder), "--force", cwd=tmp_path)
    one_error(done, "timeline.csv", "named pipe")
    assert snapshot(run_folder) == before


def test_sensitivity_refuses_before_replacing_its_earlier_table(tmp_path, capsys):
    out = tmp_path / "sobol"
    assert main(["sweep", "classroom", "--design", "sobol", "--samples", "2", "--vary",
                 "partners.0.boundary=0:1", "--weeks", "40", "--workers", "1", "--quiet",
                 "--out", str(out)]) == 0
    capsys.readouterr()
    (out / "sensitivity.csv").write_text("an earlier table\n")
    (out / "sensitivity.png").mkdir()
    before = snapshot(out)
    assert main(["sensitivity", str(out), "--resamples", "10", "--outcomes", "harm"]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if
              not line.startswith("warning: ")]  # its warnings on a tiny design come first
    assert len(errors) == 1 and "sensitivity.png" in errors[0] and "a folder" in errors[0]
    assert snapshot(out) == before


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_next_run_removes_stale_scratch_folders_and_nothing_else(run_folder, capsys):
    dead = run_folder / f".run-{_dead_pid()}-abcd1234"
    old = run_folder / f".staging-{os.getppid()}-efgh5678"
    alive = run_folder / f".run-{os.getppid()}-ijkl9012"
    foreign = run_folder / ".run-notes"
    for folder in (dead, old, alive, foreign):
        folder.mkdir()
        (folder / "outcomes.csv").write_text("half\n")
    day_ago = time.time() - STALE_SECONDS - 60
    os.utime(old, (day_ago, day_ago))
    assert main([*RUN, "--out", str(run_folder), "--force"]) == 0
    left = {p.name for p in run_folder.iterdir() if p.name.startswith(".")}
    assert left == {alive.name}  # a live writer's scratch is kept; .run-notes went with
    # the earlier run, as --force replaces all it held
    capsys.readouterr()


def test_a_killed_writers_scratch_file_is_removed_by_the_next_write(tmp_path):
    stale = tmp_path / f".staging-{_dead_pid()}-x1y2z3"
    stale.write_text("half a table")
    with staged_file(tmp_path / "table.md") as scratch:
        scratch.write_text("whole\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.md"]


# --- targets -------------------------------------------------------------------------------------
def test_out_as_a_link_to_a_folder_is_refused_and_the_folder_untouched(tmp_path, capsys):
    real = tmp_path / "elsewhere"
    real.mkdir()
    (tmp_path / "out").symlink_to(real)
    before = snapshot(tmp_path)
    refused([*RUN, "--out", str(tmp_path / "out")], capsys, "symbolic link", str(real))
    assert snapshot(tmp_path) == before


def test_out_as_a_link_to_a_file_is_refused(tmp_path, capsys):
    (tmp_path / "table.md").write_text("kept\n")
    (tmp_path / "link.md").symlink_to(tmp_path / "table.md")
    before = snapshot(tmp_path)
    refused(["knobs", "--out", str(tmp_path / "link.md"), *NO_RUNS], capsys, "symbolic link")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("target", ["loop1", "loop1/sub", "loop1/table.md"])
def test_a_symlink_loop_is_one_line(tmp_path, capsys, target):
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    before = snapshot(tmp_path)
    command = ["knobs", *NO_RUNS] if target.endswith(".md") else RUN
    refused([*command, "--out", str(tmp_path / target)], capsys, "symbolic link")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command, target", [(RUN, "missing/../new"),
                                             (["knobs", *NO_RUNS], "missing/../new.md")])
def test_dotdot_through_a_missing_folder_leaves_nothing(tmp_path, capsys, command, target):
    refused([*command, "--out", str(tmp_path / target)], capsys, "missing", "'..'")
    assert list(tmp_path.iterdir()) == []


def test_dotdot_through_an_existing_folder_is_taken(tmp_path, capsys):
    (tmp_path / "there").mkdir()
    assert main([*RUN, "--out", str(tmp_path / "there/../new")]) == 0
    assert (tmp_path / "new" / "run.json").is_file()
    capsys.readouterr()


@pytest.mark.parametrize("target", ["fifo", "/dev/null"])
def test_knobs_out_on_a_pipe_or_device_is_refused_without_hanging(tmp_path, target):
    os.mkfifo(tmp_path / "fifo")
    done = cli("knobs", "--out", target, *NO_RUNS, cwd=tmp_path, timeout=60)
    one_error(done, "not a file")


# --- ranges --------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [2**63, 2**64, -1])
def test_a_seed_outside_the_declared_range_in_a_file_is_refused(tmp_path, capsys, seed):
    (tmp_path / "s.toml").write_text(f'title = "s"\nseed = {seed}\n')
    refused(["run", str(tmp_path / "s.toml")], capsys, "seed", "9,223,372,036,854,775,807")


def test_the_largest_seed_is_taken(tmp_path, capsys):
    (tmp_path / "s.toml").write_text(f'title = "s"\nseed = {2**63 - 1}\n[world]\nweeks = 2\n'
                                     "[[partners]]\n")
    assert main(["run", str(tmp_path / "s.toml")]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("args, words", [
    (["--seed", "-1"], ["--seed", "0 to 9,223,372,036,854,775,807"]),
    (["--seed", str(2**63)], ["--seed"]),
    (["--workers", "100000"], ["--workers", f"1 to {MAX_WORKERS}"]),
    (["--workers", "0"], ["--workers"]),
])
def test_knobs_numbers_are_held_to_their_ranges(capsys, args, words):
    refused(["knobs", *args], capsys, *words)


def test_one_worker_cap_for_every_entry(tmp_path, capsys):
    from model.validation.knobs import run_table
    from model.validation.robustness import robustness

    with pytest.raises(ParameterError, match=f"workers.*1 to {MAX_WORKERS}"):
        run_table([], workers=MAX_WORKERS + 1)
    with pytest.raises(ParameterError, match="workers"):
        robustness("exit_barriers", draws=1, workers=MAX_WORKERS + 1)
    with pytest.raises(ParameterError, match="master"):
        run_table([], master=-1)
    refused(["sweep", "classroom", "--workers", str(MAX_WORKERS + 1), "--out",
             str(tmp_path / "s")], capsys, "--workers", f"{MAX_WORKERS}")


@pytest.mark.parametrize("text, words", [
    ('[vary]\n"partners.0.boundary" = {}\n', ["vary partners.0.boundary", "empty table"]),
    ('[set]\n"partners.0.boundary" = {}\n', ["set partners.0.boundary", "empty table"]),
    ("[vary.partners.0]\n", ["vary partners.0", "empty table"]),
    ("[set.narcissist]\n", ["set narcissist", "empty table"]),
])
def test_an_empty_sweep_entry_is_refused_not_dropped(tmp_path, capsys, text, words):
    path = tmp_path / "sweep.toml"
    path.write_text('scenario = "classroom"\n' + text)
    refused(["sweep", str(path), "--out", str(tmp_path / "s")], capsys, *words)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.toml"]


@pytest.mark.parametrize("sd, words", [("1e300", ["at most 10", "START:STOP"]),
                                       ("inf", ["at most"]),
                                       ("1e-300", ["nothing varies"])])
def test_a_degenerate_normal_factor_is_refused(capsys, tmp_path, sd, words):
    refused(["sweep", "classroom", "--design", "latin", "--vary",
             f"partners.0.boundary=normal:0.5:{sd}", "--out", str(tmp_path / "s")],
            capsys, "sd", *words)


def test_a_wide_normal_factor_still_varies():
    sweep = Sweep(vary=(parse_vary("partners.0.boundary=normal:0.5:10"),), design="latin",
                  samples=8).checked()
    assert sweep.points()["partners.0.boundary"].nunique() == 8


@pytest.mark.parametrize("partners, words", [
    ('[[partners]]\nname = "Ana"\n[[partners]]\nname = "Ana"\n', ["0 and 1", "'Ana'"]),
    ('[[partners]]\n[[partners]]\nname = "Ana"\n', ["0 and 1", "'Ana'"]),  # 0 is Ana by default
    ('[world]\ngenerated_partners = 30\n[[partners]]\nname = "Bea 2"\n',
     ["'Bea 2'", "generated partner 21"]),
])
def test_partners_sharing_a_name_are_refused(tmp_path, capsys, partners, words):
    (tmp_path / "s.toml").write_text('title = "s"\n' + partners)
    refused(["run", str(tmp_path / "s.toml")], capsys, *words)


def test_a_name_shared_through_an_override_is_refused(capsys):
    refused([*RUN, "--set", "partners.1.name=Alexandra", "--set", "partners.0.name=Alexandra"],
            capsys, "both named 'Alexandra'")


def test_every_preset_names_its_partners_apart():
    from model import RelationshipModel
    from model.scenario import presets

    for name in presets():
        model = RelationshipModel(name, rng=0, **{"world.weeks": 1})
        names = [p.name for p in model.partners]
        assert len(set(names)) == len(names), name


# --- the memory budget ---------------------------------------------------------------------------
def test_timelines_beyond_the_budget_are_refused_up_front(tmp_path, capsys):
    started = time.perf_counter()
    line = refused(["sweep", "community_dense", "--timelines", "--reps", "6", "--set",
                    "world.generated_partners=20000", "--out", str(tmp_path / "s")], capsys,
                   "timelines", f"{MAX_PERSON_WEEKS:,}")
    assert "6 runs x 20,007 people x 521 weeks" in line
    assert time.perf_counter() - started < 10
    assert list(tmp_path.iterdir()) == []


def test_timelines_count_the_largest_varied_town(tmp_path):
    raw = {"scenario": "classroom", "timelines": True, "weeks": 520,
           "vary": {"world": {"generated_partners": [0, 20000]}}}
    with pytest.raises(SweepError, match="20,005 people"):
        sweep_from_dict(raw)
    raw["timelines"] = False
    assert sweep_from_dict(raw).size() == (2, 2)


def test_a_run_beyond_the_budget_is_refused_in_the_api():
    with pytest.raises(ParameterError, match="person-weeks"):
        load("community", {"world.generated_partners": 20000, "world.weeks": 5000})
